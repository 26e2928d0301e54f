package armconv

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"math/big"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/secret"
)

// JWK is an RSA private key as the key vault imports it (RFC 7517, the
// key vault's JsonWebKey).
type JWK struct {
	Kty    string   `json:"kty"`
	KeyOps []string `json:"key_ops,omitempty"`
	N      string   `json:"n"`
	E      string   `json:"e"`
	D      string   `json:"d"`
	P      string   `json:"p"`
	Q      string   `json:"q"`
	DP     string   `json:"dp"`
	DQ     string   `json:"dq"`
	QI     string   `json:"qi"`
}

func b64(i *big.Int) string { return base64.RawURLEncoding.EncodeToString(i.Bytes()) }

// JWKOf converts a customer-managed key's material (see flex.ParseRSAKey)
// to a JWK. Errors never quote the key (SEC-1).
func JWKOf(material secret.Value) (*JWK, error) {
	k, err := flex.ParseRSAKey(material)
	if err != nil {
		return nil, err
	}
	k.Precompute()
	if len(k.Primes) != 2 {
		return nil, errors.New("the key has more than two primes, which the key vault does not import")
	}
	return &JWK{Kty: "RSA", KeyOps: []string{"encrypt", "decrypt", "wrapKey", "unwrapKey", "sign", "verify"},
		N: b64(k.N), E: b64(big.NewInt(int64(k.E))), D: b64(k.D), P: b64(k.Primes[0]), Q: b64(k.Primes[1]),
		DP: b64(k.Precomputed.Dp), DQ: b64(k.Precomputed.Dq), QI: b64(k.Precomputed.Qinv)}, nil
}

// PEMOf converts a JWK back to a PKCS #1 PEM block, as the simulated key
// vault keeps imported keys.
func PEMOf(j *JWK) (secret.Value, error) {
	dec := func(s string) (*big.Int, error) {
		b, err := base64.RawURLEncoding.DecodeString(s)
		return new(big.Int).SetBytes(b), err
	}
	var ints [5]*big.Int
	for i, s := range []string{j.N, j.E, j.D, j.P, j.Q} {
		v, err := dec(s)
		if err != nil || v.Sign() == 0 {
			return secret.Value{}, errors.New("the JWK is not an RSA private key")
		}
		ints[i] = v
	}
	if !ints[1].IsInt64() {
		return secret.Value{}, errors.New("the JWK's exponent is too large")
	}
	k := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: ints[0], E: int(ints[1].Int64())}, D: ints[2], Primes: []*big.Int{ints[3], ints[4]}}
	if err := k.Validate(); err != nil {
		return secret.Value{}, errors.New("the JWK is not a valid RSA private key")
	}
	return secret.New(string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))), nil
}

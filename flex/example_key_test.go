package flex_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// ParseRSAKey accepts the private key a customer imports and refuses
// anything else with KEY-1, without quoting what it was given.
func ExampleParseRSAKey() {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	material := secret.New(string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})))
	key, err := flex.ParseRSAKey(material)
	fmt.Println(key.N.BitLen(), err)
	_, err = flex.ParseRSAKey(secret.New("not a key"))
	fmt.Println(rule.IDs(err))
	// Output:
	// 2048 <nil>
	// [KEY-1]
}

package azure_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/secret"
)

// TestKeys: a key is made in a vault the provider creates when missing
// (KEY-1), imported from PEM or base64 PKCS #8 DER through the key vault's
// own API, rotated (KEY-2) and deleted; material that is no RSA private
// key is refused before any request, and never quoted (SEC-1).
func TestKeys(t *testing.T) {
	ctx := t.Context()
	cloud := fake.New()
	var vaultRequests atomic.Int32
	p := wrapped(t, cloud, func(next policy.Transporter) policy.Transporter {
		return transportFunc(func(req *http.Request) (*http.Response, error) {
			if strings.HasSuffix(req.URL.Hostname(), ".vault.azure.net") {
				vaultRequests.Add(1)
			}
			return next.Do(req)
		})
	})
	putGroup(t, p)
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		material secret.Value
	}{
		{"generated", secret.Value{}},
		{"pem", testKeyPEM(t)},
		{"der", secret.New(base64.StdEncoding.EncodeToString(der))},
	} {
		t.Run(c.name, func(t *testing.T) {
			id := rid(flex.TypeKey, "kv-flex/"+c.name)
			got, err := flex.PutAs(ctx, p, &flex.Key{Meta: meta(flex.TypeKey, id.Name, "key/"+c.name), Material: c.material})
			if err != nil {
				t.Fatalf("Put: %v", err) // RULE KEY-1
			}
			if len(got.Version) != 32 || got.Region != region || got.Material.Reveal() != "" {
				t.Errorf("key %+v: want a 32-digit version, region %s and no material (ARM never returns it)", got, region)
			}
			inCloud, err := flex.GetAs[*flex.Key](ctx, cloud, id)
			if err != nil {
				t.Fatal(err)
			}
			if imported := !c.material.IsZero(); imported != strings.HasPrefix(inCloud.Material.Reveal(), "-----BEGIN RSA PRIVATE KEY-----") {
				t.Errorf("the vault holds %q material; want the imported key only when one was given", strings.SplitN(inCloud.Material.Reveal(), "\n", 2)[0])
			}
			rotated, err := p.RotateKey(ctx, id) // RULE KEY-2
			if err != nil || rotated.Version == got.Version || len(rotated.Version) != 32 {
				t.Errorf("RotateKey: %v, version %q after %q; want a new version", err, rotated.Version, got.Version)
			}
			if err := p.Delete(ctx, id); err != nil {
				t.Errorf("Delete: %v", err)
			}
			if _, err := p.Get(ctx, id); !errors.Is(err, flex.ErrNotFound) {
				t.Errorf("Get after Delete: %v; want ErrNotFound", err)
			}
		})
	}
	if vaultRequests.Load() == 0 {
		t.Error("no request reached the key vault's own API; imports, rotations and deletes go there")
	}
	before := vaultRequests.Load()
	_, err = p.Put(ctx, &flex.Key{Meta: meta(flex.TypeKey, "kv-flex/broken", "key/broken"), Material: secret.New("not-a-key-but-a-secret")})
	if !errors.Is(err, flex.ErrInvalid) || strings.Contains(err.Error(), "not-a-key-but-a-secret") {
		t.Errorf("Put of a non-key: %v; want ErrInvalid that does not quote the material (SEC-1)", err)
	}
	if vaultRequests.Load() != before {
		t.Error("a non-key reached the key vault")
	}
}

package fake

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/secret"
)

// mac returns a keyed hash of the resource and the cloud's sequence
// number, which it advances: versions and generated material are
// deterministic in form and unguessable in content.
func (c *Cloud) mac(id flex.ResourceID, purpose string) []byte {
	c.seq++
	h := hmac.New(sha256.New, c.sigKey[:])
	fmt.Fprintf(h, "%s\n%s\n%d", purpose, strings.ToLower(id.String()), c.seq)
	return h.Sum(nil)
}

// newKeyVersion returns a key version as Key Vault writes them: 32
// lower-case hex digits.
func (c *Cloud) newKeyVersion(id flex.ResourceID) string {
	return hex.EncodeToString(c.mac(id, "version")[:16])
}

// newKeyMaterial stands for an RSA key Key Vault generates; the fake does
// not make real keys.
func (c *Cloud) newKeyMaterial(id flex.ResourceID) secret.Value {
	return secret.New("generated-rsa-2048:" + hex.EncodeToString(c.mac(id, "material")))
}

// putKey imports a key (Material set) or has the vault generate one
// (Material empty). A Put of the key as it is changes nothing; new
// material makes a new version.
func (c *Cloud) putKey(_ string, k key, g *group, old *record, r *flex.Key) (*record, error) {
	if old != nil {
		o := old.res.(*flex.Key)
		if r.Material.IsZero() || r.Material.Equal(o.Material) {
			r.Material, r.Version, r.Created = o.Material, o.Version, o.Created
			return g.store(k, old, r), nil
		}
	}
	if r.Material.IsZero() {
		r.Material = c.newKeyMaterial(r.ID)
	}
	r.Version = c.newKeyVersion(r.ID)
	r.Created = c.clock.Now()
	return g.store(k, old, r), nil
}

// RotateKey makes a new version of a key vault key with new material
// created now, and returns it.
func (c *Cloud) RotateKey(ctx context.Context, id flex.ResourceID) (flex.Key, error) {
	return c.rotateKey(ctx, owner, id)
}

func (c *Cloud) rotateKey(ctx context.Context, v viewer, id flex.ResourceID) (flex.Key, error) {
	if err := ctx.Err(); err != nil {
		return flex.Key{}, err
	}
	const op = "RotateKey"
	c.mu.Lock()
	defer c.mu.Unlock()
	rec, err := c.target(v, op, id, flex.TypeKey)
	if err != nil {
		return flex.Key{}, err
	}
	if err := busy(op, rec); err != nil {
		return flex.Key{}, err
	}
	k := rec.res.(*flex.Key)
	k.Material = c.newKeyMaterial(k.ID)
	k.Version = c.newKeyVersion(k.ID)
	k.Created = c.clock.Now()
	return *k.Clone().(*flex.Key), nil
}

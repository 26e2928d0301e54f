package flex

import (
	"bytes"
	"net/netip"
	"slices"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

// ResealStateForTest returns a copy of a state document with its checksum
// computed again, so that tests reach the checks behind the checksum; it
// returns doc itself when it has no checksum to fill in.
func ResealStateForTest(doc []byte) []byte {
	out := bytes.Clone(doc)
	if sealDocument(out) != nil {
		return doc
	}
	return out
}

// ConnectionSecretsForTest returns the pre-shared key and the client
// secret the Tenant holds for the connection named name.
func (t *Tenant) ConnectionSecretsForTest(name string) (psk, clientSecret string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.connForTest(name)
	if c == nil {
		return "", ""
	}
	switch s := c.spec.(type) {
	case network.VPNSpec:
		return s.PSK.Reveal(), ""
	case network.VWANSpec:
		return "", s.Auth.ClientSecret.Reveal()
	}
	return "", ""
}

// EquivalentStatesForTest decodes two state documents and returns how they
// differ (go-cmp, -a +b) in what they hold: the order of users, apps and
// domains, which the Tenant keeps sorted, and the checksums aside. An
// error is returned when either does not decode.
func EquivalentStatesForTest(a, b []byte) (string, error) {
	var da, db stateDoc
	if err := decodeJSON(a, &da); err != nil {
		return "", err
	}
	if err := decodeJSON(b, &db); err != nil {
		return "", err
	}
	for _, d := range []*stateDoc{&da, &db} {
		d.Checksum = ""
		for i := range d.Catalogs {
			c := &d.Catalogs[i]
			var set catalog.Principals
			_, _ = set.Add(c.Principals...)
			c.Principals = set.List()
			slices.SortFunc(c.Apps, func(x, y catalog.App) int { return strings.Compare(fold(x.Name), fold(y.Name)) })
		}
		for i := range d.Locations {
			slices.SortFunc(d.Locations[i].Domains, func(x, y string) int { return strings.Compare(fold(x), fold(y)) })
		}
	}
	return cmp.Diff(da, db, cmpopts.EquateComparable(image.VDAVersion{}, netip.Addr{}, netip.Prefix{}), cmpopts.EquateEmpty(),
		cmp.Comparer(func(x, y secret.Value) bool { return x.Equal(y) })), nil
}

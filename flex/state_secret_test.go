package flex_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// stKey is a state key of the tests.
var stKey = bytes.Repeat([]byte{0x5a}, flex.StateKeySize)

// stSecrets are every secret fullWorld gives the Tenant: the VPN's
// pre-shared key, the vWAN spoke's client secret and the passwords of the
// AD service account, the bastion and the build machine.
var stSecrets = []string{stPSK, stClient, stPassword, stBastion, stBuilder}

// inClear returns the secrets doc shows, as they are or JSON- or
// base64-encoded.
func inClear(doc []byte) []string {
	var out []string
	for _, s := range stSecrets {
		q, _ := json.Marshal(s)
		for _, form := range []string{s, string(q[1 : len(q)-1]), base64.StdEncoding.EncodeToString([]byte(s))} {
			if bytes.Contains(doc, []byte(form)) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// RULE SEC-1: a saved state never holds a secret in clear, with a state key
// or without.
func TestSaveSEC1NoSecretInClear(t *testing.T) {
	for _, key := range [][]byte{nil, stKey} {
		w := fullWorld(t, key)
		doc := save(t, w.tn)
		if leaked := inClear(doc); len(leaked) > 0 {
			t.Errorf("state saved with key %v shows %d secrets in clear", key != nil, len(leaked))
		}
		sealed := bytes.Contains(doc, []byte(`"secrets": "aes-256-gcm"`))
		if sealed != (key != nil) {
			t.Errorf("state saved with key %v: sealed %v", key != nil, sealed)
		}
	}
}

// With the key, Load gives the secrets back: the loaded Tenant holds them
// and updates that need them work without giving them again.
func TestLoadWithKeyGivesSecretsBack(t *testing.T) {
	w := fullWorld(t, stKey)
	got := roundTrip(t, w.tn, w.prov, w.opts...)
	for name, want := range map[string][2]string{"vpn": {stPSK, ""}, "spoke": {"", stClient}} {
		psk, cs := got.ConnectionSecretsForTest(name)
		if psk != want[0] || cs != want[1] {
			t.Errorf("connection %q after Load holds other secrets than it was saved with", name)
		}
	}
	for _, name := range []string{"vpn", "spoke"} {
		if _, err := got.UpdateConnection(w.ctx, name, flex.ConnectionUpdate{DNS: []netip.Addr{netip.MustParseAddr("10.60.0.53")}}); err != nil {
			t.Errorf("UpdateConnection %q after Load with the key: %v", name, err)
		}
	}
}

// Without a key, the secrets are left out: an update of the VPN or the
// spoke is refused until it gives the secret again (NET-10, NET-12), and
// works with it.
func TestLoadWithoutKeyAsksForSecrets(t *testing.T) {
	w := fullWorld(t, nil)
	got := roundTrip(t, w.tn, w.prov, w.opts...)
	dns := []netip.Addr{netip.MustParseAddr("10.60.0.53")}
	for name, id := range map[string]string{"vpn": "AZ-5", "spoke": "NET-12"} {
		if psk, cs := got.ConnectionSecretsForTest(name); psk != "" || cs != "" {
			t.Errorf("connection %q holds a secret after Load of a state saved without a key", name)
		}
		_, err := got.UpdateConnection(w.ctx, name, flex.ConnectionUpdate{DNS: dns})
		if !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, id) {
			t.Errorf("UpdateConnection %q without its secret = %v, want ErrInvalid %s", name, err, id)
		}
	}
	// RULE NET-10: the pre-shared key given again.
	if _, err := got.UpdateConnection(w.ctx, "vpn", flex.ConnectionUpdate{DNS: dns, PSK: secret.New(stPSK)}); err != nil {
		t.Errorf("UpdateConnection vpn with its PSK: %v", err)
	}
	// RULE NET-12: the client secret given again.
	if _, err := got.UpdateConnection(w.ctx, "spoke", flex.ConnectionUpdate{DNS: dns, ClientSecret: secret.New(stClient)}); err != nil {
		t.Errorf("UpdateConnection spoke with its client secret: %v", err)
	}
	if _, err := got.UpdateConnection(w.ctx, "hub", flex.ConnectionUpdate{ClientSecret: secret.New(stClient)}); !rule.Has(err, "NET-12") {
		t.Errorf("a client secret for a VNet peering = %v, want NET-12", err)
	}
	for name, want := range map[string][2]string{"vpn": {stPSK, ""}, "spoke": {"", stClient}} {
		if psk, cs := got.ConnectionSecretsForTest(name); psk != want[0] || cs != want[1] {
			t.Errorf("connection %q does not hold the secret given again", name)
		}
	}
}

// The passwords of domain service accounts are never kept, so the API asks
// for them with every AddMachines of a domain-joined catalog, before a
// Save and after a Load alike (CAT-6).
func TestLoadADCatalogAsksForCredentials(t *testing.T) {
	for _, key := range [][]byte{nil, stKey} {
		w := fullWorld(t, key)
		got := roundTrip(t, w.tn, w.prov, w.opts...)
		_, err := got.AddMachines(w.ctx, "Sales", catalog.AddMachinesRequest{Users: 1})
		if !errors.Is(err, flex.ErrInvalid) {
			t.Errorf("AddMachines to an AD catalog without credentials after Load (key %v) = %v, want ErrInvalid", key != nil, err)
		}
		c, err := got.AddMachines(w.ctx, "Sales", catalog.AddMachinesRequest{Users: 1, ServiceAccount: `CORP\svc-flex`, Password: secret.New(stPassword)})
		if err != nil || c.Summary.Total != 3 {
			t.Errorf("AddMachines to an AD catalog with credentials after Load (key %v) = %d machines, %v; want 3", key != nil, c.Summary.Total, err)
		}
	}
}

func TestLoadKeyProblems(t *testing.T) {
	w := fullWorld(t, stKey)
	doc := save(t, w.tn)
	other := bytes.Repeat([]byte{0x17}, flex.StateKeySize)
	base := []flex.Option{flex.WithID(stTenant), flex.WithClock(w.clock.Now)}
	for name, tc := range map[string]struct {
		doc  []byte
		opts []flex.Option
		want string
	}{
		"no key":      {doc, base, "sealed with a state key; load it with that key"},
		"wrong key":   {doc, append(base, flex.WithStateKey(other)), "key check does not open with the state key"},
		"short key":   {doc, append(base, flex.WithStateKey(stKey[:16])), "the state key is 16 bytes; want 32"},
		"moved value": {swapSealed(t, doc), append(base, flex.WithStateKey(stKey)), `the psk does not open with the state key`},
	} {
		t.Run(name, func(t *testing.T) {
			tn, err := flex.Load(bytes.NewReader(tc.doc), w.prov, tc.opts...)
			if tn != nil || !errors.Is(err, flex.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load = %v, %v; want no Tenant and ErrInvalid saying %q", tn != nil, err, tc.want)
			}
		})
	}
	t.Run("save with a short key", func(t *testing.T) {
		tn := flex.NewTenant(w.prov, flex.WithStateKey([]byte("short")))
		if err := tn.Save(&bytes.Buffer{}); !errors.Is(err, flex.ErrInvalid) {
			t.Errorf("Save with a 5-byte key = %v, want ErrInvalid", err)
		}
	})
}

// swapSealed moves the sealed client secret of the vWAN spoke into the
// VPN's pre-shared key, and reseals the document: a sealed value is bound
// to where it belongs.
func swapSealed(t *testing.T, doc []byte) []byte {
	t.Helper()
	value := func(field string) string {
		m := regexp.MustCompile(`"` + field + `": "([^"]+)"`).FindSubmatch(doc)
		if m == nil {
			t.Fatalf("no sealed %s in the document", field)
		}
		return string(m[1])
	}
	psk, cs := value("psk"), value("clientSecret")
	return flex.ResealStateForTest(bytes.Replace(doc, []byte(psk), []byte(cs), 1))
}

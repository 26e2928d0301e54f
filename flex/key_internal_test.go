package flex

import (
	"encoding/base64"
	"net/netip"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/rule"
)

// FuzzParseRSAKey: parseRSAKey never panics, accepts only RSA keys of the
// sizes a key vault takes, reports every refusal as KEY-1, and never
// echoes its input (SEC-1).
func FuzzParseRSAKey(f *testing.F) {
	// Seeds are cheap inputs: a well-formed key makes every mutation a
	// full RSA key check, which the unit tests cover.
	f.Add("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK==\n-----END RSA PRIVATE KEY-----\n")
	f.Add(base64.StdEncoding.EncodeToString([]byte{0x30, 0x82, 0x01, 0x0a, 0x02, 0x01, 0x00}))
	f.Add("-----BEGIN SECRETMARKER-----\nAAAA\n-----END SECRETMARKER-----\n")
	f.Add("-----BEGIN RSA PRIVATE KEY-----\nSECRETMARKER\n-----END RSA PRIVATE KEY-----\n")
	f.Add("SECRETMARKER")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		key, err := parseRSAKey(s)
		if err == nil {
			if bits := key.N.BitLen(); bits != 2048 && bits != 3072 && bits != 4096 {
				t.Fatalf("accepted a %d-bit key", bits)
			}
			return
		}
		if ids := rule.IDs(err); len(ids) != 1 || ids[0] != "KEY-1" {
			t.Fatalf("rules %v; want KEY-1", ids)
		}
		msg := err.Error()
		if strings.Contains(msg, "SECRETMARKER") || (len(strings.TrimSpace(s)) >= 12 && strings.Contains(msg, strings.TrimSpace(s))) {
			t.Fatalf("SEC-1: the error %q echoes the input", msg)
		}
	})
}

// Property: subnetBits returns the smallest subnet, at least a /28, with
// room for the machines (NET-14), checked against a brute-force search.
func TestSubnetBitsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.IntRange(0, 1<<22).Draw(t, "machines")
		want := 28
		for want > 2 && ipam.Usable(netip.PrefixFrom(netip.IPv4Unspecified(), want)) < m {
			want--
		}
		got := subnetBits(m)
		if got != want {
			t.Fatalf("subnetBits(%d) = /%d; want /%d", m, got, want)
		}
		if u := ipam.Usable(netip.PrefixFrom(netip.IPv4Unspecified(), got)); got > 2 && u < m {
			t.Fatalf("/%d has %d addresses for %d machines", got, u, m)
		}
	})
}

// Property: armName makes every string a valid network resource name of
// at most max characters (letters, digits, '_', '.', '-', starting with a
// letter or digit and ending with a letter, digit or '_'), leaves valid
// names alone, and is deterministic.
func TestArmNameProperty(t *testing.T) {
	valid := func(s string, max int) bool {
		if s == "" || len(s) > max {
			return false
		}
		isAlnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }
		if !isAlnum(s[0]) || !(isAlnum(s[len(s)-1]) || s[len(s)-1] == '_') {
			return false
		}
		for i := 0; i < len(s); i++ {
			if c := s[i]; !isAlnum(c) && c != '_' && c != '.' && c != '-' {
				return false
			}
		}
		return true
	}
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.String().Draw(t, "s")
		max := rapid.IntRange(12, 90).Draw(t, "max")
		got := armName(s, max)
		if !valid(got, max) {
			t.Fatalf("armName(%q, %d) = %q is not a valid name", s, max, got)
		}
		if got != armName(s, max) {
			t.Fatal("not deterministic")
		}
		if valid(s, max) && got != s {
			t.Fatalf("valid name %q changed to %q", s, got)
		}
	})
}

// Property: uniqueARMName gives valid names, leaves valid names alone, and
// keeps apart names that armName alone would merge.
func TestUniqueARMNameProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.StringMatching(`[a-z()._-]{1,20}`).Draw(t, "a")
		b := rapid.StringMatching(`[a-z()._-]{1,20}`).Draw(t, "b")
		na, nb := uniqueARMName("flex-t-connection-"+a, 80), uniqueARMName("flex-t-connection-"+b, 80)
		if a != b && na == nb {
			t.Fatalf("%q and %q both give %q", a, b, na)
		}
		if armName(na, 80) != na {
			t.Fatalf("%q is not a valid name", na)
		}
	})
}

package ipam_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/daasflex/daasflex/ipam"
)

// FuzzParsePrefix checks that ParsePrefix never panics, that every error is
// a *ParseError carrying the input, and that it accepts exactly what
// netip.ParsePrefix accepts minus the non-canonical and IPv4-mapped
// prefixes; an accepted prefix is canonical and parses back from its
// String.
func FuzzParsePrefix(f *testing.F) {
	for _, s := range []string{
		"10.0.0.0/24", "10.0.0.1/24", "0.0.0.0/0", "255.255.255.255/32", "10.0.0.0/33", "", " ",
		"10.0.0.0", "10.0.0.0/", "10.0.0.0/08", "10.0.0.0/-0", "2001:db8::/32", "2001:db8::1/32",
		"::ffff:10.0.0.0/104", "::ffff:0:0/96", "fe80::%eth0/64", "fe80::1%/64", "::/0", "1.2.3.4/32/1",
		"010.0.0.0/8", "2001:DB8::/32", "::/129", "1.2.3.4/4294967328",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ipam.ParsePrefix(s)
		std, stdErr := netip.ParsePrefix(s)
		wantOK := stdErr == nil && std.Masked() == std && !std.Addr().Is4In6()
		if err != nil {
			var pe *ipam.ParseError
			if !errors.As(err, &pe) || pe.Input != s || pe.Kind == nil || !errors.Is(err, pe.Kind) {
				t.Fatalf("ParsePrefix(%q) error %#v is not a *ParseError of the input with a kind", s, err)
			}
			if wantOK {
				t.Fatalf("ParsePrefix(%q) = %v, but it is a canonical prefix %v", s, err, std)
			}
			return
		}
		if !wantOK || p != std {
			t.Fatalf("ParsePrefix(%q) = %v, but netip.ParsePrefix gives %v, %v", s, p, std, stdErr)
		}
		if p.Masked() != p {
			t.Fatalf("ParsePrefix(%q) = %v is not canonical", s, p)
		}
		if q, err := ipam.ParsePrefix(p.String()); err != nil || q != p {
			t.Fatalf("ParsePrefix(%q) = %v, %v; want %v", p.String(), q, err, p)
		}
	})
}

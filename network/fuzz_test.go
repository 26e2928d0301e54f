package network_test

import (
	"testing"

	"github.com/daasflex/daasflex/network"
)

// FuzzParseRoute checks that ParseRoute never panics, that a parsed route
// prints as text that parses back to the same route, and that validating
// it never panics.
func FuzzParseRoute(f *testing.F) {
	for _, s := range []string{
		"fw,0.0.0.0/0,VirtualAppliance,10.0.0.4",
		"on-prem,10.20.0.0/16,Virtual network gateway",
		"blackhole,10.30.0.0/16,None,,disabled",
		"web,10.1.0.0/16,Internet,enabled",
		" x , fd00::/8 , vnetlocal , ::1 , Disabled ",
		"a,b,c,d,e",
		",,,,",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := network.ParseRoute(s)
		if err != nil {
			return
		}
		back, err := network.ParseRoute(r.String())
		if err != nil {
			t.Fatalf("ParseRoute(%q) = %v, but its String %q does not parse: %v", s, r, r.String(), err)
		}
		if back != r {
			t.Fatalf("round trip of %q: %#v then %#v", s, r, back)
		}
		_ = r.Validate(nil)
	})
}

package network_test

import (
	"net/netip"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/daasflex/daasflex/ipam"
)

// cmpNet compares netip values and secrets by ==.
var cmpNet = cmp.Options{cmpopts.EquateComparable(netip.Prefix{}, netip.Addr{}, netip.AddrPort{})}

// cmpEmpty treats nil and empty slices as equal.
var cmpEmpty = cmpopts.EquateEmpty()

func pfx(s string) netip.Prefix { return ipam.MustParsePrefix(s) }

func pfxs(ss ...string) []netip.Prefix {
	ps := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		ps[i] = pfx(s)
	}
	return ps
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

package flextest_test

import (
	"net/netip"
	"testing"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/ipam"
)

// canonical fails t unless p is a canonical IPv4 prefix that ParsePrefix
// reads back from its String.
func canonical(t *rapid.T, p netip.Prefix) {
	t.Helper()
	if !p.IsValid() || !p.Addr().Is4() || p.Masked() != p {
		t.Fatalf("%v is not a canonical IPv4 prefix", p)
	}
	if q, err := ipam.ParsePrefix(p.String()); err != nil || q != p {
		t.Fatalf("ParsePrefix(%q) = %v, %v", p, q, err)
	}
}

// Property: Prefix draws canonical IPv4 prefixes of the lengths asked for.
func TestPrefixIsCanonical(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		lo := rapid.IntRange(0, 32).Draw(t, "lo")
		hi := rapid.IntRange(lo, 32).Draw(t, "hi")
		p := flextest.Prefix(lo, hi).Draw(t, "p")
		canonical(t, p)
		if p.Bits() < lo || p.Bits() > hi {
			t.Fatalf("%v: length outside %d–%d", p, lo, hi)
		}
	})
}

// Property: PrefixIn draws canonical prefixes inside within.
func TestPrefixInStaysInside(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		within := flextest.Prefix(0, 32).Draw(t, "within")
		hi := rapid.IntRange(within.Bits(), 32).Draw(t, "hi")
		lo := rapid.IntRange(0, hi).Draw(t, "lo")
		p := flextest.PrefixIn(within, lo, hi).Draw(t, "p")
		canonical(t, p)
		if !within.Contains(p.Addr()) || p.Bits() < max(lo, within.Bits()) || p.Bits() > hi {
			t.Fatalf("PrefixIn(%v, %d, %d) drew %v", within, lo, hi, p)
		}
	})
}

// Property: PrivatePrefix draws canonical RFC 1918 prefixes that include
// nothing Azure reserves (AZ-1).
func TestPrivatePrefix(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		hi := rapid.IntRange(8, 32).Draw(t, "hi")
		lo := rapid.IntRange(0, hi).Draw(t, "lo")
		p := flextest.PrivatePrefix(lo, hi).Draw(t, "p")
		canonical(t, p)
		if !ipam.IsRFC1918(p) || p.Bits() < lo || p.Bits() > hi {
			t.Fatalf("PrivatePrefix(%d, %d) drew %v", lo, hi, p)
		}
		if r, bad := ipam.AzureReserved(p); bad {
			t.Fatalf("%v includes %v, which Azure reserves", p, r) // RULE AZ-1
		}
	})
}

// Property: a plan from DisjointPlan is pairwise disjoint (CheckDisjoint
// agrees, NET-4), adds to a Space in any order, stays in its range with
// the lengths asked for, and labels every entry with its own owner.
func TestDisjointPlan(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		within := flextest.PrivatePrefix(8, 24).Draw(t, "within")
		hi := rapid.IntRange(within.Bits(), 32).Draw(t, "hi")
		lo := rapid.IntRange(0, hi).Draw(t, "lo")
		max := rapid.IntRange(0, 40).Draw(t, "max")
		plan := flextest.DisjointPlan(within, lo, hi, max).Draw(t, "plan")
		if len(plan) > max {
			t.Fatalf("%d entries, want at most %d", len(plan), max)
		}
		owners := map[string]bool{}
		for i, e := range plan {
			canonical(t, e.Prefix)
			if !within.Contains(e.Prefix.Addr()) || e.Prefix.Bits() < lo || e.Prefix.Bits() > hi {
				t.Fatalf("entry %v outside %v or lengths %d–%d", e, within, lo, hi)
			}
			if e.Owner == "" || owners[e.Owner] {
				t.Fatalf("entry %v: owner empty or used twice", e)
			}
			owners[e.Owner] = true
			for _, o := range plan[:i] {
				if o.Prefix.Overlaps(e.Prefix) {
					t.Fatalf("%v overlaps %v", e, o) // RULE NET-4
				}
			}
		}
		if err := ipam.CheckDisjoint(plan...); err != nil {
			t.Fatalf("CheckDisjoint: %v", err) // RULE NET-4
		}
		var s ipam.Space
		for _, i := range rapid.Permutation(indexes(len(plan))).Draw(t, "order") {
			if err := s.Add(plan[i].Owner, plan[i].Prefix); err != nil {
				t.Fatalf("Space.Add(%v): %v", plan[i], err)
			}
		}
		if got := flextest.MustSpace(plan).Len(); got != len(plan) {
			t.Fatalf("MustSpace holds %d entries, want %d", got, len(plan))
		}
	})
}

// A plan can fill its range: 16 /28s fill a /24, and no more fit.
func TestDisjointPlanFillsItsRange(t *testing.T) {
	within := netip.MustParsePrefix("10.1.2.0/24")
	rapid.Check(t, func(t *rapid.T) {
		plan := flextest.DisjointPlan(within, 28, 28, 20).Draw(t, "plan")
		if len(plan) > 16 {
			t.Fatalf("%d /28s in a /24", len(plan))
		}
	})
	full := false
	for i := range 200 {
		if len(flextest.DisjointPlan(within, 28, 28, 20).Example(i)) == 16 {
			full = true
			break
		}
	}
	if !full {
		t.Error("no plan of 200 filled the /24 with 16 /28s")
	}
}

func indexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func TestGeneratorsPanicOnImpossibleLengths(t *testing.T) {
	p := netip.MustParsePrefix("10.0.0.0/16")
	for name, f := range map[string]func(){
		"Prefix 33":              func() { flextest.Prefix(0, 33) },
		"Prefix min > max":       func() { flextest.Prefix(20, 10) },
		"PrefixIn not canonical": func() { flextest.PrefixIn(netip.MustParsePrefix("10.0.0.1/16"), 16, 24) },
		"PrefixIn max < within":  func() { flextest.PrefixIn(p, 8, 12) },
		"PrivatePrefix max < 8":  func() { flextest.PrivatePrefix(0, 7) },
		"DisjointPlan negative":  func() { flextest.DisjointPlan(p, 16, 24, -1) },
		"DisjointPlan IPv6":      func() { flextest.DisjointPlan(netip.MustParsePrefix("2001:db8::/32"), 40, 48, 3) },
		"MustSpace overlap": func() {
			flextest.MustSpace([]ipam.Entry{{Owner: "a", Prefix: p}, {Owner: "b", Prefix: p}})
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

package ipam_test

import (
	"errors"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/rule"
)

func TestAddAllNET4(t *testing.T) {
	var s ipam.Space
	if err := s.Add("customer VNet hub-vnet", mp("10.0.0.0/16")); err != nil {
		t.Fatal(err)
	}
	before := s.Entries()
	err := s.AddAll(
		ipam.Entry{Owner: "Flex connection east", Prefix: mp("192.168.0.0/24")},
		ipam.Entry{Owner: "Flex connection west", Prefix: mp("10.0.0.0/24")},
		ipam.Entry{Owner: "on-premises", Prefix: mp("192.168.0.0/16")},
		ipam.Entry{Owner: "branch", Prefix: mp("172.16.0.0/12")},
	)
	// RULE NET-4: every overlap at once, between the new ranges and with
	// the ranges in use, each naming both ranges and the other's owner.
	want := []*rule.Violation{
		{ID: "NET-4", Msg: "192.168.0.0/16 of on-premises overlaps 192.168.0.0/24 owned by Flex connection east; address ranges must not share any address"},
		{ID: "NET-4", Msg: "10.0.0.0/24 of Flex connection west overlaps 10.0.0.0/16 owned by customer VNet hub-vnet; address ranges must not share any address"},
	}
	if diff := cmp.Diff(want, rule.Violations(err)); diff != "" {
		t.Errorf("AddAll violations (-want +got):\n%s", diff)
	}
	// Nothing was added, not even the ranges without a problem.
	if diff := cmp.Diff(before, s.Entries(), cmpOpts); diff != "" {
		t.Errorf("a refused AddAll changed the Space (-before +after):\n%s", diff)
	}
}

func TestAddAllRefusesBadPrefixes(t *testing.T) {
	var s ipam.Space
	err := s.AddAll(
		ipam.Entry{Owner: "a", Prefix: mp("10.0.0.0/24")},
		ipam.Entry{Owner: "b", Prefix: netip.MustParsePrefix("10.0.1.7/24")},
		ipam.Entry{Owner: "c"},
	)
	if !errors.Is(err, ipam.ErrNotCanonical) || !errors.Is(err, ipam.ErrSyntax) {
		t.Errorf("AddAll = %v; want both ErrNotCanonical and ErrSyntax", err)
	}
	if got := problemCount(err); got != 2 {
		t.Errorf("AddAll reported %d problems, want 2: %v", got, err)
	}
	if s.Len() != 0 {
		t.Errorf("a refused AddAll left %d entries", s.Len())
	}
}

// TestAddAllMatchesAdd: AddAll of disjoint entries, in any order and in
// both of its sorting paths, builds the Space that Add builds one by one,
// and the Space goes on working after it.
func TestAddAllMatchesAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var es []ipam.Entry
	for i, n := range r.Perm(4096)[:3000] {
		owner := []string{"hub", "spoke", "on-premises", ""}[i%4]
		es = append(es, ipam.Entry{Owner: owner, Prefix: slot(n)})
	}
	es = append(es, ipam.Entry{Owner: "v6", Prefix: mp("2001:db8::/64")}, ipam.Entry{Owner: "v6", Prefix: mp("::/120")})
	var want ipam.Space
	for _, e := range es[:1000] {
		if err := want.Add(e.Owner, e.Prefix); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range es[1000:] {
		if err := want.Add(e.Owner, e.Prefix); err != nil {
			t.Fatal(err)
		}
	}
	for _, limit := range []int{1 << 24, 1} {
		restore := ipam.SetPackedLimit(limit)
		var s ipam.Space
		if err := s.AddAll(es[:1000]...); err != nil {
			t.Fatal(err)
		}
		if err := s.AddAll(es[1000:]...); err != nil { // merged with entries in use
			t.Fatal(err)
		}
		restore()
		if diff := cmp.Diff(want.Entries(), s.Entries(), cmpOpts, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("packed limit %d: AddAll (-Add +AddAll):\n%s", limit, diff)
		}
		if err := ipam.CheckInvariants(&s); err != nil {
			t.Fatalf("packed limit %d: %v", limit, err)
		}
		a, err := s.Allocate("next", benchPool, 28)
		b, _ := want.Allocate("next", benchPool, 28)
		if err != nil || a != b {
			t.Errorf("packed limit %d: Allocate after AddAll = %v, %v; after Add %v", limit, a, err, b)
		}
		want.Remove(a)
	}
}

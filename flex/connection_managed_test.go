package flex_test

import (
	"testing"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

// The managed network of a catalog on No connectivity: created on first
// use in the owner's resource group, a subnet with an NSG per user, and
// nothing left once the last subnet goes.
func TestManagedNetwork(t *testing.T) {
	e := newEnv(t, nil)
	s, err := e.tn.ManagedSubnetForTest(e.ctx, flexSub, testRegion, "catalog/Sales", 40, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Prefix.Bits(); got != 26 {
		t.Errorf("subnet for 40 machines is a /%d; want /26 (59 usable, the smallest with room)", got)
	}
	owned := e.owned("catalog/Sales")
	counts := map[flex.ResourceType]int{}
	for _, r := range owned {
		counts[r.Metadata().ID.Type]++
	}
	want := map[flex.ResourceType]int{flex.TypeResourceGroup: 1, flex.TypeVirtualNetwork: 1, flex.TypeRouteTable: 1, flex.TypeSecurityGroup: 1}
	for typ, n := range want {
		if counts[typ] != n {
			t.Errorf("%d %s tagged catalog/Sales; want %d (all: %v)", counts[typ], typ, n, ids(owned))
		}
	}

	// RULE FW-1: a non-domain-joined subnet denies all inbound, VDA to VDA
	// included.
	a, b := nth(s.Prefix, 4), nth(s.Prefix, 5)
	d, err := e.view.Allowed(a, b, network.TCP, 3389)
	if err != nil {
		t.Fatal(err)
	}
	if d.Allowed() {
		t.Errorf("FW-1: RDP VDA to VDA on a non-domain-joined subnet: %v; want Deny", d)
	}
	d, err = e.view.Allowed(a, b, network.TCP, 443)
	if err != nil {
		t.Fatal(err)
	}
	if d.Allowed() {
		t.Errorf("FW-1: 443 VDA to VDA on a non-domain-joined subnet: %v; want Deny", d)
	}

	// A second owner's managed network never overlaps the first (NET-4).
	s2, err := e.tn.ManagedSubnetForTest(e.ctx, flexSub, testRegion, "image/Win11", 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Prefix.Overlaps(s.Prefix) {
		t.Errorf("NET-4: managed networks overlap: %v and %v", s2.Prefix, s.Prefix)
	}

	if err := e.tn.RemoveSubnetForTest(e.ctx, "catalog/Sales", s); err != nil {
		t.Fatal(err)
	}
	if left := e.owned("catalog/Sales"); len(left) != 1 || left[0].Metadata().ID.Type != flex.TypeResourceGroup {
		t.Errorf("after its last subnet went, catalog/Sales still holds %v; want only its resource group", ids(left))
	}
}

package flex_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

func peeringSpec(e *env, name, rng string) network.PeeringSpec {
	return network.PeeringSpec{
		Name:       name,
		Region:     testRegion,
		RemoteVNet: e.customerVNet("hub-vnet", "10.0.0.0/16"),
		Range:      pfx(rng),
		DNS:        []netip.Addr{addr("10.0.0.4")},
		Routes:     []network.Route{network.MustParseRoute("to-fw,10.20.0.0/16,VirtualAppliance,10.0.0.10")},
	}
}

// A VNet peering connection end to end: created with its VNet, route table
// and both peerings, used by a domain-joined catalog's subnet, refused
// deletion while used, deleted with nothing left.
func TestPeeringConnectionLifecycle(t *testing.T) {
	e := newEnv(t, nil)
	c, err := e.tn.CreateConnection(e.ctx, flexSub, peeringSpec(e, "hub-peering", "192.168.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Status.State != network.StateComplete { // RULE API-2
		t.Errorf("state %v; want Complete", c.Status)
	}
	if c.Status.TransactionID == "" {
		t.Error("NET-12: the status carries no transaction ID")
	}
	if c.UsableAddresses != 251 { // RULE NET-14
		t.Errorf("usable addresses %d; want 251 for a /24", c.UsableAddresses)
	}
	owned := e.owned("connection/hub-peering")
	var types []flex.ResourceType
	for _, r := range owned {
		types = append(types, r.Metadata().ID.Type)
	}
	want := []flex.ResourceType{flex.TypeResourceGroup, flex.TypeRouteTable, flex.TypeVirtualNetwork, flex.TypePeering, flex.TypePeering}
	if diff := cmp.Diff(sorted(want), sorted(types)); diff != "" {
		t.Errorf("resources of the connection (-want +got):\n%s\n%v", diff, ids(owned))
	}
	for _, r := range owned {
		if p, ok := r.(*flex.Peering); ok && !p.Connected {
			t.Errorf("NET-7: peering %s is not connected in both directions", p.ID)
		}
		if rt, ok := r.(*flex.RouteTable); ok {
			wantRoutes := []flex.Route{{Name: "to-fw", Prefix: pfx("10.20.0.0/16"), NextHop: "VirtualAppliance", NextHopIP: addr("10.0.0.10")}}
			if diff := cmp.Diff(wantRoutes, rt.Routes, cmpAddr); diff != "" { // RULE NET-6
				t.Errorf("route table (-want +got):\n%s", diff)
			}
		}
	}

	s, err := e.tn.ConnectionSubnetForTest(e.ctx, flexSub, "hub-peering", "catalog/Sales", 10, true)
	if err != nil {
		t.Fatal(err)
	}
	vda, vda2, dc := nth(s.Prefix, 4), nth(s.Prefix, 5), addr("10.0.0.5")
	for _, tc := range []struct {
		name   string
		src    netip.Addr
		port   uint16
		allows bool
	}{
		{"FW-2 citrix ports inside the VNet", vda2, 443, true},
		{"FW-2 shadowing from the connected network", dc, 50000, true},
		{"FW-2 RDP between VDAs is blocked", vda2, 3389, false},
		{"FW-2 other inbound from the customer is denied", dc, 3389, false},
	} {
		d, err := e.view.Allowed(tc.src, vda, network.TCP, tc.port) // RULE FW-2
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if d.Allowed() != tc.allows {
			t.Errorf("%s: %v; want allowed=%v", tc.name, d, tc.allows)
		}
	}

	// RULE NET-8: refused while a catalog uses it.
	err = e.tn.DeleteConnection(e.ctx, "hub-peering")
	if !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "NET-8") {
		t.Fatalf("delete while used: %v; want ErrPrecondition NET-8", err)
	}
	cs, _ := e.tn.Connections(e.ctx)
	if len(cs) != 1 || cs[0].Usage.Catalogs != 1 { // RULE NET-15
		t.Errorf("connections %v; want one used by one catalog", cs)
	}
	if err := e.tn.RemoveSubnetForTest(e.ctx, "hub-peering", s); err != nil {
		t.Fatal(err)
	}
	if err := e.tn.DeleteConnection(e.ctx, "hub-peering"); err != nil {
		t.Fatal(err)
	}
	if left := e.tenantResources(); len(left) != 0 {
		t.Errorf("left after the delete: %v", ids(left))
	}
	if cs, _ := e.tn.Connections(e.ctx); len(cs) != 0 {
		t.Errorf("connections after the delete: %v", cs)
	}
}

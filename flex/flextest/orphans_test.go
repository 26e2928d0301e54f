package flextest_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/network"
)

// custAzure is the Azure subscription of the customer's own network.
const custAzure = "c0570000-0000-4000-8000-00000000c057"

// TestAssertNoOrphansCustomerSide: a VNet peering connection puts the
// peering back in the customer's VNet, in the customer's subscription,
// tagged for the tenant and the connection; it belongs to the connection
// while the connection lives (NET-7), and is an orphan otherwise.
func TestAssertNoOrphansCustomerSide(t *testing.T) {
	ctx := t.Context()
	tn, cloud, _ := flextest.NewTenant(t)
	g := flex.GroupID(custAzure, "cust-rg")
	vnet := flex.ResourceID{Subscription: custAzure, ResourceGroup: "cust-rg", Type: flex.TypeVirtualNetwork, Name: "cust-vnet"}
	other := flex.ResourceID{Subscription: custAzure, ResourceGroup: "cust-rg", Type: flex.TypeVirtualNetwork, Name: "cust-other"}
	for _, r := range []flex.Resource{
		&flex.ResourceGroup{Meta: flex.Meta{ID: g, Region: network.WestEurope}},
		&flex.VirtualNetwork{Meta: flex.Meta{ID: vnet, Region: network.WestEurope},
			AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
			Subnets:      []flex.Subnet{{Name: "default", Prefix: netip.MustParsePrefix("10.0.0.0/24")}}},
		&flex.VirtualNetwork{Meta: flex.Meta{ID: other, Region: network.WestEurope},
			AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}},
	} {
		if _, err := cloud.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	_, err := tn.CreateConnection(ctx, flextest.SubscriptionName, network.PeeringSpec{
		Name: "hub", Region: network.WestEurope,
		RemoteVNet: network.ResourceID{Subscription: custAzure, ResourceGroup: "cust-rg", Type: "virtualNetworks", Name: "cust-vnet"},
		Range:      netip.MustParsePrefix("192.168.0.0/24"),
		DNS:        []netip.Addr{netip.MustParseAddr("10.0.0.4")},
	})
	if err != nil {
		t.Fatal(err)
	}
	var back []string
	for _, r := range cloud.Resources(flex.Filter{Subscription: custAzure, Type: flex.TypePeering}) {
		back = append(back, r.Metadata().ID.String())
	}
	if len(back) != 1 {
		t.Fatalf("peerings in the customer's subscription: %v, want the one back", back)
	}
	r := newRecorder(t)
	flextest.AssertNoOrphans(r, cloud, tn)
	if len(r.errors) != 0 {
		t.Errorf("AssertNoOrphans with a live peering connection reports:\n%s", r.text())
	}

	// A peering in the customer's VNet tagged for a connection that is
	// not live, and one tagged for the live connection in a VNet it does
	// not peer with, are orphans.
	tags := func(owner string) map[string]string {
		return map[string]string{flex.TagTenant: flextest.TenantID, flex.TagOwner: owner}
	}
	for _, p := range []*flex.Peering{
		{Meta: flex.Meta{ID: vnet.Child(flex.TypePeering, "flex-stray"), Tags: tags("connection/gone")}, Remote: other},
		{Meta: flex.Meta{ID: other.Child(flex.TypePeering, "flex-misplaced"), Tags: tags("connection/hub")}, Remote: vnet},
	} {
		if _, err := cloud.Put(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	r = newRecorder(t)
	flextest.AssertNoOrphans(r, cloud, tn)
	for _, want := range []string{"cust-vnet/flex-stray", "cust-other/flex-misplaced"} {
		if !strings.Contains(r.text(), want) {
			t.Errorf("AssertNoOrphans does not report %s:\n%s", want, r.text())
		}
	}
}

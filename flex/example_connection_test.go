package flex_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// exampleTenant returns a tenant on an in-memory cloud with the
// subscription "Citrix Managed" and the customer's VNet "hub-vnet"
// (10.0.0.0/16), which it returns in the network package's form.
func exampleTenant() (*flex.Tenant, *fake.Cloud, network.ResourceID) {
	ctx := context.Background()
	clock := fake.NewClock(time.Date(2026, 5, 11, 10, 0, 0, 0, time.UTC))
	cloud := fake.New(fake.WithClock(clock))
	t := flex.NewTenant(cloud.Scope("contoso"), flex.WithID("contoso"), flex.WithClock(clock.Now))
	if _, err := t.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Citrix Managed", AzureID: "22222222-2222-2222-2222-222222222222"}); err != nil {
		panic(err)
	}
	const customer = "11111111-1111-1111-1111-111111111111"
	_, _ = cloud.Put(ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(customer, "corp"), Region: network.WestEurope}})
	_, err := cloud.Put(ctx, &flex.VirtualNetwork{
		Meta:         flex.Meta{ID: flex.ResourceID{Subscription: customer, ResourceGroup: "corp", Type: flex.TypeVirtualNetwork, Name: "hub-vnet"}, Region: network.WestEurope},
		AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
	})
	if err != nil {
		panic(err)
	}
	return t, cloud, network.ResourceID{Subscription: customer, ResourceGroup: "corp", Type: "virtualNetworks", Name: "hub-vnet"}
}

func examplePeering(t *flex.Tenant, remote network.ResourceID) flex.Connection {
	c, err := t.CreateConnection(context.Background(), "Citrix Managed", network.PeeringSpec{
		Name:       "hub-peering",
		Region:     network.WestEurope,
		RemoteVNet: remote,
		Range:      netip.MustParsePrefix("192.168.0.0/24"),
		DNS:        []netip.Addr{netip.MustParseAddr("10.0.0.4")},
		Routes:     []network.Route{network.MustParseRoute("to-firewall,10.20.0.0/16,VirtualAppliance,10.0.0.10")},
	})
	if err != nil {
		panic(err)
	}
	return c
}

func ExampleTenant_CreateConnection() {
	t, cloud, remote := exampleTenant()
	c := examplePeering(t, remote)
	fmt.Println(c)
	fmt.Println(c.UsableAddresses, "addresses for machines")
	for typ, n := range cloud.Count(flex.Filter{Tags: map[string]string{flex.TagOwner: "connection/hub-peering"}}) {
		if typ == flex.TypePeering {
			fmt.Println(n, "peerings, one each way")
		}
	}

	// The docs' counter-example: 10.0.0.0/24 overlaps the peered VNet.
	_, err := t.CreateConnection(context.Background(), "Citrix Managed", network.PeeringSpec{
		Name: "overlap", Region: network.WestEurope, RemoteVNet: remote,
		Range: netip.MustParsePrefix("10.0.0.0/24"), DNS: []netip.Addr{netip.MustParseAddr("10.0.0.4")},
	})
	fmt.Println(errors.Is(err, flex.ErrInvalid), rule.IDs(err))
	// Output:
	// connection "hub-peering" (VnetPeering, westeurope, [192.168.0.0/24]): Ready to use
	// 251 addresses for machines
	// 2 peerings, one each way
	// true [NET-4]
}

func ExampleTenant_UpdateConnection() {
	t, cloud, remote := exampleTenant()
	examplePeering(t, remote)
	ctx := context.Background()

	c, err := t.UpdateConnection(ctx, "hub-peering", flex.ConnectionUpdate{
		AddRoutes: []network.Route{network.MustParseRoute("internet,0.0.0.0/0,Internet")},
		DNS:       []netip.Addr{netip.MustParseAddr("10.0.0.5")},
		NAT:       &network.NATGateway{Enabled: true, IdleTimeout: 10},
	})
	if err != nil {
		panic(err)
	}
	for _, w := range c.Warnings {
		fmt.Println(w.ID)
	}
	fmt.Println("NAT public IP:", c.NATPublicIP)
	rts := cloud.Resources(flex.Filter{Type: flex.TypeRouteTable, Tags: map[string]string{flex.TagOwner: "connection/hub-peering"}})
	for _, r := range rts[0].(*flex.RouteTable).Routes {
		fmt.Println(r.Name, r.Prefix, r.NextHop)
	}

	// Deleting a route needs the acknowledgement that sessions may be
	// disrupted (NET-6).
	_, err = t.UpdateConnection(ctx, "hub-peering", flex.ConnectionUpdate{DeleteRoutes: []string{"to-firewall"}})
	fmt.Println(rule.IDs(err))
	_, err = t.UpdateConnection(ctx, "hub-peering", flex.ConnectionUpdate{DeleteRoutes: []string{"to-firewall"}, Ack: network.SessionsMayBeDisrupted})
	fmt.Println(err)
	// Output:
	// NET-3
	// NAT public IP: 192.0.2.1
	// to-firewall 10.20.0.0/16 VirtualAppliance
	// internet 0.0.0.0/0 Internet
	// [NET-6]
	// <nil>
}

func ExampleTenant_RetryConnection() {
	t, _, remote := exampleTenant()
	examplePeering(t, remote)
	// Nothing failed, so there is nothing to retry alone (NET-12).
	_, err := t.RetryConnection(context.Background(), "hub-peering")
	fmt.Println(errors.Is(err, flex.ErrPrecondition), rule.IDs(err))
	// Output: true [NET-12]
}

func ExampleTenant_ResetConnection() {
	t, _, _ := exampleTenant()
	ctx := context.Background()
	_, err := t.CreateConnection(ctx, "Citrix Managed", network.VPNSpec{
		Name:            "branch-vpn",
		Region:          network.WestEurope,
		DeviceIP:        netip.MustParseAddr("52.1.2.3"),
		AllowedNetworks: []netip.Prefix{netip.MustParsePrefix("10.50.0.0/16")},
		PSK:             secret.New("Sup3rS3cretPSK!"),
		SKU:             network.SKUVpnGw1,
		VDASubnet:       netip.MustParsePrefix("172.20.0.0/24"),
		GatewaySubnet:   netip.MustParsePrefix("172.20.1.0/27"),
		DNS:             []netip.Addr{netip.MustParseAddr("10.50.0.4")},
	})
	if err != nil {
		panic(err)
	}
	c, err := t.ResetConnection(ctx, "branch-vpn")
	fmt.Println(c.Status.State.DisplayName(), err)
	fmt.Println(c.Warnings[0].ID)
	// Output:
	// Ready to use <nil>
	// NET-10
}

func ExampleTenant_DeleteConnection() {
	t, cloud, remote := exampleTenant()
	examplePeering(t, remote)
	if err := t.DeleteConnection(context.Background(), "hub-peering"); err != nil {
		panic(err)
	}
	fmt.Println(len(cloud.Resources(flex.Filter{Tags: map[string]string{flex.TagOwner: "connection/hub-peering"}})), "resources left")
	// Output: 0 resources left
}

func ExampleTenant_Connections() {
	t, _, remote := exampleTenant()
	examplePeering(t, remote)
	cs, err := t.Connections(context.Background())
	if err != nil {
		panic(err)
	}
	for _, c := range cs {
		fmt.Println(c.Name, c.Kind, c.Status.State, c.Usage)
	}
	// Output: hub-peering VnetPeering Complete 0 catalogs, 0 machines, 0 images, 0 bastions
}

func ExampleTenant_AddKey() {
	t, _, _ := exampleTenant()
	k, err := t.AddKey(context.Background(), flex.KeySpec{
		Subscription:   "Citrix Managed",
		Region:         network.EastUS,
		Name:           "disk-key",
		RotationPeriod: 30 * 24 * time.Hour,
	})
	fmt.Println(k.Name, k.Source, k.RotateBy.Format(time.DateOnly), err)

	// An imported key must parse as an RSA private key and match its
	// confirmation; neither is ever shown.
	_, err = t.AddKey(context.Background(), flex.KeySpec{
		Subscription: "Citrix Managed", Region: network.EastUS, Name: "typo",
		Key: secret.New("not a key"), Confirm: secret.New("not a key!"),
	})
	fmt.Println(err)
	// Output:
	// disk-key Generated 2026-06-10 <nil>
	// AddKey key "typo": invalid request: KEY-1: the confirmation does not match the key; enter the same key twice
	// KEY-1: the key is neither PEM nor base64 DER; want an RSA private key in one of them
}

func ExampleTenant_RotateKey() {
	t, _, _ := exampleTenant()
	ctx := context.Background()
	k, _ := t.AddKey(ctx, flex.KeySpec{Subscription: "Citrix Managed", Region: network.EastUS, Name: "disk-key"})
	r, err := t.RotateKey(ctx, "Citrix Managed", "disk-key")
	fmt.Println(r.Version != k.Version, err)
	// Output: true <nil>
}

func ExampleTenant_DeleteKey() {
	t, _, _ := exampleTenant()
	ctx := context.Background()
	_, _ = t.AddKey(ctx, flex.KeySpec{Subscription: "Citrix Managed", Region: network.EastUS, Name: "disk-key"})
	fmt.Println(t.DeleteKey(ctx, "Citrix Managed", "disk-key"))
	keys, _ := t.Keys(ctx)
	fmt.Println(len(keys), "keys")
	// Output:
	// <nil>
	// 0 keys
}

func ExampleTenant_Keys() {
	t, _, _ := exampleTenant()
	ctx := context.Background()
	_, _ = t.AddKey(ctx, flex.KeySpec{Subscription: "Citrix Managed", Region: network.EastUS, Name: "disk-key", RotationPeriod: flex.MinKeyRotation})
	keys, _ := t.Keys(ctx)
	fmt.Println(keys[0].Name, keys[0].RotationDue)
	// Output: disk-key false
}

func ExampleKeySpec_Validate() {
	err := flex.KeySpec{Subscription: "Citrix Managed", Region: network.EastUS, Name: "disk-key", RotationPeriod: 24 * time.Hour}.Validate()
	fmt.Println(err)
	// Output:
	// API-8: rotation period 24h0m0s is shorter than 7 days; want 7 days (168h0m0s) or more
}

func ExampleParseKeySource() {
	s, err := flex.ParseKeySource("imported")
	fmt.Println(s, err)
	// Output: Imported <nil>
}

package network_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
)

func ExampleAccess() {
	// Count what a managed VNet's generated rules allow and deny.
	p := network.FirewallPolicy{VNet: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/24")}}
	n := map[network.Access]int{}
	for _, r := range network.SecurityRules(p) {
		n[r.Access]++
	}
	a, err := network.ParseAccess("deny")
	fmt.Println(n[network.Allow], n[network.Deny], a, err)
	// Output:
	// 1 1 Deny <nil>
}

func ExampleAccess_IsValid() {
	var unset network.Access
	fmt.Println(network.Allow.IsValid(), network.Deny.IsValid(), unset.IsValid())
	// Output:
	// true true false
}

func ExampleAddress() {
	// A rule's sources and destinations: a service tag, a range or one host.
	for _, a := range []network.Address{
		network.TagAddress(network.TagVirtualNetwork),
		network.PrefixAddress(netip.MustParsePrefix("203.0.113.0/27")),
		network.HostAddress(netip.MustParseAddr("10.1.0.9")),
	} {
		fmt.Printf("%-16s tag=%q range=%v\n", a, a.Tag, a.Prefix.IsValid())
	}
	// Output:
	// VirtualNetwork   tag="VirtualNetwork" range=false
	// 203.0.113.0/27   tag="" range=true
	// 10.1.0.9/32      tag="" range=true
}

func ExampleHostAddress() {
	// Allow RDP from one jump host to the VNet (a customer rule).
	r := network.SecurityRule{
		Name: "AllowJumpHostRDP", Priority: 300, Direction: network.Inbound, Access: network.Allow,
		Protocol:         network.TCP,
		Sources:          []network.Address{network.HostAddress(netip.MustParseAddr("10.0.0.10"))},
		SourcePorts:      []network.PortRange{network.AnyPort()},
		Destinations:     []network.Address{network.TagAddress(network.TagVirtualNetwork)},
		DestinationPorts: []network.PortRange{network.Port(3389)},
	}
	fmt.Println(r, r.Validate())
	// Output:
	// 300 Inbound Allow Tcp 10.0.0.10/32:* -> VirtualNetwork:3389 AllowJumpHostRDP <nil>
}

func ExamplePrefixAddress() {
	a := network.PrefixAddress(netip.MustParsePrefix("10.20.0.0/16"))
	b, err := network.ParseAddress("10.20.0.0/16")
	fmt.Println(a, a == b, err)
	// Output:
	// 10.20.0.0/16 true <nil>
}

func ExampleTagAddress() {
	a := network.TagAddress(network.TagInternet)
	b, _ := network.ParseAddress("Internet")
	fmt.Println(a, a == b)
	// Output:
	// Internet true
}

func ExampleDecision() {
	p := network.FirewallPolicy{VNet: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/24")}}
	d := network.Evaluate(network.SecurityRules(p), network.Flow{
		Direction: network.Outbound, Protocol: network.TCP,
		Source: netip.MustParseAddr("10.1.0.4"), SourcePort: 50000,
		Destination: netip.MustParseAddr("93.184.216.34"), DestinationPort: 443,
		VirtualNetwork: p.VirtualNetwork(),
	})
	fmt.Println(d)
	fmt.Println(d.Access, d.Rule, d.Priority, d.Default, d.Allowed())
	// Output:
	// Allow by FlexAllowAllOutBound (priority 4096)
	// Allow FlexAllowAllOutBound 4096 false true
}

func ExampleDirection() {
	d, err := network.ParseDirection("outbound")
	fmt.Println(d, err)
	// Output:
	// Outbound <nil>
}

func ExampleDirection_IsValid() {
	var unset network.Direction
	fmt.Println(network.Inbound.IsValid(), unset.IsValid())
	// Output:
	// true false
}

func ExampleEffectiveRoute_Drops() {
	// A None route to a lab range black-holes its traffic.
	t, _ := network.NewRouteTable(nil, network.MustParseRoute("lab,10.30.0.0/16,None"))
	vnet := []netip.Prefix{netip.MustParsePrefix("10.1.0.0/24")}
	for _, dst := range []string{"10.30.1.1", "8.8.8.8"} {
		e, _ := t.Lookup(netip.MustParseAddr(dst), network.SystemRoutes(vnet, nil))
		fmt.Println(dst, e.Drops())
	}
	// Output:
	// 10.30.1.1 true
	// 8.8.8.8 false
}

func ExampleKind() {
	// What each kind of connection asks of the administrator.
	for _, k := range network.Kinds() {
		fmt.Printf("%-18s dns=%-5v azureDNS=%-5v nat=%-5v reset=%-5v name≤%d\n",
			k.DisplayName(), k.NeedsDNS(), k.AllowsAzureDNS(), k.SupportsNATGateway(), k.CanReset(), k.MaxNameLen())
	}
	// Output:
	// No connectivity    dns=false azureDNS=false nat=true  reset=false name≤64
	// VNet peering       dns=true  azureDNS=false nat=true  reset=false name≤64
	// Azure VPN gateway  dns=true  azureDNS=false nat=false reset=true  name≤54
	// Virtual WAN spoke  dns=true  azureDNS=true  nat=false reset=false name≤64
}

func ExampleKind_AllowsAzureDNS() {
	fmt.Println(network.KindVWanConnection.AllowsAzureDNS(), network.KindVnetPeering.AllowsAzureDNS())
	// Output:
	// true false
}

func ExampleKind_CanReset() {
	fmt.Println(network.KindAzureVpn.CanReset(), network.KindNone.CanReset())
	// Output:
	// true false
}

func ExampleKind_DisplayName() {
	k, _ := network.ParseKind("AzureVpn")
	fmt.Println(k.DisplayName())
	// Output:
	// Azure VPN gateway
}

func ExampleKind_IsValid() {
	fmt.Println(network.KindVnetPeering.IsValid(), network.Kind("ExpressRoute").IsValid())
	// Output:
	// true false
}

func ExampleKind_MaxNameLen() {
	fmt.Println(network.KindAzureVpn.MaxNameLen(), network.KindVWanConnection.MaxNameLen())
	// Output:
	// 54 64
}

func ExampleKind_NeedsDNS() {
	fmt.Println(network.KindNone.NeedsDNS(), network.KindVnetPeering.NeedsDNS())
	// Output:
	// false true
}

func ExampleKind_SupportsNATGateway() {
	fmt.Println(network.KindNone.SupportsNATGateway(), network.KindVnetPeering.SupportsNATGateway(), network.KindAzureVpn.SupportsNATGateway())
	// Output:
	// true true false
}

func ExampleNATGateway_Minutes() {
	fmt.Println(network.NATGateway{Enabled: true}.Minutes(), network.NATGateway{Enabled: true, IdleTimeout: 30}.Minutes())
	// Output:
	// 4 30
}

func ExampleNextHopType() {
	for _, t := range network.NextHopTypes() {
		fmt.Printf("%s (%s)\n", t, t.DisplayName())
	}
	// Output:
	// VirtualNetworkGateway (Virtual network gateway)
	// VnetLocal (Virtual network)
	// Internet (Internet)
	// VirtualAppliance (Virtual appliance)
	// None (None)
}

func ExampleNextHopType_DisplayName() {
	fmt.Println(network.NextHopVirtualAppliance.DisplayName())
	// Output:
	// Virtual appliance
}

func ExampleNextHopType_IsValid() {
	// VNetPeering appears in effective routes but no custom route may use it.
	fmt.Println(network.NextHopInternet.IsValid(), network.NextHopVNetPeering.IsValid())
	// Output:
	// true false
}

func ExampleNoConnectivitySpec_FlexRanges() {
	chosen := network.NoConnectivitySpec{Name: "lab", Region: network.EastUS, Range: netip.MustParsePrefix("172.16.0.0/24")}
	auto := network.NoConnectivitySpec{Name: "lab", Region: network.EastUS} // Citrix picks the range
	fmt.Println(chosen.FlexRanges(), auto.FlexRanges())
	// Output:
	// [172.16.0.0/24] []
}

func ExampleNoConnectivitySpec_Kind() {
	var s network.Spec = network.NoConnectivitySpec{Name: "lab", Region: network.EastUS}
	fmt.Println(s.Kind(), s.Kind().DisplayName())
	// Output:
	// None No connectivity
}

func ExampleNoConnectivitySpec_Warnings() {
	s := network.NoConnectivitySpec{Name: "lab", Region: network.EastUS}
	fmt.Println(s.Validate(nil), s.Warnings())
	// Output:
	// <nil> []
}

func peeringExample() network.PeeringSpec {
	return network.PeeringSpec{
		Name: "east", Region: network.EastUS,
		RemoteVNet: network.ResourceID{Subscription: "8f2c1a3e-1b2c-4d5e-8f90-123456789abc", ResourceGroup: "rg",
			Type: "virtualNetworks", Name: "hub-vnet"},
		RemoteAddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
		Range:              netip.MustParsePrefix("192.168.0.0/24"),
		DNS:                []netip.Addr{netip.MustParseAddr("10.0.0.4")},
	}
}

func ExamplePeeringSpec_FlexRanges() {
	// A connection's Flex ranges join the subscription's address space so
	// that the next connection cannot overlap them (NET-4).
	var used ipam.Space
	s := peeringExample()
	for _, p := range s.FlexRanges() {
		_ = used.Add(`connection "east"`, p)
	}
	next := network.NoConnectivitySpec{Name: "lab", Region: network.EastUS, Range: netip.MustParsePrefix("192.168.0.0/23")}
	fmt.Println(s.FlexRanges())
	fmt.Println(next.Validate(&used))
	// Output:
	// [192.168.0.0/24]
	// NET-4: Flex range 192.168.0.0/23 overlaps 192.168.0.0/24 owned by connection "east"; Flex ranges must not overlap any range in use
}

func ExamplePeeringSpec_Kind() {
	fmt.Println(peeringExample().Kind())
	// Output:
	// VnetPeering
}

func ExamplePeeringSpec_Warnings() {
	s := peeringExample()
	fmt.Println(s.Validate(nil), len(s.Warnings()))
	// Output:
	// <nil> 0
}

func ExamplePortRange() {
	// A rule's destination ports: one port, a range, or every port.
	for _, r := range []network.PortRange{network.Port(443), network.Ports(49152, 65535), network.AnyPort()} {
		fmt.Println(r, r.Contains(443), r.Contains(50000), r.IsAny())
	}
	// Output:
	// 443 true false false
	// 49152-65535 false true false
	// * true true true
}

func ExampleAnyPort() {
	r, _ := network.ParsePortRange("*")
	fmt.Println(network.AnyPort(), network.AnyPort() == r, network.AnyPort().Contains(1))
	// Output:
	// * true true
}

func ExamplePort() {
	r, _ := network.ParsePortRange("3389")
	fmt.Println(network.Port(3389), network.Port(3389) == r)
	// Output:
	// 3389 true
}

func ExamplePorts() {
	shadow := network.Ports(49152, 65535) // FW-2: Monitor shadowing
	fmt.Println(shadow, shadow.First, shadow.Last)
	// Output:
	// 49152-65535 49152 65535
}

func ExamplePortRange_Contains() {
	citrix := []network.PortRange{network.Port(80), network.Port(443), network.Port(1494), network.Port(2598)}
	for _, port := range []uint16{1494, 3389} {
		in := false
		for _, r := range citrix {
			in = in || r.Contains(port)
		}
		fmt.Println(port, in)
	}
	// Output:
	// 1494 true
	// 3389 false
}

func ExamplePortRange_IsAny() {
	fmt.Println(network.AnyPort().IsAny(), network.Ports(1, 65535).IsAny(), network.Port(443).IsAny())
	// Output:
	// true false false
}

func ExampleProtocol() {
	p, err := network.ParseProtocol("udp")
	fmt.Println(p, err, network.AnyProtocol)
	// Output:
	// Udp <nil> *
}

func ExampleProtocol_IsValid() {
	var unset network.Protocol
	fmt.Println(network.TCP.IsValid(), network.AnyProtocol.IsValid(), unset.IsValid())
	// Output:
	// true true false
}

func ExampleRegion() {
	r, err := network.ParseRegion("westus2")
	fmt.Println(r, r.DisplayName(), r.HasZones(), err)
	// Output:
	// westus2 West US 2 true <nil>
}

func ExampleRegion_DisplayName() {
	fmt.Println(network.SwedenCentral.DisplayName())
	// Output:
	// Sweden Central
}

func ExampleRegion_HasZones() {
	// Zone-redundant VPN SKUs need a region with zones (AZ-9).
	for _, r := range []network.Region{network.EastUS, network.WestUS} {
		fmt.Println(r, r.HasZones())
	}
	// Output:
	// eastus true
	// westus false
}

func ExampleRegion_IsValid() {
	fmt.Println(network.EastUS.IsValid(), network.Region("moon1").IsValid())
	// Output:
	// true false
}

func ExampleResourceID() {
	id := network.ResourceID{Subscription: "8f2c1a3e-1b2c-4d5e-8f90-123456789abc", ResourceGroup: "rg-hub",
		Type: "virtualHubs", Name: "hub1"}
	back, err := network.ParseResourceID(id.String())
	fmt.Println(id)
	fmt.Println(back == id, err)
	// Output:
	// /subscriptions/8f2c1a3e-1b2c-4d5e-8f90-123456789abc/resourceGroups/rg-hub/providers/Microsoft.Network/virtualHubs/hub1
	// true <nil>
}

func ExampleRoute() {
	// A route as code builds it, and its text form.
	r := network.Route{Name: "to-firewall", Destination: netip.MustParsePrefix("0.0.0.0/0"),
		NextHop: network.NextHopVirtualAppliance, NextHopIP: netip.MustParseAddr("10.0.0.4"), Enabled: true}
	fmt.Println(r, r.Validate(nil))
	fmt.Println(r == network.MustParseRoute(r.String()))
	// Output:
	// to-firewall,0.0.0.0/0,VirtualAppliance,10.0.0.4 <nil>
	// true
}

func firewallTable() *network.RouteTable {
	t, _ := network.NewRouteTable(nil,
		network.MustParseRoute("to-firewall,0.0.0.0/0,VirtualAppliance,10.0.0.4"),
		network.MustParseRoute("on-prem,10.20.0.0/16,VirtualNetworkGateway"))
	return t
}

func ExampleRouteTable_Add() {
	t := firewallTable()
	fmt.Println(t.Add(network.MustParseRoute("lab,10.30.0.0/16,None")))
	fmt.Println(t.Add(network.MustParseRoute("LAB,10.31.0.0/16,None")))
	fmt.Println(t.Len())
	// Output:
	// <nil>
	// NET-6: route name "LAB" is already used; route names are unique per connection
	// 3
}

func ExampleRouteTable_Delete() {
	t := firewallTable()
	fmt.Println(t.Delete("on-prem", false))
	fmt.Println(t.Delete("on-prem", network.SessionsMayBeDisrupted), t.Len())
	// Output:
	// NET-6: deleting route "on-prem" may disrupt active sessions; acknowledge with SessionsMayBeDisrupted
	// <nil> 1
}

func ExampleRouteTable_Disable() {
	vnet := []netip.Prefix{netip.MustParsePrefix("10.1.0.0/24")}
	t := firewallTable()
	dst := netip.MustParseAddr("8.8.8.8")
	e, _ := t.Lookup(dst, network.SystemRoutes(vnet, nil))
	fmt.Println(e)
	_ = t.Disable("to-firewall") // kept in place, ignored by lookups
	e, _ = t.Lookup(dst, network.SystemRoutes(vnet, nil))
	fmt.Println(e)
	// Output:
	// 0.0.0.0/0 via VirtualAppliance 10.0.0.4 (User route to-firewall)
	// 0.0.0.0/0 via Internet (Default route Internet)
}

func ExampleRouteTable_Edit() {
	t := firewallTable()
	fmt.Println(t.Edit("to-firewall", network.MustParseRoute("to-firewall,0.0.0.0/0,VirtualAppliance,10.0.0.5")))
	fmt.Println(t.Routes()[0])
	// Output:
	// <nil>
	// to-firewall,0.0.0.0/0,VirtualAppliance,10.0.0.5
}

func ExampleRouteTable_Enable() {
	t := firewallTable()
	_ = t.Disable("on-prem")
	fmt.Println(t.Routes()[1])
	_ = t.Enable("on-prem")
	fmt.Println(t.Routes()[1])
	// Output:
	// on-prem,10.20.0.0/16,VirtualNetworkGateway,disabled
	// on-prem,10.20.0.0/16,VirtualNetworkGateway
}

func ExampleRouteTable_Get() {
	t := firewallTable()
	r, ok := t.Get("ON-PREM") // names compare ignoring case
	fmt.Println(r, ok)
	_, ok = t.Get("lab")
	fmt.Println(ok)
	// Output:
	// on-prem,10.20.0.0/16,VirtualNetworkGateway true
	// false
}

func ExampleRouteTable_Len() {
	var t network.RouteTable // the zero value is an empty table
	fmt.Println(t.Len())
	_ = t.Add(network.MustParseRoute("lab,10.30.0.0/16,None"))
	fmt.Println(t.Len(), network.MaxRoutes)
	// Output:
	// 0
	// 1 400
}

func ExampleRouteTable_Routes() {
	for _, r := range firewallTable().Routes() {
		fmt.Println(r.Name, r.Destination, r.NextHop)
	}
	// Output:
	// to-firewall 0.0.0.0/0 VirtualAppliance
	// on-prem 10.20.0.0/16 VirtualNetworkGateway
}

func ExampleSecurityRule() {
	// Print the inbound rules Flex generates for a domain-joined VNet.
	p := network.FirewallPolicy{DomainJoined: true, VNet: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/24")}}
	for _, r := range network.SecurityRules(p) {
		if r.Direction == network.Inbound {
			fmt.Println(r.Priority, r.Name, r.Access, r.Protocol, r.DestinationPorts, r.Managed)
		}
	}
	// Output:
	// 400 FlexAllowCitrixInBound Allow * [80 443 1494 2598] true
	// 4096 FlexDenyAllInBound Deny * [*] true
}

func ExampleState() {
	// Which states let a catalog use the connection, and which failed
	// steps retry on their own.
	for _, s := range network.States() {
		fmt.Printf("%-20s %-20s catalogs=%-5v retriesAlone=%v\n", s, s.DisplayName(), s.AllowsCatalogs(), s.RetriesAlone())
	}
	// Output:
	// Pending              Pending              catalogs=false retriesAlone=false
	// Provisioning         Provisioning         catalogs=false retriesAlone=false
	// Complete             Ready to use         catalogs=true  retriesAlone=false
	// Failed               Failed               catalogs=false retriesAlone=false
	// Deleting             Deleting             catalogs=false retriesAlone=false
	// DeleteFailed         DeleteFailed         catalogs=false retriesAlone=false
	// RouteTableFailed     RouteTableFailed     catalogs=true  retriesAlone=true
	// NatGatewayFailed     NatGatewayFailed     catalogs=true  retriesAlone=true
	// VWanConnectionFailed VWanConnectionFailed catalogs=false retriesAlone=false
}

func ExampleState_AllowsCatalogs() {
	fmt.Println(network.StateComplete.AllowsCatalogs(), network.StateNatGatewayFailed.AllowsCatalogs(), network.StateProvisioning.AllowsCatalogs())
	// Output:
	// true true false
}

func ExampleState_CanTransition() {
	fmt.Println(network.StateComplete.CanTransition(network.StateProvisioning), network.StateComplete.CanTransition(network.StateFailed))
	// Output:
	// true false
}

func ExampleState_DisplayName() {
	fmt.Println(network.StateComplete.DisplayName(), "|", network.StateFailed.DisplayName())
	// Output:
	// Ready to use | Failed
}

func ExampleState_IsValid() {
	fmt.Println(network.StateDeleting.IsValid(), network.State("Ready").IsValid())
	// Output:
	// true false
}

func ExampleState_Next() {
	fmt.Println(network.StateProvisioning.Next())
	fmt.Println(network.StateVWanConnectionFailed.Next())
	// Output:
	// [Complete Failed RouteTableFailed NatGatewayFailed VWanConnectionFailed]
	// [Deleting]
}

func ExampleState_RetriesAlone() {
	fmt.Println(network.StateRouteTableFailed.RetriesAlone(), network.StateFailed.RetriesAlone())
	// Output:
	// true false
}

func ExampleStatus() {
	// A connection's status through a failed route table and its retry.
	t0 := time.Date(2026, 5, 11, 10, 0, 0, 0, time.UTC)
	s, _ := network.NewStatus(network.KindVnetPeering, "tx-1", t0)
	s, _ = s.Next(network.StateProvisioning, "tx-1", t0.Add(time.Minute), "")
	s, _ = s.Next(network.StateRouteTableFailed, "tx-1", t0.Add(3*time.Minute), "route table: next hop 10.0.0.4 unreachable")
	fmt.Println(s)
	fmt.Println(s.State.AllowsCatalogs(), s.State.RetriesAlone())
	s, _ = s.Next(network.StateProvisioning, "tx-2", t0.Add(5*time.Minute), "")
	s, _ = s.Next(network.StateComplete, "tx-2", t0.Add(6*time.Minute), "")
	fmt.Println(s)
	// Output:
	// RouteTableFailed (transaction tx-1, since 2026-05-11T10:03:00Z): route table: next hop 10.0.0.4 unreachable
	// true true
	// Ready to use (transaction tx-2, since 2026-05-11T10:06:00Z)
}

func ExampleUsage_InUse() {
	fmt.Println(network.Usage{}.InUse(), network.Usage{Images: 1}.InUse())
	// Output:
	// false true
}

func ExampleVPNSKU() {
	for _, k := range []network.VPNSKU{network.SKUBasic, network.SKUVpnGw2, network.SKUVpnGw2AZ} {
		fmt.Printf("%-9s %5d Mbit/s bgp=%-5v zones=%v\n", k, k.ThroughputMbps(), k.SupportsBGP(), k.ZoneRedundant())
	}
	// Output:
	// Basic       100 Mbit/s bgp=false zones=false
	// VpnGw2     1000 Mbit/s bgp=true  zones=false
	// VpnGw2AZ   1000 Mbit/s bgp=true  zones=true
}

func ExampleVPNSKU_IsValid() {
	fmt.Println(network.SKUVpnGw5.IsValid(), network.VPNSKU("VpnGw9").IsValid())
	// Output:
	// true false
}

func ExampleVPNSKU_SupportsBGP() {
	fmt.Println(network.SKUBasic.SupportsBGP(), network.SKUVpnGw1.SupportsBGP())
	// Output:
	// false true
}

func ExampleVPNSKU_ThroughputMbps() {
	fmt.Println(network.SKUVpnGw1.ThroughputMbps(), network.SKUVpnGw1AZ.ThroughputMbps())
	// Output:
	// 650 650
}

func ExampleVPNSKU_ZoneRedundant() {
	fmt.Println(network.SKUVpnGw3AZ.ZoneRedundant(), network.SKUVpnGw3.ZoneRedundant())
	// Output:
	// true false
}

func ExampleVPNSpec_FlexRanges() {
	// The VDA subnet and the gateway subnet both come out of the
	// subscription's address space.
	s := vpnExample()
	s.GatewaySubnet = netip.MustParsePrefix("10.100.1.0/27")
	fmt.Println(s.FlexRanges())
	// Output:
	// [10.100.0.0/24 10.100.1.0/27]
}

func ExampleVPNSpec_Kind() {
	fmt.Println(vpnExample().Kind())
	// Output:
	// AzureVpn
}

func ExampleVWANSpec_FlexRanges() {
	s := vwanExample()
	s.Ranges, _ = network.AddVWANRange(s.Ranges, netip.MustParsePrefix("10.201.0.0/24"), nil)
	fmt.Println(s.FlexRanges())
	// Output:
	// [10.200.0.0/24 10.201.0.0/24]
}

func ExampleVWANSpec_Kind() {
	fmt.Println(vwanExample().Kind(), vwanExample().Kind().DisplayName())
	// Output:
	// VWanConnection Virtual WAN spoke
}

package network_test

import (
	"fmt"
	"net/netip"

	"github.com/daasflex/daasflex/network"
)

func ExampleParseRoute() {
	r, err := network.ParseRoute("to-firewall, 0.0.0.0/0, Virtual appliance, 10.0.0.4")
	fmt.Println(r, err)
	fmt.Println(r.NextHop.DisplayName())
	_, err = network.ParseRoute("lab,10.1.0.1/16,None")
	fmt.Println(err)
	// Output:
	// to-firewall,0.0.0.0/0,VirtualAppliance,10.0.0.4 <nil>
	// Virtual appliance
	// network: route "lab,10.1.0.1/16,None": destination: ipam: parse "10.1.0.1/16": host bits are set; did you mean 10.1.0.0/16?
}

func ExampleMustParseRoute() {
	r := network.MustParseRoute("lab,10.30.0.0/16,None,,disabled")
	fmt.Println(r.Name, r.Destination, r.NextHop, r.Enabled)
	// Output: lab 10.30.0.0/16 None false
}

func ExampleParseNextHopType() {
	for _, s := range []string{"Virtual network", "VirtualNetworkGateway", "internet"} {
		h, err := network.ParseNextHopType(s)
		fmt.Println(h, err)
	}
	// Output:
	// VnetLocal <nil>
	// VirtualNetworkGateway <nil>
	// Internet <nil>
}

func ExampleNextHopTypes() {
	for _, h := range network.NextHopTypes() {
		fmt.Printf("%s = %s\n", h.DisplayName(), h)
	}
	// Output:
	// Virtual network gateway = VirtualNetworkGateway
	// Virtual network = VnetLocal
	// Internet = Internet
	// Virtual appliance = VirtualAppliance
	// None = None
}

func ExampleRoute_Validate() {
	r := network.MustParseRoute("lab,10.1.2.0/25,VirtualAppliance,8.8.8.8")
	fmt.Println(r.Validate(nil))
	// Output:
	// NET-6: route "lab": destination 10.1.2.0/25 has prefix length 25; want 16 to 24, or 0.0.0.0/0
	// NET-6: route "lab": next hop IP 8.8.8.8 is not internal; want an address in 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or a connected network []
}

func ExampleValidateRoutes() {
	err := network.ValidateRoutes([]network.Route{
		network.MustParseRoute("web,10.1.0.0/16,Internet"),
		network.MustParseRoute("Web,10.2.0.0/16,Internet"),
	}, nil)
	fmt.Println(err)
	// Output: NET-6: route name "Web" is used more than once; route names are unique per connection
}

func ExampleRouteTable() {
	t, err := network.NewRouteTable(nil,
		network.MustParseRoute("to-firewall,0.0.0.0/0,VirtualAppliance,10.0.0.4"),
		network.MustParseRoute("on-prem,10.20.0.0/16,VirtualNetworkGateway"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(t.Add(network.MustParseRoute("lab,10.30.0.0/16,None")))
	fmt.Println(t.Disable("on-prem"))
	fmt.Println(t.Edit("lab", network.MustParseRoute("lab,10.31.0.0/16,None")))
	fmt.Println(t.Delete("to-firewall", false))
	fmt.Println(t.Delete("to-firewall", network.SessionsMayBeDisrupted))
	for _, r := range t.Routes() {
		fmt.Println(r)
	}
	r, ok := t.Get("LAB")
	fmt.Println(r.Destination, ok, t.Len())
	// Output:
	// <nil>
	// <nil>
	// <nil>
	// NET-6: deleting route "to-firewall" may disrupt active sessions; acknowledge with SessionsMayBeDisrupted
	// <nil>
	// on-prem,10.20.0.0/16,VirtualNetworkGateway,disabled
	// lab,10.31.0.0/16,None
	// 10.31.0.0/16 true 2
}

func ExampleRouteTable_Lookup() {
	vnet := []netip.Prefix{netip.MustParsePrefix("10.1.0.0/24")}
	t, _ := network.NewRouteTable(nil, network.MustParseRoute("to-firewall,0.0.0.0/0,VirtualAppliance,10.0.0.4"))
	for _, dst := range []string{"10.1.0.9", "8.8.8.8", "10.9.9.9"} {
		e, _ := t.Lookup(netip.MustParseAddr(dst), network.SystemRoutes(vnet, nil))
		fmt.Println(dst, "→", e, e.Drops())
	}
	// Output:
	// 10.1.0.9 → 10.1.0.0/24 via VnetLocal (Default route VnetLocal) false
	// 8.8.8.8 → 0.0.0.0/0 via VirtualAppliance 10.0.0.4 (User route to-firewall) false
	// 10.9.9.9 → 10.0.0.0/8 via None (Default route Private10) true
}

func ExampleRouting_Lookup() {
	rt := network.Routing{
		System: network.SystemRoutes([]netip.Prefix{netip.MustParsePrefix("10.1.0.0/24")}, nil),
		BGP:    network.GatewayRoutes([]netip.Prefix{netip.MustParsePrefix("10.20.0.0/16")}),
		User:   []network.Route{network.MustParseRoute("lab,10.20.0.0/16,None,,disabled")},
	}
	e, ok := rt.Lookup(netip.MustParseAddr("10.20.1.2"))
	fmt.Println(e, ok)
	// Output: 10.20.0.0/16 via VirtualNetworkGateway (VirtualNetworkGateway route Gateway) true
}

func ExampleSystemRoutes() {
	for _, r := range network.SystemRoutes(
		[]netip.Prefix{netip.MustParsePrefix("192.168.0.0/24")},
		[]netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}) {
		fmt.Println(r)
	}
	// Output:
	// VnetLocal,192.168.0.0/24,VnetLocal
	// VNetPeering,10.0.0.0/16,VNetPeering
	// Internet,0.0.0.0/0,Internet
	// Private10,10.0.0.0/8,None
	// Private172,172.16.0.0/12,None
	// Private192,192.168.0.0/16,None
	// SharedAddressSpace,100.64.0.0/10,None
}

func ExampleGatewayRoutes() {
	fmt.Println(network.GatewayRoutes([]netip.Prefix{netip.MustParsePrefix("10.20.0.0/16")}))
	// Output: [Gateway,10.20.0.0/16,VirtualNetworkGateway]
}

func ExampleRegions() {
	for _, r := range network.Regions()[:3] {
		fmt.Println(r, r.DisplayName(), r.HasZones())
	}
	// Output:
	// centralus Central US true
	// eastus East US true
	// northcentralus North Central US false
}

func ExampleParseRegion() {
	r, err := network.ParseRegion("West US 2")
	fmt.Println(r, err)
	_, err = network.ParseRegion("eastus2")
	fmt.Println(err != nil)
	// Output:
	// westus2 <nil>
	// true
}

func ExampleNewRouteTable() {
	connected := []netip.Prefix{netip.MustParsePrefix("100.70.0.0/16")}
	_, err := network.NewRouteTable(connected,
		network.MustParseRoute("nva,0.0.0.0/0,VirtualAppliance,100.70.0.4"),
		network.MustParseRoute("NVA,10.1.0.0/16,VirtualAppliance,20.0.0.4"))
	fmt.Println(err)
	// Output:
	// NET-6: route "NVA": next hop IP 20.0.0.4 is not internal; want an address in 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or a connected network [100.70.0.0/16]
	// NET-6: route name "NVA" is used more than once; route names are unique per connection
}

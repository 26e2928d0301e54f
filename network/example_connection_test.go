package network_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

func ExampleParseKind() {
	k, err := network.ParseKind("Virtual WAN spoke")
	fmt.Println(k, err)
	fmt.Println(k.DisplayName(), k.NeedsDNS(), k.AllowsAzureDNS(), k.SupportsNATGateway(), k.MaxNameLen())
	// Output:
	// VWanConnection <nil>
	// Virtual WAN spoke true true false 64
}

func ExampleKinds() {
	for _, k := range network.Kinds() {
		fmt.Printf("%s (%s)\n", k, k.DisplayName())
	}
	// Output:
	// None (No connectivity)
	// VnetPeering (VNet peering)
	// AzureVpn (Azure VPN gateway)
	// VWanConnection (Virtual WAN spoke)
}

func ExampleValidateName() {
	fmt.Println(network.ValidateName(network.KindAzureVpn, "Branch VPN"))
	fmt.Println(network.ValidateName(network.KindAzureVpn, "Branch-VPN_(1)"))
	// Output:
	// API-7: connection name "Branch VPN" has ' ' at position 7; want only letters, digits, '-', '_', '.', '(' and ')'
	// <nil>
}

func ExampleParseState() {
	s, err := network.ParseState("Ready to use")
	fmt.Println(s, err, s.AllowsCatalogs())
	// Output: Complete <nil> true
}

func ExampleState_Transition() {
	fmt.Println(network.StateProvisioning.Transition(network.StateRouteTableFailed))
	fmt.Println(network.StateVWanConnectionFailed.Transition(network.StateProvisioning))
	fmt.Println(network.StateRouteTableFailed.AllowsCatalogs(), network.StateRouteTableFailed.RetriesAlone())
	// Output:
	// <nil>
	// NET-12: a connection cannot go from VWanConnectionFailed to Provisioning; from VWanConnectionFailed it can go to [Deleting]
	// true true
}

func ExampleStates() {
	fmt.Println(network.States())
	// Output: [Pending Provisioning Complete Failed Deleting DeleteFailed RouteTableFailed NatGatewayFailed VWanConnectionFailed]
}

func ExampleNewStatus() {
	t0 := time.Date(2026, 5, 11, 10, 0, 0, 0, time.UTC)
	s, _ := network.NewStatus(network.KindVWanConnection, "4f1c-01", t0)
	s, _ = s.Next(network.StateProvisioning, "4f1c-01", t0, "")
	fmt.Println(s, s.Stuck(t0.Add(11*time.Minute)))
	s, _ = s.Next(network.StateComplete, "4f1c-02", t0.Add(12*time.Minute), "")
	fmt.Println(s)
	// Output:
	// Provisioning (transaction 4f1c-01, since 2026-05-11T10:00:00Z) true
	// Ready to use (transaction 4f1c-02, since 2026-05-11T10:12:00Z)
}

func ExampleStatus_Next() {
	t0 := time.Date(2026, 5, 11, 10, 0, 0, 0, time.UTC)
	s, _ := network.NewStatus(network.KindAzureVpn, "tx-1", t0)
	_, err := s.Next(network.StateComplete, "", t0, "")
	fmt.Println(err)
	// Output:
	// NET-12: a connection cannot go from Pending to Complete; from Pending it can go to [Provisioning Failed Deleting]
	// NET-12: empty transaction ID; every status carries the transaction ID of its request
}

func ExampleStatus_Stuck() {
	t0 := time.Date(2026, 5, 11, 10, 0, 0, 0, time.UTC)
	s := network.Status{Kind: network.KindVWanConnection, State: network.StateProvisioning, TransactionID: "tx", Since: t0}
	fmt.Println(s.Stuck(t0.Add(10*time.Minute)), s.Stuck(t0.Add(10*time.Minute+time.Second)))
	// Output: false true
}

func ExampleUsage_CheckDelete() {
	u := network.Usage{Catalogs: 1, Machines: 12, Bastions: 1}
	fmt.Println(u.CheckDelete("east-peering"))
	fmt.Println(network.Usage{}.CheckDelete("east-peering"))
	// Output:
	// NET-8: connection "east-peering" is used by 1 catalog, 12 machines, 0 images, 1 bastion; delete those first
	// <nil>
}

func ExampleParseDNSServers() {
	dns, err := network.ParseDNSServers("10.0.0.4, 10.0.0.5")
	fmt.Println(dns, err)
	_, err = network.ParseDNSServers("10.0.0.4, dc1.example.com")
	fmt.Println(err)
	// Output:
	// [10.0.0.4 10.0.0.5] <nil>
	// network: DNS server 2 of "10.0.0.4, dc1.example.com": "dc1.example.com" is not an IPv4 address such as 10.0.0.4
}

func ExampleParsePrefixList() {
	ps, err := network.ParsePrefixList("10.10.0.0/16, 10.11.0.0/16")
	fmt.Println(ps, err)
	// Output: [10.10.0.0/16 10.11.0.0/16] <nil>
}

func ExampleParseResourceID() {
	id, err := network.ParseResourceID("/subscriptions/8f2c1a3e-1b2c-4d5e-8f90-123456789abc/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/hub-vnet")
	fmt.Println(id.ResourceGroup, id.Type, id.Name, err)
	// Output: rg-net virtualNetworks hub-vnet <nil>
}

func ExampleUsableAddresses() {
	fmt.Println(network.UsableAddresses(netip.MustParsePrefix("172.18.0.0/21")))
	fmt.Println(network.UsableAddresses(netip.MustParsePrefix("10.200.0.0/24"), netip.MustParsePrefix("172.18.0.0/21")))
	// Output:
	// 2043
	// 2294
}

func ExampleNATGateway_Validate() {
	fmt.Println(network.NATGateway{Enabled: true}.Minutes())
	fmt.Println(network.NATGateway{Enabled: true, IdleTimeout: 180}.Validate())
	// Output:
	// 4
	// NET-11: NAT gateway idle timeout 180 minutes is out of range; want 4 to 120 (AZ-4)
}

func ExampleNoConnectivitySpec_Validate() {
	s := network.NoConnectivitySpec{Name: "citrix-managed", Region: network.WestUS, Range: netip.MustParsePrefix("10.9.0.0/25")}
	fmt.Println(s.Validate(nil))
	// Output: NET-5: Flex range 10.9.0.0/25 is a /25; a Flex VNet range is at least a /24 (251 addresses for machines), such as 10.9.0.0/24
}

// The documentation's example: the customer VNet is 10.0.0.0/16, so
// 192.168.0.0/24 is fine and 10.0.0.0/24 overlaps.
func ExamplePeeringSpec_Validate() {
	var used ipam.Space
	_ = used.Add(`connection "west"`, netip.MustParsePrefix("192.168.1.0/24"))
	s := network.PeeringSpec{
		Name: "east", Region: network.EastUS,
		RemoteVNet: network.ResourceID{Subscription: "8f2c1a3e-1b2c-4d5e-8f90-123456789abc", ResourceGroup: "rg",
			Type: "virtualNetworks", Name: "hub-vnet"},
		RemoteAddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
		Range:              netip.MustParsePrefix("192.168.0.0/24"),
		DNS:                []netip.Addr{netip.MustParseAddr("10.0.0.4")},
	}
	fmt.Println(s.Validate(&used))
	s.Range = netip.MustParsePrefix("10.0.0.0/24")
	s.DNS = []netip.Addr{netip.MustParseAddr("168.63.129.16")}
	s.RoutePropagation = true
	fmt.Println(s.Validate(&used))
	// Output:
	// <nil>
	// NET-7: gateway route propagation is enabled but the peered VNet uses no virtual network gateway; enable it only with a gateway
	// NET-4: Flex range 10.0.0.0/24 overlaps 10.0.0.0/16 owned by peered VNet hub-vnet; Flex ranges must not overlap any range in use
	// NET-3: DNS server 168.63.129.16 is the Azure-provided DNS, which a VNet peering connection cannot use; want your own DNS server
}

func ExamplePeeringSpec_ValidateUpdate() {
	before := network.PeeringSpec{
		Name: "east", Region: network.EastUS,
		RemoteVNet: network.ResourceID{Subscription: "8f2c1a3e-1b2c-4d5e-8f90-123456789abc", ResourceGroup: "rg",
			Type: "virtualNetworks", Name: "hub-vnet"},
		RemoteAddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
		UsesGateway:        true, RoutePropagation: true,
		Range: netip.MustParsePrefix("192.168.0.0/24"),
		DNS:   []netip.Addr{netip.MustParseAddr("10.0.0.4")},
	}
	after := before
	after.RoutePropagation = false
	ws, err := before.ValidateUpdate(after, nil)
	fmt.Println(ws, err)
	// Output: [NET-7: changing gateway route propagation changes route patterns and may interrupt VDA traffic; add routes by hand to the networks VDAs use] <nil>
}

func vpnExample() network.VPNSpec {
	return network.VPNSpec{
		Name: "branch-vpn", Region: network.WestUS, DeviceIP: netip.MustParseAddr("20.30.40.50"),
		AllowedNetworks: []netip.Prefix{netip.MustParsePrefix("10.10.0.0/16")},
		PSK:             secret.New("Sh4red!Secret#Key"), SKU: network.SKUVpnGw1AZ,
		BGP:       network.BGPSettings{Enabled: true, PeerASN: 64500, PeerAddress: netip.MustParseAddr("10.10.0.1")},
		VDASubnet: netip.MustParsePrefix("10.100.0.0/24"), GatewaySubnet: netip.MustParsePrefix("10.100.0.0/27"),
		DNS: []netip.Addr{netip.MustParseAddr("10.10.0.53")},
	}
}

func ExampleVPNSpec_Validate() {
	s := vpnExample()
	fmt.Println(s.Validate(nil))
	fmt.Printf("%v\n", s.PSK)
	// Output:
	// AZ-9: zone-redundant SKU VpnGw1AZ needs availability zones, which West US does not have; choose VpnGw1
	// AZ-5: VPN device ASN 64500 is reserved; want any ASN except 0, 8074, 8075, 12076, 23456, 64496–64511, 65515, 65517–65520, 65535–65551 and 4294967295
	// NET-9: gateway subnet 10.100.0.0/27 overlaps VDA subnet 10.100.0.0/24 of connection "branch-vpn"; they must not share any address
	// [redacted]
}

func ExampleVPNSpec_ValidateUpdate() {
	before := vpnExample()
	before.SKU, before.BGP.PeerASN, before.GatewaySubnet = network.SKUVpnGw1, 65010, netip.MustParsePrefix("10.100.1.0/27")
	after := before
	after.PSK = secret.New("N3w!Key")
	after.GatewaySubnet = netip.MustParsePrefix("10.100.2.0/27")
	ws, err := before.ValidateUpdate(after, nil)
	fmt.Println(ws)
	fmt.Println(err)
	// Output:
	// [NET-10: the pre-shared key changes; configure the new key on your VPN device or the tunnel stays down]
	// NET-9: the gateway subnet cannot change after the connection is created (10.100.1.0/27 → 10.100.2.0/27); create another connection instead
}

func ExampleVPNSpec_Warnings() {
	s := vpnExample()
	s.GatewaySubnet = netip.MustParsePrefix("10.100.1.0/28")
	fmt.Println(s.Warnings())
	// Output: [AZ-1: gateway subnet 10.100.1.0/28 is smaller than the /27 Azure recommends for GatewaySubnet]
}

func ExampleValidatePSK() {
	fmt.Println(network.ValidatePSK(secret.New("my-key")))
	fmt.Println(network.ValidatePSK(secret.New("Sh4red!Secret#Key")))
	// Output:
	// AZ-5: the pre-shared key has a character that is not allowed at position 3; want printable ASCII other than space, '-' and '~'
	// <nil>
}

func ExampleParseVPNSKU() {
	k, err := network.ParseVPNSKU("vpngw2az")
	fmt.Println(k, err, k.SupportsBGP(), k.ZoneRedundant(), k.ThroughputMbps())
	fmt.Println(network.SKUBasic.SupportsBGP())
	// Output:
	// VpnGw2AZ <nil> true true 1000
	// false
}

func ExampleVPNSKUs() {
	fmt.Println(network.VPNSKUs())
	// Output: [Basic VpnGw1 VpnGw2 VpnGw3 VpnGw4 VpnGw5 VpnGw1AZ VpnGw2AZ VpnGw3AZ VpnGw4AZ VpnGw5AZ]
}

func vwanExample() network.VWANSpec {
	return network.VWANSpec{
		Name: "hub-spoke", Region: network.SwedenCentral,
		Hub: network.VWANHub{
			ID: network.ResourceID{Subscription: "8f2c1a3e-1b2c-4d5e-8f90-123456789abc", ResourceGroup: "rg-hub",
				Type: "virtualHubs", Name: "hub1"},
			Tier: network.HubStandard, AddressSpace: netip.MustParsePrefix("10.250.0.0/23"),
		},
		Auth:   network.VWANAuth{Method: network.AuthAdminSingleTenant},
		Ranges: []netip.Prefix{netip.MustParsePrefix("10.200.0.0/24")},
		DNS:    []netip.Addr{netip.MustParseAddr("168.63.129.16")},
	}
}

func ExampleVWANSpec_Validate() {
	s := vwanExample()
	s.Hub.Tier = network.HubBasic
	s.Auth = network.VWANAuth{Method: network.AuthServicePrincipal, TenantID: "11111111-2222-3333-4444-555555555555"}
	fmt.Println(s.Validate(nil))
	// Output:
	// NET-12: vWAN hub tier "Basic" is not supported; the hub must be Standard (Basic does not support VNet connections, AZ-6)
	// NET-12: service principal client ID "" is not a GUID such as 8f2c1a3e-1b2c-4d5e-8f90-123456789abc
	// NET-12: service principal authentication needs the client secret
}

func ExampleVWANSpec_Warnings() {
	s := vwanExample()
	fmt.Println(s.Validate(nil), len(s.Warnings()))
	s.Routes = []network.Route{network.MustParseRoute("internet,0.0.0.0/0,Internet")}
	fmt.Println(s.Warnings())
	// Output:
	// <nil> 1
	// []
}

func ExampleVWANSpec_ValidateUpdate() {
	before := vwanExample()
	after := before
	after.Advanced.RoutePropagation = true
	_, err := before.ValidateUpdate(after, nil)
	fmt.Println(err)
	// Output: NET-12: route propagation cannot change after the connection is created (false → true); create another connection instead
}

func ExampleAddVWANRange() {
	var used ipam.Space
	_ = used.Add("vWAN hub hub1", netip.MustParsePrefix("10.250.0.0/23"))
	ranges := []netip.Prefix{netip.MustParsePrefix("10.200.0.0/24")}
	ranges, err := network.AddVWANRange(ranges, netip.MustParsePrefix("172.18.0.0/21"), &used)
	fmt.Println(ranges, err, network.UsableAddresses(ranges...))
	_, err = network.AddVWANRange(ranges, netip.MustParsePrefix("10.250.1.0/24"), &used)
	fmt.Println(err)
	// Output:
	// [10.200.0.0/24 172.18.0.0/21] <nil> 2294
	// NET-4: IPv4 address range 10.250.1.0/24 overlaps 10.250.0.0/23 owned by vWAN hub hub1; Flex ranges must not overlap any range in use
}

func ExampleEditVWANRange() {
	ranges := []netip.Prefix{netip.MustParsePrefix("10.200.0.0/24"), netip.MustParsePrefix("172.18.0.0/21")}
	machines := []netip.Addr{netip.MustParseAddr("10.200.0.4")}
	out, err := network.EditVWANRange(ranges, netip.MustParsePrefix("172.18.0.0/21"), netip.MustParsePrefix("172.18.0.0/20"), machines, nil)
	fmt.Println(out, err)
	_, err = network.EditVWANRange(ranges, netip.MustParsePrefix("10.200.0.0/24"), netip.MustParsePrefix("10.201.0.0/24"), machines, nil)
	fmt.Println(err)
	// Output:
	// [10.200.0.0/24 172.18.0.0/20] <nil>
	// NET-13: cannot edit IPv4 address range 10.200.0.0/24: 10.200.0.4 is in use by a VDA, connector, bastion or image builder; free the range first
}

func ExampleDeleteVWANRange() {
	ranges := []netip.Prefix{netip.MustParsePrefix("10.200.0.0/24")}
	_, err := network.DeleteVWANRange(ranges, netip.MustParsePrefix("10.200.0.0/24"), nil)
	fmt.Println(err)
	// Output: NET-13: cannot delete 10.200.0.0/24, the spoke's last IPv4 address range; a connection keeps at least one
}

func ExampleKind_HasState() {
	fmt.Println(network.KindVWanConnection.HasState(network.StateVWanConnectionFailed))
	fmt.Println(network.KindAzureVpn.HasState(network.StateNatGatewayFailed))
	// Output:
	// true
	// false
}

func ExampleVPNSpec_Preferred() {
	s := network.VPNSpec{DNS: []netip.Addr{netip.MustParseAddr("10.10.0.53"), netip.MustParseAddr("10.11.0.53")}}
	fmt.Println(s.Preferred())
	s.PreferredDNS = netip.MustParseAddr("10.11.0.53")
	fmt.Println(s.Preferred())
	// Output:
	// 10.10.0.53
	// 10.11.0.53
}

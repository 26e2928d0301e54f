package network_test

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

const (
	subID  = "8f2c1a3e-1b2c-4d5e-8f90-123456789abc"
	tenant = "11111111-2222-3333-4444-555555555555"
	client = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	psk    = "Sh4red!Secret#Key"
)

func vnetID(name string) network.ResourceID {
	return network.ResourceID{Subscription: subID, ResourceGroup: "rg-net", Type: "virtualNetworks", Name: name}
}

// usedSpace is the subscription's address space: another Flex connection
// and a customer network, each with its owner.
func usedSpace(t interface{ Fatal(...any) }) *ipam.Space {
	var s ipam.Space
	for _, e := range []ipam.Entry{
		{Owner: `connection "west-peering"`, Prefix: pfx("10.50.0.0/24")},
		{Owner: "on-premises datacenter", Prefix: pfx("172.20.0.0/16")},
	} {
		if err := s.Add(e.Owner, e.Prefix); err != nil {
			t.Fatal(err)
		}
	}
	return &s
}

// The docs' peering example: customer VNet 10.0.0.0/16, Flex range
// 192.168.0.0/24.
func validPeering() network.PeeringSpec {
	return network.PeeringSpec{
		Name: "east-peering", Region: network.EastUS, RemoteVNet: vnetID("hub-vnet"),
		RemoteAddressSpace: pfxs("10.0.0.0/16"), UsesGateway: true, RoutePropagation: true,
		Range: pfx("192.168.0.0/24"), DNS: []netip.Addr{addr("10.0.0.4"), addr("10.0.0.5")},
		Routes: []network.Route{network.MustParseRoute("to-firewall,0.0.0.0/0,VirtualAppliance,10.0.0.100")},
		NAT:    network.NATGateway{Enabled: true, IdleTimeout: 10},
	}
}

func validVPN() network.VPNSpec {
	return network.VPNSpec{
		Name: "branch-vpn", Region: network.WestEurope, DeviceIP: addr("20.30.40.50"),
		AllowedNetworks: pfxs("10.10.0.0/16", "10.11.0.0/16"), PSK: secret.New(psk), SKU: network.SKUVpnGw2AZ,
		BGP:       network.BGPSettings{Enabled: true, PeerASN: 65010, PeerAddress: addr("10.10.0.1")},
		VDASubnet: pfx("10.100.0.0/24"), GatewaySubnet: pfx("10.100.1.0/27"),
		Routes: []network.Route{network.MustParseRoute("onprem,10.12.0.0/16,VirtualNetworkGateway")},
		DNS:    []netip.Addr{addr("10.10.0.53"), addr("10.11.0.53")}, PreferredDNS: addr("10.11.0.53"),
	}
}

func validVWAN() network.VWANSpec {
	return network.VWANSpec{
		Name: "hub-spoke", Region: network.SwedenCentral,
		Hub: network.VWANHub{ID: network.ResourceID{Subscription: subID, ResourceGroup: "rg-hub", Type: "virtualHubs", Name: "hub1"},
			Tier: network.HubStandard, AddressSpace: pfx("10.250.0.0/23"), Connected: pfxs("10.0.0.0/16")},
		Auth:     network.VWANAuth{Method: network.AuthServicePrincipal, TenantID: tenant, ClientID: client, ClientSecret: secret.New("cl13nt~s3cret")},
		Ranges:   pfxs("10.200.0.0/24"),
		DNS:      []netip.Addr{addr("168.63.129.16")},
		Routes:   []network.Route{network.MustParseRoute("internet,0.0.0.0/0,Internet")},
		Advanced: network.VWANAdvanced{InternetSecurity: true, RoutePropagation: true},
	}
}

func validNone() network.NoConnectivitySpec {
	return network.NoConnectivitySpec{Name: "citrix-managed", Region: network.WestUS, NAT: network.NATGateway{Enabled: true}}
}

func TestSpecValidate(t *testing.T) {
	type tc struct {
		name string
		spec network.Spec
		ids  []string
	}
	peer := func(f func(*network.PeeringSpec)) network.Spec { s := validPeering(); f(&s); return s }
	vpn := func(f func(*network.VPNSpec)) network.Spec { s := validVPN(); f(&s); return s }
	vwan := func(f func(*network.VWANSpec)) network.Spec { s := validVWAN(); f(&s); return s }
	none := func(f func(*network.NoConnectivitySpec)) network.Spec { s := validNone(); f(&s); return s }
	tests := []tc{
		{"valid peering", validPeering(), nil},
		{"valid VPN", validVPN(), nil},
		{"valid vWAN", validVWAN(), nil},
		{"valid no connectivity", validNone(), nil},

		{"API-7/peering name with a space", peer(func(s *network.PeeringSpec) { s.Name = "east peering" }), []string{"API-7"}},
		{"API-7/VPN name of 55 characters", vpn(func(s *network.VPNSpec) { s.Name = strings.Repeat("v", 55) }), []string{"API-7"}},
		{"API-7/empty vWAN name", vwan(func(s *network.VWANSpec) { s.Name = "" }), []string{"API-7"}},
		{"REG-1/unsupported region", peer(func(s *network.PeeringSpec) { s.Region = "eastus2" }), []string{"REG-1"}},
		{"REG-1/no region", none(func(s *network.NoConnectivitySpec) { s.Region = "" }), []string{"REG-1"}},

		{"NET-3/no DNS server", peer(func(s *network.PeeringSpec) { s.DNS = nil }), []string{"NET-3"}},
		{"NET-3/Azure DNS refused for peering", peer(func(s *network.PeeringSpec) { s.DNS = []netip.Addr{addr("168.63.129.16")} }), []string{"NET-3"}},
		{"NET-3/Azure DNS refused for VPN", vpn(func(s *network.VPNSpec) {
			s.DNS, s.PreferredDNS = []netip.Addr{addr("168.63.129.16")}, netip.Addr{}
		}), []string{"NET-3"}},
		{"NET-3/Azure DNS allowed for vWAN", validVWAN(), nil},
		{"NET-3/no DNS server for vWAN", vwan(func(s *network.VWANSpec) { s.DNS = nil }), []string{"NET-3"}},
		{"NET-3/unusable DNS addresses", peer(func(s *network.PeeringSpec) {
			s.DNS = []netip.Addr{addr("127.0.0.1"), addr("0.0.0.0"), addr("224.0.0.1"), addr("169.254.1.1"), addr("255.255.255.255"), addr("fd00::53"), addr("10.0.0.4"), addr("10.0.0.4")}
		}), []string{"NET-3"}},

		{"NET-4/docs example: 10.0.0.0/24 overlaps the peered 10.0.0.0/16", peer(func(s *network.PeeringSpec) { s.Range = pfx("10.0.0.0/24") }), []string{"NET-4"}},
		{"NET-4/overlaps another Flex connection", peer(func(s *network.PeeringSpec) { s.Range = pfx("10.50.0.0/16") }), []string{"NET-4"}},
		{"NET-4/overlaps an on-premises network", none(func(s *network.NoConnectivitySpec) { s.Range = pfx("172.20.5.0/24") }), []string{"NET-4"}},
		{"NET-4/peered VNet without address space", peer(func(s *network.PeeringSpec) { s.RemoteAddressSpace = nil }), []string{"NET-4"}},
		{"NET-4/VPN subnet overlaps an allowed network", vpn(func(s *network.VPNSpec) { s.VDASubnet = pfx("10.10.0.0/24") }), []string{"NET-4"}},
		{"NET-4/vWAN range overlaps the hub", vwan(func(s *network.VWANSpec) { s.Ranges = pfxs("10.250.0.0/24") }), []string{"NET-4"}},
		{"NET-4/vWAN range overlaps another spoke", vwan(func(s *network.VWANSpec) { s.Ranges = pfxs("10.0.8.0/24") }), []string{"NET-4"}},

		{"NET-5/Flex range of a /25 refused", peer(func(s *network.PeeringSpec) { s.Range = pfx("192.168.0.0/25") }), []string{"NET-5"}},
		{"NET-5/Flex range of a /16 fine", peer(func(s *network.PeeringSpec) { s.Range = pfx("192.168.0.0/16") }), nil},
		{"NET-5/no Flex range", peer(func(s *network.PeeringSpec) { s.Range = netip.Prefix{} }), []string{"NET-5"}},
		{"NET-5/Flex range with host bits", peer(func(s *network.PeeringSpec) { s.Range = netip.MustParsePrefix("192.168.0.1/24") }), []string{"NET-5"}},
		{"NET-5/IPv6 Flex range", peer(func(s *network.PeeringSpec) { s.Range = pfx("fd00::/48") }), []string{"NET-5"}},
		{"NET-5/VDA subnet of a /26", vpn(func(s *network.VPNSpec) { s.VDASubnet = pfx("10.100.0.0/26") }), []string{"NET-5"}},
		{"NET-5/vWAN range of a /25", vwan(func(s *network.VWANSpec) { s.Ranges = pfxs("10.200.0.0/25") }), []string{"NET-5"}},
		{"AZ-1/Flex range in link-local space", peer(func(s *network.PeeringSpec) { s.Range = pfx("169.254.0.0/24") }), []string{"AZ-1"}},
		{"AZ-1/Flex range holding 168.63.129.16", none(func(s *network.NoConnectivitySpec) { s.Range = pfx("168.63.0.0/16") }), []string{"AZ-1"}},
		{"AZ-1/Flex range larger than a /2", none(func(s *network.NoConnectivitySpec) { s.Range = pfx("0.0.0.0/1") }), []string{"AZ-1", "NET-4"}},
		{"AZ-1/gateway subnet smaller than a /29", vpn(func(s *network.VPNSpec) { s.GatewaySubnet = pfx("10.100.1.0/30") }), []string{"AZ-1"}},

		{"NET-6/route with a /25 destination", peer(func(s *network.PeeringSpec) {
			s.Routes = append(s.Routes, network.MustParseRoute("small,10.1.2.0/25,VnetLocal"))
		}), []string{"NET-6"}},
		{"NET-6/appliance inside the peered VNet", peer(func(s *network.PeeringSpec) {
			s.RemoteAddressSpace = pfxs("100.70.0.0/16")
			s.Routes = []network.Route{network.MustParseRoute("fw,0.0.0.0/0,VirtualAppliance,100.70.0.4")}
		}), nil},
		{"NET-6/appliance on the internet", vpn(func(s *network.VPNSpec) {
			s.Routes = []network.Route{network.MustParseRoute("fw,0.0.0.0/0,VirtualAppliance,20.0.0.4")}
		}), []string{"NET-6"}},
		{"NET-6/duplicate route names", vwan(func(s *network.VWANSpec) {
			s.Routes = append(s.Routes, network.MustParseRoute("Internet,10.1.0.0/16,None"))
		}), []string{"NET-6"}},
		{"AZ-3/more than 400 routes", peer(func(s *network.PeeringSpec) { s.Routes = manyRoutes(401) }), []string{"AZ-3"}},

		{"NET-7/route propagation without a gateway", peer(func(s *network.PeeringSpec) { s.UsesGateway = false }), []string{"NET-7"}},
		{"NET-7/gateway without route propagation", peer(func(s *network.PeeringSpec) { s.RoutePropagation = false }), nil},
		{"NET-7/peered VNet is not a VNet", peer(func(s *network.PeeringSpec) { s.RemoteVNet.Type = "virtualHubs" }), []string{"NET-7"}},

		{"NET-9/private device IP", vpn(func(s *network.VPNSpec) { s.DeviceIP = addr("192.168.1.1") }), []string{"NET-9"}},
		{"NET-9/no device IP", vpn(func(s *network.VPNSpec) { s.DeviceIP = netip.Addr{} }), []string{"NET-9"}},
		{"NET-9/no allowed network", vpn(func(s *network.VPNSpec) { s.AllowedNetworks = nil }), []string{"NET-9"}},
		{"NET-9/allowed network listed twice", vpn(func(s *network.VPNSpec) { s.AllowedNetworks = pfxs("10.10.0.0/16", "10.10.0.0/16") }), []string{"NET-9"}},
		{"NET-9/VDA subnet and gateway subnet overlap", vpn(func(s *network.VPNSpec) { s.GatewaySubnet = pfx("10.100.0.0/27") }), []string{"NET-9"}},
		{"NET-9/VDA subnet and gateway subnet equal", vpn(func(s *network.VPNSpec) { s.GatewaySubnet = pfx("10.100.0.0/24") }), []string{"NET-9"}},
		{"NET-4/gateway subnet overlaps another connection", vpn(func(s *network.VPNSpec) { s.GatewaySubnet = pfx("10.50.0.0/27") }), []string{"NET-4"}},
		{"NET-9/preferred DNS not among the servers", vpn(func(s *network.VPNSpec) { s.PreferredDNS = addr("10.10.0.54") }), []string{"NET-9"}},
		{"NET-9/BGP on the Basic tier", vpn(func(s *network.VPNSpec) { s.SKU = network.SKUBasic }), []string{"NET-9"}},
		{"NET-9/Basic tier without BGP", vpn(func(s *network.VPNSpec) { s.SKU, s.BGP = network.SKUBasic, network.BGPSettings{} }), nil},
		{"NET-9/BGP without peer address", vpn(func(s *network.VPNSpec) { s.BGP.PeerAddress = netip.Addr{} }), []string{"NET-9"}},
		{"AZ-5/unknown SKU", vpn(func(s *network.VPNSpec) { s.SKU = "VpnGw6" }), []string{"AZ-5", "NET-9"}},
		{"AZ-5/reserved peer ASN 65515", vpn(func(s *network.VPNSpec) { s.BGP.PeerASN = 65515 }), []string{"AZ-5"}},
		{"AZ-5/reserved Azure ASN 8075", vpn(func(s *network.VPNSpec) { s.BGP.ASN = 8075 }), []string{"AZ-5"}},
		{"AZ-5/both ends on one ASN", vpn(func(s *network.VPNSpec) { s.BGP.ASN = 65010 }), []string{"AZ-5"}},
		{"AZ-5/empty pre-shared key", vpn(func(s *network.VPNSpec) { s.PSK = secret.Value{} }), []string{"AZ-5"}},
		{"AZ-9/zone-redundant SKU in West US", vpn(func(s *network.VPNSpec) { s.Region = network.WestUS }), []string{"AZ-9"}},
		{"AZ-9/zone-redundant SKU in North Central US", vpn(func(s *network.VPNSpec) { s.Region = network.NorthCentralUS }), []string{"AZ-9"}},
		{"AZ-9/regular SKU in West US", vpn(func(s *network.VPNSpec) { s.Region, s.SKU = network.WestUS, network.SKUVpnGw2 }), nil},

		{"NET-11/AZ-4/idle timeout 3", none(func(s *network.NoConnectivitySpec) { s.NAT.IdleTimeout = 3 }), []string{"NET-11"}},
		{"NET-11/AZ-4/idle timeout 4", none(func(s *network.NoConnectivitySpec) { s.NAT.IdleTimeout = 4 }), nil},
		{"NET-11/AZ-4/idle timeout 120", peer(func(s *network.PeeringSpec) { s.NAT.IdleTimeout = 120 }), nil},
		{"NET-11/AZ-4/idle timeout 121", peer(func(s *network.PeeringSpec) { s.NAT.IdleTimeout = 121 }), []string{"NET-11"}},
		{"NET-11/AZ-4/disabled NAT gateway keeps its setting checked", peer(func(s *network.PeeringSpec) { s.NAT = network.NATGateway{IdleTimeout: -1} }), []string{"NET-11"}},

		{"NET-12/Basic hub refused", vwan(func(s *network.VWANSpec) { s.Hub.Tier = network.HubBasic }), []string{"NET-12"}},
		{"NET-12/hub ID of a VNet", vwan(func(s *network.VWANSpec) { s.Hub.ID.Type = "virtualNetworks" }), []string{"NET-12"}},
		{"AZ-6/hub address space smaller than a /24", vwan(func(s *network.VWANSpec) { s.Hub.AddressSpace = pfx("10.250.0.0/25") }), []string{"AZ-6"}},
		{"NET-12/admin single-tenant without tenant ID", vwan(func(s *network.VWANSpec) { s.Auth = network.VWANAuth{Method: network.AuthAdminSingleTenant} }), nil},
		{"NET-12/admin multi-tenant needs the tenant ID", vwan(func(s *network.VWANSpec) { s.Auth = network.VWANAuth{Method: network.AuthAdminMultiTenant} }), []string{"NET-12"}},
		{"NET-12/admin multi-tenant with tenant ID", vwan(func(s *network.VWANSpec) {
			s.Auth = network.VWANAuth{Method: network.AuthAdminMultiTenant, TenantID: tenant}
		}), nil},
		{"NET-12/admin with a client secret", vwan(func(s *network.VWANSpec) { s.Auth.Method = network.AuthAdminMultiTenant }), []string{"NET-12"}},
		{"NET-12/service principal needs every field", vwan(func(s *network.VWANSpec) {
			s.Auth = network.VWANAuth{Method: network.AuthServicePrincipal, TenantID: "not-a-guid"}
		}), []string{"NET-12"}},
		{"NET-12/no authentication", vwan(func(s *network.VWANSpec) { s.Auth = network.VWANAuth{} }), []string{"NET-12"}},
		{"NET-13/no range", vwan(func(s *network.VWANSpec) { s.Ranges = nil }), []string{"NET-13"}},
		{"NET-13/overlapping ranges", vwan(func(s *network.VWANSpec) { s.Ranges = pfxs("10.200.0.0/24", "10.200.0.0/23") }), []string{"NET-13"}},
		{"NET-13/two disjoint ranges", vwan(func(s *network.VWANSpec) { s.Ranges = pfxs("10.200.0.0/24", "172.18.0.0/21") }), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.Validate(usedSpace(t))
			if diff := cmp.Diff(tt.ids, rule.IDs(err)); diff != "" {
				t.Errorf("%s.Validate IDs (-want +got):\n%s\n%v", tt.spec.Kind(), diff, err)
			}
		})
	}
}

func TestSpecValidateDetails(t *testing.T) {
	t.Run("NET-4/the error names the other range and its owner", func(t *testing.T) {
		s := validPeering()
		s.Range = pfx("10.50.0.0/23")
		err := s.Validate(usedSpace(t))
		if !strings.Contains(err.Error(), `10.50.0.0/23 overlaps 10.50.0.0/24 owned by connection "west-peering"`) {
			t.Errorf("NET-4 error does not name the owner: %v", err)
		}
		s.Range = pfx("10.0.0.0/24")
		if err := s.Validate(nil); !strings.Contains(err.Error(), "10.0.0.0/24 overlaps 10.0.0.0/16 owned by peered VNet hub-vnet") {
			t.Errorf("NET-4 error does not name the peered VNet: %v", err)
		}
	})
	t.Run("NET-4/docs example 192.168.0.0/24 next to 10.0.0.0/16 with a nil space", func(t *testing.T) {
		if err := validPeering().Validate(nil); err != nil {
			t.Error(err)
		}
	})
	t.Run("every problem at once", func(t *testing.T) {
		s := network.VPNSpec{Name: "bad name", SKU: network.SKUBasic, BGP: network.BGPSettings{Enabled: true}}
		want := []string{"API-7", "AZ-5", "NET-3", "NET-5", "NET-9", "REG-1"}
		if diff := cmp.Diff(want, rule.IDs(s.Validate(nil))); diff != "" {
			t.Errorf("IDs (-want +got):\n%s\n%v", diff, s.Validate(nil))
		}
	})
	t.Run("NET-14/usable addresses", func(t *testing.T) {
		if n := network.UsableAddresses(pfx("172.18.0.0/21")); n != 2043 {
			t.Errorf("172.18.0.0/21: %d, want 2043", n)
		}
		if n := network.UsableAddresses(pfx("10.200.0.0/24"), pfx("172.18.0.0/21")); n != 251+2043 {
			t.Errorf("two ranges: %d, want 2294", n)
		}
	})
	t.Run("FlexRanges", func(t *testing.T) {
		got := [][]netip.Prefix{validNone().FlexRanges(), validPeering().FlexRanges(), validVPN().FlexRanges(), validVWAN().FlexRanges()}
		want := [][]netip.Prefix{nil, pfxs("192.168.0.0/24"), pfxs("10.100.0.0/24", "10.100.1.0/27"), pfxs("10.200.0.0/24")}
		if diff := cmp.Diff(want, got, cmpNet); diff != "" {
			t.Errorf("FlexRanges (-want +got):\n%s", diff)
		}
	})
}

func TestWarnings(t *testing.T) {
	v := validVWAN()
	if w := v.Warnings(); len(w) != 0 {
		t.Errorf("vWAN with 0.0.0.0/0 → Internet warned: %v", w)
	}
	for name, routes := range map[string][]network.Route{
		"no routes":       nil,
		"route disabled":  {network.MustParseRoute("internet,0.0.0.0/0,Internet,disabled")},
		"route elsewhere": {network.MustParseRoute("fw,0.0.0.0/0,VirtualAppliance,10.0.0.4")},
	} {
		t.Run("NET-12/"+name, func(t *testing.T) {
			v.Routes = routes
			w := v.Warnings()
			if len(w) != 1 || w[0].ID != "NET-12" { // RULE NET-12
				t.Errorf("warnings %v, want one NET-12", w)
			}
			if v.Validate(nil) != nil {
				t.Errorf("a missing internet route is a warning, not an error: %v", v.Validate(nil))
			}
		})
	}
	t.Run("AZ-1/gateway subnet smaller than a /27", func(t *testing.T) {
		s := validVPN()
		s.GatewaySubnet = pfx("10.100.1.0/28")
		if w := s.Warnings(); len(w) != 1 || w[0].ID != "AZ-1" || s.Validate(nil) != nil {
			t.Errorf("warnings %v, error %v", w, s.Validate(nil))
		}
		if w := validVPN().Warnings(); w != nil {
			t.Errorf("a /27 warned: %v", w)
		}
	})
	if validNone().Warnings() != nil || validPeering().Warnings() != nil {
		t.Error("unexpected warnings")
	}
}

func TestValidateUpdate(t *testing.T) {
	t.Run("NET-12/advanced settings are immutable", func(t *testing.T) {
		next := validVWAN()
		next.Advanced.InternetSecurity = false
		next.Advanced.RoutePropagation = false
		_, err := validVWAN().ValidateUpdate(next, nil)
		if n := len(rule.Violations(err)); n != 2 || !rule.Has(err, "NET-12") {
			t.Errorf("%d violations: %v", n, err)
		}
	})
	t.Run("NET-12/DNS and routes may change", func(t *testing.T) {
		next := validVWAN()
		next.DNS = []netip.Addr{addr("10.0.0.4")}
		next.Routes = append(next.Routes, network.MustParseRoute("lab,10.1.0.0/16,None"))
		ws, err := validVWAN().ValidateUpdate(next, nil)
		if err != nil || len(ws) != 1 || ws[0].ID != "NET-3" { // RULE NET-3: allowed, with a warning
			t.Errorf("warnings %v, error %v", ws, err)
		}
	})
	t.Run("NET-13/AZ-6/REG-2/ranges, hub and region", func(t *testing.T) {
		next := validVWAN()
		next.Ranges = pfxs("10.201.0.0/24")
		next.Hub.ID.Name = "hub2"
		next.Region = network.NorthEurope
		_, err := validVWAN().ValidateUpdate(next, nil)
		if diff := cmp.Diff([]string{"AZ-6", "NET-13", "REG-2"}, rule.IDs(err)); diff != "" {
			t.Errorf("IDs (-want +got):\n%s\n%v", diff, err)
		}
	})
	t.Run("NET-9/VPN subnets are immutable", func(t *testing.T) {
		next := validVPN()
		next.VDASubnet = pfx("10.101.0.0/24")
		next.GatewaySubnet = pfx("10.101.1.0/27")
		_, err := validVPN().ValidateUpdate(next, nil)
		if n := len(rule.Violations(err)); n != 2 || !rule.Has(err, "NET-9") {
			t.Errorf("%d violations: %v", n, err)
		}
	})
	t.Run("NET-10/pre-shared key may change", func(t *testing.T) {
		next := validVPN()
		next.PSK = secret.New("N3w!Key")
		ws, err := validVPN().ValidateUpdate(next, nil)
		if err != nil || len(ws) != 1 || ws[0].ID != "NET-10" {
			t.Errorf("warnings %v, error %v", ws, err)
		}
		next.PSK = secret.New("bad key")
		if _, err := validVPN().ValidateUpdate(next, nil); !rule.Has(err, "AZ-5") {
			t.Errorf("invalid new key accepted: %v", err)
		}
		if !network.KindAzureVpn.CanReset() { // RULE NET-10: reset
			t.Error("a VPN cannot be reset")
		}
	})
	t.Run("NET-7/route propagation may change with a warning", func(t *testing.T) {
		next := validPeering()
		next.RoutePropagation = false
		ws, err := validPeering().ValidateUpdate(next, nil)
		if err != nil || len(ws) != 1 || ws[0].ID != "NET-7" {
			t.Errorf("warnings %v, error %v", ws, err)
		}
	})
	t.Run("REG-2/NET-4/peering region and range are fixed", func(t *testing.T) {
		next := validPeering()
		next.Region = network.CentralUS
		next.Range = pfx("192.168.1.0/24")
		_, err := validPeering().ValidateUpdate(next, nil)
		if diff := cmp.Diff([]string{"NET-4", "REG-2"}, rule.IDs(err)); diff != "" {
			t.Errorf("IDs (-want +got):\n%s\n%v", diff, err)
		}
	})
}

func TestPSK(t *testing.T) {
	tests := []struct {
		name string
		psk  string
		ok   bool
	}{
		{"one character", "a", true},
		{"128 characters", strings.Repeat("k", 128), true},
		{"129 characters", strings.Repeat("k", 129), false},
		{"empty", "", false},
		{"space", "abc defgh", false},
		{"hyphen", "abc-defgh", false},
		{"tilde", "abc~defgh", false},
		{"tab", "abc\tdefgh", false},
		{"non-ASCII", "abcdëfgh", false},
		{"every other printable character", "!\"#$%&'()*+,./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}", true},
	}
	for _, tt := range tests {
		t.Run("AZ-5/"+tt.name, func(t *testing.T) {
			err := network.ValidatePSK(secret.New(tt.psk))
			if (err == nil) != tt.ok || (err != nil && !rule.Has(err, "AZ-5")) {
				t.Fatalf("ValidatePSK: %v, want ok %v", err, tt.ok)
			}
			if err != nil && len(tt.psk) > 3 && strings.Contains(err.Error(), tt.psk) { // RULE SEC-1
				t.Errorf("SEC-1: the error shows the key: %v", err)
			}
		})
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	// RULE SEC-1: the pre-shared key and the client secret do not appear
	// in %v, %+v, %#v, JSON or validation errors.
	v := validVPN()
	v.PSK = secret.New("Sup3rS3cretPSK!")
	v.BGP.PeerASN = 65515 // make Validate fail
	w := validVWAN()
	w.Auth.ClientSecret = secret.New("Sup3rS3cretClient!")
	w.Auth.TenantID = "x"
	for _, x := range []any{v, w} {
		j, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		var verr error
		switch s := x.(type) {
		case network.VPNSpec:
			verr = s.Validate(nil)
		case network.VWANSpec:
			verr = s.Validate(nil)
		}
		for _, out := range []string{fmt.Sprintf("%v", x), fmt.Sprintf("%+v", x), fmt.Sprintf("%#v", x), string(j), verr.Error()} {
			if strings.Contains(out, "Sup3rS3cret") {
				t.Errorf("SEC-1: secret printed: %s", out)
			}
		}
	}
}

func TestVPNSKUs(t *testing.T) {
	type row struct {
		BGP, Zones bool
		Mbps       int
	}
	got := map[network.VPNSKU]row{}
	for _, k := range network.VPNSKUs() {
		got[k] = row{k.SupportsBGP(), k.ZoneRedundant(), k.ThroughputMbps()}
		if p, err := network.ParseVPNSKU(strings.ToLower(string(k))); err != nil || p != k {
			t.Errorf("AZ-5: ParseVPNSKU(%q) = %q, %v", k, p, err)
		}
	}
	want := map[network.VPNSKU]row{
		"Basic": {false, false, 100}, "VpnGw1": {true, false, 650}, "VpnGw2": {true, false, 1000}, "VpnGw3": {true, false, 1250},
		"VpnGw4": {true, false, 5000}, "VpnGw5": {true, false, 10000}, "VpnGw1AZ": {true, true, 650}, "VpnGw2AZ": {true, true, 1000},
		"VpnGw3AZ": {true, true, 1250}, "VpnGw4AZ": {true, true, 5000}, "VpnGw5AZ": {true, true, 10000},
	}
	if diff := cmp.Diff(want, got); diff != "" { // RULE AZ-5
		t.Errorf("AZ-5 SKUs (-want +got):\n%s", diff)
	}
	if _, err := network.ParseVPNSKU("HighPerformance"); !rule.Has(err, "AZ-5") {
		t.Errorf("AZ-5: ParseVPNSKU(HighPerformance) = %v", err)
	}
}

func TestASNs(t *testing.T) {
	reserved := []uint32{8074, 8075, 12076, 23456, 64496, 64500, 64511, 65515, 65517, 65518, 65519, 65520, 65535, 65540, 65551, 4294967295}
	fine := []uint32{1, 64495, 64512, 65000, 65516, 65521, 65534, 65552, 4200000000}
	for _, asn := range reserved {
		s := validVPN()
		s.BGP.PeerASN = asn
		if err := s.Validate(nil); !rule.Has(err, "AZ-5") { // RULE AZ-5
			t.Errorf("AZ-5: peer ASN %d accepted", asn)
		}
	}
	for _, asn := range fine {
		s := validVPN()
		s.BGP.PeerASN = asn
		if err := s.Validate(nil); err != nil {
			t.Errorf("AZ-5: peer ASN %d refused: %v", asn, err)
		}
	}
}

func TestVWANRanges(t *testing.T) {
	ranges := pfxs("10.200.0.0/24")
	used := usedSpace(t)
	_ = used.Add("vWAN hub hub1", pfx("10.250.0.0/23"))

	// RULE NET-13: add, edit and delete with the docs' 172.18.0.0/21.
	got, err := network.AddVWANRange(ranges, pfx("172.18.0.0/21"), used)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(pfxs("10.200.0.0/24", "172.18.0.0/21"), got, cmpNet); diff != "" {
		t.Errorf("NET-13 add (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(pfxs("10.200.0.0/24"), ranges, cmpNet); diff != "" {
		t.Errorf("NET-13 add changed its input:\n%s", diff)
	}
	if n := network.UsableAddresses(got...); n != 251+2043 { // RULE NET-14
		t.Errorf("NET-14: %d usable addresses", n)
	}
	machines := []netip.Addr{addr("10.200.0.4")}
	tests := []struct {
		name string
		op   func() ([]netip.Prefix, error)
		want []netip.Prefix
		ids  []string
	}{
		{"NET-13/add a duplicate", func() ([]netip.Prefix, error) { return network.AddVWANRange(got, pfx("172.18.0.0/21"), used) }, got, []string{"NET-13"}},
		{"NET-13/add an overlapping range", func() ([]netip.Prefix, error) { return network.AddVWANRange(got, pfx("172.18.4.0/24"), used) }, got, []string{"NET-13"}},
		{"NET-4/add a range of another connection", func() ([]netip.Prefix, error) { return network.AddVWANRange(got, pfx("10.50.0.0/24"), used) }, got, []string{"NET-4"}},
		{"NET-4/add the hub's range", func() ([]netip.Prefix, error) { return network.AddVWANRange(got, pfx("10.250.1.0/24"), used) }, got, []string{"NET-4"}},
		{"NET-5/add a /27", func() ([]netip.Prefix, error) { return network.AddVWANRange(got, pfx("10.201.0.0/27"), used) }, got, []string{"NET-5"}},
		{"NET-13/add with host bits", func() ([]netip.Prefix, error) {
			return network.AddVWANRange(got, netip.MustParsePrefix("10.201.0.1/24"), used)
		}, got, []string{"NET-13"}},
		{"NET-13/edit a free range", func() ([]netip.Prefix, error) {
			return network.EditVWANRange(got, pfx("172.18.0.0/21"), pfx("172.19.0.0/22"), machines, used)
		}, pfxs("10.200.0.0/24", "172.19.0.0/22"), nil},
		{"NET-13/edit a range in use", func() ([]netip.Prefix, error) {
			return network.EditVWANRange(got, pfx("10.200.0.0/24"), pfx("10.202.0.0/24"), machines, used)
		}, got, []string{"NET-13"}},
		{"NET-13/edit a range to overlap another", func() ([]netip.Prefix, error) {
			return network.EditVWANRange(got, pfx("172.18.0.0/21"), pfx("10.200.0.0/23"), nil, used)
		}, got, []string{"NET-13"}},
		{"NET-13/edit a range onto itself", func() ([]netip.Prefix, error) {
			return network.EditVWANRange(got, pfx("172.18.0.0/21"), pfx("172.18.0.0/20"), nil, used)
		}, pfxs("10.200.0.0/24", "172.18.0.0/20"), nil},
		{"NET-13/edit an unknown range", func() ([]netip.Prefix, error) {
			return network.EditVWANRange(got, pfx("10.9.0.0/24"), pfx("10.8.0.0/24"), nil, used)
		}, got, []string{"NET-13"}},
		{"NET-13/delete a free range", func() ([]netip.Prefix, error) {
			return network.DeleteVWANRange(got, pfx("172.18.0.0/21"), machines)
		}, pfxs("10.200.0.0/24"), nil},
		{"NET-13/delete a range in use", func() ([]netip.Prefix, error) {
			return network.DeleteVWANRange(got, pfx("10.200.0.0/24"), machines)
		}, got, []string{"NET-13"}},
		{"NET-13/delete the last range", func() ([]netip.Prefix, error) {
			return network.DeleteVWANRange(ranges, pfx("10.200.0.0/24"), nil)
		}, ranges, []string{"NET-13"}},
		{"NET-13/delete an unknown range", func() ([]netip.Prefix, error) {
			return network.DeleteVWANRange(got, pfx("10.9.0.0/24"), nil)
		}, got, []string{"NET-13"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.op()
			if diff := cmp.Diff(tt.ids, rule.IDs(err)); diff != "" {
				t.Errorf("IDs (-want +got):\n%s\n%v", diff, err)
			}
			if diff := cmp.Diff(tt.want, res, cmpNet); diff != "" {
				t.Errorf("ranges (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVWANRangesModel applies random add, edit and delete operations to a
// spoke's ranges. Invariant: the ranges stay pairwise disjoint, never
// overlap the used space, never lose a range that holds a machine, and at
// least one always remains; a refused operation changes nothing.
func TestVWANRangesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		used := usedSpace(t)
		ranges := pfxs("10.200.0.0/24")
		machines := []netip.Addr{addr("10.200.0.10")}
		rangeGen := rapid.Custom(func(t *rapid.T) netip.Prefix {
			a := netip.AddrFrom4([4]byte{10, rapid.SampledFrom([]byte{50, 200, 201, 202}).Draw(t, "b1"), rapid.ByteRange(0, 3).Draw(t, "b2"), 0})
			return netip.PrefixFrom(a, rapid.IntRange(20, 26).Draw(t, "bits")).Masked()
		})
		for range rapid.IntRange(1, 25).Draw(t, "steps") {
			before := ranges
			var next []netip.Prefix
			var err error
			switch rapid.IntRange(0, 2).Draw(t, "op") {
			case 0:
				next, err = network.AddVWANRange(ranges, rangeGen.Draw(t, "add"), used)
			case 1:
				next, err = network.EditVWANRange(ranges, rapid.SampledFrom(ranges).Draw(t, "old"), rangeGen.Draw(t, "new"), machines, used)
			default:
				next, err = network.DeleteVWANRange(ranges, rapid.SampledFrom(ranges).Draw(t, "del"), machines)
			}
			if err != nil {
				if diff := cmp.Diff(before, next, cmpNet); diff != "" {
					t.Fatalf("refused operation changed the ranges: %v", err)
				}
				continue
			}
			ranges = next
			if len(ranges) == 0 {
				t.Fatal("no range left")
			}
			var es []ipam.Entry
			for _, p := range ranges {
				es = append(es, ipam.Entry{Owner: "spoke", Prefix: p})
				if len(used.Overlapping(p)) > 0 || p.Bits() > 24 {
					t.Fatalf("range %s overlaps the used space or is too small", p)
				}
			}
			if err := ipam.CheckDisjoint(es...); err != nil {
				t.Fatalf("ranges overlap: %v", err)
			}
			if !containsAny(ranges, machines[0]) {
				t.Fatalf("the machine's range was removed: %v", ranges)
			}
		}
	})
}

func containsAny(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func TestParsePrefixListAndResourceID(t *testing.T) {
	got, err := network.ParsePrefixList("10.0.0.0/16, 10.1.0.0/16;172.16.0.0/12")
	if diff := cmp.Diff(pfxs("10.0.0.0/16", "10.1.0.0/16", "172.16.0.0/12"), got, cmpNet); diff != "" || err != nil {
		t.Errorf("ParsePrefixList (-want +got):\n%s %v", diff, err)
	}
	if _, err := network.ParsePrefixList("10.0.0.0/16, 10.1.0.1/16"); err == nil || !strings.Contains(err.Error(), "range 2") {
		t.Errorf("ParsePrefixList with host bits: %v", err)
	}
	id := "/subscriptions/" + subID + "/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/hub-vnet"
	r, err := network.ParseResourceID(id)
	if diff := cmp.Diff(vnetID("hub-vnet"), r); diff != "" || err != nil || r.String() != id {
		t.Errorf("ParseResourceID (-want +got):\n%s %v", diff, err)
	}
	for _, bad := range []string{"", "hub-vnet", "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v",
		"/subscriptions/" + subID + "/resourceGroups//providers/Microsoft.Network/virtualNetworks/v",
		"/subscriptions/" + subID + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/v"} {
		if _, err := network.ParseResourceID(bad); err == nil {
			t.Errorf("ParseResourceID(%q) accepted", bad)
		}
	}
}

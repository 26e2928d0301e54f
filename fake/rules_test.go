package fake_test

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// putCase is one Put that must fail with a kind and name a rule or code.
type putCase struct {
	name  string
	setup func(t *testing.T, c *fake.Cloud)
	put   func() flex.Resource
	kind  error
	rule  string // a rule ID the error names, or ""
	code  string // Azure's code the message says, or ""
}

func runPutCases(t *testing.T, cases []putCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newCloud(t)
			if tc.setup != nil {
				tc.setup(t, c)
			}
			r := tc.put()
			before := c.Count(flex.Filter{})
			_, err := c.Put(ctx, r)
			if tc.kind == nil {
				wantKind(t, err, nil)
				return
			}
			wantKind(t, err, tc.kind)
			if tc.rule != "" && !rule.Has(err, tc.rule) {
				t.Errorf("error %v does not name %s", err, tc.rule)
			}
			if tc.code != "" && !strings.Contains(err.Error(), tc.code) {
				t.Errorf("error %v does not say %s", err, tc.code)
			}
			if !strings.Contains(err.Error(), r.Metadata().ID.Name) && !strings.Contains(err.Error(), strings.Split(r.Metadata().ID.Name, "/")[0]) {
				t.Errorf("error %v does not name the resource %s", err, r.Metadata().ID.Name)
			}
			if diff := diff(before, c.Count(flex.Filter{})); diff != "" {
				t.Errorf("a failed Put changed what exists (-before +after):\n%s", diff)
			}
		})
	}
}

func withSpace(spaces ...string) func() flex.Resource {
	return func() flex.Resource {
		v := vnet("v", spaces[0])
		v.AddressSpace = nil
		for _, s := range spaces {
			v.AddressSpace = append(v.AddressSpace, pfx(s))
		}
		return v
	}
}

func withSubnets(subnets ...flex.Subnet) func() flex.Resource {
	return func() flex.Resource { return vnet("v", "10.0.0.0/16", subnets...) }
}

func TestAZ1AddressSpacesAndSubnets(t *testing.T) {
	nsgSub2 := func(t *testing.T, c *fake.Cloud) {
		mustPut(t, c, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID("sub-2", rg), Region: region}})
		mustPut(t, c, &flex.SecurityGroup{Meta: flex.Meta{ID: flex.ResourceID{Subscription: "sub-2", ResourceGroup: rg, Type: flex.TypeSecurityGroup, Name: "nsg"}, Region: region}})
	}
	nsgEast := func(t *testing.T, c *fake.Cloud) {
		n := &flex.SecurityGroup{Meta: meta(id(flex.TypeSecurityGroup, "nsg"))}
		n.Region = network.EastUS
		mustPut(t, c, n)
	}
	natGW := func(t *testing.T, c *fake.Cloud) {
		mustPut(t, c, &flex.NATGateway{Meta: meta(id(flex.TypeNATGateway, "nat"))})
	}
	ref := func(field string, i flex.ResourceID) func() flex.Resource {
		return func() flex.Resource {
			s := subnet("a", "10.0.0.0/24")
			switch field {
			case "nsg":
				s.SecurityGroup = i
			case "rt":
				s.RouteTable = i
			case "nat":
				s.NATGateway = i
			}
			if field == "gw-nat" {
				s.Name = fake.GatewaySubnet
				s.NATGateway = i
			}
			return vnet("v", "10.0.0.0/16", s)
		}
	}
	var cases []putCase
	for _, reserved := range []string{"224.0.0.0/4", "224.1.0.0/16", "255.255.255.255/32", "127.0.0.0/8", "127.0.0.0/24", "169.254.0.0/16", "168.63.129.16/32", "168.63.128.0/22"} {
		cases = append(cases, putCase{name: "AZ-1 reserved " + reserved, put: withSpace(reserved), kind: flex.ErrInvalid, rule: "AZ-1", code: "InvalidAddressPrefix"})
	}
	cases = append(cases,
		putCase{name: "AZ-1 private range accepted", put: withSpace("10.0.0.0/8")},
		putCase{name: "AZ-1 overlapping address spaces", put: withSpace("10.0.0.0/16", "10.0.128.0/17"), kind: flex.ErrInvalid, rule: "AZ-1"},
		putCase{name: "host bits set", put: withSpace("10.0.0.1/16"), kind: flex.ErrInvalid, code: "10.0.0.0/16"},
		putCase{name: "no address space", put: func() flex.Resource { v := vnet("v", "10.0.0.0/16"); v.AddressSpace = nil; return v }, kind: flex.ErrInvalid},
		putCase{name: "AZ-1 subnet /30 too small", put: withSubnets(subnet("a", "10.0.0.0/30")), kind: flex.ErrInvalid, rule: "AZ-1", code: "NetcfgInvalidSubnet"},
		putCase{name: "AZ-1 subnet /29 accepted", put: withSubnets(subnet("a", "10.0.0.0/29"))},
		putCase{name: "AZ-1 subnet /2 accepted", put: func() flex.Resource { return vnet("v", "0.0.0.0/2", subnet("a", "0.0.0.0/2")) }},
		putCase{name: "AZ-1 subnet /1 too large", put: func() flex.Resource { return vnet("v", "0.0.0.0/1", subnet("a", "0.0.0.0/1")) }, kind: flex.ErrInvalid, rule: "AZ-1"},
		putCase{name: "AZ-1 subnet outside address space", put: withSubnets(subnet("a", "10.1.0.0/24")), kind: flex.ErrInvalid, rule: "AZ-1", code: "NetcfgSubnetRangeOutsideVnet"},
		putCase{name: "AZ-1 subnet straddles address space", put: func() flex.Resource { return vnet("v", "10.0.0.0/24", subnet("a", "10.0.0.0/23")) }, kind: flex.ErrInvalid, rule: "AZ-1"},
		putCase{name: "AZ-1 overlapping subnets", put: withSubnets(subnet("a", "10.0.0.0/24"), subnet("b", "10.0.0.128/25")), kind: flex.ErrInvalid, rule: "AZ-1", code: "NetcfgSubnetRangesOverlap"},
		putCase{name: "duplicate subnet names", put: withSubnets(subnet("a", "10.0.0.0/24"), subnet("A", "10.0.1.0/24")), kind: flex.ErrInvalid, code: "DuplicateResourceName"},
		putCase{name: "AZ-1 no NAT gateway on GatewaySubnet", setup: natGW, put: ref("gw-nat", id(flex.TypeNATGateway, "nat")), kind: flex.ErrInvalid, rule: "AZ-1"},
		putCase{name: "AZ-1 NSG must exist", put: ref("nsg", id(flex.TypeSecurityGroup, "nsg")), kind: flex.ErrNotFound, code: "InvalidResourceReference"},
		putCase{name: "AZ-1 route table must exist", put: ref("rt", id(flex.TypeRouteTable, "rt")), kind: flex.ErrNotFound},
		putCase{name: "AZ-1 NAT gateway must exist", put: ref("nat", id(flex.TypeNATGateway, "nat")), kind: flex.ErrNotFound},
		putCase{name: "AZ-1 NAT gateway attached", setup: natGW, put: ref("nat", id(flex.TypeNATGateway, "nat"))},
		putCase{name: "AZ-1 NSG of another subscription", setup: nsgSub2, put: ref("nsg", flex.ResourceID{Subscription: "sub-2", ResourceGroup: rg, Type: flex.TypeSecurityGroup, Name: "nsg"}), kind: flex.ErrInvalid, code: "InvalidResourceReference"},
		putCase{name: "AZ-1 NSG of another region", setup: nsgEast, put: ref("nsg", id(flex.TypeSecurityGroup, "nsg")), kind: flex.ErrInvalid},
		putCase{name: "AZ-1 reference of the wrong type", setup: natGW, put: ref("nsg", id(flex.TypeNATGateway, "nat")), kind: flex.ErrInvalid},
	)
	runPutCases(t, cases)
}

func TestAZ1ReportsEveryProblemAtOnce(t *testing.T) {
	c, _ := newCloud(t)
	v := vnet("v", "127.0.0.0/8", subnet("a", "10.0.0.0/30"), subnet("b", "10.9.0.0/24"))
	_, err := c.Put(ctx, v)
	wantRule(t, err, flex.ErrInvalid, "AZ-1")
	if n := len(rule.Violations(err)); n < 4 { // reserved space, /30, two subnets outside
		t.Errorf("%d violations, want every problem: %v", n, err)
	}
}

func TestAZ1InUseAndPeerings(t *testing.T) {
	t.Run("AZ-1 deleting an attached NSG, route table or NAT gateway", func(t *testing.T) {
		c, _ := newCloud(t)
		mustPut(t, c, &flex.SecurityGroup{Meta: meta(id(flex.TypeSecurityGroup, "nsg"))})
		mustPut(t, c, &flex.RouteTable{Meta: meta(id(flex.TypeRouteTable, "rt"))})
		mustPut(t, c, &flex.NATGateway{Meta: meta(id(flex.TypeNATGateway, "nat"))})
		s := subnet("a", "10.0.0.0/24")
		s.SecurityGroup, s.RouteTable, s.NATGateway = id(flex.TypeSecurityGroup, "nsg"), id(flex.TypeRouteTable, "rt"), id(flex.TypeNATGateway, "nat")
		v := mustPut(t, c, vnet("v", "10.0.0.0/16", s))
		wantCode(t, c.Delete(ctx, s.SecurityGroup), flex.ErrConflict, "InUseNetworkSecurityGroupCannotBeDeleted")
		wantCode(t, c.Delete(ctx, s.RouteTable), flex.ErrConflict, "InUseRouteTableCannotBeDeleted")
		wantCode(t, c.Delete(ctx, s.NATGateway), flex.ErrConflict, "InUseNatGatewayCannotBeDeleted")
		v.Subnets[0] = subnet("a", "10.0.0.0/24") // detach all three
		mustPut(t, c, v)
		for _, i := range []flex.ResourceID{s.SecurityGroup, s.RouteTable, s.NATGateway} {
			wantKind(t, c.Delete(ctx, i), nil)
		}
	})
	t.Run("AZ-1 deleting a VNet or subnet with VMs", func(t *testing.T) {
		c, _ := newCloud(t)
		v := mustPut(t, c, vnet("v", "10.0.0.0/16", subnet("a", "10.0.0.0/24"), subnet("b", "10.0.1.0/24")))
		mustPut(t, c, vm("pc-1", "v", "a"))
		wantCode(t, c.Delete(ctx, v.ID), flex.ErrConflict, "InUseSubnetCannotBeDeleted")
		v.Subnets = v.Subnets[1:]
		_, err := c.Put(ctx, v)
		wantCode(t, err, flex.ErrConflict, "InUseSubnetCannotBeDeleted")
		v.Subnets = []flex.Subnet{subnet("a", "10.0.2.0/24"), subnet("b", "10.0.1.0/24")}
		_, err = c.Put(ctx, v)
		wantCode(t, err, flex.ErrConflict, "InUseSubnetCannotBeUpdated")
		v.Subnets = []flex.Subnet{subnet("a", "10.0.0.0/24")} // an empty subnet may go
		mustPut(t, c, v)
		wantKind(t, c.Delete(ctx, id(flex.TypeVirtualMachine, "pc-1")), nil)
		wantKind(t, c.Delete(ctx, v.ID), nil)
	})
	t.Run("AZ-1 peered VNets never overlap", func(t *testing.T) {
		c, _ := newCloud(t)
		mustPut(t, c, vnet("v", "10.0.0.0/16"))
		mustPut(t, c, vnet("w", "10.0.128.0/17"))
		mustPut(t, c, vnet("x", "10.1.0.0/16"))
		mustPut(t, c, vnet("y", "10.1.0.0/24"))
		_, err := c.Put(ctx, &flex.Peering{Meta: meta(id(flex.TypePeering, "v/to-w")), Remote: id(flex.TypeVirtualNetwork, "w")})
		wantRule(t, err, flex.ErrConflict, "AZ-1")
		mustPut(t, c, &flex.Peering{Meta: meta(id(flex.TypePeering, "v/to-x")), Remote: id(flex.TypeVirtualNetwork, "x")})
		// y overlaps x, which v is already peered with.
		_, err = c.Put(ctx, &flex.Peering{Meta: meta(id(flex.TypePeering, "v/to-y")), Remote: id(flex.TypeVirtualNetwork, "y")})
		wantRule(t, err, flex.ErrConflict, "AZ-1")
		// Growing x over v's range is refused too.
		x, _ := flex.GetAs[*flex.VirtualNetwork](ctx, c, id(flex.TypeVirtualNetwork, "x"))
		x.AddressSpace = append(x.AddressSpace, pfx("10.0.5.0/24"))
		_, err = c.Put(ctx, x)
		wantRule(t, err, flex.ErrConflict, "AZ-1")
	})
	t.Run("peering connects once both directions exist", func(t *testing.T) {
		c, _ := newCloud(t)
		mustPut(t, c, vnet("v", "10.0.0.0/16"))
		mustPut(t, c, vnet("w", "10.1.0.0/16"))
		vw := mustPut(t, c, &flex.Peering{Meta: meta(id(flex.TypePeering, "v/to-w")), Remote: id(flex.TypeVirtualNetwork, "w")})
		if vw.Connected {
			t.Errorf("one direction is connected")
		}
		wv := mustPut(t, c, &flex.Peering{Meta: meta(id(flex.TypePeering, "w/to-v")), Remote: id(flex.TypeVirtualNetwork, "v")})
		vw, _ = flex.GetAs[*flex.Peering](ctx, c, vw.ID)
		if !wv.Connected || !vw.Connected {
			t.Errorf("both directions exist but Connected = %v, %v", vw.Connected, wv.Connected)
		}
		_, err := c.Put(ctx, &flex.Peering{Meta: meta(id(flex.TypePeering, "v/again")), Remote: id(flex.TypeVirtualNetwork, "w")})
		wantCode(t, err, flex.ErrConflict, "VnetPeeringAlreadyExists")
		_, err = c.Put(ctx, &flex.Peering{Meta: meta(id(flex.TypePeering, "v/self")), Remote: id(flex.TypeVirtualNetwork, "v")})
		wantKind(t, err, flex.ErrInvalid)
		wantKind(t, c.Delete(ctx, id(flex.TypeVirtualNetwork, "w")), nil) // takes w/to-v with it
		vw, _ = flex.GetAs[*flex.Peering](ctx, c, vw.ID)
		if vw.Connected {
			t.Errorf("the remote VNet is gone but the peering is still connected")
		}
		if _, err := c.Get(ctx, wv.ID); err == nil {
			t.Errorf("the peering of a deleted VNet still exists")
		}
	})
}

func route(name, prefix, hop, ip string) flex.Route {
	r := flex.Route{Name: name, Prefix: pfx(prefix), NextHop: hop}
	if ip != "" {
		r.NextHopIP = addr(ip)
	}
	return r
}

func TestAZ2SecurityRules(t *testing.T) {
	good := network.SecurityRule{Name: "AllowHTTPS", Priority: 100, Direction: network.Inbound, Access: network.Allow, Protocol: network.TCP,
		Sources: []network.Address{network.TagAddress(network.TagVirtualNetwork)}, SourcePorts: []network.PortRange{network.AnyPort()},
		Destinations: []network.Address{network.TagAddress(network.TagAny)}, DestinationPorts: []network.PortRange{network.Port(443)}}
	nsg := func(rules ...network.SecurityRule) func() flex.Resource {
		return func() flex.Resource {
			return &flex.SecurityGroup{Meta: meta(id(flex.TypeSecurityGroup, "nsg")), Rules: rules}
		}
	}
	with := func(f func(*network.SecurityRule)) network.SecurityRule { r := good; f(&r); return r }
	many := make([]network.SecurityRule, network.MaxRules+1)
	for i := range many {
		many[i] = with(func(r *network.SecurityRule) {
			r.Name = fmt.Sprintf("r%d", i)
			r.Priority = 100 + i%3997
			if i >= 3997 {
				r.Direction = network.Outbound
			}
		})
	}
	runPutCases(t, []putCase{
		{name: "AZ-2 valid rule", put: nsg(good)},
		{name: "AZ-2 priority below 100", put: nsg(with(func(r *network.SecurityRule) { r.Priority = 99 })), kind: flex.ErrInvalid, rule: "AZ-2"},
		{name: "AZ-2 priority above 4096", put: nsg(with(func(r *network.SecurityRule) { r.Priority = 4097 })), kind: flex.ErrInvalid, rule: "AZ-2"},
		{name: "AZ-2 duplicate priority in a direction", put: nsg(good, with(func(r *network.SecurityRule) { r.Name = "Other" })), kind: flex.ErrInvalid, rule: "AZ-2"},
		{name: "AZ-2 same priority in the other direction", put: nsg(good, with(func(r *network.SecurityRule) { r.Name = "Out"; r.Direction = network.Outbound }))},
		{name: "AZ-2 bad name", put: nsg(with(func(r *network.SecurityRule) { r.Name = "-bad name" })), kind: flex.ErrInvalid, rule: "AZ-2"},
		{name: "AZ-2 more than 1000 rules", put: nsg(many...), kind: flex.ErrInvalid, rule: "AZ-2"},
	})
}

func TestAZ3Routes(t *testing.T) {
	rt := func(routes ...flex.Route) func() flex.Resource {
		return func() flex.Resource {
			return &flex.RouteTable{Meta: meta(id(flex.TypeRouteTable, "rt")), Routes: routes}
		}
	}
	many := make([]flex.Route, fake.MaxRoutes+1)
	for i := range many {
		many[i] = route(fmt.Sprintf("r%d", i), netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24).String(), "Internet", "")
	}
	runPutCases(t, []putCase{
		{name: "AZ-3 every next hop type", put: rt(route("a", "10.1.0.0/16", "VirtualNetworkGateway", ""), route("b", "10.2.0.0/16", "VnetLocal", ""),
			route("c", "0.0.0.0/0", "Internet", ""), route("d", "10.3.0.0/16", "VirtualAppliance", "10.0.0.4"), route("e", "10.4.0.0/16", "None", ""))},
		{name: "AZ-3 400 routes", put: rt(many[:fake.MaxRoutes]...)},
		{name: "AZ-3 401 routes", put: rt(many...), kind: flex.ErrInvalid, rule: "AZ-3"},
		{name: "AZ-3 unknown next hop", put: rt(route("a", "10.1.0.0/16", "Firewall", "")), kind: flex.ErrInvalid, rule: "AZ-3"},
		{name: "AZ-3 appliance without IP", put: rt(route("a", "10.1.0.0/16", "VirtualAppliance", "")), kind: flex.ErrInvalid, rule: "AZ-3"},
		{name: "AZ-3 IP on an Internet route", put: rt(route("a", "0.0.0.0/0", "Internet", "10.0.0.4")), kind: flex.ErrInvalid, rule: "AZ-3"},
		{name: "route prefix with host bits", put: rt(route("a", "10.1.0.1/16", "Internet", "")), kind: flex.ErrInvalid},
	})
}

func TestAZ4NATGateways(t *testing.T) {
	nat := func(minutes int) func() flex.Resource {
		return func() flex.Resource {
			return &flex.NATGateway{Meta: meta(id(flex.TypeNATGateway, "nat")), IdleTimeoutMinutes: minutes}
		}
	}
	runPutCases(t, []putCase{
		{name: "AZ-4 idle timeout 4", put: nat(4)},
		{name: "AZ-4 idle timeout 120", put: nat(120)},
		{name: "AZ-4 idle timeout 3", put: nat(3), kind: flex.ErrInvalid, rule: "AZ-4"},
		{name: "AZ-4 idle timeout 121", put: nat(121), kind: flex.ErrInvalid, rule: "AZ-4"},
	})
	t.Run("AZ-4 default timeout and a public IP that is never reused", func(t *testing.T) {
		c, _ := newCloud(t)
		a := mustPut(t, c, nat(0)().(*flex.NATGateway))
		if a.IdleTimeoutMinutes != 4 {
			t.Errorf("idle timeout %d, want the default 4", a.IdleTimeoutMinutes)
		}
		if a.PublicIP != addr("192.0.2.1") {
			t.Errorf("public IP %v, want 192.0.2.1", a.PublicIP)
		}
		a.IdleTimeoutMinutes = 30
		a.PublicIP = addr("8.8.8.8") // the cloud assigns it; Put ignores it
		again := mustPut(t, c, a)
		if again.PublicIP != addr("192.0.2.1") || again.IdleTimeoutMinutes != 30 {
			t.Errorf("update: %v, %d", again.PublicIP, again.IdleTimeoutMinutes)
		}
		wantKind(t, c.Delete(ctx, a.ID), nil)
		b := mustPut(t, c, nat(0)().(*flex.NATGateway))
		if b.PublicIP == a.PublicIP {
			t.Errorf("public IP %v reused", b.PublicIP)
		}
	})
	t.Run("AZ-4 public addresses run out", func(t *testing.T) {
		c, _ := newCloud(t)
		seen := map[netip.Addr]bool{}
		for i := range 762 {
			n := mustPut(t, c, &flex.NATGateway{Meta: meta(id(flex.TypeNATGateway, fmt.Sprintf("nat%d", i)))})
			if seen[n.PublicIP] || !n.PublicIP.Is4() {
				t.Fatalf("public IP %v handed out twice", n.PublicIP)
			}
			seen[n.PublicIP] = true
		}
		_, err := c.Put(ctx, &flex.NATGateway{Meta: meta(id(flex.TypeNATGateway, "one-more"))})
		wantCode(t, err, flex.ErrLimit, "PublicIPCountLimitReached")
	})
}

func gatewayNet(t *testing.T, c *fake.Cloud) {
	mustPut(t, c, vnet("v", "10.0.0.0/16", subnet("a", "10.0.0.0/24"), subnet(fake.GatewaySubnet, "10.0.255.0/27")))
}

func gw(sku string, bgp bool, asn uint32) func() flex.Resource {
	return func() flex.Resource {
		return &flex.VPNGateway{Meta: meta(id(flex.TypeVPNGateway, "gw")), VirtualNetwork: id(flex.TypeVirtualNetwork, "v"), SKU: sku, EnableBGP: bgp, ASN: asn}
	}
}

func TestAZ5VPN(t *testing.T) {
	var cases []putCase
	for _, sku := range []string{"Basic", "VpnGw1", "VpnGw2", "VpnGw3", "VpnGw4", "VpnGw5", "VpnGw1AZ", "VpnGw2AZ", "VpnGw3AZ", "VpnGw4AZ", "VpnGw5AZ"} {
		cases = append(cases, putCase{name: "AZ-5 SKU " + sku, setup: gatewayNet, put: gw(sku, false, 0)})
	}
	noGatewaySubnet := func(t *testing.T, c *fake.Cloud) { network10(t, c) }
	cases = append(cases,
		putCase{name: "AZ-5 unknown SKU", setup: gatewayNet, put: gw("VpnGw6", false, 0), kind: flex.ErrInvalid, rule: "AZ-5"},
		putCase{name: "AZ-5 no BGP on Basic", setup: gatewayNet, put: gw("Basic", true, 0), kind: flex.ErrInvalid, rule: "AZ-5"},
		putCase{name: "AZ-5 BGP on VpnGw1", setup: gatewayNet, put: gw("VpnGw1", true, 65010)},
		putCase{name: "AZ-5 reserved gateway ASN 65518", setup: gatewayNet, put: gw("VpnGw1", true, 65518), kind: flex.ErrInvalid, rule: "AZ-5"},
		putCase{name: "AZ-5 reserved gateway ASN 8075", setup: gatewayNet, put: gw("VpnGw1", true, 8075), kind: flex.ErrInvalid, rule: "AZ-5"},
		putCase{name: "AZ-5 gateway needs GatewaySubnet", setup: noGatewaySubnet, put: gw("VpnGw1", false, 0), kind: flex.ErrInvalid, rule: "AZ-5"},
		putCase{name: "AZ-5 gateway needs its VNet", put: gw("VpnGw1", false, 0), kind: flex.ErrNotFound},
		putCase{name: "AZ-9 AZ SKU where there are no zones", setup: gatewayNet,
			put:  func() flex.Resource { r := gw("VpnGw1AZ", false, 0)(); r.Metadata().Region = network.WestUS; return r },
			kind: flex.ErrInvalid, rule: "AZ-9"},
	)
	runPutCases(t, cases)

	t.Run("AZ-5 gateway ASN defaults to 65515 and one gateway per VNet", func(t *testing.T) {
		c, _ := newCloud(t)
		gatewayNet(t, c)
		g := mustPut(t, c, gw("VpnGw1", true, 0)().(*flex.VPNGateway))
		if g.ASN != fake.DefaultGatewayASN || !g.PublicIP.IsValid() {
			t.Errorf("gateway ASN %d, public IP %v", g.ASN, g.PublicIP)
		}
		second := gw("VpnGw1", false, 0)().(*flex.VPNGateway)
		second.ID.Name = "gw2"
		_, err := c.Put(ctx, second)
		wantKind(t, err, flex.ErrConflict)
		g.SKU = "Basic"
		g.EnableBGP = false
		_, err = c.Put(ctx, g)
		wantCode(t, err, flex.ErrConflict, "PropertyChangeNotAllowed")
		v, _ := flex.GetAs[*flex.VirtualNetwork](ctx, c, id(flex.TypeVirtualNetwork, "v"))
		v.Subnets = v.Subnets[:1]
		_, err = c.Put(ctx, v)
		wantCode(t, err, flex.ErrConflict, "InUseSubnetCannotBeDeleted") // RULE AZ-1: the gateway holds GatewaySubnet
		wantCode(t, c.Delete(ctx, v.ID), flex.ErrConflict, "InUseSubnetCannotBeDeleted")
	})

	local := func(asn uint32) *flex.LocalGateway {
		l := &flex.LocalGateway{Meta: meta(id(flex.TypeLocalGateway, "onprem")), GatewayIP: addr("198.51.100.77"),
			AddressPrefixes: []netip.Prefix{pfx("192.168.0.0/16")}, ASN: asn}
		if asn != 0 {
			l.BGPPeer = addr("192.168.0.1")
		}
		return l
	}
	conn := func(key string, bgp bool) *flex.VPNConnection {
		return &flex.VPNConnection{Meta: meta(id(flex.TypeVPNConnection, "conn")), Gateway: id(flex.TypeVPNGateway, "gw"),
			Local: id(flex.TypeLocalGateway, "onprem"), SharedKey: secret.New(key), EnableBGP: bgp}
	}
	for _, tc := range []struct {
		name string
		key  string
		ok   bool
	}{
		{"AZ-5 PSK printable", "Abc123!@#$%^&*()_+=", true},
		{"AZ-5 PSK 128 characters", strings.Repeat("k", 128), true},
		{"AZ-5 PSK empty", "", false},
		{"AZ-5 PSK 129 characters", strings.Repeat("k", 129), false},
		{"AZ-5 PSK with space", "abc def", false},
		{"AZ-5 PSK with hyphen", "abc-def", false},
		{"AZ-5 PSK with tilde", "abc~def", false},
		{"AZ-5 PSK non-ASCII", "abcdéf", false},
		{"AZ-5 PSK control character", "abc\tdef", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newCloud(t)
			gatewayNet(t, c)
			mustPut(t, c, gw("VpnGw1", false, 0)().(*flex.VPNGateway))
			mustPut(t, c, local(0))
			_, err := c.Put(ctx, conn(tc.key, false))
			if tc.ok {
				wantKind(t, err, nil)
				return
			}
			wantRule(t, err, flex.ErrInvalid, "AZ-5")
			if tc.key != "" && strings.Contains(err.Error(), tc.key) {
				t.Errorf("the error quotes the pre-shared key: %v", err) // RULE SEC-1
			}
		})
	}
	t.Run("AZ-5 BGP ASNs", func(t *testing.T) {
		c, _ := newCloud(t)
		gatewayNet(t, c)
		mustPut(t, c, gw("VpnGw1", true, 65010)().(*flex.VPNGateway))
		_, err := c.Put(ctx, local(65515))
		wantRule(t, err, flex.ErrInvalid, "AZ-5")
		for _, asn := range []uint32{8074, 12076, 23456, 64500, 65540, 4294967295} {
			_, err := c.Put(ctx, local(asn))
			wantRule(t, err, flex.ErrInvalid, "AZ-5")
		}
		mustPut(t, c, local(65010))
		_, err = c.Put(ctx, conn("secret", true))
		wantRule(t, err, flex.ErrInvalid, "AZ-5") // the two ends differ
		mustPut(t, c, local(65020))
		mustPut(t, c, conn("secret", true))
		wantCode(t, c.Delete(ctx, id(flex.TypeVPNGateway, "gw")), flex.ErrConflict, "InUseVirtualNetworkGatewayCannotBeDeleted")
		wantCode(t, c.Delete(ctx, id(flex.TypeLocalGateway, "onprem")), flex.ErrConflict, "InUseLocalNetworkGatewayCannotBeDeleted")
		wantKind(t, c.ResetVPNGateway(ctx, id(flex.TypeVPNGateway, "gw")), nil)
		wantKind(t, c.ResetVPNGateway(ctx, id(flex.TypeVPNGateway, "nope")), flex.ErrNotFound)
	})
	t.Run("AZ-5 BGP connection needs BGP on the gateway", func(t *testing.T) {
		c, _ := newCloud(t)
		gatewayNet(t, c)
		mustPut(t, c, gw("VpnGw1", false, 0)().(*flex.VPNGateway))
		mustPut(t, c, local(65020))
		_, err := c.Put(ctx, conn("secret", true))
		wantRule(t, err, flex.ErrInvalid, "AZ-5")
	})
}

func hub(sku, space string) *flex.VirtualHub {
	return &flex.VirtualHub{Meta: flex.Meta{ID: id(flex.TypeVirtualHub, "hub"), Region: region}, SKU: sku, AddressSpace: pfx(space)}
}

func TestAZ6Hubs(t *testing.T) {
	runPutCases(t, []putCase{
		{name: "AZ-6 Standard /24", put: func() flex.Resource { return hub("Standard", "10.100.0.0/24") }},
		{name: "AZ-6 Basic /23", put: func() flex.Resource { return hub("Basic", "10.100.0.0/23") }},
		{name: "AZ-6 Premium SKU", put: func() flex.Resource { return hub("Premium", "10.100.0.0/24") }, kind: flex.ErrInvalid, rule: "AZ-6"},
		{name: "AZ-6 /25 too small", put: func() flex.Resource { return hub("Standard", "10.100.0.0/25") }, kind: flex.ErrInvalid, rule: "AZ-6"},
	})
	conn := func(name, vnetName string) *flex.HubConnection {
		return &flex.HubConnection{Meta: meta(id(flex.TypeHubConnection, "hub/"+name)), Remote: id(flex.TypeVirtualNetwork, vnetName)}
	}
	t.Run("AZ-6 a VNet connects to one hub and has no gateway", func(t *testing.T) {
		c, _ := newCloud(t)
		mustPut(t, c, hub("Standard", "10.100.0.0/24"))
		other := hub("Standard", "10.101.0.0/24")
		other.ID.Name = "hub2"
		mustPut(t, c, other)
		mustPut(t, c, vnet("v", "10.0.0.0/16", subnet(fake.GatewaySubnet, "10.0.255.0/27")))
		mustPut(t, c, vnet("w", "10.1.0.0/16", subnet(fake.GatewaySubnet, "10.1.255.0/27")))
		mustPut(t, c, vnet("over", "10.100.0.0/16"))
		mustPut(t, c, conn("to-v", "v"))
		mustPut(t, c, conn("to-v", "v")) // a retry
		second := conn("to-v", "v")
		second.ID.Name = "hub2/to-v"
		_, err := c.Put(ctx, second)
		wantRule(t, err, flex.ErrConflict, "AZ-6")
		_, err = c.Put(ctx, gw("VpnGw1", false, 0)()) // in v, which is hub-connected
		wantRule(t, err, flex.ErrConflict, "AZ-6")
		g := gw("VpnGw1", false, 0)().(*flex.VPNGateway)
		g.VirtualNetwork = id(flex.TypeVirtualNetwork, "w")
		mustPut(t, c, g)
		_, err = c.Put(ctx, conn("to-w", "w"))
		wantRule(t, err, flex.ErrConflict, "AZ-6")
		_, err = c.Put(ctx, conn("to-over", "over"))
		wantRule(t, err, flex.ErrConflict, "AZ-6") // overlaps the hub
		wantCode(t, c.Delete(ctx, id(flex.TypeVirtualNetwork, "v")), flex.ErrConflict, "InUseVirtualNetworkCannotBeDeleted")
		wantCode(t, c.Delete(ctx, id(flex.TypeVirtualHub, "hub")), flex.ErrConflict, "CannotDeleteVirtualHubWhenItIsInUse")
	})
}

func TestAZ7Names(t *testing.T) {
	named := func(name, computer string) func() flex.Resource {
		return func() flex.Resource {
			v := vm(name, "v", "a")
			v.ComputerName = computer
			return v
		}
	}
	cases := []putCase{
		{name: "AZ-7 computer name of 15", put: named("vm", "ABCDEFGHIJKLMN1")},
		{name: "AZ-7 computer name of 16", put: named("vm", "ABCDEFGHIJKLMN12"), kind: flex.ErrInvalid, rule: "AZ-7"},
		{name: "AZ-7 computer name only digits", put: named("vm", "12345"), kind: flex.ErrInvalid, rule: "AZ-7"},
		{name: "AZ-7 computer name ending in -", put: named("vm", "pc-"), kind: flex.ErrInvalid, rule: "AZ-7"},
		{name: "AZ-7 computer name with _", put: named("vm", "pc_1"), kind: flex.ErrInvalid, rule: "AZ-7"},
		{name: "AZ-7 computer name with .", put: named("vm", "pc.1"), kind: flex.ErrInvalid, rule: "AZ-7"},
		{name: "AZ-7 computer name from a long VM name", put: named("a-vm-name-of-twenty", ""), kind: flex.ErrInvalid, rule: "AZ-7"},
		{name: "AZ-7 VM name of 64", put: named(strings.Repeat("v", 64), "pc")},
		{name: "AZ-7 VM name of 65", put: named(strings.Repeat("v", 65), "pc"), kind: flex.ErrInvalid, rule: "AZ-7"},
		{name: "AZ-7 VM name with a space", put: named("my vm", "pc"), kind: flex.ErrInvalid, rule: "AZ-7"},
		{name: "AZ-7 VM name ending in .", put: named("vm.", "pc"), kind: flex.ErrInvalid, rule: "AZ-7"},
		{name: "AZ-7 VM name starting with _", put: named("_vm", "pc"), kind: flex.ErrInvalid, rule: "AZ-7"},
	}
	for i := range cases {
		cases[i].setup = func(t *testing.T, c *fake.Cloud) { network10(t, c) }
	}
	cases = append(cases,
		putCase{name: "resource group name of 91", put: func() flex.Resource {
			return &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(sub, strings.Repeat("g", 91)), Region: region}}
		}, kind: flex.ErrInvalid, code: "InvalidResourceGroupName"},
		putCase{name: "network name with a space", put: func() flex.Resource { return vnet("my vnet", "10.0.0.0/16") }, kind: flex.ErrInvalid, code: "InvalidResourceName"},
	)
	runPutCases(t, cases)
}

func TestAZ7CredentialsNeverQuoted(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	for _, pw := range []string{"short1A!", "alllowercaseletters", strings.Repeat("Aa1!", 31)} {
		r := vm("pc-1", "v", "a")
		r.AdminPassword = secret.New(pw)
		_, err := c.Put(ctx, r)
		wantCode(t, err, flex.ErrInvalid, "password")
		if strings.Contains(err.Error(), pw) {
			t.Errorf("the error quotes the password: %v", err) // RULE SEC-1
		}
	}
	r := vm("pc-1", "v", "a")
	r.AdminUsername = "Administrator"
	_, err := c.Put(ctx, r)
	wantCode(t, err, flex.ErrInvalid, "reserved")
}

func TestAZ9Zones(t *testing.T) {
	zoned := func(reg network.Region, zone string) func() flex.Resource {
		return func() flex.Resource {
			v := vm("pc-1", "v", "a")
			v.Region, v.Zone = reg, zone
			return v
		}
	}
	var cases []putCase
	for _, reg := range []network.Region{network.NorthCentralUS, network.WestUS, network.WestEurope, network.EastUS} {
		setup := func(t *testing.T, c *fake.Cloud) {
			v := vnet("v", "10.0.0.0/16", subnet("a", "10.0.0.0/24"))
			v.Region = reg
			mustPut(t, c, v)
		}
		cases = append(cases, putCase{name: "AZ-9 no zone in " + string(reg), setup: setup, put: zoned(reg, "")})
		for _, z := range []string{"1", "2", "3"} {
			pc := putCase{name: "AZ-9 zone " + z + " in " + string(reg), setup: setup, put: zoned(reg, z)}
			if !reg.HasZones() {
				pc.kind, pc.rule = flex.ErrInvalid, "AZ-9"
			}
			cases = append(cases, pc)
		}
		cases = append(cases, putCase{name: "AZ-9 zone 4 in " + string(reg), setup: setup, put: zoned(reg, "4"), kind: flex.ErrInvalid, rule: "AZ-9"})
	}
	runPutCases(t, cases)
}

var _ = image.Gen2

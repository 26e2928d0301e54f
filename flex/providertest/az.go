package providertest

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

// The Azure facts of RULES.md AZ-1 to AZ-9. A request that breaks one is
// ErrInvalid and creates nothing; one refused because of what the cloud
// holds is ErrConflict.

// AZ-1: address spaces and subnets.

func checkReservedRanges(e *env) {
	e.group(baseGroup)
	for i, s := range []string{
		"224.0.0.0/24", "239.255.0.0/16", "224.0.0.0/3", // multicast 224.0.0.0/4
		"255.255.255.255/32",          // broadcast
		"127.0.0.0/8", "127.5.0.0/16", // loopback
		"169.254.0.0/16", "169.254.10.0/24", // link-local
		"168.63.129.16/32", "168.63.128.0/22", // Azure's host address
		"160.0.0.0/4",
	} {
		e.wantInvalid(e.vnet(baseGroup, fmt.Sprintf("vnet-reserved-%d", i), s), "AZ-1: address space "+s+" holds a reserved range")
	}
	mixed := e.vnet(baseGroup, "vnet-reserved-second", "10.20.0.0/16")
	mixed.AddressSpace = append(mixed.AddressSpace, pfx("169.254.0.0/24"))
	e.wantInvalid(mixed, "AZ-1: second address range 169.254.0.0/24 is reserved")
	for i, s := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "168.63.130.0/24", "169.253.0.0/16", "126.0.0.0/8", "223.255.255.0/24"} {
		e.wantAccepted(e.vnet(baseGroup, fmt.Sprintf("vnet-ok-%d", i), s), "AZ-1: address space "+s+" holds no reserved range")
	}
}

func checkSubnetSizes(e *env) {
	e.group(baseGroup)
	for _, bits := range []int{30, 31, 32} {
		p := fmt.Sprintf("10.20.0.0/%d", bits)
		e.wantInvalid(e.vnet(baseGroup, fmt.Sprintf("vnet-sub%d", bits), "10.20.0.0/16", subnet("small", p)), "AZ-1: subnet "+p+" is smaller than a /29")
	}
	e.wantAccepted(e.vnet(baseGroup, "vnet-sub29", "10.20.0.0/16", subnet("small", "10.20.0.0/29")), "AZ-1: a /29 subnet")
	e.wantAccepted(e.vnet(baseGroup, "vnet-sub8", "10.0.0.0/8", subnet("big", "10.0.0.0/8")), "AZ-1: a /8 subnet filling its address space")
}

func checkSubnetsInside(e *env) {
	e.group(baseGroup)
	e.wantInvalid(e.vnet(baseGroup, "vnet-outside", "10.20.0.0/16", subnet("out", "10.99.0.0/24")), "AZ-1: subnet outside the address space")
	e.wantInvalid(e.vnet(baseGroup, "vnet-straddle", "10.20.0.0/24", subnet("wide", "10.20.0.0/23")), "AZ-1: subnet larger than the address space")
}

// checkSubnetsOverlap: subnets of one VNet never overlap; one request that
// breaks it is ErrInvalid (Azure's 400 NetcfgSubnetRangesOverlap).
func checkSubnetsOverlap(e *env) {
	e.group(baseGroup)
	e.wantInvalid(e.vnet(baseGroup, "vnet-overlap", "10.20.0.0/16", subnet("a", "10.20.1.0/24"), subnet("b", "10.20.1.128/25")), "AZ-1: subnets overlap")
	e.wantInvalid(e.vnet(baseGroup, "vnet-same", "10.20.0.0/16", subnet("a", "10.20.1.0/24"), subnet("b", "10.20.1.0/24")), "AZ-1: two subnets with one range")
	e.wantAccepted(e.vnet(baseGroup, "vnet-adjacent", "10.20.0.0/16", subnet("a", "10.20.1.0/25"), subnet("b", "10.20.1.128/25")), "AZ-1: adjacent subnets")
	v := get[*flex.VirtualNetwork](e, e.id(baseGroup, flex.TypeVirtualNetwork, "vnet-adjacent"))
	v.Subnets = append(v.Subnets, subnet("c", "10.20.1.64/26"))
	e.wantRefused(v, flex.ErrInvalid, "AZ-1: an update adds a subnet overlapping two others")
}

// checkPeeredOverlap: peered VNets never overlap (AZ-1): a peering to an
// overlapping VNet, or to one overlapping a VNet already peered, and a
// new address range overlapping a peer, are ErrConflict.
func checkPeeredOverlap(e *env) {
	e.group(baseGroup)
	a := put(e, e.vnet(baseGroup, "vnet-a", "10.40.0.0/16"))
	b := put(e, e.vnet(baseGroup, "vnet-b", "10.40.128.0/17"))
	c := put(e, e.vnet(baseGroup, "vnet-c", "10.41.0.0/16"))
	d := put(e, e.vnet(baseGroup, "vnet-d", "10.41.0.0/24"))
	e.wantRefused(&flex.Peering{Meta: e.meta(a.ID.Child(flex.TypePeering, "a-to-b")), Remote: b.ID}, flex.ErrConflict,
		"AZ-1: peering of overlapping VNets")
	put(e, &flex.Peering{Meta: e.meta(a.ID.Child(flex.TypePeering, "a-to-c")), Remote: c.ID})
	e.wantRefused(&flex.Peering{Meta: e.meta(a.ID.Child(flex.TypePeering, "a-to-d")), Remote: d.ID}, flex.ErrConflict,
		"AZ-1: peering to a VNet that overlaps one already peered")
	grown := get[*flex.VirtualNetwork](e, a.ID)
	grown.AddressSpace = append(grown.AddressSpace, pfx("10.41.5.0/24"))
	e.wantRefused(grown, flex.ErrConflict, "AZ-1: new address range overlapping a peered VNet")
}

func checkGatewaySubnetNAT(e *env) {
	e.group(baseGroup)
	nat := put(e, &flex.NATGateway{Meta: e.meta(e.id(baseGroup, flex.TypeNATGateway, "nat-gw"))})
	v := e.vnet(baseGroup, "vnet-gwnat", "10.20.0.0/16", subnet(machines, "10.20.1.0/24"), subnet(gatewaySubnet, "10.20.255.0/27"))
	v.Subnets[1].NATGateway = nat.ID
	e.wantInvalid(v, "AZ-1: NAT gateway on GatewaySubnet")
	v.Subnets[0].NATGateway, v.Subnets[1].NATGateway = nat.ID, flex.ResourceID{}
	e.wantAccepted(v, "AZ-1: NAT gateway on a machines subnet")
}

// AZ-2: NSG rules.

func checkPriorityRange(e *env) {
	e.group(baseGroup)
	for _, p := range []int{-1, 0, 99, 4097, 65000} {
		e.wantInvalid(e.nsg(baseGroup, fmt.Sprintf("nsg-prio-%d", p), nsgRule("r", p, network.Inbound)), fmt.Sprintf("AZ-2: priority %d", p))
	}
	for _, p := range []int{100, 4096} {
		e.wantAccepted(e.nsg(baseGroup, fmt.Sprintf("nsg-prio-%d", p), nsgRule("r", p, network.Inbound)), fmt.Sprintf("AZ-2: priority %d", p))
	}
}

func checkPriorityUnique(e *env) {
	e.group(baseGroup)
	e.wantInvalid(e.nsg(baseGroup, "nsg-dup", nsgRule("a", 200, network.Inbound), nsgRule("b", 200, network.Inbound)), "AZ-2: two inbound rules of priority 200")
	e.wantInvalid(e.nsg(baseGroup, "nsg-dup-out", nsgRule("a", 300, network.Outbound), nsgRule("b", 300, network.Outbound)), "AZ-2: two outbound rules of priority 300")
	e.wantAccepted(e.nsg(baseGroup, "nsg-both", nsgRule("a", 200, network.Inbound), nsgRule("b", 200, network.Outbound)), "AZ-2: priority 200 once per direction")
}

func checkRuleNames(e *env) {
	e.group(baseGroup)
	for i, n := range []string{"", strings.Repeat("r", 81), "-starts-with-dash", ".starts-with-dot", "has space", "has/slash", "has*star"} {
		e.wantInvalid(e.nsg(baseGroup, fmt.Sprintf("nsg-name-%d", i), nsgRule(n, 100, network.Inbound)), fmt.Sprintf("AZ-2: rule name %q", n))
	}
	for i, n := range []string{"a", strings.Repeat("r", 80), "Allow_HTTPS-443.v2", "9lives"} {
		e.wantAccepted(e.nsg(baseGroup, fmt.Sprintf("nsg-okname-%d", i), nsgRule(n, 100, network.Inbound)), fmt.Sprintf("AZ-2: rule name %q", n))
	}
}

func checkRuleNamesUnique(e *env) {
	e.group(baseGroup)
	e.wantInvalid(e.nsg(baseGroup, "nsg-dupname", nsgRule("same", 100, network.Inbound), nsgRule("same", 200, network.Outbound)), "AZ-2: two rules named same")
}

func checkPortsProtocols(e *env) {
	e.group(baseGroup)
	reversed := nsgRule("reversed", 100, network.Inbound)
	reversed.DestinationPorts = []network.PortRange{{First: 500, Last: 400}}
	e.wantInvalid(e.nsg(baseGroup, "nsg-reversed", reversed), "AZ-2: port range 500-400")
	noPorts := nsgRule("noports", 100, network.Inbound)
	noPorts.DestinationPorts = nil
	e.wantInvalid(e.nsg(baseGroup, "nsg-noports", noPorts), "AZ-2: no destination port")
	for _, p := range []network.Protocol{0, 99} {
		r := nsgRule("proto", 100, network.Inbound)
		r.Protocol = p
		e.wantInvalid(e.nsg(baseGroup, fmt.Sprintf("nsg-proto-%d", p), r), fmt.Sprintf("AZ-2: protocol %d", p))
	}
	var rules []network.SecurityRule
	for i, p := range []network.Protocol{network.TCP, network.UDP, network.ICMP, network.ESP, network.AH, network.AnyProtocol} {
		r := nsgRule(fmt.Sprintf("p%d", i), 100+i, network.Inbound)
		r.Protocol = p
		r.DestinationPorts = []network.PortRange{network.Ports(8000, 8080), network.Port(443)}
		rules = append(rules, r)
	}
	e.wantAccepted(e.nsg(baseGroup, "nsg-protocols", rules...), "AZ-2: every protocol, ports and ranges")
}

func checkRuleCount(e *env) {
	e.group(baseGroup)
	rules := make([]network.SecurityRule, 0, network.MaxRules+1)
	for i := range network.MaxRules {
		rules = append(rules, nsgRule(fmt.Sprintf("r%04d", i), 100+i, network.Inbound))
	}
	e.wantAccepted(e.nsg(baseGroup, "nsg-1000", rules...), "AZ-2: 1,000 rules")
	rules = append(rules, nsgRule("one-too-many", 100, network.Outbound))
	e.wantInvalid(e.nsg(baseGroup, "nsg-1001", rules...), "AZ-2: 1,001 rules")
}

// AZ-3: routes.

func routes(n int) []flex.Route {
	out := make([]flex.Route, n)
	for i := range out {
		out[i] = flex.Route{Name: fmt.Sprintf("r%03d", i), Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(100 + i/256), byte(i % 256), 0}), 24), NextHop: "VnetLocal"}
	}
	return out
}

func (e *env) routeTable(name string, rs ...flex.Route) *flex.RouteTable {
	return &flex.RouteTable{Meta: e.meta(e.id(baseGroup, flex.TypeRouteTable, name)), Routes: rs}
}

func checkRouteCount(e *env) {
	e.group(baseGroup)
	e.wantAccepted(e.routeTable("rt-400", routes(400)...), "AZ-3: 400 routes")
	e.wantInvalid(e.routeTable("rt-401", routes(401)...), "AZ-3: 401 routes")
}

func checkNextHops(e *env) {
	e.group(baseGroup)
	appliance := addr("10.10.1.4")
	var ok []flex.Route
	for i, h := range []string{"VirtualNetworkGateway", "VnetLocal", "Internet", "None"} {
		ok = append(ok, flex.Route{Name: strings.ToLower(h), Prefix: pfx(fmt.Sprintf("10.%d.0.0/16", 50+i)), NextHop: h})
	}
	ok = append(ok, flex.Route{Name: "appliance", Prefix: pfx("0.0.0.0/0"), NextHop: "VirtualAppliance", NextHopIP: appliance})
	e.wantAccepted(e.routeTable("rt-hops", ok...), "AZ-3: every next hop type")
	for i, r := range []flex.Route{
		{Name: "no-ip", Prefix: pfx("0.0.0.0/0"), NextHop: "VirtualAppliance"},
		{Name: "internet-ip", Prefix: pfx("0.0.0.0/0"), NextHop: "Internet", NextHopIP: appliance},
		{Name: "gateway-ip", Prefix: pfx("10.50.0.0/16"), NextHop: "VirtualNetworkGateway", NextHopIP: appliance},
		{Name: "bogus", Prefix: pfx("10.50.0.0/16"), NextHop: "Bogus"},
		{Name: "empty", Prefix: pfx("10.50.0.0/16"), NextHop: ""},
	} {
		e.wantInvalid(e.routeTable(fmt.Sprintf("rt-bad-%d", i), r), fmt.Sprintf("AZ-3: route %s next hop %q with IP %v", r.Name, r.NextHop, r.NextHopIP))
	}
}

// AZ-4: NAT gateways.

func checkIdleTimeout(e *env) {
	e.group(baseGroup)
	nat := func(name string, minutes int) *flex.NATGateway {
		return &flex.NATGateway{Meta: e.meta(e.id(baseGroup, flex.TypeNATGateway, name)), IdleTimeoutMinutes: minutes}
	}
	if got, _ := e.wantAccepted(nat("nat-default", 0), "AZ-4: no idle timeout").(*flex.NATGateway); got != nil && got.IdleTimeoutMinutes != network.DefaultNATIdleTimeout {
		e.t.Errorf("NAT gateway without an idle timeout has %d minutes; want the default %d (AZ-4)", got.IdleTimeoutMinutes, network.DefaultNATIdleTimeout)
	}
	for _, m := range []int{4, 120} {
		e.wantAccepted(nat(fmt.Sprintf("nat-%d", m), m), fmt.Sprintf("AZ-4: idle timeout %d minutes", m))
	}
	for _, m := range []int{-1, 3, 121, 240} {
		e.wantInvalid(nat(fmt.Sprintf("nat-bad%d", m+1), m), fmt.Sprintf("AZ-4: idle timeout %d minutes", m))
	}
}

func checkNATPublicIP(e *env) {
	e.group(baseGroup)
	seen := make(map[netip.Addr]string)
	for _, name := range []string{"nat-1", "nat-2", "nat-3"} {
		n := put(e, &flex.NATGateway{Meta: e.meta(e.id(baseGroup, flex.TypeNATGateway, name))})
		ip := n.PublicIP
		if !ip.IsValid() || !ip.Is4() || ip.IsPrivate() || ip.IsLoopback() || ip.IsUnspecified() || ip.IsMulticast() || ip.IsLinkLocalUnicast() {
			e.t.Errorf("NAT gateway %s has public IP %v; want a public IPv4 address (AZ-4)", name, ip)
		}
		if other, dup := seen[ip]; dup {
			e.t.Errorf("NAT gateways %s and %s share public IP %v", other, name, ip)
		}
		seen[ip] = name
	}
}

// AZ-5: VPN gateways and connections.

func checkVPNSKUs(e *env) {
	e.group(baseGroup)
	gwVNet := func(i int) flex.ResourceID {
		v := e.vnet(baseGroup, fmt.Sprintf("vnet-sku-%d", i), fmt.Sprintf("10.%d.0.0/16", 60+i), subnet(gatewaySubnet, fmt.Sprintf("10.%d.255.0/27", 60+i)))
		return put(e, v).ID
	}
	skus := []string{"Basic", "VpnGw1", "VpnGw2", "VpnGw3", "VpnGw4", "VpnGw5", "VpnGw1AZ", "VpnGw2AZ", "VpnGw3AZ", "VpnGw4AZ", "VpnGw5AZ"}
	for i, sku := range skus {
		if got, _ := e.wantAccepted(e.gateway(gwVNet(i), "vgw-"+strings.ToLower(sku), sku, 0), "AZ-5: SKU "+sku).(*flex.VPNGateway); got != nil && got.SKU != sku {
			e.t.Errorf("gateway of SKU %s has SKU %q", sku, got.SKU)
		}
	}
	for i, sku := range []string{"VpnGw6", "VpnGw0", "ErGw1AZ", "Premium", ""} {
		e.wantInvalid(e.gateway(gwVNet(len(skus)+i), fmt.Sprintf("vgw-bad-%d", i), sku, 0), fmt.Sprintf("AZ-5: SKU %q", sku))
	}
}

func checkBGP(e *env) {
	b := e.base()
	basic := e.gateway(b.vnet, "vgw-basic-bgp", "Basic", 65010)
	e.wantInvalid(basic, "AZ-5: BGP on a Basic gateway")
	gw := e.gateway(b.vnet, "vgw-bgp", "VpnGw1", 0)
	gw.EnableBGP = true
	if got, _ := e.wantAccepted(gw, "AZ-5: BGP without an ASN").(*flex.VPNGateway); got != nil && got.ASN != network.DefaultAzureASN {
		e.t.Errorf("BGP gateway without an ASN has ASN %d; want Azure's default %d", got.ASN, network.DefaultAzureASN)
	}
}

// reservedASNs are the ASNs Azure refuses (AZ-5).
var reservedASNs = [...]uint32{8074, 8075, 12076, 65515, 65517, 65518, 65519, 65520, 23456, 64496, 64511, 65535, 65551, 4294967295}

func checkReservedASNs(e *env) {
	b := e.base()
	for _, asn := range reservedASNs {
		e.wantInvalid(e.localGateway(fmt.Sprintf("lgw-asn-%d", asn), asn), fmt.Sprintf("AZ-5: local ASN %d is reserved", asn))
		if asn != network.DefaultAzureASN {
			e.wantInvalid(e.gateway(b.vnet, fmt.Sprintf("vgw-asn-%d", asn), "VpnGw1", asn), fmt.Sprintf("AZ-5: gateway ASN %d is reserved", asn))
		}
	}
	for _, asn := range []uint32{64512, 65010, 65516, 65521, 4200000000} {
		e.wantAccepted(e.localGateway(fmt.Sprintf("lgw-asn-%d", asn), asn), fmt.Sprintf("AZ-5: local ASN %d", asn))
	}
}

func checkConnectionASNs(e *env) {
	b := e.base()
	gw := put(e, e.gateway(b.vnet, "vgw-asn", "VpnGw1", 65010))
	same := put(e, e.localGateway("lgw-same", 65010))
	other := put(e, e.localGateway("lgw-other", 65020))
	psk := secret.New("Asn.Key_1")
	e.wantInvalid(e.connection("conn-same-asn", gw.ID, same.ID, psk, true), "AZ-5: both ends of a BGP connection have ASN 65010")
	e.wantAccepted(e.connection("conn-other-asn", gw.ID, other.ID, psk, true), "AZ-5: ASNs 65010 and 65020")

	noBGP := put(e, e.vnet(baseGroup, "vnet-nobgp", "10.20.0.0/16", subnet(gatewaySubnet, "10.20.255.0/27")))
	plain := put(e, e.gateway(noBGP.ID, "vgw-nobgp", "VpnGw1", 0))
	e.wantInvalid(e.connection("conn-bgp-on-plain", plain.ID, other.ID, psk, true), "AZ-5: a BGP connection to a gateway without BGP")
}

func checkSharedKey(e *env) {
	l := e.vpn(e.base())
	printable := "Ab1!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}"
	for i, k := range []string{printable, strings.Repeat("k", 128), "x"} {
		e.wantAccepted(e.connection(fmt.Sprintf("conn-psk-%d", i), l.gateway, l.local, secret.New(k), true), fmt.Sprintf("AZ-5: a pre-shared key of %d characters", len(k)))
	}
	for i, k := range []string{"", strings.Repeat("q", 129), "Secret has space", "Secret-has-dash", "Secret~has~tilde", "Secret\thas\ttab", "Sécret_non_ascii"} {
		id := e.id(baseGroup, flex.TypeVPNConnection, fmt.Sprintf("conn-badpsk-%d", i))
		_, err := e.p.Put(e.ctx, e.connection(id.Name, l.gateway, l.local, secret.New(k), true))
		e.wantErr(err, flex.ErrInvalid, fmt.Sprintf("Put %s with a refused pre-shared key of %d characters (AZ-5)", id.Name, len(k)), id.Name)
		if err != nil && k != "" && strings.Contains(err.Error(), k) { // RULE SEC-1
			e.t.Errorf("the error of a refused pre-shared key shows the key (SEC-1): %v", err)
		}
		e.wantGone(id, "after a refused Put")
	}
}

func checkGatewaySubnetRequired(e *env) {
	e.group(baseGroup)
	v := put(e, e.vnet(baseGroup, "vnet-nogwsubnet", "10.20.0.0/16", subnet(machines, "10.20.1.0/24")))
	e.wantInvalid(e.gateway(v.ID, "vgw-nosubnet", "VpnGw1", 0), "AZ-5: a VNet without GatewaySubnet")
}

// AZ-6: Virtual WAN hubs.

// putCustomerErr creates a resource of the customer's and returns the
// error.
func (e *env) putCustomerErr(r flex.Resource) error {
	r.Metadata().Tags = nil
	var err error
	if c, ok := e.h.(Customer); ok {
		_, err = c.PutCustomer(e.ctx, r)
	} else {
		_, err = e.p.Put(e.ctx, r)
	}
	return err
}

func (e *env) customerHub(name, sku, space string) *flex.VirtualHub {
	return &flex.VirtualHub{Meta: flex.Meta{ID: e.id("rg-customer", flex.TypeVirtualHub, name), Region: region}, SKU: sku, AddressSpace: pfx(space)}
}

func checkHubSKUs(e *env) {
	putCustomer(e, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(e.sub, "rg-customer"), Region: region}})
	for i, sku := range []string{"Standard", "Basic"} {
		if err := e.putCustomerErr(e.customerHub(fmt.Sprintf("hub-%d", i), sku, fmt.Sprintf("10.%d.0.0/24", 100+i))); err != nil {
			e.t.Errorf("Put of a %s hub: %v; want it accepted (AZ-6)", sku, err)
		}
	}
	for i, sku := range []string{"Premium", "VpnGw1"} { // an empty SKU is Azure's default, Standard
		h := e.customerHub(fmt.Sprintf("hub-bad-%d", i), sku, "10.110.0.0/24")
		e.wantErr(e.putCustomerErr(h), flex.ErrInvalid, fmt.Sprintf("Put of a hub of SKU %q (AZ-6)", sku), h.ID.Name)
	}
}

func checkHubAddressSpace(e *env) {
	putCustomer(e, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(e.sub, "rg-customer"), Region: region}})
	for i, s := range []string{"10.100.0.0/24", "10.102.0.0/23"} {
		if err := e.putCustomerErr(e.customerHub(fmt.Sprintf("hub-%d", i), "Standard", s)); err != nil {
			e.t.Errorf("Put of a hub with address space %s: %v; want it accepted (AZ-6)", s, err)
		}
	}
	h := e.customerHub("hub-small", "Standard", "10.104.0.0/25")
	e.wantErr(e.putCustomerErr(h), flex.ErrInvalid, "Put of a hub with address space /25 (AZ-6)", h.ID.Name)
}

func checkOneHub(e *env) {
	b := e.base()
	h1 := e.hub("hub-1", "10.100.0.0/24")
	h2 := e.hub("hub-2", "10.101.0.0/24")
	put(e, e.hubConnection(h1, "conn-1", b.vnet))
	e.wantRefused(e.hubConnection(h2, "conn-2", b.vnet), flex.ErrConflict, "AZ-6: a VNet connected to a second hub")
}

func checkHubNoGateway(e *env) {
	b := e.base()
	hub := e.hub("hub-weu", "10.100.0.0/24")
	gw := put(e, e.gateway(b.vnet, "vgw-own", "VpnGw1", 0))
	e.wantRefused(e.hubConnection(hub, "conn-gw", b.vnet), flex.ErrConflict, "AZ-6: hub connection of a VNet with a gateway")
	e.del(gw.ID)
	put(e, e.hubConnection(hub, "conn-gw", b.vnet))
	e.wantRefused(e.gateway(b.vnet, "vgw-own", "VpnGw1", 0), flex.ErrConflict, "AZ-6: gateway in a hub-connected VNet")
}

func checkHubOverlap(e *env) {
	e.group(baseGroup)
	hub := e.hub("hub-weu", "10.100.0.0/24")
	over := put(e, e.vnet(baseGroup, "vnet-overhub", "10.100.0.0/16"))
	e.wantRefused(e.hubConnection(hub, "conn-overhub", over.ID), flex.ErrConflict, "AZ-6: spoke overlapping its hub")
	s1 := put(e, e.vnet(baseGroup, "vnet-s1", "10.50.0.0/16"))
	s2 := put(e, e.vnet(baseGroup, "vnet-s2", "10.50.128.0/17"))
	put(e, e.hubConnection(hub, "conn-s1", s1.ID))
	e.wantRefused(e.hubConnection(hub, "conn-s2", s2.ID), flex.ErrConflict, "AZ-1, AZ-6: spokes of one hub overlapping")
}

// AZ-7: names.

func checkComputerNames(e *env) {
	b := e.base()
	for i, n := range []string{"ABCDEFGHIJKLMNOP", "12345", "web-", "web_01", "web.01", "web 01"} {
		v := e.vm(fmt.Sprintf("vm-badname-%d", i), b.vnet, machines)
		v.ComputerName = n
		e.wantInvalid(v, fmt.Sprintf("AZ-7: computer name %q", n))
	}
	for i, n := range []string{"ABCDEFGHIJKLMNO", "a", "web-01", "1a", "Sales-007"} {
		v := e.vm(fmt.Sprintf("vm-okname-%d", i), b.vnet, machines)
		v.ComputerName = n
		e.wantAccepted(v, fmt.Sprintf("AZ-7: computer name %q", n))
	}
}

func checkVMNames(e *env) {
	b := e.base()
	long := e.vm(strings.Repeat("v", 64), b.vnet, machines)
	long.ComputerName = "vm-long"
	e.wantAccepted(long, "AZ-7: a VM name of 64 characters")
	tooLong := e.vm(strings.Repeat("w", 65), b.vnet, machines)
	tooLong.ComputerName = "vm-toolong"
	_, err := e.p.Put(e.ctx, tooLong)
	e.wantErr(err, flex.ErrInvalid, "Put of a VM name of 65 characters (AZ-7)", tooLong.ID.Name)
}

// AZ-9: zones.

// regionalVNet creates a VNet with subnet machines (and GatewaySubnet) in
// region r, in a group of its own.
func (e *env) regionalVNet(r network.Region, space string) flex.ResourceID {
	e.t.Helper()
	g := "rg-" + string(r)
	grp := &flex.ResourceGroup{Meta: e.meta(flex.GroupID(e.sub, g))}
	grp.Region = r
	put(e, grp)
	a := pfx(space).Addr().As4()
	v := e.vnet(g, "vnet-"+string(r), space,
		flex.Subnet{Name: machines, Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{a[0], a[1], 0, 0}), 24)},
		flex.Subnet{Name: gatewaySubnet, Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{a[0], a[1], 255, 0}), 27)})
	v.Region = r
	return put(e, v).ID
}

func checkZones(e *env) {
	b := e.base()
	for _, z := range []string{"1", "2", "3", ""} {
		v := e.vm("vm-zone-"+z+"x", b.vnet, machines)
		v.Zone = z
		if got, _ := e.wantAccepted(v, "AZ-9: zone "+z+" in "+string(region)).(*flex.VirtualMachine); got != nil && got.Zone != z {
			e.t.Errorf("VM in zone %q reports zone %q", z, got.Zone)
		}
	}
	for _, z := range []string{"0", "4", "westeurope-1"} {
		v := e.vm("vm-badzone-"+z, b.vnet, machines)
		v.Zone = z
		e.wantInvalid(v, fmt.Sprintf("AZ-9: zone %q", z))
	}
	for i, r := range []network.Region{network.WestUS, network.NorthCentralUS} {
		vnet := e.regionalVNet(r, fmt.Sprintf("10.%d.0.0/16", 30+i))
		v := e.vm("vm-"+string(r), vnet, machines)
		v.Region, v.Zone = r, "1"
		e.wantInvalid(v, "AZ-9: zone 1 in "+string(r)+", which has no zones")
		v.Zone = ""
		e.wantAccepted(v, "AZ-9: no zone in "+string(r))
		d := &flex.Disk{Meta: e.meta(e.id(vnet.ResourceGroup, flex.TypeDisk, "disk-zone")), SizeGiB: 32, Zone: "1"}
		d.Region = r
		e.wantInvalid(d, "AZ-9: disk in zone 1 in "+string(r))
	}
	d := &flex.Disk{Meta: e.meta(e.id(baseGroup, flex.TypeDisk, "disk-zone")), SizeGiB: 32, Zone: "2"}
	e.wantAccepted(d, "AZ-9: disk in zone 2 in "+string(region))
}

func checkZoneRedundantGateways(e *env) {
	vnet := e.regionalVNet(network.WestUS, "10.30.0.0/16")
	gw := e.gateway(vnet, "vgw-az", "VpnGw1AZ", 0)
	gw.Region = network.WestUS
	e.wantInvalid(gw, "AZ-9: zone-redundant SKU in westus, which has no zones")
	gw.SKU = "VpnGw1"
	e.wantAccepted(gw, "AZ-9: VpnGw1 in westus")
}

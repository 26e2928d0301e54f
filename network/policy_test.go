package network_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

// docsPolicy is the domain-joined peering of the docs: Flex range
// 192.168.0.0/24 peered with the customer VNet 10.0.0.0/16.
func docsPolicy() network.FirewallPolicy {
	return network.FirewallPolicy{
		DomainJoined: true,
		VNet:         pfxs("192.168.0.0/24"),
		Connected:    pfxs("10.0.0.0/16"),
	}
}

func decide(p network.FirewallPolicy, f network.Flow) network.Decision {
	f.VirtualNetwork = p.VirtualNetwork()
	return network.Evaluate(network.SecurityRules(p), f)
}

func TestSecurityRulesFirewallPolicy(t *testing.T) {
	nonDJ := network.FirewallPolicy{VNet: pfxs("10.200.0.0/24")}
	builder := docsPolicy()
	builder.Hosts = []network.RDPHost{{Kind: network.ImageBuilder, Address: addr("192.168.0.10"), Source: pfx("10.0.5.0/24")}}
	bastion := docsPolicy()
	bastion.Hosts = []network.RDPHost{{Kind: network.Bastion, Address: addr("192.168.0.20"), Source: pfx("198.51.100.0/28")}}
	rdp := docsPolicy()
	rdp.RDPAccess = pfx("10.0.9.32/27")
	nonDJBuilder := nonDJ
	nonDJBuilder.Hosts = []network.RDPHost{{Kind: network.ImageBuilder, Address: addr("10.200.0.10"), Source: pfx("203.0.113.0/24")}}

	tests := []struct {
		name  string
		p     network.FirewallPolicy
		flow  network.Flow
		allow bool
		rule  string
	}{
		{"FW-1/VDA to VDA inbound denied", nonDJ, inbound(network.TCP, "10.200.0.4", "10.200.0.5", 443), false, "FlexDenyAllInBound"},
		{"FW-1/RDP between VDAs denied", nonDJ, inbound(network.TCP, "10.200.0.4", "10.200.0.5", 3389), false, "FlexDenyAllInBound"},
		{"FW-1/internet inbound denied", nonDJ, inbound(network.TCP, "20.1.1.1", "10.200.0.5", 443), false, "FlexDenyAllInBound"},
		{"FW-1/load balancer probe denied too", nonDJ, inbound(network.TCP, "168.63.129.16", "10.200.0.5", 80), false, "FlexDenyAllInBound"},
		{"FW-1/outbound to the internet allowed", nonDJ, outbound(network.TCP, "10.200.0.4", "20.1.1.1", 443), true, "FlexAllowAllOutBound"},
		{"FW-1/outbound to private space allowed", nonDJ, outbound(network.UDP, "10.200.0.4", "192.168.7.7", 53), true, "FlexAllowAllOutBound"},

		{"FW-2/443 inside the VNet allowed", docsPolicy(), inbound(network.TCP, "192.168.0.4", "192.168.0.5", 443), true, "FlexAllowCitrixInBound"},
		{"FW-2/80 inside the VNet allowed", docsPolicy(), inbound(network.TCP, "192.168.0.4", "192.168.0.5", 80), true, "FlexAllowCitrixInBound"},
		{"FW-2/ICA 1494 UDP inside the VNet allowed", docsPolicy(), inbound(network.UDP, "192.168.0.4", "192.168.0.5", 1494), true, "FlexAllowCitrixInBound"},
		{"FW-2/session reliability 2598 allowed", docsPolicy(), inbound(network.TCP, "192.168.0.4", "192.168.0.5", 2598), true, "FlexAllowCitrixInBound"},
		{"FW-2/443 from the peered VNet denied", docsPolicy(), inbound(network.TCP, "10.0.0.4", "192.168.0.5", 443), false, "FlexDenyAllInBound"},
		{"FW-2/shadowing from the peered VNet allowed", docsPolicy(), inbound(network.TCP, "10.0.3.4", "192.168.0.5", 49152), true, "FlexAllowShadowingInBound"},
		{"FW-2/shadowing upper port allowed", docsPolicy(), inbound(network.TCP, "10.0.3.4", "192.168.0.5", 65535), true, "FlexAllowShadowingInBound"},
		{"FW-2/shadowing port from inside the VNet denied", docsPolicy(), inbound(network.TCP, "192.168.0.4", "192.168.0.5", 50000), false, "FlexDenyAllInBound"},
		{"FW-2/shadowing port from the internet denied", docsPolicy(), inbound(network.TCP, "20.1.1.1", "192.168.0.5", 50000), false, "FlexDenyAllInBound"},
		{"FW-2/port 49151 from the peered VNet denied", docsPolicy(), inbound(network.TCP, "10.0.3.4", "192.168.0.5", 49151), false, "FlexDenyAllInBound"},
		{"FW-2/SMB inside the VNet denied", docsPolicy(), inbound(network.TCP, "192.168.0.4", "192.168.0.5", 445), false, "FlexDenyAllInBound"},
		{"FW-2/RDP between VDAs denied", docsPolicy(), inbound(network.TCP, "192.168.0.4", "192.168.0.5", 3389), false, "FlexDenyAllInBound"},
		{"FW-2/outbound allowed", docsPolicy(), outbound(network.TCP, "192.168.0.4", "10.0.0.4", 389), true, "FlexAllowAllOutBound"},

		{"FW-4/RDP from the customer range to the image builder allowed", builder, inbound(network.TCP, "10.0.5.9", "192.168.0.10", 3389), true, "FlexAllowRDPToImageBuilder1"},
		{"FW-4/RDP from the customer range to a VDA denied", builder, inbound(network.TCP, "10.0.5.9", "192.168.0.11", 3389), false, "FlexDenyAllInBound"},
		{"FW-4/RDP to the image builder from elsewhere denied", builder, inbound(network.TCP, "10.0.6.9", "192.168.0.10", 3389), false, "FlexDenyAllInBound"},
		{"FW-4/RDP from a VDA to the image builder denied", builder, inbound(network.TCP, "192.168.0.4", "192.168.0.10", 3389), false, "FlexDenyAllInBound"},
		{"FW-4/image builder on a non-domain-joined VNet", nonDJBuilder, inbound(network.TCP, "203.0.113.7", "10.200.0.10", 3389), true, "FlexAllowRDPToImageBuilder1"},
		{"FW-4/RDP from the customer range to the bastion allowed", bastion, inbound(network.TCP, "198.51.100.3", "192.168.0.20", 3389), true, "FlexAllowRDPToBastion"},
		{"FW-4/RDP from the bastion to a VDA allowed", bastion, inbound(network.TCP, "192.168.0.20", "192.168.0.5", 3389), true, "FlexAllowRDPFromBastion"},
		{"FW-4/RDP between VDAs with a bastion denied", bastion, inbound(network.TCP, "192.168.0.4", "192.168.0.5", 3389), false, "FlexDenyAllInBound"},
		{"FW-4/RDP from the bastion's range straight to a VDA denied", bastion, inbound(network.TCP, "198.51.100.3", "192.168.0.5", 3389), false, "FlexDenyAllInBound"},
		{"FW-4/removed with the bastion", docsPolicy(), inbound(network.TCP, "198.51.100.3", "192.168.0.20", 3389), false, "FlexDenyAllInBound"},

		{"FW-5/RDP from the /27 to a VDA allowed", rdp, inbound(network.TCP, "10.0.9.40", "192.168.0.5", 3389), true, "FlexAllowRDPAccessInBound"},
		{"FW-5/RDP from outside the /27 denied", rdp, inbound(network.TCP, "10.0.9.64", "192.168.0.5", 3389), false, "FlexDenyAllInBound"},
		{"FW-5/RDP between VDAs with RDP access denied", rdp, inbound(network.TCP, "192.168.0.4", "192.168.0.5", 3389), false, "FlexDenyAllInBound"},
		{"FW-5/RDP access is TCP 3389 only", rdp, inbound(network.TCP, "10.0.9.40", "192.168.0.5", 22), false, "FlexDenyAllInBound"},
		{"FW-5/removed when disabled", docsPolicy(), inbound(network.TCP, "10.0.9.40", "192.168.0.5", 3389), false, "FlexDenyAllInBound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.p.Validate(); err != nil {
				t.Fatalf("policy invalid: %v", err)
			}
			rules := network.SecurityRules(tt.p)
			if err := network.ValidateRules(rules); err != nil { // RULE AZ-2
				t.Fatalf("generated rules invalid: %v", err)
			}
			d := decide(tt.p, tt.flow)
			if d.Allowed() != tt.allow || d.Rule != tt.rule {
				t.Errorf("%v: got %v, want allowed=%v by %s", tt.flow, d, tt.allow, tt.rule)
			}
		})
	}
}

func TestSecurityRulesManaged(t *testing.T) {
	p := docsPolicy()
	p.Hosts = []network.RDPHost{{Kind: network.Bastion, Address: addr("192.168.0.20"), Source: pfx("198.51.100.0/28")}}
	p.RDPAccess = pfx("10.0.9.32/27")
	rules := network.SecurityRules(p)
	var names []string
	for _, r := range rules {
		if !r.Managed { // RULE FW-6
			t.Errorf("rule %s is not Managed", r.Name)
		}
		names = append(names, r.Name)
	}
	want := []string{"FlexAllowRDPFromBastion", "FlexAllowRDPToBastion", "FlexAllowRDPAccessInBound",
		"FlexAllowCitrixInBound", "FlexAllowShadowingInBound", "FlexDenyAllInBound", "FlexAllowAllOutBound"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("rule names (-want +got):\n%s", diff)
	}
}

func TestCheckEdit(t *testing.T) {
	base := network.SecurityRules(docsPolicy())
	custom := okRule("CustomerWeb", 500)
	tests := []struct {
		name  string
		after func([]network.SecurityRule) []network.SecurityRule
		ids   []string
	}{
		{"FW-6/unchanged", func(r []network.SecurityRule) []network.SecurityRule { return r }, nil},
		{"FW-6/customer rule added", func(r []network.SecurityRule) []network.SecurityRule { return append(r, custom) }, nil},
		{"FW-6/managed rule removed", func(r []network.SecurityRule) []network.SecurityRule { return r[1:] }, []string{"FW-6"}},
		{"FW-6/managed rule priority changed", func(r []network.SecurityRule) []network.SecurityRule {
			r[0].Priority = 401
			return r
		}, []string{"FW-6"}},
		{"FW-6/managed rule ports changed", func(r []network.SecurityRule) []network.SecurityRule {
			r[0].DestinationPorts = append(r[0].DestinationPorts, network.Port(3389))
			return r
		}, []string{"FW-6"}},
		{"FW-6/managed rule opened", func(r []network.SecurityRule) []network.SecurityRule {
			r[len(r)-2].Access = network.Allow
			return r
		}, []string{"FW-6"}},
		{"FW-6/new rule claims to be managed", func(r []network.SecurityRule) []network.SecurityRule {
			c := custom
			c.Managed = true
			return append(r, c)
		}, []string{"FW-6"}},
		{"AZ-2/customer rule clashes on priority", func(r []network.SecurityRule) []network.SecurityRule {
			c := custom
			c.Priority = 400
			return append(r, c)
		}, []string{"AZ-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := network.SecurityRules(docsPolicy())
			after := tt.after(network.SecurityRules(docsPolicy()))
			err := network.CheckEdit(before, after)
			if diff := cmp.Diff(tt.ids, rule.IDs(err)); diff != "" {
				t.Errorf("CheckEdit IDs (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
	if diff := cmp.Diff(base, network.SecurityRules(docsPolicy()), cmpNet); diff != "" {
		t.Errorf("SecurityRules is not deterministic:\n%s", diff)
	}
}

func TestFirewallPolicyValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*network.FirewallPolicy)
		ids  []string
	}{
		{"valid", func(*network.FirewallPolicy) {}, nil},
		{"FW-2/no VNet range", func(p *network.FirewallPolicy) { p.VNet = nil }, []string{"FW-2"}},
		{"FW-1/no VNet range", func(p *network.FirewallPolicy) { p.VNet, p.DomainJoined, p.Connected = nil, false, nil }, []string{"FW-1"}},
		{"FW-2/VNet range with host bits", func(p *network.FirewallPolicy) { p.VNet = []netip.Prefix{netip.MustParsePrefix("192.168.0.1/24")} }, []string{"FW-2"}},
		{"AZ-1/VNet range in reserved space", func(p *network.FirewallPolicy) { p.VNet = pfxs("169.254.0.0/24") }, []string{"AZ-1"}},
		{"NET-4/VNet overlaps a connected network", func(p *network.FirewallPolicy) { p.Connected = pfxs("192.168.0.0/16") }, []string{"NET-4"}},
		{"FW-4/host outside the VNet", func(p *network.FirewallPolicy) {
			p.Hosts = []network.RDPHost{{Kind: network.ImageBuilder, Address: addr("10.0.0.4"), Source: pfx("198.51.100.0/24")}}
		}, []string{"FW-4"}},
		{"FW-4/host source inside the VNet", func(p *network.FirewallPolicy) {
			p.Hosts = []network.RDPHost{{Kind: network.ImageBuilder, Address: addr("192.168.0.4"), Source: pfx("192.168.0.0/25")}}
		}, []string{"FW-4"}},
		{"FW-4/host without kind or source", func(p *network.FirewallPolicy) {
			p.Hosts = []network.RDPHost{{Address: addr("192.168.0.4")}}
		}, []string{"FW-4"}},
		{"FW-4/two hosts on one address", func(p *network.FirewallPolicy) {
			h := network.RDPHost{Kind: network.ImageBuilder, Address: addr("192.168.0.4"), Source: pfx("198.51.100.0/24")}
			p.Hosts = []network.RDPHost{h, h}
		}, []string{"FW-4"}},
		{"TRB-2/two bastions", func(p *network.FirewallPolicy) {
			p.Hosts = []network.RDPHost{
				{Kind: network.Bastion, Address: addr("192.168.0.4"), Source: pfx("198.51.100.0/24")},
				{Kind: network.Bastion, Address: addr("192.168.0.5"), Source: pfx("198.51.100.0/24")}}
		}, []string{"TRB-2"}},
		{"TRB-1/bastion when not domain-joined", func(p *network.FirewallPolicy) {
			p.DomainJoined = false
			p.Hosts = []network.RDPHost{{Kind: network.Bastion, Address: addr("192.168.0.4"), Source: pfx("198.51.100.0/24")}}
		}, []string{"TRB-1"}},
		{"TRB-1/RDP access when not domain-joined", func(p *network.FirewallPolicy) {
			p.DomainJoined = false
			p.RDPAccess = pfx("10.0.9.32/27")
		}, []string{"TRB-1"}},
		{"FW-5/RDP access from a /27", func(p *network.FirewallPolicy) { p.RDPAccess = pfx("10.0.9.32/27") }, nil},
		{"FW-5/RDP access from a single address", func(p *network.FirewallPolicy) { p.RDPAccess = pfx("10.0.9.33/32") }, nil},
		// RULE TRB-3: the RDP access source range is at most a /27.
		{"FW-5/RDP access from a /26 refused (TRB-3)", func(p *network.FirewallPolicy) { p.RDPAccess = pfx("10.0.9.0/26") }, []string{"FW-5"}},
		{"FW-5/RDP access from inside the VNet refused", func(p *network.FirewallPolicy) { p.RDPAccess = pfx("192.168.0.32/27") }, []string{"FW-5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := docsPolicy()
			tt.edit(&p)
			err := p.Validate()
			if diff := cmp.Diff(tt.ids, rule.IDs(err)); diff != "" {
				t.Errorf("Validate IDs (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
}

func TestCustomerRules(t *testing.T) {
	// The customer's VNet 10.0.0.0/16 holds domain controllers in
	// 10.0.1.0/28 and denies everything else inbound with a rule of its own.
	p := network.CustomerPolicy{
		Flex:              pfxs("192.168.0.0/24"),
		Clients:           pfxs("10.50.0.0/16"),
		DomainControllers: pfxs("10.0.1.0/28"),
		Proxy:             netip.MustParseAddrPort("10.0.2.10:8080"),
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	rules := append(network.CustomerRules(p), network.SecurityRule{
		Name: "CustomerDenyAll", Priority: 4000, Direction: network.Inbound, Access: network.Deny, Protocol: network.AnyProtocol,
		Sources: []network.Address{network.TagAddress(network.TagAny)}, SourcePorts: []network.PortRange{network.AnyPort()},
		Destinations: []network.Address{network.TagAddress(network.TagAny)}, DestinationPorts: []network.PortRange{network.AnyPort()},
	}, network.SecurityRule{
		Name: "CustomerDenyAllOut", Priority: 4000, Direction: network.Outbound, Access: network.Deny, Protocol: network.AnyProtocol,
		Sources: []network.Address{network.TagAddress(network.TagAny)}, SourcePorts: []network.PortRange{network.AnyPort()},
		Destinations: []network.Address{network.TagAddress(network.TagAny)}, DestinationPorts: []network.PortRange{network.AnyPort()},
	})
	if err := network.ValidateRules(rules); err != nil {
		t.Fatal(err)
	}
	for _, r := range network.CustomerRules(p) {
		if r.Managed {
			t.Errorf("customer rule %s is Managed; the customer owns FW-3 rules", r.Name)
		}
	}
	vnet := pfxs("10.0.0.0/16", "192.168.0.0/24")
	tests := []struct {
		name  string
		flow  network.Flow
		allow bool
	}{
		{"launch 1494 from clients", inbound(network.TCP, "10.50.3.3", "10.0.4.4", 1494), true},
		{"launch 443 from clients", inbound(network.UDP, "10.50.3.3", "10.0.4.4", 443), true},
		{"launch 2598 from elsewhere", inbound(network.TCP, "10.60.3.3", "10.0.4.4", 2598), false},
		{"LDAP from Flex to a DC", inbound(network.TCP, "192.168.0.5", "10.0.1.4", 389), true},
		{"DNS from Flex to a DC", inbound(network.UDP, "192.168.0.5", "10.0.1.4", 53), true},
		{"Kerberos 88, NTP 123, NetBIOS 137, SMB 445, LDAPS 636", inbound(network.UDP, "192.168.0.5", "10.0.1.4", 137), true},
		{"RPC 135", inbound(network.TCP, "192.168.0.5", "10.0.1.4", 135), true},
		{"LDAP from Flex to a non-DC", inbound(network.TCP, "192.168.0.5", "10.0.3.4", 389), false},
		{"RDP from Flex to a DC", inbound(network.TCP, "192.168.0.5", "10.0.1.4", 3389), false},
		{"proxy port from Flex", inbound(network.TCP, "192.168.0.5", "10.0.2.10", 8080), true},
		{"other proxy port from Flex", inbound(network.TCP, "192.168.0.5", "10.0.2.10", 8081), false},
		{"outbound 1494 to Flex", outbound(network.TCP, "10.0.4.4", "192.168.0.5", 1494), true},
		{"outbound 3389 to Flex", outbound(network.TCP, "10.0.4.4", "192.168.0.5", 3389), false},
	}
	for _, tt := range tests {
		t.Run("FW-3/"+tt.name, func(t *testing.T) {
			tt.flow.VirtualNetwork = vnet
			if d := network.Evaluate(rules, tt.flow); d.Allowed() != tt.allow {
				t.Errorf("%v: %v, want allowed=%v", tt.flow, d, tt.allow)
			}
		})
	}

	bad := network.CustomerPolicy{Flex: []netip.Prefix{netip.MustParsePrefix("192.168.0.1/24")}, FirstPriority: 4090,
		Proxy: netip.MustParseAddrPort("10.0.0.1:0")}
	if diff := cmp.Diff([]string{"FW-3"}, rule.IDs(bad.Validate())); diff != "" {
		t.Errorf("FW-3 validation IDs (-want +got):\n%s", diff)
	}
	if n := len(rule.Violations(bad.Validate())); n != 3 {
		t.Errorf("FW-3 validation found %d problems, want 3: %v", n, bad.Validate())
	}
	if n := len(rule.Violations(network.CustomerPolicy{}.Validate())); n != 1 {
		t.Errorf("empty customer policy: %d problems, want 1", n)
	}
}

// randomIn draws an address of p.
func randomIn(t *rapid.T, label string, p netip.Prefix) netip.Addr {
	b := p.Addr().As4()
	host := uint32(rapid.Uint32().Draw(t, label)) & (1<<(32-p.Bits()) - 1)
	v := (uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])) | host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// flowFor draws a flow whose ends are often the interesting addresses of p:
// VDAs and connectors (the VNet), hosts, the connected networks, the RDP
// sources, Azure's host, or anywhere.
func flowFor(t *rapid.T, p network.FirewallPolicy, dir network.Direction) network.Flow {
	end := func(label string) netip.Addr {
		switch rapid.IntRange(-1, 6).Draw(t, label+"Kind") {
		case -1, 0, 1:
			return randomIn(t, label, rapid.SampledFrom(p.VNet).Draw(t, label+"VNet"))
		case 2:
			if len(p.Hosts) > 0 {
				h := rapid.SampledFrom(p.Hosts).Draw(t, label+"Host")
				if rapid.Bool().Draw(t, label+"HostItself") {
					return h.Address
				}
				return randomIn(t, label, h.Source)
			}
		case 3:
			if len(p.Connected) > 0 {
				return randomIn(t, label, rapid.SampledFrom(p.Connected).Draw(t, label+"Conn"))
			}
		case 4:
			if p.RDPAccess.IsValid() {
				return randomIn(t, label, p.RDPAccess)
			}
		case 5:
			return network.AzureHostIP()
		}
		return netip.AddrFrom4([4]byte(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, label+"Any")))
	}
	return network.Flow{
		Direction:       dir,
		Protocol:        rapid.SampledFrom([]network.Protocol{network.TCP, network.TCP, network.TCP, network.UDP, network.UDP, network.ICMP, network.ESP, network.AH}).Draw(t, "proto"),
		Source:          end("src"),
		SourcePort:      rapid.Uint16().Draw(t, "sport"),
		Destination:     end("dst"),
		DestinationPort: rapid.SampledFrom([]uint16{80, 443, 1494, 2598, 3389, 22, 445, 49151, 49152, 50000, 65535, 0}).Draw(t, "dport"),
		VirtualNetwork:  p.VirtualNetwork(),
	}
}

// expected is the firewall policy of FW-1, FW-2, FW-4 and FW-5 written as a
// predicate over flows: whether f should be admitted.
func expected(p network.FirewallPolicy, f network.Flow) bool {
	if f.Direction == network.Outbound {
		return true // FW-1, FW-2: all outbound allowed
	}
	tcp := f.Protocol == network.TCP
	inVNet := func(a netip.Addr) bool {
		return slices.ContainsFunc(p.VNet, func(q netip.Prefix) bool { return q.Contains(a) })
	}
	if f.DestinationPort == 3389 && tcp {
		for _, h := range p.Hosts {
			if h.Address == f.Destination && h.Source.Contains(f.Source) {
				return true // FW-4: customer range to that host only
			}
			if h.Kind == network.Bastion && h.Address == f.Source && inVNet(f.Destination) {
				return true // FW-4: bastion to the VNet
			}
		}
		if p.RDPAccess.IsValid() && p.RDPAccess.Contains(f.Source) && inVNet(f.Destination) {
			return true // FW-5
		}
	}
	if !p.DomainJoined {
		return false // FW-1
	}
	switch {
	case (tcp || f.Protocol == network.UDP) && slices.Contains([]uint16{80, 443, 1494, 2598}, f.DestinationPort) &&
		inVNet(f.Source) && inVNet(f.Destination):
		return true // FW-2
	case tcp && f.DestinationPort >= 49152 && inVNet(f.Destination) &&
		slices.ContainsFunc(p.Connected, func(q netip.Prefix) bool { return q.Contains(f.Source) }):
		return true // FW-2 shadowing
	}
	return false
}

// flowsPerPolicy is how many flows each property draws per generated
// policy.
const flowsPerPolicy = 25

// TestFirewallProperties checks the generated NSG by evaluating flows, never
// by reading the rule list.
func TestFirewallProperties(t *testing.T) {
	inVNet := func(p network.FirewallPolicy, a netip.Addr) bool {
		return slices.ContainsFunc(p.VNet, func(q netip.Prefix) bool { return q.Contains(a) })
	}
	bastionAddr := func(p network.FirewallPolicy) netip.Addr {
		for _, h := range p.Hosts {
			if h.Kind == network.Bastion {
				return h.Address
			}
		}
		return netip.Addr{}
	}

	// RULE FW-1. Invariant: a non-domain-joined VNet admits no inbound flow
	// at all, VDA to VDA included; the only exception is RDP from an image
	// builder's source range to that builder (FW-4).
	t.Run("FW-1/non-domain-joined admits nothing inbound", rapid.MakeCheck(func(t *rapid.T) {
		p := flextest.FirewallPolicy(false).Draw(t, "policy")
		for range flowsPerPolicy {
			f := flowFor(t, p, network.Inbound)
			d := decide(p, f)
			builderRDP := f.Protocol == network.TCP && f.DestinationPort == 3389 &&
				slices.ContainsFunc(p.Hosts, func(h network.RDPHost) bool { return h.Address == f.Destination && h.Source.Contains(f.Source) })
			if d.Allowed() && !builderRDP {
				t.Fatalf("%v admitted by %v", f, d)
			}
			if inVNet(p, f.Source) && inVNet(p, f.Destination) && d.Allowed() {
				t.Fatalf("VDA to VDA %v admitted by %v", f, d)
			}
		}
	}))

	// RULE FW-2. Invariant: a domain-joined VNet admits 80/443/1494/2598
	// from inside the VNet, 49152–65535 from the customer's ranges, and
	// nothing else (RDP exceptions aside, checked below).
	t.Run("FW-2/domain-joined admits exactly the Citrix ports", rapid.MakeCheck(func(t *rapid.T) {
		p := flextest.FirewallPolicy(true).Draw(t, "policy")
		for range flowsPerPolicy {
			f := flowFor(t, p, network.Inbound)
			d := decide(p, f)
			citrix := slices.Contains([]uint16{80, 443, 1494, 2598}, f.DestinationPort)
			shadow := f.DestinationPort >= 49152
			ported := f.Protocol == network.TCP || f.Protocol == network.UDP
			fromConnected := slices.ContainsFunc(p.Connected, func(q netip.Prefix) bool { return q.Contains(f.Source) })
			switch {
			case ported && citrix && inVNet(p, f.Source) && inVNet(p, f.Destination) && !d.Allowed():
				t.Fatalf("Citrix port flow inside the VNet %v denied by %v", f, d)
			case f.Protocol == network.TCP && shadow && fromConnected && inVNet(p, f.Destination) && !d.Allowed():
				t.Fatalf("shadowing flow from the customer's network %v denied by %v", f, d)
			case shadow && !fromConnected && d.Allowed():
				t.Fatalf("shadowing port from outside the customer's networks %v admitted by %v", f, d)
			case d.Allowed() && !(ported && (citrix || shadow || f.DestinationPort == 3389)):
				t.Fatalf("%v admitted by %v", f, d)
			case d.Allowed() && citrix && !(inVNet(p, f.Source) && inVNet(p, f.Destination)):
				t.Fatalf("Citrix port from outside the VNet %v admitted by %v", f, d)
			}
		}
	}))

	// RULE FW-4, FW-5. Invariant: RDP between two VDAs or connectors (VNet
	// addresses other than the bastion) is always denied, with or without a
	// bastion, image builders or RDP access.
	t.Run("FW-4/FW-5/RDP between VDAs and connectors always denied", rapid.MakeCheck(func(t *rapid.T) {
		p := flextest.FirewallPolicy(rapid.Bool().Draw(t, "dj")).Draw(t, "policy")
		for range flowsPerPolicy {
			f := flowFor(t, p, network.Inbound)
			f.DestinationPort = 3389
			f.Source = randomIn(t, "vda1", rapid.SampledFrom(p.VNet).Draw(t, "r1"))
			f.Destination = randomIn(t, "vda2", rapid.SampledFrom(p.VNet).Draw(t, "r2"))
			if f.Source == bastionAddr(p) {
				continue
			}
			if d := decide(p, f); d.Allowed() {
				t.Fatalf("RDP between VDAs %v admitted by %v", f, d)
			}
		}
	}))

	// RULE FW-4, FW-5. Invariant: RDP from outside every allowed source
	// range is always denied: to a host from outside its range, to the
	// VNet from outside the RDP access range and other than from the
	// bastion.
	t.Run("FW-4/FW-5/RDP from outside the allowed range always denied", rapid.MakeCheck(func(t *rapid.T) {
		p := flextest.FirewallPolicy(rapid.Bool().Draw(t, "dj")).Draw(t, "policy")
		for range flowsPerPolicy {
			f := flowFor(t, p, network.Inbound)
			f.DestinationPort = 3389
			allowedSrc := f.Source == bastionAddr(p) && inVNet(p, f.Destination) ||
				p.RDPAccess.IsValid() && p.RDPAccess.Contains(f.Source) ||
				slices.ContainsFunc(p.Hosts, func(h network.RDPHost) bool { return h.Address == f.Destination && h.Source.Contains(f.Source) })
			if d := decide(p, f); d.Allowed() && !allowedSrc {
				t.Fatalf("RDP from outside the allowed ranges %v admitted by %v", f, d)
			}
		}
	}))

	// RULE FW-1, FW-2. Invariant: every outbound flow is allowed.
	t.Run("FW-1/FW-2/outbound always allowed", rapid.MakeCheck(func(t *rapid.T) {
		p := flextest.FirewallPolicy(rapid.Bool().Draw(t, "dj")).Draw(t, "policy")
		for range flowsPerPolicy {
			f := flowFor(t, p, network.Outbound)
			if d := decide(p, f); !d.Allowed() {
				t.Fatalf("outbound %v denied by %v", f, d)
			}
		}
	}))

	// Invariant: the generated NSG admits exactly the flows the policy
	// predicate admits, and its rules are valid Azure rules (AZ-2), all
	// Managed (FW-6).
	t.Run("FW-1..FW-6/whole policy against a predicate model", rapid.MakeCheck(func(t *rapid.T) {
		p := flextest.FirewallPolicy(rapid.Bool().Draw(t, "dj")).Draw(t, "policy")
		rules := network.SecurityRules(p)
		if err := network.ValidateRules(rules); err != nil {
			t.Fatalf("invalid rules: %v", err)
		}
		for range flowsPerPolicy {
			dir := rapid.SampledFrom([]network.Direction{network.Inbound, network.Outbound}).Draw(t, "dir")
			f := flowFor(t, p, dir)
			if d := decide(p, f); d.Allowed() != expected(p, f) {
				t.Fatalf("%v: %v, model says allowed=%v", f, d, expected(p, f))
			}
		}
		if err := network.CheckEdit(rules, rules); err != nil {
			t.Fatalf("unchanged rules refused: %v", err)
		}
	}))
}

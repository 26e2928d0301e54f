package network_test

import (
	"net/netip"
	"testing"

	"github.com/daasflex/daasflex/network"
)

// hundredRules returns 100 valid inbound rules, none of which matches the
// benchmark flow before the last one, so Evaluate looks at every rule.
func hundredRules() []network.SecurityRule {
	rules := network.SecurityRules(benchPolicy())
	for i := len(rules); i < 100; i++ {
		rules = append(rules, network.SecurityRule{
			Name: "Customer" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Priority: 1000 + i,
			Direction: network.Inbound, Access: network.Allow, Protocol: network.TCP,
			Sources: []network.Address{
				network.PrefixAddress(netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 20, byte(i), 0}), 24)),
				network.PrefixAddress(netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 21, byte(i), 0}), 24)),
			},
			SourcePorts:      []network.PortRange{network.AnyPort()},
			Destinations:     []network.Address{network.TagAddress([]network.ServiceTag{network.TagVirtualNetwork, network.TagAny}[i%2])},
			DestinationPorts: []network.PortRange{network.Port(uint16(8000 + i)), network.Ports(9000, 9100)},
		})
	}
	return rules
}

func benchPolicy() network.FirewallPolicy {
	return network.FirewallPolicy{
		DomainJoined: true,
		VNet:         pfxs("192.168.0.0/24", "192.168.8.0/21"),
		Connected:    pfxs("10.0.0.0/16", "10.8.0.0/16"),
		Hosts: []network.RDPHost{
			{Kind: network.Bastion, Address: addr("192.168.0.20"), Source: pfx("198.51.100.0/28")},
			{Kind: network.ImageBuilder, Address: addr("192.168.0.21"), Source: pfx("10.0.5.0/24")},
		},
		RDPAccess: pfx("10.0.9.32/27"),
	}
}

// BenchmarkEvaluate decides flows against 100 rules; the target is under
// 1 µs per flow.
func BenchmarkEvaluate(b *testing.B) {
	rules := hundredRules()
	if len(rules) != 100 {
		b.Fatalf("%d rules", len(rules))
	}
	if err := network.ValidateRules(rules); err != nil {
		b.Fatal(err)
	}
	p := benchPolicy()
	flows := []network.Flow{
		inbound(network.TCP, "192.168.0.4", "192.168.0.5", 3389), // falls to the final deny
		inbound(network.TCP, "10.0.3.4", "192.168.9.5", 50000),   // shadowing
		inbound(network.UDP, "20.1.2.3", "192.168.0.5", 9050),    // through every rule
		outbound(network.TCP, "192.168.0.5", "20.1.2.3", 443),
	}
	for i := range flows {
		flows[i].VirtualNetwork = p.VirtualNetwork()
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		network.Evaluate(rules, flows[i%len(flows)])
		i++
	}
}

// BenchmarkSecurityRules generates the rules of a policy with a bastion, an
// image builder and RDP access; the target is under 50 µs.
func BenchmarkSecurityRules(b *testing.B) {
	p := benchPolicy()
	b.ReportAllocs()
	for b.Loop() {
		network.SecurityRules(p)
	}
}

// BenchmarkValidateRules validates 100 rules as the in-memory cloud does on
// every NSG write.
func BenchmarkValidateRules(b *testing.B) {
	rules := hundredRules()
	b.ReportAllocs()
	for b.Loop() {
		if err := network.ValidateRules(rules); err != nil {
			b.Fatal(err)
		}
	}
}

package network_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/network"
)

func inbound(proto network.Protocol, src, dst string, dport uint16) network.Flow {
	return network.Flow{Direction: network.Inbound, Protocol: proto, Source: addr(src), SourcePort: 50123,
		Destination: addr(dst), DestinationPort: dport}
}

func outbound(proto network.Protocol, src, dst string, dport uint16) network.Flow {
	f := inbound(proto, src, dst, dport)
	f.Direction = network.Outbound
	return f
}

func withVNet(f network.Flow, vnet ...string) network.Flow {
	f.VirtualNetwork = pfxs(vnet...)
	return f
}

// TestEvaluateAzureSemantics checks NSG matching rule by rule (AZ-2).
func TestEvaluateAzureSemantics(t *testing.T) {
	tag := network.TagAddress
	pa := func(s string) network.Address { return network.PrefixAddress(pfx(s)) }
	mk := func(name string, prio int, dir network.Direction, acc network.Access, proto network.Protocol,
		src network.Address, dst network.Address, dports ...network.PortRange) network.SecurityRule {
		if len(dports) == 0 {
			dports = []network.PortRange{network.AnyPort()}
		}
		return network.SecurityRule{Name: name, Priority: prio, Direction: dir, Access: acc, Protocol: proto,
			Sources: []network.Address{src}, SourcePorts: []network.PortRange{network.AnyPort()},
			Destinations: []network.Address{dst}, DestinationPorts: dports}
	}
	in := network.Inbound
	allowWeb := mk("AllowWeb", 200, in, network.Allow, network.TCP, tag(network.TagAny), pa("10.0.0.0/24"), network.Port(443))
	denyAll := mk("DenyEverything", 4096, in, network.Deny, network.AnyProtocol, tag(network.TagAny), tag(network.TagAny))
	tests := []struct {
		name  string
		rules []network.SecurityRule
		flow  network.Flow
		want  network.Decision
	}{
		{"lowest priority number wins", []network.SecurityRule{denyAll, allowWeb},
			inbound(network.TCP, "192.168.1.1", "10.0.0.4", 443),
			network.Decision{Access: network.Allow, Rule: "AllowWeb", Priority: 200}},
		{"port outside the rule falls through", []network.SecurityRule{allowWeb, denyAll},
			inbound(network.TCP, "192.168.1.1", "10.0.0.4", 80),
			network.Decision{Access: network.Deny, Rule: "DenyEverything", Priority: 4096}},
		{"protocol mismatch falls through", []network.SecurityRule{allowWeb, denyAll},
			inbound(network.UDP, "192.168.1.1", "10.0.0.4", 443),
			network.Decision{Access: network.Deny, Rule: "DenyEverything", Priority: 4096}},
		{"destination outside the range falls through", []network.SecurityRule{allowWeb, denyAll},
			inbound(network.TCP, "192.168.1.1", "10.0.1.4", 443),
			network.Decision{Access: network.Deny, Rule: "DenyEverything", Priority: 4096}},
		{"other direction is ignored", []network.SecurityRule{allowWeb},
			outbound(network.TCP, "10.0.0.4", "10.0.0.5", 443),
			network.Decision{Access: network.Deny, Rule: "DenyAllOutBound", Priority: 65500, Default: true}},
		{"ICMP has no ports: port-specific rules do not match", []network.SecurityRule{
			mk("AllowPing", 100, in, network.Allow, network.AnyProtocol, tag(network.TagAny), tag(network.TagAny), network.Port(0)), denyAll},
			inbound(network.ICMP, "192.168.1.1", "10.0.0.4", 0),
			network.Decision{Access: network.Deny, Rule: "DenyEverything", Priority: 4096}},
		{"ICMP matches a rule with * ports", []network.SecurityRule{
			mk("AllowIcmp", 100, in, network.Allow, network.ICMP, tag(network.TagAny), tag(network.TagAny)), denyAll},
			inbound(network.ICMP, "192.168.1.1", "10.0.0.4", 0),
			network.Decision{Access: network.Allow, Rule: "AllowIcmp", Priority: 100}},
		{"source port ranges match", []network.SecurityRule{func() network.SecurityRule {
			r := mk("FromHighPorts", 100, in, network.Deny, network.TCP, tag(network.TagAny), tag(network.TagAny))
			r.SourcePorts = []network.PortRange{network.Ports(50000, 50200)}
			return r
		}()}, withVNet(inbound(network.TCP, "10.0.0.5", "10.0.0.4", 22), "10.0.0.0/24"),
			network.Decision{Access: network.Deny, Rule: "FromHighPorts", Priority: 100}},
		{"VirtualNetwork tag covers connected ranges", []network.SecurityRule{
			mk("FromVNet", 100, in, network.Allow, network.AnyProtocol, tag(network.TagVirtualNetwork), tag(network.TagAny)), denyAll},
			withVNet(inbound(network.TCP, "172.16.3.3", "10.0.0.4", 22), "10.0.0.0/24", "172.16.0.0/16"),
			network.Decision{Access: network.Allow, Rule: "FromVNet", Priority: 100}},
		{"Internet tag is public space only", []network.SecurityRule{
			mk("FromInternet", 100, in, network.Allow, network.AnyProtocol, tag(network.TagInternet), tag(network.TagAny)), denyAll},
			withVNet(inbound(network.TCP, "172.17.3.3", "10.0.0.4", 22), "10.0.0.0/24"),
			network.Decision{Access: network.Deny, Rule: "DenyEverything", Priority: 4096}},
		{"Internet tag matches public addresses", []network.SecurityRule{
			mk("FromInternet", 100, in, network.Allow, network.AnyProtocol, tag(network.TagInternet), tag(network.TagAny)), denyAll},
			withVNet(inbound(network.TCP, "20.30.40.50", "10.0.0.4", 22), "10.0.0.0/24"),
			network.Decision{Access: network.Allow, Rule: "FromInternet", Priority: 100}},
		{"AzureLoadBalancer tag is 168.63.129.16", []network.SecurityRule{
			mk("Probe", 100, in, network.Allow, network.AnyProtocol, tag(network.TagAzureLoadBalancer), tag(network.TagAny)), denyAll},
			inbound(network.TCP, "168.63.129.16", "10.0.0.4", 80),
			network.Decision{Access: network.Allow, Rule: "Probe", Priority: 100}},
		// Azure's default rules (AZ-2).
		{"default AllowVNetInBound", nil,
			withVNet(inbound(network.TCP, "10.0.0.5", "10.0.0.4", 3389), "10.0.0.0/24"),
			network.Decision{Access: network.Allow, Rule: "AllowVNetInBound", Priority: 65000, Default: true}},
		{"default AllowAzureLoadBalancerInBound", nil,
			withVNet(inbound(network.TCP, "168.63.129.16", "10.0.0.4", 80), "10.0.0.0/24"),
			network.Decision{Access: network.Allow, Rule: "AllowAzureLoadBalancerInBound", Priority: 65001, Default: true}},
		{"default DenyAllInBound", nil,
			withVNet(inbound(network.TCP, "20.0.0.1", "10.0.0.4", 443), "10.0.0.0/24"),
			network.Decision{Access: network.Deny, Rule: "DenyAllInBound", Priority: 65500, Default: true}},
		{"default AllowVnetOutBound", nil,
			withVNet(outbound(network.UDP, "10.0.0.4", "172.16.0.9", 53), "10.0.0.0/24", "172.16.0.0/16"),
			network.Decision{Access: network.Allow, Rule: "AllowVnetOutBound", Priority: 65000, Default: true}},
		{"default AllowInternetOutBound", nil,
			withVNet(outbound(network.TCP, "10.0.0.4", "20.0.0.1", 443), "10.0.0.0/24"),
			network.Decision{Access: network.Allow, Rule: "AllowInternetOutBound", Priority: 65001, Default: true}},
		{"default DenyAllOutBound for private space outside the VNet", nil,
			withVNet(outbound(network.TCP, "10.0.0.4", "192.168.0.1", 443), "10.0.0.0/24"),
			network.Decision{Access: network.Deny, Rule: "DenyAllOutBound", Priority: 65500, Default: true}},
		{"custom rule beats a default rule", []network.SecurityRule{
			mk("NoVNet", 4000, in, network.Deny, network.AnyProtocol, tag(network.TagVirtualNetwork), tag(network.TagVirtualNetwork))},
			withVNet(inbound(network.TCP, "10.0.0.5", "10.0.0.4", 443), "10.0.0.0/24"),
			network.Decision{Access: network.Deny, Rule: "NoVNet", Priority: 4000}},
		{"flow without direction", nil, network.Flow{Protocol: network.TCP},
			network.Decision{Access: network.Deny}},
	}
	for _, tt := range tests {
		t.Run("AZ-2/"+tt.name, func(t *testing.T) {
			got := network.Evaluate(tt.rules, tt.flow)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Evaluate(%v) (-want +got):\n%s", tt.flow, diff)
			}
			// The same flow decided with Azure's default rules written
			// out gives the same access from the same rule.
			explicit := network.Evaluate(append(slices.Clone(tt.rules), network.DefaultRules()...), tt.flow)
			if explicit.Access != got.Access || explicit.Rule != got.Rule {
				t.Errorf("with explicit default rules: %v, without: %v", explicit, got)
			}
		})
	}
}

// genRule draws an arbitrary valid or invalid NSG rule over a small space of
// addresses and ports so that rules and flows often meet.
func genRule(t *rapid.T, name string) network.SecurityRule {
	addrGen := rapid.Custom(func(t *rapid.T) network.Address {
		switch rapid.IntRange(0, 5).Draw(t, "addrKind") {
		case 0:
			return network.TagAddress(network.TagAny)
		case 1:
			return network.TagAddress(network.TagVirtualNetwork)
		case 2:
			return network.TagAddress(network.TagInternet)
		case 3:
			return network.TagAddress(network.TagAzureLoadBalancer)
		}
		return network.PrefixAddress(netip.PrefixFrom(genAddr(t, "ruleAddr"), rapid.IntRange(8, 32).Draw(t, "bits")).Masked())
	})
	portGen := rapid.Custom(func(t *rapid.T) network.PortRange {
		if rapid.Bool().Draw(t, "anyPort") {
			return network.AnyPort()
		}
		a := genPort(t, "p1")
		b := genPort(t, "p2")
		return network.Ports(min(a, b), max(a, b))
	})
	return network.SecurityRule{
		Name:             name,
		Priority:         rapid.IntRange(100, 4096).Draw(t, "prio"),
		Direction:        rapid.SampledFrom([]network.Direction{network.Inbound, network.Outbound}).Draw(t, "dir"),
		Access:           rapid.SampledFrom([]network.Access{network.Allow, network.Deny}).Draw(t, "access"),
		Protocol:         rapid.SampledFrom([]network.Protocol{network.AnyProtocol, network.TCP, network.UDP, network.ICMP}).Draw(t, "proto"),
		Sources:          rapid.SliceOfN(addrGen, 1, 2).Draw(t, "src"),
		SourcePorts:      rapid.SliceOfN(portGen, 1, 2).Draw(t, "sport"),
		Destinations:     rapid.SliceOfN(addrGen, 1, 2).Draw(t, "dst"),
		DestinationPorts: rapid.SliceOfN(portGen, 1, 2).Draw(t, "dport"),
	}
}

// genAddr draws an address from a few small neighbourhoods (VNet, private,
// public, Azure's host) or anywhere.
func genAddr(t *rapid.T, label string) netip.Addr {
	bases := []netip.Addr{addr("10.0.0.0"), addr("10.0.1.0"), addr("172.16.0.0"), addr("20.1.2.0"), addr("168.63.129.16")}
	if rapid.IntRange(0, 5).Draw(t, label+"Kind") == 0 {
		return netip.AddrFrom4([4]byte(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, label+"Bytes")))
	}
	b := rapid.SampledFrom(bases).Draw(t, label+"Base").As4()
	b[3] += rapid.ByteRange(0, 7).Draw(t, label+"Host")
	return netip.AddrFrom4(b)
}

func genPort(t *rapid.T, label string) uint16 {
	return rapid.OneOf(rapid.SampledFrom([]uint16{0, 80, 443, 1494, 2598, 3389, 49152, 65535}), rapid.Uint16()).Draw(t, label)
}

func genFlow(t *rapid.T, vnet []netip.Prefix) network.Flow {
	return network.Flow{
		Direction:       rapid.SampledFrom([]network.Direction{network.Inbound, network.Outbound}).Draw(t, "fdir"),
		Protocol:        rapid.SampledFrom([]network.Protocol{network.TCP, network.UDP, network.ICMP, network.ESP}).Draw(t, "fproto"),
		Source:          genAddr(t, "fsrc"),
		SourcePort:      genPort(t, "fsport"),
		Destination:     genAddr(t, "fdst"),
		DestinationPort: genPort(t, "fdport"),
		VirtualNetwork:  vnet,
	}
}

// TestEvaluateLowestPriorityModel checks Evaluate's choice among many rules
// against a brute-force model (AZ-2). Invariant: the decision comes from the
// matching rule of the flow's direction with the lowest priority number
// (first in the list on a tie), where "r matches f" is what Evaluate says of
// the one-rule list [r]; when no rule matches, Azure's default rules decide;
// and the decision does not depend on the order of rules with distinct
// priorities.
func TestEvaluateLowestPriorityModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 12).Draw(t, "n")
		rules := make([]network.SecurityRule, n)
		for i := range rules {
			rules[i] = genRule(t, "r"+string(rune('a'+i)))
		}
		vnet := pfxs("10.0.0.0/24", "172.16.0.0/29")
		f := genFlow(t, vnet)
		got := network.Evaluate(rules, f)

		want := network.Evaluate(nil, f) // the default rules' decision
		var best *network.SecurityRule
		for i := range rules {
			r := &rules[i]
			one := network.Evaluate([]network.SecurityRule{*r}, f)
			if one.Rule == r.Name && !one.Default && (best == nil || r.Priority < best.Priority) {
				best = r
			}
		}
		if best != nil {
			want = network.Decision{Access: best.Access, Rule: best.Name, Priority: best.Priority}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("Evaluate(%v) (-model +got):\n%s", f, diff)
		}

		// Order does not matter when priorities are distinct per direction.
		if network.ValidateRules(rules) == nil {
			shuffled := slices.Clone(rules)
			perm := rapid.Permutation(shuffled).Draw(t, "perm")
			if again := network.Evaluate(perm, f); again != got {
				t.Fatalf("Evaluate depends on rule order: %v vs %v", again, got)
			}
		}
	})
}

// TestEvaluateDefaultRulesExplicit checks that the default rules Evaluate
// applies are exactly DefaultRules (AZ-2). Invariant: appending
// DefaultRules to any rule list changes no decision's access or rule.
func TestEvaluateDefaultRulesExplicit(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rules := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) network.SecurityRule { return genRule(t, "x") }), 0, 3).Draw(t, "rules")
		vnet := pfxs("10.0.0.0/24", "172.16.0.0/29")
		f := genFlow(t, vnet)
		a := network.Evaluate(rules, f)
		b := network.Evaluate(append(slices.Clone(rules), network.DefaultRules()...), f)
		if a.Access != b.Access || a.Rule != b.Rule || a.Priority != b.Priority {
			t.Fatalf("implicit %v, explicit %v for %v", a, b, f)
		}
	})
}

func TestDecisionStringWithoutARule(t *testing.T) {
	if got := (network.Decision{Access: network.Deny}).String(); got != "Deny (no rule applies)" {
		t.Errorf("String() = %q", got)
	}
}

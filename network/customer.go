package network

import (
	"net/netip"

	"github.com/daasflex/daasflex/rule"
)

// CustomerPolicy describes the customer's own VNet (the peered one, or the
// one holding the domain controllers) for the rules Flex recommends there
// (FW-3). The zero value has no Flex range, which Validate refuses.
type CustomerPolicy struct {
	// Flex is the Flex range (or ranges) of the connection.
	Flex []netip.Prefix
	// Clients is the client ranges that launch sessions internally; empty
	// means no internal launches and no launch rules.
	Clients []netip.Prefix
	// DomainControllers is the domain controllers, DNS servers and other
	// directory services Flex machines use; empty means the whole
	// VirtualNetwork service tag.
	DomainControllers []netip.Prefix
	// Proxy is the address and port of a proxy the Flex connectors use;
	// the zero value means none.
	Proxy netip.AddrPort
	// FirstPriority is the priority of the first rule; the others follow
	// in steps of 10. Zero means 1000.
	FirstPriority int
}

// customerRuleCount is the most rules CustomerRules returns.
const customerRuleCount = 4

func (p CustomerPolicy) first() int {
	if p.FirstPriority == 0 {
		return 1000
	}
	return p.FirstPriority
}

// Validate reports every problem of the policy at once (FW-3): at least one
// Flex range, IPv4 ranges without host bits, a valid proxy address, and a
// first priority that leaves room for every rule within 100–4096.
func (p CustomerPolicy) Validate() error {
	var l rule.List
	if len(p.Flex) == 0 {
		l.Add("FW-3", "no Flex range; want the connection's Flex range, such as 10.1.0.0/24")
	}
	check := func(what string, ps []netip.Prefix) {
		for _, q := range ps {
			if prob := canonicalProblem(q); prob != "" {
				l.Add("FW-3", "%s %s %s", what, q, prob)
			}
		}
	}
	check("Flex range", p.Flex)
	check("client range", p.Clients)
	check("domain controller range", p.DomainControllers)
	if p.Proxy.IsValid() && (!p.Proxy.Addr().Is4() || p.Proxy.Port() == 0) {
		l.Add("FW-3", "proxy %s: want an IPv4 address and a port from 1 to 65535", p.Proxy)
	}
	if f := p.first(); f < MinRulePriority || f+10*(customerRuleCount-1) > MaxRulePriority {
		l.Add("FW-3", "first priority %d leaves no room for %d rules; want %d to %d",
			f, customerRuleCount, MinRulePriority, MaxRulePriority-10*(customerRuleCount-1))
	}
	return l.Err()
}

// CustomerRules returns the NSG rules Flex recommends for the customer's own
// VNet (FW-3), which the customer owns and may change (not Managed):
//
//   - inbound 443, 1494 and 2598 from the client ranges, for internal
//     launches (when there are client ranges);
//   - inbound 53, 88, 123, 135–139, 389, 445 and 636 from the Flex range to
//     the domain controllers and DNS servers;
//   - inbound to the proxy's port from the Flex range (when there is a
//     proxy);
//   - outbound 443, 1494 and 2598 to the Flex range.
func CustomerRules(p CustomerPolicy) []SecurityRule {
	flex := prefixAddresses(p.Flex)
	vnet := []Address{TagAddress(TagVirtualNetwork)}
	dcs := vnet
	if len(p.DomainControllers) > 0 {
		dcs = prefixAddresses(p.DomainControllers)
	}
	launch := []PortRange{Port(443), Port(1494), Port(2598)}
	anyPort := []PortRange{AnyPort()}
	prio := p.first()
	rules := make([]SecurityRule, 0, customerRuleCount)
	add := func(name string, dir Direction, proto Protocol, src, dst []Address, ports []PortRange, desc string) {
		rules = append(rules, SecurityRule{Name: name, Priority: prio, Direction: dir, Access: Allow, Protocol: proto,
			Sources: src, SourcePorts: anyPort, Destinations: dst, DestinationPorts: ports, Description: desc})
		prio += 10
	}
	if len(p.Clients) > 0 {
		add("AllowCitrixLaunchInBound", Inbound, AnyProtocol, prefixAddresses(p.Clients), vnet, launch,
			"FW-3: internal launches from client ranges")
	}
	add("AllowFlexDomainInBound", Inbound, AnyProtocol, flex, dcs,
		[]PortRange{Port(53), Port(88), Port(123), Ports(135, 139), Port(389), Port(445), Port(636)},
		"FW-3: DNS, Kerberos, NTP, RPC, LDAP and SMB from the Flex range")
	if p.Proxy.IsValid() {
		add("AllowFlexProxyInBound", Inbound, TCP, flex, []Address{HostAddress(p.Proxy.Addr())},
			[]PortRange{Port(p.Proxy.Port())}, "FW-3: proxy for the Flex connectors")
	}
	add("AllowCitrixLaunchOutBound", Outbound, AnyProtocol, vnet, flex, launch,
		"FW-3: internal launches to the Flex range")
	return rules
}

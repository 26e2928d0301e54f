package network

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/rule"
)

// HostKind is the kind of machine a customer may RDP to from outside the
// managed VNet (FW-4). The zero value is not valid.
type HostKind string

// Kinds of RDP host.
const (
	ImageBuilder HostKind = "ImageBuilder"
	Bastion      HostKind = "Bastion"
)

// String returns "ImageBuilder" or "Bastion".
func (k HostKind) String() string { return string(k) }

// RDPHost is an image builder or a bastion in the managed VNet that the
// customer reaches by RDP from a range of their choice (FW-4).
type RDPHost struct {
	Kind    HostKind     // ImageBuilder or Bastion
	Address netip.Addr   // the machine's address in the managed VNet
	Source  netip.Prefix // the customer-specified range allowed to RDP to it
}

// FirewallPolicy is what decides the NSG rules of a managed VNet: whether
// its machines are domain-joined, its address space, the customer's
// networks connected to it, the image builders and bastion in it, and RDP
// access. The zero value is a non-domain-joined VNet without address space,
// which Validate refuses.
type FirewallPolicy struct {
	// DomainJoined selects FW-2 (domain-joined) over FW-1.
	DomainJoined bool
	// VNet is the managed VNet's address space: the connection's Flex
	// range (or ranges, for a vWAN spoke). VDAs and connectors share it.
	VNet []netip.Prefix
	// Connected is the customer's networks connected to the VNet: the
	// peered VNet's address space, a VPN's allowed networks, a vWAN hub
	// and its spokes. Monitor shadowing comes from there (FW-2).
	Connected []netip.Prefix
	// Hosts is the image builders and the bastion (at most one, TRB-2)
	// reachable by RDP (FW-4). Removing a host removes its rules.
	Hosts []RDPHost
	// RDPAccess is the customer range allowed to RDP to every machine of
	// the VNet (FW-5): at most a /27. The zero Prefix means RDP access is
	// disabled.
	RDPAccess netip.Prefix
}

// VirtualNetwork returns the address space Azure's VirtualNetwork service
// tag stands for on this VNet: its own ranges followed by the connected
// networks. Use it as Flow.VirtualNetwork.
func (p FirewallPolicy) VirtualNetwork() []netip.Prefix {
	vn := make([]netip.Prefix, 0, len(p.VNet)+len(p.Connected))
	return append(append(vn, p.VNet...), p.Connected...)
}

// maxHosts bounds len(FirewallPolicy.Hosts) so that every host rule gets a
// priority below the RDP access rule.
const maxHosts = 100

// Priorities of the managed rules SecurityRules generates.
const (
	prioBastionToVNet = 100
	prioHostFirst     = 110 // + index of the host
	prioRDPAccess     = 300
	prioCitrix        = 400
	prioShadowing     = 410
	prioDenyInbound   = MaxRulePriority
	prioAllowOutbound = MaxRulePriority
)

// Validate reports every problem of the policy at once: the VNet needs an
// address space of IPv4 ranges free of Azure's reserved ranges (FW-1/FW-2,
// AZ-1) that do not overlap each other or the connected networks (NET-4);
// every host has a kind, an address inside the VNet and a source range
// outside it (FW-4), so RDP between VDAs and connectors stays blocked; at
// most one bastion (TRB-2); bastions and RDP access only when domain-joined
// (TRB-1); RDP access from at most a /27 outside the VNet (FW-5, TRB-3).
func (p FirewallPolicy) Validate() error {
	var l rule.List
	fw := "FW-1"
	if p.DomainJoined {
		fw = "FW-2"
	}
	if len(p.VNet) == 0 {
		l.Add(fw, "the managed VNet has no address range; want its Flex range, such as 10.1.0.0/24")
	}
	var entries []ipam.Entry
	for _, v := range p.VNet {
		if prob := canonicalProblem(v); prob != "" {
			l.Add(fw, "VNet range %s %s", v, prob)
			continue
		}
		if r, ok := ipam.AzureReserved(v); ok {
			l.Add("AZ-1", "VNet range %s includes %s, which Azure reserves; choose a range outside it", v, r)
		}
		entries = append(entries, ipam.Entry{Owner: "the managed VNet", Prefix: v})
	}
	for _, c := range p.Connected {
		if prob := canonicalProblem(c); prob != "" {
			l.Add("FW-2", "connected network %s %s", c, prob)
			continue
		}
		entries = append(entries, ipam.Entry{Owner: "a connected network", Prefix: c})
	}
	l.Append(ipam.CheckDisjoint(entries...))

	if len(p.Hosts) > maxHosts {
		l.Add("FW-4", "%d image builders and bastions; at most %d per VNet", len(p.Hosts), maxHosts)
	}
	bastions := 0
	seen := make(map[netip.Addr]bool, len(p.Hosts))
	for _, h := range p.Hosts {
		switch h.Kind {
		case ImageBuilder:
		case Bastion:
			if bastions++; bastions == 2 {
				l.Add("TRB-2", "more than one bastion; a connection has at most one")
			}
			if !p.DomainJoined {
				l.Add("TRB-1", "bastion %s in a non-domain-joined VNet; bastions are only for domain-joined catalogs", h.Address)
			}
		default:
			l.Add("FW-4", "host %s has kind %q; want ImageBuilder or Bastion", h.Address, h.Kind)
		}
		switch {
		case !h.Address.Is4() || !containsAddr(p.VNet, h.Address):
			l.Add("FW-4", "%s address %s is not in the managed VNet %v; want the machine's address in the VNet", h.Kind, h.Address, p.VNet)
		case seen[h.Address]:
			l.Add("FW-4", "%s address %s is used by another host; each machine has its own address", h.Kind, h.Address)
		}
		seen[h.Address] = true
		p.checkSource(&l, "FW-4", fmt.Sprintf("%s %s RDP source range", h.Kind, h.Address), h.Source)
	}

	if p.RDPAccess.IsValid() {
		if !p.DomainJoined {
			l.Add("TRB-1", "RDP access from %s in a non-domain-joined VNet; RDP access is only for domain-joined catalogs", p.RDPAccess)
		}
		if p.RDPAccess.Bits() < ipam.MinRDPSourceBits {
			l.Add("FW-5", "RDP access source range %s is larger than a /%d (TRB-3); want a /%d to /32",
				p.RDPAccess, ipam.MinRDPSourceBits, ipam.MinRDPSourceBits)
		}
		p.checkSource(&l, "FW-5", "RDP access source range", p.RDPAccess)
	}
	return l.Err()
}

// checkSource checks an RDP source range: a canonical IPv4 prefix that
// shares no address with the VNet.
func (p FirewallPolicy) checkSource(l *rule.List, id, what string, src netip.Prefix) {
	if prob := canonicalProblem(src); prob != "" {
		l.Add(id, "%s %s %s", what, src, prob)
		return
	}
	for _, v := range p.VNet {
		if v.Overlaps(src) {
			l.Add(id, "%s %s overlaps the managed VNet range %s, which would open RDP between VDAs and connectors; want a range outside the VNet", what, src, v)
		}
	}
}

// SecurityRules returns the NSG rules Flex generates for a managed VNet,
// all Managed (FW-6), in priority order within each direction:
//
//   - FW-1, not domain-joined: deny all inbound, VDA to VDA included (an
//     explicit deny at 4096 that beats Azure's AllowVNetInBound); allow all
//     outbound.
//   - FW-2, domain-joined: allow 80, 443, 1494 and 2598 (TCP and UDP) from
//     the VNet to the VNet; allow TCP 49152–65535 from the connected
//     networks to the VNet (Monitor shadowing); deny all other inbound;
//     allow all outbound.
//   - FW-4: allow TCP 3389 from each host's source range to that host only;
//     with a bastion also from the bastion's address to the VNet.
//   - FW-5: allow TCP 3389 from the RDP access range to the VNet.
//
// Connectors and VDAs share the VNet's single subnet, so rules "to VDAs"
// reach the whole range. RDP between VDAs and connectors stays blocked
// because no rule admits 3389 from the VNet except from the bastion.
// Validate the policy first: an invalid policy gives rules that
// ValidateRules or Evaluate may not treat as intended.
func SecurityRules(p FirewallPolicy) []SecurityRule {
	vnet := prefixAddresses(p.VNet)
	tcp3389 := []PortRange{Port(3389)}
	anyPort := []PortRange{AnyPort()}
	rules := make([]SecurityRule, 0, len(p.Hosts)+6)
	allow := func(name string, prio int, proto Protocol, src, dst []Address, ports []PortRange, desc string) {
		rules = append(rules, SecurityRule{Name: name, Priority: prio, Direction: Inbound, Access: Allow,
			Protocol: proto, Sources: src, SourcePorts: anyPort, Destinations: dst, DestinationPorts: ports,
			Description: desc, Managed: true})
	}
	for _, h := range p.Hosts {
		if h.Kind == Bastion {
			allow("FlexAllowRDPFromBastion", prioBastionToVNet, TCP, []Address{HostAddress(h.Address)}, vnet, tcp3389,
				"FW-4: RDP from the bastion to VDAs and connectors")
			break
		}
	}
	builders := 0
	for i, h := range p.Hosts {
		name := "FlexAllowRDPToBastion"
		if h.Kind != Bastion {
			builders++
			name = fmt.Sprintf("FlexAllowRDPToImageBuilder%d", builders)
		}
		allow(name, prioHostFirst+i, TCP, []Address{PrefixAddress(h.Source)}, []Address{HostAddress(h.Address)}, tcp3389,
			fmt.Sprintf("FW-4: RDP from the customer range to the %s", hostNoun(h.Kind)))
	}
	if p.RDPAccess.IsValid() {
		allow("FlexAllowRDPAccessInBound", prioRDPAccess, TCP, []Address{PrefixAddress(p.RDPAccess)}, vnet, tcp3389,
			"FW-5: RDP access from the customer range to VDAs and connectors")
	}
	if p.DomainJoined {
		allow("FlexAllowCitrixInBound", prioCitrix, AnyProtocol, vnet, vnet,
			[]PortRange{Port(80), Port(443), Port(1494), Port(2598)},
			"FW-2: HTTP, HTTPS, ICA and session reliability inside the VNet")
		if len(p.Connected) > 0 {
			allow("FlexAllowShadowingInBound", prioShadowing, TCP, prefixAddresses(p.Connected), vnet,
				[]PortRange{Ports(49152, 65535)}, "FW-2: Monitor shadowing from the customer's networks to VDAs")
		}
	}
	all := []Address{TagAddress(TagAny)}
	rules = append(rules,
		SecurityRule{Name: "FlexDenyAllInBound", Priority: prioDenyInbound, Direction: Inbound, Access: Deny,
			Protocol: AnyProtocol, Sources: all, SourcePorts: anyPort, Destinations: all, DestinationPorts: anyPort,
			Description: "FW-1/FW-2: deny all other inbound, VDA to VDA included", Managed: true},
		SecurityRule{Name: "FlexAllowAllOutBound", Priority: prioAllowOutbound, Direction: Outbound, Access: Allow,
			Protocol: AnyProtocol, Sources: all, SourcePorts: anyPort, Destinations: all, DestinationPorts: anyPort,
			Description: "FW-1/FW-2: allow all outbound", Managed: true})
	return rules
}

func hostNoun(k HostKind) string {
	if k == Bastion {
		return "bastion"
	}
	return "image builder"
}

// CheckEdit reports every way after changes the Managed rules of before
// (FW-6): a managed rule removed or changed, or a new rule marked Managed.
// Customers may add, change and remove their own rules; those must still
// pass ValidateRules, whose problems CheckEdit reports too.
func CheckEdit(before, after []SecurityRule) error {
	var l rule.List
	byName := make(map[string]*SecurityRule, len(after))
	for i := range after {
		byName[after[i].Name] = &after[i]
	}
	managed := make(map[string]bool, len(before))
	for i := range before {
		b := &before[i]
		if !b.Managed {
			continue
		}
		managed[b.Name] = true
		a, ok := byName[b.Name]
		switch {
		case !ok:
			l.Add("FW-6", "rule %q was removed; it is a Flex default rule and cannot be edited or removed", b.Name)
		case !sameRule(a, b):
			l.Add("FW-6", "rule %q was changed from %q to %q; it is a Flex default rule and cannot be edited", b.Name, b.String(), a.String())
		}
	}
	for i := range after {
		if a := &after[i]; a.Managed && !managed[a.Name] {
			l.Add("FW-6", "rule %q is marked Managed; only Flex creates default rules, add it as a customer rule", a.Name)
		}
	}
	l.Append(ValidateRules(after))
	return l.Err()
}

func sameRule(a, b *SecurityRule) bool {
	return a.Name == b.Name && a.Priority == b.Priority && a.Direction == b.Direction && a.Access == b.Access &&
		a.Protocol == b.Protocol && a.Description == b.Description && a.Managed == b.Managed &&
		slices.Equal(a.Sources, b.Sources) && slices.Equal(a.Destinations, b.Destinations) &&
		slices.Equal(a.SourcePorts, b.SourcePorts) && slices.Equal(a.DestinationPorts, b.DestinationPorts)
}

package network

import (
	"fmt"
	"math"
	"net/netip"

	"github.com/daasflex/daasflex/ipam"
)

// Flow is one packet's worth of traffic as an NSG sees it on a network
// interface of the VNet: direction, protocol, addresses and ports, and the
// address space the VirtualNetwork service tag stands for.
type Flow struct {
	Direction       Direction  // Inbound to the interface or Outbound from it
	Protocol        Protocol   // Tcp, Udp, Icmp, Esp or Ah
	Source          netip.Addr // sender
	SourcePort      uint16     // ignored for protocols without ports
	Destination     netip.Addr // receiver
	DestinationPort uint16     // ignored for protocols without ports
	// VirtualNetwork is the address space of the VirtualNetwork service
	// tag: the VNet's own ranges plus the networks connected to it (peered
	// VNets, on-premises networks through a gateway, a vWAN hub and its
	// spokes). FirewallPolicy.VirtualNetwork returns it for a policy.
	VirtualNetwork []netip.Prefix
}

// String returns "Inbound Tcp 10.0.0.4:50000 -> 10.0.0.5:3389".
func (f Flow) String() string {
	return fmt.Sprintf("%s %s %s -> %s", f.Direction, f.Protocol,
		netip.AddrPortFrom(f.Source, f.SourcePort), netip.AddrPortFrom(f.Destination, f.DestinationPort))
}

// Decision is the outcome of evaluating a flow against NSG rules: the
// access of the rule that matched, and which rule it was. The zero value
// (no Access) is never returned by Evaluate.
type Decision struct {
	Access   Access // Allow or Deny
	Rule     string // name of the matching rule, "" when no rule could match
	Priority int    // priority of the matching rule
	Default  bool   // whether the rule is one of Azure's default rules
}

// Allowed reports whether the flow is allowed.
func (d Decision) Allowed() bool { return d.Access == Allow }

// String returns "Allow by FlexAllowCitrixInBound (priority 400)", with
// ", default" added for Azure's default rules.
func (d Decision) String() string {
	if d.Rule == "" {
		return d.Access.String() + " (no rule applies)"
	}
	def := ""
	if d.Default {
		def = ", default"
	}
	return fmt.Sprintf("%s by %s (priority %d%s)", d.Access, d.Rule, d.Priority, def)
}

// Evaluate decides a flow exactly as an Azure NSG does (AZ-2): among the
// rules of the flow's direction that match it (protocol, source and
// destination address, source and destination port) the one with the
// lowest priority number decides; when none matches, Azure's default rules
// decide (see DefaultRules), so every flow gets a decision naming its rule.
//
// Matching: AnyProtocol matches every protocol; "*" matches every address
// and port; VirtualNetwork matches f.VirtualNetwork; Internet matches public
// unicast addresses outside f.VirtualNetwork; AzureLoadBalancer matches
// 168.63.129.16. Flows of protocols without ports (ICMP, ESP, AH) match only
// rules whose ports are all "*". A rule with an empty address or port list
// matches nothing. Rules need not be sorted; of two matching rules with the
// same priority and direction (which ValidateRules refuses) the first wins.
// A flow without a valid direction is denied with no rule named.
//
// Evaluate does not allocate.
func Evaluate(rules []SecurityRule, f Flow) Decision {
	if !f.Direction.IsValid() {
		return Decision{Access: Deny}
	}
	best, bestPrio := -1, math.MaxInt
	ported := f.Protocol.hasPorts()
	for i := range rules {
		r := &rules[i]
		if r.Priority >= bestPrio || r.Direction != f.Direction ||
			(r.Protocol != AnyProtocol && r.Protocol != f.Protocol) {
			continue
		}
		if ported {
			if !portsMatch(r.DestinationPorts, f.DestinationPort) || !portsMatch(r.SourcePorts, f.SourcePort) {
				continue
			}
		} else if !allPorts(r.DestinationPorts) || !allPorts(r.SourcePorts) {
			continue
		}
		if addressesMatch(r.Destinations, f.Destination, &f) && addressesMatch(r.Sources, f.Source, &f) {
			best, bestPrio = i, r.Priority
		}
	}
	if best >= 0 {
		r := &rules[best]
		return Decision{Access: r.Access, Rule: r.Name, Priority: r.Priority}
	}
	return defaultDecision(&f)
}

// defaultDecision applies Azure's default rules (the rules DefaultRules
// returns) to f without building them.
func defaultDecision(f *Flow) Decision {
	srcVNet := containsAddr(f.VirtualNetwork, f.Source)
	dstVNet := containsAddr(f.VirtualNetwork, f.Destination)
	if f.Direction == Inbound {
		switch {
		case srcVNet && dstVNet:
			return Decision{Access: Allow, Rule: "AllowVNetInBound", Priority: 65000, Default: true}
		case f.Source == AzureHostIP():
			return Decision{Access: Allow, Rule: "AllowAzureLoadBalancerInBound", Priority: 65001, Default: true}
		}
		return Decision{Access: Deny, Rule: "DenyAllInBound", Priority: 65500, Default: true}
	}
	switch {
	case srcVNet && dstVNet:
		return Decision{Access: Allow, Rule: "AllowVnetOutBound", Priority: 65000, Default: true}
	case !dstVNet && ipam.IsPublicUnicast(f.Destination):
		return Decision{Access: Allow, Rule: "AllowInternetOutBound", Priority: 65001, Default: true}
	}
	return Decision{Access: Deny, Rule: "DenyAllOutBound", Priority: 65500, Default: true}
}

func portsMatch(ps []PortRange, n uint16) bool {
	for _, p := range ps {
		if p.Contains(n) {
			return true
		}
	}
	return false
}

func allPorts(ps []PortRange) bool {
	for _, p := range ps {
		if p.IsAny() {
			return true
		}
	}
	return false
}

func addressesMatch(as []Address, a netip.Addr, f *Flow) bool {
	for i := range as {
		if as[i].matches(a, f) {
			return true
		}
	}
	return false
}

// matches reports whether address a of flow f is in x.
func (x *Address) matches(a netip.Addr, f *Flow) bool {
	switch x.Tag {
	case "":
		return x.Prefix.Contains(a)
	case TagAny:
		return true
	case TagVirtualNetwork:
		return containsAddr(f.VirtualNetwork, a)
	case TagInternet:
		return ipam.IsPublicUnicast(a) && !containsAddr(f.VirtualNetwork, a)
	case TagAzureLoadBalancer:
		return a == AzureHostIP()
	}
	return false
}

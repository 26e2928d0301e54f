// Package network models the networking of DaaS Flex for Azure: the regions
// Flex runs in, the four kinds of connection (no connectivity, VNet peering,
// Azure VPN gateway, Virtual WAN spoke) with their validation and status
// lifecycle, custom routes with an effective-route lookup, and the network
// security group (NSG) rules Flex generates for its managed VNet, with an
// evaluator that applies Azure's NSG semantics to a flow.
//
// It answers the questions administrators get wrong: will my range overlap,
// will my route work, what exactly is open to my VDAs. The smallest use asks
// whether one VDA may RDP to another in a domain-joined VNet:
//
//	p := network.FirewallPolicy{
//		DomainJoined: true,
//		VNet:         []netip.Prefix{netip.MustParsePrefix("10.1.0.0/24")},
//	}
//	d := network.Evaluate(network.SecurityRules(p), network.Flow{
//		Direction:       network.Inbound,
//		Protocol:        network.TCP,
//		Source:          netip.MustParseAddr("10.1.0.4"),
//		Destination:     netip.MustParseAddr("10.1.0.5"),
//		DestinationPort: 3389,
//		VirtualNetwork:  p.VirtualNetwork(),
//	})
//	fmt.Println(d) // Deny by FlexDenyAllInBound (priority 4096)
//
// The package is pure: it does no I/O, holds no mutable state and takes
// the time as a parameter where a rule needs it. Every validation reports
// all of its problems at once as rule violations (package rule) naming the
// rule ID of RULES.md, the offending value and what would be accepted.
// Address arithmetic (parsing, overlap, usable addresses) comes from
// package ipam.
package network

package network

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/rule"
)

// Direction is the direction of traffic an NSG rule applies to. Its String
// is armnetwork's SecurityRuleDirection value. The zero value is no
// direction and is not valid.
type Direction uint8

// Directions of NSG rules and flows.
const (
	Inbound Direction = iota + 1
	Outbound
)

func directionNames() []string { return []string{Inbound: "Inbound", Outbound: "Outbound"} }

// ParseDirection returns the direction named s ("Inbound" or "Outbound",
// ignoring case).
func ParseDirection(s string) (Direction, error) {
	if i, ok := lookupName(directionNames(), s); ok {
		return Direction(i), nil
	}
	return 0, fmt.Errorf("network: direction %q: want Inbound or Outbound", s)
}

// String returns "Inbound" or "Outbound".
func (d Direction) String() string { return enumName(directionNames(), "Direction", int(d)) }

// IsValid reports whether d is Inbound or Outbound.
func (d Direction) IsValid() bool { return d == Inbound || d == Outbound }

// MarshalText returns the String of a valid direction.
func (d Direction) MarshalText() ([]byte, error) { return marshalEnum(d.IsValid(), d.String()) }

// UnmarshalText parses text as ParseDirection does.
func (d *Direction) UnmarshalText(text []byte) (err error) {
	*d, err = ParseDirection(string(text))
	return err
}

// Access is what an NSG rule does with the traffic it matches. Its String
// is armnetwork's SecurityRuleAccess value. The zero value is not valid.
type Access uint8

// Accesses of NSG rules.
const (
	Allow Access = iota + 1
	Deny
)

func accessNames() []string { return []string{Allow: "Allow", Deny: "Deny"} }

// ParseAccess returns the access named s ("Allow" or "Deny", ignoring case).
func ParseAccess(s string) (Access, error) {
	if i, ok := lookupName(accessNames(), s); ok {
		return Access(i), nil
	}
	return 0, fmt.Errorf("network: access %q: want Allow or Deny", s)
}

// String returns "Allow" or "Deny".
func (a Access) String() string { return enumName(accessNames(), "Access", int(a)) }

// IsValid reports whether a is Allow or Deny.
func (a Access) IsValid() bool { return a == Allow || a == Deny }

// MarshalText returns the String of a valid access.
func (a Access) MarshalText() ([]byte, error) { return marshalEnum(a.IsValid(), a.String()) }

// UnmarshalText parses text as ParseAccess does.
func (a *Access) UnmarshalText(text []byte) (err error) {
	*a, err = ParseAccess(string(text))
	return err
}

// Protocol is the IP protocol of a flow or of an NSG rule (AZ-2). Its
// String is armnetwork's SecurityRuleProtocol value. AnyProtocol ("*")
// matches every protocol in a rule. The zero value is not valid.
type Protocol uint8

// Protocols of NSG rules and flows.
const (
	AnyProtocol Protocol = iota + 1
	TCP
	UDP
	ICMP
	ESP
	AH
)

func protocolNames() []string {
	return []string{AnyProtocol: "*", TCP: "Tcp", UDP: "Udp", ICMP: "Icmp", ESP: "Esp", AH: "Ah"}
}

// ParseProtocol returns the protocol named s: "*", "Tcp", "Udp", "Icmp",
// "Esp" or "Ah", ignoring case.
func ParseProtocol(s string) (Protocol, error) {
	if i, ok := lookupName(protocolNames(), s); ok {
		return Protocol(i), nil
	}
	return 0, fmt.Errorf("network: protocol %q: want *, Tcp, Udp, Icmp, Esp or Ah", s)
}

// String returns the protocol's armnetwork value, such as "Tcp".
func (p Protocol) String() string { return enumName(protocolNames(), "Protocol", int(p)) }

// IsValid reports whether p is one of the protocols of an NSG rule (AZ-2).
func (p Protocol) IsValid() bool { return p >= AnyProtocol && p <= AH }

// MarshalText returns the String of a valid protocol.
func (p Protocol) MarshalText() ([]byte, error) { return marshalEnum(p.IsValid(), p.String()) }

// UnmarshalText parses text as ParseProtocol does.
func (p *Protocol) UnmarshalText(text []byte) (err error) {
	*p, err = ParseProtocol(string(text))
	return err
}

// lookupName returns the index of the non-empty name equal to s ignoring
// case.
func lookupName(names []string, s string) (int, bool) {
	for i, n := range names {
		if n != "" && strings.EqualFold(n, s) {
			return i, true
		}
	}
	return 0, false
}

// enumName returns names[i], or "Type(i)" when i has no name.
func enumName(names []string, typ string, i int) string {
	if i > 0 && i < len(names) && names[i] != "" {
		return names[i]
	}
	return typ + "(" + strconv.Itoa(i) + ")"
}

func marshalEnum(ok bool, s string) ([]byte, error) {
	if !ok {
		return nil, fmt.Errorf("network: cannot marshal invalid %s", s)
	}
	return []byte(s), nil
}

// hasPorts reports whether flows of p carry ports (TCP and UDP do).
func (p Protocol) hasPorts() bool { return p == TCP || p == UDP }

// PortRange is an inclusive range of TCP or UDP ports, First ≤ Last. A rule
// written "*" is AnyPort, 0–65535. The zero value is the single port 0.
type PortRange struct {
	First, Last uint16
}

// AnyPort is the range "*" of every port.
func AnyPort() PortRange { return PortRange{0, 65535} }

// Port returns the range of the single port n.
func Port(n uint16) PortRange { return PortRange{n, n} }

// Ports returns the range first–last.
func Ports(first, last uint16) PortRange { return PortRange{first, last} }

// ParsePortRange parses a port range as Azure writes it: one port ("443"),
// a range ("49152-65535") or "*" (AZ-2).
func ParsePortRange(s string) (PortRange, error) {
	if s == "*" {
		return AnyPort(), nil
	}
	first, last, isRange := strings.Cut(s, "-")
	a, err1 := parsePort(first)
	b := a
	var err2 error
	if isRange {
		b, err2 = parsePort(last)
	}
	if err1 != nil || err2 != nil {
		return PortRange{}, fmt.Errorf("network: port range %q: want a port 0-65535, a range such as 49152-65535, or *", s)
	}
	if a > b {
		return PortRange{}, fmt.Errorf("network: port range %q: first port %d is above last port %d", s, a, b)
	}
	return PortRange{a, b}, nil
}

func parsePort(s string) (uint16, error) {
	if s == "" || len(s) > 5 || (len(s) > 1 && s[0] == '0') {
		return 0, strconv.ErrSyntax
	}
	n, err := strconv.ParseUint(s, 10, 16)
	return uint16(n), err
}

// IsAny reports whether r is every port, "*".
func (r PortRange) IsAny() bool { return r == AnyPort() }

// Contains reports whether port n is in r.
func (r PortRange) Contains(n uint16) bool { return r.First <= n && n <= r.Last }

// String returns "*", "443" or "49152-65535".
func (r PortRange) String() string {
	switch {
	case r.IsAny():
		return "*"
	case r.First == r.Last:
		return strconv.Itoa(int(r.First))
	}
	return strconv.Itoa(int(r.First)) + "-" + strconv.Itoa(int(r.Last))
}

// ServiceTag names a group of addresses that Azure maintains, usable as the
// source or destination of an NSG rule (AZ-2).
type ServiceTag string

// The service tags an NSG rule may use.
const (
	// TagAny is "*", every address.
	TagAny ServiceTag = "*"
	// TagVirtualNetwork is the VNet's address space plus every network
	// connected to it (peered VNets, on-premises networks through a
	// gateway, a vWAN hub and its spokes); see Flow.VirtualNetwork.
	TagVirtualNetwork ServiceTag = "VirtualNetwork"
	// TagInternet is the public address space outside VirtualNetwork.
	TagInternet ServiceTag = "Internet"
	// TagAzureLoadBalancer is the source of Azure's health probes,
	// 168.63.129.16.
	TagAzureLoadBalancer ServiceTag = "AzureLoadBalancer"
)

func serviceTags() [4]ServiceTag {
	return [4]ServiceTag{TagAny, TagVirtualNetwork, TagInternet, TagAzureLoadBalancer}
}

// AzureHostIP is the address of Azure's platform host (DNS, health probes):
// 168.63.129.16, the AzureLoadBalancer service tag and the Azure-provided
// DNS server.
func AzureHostIP() netip.Addr { return netip.AddrFrom4([4]byte{168, 63, 129, 16}) }

// Address is the source or destination of an NSG rule: either a service
// tag or an address range (a single address is a /32). The zero value is
// neither and is not valid.
type Address struct {
	Tag    ServiceTag   // a service tag, or "" when Prefix is set
	Prefix netip.Prefix // the range when Tag is ""
}

// TagAddress returns the Address of service tag t.
func TagAddress(t ServiceTag) Address { return Address{Tag: t} }

// PrefixAddress returns the Address of range p.
func PrefixAddress(p netip.Prefix) Address { return Address{Prefix: p} }

// HostAddress returns the Address of the single address a (a /32).
func HostAddress(a netip.Addr) Address { return Address{Prefix: netip.PrefixFrom(a, a.BitLen())} }

func prefixAddresses(ps []netip.Prefix) []Address {
	as := make([]Address, len(ps))
	for i, p := range ps {
		as[i] = PrefixAddress(p)
	}
	return as
}

// ParseAddress parses the source or destination of an NSG rule: a service
// tag ("*", "VirtualNetwork", "Internet", "AzureLoadBalancer", ignoring
// case), an address range in CIDR notation (strictly, as ipam.ParsePrefix)
// or a single address.
func ParseAddress(s string) (Address, error) {
	for _, t := range serviceTags() {
		if strings.EqualFold(s, string(t)) {
			return TagAddress(t), nil
		}
	}
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" || a.Is4In6() {
			return Address{}, fmt.Errorf("network: address %q: want a service tag (*, VirtualNetwork, Internet, AzureLoadBalancer), an address range such as 10.0.0.0/24 or an address", s)
		}
		return HostAddress(a), nil
	}
	p, err := ipam.ParsePrefix(s)
	if err != nil {
		return Address{}, fmt.Errorf("network: address: %w", err)
	}
	return PrefixAddress(p), nil
}

// String returns the tag or the range.
func (a Address) String() string {
	if a.Tag != "" {
		return string(a.Tag)
	}
	if !a.Prefix.IsValid() {
		return "invalid"
	}
	return a.Prefix.String()
}

// problem returns what is wrong with a, or "".
func (a Address) problem() string {
	if a.Tag != "" {
		if a.Prefix.IsValid() {
			return "has both a service tag and a range"
		}
		for _, t := range serviceTags() {
			if a.Tag == t {
				return ""
			}
		}
		return "is not a service tag; want *, VirtualNetwork, Internet or AzureLoadBalancer"
	}
	switch p := a.Prefix; {
	case !p.IsValid():
		return "is neither a service tag nor an address range"
	case p.Addr().Zone() != "" || p.Addr().Is4In6():
		return "is not a plain IPv4 or IPv6 range"
	case p.Masked() != p:
		return "has host bits set; did you mean " + p.Masked().String() + "?"
	}
	return ""
}

// SecurityRule is an Azure NSG security rule (AZ-2). Rules Flex generates
// for its managed VNet are Managed: customers cannot edit them (FW-6).
type SecurityRule struct {
	Name             string      // 1–80 characters, unique in the NSG
	Priority         int         // 100–4096, unique per direction; lower is evaluated first
	Direction        Direction   // Inbound or Outbound
	Access           Access      // Allow or Deny
	Protocol         Protocol    // *, Tcp, Udp, Icmp, Esp or Ah
	Sources          []Address   // one tag alone, or one or more ranges
	SourcePorts      []PortRange // "*" alone, or ports and ranges
	Destinations     []Address   // one tag alone, or one or more ranges
	DestinationPorts []PortRange // "*" alone, or ports and ranges
	Description      string      // at most 140 characters
	// Managed marks a rule Flex generates and owns: customers cannot edit
	// or delete it (FW-6).
	Managed bool
}

// String returns a one-line summary: "400 Inbound Allow * 10.1.0.0/24:* ->
// 10.1.0.0/24:80,443 FlexAllowCitrixInBound".
func (r SecurityRule) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s %s %s ", r.Priority, r.Direction, r.Access, r.Protocol)
	writeList(&b, r.Sources)
	b.WriteByte(':')
	writeList(&b, r.SourcePorts)
	b.WriteString(" -> ")
	writeList(&b, r.Destinations)
	b.WriteByte(':')
	writeList(&b, r.DestinationPorts)
	b.WriteByte(' ')
	b.WriteString(r.Name)
	return b.String()
}

func writeList[T fmt.Stringer](b *strings.Builder, xs []T) {
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(x.String())
	}
}

// Limits of NSGs (AZ-2).
const (
	MinRulePriority = 100  // the lowest priority number a rule may have
	MaxRulePriority = 4096 // the highest priority number a rule may have
	MaxRules        = 1000 // the most rules an NSG may hold
	maxDescription  = 140
)

// Validate reports every problem of the rule on its own (AZ-2): name,
// priority range, direction, access, protocol, addresses and ports.
func (r SecurityRule) Validate() error {
	var l rule.List
	r.validate(&l)
	return l.Err()
}

func (r SecurityRule) validate(l *rule.List) {
	if p := azureNameProblem(r.Name); p != "" {
		l.Add("AZ-2", "rule name %q %s", r.Name, p)
	}
	if r.Priority < MinRulePriority || r.Priority > MaxRulePriority {
		l.Add("AZ-2", "rule %q: priority %d is out of range; want %d to %d", r.Name, r.Priority, MinRulePriority, MaxRulePriority)
	}
	if !r.Direction.IsValid() {
		l.Add("AZ-2", "rule %q: direction %v: want Inbound or Outbound", r.Name, r.Direction)
	}
	if !r.Access.IsValid() {
		l.Add("AZ-2", "rule %q: access %v: want Allow or Deny", r.Name, r.Access)
	}
	if !r.Protocol.IsValid() {
		l.Add("AZ-2", "rule %q: protocol %v: want *, Tcp, Udp, Icmp, Esp or Ah", r.Name, r.Protocol)
	}
	validateAddresses(l, r.Name, "source", r.Sources)
	validateAddresses(l, r.Name, "destination", r.Destinations)
	validatePorts(l, r.Name, "source", r.SourcePorts)
	validatePorts(l, r.Name, "destination", r.DestinationPorts)
	if len(r.Description) > maxDescription {
		l.Add("AZ-2", "rule %q: description is %d characters; at most %d", r.Name, len(r.Description), maxDescription)
	}
}

func validateAddresses(l *rule.List, name, what string, as []Address) {
	if len(as) == 0 {
		l.Add("AZ-2", "rule %q: no %s address; want a service tag, * or one or more ranges", name, what)
		return
	}
	for _, a := range as {
		if p := a.problem(); p != "" {
			l.Add("AZ-2", "rule %q: %s %s %s", name, what, a, p)
		} else if a.Tag != "" && len(as) > 1 {
			l.Add("AZ-2", "rule %q: %s service tag %s must stand alone; Azure takes a list of ranges or one tag", name, what, a.Tag)
		}
	}
}

func validatePorts(l *rule.List, name, what string, ps []PortRange) {
	if len(ps) == 0 {
		l.Add("AZ-2", "rule %q: no %s port; want a port, a range a-b or *", name, what)
		return
	}
	for _, p := range ps {
		if p.First > p.Last {
			l.Add("AZ-2", "rule %q: %s port range %d-%d is reversed; want first ≤ last", name, what, p.First, p.Last)
		} else if p.IsAny() && len(ps) > 1 {
			l.Add("AZ-2", "rule %q: %s port * must stand alone", name, what)
		}
	}
}

// ValidateRules reports every problem of a set of NSG rules (AZ-2): each
// rule's own problems, names that are not unique, priorities that are not
// unique within a direction, and more than 1,000 rules. It is what Azure
// checks when an NSG is written, so the in-memory cloud uses it too.
func ValidateRules(rules []SecurityRule) error {
	var l rule.List
	if len(rules) > MaxRules {
		l.Add("AZ-2", "%d rules; an NSG holds at most %d", len(rules), MaxRules)
	}
	names := make(map[string]int, len(rules))
	type slot struct {
		d Direction
		p int
	}
	prios := make(map[slot]string, len(rules))
	for _, r := range rules {
		r.validate(&l)
		key := strings.ToLower(r.Name)
		if names[key]++; names[key] == 2 {
			l.Add("AZ-2", "rule name %q is used more than once; names are unique in an NSG (ignoring case)", r.Name)
		}
		s := slot{r.Direction, r.Priority}
		if other, dup := prios[s]; dup {
			l.Add("AZ-2", "rules %q and %q both have %s priority %d; priorities are unique per direction", other, r.Name, r.Direction, r.Priority)
		} else {
			prios[s] = r.Name
		}
	}
	return l.Err()
}

// DefaultRules returns the rules Azure puts in every NSG (AZ-2), below
// every custom rule: inbound AllowVNetInBound 65000,
// AllowAzureLoadBalancerInBound 65001 and DenyAllInBound 65500; outbound
// AllowVnetOutBound 65000, AllowInternetOutBound 65001 and DenyAllOutBound
// 65500. Their priorities are outside the range custom rules may use, so
// ValidateRules refuses them. Evaluate applies them itself.
func DefaultRules() []SecurityRule {
	all := []Address{TagAddress(TagAny)}
	vnet := []Address{TagAddress(TagVirtualNetwork)}
	ports := []PortRange{AnyPort()}
	mk := func(name string, prio int, dir Direction, acc Access, src, dst []Address, desc string) SecurityRule {
		return SecurityRule{Name: name, Priority: prio, Direction: dir, Access: acc, Protocol: AnyProtocol,
			Sources: src, SourcePorts: ports, Destinations: dst, DestinationPorts: ports, Description: desc}
	}
	return []SecurityRule{
		mk("AllowVNetInBound", 65000, Inbound, Allow, vnet, vnet, "Allow inbound traffic from all VMs in VNET"),
		mk("AllowAzureLoadBalancerInBound", 65001, Inbound, Allow, []Address{TagAddress(TagAzureLoadBalancer)}, all, "Allow inbound traffic from azure load balancer"),
		mk("DenyAllInBound", 65500, Inbound, Deny, all, all, "Deny all inbound traffic"),
		mk("AllowVnetOutBound", 65000, Outbound, Allow, vnet, vnet, "Allow outbound traffic from all VMs to all VMs in VNET"),
		mk("AllowInternetOutBound", 65001, Outbound, Allow, all, []Address{TagAddress(TagInternet)}, "Allow outbound traffic from all VMs to Internet"),
		mk("DenyAllOutBound", 65500, Outbound, Deny, all, all, "Deny all outbound traffic"),
	}
}

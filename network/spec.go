package network

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/rule"
)

// Spec is what an administrator asks for when creating a connection: a
// NoConnectivitySpec, PeeringSpec, VPNSpec or VWANSpec.
type Spec interface {
	// Kind returns the connection's kind.
	Kind() Kind
	// Validate reports every problem of the spec at once. used is the
	// address space already in use: the subscription's other connections
	// and the customer's declared networks, with owners, so an overlap
	// names who owns the other range (NET-4). A nil used is empty.
	Validate(used *ipam.Space) error
	// Warnings returns advice that does not block creation.
	Warnings() []Warning
	// FlexRanges returns the address ranges the connection's Flex VNet
	// takes, to be added to the subscription's address space.
	FlexRanges() []netip.Prefix
}

// Compile-time checks that every spec is a Spec.
var (
	_ Spec = NoConnectivitySpec{}
	_ Spec = PeeringSpec{}
	_ Spec = VPNSpec{}
	_ Spec = VWANSpec{}
)

// UsableAddresses returns how many machine addresses the ranges give
// together once Azure has reserved 5 in each (NET-14): 2,043 for
// 172.18.0.0/21, 251 for a /24.
func UsableAddresses(ranges ...netip.Prefix) int {
	n := 0
	for _, p := range ranges {
		n += ipam.Usable(p)
	}
	return n
}

// ParsePrefixList parses address ranges in CIDR notation separated by
// commas, semicolons or spaces, such as "10.0.0.0/16, 10.1.0.0/16", as a
// VPN's allowed networks or a peered VNet's address space are entered.
// Each item is parsed strictly by ipam.ParsePrefix; the error names the
// first bad item and its position.
func ParsePrefixList(s string) ([]netip.Prefix, error) {
	items := splitList(s)
	ps := make([]netip.Prefix, 0, len(items))
	for i, it := range items {
		p, err := ipam.ParsePrefix(it)
		if err != nil {
			return nil, fmt.Errorf("network: range %d of %q: %w", i+1, s, err)
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// ResourceID identifies an Azure resource of Microsoft.Network, such as the
// customer's VNet to peer with or a Virtual WAN hub.
type ResourceID struct {
	Subscription  string // subscription ID, a GUID
	ResourceGroup string
	Type          string // resource type, such as "virtualNetworks" or "virtualHubs"
	Name          string
}

// ParseResourceID parses an ARM resource ID of the form
// /subscriptions/{guid}/resourceGroups/{group}/providers/Microsoft.Network/{type}/{name},
// ignoring the case of the fixed segments.
func ParseResourceID(s string) (ResourceID, error) {
	parts := strings.Split(s, "/")
	bad := func(why string) (ResourceID, error) {
		return ResourceID{}, fmt.Errorf("network: resource ID %q: %s; want /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Network/{type}/{name}", s, why)
	}
	if len(parts) != 9 || parts[0] != "" {
		return bad("wrong number of segments")
	}
	if !strings.EqualFold(parts[1], "subscriptions") || !strings.EqualFold(parts[3], "resourceGroups") ||
		!strings.EqualFold(parts[5], "providers") || !strings.EqualFold(parts[6], "Microsoft.Network") {
		return bad("unexpected segment")
	}
	if !isGUID(parts[2]) {
		return bad("subscription ID is not a GUID")
	}
	for _, p := range parts[4:] {
		if p == "" {
			return bad("empty segment")
		}
	}
	if strings.ContainsFunc(parts[4], func(r rune) bool { return r < 0x20 || r == 0x7f }) ||
		strings.ContainsFunc(parts[8], func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return bad("control character")
	}
	return ResourceID{Subscription: parts[2], ResourceGroup: parts[4], Type: parts[7], Name: parts[8]}, nil
}

// String returns the ARM resource ID.
func (id ResourceID) String() string {
	return "/subscriptions/" + id.Subscription + "/resourceGroups/" + id.ResourceGroup +
		"/providers/Microsoft.Network/" + id.Type + "/" + id.Name
}

// isGUID reports whether s is a GUID such as
// 8f2c1a3e-1b2c-4d5e-8f90-123456789abc.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// NATGateway is the NAT gateway setting of a connection (NET-11): when
// enabled, every VDA of the connection reaches the internet through one
// public static IP that Azure assigns. The zero value is disabled.
type NATGateway struct {
	Enabled bool
	// IdleTimeout is how many minutes an idle outbound connection stays
	// open: 4 to 120 (AZ-4). Zero means Azure's default of 4.
	IdleTimeout int
}

// DefaultNATIdleTimeout is Azure's default NAT gateway idle timeout in
// minutes (AZ-4).
const DefaultNATIdleTimeout = 4

// Minutes returns the idle timeout in effect: IdleTimeout, or 4 when it is
// zero.
func (n NATGateway) Minutes() int {
	if n.IdleTimeout == 0 {
		return DefaultNATIdleTimeout
	}
	return n.IdleTimeout
}

// Validate reports an idle timeout outside 4–120 minutes (NET-11,
// following Azure's range of AZ-4).
func (n NATGateway) Validate() error {
	var l rule.List
	n.validate(&l)
	return l.Err()
}

func (n NATGateway) validate(l *rule.List) {
	if m := n.Minutes(); m < 4 || m > 120 {
		l.Add("NET-11", "NAT gateway idle timeout %d minutes is out of range; want 4 to 120 (AZ-4)", n.IdleTimeout)
	}
}

// checkRegion checks a connection's region (REG-1).
func checkRegion(l *rule.List, r Region) {
	if !r.IsValid() {
		l.Append(regionViolation("connection region", string(r)))
	}
}

// flexRange is one address range a connection's Flex VNet takes, with what
// it is called in messages.
type flexRange struct {
	what string // "Flex range", "VDA subnet", …
	p    netip.Prefix
}

// checkAddressSpace checks a connection's Flex ranges: each a canonical
// IPv4 prefix of at most maxBits (NET-5, or AZ-1 for a gateway subnet),
// outside Azure's reserved ranges (AZ-1), overlapping nothing in used or
// in the customer's declared ranges (NET-4), and, pairwise, each other
// (reported under the rule id "pairID").
func checkAddressSpace(l *rule.List, conn string, ranges []flexRange, customer []ipam.Entry, used *ipam.Space, pairID string) {
	var ok []flexRange
	for _, r := range ranges {
		if prob := canonicalProblem(r.p); prob != "" {
			l.Add("NET-5", "%s %s %s", r.what, r.p, prob)
			continue
		}
		if res, bad := ipam.AzureReserved(r.p); bad {
			l.Add("AZ-1", "%s %s includes %s, which Azure reserves; choose a range outside it", r.what, r.p, res)
		}
		if used != nil {
			for _, e := range used.Overlapping(r.p) {
				l.Add("NET-4", "%s %s; Flex ranges must not overlap any range in use",
					r.what, &ipam.OverlapError{Prefix: r.p, Other: e.Prefix, OtherOwner: e.Owner})
			}
		}
		for _, c := range customer {
			if c.Prefix.Overlaps(r.p) {
				l.Add("NET-4", "%s %s; Flex ranges must not overlap any range in use",
					r.what, &ipam.OverlapError{Prefix: r.p, Other: c.Prefix, OtherOwner: c.Owner})
			}
		}
		for _, o := range ok {
			if o.p.Overlaps(r.p) {
				l.Add(pairID, "%s %s overlaps %s %s of connection %q; they must not share any address", r.what, r.p, o.what, o.p, conn)
			}
		}
		ok = append(ok, r)
	}
}

// checkVNetSize checks the prefix length of a range that becomes the Flex
// VNet's subnet for VDAs: at least a /24 (NET-5) and at most a /2 (AZ-1).
func checkVNetSize(l *rule.List, what string, p netip.Prefix) {
	if canonicalProblem(p) != "" {
		return
	}
	switch {
	case p.Bits() > ipam.MaxFlexVNetBits:
		l.Add("NET-5", "%s %s is a /%d; a Flex VNet range is at least a /%d (%d addresses for machines), such as %s",
			what, p, p.Bits(), ipam.MaxFlexVNetBits, ipam.Usable(netip.PrefixFrom(p.Addr(), ipam.MaxFlexVNetBits)),
			netip.PrefixFrom(p.Addr(), ipam.MaxFlexVNetBits).Masked())
	case p.Bits() < 2:
		l.Add("AZ-1", "%s %s is larger than a /2, the largest Azure subnet", what, p)
	}
}

// checkCustomer checks the customer's declared ranges (a peered VNet's
// address space, a VPN's allowed networks, a hub's networks): IPv4 CIDR
// without host bits and without duplicates, at least one when need is set.
func checkCustomer(l *rule.List, id, what string, ps []netip.Prefix, need bool) {
	if need && len(ps) == 0 {
		l.Add(id, "no %s; want one or more address ranges such as 10.0.0.0/16", what)
	}
	seen := make(map[netip.Prefix]bool, len(ps))
	for _, p := range ps {
		if prob := canonicalProblem(p); prob != "" {
			l.Add(id, "%s %s %s", what, p, prob)
		} else if seen[p] {
			l.Add(id, "%s %s is listed twice", what, p)
		}
		seen[p] = true
	}
}

func entries(owner string, ps []netip.Prefix) []ipam.Entry {
	es := make([]ipam.Entry, 0, len(ps))
	for _, p := range ps {
		if canonicalProblem(p) == "" {
			es = append(es, ipam.Entry{Owner: owner, Prefix: p})
		}
	}
	return es
}

// checkUpdate adds a violation of rule id when an immutable field changes.
func checkUpdate[T comparable](l *rule.List, id, field string, before, after T) {
	if before != after {
		l.Add(id, "%s cannot change after the connection is created (%v → %v); create another connection instead", field, before, after)
	}
}

// dnsChangeWarning is the NET-3 warning for changed DNS servers.
func dnsChangeWarning(before, after []netip.Addr) []Warning {
	if slicesEqual(before, after) {
		return nil
	}
	return []Warning{{ID: "NET-3", Msg: fmt.Sprintf("DNS servers change from %v to %v; running machines keep the old servers until they restart, and machines may lose connectivity if the new servers cannot resolve your domain", before, after)}}
}

func slicesEqual[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// NoConnectivitySpec is a Citrix-managed connection without access to the
// customer's networks (NET-1): only non-domain-joined machines, with a
// region chosen here (REG-2) and an optional NAT gateway (NET-11).
type NoConnectivitySpec struct {
	Name   string
	Region Region
	// Range is the Flex range; the zero Prefix lets Citrix choose one
	// (see ipam.Space.Allocate).
	Range netip.Prefix
	NAT   NATGateway
}

// Kind returns KindNone.
func (NoConnectivitySpec) Kind() Kind { return KindNone }

// FlexRanges returns the Flex range when one is set.
func (s NoConnectivitySpec) FlexRanges() []netip.Prefix {
	if !s.Range.IsValid() {
		return nil
	}
	return []netip.Prefix{s.Range}
}

// Warnings returns nil: nothing about a no-connectivity spec needs a
// warning.
func (NoConnectivitySpec) Warnings() []Warning { return nil }

// Validate reports every problem at once: name (API-7), region (REG-1),
// the range when set (NET-4, NET-5, AZ-1) and the NAT gateway (NET-11).
func (s NoConnectivitySpec) Validate(used *ipam.Space) error {
	var l rule.List
	validateName(&l, KindNone, s.Name)
	checkRegion(&l, s.Region)
	if s.Range.IsValid() {
		checkAddressSpace(&l, s.Name, []flexRange{{"Flex range", s.Range}}, nil, used, "NET-4")
		checkVNetSize(&l, "Flex range", s.Range)
	}
	s.NAT.validate(&l)
	return l.Err()
}

// PeeringSpec is a VNet peering connection (NET-1): the Flex VNet is
// peered with the customer's VNet.
type PeeringSpec struct {
	Name   string
	Region Region // fixed at creation (REG-2)
	// RemoteVNet is the customer's VNet to peer with (type
	// virtualNetworks).
	RemoteVNet ResourceID
	// RemoteAddressSpace is the peered VNet's address spaces, which the
	// Flex range must not overlap (NET-4).
	RemoteAddressSpace []netip.Prefix
	// UsesGateway says whether the peered VNet uses a virtual network
	// gateway (NET-7).
	UsesGateway bool
	// RoutePropagation propagates the gateway's routes to the Flex VNet;
	// only with UsesGateway (NET-7).
	RoutePropagation bool
	Range            netip.Prefix // the Flex range, at least a /24 (NET-5)
	DNS              []netip.Addr // NET-3
	Routes           []Route      // custom routes (NET-6)
	NAT              NATGateway   // NET-11
}

// Kind returns KindVnetPeering.
func (PeeringSpec) Kind() Kind { return KindVnetPeering }

// FlexRanges returns the Flex range.
func (s PeeringSpec) FlexRanges() []netip.Prefix { return []netip.Prefix{s.Range} }

// Warnings returns nil: a valid peering spec needs no warning at creation.
func (PeeringSpec) Warnings() []Warning { return nil }

// Validate reports every problem at once: name (API-7), region (REG-1),
// peered VNet and gateway route propagation (NET-7), Flex range (NET-4,
// NET-5, AZ-1), DNS servers without the Azure-provided one (NET-3), custom
// routes (NET-6, AZ-3) and NAT gateway (NET-11).
func (s PeeringSpec) Validate(used *ipam.Space) error {
	var l rule.List
	validateName(&l, KindVnetPeering, s.Name)
	checkRegion(&l, s.Region)
	if s.RemoteVNet.Name == "" || !strings.EqualFold(s.RemoteVNet.Type, "virtualNetworks") || !isGUID(s.RemoteVNet.Subscription) || s.RemoteVNet.ResourceGroup == "" {
		l.Add("NET-7", "peered VNet %q is not a VNet's resource ID; want /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Network/virtualNetworks/{name}", s.RemoteVNet.String())
	}
	if s.RoutePropagation && !s.UsesGateway {
		l.Add("NET-7", "gateway route propagation is enabled but the peered VNet uses no virtual network gateway; enable it only with a gateway")
	}
	checkCustomer(&l, "NET-4", "peered VNet address space", s.RemoteAddressSpace, true)
	owner := fmt.Sprintf("peered VNet %s", s.RemoteVNet.Name)
	checkAddressSpace(&l, s.Name, []flexRange{{"Flex range", s.Range}}, entries(owner, s.RemoteAddressSpace), used, "NET-4")
	checkVNetSize(&l, "Flex range", s.Range)
	validateDNS(&l, KindVnetPeering, s.DNS)
	validateRoutes(&l, s.Routes, s.RemoteAddressSpace)
	s.NAT.validate(&l)
	return l.Err()
}

// ValidateUpdate reports every change from s to next that is not allowed
// after creation: region (REG-2), peered VNet and Flex range (NET-4), and
// the problems of next itself with used; and returns warnings for allowed
// changes that may disrupt sessions: gateway route propagation (NET-7) and
// DNS servers (NET-3).
func (s PeeringSpec) ValidateUpdate(next PeeringSpec, used *ipam.Space) ([]Warning, error) {
	var l rule.List
	checkUpdate(&l, "REG-2", "the region", s.Region, next.Region)
	checkUpdate(&l, "NET-7", "the peered VNet", s.RemoteVNet, next.RemoteVNet)
	checkUpdate(&l, "NET-4", "the Flex range", s.Range, next.Range)
	l.Append(next.Validate(used))
	var ws []Warning
	if s.RoutePropagation != next.RoutePropagation {
		msg := "changing gateway route propagation changes route patterns and may interrupt VDA traffic"
		if !next.RoutePropagation {
			msg += "; add routes by hand to the networks VDAs use"
		}
		ws = append(ws, Warning{ID: "NET-7", Msg: msg})
	}
	ws = append(ws, dnsChangeWarning(s.DNS, next.DNS)...)
	return ws, l.Err()
}

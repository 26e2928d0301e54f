package network

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// HubTier is the type of a Virtual WAN hub (AZ-6). The zero value is not
// valid.
type HubTier string

// Virtual WAN hub tiers. Flex needs Standard (NET-12).
const (
	HubBasic    HubTier = "Basic"
	HubStandard HubTier = "Standard"
)

// String returns "Basic" or "Standard".
func (t HubTier) String() string { return string(t) }

// AuthMethod is how Flex authenticates to the customer's Virtual WAN hub
// (NET-12). The zero value is not valid.
type AuthMethod string

// Authentication methods for a vWAN spoke (NET-12).
const (
	// AuthAdminSingleTenant signs in as an Azure administrator of the
	// hub's own Entra tenant.
	AuthAdminSingleTenant AuthMethod = "AdminSingleTenant"
	// AuthAdminMultiTenant signs in as an Azure administrator of another
	// tenant; the subscription's tenant ID is given.
	AuthAdminMultiTenant AuthMethod = "AdminMultiTenant"
	// AuthServicePrincipal uses a service principal with the Network
	// Contributor role: tenant ID, client ID and client secret.
	AuthServicePrincipal AuthMethod = "ServicePrincipal"
)

// String returns the method's name.
func (m AuthMethod) String() string { return string(m) }

// VWANAuth is the authentication of a vWAN spoke connection (NET-12). The
// client secret is a secret.Value (SEC-1).
type VWANAuth struct {
	Method       AuthMethod
	TenantID     string       // GUID; required for multi-tenant and service principal
	ClientID     string       // GUID; service principal only
	ClientSecret secret.Value // service principal only
}

func (a VWANAuth) validate(l *rule.List) {
	tenant := func(required bool) {
		switch {
		case a.TenantID == "" && required:
			l.Add("NET-12", "%s authentication needs the tenant ID, a GUID", a.Method)
		case a.TenantID != "" && !isGUID(a.TenantID):
			l.Add("NET-12", "tenant ID %q is not a GUID such as 8f2c1a3e-1b2c-4d5e-8f90-123456789abc", a.TenantID)
		}
	}
	switch a.Method {
	case AuthAdminSingleTenant, AuthAdminMultiTenant:
		tenant(a.Method == AuthAdminMultiTenant)
		if a.ClientID != "" || !a.ClientSecret.IsZero() {
			l.Add("NET-12", "administrator authentication takes no client ID or client secret; use ServicePrincipal for those")
		}
	case AuthServicePrincipal:
		tenant(true)
		if !isGUID(a.ClientID) {
			l.Add("NET-12", "service principal client ID %q is not a GUID such as 8f2c1a3e-1b2c-4d5e-8f90-123456789abc", a.ClientID)
		}
		if a.ClientSecret.IsZero() {
			l.Add("NET-12", "service principal authentication needs the client secret")
		}
	default:
		l.Add("NET-12", "authentication method %q: want AdminSingleTenant, AdminMultiTenant or ServicePrincipal", a.Method)
	}
}

// VWANHub is the customer's Virtual WAN hub a spoke connects to.
type VWANHub struct {
	ID   ResourceID // the hub's resource ID (type virtualHubs)
	Tier HubTier    // must be Standard (NET-12)
	// AddressSpace is the hub's address prefix: a /24 or larger (AZ-6).
	AddressSpace netip.Prefix
	// Connected is the networks already connected to the hub: its other
	// spokes and branches (NET-4).
	Connected []netip.Prefix
}

// VWANAdvanced is a vWAN spoke's advanced settings, which cannot change
// after creation (NET-12).
type VWANAdvanced struct {
	InternetSecurity bool // route internet traffic through the hub's security
	RoutePropagation bool // share spoke routes with the hub and its networks
}

// VWANSpec is a Virtual WAN spoke connection (NET-12): the Flex VNet joins
// the customer's Standard hub as a spoke.
type VWANSpec struct {
	Name   string
	Region Region // the hub's region, which the spoke takes (REG-2)
	Hub    VWANHub
	Auth   VWANAuth
	// Ranges is the spoke VNet's IPv4 address ranges (NET-13): one at
	// creation, more added later with AddVWANRange.
	Ranges   []netip.Prefix
	DNS      []netip.Addr // NET-3; the Azure-provided DNS is allowed
	Routes   []Route      // custom routes; 0.0.0.0/0 → Internet recommended
	Advanced VWANAdvanced // immutable (NET-12)
}

// Kind returns KindVWanConnection.
func (VWANSpec) Kind() Kind { return KindVWanConnection }

// FlexRanges returns the spoke's address ranges.
func (s VWANSpec) FlexRanges() []netip.Prefix { return slices.Clone(s.Ranges) }

// Warnings returns NET-12's warning when no enabled route sends 0.0.0.0/0
// to the Internet: machines then cannot download their setup files.
func (s VWANSpec) Warnings() []Warning {
	for _, r := range s.Routes {
		if r.Enabled && r.NextHop == NextHopInternet && r.Destination == netip.PrefixFrom(netip.IPv4Unspecified(), 0) {
			return nil
		}
	}
	return []Warning{{ID: "NET-12", Msg: "no enabled custom route sends 0.0.0.0/0 to the Internet; machines cannot reach the internet to download setup files and get stuck provisioning; add route 0.0.0.0/0 → Internet"}}
}

// hubConnected returns the hub's address space and connected networks with
// their owners.
func (s VWANSpec) hubConnected() []ipam.Entry {
	es := entries("vWAN hub "+s.Hub.ID.Name, []netip.Prefix{s.Hub.AddressSpace})
	return append(es, entries("a network connected to vWAN hub "+s.Hub.ID.Name, s.Hub.Connected)...)
}

// Validate reports every problem at once: name (API-7), region (REG-1),
// the hub (NET-12: Standard tier and a hub resource ID; AZ-6: a /24 or
// larger address space), authentication (NET-12), the IPv4 ranges
// (NET-13: at least one, unique and not overlapping; NET-5, AZ-1; NET-4:
// nothing in use, the hub or its networks), DNS servers (NET-3) and custom
// routes (NET-6, AZ-3).
func (s VWANSpec) Validate(used *ipam.Space) error {
	var l rule.List
	validateName(&l, KindVWanConnection, s.Name)
	checkRegion(&l, s.Region)
	if s.Hub.Tier != HubStandard {
		l.Add("NET-12", "vWAN hub tier %q is not supported; the hub must be Standard (Basic does not support VNet connections, AZ-6)", s.Hub.Tier)
	}
	if s.Hub.ID.Name == "" || !strings.EqualFold(s.Hub.ID.Type, "virtualHubs") || !isGUID(s.Hub.ID.Subscription) || s.Hub.ID.ResourceGroup == "" {
		l.Add("NET-12", "vWAN hub %q is not a hub's resource ID; want /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Network/virtualHubs/{name}", s.Hub.ID.String())
	}
	switch h := s.Hub.AddressSpace; {
	case canonicalProblem(h) != "":
		l.Add("AZ-6", "vWAN hub address space %s %s", h, canonicalProblem(h))
	case h.Bits() > 24:
		l.Add("AZ-6", "vWAN hub address space %s is smaller than a /24, the smallest a hub may have", h)
	}
	checkCustomer(&l, "NET-4", "network connected to the hub", s.Hub.Connected, false)
	s.Auth.validate(&l)
	if len(s.Ranges) == 0 {
		l.Add("NET-13", "no IPv4 address range; a vWAN spoke needs at least one, such as 10.200.0.0/24")
	}
	rs := make([]flexRange, len(s.Ranges))
	for i, p := range s.Ranges {
		rs[i] = flexRange{"IPv4 address range", p}
		checkVNetSize(&l, "IPv4 address range", p)
	}
	checkAddressSpace(&l, s.Name, rs, s.hubConnected(), used, "NET-13")
	validateDNS(&l, KindVWanConnection, s.DNS)
	validateRoutes(&l, s.Routes, append(slices.Clone(s.Hub.Connected), s.Hub.AddressSpace))
	return l.Err()
}

// ValidateUpdate reports every change from s to next that is not allowed
// after creation: the advanced settings, internet security and route
// propagation (NET-12), the hub (AZ-6: a VNet connects to one hub only),
// the region (REG-2), and the ranges, which change only through
// AddVWANRange, EditVWANRange and DeleteVWANRange (NET-13); and the
// problems of next itself with used (the address space without this
// connection). It returns the NET-3 warning when DNS servers change.
func (s VWANSpec) ValidateUpdate(next VWANSpec, used *ipam.Space) ([]Warning, error) {
	var l rule.List
	checkUpdate(&l, "NET-12", "internet security", s.Advanced.InternetSecurity, next.Advanced.InternetSecurity)
	checkUpdate(&l, "NET-12", "route propagation", s.Advanced.RoutePropagation, next.Advanced.RoutePropagation)
	checkUpdate(&l, "AZ-6", "the vWAN hub", s.Hub.ID, next.Hub.ID)
	checkUpdate(&l, "REG-2", "the region", s.Region, next.Region)
	if !slicesEqual(s.Ranges, next.Ranges) {
		l.Add("NET-13", "IPv4 address ranges change from %v to %v; change them one at a time with AddVWANRange, EditVWANRange or DeleteVWANRange", s.Ranges, next.Ranges)
	}
	l.Append(next.Validate(used))
	return dnsChangeWarning(s.DNS, next.DNS), l.Err()
}

// checkNewRange checks p as a new range of a spoke whose other ranges are
// others (NET-13, NET-5, AZ-1, NET-4).
func checkNewRange(l *rule.List, others []netip.Prefix, p netip.Prefix, used *ipam.Space) {
	if prob := canonicalProblem(p); prob != "" {
		l.Add("NET-13", "IPv4 address range %s %s", p, prob)
		return
	}
	checkVNetSize(l, "IPv4 address range", p)
	for _, o := range others {
		switch {
		case o == p:
			l.Add("NET-13", "IPv4 address range %s is already in the spoke; ranges are unique", p)
		case o.Overlaps(p):
			l.Add("NET-13", "IPv4 address range %s overlaps the spoke's range %s; ranges must not overlap within the VNet", p, o)
		}
	}
	checkAddressSpace(l, "", []flexRange{{"IPv4 address range", p}}, nil, used, "NET-13")
}

// checkFree reports a NET-13 violation when a machine address of inUse
// lies in p.
func checkFree(l *rule.List, p netip.Prefix, op string, inUse []netip.Addr) {
	for _, a := range inUse {
		if p.Contains(a) {
			l.Add("NET-13", "cannot %s IPv4 address range %s: %s is in use by a VDA, connector, bastion or image builder; free the range first", op, p, a)
			return
		}
	}
}

// AddVWANRange returns the spoke's ranges with p added at the end (NET-13):
// p is a canonical IPv4 range of at least a /24 (NET-5) outside Azure's
// reserved ranges (AZ-1), unique, overlapping neither the spoke's ranges
// nor anything in used (the address space without this spoke: the hub,
// its networks and the subscription's other connections, NET-4). It is
// usable at once. The input slice is not modified.
func AddVWANRange(ranges []netip.Prefix, p netip.Prefix, used *ipam.Space) ([]netip.Prefix, error) {
	var l rule.List
	checkNewRange(&l, ranges, p, used)
	if err := l.Err(); err != nil {
		return ranges, err
	}
	return append(slices.Clone(ranges), p), nil
}

// EditVWANRange returns the spoke's ranges with old replaced by p in its
// place (NET-13): old must be one of ranges and free (no address of inUse,
// the addresses of the VDAs, connectors, bastions and image builders, in
// it), and p must pass AddVWANRange's checks against the other ranges.
func EditVWANRange(ranges []netip.Prefix, old, p netip.Prefix, inUse []netip.Addr, used *ipam.Space) ([]netip.Prefix, error) {
	var l rule.List
	i := slices.Index(ranges, old)
	if i < 0 {
		l.Add("NET-13", "IPv4 address range %s is not one of the spoke's ranges %v", old, ranges)
	} else {
		checkFree(&l, old, "edit", inUse)
		others := slices.Delete(slices.Clone(ranges), i, i+1)
		checkNewRange(&l, others, p, used)
	}
	if err := l.Err(); err != nil {
		return ranges, err
	}
	out := slices.Clone(ranges)
	out[i] = p
	return out, nil
}

// DeleteVWANRange returns the spoke's ranges without p (NET-13): p must be
// one of ranges, free (no address of inUse in it), and not the last one: a
// spoke keeps at least one range.
func DeleteVWANRange(ranges []netip.Prefix, p netip.Prefix, inUse []netip.Addr) ([]netip.Prefix, error) {
	var l rule.List
	i := slices.Index(ranges, p)
	if i < 0 {
		l.Add("NET-13", "IPv4 address range %s is not one of the spoke's ranges %v", p, ranges)
	} else {
		checkFree(&l, p, "delete", inUse)
		if len(ranges) == 1 {
			l.Add("NET-13", "cannot delete %s, the spoke's last IPv4 address range; a connection keeps at least one", p)
		}
	}
	if err := l.Err(); err != nil {
		return ranges, err
	}
	return slices.Delete(slices.Clone(ranges), i, i+1), nil
}

package fake

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// GatewaySubnet is the name Azure requires for the subnet of a VPN gateway
// (AZ-1, AZ-5).
const GatewaySubnet = "GatewaySubnet"

// Limits Azure enforces that are not in package network.
const (
	MaxRoutes          = 400   // routes per route table (AZ-3)
	DefaultIdleTimeout = 4     // NAT gateway TCP idle timeout in minutes when none is given (AZ-4)
	MaxIdleTimeout     = 120   // longest NAT gateway TCP idle timeout in minutes (AZ-4)
	DefaultGatewayASN  = 65515 // ASN of a BGP-enabled VPN gateway when none is given (AZ-5)
)

// visible returns the stored resource k when the viewer sees it and its
// resource group, or nil. The caller holds c.mu.
func (c *Cloud) visible(v viewer, k key) *record {
	g := c.group(k)
	if g == nil || !v.sees(g.rec.res) {
		return nil
	}
	if k.typ == flex.TypeResourceGroup {
		return g.rec
	}
	rec := g.res[k.typ][k.name]
	if rec == nil || !v.sees(rec.res) {
		return nil
	}
	return rec
}

// ref resolves a reference that the resource self makes (what, such as
// "subnet "a"'s route table") to a resource of type t the viewer sees.
func (c *Cloud) ref(v viewer, op string, self flex.ResourceID, what string, id flex.ResourceID, t flex.ResourceType) (*record, error) {
	if id.IsZero() {
		return nil, fail(flex.ErrInvalid, op, self, "InvalidResourceReference: %s is required", what)
	}
	k, ti, err := keyOf(id)
	if err != nil {
		return nil, fail(flex.ErrInvalid, op, self, "InvalidResourceReference: %s: %w", what, err)
	}
	if ti.t != t {
		return nil, fail(flex.ErrInvalid, op, self, "InvalidResourceReference: %s %s is a %s; want a %s", what, id, ti.t, t)
	}
	rec := c.visible(v, k)
	if rec == nil {
		return nil, fail(flex.ErrNotFound, op, self, "InvalidResourceReference: %s %s was not found", what, id)
	}
	return rec, nil
}

// sameSubRegion requires the referenced resource in self's subscription
// and region, as Azure does for what a subnet, NIC or gateway refers to.
func sameSubRegion(op string, self flex.ResourceID, region network.Region, what string, rec *record) error {
	m := rec.meta()
	if !strings.EqualFold(m.ID.Subscription, self.Subscription) {
		return fail(flex.ErrInvalid, op, self, "InvalidResourceReference: %s %s is in subscription %q; it must be in %q", what, m.ID, m.ID.Subscription, self.Subscription)
	}
	if m.Region != region {
		return fail(flex.ErrInvalid, op, self, "InvalidResourceReference: %s %s is in region %s; it must be in %s", what, m.ID, m.Region, region)
	}
	return nil
}

// target resolves the resource an action works on: of type t, seen and
// owned by the viewer. The caller holds c.mu.
func (c *Cloud) target(v viewer, op string, id flex.ResourceID, t flex.ResourceType) (*record, error) {
	k, ti, err := keyOf(id)
	if err != nil {
		return nil, invalid(op, id, err)
	}
	if ti.t != t {
		return nil, fail(flex.ErrInvalid, op, id, "InvalidResourceType: %s is a %s; %s works on a %s", id.Name, ti.t, op, t)
	}
	rec := c.visible(v, k)
	if rec == nil {
		return nil, notFound(op, id, ti)
	}
	if !v.owns(rec.res) {
		return nil, notYours(op, rec.meta().ID, v)
	}
	return rec, nil
}

// newPublicIP hands out the next Standard public address. Addresses come
// from the documentation ranges 192.0.2.0/24, 198.51.100.0/24 and
// 203.0.113.0/24 in order and are never reused.
func (c *Cloud) newPublicIP(op string, id flex.ResourceID) (netip.Addr, error) {
	blocks := [...][4]byte{{192, 0, 2, 0}, {198, 51, 100, 0}, {203, 0, 113, 0}}
	const perBlock = 254
	if c.publicN >= len(blocks)*perBlock {
		return netip.Addr{}, fail(flex.ErrLimit, op, id, "PublicIPCountLimitReached: the cloud has handed out all %d public addresses", len(blocks)*perBlock)
	}
	b := blocks[c.publicN/perBlock]
	b[3] = byte(c.publicN%perBlock + 1)
	c.publicN++
	return netip.AddrFrom4(b), nil
}

func findSubnet(subnets []flex.Subnet, name string) (flex.Subnet, bool) {
	for _, s := range subnets {
		if strings.EqualFold(s.Name, name) {
			return s, true
		}
	}
	return flex.Subnet{}, false
}

// gatewayOf returns the VPN gateway in the virtual network, or nil.
func (c *Cloud) gatewayOf(vnet flex.ResourceID) *record {
	var found *record
	c.each(strings.ToLower(vnet.Subscription), flex.TypeVPNGateway, func(r *record) {
		if sameID(r.res.(*flex.VPNGateway).VirtualNetwork, vnet) {
			found = r
		}
	})
	return found
}

// hubConnectionOf returns the hub connection of the virtual network, or nil.
func (c *Cloud) hubConnectionOf(vnet flex.ResourceID) *record {
	var found *record
	c.each("", flex.TypeHubConnection, func(r *record) {
		if sameID(r.res.(*flex.HubConnection).Remote, vnet) {
			found = r
		}
	})
	return found
}

// reversePeering returns the peering of remote back to local, or nil.
func (c *Cloud) reversePeering(local, remote flex.ResourceID) *record {
	rk, _, err := keyOf(remote)
	if err != nil {
		return nil
	}
	for _, p := range c.children(rk, flex.TypePeering) {
		if sameID(p.res.(*flex.Peering).Remote, local) {
			return p
		}
	}
	return nil
}

func peeringParent(id flex.ResourceID) flex.ResourceID {
	p, _, _ := strings.Cut(id.Name, "/")
	return flex.ResourceID{Subscription: id.Subscription, ResourceGroup: id.ResourceGroup, Type: flex.TypeVirtualNetwork, Name: p}
}

func (c *Cloud) putVNet(v viewer, op string, k key, g *group, old *record, r *flex.VirtualNetwork) (*record, error) {
	id := r.ID
	var l rule.List
	if len(r.AddressSpace) == 0 {
		l.Append(fmt.Errorf("InvalidAddressSpace: a virtual network needs at least one address range"))
	}
	for i, p := range r.AddressSpace {
		if !checkPrefix(&l, "address space", p) {
			continue
		}
		if q, ok := ipam.AzureReserved(p); ok {
			l.Add("AZ-1", "address space %s includes %s, which Azure reserves; use a range outside 224.0.0.0/4, 255.255.255.255/32, 127.0.0.0/8, 169.254.0.0/16 and 168.63.129.16/32 (InvalidAddressPrefix)", p, q)
		}
		for _, q := range r.AddressSpace[:i] {
			if q.IsValid() && q.Overlaps(p) {
				l.Add("AZ-1", "address space %s overlaps %s of the same virtual network (VnetAddressSpacesOverlap)", p, q)
			}
		}
	}
	for _, a := range r.DNSServers {
		if !a.IsValid() {
			l.Append(fmt.Errorf("InvalidDnsServer: a DNS server address is not valid"))
		}
	}
	seen := make(map[string]bool, len(r.Subnets))
	for i, s := range r.Subnets {
		checkARMName(&l, s.Name, 80)
		if lower := strings.ToLower(s.Name); seen[lower] {
			l.Append(fmt.Errorf("DuplicateResourceName: subnet name %q is used twice", s.Name))
		} else {
			seen[lower] = true
		}
		if !checkPrefix(&l, fmt.Sprintf("subnet %q", s.Name), s.Prefix) {
			continue
		}
		if s.Prefix.Addr().Is4() {
			if b := s.Prefix.Bits(); b < 2 || b > 29 {
				l.Add("AZ-1", "subnet %q %s is a /%d; subnets are /29 to /2 (NetcfgInvalidSubnet)", s.Name, s.Prefix, b)
			}
		} else if s.Prefix.Bits() != 64 {
			l.Append(fmt.Errorf("NetcfgInvalidSubnet: IPv6 subnet %q %s must be a /64", s.Name, s.Prefix))
		}
		inside := false
		for _, sp := range r.AddressSpace {
			inside = inside || (sp.IsValid() && contains(sp, s.Prefix))
		}
		if !inside {
			l.Add("AZ-1", "subnet %q %s is outside the address space %v; subnets lie inside it (NetcfgSubnetRangeOutsideVnet)", s.Name, s.Prefix, r.AddressSpace)
		}
		for _, t := range r.Subnets[:i] {
			if t.Prefix.IsValid() && t.Prefix.Overlaps(s.Prefix) {
				l.Add("AZ-1", "subnet %q %s overlaps subnet %q %s; subnets of one VNet never overlap (NetcfgSubnetRangesOverlap)", s.Name, s.Prefix, t.Name, t.Prefix)
			}
		}
		if s.Name == GatewaySubnet && !s.NATGateway.IsZero() {
			l.Add("AZ-1", "subnet GatewaySubnet has NAT gateway %s; a NAT gateway cannot be attached to the gateway subnet (NatGatewayNotSupportedOnGatewaySubnet)", s.NATGateway.Name)
		}
	}
	if err := l.Err(); err != nil {
		return nil, invalid(op, id, err)
	}
	for _, s := range r.Subnets {
		for _, ref := range [...]struct {
			what string
			id   flex.ResourceID
			t    flex.ResourceType
		}{
			{"network security group", s.SecurityGroup, flex.TypeSecurityGroup},
			{"route table", s.RouteTable, flex.TypeRouteTable},
			{"NAT gateway", s.NATGateway, flex.TypeNATGateway},
		} {
			if ref.id.IsZero() {
				continue
			}
			what := fmt.Sprintf("subnet %q's %s", s.Name, ref.what)
			rec, err := c.ref(v, op, id, what, ref.id, ref.t)
			if err != nil {
				return nil, err
			}
			if err := sameSubRegion(op, id, r.Region, what, rec); err != nil {
				return nil, err
			}
		}
	}
	if old != nil {
		o := old.res.(*flex.VirtualNetwork)
		for _, os := range o.Subnets {
			holder := ""
			if p := old.pools[strings.ToLower(os.Name)]; p != nil && len(p.used) > 0 {
				holder = fmt.Sprintf("%d virtual machines", len(p.used))
			} else if os.Name == GatewaySubnet {
				if gw := c.gatewayOf(o.ID); gw != nil {
					holder = gw.meta().ID.String()
				}
			}
			if holder == "" {
				continue
			}
			ns, ok := findSubnet(r.Subnets, os.Name)
			if !ok {
				return nil, fail(flex.ErrConflict, op, id, "InUseSubnetCannotBeDeleted: subnet %q is in use by %s and cannot be deleted", os.Name, holder)
			}
			if ns.Prefix != os.Prefix {
				return nil, fail(flex.ErrConflict, op, id, "InUseSubnetCannotBeUpdated: subnet %q is in use by %s; its range %s cannot change to %s", os.Name, holder, os.Prefix, ns.Prefix)
			}
		}
		if err := c.checkConnected(op, o.ID, r.AddressSpace); err != nil {
			return nil, err
		}
	}
	rec := g.store(k, old, r)
	for name, p := range rec.pools {
		if len(p.used) == 0 {
			delete(rec.pools, name)
		}
	}
	return rec, nil
}

// checkConnected refuses a new address space of an existing VNet that
// would overlap a peered VNet (AZ-1) or the hub it is connected to (AZ-6).
func (c *Cloud) checkConnected(op string, vnet flex.ResourceID, space []netip.Prefix) error {
	overlap := func(other *record) error {
		ov := other.res.(*flex.VirtualNetwork)
		if a, b, ok := overlapAny(space, ov.AddressSpace); ok {
			return broke(flex.ErrConflict, op, vnet, "AZ-1", "address space %s overlaps %s of peered virtual network %s; peered VNets never overlap (VnetAddressSpaceOverlapsWithAlreadyPeeredVnet)", a, b, ov.ID)
		}
		return nil
	}
	for _, p := range c.children(mustKey(vnet), flex.TypePeering) {
		if remote := c.lookupID(p.res.(*flex.Peering).Remote); remote != nil {
			if err := overlap(remote); err != nil {
				return err
			}
		}
	}
	var err error
	c.each("", flex.TypePeering, func(p *record) {
		if err == nil && sameID(p.res.(*flex.Peering).Remote, vnet) {
			if local := c.lookupID(peeringParent(p.meta().ID)); local != nil {
				err = overlap(local)
			}
		}
	})
	if err != nil {
		return err
	}
	if hc := c.hubConnectionOf(vnet); hc != nil {
		hub := c.lookupID(peeringParentHub(hc.meta().ID)).res.(*flex.VirtualHub)
		if a, b, ok := overlapAny(space, []netip.Prefix{hub.AddressSpace}); ok {
			return broke(flex.ErrConflict, op, vnet, "AZ-6", "address space %s overlaps %s of virtual hub %s it is connected to (AddressSpaceOverlapsWithVirtualHub)", a, b, hub.ID)
		}
	}
	return nil
}

func peeringParentHub(id flex.ResourceID) flex.ResourceID {
	p, _, _ := strings.Cut(id.Name, "/")
	return flex.ResourceID{Subscription: id.Subscription, ResourceGroup: id.ResourceGroup, Type: flex.TypeVirtualHub, Name: p}
}

func (c *Cloud) putSecurityGroup(op string, k key, g *group, old *record, r *flex.SecurityGroup) (*record, error) {
	if err := network.ValidateRules(r.Rules); err != nil { // AZ-2
		return nil, invalid(op, r.ID, err)
	}
	return g.store(k, old, r), nil
}

// nextHopTypes are armnetwork's RouteNextHopType values (AZ-3).
var nextHopTypes = [...]string{"VirtualNetworkGateway", "VnetLocal", "Internet", "VirtualAppliance", "None"}

func (c *Cloud) putRouteTable(op string, k key, g *group, old *record, r *flex.RouteTable) (*record, error) {
	var l rule.List
	if n := len(r.Routes); n > MaxRoutes {
		l.Add("AZ-3", "route table has %d routes; at most %d (RouteTableRouteLimitExceeded)", n, MaxRoutes)
	}
	seen := make(map[string]bool, len(r.Routes))
	for i := range r.Routes {
		rt := &r.Routes[i]
		checkARMName(&l, rt.Name, 80)
		if lower := strings.ToLower(rt.Name); seen[lower] {
			l.Append(fmt.Errorf("DuplicateResourceName: route name %q is used twice", rt.Name))
		} else {
			seen[lower] = true
		}
		checkPrefix(&l, fmt.Sprintf("route %q", rt.Name), rt.Prefix)
		hop := ""
		for _, t := range nextHopTypes {
			if strings.EqualFold(t, rt.NextHop) {
				hop = t
			}
		}
		if hop == "" {
			l.Add("AZ-3", "route %q has next hop type %q; use one of %v (InvalidNextHopType)", rt.Name, rt.NextHop, nextHopTypes)
			continue
		}
		rt.NextHop = hop
		if hop == "VirtualAppliance" && !rt.NextHopIP.IsValid() {
			l.Add("AZ-3", "route %q to a VirtualAppliance needs a next-hop IP address (NextHopIpAddressRequired)", rt.Name)
		}
		if hop != "VirtualAppliance" && rt.NextHopIP.IsValid() {
			l.Add("AZ-3", "route %q of next hop type %s has next-hop IP %s; only VirtualAppliance takes one (NextHopIpAddressNotAllowed)", rt.Name, hop, rt.NextHopIP)
		}
	}
	if err := l.Err(); err != nil {
		return nil, invalid(op, r.ID, err)
	}
	return g.store(k, old, r), nil
}

func (c *Cloud) putNATGateway(op string, k key, g *group, old *record, r *flex.NATGateway) (*record, error) {
	if r.IdleTimeoutMinutes == 0 {
		r.IdleTimeoutMinutes = DefaultIdleTimeout
	}
	if t := r.IdleTimeoutMinutes; t < DefaultIdleTimeout || t > MaxIdleTimeout {
		return nil, broke(flex.ErrInvalid, op, r.ID, "AZ-4", "TCP idle timeout is %d minutes; 4 to 120 are accepted (InvalidIdleTimeout)", t)
	}
	if old != nil {
		r.PublicIP = old.res.(*flex.NATGateway).PublicIP
	} else {
		ip, err := c.newPublicIP(op, r.ID)
		if err != nil {
			return nil, err
		}
		r.PublicIP = ip
	}
	return g.store(k, old, r), nil
}

func (c *Cloud) putPeering(v viewer, op string, k key, g *group, old, parent *record, r *flex.Peering) (*record, error) {
	id := r.ID
	local := parent.res.(*flex.VirtualNetwork)
	remote, err := c.ref(v, op, id, "remote virtual network", r.Remote, flex.TypeVirtualNetwork)
	if err != nil {
		return nil, err
	}
	if remote == parent {
		return nil, fail(flex.ErrInvalid, op, id, "CannotPeerVirtualNetworkWithItself: the remote virtual network is the peering's own")
	}
	if old != nil && !sameID(old.res.(*flex.Peering).Remote, r.Remote) {
		return nil, fail(flex.ErrConflict, op, id, "PropertyChangeNotAllowed: the remote virtual network of a peering cannot change")
	}
	rv := remote.res.(*flex.VirtualNetwork)
	if a, b, ok := overlapAny(local.AddressSpace, rv.AddressSpace); ok {
		return nil, broke(flex.ErrConflict, op, id, "AZ-1", "address space %s of %s overlaps %s of remote %s; peered VNets never overlap (VnetAddressSpacesOverlap)", a, local.ID.Name, b, rv.ID)
	}
	for _, p := range c.children(mustKey(local.ID), flex.TypePeering) {
		if p == old {
			continue
		}
		other := p.res.(*flex.Peering)
		if sameID(other.Remote, r.Remote) {
			return nil, fail(flex.ErrConflict, op, id, "VnetPeeringAlreadyExists: peering %s already peers %s with %s", other.ID.Name, local.ID.Name, rv.ID)
		}
		if ov := c.lookupID(other.Remote); ov != nil {
			if a, b, ok := overlapAny(rv.AddressSpace, ov.res.(*flex.VirtualNetwork).AddressSpace); ok {
				return nil, broke(flex.ErrConflict, op, id, "AZ-1", "address space %s of remote %s overlaps %s of %s, already peered with %s (VnetAddressSpaceOverlapsWithAlreadyPeeredVnet)", a, rv.ID, b, other.Remote, local.ID.Name)
			}
		}
	}
	if r.UseRemoteGateways {
		if c.gatewayOf(rv.ID) == nil {
			return nil, fail(flex.ErrInvalid, op, id, "RemoteVnetHasNoGateways: UseRemoteGateways is set but remote %s has no gateway", rv.ID)
		}
		if gw := c.gatewayOf(local.ID); gw != nil {
			return nil, fail(flex.ErrInvalid, op, id, "UseRemoteGatewaysNotAllowedWithGateway: %s has gateway %s of its own", local.ID.Name, gw.meta().ID.Name)
		}
	}
	rev := c.reversePeering(local.ID, rv.ID)
	r.Connected = rev != nil
	rec := g.store(k, old, r)
	if rev != nil {
		rev.res.(*flex.Peering).Connected = true
	}
	return rec, nil
}

// vpnSKUs are the VPN gateway SKUs (AZ-5).
var vpnSKUs = [...]string{"Basic", "VpnGw1", "VpnGw2", "VpnGw3", "VpnGw4", "VpnGw5",
	"VpnGw1AZ", "VpnGw2AZ", "VpnGw3AZ", "VpnGw4AZ", "VpnGw5AZ"}

// reservedASN reports whether Azure refuses asn for a customer's BGP
// speaker (AZ-5).
func reservedASN(asn uint32) bool {
	switch {
	case asn == 8074, asn == 8075, asn == 12076, asn == 65515, asn >= 65517 && asn <= 65520,
		asn == 23456, asn >= 64496 && asn <= 64511, asn >= 65535 && asn <= 65551, asn == 4294967295:
		return true
	}
	return false
}

const reservedASNs = "8074, 8075, 12076, 65515, 65517–65520, 23456, 64496–64511, 65535–65551 and 4294967295"

func (c *Cloud) putVPNGateway(v viewer, op string, k key, g *group, old *record, r *flex.VPNGateway) (*record, error) {
	id := r.ID
	var l rule.List
	sku := ""
	for _, s := range vpnSKUs {
		if strings.EqualFold(s, r.SKU) {
			sku = s
		}
	}
	switch {
	case sku == "":
		l.Add("AZ-5", "SKU %q is not a VPN gateway SKU; use Basic, VpnGw1–5 or VpnGw1AZ–5AZ (InvalidGatewaySku)", r.SKU)
	case strings.HasSuffix(sku, "AZ") && !zonal(r.Region):
		l.Add("AZ-9", "SKU %s is zone-redundant but region %s has no availability zones; use %s (InvalidGatewaySku)", sku, r.Region, strings.TrimSuffix(sku, "AZ"))
	}
	r.SKU = sku
	if r.EnableBGP && sku == "Basic" {
		l.Add("AZ-5", "BGP is enabled on a Basic gateway; BGP needs VpnGw1 or larger (BgpNotSupportedOnBasicSku)")
	}
	if r.EnableBGP {
		if r.ASN == 0 {
			r.ASN = DefaultGatewayASN
		} else if r.ASN != DefaultGatewayASN && reservedASN(r.ASN) {
			l.Add("AZ-5", "gateway ASN %d is reserved; use another than %s (InvalidAsn)", r.ASN, reservedASNs)
		}
	}
	if err := l.Err(); err != nil {
		return nil, invalid(op, id, err)
	}
	vnet, err := c.ref(v, op, id, "virtual network", r.VirtualNetwork, flex.TypeVirtualNetwork)
	if err != nil {
		return nil, err
	}
	if err := sameSubRegion(op, id, r.Region, "virtual network", vnet); err != nil {
		return nil, err
	}
	vn := vnet.res.(*flex.VirtualNetwork)
	hasSubnet := false
	for _, s := range vn.Subnets {
		hasSubnet = hasSubnet || s.Name == GatewaySubnet
	}
	if !hasSubnet {
		return nil, broke(flex.ErrInvalid, op, id, "AZ-5", "virtual network %s has no subnet named GatewaySubnet; add one, /27 or larger (GatewaySubnetNotFound)", vn.ID.Name)
	}
	if old != nil {
		o := old.res.(*flex.VPNGateway)
		if !sameID(o.VirtualNetwork, r.VirtualNetwork) {
			return nil, fail(flex.ErrConflict, op, id, "PropertyChangeNotAllowed: the virtual network of a gateway cannot change")
		}
		if (o.SKU == "Basic") != (sku == "Basic") {
			return nil, fail(flex.ErrConflict, op, id, "PropertyChangeNotAllowed: a gateway cannot be resized between Basic and %s; delete and recreate it", sku)
		}
		r.PublicIP = o.PublicIP
	}
	if gw := c.gatewayOf(vn.ID); gw != nil && gw != old {
		return nil, fail(flex.ErrConflict, op, id, "InUseSubnetCannotBeUsedByGateway: virtual network %s already has gateway %s", vn.ID.Name, gw.meta().ID)
	}
	if hc := c.hubConnectionOf(vn.ID); hc != nil {
		return nil, broke(flex.ErrConflict, op, id, "AZ-6", "virtual network %s is connected to a virtual hub by %s; a hub-connected VNet has no gateway of its own (VnetWithHubConnectionCannotHaveGateway)", vn.ID.Name, hc.meta().ID)
	}
	if old == nil {
		ip, err := c.newPublicIP(op, id)
		if err != nil {
			return nil, err
		}
		r.PublicIP = ip
	}
	return g.store(k, old, r), nil
}

func (c *Cloud) putLocalGateway(op string, k key, g *group, old *record, r *flex.LocalGateway) (*record, error) {
	var l rule.List
	if !r.GatewayIP.IsValid() || !r.GatewayIP.Is4() {
		l.Append(fmt.Errorf("InvalidGatewayIpAddress: the local gateway needs the IPv4 address of the VPN device, not %s", r.GatewayIP))
	}
	for _, p := range r.AddressPrefixes {
		checkPrefix(&l, "local network", p)
	}
	if r.ASN != 0 {
		if reservedASN(r.ASN) {
			l.Add("AZ-5", "local ASN %d is reserved; use another than %s (InvalidAsn)", r.ASN, reservedASNs)
		}
		if !r.BGPPeer.IsValid() {
			l.Append(fmt.Errorf("BgpPeeringAddressRequired: a local gateway with an ASN needs the BGP peer address"))
		}
	}
	if err := l.Err(); err != nil {
		return nil, invalid(op, r.ID, err)
	}
	return g.store(k, old, r), nil
}

// checkSharedKey: pre-shared keys are 1–128 printable ASCII characters
// other than space, '-' and '~' (AZ-5). Messages never quote the key.
func checkSharedKey(l *rule.List, key secret.Value) {
	s := key.Reveal()
	if n := len(s); n == 0 || n > 128 {
		l.Add("AZ-5", "pre-shared key is %d characters; 1 to 128 are accepted (InvalidSharedKey)", n)
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; b <= ' ' || b > '~' || b == '-' || b == '~' {
			l.Add("AZ-5", "pre-shared key has a refused character at position %d; use printable ASCII other than space, '-' and '~' (InvalidSharedKey)", i+1)
			return
		}
	}
}

func (c *Cloud) putVPNConnection(v viewer, op string, k key, g *group, old *record, r *flex.VPNConnection) (*record, error) {
	id := r.ID
	var l rule.List
	checkSharedKey(&l, r.SharedKey)
	if err := l.Err(); err != nil {
		return nil, invalid(op, id, err)
	}
	gwRec, err := c.ref(v, op, id, "virtual network gateway", r.Gateway, flex.TypeVPNGateway)
	if err != nil {
		return nil, err
	}
	if err := sameSubRegion(op, id, r.Region, "virtual network gateway", gwRec); err != nil {
		return nil, err
	}
	lgRec, err := c.ref(v, op, id, "local network gateway", r.Local, flex.TypeLocalGateway)
	if err != nil {
		return nil, err
	}
	if old != nil {
		o := old.res.(*flex.VPNConnection)
		if !sameID(o.Gateway, r.Gateway) || !sameID(o.Local, r.Local) {
			return nil, fail(flex.ErrConflict, op, id, "PropertyChangeNotAllowed: the gateways of a connection cannot change")
		}
	}
	if r.EnableBGP {
		gw, lg := gwRec.res.(*flex.VPNGateway), lgRec.res.(*flex.LocalGateway)
		switch {
		case !gw.EnableBGP:
			return nil, broke(flex.ErrInvalid, op, id, "AZ-5", "BGP is enabled on the connection but not on gateway %s (BgpNotEnabledOnGateway)", gw.ID.Name)
		case lg.ASN == 0:
			return nil, broke(flex.ErrInvalid, op, id, "AZ-5", "BGP is enabled on the connection but local gateway %s has no ASN (InvalidAsn)", lg.ID.Name)
		case lg.ASN == gw.ASN:
			return nil, broke(flex.ErrInvalid, op, id, "AZ-5", "the gateway and local gateway %s both use ASN %d; the two ends differ (InvalidAsn)", lg.ID.Name, lg.ASN)
		}
	}
	return g.store(k, old, r), nil
}

func (c *Cloud) putHub(op string, k key, g *group, old *record, r *flex.VirtualHub) (*record, error) {
	var l rule.List
	switch {
	case strings.EqualFold(r.SKU, "Basic"):
		r.SKU = "Basic"
	case strings.EqualFold(r.SKU, "Standard"):
		r.SKU = "Standard"
	default:
		l.Add("AZ-6", "hub SKU %q is not Basic or Standard (InvalidVirtualHubSku)", r.SKU)
	}
	if p := r.AddressSpace; checkPrefix(&l, "hub address space", p) {
		if !p.Addr().Is4() || p.Bits() > 24 {
			l.Add("AZ-6", "hub address space %s is smaller than a /24; use an IPv4 /24 or larger (VirtualHubAddressPrefixTooSmall)", p)
		}
		if q, ok := ipam.AzureReserved(p); ok {
			l.Add("AZ-1", "hub address space %s includes %s, which Azure reserves (InvalidAddressPrefix)", p, q)
		}
	}
	if err := l.Err(); err != nil {
		return nil, invalid(op, r.ID, err)
	}
	if old != nil && old.res.(*flex.VirtualHub).AddressSpace != r.AddressSpace {
		return nil, fail(flex.ErrConflict, op, r.ID, "PropertyChangeNotAllowed: the address space of a hub cannot change")
	}
	return g.store(k, old, r), nil
}

func (c *Cloud) putHubConnection(v viewer, op string, k key, g *group, old, parent *record, r *flex.HubConnection) (*record, error) {
	id := r.ID
	hub := parent.res.(*flex.VirtualHub)
	remote, err := c.ref(v, op, id, "remote virtual network", r.Remote, flex.TypeVirtualNetwork)
	if err != nil {
		return nil, err
	}
	vn := remote.res.(*flex.VirtualNetwork)
	if old != nil && !sameID(old.res.(*flex.HubConnection).Remote, r.Remote) {
		return nil, fail(flex.ErrConflict, op, id, "PropertyChangeNotAllowed: the virtual network of a hub connection cannot change")
	}
	if gw := c.gatewayOf(vn.ID); gw != nil {
		return nil, broke(flex.ErrConflict, op, id, "AZ-6", "virtual network %s has gateway %s; a VNet connected to a hub has no gateway of its own (VnetWithGatewayCannotConnectToHub)", vn.ID.Name, gw.meta().ID.Name)
	}
	if hc := c.hubConnectionOf(vn.ID); hc != nil && hc != old {
		return nil, broke(flex.ErrConflict, op, id, "AZ-6", "virtual network %s is already connected to a hub by %s; a VNet connects to one hub only (VnetAlreadyConnectedToHub)", vn.ID.Name, hc.meta().ID)
	}
	if a, b, ok := overlapAny(vn.AddressSpace, []netip.Prefix{hub.AddressSpace}); ok {
		return nil, broke(flex.ErrConflict, op, id, "AZ-6", "address space %s of %s overlaps hub address space %s (AddressSpaceOverlapsWithVirtualHub)", a, vn.ID.Name, b)
	}
	for _, hc := range c.children(mustKey(hub.ID), flex.TypeHubConnection) {
		if hc == old {
			continue
		}
		if other := c.lookupID(hc.res.(*flex.HubConnection).Remote); other != nil {
			if a, b, ok := overlapAny(vn.AddressSpace, other.res.(*flex.VirtualNetwork).AddressSpace); ok {
				return nil, broke(flex.ErrConflict, op, id, "AZ-1", "address space %s of %s overlaps %s of %s, already connected to the hub (VnetAddressSpacesOverlap)", a, vn.ID.Name, b, other.meta().ID)
			}
		}
	}
	return g.store(k, old, r), nil
}

// ResetVPNGateway resets a VPN gateway. The fake keeps no tunnels, so a
// reset changes nothing but is refused, as in Azure, for a gateway that is
// missing (ErrNotFound) or busy with another operation (ErrConflict).
func (c *Cloud) ResetVPNGateway(ctx context.Context, gateway flex.ResourceID) error {
	return c.resetVPNGateway(ctx, owner, gateway)
}

func (c *Cloud) resetVPNGateway(ctx context.Context, v viewer, id flex.ResourceID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	rec, err := c.target(v, "ResetVPNGateway", id, flex.TypeVPNGateway)
	if err != nil {
		return err
	}
	return busy("ResetVPNGateway", rec)
}

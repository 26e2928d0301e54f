package flex

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

// Connection is a network connection as the Tenant reports it: a copy that
// never holds a secret (SEC-1). The pre-shared key of a VPN and the client
// secret of a Virtual WAN spoke are removed from Spec; they are written to
// the cloud and can be replaced, never read back.
type Connection struct {
	Name         string
	Subscription string
	Kind         network.Kind
	Region       network.Region // fixed at creation (REG-2)
	// Status is the connection's state (API-2) with the transaction ID of
	// the request that set it and, for failures, what failed (NET-12).
	Status network.Status
	// Stuck reports whether the connection has been Provisioning for more
	// than network.StuckAfter (NET-12); support needs the transaction ID.
	Stuck bool
	// Spec is the connection as configured, without secrets.
	Spec network.Spec
	// Ranges is the Flex VNet's address space: the Flex range, a VPN's VDA
	// and gateway subnets, a vWAN spoke's IPv4 ranges.
	Ranges []netip.Prefix
	// UsableAddresses is how many machine addresses the ranges machines
	// use give once Azure has reserved 5 in each (NET-14).
	UsableAddresses int
	// Usage counts the catalogs, machines, images and bastions that use
	// the connection (NET-15).
	Usage network.Usage
	// NATPublicIP is the public address Azure assigned to the NAT
	// gateway (NET-11); invalid when there is none.
	NATPublicIP netip.Addr
	// GatewayIP is the public address of a VPN connection's gateway, to
	// configure on the customer's VPN device (NET-9).
	GatewayIP netip.Addr
	// Managed reports whether the connection is a Citrix-managed network
	// created for one catalog or image build (No connectivity); its Name
	// is then its owner, such as "catalog/Sales".
	Managed bool
	// Warnings is the advice of the operation that returned the view:
	// running machines keeping old DNS servers until they restart (NET-3),
	// a route propagation change (NET-7), a new pre-shared key (NET-10), a
	// Virtual WAN spoke without an internet route (NET-12), a step that
	// failed and can be retried (NET-12).
	Warnings []network.Warning
}

// String returns a one-line summary: `connection "hub" (VnetPeering,
// westeurope, 10.1.0.0/24): Ready to use`.
func (c Connection) String() string {
	return fmt.Sprintf("connection %q (%s, %s, %v): %s", c.Name, c.Kind, c.Region, c.Ranges, c.Status.State.DisplayName())
}

// connSubnet is one user's subnet of a connection's VNet: every catalog,
// image builder and bastion gets its own, with its own NSG (see the
// network layout of the Tenant). VNet and Name place a VM in it; NSG is
// the subnet's security group. (The name Subnet is taken by the
// provider's subnet of a VirtualNetwork.)
type connSubnet struct {
	VNet   ResourceID
	Name   string
	Prefix netip.Prefix
	NSG    ResourceID
}

// subnetUse is a connSubnet with who owns it and what decides its rules.
type subnetUse struct {
	connSubnet
	owner        string // "catalog/Sales", "image/win11", "bastion/hub"
	domainJoined bool
}

// connState is the Tenant's state of connections and keys; t.mu guards
// the maps.
type connState struct {
	conns map[string]*connection // by connKey: fold(name); managed ones by subscription and owner
	// flexSpace is each subscription's Flex address space: every range of
	// every connection (NET-4), by fold(subscription name).
	flexSpace map[string]*ipam.Space
	cmKeys    map[string]*cmKey // by keyMapKey(subscription, name)
}

// Names of a connection's resources in its resource group.
const (
	vnetName  = "flex-vnet"
	rtName    = "flex-routes"
	natName   = "flex-nat"
	gwName    = "flex-vpn-gateway"
	lgwName   = "flex-vpn-local"
	vpnName   = "flex-vpn-connection"
	peerLocal = "to-customer"
	gwSubnet  = "GatewaySubnet"
)

// managedPools are where Citrix-chosen ranges come from, in order, and
// managedBits the size of the block a managed network starts with (4,091
// machine addresses; the VNet grows by further blocks when a subnet does
// not fit).
var managedPools = []netip.Prefix{
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

const managedBits = 20

// connection is the Tenant's record of one network connection. The fields
// under "guarded by t.mu" change only with t.mu held; VNet, NSG and route
// table writes are serialized by net, which is taken before t.mu when both
// are needed and never waited for with t.mu held.
type connection struct {
	// Set at creation, then read-only.
	name    string // API-7 name, or the owner of a managed network
	sub     string // subscription name
	azureID string // the subscription's Azure ID
	kind    network.Kind
	region  network.Region
	managed bool
	owner   string     // the TagOwner of its resources
	group   ResourceID // the resource group its resources live in

	// Guarded by t.mu.
	spec      network.Spec
	status    network.Status
	busy      bool // a change is under way: other changes get ErrBusy
	gone      bool // deleted, or its creation failed
	ready     bool // the cloud network exists (a managed one is made lazily)
	ranges    []netip.Prefix
	vdaRanges []netip.Prefix // the ranges subnets are carved from
	connected []netip.Prefix // the customer's networks (FW-2 shadowing, NET-4)
	routeOK   bool           // the route table exists as spec says
	natOK     bool           // the NAT gateway exists as spec says
	autoNAT   bool           // a vWAN spoke's NAT gateway, made with its first subnet
	natIP     netip.Addr
	gatewayIP netip.Addr
	warnings  []network.Warning
	alloc     ipam.Space   // subnets of the VNet, modified with net held too
	subnets   []*subnetUse // modified with net held too

	net  sync.Mutex
	vnet *VirtualNetwork // the VNet as last put; guarded by net
}

func (c *connection) object() string {
	if c.managed {
		return fmt.Sprintf("managed network of %s", c.name)
	}
	return fmt.Sprintf("connection %q", c.name)
}

func (c *connection) id(t ResourceType, name string) ResourceID {
	return ResourceID{Subscription: c.azureID, ResourceGroup: c.group.Name, Type: t, Name: name}
}

func (c *connection) vnetID() ResourceID { return c.id(TypeVirtualNetwork, vnetName) }
func (c *connection) rtID() ResourceID   { return c.id(TypeRouteTable, rtName) }
func (c *connection) natID() ResourceID  { return c.id(TypeNATGateway, natName) }

// natWanted reports whether the connection is to have a NAT gateway: the
// spec asks for one (NET-11), or it is a Virtual WAN spoke with a catalog,
// which gets one automatically (NET-12). t.mu held.
func (c *connection) natWanted() bool { return specNAT(c.spec).Enabled || c.autoNAT }

// facts returns what catalog.Spec.Validate needs to know of the
// connection (NET-2, REG-2, NET-12). t.mu must be held.
func (c *connection) facts() catalog.Connection {
	return catalog.Connection{
		Name:             c.name,
		Kind:             c.kind,
		Region:           c.region,
		HasInternetRoute: hasInternetRoute(specRoutes(c.spec)),
		Usable:           !c.gone && c.status.State.AllowsCatalogs(),
	}
}

func hasInternetRoute(routes []network.Route) bool {
	for _, r := range routes {
		if r.Enabled && r.NextHop == network.NextHopInternet && r.Destination.Bits() == 0 {
			return true
		}
	}
	return false
}

// connectionFor returns the connection a catalog or image build named,
// for op. It is ErrNotFound when the tenant has none of that name,
// ErrPrecondition when it belongs to another subscription (SUB-2) or is not
// usable (NET-2: only Complete, RouteTableFailed and NatGatewayFailed allow
// new users). t.mu must be held.
func (t *Tenant) connectionFor(op, subscription, name string) (*connection, error) {
	obj := fmt.Sprintf("connection %q", name)
	c, ok := t.conns[fold(name)]
	if !ok || c.managed {
		return nil, &Error{Kind: ErrNotFound, Op: op, Object: obj, Err: rule.Errorf("NET-2",
			"the tenant has no connection named %q; create it before a catalog or image build uses it", name)}
	}
	if fold(c.sub) != fold(subscription) {
		return nil, &Error{Kind: ErrPrecondition, Op: op, Object: obj, Err: rule.Errorf("SUB-2",
			"connection %q belongs to subscription %q, not %q; nothing is shared between subscriptions", c.name, c.sub, subscription)}
	}
	if !c.status.State.AllowsCatalogs() {
		return nil, &Error{Kind: ErrPrecondition, Op: op, Object: obj, Err: rule.Errorf("NET-2",
			"connection %q is %s; it can be used once it is ready to use", c.name, c.status.State.DisplayName())}
	}
	return c, nil
}

// managedConnection returns the Citrix-managed network (No connectivity)
// of owner, such as "catalog/Sales", in the subscription and region,
// registering it on first use. Its range is allocated now from the
// subscription's Flex address space so that it never overlaps another
// Flex range (NET-4); its resources are created by ensureNetwork in the
// owner's resource group and go with it. Release it with
// releaseManagedConnection when the owner's creation fails; removing its
// last subnet deletes it. t.mu must be held.
func (t *Tenant) managedConnection(subscription string, region network.Region, owner string) *connection {
	t.initConns()
	if c, ok := t.conns[managedKey(subscription, owner)]; ok && c.managed && !c.gone {
		return c
	}
	azureID := ""
	if s, ok := t.subs[fold(subscription)]; ok {
		azureID, subscription = s.azureID, s.name
	}
	kind, name, ok := strings.Cut(owner, "/")
	if !ok {
		kind, name = "managed", owner
	}
	c := &connection{
		name: owner, sub: subscription, azureID: azureID, kind: network.KindNone, region: region,
		managed: true, owner: owner, group: GroupID(azureID, t.groupName(kind, name)),
		spec: network.NoConnectivitySpec{Name: owner, Region: region},
	}
	c.status, _ = network.NewStatus(network.KindNone, t.newTxn(), t.now())
	if p, err := t.allocManaged(subscription, c.object(), managedBits); err == nil {
		c.ranges = []netip.Prefix{p}
		c.vdaRanges = []netip.Prefix{p}
		c.spec = network.NoConnectivitySpec{Name: owner, Region: region, Range: p}
	}
	t.conns[connKey(c)] = c
	return c
}

// managedKey is the key in connState.conns of the Citrix-managed network
// of owner, such as "image/Gold", in the subscription: owners are named
// apart only within a subscription (an image's name), and nothing is
// shared between subscriptions (SUB-2). A connection's own name, which
// holds no NUL, never collides with it.
func managedKey(subscription, owner string) string {
	return "\x00managed\x00" + fold(subscription) + "\x00" + fold(owner)
}

// connKey is the key of c in connState.conns.
func connKey(c *connection) string {
	if c.managed {
		return managedKey(c.sub, c.owner)
	}
	return fold(c.name)
}

// releaseManagedConnection forgets a managed network whose owner's
// resource group has been deleted (with the network in it) and frees its
// ranges. t.mu must be held.
func (t *Tenant) releaseManagedConnection(c *connection) {
	if c == nil || !c.managed || c.gone {
		return
	}
	t.forget(c)
}

// forget removes c from the tenant and frees its ranges. t.mu held.
func (t *Tenant) forget(c *connection) {
	c.gone = true
	if t.conns[connKey(c)] == c {
		delete(t.conns, connKey(c))
	}
	sp := t.space(c.sub)
	for _, p := range c.ranges {
		sp.Remove(p)
	}
}

// allocManaged allocates a block of the given size for a Citrix-managed
// network from the first pool with room. t.mu held.
func (t *Tenant) allocManaged(subscription, owner string, bits int) (netip.Prefix, error) {
	sp := t.space(subscription)
	var err error
	for _, pool := range managedPools {
		var p netip.Prefix
		if p, err = sp.Allocate(owner, pool, bits); err == nil {
			return p, nil
		}
	}
	return netip.Prefix{}, err
}

// ensureNetwork creates the cloud network of a managed connection if it
// does not exist yet: the owner's resource group, an empty route table and
// the VNet (idempotent). For other connections it does nothing. t.mu must
// not be held.
func (t *Tenant) ensureNetwork(ctx context.Context, c *connection) error {
	if !c.managed {
		return nil
	}
	c.net.Lock()
	defer c.net.Unlock()
	return t.ensureNetworkLocked(ctx, c)
}

// ensureNetworkLocked is ensureNetwork with c.net held.
func (t *Tenant) ensureNetworkLocked(ctx context.Context, c *connection) error {
	const op = "ensureNetwork"
	t.mu.Lock()
	if c.ready {
		t.mu.Unlock()
		return nil
	}
	if c.gone {
		t.mu.Unlock()
		return Errorf(ErrPrecondition, op, c.object(), "the network was released")
	}
	if len(c.ranges) == 0 {
		t.mu.Unlock()
		return Errorf(ErrLimit, op, c.object(), "NET-4: no free /%d is left in %v of subscription %q for a Citrix-managed network", managedBits, managedPools, c.sub)
	}
	ranges := slices.Clone(c.ranges)
	txn := t.newTxn()
	now := t.now()
	if next, err := c.status.Next(network.StateProvisioning, txn, now, ""); err == nil {
		c.status = next
	}
	t.mu.Unlock()

	tags := t.tags(c.owner)
	rg := &ResourceGroup{Meta: Meta{ID: c.group, Region: c.region, Tags: tags}}
	rt := &RouteTable{Meta: Meta{ID: c.rtID(), Region: c.region, Tags: tags}}
	vnet := &VirtualNetwork{Meta: Meta{ID: c.vnetID(), Region: c.region, Tags: tags}, AddressSpace: ranges}
	var err error
	for _, r := range []Resource{rg, rt, vnet} {
		if _, err = t.netPut(ctx, r); err != nil {
			break
		}
	}
	if err != nil {
		// Leave nothing of the network behind; the group is the owner's.
		clean := context.WithoutCancel(ctx)
		_ = t.netDelete(clean, vnet.ID)
		_ = t.netDelete(clean, rt.ID)
		t.mu.Lock()
		if next, e := c.status.Next(network.StateFailed, txn, t.now(), outcome(err)); e == nil {
			c.status = next
		}
		t.mu.Unlock()
		return connErr(op, c.object(), err)
	}
	t.mu.Lock()
	c.vnet = vnet
	c.ready, c.routeOK, c.natOK = true, true, true
	if next, e := c.status.Next(network.StateComplete, txn, t.now(), ""); e == nil {
		c.status = next
	}
	t.mu.Unlock()
	return nil
}

// firewallPolicy returns the connection's part of the firewall policy of a
// subnet whose machines are domain-joined or not: the VNet's ranges, the
// customer's connected networks, and the image builders and bastion on the
// connection with its RDP access range (FW-1…FW-5). Bastions and RDP access
// serve domain-joined machines only (TRB-1), so a non-domain-joined
// subnet's policy leaves them out; image builders' rules reach the builder
// only and are kept. t.mu must be held.
func (t *Tenant) firewallPolicy(c *connection, domainJoined bool) network.FirewallPolicy {
	p := network.FirewallPolicy{
		DomainJoined: domainJoined,
		VNet:         slices.Clone(c.ranges),
		Connected:    slices.Clone(c.connected),
	}
	hosts, rdp := t.connectionHosts(c)
	for _, h := range hosts {
		if h.Kind == network.Bastion && !domainJoined {
			continue
		}
		p.Hosts = append(p.Hosts, h)
	}
	if domainJoined {
		p.RDPAccess = rdp
	}
	return p
}

// subnetBits returns the prefix length of the smallest subnet with room
// for machines (NET-14), at least a /28.
func subnetBits(machines int) int {
	bits := 28
	for bits > 2 && ipam.Usable(netip.PrefixFrom(netip.IPv4Unspecified(), bits)) < machines {
		bits--
	}
	return bits
}

// addSubnet gives owner (such as "catalog/Sales") a subnet of the
// connection's VNet with room for machines and an NSG with the rules of
// policy (network.SecurityRules, FW-1…FW-5). The range comes from the
// connection's VDA ranges; a managed network grows by another block when
// they are full. The subnet gets the connection's route table and NAT
// gateway. t.mu must not be held.
func (t *Tenant) addSubnet(ctx context.Context, c *connection, owner string, machines int, policy network.FirewallPolicy) (connSubnet, error) {
	const op = "addSubnet"
	if err := policy.Validate(); err != nil {
		return connSubnet{}, &Error{Kind: ErrInvalid, Op: op, Object: c.object(), Err: err}
	}
	c.net.Lock()
	defer c.net.Unlock()
	if err := t.ensureNetworkLocked(ctx, c); err != nil {
		return connSubnet{}, err
	}
	bits := subnetBits(machines)

	t.mu.Lock()
	if c.gone || !c.status.State.AllowsCatalogs() {
		st := c.status.State
		t.mu.Unlock()
		return connSubnet{}, &Error{Kind: ErrPrecondition, Op: op, Object: c.object(), Err: rule.Errorf("NET-2",
			"%s is %s; subnets are added only to a connection that is ready to use", c.object(), st.DisplayName())}
	}
	prefix, grown, err := t.allocSubnet(c, owner, bits)
	if err != nil {
		t.mu.Unlock()
		return connSubnet{}, err
	}
	firstNAT := c.kind == network.KindVWanConnection && !c.autoNAT
	if firstNAT {
		c.autoNAT = true
		t.mu.Unlock()
		t.spokeNAT(ctx, c)
		t.mu.Lock()
	}
	su := &subnetUse{owner: owner, domainJoined: policy.DomainJoined}
	su.Prefix = prefix
	su.VNet = c.vnetID()
	su.Name = t.subnetName(c, owner)
	su.NSG = c.id(TypeSecurityGroup, armName("nsg-"+su.Name, 80))
	c.subnets = append(c.subnets, su)
	vnet := c.vnet.Clone().(*VirtualNetwork)
	if grown.IsValid() {
		vnet.AddressSpace = append(vnet.AddressSpace, grown)
	}
	vnet.Subnets = append(vnet.Subnets, t.providerSubnet(c, su))
	t.mu.Unlock()

	nsg := &SecurityGroup{Meta: Meta{ID: su.NSG, Region: c.region, Tags: t.tags(owner)}, Rules: network.SecurityRules(policy)}
	_, err = t.netPut(ctx, nsg)
	if err == nil {
		_, err = t.netPut(ctx, vnet)
	}
	if err != nil {
		clean := context.WithoutCancel(ctx)
		derr := t.netDelete(clean, nsg.ID)
		t.mu.Lock()
		c.alloc.Remove(prefix)
		c.subnets = slices.DeleteFunc(c.subnets, func(x *subnetUse) bool { return x == su })
		if grown.IsValid() {
			t.shrink(c, grown)
		}
		t.mu.Unlock()
		return connSubnet{}, errors.Join(connErr(op, c.object(), err), derr)
	}
	c.vnet = vnet
	return su.connSubnet, nil
}

// spokeNAT makes the NAT gateway a Virtual WAN spoke gets with its first
// catalog (NET-12). When it fails, the spoke is NatGatewayFailed: catalogs
// still use it and RetryConnection retries the gateway alone. c.net held,
// t.mu not.
func (t *Tenant) spokeNAT(ctx context.Context, c *connection) {
	t.mu.Lock()
	nat := t.natGateway(c, network.NATGateway{})
	t.mu.Unlock()
	got, err := t.netPut(ctx, nat)
	t.mu.Lock()
	defer t.mu.Unlock()
	c.natOK = err == nil
	if n, ok := got.(*NATGateway); ok {
		c.natIP = n.PublicIP
	}
	if err != nil && c.status.State == network.StateComplete {
		txn := t.newTxn()
		if next, e := c.status.Next(network.StateProvisioning, txn, t.now(), ""); e == nil {
			if next, e = next.Next(network.StateNatGatewayFailed, txn, t.now(), err.Error()); e == nil {
				c.status = next
			}
		}
	}
}

// allocSubnet allocates a subnet of the given size in the connection's
// VDA ranges; a managed network that is full grows by a new block, which
// it returns. t.mu held.
func (t *Tenant) allocSubnet(c *connection, owner string, bits int) (p, grown netip.Prefix, err error) {
	for _, r := range c.vdaRanges {
		if r.Bits() > bits {
			continue
		}
		if p, err = c.alloc.Allocate(owner, r, bits); err == nil {
			return p, netip.Prefix{}, nil
		}
	}
	if !c.managed {
		free := network.UsableAddresses(c.vdaRanges...)
		id := "NET-14"
		hint := "create another connection"
		if c.kind == network.KindVWanConnection {
			id, hint = "NET-13", "add an IPv4 address range to the spoke"
		}
		return p, grown, &Error{Kind: ErrPrecondition, Op: "addSubnet", Object: c.object(), Err: rule.Errorf(id,
			"no free /%d (%d machine addresses) is left in %v (%d machine addresses in all); %s", bits, ipam.Usable(netip.PrefixFrom(netip.IPv4Unspecified(), bits)), c.vdaRanges, free, hint)}
	}
	grown, err = t.allocManaged(c.sub, c.object(), min(bits, managedBits))
	if err != nil {
		return p, grown, Errorf(ErrLimit, "addSubnet", c.object(), "NET-4: no room left in %v for another Citrix-managed block: %w", managedPools, err)
	}
	c.ranges = append(c.ranges, grown)
	c.vdaRanges = append(c.vdaRanges, grown)
	p, err = c.alloc.Allocate(owner, grown, bits)
	return p, grown, err
}

// shrink takes back a block a managed network grew by. t.mu held.
func (t *Tenant) shrink(c *connection, block netip.Prefix) {
	del := func(p netip.Prefix) bool { return p == block }
	c.ranges = slices.DeleteFunc(c.ranges, del)
	c.vdaRanges = slices.DeleteFunc(c.vdaRanges, del)
	t.space(c.sub).Remove(block)
}

// subnetName returns a free subnet name for owner. t.mu held.
func (t *Tenant) subnetName(c *connection, owner string) string {
	base := armName(strings.ReplaceAll(owner, "/", "-"), 70)
	for n := 1; ; n++ {
		name := fmt.Sprintf("%s-%d", base, n)
		if !slices.ContainsFunc(c.subnets, func(s *subnetUse) bool { return strings.EqualFold(s.Name, name) }) {
			return name
		}
	}
}

// providerSubnet returns the cloud subnet of su with the connection's
// route table and NAT gateway attached where they exist. t.mu held.
func (t *Tenant) providerSubnet(c *connection, su *subnetUse) Subnet {
	s := Subnet{Name: su.Name, Prefix: su.Prefix, SecurityGroup: su.NSG}
	if c.routeOK {
		s.RouteTable = c.rtID()
	}
	if c.natOK && c.natWanted() {
		s.NATGateway = c.natID()
	}
	return s
}

// desiredVNet returns the VNet as c's state says it should be: address
// space, DNS servers, the gateway subnet of a VPN and every user's subnet
// with the route table and NAT gateway attached. t.mu held.
func (t *Tenant) desiredVNet(c *connection) *VirtualNetwork {
	v := &VirtualNetwork{
		Meta:         Meta{ID: c.vnetID(), Region: c.region, Tags: t.tags(c.owner)},
		AddressSpace: slices.Clone(c.ranges),
		DNSServers:   specDNS(c.spec),
	}
	if s, ok := c.spec.(network.VPNSpec); ok {
		v.Subnets = append(v.Subnets, Subnet{Name: gwSubnet, Prefix: s.GatewaySubnet})
	}
	for _, su := range c.subnets {
		v.Subnets = append(v.Subnets, t.providerSubnet(c, su))
	}
	return v
}

// removeSubnet removes a subnet addSubnet gave: the subnet from the VNet
// (the cloud refuses while machines are in it) and its NSG. Removing the
// last subnet of a managed network deletes the network and releases its
// ranges. t.mu must not be held.
func (t *Tenant) removeSubnet(ctx context.Context, c *connection, s connSubnet) error {
	const op = "removeSubnet"
	c.net.Lock()
	defer c.net.Unlock()
	t.mu.Lock()
	i := slices.IndexFunc(c.subnets, func(x *subnetUse) bool { return x.Name == s.Name })
	if i < 0 {
		t.mu.Unlock()
		return nil // removed already: removing is idempotent
	}
	su := c.subnets[i]
	lastManaged := c.managed && len(c.subnets) == 1
	var vnet *VirtualNetwork
	if c.vnet != nil {
		vnet = c.vnet.Clone().(*VirtualNetwork)
		vnet.Subnets = slices.DeleteFunc(vnet.Subnets, func(x Subnet) bool { return x.Name == s.Name })
	}
	t.mu.Unlock()

	if vnet != nil {
		if _, err := t.netPut(ctx, vnet); err != nil {
			return connErr(op, c.object(), err)
		}
		c.vnet = vnet
	}
	if err := t.netDelete(ctx, su.NSG); err != nil {
		return connErr(op, c.object(), err)
	}
	if lastManaged {
		for _, id := range []ResourceID{c.vnetID(), c.natID(), c.rtID()} {
			if err := t.netDelete(ctx, id); err != nil {
				return connErr(op, c.object(), err)
			}
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	c.alloc.Remove(su.Prefix)
	c.subnets = slices.DeleteFunc(c.subnets, func(x *subnetUse) bool { return x == su })
	if lastManaged {
		c.ready = false
		c.vnet = nil
		t.forget(c)
	}
	return nil
}

// releaseSubnets removes every subnet of owner on the connection, for an
// owner cleaning up after a failure. t.mu must not be held.
func (t *Tenant) releaseSubnets(ctx context.Context, c *connection, owner string) error {
	t.mu.Lock()
	var mine []connSubnet
	for _, su := range c.subnets {
		if su.owner == owner {
			mine = append(mine, su.connSubnet)
		}
	}
	t.mu.Unlock()
	var errs []error
	for _, s := range mine {
		errs = append(errs, t.removeSubnet(ctx, c, s))
	}
	return errors.Join(errs...)
}

// refreshFirewall re-puts the NSG of every subnet of the connection with
// the rules of its current policy, after an image builder or bastion came
// or went or RDP access changed (FW-4, FW-5: their rules go with them).
// t.mu must not be held.
func (t *Tenant) refreshFirewall(ctx context.Context, c *connection) error {
	c.net.Lock()
	defer c.net.Unlock()
	return t.refreshFirewallLocked(ctx, c)
}

func (t *Tenant) refreshFirewallLocked(ctx context.Context, c *connection) error {
	t.mu.Lock()
	nsgs := make([]*SecurityGroup, 0, len(c.subnets))
	for _, su := range c.subnets {
		p := t.firewallPolicy(c, su.domainJoined)
		if err := p.Validate(); err != nil {
			t.mu.Unlock()
			return &Error{Kind: ErrInvalid, Op: "refreshFirewall", Object: c.object(), Err: err}
		}
		nsgs = append(nsgs, &SecurityGroup{Meta: Meta{ID: su.NSG, Region: c.region, Tags: t.tags(su.owner)}, Rules: network.SecurityRules(p)})
	}
	t.mu.Unlock()
	for _, nsg := range nsgs {
		if _, err := t.netPut(ctx, nsg); err != nil {
			return connErr("refreshFirewall", c.object(), err)
		}
	}
	return nil
}

// Helpers.

// initConns makes the maps of connState. t.mu held.
func (t *Tenant) initConns() {
	if t.conns == nil {
		t.conns = make(map[string]*connection)
		t.flexSpace = make(map[string]*ipam.Space)
		t.cmKeys = make(map[string]*cmKey)
	}
}

// space returns the Flex address space of a subscription. t.mu held.
func (t *Tenant) space(subscription string) *ipam.Space {
	t.initConns()
	sp := t.flexSpace[fold(subscription)]
	if sp == nil {
		sp = new(ipam.Space)
		t.flexSpace[fold(subscription)] = sp
	}
	return sp
}

// newTxn returns a new transaction ID (Citrix-TransactionId) in the form
// of a UUID, from the tenant's source of randomness. t.mu held.
func (t *Tenant) newTxn() string {
	var b [16]byte
	if _, err := t.rnd.Read(b[:]); err != nil {
		h := fnv.New64a()
		fmt.Fprint(h, t.now().UnixNano())
		copy(b[:], h.Sum(nil))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// armName makes s a valid name of a network resource: letters, digits,
// '_', '.' and '-', starting with a letter or digit and ending with a
// letter, digit or '_', at most max characters (a hash keeps long names
// distinct).
func armName(s string, max int) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			b[i] = '-'
		}
	}
	if len(b) > max {
		h := fnv.New32a()
		h.Write([]byte(s))
		b = fmt.Appendf(b[:max-9], "-%08x", h.Sum32())
	}
	out := strings.TrimLeft(string(b), "_.-")
	out = strings.TrimRight(out, ".-")
	if out == "" {
		out = "x"
	}
	return out
}

// netPut, netGet, netDelete and netList call the provider through t.call.
func (t *Tenant) netPut(ctx context.Context, r Resource) (Resource, error) {
	var out Resource
	err := t.call(ctx, "Put", r.Metadata().ID, func(ctx context.Context) error {
		var err error
		out, err = t.provider.Put(ctx, r)
		return err
	})
	return out, err
}

// putAs is netPut for a resource of a known type: it returns the resource
// as the cloud now holds it.
func putAs[T Resource](ctx context.Context, t *Tenant, r T) (T, error) {
	var got T
	err := t.call(ctx, "Put", r.Metadata().ID, func(ctx context.Context) error {
		var err error
		got, err = PutAs(ctx, t.provider, r)
		return err
	})
	return got, err
}

func (t *Tenant) netGet(ctx context.Context, id ResourceID) (Resource, error) {
	var out Resource
	err := t.call(ctx, "Get", id, func(ctx context.Context) error {
		var err error
		out, err = t.provider.Get(ctx, id)
		return err
	})
	return out, err
}

func (t *Tenant) netDelete(ctx context.Context, id ResourceID) error {
	return t.call(ctx, "Delete", id, func(ctx context.Context) error { return t.provider.Delete(ctx, id) })
}

func (t *Tenant) netList(ctx context.Context, f Filter) ([]Resource, error) {
	var out []Resource
	err := t.call(ctx, "List", GroupID(f.Subscription, f.ResourceGroup), func(ctx context.Context) error {
		var err error
		out, err = t.provider.List(ctx, f)
		return err
	})
	return out, err
}

// connErr wraps a cloud error for op on obj, keeping its kind; context
// errors pass through untouched.
func connErr(op, obj string, err error) error {
	if err == nil {
		return nil
	}
	k := KindOf(err)
	if k == nil {
		return err
	}
	return &Error{Kind: k, Op: op, Object: obj, Err: err}
}

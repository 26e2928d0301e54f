package flex

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/netip"
	"slices"
	"strings"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

// CreateConnection creates a network connection in a subscription (NET-1,
// SUB-2): a network.PeeringSpec, VPNSpec, VWANSpec, or a NoConnectivitySpec
// for a Citrix-managed network. Connection names are unique in the tenant,
// ignoring case, whatever their subscription, as the console lists them
// together.
//
// The customer's networks are read from the cloud: the peered VNet's
// address space (replacing any RemoteAddressSpace given), and a Virtual
// WAN hub's tier, address space and connected spokes (replacing
// Hub.Tier, Hub.AddressSpace and Hub.Connected; the spoke takes the hub's
// region). The spec is validated against them and every other Flex range
// of the subscription (NET-4), and its ranges are reserved before any
// cloud work, so that of two concurrent requests for overlapping ranges
// exactly one goes ahead.
//
// The cloud network is then built in the connection's own resource group:
// a VNet of the Flex ranges with the DNS servers (NET-3), a route table of
// the enabled custom routes (NET-6), a NAT gateway when enabled (NET-11),
// and per kind a peering in both directions (NET-7), a VPN gateway with a
// local gateway and a connection with the pre-shared key (NET-9), or a
// connection to the Virtual WAN hub (NET-12). A Virtual WAN spoke gets its
// NAT gateway with its first catalog, as the service does.
//
// When the route table or the NAT gateway fails, the connection is still
// created, in state RouteTableFailed or NatGatewayFailed: catalogs may use
// it and RetryConnection retries the failed step alone (NET-12); a
// connection without connectivity, which is never RouteTableFailed, fails
// with its route table instead, as below. When the
// hub connection of a Virtual WAN spoke fails, what was built is removed
// and the connection stays in VWanConnectionFailed with Azure's message,
// until it is deleted; the view and the error are both returned. Any other
// failure, or a cancelled ctx, removes everything that was created and
// the connection with it.
func (t *Tenant) CreateConnection(ctx context.Context, subscription string, spec network.Spec) (Connection, error) {
	const op = "CreateConnection"
	if err := t.authorize(ctx, op, true); err != nil {
		return Connection{}, err
	}
	if spec == nil {
		return Connection{}, &Error{Kind: ErrInvalid, Op: op, Err: rule.Errorf("NET-1",
			"no connection spec; want a NoConnectivitySpec, PeeringSpec, VPNSpec or VWANSpec")}
	}
	spec = cloneSpec(spec)
	name := specName(spec)
	obj := fmt.Sprintf("connection %q", name)

	// Fail fast on a missing subscription or a taken name, before reading
	// the customer's networks.
	t.mu.Lock()
	_, err := t.subscription(op, subscription)
	if err == nil {
		err = t.nameFree(op, obj, name)
	}
	t.mu.Unlock()
	if err != nil {
		return Connection{}, err
	}

	spec, err = t.readCustomer(ctx, op, obj, spec)
	if err != nil {
		return Connection{}, err
	}

	// Validation is pure and quick, so it runs under t.mu against the
	// subscription's address space as it is, and the ranges are reserved
	// in the same critical section: of concurrent requests for overlapping
	// ranges exactly one goes ahead (NET-4).
	t.mu.Lock()
	s, err := t.subscription(op, subscription)
	if err != nil {
		t.mu.Unlock()
		return Connection{}, err
	}
	if err := spec.Validate(t.space(s.name)); err != nil {
		t.mu.Unlock()
		return Connection{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	c, err := t.reserve(op, obj, s, spec)
	if err != nil {
		t.mu.Unlock()
		return Connection{}, err
	}
	txn := c.status.TransactionID
	c.status, _ = c.status.Next(network.StateProvisioning, txn, t.now(), "")
	t.mu.Unlock()

	res := t.provision(ctx, c)

	t.mu.Lock()
	defer t.mu.Unlock()
	c.busy = false
	if res.fatal != nil {
		cerr := connErr(op, obj, res.fatal)
		t.mu.Unlock()
		terr := t.teardown(context.WithoutCancel(ctx), c)
		t.mu.Lock()
		switch {
		case terr != nil:
			c.status, _ = c.status.Next(network.StateFailed, txn, t.now(), fmt.Sprintf("%v; removing what was created failed: %v", res.fatal, terr))
			return t.view(c), errors.Join(cerr, connErr(op, obj, terr))
		case res.vwan:
			c.status, _ = c.status.Next(network.StateVWanConnectionFailed, txn, t.now(), res.fatal.Error())
			return t.view(c), cerr
		}
		t.forget(c)
		return Connection{}, cerr
	}
	c.ready = true
	c.vnet = res.vnet
	c.routeOK, c.natOK = res.routeErr == nil, res.natErr == nil
	c.natIP, c.gatewayIP = res.natIP, res.gatewayIP
	c.warnings = spec.Warnings()
	c.status, _ = c.status.Next(t.settled(c, res.routeErr, res.natErr), txn, t.now(), failMessage(res.routeErr, res.natErr))
	c.warnings = append(c.warnings, retryWarnings(c)...)
	return t.view(c), nil
}

// nameFree reports an ErrConflict when the tenant has a connection named
// name. t.mu held.
func (t *Tenant) nameFree(op, obj, name string) error {
	t.initConns()
	if o, ok := t.conns[fold(name)]; ok {
		return Errorf(ErrConflict, op, obj, "the tenant already has a connection named %q (in subscription %q); connection names are unique in the tenant, ignoring case", o.name, o.sub)
	}
	return nil
}

// reserve re-checks the name, reserves the connection's ranges in the
// subscription's Flex address space (NET-4) and registers the connection
// as Pending and busy. t.mu held.
func (t *Tenant) reserve(op, obj string, s *subscription, spec network.Spec) (*connection, error) {
	name := specName(spec)
	if err := t.nameFree(op, obj, name); err != nil {
		return nil, err
	}
	sp := t.space(s.name)
	owner := fmt.Sprintf("connection %q", name)
	if nc, ok := spec.(network.NoConnectivitySpec); ok && !nc.Range.IsValid() {
		p, err := t.allocManaged(s.name, owner, managedBits)
		if err != nil {
			return nil, Errorf(ErrLimit, op, obj, "NET-4: no free /%d is left in %v for a Citrix-managed range: %w", managedBits, managedPools, err)
		}
		nc.Range = p
		spec = nc
	} else {
		var added []netip.Prefix
		var l rule.List
		for _, p := range spec.FlexRanges() {
			if err := sp.Add(owner, p); err != nil {
				var oe *ipam.OverlapError
				if errors.As(err, &oe) {
					l.Add("NET-4", "%s; Flex ranges must not overlap any range in use", err)
				} else {
					l.Add("NET-4", "range %s: %s", p, err)
				}
				continue
			}
			added = append(added, p)
		}
		if err := l.Err(); err != nil {
			for _, p := range added {
				sp.Remove(p)
			}
			return nil, &Error{Kind: ErrConflict, Op: op, Object: obj, Err: err}
		}
	}
	c := &connection{
		name: name, sub: s.name, azureID: s.azureID, kind: spec.Kind(), region: specRegion(spec),
		owner: "connection/" + name, group: GroupID(s.azureID, t.groupName("connection", name)),
		spec: spec, busy: true,
		ranges:    slices.Clone(spec.FlexRanges()),
		vdaRanges: vdaRanges(spec),
		connected: customerNets(spec),
	}
	c.status, _ = network.NewStatus(c.kind, t.newTxn(), t.now())
	t.conns[fold(name)] = c
	return c, nil
}

// readCustomer reads the customer's networks of a spec from the cloud
// (NET-4): the peered VNet's address space and whether it has a gateway
// (NET-7); the Virtual WAN hub's tier, address space, region and the
// address spaces of its other spokes (NET-12, REG-2).
func (t *Tenant) readCustomer(ctx context.Context, op, obj string, spec network.Spec) (network.Spec, error) {
	switch s := spec.(type) {
	case network.PeeringSpec:
		if s.RemoteVNet.Name == "" || !strings.EqualFold(s.RemoteVNet.Type, "virtualNetworks") {
			return s, nil // Validate reports the ID (NET-7)
		}
		id := netID(s.RemoteVNet)
		r, err := t.netGet(ctx, id)
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				return s, &Error{Kind: ErrNotFound, Op: op, Object: obj, Err: rule.Errorf("NET-7",
					"the VNet to peer with, %s, does not exist or is not visible; create it or check the resource ID", s.RemoteVNet)}
			}
			return s, connErr(op, obj, err)
		}
		v, ok := r.(*VirtualNetwork)
		if !ok {
			return s, Errorf(ErrInvalid, op, obj, "NET-7: %s is a %T, not a virtual network", s.RemoteVNet, r)
		}
		s.RemoteAddressSpace = slices.Clone(v.AddressSpace)
		if s.UsesGateway {
			has, err := t.hasGateway(ctx, id)
			if err != nil {
				return s, connErr(op, obj, err)
			}
			if !has {
				return s, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: rule.Errorf("NET-7",
					"the peered VNet %s uses no virtual network gateway; say it does only when it has one", s.RemoteVNet.Name)}
			}
		}
		return s, nil
	case network.VWANSpec:
		if s.Hub.ID.Name == "" || !strings.EqualFold(s.Hub.ID.Type, "virtualHubs") {
			return s, nil // Validate reports the ID (NET-12)
		}
		hub, connected, err := t.readHub(ctx, netID(s.Hub.ID))
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				return s, &Error{Kind: ErrNotFound, Op: op, Object: obj, Err: rule.Errorf("NET-12",
					"the Virtual WAN hub %s does not exist or is not visible; check the resource ID", s.Hub.ID)}
			}
			return s, connErr(op, obj, err)
		}
		s.Hub.Tier = network.HubTier(hub.SKU)
		s.Hub.AddressSpace = hub.AddressSpace
		s.Hub.Connected = connected
		switch {
		case s.Region == "":
			s.Region = hub.Region
		case s.Region != hub.Region:
			return s, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: rule.Errorf("REG-2",
				"region %s given, but the hub %s is in %s; a spoke takes its hub's region, leave the region empty", s.Region, s.Hub.ID.Name, hub.Region)}
		}
		return s, nil
	}
	return spec, nil
}

// hasGateway reports whether the VNet has a virtual network gateway.
func (t *Tenant) hasGateway(ctx context.Context, vnet ResourceID) (bool, error) {
	gws, err := t.netList(ctx, Filter{Subscription: vnet.Subscription, Type: TypeVPNGateway})
	if err != nil {
		return false, err
	}
	for _, r := range gws {
		if g, ok := r.(*VPNGateway); ok && sameResource(g.VirtualNetwork, vnet) {
			return true, nil
		}
	}
	return false, nil
}

// readHub returns the hub and the address spaces of the VNets connected to
// it that the tenant can see.
func (t *Tenant) readHub(ctx context.Context, id ResourceID) (*VirtualHub, []netip.Prefix, error) {
	r, err := t.netGet(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	hub, ok := r.(*VirtualHub)
	if !ok {
		return nil, nil, Errorf(ErrInvalid, "Get", id.String(), "NET-12: %s is a %T, not a virtual hub", id.Name, r)
	}
	hcs, err := t.netList(ctx, Filter{Subscription: id.Subscription, ResourceGroup: id.ResourceGroup, Type: TypeHubConnection})
	if err != nil {
		return nil, nil, err
	}
	var connected []netip.Prefix
	for _, r := range hcs {
		hc, ok := r.(*HubConnection)
		if !ok || !strings.EqualFold(strings.SplitN(hc.ID.Name, "/", 2)[0], id.Name) {
			continue
		}
		rv, err := t.netGet(ctx, hc.Remote)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if v, ok := rv.(*VirtualNetwork); ok {
			connected = append(connected, v.AddressSpace...)
		}
	}
	return hub, connected, nil
}

// sameResource reports whether two IDs name the same resource (ARM IDs
// ignore case).
func sameResource(a, b ResourceID) bool { return strings.EqualFold(a.String(), b.String()) }

// provisioned is what provision built and what failed.
type provisioned struct {
	vnet      *VirtualNetwork
	natIP     netip.Addr
	gatewayIP netip.Addr
	routeErr  error // the route table failed (RouteTableFailed)
	natErr    error // the NAT gateway failed (NatGatewayFailed)
	fatal     error // the connection failed
	vwan      bool  // fatal is the hub connection's (VWanConnectionFailed)
}

// provision builds a new connection's cloud network (see CreateConnection).
// t.mu must not be held.
func (t *Tenant) provision(ctx context.Context, c *connection) (res provisioned) {
	t.mu.Lock()
	spec := c.spec
	vnet := t.desiredVNet(c)
	rt := t.desiredRouteTable(c)
	wantNAT := c.natWanted()
	t.mu.Unlock()
	tags := t.tags(c.owner)

	if _, res.fatal = t.netPut(ctx, &ResourceGroup{Meta: Meta{ID: c.group, Region: c.region, Tags: tags}}); res.fatal != nil {
		return res
	}
	if _, res.routeErr = t.netPut(ctx, rt); ctx.Err() != nil {
		res.fatal = ctx.Err()
		return res
	}
	if res.routeErr != nil && !c.kind.HasState(network.StateRouteTableFailed) {
		// A connection without connectivity is never RouteTableFailed
		// (NET-12): its route table failing is the connection failing.
		res.fatal, res.routeErr = res.routeErr, nil
		return res
	}
	if wantNAT {
		var got Resource
		got, res.natErr = t.netPut(ctx, t.natGateway(c, specNAT(spec)))
		if ctx.Err() != nil {
			res.fatal = ctx.Err()
			return res
		}
		if n, ok := got.(*NATGateway); ok {
			res.natIP = n.PublicIP
		}
	}
	if _, res.fatal = t.netPut(ctx, vnet); res.fatal != nil {
		return res
	}
	res.vnet = vnet
	switch s := spec.(type) {
	case network.PeeringSpec:
		remote := netID(s.RemoteVNet)
		local := &Peering{Meta: Meta{ID: vnet.ID.Child(TypePeering, peerLocal), Tags: tags}, Remote: remote, UseRemoteGateways: s.UsesGateway}
		back := &Peering{Meta: Meta{ID: remote.Child(TypePeering, t.remoteName(c)), Tags: tags}, Remote: vnet.ID, AllowGatewayTransit: s.UsesGateway}
		for _, p := range []Resource{local, back} {
			if _, res.fatal = t.netPut(ctx, p); res.fatal != nil {
				return res
			}
		}
	case network.VPNSpec:
		gw := &VPNGateway{Meta: Meta{ID: c.id(TypeVPNGateway, gwName), Region: c.region, Tags: tags},
			VirtualNetwork: vnet.ID, SKU: string(s.SKU), EnableBGP: s.BGP.Enabled, ASN: s.BGP.ASN}
		got, err := t.netPut(ctx, gw)
		if res.fatal = err; err != nil {
			return res
		}
		if g, ok := got.(*VPNGateway); ok {
			res.gatewayIP = g.PublicIP
		}
		lg := &LocalGateway{Meta: Meta{ID: c.id(TypeLocalGateway, lgwName), Region: c.region, Tags: tags},
			GatewayIP: s.DeviceIP, AddressPrefixes: slices.Clone(s.AllowedNetworks)}
		if s.BGP.Enabled {
			lg.ASN, lg.BGPPeer = s.BGP.PeerASN, s.BGP.PeerAddress
		}
		if _, res.fatal = t.netPut(ctx, lg); res.fatal != nil {
			return res
		}
		vc := &VPNConnection{Meta: Meta{ID: c.id(TypeVPNConnection, vpnName), Region: c.region, Tags: tags},
			Gateway: gw.ID, Local: lg.ID, SharedKey: s.PSK, EnableBGP: s.BGP.Enabled}
		if _, res.fatal = t.netPut(ctx, vc); res.fatal != nil {
			return res
		}
	case network.VWANSpec:
		hc := &HubConnection{Meta: Meta{ID: netID(s.Hub.ID).Child(TypeHubConnection, t.remoteName(c)), Tags: tags},
			Remote: vnet.ID, EnableInternetSecurity: s.Advanced.InternetSecurity, PropagateRoutes: s.Advanced.RoutePropagation}
		if _, res.fatal = t.netPut(ctx, hc); res.fatal != nil {
			res.vwan = ctx.Err() == nil
			return res
		}
	}
	return res
}

// desiredRouteTable returns the route table of c's enabled custom routes
// (NET-6) with gateway route propagation as the spec says (NET-7). t.mu
// held.
func (t *Tenant) desiredRouteTable(c *connection) *RouteTable {
	rt := &RouteTable{Meta: Meta{ID: c.rtID(), Region: c.region, Tags: t.tags(c.owner)}}
	for _, r := range specRoutes(c.spec) {
		if !r.Enabled {
			continue
		}
		cr := Route{Name: armName(r.Name, 80), Prefix: r.Destination, NextHop: string(r.NextHop)}
		if r.NextHop == network.NextHopVirtualAppliance {
			cr.NextHopIP = r.NextHopIP
		}
		rt.Routes = append(rt.Routes, cr)
	}
	if p, ok := c.spec.(network.PeeringSpec); ok {
		rt.DisableGatewayPropagation = !p.RoutePropagation
	}
	return rt
}

// natGateway returns the NAT gateway resource of the setting (NET-11).
func (t *Tenant) natGateway(c *connection, n network.NATGateway) *NATGateway {
	return &NATGateway{Meta: Meta{ID: c.natID(), Region: c.region, Tags: t.tags(c.owner)}, IdleTimeoutMinutes: n.Minutes()}
}

// remoteName is the name of the resources a connection puts on the
// customer's side (the peering back, the hub connection): unique per
// tenant and connection.
func (t *Tenant) remoteName(c *connection) string { return uniqueARMName(c.group.Name, 80) }

// uniqueARMName is armName, with a hash of s added whenever armName had to
// change s, so that two names that differ only in characters it replaces
// (such as "a(b)" and "a-b") stay distinct.
func uniqueARMName(s string, max int) string {
	n := armName(s, max)
	if n == s {
		return n
	}
	h := fnv.New32a()
	h.Write([]byte(s))
	return armName(fmt.Sprintf("%s-%08x", armName(s, max-9), h.Sum32()), max)
}

// teardown deletes a connection's cloud resources: first what it put on
// the customer's side, which depends on its VNet, then its resource group
// with everything in it. Deleting what does not exist succeeds, so a
// teardown can be retried. t.mu must not be held.
func (t *Tenant) teardown(ctx context.Context, c *connection) error {
	t.mu.Lock()
	spec := c.spec
	t.mu.Unlock()
	switch s := spec.(type) {
	case network.PeeringSpec:
		if s.RemoteVNet.Name != "" {
			if err := t.netDelete(ctx, netID(s.RemoteVNet).Child(TypePeering, t.remoteName(c))); err != nil {
				return err
			}
		}
	case network.VWANSpec:
		if s.Hub.ID.Name != "" {
			if err := t.netDelete(ctx, netID(s.Hub.ID).Child(TypeHubConnection, t.remoteName(c))); err != nil {
				return err
			}
		}
	}
	return t.netDelete(ctx, c.group)
}

// settled returns the state a connection settles in after provisioning or
// a change: RouteTableFailed or NatGatewayFailed when that step failed
// (NET-12), or Failed for a kind that is never in that state (a route
// table without connectivity); else Complete. t.mu held.
func (t *Tenant) settled(c *connection, routeErr, natErr error) network.State {
	switch {
	case (routeErr != nil || !c.routeOK) && !c.kind.HasState(network.StateRouteTableFailed):
		return network.StateFailed
	case routeErr != nil || !c.routeOK:
		return network.StateRouteTableFailed
	case natErr != nil || (!c.natOK && c.natWanted()):
		return network.StateNatGatewayFailed
	}
	return network.StateComplete
}

func failMessage(errs ...error) string {
	var parts []string
	for _, err := range errs {
		if err != nil {
			parts = append(parts, err.Error())
		}
	}
	return strings.Join(parts, "; ")
}

// retryWarnings returns NET-12's advice for a connection whose route table
// or NAT gateway failed. t.mu held.
func retryWarnings(c *connection) []network.Warning {
	var ws []network.Warning
	if !c.routeOK {
		ws = append(ws, network.Warning{ID: "NET-12", Msg: fmt.Sprintf(
			"the route table of %s failed (transaction %s); catalogs may use the connection, custom routes do not apply until RetryConnection succeeds", c.object(), c.status.TransactionID)})
	}
	if !c.natOK && c.natWanted() {
		ws = append(ws, network.Warning{ID: "NET-12", Msg: fmt.Sprintf(
			"the NAT gateway of %s failed (transaction %s); catalogs may use the connection, machines reach the internet without the static address until RetryConnection succeeds", c.object(), c.status.TransactionID)})
	}
	return ws
}

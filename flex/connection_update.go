package flex

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// ConnectionUpdate is a change to a connection. Zero fields change
// nothing; every change is validated before any is made, and every
// problem is reported at once.
type ConnectionUpdate struct {
	// Custom routes (NET-6), applied in this order: edits, enables,
	// disables, deletes, then additions at the end of the table. Deleting
	// needs Ack: deleting a route may disrupt active sessions.
	EditRoutes    []RouteEdit
	EnableRoutes  []string
	DisableRoutes []string
	DeleteRoutes  []string
	AddRoutes     []network.Route
	Ack           network.DisruptionAck

	// DNS replaces the DNS servers (NET-3); nil keeps them. Running
	// machines keep the old servers until they restart, which the result's
	// warnings say. PreferredDNS is a VPN's preferred server (NET-9).
	DNS          []netip.Addr
	PreferredDNS netip.Addr

	// NAT enables, disables or retimes the NAT gateway of a Citrix-managed
	// or VNet peering connection (NET-11); nil keeps it.
	NAT *network.NATGateway

	// PSK replaces a VPN connection's pre-shared key (NET-10); the zero
	// Value keeps it. The VPN device needs the new key too.
	PSK secret.Value

	// ClientSecret replaces the client secret of a Virtual WAN spoke with
	// service principal authentication (NET-12); the zero Value keeps it.
	// A state saved without a state key holds no secret: after Load, give
	// the PSK or the client secret again with the first update.
	ClientSecret secret.Value

	// GatewayRoutePropagation turns the propagation of the peered VNet's
	// gateway routes on or off (NET-7); nil keeps it. Changing it may
	// interrupt VDA traffic, which the result's warnings say.
	GatewayRoutePropagation *bool

	// IPv4 address ranges of a Virtual WAN spoke (NET-13), applied in this
	// order: edits, deletes, additions. A range is edited or deleted only
	// when no VDA, connector, bastion or image builder uses it, and one
	// range always remains; added ranges are usable at once.
	EditRanges   []RangeEdit
	DeleteRanges []netip.Prefix
	AddRanges    []netip.Prefix
}

// RouteEdit replaces the custom route named Name with Route, in its place.
type RouteEdit struct {
	Name  string
	Route network.Route
}

// RangeEdit replaces the IPv4 address range Old of a Virtual WAN spoke
// with New.
type RangeEdit struct {
	Old, New netip.Prefix
}

func (u ConnectionUpdate) routesChange() bool {
	return len(u.EditRoutes)+len(u.EnableRoutes)+len(u.DisableRoutes)+len(u.DeleteRoutes)+len(u.AddRoutes) > 0
}

func (u ConnectionUpdate) rangesChange() bool {
	return len(u.EditRanges)+len(u.DeleteRanges)+len(u.AddRanges) > 0
}

// UpdateConnection changes a connection's custom routes (NET-6), DNS
// servers (NET-3), NAT gateway (NET-11), pre-shared key (NET-10), gateway
// route propagation (NET-7) or IPv4 address ranges (NET-13). What cannot
// change after creation (region, REG-2; a VPN's subnets, NET-9; a vWAN
// spoke's hub and advanced settings, NET-12) has no field here.
//
// The connection is Provisioning while the cloud changes and other changes
// get ErrBusy. The result's Warnings say what the change may disrupt. When
// the route table or the NAT gateway cannot be written the connection
// keeps the new settings in state RouteTableFailed or NatGatewayFailed and
// RetryConnection writes them again (NET-12); when another step fails, its
// settings stay as they were and the error says so, while the steps done
// before it stay done.
func (t *Tenant) UpdateConnection(ctx context.Context, name string, u ConnectionUpdate) (Connection, error) {
	const op = "UpdateConnection"
	c, err := t.authorizedConn(ctx, op, name)
	if err != nil {
		return Connection{}, err
	}
	obj := c.object()

	// A vWAN spoke's new ranges are checked against the hub and its spokes
	// as they are now (NET-4).
	var hubNets []ipam.Entry
	if v, ok := c.spec.(network.VWANSpec); ok && u.rangesChange() {
		hub, connected, err := t.readHub(ctx, netID(v.Hub.ID))
		if err != nil {
			return Connection{}, connErr(op, obj, err)
		}
		hubNets = append(hubNets, ipam.Entry{Owner: "vWAN hub " + v.Hub.ID.Name, Prefix: hub.AddressSpace})
		for _, p := range connected {
			if !slices.Contains(c.ranges, p) {
				hubNets = append(hubNets, ipam.Entry{Owner: "a network connected to vWAN hub " + v.Hub.ID.Name, Prefix: p})
			}
		}
	}

	c.net.Lock()
	defer c.net.Unlock()
	t.mu.Lock()
	if err := t.changeable(op, c); err != nil {
		t.mu.Unlock()
		return Connection{}, err
	}
	old := c.spec
	oldRanges, oldVDA := slices.Clone(c.ranges), slices.Clone(c.vdaRanges)
	next, warns, added, removed, err := t.planUpdate(c, u, hubNets)
	if err != nil {
		t.mu.Unlock()
		return Connection{}, &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
	}
	txn := t.newTxn()
	c.status, _ = c.status.Next(network.StateProvisioning, txn, t.now(), "")
	c.busy = true
	wasRouteOK, wasNATOK := c.routeOK, c.natOK
	oldNAT := specNAT(old)
	c.spec = next
	if s, ok := next.(network.VWANSpec); ok {
		c.ranges, c.vdaRanges = slices.Clone(s.Ranges), slices.Clone(s.Ranges)
	}
	newNAT := specNAT(next)
	routesDirty := u.routesChange() || u.GatewayRoutePropagation != nil
	t.mu.Unlock()

	var errs []error
	var routeErr, natErr error
	// NET-11: a new or retimed NAT gateway goes first, so the VNet can
	// refer to it.
	t.mu.Lock()
	wantNAT := c.natWanted()
	t.mu.Unlock()
	if wantNAT && (!oldNAT.Enabled && !c.autoNAT || !wasNATOK || newNAT.Minutes() != oldNAT.Minutes()) {
		t.mu.Lock()
		nat := t.natGateway(c, newNAT)
		t.mu.Unlock()
		got, err := t.netPut(ctx, nat)
		natErr = err
		t.mu.Lock()
		c.natOK = err == nil
		if n, ok := got.(*NATGateway); ok {
			c.natIP = n.PublicIP
		}
		t.mu.Unlock()
	}
	// NET-6, NET-7: the route table.
	if routesDirty || !wasRouteOK {
		t.mu.Lock()
		rt := t.desiredRouteTable(c)
		t.mu.Unlock()
		_, routeErr = t.netPut(ctx, rt)
		t.mu.Lock()
		c.routeOK = routeErr == nil
		t.mu.Unlock()
	}
	// NET-3, NET-13, NET-11: the VNet with its DNS servers, address space
	// and every subnet's attachments.
	t.mu.Lock()
	vnet := t.desiredVNet(c)
	t.mu.Unlock()
	prevVNet := c.vnet
	if _, err := t.netPut(ctx, vnet); err != nil {
		errs = append(errs, fmt.Errorf("the VNet's DNS servers and address ranges are unchanged: %w", err))
		t.mu.Lock()
		c.spec = withVNetOf(c.spec, old)
		c.ranges, c.vdaRanges = oldRanges, oldVDA
		t.unreserve(c, added)
		t.mu.Unlock()
		added, removed = nil, nil
	} else {
		c.vnet = vnet
	}
	// NET-11: a disabled NAT gateway goes once no subnet refers to it.
	if oldNAT.Enabled && !newNAT.Enabled {
		if err := t.netDelete(ctx, c.natID()); err != nil {
			errs = append(errs, fmt.Errorf("the NAT gateway is detached but not deleted: %w", err))
		} else {
			t.mu.Lock()
			c.natIP = netip.Addr{}
			t.mu.Unlock()
		}
	}
	// NET-13: the hub learns the spoke's new address space.
	if v, ok := next.(network.VWANSpec); ok && (len(added) > 0 || len(removed) > 0) {
		hc := &HubConnection{Meta: Meta{ID: netID(v.Hub.ID).Child(TypeHubConnection, t.remoteName(c)), Tags: t.tags(c.owner)},
			Remote: c.vnetID(), EnableInternetSecurity: v.Advanced.InternetSecurity, PropagateRoutes: v.Advanced.RoutePropagation}
		if _, err := t.netPut(ctx, hc); err != nil {
			errs = append(errs, fmt.Errorf("the hub refused the new address ranges, which are undone: %w", err))
			if prevVNet != nil {
				_, _ = t.netPut(context.WithoutCancel(ctx), prevVNet)
				c.vnet = prevVNet
			}
			t.mu.Lock()
			c.spec = withVNetOf(c.spec, old)
			c.ranges, c.vdaRanges = oldRanges, oldVDA
			t.unreserve(c, added)
			t.mu.Unlock()
			added, removed = nil, nil
		}
	}
	// NET-10: the new pre-shared key.
	if v, ok := next.(network.VPNSpec); ok && !u.PSK.IsZero() {
		vc := &VPNConnection{Meta: Meta{ID: c.id(TypeVPNConnection, vpnName), Region: c.region, Tags: t.tags(c.owner)},
			Gateway: c.id(TypeVPNGateway, gwName), Local: c.id(TypeLocalGateway, lgwName), SharedKey: v.PSK, EnableBGP: v.BGP.Enabled}
		if _, err := t.netPut(ctx, vc); err != nil {
			errs = append(errs, fmt.Errorf("the pre-shared key is unchanged: %w", err))
			t.mu.Lock()
			c.spec = withPSK(c.spec, old.(network.VPNSpec).PSK)
			t.mu.Unlock()
		}
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	c.busy = false
	// Ranges that went are free in the subscription now (NET-13).
	for _, p := range removed {
		t.space(c.sub).Remove(p)
	}
	c.status, _ = c.status.Next(t.settled(c, routeErr, natErr), txn, t.now(), failMessage(routeErr, natErr))
	c.warnings = append(warns, retryWarnings(c)...)
	if len(errs) > 0 {
		return t.view(c), connErr(op, obj, errors.Join(errs...))
	}
	return t.view(c), nil
}

// changeable reports why c cannot change now: deleted, busy (ErrBusy), or
// in a state that allows no change (NET-12). t.mu held.
func (t *Tenant) changeable(op string, c *connection) error {
	switch {
	case c.gone:
		return Errorf(ErrNotFound, op, c.object(), "the tenant has no connection named %q", c.name)
	case c.busy:
		return Errorf(ErrBusy, op, c.object(), "%s is %s; try again when it completes", c.object(), c.status.State.DisplayName())
	case c.status.State == network.StateFailed && !c.managed:
		return &Error{Kind: ErrPrecondition, Op: op, Object: c.object(), Err: rule.Errorf("NET-12",
			"%s failed and what was created could not be removed (transaction %s): %s; delete it and create it again", c.object(), c.status.TransactionID, c.status.Message)}
	case c.managed && !c.ready:
		return &Error{Kind: ErrPrecondition, Op: op, Object: c.object(), Err: rule.Errorf("NET-12",
			"%s is not created yet", c.object())}
	case !c.status.State.CanTransition(network.StateProvisioning):
		return &Error{Kind: ErrPrecondition, Op: op, Object: c.object(), Err: rule.Errorf("NET-12",
			"%s is %s; it cannot change in that state (transaction %s)", c.object(), c.status.State.DisplayName(), c.status.TransactionID)}
	}
	return nil
}

// planUpdate returns the spec after the update with its warnings, and the
// ranges added to and removed from a vWAN spoke, which it reserves in the
// subscription's address space (NET-4). It reports every problem at once.
// t.mu held.
func (t *Tenant) planUpdate(c *connection, u ConnectionUpdate, hubNets []ipam.Entry) (next network.Spec, warns []network.Warning, added, removed []netip.Prefix, err error) {
	var l rule.List
	next = cloneSpec(c.spec)
	kind := c.kind

	if u.routesChange() {
		if kind == network.KindNone {
			l.Add("NET-6", "%s has no connectivity and so no custom routes", c.object())
		} else {
			rt, rerr := network.NewRouteTable(c.connected, specRoutes(next)...)
			if rerr != nil {
				rt = &network.RouteTable{}
			}
			for _, e := range u.EditRoutes {
				l.Append(rt.Edit(e.Name, e.Route))
			}
			for _, n := range u.EnableRoutes {
				l.Append(rt.Enable(n))
			}
			for _, n := range u.DisableRoutes {
				l.Append(rt.Disable(n))
			}
			for _, n := range u.DeleteRoutes {
				l.Append(rt.Delete(n, u.Ack))
			}
			for _, r := range u.AddRoutes {
				l.Append(rt.Add(r))
			}
			next = withRoutes(next, rt.Routes())
		}
	}
	if u.DNS != nil || u.PreferredDNS.IsValid() {
		switch s := next.(type) {
		case network.PeeringSpec:
			s.DNS = slices.Clone(u.DNS)
			next = s
		case network.VWANSpec:
			s.DNS = slices.Clone(u.DNS)
			next = s
		case network.VPNSpec:
			if u.DNS != nil {
				s.DNS = slices.Clone(u.DNS)
			}
			s.PreferredDNS = u.PreferredDNS
			next = s
		default:
			l.Add("NET-3", "%s has no connectivity; it uses Azure's DNS and takes no DNS servers", c.object())
		}
		if _, ok := next.(network.VPNSpec); !ok && u.PreferredDNS.IsValid() {
			l.Add("NET-9", "a preferred DNS server is a VPN connection's setting; %s is a %s", c.object(), kind.DisplayName())
		}
	}
	if u.NAT != nil {
		switch s := next.(type) {
		case network.PeeringSpec:
			s.NAT = *u.NAT
			next = s
		case network.NoConnectivitySpec:
			s.NAT = *u.NAT
			next = s
		default:
			l.Add("NET-11", "a NAT gateway is enabled only on Citrix-managed and VNet peering connections; %s is a %s", c.object(), kind.DisplayName())
		}
	}
	if !u.PSK.IsZero() {
		if s, ok := next.(network.VPNSpec); ok {
			s.PSK = u.PSK
			next = s
		} else {
			l.Add("NET-10", "a pre-shared key belongs to an Azure VPN gateway connection; %s is a %s", c.object(), kind.DisplayName())
		}
	}
	if !u.ClientSecret.IsZero() {
		if s, ok := next.(network.VWANSpec); ok && s.Auth.Method == network.AuthServicePrincipal {
			s.Auth.ClientSecret = u.ClientSecret
			next = s
		} else {
			l.Add("NET-12", "a client secret belongs to a Virtual WAN spoke with service principal authentication; %s is not one", c.object())
		}
	}
	if u.GatewayRoutePropagation != nil {
		if s, ok := next.(network.PeeringSpec); ok {
			s.RoutePropagation = *u.GatewayRoutePropagation
			next = s
		} else {
			l.Add("NET-7", "gateway route propagation is a VNet peering setting; %s is a %s", c.object(), kind.DisplayName())
		}
	}

	// What the spec itself says after the change (REG-2, NET-3, NET-6,
	// NET-7, NET-9, NET-10, NET-11, NET-12), against the subscription's
	// other ranges (NET-4).
	// The checks run against the live address space with the connection's
	// own ranges taken out for the while (t.mu is held throughout, so no
	// one else sees it), which saves copying the space.
	sp := t.space(c.sub)
	used := sp
	var own []ipam.Entry
	for _, p := range c.ranges {
		for _, e := range sp.Overlapping(p) {
			if e.Prefix == p {
				own = append(own, e)
				sp.Remove(p)
			}
		}
	}
	defer func() {
		for _, e := range own {
			_ = sp.Add(e.Owner, e.Prefix)
		}
	}()
	switch s := next.(type) {
	case network.PeeringSpec:
		ws, err := c.spec.(network.PeeringSpec).ValidateUpdate(s, used)
		warns = append(warns, ws...)
		l.Append(err)
	case network.VPNSpec:
		ws, err := c.spec.(network.VPNSpec).ValidateUpdate(s, used)
		warns = append(warns, ws...)
		l.Append(err)
	case network.VWANSpec:
		ws, err := c.spec.(network.VWANSpec).ValidateUpdate(s, used)
		warns = append(warns, ws...)
		l.Append(err)
	case network.NoConnectivitySpec:
		if !c.managed {
			l.Append(s.Validate(used))
		} else {
			l.Append(s.NAT.Validate())
		}
	}

	if u.rangesChange() {
		s, ok := next.(network.VWANSpec)
		if !ok {
			l.Add("NET-13", "IPv4 address ranges are added, edited and deleted on Virtual WAN spokes only; %s is a %s", c.object(), kind.DisplayName())
		} else {
			var hubAdded []netip.Prefix
			for _, e := range hubNets {
				if used.Add(e.Owner, e.Prefix) == nil {
					hubAdded = append(hubAdded, e.Prefix)
				}
			}
			var inUse []netip.Addr
			for _, su := range c.subnets {
				inUse = append(inUse, su.Prefix.Addr())
			}
			ranges := slices.Clone(s.Ranges)
			for _, e := range u.EditRanges {
				r, err := network.EditVWANRange(ranges, e.Old, e.New, inUse, used)
				l.Append(err)
				if err == nil {
					ranges = r
					removed, added = append(removed, e.Old), append(added, e.New)
				}
			}
			for _, p := range u.DeleteRanges {
				r, err := network.DeleteVWANRange(ranges, p, inUse)
				l.Append(err)
				if err == nil {
					ranges = r
					removed = append(removed, p)
				}
			}
			for _, p := range u.AddRanges {
				r, err := network.AddVWANRange(ranges, p, used)
				l.Append(err)
				if err == nil {
					ranges = r
					added = append(added, p)
				}
			}
			for _, p := range hubAdded {
				used.Remove(p)
			}
			s.Ranges = ranges
			next = s
			// A range both added and removed (edited back) nets out.
			added, removed = rangesWithout(added, removed), rangesWithout(removed, added)
		}
	}
	if err := l.Err(); err != nil {
		return nil, nil, nil, nil, &Error{Kind: ErrInvalid, Err: err}
	}
	// Reserve the new ranges now, so that concurrent changes cannot take
	// them (NET-4).
	owner := fmt.Sprintf("connection %q", c.name)
	var got []netip.Prefix
	for _, p := range added {
		if err := sp.Add(owner, p); err != nil {
			for _, q := range got {
				sp.Remove(q)
			}
			return nil, nil, nil, nil, &Error{Kind: ErrConflict, Err: rule.Errorf("NET-4", "%s; Flex ranges must not overlap any range in use", err)}
		}
		got = append(got, p)
	}
	return next, warns, added, removed, nil
}

// unreserve undoes the reservation of ranges an update added; the ranges
// it removed were never released. t.mu held.
func (t *Tenant) unreserve(c *connection, added []netip.Prefix) {
	sp := t.space(c.sub)
	for _, p := range added {
		sp.Remove(p)
	}
}

func rangesWithout(ranges, drop []netip.Prefix) []netip.Prefix {
	return slices.DeleteFunc(slices.Clone(ranges), func(p netip.Prefix) bool { return slices.Contains(drop, p) })
}

// withVNetOf returns s with the VNet settings (DNS servers and address
// ranges) of old.
func withVNetOf(s, old network.Spec) network.Spec {
	switch v := s.(type) {
	case network.PeeringSpec:
		v.DNS = old.(network.PeeringSpec).DNS
		return v
	case network.VPNSpec:
		o := old.(network.VPNSpec)
		v.DNS, v.PreferredDNS = o.DNS, o.PreferredDNS
		return v
	case network.VWANSpec:
		o := old.(network.VWANSpec)
		v.DNS, v.Ranges = o.DNS, o.Ranges
		return v
	}
	return s
}

func withPSK(s network.Spec, psk secret.Value) network.Spec {
	if v, ok := s.(network.VPNSpec); ok {
		v.PSK = psk
		return v
	}
	return s
}

// RetryConnection writes again the route table or NAT gateway of a
// connection in state RouteTableFailed or NatGatewayFailed, the steps that
// are retried alone (NET-12), and for a Citrix-managed network whose
// creation failed, the network. Other states have nothing to retry
// (ErrPrecondition): a Virtual WAN spoke in VWanConnectionFailed is
// deleted and created again.
func (t *Tenant) RetryConnection(ctx context.Context, name string) (Connection, error) {
	const op = "RetryConnection"
	c, err := t.authorizedConn(ctx, op, name)
	if err != nil {
		return Connection{}, err
	}
	if c.managed {
		t.mu.Lock()
		failed := c.status.State == network.StateFailed
		t.mu.Unlock()
		if failed {
			if err := t.ensureNetwork(ctx, c); err != nil {
				return Connection{}, err
			}
			t.mu.Lock()
			defer t.mu.Unlock()
			return t.view(c), nil
		}
	}
	t.mu.Lock()
	st := c.status.State
	if !c.gone && !c.busy && !st.RetriesAlone() {
		t.mu.Unlock()
		return Connection{}, &Error{Kind: ErrPrecondition, Op: op, Object: c.object(), Err: rule.Errorf("NET-12",
			"%s is %s; only RouteTableFailed and NatGatewayFailed are retried alone", c.object(), st.DisplayName())}
	}
	t.mu.Unlock()
	return t.UpdateConnection(ctx, name, ConnectionUpdate{})
}

// ResetConnection resets an Azure VPN gateway connection (NET-10): the
// connection is lost and both ends re-establish it, disrupting active
// sessions, which the result's warnings say. Other kinds cannot be reset.
func (t *Tenant) ResetConnection(ctx context.Context, name string) (Connection, error) {
	const op = "ResetConnection"
	c, err := t.authorizedConn(ctx, op, name)
	if err != nil {
		return Connection{}, err
	}
	// Subnets wait for the reset, which makes the connection Provisioning.
	c.net.Lock()
	defer c.net.Unlock()
	t.mu.Lock()
	if !c.kind.CanReset() {
		err = &Error{Kind: ErrPrecondition, Op: op, Object: c.object(), Err: rule.Errorf("NET-10",
			"%s is a %s; only Azure VPN gateway connections are reset", c.object(), c.kind.DisplayName())}
	}
	if err == nil {
		err = t.changeable(op, c)
	}
	if err != nil {
		t.mu.Unlock()
		return Connection{}, err
	}
	prev, prevMsg := c.status.State, c.status.Message
	txn := t.newTxn()
	c.status, _ = c.status.Next(network.StateProvisioning, txn, t.now(), "")
	c.busy = true
	gw := c.id(TypeVPNGateway, gwName)
	t.mu.Unlock()

	rerr := t.call(ctx, "ResetVPNGateway", gw, func(ctx context.Context) error { return t.provider.ResetVPNGateway(ctx, gw) })

	t.mu.Lock()
	defer t.mu.Unlock()
	c.busy = false
	msg := ""
	if prev != network.StateComplete {
		msg = prevMsg
	}
	c.status, _ = c.status.Next(t.settled(c, nil, nil), txn, t.now(), msg)
	if rerr != nil {
		c.warnings = nil
		return t.view(c), connErr(op, c.object(), rerr)
	}
	c.warnings = []network.Warning{{ID: "NET-10", Msg: fmt.Sprintf(
		"%s was reset: the tunnel is re-established from both ends and active sessions were disrupted", c.object())}}
	return t.view(c), nil
}

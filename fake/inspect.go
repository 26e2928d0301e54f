package fake

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

// Resources returns copies of every resource that matches f, in every
// subscription when f.Subscription is empty, sorted by ID ignoring case.
// It is the inspection API for tests: it sees every tenant's resources.
func (c *Cloud) Resources(f flex.Filter) []flex.Resource {
	return c.resources(owner, f)
}

// Count returns how many resources of each type match f (every
// subscription when f.Subscription is empty). Types with none are absent.
func (c *Cloud) Count(f flex.Filter) map[flex.ResourceType]int {
	counts := make(map[flex.ResourceType]int)
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.match(owner, f, func(rec *record) { counts[rec.meta().ID.Type]++ })
	return counts
}

// SetState sets the provisioning state of a resource, bypassing every
// rule: it is for fault layers and tests, to make a resource stuck in
// Creating or Updating, Deleting or Failed. While a resource is Creating,
// Updating or Deleting, Put and actions on it are refused with
// ErrConflict (AnotherOperationInProgress); Delete still works. A Put
// that succeeds sets Succeeded again.
func (c *Cloud) SetState(id flex.ResourceID, s flex.ProvisioningState) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	rec := c.lookupID(id)
	if rec == nil {
		return notFound("SetState", id, lookupType(id.Type))
	}
	rec.meta().State = s
	return nil
}

// SetPowerState sets the power state of a VM without a transition, for
// fault layers and tests (a VM stuck in "starting", say). VMs in starting,
// stopping or deallocating refuse every power action but deallocate with
// ErrConflict. Capacity follows: moving to deallocated gives it back,
// moving out takes it when there is some. Sessions end unless the VM is
// running.
func (c *Cloud) SetPowerState(id flex.ResourceID, ps flex.PowerState) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	rec := c.lookupID(id)
	if rec == nil {
		return notFound("SetPowerState", id, lookupType(id.Type))
	}
	vm, ok := rec.res.(*flex.VirtualMachine)
	if !ok {
		return fail(flex.ErrInvalid, "SetPowerState", id, "InvalidResourceType: %s is not a virtual machine", id.Name)
	}
	switch was, is := allocated(vm.PowerState), allocated(ps); {
	case was && !is:
		c.release(vm.Region, vm.Size)
	case !was && is:
		k := capKey{vm.Region, lower(vm.Size)}
		if n, ok := c.capacity[k]; ok && n > 0 {
			c.capacity[k] = n - 1
		}
	}
	vm.PowerState = ps
	if ps != flex.PowerRunning {
		rec.sessions = nil
		vm.Sessions = 0
	}
	return nil
}

// EphemeralPort is the source port Allowed uses.
const EphemeralPort = 49152

func flowOf(src, dst netip.Addr, proto network.Protocol, port uint16) network.Flow {
	return network.Flow{Protocol: proto, Source: src, SourcePort: EphemeralPort, Destination: dst, DestinationPort: port}
}

// Allowed decides whether traffic from src to port of dst passes the NSGs
// in place, as CheckFlow does, from source port EphemeralPort.
func (c *Cloud) Allowed(src, dst netip.Addr, proto network.Protocol, port uint16) (network.Decision, error) {
	return c.checkFlow(owner, flowOf(src, dst, proto, port))
}

// CheckFlow decides a flow between two private addresses of the cloud with
// Azure's NSG semantics (network.Evaluate). It finds the subnets holding
// f.Source and f.Destination — in the same VNet, in VNets connected by a
// peering in both directions, or spokes of one Virtual WAN hub — and
// evaluates the outbound rules of the source subnet's NSG, then the
// inbound rules of the destination subnet's NSG. The VirtualNetwork
// service tag stands for the VNet's address space, its peered VNets', its
// hub's and the hub's other spokes', and the local networks of its VPN
// connections. f.Direction and f.VirtualNetwork are ignored.
//
// The decision is the first deny, else the inbound allow, else the
// outbound one; a subnet without an NSG filters nothing, and when neither
// has one the decision is Allow with no rule. Addresses in subnets that
// are not connected give Deny with no rule. An address in no subnet is
// ErrNotFound; a pair found in more than one place (unconnected VNets with
// the same ranges) is ErrInvalid: ask a tenant's View, which sees only its
// own.
//
// NSGs on network interfaces, route tables and the effect of a NAT gateway
// are not modelled.
func (c *Cloud) CheckFlow(f network.Flow) (network.Decision, error) {
	return c.checkFlow(owner, f)
}

// nic is where an address is: a subnet of a VNet.
type nic struct {
	vnet   *record
	subnet flex.Subnet
}

func (c *Cloud) checkFlow(v viewer, f network.Flow) (network.Decision, error) {
	const op = "CheckFlow"
	obj := flex.ResourceID{}
	bad := func(kind error, format string, args ...any) (network.Decision, error) {
		return network.Decision{}, &flex.Error{Kind: kind, Op: op, Object: obj.String() + f.String(), Err: fmt.Errorf(format, args...)}
	}
	switch f.Protocol {
	case network.TCP, network.UDP, network.ICMP, network.ESP, network.AH:
	default:
		return bad(flex.ErrInvalid, "a flow has one protocol of Tcp, Udp, Icmp, Esp or Ah, not %v", f.Protocol)
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	srcs, dsts := c.subnetsOf(v, f.Source), c.subnetsOf(v, f.Destination)
	if len(srcs) == 0 {
		return bad(flex.ErrNotFound, "no subnet holds source %s", f.Source)
	}
	if len(dsts) == 0 {
		return bad(flex.ErrNotFound, "no subnet holds destination %s", f.Destination)
	}
	var pairs [][2]nic
	for _, s := range srcs {
		for _, d := range dsts {
			if c.connected(s.vnet, d.vnet) {
				pairs = append(pairs, [2]nic{s, d})
			}
		}
	}
	switch len(pairs) {
	case 0:
		return network.Decision{Access: network.Deny}, nil
	case 1:
	default:
		return bad(flex.ErrInvalid, "the flow is found in %d places (VNets with the same ranges); check it in one tenant's view", len(pairs))
	}
	src, dst := pairs[0][0], pairs[0][1]
	out := network.Decision{Access: network.Allow}
	if rules, ok := c.rulesOf(src.subnet.SecurityGroup); ok {
		g := f
		g.Direction, g.VirtualNetwork = network.Outbound, c.vnetTag(src.vnet)
		out = network.Evaluate(rules, g)
		if !out.Allowed() {
			return out, nil
		}
	}
	if rules, ok := c.rulesOf(dst.subnet.SecurityGroup); ok {
		g := f
		g.Direction, g.VirtualNetwork = network.Inbound, c.vnetTag(dst.vnet)
		return network.Evaluate(rules, g), nil
	}
	return out, nil
}

// rulesOf returns the rules of an NSG, and whether there is one.
func (c *Cloud) rulesOf(nsg flex.ResourceID) ([]network.SecurityRule, bool) {
	if nsg.IsZero() {
		return nil, false
	}
	rec := c.lookupID(nsg)
	if rec == nil {
		return nil, false
	}
	return rec.res.(*flex.SecurityGroup).Rules, true
}

// subnetsOf returns every subnet the viewer sees that holds a.
func (c *Cloud) subnetsOf(v viewer, a netip.Addr) []nic {
	var out []nic
	for _, groups := range c.subs {
		for _, g := range groups {
			if !v.sees(g.rec.res) {
				continue
			}
			for _, rec := range g.res[flex.TypeVirtualNetwork] {
				if !v.sees(rec.res) {
					continue
				}
				for _, s := range rec.res.(*flex.VirtualNetwork).Subnets {
					if s.Prefix.Contains(a) {
						out = append(out, nic{rec, s})
					}
				}
			}
		}
	}
	return out
}

// connected reports whether traffic can go between two VNets: they are
// the same, peered in both directions, or spokes of one hub.
func (c *Cloud) connected(a, b *record) bool {
	if a == b {
		return true
	}
	aID, bID := a.meta().ID, b.meta().ID
	if p := c.reversePeering(bID, aID); p != nil && p.res.(*flex.Peering).Connected {
		return true
	}
	ha, hb := c.hubConnectionOf(aID), c.hubConnectionOf(bID)
	return ha != nil && hb != nil && sameID(peeringParentHub(ha.meta().ID), peeringParentHub(hb.meta().ID))
}

// vnetTag returns the address space the VirtualNetwork service tag stands
// for in a VNet.
func (c *Cloud) vnetTag(rec *record) []netip.Prefix {
	vn := rec.res.(*flex.VirtualNetwork)
	space := slices.Clone(vn.AddressSpace)
	for _, p := range c.children(mustKey(vn.ID), flex.TypePeering) {
		if pr := p.res.(*flex.Peering); pr.Connected {
			if remote := c.lookupID(pr.Remote); remote != nil {
				space = append(space, remote.res.(*flex.VirtualNetwork).AddressSpace...)
			}
		}
	}
	if hc := c.hubConnectionOf(vn.ID); hc != nil {
		hubID := peeringParentHub(hc.meta().ID)
		if hub := c.lookupID(hubID); hub != nil {
			space = append(space, hub.res.(*flex.VirtualHub).AddressSpace)
			for _, other := range c.children(mustKey(hubID), flex.TypeHubConnection) {
				if spoke := c.lookupID(other.res.(*flex.HubConnection).Remote); spoke != nil && spoke != rec {
					space = append(space, spoke.res.(*flex.VirtualNetwork).AddressSpace...)
				}
			}
		}
	}
	if gw := c.gatewayOf(vn.ID); gw != nil {
		c.each(mustKey(vn.ID).sub, flex.TypeVPNConnection, func(conn *record) {
			vc := conn.res.(*flex.VPNConnection)
			if sameID(vc.Gateway, gw.meta().ID) {
				if lg := c.lookupID(vc.Local); lg != nil {
					space = append(space, lg.res.(*flex.LocalGateway).AddressPrefixes...)
				}
			}
		})
	}
	return space
}

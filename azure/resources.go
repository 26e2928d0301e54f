package azure

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/daasflex/daasflex/azure/internal/armconv"
	"github.com/daasflex/daasflex/flex"
)

// Put creates or updates the resource with ARM's PUT (BeginCreateOrUpdate
// and PollUntilDone) and returns it as Azure now holds it. A NAT gateway
// and a VPN gateway get a Standard public IP address named <name>-pip, and
// a virtual machine a network interface named <name>-nic, with the same
// tags.
func (p *Provider) Put(ctx context.Context, r flex.Resource) (flex.Resource, error) {
	if r == nil {
		return nil, &flex.Error{Kind: flex.ErrInvalid, Op: "Put", Err: errorString("nil resource")}
	}
	r = r.Clone()
	id := r.Metadata().ID
	c, err := p.clients(id.Subscription)
	if err != nil {
		return nil, err
	}
	var out flex.Resource
	switch r := r.(type) {
	case *flex.ResourceGroup:
		out, err = p.putGroup(ctx, r)
	case *flex.VirtualNetwork:
		out, err = p.putVNet(ctx, c, r)
	case *flex.SecurityGroup:
		out, err = p.putNSG(ctx, c, r)
	case *flex.RouteTable:
		out, err = p.putRouteTable(ctx, c, r)
	case *flex.NATGateway:
		out, err = p.putNAT(ctx, c, r)
	case *flex.Peering:
		out, err = p.putPeering(ctx, c, r)
	case *flex.VPNGateway:
		out, err = p.putVPNGateway(ctx, c, r)
	case *flex.LocalGateway:
		out, err = p.putLocalGateway(ctx, c, r)
	case *flex.VPNConnection:
		out, err = p.putVPNConnection(ctx, c, r)
	case *flex.VirtualHub:
		out, err = p.putHub(ctx, c, r)
	case *flex.HubConnection:
		out, err = p.putHubConnection(ctx, c, r)
	case *flex.VirtualMachine:
		out, err = p.putVM(ctx, c, r)
	case *flex.Disk:
		out, err = p.putDisk(ctx, c, r)
	case *flex.Snapshot:
		out, err = p.putSnapshot(ctx, c, r)
	case *flex.Image:
		out, err = p.putImage(ctx, c, r)
	case *flex.Key:
		out, err = p.putKey(ctx, r)
	default:
		return nil, invalidf("Put", id, "resource type %T is not one of package flex's", r)
	}
	if err != nil {
		return nil, wrap("Put", id, err)
	}
	return out, nil
}

type errorString string

func (e errorString) Error() string { return string(e) }

// Get returns the resource as Azure holds it, or an ErrNotFound error.
func (p *Provider) Get(ctx context.Context, id flex.ResourceID) (flex.Resource, error) {
	c, err := p.clients(id.Subscription)
	if err != nil {
		return nil, err
	}
	r, err := p.get(ctx, c, id)
	if err != nil {
		return nil, wrap("Get", id, err)
	}
	return r, nil
}

func (p *Provider) get(ctx context.Context, c *clients, id flex.ResourceID) (flex.Resource, error) {
	rg, name := id.ResourceGroup, id.Name
	parent, child, _ := strings.Cut(name, "/")
	switch id.Type {
	case flex.TypeResourceGroup:
		return p.getGroup(ctx, id)
	case flex.TypeVirtualNetwork:
		resp, err := c.vnets.Get(ctx, rg, name, nil)
		if err != nil {
			return nil, err
		}
		return armconv.VirtualNetworkFromARM(id, &resp.VirtualNetwork)
	case flex.TypeSecurityGroup:
		resp, err := c.nsgs.Get(ctx, rg, name, nil)
		if err != nil {
			return nil, err
		}
		return armconv.SecurityGroupFromARM(id, &resp.SecurityGroup)
	case flex.TypeRouteTable:
		resp, err := c.routeTables.Get(ctx, rg, name, nil)
		if err != nil {
			return nil, err
		}
		return armconv.RouteTableFromARM(id, &resp.RouteTable)
	case flex.TypeNATGateway:
		return p.getNAT(ctx, c, id)
	case flex.TypePeering:
		return p.getPeering(ctx, c, id, parent, child)
	case flex.TypeVPNGateway:
		return p.getVPNGateway(ctx, c, id)
	case flex.TypeLocalGateway:
		resp, err := c.locals.Get(ctx, rg, name, nil)
		if err != nil {
			return nil, err
		}
		return armconv.LocalGatewayFromARM(id, &resp.LocalNetworkGateway)
	case flex.TypeVPNConnection:
		resp, err := c.conns.Get(ctx, rg, name, nil)
		if err != nil {
			return nil, err
		}
		return armconv.VPNConnectionFromARM(id, &resp.VirtualNetworkGatewayConnection)
	case flex.TypeVirtualHub:
		resp, err := c.hubs.Get(ctx, rg, name, nil)
		if err != nil {
			return nil, err
		}
		return armconv.VirtualHubFromARM(id, &resp.VirtualHub)
	case flex.TypeHubConnection:
		return p.getHubConnection(ctx, c, id, parent, child)
	case flex.TypeVirtualMachine:
		return p.getVM(ctx, c, id)
	case flex.TypeDisk:
		resp, err := c.disks.Get(ctx, rg, name, nil)
		if err != nil {
			return nil, err
		}
		return armconv.DiskFromARM(id, &resp.Disk)
	case flex.TypeSnapshot:
		resp, err := c.snapshots.Get(ctx, rg, name, nil)
		if err != nil {
			return nil, err
		}
		return armconv.SnapshotFromARM(id, &resp.Snapshot)
	case flex.TypeImage:
		resp, err := c.images.Get(ctx, rg, name, nil)
		if err != nil {
			return nil, err
		}
		return armconv.ImageFromARM(id, &resp.Image)
	case flex.TypeKey:
		return p.getKey(ctx, id)
	}
	return nil, invalidf("Get", id, "resource type %q is not one of package flex's", id.Type)
}

// Delete deletes the resource with ARM's DELETE (BeginDelete and
// PollUntilDone); for a resource group, everything in it. A resource that
// does not exist is already deleted: that succeeds. Deleting a NAT or VPN
// gateway deletes its public IP, and deleting a VM its network interface
// (its OS disk goes with it, as the VM was made to do).
func (p *Provider) Delete(ctx context.Context, id flex.ResourceID) error {
	c, err := p.clients(id.Subscription)
	if err != nil {
		return err
	}
	err = p.delete(ctx, c, id)
	if err != nil && !(isNotFound(err) && id.Type != flex.TypeKey) {
		return wrap("Delete", id, err)
	}
	return nil
}

func (p *Provider) delete(ctx context.Context, c *clients, id flex.ResourceID) error {
	rg, name := id.ResourceGroup, id.Name
	parent, child, _ := strings.Cut(name, "/")
	var err error
	switch id.Type {
	case flex.TypeResourceGroup:
		return p.deleteGroup(ctx, id)
	case flex.TypeVirtualNetwork:
		_, err = wait(c.vnets.BeginDelete(ctx, rg, name, nil)).done(ctx, p)
	case flex.TypeSecurityGroup:
		_, err = wait(c.nsgs.BeginDelete(ctx, rg, name, nil)).done(ctx, p)
	case flex.TypeRouteTable:
		_, err = wait(c.routeTables.BeginDelete(ctx, rg, name, nil)).done(ctx, p)
	case flex.TypeNATGateway:
		if _, err = wait(c.nats.BeginDelete(ctx, rg, name, nil)).done(ctx, p); err == nil {
			_, err = wait(c.pips.BeginDelete(ctx, rg, armconv.PublicIPName(name), nil)).done(ctx, p)
		}
	case flex.TypePeering:
		_, err = wait(c.peerings.BeginDelete(ctx, rg, parent, child, nil)).done(ctx, p)
	case flex.TypeVPNGateway:
		if _, err = wait(c.gateways.BeginDelete(ctx, rg, name, nil)).done(ctx, p); err == nil {
			_, err = wait(c.pips.BeginDelete(ctx, rg, armconv.PublicIPName(name), nil)).done(ctx, p)
		}
	case flex.TypeLocalGateway:
		_, err = wait(c.locals.BeginDelete(ctx, rg, name, nil)).done(ctx, p)
	case flex.TypeVPNConnection:
		_, err = wait(c.conns.BeginDelete(ctx, rg, name, nil)).done(ctx, p)
	case flex.TypeVirtualHub:
		_, err = wait(c.hubs.BeginDelete(ctx, rg, name, nil)).done(ctx, p)
	case flex.TypeHubConnection:
		_, err = wait(c.hubConns.BeginDelete(ctx, rg, parent, child, nil)).done(ctx, p)
	case flex.TypeVirtualMachine:
		if _, err = wait(c.vms.BeginDelete(ctx, rg, name, nil)).done(ctx, p); err == nil || isNotFound(err) {
			_, err = wait(c.nics.BeginDelete(ctx, rg, armconv.NICName(name), nil)).done(ctx, p)
		}
	case flex.TypeDisk:
		_, err = wait(c.disks.BeginDelete(ctx, rg, name, nil)).done(ctx, p)
	case flex.TypeSnapshot:
		_, err = wait(c.snapshots.BeginDelete(ctx, rg, name, nil)).done(ctx, p)
	case flex.TypeImage:
		_, err = wait(c.images.BeginDelete(ctx, rg, name, nil)).done(ctx, p)
	case flex.TypeKey:
		return p.deleteKey(ctx, id)
	default:
		return invalidf("Delete", id, "resource type %q is not one of package flex's", id.Type)
	}
	return err
}

// List returns the resources of f.Subscription that match the filter,
// sorted by ID ignoring case. It lists resource groups (or the one the
// filter names) and then every type the filter asks for in each, draining
// every pager.
func (p *Provider) List(ctx context.Context, f flex.Filter) ([]flex.Resource, error) {
	obj := "subscription " + f.Subscription
	if f.Subscription == "" {
		return nil, &flex.Error{Kind: flex.ErrInvalid, Op: "List", Err: errorString("the filter needs a subscription")}
	}
	c, err := p.clients(f.Subscription)
	if err != nil {
		return nil, err
	}
	var groups []*flex.ResourceGroup
	if f.ResourceGroup != "" {
		g, err := p.getGroup(ctx, flex.GroupID(f.Subscription, f.ResourceGroup))
		switch {
		case isNotFound(err):
			return nil, nil
		case err != nil:
			return nil, wrap("List", flex.GroupID(f.Subscription, f.ResourceGroup), err)
		}
		groups = append(groups, g)
	} else if groups, err = p.listGroups(ctx, f.Subscription); err != nil {
		return nil, wrapObj("List", obj, err)
	}
	var out []flex.Resource
	keep := func(r flex.Resource) {
		if f.Matches(r) {
			out = append(out, r)
		}
	}
	for _, t := range armconv.Types {
		if f.Type != "" && !strings.EqualFold(string(f.Type), string(t)) {
			continue
		}
		for _, g := range groups {
			if t == flex.TypeResourceGroup {
				keep(g)
				continue
			}
			rs, err := p.listType(ctx, c, g.ID, t)
			if err != nil {
				return nil, wrap("List", g.ID, err)
			}
			for _, r := range rs {
				keep(r)
			}
		}
	}
	slices.SortFunc(out, func(a, b flex.Resource) int {
		return cmp.Compare(strings.ToLower(a.Metadata().ID.String()), strings.ToLower(b.Metadata().ID.String()))
	})
	return out, nil
}

func wrapObj(op, object string, err error) error {
	e := wrap(op, flex.ResourceID{}, err)
	if fe, ok := e.(*flex.Error); ok && fe.Object == "" {
		fe.Object = object
	}
	return e
}

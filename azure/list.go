package azure

import (
	"context"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/daasflex/daasflex/azure/internal/armconv"
	"github.com/daasflex/daasflex/flex"
)

// drain reads every page of a pager.
func drain[T, V any](ctx context.Context, pager *runtime.Pager[T], items func(T) []*V) ([]*V, error) {
	var out []*V
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, items(page)...)
	}
	return out, nil
}

// convert converts every model with from, the resource's ID parsed from
// the model's.
func convert[V any](ms []*V, idOf func(*V) *string, from func(flex.ResourceID, *V) (flex.Resource, error)) ([]flex.Resource, error) {
	out := make([]flex.Resource, 0, len(ms))
	for _, m := range ms {
		id, err := armconv.ParseID(idOf(m))
		if err != nil {
			return nil, err
		}
		r, err := from(id, m)
		switch {
		case isNotFound(err):
			continue // deleted while listed: a resource it needs is gone
		case err != nil:
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func lift[V any, R flex.Resource](f func(flex.ResourceID, *V) (R, error)) func(flex.ResourceID, *V) (flex.Resource, error) {
	return func(id flex.ResourceID, m *V) (flex.Resource, error) { return f(id, m) }
}

// listType lists the resources of type t in resource group g.
func (p *Provider) listType(ctx context.Context, c *clients, g flex.ResourceID, t flex.ResourceType) ([]flex.Resource, error) {
	rg := g.Name
	switch t {
	case flex.TypeVirtualNetwork:
		ms, err := p.listVNets(ctx, c, rg)
		if err != nil {
			return nil, err
		}
		return convert(ms, func(m *armnetwork.VirtualNetwork) *string { return m.ID }, lift(armconv.VirtualNetworkFromARM))
	case flex.TypeSecurityGroup:
		ms, err := drain(ctx, c.nsgs.NewListPager(rg, nil), func(p armnetwork.SecurityGroupsClientListResponse) []*armnetwork.SecurityGroup { return p.Value })
		if err != nil {
			return nil, err
		}
		return convert(ms, func(m *armnetwork.SecurityGroup) *string { return m.ID }, lift(armconv.SecurityGroupFromARM))
	case flex.TypeRouteTable:
		ms, err := drain(ctx, c.routeTables.NewListPager(rg, nil), func(p armnetwork.RouteTablesClientListResponse) []*armnetwork.RouteTable { return p.Value })
		if err != nil {
			return nil, err
		}
		return convert(ms, func(m *armnetwork.RouteTable) *string { return m.ID }, lift(armconv.RouteTableFromARM))
	case flex.TypeNATGateway:
		ms, err := drain(ctx, c.nats.NewListPager(rg, nil), func(p armnetwork.NatGatewaysClientListResponse) []*armnetwork.NatGateway { return p.Value })
		if err != nil {
			return nil, err
		}
		return convert(ms, func(m *armnetwork.NatGateway) *string { return m.ID }, func(id flex.ResourceID, m *armnetwork.NatGateway) (flex.Resource, error) {
			return p.natFromARM(ctx, c, id, m)
		})
	case flex.TypePeering:
		vnets, err := p.listVNets(ctx, c, rg)
		if err != nil {
			return nil, err
		}
		var out []flex.Resource
		for _, v := range vnets {
			name, region := deref(v.Name), deref(v.Location)
			ms, err := drain(ctx, c.peerings.NewListPager(rg, name, nil), func(p armnetwork.VirtualNetworkPeeringsClientListResponse) []*armnetwork.VirtualNetworkPeering {
				return p.Value
			})
			if isNotFound(err) {
				continue // the VNet was deleted while listed
			}
			if err != nil {
				return nil, err
			}
			for _, m := range ms {
				id := flex.ResourceID{Subscription: g.Subscription, ResourceGroup: rg, Type: flex.TypePeering, Name: name + "/" + deref(m.Name)}
				r, err := armconv.PeeringFromARM(id, regionOf(region), m)
				if err != nil {
					return nil, err
				}
				out = append(out, r)
			}
		}
		return out, nil
	case flex.TypeVPNGateway:
		ms, err := drain(ctx, c.gateways.NewListPager(rg, nil), func(p armnetwork.VirtualNetworkGatewaysClientListResponse) []*armnetwork.VirtualNetworkGateway {
			return p.Value
		})
		if err != nil {
			return nil, err
		}
		return convert(ms, func(m *armnetwork.VirtualNetworkGateway) *string { return m.ID }, func(id flex.ResourceID, m *armnetwork.VirtualNetworkGateway) (flex.Resource, error) {
			return p.gatewayFromARM(ctx, c, id, m)
		})
	case flex.TypeLocalGateway:
		ms, err := drain(ctx, c.locals.NewListPager(rg, nil), func(p armnetwork.LocalNetworkGatewaysClientListResponse) []*armnetwork.LocalNetworkGateway {
			return p.Value
		})
		if err != nil {
			return nil, err
		}
		return convert(ms, func(m *armnetwork.LocalNetworkGateway) *string { return m.ID }, lift(armconv.LocalGatewayFromARM))
	case flex.TypeVPNConnection:
		ms, err := drain(ctx, c.conns.NewListPager(rg, nil), func(p armnetwork.VirtualNetworkGatewayConnectionsClientListResponse) []*armnetwork.VirtualNetworkGatewayConnection {
			return p.Value
		})
		if err != nil {
			return nil, err
		}
		return convert(ms, func(m *armnetwork.VirtualNetworkGatewayConnection) *string { return m.ID }, lift(armconv.VPNConnectionFromARM))
	case flex.TypeVirtualHub:
		ms, err := p.listHubs(ctx, c, rg)
		if err != nil {
			return nil, err
		}
		return convert(ms, func(m *armnetwork.VirtualHub) *string { return m.ID }, lift(armconv.VirtualHubFromARM))
	case flex.TypeHubConnection:
		hubs, err := p.listHubs(ctx, c, rg)
		if err != nil {
			return nil, err
		}
		var out []flex.Resource
		for _, h := range hubs {
			name, region := deref(h.Name), deref(h.Location)
			ms, err := drain(ctx, c.hubConns.NewListPager(rg, name, nil), func(p armnetwork.HubVirtualNetworkConnectionsClientListResponse) []*armnetwork.HubVirtualNetworkConnection {
				return p.Value
			})
			if isNotFound(err) {
				continue // the hub was deleted while listed
			}
			if err != nil {
				return nil, err
			}
			for _, m := range ms {
				id := flex.ResourceID{Subscription: g.Subscription, ResourceGroup: rg, Type: flex.TypeHubConnection, Name: name + "/" + deref(m.Name)}
				r, err := armconv.HubConnectionFromARM(id, regionOf(region), m)
				if err != nil {
					return nil, err
				}
				out = append(out, r)
			}
		}
		return out, nil
	case flex.TypeVirtualMachine:
		return p.listVMs(ctx, c, rg)
	case flex.TypeDisk:
		ms, err := drain(ctx, c.disks.NewListByResourceGroupPager(rg, nil), func(p armcompute.DisksClientListByResourceGroupResponse) []*armcompute.Disk { return p.Value })
		if err != nil {
			return nil, err
		}
		return convert(ms, func(m *armcompute.Disk) *string { return m.ID }, lift(armconv.DiskFromARM))
	case flex.TypeSnapshot:
		ms, err := drain(ctx, c.snapshots.NewListByResourceGroupPager(rg, nil), func(p armcompute.SnapshotsClientListByResourceGroupResponse) []*armcompute.Snapshot {
			return p.Value
		})
		if err != nil {
			return nil, err
		}
		return convert(ms, func(m *armcompute.Snapshot) *string { return m.ID }, lift(armconv.SnapshotFromARM))
	case flex.TypeImage:
		ms, err := drain(ctx, c.images.NewListByResourceGroupPager(rg, nil), func(p armcompute.ImagesClientListByResourceGroupResponse) []*armcompute.Image { return p.Value })
		if err != nil {
			return nil, err
		}
		return convert(ms, func(m *armcompute.Image) *string { return m.ID }, lift(armconv.ImageFromARM))
	case flex.TypeKey:
		return p.listKeys(ctx, g)
	}
	return nil, nil
}

func (p *Provider) listVNets(ctx context.Context, c *clients, rg string) ([]*armnetwork.VirtualNetwork, error) {
	return drain(ctx, c.vnets.NewListPager(rg, nil), func(p armnetwork.VirtualNetworksClientListResponse) []*armnetwork.VirtualNetwork { return p.Value })
}

func (p *Provider) listHubs(ctx context.Context, c *clients, rg string) ([]*armnetwork.VirtualHub, error) {
	return drain(ctx, c.hubs.NewListByResourceGroupPager(rg, nil), func(p armnetwork.VirtualHubsClientListByResourceGroupResponse) []*armnetwork.VirtualHub {
		return p.Value
	})
}

// listVMs lists the VMs of a resource group with their instance views,
// and their network interfaces in one more listing.
func (p *Provider) listVMs(ctx context.Context, c *clients, rg string) ([]flex.Resource, error) {
	expand := armcompute.ExpandTypeForListVMsInstanceView
	ms, err := drain(ctx, c.vms.NewListPager(rg, &armcompute.VirtualMachinesClientListOptions{Expand: &expand}), func(p armcompute.VirtualMachinesClientListResponse) []*armcompute.VirtualMachine {
		return p.Value
	})
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	nics, err := drain(ctx, c.nics.NewListPager(rg, nil), func(p armnetwork.InterfacesClientListResponse) []*armnetwork.Interface { return p.Value })
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*armnetwork.Interface, len(nics))
	for _, n := range nics {
		byID[strings.ToLower(deref(n.ID))] = n
	}
	out := make([]flex.Resource, 0, len(ms))
	for _, m := range ms {
		id, err := armconv.ParseID(m.ID)
		if err != nil {
			return nil, err
		}
		vm, err := armconv.VirtualMachineFromARM(id, m)
		if err != nil {
			return nil, err
		}
		nicID := strings.ToLower(armconv.VirtualMachineNICID(m))
		nic := byID[nicID]
		if nic == nil && nicID != "" {
			// Not in the group's listing (another group): read it.
			nid, err := armconv.ParseID(&nicID)
			if err != nil {
				return nil, err
			}
			resp, err := c.nics.Get(ctx, nid.ResourceGroup, nid.Name, nil)
			if isNotFound(err) {
				continue // the VM was deleted, and its NIC with it, while listed
			}
			if err != nil {
				return nil, err
			}
			nic = &resp.Interface
		}
		if nic != nil {
			if err := setNIC(vm, nic); err != nil {
				return nil, err
			}
		}
		out = append(out, vm)
	}
	return out, nil
}

package azure

import (
	"context"
	"net/netip"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/daasflex/daasflex/azure/internal/armconv"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

func (p *Provider) putVNet(ctx context.Context, c *clients, r *flex.VirtualNetwork) (flex.Resource, error) {
	resp, err := wait(c.vnets.BeginCreateOrUpdate(ctx, r.ID.ResourceGroup, r.ID.Name, *armconv.VirtualNetworkToARM(r), nil)).done(ctx, p)
	if err != nil {
		return nil, err
	}
	return armconv.VirtualNetworkFromARM(r.ID, &resp.VirtualNetwork)
}

func (p *Provider) putNSG(ctx context.Context, c *clients, r *flex.SecurityGroup) (flex.Resource, error) {
	resp, err := wait(c.nsgs.BeginCreateOrUpdate(ctx, r.ID.ResourceGroup, r.ID.Name, *armconv.SecurityGroupToARM(r), nil)).done(ctx, p)
	if err != nil {
		return nil, err
	}
	return armconv.SecurityGroupFromARM(r.ID, &resp.SecurityGroup)
}

func (p *Provider) putRouteTable(ctx context.Context, c *clients, r *flex.RouteTable) (flex.Resource, error) {
	resp, err := wait(c.routeTables.BeginCreateOrUpdate(ctx, r.ID.ResourceGroup, r.ID.Name, *armconv.RouteTableToARM(r), nil)).done(ctx, p)
	if err != nil {
		return nil, err
	}
	return armconv.RouteTableFromARM(r.ID, &resp.RouteTable)
}

// putPublicIP makes (or keeps) the Standard static public IP address of a
// NAT or VPN gateway and returns its ID.
func (p *Provider) putPublicIP(ctx context.Context, c *clients, owner *flex.Meta) (string, error) {
	name := armconv.PublicIPName(owner.ID.Name)
	resp, err := wait(c.pips.BeginCreateOrUpdate(ctx, owner.ID.ResourceGroup, name, *armconv.PublicIPToARM(*owner, ""), nil)).done(ctx, p)
	if err != nil {
		return "", err
	}
	if resp.ID != nil {
		return *resp.ID, nil
	}
	pip := flex.ResourceID{Subscription: owner.ID.Subscription, ResourceGroup: owner.ID.ResourceGroup, Type: "Microsoft.Network/publicIPAddresses", Name: name}
	return pip.String(), nil
}

// publicIP reads the address of the public IP resource with ARM ID id.
func (p *Provider) publicIP(ctx context.Context, c *clients, id string) (netip.Addr, error) {
	if id == "" {
		return netip.Addr{}, nil
	}
	rid, err := armconv.ParseID(&id)
	if err != nil {
		return netip.Addr{}, err
	}
	resp, err := c.pips.Get(ctx, rid.ResourceGroup, rid.Name, nil)
	if err != nil {
		return netip.Addr{}, err
	}
	return armconv.PublicIPAddress(&resp.PublicIPAddress)
}

func (p *Provider) putNAT(ctx context.Context, c *clients, r *flex.NATGateway) (flex.Resource, error) {
	pip, err := p.putPublicIP(ctx, c, &r.Meta)
	if err != nil {
		return nil, err
	}
	resp, err := wait(c.nats.BeginCreateOrUpdate(ctx, r.ID.ResourceGroup, r.ID.Name, *armconv.NATGatewayToARM(r, pip), nil)).done(ctx, p)
	if err != nil {
		return nil, err
	}
	return p.natFromARM(ctx, c, r.ID, &resp.NatGateway)
}

func (p *Provider) natFromARM(ctx context.Context, c *clients, id flex.ResourceID, m *armnetwork.NatGateway) (*flex.NATGateway, error) {
	ip, err := p.publicIP(ctx, c, armconv.NATPublicIPID(m))
	if err != nil {
		return nil, err
	}
	return armconv.NATGatewayFromARM(id, m, ip)
}

func (p *Provider) getNAT(ctx context.Context, c *clients, id flex.ResourceID) (flex.Resource, error) {
	resp, err := c.nats.Get(ctx, id.ResourceGroup, id.Name, nil)
	if err != nil {
		return nil, err
	}
	return p.natFromARM(ctx, c, id, &resp.NatGateway)
}

// vnetRegion returns the region of a VNet, which a peering has no field
// for.
func (p *Provider) vnetRegion(ctx context.Context, c *clients, rg, name string) (network.Region, error) {
	resp, err := c.vnets.Get(ctx, rg, name, nil)
	if err != nil {
		return "", err
	}
	return network.Region(deref(resp.Location)), nil
}

func (p *Provider) putPeering(ctx context.Context, c *clients, r *flex.Peering) (flex.Resource, error) {
	parent, child := splitChild(r.ID.Name)
	if child == "" {
		return nil, invalidf("Put", r.ID, "a peering's name is vnet/peering, not %q", r.ID.Name)
	}
	resp, err := wait(c.peerings.BeginCreateOrUpdate(ctx, r.ID.ResourceGroup, parent, child, *armconv.PeeringToARM(r), nil)).done(ctx, p)
	if err != nil {
		return nil, err
	}
	region := r.Region
	if region == "" {
		if region, err = p.vnetRegion(ctx, c, r.ID.ResourceGroup, parent); err != nil {
			return nil, err
		}
	}
	return armconv.PeeringFromARM(r.ID, region, &resp.VirtualNetworkPeering)
}

func (p *Provider) getPeering(ctx context.Context, c *clients, id flex.ResourceID, parent, child string) (flex.Resource, error) {
	if child == "" {
		return nil, invalidf("Get", id, "a peering's name is vnet/peering, not %q", id.Name)
	}
	resp, err := c.peerings.Get(ctx, id.ResourceGroup, parent, child, nil)
	if err != nil {
		return nil, err
	}
	region, err := p.vnetRegion(ctx, c, id.ResourceGroup, parent)
	if err != nil {
		return nil, err
	}
	return armconv.PeeringFromARM(id, region, &resp.VirtualNetworkPeering)
}

func (p *Provider) putVPNGateway(ctx context.Context, c *clients, r *flex.VPNGateway) (flex.Resource, error) {
	pip, err := p.putPublicIP(ctx, c, &r.Meta)
	if err != nil {
		return nil, err
	}
	resp, err := wait(c.gateways.BeginCreateOrUpdate(ctx, r.ID.ResourceGroup, r.ID.Name, *armconv.VPNGatewayToARM(r, pip), nil)).done(ctx, p)
	if err != nil {
		return nil, err
	}
	return p.gatewayFromARM(ctx, c, r.ID, &resp.VirtualNetworkGateway)
}

func (p *Provider) gatewayFromARM(ctx context.Context, c *clients, id flex.ResourceID, m *armnetwork.VirtualNetworkGateway) (*flex.VPNGateway, error) {
	ip, err := p.publicIP(ctx, c, armconv.VPNGatewayPublicIPID(m))
	if err != nil {
		return nil, err
	}
	return armconv.VPNGatewayFromARM(id, m, ip)
}

func (p *Provider) getVPNGateway(ctx context.Context, c *clients, id flex.ResourceID) (flex.Resource, error) {
	resp, err := c.gateways.Get(ctx, id.ResourceGroup, id.Name, nil)
	if err != nil {
		return nil, err
	}
	return p.gatewayFromARM(ctx, c, id, &resp.VirtualNetworkGateway)
}

func (p *Provider) putLocalGateway(ctx context.Context, c *clients, r *flex.LocalGateway) (flex.Resource, error) {
	resp, err := wait(c.locals.BeginCreateOrUpdate(ctx, r.ID.ResourceGroup, r.ID.Name, *armconv.LocalGatewayToARM(r), nil)).done(ctx, p)
	if err != nil {
		return nil, err
	}
	return armconv.LocalGatewayFromARM(r.ID, &resp.LocalNetworkGateway)
}

func (p *Provider) putVPNConnection(ctx context.Context, c *clients, r *flex.VPNConnection) (flex.Resource, error) {
	resp, err := wait(c.conns.BeginCreateOrUpdate(ctx, r.ID.ResourceGroup, r.ID.Name, *armconv.VPNConnectionToARM(r), nil)).done(ctx, p)
	if err != nil {
		return nil, err
	}
	return armconv.VPNConnectionFromARM(r.ID, &resp.VirtualNetworkGatewayConnection)
}

func (p *Provider) putHub(ctx context.Context, c *clients, r *flex.VirtualHub) (flex.Resource, error) {
	resp, err := wait(c.hubs.BeginCreateOrUpdate(ctx, r.ID.ResourceGroup, r.ID.Name, *armconv.VirtualHubToARM(r), nil)).done(ctx, p)
	if err != nil {
		return nil, err
	}
	return armconv.VirtualHubFromARM(r.ID, &resp.VirtualHub)
}

func (p *Provider) hubRegion(ctx context.Context, c *clients, rg, name string) (network.Region, error) {
	resp, err := c.hubs.Get(ctx, rg, name, nil)
	if err != nil {
		return "", err
	}
	return network.Region(deref(resp.Location)), nil
}

func (p *Provider) putHubConnection(ctx context.Context, c *clients, r *flex.HubConnection) (flex.Resource, error) {
	parent, child := splitChild(r.ID.Name)
	if child == "" {
		return nil, invalidf("Put", r.ID, "a hub connection's name is hub/connection, not %q", r.ID.Name)
	}
	resp, err := wait(c.hubConns.BeginCreateOrUpdate(ctx, r.ID.ResourceGroup, parent, child, *armconv.HubConnectionToARM(r), nil)).done(ctx, p)
	if err != nil {
		return nil, err
	}
	region := r.Region
	if region == "" {
		if region, err = p.hubRegion(ctx, c, r.ID.ResourceGroup, parent); err != nil {
			return nil, err
		}
	}
	return armconv.HubConnectionFromARM(r.ID, region, &resp.HubVirtualNetworkConnection)
}

func (p *Provider) getHubConnection(ctx context.Context, c *clients, id flex.ResourceID, parent, child string) (flex.Resource, error) {
	if child == "" {
		return nil, invalidf("Get", id, "a hub connection's name is hub/connection, not %q", id.Name)
	}
	resp, err := c.hubConns.Get(ctx, id.ResourceGroup, parent, child, nil)
	if err != nil {
		return nil, err
	}
	region, err := p.hubRegion(ctx, c, id.ResourceGroup, parent)
	if err != nil {
		return nil, err
	}
	return armconv.HubConnectionFromARM(id, region, &resp.HubVirtualNetworkConnection)
}

// ResetVPNGateway resets a VPN gateway with VirtualNetworkGateways'
// BeginReset (NET-10).
func (p *Provider) ResetVPNGateway(ctx context.Context, gateway flex.ResourceID) error {
	const op = "ResetVPNGateway"
	if gateway.Type != flex.TypeVPNGateway {
		return invalidf(op, gateway, "%s is not a VPN gateway", gateway.Type)
	}
	c, err := p.clients(gateway.Subscription)
	if err != nil {
		return err
	}
	_, err = wait(c.gateways.BeginReset(ctx, gateway.ResourceGroup, gateway.Name, nil)).done(ctx, p)
	return wrap(op, gateway, err)
}

func deref[T any](v *T) T {
	if v == nil {
		var zero T
		return zero
	}
	return *v
}

func splitChild(name string) (parent, child string) {
	for i := 0; i < len(name); i++ {
		if name[i] == '/' {
			return name[:i], name[i+1:]
		}
	}
	return name, ""
}

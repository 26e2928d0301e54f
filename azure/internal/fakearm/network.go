package fakearm

import (
	"context"

	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	nfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9/fake"

	"github.com/daasflex/daasflex/flex"
)

// TypePublicIP and TypeNIC are the ARM types of the public IP addresses
// and network interfaces the provider makes; package flex has no type for
// them.
const (
	TypePublicIP flex.ResourceType = "Microsoft.Network/publicIPAddresses"
	TypeNIC      flex.ResourceType = "Microsoft.Network/networkInterfaces"
)

func networkTransport(b Backend, sub string) policy.Transporter {
	id := func(rg string, t flex.ResourceType, name string) flex.ResourceID { return rid(sub, rg, t, name) }
	group := func(rg string) flex.ResourceID { return flex.GroupID(sub, rg) }
	child := func(rg, parent, name string, t flex.ResourceType) flex.ResourceID {
		return rid(sub, rg, t, parent+"/"+name)
	}
	f := &nfake.ServerFactory{
		VirtualNetworksServer: nfake.VirtualNetworksServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, m armnetwork.VirtualNetwork, _ *armnetwork.VirtualNetworksClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armnetwork.VirtualNetworksClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, id(rg, flex.TypeVirtualNetwork, name), m, func(m armnetwork.VirtualNetwork) armnetwork.VirtualNetworksClientCreateOrUpdateResponse {
					return armnetwork.VirtualNetworksClientCreateOrUpdateResponse{VirtualNetwork: m}
				})
			},
			Get: func(ctx context.Context, rg, name string, _ *armnetwork.VirtualNetworksClientGetOptions) (azfake.Responder[armnetwork.VirtualNetworksClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, id(rg, flex.TypeVirtualNetwork, name), func(m armnetwork.VirtualNetwork) armnetwork.VirtualNetworksClientGetResponse {
					return armnetwork.VirtualNetworksClientGetResponse{VirtualNetwork: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armnetwork.VirtualNetworksClientBeginDeleteOptions) (azfake.PollerResponder[armnetwork.VirtualNetworksClientDeleteResponse], azfake.ErrorResponder) {
				return del[armnetwork.VirtualNetworksClientDeleteResponse](ctx, b, id(rg, flex.TypeVirtualNetwork, name))
			},
			NewListPager: func(rg string, _ *armnetwork.VirtualNetworksClientListOptions) azfake.PagerResponder[armnetwork.VirtualNetworksClientListResponse] {
				return list(b, group(rg), flex.TypeVirtualNetwork, func(v []*armnetwork.VirtualNetwork) armnetwork.VirtualNetworksClientListResponse {
					return armnetwork.VirtualNetworksClientListResponse{VirtualNetworkListResult: armnetwork.VirtualNetworkListResult{Value: v}}
				})
			},
		},
		SecurityGroupsServer: nfake.SecurityGroupsServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, m armnetwork.SecurityGroup, _ *armnetwork.SecurityGroupsClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armnetwork.SecurityGroupsClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, id(rg, flex.TypeSecurityGroup, name), m, func(m armnetwork.SecurityGroup) armnetwork.SecurityGroupsClientCreateOrUpdateResponse {
					return armnetwork.SecurityGroupsClientCreateOrUpdateResponse{SecurityGroup: m}
				})
			},
			Get: func(ctx context.Context, rg, name string, _ *armnetwork.SecurityGroupsClientGetOptions) (azfake.Responder[armnetwork.SecurityGroupsClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, id(rg, flex.TypeSecurityGroup, name), func(m armnetwork.SecurityGroup) armnetwork.SecurityGroupsClientGetResponse {
					return armnetwork.SecurityGroupsClientGetResponse{SecurityGroup: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armnetwork.SecurityGroupsClientBeginDeleteOptions) (azfake.PollerResponder[armnetwork.SecurityGroupsClientDeleteResponse], azfake.ErrorResponder) {
				return del[armnetwork.SecurityGroupsClientDeleteResponse](ctx, b, id(rg, flex.TypeSecurityGroup, name))
			},
			NewListPager: func(rg string, _ *armnetwork.SecurityGroupsClientListOptions) azfake.PagerResponder[armnetwork.SecurityGroupsClientListResponse] {
				return list(b, group(rg), flex.TypeSecurityGroup, func(v []*armnetwork.SecurityGroup) armnetwork.SecurityGroupsClientListResponse {
					return armnetwork.SecurityGroupsClientListResponse{SecurityGroupListResult: armnetwork.SecurityGroupListResult{Value: v}}
				})
			},
		},
		RouteTablesServer: nfake.RouteTablesServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, m armnetwork.RouteTable, _ *armnetwork.RouteTablesClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armnetwork.RouteTablesClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, id(rg, flex.TypeRouteTable, name), m, func(m armnetwork.RouteTable) armnetwork.RouteTablesClientCreateOrUpdateResponse {
					return armnetwork.RouteTablesClientCreateOrUpdateResponse{RouteTable: m}
				})
			},
			Get: func(ctx context.Context, rg, name string, _ *armnetwork.RouteTablesClientGetOptions) (azfake.Responder[armnetwork.RouteTablesClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, id(rg, flex.TypeRouteTable, name), func(m armnetwork.RouteTable) armnetwork.RouteTablesClientGetResponse {
					return armnetwork.RouteTablesClientGetResponse{RouteTable: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armnetwork.RouteTablesClientBeginDeleteOptions) (azfake.PollerResponder[armnetwork.RouteTablesClientDeleteResponse], azfake.ErrorResponder) {
				return del[armnetwork.RouteTablesClientDeleteResponse](ctx, b, id(rg, flex.TypeRouteTable, name))
			},
			NewListPager: func(rg string, _ *armnetwork.RouteTablesClientListOptions) azfake.PagerResponder[armnetwork.RouteTablesClientListResponse] {
				return list(b, group(rg), flex.TypeRouteTable, func(v []*armnetwork.RouteTable) armnetwork.RouteTablesClientListResponse {
					return armnetwork.RouteTablesClientListResponse{RouteTableListResult: armnetwork.RouteTableListResult{Value: v}}
				})
			},
		},
		NatGatewaysServer: nfake.NatGatewaysServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, m armnetwork.NatGateway, _ *armnetwork.NatGatewaysClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armnetwork.NatGatewaysClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, id(rg, flex.TypeNATGateway, name), m, func(m armnetwork.NatGateway) armnetwork.NatGatewaysClientCreateOrUpdateResponse {
					return armnetwork.NatGatewaysClientCreateOrUpdateResponse{NatGateway: m}
				})
			},
			Get: func(ctx context.Context, rg, name string, _ *armnetwork.NatGatewaysClientGetOptions) (azfake.Responder[armnetwork.NatGatewaysClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, id(rg, flex.TypeNATGateway, name), func(m armnetwork.NatGateway) armnetwork.NatGatewaysClientGetResponse {
					return armnetwork.NatGatewaysClientGetResponse{NatGateway: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armnetwork.NatGatewaysClientBeginDeleteOptions) (azfake.PollerResponder[armnetwork.NatGatewaysClientDeleteResponse], azfake.ErrorResponder) {
				return del[armnetwork.NatGatewaysClientDeleteResponse](ctx, b, id(rg, flex.TypeNATGateway, name))
			},
			NewListPager: func(rg string, _ *armnetwork.NatGatewaysClientListOptions) azfake.PagerResponder[armnetwork.NatGatewaysClientListResponse] {
				return list(b, group(rg), flex.TypeNATGateway, func(v []*armnetwork.NatGateway) armnetwork.NatGatewaysClientListResponse {
					return armnetwork.NatGatewaysClientListResponse{NatGatewayListResult: armnetwork.NatGatewayListResult{Value: v}}
				})
			},
		},
		PublicIPAddressesServer: nfake.PublicIPAddressesServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, m armnetwork.PublicIPAddress, _ *armnetwork.PublicIPAddressesClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armnetwork.PublicIPAddressesClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, id(rg, TypePublicIP, name), m, func(m armnetwork.PublicIPAddress) armnetwork.PublicIPAddressesClientCreateOrUpdateResponse {
					return armnetwork.PublicIPAddressesClientCreateOrUpdateResponse{PublicIPAddress: m}
				})
			},
			Get: func(ctx context.Context, rg, name string, _ *armnetwork.PublicIPAddressesClientGetOptions) (azfake.Responder[armnetwork.PublicIPAddressesClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, id(rg, TypePublicIP, name), func(m armnetwork.PublicIPAddress) armnetwork.PublicIPAddressesClientGetResponse {
					return armnetwork.PublicIPAddressesClientGetResponse{PublicIPAddress: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armnetwork.PublicIPAddressesClientBeginDeleteOptions) (azfake.PollerResponder[armnetwork.PublicIPAddressesClientDeleteResponse], azfake.ErrorResponder) {
				return del[armnetwork.PublicIPAddressesClientDeleteResponse](ctx, b, id(rg, TypePublicIP, name))
			},
		},
		InterfacesServer: nfake.InterfacesServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, m armnetwork.Interface, _ *armnetwork.InterfacesClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armnetwork.InterfacesClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, id(rg, TypeNIC, name), m, func(m armnetwork.Interface) armnetwork.InterfacesClientCreateOrUpdateResponse {
					return armnetwork.InterfacesClientCreateOrUpdateResponse{Interface: m}
				})
			},
			Get: func(ctx context.Context, rg, name string, _ *armnetwork.InterfacesClientGetOptions) (azfake.Responder[armnetwork.InterfacesClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, id(rg, TypeNIC, name), func(m armnetwork.Interface) armnetwork.InterfacesClientGetResponse {
					return armnetwork.InterfacesClientGetResponse{Interface: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armnetwork.InterfacesClientBeginDeleteOptions) (azfake.PollerResponder[armnetwork.InterfacesClientDeleteResponse], azfake.ErrorResponder) {
				return del[armnetwork.InterfacesClientDeleteResponse](ctx, b, id(rg, TypeNIC, name))
			},
			NewListPager: func(rg string, _ *armnetwork.InterfacesClientListOptions) azfake.PagerResponder[armnetwork.InterfacesClientListResponse] {
				return list(b, group(rg), TypeNIC, func(v []*armnetwork.Interface) armnetwork.InterfacesClientListResponse {
					return armnetwork.InterfacesClientListResponse{InterfaceListResult: armnetwork.InterfaceListResult{Value: v}}
				})
			},
		},
		VirtualNetworkPeeringsServer: nfake.VirtualNetworkPeeringsServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, vnet, name string, m armnetwork.VirtualNetworkPeering, _ *armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armnetwork.VirtualNetworkPeeringsClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, child(rg, vnet, name, flex.TypePeering), m, func(m armnetwork.VirtualNetworkPeering) armnetwork.VirtualNetworkPeeringsClientCreateOrUpdateResponse {
					return armnetwork.VirtualNetworkPeeringsClientCreateOrUpdateResponse{VirtualNetworkPeering: m}
				})
			},
			Get: func(ctx context.Context, rg, vnet, name string, _ *armnetwork.VirtualNetworkPeeringsClientGetOptions) (azfake.Responder[armnetwork.VirtualNetworkPeeringsClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, child(rg, vnet, name, flex.TypePeering), func(m armnetwork.VirtualNetworkPeering) armnetwork.VirtualNetworkPeeringsClientGetResponse {
					return armnetwork.VirtualNetworkPeeringsClientGetResponse{VirtualNetworkPeering: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, vnet, name string, _ *armnetwork.VirtualNetworkPeeringsClientBeginDeleteOptions) (azfake.PollerResponder[armnetwork.VirtualNetworkPeeringsClientDeleteResponse], azfake.ErrorResponder) {
				return del[armnetwork.VirtualNetworkPeeringsClientDeleteResponse](ctx, b, child(rg, vnet, name, flex.TypePeering))
			},
			NewListPager: func(rg, vnet string, _ *armnetwork.VirtualNetworkPeeringsClientListOptions) azfake.PagerResponder[armnetwork.VirtualNetworkPeeringsClientListResponse] {
				return list(b, id(rg, flex.TypeVirtualNetwork, vnet), flex.TypePeering, func(v []*armnetwork.VirtualNetworkPeering) armnetwork.VirtualNetworkPeeringsClientListResponse {
					return armnetwork.VirtualNetworkPeeringsClientListResponse{VirtualNetworkPeeringListResult: armnetwork.VirtualNetworkPeeringListResult{Value: v}}
				})
			},
		},
		VirtualNetworkGatewaysServer: nfake.VirtualNetworkGatewaysServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, m armnetwork.VirtualNetworkGateway, _ *armnetwork.VirtualNetworkGatewaysClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armnetwork.VirtualNetworkGatewaysClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, id(rg, flex.TypeVPNGateway, name), m, func(m armnetwork.VirtualNetworkGateway) armnetwork.VirtualNetworkGatewaysClientCreateOrUpdateResponse {
					return armnetwork.VirtualNetworkGatewaysClientCreateOrUpdateResponse{VirtualNetworkGateway: m}
				})
			},
			Get: func(ctx context.Context, rg, name string, _ *armnetwork.VirtualNetworkGatewaysClientGetOptions) (azfake.Responder[armnetwork.VirtualNetworkGatewaysClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, id(rg, flex.TypeVPNGateway, name), func(m armnetwork.VirtualNetworkGateway) armnetwork.VirtualNetworkGatewaysClientGetResponse {
					return armnetwork.VirtualNetworkGatewaysClientGetResponse{VirtualNetworkGateway: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armnetwork.VirtualNetworkGatewaysClientBeginDeleteOptions) (azfake.PollerResponder[armnetwork.VirtualNetworkGatewaysClientDeleteResponse], azfake.ErrorResponder) {
				return del[armnetwork.VirtualNetworkGatewaysClientDeleteResponse](ctx, b, id(rg, flex.TypeVPNGateway, name))
			},
			NewListPager: func(rg string, _ *armnetwork.VirtualNetworkGatewaysClientListOptions) azfake.PagerResponder[armnetwork.VirtualNetworkGatewaysClientListResponse] {
				return list(b, group(rg), flex.TypeVPNGateway, func(v []*armnetwork.VirtualNetworkGateway) armnetwork.VirtualNetworkGatewaysClientListResponse {
					return armnetwork.VirtualNetworkGatewaysClientListResponse{VirtualNetworkGatewayListResult: armnetwork.VirtualNetworkGatewayListResult{Value: v}}
				})
			},
			BeginReset: func(ctx context.Context, rg, name string, _ *armnetwork.VirtualNetworkGatewaysClientBeginResetOptions) (azfake.PollerResponder[armnetwork.VirtualNetworkGatewaysClientResetResponse], azfake.ErrorResponder) {
				return act(ctx, b, id(rg, flex.TypeVPNGateway, name), "reset", nil, func(out any) armnetwork.VirtualNetworkGatewaysClientResetResponse {
					var r armnetwork.VirtualNetworkGatewaysClientResetResponse
					if m, ok := out.(*armnetwork.VirtualNetworkGateway); ok {
						r.VirtualNetworkGateway = *m
					}
					return r
				})
			},
		},
		LocalNetworkGatewaysServer: nfake.LocalNetworkGatewaysServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, m armnetwork.LocalNetworkGateway, _ *armnetwork.LocalNetworkGatewaysClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armnetwork.LocalNetworkGatewaysClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, id(rg, flex.TypeLocalGateway, name), m, func(m armnetwork.LocalNetworkGateway) armnetwork.LocalNetworkGatewaysClientCreateOrUpdateResponse {
					return armnetwork.LocalNetworkGatewaysClientCreateOrUpdateResponse{LocalNetworkGateway: m}
				})
			},
			Get: func(ctx context.Context, rg, name string, _ *armnetwork.LocalNetworkGatewaysClientGetOptions) (azfake.Responder[armnetwork.LocalNetworkGatewaysClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, id(rg, flex.TypeLocalGateway, name), func(m armnetwork.LocalNetworkGateway) armnetwork.LocalNetworkGatewaysClientGetResponse {
					return armnetwork.LocalNetworkGatewaysClientGetResponse{LocalNetworkGateway: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armnetwork.LocalNetworkGatewaysClientBeginDeleteOptions) (azfake.PollerResponder[armnetwork.LocalNetworkGatewaysClientDeleteResponse], azfake.ErrorResponder) {
				return del[armnetwork.LocalNetworkGatewaysClientDeleteResponse](ctx, b, id(rg, flex.TypeLocalGateway, name))
			},
			NewListPager: func(rg string, _ *armnetwork.LocalNetworkGatewaysClientListOptions) azfake.PagerResponder[armnetwork.LocalNetworkGatewaysClientListResponse] {
				return list(b, group(rg), flex.TypeLocalGateway, func(v []*armnetwork.LocalNetworkGateway) armnetwork.LocalNetworkGatewaysClientListResponse {
					return armnetwork.LocalNetworkGatewaysClientListResponse{LocalNetworkGatewayListResult: armnetwork.LocalNetworkGatewayListResult{Value: v}}
				})
			},
		},
		VirtualNetworkGatewayConnectionsServer: nfake.VirtualNetworkGatewayConnectionsServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, m armnetwork.VirtualNetworkGatewayConnection, _ *armnetwork.VirtualNetworkGatewayConnectionsClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armnetwork.VirtualNetworkGatewayConnectionsClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, id(rg, flex.TypeVPNConnection, name), m, func(m armnetwork.VirtualNetworkGatewayConnection) armnetwork.VirtualNetworkGatewayConnectionsClientCreateOrUpdateResponse {
					return armnetwork.VirtualNetworkGatewayConnectionsClientCreateOrUpdateResponse{VirtualNetworkGatewayConnection: m}
				})
			},
			Get: func(ctx context.Context, rg, name string, _ *armnetwork.VirtualNetworkGatewayConnectionsClientGetOptions) (azfake.Responder[armnetwork.VirtualNetworkGatewayConnectionsClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, id(rg, flex.TypeVPNConnection, name), func(m armnetwork.VirtualNetworkGatewayConnection) armnetwork.VirtualNetworkGatewayConnectionsClientGetResponse {
					return armnetwork.VirtualNetworkGatewayConnectionsClientGetResponse{VirtualNetworkGatewayConnection: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armnetwork.VirtualNetworkGatewayConnectionsClientBeginDeleteOptions) (azfake.PollerResponder[armnetwork.VirtualNetworkGatewayConnectionsClientDeleteResponse], azfake.ErrorResponder) {
				return del[armnetwork.VirtualNetworkGatewayConnectionsClientDeleteResponse](ctx, b, id(rg, flex.TypeVPNConnection, name))
			},
			NewListPager: func(rg string, _ *armnetwork.VirtualNetworkGatewayConnectionsClientListOptions) azfake.PagerResponder[armnetwork.VirtualNetworkGatewayConnectionsClientListResponse] {
				return list(b, group(rg), flex.TypeVPNConnection, func(v []*armnetwork.VirtualNetworkGatewayConnection) armnetwork.VirtualNetworkGatewayConnectionsClientListResponse {
					return armnetwork.VirtualNetworkGatewayConnectionsClientListResponse{VirtualNetworkGatewayConnectionListResult: armnetwork.VirtualNetworkGatewayConnectionListResult{Value: v}}
				})
			},
		},
		VirtualHubsServer: nfake.VirtualHubsServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, m armnetwork.VirtualHub, _ *armnetwork.VirtualHubsClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armnetwork.VirtualHubsClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, id(rg, flex.TypeVirtualHub, name), m, func(m armnetwork.VirtualHub) armnetwork.VirtualHubsClientCreateOrUpdateResponse {
					return armnetwork.VirtualHubsClientCreateOrUpdateResponse{VirtualHub: m}
				})
			},
			Get: func(ctx context.Context, rg, name string, _ *armnetwork.VirtualHubsClientGetOptions) (azfake.Responder[armnetwork.VirtualHubsClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, id(rg, flex.TypeVirtualHub, name), func(m armnetwork.VirtualHub) armnetwork.VirtualHubsClientGetResponse {
					return armnetwork.VirtualHubsClientGetResponse{VirtualHub: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armnetwork.VirtualHubsClientBeginDeleteOptions) (azfake.PollerResponder[armnetwork.VirtualHubsClientDeleteResponse], azfake.ErrorResponder) {
				return del[armnetwork.VirtualHubsClientDeleteResponse](ctx, b, id(rg, flex.TypeVirtualHub, name))
			},
			NewListByResourceGroupPager: func(rg string, _ *armnetwork.VirtualHubsClientListByResourceGroupOptions) azfake.PagerResponder[armnetwork.VirtualHubsClientListByResourceGroupResponse] {
				return list(b, group(rg), flex.TypeVirtualHub, func(v []*armnetwork.VirtualHub) armnetwork.VirtualHubsClientListByResourceGroupResponse {
					return armnetwork.VirtualHubsClientListByResourceGroupResponse{ListVirtualHubsResult: armnetwork.ListVirtualHubsResult{Value: v}}
				})
			},
		},
		HubVirtualNetworkConnectionsServer: nfake.HubVirtualNetworkConnectionsServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, hub, name string, m armnetwork.HubVirtualNetworkConnection, _ *armnetwork.HubVirtualNetworkConnectionsClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armnetwork.HubVirtualNetworkConnectionsClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, child(rg, hub, name, flex.TypeHubConnection), m, func(m armnetwork.HubVirtualNetworkConnection) armnetwork.HubVirtualNetworkConnectionsClientCreateOrUpdateResponse {
					return armnetwork.HubVirtualNetworkConnectionsClientCreateOrUpdateResponse{HubVirtualNetworkConnection: m}
				})
			},
			Get: func(ctx context.Context, rg, hub, name string, _ *armnetwork.HubVirtualNetworkConnectionsClientGetOptions) (azfake.Responder[armnetwork.HubVirtualNetworkConnectionsClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, child(rg, hub, name, flex.TypeHubConnection), func(m armnetwork.HubVirtualNetworkConnection) armnetwork.HubVirtualNetworkConnectionsClientGetResponse {
					return armnetwork.HubVirtualNetworkConnectionsClientGetResponse{HubVirtualNetworkConnection: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, hub, name string, _ *armnetwork.HubVirtualNetworkConnectionsClientBeginDeleteOptions) (azfake.PollerResponder[armnetwork.HubVirtualNetworkConnectionsClientDeleteResponse], azfake.ErrorResponder) {
				return del[armnetwork.HubVirtualNetworkConnectionsClientDeleteResponse](ctx, b, child(rg, hub, name, flex.TypeHubConnection))
			},
			NewListPager: func(rg, hub string, _ *armnetwork.HubVirtualNetworkConnectionsClientListOptions) azfake.PagerResponder[armnetwork.HubVirtualNetworkConnectionsClientListResponse] {
				return list(b, id(rg, flex.TypeVirtualHub, hub), flex.TypeHubConnection, func(v []*armnetwork.HubVirtualNetworkConnection) armnetwork.HubVirtualNetworkConnectionsClientListResponse {
					return armnetwork.HubVirtualNetworkConnectionsClientListResponse{ListHubVirtualNetworkConnectionsResult: armnetwork.ListHubVirtualNetworkConnectionsResult{Value: v}}
				})
			},
		},
	}
	return nfake.NewServerFactoryTransport(f)
}

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
	k := func(t flex.ResourceType) kind { return kind{b, sub, t} }
	f := &nfake.ServerFactory{
		VirtualNetworksServer: nfake.VirtualNetworksServer{
			BeginCreateOrUpdate: putOf[armnetwork.VirtualNetwork, armnetwork.VirtualNetworksClientCreateOrUpdateResponse, armnetwork.VirtualNetworksClientBeginCreateOrUpdateOptions](k(flex.TypeVirtualNetwork)),
			Get:                 getOf[armnetwork.VirtualNetwork, armnetwork.VirtualNetworksClientGetResponse, armnetwork.VirtualNetworksClientGetOptions](k(flex.TypeVirtualNetwork)),
			BeginDelete:         deleteOf[armnetwork.VirtualNetworksClientDeleteResponse, armnetwork.VirtualNetworksClientBeginDeleteOptions](k(flex.TypeVirtualNetwork)),
			NewListPager:        listOf[armnetwork.VirtualNetwork, armnetwork.VirtualNetworksClientListResponse, armnetwork.VirtualNetworksClientListOptions](k(flex.TypeVirtualNetwork)),
		},
		SecurityGroupsServer: nfake.SecurityGroupsServer{
			BeginCreateOrUpdate: putOf[armnetwork.SecurityGroup, armnetwork.SecurityGroupsClientCreateOrUpdateResponse, armnetwork.SecurityGroupsClientBeginCreateOrUpdateOptions](k(flex.TypeSecurityGroup)),
			Get:                 getOf[armnetwork.SecurityGroup, armnetwork.SecurityGroupsClientGetResponse, armnetwork.SecurityGroupsClientGetOptions](k(flex.TypeSecurityGroup)),
			BeginDelete:         deleteOf[armnetwork.SecurityGroupsClientDeleteResponse, armnetwork.SecurityGroupsClientBeginDeleteOptions](k(flex.TypeSecurityGroup)),
			NewListPager:        listOf[armnetwork.SecurityGroup, armnetwork.SecurityGroupsClientListResponse, armnetwork.SecurityGroupsClientListOptions](k(flex.TypeSecurityGroup)),
		},
		RouteTablesServer: nfake.RouteTablesServer{
			BeginCreateOrUpdate: putOf[armnetwork.RouteTable, armnetwork.RouteTablesClientCreateOrUpdateResponse, armnetwork.RouteTablesClientBeginCreateOrUpdateOptions](k(flex.TypeRouteTable)),
			Get:                 getOf[armnetwork.RouteTable, armnetwork.RouteTablesClientGetResponse, armnetwork.RouteTablesClientGetOptions](k(flex.TypeRouteTable)),
			BeginDelete:         deleteOf[armnetwork.RouteTablesClientDeleteResponse, armnetwork.RouteTablesClientBeginDeleteOptions](k(flex.TypeRouteTable)),
			NewListPager:        listOf[armnetwork.RouteTable, armnetwork.RouteTablesClientListResponse, armnetwork.RouteTablesClientListOptions](k(flex.TypeRouteTable)),
		},
		NatGatewaysServer: nfake.NatGatewaysServer{
			BeginCreateOrUpdate: putOf[armnetwork.NatGateway, armnetwork.NatGatewaysClientCreateOrUpdateResponse, armnetwork.NatGatewaysClientBeginCreateOrUpdateOptions](k(flex.TypeNATGateway)),
			Get:                 getOf[armnetwork.NatGateway, armnetwork.NatGatewaysClientGetResponse, armnetwork.NatGatewaysClientGetOptions](k(flex.TypeNATGateway)),
			BeginDelete:         deleteOf[armnetwork.NatGatewaysClientDeleteResponse, armnetwork.NatGatewaysClientBeginDeleteOptions](k(flex.TypeNATGateway)),
			NewListPager:        listOf[armnetwork.NatGateway, armnetwork.NatGatewaysClientListResponse, armnetwork.NatGatewaysClientListOptions](k(flex.TypeNATGateway)),
		},
		PublicIPAddressesServer: nfake.PublicIPAddressesServer{
			BeginCreateOrUpdate: putOf[armnetwork.PublicIPAddress, armnetwork.PublicIPAddressesClientCreateOrUpdateResponse, armnetwork.PublicIPAddressesClientBeginCreateOrUpdateOptions](k(TypePublicIP)),
			Get:                 getOf[armnetwork.PublicIPAddress, armnetwork.PublicIPAddressesClientGetResponse, armnetwork.PublicIPAddressesClientGetOptions](k(TypePublicIP)),
			BeginDelete:         deleteOf[armnetwork.PublicIPAddressesClientDeleteResponse, armnetwork.PublicIPAddressesClientBeginDeleteOptions](k(TypePublicIP)),
		},
		InterfacesServer: nfake.InterfacesServer{
			BeginCreateOrUpdate: putOf[armnetwork.Interface, armnetwork.InterfacesClientCreateOrUpdateResponse, armnetwork.InterfacesClientBeginCreateOrUpdateOptions](k(TypeNIC)),
			Get:                 getOf[armnetwork.Interface, armnetwork.InterfacesClientGetResponse, armnetwork.InterfacesClientGetOptions](k(TypeNIC)),
			BeginDelete:         deleteOf[armnetwork.InterfacesClientDeleteResponse, armnetwork.InterfacesClientBeginDeleteOptions](k(TypeNIC)),
			NewListPager:        listOf[armnetwork.Interface, armnetwork.InterfacesClientListResponse, armnetwork.InterfacesClientListOptions](k(TypeNIC)),
		},
		VirtualNetworkPeeringsServer: nfake.VirtualNetworkPeeringsServer{
			BeginCreateOrUpdate: childPutOf[armnetwork.VirtualNetworkPeering, armnetwork.VirtualNetworkPeeringsClientCreateOrUpdateResponse, armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions](k(flex.TypePeering)),
			Get:                 childGetOf[armnetwork.VirtualNetworkPeering, armnetwork.VirtualNetworkPeeringsClientGetResponse, armnetwork.VirtualNetworkPeeringsClientGetOptions](k(flex.TypePeering)),
			BeginDelete:         childDeleteOf[armnetwork.VirtualNetworkPeeringsClientDeleteResponse, armnetwork.VirtualNetworkPeeringsClientBeginDeleteOptions](k(flex.TypePeering)),
			NewListPager:        childListOf[armnetwork.VirtualNetworkPeering, armnetwork.VirtualNetworkPeeringsClientListResponse, armnetwork.VirtualNetworkPeeringsClientListOptions](k(flex.TypePeering), flex.TypeVirtualNetwork),
		},
		VirtualNetworkGatewaysServer: nfake.VirtualNetworkGatewaysServer{
			BeginCreateOrUpdate: putOf[armnetwork.VirtualNetworkGateway, armnetwork.VirtualNetworkGatewaysClientCreateOrUpdateResponse, armnetwork.VirtualNetworkGatewaysClientBeginCreateOrUpdateOptions](k(flex.TypeVPNGateway)),
			Get:                 getOf[armnetwork.VirtualNetworkGateway, armnetwork.VirtualNetworkGatewaysClientGetResponse, armnetwork.VirtualNetworkGatewaysClientGetOptions](k(flex.TypeVPNGateway)),
			BeginDelete:         deleteOf[armnetwork.VirtualNetworkGatewaysClientDeleteResponse, armnetwork.VirtualNetworkGatewaysClientBeginDeleteOptions](k(flex.TypeVPNGateway)),
			NewListPager:        listOf[armnetwork.VirtualNetworkGateway, armnetwork.VirtualNetworkGatewaysClientListResponse, armnetwork.VirtualNetworkGatewaysClientListOptions](k(flex.TypeVPNGateway)),
			BeginReset: func(ctx context.Context, rg, name string, _ *armnetwork.VirtualNetworkGatewaysClientBeginResetOptions) (azfake.PollerResponder[armnetwork.VirtualNetworkGatewaysClientResetResponse], azfake.ErrorResponder) {
				return act(ctx, b, k(flex.TypeVPNGateway).id(rg, name), "reset", nil, func(out any) armnetwork.VirtualNetworkGatewaysClientResetResponse {
					var r armnetwork.VirtualNetworkGatewaysClientResetResponse
					if m, ok := out.(*armnetwork.VirtualNetworkGateway); ok {
						r.VirtualNetworkGateway = *m
					}
					return r
				})
			},
		},
		LocalNetworkGatewaysServer: nfake.LocalNetworkGatewaysServer{
			BeginCreateOrUpdate: putOf[armnetwork.LocalNetworkGateway, armnetwork.LocalNetworkGatewaysClientCreateOrUpdateResponse, armnetwork.LocalNetworkGatewaysClientBeginCreateOrUpdateOptions](k(flex.TypeLocalGateway)),
			Get:                 getOf[armnetwork.LocalNetworkGateway, armnetwork.LocalNetworkGatewaysClientGetResponse, armnetwork.LocalNetworkGatewaysClientGetOptions](k(flex.TypeLocalGateway)),
			BeginDelete:         deleteOf[armnetwork.LocalNetworkGatewaysClientDeleteResponse, armnetwork.LocalNetworkGatewaysClientBeginDeleteOptions](k(flex.TypeLocalGateway)),
			NewListPager:        listOf[armnetwork.LocalNetworkGateway, armnetwork.LocalNetworkGatewaysClientListResponse, armnetwork.LocalNetworkGatewaysClientListOptions](k(flex.TypeLocalGateway)),
		},
		VirtualNetworkGatewayConnectionsServer: nfake.VirtualNetworkGatewayConnectionsServer{
			BeginCreateOrUpdate: putOf[armnetwork.VirtualNetworkGatewayConnection, armnetwork.VirtualNetworkGatewayConnectionsClientCreateOrUpdateResponse, armnetwork.VirtualNetworkGatewayConnectionsClientBeginCreateOrUpdateOptions](k(flex.TypeVPNConnection)),
			Get:                 getOf[armnetwork.VirtualNetworkGatewayConnection, armnetwork.VirtualNetworkGatewayConnectionsClientGetResponse, armnetwork.VirtualNetworkGatewayConnectionsClientGetOptions](k(flex.TypeVPNConnection)),
			BeginDelete:         deleteOf[armnetwork.VirtualNetworkGatewayConnectionsClientDeleteResponse, armnetwork.VirtualNetworkGatewayConnectionsClientBeginDeleteOptions](k(flex.TypeVPNConnection)),
			NewListPager:        listOf[armnetwork.VirtualNetworkGatewayConnection, armnetwork.VirtualNetworkGatewayConnectionsClientListResponse, armnetwork.VirtualNetworkGatewayConnectionsClientListOptions](k(flex.TypeVPNConnection)),
		},
		VirtualHubsServer: nfake.VirtualHubsServer{
			BeginCreateOrUpdate:         putOf[armnetwork.VirtualHub, armnetwork.VirtualHubsClientCreateOrUpdateResponse, armnetwork.VirtualHubsClientBeginCreateOrUpdateOptions](k(flex.TypeVirtualHub)),
			Get:                         getOf[armnetwork.VirtualHub, armnetwork.VirtualHubsClientGetResponse, armnetwork.VirtualHubsClientGetOptions](k(flex.TypeVirtualHub)),
			BeginDelete:                 deleteOf[armnetwork.VirtualHubsClientDeleteResponse, armnetwork.VirtualHubsClientBeginDeleteOptions](k(flex.TypeVirtualHub)),
			NewListByResourceGroupPager: listOf[armnetwork.VirtualHub, armnetwork.VirtualHubsClientListByResourceGroupResponse, armnetwork.VirtualHubsClientListByResourceGroupOptions](k(flex.TypeVirtualHub)),
		},
		HubVirtualNetworkConnectionsServer: nfake.HubVirtualNetworkConnectionsServer{
			BeginCreateOrUpdate: childPutOf[armnetwork.HubVirtualNetworkConnection, armnetwork.HubVirtualNetworkConnectionsClientCreateOrUpdateResponse, armnetwork.HubVirtualNetworkConnectionsClientBeginCreateOrUpdateOptions](k(flex.TypeHubConnection)),
			Get:                 childGetOf[armnetwork.HubVirtualNetworkConnection, armnetwork.HubVirtualNetworkConnectionsClientGetResponse, armnetwork.HubVirtualNetworkConnectionsClientGetOptions](k(flex.TypeHubConnection)),
			BeginDelete:         childDeleteOf[armnetwork.HubVirtualNetworkConnectionsClientDeleteResponse, armnetwork.HubVirtualNetworkConnectionsClientBeginDeleteOptions](k(flex.TypeHubConnection)),
			NewListPager:        childListOf[armnetwork.HubVirtualNetworkConnection, armnetwork.HubVirtualNetworkConnectionsClientListResponse, armnetwork.HubVirtualNetworkConnectionsClientListOptions](k(flex.TypeHubConnection), flex.TypeVirtualHub),
		},
	}
	return nfake.NewServerFactoryTransport(f)
}

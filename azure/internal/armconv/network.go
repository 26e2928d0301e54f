package armconv

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

// SubnetID returns the ARM ID of subnet name of VNet vnet.
func SubnetID(vnet flex.ResourceID, name string) string { return Sub(vnet, "subnets", name) }

// SplitSubnetID splits the ARM ID of a subnet into its VNet and its name.
func SplitSubnetID(s *string) (flex.ResourceID, string, error) {
	const seg = "/subnets/"
	v := deref(s)
	// Searched in place, ignoring ASCII case: lower-casing first would
	// move the index of a non-ASCII ID.
	i := len(v) - len(seg)
	for ; i >= 0 && !strings.EqualFold(v[i:i+len(seg)], seg); i-- {
	}
	if i < 0 {
		return flex.ResourceID{}, "", fmt.Errorf("subnet ID %q has no /subnets/ segment", v)
	}
	vnet, err := ParseID(to(v[:i]))
	return vnet, v[i+len(seg):], err
}

func subRes(id flex.ResourceID) *armnetwork.SubResource {
	if id.IsZero() {
		return nil
	}
	return &armnetwork.SubResource{ID: ID(id)}
}

func subResID(r *armnetwork.SubResource) (flex.ResourceID, error) {
	if r == nil {
		return flex.ResourceID{}, nil
	}
	return ParseID(r.ID)
}

// VirtualNetworkToARM converts a VNet and its subnets.
func VirtualNetworkToARM(r *flex.VirtualNetwork) *armnetwork.VirtualNetwork {
	m := &armnetwork.VirtualNetwork{
		Location: to(string(r.Region)),
		Tags:     Tags(r.Tags),
		Properties: &armnetwork.VirtualNetworkPropertiesFormat{
			AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: prefixes(r.AddressSpace)},
			Subnets:      []*armnetwork.Subnet{},
		},
	}
	if len(r.DNSServers) > 0 {
		dns := make([]*string, len(r.DNSServers))
		for i, a := range r.DNSServers {
			dns[i] = to(a.String())
		}
		m.Properties.DhcpOptions = &armnetwork.DhcpOptions{DNSServers: dns}
	}
	for _, s := range r.Subnets {
		sn := &armnetwork.Subnet{
			Name: to(s.Name),
			Properties: &armnetwork.SubnetPropertiesFormat{
				AddressPrefix: to(s.Prefix.String()),
				NatGateway:    subRes(s.NATGateway),
			},
		}
		if !s.SecurityGroup.IsZero() {
			sn.Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: ID(s.SecurityGroup)}
		}
		if !s.RouteTable.IsZero() {
			sn.Properties.RouteTable = &armnetwork.RouteTable{ID: ID(s.RouteTable)}
		}
		m.Properties.Subnets = append(m.Properties.Subnets, sn)
	}
	return m
}

// VirtualNetworkFromARM converts a VNet back.
func VirtualNetworkFromARM(id flex.ResourceID, m *armnetwork.VirtualNetwork) (*flex.VirtualNetwork, error) {
	r := &flex.VirtualNetwork{Meta: flex.Meta{ID: id, Region: region(m.Location), Tags: FromTags(m.Tags)}}
	p := m.Properties
	if p == nil {
		return r, nil
	}
	r.State = state((*string)(p.ProvisioningState))
	var err error
	if p.AddressSpace != nil {
		if r.AddressSpace, err = parsePrefixes("address space", p.AddressSpace.AddressPrefixes); err != nil {
			return nil, err
		}
	}
	if p.DhcpOptions != nil {
		for _, s := range p.DhcpOptions.DNSServers {
			a, err := parseAddr("DNS server", s)
			if err != nil {
				return nil, err
			}
			r.DNSServers = append(r.DNSServers, a)
		}
	}
	for _, sn := range p.Subnets {
		s := flex.Subnet{Name: deref(sn.Name)}
		if sp := sn.Properties; sp != nil {
			pfx := sp.AddressPrefix
			if pfx == nil && len(sp.AddressPrefixes) > 0 {
				pfx = sp.AddressPrefixes[0]
			}
			if s.Prefix, err = parsePrefix("subnet "+s.Name, pfx); err != nil {
				return nil, err
			}
			if sp.NetworkSecurityGroup != nil {
				if s.SecurityGroup, err = ParseID(sp.NetworkSecurityGroup.ID); err != nil {
					return nil, err
				}
			}
			if sp.RouteTable != nil {
				if s.RouteTable, err = ParseID(sp.RouteTable.ID); err != nil {
					return nil, err
				}
			}
			if s.NATGateway, err = subResID(sp.NatGateway); err != nil {
				return nil, err
			}
		}
		r.Subnets = append(r.Subnets, s)
	}
	return r, nil
}

func addresses(as []network.Address) (*string, []*string) {
	if len(as) == 1 {
		return to(as[0].String()), nil
	}
	out := make([]*string, len(as))
	for i, a := range as {
		out[i] = to(a.String())
	}
	return nil, out
}

func parseAddresses(one *string, many []*string) ([]network.Address, error) {
	if one != nil && *one != "" {
		many = append([]*string{one}, many...)
	}
	var out []network.Address
	for _, s := range many {
		a, err := network.ParseAddress(deref(s))
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func ports(ps []network.PortRange) (*string, []*string) {
	if len(ps) == 1 {
		return to(ps[0].String()), nil
	}
	out := make([]*string, len(ps))
	for i, p := range ps {
		out[i] = to(p.String())
	}
	return nil, out
}

func parsePorts(one *string, many []*string) ([]network.PortRange, error) {
	if one != nil && *one != "" {
		many = append([]*string{one}, many...)
	}
	var out []network.PortRange
	for _, s := range many {
		p, err := network.ParsePortRange(deref(s))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// SecurityRuleToARM converts one NSG rule; a rule Flex owns gets
// ManagedRulePrefix before its description.
func SecurityRuleToARM(r network.SecurityRule) *armnetwork.SecurityRule {
	p := &armnetwork.SecurityRulePropertiesFormat{
		Access:    to(armnetwork.SecurityRuleAccess(r.Access.String())),
		Direction: to(armnetwork.SecurityRuleDirection(r.Direction.String())),
		Priority:  to(int32(r.Priority)),
		Protocol:  to(armnetwork.SecurityRuleProtocol(r.Protocol.String())),
	}
	p.SourceAddressPrefix, p.SourceAddressPrefixes = addresses(r.Sources)
	p.DestinationAddressPrefix, p.DestinationAddressPrefixes = addresses(r.Destinations)
	p.SourcePortRange, p.SourcePortRanges = ports(r.SourcePorts)
	p.DestinationPortRange, p.DestinationPortRanges = ports(r.DestinationPorts)
	desc := r.Description
	if r.Managed {
		desc = ManagedRulePrefix + desc
	}
	if desc != "" {
		p.Description = to(desc)
	}
	return &armnetwork.SecurityRule{Name: to(r.Name), Properties: p}
}

// SecurityRuleFromARM converts one NSG rule back.
func SecurityRuleFromARM(m *armnetwork.SecurityRule) (network.SecurityRule, error) {
	r := network.SecurityRule{Name: deref(m.Name)}
	p := m.Properties
	if p == nil {
		return r, fmt.Errorf("security rule %q has no properties", r.Name)
	}
	var err error
	if r.Access, err = network.ParseAccess(string(deref(p.Access))); err != nil {
		return r, err
	}
	if r.Direction, err = network.ParseDirection(string(deref(p.Direction))); err != nil {
		return r, err
	}
	if r.Protocol, err = network.ParseProtocol(string(deref(p.Protocol))); err != nil {
		return r, err
	}
	r.Priority = int(deref(p.Priority))
	if r.Sources, err = parseAddresses(p.SourceAddressPrefix, p.SourceAddressPrefixes); err != nil {
		return r, err
	}
	if r.Destinations, err = parseAddresses(p.DestinationAddressPrefix, p.DestinationAddressPrefixes); err != nil {
		return r, err
	}
	if r.SourcePorts, err = parsePorts(p.SourcePortRange, p.SourcePortRanges); err != nil {
		return r, err
	}
	if r.DestinationPorts, err = parsePorts(p.DestinationPortRange, p.DestinationPortRanges); err != nil {
		return r, err
	}
	r.Description = deref(p.Description)
	if d, ok := strings.CutPrefix(r.Description, ManagedRulePrefix); ok {
		r.Description, r.Managed = d, true
	}
	return r, nil
}

// SecurityGroupToARM converts an NSG and its rules.
func SecurityGroupToARM(r *flex.SecurityGroup) *armnetwork.SecurityGroup {
	rules := make([]*armnetwork.SecurityRule, len(r.Rules))
	for i, rule := range r.Rules {
		rules[i] = SecurityRuleToARM(rule)
	}
	return &armnetwork.SecurityGroup{
		Location:   to(string(r.Region)),
		Tags:       Tags(r.Tags),
		Properties: &armnetwork.SecurityGroupPropertiesFormat{SecurityRules: rules},
	}
}

// SecurityGroupFromARM converts an NSG back; Azure's default rules are not
// part of it.
func SecurityGroupFromARM(id flex.ResourceID, m *armnetwork.SecurityGroup) (*flex.SecurityGroup, error) {
	r := &flex.SecurityGroup{Meta: flex.Meta{ID: id, Region: region(m.Location), Tags: FromTags(m.Tags)}}
	if p := m.Properties; p != nil {
		r.State = state((*string)(p.ProvisioningState))
		for _, sr := range p.SecurityRules {
			rule, err := SecurityRuleFromARM(sr)
			if err != nil {
				return nil, err
			}
			r.Rules = append(r.Rules, rule)
		}
	}
	return r, nil
}

// NextHopType returns armnetwork's RouteNextHopType spelled as s, ignoring
// case; an unknown s is passed on for ARM to refuse.
func NextHopType(s string) armnetwork.RouteNextHopType {
	for _, t := range armnetwork.PossibleRouteNextHopTypeValues() {
		if strings.EqualFold(string(t), s) {
			return t
		}
	}
	return armnetwork.RouteNextHopType(s)
}

// RouteTableToARM converts a route table and its routes.
func RouteTableToARM(r *flex.RouteTable) *armnetwork.RouteTable {
	routes := make([]*armnetwork.Route, len(r.Routes))
	for i, rt := range r.Routes {
		routes[i] = &armnetwork.Route{
			Name: to(rt.Name),
			Properties: &armnetwork.RoutePropertiesFormat{
				AddressPrefix:    to(rt.Prefix.String()),
				NextHopType:      to(NextHopType(rt.NextHop)),
				NextHopIPAddress: addr(rt.NextHopIP),
			},
		}
	}
	return &armnetwork.RouteTable{
		Location: to(string(r.Region)),
		Tags:     Tags(r.Tags),
		Properties: &armnetwork.RouteTablePropertiesFormat{
			Routes:                     routes,
			DisableBgpRoutePropagation: to(r.DisableGatewayPropagation),
		},
	}
}

// RouteTableFromARM converts a route table back.
func RouteTableFromARM(id flex.ResourceID, m *armnetwork.RouteTable) (*flex.RouteTable, error) {
	r := &flex.RouteTable{Meta: flex.Meta{ID: id, Region: region(m.Location), Tags: FromTags(m.Tags)}}
	p := m.Properties
	if p == nil {
		return r, nil
	}
	r.State = state((*string)(p.ProvisioningState))
	r.DisableGatewayPropagation = deref(p.DisableBgpRoutePropagation)
	for _, rt := range p.Routes {
		route := flex.Route{Name: deref(rt.Name)}
		if rp := rt.Properties; rp != nil {
			var err error
			if route.Prefix, err = parsePrefix("route "+route.Name, rp.AddressPrefix); err != nil {
				return nil, err
			}
			route.NextHop = string(deref(rp.NextHopType))
			if route.NextHopIP, err = parseAddr("next hop", rp.NextHopIPAddress); err != nil {
				return nil, err
			}
		}
		r.Routes = append(r.Routes, route)
	}
	return r, nil
}

// PublicIPName returns the name of the Standard public IP address the
// provider makes for a NAT gateway or a VPN gateway.
func PublicIPName(owner string) string { return owner + "-pip" }

// PublicIPToARM returns a Standard, static public IPv4 address (AZ-4).
func PublicIPToARM(meta flex.Meta, zone string) *armnetwork.PublicIPAddress {
	return &armnetwork.PublicIPAddress{
		Location: to(string(meta.Region)),
		Tags:     Tags(meta.Tags),
		SKU:      &armnetwork.PublicIPAddressSKU{Name: to(armnetwork.PublicIPAddressSKUNameStandard), Tier: to(armnetwork.PublicIPAddressSKUTierRegional)},
		Zones:    zones(zone),
		Properties: &armnetwork.PublicIPAddressPropertiesFormat{
			PublicIPAllocationMethod: to(armnetwork.IPAllocationMethodStatic),
			PublicIPAddressVersion:   to(armnetwork.IPVersionIPv4),
		},
	}
}

// PublicIPAddress returns the address of a public IP resource, if assigned.
func PublicIPAddress(m *armnetwork.PublicIPAddress) (netip.Addr, error) {
	if m == nil || m.Properties == nil {
		return netip.Addr{}, nil
	}
	return parseAddr("public IP", m.Properties.IPAddress)
}

// NATGatewayToARM converts a NAT gateway whose public IP is the resource
// with ID pip.
func NATGatewayToARM(r *flex.NATGateway, pip string) *armnetwork.NatGateway {
	m := &armnetwork.NatGateway{
		Location: to(string(r.Region)),
		Tags:     Tags(r.Tags),
		SKU:      &armnetwork.NatGatewaySKU{Name: to(armnetwork.NatGatewaySKUNameStandard)},
		Properties: &armnetwork.NatGatewayPropertiesFormat{
			IdleTimeoutInMinutes: i32(r.IdleTimeoutMinutes),
		},
	}
	if pip != "" {
		m.Properties.PublicIPAddresses = []*armnetwork.SubResource{{ID: to(pip)}}
	}
	return m
}

// NATGatewayFromARM converts a NAT gateway back; ip is the address of its
// public IP resource.
func NATGatewayFromARM(id flex.ResourceID, m *armnetwork.NatGateway, ip netip.Addr) (*flex.NATGateway, error) {
	r := &flex.NATGateway{Meta: flex.Meta{ID: id, Region: region(m.Location), Tags: FromTags(m.Tags)}, PublicIP: ip}
	if p := m.Properties; p != nil {
		r.State = state((*string)(p.ProvisioningState))
		r.IdleTimeoutMinutes = int(deref(p.IdleTimeoutInMinutes))
	}
	return r, nil
}

// NATPublicIPID returns the ID of the first public IP of a NAT gateway.
func NATPublicIPID(m *armnetwork.NatGateway) string {
	if m.Properties == nil || len(m.Properties.PublicIPAddresses) == 0 {
		return ""
	}
	return deref(m.Properties.PublicIPAddresses[0].ID)
}

// PeeringToARM converts one direction of a VNet peering.
func PeeringToARM(r *flex.Peering) *armnetwork.VirtualNetworkPeering {
	return &armnetwork.VirtualNetworkPeering{
		Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
			RemoteVirtualNetwork:      subRes(r.Remote),
			AllowGatewayTransit:       to(r.AllowGatewayTransit),
			UseRemoteGateways:         to(r.UseRemoteGateways),
			AllowVirtualNetworkAccess: to(true),
			AllowForwardedTraffic:     to(true),
		},
	}
}

// PeeringFromARM converts a peering back. ARM keeps no location or tags
// on a peering: its region is the local VNet's, passed as region.
func PeeringFromARM(id flex.ResourceID, region network.Region, m *armnetwork.VirtualNetworkPeering) (*flex.Peering, error) {
	r := &flex.Peering{Meta: flex.Meta{ID: id, Region: region}}
	if p := m.Properties; p != nil {
		r.State = state((*string)(p.ProvisioningState))
		var err error
		if r.Remote, err = subResID(p.RemoteVirtualNetwork); err != nil {
			return nil, err
		}
		r.AllowGatewayTransit = deref(p.AllowGatewayTransit)
		r.UseRemoteGateways = deref(p.UseRemoteGateways)
		r.Connected = deref(p.PeeringState) == armnetwork.VirtualNetworkPeeringStateConnected
	}
	return r, nil
}

// VPNGatewayToARM converts a route-based VPN gateway in its VNet's
// GatewaySubnet with the public IP resource pip.
func VPNGatewayToARM(r *flex.VPNGateway, pip string) *armnetwork.VirtualNetworkGateway {
	cfg := &armnetwork.VirtualNetworkGatewayIPConfiguration{
		Name: to("default"),
		Properties: &armnetwork.VirtualNetworkGatewayIPConfigurationPropertiesFormat{
			PrivateIPAllocationMethod: to(armnetwork.IPAllocationMethodDynamic),
			Subnet:                    &armnetwork.SubResource{ID: to(SubnetID(r.VirtualNetwork, "GatewaySubnet"))},
		},
	}
	if pip != "" {
		cfg.Properties.PublicIPAddress = &armnetwork.SubResource{ID: to(pip)}
	}
	m := &armnetwork.VirtualNetworkGateway{
		Location: to(string(r.Region)),
		Tags:     Tags(r.Tags),
		Properties: &armnetwork.VirtualNetworkGatewayPropertiesFormat{
			GatewayType:      to(armnetwork.VirtualNetworkGatewayTypeVPN),
			VPNType:          to(armnetwork.VPNTypeRouteBased),
			SKU:              &armnetwork.VirtualNetworkGatewaySKU{Name: to(armnetwork.VirtualNetworkGatewaySKUName(r.SKU)), Tier: to(armnetwork.VirtualNetworkGatewaySKUTier(r.SKU))},
			EnableBgp:        to(r.EnableBGP),
			IPConfigurations: []*armnetwork.VirtualNetworkGatewayIPConfiguration{cfg},
		},
	}
	if r.ASN != 0 {
		m.Properties.BgpSettings = &armnetwork.BgpSettings{Asn: asn(r.ASN)}
	}
	return m
}

// VPNGatewayPublicIPID returns the ID of the public IP of a VPN gateway.
func VPNGatewayPublicIPID(m *armnetwork.VirtualNetworkGateway) string {
	if m.Properties == nil {
		return ""
	}
	for _, c := range m.Properties.IPConfigurations {
		if c.Properties != nil && c.Properties.PublicIPAddress != nil {
			return deref(c.Properties.PublicIPAddress.ID)
		}
	}
	return ""
}

// VPNGatewayFromARM converts a VPN gateway back; ip is the address of its
// public IP resource.
func VPNGatewayFromARM(id flex.ResourceID, m *armnetwork.VirtualNetworkGateway, ip netip.Addr) (*flex.VPNGateway, error) {
	r := &flex.VPNGateway{Meta: flex.Meta{ID: id, Region: region(m.Location), Tags: FromTags(m.Tags)}, PublicIP: ip}
	p := m.Properties
	if p == nil {
		return r, nil
	}
	r.State = state((*string)(p.ProvisioningState))
	if p.SKU != nil {
		r.SKU = string(deref(p.SKU.Name))
	}
	r.EnableBGP = deref(p.EnableBgp)
	if p.BgpSettings != nil {
		r.ASN = fromASN(p.BgpSettings.Asn)
	}
	for _, c := range p.IPConfigurations {
		if c.Properties != nil && c.Properties.Subnet != nil {
			vnet, _, err := SplitSubnetID(c.Properties.Subnet.ID)
			if err != nil {
				return nil, err
			}
			r.VirtualNetwork = vnet
			break
		}
	}
	return r, nil
}

// LocalGatewayToARM converts the customer's VPN device.
func LocalGatewayToARM(r *flex.LocalGateway) *armnetwork.LocalNetworkGateway {
	m := &armnetwork.LocalNetworkGateway{
		Location: to(string(r.Region)),
		Tags:     Tags(r.Tags),
		Properties: &armnetwork.LocalNetworkGatewayPropertiesFormat{
			GatewayIPAddress:         addr(r.GatewayIP),
			LocalNetworkAddressSpace: &armnetwork.AddressSpace{AddressPrefixes: prefixes(r.AddressPrefixes)},
		},
	}
	if r.ASN != 0 || r.BGPPeer.IsValid() {
		m.Properties.BgpSettings = &armnetwork.BgpSettings{Asn: asn(r.ASN), BgpPeeringAddress: addr(r.BGPPeer)}
	}
	return m
}

// LocalGatewayFromARM converts a local network gateway back.
func LocalGatewayFromARM(id flex.ResourceID, m *armnetwork.LocalNetworkGateway) (*flex.LocalGateway, error) {
	r := &flex.LocalGateway{Meta: flex.Meta{ID: id, Region: region(m.Location), Tags: FromTags(m.Tags)}}
	p := m.Properties
	if p == nil {
		return r, nil
	}
	r.State = state((*string)(p.ProvisioningState))
	var err error
	if r.GatewayIP, err = parseAddr("gateway IP", p.GatewayIPAddress); err != nil {
		return nil, err
	}
	if p.LocalNetworkAddressSpace != nil {
		if r.AddressPrefixes, err = parsePrefixes("local address space", p.LocalNetworkAddressSpace.AddressPrefixes); err != nil {
			return nil, err
		}
	}
	if b := p.BgpSettings; b != nil {
		r.ASN = fromASN(b.Asn)
		if r.BGPPeer, err = parseAddr("BGP peer", b.BgpPeeringAddress); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// VPNConnectionToARM converts a site-to-site IPsec connection.
func VPNConnectionToARM(r *flex.VPNConnection) *armnetwork.VirtualNetworkGatewayConnection {
	m := &armnetwork.VirtualNetworkGatewayConnection{
		Location: to(string(r.Region)),
		Tags:     Tags(r.Tags),
		Properties: &armnetwork.VirtualNetworkGatewayConnectionPropertiesFormat{
			ConnectionType:         to(armnetwork.VirtualNetworkGatewayConnectionTypeIPsec),
			VirtualNetworkGateway1: &armnetwork.VirtualNetworkGateway{ID: ID(r.Gateway)},
			LocalNetworkGateway2:   &armnetwork.LocalNetworkGateway{ID: ID(r.Local)},
			EnableBgp:              to(r.EnableBGP),
		},
	}
	if !r.SharedKey.IsZero() {
		m.Properties.SharedKey = to(r.SharedKey.Reveal())
	}
	return m
}

// VPNConnectionFromARM converts a connection back.
func VPNConnectionFromARM(id flex.ResourceID, m *armnetwork.VirtualNetworkGatewayConnection) (*flex.VPNConnection, error) {
	r := &flex.VPNConnection{Meta: flex.Meta{ID: id, Region: region(m.Location), Tags: FromTags(m.Tags)}}
	p := m.Properties
	if p == nil {
		return r, nil
	}
	r.State = state((*string)(p.ProvisioningState))
	var err error
	if p.VirtualNetworkGateway1 != nil {
		if r.Gateway, err = ParseID(p.VirtualNetworkGateway1.ID); err != nil {
			return nil, err
		}
	}
	if p.LocalNetworkGateway2 != nil {
		if r.Local, err = ParseID(p.LocalNetworkGateway2.ID); err != nil {
			return nil, err
		}
	}
	if p.SharedKey != nil {
		r.SharedKey = secret.New(*p.SharedKey)
	}
	r.EnableBGP = deref(p.EnableBgp)
	return r, nil
}

// VirtualHubToARM converts a Virtual WAN hub.
func VirtualHubToARM(r *flex.VirtualHub) *armnetwork.VirtualHub {
	m := &armnetwork.VirtualHub{
		Location:   to(string(r.Region)),
		Tags:       Tags(r.Tags),
		Properties: &armnetwork.VirtualHubProperties{SKU: to(r.SKU)},
	}
	if r.AddressSpace.IsValid() {
		m.Properties.AddressPrefix = to(r.AddressSpace.String())
	}
	return m
}

// VirtualHubFromARM converts a hub back.
func VirtualHubFromARM(id flex.ResourceID, m *armnetwork.VirtualHub) (*flex.VirtualHub, error) {
	r := &flex.VirtualHub{Meta: flex.Meta{ID: id, Region: region(m.Location), Tags: FromTags(m.Tags)}}
	if p := m.Properties; p != nil {
		r.State = state((*string)(p.ProvisioningState))
		r.SKU = deref(p.SKU)
		var err error
		if r.AddressSpace, err = parsePrefix("hub address space", p.AddressPrefix); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Route table labels of a hub connection's propagation.
const (
	labelDefault = "default"
	labelNone    = "none"
)

// HubConnectionToARM converts a hub's connection to a spoke VNet: route
// propagation is to the hub's default route table or to none.
func HubConnectionToARM(r *flex.HubConnection) *armnetwork.HubVirtualNetworkConnection {
	hub := flex.ResourceID{Subscription: r.ID.Subscription, ResourceGroup: r.ID.ResourceGroup, Type: flex.TypeVirtualHub, Name: strings.Split(r.ID.Name, "/")[0]}
	table, label := "defaultRouteTable", labelDefault
	if !r.PropagateRoutes {
		table, label = "noneRouteTable", labelNone
	}
	return &armnetwork.HubVirtualNetworkConnection{
		Properties: &armnetwork.HubVirtualNetworkConnectionProperties{
			RemoteVirtualNetwork:   subRes(r.Remote),
			EnableInternetSecurity: to(r.EnableInternetSecurity),
			RoutingConfiguration: &armnetwork.RoutingConfiguration{
				PropagatedRouteTables: &armnetwork.PropagatedRouteTable{
					Labels: []*string{to(label)},
					IDs:    []*armnetwork.SubResource{{ID: to(Sub(hub, "hubRouteTables", table))}},
				},
			},
		},
	}
}

// HubConnectionFromARM converts a hub connection back. ARM keeps no
// location or tags on it: its region is the hub's, passed as region.
func HubConnectionFromARM(id flex.ResourceID, region network.Region, m *armnetwork.HubVirtualNetworkConnection) (*flex.HubConnection, error) {
	r := &flex.HubConnection{Meta: flex.Meta{ID: id, Region: region}}
	p := m.Properties
	if p == nil {
		return r, nil
	}
	r.State = state((*string)(p.ProvisioningState))
	var err error
	if r.Remote, err = subResID(p.RemoteVirtualNetwork); err != nil {
		return nil, err
	}
	r.EnableInternetSecurity = deref(p.EnableInternetSecurity)
	r.PropagateRoutes = true
	if rc := p.RoutingConfiguration; rc != nil && rc.PropagatedRouteTables != nil {
		for _, l := range rc.PropagatedRouteTables.Labels {
			if strings.EqualFold(deref(l), labelNone) {
				r.PropagateRoutes = false
			}
		}
	}
	return r, nil
}

// NICName returns the name of the network interface the provider makes
// for a VM.
func NICName(vm string) string { return vm + "-nic" }

// NICToARM returns the network interface of a VM: one dynamic private
// IPv4 address in the VM's subnet.
func NICToARM(vm *flex.VirtualMachine) *armnetwork.Interface {
	return &armnetwork.Interface{
		Location: to(string(vm.Region)),
		Tags:     Tags(vm.Tags),
		Properties: &armnetwork.InterfacePropertiesFormat{
			IPConfigurations: []*armnetwork.InterfaceIPConfiguration{{
				Name: to("ipconfig1"),
				Properties: &armnetwork.InterfaceIPConfigurationPropertiesFormat{
					Primary:                   to(true),
					PrivateIPAllocationMethod: to(armnetwork.IPAllocationMethodDynamic),
					PrivateIPAddressVersion:   to(armnetwork.IPVersionIPv4),
					Subnet:                    &armnetwork.Subnet{ID: to(SubnetID(vm.Network, vm.Subnet))},
				},
			}},
		},
	}
}

// NICAddress returns the VNet, subnet and private address of a NIC's
// primary IP configuration.
func NICAddress(m *armnetwork.Interface) (vnet flex.ResourceID, subnet string, ip netip.Addr, err error) {
	if m == nil || m.Properties == nil {
		return vnet, "", ip, nil
	}
	for _, c := range m.Properties.IPConfigurations {
		if c.Properties == nil || c.Properties.Subnet == nil {
			continue
		}
		if vnet, subnet, err = SplitSubnetID(c.Properties.Subnet.ID); err != nil {
			return vnet, subnet, ip, err
		}
		ip, err = parseAddr("private IP", c.Properties.PrivateIPAddress)
		return vnet, subnet, ip, err
	}
	return vnet, "", ip, nil
}

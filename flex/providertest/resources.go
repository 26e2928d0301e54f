package providertest

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

// Create, get, list and delete of every resource type: Put returns what
// was put with the fields the cloud assigns, in provisioning state
// Succeeded (AZ-8); Get returns the same; List of the type holds it;
// after Delete, Get is ErrNotFound and List no longer holds it.

func checkResourceGroup(e *env) {
	crud(e, &flex.ResourceGroup{Meta: e.meta(flex.GroupID(e.sub, "rg-crud"))})
}

func checkVirtualNetwork(e *env) {
	e.group(baseGroup)
	v := &flex.VirtualNetwork{
		Meta:         e.meta(e.id(baseGroup, flex.TypeVirtualNetwork, "vnet-crud")),
		AddressSpace: []netip.Prefix{pfx("10.20.0.0/16"), pfx("10.21.0.0/24")},
		DNSServers:   []netip.Addr{addr("10.20.0.4"), addr("10.20.0.5")},
		Subnets:      []flex.Subnet{subnet("a", "10.20.1.0/24"), subnet("b", "10.21.0.0/26"), subnet(gatewaySubnet, "10.20.255.0/27")},
	}
	crud(e, v)
}

func checkSecurityGroup(e *env) {
	e.group(baseGroup)
	deny := nsgRule("deny-rdp", 200, network.Inbound)
	deny.Access = network.Deny
	deny.Protocol = network.AnyProtocol
	deny.Sources = []network.Address{network.PrefixAddress(pfx("192.168.0.0/16")), network.HostAddress(addr("172.16.0.9"))}
	deny.SourcePorts = []network.PortRange{network.Ports(1024, 65535)}
	deny.DestinationPorts = []network.PortRange{network.Port(3389), network.Ports(5985, 5986)}
	deny.Description = "no RDP from the office"
	out := nsgRule("allow-https-out", 100, network.Outbound)
	out.Destinations = []network.Address{network.TagAddress(network.TagInternet)}
	crud(e, e.nsg(baseGroup, "nsg-crud", nsgRule("allow-https", 100, network.Inbound), deny, out))
}

func checkRouteTable(e *env) {
	e.group(baseGroup)
	crud(e, &flex.RouteTable{
		Meta: e.meta(e.id(baseGroup, flex.TypeRouteTable, "rt-crud")),
		Routes: []flex.Route{
			{Name: "default", Prefix: pfx("0.0.0.0/0"), NextHop: "VirtualAppliance", NextHopIP: addr("10.10.1.4")},
			{Name: "onprem", Prefix: pfx("192.168.0.0/16"), NextHop: "VirtualNetworkGateway"},
			{Name: "blackhole", Prefix: pfx("172.16.0.0/12"), NextHop: "None"},
		},
		DisableGatewayPropagation: true,
	})
}

func checkNATGateway(e *env) {
	e.group(baseGroup)
	got := crud(e, &flex.NATGateway{Meta: e.meta(e.id(baseGroup, flex.TypeNATGateway, "nat-crud")), IdleTimeoutMinutes: 10})
	if !got.PublicIP.IsValid() {
		e.t.Errorf("NAT gateway has no public IP: %v (AZ-4)", got.PublicIP)
	}
}

// checkSubnetAttachments: a subnet's NSG, route table and NAT gateway are
// stored with the VNet and can be detached again.
func checkSubnetAttachments(e *env) {
	b := e.base()
	nsg := put(e, e.nsg(baseGroup, "nsg-att", nsgRule("allow-https", 100, network.Inbound)))
	rt := put(e, &flex.RouteTable{Meta: e.meta(e.id(baseGroup, flex.TypeRouteTable, "rt-att"))})
	nat := put(e, &flex.NATGateway{Meta: e.meta(e.id(baseGroup, flex.TypeNATGateway, "nat-att"))})
	v := get[*flex.VirtualNetwork](e, b.vnet)
	v.Subnets[0].SecurityGroup, v.Subnets[0].RouteTable, v.Subnets[0].NATGateway = nsg.ID, rt.ID, nat.ID
	e.putAndCheck(v)
	v.Subnets[0].SecurityGroup, v.Subnets[0].RouteTable, v.Subnets[0].NATGateway = flex.ResourceID{}, flex.ResourceID{}, flex.ResourceID{}
	e.putAndCheck(v)
	for _, id := range []flex.ResourceID{nsg.ID, rt.ID, nat.ID} {
		e.deleteAndCheck(id)
	}
}

// checkPeering: a peering is connected once both directions exist, and
// not once one is gone; deleting a VNet deletes its peerings.
func checkPeering(e *env) {
	e.group(baseGroup)
	a := put(e, e.vnet(baseGroup, "vnet-a", "10.30.0.0/16"))
	b := put(e, e.vnet(baseGroup, "vnet-b", "10.31.0.0/16"))
	ab := &flex.Peering{Meta: e.meta(a.ID.Child(flex.TypePeering, "a-to-b")), Remote: b.ID, AllowGatewayTransit: true}
	ba := &flex.Peering{Meta: e.meta(b.ID.Child(flex.TypePeering, "b-to-a")), Remote: a.ID}
	if got := e.putAndCheck(ab).(*flex.Peering); got.Connected {
		e.t.Errorf("peering a-to-b is connected before b-to-a exists")
	}
	if got := e.putAndCheck(ba).(*flex.Peering); !got.Connected {
		e.t.Errorf("peering b-to-a is not connected though a-to-b exists")
	}
	if got := get[*flex.Peering](e, ab.ID); !got.Connected {
		e.t.Errorf("peering a-to-b is not connected once b-to-a exists")
	}
	e.deleteAndCheck(ba.ID)
	if got := get[*flex.Peering](e, ab.ID); got.Connected {
		e.t.Errorf("peering a-to-b is still connected after b-to-a was deleted")
	}
	put(e, ba)
	e.del(a.ID)
	e.wantGone(ab.ID, "after its VNet was deleted")
	if got := get[*flex.Peering](e, ba.ID); got.Connected {
		e.t.Errorf("peering b-to-a is still connected after VNet a was deleted")
	}
}

// vpnLandscape is a VPN gateway in the base VNet, a local gateway and a
// BGP connection between them.
type vpnLandscape struct {
	gateway, local, conn flex.ResourceID
	psk                  secret.Value
}

func (e *env) vpn(b base) vpnLandscape {
	e.t.Helper()
	gw := put(e, e.gateway(b.vnet, "vgw-pt", "VpnGw1", 65010))
	lg := put(e, e.localGateway("lgw-pt", 65020))
	psk := secret.New("Shared.Key_4711!")
	c := put(e, e.connection("conn-pt", gw.ID, lg.ID, psk, true))
	return vpnLandscape{gateway: gw.ID, local: lg.ID, conn: c.ID, psk: psk}
}

// gateway returns a route-based VPN gateway in vnet; asn 0 disables BGP.
func (e *env) gateway(vnet flex.ResourceID, name, sku string, asn uint32) *flex.VPNGateway {
	m := e.meta(e.id(vnet.ResourceGroup, flex.TypeVPNGateway, name))
	return &flex.VPNGateway{Meta: m, VirtualNetwork: vnet, SKU: sku, EnableBGP: asn != 0, ASN: asn}
}

// localGateway returns the customer's VPN device; asn 0: no BGP.
func (e *env) localGateway(name string, asn uint32) *flex.LocalGateway {
	lg := &flex.LocalGateway{
		Meta:            e.meta(e.id(baseGroup, flex.TypeLocalGateway, name)),
		GatewayIP:       addr("52.10.20.30"),
		AddressPrefixes: []netip.Prefix{pfx("192.168.0.0/16")},
	}
	if asn != 0 {
		lg.ASN, lg.BGPPeer = asn, addr("192.168.0.1")
	}
	return lg
}

func (e *env) connection(name string, gw, lg flex.ResourceID, psk secret.Value, bgp bool) *flex.VPNConnection {
	return &flex.VPNConnection{Meta: e.meta(e.id(baseGroup, flex.TypeVPNConnection, name)), Gateway: gw, Local: lg, SharedKey: psk, EnableBGP: bgp}
}

func checkVPN(e *env) {
	b := e.base()
	gw := e.putAndCheck(e.gateway(b.vnet, "vgw-crud", "VpnGw1", 65010)).(*flex.VPNGateway)
	if !gw.PublicIP.IsValid() {
		e.t.Errorf("VPN gateway has no public IP: %v", gw.PublicIP)
	}
	lg := e.putAndCheck(e.localGateway("lgw-crud", 65020))
	psk := secret.New("Shared.Key_4711!")
	conn := e.putAndCheck(e.connection("conn-crud", gw.ID, lg.Metadata().ID, psk, true))
	for _, s := range []string{fmt.Sprintf("%v", conn), fmt.Sprintf("%+v", conn), fmt.Sprintf("%#v", conn)} {
		if strings.Contains(s, psk.Reveal()) { // RULE SEC-1
			e.t.Errorf("the connection prints its pre-shared key (SEC-1): %s", s)
		}
	}
	e.deleteAndCheck(conn.Metadata().ID)
	e.deleteAndCheck(lg.Metadata().ID)
	e.deleteAndCheck(gw.ID)
}

// hub creates the customer's Standard Virtual WAN hub in the customer's
// resource group.
func (e *env) hub(name, space string) *flex.VirtualHub {
	e.t.Helper()
	putCustomer(e, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(e.sub, "rg-customer"), Region: region}})
	return putCustomer(e, &flex.VirtualHub{
		Meta:         flex.Meta{ID: e.id("rg-customer", flex.TypeVirtualHub, name), Region: region},
		SKU:          "Standard",
		AddressSpace: pfx(space),
	})
}

func (e *env) hubConnection(hub *flex.VirtualHub, name string, vnet flex.ResourceID) *flex.HubConnection {
	return &flex.HubConnection{Meta: e.meta(hub.ID.Child(flex.TypeHubConnection, name)), Remote: vnet, EnableInternetSecurity: true, PropagateRoutes: true}
}

func checkHubConnection(e *env) {
	b := e.base()
	hub := e.hub("hub-weu", "10.100.0.0/24")
	crud(e, e.hubConnection(hub, "conn-pt", b.vnet))
}

func checkVirtualMachine(e *env) {
	b := e.base()
	in := e.vm("vm-crud-01", b.vnet, machines)
	got := e.putAndCheck(in).(*flex.VirtualMachine)
	if got.PowerState != flex.PowerRunning {
		e.t.Errorf("new VM is %q; want %q (AZ-8)", got.PowerState, flex.PowerRunning)
	}
	if !pfx(machinesNet).Contains(got.PrivateIP) {
		e.t.Errorf("VM address %v is outside its subnet %s", got.PrivateIP, machinesNet)
	}
	if !got.AdminPassword.IsZero() {
		e.t.Errorf("Put returned the admin password; Azure never returns it")
	}
	for _, s := range []string{fmt.Sprintf("%v", got), fmt.Sprintf("%+v", in), fmt.Sprintf("%#v", in)} {
		if strings.Contains(s, adminPassword().Reveal()) { // RULE SEC-1
			e.t.Errorf("a VM prints its admin password (SEC-1): %s", s)
		}
	}
	disk := get[*flex.Disk](e, got.OSDisk)
	if disk.SizeGiB <= 0 {
		e.t.Errorf("OS disk %s has size %d GiB", disk.ID, disk.SizeGiB)
	}
	if disk.Region != region {
		e.t.Errorf("OS disk %s is in %s; the VM is in %s", disk.ID, disk.Region, region)
	}
	e.deleteAndCheck(got.ID)
}

func checkDisk(e *env) {
	e.group(baseGroup)
	d := &flex.Disk{Meta: e.meta(e.id(baseGroup, flex.TypeDisk, "disk-crud")), SizeGiB: 64, Zone: "1"}
	e.putAndCheck(d)
	d.SizeGiB = 128 // a disk grows in place
	crud(e, d)
}

func checkSnapshot(e *env) {
	e.group(baseGroup)
	d := put(e, &flex.Disk{Meta: e.meta(e.id(baseGroup, flex.TypeDisk, "disk-snap")), SizeGiB: 64})
	before := e.now()
	s := e.putAndCheck(&flex.Snapshot{Meta: e.meta(e.id(baseGroup, flex.TypeSnapshot, "snap-crud")), Source: d.ID}).(*flex.Snapshot)
	e.wantTime("snapshot creation time", s.Created, before)
	e.deleteAndCheck(s.ID)
}

func checkImage(e *env) {
	e.group(baseGroup)
	d := put(e, &flex.Disk{Meta: e.meta(e.id(baseGroup, flex.TypeDisk, "disk-img")), SizeGiB: 127})
	crud(e, &flex.Image{Meta: e.meta(e.id(baseGroup, flex.TypeImage, "img-disk")), Generation: image.Gen2, OS: image.Windows11, Source: d.ID})
	crud(e, &flex.Image{Meta: e.meta(e.id(baseGroup, flex.TypeImage, "img-vhd")), Generation: image.Gen1, OS: image.WindowsServer2022,
		SourceURL: secret.New("https://example.blob.core.windows.net/vhds/golden.vhd?sv=2022-11-02&sig=abc")})
}

func checkKey(e *env) {
	e.group(baseGroup)
	before := e.now()
	k := crud(e, &flex.Key{Meta: e.meta(e.id(baseGroup, flex.TypeKey, "kv-pt/key-crud"))})
	if k.Version == "" {
		e.t.Errorf("key %s has no version", k.ID)
	}
	e.wantTime("key creation time", k.Created, before)
}

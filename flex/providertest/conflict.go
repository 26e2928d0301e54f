package providertest

import (
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

// Resources in use are not deleted: ErrConflict naming the resource, which
// stays, until what uses it lets go.

// wantInUse fails the check unless deleting id is ErrConflict naming it
// and id still exists.
func (e *env) wantInUse(id flex.ResourceID, why string) {
	e.t.Helper()
	err := e.p.Delete(e.ctx, id)
	e.wantErr(err, flex.ErrConflict, "Delete "+id.String()+" "+why, lastName(id))
	if _, err := e.p.Get(e.ctx, id); err != nil {
		e.t.Errorf("Get %s after a refused Delete: %v; want it still there", id, err)
	}
}

// checkAttached: a subnet's NSG, route table or NAT gateway is not deleted
// while attached; once detached it is.
func checkAttached(e *env, r flex.Resource, attach func(s *flex.Subnet, id flex.ResourceID)) {
	b := e.base()
	id := put(e, r).Metadata().ID
	v := get[*flex.VirtualNetwork](e, b.vnet)
	attach(&v.Subnets[0], id)
	put(e, v)
	e.wantInUse(id, "attached to subnet "+machines)
	attach(&v.Subnets[0], flex.ResourceID{})
	put(e, v)
	e.del(id)
	e.wantGone(id, "after it was detached and deleted")
}

func checkDeleteAttachedNSG(e *env) {
	checkAttached(e, e.nsg(baseGroup, "nsg-attached", nsgRule("allow-https", 100, network.Inbound)),
		func(s *flex.Subnet, id flex.ResourceID) { s.SecurityGroup = id })
}

func checkDeleteAttachedRouteTable(e *env) {
	checkAttached(e, &flex.RouteTable{Meta: e.meta(e.id(baseGroup, flex.TypeRouteTable, "rt-attached"))},
		func(s *flex.Subnet, id flex.ResourceID) { s.RouteTable = id })
}

func checkDeleteAttachedNAT(e *env) {
	checkAttached(e, &flex.NATGateway{Meta: e.meta(e.id(baseGroup, flex.TypeNATGateway, "nat-attached"))},
		func(s *flex.Subnet, id flex.ResourceID) { s.NATGateway = id })
}

// checkDeleteVNetWithVMs: a VNet with VMs is not deleted.
func checkDeleteVNetWithVMs(e *env) {
	b := e.base()
	vm := e.newVM(b, "vm-holds-vnet")
	e.wantInUse(b.vnet, "that has a VM")
	if _, err := e.p.Get(e.ctx, vm.ID); err != nil {
		e.t.Errorf("Get %s after a refused Delete of its VNet: %v", vm.ID, err)
	}
	e.del(vm.ID)
	e.del(b.vnet)
	e.wantGone(b.vnet, "after its VM and it were deleted")
}

// checkDeleteSubnetWithVMs: a Put of a VNet that drops a subnet with VMs,
// or changes its range, is refused, and the subnet stays.
func checkDeleteSubnetWithVMs(e *env) {
	b := e.base()
	e.newVM(b, "vm-holds-subnet")
	before := get[*flex.VirtualNetwork](e, b.vnet)
	dropped := before.Clone().(*flex.VirtualNetwork)
	dropped.Subnets = dropped.Subnets[1:]
	_, err := e.p.Put(e.ctx, dropped)
	e.wantErr(err, flex.ErrConflict, "Put of "+baseVNet+" without subnet "+machines+", which has a VM", baseVNet)
	moved := before.Clone().(*flex.VirtualNetwork)
	moved.Subnets[0].Prefix = pfx("10.10.2.0/24")
	_, err = e.p.Put(e.ctx, moved)
	e.wantErr(err, flex.ErrConflict, "Put of "+baseVNet+" moving subnet "+machines+", which has a VM", baseVNet)
	if d := diff(before, get[*flex.VirtualNetwork](e, b.vnet)); d != "" {
		e.t.Errorf("VNet changed after refused Puts (-want +got):\n%s", d)
	}
}

// checkDeleteVNetWithGateway: a VNet with a VPN gateway is not deleted.
func checkDeleteVNetWithGateway(e *env) {
	b := e.base()
	gw := put(e, e.gateway(b.vnet, "vgw-holds-vnet", "VpnGw1", 0))
	e.wantInUse(b.vnet, "that has a VPN gateway")
	e.del(gw.ID)
	e.del(b.vnet)
	e.wantGone(b.vnet, "after its gateway and it were deleted")
}

// checkDeleteGatewaysInUse: a VPN gateway or local gateway with a
// connection is not deleted.
func checkDeleteGatewaysInUse(e *env) {
	l := e.vpn(e.base())
	e.wantInUse(l.gateway, "that has a connection")
	e.wantInUse(l.local, "that has a connection")
	e.del(l.conn)
	e.del(l.gateway)
	e.del(l.local)
	e.wantGone(l.gateway, "after its connection and it were deleted")
	e.wantGone(l.local, "after its connection and it were deleted")
}

// checkDeleteVNetWithHubConnection: a VNet connected to a hub is not
// deleted while the connection exists.
func checkDeleteVNetWithHubConnection(e *env) {
	b := e.base()
	hub := e.hub("hub-weu", "10.100.0.0/24")
	hc := put(e, e.hubConnection(hub, "conn-holds-vnet", b.vnet))
	e.wantInUse(b.vnet, "that is connected to a hub")
	e.del(hc.ID)
	e.del(b.vnet)
	e.wantGone(b.vnet, "after its hub connection and it were deleted")
}

// checkDeleteAttachedDisk: a VM's OS disk is not deleted while the VM
// exists (Azure's 409 OperationNotAllowed).
func checkDeleteAttachedDisk(e *env) {
	b := e.base()
	vm := e.newVM(b, "vm-holds-disk")
	e.wantInUse(vm.OSDisk, "attached to a VM")
	if got := get[*flex.VirtualMachine](e, vm.ID); !sameID(got.OSDisk, vm.OSDisk) {
		e.t.Errorf("VM's OS disk is %s after a refused Delete of it; want %s", got.OSDisk, vm.OSDisk)
	}
}

package fake_test

import (
	"net/netip"
	"testing"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
)

func TestPutVMFillsWhatTheCloudAssigns(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	in := vm("pc-001", "v", "a")
	got := mustPut(t, c, in)

	want := in.Clone().(*flex.VirtualMachine)
	want.State = flex.Succeeded
	want.ComputerName = "pc-001"
	want.AdminPassword = got.AdminPassword // checked below: never returned
	want.PrivateIP = addr("10.0.0.4")      // Azure keeps .0–.3
	want.OSDisk = id(flex.TypeDisk, "pc-001-osdisk")
	want.PowerState = flex.PowerRunning
	if d := diff(want, got); d != "" {
		t.Errorf("Put returned (-want +got):\n%s", d)
	}
	if !got.AdminPassword.IsZero() {
		t.Errorf("the admin password came back from Put; Azure never returns it")
	}
	disk, err := flex.GetAs[*flex.Disk](ctx, c, got.OSDisk)
	if err != nil {
		t.Fatal(err)
	}
	wantDisk := &flex.Disk{Meta: flex.Meta{ID: got.OSDisk, Region: region, Tags: in.Tags, State: flex.Succeeded}, SizeGiB: fake.OSDiskSizeGiB}
	if d := diff(wantDisk, disk); d != "" {
		t.Errorf("OS disk (-want +got):\n%s", d)
	}
}

func TestGetMissingIsNotFound(t *testing.T) {
	c, _ := newCloud(t)
	_, err := c.Get(ctx, id(flex.TypeVirtualNetwork, "nope"))
	wantCode(t, err, flex.ErrNotFound, "ResourceNotFound")
	_, err = c.Get(ctx, idIn("other", flex.TypeVirtualNetwork, "nope"))
	wantCode(t, err, flex.ErrNotFound, "ResourceGroupNotFound")
	_, err = c.Get(ctx, flex.GroupID(sub, "other"))
	wantCode(t, err, flex.ErrNotFound, "ResourceGroupNotFound")
	if e, ok := err.(*flex.Error); !ok || e.Object != flex.GroupID(sub, "other").String() {
		t.Errorf("error %#v does not name the resource", err)
	}
	_, err = c.Get(ctx, flex.ResourceID{})
	wantKind(t, err, flex.ErrInvalid)
}

func TestPutNeedsTheResourceGroup(t *testing.T) {
	c, _ := newCloud(t)
	r := vnet("v", "10.0.0.0/16")
	r.ID.ResourceGroup = "missing"
	_, err := c.Put(ctx, r)
	wantCode(t, err, flex.ErrNotFound, "ResourceGroupNotFound")
	if n := len(c.Resources(flex.Filter{Type: flex.TypeVirtualNetwork})); n != 0 {
		t.Errorf("%d VNets exist after a failed Put", n)
	}
}

func TestPutOfAChildNeedsItsParent(t *testing.T) {
	c, _ := newCloud(t)
	_, err := c.Put(ctx, &flex.Peering{Meta: meta(id(flex.TypePeering, "missing/p")), Remote: id(flex.TypeVirtualNetwork, "x")})
	wantCode(t, err, flex.ErrNotFound, "ParentResourceNotFound")
}

func TestResourceGroupPutIsIdempotent(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	g := &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(sub, rg), Region: region, Tags: map[string]string{"k": "v"}}}
	for range 3 {
		mustPut(t, c, g)
	}
	if n := c.Count(flex.Filter{})[flex.TypeVirtualNetwork]; n != 1 {
		t.Errorf("re-putting the group left %d VNets, want 1", n)
	}
	got, err := c.Get(ctx, flex.GroupID(sub, "RG")) // names ignore case, as ARM's
	wantKind(t, err, nil)
	if d := diff(map[string]string{"k": "v"}, got.Metadata().Tags); d != "" {
		t.Errorf("tags (-want +got):\n%s", d)
	}
	g.Region = network.EastUS
	_, err = c.Put(ctx, g)
	wantCode(t, err, flex.ErrConflict, "InvalidResourceLocation")
}

func TestRetriedPutNeverDuplicates(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	first := mustPut(t, c, vm("pc-001", "v", "a"))
	again := vm("PC-001", "v", "a") // same ID in another case
	again.ComputerName = "pc-001"
	second := mustPut(t, c, again)
	if d := diff(first, second); d != "" {
		t.Errorf("a retried Put changed the VM (-first +second):\n%s", d)
	}
	counts := c.Count(flex.Filter{Subscription: sub})
	if counts[flex.TypeVirtualMachine] != 1 || counts[flex.TypeDisk] != 1 {
		t.Errorf("after a retried Put: %v", counts)
	}
	next := mustPut(t, c, vm("pc-002", "v", "a"))
	if next.PrivateIP != addr("10.0.0.5") {
		t.Errorf("second VM got %v, want 10.0.0.5 (the retry took no address)", next.PrivateIP)
	}
}

func TestDeleteMissingSucceeds(t *testing.T) {
	c, _ := newCloud(t)
	for _, i := range []flex.ResourceID{
		id(flex.TypeVirtualMachine, "nope"),
		idIn("no-group", flex.TypeVirtualNetwork, "nope"),
		flex.GroupID(sub, "no-group"),
		id(flex.TypePeering, "no-vnet/p"),
	} {
		if err := c.Delete(ctx, i); err != nil {
			t.Errorf("Delete %s: %v, want success as Azure's 204", i, err)
		}
	}
}

func TestDeleteGroupDeletesEverythingInIt(t *testing.T) {
	c, _ := newCloud(t)
	mustPut(t, c, &flex.SecurityGroup{Meta: meta(id(flex.TypeSecurityGroup, "nsg"))})
	v := vnet("v", "10.0.0.0/16", subnet("a", "10.0.0.0/24"))
	v.Subnets[0].SecurityGroup = id(flex.TypeSecurityGroup, "nsg")
	mustPut(t, c, v)
	mustPut(t, c, vnet("w", "10.1.0.0/16"))
	mustPut(t, c, &flex.Peering{Meta: meta(id(flex.TypePeering, "v/to-w")), Remote: id(flex.TypeVirtualNetwork, "w")})
	for _, n := range []string{"pc-1", "pc-2"} {
		mustPut(t, c, vm(n, "v", "a"))
	}
	other := &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(sub, "keep"), Region: region}}
	mustPut(t, c, other)
	mustPut(t, c, &flex.SecurityGroup{Meta: meta(idIn("keep", flex.TypeSecurityGroup, "nsg"))})

	if err := c.Delete(ctx, flex.GroupID(sub, rg)); err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, r := range c.Resources(flex.Filter{}) {
		left = append(left, r.Metadata().ID.String())
	}
	want := []string{other.ID.String(), idIn("keep", flex.TypeSecurityGroup, "nsg").String()}
	if d := diff(want, left); d != "" {
		t.Errorf("left after deleting the group (-want +got):\n%s", d)
	}
}

func TestDeleteGroupRefusedWhenUsedFromOutside(t *testing.T) {
	c, _ := newCloud(t)
	mustPut(t, c, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(sub, "net"), Region: region}})
	mustPut(t, c, &flex.SecurityGroup{Meta: meta(idIn("net", flex.TypeSecurityGroup, "nsg"))})
	v := vnet("v", "10.0.0.0/16", subnet("a", "10.0.0.0/24"))
	v.Subnets[0].SecurityGroup = idIn("net", flex.TypeSecurityGroup, "nsg")
	mustPut(t, c, v)
	err := c.Delete(ctx, flex.GroupID(sub, "net"))
	wantCode(t, err, flex.ErrConflict, "InUseNetworkSecurityGroupCannotBeDeleted") // RULE AZ-1
	if _, err := c.Get(ctx, idIn("net", flex.TypeSecurityGroup, "nsg")); err != nil {
		t.Errorf("a refused group delete deleted the NSG: %v", err)
	}
}

func TestListIsSortedAndFiltered(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	for _, n := range []string{"pc-3", "PC-1", "pc-2"} {
		r := vm(n, "v", "a")
		r.ComputerName = "pc" + n[3:]
		r.Tags = map[string]string{flex.TagOwner: "catalog/" + n[3:]}
		mustPut(t, c, r)
	}
	got, err := c.List(ctx, flex.Filter{Subscription: "SUB-1", Type: flex.TypeVirtualMachine})
	wantKind(t, err, nil)
	var names []string
	for _, r := range got {
		names = append(names, r.Metadata().ID.Name)
	}
	if d := diff([]string{"PC-1", "pc-2", "pc-3"}, names); d != "" {
		t.Errorf("List order (-want +got):\n%s", d)
	}
	got, _ = c.List(ctx, flex.Filter{Subscription: sub, Tags: map[string]string{flex.TagOwner: "catalog/2"}})
	if len(got) != 2 { // the VM and its OS disk
		t.Errorf("tag filter found %d resources, want the VM and its disk", len(got))
	}
	_, err = c.List(ctx, flex.Filter{})
	wantKind(t, err, flex.ErrInvalid)
	got, _ = c.List(ctx, flex.Filter{Subscription: "sub-2"})
	if len(got) != 0 {
		t.Errorf("another subscription lists %d resources", len(got))
	}
}

func TestCopiesInAndOut(t *testing.T) {
	c, _ := newCloud(t)
	nsg := &flex.SecurityGroup{Meta: meta(id(flex.TypeSecurityGroup, "nsg")), Rules: []network.SecurityRule{{
		Name: "AllowRDP", Priority: 100, Direction: network.Inbound, Access: network.Allow, Protocol: network.TCP,
		Sources: []network.Address{network.PrefixAddress(pfx("10.9.0.0/24"))}, SourcePorts: []network.PortRange{network.AnyPort()},
		Destinations: []network.Address{network.TagAddress(network.TagAny)}, DestinationPorts: []network.PortRange{network.Port(3389)},
	}}}
	stored := mustPut(t, c, nsg)
	want := stored.Clone()

	// Mutate what went in and what came out, deep inside.
	nsg.Tags["x"] = "y"
	nsg.Rules[0].Sources[0] = network.TagAddress(network.TagInternet)
	stored.Tags["x"] = "y"
	stored.Rules[0].DestinationPorts[0] = network.Port(22)
	got, _ := c.Get(ctx, nsg.ID)
	got.(*flex.SecurityGroup).Rules[0].Name = "changed"
	list := c.Resources(flex.Filter{Type: flex.TypeSecurityGroup})
	list[0].Metadata().Tags[flex.TagOwner] = "changed"

	again, _ := c.Get(ctx, nsg.ID)
	if d := diff(want, again); d != "" {
		t.Errorf("the store changed through a copy (-want +got):\n%s", d)
	}

	v := mustPut(t, c, vnet("v", "10.0.0.0/16", subnet("a", "10.0.0.0/24")))
	v.Subnets[0].Prefix = pfx("10.0.5.0/24")
	v.AddressSpace[0] = pfx("192.168.0.0/16")
	back, _ := flex.GetAs[*flex.VirtualNetwork](ctx, c, v.ID)
	if back.AddressSpace[0] != pfx("10.0.0.0/16") || back.Subnets[0].Prefix != pfx("10.0.0.0/24") {
		t.Errorf("the stored VNet changed through a returned copy: %+v", back)
	}
}

func TestPutRefusesMismatchedTypesAndNil(t *testing.T) {
	c, _ := newCloud(t)
	r := vnet("v", "10.0.0.0/16")
	r.ID.Type = flex.TypeSecurityGroup
	_, err := c.Put(ctx, r)
	wantCode(t, err, flex.ErrInvalid, "InvalidResourceType")
	_, err = c.Put(ctx, (*flex.VirtualNetwork)(nil))
	wantKind(t, err, flex.ErrInvalid)
	_, err = c.Put(ctx, nil)
	wantKind(t, err, flex.ErrInvalid)
	r = vnet("v", "10.0.0.0/16")
	r.Region = ""
	_, err = c.Put(ctx, r)
	wantCode(t, err, flex.ErrInvalid, "LocationRequired")
	r.Region = "West Europe"
	got := mustPut(t, c, r)
	if got.Region != network.WestEurope {
		t.Errorf("region %q, want it normalized to westeurope", got.Region)
	}
	r.Region = network.EastUS
	_, err = c.Put(ctx, r)
	wantCode(t, err, flex.ErrConflict, "InvalidResourceLocation")
}

func TestCancelledContext(t *testing.T) {
	c, _ := newCloud(t)
	cctx, cancel := contextWithCancel()
	cancel()
	if _, err := c.Put(cctx, vnet("v", "10.0.0.0/16")); err != cctx.Err() {
		t.Errorf("Put on a cancelled context: %v", err)
	}
	if _, err := c.Get(cctx, id(flex.TypeVirtualNetwork, "v")); err != cctx.Err() {
		t.Errorf("Get on a cancelled context: %v", err)
	}
	if err := c.Delete(cctx, id(flex.TypeVirtualNetwork, "v")); err != cctx.Err() {
		t.Errorf("Delete on a cancelled context: %v", err)
	}
	if _, err := c.List(cctx, flex.Filter{Subscription: sub}); err != cctx.Err() {
		t.Errorf("List on a cancelled context: %v", err)
	}
	if err := c.Power(cctx, id(flex.TypeVirtualMachine, "x"), flex.Start); err != cctx.Err() {
		t.Errorf("Power on a cancelled context: %v", err)
	}
}

func TestProvisioningStateStuck(t *testing.T) {
	c, _ := newCloud(t)
	v := mustPut(t, c, vnet("v", "10.0.0.0/16"))
	if v.State != flex.Succeeded {
		t.Fatalf("state after Put = %s", v.State)
	}
	if err := c.SetState(v.ID, flex.Creating); err != nil {
		t.Fatal(err)
	}
	got, _ := c.Get(ctx, v.ID)
	if got.Metadata().State != flex.Creating {
		t.Errorf("state = %s, want Creating", got.Metadata().State)
	}
	_, err := c.Put(ctx, v)
	wantCode(t, err, flex.ErrConflict, "AnotherOperationInProgress")
	if err := c.SetState(v.ID, flex.Failed); err != nil {
		t.Fatal(err)
	}
	if got := mustPut(t, c, v); got.State != flex.Succeeded {
		t.Errorf("a Put of a Failed resource left state %s", got.State)
	}
	wantKind(t, c.SetState(id(flex.TypeVirtualNetwork, "nope"), flex.Failed), flex.ErrNotFound)
}

func TestErrorAsHasNoNativeErrors(t *testing.T) {
	c, _ := newCloud(t)
	_, err := c.Get(ctx, id(flex.TypeVirtualNetwork, "nope"))
	var target *flex.Error
	if c.ErrorAs(err, &target) {
		t.Errorf("ErrorAs reported a native error")
	}
}

var _ = image.Gen1
var _ = netip.Addr{}

package providertest

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

// missingIDs returns an ID of every resource type that names nothing in
// group (which may exist or not), and the group's own ID.
func (e *env) missingIDs(group string) []flex.ResourceID {
	ids := []flex.ResourceID{flex.GroupID(e.sub, group+"-missing")}
	for _, t := range []flex.ResourceType{flex.TypeVirtualNetwork, flex.TypeSecurityGroup, flex.TypeRouteTable,
		flex.TypeNATGateway, flex.TypeVPNGateway, flex.TypeLocalGateway, flex.TypeVPNConnection, flex.TypeVirtualHub,
		flex.TypeVirtualMachine, flex.TypeDisk, flex.TypeSnapshot, flex.TypeImage} {
		ids = append(ids, e.id(group, t, "missing-"+strings.ToLower(lastSegment(string(t)))))
	}
	return append(ids,
		e.id(group, flex.TypePeering, baseVNet+"/missing-peering"),
		e.id(group, flex.TypePeering, "vnet-missing/missing-peering"),
		e.id(group, flex.TypeHubConnection, "hub-missing/missing-connection"),
		e.id(group, flex.TypeKey, "kv-pt/missing-key"),
	)
}

func lastSegment(s string) string { return s[strings.LastIndexByte(s, '/')+1:] }

// checkPutNeedsGroup: a Put into a resource group that does not exist is
// ErrNotFound (ARM's 404 ResourceGroupNotFound), and creates nothing.
func checkPutNeedsGroup(e *env) {
	e.base()
	const missing = "rg-missing"
	vnet := e.id(missing, flex.TypeVirtualNetwork, "vnet-nogroup")
	for _, r := range []flex.Resource{
		e.vnet(missing, "vnet-nogroup", "10.20.0.0/16"),
		e.nsg(missing, "nsg-nogroup"),
		&flex.RouteTable{Meta: e.meta(e.id(missing, flex.TypeRouteTable, "rt-nogroup"))},
		&flex.NATGateway{Meta: e.meta(e.id(missing, flex.TypeNATGateway, "nat-nogroup"))},
		&flex.Disk{Meta: e.meta(e.id(missing, flex.TypeDisk, "disk-nogroup")), SizeGiB: 32},
		&flex.Key{Meta: e.meta(e.id(missing, flex.TypeKey, "kv-pt/key-nogroup"))},
		&flex.Peering{Meta: e.meta(vnet.Child(flex.TypePeering, "peer-nogroup")), Remote: e.id(baseGroup, flex.TypeVirtualNetwork, baseVNet)},
	} {
		id := r.Metadata().ID
		_, err := e.p.Put(e.ctx, r)
		e.wantErr(err, flex.ErrNotFound, "Put "+id.String()+" into a missing resource group", lastName(id), missing)
	}
	if got := e.list(flex.Filter{ResourceGroup: missing}); len(got) > 0 {
		e.t.Errorf("refused Puts into a missing group left %d resources behind: %v", len(got), ids(got))
	}
}

// checkPutNeedsParent: a child resource needs its parent: a peering its
// VNet, a hub connection its hub (ErrNotFound).
func checkPutNeedsParent(e *env) {
	b := e.base()
	for _, r := range []flex.Resource{
		&flex.Peering{Meta: e.meta(e.id(baseGroup, flex.TypePeering, "vnet-missing/peer-noparent")), Remote: b.vnet},
		&flex.HubConnection{Meta: e.meta(e.id(baseGroup, flex.TypeHubConnection, "hub-missing/conn-noparent")), Remote: b.vnet},
	} {
		id := r.Metadata().ID
		_, err := e.p.Put(e.ctx, r)
		e.wantErr(err, flex.ErrNotFound, "Put "+id.String()+" under a missing parent", lastName(id))
		e.wantGone(id, "after a refused Put")
	}
}

// checkGetMissing: Get of a missing resource, of one in a missing group
// and of a missing group is ErrNotFound naming it.
func checkGetMissing(e *env) {
	e.base()
	for _, id := range append(e.missingIDs(baseGroup), e.missingIDs("rg-missing")...) {
		e.wantGone(id, "of a missing resource")
	}
}

// checkDeleteMissing: deleting what does not exist succeeds, as Azure's
// 204 does; so does deleting twice.
func checkDeleteMissing(e *env) {
	b := e.base()
	for _, id := range append(e.missingIDs(baseGroup), e.missingIDs("rg-missing")...) {
		if err := e.p.Delete(e.ctx, id); err != nil {
			e.t.Errorf("Delete of missing %s: %v; want success", id, err)
		}
	}
	nsg := put(e, e.nsg(baseGroup, "nsg-twice"))
	e.del(nsg.ID)
	if err := e.p.Delete(e.ctx, nsg.ID); err != nil {
		e.t.Errorf("second Delete of %s: %v; want success", nsg.ID, err)
	}
	if _, err := e.p.Get(e.ctx, b.vnet); err != nil {
		e.t.Errorf("Get %s after Deletes of missing resources: %v", b.vnet, err)
	}
}

// checkDeleteGroup: deleting a resource group deletes everything in it
// and nothing outside it.
func checkDeleteGroup(e *env) {
	b := e.base()
	nsg := put(e, e.nsg(baseGroup, "nsg-del", nsgRule("allow-https", 100, network.Inbound)))
	rt := put(e, &flex.RouteTable{Meta: e.meta(e.id(baseGroup, flex.TypeRouteTable, "rt-del"))})
	v := get[*flex.VirtualNetwork](e, b.vnet)
	v.Subnets[0].SecurityGroup, v.Subnets[0].RouteTable = nsg.ID, rt.ID
	put(e, v)
	other := put(e, e.vnet(baseGroup, "vnet-other", "10.11.0.0/16"))
	peer := put(e, &flex.Peering{Meta: e.meta(b.vnet.Child(flex.TypePeering, "to-other")), Remote: other.ID})
	vm := e.newVM(b, "vm-del")
	snap := put(e, &flex.Snapshot{Meta: e.meta(e.id(baseGroup, flex.TypeSnapshot, "snap-del")), Source: vm.OSDisk})
	key := put(e, &flex.Key{Meta: e.meta(e.id(baseGroup, flex.TypeKey, "kv-pt/key-del"))})
	gw := put(e, e.gateway(b.vnet, "vgw-del", "VpnGw1", 0))

	e.group("rg-keep")
	keep := put(e, e.vnet("rg-keep", "vnet-keep", "10.12.0.0/16"))

	e.del(b.group)
	for _, id := range []flex.ResourceID{b.group, b.vnet, nsg.ID, rt.ID, other.ID, peer.ID, vm.ID, vm.OSDisk, snap.ID, key.ID, gw.ID} {
		e.wantGone(id, "after its resource group was deleted")
	}
	if got := e.list(flex.Filter{ResourceGroup: baseGroup}); len(got) > 0 {
		e.t.Errorf("List of deleted group %s holds %v", baseGroup, ids(got))
	}
	if _, err := e.p.Get(e.ctx, keep.ID); err != nil {
		e.t.Errorf("Get %s in another group after the delete: %v", keep.ID, err)
	}
}

// checkIdempotentPut: a retried Put makes no duplicate and keeps what the
// cloud assigned: addresses, disks, versions, creation times.
func checkIdempotentPut(e *env) {
	b := e.base()
	retry := func(r flex.Resource) (first, second flex.Resource) {
		e.t.Helper()
		first = put(e, r.Clone())
		second = put(e, r.Clone())
		if d := diff(first, second); d != "" {
			e.t.Errorf("retried Put %s returned another resource (-first +retry):\n%s", r.Metadata().ID, d)
		}
		return first, second
	}
	retry(&flex.ResourceGroup{Meta: e.meta(b.group)})
	retry(get[*flex.VirtualNetwork](e, b.vnet))
	retry(e.nsg(baseGroup, "nsg-retry", nsgRule("allow-https", 100, network.Inbound)))
	retry(&flex.NATGateway{Meta: e.meta(e.id(baseGroup, flex.TypeNATGateway, "nat-retry"))})
	retry(e.vm("vm-retry", b.vnet, machines))
	retry(e.gateway(b.vnet, "vgw-retry", "VpnGw1", 65010))
	retry(e.localGateway("lgw-retry", 65020))
	retry(e.connection("conn-retry", e.id(baseGroup, flex.TypeVPNGateway, "vgw-retry"), e.id(baseGroup, flex.TypeLocalGateway, "lgw-retry"), secret.New("Retry.Key_1"), true))
	other := put(e, e.vnet(baseGroup, "vnet-peer", "10.11.0.0/16"))
	retry(&flex.Peering{Meta: e.meta(b.vnet.Child(flex.TypePeering, "to-peer")), Remote: other.ID})
	disk := put(e, &flex.Disk{Meta: e.meta(e.id(baseGroup, flex.TypeDisk, "disk-retry")), SizeGiB: 32})
	retry(disk)
	snap, _ := retry(&flex.Snapshot{Meta: e.meta(e.id(baseGroup, flex.TypeSnapshot, "snap-retry")), Source: disk.ID})
	if snap.(*flex.Snapshot).Incremental {
		e.t.Errorf("the first snapshot of %s is incremental after a retried Put; only later ones are (AZ-8)", disk.ID)
	}
	retry(&flex.Key{Meta: e.meta(e.id(baseGroup, flex.TypeKey, "kv-pt/key-retry"))})

	want := map[flex.ResourceType]int{
		flex.TypeResourceGroup: 1, flex.TypeVirtualNetwork: 2, flex.TypeSecurityGroup: 1, flex.TypeNATGateway: 1,
		flex.TypeVirtualMachine: 1, flex.TypeDisk: 2, flex.TypeVPNGateway: 1, flex.TypeLocalGateway: 1,
		flex.TypeVPNConnection: 1, flex.TypePeering: 1, flex.TypeSnapshot: 1, flex.TypeKey: 1,
	}
	got := make(map[flex.ResourceType]int)
	for _, r := range e.list(flex.Filter{}) {
		got[r.Metadata().ID.Type]++
	}
	if d := diff(want, got); d != "" {
		e.t.Errorf("resources of each type after retried Puts (-want +got):\n%s", d)
	}
}

// checkNamesIgnoreCase: ARM names ignore case: a Get or Put with the name
// in another case finds the same resource and makes no second one.
func checkNamesIgnoreCase(e *env) {
	b := e.base()
	vm := e.newVM(b, "vm-case")
	upper := vm.ID
	upper.Name, upper.ResourceGroup = strings.ToUpper(upper.Name), strings.ToUpper(upper.ResourceGroup)
	got, err := flex.GetAs[*flex.VirtualMachine](e.ctx, e.p, upper)
	if err != nil {
		e.t.Fatalf("Get %s (the name in upper case): %v", upper, err)
	}
	if got.PrivateIP != vm.PrivateIP || got.OSDisk != vm.OSDisk {
		e.t.Errorf("Get in upper case returned another VM: %v %v; want %v %v", got.PrivateIP, got.OSDisk, vm.PrivateIP, vm.OSDisk)
	}
	again := e.vm("vm-case", b.vnet, machines)
	again.ID = upper
	if _, err := e.p.Put(e.ctx, again); err != nil {
		e.t.Fatalf("Put %s (the name in upper case): %v", upper, err)
	}
	if n := len(e.list(flex.Filter{Type: flex.TypeVirtualMachine})); n != 1 {
		e.t.Errorf("%d VMs after a Put of the same name in upper case; want 1", n)
	}
}

// checkUpdateInPlace: a Put of an existing resource updates it: a VNet
// gains a subnet, an NSG changes its rules, a VM changes size and keeps
// its address.
func checkUpdateInPlace(e *env) {
	b := e.base()
	vm := e.newVM(b, "vm-upd")
	v := get[*flex.VirtualNetwork](e, b.vnet)
	v.Subnets = append(v.Subnets, subnet("extra", "10.10.2.0/24"))
	e.putAndCheck(v)
	nsg := put(e, e.nsg(baseGroup, "nsg-upd", nsgRule("allow-https", 100, network.Inbound)))
	nsg.Rules = []network.SecurityRule{nsgRule("allow-https", 300, network.Inbound), nsgRule("allow-https-out", 300, network.Outbound)}
	e.putAndCheck(nsg)
	vm.Size = "Standard_D4s_v5"
	got := e.putAndCheck(vm).(*flex.VirtualMachine)
	if got.PrivateIP != vm.PrivateIP || got.OSDisk != vm.OSDisk {
		e.t.Errorf("resized VM has address %v and disk %s; want %v and %s", got.PrivateIP, got.OSDisk, vm.PrivateIP, vm.OSDisk)
	}
}

// checkPutIgnoresState: the provisioning state is the cloud's: a Put that
// carries one gets Succeeded (AZ-8).
func checkPutIgnoresState(e *env) {
	e.group(baseGroup)
	n := e.nsg(baseGroup, "nsg-state")
	n.State = flex.Failed
	if got := put(e, n); got.State != flex.Succeeded {
		e.t.Errorf("Put of a resource in state %s returned state %s; want %s (AZ-8)", flex.Failed, got.State, flex.Succeeded)
	}
	if got := get[*flex.SecurityGroup](e, n.ID); got.State != flex.Succeeded {
		e.t.Errorf("Get after Put: state %s; want %s (AZ-8)", got.State, flex.Succeeded)
	}
}

func ids(rs []flex.Resource) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Metadata().ID.String()
	}
	return out
}

// checkList: List returns exactly the resources flex.Filter.Matches,
// sorted by ID.
func checkList(e *env) {
	var all []flex.Resource
	add := func(r flex.Resource) { all = append(all, r) }
	for _, g := range []string{"rg-b", "rg-a"} {
		add(put(e, &flex.ResourceGroup{Meta: e.meta(flex.GroupID(e.sub, g))}))
		v2 := e.vnet(g, "v2", "10.2.0.0/16")
		v2.Tags["role"] = "spoke"
		add(put(e, v2))
		v1 := e.vnet(g, "v1", "10.1.0.0/16", subnet("s", "10.1.0.0/24"))
		v1.Tags["role"] = "hub"
		if g == "rg-a" {
			v1.Tags["zone"] = "red"
		}
		add(put(e, v1))
		add(put(e, e.nsg(g, "n1")))
		add(put(e, &flex.Key{Meta: e.meta(e.id(g, flex.TypeKey, "kv-"+g+"/k1"))}))
	}
	for _, f := range []flex.Filter{
		{},
		{ResourceGroup: "rg-a"},
		{Type: flex.TypeVirtualNetwork},
		{Type: flex.TypeResourceGroup},
		{Type: flex.TypeKey},
		{ResourceGroup: "rg-b", Type: flex.TypeSecurityGroup},
		{Tags: map[string]string{"role": "hub"}},
		{Tags: map[string]string{"role": "hub", "zone": "red"}},
		{Tags: map[string]string{flex.TagTenant: e.tenant}},
		{ResourceGroup: "rg-a", Type: flex.TypeVirtualNetwork, Tags: map[string]string{"role": "spoke"}},
		{Tags: map[string]string{"role": "none"}},
		{ResourceGroup: "rg-none"},
	} {
		f.Subscription = e.sub
		var want []string
		for _, r := range all {
			if f.Matches(r) {
				want = append(want, r.Metadata().ID.String())
			}
		}
		slices.SortFunc(want, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
		if d := diff(want, ids(e.list(f))); d != "" {
			e.t.Errorf("List %+v: want the resources Filter.Matches, sorted by ID (-want +got):\n%s", f, d)
		}
	}
}

// checkListNeedsSubscription: a filter without a subscription is refused.
func checkListNeedsSubscription(e *env) {
	e.base()
	_, err := e.p.List(e.ctx, flex.Filter{ResourceGroup: baseGroup})
	e.wantErr(err, flex.ErrInvalid, "List without a subscription")
}

// checkTags: tags round-trip, a Put replaces them all, and List filters
// on them.
func checkTags(e *env) {
	e.group(baseGroup)
	v := e.vnet(baseGroup, "vnet-tags", "10.20.0.0/16")
	v.Tags["env"] = "test"
	v.Tags["Cost Center"] = "4711"
	v.Tags["note"] = "Ünïcode & spaces"
	e.putAndCheck(v)
	v.Tags = map[string]string{flex.TagTenant: e.tenant, flex.TagOwner: "providertest", "Cost Center": "42", "new": "yes"}
	got := e.putAndCheck(v)
	if d := diff(v.Tags, got.Metadata().Tags); d != "" {
		e.t.Errorf("tags after an update (-want +got):\n%s", d)
	}
	if n := len(e.list(flex.Filter{Tags: map[string]string{"env": "test"}})); n != 0 {
		e.t.Errorf("List by a tag the update removed finds %d resources; want 0", n)
	}
	if n := len(e.list(flex.Filter{Tags: map[string]string{"Cost Center": "42", "new": "yes"}})); n != 1 {
		e.t.Errorf("List by the new tags finds %d resources; want 1", n)
	}
}

// checkDeepCopies: what Put takes and what Put, Get and List return are
// copies: changing them never changes the cloud.
func checkDeepCopies(e *env) {
	e.group(baseGroup)
	in := e.vnet(baseGroup, "vnet-copy", "10.20.0.0/16", subnet("a", "10.20.1.0/24"))
	in.DNSServers = []netip.Addr{addr("10.20.0.4")}
	got := put(e, in)
	want := got.Clone()
	mutateVNet := func(v *flex.VirtualNetwork) {
		v.Tags["mutated"] = "yes"
		v.AddressSpace[0] = pfx("10.99.0.0/16")
		v.DNSServers[0] = addr("10.99.0.4")
		v.Subnets[0].Name = "mutated"
		v.Subnets[0].Prefix = pfx("10.99.1.0/24")
	}
	check := func(after string) {
		e.t.Helper()
		if d := diff(want, get[*flex.VirtualNetwork](e, in.ID)); d != "" {
			e.t.Errorf("the cloud changed after %s (-want +got):\n%s", after, d)
		}
	}
	mutateVNet(in)
	check("changing what Put took")
	mutateVNet(got)
	check("changing what Put returned")
	mutateVNet(get[*flex.VirtualNetwork](e, want.Metadata().ID))
	check("changing what Get returned")
	for _, r := range e.list(flex.Filter{Type: flex.TypeVirtualNetwork}) {
		mutateVNet(r.(*flex.VirtualNetwork))
	}
	check("changing what List returned")

	n := put(e, e.nsg(baseGroup, "nsg-copy", nsgRule("allow-https", 100, network.Inbound)))
	wantN := n.Clone()
	n.Rules[0].Sources[0] = network.PrefixAddress(pfx("0.0.0.0/0"))
	n.Rules[0].DestinationPorts[0] = network.Port(22)
	n.Rules[0].Priority = 4000
	if d := diff(wantN, get[*flex.SecurityGroup](e, n.ID)); d != "" {
		e.t.Errorf("the NSG changed after changing the rules Put returned (-want +got):\n%s", d)
	}
}

// checkMissingReference: a resource that refers to one that does not
// exist is refused (ErrNotFound or ErrInvalid, as Azure answers both) and
// not created.
func checkMissingReference(e *env) {
	b := e.base()
	missingVNet := e.id(baseGroup, flex.TypeVirtualNetwork, "vnet-missing")
	vmNoVNet := e.vm("vm-novnet", missingVNet, machines)
	vmNoSubnet := e.vm("vm-nosubnet", b.vnet, "no-such-subnet")
	withNSG := e.vnet(baseGroup, "vnet-nsg", "10.20.0.0/16", subnet("a", "10.20.1.0/24"))
	withNSG.Subnets[0].SecurityGroup = e.id(baseGroup, flex.TypeSecurityGroup, "nsg-missing")
	snap := &flex.Snapshot{Meta: e.meta(e.id(baseGroup, flex.TypeSnapshot, "snap-nodisk")), Source: e.id(baseGroup, flex.TypeDisk, "disk-missing")}
	peer := &flex.Peering{Meta: e.meta(b.vnet.Child(flex.TypePeering, "peer-noremote")), Remote: missingVNet}
	gw := e.gateway(missingVNet, "vgw-novnet", "VpnGw1", 0)
	for _, r := range []flex.Resource{vmNoVNet, vmNoSubnet, withNSG, snap, peer, gw} {
		id := r.Metadata().ID
		_, err := e.p.Put(e.ctx, r)
		e.wantErrIn(err, []error{flex.ErrNotFound, flex.ErrInvalid}, "Put "+id.String()+" referring to a missing resource", lastName(id))
		e.wantGone(id, "after a refused Put")
	}
}

// checkContextCanceled: a canceled context's error passes through
// untouched, and a canceled Put creates nothing.
func checkContextCanceled(e *env) {
	b := e.base()
	vm := e.newVM(b, "vm-ctx")
	disk := put(e, &flex.Disk{Meta: e.meta(e.id(baseGroup, flex.TypeDisk, "disk-ctx")), SizeGiB: 32})
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	nsg := e.nsg(baseGroup, "nsg-ctx")
	var errs []error
	_, err := e.p.Put(ctx, nsg)
	errs = append(errs, err)
	_, err = e.p.Get(ctx, b.vnet)
	errs = append(errs, err)
	_, err = e.p.List(ctx, flex.Filter{Subscription: e.sub})
	errs = append(errs, err)
	errs = append(errs, e.p.Delete(ctx, b.vnet), e.p.Power(ctx, vm.ID, flex.PowerOff))
	_, err = e.p.GrantDiskAccess(ctx, disk.ID, time.Hour)
	errs = append(errs, err)
	for i, op := range []string{"Put", "Get", "List", "Delete", "Power", "GrantDiskAccess"} {
		if !errors.Is(errs[i], context.Canceled) {
			e.t.Errorf("%s with a canceled context: %v; want context.Canceled", op, errs[i])
		}
	}
	e.wantGone(nsg.ID, "after a Put with a canceled context")
	if got := get[*flex.VirtualMachine](e, vm.ID); got.PowerState != flex.PowerRunning {
		e.t.Errorf("VM is %s after a powerOff with a canceled context; want it still running", got.PowerState)
	}
}

// foreignError is an error type no provider holds.
type foreignError struct{}

func (*foreignError) Error() string { return "foreign" }

// checkErrorAs: ErrorAs reports false for a plain error, for nil and for
// a type the provider's errors do not hold.
func checkErrorAs(e *env) {
	e.base()
	var target *foreignError
	if e.p.ErrorAs(errors.New("plain"), &target) {
		e.t.Errorf("ErrorAs of a plain error reports true")
	}
	if e.p.ErrorAs(nil, &target) {
		e.t.Errorf("ErrorAs of nil reports true")
	}
	_, err := e.p.Get(e.ctx, e.id(baseGroup, flex.TypeVirtualNetwork, "vnet-missing"))
	if err == nil {
		e.t.Fatalf("Get of a missing VNet succeeded")
	}
	if e.p.ErrorAs(err, &target) {
		e.t.Errorf("ErrorAs(%v, *foreignError) reports true", err)
	}
}

// checkErrorAsNative: ErrorAs reaches the native error of a provider's
// error (the Azure provider's *azcore.ResponseError), and not that of a
// plain one.
func checkErrorAsNative(e *env) {
	n, ok := e.h.(NativeErrors)
	if !ok {
		e.skip("NativeErrors", "ErrorAs of a provider error")
		return
	}
	e.base()
	_, err := e.p.Get(e.ctx, e.id(baseGroup, flex.TypeVirtualNetwork, "vnet-missing"))
	if err == nil {
		e.t.Fatalf("Get of a missing VNet succeeded")
	}
	if target := n.NativeErrorTarget(); !e.p.ErrorAs(err, target) {
		e.t.Errorf("ErrorAs(%v, %T) reports false; want the native error of a 404", err, target)
	}
	if target := n.NativeErrorTarget(); e.p.ErrorAs(fmt.Errorf("plain"), target) {
		e.t.Errorf("ErrorAs of a plain error into %T reports true", target)
	}
}

// checkLocationIsFixed: a resource stays in the region it was created in:
// a Put that moves a resource group is ErrConflict (Azure's 409
// InvalidResourceGroupLocation), one that moves a resource is refused
// (InvalidResourceLocation), and both keep their region.
func checkLocationFixed(e *env) {
	b := e.base()
	g := &flex.ResourceGroup{Meta: e.meta(b.group)}
	g.Region = network.NorthEurope
	_, err := e.p.Put(e.ctx, g)
	e.wantErr(err, flex.ErrConflict, "Put of resource group "+baseGroup+" in another region", baseGroup)
	v := get[*flex.VirtualNetwork](e, b.vnet)
	v.Region = network.NorthEurope
	_, err = e.p.Put(e.ctx, v)
	e.wantErrIn(err, []error{flex.ErrConflict, flex.ErrInvalid}, "Put of VNet "+baseVNet+" in another region", baseVNet)
	if got := get[*flex.ResourceGroup](e, b.group); got.Region != region {
		e.t.Errorf("resource group is in %s after a refused move; want %s", got.Region, region)
	}
	if got := get[*flex.VirtualNetwork](e, b.vnet); got.Region != region {
		e.t.Errorf("VNet is in %s after a refused move; want %s", got.Region, region)
	}
}

// checkImmutable: what Azure fixes when it creates a VM (zone, computer
// name, network) cannot change with a Put: ErrConflict (Azure's 409
// PropertyChangeNotAllowed), and the VM stays as it was.
func checkImmutable(e *env) {
	b := e.base()
	v := put(e, e.vnet(baseGroup, "vnet-two", "10.11.0.0/16", subnet(machines, "10.11.1.0/24")))
	in := e.vm("vm-fixed", b.vnet, machines)
	in.Zone = "1"
	vm := put(e, in)
	for _, c := range []struct {
		what   string
		change func(*flex.VirtualMachine)
	}{
		{"zone", func(m *flex.VirtualMachine) { m.Zone = "2" }},
		{"computer name", func(m *flex.VirtualMachine) { m.ComputerName = "renamed" }},
		{"virtual network", func(m *flex.VirtualMachine) { m.Network = v.ID }},
	} {
		m := in.Clone().(*flex.VirtualMachine)
		c.change(m)
		_, err := e.p.Put(e.ctx, m)
		e.wantErr(err, flex.ErrConflict, "Put of VM "+vm.ID.Name+" with another "+c.what, vm.ID.Name)
		if d := diff(vm, get[*flex.VirtualMachine](e, vm.ID)); d != "" {
			e.t.Errorf("VM changed after a refused change of its %s (-want +got):\n%s", c.what, d)
		}
	}
}

package providertest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/secret"
)

// AZ-8: power states, snapshots and images.

// wantPower fails the check unless the VM is in power state ps and
// provisioning state Succeeded.
func (e *env) wantPower(vm flex.ResourceID, ps flex.PowerState, after string) {
	e.t.Helper()
	got := get[*flex.VirtualMachine](e, vm)
	if got.PowerState != ps || got.State != flex.Succeeded {
		e.t.Errorf("after %s, VM %s is %q in provisioning state %q; want %q and %q (AZ-8)", after, vm.Name, got.PowerState, got.State, ps, flex.Succeeded)
	}
}

func checkPowerTransitions(e *env) {
	b := e.base()
	vm := e.newVM(b, "vm-power").ID
	e.wantPower(vm, flex.PowerRunning, "create")
	for _, step := range []struct {
		a    flex.PowerAction
		want flex.PowerState
	}{
		{flex.PowerOff, flex.PowerStopped},
		{flex.Start, flex.PowerRunning},
		{flex.Restart, flex.PowerRunning},
		{flex.Deallocate, flex.PowerDeallocated},
		{flex.Start, flex.PowerRunning},
		{flex.PowerOff, flex.PowerStopped},
		{flex.Deallocate, flex.PowerDeallocated}, // from stopped
		{flex.Deallocate, flex.PowerDeallocated}, // again: nothing to do
		{flex.Start, flex.PowerRunning},
	} {
		e.power(vm, step.a)
		e.wantPower(vm, step.want, string(step.a))
	}
	err := e.p.Power(e.ctx, e.id(baseGroup, flex.TypeVirtualMachine, "vm-missing"), flex.Start)
	e.wantErr(err, flex.ErrNotFound, "start of a missing VM", "vm-missing")
}

// checkPowerConflicts: a VM that is not running cannot be restarted
// (Azure's 409 OperationNotAllowed, "the operation requires the VM to be
// running") and keeps its state; an unknown action is ErrInvalid.
func checkPowerConflicts(e *env) {
	b := e.base()
	vm := e.newVM(b, "vm-conflict").ID
	for _, stop := range []struct {
		a  flex.PowerAction
		ps flex.PowerState
	}{{flex.PowerOff, flex.PowerStopped}, {flex.Deallocate, flex.PowerDeallocated}} {
		e.power(vm, stop.a)
		e.wantErr(e.p.Power(e.ctx, vm, flex.Restart), flex.ErrConflict, fmt.Sprintf("restart of a %s VM (AZ-8)", stop.ps), vm.Name)
		e.wantPower(vm, stop.ps, "a refused restart")
	}
	e.wantErr(e.p.Power(e.ctx, vm, "hibernate"), flex.ErrInvalid, "power action hibernate", vm.Name)
}

// checkPowerIdempotent: start, powerOff and deallocate of a VM already in
// the state they lead to succeed and change nothing, as Azure documents
// (200 or 202, no conflict), so that a retried action after a lost
// response does not fail.
func checkPowerIdempotent(e *env) {
	b := e.base()
	vm := e.newVM(b, "vm-idem").ID
	for _, step := range []struct {
		a    flex.PowerAction
		want flex.PowerState
	}{
		{flex.Start, flex.PowerRunning},
		{flex.PowerOff, flex.PowerStopped},
		{flex.PowerOff, flex.PowerStopped},
		{flex.Deallocate, flex.PowerDeallocated},
		{flex.Deallocate, flex.PowerDeallocated},
	} {
		if err := e.p.Power(e.ctx, vm, step.a); err != nil {
			ps := get[*flex.VirtualMachine](e, vm).PowerState
			e.t.Errorf("%s of a VM that is %s: %v; want success, as Azure answers a retried action (AZ-8)", step.a, ps, err)
		}
		e.wantPower(vm, step.want, string(step.a))
	}
}

func checkSnapshotsIncremental(e *env) {
	b := e.base()
	vm := e.newVM(b, "vm-snap")
	data := put(e, &flex.Disk{Meta: e.meta(e.id(baseGroup, flex.TypeDisk, "disk-data")), SizeGiB: 64})
	snap := func(name string, disk flex.ResourceID) *flex.Snapshot {
		e.t.Helper()
		return put(e, &flex.Snapshot{Meta: e.meta(e.id(baseGroup, flex.TypeSnapshot, name)), Source: disk})
	}
	for _, s := range []struct {
		name string
		disk flex.ResourceID
		incr bool
	}{
		{"snap-os-1", vm.OSDisk, false},
		{"snap-os-2", vm.OSDisk, true},
		{"snap-data-1", data.ID, false},
		{"snap-os-3", vm.OSDisk, true},
	} {
		if c, ok := e.h.(Clock); ok {
			c.Advance(time.Hour)
		}
		before := e.now()
		got := snap(s.name, s.disk)
		if got.Incremental != s.incr {
			e.t.Errorf("snapshot %s of %s: incremental %v; want %v (AZ-8: incremental after the first)", s.name, s.disk.Name, got.Incremental, s.incr)
		}
		e.wantTime("creation time of snapshot "+s.name, got.Created, before)
	}
}

func checkImageGenerations(e *env) {
	b := e.base()
	d := put(e, &flex.Disk{Meta: e.meta(e.id(baseGroup, flex.TypeDisk, "disk-gen")), SizeGiB: 127})
	img := func(name string, g image.Generation) *flex.Image {
		return &flex.Image{Meta: e.meta(e.id(baseGroup, flex.TypeImage, name)), Generation: g, OS: image.Windows11, Source: d.ID}
	}
	gen1 := e.wantAccepted(img("img-gen1", image.Gen1), "AZ-8: a Gen1 image")
	gen2 := e.wantAccepted(img("img-gen2", image.Gen2), "AZ-8: a Gen2 image")
	for _, g := range []image.Generation{0, 3} {
		e.wantInvalid(img(fmt.Sprintf("img-gen-%d", g), g), fmt.Sprintf("AZ-8: generation %d", g))
	}
	if gen1 == nil || gen2 == nil {
		return
	}
	for _, i := range []*flex.Image{gen1.(*flex.Image), gen2.(*flex.Image)} {
		if got := get[*flex.Image](e, i.ID); got.Generation != i.Generation {
			e.t.Errorf("image %s is %v after Get; want %v", i.ID.Name, got.Generation, i.Generation)
		}
	}
	// A VM from a managed image has the image's generation.
	fromGen2 := e.vm("vm-from-gen2", b.vnet, machines)
	fromGen2.Image, fromGen2.Generation = flex.ImageRef{ID: gen2.Metadata().ID}, 0
	if got, _ := e.wantAccepted(fromGen2, "AZ-8: a VM from a Gen2 image").(*flex.VirtualMachine); got != nil && got.Generation != image.Gen2 {
		e.t.Errorf("VM from a Gen2 image is %v", got.Generation)
	}
	mismatch := e.vm("vm-mismatch", b.vnet, machines)
	mismatch.Image, mismatch.Generation = flex.ImageRef{ID: gen1.Metadata().ID}, image.Gen2
	e.wantInvalid(mismatch, "AZ-8: a Gen2 VM from a Gen1 image")
	secure := e.vm("vm-secureboot", b.vnet, machines)
	secure.Image, secure.Generation, secure.SecureBoot = flex.ImageRef{ID: gen1.Metadata().ID}, image.Gen1, true
	e.wantInvalid(secure, "AZ-8: Secure Boot on a Gen1 VM")
}

// checkImageFromVM: an image is captured from a stopped VM, in the VM's
// generation; not from a running one (ErrConflict).
func checkImageFromVM(e *env) {
	b := e.base()
	vm := e.newVM(b, "vm-capture")
	img := &flex.Image{Meta: e.meta(e.id(baseGroup, flex.TypeImage, "img-capture")), Generation: image.Gen2, OS: image.Windows11, Source: vm.ID}
	e.wantRefused(img, flex.ErrConflict, "AZ-8: image of a running VM")
	e.power(vm.ID, flex.PowerOff)
	wrong := img.Clone().(*flex.Image)
	wrong.Generation = image.Gen1
	e.wantInvalid(wrong, "AZ-8: a Gen1 image of a Gen2 VM")
	e.wantAccepted(img, "AZ-8: a Gen2 image of a stopped Gen2 VM")
}

// Private addresses.

// checkReservedAddresses: Azure keeps the first four and the last
// address of a subnet, so a /29 holds three VMs, at .4, .5 and .6; a
// fourth is ErrConflict (SubnetIsFull); a deleted VM's address is free
// again.
func checkReservedAddresses(e *env) {
	e.group(baseGroup)
	v := put(e, e.vnet(baseGroup, "vnet-tiny", "10.70.0.0/16", subnet("tiny", "10.70.0.0/29")))
	var vms []*flex.VirtualMachine
	var got []netip.Addr
	for i := range 3 {
		vm := put(e, e.vm(fmt.Sprintf("vm-tiny-%d", i), v.ID, "tiny"))
		vms = append(vms, vm)
		got = append(got, vm.PrivateIP)
	}
	slices.SortFunc(got, netip.Addr.Compare)
	if d := diff([]netip.Addr{addr("10.70.0.4"), addr("10.70.0.5"), addr("10.70.0.6")}, got); d != "" {
		e.t.Errorf("addresses of three VMs in a /29 (-want +got):\n%s", d)
	}
	full := e.vm("vm-tiny-full", v.ID, "tiny")
	e.wantRefused(full, flex.ErrConflict, "a VM in a full subnet")
	freed := vms[1].PrivateIP
	e.del(vms[1].ID)
	again := put(e, e.vm("vm-tiny-again", v.ID, "tiny"))
	if again.PrivateIP != freed {
		e.t.Errorf("VM in a /29 with one free address %v got %v", freed, again.PrivateIP)
	}
}

// checkDistinctAddresses: VMs of a subnet get distinct addresses inside
// it, none of them reserved.
func checkDistinctAddresses(e *env) {
	e.group(baseGroup)
	const n = 20
	p := pfx("10.71.0.0/27")
	v := put(e, e.vnet(baseGroup, "vnet-distinct", "10.71.0.0/16", subnet("s", p.String())))
	seen := make(map[netip.Addr]string)
	for i := range n {
		vm := put(e, e.vm(fmt.Sprintf("vm-distinct-%02d", i), v.ID, "s"))
		e.wantUsable(p, vm)
		if other, dup := seen[vm.PrivateIP]; dup {
			e.t.Errorf("VMs %s and %s share address %v", other, vm.ID.Name, vm.PrivateIP)
		}
		seen[vm.PrivateIP] = vm.ID.Name
	}
}

// wantUsable fails the check unless the VM's address is in p and not one
// Azure keeps: the first four and the last.
func (e *env) wantUsable(p netip.Prefix, vm *flex.VirtualMachine) {
	e.t.Helper()
	ip := vm.PrivateIP
	first := p.Addr()
	for range 4 {
		if ip == first {
			e.t.Errorf("VM %s has address %v, one of the first four of %s, which Azure keeps", vm.ID.Name, ip, p)
		}
		first = first.Next()
	}
	last := p.Addr()
	for range 1<<(32-p.Bits()) - 1 {
		last = last.Next()
	}
	if !p.Contains(ip) || ip == last {
		e.t.Errorf("VM %s has address %v; want one of %s other than the first four and the last", vm.ID.Name, ip, p)
	}
}

// Actions.

// checkRestoreSnapshot: a restore needs a stopped or deallocated VM (else
// ErrConflict) and swaps in a new OS disk made from the snapshot.
func checkRestoreSnapshot(e *env) {
	b := e.base()
	vm := e.newVM(b, "vm-restore")
	snap := put(e, &flex.Snapshot{Meta: e.meta(e.id(baseGroup, flex.TypeSnapshot, "snap-restore")), Source: vm.OSDisk})
	e.wantErr(e.p.RestoreSnapshot(e.ctx, vm.ID, snap.ID), flex.ErrConflict, "restore of a running VM", vm.ID.Name)
	if got := get[*flex.VirtualMachine](e, vm.ID); got.OSDisk != vm.OSDisk {
		e.t.Errorf("a refused restore changed the OS disk from %s to %s", vm.OSDisk, got.OSDisk)
	}
	disk := vm.OSDisk
	for _, stop := range []flex.PowerAction{flex.PowerOff, flex.Deallocate} {
		e.power(vm.ID, stop)
		ps := get[*flex.VirtualMachine](e, vm.ID).PowerState
		if err := e.p.RestoreSnapshot(e.ctx, vm.ID, snap.ID); err != nil {
			e.t.Fatalf("restore of a %s VM: %v", ps, err)
		}
		got := get[*flex.VirtualMachine](e, vm.ID)
		if sameID(got.OSDisk, disk) || got.OSDisk.IsZero() {
			e.t.Errorf("after a restore the OS disk is %v; want a new disk instead of %s", got.OSDisk, disk)
		}
		if got.PowerState != ps || got.PrivateIP != vm.PrivateIP {
			e.t.Errorf("after a restore the VM is %s at %v; want %s at %v", got.PowerState, got.PrivateIP, ps, vm.PrivateIP)
		}
		if nd := get[*flex.Disk](e, got.OSDisk); !sameID(nd.Source, snap.ID) {
			e.t.Errorf("restored OS disk %s has source %v; want snapshot %s", nd.ID, nd.Source, snap.ID)
		}
		disk = got.OSDisk
		e.power(vm.ID, flex.Start)
	}
	e.power(vm.ID, flex.PowerOff)
	err := e.p.RestoreSnapshot(e.ctx, vm.ID, e.id(baseGroup, flex.TypeSnapshot, "snap-missing"))
	e.wantErrIn(err, []error{flex.ErrNotFound, flex.ErrInvalid}, "restore from a missing snapshot", "snap-missing")
	err = e.p.RestoreSnapshot(e.ctx, e.id(baseGroup, flex.TypeVirtualMachine, "vm-missing"), snap.ID)
	e.wantErr(err, flex.ErrNotFound, "restore of a missing VM", "vm-missing")
}

// checkGrantDiskAccess: a SAS URL of a disk, valid for the duration asked
// for, that never prints (SEC-1); refused for a disk of a VM that is not
// deallocated.
func checkGrantDiskAccess(e *env) {
	b := e.base()
	d := put(e, &flex.Disk{Meta: e.meta(e.id(baseGroup, flex.TypeDisk, "disk-sas")), SizeGiB: 32})
	before := e.now()
	sas, err := e.p.GrantDiskAccess(e.ctx, d.ID, 2*time.Hour)
	if err != nil {
		e.t.Fatalf("GrantDiskAccess %s: %v", d.ID, err)
	}
	u, err := url.Parse(sas.Reveal())
	if err != nil || u.Scheme != "https" || u.Host == "" {
		e.t.Fatalf("GrantDiskAccess returned no https URL (%v)", err)
	}
	expiry, err := time.Parse(time.RFC3339, u.Query().Get("se"))
	if err != nil {
		e.t.Errorf("the SAS URL has no expiry se in RFC 3339: %v", err)
	}
	e.wantTime("SAS expiry minus 2h", expiry.Add(-2*time.Hour), before)
	for _, s := range []string{sas.String(), fmt.Sprint(sas), fmt.Sprintf("%v|%+v|%#v|%s|%q|%x", sas, sas, sas, sas, sas, sas),
		fmt.Sprintf("%+v", struct{ URL secret.Value }{sas}), jsonOf(sas)} {
		// RULE SEC-1: the URL grants access; it never prints.
		if strings.Contains(s, u.Host) || strings.Contains(s, "sig=") || !strings.Contains(s, secret.Redacted) {
			e.t.Errorf("the SAS URL prints as %s; want %s (SEC-1)", s, secret.Redacted)
		}
	}
	_, err = e.p.GrantDiskAccess(e.ctx, d.ID, 0)
	e.wantErr(err, flex.ErrInvalid, "GrantDiskAccess for no time", d.ID.Name)
	_, err = e.p.GrantDiskAccess(e.ctx, e.id(baseGroup, flex.TypeDisk, "disk-missing"), time.Hour)
	e.wantErr(err, flex.ErrNotFound, "GrantDiskAccess of a missing disk", "disk-missing")

	vm := e.newVM(b, "vm-sas")
	_, err = e.p.GrantDiskAccess(e.ctx, vm.OSDisk, time.Hour)
	e.wantErr(err, flex.ErrConflict, "GrantDiskAccess of the OS disk of a running VM", vm.OSDisk.Name)
	e.power(vm.ID, flex.Deallocate)
	if _, err := e.p.GrantDiskAccess(e.ctx, vm.OSDisk, time.Hour); err != nil {
		e.t.Errorf("GrantDiskAccess of the OS disk of a deallocated VM: %v", err)
	}
}

func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// checkRotateKey: a rotation makes a new version, created now, which Get
// then returns.
func checkRotateKey(e *env) {
	e.group(baseGroup)
	k := put(e, &flex.Key{Meta: e.meta(e.id(baseGroup, flex.TypeKey, "kv-pt/key-rotate"))})
	versions := []string{k.Version}
	for range 2 {
		if c, ok := e.h.(Clock); ok {
			c.Advance(24 * time.Hour)
		}
		before := e.now()
		r, err := e.p.RotateKey(e.ctx, k.ID)
		if err != nil {
			e.t.Fatalf("RotateKey %s: %v", k.ID, err)
		}
		if !sameID(r.ID, k.ID) || r.Version == "" || slices.Contains(versions, r.Version) {
			e.t.Errorf("RotateKey returned %s version %q; want %s in a version other than %v", r.ID, r.Version, k.ID, versions)
		}
		e.wantTime("creation time of the rotated key", r.Created, before)
		if got := get[*flex.Key](e, k.ID); got.Version != r.Version {
			e.t.Errorf("Get after RotateKey has version %q; want the new %q", got.Version, r.Version)
		}
		versions = append(versions, r.Version)
	}
	_, err := e.p.RotateKey(e.ctx, e.id(baseGroup, flex.TypeKey, "kv-pt/key-missing"))
	e.wantErr(err, flex.ErrNotFound, "RotateKey of a missing key", "key-missing")
}

func checkResetVPNGateway(e *env) {
	l := e.vpn(e.base())
	if err := e.p.ResetVPNGateway(e.ctx, l.gateway); err != nil {
		e.t.Errorf("ResetVPNGateway %s: %v", l.gateway, err)
	}
	if _, err := e.p.Get(e.ctx, l.conn); err != nil {
		e.t.Errorf("Get of the connection after a reset: %v", err)
	}
	err := e.p.ResetVPNGateway(e.ctx, e.id(baseGroup, flex.TypeVPNGateway, "vgw-missing"))
	e.wantErr(err, flex.ErrNotFound, "ResetVPNGateway of a missing gateway", "vgw-missing")
}

// checkCapacity: a VM beyond the region's capacity for its size is
// ErrCapacity naming it and is not created; a deallocated VM that cannot
// get capacity back stays deallocated.
func checkCapacity(e *env) {
	c, ok := e.h.(Capacity)
	if !ok {
		e.skip("Capacity", "ErrCapacity")
		return
	}
	b := e.base()
	const size = "Standard_NV36ads_A10_v5"
	c.SetCapacity(region, size, 1)
	first := e.vm("vm-cap-1", b.vnet, machines)
	first.Size = size
	vm := put(e, first)
	second := e.vm("vm-cap-2", b.vnet, machines)
	second.Size = size
	e.wantRefused(second, flex.ErrCapacity, "a VM beyond the capacity")
	other := e.vm("vm-cap-other", b.vnet, machines)
	if _, err := e.p.Put(e.ctx, other); err != nil {
		e.t.Errorf("Put of a VM of another size: %v; want it accepted", err)
	}
	e.power(vm.ID, flex.Deallocate)
	c.SetCapacity(region, size, 0)
	err := e.p.Power(e.ctx, vm.ID, flex.Start)
	e.wantErr(err, flex.ErrCapacity, "start of a deallocated VM without capacity", vm.ID.Name)
	e.wantPower(vm.ID, flex.PowerDeallocated, "a start refused for capacity")
	if errors.Is(err, flex.ErrConflict) {
		e.t.Errorf("no capacity is also ErrConflict: %v", err)
	}
}

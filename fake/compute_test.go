package fake_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

func powerState(t *testing.T, c *fake.Cloud, i flex.ResourceID) flex.PowerState {
	t.Helper()
	v, err := flex.GetAs[*flex.VirtualMachine](ctx, c, i)
	if err != nil {
		t.Fatal(err)
	}
	return v.PowerState
}

func TestAZ8PowerTransitions(t *testing.T) {
	for _, tc := range []struct {
		from   flex.PowerState
		action flex.PowerAction
		want   flex.PowerState // "" for a conflict
	}{
		{flex.PowerRunning, flex.Start, flex.PowerRunning}, // as Azure: a no-op, so a retry after a lost response succeeds
		{flex.PowerRunning, flex.Restart, flex.PowerRunning},
		{flex.PowerRunning, flex.PowerOff, flex.PowerStopped},
		{flex.PowerRunning, flex.Deallocate, flex.PowerDeallocated},
		{flex.PowerStopped, flex.Start, flex.PowerRunning},
		{flex.PowerStopped, flex.Restart, ""},
		{flex.PowerStopped, flex.PowerOff, flex.PowerStopped}, // as Azure: a no-op
		{flex.PowerStopped, flex.Deallocate, flex.PowerDeallocated},
		{flex.PowerDeallocated, flex.Start, flex.PowerRunning},
		{flex.PowerDeallocated, flex.Restart, ""},
		{flex.PowerDeallocated, flex.PowerOff, ""},
		{flex.PowerDeallocated, flex.Deallocate, flex.PowerDeallocated},
		{flex.PowerStarting, flex.Start, ""},
		{flex.PowerStopping, flex.PowerOff, ""},
		{flex.PowerDeallocating, flex.Deallocate, flex.PowerDeallocated},
		{flex.PowerStarting, flex.Deallocate, flex.PowerDeallocated},
	} {
		t.Run("AZ-8 "+string(tc.action)+" from "+string(tc.from), func(t *testing.T) {
			c, _ := newCloud(t)
			network10(t, c)
			v := mustPut(t, c, vm("pc-1", "v", "a"))
			wantKind(t, c.SetPowerState(v.ID, tc.from), nil)
			err := c.Power(ctx, v.ID, tc.action)
			if tc.want == "" {
				wantCode(t, err, flex.ErrConflict, "OperationNotAllowed")
				if got := powerState(t, c, v.ID); got != tc.from {
					t.Errorf("a refused %s changed the state to %s", tc.action, got)
				}
				return
			}
			wantKind(t, err, nil)
			if got := powerState(t, c, v.ID); got != tc.want {
				t.Errorf("state %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("AZ-8 unknown action and missing VM", func(t *testing.T) {
		c, _ := newCloud(t)
		network10(t, c)
		v := mustPut(t, c, vm("pc-1", "v", "a"))
		wantKind(t, c.Power(ctx, v.ID, "hibernate"), flex.ErrInvalid)
		wantKind(t, c.Power(ctx, id(flex.TypeVirtualMachine, "nope"), flex.Start), flex.ErrNotFound)
		wantKind(t, c.Power(ctx, id(flex.TypeVirtualNetwork, "v"), flex.Start), flex.ErrInvalid)
	})
}

func TestAZ8ImagesAndGenerations(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	src := vm("builder", "v", "a")
	src.Generation = image.Gen2
	src.SecureBoot = true
	src = mustPut(t, c, src)
	img := &flex.Image{Meta: meta(id(flex.TypeImage, "golden")), Generation: image.Gen2, OS: image.Windows11, Source: src.ID}
	_, err := c.Put(ctx, img)
	wantCode(t, err, flex.ErrConflict, "OperationNotAllowed") // the builder is running
	wantKind(t, c.Power(ctx, src.ID, flex.Deallocate), nil)
	gen1 := *img
	gen1.Generation = image.Gen1
	_, err = c.Put(ctx, &gen1)
	wantRule(t, err, flex.ErrInvalid, "AZ-8")
	gen0 := *img
	gen0.Generation = 0
	_, err = c.Put(ctx, &gen0)
	wantRule(t, err, flex.ErrInvalid, "AZ-8")
	img = mustPut(t, c, img)

	fromImage := vm("pc-1", "v", "a")
	fromImage.Image = flex.ImageRef{ID: img.ID}
	got := mustPut(t, c, fromImage)
	if got.Generation != image.Gen2 {
		t.Errorf("a VM from a Gen2 image is %v", got.Generation)
	}
	d, _ := flex.GetAs[*flex.Disk](ctx, c, got.OSDisk)
	if !sameIDs(d.Source, img.ID) {
		t.Errorf("OS disk source %v, want the image", d.Source)
	}
	wrong := vm("pc-2", "v", "a")
	wrong.Image = flex.ImageRef{ID: img.ID}
	wrong.Generation = image.Gen1
	_, err = c.Put(ctx, wrong)
	wantRule(t, err, flex.ErrInvalid, "AZ-8")
	secure := vm("pc-3", "v", "a")
	secure.Generation, secure.SecureBoot = image.Gen1, true
	_, err = c.Put(ctx, secure)
	wantRule(t, err, flex.ErrInvalid, "AZ-8")
	missing := vm("pc-4", "v", "a")
	missing.Image = flex.ImageRef{ID: id(flex.TypeImage, "nope")}
	_, err = c.Put(ctx, missing)
	wantKind(t, err, flex.ErrNotFound)

	vhd := &flex.Image{Meta: meta(id(flex.TypeImage, "imported")), Generation: image.Gen1, OS: image.WindowsServer2022,
		SourceURL: secret.New("https://account.blob.core.windows.net/vhds/w.vhd?sig=SECRET")}
	mustPut(t, c, vhd)
	bad := *vhd
	bad.ID.Name = "bad"
	bad.SourceURL = secret.New("ftp://host/w.vhd?sig=SECRET")
	_, err = c.Put(ctx, &bad)
	wantKind(t, err, flex.ErrInvalid)
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("the error quotes the VHD URL: %v", err) // RULE SEC-1
	}
	changed := *vhd
	changed.Generation = image.Gen2
	_, err = c.Put(ctx, &changed)
	wantCode(t, err, flex.ErrConflict, "PropertyChangeNotAllowed")
}

func sameIDs(a, b flex.ResourceID) bool { return strings.EqualFold(a.String(), b.String()) }

func TestAZ8SnapshotsIncrementalAfterTheFirst(t *testing.T) {
	c, clk := newCloud(t)
	network10(t, c)
	a := mustPut(t, c, vm("pc-1", "v", "a"))
	b := mustPut(t, c, vm("pc-2", "v", "a"))
	snap := func(name string, disk flex.ResourceID) *flex.Snapshot {
		return mustPut(t, c, &flex.Snapshot{Meta: meta(id(flex.TypeSnapshot, name)), Source: disk})
	}
	s1 := snap("a-1", a.OSDisk)
	clk.Advance(time.Hour)
	s2 := snap("a-2", a.OSDisk)
	s3 := snap("b-1", b.OSDisk)
	if s1.Incremental || !s2.Incremental || s3.Incremental {
		t.Errorf("incremental: first %v, second %v, other disk's first %v; want false, true, false", s1.Incremental, s2.Incremental, s3.Incremental)
	}
	if !s1.Created.Equal(epoch) || !s2.Created.Equal(epoch.Add(time.Hour)) {
		t.Errorf("created %v and %v, want the clock's times", s1.Created, s2.Created)
	}
	again := mustPut(t, c, s1) // a retry keeps what the cloud set
	if again.Incremental || !again.Created.Equal(epoch) {
		t.Errorf("a retried snapshot Put changed it: %+v", again)
	}
	_, err := c.Put(ctx, &flex.Snapshot{Meta: meta(id(flex.TypeSnapshot, "x")), Source: id(flex.TypeDisk, "nope")})
	wantKind(t, err, flex.ErrNotFound)
	moved := *s1
	moved.Source = b.OSDisk
	_, err = c.Put(ctx, &moved)
	wantCode(t, err, flex.ErrConflict, "PropertyChangeNotAllowed")
}

func TestVMAddresses(t *testing.T) {
	c, _ := newCloud(t)
	mustPut(t, c, vnet("v", "10.0.0.0/16", subnet("small", "10.0.0.0/29"), subnet("a", "10.0.1.0/24")))
	var ips []string
	for _, n := range []string{"pc-1", "pc-2", "pc-3"} {
		ips = append(ips, mustPut(t, c, vm(n, "v", "small")).PrivateIP.String())
	}
	if d := diff([]string{"10.0.0.4", "10.0.0.5", "10.0.0.6"}, ips); d != "" {
		t.Errorf("addresses of a /29 (-want +got):\n%s", d)
	}
	_, err := c.Put(ctx, vm("pc-4", "v", "small"))
	wantCode(t, err, flex.ErrConflict, "SubnetIsFull")
	if _, err := c.Get(ctx, id(flex.TypeDisk, "pc-4-osdisk")); err == nil {
		t.Errorf("a VM refused for a full subnet left its disk")
	}
	wantKind(t, c.Delete(ctx, id(flex.TypeVirtualMachine, "pc-2")), nil)
	if _, err := c.Get(ctx, id(flex.TypeDisk, "pc-2-osdisk")); err == nil {
		t.Errorf("the OS disk outlived its VM")
	}
	if got := mustPut(t, c, vm("pc-4", "v", "small")).PrivateIP; got != addr("10.0.0.5") {
		t.Errorf("after a delete the next VM got %v, want the freed 10.0.0.5", got)
	}
	other := mustPut(t, c, vm("pc-5", "v", "A")) // subnet names ignore case
	if other.PrivateIP != addr("10.0.1.4") || other.Subnet != "a" {
		t.Errorf("VM in subnet a: %v in %q", other.PrivateIP, other.Subnet)
	}
	gwSub := vm("pc-6", "v", "small")
	gwSub.Subnet = "nope"
	_, err = c.Put(ctx, gwSub)
	wantKind(t, err, flex.ErrNotFound)
}

func TestVMUpdate(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	v := mustPut(t, c, vm("pc-1", "v", "a"))
	v.Tags = map[string]string{flex.TagMaintenance: "on"}
	v.Size = "Standard_D4s_v5"
	v.AdminPassword = secret.Value{}
	got := mustPut(t, c, v)
	if got.Size != "Standard_D4s_v5" || got.Tags[flex.TagMaintenance] != "on" || got.PrivateIP != addr("10.0.0.4") {
		t.Errorf("update: %+v", got)
	}
	for _, change := range []func(*flex.VirtualMachine){
		func(x *flex.VirtualMachine) { x.Zone = "1" },
		func(x *flex.VirtualMachine) { x.ComputerName = "other" },
		func(x *flex.VirtualMachine) { x.Subnet = "b" },
		func(x *flex.VirtualMachine) { x.Image.URN = "a:b:c:d" },
	} {
		x := got.Clone().(*flex.VirtualMachine)
		change(x)
		_, err := c.Put(ctx, x)
		wantCode(t, err, flex.ErrConflict, "PropertyChangeNotAllowed")
	}
}

func TestCapacity(t *testing.T) {
	c, _ := newCloud(t, fake.WithCapacity(region, "standard_d2s_v5", 1))
	network10(t, c)
	first := mustPut(t, c, vm("pc-1", "v", "a"))
	_, err := c.Put(ctx, vm("pc-2", "v", "a"))
	wantCode(t, err, flex.ErrCapacity, "AllocationFailed") // CAT-14 falls back on this
	zoned := vm("pc-2", "v", "a")
	zoned.Zone = "2"
	_, err = c.Put(ctx, zoned)
	wantCode(t, err, flex.ErrCapacity, "ZonalAllocationFailed")
	if n := c.Count(flex.Filter{})[flex.TypeVirtualMachine]; n != 1 {
		t.Errorf("%d VMs after refusals", n)
	}
	backup := vm("pc-2", "v", "a")
	backup.Size = "Standard_D4s_v5"
	mustPut(t, c, backup)

	wantKind(t, c.Power(ctx, first.ID, flex.Deallocate), nil)
	if got := c.Capacity(region, "Standard_D2s_v5"); got != 1 {
		t.Errorf("capacity after deallocating = %d, want 1", got)
	}
	mustPut(t, c, vm("pc-3", "v", "a")) // takes it
	wantCode(t, c.Power(ctx, first.ID, flex.Start), flex.ErrCapacity, "AllocationFailed")
	wantKind(t, c.Delete(ctx, id(flex.TypeVirtualMachine, "pc-3")), nil)
	wantKind(t, c.Power(ctx, first.ID, flex.Start), nil)

	c.SetCapacity(region, "Standard_NV6", fake.NotOffered)
	gpu := vm("pc-4", "v", "a")
	gpu.Size = "Standard_NV6"
	_, err = c.Put(ctx, gpu)
	wantCode(t, err, flex.ErrCapacity, "SkuNotAvailable")
	if got := c.Capacity(network.EastUS, "Standard_NV6"); got != fake.Unlimited {
		t.Errorf("another region's capacity = %d, want Unlimited", got)
	}
	c.SetCapacity(region, "Standard_NV6", fake.Unlimited)
	mustPut(t, c, gpu)
}

func TestRestoreSnapshot(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	v := mustPut(t, c, vm("pc-1", "v", "a"))
	s := mustPut(t, c, &flex.Snapshot{Meta: meta(id(flex.TypeSnapshot, "s")), Source: v.OSDisk})
	wantCode(t, c.RestoreSnapshot(ctx, v.ID, s.ID), flex.ErrConflict, "OperationNotAllowed")
	wantKind(t, c.Power(ctx, v.ID, flex.PowerOff), nil)
	wantKind(t, c.RestoreSnapshot(ctx, v.ID, id(flex.TypeSnapshot, "nope")), flex.ErrNotFound)
	wantKind(t, c.RestoreSnapshot(ctx, id(flex.TypeVirtualMachine, "nope"), s.ID), flex.ErrNotFound)
	wantKind(t, c.RestoreSnapshot(ctx, v.ID, s.ID), nil)
	after, _ := flex.GetAs[*flex.VirtualMachine](ctx, c, v.ID)
	if sameIDs(after.OSDisk, v.OSDisk) {
		t.Fatalf("the OS disk was not swapped")
	}
	if _, err := c.Get(ctx, v.OSDisk); err == nil {
		t.Errorf("the old OS disk still exists")
	}
	d, err := flex.GetAs[*flex.Disk](ctx, c, after.OSDisk)
	if err != nil {
		t.Fatal(err)
	}
	want := &flex.Disk{Meta: flex.Meta{ID: id(flex.TypeDisk, "pc-1-osdisk-1"), Region: region, Tags: v.Tags, State: flex.Succeeded}, SizeGiB: fake.OSDiskSizeGiB, Source: s.ID}
	if d := diff(want, d); d != "" {
		t.Errorf("restored disk (-want +got):\n%s", d)
	}
	wantKind(t, c.RestoreSnapshot(ctx, v.ID, s.ID), nil) // a retry after a failure works again
	if n := c.Count(flex.Filter{Type: flex.TypeDisk})[flex.TypeDisk]; n != 1 {
		t.Errorf("%d disks after two restores, want 1", n)
	}
	wantCode(t, c.Delete(ctx, id(flex.TypeDisk, "pc-1-osdisk-2")), flex.ErrConflict, "OperationNotAllowed") // attached
	wantKind(t, c.Delete(ctx, v.ID), nil)
	if n := c.Count(flex.Filter{Type: flex.TypeDisk})[flex.TypeDisk]; n != 0 {
		t.Errorf("the restored OS disk outlived its VM")
	}
	if _, err := c.Get(ctx, s.ID); err != nil {
		t.Errorf("the snapshot went with the VM: %v", err)
	}
}

func TestGrantDiskAccess(t *testing.T) {
	c, clk := newCloud(t)
	network10(t, c)
	v := mustPut(t, c, vm("pc-1", "v", "a"))
	_, err := c.GrantDiskAccess(ctx, v.OSDisk, time.Hour)
	wantCode(t, err, flex.ErrConflict, "OperationNotAllowed")
	wantKind(t, c.Power(ctx, v.ID, flex.Deallocate), nil)
	_, err = c.GrantDiskAccess(ctx, v.OSDisk, 0)
	wantKind(t, err, flex.ErrInvalid)
	_, err = c.GrantDiskAccess(ctx, id(flex.TypeDisk, "nope"), time.Hour)
	wantKind(t, err, flex.ErrNotFound)
	sas, err := c.GrantDiskAccess(ctx, v.OSDisk, 2*time.Hour)
	wantKind(t, err, nil)
	if sas.String() != secret.Redacted {
		t.Errorf("the SAS URL prints as %q", sas.String()) // RULE SEC-1
	}
	u, err := url.Parse(sas.Reveal())
	if err != nil || u.Scheme != "https" || !strings.HasSuffix(u.Host, ".blob.core.windows.net") {
		t.Fatalf("SAS URL %q: %v", sas.Reveal(), err)
	}
	q := u.Query()
	se, err := time.Parse(time.RFC3339, q.Get("se"))
	if err != nil || !se.Equal(epoch.Add(2*time.Hour)) {
		t.Errorf("se = %q, want now+2h in RFC 3339", q.Get("se"))
	}
	if len(q.Get("sig")) < 40 || q.Get("sp") != "r" {
		t.Errorf("sig %q, sp %q", q.Get("sig"), q.Get("sp"))
	}
	clk.Advance(time.Minute)
	again, _ := c.GrantDiskAccess(ctx, v.OSDisk, 2*time.Hour)
	q2, _ := url.ParseQuery(strings.SplitN(again.Reveal(), "?", 2)[1])
	if q2.Get("sig") == q.Get("sig") || q2.Get("se") == q.Get("se") {
		t.Errorf("a second grant has the same signature or expiry")
	}
}

func TestKeys(t *testing.T) {
	c, clk := newCloud(t)
	k := mustPut(t, c, &flex.Key{Meta: meta(id(flex.TypeKey, "flexvault/cmk")), Material: secret.New("-----BEGIN RSA PRIVATE KEY-----")})
	if len(k.Version) != 32 || !k.Created.Equal(epoch) {
		t.Errorf("version %q created %v", k.Version, k.Created)
	}
	again := mustPut(t, c, k)
	if again.Version != k.Version {
		t.Errorf("re-putting the same key made version %q", again.Version)
	}
	clk.Advance(24 * time.Hour)
	rotated, err := c.RotateKey(ctx, k.ID)
	wantKind(t, err, nil)
	if rotated.Version == k.Version || !rotated.Created.Equal(epoch.Add(24*time.Hour)) || rotated.Material.Equal(k.Material) {
		t.Errorf("rotation: version %q created %v", rotated.Version, rotated.Created)
	}
	got, _ := flex.GetAs[*flex.Key](ctx, c, k.ID)
	if got.Version != rotated.Version {
		t.Errorf("Get after rotation has version %q, want %q", got.Version, rotated.Version)
	}
	generated := mustPut(t, c, &flex.Key{Meta: meta(id(flex.TypeKey, "flexvault/gen"))})
	if generated.Material.IsZero() {
		t.Errorf("a key without material got none generated")
	}
	_, err = c.RotateKey(ctx, id(flex.TypeKey, "flexvault/nope"))
	wantKind(t, err, flex.ErrNotFound)
	_, err = c.Put(ctx, &flex.Key{Meta: meta(id(flex.TypeKey, "x/cmk"))})
	wantCode(t, err, flex.ErrInvalid, "VaultNameNotValid")
	withKey := &flex.Image{Meta: meta(id(flex.TypeImage, "img")), Generation: image.Gen2, OS: image.Windows11,
		SourceURL: secret.New("https://a.blob.core.windows.net/v/x.vhd"), Key: k.ID}
	mustPut(t, c, withKey)
	withKey.ID.Name, withKey.Key = "img2", id(flex.TypeKey, "flexvault/nope")
	_, err = c.Put(ctx, withKey)
	wantKind(t, err, flex.ErrNotFound)
}

func TestDisks(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	v := mustPut(t, c, vm("pc-1", "v", "a"))
	s := mustPut(t, c, &flex.Snapshot{Meta: meta(id(flex.TypeSnapshot, "s")), Source: v.OSDisk})
	d := mustPut(t, c, &flex.Disk{Meta: meta(id(flex.TypeDisk, "copy")), Source: s.ID})
	if d.SizeGiB != fake.OSDiskSizeGiB {
		t.Errorf("a disk from a snapshot is %d GiB", d.SizeGiB)
	}
	d.SizeGiB = 64
	_, err := c.Put(ctx, d)
	wantCode(t, err, flex.ErrConflict, "OperationNotAllowed")
	d.SizeGiB = 256
	mustPut(t, c, d)
	_, err = c.Put(ctx, &flex.Disk{Meta: meta(id(flex.TypeDisk, "empty"))})
	wantKind(t, err, flex.ErrInvalid)
	z := &flex.Disk{Meta: meta(id(flex.TypeDisk, "zoned")), SizeGiB: 10, Zone: "1"}
	z.Region = network.WestUS
	_, err = c.Put(ctx, z)
	wantRule(t, err, flex.ErrInvalid, "AZ-9")
	wantCode(t, c.Delete(ctx, v.OSDisk), flex.ErrConflict, "OperationNotAllowed")
	wantKind(t, c.Delete(ctx, d.ID), nil)
}

func TestStuckVM(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	v := mustPut(t, c, vm("pc-1", "v", "a"))
	wantKind(t, c.SetState(v.ID, flex.Updating), nil)
	wantCode(t, c.Power(ctx, v.ID, flex.Restart), flex.ErrConflict, "AnotherOperationInProgress")
	wantCode(t, c.RestoreSnapshot(ctx, v.ID, id(flex.TypeSnapshot, "s")), flex.ErrConflict, "AnotherOperationInProgress")
	wantKind(t, c.Delete(ctx, v.ID), nil) // a stuck resource can still be deleted
	if n := c.Count(flex.Filter{})[flex.TypeDisk]; n != 0 {
		t.Errorf("%d disks after deleting the stuck VM", n)
	}
	wantKind(t, c.SetPowerState(id(flex.TypeVirtualNetwork, "v"), flex.PowerRunning), flex.ErrInvalid)
	wantKind(t, c.SetPowerState(v.ID, flex.PowerRunning), flex.ErrNotFound)
}

func TestSetPowerStateKeepsCapacity(t *testing.T) {
	c, _ := newCloud(t, fake.WithCapacity(region, "Standard_D2s_v5", 1))
	network10(t, c)
	v := mustPut(t, c, vm("pc-1", "v", "a"))
	wantKind(t, c.SetPowerState(v.ID, flex.PowerDeallocated), nil)
	if n := c.Capacity(region, "Standard_D2s_v5"); n != 1 {
		t.Errorf("capacity after a forced deallocation = %d, want 1", n)
	}
	wantKind(t, c.SetPowerState(v.ID, flex.PowerStarting), nil)
	if n := c.Capacity(region, "Standard_D2s_v5"); n != 0 {
		t.Errorf("capacity after a forced start = %d, want 0", n)
	}
}

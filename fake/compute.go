package fake

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// Special capacities for SetCapacity.
const (
	// Unlimited is the default capacity of every region for every size.
	Unlimited = -1
	// NotOffered makes a size unavailable in a region: creating a VM of it
	// fails with SkuNotAvailable.
	NotOffered = -2
)

// OSDiskSizeGiB is the size of the OS disk the cloud makes for a new VM.
const OSDiskSizeGiB = 127

type capKey struct {
	region network.Region
	size   string // lower-case
}

// SetCapacity sets how many more VMs of the size region can take: n ≥ 0,
// Unlimited (the default) or NotOffered. Creating a VM beyond it fails with
// ErrCapacity and Azure's code, AllocationFailed (ZonalAllocationFailed
// for a VM in a zone) or SkuNotAvailable. Creating or starting a
// deallocated VM takes one; deleting or deallocating a VM gives it back.
// Sizes match ignoring case.
func (c *Cloud) SetCapacity(region network.Region, size string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setCapacity(region, size, n)
}

func (c *Cloud) setCapacity(region network.Region, size string, n int) {
	k := capKey{region, strings.ToLower(size)}
	switch {
	case n == NotOffered || n >= 0:
		c.capacity[k] = n
	default:
		delete(c.capacity, k)
	}
}

// Capacity returns how many more VMs of the size the region can take:
// a count, Unlimited or NotOffered.
func (c *Cloud) Capacity(region network.Region, size string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if n, ok := c.capacity[capKey{region, strings.ToLower(size)}]; ok {
		return n
	}
	return Unlimited
}

// allocate takes capacity for one VM of vm's size in its region.
func (c *Cloud) allocate(op string, vm *flex.VirtualMachine) error {
	if len(c.capacity) == 0 {
		return nil
	}
	k := capKey{vm.Region, strings.ToLower(vm.Size)}
	n, ok := c.capacity[k]
	switch {
	case !ok:
		return nil
	case n == NotOffered:
		return fail(flex.ErrCapacity, op, vm.ID, "SkuNotAvailable: the requested size %s is not available in location %s; try another size", vm.Size, vm.Region)
	case n == 0 && vm.Zone != "":
		return fail(flex.ErrCapacity, op, vm.ID, "ZonalAllocationFailed: allocation failed; there is not enough capacity for size %s in zone %s of %s", vm.Size, vm.Zone, vm.Region)
	case n == 0:
		return fail(flex.ErrCapacity, op, vm.ID, "AllocationFailed: allocation failed; there is not enough capacity for size %s in %s", vm.Size, vm.Region)
	}
	c.capacity[k] = n - 1
	return nil
}

// release gives back capacity for one VM of size in region.
func (c *Cloud) release(region network.Region, size string) {
	if len(c.capacity) == 0 {
		return
	}
	k := capKey{region, strings.ToLower(size)}
	if n, ok := c.capacity[k]; ok && n >= 0 {
		c.capacity[k] = n + 1
	}
}

// allocated reports whether a VM in power state ps holds hardware.
func allocated(ps flex.PowerState) bool {
	return ps != flex.PowerDeallocated && ps != flex.PowerDeallocating
}

// pool is the private addresses in use in one IPv4 subnet.
type pool struct {
	used map[uint32]struct{}
	next uint32 // every address from the subnet's first usable one up to next is in use
}

func u32(a netip.Addr) uint32 { b := a.As4(); return binary.BigEndian.Uint32(b[:]) }

// take hands out the lowest free address of p (Azure reserves the first
// four and the last address of every subnet), or reports false when the
// subnet is full.
func (p *pool) take(prefix netip.Prefix) (netip.Addr, bool) {
	if len(p.used) >= ipam.Usable(prefix) {
		return netip.Addr{}, false
	}
	first := u32(prefix.Addr()) + 4
	last := u32(prefix.Addr()) + uint32(uint64(1)<<(32-prefix.Bits())-2)
	if p.next < first {
		p.next = first
	}
	for a := p.next; a <= last; a++ {
		if _, ok := p.used[a]; !ok {
			p.used[a] = struct{}{}
			p.next = a + 1
			var b [4]byte
			binary.BigEndian.PutUint32(b[:], a)
			return netip.AddrFrom4(b), true
		}
	}
	return netip.Addr{}, false
}

func (p *pool) free(a netip.Addr) {
	if !a.Is4() {
		return
	}
	n := u32(a)
	delete(p.used, n)
	if n < p.next {
		p.next = n
	}
}

// vmNIC returns the VNet record, subnet and pool of a stored VM.
func (c *Cloud) vmNIC(vm *flex.VirtualMachine) (*record, *pool) {
	vrec := c.lookupID(vm.Network)
	if vrec == nil {
		return nil, nil
	}
	return vrec, vrec.pools[strings.ToLower(vm.Subnet)]
}

// releaseVM undoes what a VM holds: its address, its capacity, its OS disk
// and its sessions.
func (c *Cloud) releaseVM(rec *record, vm *flex.VirtualMachine) {
	if _, p := c.vmNIC(vm); p != nil {
		p.free(vm.PrivateIP)
	}
	if allocated(vm.PowerState) {
		c.release(vm.Region, vm.Size)
	}
	if d := c.lookupID(vm.OSDisk); d != nil && d.vm == rec {
		d.vm = nil
		c.remove(d)
	}
	rec.sessions = nil
}

// checkURN checks a marketplace image URN: publisher:offer:sku:version.
func checkURN(l *rule.List, urn string) {
	if strings.Count(urn, ":") != 3 || strings.HasPrefix(urn, ":") || strings.HasSuffix(urn, ":") || strings.Contains(urn, "::") {
		l.Append(fmt.Errorf("InvalidParameter: image URN %q must be publisher:offer:sku:version", urn))
	}
}

// reservedUsernames are admin names Azure refuses for Windows VMs.
var reservedUsernames = [...]string{"administrator", "admin", "user", "user1", "test", "user2", "test1",
	"user3", "admin1", "1", "123", "a", "actuser", "adm", "admin2", "aspnet", "backup", "console",
	"david", "guest", "john", "owner", "root", "server", "sql", "support", "support_388945a0", "sys",
	"test2", "test3", "user4", "user5"}

// checkCredentials checks the admin account Azure creates on a Windows VM:
// a user name of at most 20 characters, not reserved, not ending in '.';
// a password of 12–123 characters with three of lower case, upper case,
// digits and symbols. Messages never quote the password (SEC-1).
func checkCredentials(l *rule.List, user string, pw secret.Value) {
	if user != "" {
		lower := strings.ToLower(user)
		for _, r := range reservedUsernames {
			if lower == r {
				l.Append(fmt.Errorf("InvalidParameter: admin user name %q is reserved; choose another", user))
			}
		}
		if len(user) > 20 || strings.HasSuffix(user, ".") {
			l.Append(fmt.Errorf("InvalidParameter: admin user name %q must be at most 20 characters and not end with '.'", user))
		}
	}
	if pw.IsZero() {
		return
	}
	s := pw.Reveal()
	var lower, upper, digit, other int
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			lower = 1
		case r >= 'A' && r <= 'Z':
			upper = 1
		case r >= '0' && r <= '9':
			digit = 1
		default:
			other = 1
		}
	}
	if n := len(s); n < 12 || n > 123 {
		l.Append(fmt.Errorf("InvalidParameter: the admin password is %d characters; 12 to 123 are accepted", n))
	}
	if lower+upper+digit+other < 3 {
		l.Append(fmt.Errorf("InvalidParameter: the admin password needs three of lower case, upper case, digits and symbols"))
	}
}

func immutable(op string, id flex.ResourceID, what string, before, after any) error {
	return fail(flex.ErrConflict, op, id, "PropertyChangeNotAllowed: changing property %q from %v to %v is not allowed", what, before, after)
}

func (c *Cloud) putVM(v viewer, op string, k key, g *group, old *record, r *flex.VirtualMachine) (*record, error) {
	id := r.ID
	var l rule.List
	if r.ComputerName == "" {
		r.ComputerName = id.Name
	}
	checkComputerName(&l, r.ComputerName) // AZ-7
	checkZone(&l, r.Region, r.Zone)       // AZ-9
	if r.Size == "" {
		l.Append(fmt.Errorf("InvalidParameter: the VM needs a size, such as Standard_D2s_v5"))
	}
	switch {
	case r.Image.ID.IsZero() && r.Image.URN == "":
		l.Append(fmt.Errorf("InvalidParameter: the VM needs an image: a managed image ID or a marketplace URN"))
	case !r.Image.ID.IsZero() && r.Image.URN != "":
		l.Append(fmt.Errorf("InvalidParameter: the VM names both image %s and URN %q; give one", r.Image.ID, r.Image.URN))
	case r.Image.URN != "":
		checkURN(&l, r.Image.URN)
	}
	if r.Generation != 0 && !r.Generation.IsValid() {
		l.Add("AZ-8", "generation %d is neither Gen1 (V1) nor Gen2 (V2) (InvalidParameter)", int(r.Generation))
	}
	if r.Network.IsZero() || r.Subnet == "" {
		l.Append(fmt.Errorf("InvalidParameter: the VM needs a virtual network and a subnet for its network interface"))
	}
	if old == nil {
		checkCredentials(&l, r.AdminUsername, r.AdminPassword)
	}
	if err := l.Err(); err != nil {
		return nil, invalid(op, id, err)
	}
	r.AdminPassword = secret.Value{} // Azure never returns it, so the cloud does not keep it
	r.Sessions = 0
	if old != nil {
		return c.updateVM(op, k, g, old, r)
	}

	var img *flex.Image
	if !r.Image.ID.IsZero() {
		rec, err := c.ref(v, op, id, "image", r.Image.ID, flex.TypeImage)
		if err != nil {
			return nil, err
		}
		img = rec.res.(*flex.Image)
		if img.Region != r.Region {
			return nil, fail(flex.ErrInvalid, op, id, "InvalidParameter: image %s is in region %s; the VM is in %s", img.ID, img.Region, r.Region)
		}
		switch {
		case r.Generation == 0:
			r.Generation = img.Generation
		case r.Generation != img.Generation:
			return nil, broke(flex.ErrInvalid, op, id, "AZ-8", "the VM is %s but image %s is %s; they must match (InvalidParameter)", r.Generation, img.ID.Name, img.Generation)
		}
	}
	if r.SecureBoot && r.Generation != image.Gen2 {
		return nil, broke(flex.ErrInvalid, op, id, "AZ-8", "Secure Boot needs a Gen2 (V2) image; the VM is %s (InvalidParameter)", r.Generation)
	}
	vrec, err := c.ref(v, op, id, "virtual network", r.Network, flex.TypeVirtualNetwork)
	if err != nil {
		return nil, err
	}
	if err := sameSubRegion(op, id, r.Region, "virtual network", vrec); err != nil {
		return nil, err
	}
	vn := vrec.res.(*flex.VirtualNetwork)
	subnet, ok := findSubnet(vn.Subnets, r.Subnet)
	switch {
	case !ok:
		return nil, fail(flex.ErrNotFound, op, id, "InvalidResourceReference: subnet %q of %s was not found", r.Subnet, vn.ID.Name)
	case subnet.Name == GatewaySubnet:
		return nil, fail(flex.ErrInvalid, op, id, "SubnetReservedForGateway: VMs cannot be placed in GatewaySubnet")
	case !subnet.Prefix.Addr().Is4():
		return nil, fail(flex.ErrInvalid, op, id, "InvalidParameter: the primary address of a VM is IPv4; subnet %q is %s", subnet.Name, subnet.Prefix)
	}
	r.Subnet = subnet.Name
	diskID := flex.ResourceID{Subscription: id.Subscription, ResourceGroup: id.ResourceGroup, Type: flex.TypeDisk, Name: id.Name + "-osdisk"}
	dk := mustKey(diskID)
	if d := g.res[flex.TypeDisk][dk.name]; d != nil {
		return nil, fail(flex.ErrConflict, op, id, "ConflictingDiskName: a disk named %q already exists; delete it or rename the VM", d.meta().ID.Name)
	}
	lower := strings.ToLower(subnet.Name)
	p := vrec.pools[lower]
	if p == nil {
		p = &pool{used: make(map[uint32]struct{})}
	}
	ip, ok := p.take(subnet.Prefix)
	if !ok {
		return nil, fail(flex.ErrConflict, op, id, "SubnetIsFull: subnet %q %s of %s has no free address (%d usable, all in use)", subnet.Name, subnet.Prefix, vn.ID.Name, ipam.Usable(subnet.Prefix))
	}
	if err := c.allocate(op, r); err != nil {
		p.free(ip)
		return nil, err
	}
	if vrec.pools == nil {
		vrec.pools = make(map[string]*pool)
	}
	vrec.pools[lower] = p
	r.PrivateIP = ip
	r.OSDisk = diskID
	r.PowerState = flex.PowerRunning
	rec := g.store(k, nil, r)
	disk := &flex.Disk{
		Meta:    flex.Meta{ID: diskID, Region: r.Region, Tags: r.Tags, State: flex.Succeeded},
		SizeGiB: OSDiskSizeGiB,
		Source:  r.Image.ID,
		Zone:    r.Zone,
	}
	g.store(dk, nil, disk).vm = rec
	return rec, nil
}

// updateVM applies a Put to an existing VM: tags and size may change,
// the rest is fixed at creation.
func (c *Cloud) updateVM(op string, k key, g *group, old *record, r *flex.VirtualMachine) (*record, error) {
	o := old.res.(*flex.VirtualMachine)
	if r.Generation == 0 {
		r.Generation = o.Generation
	}
	switch {
	case r.Zone != o.Zone:
		return nil, immutable(op, r.ID, "zones", o.Zone, r.Zone)
	case r.ComputerName != o.ComputerName:
		return nil, immutable(op, r.ID, "osProfile.computerName", o.ComputerName, r.ComputerName)
	case r.AdminUsername != o.AdminUsername && r.AdminUsername != "":
		return nil, immutable(op, r.ID, "osProfile.adminUsername", o.AdminUsername, r.AdminUsername)
	case !sameID(r.Network, o.Network) || !strings.EqualFold(r.Subnet, o.Subnet):
		return nil, immutable(op, r.ID, "networkProfile", o.Network.Name+"/"+o.Subnet, r.Network.Name+"/"+r.Subnet)
	case !sameID(r.Image.ID, o.Image.ID) || r.Image.URN != o.Image.URN:
		return nil, immutable(op, r.ID, "storageProfile.imageReference", o.Image, r.Image)
	case r.Generation != o.Generation && o.Generation != 0:
		return nil, immutable(op, r.ID, "hyperVGeneration", o.Generation, r.Generation)
	}
	if r.SecureBoot && r.Generation != image.Gen2 {
		return nil, broke(flex.ErrInvalid, op, r.ID, "AZ-8", "Secure Boot needs a Gen2 (V2) image; the VM is %s (InvalidParameter)", r.Generation)
	}
	r.AdminUsername = o.AdminUsername
	if !strings.EqualFold(r.Size, o.Size) && allocated(o.PowerState) {
		if err := c.allocate(op, r); err != nil {
			return nil, err
		}
		c.release(o.Region, o.Size)
	}
	r.Network, r.Subnet, r.Image = o.Network, o.Subnet, o.Image
	r.PrivateIP, r.OSDisk, r.PowerState = o.PrivateIP, o.OSDisk, o.PowerState
	r.Sessions = len(old.sessions)
	return g.store(k, old, r), nil
}

func (c *Cloud) putDisk(v viewer, op string, k key, g *group, old *record, r *flex.Disk) (*record, error) {
	id := r.ID
	var l rule.List
	checkZone(&l, r.Region, r.Zone)
	if r.SizeGiB < 0 || r.SizeGiB > 32767 || (r.SizeGiB == 0 && r.Source.IsZero()) {
		l.Append(fmt.Errorf("InvalidParameter: disk size %d GiB; 1 to 32,767 are accepted (0 only with a source)", r.SizeGiB))
	}
	if err := l.Err(); err != nil {
		return nil, invalid(op, id, err)
	}
	if !r.Source.IsZero() {
		sk, ti, err := keyOf(r.Source)
		if err != nil || (ti.t != flex.TypeSnapshot && ti.t != flex.TypeImage) {
			return nil, fail(flex.ErrInvalid, op, id, "InvalidParameter: the source of a disk is a snapshot or an image, not %s", r.Source)
		}
		src := c.visible(v, sk)
		if src == nil {
			return nil, fail(flex.ErrNotFound, op, id, "InvalidResourceReference: source %s was not found", r.Source)
		}
		if r.SizeGiB == 0 {
			r.SizeGiB = c.sourceSize(src)
		}
	}
	if old != nil {
		o := old.res.(*flex.Disk)
		switch {
		case !sameID(o.Source, r.Source):
			return nil, immutable(op, id, "creationData", o.Source, r.Source)
		case o.Zone != r.Zone:
			return nil, immutable(op, id, "zones", o.Zone, r.Zone)
		case r.SizeGiB < o.SizeGiB:
			return nil, fail(flex.ErrConflict, op, id, "OperationNotAllowed: disk %s is %d GiB; it cannot shrink to %d GiB", id.Name, o.SizeGiB, r.SizeGiB)
		}
	}
	return g.store(k, old, r), nil
}

// sourceSize returns the size of a disk made from a snapshot or an image.
func (c *Cloud) sourceSize(src *record) int {
	if s, ok := src.res.(*flex.Snapshot); ok {
		if d := c.lookupID(s.Source); d != nil {
			return d.res.(*flex.Disk).SizeGiB
		}
	}
	return OSDiskSizeGiB
}

func (c *Cloud) putSnapshot(v viewer, op string, k key, g *group, old *record, r *flex.Snapshot) (*record, error) {
	id := r.ID
	src, err := c.ref(v, op, id, "source disk", r.Source, flex.TypeDisk)
	if err != nil {
		return nil, err
	}
	if sr := src.meta().Region; sr != r.Region {
		return nil, fail(flex.ErrInvalid, op, id, "InvalidParameter: source disk %s is in region %s; a snapshot is made in the disk's region, not %s", r.Source.Name, sr, r.Region)
	}
	r.Source = src.meta().ID
	if old != nil {
		o := old.res.(*flex.Snapshot)
		if !sameID(o.Source, r.Source) {
			return nil, immutable(op, id, "creationData.sourceResourceId", o.Source, r.Source)
		}
		r.Incremental, r.Created = o.Incremental, o.Created
		return g.store(k, old, r), nil
	}
	dk := mustKey(r.Source)
	r.Incremental = c.snaps[dk] > 0 // AZ-8: incremental after the first
	r.Created = c.clock.Now()
	c.snaps[dk]++
	return g.store(k, nil, r), nil
}

func (c *Cloud) putImage(v viewer, op string, k key, g *group, old *record, r *flex.Image) (*record, error) {
	id := r.ID
	var l rule.List
	if !r.Generation.IsValid() {
		l.Add("AZ-8", "image generation %d is neither Gen1 (V1) nor Gen2 (V2) (InvalidParameter)", int(r.Generation))
	}
	if !r.OS.IsValid() {
		l.Append(fmt.Errorf("InvalidParameter: the image needs an operating system"))
	}
	switch {
	case r.Source.IsZero() && r.SourceURL.IsZero():
		l.Append(fmt.Errorf("InvalidParameter: the image needs a source VM or disk, or the URL of a VHD"))
	case !r.Source.IsZero() && !r.SourceURL.IsZero():
		l.Append(fmt.Errorf("InvalidParameter: the image has both a source %s and a VHD URL; give one", r.Source))
	case !r.SourceURL.IsZero():
		if u, err := url.Parse(r.SourceURL.Reveal()); err != nil || u.Scheme != "https" || u.Host == "" {
			l.Append(fmt.Errorf("InvalidParameter: the VHD URL is not an https URL")) // the URL may hold a SAS: never quote it
		}
	}
	if err := l.Err(); err != nil {
		return nil, invalid(op, id, err)
	}
	if !r.Source.IsZero() {
		sk, ti, err := keyOf(r.Source)
		if err != nil || (ti.t != flex.TypeVirtualMachine && ti.t != flex.TypeDisk && ti.t != flex.TypeSnapshot) {
			return nil, fail(flex.ErrInvalid, op, id, "InvalidParameter: the source of an image is a VM, a disk or a snapshot, not %s", r.Source)
		}
		src := c.visible(v, sk)
		if src == nil {
			return nil, fail(flex.ErrNotFound, op, id, "InvalidResourceReference: source %s was not found", r.Source)
		}
		if vm, ok := src.res.(*flex.VirtualMachine); ok && old == nil {
			if vm.PowerState != flex.PowerStopped && vm.PowerState != flex.PowerDeallocated {
				return nil, fail(flex.ErrConflict, op, id, "OperationNotAllowed: VM %s is %s; capture an image from a stopped or deallocated VM", vm.ID.Name, vm.PowerState)
			}
			if vm.Generation != 0 && vm.Generation != r.Generation {
				return nil, broke(flex.ErrInvalid, op, id, "AZ-8", "VM %s is %s; an image of it is %s too, not %s (InvalidParameter)", vm.ID.Name, vm.Generation, vm.Generation, r.Generation)
			}
		}
		r.Source = src.meta().ID
	}
	if !r.Key.IsZero() {
		if _, err := c.ref(v, op, id, "key", r.Key, flex.TypeKey); err != nil {
			return nil, err
		}
	}
	if old != nil {
		o := old.res.(*flex.Image)
		switch {
		case o.Generation != r.Generation:
			return nil, immutable(op, id, "hyperVGeneration", o.Generation, r.Generation)
		case o.OS != r.OS:
			return nil, immutable(op, id, "osType", o.OS, r.OS)
		case !sameID(o.Source, r.Source) || !o.SourceURL.Equal(r.SourceURL):
			return nil, immutable(op, id, "source", o.Source, r.Source)
		case !sameID(o.Key, r.Key):
			return nil, immutable(op, id, "encryption key", o.Key, r.Key)
		}
	}
	return g.store(k, old, r), nil
}

// Power starts, restarts, powers off or deallocates a virtual machine
// (AZ-8): start from stopped or deallocated (taking capacity again after a
// deallocation), restart and power off from running, deallocate from any
// state. Any other transition, or a VM busy with another operation, is
// ErrConflict. Powering off, deallocating and restarting end the user
// sessions.
func (c *Cloud) Power(ctx context.Context, vm flex.ResourceID, a flex.PowerAction) error {
	return c.power(ctx, owner, vm, a)
}

func (c *Cloud) power(ctx context.Context, v viewer, id flex.ResourceID, a flex.PowerAction) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	op := "Power"
	if a != "" {
		op = string(a)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	rec, err := c.target(v, op, id, flex.TypeVirtualMachine)
	if err != nil {
		return err
	}
	if err := busy(op, rec); err != nil {
		return err
	}
	vm := rec.res.(*flex.VirtualMachine)
	conflict := func() error {
		return fail(flex.ErrConflict, op, vm.ID, "OperationNotAllowed: cannot %s VM %s while it is %s", a, vm.ID.Name, vm.PowerState)
	}
	switch vm.PowerState {
	case flex.PowerStarting, flex.PowerStopping, flex.PowerDeallocating:
		if a != flex.Deallocate {
			return conflict()
		}
	}
	switch a {
	case flex.Start:
		switch vm.PowerState {
		case flex.PowerRunning:
			return nil // as Azure: starting a running VM succeeds and changes nothing
		case flex.PowerStopped:
		case flex.PowerDeallocated:
			if err := c.allocate(op, vm); err != nil {
				return err
			}
		default:
			return conflict()
		}
		vm.PowerState = flex.PowerRunning
	case flex.Restart:
		if vm.PowerState != flex.PowerRunning {
			return conflict()
		}
		rec.sessions = nil
	case flex.PowerOff:
		if vm.PowerState == flex.PowerStopped {
			return nil // as Azure: powering off a stopped VM succeeds and changes nothing
		}
		if vm.PowerState != flex.PowerRunning {
			return conflict()
		}
		vm.PowerState = flex.PowerStopped
		rec.sessions = nil
	case flex.Deallocate:
		if allocated(vm.PowerState) {
			c.release(vm.Region, vm.Size)
		}
		vm.PowerState = flex.PowerDeallocated
		rec.sessions = nil
	default:
		return fail(flex.ErrInvalid, "Power", vm.ID, "InvalidParameter: power action %q is not start, restart, powerOff or deallocate", a)
	}
	vm.Sessions = len(rec.sessions)
	return nil
}

// RestoreSnapshot makes a new managed disk from the snapshot, named
// <vm>-osdisk-<n>, swaps it in as the VM's OS disk and deletes the old
// one. The VM must be stopped or deallocated (else ErrConflict), and the
// snapshot in its region.
func (c *Cloud) RestoreSnapshot(ctx context.Context, vm, snapshot flex.ResourceID) error {
	return c.restoreSnapshot(ctx, owner, vm, snapshot)
}

func (c *Cloud) restoreSnapshot(ctx context.Context, v viewer, vmID, snapID flex.ResourceID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	const op = "RestoreSnapshot"
	c.mu.Lock()
	defer c.mu.Unlock()
	rec, err := c.target(v, op, vmID, flex.TypeVirtualMachine)
	if err != nil {
		return err
	}
	if err := busy(op, rec); err != nil {
		return err
	}
	vm := rec.res.(*flex.VirtualMachine)
	srec, err := c.ref(v, op, vm.ID, "snapshot", snapID, flex.TypeSnapshot)
	if err != nil {
		return err
	}
	snap := srec.res.(*flex.Snapshot)
	if snap.Region != vm.Region {
		return fail(flex.ErrInvalid, op, vm.ID, "InvalidParameter: snapshot %s is in region %s; the VM is in %s", snap.ID.Name, snap.Region, vm.Region)
	}
	if vm.PowerState != flex.PowerStopped && vm.PowerState != flex.PowerDeallocated {
		return fail(flex.ErrConflict, op, vm.ID, "OperationNotAllowed: VM %s is %s; swap the OS disk of a stopped or deallocated VM", vm.ID.Name, vm.PowerState)
	}
	g := c.group(mustKey(vm.ID))
	var diskID flex.ResourceID
	for n := 1; ; n++ {
		diskID = flex.ResourceID{Subscription: vm.ID.Subscription, ResourceGroup: vm.ID.ResourceGroup,
			Type: flex.TypeDisk, Name: vm.ID.Name + "-osdisk-" + strconv.Itoa(n)}
		if c.lookupID(diskID) == nil {
			break
		}
	}
	size := c.sourceSize(srec)
	if old := c.lookupID(vm.OSDisk); old != nil {
		if s := old.res.(*flex.Disk).SizeGiB; s > size {
			size = s
		}
		old.vm = nil
		c.remove(old)
	}
	disk := &flex.Disk{
		Meta:    flex.Meta{ID: diskID, Region: vm.Region, Tags: vm.Tags, State: flex.Succeeded},
		SizeGiB: size,
		Source:  snap.ID,
		Zone:    vm.Zone,
	}
	g.store(mustKey(diskID), nil, disk).vm = rec
	vm.OSDisk = diskID
	return nil
}

// GrantDiskAccess returns a read-only SAS URL of a managed disk, valid for
// d: https://md-….blob.core.windows.net/…/abcd?sv=…&sr=b&sp=r&se=<now+d,
// RFC 3339>&sig=<signature>. A disk attached to a VM that is not
// deallocated is refused with ErrConflict, as in Azure.
func (c *Cloud) GrantDiskAccess(ctx context.Context, disk flex.ResourceID, d time.Duration) (secret.Value, error) {
	return c.grantDiskAccess(ctx, owner, disk, d)
}

func (c *Cloud) grantDiskAccess(ctx context.Context, v viewer, id flex.ResourceID, d time.Duration) (secret.Value, error) {
	if err := ctx.Err(); err != nil {
		return secret.Value{}, err
	}
	const op = "GrantDiskAccess"
	c.mu.Lock()
	defer c.mu.Unlock()
	rec, err := c.target(v, op, id, flex.TypeDisk)
	if err != nil {
		return secret.Value{}, err
	}
	if d <= 0 {
		return secret.Value{}, fail(flex.ErrInvalid, op, id, "InvalidParameter: access duration %v; it must be positive", d)
	}
	if rec.vm != nil {
		if vm := rec.vm.res.(*flex.VirtualMachine); vm.PowerState != flex.PowerDeallocated {
			return secret.Value{}, fail(flex.ErrConflict, op, id, "OperationNotAllowed: disk %s is attached to VM %s, which is %s; deallocate it first", id.Name, vm.ID.Name, vm.PowerState)
		}
	}
	m := rec.meta()
	expiry := c.clock.Now().Add(d).UTC().Truncate(time.Second)
	c.seq++
	mac := hmac.New(sha256.New, c.sigKey[:])
	fmt.Fprintf(mac, "%s\n%s\n%d", strings.ToLower(m.ID.String()), expiry.Format(time.RFC3339), c.seq)
	sum := mac.Sum(nil)
	account := sha256.Sum256([]byte(strings.ToLower(m.ID.String())))
	q := url.Values{}
	q.Set("sv", "2018-03-28")
	q.Set("sr", "b")
	q.Set("sp", "r")
	q.Set("se", expiry.Format(time.RFC3339))
	q.Set("sig", base64.StdEncoding.EncodeToString(sum))
	u := url.URL{
		Scheme:   "https",
		Host:     "md-" + hex.EncodeToString(account[:6]) + ".blob.core.windows.net",
		Path:     "/" + hex.EncodeToString(account[6:12]) + "/abcd",
		RawQuery: q.Encode(),
	}
	return secret.New(u.String()), nil
}

func lower(s string) string { return strings.ToLower(s) }

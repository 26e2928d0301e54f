package azure

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/daasflex/daasflex/azure/internal/armconv"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/secret"
)

var instanceView = armcompute.InstanceViewTypesInstanceView

// putVM puts the VM's network interface, then the VM, and reads both
// back. A network interface made for a new VM that Azure then refused is
// deleted again.
func (p *Provider) putVM(ctx context.Context, c *clients, r *flex.VirtualMachine) (flex.Resource, error) {
	rg := r.ID.ResourceGroup
	nicName := armconv.NICName(r.ID.Name)
	cur, err := c.vms.Get(ctx, rg, r.ID.Name, nil)
	newVM := isNotFound(err)
	if err != nil && !newVM {
		return nil, err
	}
	if !newVM {
		// An update: Azure refuses a change of the admin password or of
		// the OS disk in a PUT, so the request keeps the disk the VM has
		// (a restore may have swapped it) and sends no password.
		old, err := armconv.VirtualMachineFromARM(r.ID, &cur.VirtualMachine)
		if err != nil {
			return nil, err
		}
		if r.OSDisk.IsZero() {
			r.OSDisk = old.OSDisk
		}
		r.AdminPassword = secret.Value{}
	}
	if r.Network.IsZero() || r.Subnet == "" {
		return nil, invalidf("Put", r.ID, "InvalidParameter: the VM needs a virtual network and a subnet for its network interface")
	}
	if err := p.checkGeneration(ctx, c, r); err != nil {
		return nil, err
	}
	nic, err := wait(c.nics.BeginCreateOrUpdate(ctx, rg, nicName, *armconv.NICToARM(r), nil)).done(ctx, p)
	if err != nil {
		return nil, err
	}
	_, err = wait(c.vms.BeginCreateOrUpdate(ctx, rg, r.ID.Name, *armconv.VirtualMachineToARM(r, deref(nic.ID)), nil)).done(ctx, p)
	if err != nil {
		if newVM {
			// Best effort: the VM's error is the one to report.
			_, _ = wait(c.nics.BeginDelete(ctx, rg, nicName, nil)).done(ctx, p)
		}
		return nil, err
	}
	return p.getVM(ctx, c, r.ID)
}

// checkGeneration checks a VM's generation against its managed image's
// (AZ-8). ARM has no field for a VM's generation: Azure gives the VM its
// image's, so a VM that asks for another, or for Secure Boot on a Gen1
// image, is refused here rather than made otherwise than asked.
func (p *Provider) checkGeneration(ctx context.Context, c *clients, r *flex.VirtualMachine) error {
	if r.Image.ID.IsZero() || (r.Generation == 0 && !r.SecureBoot) {
		return nil
	}
	resp, err := c.images.Get(ctx, r.Image.ID.ResourceGroup, r.Image.ID.Name, nil)
	if err != nil {
		if isNotFound(err) {
			return nil // Azure names the missing image
		}
		return err
	}
	img, err := armconv.ImageFromARM(r.Image.ID, &resp.Image)
	if err != nil || img.Generation == 0 {
		return err
	}
	switch {
	case r.Generation != 0 && r.Generation != img.Generation:
		return invalidf("Put", r.ID, "InvalidParameter: AZ-8: the VM asks for %s but image %s is %s; a VM has its image's generation", r.Generation, img.ID.Name, img.Generation)
	case r.SecureBoot && img.Generation != image.Gen2:
		return invalidf("Put", r.ID, "InvalidParameter: AZ-8: Secure Boot needs a Gen2 (V2) image; image %s is %s", img.ID.Name, img.Generation)
	}
	return nil
}

// getVM reads a VM with its instance view (power state, generation) and
// its network interface (network, subnet, private address).
func (p *Provider) getVM(ctx context.Context, c *clients, id flex.ResourceID) (flex.Resource, error) {
	resp, err := c.vms.Get(ctx, id.ResourceGroup, id.Name, &armcompute.VirtualMachinesClientGetOptions{Expand: &instanceView})
	if err != nil {
		return nil, err
	}
	vm, err := armconv.VirtualMachineFromARM(id, &resp.VirtualMachine)
	if err != nil {
		return nil, err
	}
	if nicID := armconv.VirtualMachineNICID(&resp.VirtualMachine); nicID != "" {
		nid, err := armconv.ParseID(&nicID)
		if err != nil {
			return nil, err
		}
		nic, err := c.nics.Get(ctx, nid.ResourceGroup, nid.Name, nil)
		if err != nil {
			return nil, err
		}
		if err := setNIC(vm, &nic.Interface); err != nil {
			return nil, err
		}
	}
	return vm, nil
}

func setNIC(vm *flex.VirtualMachine, nic *armnetwork.Interface) error {
	vnet, subnet, ip, err := armconv.NICAddress(nic)
	if err != nil {
		return err
	}
	vm.Network, vm.Subnet, vm.PrivateIP = vnet, subnet, ip
	return nil
}

// Power starts, restarts, powers off or deallocates a VM with
// VirtualMachines' BeginStart, BeginRestart, BeginPowerOff or
// BeginDeallocate.
func (p *Provider) Power(ctx context.Context, vm flex.ResourceID, a flex.PowerAction) error {
	const op = "Power"
	if vm.Type != flex.TypeVirtualMachine {
		return invalidf(op, vm, "%s is not a virtual machine", vm.Type)
	}
	c, err := p.clients(vm.Subscription)
	if err != nil {
		return err
	}
	rg, name := vm.ResourceGroup, vm.Name
	switch a {
	case flex.Start:
		_, err = wait(c.vms.BeginStart(ctx, rg, name, nil)).done(ctx, p)
	case flex.Restart:
		_, err = wait(c.vms.BeginRestart(ctx, rg, name, nil)).done(ctx, p)
	case flex.PowerOff:
		_, err = wait(c.vms.BeginPowerOff(ctx, rg, name, nil)).done(ctx, p)
	case flex.Deallocate:
		_, err = wait(c.vms.BeginDeallocate(ctx, rg, name, nil)).done(ctx, p)
	default:
		return invalidf(op, vm, "power action %q is not start, restart, powerOff or deallocate", a)
	}
	return wrap(op, vm, err)
}

// restoredDiskName names the disk made from snapshot for vm:
// <vm>-osdisk-<snapshot>, shortened with a hash to ARM's 80 characters.
func restoredDiskName(vm, snapshot string) string {
	name := armconv.OSDiskName(vm) + "-" + snapshot
	if len(name) <= 80 {
		return name
	}
	sum := sha256.Sum256([]byte(strings.ToLower(name)))
	return name[:80-17] + "-" + hex.EncodeToString(sum[:8])
}

// RestoreSnapshot makes a new managed disk from the snapshot (Disks'
// BeginCreateOrUpdate, named <vm>-osdisk-<snapshot>), swaps it in as the
// VM's OS disk (VirtualMachines' BeginUpdate) and deletes the old disk.
// The VM must be stopped or deallocated, which Azure enforces.
func (p *Provider) RestoreSnapshot(ctx context.Context, vm, snapshot flex.ResourceID) error {
	const op = "RestoreSnapshot"
	switch {
	case vm.Type != flex.TypeVirtualMachine:
		return invalidf(op, vm, "%s is not a virtual machine", vm.Type)
	case snapshot.Type != flex.TypeSnapshot:
		return invalidf(op, vm, "%s is not a snapshot", snapshot)
	}
	c, err := p.clients(vm.Subscription)
	if err != nil {
		return err
	}
	cur, err := p.getVM(ctx, c, vm)
	if err != nil {
		return wrap(op, vm, err)
	}
	v := cur.(*flex.VirtualMachine)
	disk := &flex.Disk{
		Meta:   flex.Meta{ID: flex.ResourceID{Subscription: vm.Subscription, ResourceGroup: vm.ResourceGroup, Type: flex.TypeDisk, Name: restoredDiskName(vm.Name, snapshot.Name)}, Region: v.Region, Tags: v.Tags},
		Source: snapshot,
		Zone:   v.Zone,
	}
	if _, err := wait(c.disks.BeginCreateOrUpdate(ctx, vm.ResourceGroup, disk.ID.Name, *armconv.DiskToARM(disk), nil)).done(ctx, p); err != nil {
		return wrap(op, vm, err)
	}
	update := armcompute.VirtualMachineUpdate{Properties: &armcompute.VirtualMachineProperties{
		StorageProfile: &armcompute.StorageProfile{OSDisk: &armcompute.OSDisk{
			Name:        &disk.ID.Name,
			ManagedDisk: &armcompute.ManagedDiskParameters{ID: armconv.ID(disk.ID)},
		}},
	}}
	if _, err := wait(c.vms.BeginUpdate(ctx, vm.ResourceGroup, vm.Name, update, nil)).done(ctx, p); err != nil {
		_, _ = wait(c.disks.BeginDelete(ctx, vm.ResourceGroup, disk.ID.Name, nil)).done(ctx, p)
		return wrap(op, vm, err)
	}
	if old := v.OSDisk; !old.IsZero() && !strings.EqualFold(old.String(), disk.ID.String()) {
		if _, err := wait(c.disks.BeginDelete(ctx, old.ResourceGroup, old.Name, nil)).done(ctx, p); err != nil && !isNotFound(err) {
			return wrap(op, old, err)
		}
	}
	return nil
}

// GrantDiskAccess returns a read-only SAS URL of a managed disk, valid for
// d, from Disks' BeginGrantAccess.
func (p *Provider) GrantDiskAccess(ctx context.Context, disk flex.ResourceID, d time.Duration) (secret.Value, error) {
	const op = "GrantDiskAccess"
	if disk.Type != flex.TypeDisk {
		return secret.Value{}, invalidf(op, disk, "%s is not a managed disk", disk.Type)
	}
	secs, err := armconv.AccessSeconds(d)
	if err != nil {
		return secret.Value{}, invalidf(op, disk, "InvalidParameter: %v", err)
	}
	c, err := p.clients(disk.Subscription)
	if err != nil {
		return secret.Value{}, err
	}
	access := armcompute.AccessLevelRead
	resp, err := wait(c.disks.BeginGrantAccess(ctx, disk.ResourceGroup, disk.Name, armcompute.GrantAccessData{Access: &access, DurationInSeconds: &secs}, nil)).done(ctx, p)
	if err != nil {
		return secret.Value{}, wrap(op, disk, err)
	}
	if resp.AccessSAS == nil || *resp.AccessSAS == "" {
		return secret.Value{}, &flex.Error{Kind: flex.ErrUnavailable, Op: op, Object: disk.String(), Err: errorString("Azure granted access but sent no SAS URL")}
	}
	return secret.New(*resp.AccessSAS), nil
}

func (p *Provider) putDisk(ctx context.Context, c *clients, r *flex.Disk) (flex.Resource, error) {
	resp, err := wait(c.disks.BeginCreateOrUpdate(ctx, r.ID.ResourceGroup, r.ID.Name, *armconv.DiskToARM(r), nil)).done(ctx, p)
	if err != nil {
		return nil, err
	}
	return armconv.DiskFromARM(r.ID, &resp.Disk)
}

func (p *Provider) putSnapshot(ctx context.Context, c *clients, r *flex.Snapshot) (flex.Resource, error) {
	resp, err := wait(c.snapshots.BeginCreateOrUpdate(ctx, r.ID.ResourceGroup, r.ID.Name, *armconv.SnapshotToARM(r), nil)).done(ctx, p)
	if err != nil {
		return nil, err
	}
	return armconv.SnapshotFromARM(r.ID, &resp.Snapshot)
}

func (p *Provider) putImage(ctx context.Context, c *clients, r *flex.Image) (flex.Resource, error) {
	resp, err := wait(c.images.BeginCreateOrUpdate(ctx, r.ID.ResourceGroup, r.ID.Name, *armconv.ImageToARM(r), nil)).done(ctx, p)
	if err != nil {
		return nil, err
	}
	return armconv.ImageFromARM(r.ID, &resp.Image)
}

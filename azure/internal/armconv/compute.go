package armconv

import (
	"fmt"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
)

// OSDiskName returns the name of the OS disk Azure makes for a new VM.
func OSDiskName(vm string) string { return vm + "-osdisk" }

// PowerStatePrefix starts the code of the instance view status that holds a
// VM's power state, such as "PowerState/running".
const PowerStatePrefix = "PowerState/"

// VirtualMachineToARM converts a VM whose network interface is the
// resource with ID nic. The admin password is sent only when set.
func VirtualMachineToARM(r *flex.VirtualMachine, nic string) *armcompute.VirtualMachine {
	osDisk := &armcompute.OSDisk{
		Name:         to(OSDiskName(r.ID.Name)),
		CreateOption: to(armcompute.DiskCreateOptionTypesFromImage),
		DeleteOption: to(armcompute.DiskDeleteOptionTypesDelete),
		ManagedDisk:  &armcompute.ManagedDiskParameters{StorageAccountType: to(armcompute.StorageAccountTypesPremiumLRS)},
	}
	if !r.OSDisk.IsZero() {
		osDisk.Name = to(r.OSDisk.Name)
		osDisk.ManagedDisk.ID = ID(r.OSDisk)
	}
	m := &armcompute.VirtualMachine{
		Location: to(string(r.Region)),
		Tags:     Tags(r.Tags),
		Zones:    zones(r.Zone),
		Properties: &armcompute.VirtualMachineProperties{
			HardwareProfile: &armcompute.HardwareProfile{VMSize: to(armcompute.VirtualMachineSizeTypes(r.Size))},
			StorageProfile: &armcompute.StorageProfile{
				ImageReference: ImageReferenceToARM(r.Image),
				OSDisk:         osDisk,
			},
			OSProfile: &armcompute.OSProfile{ComputerName: to(r.ComputerName)},
			NetworkProfile: &armcompute.NetworkProfile{NetworkInterfaces: []*armcompute.NetworkInterfaceReference{{
				ID: to(nic),
				Properties: &armcompute.NetworkInterfaceReferenceProperties{
					Primary:      to(true),
					DeleteOption: to(armcompute.DeleteOptionsDelete),
				},
			}}},
		},
	}
	if r.ComputerName == "" {
		m.Properties.OSProfile.ComputerName = to(r.ID.Name)
	}
	if r.AdminUsername != "" {
		m.Properties.OSProfile.AdminUsername = to(r.AdminUsername)
	}
	if !r.AdminPassword.IsZero() {
		m.Properties.OSProfile.AdminPassword = to(r.AdminPassword.Reveal())
	}
	if r.SecureBoot {
		m.Properties.SecurityProfile = &armcompute.SecurityProfile{
			SecurityType: to(armcompute.SecurityTypesTrustedLaunch),
			UefiSettings: &armcompute.UefiSettings{SecureBootEnabled: to(true), VTpmEnabled: to(true)},
		}
	}
	return m
}

// ImageReferenceToARM converts a managed image ID or a marketplace URN
// publisher:offer:sku:version.
func ImageReferenceToARM(ref flex.ImageRef) *armcompute.ImageReference {
	if !ref.ID.IsZero() {
		return &armcompute.ImageReference{ID: ID(ref.ID)}
	}
	parts := strings.Split(ref.URN, ":")
	if len(parts) != 4 {
		// Passed on whole for ARM to refuse.
		return &armcompute.ImageReference{Publisher: to(ref.URN)}
	}
	return &armcompute.ImageReference{Publisher: to(parts[0]), Offer: to(parts[1]), SKU: to(parts[2]), Version: to(parts[3])}
}

// ImageReferenceFromARM converts an image reference back.
func ImageReferenceFromARM(m *armcompute.ImageReference) (flex.ImageRef, error) {
	if m == nil {
		return flex.ImageRef{}, nil
	}
	if m.ID != nil && *m.ID != "" {
		id, err := ParseID(m.ID)
		return flex.ImageRef{ID: id}, err
	}
	if m.Offer == nil && m.SKU == nil && m.Version == nil {
		return flex.ImageRef{URN: deref(m.Publisher)}, nil
	}
	return flex.ImageRef{URN: strings.Join([]string{deref(m.Publisher), deref(m.Offer), deref(m.SKU), deref(m.Version)}, ":")}, nil
}

// VirtualMachineNICID returns the ID of a VM's primary network interface.
func VirtualMachineNICID(m *armcompute.VirtualMachine) string {
	if m.Properties == nil || m.Properties.NetworkProfile == nil {
		return ""
	}
	nics := m.Properties.NetworkProfile.NetworkInterfaces
	for _, n := range nics {
		if n.Properties != nil && deref(n.Properties.Primary) {
			return deref(n.ID)
		}
	}
	if len(nics) > 0 {
		return deref(nics[0].ID)
	}
	return ""
}

// Generation converts Azure's "V1"/"V2" to a generation; "" gives 0.
func Generation(s string) (image.Generation, error) {
	if s == "" {
		return 0, nil
	}
	return image.ParseGeneration(s)
}

// VirtualMachineFromARM converts a VM back, with the power state and the
// generation of its instance view. Its network, subnet and private address
// belong to its network interface, which the caller reads.
func VirtualMachineFromARM(id flex.ResourceID, m *armcompute.VirtualMachine) (*flex.VirtualMachine, error) {
	r := &flex.VirtualMachine{Meta: flex.Meta{ID: id, Region: region(m.Location), Tags: FromTags(m.Tags)}, Zone: zone(m.Zones)}
	p := m.Properties
	if p == nil {
		return r, nil
	}
	r.State = state(p.ProvisioningState)
	if p.HardwareProfile != nil {
		r.Size = string(deref(p.HardwareProfile.VMSize))
	}
	var err error
	if sp := p.StorageProfile; sp != nil {
		if r.Image, err = ImageReferenceFromARM(sp.ImageReference); err != nil {
			return nil, err
		}
		if sp.OSDisk != nil && sp.OSDisk.ManagedDisk != nil {
			if r.OSDisk, err = ParseID(sp.OSDisk.ManagedDisk.ID); err != nil {
				return nil, err
			}
		}
	}
	if op := p.OSProfile; op != nil {
		r.ComputerName = deref(op.ComputerName)
		r.AdminUsername = deref(op.AdminUsername)
	}
	if sp := p.SecurityProfile; sp != nil && sp.UefiSettings != nil {
		r.SecureBoot = deref(sp.UefiSettings.SecureBootEnabled)
	}
	if iv := p.InstanceView; iv != nil {
		if r.Generation, err = Generation(string(deref(iv.HyperVGeneration))); err != nil {
			return nil, err
		}
		for _, s := range iv.Statuses {
			if ps, ok := strings.CutPrefix(deref(s.Code), PowerStatePrefix); ok {
				r.PowerState = flex.PowerState(ps)
			}
		}
	}
	return r, nil
}

// PowerStatus returns the instance view status of a power state.
func PowerStatus(ps flex.PowerState) *armcompute.InstanceViewStatus {
	return &armcompute.InstanceViewStatus{Code: to(PowerStatePrefix + string(ps)), Level: to(armcompute.StatusLevelTypesInfo)}
}

func creationData(src flex.ResourceID) *armcompute.CreationData {
	switch {
	case src.IsZero():
		return &armcompute.CreationData{CreateOption: to(armcompute.DiskCreateOptionEmpty)}
	case src.Type == flex.TypeImage:
		return &armcompute.CreationData{CreateOption: to(armcompute.DiskCreateOptionFromImage), ImageReference: &armcompute.ImageDiskReference{ID: ID(src)}}
	default:
		return &armcompute.CreationData{CreateOption: to(armcompute.DiskCreateOptionCopy), SourceResourceID: ID(src)}
	}
}

func creationSource(c *armcompute.CreationData) (flex.ResourceID, error) {
	if c == nil {
		return flex.ResourceID{}, nil
	}
	if c.SourceResourceID != nil && *c.SourceResourceID != "" {
		return ParseID(c.SourceResourceID)
	}
	if c.ImageReference != nil {
		return ParseID(c.ImageReference.ID)
	}
	return flex.ResourceID{}, nil
}

// DiskToARM converts a managed disk: empty, or copied from a snapshot, or
// made from an image.
func DiskToARM(r *flex.Disk) *armcompute.Disk {
	return &armcompute.Disk{
		Location: to(string(r.Region)),
		Tags:     Tags(r.Tags),
		Zones:    zones(r.Zone),
		SKU:      &armcompute.DiskSKU{Name: to(armcompute.DiskStorageAccountTypesPremiumLRS)},
		Properties: &armcompute.DiskProperties{
			DiskSizeGB:   i32(r.SizeGiB),
			CreationData: creationData(r.Source),
		},
	}
}

// DiskFromARM converts a disk back.
func DiskFromARM(id flex.ResourceID, m *armcompute.Disk) (*flex.Disk, error) {
	r := &flex.Disk{Meta: flex.Meta{ID: id, Region: region(m.Location), Tags: FromTags(m.Tags)}, Zone: zone(m.Zones)}
	if p := m.Properties; p != nil {
		r.State = state(p.ProvisioningState)
		r.SizeGiB = int(deref(p.DiskSizeGB))
		var err error
		if r.Source, err = creationSource(p.CreationData); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// SnapshotToARM converts a snapshot of a disk; Azure makes it incremental
// after the first of the disk.
func SnapshotToARM(r *flex.Snapshot) *armcompute.Snapshot {
	return &armcompute.Snapshot{
		Location: to(string(r.Region)),
		Tags:     Tags(r.Tags),
		Properties: &armcompute.SnapshotProperties{
			CreationData: &armcompute.CreationData{CreateOption: to(armcompute.DiskCreateOptionCopy), SourceResourceID: ID(r.Source)},
			Incremental:  to(true),
		},
	}
}

// SnapshotFromARM converts a snapshot back.
func SnapshotFromARM(id flex.ResourceID, m *armcompute.Snapshot) (*flex.Snapshot, error) {
	r := &flex.Snapshot{Meta: flex.Meta{ID: id, Region: region(m.Location), Tags: FromTags(m.Tags)}}
	if p := m.Properties; p != nil {
		r.State = state(p.ProvisioningState)
		r.Incremental = deref(p.Incremental)
		if p.TimeCreated != nil {
			r.Created = p.TimeCreated.UTC()
		}
		var err error
		if r.Source, err = creationSource(p.CreationData); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// ImageToARM converts a managed image captured from a VM, a disk or a
// snapshot, or imported from a VHD URL.
func ImageToARM(r *flex.Image) *armcompute.Image {
	extra := map[string]string{}
	if r.OS.IsValid() {
		extra[TagImageOS] = r.OS.String()
	}
	if !r.Key.IsZero() {
		extra[TagImageKey] = r.Key.String()
	}
	osType := armcompute.OperatingSystemTypesWindows
	if r.OS.IsLinux() {
		osType = armcompute.OperatingSystemTypesLinux
	}
	disk := &armcompute.ImageOSDisk{OSType: to(osType), OSState: to(armcompute.OperatingSystemStateTypesGeneralized)}
	p := &armcompute.ImageProperties{StorageProfile: &armcompute.ImageStorageProfile{OSDisk: disk}}
	if g := r.Generation.HyperVGeneration(); g != "" {
		p.HyperVGeneration = to(armcompute.HyperVGenerationTypes(g))
	}
	switch r.Source.Type {
	case flex.TypeVirtualMachine:
		p.SourceVirtualMachine = &armcompute.SubResource{ID: ID(r.Source)}
		p.StorageProfile = nil
	case flex.TypeSnapshot:
		disk.Snapshot = &armcompute.SubResource{ID: ID(r.Source)}
	case "":
	default:
		disk.ManagedDisk = &armcompute.SubResource{ID: ID(r.Source)}
	}
	if !r.SourceURL.IsZero() {
		disk.BlobURI = to(r.SourceURL.Reveal())
	}
	return &armcompute.Image{Location: to(string(r.Region)), Tags: Tags(withTags(r.Tags, extra)), Properties: p}
}

// ImageFromARM converts an image back.
func ImageFromARM(id flex.ResourceID, m *armcompute.Image) (*flex.Image, error) {
	r := &flex.Image{Meta: flex.Meta{ID: id, Region: region(m.Location), Tags: FromTags(m.Tags, TagImageOS, TagImageKey)}}
	var err error
	if s := deref(m.Tags[TagImageOS]); s != "" {
		if r.OS, err = image.ParseOS(s); err != nil {
			return nil, err
		}
	}
	if s := m.Tags[TagImageKey]; s != nil {
		if r.Key, err = ParseID(s); err != nil {
			return nil, err
		}
	}
	p := m.Properties
	if p == nil {
		return r, nil
	}
	r.State = state(p.ProvisioningState)
	if r.Generation, err = Generation(string(deref(p.HyperVGeneration))); err != nil {
		return nil, err
	}
	if p.SourceVirtualMachine != nil {
		if r.Source, err = ParseID(p.SourceVirtualMachine.ID); err != nil {
			return nil, err
		}
	}
	if sp := p.StorageProfile; sp != nil && sp.OSDisk != nil {
		d := sp.OSDisk
		switch {
		case d.Snapshot != nil:
			r.Source, err = ParseID(d.Snapshot.ID)
		case d.ManagedDisk != nil:
			r.Source, err = ParseID(d.ManagedDisk.ID)
		}
		if err != nil {
			return nil, err
		}
		if d.BlobURI != nil {
			r.SourceURL = secretOf(*d.BlobURI)
		}
	}
	return r, nil
}

// AccessSeconds converts a disk access duration to ARM's whole seconds,
// rounding up.
func AccessSeconds(d time.Duration) (int32, error) {
	s := (d + time.Second - 1) / time.Second
	if d <= 0 || s > 1<<31-1 {
		return 0, fmt.Errorf("access duration %v: want 1 s to %d s", d, int64(1<<31-1))
	}
	return int32(s), nil
}

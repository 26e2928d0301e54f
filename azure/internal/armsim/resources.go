package armsim

import (
	"context"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/daasflex/daasflex/azure/internal/armconv"
	"github.com/daasflex/daasflex/azure/internal/fakearm"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

func to[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func lastName(id flex.ResourceID) string { return id.Name[strings.LastIndexByte(id.Name, '/')+1:] }

func netState(s flex.ProvisioningState) *armnetwork.ProvisioningState {
	return to(armnetwork.ProvisioningState(s))
}

// Put applies a PUT to the simulated cloud.
func (s *Sim) Put(ctx context.Context, id flex.ResourceID, model any) (any, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	var (
		r   flex.Resource
		err error
	)
	switch m := model.(type) {
	case *armnetwork.PublicIPAddress:
		return s.putPIP(id, m), nil
	case *armnetwork.Interface:
		return s.putNIC(ctx, id, m)
	case *armnetwork.VirtualNetwork:
		r, err = armconv.VirtualNetworkFromARM(id, m)
	case *armnetwork.SecurityGroup:
		r, err = armconv.SecurityGroupFromARM(id, m)
	case *armnetwork.RouteTable:
		r, err = armconv.RouteTableFromARM(id, m)
	case *armnetwork.NatGateway:
		r, err = armconv.NATGatewayFromARM(id, m, netipZero)
		if err == nil {
			s.claimPIP(armconv.NATPublicIPID(m), id)
		}
	case *armnetwork.VirtualNetworkPeering:
		region, perr := s.parentRegion(ctx, id, flex.TypeVirtualNetwork)
		if perr != nil {
			return nil, armError(perr)
		}
		r, err = armconv.PeeringFromARM(id, region, m)
	case *armnetwork.VirtualNetworkGateway:
		r, err = armconv.VPNGatewayFromARM(id, m, netipZero)
		if err == nil {
			s.claimPIP(armconv.VPNGatewayPublicIPID(m), id)
		}
	case *armnetwork.LocalNetworkGateway:
		r, err = armconv.LocalGatewayFromARM(id, m)
	case *armnetwork.VirtualNetworkGatewayConnection:
		r, err = armconv.VPNConnectionFromARM(id, m)
	case *armnetwork.VirtualHub:
		r, err = armconv.VirtualHubFromARM(id, m)
	case *armnetwork.HubVirtualNetworkConnection:
		region, perr := s.parentRegion(ctx, id, flex.TypeVirtualHub)
		if perr != nil {
			return nil, armError(perr)
		}
		r, err = armconv.HubConnectionFromARM(id, region, m)
	case *armcompute.VirtualMachine:
		return s.putVM(ctx, id, m)
	case *armcompute.Disk:
		r, err = armconv.DiskFromARM(id, m)
	case *armcompute.Snapshot:
		r, err = armconv.SnapshotFromARM(id, m)
	case *armcompute.Image:
		r, err = armconv.ImageFromARM(id, m)
	default:
		return nil, &fakearm.Error{Status: http.StatusBadRequest, Code: "InvalidResourceType", Message: "the simulator does not serve " + string(id.Type)}
	}
	if err != nil {
		return nil, badRequest("the request body", err)
	}
	out, err := s.cloud.Put(ctx, r)
	if err != nil {
		return nil, armError(err)
	}
	return s.toARM(ctx, out)
}

// parentRegion returns the region of the parent (of type t) of a child
// resource, which ARM keeps on the parent only.
func (s *Sim) parentRegion(ctx context.Context, id flex.ResourceID, t flex.ResourceType) (network.Region, error) {
	parent, _, _ := strings.Cut(id.Name, "/")
	pid := flex.ResourceID{Subscription: id.Subscription, ResourceGroup: id.ResourceGroup, Type: t, Name: parent}
	r, err := s.cloud.Get(ctx, pid)
	if err != nil {
		return "", err
	}
	return r.Metadata().Region, nil
}

// Get reads a resource of the simulated cloud.
func (s *Sim) Get(ctx context.Context, id flex.ResourceID) (any, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	switch id.Type {
	case fakearm.TypePublicIP:
		return s.getPIP(ctx, id)
	case fakearm.TypeNIC:
		return s.getNIC(ctx, id)
	}
	r, err := s.cloud.Get(ctx, id)
	if err != nil {
		return nil, armError(err)
	}
	return s.toARM(ctx, r)
}

// Delete deletes a resource of the simulated cloud.
func (s *Sim) Delete(ctx context.Context, id flex.ResourceID) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	switch id.Type {
	case fakearm.TypePublicIP:
		return s.deletePIP(ctx, id)
	case fakearm.TypeNIC:
		return s.deleteNIC(ctx, id)
	}
	if err := s.cloud.Delete(ctx, id); err != nil {
		return armError(err)
	}
	if id.Type == flex.TypeVirtualMachine {
		s.releaseNICs(id)
	}
	return nil
}

// List lists the resources of type t under scope: a resource group, or
// the parent of a child type.
func (s *Sim) List(ctx context.Context, scope flex.ResourceID, t flex.ResourceType) ([]any, error) {
	if t == fakearm.TypeNIC {
		return s.listNICs(ctx, scope)
	}
	rs, err := s.cloud.List(ctx, flex.Filter{Subscription: scope.Subscription, ResourceGroup: scope.Group().Name, Type: t})
	if err != nil {
		return nil, armError(err)
	}
	out := make([]any, 0, len(rs))
	for _, r := range rs {
		if scope.Type != flex.TypeResourceGroup {
			parent, _, _ := strings.Cut(r.Metadata().ID.Name, "/")
			if !strings.EqualFold(parent, scope.Name) {
				continue
			}
		}
		m, err := s.toARM(ctx, r)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// Action runs the POST and PATCH verbs.
func (s *Sim) Action(ctx context.Context, id flex.ResourceID, action string, body any) (any, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	var err error
	switch action {
	case "start":
		err = s.cloud.Power(ctx, id, flex.Start)
	case "restart":
		err = s.cloud.Power(ctx, id, flex.Restart)
	case "powerOff":
		err = s.cloud.Power(ctx, id, flex.PowerOff)
	case "deallocate":
		err = s.cloud.Power(ctx, id, flex.Deallocate)
	case "reset":
		err = s.cloud.ResetVPNGateway(ctx, id)
	case "update":
		return s.updateVM(ctx, id, body.(*armcompute.VirtualMachineUpdate))
	case "grantAccess":
		g := body.(*armcompute.GrantAccessData)
		sas, err := s.cloud.GrantDiskAccess(ctx, id, secondsOf(g.DurationInSeconds))
		if err != nil {
			return nil, armError(err)
		}
		return &armcompute.AccessURI{AccessSAS: to(sas.Reveal())}, nil
	default:
		return nil, &fakearm.Error{Status: http.StatusBadRequest, Code: "InvalidRequest", Message: "unknown action " + action}
	}
	return nil, armError(err)
}

// toARM writes a resource of the cloud as the model Azure answers with.
func (s *Sim) toARM(ctx context.Context, r flex.Resource) (any, error) {
	id := r.Metadata().ID
	sid, name, typ := to(id.String()), to(lastName(id)), to(string(id.Type))
	st := r.Metadata().State
	switch r := r.(type) {
	case *flex.VirtualNetwork:
		m := armconv.VirtualNetworkToARM(r)
		m.ID, m.Name, m.Type, m.Properties.ProvisioningState = sid, name, typ, netState(st)
		for _, sn := range m.Properties.Subnets {
			sn.ID = to(armconv.SubnetID(id, deref(sn.Name)))
		}
		return m, nil
	case *flex.SecurityGroup:
		m := armconv.SecurityGroupToARM(r)
		m.ID, m.Name, m.Type, m.Properties.ProvisioningState = sid, name, typ, netState(st)
		for _, rule := range m.Properties.SecurityRules {
			rule.ID = to(armconv.Sub(id, "securityRules", deref(rule.Name)))
		}
		return m, nil
	case *flex.RouteTable:
		m := armconv.RouteTableToARM(r)
		m.ID, m.Name, m.Type, m.Properties.ProvisioningState = sid, name, typ, netState(st)
		return m, nil
	case *flex.NATGateway:
		m := armconv.NATGatewayToARM(r, s.pipOf(id))
		m.ID, m.Name, m.Type, m.Properties.ProvisioningState = sid, name, typ, netState(st)
		return m, nil
	case *flex.Peering:
		m := armconv.PeeringToARM(r)
		m.ID, m.Name, m.Type, m.Properties.ProvisioningState = sid, name, typ, netState(st)
		ps := armnetwork.VirtualNetworkPeeringStateInitiated
		if r.Connected {
			ps = armnetwork.VirtualNetworkPeeringStateConnected
		}
		m.Properties.PeeringState = &ps
		return m, nil
	case *flex.VPNGateway:
		m := armconv.VPNGatewayToARM(r, s.pipOf(id))
		m.ID, m.Name, m.Type, m.Properties.ProvisioningState = sid, name, typ, netState(st)
		return m, nil
	case *flex.LocalGateway:
		m := armconv.LocalGatewayToARM(r)
		m.ID, m.Name, m.Type, m.Properties.ProvisioningState = sid, name, typ, netState(st)
		return m, nil
	case *flex.VPNConnection:
		m := armconv.VPNConnectionToARM(r)
		m.ID, m.Name, m.Type, m.Properties.ProvisioningState = sid, name, typ, netState(st)
		return m, nil
	case *flex.VirtualHub:
		m := armconv.VirtualHubToARM(r)
		m.ID, m.Name, m.Type, m.Properties.ProvisioningState = sid, name, typ, netState(st)
		return m, nil
	case *flex.HubConnection:
		m := armconv.HubConnectionToARM(r)
		m.ID, m.Name, m.Properties.ProvisioningState = sid, name, netState(st)
		return m, nil
	case *flex.VirtualMachine:
		return s.vmToARM(r), nil
	case *flex.Disk:
		m := armconv.DiskToARM(r)
		m.ID, m.Name, m.Type, m.Properties.ProvisioningState = sid, name, typ, to(string(st))
		if vm := s.diskOwner(ctx, r); vm != "" {
			m.ManagedBy = to(vm)
		}
		return m, nil
	case *flex.Snapshot:
		m := armconv.SnapshotToARM(r)
		m.ID, m.Name, m.Type, m.Properties.ProvisioningState = sid, name, typ, to(string(st))
		m.Properties.Incremental = to(r.Incremental)
		if !r.Created.IsZero() {
			m.Properties.TimeCreated = to(r.Created)
		}
		return m, nil
	case *flex.Image:
		m := armconv.ImageToARM(r)
		m.ID, m.Name, m.Type, m.Properties.ProvisioningState = sid, name, typ, to(string(st))
		return m, nil
	}
	return nil, &fakearm.Error{Status: http.StatusInternalServerError, Code: "InternalServerError", Message: "the simulator cannot write a " + string(id.Type)}
}

// diskOwner returns the ARM ID of the VM whose OS disk d is, if any: the
// VM named by Azure's OS disk naming.
func (s *Sim) diskOwner(ctx context.Context, d *flex.Disk) string {
	name, ok := strings.CutSuffix(d.ID.Name, "-osdisk")
	if !ok {
		return ""
	}
	vm := flex.ResourceID{Subscription: d.ID.Subscription, ResourceGroup: d.ID.ResourceGroup, Type: flex.TypeVirtualMachine, Name: name}
	if _, err := s.cloud.Get(ctx, vm); err != nil {
		return ""
	}
	return vm.String()
}

// putVM creates or updates a VM: its network and subnet come from the
// network interface the request names, its admin password from the
// request (Azure never returns it).
func (s *Sim) putVM(ctx context.Context, id flex.ResourceID, m *armcompute.VirtualMachine) (any, error) {
	vm, err := armconv.VirtualMachineFromARM(id, m)
	if err != nil {
		return nil, badRequest("the request body", err)
	}
	nicID := armconv.VirtualMachineNICID(m)
	s.mu.Lock()
	n := s.nics[strings.ToLower(nicID)]
	var model armnetwork.Interface
	if n != nil {
		model = n.model
	}
	s.mu.Unlock()
	if n == nil {
		return nil, &fakearm.Error{Status: http.StatusBadRequest, Code: "InvalidResourceReference", Message: "network interface " + nicID + " was not found"}
	}
	if vm.Network, vm.Subnet, _, err = armconv.NICAddress(&model); err != nil {
		return nil, badRequest("network interface", err)
	}
	if p := m.Properties; p != nil && p.OSProfile != nil && p.OSProfile.AdminPassword != nil {
		vm.AdminPassword = secret.New(*p.OSProfile.AdminPassword)
	}
	if old, err := s.cloud.Get(ctx, id); err == nil {
		// Azure refuses, in a PUT of an existing VM, an admin password and
		// an OS disk other than the VM's.
		o := old.(*flex.VirtualMachine)
		if !vm.AdminPassword.IsZero() {
			return nil, &fakearm.Error{Status: http.StatusConflict, Code: "PropertyChangeNotAllowed",
				Message: "Changing property 'osProfile.adminPassword' is not allowed."}
		}
		if d := osDiskName(m); d != "" && !strings.EqualFold(d, o.OSDisk.Name) {
			return nil, &fakearm.Error{Status: http.StatusConflict, Code: "PropertyChangeNotAllowed",
				Message: "Changing property 'osDisk.name' from '" + o.OSDisk.Name + "' to '" + d + "' is not allowed."}
		}
	}
	if vm.Generation == 0 && vm.Image.URN != "" {
		vm.Generation = marketplaceGeneration(vm.Image.URN, vm.SecureBoot)
	}
	out, err := s.cloud.Put(ctx, vm)
	if err != nil {
		return nil, armError(err)
	}
	s.mu.Lock()
	if n := s.nics[strings.ToLower(nicID)]; n != nil {
		n.vm = id
	}
	s.mu.Unlock()
	return s.vmToARM(out.(*flex.VirtualMachine)), nil
}

func (s *Sim) vmToARM(r *flex.VirtualMachine) *armcompute.VirtualMachine {
	nicID := s.nicOf(r.ID)
	m := armconv.VirtualMachineToARM(r, nicID)
	m.ID, m.Name, m.Type = to(r.ID.String()), to(r.ID.Name), to(string(r.ID.Type))
	m.Properties.ProvisioningState = to(string(r.State))
	m.Properties.InstanceView = &armcompute.VirtualMachineInstanceView{ComputerName: to(r.ComputerName)}
	if g := r.Generation.HyperVGeneration(); g != "" {
		m.Properties.InstanceView.HyperVGeneration = to(armcompute.HyperVGenerationType(g))
	}
	if r.PowerState != "" {
		m.Properties.InstanceView.Statuses = []*armcompute.InstanceViewStatus{
			{Code: to("ProvisioningState/" + strings.ToLower(string(r.State)))},
			armconv.PowerStatus(r.PowerState),
		}
	}
	return m
}

// updateVM applies a PATCH of a VM: an OS disk swap becomes the cloud's
// RestoreSnapshot of the snapshot the new disk was made from.
func (s *Sim) updateVM(ctx context.Context, id flex.ResourceID, u *armcompute.VirtualMachineUpdate) (any, error) {
	cur, err := s.cloud.Get(ctx, id)
	if err != nil {
		return nil, armError(err)
	}
	vm := cur.(*flex.VirtualMachine)
	if p := u.Properties; p != nil && p.StorageProfile != nil && p.StorageProfile.OSDisk != nil && p.StorageProfile.OSDisk.ManagedDisk != nil {
		diskID, err := armconv.ParseID(p.StorageProfile.OSDisk.ManagedDisk.ID)
		if err != nil {
			return nil, badRequest("OS disk", err)
		}
		if !diskID.IsZero() && !strings.EqualFold(diskID.String(), vm.OSDisk.String()) {
			d, err := s.cloud.Get(ctx, diskID)
			if err != nil {
				return nil, armError(err)
			}
			disk, ok := d.(*flex.Disk)
			if !ok || disk.Source.Type != flex.TypeSnapshot {
				return nil, &fakearm.Error{Status: http.StatusBadRequest, Code: "InvalidParameter",
					Message: "the simulator swaps in OS disks made from a snapshot only; " + diskID.String() + " was not"}
			}
			if err := s.cloud.RestoreSnapshot(ctx, id, disk.Source); err != nil {
				return nil, armError(err)
			}
			// The cloud made a disk of its own from the snapshot.
			_ = s.cloud.Delete(ctx, diskID)
		}
	}
	if u.Tags != nil {
		vm, err := s.cloud.Get(ctx, id)
		if err != nil {
			return nil, armError(err)
		}
		vm.Metadata().Tags = armconv.FromTags(u.Tags)
		if _, err := s.cloud.Put(ctx, vm); err != nil {
			return nil, armError(err)
		}
	}
	out, err := s.cloud.Get(ctx, id)
	if err != nil {
		return nil, armError(err)
	}
	return s.vmToARM(out.(*flex.VirtualMachine)), nil
}

// marketplaceGeneration plays the marketplace, which the simulated cloud
// has not: in Azure a VM's generation is its image's, which an ARM request
// does not repeat. Trusted Launch (Secure Boot) and Windows 11 images are
// Gen2 only, as are SKUs marked "gen2" or "-g2"; the rest are Gen1.
func marketplaceGeneration(urn string, secureBoot bool) image.Generation {
	parts := strings.Split(strings.ToLower(urn), ":")
	if len(parts) != 4 {
		return 0
	}
	offer, sku := parts[1], parts[2]
	switch {
	case secureBoot, strings.Contains(offer, "windows-11"), strings.HasPrefix(sku, "win11"),
		strings.Contains(sku, "gen2"), strings.HasSuffix(sku, "-g2"):
		return image.Gen2
	}
	return image.Gen1
}

func osDiskName(m *armcompute.VirtualMachine) string {
	if m.Properties == nil || m.Properties.StorageProfile == nil || m.Properties.StorageProfile.OSDisk == nil {
		return ""
	}
	return deref(m.Properties.StorageProfile.OSDisk.Name)
}

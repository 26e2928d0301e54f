package fakearm

import (
	"context"

	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	cfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8/fake"

	"github.com/daasflex/daasflex/flex"
)

func computeTransport(b Backend, sub string) policy.Transporter {
	id := func(rg string, t flex.ResourceType, name string) flex.ResourceID { return rid(sub, rg, t, name) }
	group := func(rg string) flex.ResourceID { return flex.GroupID(sub, rg) }
	vm := func(rg, name string) flex.ResourceID { return id(rg, flex.TypeVirtualMachine, name) }
	f := &cfake.ServerFactory{
		VirtualMachinesServer: cfake.VirtualMachinesServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, m armcompute.VirtualMachine, _ *armcompute.VirtualMachinesClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armcompute.VirtualMachinesClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, vm(rg, name), m, func(m armcompute.VirtualMachine) armcompute.VirtualMachinesClientCreateOrUpdateResponse {
					return armcompute.VirtualMachinesClientCreateOrUpdateResponse{VirtualMachine: m}
				})
			},
			Get: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientGetOptions) (azfake.Responder[armcompute.VirtualMachinesClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, vm(rg, name), func(m armcompute.VirtualMachine) armcompute.VirtualMachinesClientGetResponse {
					return armcompute.VirtualMachinesClientGetResponse{VirtualMachine: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginDeleteOptions) (azfake.PollerResponder[armcompute.VirtualMachinesClientDeleteResponse], azfake.ErrorResponder) {
				return del[armcompute.VirtualMachinesClientDeleteResponse](ctx, b, vm(rg, name))
			},
			NewListPager: func(rg string, _ *armcompute.VirtualMachinesClientListOptions) azfake.PagerResponder[armcompute.VirtualMachinesClientListResponse] {
				return list(b, group(rg), flex.TypeVirtualMachine, func(v []*armcompute.VirtualMachine) armcompute.VirtualMachinesClientListResponse {
					return armcompute.VirtualMachinesClientListResponse{VirtualMachineListResult: armcompute.VirtualMachineListResult{Value: v}}
				})
			},
			BeginStart: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginStartOptions) (azfake.PollerResponder[armcompute.VirtualMachinesClientStartResponse], azfake.ErrorResponder) {
				return act[armcompute.VirtualMachinesClientStartResponse](ctx, b, vm(rg, name), "start", nil, nil)
			},
			BeginRestart: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginRestartOptions) (azfake.PollerResponder[armcompute.VirtualMachinesClientRestartResponse], azfake.ErrorResponder) {
				return act[armcompute.VirtualMachinesClientRestartResponse](ctx, b, vm(rg, name), "restart", nil, nil)
			},
			BeginPowerOff: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginPowerOffOptions) (azfake.PollerResponder[armcompute.VirtualMachinesClientPowerOffResponse], azfake.ErrorResponder) {
				return act[armcompute.VirtualMachinesClientPowerOffResponse](ctx, b, vm(rg, name), "powerOff", nil, nil)
			},
			BeginDeallocate: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginDeallocateOptions) (azfake.PollerResponder[armcompute.VirtualMachinesClientDeallocateResponse], azfake.ErrorResponder) {
				return act[armcompute.VirtualMachinesClientDeallocateResponse](ctx, b, vm(rg, name), "deallocate", nil, nil)
			},
			BeginUpdate: func(ctx context.Context, rg, name string, m armcompute.VirtualMachineUpdate, _ *armcompute.VirtualMachinesClientBeginUpdateOptions) (azfake.PollerResponder[armcompute.VirtualMachinesClientUpdateResponse], azfake.ErrorResponder) {
				return act(ctx, b, vm(rg, name), "update", &m, func(out any) armcompute.VirtualMachinesClientUpdateResponse {
					var r armcompute.VirtualMachinesClientUpdateResponse
					if m, ok := out.(*armcompute.VirtualMachine); ok {
						r.VirtualMachine = *m
					}
					return r
				})
			},
		},
		DisksServer: cfake.DisksServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, m armcompute.Disk, _ *armcompute.DisksClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armcompute.DisksClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, id(rg, flex.TypeDisk, name), m, func(m armcompute.Disk) armcompute.DisksClientCreateOrUpdateResponse {
					return armcompute.DisksClientCreateOrUpdateResponse{Disk: m}
				})
			},
			Get: func(ctx context.Context, rg, name string, _ *armcompute.DisksClientGetOptions) (azfake.Responder[armcompute.DisksClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, id(rg, flex.TypeDisk, name), func(m armcompute.Disk) armcompute.DisksClientGetResponse {
					return armcompute.DisksClientGetResponse{Disk: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armcompute.DisksClientBeginDeleteOptions) (azfake.PollerResponder[armcompute.DisksClientDeleteResponse], azfake.ErrorResponder) {
				return del[armcompute.DisksClientDeleteResponse](ctx, b, id(rg, flex.TypeDisk, name))
			},
			NewListByResourceGroupPager: func(rg string, _ *armcompute.DisksClientListByResourceGroupOptions) azfake.PagerResponder[armcompute.DisksClientListByResourceGroupResponse] {
				return list(b, group(rg), flex.TypeDisk, func(v []*armcompute.Disk) armcompute.DisksClientListByResourceGroupResponse {
					return armcompute.DisksClientListByResourceGroupResponse{DiskList: armcompute.DiskList{Value: v}}
				})
			},
			BeginGrantAccess: func(ctx context.Context, rg, name string, m armcompute.GrantAccessData, _ *armcompute.DisksClientBeginGrantAccessOptions) (azfake.PollerResponder[armcompute.DisksClientGrantAccessResponse], azfake.ErrorResponder) {
				return act(ctx, b, id(rg, flex.TypeDisk, name), "grantAccess", &m, func(out any) armcompute.DisksClientGrantAccessResponse {
					var r armcompute.DisksClientGrantAccessResponse
					if m, ok := out.(*armcompute.AccessURI); ok {
						r.AccessURI = *m
					}
					return r
				})
			},
		},
		SnapshotsServer: cfake.SnapshotsServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, m armcompute.Snapshot, _ *armcompute.SnapshotsClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armcompute.SnapshotsClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, id(rg, flex.TypeSnapshot, name), m, func(m armcompute.Snapshot) armcompute.SnapshotsClientCreateOrUpdateResponse {
					return armcompute.SnapshotsClientCreateOrUpdateResponse{Snapshot: m}
				})
			},
			Get: func(ctx context.Context, rg, name string, _ *armcompute.SnapshotsClientGetOptions) (azfake.Responder[armcompute.SnapshotsClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, id(rg, flex.TypeSnapshot, name), func(m armcompute.Snapshot) armcompute.SnapshotsClientGetResponse {
					return armcompute.SnapshotsClientGetResponse{Snapshot: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armcompute.SnapshotsClientBeginDeleteOptions) (azfake.PollerResponder[armcompute.SnapshotsClientDeleteResponse], azfake.ErrorResponder) {
				return del[armcompute.SnapshotsClientDeleteResponse](ctx, b, id(rg, flex.TypeSnapshot, name))
			},
			NewListByResourceGroupPager: func(rg string, _ *armcompute.SnapshotsClientListByResourceGroupOptions) azfake.PagerResponder[armcompute.SnapshotsClientListByResourceGroupResponse] {
				return list(b, group(rg), flex.TypeSnapshot, func(v []*armcompute.Snapshot) armcompute.SnapshotsClientListByResourceGroupResponse {
					return armcompute.SnapshotsClientListByResourceGroupResponse{SnapshotList: armcompute.SnapshotList{Value: v}}
				})
			},
		},
		ImagesServer: cfake.ImagesServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, m armcompute.Image, _ *armcompute.ImagesClientBeginCreateOrUpdateOptions) (azfake.PollerResponder[armcompute.ImagesClientCreateOrUpdateResponse], azfake.ErrorResponder) {
				return put(ctx, b, id(rg, flex.TypeImage, name), m, func(m armcompute.Image) armcompute.ImagesClientCreateOrUpdateResponse {
					return armcompute.ImagesClientCreateOrUpdateResponse{Image: m}
				})
			},
			Get: func(ctx context.Context, rg, name string, _ *armcompute.ImagesClientGetOptions) (azfake.Responder[armcompute.ImagesClientGetResponse], azfake.ErrorResponder) {
				return get(ctx, b, id(rg, flex.TypeImage, name), func(m armcompute.Image) armcompute.ImagesClientGetResponse {
					return armcompute.ImagesClientGetResponse{Image: m}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armcompute.ImagesClientBeginDeleteOptions) (azfake.PollerResponder[armcompute.ImagesClientDeleteResponse], azfake.ErrorResponder) {
				return del[armcompute.ImagesClientDeleteResponse](ctx, b, id(rg, flex.TypeImage, name))
			},
			NewListByResourceGroupPager: func(rg string, _ *armcompute.ImagesClientListByResourceGroupOptions) azfake.PagerResponder[armcompute.ImagesClientListByResourceGroupResponse] {
				return list(b, group(rg), flex.TypeImage, func(v []*armcompute.Image) armcompute.ImagesClientListByResourceGroupResponse {
					return armcompute.ImagesClientListByResourceGroupResponse{ImageListResult: armcompute.ImageListResult{Value: v}}
				})
			},
		},
	}
	return cfake.NewServerFactoryTransport(f)
}

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
	k := func(t flex.ResourceType) kind { return kind{b, sub, t} }
	vm := k(flex.TypeVirtualMachine)
	f := &cfake.ServerFactory{
		VirtualMachinesServer: cfake.VirtualMachinesServer{
			BeginCreateOrUpdate: putOf[armcompute.VirtualMachine, armcompute.VirtualMachinesClientCreateOrUpdateResponse, armcompute.VirtualMachinesClientBeginCreateOrUpdateOptions](vm),
			Get:                 getOf[armcompute.VirtualMachine, armcompute.VirtualMachinesClientGetResponse, armcompute.VirtualMachinesClientGetOptions](vm),
			BeginDelete:         deleteOf[armcompute.VirtualMachinesClientDeleteResponse, armcompute.VirtualMachinesClientBeginDeleteOptions](vm),
			NewListPager:        listOf[armcompute.VirtualMachine, armcompute.VirtualMachinesClientListResponse, armcompute.VirtualMachinesClientListOptions](vm),
			BeginStart: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginStartOptions) (azfake.PollerResponder[armcompute.VirtualMachinesClientStartResponse], azfake.ErrorResponder) {
				return act[armcompute.VirtualMachinesClientStartResponse](ctx, b, vm.id(rg, name), "start", nil, nil)
			},
			BeginRestart: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginRestartOptions) (azfake.PollerResponder[armcompute.VirtualMachinesClientRestartResponse], azfake.ErrorResponder) {
				return act[armcompute.VirtualMachinesClientRestartResponse](ctx, b, vm.id(rg, name), "restart", nil, nil)
			},
			BeginPowerOff: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginPowerOffOptions) (azfake.PollerResponder[armcompute.VirtualMachinesClientPowerOffResponse], azfake.ErrorResponder) {
				return act[armcompute.VirtualMachinesClientPowerOffResponse](ctx, b, vm.id(rg, name), "powerOff", nil, nil)
			},
			BeginDeallocate: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginDeallocateOptions) (azfake.PollerResponder[armcompute.VirtualMachinesClientDeallocateResponse], azfake.ErrorResponder) {
				return act[armcompute.VirtualMachinesClientDeallocateResponse](ctx, b, vm.id(rg, name), "deallocate", nil, nil)
			},
			BeginUpdate: func(ctx context.Context, rg, name string, m armcompute.VirtualMachineUpdate, _ *armcompute.VirtualMachinesClientBeginUpdateOptions) (azfake.PollerResponder[armcompute.VirtualMachinesClientUpdateResponse], azfake.ErrorResponder) {
				return act(ctx, b, vm.id(rg, name), "update", &m, func(out any) armcompute.VirtualMachinesClientUpdateResponse {
					var r armcompute.VirtualMachinesClientUpdateResponse
					if m, ok := out.(*armcompute.VirtualMachine); ok {
						r.VirtualMachine = *m
					}
					return r
				})
			},
		},
		DisksServer: cfake.DisksServer{
			BeginCreateOrUpdate:         putOf[armcompute.Disk, armcompute.DisksClientCreateOrUpdateResponse, armcompute.DisksClientBeginCreateOrUpdateOptions](k(flex.TypeDisk)),
			Get:                         getOf[armcompute.Disk, armcompute.DisksClientGetResponse, armcompute.DisksClientGetOptions](k(flex.TypeDisk)),
			BeginDelete:                 deleteOf[armcompute.DisksClientDeleteResponse, armcompute.DisksClientBeginDeleteOptions](k(flex.TypeDisk)),
			NewListByResourceGroupPager: listOf[armcompute.Disk, armcompute.DisksClientListByResourceGroupResponse, armcompute.DisksClientListByResourceGroupOptions](k(flex.TypeDisk)),
			BeginGrantAccess: func(ctx context.Context, rg, name string, m armcompute.GrantAccessData, _ *armcompute.DisksClientBeginGrantAccessOptions) (azfake.PollerResponder[armcompute.DisksClientGrantAccessResponse], azfake.ErrorResponder) {
				return act(ctx, b, k(flex.TypeDisk).id(rg, name), "grantAccess", &m, func(out any) armcompute.DisksClientGrantAccessResponse {
					var r armcompute.DisksClientGrantAccessResponse
					if m, ok := out.(*armcompute.AccessURI); ok {
						r.AccessURI = *m
					}
					return r
				})
			},
		},
		SnapshotsServer: cfake.SnapshotsServer{
			BeginCreateOrUpdate:         putOf[armcompute.Snapshot, armcompute.SnapshotsClientCreateOrUpdateResponse, armcompute.SnapshotsClientBeginCreateOrUpdateOptions](k(flex.TypeSnapshot)),
			Get:                         getOf[armcompute.Snapshot, armcompute.SnapshotsClientGetResponse, armcompute.SnapshotsClientGetOptions](k(flex.TypeSnapshot)),
			BeginDelete:                 deleteOf[armcompute.SnapshotsClientDeleteResponse, armcompute.SnapshotsClientBeginDeleteOptions](k(flex.TypeSnapshot)),
			NewListByResourceGroupPager: listOf[armcompute.Snapshot, armcompute.SnapshotsClientListByResourceGroupResponse, armcompute.SnapshotsClientListByResourceGroupOptions](k(flex.TypeSnapshot)),
		},
		ImagesServer: cfake.ImagesServer{
			BeginCreateOrUpdate:         putOf[armcompute.Image, armcompute.ImagesClientCreateOrUpdateResponse, armcompute.ImagesClientBeginCreateOrUpdateOptions](k(flex.TypeImage)),
			Get:                         getOf[armcompute.Image, armcompute.ImagesClientGetResponse, armcompute.ImagesClientGetOptions](k(flex.TypeImage)),
			BeginDelete:                 deleteOf[armcompute.ImagesClientDeleteResponse, armcompute.ImagesClientBeginDeleteOptions](k(flex.TypeImage)),
			NewListByResourceGroupPager: listOf[armcompute.Image, armcompute.ImagesClientListByResourceGroupResponse, armcompute.ImagesClientListByResourceGroupOptions](k(flex.TypeImage)),
		},
	}
	return cfake.NewServerFactoryTransport(f)
}

package azure_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/daasflex/daasflex/azure"
	"github.com/daasflex/daasflex/azure/internal/armsim"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/secret"
)

// exampleProvider returns a provider whose requests the SDK's fake servers
// answer from an in-memory cloud, as in this package's tests. A program
// passes its own credential (azidentity.NewDefaultAzureCredential, say) and
// nil options, or options without a Transport.
func exampleProvider() *azure.Provider {
	p, err := azure.New("00000000-0000-0000-0000-000000000001", &azfake.TokenCredential{}, &azure.Options{
		ClientOptions: arm.ClientOptions{ClientOptions: policy.ClientOptions{Transport: armsim.Transport(fake.New())}},
		PollFrequency: time.Millisecond,
	})
	if err != nil {
		panic(err)
	}
	return p
}

// exampleVM puts a resource group, a VNet and a VM.
func exampleVM(ctx context.Context, p *azure.Provider) *flex.VirtualMachine {
	const s = "00000000-0000-0000-0000-000000000001"
	at := func(t flex.ResourceType, name string) flex.Meta {
		return flex.Meta{ID: flex.ResourceID{Subscription: s, ResourceGroup: "rg", Type: t, Name: name}, Region: "westeurope"}
	}
	for _, r := range []flex.Resource{
		&flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(s, "rg"), Region: "westeurope"}},
		&flex.VirtualNetwork{Meta: at(flex.TypeVirtualNetwork, "vnet"), AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")},
			Subnets: []flex.Subnet{{Name: "vdas", Prefix: netip.MustParsePrefix("10.0.0.0/25")}}},
	} {
		if _, err := p.Put(ctx, r); err != nil {
			panic(err)
		}
	}
	vm, err := flex.PutAs(ctx, p, &flex.VirtualMachine{Meta: at(flex.TypeVirtualMachine, "sales-01"), Size: "Standard_D2s_v5",
		Image:      flex.ImageRef{URN: "MicrosoftWindowsDesktop:windows-11:win11-24h2-pro:latest"},
		Generation: image.Gen2, SecureBoot: true, Network: at(flex.TypeVirtualNetwork, "vnet").ID, Subnet: "vdas",
		AdminUsername: "flexadmin", AdminPassword: secret.New("Str0ng!Passw0rd-1")})
	if err != nil {
		panic(err)
	}
	return vm
}

func ExampleNew() {
	ctx := context.Background()
	p := exampleProvider()
	vm := exampleVM(ctx, p)
	fmt.Println(vm.ID.Name, vm.PowerState, vm.PrivateIP, vm.Generation.HyperVGeneration(), vm.OSDisk.Name)
	// Output: sales-01 running 10.0.0.4 V2 sales-01-osdisk
}

func ExampleProvider_ErrorAs() {
	p := exampleProvider()
	_, err := p.Get(context.Background(), flex.ResourceID{Subscription: p.Subscription(), ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "missing"})
	var re *azcore.ResponseError
	if errors.Is(err, flex.ErrNotFound) && p.ErrorAs(err, &re) {
		fmt.Println(re.StatusCode, re.ErrorCode)
	}
	// Output: 404 ResourceGroupNotFound
}

func ExampleProvider_Power() {
	ctx := context.Background()
	p := exampleProvider()
	vm := exampleVM(ctx, p)
	for _, a := range []flex.PowerAction{flex.PowerOff, flex.Start, flex.Deallocate} {
		if err := p.Power(ctx, vm.ID, a); err != nil {
			panic(err)
		}
		got, _ := flex.GetAs[*flex.VirtualMachine](ctx, p, vm.ID)
		fmt.Println(a, "→", got.PowerState)
	}
	// Output:
	// powerOff → stopped
	// start → running
	// deallocate → deallocated
}

func ExampleProvider_RestoreSnapshot() {
	ctx := context.Background()
	p := exampleProvider()
	vm := exampleVM(ctx, p)
	snap, err := flex.PutAs(ctx, p, &flex.Snapshot{Meta: flex.Meta{ID: flex.ResourceID{Subscription: p.Subscription(), ResourceGroup: "rg",
		Type: flex.TypeSnapshot, Name: "daily-1"}, Region: "westeurope"}, Source: vm.OSDisk})
	if err != nil {
		panic(err)
	}
	_ = p.Power(ctx, vm.ID, flex.Deallocate)
	if err := p.RestoreSnapshot(ctx, vm.ID, snap.ID); err != nil {
		panic(err)
	}
	got, _ := flex.GetAs[*flex.VirtualMachine](ctx, p, vm.ID)
	disk, _ := flex.GetAs[*flex.Disk](ctx, p, got.OSDisk)
	fmt.Println("OS disk made from", disk.Source.Name)
	// Output: OS disk made from daily-1
}

func ExampleProvider_GrantDiskAccess() {
	ctx := context.Background()
	p := exampleProvider()
	vm := exampleVM(ctx, p)
	_ = p.Power(ctx, vm.ID, flex.Deallocate)
	sas, err := p.GrantDiskAccess(ctx, vm.OSDisk, 2*time.Hour)
	fmt.Println(sas, err) // a secret.Value never prints (SEC-1)
	// Output: [redacted] <nil>
}

func ExampleProvider_RotateKey() {
	ctx := context.Background()
	p := exampleProvider()
	_ = exampleVM(ctx, p)
	id := flex.ResourceID{Subscription: p.Subscription(), ResourceGroup: "rg", Type: flex.TypeKey, Name: "flexvault/cmk"}
	first, err := flex.PutAs(ctx, p, &flex.Key{Meta: flex.Meta{ID: id, Region: "westeurope"}})
	if err != nil {
		panic(err)
	}
	rotated, err := p.RotateKey(ctx, id)
	fmt.Println(err, rotated.Version != first.Version, len(rotated.Version))
	// Output: <nil> true 32
}

func ExampleProvider_List() {
	ctx := context.Background()
	p := exampleProvider()
	_ = exampleVM(ctx, p)
	rs, err := p.List(ctx, flex.Filter{Subscription: p.Subscription(), ResourceGroup: "rg"})
	if err != nil {
		panic(err)
	}
	for _, r := range rs {
		fmt.Println(r.Metadata().ID.Type, r.Metadata().ID.Name)
	}
	// Output:
	// Microsoft.Resources/resourceGroups rg
	// Microsoft.Compute/disks sales-01-osdisk
	// Microsoft.Compute/virtualMachines sales-01
	// Microsoft.Network/virtualNetworks vnet
}

func ExampleProvider_ResetVPNGateway() {
	ctx := context.Background()
	p := exampleProvider()
	err := p.ResetVPNGateway(ctx, flex.ResourceID{Subscription: p.Subscription(), ResourceGroup: "rg", Type: flex.TypeVPNGateway, Name: "gw"})
	fmt.Println(errors.Is(err, flex.ErrNotFound))
	// Output: true
}

func ExampleProvider_As() {
	ctx := context.Background()
	p := exampleProvider()
	_ = exampleVM(ctx, p)
	// The armnetwork clients of the provider's subscription, for what
	// package flex does not model: here the VM's network interface.
	var nf *armnetwork.ClientFactory
	if !p.As(&nf) {
		panic("no armnetwork.ClientFactory")
	}
	nic, err := nf.NewInterfacesClient().Get(ctx, "rg", "sales-01-nic", nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(*nic.Name, *nic.Properties.IPConfigurations[0].Properties.PrivateIPAddress)
	var fe *flex.Error
	fmt.Println(p.As(&fe))
	// Output:
	// sales-01-nic 10.0.0.4
	// false
}

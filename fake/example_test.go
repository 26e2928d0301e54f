package fake_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

// exampleVM is a VM in vnet "v", subnet "a" of group "rg" in subscription
// "sub-1".
func exampleVM(name string, tags map[string]string) *flex.VirtualMachine {
	return &flex.VirtualMachine{
		Meta:          flex.Meta{ID: flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualMachine, Name: name}, Region: "westeurope", Tags: tags},
		Size:          "Standard_D2s_v5",
		Image:         flex.ImageRef{URN: "MicrosoftWindowsDesktop:windows-11:win11-24h2-avd:latest"},
		Network:       flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "v"},
		Subnet:        "a",
		AdminUsername: "flexadmin",
		AdminPassword: secret.New("Correct-Horse-9-Battery"),
	}
}

// exampleNetwork puts group "rg" and VNet "v" 10.0.0.0/24 with subnet "a"
// through p, tagged with tags.
func exampleNetwork(p flex.Provider, tags map[string]string) error {
	ctx := context.Background()
	if _, err := p.Put(ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID("sub-1", "rg"), Region: "westeurope", Tags: tags}}); err != nil {
		return err
	}
	_, err := p.Put(ctx, &flex.VirtualNetwork{
		Meta:         flex.Meta{ID: flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "v"}, Region: "westeurope", Tags: tags},
		AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")},
		Subnets:      []flex.Subnet{{Name: "a", Prefix: netip.MustParsePrefix("10.0.0.0/24")}},
	})
	return err
}

func ExampleNew() {
	ctx := context.Background()
	c := fake.New()
	if err := exampleNetwork(c, nil); err != nil {
		fmt.Println(err)
		return
	}
	vm, err := flex.PutAs(ctx, c, exampleVM("pc-001", nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(vm.PrivateIP, vm.PowerState, vm.OSDisk.Name, vm.State)

	// Azure's rules: a subnet smaller than a /29.
	_, err = c.Put(ctx, &flex.VirtualNetwork{
		Meta:         flex.Meta{ID: flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "w"}, Region: "westeurope"},
		AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/24")},
		Subnets:      []flex.Subnet{{Name: "tiny", Prefix: netip.MustParsePrefix("10.1.0.0/30")}},
	})
	fmt.Println(errors.Is(err, flex.ErrInvalid))
	fmt.Println(c.Count(flex.Filter{Subscription: "sub-1"}))
	// Output:
	// 10.0.0.4 running pc-001-osdisk Succeeded
	// true
	// map[Microsoft.Compute/disks:1 Microsoft.Compute/virtualMachines:1 Microsoft.Network/virtualNetworks:1 Microsoft.Resources/resourceGroups:1]
}

func ExampleNewClock() {
	ctx := context.Background()
	clock := fake.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	c := fake.New(fake.WithClock(clock))
	_ = exampleNetwork(c, nil)
	vm, _ := flex.PutAs(ctx, c, exampleVM("pc-001", nil))

	first, _ := flex.PutAs(ctx, c, &flex.Snapshot{Meta: flex.Meta{ID: flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeSnapshot, Name: "daily-1"}, Region: "westeurope"}, Source: vm.OSDisk})
	clock.Advance(24 * time.Hour)
	second, _ := flex.PutAs(ctx, c, &flex.Snapshot{Meta: flex.Meta{ID: flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeSnapshot, Name: "daily-2"}, Region: "westeurope"}, Source: vm.OSDisk})
	fmt.Println(first.Created.Format(time.RFC3339), first.Incremental)
	fmt.Println(second.Created.Format(time.RFC3339), second.Incremental)
	// Output:
	// 2026-03-01T09:00:00Z false
	// 2026-03-02T09:00:00Z true
}

func ExampleCloud_Scope() {
	ctx := context.Background()
	c := fake.New()
	a, b := c.Scope("contoso"), c.Scope("fabrikam")
	_ = exampleNetwork(a, map[string]string{flex.TagTenant: "contoso"})
	vm, err := flex.PutAs(ctx, a, exampleVM("pc-001", map[string]string{flex.TagTenant: "contoso"}))
	fmt.Println(vm.ID.Name, err)

	// To another tenant, contoso's machine does not exist.
	_, err = b.Get(ctx, vm.ID)
	fmt.Println(errors.Is(err, flex.ErrNotFound))
	// And a tenant puts only what carries its tag.
	_, err = a.Put(ctx, exampleVM("pc-002", map[string]string{flex.TagTenant: "fabrikam"}))
	fmt.Println(errors.Is(err, flex.ErrInvalid))
	// Output:
	// pc-001 <nil>
	// true
	// true
}

func ExampleCloud_StartSession() {
	ctx := context.Background()
	c := fake.New()
	_ = exampleNetwork(c, nil)
	vm, _ := flex.PutAs(ctx, c, exampleVM("pc-001", map[string]string{flex.TagSessionLimit: "2"}))

	fmt.Println(c.StartSession(vm.ID, "alice"))
	fmt.Println(c.StartSession(vm.ID, "bob"))
	err := c.StartSession(vm.ID, "carol")
	fmt.Println(errors.Is(err, flex.ErrLimit))
	_ = c.EndSession(vm.ID, "bob")

	// Maintenance mode: no new sessions, existing ones continue.
	vm.Tags[flex.TagMaintenance] = "on"
	_, _ = c.Put(ctx, vm)
	err = c.StartSession(vm.ID, "carol")
	fmt.Println(errors.Is(err, flex.ErrPrecondition))
	got, _ := flex.GetAs[*flex.VirtualMachine](ctx, c, vm.ID)
	fmt.Println(got.Sessions, c.SessionUsers(vm.ID))
	// Output:
	// <nil>
	// <nil>
	// true
	// true
	// 1 [alice]
}

// The NSG Flex generates for a domain-joined VNet allows Citrix ports
// between machines and denies RDP (FW-2).
func ExampleCloud_Allowed() {
	ctx := context.Background()
	c := fake.New()
	_ = exampleNetwork(c, nil)
	policy := network.FirewallPolicy{DomainJoined: true, VNet: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")}}
	nsg, _ := c.Put(ctx, &flex.SecurityGroup{
		Meta:  flex.Meta{ID: flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeSecurityGroup, Name: "flex-nsg"}, Region: "westeurope"},
		Rules: network.SecurityRules(policy),
	})
	v, _ := flex.GetAs[*flex.VirtualNetwork](ctx, c, flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "v"})
	v.Subnets[0].SecurityGroup = nsg.Metadata().ID
	_, _ = c.Put(ctx, v)

	a, b := netip.MustParseAddr("10.0.0.4"), netip.MustParseAddr("10.0.0.5")
	fmt.Println(c.Allowed(a, b, network.TCP, 443))
	fmt.Println(c.Allowed(a, b, network.TCP, 3389))
	// Output:
	// Allow by FlexAllowCitrixInBound (priority 400) <nil>
	// Deny by FlexDenyAllInBound (priority 4096) <nil>
}

func ExampleCloud_CheckFlow() {
	c := fake.New()
	_ = exampleNetwork(c, nil)
	// No NSG on the subnet: nothing is filtered.
	d, err := c.CheckFlow(network.Flow{
		Protocol:        network.UDP,
		Source:          netip.MustParseAddr("10.0.0.4"),
		SourcePort:      50000,
		Destination:     netip.MustParseAddr("10.0.0.5"),
		DestinationPort: 2598,
	})
	fmt.Println(d.Allowed(), d.Rule == "", err)
	_, err = c.CheckFlow(network.Flow{Protocol: network.TCP, Source: netip.MustParseAddr("192.168.0.1"), Destination: netip.MustParseAddr("10.0.0.5")})
	fmt.Println(errors.Is(err, flex.ErrNotFound))
	// Output:
	// true true <nil>
	// true
}

func ExampleCloud_SetCapacity() {
	ctx := context.Background()
	c := fake.New(fake.WithCapacity("westeurope", "Standard_D2s_v5", 1))
	_ = exampleNetwork(c, nil)
	_, err := c.Put(ctx, exampleVM("pc-001", nil))
	fmt.Println(err)
	_, err = c.Put(ctx, exampleVM("pc-002", nil))
	fmt.Println(errors.Is(err, flex.ErrCapacity)) // the catalog falls back to its backup size (CAT-14)

	backup := exampleVM("pc-002", nil)
	backup.Size = "Standard_D4s_v5"
	_, err = c.Put(ctx, backup)
	fmt.Println(err, c.Capacity("westeurope", "Standard_D2s_v5"), c.Capacity("westeurope", "Standard_D4s_v5") == fake.Unlimited)
	// Output:
	// <nil>
	// true
	// <nil> 0 true
}

func ExampleCloud_RestoreSnapshot() {
	ctx := context.Background()
	c := fake.New()
	_ = exampleNetwork(c, nil)
	vm, _ := flex.PutAs(ctx, c, exampleVM("pc-001", nil))
	snap, _ := c.Put(ctx, &flex.Snapshot{Meta: flex.Meta{ID: flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeSnapshot, Name: "s"}, Region: "westeurope"}, Source: vm.OSDisk})

	err := c.RestoreSnapshot(ctx, vm.ID, snap.Metadata().ID)
	fmt.Println(errors.Is(err, flex.ErrConflict)) // the VM is running
	_ = c.Power(ctx, vm.ID, flex.PowerOff)
	fmt.Println(c.RestoreSnapshot(ctx, vm.ID, snap.Metadata().ID))
	vm, _ = flex.GetAs[*flex.VirtualMachine](ctx, c, vm.ID)
	fmt.Println(vm.OSDisk.Name, vm.PowerState)
	// Output:
	// true
	// <nil>
	// pc-001-osdisk-1 stopped
}

func ExampleCloud_GrantDiskAccess() {
	ctx := context.Background()
	c := fake.New(fake.WithClock(fake.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))))
	_ = exampleNetwork(c, nil)
	vm, _ := flex.PutAs(ctx, c, exampleVM("pc-001", nil))
	_ = c.Power(ctx, vm.ID, flex.Deallocate)

	sas, err := c.GrantDiskAccess(ctx, vm.OSDisk, time.Hour)
	fmt.Println(sas, err) // a secret: it never prints
	u, _ := urlQuery(sas.Reveal())
	fmt.Println(u.Get("se"), u.Get("sp"))
	// Output:
	// [redacted] <nil>
	// 2026-03-01T10:00:00Z r
}

func ExampleCloud_RotateKey() {
	ctx := context.Background()
	clock := fake.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	c := fake.New(fake.WithClock(clock))
	_ = exampleNetwork(c, nil)
	key, _ := flex.PutAs(ctx, c, &flex.Key{Meta: flex.Meta{ID: flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeKey, Name: "flexvault/cmk"}, Region: "westeurope"}})
	clock.Advance(90 * 24 * time.Hour)
	rotated, _ := c.RotateKey(ctx, key.ID)
	fmt.Println(len(rotated.Version), rotated.Version != key.Version, rotated.Created.Format(time.DateOnly))
	// Output:
	// 32 true 2026-05-30
}

func ExampleCloud_SetState() {
	ctx := context.Background()
	c := fake.New()
	_ = exampleNetwork(c, nil)
	id := flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "v"}
	_ = c.SetState(id, flex.Creating) // stuck, as a fault layer would leave it
	v, _ := c.Get(ctx, id)
	_, err := c.Put(ctx, v)
	fmt.Println(v.Metadata().State, errors.Is(err, flex.ErrConflict))
	// Output:
	// Creating true
}

func ExampleCloud_Resources() {
	ctx := context.Background()
	c := fake.New()
	_ = exampleNetwork(c, nil)
	_, _ = c.Put(ctx, exampleVM("pc-002", nil))
	_, _ = c.Put(ctx, exampleVM("PC-001", nil))
	for _, r := range c.Resources(flex.Filter{Type: flex.TypeVirtualMachine}) {
		fmt.Println(r.Metadata().ID.Name)
	}
	// Output:
	// PC-001
	// pc-002
}

func urlQuery(s string) (url.Values, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, err
	}
	return u.Query(), nil
}

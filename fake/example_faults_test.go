package fake_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
)

// A plan reads as a script: here the first two Puts of VMs named Sales-0…
// find no capacity, and everything else goes through.
func ExampleNewPlan() {
	ctx := context.Background()
	cloud := fake.New()
	_ = exampleNetwork(cloud, nil)

	plan := fake.NewPlan()
	full := plan.On(fake.Put, flex.TypeVirtualMachine).Named("Sales-0*").Times(2).Fail(flex.ErrCapacity)
	p := fake.WithFaults(cloud, plan)

	for _, name := range []string{"Sales-01", "Sales-02", "Sales-03", "HR-01"} {
		_, err := p.Put(ctx, exampleVM(name, nil))
		var fe *flex.Error
		if errors.As(err, &fe) {
			fmt.Printf("%s: %v (%s)\n", name, fe.Kind, fe.Op)
			continue
		}
		fmt.Printf("%s: %v\n", name, err)
	}
	fmt.Println(full.Fired(), "of", full.Seen(), "matching calls failed")
	fmt.Println(full)
	// Output:
	// Sales-01: no capacity (PutVirtualMachine)
	// Sales-02: no capacity (PutVirtualMachine)
	// Sales-03: <nil>
	// HR-01: <nil>
	// 2 of 3 matching calls failed
	// Put Microsoft.Compute/virtualMachines named "sales-0*", 2 times: fail: no capacity (fired 2)
}

// Throttling: the next call of any kind answers 429 with a Retry-After,
// as Azure's throttling does.
func ExamplePlan_Throttle() {
	ctx := context.Background()
	plan := fake.NewPlan()
	plan.Throttle(1, 10*time.Millisecond)
	p := fake.WithFaults(fake.New(), plan)

	rg := &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID("sub-1", "rg"), Region: "westeurope"}}
	_, err := p.Put(ctx, rg)
	var fe *flex.Error
	if errors.As(err, &fe) {
		fmt.Println(errors.Is(err, flex.ErrThrottled), fe.RetryAfter)
		fmt.Println(err)
	}
	_, err = p.Put(ctx, rg) // the retry goes through
	fmt.Println(err)
	// Output:
	// true 10ms
	// PutResourceGroup /subscriptions/sub-1/resourceGroups/rg: throttled: TooManyRequests: the request was throttled (HTTP 429); retry after 10ms (injected fault)
	// <nil>
}

// WithFaults wraps any provider. A lost response leaves the cloud changed
// while the caller sees a transient error; a retried Put finds the
// resource.
func ExampleWithFaults() {
	ctx := context.Background()
	cloud := fake.New()
	_ = exampleNetwork(cloud, nil)

	plan := fake.NewPlan()
	plan.On(fake.Put, flex.TypeVirtualMachine).Once().LoseResponse()
	p := fake.WithFaults(cloud, plan)

	vm := exampleVM("vm-1", nil)
	_, err := p.Put(ctx, vm)
	fmt.Println(errors.Is(err, flex.ErrUnavailable))
	got, _ := cloud.Get(ctx, vm.ID)
	fmt.Println(got.Metadata().State)
	_, err = p.Put(ctx, vm)
	fmt.Println(err, cloud.Count(flex.Filter{})[flex.TypeVirtualMachine])
	// Output:
	// true
	// Succeeded
	// <nil> 1
}

// A stuck provisioning: the resource exists in Creating, the caller waits
// until its context ends, and further Puts conflict.
func ExampleRule_Stuck() {
	ctx := context.Background()
	cloud := fake.New()
	_ = exampleNetwork(cloud, nil)

	plan := fake.NewPlan()
	plan.On(fake.Put, flex.TypeVirtualMachine).Once().Stuck()
	p := fake.WithFaults(cloud, plan)

	vm := exampleVM("vm-1", nil)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err := p.Put(short, vm)
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	got, _ := p.Get(ctx, vm.ID)
	fmt.Println(got.Metadata().State)
	_, err = p.Put(ctx, vm)
	fmt.Println(errors.Is(err, flex.ErrConflict))
	// Output:
	// true
	// Creating
	// true
}

// Record keeps every call in order with its outcome.
func ExampleRecord() {
	ctx := context.Background()
	cloud := fake.New()
	plan := fake.NewPlan()
	plan.Throttle(2, time.Millisecond)
	rec := fake.Record(fake.WithFaults(cloud, plan))

	rg := &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID("sub-1", "rg"), Region: "westeurope"}}
	for {
		if _, err := rec.Put(ctx, rg); !errors.Is(err, flex.ErrThrottled) {
			break
		}
	}
	_, _ = rec.Get(ctx, flex.GroupID("sub-1", "other"))
	for _, c := range rec.Calls() {
		fmt.Println(c)
	}
	fmt.Println(rec.Count(fake.Put, rg.ID), "Puts of", rg.ID.Name)
	// Output:
	// PutResourceGroup /subscriptions/sub-1/resourceGroups/rg: throttled
	// PutResourceGroup /subscriptions/sub-1/resourceGroups/rg: throttled
	// PutResourceGroup /subscriptions/sub-1/resourceGroups/rg: ok
	// Get /subscriptions/sub-1/resourceGroups/other: not found
	// 3 Puts of rg
}

// OnFire tells a test that a fault has taken effect: here a hub
// connection is stuck provisioning, and the test moves the cloud's clock
// past the ten minutes after which a Tenant reports it stuck (NET-12)
// while the call still waits.
func ExampleRule_OnFire() {
	ctx := context.Background()
	clock := fake.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	cloud := fake.New(fake.WithClock(clock))
	_ = exampleNetwork(cloud, nil)
	hub := flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualHub, Name: "hub"}
	_, _ = cloud.Put(ctx, &flex.VirtualHub{Meta: flex.Meta{ID: hub, Region: "westeurope"}, SKU: "Standard", AddressSpace: netip.MustParsePrefix("10.100.0.0/24")})

	stuck := make(chan fake.Call, 1)
	plan := fake.NewPlan()
	plan.On(fake.Put, flex.TypeHubConnection).Once().Stuck().OnFire(func(c fake.Call) { stuck <- c })
	p := fake.WithFaults(cloud, plan)

	call, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	hc := hub.Child(flex.TypeHubConnection, "spoke")
	go func() {
		_, err := p.Put(call, &flex.HubConnection{Meta: flex.Meta{ID: hc}, Remote: flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "v"}})
		done <- err
	}()
	c := <-stuck
	clock.Advance(11 * time.Minute)
	got, _ := cloud.Get(ctx, hc)
	fmt.Println(c.Op(), got.Metadata().State, clock.Now().Format("15:04"))
	cancel() // the caller gives up
	fmt.Println(<-done)
	// Output:
	// PutHubConnection Creating 09:11
	// context canceled
}

func ExampleParseMethod() {
	for _, s := range []string{"put", "RestoreSnapshot", "any", "Patch"} {
		m, err := fake.ParseMethod(s)
		fmt.Printf("%q %v\n", m, err)
	}
	// Output:
	// "Put" <nil>
	// "RestoreSnapshot" <nil>
	// "any" <nil>
	// "any" fake: method "Patch": want Put, Get, Delete, List, Power, RestoreSnapshot, GrantDiskAccess, RotateKey, ResetVPNGateway or any
}

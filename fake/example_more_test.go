package fake_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

// vmID is the ID of exampleVM(name, …).
func vmID(name string) flex.ResourceID {
	return flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualMachine, Name: name}
}

// cloudWithVM returns a cloud holding exampleNetwork and a running VM
// "pc-001" whose session limit is limit.
func cloudWithVM(limit string) *fake.Cloud {
	c := fake.New()
	_ = exampleNetwork(c, nil)
	_, _ = c.Put(context.Background(), exampleVM("pc-001", map[string]string{flex.TagSessionLimit: limit}))
	return c
}

// recorded returns the calls a Recorder saw for a group, a VM that finds no
// capacity and a Get.
func recorded() *fake.Recorder {
	ctx := context.Background()
	cloud := fake.New(fake.WithCapacity(network.WestEurope, "Standard_D2s_v5", 0))
	rec := fake.Record(cloud)
	_ = exampleNetwork(rec, nil)
	_, _ = rec.Put(ctx, exampleVM("pc-001", nil))
	_, _ = rec.Get(ctx, vmID("pc-001"))
	return rec
}

func ExampleCall_Kind() {
	for _, c := range recorded().Calls() {
		fmt.Println(c.Method, c.Kind())
	}
	// Output:
	// Put <nil>
	// Put <nil>
	// Put no capacity
	// Get not found
}

func ExampleCall_Object() {
	c := recorded().Calls()[2]
	fmt.Println(c.Object())
	// Output:
	// /subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/pc-001
}

func ExampleCall_Op() {
	for _, c := range recorded().Calls() {
		fmt.Println(c.Op())
	}
	// Output:
	// PutResourceGroup
	// PutVirtualNetwork
	// PutVirtualMachine
	// Get
}

func ExampleCall_Outcome() {
	for _, c := range recorded().Calls() {
		fmt.Println(c.Op(), c.Outcome())
	}
	// Output:
	// PutResourceGroup ok
	// PutVirtualNetwork ok
	// PutVirtualMachine no capacity
	// Get not found
}

func ExampleClock() {
	// Time stands still until the test moves it: a SAS URL's expiry is
	// checked without waiting.
	clock := fake.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	fmt.Println(clock.Now())
	fmt.Println(clock.Advance(2 * time.Hour))
	clock.Set(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC))
	fmt.Println(clock.Now())
	var real *fake.Clock // nil reads the real time
	fmt.Println(real.Now().Location())
	// Output:
	// 2026-03-01 09:00:00 +0000 UTC
	// 2026-03-01 11:00:00 +0000 UTC
	// 2026-03-02 00:00:00 +0000 UTC
	// UTC
}

func ExampleClock_Advance() {
	clock := fake.NewClock(time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC))
	fmt.Println(clock.Advance(45 * time.Minute).Format(time.DateTime))
	fmt.Println(clock.Advance(-15 * time.Minute).Format(time.DateTime))
	// Output:
	// 2026-03-02 00:15:00
	// 2026-03-02 00:00:00
}

func ExampleClock_Now() {
	clock := fake.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	c := fake.New(fake.WithClock(clock))
	_ = exampleNetwork(c, nil)
	_, _ = c.Put(context.Background(), exampleVM("pc-001", nil))
	sas, _ := c.GrantDiskAccess(context.Background(),
		flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeDisk, Name: "pc-001-osdisk"}, time.Hour)
	fmt.Println(clock.Now().Format(time.RFC3339), sas) // the URL is a secret
	// Output:
	// 2026-03-01T09:00:00Z [redacted]
}

func ExampleClock_Set() {
	clock := fake.NewClock(time.Time{})
	clock.Set(time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC))
	fmt.Println(clock.Now().Year(), clock.Advance(time.Minute).Year())
	// Output:
	// 2026 2027
}

func ExampleCloud() {
	// A cloud used directly sees every subscription and tenant; its
	// inspection methods answer what a test wants to assert.
	c := cloudWithVM("2")
	vm := vmID("pc-001")
	fmt.Println(c.StartSession(vm, "alice"), c.StartSession(vm, "bob"))
	fmt.Println(c.SessionUsers(vm))
	fmt.Println(c.Count(flex.Filter{Subscription: "sub-1", Type: flex.TypeVirtualMachine}))
	// Output:
	// <nil> <nil>
	// [alice bob]
	// map[Microsoft.Compute/virtualMachines:1]
}

func ExampleCloud_Capacity() {
	c := fake.New(fake.WithCapacity(network.WestEurope, "Standard_D2s_v5", 2))
	_ = exampleNetwork(c, nil)
	fmt.Println(c.Capacity(network.WestEurope, "Standard_D2s_v5"), c.Capacity(network.EastUS, "Standard_D2s_v5") == fake.Unlimited)
	_, _ = c.Put(context.Background(), exampleVM("pc-001", nil))
	fmt.Println(c.Capacity(network.WestEurope, "standard_d2s_v5")) // sizes match ignoring case
	// Output:
	// 2 true
	// 1
}

func ExampleCloud_Count() {
	c := cloudWithVM("1")
	for t, n := range c.Count(flex.Filter{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeDisk}) {
		fmt.Println(t, n) // the VM's OS disk
	}
	fmt.Println(len(c.Count(flex.Filter{Subscription: "sub-2"})))
	// Output:
	// Microsoft.Compute/disks 1
	// 0
}

func ExampleCloud_EndSession() {
	c := cloudWithVM("1")
	vm := vmID("pc-001")
	_ = c.StartSession(vm, "alice")
	fmt.Println(c.StartSession(vm, "bob") != nil) // full: limit 1
	fmt.Println(c.EndSession(vm, "ALICE"))        // names match ignoring case
	fmt.Println(c.StartSession(vm, "bob"), c.SessionUsers(vm))
	fmt.Println(errors.Is(c.EndSession(vm, "carol"), flex.ErrNotFound))
	// Output:
	// true
	// <nil>
	// <nil> [bob]
	// true
}

func ExampleCloud_SessionUsers() {
	c := cloudWithVM("8")
	vm := vmID("pc-001")
	for _, u := range []string{"carol", "alice", "bob"} {
		_ = c.StartSession(vm, u)
	}
	fmt.Println(c.SessionUsers(vm), c.SessionUsers(vmID("missing")))
	// Output:
	// [alice bob carol] []
}

func ExampleCloud_SetPowerState() {
	// A VM stuck in "starting" refuses every power action but deallocate.
	ctx := context.Background()
	c := cloudWithVM("1")
	vm := vmID("pc-001")
	fmt.Println(c.SetPowerState(vm, flex.PowerStarting))
	err := c.Power(ctx, vm, flex.Restart)
	fmt.Println(errors.Is(err, flex.ErrConflict))
	fmt.Println(c.Power(ctx, vm, flex.Deallocate))
	got, _ := flex.GetAs[*flex.VirtualMachine](ctx, c, vm)
	fmt.Println(got.PowerState)
	// Output:
	// <nil>
	// true
	// <nil>
	// deallocated
}

func ExampleFaulty() {
	// A Faulty is a flex.Provider: a Tenant, or any code, uses it in place
	// of the cloud.
	ctx := context.Background()
	plan := fake.NewPlan()
	plan.On(fake.Get, "").Once().Fail(flex.ErrUnavailable)
	var p flex.Provider = fake.WithFaults(fake.New(), plan)
	_ = exampleNetwork(p, nil)
	_, err := p.Get(ctx, flex.GroupID("sub-1", "rg"))
	fmt.Println(errors.Is(err, flex.ErrUnavailable))
	_, err = p.Get(ctx, flex.GroupID("sub-1", "rg"))
	fmt.Println(err)
	// Output:
	// true
	// <nil>
}

func ExampleFaulty_Plan() {
	f := fake.WithFaults(fake.New(), nil) // a nil plan injects nothing
	f.Plan().Throttle(1, time.Second)     // until rules are added
	_, err := f.Get(context.Background(), flex.GroupID("sub-1", "rg"))
	fmt.Println(errors.Is(err, flex.ErrThrottled), f.Plan().Fired())
	// Output:
	// true 1
}

func ExampleMethod() {
	m, err := fake.ParseMethod("restoresnapshot")
	fmt.Println(m, err, fake.AnyMethod)
	// Output:
	// RestoreSnapshot <nil> any
}

func ExampleOption() {
	clock := fake.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	c := fake.New(
		fake.WithClock(clock),
		fake.WithCapacity(network.EastUS, "Standard_NV36ads_A10_v5", fake.NotOffered),
		nil, // ignored
	)
	fmt.Println(c.Capacity(network.EastUS, "Standard_NV36ads_A10_v5") == fake.NotOffered)
	// Output:
	// true
}

func ExampleWithCapacity() {
	ctx := context.Background()
	c := fake.New(fake.WithCapacity(network.WestEurope, "Standard_D2s_v5", 1))
	_ = exampleNetwork(c, nil)
	_, err := c.Put(ctx, exampleVM("pc-001", nil))
	fmt.Println(err)
	_, err = c.Put(ctx, exampleVM("pc-002", nil))
	fmt.Println(errors.Is(err, flex.ErrCapacity))
	// Output:
	// <nil>
	// true
}

func ExampleWithClock() {
	ctx := context.Background()
	clock := fake.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	c := fake.New(fake.WithClock(clock))
	_ = exampleNetwork(c, nil)
	_, _ = c.Put(ctx, exampleVM("pc-001", nil))
	_ = c.Power(ctx, vmID("pc-001"), flex.Deallocate)
	clock.Advance(24 * time.Hour)
	snap, err := flex.PutAs(ctx, c, &flex.Snapshot{
		Meta:   flex.Meta{ID: flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeSnapshot, Name: "pc-001-daily"}, Region: "westeurope"},
		Source: flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeDisk, Name: "pc-001-osdisk"},
	})
	fmt.Println(snap.Created, err)
	// Output:
	// 2026-03-02 09:00:00 +0000 UTC <nil>
}

func ExamplePlan() {
	// The zero Plan is ready to use.
	var plan fake.Plan
	plan.On(fake.Delete, flex.TypeVirtualNetwork).Fail(flex.ErrConflict)
	p := fake.WithFaults(fake.New(), &plan)
	_ = exampleNetwork(p, nil)
	err := p.Delete(context.Background(), flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "v"})
	fmt.Println(errors.Is(err, flex.ErrConflict), plan.Fired())
	fmt.Println(&plan)
	// Output:
	// true 1
	// Delete Microsoft.Network/virtualNetworks, always: fail: conflict (fired 1)
}

func ExamplePlan_Err() {
	// A mistake in a plan is kept and fails every call, so a bad script
	// never passes silently.
	plan := fake.NewPlan()
	plan.On(fake.Put, "").Named("[unclosed").Fail(flex.ErrConflict)
	fmt.Println(plan.Err())
	_, err := fake.WithFaults(fake.New(), plan).Get(context.Background(), flex.GroupID("sub-1", "rg"))
	fmt.Println(errors.Is(err, flex.ErrInvalid))
	// Output:
	// Named("[unclosed"): syntax error in pattern
	// true
}

func ExamplePlan_Fired() {
	ctx := context.Background()
	plan := fake.NewPlan()
	plan.On(fake.Get, "").Times(2).Fail(flex.ErrUnavailable)
	plan.On(fake.List, "").Once().Fail(flex.ErrUnavailable)
	p := fake.WithFaults(fake.New(), plan)
	for range 3 {
		_, _ = p.Get(ctx, flex.GroupID("sub-1", "rg"))
		_, _ = p.List(ctx, flex.Filter{Subscription: "sub-1"})
	}
	fmt.Println(plan.Fired())
	// Output:
	// 3
}

func ExamplePlan_On() {
	// Fail only the VPN gateway of a connection, once.
	plan := fake.NewPlan()
	r := plan.On(fake.Put, flex.TypeVPNGateway).Once().Fail(flex.ErrUnavailable)
	fmt.Println(r)
	// Output:
	// Put Microsoft.Network/virtualNetworkGateways, once: fail: service unavailable (fired 0)
}

func ExamplePlan_Rules() {
	plan := fake.NewPlan()
	plan.Throttle(2, time.Second)
	plan.On(fake.Power, flex.TypeVirtualMachine).Stuck()
	for _, r := range plan.Rules() {
		fmt.Println(r)
	}
	// Output:
	// any, 2 times: throttle, retry after 1s (fired 0)
	// Power Microsoft.Compute/virtualMachines, always: stuck (fired 0)
}

func ExampleRecorder() {
	// Assert that a retried Put made no duplicate: two calls, one resource.
	ctx := context.Background()
	cloud := fake.New()
	rec := fake.Record(cloud)
	rg := &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID("sub-1", "rg"), Region: "westeurope"}}
	_, _ = rec.Put(ctx, rg)
	_, _ = rec.Put(ctx, rg)
	fmt.Println(rec.Count(fake.Put, rg.ID), len(cloud.Resources(flex.Filter{})))
	// Output:
	// 2 1
}

func ExampleRecorder_Calls() {
	for _, c := range recorded().Calls() {
		fmt.Println(c)
	}
	// Output:
	// PutResourceGroup /subscriptions/sub-1/resourceGroups/rg: ok
	// PutVirtualNetwork /subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v: ok
	// PutVirtualMachine /subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/pc-001: no capacity
	// Get /subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/pc-001: not found
}

func ExampleRecorder_Count() {
	rec := recorded()
	fmt.Println(rec.Count(fake.AnyMethod, flex.ResourceID{}), rec.Count(fake.Put, flex.ResourceID{}), rec.Count(fake.AnyMethod, vmID("PC-001")))
	// Output:
	// 4 3 2
}

func ExampleRecorder_Len() {
	rec := recorded()
	fmt.Println(rec.Len())
	// Output:
	// 4
}

func ExampleRecorder_Reset() {
	// Record only the calls of the step under test.
	ctx := context.Background()
	rec := fake.Record(fake.New())
	_ = exampleNetwork(rec, nil) // setup
	rec.Reset()
	_, _ = rec.List(ctx, flex.Filter{Subscription: "sub-1"})
	fmt.Println(rec.Len(), rec.Calls()[0].Method)
	// Output:
	// 1 List
}

// probe runs a Get through plan three times and prints each outcome.
func probe(plan *fake.Plan) {
	p := fake.WithFaults(fake.New(), plan)
	_ = exampleNetwork(p, nil)
	for i := 1; i <= 3; i++ {
		_, err := p.Get(context.Background(), flex.GroupID("sub-1", "rg"))
		var fe *flex.Error
		if errors.As(err, &fe) {
			fmt.Printf("get %d: %v\n", i, fe.Kind)
		} else {
			fmt.Printf("get %d: %v\n", i, err)
		}
	}
}

func ExampleRule_AfterCall() {
	// The delete happens in the cloud but the caller is told it was
	// throttled: a retry must cope with a resource already gone.
	ctx := context.Background()
	cloud := fake.New()
	plan := fake.NewPlan()
	plan.On(fake.Delete, flex.TypeVirtualNetwork).AfterCall().Once().Throttle(time.Second)
	p := fake.WithFaults(cloud, plan)
	_ = exampleNetwork(p, nil)
	id := flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "v"}
	err := p.Delete(ctx, id)
	_, gone := cloud.Get(ctx, id)
	fmt.Println(errors.Is(err, flex.ErrThrottled), errors.Is(gone, flex.ErrNotFound))
	// Output:
	// true true
}

func ExampleRule_Always() {
	plan := fake.NewPlan()
	plan.On(fake.Get, "").Times(1).Always().Fail(flex.ErrUnavailable) // Always undoes Times
	probe(plan)
	// Output:
	// get 1: service unavailable
	// get 2: service unavailable
	// get 3: service unavailable
}

func ExampleRule_Delay() {
	// A slow call: it waits, then reaches the cloud.
	plan := fake.NewPlan()
	r := plan.On(fake.Get, "").Once().Delay(5 * time.Millisecond)
	start := time.Now()
	probe(plan)
	fmt.Println(time.Since(start) >= 5*time.Millisecond, r.Fired())
	// Output:
	// get 1: <nil>
	// get 2: <nil>
	// get 3: <nil>
	// true 1
}

func ExampleRule_Fail() {
	plan := fake.NewPlan()
	plan.On(fake.Get, "").Nth(2).Once().Fail(flex.ErrNotFound)
	probe(plan)
	// Output:
	// get 1: <nil>
	// get 2: not found
	// get 3: <nil>
}

func ExampleRule_FailFunc() {
	// Fail the Puts of VMs in one zone only.
	plan := fake.NewPlan()
	plan.On(fake.Put, flex.TypeVirtualMachine).FailFunc(func(c fake.Call) error {
		if vm, ok := c.Resource.(*flex.VirtualMachine); ok && vm.Zone == "2" {
			return &flex.Error{Kind: flex.ErrCapacity, Err: errors.New("ZonalAllocationFailed")}
		}
		return nil
	})
	p := fake.WithFaults(fake.New(), plan)
	_ = exampleNetwork(p, nil)
	for _, zone := range []string{"1", "2"} {
		vm := exampleVM("pc-z"+zone, nil)
		vm.Zone = zone
		_, err := p.Put(context.Background(), vm)
		fmt.Println(zone, err)
	}
	// Output:
	// 1 <nil>
	// 2 no capacity: ZonalAllocationFailed
}

func ExampleRule_Fired() {
	plan := fake.NewPlan()
	r := plan.On(fake.Get, "").Nth(2).Times(5).Fail(flex.ErrUnavailable)
	probe(plan)
	fmt.Println(r.Seen(), r.Fired())
	// Output:
	// get 1: <nil>
	// get 2: service unavailable
	// get 3: service unavailable
	// 3 2
}

func ExampleRule_Hang() {
	// A call that never answers: only the caller's deadline ends it.
	plan := fake.NewPlan()
	plan.On(fake.Get, "").Hang()
	p := fake.WithFaults(fake.New(), plan)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := p.Get(ctx, flex.GroupID("sub-1", "rg"))
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	// Output:
	// true
}

func ExampleRule_LoseResponse() {
	// The VNet is made but the response is lost; the retried Put finds it.
	cloud := fake.New()
	plan := fake.NewPlan()
	plan.On(fake.Put, flex.TypeVirtualNetwork).Once().LoseResponse()
	p := fake.WithFaults(cloud, plan)
	err := exampleNetwork(p, nil)
	fmt.Println(errors.Is(err, flex.ErrUnavailable), cloud.Count(flex.Filter{Type: flex.TypeVirtualNetwork}))
	fmt.Println(exampleNetwork(p, nil), cloud.Count(flex.Filter{Type: flex.TypeVirtualNetwork}))
	// Output:
	// true map[Microsoft.Network/virtualNetworks:1]
	// <nil> map[Microsoft.Network/virtualNetworks:1]
}

func ExampleRule_Named() {
	plan := fake.NewPlan()
	plan.On(fake.Put, flex.TypeVirtualMachine).Named("sales-*", "hr-0?").Fail(flex.ErrCapacity)
	p := fake.WithFaults(fake.New(), plan)
	_ = exampleNetwork(p, nil)
	for _, name := range []string{"Sales-01", "HR-01", "HR-100", "IT-01"} {
		_, err := p.Put(context.Background(), exampleVM(name, nil))
		fmt.Println(name, errors.Is(err, flex.ErrCapacity))
	}
	// Output:
	// Sales-01 true
	// HR-01 true
	// HR-100 false
	// IT-01 false
}

func ExampleRule_Nth() {
	plan := fake.NewPlan()
	plan.On(fake.Get, "").Nth(3).Once().Fail(flex.ErrUnavailable) // the third call only
	probe(plan)
	// Output:
	// get 1: <nil>
	// get 2: <nil>
	// get 3: service unavailable
}

func ExampleRule_Once() {
	plan := fake.NewPlan()
	plan.On(fake.Get, "").Once().Throttle(time.Millisecond)
	probe(plan)
	// Output:
	// get 1: throttled
	// get 2: <nil>
	// get 3: <nil>
}

func ExampleRule_Seen() {
	plan := fake.NewPlan()
	counter := plan.On(fake.Get, "") // no action: it only counts
	probe(plan)
	fmt.Println(counter.Seen(), counter.Fired())
	// Output:
	// get 1: <nil>
	// get 2: <nil>
	// get 3: <nil>
	// 3 0
}

func ExampleRule_Size() {
	plan := fake.NewPlan()
	plan.On(fake.Put, flex.TypeVirtualMachine).Size("standard_d2s_v5").Fail(flex.ErrCapacity)
	p := fake.WithFaults(fake.New(), plan)
	_ = exampleNetwork(p, nil)
	small, big := exampleVM("pc-001", nil), exampleVM("pc-002", nil)
	big.Size = "Standard_D4s_v5"
	_, err1 := p.Put(context.Background(), small)
	_, err2 := p.Put(context.Background(), big)
	fmt.Println(errors.Is(err1, flex.ErrCapacity), err2)
	// Output:
	// true <nil>
}

func ExampleRule_StuckIn() {
	// A Put that leaves the VM Failed: the caller waits like a poller,
	// and Get then reports the state.
	cloud := fake.New()
	plan := fake.NewPlan()
	plan.On(fake.Put, flex.TypeVirtualMachine).Once().StuckIn(flex.Failed)
	p := fake.WithFaults(cloud, plan)
	_ = exampleNetwork(p, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := p.Put(ctx, exampleVM("pc-001", nil))
	got, _ := cloud.Get(context.Background(), vmID("pc-001"))
	fmt.Println(errors.Is(err, context.DeadlineExceeded), got.Metadata().State)
	// Output:
	// true Failed
}

func ExampleRule_Throttle() {
	plan := fake.NewPlan()
	plan.On(fake.Get, "").Times(2).Throttle(3 * time.Second)
	p := fake.WithFaults(fake.New(), plan)
	_, err := p.Get(context.Background(), flex.GroupID("sub-1", "rg"))
	var fe *flex.Error
	if errors.As(err, &fe) {
		fmt.Println(fe.Kind, fe.RetryAfter)
	}
	// Output:
	// throttled 3s
}

func ExampleRule_Times() {
	plan := fake.NewPlan()
	r := plan.On(fake.Get, "").Times(2).Fail(flex.ErrUnavailable)
	probe(plan)
	r.Times(0) // disarmed
	probe(plan)
	// Output:
	// get 1: service unavailable
	// get 2: service unavailable
	// get 3: <nil>
	// get 1: <nil>
	// get 2: <nil>
	// get 3: <nil>
}

func ExampleRule_Where() {
	// Fail only the deallocations.
	plan := fake.NewPlan()
	plan.On(fake.Power, flex.TypeVirtualMachine).Where(func(c fake.Call) bool { return c.Action == flex.Deallocate }).Fail(flex.ErrConflict)
	p := fake.WithFaults(fake.New(), plan)
	_ = exampleNetwork(p, nil)
	_, _ = p.Put(context.Background(), exampleVM("pc-001", nil))
	for _, a := range []flex.PowerAction{flex.Restart, flex.Deallocate} {
		fmt.Println(a, p.Power(context.Background(), vmID("pc-001"), a))
	}
	// Output:
	// restart <nil>
	// deallocate Power /subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/pc-001: conflict: Conflict: the request conflicts with the state of the resource (injected fault)
}

// tenantCloud returns a cloud where tenant "t1" has group "rg" with VNet
// "v" and a running VM "pc-001" whose NSG-less subnet lets everything pass.
func tenantCloud() (*fake.Cloud, *fake.View) {
	c := fake.New()
	w := c.Scope("t1")
	tags := map[string]string{flex.TagTenant: "t1", flex.TagSessionLimit: "2"}
	_ = exampleNetwork(w, tags)
	_, _ = w.Put(context.Background(), exampleVM("pc-001", tags))
	return c, w
}

func ExampleView_Allowed() {
	c, w := tenantCloud()
	vm2 := exampleVM("pc-002", map[string]string{flex.TagTenant: "t1"})
	_, _ = w.Put(context.Background(), vm2)
	d, err := w.Allowed(netip.MustParseAddr("10.0.0.4"), netip.MustParseAddr("10.0.0.5"), network.TCP, 3389)
	fmt.Println(d.Allowed(), d.Rule == "", err) // no NSG on the subnet: nothing is filtered
	_, err = c.Scope("t2").Allowed(netip.MustParseAddr("10.0.0.4"), netip.MustParseAddr("10.0.0.5"), network.TCP, 3389)
	fmt.Println(errors.Is(err, flex.ErrNotFound)) // another tenant sees no such subnet
	// Output:
	// true true <nil>
	// true
}

func ExampleView_CheckFlow() {
	_, w := tenantCloud()
	_, _ = w.Put(context.Background(), exampleVM("pc-002", map[string]string{flex.TagTenant: "t1"}))
	d, err := w.CheckFlow(network.Flow{Protocol: network.TCP,
		Source: netip.MustParseAddr("10.0.0.4"), SourcePort: 50000,
		Destination: netip.MustParseAddr("10.0.0.5"), DestinationPort: 443})
	fmt.Println(d.Allowed(), d.Rule == "", err)
	// Output:
	// true true <nil>
}

func ExampleView_EndSession() {
	_, w := tenantCloud()
	_ = w.StartSession(vmID("pc-001"), "alice")
	fmt.Println(w.EndSession(vmID("pc-001"), "alice"))
	// Output:
	// <nil>
}

func ExampleView_Resources() {
	c, w := tenantCloud()
	// A customer's own, untagged VNet is seen by every tenant.
	_, _ = c.Put(context.Background(), &flex.VirtualNetwork{
		Meta:         flex.Meta{ID: flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "customer"}, Region: "westeurope"},
		AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.9.0.0/16")},
	})
	for _, r := range w.Resources(flex.Filter{Type: flex.TypeVirtualNetwork}) {
		fmt.Println(r.Metadata().ID.Name)
	}
	fmt.Println(len(c.Scope("t2").Resources(flex.Filter{Type: flex.TypeVirtualMachine})))
	// Output:
	// customer
	// v
	// 0
}

func ExampleView_StartSession() {
	c, w := tenantCloud()
	vm := vmID("pc-001")
	fmt.Println(w.StartSession(vm, "alice"), w.StartSession(vm, "bob"))
	fmt.Println(errors.Is(w.StartSession(vm, "carol"), flex.ErrLimit)) // session limit 2
	fmt.Println(errors.Is(c.Scope("t2").StartSession(vm, "dave"), flex.ErrNotFound))
	// Output:
	// <nil> <nil>
	// true
	// true
}

func ExampleView_Tenant() {
	c := fake.New()
	for _, w := range []*fake.View{c.Scope("contoso"), c.Scope("")} {
		fmt.Printf("%q\n", w.Tenant())
	}
	// Output:
	// "contoso"
	// ""
}

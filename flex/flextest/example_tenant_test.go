package flextest_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

func ExampleNewTenant() {
	t := &exampleT{}
	tn, cloud, clock := flextest.NewTenant(t)
	subs, _ := tn.Subscriptions(t.Context())
	fmt.Println(tn.ID(), subs[0].Name, clock.Now())
	fmt.Println(len(cloud.Resources(flex.Filter{})), "resource: the subscription's group")
	// Output:
	// flextest Citrix Managed 2026-03-02 09:00:00 +0000 UTC
	// 1 resource: the subscription's group
}

func ExampleUsedSpace() {
	t := &exampleT{}
	tn, _, _ := flextest.NewTenant(t)
	spec := network.NoConnectivitySpec{Name: "managed", Region: network.WestEurope, Range: netip.MustParsePrefix("10.8.0.0/16")}
	if _, err := tn.CreateConnection(t.Context(), flextest.SubscriptionName, spec); err != nil {
		fmt.Println(err)
	}
	fmt.Println(flextest.UsedSpace(t, tn, flextest.SubscriptionName).Entries())
	// Output: [10.8.0.0/16 (connection managed)]
}

func ExampleAssertNoOrphans() {
	t := &exampleT{}
	tn, cloud, _ := flextest.NewTenant(t)
	ctx := t.Context()
	spec := flextest.TenantCatalogSpec(flextest.SubscriptionName, catalog.Connection{}).Example(3)
	if _, err := tn.CreateCatalog(ctx, spec); err != nil {
		fmt.Println(err)
	}
	flextest.AssertNoOrphans(t, cloud, tn) // the catalog owns its machines
	_ = tn.DeleteCatalog(ctx, spec.Name, catalog.DeleteAck{Catalog: spec.Name, MachinesDestroyed: true, Irreversible: true})
	flextest.AssertNoOrphans(t, cloud, tn) // and took them with it
	fmt.Println("orphans found:", t.failed, "resources left:", len(cloud.Resources(flex.Filter{})))
	// Output: orphans found: false resources left: 1
}

func ExampleTenantCatalogSpec() {
	t := &exampleT{}
	tn, _, _ := flextest.NewTenant(t)
	check(func(r *rapid.T) {
		spec := flextest.TenantCatalogSpec(flextest.SubscriptionName, catalog.Connection{}).Draw(r, "spec")
		if _, err := tn.CreateCatalog(r.Context(), spec); err != nil && !errors.Is(err, flex.ErrConflict) && !errors.Is(err, flex.ErrLimit) {
			r.Fatal(err) // only a name taken or a limit reached may refuse it
		}
	})
	// Output: holds: true
}

func ExampleConnectionFacts() {
	t := &exampleT{}
	tn, _, _ := flextest.NewTenant(t)
	c, _ := tn.CreateConnection(t.Context(), flextest.SubscriptionName, flextest.VPNSpec(nil).Example(1))
	facts := flextest.ConnectionFacts(c)
	fmt.Println(facts.Name == c.Name, facts.Kind, facts.Usable)
	// Output: true AzureVpn true
}

func ExampleAssertLimitsHold() {
	t := &exampleT{}
	tn, _, _ := flextest.NewTenant(t)
	flextest.AssertLimitsHold(t, tn)
	fmt.Println("limits hold:", !t.failed)
	// Output: limits hold: true
}

func ExampleAssertNoSecretLeak() {
	type login struct {
		User     string
		Password string // should have been a secret.Value
	}
	t := &exampleT{}
	flextest.AssertNoSecretLeak(t, []string{"hunter2!"},
		struct{ Password secret.Value }{secret.New("hunter2!")}, // fine: prints [redacted]
		login{"alice", "hunter2!"},                              // leaks
	)
	// Output:
	// flextest.AssertNoSecretLeak: value 1 (flextest_test.login) shows secret 0 in its %v: {alice <secret 0>}
	// flextest.AssertNoSecretLeak: value 1 (flextest_test.login) shows secret 0 in its %+v: {User:alice Password:<secret 0>}
	// flextest.AssertNoSecretLeak: value 1 (flextest_test.login) shows secret 0 in its %#v: flextest_test.login{User:"alice", Password:"<secret 0>"}
	// flextest.AssertNoSecretLeak: value 1 (flextest_test.login) shows secret 0 in its %s: {alice <secret 0>}
	// flextest.AssertNoSecretLeak: value 1 (flextest_test.login) shows secret 0 in its JSON: {"User":"alice","Password":"<secret 0>"}
}

func ExampleTransientFaults() {
	// A user's property: their automation ends in the same state whatever
	// transient faults the cloud throws at it.
	check(func(t *rapid.T) {
		faults := flextest.TransientFaults(4).Draw(t, "faults")
		tn, cloud, _ := flextest.NewTenant(t, flextest.WithFaults(faults.Plan()))
		spec := network.NoConnectivitySpec{Name: "managed", Region: network.WestEurope}
		if _, err := tn.CreateConnection(t.Context(), flextest.SubscriptionName, spec); err != nil {
			t.Fatalf("under %v: %v", faults, err)
		}
		flextest.AssertNoOrphans(t, cloud, tn)
	})
	// Output: holds: true
}

func ExampleFaultPlan_Plan() {
	faults := flextest.FaultPlan{
		{Method: fake.Put, Type: flex.TypeVirtualNetwork, Nth: 1, Times: 1, Kind: flex.ErrThrottled, RetryAfter: time.Millisecond},
	}
	fmt.Println(faults)
	plan := faults.Plan()
	t := &exampleT{}
	tn, _, _ := flextest.NewTenant(t, flextest.WithFaults(plan))
	_, err := tn.CreateConnection(t.Context(), flextest.SubscriptionName, network.NoConnectivitySpec{Name: "nc", Region: network.WestEurope})
	fmt.Println(err, plan.Fired())
	// Output:
	// Put Microsoft.Network/virtualNetworks from call 1, 1 time(s): throttled, retry after 1ms
	// <nil> 1
}

func ExampleFault_String() {
	f := flextest.Fault{Method: fake.AnyMethod, Nth: 3, Times: 2, Kind: flex.ErrUnavailable, RetryAfter: 20 * time.Millisecond}
	fmt.Println(f)
	// Output: any any type from call 3, 2 time(s): unavailable, retry after 20ms
}

func ExampleImportRequirement_String() {
	fmt.Println(flextest.ReqVDA, "|", flextest.ReqNoControllerKeys)
	// Output: VDA 2507 or later | no Delivery Controller registry values
}

func ExampleSchemeInput_String() {
	fmt.Println(flextest.SchemeInput{Text: "PC-GW##", Kind: 0})
	// Output: "PC-GW##" (Digits)
}

func ExampleSwitch() {
	ctx := context.Background()
	view := fake.New().Scope("t1")
	sw := flextest.NewSwitch(view)
	tn := flex.NewTenant(sw, flex.WithID("t1"))
	spec := flex.SubscriptionSpec{Name: "Sub1", AzureID: "5b000001-0000-4000-8000-000000000001"}

	// Resource groups cannot be made for now.
	plan := fake.NewPlan()
	plan.On(fake.Put, flex.TypeResourceGroup).Fail(flex.ErrInvalid)
	sw.Set(fake.WithFaults(view, plan))
	_, err := tn.AddSubscription(ctx, spec)
	fmt.Println("with the fault:", errors.Is(err, flex.ErrInvalid))

	// And now they can, for the same Tenant.
	sw.Set(view)
	_, err = tn.AddSubscription(ctx, spec)
	fmt.Println("without:", err)
	// Output:
	// with the fault: true
	// without: <nil>
}

package flextest_test

import (
	"fmt"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
)

func ExampleFaultPlan_Faults() {
	// A test's budget of retries must cover every fault the plan injects.
	faults := flextest.FaultPlan{
		{Method: fake.Put, Type: flex.TypeVirtualNetwork, Nth: 1, Times: 2, Kind: flex.ErrThrottled},
		{Method: fake.Get, Nth: 3, Times: 1, Kind: flex.ErrUnavailable},
	}
	fmt.Println(faults.Faults())
	fmt.Println(flextest.FaultPlan(nil).Faults())
	// Output:
	// 3
	// 0
}

func ExampleImportRequirement() {
	// Each requirement of IMG-5 alone refuses an import.
	req := flextest.ReqVMAgent
	facts := flextest.ImportFactsFailing(req).Example(1)
	fmt.Println(req, facts.VMAgent)
	fmt.Println(image.CheckImport(facts))
	// Output:
	// Azure VM Agent installed false
	// IMG-5: the Azure Virtual Machine Agent is not installed; install it before importing
}

func ExampleImportRequirements() {
	for _, r := range flextest.ImportRequirements() {
		fmt.Println(int(r), r)
	}
	// Output:
	// 1 supported operating system
	// 2 generation Gen1 or Gen2
	// 3 not generalized
	// 4 no Delivery Controller registry values
	// 5 personality.ini present
	// 6 VDA 2507 or later
	// 7 Azure VM Agent installed
}

func ExampleOption() {
	// Options combine: a tenant with its own ID on a cloud whose clock
	// starts on a chosen date.
	t := &exampleT{}
	tn, _, clock := flextest.NewTenant(t,
		flextest.WithTenantID("contoso"),
		flextest.WithStart(time.Date(2026, 12, 24, 8, 0, 0, 0, time.UTC)))
	fmt.Println(tn.ID(), clock.Now())
	// Output:
	// contoso 2026-12-24 08:00:00 +0000 UTC
}

func ExampleWithCloudOptions() {
	// A cloud that has no capacity left for a VM size in a region.
	t := &exampleT{}
	_, cloud, _ := flextest.NewTenant(t, flextest.WithCloudOptions(fake.WithCapacity(network.WestEurope, "Standard_D4s_v5", 0)))
	fmt.Println(cloud.Capacity(network.WestEurope, "Standard_D4s_v5"))
	// Output:
	// 0
}

func ExampleWithFaults() {
	// The first VNet the tenant creates is throttled once; the tenant
	// retries and the connection is made.
	plan := fake.NewPlan()
	plan.On(fake.Put, flex.TypeVirtualNetwork).Throttle(time.Millisecond).Once()
	t := &exampleT{}
	tn, _, _ := flextest.NewTenant(t, flextest.WithFaults(plan))
	c, err := tn.CreateConnection(t.Context(), flextest.SubscriptionName, network.NoConnectivitySpec{Name: "managed", Region: network.WestEurope})
	fmt.Println(c.Name, err, plan.Fired())
	// Output:
	// managed <nil> 1
}

func ExampleWithFlexOptions() {
	// A tenant whose limits allow a single catalog.
	lim := quota.DefaultLimits()
	lim.CatalogsPerTenant = 1
	t := &exampleT{}
	tn, _, _ := flextest.NewTenant(t, flextest.WithFlexOptions(flex.WithLimits(lim)))
	fmt.Println(tn.Limits().CatalogsPerTenant)
	// Output:
	// 1
}

func ExampleWithStart() {
	t := &exampleT{}
	_, _, clock := flextest.NewTenant(t, flextest.WithStart(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)))
	clock.Advance(90 * time.Minute)
	fmt.Println(clock.Now())
	// Output:
	// 2027-01-01 01:30:00 +0000 UTC
}

func ExampleWithTenantID() {
	// Every resource the tenant makes is tagged with its ID (SEC-2).
	t := &exampleT{}
	tn, cloud, _ := flextest.NewTenant(t, flextest.WithTenantID("fabrikam"))
	_, err := tn.CreateConnection(t.Context(), flextest.SubscriptionName, network.NoConnectivitySpec{Name: "managed", Region: network.WestEurope})
	fmt.Println(tn.ID(), err)
	vnets := cloud.Resources(flex.Filter{Type: flex.TypeVirtualNetwork})
	fmt.Println(len(vnets), vnets[0].Metadata().Tags[flex.TagTenant])
	// Output:
	// fabrikam <nil>
	// 1 fabrikam
}

package quota_test

import (
	"fmt"

	"github.com/daasflex/daasflex/quota"
)

func ExampleLedger() {
	// One ledger per tenant; every operation that adds catalogs, machines,
	// locations or users reserves first and commits when the cloud work is done.
	var l quota.Ledger // zero value: DefaultLimits
	r, err := l.Reserve(quota.Change{Subscription: "sub-1", Catalog: "Sales", Catalogs: 1, VDAs: 200})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Reserved, not yet in use: VDAs counts committed machines only.
	fmt.Println(l.VDAs("sub-1"), l.Usage().Catalogs.Reserved)
	if err := r.Commit(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.VDAs("sub-1"), l.Usage().Catalogs.InUse)
	// Removing machines is a negative change.
	r, _ = l.Reserve(quota.Change{Subscription: "sub-1", Catalog: "Sales", VDAs: -50})
	_ = r.Commit()
	fmt.Println(l.VDAs("sub-1"))
	// Output:
	// 0 1
	// 200 1
	// 150
}

func ExampleLedger_Limits() {
	var zero quota.Ledger
	fmt.Println(zero.Limits() == quota.DefaultLimits())

	lim := quota.DefaultLimits()
	lim.CatalogsPerTenant = 10
	l, _ := quota.NewLedger(lim)
	fmt.Println(l.Limits().CatalogsPerTenant, l.Limits().VDAsPerSubscription)
	// Output:
	// true
	// 10 5000
}

func ExampleLimits() {
	// A tenant whose limits were raised by the service (LIM-9).
	lim := quota.DefaultLimits()
	lim.VDAsPerSubscription = 8000
	fmt.Println(lim.Validate())
	fmt.Println(lim.Near(7100), lim.Near(7300)) // LIM-5: 90% of 8,000 is 7,200
	lim.NearLimitPercent = 120
	fmt.Println(lim.Validate())
	// Output:
	// <nil>
	// false true
	// LIM-9: NearLimitPercent (LIM-5) is 120; must be between 1 and 100
}

func ExampleMachineType() {
	for _, s := range []string{"static", "Random", "multi-session"} {
		mt, _ := quota.ParseMachineType(s)
		fmt.Println(mt, mt.Session())
	}
	// Output:
	// static single-session
	// random single-session
	// multi-session multi-session
}

func ExampleMachineType_IsValid() {
	var zero quota.MachineType
	fmt.Println(quota.Static.IsValid(), quota.MultiSessionMachine.IsValid(), zero.IsValid(), quota.MachineType(9).IsValid())
	// Output: true true false false
}

func ExamplePersona() {
	// A built-in persona decides how many machines a catalog needs.
	p, _ := quota.PersonaByName("Task worker (medium)")
	n, _ := p.Machines(2000)
	fmt.Println(p.Name, p.Session, p.UsersPerMachine, n, p.MachineTypes())
	// Output: Task worker (medium) multi-session 8 250 [multi-session]
}

func ExampleReservation_Change() {
	var l quota.Ledger
	r, _ := l.Reserve(quota.Change{Subscription: "sub-1", Catalog: "Sales", Catalogs: 1, VDAs: 40})
	defer r.Release()
	c := r.Change()
	fmt.Println(c.Catalog, c.Catalogs, c.VDAs)
	// Output: Sales 1 40
}

func ExampleSessionType() {
	s, err := quota.ParseSessionType("multi")
	fmt.Println(s, err)
	_, err = quota.ParseSessionType("both")
	fmt.Println(err)
	// Output:
	// multi-session <nil>
	// CAT-1: session type "both" is unknown; must be single-session or multi-session
}

func ExampleSessionType_IsValid() {
	var zero quota.SessionType
	fmt.Println(quota.SingleSession.IsValid(), quota.MultiSession.IsValid(), zero.IsValid())
	// Output: true true false
}

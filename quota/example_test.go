package quota_test

import (
	"errors"
	"fmt"

	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
)

func ExampleDefaultLimits() {
	l := quota.DefaultLimits()
	fmt.Println("VDAs per subscription:", l.VDAsPerSubscription)
	fmt.Println("catalogs per tenant:", l.CatalogsPerTenant)
	fmt.Println("multi-session users per resource location:", l.MultiSessionUsersPerResourceLocation)
	// Output:
	// VDAs per subscription: 5000
	// catalogs per tenant: 100
	// multi-session users per resource location: 25000
}

func ExampleLimits_Validate() {
	l := quota.DefaultLimits()
	l.VDAsPerSubscription = 0
	l.NearLimitPercent = 120
	fmt.Println(l.Validate())
	// Output:
	// LIM-9: VDAsPerSubscription (LIM-4) is 0; must be between 1 and 1,000,000,000
	// LIM-9: NearLimitPercent (LIM-5) is 120; must be between 1 and 100
}

func ExampleLimits_Near() {
	l := quota.DefaultLimits()
	fmt.Println(l.Near(4499), l.Near(4500))
	// Output: false true
}

func ExampleMachinesFor() {
	fmt.Println(quota.MachinesFor(8, 100)) // Task worker (medium): ⌈100 ÷ 8⌉
	fmt.Println(quota.MachinesFor(0, 100)) // bad input: 0, no panic
	// Output:
	// 13
	// 0
}

func ExampleMachines() {
	n, err := quota.Machines(4, 10)
	fmt.Println(n, err)
	_, err = quota.Machines(0, -1)
	fmt.Println(err)
	// Output:
	// 3 <nil>
	// CAT-2: users per machine is 0; must be at least 1
	// CAT-2: unique users is -1; must be at least 1
}

func ExamplePersonas() {
	for _, p := range quota.Personas() {
		fmt.Println(p)
	}
	// Output:
	// Knowledge worker (single-session, 1 user per machine)
	// Power worker (single-session, 1 user per machine)
	// Task worker (medium) (multi-session, 8 users per machine)
	// Task worker (heavy) (multi-session, 4 users per machine)
}

func ExamplePersonaByName() {
	p, ok := quota.PersonaByName("task worker heavy")
	fmt.Println(p.Name, p.UsersPerMachine, ok)
	_, ok = quota.PersonaByName("Task worker (light)")
	fmt.Println(ok)
	// Output:
	// Task worker (heavy) 4 true
	// false
}

func ExampleCustomPersona() {
	p, err := quota.CustomPersona("Engineers", quota.SingleSession, 8, 32, 1)
	fmt.Println(p, err)
	_, err = quota.CustomPersona("Shared", quota.SingleSession, 4, 0, 3)
	fmt.Println(err)
	// Output:
	// Engineers (single-session, 1 user per machine, 8 vCPUs, 32 GiB) <nil>
	// CAT-1: custom persona "Shared" has 0 GiB of memory; must have at least 1
	// CAT-2: single-session persona "Shared" has 3 users per machine; must have exactly 1
}

func ExamplePersona_Validate() {
	p := quota.Persona{Name: quota.TaskWorkerMedium, Session: quota.MultiSession, UsersPerMachine: 6}
	fmt.Println(p.Validate())
	// Output:
	// CAT-1: persona "Task worker (medium)" is multi-session, 6 users per machine; the built-in "Task worker (medium)" is multi-session, 8 users per machine
}

func ExamplePersona_MachineTypes() {
	kw, _ := quota.PersonaByName(quota.KnowledgeWorker)
	tm, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	fmt.Println(kw.MachineTypes(), tm.MachineTypes())
	// Output: [static random] [multi-session]
}

func ExamplePersona_Machines() {
	p, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	n, err := p.Machines(81)
	fmt.Println(n, err)
	// Output: 11 <nil>
}

func ExampleCheckPairing() {
	pw, _ := quota.PersonaByName(quota.PowerWorker)
	fmt.Println(quota.CheckPairing(pw, quota.Random))
	fmt.Println(quota.CheckPairing(pw, quota.MultiSessionMachine))
	// Output:
	// <nil>
	// CAT-1: persona "Power worker" is single-session and cannot use multi-session machines; must use static or random
}

func ExampleParseMachineType() {
	m, err := quota.ParseMachineType("Multi-Session")
	fmt.Println(m, m.Session(), err)
	_, err = quota.ParseMachineType("pooled")
	fmt.Println(err)
	// Output:
	// multi-session multi-session <nil>
	// CAT-1: machine type "pooled" is unknown; must be static, random or multi-session
}

func ExampleParseSessionType() {
	s, err := quota.ParseSessionType("single session")
	fmt.Println(s, err)
	// Output: single-session <nil>
}

func ExampleMachineType_Session() {
	fmt.Println(quota.Static.Session(), quota.Random.Session(), quota.MultiSessionMachine.Session())
	// Output: single-session single-session multi-session
}

func ExampleVDAsOf() {
	// RL-7: only VDAs count against LIM-4.
	fmt.Println(quota.VDAsOf(quota.VDA, 3), quota.VDAsOf(quota.CloudConnector, 2), quota.ImageBuilder.CountsAsVDA())
	// Output: 3 0 false
}

func ExampleNewLedger() {
	lim := quota.DefaultLimits()
	lim.VDAsPerSubscription = 10_000 // LIM-9: the service's numbers change
	l, err := quota.NewLedger(lim)
	fmt.Println(l.Limits().VDAsPerSubscription, err)
	_, err = quota.NewLedger(quota.Limits{})
	fmt.Println(rule.IDs(err))
	// Output:
	// 10000 <nil>
	// [LIM-9]
}

// The documentation's worked example of LIM-4.
func ExampleLedger_Reserve() {
	var l quota.Ledger // DefaultLimits
	add := func(c quota.Change) error {
		r, err := l.Reserve(c)
		if err != nil {
			return err
		}
		defer r.Release() // gives the reservation back if Commit is not reached
		// … create the machines; on failure return before Commit …
		return r.Commit()
	}
	fmt.Println(add(quota.Change{Subscription: "Citrix Managed", Catalog: "Cat1", Catalogs: 1, VDAs: 2000}))
	fmt.Println(add(quota.Change{Subscription: "Citrix Managed", Catalog: "Cat2", Catalogs: 1, VDAs: 1500}))
	fmt.Println(add(quota.Change{Subscription: "Citrix Managed", Catalog: "Cat2", VDAs: 1000}))
	fmt.Println(l.NearLimit("Citrix Managed"))
	err := add(quota.Change{Subscription: "Citrix Managed", Catalog: "Cat1", VDAs: 500})
	fmt.Println(errors.Is(err, quota.ErrLimit))
	fmt.Println(err)
	// Output:
	// <nil>
	// <nil>
	// <nil>
	// true
	// true
	// LIM-4: subscription Citrix Managed: adding 500 VDAs would make 5,000, reaching the limit of 5,000 (in use 4,500: Cat1 2,000, Cat2 2,500)
}

func ExampleReservation_Release() {
	var l quota.Ledger
	r, _ := l.Reserve(quota.Change{Subscription: "S", Catalog: "Sales", Catalogs: 1, VDAs: 40})
	fmt.Println(l.Usage().Catalogs.Reserved)
	r.Release() // the operation failed: nothing stays counted
	r.Release() // idempotent
	fmt.Println(l.Usage().Catalogs.Reserved, l.Usage().Catalogs.InUse)
	// Output:
	// 1
	// 0 0
}

func ExampleReservation_Commit() {
	var l quota.Ledger
	r, _ := l.Reserve(quota.Change{Subscription: "S", Catalog: "Sales", Catalogs: 1, VDAs: 40})
	fmt.Println(r.Commit(), r.Commit()) // idempotent
	r.Release()                         // no-op after Commit
	fmt.Println(l.VDAs("S"), r.Change().VDAs)
	// Output:
	// <nil> <nil>
	// 40 40
}

func ExampleLimitError() {
	var l quota.Ledger
	_, err := l.Reserve(quota.Change{ResourceLocation: "West", ResourceLocations: 1, SingleSessionUsers: 5200})
	var le *quota.LimitError
	if errors.As(err, &le) {
		fmt.Println(le.Rule, le.Limit, le.InUse, le.Requested)
	}
	fmt.Println(err)
	// Output:
	// LIM-7 5000 0 5200
	// LIM-7: resource location West: adding 5,200 single-session users would make 5,200, over the limit of 5,000 (in use 0)
}

func ExampleLedger_Usage() {
	var l quota.Ledger
	for _, c := range []quota.Change{
		{Subscription: "S", Catalog: "Sales", Catalogs: 1, VDAs: 4000},
		{Subscription: "S", Catalog: "Support", Catalogs: 1, VDAs: 600},
		{ResourceLocation: "West", ResourceLocations: 1, Domain: "corp.example", DomainRefs: 2, SingleSessionUsers: 4000, MultiSessionUsers: 4800},
	} {
		r, _ := l.Reserve(c)
		_ = r.Commit()
	}
	u := l.Usage()
	for _, s := range u.Subscriptions {
		fmt.Printf("%s: %d of %d VDAs, %d free, near %v, %v\n", s.Name, s.VDAs.InUse, s.VDAs.Limit, s.VDAs.Free(), s.Near, s.Catalogs)
	}
	for _, r := range u.Locations {
		fmt.Printf("%s: domains %v, %d single-session and %d multi-session users\n", r.Name, r.Domains, r.SingleSessionUsers.InUse, r.MultiSessionUsers.InUse)
	}
	fmt.Printf("catalogs %d of %d\n", u.Catalogs.InUse, u.Catalogs.Limit)
	// Output:
	// S: 4600 of 5000 VDAs, 399 free, near true, [{Sales 4000 0} {Support 600 0}]
	// West: domains [corp.example], 4000 single-session and 4800 multi-session users
	// catalogs 2 of 100
}

func ExampleLedger_NearLimit() {
	var l quota.Ledger
	r, _ := l.Reserve(quota.Change{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 4499})
	fmt.Println(l.NearLimit("S"))
	_ = r.Commit()
	r, _ = l.Reserve(quota.Change{Subscription: "S", Catalog: "A", VDAs: 1})
	fmt.Println(l.NearLimit("S")) // reserved VDAs count (LIM-5)
	r.Release()
	fmt.Println(l.NearLimit("S"), l.VDAs("S"))
	// Output:
	// false
	// true
	// false 4499
}

func ExampleCount_Free() {
	c := quota.Count{Rule: "LIM-8", InUse: 20000, Reserved: 1000, Limit: 25000}
	fmt.Println(c.Free())
	// Output: 4000
}

func ExampleLedger_VDAs() {
	var l quota.Ledger
	r, _ := l.Reserve(quota.Change{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 12})
	fmt.Println(l.VDAs("S")) // reserved, not yet committed
	_ = r.Commit()
	fmt.Println(l.VDAs("S"), l.VDAs("unknown"))
	// Output:
	// 0
	// 12 0
}

func ExampleMachineRole_CountsAsVDA() {
	for _, r := range []quota.MachineRole{quota.VDA, quota.ImageBuilder, quota.CloudConnector, quota.Bastion, quota.LicenseServer} {
		fmt.Println(r, r.CountsAsVDA())
	}
	// Output:
	// VDA true
	// image builder false
	// Cloud Connector false
	// bastion false
	// license server false
}

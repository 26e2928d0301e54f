package catalog_test

import (
	"fmt"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/secret"
)

func ExampleSchedule_Next() {
	ny, _ := time.LoadLocation("America/New_York")
	daily := catalog.Schedule{Kind: catalog.Daily, At: catalog.MustParseTimeOfDay("02:30")}

	// On 2025-03-09 clocks jump from 02:00 to 03:00: 02:30 does not exist,
	// so the run comes at the jump.
	after := time.Date(2025, 3, 8, 0, 0, 0, 0, ny)
	for range 3 {
		after = daily.Next(after, ny)
		fmt.Println(after.Format("Mon 2006-01-02 15:04 MST"))
	}

	// On 2025-11-02 01:30 occurs twice; the run is at the first.
	early := catalog.Schedule{Kind: catalog.Daily, At: catalog.MustParseTimeOfDay("01:30")}
	next := early.Next(time.Date(2025, 11, 2, 0, 0, 0, 0, ny), ny)
	fmt.Println(next.Format("2006-01-02 15:04 MST"), early.Next(next, ny).Format("2006-01-02 15:04 MST"))
	// Output:
	// Sat 2025-03-08 02:30 EST
	// Sun 2025-03-09 03:00 EDT
	// Mon 2025-03-10 02:30 EDT
	// 2025-11-02 01:30 EDT 2025-11-03 01:30 EST
}

func ExampleSchedules_Validate() {
	s := catalog.Schedules{Weekly: catalog.Schedule{Kind: catalog.Weekly, Day: time.Sunday, At: catalog.TimeOfDay{Hour: 3}}}
	fmt.Println(s.Validate(quota.Static))
	fmt.Println(s.Validate(quota.Random))
	next, kind := s.Next(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), time.UTC)
	fmt.Println(next.Format(time.DateTime), kind)
	// Output:
	// <nil>
	// CAT-13: snapshot schedules given for a random catalog; snapshots are supported only in static catalogs
	// 2026-03-08 03:00:00 Weekly
}

func ExampleManualSnapshot() {
	m := catalog.NewMachine("PC-07", quota.Static, 1)
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	_, err := catalog.ManualSnapshot(quota.Static, m, "Before patch", now)
	fmt.Println(err)

	m, _ = m.Assign("alice@corp.example.com")
	s, err := catalog.ManualSnapshot(quota.Static, m, "Before_patch", now)
	fmt.Println(s, err)
	fmt.Println(catalog.CheckRestore(m, s))
	// Output:
	// CAT-13: machine "PC-07" is not assigned to a user; snapshots are supported only for assigned machines
	// API-5: snapshot name "Before patch" has ' ' at position 7; use only letters, digits and '_'
	// Before_patch (Anytime) of PC-07 at 2026-03-01T10:00:00Z <nil>
	// <nil>
}

func ExampleScheduledSnapshots() {
	a, _ := catalog.NewMachine("PC-01", quota.Static, 1).Assign("alice@corp.example.com")
	b := catalog.NewMachine("PC-02", quota.Static, 1) // not assigned: no snapshot
	for _, s := range catalog.ScheduledSnapshots(quota.Static, []catalog.Machine{a, b}, catalog.Daily, time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)) {
		fmt.Println(s)
	}
	fmt.Println(catalog.CheckSnapshots(quota.Static, b))
	// Output:
	// Daily_20260301T0200Z (Daily) of PC-01 at 2026-03-01T02:00:00Z
	// CAT-13: machine "PC-02" is not assigned to a user; snapshots are supported only for assigned machines
}

func ExampleValidateSnapshotName() {
	fmt.Println(catalog.ValidateSnapshotName("Before_patch_1"))
	fmt.Println(catalog.ValidateSnapshotName("before-patch"))
	// Output:
	// <nil>
	// API-5: snapshot name "before-patch" has '-' at position 7; use only letters, digits and '_'
}

func ExampleMachine_Apply() {
	m, _ := catalog.NewMachine("PC-01", quota.Static, 1).Assign("alice@corp.example.com")
	m, _ = m.Do(catalog.Restore)
	_, err := m.Do(catalog.Start)
	fmt.Println(err)
	m, _ = m.Apply(catalog.RestoreFail)
	fmt.Println(m.Restore, m.Can(catalog.Restore)) // a failed restore can be retried
	// Output:
	// CAT-13: machine "PC-01": start is not allowed: a snapshot is being restored; no action is available until it ends; the machine is deallocated, unregistered, 0 of 1 sessions, restoring a snapshot; allowed actions: none
	// Failed true
}

func ExampleSpreadZones() {
	fmt.Println(catalog.SpreadZones(network.EastUS, nil, 5))
	fmt.Println(catalog.SpreadZones(network.EastUS, []int{1, 1, 2}, 2))
	fmt.Println(catalog.SpreadZones(network.WestUS, nil, 3))
	// Output:
	// [1 2 3 1 2]
	// [3 2]
	// [0 0 0]
}

func ExampleSizes_Choose() {
	s := catalog.Sizes{Primary: "Standard_D4s_v5", Backup: "Standard_D4as_v5"}
	noD4s := func(size string) bool { return size != "Standard_D4s_v5" }
	fmt.Println(s.Choose(noD4s))
	fmt.Println(s.Choose(func(string) bool { return false }))
	// Output:
	// Standard_D4as_v5 <nil>
	//  CAT-14: neither VM size Standard_D4s_v5 nor backup size Standard_D4as_v5 has capacity; try later or choose other sizes
}

func ExampleDeleteAck_Check() {
	fmt.Println(catalog.DeleteAck{Catalog: "Sales apps", MachinesDestroyed: true}.Check("Sales apps"))
	fmt.Println(catalog.DeleteAck{Catalog: "Sales apps", MachinesDestroyed: true, Irreversible: true}.Check("Sales apps"))
	// Output:
	// CAT-12: deleting catalog "Sales apps" cannot be undone; acknowledge it
	// <nil>
}

func ExampleAutoscale_Validate() {
	fmt.Println(catalog.Autoscale{}.Effective())
	custom := catalog.Autoscale{
		Custom:            true,
		PeakDays:          catalog.WeekdaysOf(time.Monday, time.Wednesday),
		PeakStart:         catalog.MustParseTimeOfDay("07:00"),
		PeakEnd:           catalog.MustParseTimeOfDay("19:30"),
		DisconnectTimeout: 20 * time.Minute,
		PowerOffDelay:     time.Hour,
		OffPolicy:         catalog.Hibernate,
	}
	fmt.Println(custom.Validate(), custom)
	custom.PeakEnd = catalog.MustParseTimeOfDay("06:00")
	fmt.Println(custom.Validate())
	// Output:
	// custom: Mon,Tue,Wed,Thu,Fri 08:00–18:00, disconnect 15m0s, power off after 30m0s: shut down
	// <nil> custom: Mon,Wed 07:00–19:30, disconnect 20m0s, power off after 1h0m0s: hibernate
	// CAT-4: peak hours 07:00–06:00 do not start before they end; want a start earlier on the same day than the end
}

func ExampleWorkSchedule_Location() {
	loc, err := catalog.WorkSchedule{TimeZone: "Asia/Kolkata"}.Location()
	fmt.Println(loc, err)
	_, err = catalog.WorkSchedule{TimeZone: "Local"}.Location()
	fmt.Println(err)
	// Output:
	// Asia/Kolkata <nil>
	// CAT-4: time zone "Local" is the server's own; choose the users' time zone by its IANA name, such as Europe/Berlin
}

func ExampleParseTimeOfDay() {
	t, err := catalog.ParseTimeOfDay("7:05")
	fmt.Println(t, err)
	_, err = catalog.ParseTimeOfDay("24:00")
	fmt.Println(err)
	// Output:
	// 07:05 <nil>
	// catalog: time of day "24:00" is out of range; want HH:MM from 00:00 to 23:59
}

func ExampleParseConnectivityType() {
	c, _ := catalog.ParseConnectivityType("netscaler gateway")
	fmt.Println(c)
	_, err := catalog.ParseConnectivityType("VPN")
	fmt.Println(err)
	// Output:
	// NetScaler Gateway
	// CAT-3: connectivity type "VPN" is unknown; want Gateway service, NetScaler Gateway or Direct
}

func ExampleParseState() {
	s, _ := catalog.ParseState("inputrequired")
	fmt.Println(s, s.Next())
	// Output:
	// InputRequired [Processing Deleting]
}

func ExampleParseSnapshotKind() {
	k, _ := catalog.ParseSnapshotKind("manual")
	r, _ := catalog.ParseRestoreState("failed")
	fmt.Println(k, r)
	// Output:
	// Anytime Failed
}

func ExampleIdentityTable() {
	for _, r := range catalog.IdentityTable()[4:] {
		fmt.Println(r.Connected, r.Session, r.Persistence, r.Supports(image.NonDomainJoined), r.Supports(image.ActiveDirectory))
	}
	// Output:
	// false multi-session persistent true false
	// false multi-session non-persistent true false
	// false single-session persistent true false
	// false single-session non-persistent true false
}

func ExampleAddMachinesRequest_Validate() {
	r := catalog.AddMachinesRequest{Users: 10}
	fmt.Println(r.Validate(image.ActiveDirectory))
	r.ServiceAccount, r.Password = `CORP\svc-join`, secret.New("never printed")
	fmt.Println(r.Validate(image.ActiveDirectory))
	// Output:
	// CAT-6: service account "" is empty; an Active Directory catalog needs the service account again to add machines to the domain
	// CAT-6: no service account password; an Active Directory catalog needs it again to add machines to the domain
	// <nil>
}

func ExampleStatus_CheckChange() {
	st := catalog.Status{Name: "Sales apps", State: catalog.Processing, Op: catalog.AddMachines}
	fmt.Println(st.CheckChange("adding users"))
	// Output:
	// CAT-6: catalog "Sales apps" is busy adding machines; adding users must wait until it completes
}

func ExampleMachine_Assign() {
	m, _ := catalog.NewMachine("PC-01", quota.Static, 1).Assign("alice@corp.example.com")
	_, err := m.Assign("bob@corp.example.com")
	fmt.Println(m.Assigned)
	fmt.Println(err)
	// Output:
	// alice@corp.example.com
	// CAT-1: machine "PC-01": assign is not allowed: the machine belongs to "alice@corp.example.com"; the machine is deallocated, unregistered, 0 of 1 sessions; allowed actions: start, maintenance on, delete, restore
}

func ExamplePersistenceOf() {
	fmt.Println(catalog.PersistenceOf(quota.Static), catalog.PersistenceOf(quota.Random), catalog.PersistenceOf(quota.MultiSessionMachine))
	// Output:
	// persistent non-persistent non-persistent
}

func ExampleWeekdaysOf() {
	w := catalog.WeekdaysOf(time.Saturday, time.Sunday)
	fmt.Println(w, w.Has(time.Monday), catalog.WorkingDays)
	// Output:
	// Sun,Sat false Mon,Tue,Wed,Thu,Fri
}

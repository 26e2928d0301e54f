package catalog_test

import (
	"fmt"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
)

// exRunning returns a running, registered machine of a catalog of type mt.
func exRunning(name string, mt quota.MachineType, users int) catalog.Machine {
	m := catalog.NewMachine(name, mt, users)
	m, _ = m.Do(catalog.Start)
	m, _ = m.Apply(catalog.PowerDone)
	m, _ = m.Apply(catalog.Register)
	return m
}

// exAssigned returns a deallocated static machine assigned to a user.
func exAssigned(name, user string) catalog.Machine {
	m, _ := catalog.NewMachine(name, quota.Static, 1).Assign(user)
	return m
}

func ExampleCheckRestore() {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	pc1, pc2 := exAssigned("PC-01", "alice@corp.example.com"), exAssigned("PC-02", "bob@corp.example.com")
	snap, _ := catalog.ManualSnapshot(quota.Static, pc1, "Before_patch", t0)
	fmt.Println(catalog.CheckRestore(pc1, snap))
	fmt.Println(catalog.CheckRestore(pc2, snap))
	// Output:
	// <nil>
	// CAT-13: snapshot "Before_patch" is of machine "PC-01", not "PC-02"; restore a machine only from its own snapshots
}

func ExampleCheckSnapshots() {
	fmt.Println(catalog.CheckSnapshots(quota.Static, exAssigned("PC-01", "alice@corp.example.com")))
	fmt.Println(catalog.CheckSnapshots(quota.Static, catalog.NewMachine("PC-02", quota.Static, 1)))
	fmt.Println(catalog.CheckSnapshots(quota.Random, catalog.NewMachine("PC-03", quota.Random, 1)))
	// Output:
	// <nil>
	// CAT-13: machine "PC-02" is not assigned to a user; snapshots are supported only for assigned machines
	// CAT-13: machine "PC-03" is in a random catalog; snapshots are supported only in static catalogs
	// CAT-13: machine "PC-03" is not assigned to a user; snapshots are supported only for assigned machines
}

func ExampleIntuneSupported() {
	p := catalog.PersistenceOf(quota.Static)
	fmt.Println(catalog.IntuneSupported(quota.SingleSession, p, image.Windows11, image.EntraHybrid))
	fmt.Println(catalog.IntuneSupported(quota.SingleSession, p, image.Windows11, image.ActiveDirectory))
	fmt.Println(catalog.IntuneSupported(quota.MultiSession, catalog.NonPersistent, image.WindowsServer2022, image.EntraHybrid))
	// Output:
	// true
	// false
	// false
}

func ExampleSameName() {
	// Catalog names are unique in a tenant ignoring case (CAT-5).
	existing := []string{"Sales apps", "Finance desktops"}
	for _, name := range []string{"SALES APPS", "Sales apps 2"} {
		taken := false
		for _, e := range existing {
			taken = taken || catalog.SameName(name, e)
		}
		fmt.Println(name, taken)
	}
	// Output:
	// SALES APPS true
	// Sales apps 2 false
}

func ExampleAction() {
	// The actions the console offers on a machine, as it changes.
	m := catalog.NewMachine("PC-01", quota.Static, 1)
	fmt.Println(m.Allowed())
	m = exRunning("PC-01", quota.Static, 1)
	fmt.Println(m.Allowed())
	m, _ = m.Do(catalog.Restart)
	m, _ = m.Apply(catalog.RestartFail)
	fmt.Println(m.Allowed())
	// Output:
	// [start maintenance on delete]
	// [shutdown restart maintenance on delete]
	// [shutdown restart force restart maintenance on delete]
}

func ExampleActions() {
	fmt.Println(catalog.Actions())
	// Output:
	// [start shutdown restart force restart maintenance on maintenance off delete restore]
}

func ExampleAddMachinesRequest_Machines() {
	p, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	n, err := catalog.AddMachinesRequest{Users: 100}.Machines(p)
	fmt.Println(n, err)
	// Output:
	// 13 <nil>
}

func exApp() catalog.App {
	return catalog.App{Name: "Report", Source: catalog.ByPath, Path: `C:\Program Files\Reports\report.exe`,
		Args: []string{"/title", "Q1 final"}, FileTypes: true}
}

func ExampleApp_CommandLine() {
	a := exApp()
	c := a.CommandLine()
	fmt.Println(c)
	fmt.Printf("%q %q %v\n", c.Path, c.Args, c.FileTypes)
	// Output:
	// "C:\Program Files\Reports\report.exe" /title "Q1 final" "%*"
	// "C:\\Program Files\\Reports\\report.exe" ["/title" "Q1 final"] true
}

func ExampleApp_Validate() {
	a := exApp()
	fmt.Println(a.Validate())
	a.Name = " Report "
	a.Path = ""
	fmt.Println(a.Validate())
	// Output:
	// <nil>
	// CAT-10: app name " Report " is not 1 to 64 characters of text without control characters or surrounding spaces
	// CAT-11: app " Report ": the command line has no path; give the path of the executable, such as C:\Program Files\App\app.exe
}

func exApps() catalog.Apps {
	var apps catalog.Apps
	_ = apps.Add(exApp(), catalog.App{Name: "Word", Source: catalog.FromStartMenu, Path: `C:\Office16\WINWORD.EXE`, FileTypes: true})
	return apps
}

func ExampleApps_Add() {
	var apps catalog.Apps
	// Add publishes a whole batch, or nothing and every problem.
	err := apps.Add(exApp(), catalog.App{Name: "REPORT", Source: catalog.ByPath, Path: `C:\r.exe`})
	fmt.Println(err, apps.Len())
	fmt.Println(apps.Add(exApp()), apps.Len())
	// Output:
	// CAT-10: two apps are named "REPORT" (C:\Program Files\Reports\report.exe and C:\r.exe); only one can be added, give the other version another name 0
	// <nil> 1
}

func ExampleApps_Edit() {
	apps := exApps()
	a, _ := apps.Get("report")
	a.Name, a.Args = "Quarterly report", []string{"/title", "Q2"}
	fmt.Println(apps.Edit("report", a))
	for _, a := range apps.List() {
		fmt.Println(a.Name, "|", a.CommandLine())
	}
	// Output:
	// <nil>
	// Quarterly report | "C:\Program Files\Reports\report.exe" /title Q2 "%*"
	// Word | C:\Office16\WINWORD.EXE "%*"
}

func ExampleApps_Get() {
	apps := exApps()
	a, ok := apps.Get("WORD")
	fmt.Println(a.Name, a.Path, ok)
	_, ok = apps.Get("Excel")
	fmt.Println(ok)
	// Output:
	// Word C:\Office16\WINWORD.EXE true
	// false
}

func ExampleApps_Len() {
	var apps catalog.Apps
	fmt.Println(apps.Len(), exApps().Len())
	// Output:
	// 0 2
}

func ExampleApps_List() {
	for _, a := range exApps().List() {
		fmt.Println(a.Name, a.Source)
	}
	// Output:
	// Report path
	// Word Start menu
}

func ExampleApps_Remove() {
	apps := exApps()
	a, ok := apps.Remove("word") // unpublished; Word stays installed on the machines
	fmt.Println(a.Name, ok, apps.Len())
	_, ok = apps.Remove("word")
	fmt.Println(ok)
	// Output:
	// Word true 1
	// false
}

func ExampleApps_Rename() {
	apps := exApps()
	fmt.Println(apps.Rename("Report", "Reports"))
	fmt.Println(apps.Rename("Reports", "word"))
	fmt.Println(apps.List()[0].Name)
	// Output:
	// <nil>
	// CAT-10: cannot rename app "Reports" to "word": an app of that name is already in the catalog
	// Reports
}

func ExampleAutoscale() {
	// Custom peak hours for a call centre that also works Saturdays.
	a := catalog.Autoscale{
		Custom:            true,
		PeakDays:          catalog.WorkingDays | catalog.WeekdaysOf(time.Saturday),
		PeakStart:         catalog.MustParseTimeOfDay("07:00"),
		PeakEnd:           catalog.MustParseTimeOfDay("20:00"),
		DisconnectTimeout: 30 * time.Minute,
		PowerOffDelay:     time.Hour,
		OffPolicy:         catalog.Hibernate,
	}
	fmt.Println(a, a.Validate())
	var recommended catalog.Autoscale
	fmt.Println(recommended, "→", recommended.Effective())
	// Output:
	// custom: Mon,Tue,Wed,Thu,Fri,Sat 07:00–20:00, disconnect 30m0s, power off after 1h0m0s: hibernate <nil>
	// recommended → custom: Mon,Tue,Wed,Thu,Fri 08:00–18:00, disconnect 15m0s, power off after 30m0s: shut down
}

func ExampleRecommendedAutoscale() {
	r := catalog.RecommendedAutoscale()
	fmt.Println(r)
	fmt.Println(r.Validate())
	// Output:
	// custom: Mon,Tue,Wed,Thu,Fri 08:00–18:00, disconnect 15m0s, power off after 30m0s: shut down
	// <nil>
}

func ExampleAutoscale_Effective() {
	var a catalog.Autoscale // recommended
	fmt.Println(a.Effective() == catalog.RecommendedAutoscale())
	custom := catalog.RecommendedAutoscale()
	custom.PeakEnd = catalog.MustParseTimeOfDay("17:00")
	fmt.Println(custom.Effective().PeakEnd)
	// Output:
	// true
	// 17:00
}

func ExampleAutoscale_InPeak() {
	berlin, _ := catalog.WorkSchedule{TimeZone: "Europe/Berlin"}.Location()
	var a catalog.Autoscale // recommended: Monday to Friday 08:00–18:00
	for _, t := range []time.Time{
		time.Date(2026, 3, 2, 6, 30, 0, 0, time.UTC), // Monday 07:30 in Berlin
		time.Date(2026, 3, 2, 7, 30, 0, 0, time.UTC), // Monday 08:30 in Berlin
		time.Date(2026, 3, 7, 10, 0, 0, 0, time.UTC), // Saturday
	} {
		fmt.Println(t.In(berlin).Format("Mon 15:04"), a.InPeak(t, berlin))
	}
	// Output:
	// Mon 07:30 false
	// Mon 08:30 true
	// Sat 11:00 false
}

func ExampleCommandLine() {
	c := catalog.MustParseCommandLine(`"C:\Program Files\App\app.exe" /open "%*"`)
	fmt.Printf("%q %q %v\n", c.Path, c.Args, c.FileTypes)
	c.Args = append(c.Args, `C:\My Files\`)
	fmt.Println(c)
	// Output:
	// "C:\\Program Files\\App\\app.exe" ["/open"] true
	// "C:\Program Files\App\app.exe" /open "C:\My Files\\" "%*"
}

func ExampleMustParseCommandLine() {
	c := catalog.MustParseCommandLine(`notepad.exe "%*"`)
	fmt.Println(c.Path, c.FileTypes, c.Validate())
	// Output:
	// notepad.exe true <nil>
}

func ExampleConnectivityType() {
	for _, s := range []string{"gateway", "NetScaler Gateway", "internal"} {
		c, _ := catalog.ParseConnectivityType(s)
		fmt.Println(c)
	}
	// Output:
	// Gateway service
	// NetScaler Gateway
	// Direct
}

func ExampleConnectivityType_IsValid() {
	var unset catalog.ConnectivityType
	fmt.Println(catalog.Direct.IsValid(), unset.IsValid())
	// Output:
	// true false
}

func ExampleEvent() {
	// A user's day on a multi-session machine, event by event.
	m := catalog.NewMachine("PC-01", quota.MultiSessionMachine, 8)
	m, _ = m.Do(catalog.Start)
	for _, e := range []catalog.Event{catalog.PowerDone, catalog.Register, catalog.SessionStart, catalog.SessionEnd, catalog.GuestShutdown, catalog.PowerDone} {
		m, _ = m.Apply(e)
		fmt.Printf("%-22s %s\n", e, m.State())
	}
	// Output:
	// power transition done  running, unregistered, 0 of 8 sessions
	// register               running, registered, 0 of 8 sessions
	// session start          running, registered, 1 of 8 sessions
	// session end            running, registered, 0 of 8 sessions
	// guest shutdown         stopping, unregistered, 0 of 8 sessions
	// power transition done  stopped, unregistered, 0 of 8 sessions
}

func ExampleEvents() {
	fmt.Println(catalog.Events())
	// Output:
	// [power transition done guest shutdown hibernate restart done restart failed register unregister session start session end restore done restore failed]
}

func ExampleIdentityRow() {
	// Which domain types a catalog without network connectivity may use.
	for _, r := range catalog.IdentityTable() {
		if !r.Connected {
			fmt.Println(r.Session, r.Persistence, r.NonDomainJoined, r.ActiveDirectory, r.EntraHybrid)
		}
	}
	// Output:
	// multi-session persistent true false false
	// multi-session non-persistent true false false
	// single-session persistent true false false
	// single-session non-persistent true false false
}

func ExampleIdentityRow_Supports() {
	for _, r := range catalog.IdentityTable()[:1] {
		fmt.Println(r.Connected, r.Session, r.Persistence,
			r.Supports(image.NonDomainJoined), r.Supports(image.ActiveDirectory), r.Supports(image.EntraHybrid))
	}
	// Output:
	// true multi-session persistent true true true
}

func ExampleMachine() {
	// A static machine: assigned to its user, started, used, snapshotted.
	m := catalog.NewMachine("PC-Sales-01", quota.Static, 1)
	fmt.Println(m.State())
	m, _ = m.Assign("alice@corp.example.com")
	m, _ = m.Do(catalog.Start)
	m, _ = m.Apply(catalog.PowerDone)
	m, _ = m.Apply(catalog.Register)
	m, _ = m.Apply(catalog.SessionStart)
	fmt.Println(m.State(), m.Assigned)
	_, err := m.Apply(catalog.SessionStart) // single-session: capacity 1
	fmt.Println(err)
	// Output:
	// deallocated, unregistered, 0 of 1 sessions
	// running, registered, 1 of 1 sessions alice@corp.example.com
	// MON-1: machine "PC-Sales-01": session start is not allowed: the machine is full: 1 of 1 sessions; the machine is running, registered, 1 of 1 sessions; allowed actions: shutdown, restart, maintenance on, restore
}

func ExampleNewMachine() {
	for _, mt := range []quota.MachineType{quota.Static, quota.MultiSessionMachine} {
		m := catalog.NewMachine("PC-01", mt, 8)
		fmt.Println(m.Type, m.Capacity, m.Power, m.State())
	}
	// Output:
	// static 1 deallocated deallocated, unregistered, 0 of 1 sessions
	// multi-session 8 deallocated deallocated, unregistered, 0 of 8 sessions
}

func ExampleMachine_Can() {
	m := exRunning("PC-01", quota.MultiSessionMachine, 8)
	m, _ = m.Apply(catalog.SessionStart)
	fmt.Println(m.Can(catalog.Shutdown), m.Can(catalog.Delete), m.Can(catalog.Start))
	// Output:
	// true false false
}

func ExampleMachine_State() {
	m := exRunning("PC-01", quota.MultiSessionMachine, 8)
	m, _ = m.Apply(catalog.SessionStart)
	m, _ = m.Apply(catalog.SessionStart)
	m, _ = m.Do(catalog.MaintenanceOn)
	fmt.Println(m.State())
	m, _ = m.Do(catalog.Restart)
	fmt.Println(m.State())
	// Output:
	// running, registered, 2 of 8 sessions, maintenance mode
	// running, unregistered, 0 of 8 sessions, maintenance mode, restarting
}

func ExamplePersistence() {
	for _, mt := range []quota.MachineType{quota.Static, quota.Random, quota.MultiSessionMachine} {
		fmt.Println(mt, catalog.PersistenceOf(mt))
	}
	// Output:
	// static persistent
	// random non-persistent
	// multi-session non-persistent
}

func ExamplePersistence_IsValid() {
	var unset catalog.Persistence
	fmt.Println(catalog.Persistent.IsValid(), unset.IsValid())
	// Output:
	// true false
}

func ExamplePowerAction_IsValid() {
	// A custom autoscale needs a power policy.
	var unset catalog.PowerAction
	fmt.Println(catalog.ShutDown.IsValid(), catalog.Hibernate.IsValid(), unset.IsValid())
	// Output:
	// true true false
}

func ExamplePowerState_IsValid() {
	fmt.Println(catalog.Running.IsValid(), catalog.PowerState(42).IsValid())
	// Output:
	// true false
}

func ExamplePowerState_Off() {
	for _, p := range []catalog.PowerState{catalog.Stopping, catalog.Deallocated, catalog.Suspended, catalog.Running} {
		fmt.Println(p, p.Off())
	}
	// Output:
	// stopping true
	// deallocated true
	// suspended false
	// running false
}

func ExamplePowerState_On() {
	for _, p := range []catalog.PowerState{catalog.Starting, catalog.Running, catalog.Suspended, catalog.Stopped} {
		fmt.Println(p, p.On())
	}
	// Output:
	// starting true
	// running true
	// suspended false
	// stopped false
}

func ExamplePrincipal_Validate() {
	ok := catalog.Principal{Directory: "corp.example.com", Kind: catalog.User, ID: `CORP\alice`}
	fmt.Println(ok, ok.Validate())
	fmt.Println(catalog.Principal{Kind: catalog.Group, ID: "sales team@"}.Validate())
	// Output:
	// user CORP\alice (corp.example.com) <nil>
	// CAT-9: group "sales team@" has no directory; users and groups are added from a directory, name it
	// CAT-9: group "sales team@" has a character not allowed before '@' (a space or "(),:;<>[\]) or a period at its start or end; want a user principal name such as alice@corp.example.com, DOMAIN\name or a bare account name
}

func ExamplePrincipalKind_IsValid() {
	var unset catalog.PrincipalKind
	fmt.Println(catalog.User.IsValid(), catalog.Group.IsValid(), unset.IsValid())
	// Output:
	// true true false
}

var (
	exAlice = catalog.Principal{Directory: "corp.example.com", Kind: catalog.User, ID: "alice@corp.example.com"}
	exSales = catalog.Principal{Directory: "corp.example.com", Kind: catalog.Group, ID: `CORP\Sales`}
)

func ExamplePrincipals_Add() {
	var s catalog.Principals
	n, err := s.Add(exAlice, exSales)
	fmt.Println(n, err)
	n, err = s.Add(exAlice) // already a member: nothing changes
	fmt.Println(n, err)
	bad := exAlice
	bad.Kind = catalog.Group // same ID as a member of the other kind
	n, err = s.Add(bad)
	fmt.Println(n, err)
	// Output:
	// 2 <nil>
	// 0 <nil>
	// 0 CAT-9: group alice@corp.example.com (corp.example.com) is already user alice@corp.example.com (corp.example.com); a directory object is either a user or a group
}

func ExamplePrincipals_Contains() {
	var s catalog.Principals
	_, _ = s.Add(exSales)
	fmt.Println(s.Contains(catalog.Principal{Directory: "CORP.EXAMPLE.COM", Kind: catalog.Group, ID: `corp\sales`}))
	fmt.Println(s.Contains(exAlice))
	// Output:
	// true
	// false
}

func ExamplePrincipals_Len() {
	var s catalog.Principals
	fmt.Println(s.Len())
	_, _ = s.Add(exAlice, exSales)
	fmt.Println(s.Len())
	// Output:
	// 0
	// 2
}

func ExamplePrincipals_List() {
	var s catalog.Principals
	_, _ = s.Add(exSales, exAlice)
	for _, p := range s.List() {
		fmt.Println(p)
	}
	// Output:
	// user alice@corp.example.com (corp.example.com)
	// group CORP\Sales (corp.example.com)
}

func ExamplePrincipals_Remove() {
	var s catalog.Principals
	_, _ = s.Add(exAlice, exSales)
	fmt.Println(s.Remove(exAlice), s.Remove(exAlice), s.Len())
	// Output:
	// true false 1
}

func ExampleRestoreState() {
	// A restore as the API reports it, from start to a completed restore.
	m := exAssigned("PC-01", "alice@corp.example.com")
	fmt.Println(m.Restore)
	m, _ = m.Do(catalog.Restore)
	fmt.Println(m.Restore, m.Allowed())
	m, _ = m.Apply(catalog.RestoreDone)
	fmt.Println(m.Restore, m.Allowed())
	// Output:
	// Inactive
	// Running []
	// Completed [start maintenance on delete restore]
}

func ExampleParseRestoreState() {
	r, err := catalog.ParseRestoreState("failed")
	fmt.Println(r, r == catalog.RestoreFailed, err)
	// Output:
	// Failed true <nil>
}

func ExampleSchedule_Enabled() {
	var none catalog.Schedule
	daily := catalog.Schedule{Kind: catalog.Daily, At: catalog.MustParseTimeOfDay("02:00")}
	fmt.Println(none, none.Enabled())
	fmt.Println(daily, daily.Enabled())
	// Output:
	// none false
	// daily at 02:00 true
}

func ExampleSchedule_Validate() {
	fmt.Println(catalog.Schedule{Kind: catalog.Weekly, Day: time.Sunday, At: catalog.MustParseTimeOfDay("03:30")}.Validate())
	fmt.Println(catalog.Schedule{Kind: catalog.Anytime, At: catalog.TimeOfDay{Hour: 25}}.Validate())
	// Output:
	// <nil>
	// CAT-13: schedule kind Anytime is not Daily or Weekly
	// CAT-13: schedule time 25:0 is not a time of day; want 00:00 to 23:59
}

func ExampleSchedules_Next() {
	s := catalog.Schedules{
		Daily:  catalog.Schedule{Kind: catalog.Daily, At: catalog.MustParseTimeOfDay("02:00")},
		Weekly: catalog.Schedule{Kind: catalog.Weekly, Day: time.Sunday, At: catalog.MustParseTimeOfDay("03:30")},
	}
	t := time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC) // Saturday noon
	for range 3 {
		var k catalog.SnapshotKind
		t, k = s.Next(t, time.UTC)
		fmt.Println(t.Format("Mon 2006-01-02 15:04"), k)
	}
	// Output:
	// Sun 2026-03-08 02:00 Daily
	// Sun 2026-03-08 03:30 Weekly
	// Mon 2026-03-09 02:00 Daily
}

func ExampleSnapshot() {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	s, _ := catalog.ManualSnapshot(quota.Static, exAssigned("PC-01", "alice@corp.example.com"), "Before_patch", t0)
	fmt.Println(s)
	fmt.Println(s.Name, s.Machine, s.Kind, s.Taken.Format(time.RFC3339))
	// Output:
	// Before_patch (Anytime) of PC-01 at 2026-03-01T10:00:00Z
	// Before_patch PC-01 Anytime 2026-03-01T10:00:00Z
}

func ExampleSnapshotKind() {
	for _, s := range []string{"manual", "Daily", "weekly"} {
		k, _ := catalog.ParseSnapshotKind(s)
		fmt.Println(k)
	}
	// Output:
	// Anytime
	// Daily
	// Weekly
}

func exSpec() catalog.Spec {
	p, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	img, _ := image.LookupPrepared("Windows Server 2022 (multi-session)")
	users := make([]string, 20)
	for i := range users {
		users[i] = fmt.Sprintf("user%02d@corp.example.com", i+1)
	}
	return catalog.Spec{Name: "Call centre", Persona: p, MachineType: quota.MultiSessionMachine, Users: users,
		Subscription: "Citrix Managed", Region: network.EastUS, Domain: image.NonDomainJoined,
		Connectivity: catalog.GatewayService, Image: img, Schedule: catalog.WorkSchedule{TimeZone: "America/New_York"},
		VMSize: "Standard_D4s_v5", BackupVMSize: "Standard_D4as_v5"}
}

func ExampleSpec_EffectiveRegion() {
	s := exSpec()
	fmt.Println(s.EffectiveRegion(catalog.Connection{})) // No connectivity: the spec's own
	s.Connection, s.Region = "corp-peering", ""
	fmt.Println(s.EffectiveRegion(catalog.Connection{Name: "corp-peering", Kind: network.KindVnetPeering, Region: network.WestEurope, Usable: true}))
	// Output:
	// eastus
	// westeurope
}

func ExampleSpec_Machines() {
	s := exSpec()
	n, err := s.Machines() // 20 users, 8 per machine
	fmt.Println(n, err)
	s.Users = nil
	n, err = s.Machines()
	fmt.Println(n, err)
	// Output:
	// 3 <nil>
	// 0 CAT-2: unique users is 0; must be at least 1
}

func ExampleSpec_Persistence() {
	s := exSpec()
	fmt.Println(s.Persistence())
	s.MachineType = quota.Static
	fmt.Println(s.Persistence())
	// Output:
	// non-persistent
	// persistent
}

func ExampleSpec_Sizes() {
	s := exSpec()
	fmt.Println(s.Sizes())
	sz, err := s.Sizes().Choose(func(size string) bool { return size != "Standard_D4s_v5" })
	fmt.Println(sz, err)
	// Output:
	// Standard_D4s_v5 (backup Standard_D4as_v5)
	// Standard_D4as_v5 <nil>
}

func ExampleState() {
	// A catalog's life: provisioned, machines added, deleted.
	s := catalog.PreDeployment
	for _, t := range []catalog.State{catalog.Processing, catalog.Active, catalog.Processing, catalog.Active, catalog.Deleting} {
		s, _ = s.MoveTo(t)
		fmt.Print(s, " ")
	}
	fmt.Println()
	// Output:
	// Processing Active Processing Active Deleting
}

func ExampleStates() {
	fmt.Println(catalog.States())
	// Output:
	// [PreDeployment Active Processing InputRequired Error Deleting]
}

func ExampleState_CanMoveTo() {
	fmt.Println(catalog.Processing.CanMoveTo(catalog.InputRequired), catalog.Deleting.CanMoveTo(catalog.Active))
	// Output:
	// true false
}

func ExampleState_IsValid() {
	fmt.Println(catalog.Error.IsValid(), catalog.State(99).IsValid())
	// Output:
	// true false
}

func ExampleState_Next() {
	for _, s := range []catalog.State{catalog.Processing, catalog.Deleting} {
		fmt.Println(s, "→", s.Next())
	}
	// Output:
	// Processing → [Active InputRequired Error]
	// Deleting → [Error]
}

func ExampleStatus_Busy() {
	s := catalog.Status{Name: "Sales", State: catalog.Active}
	fmt.Println(s.Busy())
	s, _ = s.Begin(catalog.AddMachines)
	fmt.Println(s.Busy(), s.State, s.Op)
	// Output:
	// false
	// true Processing adding machines
}

func ExampleStatus_Finish() {
	s := catalog.Status{Name: "Sales", State: catalog.Active}
	s, _ = s.Begin(catalog.UpdateImage)
	failed, _ := s.Finish(false)
	fmt.Println(failed.State, failed.Busy())
	done, _ := s.Finish(true)
	fmt.Println(done.State, done.Busy())
	_, err := done.Finish(true)
	fmt.Println(err)
	// Output:
	// Error false
	// Active false
	// API-1: catalog "Sales" in state Active has no running operation to finish
}

func ExampleStatus_NeedInput() {
	s := catalog.Status{Name: "Sales", State: catalog.Active}
	s, _ = s.Begin(catalog.AddMachines)
	s, err := s.NeedInput() // e.g. the domain password expired
	fmt.Println(s.State, s.Op, s.Busy(), err)
	// Output:
	// InputRequired adding machines true <nil>
}

func ExampleStatus_Resume() {
	s := catalog.Status{Name: "Sales", State: catalog.Active}
	s, _ = s.Begin(catalog.AddMachines)
	s, _ = s.NeedInput()
	s, err := s.Resume()
	fmt.Println(s.State, s.Op, err)
	// Output:
	// Processing adding machines <nil>
}

func ExampleSummary() {
	ms := []catalog.Machine{
		exRunning("PC-01", quota.MultiSessionMachine, 8),
		exRunning("PC-02", quota.MultiSessionMachine, 8),
		catalog.NewMachine("PC-03", quota.MultiSessionMachine, 8),
	}
	ms[0], _ = ms[0].Apply(catalog.SessionStart)
	ms[1], _ = ms[1].Apply(catalog.Unregister)
	s := catalog.Summarize(ms)
	fmt.Println(s)
	fmt.Println(s.PoweredOn, s.Sessions, s.Unregistered)
	// Output:
	// 3 machines: 2 powered on, 0 suspended, 1 powered off; 0 support hibernation, 1 active sessions, 1 unregistered
	// 2 1 1
}

func ExampleTimeOfDay() {
	start, end := catalog.MustParseTimeOfDay("8:30"), catalog.MustParseTimeOfDay("17:45")
	fmt.Println(start, end, start.Before(end), end.Minutes()-start.Minutes())
	// Output:
	// 08:30 17:45 true 555
}

func ExampleMustParseTimeOfDay() {
	t := catalog.MustParseTimeOfDay("23:05")
	fmt.Println(t.Hour, t.Minute, t)
	// Output:
	// 23 5 23:05
}

func ExampleTimeOfDay_Before() {
	a := catalog.Autoscale{Custom: true, PeakDays: catalog.WorkingDays,
		PeakStart: catalog.MustParseTimeOfDay("18:00"), PeakEnd: catalog.MustParseTimeOfDay("08:00"),
		DisconnectTimeout: 15 * time.Minute, PowerOffDelay: 30 * time.Minute, OffPolicy: catalog.ShutDown}
	fmt.Println(a.PeakStart.Before(a.PeakEnd))
	fmt.Println(a.Validate())
	// Output:
	// false
	// CAT-4: peak hours 18:00–08:00 do not start before they end; want a start earlier on the same day than the end
}

func ExampleTimeOfDay_IsValid() {
	fmt.Println(catalog.TimeOfDay{}.IsValid(), catalog.TimeOfDay{Hour: 23, Minute: 59}.IsValid(), catalog.TimeOfDay{Hour: 24}.IsValid())
	// Output:
	// true true false
}

func ExampleTimeOfDay_Minutes() {
	fmt.Println(catalog.MustParseTimeOfDay("00:00").Minutes(), catalog.MustParseTimeOfDay("08:30").Minutes())
	// Output:
	// 0 510
}

func ExampleUpdatePlan() {
	// A random catalog updated immediately, restarts spread over an hour.
	var ms []catalog.Machine
	for _, name := range []string{"PC-01", "PC-02", "PC-03"} {
		m := catalog.NewMachine(name, quota.Random, 1)
		m.Image = "Gold 1"
		ms = append(ms, m)
	}
	t0 := time.Date(2026, 3, 1, 22, 0, 0, 0, time.UTC)
	plan, err := catalog.PlanImageUpdate(quota.Random, ms, catalog.UpdateRequest{
		Image: "Gold 2", Timing: catalog.Immediately, Distribution: time.Hour, Start: t0})
	fmt.Println(plan.Image, plan.Timing, err)
	for _, s := range plan.Steps {
		fmt.Println(s.Machine, s.From, "→", plan.Image, "at", s.At.Format("15:04"))
	}
	// Output:
	// Gold 2 immediately <nil>
	// PC-01 Gold 1 → Gold 2 at 22:00
	// PC-02 Gold 1 → Gold 2 at 22:20
	// PC-03 Gold 1 → Gold 2 at 22:40
}

func ExampleWeekdays() {
	w := catalog.WeekdaysOf(time.Saturday, time.Sunday)
	fmt.Println(w, catalog.WorkingDays, w|catalog.WorkingDays)
	// Output:
	// Sun,Sat Mon,Tue,Wed,Thu,Fri Sun,Mon,Tue,Wed,Thu,Fri,Sat
}

func ExampleWeekdays_Days() {
	fmt.Println(catalog.WorkingDays.Days())
	// Output:
	// [Monday Tuesday Wednesday Thursday Friday]
}

func ExampleWeekdays_Has() {
	fmt.Println(catalog.WorkingDays.Has(time.Friday), catalog.WorkingDays.Has(time.Sunday))
	// Output:
	// true false
}

func ExampleWorkSchedule_Validate() {
	fmt.Println(catalog.WorkSchedule{TimeZone: "Europe/Berlin"}.Validate())
	fmt.Println(catalog.WorkSchedule{TimeZone: "Local", Autoscale: catalog.Autoscale{Custom: true}}.Validate())
	// Output:
	// <nil>
	// CAT-4: time zone "Local" is the server's own; choose the users' time zone by its IANA name, such as Europe/Berlin
	// CAT-4: custom autoscale has no peak days; choose at least one day, such as Monday to Friday
	// CAT-4: peak hours 00:00–00:00 do not start before they end; want a start earlier on the same day than the end
	// CAT-4: disconnect timeout 0s is not whole minutes from 1m0s to 24h0m0s
	// CAT-4: power-off delay 0s is not whole minutes from 1m0s to 24h0m0s
	// CAT-4: power policy PowerAction(0) is not one of: shut down, hibernate
}

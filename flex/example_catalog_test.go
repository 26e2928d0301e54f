package flex_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// exampleCatalogs returns a tenant on an in-memory cloud with the
// subscription "Citrix Managed" and a VNet peering connection "hub" in
// westeurope, and a clock at Monday 11 May 2026, 09:00 UTC.
func exampleCatalogs() (*flex.Tenant, *fake.Cloud, *fake.Clock) {
	ctx := context.Background()
	clock := fake.NewClock(time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC))
	cloud := fake.New(fake.WithClock(clock))
	// One worker: machines are made in name order and get their addresses
	// in that order, so the examples print the same addresses every run.
	t := flex.NewTenant(cloud.Scope("contoso"), flex.WithID("contoso"), flex.WithClock(clock.Now), flex.WithWorkers(1))
	if _, err := t.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Citrix Managed", AzureID: "22222222-2222-2222-2222-222222222222"}); err != nil {
		panic(err)
	}
	const customer = "11111111-1111-1111-1111-111111111111"
	_, _ = cloud.Put(ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(customer, "corp"), Region: network.WestEurope}})
	_, _ = cloud.Put(ctx, &flex.VirtualNetwork{
		Meta:         flex.Meta{ID: flex.ResourceID{Subscription: customer, ResourceGroup: "corp", Type: flex.TypeVirtualNetwork, Name: "corp-vnet"}, Region: network.WestEurope},
		AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
	})
	_, err := t.CreateConnection(ctx, "Citrix Managed", network.PeeringSpec{
		Name: "hub", Region: network.WestEurope,
		RemoteVNet: network.ResourceID{Subscription: customer, ResourceGroup: "corp", Type: "virtualNetworks", Name: "corp-vnet"},
		Range:      netip.MustParsePrefix("192.168.0.0/22"),
		DNS:        []netip.Addr{netip.MustParseAddr("10.0.0.4")},
	})
	if err != nil {
		panic(err)
	}
	return t, cloud, clock
}

// exampleDesktops is a static catalog of Windows 11 desktops for three
// users, joined to corp.example.com, on connection "hub".
func exampleDesktops() flex.CatalogSpec {
	p, _ := quota.PersonaByName(quota.KnowledgeWorker)
	return flex.CatalogSpec{Spec: catalog.Spec{
		Name: "Sales", Persona: p, MachineType: quota.Static,
		Users:        []string{"ann@corp.example.com", "bob@corp.example.com", "cid@corp.example.com"},
		Subscription: "Citrix Managed", Connection: "hub",
		Domain: image.ActiveDirectory,
		AD: image.ADConfig{Domain: "corp.example.com", ServiceAccount: `CORP\svc-flex`,
			Password: secret.New("Zq8!vT3#pL0-sekrit")},
		NamingScheme: "PC-Sales-##", ResourceLocation: "West",
		Connectivity: catalog.GatewayService,
		Licenses:     []image.License{image.Microsoft365E3},
		Schedule:     catalog.WorkSchedule{TimeZone: "Europe/Berlin"},
	}, Image: "Windows 11 Pro (single-session)"}
}

// exampleApps is a multi-session catalog with No connectivity for 20 users.
func exampleApps() flex.CatalogSpec {
	p, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	users := make([]string, 20)
	for i := range users {
		users[i] = fmt.Sprintf("user%d@corp.example.com", i+1)
	}
	return flex.CatalogSpec{Spec: catalog.Spec{
		Name: "Apps", Persona: p, MachineType: quota.MultiSessionMachine, Users: users,
		Subscription: "Citrix Managed", Region: network.NorthEurope, Domain: image.NonDomainJoined,
		NamingScheme: "APP-###", Connectivity: catalog.GatewayService,
		Schedule: catalog.WorkSchedule{TimeZone: "Europe/Dublin"},
	}, Image: "Windows Server 2022 (multi-session)"}
}

func ExampleTenant_CreateCatalog() {
	t, cloud, _ := exampleCatalogs()
	c, err := t.CreateCatalog(context.Background(), exampleDesktops())
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Name, c.State, c.Region, c.ResourceLocation)
	fmt.Println(c.Summary)
	for _, r := range cloud.Resources(flex.Filter{Type: flex.TypeVirtualMachine}) {
		vm := r.(*flex.VirtualMachine)
		fmt.Println(vm.ID.Name, "zone", vm.Zone, vm.Size, vm.Tags[flex.TagOwner])
	}

	// Every problem of a spec at once, each naming its rule.
	bad := exampleDesktops()
	bad.Name, bad.NamingScheme, bad.Users = "x", "MachineSalesTeam-##", nil
	_, err = t.CreateCatalog(context.Background(), bad)
	fmt.Println(errors.Is(err, flex.ErrInvalid), rule.IDs(err))
	// Output:
	// Sales Active westeurope West
	// 3 machines: 3 powered on, 0 suspended, 0 powered off; 0 support hibernation, 0 active sessions, 0 unregistered
	// PC-Sales-01 zone 1 Standard_D2s_v5 catalog/Sales
	// PC-Sales-02 zone 2 Standard_D2s_v5 catalog/Sales
	// PC-Sales-03 zone 3 Standard_D2s_v5 catalog/Sales
	// WESTXCC-01 zone 1 Standard_D2s_v5 location/West
	// WESTXCC-02 zone 2 Standard_D2s_v5 location/West
	// true [CAT-2 CAT-5 NAM-2]
}

func ExampleTenant_AddMachines() {
	t, _, _ := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleDesktops()); err != nil {
		panic(err)
	}
	// A domain-joined catalog needs the service account again (CAT-6).
	_, err := t.AddMachines(ctx, "Sales", catalog.AddMachinesRequest{Users: 2})
	fmt.Println(rule.IDs(err))
	c, err := t.AddMachines(ctx, "Sales", catalog.AddMachinesRequest{Users: 2,
		ServiceAccount: `CORP\svc-flex`, Password: secret.New("Zq8!vT3#pL0-sekrit")})
	fmt.Println(c.Summary.Total, "machines", err)
	subs, _ := t.Subscriptions(ctx)
	fmt.Println(subs[0].VDAs, "VDAs in", subs[0].Name)
	// Output:
	// [CAT-6]
	// 5 machines <nil>
	// 5 VDAs in Citrix Managed
}

func ExampleTenant_DeleteCatalog() {
	t, cloud, _ := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleDesktops()); err != nil {
		panic(err)
	}
	err := t.DeleteCatalog(ctx, "Sales", catalog.DeleteAck{Catalog: "Sales"})
	fmt.Println(rule.IDs(err))
	err = t.DeleteCatalog(ctx, "Sales", catalog.DeleteAck{Catalog: "Sales", MachinesDestroyed: true, Irreversible: true})
	fmt.Println(err)
	// The last catalog of its resource location takes the location and its
	// connectors with it.
	fmt.Println(len(cloud.Resources(flex.Filter{Type: flex.TypeVirtualMachine})), "VMs left")
	ls, _ := t.ResourceLocations(ctx)
	fmt.Println(len(ls), "resource locations")
	// Output:
	// [CAT-12]
	// <nil>
	// 0 VMs left
	// 0 resource locations
}

func ExampleTenant_Catalogs() {
	t, cloud, _ := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleApps()); err != nil {
		panic(err)
	}
	vm := cloud.Resources(flex.Filter{Type: flex.TypeVirtualMachine})[0].Metadata().ID
	_ = cloud.StartSession(vm, "user1@corp.example.com")
	_ = cloud.StartSession(vm, "user2@corp.example.com")
	cs, _ := t.Catalogs(ctx)
	for _, c := range cs {
		fmt.Println(c.Name, c.MachineType, c.Summary)
	}
	// Output:
	// Apps multi-session 3 machines: 3 powered on, 0 suspended, 0 powered off; 0 support hibernation, 2 active sessions, 0 unregistered
}

func ExampleTenant_Machines() {
	t, _, _ := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleDesktops()); err != nil {
		panic(err)
	}
	ms, _ := t.Machines(ctx, "Sales")
	for _, m := range ms {
		fmt.Println(m.Name, m.Assigned, "zone", m.Zone, m.State)
	}
	// Output:
	// PC-Sales-01 ann@corp.example.com zone 1 running, registered, 0 of 1 sessions
	// PC-Sales-02 bob@corp.example.com zone 2 running, registered, 0 of 1 sessions
	// PC-Sales-03 cid@corp.example.com zone 3 running, registered, 0 of 1 sessions
}

func ExampleTenant_MachineAction() {
	t, _, _ := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleApps()); err != nil {
		panic(err)
	}
	m, err := t.MachineAction(ctx, "Apps", "APP-001", catalog.Shutdown)
	fmt.Println(m.Power, err)
	_, err = t.MachineAction(ctx, "Apps", "APP-001", catalog.Shutdown)
	fmt.Println(errors.Is(err, flex.ErrPrecondition), rule.IDs(err))
	m, _ = t.MachineAction(ctx, "Apps", "APP-001", catalog.Start)
	fmt.Println(m.Power, m.Allowed)
	// Output:
	// deallocated <nil>
	// true [CAT-8]
	// running [shutdown restart maintenance on delete]
}

func ExampleTenant_AddUsers() {
	t, _, _ := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleDesktops()); err != nil {
		panic(err)
	}
	c, _ := t.AddUsers(ctx, "Sales",
		catalog.Principal{Directory: "corp.example.com", Kind: catalog.Group, ID: `CORP\Sales`},
		catalog.Principal{Directory: "corp.example.com", Kind: catalog.User, ID: "dan@corp.example.com"})
	fmt.Println(len(c.Principals), "members")
	for _, w := range c.Warnings {
		fmt.Println(w)
	}
	c, _ = t.RemoveUsers(ctx, "Sales", catalog.Principal{Directory: "corp.example.com", Kind: catalog.Group, ID: `CORP\Sales`})
	fmt.Println(len(c.Principals), "members")
	// Output:
	// 5 members
	// CAT-2: catalog "Sales" has 3 single-session machines for 4 users; add machines for 1 more users (AddMachines)
	// 4 members
}

func ExampleTenant_AddApp() {
	t, _, _ := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleApps()); err != nil {
		panic(err)
	}
	player := catalog.App{Name: "Media Player", Source: catalog.ByPath,
		Path: `C:\Program Files\Windows Media Player\mplayer1.exe`, FileTypes: true}
	c, _ := t.AddApp(ctx, "Apps", player)
	fmt.Println(c.Apps[0].CommandLine())
	player.Description = "plays media"
	c, _ = t.UpdateApp(ctx, "Apps", "Media Player", player)
	fmt.Println(c.Apps[0].Description)
	c, _ = t.RemoveApp(ctx, "Apps", "media player")
	fmt.Println(len(c.Apps), "apps")
	// Output:
	// "C:\Program Files\Windows Media Player\mplayer1.exe" "%*"
	// plays media
	// 0 apps
}

func ExampleTenant_UpdateCatalogImage() {
	t, _, clock := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleApps()); err != nil {
		panic(err)
	}
	plan, _ := t.UpdateCatalogImage(ctx, "Apps", flex.CatalogImageUpdate{
		Image: "Windows Server 2025 (multi-session)", Timing: catalog.Immediately, Distribution: 30 * time.Minute})
	for _, s := range plan.Steps {
		fmt.Println(s.Machine, s.At.Format("15:04"))
	}
	clock.Advance(30 * time.Minute)
	r, _ := t.RunDue(ctx)
	fmt.Println(r.Ran)
	// Output:
	// APP-001 09:00
	// APP-002 09:10
	// APP-003 09:20
	// [moved 2 machine(s) of catalog "Apps" to their new image]
}

func ExampleTenant_TakeSnapshot() {
	t, _, _ := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleDesktops()); err != nil {
		panic(err)
	}
	s, err := t.TakeSnapshot(ctx, "Sales", "PC-Sales-01", "before_patch")
	fmt.Println(s.Name, s.Kind, s.Machine, err)
	_, err = t.TakeSnapshot(ctx, "Sales", "PC-Sales-01", "before patch")
	fmt.Println(rule.IDs(err))
	m, err := t.RestoreSnapshot(ctx, "Sales", "PC-Sales-01", "before_patch")
	fmt.Println(m.Restore, m.Power, err)
	ss, _ := t.Snapshots(ctx, "Sales", "PC-Sales-01")
	fmt.Println(len(ss), "snapshot")
	fmt.Println(t.DeleteSnapshots(ctx, "Sales", "PC-Sales-01", "before_patch"))
	// Output:
	// before_patch Anytime PC-Sales-01 <nil>
	// [API-5]
	// Completed deallocated <nil>
	// 1 snapshot
	// <nil>
}

func ExampleTenant_ScheduleSnapshots() {
	t, _, clock := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleDesktops()); err != nil {
		panic(err)
	}
	// Daily at 02:00 in the catalog's time zone, Europe/Berlin.
	_, err := t.ScheduleSnapshots(ctx, "Sales", catalog.Schedules{
		Daily: catalog.Schedule{Kind: catalog.Daily, At: catalog.MustParseTimeOfDay("02:00")}})
	fmt.Println(err)
	clock.Set(time.Date(2026, 5, 12, 0, 0, 0, 0, time.UTC)) // 02:00 in Berlin
	r, _ := t.RunDue(ctx)
	for _, s := range r.Ran {
		fmt.Println(s)
	}
	// Output:
	// <nil>
	// snapshot Daily_20260512T0000Z of machine "PC-Sales-01" of catalog "Sales"
	// snapshot Daily_20260512T0000Z of machine "PC-Sales-02" of catalog "Sales"
	// snapshot Daily_20260512T0000Z of machine "PC-Sales-03" of catalog "Sales"
}

func ExampleTenant_ResourceLocations() {
	t, _, _ := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleDesktops()); err != nil {
		panic(err)
	}
	if _, err := t.CreateCatalog(ctx, exampleApps()); err != nil {
		panic(err)
	}
	ls, _ := t.ResourceLocations(ctx)
	for _, l := range ls {
		fmt.Println(l.Name, l.Region, l.Domains, l.Catalogs, len(l.Connectors), "connectors")
	}
	// Output:
	// northeurope northeurope [] [Apps] 0 connectors
	// West westeurope [corp.example.com] [Sales] 2 connectors
}

func ExampleTenant_AddConnectors() {
	t, _, _ := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleDesktops()); err != nil {
		panic(err)
	}
	l, err := t.AddConnectors(ctx, "West", flex.ConnectorRequest{Count: 1,
		ServiceAccount: `CORP\svc-flex`, Password: secret.New("Zq8!vT3#pL0-sekrit"),
		Proxy: &flex.Proxy{Host: "proxy.corp.example.com", Port: 8080}})
	fmt.Println(len(l.Connectors), "connectors", err)
	fmt.Println(l.Warnings[0].ID)
	// Deleting is refused when fewer than two available would remain (RL-3).
	fmt.Println(t.DeleteConnector(ctx, "West", "WESTXCC-01"))
	err = t.DeleteConnector(ctx, "West", "WESTXCC-02")
	fmt.Println(errors.Is(err, flex.ErrPrecondition))
	// Output:
	// 3 connectors <nil>
	// RL-2
	// <nil>
	// true
}

func ExampleTenant_RunHealthCheck() {
	t, cloud, _ := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleDesktops()); err != nil {
		panic(err)
	}
	l, _ := t.RestartConnector(ctx, "West", "WESTXCC-01")
	fmt.Println(l.Connectors[0].Name, l.Connectors[0].State)
	vm := flex.ResourceID{Subscription: "22222222-2222-2222-2222-222222222222", ResourceGroup: "flex-contoso-location-West",
		Type: flex.TypeVirtualMachine, Name: "WESTXCC-02"}
	_ = cloud.SetPowerState(vm, flex.PowerStopped)
	l, _ = t.RunHealthCheck(ctx, "West")
	for _, c := range l.Connectors {
		fmt.Println(c.Name, c.State, c.Health)
	}
	l, _ = t.RenameResourceLocation(ctx, "West", "West Europe")
	l, _ = t.SetLocationConnectivity(ctx, l.Name, flex.InternalConnectivity)
	fmt.Println(l.Name, l.Connectivity)
	// Output:
	// WESTXCC-01 Connected
	// WESTXCC-01 Connected OK
	// WESTXCC-02 Disconnected Unknown
	// West Europe internal only
}

func ExampleTenant_PublishConnectorUpdate() {
	t, _, clock := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleDesktops()); err != nil {
		panic(err)
	}
	_, _ = t.ScheduleConnectorUpdates(ctx, "West", flex.ConnectorUpdates{At: catalog.MustParseTimeOfDay("22:00"), TimeZone: "Europe/Berlin"})
	_ = t.PublishConnectorUpdate(ctx, "2")
	r, _ := t.RunDue(ctx)
	fmt.Println(len(r.Ran), "run at 11:00 in Berlin")
	clock.Advance(11 * time.Hour)
	r, _ = t.RunDue(ctx)
	fmt.Println(r.Ran)
	// Output:
	// 0 run at 11:00 in Berlin
	// [updated 2 connector(s) of resource location "West" to version 2, one at a time]
}

package flex_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The journey's tenant, subscription, customer network and secrets.
const (
	journeyTenant   = "contoso"
	journeySub      = "Citrix Managed"
	journeySubAzure = "22222222-2222-2222-2222-222222222222"
	journeyCustomer = "11111111-1111-1111-1111-111111111111" // the customer's own Azure subscription
	journeyConn     = "hub-peering"
	journeyImage    = "Office-2026"
	journeyADPass   = "Zq8!vT3#pL0-sekrit" // the AD service account's
	journeyBuildPw  = "Gr33n-Valley!Stone" // the build machine's logon
	journeyBastPw   = "Bastion!Passw0rd-1" // the bastion's logon

	// journeyUntagged is the inventory's key for the customer's own
	// resources, which carry no Flex tags.
	journeyUntagged = "customer (untagged)"
)

// journeyCmp compares addresses and prefixes by value.
var journeyCmp = cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{})

// journeyCensus is what the cloud holds for one owner: its resources by
// type, and its subnets — those whose NSG it owns, or, without an NSG, in
// a VNet it owns.
type journeyCensus struct {
	Groups, VNets, Subnets, NSGs, RouteTables, Peerings, VMs, Disks, Snapshots, Images int
	// Other counts resources of any other type.
	Other map[flex.ResourceType]int
}

// journeyInventory lists the whole cloud — every subscription and tenant,
// tagged or not — by the Flex object that owns each resource (TagOwner),
// the customer's untagged resources under journeyUntagged.
func journeyInventory(t *testing.T, cloud *fake.Cloud) map[string]journeyCensus {
	t.Helper()
	all := cloud.Resources(flex.Filter{})
	owner := func(r flex.Resource) string {
		tags := r.Metadata().Tags
		switch tags[flex.TagTenant] {
		case "":
			return journeyUntagged
		case journeyTenant:
			return tags[flex.TagOwner]
		}
		t.Errorf("%s belongs to tenant %q", r.Metadata().ID, tags[flex.TagTenant])
		return tags[flex.TagOwner]
	}
	inv := map[string]journeyCensus{}
	nsgOwner := map[string]string{}
	for _, r := range all {
		id, o := r.Metadata().ID, owner(r)
		c := inv[o]
		switch id.Type {
		case flex.TypeResourceGroup:
			c.Groups++
		case flex.TypeVirtualNetwork:
			c.VNets++
		case flex.TypeSecurityGroup:
			c.NSGs++
			nsgOwner[strings.ToLower(id.String())] = o
		case flex.TypeRouteTable:
			c.RouteTables++
		case flex.TypePeering:
			c.Peerings++
		case flex.TypeVirtualMachine:
			c.VMs++
		case flex.TypeDisk:
			c.Disks++
		case flex.TypeSnapshot:
			c.Snapshots++
		case flex.TypeImage:
			c.Images++
		default:
			if c.Other == nil {
				c.Other = map[flex.ResourceType]int{}
			}
			c.Other[id.Type]++
		}
		inv[o] = c
	}
	for _, r := range all {
		vn, ok := r.(*flex.VirtualNetwork)
		if !ok {
			continue
		}
		for _, s := range vn.Subnets {
			o := owner(vn)
			if !s.SecurityGroup.IsZero() {
				o, ok = nsgOwner[strings.ToLower(s.SecurityGroup.String())]
				if !ok {
					t.Errorf("subnet %s of %s has the missing NSG %s", s.Name, vn.ID, s.SecurityGroup)
				}
			}
			c := inv[o]
			c.Subnets++
			inv[o] = c
		}
	}
	return inv
}

// journeyVMs returns the VMs owned by owner, by name.
func journeyVMs(cloud *fake.Cloud, owner string) []*flex.VirtualMachine {
	var out []*flex.VirtualMachine
	for _, r := range cloud.Resources(flex.Filter{Type: flex.TypeVirtualMachine, Tags: map[string]string{flex.TagTenant: journeyTenant, flex.TagOwner: owner}}) {
		out = append(out, r.(*flex.VirtualMachine))
	}
	return out
}

// journeyOne returns the one resource of type typ owned by owner.
func journeyOne[T flex.Resource](t *testing.T, cloud *fake.Cloud, owner string, typ flex.ResourceType) T {
	t.Helper()
	rs := cloud.Resources(flex.Filter{Type: typ, Tags: map[string]string{flex.TagTenant: journeyTenant, flex.TagOwner: owner}})
	if len(rs) != 1 {
		t.Fatalf("%s owns %d resources of type %s, want 1", owner, len(rs), typ)
	}
	return rs[0].(T)
}

// journeyRDP is one RDP flow the firewall must allow or deny.
type journeyRDP struct {
	Name     string
	Src, Dst netip.Addr
	Allowed  bool
}

// journeyFlows decides each flow's RDP (TCP 3389) with the NSGs in place
// and returns the flows with Allowed as the cloud decided.
func journeyFlows(t *testing.T, cloud *fake.Cloud, flows []journeyRDP) []journeyRDP {
	t.Helper()
	out := make([]journeyRDP, len(flows))
	for i, f := range flows {
		d, err := cloud.Allowed(f.Src, f.Dst, network.TCP, 3389)
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
		}
		f.Allowed = d.Allowed()
		out[i] = f
	}
	return out
}

// journeyNoSecrets fails when any of the journey's passwords shows in v
// printed in every way the fmt verbs allow (SEC-1).
func journeyNoSecrets(t *testing.T, what string, v any) {
	t.Helper()
	for _, s := range []string{fmt.Sprint(v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v)} {
		for _, pw := range []string{journeyADPass, journeyBuildPw, journeyBastPw} {
			if strings.Contains(s, pw) {
				t.Errorf("SEC-1: %s shows a password", what)
			}
		}
	}
}

// TestJourney walks the documentation's admin journey on the in-memory
// cloud with a manual clock: add a subscription, peer a customer VNet with
// a custom route, build and finish an image, create a domain-joined Task
// worker catalog, give it users and an app, add machines, move it to the
// new image, take scheduled and manual snapshots of a static catalog and
// restore one, troubleshoot through a bastion, and delete everything. After
// every step the whole cloud must hold exactly what the step leaves, owner
// by owner, and at the end nothing of the tenant but the subscription's
// resource group (SUB-4 keeps the last subscription).
func TestJourney(t *testing.T) {
	ctx := t.Context()
	clock := fake.NewClock(time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC)) // a Monday
	cloud := fake.New(fake.WithClock(clock))
	tn := flex.NewTenant(cloud.Scope(journeyTenant), flex.WithID(journeyTenant), flex.WithClock(clock.Now),
		flex.WithRandom(bytes.NewReader(bytes.Repeat([]byte{7, 42, 99, 3}, 1024))))

	// want is what the cloud must hold after the current step, by owner.
	want := map[string]journeyCensus{}
	step := func(name string, do func(t *testing.T)) {
		t.Helper()
		ok := t.Run(name, func(t *testing.T) {
			do(t)
			if diff := cmp.Diff(want, journeyInventory(t, cloud), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("the cloud after %q (-want +got):\n%s", name, diff)
			}
		})
		if !ok {
			t.FailNow() // every later step builds on this one
		}
	}

	ad := image.ADConfig{Domain: "corp.example.com", OU: "OU=VDAs,DC=corp,DC=example,DC=com",
		ServiceAccount: `CORP\svc-flex`, Password: secret.New(journeyADPass)}
	admin := netip.MustParseAddr("10.0.0.5")      // a customer administrator's workstation
	outsider := netip.MustParseAddr("10.0.0.100") // a customer address outside the admins' range
	var (
		imageID     flex.ResourceID // the managed image of Office-2026
		sales, dev  []*flex.VirtualMachine
		connectors  []*flex.VirtualMachine
		bastion     flex.Bastion
		rulesBefore []network.SecurityRule // the Sales NSG's rules before the bastion
	)

	step("add a subscription", func(t *testing.T) {
		s, err := tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: journeySub, AzureID: journeySubAzure})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(flex.Subscription{Name: journeySub, AzureID: journeySubAzure}, s); diff != "" {
			t.Errorf("subscription (-want +got):\n%s", diff)
		}
		want["subscription/"+journeySub] = journeyCensus{Groups: 1}
	})

	step("create a VNet peering connection with a custom route", func(t *testing.T) {
		// The customer's hub VNet exists first, untagged: it is theirs.
		rg := flex.GroupID(journeyCustomer, "corp")
		if _, err := cloud.Put(ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: rg, Region: network.WestEurope}}); err != nil {
			t.Fatal(err)
		}
		if _, err := cloud.Put(ctx, &flex.VirtualNetwork{
			Meta:         flex.Meta{ID: flex.ResourceID{Subscription: journeyCustomer, ResourceGroup: "corp", Type: flex.TypeVirtualNetwork, Name: "hub-vnet"}, Region: network.WestEurope},
			AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
			Subnets:      []flex.Subnet{{Name: "admins", Prefix: netip.MustParsePrefix("10.0.0.0/24")}},
		}); err != nil {
			t.Fatal(err)
		}
		want[journeyUntagged] = journeyCensus{Groups: 1, VNets: 1, Subnets: 1}

		c, err := tn.CreateConnection(ctx, journeySub, network.PeeringSpec{
			Name: journeyConn, Region: network.WestEurope,
			RemoteVNet: network.ResourceID{Subscription: journeyCustomer, ResourceGroup: "corp", Type: "virtualNetworks", Name: "hub-vnet"},
			Range:      netip.MustParsePrefix("192.168.0.0/21"),
			DNS:        []netip.Addr{netip.MustParseAddr("10.0.0.4")},
			Routes:     []network.Route{network.MustParseRoute("to-firewall,10.20.0.0/16,VirtualAppliance,10.0.0.10")},
		})
		if err != nil {
			t.Fatal(err)
		}
		// RULE NET-14: a /21 gives 2,043 addresses for machines.
		if c.Status.State != network.StateComplete || c.UsableAddresses != 2043 ||
			!cmp.Equal(c.Ranges, []netip.Prefix{netip.MustParsePrefix("192.168.0.0/21")}, journeyCmp) {
			t.Errorf("connection: %v, ranges %v, %d usable addresses", c, c.Ranges, c.UsableAddresses)
		}
		// RULE NET-6: the custom route is in the cloud's route table.
		rt := journeyOne[*flex.RouteTable](t, cloud, "connection/"+journeyConn, flex.TypeRouteTable)
		wantRoutes := []flex.Route{{Name: "to-firewall", Prefix: netip.MustParsePrefix("10.20.0.0/16"), NextHop: "VirtualAppliance", NextHopIP: netip.MustParseAddr("10.0.0.10")}}
		if diff := cmp.Diff(wantRoutes, rt.Routes, journeyCmp); diff != "" {
			t.Errorf("routes (-want +got):\n%s", diff)
		}
		// RULE NET-7: peered both ways, the customer's side included.
		for _, r := range cloud.Resources(flex.Filter{Type: flex.TypePeering}) {
			if !r.(*flex.Peering).Connected {
				t.Errorf("peering %s is not connected", r.Metadata().ID)
			}
		}
		want["connection/"+journeyConn] = journeyCensus{Groups: 1, VNets: 1, RouteTables: 1, Peerings: 2}
	})

	step("build an image and finish it", func(t *testing.T) {
		base, _ := image.LookupPrepared("Windows Server 2022 (multi-session)")
		d, err := tn.BuildImage(ctx, image.BuildSpec{
			Name: journeyImage, Base: base, Subscription: journeySub, Connection: journeyConn,
			Domain: image.ActiveDirectory, AD: ad,
			Username: "imgadmin", Password: secret.New(journeyBuildPw), Size: "Standard_D4s_v5",
			AllowedIPs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/28")},
			Notes:      "Office and line-of-business apps",
		})
		if err != nil {
			t.Fatal(err)
		}
		// RULE IMG-3: the build machine waits for apps and updates.
		if d.State != image.BuilderActive || d.Builder.Power != flex.PowerRunning {
			t.Errorf("while building: %v, builder %+v", d, d.Builder)
		}
		want["image/"+journeyImage] = journeyCensus{Groups: 1, Subnets: 1, NSGs: 1, VMs: 1, Disks: 1}
		if diff := cmp.Diff(want, journeyInventory(t, cloud), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("the cloud while building (-want +got):\n%s", diff)
		}
		// RULE FW-4: RDP from the admins' range to the build machine only.
		got := journeyFlows(t, cloud, []journeyRDP{
			{Name: "admin to builder", Src: admin, Dst: d.Builder.Address, Allowed: true},
			{Name: "outsider to builder", Src: outsider, Dst: d.Builder.Address},
		})
		if diff := cmp.Diff([]journeyRDP{
			{Name: "admin to builder", Src: admin, Dst: d.Builder.Address, Allowed: true},
			{Name: "outsider to builder", Src: outsider, Dst: d.Builder.Address},
		}, got, journeyCmp); diff != "" {
			t.Errorf("RDP to the builder (-want +got):\n%s", diff)
		}

		d, err = tn.FinishImageBuild(ctx, journeySub, journeyImage)
		if err != nil {
			t.Fatal(err)
		}
		if d.State != image.Ready || d.Builder != (flex.Builder{}) {
			t.Errorf("finished: %v, builder %+v", d, d.Builder)
		}
		img := journeyOne[*flex.Image](t, cloud, "image/"+journeyImage, flex.TypeImage)
		imageID = img.ID
		if img.OS != image.WindowsServer2022 || img.Generation != image.Gen2 {
			t.Errorf("captured image: %s %s", img.OS, img.Generation)
		}
		// The build machine, its disk, subnet and firewall went; the image stays.
		want["image/"+journeyImage] = journeyCensus{Groups: 1, Images: 1}
	})

	taskWorker, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	salesUsers := make([]string, 20)
	for i := range salesUsers {
		salesUsers[i] = fmt.Sprintf("user%02d@corp.example.com", i+1)
	}
	step("create a domain-joined Task worker catalog", func(t *testing.T) {
		c, err := tn.CreateCatalog(ctx, flex.CatalogSpec{Spec: catalog.Spec{
			Name: "Sales", Persona: taskWorker, MachineType: quota.MultiSessionMachine, Users: salesUsers,
			Subscription: journeySub, Connection: journeyConn, Domain: image.ActiveDirectory, AD: ad,
			NamingScheme: "SALES-###", ResourceLocation: "West", Connectivity: catalog.GatewayService,
			Schedule: catalog.WorkSchedule{TimeZone: "Europe/Berlin"},
		}, Image: "Windows Server 2022 (multi-session)"})
		if err != nil {
			t.Fatal(err)
		}
		// RULE CAT-2: ⌈20 users ÷ 8 per machine⌉ = 3 machines.
		if c.State != catalog.Active || c.Summary.Total != 3 || c.Summary.PoweredOn != 3 || c.Region != network.WestEurope {
			t.Errorf("catalog: %s in %s, %v", c.State, c.Region, c.Summary)
		}
		journeyNoSecrets(t, "the catalog", c)
		// RULE NET-6: the custom routes apply to the machines' subnets.
		rt := journeyOne[*flex.RouteTable](t, cloud, "connection/"+journeyConn, flex.TypeRouteTable)
		for _, s := range journeyOne[*flex.VirtualNetwork](t, cloud, "connection/"+journeyConn, flex.TypeVirtualNetwork).Subnets {
			if s.RouteTable != rt.ID {
				t.Errorf("subnet %s has the route table %s, want %s", s.Name, s.RouteTable, rt.ID)
			}
		}
		sales = journeyVMs(cloud, "catalog/Sales")
		connectors = journeyVMs(cloud, "location/West")
		// RULE CAT-15: machines and connectors spread over the zones.
		type vm struct{ Name, Zone string }
		var got []vm
		for _, v := range append(append([]*flex.VirtualMachine{}, sales...), connectors...) {
			got = append(got, vm{v.ID.Name, v.Zone})
		}
		if diff := cmp.Diff([]vm{{"SALES-001", "1"}, {"SALES-002", "2"}, {"SALES-003", "3"}, {"WESTXCC-01", "1"}, {"WESTXCC-02", "2"}}, got); diff != "" {
			t.Errorf("machines (-want +got):\n%s", diff)
		}
		// RULE RL-1: the first catalog of the connection, region and domain
		// brings its resource location with two Cloud Connectors.
		want["catalog/Sales"] = journeyCensus{Groups: 1, Subnets: 1, NSGs: 1, VMs: 3, Disks: 3}
		want["location/West"] = journeyCensus{Groups: 1, Subnets: 1, NSGs: 1, VMs: 2, Disks: 2}
	})

	step("add users and an app", func(t *testing.T) {
		c, err := tn.AddUsers(ctx, "Sales",
			catalog.Principal{Directory: "corp.example.com", Kind: catalog.Group, ID: `CORP\Sales-EMEA`},
			catalog.Principal{Directory: "corp.example.com", Kind: catalog.User, ID: "dan@corp.example.com"})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(c.Principals); n != 22 {
			t.Errorf("%d members, want the 20 users, the group and dan", n)
		}
		c, err = tn.AddApp(ctx, "Sales", catalog.App{Name: "Notepad", Source: catalog.ByPath,
			Path: `C:\Windows\System32\notepad.exe`, FileTypes: true})
		if err != nil {
			t.Fatal(err)
		}
		// RULE CAT-11: the file-type placeholder, quoted, after the path.
		if len(c.Apps) != 1 || c.Apps[0].CommandLine().String() != `C:\Windows\System32\notepad.exe "%*"` {
			t.Errorf("apps: %+v", c.Apps)
		}
		// Users and apps are the service's business: the cloud is unchanged.
	})

	step("add machines", func(t *testing.T) {
		// RULE CAT-6: a domain-joined catalog needs the service account again.
		if _, err := tn.AddMachines(ctx, "Sales", catalog.AddMachinesRequest{Users: 16}); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "CAT-6") {
			t.Errorf("AddMachines without credentials = %v, want ErrInvalid CAT-6", err)
		}
		c, err := tn.AddMachines(ctx, "Sales", catalog.AddMachinesRequest{Users: 16, ServiceAccount: ad.ServiceAccount, Password: ad.Password})
		if err != nil {
			t.Fatal(err)
		}
		if c.Summary.Total != 5 || c.State != catalog.Active {
			t.Errorf("after adding machines: %s, %v", c.State, c.Summary)
		}
		subs, err := tn.Subscriptions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// RULE LIM-4: connectors do not count as VDAs (RL-7).
		if diff := cmp.Diff([]flex.Subscription{{Name: journeySub, AzureID: journeySubAzure, VDAs: 5}}, subs); diff != "" {
			t.Errorf("subscriptions (-want +got):\n%s", diff)
		}
		sales = journeyVMs(cloud, "catalog/Sales")
		want["catalog/Sales"] = journeyCensus{Groups: 1, Subnets: 1, NSGs: 1, VMs: 5, Disks: 5}
	})

	step("update the catalog image", func(t *testing.T) {
		plan, err := tn.UpdateCatalogImage(ctx, "Sales", flex.CatalogImageUpdate{
			Image: journeyImage, Timing: catalog.Immediately, Distribution: 30 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Steps) != 5 {
			t.Errorf("plan: %+v, want the 5 machines to move", plan)
		}
		// RULE CAT-7: the others move over the distribution time.
		clock.Advance(30 * time.Minute)
		if _, err := tn.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		ms, err := tn.Machines(ctx, "Sales")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Image != journeyImage || m.PendingImage != "" {
				t.Errorf("machine %s: image %q, pending %q", m.Name, m.Image, m.PendingImage)
			}
		}
		for _, v := range journeyVMs(cloud, "catalog/Sales") {
			if !strings.EqualFold(v.Image.ID.String(), imageID.String()) || v.PowerState != flex.PowerRunning {
				t.Errorf("VM %s boots %+v (%s), want the managed image %s", v.ID.Name, v.Image, v.PowerState, imageID)
			}
		}
		d, err := tn.Image(ctx, journeySub, journeyImage)
		if err != nil {
			t.Fatal(err)
		}
		// RULE IMG-7: the image counts what uses it.
		if diff := cmp.Diff(image.Usage{Catalogs: 1, Machines: 5}, d.Usage); diff != "" {
			t.Errorf("image usage (-want +got):\n%s", diff)
		}
		sales = journeyVMs(cloud, "catalog/Sales")
	})

	knowledge, _ := quota.PersonaByName(quota.KnowledgeWorker)
	step("schedule snapshots, take one and restore it", func(t *testing.T) {
		// RULE CAT-13: snapshots only in static catalogs.
		daily := catalog.Schedules{Daily: catalog.Schedule{Kind: catalog.Daily, At: catalog.MustParseTimeOfDay("02:00")}}
		if _, err := tn.ScheduleSnapshots(ctx, "Sales", daily); !rule.Has(err, "CAT-13") {
			t.Errorf("snapshots of a multi-session catalog: %v, want CAT-13", err)
		}
		c, err := tn.CreateCatalog(ctx, flex.CatalogSpec{Spec: catalog.Spec{
			Name: "Dev", Persona: knowledge, MachineType: quota.Static,
			Users:        []string{"ann@corp.example.com", "bob@corp.example.com"},
			Subscription: journeySub, Connection: journeyConn, Domain: image.ActiveDirectory, AD: ad,
			NamingScheme: "DEV-##", ResourceLocation: "West", Connectivity: catalog.GatewayService,
			Licenses: []image.License{image.Microsoft365E3},
			Schedule: catalog.WorkSchedule{TimeZone: "Europe/Berlin"},
		}, Image: "Windows 11 Pro (single-session)"})
		if err != nil {
			t.Fatal(err)
		}
		if c.ResourceLocation != "West" || c.Summary.Total != 2 {
			t.Errorf("static catalog: location %q, %v", c.ResourceLocation, c.Summary)
		}
		if _, err := tn.ScheduleSnapshots(ctx, "Dev", daily); err != nil {
			t.Fatal(err)
		}
		clock.Set(time.Date(2026, 5, 12, 0, 0, 0, 0, time.UTC)) // 02:00 in Berlin
		if _, err := tn.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := tn.TakeSnapshot(ctx, "Dev", "DEV-01", "before_patch"); err != nil {
			t.Fatal(err)
		}
		type snap struct {
			Machine, Name string
			Kind          catalog.SnapshotKind
		}
		ss, err := tn.Snapshots(ctx, "Dev", "")
		if err != nil {
			t.Fatal(err)
		}
		var got []snap
		for _, s := range ss {
			got = append(got, snap{s.Machine, s.Name, s.Kind})
		}
		if diff := cmp.Diff([]snap{
			{"DEV-01", "Daily_20260512T0000Z", catalog.Daily},
			{"DEV-01", "before_patch", catalog.Anytime},
			{"DEV-02", "Daily_20260512T0000Z", catalog.Daily},
		}, got); diff != "" {
			t.Errorf("snapshots (-want +got):\n%s", diff)
		}

		m, err := tn.RestoreSnapshot(ctx, "Dev", "DEV-01", "before_patch")
		if err != nil {
			t.Fatal(err)
		}
		// RULE API-5: the restored machine stays off.
		if m.Restore != catalog.RestoreCompleted || m.Power != catalog.Deallocated {
			t.Errorf("restored machine: %s, %s", m.Restore, m.Power)
		}
		// Its OS disk is now made from the snapshot; the old one is gone.
		dev = journeyVMs(cloud, "catalog/Dev")
		disk, err := cloud.Get(ctx, dev[0].OSDisk)
		if err != nil {
			t.Fatal(err)
		}
		if src := disk.(*flex.Disk).Source; !strings.HasSuffix(src.Name, "before_patch") || src.Type != flex.TypeSnapshot {
			t.Errorf("the restored OS disk comes from %s", src)
		}
		if m, err = tn.MachineAction(ctx, "Dev", "DEV-01", catalog.Start); err != nil || m.Power != catalog.Running {
			t.Errorf("starting the restored machine: %s, %v", m.Power, err)
		}
		// RULE RL-1: the static catalog reuses the resource location.
		want["catalog/Dev"] = journeyCensus{Groups: 1, Subnets: 1, NSGs: 1, VMs: 2, Disks: 2, Snapshots: 3}
	})

	step("create a bastion and check the flows", func(t *testing.T) {
		rulesBefore = journeyOne[*flex.SecurityGroup](t, cloud, "catalog/Sales", flex.TypeSecurityGroup).Rules
		var err error
		bastion, err = tn.CreateBastion(ctx, flex.BastionSpec{Catalog: "Sales", Username: "helpdesk",
			Password: secret.New(journeyBastPw), Source: netip.MustParsePrefix("10.0.0.0/28")})
		if err != nil {
			t.Fatal(err)
		}
		if bastion.Power != flex.PowerRunning || bastion.Connection != journeyConn {
			t.Errorf("bastion: %v", bastion)
		}
		// RULE TRB-2: one bastion per connection.
		if _, err := tn.CreateBastion(ctx, flex.BastionSpec{Catalog: "Dev", Username: "helpdesk",
			Password: secret.New(journeyBastPw), Source: netip.MustParsePrefix("10.0.0.0/28")}); !errors.Is(err, flex.ErrConflict) || !rule.Has(err, "TRB-2") {
			t.Errorf("a second bastion on the connection: %v, want ErrConflict TRB-2", err)
		}
		vda1, vda2 := sales[0].PrivateIP, sales[1].PrivateIP
		// RULE FW-4: RDP from the admins to the bastion, from the bastion
		// to the VNet; never between VDAs and connectors.
		flows := []journeyRDP{
			{Name: "admin to bastion", Src: admin, Dst: bastion.Address, Allowed: true},
			{Name: "outsider to bastion", Src: outsider, Dst: bastion.Address},
			{Name: "bastion to VDA", Src: bastion.Address, Dst: vda1, Allowed: true},
			{Name: "bastion to static VDA", Src: bastion.Address, Dst: dev[1].PrivateIP, Allowed: true},
			{Name: "bastion to connector", Src: bastion.Address, Dst: connectors[0].PrivateIP, Allowed: true},
			{Name: "VDA to VDA", Src: vda2, Dst: vda1},
			{Name: "VDA to connector", Src: vda1, Dst: connectors[0].PrivateIP},
			{Name: "connector to VDA", Src: connectors[0].PrivateIP, Dst: vda1},
			{Name: "admin to VDA", Src: admin, Dst: vda1},
		}
		if diff := cmp.Diff(flows, journeyFlows(t, cloud, flows), journeyCmp); diff != "" {
			t.Errorf("RDP with the bastion (-want +got):\n%s", diff)
		}
		cs, err := tn.Connections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// RULE NET-15: the connection counts what uses it.
		if diff := cmp.Diff(network.Usage{Catalogs: 2, Machines: 7, Bastions: 1}, cs[0].Usage); diff != "" {
			t.Errorf("connection usage (-want +got):\n%s", diff)
		}
		for _, v := range []struct {
			what string
			v    any
		}{{"connections", cs}, {"bastion", bastion}} {
			journeyNoSecrets(t, v.what, v.v)
		}
		imgs, _ := tn.Images(ctx)
		cats, _ := tn.Catalogs(ctx)
		journeyNoSecrets(t, "images", imgs)
		journeyNoSecrets(t, "catalogs", cats)
		want["bastion/"+journeyConn] = journeyCensus{Groups: 1, Subnets: 1, NSGs: 1, VMs: 1, Disks: 1}
	})

	step("refuse to delete what is in use", func(t *testing.T) {
		// RULE NET-8: a connection that catalogs and a bastion use stays.
		if err := tn.DeleteConnection(ctx, journeyConn); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "NET-8") {
			t.Errorf("DeleteConnection in use = %v, want ErrPrecondition NET-8", err)
		}
		// RULE IMG-7: an image a catalog uses stays.
		if err := tn.DeleteImage(ctx, journeySub, journeyImage); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "IMG-7") {
			t.Errorf("DeleteImage in use = %v, want ErrPrecondition IMG-7", err)
		}
		// RULE CAT-12: deleting a catalog needs the acknowledgement.
		if err := tn.DeleteCatalog(ctx, "Sales", catalog.DeleteAck{Catalog: "Sales"}); !rule.Has(err, "CAT-12") {
			t.Errorf("DeleteCatalog without acknowledgement = %v, want CAT-12", err)
		}
		// RULE TRB-2: so does deleting a bastion.
		if err := tn.DeleteBastion(ctx, journeySub, journeyConn, flex.DeleteBastionOptions{}); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "TRB-2") {
			t.Errorf("DeleteBastion without acknowledgement = %v, want ErrPrecondition TRB-2", err)
		}
	})

	step("delete the bastion", func(t *testing.T) {
		if err := tn.DeleteBastion(ctx, journeySub, journeyConn, flex.DeleteBastionOptions{Acknowledge: true}); err != nil {
			t.Fatal(err)
		}
		// RULE FW-4: its rules went with it.
		if diff := cmp.Diff(rulesBefore, journeyOne[*flex.SecurityGroup](t, cloud, "catalog/Sales", flex.TypeSecurityGroup).Rules, journeyCmp); diff != "" {
			t.Errorf("the Sales NSG after the bastion (-before +after):\n%s", diff)
		}
		if _, err := cloud.Allowed(bastion.Address, sales[0].PrivateIP, network.TCP, 3389); !errors.Is(err, flex.ErrNotFound) {
			t.Errorf("the bastion's address is still in a subnet: %v", err)
		}
		delete(want, "bastion/"+journeyConn)
	})

	ack := func(name string) catalog.DeleteAck {
		return catalog.DeleteAck{Catalog: name, MachinesDestroyed: true, Irreversible: true}
	}
	step("delete the Task worker catalog", func(t *testing.T) {
		if err := tn.DeleteCatalog(ctx, "Sales", ack("Sales")); err != nil {
			t.Fatal(err)
		}
		delete(want, "catalog/Sales") // West stays for Dev
	})

	step("delete the static catalog and its snapshots", func(t *testing.T) {
		if err := tn.DeleteCatalog(ctx, "Dev", ack("Dev")); err != nil {
			t.Fatal(err)
		}
		// RULE RL-1: the location's last catalog takes it along.
		delete(want, "catalog/Dev")
		delete(want, "location/West")
	})

	step("delete the image", func(t *testing.T) {
		if err := tn.DeleteImage(ctx, journeySub, journeyImage); err != nil {
			t.Fatal(err)
		}
		delete(want, "image/"+journeyImage)
	})

	step("delete the connection", func(t *testing.T) {
		if err := tn.DeleteConnection(ctx, journeyConn); err != nil {
			t.Fatal(err)
		}
		delete(want, "connection/"+journeyConn)
	})

	step("the last subscription stays", func(t *testing.T) {
		// RULE SUB-4: the last subscription cannot be removed.
		// The error names the rule in its message only: it holds no
		// rule.Violation, so rule.Has cannot see it.
		if err := tn.RemoveSubscription(ctx, journeySub); !errors.Is(err, flex.ErrPrecondition) || !strings.Contains(err.Error(), "SUB-4") {
			t.Errorf("RemoveSubscription of the last = %v, want ErrPrecondition SUB-4", err)
		}
		if diff := cmp.Diff(map[flex.ResourceType]int{flex.TypeResourceGroup: 1},
			cloud.Count(flex.Filter{Tags: map[string]string{flex.TagTenant: journeyTenant}})); diff != "" {
			t.Errorf("the tenant's resources at the end (-want +got):\n%s", diff)
		}
		cs, _ := tn.Catalogs(ctx)
		conns, _ := tn.Connections(ctx)
		locs, _ := tn.ResourceLocations(ctx)
		bs, _ := tn.Bastions(ctx)
		if len(cs)+len(conns)+len(locs)+len(bs) != 0 {
			t.Errorf("left: catalogs %v, connections %v, locations %v, bastions %v", cs, conns, locs, bs)
		}
		// RULE LIM-2: every reservation was given back.
		l := quota.DefaultLimits()
		wantUsage := quota.Usage{Limits: l,
			ADDomains:         quota.Count{Rule: "LIM-1", Limit: l.ADDomainsPerTenant},
			Catalogs:          quota.Count{Rule: "LIM-2", Limit: l.CatalogsPerTenant},
			ResourceLocations: quota.Count{Rule: "LIM-3", Limit: l.ResourceLocationsPerTenant},
		}
		if diff := cmp.Diff(wantUsage, tn.Usage(), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("usage at the end (-want +got):\n%s", diff)
		}
	})
}

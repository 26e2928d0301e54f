package flex_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
	"github.com/google/go-cmp/cmp"
)

// leftovers returns the tenant's resources other than the subscriptions'
// groups and the connections', which the catalogs do not own.
func (e *catEnv) leftovers() []string {
	var out []string
	for _, r := range e.cloud.Resources(flex.Filter{Tags: map[string]string{flex.TagTenant: "t1"}}) {
		owner := r.Metadata().Tags[flex.TagOwner]
		if strings.HasPrefix(owner, "subscription/") || strings.HasPrefix(owner, "connection/") {
			continue
		}
		out = append(out, r.Metadata().ID.String())
	}
	return out
}

func (e *catEnv) usage(sub string) int {
	for _, s := range e.tn.Usage().Subscriptions {
		if s.Name == sub {
			return s.VDAs.InUse + s.VDAs.Reserved
		}
	}
	return 0
}

func TestCreateCatalogNoConnectivity(t *testing.T) {
	e := catNew(t, catOpts{})
	c, err := e.tn.CreateCatalog(e.ctx, catMulti("Sales", 20))
	if err != nil {
		t.Fatal(err)
	}
	want := flex.Catalog{Name: "Sales", Subscription: "Sub1", Region: network.WestEurope, Persona: c.Persona,
		MachineType: quota.MultiSessionMachine, Domain: image.NonDomainJoined, ResourceLocation: "westeurope",
		Connectivity: catalog.GatewayService, Image: "Windows Server 2022 (multi-session)", NamingScheme: "Sal-####",
		Sizes: catalog.Sizes{Primary: "Standard_D4s_v5"}, Schedule: catalog.WorkSchedule{TimeZone: "Europe/Berlin"},
		State: catalog.Active, Users: 20, Principals: c.Principals, Apps: []catalog.App{},
		Summary: catalog.Summary{Total: 3, PoweredOn: 3}, Created: catStart}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("CreateCatalog (-want +got):\n%s", diff)
	}
	vms := e.vms(catGroup("Sales"))
	// RULE CAT-2: ⌈20 users ÷ 8 per machine⌉ = 3 machines.
	// RULE NAM-7: named by the scheme, digits from 1, zero-padded.
	// RULE CAT-15: spread round-robin over westeurope's zones.
	type vmFacts struct{ Name, Zone, Size, Computer, URN, Limit, Owner string }
	var got []vmFacts
	for _, v := range vms {
		got = append(got, vmFacts{v.ID.Name, v.Zone, v.Size, v.ComputerName, v.Image.URN, v.Tags[flex.TagSessionLimit], v.Tags[flex.TagOwner]})
	}
	urn := vms[0].Image.URN
	wantVMs := []vmFacts{
		{"Sal-0001", "1", "Standard_D4s_v5", "Sal-0001", urn, "8", "catalog/Sales"},
		{"Sal-0002", "2", "Standard_D4s_v5", "Sal-0002", urn, "8", "catalog/Sales"},
		{"Sal-0003", "3", "Standard_D4s_v5", "Sal-0003", urn, "8", "catalog/Sales"},
	}
	if diff := cmp.Diff(wantVMs, got); diff != "" || urn == "" {
		t.Errorf("VMs (-want +got):\n%s", diff)
	}
	t.Run("RL-1 a non-domain-joined catalog gets a resource location automatically", func(t *testing.T) {
		ls, err := e.tn.ResourceLocations(e.ctx)
		if err != nil || len(ls) != 1 || ls[0].Name != "westeurope" || len(ls[0].Connectors) != 0 || !slices.Equal(ls[0].Catalogs, []string{"Sales"}) {
			t.Fatalf("ResourceLocations = %+v, %v", ls, err)
		}
		if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Apps", 8)); err != nil {
			t.Fatal(err)
		}
		ls, _ = e.tn.ResourceLocations(e.ctx)
		if len(ls) != 1 || !slices.Equal(ls[0].Catalogs, []string{"Apps", "Sales"}) {
			t.Errorf("a second No connectivity catalog in the region reuses the location: %+v", ls)
		}
	})
	t.Run("FW-1 the catalog's subnet denies VDA to VDA", func(t *testing.T) {
		d, err := e.cloud.Allowed(vms[0].PrivateIP, vms[1].PrivateIP, network.TCP, 3389)
		if err != nil || d.Access != network.Deny {
			t.Errorf("RDP between VDAs = %v, %v; want Deny", d, err)
		}
	})
	t.Run("progress reports done/total per phase", func(t *testing.T) {
		e.mu.Lock()
		defer e.mu.Unlock()
		var last flex.Progress
		for _, p := range e.progress {
			if p.Op == "CreateCatalog" && p.Object == `catalog "Sales"` && p.Phase == "machines" {
				last = p
			}
		}
		if diff := cmp.Diff(flex.Progress{Op: "CreateCatalog", Object: `catalog "Sales"`, Phase: "machines", Done: 3, Total: 3}, last); diff != "" {
			t.Errorf("last progress (-want +got):\n%s", diff)
		}
	})
	t.Run("CAT-12 deleting needs the acknowledgement and leaves nothing", func(t *testing.T) {
		err := e.tn.DeleteCatalog(e.ctx, "Sales", catalog.DeleteAck{Catalog: "Apps", MachinesDestroyed: true, Irreversible: true})
		if !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "CAT-12") {
			t.Fatalf("DeleteCatalog with another catalog's acknowledgement = %v, want ErrInvalid CAT-12", err)
		}
		for _, n := range []string{"Sales", "Apps"} {
			if err := e.tn.DeleteCatalog(e.ctx, n, catAck(n)); err != nil {
				t.Fatal(err)
			}
		}
		if left := e.leftovers(); len(left) != 0 {
			t.Errorf("left after deleting every catalog: %v", left)
		}
		if got := e.usage("Sub1"); got != 0 {
			t.Errorf("VDAs after deleting = %d, want 0", got)
		}
		if u := e.tn.Usage(); u.Catalogs.InUse != 0 || u.ResourceLocations.InUse != 0 {
			t.Errorf("usage after deleting: %+v", u)
		}
	})
}

func TestCreateCatalogValidation(t *testing.T) {
	e := catNew(t, catOpts{})
	if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Sales", 8)); err != nil {
		t.Fatal(err)
	}
	t.Run("CAT-5 names are unique ignoring case", func(t *testing.T) {
		_, err := e.tn.CreateCatalog(e.ctx, catMulti("SALES", 8))
		if !errors.Is(err, flex.ErrConflict) || !strings.Contains(err.Error(), "CAT-5") {
			t.Errorf("duplicate = %v, want ErrConflict naming CAT-5", err)
		}
	})
	t.Run("every problem at once", func(t *testing.T) {
		s := catMulti("S", 0)
		s.NamingScheme = "MachineSalesTeam-##"
		s.Region = "mars"
		_, err := e.tn.CreateCatalog(e.ctx, s)
		if !errors.Is(err, flex.ErrInvalid) {
			t.Fatalf("CreateCatalog = %v, want ErrInvalid", err)
		}
		for _, id := range []string{"CAT-5", "CAT-2", "NAM-2", "REG-1"} {
			if !rule.Has(err, id) {
				t.Errorf("the error lacks %s: %v", id, err)
			}
		}
	})
	t.Run("IDN-5 warnings come back apart from errors", func(t *testing.T) {
		s := catStatic("Random", 2)
		s.MachineType = quota.Random
		c, err := e.tn.CreateCatalog(e.ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Warnings) != 1 || c.Warnings[0].ID != "IDN-5" {
			t.Errorf("warnings = %v, want IDN-5", c.Warnings)
		}
	})
	t.Run("NET-2 the connection must exist", func(t *testing.T) {
		s := catMulti("Nope", 8)
		s.Connection, s.Region = "nope", ""
		if _, err := e.tn.CreateCatalog(e.ctx, s); !errors.Is(err, flex.ErrNotFound) || !strings.Contains(err.Error(), "NET-2") {
			t.Errorf("unknown connection = %v, want ErrNotFound naming NET-2", err)
		}
	})
	t.Run("IMG-8 the image must suit the catalog", func(t *testing.T) {
		s := catMulti("Img", 8)
		s.Image = "Windows 11 Pro (single-session)"
		if _, err := e.tn.CreateCatalog(e.ctx, s); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "IMG-8") {
			t.Errorf("single-session image for multi-session = %v, want IMG-8", err)
		}
	})
	t.Run("IMG-9 the VM size must boot the image's generation", func(t *testing.T) {
		s := catMulti("Gen", 8)
		s.VMSize = "Standard_A4_v2" // Gen1 only; the image is Gen2
		if _, err := e.tn.CreateCatalog(e.ctx, s); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "IMG-9") {
			t.Errorf("Gen1 size for a Gen2 image = %v, want IMG-9", err)
		}
	})
	t.Run("NAM-8 the scheme must name every machine", func(t *testing.T) {
		s := catStatic("Many", 100)
		s.NamingScheme = "MachineSales-##"
		if _, err := e.tn.CreateCatalog(e.ctx, s); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "NAM-8") {
			t.Errorf("100 machines for MachineSales-## = %v, want NAM-8", err)
		}
	})
	if n := len(e.vms(catGroup("Many"))) + len(e.vms(catGroup("Gen"))) + len(e.vms(catGroup("Img"))); n != 0 {
		t.Errorf("refused catalogs made %d VMs", n)
	}
}

func TestDefaultNamingScheme(t *testing.T) {
	// RULE NAM-9: DAS + the location's 5-character prefix + '-' + 2 random + '-###'.
	e := catNew(t, catOpts{})
	s := catMulti("Sales", 16)
	s.NamingScheme = ""
	c, err := e.tn.CreateCatalog(e.ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.NamingScheme) != 15 || !strings.HasPrefix(c.NamingScheme, "DASWESTE-") || !strings.HasSuffix(c.NamingScheme, "-###") {
		t.Fatalf("default scheme = %q", c.NamingScheme)
	}
	want := []string{strings.Replace(c.NamingScheme, "###", "001", 1), strings.Replace(c.NamingScheme, "###", "002", 1)}
	if diff := cmp.Diff(want, vmNames(e.vms(catGroup("Sales")))); diff != "" {
		t.Errorf("machine names (-want +got):\n%s", diff)
	}
}

func TestCapacityFallback(t *testing.T) {
	t.Run("CAT-14 machines fall back to the backup size", func(t *testing.T) {
		e := catNew(t, catOpts{cloud: []fake.Option{fake.WithCapacity(network.WestEurope, "Standard_D4s_v5", 2)}})
		s := catMulti("Sales", 40)
		s.VMSize, s.BackupVMSize = "Standard_D4s_v5", "Standard_D4as_v5"
		if _, err := e.tn.CreateCatalog(e.ctx, s); err != nil {
			t.Fatal(err)
		}
		sizes := map[string]int{}
		for _, v := range e.vms(catGroup("Sales")) {
			sizes[v.Size]++
		}
		if diff := cmp.Diff(map[string]int{"Standard_D4s_v5": 2, "Standard_D4as_v5": 3}, sizes); diff != "" {
			t.Errorf("sizes (-want +got):\n%s", diff)
		}
	})
	t.Run("no capacity and no backup: nothing is left and the quota is released", func(t *testing.T) {
		e := catNew(t, catOpts{cloud: []fake.Option{fake.WithCapacity(network.WestEurope, "Standard_D4s_v5", 3)}})
		_, err := e.tn.CreateCatalog(e.ctx, catMulti("Sales", 40))
		if !errors.Is(err, flex.ErrCapacity) || !rule.Has(err, "CAT-14") {
			t.Fatalf("CreateCatalog = %v, want ErrCapacity with CAT-14", err)
		}
		if left := e.leftovers(); len(left) != 0 {
			t.Errorf("left after a failed creation: %v", left)
		}
		if u := e.tn.Usage(); u.Catalogs.InUse+u.Catalogs.Reserved != 0 || e.usage("Sub1") != 0 || u.ResourceLocations.InUse+u.ResourceLocations.Reserved != 0 {
			t.Errorf("usage after a failed creation: %+v", u)
		}
		if cs, _ := e.tn.Catalogs(e.ctx); len(cs) != 0 {
			t.Errorf("catalogs after a failed creation: %v", cs)
		}
		if got := e.cloud.Capacity(network.WestEurope, "Standard_D4s_v5"); got != 3 {
			t.Errorf("capacity after cleanup = %d, want 3 back", got)
		}
		// The name is free again.
		e.cloud.SetCapacity(network.WestEurope, "Standard_D4s_v5", fake.Unlimited)
		if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Sales", 40)); err != nil {
			t.Errorf("creating again after the failure: %v", err)
		}
	})
}

func TestCreateCatalogCancelled(t *testing.T) {
	e := catNew(t, catOpts{workers: 2})
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	var made atomic.Int32
	e.tn = flex.NewTenant(e.prov, flex.WithID("t1"), flex.WithClock(e.clock.Now), flex.WithWorkers(2),
		flex.WithProgress(func(p flex.Progress) {
			if p.Phase == "machines" && p.Done >= 5 && made.Add(1) == 1 {
				cancel()
			}
		}))
	for _, s := range []flex.SubscriptionSpec{{Name: "Sub1", AzureID: "sub-1"}} {
		if _, err := e.tn.AddSubscription(e.ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.tn.CreateCatalog(ctx, catMulti("Sales", 400))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("CreateCatalog = %v, want context.Canceled", err)
	}
	if left := e.leftovers(); len(left) != 0 {
		t.Errorf("left after cancelling: %v", left)
	}
	if e.usage("Sub1") != 0 || e.tn.Usage().Catalogs.Reserved != 0 {
		t.Errorf("quota after cancelling: %+v", e.tn.Usage())
	}
}

func TestCreateCatalogCleanupFails(t *testing.T) {
	// API-1: when what was made cannot be removed, the catalog stays in
	// state Error saying what failed, and DeleteCatalog finishes the job.
	e, f := catFaulty(t, catOpts{cloud: []fake.Option{fake.WithCapacity(network.WestEurope, "Standard_D4s_v5", 2)}})
	f.set(func(f *faults) {
		f.del = func(id flex.ResourceID) error {
			return &flex.Error{Kind: flex.ErrConflict, Op: "Delete", Object: id.String(), Err: errors.New("locked")}
		}
	})
	_, err := e.tn.CreateCatalog(e.ctx, catMulti("Sales", 40))
	if !errors.Is(err, flex.ErrCapacity) {
		t.Fatalf("CreateCatalog = %v, want ErrCapacity", err)
	}
	c, err := e.tn.Catalog(e.ctx, "Sales")
	if err != nil || c.State != catalog.Error || !strings.Contains(c.Failure, "removing what was made failed") {
		t.Fatalf("catalog after a failed cleanup = %+v, %v; want state Error with the failure", c, err)
	}
	if got := e.usage("Sub1"); got != 5 {
		t.Errorf("VDAs held by the Error catalog = %d, want 5", got)
	}
	f.set(func(f *faults) { f.del = nil })
	if err := e.tn.DeleteCatalog(e.ctx, "Sales", catAck("Sales")); err != nil {
		t.Fatal(err)
	}
	if left := e.leftovers(); len(left) != 0 {
		t.Errorf("left after DeleteCatalog: %v", left)
	}
	if got := e.usage("Sub1"); got != 0 {
		t.Errorf("VDAs after DeleteCatalog = %d", got)
	}
}

// TestLIM4WorkedExample is the documentation's example: Cat1 2,000 and
// Cat2 1,500 VDAs; 1,000 more in Cat2 make 4,500, allowed and near the
// limit; 500 more anywhere are refused and nothing is made.
func TestLIM4WorkedExample(t *testing.T) {
	e := catNew(t, catOpts{})
	cat := func(name string, users int) flex.CatalogSpec {
		p, _ := quota.CustomPersona("one", quota.MultiSession, 2, 8, 1)
		s := catMulti(name, users)
		s.Persona, s.VMSize = p, "Standard_D2s_v5"
		s.NamingScheme = name + "-####"
		return s
	}
	for _, c := range []struct {
		name  string
		users int
	}{{"Cat1", 2000}, {"Cat2", 1500}} {
		if _, err := e.tn.CreateCatalog(e.ctx, cat(c.name, c.users)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.tn.AddMachines(e.ctx, "Cat2", catalog.AddMachinesRequest{Users: 1000}); err != nil {
		t.Fatal(err)
	}
	subs, _ := e.tn.Subscriptions(e.ctx)
	// RULE LIM-5: 4,500 of 5,000 is near the limit.
	if subs[0].VDAs != 4500 || !subs[0].Near {
		t.Errorf("Sub1 = %+v, want 4,500 VDAs, near the limit", subs[0])
	}
	// RULE LIM-4: 500 more, in a new catalog or an existing one, are refused.
	_, err := e.tn.CreateCatalog(e.ctx, cat("Cat3", 500))
	if !errors.Is(err, flex.ErrLimit) || !rule.Has(err, "LIM-4") {
		t.Errorf("Cat3 with 500 = %v, want ErrLimit LIM-4", err)
	}
	_, err = e.tn.AddMachines(e.ctx, "Cat1", catalog.AddMachinesRequest{Users: 500})
	if !errors.Is(err, flex.ErrLimit) || !rule.Has(err, "LIM-4") {
		t.Errorf("500 more in Cat1 = %v, want ErrLimit LIM-4", err)
	}
	if n := len(e.vms("")); n != 4500 {
		t.Errorf("VMs in the cloud = %d, want 4,500", n)
	}
	// Another subscription has its own 5,000.
	s := cat("Other", 500)
	s.Subscription = "Sub2"
	if _, err := e.tn.CreateCatalog(e.ctx, s); err != nil {
		t.Errorf("500 in Sub2: %v", err)
	}
}

func TestLimits(t *testing.T) {
	lim := func(f func(*quota.Limits)) *quota.Limits { l := quota.DefaultLimits(); f(&l); return &l }
	t.Run("LIM-2 catalogs per tenant", func(t *testing.T) {
		// RULE LIM-9: limits are configurable.
		e := catNew(t, catOpts{limits: lim(func(l *quota.Limits) { l.CatalogsPerTenant = 1 })})
		if _, err := e.tn.CreateCatalog(e.ctx, catMulti("One", 8)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Two", 8)); !errors.Is(err, flex.ErrLimit) || !rule.Has(err, "LIM-2") {
			t.Errorf("second catalog = %v, want LIM-2", err)
		}
		if n := len(e.vms(catGroup("Two"))); n != 0 {
			t.Errorf("refused catalog made %d VMs", n)
		}
	})
	t.Run("LIM-3 resource locations per tenant", func(t *testing.T) {
		e := catNew(t, catOpts{limits: lim(func(l *quota.Limits) { l.ResourceLocationsPerTenant = 1 })})
		if _, err := e.tn.CreateCatalog(e.ctx, catMulti("One", 8)); err != nil {
			t.Fatal(err)
		}
		s := catMulti("Two", 8)
		s.Region = network.UKSouth // another location
		if _, err := e.tn.CreateCatalog(e.ctx, s); !errors.Is(err, flex.ErrLimit) || !rule.Has(err, "LIM-3") {
			t.Errorf("second location = %v, want LIM-3", err)
		}
		if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Three", 8)); err != nil {
			t.Errorf("a catalog reusing the location: %v", err)
		}
	})
	t.Run("LIM-7 single-session users per resource location", func(t *testing.T) {
		e := catNew(t, catOpts{limits: lim(func(l *quota.Limits) { l.SingleSessionUsersPerResourceLocation = 3 })})
		if _, err := e.tn.CreateCatalog(e.ctx, catStatic("One", 3)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.tn.AddMachines(e.ctx, "One", catalog.AddMachinesRequest{Users: 1}); !errors.Is(err, flex.ErrLimit) || !rule.Has(err, "LIM-7") {
			t.Errorf("a fourth user = %v, want LIM-7", err)
		}
		if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Multi", 8)); err != nil {
			t.Errorf("multi-session users count apart: %v", err)
		}
	})
	t.Run("LIM-8 multi-session users per resource location", func(t *testing.T) {
		e := catNew(t, catOpts{limits: lim(func(l *quota.Limits) { l.MultiSessionUsersPerResourceLocation = 10 })})
		if _, err := e.tn.CreateCatalog(e.ctx, catMulti("One", 11)); !errors.Is(err, flex.ErrLimit) || !rule.Has(err, "LIM-8") {
			t.Errorf("11 multi-session users = %v, want LIM-8", err)
		}
	})
	t.Run("LIM-6 and LIM-1 Active Directory domains", func(t *testing.T) {
		e := catNew(t, catOpts{limits: lim(func(l *quota.Limits) { l.ADDomainsPerTenant = 2 })})
		e.catPeering(t, "hub", "192.168.0.0/22")
		if _, err := e.tn.CreateCatalog(e.ctx, catJoined("Aa", 2, "hub", "corp.example.com", "West")); err != nil {
			t.Fatal(err)
		}
		// RULE LIM-6: a resource location has one domain.
		_, err := e.tn.CreateCatalog(e.ctx, catJoined("Bb", 2, "hub", "other.example.com", "West"))
		if !errors.Is(err, flex.ErrLimit) || !rule.Has(err, "LIM-6") {
			t.Errorf("a second domain in West = %v, want LIM-6", err)
		}
		if _, err := e.tn.CreateCatalog(e.ctx, catJoined("Bb", 2, "hub", "other.example.com", "West2")); err != nil {
			t.Fatal(err)
		}
		// RULE LIM-1: the tenant's third domain is one too many here.
		_, err = e.tn.CreateCatalog(e.ctx, catJoined("Cc", 2, "hub", "third.example.com", "West3"))
		if !errors.Is(err, flex.ErrLimit) || !rule.Has(err, "LIM-1") {
			t.Errorf("a third domain = %v, want LIM-1", err)
		}
		if len(e.owned("location/West3")) != 0 {
			t.Errorf("the refused location was made")
		}
	})
}

func TestDomainJoinedCatalog(t *testing.T) {
	e := catNew(t, catOpts{})
	e.catPeering(t, "hub", "192.168.0.0/22")
	s := catJoined("Sales", 5, "hub", "corp.example.com", "West")
	c, err := e.tn.CreateCatalog(e.ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	// RULE REG-2: the catalog takes the connection's region.
	if c.Region != network.WestEurope || c.Connection != "hub" || c.ResourceLocation != "West" {
		t.Errorf("catalog = %+v", c)
	}
	t.Run("RL-1 the first catalog creates the location with two connectors spread over zones", func(t *testing.T) {
		conns := e.vms("flex-t1-location-West")
		var zones []string
		for _, v := range conns {
			zones = append(zones, v.Zone)
			if v.Tags[flex.TagOwner] != "location/West" {
				t.Errorf("connector %s tags %v", v.ID.Name, v.Tags)
			}
		}
		// RULE CAT-15: connectors are spread over zones too.
		if diff := cmp.Diff([]string{"1", "2"}, zones); diff != "" {
			t.Errorf("connector zones (-want +got):\n%s", diff)
		}
		ls, _ := e.tn.ResourceLocations(e.ctx)
		if len(ls) != 1 || len(ls[0].Connectors) != 2 || ls[0].Connectors[0].State != flex.ConnectorConnected || !slices.Equal(ls[0].Domains, []string{"corp.example.com"}) {
			t.Errorf("locations = %+v", ls)
		}
	})
	t.Run("RL-7 connectors do not count as VDAs", func(t *testing.T) {
		if got := e.usage("Sub1"); got != 5 {
			t.Errorf("VDAs = %d, want the 5 machines only", got)
		}
	})
	t.Run("FW-2 domain-joined VDAs take 443 and 1494 from the VNet, never RDP", func(t *testing.T) {
		vdas := e.vms(catGroup("Sales"))
		conn := e.vms("flex-t1-location-West")[0]
		for _, f := range []struct {
			src, dst netip.Addr
			port     uint16
			want     network.Access
		}{
			{conn.PrivateIP, vdas[0].PrivateIP, 443, network.Allow},
			{vdas[1].PrivateIP, vdas[0].PrivateIP, 1494, network.Allow},
			{conn.PrivateIP, vdas[0].PrivateIP, 3389, network.Deny},
		} {
			d, err := e.cloud.Allowed(f.src, f.dst, network.TCP, f.port)
			if err != nil || d.Access != f.want {
				t.Errorf("%v → %v:%d = %v, %v; want %v", f.src, f.dst, f.port, d, err, f.want)
			}
		}
	})
	t.Run("RL-1 a catalog with the same connection, region and domain reuses the location", func(t *testing.T) {
		s2 := catJoined("Finance", 2, "hub", "CORP.example.com", "")
		s2.ResourceLocation = "Finance-RL"
		c2, err := e.tn.CreateCatalog(e.ctx, s2)
		if err != nil {
			t.Fatal(err)
		}
		if c2.ResourceLocation != "West" || len(c2.Warnings) != 1 || c2.Warnings[0].ID != "RL-1" {
			t.Errorf("Finance = %+v", c2)
		}
		if n := len(e.vms("flex-t1-location-West")); n != 2 {
			t.Errorf("connectors = %d, want the same 2", n)
		}
	})
	t.Run("REG-2 a region other than the connection's is refused", func(t *testing.T) {
		s3 := catJoined("Elsewhere", 2, "hub", "corp.example.com", "West")
		s3.Region = network.UKSouth
		if _, err := e.tn.CreateCatalog(e.ctx, s3); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "REG-2") {
			t.Errorf("another region = %v, want REG-2", err)
		}
	})
	t.Run("RL-1 deleting the last catalog removes the location and its connectors", func(t *testing.T) {
		if err := e.tn.DeleteCatalog(e.ctx, "Sales", catAck("Sales")); err != nil {
			t.Fatal(err)
		}
		if n := len(e.vms("flex-t1-location-West")); n != 2 {
			t.Errorf("connectors after deleting one of two catalogs = %d, want 2", n)
		}
		if err := e.tn.DeleteCatalog(e.ctx, "Finance", catAck("Finance")); err != nil {
			t.Fatal(err)
		}
		if left := e.leftovers(); len(left) != 0 {
			t.Errorf("left: %v", left)
		}
		if ls, _ := e.tn.ResourceLocations(e.ctx); len(ls) != 0 {
			t.Errorf("locations = %+v", ls)
		}
		if u := e.tn.Usage(); u.ADDomains.InUse != 0 || u.ResourceLocations.InUse != 0 {
			t.Errorf("usage = %+v", u)
		}
	})
}

func TestAddMachines(t *testing.T) {
	e, f := catFaulty(t, catOpts{})
	e.catPeering(t, "hub", "192.168.0.0/22")
	if _, err := e.tn.CreateCatalog(e.ctx, catJoined("Sales", 11, "hub", "corp.example.com", "West")); err != nil {
		t.Fatal(err)
	}
	t.Run("CAT-6 a domain-joined catalog needs the credentials again", func(t *testing.T) {
		_, err := e.tn.AddMachines(e.ctx, "Sales", catalog.AddMachinesRequest{Users: 2})
		if !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "CAT-6") {
			t.Errorf("AddMachines without credentials = %v, want ErrInvalid CAT-6", err)
		}
	})
	req := catalog.AddMachinesRequest{Users: 3, ServiceAccount: "CORP\\svc-flex", Password: secret.New(catPassword)}
	t.Run("a full subnet gets another", func(t *testing.T) {
		c, err := e.tn.AddMachines(e.ctx, "Sales", req)
		if err != nil {
			t.Fatal(err)
		}
		vms := e.vms(catGroup("Sales"))
		if c.Summary.Total != 14 || len(vms) != 14 {
			t.Fatalf("machines = %d in the view, %d in the cloud; want 14", c.Summary.Total, len(vms))
		}
		subnets := map[string]int{}
		for _, v := range vms {
			subnets[v.Subnet]++
		}
		if len(subnets) != 2 {
			t.Errorf("subnets used = %v, want 2 (a /28 holds 11)", subnets)
		}
		// RULE CAT-15: the new machines continue the round-robin.
		zones := map[string]int{}
		for _, v := range vms {
			zones[v.Zone]++
		}
		if diff := cmp.Diff(map[string]int{"1": 5, "2": 5, "3": 4}, zones); diff != "" {
			t.Errorf("zones (-want +got):\n%s", diff)
		}
		if want := "Sal-0014"; vmNames(vms)[13] != want {
			t.Errorf("last name = %s, want %s", vmNames(vms)[13], want)
		}
	})
	t.Run("CAT-6 adding machines locks the catalog", func(t *testing.T) {
		started, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		f.set(func(f *faults) {
			f.put = func(r flex.Resource) error {
				if _, ok := r.(*flex.VirtualMachine); ok {
					once.Do(func() { close(started) })
					<-release
				}
				return nil
			}
		})
		done := make(chan error, 1)
		go func() { _, err := e.tn.AddMachines(e.ctx, "Sales", req); done <- err }()
		<-started
		busy := map[string]error{}
		_, busy["AddMachines"] = e.tn.AddMachines(e.ctx, "Sales", req)
		_, busy["MachineAction"] = e.tn.MachineAction(e.ctx, "Sales", "Sal-0001", catalog.MaintenanceOn)
		_, busy["AddUsers"] = e.tn.AddUsers(e.ctx, "Sales", catalog.Principal{Directory: "corp.example.com", Kind: catalog.User, ID: "zed"})
		_, busy["AddApp"] = e.tn.AddApp(e.ctx, "Sales", catalog.App{Name: "Notepad", Source: catalog.ByPath, Path: `C:\Windows\notepad.exe`})
		_, busy["ScheduleSnapshots"] = e.tn.ScheduleSnapshots(e.ctx, "Sales", catalog.Schedules{})
		_, busy["UpdateCatalogImage"] = e.tn.UpdateCatalogImage(e.ctx, "Sales", flex.CatalogImageUpdate{Image: "Windows 11 Pro (single-session)"})
		busy["DeleteCatalog"] = e.tn.DeleteCatalog(e.ctx, "Sales", catAck("Sales"))
		_, busy["TakeSnapshot"] = e.tn.TakeSnapshot(e.ctx, "Sales", "Sal-0001", "s1")
		c, _ := e.tn.Catalog(e.ctx, "Sales")
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		f.set(func(f *faults) { f.put = nil })
		for op, err := range busy {
			// RULE CAT-6: every other change answers ErrBusy at once.
			if !errors.Is(err, flex.ErrBusy) {
				t.Errorf("%s while adding machines = %v, want ErrBusy", op, err)
			}
		}
		if c.State != catalog.Processing || c.Operation != catalog.AddMachines {
			t.Errorf("catalog while adding = %v %v, want Processing, adding machines", c.State, c.Operation)
		}
	})
	t.Run("a failure part-way removes the machines made and marks the catalog Error", func(t *testing.T) {
		before := vmNames(e.vms(catGroup("Sales")))
		var n atomic.Int32
		f.set(func(f *faults) {
			f.put = func(r flex.Resource) error {
				if _, ok := r.(*flex.VirtualMachine); ok && n.Add(1) == 3 {
					return &flex.Error{Kind: flex.ErrInvalid, Op: "Put", Object: r.Metadata().ID.String(), Err: errors.New("InternalError")}
				}
				return nil
			}
		})
		_, err := e.tn.AddMachines(e.ctx, "Sales", catalog.AddMachinesRequest{Users: 6, ServiceAccount: "CORP\\svc-flex", Password: secret.New(catPassword)})
		f.set(func(f *faults) { f.put = nil })
		if !errors.Is(err, flex.ErrInvalid) {
			t.Fatalf("AddMachines = %v", err)
		}
		if diff := cmp.Diff(before, vmNames(e.vms(catGroup("Sales")))); diff != "" {
			t.Errorf("VMs after the failure (-before +after):\n%s", diff)
		}
		c, _ := e.tn.Catalog(e.ctx, "Sales")
		// RULE API-1: the catalog says the last operation failed.
		if c.State != catalog.Error || !strings.Contains(c.Failure, "none was added") || c.Summary.Total != len(before) {
			t.Errorf("catalog = %v %q %d", c.State, c.Failure, c.Summary.Total)
		}
		if got := e.usage("Sub1"); got != len(before) {
			t.Errorf("VDAs = %d, want %d", got, len(before))
		}
		// A retry from Error works.
		if _, err := e.tn.AddMachines(e.ctx, "Sales", req); err != nil {
			t.Errorf("retry: %v", err)
		}
	})
}

// TestConcurrentLIM4 races catalog creations and machine additions of one
// subscription against a small LIM-4: the cloud never holds more VDAs than
// the limit allows, the ledger agrees with the cloud, and a catalog being
// added to answers ErrBusy.
func TestConcurrentLIM4(t *testing.T) {
	l := quota.DefaultLimits()
	l.VDAsPerSubscription = 40
	e := catNew(t, catOpts{limits: &l})
	if _, err := e.tn.CreateCatalog(e.ctx, catStatic("Base", 4)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var busy, limited atomic.Int32
	for i := range 12 {
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				_, err = e.tn.CreateCatalog(e.ctx, catStatic(fmt.Sprintf("C%02d", i), 6))
			} else {
				_, err = e.tn.AddMachines(e.ctx, "Base", catalog.AddMachinesRequest{Users: 6})
			}
			switch {
			case errors.Is(err, flex.ErrBusy):
				busy.Add(1)
			case errors.Is(err, flex.ErrLimit):
				limited.Add(1)
			case err != nil:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	vms := len(e.vms(""))
	// RULE LIM-4: racing reservations never overshoot the limit.
	if vms >= 40 {
		t.Errorf("VMs = %d; LIM-4 keeps a subscription below 40", vms)
	}
	if got := e.usage("Sub1"); got != vms {
		t.Errorf("ledger VDAs = %d, cloud VMs = %d", got, vms)
	}
	if limited.Load() == 0 {
		t.Errorf("no request was refused by LIM-4; the test did not race the limit")
	}
	t.Logf("%d VMs; %d refused by LIM-4, %d busy", vms, limited.Load(), busy.Load())
}

func TestRegionWithoutZones(t *testing.T) {
	// RULE CAT-15: in westus (no zones, AZ-9) machines get no zone.
	e := catNew(t, catOpts{})
	s := catMulti("West", 24)
	s.Region = network.WestUS
	if _, err := e.tn.CreateCatalog(e.ctx, s); err != nil {
		t.Fatal(err)
	}
	for _, v := range e.vms(catGroup("West")) {
		if v.Zone != "" || v.Region != network.WestUS {
			t.Errorf("%s in %s zone %q; want westus without a zone", v.ID.Name, v.Region, v.Zone)
		}
	}
}

func TestFailedDomainJoinedCreation(t *testing.T) {
	// The connectors take two of the three D2s_v5, the machines run out:
	// the new resource location and its connectors go with the catalog.
	e := catNew(t, catOpts{cloud: []fake.Option{fake.WithCapacity(network.WestEurope, "Standard_D2s_v5", 3)}})
	e.catPeering(t, "hub", "192.168.0.0/22")
	_, err := e.tn.CreateCatalog(e.ctx, catJoined("Sales", 4, "hub", "corp.example.com", "West"))
	if !errors.Is(err, flex.ErrCapacity) {
		t.Fatalf("CreateCatalog = %v, want ErrCapacity", err)
	}
	if left := e.leftovers(); len(left) != 0 {
		t.Errorf("left: %v", left)
	}
	if ls, _ := e.tn.ResourceLocations(e.ctx); len(ls) != 0 {
		t.Errorf("locations: %+v", ls)
	}
	if u := e.tn.Usage(); u.ADDomains.InUse+u.ADDomains.Reserved != 0 || u.ResourceLocations.InUse+u.ResourceLocations.Reserved != 0 {
		t.Errorf("usage: %+v", u)
	}
	// The connection's subnets are free again: a catalog fits.
	e.cloud.SetCapacity(network.WestEurope, "Standard_D2s_v5", fake.Unlimited)
	if _, err := e.tn.CreateCatalog(e.ctx, catJoined("Sales", 4, "hub", "corp.example.com", "West")); err != nil {
		t.Errorf("creating again: %v", err)
	}
	if n := len(e.vms("flex-t1-location-West")); n != 2 {
		t.Errorf("connectors = %d, want 2", n)
	}
}

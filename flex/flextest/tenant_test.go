package flextest_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/secret"
)

// recorder is a flextest.TB that records failures instead of failing, for
// tests that a helper reports what it should.
type recorder struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
	fatal  bool
}

func newRecorder(t *testing.T) *recorder { return &recorder{ctx: t.Context()} }

func (r *recorder) Helper()                  {}
func (r *recorder) Cleanup(func())           {}
func (r *recorder) Context() context.Context { return r.ctx }
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.fatal = true
}

func (r *recorder) text() string { return strings.Join(r.errors, "\n") }

func TestNewTenant(t *testing.T) {
	ctx := t.Context()
	tn, cloud, clock := flextest.NewTenant(t)
	if tn.ID() != flextest.TenantID {
		t.Errorf("ID = %q, want %q", tn.ID(), flextest.TenantID)
	}
	if got, want := clock.Now(), time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("clock starts at %v, want %v", got, want)
	}
	subs, err := tn.Subscriptions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].Name != flextest.SubscriptionName || subs[0].AzureID == "" {
		t.Fatalf("Subscriptions = %+v, want one named %q", subs, flextest.SubscriptionName)
	}
	// The subscription's resource group is the only resource, tagged for
	// the tenant (SEC-2).
	res := cloud.Resources(flex.Filter{})
	if len(res) != 1 || res[0].Metadata().Tags[flex.TagTenant] != flextest.TenantID {
		t.Fatalf("resources: %v", res)
	}
	flextest.AssertNoOrphans(t, cloud, tn)
	flextest.AssertLimitsHold(t, tn)

	// The tenant sees the cloud through its own view: another tenant's
	// resource does not exist for it (SEC-2).
	tn2, _, _ := flextest.NewTenant(t, flextest.WithTenantID("other"))
	if tn2.ID() != "other" {
		t.Errorf("WithTenantID: ID = %q", tn2.ID())
	}
	s2, err := tn2.Subscriptions(ctx)
	if err != nil || len(s2) != 1 || s2[0].AzureID == subs[0].AzureID {
		t.Errorf("second tenant's subscriptions %+v, %v: want its own Azure subscription", s2, err)
	}

	// The clock is the Tenant's: a connection's status carries its time.
	clock.Advance(time.Hour)
	conn, err := tn.CreateConnection(ctx, flextest.SubscriptionName, network.NoConnectivitySpec{Name: "nc", Region: network.WestEurope})
	if err != nil {
		t.Fatal(err)
	}
	if !conn.Status.Since.Equal(clock.Now()) {
		t.Errorf("connection status since %v, want the clock's %v", conn.Status.Since, clock.Now())
	}
}

func TestNewTenantOptions(t *testing.T) {
	ctx := t.Context()
	start := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	limits := quota.DefaultLimits()
	limits.CatalogsPerTenant = 3
	tn, cloud, clock := flextest.NewTenant(t,
		flextest.WithStart(start),
		flextest.WithFlexOptions(flex.WithLimits(limits), flex.WithID("ignored")),
		flextest.WithCloudOptions(fake.WithCapacity(network.WestEurope, "Standard_D4s_v5", 0)),
	)
	if !clock.Now().Equal(start) || tn.ID() != flextest.TenantID {
		t.Errorf("clock %v, ID %q", clock.Now(), tn.ID())
	}
	if tn.Limits().CatalogsPerTenant != 3 {
		t.Errorf("WithFlexOptions: limits %+v", tn.Limits())
	}
	if n := cloud.Capacity(network.WestEurope, "Standard_D4s_v5"); n != 0 {
		t.Errorf("WithCloudOptions: capacity %d", n)
	}
	// Faults apply to the test's calls only: the subscription's setup made
	// none of the plan's rules see a call.
	plan := fake.NewPlan()
	rule := plan.On(fake.Put, "").Once().Throttle(time.Millisecond)
	tn, _, _ = flextest.NewTenant(t, flextest.WithFaults(plan))
	if rule.Seen() != 0 {
		t.Fatalf("the setup's calls went through the plan: seen %d", rule.Seen())
	}
	if _, err := tn.CreateConnection(ctx, flextest.SubscriptionName, network.NoConnectivitySpec{Name: "nc", Region: network.WestEurope}); err != nil {
		t.Fatalf("CreateConnection under one throttle: %v", err)
	}
	if rule.Fired() != 1 {
		t.Errorf("throttle fired %d times, want 1", rule.Fired())
	}
}

// NewTenant works inside rapid.Check with the property's *rapid.T.
func TestNewTenantInsideRapid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tn, cloud, _ := flextest.NewTenant(t)
		flextest.AssertNoOrphans(t, cloud, tn)
	})
}

// Property: whatever connections and catalogs a test creates and deletes
// on a NewTenant, with drawn valid inputs, no cloud resource is orphaned
// and every limit holds after each step; once everything is deleted only
// the subscription's resource group is left (a model of the tenant's
// cloud footprint).
func TestTenantHelpersHoldAcrossOperations(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := t.Context()
		limits := quota.DefaultLimits()
		limits.CatalogsPerTenant = 3
		limits.VDAsPerSubscription = 20
		tn, cloud, _ := flextest.NewTenant(t, flextest.WithFlexOptions(flex.WithLimits(limits)))
		var conns []flex.Connection
		var cats []string
		for range rapid.IntRange(1, 5).Draw(t, "steps") {
			switch rapid.IntRange(0, 3).Draw(t, "op") {
			case 0: // a connection without customer networks to read
				used := flextest.UsedSpace(t, tn, flextest.SubscriptionName)
				var spec network.Spec
				if rapid.Bool().Draw(t, "vpn") {
					spec = flextest.VPNSpec(used).Draw(t, "vpn")
				} else {
					spec = flextest.NoConnectivitySpec(used).Draw(t, "noConnectivity")
				}
				c, err := tn.CreateConnection(ctx, flextest.SubscriptionName, spec)
				if err != nil {
					if !errors.Is(err, flex.ErrConflict) { // a name drawn twice
						t.Fatalf("CreateConnection(%+v): %v", spec, err)
					}
					break
				}
				conns = append(conns, c)
			case 1, 2: // a catalog, on a drawn connection or none
				conn := catalog.Connection{}
				if len(conns) > 0 && rapid.Bool().Draw(t, "onConnection") {
					conn = flextest.ConnectionFacts(rapid.SampledFrom(conns).Draw(t, "connection"))
				}
				spec := flextest.TenantCatalogSpec(flextest.SubscriptionName, conn).Draw(t, "catalog")
				if _, err := tn.CreateCatalog(ctx, spec); err == nil {
					cats = append(cats, spec.Name)
				} else if !errors.Is(err, flex.ErrLimit) && !errors.Is(err, flex.ErrConflict) && !errors.Is(err, flex.ErrInvalid) {
					t.Fatalf("CreateCatalog: %v", err)
				}
			case 3: // delete a catalog
				if len(cats) == 0 {
					break
				}
				i := rapid.IntRange(0, len(cats)-1).Draw(t, "delete")
				ack := catalog.DeleteAck{Catalog: cats[i], MachinesDestroyed: true, Irreversible: true}
				if err := tn.DeleteCatalog(ctx, cats[i], ack); err != nil {
					t.Fatalf("DeleteCatalog(%q): %v", cats[i], err)
				}
				cats = append(cats[:i], cats[i+1:]...)
			}
			flextest.AssertNoOrphans(t, cloud, tn)
			flextest.AssertLimitsHold(t, tn)
		}
		for _, name := range cats {
			if err := tn.DeleteCatalog(ctx, name, catalog.DeleteAck{Catalog: name, MachinesDestroyed: true, Irreversible: true}); err != nil {
				t.Fatalf("DeleteCatalog(%q): %v", name, err)
			}
		}
		for _, c := range conns {
			if err := tn.DeleteConnection(ctx, c.Name); err != nil {
				t.Fatalf("DeleteConnection(%q): %v", c.Name, err)
			}
		}
		flextest.AssertNoOrphans(t, cloud, tn)
		if res := cloud.Resources(flex.Filter{}); len(res) != 1 || res[0].Metadata().ID.Type != flex.TypeResourceGroup {
			t.Fatalf("after deleting everything: %d resources: %v", len(res), res)
		}
	})
}

// AssertNoOrphans reports resources whose owner is gone, untagged owners,
// unknown kinds and resources of removed subscriptions, as a diff that
// names them.
func TestAssertNoOrphansFindsOrphans(t *testing.T) {
	ctx := t.Context()
	tn, cloud, _ := flextest.NewTenant(t)
	subs, _ := tn.Subscriptions(ctx)
	azure := subs[0].AzureID
	rg := flex.GroupID(azure, "stray")
	put := func(r flex.Resource) {
		t.Helper()
		if _, err := cloud.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	tags := func(owner string) map[string]string {
		m := map[string]string{flex.TagTenant: tn.ID()}
		if owner != "" {
			m[flex.TagOwner] = owner
		}
		return m
	}
	put(&flex.ResourceGroup{Meta: flex.Meta{ID: rg, Region: network.WestEurope, Tags: tags("catalog/Gone")}})
	rec := newRecorder(t)
	flextest.AssertNoOrphans(rec, cloud, tn)
	if !strings.Contains(rec.text(), "catalog/Gone") || !strings.Contains(rec.text(), "stray") || !strings.Contains(rec.text(), "+") {
		t.Errorf("orphaned catalog group not reported as a diff:\n%s", rec.text())
	}
	for _, owner := range []string{"", "widget/x", "connection/none", "bastion/none", "key/none", "image/none", "location/none", "subscription/Other"} {
		put(&flex.ResourceGroup{Meta: flex.Meta{ID: rg, Region: network.WestEurope, Tags: tags(owner)}})
		rec := newRecorder(t)
		flextest.AssertNoOrphans(rec, cloud, tn)
		if len(rec.errors) != 1 || !strings.Contains(rec.text(), "stray") {
			t.Errorf("owner %q: report %q", owner, rec.text())
		}
	}
	// The same group tagged for another tenant is none of this one's.
	put(&flex.ResourceGroup{Meta: flex.Meta{ID: rg, Region: network.WestEurope, Tags: map[string]string{flex.TagTenant: "someone-else", flex.TagOwner: "catalog/Gone"}}})
	flextest.AssertNoOrphans(t, cloud, tn)
	// A subscription's group left behind in an Azure subscription the
	// tenant no longer has.
	put(&flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID("00000000-0000-4000-8000-000000000000", "left"), Region: network.WestEurope, Tags: tags("subscription/" + flextest.SubscriptionName)}})
	rec = newRecorder(t)
	flextest.AssertNoOrphans(rec, cloud, tn)
	if !strings.Contains(rec.text(), "left") {
		t.Errorf("group in a removed subscription not reported: %q", rec.text())
	}
}

// importRequest is an import of a Windows Server image by public URL.
func importRequest(name string) flex.ImportRequest {
	return flex.ImportRequest{
		Spec: image.ImportSpec{
			Name: name, Subscription: flextest.SubscriptionName, Session: image.MultiSession, Domain: image.NonDomainJoined,
			Source: image.Source{Kind: image.VHDPublicURL, URL: "https://acct.blob.core.windows.net/vhds/" + strings.ToLower(name) + ".vhd"},
		},
		Region: network.WestEurope,
		Facts: image.ImportFacts{OS: image.WindowsServer2022, Generation: image.Gen2, PersonalityINI: true,
			VDA: image.MustParseVDAVersion("2507"), VMAgent: true},
	}
}

// A renamed image keeps the tag of its first name: that is no orphan, but
// a stray image tag next to it is.
func TestAssertNoOrphansRenamedImage(t *testing.T) {
	ctx := t.Context()
	tn, cloud, _ := flextest.NewTenant(t)
	if _, err := tn.ImportImage(ctx, importRequest("Golden")); err != nil {
		t.Fatal(err)
	}
	flextest.AssertNoOrphans(t, cloud, tn)
	if _, err := tn.RenameImage(ctx, flextest.SubscriptionName, "Golden", "Platinum"); err != nil {
		t.Fatal(err)
	}
	flextest.AssertNoOrphans(t, cloud, tn)
	subs, _ := tn.Subscriptions(ctx)
	stray := &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(subs[0].AzureID, "stray"), Region: network.WestEurope,
		Tags: map[string]string{flex.TagTenant: tn.ID(), flex.TagOwner: "image/Ghost"}}}
	if _, err := cloud.Put(ctx, stray); err != nil {
		t.Fatal(err)
	}
	rec := newRecorder(t)
	flextest.AssertNoOrphans(rec, cloud, tn)
	if !strings.Contains(rec.text(), "image/Ghost") {
		t.Errorf("stray image tag not reported: %q", rec.text())
	}
	if err := tn.DeleteImage(ctx, flextest.SubscriptionName, "Platinum"); err != nil {
		t.Fatal(err)
	}
	if err := cloud.Delete(ctx, stray.ID); err != nil {
		t.Fatal(err)
	}
	flextest.AssertNoOrphans(t, cloud, tn)
}

// AssertLimitsHold reports a tenant whose usage is counted against other
// limits than it was configured with (LIM-9): flex falls back to the
// default limits when the configured ones are invalid.
func TestAssertLimitsHoldReportsMismatchedLimits(t *testing.T) {
	bad := quota.DefaultLimits()
	bad.CatalogsPerTenant = 0
	tn := flex.NewTenant(fake.New().Scope("t"), flex.WithID("t"), flex.WithLimits(bad))
	rec := newRecorder(t)
	flextest.AssertLimitsHold(rec, tn)
	if !strings.Contains(rec.text(), "LIM-9") && !strings.Contains(rec.text(), "CatalogsPerTenant") {
		t.Errorf("mismatched limits not reported: %q", rec.text())
	}
	if !strings.Contains(rec.text(), "-Limits +Usage.Limits") {
		t.Errorf("report is not a diff: %q", rec.text())
	}
}

// leaky holds a password in a plain string: everything prints it.
type leaky struct {
	User     string
	Password string
}

// careful holds it as a secret.Value.
type careful struct {
	User     string
	Password secret.Value
}

func TestAssertNoSecretLeak(t *testing.T) {
	const pw = `s3cr"et-ü`
	flextest.AssertNoSecretLeak(t, []string{pw}, careful{"alice", secret.New(pw)}, &careful{"bob", secret.New(pw)},
		fmt.Errorf("sign-in as alice failed: %w", errors.New("bad password")), network.VPNSpec{PSK: secret.New(pw)})

	for name, v := range map[string]any{
		"plain struct":  leaky{"alice", pw},
		"error":         fmt.Errorf("sign-in failed: %w", errors.New("password "+pw+" refused")),
		"joined errors": errors.Join(errors.New("a"), errors.New(pw)),
		"map":           map[string]string{"password": pw},
		"json only":     jsonOnly{pw},
	} {
		rec := newRecorder(t)
		flextest.AssertNoSecretLeak(rec, []string{"", pw}, v)
		if len(rec.errors) == 0 {
			t.Errorf("%s: leak not reported", name) // RULE SEC-1
		}
		for _, e := range rec.errors {
			if strings.Contains(e, "s3cr") {
				t.Errorf("%s: the report shows the secret: %s", name, e)
			}
			if !strings.Contains(e, "<secret 1>") && !strings.Contains(e, "secret 1") {
				t.Errorf("%s: the report does not name the secret: %s", name, e)
			}
		}
	}
}

// jsonOnly hides its secret from fmt but not from encoding/json.
type jsonOnly struct{ s string }

func (j jsonOnly) String() string   { return "jsonOnly" }
func (j jsonOnly) GoString() string { return "jsonOnly" }
func (j jsonOnly) MarshalJSON() ([]byte, error) {
	return []byte(`{"s":` + fmt.Sprintf("%q", j.s) + `}`), nil
}

// Property: under any plan of transient faults the Tenant's retries
// absorb (TransientFaults(4)), creating and deleting connections and
// catalogs succeeds and leaves the cloud as it would without faults.
func TestTransientFaultsAreAbsorbed(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := t.Context()
		faults := flextest.TransientFaults(4).Draw(t, "faults")
		if faults.Faults() > 4 {
			t.Fatalf("plan injects %d faults, want at most 4:\n%v", faults.Faults(), faults)
		}
		plan := faults.Plan()
		if err := plan.Err(); err != nil {
			t.Fatalf("plan: %v", err)
		}
		tn, cloud, _ := flextest.NewTenant(t, flextest.WithFaults(plan))
		spec := flextest.NoConnectivitySpec(nil).Draw(t, "connection")
		if _, err := tn.CreateConnection(ctx, flextest.SubscriptionName, spec); err != nil {
			t.Fatalf("CreateConnection under\n%v\n: %v", faults, err)
		}
		cat := flextest.TenantCatalogSpec(flextest.SubscriptionName, catalog.Connection{}).Draw(t, "catalog")
		if _, err := tn.CreateCatalog(ctx, cat); err != nil {
			t.Fatalf("CreateCatalog under\n%v\n: %v", faults, err)
		}
		flextest.AssertNoOrphans(t, cloud, tn)
		if err := tn.DeleteCatalog(ctx, cat.Name, catalog.DeleteAck{Catalog: cat.Name, MachinesDestroyed: true, Irreversible: true}); err != nil {
			t.Fatalf("DeleteCatalog under\n%v\n: %v", faults, err)
		}
		if err := tn.DeleteConnection(ctx, spec.Name); err != nil {
			t.Fatalf("DeleteConnection under\n%v\n: %v", faults, err)
		}
		if n := len(cloud.Resources(flex.Filter{})); n != 1 {
			t.Fatalf("%d resources left, want the subscription's group", n)
		}
		if plan.Fired() > 4 {
			t.Fatalf("plan fired %d times", plan.Fired())
		}
	})
}

func TestFaultPlan(t *testing.T) {
	p := flextest.FaultPlan{
		{Method: fake.Put, Type: flex.TypeVirtualNetwork, Nth: 2, Times: 1, Kind: flex.ErrThrottled, RetryAfter: 5 * time.Millisecond},
		{Method: fake.Delete, Nth: 1, Times: 2, Kind: flex.ErrUnavailable, Lost: true, RetryAfter: time.Millisecond},
	}
	want := "Put Microsoft.Network/virtualNetworks from call 2, 1 time(s): throttled, retry after 5ms\n" +
		"Delete any type from call 1, 2 time(s): response lost (unavailable), retry after 1ms"
	if diff := cmp.Diff(want, p.String()); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
	if p.Faults() != 3 {
		t.Errorf("Faults = %d", p.Faults())
	}
	plan := p.Plan()
	if n := len(plan.Rules()); n != 2 || plan.Err() != nil {
		t.Fatalf("Plan: %d rules, %v", n, plan.Err())
	}
	// The lost Delete reaches the cloud: the group is gone, yet the call
	// fails with a transient error carrying the Retry-After.
	ctx := t.Context()
	cloud := fake.New()
	rg := &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID("s", "g"), Region: network.WestEurope}}
	if _, err := cloud.Put(ctx, rg); err != nil {
		t.Fatal(err)
	}
	err := fake.WithFaults(cloud, plan).Delete(ctx, rg.ID)
	var fe *flex.Error
	if !errors.Is(err, flex.ErrUnavailable) || !errors.As(err, &fe) || fe.RetryAfter != time.Millisecond {
		t.Fatalf("lost Delete: %v", err)
	}
	if _, err := cloud.Get(ctx, rg.ID); !errors.Is(err, flex.ErrNotFound) {
		t.Errorf("after a lost Delete the group is still there: %v", err)
	}
}

// Every kind of Flex object owns its resources while it lives, renamed or
// not, and takes them with it: AssertNoOrphans passes throughout and the
// tenant ends with only its subscription's resource group.
func TestAssertNoOrphansAcrossObjects(t *testing.T) {
	ctx := t.Context()
	tn, cloud, _ := flextest.NewTenant(t)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		flextest.AssertNoOrphans(t, cloud, tn)
		flextest.AssertLimitsHold(t, tn)
	}
	_, err := tn.AddKey(ctx, flex.KeySpec{Subscription: flextest.SubscriptionName, Region: network.WestEurope, Name: "disk key"})
	must("AddKey", err)
	vpn, err := tn.CreateConnection(ctx, flextest.SubscriptionName, flextest.VPNSpec(nil).Example(2))
	must("CreateConnection", err)
	spec := flextest.TenantCatalogSpec(flextest.SubscriptionName, flextest.ConnectionFacts(vpn)).
		Filter(func(s flex.CatalogSpec) bool { return s.Domain.Joined() }).Example(1)
	_, err = tn.CreateCatalog(ctx, spec)
	must("CreateCatalog", err)
	_, err = tn.CreateBastion(ctx, flex.BastionSpec{Catalog: spec.Name, Username: "flexadmin", Password: secret.New("Str0ng!Passw0rd#"), Source: netip.MustParsePrefix("203.0.113.0/28")})
	must("CreateBastion", err)
	base, _ := image.LookupPrepared("Windows Server 2022 (multi-session)")
	_, err = tn.BuildImage(ctx, image.BuildSpec{Name: "Built", Base: base, Subscription: flextest.SubscriptionName, Region: "westeurope",
		Domain: image.NonDomainJoined, Username: "builder", Password: secret.New("Str0ng!Passw0rd#"), Size: "Standard_D4s_v5",
		AllowedIPs: []netip.Prefix{netip.MustParsePrefix("203.0.113.64/28")}})
	must("BuildImage", err)
	_, err = tn.FinishImageBuild(ctx, flextest.SubscriptionName, "Built")
	must("FinishImageBuild", err)
	_, err = tn.RenameImage(ctx, flextest.SubscriptionName, "Built", "Renamed")
	must("RenameImage", err)
	_, err = tn.ImportImage(ctx, importRequest("Imported"))
	must("ImportImage", err)
	locs, err := tn.ResourceLocations(ctx)
	if err != nil || len(locs) != 1 {
		t.Fatalf("ResourceLocations = %v, %v; want the catalog's", locs, err)
	}
	_, err = tn.RenameResourceLocation(ctx, locs[0].Name, "Renamed location")
	must("RenameResourceLocation", err)

	must("DeleteBastion", tn.DeleteBastion(ctx, flextest.SubscriptionName, vpn.Name, flex.DeleteBastionOptions{Acknowledge: true}))
	must("DeleteCatalog", tn.DeleteCatalog(ctx, spec.Name, catalog.DeleteAck{Catalog: spec.Name, MachinesDestroyed: true, Irreversible: true}))
	must("DeleteImage", tn.DeleteImage(ctx, flextest.SubscriptionName, "Renamed"))
	must("DeleteImage", tn.DeleteImage(ctx, flextest.SubscriptionName, "Imported"))
	must("DeleteKey", tn.DeleteKey(ctx, flextest.SubscriptionName, "disk key"))
	must("DeleteConnection", tn.DeleteConnection(ctx, vpn.Name))
	if res := cloud.Resources(flex.Filter{}); len(res) != 1 {
		t.Errorf("%d resources left: %v", len(res), res)
	}
}

// Machines are checked one by one: a VM its catalog does not list, its OS
// disk, a loose disk and a snapshot no machine has are orphans even though
// their catalog lives; the catalog's own snapshots are not.
func TestAssertNoOrphansMachines(t *testing.T) {
	ctx := t.Context()
	tn, cloud, _ := flextest.NewTenant(t)
	p, _ := quota.PersonaByName(quota.KnowledgeWorker)
	spec := flextest.TenantCatalogSpec(flextest.SubscriptionName, catalog.Connection{}).
		Filter(func(s flex.CatalogSpec) bool { return s.Persona == p && s.MachineType == quota.Static }).Example(1)
	if _, err := tn.CreateCatalog(ctx, spec); err != nil {
		t.Fatal(err)
	}
	ms, err := tn.Machines(ctx, spec.Name)
	if err != nil || len(ms) == 0 {
		t.Fatalf("Machines: %v, %v", ms, err)
	}
	if ms[0].Assigned == "" {
		if _, err := tn.MachineAction(ctx, spec.Name, ms[0].Name, catalog.Start); err != nil && !errors.Is(err, flex.ErrPrecondition) {
			t.Fatal(err)
		}
	}
	if _, err := tn.TakeSnapshot(ctx, spec.Name, ms[0].Name, "Before_patch"); err != nil {
		t.Logf("no snapshot taken (%v); checking without one", err)
	}
	flextest.AssertNoOrphans(t, cloud, tn)

	vms := cloud.Resources(flex.Filter{Type: flex.TypeVirtualMachine})
	if len(vms) == 0 {
		t.Fatal("no VM")
	}
	vm := vms[0].(*flex.VirtualMachine)
	extra := vm.Clone().(*flex.VirtualMachine)
	extra.ID.Name, extra.ComputerName = "EXTRA-VM", "EXTRA-VM"
	extra.OSDisk, extra.PrivateIP = flex.ResourceID{}, netip.Addr{}
	if _, err := cloud.Put(ctx, extra); err != nil {
		t.Fatal(err)
	}
	loose := &flex.Disk{Meta: flex.Meta{ID: flex.ResourceID{Subscription: vm.ID.Subscription, ResourceGroup: vm.ID.ResourceGroup, Type: flex.TypeDisk, Name: "loose-disk"}, Region: vm.Region, Tags: vm.Tags}, SizeGiB: 8}
	snap := &flex.Snapshot{Meta: flex.Meta{ID: flex.ResourceID{Subscription: vm.ID.Subscription, ResourceGroup: vm.ID.ResourceGroup, Type: flex.TypeSnapshot, Name: "nobody_snap"}, Region: vm.Region, Tags: vm.Tags}, Source: vm.OSDisk}
	for _, r := range []flex.Resource{loose, snap} {
		if _, err := cloud.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	rec := newRecorder(t)
	flextest.AssertNoOrphans(rec, cloud, tn)
	for _, want := range []string{"EXTRA-VM", "EXTRA-VM-osdisk", "loose-disk", "nobody_snap"} {
		if !strings.Contains(rec.text(), want) {
			t.Errorf("%s not reported:\n%s", want, rec.text())
		}
	}
	// Nothing else was: without the strays the tenant has no orphan.
	for _, id := range []flex.ResourceID{extra.ID, loose.ID, snap.ID} {
		if err := cloud.Delete(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	flextest.AssertNoOrphans(t, cloud, tn)
}

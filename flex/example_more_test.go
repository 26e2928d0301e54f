package flex_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// exampleOneSub returns a tenant on a new in-memory cloud with the
// subscription "Citrix Managed", and the cloud.
func exampleOneSub(opts ...flex.Option) (*flex.Tenant, *fake.Cloud) {
	cloud := fake.New()
	t := flex.NewTenant(cloud.Scope("contoso"), append([]flex.Option{flex.WithID("contoso")}, opts...)...)
	if _, err := t.AddSubscription(context.Background(), flex.SubscriptionSpec{Name: "Citrix Managed", AzureID: "22222222-2222-2222-2222-222222222222"}); err != nil {
		panic(err)
	}
	return t, cloud
}

// exampleManaged is a No connectivity connection in westeurope.
var exampleManaged = network.NoConnectivitySpec{Name: "managed", Region: network.WestEurope, Range: netip.MustParsePrefix("10.8.0.0/24")}

func ExampleGetAs() {
	ctx := context.Background()
	c := fake.New()
	_, _ = c.Put(ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID("sub-1", "rg"), Region: network.WestEurope}})
	rg, err := flex.GetAs[*flex.ResourceGroup](ctx, c, flex.GroupID("sub-1", "rg"))
	fmt.Println(rg.Region, err)
	_, err = flex.GetAs[*flex.VirtualNetwork](ctx, c, flex.GroupID("sub-1", "rg"))
	fmt.Println(errors.Is(err, flex.ErrInvalid))
	// Output:
	// westeurope <nil>
	// true
}

func ExampleKindOf() {
	err := fmt.Errorf("provision: %w", flex.Errorf(flex.ErrThrottled, "PutVirtualMachine", "vm-1", "too many requests"))
	switch flex.KindOf(err) {
	case flex.ErrThrottled, flex.ErrUnavailable:
		fmt.Println("transient: retry")
	default:
		fmt.Println("give up")
	}
	fmt.Println(flex.KindOf(errors.New("plain")))
	// Output:
	// transient: retry
	// <nil>
}

func ExamplePutAs() {
	ctx := context.Background()
	c := fake.New()
	_, _ = c.Put(ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID("sub-1", "rg"), Region: network.WestEurope}})
	vnet, err := flex.PutAs(ctx, c, &flex.VirtualNetwork{
		Meta:         flex.Meta{ID: flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "v"}, Region: network.WestEurope},
		AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")},
	})
	// PutAs returns the cloud's copy with its own type: no type assertion.
	fmt.Println(vnet.AddressSpace, vnet.State, err)
	// Output:
	// [10.0.0.0/24] Succeeded <nil>
}

func ExampleAccess() {
	// The docs' permission table, node by node, for the two admin roles.
	for _, p := range flex.Permissions()[:3] {
		fmt.Printf("%-30s cloud=%-9s quickdeploy=%s\n", p.Node, p.Cloud, p.QuickDeploy)
	}
	// Output:
	// StoreFronts                    cloud=Yes       quickdeploy=Read-only
	// Administrators                 cloud=Yes       quickdeploy=Read-only
	// Cost Management                cloud=Yes       quickdeploy=No
}

func ExampleFlexAccess() {
	for _, r := range []flex.Role{flex.CloudAdministrator, flex.QuickDeployAdministrator, flex.ReadOnlyAdministrator, flex.DeliveryGroupAdministrator} {
		fmt.Println(r, flex.FlexAccess(r))
	}
	// Output:
	// Cloud Administrator Yes
	// Quick Deploy Administrator Yes
	// Read Only Administrator Read-only
	// Delivery Group Administrator No
}

func ExampleNodeAccess() {
	node := flex.Permissions()[0].Node
	fmt.Println(node)
	for _, r := range []flex.Role{flex.CloudAdministrator, flex.QuickDeployAdministrator, flex.ReadOnlyAdministrator} {
		fmt.Println(r, flex.NodeAccess(r, node))
	}
	// Output:
	// StoreFronts
	// Cloud Administrator Yes
	// Quick Deploy Administrator Read-only
	// Read Only Administrator Read-only
}

func ExampleActivityState() {
	for _, s := range []string{"Running", "successful", "FAILED"} {
		st, err := flex.ParseActivityState(s)
		fmt.Println(st, err)
	}
	// Output:
	// Running <nil>
	// Successful <nil>
	// Failed <nil>
}

func ExampleAdmin() {
	// A read-only administrator can look but not change.
	t, _ := exampleOneSub()
	ro := flex.AsAdmin(context.Background(), flex.Admin{Name: "rita", Role: flex.ReadOnlyAdministrator})
	subs, err := t.Subscriptions(ro)
	fmt.Println(len(subs), err)
	_, err = t.CreateConnection(ro, "Citrix Managed", exampleManaged)
	fmt.Println(err)
	// Output:
	// 1 <nil>
	// CreateConnection administrator rita (Read Only Administrator): precondition failed: ADM-1: a Read Only Administrator has Read-only access to Flex; CreateConnection needs Yes
}

func ExampleAdminFrom() {
	ctx := flex.AsAdmin(context.Background(), flex.Admin{Name: "alice", Role: flex.QuickDeployAdministrator})
	a, ok := flex.AdminFrom(ctx)
	fmt.Println(a, ok)
	_, ok = flex.AdminFrom(context.Background())
	fmt.Println(ok)
	// Output:
	// alice (Quick Deploy Administrator) true
	// false
}

func ExampleConnectorState() {
	s, err := flex.ParseConnectorState("disconnected")
	fmt.Println(s, s.Available(), err)
	// Output:
	// Disconnected false <nil>
}

func ExampleParseConnectorState() {
	for _, name := range []string{"Provisioning", "Connected", "Rebooting"} {
		s, _ := flex.ParseConnectorState(name)
		fmt.Println(s, s.Available())
	}
	// Output:
	// Provisioning false
	// Connected true
	// Rebooting false
}

func ExampleConnectorState_Available() {
	// RL-3: only connected connectors count towards the two a location needs.
	states := []flex.ConnectorState{flex.ConnectorConnected, flex.ConnectorRebooting, flex.ConnectorConnected}
	n := 0
	for _, s := range states {
		if s.Available() {
			n++
		}
	}
	fmt.Println(n, "of", len(states), "available")
	// Output:
	// 2 of 3 available
}

func ExampleError() {
	t, _ := exampleOneSub()
	_, err := t.Catalog(context.Background(), "Sales")
	var fe *flex.Error
	if errors.As(err, &fe) {
		fmt.Println(fe.Op, fe.Object, fe.Kind)
	}
	fmt.Println(errors.Is(err, flex.ErrNotFound))
	// Output:
	// Catalog catalog "Sales" not found
	// true
}

func ExampleErrorf() {
	// A provider reports a cloud failure with its kind, so that the
	// Tenant knows whether to retry.
	err := flex.Errorf(flex.ErrConflict, "DeleteVirtualNetwork", "vnet-1", "subnet %q is in use by %d VMs", "vdas", 3)
	fmt.Println(err)
	fmt.Println(errors.Is(err, flex.ErrConflict))
	// Output:
	// DeleteVirtualNetwork vnet-1: conflict: subnet "vdas" is in use by 3 VMs
	// true
}

func ExampleFilter_Matches() {
	vnet := &flex.VirtualNetwork{Meta: flex.Meta{
		ID:   flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "v"},
		Tags: map[string]string{flex.TagTenant: "contoso"}}}
	mine := flex.Filter{Subscription: "SUB-1", Tags: map[string]string{flex.TagTenant: "contoso"}}
	vms := flex.Filter{Subscription: "sub-1", Type: flex.TypeVirtualMachine}
	fmt.Println(mine.Matches(vnet), vms.Matches(vnet))
	// Output:
	// true false
}

func ExampleKeySource() {
	s, err := flex.ParseKeySource("imported")
	fmt.Println(s, s == flex.KeyImported, err)
	// Output:
	// Imported true <nil>
}

func ExampleOption() {
	// A tenant for a test: a fixed ID, a manual clock, deterministic
	// naming and retries that do not sleep.
	clock := fake.NewClock(time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC))
	t := flex.NewTenant(fake.New(fake.WithClock(clock)),
		flex.WithID("contoso"),
		flex.WithClock(clock.Now),
		flex.WithRandom(rand.NewChaCha8([32]byte{})),
		flex.WithRetryWait(func(ctx context.Context, d time.Duration) error { clock.Advance(d); return nil }),
	)
	fmt.Println(t.ID())
	// Output:
	// contoso
}

func ExampleWithClock() {
	clock := fake.NewClock(time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC))
	t, _ := exampleOneSub(flex.WithClock(clock.Now))
	clock.Advance(time.Hour)
	r, _ := t.RunDue(context.Background())
	fmt.Println(r.At)
	// Output:
	// 2026-05-11 10:00:00 +0000 UTC
}

func ExampleWithID() {
	// Every cloud resource the tenant creates is tagged with its ID (SEC-2).
	t, cloud := exampleOneSub()
	if _, err := t.CreateConnection(context.Background(), "Citrix Managed", exampleManaged); err != nil {
		panic(err)
	}
	n := cloud.Count(flex.Filter{Tags: map[string]string{flex.TagTenant: t.ID()}})
	fmt.Println(t.ID(), n[flex.TypeVirtualNetwork])
	// Output:
	// contoso 1
}

func ExampleWithLimits() {
	lim := quota.DefaultLimits()
	lim.ResourceLocationsPerTenant = 1
	t, _ := exampleOneSub(flex.WithLimits(lim))
	fmt.Println(t.Limits().ResourceLocationsPerTenant)
	bad := lim
	bad.VDAsPerSubscription = 0
	fmt.Println(rule.IDs(bad.Validate())) // check limits before giving them
	// Output:
	// 1
	// [LIM-9]
}

func ExampleWithLogger() {
	// Cloud calls are logged at debug level; secrets never appear.
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" {
				return slog.Attr{}
			}
			return a
		}}))
	_, _ = exampleOneSub(flex.WithLogger(log))
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		fmt.Println(line)
	}
	// Output:
	// level=DEBUG msg="cloud call" op=Put resource=/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/flex-contoso-subscription-Citrix-Managed attempt=1 outcome=ok
}

func ExampleWithOwner() {
	// Calls without an administrator in their context act as the owner:
	// here a read-only one, so changes need an explicit administrator.
	t := flex.NewTenant(fake.New(), flex.WithOwner(flex.Admin{Name: "auditor", Role: flex.ReadOnlyAdministrator}))
	ctx := context.Background()
	spec := flex.SubscriptionSpec{Name: "Citrix Managed", AzureID: "22222222-2222-2222-2222-222222222222"}
	_, err := t.AddSubscription(ctx, spec)
	fmt.Println(errors.Is(err, flex.ErrPrecondition), rule.IDs(err))
	admin := flex.AsAdmin(ctx, flex.Admin{Name: "alice", Role: flex.CloudAdministrator})
	s, err := t.AddSubscription(admin, spec)
	fmt.Println(s.Name, err)
	// Output:
	// true [ADM-1]
	// Citrix Managed <nil>
}

func ExampleWithProgress() {
	// Report the end of each phase of a catalog's provisioning.
	var phases []string
	t, _ := exampleOneSub(flex.WithProgress(func(p flex.Progress) {
		if p.Done == p.Total {
			phases = append(phases, fmt.Sprintf("%s %s: %s %d/%d", p.Op, p.Object, p.Phase, p.Done, p.Total))
		}
	}))
	if _, err := t.CreateCatalog(context.Background(), exampleApps()); err != nil {
		panic(err)
	}
	for _, p := range phases {
		fmt.Println(p)
	}
	// Output:
	// CreateCatalog catalog "Apps": machines 3/3
}

func ExampleWithRandom() {
	// The default naming scheme has a random part (NAM-9): a seeded source
	// makes it repeatable.
	names := func() string {
		t, _ := exampleOneSub(flex.WithRandom(rand.NewChaCha8([32]byte{1})))
		spec := exampleApps()
		spec.NamingScheme = ""
		c, err := t.CreateCatalog(context.Background(), spec)
		if err != nil {
			panic(err)
		}
		return c.NamingScheme
	}
	a, b := names(), names()
	fmt.Println(a == b, a != "")
	// Output:
	// true true
}

func ExampleWithRetryWait() {
	// The cloud throttles the VNet twice; the tenant waits as asked, on a
	// manual clock instead of a timer, and retries.
	clock := fake.NewClock(time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC))
	plan := fake.NewPlan()
	plan.On(fake.Put, flex.TypeVirtualNetwork).Times(2).Throttle(30 * time.Second)
	var waited []time.Duration
	t := flex.NewTenant(fake.WithFaults(fake.New().Scope("contoso"), plan), flex.WithID("contoso"),
		flex.WithRetryWait(func(ctx context.Context, d time.Duration) error {
			waited = append(waited, d)
			clock.Advance(d)
			return nil
		}))
	ctx := context.Background()
	if _, err := t.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Citrix Managed", AzureID: "22222222-2222-2222-2222-222222222222"}); err != nil {
		panic(err)
	}
	_, err := t.CreateConnection(ctx, "Citrix Managed", exampleManaged)
	fmt.Println(err, waited, clock.Now().Format(time.TimeOnly))
	// Output:
	// <nil> [30s 30s] 09:01:00
}

// concurrency is a provider that counts how many VM Puts run at once.
type concurrency struct {
	flex.Provider
	mu            sync.Mutex
	running, most int
}

func (c *concurrency) Put(ctx context.Context, r flex.Resource) (flex.Resource, error) {
	if _, ok := r.(*flex.VirtualMachine); ok {
		c.mu.Lock()
		c.running++
		c.most = max(c.most, c.running)
		c.mu.Unlock()
		defer func() { c.mu.Lock(); c.running--; c.mu.Unlock() }()
		time.Sleep(time.Millisecond)
	}
	return c.Provider.Put(ctx, r)
}

func ExampleWithWorkers() {
	// At most two cloud operations at a time.
	p := &concurrency{Provider: fake.New()}
	t := flex.NewTenant(p, flex.WithWorkers(2))
	ctx := context.Background()
	if _, err := t.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Citrix Managed", AzureID: "22222222-2222-2222-2222-222222222222"}); err != nil {
		panic(err)
	}
	c, err := t.CreateCatalog(ctx, exampleApps())
	fmt.Println(c.Summary.Total, err, p.most)
	// Output:
	// 3 <nil> 2
}

func ExamplePerformance_Size() {
	fmt.Println(flex.StandardPerformance.Size(), flex.HighPerformance.Size())
	// Output:
	// Standard_D2s_v5 Standard_D4s_v5
}

func ExamplePermission() {
	for _, p := range flex.Permissions() {
		if p.Cloud != p.QuickDeploy {
			fmt.Println(p.Node, "| cloud:", p.Cloud, "| quick deploy:", p.QuickDeploy)
		}
	}
	// Output:
	// StoreFronts | cloud: Yes | quick deploy: Read-only
	// Administrators | cloud: Yes | quick deploy: Read-only
	// Cost Management | cloud: Yes | quick deploy: No
	// Director/Monitor | cloud: Yes | quick deploy: No
	// SecureBrowser | cloud: Yes | quick deploy: No
	// Advisor | cloud: Yes | quick deploy: No
	// Backup and restore | cloud: Yes | quick deploy: No
}

func ExamplePermissions() {
	ps := flex.Permissions()
	fmt.Println(len(ps), ps[0].Node)
	// Output:
	// 24 StoreFronts
}

func ExampleRDPAccessSpec_Validate() {
	fmt.Println(flex.RDPAccessSpec{Catalog: "Sales", Source: netip.MustParsePrefix("203.0.113.0/27")}.Validate())
	fmt.Println(flex.RDPAccessSpec{Source: netip.MustParsePrefix("203.0.113.0/24")}.Validate())
	// Output:
	// <nil>
	// TRB-1: no catalog; choose the domain-joined catalog whose connection to open
	// TRB-3: RDP access range 203.0.113.0/24 is larger than a /27; want a /27 to /32
}

func ExampleResourceID() {
	vnet := flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "v"}
	s := vnet.String()
	back, err := flex.ParseResourceID(s)
	fmt.Println(s)
	fmt.Println(back == vnet, err)
	// Output:
	// /subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v
	// true <nil>
}

func ExampleGroupID() {
	rg := flex.GroupID("sub-1", "flex-westeurope")
	fmt.Println(rg)
	fmt.Println(rg.Type, rg.Name, rg.Group() == rg)
	// Output:
	// /subscriptions/sub-1/resourceGroups/flex-westeurope
	// Microsoft.Resources/resourceGroups flex-westeurope true
}

func ExampleParseResourceID() {
	id, err := flex.ParseResourceID("/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/pc-001")
	fmt.Println(id.Subscription, id.ResourceGroup, id.Type, id.Name, err)
	_, err = flex.ParseResourceID("/subscriptions/sub-1/virtualMachines/pc-001")
	fmt.Println(err != nil)
	// Output:
	// sub-1 rg Microsoft.Compute/virtualMachines pc-001 <nil>
	// true
}

func ExampleResourceID_Child() {
	vnet := flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "v"}
	p := vnet.Child(flex.TypePeering, "flex-to-hub")
	fmt.Println(p.Name)
	fmt.Println(p)
	// Output:
	// v/flex-to-hub
	// /subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/virtualNetworkPeerings/flex-to-hub
}

func ExampleResourceID_Group() {
	vm := flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualMachine, Name: "pc-001"}
	fmt.Println(vm.Group())
	// Output:
	// /subscriptions/sub-1/resourceGroups/rg
}

func ExampleResourceID_IsZero() {
	var none flex.ResourceID
	fmt.Println(none.IsZero(), flex.GroupID("sub-1", "rg").IsZero())
	// Output:
	// true false
}

func ExampleSubscriptionSpec_Validate() {
	fmt.Println(flex.SubscriptionSpec{Name: "Citrix Managed", AzureID: "22222222-2222-2222-2222-222222222222"}.Validate())
	fmt.Println(flex.SubscriptionSpec{Name: "", AzureID: "not-a-guid"}.Validate())
	// Output:
	// <nil>
	// SUB-1: subscription name "": want 1–64 characters without leading or trailing spaces
}

func ExampleTenant() {
	// The smallest use: a tenant on the in-memory cloud, a subscription, a
	// connection and a catalog.
	ctx := context.Background()
	t := flex.NewTenant(fake.New())
	if _, err := t.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Citrix Managed", AzureID: "22222222-2222-2222-2222-222222222222"}); err != nil {
		panic(err)
	}
	c, err := t.CreateCatalog(ctx, exampleApps())
	fmt.Println(c.Name, c.State, c.Summary.Total, err)
	fmt.Println(t.Usage().Catalogs.InUse, "catalog,", t.Usage().Subscriptions[0].VDAs.InUse, "VDAs")
	// Output:
	// Apps Active 3 <nil>
	// 1 catalog, 3 VDAs
}

func ExampleNewTenant() {
	cloud := fake.New()
	t := flex.NewTenant(cloud.Scope("contoso"), flex.WithID("contoso"))
	subs, err := t.Subscriptions(context.Background())
	fmt.Println(t.ID(), len(subs), err)
	// Output:
	// contoso 0 <nil>
}

func ExampleTenant_ActivityLog() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	a, err := t.RunTroubleshootingAction(ctx, flex.TroubleshootingSpec{Catalog: "Sales", Machine: "PC-Sales-01", Action: flex.CheckHealth})
	if err != nil {
		panic(err)
	}
	log, err := t.ActivityLog(ctx, a.ID)
	fmt.Println(a.State, len(log) > 0, err)
	_, err = t.ActivityLog(ctx, 999)
	fmt.Println(errors.Is(err, flex.ErrNotFound))
	// Output:
	// Successful true <nil>
	// true
}

func ExampleTenant_AddSubscription() {
	t := flex.NewTenant(fake.New())
	ctx := context.Background()
	s, err := t.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Citrix Managed", AzureID: "22222222-2222-2222-2222-222222222222"})
	fmt.Println(s.Name, s.VDAs, err)
	_, err = t.AddSubscription(ctx, flex.SubscriptionSpec{Name: "citrix managed", AzureID: "33333333-3333-3333-3333-333333333333"})
	fmt.Println(rule.IDs(err))
	_, err = t.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Second", AzureID: "22222222-2222-2222-2222-222222222222"})
	fmt.Println(rule.IDs(err))
	// Output:
	// Citrix Managed 0 <nil>
	// [SUB-1]
	// [SUB-2]
}

func ExampleTenant_Catalog() {
	t, _, _ := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleDesktops()); err != nil {
		panic(err)
	}
	c, err := t.Catalog(ctx, "sales") // names compare ignoring case
	fmt.Println(c.Name, c.State, err)
	fmt.Println(c.Summary)
	// Output:
	// Sales Active <nil>
	// 3 machines: 3 powered on, 0 suspended, 0 powered off; 0 support hibernation, 0 active sessions, 0 unregistered
}

func ExampleTenant_DeleteConnector() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	l, _ := t.AddConnectors(ctx, "West", flex.ConnectorRequest{Count: 1,
		ServiceAccount: `CORP\svc-flex`, Password: secret.New("Zq8!vT3#pL0-sekrit")})
	fmt.Println(len(l.Connectors))
	fmt.Println(t.DeleteConnector(ctx, "West", "WESTXCC-03"))
	err := t.DeleteConnector(ctx, "West", "WESTXCC-01")
	fmt.Println(err)
	// Output:
	// 3
	// <nil>
	// DeleteConnector connector "WESTXCC-01": precondition failed: RL-3: deleting it would leave 1 available connector(s) in resource location "West"; at least two must remain, add connectors first
}

func ExampleTenant_DeleteSnapshots() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	for _, name := range []string{"before_patch", "after_patch"} {
		if _, err := t.TakeSnapshot(ctx, "Sales", "PC-Sales-01", name); err != nil {
			panic(err)
		}
	}
	err := t.DeleteSnapshots(ctx, "Sales", "PC-Sales-01", "before_patch", "no_such")
	fmt.Println(errors.Is(err, flex.ErrNotFound))
	fmt.Println(t.DeleteSnapshots(ctx, "Sales", "PC-Sales-01", "before_patch"))
	ss, _ := t.Snapshots(ctx, "Sales", "PC-Sales-01")
	fmt.Println(len(ss), ss[0].Name)
	// Output:
	// true
	// <nil>
	// 1 after_patch
}

func ExampleTenant_ID() {
	t := flex.NewTenant(fake.New())
	fmt.Println(t.ID())
	fmt.Println(flex.NewTenant(fake.New(), flex.WithID("fabrikam")).ID())
	// Output:
	// default
	// fabrikam
}

func ExampleTenant_Limits() {
	t := flex.NewTenant(fake.New())
	l := t.Limits()
	fmt.Println(l.CatalogsPerTenant, l.VDAsPerSubscription, l == quota.DefaultLimits())
	// Output:
	// 100 5000 true
}

func ExampleTenant_RDPAccesses() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	if _, err := t.EnableRDPAccess(ctx, flex.RDPAccessSpec{Catalog: "Sales", Source: netip.MustParsePrefix("198.51.100.32/27")}); err != nil {
		panic(err)
	}
	all, err := t.RDPAccesses(ctx)
	for _, a := range all {
		fmt.Println(a.Connection, a.Catalog, a.Source, a.Enabled.Format(time.RFC3339))
	}
	fmt.Println(err)
	// Output:
	// hub Sales 198.51.100.32/27 2026-05-11T09:00:00Z
	// <nil>
}

func ExampleTenant_RemoveApp() {
	t, _, _ := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleApps()); err != nil {
		panic(err)
	}
	_, _ = t.AddApp(ctx, "Apps", catalog.App{Name: "Notepad", Source: catalog.FromStartMenu, Path: `C:\Windows\notepad.exe`})
	c, err := t.RemoveApp(ctx, "Apps", "NOTEPAD")
	fmt.Println(len(c.Apps), err)
	_, err = t.RemoveApp(ctx, "Apps", "Notepad")
	fmt.Println(errors.Is(err, flex.ErrNotFound))
	// Output:
	// 0 <nil>
	// true
}

func ExampleTenant_RemoveSubscription() {
	t, _ := exampleOneSub()
	ctx := context.Background()
	_, _ = t.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Spare", AzureID: "33333333-3333-3333-3333-333333333333"})
	fmt.Println(t.RemoveSubscription(ctx, "Spare"))
	err := t.RemoveSubscription(ctx, "Citrix Managed") // the last one
	fmt.Println(rule.IDs(err))
	// Output:
	// <nil>
	// [SUB-4]
}

func ExampleTenant_RemoveUsers() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	ann := catalog.Principal{Directory: "corp.example.com", Kind: catalog.User, ID: "ann@corp.example.com"}
	c, err := t.RemoveUsers(ctx, "Sales", ann)
	fmt.Println(len(c.Principals), err)
	_, err = t.RemoveUsers(ctx, "Sales", ann)
	fmt.Println(errors.Is(err, flex.ErrNotFound))
	// PC-Sales-01 stays assigned to ann, whose data it holds.
	ms, _ := t.Machines(ctx, "Sales")
	fmt.Println(ms[0].Name, ms[0].Assigned)
	// Output:
	// 2 <nil>
	// true
	// PC-Sales-01 ann@corp.example.com
}

func ExampleTenant_RenameResourceLocation() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	l, err := t.RenameResourceLocation(ctx, "West", "Amsterdam")
	fmt.Println(l.Name, l.Catalogs, err)
	// Output:
	// Amsterdam [Sales] <nil>
}

func ExampleTenant_RestartConnector() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	l, err := t.RestartConnector(ctx, "West", "WESTXCC-01")
	fmt.Println(err)
	for _, c := range l.Connectors {
		fmt.Println(c.Name, c.State)
	}
	// Output:
	// <nil>
	// WESTXCC-01 Connected
	// WESTXCC-02 Connected
}

func ExampleTenant_RestoreSnapshot() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	if _, err := t.TakeSnapshot(ctx, "Sales", "PC-Sales-02", "known_good"); err != nil {
		panic(err)
	}
	m, err := t.RestoreSnapshot(ctx, "Sales", "PC-Sales-02", "known_good")
	fmt.Println(m.Name, m.Restore, m.Power, err)
	_, err = t.RestoreSnapshot(ctx, "Sales", "PC-Sales-01", "known_good") // another machine's snapshot
	fmt.Println(errors.Is(err, flex.ErrNotFound))
	// Output:
	// PC-Sales-02 Completed deallocated <nil>
	// true
}

func ExampleTenant_RunDue() {
	t, _, clock := exampleTroubleshooting()
	ctx := context.Background()
	daily := catalog.Schedules{Daily: catalog.Schedule{Kind: catalog.Daily, At: catalog.MustParseTimeOfDay("02:00")}}
	if _, err := t.ScheduleSnapshots(ctx, "Sales", daily); err != nil {
		panic(err)
	}
	clock.Set(time.Date(2026, 5, 12, 0, 30, 0, 0, time.UTC)) // 02:30 in Berlin
	r, err := t.RunDue(ctx)
	fmt.Println(r.At, err)
	for _, line := range r.Ran {
		fmt.Println(line)
	}
	ss, _ := t.Snapshots(ctx, "Sales", "")
	fmt.Println(len(ss), "snapshots")
	// Output:
	// 2026-05-12 00:30:00 +0000 UTC <nil>
	// snapshot Daily_20260512T0000Z of machine "PC-Sales-01" of catalog "Sales"
	// snapshot Daily_20260512T0000Z of machine "PC-Sales-02" of catalog "Sales"
	// snapshot Daily_20260512T0000Z of machine "PC-Sales-03" of catalog "Sales"
	// 3 snapshots
}

func ExampleTenant_SaveFile() {
	t, cloud := exampleOneSub()
	dir, err := os.MkdirTemp("", "flexstate")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "tenant.json")
	fmt.Println(t.SaveFile(path))
	info, _ := os.Stat(path)
	fmt.Println(info.Mode().Perm())
	f, _ := os.Open(path)
	defer f.Close()
	t2, err := flex.Load(f, cloud.Scope("contoso"))
	fmt.Println(t2.ID(), err)
	// Output:
	// <nil>
	// -rw-------
	// contoso <nil>
}

func ExampleTenant_ScheduleConnectorUpdates() {
	t, _, _ := exampleTroubleshooting()
	l, err := t.ScheduleConnectorUpdates(context.Background(), "West",
		flex.ConnectorUpdates{At: catalog.MustParseTimeOfDay("03:00"), TimeZone: "Europe/Amsterdam"})
	fmt.Println(l.Updates.WhenAvailable, l.Updates.At, l.Updates.TimeZone, err)
	// Output:
	// false 03:00 Europe/Amsterdam <nil>
}

func ExampleTenant_SetLocationConnectivity() {
	t, _, _ := exampleTroubleshooting()
	l, err := t.SetLocationConnectivity(context.Background(), "West", flex.InternalConnectivity)
	fmt.Println(l.Name, l.Connectivity, err)
	// Output:
	// West internal only <nil>
}

func ExampleTenant_Snapshots() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	_, _ = t.TakeSnapshot(ctx, "Sales", "PC-Sales-01", "first")
	_, _ = t.TakeSnapshot(ctx, "Sales", "PC-Sales-01", "second")
	_, _ = t.TakeSnapshot(ctx, "Sales", "PC-Sales-02", "first")
	ss, err := t.Snapshots(ctx, "Sales", "")
	for _, s := range ss {
		fmt.Println(s.Machine, s.Name, s.Kind, s.Incremental)
	}
	fmt.Println(err)
	// Output:
	// PC-Sales-01 first Anytime false
	// PC-Sales-01 second Anytime true
	// PC-Sales-02 first Anytime false
	// <nil>
}

func ExampleTenant_Subscriptions() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	_, _ = t.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Archive", AzureID: "33333333-3333-3333-3333-333333333333"})
	subs, err := t.Subscriptions(ctx)
	for _, s := range subs {
		fmt.Println(s.Name, s.VDAs, s.Near)
	}
	fmt.Println(err)
	// Output:
	// Archive 0 false
	// Citrix Managed 3 false
	// <nil>
}

func ExampleTenant_UpdateApp() {
	t, _, _ := exampleCatalogs()
	ctx := context.Background()
	if _, err := t.CreateCatalog(ctx, exampleApps()); err != nil {
		panic(err)
	}
	app := catalog.App{Name: "Report", Source: catalog.ByPath, Path: `C:\Tools\report.exe`}
	_, _ = t.AddApp(ctx, "Apps", app)
	app.Name, app.Args = "Quarterly report", []string{"/q", "Q2"}
	c, err := t.UpdateApp(ctx, "Apps", "Report", app)
	fmt.Println(c.Apps[0].Name, "|", c.Apps[0].CommandLine(), err)
	app.Path = ""
	_, err = t.UpdateApp(ctx, "Apps", "Quarterly report", app)
	fmt.Println(rule.IDs(err))
	// Output:
	// Quarterly report | C:\Tools\report.exe /q Q2 <nil>
	// [CAT-11]
}

func ExampleTenant_Usage() {
	t, _, _ := exampleTroubleshooting()
	u := t.Usage()
	fmt.Println(u.Catalogs.Rule, u.Catalogs.InUse, "of", u.Catalogs.Limit)
	fmt.Println(u.ResourceLocations.InUse, u.ADDomains.InUse, u.Domains)
	for _, s := range u.Subscriptions {
		fmt.Println(s.Name, s.VDAs.InUse, "of", s.VDAs.Limit)
	}
	// Output:
	// LIM-2 1 of 100
	// 1 1 [corp.example.com]
	// Citrix Managed 3 of 5000
}

func ExampleTroubleshootingAction() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	for _, a := range flex.TroubleshootingActions() {
		act, err := t.RunTroubleshootingAction(ctx, flex.TroubleshootingSpec{Catalog: "Sales", Machine: "PC-Sales-01", Action: a})
		fmt.Println(a, act.State, err)
	}
	// Output:
	// CollectLogs Successful <nil>
	// CheckHealth Successful <nil>
	// RestartMachine Successful <nil>
}

func ExampleTroubleshootingActions() {
	fmt.Println(flex.TroubleshootingActions())
	// Output:
	// [CollectLogs CheckHealth RestartMachine]
}

func ExampleReconcileReport_Clean() {
	t, _ := exampleOneSub()
	ctx := context.Background()
	if _, err := t.CreateConnection(ctx, "Citrix Managed", exampleManaged); err != nil {
		panic(err)
	}
	r, err := t.Reconcile(ctx, flex.ReconcileOptions{})
	fmt.Println(r.Clean(), err)
	// Output:
	// true <nil>
}

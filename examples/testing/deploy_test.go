package deploy_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	deploy "github.com/daasflex/daasflex/examples/testing"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
	"github.com/google/go-cmp/cmp"
)

// corpSub is the customer's Azure subscription, which holds the hub.
const corpSub = "11111111-1111-1111-1111-111111111111"

// env is one test's world: an in-memory cloud holding the corporate hub
// VNet, a fault plan and a recorder between it and a tenant, and a manual
// clock they all read.
type env struct {
	clock *fake.Clock
	cloud *fake.Cloud
	plan  *fake.Plan
	rec   *fake.Recorder
	tn    *flex.Tenant
	retry deploy.Retry
	slept []time.Duration // what Provision waited for
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := t.Context()
	e := &env{clock: fake.NewClock(time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC)), plan: fake.NewPlan()}
	e.cloud = fake.New(fake.WithClock(e.clock))

	// The customer's hub exists before Flex does, untagged.
	hub := flex.GroupID(corpSub, "corp")
	if _, err := e.cloud.Put(ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: hub, Region: network.WestEurope}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cloud.Put(ctx, &flex.VirtualNetwork{
		Meta:         flex.Meta{ID: flex.ResourceID{Subscription: corpSub, ResourceGroup: "corp", Type: flex.TypeVirtualNetwork, Name: "hub"}, Region: network.WestEurope},
		AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
	}); err != nil {
		t.Fatal(err)
	}

	// Calls go tenant → recorder → faults → the tenant's view of the cloud:
	// the recorder sees every call the tenant makes, faults included.
	e.rec = fake.Record(fake.WithFaults(e.cloud.Scope("contoso"), e.plan))
	e.tn = flex.NewTenant(e.rec, flex.WithID("contoso"), flex.WithClock(e.clock.Now))
	if _, err := e.tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "prod", AzureID: "prod-sub"}); err != nil {
		t.Fatal(err)
	}
	// Provision's waits move the manual clock instead of sleeping.
	e.retry = deploy.Retry{Sleep: func(_ context.Context, d time.Duration) error {
		e.slept = append(e.slept, d)
		e.clock.Advance(d)
		return nil
	}}
	e.rec.Reset()
	return e
}

// sales is the department the tests provision: 40 users, 5 machines.
func sales() deploy.Department {
	users := make([]string, 40)
	for i := range users {
		users[i] = fmt.Sprintf("user%02d@corp.example.com", i+1)
	}
	return deploy.Department{
		Name: "Sales", Subscription: "prod", Region: network.WestEurope,
		Hub:   network.ResourceID{Subscription: corpSub, ResourceGroup: "corp", Type: "virtualNetworks", Name: "hub"},
		Range: netip.MustParsePrefix("192.168.0.0/24"), DNS: []netip.Addr{netip.MustParseAddr("10.0.0.4")},
		Users: users,
		AD: image.ADConfig{Domain: "corp.example.com", ServiceAccount: `CORP\svc-flex`,
			Password: secret.New("Zq8!vT3#pL0-sekrit")},
		VMSize: "Standard_D4s_v5", BackupVMSize: "Standard_D4as_v5",
	}
}

// sizes returns how many of the catalog's VMs the cloud holds, by size.
func (e *env) sizes(catalog string) map[string]int {
	out := map[string]int{}
	for _, r := range e.cloud.Resources(flex.Filter{Type: flex.TypeVirtualMachine,
		Tags: map[string]string{flex.TagTenant: "contoso", flex.TagOwner: "catalog/" + catalog}}) {
		out[r.(*flex.VirtualMachine).Size]++
	}
	return out
}

func TestProvision(t *testing.T) {
	e := newEnv(t)
	c, err := deploy.Provision(t.Context(), e.tn, sales(), e.retry)
	if err != nil {
		t.Fatal(err)
	}
	if c.Summary.Total != 5 {
		t.Errorf("%d machines, want 5 for 40 users, 8 to a machine", c.Summary.Total)
	}
	if diff := cmp.Diff(map[string]int{"Standard_D4s_v5": 5}, e.sizes("Sales")); diff != "" {
		t.Errorf("VMs in the cloud (-want +got):\n%s", diff)
	}

	// A second run finds everything there and changes nothing.
	e.rec.Reset()
	if _, err := deploy.Provision(t.Context(), e.tn, sales(), e.retry); err != nil {
		t.Fatal(err)
	}
	for _, c := range e.rec.Calls() {
		if c.Method != fake.Get && c.Method != fake.List {
			t.Errorf("the second run changed the cloud: %s", c)
		}
	}
}

// TestProvisionFallsBackToBackupSize: the region has no capacity for the
// primary size, so the catalog's machines get the backup size (CAT-14).
func TestProvisionFallsBackToBackupSize(t *testing.T) {
	e := newEnv(t)
	full := e.plan.On(fake.Put, flex.TypeVirtualMachine).Size("Standard_D4s_v5").Fail(flex.ErrCapacity)

	if _, err := deploy.Provision(t.Context(), e.tn, sales(), e.retry); err != nil {
		t.Fatal(err)
	}
	if full.Fired() == 0 {
		t.Error("the capacity fault never fired")
	}
	if diff := cmp.Diff(map[string]int{"Standard_D4as_v5": 5}, e.sizes("Sales")); diff != "" {
		t.Errorf("VMs in the cloud (-want +got):\n%s", diff)
	}
	if len(e.slept) != 0 {
		t.Errorf("Provision waited %v; the backup size needs no retry", e.slept)
	}
}

// TestProvisionRidesOutThrottling: the cloud throttles three calls; the
// Tenant waits as asked and repeats each, and Provision never notices.
func TestProvisionRidesOutThrottling(t *testing.T) {
	e := newEnv(t)
	throttle := e.plan.Throttle(3, time.Millisecond)

	if _, err := deploy.Provision(t.Context(), e.tn, sales(), e.retry); err != nil {
		t.Fatal(err)
	}
	if throttle.Fired() != 3 {
		t.Errorf("throttled %d calls, want 3", throttle.Fired())
	}
	// Each throttled call was made again, until it succeeded.
	calls := e.rec.Calls()
	for i, c := range calls {
		if c.Kind() == flex.ErrThrottled && !slices.ContainsFunc(calls[i+1:], func(later fake.Call) bool {
			return later.Op() == c.Op() && later.ID == c.ID && later.Err == nil
		}) {
			t.Errorf("%s was not retried", c)
		}
	}
	if len(e.slept) != 0 {
		t.Errorf("Provision waited %v; the Tenant's retries were enough", e.slept)
	}
}

// TestProvisionRetriesWhatTheTenantGaveUpOn: the hub throttles the VNet
// longer than the Tenant retries, so creating the connection fails, leaves
// nothing behind, and Provision tries again after its backoff.
func TestProvisionRetriesWhatTheTenantGaveUpOn(t *testing.T) {
	e := newEnv(t)
	start := e.clock.Now()
	busy := e.plan.On(fake.Put, flex.TypeVirtualNetwork).Times(5).Throttle(time.Millisecond)

	if _, err := deploy.Provision(t.Context(), e.tn, sales(), e.retry); err != nil {
		t.Fatal(err)
	}
	if busy.Fired() != 5 {
		t.Errorf("throttled %d VNet puts, want 5", busy.Fired())
	}
	if diff := cmp.Diff([]time.Duration{30 * time.Second}, e.slept); diff != "" {
		t.Errorf("Provision's waits (-want +got):\n%s", diff)
	}
	if got := e.clock.Now().Sub(start); got != 30*time.Second {
		t.Errorf("the manual clock moved %v, want 30s", got)
	}
	// One connection, as if nothing had happened.
	got := e.cloud.Count(flex.Filter{Tags: map[string]string{flex.TagTenant: "contoso", flex.TagOwner: "connection/Sales"}})
	if diff := cmp.Diff(map[flex.ResourceType]int{flex.TypeResourceGroup: 1, flex.TypeVirtualNetwork: 1, flex.TypeRouteTable: 1, flex.TypePeering: 2}, got); diff != "" {
		t.Errorf("the connection's resources (-want +got):\n%s", diff)
	}
}

// TestProvisionDoesNotRetryMistakes: a range smaller than a /24 breaks
// NET-5; Provision reports it at once, and the cloud is not changed.
func TestProvisionDoesNotRetryMistakes(t *testing.T) {
	e := newEnv(t)
	d := sales()
	d.Range = netip.MustParsePrefix("192.168.0.0/25")

	_, err := deploy.Provision(t.Context(), e.tn, d, e.retry)
	if !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "NET-5") {
		t.Fatalf("err = %v, want ErrInvalid with NET-5", err)
	}
	// The Tenant read the hub's address space to check the range (NET-4),
	// and did nothing else.
	var calls []string
	for _, c := range e.rec.Calls() {
		calls = append(calls, c.String())
	}
	hub := flex.ResourceID{Subscription: corpSub, ResourceGroup: "corp", Type: flex.TypeVirtualNetwork, Name: "hub"}
	if diff := cmp.Diff([]string{"Get " + hub.String() + ": ok"}, calls); diff != "" {
		t.Errorf("cloud calls for a refused request (-want +got):\n%s", diff)
	}
	if len(e.slept) != 0 {
		t.Errorf("Provision waited %v before giving up on a mistake", e.slept)
	}
}

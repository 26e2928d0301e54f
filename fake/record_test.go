package fake_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/google/go-cmp/cmp"
)

// callLines returns the String of each call.
func callLines(calls []fake.Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.String()
	}
	return out
}

// Every method is recorded in order, with its resource, request details
// and outcome.
func TestRecordEveryMethod(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	rec := fake.Record(c)
	v := mustPut(t, rec, vm("vm-1", "v", "a"))
	snap := mustPut(t, c, &flex.Snapshot{Meta: meta(id(flex.TypeSnapshot, "s1")), Source: v.OSDisk}) // not recorded
	_, _ = rec.Get(ctx, v.ID)
	_, _ = rec.List(ctx, flex.Filter{Subscription: sub, ResourceGroup: rg, Type: flex.TypeVirtualMachine})
	_ = rec.Power(ctx, v.ID, flex.Deallocate)
	_ = rec.RestoreSnapshot(ctx, v.ID, snap.ID)
	after, _ := flex.GetAs[*flex.VirtualMachine](ctx, c, v.ID)
	_, _ = rec.GrantDiskAccess(ctx, after.OSDisk, time.Hour)
	_, _ = rec.RotateKey(ctx, id(flex.TypeKey, "kv/none"))
	_ = rec.ResetVPNGateway(ctx, id(flex.TypeVPNGateway, "none"))
	_ = rec.Delete(ctx, v.ID)
	if rec.ErrorAs(errors.New("x"), new(error)) {
		t.Error("ErrorAs reports a native error of the fake")
	}

	calls := rec.Calls()
	want := []string{
		"PutVirtualMachine " + v.ID.String() + ": ok",
		"Get " + v.ID.String() + ": ok",
		"List /subscriptions/" + sub + "/resourceGroups/" + rg + ": ok",
		"Power " + v.ID.String() + ": ok",
		"RestoreSnapshot " + v.ID.String() + ": ok",
		"GrantDiskAccess " + after.OSDisk.String() + ": ok",
		"RotateKey " + id(flex.TypeKey, "kv/none").String() + ": not found",
		"ResetVPNGateway " + id(flex.TypeVPNGateway, "none").String() + ": not found",
		"DeleteVirtualMachine " + v.ID.String() + ": ok",
	}
	if d := cmp.Diff(want, callLines(calls)); d != "" {
		t.Fatalf("calls (-want +got):\n%s", d)
	}
	type details struct {
		Method   fake.Method
		Action   flex.PowerAction
		Snapshot flex.ResourceID
		Filter   flex.Filter
		Kind     error
		Pending  bool
	}
	got := []details{
		{calls[2].Method, calls[2].Action, calls[2].Snapshot, calls[2].Filter, calls[2].Kind(), calls[2].Pending},
		{calls[3].Method, calls[3].Action, calls[3].Snapshot, calls[3].Filter, calls[3].Kind(), calls[3].Pending},
		{calls[4].Method, calls[4].Action, calls[4].Snapshot, calls[4].Filter, calls[4].Kind(), calls[4].Pending},
		{calls[6].Method, calls[6].Action, calls[6].Snapshot, calls[6].Filter, calls[6].Kind(), calls[6].Pending},
	}
	wantDetails := []details{
		{Method: fake.List, Filter: flex.Filter{Subscription: sub, ResourceGroup: rg, Type: flex.TypeVirtualMachine}},
		{Method: fake.Power, Action: flex.Deallocate},
		{Method: fake.RestoreSnapshot, Snapshot: snap.ID},
		{Method: fake.RotateKey, Kind: flex.ErrNotFound},
	}
	if d := cmp.Diff(wantDetails, got, cmp.Comparer(func(a, b error) bool { return a == b })); d != "" {
		t.Errorf("details (-want +got):\n%s", d)
	}
	if n := rec.Count(fake.AnyMethod, v.ID); n != 5 {
		t.Errorf("Count of calls on the VM = %d, want 5 (Put, Get, Power, RestoreSnapshot, Delete)", n)
	}
}

// A recorded Put keeps a copy of the resource: changing the caller's value
// or a returned call does not change the record.
func TestRecordCopies(t *testing.T) {
	c, _ := newCloud(t)
	rec := fake.Record(c)
	nsg := &flex.SecurityGroup{Meta: meta(id(flex.TypeSecurityGroup, "nsg"))}
	mustPut(t, rec, nsg)
	nsg.Tags["changed"] = "by the caller"
	calls := rec.Calls()
	calls[0].Resource.Metadata().Tags["changed"] = "by the reader"
	again := rec.Calls()[0].Resource.Metadata().Tags
	if d := cmp.Diff(map[string]string{flex.TagOwner: "catalog/test"}, again); d != "" {
		t.Errorf("recorded tags (-want +got):\n%s", d)
	}
}

// A call that has not returned is recorded as pending, in the order it
// began; Reset forgets; Count filters by method and resource.
func TestRecordPendingAndReset(t *testing.T) {
	c, _ := newCloud(t)
	plan := fake.NewPlan()
	started := make(chan struct{})
	plan.On(fake.Get, flex.TypeVirtualNetwork).Hang().OnFire(func(fake.Call) { close(started) })
	rec := fake.Record(fake.WithFaults(c, plan))
	stop, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	hung := id(flex.TypeVirtualNetwork, "v")
	go func() { _, err := rec.Get(stop, hung); done <- err }()
	recv(t, started)
	_, _ = rec.Get(ctx, flex.GroupID(sub, rg))
	if d := cmp.Diff([]string{"Get " + hung.String() + ": pending", "Get " + flex.GroupID(sub, rg).String() + ": ok"}, callLines(rec.Calls())); d != "" {
		t.Errorf("while hanging (-want +got):\n%s", d)
	}
	cancel()
	recv(t, done)
	calls := rec.Calls()
	if calls[0].Pending || !errors.Is(calls[0].Err, context.Canceled) || calls[0].Outcome() != context.Canceled.Error() {
		t.Errorf("after cancel: %v (pending %v)", calls[0], calls[0].Pending)
	}
	if rec.Count(fake.Get, hung) != 1 || rec.Count(fake.Put, flex.ResourceID{}) != 0 || rec.Count(fake.AnyMethod, flex.ResourceID{}) != 2 {
		t.Errorf("Count: %d %d %d, want 1 0 2", rec.Count(fake.Get, hung), rec.Count(fake.Put, flex.ResourceID{}), rec.Count(fake.AnyMethod, flex.ResourceID{}))
	}
	rec.Reset()
	if rec.Len() != 0 || len(rec.Calls()) != 0 {
		t.Errorf("after Reset: %d calls", rec.Len())
	}
	if rec.Unwrap() == nil {
		t.Error("Unwrap = nil")
	}
}

// The duration of a call is measured around the provider under the
// recorder.
func TestRecordDuration(t *testing.T) {
	c, _ := newCloud(t)
	plan := fake.NewPlan()
	plan.On(fake.Get, "").Delay(15 * time.Millisecond)
	rec := fake.Record(fake.WithFaults(c, plan))
	_, _ = rec.Get(ctx, flex.GroupID(sub, rg))
	if got := rec.Calls()[0]; got.Duration < 15*time.Millisecond || got.Err != nil {
		t.Errorf("%v took %s, want ≥ 15ms", got, got.Duration)
	}
}

// Concurrent calls are all recorded (run with -race).
func TestRecordConcurrent(t *testing.T) {
	c, _ := newCloud(t)
	rec := fake.Record(c)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_, _ = rec.Get(ctx, flex.GroupID(sub, rg))
			_ = rec.Calls()
		})
	}
	wg.Wait()
	if n := rec.Count(fake.Get, flex.GroupID(sub, rg)); n != 20 {
		t.Errorf("recorded %d Gets, want 20", n)
	}
}

// A Tenant over a plan and a recorder: throttling is retried honouring
// Retry-After and bounded by the context, as the azure provider's 429s
// would be; a read-only administrator makes no cloud call at all.
func TestTenantUnderFaults(t *testing.T) {
	spec := flex.SubscriptionSpec{Name: "Main", AzureID: "az-1"}
	setup := func(t *testing.T) (*fake.Cloud, *fake.Plan, *fake.Recorder, *flex.Tenant) {
		c := fake.New()
		plan := fake.NewPlan()
		rec := fake.Record(fake.WithFaults(c.Scope("t"), plan))
		return c, plan, rec, flex.NewTenant(rec, flex.WithID("t"))
	}
	groups := func(c *fake.Cloud) int { return c.Count(flex.Filter{})[flex.TypeResourceGroup] }

	t.Run("throttled twice then succeeds", func(t *testing.T) {
		c, plan, rec, tn := setup(t)
		throttle := plan.Throttle(2, 10*time.Millisecond)
		start := time.Now()
		if _, err := tn.AddSubscription(ctx, spec); err != nil {
			t.Fatalf("AddSubscription: %v", err)
		}
		if d := time.Since(start); d < 20*time.Millisecond {
			t.Errorf("took %s; the Tenant did not wait the 2×10ms Retry-After", d)
		}
		lines := callLines(rec.Calls())
		if len(lines) != 3 || throttle.Fired() != 2 {
			t.Fatalf("calls %q, throttle fired %d; want 3 calls, 2 throttled", lines, throttle.Fired())
		}
		var outcomes []string
		for _, c := range rec.Calls() {
			outcomes = append(outcomes, c.Outcome())
		}
		if d := cmp.Diff([]string{"throttled", "throttled", "ok"}, outcomes); d != "" {
			t.Errorf("outcomes (-want +got):\n%s", d)
		}
		if groups(c) != 1 {
			t.Errorf("groups = %d, want 1", groups(c))
		}
	})

	t.Run("Retry-After longer than the context", func(t *testing.T) {
		c, plan, rec, tn := setup(t)
		plan.On(fake.Put, flex.TypeResourceGroup).Throttle(5 * time.Second)
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := tn.AddSubscription(short, spec)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("AddSubscription: %v, want the context's error", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %s; the wait is bounded by the context", d)
		}
		if rec.Len() != 1 || groups(c) != 0 {
			t.Errorf("%d calls, %d groups; want 1, 0", rec.Len(), groups(c))
		}
		subs, _ := tn.Subscriptions(ctx)
		if len(subs) != 0 {
			t.Errorf("subscriptions %v after a failed add, want none", subs)
		}
	})

	t.Run("transient 5xx retried", func(t *testing.T) {
		_, plan, rec, tn := setup(t)
		plan.On(fake.Put, "").Times(2).Fail(flex.ErrUnavailable)
		if _, err := tn.AddSubscription(ctx, spec); err != nil {
			t.Fatalf("AddSubscription: %v", err)
		}
		if rec.Len() != 3 {
			t.Errorf("%d calls, want 3: %q", rec.Len(), callLines(rec.Calls()))
		}
	})

	t.Run("lost response retried idempotently", func(t *testing.T) {
		c, plan, rec, tn := setup(t)
		plan.On(fake.Put, flex.TypeResourceGroup).Once().LoseResponse()
		if _, err := tn.AddSubscription(ctx, spec); err != nil {
			t.Fatalf("AddSubscription: %v", err)
		}
		if rec.Len() != 2 || groups(c) != 1 {
			t.Errorf("%d calls, %d groups; want 2, 1", rec.Len(), groups(c))
		}
	})

	t.Run("no capacity is not retried", func(t *testing.T) {
		_, plan, rec, tn := setup(t)
		plan.On(fake.Put, "").Fail(flex.ErrCapacity)
		_, err := tn.AddSubscription(ctx, spec)
		if !errors.Is(err, flex.ErrCapacity) || rec.Len() != 1 {
			t.Errorf("AddSubscription: %v after %d calls; want ErrCapacity after 1", err, rec.Len())
		}
	})

	t.Run("ADM-1 read-only makes no cloud call", func(t *testing.T) {
		_, _, rec, tn := setup(t)
		ro := flex.AsAdmin(ctx, flex.Admin{Name: "ro", Role: flex.ReadOnlyAdministrator})
		_, err := tn.AddSubscription(ro, spec)
		if !errors.Is(err, flex.ErrPrecondition) {
			t.Errorf("AddSubscription as read-only: %v, want ErrPrecondition", err)
		}
		if rec.Len() != 0 {
			t.Errorf("calls %q, want none", callLines(rec.Calls()))
		}
	})
}

// BenchmarkRecordGet measures what recording adds to a Get; compare
// BenchmarkGetVM. Reset keeps the record from growing across iterations.
func BenchmarkRecordGet(b *testing.B) {
	c, _ := newCloud(b)
	network10(b, c)
	v := mustPut(b, c, vm("vm-1", "v", "a"))
	rec := fake.Record(c)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rec.Get(ctx, v.ID); err != nil {
			b.Fatal(err)
		}
		if rec.Len() > 1<<16 {
			rec.Reset()
		}
	}
}

package fake_test

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// faultOf is what a caller can see of a *flex.Error.
type faultOf struct {
	Kind       error
	Op         string
	Object     string
	RetryAfter time.Duration
}

// wantFault fails the test unless err is a *flex.Error with these fields
// and a cause that starts with code.
func wantFault(t testing.TB, err error, want faultOf, code string) {
	t.Helper()
	var fe *flex.Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *flex.Error", err, err)
	}
	got := faultOf{fe.Kind, fe.Op, fe.Object, fe.RetryAfter}
	if d := cmp.Diff(want, got, cmpopts.EquateErrors()); d != "" {
		t.Fatalf("fault (-want +got):\n%s", d)
	}
	if code != "" && (fe.Err == nil || !strings.HasPrefix(fe.Err.Error(), code)) {
		t.Fatalf("cause %v does not start with %s", fe.Err, code)
	}
}

// recv receives from ch, failing the test when nothing comes within 5s.
func recv[T any](t testing.TB, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("nothing received within 5s")
	}
	var zero T
	return zero
}

// vmCount returns how many VMs the cloud holds.
func vmCount(c *fake.Cloud) int { return c.Count(flex.Filter{})[flex.TypeVirtualMachine] }

// stateOf returns the provisioning state of a resource in the cloud.
func stateOf(t testing.TB, c *fake.Cloud, i flex.ResourceID) flex.ProvisioningState {
	t.Helper()
	r, err := c.Get(ctx, i)
	if err != nil {
		t.Fatalf("Get %s: %v", i, err)
	}
	return r.Metadata().State
}

// Every kind a Fail can name gives a *flex.Error of that kind, naming the
// operation and the resource, with Azure's code first; the call does not
// reach the cloud.
func TestPlanFailKinds(t *testing.T) {
	cases := []struct {
		kind error
		code string
	}{
		{flex.ErrCapacity, "AllocationFailed"},
		{flex.ErrThrottled, "TooManyRequests"},
		{flex.ErrUnavailable, "ServiceUnavailable"},
		{flex.ErrNotFound, "ResourceNotFound"},
		{flex.ErrConflict, "Conflict"},
		{flex.ErrInvalid, "InvalidRequestContent"},
		{flex.ErrLimit, "QuotaExceeded"},
		{flex.ErrBusy, "AnotherOperationInProgress"},
		{flex.ErrPrecondition, "PreconditionFailed"},
	}
	for _, tc := range cases {
		t.Run(tc.kind.Error(), func(t *testing.T) {
			c, _ := newCloud(t)
			network10(t, c)
			plan := fake.NewPlan()
			r := plan.On(fake.Put, flex.TypeVirtualMachine).Fail(tc.kind)
			p := fake.WithFaults(c, plan)
			v := vm("vm-1", "v", "a")
			got, err := p.Put(ctx, v)
			if got != nil {
				t.Errorf("Put returned %v with its error", got)
			}
			wantFault(t, err, faultOf{Kind: tc.kind, Op: "PutVirtualMachine", Object: v.ID.String()}, tc.code)
			if flex.KindOf(err) != tc.kind {
				t.Errorf("KindOf = %v, want %v", flex.KindOf(err), tc.kind)
			}
			if n := vmCount(c); n != 0 {
				t.Errorf("the cloud holds %d VMs after a fault before the call; want 0", n)
			}
			if r.Fired() != 1 || r.Seen() != 1 || plan.Fired() != 1 {
				t.Errorf("Fired %d, Seen %d, plan Fired %d; want 1, 1, 1", r.Fired(), r.Seen(), plan.Fired())
			}
		})
	}
}

// CAT-14: no capacity for one VM size, named in the cause, while the
// backup size goes through.
func TestPlanCapacityForASize(t *testing.T) {
	t.Run("CAT-14 backup size", func(t *testing.T) {
		c, _ := newCloud(t)
		network10(t, c)
		plan := fake.NewPlan()
		full := plan.On(fake.Put, flex.TypeVirtualMachine).Size("standard_d4s_v5").Fail(flex.ErrCapacity)
		p := fake.WithFaults(c, plan)

		v := vm("vm-1", "v", "a")
		v.Size = "Standard_D4s_v5"
		_, err := p.Put(ctx, v)
		wantFault(t, err, faultOf{Kind: flex.ErrCapacity, Op: "PutVirtualMachine", Object: v.ID.String()}, "AllocationFailed")
		if !strings.Contains(err.Error(), "Standard_D4s_v5") || !strings.Contains(err.Error(), string(region)) {
			t.Errorf("error %v does not name the size and region", err)
		}
		v.Size = "Standard_D2s_v5" // the backup size
		if _, err := p.Put(ctx, v); err != nil {
			t.Fatalf("Put of the backup size: %v", err)
		}
		// A VM of the full size in a zone: Azure's zonal code.
		z := vm("vm-2", "v", "a")
		z.Size, z.Zone = "Standard_D4s_v5", "1"
		_, err = p.Put(ctx, z)
		wantFault(t, err, faultOf{Kind: flex.ErrCapacity, Op: "PutVirtualMachine", Object: z.ID.String()}, "ZonalAllocationFailed")
		if full.Fired() != 2 || full.Seen() != 2 {
			t.Errorf("Fired %d Seen %d; want 2, 2 (the backup size is not matched)", full.Fired(), full.Seen())
		}
		if n := vmCount(c); n != 1 {
			t.Errorf("VMs = %d, want 1", n)
		}
	})
}

// A fault fires on the calls it matches only: method, type, name pattern
// (ignoring case, '*' not crossing '/'), predicate.
func TestPlanMatching(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	mustPut(t, c, vm("conn-1", "v", "a"))
	mustPut(t, c, vm("vm-1", "v", "a"))
	mustPut(t, c, vnet("w", "10.1.0.0/16"))
	mustPut(t, c, &flex.Peering{Meta: meta(id(flex.TypeVirtualNetwork, "v").Child(flex.TypePeering, "flex-1")), Remote: id(flex.TypeVirtualNetwork, "w")})

	t.Run("RL-4 connector health check", func(t *testing.T) {
		plan := fake.NewPlan()
		health := plan.On(fake.Get, flex.TypeVirtualMachine).Named("CONN-*").Fail(flex.ErrUnavailable)
		p := fake.WithFaults(c, plan)
		_, err := p.Get(ctx, id(flex.TypeVirtualMachine, "conn-1"))
		wantFault(t, err, faultOf{Kind: flex.ErrUnavailable, Op: "Get", Object: id(flex.TypeVirtualMachine, "conn-1").String()}, "ServiceUnavailable")
		for _, ok := range []func() error{
			func() error { _, err := p.Get(ctx, id(flex.TypeVirtualMachine, "vm-1")); return err },     // other name
			func() error { _, err := p.Put(ctx, vm("conn-1", "v", "a")); return err },                  // other method
			func() error { _, err := p.Get(ctx, id(flex.TypeVirtualNetwork, "v")); return err },        // other type
			func() error { return p.Power(ctx, id(flex.TypeVirtualMachine, "conn-1"), flex.PowerOff) }, // action on it
		} {
			if err := ok(); err != nil {
				t.Errorf("a call the rule does not match failed: %v", err)
			}
		}
		// Always, the default: it fails again.
		if _, err := p.Get(ctx, id(flex.TypeVirtualMachine, "conn-1")); !errors.Is(err, flex.ErrUnavailable) {
			t.Errorf("second health check: %v, want ErrUnavailable", err)
		}
		if health.Fired() != 2 || health.Seen() != 2 {
			t.Errorf("Fired %d Seen %d, want 2, 2", health.Fired(), health.Seen())
		}
	})

	t.Run("child names", func(t *testing.T) {
		plan := fake.NewPlan()
		star := plan.On(fake.Get, flex.TypePeering).Named("flex-*").Fail(flex.ErrNotFound)
		child := plan.On(fake.Get, flex.TypePeering).Named("*/flex-*").Fail(flex.ErrConflict)
		p := fake.WithFaults(c, plan)
		_, err := p.Get(ctx, id(flex.TypeVirtualNetwork, "v").Child(flex.TypePeering, "flex-1"))
		wantKind(t, err, flex.ErrConflict)
		if star.Seen() != 0 || child.Fired() != 1 {
			t.Errorf(`"flex-*" saw %d calls (want 0: '*' does not cross '/'), "*/flex-*" fired %d (want 1)`, star.Seen(), child.Fired())
		}
	})

	t.Run("any method and type", func(t *testing.T) {
		plan := fake.NewPlan()
		all := plan.On(fake.AnyMethod, "").Fail(flex.ErrUnavailable)
		p := fake.WithFaults(c, plan)
		v := id(flex.TypeVirtualMachine, "vm-1")
		calls := []error{
			p.Delete(ctx, v),
			p.Power(ctx, v, flex.Restart),
			p.RestoreSnapshot(ctx, v, id(flex.TypeSnapshot, "s")),
			p.ResetVPNGateway(ctx, id(flex.TypeVPNGateway, "g")),
		}
		_, err := p.List(ctx, flex.Filter{Subscription: sub, ResourceGroup: rg})
		calls = append(calls, err)
		_, err = p.GrantDiskAccess(ctx, id(flex.TypeDisk, "d"), time.Hour)
		calls = append(calls, err)
		_, err = p.RotateKey(ctx, id(flex.TypeKey, "kv/k"))
		calls = append(calls, err)
		ops := []string{"DeleteVirtualMachine", "Power", "RestoreSnapshot", "ResetVPNGateway", "List", "GrantDiskAccess", "RotateKey"}
		for i, err := range calls {
			var fe *flex.Error
			if !errors.As(err, &fe) || fe.Kind != flex.ErrUnavailable || fe.Op != ops[i] {
				t.Errorf("call %d: %v, want ErrUnavailable from %s", i, err, ops[i])
			}
		}
		var fe *flex.Error
		if errors.As(calls[4], &fe) && fe.Object != "/subscriptions/"+sub+"/resourceGroups/"+rg {
			t.Errorf("List fault names %q, want the group listed", fe.Object)
		}
		if all.Fired() != len(ops) {
			t.Errorf("Fired %d, want %d", all.Fired(), len(ops))
		}
		if n := vmCount(c); n != 2 {
			t.Errorf("VMs = %d after faulted deletes, want 2", n)
		}
	})

	t.Run("where", func(t *testing.T) {
		plan := fake.NewPlan()
		dealloc := plan.On(fake.Power, "").Where(func(c fake.Call) bool { return c.Action == flex.Deallocate }).Fail(flex.ErrConflict)
		p := fake.WithFaults(c, plan)
		v := id(flex.TypeVirtualMachine, "vm-1")
		wantKind(t, p.Power(ctx, v, flex.PowerOff), nil)
		wantKind(t, p.Power(ctx, v, flex.Deallocate), flex.ErrConflict)
		wantKind(t, p.Power(ctx, v, flex.Start), nil)
		if dealloc.Fired() != 1 || dealloc.Seen() != 1 {
			t.Errorf("Fired %d Seen %d, want 1, 1", dealloc.Fired(), dealloc.Seen())
		}
	})

	t.Run("list by type", func(t *testing.T) {
		plan := fake.NewPlan()
		plan.On(fake.List, flex.TypeVirtualMachine).Fail(flex.ErrThrottled)
		p := fake.WithFaults(c, plan)
		if _, err := p.List(ctx, flex.Filter{Subscription: sub, Type: flex.TypeVirtualNetwork}); err != nil {
			t.Errorf("List of VNets: %v", err)
		}
		_, err := p.List(ctx, flex.Filter{Subscription: sub, Type: flex.TypeVirtualMachine})
		wantFault(t, err, faultOf{Kind: flex.ErrThrottled, Op: "List", Object: "/subscriptions/" + sub}, "TooManyRequests")
	})
}

// Nth, Times, Once and Always decide which matching calls a rule fires on;
// the first armed rule wins and every matching rule counts the call.
func TestPlanCounts(t *testing.T) {
	c, _ := newCloud(t)
	g := id(flex.TypeVirtualNetwork, "missing")
	outcomes := func(p flex.Provider, n int) string {
		var b strings.Builder
		for range n {
			_, err := p.Get(ctx, g)
			switch {
			case errors.Is(err, flex.ErrUnavailable):
				b.WriteByte('U')
			case errors.Is(err, flex.ErrThrottled):
				b.WriteByte('T')
			case errors.Is(err, flex.ErrNotFound):
				b.WriteByte('.') // the cloud's own answer
			default:
				b.WriteString(fmt.Sprint(err))
			}
		}
		return b.String()
	}
	cases := []struct {
		name  string
		build func(*fake.Plan) []*fake.Rule
		want  string
		fired []int
		seen  []int
	}{
		{"once", func(p *fake.Plan) []*fake.Rule {
			return []*fake.Rule{p.On(fake.Get, "").Once().Fail(flex.ErrUnavailable)}
		},
			"U....", []int{1}, []int{5}},
		{"times", func(p *fake.Plan) []*fake.Rule {
			return []*fake.Rule{p.On(fake.Get, "").Times(3).Fail(flex.ErrUnavailable)}
		}, "UUU..", []int{3}, []int{5}},
		{"always", func(p *fake.Plan) []*fake.Rule { return []*fake.Rule{p.On(fake.Get, "").Fail(flex.ErrUnavailable)} },
			"UUUUU", []int{5}, []int{5}},
		{"nth once", func(p *fake.Plan) []*fake.Rule {
			return []*fake.Rule{p.On(fake.Get, "").Nth(3).Once().Fail(flex.ErrUnavailable)}
		}, "..U..", []int{1}, []int{5}},
		{"nth on", func(p *fake.Plan) []*fake.Rule {
			return []*fake.Rule{p.On(fake.Get, "").Nth(4).Fail(flex.ErrUnavailable)}
		}, "...UU", []int{2}, []int{5}},
		{"times zero disarms", func(p *fake.Plan) []*fake.Rule {
			return []*fake.Rule{p.On(fake.Get, "").Fail(flex.ErrUnavailable).Times(0)}
		}, ".....", []int{0}, []int{5}},
		{"count only", func(p *fake.Plan) []*fake.Rule { return []*fake.Rule{p.On(fake.Get, flex.TypeVirtualNetwork)} },
			".....", []int{0}, []int{5}},
		{"first armed wins", func(p *fake.Plan) []*fake.Rule {
			return []*fake.Rule{
				p.On(fake.Get, "").Times(2).Fail(flex.ErrUnavailable),
				p.On(fake.AnyMethod, flex.TypeVirtualNetwork).Once().Fail(flex.ErrThrottled),
			}
		}, "UUT..", []int{2, 1}, []int{5, 5}},
		{"plan throttle", func(p *fake.Plan) []*fake.Rule { return []*fake.Rule{p.Throttle(2, time.Second)} },
			"TT...", []int{2}, []int{5}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plan := fake.NewPlan()
			rules := tc.build(plan)
			if got := outcomes(fake.WithFaults(c, plan), 5); got != tc.want {
				t.Errorf("outcomes %s, want %s\n%s", got, tc.want, plan)
			}
			var fired, seen []int
			for _, r := range rules {
				fired, seen = append(fired, r.Fired()), append(seen, r.Seen())
			}
			if d := cmp.Diff(tc.fired, fired); d != "" {
				t.Errorf("Fired (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.seen, seen); d != "" {
				t.Errorf("Seen (-want +got):\n%s", d)
			}
		})
	}
}

// Throttling carries RetryAfter, as a 429 with Retry-After does.
func TestPlanThrottle(t *testing.T) {
	c, _ := newCloud(t)
	plan := fake.NewPlan()
	r := plan.On(fake.Delete, flex.TypeRouteTable).Once().Throttle(250 * time.Millisecond)
	p := fake.WithFaults(c, plan)
	rt := id(flex.TypeRouteTable, "rt")
	err := p.Delete(ctx, rt)
	wantFault(t, err, faultOf{Kind: flex.ErrThrottled, Op: "DeleteRouteTable", Object: rt.String(), RetryAfter: 250 * time.Millisecond}, "TooManyRequests")
	if !strings.Contains(err.Error(), "retry after 250ms") {
		t.Errorf("error %v does not say how long to wait", err)
	}
	wantKind(t, p.Delete(ctx, rt), nil)
	if got, want := r.String(), "Delete Microsoft.Network/routeTables, once: throttle, retry after 250ms (fired 1)"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

// NET-12: the route table or the NAT gateway step fails while the rest of
// the network goes through, and a retry of the failed step alone succeeds.
func TestPlanNetworkSteps(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  flex.ResourceType
		res  func() flex.Resource
	}{
		{"NET-12 RouteTableFailed", flex.TypeRouteTable, func() flex.Resource {
			return &flex.RouteTable{Meta: meta(id(flex.TypeRouteTable, "rt"))}
		}},
		{"NET-12 NatGatewayFailed", flex.TypeNATGateway, func() flex.Resource {
			return &flex.NATGateway{Meta: meta(id(flex.TypeNATGateway, "nat"))}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newCloud(t)
			plan := fake.NewPlan()
			step := plan.On(fake.Put, tc.typ).Once().Fail(errors.New("InternalServerError: the step failed"))
			p := fake.WithFaults(c, plan)
			_, err := p.Put(ctx, tc.res())
			var fe *flex.Error
			if !errors.As(err, &fe) || fe.Kind != nil || fe.Object != tc.res().Metadata().ID.String() || !strings.HasPrefix(fe.Op, "Put") {
				t.Fatalf("Put: %v, want a *flex.Error of no kind naming the resource", err)
			}
			if !strings.Contains(err.Error(), "the step failed") {
				t.Errorf("error %v lost its cause", err)
			}
			// The other steps go through.
			network10(t, p)
			if _, err := p.Put(ctx, &flex.SecurityGroup{Meta: meta(id(flex.TypeSecurityGroup, "nsg"))}); err != nil {
				t.Fatal(err)
			}
			if n := c.Count(flex.Filter{})[tc.typ]; n != 0 {
				t.Errorf("%d of the failed type exist, want 0", n)
			}
			// Retried alone, it succeeds.
			if _, err := p.Put(ctx, tc.res()); err != nil {
				t.Fatalf("retry: %v", err)
			}
			if step.Fired() != 1 || step.Seen() != 2 {
				t.Errorf("Fired %d Seen %d, want 1, 2", step.Fired(), step.Seen())
			}
		})
	}
}

// CAT-13: a restore fails once, leaving the machine as it was, and can be
// retried.
func TestPlanRestoreFails(t *testing.T) {
	t.Run("CAT-13 failed restore retried", func(t *testing.T) {
		c, _ := newCloud(t)
		network10(t, c)
		v := mustPut(t, c, vm("vm-1", "v", "a"))
		snap := mustPut(t, c, &flex.Snapshot{Meta: meta(id(flex.TypeSnapshot, "s1")), Source: v.OSDisk})
		wantKind(t, c.Power(ctx, v.ID, flex.Deallocate), nil)

		plan := fake.NewPlan()
		restore := plan.On(fake.RestoreSnapshot, "").Once().Fail(flex.ErrUnavailable)
		p := fake.WithFaults(c, plan)
		err := p.RestoreSnapshot(ctx, v.ID, snap.ID)
		wantFault(t, err, faultOf{Kind: flex.ErrUnavailable, Op: "RestoreSnapshot", Object: v.ID.String()}, "ServiceUnavailable")
		after, err := flex.GetAs[*flex.VirtualMachine](ctx, c, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.OSDisk != v.OSDisk || after.State != flex.Succeeded {
			t.Errorf("after the failed restore: disk %s state %s, want %s Succeeded", after.OSDisk, after.State, v.OSDisk)
		}
		wantKind(t, p.RestoreSnapshot(ctx, v.ID, snap.ID), nil)
		after, _ = flex.GetAs[*flex.VirtualMachine](ctx, c, v.ID)
		if after.OSDisk == v.OSDisk {
			t.Errorf("the retried restore left the old disk %s", after.OSDisk)
		}
		if restore.Fired() != 1 {
			t.Errorf("Fired %d, want 1", restore.Fired())
		}
	})
}

// A lost response: the cloud changed, the caller sees ErrUnavailable, and a
// retried Put finds the resource without making a duplicate.
func TestPlanLoseResponse(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	plan := fake.NewPlan()
	lost := plan.On(fake.Put, flex.TypeVirtualMachine).Once().LoseResponse()
	p := fake.WithFaults(c, plan)

	// A Put the cloud refuses keeps its own error and leaves the fault armed.
	bad := vm("vm-0", "v", "missing-subnet")
	if _, err := p.Put(ctx, bad); err == nil || errors.Is(err, flex.ErrUnavailable) {
		t.Fatalf("Put into a missing subnet: %v, want the cloud's error", err)
	}
	if lost.Fired() != 0 || lost.Seen() != 1 {
		t.Fatalf("after a failed call: Fired %d Seen %d, want 0, 1", lost.Fired(), lost.Seen())
	}

	v := vm("vm-1", "v", "a")
	got, err := p.Put(ctx, v)
	if got != nil {
		t.Errorf("Put returned %v with a lost response", got)
	}
	wantFault(t, err, faultOf{Kind: flex.ErrUnavailable, Op: "PutVirtualMachine", Object: v.ID.String()}, "ServiceUnavailable")
	if !strings.Contains(err.Error(), "completed") {
		t.Errorf("error %v does not say the cloud completed the request", err)
	}
	if n, s := vmCount(c), stateOf(t, c, v.ID); n != 1 || s != flex.Succeeded {
		t.Fatalf("after a lost response: %d VMs in state %s, want 1 Succeeded", n, s)
	}
	if _, err := p.Put(ctx, v); err != nil {
		t.Fatalf("retried Put: %v", err)
	}
	if n := vmCount(c); n != 1 {
		t.Errorf("after the retry: %d VMs, want 1", n)
	}
	if lost.Fired() != 1 {
		t.Errorf("Fired %d, want 1", lost.Fired())
	}

	// AfterCall with another kind: the Delete happened.
	plan.On(fake.Delete, flex.TypeVirtualMachine).AfterCall().Fail(flex.ErrConflict)
	wantKind(t, p.Delete(ctx, v.ID), flex.ErrConflict)
	if n := vmCount(c); n != 0 {
		t.Errorf("after a Delete whose response was lost: %d VMs, want 0", n)
	}
}

// Stuck: the resource exists in a transitional state, the caller waits
// for its context, and Puts and actions on the resource conflict.
func TestPlanStuck(t *testing.T) {
	timeout := func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, 20*time.Millisecond) }

	t.Run("NET-12 stuck provisioning", func(t *testing.T) {
		c, _ := newCloud(t)
		network10(t, c)
		plan := fake.NewPlan()
		hc := id(flex.TypeVirtualHub, "hub").Child(flex.TypeHubConnection, "spoke")
		stuck := plan.On(fake.Put, flex.TypeHubConnection).Once().Stuck()
		p := fake.WithFaults(c, plan)
		mustPut(t, p, &flex.VirtualHub{Meta: meta(id(flex.TypeVirtualHub, "hub")), SKU: "Standard", AddressSpace: pfx("10.100.0.0/24")})
		short, cancel := timeout()
		defer cancel()
		_, err := p.Put(short, &flex.HubConnection{Meta: meta(hc), Remote: id(flex.TypeVirtualNetwork, "v")})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("stuck Put: %v, want the context's error", err)
		}
		if s := stateOf(t, c, hc); s != flex.Creating {
			t.Errorf("state %s, want Creating", s)
		}
		_, err = p.Put(ctx, &flex.HubConnection{Meta: meta(hc), Remote: id(flex.TypeVirtualNetwork, "v")})
		wantCode(t, err, flex.ErrConflict, "AnotherOperationInProgress")
		if stuck.Fired() != 1 {
			t.Errorf("Fired %d, want 1", stuck.Fired())
		}
		// Delete still works, as in Azure.
		wantKind(t, p.Delete(ctx, hc), nil)
	})

	t.Run("OnFire while stuck", func(t *testing.T) {
		c, clk := newCloud(t)
		network10(t, c)
		plan := fake.NewPlan()
		fired := make(chan fake.Call, 1)
		plan.On(fake.Put, flex.TypeVirtualMachine).Once().Stuck().OnFire(func(call fake.Call) {
			clk.Advance(11 * time.Minute) // a test moves its clock past the stuck limit here
			fired <- call
		})
		p := fake.WithFaults(c, plan)
		stop, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { _, err := p.Put(stop, vm("vm-1", "v", "a")); done <- err }()
		call := recv(t, fired)
		if call.Method != fake.Put || call.ID.Name != "vm-1" {
			t.Errorf("OnFire got %v", call)
		}
		// The call is still waiting, the VM is there and Creating.
		select {
		case err := <-done:
			t.Fatalf("the stuck call returned %v before its context ended", err)
		default:
		}
		if s := stateOf(t, c, id(flex.TypeVirtualMachine, "vm-1")); s != flex.Creating {
			t.Errorf("state %s while stuck, want Creating", s)
		}
		if got := clk.Now().Sub(epoch); got != 11*time.Minute {
			t.Errorf("clock moved %s, want 11m", got)
		}
		cancel()
		if err := recv(t, done); !errors.Is(err, context.Canceled) {
			t.Errorf("after cancel: %v, want context.Canceled", err)
		}
	})

	t.Run("power", func(t *testing.T) {
		c, _ := newCloud(t)
		network10(t, c)
		v := mustPut(t, c, vm("vm-1", "v", "a"))
		plan := fake.NewPlan()
		plan.On(fake.Power, flex.TypeVirtualMachine).Once().Stuck()
		p := fake.WithFaults(c, plan)
		short, cancel := timeout()
		defer cancel()
		if err := p.Power(short, v.ID, flex.PowerOff); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("stuck Power: %v", err)
		}
		got, _ := flex.GetAs[*flex.VirtualMachine](ctx, c, v.ID)
		if got.State != flex.Updating || got.PowerState != flex.PowerStopping {
			t.Errorf("stuck power off: %s %s, want Updating stopping", got.State, got.PowerState)
		}
		wantKind(t, p.Power(ctx, v.ID, flex.Start), flex.ErrConflict)
	})

	t.Run("delete", func(t *testing.T) {
		c, _ := newCloud(t)
		nsg := mustPut(t, c, &flex.SecurityGroup{Meta: meta(id(flex.TypeSecurityGroup, "nsg"))})
		plan := fake.NewPlan()
		r := plan.On(fake.Delete, "").Stuck()
		p := fake.WithFaults(c, plan)
		short, cancel := timeout()
		defer cancel()
		if err := p.Delete(short, nsg.ID); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("stuck Delete: %v", err)
		}
		if s := stateOf(t, c, nsg.ID); s != flex.Deleting {
			t.Errorf("state %s, want Deleting (and not deleted)", s)
		}
		// Nothing to be stuck deleting: Azure's 204, not counted.
		wantKind(t, p.Delete(ctx, id(flex.TypeSecurityGroup, "none")), nil)
		if r.Fired() != 1 || r.Seen() != 2 {
			t.Errorf("Fired %d Seen %d, want 1, 2", r.Fired(), r.Seen())
		}
	})

	t.Run("stuck in a chosen state through a view and a recorder", func(t *testing.T) {
		c, _ := newCloud(t)
		view := c.Scope("t1")
		tags := map[string]string{flex.TagTenant: "t1"}
		mustPut(t, view, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(sub, "rg-t1"), Region: region, Tags: tags}})
		plan := fake.NewPlan()
		plan.On(fake.Put, flex.TypeRouteTable).StuckIn(flex.Updating)
		p := fake.WithFaults(fake.Record(view), plan)
		rt := idIn("rg-t1", flex.TypeRouteTable, "rt")
		short, cancel := timeout()
		defer cancel()
		if _, err := p.Put(short, &flex.RouteTable{Meta: flex.Meta{ID: rt, Region: region, Tags: tags}}); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("stuck Put: %v", err)
		}
		if s := stateOf(t, c, rt); s != flex.Updating {
			t.Errorf("state %s, want Updating", s)
		}
	})

	t.Run("a view does not touch another tenant's resource", func(t *testing.T) {
		c, _ := newCloud(t)
		other := mustPut(t, c.Scope("t2"), &flex.SecurityGroup{Meta: flex.Meta{ID: id(flex.TypeSecurityGroup, "theirs"), Region: region, Tags: map[string]string{flex.TagTenant: "t2"}}})
		plan := fake.NewPlan()
		r := plan.On(fake.Delete, "").Stuck()
		p := fake.WithFaults(c.Scope("t1"), plan)
		wantKind(t, p.Delete(ctx, other.ID), nil) // invisible to t1: Azure's 204
		if s := stateOf(t, c, other.ID); s != flex.Succeeded {
			t.Errorf("t2's NSG is %s after t1's stuck delete, want Succeeded", s)
		}
		if r.Fired() != 0 {
			t.Errorf("Fired %d, want 0", r.Fired())
		}
	})

	t.Run("get hangs", func(t *testing.T) {
		c, _ := newCloud(t)
		plan := fake.NewPlan()
		plan.On(fake.Get, "").Stuck()
		short, cancel := timeout()
		defer cancel()
		if _, err := fake.WithFaults(c, plan).Get(short, flex.GroupID(sub, rg)); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("stuck Get: %v", err)
		}
	})

	t.Run("a provider without states", func(t *testing.T) {
		c, _ := newCloud(t)
		plan := fake.NewPlan()
		r := plan.On(fake.Put, "").Stuck()
		p := fake.WithFaults(opaque{c}, plan)
		_, err := p.Put(ctx, &flex.SecurityGroup{Meta: meta(id(flex.TypeSecurityGroup, "nsg"))})
		if err == nil || !strings.Contains(err.Error(), "Stuck") {
			t.Errorf("Put: %v, want an error saying Stuck cannot work", err)
		}
		if n := c.Count(flex.Filter{})[flex.TypeSecurityGroup]; n != 0 || r.Fired() != 0 {
			t.Errorf("%d NSGs, Fired %d; want 0, 0", n, r.Fired())
		}
	})
}

// opaque hides the cloud's state hooks, as a provider of another package
// would.
type opaque struct{ flex.Provider }

// Hang and Delay: waits bounded by the context, before or after the call.
func TestPlanHangAndDelay(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	plan := fake.NewPlan()
	hang := plan.On(fake.Put, flex.TypeSecurityGroup).Named("before").Hang()
	plan.On(fake.Put, flex.TypeSecurityGroup).Named("after").AfterCall().Hang()
	slow := plan.On(fake.Put, flex.TypeRouteTable).Delay(30 * time.Millisecond)
	p := fake.WithFaults(c, plan)

	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := p.Put(short, &flex.SecurityGroup{Meta: meta(id(flex.TypeSecurityGroup, "before"))}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Hang: %v", err)
	}
	short1, cancel1 := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel1()
	if _, err := p.Put(short1, &flex.SecurityGroup{Meta: meta(id(flex.TypeSecurityGroup, "after"))}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Hang after the call: %v", err)
	}
	if got := c.Resources(flex.Filter{Type: flex.TypeSecurityGroup}); len(got) != 1 || got[0].Metadata().ID.Name != "after" {
		t.Errorf("NSGs %v, want only the one put before hanging", got)
	}
	if hang.Fired() != 1 {
		t.Errorf("Hang fired %d, want 1", hang.Fired())
	}

	start := time.Now()
	if _, err := p.Put(ctx, &flex.RouteTable{Meta: meta(id(flex.TypeRouteTable, "rt"))}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("delayed Put took %s, want ≥ 30ms", d)
	}
	short2, cancel2 := context.WithTimeout(ctx, 5*time.Millisecond)
	defer cancel2()
	if _, err := p.Put(short2, &flex.RouteTable{Meta: meta(id(flex.TypeRouteTable, "rt2"))}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Delay past the context: %v", err)
	}
	if c.Count(flex.Filter{})[flex.TypeRouteTable] != 1 || slow.Fired() != 2 {
		t.Errorf("route tables %d, Delay fired %d; want 1, 2", c.Count(flex.Filter{})[flex.TypeRouteTable], slow.Fired())
	}
}

// Custom errors: Fail keeps the cause and fills in the operation and the
// resource; FailFunc returns exactly what its function does.
func TestPlanCustomErrors(t *testing.T) {
	c, _ := newCloud(t)
	sentinel := errors.New("LinkedAuthorizationFailed: the client has no access to the hub")

	plan := fake.NewPlan()
	plan.On(fake.Get, "").Named("a").Fail(sentinel)
	plan.On(fake.Get, "").Named("b").Fail(fmt.Errorf("quota: %w", flex.ErrLimit))
	plan.On(fake.Get, "").Named("c").Fail(&flex.Error{Kind: flex.ErrThrottled, RetryAfter: time.Minute})
	plan.On(fake.Get, "").Named("d").FailFunc(func(fake.Call) error { return sentinel })
	maybe := plan.On(fake.Get, "").Named("e").FailFunc(func(c fake.Call) error { return nil })
	p := fake.WithFaults(c, plan)

	get := func(name string) error { _, err := p.Get(ctx, id(flex.TypeSecurityGroup, name)); return err }
	at := func(name string) string { return id(flex.TypeSecurityGroup, name).String() }

	err := get("a")
	wantFault(t, err, faultOf{Kind: nil, Op: "Get", Object: at("a")}, "LinkedAuthorizationFailed")
	if !errors.Is(err, sentinel) {
		t.Errorf("%v does not wrap the custom error", err)
	}
	wantFault(t, get("b"), faultOf{Kind: flex.ErrLimit, Op: "Get", Object: at("b")}, "quota")
	wantFault(t, get("c"), faultOf{Kind: flex.ErrThrottled, Op: "Get", Object: at("c"), RetryAfter: time.Minute}, "")
	if err := get("d"); err != sentinel {
		t.Errorf("FailFunc: %v, want exactly the function's error", err)
	}
	if err := get("e"); !errors.Is(err, flex.ErrNotFound) {
		t.Errorf("FailFunc returning nil: %v, want the cloud's ErrNotFound", err)
	}
	if maybe.Fired() != 0 || maybe.Seen() != 1 {
		t.Errorf("FailFunc returning nil: Fired %d Seen %d, want 0, 1", maybe.Fired(), maybe.Seen())
	}
}

// A mistake in a plan is never silent: Err reports it and every call fails
// with ErrInvalid without reaching the cloud.
func TestPlanMistakes(t *testing.T) {
	for name, build := range map[string]func(*fake.Plan){
		"pattern":    func(p *fake.Plan) { p.On(fake.Get, "").Named("[").Fail(flex.ErrConflict) },
		"no names":   func(p *fake.Plan) { p.On(fake.Get, "").Named() },
		"nth":        func(p *fake.Plan) { p.On(fake.Get, "").Nth(0) },
		"times":      func(p *fake.Plan) { p.On(fake.Get, "").Times(-1) },
		"fail nil":   func(p *fake.Plan) { p.On(fake.Get, "").Fail(nil) },
		"func nil":   func(p *fake.Plan) { p.On(fake.Get, "").FailFunc(nil) },
		"method":     func(p *fake.Plan) { p.On("Patch", "") },
		"type":       func(p *fake.Plan) { p.On(fake.Put, "Microsoft.Web/sites") },
		"throttle n": func(p *fake.Plan) { p.Throttle(-2, time.Second) },
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := newCloud(t)
			plan := fake.NewPlan()
			build(plan)
			if plan.Err() == nil {
				t.Fatal("Err = nil, want the mistake")
			}
			_, err := fake.WithFaults(c, plan).Put(ctx, &flex.SecurityGroup{Meta: meta(id(flex.TypeSecurityGroup, "nsg"))})
			wantFault(t, err, faultOf{Kind: flex.ErrInvalid, Op: "PutSecurityGroup", Object: id(flex.TypeSecurityGroup, "nsg").String()}, "")
			if n := c.Count(flex.Filter{})[flex.TypeSecurityGroup]; n != 0 {
				t.Errorf("%d NSGs put through a wrong plan, want 0", n)
			}
		})
	}
}

// Nil and zero plans inject nothing; ErrorAs and Unwrap reach the
// provider.
func TestPlanZero(t *testing.T) {
	c, _ := newCloud(t)
	var zero fake.Plan
	zero.On(fake.Get, "").Once().Fail(flex.ErrConflict)
	for _, p := range []*fake.Faulty{fake.WithFaults(c, nil), fake.WithFaults(c, &zero)} {
		if p.Unwrap() != flex.Provider(c) || p.ErrorAs(errors.New("x"), new(error)) {
			t.Error("Unwrap or ErrorAs does not reach the cloud")
		}
		_, _ = p.Get(ctx, flex.GroupID(sub, rg))
	}
	if zero.Fired() != 1 {
		t.Errorf("zero plan fired %d, want 1", zero.Fired())
	}
	if fake.WithFaults(c, nil).Plan() == nil {
		t.Error("a nil plan gives no Plan")
	}
}

func TestMethods(t *testing.T) {
	for _, m := range []fake.Method{fake.AnyMethod, fake.Put, fake.Get, fake.Delete, fake.List, fake.Power,
		fake.RestoreSnapshot, fake.GrantDiskAccess, fake.RotateKey, fake.ResetVPNGateway} {
		got, err := fake.ParseMethod(strings.ToUpper(m.String()))
		if err != nil || got != m {
			t.Errorf("ParseMethod(%q) = %q, %v", m.String(), got, err)
		}
	}
	if _, err := fake.ParseMethod("Patch"); err == nil || !strings.Contains(err.Error(), `"Patch"`) {
		t.Errorf("ParseMethod(Patch): %v, want an error quoting it", err)
	}
}

// Concurrent calls through one plan fire it exactly as often as it says,
// while rules are added and inspected (run with -race).
func TestPlanConcurrent(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	plan := fake.NewPlan()
	full := plan.On(fake.Put, flex.TypeVirtualMachine).Times(10).Fail(flex.ErrCapacity)
	rec := fake.Record(fake.WithFaults(c, plan))
	const n = 40
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = rec.Put(ctx, vm(fmt.Sprintf("vm-%d", i), "v", "a"))
		})
	}
	for range 5 {
		wg.Go(func() {
			plan.On(fake.Get, "").Named("never").Fail(flex.ErrConflict)
			_ = plan.String()
			_ = plan.Fired()
			_ = rec.Calls()
		})
	}
	wg.Wait()
	failed := 0
	for _, err := range errs {
		switch {
		case errors.Is(err, flex.ErrCapacity):
			failed++
		case err != nil:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if failed != 10 || full.Fired() != 10 || full.Seen() != n || vmCount(c) != n-10 {
		t.Errorf("failed %d, Fired %d, Seen %d, VMs %d; want 10, 10, %d, %d", failed, full.Fired(), full.Seen(), vmCount(c), n, n-10)
	}
	if rec.Len() != n || rec.Count(fake.Put, flex.ResourceID{}) != n {
		t.Errorf("recorded %d calls, want %d", rec.Len(), n)
	}
}

// Property: on any sequence of calls, each rule fires exactly where a
// brute-force model says — on its matching calls from the Nth on, at most
// Times times, the first armed rule in order winning — and every matching
// rule counts every matching call.
func TestPlanModel(t *testing.T) {
	c := fake.New()
	types := []flex.ResourceType{flex.TypeVirtualNetwork, flex.TypeRouteTable, flex.TypeVirtualMachine}
	names := []string{"a-1", "a-2", "b-1"}
	ms := []fake.Method{fake.Get, fake.Delete}
	rapid.Check(t, func(t *rapid.T) {
		type spec struct {
			m           fake.Method
			typ         flex.ResourceType
			pattern     string
			nth, times  int
			seen, fired int
		}
		plan := fake.NewPlan()
		var specs []*spec
		var rules []*fake.Rule
		for i := range rapid.IntRange(1, 4).Draw(t, "rules") {
			s := &spec{
				m:       rapid.SampledFrom(append(ms, fake.AnyMethod)).Draw(t, "method"),
				typ:     rapid.SampledFrom(append(types, "")).Draw(t, "type"),
				pattern: rapid.SampledFrom([]string{"*", "a-*", "?-1", "b-1"}).Draw(t, "pattern"),
				nth:     rapid.IntRange(1, 4).Draw(t, "nth"),
				times:   rapid.IntRange(-1, 3).Draw(t, "times"),
			}
			r := plan.On(s.m, s.typ).Named(s.pattern).Nth(s.nth).Fail(fmt.Errorf("rule %d", i))
			if s.times >= 0 {
				r.Times(s.times)
			}
			specs, rules = append(specs, s), append(rules, r)
		}
		p := fake.WithFaults(c, plan)
		for range rapid.IntRange(0, 30).Draw(t, "calls") {
			m := rapid.SampledFrom(ms).Draw(t, "call method")
			target := flex.ResourceID{Subscription: "s", ResourceGroup: "g", Type: rapid.SampledFrom(types).Draw(t, "call type"), Name: rapid.SampledFrom(names).Draw(t, "call name")}
			want := -1
			for i, s := range specs {
				ok, _ := pathMatch(s.pattern, target.Name)
				if (s.m == fake.AnyMethod || s.m == m) && (s.typ == "" || s.typ == target.Type) && ok {
					s.seen++
					if want < 0 && s.seen >= s.nth && (s.times < 0 || s.fired < s.times) {
						s.fired++
						want = i
					}
				}
			}
			var err error
			if m == fake.Get {
				_, err = p.Get(ctx, target)
			} else {
				err = p.Delete(ctx, target)
			}
			got := -1
			var fe *flex.Error
			if errors.As(err, &fe) && fe.Kind == nil {
				_, _ = fmt.Sscanf(fe.Err.Error(), "rule %d", &got)
			}
			if got != want {
				t.Fatalf("%s %s: rule %d fired, want %d (%v)\n%s", m, target, got, want, err, plan)
			}
		}
		for i, s := range specs {
			if rules[i].Seen() != s.seen || rules[i].Fired() != s.fired {
				t.Fatalf("rule %d: Seen %d Fired %d, model %d %d", i, rules[i].Seen(), rules[i].Fired(), s.seen, s.fired)
			}
		}
	})
}

// pathMatch is the model's name matching: path.Match on lower case.
func pathMatch(pattern, name string) (bool, error) {
	return path.Match(strings.ToLower(pattern), strings.ToLower(name))
}

// FuzzPlanNamed: any pattern either is refused by the plan (Err, and every
// call fails with ErrInvalid) or matches exactly the names path.Match
// matches, ignoring case; nothing panics.
func FuzzPlanNamed(f *testing.F) {
	f.Add("Sales-0*", "sales-01")
	f.Add("*/flex-*", "v/flex-1")
	f.Add("[", "x")
	f.Add("[a-", "a")
	f.Add("?", "é")
	c := fake.New()
	f.Fuzz(func(t *testing.T, pattern, name string) {
		// path.Match backtracks on every '*', so long patterns of stars
		// against long names take exponential time; names and patterns
		// of real plans are short.
		if len(pattern) > 32 || len(name) > 32 {
			return
		}
		plan := fake.NewPlan()
		plan.On(fake.Get, "").Named(pattern).Fail(flex.ErrConflict)
		_, err := fake.WithFaults(c, plan).Get(ctx, flex.ResourceID{Subscription: "s", ResourceGroup: "g", Type: flex.TypeVirtualNetwork, Name: name})
		want, bad := pathMatch(pattern, name)
		switch {
		case bad != nil || plan.Err() != nil:
			if plan.Err() == nil || !errors.Is(err, flex.ErrInvalid) {
				t.Fatalf("pattern %q: Err %v, call %v; want both to report the bad pattern", pattern, plan.Err(), err)
			}
		case want != errors.Is(err, flex.ErrConflict):
			t.Fatalf("pattern %q name %q: path.Match says %v, call gave %v", pattern, name, want, err)
		}
	})
}

// FuzzParseMethod: ParseMethod accepts exactly the method names (any case),
// "any" and "", and what it returns prints back to an accepted name.
func FuzzParseMethod(f *testing.F) {
	for _, s := range []string{"Put", "get", "RESTORESNAPSHOT", "any", "", "Patch", "Put "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := fake.ParseMethod(s)
		if err != nil {
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", s)) {
				t.Fatalf("error %v does not quote %q", err, s)
			}
			return
		}
		if !strings.EqualFold(m.String(), s) && !(m == fake.AnyMethod && s == "") {
			t.Fatalf("ParseMethod(%q) = %q", s, m)
		}
		if again, err := fake.ParseMethod(m.String()); err != nil || again != m {
			t.Fatalf("ParseMethod(%q) = %q, %v; want %q", m.String(), again, err, m)
		}
	})
}

// BenchmarkFaultyGet measures what a plan of ten rules that do not match
// adds to a Get; compare BenchmarkGetVM.
func BenchmarkFaultyGet(b *testing.B) {
	c, _ := newCloud(b)
	network10(b, c)
	v := mustPut(b, c, vm("vm-1", "v", "a"))
	plan := fake.NewPlan()
	for i := range 10 {
		plan.On(fake.Get, flex.TypeVirtualMachine).Named(fmt.Sprintf("other-%d-*", i)).Fail(flex.ErrUnavailable)
	}
	p := fake.WithFaults(c, plan)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Get(ctx, v.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFaultyThrottled measures a call that a rule fails.
func BenchmarkFaultyThrottled(b *testing.B) {
	c, _ := newCloud(b)
	plan := fake.NewPlan()
	plan.On(fake.Get, "").Throttle(time.Second)
	p := fake.WithFaults(c, plan)
	g := flex.GroupID(sub, rg)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Get(ctx, g); err == nil {
			b.Fatal("not throttled")
		}
	}
}

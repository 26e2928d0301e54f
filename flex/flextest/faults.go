package flextest

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
)

// Fault is one transient cloud fault of a FaultPlan: which calls it hits,
// when, and the error they get.
type Fault struct {
	Method fake.Method       // the method it hits, or fake.AnyMethod
	Type   flex.ResourceType // the resource type it hits, or "" for every type
	Nth    int               // it fires from the Nth matching call on (≥ 1)
	Times  int               // and at most Times times (≥ 1)
	// Kind is flex.ErrThrottled (HTTP 429) or flex.ErrUnavailable (a
	// transient HTTP 5xx).
	Kind error
	// Lost says the call reached the cloud and succeeded there and only
	// its response was lost; otherwise the call never reached the cloud.
	Lost bool
	// RetryAfter is how long the cloud asks the caller to wait.
	RetryAfter time.Duration
}

// String describes the fault, such as "Put Microsoft.Network/virtualNetworks
// from call 2, 1 time: throttled, retry after 5ms".
func (f Fault) String() string {
	typ := string(f.Type)
	if typ == "" {
		typ = "any type"
	}
	what := "throttled"
	if errors.Is(f.Kind, flex.ErrUnavailable) {
		what = "unavailable"
	}
	if f.Lost {
		what = "response lost (" + what + ")"
	}
	return fmt.Sprintf("%v %s from call %d, %d time(s): %s, retry after %v", f.Method, typ, f.Nth, f.Times, what, f.RetryAfter)
}

// FaultPlan is a script of cloud faults, as TransientFaults draws it: a
// value that rapid prints readably in a failure report, and that Plan turns
// into the fake.Plan that injects it (see WithFaults).
type FaultPlan []Fault

// String returns one fault per line.
func (p FaultPlan) String() string {
	var b strings.Builder
	for i, f := range p {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// Faults returns the most faults the plan injects: the sum of Times.
func (p FaultPlan) Faults() int {
	n := 0
	for _, f := range p {
		n += f.Times
	}
	return n
}

// Plan returns a new fake.Plan with one rule per fault, in order: the
// calls of f.Method on f.Type fail from the f.Nth on, f.Times times, with a
// *flex.Error of f.Kind carrying f.RetryAfter, before the call reaches the
// cloud or, when f.Lost, after it succeeded there. Each call of Plan makes
// a new plan with fresh counts.
func (p FaultPlan) Plan() *fake.Plan {
	plan := fake.NewPlan()
	for _, f := range p {
		r := plan.On(f.Method, f.Type).Nth(f.Nth).Times(f.Times)
		code := "TooManyRequests"
		if errors.Is(f.Kind, flex.ErrUnavailable) {
			code = "ServiceUnavailable"
		}
		cause := code + ": injected by flextest"
		if f.Lost {
			r = r.AfterCall()
			cause += "; the cloud completed the request before this error"
		}
		r.Fail(&flex.Error{Kind: f.Kind, Err: errors.New(cause), RetryAfter: f.RetryAfter})
	}
	return plan
}

// safeToRepeat are the methods whose lost response a retry cures: Puts are
// keyed by ID, a Delete of what is gone succeeds, and reads change
// nothing. A repeated Power, restore or key rotation would act twice.
var safeToRepeat = []fake.Method{fake.Put, fake.Get, fake.Delete, fake.List}

// faultMethods are the methods a fault may hit before the call.
var faultMethods = []fake.Method{fake.AnyMethod, fake.Put, fake.Get, fake.Delete, fake.List, fake.Power,
	fake.RestoreSnapshot, fake.GrantDiskAccess, fake.RotateKey, fake.ResetVPNGateway}

// resourceTypes are the types a fault may be narrowed to.
var resourceTypes = []flex.ResourceType{"", flex.TypeResourceGroup, flex.TypeVirtualNetwork, flex.TypeSecurityGroup,
	flex.TypeRouteTable, flex.TypeNATGateway, flex.TypePeering, flex.TypeVPNGateway, flex.TypeLocalGateway,
	flex.TypeVPNConnection, flex.TypeHubConnection, flex.TypeVirtualMachine, flex.TypeDisk, flex.TypeSnapshot,
	flex.TypeImage, flex.TypeKey}

// TransientFaults returns a generator of fault plans of transient faults
// that fire at most maxFaults times in all (FaultPlan.Faults ≤ maxFaults).
// Every fault is an error a caller retries — flex.ErrThrottled (HTTP 429)
// or flex.ErrUnavailable (HTTP 5xx) — with a Retry-After of 1 to 20 ms, on
// one method or every one and one resource type or every one, from one of
// the first five matching calls on. It strikes before the call reaches the
// cloud or, for Put, Get, Delete and List, which are safe to repeat, after
// the call succeeded there (a lost response).
//
// So a caller that makes maxFaults+1 attempts at each cloud call, retrying
// these errors, sees every call succeed in the end. A flex.Tenant makes
// five attempts, so with TransientFaults(4) no Tenant operation fails
// because of the plan, and a property test can check that the outcome is
// the same as without faults:
//
//	faults := flextest.TransientFaults(4).Draw(t, "faults")
//	tn, cloud, _ := flextest.NewTenant(t, flextest.WithFaults(faults.Plan()))
//
// It panics when maxFaults is negative.
func TransientFaults(maxFaults int) *rapid.Generator[FaultPlan] {
	if maxFaults < 0 {
		panic(fmt.Sprintf("flextest.TransientFaults: maxFaults %d is negative", maxFaults))
	}
	return rapid.Custom(func(t *rapid.T) FaultPlan {
		var p FaultPlan
		for left := maxFaults; left > 0 && rapid.IntRange(0, 3).Draw(t, "more") != 0; {
			f := Fault{
				Kind:       rapid.SampledFrom([]error{flex.ErrThrottled, flex.ErrUnavailable}).Draw(t, "kind"),
				Lost:       rapid.IntRange(0, 2).Draw(t, "lost") == 0,
				Type:       rapid.SampledFrom(resourceTypes).Draw(t, "type"),
				Nth:        rapid.IntRange(1, 5).Draw(t, "nth"),
				Times:      rapid.IntRange(1, left).Draw(t, "times"),
				RetryAfter: time.Duration(rapid.IntRange(1, 20).Draw(t, "retryAfterMs")) * time.Millisecond,
			}
			if f.Lost {
				f.Method = rapid.SampledFrom(safeToRepeat).Draw(t, "method")
			} else {
				f.Method = rapid.SampledFrom(faultMethods).Draw(t, "method")
			}
			left -= f.Times
			p = append(p, f)
		}
		return p
	})
}

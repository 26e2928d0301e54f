package fake

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/secret"
)

// Fault injection: a Plan of faults and Faulty, a flex.Provider that
// applies it over any other provider, as client-go's PrependReactor and
// controller-runtime's interceptor.Funcs do over their fakes. The cloud
// itself stays honest; the faults live in this layer.

// Method names a flex.Provider method, for fault plans and recorded calls.
type Method string

// The methods of flex.Provider (ErrorAs, which makes no cloud call, is
// neither faulted nor recorded).
const (
	AnyMethod       Method = "" // in a Plan: every method
	Put             Method = "Put"
	Get             Method = "Get"
	Delete          Method = "Delete"
	List            Method = "List"
	Power           Method = "Power"
	RestoreSnapshot Method = "RestoreSnapshot"
	GrantDiskAccess Method = "GrantDiskAccess"
	RotateKey       Method = "RotateKey"
	ResetVPNGateway Method = "ResetVPNGateway"
)

var methods = [...]Method{Put, Get, Delete, List, Power, RestoreSnapshot, GrantDiskAccess, RotateKey, ResetVPNGateway}

// String returns the method's name, or "any" for AnyMethod.
func (m Method) String() string {
	if m == AnyMethod {
		return "any"
	}
	return string(m)
}

// ParseMethod returns the method named s, ignoring case; "any" and "" are
// AnyMethod.
func ParseMethod(s string) (Method, error) {
	if s == "" || strings.EqualFold(s, "any") {
		return AnyMethod, nil
	}
	for _, m := range methods {
		if strings.EqualFold(s, string(m)) {
			return m, nil
		}
	}
	return AnyMethod, fmt.Errorf("fake: method %q: want Put, Get, Delete, List, Power, RestoreSnapshot, GrantDiskAccess, RotateKey, ResetVPNGateway or any", s)
}

// Call is one call to a flex.Provider: what was asked and, in a Recorder,
// how it ended. A Plan's predicates and hooks see the request fields only.
type Call struct {
	Method Method
	// ID is the resource the call concerns: the resource of a Put, the
	// ID of a Get or Delete, the VM of Power and RestoreSnapshot, the disk
	// of GrantDiskAccess, the key of RotateKey, the gateway of
	// ResetVPNGateway. For List it holds the filter's subscription,
	// resource group and type, and no name.
	ID flex.ResourceID
	// Resource is the resource of a Put. A Plan hands its predicates and
	// hooks the caller's value, which they must not change; a Recorder
	// keeps a copy.
	Resource flex.Resource
	Filter   flex.Filter      // of a List
	Action   flex.PowerAction // of a Power
	Snapshot flex.ResourceID  // of a RestoreSnapshot

	// Set by a Recorder when the call returns.
	Err      error         // what the call returned
	Duration time.Duration // how long it took
	Pending  bool          // the call has not returned yet
}

// Op returns the operation's name as the fake's errors give it:
// "Put<Type>" and "Delete<Type>" (PutVirtualMachine, DeleteRouteTable),
// else the method's name.
func (c Call) Op() string {
	if c.Method == Put || c.Method == Delete {
		if ti := lookupType(c.ID.Type); ti != nil {
			return string(c.Method) + ti.short
		}
	}
	return string(c.Method)
}

// Object returns what the call's errors name: the resource ID in ARM form,
// or for List the subscription (and resource group) listed.
func (c Call) Object() string {
	if c.Method != List {
		return c.ID.String()
	}
	s := "/subscriptions/" + c.ID.Subscription
	if c.ID.ResourceGroup != "" {
		s += "/resourceGroups/" + c.ID.ResourceGroup
	}
	return s
}

// Kind returns the flex.Err… kind of the call's error, or nil when it
// succeeded or failed with an error of no kind (a context error).
func (c Call) Kind() error { return flex.KindOf(c.Err) }

// Outcome names how the call ended: "pending", "ok", the kind of its
// error ("throttled", "no capacity", …) or, for an error of no kind such as
// a context error, the error.
func (c Call) Outcome() string {
	switch {
	case c.Pending:
		return "pending"
	case c.Err == nil:
		return "ok"
	}
	if k := c.Kind(); k != nil {
		return k.Error()
	}
	return c.Err.Error()
}

// String returns "Op Object: outcome", such as
// "PutVirtualMachine /subscriptions/…/virtualMachines/vm-1: throttled".
func (c Call) String() string {
	s := c.Op()
	if o := c.Object(); o != "" {
		s += " " + o
	}
	return s + ": " + c.Outcome()
}

// Plan is a script of faults: rules, each naming the calls it matches and
// what happens to them. A test builds it with On and the Rule methods,
// wraps a provider with WithFaults, runs, and asserts with Rule.Fired that
// each fault really happened:
//
//	plan := fake.NewPlan()
//	full := plan.On(fake.Put, flex.TypeVirtualMachine).Named("sales-0*").Times(2).Fail(flex.ErrCapacity)
//	plan.Throttle(1, 10*time.Millisecond)
//	p := fake.WithFaults(cloud, plan)
//	…
//	if full.Fired() != 2 { … }
//
// Rules are consulted in the order they were added. Every rule that matches
// a call counts it (Rule.Seen); the first of them that is armed — its Nth
// matching call is reached and it has fired fewer than Times — fires, and
// the others let the call be. A call no rule fires for goes through
// untouched.
//
// A Plan is safe for concurrent use, and rules may be added or changed
// while calls run. The zero value is an empty plan, ready to use. A mistake
// in building it (a malformed name pattern, a negative count) is kept:
// Err reports it, and every call through WithFaults fails with ErrInvalid
// (build a new plan), so that a bad plan never passes silently.
type Plan struct {
	mu    sync.Mutex // guards everything below and every rule's fields
	rules []*Rule
	errs  []error
}

// NewPlan returns an empty plan.
func NewPlan() *Plan { return new(Plan) }

// On adds a rule that matches calls of method m (AnyMethod for every
// method) on resources of type t ("" for every type; for List, the
// filter's type), and returns it to be narrowed and given an action. Until
// it has an action (Fail, Throttle, Stuck, LoseResponse, Hang, Delay, …)
// the rule only counts the calls it matches.
func (p *Plan) On(m Method, t flex.ResourceType) *Rule {
	r := &Rule{plan: p, method: m, typ: t, nth: 1, times: -1}
	p.mu.Lock()
	defer p.mu.Unlock()
	if m != AnyMethod && !isMethod(m) {
		p.errs = append(p.errs, fmt.Errorf("On: method %q: want one of the Method constants", m))
	}
	if t != "" && lookupType(t) == nil {
		p.errs = append(p.errs, fmt.Errorf("On: resource type %q: want one of flex's Type… constants or \"\"", t))
	}
	p.rules = append(p.rules, r)
	return r
}

func isMethod(m Method) bool {
	for _, x := range methods {
		if x == m {
			return true
		}
	}
	return false
}

// Throttle adds a rule that throttles the next n calls of any method on
// any resource: each fails with flex.ErrThrottled carrying retryAfter, as
// an HTTP 429 with a Retry-After header does. It is
// On(AnyMethod, "").Times(n).Throttle(retryAfter).
func (p *Plan) Throttle(n int, retryAfter time.Duration) *Rule {
	return p.On(AnyMethod, "").Times(n).Throttle(retryAfter)
}

// Rules returns the plan's rules in the order they were added.
func (p *Plan) Rules() []*Rule {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*Rule(nil), p.rules...)
}

// Fired returns how many times the plan's rules have fired in all.
func (p *Plan) Fired() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, r := range p.rules {
		n += r.fired
	}
	return n
}

// Err returns the mistakes made in building the plan, joined, or nil.
func (p *Plan) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return errors.Join(p.errs...)
}

// String returns one line per rule, as Rule.String gives it.
func (p *Plan) String() string {
	var b strings.Builder
	for i, r := range p.Rules() {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(r.String())
	}
	return b.String()
}

// action is what a rule does when it fires.
type action int

const (
	actNone action = iota
	actFail
	actFunc
	actStuck
	actHang
	actDelay
)

// Rule is one fault of a Plan: which calls it matches (On's method and
// type, Named, Size, Where), which of them it fires on (Nth, Times, Once,
// Always) and what happens then (Fail, FailFunc, Throttle, Stuck, StuckIn,
// LoseResponse, Hang, Delay, with AfterCall). Its methods return the rule so
// that a script reads as one line; each replaces what an earlier call of
// the same setting said. A Rule is safe for concurrent use.
type Rule struct {
	plan *Plan

	// Guarded by plan.mu.
	method     Method
	typ        flex.ResourceType
	names      []string // lower case
	size       string
	where      func(Call) bool
	nth        int // fires from the nth matching call on
	times      int // fires at most this often; -1: always
	act        action
	kind       error // actFail
	retryAfter time.Duration
	fn         func(Call) error // actFunc
	state      flex.ProvisioningState
	delay      time.Duration
	after      bool
	hooks      []func(Call)
	seen       int
	fired      int
}

func (r *Rule) set(f func()) *Rule {
	r.plan.mu.Lock()
	defer r.plan.mu.Unlock()
	f()
	return r
}

func (r *Rule) mistake(format string, args ...any) {
	r.plan.errs = append(r.plan.errs, fmt.Errorf(format, args...))
}

// Named narrows the rule to resources whose name matches one of the
// patterns, ignoring case, with path.Match syntax: '*' is any run of
// characters but '/', '?' one character, [a-z] a class. A child resource's
// name is "parent/child", so "*/flex-*" matches the peerings named flex-…
// of every VNet. A List has no name and matches only a pattern that
// matches "".
func (r *Rule) Named(patterns ...string) *Rule {
	return r.set(func() {
		r.names = r.names[:0]
		for _, p := range patterns {
			if _, err := path.Match(p, ""); err != nil {
				r.mistake("Named(%q): %v", p, err)
				continue
			}
			r.names = append(r.names, strings.ToLower(p))
		}
		if len(patterns) == 0 {
			r.mistake("Named: no pattern; want at least one")
		}
	})
}

// Size narrows the rule to Puts of virtual machines of the VM size,
// ignoring case: "no capacity for Standard_D4s_v5" is
// On(Put, flex.TypeVirtualMachine).Size("Standard_D4s_v5").Fail(flex.ErrCapacity).
func (r *Rule) Size(size string) *Rule {
	return r.set(func() { r.size = size })
}

// Where narrows the rule to calls for which match reports true, such as
// the Power calls that deallocate or the Puts of VNets with some tag. It is
// called without locks held, possibly concurrently, and must not change the
// call's resource.
func (r *Rule) Where(match func(Call) bool) *Rule {
	return r.set(func() { r.where = match })
}

// Nth makes the rule fire from its nth matching call on (n ≥ 1; the
// default is 1): Nth(3).Once() fails the third matching call only.
func (r *Rule) Nth(n int) *Rule {
	return r.set(func() {
		if n < 1 {
			r.mistake("Nth(%d): want n ≥ 1", n)
			return
		}
		r.nth = n
	})
}

// Times makes the rule fire at most n times (n ≥ 0; Times(0) disarms it).
// A rule fires on every matching call (Always) unless told otherwise.
func (r *Rule) Times(n int) *Rule {
	return r.set(func() {
		if n < 0 {
			r.mistake("Times(%d): want n ≥ 0", n)
			return
		}
		r.times = n
	})
}

// Once is Times(1).
func (r *Rule) Once() *Rule { return r.Times(1) }

// Always makes the rule fire on every matching call, the default.
func (r *Rule) Always() *Rule { return r.set(func() { r.times = -1 }) }

// Fail makes the call fail with err, as a *flex.Error naming the call's
// operation and resource, so that the caller sees what a provider would
// give. When err is one of the flex.Err… kinds, the error has that kind and
// a cause that starts with Azure's code (ErrCapacity: AllocationFailed,
// "no capacity for VM size … in …"; ErrThrottled: TooManyRequests, with no
// RetryAfter — see Throttle; ErrUnavailable: ServiceUnavailable, a
// transient 5xx; ErrNotFound: ResourceNotFound; ErrConflict: Conflict; …).
// Any other error is the cause, and the kind is whatever kind it matches
// (a *flex.Error is returned as is, its Op and Object filled in when
// empty). The call does not reach the cloud, unless AfterCall says so.
func (r *Rule) Fail(err error) *Rule {
	return r.set(func() {
		if err == nil {
			r.mistake("Fail(nil): want an error")
			return
		}
		r.act, r.kind, r.retryAfter = actFail, err, 0
	})
}

// FailFunc makes the call fail with whatever fn returns, exactly, for a
// fault no other action expresses. When fn returns nil the call goes
// through and the firing is not counted. fn is called without locks held.
func (r *Rule) FailFunc(fn func(Call) error) *Rule {
	return r.set(func() {
		if fn == nil {
			r.mistake("FailFunc(nil): want a function")
			return
		}
		r.act, r.fn = actFunc, fn
	})
}

// Throttle makes the call fail with flex.ErrThrottled and RetryAfter set to
// retryAfter, as Azure's HTTP 429 with a Retry-After header: the error a
// Tenant retries after waiting that long.
func (r *Rule) Throttle(retryAfter time.Duration) *Rule {
	return r.set(func() { r.act, r.kind, r.retryAfter = actFail, flex.ErrThrottled, retryAfter })
}

// LoseResponse makes the call reach the cloud and, when it succeeds there,
// fail with flex.ErrUnavailable all the same: the cloud changed but the
// response was lost, as when a connection drops after an ARM PUT. A
// retried Put finds the resource it made. It is
// AfterCall().Fail(flex.ErrUnavailable).
func (r *Rule) LoseResponse() *Rule {
	return r.set(func() { r.act, r.kind, r.retryAfter, r.after = actFail, flex.ErrUnavailable, 0, true })
}

// AfterCall makes Fail, FailFunc, Throttle, Hang and Delay act after the
// call has reached the cloud and succeeded there, instead of before it
// reaches it. When the call fails in the cloud, its own error is returned
// and the firing is not counted.
func (r *Rule) AfterCall() *Rule { return r.set(func() { r.after = true }) }

// Stuck leaves the resource stuck in a long-running operation that never
// finishes, as a provisioning stuck in Azure: the call reaches the cloud,
// and once it has succeeded there the resource is left in a transitional
// provisioning state — Creating after a Put, Deleting for a Delete (which
// then deletes nothing), Updating after Power, RestoreSnapshot,
// GrantDiskAccess, RotateKey or ResetVPNGateway — while the caller waits,
// like a poller, until its context ends and gets the context's error.
// Meanwhile and after, Get reports the state, and Puts and actions on the
// resource are ErrConflict (AnotherOperationInProgress) until it is deleted
// or its state is set again (Cloud.SetState). A stuck Power also leaves the
// VM's power state in transition (starting, stopping or deallocating).
// On Get and List, which have no long-running operation, Stuck is Hang.
//
// Stuck needs to reach the cloud's state: it works over a *Cloud, a *View,
// any provider with a SetState(flex.ResourceID, flex.ProvisioningState)
// error method, and wrappers whose Unwrap leads to one of those; over any
// other provider the call fails without reaching it. When the call fails in
// the cloud, its error is returned and the firing is not counted.
func (r *Rule) Stuck() *Rule { return r.StuckIn("") }

// StuckIn is Stuck with the provisioning state to leave the resource in,
// such as flex.Updating for a Put that updates, or flex.Failed (which
// does not block Puts; the caller still waits).
func (r *Rule) StuckIn(s flex.ProvisioningState) *Rule {
	return r.set(func() { r.act, r.state = actStuck, s })
}

// Hang makes the call wait until its context ends and return the
// context's error, without reaching the cloud (after reaching it, with
// AfterCall: a response that never comes). A call whose context never
// ends waits forever.
func (r *Rule) Hang() *Rule { return r.set(func() { r.act = actHang }) }

// Delay makes the call wait d before it reaches the cloud (after, with
// AfterCall), or until its context ends, when it returns the context's
// error.
func (r *Rule) Delay(d time.Duration) *Rule {
	return r.set(func() { r.act, r.delay = actDelay, d })
}

// OnFire adds a function to call each time the rule fires, once the fault
// has taken effect: before the error returns or the wait begins, and, for
// the faults that act after the call (Stuck, LoseResponse, AfterCall), once
// the cloud has done its part. Tests use it to learn that a call is now
// stuck or hanging, and to move a manual clock. It is called without locks
// held.
func (r *Rule) OnFire(fn func(Call)) *Rule {
	return r.set(func() {
		if fn != nil {
			r.hooks = append(r.hooks, fn)
		}
	})
}

// Fired returns how many times the rule has fired.
func (r *Rule) Fired() int {
	r.plan.mu.Lock()
	defer r.plan.mu.Unlock()
	return r.fired
}

// Seen returns how many calls the rule has matched, fired or not.
func (r *Rule) Seen() int {
	r.plan.mu.Lock()
	defer r.plan.mu.Unlock()
	return r.seen
}

// String describes the rule and its count, such as
// `Put Microsoft.Compute/virtualMachines named "sales-0*", 2 times: fail: no capacity (fired 1)`.
func (r *Rule) String() string {
	r.plan.mu.Lock()
	defer r.plan.mu.Unlock()
	var b strings.Builder
	b.WriteString(r.method.String())
	if r.typ != "" {
		b.WriteString(" " + string(r.typ))
	}
	for i, n := range r.names {
		if i == 0 {
			b.WriteString(" named ")
		} else {
			b.WriteString(" or ")
		}
		fmt.Fprintf(&b, "%q", n)
	}
	if r.size != "" {
		fmt.Fprintf(&b, " of size %s", r.size)
	}
	if r.where != nil {
		b.WriteString(" where …")
	}
	if r.nth > 1 {
		fmt.Fprintf(&b, ", from call %d", r.nth)
	}
	switch r.times {
	case -1:
		b.WriteString(", always")
	case 1:
		b.WriteString(", once")
	default:
		fmt.Fprintf(&b, ", %d times", r.times)
	}
	b.WriteString(": ")
	if r.after && r.act != actStuck && r.act != actNone {
		b.WriteString("after the call, ")
	}
	switch r.act {
	case actNone:
		b.WriteString("count only")
	case actFail:
		if r.kind == flex.ErrThrottled && r.retryAfter > 0 {
			fmt.Fprintf(&b, "throttle, retry after %s", r.retryAfter)
		} else {
			fmt.Fprintf(&b, "fail: %v", r.kind)
		}
	case actFunc:
		b.WriteString("fail with a function")
	case actStuck:
		fmt.Fprintf(&b, "stuck")
		if r.state != "" {
			fmt.Fprintf(&b, " in %s", r.state)
		}
	case actHang:
		b.WriteString("hang until the context ends")
	case actDelay:
		fmt.Fprintf(&b, "delay %s", r.delay)
	}
	fmt.Fprintf(&b, " (fired %d)", r.fired)
	return b.String()
}

// matches reports whether the rule's static conditions (all but Where)
// hold for c. plan.mu held.
func (r *Rule) matches(c *Call) bool {
	if r.method != AnyMethod && r.method != c.Method {
		return false
	}
	if r.typ != "" && !strings.EqualFold(string(r.typ), string(c.ID.Type)) {
		return false
	}
	if len(r.names) > 0 {
		name, ok := strings.ToLower(c.ID.Name), false
		for _, p := range r.names {
			if m, _ := path.Match(p, name); m {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if r.size != "" {
		vm, isVM := c.Resource.(*flex.VirtualMachine)
		if c.Method != Put || !isVM || vm == nil || !strings.EqualFold(vm.Size, r.size) {
			return false
		}
	}
	return true
}

// armed reports whether the rule fires on its next matching call, which
// has been counted in seen. plan.mu held.
func (r *Rule) armed() bool {
	return r.act != actNone && r.seen >= r.nth && (r.times < 0 || r.fired < r.times)
}

// fault is a rule's action as it stood when the rule fired.
type fault struct {
	rule       *Rule
	act        action
	kind       error
	retryAfter time.Duration
	fn         func(Call) error
	state      flex.ProvisioningState
	delay      time.Duration
	after      bool
	hooks      []func(Call)
}

// fire counts c against every rule it matches and returns the fault of
// the first that fires, if any.
func (p *Plan) fire(c *Call) (fault, bool) {
	p.mu.Lock()
	type cand struct {
		r     *Rule
		where func(Call) bool
	}
	var cands []cand
	for _, r := range p.rules {
		if r.matches(c) {
			cands = append(cands, cand{r, r.where})
		}
	}
	p.mu.Unlock()
	if len(cands) == 0 {
		return fault{}, false
	}
	// Predicates run without the lock: they are the caller's code.
	matched := cands[:0]
	for _, x := range cands {
		if x.where == nil || x.where(*c) {
			matched = append(matched, x)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var f fault
	won := false
	for _, x := range matched {
		r := x.r
		r.seen++
		if !won && r.armed() {
			r.fired++
			won = true
			f = fault{rule: r, act: r.act, kind: r.kind, retryAfter: r.retryAfter, fn: r.fn,
				state: r.state, delay: r.delay, after: r.after, hooks: slices.Clone(r.hooks)}
		}
	}
	return f, won
}

// unfire takes back a firing that did not take effect.
func (f fault) unfire() {
	f.rule.plan.mu.Lock()
	defer f.rule.plan.mu.Unlock()
	f.rule.fired--
}

func (f fault) notify(c Call) {
	for _, h := range f.hooks {
		h(c)
	}
}

// Faulty is a flex.Provider that applies a Plan's faults to the calls it
// passes to another provider. It is safe for concurrent use, as its
// provider and plan are.
type Faulty struct {
	p    flex.Provider
	plan *Plan
}

var _ flex.Provider = (*Faulty)(nil)

// WithFaults returns p with the faults of plan applied: each call goes to
// p unless a rule of the plan fires for it, and then does what the rule
// says. A nil plan injects nothing. Faults are *flex.Error values of the
// right kind naming the operation and resource, as p's own errors are, so
// that a Tenant's retries see what the cloud would give.
func WithFaults(p flex.Provider, plan *Plan) *Faulty {
	if plan == nil {
		plan = NewPlan()
	}
	return &Faulty{p: p, plan: plan}
}

// Plan returns the plan the provider applies.
func (f *Faulty) Plan() *Plan { return f.plan }

// Unwrap returns the provider under the faults.
func (f *Faulty) Unwrap() flex.Provider { return f.p }

// Put puts r through the provider, unless a fault says otherwise.
func (f *Faulty) Put(ctx context.Context, r flex.Resource) (flex.Resource, error) {
	c := Call{Method: Put, Resource: r}
	if !isNil(r) {
		c.ID = r.Metadata().ID
	}
	var out flex.Resource
	err := f.run(ctx, &c, func(ctx context.Context) error {
		var err error
		out, err = f.p.Put(ctx, r)
		if err == nil && out != nil {
			c.ID = out.Metadata().ID // as the cloud spells it
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Get gets the resource from the provider, unless a fault says otherwise.
func (f *Faulty) Get(ctx context.Context, id flex.ResourceID) (flex.Resource, error) {
	var out flex.Resource
	err := f.run(ctx, &Call{Method: Get, ID: id}, func(ctx context.Context) error {
		var err error
		out, err = f.p.Get(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Delete deletes the resource through the provider, unless a fault says
// otherwise.
func (f *Faulty) Delete(ctx context.Context, id flex.ResourceID) error {
	return f.run(ctx, &Call{Method: Delete, ID: id}, func(ctx context.Context) error { return f.p.Delete(ctx, id) })
}

// List lists through the provider, unless a fault says otherwise.
func (f *Faulty) List(ctx context.Context, fl flex.Filter) ([]flex.Resource, error) {
	var out []flex.Resource
	err := f.run(ctx, listCall(fl), func(ctx context.Context) error {
		var err error
		out, err = f.p.List(ctx, fl)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func listCall(fl flex.Filter) *Call {
	return &Call{Method: List, Filter: fl, ID: flex.ResourceID{Subscription: fl.Subscription, ResourceGroup: fl.ResourceGroup, Type: fl.Type}}
}

// ResetVPNGateway resets the gateway through the provider, unless a fault
// says otherwise.
func (f *Faulty) ResetVPNGateway(ctx context.Context, gateway flex.ResourceID) error {
	return f.run(ctx, &Call{Method: ResetVPNGateway, ID: gateway}, func(ctx context.Context) error {
		return f.p.ResetVPNGateway(ctx, gateway)
	})
}

// Power changes the VM's power state through the provider, unless a fault
// says otherwise.
func (f *Faulty) Power(ctx context.Context, vm flex.ResourceID, a flex.PowerAction) error {
	return f.run(ctx, &Call{Method: Power, ID: vm, Action: a}, func(ctx context.Context) error {
		return f.p.Power(ctx, vm, a)
	})
}

// RestoreSnapshot restores the snapshot through the provider, unless a
// fault says otherwise.
func (f *Faulty) RestoreSnapshot(ctx context.Context, vm, snapshot flex.ResourceID) error {
	return f.run(ctx, &Call{Method: RestoreSnapshot, ID: vm, Snapshot: snapshot}, func(ctx context.Context) error {
		return f.p.RestoreSnapshot(ctx, vm, snapshot)
	})
}

// GrantDiskAccess asks the provider for a SAS URL of the disk, unless a
// fault says otherwise.
func (f *Faulty) GrantDiskAccess(ctx context.Context, disk flex.ResourceID, d time.Duration) (secret.Value, error) {
	var out secret.Value
	err := f.run(ctx, &Call{Method: GrantDiskAccess, ID: disk}, func(ctx context.Context) error {
		var err error
		out, err = f.p.GrantDiskAccess(ctx, disk, d)
		return err
	})
	if err != nil {
		return secret.Value{}, err
	}
	return out, nil
}

// RotateKey rotates the key through the provider, unless a fault says
// otherwise.
func (f *Faulty) RotateKey(ctx context.Context, key flex.ResourceID) (flex.Key, error) {
	var out flex.Key
	err := f.run(ctx, &Call{Method: RotateKey, ID: key}, func(ctx context.Context) error {
		var err error
		out, err = f.p.RotateKey(ctx, key)
		return err
	})
	if err != nil {
		return flex.Key{}, err
	}
	return out, nil
}

// ErrorAs asks the provider under the faults; the faults themselves are
// *flex.Error values with no native cause.
func (f *Faulty) ErrorAs(err error, target any) bool { return f.p.ErrorAs(err, target) }

// run makes call c through inner, applying the plan.
func (f *Faulty) run(ctx context.Context, c *Call, inner func(context.Context) error) error {
	if err := f.plan.Err(); err != nil {
		return &flex.Error{Kind: flex.ErrInvalid, Op: c.Op(), Object: c.Object(), Err: fmt.Errorf("fake: the fault plan is wrong: %w", err)}
	}
	ft, ok := f.plan.fire(c)
	if !ok {
		return inner(ctx)
	}
	switch ft.act {
	case actStuck:
		return f.stuck(ctx, c, ft, inner)
	case actDelay:
		if !ft.after {
			ft.notify(*c)
			if err := wait(ctx, ft.delay); err != nil {
				return err
			}
			return inner(ctx)
		}
	}
	if ft.after {
		if err := inner(ctx); err != nil {
			ft.unfire()
			return err
		}
	}
	var err error
	switch ft.act {
	case actFail:
		err = injected(ft.kind, ft.retryAfter, ft.after, c)
	case actFunc:
		if err = ft.fn(*c); err == nil {
			ft.unfire()
			if ft.after {
				return nil
			}
			return inner(ctx)
		}
	case actHang:
		ft.notify(*c)
		<-ctx.Done()
		return ctx.Err()
	case actDelay: // after the call
		ft.notify(*c)
		return wait(ctx, ft.delay)
	}
	ft.notify(*c)
	return err
}

// stuck applies a Stuck fault (see Rule.Stuck).
func (f *Faulty) stuck(ctx context.Context, c *Call, ft fault, inner func(context.Context) error) error {
	if c.Method == Get || c.Method == List {
		ft.notify(*c)
		<-ctx.Done()
		return ctx.Err()
	}
	h := hooksOf(f.p)
	if h == nil {
		ft.unfire()
		return fmt.Errorf("fake: %s %s: a Stuck fault needs a *fake.Cloud, a *fake.View or a provider with SetState under the plan; %T has none", c.Op(), c.Object(), f.p)
	}
	state := ft.state
	if c.Method == Delete {
		if state == "" {
			state = flex.Deleting
		}
		if err := h.setState(c.ID, state); err != nil {
			// Nothing to be stuck deleting: Azure's 204.
			ft.unfire()
			return inner(ctx)
		}
	} else {
		if err := inner(ctx); err != nil {
			ft.unfire()
			return err
		}
		if state == "" {
			state = flex.Updating
			if c.Method == Put {
				state = flex.Creating
			}
		}
		if err := h.setState(c.ID, state); err != nil {
			return err
		}
		if c.Method == Power && h.setPower != nil {
			if ps, ok := transitional[c.Action]; ok {
				if err := h.setPower(c.ID, ps); err != nil {
					return err
				}
			}
		}
	}
	ft.notify(*c)
	<-ctx.Done()
	return ctx.Err()
}

// transitional is the power state a VM is stuck in by an action.
var transitional = map[flex.PowerAction]flex.PowerState{
	flex.Start:      flex.PowerStarting,
	flex.Restart:    flex.PowerStarting,
	flex.PowerOff:   flex.PowerStopping,
	flex.Deallocate: flex.PowerDeallocating,
}

// stateHooks reach a cloud's provisioning and power states.
type stateHooks struct {
	setState func(flex.ResourceID, flex.ProvisioningState) error
	setPower func(flex.ResourceID, flex.PowerState) error // may be nil
}

// hooksOf finds the state hooks of p, through wrappers; nil when there are
// none. A View changes only resources its tenant owns.
func hooksOf(p flex.Provider) *stateHooks {
	for p != nil {
		switch x := p.(type) {
		case *Cloud:
			return &stateHooks{setState: x.SetState, setPower: x.SetPowerState}
		case *View:
			return &stateHooks{
				setState: func(id flex.ResourceID, s flex.ProvisioningState) error {
					if err := x.ownsID("SetState", id); err != nil {
						return err
					}
					return x.c.SetState(id, s)
				},
				setPower: func(id flex.ResourceID, s flex.PowerState) error {
					if err := x.ownsID("SetPowerState", id); err != nil {
						return err
					}
					return x.c.SetPowerState(id, s)
				},
			}
		case interface {
			SetState(flex.ResourceID, flex.ProvisioningState) error
		}:
			h := &stateHooks{setState: x.SetState}
			if ps, ok := p.(interface {
				SetPowerState(flex.ResourceID, flex.PowerState) error
			}); ok {
				h.setPower = ps.SetPowerState
			}
			return h
		case interface{ Unwrap() flex.Provider }:
			p = x.Unwrap()
		default:
			return nil
		}
	}
	return nil
}

// ownsID returns an ErrNotFound error unless the view's tenant owns the
// resource.
func (w *View) ownsID(op string, id flex.ResourceID) error {
	w.c.mu.RLock()
	defer w.c.mu.RUnlock()
	if rec := w.c.lookupID(id); rec == nil || !w.v.owns(rec.res) {
		return notFound(op, id, lookupType(id.Type))
	}
	return nil
}

// wait waits d or until ctx ends, when it returns ctx's error.
func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// injected returns the error of a Fail or Throttle fault on c.
func injected(err error, retryAfter time.Duration, after bool, c *Call) error {
	if fe, ok := err.(*flex.Error); ok {
		cp := *fe
		if cp.Op == "" {
			cp.Op = c.Op()
		}
		if cp.Object == "" {
			cp.Object = c.Object()
		}
		if cp.RetryAfter == 0 {
			cp.RetryAfter = retryAfter
		}
		return &cp
	}
	kind, cause := flex.KindOf(err), err
	if kind == err {
		cause = errors.New(azureCause(kind, retryAfter, c))
	}
	if after {
		cause = fmt.Errorf("%w; the cloud completed the request before this error", cause)
	}
	return &flex.Error{Kind: kind, Op: c.Op(), Object: c.Object(), Err: cause, RetryAfter: retryAfter}
}

// azureCause returns the cause Azure would give for an error of kind,
// starting with its code.
func azureCause(kind error, retryAfter time.Duration, c *Call) string {
	const tag = " (injected fault)"
	switch kind {
	case flex.ErrCapacity:
		if vm, ok := c.Resource.(*flex.VirtualMachine); ok && vm != nil {
			code := "AllocationFailed"
			if vm.Zone != "" {
				code = "ZonalAllocationFailed"
			}
			return fmt.Sprintf("%s: no capacity for VM size %s in %s; try another size or region%s", code, vm.Size, vm.Region, tag)
		}
		return "AllocationFailed: no capacity for the request in the region" + tag
	case flex.ErrThrottled:
		s := "TooManyRequests: the request was throttled (HTTP 429)"
		if retryAfter > 0 {
			s += fmt.Sprintf("; retry after %s", retryAfter)
		}
		return s + tag
	case flex.ErrUnavailable:
		return "ServiceUnavailable: the service is temporarily unavailable (HTTP 503); try again" + tag
	case flex.ErrNotFound:
		return "ResourceNotFound: the resource was not found" + tag
	case flex.ErrConflict:
		return "Conflict: the request conflicts with the state of the resource" + tag
	case flex.ErrInvalid:
		return "InvalidRequestContent: the request is invalid" + tag
	case flex.ErrLimit:
		return "QuotaExceeded: a quota of the subscription is used up" + tag
	case flex.ErrBusy:
		return "AnotherOperationInProgress: another operation on the resource is in progress" + tag
	case flex.ErrPrecondition:
		return "PreconditionFailed: the resource is not in a state that allows the request" + tag
	}
	return "InternalServerError" + tag
}

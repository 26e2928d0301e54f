package flex_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/naming"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// TestTenantModel drives one Tenant on the fake cloud with random
// sequences of operations — subscriptions added and removed, connections
// (No connectivity, VNet peering, VPN) created and deleted, catalogs
// created (every built-in persona and machine type, 1–40 users, naming
// schemes that run out and schemes that catalogs share or whose names
// overlap, No connectivity or a connection, domain-joined or not) and
// deleted, machines added, powered and deleted, users added and
// removed, snapshots taken and deleted — each step with or without
// injected faults (no capacity for VM sizes, throttling, transient errors
// and lost responses) and some steps running two to four operations at
// once (deleting several catalogs, of one resource location too, with
// resource groups that take a few milliseconds to go, so that the
// deletions overlap). A simple model records what should exist: subscriptions,
// connections with their ranges, catalogs with their machine counts,
// members and snapshots. It is updated from each operation's result; an
// operation that fails changes nothing in it. After every step (check, in
// model_check_test.go) the cloud, the Tenant's listings and the model must
// agree:
//
//   - no two machines of the tenant share a name, and every catalog's
//     machines are named by its scheme (NAM); a scheme runs out sooner by
//     the names other catalogs' machines hold (NAM-8);
//   - no two Flex ranges of one subscription overlap, in the Tenant's
//     listing and in the cloud (NET-4);
//   - every limit holds (LIM-1…LIM-8), LIM-4 counting only VDAs, and no
//     quota stays reserved once the operations have returned;
//   - every cloud resource tagged for the tenant belongs to a live Flex
//     object and every Flex object has its resources (nothing orphaned,
//     nothing missing);
//   - the model's subscriptions, connections, catalogs, machine counts,
//     members and snapshots are the Tenant's;
//   - the secrets (AD password, pre-shared key) appear in no error, no
//     view (%+v and the other forms) and no log line (SEC-1).
//
// An operation the model knows must fail (a name taken, a limit reached, a
// scheme exhausted, a connection in use) must fail, and one that must
// succeed (deleting what exists and is not in use) must succeed; a fault a
// retry absorbs never shows; every error is the operation's *flex.Error of
// one of the kinds the step allows; the results of concurrent operations
// must be those of some order of them one at a time.
//
// Known bugs would be kept out of the drawn sequences by guards, each
// marked KNOWN BUG where it acts; there are none now.
func TestTenantModel(t *testing.T) {
	var stats mdlStats
	rapid.Check(t, func(rt *rapid.T) {
		// The Tenant makes up to 3 cloud calls of long work at once; with
		// 1 a step without concurrent operations runs the same every
		// time, which is where shrinking leads.
		s := &mdlState{env: mdlNewEnv(rt, rapid.IntRange(1, 3).Draw(rt, "workers")), model: mdlNewModel(), stats: &stats}
		s.model.subs[mdlFold(mdlSubs[0].Name)] = mdlSubs[0].Name
		actions := map[string]func(*rapid.T){
			"": s.check,
		}
		for name, d := range mdlDraws {
			// Repeat draws its actions evenly: an operation of weight w
			// is w actions.
			for i := range mdlWeights[name] {
				actions[fmt.Sprintf("%s %d", name, i+1)] = func(rt *rapid.T) { s.step(rt, name, d) }
			}
		}
		actions["concurrently 1"] = s.concurrently
		actions["concurrently 2"] = s.concurrently
		rt.Repeat(actions)
	})
	stats.report(t)
}

func mdlFold(s string) string { return strings.ToLower(s) }

// mdlModel is what should exist: the simple model the Tenant is checked
// against.
type mdlModel struct {
	subs  map[string]string   // folded name → name
	conns map[string]*mdlConn // folded name → connection
	cats  map[string]*mdlCat  // folded name → catalog
}

type mdlConn struct {
	name, sub string
	kind      network.Kind
	region    network.Region
	ranges    []netip.Prefix
}

type mdlCat struct {
	name, sub, conn string // conn is "" for No connectivity
	location        string // its resource location, as created
	region          network.Region
	mt              quota.MachineType
	persona         quota.Persona
	joined          bool
	scheme          naming.Scheme
	machines        int
	// names are its machines' names, folded, as the Tenant listed them
	// after the last step (check), less those deleted since: the model
	// cannot know the names the Tenant gives (a failed addition uses up
	// numbers), only which names other catalogs' machines hold.
	names   map[string]bool
	members map[string]bool            // mdlMember keys
	snaps   map[string]map[string]bool // machine → its snapshots, as named
}

func mdlNewModel() *mdlModel {
	return &mdlModel{subs: map[string]string{}, conns: map[string]*mdlConn{}, cats: map[string]*mdlCat{}}
}

// clone returns a deep copy, for trying an order of concurrent results.
func (m *mdlModel) clone() *mdlModel {
	c := mdlNewModel()
	maps.Copy(c.subs, m.subs)
	for k, v := range m.conns {
		cv := *v
		cv.ranges = slices.Clone(v.ranges)
		c.conns[k] = &cv
	}
	for k, v := range m.cats {
		cv := *v
		cv.names = maps.Clone(v.names)
		cv.members = maps.Clone(v.members)
		cv.snaps = map[string]map[string]bool{}
		for mk, sv := range v.snaps {
			cv.snaps[mk] = maps.Clone(sv)
		}
		c.cats[k] = &cv
	}
	return c
}

// namesTaken counts the names of the machines of every catalog other
// than except that scheme s names: a catalog of scheme s can name that many
// fewer machines, since machine names are unique in the tenant (NAM-8).
func (m *mdlModel) namesTaken(s naming.Scheme, except string) int {
	n := 0
	for k, c := range m.cats {
		if k == mdlFold(except) {
			continue
		}
		for name := range c.names {
			if _, ok := s.Number(name); ok {
				n++
			}
		}
	}
	return n
}

// vdas returns the machines of the subscription's catalogs (LIM-4).
func (m *mdlModel) vdas(sub string) int {
	n := 0
	for _, c := range m.cats {
		if strings.EqualFold(c.sub, sub) {
			n += c.machines
		}
	}
	return n
}

// mdlMember is the key of a catalog member: directory and ID, ignoring
// case (CAT-9).
func mdlMember(p catalog.Principal) string { return mdlFold(p.Directory) + "\x00" + mdlFold(p.ID) }

// mdlExpect is what a step's conditions allow its operations to answer.
type mdlExpect struct {
	concurrent bool // run with others: ErrBusy and other orders are possible
	capacity   bool // VM Puts may fail for capacity
	throttle   bool // VM Puts may be throttled beyond the retries
	// primaryOnly: only the primary size mdlPrimarySize lacks capacity, so
	// a catalog with a backup size does not fail for capacity (CAT-14).
	primaryOnly bool
	limits      quota.Limits
	plan        *fake.Plan // the step's faults; nil for none
}

// mdlCall is one drawn operation: run calls the Tenant, check judges its
// result against a model (the state before it, in the order tried) and
// apply records a success in that model.
type mdlCall struct {
	desc  string
	run   func(ctx context.Context) (views []any, err error)
	check func(m *mdlModel, x mdlExpect, err error) error
	apply func(m *mdlModel)
	// makesVMs says whether the operation puts virtual machines, so that
	// the VM faults may make it fail.
	makesVMs bool
	// variant names the kind of request for the report's counts, such
	// as "domain-joined catalog"; "" for none.
	variant string
}

// mdlDraw draws an operation against the model and the Tenant's state.
type mdlDraw func(rt *rapid.T, s *mdlState) *mdlCall

// mdlDraws are the operations, by name.
var mdlDraws = map[string]mdlDraw{
	"add subscription":    mdlAddSubscription,
	"remove subscription": mdlRemoveSubscription,
	"create connection":   mdlCreateConnection,
	"delete connection":   mdlDeleteConnection,
	"create catalog":      mdlCreateCatalog,
	"add machines":        mdlAddMachines,
	"delete catalog":      mdlDeleteCatalog,
	"machine action":      mdlMachineAction,
	"add users":           mdlAddUsers,
	"remove users":        mdlRemoveUsers,
	"take snapshot":       mdlTakeSnapshot,
	"delete snapshot":     mdlDeleteSnapshot,
}

// mdlWeights are how often each operation is drawn, relative to the
// others; running some at once has weight 2.
var mdlWeights = map[string]int{
	"add subscription": 1, "remove subscription": 1, "create connection": 2, "delete connection": 1,
	"create catalog": 3, "add machines": 2, "delete catalog": 1, "machine action": 2,
	"add users": 1, "remove users": 1, "take snapshot": 1, "delete snapshot": 1,
}

// mdlChoose draws a name: five times in six one of live (if any), else
// one of pool, which may or may not be live.
func mdlChoose(rt *rapid.T, label string, live, pool []string) string {
	if len(live) > 0 && rapid.IntRange(0, 5).Draw(rt, label+"FromPool") != 0 {
		return rapid.SampledFrom(live).Draw(rt, label)
	}
	return rapid.SampledFrom(pool).Draw(rt, label)
}

// mdlFree returns the names of pool that are not taken.
func mdlFree(pool []string, taken func(string) bool) []string {
	var out []string
	for _, n := range pool {
		if !taken(n) {
			out = append(out, n)
		}
	}
	return out
}

// mdlNames returns the names of the objects of m that keep reports true
// for (all when keep is nil), in the order of their keys.
func mdlNames[T any](m map[string]T, name func(T) string, keep func(T) bool) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if keep == nil || keep(m[k]) {
			out = append(out, name(m[k]))
		}
	}
	return out
}

func mdlCatName(c *mdlCat) string   { return c.name }
func mdlConnName(c *mdlConn) string { return c.name }

// mdlSubNames are the names of mdlSubs.
func mdlSubNames() []string {
	var out []string
	for _, s := range mdlSubs {
		out = append(out, s.Name)
	}
	return out
}

// mdlState is one rapid check: the world, the model and what the step
// returned.
type mdlState struct {
	env   *mdlEnv
	model *mdlModel
	stats *mdlStats
	// seen holds the views and errors the step's operations returned,
	// which the invariants search for secrets.
	seen []any
	// deleted holds the catalogs (folded names) the step deletes, so
	// that a concurrent step mostly deletes different ones: the last two
	// of a resource location, say.
	deleted map[string]bool
}

// begin prepares the drawing of a step.
func (s *mdlState) begin() {
	s.deleted = map[string]bool{}
}

// step runs one drawn operation, with the step's faults.
func (s *mdlState) step(rt *rapid.T, name string, d mdlDraw) {
	s.begin()
	c := d(rt, s)
	if c == nil {
		rt.Skip("nothing to do it to")
	}
	x := s.faults(rt)
	views, err := c.run(s.env.ctx)
	s.env.sw.Set(s.env.view)
	s.stats.fired(x.plan)
	s.seen = append(s.seen, views...)
	if err != nil {
		s.seen = append(s.seen, err)
	}
	rt.Logf("%s: %v", c.desc, mdlOutcome(err))
	s.stats.count(name, err)
	if c.variant != "" {
		s.stats.count(c.variant, err)
	}
	if cerr := c.check(s.model, x, err); cerr != nil {
		rt.Fatalf("%s: %v", c.desc, cerr)
	}
	if err == nil {
		c.apply(s.model)
	}
}

// concurrently runs two to four drawn operations at once, then finds an
// order of them, one at a time, that explains every result, and records
// the successes in that order.
func (s *mdlState) concurrently(rt *rapid.T) {
	names := slices.Sorted(maps.Keys(mdlDraws))
	n := rapid.IntRange(2, 4).Draw(rt, "operations")
	s.begin()
	var calls []*mdlCall
	for i := range n {
		name := rapid.SampledFrom(names).Draw(rt, fmt.Sprintf("operation %d", i))
		if c := mdlDraws[name](rt, s); c != nil {
			calls = append(calls, c)
		}
	}
	if len(calls) < 2 {
		rt.Skip("fewer than two operations to run")
	}
	x := s.faults(rt)
	x.concurrent = true
	if rapid.Bool().Draw(rt, "slowGroupDeletes") {
		// Resource groups take a while to go, as in Azure, so that the
		// operations' deletions overlap.
		if x.plan == nil {
			x.plan = fake.NewPlan()
			s.env.sw.Set(fake.WithFaults(s.env.view, x.plan))
		}
		x.plan.On(fake.Delete, flex.TypeResourceGroup).Delay(5 * time.Millisecond)
		rt.Logf("faults: %v", x.plan)
	}
	errs := make([]error, len(calls))
	views := make([][]any, len(calls))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, c := range calls {
		wg.Go(func() {
			<-start
			views[i], errs[i] = c.run(s.env.ctx)
		})
	}
	close(start)
	wg.Wait()
	s.env.sw.Set(s.env.view)
	s.stats.fired(x.plan)
	for i, c := range calls {
		rt.Logf("at once: %s: %v", c.desc, mdlOutcome(errs[i]))
		s.stats.count("concurrently", errs[i])
		if calls[i].variant != "" {
			s.stats.count(calls[i].variant, errs[i])
		}
		s.seen = append(s.seen, views[i]...)
		if errs[i] != nil {
			s.seen = append(s.seen, errs[i])
		}
	}
	// Every order whose results are consistent gives a candidate model;
	// when they differ, the one the Tenant agrees with is taken, and the
	// invariants judge the rest.
	var first error
	var candidates []*mdlModel
	for order := range mdlPermutations(len(calls)) {
		m := s.model.clone()
		var bad error
		for _, i := range order {
			if err := calls[i].check(m, x, errs[i]); err != nil {
				bad = fmt.Errorf("%s: %w", calls[i].desc, err)
				break
			}
			if errs[i] == nil {
				calls[i].apply(m)
			}
		}
		if bad == nil {
			candidates = append(candidates, m)
		} else if first == nil {
			first = bad
		}
	}
	if len(candidates) == 0 {
		rt.Fatalf("no order of the concurrent operations explains their results; in the order drawn: %v", first)
	}
	s.model = candidates[0]
	if len(candidates) > 1 {
		got := s.read(rt).view()
		for _, m := range candidates {
			if reflect.DeepEqual(m.view(), got) {
				s.model = m
				break
			}
		}
	}
}

// mdlPermutations yields every order of 0…n-1, the identity first.
func mdlPermutations(n int) func(yield func([]int) bool) {
	return func(yield func([]int) bool) {
		p := make([]int, n)
		for i := range p {
			p[i] = i
		}
		var gen func(k int) bool
		gen = func(k int) bool {
			if k == n {
				return yield(slices.Clone(p))
			}
			for i := k; i < n; i++ {
				p[k], p[i] = p[i], p[k]
				if !gen(k + 1) {
					return false
				}
				p[k], p[i] = p[i], p[k]
			}
			return true
		}
		gen(0)
	}
}

// faults draws the faults of a step and puts them in front of the cloud:
// none; transient faults that the Tenant's retries absorb (throttling,
// 5xx before or after the call, lost responses; at most 4, fewer than its
// 5 attempts, flextest.TransientFaults or aimed at the step's first
// calls); VM Puts failing for capacity, of every size or only the primary
// one (CAT-14); or VM Puts throttled, or their responses lost, more times
// than the retries allow.
func (s *mdlState) faults(rt *rapid.T) mdlExpect {
	x := mdlExpect{limits: mdlLimits()}
	var plan *fake.Plan
	switch rapid.IntRange(0, 9).Draw(rt, "faults") {
	case 5:
		fp := flextest.TransientFaults(4).Draw(rt, "transient")
		plan = fp.Plan()
	case 6, 7:
		// Transient faults on the first calls of the step, which every
		// operation makes: at most 4 in a row, so a fifth attempt
		// succeeds. A lost response only on the calls that are safe to
		// repeat.
		plan = fake.NewPlan()
		m := rapid.SampledFrom([]fake.Method{fake.AnyMethod, fake.Put, fake.Get, fake.Delete, fake.List}).Draw(rt, "faultMethod")
		r := plan.On(m, "").Nth(rapid.IntRange(1, 3).Draw(rt, "faultFrom")).Times(rapid.IntRange(1, 4).Draw(rt, "faultTimes"))
		retryAfter := time.Duration(rapid.IntRange(0, 20).Draw(rt, "retryAfterSeconds")) * time.Second
		switch kind := rapid.IntRange(0, 2).Draw(rt, "faultKind"); {
		case kind == 0:
			r.Throttle(retryAfter)
		case kind == 1 || m == fake.AnyMethod:
			r.Fail(&flex.Error{Kind: flex.ErrUnavailable, Err: errors.New("ServiceUnavailable: injected"), RetryAfter: retryAfter})
		default:
			r.AfterCall().Fail(&flex.Error{Kind: flex.ErrUnavailable, Err: errors.New("response lost: injected"), RetryAfter: retryAfter})
		}
	case 8:
		plan = fake.NewPlan()
		r := plan.On(fake.Put, flex.TypeVirtualMachine).Nth(rapid.IntRange(1, 6).Draw(rt, "capacityFrom"))
		if x.primaryOnly = rapid.Bool().Draw(rt, "primaryOnly"); x.primaryOnly {
			r.Size(mdlPrimarySize)
		}
		if times := rapid.IntRange(0, 3).Draw(rt, "capacityTimes"); times > 0 {
			r.Times(times)
		}
		r.Fail(flex.ErrCapacity)
		x.capacity = true
	case 9:
		// More throttling than the retries absorb; or the VM made each
		// time and the response lost, so that the Tenant must remove a VM
		// it was never told about.
		plan = fake.NewPlan()
		r := plan.On(fake.Put, flex.TypeVirtualMachine).Nth(rapid.IntRange(1, 6).Draw(rt, "throttleFrom")).
			Times(rapid.IntRange(5, 10).Draw(rt, "throttleTimes"))
		if rapid.Bool().Draw(rt, "responsesLost") {
			r.AfterCall()
		}
		r.Throttle(time.Millisecond)
		x.throttle = true
	}
	if plan != nil {
		rt.Logf("faults: %v", plan)
		s.env.sw.Set(fake.WithFaults(s.env.view, plan))
	}
	x.plan = plan
	return x
}

// kinds checks that err is of a kind the operation may answer under x:
// the refusals, ErrBusy when run with others, and for an operation that
// makes VMs, what the VM faults cause. A fault a retry absorbs must never
// show, nor may an error of no kind.
func (x mdlExpect) kinds(c *mdlCall, err error) error {
	if err == nil {
		return nil
	}
	allowed := []error{flex.ErrInvalid, flex.ErrConflict, flex.ErrLimit, flex.ErrNotFound, flex.ErrPrecondition}
	if x.concurrent {
		allowed = append(allowed, flex.ErrBusy)
	}
	if c.makesVMs && x.capacity {
		allowed = append(allowed, flex.ErrCapacity)
	}
	if c.makesVMs && x.throttle {
		allowed = append(allowed, flex.ErrThrottled)
	}
	k := flex.KindOf(err)
	if k == nil || !slices.Contains(allowed, k) {
		return fmt.Errorf("error of kind %v, not one of %v: %v", k, allowed, err)
	}
	// The error is the operation's, naming it; and no context ended, so
	// it matches no context error.
	op, _, _ := strings.Cut(c.desc, "(")
	fe, ok := err.(*flex.Error)
	canceled := errors.Is(err, context.Canceled)
	switch {
	case canceled || errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("matches a context error, though no context ended: %v", err)
	case !ok || fe.Op != op:
		return fmt.Errorf("is not a *flex.Error of operation %s: %T %v", op, err, err)
	}
	return nil
}

// mdlProblem is a reason the model sees for an operation to fail, with
// the kind of error it calls for.
type mdlProblem struct {
	kind error
	why  string
}

// mdlMust checks a result against what the model knows: must lists the
// problems the model sees, each of which must make the operation fail.
// When the model knows everything that could refuse the operation (sure)
// and it runs alone, it must succeed without a problem and otherwise fail
// with the kind of one of them.
func mdlMust(x mdlExpect, c *mdlCall, err error, must []mdlProblem, sure bool) error {
	var whys []string
	var kinds []error
	for _, p := range must {
		whys = append(whys, p.why)
		kinds = append(kinds, p.kind)
	}
	if err == nil {
		if len(must) > 0 {
			return fmt.Errorf("succeeded, but the model says it must fail: %s", strings.Join(whys, "; "))
		}
		return nil
	}
	if kerr := x.kinds(c, err); kerr != nil {
		return kerr
	}
	switch {
	case x.concurrent || !sure:
	case len(must) == 0:
		return fmt.Errorf("failed, but the model says nothing stands in its way: %v", err)
	case !slices.Contains(kinds, flex.KindOf(err)):
		return fmt.Errorf("failed with kind %v, but the model's reasons (%s) call for %v: %v", flex.KindOf(err), strings.Join(whys, "; "), kinds, err)
	}
	return nil
}

// mdlOutcome is "ok" or the error, for the step log.
func mdlOutcome(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

func mdlAddSubscription(rt *rapid.T, s *mdlState) *mdlCall {
	var missing []string
	for _, sub := range mdlSubs {
		if _, ok := s.model.subs[mdlFold(sub.Name)]; !ok {
			missing = append(missing, sub.Name)
		}
	}
	name := mdlChoose(rt, "subscription", missing, mdlSubNames())
	spec := mdlSubs[slices.IndexFunc(mdlSubs, func(s flex.SubscriptionSpec) bool { return s.Name == name })]
	c := &mdlCall{desc: fmt.Sprintf("AddSubscription(%s)", spec.Name)}
	c.run = func(ctx context.Context) ([]any, error) {
		v, err := s.env.tn.AddSubscription(ctx, spec)
		return []any{v}, err
	}
	c.check = func(m *mdlModel, x mdlExpect, err error) error {
		var must []mdlProblem
		if _, ok := m.subs[mdlFold(spec.Name)]; ok {
			must = append(must, mdlProblem{flex.ErrConflict, "SUB-1: the name is taken"}) // RULE SUB-1
		}
		return mdlMust(x, c, err, must, true)
	}
	c.apply = func(m *mdlModel) { m.subs[mdlFold(spec.Name)] = spec.Name }
	return c
}

func mdlRemoveSubscription(rt *rapid.T, s *mdlState) *mdlCall {
	name := rapid.SampledFrom(mdlSubNames()).Draw(rt, "subscription")
	c := &mdlCall{desc: fmt.Sprintf("RemoveSubscription(%s)", name)}
	c.run = func(ctx context.Context) ([]any, error) {
		return nil, s.env.tn.RemoveSubscription(ctx, name)
	}
	c.check = func(m *mdlModel, x mdlExpect, err error) error {
		var must []mdlProblem
		if _, ok := m.subs[mdlFold(name)]; !ok {
			must = append(must, mdlProblem{flex.ErrNotFound, "no such subscription"})
		} else if len(m.subs) == 1 {
			must = append(must, mdlProblem{flex.ErrPrecondition, "SUB-4: it is the last"}) // RULE SUB-4
		}
		for _, cat := range m.cats {
			if strings.EqualFold(cat.sub, name) {
				must = append(must, mdlProblem{flex.ErrPrecondition, fmt.Sprintf("SUB-3: catalog %s uses it", cat.name)}) // RULE SUB-3
			}
		}
		for _, conn := range m.conns {
			if strings.EqualFold(conn.sub, name) {
				must = append(must, mdlProblem{flex.ErrPrecondition, fmt.Sprintf("SUB-3: connection %s is in it", conn.name)}) // RULE SUB-3
			}
		}
		return mdlMust(x, c, err, must, true)
	}
	c.apply = func(m *mdlModel) { delete(m.subs, mdlFold(name)) }
	return c
}

func mdlCreateConnection(rt *rapid.T, s *mdlState) *mdlCall {
	sub := mdlChoose(rt, "subscription", slices.Sorted(maps.Values(s.model.subs)), mdlSubNames())
	name := mdlChoose(rt, "connection", mdlFree(mdlConnNames, func(n string) bool { return s.model.conns[mdlFold(n)] != nil }), mdlConnNames)
	rng := rapid.SampledFrom(mdlRanges).Draw(rt, "range")
	var spec network.Spec
	var remote netip.Prefix // the peered VNet's space
	switch kind := rapid.IntRange(0, 2).Draw(rt, "kind"); kind {
	case 0:
		spec = network.NoConnectivitySpec{Name: name, Region: rapid.SampledFrom(mdlRegions).Draw(rt, "region"), Range: rng}
	case 1:
		v := rapid.SampledFrom(mdlCustVNets).Draw(rt, "peer")
		remote = v.space
		spec = network.PeeringSpec{Name: name, Region: v.region, RemoteVNet: v.id(), Range: rng, DNS: []netip.Addr{v.dns}}
	default:
		spec = network.VPNSpec{
			Name: name, Region: rapid.SampledFrom(mdlRegions).Draw(rt, "region"),
			DeviceIP:        netip.MustParseAddr("20.61.12.34"),
			AllowedNetworks: rapid.SampledFrom(mdlAllowedNets).Draw(rt, "allowed"),
			PSK:             secret.New(mdlPSK), SKU: network.SKUBasic,
			VDASubnet: rng, GatewaySubnet: rapid.SampledFrom(mdlGatewaySubnets).Draw(rt, "gatewaySubnet"),
			DNS: []netip.Addr{netip.MustParseAddr("10.50.0.4")},
		}
	}
	var got flex.Connection
	c := &mdlCall{desc: fmt.Sprintf("CreateConnection(%s, %s %s, %v)", sub, spec.Kind(), name, spec.FlexRanges()),
		variant: fmt.Sprintf("%s connection", spec.Kind())}
	c.run = func(ctx context.Context) ([]any, error) {
		v, err := s.env.tn.CreateConnection(ctx, sub, spec)
		got = v
		return []any{v}, err
	}
	c.check = func(m *mdlModel, x mdlExpect, err error) error {
		var must []mdlProblem
		if o, ok := m.conns[mdlFold(name)]; ok {
			must = append(must, mdlProblem{flex.ErrConflict, fmt.Sprintf("the name is taken by the connection in %s", o.sub)})
		}
		if _, ok := m.subs[mdlFold(sub)]; !ok {
			must = append(must, mdlProblem{flex.ErrNotFound, "no such subscription"})
		}
		ranges := spec.FlexRanges()
		if err == nil {
			ranges = got.Ranges
		}
		for _, r := range ranges {
			if remote.IsValid() && r.Overlaps(remote) {
				must = append(must, mdlProblem{flex.ErrInvalid, fmt.Sprintf("NET-4: %v overlaps the peered VNet's %v", r, remote)}) // RULE NET-4
			}
			for _, o := range m.conns {
				if !strings.EqualFold(o.sub, sub) {
					continue
				}
				for _, p := range o.ranges {
					if r.Overlaps(p) {
						must = append(must, mdlProblem{flex.ErrInvalid, fmt.Sprintf("NET-4: %v overlaps %v of connection %s", r, p, o.name)}) // RULE NET-4
					}
				}
			}
		}
		if spec.Kind() != network.KindNone && !rng.IsValid() {
			must = append(must, mdlProblem{flex.ErrInvalid, "NET-5: no Flex range"}) // RULE NET-5
		}
		if err == nil {
			for _, r := range spec.FlexRanges() {
				if r.IsValid() && !slices.Contains(got.Ranges, r) {
					return fmt.Errorf("the connection's ranges %v lack the range asked for, %v", got.Ranges, r)
				}
			}
		}
		// Ranges of the Citrix-managed networks are not in the model: a
		// refusal may always be right.
		return mdlMust(x, c, err, must, false)
	}
	c.apply = func(m *mdlModel) {
		m.conns[mdlFold(name)] = &mdlConn{name: name, sub: sub, kind: spec.Kind(), region: got.Region, ranges: slices.Clone(got.Ranges)}
	}
	return c
}

func mdlDeleteConnection(rt *rapid.T, s *mdlState) *mdlCall {
	name := mdlChoose(rt, "connection", mdlNames(s.model.conns, mdlConnName, nil), mdlConnNames)
	c := &mdlCall{desc: fmt.Sprintf("DeleteConnection(%s)", name)}
	c.run = func(ctx context.Context) ([]any, error) {
		return nil, s.env.tn.DeleteConnection(ctx, name)
	}
	c.check = func(m *mdlModel, x mdlExpect, err error) error {
		var must []mdlProblem
		if _, ok := m.conns[mdlFold(name)]; !ok {
			must = append(must, mdlProblem{flex.ErrNotFound, "no such connection"})
		}
		for _, cat := range m.cats {
			if strings.EqualFold(cat.conn, name) {
				must = append(must, mdlProblem{flex.ErrPrecondition, fmt.Sprintf("NET-8: catalog %s uses it", cat.name)}) // RULE NET-8
			}
		}
		return mdlMust(x, c, err, must, true)
	}
	c.apply = func(m *mdlModel) { delete(m.conns, mdlFold(name)) }
	return c
}

func mdlCreateCatalog(rt *rapid.T, s *mdlState) *mdlCall {
	name := mdlChoose(rt, "catalog", mdlFree(mdlCatalogNames, func(n string) bool { return s.model.cats[mdlFold(n)] != nil }), mdlCatalogNames)
	sub := mdlChoose(rt, "subscription", slices.Sorted(maps.Values(s.model.subs)), mdlSubNames())
	pi := rapid.IntRange(0, len(mdlPersonas)-1).Draw(rt, "persona")
	users := rapid.IntRange(1, 40).Draw(rt, "users")
	var conn, domain, location string
	var region network.Region
	if rapid.Bool().Draw(rt, "connected") {
		// A connection of the model, mostly, in its own subscription,
		// mostly; one with connectivity for a domain-joined catalog,
		// mostly (IDN-2).
		joined := rapid.Bool().Draw(rt, "domainJoined")
		live := mdlNames(s.model.conns, mdlConnName, func(c *mdlConn) bool { return !joined || c.kind != network.KindNone })
		if len(live) == 0 && rapid.IntRange(0, 5).Draw(rt, "noConnectionYet") != 0 {
			// No connection to use: mostly without connectivity.
			return mdlCreateCatalogIn(rt, s, name, sub, pi, users, "", "", "", rapid.SampledFrom(mdlRegions).Draw(rt, "region"))
		}
		conn = mdlChoose(rt, "connection", live, mdlConnNames)
		if c := s.model.conns[mdlFold(conn)]; c != nil && rapid.IntRange(0, 5).Draw(rt, "otherSubscription") != 0 {
			sub = c.sub
		}
		if joined {
			domain = rapid.SampledFrom(mdlDomains).Draw(rt, "domain")
			location = rapid.SampledFrom(mdlLocations).Draw(rt, "location")
		}
	} else {
		region = rapid.SampledFrom(mdlRegions).Draw(rt, "region")
	}
	return mdlCreateCatalogIn(rt, s, name, sub, pi, users, conn, domain, location, region)
}

// mdlCreateCatalogIn draws the rest of a catalog: its naming scheme and
// whether it has a backup size.
func mdlCreateCatalogIn(rt *rapid.T, s *mdlState, name, sub string, pi, users int, conn, domain, location string, region network.Region) *mdlCall {
	scheme := rapid.SampledFrom(mdlSchemes(name)).Draw(rt, "scheme")
	sized := rapid.Bool().Draw(rt, "backupSize")
	spec := mdlCatalogSpec(name, sub, pi, users, conn, region, domain, location, scheme, sized)
	machines, _ := spec.Persona.Machines(users)
	// NAM-9's default scheme names 999 machines; its random part is
	// unknown, so the names it might share are too.
	capacity, drawn := 999, naming.Scheme{}
	if scheme.text != "" {
		drawn = naming.MustParse(scheme.text, scheme.kind)
		capacity = drawn.Capacity()
	}
	var got flex.Catalog
	variant := "catalog without connectivity"
	switch {
	case domain != "":
		variant = "domain-joined catalog"
	case conn != "":
		variant = "catalog on a connection"
	}
	c := &mdlCall{makesVMs: true, variant: variant, desc: fmt.Sprintf("CreateCatalog(%s in %s, %s %v, %d users → %d machines, connection %q, region %q, domain %q, scheme %q, backup size %v)",
		name, sub, spec.Persona.Name, spec.MachineType, users, machines, conn, region, domain, scheme.text, sized)}
	c.run = func(ctx context.Context) ([]any, error) {
		v, err := s.env.tn.CreateCatalog(ctx, spec)
		got = v
		return []any{v}, err
	}
	c.check = func(m *mdlModel, x mdlExpect, err error) error {
		var must []mdlProblem
		if _, ok := m.cats[mdlFold(name)]; ok {
			must = append(must, mdlProblem{flex.ErrConflict, "CAT-5: the name is taken"}) // RULE CAT-5
		}
		if _, ok := m.subs[mdlFold(sub)]; !ok {
			must = append(must, mdlProblem{flex.ErrNotFound, "no such subscription"})
		}
		if conn != "" {
			switch o, ok := m.conns[mdlFold(conn)]; {
			case !ok:
				must = append(must, mdlProblem{flex.ErrNotFound, "NET-2: no such connection"}) // RULE NET-2
			case !strings.EqualFold(o.sub, sub):
				must = append(must, mdlProblem{flex.ErrPrecondition, "SUB-2: the connection is in another subscription"}) // RULE SUB-2
			case domain != "" && o.kind == network.KindNone:
				must = append(must, mdlProblem{flex.ErrInvalid, "IDN-2: domain-joined without connectivity"}) // RULE IDN-2
			}
		}
		if len(m.cats) >= x.limits.CatalogsPerTenant {
			must = append(must, mdlProblem{flex.ErrLimit, fmt.Sprintf("LIM-2: %d catalogs", len(m.cats))}) // RULE LIM-2
		}
		if v := m.vdas(sub); v+machines >= x.limits.VDAsPerSubscription {
			must = append(must, mdlProblem{flex.ErrLimit, fmt.Sprintf("LIM-4: %d VDAs + %d", v, machines)}) // RULE LIM-4
		}
		taken := 0
		if drawn.IsValid() {
			taken = m.namesTaken(drawn, name)
		}
		if machines > capacity-taken {
			must = append(must, mdlProblem{flex.ErrInvalid, fmt.Sprintf("NAM-8: %d machines, the scheme names %d, %d of them other catalogs' machines' names", machines, capacity, taken)}) // RULE NAM-8
		}
		if err != nil && errors.Is(err, flex.ErrCapacity) && x.primaryOnly && sized { // RULE CAT-14
			return fmt.Errorf("CAT-14: failed for want of the primary size's capacity, with a backup size: %v", err)
		}
		// Resource locations (LIM-3, LIM-6, RL-1) are not in the model: a
		// refusal may always be right.
		return mdlMust(x, c, err, must, false)
	}
	c.apply = func(m *mdlModel) {
		sch := naming.MustParse(got.NamingScheme, scheme.kind)
		cat := &mdlCat{name: name, sub: sub, conn: conn, location: got.ResourceLocation, region: got.Region, mt: spec.MachineType, persona: spec.Persona, joined: domain != "",
			scheme: sch, machines: machines, names: map[string]bool{}, members: map[string]bool{}, snaps: map[string]map[string]bool{}}
		for _, p := range got.Principals {
			cat.members[mdlMember(p)] = true
		}
		m.cats[mdlFold(name)] = cat
	}
	return c
}

// mdlPick draws one of the model's catalogs, or one of the pool now and
// then, which may not exist.
func mdlPick(rt *rapid.T, m *mdlModel) string {
	return mdlChoose(rt, "catalog", mdlNames(m.cats, mdlCatName, nil), mdlCatalogNames)
}

func mdlAddMachines(rt *rapid.T, s *mdlState) *mdlCall {
	name := mdlPick(rt, s.model)
	users := rapid.IntRange(1, 12).Draw(rt, "users")
	// The service account again for a domain-joined catalog, none for
	// another (CAT-6); now and then the other way round.
	joined := s.model.cats[mdlFold(name)] != nil && s.model.cats[mdlFold(name)].joined
	creds := joined != (rapid.IntRange(0, 7).Draw(rt, "credentialsMistaken") == 0)
	req := catalog.AddMachinesRequest{Users: users}
	if creds {
		req.ServiceAccount, req.Password = `CORP\svc-join`, secret.New(mdlADPassword)
	}
	c := &mdlCall{makesVMs: true, desc: fmt.Sprintf("AddMachines(%s, %d users, credentials %v)", name, users, creds)}
	c.run = func(ctx context.Context) ([]any, error) {
		v, err := s.env.tn.AddMachines(ctx, name, req)
		return []any{v}, err
	}
	c.check = func(m *mdlModel, x mdlExpect, err error) error {
		cat, ok := m.cats[mdlFold(name)]
		if !ok {
			return mdlMust(x, c, err, []mdlProblem{{flex.ErrNotFound, "no such catalog"}}, true)
		}
		machines, _ := cat.persona.Machines(users)
		var must []mdlProblem
		if v := m.vdas(cat.sub); v+machines >= x.limits.VDAsPerSubscription {
			must = append(must, mdlProblem{flex.ErrLimit, fmt.Sprintf("LIM-4: %d VDAs + %d", v, machines)}) // RULE LIM-4
		}
		if taken := m.namesTaken(cat.scheme, name); cat.machines+taken+machines > cat.scheme.Capacity() {
			must = append(must, mdlProblem{flex.ErrInvalid, fmt.Sprintf("NAM-8: %d machines + %d, the scheme names %d, %d of them other catalogs' machines' names", cat.machines, machines, cat.scheme.Capacity(), taken)}) // RULE NAM-8
		}
		if cat.joined != creds {
			must = append(must, mdlProblem{flex.ErrInvalid, "CAT-6: the service account is needed again exactly for a domain-joined catalog"}) // RULE CAT-6
		}
		// The machine numbers a failed addition used are not in the model,
		// nor is whether the scheme has room after them.
		return mdlMust(x, c, err, must, false)
	}
	c.apply = func(m *mdlModel) {
		cat := m.cats[mdlFold(name)]
		n, _ := cat.persona.Machines(users) // CAT-2
		cat.machines += n
	}
	return c
}

func mdlDeleteCatalog(rt *rapid.T, s *mdlState) *mdlCall {
	// Mostly one the step does not delete yet, so that a concurrent step
	// deletes several catalogs, of one resource location too.
	name := mdlChoose(rt, "catalog", mdlNames(s.model.cats, mdlCatName, func(c *mdlCat) bool { return !s.deleted[mdlFold(c.name)] }), mdlCatalogNames)
	s.deleted[mdlFold(name)] = true
	c := &mdlCall{desc: fmt.Sprintf("DeleteCatalog(%s)", name)}
	c.run = func(ctx context.Context) ([]any, error) {
		return nil, s.env.tn.DeleteCatalog(ctx, name, mdlAck(name))
	}
	c.check = func(m *mdlModel, x mdlExpect, err error) error {
		var must []mdlProblem
		if _, ok := m.cats[mdlFold(name)]; !ok {
			must = append(must, mdlProblem{flex.ErrNotFound, "no such catalog"})
		}
		return mdlMust(x, c, err, must, true)
	}
	c.apply = func(m *mdlModel) { delete(m.cats, mdlFold(name)) }
	return c
}

// mdlPickMachine draws a catalog of the model, one of those keep reports
// true for five times in six if there are any, and one of its machines as
// the Tenant lists them now; nil when there is none.
func mdlPickMachine(rt *rapid.T, s *mdlState, keep func(*mdlCat) bool) (string, *flex.Machine) {
	if len(s.model.cats) == 0 {
		return "", nil
	}
	name := mdlChoose(rt, "catalog", mdlNames(s.model.cats, mdlCatName, keep), mdlNames(s.model.cats, mdlCatName, nil))
	ms, err := s.env.tn.Machines(s.env.ctx, name)
	if err != nil {
		rt.Fatalf("Machines(%s): %v", name, err)
	}
	if len(ms) == 0 {
		return name, nil
	}
	m := rapid.SampledFrom(ms).Draw(rt, "machine")
	return name, &m
}

func mdlMachineAction(rt *rapid.T, s *mdlState) *mdlCall {
	name, mach := mdlPickMachine(rt, s, nil)
	if mach == nil {
		return nil
	}
	a := rapid.SampledFrom([]catalog.Action{catalog.Start, catalog.Shutdown, catalog.Restart, catalog.MaintenanceOn,
		catalog.MaintenanceOff, catalog.Delete, catalog.Delete}).Draw(rt, "action")
	machine := mach.Name
	// Maintenance mode is a tag on the VM: a Put the VM faults hit.
	c := &mdlCall{makesVMs: true, desc: fmt.Sprintf("MachineAction(%s, %s, %v)", name, machine, a)}
	c.run = func(ctx context.Context) ([]any, error) {
		v, err := s.env.tn.MachineAction(ctx, name, machine, a)
		return []any{v}, err
	}
	c.check = func(m *mdlModel, x mdlExpect, err error) error {
		cat, ok := m.cats[mdlFold(name)]
		switch {
		case !ok:
			return mdlMust(x, c, err, []mdlProblem{{flex.ErrNotFound, "no such catalog"}}, true)
		case a == catalog.Delete && err == nil && cat.machines == 0:
			return errors.New("deleted a machine of a catalog that has none")
		}
		// Whether the machine allows the action (CAT-8) is not in the
		// model.
		return mdlMust(x, c, err, nil, false)
	}
	c.apply = func(m *mdlModel) {
		if a == catalog.Delete {
			cat := m.cats[mdlFold(name)]
			cat.machines--
			delete(cat.names, mdlFold(machine))
			delete(cat.snaps, machine)
		}
	}
	return c
}

// mdlPickGuests draws one to three distinct principals of mdlGuests.
func mdlPickGuests(rt *rapid.T) []catalog.Principal {
	return rapid.SliceOfNDistinct(rapid.SampledFrom(mdlGuests), 1, 3, mdlMember).Draw(rt, "principals")
}

func mdlAddUsers(rt *rapid.T, s *mdlState) *mdlCall {
	name := mdlPick(rt, s.model)
	ps := mdlPickGuests(rt)
	c := &mdlCall{desc: fmt.Sprintf("AddUsers(%s, %v)", name, ps)}
	c.run = func(ctx context.Context) ([]any, error) {
		v, err := s.env.tn.AddUsers(ctx, name, ps...)
		return []any{v}, err
	}
	c.check = func(m *mdlModel, x mdlExpect, err error) error {
		var must []mdlProblem
		if _, ok := m.cats[mdlFold(name)]; !ok {
			must = append(must, mdlProblem{flex.ErrNotFound, "no such catalog"})
		}
		return mdlMust(x, c, err, must, true)
	}
	c.apply = func(m *mdlModel) {
		for _, p := range ps {
			m.cats[mdlFold(name)].members[mdlMember(p)] = true
		}
	}
	return c
}

func mdlRemoveUsers(rt *rapid.T, s *mdlState) *mdlCall {
	name := mdlPick(rt, s.model)
	ps := mdlPickGuests(rt)
	if cat := s.model.cats[mdlFold(name)]; cat != nil && rapid.IntRange(0, 5).Draw(rt, "onlyMembers") != 0 {
		// Members only, five times in six.
		ps = slices.DeleteFunc(ps, func(p catalog.Principal) bool { return !cat.members[mdlMember(p)] })
		if len(ps) == 0 {
			return nil
		}
	}
	c := &mdlCall{desc: fmt.Sprintf("RemoveUsers(%s, %v)", name, ps)}
	c.run = func(ctx context.Context) ([]any, error) {
		v, err := s.env.tn.RemoveUsers(ctx, name, ps...)
		return []any{v}, err
	}
	c.check = func(m *mdlModel, x mdlExpect, err error) error {
		cat, ok := m.cats[mdlFold(name)]
		if !ok {
			return mdlMust(x, c, err, []mdlProblem{{flex.ErrNotFound, "no such catalog"}}, true)
		}
		var must []mdlProblem
		for _, p := range ps {
			if !cat.members[mdlMember(p)] {
				must = append(must, mdlProblem{flex.ErrNotFound, fmt.Sprintf("CAT-9: %v is not a member", p)}) // RULE CAT-9
			}
		}
		return mdlMust(x, c, err, must, true)
	}
	c.apply = func(m *mdlModel) {
		for _, p := range ps {
			delete(m.cats[mdlFold(name)].members, mdlMember(p))
		}
	}
	return c
}

func mdlTakeSnapshot(rt *rapid.T, s *mdlState) *mdlCall {
	name, mach := mdlPickMachine(rt, s, func(c *mdlCat) bool { return c.mt == quota.Static })
	if mach == nil {
		return nil
	}
	machine, assigned := mach.Name, mach.Assigned != ""
	snap := rapid.SampledFrom(mdlSnapNames).Draw(rt, "snapshot")
	c := &mdlCall{desc: fmt.Sprintf("TakeSnapshot(%s, %s, %s)", name, machine, snap)}
	c.run = func(ctx context.Context) ([]any, error) {
		v, err := s.env.tn.TakeSnapshot(ctx, name, machine, snap)
		return []any{v}, err
	}
	c.check = func(m *mdlModel, x mdlExpect, err error) error {
		cat, ok := m.cats[mdlFold(name)]
		if !ok {
			return mdlMust(x, c, err, []mdlProblem{{flex.ErrNotFound, "no such catalog"}}, true)
		}
		var must []mdlProblem
		if cat.mt != quota.Static {
			must = append(must, mdlProblem{flex.ErrInvalid, "CAT-13: not a static catalog"}) // RULE CAT-13
		}
		if !assigned && !x.concurrent {
			// Assignments are not in the model: this is what the listing
			// said when the step was drawn, which AddUsers run at the
			// same time may change.
			must = append(must, mdlProblem{flex.ErrInvalid, "CAT-13: the machine is assigned to no user"}) // RULE CAT-13
		}
		if cat.snaps[machine][snap] {
			must = append(must, mdlProblem{flex.ErrConflict, "API-5: the machine has a snapshot of that name"}) // RULE API-5
		}
		// The machine may have been deleted meanwhile (concurrently), and
		// whether it allows a snapshot now is not in the model.
		return mdlMust(x, c, err, must, false)
	}
	c.apply = func(m *mdlModel) {
		cat := m.cats[mdlFold(name)]
		if cat.snaps[machine] == nil {
			cat.snaps[machine] = map[string]bool{}
		}
		cat.snaps[machine][snap] = true
	}
	return c
}

func mdlDeleteSnapshot(rt *rapid.T, s *mdlState) *mdlCall {
	// A snapshot of the model five times in six, if there is one.
	var taken []string // catalog/machine/snapshot, folded
	for _, k := range slices.Sorted(maps.Keys(s.model.cats)) {
		for _, m := range slices.Sorted(maps.Keys(s.model.cats[k].snaps)) {
			for _, n := range slices.Sorted(maps.Keys(s.model.cats[k].snaps[m])) {
				taken = append(taken, k+"/"+m+"/"+n)
			}
		}
	}
	var name, machine, snap string
	if len(taken) > 0 && rapid.IntRange(0, 5).Draw(rt, "snapshotFromPool") != 0 {
		parts := strings.Split(rapid.SampledFrom(taken).Draw(rt, "snapshot"), "/")
		name, machine, snap = s.model.cats[parts[0]].name, parts[1], parts[2]
	} else {
		var mach *flex.Machine
		if name, mach = mdlPickMachine(rt, s, nil); mach == nil {
			return nil
		}
		machine, snap = mach.Name, rapid.SampledFrom(mdlSnapNames).Draw(rt, "snapshot")
	}
	c := &mdlCall{desc: fmt.Sprintf("DeleteSnapshots(%s, %s, %s)", name, machine, snap)}
	c.run = func(ctx context.Context) ([]any, error) {
		return nil, s.env.tn.DeleteSnapshots(ctx, name, machine, snap)
	}
	c.check = func(m *mdlModel, x mdlExpect, err error) error {
		cat, ok := m.cats[mdlFold(name)]
		if !ok {
			return mdlMust(x, c, err, []mdlProblem{{flex.ErrNotFound, "no such catalog"}}, true)
		}
		var must []mdlProblem
		if !cat.snaps[machine][snap] {
			must = append(must, mdlProblem{flex.ErrNotFound, "the machine has no snapshot of that name"})
		}
		return mdlMust(x, c, err, must, false)
	}
	c.apply = func(m *mdlModel) { delete(m.cats[mdlFold(name)].snaps[machine], snap) }
	return c
}

// mdlStats counts the outcomes of every kind of operation over all the
// checks, so that the test can show that the generators reach both
// success and refusal.
type mdlStats struct {
	mu     sync.Mutex
	ok     map[string]int
	no     map[string]map[string]int // operation → error kind → count
	faulty int                       // steps with faults
	faults int                       // faults fired
}

// fired counts the faults a step's plan fired.
func (st *mdlStats) fired(p *fake.Plan) {
	if p == nil {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.faulty++
	st.faults += p.Fired()
}

func (st *mdlStats) count(op string, err error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ok == nil {
		st.ok, st.no = map[string]int{}, map[string]map[string]int{}
	}
	if err == nil {
		st.ok[op]++
		return
	}
	if st.no[op] == nil {
		st.no[op] = map[string]int{}
	}
	kind := fmt.Sprint(flex.KindOf(err))
	if errors.Is(err, flex.ErrLimit) {
		// Which limits refused it.
		kind += fmt.Sprint(slices.Compact(slices.Sorted(slices.Values(rule.IDs(err)))))
	}
	st.no[op][kind]++
}

func (st *mdlStats) report(t *testing.T) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var ops []string
	for op := range st.ok {
		ops = append(ops, op)
	}
	for op := range st.no {
		if _, ok := st.ok[op]; !ok {
			ops = append(ops, op)
		}
	}
	slices.Sort(ops)
	for _, op := range ops {
		if op != "concurrently" {
			t.Logf("%-30s ok %4d, refused %v", op, st.ok[op], st.no[op])
		}
	}
	t.Logf("%-30s ok %4d, refused %v", "concurrently", st.ok["concurrently"], st.no["concurrently"])
	t.Logf("%d faults fired in %d steps with faults", st.faults, st.faulty)
}

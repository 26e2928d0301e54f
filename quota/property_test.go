package quota

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// model is the simple oracle for the Ledger: it keeps the list of committed
// changes and the set of pending ones, and recomputes every amount from
// scratch by summing them, where the Ledger keeps running totals.
type model struct {
	lim       Limits
	committed []Change
	pending   map[int]Change
	res       map[int]*Reservation
	done      map[int]*Reservation // committed or released, for idempotency checks
	doneState map[int]resState
	next      int
}

// tally is the brute-force sum of one amount: committed, pending additions
// and pending removals.
type tally struct{ used, plus, minus int }

func (t tally) high() int    { return t.used + t.plus }
func (t tally) low() int     { return t.used - t.minus }
func (t tally) isZero() bool { return t == tally{} }

func (m *model) tally(f func(Change) int) tally {
	var t tally
	for _, c := range m.committed {
		t.used += f(c)
	}
	for _, c := range m.pending {
		if v := f(c); v > 0 {
			t.plus += v
		} else {
			t.minus -= v
		}
	}
	return t
}

func (m *model) all() []Change {
	return append(slices.Clone(m.committed), slices.Collect(maps.Values(m.pending))...)
}

func (m *model) catExists(cat string) tally {
	return m.tally(func(c Change) int { return when(c.Catalog == cat && c.Catalog != "", c.Catalogs) })
}
func (m *model) catVDAs(cat string) tally {
	return m.tally(func(c Change) int { return when(c.Catalog == cat && c.Catalog != "", c.VDAs) })
}
func (m *model) subVDAs(sub string) tally {
	return m.tally(func(c Change) int { return when(c.Subscription == sub && c.Catalog != "", c.VDAs) })
}
func (m *model) locExists(rl string) tally {
	return m.tally(func(c Change) int { return when(c.ResourceLocation == rl && rl != "", c.ResourceLocations) })
}
func (m *model) locSingle(rl string) tally {
	return m.tally(func(c Change) int { return when(c.ResourceLocation == rl && rl != "", c.SingleSessionUsers) })
}
func (m *model) locMulti(rl string) tally {
	return m.tally(func(c Change) int { return when(c.ResourceLocation == rl && rl != "", c.MultiSessionUsers) })
}
func (m *model) refs(rl, d string) tally {
	return m.tally(func(c Change) int {
		return when(c.ResourceLocation == rl && c.Domain == d && d != "" && rl != "", c.DomainRefs)
	})
}
func (m *model) tenantRefs(d string) tally {
	return m.tally(func(c Change) int { return when(c.Domain == d && d != "" && c.ResourceLocation != "", c.DomainRefs) })
}

func when(b bool, v int) int {
	if b {
		return v
	}
	return 0
}

// names returns the distinct non-empty values of one name in every change.
func (m *model) names(f func(Change) string) []string {
	set := map[string]bool{}
	for _, c := range m.all() {
		if n := f(c); n != "" {
			set[n] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// catalogs returns every catalog the model tracks, with its subscription:
// that of its latest creation (a pending one comes after every committed one).
func (m *model) catalogs() map[string]string {
	out := map[string]string{}
	for _, cat := range m.names(func(c Change) string { return c.Catalog }) {
		if m.catExists(cat).isZero() && m.catVDAs(cat).isZero() {
			continue
		}
		for _, c := range m.all() {
			if c.Catalog == cat && c.Catalogs == 1 {
				out[cat] = c.Subscription
			}
		}
	}
	return out
}

func (m *model) locations() []string {
	var out []string
	for _, rl := range m.names(func(c Change) string { return c.ResourceLocation }) {
		if !(m.locExists(rl).isZero() && m.locSingle(rl).isZero() && m.locMulti(rl).isZero() && len(m.domainsOf(rl)) == 0) {
			out = append(out, rl)
		}
	}
	return out
}

// domainsOf returns the domains with any reference, committed or pending, in
// rl, or in the whole tenant when rl is "".
func (m *model) domainsOf(rl string) []string {
	var out []string
	for _, d := range m.names(func(c Change) string { return c.Domain }) {
		t := m.tenantRefs(d)
		if rl != "" {
			t = m.refs(rl, d)
		}
		if !t.isZero() {
			out = append(out, d)
		}
	}
	return out
}

func (m *model) distinct(rl string) tally {
	var t tally
	for _, d := range m.domainsOf(rl) {
		r := m.tenantRefs(d)
		if rl != "" {
			r = m.refs(rl, d)
		}
		if r.used > 0 {
			t.used++
		} else {
			t.plus++
		}
	}
	return t
}

type outcome struct {
	invalid bool
	limits  []string // rule IDs of the refused limits
}

// decide is what the Ledger must answer to Reserve(c), worked out from the
// brute-force tallies.
func (m *model) decide(c Change) outcome {
	var o outcome
	amounts := []int{c.Catalogs, c.VDAs, c.ResourceLocations, c.DomainRefs, c.SingleSessionUsers, c.MultiSessionUsers}
	for _, a := range amounts {
		if a > MaxLimit || a < -MaxLimit {
			return outcome{invalid: true}
		}
	}
	catPart := c.Catalogs != 0 || c.VDAs != 0
	locPart := c.ResourceLocations != 0 || c.DomainRefs != 0 || c.SingleSessionUsers != 0 || c.MultiSessionUsers != 0
	if c.Catalogs < -1 || c.Catalogs > 1 || c.ResourceLocations < -1 || c.ResourceLocations > 1 ||
		(catPart && (c.Catalog == "" || c.Subscription == "")) || (locPart && c.ResourceLocation == "") ||
		(c.DomainRefs != 0 && c.Domain == "") {
		return outcome{invalid: true}
	}
	lim := m.lim
	if catPart {
		sub, tracked := m.catalogs()[c.Catalog]
		ex, vd := m.catExists(c.Catalog), m.catVDAs(c.Catalog)
		tenant := m.tally(func(c Change) int { return when(c.Catalog != "", c.Catalogs) })
		switch {
		case tracked && sub != c.Subscription:
			o.invalid = true
		case c.Catalogs == 1:
			if tracked || c.VDAs < 0 {
				o.invalid = true
				break
			}
			if tenant.high()+1 > lim.CatalogsPerTenant {
				o.limits = append(o.limits, "LIM-2")
			}
			if c.VDAs > 0 && m.subVDAs(c.Subscription).high()+c.VDAs >= lim.VDAsPerSubscription {
				o.limits = append(o.limits, "LIM-4")
			}
		case c.Catalogs == -1:
			if !(ex.used == 1 && ex.minus == 0 && vd.plus == 0 && vd.minus == 0 && vd.used+c.VDAs == 0) {
				o.invalid = true
			}
		default:
			switch {
			case ex.used != 1 || ex.minus != 0:
				o.invalid = true
			case c.VDAs < 0 && vd.low() < -c.VDAs:
				o.invalid = true
			case c.VDAs > 0 && m.subVDAs(c.Subscription).high()+c.VDAs >= lim.VDAsPerSubscription:
				o.limits = append(o.limits, "LIM-4")
			}
		}
	}
	if locPart {
		rl := c.ResourceLocation
		ex, single, multi := m.locExists(rl), m.locSingle(rl), m.locMulti(rl)
		tracked := slices.Contains(m.locations(), rl)
		check := true
		switch c.ResourceLocations {
		case 1:
			if tracked {
				o.invalid, check = true, false
				break
			}
			if m.tally(func(c Change) int { return when(c.ResourceLocation != "", c.ResourceLocations) }).high()+1 > lim.ResourceLocationsPerTenant {
				o.limits = append(o.limits, "LIM-3")
			}
			if c.DomainRefs < 0 || c.SingleSessionUsers < 0 || c.MultiSessionUsers < 0 {
				o.invalid, check = true, false
			}
		case -1:
			check = false
			busy := single.plus != 0 || single.minus != 0 || multi.plus != 0 || multi.minus != 0
			doms := m.domainsOf(rl)
			for _, d := range doms {
				if r := m.refs(rl, d); r.plus != 0 || r.minus != 0 {
					busy = true
				}
			}
			cleared := len(doms) == 0 && c.DomainRefs == 0 ||
				len(doms) == 1 && doms[0] == c.Domain && m.refs(rl, c.Domain).used+c.DomainRefs == 0 && c.DomainRefs != 0
			if ex.used != 1 || ex.minus != 0 || busy || single.used+c.SingleSessionUsers != 0 || multi.used+c.MultiSessionUsers != 0 || !cleared {
				o.invalid = true
			}
		default:
			if ex.used != 1 || ex.minus != 0 {
				o.invalid, check = true, false
			}
		}
		if check {
			for _, u := range []struct {
				id    string
				t     tally
				d, lm int
			}{{"LIM-7", single, c.SingleSessionUsers, lim.SingleSessionUsersPerResourceLocation}, {"LIM-8", multi, c.MultiSessionUsers, lim.MultiSessionUsersPerResourceLocation}} {
				switch {
				case u.d < 0 && u.t.low() < -u.d:
					o.invalid = true
				case u.d > 0 && u.t.high()+u.d > u.lm:
					o.limits = append(o.limits, u.id)
				}
			}
			switch r := m.refs(rl, c.Domain); {
			case c.DomainRefs < 0 && r.low() < -c.DomainRefs:
				o.invalid = true
			case c.DomainRefs > 0:
				if r.isZero() && len(m.domainsOf(rl))+1 > lim.ADDomainsPerResourceLocation {
					o.limits = append(o.limits, "LIM-6")
				}
				if m.tenantRefs(c.Domain).isZero() && len(m.domainsOf(""))+1 > lim.ADDomainsPerTenant {
					o.limits = append(o.limits, "LIM-1")
				}
			}
		}
	}
	if o.invalid {
		o.limits = nil
	}
	slices.Sort(o.limits)
	return o
}

// usage is what Ledger.Usage must return, from the brute-force tallies.
func (m *model) usage() Usage {
	lim := m.lim
	cnt := func(id string, t tally, limit int) Count {
		return Count{Rule: id, InUse: t.used, Reserved: t.plus, Limit: limit}
	}
	u := Usage{
		Limits:            lim,
		ADDomains:         cnt("LIM-1", m.distinct(""), lim.ADDomainsPerTenant),
		Domains:           m.domainsOf(""),
		Catalogs:          cnt("LIM-2", m.tally(func(c Change) int { return when(c.Catalog != "", c.Catalogs) }), lim.CatalogsPerTenant),
		ResourceLocations: cnt("LIM-3", m.tally(func(c Change) int { return when(c.ResourceLocation != "", c.ResourceLocations) }), lim.ResourceLocationsPerTenant),
	}
	bySub := map[string][]Share{}
	for cat, sub := range m.catalogs() {
		v := m.catVDAs(cat)
		bySub[sub] = append(bySub[sub], Share{Name: cat, InUse: v.used, Reserved: v.plus})
	}
	for _, sub := range slices.Sorted(maps.Keys(bySub)) {
		shares := bySub[sub]
		slices.SortFunc(shares, func(a, b Share) int { return compareStrings(a.Name, b.Name) })
		v := m.subVDAs(sub)
		u.Subscriptions = append(u.Subscriptions, SubscriptionUsage{Name: sub, VDAs: cnt("LIM-4", v, lim.VDAsPerSubscription), Near: lim.Near(v.high()), Catalogs: shares})
	}
	for _, rl := range m.locations() {
		u.Locations = append(u.Locations, LocationUsage{
			Name:               rl,
			ADDomains:          cnt("LIM-6", m.distinct(rl), lim.ADDomainsPerResourceLocation),
			Domains:            m.domainsOf(rl),
			SingleSessionUsers: cnt("LIM-7", m.locSingle(rl), lim.SingleSessionUsersPerResourceLocation),
			MultiSessionUsers:  cnt("LIM-8", m.locMulti(rl), lim.MultiSessionUsersPerResourceLocation),
		})
	}
	return u
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

var (
	subPool  = []string{"S1", "S2"}
	catPool  = []string{"C1", "C2", "C3"}
	homeSub  = map[string]string{"C1": "S1", "C2": "S1", "C3": "S2"}
	locPool  = []string{"R1", "R2", "R3", "R4"}
	domPool  = []string{"D1", "D2", "D3"}
	anyNames = []string{"", "S1", "C1", "R1", "D1", "X"}
)

// modelLimits are limits the pools of names below can reach and pass.
func modelLimits() Limits {
	return Limits{
		ADDomainsPerTenant:                    2,
		CatalogsPerTenant:                     2,
		ResourceLocationsPerTenant:            3,
		VDAsPerSubscription:                   10,
		NearLimitPercent:                      90,
		ADDomainsPerResourceLocation:          1,
		SingleSessionUsersPerResourceLocation: 6,
		MultiSessionUsersPerResourceLocation:  9,
	}
}

// genChange draws a change: mostly the shapes real operations make, aimed at
// what the model holds, sometimes anything at all.
func (m *model) genChange(t *rapid.T, kinds ...int) Change {
	kind := rapid.SampledFrom(kinds).Draw(t, "kind")
	creates := kind == 0 || kind == 3 || kind == 7
	// Names: half the time one the model already tracks, so that changes
	// meet reservations in progress on the same thing.
	cat := rapid.SampledFrom(catPool).Draw(t, "catalog")
	if tracked := slices.Sorted(maps.Keys(m.catalogs())); !creates && len(tracked) > 0 && rapid.IntRange(0, 3).Draw(t, "trackedCatalog") > 0 {
		cat = rapid.SampledFrom(tracked).Draw(t, "catalog")
	}
	sub := homeSub[cat]
	if rapid.IntRange(0, 9).Draw(t, "wrongSub") == 0 {
		sub = rapid.SampledFrom(subPool).Draw(t, "sub")
	}
	rl := rapid.SampledFrom(locPool).Draw(t, "location")
	if tracked := m.locations(); !creates && len(tracked) > 0 && rapid.IntRange(0, 3).Draw(t, "trackedLocation") > 0 {
		rl = rapid.SampledFrom(tracked).Draw(t, "location")
	}
	dom := rapid.SampledFrom(domPool).Draw(t, "domain")
	if tracked := m.domainsOf(rl); len(tracked) > 0 && rapid.IntRange(0, 2).Draw(t, "trackedDomain") == 0 {
		dom = rapid.SampledFrom(tracked).Draw(t, "domain")
	}
	// amount draws, as often, a removal (up to one past what can be
	// removed) or an addition of a few.
	amount := func(low int, label string) int {
		if rapid.Bool().Draw(t, label+"Removes") {
			return -rapid.IntRange(1, low+1).Draw(t, label)
		}
		return rapid.IntRange(0, 4).Draw(t, label)
	}
	noise := func() int { return rapid.IntRange(-1, 1).Draw(t, "noise") * rapid.IntRange(0, 1).Draw(t, "noisy") }
	switch kind {
	case 0: // create a catalog
		return Change{Subscription: sub, Catalog: cat, Catalogs: 1, VDAs: rapid.IntRange(0, 6).Draw(t, "vdas")}
	case 1: // add or delete machines
		return Change{Subscription: sub, Catalog: cat, VDAs: amount(m.catVDAs(cat).low(), "vdas")}
	case 2: // delete a catalog
		return Change{Subscription: sub, Catalog: cat, Catalogs: -1, VDAs: -m.catVDAs(cat).used + noise()}
	case 3: // create a resource location, maybe with users and a domain
		c := Change{ResourceLocation: rl, ResourceLocations: 1, SingleSessionUsers: rapid.IntRange(0, 4).Draw(t, "single"), MultiSessionUsers: rapid.IntRange(0, 6).Draw(t, "multi")}
		if rapid.Bool().Draw(t, "joined") {
			c.Domain, c.DomainRefs = dom, 1
		}
		return c
	case 4: // users come and go
		return Change{ResourceLocation: rl, SingleSessionUsers: amount(m.locSingle(rl).low(), "single"), MultiSessionUsers: amount(m.locMulti(rl).low(), "multi")}
	case 5: // domain references
		return Change{ResourceLocation: rl, Domain: dom, DomainRefs: amount(m.refs(rl, dom).low(), "refs")}
	case 6: // remove a resource location
		c := Change{ResourceLocation: rl, ResourceLocations: -1, SingleSessionUsers: -m.locSingle(rl).used + noise(), MultiSessionUsers: -m.locMulti(rl).used}
		if ds := m.domainsOf(rl); len(ds) > 0 {
			c.Domain, c.DomainRefs = ds[0], -m.refs(rl, ds[0]).used
		}
		return c
	case 7: // a whole catalog in a new location
		return Change{Subscription: sub, Catalog: cat, Catalogs: 1, VDAs: rapid.IntRange(1, 4).Draw(t, "vdas"),
			ResourceLocation: rl, ResourceLocations: 1, Domain: dom, DomainRefs: 1, MultiSessionUsers: rapid.IntRange(1, 9).Draw(t, "multi")}
	default: // anything
		n := func(label string) string { return rapid.SampledFrom(anyNames).Draw(t, label) }
		a := func(label string) int { return rapid.IntRange(-3, 3).Draw(t, label) }
		return Change{Subscription: n("s"), Catalog: n("c"), ResourceLocation: n("r"), Domain: n("d"),
			Catalogs: a("cats"), VDAs: a("v"), ResourceLocations: a("rls"), DomainRefs: a("refs"), SingleSessionUsers: a("su"), MultiSessionUsers: a("mu")}
	}
}

// TestLedgerModel drives a Ledger with random sequences of reserve, commit
// and release against the brute-force model.
//
// Invariants, after every step:
//   - every answer of Reserve (admitted, refused by which limits, or invalid)
//     is the model's;
//   - Usage equals the model's usage, recomputed from the list of changes;
//   - no usage, committed or committed plus reserved, is above its limit
//     (LIM-1…LIM-8; LIM-4 stays below it) or below zero;
//   - Commit and Release are idempotent.
//
// At the end, releasing every reservation and removing everything committed
// brings the ledger back to the empty usage.
func TestLedgerModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := &model{lim: modelLimits(), pending: map[int]Change{}, res: map[int]*Reservation{}, done: map[int]*Reservation{}, doneState: map[int]resState{}}
		l, err := NewLedger(m.lim)
		if err != nil {
			t.Fatal(err)
		}
		pick := func(t *rapid.T) (int, bool) {
			if len(m.pending) == 0 {
				return 0, false
			}
			return rapid.SampledFrom(slices.Sorted(maps.Keys(m.pending))).Draw(t, "reservation"), true
		}
		actions := map[string]func(*rapid.T){
			"reserve catalog side":  func(t *rapid.T) { m.reserve(t, l, m.genChange(t, 0, 1, 1, 2, 7)) },
			"reserve location side": func(t *rapid.T) { m.reserve(t, l, m.genChange(t, 3, 4, 5, 5, 6)) },
			"reserve domain":        func(t *rapid.T) { m.reserve(t, l, m.genChange(t, 5)) },
			"reserve removal":       func(t *rapid.T) { m.reserve(t, l, m.genChange(t, 2, 6)) },
			"reserve anything":      func(t *rapid.T) { m.reserve(t, l, m.genChange(t, 0, 1, 2, 3, 4, 5, 6, 7, 8)) },
			"commit oldest": func(t *rapid.T) {
				if len(m.pending) == 0 {
					return
				}
				id := slices.Min(slices.Collect(maps.Keys(m.pending)))
				if err := m.res[id].Commit(); err != nil {
					t.Fatalf("Commit() = %v", err)
				}
				m.committed = append(m.committed, m.pending[id])
				m.finish(id, committed)
			},
			"commit": func(t *rapid.T) {
				id, ok := pick(t)
				if !ok {
					return
				}
				if err := m.res[id].Commit(); err != nil {
					t.Fatalf("Commit() = %v", err)
				}
				m.committed = append(m.committed, m.pending[id])
				m.finish(id, committed)
			},
			"release": func(t *rapid.T) {
				id, ok := pick(t)
				if !ok {
					return
				}
				m.res[id].Release()
				m.finish(id, released)
			},
			"again": func(t *rapid.T) {
				if len(m.done) == 0 {
					return
				}
				id := rapid.SampledFrom(slices.Sorted(maps.Keys(m.done))).Draw(t, "finished")
				r := m.done[id]
				err := r.Commit()
				if (m.doneState[id] == committed) != (err == nil) || (err != nil && !errors.Is(err, ErrInvalidChange)) {
					t.Fatalf("Commit() again after %v = %v", m.doneState[id], err)
				}
				r.Release()
			},
		}
		// rapid's Repeat averages 30 steps; the limits here need longer
		// sequences to be reached often, so the steps are drawn here.
		names := slices.Sorted(maps.Keys(actions))
		m.check(t, l)
		for range rapid.IntRange(1, 400).Draw(t, "steps") {
			actions[rapid.SampledFrom(names).Draw(t, "action")](t)
			m.check(t, l)
		}

		// Everything released, then everything removed: back to zero.
		for _, id := range slices.Sorted(maps.Keys(m.pending)) {
			m.res[id].Release()
			m.finish(id, released)
		}
		m.check(t, l)
		for cat, sub := range m.catalogs() {
			m.drain(t, l, Change{Subscription: sub, Catalog: cat, Catalogs: -1, VDAs: -m.catVDAs(cat).used})
		}
		for _, rl := range m.locations() {
			ds := m.domainsOf(rl)
			c := Change{ResourceLocation: rl, ResourceLocations: -1, SingleSessionUsers: -m.locSingle(rl).used, MultiSessionUsers: -m.locMulti(rl).used}
			for i, d := range ds {
				if i == len(ds)-1 {
					c.Domain, c.DomainRefs = d, -m.refs(rl, d).used
					break
				}
				m.drain(t, l, Change{ResourceLocation: rl, Domain: d, DomainRefs: -m.refs(rl, d).used})
			}
			m.drain(t, l, c)
		}
		empty := Usage{Limits: m.lim, ADDomains: Count{Rule: "LIM-1", Limit: m.lim.ADDomainsPerTenant}, Catalogs: Count{Rule: "LIM-2", Limit: m.lim.CatalogsPerTenant},
			ResourceLocations: Count{Rule: "LIM-3", Limit: m.lim.ResourceLocationsPerTenant}}
		if diff := cmp.Diff(empty, l.Usage(), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("usage after releasing and removing everything (-want +got):\n%s", diff)
		}
	})
}

// reserve asks the ledger to reserve c and checks its answer against the
// model's.
func (m *model) reserve(t *rapid.T, l *Ledger, c Change) {
	want := m.decide(c)
	r, err := l.Reserve(c)
	switch {
	case want.invalid:
		if r != nil || !errors.Is(err, ErrInvalidChange) {
			t.Fatalf("Reserve(%+v) = %v, %v; want ErrInvalidChange", c, r, err)
		}
	case len(want.limits) > 0:
		if r != nil || !errors.Is(err, ErrLimit) || !cmp.Equal(rule.IDs(err), want.limits) {
			t.Fatalf("Reserve(%+v) = %v, %v; want ErrLimit %v", c, r, err, want.limits)
		}
	default:
		if err != nil || r == nil {
			t.Fatalf("Reserve(%+v) = %v; want admitted", c, err)
		}
		m.next++
		m.pending[m.next], m.res[m.next] = c, r
	}
}

func (m *model) finish(id int, s resState) {
	m.done[id], m.doneState[id] = m.res[id], s
	delete(m.pending, id)
	delete(m.res, id)
}

func (m *model) drain(t *rapid.T, l *Ledger, c Change) {
	if got := m.decide(c); got.invalid || len(got.limits) > 0 {
		t.Fatalf("model refuses removal %+v: %+v", c, got)
	}
	r, err := l.Reserve(c)
	if err != nil {
		t.Fatalf("removal Reserve(%+v) = %v", c, err)
	}
	if err := r.Commit(); err != nil {
		t.Fatal(err)
	}
	m.committed = append(m.committed, c)
}

// nilEmpty returns u with every empty slice made nil, so that cmp.Equal
// needs no options (this runs after every step; options make it slow).
func nilEmpty(u Usage) Usage {
	u.Domains = nilIfEmpty(u.Domains)
	u.Subscriptions = slices.Clone(nilIfEmpty(u.Subscriptions))
	for i := range u.Subscriptions {
		u.Subscriptions[i].Catalogs = nilIfEmpty(u.Subscriptions[i].Catalogs)
	}
	u.Locations = slices.Clone(nilIfEmpty(u.Locations))
	for i := range u.Locations {
		u.Locations[i].Domains = nilIfEmpty(u.Locations[i].Domains)
	}
	return u
}

func nilIfEmpty[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}

func (m *model) check(t *rapid.T, l *Ledger) {
	u := l.Usage()
	if want := m.usage(); !cmp.Equal(nilEmpty(want), nilEmpty(u)) {
		t.Fatalf("Usage() differs from the model (-model +ledger):\n%s", cmp.Diff(want, u, cmpopts.EquateEmpty()))
	}
	within := func(c Count, strict bool) {
		top := c.InUse + c.Reserved
		if c.InUse < 0 || c.Reserved < 0 || top > c.Limit || (strict && top >= c.Limit) {
			t.Fatalf("%s: usage %+v breaks the limit", c.Rule, c)
		}
	}
	within(u.ADDomains, false)
	within(u.Catalogs, false)
	within(u.ResourceLocations, false)
	for _, s := range u.Subscriptions {
		within(s.VDAs, true)
	}
	for _, r := range u.Locations {
		within(r.ADDomains, false)
		within(r.SingleSessionUsers, false)
		within(r.MultiSessionUsers, false)
	}
}

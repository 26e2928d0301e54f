package quota

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/daasflex/daasflex/rule"
)

// Change describes what one operation adds to or removes from a tenant's
// usage. Positive amounts add, negative amounts remove; names say where.
//
//   - Catalogs: +1 starts counting catalog Catalog of subscription
//     Subscription (LIM-2), -1 stops; removing a catalog must also remove
//     all its VDAs in the same Change.
//   - VDAs: machines added to or deleted from Catalog, counted against its
//     Subscription (LIM-4). Count only VDAs: image builders, Cloud
//     Connectors, bastions and license servers are never VDAs (RL-7).
//   - ResourceLocations: +1 starts counting ResourceLocation (LIM-3), -1
//     stops; removing one must also remove its users and domain references.
//   - DomainRefs: references held on Active Directory domain Domain by
//     ResourceLocation (LIM-1 across the tenant, LIM-6 per resource
//     location). A domain counts while it has a reference; by convention
//     each domain-joined catalog holds one on its resource location.
//   - SingleSessionUsers, MultiSessionUsers: users served by
//     ResourceLocation (LIM-7, LIM-8).
//
// Catalog names are unique in the tenant (CAT-5): a catalog belongs to one
// subscription. The zero Change changes nothing and is admitted.
type Change struct {
	Subscription     string
	Catalog          string
	ResourceLocation string
	Domain           string

	Catalogs           int // -1, 0 or +1
	VDAs               int
	ResourceLocations  int // -1, 0 or +1
	DomainRefs         int
	SingleSessionUsers int
	MultiSessionUsers  int
}

// gauge is one amount in three parts: committed usage, additions reserved
// and removals reserved. Additions count against limits as soon as they are
// reserved; removals free capacity only when committed. Invariant:
// 0 ≤ minus ≤ used and plus ≥ 0.
type gauge struct{ used, plus, minus int }

func (g gauge) high() int    { return g.used + g.plus }  // the most it can become
func (g gauge) low() int     { return g.used - g.minus } // the least it can become
func (g gauge) isZero() bool { return g == gauge{} }

func (g *gauge) reserve(d int) {
	if d > 0 {
		g.plus += d
	} else {
		g.minus -= d
	}
}

func (g *gauge) release(d int) {
	if d > 0 {
		g.plus -= d
	} else {
		g.minus += d
	}
}

func (g *gauge) commit(d int) {
	g.release(d)
	g.used += d
}

type catalogEntry struct {
	sub    string
	exists gauge // 0 or 1
	vdas   gauge
}

type subEntry struct {
	vdas     gauge
	catalogs gauge // catalogs of this subscription, for the LIM-2 breakdown
	names    map[string]*catalogEntry
}

type locationEntry struct {
	exists  gauge // 0 or 1
	single  gauge
	multi   gauge
	domains map[string]*gauge // references per domain
}

// Ledger accounts one tenant's usage against its Limits and admits changes
// by reservation. It is safe for concurrent use. The zero value is an empty
// ledger with DefaultLimits; NewLedger sets other limits. A Ledger must not
// be copied after first use.
//
// Bounds: every limit is "at most" — usage may reach it, not pass it — except
// LIM-4, where a subscription's VDAs must stay below VDAsPerSubscription.
// That follows the documentation's worked example, in which 4,500 VDAs plus
// 500 more (5,000) is refused.
type Ledger struct {
	mu        sync.Mutex
	limits    Limits
	limitsSet bool
	catalogs  map[string]*catalogEntry
	subs      map[string]*subEntry
	locations map[string]*locationEntry
	domains   map[string]*gauge // tenant-wide references per domain
	tenantCat gauge             // catalogs in the tenant (LIM-2)
	tenantLoc gauge             // resource locations in the tenant (LIM-3)
}

// NewLedger returns an empty ledger enforcing limits, or the problems with
// limits (LIM-9).
func NewLedger(limits Limits) (*Ledger, error) {
	if err := limits.Validate(); err != nil {
		return nil, err
	}
	return &Ledger{limits: limits, limitsSet: true}, nil
}

// Limits returns the limits the ledger enforces.
func (l *Ledger) Limits() Limits {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lim()
}

func (l *Ledger) lim() Limits {
	if !l.limitsSet {
		l.limits, l.limitsSet = DefaultLimits(), true
	}
	return l.limits
}

func (l *Ledger) init() {
	if l.catalogs == nil {
		l.catalogs = make(map[string]*catalogEntry)
		l.subs = make(map[string]*subEntry)
		l.locations = make(map[string]*locationEntry)
		l.domains = make(map[string]*gauge)
	}
}

// Reservation holds the amounts one admitted Change adds until it is
// committed or released. Its methods are safe for concurrent use and
// idempotent, and a nil *Reservation's Release does nothing, so
//
//	r, err := l.Reserve(c)
//	if err != nil { return err }
//	defer r.Release()
//
// gives the reservation back on every failure path.
type Reservation struct {
	l      *Ledger
	change Change
	ent    entries  // what change touches; kept alive by its own amounts until it is done
	state  resState // guarded by l.mu
}

// entries are the ledger entries one Change touches, looked up once by
// check and apply so that Commit and Release need no map lookups. An entry
// with a reservation in progress has a non-zero gauge and so is never
// dropped while the reservation holds a pointer to it.
type entries struct {
	cat            *catalogEntry
	sub            *subEntry
	loc            *locationEntry
	locDom, tenDom *gauge
}

type resState uint8

const (
	pending resState = iota
	committed
	released
)

// fits reports whether add more on top of high stays within limit under
// rule id. LIM-4 refuses reaching the limit (see Ledger); every other limit
// refuses only passing it. Written to never overflow.
func fits(id string, high, add, limit int) bool {
	if id == "LIM-4" {
		return add < limit-high
	}
	return add <= limit-high
}

// Reserve admits c if every limit it touches holds with c added to the
// committed usage and to every other reservation in progress, and holds
// what c adds until the returned Reservation is committed or released.
// Removals free capacity only on Commit. A refusal changes nothing and
// matches ErrLimit, with one *LimitError per limit c would exceed; a Change
// that cannot apply matches ErrInvalidChange. Both list every problem.
func (l *Ledger) Reserve(c Change) (*Reservation, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.init()
	r := &Reservation{l: l, change: c}
	if err := l.check(c, &r.ent); err != nil {
		return nil, err
	}
	l.apply(c, &r.ent, (*gauge).reserve)
	return r, nil
}

// Commit makes the reservation's change usage. Committing again does
// nothing; committing a released reservation is an error matching
// ErrInvalidChange.
func (r *Reservation) Commit() error {
	if r == nil || r.l == nil {
		return fmt.Errorf("%w: commit of a nil reservation", ErrInvalidChange)
	}
	l := r.l
	l.mu.Lock()
	defer l.mu.Unlock()
	switch r.state {
	case committed:
		return nil
	case released:
		return fmt.Errorf("%w: commit of a released reservation", ErrInvalidChange)
	}
	r.state = committed
	l.apply(r.change, &r.ent, (*gauge).commit)
	return nil
}

// Release gives the reservation back. Releasing again, or after Commit,
// does nothing.
func (r *Reservation) Release() {
	if r == nil || r.l == nil {
		return
	}
	l := r.l
	l.mu.Lock()
	defer l.mu.Unlock()
	if r.state != pending {
		return
	}
	r.state = released
	l.apply(r.change, &r.ent, (*gauge).release)
}

// Change returns the change the reservation holds.
func (r *Reservation) Change() Change { return r.change }

// check reports every reason c cannot be reserved now. Called with l.mu held.
func (l *Ledger) check(c Change, ent *entries) error {
	var bad []string
	badf := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	for _, a := range []struct {
		name string
		v    int
	}{{"Catalogs", c.Catalogs}, {"VDAs", c.VDAs}, {"ResourceLocations", c.ResourceLocations}, {"DomainRefs", c.DomainRefs}, {"SingleSessionUsers", c.SingleSessionUsers}, {"MultiSessionUsers", c.MultiSessionUsers}} {
		if a.v > MaxLimit || a.v < -MaxLimit {
			badf("%s is %s; must be between -%s and %s", a.name, group(a.v), group(MaxLimit), group(MaxLimit))
		}
	}
	if c.Catalogs < -1 || c.Catalogs > 1 {
		badf("Catalogs is %s; must be -1, 0 or 1", group(c.Catalogs))
	}
	if c.ResourceLocations < -1 || c.ResourceLocations > 1 {
		badf("ResourceLocations is %s; must be -1, 0 or 1", group(c.ResourceLocations))
	}
	if (c.Catalogs != 0 || c.VDAs != 0) && (c.Catalog == "" || c.Subscription == "") {
		badf("Catalogs and VDAs need a Catalog and a Subscription; got catalog %q of subscription %q", c.Catalog, c.Subscription)
	}
	if (c.ResourceLocations != 0 || c.DomainRefs != 0 || c.SingleSessionUsers != 0 || c.MultiSessionUsers != 0) && c.ResourceLocation == "" {
		badf("ResourceLocations, DomainRefs and users need a ResourceLocation")
	}
	if c.DomainRefs != 0 && c.Domain == "" {
		badf("DomainRefs needs a Domain")
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidChange, strings.Join(bad, "; "))
	}

	lim := l.lim()
	var limits rule.List
	if c.Catalogs != 0 || c.VDAs != 0 {
		l.checkCatalog(c, ent, lim, badf, &limits)
	}
	if c.ResourceLocation != "" && (c.ResourceLocations != 0 || c.DomainRefs != 0 || c.SingleSessionUsers != 0 || c.MultiSessionUsers != 0) {
		l.checkLocation(c, ent, lim, badf, &limits)
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidChange, strings.Join(bad, "; "))
	}
	return limits.Err()
}

func (l *Ledger) checkCatalog(c Change, ent *entries, lim Limits, badf func(string, ...any), limits *rule.List) {
	ce, se := l.catalogs[c.Catalog], l.subs[c.Subscription]
	ent.cat, ent.sub = ce, se
	if ce != nil && ce.sub != c.Subscription {
		badf("catalog %q belongs to subscription %q, not %q", c.Catalog, ce.sub, c.Subscription)
		return
	}
	switch c.Catalogs {
	case 1:
		if ce != nil {
			badf("catalog %q is already counted or being counted", c.Catalog)
			return
		}
		if !fits("LIM-2", l.tenantCat.high(), 1, lim.CatalogsPerTenant) {
			limits.Append(l.limitError("LIM-2", "tenant", "catalogs", lim.CatalogsPerTenant, l.tenantCat, 1, l.subCatalogShares()))
		}
		if c.VDAs < 0 {
			badf("a new catalog %q cannot remove %s VDAs", c.Catalog, group(-c.VDAs))
			return
		}
	case -1:
		switch {
		case ce == nil || ce.exists.used != 1:
			badf("catalog %q is not counted", c.Catalog)
		case ce.exists.minus != 0:
			badf("catalog %q is already being removed", c.Catalog)
		case ce.vdas.plus != 0 || ce.vdas.minus != 0:
			badf("catalog %q has VDA changes in progress", c.Catalog)
		case ce.vdas.used+c.VDAs != 0:
			badf("removing catalog %q must remove all its %s VDAs; the change removes %s", c.Catalog, group(ce.vdas.used), group(-c.VDAs))
		}
		return
	default:
		switch {
		case ce == nil || ce.exists.used != 1:
			badf("catalog %q is not counted; count it (Catalogs: 1) before changing its VDAs", c.Catalog)
			return
		case ce.exists.minus != 0:
			badf("catalog %q is being removed", c.Catalog)
			return
		}
	}
	switch {
	case c.VDAs < 0:
		if ce.vdas.low() < -c.VDAs {
			badf("catalog %q cannot remove %s VDAs; it has %s not already being removed", c.Catalog, group(-c.VDAs), group(ce.vdas.low()))
		}
	case c.VDAs > 0:
		var sv gauge
		if se != nil {
			sv = se.vdas
		}
		if !fits("LIM-4", sv.high(), c.VDAs, lim.VDAsPerSubscription) {
			limits.Append(l.limitError("LIM-4", "subscription "+c.Subscription, "VDAs", lim.VDAsPerSubscription, sv, c.VDAs, l.vdaShares(c.Subscription)))
		}
	}
}

func (l *Ledger) checkLocation(c Change, ent *entries, lim Limits, badf func(string, ...any), limits *rule.List) {
	le := l.locations[c.ResourceLocation]
	ent.loc = le
	scope := "resource location " + c.ResourceLocation
	switch c.ResourceLocations {
	case 1:
		if le != nil {
			badf("resource location %q is already counted or being counted", c.ResourceLocation)
			return
		}
		if !fits("LIM-3", l.tenantLoc.high(), 1, lim.ResourceLocationsPerTenant) {
			limits.Append(l.limitError("LIM-3", "tenant", "resource locations", lim.ResourceLocationsPerTenant, l.tenantLoc, 1, l.locationShares()))
		}
		if c.DomainRefs < 0 || c.SingleSessionUsers < 0 || c.MultiSessionUsers < 0 {
			badf("a new resource location %q cannot remove users or domain references", c.ResourceLocation)
			return
		}
		le = &locationEntry{}
	case -1:
		switch {
		case le == nil || le.exists.used != 1:
			badf("resource location %q is not counted", c.ResourceLocation)
		case le.exists.minus != 0:
			badf("resource location %q is already being removed", c.ResourceLocation)
		case le.single.plus != 0 || le.single.minus != 0 || le.multi.plus != 0 || le.multi.minus != 0 || domainsBusy(le.domains):
			badf("resource location %q has changes in progress", c.ResourceLocation)
		case le.single.used+c.SingleSessionUsers != 0 || le.multi.used+c.MultiSessionUsers != 0 || !domainsCleared(le.domains, c):
			badf("removing resource location %q must remove all its users and domain references", c.ResourceLocation)
		}
		return
	default:
		switch {
		case le == nil || le.exists.used != 1:
			badf("resource location %q is not counted; count it (ResourceLocations: 1) first", c.ResourceLocation)
			return
		case le.exists.minus != 0:
			badf("resource location %q is being removed", c.ResourceLocation)
			return
		}
	}
	users := []struct {
		id, unit string
		g        gauge
		d, limit int
	}{
		{"LIM-7", "single-session users", le.single, c.SingleSessionUsers, lim.SingleSessionUsersPerResourceLocation},
		{"LIM-8", "multi-session users", le.multi, c.MultiSessionUsers, lim.MultiSessionUsersPerResourceLocation},
	}
	for _, u := range users {
		switch {
		case u.d < 0 && u.g.low() < -u.d:
			badf("resource location %q cannot remove %s %s; it has %s not already being removed", c.ResourceLocation, group(-u.d), u.unit, group(u.g.low()))
		case u.d > 0 && !fits(u.id, u.g.high(), u.d, u.limit):
			limits.Append(l.limitError(u.id, scope, u.unit, u.limit, u.g, u.d, nil))
		}
	}
	switch {
	case c.DomainRefs < 0:
		g := le.domains[c.Domain]
		ent.locDom, ent.tenDom = g, l.domains[c.Domain]
		if g == nil || g.low() < -c.DomainRefs {
			have := 0
			if g != nil {
				have = g.low()
			}
			badf("resource location %q cannot remove %s references on domain %q; it holds %s not already being removed", c.ResourceLocation, group(-c.DomainRefs), c.Domain, group(have))
		}
	case c.DomainRefs > 0:
		ent.locDom, ent.tenDom = le.domains[c.Domain], l.domains[c.Domain]
		if ent.locDom == nil && !fits("LIM-6", len(le.domains), 1, lim.ADDomainsPerResourceLocation) {
			limits.Append(l.limitError("LIM-6", scope, "Active Directory domains", lim.ADDomainsPerResourceLocation, domainCount(le.domains), 1, domainShares(le.domains)))
		}
		if ent.tenDom == nil && !fits("LIM-1", len(l.domains), 1, lim.ADDomainsPerTenant) {
			limits.Append(l.limitError("LIM-1", "tenant", "Active Directory domains", lim.ADDomainsPerTenant, domainCount(l.domains), 1, domainShares(l.domains)))
		}
	}
}

func domainsBusy(m map[string]*gauge) bool {
	for _, g := range m {
		if g.plus != 0 || g.minus != 0 {
			return true
		}
	}
	return false
}

// domainsCleared reports whether c removes exactly every domain reference
// of m.
func domainsCleared(m map[string]*gauge, c Change) bool {
	if c.DomainRefs == 0 {
		return len(m) == 0
	}
	g := m[c.Domain]
	return len(m) == 1 && g != nil && g.used+c.DomainRefs == 0
}

// domainCount counts distinct domains: in use when committed references
// exist, reserved when only reserved ones do.
func domainCount(m map[string]*gauge) gauge {
	var g gauge
	for _, d := range m {
		if d.used > 0 {
			g.used++
		} else {
			g.plus++
		}
	}
	return g
}

func domainShares(m map[string]*gauge) []Share {
	shares := make([]Share, 0, len(m))
	for name, d := range m {
		if d.used > 0 {
			shares = append(shares, Share{Name: name, InUse: 1})
		} else {
			shares = append(shares, Share{Name: name, Reserved: 1})
		}
	}
	return sortShares(shares)
}

func (l *Ledger) vdaShares(sub string) []Share {
	se := l.subs[sub]
	if se == nil {
		return nil
	}
	shares := make([]Share, 0, len(se.names))
	for name, ce := range se.names {
		shares = append(shares, Share{Name: name, InUse: ce.vdas.used, Reserved: ce.vdas.plus})
	}
	return sortShares(shares)
}

func (l *Ledger) subCatalogShares() []Share {
	shares := make([]Share, 0, len(l.subs))
	for name, se := range l.subs {
		if !se.catalogs.isZero() {
			shares = append(shares, Share{Name: name, InUse: se.catalogs.used, Reserved: se.catalogs.plus})
		}
	}
	return sortShares(shares)
}

func (l *Ledger) locationShares() []Share {
	shares := make([]Share, 0, len(l.locations))
	for name, le := range l.locations {
		shares = append(shares, Share{Name: name, InUse: le.exists.used, Reserved: le.exists.plus})
	}
	return sortShares(shares)
}

func sortShares(s []Share) []Share {
	slices.SortFunc(s, func(a, b Share) int { return cmp.Compare(a.Name, b.Name) })
	return s
}

func (l *Ledger) limitError(id, scope, unit string, limit int, g gauge, add int, shares []Share) *LimitError {
	return &LimitError{Rule: id, Scope: scope, Unit: unit, Limit: limit, InUse: g.used, Reserved: g.plus, Requested: add, Breakdown: shares}
}

// apply runs op with each amount of c on every gauge c touches, through
// ent, looking up or creating the entries ent lacks and dropping those that
// return to zero. Called with l.mu held, after check admitted c.
func (l *Ledger) apply(c Change, ent *entries, op func(*gauge, int)) {
	if c.Catalogs != 0 || c.VDAs != 0 {
		if ent.sub == nil {
			ent.sub = l.subs[c.Subscription]
		}
		se := ent.sub
		if se == nil {
			se = &subEntry{names: make(map[string]*catalogEntry)}
			l.subs[c.Subscription], ent.sub = se, se
		}
		if ent.cat == nil {
			ent.cat = l.catalogs[c.Catalog]
		}
		ce := ent.cat
		if ce == nil {
			ce = &catalogEntry{sub: c.Subscription}
			l.catalogs[c.Catalog], se.names[c.Catalog], ent.cat = ce, ce, ce
		}
		if c.Catalogs != 0 {
			op(&ce.exists, c.Catalogs)
			op(&se.catalogs, c.Catalogs)
			op(&l.tenantCat, c.Catalogs)
		}
		if c.VDAs != 0 {
			op(&ce.vdas, c.VDAs)
			op(&se.vdas, c.VDAs)
		}
		if ce.exists.isZero() && ce.vdas.isZero() {
			delete(l.catalogs, c.Catalog)
			delete(se.names, c.Catalog)
			if len(se.names) == 0 {
				delete(l.subs, c.Subscription)
			}
		}
	}
	if c.ResourceLocations != 0 || c.DomainRefs != 0 || c.SingleSessionUsers != 0 || c.MultiSessionUsers != 0 {
		if ent.loc == nil {
			ent.loc = l.locations[c.ResourceLocation]
		}
		le := ent.loc
		if le == nil {
			le = &locationEntry{domains: make(map[string]*gauge)}
			l.locations[c.ResourceLocation], ent.loc = le, le
		}
		if c.ResourceLocations != 0 {
			op(&le.exists, c.ResourceLocations)
			op(&l.tenantLoc, c.ResourceLocations)
		}
		if c.SingleSessionUsers != 0 {
			op(&le.single, c.SingleSessionUsers)
		}
		if c.MultiSessionUsers != 0 {
			op(&le.multi, c.MultiSessionUsers)
		}
		if c.DomainRefs != 0 {
			ent.locDom = applyDomain(le.domains, ent.locDom, c.Domain, c.DomainRefs, op)
			ent.tenDom = applyDomain(l.domains, ent.tenDom, c.Domain, c.DomainRefs, op)
		}
		if le.exists.isZero() && le.single.isZero() && le.multi.isZero() && len(le.domains) == 0 {
			delete(l.locations, c.ResourceLocation)
		}
	}
}

// applyDomain runs op on g, domain name's gauge in m, creating it when g is
// nil and dropping it at zero; it returns g.
func applyDomain(m map[string]*gauge, g *gauge, name string, d int, op func(*gauge, int)) *gauge {
	if g == nil {
		g = m[name]
	}
	if g == nil {
		g = &gauge{}
		m[name] = g
	}
	op(g, d)
	if g.isZero() {
		delete(m, name)
	}
	return g
}

package quota

import (
	"cmp"
	"slices"
)

// Count is one limit's usage: committed, reserved by operations in
// progress, and the limit.
type Count struct {
	Rule     string // "LIM-4"
	InUse    int    // committed
	Reserved int    // held by reservations not yet committed
	Limit    int
}

// Free returns how much more can still be reserved: Limit less InUse and
// Reserved, less one more for LIM-4 whose limit itself is refused (see
// Ledger); never below zero.
func (c Count) Free() int {
	free := c.Limit - c.InUse - c.Reserved
	if c.Rule == "LIM-4" {
		free--
	}
	return max(free, 0)
}

// SubscriptionUsage is one subscription's VDAs (LIM-4) and catalogs.
type SubscriptionUsage struct {
	Name     string
	VDAs     Count   // LIM-4
	Near     bool    // near its limit (LIM-5), counting reserved VDAs
	Catalogs []Share // VDAs per catalog, sorted by name
}

// LocationUsage is one resource location's users and domains.
type LocationUsage struct {
	Name               string
	ADDomains          Count    // LIM-6
	Domains            []string // sorted
	SingleSessionUsers Count    // LIM-7
	MultiSessionUsers  Count    // LIM-8
}

// Usage is a snapshot of a ledger for reports: every limit with its usage.
// It shares nothing with the ledger.
type Usage struct {
	Limits            Limits
	ADDomains         Count               // LIM-1
	Domains           []string            // every domain of the tenant, sorted
	Catalogs          Count               // LIM-2
	ResourceLocations Count               // LIM-3
	Subscriptions     []SubscriptionUsage // sorted by name
	Locations         []LocationUsage     // sorted by name
}

// Usage returns a snapshot of the ledger's usage against its limits.
func (l *Ledger) Usage() Usage {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.init()
	lim := l.lim()
	u := Usage{
		Limits:            lim,
		ADDomains:         count("LIM-1", domainCount(l.domains), lim.ADDomainsPerTenant),
		Domains:           sortedKeys(l.domains),
		Catalogs:          count("LIM-2", l.tenantCat, lim.CatalogsPerTenant),
		ResourceLocations: count("LIM-3", l.tenantLoc, lim.ResourceLocationsPerTenant),
	}
	for name, se := range l.subs {
		u.Subscriptions = append(u.Subscriptions, SubscriptionUsage{
			Name:     name,
			VDAs:     count("LIM-4", se.vdas, lim.VDAsPerSubscription),
			Near:     lim.Near(se.vdas.high()),
			Catalogs: l.vdaShares(name),
		})
	}
	slices.SortFunc(u.Subscriptions, func(a, b SubscriptionUsage) int { return cmp.Compare(a.Name, b.Name) })
	for name, le := range l.locations {
		u.Locations = append(u.Locations, LocationUsage{
			Name:               name,
			ADDomains:          count("LIM-6", domainCount(le.domains), lim.ADDomainsPerResourceLocation),
			Domains:            sortedKeys(le.domains),
			SingleSessionUsers: count("LIM-7", le.single, lim.SingleSessionUsersPerResourceLocation),
			MultiSessionUsers:  count("LIM-8", le.multi, lim.MultiSessionUsersPerResourceLocation),
		})
	}
	slices.SortFunc(u.Locations, func(a, b LocationUsage) int { return cmp.Compare(a.Name, b.Name) })
	return u
}

func count(id string, g gauge, limit int) Count {
	return Count{Rule: id, InUse: g.used, Reserved: g.plus, Limit: limit}
}

func sortedKeys(m map[string]*gauge) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// NearLimit reports whether subscription holds, committed and reserved
// together, at least NearLimitPercent of its VDA limit (LIM-5).
func (l *Ledger) NearLimit(subscription string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	se := l.subs[subscription]
	if se == nil {
		return false
	}
	return l.lim().Near(se.vdas.high())
}

// VDAs returns the committed VDAs of subscription (LIM-4).
func (l *Ledger) VDAs(subscription string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if se := l.subs[subscription]; se != nil {
		return se.vdas.used
	}
	return 0
}

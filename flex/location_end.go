package flex

import (
	"context"
	"slices"

	"github.com/daasflex/daasflex/quota"
)

// A resource location lives while a catalog holds a place in it — a live
// catalog, one being created or one being deleted — and goes when the last
// one leaves (RL-1). Which catalog is the last is decided in one place,
// lastOut, under t.mu, when a catalog leaves: after its deletion removed
// its own resources, or after its failed creation was undone. Deciding
// earlier would race: two deletions of a location's last two catalogs would
// each see the other, and a deletion beside a creation that then fails
// would see the creation's place. The catalog lastOut picks tears the
// location down (dismantle), exactly once; meanwhile the location is being
// deleted, so no catalog joins it and no connector work starts. Then
// removeLocation forgets it, or keepLocation keeps it when the cloud
// refused.

// locationTeardown is what tearing a resource location down deletes, read
// under t.mu.
type locationTeardown struct {
	l       *locationObj
	groups  []ResourceID // its connectors' resource groups, then its own
	subnets []*subnetSlot
}

// lastOut reports whether catalog c, leaving its resource location, leaves
// it without a catalog: no other catalog, live, being created or being
// deleted, holds a place there. If so it marks the location being deleted
// and returns what the caller, c's deletion or undone creation, must tear
// down. When connector work holds the
// location (RL-2, RL-5) it cannot go now: lastOut returns an ErrBusy error
// and c keeps its place. t.mu must be held.
func (t *Tenant) lastOut(op string, c *catalogObj) (*locationTeardown, error) {
	l := c.location
	if !l.catalogs[fold(c.name)] || len(l.catalogs) > 1 {
		return nil, nil
	}
	if l.busy != "" {
		return nil, Errorf(ErrBusy, op, c.obj(), "it is the last catalog of resource location %q, which is %s; try again when it is done", l.name, l.busy)
	}
	l.busy, l.deleting = "being deleted", true
	for _, cn := range l.connectors {
		cn.state = ConnectorDeleting
	}
	var groups []ResourceID
	for _, g := range append(slices.Clone(l.groups), l.group) {
		if !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	return &locationTeardown{l: l, groups: groups, subnets: slices.Clone(l.subnets)}, nil
}

// dismantle deletes the cloud resources of a location lastOut picked: the
// resource groups of its connectors and the subnets they used.
func (t *Tenant) dismantle(ctx context.Context, td *locationTeardown) error {
	return t.destroy(ctx, td.groups, td.l.conn, td.subnets)
}

// keepLocation keeps the location of td, which dismantle failed to
// delete: it serves its last catalog again, which stays in state Error
// for DeleteCatalog to retry. Its connectors that were being deleted may
// be gone, so their state is unknown until a health check (RL-4). t.mu
// must be held.
func (t *Tenant) keepLocation(td *locationTeardown) {
	l := td.l
	l.busy, l.deleting = "", false
	for _, cn := range l.connectors {
		if cn.state == ConnectorDeleting {
			cn.state, cn.health = ConnectorDisconnected, "Unknown"
		}
	}
}

// removeLocation forgets the location of td, dismantled, and stops
// counting it against LIM-3. Its last catalog's quota must be settled
// first (its users and domain reference gone from the ledger). t.mu must
// be held.
func (t *Tenant) removeLocation(td *locationTeardown) error {
	delete(t.locations, fold(td.l.name))
	res, err := t.ledger.Reserve(quota.Change{ResourceLocation: td.l.id, ResourceLocations: -1})
	if err == nil {
		err = res.Commit()
	}
	return err
}

// forgetCatalog removes catalog c, whose cloud resources are gone, from
// the tenant and from its resource location, with its Citrix-managed
// network. Its quota is the caller's to settle. t.mu must be held.
func (t *Tenant) forgetCatalog(c *catalogObj) {
	if c.conn != nil && c.conn.managed {
		t.releaseManagedConnection(c.conn)
	}
	l := c.location
	delete(t.catalogs, fold(c.name))
	delete(l.catalogs, fold(c.name))
	if c.adDomain != "" {
		if l.domains[fold(c.adDomain)]--; l.domains[fold(c.adDomain)] <= 0 {
			delete(l.domains, fold(c.adDomain))
			delete(l.domainNames, fold(c.adDomain))
		}
	}
}

// emptyCatalog records that catalog c's machines and subnets are gone
// from the cloud (its resource group was deleted) while c stays, in state
// Error, because its resource location could not go: its VDAs no longer
// count against LIM-4. t.mu must be held.
func (t *Tenant) emptyCatalog(c *catalogObj) {
	if c.vdaCount > 0 {
		res, err := t.ledger.Reserve(quota.Change{Subscription: c.subscription, Catalog: c.name, VDAs: -c.vdaCount})
		if err == nil && res.Commit() == nil {
			c.vdaCount = 0
		}
	}
	for _, m := range slices.Clone(c.machines) {
		c.removeMachine(m)
	}
	c.subnets = nil
}

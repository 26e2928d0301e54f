package providertest

import (
	"time"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

// with returns a copy of e that works with provider p for tenant.
func (e *env) with(p flex.Provider, tenant string) *env {
	c := *e
	c.p, c.tenant = p, tenant
	return &c
}

// checkTenantIsolation: one tenant's calls can never see or touch
// another's resources (SEC-2): a Get is ErrNotFound, a List leaves them
// out, and a Put, Delete or action on them fails or does nothing.
func checkTenantIsolation(e *env) {
	ts, ok := e.h.(Tenants)
	if !ok {
		e.skip("Tenants", "SEC-2 tenant isolation")
		return
	}
	pa, pb := ts.Tenants(e.t.T, "tenant-a", "tenant-b")
	a, b := e.with(pa, "tenant-a"), e.with(pb, "tenant-b")

	put(a, &flex.ResourceGroup{Meta: a.meta(flex.GroupID(a.sub, "rg-a"))})
	vnet := put(a, a.vnet("rg-a", "vnet-a", "10.10.0.0/16", subnet(machines, machinesNet)))
	vm := put(a, a.vm("vm-a", vnet.ID, machines))
	nsg := put(a, a.nsg("rg-a", "nsg-a", nsgRule("allow-https", 100, network.Inbound)))
	key := put(a, &flex.Key{Meta: a.meta(a.id("rg-a", flex.TypeKey, "kv-a/key-a"))})
	theirs := []flex.ResourceID{flex.GroupID(a.sub, "rg-a"), vnet.ID, vm.ID, vm.OSDisk, nsg.ID, key.ID}
	before := make(map[flex.ResourceID]flex.Resource)
	for _, id := range theirs {
		before[id] = get[flex.Resource](a, id)
	}

	// Tenant b sees nothing of a's.
	for _, id := range theirs {
		b.wantGone(id, "by another tenant")
	}
	for _, f := range []flex.Filter{{}, {ResourceGroup: "rg-a"}, {Tags: map[string]string{flex.TagTenant: "tenant-a"}}} {
		if got := b.list(f); len(got) > 0 {
			b.t.Errorf("tenant b's List %+v shows tenant a's %v", f, ids(got))
		}
	}

	// Tenant b touches nothing of a's.
	for _, id := range []flex.ResourceID{vm.ID, nsg.ID, vnet.ID, flex.GroupID(a.sub, "rg-a")} {
		_ = b.p.Delete(b.ctx, id)
	}
	if b.p.Power(b.ctx, vm.ID, flex.Deallocate) == nil {
		b.t.Errorf("tenant b deallocated tenant a's VM %s", vm.ID)
	}
	if _, err := b.p.RotateKey(b.ctx, key.ID); err == nil {
		b.t.Errorf("tenant b rotated tenant a's key %s", key.ID)
	}
	if _, err := b.p.GrantDiskAccess(b.ctx, vm.OSDisk, time.Hour); err == nil {
		b.t.Errorf("tenant b got access to tenant a's disk %s", vm.OSDisk)
	}
	if _, err := b.p.Put(b.ctx, b.nsg("rg-a", "nsg-a")); err == nil {
		b.t.Errorf("tenant b replaced tenant a's NSG %s", nsg.ID)
	}
	if _, err := b.p.Put(b.ctx, b.nsg("rg-a", "nsg-b")); err == nil {
		b.t.Errorf("tenant b created an NSG in tenant a's resource group")
	}
	for _, id := range theirs {
		if d := diff(before[id], get[flex.Resource](a, id)); d != "" {
			a.t.Errorf("tenant a's %s changed by tenant b's calls (-before +after):\n%s", id, d)
		}
	}

	// Tenants' address spaces are their own.
	put(b, &flex.ResourceGroup{Meta: b.meta(flex.GroupID(b.sub, "rg-b"))})
	own := put(b, b.vnet("rg-b", "vnet-b", "10.10.0.0/16", subnet(machines, machinesNet)))
	put(b, b.vm("vm-b", own.ID, machines))
	if got := a.list(flex.Filter{}); len(got) != len(theirs) {
		a.t.Errorf("tenant a's List shows %d resources; want its own %d: %v", len(got), len(theirs), ids(got))
	}
}

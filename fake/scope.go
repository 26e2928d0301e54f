package fake

import (
	"context"
	"net/netip"
	"time"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

// View is one tenant's view of a Cloud (SEC-2), a flex.Provider of its own.
// It sees the resources tagged TagTenant=tenant and the customer's
// untagged ones (customer VNets, Virtual WAN hubs) and nothing else: to a
// view, another tenant's resource does not exist — Get and every action
// answer ErrNotFound, List leaves it out, Delete succeeds without touching
// it. A view puts only resources tagged with its tenant (else ErrInvalid),
// and changes only its own: a Put, Delete or action on a customer resource
// is ErrPrecondition. References (a subnet's NSG, a VM's image, a
// peering's remote VNet) resolve only to resources the view sees.
//
// Resource IDs are unique in the whole cloud, as in Azure, so a Put of an
// ID another tenant holds is ErrConflict ("the name is in use"): the one
// thing a tenant can learn about another is that a name in a resource
// group they share (a customer's) is taken. Give each tenant its own
// resource groups.
//
// Views are cheap and safe for concurrent use; many views of one Cloud are
// fully isolated from each other.
type View struct {
	c *Cloud
	v viewer
}

var _ flex.Provider = (*View)(nil)

// Scope returns tenant's view of the cloud. An empty tenant sees only the
// customer's resources and can change nothing.
func (c *Cloud) Scope(tenant string) *View {
	return &View{c: c, v: viewer{scoped: true, tenant: tenant}}
}

// Tenant returns the tenant the view belongs to.
func (w *View) Tenant() string { return w.v.tenant }

// Put creates or updates one of the tenant's resources, as Cloud.Put does.
func (w *View) Put(ctx context.Context, r flex.Resource) (flex.Resource, error) {
	return w.c.put(ctx, w.v, r)
}

// Get returns a copy of a resource the tenant sees, or ErrNotFound.
func (w *View) Get(ctx context.Context, id flex.ResourceID) (flex.Resource, error) {
	return w.c.get(ctx, w.v, id)
}

// Delete deletes one of the tenant's resources, as Cloud.Delete does.
func (w *View) Delete(ctx context.Context, id flex.ResourceID) error {
	return w.c.delete(ctx, w.v, id)
}

// List returns the resources the tenant sees in f.Subscription that match
// f, sorted by ID.
func (w *View) List(ctx context.Context, f flex.Filter) ([]flex.Resource, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if f.Subscription == "" {
		return nil, fail(flex.ErrInvalid, "List", flex.ResourceID{}, "MissingSubscription: the filter needs a subscription")
	}
	return w.c.resources(w.v, f), nil
}

// ResetVPNGateway resets one of the tenant's VPN gateways.
func (w *View) ResetVPNGateway(ctx context.Context, gateway flex.ResourceID) error {
	return w.c.resetVPNGateway(ctx, w.v, gateway)
}

// Power changes the power state of one of the tenant's VMs.
func (w *View) Power(ctx context.Context, vm flex.ResourceID, a flex.PowerAction) error {
	return w.c.power(ctx, w.v, vm, a)
}

// RestoreSnapshot swaps in a disk made from a snapshot as the OS disk of
// one of the tenant's VMs.
func (w *View) RestoreSnapshot(ctx context.Context, vm, snapshot flex.ResourceID) error {
	return w.c.restoreSnapshot(ctx, w.v, vm, snapshot)
}

// GrantDiskAccess returns a read-only SAS URL of one of the tenant's disks.
func (w *View) GrantDiskAccess(ctx context.Context, disk flex.ResourceID, d time.Duration) (secret.Value, error) {
	return w.c.grantDiskAccess(ctx, w.v, disk, d)
}

// RotateKey makes a new version of one of the tenant's keys.
func (w *View) RotateKey(ctx context.Context, key flex.ResourceID) (flex.Key, error) {
	return w.c.rotateKey(ctx, w.v, key)
}

// ErrorAs reports false: the fake has no native errors.
func (w *View) ErrorAs(err error, target any) bool { return false }

// StartSession starts a user session on one of the tenant's VMs, as
// Cloud.StartSession does.
func (w *View) StartSession(vm flex.ResourceID, user string) error {
	return w.c.startSession(w.v, vm, user)
}

// EndSession ends a user session on one of the tenant's VMs.
func (w *View) EndSession(vm flex.ResourceID, user string) error {
	return w.c.endSession(w.v, vm, user)
}

// Resources returns the resources the tenant sees that match f, in every
// subscription when f.Subscription is empty, sorted by ID.
func (w *View) Resources(f flex.Filter) []flex.Resource {
	return w.c.resources(w.v, f)
}

// Allowed decides a flow as Cloud.Allowed does, among the subnets the
// tenant sees.
func (w *View) Allowed(src, dst netip.Addr, proto network.Protocol, port uint16) (network.Decision, error) {
	return w.c.checkFlow(w.v, flowOf(src, dst, proto, port))
}

// CheckFlow decides a flow as Cloud.CheckFlow does, among the subnets the
// tenant sees.
func (w *View) CheckFlow(f network.Flow) (network.Decision, error) {
	return w.c.checkFlow(w.v, f)
}

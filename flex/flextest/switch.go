package flextest

import (
	"context"
	"sync"
	"time"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/secret"
)

// Switch is a flex.Provider that passes every call to the provider set
// last, so that a test can put a fault plan in front of a Tenant's cloud,
// change it or take it away between steps, without making a new Tenant:
//
//	sw := flextest.NewSwitch(view)
//	tn := flex.NewTenant(sw)
//	sw.Set(fake.WithFaults(view, plan)) // the next calls meet plan
//	sw.Set(view)                        // and now none
//
// A call already under way finishes on the provider it started on. A
// Switch is safe for concurrent use. NewTenant puts one under its Tenant.
type Switch struct {
	mu  sync.RWMutex
	cur flex.Provider
}

// NewSwitch returns a Switch that passes calls to p.
func NewSwitch(p flex.Provider) *Switch { return &Switch{cur: p} }

// Set makes the calls that start from now on go to p.
func (s *Switch) Set(p flex.Provider) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur = p
}

// Unwrap returns the provider calls go to now, so that the fault rules
// that need the cloud's state (fake's Stuck) reach it through the Switch.
func (s *Switch) Unwrap() flex.Provider {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cur
}

// Put passes the call to the current provider.
func (s *Switch) Put(ctx context.Context, r flex.Resource) (flex.Resource, error) {
	return s.Unwrap().Put(ctx, r)
}

// Get passes the call to the current provider.
func (s *Switch) Get(ctx context.Context, id flex.ResourceID) (flex.Resource, error) {
	return s.Unwrap().Get(ctx, id)
}

// Delete passes the call to the current provider.
func (s *Switch) Delete(ctx context.Context, id flex.ResourceID) error {
	return s.Unwrap().Delete(ctx, id)
}

// List passes the call to the current provider.
func (s *Switch) List(ctx context.Context, f flex.Filter) ([]flex.Resource, error) {
	return s.Unwrap().List(ctx, f)
}

// ResetVPNGateway passes the call to the current provider.
func (s *Switch) ResetVPNGateway(ctx context.Context, gw flex.ResourceID) error {
	return s.Unwrap().ResetVPNGateway(ctx, gw)
}

// Power passes the call to the current provider.
func (s *Switch) Power(ctx context.Context, vm flex.ResourceID, a flex.PowerAction) error {
	return s.Unwrap().Power(ctx, vm, a)
}

// RestoreSnapshot passes the call to the current provider.
func (s *Switch) RestoreSnapshot(ctx context.Context, vm, snapshot flex.ResourceID) error {
	return s.Unwrap().RestoreSnapshot(ctx, vm, snapshot)
}

// GrantDiskAccess passes the call to the current provider.
func (s *Switch) GrantDiskAccess(ctx context.Context, disk flex.ResourceID, d time.Duration) (secret.Value, error) {
	return s.Unwrap().GrantDiskAccess(ctx, disk, d)
}

// RotateKey passes the call to the current provider.
func (s *Switch) RotateKey(ctx context.Context, key flex.ResourceID) (flex.Key, error) {
	return s.Unwrap().RotateKey(ctx, key)
}

// ErrorAs passes the call to the current provider.
func (s *Switch) ErrorAs(err error, target any) bool { return s.Unwrap().ErrorAs(err, target) }

var _ flex.Provider = (*Switch)(nil)

package fake

import (
	"context"
	"sync"
	"time"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/secret"
)

// Recorder is a flex.Provider that records every call it passes to
// another provider — method, resource, outcome and duration — in the order
// the calls began, so that a test can assert that a Tenant retried three
// times, made no cloud call at all (a read-only administrator, ADM-1), or
// repeated a Put with the same resource (idempotency). It is the test's
// counterpart of the Tenant's slog lines on cloud calls.
//
// Put it outside a Faulty to see the calls a Tenant makes, faults
// included; inside, to see the calls that reached the cloud:
//
//	rec := fake.Record(fake.WithFaults(cloud.Scope("t"), plan))
//	tn := flex.NewTenant(rec, flex.WithID("t"))
//
// A Recorder is safe for concurrent use; ErrorAs, which makes no cloud
// call, is passed on and not recorded.
type Recorder struct {
	p     flex.Provider
	mu    sync.Mutex
	calls []*Call
}

var _ flex.Provider = (*Recorder)(nil)

// Record returns a Recorder of the calls to p, with none recorded yet.
func Record(p flex.Provider) *Recorder { return &Recorder{p: p} }

// Calls returns copies of the calls recorded, in the order they began. A
// call that has not returned yet has Pending set.
func (r *Recorder) Calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Call, len(r.calls))
	for i, c := range r.calls {
		out[i] = *c
		if c.Resource != nil {
			out[i].Resource = c.Resource.Clone()
		}
	}
	return out
}

// Len returns how many calls have been recorded.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

// Count returns how many recorded calls match: of method m (AnyMethod for
// all) on the resource id (the zero ID for all), ignoring case as ARM does.
func (r *Recorder) Count(m Method, id flex.ResourceID) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.calls {
		if (m == AnyMethod || c.Method == m) && (id.IsZero() || sameID(c.ID, id)) {
			n++
		}
	}
	return n
}

// Reset forgets the calls recorded so far; calls under way when it is
// called are not recorded.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = nil
}

// Unwrap returns the provider whose calls are recorded.
func (r *Recorder) Unwrap() flex.Provider { return r.p }

// begin records the start of c and returns the function that records its
// end.
func (r *Recorder) begin(c Call) func(error) {
	c.Pending = true
	rec := &c
	r.mu.Lock()
	r.calls = append(r.calls, rec)
	r.mu.Unlock()
	start := time.Now()
	return func(err error) {
		d := time.Since(start)
		r.mu.Lock()
		defer r.mu.Unlock()
		rec.Err, rec.Duration, rec.Pending = err, d, false
	}
}

// Put records a Put, with a copy of the resource, and makes it.
func (r *Recorder) Put(ctx context.Context, res flex.Resource) (flex.Resource, error) {
	c := Call{Method: Put}
	if !isNil(res) {
		c.Resource = res.Clone()
		c.ID = res.Metadata().ID
	}
	end := r.begin(c)
	out, err := r.p.Put(ctx, res)
	end(err)
	return out, err
}

// Get records a Get and makes it.
func (r *Recorder) Get(ctx context.Context, id flex.ResourceID) (flex.Resource, error) {
	end := r.begin(Call{Method: Get, ID: id})
	out, err := r.p.Get(ctx, id)
	end(err)
	return out, err
}

// Delete records a Delete and makes it.
func (r *Recorder) Delete(ctx context.Context, id flex.ResourceID) error {
	end := r.begin(Call{Method: Delete, ID: id})
	err := r.p.Delete(ctx, id)
	end(err)
	return err
}

// List records a List and makes it.
func (r *Recorder) List(ctx context.Context, f flex.Filter) ([]flex.Resource, error) {
	end := r.begin(*listCall(f))
	out, err := r.p.List(ctx, f)
	end(err)
	return out, err
}

// ResetVPNGateway records a gateway reset and makes it.
func (r *Recorder) ResetVPNGateway(ctx context.Context, gateway flex.ResourceID) error {
	end := r.begin(Call{Method: ResetVPNGateway, ID: gateway})
	err := r.p.ResetVPNGateway(ctx, gateway)
	end(err)
	return err
}

// Power records a power action and makes it.
func (r *Recorder) Power(ctx context.Context, vm flex.ResourceID, a flex.PowerAction) error {
	end := r.begin(Call{Method: Power, ID: vm, Action: a})
	err := r.p.Power(ctx, vm, a)
	end(err)
	return err
}

// RestoreSnapshot records a restore and makes it.
func (r *Recorder) RestoreSnapshot(ctx context.Context, vm, snapshot flex.ResourceID) error {
	end := r.begin(Call{Method: RestoreSnapshot, ID: vm, Snapshot: snapshot})
	err := r.p.RestoreSnapshot(ctx, vm, snapshot)
	end(err)
	return err
}

// GrantDiskAccess records a request for a disk's SAS URL and makes it; the
// URL is not recorded.
func (r *Recorder) GrantDiskAccess(ctx context.Context, disk flex.ResourceID, d time.Duration) (secret.Value, error) {
	end := r.begin(Call{Method: GrantDiskAccess, ID: disk})
	out, err := r.p.GrantDiskAccess(ctx, disk, d)
	end(err)
	return out, err
}

// RotateKey records a key rotation and makes it.
func (r *Recorder) RotateKey(ctx context.Context, key flex.ResourceID) (flex.Key, error) {
	end := r.begin(Call{Method: RotateKey, ID: key})
	out, err := r.p.RotateKey(ctx, key)
	end(err)
	return out, err
}

// ErrorAs passes the question to the provider; it is not recorded.
func (r *Recorder) ErrorAs(err error, target any) bool { return r.p.ErrorAs(err, target) }

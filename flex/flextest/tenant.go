package flextest

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/ipam"
)

// TB is what the helpers need of a test. *testing.T, *testing.B,
// *testing.F, any testing.TB and *rapid.T all have it, so the helpers work
// in plain tests and inside rapid.Check alike. Fatalf is expected to end the
// test, as theirs do; the helpers return right after calling it all the
// same.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
	Context() context.Context
}

// Defaults of NewTenant.
const (
	// TenantID is the ID of the tenant NewTenant makes, unless
	// WithTenantID says otherwise.
	TenantID = "flextest"
	// SubscriptionName is the name of the subscription NewTenant adds.
	SubscriptionName = "Citrix Managed"
)

// start is when a NewTenant's clock starts, unless WithStart says
// otherwise: Monday 2 March 2026, 09:00 UTC.
func start() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }

// Option configures NewTenant.
type Option func(*config)

type config struct {
	id     string
	start  time.Time
	flex   []flex.Option
	cloud  []fake.Option
	faults *fake.Plan
}

// WithTenantID sets the tenant's ID (flex.WithID), which its resources are
// tagged with and its view of the cloud is scoped to (SEC-2). The default
// is TenantID.
func WithTenantID(id string) Option { return func(c *config) { c.id = id } }

// WithStart sets the time the manual clock starts at. The default is
// Monday 2 March 2026, 09:00 UTC.
func WithStart(t time.Time) Option { return func(c *config) { c.start = t } }

// WithFlexOptions passes options to flex.NewTenant, after NewTenant's own
// (ID, clock and a deterministic random source), so they may replace them;
// an ID given here is ignored: use WithTenantID.
func WithFlexOptions(opts ...flex.Option) Option {
	return func(c *config) { c.flex = append(c.flex, opts...) }
}

// WithCloudOptions passes options to fake.New, after NewTenant's clock.
func WithCloudOptions(opts ...fake.Option) Option {
	return func(c *config) { c.cloud = append(c.cloud, opts...) }
}

// WithFaults makes the Tenant's cloud calls go through plan
// (fake.WithFaults) once NewTenant has added the subscription, so that the
// plan's rules count and fault only the calls the test makes. See
// FaultPlan for plans drawn by rapid.
func WithFaults(plan *fake.Plan) Option { return func(c *config) { c.faults = plan } }

// NewTenant returns a Tenant on a new in-memory cloud with a manual clock
// and one subscription, SubscriptionName, ready for a test to create
// connections, images and catalogs in:
//
//	tn, cloud, clock := flextest.NewTenant(t)
//	conn, err := tn.CreateConnection(ctx, flextest.SubscriptionName, spec)
//
// The Tenant has ID TenantID and sees the cloud through the tenant's view
// (fake.Cloud.Scope), as a Tenant in production sees only its own
// resources (SEC-2); the test sees everything through cloud. Tenant and
// cloud read the clock, which stands still until the test advances it, and
// the Tenant draws its random choices (the default naming scheme, NAM-9)
// from a fixed source, so that a run repeats exactly. The subscription's
// Azure ID is derived from the tenant ID; Subscriptions reports it.
//
// NewTenant fails the test when the subscription cannot be added.
func NewTenant(t TB, opts ...Option) (*flex.Tenant, *fake.Cloud, *fake.Clock) {
	t.Helper()
	c := config{id: TenantID, start: start()}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	clock := fake.NewClock(c.start)
	cloud := fake.New(append([]fake.Option{fake.WithClock(clock)}, c.cloud...)...)
	view := cloud.Scope(c.id)
	sw := NewSwitch(view)
	fopts := append([]flex.Option{flex.WithClock(clock.Now), flex.WithRandom(newSeeded(c.id))}, c.flex...)
	fopts = append(fopts, flex.WithID(c.id))
	tn := flex.NewTenant(sw, fopts...)
	spec := flex.SubscriptionSpec{Name: SubscriptionName, AzureID: azureID(c.id)}
	if _, err := tn.AddSubscription(t.Context(), spec); err != nil {
		t.Fatalf("flextest.NewTenant: adding subscription %q: %v", spec.Name, err)
	}
	if c.faults != nil {
		sw.Set(fake.WithFaults(view, c.faults))
	}
	return tn, cloud, clock
}

// azureID returns a GUID-shaped Azure subscription ID derived from the
// tenant ID, so that every tenant of a test gets its own.
func azureID(tenant string) string {
	h := fnv.New64a()
	h.Write([]byte(tenant))
	s := h.Sum64()
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", uint32(s>>32), s&0xffffffffffff)
}

// seeded is a deterministic random source, safe for concurrent use.
type seeded struct {
	mu  sync.Mutex
	rnd *rand.ChaCha8
}

func newSeeded(id string) *seeded {
	var seed [32]byte
	copy(seed[:], "flextest "+id)
	return &seeded{rnd: rand.NewChaCha8(seed)}
}

func (s *seeded) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rnd.Read(p)
}

// UsedSpace returns the address space in use in the tenant's subscription
// named subscription: the Flex ranges of every connection there, the
// Citrix-managed networks of catalogs and image builds included, each
// owned by "connection <name>". Connection specs drawn against it
// (ConnectionSpec and the others) overlap none of them (NET-4), so that
// CreateConnection accepts their ranges. It fails the test when the
// connections cannot be listed or their ranges overlap.
func UsedSpace(t TB, tenant *flex.Tenant, subscription string) *ipam.Space {
	t.Helper()
	conns, err := tenant.Connections(t.Context())
	if err != nil {
		t.Fatalf("flextest.UsedSpace: %v", err)
		return new(ipam.Space)
	}
	var s ipam.Space
	for _, c := range conns {
		if !strings.EqualFold(c.Subscription, subscription) {
			continue
		}
		for _, p := range c.Ranges {
			if err := s.Add("connection "+c.Name, p); err != nil {
				t.Fatalf("flextest.UsedSpace: connection %q: %v", c.Name, err)
				return &s
			}
		}
	}
	return &s
}

package providertest_test

import (
	"context"
	"testing"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/flex/providertest"
	"github.com/daasflex/daasflex/network"
)

// The in-memory cloud runs the suite twice: used directly, as the owner
// of every subscription, and through one tenant's View (SEC-2).

var epoch = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// cloudHarness runs the suite on a fake.Cloud used directly.
type cloudHarness struct {
	cloud *fake.Cloud
	clock *fake.Clock
	known []string
}

func (h *cloudHarness) newCloud() *fake.Cloud {
	h.clock = fake.NewClock(epoch)
	h.cloud = fake.New(fake.WithClock(h.clock))
	return h.cloud
}

func (h *cloudHarness) Provider(*testing.T) flex.Provider { return h.newCloud() }
func (h *cloudHarness) Subscription() string              { return "00000000-0000-0000-0000-000000000001" }
func (h *cloudHarness) KnownFailures() []string           { return h.known }
func (h *cloudHarness) Now() time.Time                    { return h.clock.Now() }
func (h *cloudHarness) Advance(d time.Duration)           { h.clock.Advance(d) }

func (h *cloudHarness) SetCapacity(r network.Region, size string, n int) {
	h.cloud.SetCapacity(r, size, n)
}

func (h *cloudHarness) Tenants(_ *testing.T, a, b string) (flex.Provider, flex.Provider) {
	c := h.newCloud()
	return c.Scope(a), c.Scope(b)
}

// viewHarness runs the suite on one tenant's View of a fake.Cloud; the
// customer's resources (hubs) are put through the cloud itself.
type viewHarness struct{ cloudHarness }

const tenant = "tenant-pt"

func (h *viewHarness) Provider(*testing.T) flex.Provider { return h.newCloud().Scope(tenant) }
func (h *viewHarness) Tenant() string                    { return tenant }

func (h *viewHarness) PutCustomer(ctx context.Context, r flex.Resource) (flex.Resource, error) {
	return h.cloud.Put(ctx, r)
}

// Compile-time checks of the capabilities each harness claims.
var (
	_ providertest.Capacity      = (*cloudHarness)(nil)
	_ providertest.Clock         = (*cloudHarness)(nil)
	_ providertest.Tenants       = (*cloudHarness)(nil)
	_ providertest.KnownFailures = (*cloudHarness)(nil)
	_ providertest.Tenant        = (*viewHarness)(nil)
	_ providertest.Customer      = (*viewHarness)(nil)
)

// knownFakeFailures are the checks the fake fails today; each is a bug
// of the fake, to be fixed there and then removed from this list (the
// suite fails when a listed check passes).
var knownFakeFailures = []string{}

func TestFakeCloud(t *testing.T) {
	providertest.Run(t, func(*testing.T) providertest.Harness {
		return &cloudHarness{known: knownFakeFailures}
	})
}

func TestFakeView(t *testing.T) {
	providertest.Run(t, func(*testing.T) providertest.Harness {
		return &viewHarness{cloudHarness{known: knownFakeFailures}}
	})
}

package azure_test

import (
	"context"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"

	"github.com/daasflex/daasflex/azure"
	"github.com/daasflex/daasflex/azure/internal/armsim"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/flex/providertest"
	"github.com/daasflex/daasflex/network"
)

// harness runs the conformance suite against the azure provider over the
// SDK's fake servers, backed by a new simulated cloud for every check.
type harness struct {
	cloud *fake.Cloud
	clock *fake.Clock
}

func (h *harness) newCloud() *fake.Cloud {
	h.clock = fake.NewClock(epoch)
	h.cloud = fake.New(fake.WithClock(h.clock))
	return h.cloud
}

func providerOver(t *testing.T, cloud flex.Provider) *azure.Provider {
	t.Helper()
	p, err := azure.New(sub, &azfake.TokenCredential{}, testOptions(armsim.Transport(cloud)))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (h *harness) Provider(t *testing.T) flex.Provider { return providerOver(t, h.newCloud()) }
func (h *harness) Subscription() string                { return sub }
func (h *harness) Now() time.Time                      { return h.clock.Now() }
func (h *harness) Advance(d time.Duration)             { h.clock.Advance(d) }
func (h *harness) NativeErrorTarget() any              { return new(*azcore.ResponseError) }
func (h *harness) KnownFailures() []string             { return knownAzureFailures }

func (h *harness) SetCapacity(r network.Region, size string, n int) { h.cloud.SetCapacity(r, size, n) }

// PutCustomer puts the customer's resources (a Virtual WAN hub) into the
// cloud directly, as the customer would in their own subscription.
func (h *harness) PutCustomer(ctx context.Context, r flex.Resource) (flex.Resource, error) {
	return h.cloud.Put(ctx, r)
}

// Tenants gives each tenant an azure provider over its own view of one
// cloud, as two tenants' credentials would see one Azure.
func (h *harness) Tenants(t *testing.T, a, b string) (flex.Provider, flex.Provider) {
	c := h.newCloud()
	return providerOver(t, c.Scope(a)), providerOver(t, c.Scope(b))
}

var (
	_ providertest.Capacity      = (*harness)(nil)
	_ providertest.Clock         = (*harness)(nil)
	_ providertest.Customer      = (*harness)(nil)
	_ providertest.Tenants       = (*harness)(nil)
	_ providertest.NativeErrors  = (*harness)(nil)
	_ providertest.KnownFailures = (*harness)(nil)
)

// knownAzureFailures are the checks the azure provider fails over the
// simulated cloud, each for a reason of ARM's that its entry states.
var knownAzureFailures = []string{
	// ARM keeps no tags on a VNet peering or a hub's VNet connection (they
	// are sub-resources without tags), so the tags a Tenant puts on them
	// do not come back; the parent VNet's and hub's tags do.
	"Resources/Peering",
	"Resources/HubConnection",
}

// TestConformance runs flex/providertest against the azure provider: the
// real clients, serialization, pollers and pagers, over the fake servers.
func TestConformance(t *testing.T) {
	providertest.Run(t, func(*testing.T) providertest.Harness { return &harness{} })
}

package providertest

import (
	"context"
	"testing"
	"time"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

// Harness makes a fresh, empty provider for one check and knows the few
// things the suite cannot do through flex.Provider. Run calls its
// newHarness function once per check (and once more at the start, to read
// KnownFailures), and each check calls Provider exactly once; the optional
// capabilities below act on the cloud of that provider.
type Harness interface {
	// Provider returns a provider over a new, empty cloud.
	Provider(t *testing.T) flex.Provider
	// Subscription returns a subscription ID the provider accepts.
	Subscription() string
}

// Capacity is an optional Harness capability: it limits how many more VMs
// of a size a region can take, so that the suite can check ErrCapacity.
type Capacity interface {
	// SetCapacity sets how many more VMs of the size the region can take.
	// Creating a VM, or starting a deallocated one, takes one; deleting
	// or deallocating one gives it back.
	SetCapacity(region network.Region, size string, n int)
}

// Clock is an optional Harness capability: a manual clock the cloud reads
// (snapshot and key creation times, SAS expiry). Without it the suite
// compares times with the real clock, with a tolerance.
type Clock interface {
	// Now returns the time the cloud reads.
	Now() time.Time
	// Advance moves the cloud's clock forward by d.
	Advance(d time.Duration)
}

// Customer is an optional Harness capability for a provider that acts for
// one tenant: it creates resources the customer owns, such as the Virtual
// WAN hub a tenant connects to but never creates (AZ-6), outside the
// tenant's scope. Without it the suite creates them with Provider.Put,
// untagged.
type Customer interface {
	// PutCustomer creates or updates a resource of the customer's.
	PutCustomer(ctx context.Context, r flex.Resource) (flex.Resource, error)
}

// Tenant is an optional Harness capability for a provider scoped to one
// tenant (SEC-2): every resource the suite creates is tagged
// flex.TagTenant with its name. Without it the tag is "providertest".
type Tenant interface {
	// Tenant returns the name of the tenant the provider acts for.
	Tenant() string
}

// Tenants is an optional Harness capability for the SEC-2 check: two
// providers over one new cloud, each acting for its own tenant.
type Tenants interface {
	// Tenants returns the providers of tenants a and b over one new,
	// empty cloud. They replace Provider for the check that calls it.
	Tenants(t *testing.T, a, b string) (flex.Provider, flex.Provider)
}

// NativeErrors is an optional Harness capability for a provider whose
// errors hold native errors (the Azure provider's *azcore.ResponseError),
// so that the suite can check that ErrorAs reaches them.
type NativeErrors interface {
	// NativeErrorTarget returns a new pointer to a variable of the native
	// error type, for ErrorAs: a **azcore.ResponseError, say.
	NativeErrorTarget() any
}

// KnownFailures is an optional Harness capability: the checks the provider
// is known to fail, by name (such as "AZ-2/PriorityRange"). Each still
// runs; its failures are logged instead of failing the test, and the test
// fails when it passes, or when a name is no check. Keep the list short:
// each entry is a bug to fix.
type KnownFailures interface {
	// KnownFailures returns the names of the checks the provider fails.
	KnownFailures() []string
}

package flex_test

import (
	"cmp"
	"context"
	"math/rand/v2"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

// Test fixtures of the connection tests: one tenant on a fake cloud with
// a manual clock, a Flex subscription, and the customer's own networks.
const (
	tenantID   = "t1"
	flexSub    = "Citrix Managed"
	flexAzure  = "22222222-2222-2222-2222-222222222222"
	custAzure  = "11111111-1111-1111-1111-111111111111"
	custGroup  = "customer-rg"
	testRegion = network.WestEurope
)

var t0 = time.Date(2026, 5, 11, 10, 0, 0, 0, time.UTC)

type env struct {
	t     testing.TB
	ctx   context.Context
	cloud *fake.Cloud
	view  *fake.View
	clock *fake.Clock
	tn    *flex.Tenant
}

// lockedReader makes a seeded source safe for concurrent use.
type lockedReader struct {
	mu sync.Mutex
	r  *rand.ChaCha8
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}

// newEnv returns a tenant over p (the tenant's view of a new fake cloud
// when wrap is nil) with one subscription.
func newEnv(t testing.TB, wrap func(flex.Provider) flex.Provider, opts ...flex.Option) *env {
	t.Helper()
	clock := fake.NewClock(t0)
	cloud := fake.New(fake.WithClock(clock))
	view := cloud.Scope(tenantID)
	var p flex.Provider = view
	if wrap != nil {
		p = wrap(view)
	}
	opts = append([]flex.Option{flex.WithID(tenantID), flex.WithClock(clock.Now),
		flex.WithRandom(&lockedReader{r: rand.NewChaCha8([32]byte{1})})}, opts...)
	e := &env{t: t, ctx: context.Background(), cloud: cloud, view: view, clock: clock, tn: flex.NewTenant(p, opts...)}
	if _, err := e.tn.AddSubscription(e.ctx, flex.SubscriptionSpec{Name: flexSub, AzureID: flexAzure}); err != nil {
		t.Fatalf("AddSubscription: %v", err)
	}
	if _, err := cloud.Put(e.ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(custAzure, custGroup), Region: testRegion}}); err != nil {
		t.Fatalf("customer group: %v", err)
	}
	return e
}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func addr(s string) netip.Addr  { return netip.MustParseAddr(s) }

// customerVNet puts the customer's own VNet (untagged, as the customer's
// resources are) and returns its ID in the network package's form.
func (e *env) customerVNet(name string, space ...string) network.ResourceID {
	e.t.Helper()
	v := &flex.VirtualNetwork{Meta: flex.Meta{ID: flex.ResourceID{Subscription: custAzure, ResourceGroup: custGroup, Type: flex.TypeVirtualNetwork, Name: name}, Region: testRegion}}
	for _, s := range space {
		v.AddressSpace = append(v.AddressSpace, pfx(s))
	}
	if len(v.AddressSpace) > 0 {
		first := v.AddressSpace[0]
		v.Subnets = []flex.Subnet{{Name: "default", Prefix: netip.PrefixFrom(first.Addr(), max(first.Bits(), 24))}}
	}
	if _, err := e.cloud.Put(e.ctx, v); err != nil {
		e.t.Fatalf("customer VNet: %v", err)
	}
	return network.ResourceID{Subscription: custAzure, ResourceGroup: custGroup, Type: "virtualNetworks", Name: name}
}

// owned returns the cloud's resources tagged with the tenant and owner.
func (e *env) owned(owner string) []flex.Resource {
	return e.cloud.Resources(flex.Filter{Tags: map[string]string{flex.TagTenant: tenantID, flex.TagOwner: owner}})
}

// tenantResources returns every resource of the tenant but the
// subscription's own group.
func (e *env) tenantResources() []flex.Resource {
	var out []flex.Resource
	for _, r := range e.cloud.Resources(flex.Filter{Tags: map[string]string{flex.TagTenant: tenantID}}) {
		if r.Metadata().Tags[flex.TagOwner] != "subscription/"+flexSub {
			out = append(out, r)
		}
	}
	return out
}

// ids lists the IDs of resources, for messages and diffs.
func ids(rs []flex.Resource) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Metadata().ID.String()
	}
	return out
}

// nth returns the n-th address of p.
func nth(p netip.Prefix, n int) netip.Addr {
	a := p.Addr()
	for range n {
		a = a.Next()
	}
	return a
}

// cmpAddr compares addresses and prefixes by value.
var cmpAddr = cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{})

func sorted[T cmp.Ordered](s []T) []T {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

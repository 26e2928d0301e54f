package flex_test

import (
	"cmp"
	"context"
	"errors"
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
	"github.com/daasflex/daasflex/secret"
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

// withFaults returns an env whose tenant reaches its view of the cloud
// through a fault plan (fake.WithFaults), and the plan, empty.
func withFaults(t testing.TB) (*env, *fake.Plan) {
	plan := fake.NewPlan()
	e := newEnv(t, func(p flex.Provider) flex.Provider { return fake.WithFaults(p, plan) })
	return e, plan
}

// cloudErr is a cloud error of the kind with Azure's message msg, for
// Rule.Fail; the fault layer names the operation and the resource.
func cloudErr(kind error, msg string) error {
	return &flex.Error{Kind: kind, Err: errors.New(msg)}
}

// failPuts makes every Put of type typ fail with an ErrInvalid error
// carrying Azure's message msg until the returned function disarms the
// rule: the cloud refuses the resource, and the tenant does not retry.
func failPuts(plan *fake.Plan, typ flex.ResourceType, msg string) (disarm func()) {
	r := plan.On(fake.Put, typ).Fail(cloudErr(flex.ErrInvalid, msg))
	return func() { r.Times(0) }
}

// failDeletes makes every Delete of type typ fail with an ErrConflict
// error carrying Azure's message msg until the returned function disarms
// the rule.
func failDeletes(plan *fake.Plan, typ flex.ResourceType, msg string) (disarm func()) {
	r := plan.On(fake.Delete, typ).Fail(cloudErr(flex.ErrConflict, msg))
	return func() { r.Times(0) }
}

// holdPuts makes Puts of type typ wait before they reach the cloud until
// release is called; reached is closed when the first one arrives. Release
// lets them through and disarms the rule, so that later rules of the plan
// see the Puts of typ again.
func holdPuts(plan *fake.Plan, typ flex.ResourceType) (reached <-chan struct{}, release func()) {
	arrived, gate := make(chan struct{}), make(chan struct{})
	var first sync.Once
	// A FailFunc that returns nil lets the call through (and does not
	// count as a firing), so the rule holds every such Put until release.
	r := plan.On(fake.Put, typ).FailFunc(func(fake.Call) error {
		first.Do(func() { close(arrived) })
		<-gate
		return nil
	})
	return arrived, sync.OnceFunc(func() { r.Times(0); close(gate) })
}

// customerHub puts the customer's Virtual WAN hub and returns its ID.
func (e *env) customerHub(name, sku, space string) network.ResourceID {
	e.t.Helper()
	h := &flex.VirtualHub{Meta: flex.Meta{ID: flex.ResourceID{Subscription: custAzure, ResourceGroup: custGroup, Type: flex.TypeVirtualHub, Name: name}, Region: testRegion},
		SKU: sku, AddressSpace: pfx(space)}
	if _, err := e.cloud.Put(e.ctx, h); err != nil {
		e.t.Fatalf("customer hub: %v", err)
	}
	return network.ResourceID{Subscription: custAzure, ResourceGroup: custGroup, Type: "virtualHubs", Name: name}
}

// customerSpoke connects a customer VNet to the hub, as the customer's
// other spokes are.
func (e *env) customerSpoke(hub network.ResourceID, vnet network.ResourceID) {
	e.t.Helper()
	hc := &flex.HubConnection{Meta: flex.Meta{ID: flex.ResourceID{Subscription: custAzure, ResourceGroup: custGroup, Type: flex.TypeHubConnection, Name: hub.Name + "/" + vnet.Name}},
		Remote: flex.ResourceID{Subscription: custAzure, ResourceGroup: custGroup, Type: flex.TypeVirtualNetwork, Name: vnet.Name}}
	if _, err := e.cloud.Put(e.ctx, hc); err != nil {
		e.t.Fatalf("customer spoke: %v", err)
	}
}

// customerGateway gives a customer VNet a GatewaySubnet and a VPN gateway.
func (e *env) customerGateway(vnet network.ResourceID, gwSubnet string) {
	e.t.Helper()
	id := flex.ResourceID{Subscription: custAzure, ResourceGroup: custGroup, Type: flex.TypeVirtualNetwork, Name: vnet.Name}
	r, err := e.cloud.Get(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	v := r.(*flex.VirtualNetwork)
	v.Subnets = append(v.Subnets, flex.Subnet{Name: "GatewaySubnet", Prefix: pfx(gwSubnet)})
	if _, err := e.cloud.Put(e.ctx, v); err != nil {
		e.t.Fatal(err)
	}
	gw := &flex.VPNGateway{Meta: flex.Meta{ID: flex.ResourceID{Subscription: custAzure, ResourceGroup: custGroup, Type: flex.TypeVPNGateway, Name: vnet.Name + "-gw"}, Region: testRegion},
		VirtualNetwork: id, SKU: "VpnGw1"}
	if _, err := e.cloud.Put(e.ctx, gw); err != nil {
		e.t.Fatal(err)
	}
}

const testPSK = "Sup3rS3cretPSK!"

func vpnSpec(name string) network.VPNSpec {
	return network.VPNSpec{
		Name:            name,
		Region:          testRegion,
		DeviceIP:        addr("52.1.2.3"),
		AllowedNetworks: []netip.Prefix{pfx("10.50.0.0/16")},
		PSK:             secret.New(testPSK),
		SKU:             network.SKUVpnGw1,
		VDASubnet:       pfx("172.20.0.0/24"),
		GatewaySubnet:   pfx("172.20.1.0/27"),
		DNS:             []netip.Addr{addr("10.50.0.4"), addr("10.50.0.5")},
	}
}

const testClientSecret = "cl1ent-s3cret-value"

func vwanSpec(name string, hub network.ResourceID, ranges ...string) network.VWANSpec {
	s := network.VWANSpec{
		Name: name,
		Hub:  network.VWANHub{ID: hub},
		Auth: network.VWANAuth{Method: network.AuthServicePrincipal, TenantID: "8f2c1a3e-1b2c-4d5e-8f90-123456789abc",
			ClientID: "9f2c1a3e-1b2c-4d5e-8f90-123456789abc", ClientSecret: secret.New(testClientSecret)},
		DNS:      []netip.Addr{network.AzureHostIP()},
		Routes:   []network.Route{network.MustParseRoute("internet,0.0.0.0/0,Internet")},
		Advanced: network.VWANAdvanced{RoutePropagation: true},
	}
	for _, r := range ranges {
		s.Ranges = append(s.Ranges, pfx(r))
	}
	return s
}

// get returns the cloud's resource of type T with the ID, failing the test
// when it is missing.
func get[T flex.Resource](e *env, id flex.ResourceID) T {
	e.t.Helper()
	r, err := flex.GetAs[T](e.ctx, e.cloud, id)
	if err != nil {
		e.t.Fatalf("get %s: %v", id, err)
	}
	return r
}

// find returns the tenant's resources of type t owned by owner.
func (e *env) find(owner string, t flex.ResourceType) []flex.Resource {
	var out []flex.Resource
	for _, r := range e.owned(owner) {
		if r.Metadata().ID.Type == t {
			out = append(out, r)
		}
	}
	return out
}

// one returns the only resource of type T owned by owner.
func one[T flex.Resource](e *env, owner string, typ flex.ResourceType) T {
	e.t.Helper()
	rs := e.find(owner, typ)
	if len(rs) != 1 {
		e.t.Fatalf("%d %s owned by %s; want 1: %v", len(rs), typ, owner, ids(rs))
	}
	return rs[0].(T)
}

func secretOf(s string) secret.Value { return secret.New(s) }

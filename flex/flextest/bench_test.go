package flextest_test

import (
	"net/netip"
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/network"
)

// The cost of one draw, through Generator.Example (which sets up a
// rapid.T each time, as every test case of rapid.Check does), so that a
// user can tell how many cases a property test affords.

func BenchmarkDisjointPlan(b *testing.B) {
	g := flextest.DisjointPlan(netip.MustParsePrefix("10.0.0.0/8"), 16, 28, 50)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		g.Example(i)
		i++
	}
}

func BenchmarkSchemeBreaking(b *testing.B) {
	g := flextest.SchemeBreaking("NAM-3")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		g.Example(i)
		i++
	}
}

func BenchmarkConnectionSpec(b *testing.B) {
	used := flextest.MustSpace(flextest.DisjointPlan(netip.MustParsePrefix("10.0.0.0/8"), 12, 24, 50).Example(1))
	g := flextest.ConnectionSpec(used)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		g.Example(i)
		i++
	}
}

func BenchmarkCatalogSpec(b *testing.B) {
	g := flextest.CatalogSpec(catalog.Connection{Name: "vpn", Kind: network.KindAzureVpn, Region: network.WestEurope, Usable: true})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		g.Example(i)
		i++
	}
}

// NewTenant: a cloud, a Tenant and its subscription.
func BenchmarkNewTenant(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		flextest.NewTenant(b)
	}
}

// AssertNoOrphans on a tenant with a catalog of 12 machines on a VPN
// connection.
func BenchmarkAssertNoOrphans(b *testing.B) {
	tn, cloud, _ := flextest.NewTenant(b)
	ctx := b.Context()
	c, err := tn.CreateConnection(ctx, flextest.SubscriptionName, flextest.VPNSpec(nil).Example(1))
	if err != nil {
		b.Fatal(err)
	}
	spec := flextest.TenantCatalogSpec(flextest.SubscriptionName, flextest.ConnectionFacts(c)).
		Filter(func(s flex.CatalogSpec) bool { return len(s.Users) == 12 }).Example(1)
	if _, err := tn.CreateCatalog(ctx, spec); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		flextest.AssertNoOrphans(b, cloud, tn)
	}
}

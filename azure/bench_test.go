package azure_test

import (
	"fmt"
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/secret"
)

// benchProviders returns the in-memory cloud used directly and the azure
// provider over the SDK's fake servers backed by another such cloud, each
// with a resource group, a VNet and ten VMs, so that every operation's
// overhead of the real clients (serialization, pipeline, pollers, pagers,
// the extra requests of a VM's NIC) is measured against the same work.
func benchProviders(b *testing.B) map[string]flex.Provider {
	direct := fake.New()
	az, _ := newProvider(b)
	out := map[string]flex.Provider{"fake": direct, "azure": az}
	for _, p := range out {
		ctx := b.Context()
		mustPut(b, p, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(sub, rgName), Region: region}})
		mustPut(b, p, vnetWithSubnet())
		for i := range 10 {
			mustPut(b, p, benchVM(i))
		}
		if _, err := p.List(ctx, flex.Filter{Subscription: sub}); err != nil {
			b.Fatal(err)
		}
	}
	return out
}

func mustPut(b testing.TB, p flex.Provider, r flex.Resource) flex.Resource {
	b.Helper()
	got, err := p.Put(b.Context(), r)
	if err != nil {
		b.Fatalf("Put %s: %v", r.Metadata().ID, err)
	}
	return got
}

func vnetWithSubnet() *flex.VirtualNetwork {
	v := vnetOf("vnet", "10.0.0.0/16")
	v.Subnets = []flex.Subnet{{Name: "vdas", Prefix: pfx("10.0.0.0/24")}}
	return v
}

func benchVM(i int) *flex.VirtualMachine {
	return &flex.VirtualMachine{Meta: meta(flex.TypeVirtualMachine, fmt.Sprintf("vm-%02d", i), "catalog/Bench"),
		Size: "Standard_D2s_v5", Image: flex.ImageRef{URN: "MicrosoftWindowsServer:WindowsServer:2022-datacenter-g2:latest"},
		Generation: image.Gen2, Network: rid(flex.TypeVirtualNetwork, "vnet"), Subnet: "vdas",
		AdminUsername: "flexadmin", AdminPassword: secret.New("Str0ng!Passw0rd-1")}
}

// BenchmarkProvider measures Provider operations through the azure
// provider and the fake servers against the in-memory cloud directly:
//
//	go test -run='^$' -bench=BenchmarkProvider -benchmem -benchtime=1s ./azure
func BenchmarkProvider(b *testing.B) {
	ps := benchProviders(b)
	ops := []struct {
		name string
		fn   func(b *testing.B, p flex.Provider)
	}{
		{"PutVNet", func(b *testing.B, p flex.Provider) { mustPut(b, p, vnetWithSubnet()) }},
		{"PutVM", func(b *testing.B, p flex.Provider) { mustPut(b, p, benchVM(3)) }},
		{"GetVM", func(b *testing.B, p flex.Provider) {
			if _, err := p.Get(b.Context(), rid(flex.TypeVirtualMachine, "vm-03")); err != nil {
				b.Fatal(err)
			}
		}},
		{"ListVMs", func(b *testing.B, p flex.Provider) {
			if rs, err := p.List(b.Context(), flex.Filter{Subscription: sub, ResourceGroup: rgName, Type: flex.TypeVirtualMachine}); err != nil || len(rs) != 10 {
				b.Fatal(len(rs), err)
			}
		}},
		{"ListAll", func(b *testing.B, p flex.Provider) {
			if _, err := p.List(b.Context(), flex.Filter{Subscription: sub}); err != nil {
				b.Fatal(err)
			}
		}},
		{"Restart", func(b *testing.B, p flex.Provider) {
			if err := p.Power(b.Context(), rid(flex.TypeVirtualMachine, "vm-04"), flex.Restart); err != nil {
				b.Fatal(err)
			}
		}},
		{"CreateDeleteVM", func(b *testing.B, p flex.Provider) {
			mustPut(b, p, benchVM(42))
			if err := p.Delete(b.Context(), rid(flex.TypeVirtualMachine, "vm-42")); err != nil {
				b.Fatal(err)
			}
		}},
		{"GetMissing", func(b *testing.B, p flex.Provider) {
			if _, err := p.Get(b.Context(), rid(flex.TypeVirtualNetwork, "missing")); err == nil {
				b.Fatal("found a missing VNet")
			}
		}},
	}
	for _, op := range ops {
		for _, name := range []string{"fake", "azure"} {
			b.Run(op.name+"/"+name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					op.fn(b, ps[name])
				}
			})
		}
	}
}

// BenchmarkTenantJourney measures a Tenant's catalog lifecycle (create a
// multi-session catalog of two machines, list its machines, delete it)
// through the azure provider and the fake servers against the in-memory
// cloud directly:
//
//	go test -run='^$' -bench=BenchmarkTenantJourney -benchmem -benchtime=20x ./azure
func BenchmarkTenantJourney(b *testing.B) {
	for _, name := range []string{"fake", "azure"} {
		b.Run(name, func(b *testing.B) {
			var p flex.Provider = fake.New()
			if name == "azure" {
				p, _ = newProvider(b)
			}
			ctx := b.Context()
			tn := flex.NewTenant(p, flex.WithID("contoso"))
			if _, err := tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Main", AzureID: sub}); err != nil {
				b.Fatal(err)
			}
			spec := salesSpec()
			b.ReportAllocs()
			for b.Loop() {
				c, err := tn.CreateCatalog(ctx, spec)
				if err != nil {
					b.Fatal(err)
				}
				if ms, err := tn.Machines(ctx, c.Name); err != nil || len(ms) != 2 {
					b.Fatal(len(ms), err)
				}
				if err := tn.DeleteCatalog(ctx, c.Name, catalog.DeleteAck{Catalog: c.Name, MachinesDestroyed: true, Irreversible: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

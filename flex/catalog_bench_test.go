package flex_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/quota"
)

// benchSpec is a multi-session catalog of n machines (one user each).
func benchSpec(name string, n int) flex.CatalogSpec {
	p, _ := quota.CustomPersona("bench", quota.MultiSession, 2, 8, 1)
	s := catMulti(name, n)
	s.Persona, s.VMSize, s.NamingScheme = p, "Standard_D2s_v5", name+"-####"
	return s
}

// BenchmarkCreateCatalog1000 creates a catalog of 1,000 machines on the
// fake (target: under 100 ms), deleting it between iterations off the
// clock.
func BenchmarkCreateCatalog1000(b *testing.B) {
	e := catNew(b, catOpts{})
	spec := benchSpec("Bench", 1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.tn.CreateCatalog(e.ctx, spec); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := e.tn.DeleteCatalog(e.ctx, "Bench", catAck("Bench")); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/machine")
}

// BenchmarkCreate5000In5Catalogs creates 5,000 machines in five catalogs
// of one subscription (target: under 500 ms). LIM-4 keeps a subscription
// below 5,000 VDAs, so the limit is raised (LIM-9).
func BenchmarkCreate5000In5Catalogs(b *testing.B) {
	l := quota.DefaultLimits()
	l.VDAsPerSubscription = 5001
	e := catNew(b, catOpts{limits: &l})
	specs := make([]flex.CatalogSpec, 5)
	for i := range specs {
		specs[i] = benchSpec(fmt.Sprintf("Cat%d", i+1), 1000)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range specs {
			if _, err := e.tn.CreateCatalog(e.ctx, s); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		for _, s := range specs {
			if err := e.tn.DeleteCatalog(e.ctx, s.Name, catAck(s.Name)); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
	}
}

// BenchmarkMemoryPerMachine reports the heap a machine keeps, in the
// Tenant and in the fake cloud together (target: under 4 KiB).
func BenchmarkMemoryPerMachine(b *testing.B) {
	const n = 1000
	var per float64
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		e := catNew(b, catOpts{})
		spec := benchSpec("Mem", n)
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()
		if _, err := e.tn.CreateCatalog(e.ctx, spec); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		per = float64(after.HeapAlloc-before.HeapAlloc) / n
		runtime.KeepAlive(e)
		b.StartTimer()
	}
	b.ReportMetric(per, "B/machine")
}

package fake_test

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
)

// benchCloud returns a cloud with a VNet whose subnet holds a million VMs.
func benchCloud(b *testing.B) *fake.Cloud {
	c, _ := newCloud(b)
	mustPut(b, c, vnet("v", "10.0.0.0/8", subnet("a", "10.0.0.0/12")))
	return c
}

// benchVM is a VM as a Tenant puts it: tenant, owner and session tags.
func benchVM(i int) *flex.VirtualMachine {
	v := vm("PC-Sales-"+strconv.Itoa(i), "v", "a")
	v.ComputerName = "PCS" + strconv.Itoa(i)
	v.Tags = map[string]string{flex.TagTenant: "tenant-1", flex.TagOwner: "catalog/Sales", flex.TagSessionLimit: "1"}
	v.Zone = strconv.Itoa(i%3 + 1)
	return v
}

func BenchmarkPutVM(b *testing.B) {
	c := benchCloud(b)
	b.ReportAllocs()
	defer cpuPerOp(b)()
	i := 0
	for b.Loop() {
		if _, err := c.Put(ctx, benchVM(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkPutVMRetry(b *testing.B) {
	c := benchCloud(b)
	v := benchVM(1)
	mustPut(b, c, v)
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for b.Loop() {
		if _, err := c.Put(ctx, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetVM(b *testing.B) {
	c := benchCloud(b)
	for i := range 1000 {
		mustPut(b, c, benchVM(i))
	}
	target := id(flex.TypeVirtualMachine, "PC-Sales-500")
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for b.Loop() {
		if _, err := c.Get(ctx, target); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkList1000VMs(b *testing.B) {
	c := benchCloud(b)
	for i := range 1000 {
		mustPut(b, c, benchVM(i))
	}
	f := flex.Filter{Subscription: sub, ResourceGroup: rg, Type: flex.TypeVirtualMachine}
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for b.Loop() {
		got, err := c.List(ctx, f)
		if err != nil || len(got) != 1000 {
			b.Fatal(len(got), err)
		}
	}
}

func BenchmarkDeleteVM(b *testing.B) {
	c := benchCloud(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		b.StopTimer()
		v := mustPut(b, c, benchVM(i))
		b.StartTimer()
		if err := c.Delete(ctx, v.ID); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkBytesPerVM reports the heap a VM holds in the cloud, its OS
// disk and address included (the metric B/VM), for VMs as a Tenant puts
// them. A Tenant must stay under 4 KiB per machine, cloud included.
func BenchmarkBytesPerVM(b *testing.B) {
	const n = 5000
	var perVM float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		c := benchCloud(b)
		for i := range n {
			if _, err := c.Put(ctx, benchVM(i)); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perVM = float64(after.HeapAlloc-before.HeapAlloc) / n
		runtime.KeepAlive(c)
	}
	b.ReportMetric(perVM, "B/VM")
	if perVM > 2048 {
		b.Errorf("%.0f bytes per VM; the cloud's share of the 4 KiB budget is 2 KiB", perVM)
	}
}

// cpuPerOp reports the CPU time per operation (metric cpu-ns/op), which
// unlike ns/op does not grow when other processes share the machine. Call
// it before b.Loop and call the function it returns after.
func cpuPerOp(b *testing.B) func() {
	start, ok := cpuTime()
	return func() {
		end, _ := cpuTime()
		if ok && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

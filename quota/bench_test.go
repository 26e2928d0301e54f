package quota

import (
	"fmt"
	"testing"
)

// benchLedger returns a ledger tracking n catalogs of 10 VDAs each, spread
// over 100 subscriptions, with limits raised to hold them (LIM-9).
func benchLedger(b *testing.B, n int) (*Ledger, []string, []string) {
	lim := DefaultLimits()
	lim.CatalogsPerTenant = n
	lim.VDAsPerSubscription = MaxLimit
	l, err := NewLedger(lim)
	if err != nil {
		b.Fatal(err)
	}
	cats, subs := make([]string, n), make([]string, n)
	for i := range n {
		cats[i], subs[i] = fmt.Sprintf("Catalog-%05d", i), fmt.Sprintf("Subscription-%03d", i%100)
		mustCommit(b, l, Change{Subscription: subs[i], Catalog: cats[i], Catalogs: 1, VDAs: 10})
	}
	return l, cats, subs
}

// BenchmarkReserveCommit measures one admission, Reserve then Commit, of
// adding or removing a VDA in one of 10,000 tracked catalogs. Target: < 1 µs.
func BenchmarkReserveCommit(b *testing.B) {
	l, cats, subs := benchLedger(b, 10_000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := i % len(cats)
		d := 1
		if i/len(cats)%2 == 1 {
			d = -1 // every other pass removes what the previous one added
		}
		r, err := l.Reserve(Change{Subscription: subs[k], Catalog: cats[k], VDAs: d})
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Commit(); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkReserveRelease is the failure path: Reserve then Release.
func BenchmarkReserveRelease(b *testing.B) {
	l, cats, subs := benchLedger(b, 10_000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := i % len(cats)
		r, err := l.Reserve(Change{Subscription: subs[k], Catalog: cats[k], VDAs: 5})
		if err != nil {
			b.Fatal(err)
		}
		r.Release()
		i++
	}
}

// BenchmarkReserveCommitParallel is Reserve then Commit from every core at
// once, all contending for the one mutex.
func BenchmarkReserveCommitParallel(b *testing.B) {
	l, cats, subs := benchLedger(b, 10_000)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			// Add a VDA to a catalog, then remove it again.
			k, d := (i/2)%len(cats), 1-2*(i%2)
			r, err := l.Reserve(Change{Subscription: subs[k], Catalog: cats[k], VDAs: d})
			if err != nil {
				b.Error(err)
				return
			}
			if err := r.Commit(); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

// BenchmarkRefusal is the cost of a LIM-4 refusal with its breakdown over
// 100 catalogs of one subscription.
func BenchmarkRefusal(b *testing.B) {
	lim := DefaultLimits()
	lim.VDAsPerSubscription = 1001
	l, err := NewLedger(lim)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 100 {
		mustCommit(b, l, Change{Subscription: "S", Catalog: fmt.Sprint("C", i), Catalogs: 1, VDAs: 10})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Reserve(Change{Subscription: "S", Catalog: "C0", VDAs: 1}); err == nil {
			b.Fatal("admitted")
		}
	}
}

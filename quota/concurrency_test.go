package quota

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestConcurrentNoOvershoot races many goroutines reserving, committing,
// releasing and removing VDAs and users while a monitor samples Usage.
// Invariant: at no sampled moment, and not at the end, do committed plus
// reserved VDAs reach the LIM-4 limit or users pass LIM-7; at the end the
// committed usage is exactly what the goroutines committed.
func TestConcurrentNoOvershoot(t *testing.T) {
	lim := DefaultLimits()
	lim.VDAsPerSubscription = 500
	lim.SingleSessionUsersPerResourceLocation = 300
	l, err := NewLedger(lim)
	if err != nil {
		t.Fatal(err)
	}
	const workers, rounds = 16, 300
	for w := range workers {
		mustCommit(t, l, Change{Subscription: "S", Catalog: fmt.Sprint("Cat", w), Catalogs: 1})
	}
	mustCommit(t, l, Change{ResourceLocation: "R", ResourceLocations: 1})

	var committedVDAs, committedUsers atomic.Int64
	stop := make(chan struct{})
	var monitor sync.WaitGroup
	var violations atomic.Int64
	monitor.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			u := l.Usage()
			v := u.Subscriptions[0].VDAs
			s := u.Locations[0].SingleSessionUsers
			// RULE LIM-4 and LIM-7 hold at every moment, reservations included.
			if v.InUse+v.Reserved >= v.Limit || s.InUse+s.Reserved > s.Limit || v.InUse < 0 || s.InUse < 0 {
				violations.Add(1)
			}
		}
	})

	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(w), 42))
			cat := fmt.Sprint("Cat", w)
			mine := 0 // VDAs this worker has committed to its catalog
			users := 0
			for range rounds {
				var c Change
				if mine > 0 && rnd.IntN(4) == 0 {
					n := 1 + rnd.IntN(mine)
					c = Change{Subscription: "S", Catalog: cat, VDAs: -n, ResourceLocation: "R", SingleSessionUsers: -min(n, users)}
				} else {
					n := 1 + rnd.IntN(20)
					c = Change{Subscription: "S", Catalog: cat, VDAs: n, ResourceLocation: "R", SingleSessionUsers: n}
				}
				r, err := l.Reserve(c)
				if err != nil {
					if !errors.Is(err, ErrLimit) {
						t.Errorf("Reserve(%+v) = %v", c, err)
					}
					continue
				}
				if rnd.IntN(3) == 0 { // the operation failed: give it back
					r.Release()
					continue
				}
				if err := r.Commit(); err != nil {
					t.Errorf("Commit() = %v", err)
				}
				r.Release() // no-op, as in a deferred Release
				mine += c.VDAs
				users += c.SingleSessionUsers
				committedVDAs.Add(int64(c.VDAs))
				committedUsers.Add(int64(c.SingleSessionUsers))
			}
		})
	}
	wg.Wait()
	close(stop)
	monitor.Wait()

	if n := violations.Load(); n > 0 {
		t.Fatalf("LIM-4/LIM-7: %d samples over a limit", n)
	}
	u := l.Usage()
	got := []int{u.Subscriptions[0].VDAs.InUse, u.Subscriptions[0].VDAs.Reserved, u.Locations[0].SingleSessionUsers.InUse, u.Locations[0].SingleSessionUsers.Reserved}
	want := []int{int(committedVDAs.Load()), 0, int(committedUsers.Load()), 0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("final usage [VDAs, reserved, users, reserved] (-want +got):\n%s", diff)
	}
	if got[0] >= lim.VDAsPerSubscription || got[2] > lim.SingleSessionUsersPerResourceLocation {
		t.Fatalf("LIM-4/LIM-7 overshot at the end: %v", got)
	}
}

// TestConcurrentExactAdmission: 64 goroutines race to add one VDA at a time
// to a subscription with room for exactly 999 (LIM-4 of 1,000). Exactly 999
// succeed, whatever the interleaving.
func TestConcurrentExactAdmission(t *testing.T) {
	lim := DefaultLimits()
	lim.VDAsPerSubscription = 1000
	lim.CatalogsPerTenant = 64
	l, err := NewLedger(lim)
	if err != nil {
		t.Fatal(err)
	}
	const workers = 64
	for w := range workers {
		mustCommit(t, l, Change{Subscription: "S", Catalog: fmt.Sprint("Cat", w), Catalogs: 1})
	}
	var ok, refused atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range 30 {
				r, err := l.Reserve(Change{Subscription: "S", Catalog: fmt.Sprint("Cat", w), VDAs: 1})
				if err != nil {
					refused.Add(1)
					continue
				}
				if err := r.Commit(); err != nil {
					t.Error(err)
				}
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	// RULE LIM-4: no overshoot and no lost admission.
	if diff := cmp.Diff([]int64{999, workers*30 - 999, 999}, []int64{ok.Load(), refused.Load(), int64(l.VDAs("S"))}); diff != "" {
		t.Fatalf("[admitted, refused, VDAs] (-want +got):\n%s", diff)
	}
}

// TestConcurrentDomains: goroutines race to join one resource location to
// different domains; LIM-6 lets exactly one win.
func TestConcurrentDomainsLIM6(t *testing.T) {
	var l Ledger
	mustCommit(t, &l, Change{ResourceLocation: "R", ResourceLocations: 1})
	var wins atomic.Int64
	var wg sync.WaitGroup
	for w := range 20 {
		wg.Go(func() {
			r, err := l.Reserve(Change{ResourceLocation: "R", Domain: fmt.Sprintf("d%d.example", w), DomainRefs: 1})
			if err != nil {
				if !errors.Is(err, ErrLimit) {
					t.Error(err)
				}
				return
			}
			defer r.Release()
			if err := r.Commit(); err != nil {
				t.Error(err)
			}
			wins.Add(1)
		})
	}
	wg.Wait()
	// RULE LIM-6: one domain per resource location, however the race goes.
	if got := wins.Load(); got != 1 || len(l.Usage().Domains) != 1 {
		t.Fatalf("LIM-6: %d winners, domains %v; want exactly one", got, l.Usage().Domains)
	}
}

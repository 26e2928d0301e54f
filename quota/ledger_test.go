package quota

import (
	"errors"
	"testing"

	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
)

// mustCommit reserves and commits c or fails the test.
func mustCommit(t testing.TB, l *Ledger, c Change) {
	t.Helper()
	r, err := l.Reserve(c)
	if err != nil {
		t.Fatalf("Reserve(%+v) = %v", c, err)
	}
	if err := r.Commit(); err != nil {
		t.Fatalf("Commit() = %v", err)
	}
}

// limitErrors returns every *LimitError in err.
func limitErrors(err error) []*LimitError {
	var out []*LimitError
	var walk func(error)
	walk = func(e error) {
		switch x := e.(type) {
		case nil:
		case *LimitError:
			out = append(out, x)
		case interface{ Unwrap() []error }:
			for _, e := range x.Unwrap() {
				walk(e)
			}
		case interface{ WrappedErrors() []error }:
			for _, e := range x.WrappedErrors() {
				walk(e)
			}
		}
	}
	walk(err)
	return out
}

// TestWorkedExampleLIM4 is the documentation's worked example, step by step
// (Azure subscriptions page): Cat1 2,000 + Cat2 1,500; add 1,000 to Cat2 →
// 4,500, allowed and near its limit; then 500 more anywhere → refused.
func TestWorkedExampleLIM4(t *testing.T) {
	var l Ledger
	const sub = "Citrix Managed"
	mustCommit(t, &l, Change{Subscription: sub, Catalog: "Cat1", Catalogs: 1, VDAs: 2000})
	mustCommit(t, &l, Change{Subscription: sub, Catalog: "Cat2", Catalogs: 1, VDAs: 1500})
	if l.NearLimit(sub) {
		t.Fatal("LIM-5: 3,500 of 5,000 reported near")
	}

	// RULE LIM-4: add 1,000 machines to Cat2 → 4,500, allowed.
	mustCommit(t, &l, Change{Subscription: sub, Catalog: "Cat2", VDAs: 1000})
	if got := l.VDAs(sub); got != 4500 {
		t.Fatalf("LIM-4: VDAs = %d; want 4,500", got)
	}
	// RULE LIM-5: the dashboard indicates the subscription is near its limit.
	if !l.NearLimit(sub) {
		t.Fatal("LIM-5: 4,500 of 5,000 not reported near")
	}
	before := l.Usage()

	// RULE LIM-4: 500 more machines, as a new catalog or added to either one, are refused.
	for _, c := range []Change{
		{Subscription: sub, Catalog: "Cat3", Catalogs: 1, VDAs: 500},
		{Subscription: sub, Catalog: "Cat1", VDAs: 500},
		{Subscription: sub, Catalog: "Cat2", VDAs: 500},
	} {
		r, err := l.Reserve(c)
		if r != nil || !errors.Is(err, ErrLimit) {
			t.Fatalf("LIM-4: Reserve(%+v) = %v, %v; want ErrLimit", c, r, err)
		}
		want := []*LimitError{{
			Rule: "LIM-4", Scope: "subscription Citrix Managed", Unit: "VDAs", Limit: 5000, InUse: 4500, Requested: 500,
			Breakdown: []Share{{Name: "Cat1", InUse: 2000}, {Name: "Cat2", InUse: 2500}},
		}}
		if diff := cmp.Diff(want, limitErrors(err)); diff != "" {
			t.Fatalf("LIM-4 refusal (-want +got):\n%s", diff)
		}
		const msg = "LIM-4: subscription Citrix Managed: adding 500 VDAs would make 5,000, reaching the limit of 5,000 (in use 4,500: Cat1 2,000, Cat2 2,500)"
		if err.Error() != msg {
			t.Fatalf("LIM-4 message:\n got %s\nwant %s", err, msg)
		}
		if !rule.Has(err, "LIM-4") {
			t.Fatalf("LIM-4: rule.IDs(err) = %v", rule.IDs(err))
		}
	}
	// Nothing changed.
	if diff := cmp.Diff(before, l.Usage()); diff != "" {
		t.Fatalf("LIM-4: refusal changed usage (-before +after):\n%s", diff)
	}
	// Another subscription takes them (SUB-2: nothing is shared).
	mustCommit(t, &l, Change{Subscription: "Second", Catalog: "Cat3", Catalogs: 1, VDAs: 500})
}

func TestReservationLifecycle(t *testing.T) {
	var l Ledger
	c := Change{Subscription: "S", Catalog: "C", Catalogs: 1, VDAs: 10}
	r, err := l.Reserve(c)
	if err != nil {
		t.Fatal(err)
	}
	u := l.Usage()
	if got := (Count{Rule: "LIM-4", InUse: 0, Reserved: 10, Limit: 5000}); !cmp.Equal(got, u.Subscriptions[0].VDAs) {
		t.Fatalf("reserved usage = %+v; want %+v", u.Subscriptions[0].VDAs, got)
	}
	if err := r.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := r.Commit(); err != nil {
		t.Fatalf("second Commit() = %v; want nil", err)
	}
	r.Release() // no-op after Commit
	if got := l.VDAs("S"); got != 10 {
		t.Fatalf("VDAs after commit+release = %d; want 10", got)
	}

	r2, err := l.Reserve(Change{Subscription: "S", Catalog: "C", VDAs: 5})
	if err != nil {
		t.Fatal(err)
	}
	r2.Release()
	r2.Release()
	if err := r2.Commit(); !errors.Is(err, ErrInvalidChange) {
		t.Fatalf("Commit after Release = %v; want ErrInvalidChange", err)
	}
	if got := l.VDAs("S"); got != 10 {
		t.Fatalf("VDAs after release = %d; want 10", got)
	}
	var nilRes *Reservation
	nilRes.Release()
	if err := nilRes.Commit(); !errors.Is(err, ErrInvalidChange) {
		t.Fatalf("nil Commit = %v", err)
	}
}

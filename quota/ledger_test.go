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

	before := l.Usage()
	r2, err := l.Reserve(Change{Subscription: "S", Catalog: "C", VDAs: 5})
	if err != nil {
		t.Fatal(err)
	}
	r2.Release()
	if diff := cmp.Diff(before, l.Usage()); diff != "" {
		t.Fatalf("Release did not give the reservation back (-before +after):\n%s", diff)
	}
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

// small returns limits small enough to reach in a test.
func small() Limits {
	return Limits{
		ADDomainsPerTenant:                    2,
		CatalogsPerTenant:                     3,
		ResourceLocationsPerTenant:            3,
		VDAsPerSubscription:                   10,
		NearLimitPercent:                      90,
		ADDomainsPerResourceLocation:          1,
		SingleSessionUsersPerResourceLocation: 6,
		MultiSessionUsersPerResourceLocation:  9,
	}
}

func TestLimits(t *testing.T) {
	rl := func(name string) Change { return Change{ResourceLocation: name, ResourceLocations: 1} }
	tests := []struct {
		name   string
		setup  []Change // committed first
		hold   []Change // then reserved and left pending
		change Change
		want   []*LimitError // nil: admitted
		msg    string
	}{
		{
			name:   "LIM-1 third domain in the tenant refused",
			setup:  []Change{rl("R1"), rl("R2"), rl("R3"), {ResourceLocation: "R1", Domain: "a.example", DomainRefs: 1}, {ResourceLocation: "R2", Domain: "b.example", DomainRefs: 1}},
			change: Change{ResourceLocation: "R3", Domain: "c.example", DomainRefs: 1},
			want: []*LimitError{{Rule: "LIM-1", Scope: "tenant", Unit: "Active Directory domains", Limit: 2, InUse: 2, Requested: 1,
				Breakdown: []Share{{Name: "a.example", InUse: 1}, {Name: "b.example", InUse: 1}}}},
			msg: "LIM-1: tenant: adding 1 Active Directory domain would make 3, over the limit of 2 (in use 2: a.example, b.example)",
		},
		{
			name:   "LIM-1 a reserved domain counts",
			setup:  []Change{rl("R1"), rl("R2"), rl("R3"), {ResourceLocation: "R1", Domain: "a.example", DomainRefs: 1}},
			hold:   []Change{{ResourceLocation: "R2", Domain: "b.example", DomainRefs: 1}},
			change: Change{ResourceLocation: "R3", Domain: "c.example", DomainRefs: 1},
			want: []*LimitError{{Rule: "LIM-1", Scope: "tenant", Unit: "Active Directory domains", Limit: 2, InUse: 1, Reserved: 1, Requested: 1,
				Breakdown: []Share{{Name: "a.example", InUse: 1}, {Name: "b.example", Reserved: 1}}}},
			msg: "LIM-1: tenant: adding 1 Active Directory domain would make 3, over the limit of 2 (in use 1: a.example; reserved by operations in progress 1: b.example)",
		},
		{
			name:   "LIM-1 same domain in a second location is not a new domain",
			setup:  []Change{rl("R1"), rl("R2"), {ResourceLocation: "R1", Domain: "a.example", DomainRefs: 1}},
			change: Change{ResourceLocation: "R2", Domain: "a.example", DomainRefs: 1},
		},
		{
			name:   "LIM-2 fourth catalog refused",
			setup:  []Change{{Subscription: "S1", Catalog: "A", Catalogs: 1}, {Subscription: "S1", Catalog: "B", Catalogs: 1}, {Subscription: "S2", Catalog: "C", Catalogs: 1}},
			change: Change{Subscription: "S2", Catalog: "D", Catalogs: 1, VDAs: 1},
			want: []*LimitError{{Rule: "LIM-2", Scope: "tenant", Unit: "catalogs", Limit: 3, InUse: 3, Requested: 1,
				Breakdown: []Share{{Name: "S1", InUse: 2}, {Name: "S2", InUse: 1}}}},
			msg: "LIM-2: tenant: adding 1 catalog would make 4, over the limit of 3 (in use 3: S1 2, S2 1)",
		},
		{
			name:   "LIM-2 third catalog admitted",
			setup:  []Change{{Subscription: "S1", Catalog: "A", Catalogs: 1}, {Subscription: "S1", Catalog: "B", Catalogs: 1}},
			change: Change{Subscription: "S2", Catalog: "C", Catalogs: 1},
		},
		{
			name:   "LIM-3 fourth resource location refused",
			setup:  []Change{rl("R1"), rl("R2"), rl("R3")},
			change: rl("R4"),
			want: []*LimitError{{Rule: "LIM-3", Scope: "tenant", Unit: "resource locations", Limit: 3, InUse: 3, Requested: 1,
				Breakdown: []Share{{Name: "R1", InUse: 1}, {Name: "R2", InUse: 1}, {Name: "R3", InUse: 1}}}},
			msg: "LIM-3: tenant: adding 1 resource location would make 4, over the limit of 3 (in use 3: R1, R2, R3)",
		},
		{
			name:   "LIM-4 9 of 10 admitted",
			setup:  []Change{{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 4}},
			change: Change{Subscription: "S", Catalog: "A", VDAs: 5},
		},
		{
			name:   "LIM-4 reaching 10 of 10 refused",
			setup:  []Change{{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 4}, {Subscription: "S", Catalog: "B", Catalogs: 1, VDAs: 5}},
			change: Change{Subscription: "S", Catalog: "B", VDAs: 1},
			want: []*LimitError{{Rule: "LIM-4", Scope: "subscription S", Unit: "VDAs", Limit: 10, InUse: 9, Requested: 1,
				Breakdown: []Share{{Name: "A", InUse: 4}, {Name: "B", InUse: 5}}}},
			msg: "LIM-4: subscription S: adding 1 VDA would make 10, reaching the limit of 10 (in use 9: A 4, B 5)",
		},
		{
			name:   "LIM-4 limit is per subscription",
			setup:  []Change{{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 9}},
			change: Change{Subscription: "T", Catalog: "B", Catalogs: 1, VDAs: 9},
		},
		{
			name:   "LIM-6 second domain in one resource location refused",
			setup:  []Change{rl("R1"), {ResourceLocation: "R1", Domain: "a.example", DomainRefs: 1}},
			change: Change{ResourceLocation: "R1", Domain: "b.example", DomainRefs: 1},
			want: []*LimitError{{Rule: "LIM-6", Scope: "resource location R1", Unit: "Active Directory domains", Limit: 1, InUse: 1, Requested: 1,
				Breakdown: []Share{{Name: "a.example", InUse: 1}}}},
			msg: "LIM-6: resource location R1: adding 1 Active Directory domain would make 2, over the limit of 1 (in use 1: a.example)",
		},
		{
			name:   "LIM-6 a reserved domain counts",
			setup:  []Change{rl("R1")},
			hold:   []Change{{ResourceLocation: "R1", Domain: "a.example", DomainRefs: 1}},
			change: Change{ResourceLocation: "R1", Domain: "b.example", DomainRefs: 1},
			want: []*LimitError{{Rule: "LIM-6", Scope: "resource location R1", Unit: "Active Directory domains", Limit: 1, Reserved: 1, Requested: 1,
				Breakdown: []Share{{Name: "a.example", Reserved: 1}}}},
			msg: "LIM-6: resource location R1: adding 1 Active Directory domain would make 2, over the limit of 1 (in use 0; reserved by operations in progress 1: a.example)",
		},
		{
			name:   "LIM-6 more references on the same domain admitted",
			setup:  []Change{rl("R1"), {ResourceLocation: "R1", Domain: "a.example", DomainRefs: 1}},
			change: Change{ResourceLocation: "R1", Domain: "a.example", DomainRefs: 3},
		},
		{
			name:   "LIM-7 single-session users over the limit refused",
			setup:  []Change{{ResourceLocation: "R1", ResourceLocations: 1, SingleSessionUsers: 4}},
			change: Change{ResourceLocation: "R1", SingleSessionUsers: 3},
			want:   []*LimitError{{Rule: "LIM-7", Scope: "resource location R1", Unit: "single-session users", Limit: 6, InUse: 4, Requested: 3}},
			msg:    "LIM-7: resource location R1: adding 3 single-session users would make 7, over the limit of 6 (in use 4)",
		},
		{
			name:   "LIM-7 reaching the limit admitted",
			setup:  []Change{{ResourceLocation: "R1", ResourceLocations: 1, SingleSessionUsers: 4}},
			change: Change{ResourceLocation: "R1", SingleSessionUsers: 2},
		},
		{
			name:   "LIM-8 multi-session users over the limit refused",
			setup:  []Change{{ResourceLocation: "R1", ResourceLocations: 1, MultiSessionUsers: 9}},
			change: Change{ResourceLocation: "R1", MultiSessionUsers: 1},
			want:   []*LimitError{{Rule: "LIM-8", Scope: "resource location R1", Unit: "multi-session users", Limit: 9, InUse: 9, Requested: 1}},
			msg:    "LIM-8: resource location R1: adding 1 multi-session user would make 10, over the limit of 9 (in use 9)",
		},
		{
			name:   "LIM-7 LIM-8 limits are per resource location",
			setup:  []Change{{ResourceLocation: "R1", ResourceLocations: 1, SingleSessionUsers: 6, MultiSessionUsers: 9}},
			change: Change{ResourceLocation: "R2", ResourceLocations: 1, SingleSessionUsers: 6, MultiSessionUsers: 9},
		},
		{
			name:   "LIM-2 LIM-4 every exceeded limit is reported at once",
			setup:  []Change{{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 5}, {Subscription: "S", Catalog: "B", Catalogs: 1}, {Subscription: "S", Catalog: "C", Catalogs: 1}},
			change: Change{Subscription: "S", Catalog: "D", Catalogs: 1, VDAs: 5},
			want: []*LimitError{
				{Rule: "LIM-2", Scope: "tenant", Unit: "catalogs", Limit: 3, InUse: 3, Requested: 1, Breakdown: []Share{{Name: "S", InUse: 3}}},
				{Rule: "LIM-4", Scope: "subscription S", Unit: "VDAs", Limit: 10, InUse: 5, Requested: 5,
					Breakdown: []Share{{Name: "A", InUse: 5}, {Name: "B"}, {Name: "C"}}},
			},
			msg: "LIM-2: tenant: adding 1 catalog would make 4, over the limit of 3 (in use 3: S 3)\n" +
				"LIM-4: subscription S: adding 5 VDAs would make 10, reaching the limit of 10 (in use 5: A 5)",
		},
		{
			name:   "LIM-1 LIM-6 LIM-7 a whole new location at once",
			setup:  []Change{rl("R1"), {ResourceLocation: "R1", Domain: "a.example", DomainRefs: 1}},
			change: Change{ResourceLocation: "R2", ResourceLocations: 1, Domain: "b.example", DomainRefs: 1, SingleSessionUsers: 6},
		},
		{
			name:   "LIM-4 reserved VDAs count against the limit",
			setup:  []Change{{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 2}},
			hold:   []Change{{Subscription: "S", Catalog: "A", VDAs: 3}},
			change: Change{Subscription: "S", Catalog: "A", VDAs: 5},
			want: []*LimitError{{Rule: "LIM-4", Scope: "subscription S", Unit: "VDAs", Limit: 10, InUse: 2, Reserved: 3, Requested: 5,
				Breakdown: []Share{{Name: "A", InUse: 2, Reserved: 3}}}},
			msg: "LIM-4: subscription S: adding 5 VDAs would make 10, reaching the limit of 10 (in use 2: A 2; reserved by operations in progress 3: A 3)",
		},
		{
			name:   "LIM-4 reserved removals do not free capacity before commit",
			setup:  []Change{{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 9}},
			hold:   []Change{{Subscription: "S", Catalog: "A", VDAs: -5}},
			change: Change{Subscription: "S", Catalog: "A", VDAs: 1},
			want: []*LimitError{{Rule: "LIM-4", Scope: "subscription S", Unit: "VDAs", Limit: 10, InUse: 9, Requested: 1,
				Breakdown: []Share{{Name: "A", InUse: 9}}}},
			msg: "LIM-4: subscription S: adding 1 VDA would make 10, reaching the limit of 10 (in use 9: A 9)",
		},
		{
			name:   "LIM-4 committed removals free capacity",
			setup:  []Change{{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 9}, {Subscription: "S", Catalog: "A", VDAs: -5}},
			change: Change{Subscription: "S", Catalog: "A", VDAs: 5},
		},
		{
			name:   "LIM-2 LIM-4 deleting a catalog frees both",
			setup:  []Change{{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 9}, {Subscription: "S", Catalog: "B", Catalogs: 1}, {Subscription: "S", Catalog: "C", Catalogs: 1}, {Subscription: "S", Catalog: "A", Catalogs: -1, VDAs: -9}},
			change: Change{Subscription: "S", Catalog: "D", Catalogs: 1, VDAs: 9},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := NewLedger(small())
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tt.setup {
				mustCommit(t, l, c)
			}
			for _, c := range tt.hold {
				if _, err := l.Reserve(c); err != nil {
					t.Fatalf("Reserve(%+v) = %v", c, err)
				}
			}
			before := l.Usage()
			r, err := l.Reserve(tt.change)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Reserve(%+v) = %v; want admitted", tt.change, err)
				}
				if err := r.Commit(); err != nil {
					t.Fatal(err)
				}
				return
			}
			if r != nil || !errors.Is(err, ErrLimit) {
				t.Fatalf("Reserve(%+v) = %v, %v; want ErrLimit", tt.change, r, err)
			}
			if diff := cmp.Diff(tt.want, limitErrors(err)); diff != "" {
				t.Fatalf("refusal (-want +got):\n%s", diff)
			}
			if err.Error() != tt.msg {
				t.Fatalf("message:\n got %s\nwant %s", err, tt.msg)
			}
			if diff := cmp.Diff(before, l.Usage()); diff != "" {
				t.Fatalf("refusal changed usage (-before +after):\n%s", diff)
			}
		})
	}
}

func TestInvalidChanges(t *testing.T) {
	base := []Change{
		{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 4},
		{ResourceLocation: "R", ResourceLocations: 1, SingleSessionUsers: 2, Domain: "a.example", DomainRefs: 1},
	}
	tests := []struct {
		name   string
		hold   []Change
		change Change
	}{
		{"VDAs without a catalog", nil, Change{Subscription: "S", VDAs: 1}},
		{"VDAs without a subscription", nil, Change{Catalog: "A", VDAs: 1}},
		{"users without a resource location", nil, Change{SingleSessionUsers: 1}},
		{"domain references without a domain", nil, Change{ResourceLocation: "R", DomainRefs: 1}},
		{"Catalogs out of range", nil, Change{Subscription: "S", Catalog: "B", Catalogs: 2}},
		{"ResourceLocations out of range", nil, Change{ResourceLocation: "Q", ResourceLocations: -2}},
		{"amount beyond MaxLimit", nil, Change{Subscription: "S", Catalog: "A", VDAs: MaxLimit + 1}},
		{"amount below -MaxLimit", nil, Change{Subscription: "S", Catalog: "A", VDAs: -MaxLimit - 1}},
		{"catalog counted twice", nil, Change{Subscription: "S", Catalog: "A", Catalogs: 1}},
		{"catalog being counted by another reservation", []Change{{Subscription: "S", Catalog: "B", Catalogs: 1}}, Change{Subscription: "S", Catalog: "B", Catalogs: 1}},
		{"catalog in another subscription (CAT-5 names are tenant-wide)", nil, Change{Subscription: "T", Catalog: "A", VDAs: 1}},
		{"VDAs on an uncounted catalog", nil, Change{Subscription: "S", Catalog: "B", VDAs: 1}},
		{"VDAs on a catalog only being counted", []Change{{Subscription: "S", Catalog: "B", Catalogs: 1}}, Change{Subscription: "S", Catalog: "B", VDAs: 1}},
		{"new catalog removing VDAs", nil, Change{Subscription: "S", Catalog: "B", Catalogs: 1, VDAs: -1}},
		{"removing more VDAs than the catalog has", nil, Change{Subscription: "S", Catalog: "A", VDAs: -5}},
		{"removing VDAs already being removed", []Change{{Subscription: "S", Catalog: "A", VDAs: -3}}, Change{Subscription: "S", Catalog: "A", VDAs: -2}},
		{"removing a catalog but not its VDAs", nil, Change{Subscription: "S", Catalog: "A", Catalogs: -1, VDAs: -3}},
		{"removing a catalog twice", []Change{{Subscription: "S", Catalog: "A", Catalogs: -1, VDAs: -4}}, Change{Subscription: "S", Catalog: "A", Catalogs: -1, VDAs: -4}},
		{"removing a catalog with VDA changes in progress", []Change{{Subscription: "S", Catalog: "A", VDAs: 1}}, Change{Subscription: "S", Catalog: "A", Catalogs: -1, VDAs: -4}},
		{"adding VDAs to a catalog being removed", []Change{{Subscription: "S", Catalog: "A", Catalogs: -1, VDAs: -4}}, Change{Subscription: "S", Catalog: "A", VDAs: 1}},
		{"removing an uncounted catalog", nil, Change{Subscription: "S", Catalog: "B", Catalogs: -1}},
		{"resource location counted twice", nil, Change{ResourceLocation: "R", ResourceLocations: 1}},
		{"users in an uncounted resource location", nil, Change{ResourceLocation: "Q", MultiSessionUsers: 1}},
		{"new resource location removing users", nil, Change{ResourceLocation: "Q", ResourceLocations: 1, SingleSessionUsers: -1}},
		{"removing more users than there are", nil, Change{ResourceLocation: "R", SingleSessionUsers: -3}},
		{"removing more domain references than there are", nil, Change{ResourceLocation: "R", Domain: "a.example", DomainRefs: -2}},
		{"removing references on an unused domain", nil, Change{ResourceLocation: "R", Domain: "b.example", DomainRefs: -1}},
		{"removing a resource location with users left", nil, Change{ResourceLocation: "R", ResourceLocations: -1, Domain: "a.example", DomainRefs: -1}},
		{"removing a resource location with domain references left", nil, Change{ResourceLocation: "R", ResourceLocations: -1, SingleSessionUsers: -2}},
		{"removing a resource location and adding to it", nil, Change{ResourceLocation: "R", ResourceLocations: -1, SingleSessionUsers: -2, Domain: "a.example", DomainRefs: 1}},
		{"removing a resource location with changes in progress", []Change{{ResourceLocation: "R", MultiSessionUsers: 1}}, Change{ResourceLocation: "R", ResourceLocations: -1, SingleSessionUsers: -2, Domain: "a.example", DomainRefs: -1}},
		{"removing a resource location being removed", []Change{{ResourceLocation: "R", ResourceLocations: -1, SingleSessionUsers: -2, Domain: "a.example", DomainRefs: -1}}, Change{ResourceLocation: "R", MultiSessionUsers: 1}},
		{"removing an uncounted resource location", nil, Change{ResourceLocation: "Q", ResourceLocations: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l Ledger
			for _, c := range base {
				mustCommit(t, &l, c)
			}
			for _, c := range tt.hold {
				if _, err := l.Reserve(c); err != nil {
					t.Fatalf("Reserve(%+v) = %v", c, err)
				}
			}
			before := l.Usage()
			r, err := l.Reserve(tt.change)
			if r != nil || !errors.Is(err, ErrInvalidChange) || errors.Is(err, ErrLimit) {
				t.Fatalf("Reserve(%+v) = %v, %v; want ErrInvalidChange", tt.change, r, err)
			}
			if diff := cmp.Diff(before, l.Usage()); diff != "" {
				t.Fatalf("refusal changed usage (-before +after):\n%s", diff)
			}
		})
	}
}

func TestRemoveEverything(t *testing.T) {
	var l Ledger
	empty := l.Usage()
	adds := []Change{
		{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 4},
		{ResourceLocation: "R", ResourceLocations: 1, SingleSessionUsers: 2, MultiSessionUsers: 16, Domain: "a.example", DomainRefs: 2},
	}
	for _, c := range adds {
		mustCommit(t, &l, c)
	}
	mustCommit(t, &l, Change{Subscription: "S", Catalog: "A", Catalogs: -1, VDAs: -4})
	mustCommit(t, &l, Change{ResourceLocation: "R", Domain: "a.example", DomainRefs: -1})
	mustCommit(t, &l, Change{ResourceLocation: "R", ResourceLocations: -1, SingleSessionUsers: -2, MultiSessionUsers: -16, Domain: "a.example", DomainRefs: -1})
	if diff := cmp.Diff(empty, l.Usage()); diff != "" {
		t.Fatalf("usage after removing everything (-want +got):\n%s", diff)
	}
}

func TestUsage(t *testing.T) {
	l, err := NewLedger(small())
	if err != nil {
		t.Fatal(err)
	}
	mustCommit(t, l, Change{Subscription: "S", Catalog: "B", Catalogs: 1, VDAs: 6})
	mustCommit(t, l, Change{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 2})
	mustCommit(t, l, Change{ResourceLocation: "R", ResourceLocations: 1, Domain: "a.example", DomainRefs: 2, SingleSessionUsers: 6, MultiSessionUsers: 3})
	if _, err := l.Reserve(Change{Subscription: "S", Catalog: "A", VDAs: 1}); err != nil {
		t.Fatal(err)
	}
	want := Usage{
		Limits:            small(),
		ADDomains:         Count{Rule: "LIM-1", InUse: 1, Limit: 2},
		Domains:           []string{"a.example"},
		Catalogs:          Count{Rule: "LIM-2", InUse: 2, Limit: 3},
		ResourceLocations: Count{Rule: "LIM-3", InUse: 1, Limit: 3},
		Subscriptions: []SubscriptionUsage{{
			Name:     "S",
			VDAs:     Count{Rule: "LIM-4", InUse: 8, Reserved: 1, Limit: 10},
			Near:     true, // RULE LIM-5: 9 of 10 with the reservation
			Catalogs: []Share{{Name: "A", InUse: 2, Reserved: 1}, {Name: "B", InUse: 6}},
		}},
		Locations: []LocationUsage{{
			Name:               "R",
			ADDomains:          Count{Rule: "LIM-6", InUse: 1, Limit: 1},
			Domains:            []string{"a.example"},
			SingleSessionUsers: Count{Rule: "LIM-7", InUse: 6, Limit: 6},
			MultiSessionUsers:  Count{Rule: "LIM-8", InUse: 3, Limit: 9},
		}},
	}
	u := l.Usage()
	if diff := cmp.Diff(want, u); diff != "" {
		t.Fatalf("Usage() (-want +got):\n%s", diff)
	}
	// The snapshot shares nothing with the ledger.
	u.Subscriptions[0].Catalogs[0].InUse = 1000
	if diff := cmp.Diff(want, l.Usage()); diff != "" {
		t.Fatalf("Usage() changed through a snapshot (-want +got):\n%s", diff)
	}
	frees := map[string]int{"LIM-4": u.Subscriptions[0].VDAs.Free(), "LIM-7": u.Locations[0].SingleSessionUsers.Free(), "LIM-8": u.Locations[0].MultiSessionUsers.Free(), "LIM-2": u.Catalogs.Free()}
	if diff := cmp.Diff(map[string]int{"LIM-4": 0, "LIM-7": 0, "LIM-8": 6, "LIM-2": 1}, frees); diff != "" {
		t.Fatalf("Free() (-want +got):\n%s", diff)
	}
}

func TestNewLedgerLIM9(t *testing.T) {
	if _, err := NewLedger(Limits{}); !rule.Has(err, "LIM-9") {
		t.Fatalf("NewLedger(Limits{}) = %v; want LIM-9", err)
	}
	var zero Ledger
	if diff := cmp.Diff(DefaultLimits(), zero.Limits()); diff != "" {
		t.Fatalf("zero Ledger limits (-want +got):\n%s", diff)
	}
	// RULE LIM-9: a configured limit is the one enforced.
	custom := DefaultLimits()
	custom.VDAsPerSubscription = 3
	l, err := NewLedger(custom)
	if err != nil {
		t.Fatal(err)
	}
	mustCommit(t, l, Change{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 2})
	if _, err := l.Reserve(Change{Subscription: "S", Catalog: "A", VDAs: 1}); !errors.Is(err, ErrLimit) {
		t.Fatalf("LIM-9: configured LIM-4 of 3 not enforced: %v", err)
	}
}

func TestLimitErrorMessageLong(t *testing.T) {
	e := &LimitError{Rule: "LIM-4", Scope: "subscription S", Unit: "VDAs", Limit: 5000, InUse: 4990, Requested: 1_000_000}
	for i := range 12 {
		e.Breakdown = append(e.Breakdown, Share{Name: string(rune('a' + i)), InUse: 415})
	}
	const want = "LIM-4: subscription S: adding 1,000,000 VDAs would make 1,004,990, over the limit of 5,000 (in use 4,990: a 415, b 415, c 415, d 415, e 415, f 415, g 415, h 415, i 415, j 415 and 2 more)"
	if got := e.Error(); got != want {
		t.Fatalf("Error():\n got %s\nwant %s", got, want)
	}
}

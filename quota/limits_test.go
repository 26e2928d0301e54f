package quota

import (
	"testing"

	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
)

func TestDefaultLimits(t *testing.T) {
	// RULE LIM-1 … LIM-8: the documented defaults; RULE LIM-9: they are plain, configurable values.
	want := Limits{
		ADDomainsPerTenant:                    25,
		CatalogsPerTenant:                     100,
		ResourceLocationsPerTenant:            25,
		VDAsPerSubscription:                   5000,
		NearLimitPercent:                      90,
		ADDomainsPerResourceLocation:          1,
		SingleSessionUsersPerResourceLocation: 5000,
		MultiSessionUsersPerResourceLocation:  25000,
	}
	if diff := cmp.Diff(want, DefaultLimits()); diff != "" {
		t.Fatalf("DefaultLimits() mismatch (-want +got):\n%s", diff)
	}
	if err := DefaultLimits().Validate(); err != nil {
		t.Fatalf("DefaultLimits().Validate() = %v", err)
	}
}

func TestLimitsValidate(t *testing.T) {
	mod := func(f func(*Limits)) Limits { l := DefaultLimits(); f(&l); return l }
	tests := []struct {
		name   string
		limits Limits
		want   int // number of LIM-9 violations
	}{
		{"LIM-9 defaults valid", DefaultLimits(), 0},
		{"LIM-9 raised limits valid", mod(func(l *Limits) { l.CatalogsPerTenant = 10_000; l.VDAsPerSubscription = MaxLimit }), 0},
		{"LIM-9 LIM-1 zero", mod(func(l *Limits) { l.ADDomainsPerTenant = 0 }), 1},
		{"LIM-9 LIM-2 negative", mod(func(l *Limits) { l.CatalogsPerTenant = -1 }), 1},
		{"LIM-9 LIM-3 zero", mod(func(l *Limits) { l.ResourceLocationsPerTenant = 0 }), 1},
		{"LIM-9 LIM-4 above MaxLimit", mod(func(l *Limits) { l.VDAsPerSubscription = MaxLimit + 1 }), 1},
		{"LIM-9 LIM-5 zero percent", mod(func(l *Limits) { l.NearLimitPercent = 0 }), 1},
		{"LIM-9 LIM-5 over 100 percent", mod(func(l *Limits) { l.NearLimitPercent = 101 }), 1},
		{"LIM-9 LIM-6 zero", mod(func(l *Limits) { l.ADDomainsPerResourceLocation = 0 }), 1},
		{"LIM-9 LIM-6 above LIM-1", mod(func(l *Limits) { l.ADDomainsPerResourceLocation = 30 }), 1},
		{"LIM-9 LIM-7 zero", mod(func(l *Limits) { l.SingleSessionUsersPerResourceLocation = 0 }), 1},
		{"LIM-9 LIM-8 negative", mod(func(l *Limits) { l.MultiSessionUsersPerResourceLocation = -25000 }), 1},
		{"LIM-9 zero value reports all eight", Limits{}, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.limits.Validate()
			vs := rule.Violations(err)
			if len(vs) != tt.want {
				t.Fatalf("Validate() = %v; want %d violations", err, tt.want)
			}
			if tt.want > 0 {
				if diff := cmp.Diff([]string{"LIM-9"}, rule.IDs(err)); diff != "" {
					t.Fatalf("rule IDs (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestNear(t *testing.T) {
	l := DefaultLimits()
	tests := []struct {
		name string
		vdas int
		want bool
	}{
		{"LIM-5 4,499 of 5,000 is not near", 4499, false},
		{"LIM-5 4,500 of 5,000 is near", 4500, true},
		{"LIM-5 4,999 of 5,000 is near", 4999, true},
		{"LIM-5 zero is not near", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.Near(tt.vdas); got != tt.want {
				t.Fatalf("Near(%d) = %v; want %v", tt.vdas, got, tt.want)
			}
		})
	}
	if (Limits{}).Near(10) {
		t.Fatal("LIM-5: zero Limits reported near")
	}
}

func TestMachinesFor(t *testing.T) {
	tests := []struct {
		name                   string
		usersPerMachine, users int
		want                   int
		wantErr                int // CAT-2 violations from Machines
	}{
		{"CAT-2 single-session: machines = users", 1, 250, 250, 0},
		{"CAT-2 medium 8 per VM exact", 8, 80, 10, 0},
		{"CAT-2 medium 8 per VM rounds up", 8, 81, 11, 0},
		{"CAT-2 heavy 4 per VM", 4, 1, 1, 0},
		{"CAT-2 zero users per machine", 0, 10, 0, 1},
		{"CAT-2 negative users per machine", -4, 10, 0, 1},
		{"CAT-2 zero users", 8, 0, 0, 1},
		{"CAT-2 negative users", 8, -1, 0, 1},
		{"CAT-2 both bad reports both", 0, -3, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MachinesFor(tt.usersPerMachine, tt.users); got != tt.want {
				t.Fatalf("MachinesFor(%d, %d) = %d; want %d", tt.usersPerMachine, tt.users, got, tt.want)
			}
			got, err := Machines(tt.usersPerMachine, tt.users)
			if n := len(rule.Violations(err)); n != tt.wantErr || (n > 0 && !rule.Has(err, "CAT-2")) {
				t.Fatalf("Machines(%d, %d) error = %v; want %d CAT-2 violations", tt.usersPerMachine, tt.users, err, tt.wantErr)
			}
			if got != tt.want {
				t.Fatalf("Machines(%d, %d) = %d; want %d", tt.usersPerMachine, tt.users, got, tt.want)
			}
		})
	}
}

func TestGroup(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 25000: "25,000", 1234567: "1,234,567", -5000: "-5,000", -999: "-999"} {
		if got := group(n); got != want {
			t.Errorf("group(%d) = %q; want %q", n, got, want)
		}
	}
}

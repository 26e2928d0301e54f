package quota

import (
	"strconv"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/rule"
	"pgregory.net/rapid"
)

// TestMachinesForProperty: for valid input MachinesFor is the least number of
// machines m with m × usersPerMachine ≥ users (CAT-2), found by brute force;
// for bad input it is 0 and Machines refuses it with CAT-2.
func TestMachinesForProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		upm := rapid.IntRange(-3, 40).Draw(t, "usersPerMachine")
		users := rapid.IntRange(-3, 2000).Draw(t, "users")
		got := MachinesFor(upm, users)
		n, err := Machines(upm, users)
		if upm < 1 || users < 0 {
			if got != 0 || err == nil || !rule.Has(err, "CAT-2") {
				t.Fatalf("MachinesFor(%d, %d) = %d; Machines = %d, %v", upm, users, got, n, err)
			}
			return
		}
		want := 0
		for want*upm < users {
			want++
		}
		if got != want {
			t.Fatalf("CAT-2: MachinesFor(%d, %d) = %d; want %d", upm, users, got, want)
		}
		if users == 0 {
			if err == nil {
				t.Fatal("CAT-2: Machines accepted zero users")
			}
			return
		}
		if n != want || err != nil {
			t.Fatalf("CAT-2: Machines(%d, %d) = %d, %v; want %d", upm, users, n, err, want)
		}
	})
	// Extremes do not overflow or panic.
	if got := MachinesFor(1, int(^uint(0)>>1)); got != int(^uint(0)>>1) {
		t.Fatalf("MachinesFor(1, MaxInt) = %d", got)
	}
	if got := MachinesFor(int(^uint(0)>>1), int(^uint(0)>>1)); got != 1 {
		t.Fatalf("MachinesFor(MaxInt, MaxInt) = %d", got)
	}
}

// TestNearProperty: Near(v) is v ≥ percent% of the limit, compared exactly as
// v × 100 ≥ limit × percent (LIM-5), for every valid limit.
func TestNearProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := DefaultLimits()
		l.VDAsPerSubscription = rapid.IntRange(1, MaxLimit).Draw(t, "limit")
		l.NearLimitPercent = rapid.IntRange(1, 100).Draw(t, "percent")
		v := rapid.IntRange(0, l.VDAsPerSubscription).Draw(t, "vdas")
		// The smallest near value, by ceiling division.
		threshold := (l.VDAsPerSubscription*l.NearLimitPercent + 99) / 100
		if got, want := l.Near(v), v >= threshold; got != want {
			t.Fatalf("LIM-5: Near(%d) with limit %d at %d%% = %v; threshold %d", v, l.VDAsPerSubscription, l.NearLimitPercent, got, threshold)
		}
	})
}

// TestGroupProperty: group(n) without its commas is strconv.Itoa(n), and
// its commas split the digits into groups of three from the right.
func TestGroupProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.Int().Draw(t, "n")
		g := group(n)
		if strings.ReplaceAll(g, ",", "") != strconv.Itoa(n) {
			t.Fatalf("group(%d) = %q", n, g)
		}
		parts := strings.Split(strings.TrimPrefix(g, "-"), ",")
		for i, p := range parts {
			if (i > 0 && len(p) != 3) || len(p) == 0 || len(p) > 3 {
				t.Fatalf("group(%d) = %q: bad group %q", n, g, p)
			}
		}
	})
}

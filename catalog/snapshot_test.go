package catalog_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the time zones tested do not depend on the machine's database

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func loadLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestSnapshotKinds(t *testing.T) {
	// RULE API-5: snapshot kinds and restore states by their API names.
	var got []string
	for _, k := range []catalog.SnapshotKind{catalog.Anytime, catalog.Daily, catalog.Weekly} {
		got = append(got, k.String())
	}
	for r := catalog.RestoreInactive; r <= catalog.RestoreFailed; r++ {
		got = append(got, r.String())
	}
	want := []string{"Anytime", "Daily", "Weekly", "Inactive", "Running", "Completed", "Failed"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
	if k, err := catalog.ParseSnapshotKind("manual"); err != nil || k != catalog.Anytime {
		t.Errorf("ParseSnapshotKind(manual) = %v, %v", k, err)
	}
	if _, err := catalog.ParseSnapshotKind("hourly"); !rule.Has(err, "API-5") {
		t.Errorf("ParseSnapshotKind(hourly) = %v", err)
	}
	if _, err := catalog.ParseRestoreState("Pending"); !rule.Has(err, "API-5") {
		t.Errorf("ParseRestoreState(Pending) = %v", err)
	}
}

func TestValidateSnapshotName(t *testing.T) {
	for _, ok := range []string{"a", "Before_patch_2026", "X1", string(make([]byte, 0)) + "z"} {
		if err := catalog.ValidateSnapshotName(ok); err != nil {
			t.Errorf("API-5: %q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "before patch", "before-patch", "ünïcode", "a.b", string(make([]byte, 81))} {
		if err := catalog.ValidateSnapshotName(bad); !rule.Has(err, "API-5") {
			t.Errorf("API-5: %q: %v", bad, err)
		}
	}
}

func assigned(t *testing.T, name string) catalog.Machine {
	m, err := catalog.NewMachine(name, quota.Static, 1).Assign("alice@corp.example.com")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSnapshotsRules(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	m := assigned(t, "PC-01")
	s, err := catalog.ManualSnapshot(quota.Static, m, "Before_patch", now)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(catalog.Snapshot{Name: "Before_patch", Machine: "PC-01", Kind: catalog.Anytime, Taken: now}, s); diff != "" {
		t.Error(diff)
	}
	// RULE CAT-13: only static catalogs, only assigned machines.
	_, err = catalog.ManualSnapshot(quota.Random, catalog.NewMachine("PC-02", quota.Random, 1), "x", now)
	wantIDs(t, err, "CAT-13")
	if n := len(rule.Violations(err)); n != 2 {
		t.Errorf("%d problems reported, want 2 (type and assignment): %v", n, err)
	}
	_, err = catalog.ManualSnapshot(quota.Static, catalog.NewMachine("PC-03", quota.Static, 1), "x", now)
	wantIDs(t, err, "CAT-13")
	_, err = catalog.ManualSnapshot(quota.Static, m, "bad name", now)
	wantIDs(t, err, "API-5")

	// RULE CAT-13: scheduled snapshots cover every assigned machine of the catalog.
	ms := []catalog.Machine{m, catalog.NewMachine("PC-02", quota.Static, 1), assigned(t, "PC-03")}
	got := catalog.ScheduledSnapshots(quota.Static, ms, catalog.Daily, now)
	want := []catalog.Snapshot{
		{Name: "Daily_20260301T1000Z", Machine: "PC-01", Kind: catalog.Daily, Taken: now},
		{Name: "Daily_20260301T1000Z", Machine: "PC-03", Kind: catalog.Daily, Taken: now},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scheduled snapshots (-want +got):\n%s", diff)
	}
	for _, s := range got {
		if err := catalog.ValidateSnapshotName(s.Name); err != nil {
			t.Errorf("generated name: %v", err)
		}
	}
	if got := catalog.ScheduledSnapshots(quota.MultiSessionMachine, ms, catalog.Daily, now); len(got) != 0 {
		t.Errorf("snapshots in a multi-session catalog: %v", got)
	}
	if got := catalog.ScheduledSnapshots(quota.Static, ms, catalog.Anytime, now); len(got) != 0 {
		t.Errorf("scheduled snapshots of kind Anytime: %v", got)
	}

	// RULE CAT-13: restore from the machine's own snapshot; retry after failure.
	if err := catalog.CheckRestore(m, s); err != nil {
		t.Errorf("CheckRestore: %v", err)
	}
	wantIDs(t, catalog.CheckRestore(ms[2], s), "CAT-13")
	r, _ := m.Do(catalog.Restore)
	wantIDs(t, catalog.CheckRestore(r, s), "CAT-13")
	r, _ = r.Apply(catalog.RestoreFail)
	if err := catalog.CheckRestore(r, s); err != nil {
		t.Errorf("retry after a failed restore: %v", err)
	}
}

func TestSchedules(t *testing.T) {
	// RULE CAT-13: no schedule by default; daily and weekly at catalog
	// level; static catalogs only.
	var none catalog.Schedules
	if err := none.Validate(quota.Random); err != nil {
		t.Errorf("no schedules on a random catalog: %v", err)
	}
	if next, k := none.Next(t0, time.UTC); !next.IsZero() || k != 0 {
		t.Errorf("no schedules: Next = %v, %v", next, k)
	}
	both := catalog.Schedules{
		Daily:  catalog.Schedule{Kind: catalog.Daily, At: catalog.TimeOfDay{Hour: 2}},
		Weekly: catalog.Schedule{Kind: catalog.Weekly, Day: time.Sunday, At: catalog.TimeOfDay{Hour: 3, Minute: 30}},
	}
	if err := both.Validate(quota.Static); err != nil {
		t.Errorf("valid schedules: %v", err)
	}
	wantIDs(t, both.Validate(quota.MultiSessionMachine), "CAT-13")
	wantIDs(t, catalog.Schedules{Daily: catalog.Schedule{Kind: catalog.Weekly}}.Validate(quota.Static), "CAT-13")
	wantIDs(t, catalog.Schedules{Weekly: catalog.Schedule{Kind: catalog.Weekly, Day: 9}}.Validate(quota.Static), "CAT-13")
	wantIDs(t, catalog.Schedules{Daily: catalog.Schedule{Kind: catalog.Daily, At: catalog.TimeOfDay{Hour: 24}}}.Validate(quota.Static), "CAT-13")
	wantIDs(t, catalog.Schedules{Daily: catalog.Schedule{Kind: catalog.Anytime}}.Validate(quota.Static), "CAT-13")

	berlin := loadLoc(t, "Europe/Berlin")
	// Saturday 2026-03-07 23:00 in Berlin: next is the daily run at 02:00
	// on Sunday, then the weekly one at 03:30.
	after := time.Date(2026, 3, 7, 23, 0, 0, 0, berlin)
	next, k := both.Next(after, berlin)
	if !next.Equal(time.Date(2026, 3, 8, 2, 0, 0, 0, berlin)) || k != catalog.Daily {
		t.Errorf("Next = %v %v", next, k)
	}
	next, k = both.Next(next, berlin)
	if !next.Equal(time.Date(2026, 3, 8, 3, 30, 0, 0, berlin)) || k != catalog.Weekly {
		t.Errorf("Next = %v %v", next, k)
	}
}

func TestScheduleNextDST(t *testing.T) {
	ny := loadLoc(t, "America/New_York")
	apia := loadLoc(t, "Pacific/Apia")
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	daily := func(h, m int) catalog.Schedule {
		return catalog.Schedule{Kind: catalog.Daily, At: catalog.TimeOfDay{Hour: h, Minute: m}}
	}
	tests := []struct {
		name  string
		s     catalog.Schedule
		loc   *time.Location
		after time.Time
		want  time.Time
	}{
		{"ordinary day", daily(2, 30), ny, utc(2025, 3, 1, 0, 0), utc(2025, 3, 1, 7, 30)},
		// 2025-03-09 02:00 EST becomes 03:00 EDT: 02:30 does not exist and
		// runs when the clocks jump, 03:00 EDT = 07:00 UTC.
		{"skipped time runs when the clocks jump", daily(2, 30), ny, utc(2025, 3, 9, 5, 0), utc(2025, 3, 9, 7, 0)},
		{"after the skipped day", daily(2, 30), ny, utc(2025, 3, 9, 7, 0), utc(2025, 3, 10, 6, 30)},
		// 2025-11-02 02:00 EDT becomes 01:00 EST: 01:30 occurs twice and
		// runs at the first, 01:30 EDT = 05:30 UTC, and not at 06:30 UTC.
		{"repeated time runs at the first", daily(1, 30), ny, utc(2025, 11, 2, 4, 0), utc(2025, 11, 2, 5, 30)},
		{"repeated time runs once", daily(1, 30), ny, utc(2025, 11, 2, 5, 30), utc(2025, 11, 3, 6, 30)},
		{"weekly on the skipped Sunday", catalog.Schedule{Kind: catalog.Weekly, Day: time.Sunday, At: catalog.TimeOfDay{Hour: 2, Minute: 15}}, ny, utc(2025, 3, 3, 0, 0), utc(2025, 3, 9, 7, 0)},
		// Samoa skipped 2011-12-30: the run of the missing date comes at
		// the first instant after it, 2011-12-31 00:00 (+14) = 10:00 UTC on
		// the 30th, and the 31st still runs at 10:00.
		{"skipped date runs after it", daily(10, 0), apia, utc(2011, 12, 29, 21, 0), utc(2011, 12, 30, 10, 0)},
		{"the day after the skipped date", daily(10, 0), apia, utc(2011, 12, 30, 10, 0), utc(2011, 12, 30, 20, 0)},
		{"nil location is UTC", daily(0, 0), nil, utc(2026, 1, 1, 0, 0), utc(2026, 1, 2, 0, 0)},
	}
	for _, tt := range tests {
		t.Run("CAT-13 "+tt.name, func(t *testing.T) {
			got := tt.s.Next(tt.after, tt.loc)
			if !got.Equal(tt.want) {
				t.Errorf("Next(%v) = %v, want %v", tt.after.UTC(), got.UTC(), tt.want)
			}
			if tt.loc != nil {
				if brute := bruteNext(tt.s, tt.after, tt.loc); !brute.Equal(tt.want) {
					t.Errorf("brute force says %v", brute.UTC())
				}
			}
		})
	}
	if got := (catalog.Schedule{}).Next(t0, ny); !got.IsZero() {
		t.Errorf("no schedule: %v", got)
	}
}

// bruteNext is the model of Schedule.Next: it walks minute by minute from
// two days before after (so that every date before the window has run) to
// eight days after it, reading the wall clock in loc, and runs each date D
// at the first minute whose wall clock reads D at At or later, in date
// order. It returns the first run of a scheduled date after after.
func bruteNext(s catalog.Schedule, after time.Time, loc *time.Location) time.Time {
	start := after.Add(-48 * time.Hour).Truncate(time.Minute)
	end := after.Add(8 * 24 * time.Hour)
	at := time.Duration(s.At.Hour)*time.Hour + time.Duration(s.At.Minute)*time.Minute
	lt := start.In(loc)
	pending := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC)
	for t := start; !t.After(end); t = t.Add(time.Minute) {
		lt := t.In(loc)
		wall := time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), 0, 0, time.UTC)
		for !wall.Before(pending.Add(at)) {
			if (s.Kind == catalog.Daily || pending.Weekday() == s.Day) && t.After(after) {
				return t
			}
			pending = pending.AddDate(0, 0, 1)
		}
	}
	return time.Time{}
}

// Property (CAT-13): Schedule.Next agrees with the minute-by-minute model
// in zones with every kind of clock change (whole hours, half hours,
// changes at midnight, negative DST, a skipped date), with instants chosen
// near the changes.
func TestScheduleNextMatchesBruteForce(t *testing.T) {
	zones := []string{
		"America/New_York", "Europe/Berlin", "Europe/London", "Australia/Lord_Howe", "America/Santiago",
		"America/Havana", "Africa/Casablanca", "Pacific/Apia", "Pacific/Chatham", "Asia/Kolkata", "UTC",
	}
	locs := make([]*time.Location, len(zones))
	for i, z := range zones {
		locs[i] = loadLoc(t, z)
	}
	rapid.Check(t, func(t *rapid.T) {
		loc := rapid.SampledFrom(locs).Draw(t, "zone")
		base := time.Date(rapid.IntRange(2005, 2030).Draw(t, "year"), time.Month(rapid.IntRange(1, 12).Draw(t, "month")), 1, 0, 0, 0, 0, time.UTC)
		after := base.Add(time.Duration(rapid.Int64Range(0, int64(31*24*time.Hour)).Draw(t, "offset")))
		if rapid.Bool().Draw(t, "near a change") {
			if _, end := after.In(loc).ZoneBounds(); !end.IsZero() {
				after = end.Add(time.Duration(rapid.Int64Range(-int64(72*time.Hour), int64(24*time.Hour)).Draw(t, "from the change")))
			}
		}
		s := catalog.Schedule{
			Kind: rapid.SampledFrom([]catalog.SnapshotKind{catalog.Daily, catalog.Weekly}).Draw(t, "kind"),
			Day:  time.Weekday(rapid.IntRange(0, 6).Draw(t, "day")),
			At:   catalog.TimeOfDay{Hour: rapid.IntRange(0, 23).Draw(t, "hour"), Minute: rapid.SampledFrom([]int{0, 15, 30, 45, 59}).Draw(t, "minute")},
		}
		got, want := s.Next(after, loc), bruteNext(s, after, loc)
		if !got.Equal(want) {
			t.Fatalf("%v in %v after %v: Next = %v, brute force = %v", s, loc, after.In(loc), got.In(loc), want.In(loc))
		}
		if !got.After(after) {
			t.Fatalf("Next %v is not after %v", got, after)
		}
	})
}

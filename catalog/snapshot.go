package catalog

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
)

// SnapshotKind says how a snapshot was taken, named as in the Catalog
// Service API (API-5). The zero value is unset; as a Schedule's kind it
// means no schedule.
type SnapshotKind uint8

// The snapshot kinds (API-5).
const (
	Anytime SnapshotKind = iota + 1 // a manual snapshot of one machine
	Daily                           // taken by the catalog's daily schedule
	Weekly                          // taken by the catalog's weekly schedule
)

// String returns the API name, "Anytime", "Daily" or "Weekly".
func (k SnapshotKind) String() string {
	switch k {
	case Anytime:
		return "Anytime"
	case Daily:
		return "Daily"
	case Weekly:
		return "Weekly"
	}
	return "SnapshotKind(" + strconv.Itoa(int(k)) + ")"
}

// ParseSnapshotKind returns the snapshot kind whose API name is s, ignoring
// case; "manual" is accepted for Anytime.
func ParseSnapshotKind(s string) (SnapshotKind, error) {
	switch strings.ToLower(s) {
	case "anytime", "manual":
		return Anytime, nil
	case "daily":
		return Daily, nil
	case "weekly":
		return Weekly, nil
	}
	return 0, rule.Errorf("API-5", "snapshot kind %q is unknown; want Anytime, Daily or Weekly", s)
}

// MaxSnapshotName bounds a snapshot's name in characters (a decision:
// Azure's limit on snapshot resource names).
const MaxSnapshotName = 80

// ValidateSnapshotName reports, as an API-5 violation, why name cannot
// name a snapshot, or nil: 1 to 80 ASCII letters, digits and '_'.
func ValidateSnapshotName(name string) error {
	n := utf8.RuneCountInString(name)
	if n < 1 || n > MaxSnapshotName {
		return rule.Errorf("API-5", "snapshot name %q is %d characters; want 1 to %d letters, digits and '_'", name, n, MaxSnapshotName)
	}
	pos := 0
	for _, r := range name {
		pos++
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return rule.Errorf("API-5", "snapshot name %q has %q at position %d; use only letters, digits and '_'", name, r, pos)
		}
	}
	return nil
}

// Snapshot is one snapshot of one machine (CAT-13).
type Snapshot struct {
	Name    string
	Machine string
	Kind    SnapshotKind
	Taken   time.Time
}

// String returns "Before_patch (Anytime) of PC-01 at 2026-03-01T10:00:00Z".
func (s Snapshot) String() string {
	return fmt.Sprintf("%s (%v) of %s at %s", s.Name, s.Kind, s.Machine, s.Taken.Format(time.RFC3339))
}

// CheckSnapshots reports, as an error, why machine m of a catalog of type
// mt cannot have snapshots, or nil (CAT-13): snapshots are only for machines
// of static catalogs that are assigned to a user, and not for a deleted
// machine.
func CheckSnapshots(mt quota.MachineType, m Machine) error {
	var l rule.List
	if mt != quota.Static {
		l.Add("CAT-13", "machine %q is in a %v catalog; snapshots are supported only in static catalogs", m.Name, mt)
	}
	if m.Assigned == "" {
		l.Add("CAT-13", "machine %q is not assigned to a user; snapshots are supported only for assigned machines", m.Name)
	}
	if m.Deleted {
		l.Add("CAT-13", "machine %q is deleted", m.Name)
	}
	return l.Err()
}

// ManualSnapshot returns the manual snapshot named name of machine m in a
// catalog of type mt, taken at now (CAT-13, API-5), or every problem:
// the machine must allow snapshots (CheckSnapshots) and the name must be
// valid (ValidateSnapshotName). A machine may have manual snapshots whether
// or not its catalog has schedules. Names are unique per machine, which the
// Tenant checks.
func ManualSnapshot(mt quota.MachineType, m Machine, name string, now time.Time) (Snapshot, error) {
	var l rule.List
	l.Append(CheckSnapshots(mt, m))
	l.Append(ValidateSnapshotName(name))
	if err := l.Err(); err != nil {
		return Snapshot{}, err
	}
	return Snapshot{Name: name, Machine: m.Name, Kind: Anytime, Taken: now}, nil
}

// ScheduledSnapshots returns the snapshots a catalog schedule of kind k
// (Daily or Weekly) takes at now: one for each machine that allows
// snapshots (CAT-13), named like "Daily_20260301T0200Z", in the order of
// machines. A catalog that is not static gets none.
func ScheduledSnapshots(mt quota.MachineType, machines []Machine, k SnapshotKind, now time.Time) []Snapshot {
	if k != Daily && k != Weekly {
		return nil
	}
	name := k.String() + "_" + now.UTC().Format("20060102T1504Z")
	var out []Snapshot
	for _, m := range machines {
		if CheckSnapshots(mt, m) == nil {
			out = append(out, Snapshot{Name: name, Machine: m.Name, Kind: k, Taken: now})
		}
	}
	return out
}

// CheckRestore reports, as an error, why snapshot s cannot be restored onto
// machine m now, or nil (CAT-13): s must be a snapshot of m, and m must
// allow the Restore action (see Machine.Do): a static machine assigned to
// a user, no restore running (a failed one may be retried), not deleted.
func CheckRestore(m Machine, s Snapshot) error {
	var l rule.List
	if s.Machine != m.Name {
		l.Add("CAT-13", "snapshot %q is of machine %q, not %q; restore a machine only from its own snapshots", s.Name, s.Machine, m.Name)
	}
	if why, id := m.refusal(Restore); why != "" {
		l.Append(m.refuse(Restore.String(), why, id))
	}
	return l.Err()
}

// Schedule is one automatic snapshot schedule of a catalog (CAT-13):
// daily at a time, or weekly on a day at a time, in the catalog's time zone.
// The zero value (Kind 0) is no schedule.
type Schedule struct {
	Kind SnapshotKind // Daily or Weekly; 0 for none
	Day  time.Weekday // the day of a Weekly schedule
	At   TimeOfDay    // the start time, on the wall clock of the catalog's time zone
}

// Enabled reports whether s is a schedule rather than none.
func (s Schedule) Enabled() bool { return s.Kind != 0 }

// Validate reports every problem of s (CAT-13): a kind of Daily or Weekly
// (or none), a valid time, and for Weekly a day from Sunday to Saturday.
func (s Schedule) Validate() error {
	var l rule.List
	if !s.Enabled() {
		return nil
	}
	if s.Kind != Daily && s.Kind != Weekly {
		l.Add("CAT-13", "schedule kind %v is not Daily or Weekly", s.Kind)
	}
	if !s.At.IsValid() {
		l.Add("CAT-13", "schedule time %d:%d is not a time of day; want 00:00 to 23:59", s.At.Hour, s.At.Minute)
	}
	if s.Kind == Weekly && (s.Day < time.Sunday || s.Day > time.Saturday) {
		l.Add("CAT-13", "weekly schedule day %d is not a day of the week", int(s.Day))
	}
	return l.Err()
}

// String returns "daily at 02:00", "weekly on Sunday at 03:30" or "none".
func (s Schedule) String() string {
	switch s.Kind {
	case 0:
		return "none"
	case Daily:
		return "daily at " + s.At.String()
	case Weekly:
		return "weekly on " + s.Day.String() + " at " + s.At.String()
	}
	return s.Kind.String() + " at " + s.At.String()
}

// Next returns the first run of s strictly after the instant after, with
// the wall clock read in loc, the catalog's time zone (nil means UTC).
// It returns the zero Time for no schedule or an invalid one.
//
// A run is due on each scheduled local date D (every date for Daily,
// those on Day for Weekly) at the first instant whose wall clock in loc
// reads D at At or later. On the days clocks change this means:
//
//   - a time that does not exist (skipped when clocks go forward) runs at
//     the instant the clocks jump, the first valid local time after it:
//     02:30 on a day when 02:00 becomes 03:00 runs at 03:00;
//   - a time that occurs twice (when clocks go back) runs once, at its
//     first occurrence: 01:30 on a day when 02:00 becomes 01:00 runs at the
//     first 01:30, in daylight time;
//   - a date skipped entirely (a zone moving across the date line) runs at
//     the first instant after it, so no scheduled date is silently lost;
//     two dates whose runs fall on the same instant run once.
func (s Schedule) Next(after time.Time, loc *time.Location) time.Time {
	if !s.Enabled() || s.Validate() != nil {
		return time.Time{}
	}
	if loc == nil {
		loc = time.UTC
	}
	y, mo, d := after.In(loc).Date()
	// Runs are nondecreasing in their date, so the first date whose run
	// lies after `after` gives the answer. Starting two days early covers
	// any offset change; eleven days cover a week plus a skipped date.
	for i := -2; i <= 9; i++ {
		day := time.Date(y, mo, d+i, 12, 0, 0, 0, time.UTC)
		if s.Kind == Weekly && day.Weekday() != s.Day {
			continue
		}
		r := firstAtOrAfter(day.Year(), day.Month(), day.Day(), s.At, loc)
		if r.After(after) {
			return r
		}
	}
	return time.Time{}
}

// firstAtOrAfter returns the first instant whose wall clock in loc reads
// the date y-mo-d at time at, or later.
func firstAtOrAfter(y int, mo time.Month, d int, at TimeOfDay, loc *time.Location) time.Time {
	// w is the wall clock as seconds, read as if it were UTC; an instant t
	// in a zone of offset off shows wall clock t+off.
	w := time.Date(y, mo, d, at.Hour, at.Minute, 0, 0, time.UTC).Unix()
	// No offset exceeds 26 hours, so no instant before this shows w.
	t := time.Unix(w-26*3600, 0).In(loc)
	for range 256 {
		_, off := t.Zone()
		_, end := t.ZoneBounds()
		cand := max(t.Unix(), w-int64(off))
		if end.IsZero() || cand < end.Unix() {
			return time.Unix(cand, 0).In(loc)
		}
		t = end.In(loc)
	}
	return time.Time{}
}

// Schedules are a catalog's automatic snapshot schedules (CAT-13): at most
// one daily and one weekly, set at catalog level only. The zero value has
// none, the default.
type Schedules struct {
	Daily  Schedule // Kind Daily, or none
	Weekly Schedule // Kind Weekly, or none
}

// Validate reports every problem of the schedules for a catalog of type mt
// (CAT-13): Daily holds a daily schedule or none, Weekly a weekly one or
// none, each valid, and schedules only in static catalogs.
func (s Schedules) Validate(mt quota.MachineType) error {
	var l rule.List
	if s.Daily.Enabled() && s.Daily.Kind != Daily {
		l.Add("CAT-13", "the daily schedule is of kind %v; want Daily", s.Daily.Kind)
	}
	if s.Weekly.Enabled() && s.Weekly.Kind != Weekly {
		l.Add("CAT-13", "the weekly schedule is of kind %v; want Weekly", s.Weekly.Kind)
	}
	l.Append(s.Daily.Validate())
	l.Append(s.Weekly.Validate())
	if (s.Daily.Enabled() || s.Weekly.Enabled()) && mt != quota.Static {
		l.Add("CAT-13", "snapshot schedules given for a %v catalog; snapshots are supported only in static catalogs", mt)
	}
	return l.Err()
}

// Next returns the first run of either schedule strictly after after, in
// the catalog's time zone loc, and the kind of the schedule it is (the
// daily one when both run at the same instant). It returns the zero Time and 0 when there is no
// schedule.
func (s Schedules) Next(after time.Time, loc *time.Location) (time.Time, SnapshotKind) {
	d, w := s.Daily.Next(after, loc), s.Weekly.Next(after, loc)
	switch {
	case d.IsZero() && w.IsZero():
		return time.Time{}, 0
	case w.IsZero() || !d.IsZero() && !w.Before(d):
		return d, s.Daily.Kind
	}
	return w, s.Weekly.Kind
}

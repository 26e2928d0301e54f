package catalog

import (
	"fmt"
	"strings"
	"time"
)

// TimeOfDay is a wall-clock time of day to the minute, in whatever time
// zone it is used with: a snapshot's start time or the bounds of peak
// hours. The zero value is midnight, 00:00, and is valid.
type TimeOfDay struct {
	Hour   int // 0–23
	Minute int // 0–59
}

// IsValid reports whether t is a time of day from 00:00 to 23:59.
func (t TimeOfDay) IsValid() bool {
	return t.Hour >= 0 && t.Hour < 24 && t.Minute >= 0 && t.Minute < 60
}

// Minutes returns the number of minutes since midnight.
func (t TimeOfDay) Minutes() int { return t.Hour*60 + t.Minute }

// Before reports whether t is earlier in the day than u.
func (t TimeOfDay) Before(u TimeOfDay) bool { return t.Minutes() < u.Minutes() }

// String returns the time as "HH:MM", such as "08:30".
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

// ParseTimeOfDay parses a 24-hour time written "HH:MM" or "H:MM", such as
// "8:30" or "23:05". Nothing else is accepted, not even surrounding space.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	bad := func(msg string) (TimeOfDay, error) {
		return TimeOfDay{}, fmt.Errorf("catalog: time of day %q %s; want HH:MM from 00:00 to 23:59", s, msg)
	}
	h, m, ok := strings.Cut(s, ":")
	if !ok {
		return bad("has no ':'")
	}
	if len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return bad("is not H:MM or HH:MM")
	}
	hour, okh := digits(h)
	minute, okm := digits(m)
	if !okh || !okm {
		return bad("has a character that is not a digit")
	}
	t := TimeOfDay{Hour: hour, Minute: minute}
	if !t.IsValid() {
		return bad("is out of range")
	}
	return t, nil
}

// MustParseTimeOfDay is ParseTimeOfDay for constants in programs and tests;
// it panics if s does not parse.
func MustParseTimeOfDay(s string) TimeOfDay {
	t, err := ParseTimeOfDay(s)
	if err != nil {
		panic(err)
	}
	return t
}

// digits returns the value of a string of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// Weekdays is a set of days of the week, such as the days of peak hours.
// The zero value is the empty set.
type Weekdays uint8

// WorkingDays is Monday to Friday.
const WorkingDays Weekdays = 1<<time.Monday | 1<<time.Tuesday | 1<<time.Wednesday | 1<<time.Thursday | 1<<time.Friday

// WeekdaysOf returns the set holding days; days outside Sunday–Saturday are
// ignored.
func WeekdaysOf(days ...time.Weekday) Weekdays {
	var w Weekdays
	for _, d := range days {
		if d >= time.Sunday && d <= time.Saturday {
			w |= 1 << d
		}
	}
	return w
}

// Has reports whether d is in the set.
func (w Weekdays) Has(d time.Weekday) bool {
	return d >= time.Sunday && d <= time.Saturday && w&(1<<d) != 0
}

// Days returns the days of the set from Sunday to Saturday.
func (w Weekdays) Days() []time.Weekday {
	var ds []time.Weekday
	for d := time.Sunday; d <= time.Saturday; d++ {
		if w.Has(d) {
			ds = append(ds, d)
		}
	}
	return ds
}

// String lists the days by their three-letter names from Sunday, such as
// "Mon,Tue,Wed,Thu,Fri", or "none".
func (w Weekdays) String() string {
	ds := w.Days()
	if len(ds) == 0 {
		return "none"
	}
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.String()[:3]
	}
	return strings.Join(names, ",")
}

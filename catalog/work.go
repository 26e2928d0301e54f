package catalog

import (
	"strconv"
	"strings"
	"time"

	"github.com/daasflex/daasflex/rule"
)

// WorkSchedule is when a catalog's users work (CAT-4): their time zone and
// the autoscale settings that power machines for them. The zero value has no
// time zone, which Validate refuses, and the recommended autoscale settings.
type WorkSchedule struct {
	// TimeZone is the users' time zone by its IANA name, such as
	// "Europe/Berlin" or "UTC". Peak hours and snapshot times are in it.
	TimeZone  string
	Autoscale Autoscale
}

// Location returns the schedule's time zone, loaded from the time zone
// database (time.LoadLocation), or a CAT-4 violation when TimeZone is empty,
// "Local" or not an IANA name the database knows.
func (w WorkSchedule) Location() (*time.Location, error) {
	switch w.TimeZone {
	case "":
		return nil, rule.Errorf("CAT-4", "no time zone; choose the users' time zone by its IANA name, such as Europe/Berlin or UTC")
	case "Local":
		return nil, rule.Errorf("CAT-4", "time zone %q is the server's own; choose the users' time zone by its IANA name, such as Europe/Berlin", w.TimeZone)
	}
	loc, err := time.LoadLocation(w.TimeZone)
	if err != nil {
		return nil, rule.Errorf("CAT-4", "time zone %q is not an IANA time zone name; want one such as Europe/Berlin, America/New_York or UTC", w.TimeZone)
	}
	return loc, nil
}

// Validate reports every problem of the work schedule at once (CAT-4):
// the time zone and the autoscale settings.
func (w WorkSchedule) Validate() error {
	var l rule.List
	if _, err := w.Location(); err != nil {
		l.Append(err)
	}
	l.Append(w.Autoscale.Validate())
	return l.Err()
}

// PowerAction is what autoscale does with a machine nobody uses (CAT-4).
// The zero value is unset.
type PowerAction uint8

// The power actions.
const (
	ShutDown  PowerAction = iota + 1 // shut the machine down and deallocate it
	Hibernate                        // hibernate the machine; it shows as suspended (MON-1)
)

// String returns "shut down" or "hibernate".
func (a PowerAction) String() string {
	switch a {
	case ShutDown:
		return "shut down"
	case Hibernate:
		return "hibernate"
	}
	return "PowerAction(" + strconv.Itoa(int(a)) + ")"
}

// IsValid reports whether a is ShutDown or Hibernate.
func (a PowerAction) IsValid() bool { return a == ShutDown || a == Hibernate }

// Bounds of the autoscale timeouts (a decision: the documentation gives
// none; whole minutes from one minute to one day).
const (
	MinTimeout = time.Minute
	MaxTimeout = 24 * time.Hour
)

// Autoscale is the autoscale setting of a catalog (CAT-4): the recommended
// defaults, or custom peak hours, timeouts and power policy.
//
// The zero value chooses the recommended defaults (Custom false, every other
// field zero); Effective returns them. With Custom set, every field must be
// given.
type Autoscale struct {
	Custom bool // false: Citrix's recommended settings (RecommendedAutoscale)

	PeakDays  Weekdays  // days with peak hours
	PeakStart TimeOfDay // start of peak hours in the schedule's time zone
	PeakEnd   TimeOfDay // end of peak hours, after PeakStart on the same day

	// DisconnectTimeout is how long a disconnected session is kept before
	// the user is signed out.
	DisconnectTimeout time.Duration
	// PowerOffDelay is how long a machine without sessions stays on before
	// autoscale applies OffPolicy.
	PowerOffDelay time.Duration
	// OffPolicy is what autoscale does with such a machine.
	OffPolicy PowerAction
}

// RecommendedAutoscale returns Citrix's recommended settings, as custom
// values so they can be shown and adjusted. The documentation does not
// publish them; the decision is peak hours Monday to Friday 08:00–18:00,
// disconnected sessions signed out after 15 minutes, idle machines shut
// down after 30 minutes.
func RecommendedAutoscale() Autoscale {
	return Autoscale{
		Custom:            true,
		PeakDays:          WorkingDays,
		PeakStart:         TimeOfDay{Hour: 8},
		PeakEnd:           TimeOfDay{Hour: 18},
		DisconnectTimeout: 15 * time.Minute,
		PowerOffDelay:     30 * time.Minute,
		OffPolicy:         ShutDown,
	}
}

// Effective returns the settings in force: a's own when Custom, the
// recommended ones otherwise.
func (a Autoscale) Effective() Autoscale {
	if !a.Custom {
		return RecommendedAutoscale()
	}
	return a
}

// Validate reports every problem of the autoscale settings at once (CAT-4).
// The recommended settings must leave every other field zero, so that a
// custom value is never silently ignored. Custom settings need at least one
// peak day, peak hours that start before they end on the same day,
// timeouts of whole minutes from 1 minute to 24 hours, and a power policy.
func (a Autoscale) Validate() error {
	var l rule.List
	if !a.Custom {
		if a != (Autoscale{}) {
			l.Add("CAT-4", "autoscale settings are given but Custom is not set; set Custom to use them, or clear them for the recommended defaults")
		}
		return l.Err()
	}
	if a.PeakDays&^(1<<7-1) != 0 {
		l.Add("CAT-4", "peak days %08b hold a day outside Sunday–Saturday", uint8(a.PeakDays))
	} else if a.PeakDays == 0 {
		l.Add("CAT-4", "custom autoscale has no peak days; choose at least one day, such as Monday to Friday")
	}
	okStart, okEnd := a.PeakStart.IsValid(), a.PeakEnd.IsValid()
	if !okStart {
		l.Add("CAT-4", "peak start %d:%d is not a time of day; want 00:00 to 23:59", a.PeakStart.Hour, a.PeakStart.Minute)
	}
	if !okEnd {
		l.Add("CAT-4", "peak end %d:%d is not a time of day; want 00:00 to 23:59", a.PeakEnd.Hour, a.PeakEnd.Minute)
	}
	if okStart && okEnd && !a.PeakStart.Before(a.PeakEnd) {
		l.Add("CAT-4", "peak hours %s–%s do not start before they end; want a start earlier on the same day than the end", a.PeakStart, a.PeakEnd)
	}
	checkTimeout(&l, "disconnect timeout", a.DisconnectTimeout)
	checkTimeout(&l, "power-off delay", a.PowerOffDelay)
	if !a.OffPolicy.IsValid() {
		l.Add("CAT-4", "power policy %v is not one of: shut down, hibernate", a.OffPolicy)
	}
	return l.Err()
}

func checkTimeout(l *rule.List, what string, d time.Duration) {
	if d < MinTimeout || d > MaxTimeout || d%time.Minute != 0 {
		l.Add("CAT-4", "%s %v is not whole minutes from %v to %v", what, d, MinTimeout, MaxTimeout)
	}
}

// InPeak reports whether the instant t falls in the peak hours of a's
// effective settings, read in loc (nil means UTC): on a peak day, at or after
// PeakStart and before PeakEnd on the wall clock.
func (a Autoscale) InPeak(t time.Time, loc *time.Location) bool {
	if loc == nil {
		loc = time.UTC
	}
	e := a.Effective()
	lt := t.In(loc)
	if !e.PeakDays.Has(lt.Weekday()) {
		return false
	}
	m := lt.Hour()*60 + lt.Minute()
	return m >= e.PeakStart.Minutes() && m < e.PeakEnd.Minutes()
}

// String summarises the settings, such as "recommended" or
// "custom: Mon,Tue,Wed,Thu,Fri 08:00–18:00, disconnect 15m0s, power off after 30m0s: shut down".
func (a Autoscale) String() string {
	if !a.Custom {
		return "recommended"
	}
	var b strings.Builder
	b.WriteString("custom: ")
	b.WriteString(a.PeakDays.String())
	b.WriteString(" " + a.PeakStart.String() + "–" + a.PeakEnd.String())
	b.WriteString(", disconnect " + a.DisconnectTimeout.String())
	b.WriteString(", power off after " + a.PowerOffDelay.String() + ": " + a.OffPolicy.String())
	return b.String()
}

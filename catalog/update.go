package catalog

import (
	"cmp"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
)

// UpdateTiming is when the machines of a random or multi-session catalog
// move to a new image (CAT-7). The zero value is unset: right for a static
// catalog, which offers no choice.
type UpdateTiming uint8

// The update timings.
const (
	// OnNextShutdown updates each machine the next time it shuts down;
	// users are shown the notification message.
	OnNextShutdown UpdateTiming = iota + 1
	// Immediately shuts down and restarts every machine on the new image,
	// spread over the distribution time.
	Immediately
)

// String returns "on next shutdown" or "immediately".
func (t UpdateTiming) String() string {
	switch t {
	case OnNextShutdown:
		return "on next shutdown"
	case Immediately:
		return "immediately"
	}
	return "UpdateTiming(" + strconv.Itoa(int(t)) + ")"
}

// Bounds of an image update (a decision: the documentation shows "Update
// all machines within 30 minutes" without listing the choices).
const (
	MaxDistribution    = 24 * time.Hour // the longest distribution time
	MaxNotificationLen = 1_024          // characters of the user notification message
)

// UpdateRequest is what an administrator chooses to update a catalog's
// image (CAT-7). For a static catalog only Image is given.
type UpdateRequest struct {
	Image  string       // the new image's name
	Timing UpdateTiming // random and multi-session catalogs only
	// Message is the notification shown to users: required on next
	// shutdown, optional immediately.
	Message string
	// Distribution is the window over which Immediately restarts the
	// machines, 0 to 24 hours; 0 restarts them all at once.
	Distribution time.Duration
	// Start is when the update is submitted (now); immediate restarts are
	// spread from it.
	Start time.Time
}

// UpdateStep is one machine's move to the new image.
type UpdateStep struct {
	Machine string
	From    string // the image the machine runs now
	// At is when the machine is restarted on the new image; the zero
	// Time for an update on its next shutdown.
	At time.Time
}

// UpdatePlan is what an image update does (CAT-7): the machines that move
// to the new image and when, the machines that keep their image, and the
// image new machines are made from.
type UpdatePlan struct {
	Image   string       // the new image: every machine added from now on uses it
	Timing  UpdateTiming // 0 for a static catalog
	Message string       // the notification shown to users, if any
	Steps   []UpdateStep // machines moving to Image, in the order they move
	Kept    []string     // machines keeping their own image, sorted by name
}

// PlanImageUpdate returns the plan of updating the image of a catalog of type
// mt with the given machines (CAT-7), or every problem of the request:
//
//   - random and multi-session catalogs update every machine that is not
//     already on the new image: OnNextShutdown each at its next shutdown,
//     with a notification message; Immediately restarting them over the
//     distribution time, machine i of n (sorted by name) at Start +
//     i × Distribution ÷ n, so all restarts fall in [Start, Start +
//     Distribution) and the spacing is even and deterministic;
//   - static catalogs keep every existing machine on its own image and give
//     machines added later the new image; they take no timing, message or
//     distribution time.
//
// Deleted machines are left out. The caller checks the image itself first
// (image.Compatible for IMG-8, image.CheckGenerationSwitch for IMG-9).
func PlanImageUpdate(mt quota.MachineType, machines []Machine, req UpdateRequest) (UpdatePlan, error) {
	var l rule.List
	if strings.TrimSpace(req.Image) == "" {
		l.Add("CAT-7", "no image; choose the image to update the catalog with")
	}
	if n := utf8.RuneCountInString(req.Message); n > MaxNotificationLen {
		l.Add("CAT-7", "the notification message is %d characters; at most %d", n, MaxNotificationLen)
	}
	switch mt {
	case quota.Static:
		if req.Timing != 0 || req.Message != "" || req.Distribution != 0 {
			l.Add("CAT-7", "a static catalog keeps its machines on their image and updates none; give no timing, message or distribution time")
		}
	case quota.Random, quota.MultiSessionMachine:
		switch req.Timing {
		case OnNextShutdown:
			if strings.TrimSpace(req.Message) == "" {
				l.Add("CAT-7", "an update on next shutdown needs a notification message for the users, such as \"Your computer will be updated and restarted\"")
			}
			if req.Distribution != 0 {
				l.Add("CAT-7", "a distribution time of %v is given for an update on next shutdown; it applies only to immediate updates", req.Distribution)
			}
		case Immediately:
			if req.Distribution < 0 || req.Distribution > MaxDistribution {
				l.Add("CAT-7", "distribution time %v is out of range; want 0 to %v", req.Distribution, MaxDistribution)
			}
		default:
			l.Add("CAT-7", "update timing %v is not on next shutdown or immediately; a %v catalog must choose", req.Timing, mt)
		}
	default:
		l.Add("CAT-1", "machine type %v is unknown; want static, random or multi-session", mt)
	}
	if err := l.Err(); err != nil {
		return UpdatePlan{}, err
	}

	// Sort small name/image pairs rather than whole machines.
	type entry struct{ name, image string }
	live := make([]entry, 0, len(machines))
	for _, m := range machines {
		if !m.Deleted {
			live = append(live, entry{m.Name, m.Image})
		}
	}
	slices.SortFunc(live, func(a, b entry) int { return cmp.Compare(a.name, b.name) })

	plan := UpdatePlan{Image: req.Image, Timing: req.Timing, Message: req.Message}
	if mt == quota.Static {
		for _, m := range live {
			plan.Kept = append(plan.Kept, m.name)
		}
		return plan, nil
	}
	moving := live[:0]
	for _, m := range live {
		if m.image != req.Image {
			moving = append(moving, m)
		}
	}
	n := uint64(len(moving))
	if n > 0 {
		plan.Steps = make([]UpdateStep, 0, n)
	}
	for i, m := range moving {
		step := UpdateStep{Machine: m.name, From: m.image}
		if req.Timing == Immediately {
			step.At = req.Start.Add(spread(req.Distribution, uint64(i), n))
		}
		plan.Steps = append(plan.Steps, step)
	}
	return plan, nil
}

// spread returns d × i ÷ n without overflow, for 0 ≤ d, i < n.
func spread(d time.Duration, i, n uint64) time.Duration {
	hi, lo := bits.Mul64(uint64(d), i)
	q, _ := bits.Div64(hi, lo, n)
	return time.Duration(q)
}

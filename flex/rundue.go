package flex

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/network"
)

// DueReport says what RunDue ran and what it warns about.
type DueReport struct {
	At       time.Time         // the clock's time RunDue ran at
	Ran      []string          // what ran, one line each
	Warnings []network.Warning // what needs an administrator's attention
}

// dueFunc is the shape of each part of RunDue: it runs what is due at now
// and says what it ran and what it warns about. An error does not stop the
// other parts.
type dueFunc func(ctx context.Context, now time.Time) (ran []string, warnings []network.Warning, err error)

// RunDue runs whatever is due at the clock's now: the snapshot schedules
// of catalogs (CAT-13, in each catalog's time zone), image updates spread
// over a distribution time (CAT-7), Cloud Connector updates (RL-5, one
// connector at a time), the detection of connections stuck provisioning
// (NET-12), the shutdown of bastions on too long and the warning for those
// older than three days (TRB-2), and the warnings for keys past their
// rotation time (KEY-2). It returns what ran and the warnings; an error of
// one part does not stop the others, and every error is returned, joined.
func (t *Tenant) RunDue(ctx context.Context) (DueReport, error) {
	const op = "RunDue"
	if err := t.authorize(ctx, op, true); err != nil {
		return DueReport{}, err
	}
	now := t.now()
	r := DueReport{At: now}
	var errs []error
	for _, part := range []dueFunc{t.dueSnapshots, t.dueImageUpdates, t.dueConnectorUpdates, t.dueConnections, t.dueBastions, t.dueKeys} {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		ran, warns, err := part(ctx, now)
		r.Ran = append(r.Ran, ran...)
		r.Warnings = append(r.Warnings, warns...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return r, &Error{Kind: KindOf(err), Op: op, Object: "tenant " + t.id, Err: err}
	}
	return r, nil
}

// dueSnapshots takes the scheduled snapshots that are due (CAT-13).
func (t *Tenant) dueSnapshots(ctx context.Context, now time.Time) ([]string, []network.Warning, error) {
	ran, err := t.runSchedules(ctx, now)
	return ran, nil, err
}

// dueImageUpdates moves the machines whose immediate image update is due
// to their new image (CAT-7).
func (t *Tenant) dueImageUpdates(ctx context.Context, now time.Time) ([]string, []network.Warning, error) {
	type job struct {
		c  *catalogObj
		ms []*machineObj
	}
	var jobs []job
	t.mu.Lock()
	for _, c := range t.catalogs {
		if c.status.Busy() {
			continue
		}
		var ms []*machineObj
		for _, m := range c.machines {
			if m.pendingImage != "" && !m.updateAt.IsZero() && !m.updateAt.After(now) && m.busy == "" && m.m.Restore != catalog.RestoreRunning {
				m.busy = "updating the image"
				ms = append(ms, m)
			}
		}
		if len(ms) > 0 {
			jobs = append(jobs, job{c, ms})
		}
	}
	t.mu.Unlock()
	slices.SortFunc(jobs, func(a, b job) int { return compareFold(a.c.name, b.c.name) })
	var ran []string
	var errs []error
	for _, j := range jobs {
		if err := t.reimage(ctx, "RunDue", j.c, j.ms); err != nil {
			errs = append(errs, fmt.Errorf("CAT-7: updating the image of catalog %q: %w", j.c.name, err))
			continue
		}
		ran = append(ran, fmt.Sprintf("moved %d machine(s) of catalog %q to their new image", len(j.ms), j.c.name))
	}
	return ran, nil, errors.Join(errs...)
}

// dueConnectorUpdates rolls out published connector updates that are due
// at each resource location's update time, one connector at a time (RL-5).
func (t *Tenant) dueConnectorUpdates(ctx context.Context, now time.Time) ([]string, []network.Warning, error) {
	t.mu.Lock()
	var due []*locationObj
	for _, l := range t.locations {
		if !l.pending && l.updateDue(now) {
			due = append(due, l)
		}
	}
	t.mu.Unlock()
	slices.SortFunc(due, func(a, b *locationObj) int { return compareFold(a.id, b.id) })
	var ran []string
	var errs []error
	for _, l := range due {
		s, err := t.rollOutUpdate(ctx, l)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if s != "" {
			ran = append(ran, s)
		}
	}
	return ran, nil, errors.Join(errs...)
}

// compareFold compares two names ignoring case.
func compareFold(a, b string) int {
	switch fa, fb := fold(a), fold(b); {
	case fa < fb:
		return -1
	case fa > fb:
		return 1
	}
	return 0
}

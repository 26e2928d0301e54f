package flex

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
)

// MachineSnapshot is a snapshot of a machine's OS disk as the Tenant
// reports it (CAT-13, API-5).
type MachineSnapshot struct {
	Name    string
	Catalog string
	Machine string
	Kind    catalog.SnapshotKind // Anytime (manual), Daily or Weekly
	Taken   time.Time
	// Incremental reports whether the cloud stores it as a change since
	// the disk's previous snapshot (AZ-8).
	Incremental bool
}

// snapshotObj is one snapshot of a machine.
type snapshotObj struct {
	s           catalog.Snapshot
	id          ResourceID
	incremental bool
}

// snapshotID returns the cloud ID of the snapshot named name of machine m
// of c: "<machine>_<name>", at most 80 characters (the longer ones cut and
// told apart by a hash).
func snapshotID(c *catalogObj, machine, name string) ResourceID {
	s := machine + "_" + name
	if len(s) > 80 {
		h := fnv.New32a()
		h.Write([]byte(s))
		s = fmt.Sprintf("%s_%08x", s[:71], h.Sum32())
	}
	return ResourceID{Subscription: c.group.Subscription, ResourceGroup: c.group.Name, Type: TypeSnapshot, Name: s}
}

func snapshotView(c *catalogObj, s *snapshotObj) MachineSnapshot {
	return MachineSnapshot{Name: s.s.Name, Catalog: c.name, Machine: s.s.Machine, Kind: s.s.Kind, Taken: s.s.Taken, Incremental: s.incremental}
}

// ScheduleSnapshots sets the daily and weekly snapshot schedules of a
// catalog (CAT-13): at catalog level only, for static catalogs only, none
// by default; the zero Schedules removes both. Their times are on the wall
// clock of the catalog's time zone. RunDue takes the snapshots when they
// are due, of every machine assigned to a user.
func (t *Tenant) ScheduleSnapshots(ctx context.Context, catalogName string, s catalog.Schedules) (Catalog, error) {
	const op = "ScheduleSnapshots"
	obj := fmt.Sprintf("catalog %q", catalogName)
	if err := t.authorize(ctx, op, true); err != nil {
		return Catalog{}, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	c, err := t.catalog(op, catalogName)
	if err != nil {
		return Catalog{}, err
	}
	if err := s.Validate(c.mt); err != nil {
		return Catalog{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	if err := c.status.CheckChange("scheduling snapshots"); err != nil {
		return Catalog{}, wrap(op, obj, err)
	}
	c.schedules = s
	c.schedFrom = t.now()
	return t.catalogView(c), nil
}

// TakeSnapshot takes a manual (Anytime) snapshot of one machine now
// (CAT-13): of a static catalog's machine assigned to a user, with a name
// of letters, digits and '_' (API-5) unique among the machine's snapshots.
func (t *Tenant) TakeSnapshot(ctx context.Context, catalogName, machine, name string) (MachineSnapshot, error) {
	const op = "TakeSnapshot"
	obj := fmt.Sprintf("machine %q", machine)
	if err := t.authorize(ctx, op, true); err != nil {
		return MachineSnapshot{}, err
	}
	t.mu.Lock()
	c, m, err := t.machineOf(op, catalogName, machine)
	if err != nil {
		t.mu.Unlock()
		return MachineSnapshot{}, err
	}
	s, err := catalog.ManualSnapshot(c.mt, m.m, name, t.now())
	if err != nil {
		t.mu.Unlock()
		return MachineSnapshot{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	if slices.ContainsFunc(m.snapshots, func(o *snapshotObj) bool { return strings.EqualFold(o.s.Name, name) }) {
		t.mu.Unlock()
		return MachineSnapshot{}, Errorf(ErrConflict, op, obj, "API-5: the machine already has a snapshot named %q; choose another name", name)
	}
	if err := t.claimMachine(c, m, "taking a snapshot"); err != nil {
		t.mu.Unlock()
		return MachineSnapshot{}, wrap(op, obj, err)
	}
	t.mu.Unlock()

	so, err := t.snapshot(ctx, c, m, s)

	t.mu.Lock()
	defer t.mu.Unlock()
	m.busy = ""
	if err != nil {
		return MachineSnapshot{}, wrap(op, obj, err)
	}
	m.snapshots = append(m.snapshots, so)
	return snapshotView(c, so), nil
}

// snapshot takes snapshot s of machine m's OS disk in the cloud.
func (t *Tenant) snapshot(ctx context.Context, c *catalogObj, m *machineObj, s catalog.Snapshot) (*snapshotObj, error) {
	vm, err := t.getVM(ctx, c.vmID(s.Machine))
	if err != nil {
		return nil, err
	}
	r := &Snapshot{Meta: Meta{ID: snapshotID(c, s.Machine, s.Name), Region: c.region, Tags: t.tags("catalog/" + c.name)}, Source: vm.OSDisk}
	got, err := putAs(ctx, t, r)
	if err != nil {
		return nil, err
	}
	return &snapshotObj{s: s, id: r.ID, incremental: got.Incremental}, nil
}

// RestoreSnapshot restores a machine from one of its snapshots (CAT-13):
// the machine is powered off and accepts no action while its OS disk is
// replaced by a disk made from the snapshot, and stays off when it is
// done. A failed restore leaves the restore state Failed (API-5) and can
// be retried. Its refusals and failures that CAT-13 explains (no such
// snapshot, a restore running, a restore the cloud failed) carry a CAT-13
// violation, which rule.Has finds.
func (t *Tenant) RestoreSnapshot(ctx context.Context, catalogName, machine, snapshot string) (Machine, error) {
	const op = "RestoreSnapshot"
	obj := fmt.Sprintf("machine %q", machine)
	if err := t.authorize(ctx, op, true); err != nil {
		return Machine{}, err
	}
	t.mu.Lock()
	c, m, err := t.machineOf(op, catalogName, machine)
	if err != nil {
		t.mu.Unlock()
		return Machine{}, err
	}
	i := slices.IndexFunc(m.snapshots, func(o *snapshotObj) bool { return strings.EqualFold(o.s.Name, snapshot) })
	if i < 0 {
		t.mu.Unlock()
		return Machine{}, refuse(ErrNotFound, op, obj, "CAT-13", "the machine has no snapshot named %q; restore a machine only from its own snapshots", snapshot)
	}
	so := m.snapshots[i]
	if err := catalog.CheckRestore(m.m, so.s); err != nil {
		t.mu.Unlock()
		return Machine{}, wrap(op, obj, err)
	}
	if err := t.claimMachine(c, m, "restoring a snapshot"); err != nil {
		t.mu.Unlock()
		return Machine{}, wrap(op, obj, err)
	}
	next, err := m.m.Do(catalog.Restore)
	if err != nil {
		m.busy = ""
		t.mu.Unlock()
		return Machine{}, wrap(op, obj, err)
	}
	m.m = next
	id := c.vmID(m.m.Name)
	t.mu.Unlock()

	err = t.power(ctx, id, Deallocate)
	if err == nil {
		err = t.call(ctx, "RestoreSnapshot", id, func(ctx context.Context) error { return t.provider.RestoreSnapshot(ctx, id, so.id) })
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	m.busy = ""
	if err != nil {
		m.m, _ = m.m.Apply(catalog.RestoreFail)
		if KindOf(err) == nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			// Cancelled: the context error, with the restore state.
			return machineView(c, m), err
		}
		return machineView(c, m), &Error{Kind: KindOf(err), Op: op, Object: obj,
			Err: fmt.Errorf("%w: %w", rule.Errorf("CAT-13", "restoring snapshot %q failed; the machine's restore state is Failed, try again", so.s.Name), err)}
	}
	m.m, _ = m.m.Apply(catalog.RestoreDone)
	return machineView(c, m), nil
}

// DeleteSnapshots deletes snapshots of a machine by name; every name must
// be one of its snapshots.
func (t *Tenant) DeleteSnapshots(ctx context.Context, catalogName, machine string, names ...string) error {
	const op = "DeleteSnapshots"
	obj := fmt.Sprintf("machine %q", machine)
	if err := t.authorize(ctx, op, true); err != nil {
		return err
	}
	t.mu.Lock()
	c, m, err := t.machineOf(op, catalogName, machine)
	if err != nil {
		t.mu.Unlock()
		return err
	}
	var del []*snapshotObj
	for _, n := range names {
		i := slices.IndexFunc(m.snapshots, func(o *snapshotObj) bool { return strings.EqualFold(o.s.Name, n) })
		if i < 0 {
			t.mu.Unlock()
			return refuse(ErrNotFound, op, obj, "CAT-13", "the machine has no snapshot named %q", n)
		}
		del = append(del, m.snapshots[i])
	}
	if err := t.claimMachine(c, m, "deleting snapshots"); err != nil {
		t.mu.Unlock()
		return wrap(op, obj, err)
	}
	t.mu.Unlock()

	var gone []*snapshotObj
	for _, s := range del {
		if err = t.deleteResource(ctx, s.id); err != nil {
			break
		}
		gone = append(gone, s)
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	m.busy = ""
	m.snapshots = slices.DeleteFunc(m.snapshots, func(o *snapshotObj) bool { return slices.Contains(gone, o) })
	return wrap(op, obj, err)
}

// Snapshots lists the snapshots of a catalog's machine, or of every
// machine of the catalog when machine is "", by machine and time.
func (t *Tenant) Snapshots(ctx context.Context, catalogName, machine string) ([]MachineSnapshot, error) {
	const op = "Snapshots"
	if err := t.authorize(ctx, op, false); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	c, err := t.catalog(op, catalogName)
	if err != nil {
		return nil, err
	}
	ms := c.machines
	if machine != "" {
		_, m, err := t.machineOf(op, catalogName, machine)
		if err != nil {
			return nil, err
		}
		ms = []*machineObj{m}
	}
	var out []MachineSnapshot
	for _, m := range ms {
		for _, s := range m.snapshots {
			out = append(out, snapshotView(c, s))
		}
	}
	return out, nil
}

// runSchedules takes the scheduled snapshots of every static catalog whose
// daily or weekly schedule fell due up to now (CAT-13), each kind at most
// once per call, on the wall clock of the catalog's time zone.
func (t *Tenant) runSchedules(ctx context.Context, now time.Time) ([]string, error) {
	type job struct {
		c *catalogObj
		m *machineObj
		s catalog.Snapshot
	}
	var jobs []job
	t.mu.Lock()
	for _, c := range t.catalogs {
		if !c.schedules.Daily.Enabled() && !c.schedules.Weekly.Enabled() || c.status.Busy() || c.mt != quota.Static {
			continue
		}
		loc, err := c.schedule.Location()
		if err != nil {
			loc = time.UTC
		}
		var due []catalog.Snapshot
		for _, sc := range []catalog.Schedule{c.schedules.Daily, c.schedules.Weekly} {
			if at := sc.Next(c.schedFrom, loc); sc.Enabled() && !at.IsZero() && !at.After(now) {
				ms := make([]catalog.Machine, 0, len(c.machines))
				for _, m := range c.machines {
					if m.busy == "" {
						ms = append(ms, m.m)
					}
				}
				due = append(due, catalog.ScheduledSnapshots(c.mt, ms, sc.Kind, at)...)
			}
		}
		c.schedFrom = now
		const busy = "taking a scheduled snapshot"
		for _, s := range due {
			m := c.byName[fold(s.Machine)]
			if m == nil || m.busy != "" && m.busy != busy || slices.ContainsFunc(m.snapshots, func(o *snapshotObj) bool { return strings.EqualFold(o.s.Name, s.Name) }) {
				continue
			}
			m.busy = busy
			jobs = append(jobs, job{c: c, m: m, s: s})
		}
	}
	t.mu.Unlock()
	made := make([]*snapshotObj, len(jobs))
	_, err := t.parallel(ctx, Progress{Op: "RunDue", Object: "snapshot schedules", Phase: "snapshots"}, len(jobs), func(ctx context.Context, i int) error {
		so, err := t.snapshot(ctx, jobs[i].c, jobs[i].m, jobs[i].s)
		made[i] = so
		return err
	})
	t.mu.Lock()
	defer t.mu.Unlock()
	var ran []string
	for i, j := range jobs {
		j.m.busy = ""
		if made[i] != nil {
			j.m.snapshots = append(j.m.snapshots, made[i])
			ran = append(ran, fmt.Sprintf("snapshot %s of machine %q of catalog %q", j.s.Name, j.s.Machine, j.c.name))
		}
	}
	slices.Sort(ran)
	return ran, err
}

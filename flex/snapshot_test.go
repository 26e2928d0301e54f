package flex_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
)

// snapshots returns the names of the snapshot resources of a catalog.
func (e *catEnv) snapshots(name string) []string {
	var out []string
	for _, r := range e.cloud.Resources(flex.Filter{ResourceGroup: catGroup(name), Type: flex.TypeSnapshot}) {
		out = append(out, r.Metadata().ID.Name)
	}
	return out
}

func TestSnapshotSchedules(t *testing.T) {
	e := catNew(t, catOpts{})
	if _, err := e.tn.CreateCatalog(e.ctx, catStatic("Desk", 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Multi", 8)); err != nil {
		t.Fatal(err)
	}
	daily := catalog.Schedules{Daily: catalog.Schedule{Kind: catalog.Daily, At: catalog.MustParseTimeOfDay("02:00")}}
	t.Run("CAT-13 schedules only in static catalogs", func(t *testing.T) {
		if _, err := e.tn.ScheduleSnapshots(e.ctx, "Multi", daily); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "CAT-13") {
			t.Errorf("a schedule for a multi-session catalog = %v, want CAT-13", err)
		}
	})
	t.Run("CAT-13 none by default", func(t *testing.T) {
		c, _ := e.tn.Catalog(e.ctx, "Desk")
		if c.Snapshots.Daily.Enabled() || c.Snapshots.Weekly.Enabled() {
			t.Errorf("schedules = %v", c.Snapshots)
		}
		e.clock.Advance(48 * time.Hour)
		if _, err := e.tn.RunDue(e.ctx); err != nil {
			t.Fatal(err)
		}
		if got := e.snapshots("Desk"); len(got) != 0 {
			t.Errorf("snapshots without a schedule: %v", got)
		}
	})
	e.clock.Set(catStart) // Monday 09:00 UTC, 11:00 in Berlin
	weekly := daily
	weekly.Weekly = catalog.Schedule{Kind: catalog.Weekly, Day: time.Wednesday, At: catalog.MustParseTimeOfDay("03:00")}
	if _, err := e.tn.ScheduleSnapshots(e.ctx, "Desk", weekly); err != nil {
		t.Fatal(err)
	}
	t.Run("CAT-13 daily at the catalog's time zone's 02:00", func(t *testing.T) {
		e.clock.Set(time.Date(2026, 5, 11, 23, 59, 0, 0, time.UTC)) // 01:59 Tuesday in Berlin
		if r, _ := e.tn.RunDue(e.ctx); len(r.Ran) != 0 || len(e.snapshots("Desk")) != 0 {
			t.Errorf("before 02:00 in Berlin: ran %v", r.Ran)
		}
		e.clock.Set(time.Date(2026, 5, 12, 0, 0, 0, 0, time.UTC)) // 02:00 Tuesday in Berlin
		r, err := e.tn.RunDue(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"Des-0001_Daily_20260512T0000Z", "Des-0002_Daily_20260512T0000Z"}
		if diff := cmp.Diff(want, e.snapshots("Desk")); diff != "" {
			t.Errorf("snapshots (-want +got):\n%s", diff)
		}
		if len(r.Ran) != 2 {
			t.Errorf("ran = %v", r.Ran)
		}
		if r, _ := e.tn.RunDue(e.ctx); len(r.Ran) != 0 {
			t.Errorf("running again at the same time took more: %v", r.Ran)
		}
	})
	t.Run("CAT-13 weekly on its day", func(t *testing.T) {
		e.clock.Set(time.Date(2026, 5, 13, 1, 0, 0, 0, time.UTC)) // Wednesday 03:00 in Berlin
		if _, err := e.tn.RunDue(e.ctx); err != nil {
			t.Fatal(err)
		}
		ss, _ := e.tn.Snapshots(e.ctx, "Desk", "Des-0001")
		var kinds []string
		for _, s := range ss {
			kinds = append(kinds, s.Kind.String()+" "+s.Taken.UTC().Format("Mon 15:04"))
		}
		want := []string{"Daily Tue 00:00", "Daily Wed 00:00", "Weekly Wed 01:00"}
		if diff := cmp.Diff(want, kinds); diff != "" {
			t.Errorf("snapshots of Des-0001 (-want +got):\n%s", diff)
		}
		// RULE API-5: scheduled snapshots are Daily and Weekly, after the first incremental.
		if !ss[1].Incremental || ss[0].Incremental {
			t.Errorf("incremental = %v, %v; want false then true", ss[0].Incremental, ss[1].Incremental)
		}
	})
	t.Run("CAT-12 deleting the catalog destroys its snapshots", func(t *testing.T) {
		if err := e.tn.DeleteCatalog(e.ctx, "Desk", catAck("Desk")); err != nil {
			t.Fatal(err)
		}
		if got := e.snapshots("Desk"); len(got) != 0 {
			t.Errorf("snapshots left: %v", got)
		}
	})
}

func TestManualSnapshotsAndRestore(t *testing.T) {
	e, f := catFaulty(t, catOpts{})
	if _, err := e.tn.CreateCatalog(e.ctx, catStatic("Desk", 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Multi", 8)); err != nil {
		t.Fatal(err)
	}
	t.Run("API-5 a manual snapshot's name is letters, digits and _", func(t *testing.T) {
		if _, err := e.tn.TakeSnapshot(e.ctx, "Desk", "Des-0001", "before-patch"); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "API-5") {
			t.Errorf("name with '-' = %v, want API-5", err)
		}
		s, err := e.tn.TakeSnapshot(e.ctx, "Desk", "Des-0001", "before_patch")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(flex.MachineSnapshot{Name: "before_patch", Catalog: "Desk", Machine: "Des-0001", Kind: catalog.Anytime, Taken: catStart}, s); diff != "" {
			t.Errorf("snapshot (-want +got):\n%s", diff)
		}
		if _, err := e.tn.TakeSnapshot(e.ctx, "Desk", "Des-0001", "BEFORE_PATCH"); !errors.Is(err, flex.ErrConflict) {
			t.Errorf("the same name again = %v, want ErrConflict", err)
		}
	})
	t.Run("CAT-13 snapshots only of static machines assigned to a user", func(t *testing.T) {
		if _, err := e.tn.TakeSnapshot(e.ctx, "Multi", "Mul-0001", "s1"); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "CAT-13") {
			t.Errorf("snapshot of a multi-session machine = %v, want CAT-13", err)
		}
	})
	vmID := e.vm(t, "Desk", "Des-0001").ID
	t.Run("CAT-13 during a restore the machine is off and accepts no action", func(t *testing.T) {
		started, release := make(chan struct{}), make(chan struct{})
		f.set(func(f *faults) {
			f.restore = func(vm, snap flex.ResourceID) error { close(started); <-release; return nil }
		})
		type result struct {
			m   flex.Machine
			err error
		}
		done := make(chan result, 1)
		go func() {
			m, err := e.tn.RestoreSnapshot(e.ctx, "Desk", "Des-0001", "before_patch")
			done <- result{m, err}
		}()
		<-started
		if ps := e.vm(t, "Desk", "Des-0001").PowerState; ps != flex.PowerDeallocated {
			t.Errorf("VM during the restore: %s, want deallocated", ps)
		}
		ms, _ := e.tn.Machines(e.ctx, "Desk")
		if ms[0].Restore != catalog.RestoreRunning || len(ms[0].Allowed) != 0 {
			t.Errorf("machine during restore = %+v", ms[0])
		}
		for _, a := range []catalog.Action{catalog.Start, catalog.MaintenanceOn, catalog.Delete} {
			if _, err := e.tn.MachineAction(e.ctx, "Desk", "Des-0001", a); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "CAT-13") {
				t.Errorf("%v during a restore = %v, want CAT-13", a, err)
			}
		}
		if _, err := e.tn.TakeSnapshot(e.ctx, "Desk", "Des-0001", "during"); err == nil {
			t.Errorf("a snapshot was taken during the restore")
		}
		close(release)
		r := <-done
		f.set(func(f *faults) { f.restore = nil })
		if r.err != nil || r.m.Restore != catalog.RestoreCompleted || r.m.Power != catalog.Deallocated {
			t.Errorf("RestoreSnapshot = %+v, %v", r.m, r.err)
		}
		if d := e.vm(t, "Desk", "Des-0001").OSDisk.Name; d == "Des-0001-osdisk" || !strings.HasPrefix(d, "Des-0001-osdisk-") {
			t.Errorf("OS disk after restore = %s, want a new disk from the snapshot", d)
		}
	})
	t.Run("CAT-13 a failed restore can be retried", func(t *testing.T) {
		f.set(func(f *faults) {
			f.restore = func(vm, snap flex.ResourceID) error {
				return &flex.Error{Kind: flex.ErrConflict, Op: "RestoreSnapshot", Object: vm.String(), Err: errors.New("DiskRestoreFailed")}
			}
		})
		m, err := e.tn.RestoreSnapshot(e.ctx, "Desk", "Des-0001", "before_patch")
		f.set(func(f *faults) { f.restore = nil })
		if err == nil || m.Restore != catalog.RestoreFailed {
			t.Fatalf("failed restore = %+v, %v", m, err)
		}
		m, err = e.tn.RestoreSnapshot(e.ctx, "Desk", "Des-0001", "before_patch")
		if err != nil || m.Restore != catalog.RestoreCompleted {
			t.Errorf("retry = %+v, %v", m, err)
		}
		if _, err := e.tn.MachineAction(e.ctx, "Desk", "Des-0001", catalog.Start); err != nil {
			t.Errorf("starting after the restore: %v", err)
		}
	})
	t.Run("list and delete", func(t *testing.T) {
		if _, err := e.tn.TakeSnapshot(e.ctx, "Desk", "Des-0002", "two"); err != nil {
			t.Fatal(err)
		}
		all, _ := e.tn.Snapshots(e.ctx, "Desk", "")
		if len(all) != 2 {
			t.Errorf("snapshots = %v", all)
		}
		if err := e.tn.DeleteSnapshots(e.ctx, "Desk", "Des-0001", "before_patch", "nope"); !errors.Is(err, flex.ErrNotFound) {
			t.Errorf("deleting a missing one = %v, want ErrNotFound", err)
		}
		if err := e.tn.DeleteSnapshots(e.ctx, "Desk", "Des-0001", "before_patch"); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"Des-0002_two"}, e.snapshots("Desk")); diff != "" {
			t.Errorf("snapshots in the cloud (-want +got):\n%s", diff)
		}
	})
	_ = vmID
}

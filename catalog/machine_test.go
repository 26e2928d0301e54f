package catalog_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// do applies actions and events in order, failing the test on an error.
func steps(t *testing.T, m catalog.Machine, ss ...any) catalog.Machine {
	t.Helper()
	for _, s := range ss {
		var err error
		switch s := s.(type) {
		case catalog.Action:
			m, err = m.Do(s)
		case catalog.Event:
			m, err = m.Apply(s)
		}
		if err != nil {
			t.Fatalf("%v: %v", s, err)
		}
	}
	return m
}

// running returns a running, registered multi-session machine for 4 users.
func running(t *testing.T) catalog.Machine {
	m := catalog.NewMachine("PC-01", quota.MultiSessionMachine, 4)
	return steps(t, m, catalog.Start, catalog.PowerDone, catalog.Register)
}

func TestNewMachine(t *testing.T) {
	want := catalog.Machine{Name: "PC-01", Type: quota.Static, Capacity: 1}
	if diff := cmp.Diff(want, catalog.NewMachine("PC-01", quota.Static, 8)); diff != "" {
		t.Error(diff)
	}
	if got := catalog.NewMachine("PC-02", quota.MultiSessionMachine, 8).Capacity; got != 8 {
		t.Errorf("multi-session capacity %d", got)
	}
}

func TestMachineActions(t *testing.T) {
	t.Run("CAT-8 start only when off", func(t *testing.T) {
		m := running(t)
		_, err := m.Do(catalog.Start)
		wantIDs(t, err, "CAT-8")
		var ae *catalog.ActionError
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), "running") || !strings.Contains(err.Error(), "allowed actions: shutdown, restart, maintenance on") {
			t.Errorf("error does not name the state and the allowed actions: %v", err)
		}
		for _, off := range []catalog.PowerState{catalog.Deallocated, catalog.Stopped, catalog.Suspended} {
			m := catalog.NewMachine("PC", quota.Random, 1)
			m.Power = off
			if got, err := m.Do(catalog.Start); err != nil || got.Power != catalog.Starting {
				t.Errorf("start from %v: %v, %v", off, got.Power, err)
			}
		}
		for _, busy := range []catalog.PowerState{catalog.Starting, catalog.Stopping, catalog.Deallocating} {
			m := catalog.NewMachine("PC", quota.Random, 1)
			m.Power = busy
			if _, err := m.Do(catalog.Start); !rule.Has(err, "CAT-8") {
				t.Errorf("start from %v: %v", busy, err)
			}
		}
	})
	t.Run("CAT-8 shutdown only when on", func(t *testing.T) {
		_, err := catalog.NewMachine("PC", quota.Random, 1).Do(catalog.Shutdown)
		wantIDs(t, err, "CAT-8")
		m := steps(t, running(t), catalog.SessionStart, catalog.SessionStart, catalog.Shutdown)
		want := catalog.Machine{Name: "PC-01", Type: quota.MultiSessionMachine, Capacity: 4, Power: catalog.Deallocating}
		if diff := cmp.Diff(want, m); diff != "" {
			t.Errorf("after shutdown (-want +got):\n%s", diff)
		}
		m = steps(t, m, catalog.PowerDone)
		if m.Power != catalog.Deallocated {
			t.Errorf("power %v", m.Power)
		}
	})
	t.Run("CAT-8 force restart only after a failed restart", func(t *testing.T) {
		m := running(t)
		_, err := m.Do(catalog.ForceRestart)
		wantIDs(t, err, "CAT-8")
		m = steps(t, m, catalog.Restart)
		if _, err := m.Do(catalog.ForceRestart); !rule.Has(err, "CAT-8") {
			t.Errorf("force restart while restarting: %v", err)
		}
		if _, err := m.Do(catalog.Restart); !rule.Has(err, "CAT-8") {
			t.Errorf("restart while restarting: %v", err)
		}
		m = steps(t, m, catalog.RestartFail)
		if diff := cmp.Diff([]catalog.Action{catalog.Shutdown, catalog.Restart, catalog.ForceRestart, catalog.MaintenanceOn, catalog.Delete}, m.Allowed()); diff != "" {
			t.Errorf("allowed after a failed restart:\n%s", diff)
		}
		m = steps(t, m, catalog.ForceRestart, catalog.RestartDone, catalog.Register)
		if m.Restart != catalog.NoRestart || !m.Registered {
			t.Errorf("after force restart: %s", m.State())
		}
	})
	t.Run("CAT-8 maintenance mode: no new sessions, existing ones continue", func(t *testing.T) {
		m := steps(t, running(t), catalog.SessionStart, catalog.MaintenanceOn)
		if m.Sessions != 1 {
			t.Errorf("sessions %d after maintenance on", m.Sessions)
		}
		_, err := m.Apply(catalog.SessionStart)
		wantIDs(t, err, "MON-1")
		if !strings.Contains(err.Error(), "maintenance mode") {
			t.Errorf("error %v", err)
		}
		if _, err := m.Do(catalog.MaintenanceOn); !rule.Has(err, "CAT-8") {
			t.Errorf("maintenance on twice: %v", err)
		}
		m = steps(t, m, catalog.SessionEnd, catalog.MaintenanceOff, catalog.SessionStart)
		if m.Sessions != 1 {
			t.Errorf("sessions %d", m.Sessions)
		}
	})
	t.Run("CAT-8 delete only with zero sessions", func(t *testing.T) {
		m := steps(t, running(t), catalog.SessionStart)
		_, err := m.Do(catalog.Delete)
		wantIDs(t, err, "CAT-8")
		if !strings.Contains(err.Error(), "session count is zero, and it is 1") {
			t.Errorf("error %v", err)
		}
		m = steps(t, m, catalog.SessionEnd, catalog.Delete)
		if !m.Deleted || len(m.Allowed()) != 0 {
			t.Errorf("deleted machine: %s, allowed %v", m.State(), m.Allowed())
		}
		if _, err := m.Apply(catalog.Register); err == nil {
			t.Error("event on a deleted machine accepted")
		}
	})
	t.Run("MON-1 sessions bounded by users per machine", func(t *testing.T) {
		m := steps(t, running(t), catalog.SessionStart, catalog.SessionStart, catalog.SessionStart, catalog.SessionStart)
		_, err := m.Apply(catalog.SessionStart)
		wantIDs(t, err, "MON-1")
		if _, err := catalog.NewMachine("PC", quota.Random, 1).Apply(catalog.SessionEnd); !rule.Has(err, "MON-1") {
			t.Errorf("session end without session: %v", err)
		}
	})
	t.Run("hibernation keeps sessions", func(t *testing.T) {
		m := running(t)
		if _, err := m.Apply(catalog.HibernateMachine); err == nil {
			t.Error("hibernated a machine without hibernation support")
		}
		m.Hibernation = true
		m = steps(t, m, catalog.SessionStart, catalog.HibernateMachine)
		if m.Power != catalog.Suspended || m.Sessions != 1 || m.Registered {
			t.Errorf("hibernated: %s", m.State())
		}
		if _, err := m.Do(catalog.Delete); err == nil {
			t.Error("deleted a suspended machine with a session")
		}
		m = steps(t, m, catalog.Start, catalog.PowerDone, catalog.Register, catalog.SessionEnd)
		if m.Sessions != 0 {
			t.Errorf("sessions %d", m.Sessions)
		}
	})
}

func TestMachineRestore(t *testing.T) {
	m := steps(t, catalog.NewMachine("PC-07", quota.Static, 1), catalog.Start, catalog.PowerDone, catalog.Register)
	// RULE CAT-13: only machines assigned to a user.
	if _, err := m.Do(catalog.Restore); !rule.Has(err, "CAT-13") {
		t.Errorf("restore of an unassigned machine: %v", err)
	}
	m, err := m.Assign("alice@corp.example.com")
	if err != nil {
		t.Fatal(err)
	}
	m = steps(t, m, catalog.SessionStart, catalog.Restore)
	// RULE CAT-13: during restore the machine is off and accepts no action.
	if m.Power != catalog.Deallocated || m.Sessions != 0 || m.Registered || m.Restore != catalog.RestoreRunning {
		t.Errorf("restoring: %s", m.State())
	}
	if got := m.Allowed(); len(got) != 0 {
		t.Errorf("CAT-13: actions allowed during restore: %v", got)
	}
	for _, a := range catalog.Actions() {
		if _, err := m.Do(a); !rule.Has(err, "CAT-13") {
			t.Errorf("CAT-13: %v during restore: %v", a, err)
		}
	}
	for _, e := range catalog.Events() {
		if e == catalog.RestoreDone || e == catalog.RestoreFail {
			continue
		}
		if _, err := m.Apply(e); !rule.Has(err, "CAT-13") {
			t.Errorf("CAT-13: %v during restore: %v", e, err)
		}
	}
	if _, err := m.Assign("bob@corp.example.com"); !rule.Has(err, "CAT-13") {
		t.Errorf("assign during restore: %v", err)
	}
	// RULE CAT-13: a failed restore can be retried.
	m = steps(t, m, catalog.RestoreFail)
	if m.Restore != catalog.RestoreFailed || !m.Can(catalog.Restore) {
		t.Fatalf("after a failed restore: %v, can restore %v", m.Restore, m.Can(catalog.Restore))
	}
	m = steps(t, m, catalog.Restore, catalog.RestoreDone)
	if m.Restore != catalog.RestoreCompleted || m.Power != catalog.Deallocated {
		t.Errorf("after the retried restore: %s, %v", m.State(), m.Restore)
	}
	m = steps(t, m, catalog.Start)
	if m.Power != catalog.Starting {
		t.Errorf("start after restore: %v", m.Power)
	}
}

func TestMachineAssign(t *testing.T) {
	m := catalog.NewMachine("PC-01", quota.Static, 1)
	m, err := m.Assign("alice@corp.example.com")
	if err != nil || m.Assigned != "alice@corp.example.com" {
		t.Fatalf("Assign = %v, %v", m.Assigned, err)
	}
	if again, err := m.Assign("ALICE@corp.example.com"); err != nil || again != m {
		t.Errorf("assign to the same user again: %v", err)
	}
	if _, err := m.Assign("bob@corp.example.com"); !rule.Has(err, "CAT-1") {
		t.Errorf("assign to another user: %v", err)
	}
	if _, err := catalog.NewMachine("PC-02", quota.Random, 1).Assign("alice@corp.example.com"); !rule.Has(err, "CAT-1") {
		t.Errorf("assign a random machine: %v", err)
	}
	if _, err := catalog.NewMachine("PC-03", quota.Static, 1).Assign("bad@"); !rule.Has(err, "CAT-9") {
		t.Errorf("assign to an invalid user: %v", err)
	}
}

func TestSummarize(t *testing.T) {
	// RULE MON-1: the summary of a new catalog, as the docs' screenshot shows.
	fresh := []catalog.Machine{
		catalog.NewMachine("PC-01", quota.Random, 1),
		catalog.NewMachine("PC-02", quota.Random, 1),
		catalog.NewMachine("PC-03", quota.Random, 1),
	}
	if diff := cmp.Diff(catalog.Summary{Total: 3, PoweredOff: 3}, catalog.Summarize(fresh)); diff != "" {
		t.Error(diff)
	}
	on := steps(t, running(t), catalog.SessionStart, catalog.SessionStart)
	unreg := steps(t, running(t), catalog.Unregister)
	starting := steps(t, catalog.NewMachine("PC-05", quota.MultiSessionMachine, 4), catalog.Start)
	susp := running(t)
	susp.Hibernation = true
	susp = steps(t, susp, catalog.SessionStart, catalog.HibernateMachine)
	deleted := steps(t, catalog.NewMachine("PC-09", quota.MultiSessionMachine, 4), catalog.Delete)
	got := catalog.Summarize([]catalog.Machine{on, unreg, starting, susp, deleted, fresh[0]})
	want := catalog.Summary{Total: 5, PoweredOn: 3, Suspended: 1, PoweredOff: 1, Hibernation: 1, Sessions: 2, Unregistered: 2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MON-1 summary (-want +got):\n%s", diff)
	}
	if s := got.String(); s != "5 machines: 3 powered on, 1 suspended, 1 powered off; 1 support hibernation, 2 active sessions, 2 unregistered" {
		t.Errorf("String = %q", s)
	}
}

// Property: no sequence of actions and events reaches a forbidden state
// (CAT-8, CAT-13, MON-1). After every step: sessions stay within 0…Capacity;
// sessions exist only on a machine that is running, resuming or suspended;
// a registered VDA is on a running machine with no restart pending; a
// restoring machine is deallocated, without sessions, and allows nothing; a
// deleted machine has no sessions and allows nothing. Every accepted call
// meets the rule that guards it (start only from off, shutdown only from
// running, force restart only after a failed restart, delete only at zero
// sessions, no session in maintenance mode or beyond capacity, nothing but
// the end of a restore while it runs), every refused call leaves the machine
// as it was, and Do accepts exactly the actions Allowed lists.
func TestMachineProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		mt := rapid.SampledFrom([]quota.MachineType{quota.Static, quota.Random, quota.MultiSessionMachine}).Draw(t, "type")
		m := catalog.NewMachine("PC-01", mt, rapid.IntRange(1, 4).Draw(t, "users per machine"))
		m.Hibernation = rapid.Bool().Draw(t, "hibernation")
		for range rapid.IntRange(1, 60).Draw(t, "steps") {
			pre := m
			var err error
			var what string
			switch rapid.IntRange(0, 2).Draw(t, "kind") {
			case 0:
				a := rapid.SampledFrom(catalog.Actions()).Draw(t, "action")
				what = a.String()
				can := pre.Can(a)
				m, err = m.Do(a)
				if can != (err == nil) {
					t.Fatalf("Do(%v) err %v but Can = %v", a, err, can)
				}
				if err == nil {
					switch a {
					case catalog.Start:
						if !pre.Power.Off() && pre.Power != catalog.Suspended {
							t.Fatalf("CAT-8: started from %v", pre.Power)
						}
					case catalog.Shutdown:
						if pre.Power != catalog.Running {
							t.Fatalf("CAT-8: shut down from %v", pre.Power)
						}
					case catalog.ForceRestart:
						if pre.Restart != catalog.RestartFailed {
							t.Fatalf("CAT-8: force restart after %v", pre.Restart)
						}
					case catalog.Delete:
						if pre.Sessions != 0 {
							t.Fatalf("CAT-8: deleted with %d sessions", pre.Sessions)
						}
					case catalog.MaintenanceOn, catalog.MaintenanceOff:
						if m.Sessions != pre.Sessions {
							t.Fatalf("CAT-8: maintenance mode changed sessions %d → %d", pre.Sessions, m.Sessions)
						}
					}
				}
			case 1:
				e := rapid.SampledFrom(catalog.Events()).Draw(t, "event")
				what = e.String()
				m, err = m.Apply(e)
				if err == nil && e == catalog.SessionStart && (pre.Maintenance || pre.Sessions >= pre.Capacity) {
					t.Fatalf("MON-1: session started in maintenance mode or beyond capacity: %s", pre.State())
				}
				if err == nil && pre.Restore == catalog.RestoreRunning && e != catalog.RestoreDone && e != catalog.RestoreFail {
					t.Fatalf("CAT-13: %v accepted during restore", e)
				}
			case 2:
				what = "assign"
				m, err = m.Assign(rapid.SampledFrom([]string{"alice@corp.example.com", "bob@corp.example.com"}).Draw(t, "user"))
			}
			if err != nil {
				if m != pre {
					t.Fatalf("refused %s changed the machine: %+v → %+v", what, pre, m)
				}
				if len(rule.IDs(err)) == 0 {
					t.Fatalf("refusal of %s names no rule: %v", what, err)
				}
				if pre.Restore == catalog.RestoreRunning && what != catalog.RestoreDone.String() && what != catalog.RestoreFail.String() && !rule.Has(err, "CAT-13") {
					t.Fatalf("refusal during restore is not CAT-13: %v", err)
				}
			}
			checkMachine(t, m)
		}
	})
}

func checkMachine(t *rapid.T, m catalog.Machine) {
	if !m.Power.IsValid() {
		t.Fatalf("invalid power state %v", m.Power)
	}
	if m.Sessions < 0 || m.Sessions > m.Capacity {
		t.Fatalf("MON-1: %d sessions on a machine for %d users", m.Sessions, m.Capacity)
	}
	if m.Sessions > 0 && m.Power != catalog.Running && m.Power != catalog.Suspended && m.Power != catalog.Starting {
		t.Fatalf("sessions on a machine that is %v", m.Power)
	}
	if m.Registered && (m.Power != catalog.Running || m.Restart != catalog.NoRestart) {
		t.Fatalf("registered while %s", m.State())
	}
	if m.Restore == catalog.RestoreRunning && (m.Power != catalog.Deallocated || m.Sessions != 0 || m.Registered || len(m.Allowed()) != 0) {
		t.Fatalf("CAT-13: restoring machine %s allows %v", m.State(), m.Allowed())
	}
	if m.Deleted && (m.Sessions != 0 || len(m.Allowed()) != 0) {
		t.Fatalf("CAT-8: deleted machine %+v allows %v", m, m.Allowed())
	}
	if m.Type != quota.Static && m.Assigned != "" {
		t.Fatalf("a %v machine is assigned", m.Type)
	}
}

func TestPowerStateNames(t *testing.T) {
	// AZ-8 power states plus suspended.
	var got []string
	for p := catalog.Deallocated; p.IsValid(); p++ {
		got = append(got, p.String())
	}
	want := []string{"deallocated", "starting", "running", "stopping", "stopped", "deallocating", "suspended"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}

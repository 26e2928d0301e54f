package catalog_test

import (
	"errors"
	"fmt"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/quota"
)

func ExampleMachine_Do() {
	m := catalog.NewMachine("PC-Sales-01", quota.MultiSessionMachine, 8)
	m, _ = m.Do(catalog.Start)
	m, _ = m.Apply(catalog.PowerDone)
	m, _ = m.Apply(catalog.Register)
	m, _ = m.Apply(catalog.SessionStart)
	fmt.Println(m.State())

	_, err := m.Do(catalog.Delete)
	fmt.Println(err)

	m, _ = m.Do(catalog.MaintenanceOn)
	_, err = m.Apply(catalog.SessionStart)
	fmt.Println(err)
	// Output:
	// running, registered, 1 of 8 sessions
	// CAT-8: machine "PC-Sales-01": delete is not allowed: delete is available only when the session count is zero, and it is 1; the machine is running, registered, 1 of 8 sessions; allowed actions: shutdown, restart, maintenance on
	// MON-1: machine "PC-Sales-01": session start is not allowed: the machine is in maintenance mode: no new sessions; the machine is running, registered, 1 of 8 sessions, maintenance mode; allowed actions: shutdown, restart, maintenance off
}

func ExampleMachine_Allowed() {
	m := catalog.NewMachine("PC-01", quota.Static, 1)
	fmt.Println(m.Allowed())
	m, _ = m.Assign("alice@corp.example.com")
	m, _ = m.Do(catalog.Restore)
	fmt.Println(m.Allowed(), m.Restore)
	// Output:
	// [start maintenance on delete]
	// [] Running
}

func ExampleSummarize() {
	ms := []catalog.Machine{
		catalog.NewMachine("PC-01", quota.Random, 1),
		catalog.NewMachine("PC-02", quota.Random, 1),
		catalog.NewMachine("PC-03", quota.Random, 1),
	}
	ms[0], _ = ms[0].Do(catalog.Start)
	fmt.Println(catalog.Summarize(ms))
	// Output:
	// 3 machines: 1 powered on, 0 suspended, 2 powered off; 0 support hibernation, 0 active sessions, 1 unregistered
}

func ExampleStatus_Begin() {
	st := catalog.Status{Name: "Sales apps", State: catalog.Active}
	st, _ = st.Begin(catalog.AddMachines)
	fmt.Println(st.State, st.Op)

	_, err := st.Begin(catalog.UpdateImage)
	fmt.Println(errors.Is(err, catalog.ErrBusy), err)

	st, _ = st.Finish(true)
	fmt.Println(st.State, st.Busy())
	// Output:
	// Processing adding machines
	// true CAT-6: catalog "Sales apps" is busy adding machines; updating the image must wait until it completes
	// Active false
}

func ExampleState_MoveTo() {
	s, err := catalog.Deleting.MoveTo(catalog.Active)
	fmt.Println(s, err)
	// Output:
	// Deleting API-1: a catalog in state Deleting cannot move to Active; from Deleting it can move to Error
}

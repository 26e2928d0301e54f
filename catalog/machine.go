package catalog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
)

// PowerState is the power state of a machine's virtual machine, as Azure
// reports it (AZ-8), plus Suspended for a hibernated machine. The zero value
// is Deallocated: a machine that is off and costs no compute.
type PowerState uint8

// The power states.
const (
	Deallocated  PowerState = iota // off, compute released (shut down by Flex)
	Starting                       // turning on
	Running                        // on
	Stopping                       // turning off, after a shutdown from inside the machine
	Stopped                        // off, compute still allocated
	Deallocating                   // turning off and releasing compute
	Suspended                      // hibernated: off, memory kept on disk, sessions kept
	numPowerStates
)

var powerNames = [numPowerStates]string{"deallocated", "starting", "running", "stopping", "stopped", "deallocating", "suspended"}

// String returns Azure's name of the state, such as "running", or
// "suspended".
func (p PowerState) String() string {
	if p < numPowerStates {
		return powerNames[p]
	}
	return "PowerState(" + strconv.Itoa(int(p)) + ")"
}

// IsValid reports whether p is one of the power states.
func (p PowerState) IsValid() bool { return p < numPowerStates }

// On reports whether a machine in power state p counts as powered on in the
// machine summary (MON-1): Starting or Running.
func (p PowerState) On() bool { return p == Starting || p == Running }

// Off reports whether a machine in power state p counts as powered off in
// the machine summary (MON-1): Stopping, Stopped, Deallocating or
// Deallocated. Suspended is neither on nor off.
func (p PowerState) Off() bool {
	return p == Stopping || p == Stopped || p == Deallocating || p == Deallocated
}

// RestartState is where a machine's last restart stands (CAT-8). The zero
// value is NoRestart.
type RestartState uint8

// The restart states.
const (
	NoRestart     RestartState = iota // no restart running or failed
	Restarting                        // a restart or force restart is running
	RestartFailed                     // the last restart failed: force restart is offered
	numRestartStates
)

// String returns "no restart", "restarting" or "restart failed".
func (r RestartState) String() string {
	switch r {
	case NoRestart:
		return "no restart"
	case Restarting:
		return "restarting"
	case RestartFailed:
		return "restart failed"
	}
	return "RestartState(" + strconv.Itoa(int(r)) + ")"
}

// Machine is one machine of a catalog as the catalog manages it: power,
// registration, sessions, maintenance mode, restarts and restores. Machine is
// a comparable value; Do and Apply return the next machine and never modify
// the receiver.
//
// Do takes the administrator's actions of CAT-8 and the restore of CAT-13;
// Apply takes what the service, Azure and users do (power transitions
// completing, registration, sessions starting and ending, restarts and
// restores finishing). Both refuse what the rules forbid with an
// *ActionError that names the machine's state and what is allowed, so no
// sequence of calls reaches a forbidden state: sessions never exceed
// Capacity, exist only on a running (or suspended, or resuming) machine and
// never start in maintenance mode; a machine is deleted only with no
// sessions; a restoring machine is off and accepts nothing but the end of
// its restore.
//
// The zero value is a deallocated machine of no catalog type, with capacity
// 0; use NewMachine.
type Machine struct {
	Name     string
	Type     quota.MachineType
	Capacity int // users per machine: 1 for single-session machines

	Power       PowerState
	Registered  bool // the VDA is registered with the service
	Sessions    int  // user sessions on the machine, 0…Capacity
	Maintenance bool // maintenance mode: no new sessions, existing ones continue
	Restart     RestartState
	Restore     RestoreState // API-5; Running while a snapshot is restored
	Hibernation bool         // the machine supports hibernation (MON-1)
	Deleted     bool         // deleted with its data; accepts nothing

	Assigned string // the user a static machine belongs to, "" until assigned
	Image    string // the image the machine was made from (CAT-7)
	Zone     int    // availability zone 1–3, or NoZone (CAT-15)
}

// NewMachine returns a new machine of a catalog of type mt whose persona
// has usersPerMachine users per machine: deallocated, unregistered, with no
// sessions and out of maintenance mode. A single-session machine has
// capacity 1 whatever usersPerMachine says.
func NewMachine(name string, mt quota.MachineType, usersPerMachine int) Machine {
	if mt.Session() == quota.SingleSession {
		usersPerMachine = 1
	}
	return Machine{Name: name, Type: mt, Capacity: max(usersPerMachine, 0)}
}

// Action is something an administrator does to a machine (CAT-8, CAT-13).
type Action uint8

// The administrator's actions.
const (
	Start          Action = iota + 1 // power on; only when off or suspended
	Shutdown                         // power off (deallocate); only when running
	Restart                          // restart a running machine
	ForceRestart                     // only after a restart failed
	MaintenanceOn                    // stop new sessions; existing ones continue
	MaintenanceOff                   // allow new sessions again
	Delete                           // only with no sessions; the machine's data is gone
	Restore                          // restore a snapshot (CAT-13): the machine goes off until done
	numActions
)

var actionNames = [numActions]string{"", "start", "shutdown", "restart", "force restart", "maintenance on", "maintenance off", "delete", "restore"}

// String returns the action's name, such as "force restart".
func (a Action) String() string {
	if a >= 1 && a < numActions {
		return actionNames[a]
	}
	return "Action(" + strconv.Itoa(int(a)) + ")"
}

// Actions returns every administrator action in declaration order.
func Actions() []Action {
	out := make([]Action, 0, numActions-1)
	for a := Start; a < numActions; a++ {
		out = append(out, a)
	}
	return out
}

// Event is something that happens to a machine outside the administrator's
// actions: Azure finishing a power transition, the VDA registering, users
// starting and ending sessions, a restart or restore ending.
type Event uint8

// The events.
const (
	PowerDone        Event = iota + 1 // Starting → Running, Stopping → Stopped, Deallocating → Deallocated
	GuestShutdown                     // the machine shut itself down: Running → Stopping
	HibernateMachine                  // autoscale hibernates a running machine that supports it
	RestartDone                       // a restart succeeded
	RestartFail                       // a restart failed
	Register                          // the VDA registered
	Unregister                        // the VDA unregistered
	SessionStart                      // a user started a session
	SessionEnd                        // a user's session ended
	RestoreDone                       // the restore completed
	RestoreFail                       // the restore failed; it can be retried
	numEvents
)

var eventNames = [numEvents]string{"", "power transition done", "guest shutdown", "hibernate", "restart done", "restart failed", "register", "unregister", "session start", "session end", "restore done", "restore failed"}

// String returns the event's name, such as "session start".
func (e Event) String() string {
	if e >= 1 && e < numEvents {
		return eventNames[e]
	}
	return "Event(" + strconv.Itoa(int(e)) + ")"
}

// Events returns every event in declaration order.
func Events() []Event {
	out := make([]Event, 0, numEvents-1)
	for e := PowerDone; e < numEvents; e++ {
		out = append(out, e)
	}
	return out
}

// ActionError reports an action or event that a machine's state does not
// allow. It unwraps to a violation of Rule: CAT-13 while a restore runs,
// CAT-8 for the administrator's actions, MON-1 for sessions and other
// events.
type ActionError struct {
	Machine string
	What    string   // the refused action or event
	State   string   // the machine's state, as Machine.State describes it
	Why     string   // the reason, such as "the machine is not powered off"
	Allowed []Action // the administrator actions allowed in this state
	Rule    string
}

// Error names the machine, what was refused and why, the state and the
// actions allowed.
func (e *ActionError) Error() string { return e.violation().Error() }

// Unwrap returns the rule violation.
func (e *ActionError) Unwrap() error { return e.violation() }

func (e *ActionError) violation() *rule.Violation {
	names := make([]string, len(e.Allowed))
	for i, a := range e.Allowed {
		names[i] = a.String()
	}
	allowed := "none"
	if len(names) > 0 {
		allowed = strings.Join(names, ", ")
	}
	return rule.Errorf(e.Rule, "machine %q: %s is not allowed: %s; the machine is %s; allowed actions: %s", e.Machine, e.What, e.Why, e.State, allowed)
}

// State describes the machine's state in words, such as "running,
// registered, 2 of 8 sessions, maintenance mode".
func (m Machine) State() string {
	if m.Deleted {
		return "deleted"
	}
	parts := []string{m.Power.String()}
	if m.Registered {
		parts = append(parts, "registered")
	} else {
		parts = append(parts, "unregistered")
	}
	parts = append(parts, fmt.Sprintf("%d of %d sessions", m.Sessions, m.Capacity))
	if m.Maintenance {
		parts = append(parts, "maintenance mode")
	}
	if m.Restart != NoRestart {
		parts = append(parts, m.Restart.String())
	}
	if m.Restore == RestoreRunning {
		parts = append(parts, "restoring a snapshot")
	}
	return strings.Join(parts, ", ")
}

// refusal returns why action a is not allowed on m, with its rule, or
// ("", "") when it is.
func (m Machine) refusal(a Action) (why, id string) {
	switch {
	case m.Deleted:
		return "the machine is deleted", "CAT-8"
	case m.Restore == RestoreRunning:
		return "a snapshot is being restored; no action is available until it ends", "CAT-13"
	}
	switch a {
	case Start:
		if m.Power != Stopped && m.Power != Deallocated && m.Power != Suspended {
			return "start is available only when the machine is powered off", "CAT-8"
		}
	case Shutdown:
		if m.Power != Running {
			return "shutdown is available only when the machine is powered on", "CAT-8"
		}
		if m.Restart == Restarting {
			return "a restart is running", "CAT-8"
		}
	case Restart:
		if m.Power != Running {
			return "restart is available only when the machine is powered on", "CAT-8"
		}
		if m.Restart == Restarting {
			return "a restart is already running", "CAT-8"
		}
	case ForceRestart:
		if m.Restart != RestartFailed {
			return "force restart is available only after a restart failed", "CAT-8"
		}
	case MaintenanceOn:
		if m.Maintenance {
			return "maintenance mode is already on", "CAT-8"
		}
	case MaintenanceOff:
		if !m.Maintenance {
			return "maintenance mode is already off", "CAT-8"
		}
	case Delete:
		if m.Sessions != 0 {
			return fmt.Sprintf("delete is available only when the session count is zero, and it is %d", m.Sessions), "CAT-8"
		}
	case Restore:
		if m.Type != quota.Static || m.Assigned == "" {
			return "snapshots are restored only on static machines assigned to a user", "CAT-13"
		}
		if m.Restart == Restarting {
			return "a restart is running; restore after it ends", "CAT-13"
		}
	default:
		return "the action is unknown", "CAT-8"
	}
	return "", ""
}

// Allowed returns the administrator actions m allows now, in declaration
// order; none while a restore runs or once deleted.
func (m Machine) Allowed() []Action {
	var out []Action
	for _, a := range Actions() {
		if why, _ := m.refusal(a); why == "" {
			out = append(out, a)
		}
	}
	return out
}

// Can reports whether m allows action a now.
func (m Machine) Can(a Action) bool {
	why, _ := m.refusal(a)
	return why == ""
}

func (m Machine) refuse(what, why, id string) error {
	return &ActionError{Machine: m.Name, What: what, State: m.State(), Why: why, Allowed: m.Allowed(), Rule: id}
}

// Do returns m after the administrator's action a (CAT-8, CAT-13), or m and
// an *ActionError when m's state does not allow it:
//
//   - Start: only when powered off (stopped, deallocated) or suspended →
//     Starting; a suspended machine resumes with its sessions.
//   - Shutdown: only when running and no restart runs → Deallocating;
//     sessions end, the VDA unregisters, a failed restart is cleared.
//   - Restart: only when running and no restart runs; sessions end and the
//     VDA unregisters until the restart is done.
//   - ForceRestart: only after a restart failed; as Restart.
//   - MaintenanceOn, MaintenanceOff: switch maintenance mode; sessions
//     continue, new ones are refused while it is on.
//   - Delete: only with no sessions; the machine is gone with its data.
//   - Restore: only on a static machine assigned to a user, not while a
//     restart runs; the machine is powered off (deallocated), its sessions
//     end and it accepts nothing until RestoreDone or RestoreFail. A failed
//     restore can be retried.
//
// Nothing is allowed while a restore runs or after Delete.
func (m Machine) Do(a Action) (Machine, error) {
	if why, id := m.refusal(a); why != "" {
		return m, m.refuse(a.String(), why, id)
	}
	switch a {
	case Start:
		m.Power = Starting
	case Shutdown:
		m.Power = Deallocating
		m.endAll()
		m.Restart = NoRestart
	case Restart, ForceRestart:
		m.Restart = Restarting
		m.endAll()
	case MaintenanceOn:
		m.Maintenance = true
	case MaintenanceOff:
		m.Maintenance = false
	case Delete:
		m.Deleted = true
		m.Registered = false
		m.Power = Deallocated
		m.Restart = NoRestart
	case Restore:
		m.Restore = RestoreRunning
		m.Power = Deallocated
		m.endAll()
	}
	return m, nil
}

// endAll ends every session and unregisters the VDA.
func (m *Machine) endAll() {
	m.Sessions = 0
	m.Registered = false
}

// Apply returns m after event e, or m and an *ActionError when m's state
// does not allow it:
//
//   - PowerDone: Starting → Running, Stopping → Stopped, Deallocating →
//     Deallocated.
//   - GuestShutdown: Running → Stopping; sessions end, the VDA unregisters.
//   - HibernateMachine: Running → Suspended, only when the machine supports
//     hibernation and no restart runs; sessions are kept, the VDA
//     unregisters.
//   - RestartDone, RestartFail: only while a restart runs; the machine stays
//     running, unregistered until Register.
//   - Register: only when running and no restart runs or failed; Unregister
//     only when registered.
//   - SessionStart: only when running, registered, out of maintenance mode,
//     with no restart running or failed, and below Capacity (MON-1).
//     SessionEnd: only when running with a session.
//   - RestoreDone, RestoreFail: only while a restore runs; the machine stays
//     off.
//
// A deleted machine accepts no event; a restoring one only the end of its
// restore.
func (m Machine) Apply(e Event) (Machine, error) {
	fail := func(why string) (Machine, error) {
		id := "MON-1"
		if m.Restore == RestoreRunning {
			id = "CAT-13"
		}
		return m, m.refuse(e.String(), why, id)
	}
	if m.Deleted {
		return fail("the machine is deleted")
	}
	if m.Restore == RestoreRunning && e != RestoreDone && e != RestoreFail {
		return fail("a snapshot is being restored")
	}
	switch e {
	case PowerDone:
		switch m.Power {
		case Starting:
			m.Power = Running
		case Stopping:
			m.Power = Stopped
		case Deallocating:
			m.Power = Deallocated
		default:
			return fail("no power transition is running")
		}
	case GuestShutdown:
		if m.Power != Running {
			return fail("the machine is not running")
		}
		m.Power = Stopping
		m.endAll()
		m.Restart = NoRestart
	case HibernateMachine:
		switch {
		case m.Power != Running:
			return fail("the machine is not running")
		case !m.Hibernation:
			return fail("the machine does not support hibernation")
		case m.Restart == Restarting:
			return fail("a restart is running")
		}
		m.Power = Suspended
		m.Registered = false
		m.Restart = NoRestart
	case RestartDone, RestartFail:
		if m.Restart != Restarting {
			return fail("no restart is running")
		}
		m.Restart = RestartFailed
		if e == RestartDone {
			m.Restart = NoRestart
		}
	case Register:
		switch {
		case m.Power != Running:
			return fail("the machine is not running")
		case m.Restart != NoRestart:
			return fail("the machine is " + m.Restart.String())
		case m.Registered:
			return fail("the VDA is already registered")
		}
		m.Registered = true
	case Unregister:
		if !m.Registered {
			return fail("the VDA is not registered")
		}
		m.Registered = false
	case SessionStart:
		switch {
		case m.Power != Running || !m.Registered:
			return fail("sessions start only on a running, registered machine")
		case m.Maintenance:
			return fail("the machine is in maintenance mode: no new sessions")
		case m.Restart != NoRestart:
			return fail("the machine is " + m.Restart.String())
		case m.Sessions >= m.Capacity:
			return fail(fmt.Sprintf("the machine is full: %d of %d sessions", m.Sessions, m.Capacity))
		}
		m.Sessions++
	case SessionEnd:
		if m.Power != Running || m.Sessions == 0 {
			return fail("no session runs on the machine")
		}
		m.Sessions--
	case RestoreDone, RestoreFail:
		if m.Restore != RestoreRunning {
			return fail("no restore is running")
		}
		m.Restore = RestoreFailed
		if e == RestoreDone {
			m.Restore = RestoreCompleted
		}
	default:
		return fail("the event is unknown")
	}
	return m, nil
}

// Assign returns the static machine m assigned to user, or m and an error:
// only static machines are assigned, each to one user (a valid user ID),
// and not while a restore runs or once deleted. Assigning again to the same
// user (ignoring case) changes nothing.
func (m Machine) Assign(user string) (Machine, error) {
	switch {
	case m.Deleted:
		return m, m.refuse("assign", "the machine is deleted", "CAT-8")
	case m.Restore == RestoreRunning:
		return m, m.refuse("assign", "a snapshot is being restored", "CAT-13")
	case m.Type != quota.Static:
		return m, m.refuse("assign", fmt.Sprintf("only static machines belong to a user; this one is %v", m.Type), "CAT-1")
	case m.Assigned != "" && !strings.EqualFold(m.Assigned, user):
		return m, m.refuse("assign", fmt.Sprintf("the machine belongs to %q", m.Assigned), "CAT-1")
	}
	if err := ValidateUserID(user); err != nil {
		return m, err
	}
	if m.Assigned == "" {
		m.Assigned = user
	}
	return m, nil
}

// Summary is the machine summary of a catalog (MON-1), as the Machines tab
// shows it.
type Summary struct {
	Total        int // machines, deleted ones excluded
	PoweredOn    int // starting or running
	Suspended    int // hibernated
	PoweredOff   int // stopping, stopped, deallocating or deallocated
	Hibernation  int // machines that support hibernation
	Sessions     int // active sessions: sessions on powered-on machines
	Unregistered int // powered-on machines whose VDA is not registered
}

// Summarize returns the machine summary of machines (MON-1). Deleted
// machines are not counted. A powered-off machine is not counted as
// unregistered (the console shows 3 powered off and 0 unregistered for a new
// catalog), and sessions of a suspended machine are not active.
func Summarize(machines []Machine) Summary {
	var s Summary
	for _, m := range machines {
		if m.Deleted {
			continue
		}
		s.Total++
		switch {
		case m.Power.On():
			s.PoweredOn++
			s.Sessions += m.Sessions
			if !m.Registered {
				s.Unregistered++
			}
		case m.Power == Suspended:
			s.Suspended++
		case m.Power.Off():
			s.PoweredOff++
		}
		if m.Hibernation {
			s.Hibernation++
		}
	}
	return s
}

// String returns the summary as the console reads it: "3 machines: 0
// powered on, 0 suspended, 3 powered off; 0 support hibernation, 0 active
// sessions, 0 unregistered".
func (s Summary) String() string {
	return fmt.Sprintf("%d machines: %d powered on, %d suspended, %d powered off; %d support hibernation, %d active sessions, %d unregistered",
		s.Total, s.PoweredOn, s.Suspended, s.PoweredOff, s.Hibernation, s.Sessions, s.Unregistered)
}

// RestoreState is where the restore of a snapshot onto a machine stands,
// named as in the Catalog Service API (API-5). The zero value is
// RestoreInactive: no restore has run.
type RestoreState uint8

// The restore states (API-5).
const (
	RestoreInactive  RestoreState = iota // no restore has run
	RestoreRunning                       // a restore runs: the machine is off and accepts no action (CAT-13)
	RestoreCompleted                     // the last restore completed
	RestoreFailed                        // the last restore failed; it can be retried
	numRestoreStates
)

var restoreNames = [numRestoreStates]string{"Inactive", "Running", "Completed", "Failed"}

// String returns the API name of the state, such as "Running".
func (r RestoreState) String() string {
	if r < numRestoreStates {
		return restoreNames[r]
	}
	return "RestoreState(" + strconv.Itoa(int(r)) + ")"
}

// ParseRestoreState returns the restore state whose API name is s,
// ignoring case.
func ParseRestoreState(s string) (RestoreState, error) {
	for i, n := range restoreNames {
		if strings.EqualFold(n, s) {
			return RestoreState(i), nil
		}
	}
	return 0, rule.Errorf("API-5", "restore state %q is unknown; want Inactive, Running, Completed or Failed", s)
}

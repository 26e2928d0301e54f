package quota

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/daasflex/daasflex/rule"
)

// SessionType says how many users a machine serves at once. The zero value is
// no session type and is not valid.
type SessionType uint8

// The session types of CAT-1.
const (
	SingleSession SessionType = iota + 1 // one user per machine (static and random machines)
	MultiSession                         // several users per machine
)

// String returns "single-session" or "multi-session".
func (s SessionType) String() string {
	switch s {
	case SingleSession:
		return "single-session"
	case MultiSession:
		return "multi-session"
	}
	return "SessionType(" + strconv.Itoa(int(s)) + ")"
}

// IsValid reports whether s is SingleSession or MultiSession.
func (s SessionType) IsValid() bool { return s == SingleSession || s == MultiSession }

// ParseSessionType parses "single-session" or "multi-session", ignoring case,
// accepting a space or nothing in place of the hyphen, and "single" or
// "multi" alone.
func ParseSessionType(s string) (SessionType, error) {
	switch fold(s) {
	case "singlesession", "single":
		return SingleSession, nil
	case "multisession", "multi":
		return MultiSession, nil
	}
	return 0, rule.Errorf("CAT-1", "session type %q is unknown; must be single-session or multi-session", s)
}

// MachineType is the kind of machines a catalog holds (CAT-1). The zero value
// is no machine type and is not valid.
type MachineType uint8

// The machine types of CAT-1.
const (
	Static              MachineType = iota + 1 // single-session, one machine belongs to one user
	Random                                     // single-session, pooled; changes discarded at logoff
	MultiSessionMachine                        // multi-session: several users share each machine
)

// String returns "static", "random" or "multi-session".
func (m MachineType) String() string {
	switch m {
	case Static:
		return "static"
	case Random:
		return "random"
	case MultiSessionMachine:
		return "multi-session"
	}
	return "MachineType(" + strconv.Itoa(int(m)) + ")"
}

// IsValid reports whether m is Static, Random or MultiSessionMachine.
func (m MachineType) IsValid() bool { return m >= Static && m <= MultiSessionMachine }

// Session returns the session type of machines of type m: SingleSession for
// Static and Random, MultiSession for MultiSessionMachine, 0 otherwise.
func (m MachineType) Session() SessionType {
	switch m {
	case Static, Random:
		return SingleSession
	case MultiSessionMachine:
		return MultiSession
	}
	return 0
}

// ParseMachineType parses "static", "random" or "multi-session", ignoring
// case and accepting a space or nothing in place of the hyphen.
func ParseMachineType(s string) (MachineType, error) {
	switch fold(s) {
	case "static":
		return Static, nil
	case "random":
		return Random, nil
	case "multisession":
		return MultiSessionMachine, nil
	}
	return 0, rule.Errorf("CAT-1", "machine type %q is unknown; must be static, random or multi-session", s)
}

// fold lowercases s and drops spaces, hyphens, underscores and parentheses,
// so that "Task worker (medium)" and "task-worker-medium" compare equal.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-', '_', '(', ')':
			return -1
		}
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// Names of the built-in personas, as the product shows them.
const (
	KnowledgeWorker  = "Knowledge worker"
	PowerWorker      = "Power worker"
	TaskWorkerMedium = "Task worker (medium)"
	TaskWorkerHeavy  = "Task worker (heavy)"
)

// Persona is a kind of user a catalog serves (CAT-1): its session type, how
// many users share a machine, and the machine's size. Personas are
// comparable values.
//
// The built-in personas (Personas, PersonaByName) leave VCPUs, MemoryGiB and
// VMSize zero: the documentation does not publish them and the service
// chooses them. A custom persona states VCPUs, MemoryGiB and UsersPerMachine;
// VMSize is optional.
type Persona struct {
	Name            string
	Session         SessionType
	UsersPerMachine int    // 1 for single-session personas
	VCPUs           int    // virtual CPUs per machine; 0 for a built-in persona
	MemoryGiB       int    // memory per machine in GiB; 0 for a built-in persona
	VMSize          string // Azure VM size, such as "Standard_D4s_v5"; optional
	Custom          bool   // a custom persona rather than a built-in one
}

// builtins is the persona table of CAT-1; a function so there is no mutable
// package state.
func builtins() []Persona {
	return []Persona{
		{Name: KnowledgeWorker, Session: SingleSession, UsersPerMachine: 1},
		{Name: PowerWorker, Session: SingleSession, UsersPerMachine: 1},
		{Name: TaskWorkerMedium, Session: MultiSession, UsersPerMachine: 8},
		{Name: TaskWorkerHeavy, Session: MultiSession, UsersPerMachine: 4},
	}
}

// Personas returns the built-in personas (CAT-1), single-session first. The
// slice is new on every call.
func Personas() []Persona { return builtins() }

// PersonaByName returns the built-in persona called name, ignoring case,
// spaces, hyphens and parentheses ("task worker medium" finds
// TaskWorkerMedium), and reports whether there is one.
func PersonaByName(name string) (Persona, bool) {
	f := fold(name)
	for _, p := range builtins() {
		if fold(p.Name) == f {
			return p, true
		}
	}
	return Persona{}, false
}

// CustomPersona returns a custom persona (CAT-1) and every problem with it.
// Single-session personas have one user per machine (CAT-2).
func CustomPersona(name string, session SessionType, vcpus, memoryGiB, usersPerMachine int) (Persona, error) {
	p := Persona{Name: name, Session: session, UsersPerMachine: usersPerMachine, VCPUs: vcpus, MemoryGiB: memoryGiB, Custom: true}
	if err := p.Validate(); err != nil {
		return Persona{}, err
	}
	return p, nil
}

// Validate reports every problem with p (CAT-1, CAT-2): a built-in persona
// must equal its entry in the table; a custom one needs a name that is not a
// built-in's, a session type, at least one vCPU, one GiB of memory and one
// user per machine, and exactly one user per machine when single-session.
func (p Persona) Validate() error {
	var list rule.List
	if !p.Custom {
		b, ok := PersonaByName(p.Name)
		switch {
		case !ok:
			list.Add("CAT-1", "persona %q is not built in; must be %s, or a custom persona", p.Name, builtinNames())
		case p != b:
			list.Add("CAT-1", "persona %q is %s; the built-in %q is %s", p.Name, p.describe(), b.Name, b.describe())
		}
		return list.Err()
	}
	if strings.TrimSpace(p.Name) == "" {
		list.Add("CAT-1", "custom persona has no name; must have one")
	} else if b, ok := PersonaByName(p.Name); ok {
		list.Add("CAT-1", "custom persona %q has the name of the built-in %q; must have another", p.Name, b.Name)
	}
	if !p.Session.IsValid() {
		list.Add("CAT-1", "custom persona %q has session type %v; must be single-session or multi-session", p.Name, p.Session)
	}
	if p.VCPUs < 1 {
		list.Add("CAT-1", "custom persona %q has %s vCPUs; must have at least 1", p.Name, group(p.VCPUs))
	}
	if p.MemoryGiB < 1 {
		list.Add("CAT-1", "custom persona %q has %s GiB of memory; must have at least 1", p.Name, group(p.MemoryGiB))
	}
	switch {
	case p.UsersPerMachine < 1:
		list.Add("CAT-2", "custom persona %q has %s users per machine; must have at least 1", p.Name, group(p.UsersPerMachine))
	case p.Session == SingleSession && p.UsersPerMachine != 1:
		list.Add("CAT-2", "single-session persona %q has %s users per machine; must have exactly 1", p.Name, group(p.UsersPerMachine))
	}
	return list.Err()
}

func (p Persona) describe() string {
	users := "users"
	if p.UsersPerMachine == 1 {
		users = "user"
	}
	s := fmt.Sprintf("%v, %s %s per machine", p.Session, group(p.UsersPerMachine), users)
	if p.VCPUs != 0 || p.MemoryGiB != 0 {
		s += fmt.Sprintf(", %s vCPUs, %s GiB", group(p.VCPUs), group(p.MemoryGiB))
	}
	if p.VMSize != "" {
		s += fmt.Sprintf(", size %q", p.VMSize)
	}
	return s
}

func builtinNames() string {
	var names []string
	for _, p := range builtins() {
		names = append(names, strconv.Quote(p.Name))
	}
	return strings.Join(names, ", ")
}

// String returns the persona's name and shape, such as
// "Task worker (medium) (multi-session, 8 users per machine)" or
// "CAD (single-session, 1 user per machine, 8 vCPUs, 32 GiB, size "Standard_D8s_v5")".
func (p Persona) String() string {
	return p.Name + " (" + p.describe() + ")"
}

// MachineTypes returns the machine types p may be delivered on (CAT-1):
// Static and Random for single-session personas, MultiSessionMachine for
// multi-session ones, none for an invalid session type.
func (p Persona) MachineTypes() []MachineType {
	switch p.Session {
	case SingleSession:
		return []MachineType{Static, Random}
	case MultiSession:
		return []MachineType{MultiSessionMachine}
	}
	return nil
}

// CheckPairing reports every problem with delivering persona p on machines
// of type mt (CAT-1): p must be valid, mt must be a machine type, and
// single-session personas go on static or random machines, multi-session
// personas on multi-session machines.
func CheckPairing(p Persona, mt MachineType) error {
	var list rule.List
	list.Append(p.Validate())
	switch {
	case !mt.IsValid():
		list.Add("CAT-1", "machine type %v is unknown; must be static, random or multi-session", mt)
	case p.Session.IsValid() && mt.Session() != p.Session:
		var want []string
		for _, m := range p.MachineTypes() {
			want = append(want, m.String())
		}
		list.Add("CAT-1", "persona %q is %v and cannot use %v machines; must use %s", p.Name, p.Session, mt, strings.Join(want, " or "))
	}
	return list.Err()
}

// Machines returns how many machines serve users unique users of persona p
// (CAT-2): users for a single-session persona, ⌈users ÷ users per machine⌉
// for a multi-session one. Users below 1 and an invalid persona are refused.
func (p Persona) Machines(users int) (int, error) {
	var list rule.List
	list.Append(p.Validate())
	if users < 1 {
		list.Add("CAT-2", "unique users is %s; must be at least 1", group(users))
	}
	if err := list.Err(); err != nil {
		return 0, err
	}
	return MachinesFor(p.UsersPerMachine, users), nil
}

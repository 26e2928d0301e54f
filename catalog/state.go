package catalog

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// State is where a catalog is in its life, named as in the Catalog Service
// API (API-1). The zero value is PreDeployment, the state of a catalog that
// has been accepted and not yet provisioned.
type State uint8

// The catalog states (API-1).
const (
	PreDeployment State = iota // accepted, not yet provisioned
	Active                     // provisioned and idle: ready for changes
	Processing                 // an operation runs: provisioning, adding machines, updating the image
	InputRequired              // an operation waits for the administrator, such as credentials
	Error                      // the last operation failed; retry or delete
	Deleting                   // being deleted; the catalog disappears when done
	numStates
)

var stateNames = [numStates]string{"PreDeployment", "Active", "Processing", "InputRequired", "Error", "Deleting"}

// String returns the API name of the state, such as "InputRequired".
func (s State) String() string {
	if s < numStates {
		return stateNames[s]
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// IsValid reports whether s is one of the API-1 states.
func (s State) IsValid() bool { return s < numStates }

// ParseState returns the state whose API name is s, ignoring case.
func ParseState(s string) (State, error) {
	for i, n := range stateNames {
		if strings.EqualFold(n, s) {
			return State(i), nil
		}
	}
	return 0, rule.Errorf("API-1", "catalog state %q is unknown; want one of %s", s, strings.Join(stateNames[:], ", "))
}

// States returns every state (API-1) in declaration order.
func States() []State {
	out := make([]State, numStates)
	for i := range out {
		out[i] = State(i)
	}
	return out
}

// Next returns the states a catalog may move to from s, in declaration
// order:
//
//	PreDeployment → Processing (provisioning starts), Deleting
//	Active        → Processing (a change starts), Deleting
//	Processing    → Active (done), InputRequired, Error (failed)
//	InputRequired → Processing (input given), Deleting (operation abandoned)
//	Error         → Processing (retry or repair), Deleting
//	Deleting      → Error (deletion failed)
func (s State) Next() []State {
	switch s {
	case PreDeployment, Active:
		return []State{Processing, Deleting}
	case Processing:
		return []State{Active, InputRequired, Error}
	case InputRequired:
		return []State{Processing, Deleting}
	case Error:
		return []State{Processing, Deleting}
	case Deleting:
		return []State{Error}
	}
	return nil
}

// CanMoveTo reports whether a catalog in state s may move to state t.
func (s State) CanMoveTo(t State) bool {
	for _, n := range s.Next() {
		if n == t {
			return true
		}
	}
	return false
}

// MoveTo returns t when a catalog in state s may move there, or s and a
// *StateError naming s and the states allowed from it (API-1).
func (s State) MoveTo(t State) (State, error) {
	if !s.CanMoveTo(t) {
		return s, &StateError{From: s, To: t, Allowed: s.Next()}
	}
	return t, nil
}

// StateError reports a catalog state change that API-1 does not allow.
// It unwraps to an API-1 violation.
type StateError struct {
	From, To State
	Allowed  []State
}

// Error names the refused change, the current state and what is allowed.
func (e *StateError) Error() string { return e.violation().Error() }

// Unwrap returns the API-1 violation.
func (e *StateError) Unwrap() error { return e.violation() }

func (e *StateError) violation() *rule.Violation {
	return rule.Errorf("API-1", "a catalog in state %v cannot move to %v; from %v it can move to %s", e.From, e.To, e.From, joinStates(e.Allowed))
}

func joinStates(ss []State) string {
	if len(ss) == 0 {
		return "nothing"
	}
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.String()
	}
	return strings.Join(names, ", ")
}

// Operation is a long-running change of a catalog. The zero value is
// NoOperation.
type Operation uint8

// The catalog operations.
const (
	NoOperation   Operation = iota
	Provision               // create the catalog's first machines
	AddMachines             // add machines (CAT-6)
	UpdateImage             // move machines to a new image (CAT-7)
	DeleteCatalog           // destroy the catalog (CAT-12)
	numOperations
)

var operationNames = [numOperations]string{"no operation", "provisioning", "adding machines", "updating the image", "deleting the catalog"}

// String returns what the operation does, such as "adding machines".
func (o Operation) String() string {
	if o < numOperations {
		return operationNames[o]
	}
	return "Operation(" + strconv.Itoa(int(o)) + ")"
}

// ErrBusy is matched (errors.Is) by the error of a change refused because
// another operation holds the catalog (CAT-6). The Tenant answers it as
// flex.ErrBusy.
var ErrBusy = errors.New("catalog: busy")

// BusyError reports a change refused because an operation holds the
// catalog (CAT-6). It matches ErrBusy and unwraps to a CAT-6 violation.
type BusyError struct {
	Catalog string    // the catalog's name, when known
	Holder  Operation // the operation in progress
	Wanted  string    // the refused change, such as "updating the image"
}

// Error names the catalog, the operation in progress and the refused change.
func (e *BusyError) Error() string { return e.violation().Error() }

// Is reports whether target is ErrBusy.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// Unwrap returns the CAT-6 violation.
func (e *BusyError) Unwrap() error { return e.violation() }

func (e *BusyError) violation() *rule.Violation {
	name := "the catalog"
	if e.Catalog != "" {
		name = fmt.Sprintf("catalog %q", e.Catalog)
	}
	return rule.Errorf("CAT-6", "%s is busy %s; %s must wait until it completes", name, e.Holder, e.Wanted)
}

// Status is a catalog's state and the operation that holds it, the lock of
// CAT-6: while an operation runs (adding machines above all) no other change
// may start. Status is a comparable value; its methods return the next
// status and never modify the receiver. The zero value is a PreDeployment
// catalog that nothing holds.
type Status struct {
	Name  string    // the catalog's name, for messages
	State State     // API-1
	Op    Operation // the operation in progress, NoOperation when idle
}

// Busy reports whether an operation holds the catalog.
func (s Status) Busy() bool { return s.Op != NoOperation }

// CheckChange reports, as an error, why a short change such as editing
// users, apps or snapshot schedules cannot be made now, or nil: not while an
// operation holds the catalog (CAT-6; the error matches ErrBusy) and not
// once it is being deleted (API-1).
func (s Status) CheckChange(what string) error {
	if s.Busy() {
		return &BusyError{Catalog: s.Name, Holder: s.Op, Wanted: what}
	}
	if s.State == Deleting {
		return rule.Errorf("API-1", "catalog %q is being deleted; %s is not possible", s.Name, what)
	}
	return nil
}

// Begin returns the status with operation op started, or s and an error:
// a *BusyError (CAT-6, matching ErrBusy) when another operation holds the
// catalog, or a *StateError (API-1) when op cannot start from the current
// state. Provision starts only from PreDeployment; AddMachines and
// UpdateImage from Active or Error; DeleteCatalog from every state but
// Processing and Deleting, including InputRequired, whose waiting operation
// it abandons.
func (s Status) Begin(op Operation) (Status, error) {
	if s.Busy() && !(op == DeleteCatalog && s.State == InputRequired) {
		return s, &BusyError{Catalog: s.Name, Holder: s.Op, Wanted: op.String()}
	}
	var ok bool
	target := Processing
	switch op {
	case Provision:
		ok = s.State == PreDeployment
	case AddMachines, UpdateImage:
		ok = s.State == Active || s.State == Error
	case DeleteCatalog:
		target = Deleting
		ok = s.State.CanMoveTo(Deleting)
	default:
		return s, rule.Errorf("API-1", "operation %v is unknown; want provisioning, adding machines, updating the image or deleting the catalog", op)
	}
	if !ok {
		return s, &StateError{From: s.State, To: target, Allowed: s.State.Next()}
	}
	return Status{Name: s.Name, State: target, Op: op}, nil
}

// NeedInput returns the status of an operation that waits for the
// administrator: Processing → InputRequired, keeping the operation (the
// catalog stays locked).
func (s Status) NeedInput() (Status, error) {
	if s.State != Processing {
		return s, &StateError{From: s.State, To: InputRequired, Allowed: s.State.Next()}
	}
	s.State = InputRequired
	return s, nil
}

// Resume returns the status of an operation given the input it waited for:
// InputRequired → Processing.
func (s Status) Resume() (Status, error) {
	if s.State != InputRequired {
		return s, &StateError{From: s.State, To: Processing, Allowed: s.State.Next()}
	}
	s.State = Processing
	return s, nil
}

// Finish returns the status once the operation in progress ends, releasing
// the lock: Processing → Active when ok, Error when not. A finished deletion
// stays Deleting (the Tenant then forgets the catalog); a failed one moves
// to Error so it can be retried. Without an operation in progress Finish
// returns an API-1 error.
func (s Status) Finish(ok bool) (Status, error) {
	switch {
	case s.Op == NoOperation || s.State == InputRequired:
		return s, rule.Errorf("API-1", "catalog %q in state %v has no running operation to finish", s.Name, s.State)
	case s.Op == DeleteCatalog && ok:
		return Status{Name: s.Name, State: Deleting}, nil
	}
	next := Error
	if ok {
		next = Active
	}
	return Status{Name: s.Name, State: next}, nil
}

// AddMachinesRequest is what an administrator enters to add machines to a
// catalog (CAT-6): the number of users to add and, for a domain-joined
// catalog, the service account and password again, which add the new
// machines to the domain. The password is a secret (SEC-1).
type AddMachinesRequest struct {
	Users          int
	ServiceAccount string
	Password       secret.Value
}

// Validate reports every problem of r for a catalog of domain type domain
// (CAT-6): at least one user, and the service account credentials exactly
// when the catalog is domain-joined. The password never appears (SEC-1).
func (r AddMachinesRequest) Validate(domain image.DomainType) error {
	var l rule.List
	if r.Users < 1 {
		l.Add("CAT-2", "%d users to add; enter at least 1", r.Users)
	}
	if domain.Joined() {
		if msg := accountProblemFor(r.ServiceAccount); msg != "" {
			l.Add("CAT-6", "service account %q %s; %s catalog needs the service account again to add machines to the domain", r.ServiceAccount, msg, withArticle(domain))
		}
		if r.Password.IsZero() {
			l.Add("CAT-6", "no service account password; %s catalog needs it again to add machines to the domain", withArticle(domain))
		}
	} else if r.ServiceAccount != "" || !r.Password.IsZero() {
		l.Add("CAT-6", "service account credentials given for %s catalog; they are needed only for domain-joined catalogs, clear them", withArticle(domain))
	}
	return l.Err()
}

// Machines returns how many machines adding r.Users users of persona p
// takes (CAT-2).
func (r AddMachinesRequest) Machines(p quota.Persona) (int, error) { return p.Machines(r.Users) }

// accountProblemFor describes what is wrong with a service account name,
// or returns "".
func accountProblemFor(a string) string {
	if a == "" {
		return "is empty"
	}
	return accountIDProblem(a, User)
}

package flex

import (
	"errors"
	"fmt"
	"time"

	"github.com/daasflex/daasflex/rule"
)

// The closed list of error kinds. Every error a Tenant or a Provider returns
// matches at most one of them with errors.Is; context errors pass through
// untouched so that errors.Is(err, context.Canceled) keeps working.
var (
	// ErrNotFound: the object or cloud resource does not exist (HTTP 404).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the name is taken, or the resource exists in a state that
	// conflicts with the request (HTTP 409).
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the request breaks a rule; the error lists every problem
	// with its rule ID (see package rule).
	ErrInvalid = errors.New("invalid request")
	// ErrLimit: the request would exceed a service limit (LIM-*).
	ErrLimit = errors.New("limit exceeded")
	// ErrBusy: the object is locked by a long-running operation, such as a
	// catalog that is adding machines (CAT-6). Try again when it completes.
	ErrBusy = errors.New("busy")
	// ErrPrecondition: the object is not in a state that allows the
	// operation, such as deleting a connection that catalogs use (NET-8),
	// or the acting administrator's role does not allow it (ADM-1).
	ErrPrecondition = errors.New("precondition failed")
	// ErrCapacity: the region has no capacity for the VM size asked for;
	// a catalog falls back to its backup size (CAT-14).
	ErrCapacity = errors.New("no capacity")
	// ErrThrottled: the cloud asked the caller to slow down (HTTP 429);
	// Error.RetryAfter says for how long.
	ErrThrottled = errors.New("throttled")
	// ErrUnavailable: a transient failure of the cloud (HTTP 5xx) that a
	// retry may cure.
	ErrUnavailable = errors.New("service unavailable")
)

// Error is the error of an operation on one object or cloud resource. Its
// Kind is one of the Err… values, which errors.Is matches; Err, when set, is
// the underlying cause (a validation list, a provider's native error) and is
// reachable with errors.As.
type Error struct {
	Kind       error         // one of the Err… kinds
	Op         string        // the operation, such as "CreateCatalog" or "PutVirtualNetwork"
	Object     string        // the object concerned, such as `catalog "Sales"` or a resource ID
	Err        error         // the cause; may be nil
	RetryAfter time.Duration // with ErrThrottled: how long the cloud asked to wait
}

// Error returns "Op Object: kind: cause".
func (e *Error) Error() string {
	s := e.Op
	if e.Object != "" {
		if s != "" {
			s += " "
		}
		s += e.Object
	}
	if s != "" {
		s += ": "
	}
	if e.Kind != nil {
		s += e.Kind.Error()
	}
	if e.Err != nil {
		if e.Kind != nil {
			s += ": "
		}
		s += e.Err.Error()
	}
	return s
}

// Unwrap returns the kind and the cause, so that errors.Is matches the kind
// and errors.As reaches the cause.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// Errorf returns an *Error of the given kind whose cause is formatted with
// fmt.Errorf (so %w wraps).
func Errorf(kind error, op, object, format string, args ...any) *Error {
	return &Error{Kind: kind, Op: op, Object: object, Err: fmt.Errorf(format, args...)}
}

// refuse returns an *Error of kind for op on object whose cause is a
// violation of rule id, so that rule.Has and rule.IDs find it.
func refuse(kind error, op, object, id, format string, args ...any) *Error {
	return &Error{Kind: kind, Op: op, Object: object, Err: rule.Errorf(id, format, args...)}
}

// KindOf returns the Err… kind err matches, or nil when it matches none.
func KindOf(err error) error {
	for _, k := range []error{ErrNotFound, ErrConflict, ErrInvalid, ErrLimit, ErrBusy,
		ErrPrecondition, ErrCapacity, ErrThrottled, ErrUnavailable} {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}

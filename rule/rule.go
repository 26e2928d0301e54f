// Package rule names the product rules of DaaS Flex and carries rule
// violations as errors.
//
// Every validation in daasflex reports all of its problems at once as a
// *multierror.Error whose items are *Violation values. Each violation names
// the rule it breaks (the IDs of RULES.md, such as "NAM-2"), the offending
// value and what would be accepted, so one line tells an administrator what
// to fix:
//
//	NAM-2: "MachineSalesTeam-##" is 19 characters; at most 15
//
// Programs inspect violations with errors.As or with IDs, never by matching
// message text.
//
// The smallest use, a validation that collects every problem and a caller
// that asks which rules broke:
//
//	var l rule.List
//	if n := len(scheme); n > 15 {
//		l.Add("NAM-2", "%q is %d characters; at most 15", scheme, n)
//	}
//	err := l.Err()                      // nil when l is empty
//	fmt.Println(err)                    // NAM-2: "MachineSalesTeam-##" is 19 characters; at most 15
//	fmt.Println(rule.IDs(err))          // [NAM-2]
//	fmt.Println(rule.Has(err, "NAM-2")) // true
package rule

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/go-multierror"
)

// Violation is one broken rule: the rule's ID and a message that names the
// offending value and what would be accepted.
type Violation struct {
	ID  string // rule ID, such as "NAM-2"
	Msg string // the problem and the fix, without the ID
}

// Error returns "ID: message".
func (v *Violation) Error() string { return v.ID + ": " + v.Msg }

// Errorf returns a *Violation of rule id with a formatted message.
func Errorf(id, format string, args ...any) *Violation {
	return &Violation{ID: id, Msg: fmt.Sprintf(format, args...)}
}

// List collects violations so that a validation can report every problem at
// once. The zero value is an empty list ready to use.
type List struct {
	errs *multierror.Error
}

// Add appends a violation of rule id with a formatted message.
func (l *List) Add(id, format string, args ...any) {
	l.Append(Errorf(id, format, args...))
}

// Append appends err; a *multierror.Error is flattened into its items and a
// nil err is ignored.
func (l *List) Append(err error) {
	if err == nil {
		return
	}
	l.errs = multierror.Append(l.errs, err)
}

// Len reports how many problems the list holds.
func (l *List) Len() int {
	if l.errs == nil {
		return 0
	}
	return len(l.errs.Errors)
}

// Err returns the collected problems as a *multierror.Error that prints one
// problem per line, or nil when there are none.
func (l *List) Err() error {
	if l.errs == nil || len(l.errs.Errors) == 0 {
		return nil
	}
	l.errs.ErrorFormat = Lines
	return l.errs
}

// Lines formats a list of errors one per line, the format of every
// validation error in daasflex.
func Lines(errs []error) string {
	var b strings.Builder
	for i, err := range errs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(err.Error())
	}
	return b.String()
}

// IDs returns the sorted, distinct rule IDs of every violation found in err,
// looking through wrapped errors and multierror lists.
func IDs(err error) []string {
	var ids []string
	walk(err, func(v *Violation) { ids = append(ids, v.ID) })
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Violations returns every violation found in err, in order, looking through
// wrapped errors and multierror lists.
func Violations(err error) []*Violation {
	var vs []*Violation
	walk(err, func(v *Violation) { vs = append(vs, v) })
	return vs
}

// Has reports whether err holds a violation of rule id.
func Has(err error, id string) bool {
	found := false
	walk(err, func(v *Violation) { found = found || v.ID == id })
	return found
}

func walk(err error, visit func(*Violation)) {
	if err == nil {
		return
	}
	if v, ok := err.(*Violation); ok {
		visit(v)
		return
	}
	if m, ok := err.(*multierror.Error); ok {
		for _, e := range m.Errors {
			walk(e, visit)
		}
		return
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			walk(e, visit)
		}
	case interface{ Unwrap() error }:
		walk(u.Unwrap(), visit)
	default:
		var v *Violation
		if errors.As(err, &v) {
			visit(v)
		}
	}
}

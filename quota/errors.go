package quota

import (
	"errors"
	"strings"

	"github.com/daasflex/daasflex/rule"
)

// ErrLimit is matched (errors.Is) by every refusal because a limit would be
// exceeded; the error holds one *LimitError per limit (errors.As).
var ErrLimit = errors.New("quota: limit exceeded")

// ErrInvalidChange is matched by a Change the Ledger cannot apply whatever the
// limits: a missing name, a catalog counted twice, removing more than is
// there, or a reservation already released.
var ErrInvalidChange = errors.New("quota: invalid change")

// Share is one part of a usage breakdown: a catalog's VDAs within a
// subscription, a subscription's catalogs within the tenant, a domain or a
// resource location.
type Share struct {
	Name     string
	InUse    int // committed
	Reserved int // held by reservations not yet committed
}

// LimitError is the refusal of one limit: which rule and scope, the limit,
// the usage with its breakdown and the requested amount. It matches ErrLimit
// and unwraps to a *rule.Violation carrying its rule ID, so rule.IDs and
// rule.Has see it.
type LimitError struct {
	Rule      string  // "LIM-4"
	Scope     string  // "subscription Citrix Managed", "resource location West", "tenant"
	Unit      string  // what is counted, plural: "VDAs", "catalogs"
	Limit     int     // the configured limit
	InUse     int     // committed usage in the scope
	Reserved  int     // usage held by reservations in progress
	Requested int     // the amount the refused change adds
	Breakdown []Share // InUse and Reserved by part, sorted by name
}

// maxShown bounds how many breakdown entries the message prints.
const maxShown = 10

// Error reads, with thousands separators, like
//
//	LIM-4: subscription Citrix Managed: adding 500 VDAs would make 5,000, reaching the limit of 5,000 (in use 4,500: Cat1 2,000, Cat2 2,500)
func (e *LimitError) Error() string { return e.Rule + ": " + e.message() }

func (e *LimitError) message() string {
	var b strings.Builder
	b.WriteString(e.Scope)
	b.WriteString(": adding ")
	b.WriteString(group(e.Requested))
	b.WriteByte(' ')
	if e.Requested == 1 {
		b.WriteString(strings.TrimSuffix(e.Unit, "s"))
	} else {
		b.WriteString(e.Unit)
	}
	total := e.InUse + e.Reserved + e.Requested
	b.WriteString(" would make ")
	b.WriteString(group(total))
	if total > e.Limit {
		b.WriteString(", over the limit of ")
	} else {
		b.WriteString(", reaching the limit of ") // LIM-4: the limit itself is refused
	}
	b.WriteString(group(e.Limit))
	b.WriteString(" (in use ")
	b.WriteString(group(e.InUse))
	e.writeShares(&b, func(s Share) int { return s.InUse })
	if e.Reserved > 0 {
		b.WriteString("; reserved by operations in progress ")
		b.WriteString(group(e.Reserved))
		e.writeShares(&b, func(s Share) int { return s.Reserved })
	}
	b.WriteByte(')')
	return b.String()
}

// writeShares writes ": name n, name n" for the non-zero shares picked by n,
// or only the names when every share counts one named thing (domains,
// resource locations).
func (e *LimitError) writeShares(b *strings.Builder, n func(Share) int) {
	namesOnly := e.Rule == "LIM-1" || e.Rule == "LIM-3" || e.Rule == "LIM-6"
	shown, hidden := 0, 0
	for _, s := range e.Breakdown {
		v := n(s)
		if v == 0 {
			continue
		}
		if shown == maxShown {
			hidden++
			continue
		}
		if shown == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(s.Name)
		if !namesOnly {
			b.WriteByte(' ')
			b.WriteString(group(v))
		}
		shown++
	}
	if hidden > 0 {
		b.WriteString(" and ")
		b.WriteString(group(hidden))
		b.WriteString(" more")
	}
}

// Is reports whether target is ErrLimit.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// Unwrap returns the refusal as a *rule.Violation of e.Rule.
func (e *LimitError) Unwrap() error { return &rule.Violation{ID: e.Rule, Msg: e.message()} }

// Package secret holds values that must never be printed: passwords,
// pre-shared keys, client secrets and key material (rule SEC-1).
//
// A Value prints as [redacted] through String, GoString, every fmt verb and
// encoding/json, so a secret placed in a struct, an error or a log line
// cannot leak. Only the operation that needs the secret calls Reveal.
package secret

import (
	"fmt"
	"log/slog"
)

// Redacted is what a Value prints instead of its content.
const Redacted = "[redacted]"

// Value is a secret string. The zero value is the empty secret. Values are
// comparable with == and Equal.
type Value struct {
	s string
}

// New returns a Value holding s.
func New(s string) Value { return Value{s: s} }

// Reveal returns the secret itself. Call it only where the secret is used.
func (v Value) Reveal() string { return v.s }

// IsZero reports whether the secret is empty.
func (v Value) IsZero() bool { return v.s == "" }

// Len returns the secret's length in bytes, for validations that need it.
func (v Value) Len() int { return len(v.s) }

// Equal reports whether v and w hold the same secret.
func (v Value) Equal(w Value) bool { return v.s == w.s }

// String returns [redacted].
func (v Value) String() string { return Redacted }

// GoString returns [redacted], so %#v does not leak either.
func (v Value) GoString() string { return Redacted }

// Format prints [redacted] for every verb, including %x and %q.
func (v Value) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Redacted)) }

// MarshalJSON encodes the secret as the JSON string "[redacted]".
func (v Value) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalText encodes the secret as [redacted].
func (v Value) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// LogValue makes log/slog print [redacted].
func (v Value) LogValue() slog.Value { return slog.StringValue(Redacted) }

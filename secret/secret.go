// Package secret holds values that must never be printed: passwords,
// pre-shared keys, client secrets and key material (rule SEC-1).
//
// A Value prints as [redacted] through String, GoString, every fmt verb and
// encoding/json, so a secret placed in a struct, an error or a log line
// cannot leak. Only the operation that needs the secret calls Reveal.
//
// The smallest use:
//
//	psk := secret.New("correct horse battery staple")
//	fmt.Println(psk)              // [redacted]
//	fmt.Println(psk.Len())        // 28: checked without revealing it
//	key := []byte(psk.Reveal())   // only where the secret is used
package secret

import (
	"fmt"
	"log/slog"
)

// Redacted is what a Value prints instead of its content.
const Redacted = "[redacted]"

// Value is a secret string. The zero value is the empty secret.
//
// The content is held behind a pointer so that even a Value in an
// unexported struct field, which fmt prints by reflection without calling
// its methods, shows only an address. For the same reason == compares
// identity, not content: compare Values with Equal.
type Value struct {
	p *string
}

// New returns a Value holding s.
func New(s string) Value {
	if s == "" {
		return Value{}
	}
	return Value{p: &s}
}

// Reveal returns the secret itself. Call it only where the secret is used.
func (v Value) Reveal() string {
	if v.p == nil {
		return ""
	}
	return *v.p
}

// IsZero reports whether the secret is empty.
func (v Value) IsZero() bool { return v.p == nil || *v.p == "" }

// Len returns the secret's length in bytes, for validations that need it.
func (v Value) Len() int { return len(v.Reveal()) }

// Equal reports whether v and w hold the same secret.
func (v Value) Equal(w Value) bool { return v.Reveal() == w.Reveal() }

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

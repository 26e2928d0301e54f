package naming

import (
	"fmt"
	"strconv"
	"strings"
)

// WildcardKind says what a scheme's wildcards stand for: digits or letters
// (rule NAM-7). The zero value is Digits, the product's default.
type WildcardKind int

const (
	// Digits wildcards count from 1, zero-padded to the wildcard width:
	// "PC-##" names PC-01 … PC-99, then PC-100 … (rule NAM-7, NAM-8).
	Digits WildcardKind = iota
	// Letters wildcards run through upper-case letters: "PC-##" names
	// PC-AA … PC-ZZ, then PC-AAA … (rule NAM-7, NAM-8).
	Letters
)

// IsValid reports whether k is Digits or Letters.
func (k WildcardKind) IsValid() bool { return k == Digits || k == Letters }

// String returns "Digits" or "Letters", or "WildcardKind(n)" for any other
// value.
func (k WildcardKind) String() string {
	switch k {
	case Digits:
		return "Digits"
	case Letters:
		return "Letters"
	}
	return "WildcardKind(" + strconv.Itoa(int(k)) + ")"
}

// ParseWildcardKind returns the kind named by s, ignoring case: "Digits"
// (also "digit", "numbers", "0-9") or "Letters" (also "letter", "A-Z").
func ParseWildcardKind(s string) (WildcardKind, error) {
	switch strings.ToLower(s) {
	case "digits", "digit", "numbers", "number", "0-9":
		return Digits, nil
	case "letters", "letter", "a-z":
		return Letters, nil
	}
	return 0, fmt.Errorf("naming: wildcard kind %q is neither Digits (0-9) nor Letters (A-Z)", s)
}

// MarshalText returns the kind's name, so kinds read and write as
// "Digits" and "Letters" in JSON and other text formats.
func (k WildcardKind) MarshalText() ([]byte, error) {
	if !k.IsValid() {
		return nil, fmt.Errorf("naming: cannot marshal %v: neither Digits nor Letters", k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText sets k from text as ParseWildcardKind reads it.
func (k *WildcardKind) UnmarshalText(text []byte) error {
	v, err := ParseWildcardKind(string(text))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

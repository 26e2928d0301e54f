package catalog

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/daasflex/daasflex/rule"
)

// Bounds on a catalog name in characters (CAT-5): the Catalog Service API
// accepts 2 to 38.
const (
	MinNameLen = 2
	MaxNameLen = 38
)

// forbiddenNameChars are the characters a catalog name may not contain. The
// documentation sets only the length; the decision is the list Citrix Studio
// refuses in machine catalog names, which the service shares.
const forbiddenNameChars = "\\/;:#.*?=<>|[](){}\"'`~"

// ValidateName reports, as an error, why name cannot name a catalog (CAT-5),
// or nil. A name is 2 to 38 characters (runes), valid UTF-8, without control
// characters, without leading or trailing spaces and without any of
// \ / ; : # . * ? = < > | [ ] ( ) { } " ' ` ~. Every problem is reported.
//
// Names are unique in the tenant, compared ignoring case (see SameName);
// the Tenant checks that, as only it knows the other catalogs.
func ValidateName(name string) error {
	var l rule.List
	if !utf8.ValidString(name) {
		l.Add("CAT-5", "catalog name %q is not valid UTF-8; want 2 to %d characters of text", name, MaxNameLen)
		return l.Err()
	}
	if n := utf8.RuneCountInString(name); n < MinNameLen || n > MaxNameLen {
		l.Add("CAT-5", "catalog name %q is %d characters; want %d to %d", name, n, MinNameLen, MaxNameLen)
	}
	if strings.TrimSpace(name) != name {
		l.Add("CAT-5", "catalog name %q starts or ends with a space; remove it", name)
	}
	pos := 0
	for _, r := range name {
		pos++
		switch {
		case unicode.IsControl(r):
			l.Add("CAT-5", "catalog name %q has a control character (%U) at position %d; use printable characters", name, r, pos)
		case strings.ContainsRune(forbiddenNameChars, r):
			l.Add("CAT-5", "catalog name %q has %q at position %d; these are not allowed: %s", name, r, pos, forbiddenNameChars)
		}
	}
	return l.Err()
}

// SameName reports whether a and b name the same catalog: catalog names
// are unique in a tenant ignoring case (CAT-5).
func SameName(a, b string) bool { return strings.EqualFold(a, b) }

// foldKey returns a key under which strings that strings.EqualFold holds
// equal are equal: every rune replaced by the smallest rune of its case
// folding orbit.
func foldKey(s string) string {
	return strings.Map(func(r rune) rune {
		lo := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < lo {
				lo = f
			}
		}
		return lo
	}, s)
}

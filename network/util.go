package network

import (
	"net/netip"

	"github.com/daasflex/daasflex/rule"
)

// ruleErr returns a violation of rule id whose message is msg.
func ruleErr(id, msg string) error { return &rule.Violation{ID: id, Msg: msg} }

// Warning is advice that does not block an operation, such as a vWAN
// connection without a route to the internet (NET-12). It names the rule it
// comes from like a violation does.
type Warning struct {
	ID  string // rule ID, such as "NET-12"
	Msg string // what may go wrong and how to avoid it
}

// String returns "ID: message".
func (w Warning) String() string { return w.ID + ": " + w.Msg }

// isWordByte reports whether c is a letter, digit or underscore.
func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// azureNameProblem returns what is wrong with s as the name of an Azure
// network resource such as an NSG rule or a route (1–80 characters of
// letters, digits, '_', '.' and '-', starting with a letter, digit or '_'
// and ending with one), or "" when nothing is.
func azureNameProblem(s string) string {
	switch {
	case s == "":
		return "is empty; want 1 to 80 letters, digits, '_', '.' or '-'"
	case len(s) > 80:
		return "is longer than 80 characters"
	case !isWordByte(s[0]):
		return "must start with a letter, digit or '_'"
	case !isWordByte(s[len(s)-1]):
		return "must end with a letter, digit or '_'"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isWordByte(c) && c != '.' && c != '-' {
			return "may contain only letters, digits, '_', '.' and '-'"
		}
	}
	return ""
}

// containsAddr reports whether any prefix of ps contains a.
func containsAddr(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// canonicalProblem returns what is wrong with p as an IPv4 address range,
// or "" when it is a valid IPv4 prefix without host bits.
func canonicalProblem(p netip.Prefix) string {
	switch {
	case !p.IsValid():
		return "is not a valid address range; want CIDR notation such as 10.0.0.0/24"
	case !p.Addr().Is4():
		return "is not IPv4; Flex address ranges are IPv4"
	case p.Masked() != p:
		return "has host bits set; did you mean " + p.Masked().String() + "?"
	}
	return ""
}

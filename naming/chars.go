package naming

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/daasflex/daasflex/rule"
)

// MaxLen and MinLen bound the length of a machine name in characters,
// wildcard positions included (rule NAM-2; AZ-7 allows at most 15 too).
const (
	MinLen = 2
	MaxLen = 15
)

// maxCharReports bounds how many offending characters a validation lists one
// by one for each rule; the rest are counted in one more line, so a long
// pasted text cannot produce thousands of lines.
const maxCharReports = 10

// accepted says what a name may hold, for the end of every character message.
const accepted = "use letters A-Z, digits 0-9 and '-'"

// forbiddenName returns the name, with its article, of a character that rule NAM-3 forbids, or
// "" if NAM-3 does not list it. The docs' list is extended by the Decision in
// RULES.md with ? " & ' (Citrix MCS's own list); non-ASCII characters are
// handled by the caller.
func forbiddenName(c byte) string {
	switch c {
	case ' ':
		return "a space"
	case '/':
		return "a slash"
	case '\\':
		return "a backslash"
	case ':':
		return "a colon"
	case '*':
		return "an asterisk"
	case '<':
		return "a less-than sign"
	case '>':
		return "a greater-than sign"
	case '|':
		return "a pipe"
	case ',':
		return "a comma"
	case '~':
		return "a tilde"
	case '!':
		return "an exclamation point"
	case '@':
		return "an at sign"
	case '$':
		return "a dollar sign"
	case '%':
		return "a percent sign"
	case '^':
		return "a caret"
	case '(':
		return "an opening parenthesis"
	case ')':
		return "a closing parenthesis"
	case '{':
		return "an opening brace"
	case '}':
		return "a closing brace"
	case '_':
		return "an underscore"
	case '?':
		return "a question mark"
	case '"':
		return "a double quote"
	case '&':
		return "an ampersand"
	case '\'':
		return "an apostrophe"
	}
	return ""
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// nameChar reports whether c may appear in a Windows computer name (AZ-7).
func nameChar(c byte) bool { return isDigit(c) || isLetter(c) || c == '-' }

// checkChars adds a violation for every character of s that no machine name
// may hold, with its 1-based position in characters. NAM-3 covers the
// characters the docs and the Decision list and every non-ASCII character;
// AZ-7 covers the rest of what a Windows computer name cannot hold ('.',
// '+', '=', ';', '[', control characters …). If wildcards is true, '#' is
// allowed (a scheme); otherwise it is reported under AZ-7 (a concrete name).
func checkChars(l *rule.List, s string, wildcards bool) {
	var n3, n7 int
	quoted := "" // show(s), made once on the first problem
	report := func(id string, count *int, what string, pos int, tail string) {
		*count++
		if *count > maxCharReports {
			return
		}
		if quoted == "" {
			quoted = show(s)
		}
		l.Append(&rule.Violation{ID: id, Msg: quoted + " has " + what + " at position " + strconv.Itoa(pos) + tail})
	}
	pos := 0
	for i, r := range s {
		pos++
		if r >= utf8.RuneSelf {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				report("NAM-3", &n3, fmt.Sprintf("an invalid UTF-8 byte 0x%02X", s[i]), pos, "; "+accepted)
				continue
			}
			report("NAM-3", &n3, fmt.Sprintf("a non-ASCII character %q (%U)", r, r), pos, "; "+accepted)
			continue
		}
		c := byte(r)
		if name := forbiddenName(c); name != "" {
			report("NAM-3", &n3, name+" ("+strconv.QuoteRune(r)+")", pos, "; "+accepted)
			continue
		}
		if nameChar(c) || wildcards && c == '#' {
			continue
		}
		report("AZ-7", &n7, strconv.QuoteRune(r), pos, ", which a Windows computer name cannot hold; "+accepted)
	}
	if n3 > maxCharReports {
		l.Add("NAM-3", "%s has %d more characters that names cannot hold; %s", show(s), n3-maxCharReports, accepted)
	}
	if n7 > maxCharReports {
		l.Add("AZ-7", "%s has %d more characters that a Windows computer name cannot hold; %s", show(s), n7-maxCharReports, accepted)
	}
}

// nam6Suffix returns the ending rule NAM-6 forbids that s has, ignoring
// case, or "".
func nam6Suffix(s string) string {
	for i := range nam6Count {
		if p := nam6Pattern(i); hasSuffixFold(s, p) {
			return s[len(s)-len(p):]
		}
	}
	return ""
}

// nam6Count is the number of endings rule NAM-6 forbids.
const nam6Count = 3

// nam6Pattern returns the i-th ending rule NAM-6 forbids, in upper case.
func nam6Pattern(i int) string {
	switch i {
	case 0:
		return "-GATEWAY"
	case 1:
		return "-GW"
	default:
		return "-TAC"
	}
}

// hasSuffixFold reports whether s ends with suffix, ignoring ASCII case.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// onlyDigits reports whether every character of s other than '#' is a
// digit 0-9 (true when there is none).
func onlyDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '#' && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// allDigits reports whether s is non-empty and holds only digits 0-9.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// ValidateName checks a concrete machine name against every rule a name
// must keep and reports all problems at once, one rule.Violation each:
//
//   - NAM-2: 2–15 characters (AZ-7's limit of 15 is reported here too);
//   - NAM-3: none of the forbidden characters, nothing beyond ASCII;
//   - NAM-4: no leading period;
//   - NAM-5: not only digits (AZ-7's "not only digits" is reported here);
//   - NAM-6: no ending -GATEWAY, -GW or -TAC, in any case;
//   - AZ-7: only letters, digits and '-' (a character NAM-3 does not list,
//     such as '.' or '#', is reported under AZ-7), and no ending '-'.
//
// Each problem is reported once, under the most specific rule. Letters may
// be of either case; Windows compares computer names ignoring case.
func ValidateName(name string) error {
	var l rule.List
	validateName(&l, name)
	return l.Err()
}

func validateName(l *rule.List, name string) {
	if n := utf8.RuneCountInString(name); n < MinLen || n > MaxLen {
		l.Add("NAM-2", "%s is %s; %s", show(name), characters(n), lengthBound(n))
	}
	checkChars(l, name, false)
	if strings.HasPrefix(name, ".") {
		l.Add("NAM-4", "%s begins with a period; begin with a letter or digit", show(name))
	}
	if allDigits(name) {
		l.Add("NAM-5", "%s is only digits; add a letter or '-'", show(name))
	}
	if e := nam6Suffix(name); e != "" {
		l.Add("NAM-6", "%s ends with %q; names may not end with -GATEWAY, -GW or -TAC", show(name), e)
	}
	if strings.HasSuffix(name, "-") {
		l.Add("AZ-7", "%s ends with '-', which a Windows computer name cannot; end with a letter or digit", show(name))
	}
}

// lengthBound says which bound of NAM-2 a length of n characters breaks.
func lengthBound(n int) string {
	if n < MinLen {
		return fmt.Sprintf("at least %d", MinLen)
	}
	return fmt.Sprintf("at most %d", MaxLen)
}

// characters returns "1 character" or "n characters".
func characters(n int) string {
	if n == 1 {
		return "1 character"
	}
	return fmt.Sprintf("%d characters", n)
}

// maxShown is how many characters of an input a message quotes: a longer
// input is cut and followed by "...", so that a pasted text cannot make an
// error of megabytes.
const maxShown = 40

// show quotes s for a message, cut after maxShown characters.
func show(s string) string {
	n := 0
	for i := range s {
		if n == maxShown {
			return strconv.Quote(s[:i]) + "..."
		}
		n++
	}
	return strconv.Quote(s)
}

package flextest

import (
	"fmt"
	"strings"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/naming"
)

// nameChars are the characters of a scheme's fixed part: letters of both
// cases, digits and, often enough to matter, '-'.
var nameChars = []rune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-----")

// safeLast are letters that end no ending NAM-6 forbids (-GATEWAY, -GW,
// -TAC end in Y, W and C).
var safeLast = []rune("ABDEFGHIJKLMNOPQRSTUVXZ")

// drawFixed draws n characters of a scheme's fixed part.
func drawFixed(t *rapid.T, label string, n int) string {
	if n <= 0 {
		return ""
	}
	return string(rapid.SliceOfN(rapid.SampledFrom(nameChars), n, n).Draw(t, label))
}

// endsBadly reports whether s ends as the end of every name may not: with
// '-' (AZ-7) or with -GATEWAY, -GW or -TAC in any case (NAM-6).
func endsBadly(s string) bool {
	u := strings.ToUpper(s)
	return strings.HasSuffix(u, "-") || strings.HasSuffix(u, "-GATEWAY") || strings.HasSuffix(u, "-GW") || strings.HasSuffix(u, "-TAC")
}

// mendEnd returns s with its last character replaced by a safe letter when
// s ends badly.
func mendEnd(t *rapid.T, s string) string {
	if s == "" || !endsBadly(s) {
		return s
	}
	return s[:len(s)-1] + string(rapid.SampledFrom(safeLast).Draw(t, "mend"))
}

// onlyDigits reports whether s has no character other than 0-9.
func onlyDigits(s string) bool {
	return strings.Trim(s, "0123456789") == ""
}

// schemeParts is a scheme text built from a fixed prefix, a field of
// '#' and a fixed suffix.
type schemeParts struct {
	pre, suf string
	width    int
}

func (p schemeParts) String() string { return p.pre + strings.Repeat("#", p.width) + p.suf }

// drawParts draws the parts of a scheme with width wildcards and from
// minFixed to maxFixed fixed characters whose suffix ends well and which,
// when letter is set, has a fixed character that is not a digit.
func drawParts(t *rapid.T, width, minFixed, maxFixed int, letter bool) schemeParts {
	if letter {
		minFixed = max(minFixed, 1)
	}
	n := rapid.IntRange(minFixed, maxFixed).Draw(t, "fixed")
	k := rapid.IntRange(0, n).Draw(t, "prefixLen")
	p := schemeParts{pre: drawFixed(t, "prefix", k), suf: drawFixed(t, "suffix", n-k), width: width}
	if letter && onlyDigits(p.pre+p.suf) {
		// Give the fixed part a letter at its start: a suffix that starts
		// with a letter and holds no '-' ends with no NAM-6 ending.
		l := string(rapid.SampledFrom(safeLast).Draw(t, "letter"))
		if p.pre != "" {
			p.pre = l + p.pre[1:]
		} else {
			p.suf = l + p.suf[1:]
		}
	}
	p.suf = mendEnd(t, p.suf)
	return p
}

// capacityWidth returns the narrowest wildcard field whose names alone
// number at least machines, for kind: digits give 10^w − 1 names, letters
// at least 26^w − 3 (NAM-6 skips at most three values per width).
func capacityWidth(kind naming.WildcardKind, machines int) int {
	w, n := 1, 0
	for {
		if kind == naming.Letters {
			n = pow(26, w) - 3
		} else {
			n = pow(10, w) - 1
		}
		if n >= machines || w >= naming.MaxLen {
			return w
		}
		w++
	}
}

func pow(b, e int) int {
	p := 1
	for range e {
		if p > 1<<40 {
			return p
		}
		p *= b
	}
	return p
}

// drawSchemeText draws the text of a scheme that Parse accepts with kind
// and whose Capacity is at least machines.
func drawSchemeText(t *rapid.T, kind naming.WildcardKind, machines int) string {
	grow := capacityWidth(kind, machines) // the field must be able to grow to this width
	width := rapid.IntRange(1, 4).Draw(t, "wildcards")
	maxFixed := naming.MaxLen - max(width, grow)
	minFixed := max(0, naming.MinLen-width)
	if kind == naming.Digits {
		minFixed = max(minFixed, 1)
	}
	if minFixed > maxFixed {
		minFixed = maxFixed
	}
	return drawParts(t, width, minFixed, maxFixed, kind == naming.Digits).String()
}

// SchemeText returns a generator of machine naming schemes that
// naming.Parse accepts with wildcards of kind kind (naming.Digits or
// naming.Letters): one to four '#' together, 2–15 characters of letters,
// digits and '-', with a non-digit fixed character for Digits, not ending
// with '-', -GATEWAY, -GW or -TAC. Every name such a scheme makes passes
// naming.ValidateName. Use it as catalog.Spec.NamingScheme.
//
// It panics when kind is neither Digits nor Letters.
func SchemeText(kind naming.WildcardKind) *rapid.Generator[string] {
	if !kind.IsValid() {
		panic(fmt.Sprintf("flextest.SchemeText: wildcard kind %v; want naming.Digits or naming.Letters", kind))
	}
	return rapid.Custom(func(t *rapid.T) string { return drawSchemeText(t, kind, 1) })
}

// Scheme returns a generator of the schemes SchemeText draws, parsed: every
// value is a valid naming.Scheme of kind kind (IsValid reports true) with a
// Capacity of at least 1.
//
// It panics when kind is neither Digits nor Letters.
func Scheme(kind naming.WildcardKind) *rapid.Generator[naming.Scheme] {
	return rapid.Map(SchemeText(kind), func(s string) naming.Scheme { return naming.MustParse(s, kind) })
}

// SchemeInput is a naming scheme as an administrator enters it: the text
// and the kind of its wildcards (catalog.Spec.NamingScheme and
// catalog.Spec.WildcardKind).
type SchemeInput struct {
	Text string
	Kind naming.WildcardKind
}

// String returns the text and the kind, such as `"PC-##" (Digits)`.
func (s SchemeInput) String() string { return fmt.Sprintf("%q (%v)", s.Text, s.Kind) }

// breakable lists the rules SchemeBreaking breaks, sorted.
var breakable = [...]string{"AZ-7", "NAM-1", "NAM-2", "NAM-3", "NAM-4", "NAM-5", "NAM-6", "NAM-7"}

// SchemeRules returns the IDs of the rules SchemeBreaking can break, sorted:
// the rules naming.Parse checks, NAM-1 to NAM-7 and AZ-7 (a Windows
// computer name). NAM-8 (capacity) and NAM-9 (the default scheme) are not
// Parse's to report.
func SchemeRules() []string { return breakable[:] }

// forbidden3 are characters NAM-3 forbids, with non-ASCII ones and an
// invalid UTF-8 byte.
var forbidden3 = []string{
	" ", "/", `\`, ":", "*", "<", ">", "|", ",", "~", "!", "@", "$", "%", "^", "(", ")", "{", "}", "_",
	"?", `"`, "&", "'", "é", "ß", "Ω", "中", "€", "\u00a0", "\xff",
}

// other7 are characters that NAM-3 does not list but a Windows computer
// name cannot hold, which Parse reports under AZ-7.
var other7 = []string{".", "+", "=", ";", "[", "]", "`", "\t", "\x7f"}

// SchemeBreaking returns a generator of naming schemes that naming.Parse
// refuses for exactly one rule: for every input s it draws,
// rule.IDs(err) of naming.Parse(s.Text, s.Kind) is exactly []string{ruleID},
// with one exception that naming itself imposes: a scheme can only break
// NAM-4 (a leading period) together with AZ-7, because a period is not a
// character of a Windows computer name, so for "NAM-4" rule.IDs(err) is
// exactly ["AZ-7" "NAM-4"].
//
// The inputs are otherwise valid schemes with one flaw, drawn among every
// way to break the rule:
//
//   - NAM-1: no wildcard, five or more wildcards, or wildcards apart;
//   - NAM-2: a scheme of 16 or more characters, or "#" alone (Letters);
//   - NAM-3: one or two forbidden characters (as listed in RULES.md, any
//     non-ASCII character or an invalid UTF-8 byte) in the fixed part;
//   - NAM-4: a leading period;
//   - NAM-5: a Digits scheme whose fixed part is only digits;
//   - NAM-6: a suffix ending with -GATEWAY, -GW or -TAC in any case;
//   - NAM-7: a valid text with a wildcard kind that is neither Digits nor
//     Letters;
//   - AZ-7: a suffix ending with '-', or one or two characters no Windows
//     computer name holds ('.', '+', '=', ';', '[', ']', '`', tab, DEL)
//     after the first position.
//
// It panics when ruleID is not one of SchemeRules.
func SchemeBreaking(ruleID string) *rapid.Generator[SchemeInput] {
	var draw func(t *rapid.T) SchemeInput
	switch ruleID {
	case "NAM-1":
		draw = breakNAM1
	case "NAM-2":
		draw = breakNAM2
	case "NAM-3":
		draw = func(t *rapid.T) SchemeInput { return insertChars(t, forbidden3, true) }
	case "NAM-4":
		draw = func(t *rapid.T) SchemeInput {
			kind := drawKind(t)
			w := rapid.IntRange(1, 4).Draw(t, "wildcards")
			p := drawParts(t, w, 0, naming.MaxLen-1-w, kind == naming.Digits)
			return SchemeInput{Text: "." + p.String(), Kind: kind}
		}
	case "NAM-5":
		draw = func(t *rapid.T) SchemeInput {
			w := rapid.IntRange(1, 4).Draw(t, "wildcards")
			n := rapid.IntRange(max(0, naming.MinLen-w), naming.MaxLen-w).Draw(t, "fixed")
			k := rapid.IntRange(0, n).Draw(t, "prefixLen")
			digits := rapid.SliceOfN(rapid.RuneFrom([]rune("0123456789")), n, n).Draw(t, "digits")
			p := schemeParts{pre: string(digits[:k]), suf: string(digits[k:]), width: w}
			return SchemeInput{Text: p.String(), Kind: naming.Digits}
		}
	case "NAM-6":
		draw = func(t *rapid.T) SchemeInput {
			kind := drawKind(t)
			end := rapid.SampledFrom([]string{"-GATEWAY", "-GW", "-TAC"}).Draw(t, "ending")
			end = randomCase(t, end)
			w := rapid.IntRange(1, min(4, naming.MaxLen-len(end))).Draw(t, "wildcards")
			room := naming.MaxLen - w - len(end)
			n := rapid.IntRange(0, room).Draw(t, "fixed")
			k := rapid.IntRange(0, n).Draw(t, "prefixLen")
			p := schemeParts{pre: drawFixed(t, "prefix", k), suf: drawFixed(t, "suffix", n-k) + end, width: w}
			return SchemeInput{Text: p.String(), Kind: kind}
		}
	case "NAM-7":
		draw = func(t *rapid.T) SchemeInput {
			kind := naming.WildcardKind(rapid.OneOf(rapid.IntRange(2, 1000), rapid.IntRange(-1000, -1)).Draw(t, "kind"))
			// Letters' schemes are valid whatever digits they hold, so
			// only the kind is wrong.
			return SchemeInput{Text: drawSchemeText(t, naming.Letters, 1), Kind: kind}
		}
	case "AZ-7":
		draw = func(t *rapid.T) SchemeInput {
			if rapid.Bool().Draw(t, "trailingHyphen") {
				kind := drawKind(t)
				w := rapid.IntRange(1, 4).Draw(t, "wildcards")
				p := drawParts(t, w, 0, naming.MaxLen-w-1, kind == naming.Digits)
				p.suf += "-"
				return SchemeInput{Text: p.String(), Kind: kind}
			}
			return insertChars(t, other7, false)
		}
	default:
		panic(fmt.Sprintf("flextest.SchemeBreaking: rule %q; want one of %v", ruleID, SchemeRules()))
	}
	return rapid.Custom(draw)
}

// drawKind draws Digits or Letters.
func drawKind(t *rapid.T) naming.WildcardKind {
	return rapid.SampledFrom([]naming.WildcardKind{naming.Digits, naming.Letters}).Draw(t, "kind")
}

// randomCase returns s with each letter in upper or lower case.
func randomCase(t *rapid.T, s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' && rapid.Bool().Draw(t, "lower") {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// insertChars returns a valid scheme with one or two characters of chars
// inserted in its fixed part, never inside the wildcard field, and at the
// very start only when atStart is set (so that a '.' breaks no NAM-4).
func insertChars(t *rapid.T, chars []string, atStart bool) SchemeInput {
	kind := drawKind(t)
	k := rapid.IntRange(1, 2).Draw(t, "inserted")
	w := rapid.IntRange(1, 4).Draw(t, "wildcards")
	p := drawParts(t, w, max(0, naming.MinLen-w-k), naming.MaxLen-w-k, kind == naming.Digits)
	for range k {
		c := rapid.SampledFrom(chars).Draw(t, "char")
		// Characters inserted into the suffix never end a name badly,
		// as none is '-' or a letter.
		lo := 0
		if !atStart {
			lo = 1
		}
		if p.pre != "" && rapid.Bool().Draw(t, "inPrefix") {
			p.pre = insertAt(t, p.pre, c, lo)
		} else {
			p.suf = insertAt(t, p.suf, c, 0)
		}
	}
	return SchemeInput{Text: p.String(), Kind: kind}
}

// insertAt inserts c into s between two of its characters (UTF-8
// sequences, or single bytes that are not valid UTF-8), at or after the
// lo-th.
func insertAt(t *rapid.T, s, c string, lo int) string {
	chars := strings.Split(s, "")
	i := rapid.IntRange(min(lo, len(chars)), len(chars)).Draw(t, "at")
	return strings.Join(chars[:i], "") + c + strings.Join(chars[i:], "")
}

// breakNAM1 draws a scheme without a wildcard, with five or more, or with
// its wildcards apart.
func breakNAM1(t *rapid.T) SchemeInput {
	kind := drawKind(t)
	letter := kind == naming.Digits
	switch rapid.IntRange(0, 2).Draw(t, "how") {
	case 0: // no wildcard: the whole text is the end of every name
		n := rapid.IntRange(naming.MinLen, naming.MaxLen).Draw(t, "len")
		s := drawFixed(t, "text", n)
		if onlyDigits(s) {
			s = string(rapid.SampledFrom(safeLast).Draw(t, "letter")) + s[1:]
		}
		return SchemeInput{Text: mendEnd(t, s), Kind: kind}
	case 1: // five to fifteen wildcards together
		w := rapid.IntRange(5, naming.MaxLen).Draw(t, "wildcards")
		minFixed := 0
		if letter {
			minFixed = 1
		}
		if w+minFixed > naming.MaxLen {
			w = naming.MaxLen - minFixed
		}
		return SchemeInput{Text: drawParts(t, w, minFixed, naming.MaxLen-w, letter).String(), Kind: kind}
	default: // two groups apart
		a := rapid.IntRange(1, 4).Draw(t, "first")
		b := rapid.IntRange(1, 4).Draw(t, "second")
		mid := drawFixed(t, "between", rapid.IntRange(1, naming.MaxLen-a-b).Draw(t, "gap"))
		if letter && onlyDigits(mid) {
			mid = string(rapid.SampledFrom(safeLast).Draw(t, "letter")) + mid[1:]
		}
		p := drawParts(t, b, 0, naming.MaxLen-a-b-len(mid), false)
		return SchemeInput{Text: p.pre + strings.Repeat("#", a) + mid + strings.Repeat("#", b) + p.suf, Kind: kind}
	}
}

// breakNAM2 draws a scheme too long, or "#" with Letters (one character:
// with Digits it would break NAM-5 too).
func breakNAM2(t *rapid.T) SchemeInput {
	if rapid.IntRange(0, 3).Draw(t, "short") == 0 {
		return SchemeInput{Text: "#", Kind: naming.Letters}
	}
	kind := drawKind(t)
	w := rapid.IntRange(1, 4).Draw(t, "wildcards")
	p := drawParts(t, w, naming.MaxLen+1-w, 40-w, kind == naming.Digits)
	return SchemeInput{Text: p.String(), Kind: kind}
}

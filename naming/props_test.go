package naming

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/rule"
)

// nameAlphabet is every character a machine name may hold (AZ-7).
const nameAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"

// forbiddenAlphabet is the NAM-3 list of the docs and the Decision in
// RULES.md, written out here independently of the package's table.
const forbiddenAlphabet = " /\\:*<>|,~!@$%^(){}_?\"&'"

// schemeCase is a scheme drawn by genScheme, with its parts kept apart so
// that properties can check names against them.
type schemeCase struct {
	Prefix, Suffix string
	Width          int
	Kind           WildcardKind
}

func (c schemeCase) text() string { return c.Prefix + strings.Repeat("#", c.Width) + c.Suffix }

// genScheme draws well-formed schemes (characters of nameAlphabet, one group
// of one to four wildcards, 2–15 characters) with at least minDigits fixed
// characters for Digits (minLetters for Letters). Prefixes and suffixes are
// biased towards the pieces of the NAM-6 endings, so that Letters fields
// that would complete -GW, -TAC or -GATEWAY come up often.
func genScheme(minDigits, minLetters int) *rapid.Generator[schemeCase] {
	body := rapid.StringOfN(rapid.RuneFrom([]rune(nameAlphabet)), 0, 15, -1)
	prefixEnd := rapid.SampledFrom([]string{"", "-", "-G", "-g", "-GA", "-GATE", "-GATEW", "-T", "-TA", "-t", "PC-", "7"})
	suffixes := rapid.SampledFrom([]string{"", "W", "w", "C", "AC", "Y", "AY", "WAY", "EWAY", "TEWAY", "ATEWAY",
		"-GW", "-gw", "-TAC", "-GATEWAY", "-", "X-", "1", "-7"})
	return rapid.Custom(func(t *rapid.T) schemeCase {
		c := schemeCase{
			Kind:  rapid.SampledFrom([]WildcardKind{Digits, Letters}).Draw(t, "kind"),
			Width: rapid.IntRange(1, 4).Draw(t, "width"),
		}
		c.Prefix = body.Draw(t, "prefixBody") + prefixEnd.Draw(t, "prefixEnd")
		c.Suffix = rapid.OneOf(suffixes, body).Draw(t, "suffix")
		room := MaxLen - c.Width
		if len(c.Suffix) > room {
			c.Suffix = c.Suffix[:room]
		}
		if over := len(c.Prefix) + len(c.Suffix) - room; over > 0 {
			c.Prefix = c.Prefix[over:] // keep the end, next to the wildcards
		}
		if len(c.Prefix)+len(c.Suffix)+c.Width < MinLen {
			c.Prefix = "X" + c.Prefix
		}
		minFixed := minDigits
		if c.Kind == Letters {
			minFixed = minLetters
		}
		if need := minFixed - len(c.Prefix) - len(c.Suffix); need > 0 {
			c.Prefix = rapid.StringOfN(rapid.RuneFrom([]rune(nameAlphabet)), need, need, -1).Draw(t, "pad") + c.Prefix
		}
		return c
	})
}

// endsForbidden is the NAM-6 oracle: name ends with -GATEWAY, -GW or -TAC
// in any case.
func endsForbidden(name string) bool {
	up := strings.ToUpper(name)
	return strings.HasSuffix(up, "-GATEWAY") || strings.HasSuffix(up, "-GW") || strings.HasSuffix(up, "-TAC")
}

// wantRefusal is the oracle of Parse for a well-formed scheme: the rule IDs
// it must be refused for, or nil.
func wantRefusal(c schemeCase) []string {
	var ids []string
	fixed := c.Prefix + c.Suffix
	if strings.HasSuffix(c.Suffix, "-") {
		ids = append(ids, "AZ-7") // every name ends with '-'
	}
	if c.Kind == Digits && strings.Trim(fixed, "0123456789") == "" {
		ids = append(ids, "NAM-5") // every name is only digits
	}
	if endsForbidden(c.Suffix) {
		ids = append(ids, "NAM-6") // every name ends with a forbidden ending
	}
	return ids
}

// modelNames yields the names of a scheme in order the slow, obvious way:
// an odometer over the field, counting from 0…01 (Digits) or A…A (Letters);
// when it rolls over the field grows by one position, led by '1' or 'A',
// as long as names stay within 15 characters; names that end in a NAM-6
// ending are dropped. It shares no arithmetic with the package.
func modelNames(c schemeCase, yield func(string) bool) {
	low, high, lead := byte('0'), byte('9'), byte('1')
	field := []byte(strings.Repeat("0", c.Width-1) + "1")
	if c.Kind == Letters {
		low, high, lead = 'A', 'Z', 'A'
		field = []byte(strings.Repeat("A", c.Width))
	}
	for len(c.Prefix)+len(field)+len(c.Suffix) <= MaxLen {
		if name := c.Prefix + string(field) + c.Suffix; !endsForbidden(name) && !yield(name) {
			return
		}
		i := len(field) - 1
		for i >= 0 && field[i] == high {
			field[i] = low
			i--
		}
		if i >= 0 {
			field[i]++
		} else {
			field = append([]byte{lead}, field...)
		}
	}
}

// Property: Parse accepts a well-formed scheme exactly when the oracle
// wantRefusal finds nothing, and then the first min(Capacity, 10,000) names
// equal the model's, are distinct (ignoring case), each passes ValidateName,
// keeps the scheme's prefix and suffix, Number gives n back, and Digits
// names carry n itself, so they sort numerically in n.
func TestPropertyNames(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genScheme(0, 0).Draw(t, "scheme")
		s, err := Parse(c.text(), c.Kind)
		if diff := cmp.Diff(wantRefusal(c), rule.IDs(err)); diff != "" {
			t.Fatalf("Parse(%q, %v) rule IDs (-want +got):\n%s\n%v", c.text(), c.Kind, diff, err)
		}
		if err != nil {
			return
		}
		limit := min(s.Capacity(), 10000)
		seen := make(map[string]int, limit)
		n := 0
		modelNames(c, func(want string) bool {
			n++
			got, err := s.Name(n)
			if err != nil || got != want {
				t.Fatalf("%q Name(%d) = %q, %v; model %q", c.text(), n, got, err, want)
			}
			if prev, dup := seen[strings.ToUpper(got)]; dup {
				t.Fatalf("%q Name(%d) = Name(%d) = %q", c.text(), n, prev, got)
			}
			seen[strings.ToUpper(got)] = n
			if err := ValidateName(got); err != nil {
				t.Fatalf("%q Name(%d) = %q fails ValidateName: %v", c.text(), n, got, err)
			}
			if !strings.HasPrefix(got, c.Prefix) || !strings.HasSuffix(got, c.Suffix) {
				t.Fatalf("%q Name(%d) = %q lost the prefix %q or suffix %q", c.text(), n, got, c.Prefix, c.Suffix)
			}
			if back, ok := s.Number(strings.ToLower(got)); !ok || back != n {
				t.Fatalf("%q Number(%q) = %d, %v; want %d", c.text(), strings.ToLower(got), back, ok, n)
			}
			if c.Kind == Digits {
				field := got[len(c.Prefix) : len(got)-len(c.Suffix)]
				if v, err := strconv.Atoi(field); err != nil || v != n {
					t.Fatalf("%q Name(%d) = %q: field %q is not %d", c.text(), n, got, field, n)
				}
			}
			return n < limit
		})
		if n != limit {
			t.Fatalf("%q: the model made %d names, Capacity is %d", c.text(), n, s.Capacity())
		}
	})
}

// Property: for schemes whose capacity is small enough to count (at most
// 100,000 names), Capacity is exactly the number of names Name makes before
// ErrExhausted, and that is the number of names the model makes.
func TestPropertyCapacityBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		// Fields of at most 5 digits or 3 letters; mostly fewer.
		c := genScheme(rapid.IntRange(10, 14).Draw(t, "minDigits"), rapid.IntRange(12, 14).Draw(t, "minLetters")).Draw(t, "scheme")
		s, err := Parse(c.text(), c.Kind)
		if err != nil {
			return // the oracle of the refusal is checked by TestPropertyNames
		}
		if s.Capacity() > 100000 {
			t.Fatalf("%q: capacity %d above the brute-force bound", c.text(), s.Capacity())
		}
		model := 0
		modelNames(c, func(string) bool { model++; return true })
		named := 0
		for ; ; named++ {
			_, err := s.Name(named + 1)
			if errors.Is(err, ErrExhausted) {
				if !rule.Has(err, "NAM-8") {
					t.Fatalf("%q Name(%d) error %v names no NAM-8", c.text(), named+1, err)
				}
				break
			}
			if err != nil {
				t.Fatalf("%q Name(%d): %v", c.text(), named+1, err)
			}
		}
		if named != s.Capacity() || model != s.Capacity() { // RULE NAM-8
			t.Fatalf("%q: Capacity %d, Name made %d, the model %d", c.text(), s.Capacity(), named, model)
		}
		if err := s.Check(named); err != nil {
			t.Fatalf("%q Check(%d) = %v", c.text(), named, err)
		}
		if err := s.Check(named + 1); !rule.Has(err, "NAM-8") {
			t.Fatalf("%q Check(%d) = %v; want NAM-8", c.text(), named+1, err)
		}
	})
}

// Property: for any accepted scheme and any n up to Capacity, Name(n) is a
// valid name that Number maps back to n, names grow in shortlex order
// (shorter first, then alphabetical, which is numerical for Digits), and
// Name(Capacity+1) is exhausted.
func TestPropertyLargeN(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genScheme(0, 0).Draw(t, "scheme")
		s, err := Parse(c.text(), c.Kind)
		if err != nil {
			return
		}
		n := rapid.IntRange(1, s.Capacity()).Draw(t, "n")
		got, err := s.Name(n)
		if err != nil {
			t.Fatalf("%q Name(%d): %v", c.text(), n, err)
		}
		if err := ValidateName(got); err != nil {
			t.Fatalf("%q Name(%d) = %q: %v", c.text(), n, got, err)
		}
		if back, ok := s.Number(got); !ok || back != n {
			t.Fatalf("%q Number(%q) = %d, %v; want %d", c.text(), got, back, ok, n)
		}
		if n < s.Capacity() {
			next, err := s.Name(n + 1)
			if err != nil {
				t.Fatalf("%q Name(%d): %v", c.text(), n+1, err)
			}
			if len(next) < len(got) || len(next) == len(got) && next <= got {
				t.Fatalf("%q Name(%d) = %q does not follow Name(%d) = %q", c.text(), n+1, next, n, got)
			}
		}
		if s.Capacity() < math.MaxInt {
			if _, err := s.Name(s.Capacity() + 1); !errors.Is(err, ErrExhausted) {
				t.Fatalf("%q Name(Capacity+1) error = %v; want ErrExhausted", c.text(), err)
			}
		}
	})
}

// Property: Number never claims a name that Name does not make: whenever
// Number(name) gives n, Name(n) equals name ignoring case.
func TestPropertyNumberSound(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genScheme(0, 0).Draw(t, "scheme")
		s, err := Parse(c.text(), c.Kind)
		if err != nil {
			return
		}
		field := rapid.StringOfN(rapid.RuneFrom([]rune("AZaz0190W-")), 0, 15, -1).Draw(t, "field")
		name := c.Prefix + field + c.Suffix
		if n, ok := s.Number(name); ok {
			got, err := s.Name(n)
			if err != nil || !strings.EqualFold(got, name) {
				t.Fatalf("%q Number(%q) = %d but Name(%d) = %q, %v", c.text(), name, n, n, got, err)
			}
		}
	})
}

// Property (NAM-3): a scheme that holds any character of the forbidden
// alphabet, or any non-ASCII character, is refused with a NAM-3 violation
// that gives the character's 1-based position.
func TestPropertyForbiddenRefused(t *testing.T) {
	forbidden := rapid.OneOf(
		rapid.RuneFrom([]rune(forbiddenAlphabet)),
		rapid.RuneFrom([]rune("éüßñÅ€–—…\u00a0\u200b\ufeff\U0001F600"), nonASCII...),
	)
	rapid.Check(t, func(t *rapid.T) {
		c := genScheme(0, 0).Draw(t, "scheme")
		text := []rune(c.text())
		at := rapid.IntRange(0, len(text)).Draw(t, "at")
		r := forbidden.Draw(t, "forbidden")
		scheme := string(slices.Insert(text, at, r))
		_, err := Parse(scheme, c.Kind)
		want := fmt.Sprintf("at position %d;", at+1)
		for _, v := range rule.Violations(err) {
			if v.ID == "NAM-3" && strings.Contains(v.Msg, want) { // RULE NAM-3
				return
			}
		}
		t.Fatalf("Parse(%q) = %v; want NAM-3 %s", scheme, err, want)
	})
}

// Property: ValidateName agrees with a direct reading of the rules for
// strings over an alphabet that mixes allowed, forbidden and other
// characters, and reports every broken rule.
func TestPropertyValidateNameOracle(t *testing.T) {
	alphabet := []rune(nameAlphabet + forbiddenAlphabet + ".#+;=é")
	rapid.Check(t, func(t *rapid.T) {
		name := rapid.OneOf(
			rapid.StringOfN(rapid.RuneFrom(alphabet), 0, 20, -1),
			rapid.StringOfN(rapid.RuneFrom([]rune("0123456789")), 0, 17, -1),
			rapid.Map(rapid.StringOfN(rapid.RuneFrom([]rune(nameAlphabet)), 0, 12, -1),
				func(s string) string { return s + "-gW" }),
		).Draw(t, "name")
		var want []string
		if n := len([]rune(name)); n < 2 || n > 15 {
			want = append(want, "NAM-2")
		}
		other := false
		for _, r := range name {
			switch {
			case r > 127 || strings.ContainsRune(forbiddenAlphabet, r):
				want = append(want, "NAM-3")
			case !strings.ContainsRune(nameAlphabet, r):
				other = true
			}
		}
		if other || strings.HasSuffix(name, "-") {
			want = append(want, "AZ-7")
		}
		if strings.HasPrefix(name, ".") {
			want = append(want, "NAM-4")
		}
		if name != "" && strings.Trim(name, "0123456789") == "" {
			want = append(want, "NAM-5")
		}
		if endsForbidden(name) {
			want = append(want, "NAM-6")
		}
		slices.Sort(want)
		want = slices.Compact(want)
		if diff := cmp.Diff(want, rule.IDs(ValidateName(name))); diff != "" {
			t.Fatalf("ValidateName(%q) (-want +got):\n%s", name, diff)
		}
	})
}

// Property: Parse reports every problem at once: a scheme built with any set
// of independent faults is refused with each fault's rule.
func TestPropertyAllAtOnce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		faults := map[string]bool{}
		for _, id := range []string{"NAM-1", "NAM-2", "NAM-3", "NAM-4", "NAM-6"} {
			faults[id] = rapid.Bool().Draw(t, id)
		}
		prefix, wild, suffix := "PC", "##", "X"
		if faults["NAM-1"] {
			wild = "#A#"
		}
		if faults["NAM-2"] {
			prefix += "MachineSalesTeam"
		}
		if faults["NAM-3"] {
			prefix += "_"
		}
		if faults["NAM-4"] {
			prefix = "." + prefix
		}
		if faults["NAM-6"] {
			suffix += "-TAC"
		}
		scheme := prefix + wild + suffix
		got := rule.IDs(Parse2(scheme, Letters))
		for id, on := range faults {
			if on != slices.Contains(got, id) {
				t.Fatalf("Parse(%q) rule IDs %v; fault %s injected: %v", scheme, got, id, on)
			}
		}
	})
}

// Parse2 returns only the error of Parse.
func Parse2(scheme string, kind WildcardKind) error {
	_, err := Parse(scheme, kind)
	return err
}

// nonASCII are Unicode ranges for drawing characters beyond ASCII.
// (none of these tables holds an ASCII character).
var nonASCII = []*unicode.RangeTable{unicode.Greek, unicode.Han, unicode.Cyrillic}

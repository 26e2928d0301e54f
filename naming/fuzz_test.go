package naming

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/rule"
)

// knownIDs are the rules Parse and ValidateName may report.
var knownIDs = map[string]bool{"NAM-1": true, "NAM-2": true, "NAM-3": true, "NAM-4": true,
	"NAM-5": true, "NAM-6": true, "NAM-7": true, "AZ-7": true}

// maxMsg bounds the length of one violation message: inputs are quoted cut
// to maxShown characters, each of which quotes to at most 10 bytes.
const maxMsg = 2 * (maxShown*10 + 100)

// FuzzParse checks that Parse never panics, that a refusal is made only of
// known rule violations with messages of bounded length, and that every accepted scheme gives its text back
// and makes valid names, keeping its prefix and suffix, at 1, 2, the middle
// and Capacity, and is exhausted at Capacity+1.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"PC-Sales-##", "MachineSales-##", "Sales PC_##", "MachineSalesTeam-##",
		"##", "#", "PC-##", "PC-G#", "X-GATEW#", "PC##-GW", ".PC-##", "PC#-#", "Büro-##", "PC\xff##",
		"DASEASTU-K7-###", "12##", "A####", ""} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, scheme string, letters bool) {
		kind := Digits
		if letters {
			kind = Letters
		}
		s, err := Parse(scheme, kind)
		if err != nil {
			if s.IsValid() || s != (Scheme{}) {
				t.Fatalf("Parse(%q) refused but returned %#v", scheme, s)
			}
			vs := rule.Violations(err)
			if len(vs) == 0 {
				t.Fatalf("Parse(%q) error %v holds no rule violation", scheme, err)
			}
			for _, v := range vs {
				if !knownIDs[v.ID] || v.Msg == "" || len(v.Msg) > maxMsg {
					t.Fatalf("Parse(%q) reports unknown rule %q or a message of %d bytes", scheme, v.ID, len(v.Msg))
				}
			}
			return
		}
		if s.String() != scheme || s.Kind() != kind || !s.IsValid() || s.Capacity() < 1 {
			t.Fatalf("Parse(%q, %v) = %q %v valid=%v capacity=%d", scheme, kind, s, s.Kind(), s.IsValid(), s.Capacity())
		}
		first := strings.IndexByte(scheme, '#')
		last := strings.LastIndexByte(scheme, '#')
		prefix, suffix := scheme[:first], scheme[last+1:]
		for _, n := range []int{1, 2, s.Capacity() / 2, s.Capacity()} {
			if n < 1 || n > s.Capacity() {
				continue
			}
			name, err := s.Name(n)
			if err != nil {
				t.Fatalf("%q Name(%d): %v", scheme, n, err)
			}
			if err := ValidateName(name); err != nil {
				t.Fatalf("%q Name(%d) = %q: %v", scheme, n, name, err)
			}
			if !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, suffix) {
				t.Fatalf("%q Name(%d) = %q lost %q…%q", scheme, n, name, prefix, suffix)
			}
			if back, ok := s.Number(name); !ok || back != n {
				t.Fatalf("%q Number(%q) = %d, %v; want %d", scheme, name, back, ok, n)
			}
		}
		if s.Capacity() < math.MaxInt {
			if _, err := s.Name(s.Capacity() + 1); !errors.Is(err, ErrExhausted) || !rule.Has(err, "NAM-8") {
				t.Fatalf("%q Name(Capacity+1) error = %v; want ErrExhausted, NAM-8", scheme, err)
			}
			if err := s.Check(s.Capacity() + 1); !rule.Has(err, "NAM-8") {
				t.Fatalf("%q Check(Capacity+1) = %v; want NAM-8", scheme, err)
			}
		}
		if err := s.Check(s.Capacity()); err != nil {
			t.Fatalf("%q Check(Capacity) = %v", scheme, err)
		}
	})
}

// FuzzValidateName checks that ValidateName never panics and accepts a name
// only if it keeps the rules as read directly: 2–15 characters of letters,
// digits and '-', no leading period, not only digits, no forbidden ending,
// no trailing '-'. Every reported violation is of a known rule.
func FuzzValidateName(f *testing.F) {
	for _, s := range []string{"PC-Sales-01", "MachineSales-100", "1234", "PC-gw", ".PC", "PC_01", "Büro-1", "PC-01-", "a\xffb", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := ValidateName(name)
		for _, v := range rule.Violations(err) {
			if !knownIDs[v.ID] || v.Msg == "" || len(v.Msg) > maxMsg {
				t.Fatalf("ValidateName(%q) reports unknown rule %q or a message of %d bytes", name, v.ID, len(v.Msg))
			}
		}
		ok := len(name) >= MinLen && len(name) <= MaxLen &&
			strings.Trim(name, nameAlphabet) == "" &&
			strings.Trim(name, "0123456789") != "" &&
			!endsForbidden(name) && !strings.HasSuffix(name, "-")
		if ok != (err == nil) {
			t.Fatalf("ValidateName(%q) = %v; the rules say valid=%v", name, err, ok)
		}
	})
}

// FuzzDefault checks that Default never panics on any location prefix and
// random bytes, and that what it accepts is a 15-character Digits scheme
// that begins with DAS and the upper-cased prefix.
func FuzzDefault(f *testing.F) {
	f.Add("eastu", []byte{1, 2})
	f.Add("East_", []byte{255, 255, 3, 4})
	f.Add("", []byte{})
	f.Fuzz(func(t *testing.T, loc string, random []byte) {
		s, err := Default(loc, strings.NewReader(string(random)))
		if err != nil {
			return
		}
		if got := s.String(); len(got) != MaxLen || !strings.HasPrefix(got, "DAS"+strings.ToUpper(loc)+"-") || s.Kind() != Digits || s.Capacity() != 999 {
			t.Fatalf("Default(%q) = %q, %v, capacity %d", loc, got, s.Kind(), s.Capacity())
		}
	})
}

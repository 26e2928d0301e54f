package naming

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/rule"
)

// messages returns the text of every violation in err, in order.
func messages(err error) []string {
	var out []string
	for _, v := range rule.Violations(err) {
		out = append(out, v.Error())
	}
	return out
}

func TestParseRules(t *testing.T) {
	tests := []struct {
		name   string
		scheme string
		kind   WildcardKind
		want   []string // rule IDs, sorted; nil means accepted
	}{
		// NAM-1: one to four wildcards, all together.
		{"NAM-1 docs example accepted", "PC-Sales-##", Digits, nil},
		{"NAM-1 one wildcard", "PC-#", Digits, nil},
		{"NAM-1 four wildcards", "PC-####", Digits, nil},
		{"NAM-1 no wildcard", "PC-Sales", Digits, []string{"NAM-1"}},
		{"NAM-1 five wildcards", "PC-#####", Digits, []string{"NAM-1"}},
		{"NAM-1 wildcards apart", "PC#-#", Digits, []string{"NAM-1"}},
		{"NAM-1 wildcards apart and too many", "#A#B#C#D#", Letters, []string{"NAM-1"}},
		// NAM-2: 2–15 characters, wildcards included.
		{"NAM-2 docs example 15 characters", "MachineSales-##", Digits, nil},
		{"NAM-2 design example 19 characters", "MachineSalesTeam-##", Digits, []string{"NAM-2"}},
		{"NAM-2 16 characters", "MachineSalesX-##", Digits, []string{"NAM-2"}},
		{"NAM-2 one character", "#", Letters, []string{"NAM-2"}},
		{"NAM-2 two characters", "A#", Digits, nil},
		{"NAM-2 empty", "", Digits, []string{"NAM-1", "NAM-2"}},
		// NAM-3: forbidden characters, the Decision list and non-ASCII.
		{"NAM-3 issue example", "Sales PC_##", Digits, []string{"NAM-3"}},
		{"NAM-3 slash", "PC/##", Digits, []string{"NAM-3"}},
		{"NAM-3 decision question mark", "PC?##", Digits, []string{"NAM-3"}},
		{"NAM-3 decision ampersand", "R&D-##", Digits, []string{"NAM-3"}},
		{"NAM-3 non-ASCII", "Büro-##", Digits, []string{"NAM-3"}},
		{"NAM-3 invalid UTF-8", "PC\xff-##", Digits, []string{"NAM-3"}},
		// NAM-4: no leading period ('.' is also no Windows name character).
		{"NAM-4 leading period", ".PC-##", Digits, []string{"AZ-7", "NAM-4"}},
		// NAM-5: not only digits.
		{"NAM-5 digits only with digit wildcards", "12##", Digits, []string{"NAM-5"}},
		{"NAM-5 wildcards only", "##", Digits, []string{"NAM-5"}},
		{"NAM-5 digits with letter wildcards accepted", "12##", Letters, nil},
		{"NAM-5 letter wildcards only accepted", "##", Letters, nil},
		{"NAM-5 hyphen makes it not only digits", "12-##", Digits, nil},
		// NAM-6: no ending -GATEWAY, -GW, -TAC in any case.
		{"NAM-6 -GW after wildcards", "PC##-GW", Digits, []string{"NAM-6"}},
		{"NAM-6 -tac lower case", "PC##-tac", Letters, []string{"NAM-6"}},
		{"NAM-6 -Gateway", "P##-Gateway", Digits, []string{"NAM-6"}},
		{"NAM-6 -GW before wildcards accepted", "PC-GW##", Digits, nil},
		{"NAM-6 letters that could complete -GW accepted with skips", "PC-##", Letters, nil},
		// NAM-7: the kind is Digits or Letters.
		{"NAM-7 unknown kind", "PC-##", WildcardKind(2), []string{"NAM-7"}},
		// AZ-7: Windows computer names.
		{"AZ-7 period inside", "PC.Sales-##", Digits, []string{"AZ-7"}},
		{"AZ-7 ends with hyphen", "PC-##-", Digits, []string{"AZ-7"}},
		{"AZ-7 plus sign", "PC+##", Digits, []string{"AZ-7"}},
		// All at once.
		{"NAM-2 NAM-3 NAM-4 NAM-6 all at once", ".Machine Sales_##-GW", Digits, []string{"AZ-7", "NAM-2", "NAM-3", "NAM-4", "NAM-6"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.scheme, tt.kind)
			if diff := cmp.Diff(tt.want, rule.IDs(err)); diff != "" {
				t.Fatalf("Parse(%q, %v) rule IDs (-want +got):\n%s\nerror: %v", tt.scheme, tt.kind, diff, err)
			}
			if err != nil {
				if s.IsValid() {
					t.Errorf("Parse(%q) returned a valid Scheme with an error", tt.scheme)
				}
				return
			}
			if s.String() != tt.scheme || s.Kind() != tt.kind {
				t.Errorf("Parse(%q, %v) = %q %v", tt.scheme, tt.kind, s, s.Kind())
			}
		})
	}
}

func TestParseMessages(t *testing.T) {
	t.Run("NAM-3 positions of the issue example", func(t *testing.T) {
		_, err := Parse("Sales PC_##", Digits)
		want := []string{
			`NAM-3: "Sales PC_##" has a space (' ') at position 6; use letters A-Z, digits 0-9 and '-'`,
			`NAM-3: "Sales PC_##" has an underscore ('_') at position 9; use letters A-Z, digits 0-9 and '-'`,
		}
		if diff := cmp.Diff(want, messages(err)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("NAM-2 design example", func(t *testing.T) {
		_, err := Parse("MachineSalesTeam-##", Digits)
		want := []string{`NAM-2: "MachineSalesTeam-##" is 19 characters; at most 15`}
		if diff := cmp.Diff(want, messages(err)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

func TestName(t *testing.T) {
	tests := []struct {
		name   string
		scheme string
		kind   WildcardKind
		n      int
		want   string
	}{
		{"NAM-7 digits from 1 zero-padded", "PC-##", Digits, 1, "PC-01"},
		{"NAM-7 digits last of the field", "PC-##", Digits, 99, "PC-99"},
		{"NAM-8 digits grow", "PC-##", Digits, 100, "PC-100"},
		{"NAM-8 PC-Sales grows to 999999", "PC-Sales-##", Digits, 999999, "PC-Sales-999999"},
		{"NAM-7 letters AA", "PC-##", Letters, 1, "PC-AA"},
		{"NAM-7 letters AZ then BA", "PC-##", Letters, 27, "PC-BA"},
		{"NAM-7 single letter", "PC#", Letters, 26, "PCZ"},
		{"NAM-8 letters grow after Z", "PC#", Letters, 27, "PCAA"},
		{"NAM-7 digits with suffix", "PC##X", Digits, 7, "PC07X"},
		{"NAM-6 PC-GW is skipped", "PC-##", Letters, 6*26 + 23, "PC-GX"}, // without the skip, n 179 is PC-GW
		{"NAM-6 PC-GV still made", "PC-##", Letters, 6*26 + 22, "PC-GV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MustParse(tt.scheme, tt.kind).Name(tt.n)
			if err != nil || got != tt.want {
				t.Errorf("Name(%d) = %q, %v; want %q", tt.n, got, err, tt.want)
			}
		})
	}
}

func TestExhausted(t *testing.T) {
	t.Run("NAM-8 MachineSales-## stops at 99", func(t *testing.T) {
		s := MustParse("MachineSales-##", Digits)
		if s.Capacity() != 99 {
			t.Errorf("Capacity = %d, want 99", s.Capacity())
		}
		_, err := s.Name(100)
		if !errors.Is(err, ErrExhausted) || !rule.Has(err, "NAM-8") {
			t.Fatalf("Name(100) error = %v; want ErrExhausted and NAM-8", err)
		}
		if !strings.Contains(err.Error(), "shorten the fixed part") {
			t.Errorf("Name(100) error %q suggests no shorter prefix", err)
		}
	})
	t.Run("NAM-8 PC-Sales-## grows past 99", func(t *testing.T) {
		s := MustParse("PC-Sales-##", Digits)
		if s.Capacity() != 999999 {
			t.Errorf("Capacity = %d, want 999999", s.Capacity())
		}
		if _, err := s.Name(1000000); !errors.Is(err, ErrExhausted) {
			t.Errorf("Name(1000000) error = %v; want ErrExhausted", err)
		}
	})
	t.Run("NAM-8 n below 1", func(t *testing.T) {
		_, err := MustParse("PC-##", Digits).Name(0)
		if err == nil || errors.Is(err, ErrExhausted) {
			t.Errorf("Name(0) error = %v; want an out-of-range error", err)
		}
	})
	t.Run("NAM-8 letters saturate", func(t *testing.T) {
		s := MustParse("##", Letters)
		if s.Capacity() != math.MaxInt {
			t.Errorf("Capacity = %d, want math.MaxInt", s.Capacity())
		}
		if _, err := s.Name(math.MaxInt); err != nil {
			t.Errorf("Name(MaxInt) error = %v", err)
		}
	})
}

func TestCheck(t *testing.T) {
	s := MustParse("PC-Sales-##", Digits)
	if err := s.Check(999999); err != nil {
		t.Errorf("Check(999999) = %v", err)
	}
	err := MustParse("MachineSales-##", Digits).Check(1200)
	want := []string{`NAM-8: "MachineSales-##" can name 99 machines; this catalog needs 1,200; shorten the fixed part to at most 11 characters (now 13)`}
	if diff := cmp.Diff(want, messages(err)); diff != "" { // RULE NAM-8
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDefault(t *testing.T) {
	t.Run("NAM-9 fixed random source", func(t *testing.T) {
		s, err := Default("eastu", bytes.NewReader([]byte{10, 255, 27}))
		if err != nil {
			t.Fatal(err)
		}
		// 10 → 'K'; 255 is dropped (≥ 252); 27 → '1'.
		if got, want := s.String(), "DASEASTU-K1-###"; got != want {
			t.Errorf("Default = %q, want %q", got, want)
		}
		if len(s.String()) != 15 || s.Capacity() != 999 {
			t.Errorf("Default %q: %d characters, capacity %d; want 15 and 999", s, len(s.String()), s.Capacity())
		}
	})
	t.Run("NAM-9 location prefix refused", func(t *testing.T) {
		_, err := Default("east_us", bytes.NewReader(make([]byte, 8)))
		if got := len(rule.Violations(err)); got != 2 || !rule.Has(err, "NAM-9") {
			t.Errorf("Default error = %v; want two NAM-9 violations (length, '_')", err)
		}
	})
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"NAM-2 ok", "PC-Sales-01", nil},
		{"NAM-2 too long", "MachineSales-100", []string{"NAM-2"}},
		{"NAM-2 too short", "A", []string{"NAM-2"}},
		{"NAM-3 underscore", "PC_01", []string{"NAM-3"}},
		{"NAM-4 leading period", ".PC01", []string{"AZ-7", "NAM-4"}},
		{"NAM-5 only digits", "1234", []string{"NAM-5"}},
		{"NAM-6 -gw", "PC-gw", []string{"NAM-6"}},
		{"AZ-7 trailing hyphen", "PC-01-", []string{"AZ-7"}},
		{"AZ-7 wildcard in a name", "PC-#1", []string{"AZ-7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, rule.IDs(ValidateName(tt.in))); diff != "" {
				t.Errorf("ValidateName(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

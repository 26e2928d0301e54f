package naming

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/rule"
)

func TestZeroScheme(t *testing.T) {
	var z Scheme
	if z.IsValid() || z.String() != "" || z.Capacity() != 0 || z.Kind() != Digits {
		t.Errorf("zero Scheme: valid=%v %q capacity=%d kind=%v", z.IsValid(), z, z.Capacity(), z.Kind())
	}
	if _, err := z.Name(1); err == nil || errors.Is(err, ErrExhausted) {
		t.Errorf("zero Scheme Name(1) error = %v; want a zero-Scheme error", err)
	}
	if err := z.Check(0); err == nil {
		t.Error("zero Scheme Check(0) = nil; want an error")
	}
	if n, ok := z.Number("PC-01"); ok {
		t.Errorf("zero Scheme Number = %d, true", n)
	}
}

func TestSchemeComparable(t *testing.T) {
	a, b := MustParse("PC-##", Digits), MustParse("PC-##", Digits)
	if a != b {
		t.Error("two parses of PC-## differ")
	}
	if a == MustParse("PC-##", Letters) || a == MustParse("pc-##", Digits) {
		t.Error("schemes of another kind or case compare equal")
	}
	seen := map[Scheme]bool{a: true}
	if !seen[b] {
		t.Error("a Scheme does not work as a map key")
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(fmt.Sprint(r), "NAM-1") {
			t.Errorf("MustParse(\"PC\") panicked with %v; want a NAM-1 message", r)
		}
	}()
	MustParse("PC", Digits)
}

func TestWildcardKind(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want WildcardKind
	}{{"Digits", Digits}, {"digits", Digits}, {"NUMBERS", Digits}, {"0-9", Digits}, {"Letters", Letters}, {"a-z", Letters}} {
		got, err := ParseWildcardKind(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseWildcardKind(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	if _, err := ParseWildcardKind("hex"); err == nil {
		t.Error(`ParseWildcardKind("hex") succeeded`)
	}
	for _, k := range []WildcardKind{Digits, Letters} {
		text, err := k.MarshalText()
		var back WildcardKind
		if err != nil || back.UnmarshalText(text) != nil || back != k {
			t.Errorf("%v does not round-trip through text: %q, %v, %v", k, text, err, back)
		}
	}
	if _, err := WildcardKind(-1).MarshalText(); err == nil {
		t.Error("WildcardKind(-1).MarshalText succeeded")
	}
	var k WildcardKind
	if err := k.UnmarshalText([]byte("roman")); err == nil {
		t.Error(`UnmarshalText("roman") succeeded`)
	}
	if got := WildcardKind(9).String(); got != "WildcardKind(9)" {
		t.Errorf("WildcardKind(9).String() = %q", got)
	}
}

// TestEveryASCIICharacter puts each ASCII character into "PC" + c + "-##"
// and checks the rule it is refused for against the lists written out in
// this test: NAM-3's list (docs and Decision), AZ-7 for anything else that
// is not a letter, digit or '-', and NAM-1 for a '#' apart from the field.
func TestEveryASCIICharacter(t *testing.T) {
	for c := range 128 {
		r := rune(c)
		var want []string
		switch {
		case strings.ContainsRune(forbiddenAlphabet, r):
			want = []string{"NAM-3"}
		case r == '#':
			want = []string{"NAM-1"}
		case !strings.ContainsRune(nameAlphabet, r):
			want = []string{"AZ-7"}
		}
		id := "accepted"
		if want != nil {
			id = want[0]
		}
		t.Run(fmt.Sprintf("%s %U", id, r), func(t *testing.T) {
			scheme := "PC" + string(r) + "-##"
			_, err := Parse(scheme, Digits)
			if diff := cmp.Diff(want, rule.IDs(err)); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", scheme, diff)
			}
			if want != nil && want[0] != "NAM-1" && !strings.Contains(err.Error(), "at position 3;") && !strings.Contains(err.Error(), "at position 3,") {
				t.Errorf("Parse(%q) = %v; want position 3", scheme, err)
			}
		})
	}
}

func TestNAM3ManyCharactersCapped(t *testing.T) {
	scheme := strings.Repeat("_", 30) + "##"
	_, err := Parse(scheme, Digits)
	var nam3 []string
	for _, v := range rule.Violations(err) {
		if v.ID == "NAM-3" {
			nam3 = append(nam3, v.Msg)
		}
	}
	if len(nam3) != maxCharReports+1 || !strings.Contains(nam3[maxCharReports], "20 more characters") {
		t.Errorf("NAM-3 lines for 30 underscores: %d, last %q; want %d with \"20 more\"", len(nam3), nam3[len(nam3)-1], maxCharReports+1)
	}
	if !rule.Has(err, "NAM-2") {
		t.Errorf("Parse(%q) = %v; want NAM-2 too", scheme, err)
	}
}

func TestNAM6LetterSkips(t *testing.T) {
	sum := func(from, to int) int {
		total := 0
		for w := from; w <= to; w++ {
			total += pow26(w)
		}
		return total
	}
	tests := []struct {
		name     string
		scheme   string
		capacity int
		skipped  []string // names the scheme never makes
		named    map[int]string
	}{
		{"NAM-6 PC-## skips PC-GW PC-TAC PC-GATEWAY", "PC-##", sum(2, 12) - 3,
			[]string{"PC-GW", "pc-gw", "PC-TAC", "PC-GATEWAY"},
			map[int]string{178: "PC-GV", 179: "PC-GX"}},
		{"NAM-6 X-G# skips X-GW and X-GATEWAY", "X-G#", sum(1, 12) - 2,
			[]string{"X-GW", "X-GATEWAY"},
			map[int]string{22: "X-GV", 23: "X-GX", 25: "X-GZ", 26: "X-GAA"}},
		{"NAM-6 X-GATEWA# skips X-GATEWAY", "X-GATEWA#", sum(1, 7) - 1,
			[]string{"X-GATEWAY"},
			map[int]string{24: "X-GATEWAX", 25: "X-GATEWAZ"}},
		{"NAM-6 suffix W completes -GW", "PC-#W", sum(1, 11) - 1,
			[]string{"PC-GW"},
			map[int]string{7: "PC-HW"}},
		{"NAM-6 MachineSales-## docs example with letters", "MachineSales-##", 675,
			[]string{"MachineSales-GW"}, map[int]string{675: "MachineSales-ZZ"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustParse(tt.scheme, Letters)
			if s.Capacity() != tt.capacity {
				t.Errorf("Capacity = %d, want %d", s.Capacity(), tt.capacity)
			}
			for _, name := range tt.skipped {
				if n, ok := s.Number(name); ok {
					t.Errorf("Number(%q) = %d; the name breaks NAM-6 and must never be made", name, n)
				}
			}
			for n, want := range tt.named {
				if got, err := s.Name(n); err != nil || got != want {
					t.Errorf("Name(%d) = %q, %v; want %q", n, got, err, want)
				}
			}
		})
	}
	t.Run("NAM-6 digits never complete an ending", func(t *testing.T) {
		s := MustParse("PC-GW#", Digits)
		if s.Capacity() != 9999999999 {
			t.Errorf("Capacity = %d, want 9999999999", s.Capacity())
		}
	})
}

func TestNumber(t *testing.T) {
	tests := []struct {
		scheme string
		kind   WildcardKind
		name   string
		want   int
		ok     bool
	}{
		{"PC-##", Digits, "PC-01", 1, true},
		{"PC-##", Digits, "pc-99", 99, true},
		{"PC-##", Digits, "PC-100", 100, true},
		{"PC-##", Digits, "PC-00", 0, false},  // numbering starts at 1
		{"PC-##", Digits, "PC-1", 0, false},   // narrower than the field
		{"PC-##", Digits, "PC-001", 0, false}, // grown fields have no leading zero
		{"PC-##", Digits, "PC-0A", 0, false},
		{"PC-##", Digits, "XC-01", 0, false},
		{"PC-##X", Digits, "PC-07x", 7, true},
		{"PC-##", Letters, "PC-AA", 1, true},
		{"PC-##", Letters, "pc-ba", 27, true},
		{"PC-##", Letters, "PC-AAA", 676, true}, // 676 two-letter values, less PC-GW
		{"PC-##", Letters, "PC-A1", 0, false},
		{"PC-##", Digits, "PC-0123456789012", 0, false}, // longer than 15
	}
	for _, tt := range tests {
		t.Run(tt.scheme+" "+tt.name, func(t *testing.T) {
			got, ok := MustParse(tt.scheme, tt.kind).Number(tt.name)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Number(%q) = %d, %v; want %d, %v", tt.name, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCheckMessages(t *testing.T) {
	tests := []struct {
		name     string
		scheme   string
		kind     WildcardKind
		machines int
		want     []string
	}{
		{"NAM-8 fits", "MachineSale-##", Digits, 999, nil},
		{"NAM-8 issue example 1,200", "MachineSale-##", Digits, 1200, []string{
			`NAM-8: "MachineSale-##" can name 999 machines; this catalog needs 1,200; shorten the fixed part to at most 11 characters (now 12), or use Letters wildcards, which name 18,250`}},
		{"NAM-8 letters", "MachineSales-##", Letters, 1000, []string{
			`NAM-8: "MachineSales-##" can name 675 machines; this catalog needs 1,000; shorten the fixed part to at most 12 characters (now 13)`}},
		{"NAM-8 nothing fits", "PC-##", Digits, math.MaxInt, []string{
			`NAM-8: "PC-##" can name 999,999,999,999 machines; this catalog needs 9,223,372,036,854,775,807; no scheme of at most 15 characters with this fixed part can name that many`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := MustParse(tt.scheme, tt.kind).Check(tt.machines)
			if diff := cmp.Diff(tt.want, messages(err)); diff != "" {
				t.Errorf("Check(%d) (-want +got):\n%s", tt.machines, diff)
			}
		})
	}
	t.Run("negative count", func(t *testing.T) {
		if err := MustParse("PC-##", Digits).Check(-1); err == nil || rule.Has(err, "NAM-8") {
			t.Errorf("Check(-1) = %v; want a plain error", err)
		}
	})
}

func TestExhaustedLetters(t *testing.T) {
	s := MustParse("MachineSales-##", Letters)
	_, err := s.Name(676)
	want := `naming: scheme exhausted: NAM-8: "MachineSales-##" can name 675 machines; machine 676 would need a name of 16 characters (at most 15); shorten the fixed part to at most 12 characters (now 13)`
	if !errors.Is(err, ErrExhausted) || err.Error() != want { // RULE NAM-8
		t.Errorf("Name(676) error:\n got %v\nwant %s", err, want)
	}
}

func TestDefaultErrors(t *testing.T) {
	t.Run("NAM-9 reader error is wrapped", func(t *testing.T) {
		boom := errors.New("boom")
		if _, err := Default("EASTU", iotest.ErrReader(boom)); !errors.Is(err, boom) {
			t.Errorf("Default error = %v; want it to wrap boom", err)
		}
	})
	t.Run("NAM-9 short reader", func(t *testing.T) {
		if _, err := Default("EASTU", strings.NewReader("\x01")); !errors.Is(err, io.EOF) {
			t.Errorf("Default error = %v; want io.EOF", err)
		}
	})
	t.Run("NAM-9 reader of unusable bytes ends", func(t *testing.T) {
		if _, err := Default("EASTU", strings.NewReader(strings.Repeat("\xff", 1000))); err == nil || !strings.Contains(err.Error(), "252") {
			t.Errorf("Default error = %v; want the unusable-bytes error", err)
		}
	})
	t.Run("NAM-9 nil reader uses crypto/rand", func(t *testing.T) {
		s, err := Default("12345", nil)
		if err != nil || len(s.String()) != 15 || !strings.HasPrefix(s.String(), "DAS12345-") || !strings.HasSuffix(s.String(), "-###") {
			t.Errorf("Default(nil) = %q, %v", s, err)
		}
	})
	t.Run("NAM-9 every problem at once", func(t *testing.T) {
		_, err := Default("eä.t", strings.NewReader("ab"))
		want := []string{
			`NAM-9: location prefix "eä.t" is 4 characters; the default scheme needs exactly 5 letters or digits`,
			`NAM-9: location prefix "eä.t" has 'ä' at position 2; use letters A-Z and digits 0-9`,
			`NAM-9: location prefix "eä.t" has '.' at position 3; use letters A-Z and digits 0-9`,
		}
		if diff := cmp.Diff(want, messages(err)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

func TestLongInputQuotedShort(t *testing.T) {
	scheme := strings.Repeat("Ab_", 100000) + "#A#"
	_, err := Parse(scheme, Digits)
	if got := len(err.Error()); got > 5000 {
		t.Errorf("error for a %d-byte scheme is %d bytes; want the scheme cut in messages", len(scheme), got)
	}
	for _, id := range []string{"NAM-1", "NAM-2", "NAM-3"} {
		if !rule.Has(err, id) {
			t.Errorf("Parse(long) = %v; want %s", err, id)
		}
	}
	want := `NAM-2: "Ab_Ab_Ab_Ab_Ab_Ab_Ab_Ab_Ab_Ab_Ab_Ab_Ab_A"... is 300003 characters; at most 15`
	if got := messages(err); !strings.Contains(strings.Join(got, "\n"), want) {
		t.Errorf("messages %q; want %q", got, want)
	}
}

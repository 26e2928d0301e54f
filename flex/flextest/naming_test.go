package flextest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/naming"
	"github.com/daasflex/daasflex/rule"
)

// Property: every scheme SchemeText draws is accepted by naming.Parse with
// its kind, and its first and last names pass naming.ValidateName.
func TestSchemeTextIsAccepted(t *testing.T) {
	for _, kind := range []naming.WildcardKind{naming.Digits, naming.Letters} {
		t.Run(kind.String(), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				text := flextest.SchemeText(kind).Draw(t, "scheme")
				s, err := naming.Parse(text, kind)
				if err != nil {
					t.Fatalf("Parse(%q, %v): %v", text, kind, err) // RULE NAM-1…NAM-7, AZ-7
				}
				for _, n := range []int{1, min(s.Capacity(), 1_000_000)} {
					name, err := s.Name(n)
					if err != nil {
						t.Fatalf("%q: Name(%d): %v", text, n, err)
					}
					if err := naming.ValidateName(name); err != nil {
						t.Fatalf("%q: name %d %q: %v", text, n, name, err)
					}
				}
			})
		})
	}
}

// Property: Scheme draws valid schemes of the kind asked for.
func TestSchemeIsValid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := flextest.Scheme(naming.Letters).Draw(t, "scheme")
		if !s.IsValid() || s.Kind() != naming.Letters || s.Capacity() < 1 {
			t.Fatalf("Scheme drew %v: valid %v, kind %v, capacity %d", s, s.IsValid(), s.Kind(), s.Capacity())
		}
	})
}

// Property: for every rule of SchemeRules, SchemeBreaking(rule) draws
// schemes that naming.Parse refuses for exactly that rule (NAM-4 always
// with AZ-7, as a period is not a Windows computer name character).
func TestSchemeBreakingBreaksExactlyOneRule(t *testing.T) {
	if diff := cmp.Diff([]string{"AZ-7", "NAM-1", "NAM-2", "NAM-3", "NAM-4", "NAM-5", "NAM-6", "NAM-7"}, flextest.SchemeRules()); diff != "" {
		t.Errorf("SchemeRules (-want +got):\n%s", diff)
	}
	for _, id := range flextest.SchemeRules() {
		want := []string{id}
		if id == "NAM-4" {
			want = []string{"AZ-7", "NAM-4"}
		}
		t.Run(id, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				in := flextest.SchemeBreaking(id).Draw(t, "scheme")
				_, err := naming.Parse(in.Text, in.Kind)
				if diff := cmp.Diff(want, rule.IDs(err)); diff != "" {
					t.Fatalf("Parse(%v): rule IDs (-want +got):\n%s\nerror: %v", in, diff, err)
				}
			})
		})
	}
}

func TestSchemeBreakingPanicsOnUnknownRule(t *testing.T) {
	for _, id := range []string{"NAM-8", "NAM-9", "CAT-5", ""} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SchemeBreaking(%q) did not panic", id)
				}
			}()
			flextest.SchemeBreaking(id)
		}()
	}
}

func TestSchemeInputString(t *testing.T) {
	got := flextest.SchemeInput{Text: "PC-##", Kind: naming.Letters}.String()
	if want := `"PC-##" (Letters)`; got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
}

package flextest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/rule"
)

// Property: ImportFacts draws facts that every IMG-5 requirement accepts.
func TestImportFactsPass(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f := flextest.ImportFacts().Draw(t, "facts")
		if err := image.CheckImport(f); err != nil {
			t.Fatalf("CheckImport(%+v): %v", f, err) // RULE IMG-5
		}
	})
}

// Property: for every requirement, ImportFactsFailing draws facts that fail
// it and nothing else: exactly one IMG-5 violation.
func TestImportFactsFailingFailsOneRequirement(t *testing.T) {
	for _, req := range flextest.ImportRequirements() {
		t.Run("IMG-5 "+req.String(), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				f := flextest.ImportFactsFailing(req).Draw(t, "facts")
				err := image.CheckImport(f)
				if diff := cmp.Diff([]string{"IMG-5"}, rule.IDs(err)); diff != "" {
					t.Fatalf("CheckImport(%+v): rule IDs (-want +got):\n%s", f, diff) // RULE IMG-5
				}
				if vs := rule.Violations(err); len(vs) != 1 {
					t.Fatalf("CheckImport(%+v): %d violations, want 1:\n%v", f, len(vs), err)
				}
			})
		})
	}
}

func TestImportRequirements(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range flextest.ImportRequirements() {
		if s := r.String(); s == "" || seen[s] {
			t.Errorf("requirement %d: String %q empty or repeated", int(r), s)
		}
		seen[r.String()] = true
	}
	if got := flextest.ImportRequirement(0).String(); got != "ImportRequirement(0)" {
		t.Errorf("String of the zero requirement = %q", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("ImportFactsFailing(0) did not panic")
		}
	}()
	flextest.ImportFactsFailing(0)
}

// Property: VDAVersion draws valid versions that parse back from their
// String.
func TestVDAVersionRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := flextest.VDAVersion().Draw(t, "vda")
		back, err := image.ParseVDAVersion(v.String())
		if !v.IsValid() || err != nil || back != v {
			t.Fatalf("%q: valid %v, parsed back %v, %v", v, v.IsValid(), back, err)
		}
	})
}

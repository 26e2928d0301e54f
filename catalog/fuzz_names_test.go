package catalog_test

import (
	"testing"

	"github.com/daasflex/daasflex/catalog"
)

// FuzzParseNames: the parsers of names (states, kinds, types) never panic
// and what they accept prints back to something they accept as the same.
func FuzzParseNames(f *testing.F) {
	for _, s := range []string{"Active", "inputrequired", "Anytime", "manual", "Running", "NetScaler Gateway", "direct", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if st, err := catalog.ParseState(s); err == nil {
			if back, err := catalog.ParseState(st.String()); err != nil || back != st {
				t.Fatalf("state %q → %v → %v, %v", s, st, back, err)
			}
		}
		if k, err := catalog.ParseSnapshotKind(s); err == nil {
			if back, err := catalog.ParseSnapshotKind(k.String()); err != nil || back != k {
				t.Fatalf("kind %q → %v → %v, %v", s, k, back, err)
			}
		}
		if r, err := catalog.ParseRestoreState(s); err == nil {
			if back, err := catalog.ParseRestoreState(r.String()); err != nil || back != r {
				t.Fatalf("restore state %q → %v → %v, %v", s, r, back, err)
			}
		}
		if c, err := catalog.ParseConnectivityType(s); err == nil {
			if back, err := catalog.ParseConnectivityType(c.String()); err != nil || back != c {
				t.Fatalf("connectivity %q → %v → %v, %v", s, c, back, err)
			}
		}
	})
}

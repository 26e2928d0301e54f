package flex_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
)

// FuzzLoad: Load never panics on any input, refuses what it does not
// accept with ErrInvalid and no Tenant, and a document it accepts saves
// back to an equivalent document, which loads and saves to itself. Each
// input is tried as it is and sealed again with a matching checksum, so
// that the fuzzer reaches the checks behind the checksum.
func FuzzLoad(f *testing.F) {
	w := fullWorld(f, nil)
	full := save(f, w.tn)
	f.Add(full)
	small := newWorld(f, nil)
	if _, err := small.tn.CreateCatalog(small.ctx, catalogSpec("Alpha", "multi", 3, "", false, "Alp-##")); err != nil {
		f.Fatal(err)
	}
	f.Add(save(f, small.tn))
	f.Add(bytes.Replace(full, []byte(`"version": 1`), []byte(`"version": 2`), 1))
	f.Add([]byte(`{"version": 1, "checksum": "sha256:0000000000000000000000000000000000000000000000000000000000000000"}`))
	f.Add([]byte(`{}`))
	prov := fake.New().Scope(stTenant)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, doc := range [][]byte{data, flex.ResealStateForTest(data)} {
			tn, err := flex.Load(bytes.NewReader(doc), prov)
			if err != nil {
				if tn != nil || !errors.Is(err, flex.ErrInvalid) {
					t.Fatalf("Load refused with a Tenant or without ErrInvalid: %v", err)
				}
				continue
			}
			again := save(t, tn)
			diff, err := flex.EquivalentStatesForTest(doc, again)
			if err != nil || diff != "" {
				t.Fatalf("an accepted document saves back to another (-accepted +saved): %v\n%s", err, diff)
			}
			tn2, err := flex.Load(bytes.NewReader(again), prov)
			if err != nil {
				t.Fatalf("Load of the document a loaded Tenant saved: %v", err)
			}
			if third := save(t, tn2); !bytes.Equal(third, again) {
				t.Fatalf("a saved document does not load and save to itself")
			}
		}
	})
}

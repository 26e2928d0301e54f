package catalog_test

import (
	"cmp"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/rule"
	gocmp "github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestValidateUserID(t *testing.T) {
	for _, ok := range []string{"alice@corp.example.com", `CORP\alice`, "alice", "Jürgen.Müller@corp.example.com", `CORP\first last`} {
		if err := catalog.ValidateUserID(ok); err != nil {
			t.Errorf("CAT-9: ValidateUserID(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{
		"", " alice", "alice@", "@corp.example.com", "alice@corp", "al ice@corp.example.com",
		`\alice`, `CORP\`, `THISDOMAINISTOOLONG\alice`, `CORP\a*b`, "abcdefghijklmnopqrstu", "alice.", "a\x01",
		"alice@corp.example.123",
	} {
		if err := catalog.ValidateUserID(bad); !rule.Has(err, "CAT-9") {
			t.Errorf("CAT-9: ValidateUserID(%q) = %v; want a CAT-9 violation", bad, err)
		}
	}
}

func TestPrincipals(t *testing.T) {
	const dir = "corp.example.com"
	alice := catalog.Principal{Directory: dir, Kind: catalog.User, ID: "alice@corp.example.com"}
	sales := catalog.Principal{Directory: dir, Kind: catalog.Group, ID: `CORP\Sales Team`}
	var s catalog.Principals
	n, err := s.Add(alice, sales)
	if err != nil || n != 2 {
		t.Fatalf("Add = %d, %v", n, err)
	}
	// RULE CAT-9: set semantics, ignoring case.
	n, err = s.Add(catalog.Principal{Directory: "CORP.example.com", Kind: catalog.User, ID: "ALICE@corp.example.com"})
	if err != nil || n != 0 || s.Len() != 2 {
		t.Errorf("re-adding alice: %d, %v, len %d", n, err, s.Len())
	}
	// A directory object is a user or a group, not both.
	_, err = s.Add(catalog.Principal{Directory: dir, Kind: catalog.Group, ID: "alice@corp.example.com"})
	wantIDs(t, err, "CAT-9")
	// Invalid principals: nothing of the batch is added.
	bob := catalog.Principal{Directory: dir, Kind: catalog.User, ID: "bob@corp.example.com"}
	_, err = s.Add(bob, catalog.Principal{Kind: catalog.User, ID: "x@"}, catalog.Principal{Directory: dir, ID: "carol"})
	wantIDs(t, err, "CAT-9")
	if s.Contains(bob) {
		t.Error("a refused batch added bob")
	}
	// Groups may have long account names, users may not.
	long := catalog.Principal{Directory: dir, Kind: catalog.Group, ID: `CORP\All employees of the northern region`}
	if err := long.Validate(); err != nil {
		t.Errorf("long group name: %v", err)
	}
	long.Kind = catalog.User
	if err := long.Validate(); !rule.Has(err, "CAT-9") {
		t.Errorf("long user name: %v", err)
	}
	if _, err := s.Add(bob); err != nil {
		t.Fatal(err)
	}
	want := []catalog.Principal{alice, bob, sales}
	if diff := gocmp.Diff(want, s.List()); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	// RULE CAT-9: removing takes away access only; the principal itself is
	// untouched (there is no directory here to touch: Remove only edits
	// the catalog's set).
	c := s.Clone()
	if !s.Remove(catalog.Principal{Directory: dir, ID: "Alice@Corp.Example.com"}) || s.Contains(alice) {
		t.Error("Remove alice")
	}
	if s.Remove(alice) {
		t.Error("removed twice")
	}
	if !c.Contains(alice) {
		t.Error("Clone shares state")
	}
}

// TestPrincipalsListOrder: List holds every member once, sorted by
// directory, kind and ID, ignoring case (CAT-9).
func TestPrincipalsListOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s catalog.Principals
		ps := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) catalog.Principal {
			return catalog.Principal{
				Directory: rapid.SampledFrom([]string{"corp.example.com", "CORP.example.com", "b.example.org"}).Draw(t, "dir"),
				Kind:      rapid.SampledFrom([]catalog.PrincipalKind{catalog.User, catalog.Group}).Draw(t, "kind"),
				ID:        rapid.StringMatching(`[a-dA-D]{1,3}@corp\.example\.com`).Draw(t, "id"),
			}
		}), 0, 30).Draw(t, "principals")
		for _, p := range ps {
			_, _ = s.Add(p) // a user and a group of one ID: the second is refused
		}
		got := s.List()
		if len(got) != s.Len() {
			t.Fatalf("List has %d members, Len %d", len(got), s.Len())
		}
		for i, p := range got {
			if !s.Contains(p) {
				t.Fatalf("List has %v, not a member", p)
			}
			if i == 0 {
				continue
			}
			q := got[i-1]
			c := cmp.Or(
				strings.Compare(strings.ToLower(q.Directory), strings.ToLower(p.Directory)),
				cmp.Compare(q.Kind, p.Kind),
				strings.Compare(strings.ToLower(q.ID), strings.ToLower(p.ID)))
			if c >= 0 {
				t.Fatalf("List out of order at %d: %v then %v", i, q, p)
			}
		}
	})
}

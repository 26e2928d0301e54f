package fake

import (
	"strings"
	"testing"

	"github.com/daasflex/daasflex/flex"
	"pgregory.net/rapid"
)

// TestSortKeyIsLowerCaseString checks the invariant List relies on:
// sortKey(id) == strings.ToLower(id.String()) for every valid ID.
func TestSortKeyIsLowerCaseString(t *testing.T) {
	segment := rapid.StringMatching(`[A-Za-z0-9_.()-]{1,12}|[a-zÄÖé]{1,4}`)
	rapid.Check(t, func(t *rapid.T) {
		ti := rapid.SampledFrom(typeTable[:]).Draw(t, "type")
		id := flex.ResourceID{Subscription: segment.Draw(t, "sub"), Type: ti.t}
		if ti.t != flex.TypeResourceGroup {
			id.ResourceGroup = segment.Draw(t, "rg")
		}
		id.Name = segment.Draw(t, "name")
		if ti.depth == 2 {
			id.Name += "/" + segment.Draw(t, "child")
		}
		if got, want := sortKey(id), strings.ToLower(id.String()); got != want {
			t.Fatalf("sortKey(%#v) = %q, want %q", id, got, want)
		}
	})
}

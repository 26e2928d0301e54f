package flex_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/daasflex/daasflex/flex"
	"github.com/google/go-cmp/cmp"
)

func TestResourceIDRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		id   flex.ResourceID
		want string
	}{
		{flex.GroupID("sub1", "rg1"), "/subscriptions/sub1/resourceGroups/rg1"},
		{flex.ResourceID{Subscription: "s", ResourceGroup: "g", Type: flex.TypeVirtualNetwork, Name: "v"},
			"/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v"},
		{flex.ResourceID{Subscription: "s", ResourceGroup: "g", Type: flex.TypePeering, Name: "v/p"},
			"/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/virtualNetworkPeerings/p"},
		{flex.ResourceID{Subscription: "s", ResourceGroup: "g", Type: flex.TypeKey, Name: "vault/key"},
			"/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/vault/keys/key"},
	} {
		if got := tc.id.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
		back, err := flex.ParseResourceID(tc.want)
		if err != nil {
			t.Fatalf("ParseResourceID(%q): %v", tc.want, err)
		}
		if diff := cmp.Diff(tc.id, back); diff != "" {
			t.Errorf("round trip of %q (-want +got):\n%s", tc.want, diff)
		}
	}
	vnet := flex.ResourceID{Subscription: "s", ResourceGroup: "g", Type: flex.TypeVirtualNetwork, Name: "v"}
	if got := vnet.Child(flex.TypePeering, "p").Name; got != "v/p" {
		t.Errorf("Child name = %q", got)
	}
	if vnet.Group() != flex.GroupID("s", "g") {
		t.Errorf("Group() = %v", vnet.Group())
	}
}

func TestParseResourceIDRefusesMalformed(t *testing.T) {
	for _, s := range []string{"", "/", "/subscriptions/s", "/subscriptions//resourceGroups/g",
		"/subscriptions/s/resourceGroups/g/providers/Microsoft.Network",
		"/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks",
		"/subscriptions/s/resourceGroups/g/foo/Microsoft.Network/virtualNetworks/v"} {
		if id, err := flex.ParseResourceID(s); err == nil {
			t.Errorf("ParseResourceID(%q) = %v, want an error", s, id)
		}
	}
}

func FuzzParseResourceID(f *testing.F) {
	f.Add("/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/virtualNetworkPeerings/p")
	f.Add("/subscriptions/s/resourceGroups/g")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := flex.ParseResourceID(s)
		if err != nil {
			return
		}
		back, err := flex.ParseResourceID(id.String())
		if err != nil {
			t.Fatalf("String() of a parsed ID does not parse: %q: %v", id.String(), err)
		}
		if back != id {
			t.Fatalf("round trip changed %#v into %#v", id, back)
		}
	})
}

func TestErrorKinds(t *testing.T) {
	cause := errors.New("name taken")
	err := fmt.Errorf("wrapped: %w", flex.Errorf(flex.ErrConflict, "CreateCatalog", `catalog "Sales"`, "%w", cause))
	if !errors.Is(err, flex.ErrConflict) || !errors.Is(err, cause) || errors.Is(err, flex.ErrNotFound) {
		t.Errorf("errors.Is does not see the kind and the cause of %v", err)
	}
	if flex.KindOf(err) != flex.ErrConflict {
		t.Errorf("KindOf = %v", flex.KindOf(err))
	}
	if want := `CreateCatalog catalog "Sales": conflict: name taken`; err.(interface{ Unwrap() error }).Unwrap().Error() != want {
		t.Errorf("Error() = %q, want %q", err.(interface{ Unwrap() error }).Unwrap().Error(), want)
	}
}

func TestFilterMatchesIgnoringCaseLikeARM(t *testing.T) {
	vnet := &flex.VirtualNetwork{Meta: flex.Meta{
		ID:   flex.ResourceID{Subscription: "Sub-1", ResourceGroup: "RG", Type: flex.TypeVirtualNetwork, Name: "v"},
		Tags: map[string]string{flex.TagTenant: "t1"},
	}}
	for _, tc := range []struct {
		f    flex.Filter
		want bool
	}{
		{flex.Filter{Subscription: "sub-1"}, true},
		{flex.Filter{Subscription: "sub-1", ResourceGroup: "rg", Type: "microsoft.network/virtualnetworks"}, true},
		{flex.Filter{Subscription: "sub-1", Tags: map[string]string{flex.TagTenant: "t1"}}, true},
		{flex.Filter{Subscription: "sub-1", Tags: map[string]string{flex.TagTenant: "T1"}}, false},
		{flex.Filter{Subscription: "sub-2"}, false},
		{flex.Filter{Subscription: "sub-1", ResourceGroup: "other"}, false},
		{flex.Filter{Subscription: "sub-1", Type: flex.TypeSecurityGroup}, false},
	} {
		if got := tc.f.Matches(vnet); got != tc.want {
			t.Errorf("%+v.Matches = %v, want %v", tc.f, got, tc.want)
		}
	}
}

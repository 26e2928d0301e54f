package flex_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/rule"
)

// RULE ADM-1: the docs' permission table, as data, and what each role may do.
func TestADM1PermissionTable(t *testing.T) {
	for _, tc := range []struct {
		node               string
		cloud, quickDeploy flex.Access
	}{
		{"StoreFronts", flex.FullAccess, flex.ReadAccess},
		{"Administrators", flex.FullAccess, flex.ReadAccess},
		{"Cost Management", flex.FullAccess, flex.NoAccess},
		{"Director/Monitor", flex.FullAccess, flex.NoAccess},
		{"Backup and restore", flex.FullAccess, flex.NoAccess},
		{"Quick Deploy", flex.FullAccess, flex.FullAccess},
		{"Machine Catalogs", flex.FullAccess, flex.FullAccess},
		{"Images", flex.FullAccess, flex.FullAccess},
	} {
		if got := flex.NodeAccess(flex.CloudAdministrator, tc.node); got != tc.cloud {
			t.Errorf("Cloud Administrator on %s: %v, want %v", tc.node, got, tc.cloud)
		}
		if got := flex.NodeAccess(flex.QuickDeployAdministrator, tc.node); got != tc.quickDeploy {
			t.Errorf("Quick Deploy Administrator on %s: %v, want %v", tc.node, got, tc.quickDeploy)
		}
		if got := flex.NodeAccess(flex.ReadOnlyAdministrator, tc.node); got != flex.ReadAccess {
			t.Errorf("Read Only Administrator on %s: %v, want read-only", tc.node, got)
		}
	}
	if n := len(flex.Permissions()); n != 24 {
		t.Errorf("the permission table has %d rows, the docs 24", n)
	}
	for role, want := range map[flex.Role]flex.Access{
		flex.CloudAdministrator:          flex.FullAccess,
		flex.QuickDeployAdministrator:    flex.FullAccess,
		flex.ReadOnlyAdministrator:       flex.ReadAccess,
		flex.HelpDeskAdministrator:       flex.NoAccess,
		flex.MachineCatalogAdministrator: flex.NoAccess,
	} {
		if got := flex.FlexAccess(role); got != want {
			t.Errorf("FlexAccess(%s) = %v, want %v", role, got, want)
		}
	}
}

// RULE ADM-1: a Read Only Administrator reads but changes nothing; a role
// without Flex access cannot even read.
func TestADM1ReadOnlyChangesNothing(t *testing.T) {
	tn := flex.NewTenant(nil)
	ro := flex.AsAdmin(context.Background(), flex.Admin{Name: "rita", Role: flex.ReadOnlyAdministrator})
	_, err := tn.AddSubscription(ro, flex.SubscriptionSpec{Name: "Main", AzureID: "0000"})
	if !errors.Is(err, flex.ErrPrecondition) {
		t.Fatalf("AddSubscription as read-only = %v, want ErrPrecondition", err)
	}
	if got := err.Error(); !contains(got, "rita (Read Only Administrator)") || !contains(got, "ADM-1") {
		t.Errorf("error %q does not name the administrator and the rule", got)
	}
	if _, err := tn.Subscriptions(ro); err != nil {
		t.Errorf("Subscriptions as read-only = %v, want success", err)
	}
	hd := flex.AsAdmin(context.Background(), flex.Admin{Name: "hal", Role: flex.HelpDeskAdministrator})
	if _, err := tn.Subscriptions(hd); !errors.Is(err, flex.ErrPrecondition) {
		t.Errorf("Subscriptions as help desk = %v, want ErrPrecondition", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func ExampleAsAdmin() {
	ctx := flex.AsAdmin(context.Background(), flex.Admin{Name: "rita", Role: flex.ReadOnlyAdministrator})
	a, _ := flex.AdminFrom(ctx)
	fmt.Println(a, flex.FlexAccess(a.Role))
	// Output: rita (Read Only Administrator) Read-only
}

// RULE ADM-1: the refusal carries its rule as a violation.
func TestADM1RefusalCarriesTheRule(t *testing.T) {
	ro := flex.AsAdmin(context.Background(), flex.Admin{Name: "rita", Role: flex.ReadOnlyAdministrator})
	_, err := flex.NewTenant(nil).AddSubscription(ro, flex.SubscriptionSpec{Name: "Main", AzureID: "0000"})
	if got := rule.IDs(err); len(got) != 1 || got[0] != "ADM-1" {
		t.Errorf("rule.IDs(%v) = %v, want [ADM-1]", err, got)
	}
}

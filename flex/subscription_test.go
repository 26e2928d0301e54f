package flex_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
)

func TestSubscriptions(t *testing.T) {
	ctx := context.Background()
	cloud := fake.New()
	tn := flex.NewTenant(cloud.Scope("t1"), flex.WithID("t1"))

	main, err := tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Main", AzureID: "sub-main"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(flex.Subscription{Name: "Main", AzureID: "sub-main"}, main); diff != "" {
		t.Errorf("AddSubscription (-want +got):\n%s", diff)
	}
	// The subscription's resource group exists in the cloud, tagged with the tenant and its owner.
	groups := cloud.Resources(flex.Filter{Subscription: "sub-main", Type: flex.TypeResourceGroup})
	if len(groups) != 1 || groups[0].Metadata().Tags[flex.TagTenant] != "t1" || groups[0].Metadata().Tags[flex.TagOwner] != "subscription/Main" {
		t.Fatalf("resource groups after AddSubscription: %v", groups)
	}

	t.Run("SUB-1 names are unique in the tenant, ignoring case", func(t *testing.T) {
		_, err := tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "MAIN", AzureID: "sub-other"})
		if !errors.Is(err, flex.ErrConflict) || !rule.Has(err, "SUB-1") && !contains(err.Error(), "SUB-1") {
			t.Errorf("duplicate name: %v, want ErrConflict naming SUB-1", err)
		}
		_, err = tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "", AzureID: "x/y"})
		if !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "SUB-1") || !rule.Has(err, "SUB-2") {
			t.Errorf("invalid spec: %v, want ErrInvalid with SUB-1 and SUB-2", err)
		}
	})

	t.Run("SUB-2 an Azure subscription backs one Flex subscription only", func(t *testing.T) {
		_, err := tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Second", AzureID: "SUB-MAIN"})
		if !errors.Is(err, flex.ErrConflict) || !contains(err.Error(), "SUB-2") {
			t.Errorf("shared Azure subscription: %v, want ErrConflict naming SUB-2", err)
		}
	})

	t.Run("SUB-4 the last subscription cannot be removed", func(t *testing.T) {
		err := tn.RemoveSubscription(ctx, "main")
		if !errors.Is(err, flex.ErrPrecondition) || !contains(err.Error(), "SUB-4") {
			t.Fatalf("removing the last subscription: %v, want ErrPrecondition naming SUB-4", err)
		}
		if _, err := tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Second", AzureID: "sub-2"}); err != nil {
			t.Fatal(err)
		}
		if err := tn.RemoveSubscription(ctx, "main"); err != nil {
			t.Fatalf("removing one of two: %v", err)
		}
		if n := len(cloud.Resources(flex.Filter{Subscription: "sub-main"})); n != 0 {
			t.Errorf("%d resources left in the removed subscription", n)
		}
		subs, err := tn.Subscriptions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]flex.Subscription{{Name: "Second", AzureID: "sub-2"}}, subs); diff != "" {
			t.Errorf("Subscriptions (-want +got):\n%s", diff)
		}
		if err := tn.RemoveSubscription(ctx, "Main"); !errors.Is(err, flex.ErrNotFound) {
			t.Errorf("removing a removed subscription: %v, want ErrNotFound", err)
		}
	})
}

// SEC-2: two tenants on one cloud never see each other's subscriptions or
// resources.
func TestSubscriptionsAreIsolatedBetweenTenants(t *testing.T) {
	ctx := context.Background()
	cloud := fake.New()
	a := flex.NewTenant(cloud.Scope("a"), flex.WithID("a"))
	b := flex.NewTenant(cloud.Scope("b"), flex.WithID("b"))
	if _, err := a.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Main", AzureID: "sub-a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Main", AzureID: "sub-b"}); err != nil {
		t.Fatalf("tenant b cannot use a name tenant a uses: %v", err)
	}
	subs, _ := b.Subscriptions(ctx)
	if len(subs) != 1 || subs[0].AzureID != "sub-b" {
		t.Errorf("tenant b sees %v", subs)
	}
	if rs, err := cloud.Scope("b").List(ctx, flex.Filter{Subscription: "sub-a"}); err != nil || len(rs) != 0 {
		t.Errorf("tenant b lists tenant a's resources: %v, %v", rs, err)
	}
}

func TestAddSubscriptionConcurrentlyKeepsNamesUnique(t *testing.T) {
	ctx := context.Background()
	tn := flex.NewTenant(fake.New().Scope("t"), flex.WithID("t"))
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range 16 {
		wg.Go(func() {
			_, err := tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Main", AzureID: "sub-" + string(rune('a'+i))})
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if !errors.Is(err, flex.ErrConflict) {
				t.Errorf("unexpected error: %v", err)
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d concurrent AddSubscription calls with one name succeeded, want 1", wins)
	}
}

// Refusals carry their rule as a violation, not only as text.
func TestSubscriptionRefusalsCarryRuleIDs(t *testing.T) {
	ctx := context.Background()
	tn := flex.NewTenant(fake.New().Scope("t"), flex.WithID("t"))
	if _, err := tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Main", AzureID: "sub-1"}); err != nil {
		t.Fatal(err)
	}
	_, dup := tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "main", AzureID: "sub-2"})
	_, shared := tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Other", AzureID: "SUB-1"})
	last := tn.RemoveSubscription(ctx, "Main")
	for id, err := range map[string]error{"SUB-1": dup, "SUB-2": shared, "SUB-4": last} {
		if diff := cmp.Diff([]string{id}, rule.IDs(err)); diff != "" {
			t.Errorf("rule IDs of %v (-want +got):\n%s", err, diff)
		}
	}
}

package flex_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/rule"
)

// TestSameImageNameInTwoSubscriptions: images of one subscription are
// independent of another's, though they share a name: each build gets a
// Citrix-managed network of its own subscription, and an image counts only
// the catalogs and machines of its subscription (SUB-2, IMG-7).
func TestSameImageNameInTwoSubscriptions(t *testing.T) {
	e := newImgEnv(t)
	ctx := t.Context()
	if _, err := e.tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "test", AzureID: "az-test"}); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"prod", "test"} {
		spec := imgBuildSpec("Gold")
		spec.Subscription = sub
		if _, err := e.tn.BuildImage(ctx, spec); err != nil {
			t.Fatalf("BuildImage(%s, Gold): %v", sub, err)
		}
	}
	t.Run("SUB-2 each build has the managed network of its subscription", func(t *testing.T) {
		cs, err := e.tn.Connections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var managed []string
		for _, c := range cs {
			if c.Managed {
				managed = append(managed, c.Subscription+" "+c.Name)
			}
		}
		if diff := cmp.Diff([]string{"prod image/Gold", "test image/Gold"}, managed, sortStrings); diff != "" {
			t.Errorf("Citrix-managed networks (-want +got):\n%s", diff)
		}
		for _, vm := range e.vms("image/Gold") {
			vnet := e.view.Resources(flex.Filter{Subscription: vm.ID.Subscription, Type: flex.TypeVirtualNetwork, Tags: map[string]string{flex.TagOwner: "image/Gold"}})
			if len(vnet) != 1 {
				t.Errorf("build machine %s: %d networks of image/Gold in its subscription, want 1", vm.ID, len(vnet))
			}
		}
	})
	t.Run("SUB-2 the state keeps both", func(t *testing.T) {
		var buf bytes.Buffer
		if err := e.tn.Save(&buf); err != nil {
			t.Fatal(err)
		}
		if _, err := flex.Load(&buf, e.view, flex.WithID("t1"), flex.WithClock(e.clock.Now)); err != nil {
			t.Errorf("Load: %v", err)
		}
	})
	for _, sub := range []string{"prod", "test"} {
		if _, err := e.tn.FinishImageBuild(ctx, sub, "Gold"); err != nil {
			t.Fatalf("FinishImageBuild(%s, Gold): %v", sub, err)
		}
	}
	e.multiCatalog(t, "Sales", "Gold", 8) // of prod
	t.Run("SUB-2 an image counts only its subscription's catalogs and machines", func(t *testing.T) {
		for sub, want := range map[string]image.Usage{"prod": {Catalogs: 1, Machines: 1}, "test": {}} {
			d, err := e.tn.Image(ctx, sub, "Gold")
			if err != nil {
				t.Fatal(err)
			}
			// RULE IMG-7: the details count the catalogs and machines using it.
			if diff := cmp.Diff(want, d.Usage); diff != "" {
				t.Errorf("usage of %s's Gold (-want +got):\n%s", sub, diff)
			}
		}
	})
	t.Run("IMG-7 only the image in use is kept from deletion", func(t *testing.T) {
		if err := e.tn.DeleteImage(ctx, "prod", "Gold"); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "IMG-7") {
			t.Errorf("DeleteImage(prod, Gold) in use = %v, want ErrPrecondition IMG-7", err)
		}
		if err := e.tn.DeleteImage(ctx, "test", "Gold"); err != nil {
			t.Errorf("DeleteImage(test, Gold), which nothing uses = %v", err)
		}
	})
}

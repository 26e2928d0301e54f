package flex_test

import (
	"errors"
	"testing"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/google/go-cmp/cmp"
)

func TestBuildAndFinishImage(t *testing.T) {
	e := newImgEnv(t)
	ctx := t.Context()
	d, err := e.tn.BuildImage(ctx, imgBuildSpec("Sales"))
	if err != nil {
		t.Fatal(err)
	}
	// RULE API-3, IMG-3: a new build waits in BuilderActive for apps and updates.
	if d.State != image.BuilderActive || d.Region != network.WestEurope || d.Builder.Power != flex.PowerRunning || !d.Builder.Address.IsValid() {
		t.Errorf("after BuildImage: %+v", d)
	}
	if diff := cmp.Diff([]string{"disks/imagebuilder-osdisk", "networkSecurityGroups/nsg-image-Sales-1", "resourceGroups/flex-t1-image-Sales",
		"routeTables/flex-routes", "virtualMachines/imagebuilder", "virtualNetworks/flex-vnet"}, e.owned("image/Sales"), sortStrings); diff != "" {
		t.Errorf("resources while building (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"resource group", "network", "build machine", "firewall", "done"}, e.phases("BuildImage")); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	d, err = e.tn.FinishImageBuild(ctx, "prod", "Sales")
	if err != nil {
		t.Fatal(err)
	}
	if d.State != image.Ready || d.Builder != (flex.Builder{}) {
		t.Errorf("after FinishImageBuild: %+v", d)
	}
	if diff := cmp.Diff([]string{"images/image", "resourceGroups/flex-t1-image-Sales"}, e.owned("image/Sales"), sortStrings); diff != "" {
		t.Errorf("resources when Ready (-want +got):\n%s", diff)
	}
	if err := e.tn.DeleteImage(ctx, "prod", "Sales"); err != nil {
		t.Fatal(err)
	}
	if n := e.all(); n != 1 { // the subscription's resource group
		t.Errorf("%d resources after DeleteImage, want only the subscription's group: %v", n, e.view.Resources(flex.Filter{}))
	}
	if _, err := e.tn.Image(ctx, "prod", "Sales"); !errors.Is(err, flex.ErrNotFound) {
		t.Errorf("Image after delete = %v, want ErrNotFound", err)
	}
}

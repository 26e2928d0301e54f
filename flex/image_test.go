package flex_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
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
	// Every resource is tagged with the tenant and the image (SEC-2).
	for _, r := range e.view.Resources(flex.Filter{Tags: map[string]string{flex.TagOwner: "image/Sales"}}) {
		if r.Metadata().Tags[flex.TagTenant] != "t1" {
			t.Errorf("%s has tags %v", r.Metadata().ID, r.Metadata().Tags)
		}
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
	if diff := cmp.Diff([]string{"stop", "capture", "remove build machine", "done"}, e.phases("FinishImageBuild")); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	// The builder, its subnet and the managed network went; the image stays.
	if diff := cmp.Diff([]string{"images/image", "resourceGroups/flex-t1-image-Sales"}, e.owned("image/Sales"), sortStrings); diff != "" {
		t.Errorf("resources when Ready (-want +got):\n%s", diff)
	}
	img := e.view.Resources(flex.Filter{Type: flex.TypeImage})[0].(*flex.Image)
	if img.OS != image.WindowsServer2022 || img.Generation != image.Gen2 || img.Source.Name != "imagebuilder" {
		t.Errorf("captured image %+v", img)
	}
	// RULE IMG-3: a finished image is immutable.
	if _, err := e.tn.FinishImageBuild(ctx, "prod", "Sales"); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "IMG-3") {
		t.Errorf("FinishImageBuild of a Ready image = %v, want ErrPrecondition IMG-3", err)
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

func TestBuildImageValidation(t *testing.T) {
	e := newImgEnv(t)
	ctx := t.Context()
	t.Run("IMG-2 every problem at once", func(t *testing.T) {
		spec := imgBuildSpec("")
		spec.Username = "admin"
		spec.Password = secret.New("short")
		spec.Size = "Standard_X"
		spec.Notes = strings.Repeat("n", 1025)
		_, err := e.tn.BuildImage(ctx, spec)
		if !errors.Is(err, flex.ErrInvalid) {
			t.Fatalf("err = %v, want ErrInvalid", err)
		}
		if n := len(rule.Violations(err)); n < 5 {
			t.Errorf("%d violations, want every problem (name, user, password, size, notes):\n%v", n, err)
		}
		if diff := cmp.Diff([]string{"IMG-2"}, rule.IDs(err)); diff != "" {
			t.Errorf("rule IDs (-want +got):\n%s", diff)
		}
	})
	t.Run("IMG-9 the size must boot the base image's generation", func(t *testing.T) {
		spec := imgBuildSpec("Gen")
		spec.Size = "Standard_A2_v2" // Gen1 only; the prepared images are Gen2
		if _, err := e.tn.BuildImage(ctx, spec); !rule.Has(err, "IMG-9") {
			t.Errorf("err = %v, want IMG-9", err)
		}
	})
	t.Run("FW-4 one restricted range per build machine", func(t *testing.T) {
		spec := imgBuildSpec("Two")
		spec.AllowedIPs = []netip.Prefix{imgPrefix("203.0.113.0/28"), imgPrefix("198.51.100.0/28")}
		if _, err := e.tn.BuildImage(ctx, spec); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "FW-4") {
			t.Errorf("err = %v, want ErrInvalid FW-4", err)
		}
	})
	t.Run("IMG-7 names are unique and not a prepared image's", func(t *testing.T) {
		if _, err := e.tn.BuildImage(ctx, imgBuildSpec("windows server 2022 (multi-session)")); !errors.Is(err, flex.ErrConflict) || !rule.Has(err, "IMG-1") {
			t.Errorf("prepared name: %v, want ErrConflict IMG-1", err)
		}
		if _, err := e.tn.BuildImage(ctx, imgBuildSpec("Dup")); err != nil {
			t.Fatal(err)
		}
		if _, err := e.tn.BuildImage(ctx, imgBuildSpec("DUP")); !errors.Is(err, flex.ErrConflict) || !rule.Has(err, "IMG-7") {
			t.Errorf("duplicate name: %v, want ErrConflict IMG-7", err)
		}
	})
	t.Run("REG-1 region for No connectivity", func(t *testing.T) {
		spec := imgBuildSpec("Moon")
		spec.Region = "moon-central"
		if _, err := e.tn.BuildImage(ctx, spec); !rule.Has(err, "REG-1") {
			t.Errorf("err = %v, want REG-1", err)
		}
	})
	t.Run("IMG-3 the base must be Ready", func(t *testing.T) {
		base, _ := e.tn.Image(ctx, "prod", "Dup") // BuilderActive
		spec := imgBuildSpec("FromBuilding")
		spec.Base = base.Image
		if _, err := e.tn.BuildImage(ctx, spec); !rule.Has(err, "IMG-3") {
			t.Errorf("err = %v, want IMG-3", err)
		}
		// A caller's stale copy that claims Ready is looked up again.
		spec.Base.State = image.Ready
		if _, err := e.tn.BuildImage(ctx, spec); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "IMG-3") {
			t.Errorf("stale Ready copy: %v, want ErrPrecondition IMG-3", err)
		}
	})
	t.Run("NET-2 unknown connection", func(t *testing.T) {
		spec := imgBuildSpec("Net")
		spec.Region, spec.Connection = "", "nowhere"
		if _, err := e.tn.BuildImage(ctx, spec); !errors.Is(err, flex.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
	// Nothing of the refused builds exists.
	if got := e.owned("image/Dup"); len(got) == 0 {
		t.Error("the valid build has no resources")
	}
	for _, r := range e.view.Resources(flex.Filter{}) {
		if o := r.Metadata().Tags[flex.TagOwner]; o != "image/Dup" && o != "subscription/prod" {
			t.Errorf("unexpected resource %s owned by %s", r.Metadata().ID, o)
		}
	}
}

func TestBuildImageOnConnection(t *testing.T) {
	e := newImgEnv(t)
	ctx := t.Context()
	e.peering(t, "hub", "10.1.0.0/24")
	spec := imgBuildSpec("Corp")
	spec.Connection, spec.Region = "hub", ""
	spec.Domain = image.ActiveDirectory
	spec.AD = image.ADConfig{Domain: "corp.example.com", ServiceAccount: `CORP\joiner`, Password: secret.New("J0in-Secret!x")}
	spec.AllowedIPs = []netip.Prefix{imgPrefix("192.168.0.0/28")}
	t.Run("REG-2 a region with a connection is refused", func(t *testing.T) {
		s := spec
		s.Region = "westus"
		if _, err := e.tn.BuildImage(ctx, s); !rule.Has(err, "REG-2") {
			t.Errorf("err = %v, want REG-2", err)
		}
	})
	t.Run("FW-4 the restricted range must lie outside the VNet", func(t *testing.T) {
		s := spec
		s.AllowedIPs = []netip.Prefix{imgPrefix("10.1.0.0/28")}
		if _, err := e.tn.BuildImage(ctx, s); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "FW-4") {
			t.Errorf("err = %v, want ErrInvalid FW-4", err)
		}
	})
	d, err := e.tn.BuildImage(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	// RULE REG-2: the build takes the connection's region.
	if d.Region != network.WestEurope || d.Connection != "hub" {
		t.Errorf("build: %+v", d)
	}
	// A second build on the same connection, and a VDA subnet of a catalog.
	spec2 := spec
	spec2.Name, spec2.AllowedIPs = "Corp2", []netip.Prefix{imgPrefix("192.168.0.64/28")}
	d2, err := e.tn.BuildImage(ctx, spec2)
	if err != nil {
		t.Fatal(err)
	}
	vdas, err := e.tn.ConnectionSubnetForTest(ctx, "prod", "hub", "catalog/Sales", 10, true)
	if err != nil {
		t.Fatal(err)
	}
	vda1, vda2 := flex.SubnetPrefix(vdas).Addr().Next().Next().Next().Next(), flex.SubnetPrefix(vdas).Addr().Next().Next().Next().Next().Next()
	admin, stranger := netip.MustParseAddr("192.168.0.5"), netip.MustParseAddr("192.168.0.100")
	builder, builder2 := d.Builder.Address, d2.Builder.Address

	// RULE FW-4: 3389 from the customer range to that build machine only.
	for _, tc := range []struct {
		name     string
		src, dst netip.Addr
		want     bool
	}{
		{"admin to its builder", admin, builder, true},
		{"admin to the other builder", admin, builder2, false},
		{"second range to its builder", netip.MustParseAddr("192.168.0.70"), builder2, true},
		{"outside the range", stranger, builder, false},
		{"admin to a VDA", admin, vda1, false},
		{"VDA to VDA", vda1, vda2, false},
		{"VDA to builder", vda1, builder, false},
		{"builder to VDA", builder, vda1, false},
	} {
		if got := e.rdp(t, tc.src, tc.dst); got != tc.want {
			t.Errorf("FW-4 %s: RDP %s → %s allowed=%v, want %v", tc.name, tc.src, tc.dst, got, tc.want)
		}
	}
	// RULE IMG-3: RDP to the private address through the connection.
	target, err := e.tn.ImageBuilderRDP(ctx, "prod", "Corp", image.PrivateAddress)
	if err != nil || target.Address != netip.AddrPortFrom(builder, 3389) || target.Username != "imgadmin" {
		t.Errorf("ImageBuilderRDP = %+v, %v", target, err)
	}

	// The builder's rules go when it goes (FW-4).
	if _, err := e.tn.FinishImageBuild(ctx, "prod", "Corp"); err != nil {
		t.Fatal(err)
	}
	if got := e.nsgRulesFor(builder); got != nil {
		t.Errorf("FW-4: rules for the finished builder remain: %v", got)
	}
	if _, err := e.view.Allowed(admin, builder, network.TCP, 3389); !errors.Is(err, flex.ErrNotFound) {
		t.Errorf("the finished builder's subnet is still there: %v", err)
	}
	if !e.rdp(t, netip.MustParseAddr("192.168.0.70"), builder2) {
		t.Error("FW-4: the other builder lost its rule")
	}
	if got := e.nsgRulesFor(builder2); len(got) != 2 { // one per subnet: Corp2's and the VDAs'
		t.Errorf("FW-4: rules for the remaining build = %v, want one in each subnet", got)
	}
	// NET-8: a connection that a build uses cannot be deleted.
	if err := e.tn.RemoveSubnetForTest(ctx, "hub", vdas); err != nil {
		t.Fatal(err)
	}
	if err := e.tn.DeleteConnection(ctx, "hub"); !errors.Is(err, flex.ErrPrecondition) || !strings.Contains(err.Error(), `image build "Corp2"`) || strings.Count(err.Error(), "Corp2") != 1 {
		t.Errorf("DeleteConnection while a build uses it = %v, want ErrPrecondition naming the image", err)
	}
	if err := e.tn.DeleteImage(ctx, "prod", "Corp2"); err != nil {
		t.Fatal(err)
	}
	if got := e.nsgRulesFor(builder2); got != nil {
		t.Errorf("FW-4: rules for the deleted build remain: %v", got)
	}
	if got := e.owned("image/Corp2"); got != nil {
		t.Errorf("resources of the deleted build: %v", got)
	}
	if err := e.tn.DeleteConnection(ctx, "hub"); err != nil {
		t.Errorf("DeleteConnection once the build is gone: %v", err)
	}
}

func TestImageBuilderPowerRDPAndRootPassword(t *testing.T) {
	e := newImgEnv(t)
	ctx := t.Context()
	spec := imgBuildSpec("Linux")
	spec.Base, _ = image.LookupPrepared("Ubuntu 22.04 LTS (multi-session)")
	spec.Username = "builder"
	if _, err := e.tn.BuildImage(ctx, spec); err != nil {
		t.Fatal(err)
	}
	vm := func() *flex.VirtualMachine {
		for _, r := range e.view.Resources(flex.Filter{Type: flex.TypeVirtualMachine}) {
			return r.(*flex.VirtualMachine)
		}
		t.Fatal("no build machine")
		return nil
	}
	t.Run("IMG-3 power off and on", func(t *testing.T) {
		d, err := e.tn.ImageBuilderAction(ctx, "prod", "Linux", image.PowerOff)
		if err != nil || d.State != image.BuilderStopped || vm().PowerState != flex.PowerDeallocated {
			t.Fatalf("PowerOff: %v %v, VM %s", d.State, err, vm().PowerState)
		}
		if _, err := e.tn.ImageBuilderAction(ctx, "prod", "Linux", image.PowerOff); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "IMG-3") {
			t.Errorf("second PowerOff = %v, want ErrPrecondition IMG-3", err)
		}
		if _, err := e.tn.ImageBuilderRDP(ctx, "prod", "Linux", image.PublicAddress); !rule.Has(err, "IMG-3") {
			t.Errorf("RDP to a stopped builder = %v, want IMG-3", err)
		}
		if _, err := e.tn.ImageBuilderAction(ctx, "prod", "Linux", image.FinishBuild); !errors.Is(err, flex.ErrInvalid) {
			t.Errorf("FinishBuild as a builder action = %v, want ErrInvalid", err)
		}
		d, err = e.tn.ImageBuilderAction(ctx, "prod", "Linux", image.PowerOn)
		if err != nil || d.State != image.BuilderActive || vm().PowerState != flex.PowerRunning {
			t.Fatalf("PowerOn: %v %v, VM %s", d.State, err, vm().PowerState)
		}
	})
	t.Run("IMG-3 private RDP needs a connection", func(t *testing.T) {
		if _, err := e.tn.ImageBuilderRDP(ctx, "prod", "Linux", image.PrivateAddress); !rule.Has(err, "IMG-3") {
			t.Errorf("err = %v, want IMG-3", err)
		}
	})
	t.Run("IMG-4 root password while customizing only", func(t *testing.T) {
		if err := e.tn.ChangeRootPassword(ctx, "prod", "Linux", secret.Value{}); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "IMG-4") {
			t.Errorf("empty password: %v, want ErrInvalid IMG-4", err)
		}
		if err := e.tn.ChangeRootPassword(ctx, "prod", "Linux", secret.New("N3w-Root-Pass")); err != nil {
			t.Fatal(err)
		}
		d, _ := e.tn.Image(ctx, "prod", "Linux")
		if !d.Builder.RootPasswordChanged.Equal(imgEpoch) {
			t.Errorf("RootPasswordChanged = %v", d.Builder.RootPasswordChanged)
		}
		if _, err := e.tn.FinishImageBuild(ctx, "prod", "Linux"); err != nil {
			t.Fatal(err)
		}
		if err := e.tn.ChangeRootPassword(ctx, "prod", "Linux", secret.New("N3w-Root-Pass")); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "IMG-4") {
			t.Errorf("after finishing: %v, want ErrPrecondition IMG-4", err)
		}
	})
	t.Run("IMG-4 Windows images have no root password", func(t *testing.T) {
		if _, err := e.tn.BuildImage(ctx, imgBuildSpec("Win")); err != nil {
			t.Fatal(err)
		}
		if err := e.tn.ChangeRootPassword(ctx, "prod", "Win", secret.New("N3w-Root-Pass")); !rule.Has(err, "IMG-4") {
			t.Errorf("err = %v, want IMG-4", err)
		}
	})
}

func TestImagePreparedAndManage(t *testing.T) {
	e := newImgEnv(t)
	ctx := t.Context()
	win := "Windows 11 Pro (single-session)"
	t.Run("IMG-1 the six prepared images are listed first", func(t *testing.T) {
		all, err := e.tn.Images(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var want []flex.ImageDetails
		for _, p := range image.Prepared() {
			want = append(want, flex.ImageDetails{Image: p})
		}
		if diff := cmp.Diff(want, all, equateImages); diff != "" {
			t.Errorf("Images (-want +got):\n%s", diff)
		}
	})
	t.Run("IMG-1 prepared images cannot be renamed, annotated or deleted", func(t *testing.T) {
		if _, err := e.tn.RenameImage(ctx, "prod", win, "Mine"); !rule.Has(err, "IMG-1") {
			t.Errorf("rename: %v", err)
		}
		if _, err := e.tn.SetImageNotes(ctx, "prod", win, "mine"); !rule.Has(err, "IMG-1") {
			t.Errorf("notes: %v", err)
		}
		if err := e.tn.DeleteImage(ctx, "prod", win); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "IMG-1") {
			t.Errorf("delete: %v", err)
		}
	})
	if _, err := e.tn.BuildImage(ctx, imgBuildSpec("Gold")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tn.FinishImageBuild(ctx, "prod", "Gold"); err != nil {
		t.Fatal(err)
	}
	t.Run("IMG-7 rename and notes", func(t *testing.T) {
		if _, err := e.tn.RenameImage(ctx, "prod", "Gold", "bad/name"); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "IMG-7") {
			t.Errorf("bad name: %v", err)
		}
		if _, err := e.tn.SetImageNotes(ctx, "prod", "Gold", strings.Repeat("x", 1025)); !rule.Has(err, "IMG-7") {
			t.Errorf("long notes: %v", err)
		}
		d, err := e.tn.RenameImage(ctx, "prod", "Gold", "Gold 2026")
		if err != nil || d.Name != "Gold 2026" {
			t.Fatalf("rename: %v %v", d, err)
		}
		if d, err = e.tn.SetImageNotes(ctx, "prod", "gold 2026", "with Office"); err != nil || d.Notes != "with Office" {
			t.Fatalf("notes: %v %v", d, err)
		}
		// The resources keep their owner: the image's identity, not its name.
		if got := e.owned("image/Gold"); len(got) != 2 {
			t.Errorf("resources after rename: %v", got)
		}
		// A new image may take the old name; it gets a group of its own.
		if _, err := e.tn.BuildImage(ctx, imgBuildSpec("Gold")); err != nil {
			t.Fatal(err)
		}
		if got := e.owned("image/Gold-2"); len(got) == 0 {
			t.Error("the second Gold has no resources of its own")
		}
	})
	t.Run("IMG-7 an image in use cannot be deleted; details count users", func(t *testing.T) {
		e.multiCatalog(t, "Sales", "Gold 2026", 16) // two machines
		d, err := e.tn.Image(ctx, "prod", "Gold 2026")
		if err != nil || d.Usage != (image.Usage{Catalogs: 1, Machines: 2}) {
			t.Errorf("usage = %v, %v; want 1 catalog, 2 machines", d.Usage, err)
		}
		for _, vm := range e.vms("catalog/Sales") {
			if vm.Image.ID != e.view.Resources(flex.Filter{Type: flex.TypeImage, Tags: map[string]string{flex.TagOwner: "image/Gold"}})[0].Metadata().ID {
				t.Errorf("machine %s boots from %+v, not the image", vm.ID.Name, vm.Image)
			}
		}
		err = e.tn.DeleteImage(ctx, "prod", "Gold 2026")
		if !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "IMG-7") || !strings.Contains(err.Error(), "Sales") {
			t.Errorf("delete in use = %v, want ErrPrecondition IMG-7 naming Sales", err)
		}
		// A rename keeps the catalog and its machines on the image.
		if _, err := e.tn.RenameImage(ctx, "prod", "Gold 2026", "Gold 26"); err != nil {
			t.Fatal(err)
		}
		cats, _ := e.tn.Catalogs(ctx)
		if len(cats) != 1 || cats[0].Image != "Gold 26" {
			t.Errorf("catalogs after rename = %+v", cats)
		}
		if d, _ := e.tn.Image(ctx, "prod", "Gold 26"); d.Usage != (image.Usage{Catalogs: 1, Machines: 2}) {
			t.Errorf("usage after rename = %v", d.Usage)
		}
		if err := e.tn.DeleteImage(ctx, "prod", "Gold 26"); !rule.Has(err, "IMG-7") {
			t.Errorf("delete after rename = %v, want IMG-7", err)
		}
		p, _ := e.tn.Image(ctx, "", "windows 11 pro (single-session)")
		if p.Usage != (image.Usage{}) || p.Name != win {
			t.Errorf("prepared image usage = %v", p.Usage)
		}
	})
	t.Run("SUB-3 a subscription with images cannot be removed", func(t *testing.T) {
		if _, err := e.tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "other", AzureID: "az-other"}); err != nil {
			t.Fatal(err)
		}
		if err := e.tn.RemoveSubscription(ctx, "prod"); !errors.Is(err, flex.ErrPrecondition) || !strings.Contains(err.Error(), `image "Gold 26"`) {
			t.Errorf("RemoveSubscription = %v, want ErrPrecondition naming the images", err)
		}
		// SUB-2: the other subscription does not see prod's images.
		if _, err := e.tn.Image(ctx, "other", "Gold 26"); !errors.Is(err, flex.ErrNotFound) || !rule.Has(err, "SUB-2") {
			t.Errorf("Image(other) = %v, want ErrNotFound SUB-2", err)
		}
	})
}

// stuckVM makes the build machine's VM busy in the cloud, so that capturing
// it fails.
func stuckVM(t *testing.T, e *imgEnv, group string) {
	t.Helper()
	id := flex.ResourceID{Subscription: "az-prod", ResourceGroup: group, Type: flex.TypeVirtualMachine, Name: "imagebuilder"}
	if err := e.cloud.SetState(id, flex.Updating); err != nil {
		t.Fatal(err)
	}
}

func TestImageFailures(t *testing.T) {
	t.Run("IMG-3 a failed finish leaves the image Failed and nothing in the cloud", func(t *testing.T) {
		e := newImgEnv(t)
		ctx := t.Context()
		if _, err := e.tn.BuildImage(ctx, imgBuildSpec("Broken")); err != nil {
			t.Fatal(err)
		}
		stuckVM(t, e, "flex-t1-image-Broken")
		d, err := e.tn.FinishImageBuild(ctx, "prod", "Broken")
		if !errors.Is(err, flex.ErrConflict) {
			t.Errorf("err = %v, want the cloud's ErrConflict", err)
		}
		// RULE API-3: BuilderVerifying → Failed, with the reason.
		if d.State != image.Failed || d.Failure == "" {
			t.Errorf("details = %+v", d)
		}
		if got := e.owned("image/Broken"); got != nil {
			t.Errorf("left in the cloud: %v", got)
		}
		if err := e.tn.DeleteImage(ctx, "prod", "Broken"); err != nil {
			t.Errorf("deleting the failed image: %v", err)
		}
	})
	t.Run("a build without capacity leaves nothing and is not kept", func(t *testing.T) {
		e := newImgEnv(t)
		ctx := t.Context()
		e.cloud.SetCapacity(network.WestEurope, "Standard_D4s_v5", fake.NotOffered)
		if _, err := e.tn.BuildImage(ctx, imgBuildSpec("NoRoom")); !errors.Is(err, flex.ErrCapacity) {
			t.Errorf("err = %v, want ErrCapacity", err)
		}
		if n := e.all(); n != 1 {
			t.Errorf("%d resources left, want the subscription's group only: %v", n, e.view.Resources(flex.Filter{}))
		}
		if _, err := e.tn.Image(ctx, "prod", "NoRoom"); !errors.Is(err, flex.ErrNotFound) {
			t.Errorf("image kept: %v", err)
		}
		// The name and the managed range are free again.
		e.cloud.SetCapacity(network.WestEurope, "Standard_D4s_v5", fake.Unlimited)
		if _, err := e.tn.BuildImage(ctx, imgBuildSpec("NoRoom")); err != nil {
			t.Errorf("retry: %v", err)
		}
	})
	t.Run("a cancelled build leaves nothing", func(t *testing.T) {
		e := newImgEnv(t)
		ctx, cancel := context.WithCancel(t.Context())
		e.tn = flex.NewTenant(cancelOnVM{Provider: e.view, cancel: cancel}, flex.WithID("t1"), flex.WithClock(e.clock.Now))
		if _, err := e.tn.AddSubscription(t.Context(), flex.SubscriptionSpec{Name: "prod", AzureID: "az-prod"}); err != nil {
			t.Fatal(err)
		}
		_, err := e.tn.BuildImage(ctx, imgBuildSpec("Cancelled"))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if got := e.owned("image/Cancelled"); got != nil {
			t.Errorf("left in the cloud: %v", got)
		}
	})
	t.Run("ErrBusy while another operation works on the image", func(t *testing.T) {
		e := newImgEnv(t)
		ctx := t.Context()
		release := make(chan struct{})
		started := make(chan struct{})
		e.tn = flex.NewTenant(blockPower{Provider: e.view, started: started, release: release}, flex.WithID("t1"), flex.WithClock(e.clock.Now))
		if _, err := e.tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "prod", AzureID: "az-prod"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.tn.BuildImage(ctx, imgBuildSpec("Busy")); err != nil {
			t.Fatal(err)
		}
		done := make(chan error)
		go func() {
			_, err := e.tn.FinishImageBuild(ctx, "prod", "Busy")
			done <- err
		}()
		<-started
		if err := e.tn.DeleteImage(ctx, "prod", "Busy"); !errors.Is(err, flex.ErrBusy) {
			t.Errorf("DeleteImage while finishing = %v, want ErrBusy", err)
		}
		if _, err := e.tn.RenameImage(ctx, "prod", "Busy", "Other"); !errors.Is(err, flex.ErrBusy) {
			t.Errorf("RenameImage while finishing = %v, want ErrBusy", err)
		}
		d, _ := e.tn.Image(ctx, "prod", "Busy")
		if d.State != image.BuilderVerifying {
			t.Errorf("state while finishing = %s, want BuilderVerifying (API-3)", d.State)
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}

// cancelOnVM cancels the context when a VM is put, as a caller giving up
// in the middle of a build.
type cancelOnVM struct {
	flex.Provider
	cancel context.CancelFunc
}

func (p cancelOnVM) Put(ctx context.Context, r flex.Resource) (flex.Resource, error) {
	if _, ok := r.(*flex.VirtualMachine); ok {
		p.cancel()
		return nil, ctx.Err()
	}
	return p.Provider.Put(ctx, r)
}

// blockPower holds every power action until release is closed, announcing
// the first on started.
type blockPower struct {
	flex.Provider
	started chan struct{}
	release chan struct{}
}

func (p blockPower) Power(ctx context.Context, vm flex.ResourceID, a flex.PowerAction) error {
	select {
	case <-p.started:
	default:
		close(p.started)
	}
	<-p.release
	return p.Provider.Power(ctx, vm, a)
}

func TestImageADM1ReadOnly(t *testing.T) {
	e := newImgEnv(t)
	ro := flex.AsAdmin(t.Context(), flex.Admin{Name: "rita", Role: flex.ReadOnlyAdministrator})
	// RULE ADM-1: a Read Only Administrator reads but changes nothing.
	if _, err := e.tn.Images(ro); err != nil {
		t.Errorf("Images as read-only: %v", err)
	}
	if _, err := e.tn.BuildImage(ro, imgBuildSpec("RO")); !errors.Is(err, flex.ErrPrecondition) {
		t.Errorf("BuildImage as read-only = %v, want ErrPrecondition", err)
	}
	for name, err := range map[string]error{
		"FinishImageBuild":   func() error { _, err := e.tn.FinishImageBuild(ro, "prod", "x"); return err }(),
		"DeleteImage":        e.tn.DeleteImage(ro, "prod", "x"),
		"RenameImage":        func() error { _, err := e.tn.RenameImage(ro, "prod", "x", "y"); return err }(),
		"ImportImage":        func() error { _, err := e.tn.ImportImage(ro, flex.ImportRequest{}); return err }(),
		"ChangeRootPassword": e.tn.ChangeRootPassword(ro, "prod", "x", secret.New("p")),
	} {
		if !errors.Is(err, flex.ErrPrecondition) || !strings.Contains(err.Error(), "ADM-1") {
			t.Errorf("%s as read-only = %v, want ErrPrecondition ADM-1", name, err)
		}
	}
	if n := e.all(); n != 1 {
		t.Errorf("%d resources, want the subscription's group only", n)
	}
}

func TestImageSEC1NoSecretLeaks(t *testing.T) {
	var logs bytes.Buffer
	e := newImgEnv(t, flex.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	ctx := t.Context()
	spec := imgBuildSpec("Secret")
	spec.Domain = image.NonDomainJoined
	d, err := e.tn.BuildImage(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	bad := imgBuildSpec("Bad")
	bad.Username = "imgadmin"
	bad.Password = secret.New("imgadmin-" + imgPassword) // contains the user name: refused
	_, berr := e.tn.BuildImage(ctx, bad)
	if berr == nil {
		t.Fatal("a password containing the user name was accepted")
	}
	all, _ := e.tn.Images(ctx)
	// RULE SEC-1: no password in views, errors or logs.
	for what, s := range map[string]string{
		"details": fmt.Sprintf("%+v %v %#v", d, d, d),
		"list":    fmt.Sprintf("%+v", all),
		"error":   berr.Error(),
		"logs":    logs.String(),
	} {
		if strings.Contains(s, imgPassword) {
			t.Errorf("SEC-1: the password appears in the %s", what)
		}
	}
	if !strings.Contains(logs.String(), "imagebuilder") {
		t.Error("the cloud calls were not logged")
	}
	// The cloud does not keep it either.
	vm := e.view.Resources(flex.Filter{Type: flex.TypeVirtualMachine})[0].(*flex.VirtualMachine)
	if !vm.AdminPassword.IsZero() {
		t.Error("the VM kept its password")
	}
}

// equateImages compares image details, VDA versions and addresses by value.
var equateImages = cmpopts.EquateComparable(image.VDAVersion{}, netip.Addr{}, netip.Prefix{})

func TestBuildImageStatesAndConcurrency(t *testing.T) {
	t.Run("API-3 BuilderProvisioning while the build machine is made", func(t *testing.T) {
		e := newImgEnv(t)
		var tn *flex.Tenant
		var seen []image.State
		tn = flex.NewTenant(e.view, flex.WithID("t1"), flex.WithClock(e.clock.Now), flex.WithProgress(func(p flex.Progress) {
			if p.Op == "BuildImage" {
				d, err := tn.Image(context.Background(), "prod", "Watched")
				if err != nil {
					t.Errorf("Image during %s: %v", p.Phase, err)
				}
				seen = append(seen, d.State)
			}
		}))
		if _, err := tn.AddSubscription(t.Context(), flex.SubscriptionSpec{Name: "prod", AzureID: "az-prod"}); err != nil {
			t.Fatal(err)
		}
		d, err := tn.BuildImage(t.Context(), imgBuildSpec("Watched"))
		if err != nil {
			t.Fatal(err)
		}
		want := []image.State{image.BuilderProvisioning, image.BuilderProvisioning, image.BuilderProvisioning, image.BuilderProvisioning, image.BuilderProvisioning}
		if diff := cmp.Diff(want, seen); diff != "" || d.State != image.BuilderActive {
			t.Errorf("states during the build (-want +got):\n%s then %s", diff, d.State)
		}
	})
	t.Run("IMG-7 concurrent builds of one name: exactly one wins", func(t *testing.T) {
		e := newImgEnv(t)
		const n = 6
		errs := make(chan error, n)
		for range n {
			go func() {
				_, err := e.tn.BuildImage(t.Context(), imgBuildSpec("Race"))
				errs <- err
			}()
		}
		won := 0
		for range n {
			switch err := <-errs; {
			case err == nil:
				won++
			case !errors.Is(err, flex.ErrConflict):
				t.Errorf("loser: %v, want ErrConflict", err)
			}
		}
		if won != 1 || len(e.vms("image/Race")) != 1 {
			t.Errorf("%d builds won, %d build machines; want 1 and 1", won, len(e.vms("image/Race")))
		}
	})
}

package flex_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
)

// goodFacts are what the inspection of a valid Windows Server image finds.
var goodFacts = image.ImportFacts{
	OS: image.WindowsServer2022, Generation: image.Gen2, PersonalityINI: true,
	VDA: image.MustParseVDAVersion("2507"), VMAgent: true,
}

// diskSAS exports a customer's managed disk from the cloud for d and returns
// the SAS URL and its signature.
func (e *imgEnv) diskSAS(t *testing.T, d time.Duration) (raw, sig string) {
	t.Helper()
	ctx := t.Context()
	rg := flex.GroupID(imgCustomer, "customer-disks")
	if _, err := e.cloud.Put(ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: rg, Region: network.WestEurope}}); err != nil {
		t.Fatal(err)
	}
	disk := flex.ResourceID{Subscription: imgCustomer, ResourceGroup: rg.Name, Type: flex.TypeDisk, Name: "golden-osdisk"}
	if _, err := e.cloud.Put(ctx, &flex.Disk{Meta: flex.Meta{ID: disk, Region: network.WestEurope}, SizeGiB: 127}); err != nil {
		t.Fatal(err)
	}
	v, err := e.cloud.GrantDiskAccess(ctx, disk, d)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(v.Reveal())
	if err != nil {
		t.Fatal(err)
	}
	return v.Reveal(), u.Query().Get("sig")
}

func importRequest(name string, src image.Source) flex.ImportRequest {
	return flex.ImportRequest{
		Spec: image.ImportSpec{Name: name, Subscription: "prod", Source: src,
			Session: image.MultiSession, Domain: image.ActiveDirectory, Notes: "from Azure"},
		Region: network.WestEurope,
		Facts:  goodFacts,
	}
}

func TestImportImage(t *testing.T) {
	var logs bytes.Buffer
	e := newImgEnv(t, flex.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	ctx := t.Context()
	raw, sig := e.diskSAS(t, 3*time.Hour)
	sas, err := image.ParseSASURL(raw, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	src := image.Source{Kind: image.ManagedDiskSAS, SAS: sas}

	t.Run("IMG-6 a managed disk SAS URL", func(t *testing.T) {
		d, err := e.tn.ImportImage(ctx, importRequest("Imported", src))
		if err != nil {
			t.Fatal(err)
		}
		// RULE API-3: Importing → Ready, with what the inspection found.
		if d.State != image.Ready || d.Origin != image.OriginImported || d.OS != image.WindowsServer2022 || d.Generation != image.Gen2 {
			t.Errorf("details = %+v", d)
		}
		if diff := cmp.Diff([]string{"images/image", "resourceGroups/flex-t1-image-Imported"}, e.owned("image/Imported"), sortStrings); diff != "" {
			t.Errorf("resources (-want +got):\n%s", diff)
		}
		img := e.view.Resources(flex.Filter{Type: flex.TypeImage})[0].(*flex.Image)
		if img.SourceURL.Reveal() != raw {
			t.Error("the managed image was not copied from the SAS URL")
		}
		// RULE SEC-1: the URL's signature never shows.
		for what, s := range map[string]string{"details": fmt.Sprintf("%+v %#v", d, d), "logs": logs.String(), "resource": fmt.Sprintf("%+v", img)} {
			if strings.Contains(s, sig) {
				t.Errorf("SEC-1: the SAS signature appears in the %s", what)
			}
		}
		if !strings.Contains(d.Source, "managed disk SAS URL") || !strings.Contains(d.Source, "[redacted]") {
			t.Errorf("Source = %q, want the kind and a redacted URL", d.Source)
		}
	})
	t.Run("IMG-6 the SAS URL must stay valid 7,200 s from now", func(t *testing.T) {
		e.clock.Advance(90 * time.Minute) // 90 min of 3 h left: too little
		_, err := e.tn.ImportImage(ctx, importRequest("Late", src))
		if !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "IMG-6") {
			t.Errorf("err = %v, want ErrInvalid IMG-6", err)
		}
		if strings.Contains(err.Error(), sig) {
			t.Error("SEC-1: the signature appears in the error")
		}
		if got := e.owned("image/Late"); got != nil {
			t.Errorf("left in the cloud: %v", got)
		}
	})
	t.Run("IMG-6 public URL and storage account", func(t *testing.T) {
		for name, src := range map[string]image.Source{
			"Public":  {Kind: image.VHDPublicURL, URL: "https://corpimages.blob.core.windows.net/vhds/golden.vhd"},
			"Browsed": {Kind: image.StorageAccount, ResourceGroup: "images-rg", Account: "corpimages", Container: "vhds", Blob: "golden.vhd"},
		} {
			if _, err := e.tn.ImportImage(ctx, importRequest(name, src)); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := e.tn.ImportImage(ctx, importRequest("Bad", image.Source{Kind: image.VHDPublicURL, URL: "http://example.com/x.vhd"})); !rule.Has(err, "IMG-6") {
			t.Errorf("bad public URL: %v, want IMG-6", err)
		}
	})
}

func TestImportImageRequirementReport(t *testing.T) {
	e := newImgEnv(t)
	ctx := t.Context()
	req := importRequest("Old", image.Source{Kind: image.VHDPublicURL, URL: "https://corpimages.blob.core.windows.net/vhds/old.vhd"})
	req.Facts = image.ImportFacts{OS: image.WindowsServer2016, Generation: image.Gen1, Generalized: true,
		KeysSet: image.ListOfDDCs | image.FarmGUID, VDA: image.MustParseVDAVersion("2402")}
	d, err := e.tn.ImportImage(ctx, req)
	// RULE IMG-5: every failed requirement at once.
	if !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "IMG-5") {
		t.Fatalf("err = %v, want ErrInvalid IMG-5", err)
	}
	if n := len(rule.Violations(err)); n != 7 { // OS, generalized, 2 keys, personality.ini, VDA, VM agent
		t.Errorf("%d problems, want 7:\n%v", n, err)
	}
	// RULE API-3: Importing → Failed; nothing is left in the cloud.
	if d.State != image.Failed || !strings.Contains(d.Failure, "personality.ini") {
		t.Errorf("details = %+v", d)
	}
	if got := e.owned("image/Old"); got != nil {
		t.Errorf("left in the cloud: %v", got)
	}
	if _, _, err := flex.ImageForTest(e.tn, "prod", "Old"); !rule.Has(err, "IMG-3") {
		t.Errorf("a Failed image offered to catalogs: %v", err)
	}
	if err := e.tn.DeleteImage(ctx, "prod", "Old"); err != nil {
		t.Errorf("DeleteImage of the failed import: %v", err)
	}
}

func TestImportImageKEY2(t *testing.T) {
	e := newImgEnv(t)
	ctx := t.Context()
	req := importRequest("Encrypted", image.Source{Kind: image.VHDPublicURL, URL: "https://corpimages.blob.core.windows.net/vhds/enc.vhd"})
	req.Spec.Key = "cmk-images"
	// RULE KEY-2: an imported image may use a customer-managed key of its subscription.
	_, err := e.tn.ImportImage(ctx, req)
	if !errors.Is(err, flex.ErrNotFound) || !rule.Has(err, "KEY-2") {
		t.Errorf("unknown key: %v, want ErrNotFound KEY-2", err)
	}
	if got := e.owned("image/Encrypted"); got != nil {
		t.Errorf("left in the cloud: %v", got)
	}
	key, err := e.tn.AddKey(ctx, flex.KeySpec{Subscription: "prod", Region: network.WestEurope, Name: "cmk-images"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.tn.ImportImage(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if d.Key != "cmk-images" {
		t.Errorf("details key = %q", d.Key)
	}
	img := e.view.Resources(flex.Filter{Type: flex.TypeImage, Tags: map[string]string{flex.TagOwner: "image/Encrypted"}})[0].(*flex.Image)
	keys := e.view.Resources(flex.Filter{Type: flex.TypeKey})
	if len(keys) != 1 || img.Key != keys[0].Metadata().ID {
		t.Errorf("image key %v, keys %v", img.Key, keys)
	}
	all, _ := e.tn.Keys(ctx)
	if len(all) != 1 || !cmp.Equal(all[0].Images, []string{"Encrypted"}) {
		t.Errorf("key %s used by %v, want the image", key.Name, all)
	}
	if err := e.tn.DeleteKey(ctx, "prod", "cmk-images"); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "KEY-2") {
		t.Errorf("DeleteKey in use = %v, want ErrPrecondition KEY-2", err)
	}
	if err := e.tn.DeleteImage(ctx, "prod", "Encrypted"); err != nil {
		t.Fatal(err)
	}
	if err := e.tn.DeleteKey(ctx, "prod", "cmk-images"); err != nil {
		t.Errorf("DeleteKey once unused: %v", err)
	}
}

package flex

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
)

// internalTenant returns a Tenant without a provider, with subscriptions
// "prod" and "test", for the contract functions other areas call.
func internalTenant(now time.Time) *Tenant {
	t := NewTenant(nil, WithClock(func() time.Time { return now }))
	t.subs["prod"] = &subscription{name: "prod", azureID: "az-prod"}
	t.subs["test"] = &subscription{name: "test", azureID: "az-test"}
	t.initImaging()
	return t
}

func TestImageForContract(t *testing.T) {
	tn := internalTenant(time.Unix(0, 0))
	building := image.Image{Name: "Build", OS: image.WindowsServer2022, Session: image.MultiSession,
		Generation: image.Gen2, Domain: image.ActiveDirectory, Origin: image.OriginBuilt, State: image.BuilderActive}
	ready := building
	ready.Name, ready.State = "Gold", image.Ready
	goldID := ResourceID{Subscription: "az-prod", ResourceGroup: "flex-default-image-Gold", Type: TypeImage, Name: "image"}
	tn.images[imageKey("prod", "Build")] = &imageObj{img: building, id: "Build", sub: "prod", conn: "hub", builder: &builder{}}
	tn.images[imageKey("prod", "Gold")] = &imageObj{img: ready, id: "Gold", sub: "prod", managed: goldID}

	t.Run("IMG-1 prepared images resolve to a marketplace URN in any subscription", func(t *testing.T) {
		for _, sub := range []string{"prod", "test"} {
			img, ref, err := tn.imageFor("CreateCatalog", sub, "windows server 2022 (MULTI-session)")
			if err != nil {
				t.Fatal(err)
			}
			want := ImageRef{URN: "MicrosoftWindowsServer:WindowsServer:2022-datacenter-g2:latest"}
			if diff := cmp.Diff(want, ref); diff != "" || !img.Prepared() {
				t.Errorf("ref (-want +got):\n%s prepared=%v", diff, img.Prepared())
			}
		}
		for _, p := range image.Prepared() {
			if _, ref, _ := tn.imageFor("op", "prod", p.Name); ref.URN == "" {
				t.Errorf("prepared image %q has no URN", p.Name)
			}
		}
	})
	t.Run("IMG-3 a custom image must be Ready", func(t *testing.T) {
		_, _, err := tn.imageFor("CreateCatalog", "prod", "Build")
		if !errors.Is(err, ErrPrecondition) || !rule.Has(err, "IMG-3") {
			t.Errorf("imageFor(Build) = %v, want ErrPrecondition naming IMG-3", err)
		}
		img, ref, err := tn.imageFor("CreateCatalog", "prod", "gold")
		if err != nil || ref != (ImageRef{ID: goldID}) || img.Name != "Gold" {
			t.Errorf("imageFor(gold) = %v, %v, %v", img, ref, err)
		}
	})
	t.Run("SUB-2 another subscription's image is not found", func(t *testing.T) {
		_, _, err := tn.imageFor("CreateCatalog", "test", "Gold")
		if !errors.Is(err, ErrNotFound) || !rule.Has(err, "SUB-2") {
			t.Errorf("imageFor(test, Gold) = %v, want ErrNotFound naming SUB-2", err)
		}
	})
	t.Run("imageUsers names builds on the connection", func(t *testing.T) {
		if diff := cmp.Diff([]string{"Build"}, tn.imageUsers("HUB")); diff != "" {
			t.Errorf("imageUsers (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(tn.imageUsers("hub"), tn.imagesUsingConnection("hub")); diff != "" {
			t.Errorf("imagesUsingConnection differs from imageUsers:\n%s", diff)
		}
		if got := tn.imageUsers("other"); got != nil {
			t.Errorf("imageUsers(other) = %v, want none", got)
		}
	})
	t.Run("SUB-3 images keep their subscription in use", func(t *testing.T) {
		if diff := cmp.Diff([]string{`image "Build"`, `image "Gold"`}, tn.subscriptionUsers("prod")); diff != "" {
			t.Errorf("subscriptionUsers (-want +got):\n%s", diff)
		}
	})
}

func TestImagesUsingKey(t *testing.T) {
	tn := internalTenant(time.Unix(0, 0))
	tn.images[imageKey("prod", "Enc")] = &imageObj{img: image.Image{Name: "Enc"}, sub: "prod", keyName: "cmk-1"}
	tn.images[imageKey("prod", "Plain")] = &imageObj{img: image.Image{Name: "Plain"}, sub: "prod"}
	// RULE KEY-2: an imported image may use a key; the key's users are known.
	if diff := cmp.Diff([]string{"Enc"}, tn.imagesUsingKey("PROD", "CMK-1")); diff != "" {
		t.Errorf("imagesUsingKey (-want +got):\n%s", diff)
	}
	if got := tn.imagesUsingKey("test", "cmk-1"); got != nil {
		t.Errorf("imagesUsingKey(test) = %v, want none", got)
	}
}

func TestDueBastionsWarnsAndNeverDeletes(t *testing.T) {
	now := time.Date(2026, 5, 11, 12, 0, 0, 0, time.UTC)
	tn := internalTenant(now)
	tn.bastions["hub"] = &bastionObj{sub: "prod", conn: "hub", created: now.Add(-BastionLifetime - time.Hour), power: PowerDeallocated}
	tn.bastions["spoke"] = &bastionObj{sub: "prod", conn: "spoke", created: now.Add(-BastionLifetime), power: PowerDeallocated}
	// The provider is nil: a bastion that is off needs no cloud call.
	ran, warnings, err := tn.dueBastions(t.Context(), now)
	if err != nil || ran != nil {
		t.Fatalf("dueBastions ran %v, %v; want nothing to do", ran, err)
	}
	// RULE TRB-2: a warning once older than 3 days; exactly 3 days is not older.
	if len(warnings) != 1 || warnings[0].ID != "TRB-2" || !strings.Contains(warnings[0].Msg, `connection "hub"`) {
		t.Errorf("warnings = %+v, want one TRB-2 warning for hub", warnings)
	}
	if len(tn.bastions) != 2 {
		t.Errorf("%d bastions left, want both: bastions are never deleted automatically (TRB-2)", len(tn.bastions))
	}
	if diff := cmp.Diff([]string{"hub"}, tn.bastionsUsingConnection("Hub")); diff != "" {
		t.Errorf("troubleshootingUsers (-want +got):\n%s", diff)
	}
}

func TestConnectionHostsOrder(t *testing.T) {
	tn := internalTenant(time.Unix(0, 0))
	c := &connection{name: "hub"}
	src := netip.MustParsePrefix("203.0.113.0/28")
	tn.images[imageKey("prod", "B")] = &imageObj{img: image.Image{Name: "B"}, c: c, builder: &builder{registered: true, addr: netip.MustParseAddr("10.0.0.20"), rdp: src}}
	tn.images[imageKey("prod", "A")] = &imageObj{img: image.Image{Name: "A"}, c: c, builder: &builder{registered: true, addr: netip.MustParseAddr("10.0.0.4"), rdp: src}}
	tn.images[imageKey("prod", "Off")] = &imageObj{img: image.Image{Name: "Off"}, c: c, builder: &builder{addr: netip.MustParseAddr("10.0.0.36")}}
	tn.bastions["hub"] = &bastionObj{conn: "hub", registered: true, addr: netip.MustParseAddr("10.0.0.52"), source: src}
	tn.rdpAccess["hub"] = &rdpObj{conn: "hub", source: netip.MustParsePrefix("198.51.100.0/27")}
	// RULE SUB-2: a builder on another subscription's network of the same
	// name is not on c.
	other := &connection{name: "HUB", sub: "test"}
	tn.images[imageKey("test", "A")] = &imageObj{img: image.Image{Name: "A"}, c: other, builder: &builder{registered: true, addr: netip.MustParseAddr("10.0.0.5"), rdp: src}}
	hosts, rdp := tn.connectionHosts(c)
	var got []string
	for _, h := range hosts {
		got = append(got, h.Kind.String()+" "+h.Address.String())
	}
	// RULE FW-4: registered builders by address, then the bastion; unregistered hosts have no rules.
	if diff := cmp.Diff([]string{"ImageBuilder 10.0.0.4", "ImageBuilder 10.0.0.20", "Bastion 10.0.0.52"}, got); diff != "" {
		t.Errorf("hosts (-want +got):\n%s", diff)
	}
	// RULE FW-5: the RDP access range comes with them.
	if rdp != netip.MustParsePrefix("198.51.100.0/27") {
		t.Errorf("rdp access = %v", rdp)
	}
}

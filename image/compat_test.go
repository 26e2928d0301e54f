package image_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/rule"
)

func TestCompatible(t *testing.T) {
	winServer := image.Prepared()[2]
	adBuilt := built(image.Ready)
	adBuilt.Domain = image.ActiveDirectory
	ndjBuilt := built(image.Ready)
	cases := []struct {
		name    string
		img     image.Image
		session image.SessionType
		domain  image.DomainType
		ids     []string
	}{
		{"IMG-8 prepared fits every domain type", winServer, image.MultiSession, image.EntraHybrid, nil},
		{"IMG-8 prepared fits non-domain-joined", winServer, image.MultiSession, image.NonDomainJoined, nil},
		{"IMG-8 session mismatch", winServer, image.SingleSession, image.ActiveDirectory, []string{"IMG-8"}},
		{"IMG-8 AD image fits AD catalog", adBuilt, image.SingleSession, image.ActiveDirectory, nil},
		{"IMG-8 AD image fits Entra hybrid catalog", adBuilt, image.SingleSession, image.EntraHybrid, nil},
		{"IMG-8 AD image refused by non-domain-joined catalog", adBuilt, image.SingleSession, image.NonDomainJoined, []string{"IMG-8"}},
		{"IMG-8 non-domain-joined image refused by AD catalog", ndjBuilt, image.SingleSession, image.ActiveDirectory, []string{"IMG-8"}},
		{"IMG-8 invalid catalog types", ndjBuilt, 0, 0, []string{"IMG-8"}},
		{"IMG-3 unfinished image refused", built(image.BuilderActive), image.SingleSession, image.NonDomainJoined, []string{"IMG-3"}},
		{"IMG-3 IMG-8 all problems at once", built(image.Failed), image.MultiSession, image.ActiveDirectory, []string{"IMG-3", "IMG-8"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := image.Compatible(c.img, c.session, c.domain)
			if diff := cmp.Diff(c.ids, rule.IDs(err)); diff != "" {
				t.Errorf("ids (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
	t.Run("IMG-8 every problem reported", func(t *testing.T) {
		err := image.Compatible(built(image.Failed), image.MultiSession, image.ActiveDirectory)
		if n := len(rule.Violations(err)); n != 3 {
			t.Errorf("want 3 violations, got %d: %v", n, err)
		}
	})
}

func TestGenerationSwitch(t *testing.T) {
	gen := func(g image.Generation) image.Image {
		img := built(image.Ready)
		img.Generation = g
		return img
	}
	size := func(name string) image.VMSize {
		s, ok := image.LookupSize(name)
		if !ok {
			t.Fatalf("no size %s", name)
		}
		return s
	}
	cases := []struct {
		name     string
		from, to image.Generation
		size     string
		ok       bool
	}{
		{"IMG-9 Gen1 to Gen2 on a size with both", image.Gen1, image.Gen2, "Standard_D4s_v5", true},
		{"IMG-9 Gen2 to Gen1 on a size with both", image.Gen2, image.Gen1, "Standard_B2ms", true},
		{"IMG-9 Gen1 to Gen2 on a Gen1-only size", image.Gen1, image.Gen2, "Standard_A2_v2", false},
		{"IMG-9 Gen2 to Gen1 on a Gen2-only size", image.Gen2, image.Gen1, "Standard_D2s_v6", false},
		{"IMG-9 no switch on a Gen1-only size", image.Gen1, image.Gen1, "Standard_NV4as_v4", true},
		{"IMG-9 invalid generation", 0, image.Gen2, "Standard_D4s_v5", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := image.CheckGenerationSwitch(gen(c.from), gen(c.to), size(c.size))
			if (err == nil) != c.ok || (err != nil && !cmp.Equal(rule.IDs(err), []string{"IMG-9"})) {
				t.Errorf("got %v", err)
			}
		})
	}
	t.Run("IMG-9 message suggests sizes that would do", func(t *testing.T) {
		err := image.CheckGenerationSwitch(gen(image.Gen1), gen(image.Gen2), size("Standard_A2_v2"))
		for _, want := range []string{"Standard_A2_v2", "Gen1 only", "switch from Gen1 to Gen2", "Standard_D2s_v5"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("message %v lacks %q", err, want)
			}
		}
	})
	t.Run("Secure Boot needs Gen2", func(t *testing.T) {
		if !image.SupportsSecureBoot(gen(image.Gen2)) || image.SupportsSecureBoot(gen(image.Gen1)) {
			t.Error("SupportsSecureBoot wrong")
		}
	})
}

func TestLicense(t *testing.T) {
	win11 := image.Prepared()[0]
	t.Run("LIC-1 Windows 11 single-session needs a qualifying license", func(t *testing.T) {
		if !image.NeedsLicense(win11) {
			t.Fatal("Windows 11 does not need a license")
		}
		if err := image.CheckLicense(win11); !rule.Has(err, "LIC-1") {
			t.Errorf("no license: %v", err)
		}
		if err := image.CheckLicense(win11, image.Microsoft365BusinessPremium, image.Microsoft365F1); !rule.Has(err, "LIC-1") {
			t.Errorf("non-qualifying licenses: %v", err)
		}
		for _, l := range image.QualifyingLicenses() {
			if err := image.CheckLicense(win11, image.Microsoft365F1, l); err != nil {
				t.Errorf("%s: %v", l, err)
			}
		}
	})
	t.Run("LIC-1 the qualifying licenses are the documented eight", func(t *testing.T) {
		var got []string
		for _, l := range image.QualifyingLicenses() {
			got = append(got, l.String())
			if p, err := image.ParseLicense(strings.ToUpper(l.String())); err != nil || p != l {
				t.Errorf("ParseLicense(%q) = %v, %v", l, p, err)
			}
		}
		want := []string{"Microsoft 365 E3", "Microsoft 365 E5", "Microsoft 365 E7", "Microsoft 365 F3",
			"Windows 11 Enterprise E3", "Windows 11 Enterprise E5", "Windows 11 VDA E3", "Windows 11 VDA E5"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if _, err := image.ParseLicense("Windows 11 Pro"); err == nil {
			t.Error("ParseLicense accepted Windows 11 Pro")
		}
	})
	t.Run("LIC-1 Windows Server and Linux need none", func(t *testing.T) {
		for _, img := range image.Prepared()[1:] {
			if image.NeedsLicense(img) || image.CheckLicense(img) != nil {
				t.Errorf("%s needs a license", img.Name)
			}
		}
	})
}

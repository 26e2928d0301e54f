package image_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/rule"
)

func goodFacts() image.ImportFacts {
	return image.ImportFacts{OS: image.WindowsServer2022, Generation: image.Gen2, PersonalityINI: true,
		VDA: image.MustParseVDAVersion("2511"), VMAgent: true}
}

func TestCheckImport(t *testing.T) {
	t.Run("IMG-5 a prepared image passes", func(t *testing.T) {
		if err := image.CheckImport(goodFacts()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("IMG-5 every failure at once", func(t *testing.T) {
		f := image.ImportFacts{OS: image.Windows10, Generalized: true,
			KeysSet: image.ListOfDDCs | image.PolicyFarmGUID, VDA: image.MustParseVDAVersion("2503")}
		var got []string
		for _, v := range rule.Violations(image.CheckImport(f)) {
			if v.ID != "IMG-5" {
				t.Errorf("id %s", v.ID)
			}
			got = append(got, v.Msg[:strings.IndexAny(v.Msg, ";")])
		}
		want := []string{
			"operating system Windows 10 is not supported",
			"generation Generation(0) is not supported",
			"the image is generalized",
			`registry value HKLM:\SOFTWARE\Citrix\VirtualDesktopAgent\ListOfDDCs is set`,
			`registry value HKLM:\SOFTWARE\Policies\Citrix\VirtualDesktopAgent\FarmGUID is set`,
			"personality.ini is missing from the system drive",
			"Citrix VDA 2503 is installed",
			"the Azure Virtual Machine Agent is not installed",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("IMG-5 each requirement alone", func(t *testing.T) {
		cases := map[string]func(*image.ImportFacts){
			"unknown OS":   func(f *image.ImportFacts) { f.OS = image.OSUnknown },
			"Server 2016":  func(f *image.ImportFacts) { f.OS = image.WindowsServer2016 },
			"generation":   func(f *image.ImportFacts) { f.Generation = 7 },
			"generalized":  func(f *image.ImportFacts) { f.Generalized = true },
			"ListOfDDCs":   func(f *image.ImportFacts) { f.KeysSet = image.PolicyListOfDDCs },
			"FarmGUID":     func(f *image.ImportFacts) { f.KeysSet = image.FarmGUID },
			"unknown key":  func(f *image.ImportFacts) { f.KeysSet = 0x80 },
			"personality":  func(f *image.ImportFacts) { f.PersonalityINI = false },
			"no VDA":       func(f *image.ImportFacts) { f.VDA = image.VDAVersion{} },
			"old LTSR VDA": func(f *image.ImportFacts) { f.VDA = image.MustParseVDAVersion("2402 LTSR CU3") },
			"VM agent":     func(f *image.ImportFacts) { f.VMAgent = false },
		}
		for name, change := range cases {
			f := goodFacts()
			change(&f)
			err := image.CheckImport(f)
			if n := len(rule.Violations(err)); n != 1 || !rule.Has(err, "IMG-5") {
				t.Errorf("%s: want one IMG-5 problem, got %v", name, err)
			}
		}
	})
	t.Run("IMG-5 minimum VDA and later versions pass", func(t *testing.T) {
		for _, v := range []string{"2507", "2507 LTSR", "2507 LTSR CU1", "2511", "2603.1"} {
			f := goodFacts()
			f.VDA = image.MustParseVDAVersion(v)
			if err := image.CheckImport(f); err != nil {
				t.Errorf("%s: %v", v, err)
			}
		}
	})
	t.Run("IMG-5 Linux images are not asked for Windows registry values or personality.ini", func(t *testing.T) {
		f := goodFacts()
		f.OS, f.PersonalityINI = image.Ubuntu2204, false
		if err := image.CheckImport(f); err != nil {
			t.Errorf("Ubuntu: %v", err)
		}
	})
	t.Run("IMG-5 registry key names", func(t *testing.T) {
		var got []string
		for _, k := range (image.ListOfDDCs | image.PolicyListOfDDCs | image.FarmGUID | image.PolicyFarmGUID).Keys() {
			got = append(got, k.String())
		}
		want := []string{
			`HKLM:\SOFTWARE\Citrix\VirtualDesktopAgent\ListOfDDCs`,
			`HKLM:\SOFTWARE\Policies\Citrix\VirtualDesktopAgent\ListOfDDCs`,
			`HKLM:\SOFTWARE\Citrix\VirtualDesktopAgent\FarmGUID`,
			`HKLM:\SOFTWARE\Policies\Citrix\VirtualDesktopAgent\FarmGUID`,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if image.RegistryKey(0).String() != "none" {
			t.Errorf("empty set prints %q", image.RegistryKey(0))
		}
	})
}

func validImport() image.ImportSpec {
	return image.ImportSpec{
		Name:         "Engineering",
		Subscription: "Production",
		Source:       image.Source{Kind: image.ManagedDiskSAS, SAS: image.MustParseSASURL(sasURL("2026-05-11T12:00:00Z"), now)},
		Session:      image.SingleSession,
		Domain:       image.ActiveDirectory,
		Key:          "cmk-prod-2026",
		Notes:        "From the engineering golden image",
	}
}

func TestImportSpec(t *testing.T) {
	t.Run("IMG-6 a complete spec is valid", func(t *testing.T) {
		if err := validImport().Validate(now); err != nil {
			t.Fatal(err)
		}
	})
	cases := []struct {
		name   string
		change func(*image.ImportSpec)
		ids    []string
	}{
		{"IMG-6 name", func(s *image.ImportSpec) { s.Name = "" }, []string{"IMG-6"}},
		{"IMG-6 subscription", func(s *image.ImportSpec) { s.Subscription = "" }, []string{"IMG-6"}},
		{"IMG-6 no source", func(s *image.ImportSpec) { s.Source = image.Source{} }, []string{"IMG-6"}},
		{"IMG-6 missing SAS", func(s *image.ImportSpec) { s.Source.SAS = image.SASURL{} }, []string{"IMG-6"}},
		{"IMG-6 VHD SAS must name a .vhd", func(s *image.ImportSpec) { s.Source.Kind = image.VHDSAS }, []string{"IMG-6"}},
		{"IMG-6 VHD SAS", func(s *image.ImportSpec) {
			s.Source = image.Source{Kind: image.VHDSAS, SAS: image.MustParseSASURL(
				"https://acct.blob.core.windows.net/vhds/gold.VHD?sp=r&se=2026-05-11T12:00:00Z&sig="+sig, now)}
		}, nil},
		{"IMG-6 public URL", func(s *image.ImportSpec) {
			s.Source = image.Source{Kind: image.VHDPublicURL, URL: "https://acct.blob.core.windows.net/vhds/gold.vhd"}
		}, nil},
		{"IMG-6 public URL must be a blob .vhd over https", func(s *image.ImportSpec) {
			s.Source = image.Source{Kind: image.VHDPublicURL, URL: "http://example.com/gold.iso"}
		}, []string{"IMG-6"}},
		{"IMG-6 storage account", func(s *image.ImportSpec) {
			s.Source = image.Source{Kind: image.StorageAccount, ResourceGroup: "rg-images(prod)", Account: "goldimages01", Container: "vhds", Blob: "win/gold.vhd"}
		}, nil},
		{"IMG-6 storage account names", func(s *image.ImportSpec) {
			s.Source = image.Source{Kind: image.StorageAccount, ResourceGroup: "rg.", Account: "Gold", Container: "a--b", Blob: "gold.vhdx"}
		}, []string{"IMG-6"}},
		{"IMG-8 session and domain declared", func(s *image.ImportSpec) { s.Session, s.Domain = 0, 0 }, []string{"IMG-8"}},
		{"KEY-2 key is optional", func(s *image.ImportSpec) { s.Key = "" }, nil},
		{"KEY-2 key name", func(s *image.ImportSpec) { s.Key = " cmk\n" }, []string{"KEY-2"}},
		{"IMG-6 notes", func(s *image.ImportSpec) { s.Notes = strings.Repeat("x", 1025) }, []string{"IMG-6"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := validImport()
			c.change(&s)
			err := s.Validate(now)
			if diff := cmp.Diff(c.ids, rule.IDs(err)); diff != "" {
				t.Errorf("ids (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
	t.Run("IMG-6 storage account reports every bad field", func(t *testing.T) {
		s := validImport()
		s.Source = image.Source{Kind: image.StorageAccount, ResourceGroup: "rg.", Account: "Gold", Container: "a--b", Blob: "gold.vhdx"}
		if n := len(rule.Violations(s.Validate(now))); n != 4 {
			t.Errorf("want 4 problems, got %d", n)
		}
	})
	t.Run("IMG-6 SAS expiry checked again at submission", func(t *testing.T) {
		err := validImport().Validate(now.Add(3 * time.Hour))
		if !rule.Has(err, "IMG-6") || !strings.Contains(err.Error(), "expires in 1h0m0s") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("IMG-6 SEC-1 public URL with a signature is refused without showing it", func(t *testing.T) {
		s := validImport()
		s.Source = image.Source{Kind: image.VHDPublicURL, URL: "https://acct.blob.core.windows.net/vhds/gold.vhd?sig=" + sig}
		err := s.Validate(now)
		if !rule.Has(err, "IMG-6") || strings.Contains(err.Error(), sig) {
			t.Errorf("got %v", err)
		}
		s.Source.URL = "https://acct.blob.core.windows.net/vhds/gold.vhd?%zz=" + sig
		if err := s.Validate(now); err == nil || strings.Contains(err.Error(), sig) {
			t.Errorf("got %v", err)
		}
	})
}

func TestCompleteImport(t *testing.T) {
	start := func(s image.ImportSpec) image.Image {
		img, err := s.Image().Apply(image.Start)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	t.Run("IMG-5 KEY-2 passing facts make a Ready image with its key", func(t *testing.T) {
		f := goodFacts()
		f.OS = image.Windows11
		got, err := image.CompleteImport(start(validImport()), f)
		if err != nil {
			t.Fatal(err)
		}
		want := image.Image{Name: "Engineering", OS: image.Windows11, Session: image.SingleSession, Generation: image.Gen2,
			Domain: image.ActiveDirectory, Origin: image.OriginImported, State: image.Ready, VDA: f.VDA,
			Key: "cmk-prod-2026", Notes: "From the engineering golden image"}
		if diff := cmp.Diff(want, got, cmpImage); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("IMG-5 failing facts make a Failed image and report everything", func(t *testing.T) {
		f := goodFacts() // Windows Server cannot be the declared single-session image
		f.VMAgent = false
		got, err := image.CompleteImport(start(validImport()), f)
		if got.State != image.Failed || len(rule.Violations(err)) != 2 || !rule.Has(err, "IMG-5") {
			t.Errorf("got %v, %v", got.State, err)
		}
	})
	t.Run("IMG-3 only an importing image completes", func(t *testing.T) {
		img := validImport().Image()
		got, err := image.CompleteImport(img, goodFacts())
		if !rule.Has(err, "IMG-3") || got != img {
			t.Errorf("got %v, %v", got, err)
		}
		if _, err := image.CompleteImport(built(image.BuilderVerifying), goodFacts()); !rule.Has(err, "IMG-3") {
			t.Errorf("built image: %v", err)
		}
	})
}

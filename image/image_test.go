package image_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/daasflex/daasflex/image"
)

var cmpImage = cmp.Options{cmp.Comparer(func(a, b image.VDAVersion) bool { return a == b })}

func TestPrepared(t *testing.T) {
	t.Run("IMG-1 six prepared images", func(t *testing.T) {
		type row struct {
			Name     string
			OS       image.OS
			Session  image.SessionType
			Gen      image.Generation
			Prepared bool
			State    image.State
		}
		var got []row
		for _, img := range image.Prepared() {
			got = append(got, row{img.Name, img.OS, img.Session, img.Generation, img.Prepared(), img.State})
		}
		want := []row{
			{"Windows 11 Pro (single-session)", image.Windows11, image.SingleSession, image.Gen2, true, image.Ready},
			{"Windows Server 2019 (multi-session)", image.WindowsServer2019, image.MultiSession, image.Gen2, true, image.Ready},
			{"Windows Server 2022 (multi-session)", image.WindowsServer2022, image.MultiSession, image.Gen2, true, image.Ready},
			{"Windows Server 2025 (multi-session)", image.WindowsServer2025, image.MultiSession, image.Gen2, true, image.Ready},
			{"Ubuntu 22.04 LTS (single-session)", image.Ubuntu2204, image.SingleSession, image.Gen2, true, image.Ready},
			{"Ubuntu 22.04 LTS (multi-session)", image.Ubuntu2204, image.MultiSession, image.Gen2, true, image.Ready},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Prepared() mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("IMG-1 prepared images are supported, valid and carry a VDA at or above the minimum", func(t *testing.T) {
		for _, img := range image.Prepared() {
			if !img.OS.Supported() || !img.OS.Supports(img.Session) {
				t.Errorf("%s: OS %s with %s is not supported", img.Name, img.OS, img.Session)
			}
			if img.VDA.Less(image.MinimumVDA()) {
				t.Errorf("%s: VDA %s below minimum", img.Name, img.VDA)
			}
		}
	})
	t.Run("IMG-1 Prepared returns a copy", func(t *testing.T) {
		a := image.Prepared()
		a[0].Name = "changed"
		if b := image.Prepared(); b[0].Name == "changed" {
			t.Error("modifying Prepared()'s result changed the table")
		}
	})
	t.Run("IMG-1 LookupPrepared", func(t *testing.T) {
		img, ok := image.LookupPrepared("windows server 2022 (MULTI-SESSION)")
		if !ok {
			t.Fatal("not found")
		}
		if diff := cmp.Diff(image.Prepared()[2], img, cmpImage); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if _, ok := image.LookupPrepared("Windows 10"); ok {
			t.Error("found an image that is not prepared")
		}
	})
}

func TestGeneration(t *testing.T) {
	t.Run("AZ-8 Azure names Gen1 V1 and Gen2 V2", func(t *testing.T) {
		got := map[string]string{
			image.Gen1.String(): image.Gen1.HyperVGeneration(),
			image.Gen2.String(): image.Gen2.HyperVGeneration(),
		}
		want := map[string]string{"Gen1": "V1", "Gen2": "V2"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		for in, want := range map[string]image.Generation{"V1": image.Gen1, "v2": image.Gen2, "Gen1": image.Gen1, "GEN2": image.Gen2} {
			got, err := image.ParseGeneration(in)
			if err != nil || got != want {
				t.Errorf("ParseGeneration(%q) = %v, %v; want %v", in, got, err, want)
			}
		}
		for _, in := range []string{"", "V3", "Gen0", "2"} {
			if _, err := image.ParseGeneration(in); err == nil {
				t.Errorf("ParseGeneration(%q) succeeded", in)
			}
		}
		if image.Generation(0).IsValid() || image.Generation(0).HyperVGeneration() != "" {
			t.Error("zero Generation is valid")
		}
	})
	t.Run("AZ-8 generation sets", func(t *testing.T) {
		cases := []struct {
			set  image.GenerationSet
			want string
			g1   bool
			g2   bool
		}{
			{image.GenerationSet(0), "none", false, false},
			{image.Generations(image.Gen1), "Gen1", true, false},
			{image.Generations(image.Gen2), "Gen2", false, true},
			{image.Generations(image.Gen2, image.Gen1, 0), "Gen1+Gen2", true, true},
		}
		for _, c := range cases {
			if c.set.String() != c.want || c.set.Has(image.Gen1) != c.g1 || c.set.Has(image.Gen2) != c.g2 || c.set.Has(0) {
				t.Errorf("set %s: Has(Gen1)=%v Has(Gen2)=%v", c.set, c.set.Has(image.Gen1), c.set.Has(image.Gen2))
			}
		}
	})
}

func TestEnums(t *testing.T) {
	t.Run("OS parse round trip", func(t *testing.T) {
		for o := image.Windows11; o.IsValid(); o++ {
			got, err := image.ParseOS(o.String())
			if err != nil || got != o {
				t.Errorf("ParseOS(%q) = %v, %v", o.String(), got, err)
			}
		}
		if _, err := image.ParseOS("Windows 12"); err == nil {
			t.Error("ParseOS accepted Windows 12")
		}
	})
	t.Run("IMG-5 OS session support", func(t *testing.T) {
		cases := []struct {
			os            image.OS
			single, multi bool
		}{
			{image.Windows11, true, false},
			{image.WindowsServer2025, false, true},
			{image.Ubuntu2204, true, true},
			{image.RHEL9, true, true},
			{image.OSUnknown, false, false},
		}
		for _, c := range cases {
			if c.os.Supports(image.SingleSession) != c.single || c.os.Supports(image.MultiSession) != c.multi {
				t.Errorf("%s: single %v multi %v", c.os, c.os.Supports(image.SingleSession), c.os.Supports(image.MultiSession))
			}
		}
		var unsupported []image.OS
		for o := image.Windows11; o.IsValid(); o++ {
			if !o.Supported() {
				unsupported = append(unsupported, o)
			}
		}
		want := []image.OS{image.Windows10, image.WindowsServer2016, image.Ubuntu2004}
		if diff := cmp.Diff(want, unsupported); diff != "" {
			t.Errorf("unsupported OSes (-want +got):\n%s", diff)
		}
	})
	t.Run("domain types parse", func(t *testing.T) {
		for _, d := range []image.DomainType{image.NonDomainJoined, image.ActiveDirectory, image.EntraHybrid} {
			if got, err := image.ParseDomainType(d.String()); err != nil || got != d {
				t.Errorf("ParseDomainType(%q) = %v, %v", d, got, err)
			}
		}
		if _, err := image.ParseDomainType("workgroup"); err == nil {
			t.Error("ParseDomainType accepted workgroup")
		}
		if image.SessionType(0).IsValid() || image.DomainType(0).IsValid() {
			t.Error("zero values are valid")
		}
		if image.NonDomainJoined.Joined() || !image.ActiveDirectory.Joined() || !image.EntraHybrid.Joined() {
			t.Error("Joined is wrong")
		}
	})
}

func TestSizes(t *testing.T) {
	t.Run("IMG-9 LookupSize", func(t *testing.T) {
		got, ok := image.LookupSize("standard_d4s_v5")
		want := image.VMSize{Name: "Standard_D4s_v5", VCPUs: 4, MemoryGiB: 16, Generations: image.Generations(image.Gen1, image.Gen2)}
		if !ok {
			t.Fatal("Standard_D4s_v5 not found")
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if _, ok := image.LookupSize("Standard_Z99"); ok {
			t.Error("found an unknown size")
		}
	})
	t.Run("IMG-9 generation support of the table", func(t *testing.T) {
		for name, want := range map[string]string{
			"Standard_A2_v2":         "Gen1",
			"Standard_NV4as_v4":      "Gen1",
			"Standard_D2s_v6":        "Gen2",
			"Standard_D2s_v5":        "Gen1+Gen2",
			"Standard_B2ms":          "Gen1+Gen2",
			"Standard_NV6ads_A10_v5": "Gen1+Gen2",
		} {
			s, ok := image.LookupSize(name)
			if !ok || s.Generations.String() != want {
				t.Errorf("%s: %v %v; want %s", name, s, ok, want)
			}
		}
	})
	t.Run("Sizes sorted, unique, shaped and copied", func(t *testing.T) {
		all := image.Sizes()
		if len(all) < 10 {
			t.Fatalf("only %d sizes", len(all))
		}
		for i, s := range all {
			if i > 0 && all[i-1].Name >= s.Name {
				t.Errorf("not sorted: %s before %s", all[i-1].Name, s.Name)
			}
			if s.VCPUs <= 0 || s.MemoryGiB <= 0 || s.Generations == 0 {
				t.Errorf("%v has no shape", s)
			}
		}
		all[0].VCPUs = 999
		if diff := cmp.Diff(image.Sizes()[1:], all[1:], cmpopts.EquateEmpty()); diff != "" || image.Sizes()[0].VCPUs == 999 {
			t.Error("Sizes() returned the table itself")
		}
	})
}

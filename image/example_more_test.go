package image_test

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/daasflex/daasflex/image"
)

func ExampleAction() {
	// An administrator's view of a build: which actions the console offers
	// in each state the service moves the image through.
	img := image.Image{Name: "Finance", Origin: image.OriginBuilt}
	for _, a := range []image.Action{image.Start, image.BuilderReady, image.PowerOff} {
		img, _ = img.Apply(a)
		fmt.Printf("after %q: %s, allowed %v\n", a, img.State, img.Allowed())
	}
	// Output:
	// after "start": BuilderProvisioning, allowed [builder ready fail]
	// after "builder ready": BuilderActive, allowed [power off finish build fail]
	// after "power off": BuilderStopped, allowed [power on finish build fail]
}

func ExampleDomainType() {
	for _, s := range []string{"none", "ad", "entra-hybrid"} {
		d, _ := image.ParseDomainType(s)
		fmt.Printf("%s: joined to AD %v\n", d, d.Joined())
	}
	// Output:
	// non-domain-joined: joined to AD false
	// Active Directory: joined to AD true
	// Entra hybrid joined: joined to AD true
}

func ExampleDomainType_IsValid() {
	var unset image.DomainType
	fmt.Println(image.ActiveDirectory.IsValid(), unset.IsValid(), image.DomainType(7).IsValid())
	// Output:
	// true false false
}

func ExampleDomainType_Joined() {
	// Only joined machines need an Active Directory configuration (IDN-4).
	for _, d := range []image.DomainType{image.NonDomainJoined, image.ActiveDirectory, image.EntraHybrid} {
		fmt.Println(d, d.Joined())
	}
	// Output:
	// non-domain-joined false
	// Active Directory true
	// Entra hybrid joined true
}

func ExampleGeneration() {
	// Azure reports generations as V1 and V2; both spellings parse (AZ-8).
	for _, s := range []string{"Gen1", "v2"} {
		g, _ := image.ParseGeneration(s)
		fmt.Println(g, g.HyperVGeneration())
	}
	size, _ := image.LookupSize("Standard_A2_v2")
	fmt.Println(size.Supports(image.Gen1), size.Supports(image.Gen2))
	// Output:
	// Gen1 V1
	// Gen2 V2
	// true false
}

func ExampleGeneration_HyperVGeneration() {
	// The value an Azure image resource carries in hyperVGeneration.
	fmt.Println(image.Gen1.HyperVGeneration(), image.Gen2.HyperVGeneration(), image.Generation(0).HyperVGeneration() == "")
	// Output:
	// V1 V2 true
}

func ExampleGeneration_IsValid() {
	var unset image.Generation
	fmt.Println(image.Gen1.IsValid(), image.Gen2.IsValid(), unset.IsValid())
	// Output:
	// true true false
}

func ExampleGenerationSet() {
	both := image.Generations(image.Gen1, image.Gen2)
	fmt.Println(both, image.Generations(image.Gen2), image.Generations())
	// Output:
	// Gen1+Gen2 Gen2 none
}

func ExampleGenerationSet_Has() {
	// Which 2-vCPU sizes of the table can boot a Gen1 image?
	var names []string
	for _, s := range image.Sizes() {
		if s.Generations.Has(image.Gen1) && s.VCPUs == 2 {
			names = append(names, s.Name)
		}
	}
	fmt.Println(names)
	// Output:
	// [Standard_A2_v2 Standard_B2ms Standard_D2as_v5 Standard_D2s_v5 Standard_E2s_v5]
}

func ExampleImage() {
	// Images are values: methods return changed copies and leave the
	// receiver as it was.
	base, _ := image.LookupPrepared("Windows 11 Pro (single-session)")
	fmt.Println(base.Name, base.OS, base.Session, base.Generation, base.State, base.VDA)
	fmt.Println(image.NeedsLicense(base), image.SupportsSecureBoot(base))

	built := image.BuildSpec{Name: "Sales desktop", Base: base, Domain: image.NonDomainJoined}.Image()
	renamed, err := built.Rename("Sales desktop 2")
	fmt.Println(built.Name, "→", renamed.Name, err)
	_, err = base.Rename("My Windows 11")
	fmt.Println(err)
	// Output:
	// Windows 11 Pro (single-session) Windows 11 single-session Gen2 Ready 2507
	// true true
	// Sales desktop → Sales desktop 2 <nil>
	// IMG-1: image "Windows 11 Pro (single-session)" is prepared by Citrix; it cannot be renamed
}

func ExampleImage_Prepared() {
	base, _ := image.LookupPrepared("Windows Server 2022 (multi-session)")
	built := image.BuildSpec{Name: "Finance apps", Base: base, Domain: image.NonDomainJoined}.Image()
	fmt.Println(base.Prepared(), built.Prepared())
	// Output:
	// true false
}

func ExampleLicense() {
	l, err := image.ParseLicense("microsoft 365 e3")
	fmt.Println(l, l.Qualifies(), err)
	// Output:
	// Microsoft 365 E3 true <nil>
}

func ExampleLicense_Qualifies() {
	for _, l := range []image.License{image.Microsoft365E5, image.Windows11VDAE3, image.Microsoft365BusinessPremium, image.Microsoft365F1} {
		fmt.Printf("%s: %v\n", l, l.Qualifies())
	}
	// Output:
	// Microsoft 365 E5: true
	// Windows 11 VDA E3: true
	// Microsoft 365 Business Premium: false
	// Microsoft 365 F1: false
}

func ExampleOS() {
	o, _ := image.ParseOS("Windows Server 2022")
	fmt.Println(o, o.Supported(), o.Supports(image.MultiSession), o.Supports(image.SingleSession))
	// Output:
	// Windows Server 2022 true true false
}

func ExampleOS_IsLinux() {
	for _, o := range []image.OS{image.Ubuntu2204, image.RHEL9, image.Windows11} {
		fmt.Println(o, o.IsLinux())
	}
	// Output:
	// Ubuntu 22.04 LTS true
	// Red Hat Enterprise Linux 9 true
	// Windows 11 false
}

func ExampleOS_IsUbuntu() {
	for _, o := range []image.OS{image.Ubuntu2404, image.RHEL8} {
		fmt.Println(o, o.IsUbuntu())
	}
	// Output:
	// Ubuntu 24.04 LTS true
	// Red Hat Enterprise Linux 8 false
}

func ExampleOS_IsValid() {
	fmt.Println(image.Windows10.IsValid(), image.OSUnknown.IsValid(), image.OS(99).IsValid())
	// Output:
	// true false false
}

func ExampleOS_IsWindows() {
	for _, o := range []image.OS{image.Windows11, image.WindowsServer2025, image.Ubuntu2204} {
		fmt.Println(o, o.IsWindows())
	}
	// Output:
	// Windows 11 true
	// Windows Server 2025 true
	// Ubuntu 22.04 LTS false
}

func ExampleOS_IsWindowsServer() {
	for _, o := range []image.OS{image.Windows11, image.WindowsServer2019} {
		fmt.Println(o, o.IsWindowsServer())
	}
	// Output:
	// Windows 11 false
	// Windows Server 2019 true
}

func ExampleOS_Supported() {
	// Known systems that an import may name but DaaS Flex refuses (IMG-5).
	for _, o := range []image.OS{image.Windows10, image.WindowsServer2016, image.Ubuntu2004, image.RHEL9} {
		fmt.Println(o, o.Supported())
	}
	// Output:
	// Windows 10 false
	// Windows Server 2016 false
	// Ubuntu 20.04 LTS false
	// Red Hat Enterprise Linux 9 true
}

func ExampleSASURL() {
	now := time.Date(2026, 5, 11, 8, 0, 0, 0, time.UTC)
	src := image.Source{Kind: image.VHDSAS,
		SAS: image.MustParseSASURL("https://acct.blob.core.windows.net/vhds/gold.vhd?sp=r&se=2026-05-12T08:00:00Z&sig=c2VjcmV0", now)}
	// The source prints without its signature; only the copy step reveals it.
	fmt.Println(src.Kind, src.SAS)
	fmt.Println(src.SAS.Expiry().Sub(now), src.SAS.CheckExpiry(now))
	fmt.Println(strings.Contains(src.SAS.URL().Reveal(), "sig=c2VjcmV0"))
	// Output:
	// VHD SAS URL https://acct.blob.core.windows.net/vhds/gold.vhd?sp=r&se=2026-05-12T08:00:00Z&sig=[redacted]
	// 24h0m0s <nil>
	// true
}

func ExampleSASURL_Equal() {
	now := time.Date(2026, 5, 11, 8, 0, 0, 0, time.UTC)
	raw := "https://acct.blob.core.windows.net/vhds/gold.vhd?se=2026-05-12&sig=c2VjcmV0"
	a, b := image.MustParseSASURL(raw, now), image.MustParseSASURL(raw, now)
	c := image.MustParseSASURL(strings.Replace(raw, "c2VjcmV0", "b3RoZXI", 1), now)
	fmt.Println(a == b, a.Equal(b), a.Equal(c))
	// Output:
	// false true false
}

func ExampleSASURL_Expiry() {
	now := time.Date(2026, 5, 11, 8, 0, 0, 0, time.UTC)
	s := image.MustParseSASURL("https://acct.blob.core.windows.net/vhds/gold.vhd?se=2026-05-11T20:00:00Z&sig=c2VjcmV0", now)
	fmt.Println(s.Expiry(), s.Expiry().Sub(now))
	// Output:
	// 2026-05-11 20:00:00 +0000 UTC 12h0m0s
}

func ExampleSASURL_IsZero() {
	var src image.Source // a public URL source carries no SAS
	now := time.Date(2026, 5, 11, 8, 0, 0, 0, time.UTC)
	fmt.Println(src.SAS.IsZero(), image.MustParseSASURL("https://acct.blob.core.windows.net/vhds/gold.vhd?se=2026-05-12&sig=c2VjcmV0", now).IsZero())
	// Output:
	// true false
}

func ExampleSASURL_URL() {
	now := time.Date(2026, 5, 11, 8, 0, 0, 0, time.UTC)
	s := image.MustParseSASURL("https://acct.blob.core.windows.net/vhds/gold.vhd?se=2026-05-12&sig=c2VjcmV0", now)
	u := s.URL()
	fmt.Println(u)          // a secret.Value: redacted
	fmt.Println(u.Reveal()) // only for the step that copies the blob
	// Output:
	// [redacted]
	// https://acct.blob.core.windows.net/vhds/gold.vhd?se=2026-05-12&sig=c2VjcmV0
}

func ExampleState() {
	// Where a build stands, for a status page.
	for _, s := range []image.State{image.Pending, image.BuilderStopped, image.Ready} {
		fmt.Printf("%-15s %-26q customizing=%v terminal=%v\n", s, s.Display(), s.Customizing(), s.Terminal())
	}
	// Output:
	// Pending         "Building"                 customizing=false terminal=false
	// BuilderStopped  "Install apps and updates" customizing=true terminal=false
	// Ready           "Ready"                    customizing=false terminal=true
}

func ExampleState_Customizing() {
	// The build machine exists while the image is customized: only then can
	// it be powered on or off.
	var customizing []image.State
	for _, s := range image.States() {
		if s.Customizing() {
			customizing = append(customizing, s)
		}
	}
	fmt.Println(customizing)
	// Output:
	// [BuilderActive BuilderStopped]
}

func ExampleState_Display() {
	fmt.Println(image.BuilderProvisioning.Display(), "|", image.BuilderVerifying.Display())
	// Output:
	// Building | Validating
}

func ExampleState_IsValid() {
	fmt.Println(image.Ready.IsValid(), image.State(42).IsValid())
	// Output:
	// true false
}

func ExampleState_Terminal() {
	var terminal []image.State
	for _, s := range image.States() {
		if s.Terminal() {
			terminal = append(terminal, s)
		}
	}
	fmt.Println(terminal)
	// Output:
	// [Ready Failed]
}

func ExampleVDAVersion() {
	// Sort the VDA versions found on imported images and check each
	// against the minimum (IMG-5).
	var vs []image.VDAVersion
	for _, s := range []string{"2603.1", "2411", "2507 LTSR CU1", "2507", "2507 LTSR"} {
		vs = append(vs, image.MustParseVDAVersion(s))
	}
	slices.SortFunc(vs, image.VDAVersion.Compare)
	for _, v := range vs {
		fmt.Println(v, v.Less(image.MinimumVDA()))
	}
	// Output:
	// 2411 true
	// 2507 false
	// 2507 LTSR false
	// 2507 LTSR CU1 false
	// 2603.1 false
}

func ExampleVDAVersion_CU() {
	fmt.Println(image.MustParseVDAVersion("2507 LTSR CU2").CU(), image.MustParseVDAVersion("2507 LTSR").CU(), image.MustParseVDAVersion("2603").CU())
	// Output:
	// 2 0 0
}

func ExampleVDAVersion_IsValid() {
	var unknown image.VDAVersion // an image whose VDA is not known
	fmt.Println(unknown.IsValid(), image.MinimumVDA().IsValid())
	// Output:
	// false true
}

func ExampleVDAVersion_LTSR() {
	fmt.Println(image.MustParseVDAVersion("2507 LTSR CU1").LTSR(), image.MustParseVDAVersion("2507.0.0.1018").LTSR())
	// Output:
	// true false
}

func ExampleVDAVersion_Less() {
	min := image.MinimumVDA()
	for _, s := range []string{"2411", "2507", "2507.0.0.1018"} {
		v := image.MustParseVDAVersion(s)
		fmt.Printf("%s older than %s: %v\n", v, min, v.Less(min))
	}
	// Output:
	// 2411 older than 2507: true
	// 2507 older than 2507: false
	// 2507.0.0.1018 older than 2507: false
}

func ExampleVDAVersion_Release() {
	v := image.MustParseVDAVersion("2603.1")
	fmt.Println(v.Release(), v.Release()/100+2000, v.Release()%100) // YYMM: March 2026
	// Output:
	// 2603 2026 3
}

func ExampleVMSize() {
	s, ok := image.LookupSize("standard_d4s_v5") // names compare as Azure does
	fmt.Println(s, ok)
	fmt.Println(s.Name, s.VCPUs, s.MemoryGiB, s.GPU)
	// Output:
	// Standard_D4s_v5 (4 vCPU, 16 GiB, Gen1+Gen2) true
	// Standard_D4s_v5 4 16 false
}

func ExampleVMSize_Supports() {
	// A catalog of Gen2 images needs a size that boots Gen2 (IMG-9).
	for _, name := range []string{"Standard_A2_v2", "Standard_D2s_v5"} {
		s, _ := image.LookupSize(name)
		fmt.Println(s.Name, s.Supports(image.Gen2))
	}
	// Output:
	// Standard_A2_v2 false
	// Standard_D2s_v5 true
}

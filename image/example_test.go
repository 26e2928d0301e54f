package image_test

import (
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/secret"
)

func ExamplePrepared() {
	for _, img := range image.Prepared() {
		fmt.Println(img)
	}
	// Output:
	// Windows 11 Pro (single-session) [Windows 11, single-session, Gen2, CITRIX, Ready]
	// Windows Server 2019 (multi-session) [Windows Server 2019, multi-session, Gen2, CITRIX, Ready]
	// Windows Server 2022 (multi-session) [Windows Server 2022, multi-session, Gen2, CITRIX, Ready]
	// Windows Server 2025 (multi-session) [Windows Server 2025, multi-session, Gen2, CITRIX, Ready]
	// Ubuntu 22.04 LTS (single-session) [Ubuntu 22.04 LTS, single-session, Gen2, CITRIX, Ready]
	// Ubuntu 22.04 LTS (multi-session) [Ubuntu 22.04 LTS, multi-session, Gen2, CITRIX, Ready]
}

func ExampleLookupPrepared() {
	img, ok := image.LookupPrepared("Windows Server 2025 (multi-session)")
	fmt.Println(ok, img.OS, img.Session, img.Prepared(), img.VDA)
	_, ok = image.LookupPrepared("Windows 10")
	fmt.Println(ok)
	// Output:
	// true Windows Server 2025 multi-session true 2507
	// false
}

func ExampleParseOS() {
	o, err := image.ParseOS("windows server 2022")
	fmt.Println(o, err, o.IsWindowsServer(), o.Supported())
	o, _ = image.ParseOS("Windows Server 2016")
	fmt.Println(o, o.Supported())
	// Output:
	// Windows Server 2022 <nil> true true
	// Windows Server 2016 false
}

func ExampleOS_Supports() {
	for _, o := range []image.OS{image.Windows11, image.WindowsServer2022, image.Ubuntu2204} {
		fmt.Println(o, o.Supports(image.SingleSession), o.Supports(image.MultiSession))
	}
	// Output:
	// Windows 11 true false
	// Windows Server 2022 false true
	// Ubuntu 22.04 LTS true true
}

func ExampleParseDomainType() {
	d, err := image.ParseDomainType("entra-hybrid")
	fmt.Println(d, d.Joined(), err)
	// Output: Entra hybrid joined true <nil>
}

func ExampleParseGeneration() {
	g, err := image.ParseGeneration("V1")
	fmt.Println(g, g.HyperVGeneration(), err)
	// Output: Gen1 V1 <nil>
}

func ExampleGenerations() {
	s := image.Generations(image.Gen1, image.Gen2)
	fmt.Println(s, s.Has(image.Gen2))
	// Output: Gen1+Gen2 true
}

func ExampleLookupSize() {
	s, ok := image.LookupSize("standard_a2_v2")
	fmt.Println(s, ok, s.Supports(image.Gen2))
	// Output: Standard_A2_v2 (2 vCPU, 4 GiB, Gen1) true false
}

func ExampleSizes() {
	for _, s := range image.Sizes() {
		if s.GPU {
			fmt.Println(s)
		}
	}
	// Output:
	// Standard_NC4as_T4_v3 (4 vCPU, 28 GiB, GPU, Gen1+Gen2)
	// Standard_NV12ads_A10_v5 (12 vCPU, 110 GiB, GPU, Gen1+Gen2)
	// Standard_NV4as_v4 (4 vCPU, 14 GiB, GPU, Gen1)
	// Standard_NV6ads_A10_v5 (6 vCPU, 55 GiB, GPU, Gen1+Gen2)
	// Standard_NV8as_v4 (8 vCPU, 28 GiB, GPU, Gen1)
}

func ExampleStates() {
	for _, s := range image.States() {
		fmt.Printf("%s: %s\n", s, s.Display())
	}
	// Output:
	// Pending: Building
	// BuilderProvisioning: Building
	// BuilderActive: Install apps and updates
	// BuilderStopped: Install apps and updates
	// BuilderVerifying: Validating
	// Importing: Importing
	// Ready: Ready
	// Failed: Failed
}

func ExampleParseState() {
	s, err := image.ParseState("builderstopped")
	fmt.Println(s, s.Customizing(), s.Terminal(), err)
	// Output: BuilderStopped true false <nil>
}

func ExampleActions() {
	fmt.Println(image.Actions())
	// Output: [start builder ready power on power off finish build pass validation fail]
}

func ExampleImage_Apply() {
	img := image.Image{Name: "Finance", OS: image.WindowsServer2022, Session: image.MultiSession,
		Generation: image.Gen2, Domain: image.NonDomainJoined, Origin: image.OriginBuilt}
	for _, a := range []image.Action{image.Start, image.BuilderReady, image.PowerOff, image.FinishBuild, image.Validated} {
		img, _ = img.Apply(a)
		fmt.Printf("%s → %s (%s)\n", a, img.State, img.State.Display())
	}
	_, err := img.Apply(image.PowerOn)
	fmt.Println(err)
	// Output:
	// start → BuilderProvisioning (Building)
	// builder ready → BuilderActive (Install apps and updates)
	// power off → BuilderStopped (Install apps and updates)
	// finish build → BuilderVerifying (Validating)
	// pass validation → Ready (Ready)
	// IMG-3: cannot power on image "Finance" in state Ready (Ready); a finished image is immutable: build a new image from it instead; allowed from Ready: nothing
}

func ExampleImage_Allowed() {
	img := image.Image{Name: "Finance", Origin: image.OriginBuilt, State: image.BuilderStopped}
	fmt.Println(img.Allowed())
	_, err := img.Apply(image.PowerOff)
	fmt.Println(err)
	// Output:
	// [power on finish build fail]
	// IMG-3: cannot power off image "Finance" in state BuilderStopped (Install apps and updates); allowed from BuilderStopped: power on, finish build, fail
}

func ExampleImage_CheckRDP() {
	img := image.Image{Name: "Finance", Origin: image.OriginBuilt, State: image.BuilderActive}
	fmt.Println(img.CheckRDP(image.PublicAddress, false))
	fmt.Println(img.CheckRDP(image.PrivateAddress, false))
	// Output:
	// <nil>
	// IMG-3: image "Finance" was built with No connectivity; RDP to its private address needs a network connection, use the public address
}

func ExampleImage_CheckRootPasswordChange() {
	img := image.Image{Name: "Dev desktops", OS: image.Ubuntu2204, Origin: image.OriginBuilt, State: image.BuilderActive}
	fmt.Println(img.CheckRootPasswordChange(secret.New("n3w-Root-pw")))
	img.State = image.Ready
	fmt.Println(img.CheckRootPasswordChange(secret.New("n3w-Root-pw")))
	// Output:
	// <nil>
	// IMG-4: image "Dev desktops" is built in state Ready; its root password can be changed only while it is being customized (BuilderActive or BuilderStopped)
}

func ExampleParseVDAVersion() {
	for _, s := range []string{"2603.1", "2507 ltsr cu1", "2507.0", "2513"} {
		v, err := image.ParseVDAVersion(s)
		fmt.Printf("%q %v\n", v, err)
	}
	// Output:
	// "2603.1" <nil>
	// "2507 LTSR CU1" <nil>
	// "2507" <nil>
	// "" image: parsing VDA version "2513": at offset 2: month 13 is not 01 to 12
}

func ExampleMustParseVDAVersion() {
	v := image.MustParseVDAVersion("2507 LTSR CU2")
	fmt.Println(v.Release(), v.LTSR(), v.CU())
	// Output: 2507 true 2
}

func ExampleVDAVersion_Compare() {
	vs := []image.VDAVersion{
		image.MustParseVDAVersion("2603.1"),
		image.MustParseVDAVersion("2507 LTSR CU1"),
		image.MustParseVDAVersion("2511"),
		image.MustParseVDAVersion("2507"),
	}
	slices.SortFunc(vs, image.VDAVersion.Compare)
	fmt.Println(vs)
	// Output: [2507 2507 LTSR CU1 2511 2603.1]
}

func ExampleMinimumVDA() {
	v := image.MustParseVDAVersion("2503")
	fmt.Println(image.MinimumVDA(), v.Less(image.MinimumVDA()))
	// Output: 2507 true
}

func ExampleCompatible() {
	img, _ := image.LookupPrepared("Windows Server 2022 (multi-session)")
	fmt.Println(image.Compatible(img, image.MultiSession, image.ActiveDirectory))
	fmt.Println(image.Compatible(img, image.SingleSession, image.ActiveDirectory))
	// Output:
	// <nil>
	// IMG-8: image "Windows Server 2022 (multi-session)" is multi-session; a single-session catalog needs a single-session image
}

func ExampleCheckGenerationSwitch() {
	gen1 := image.Image{Name: "Old", Generation: image.Gen1}
	gen2 := image.Image{Name: "New", Generation: image.Gen2}
	d4, _ := image.LookupSize("Standard_D4s_v5")
	a2, _ := image.LookupSize("Standard_A2_v2")
	fmt.Println(image.CheckGenerationSwitch(gen1, gen2, d4))
	fmt.Println(image.CheckGenerationSwitch(gen1, gen2, a2))
	// Output:
	// <nil>
	// IMG-9: machine size Standard_A2_v2 supports Gen1 only; it cannot switch from Gen1 to Gen2 image "New"; sizes with 2 vCPU that support Gen2: Standard_B2ms, Standard_D2as_v5, Standard_D2s_v5, Standard_D2s_v6, Standard_E2s_v5
}

func ExampleSupportsSecureBoot() {
	img, _ := image.LookupPrepared("Windows 11 Pro (single-session)")
	fmt.Println(image.SupportsSecureBoot(img))
	// Output: true
}

func ExampleCheckLicense() {
	img, _ := image.LookupPrepared("Windows 11 Pro (single-session)")
	fmt.Println(image.CheckLicense(img, image.Microsoft365E3))
	fmt.Println(image.CheckLicense(img, image.Microsoft365BusinessPremium))
	// Output:
	// <nil>
	// LIC-1: image "Windows 11 Pro (single-session)" is Windows 11 single-session and needs a declared qualifying license; declared: Microsoft 365 Business Premium; qualifying: Microsoft 365 E3, Microsoft 365 E5, Microsoft 365 E7, Microsoft 365 F3, Windows 11 Enterprise E3, Windows 11 Enterprise E5, Windows 11 VDA E3, Windows 11 VDA E5
}

func ExampleNeedsLicense() {
	for _, img := range image.Prepared()[:2] {
		fmt.Println(img.Name, image.NeedsLicense(img))
	}
	// Output:
	// Windows 11 Pro (single-session) true
	// Windows Server 2019 (multi-session) false
}

func ExampleParseLicense() {
	l, err := image.ParseLicense("windows 11 vda e5")
	fmt.Println(l, l.Qualifies(), err)
	// Output: Windows 11 VDA E5 true <nil>
}

func ExampleQualifyingLicenses() {
	fmt.Println(len(image.QualifyingLicenses()), image.QualifyingLicenses()[3])
	// Output: 8 Microsoft 365 F3
}

func ExampleValidateName() {
	fmt.Println(image.ValidateName("Finance apps (2026)"))
	fmt.Println(image.ValidateName("finance/apps "))
	// Output:
	// <nil>
	// IMG-7: image name "finance/apps " has '/' at offset 7; want letters, digits, spaces and - _ . ( )
	// IMG-7: image name "finance/apps " ends with a space; remove it
}

func ExampleValidateNotes() {
	fmt.Println(image.ValidateNotes("Office and the line-of-business apps"))
	// Output: <nil>
}

func ExampleImage_Rename() {
	img := image.Image{Name: "Finance", Origin: image.OriginBuilt, State: image.Ready}
	img, err := img.Rename("Finance v2")
	fmt.Println(img.Name, err)
	p, _ := image.LookupPrepared("Windows 11 Pro (single-session)")
	_, err = p.Rename("Mine")
	fmt.Println(err)
	// Output:
	// Finance v2 <nil>
	// IMG-1: image "Windows 11 Pro (single-session)" is prepared by Citrix; it cannot be renamed
}

func ExampleImage_WithNotes() {
	img := image.Image{Name: "Finance", Origin: image.OriginBuilt, State: image.Ready}
	img, err := img.WithNotes("Adds the payroll client")
	fmt.Println(img.Notes, err)
	// Output: Adds the payroll client <nil>
}

func ExampleImage_CheckDelete() {
	img := image.Image{Name: "Finance", Origin: image.OriginBuilt, State: image.Ready}
	fmt.Println(img.CheckDelete(image.Usage{Catalogs: 2, Machines: 40}))
	fmt.Println(img.CheckDelete(image.Usage{}))
	// Output:
	// IMG-7: image "Finance" is in use (2 catalogs, 40 machines); update or delete those catalogs first
	// <nil>
}

func ExampleBuildSpec_Validate() {
	base, _ := image.LookupPrepared("Windows Server 2022 (multi-session)")
	spec := image.BuildSpec{
		Name:         "Finance apps",
		Base:         base,
		Subscription: "Production",
		Region:       "eastus", // No connectivity
		Domain:       image.ActiveDirectory,
		AD:           image.ADConfig{Domain: "corp.example.com", ServiceAccount: `CORP\svc-join`, Password: secret.New("Svc#Acct-Pass99")},
		Username:     "admin",
		Password:     secret.New("Kx7!build-Machine"),
		Size:         "Standard_A2_v2",
		AllowedIPs:   []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")},
	}
	fmt.Println(spec.Validate())
	// Output:
	// IDN-2: an Active Directory build needs a network connection; with No connectivity only non-domain-joined is supported
	// IMG-2: logon user name "admin" is reserved by Azure; choose another name
	// IMG-9: machine size Standard_A2_v2 supports Gen1 only; base image "Windows Server 2022 (multi-session)" is Gen2; sizes with 2 vCPU that support Gen2: Standard_B2ms, Standard_D2as_v5, Standard_D2s_v5, Standard_D2s_v6, Standard_E2s_v5
}

func ExampleBuildSpec_Image() {
	base, _ := image.LookupPrepared("Ubuntu 22.04 LTS (multi-session)")
	spec := image.BuildSpec{Name: "Dev tools", Base: base, Domain: image.NonDomainJoined}
	fmt.Println(spec.Image())
	// Output: Dev tools [Ubuntu 22.04 LTS, multi-session, Gen2, built, Pending]
}

func ExampleADConfig_Validate() {
	ad := image.ADConfig{Domain: "corp", OU: "VDAs", ServiceAccount: "svc-join", Password: secret.New("Svc#Acct-Pass99")}
	fmt.Println(ad.Validate())
	// Output:
	// IDN-4: domain "corp" has a single label; want a fully qualified domain name such as corp.example.com
	// IDN-4: OU "VDAs" has a component without a value; want a distinguished name such as OU=VDAs,DC=corp,DC=example,DC=com, or nothing
}

func ExampleParseSASURL() {
	now := time.Date(2026, 5, 11, 8, 0, 0, 0, time.UTC)
	raw := "https://md-impexp-t4wzq1.z17.blob.storage.azure.net/x2p0qkmrlwj5/abcd?sv=2018-03-28&sr=b&sp=r&se=2026-05-11T12%3A00%3A00Z&sig=q7Xk9ZsL2mN4pR8tV0wY3bC6dF1gH5jK%2BeA%3D"
	s, err := image.ParseSASURL(raw, now)
	fmt.Println(s, err)
	fmt.Println(s.Expiry())
	_, err = image.ParseSASURL(raw, now.Add(3*time.Hour))
	fmt.Println(err)
	// Output:
	// https://md-impexp-t4wzq1.z17.blob.storage.azure.net/x2p0qkmrlwj5/abcd?sv=2018-03-28&sr=b&sp=r&se=2026-05-11T12%3A00%3A00Z&sig=[redacted] <nil>
	// 2026-05-11 12:00:00 +0000 UTC
	// IMG-6: SAS URL https://md-impexp-t4wzq1.z17.blob.storage.azure.net/x2p0qkmrlwj5/abcd?sv=2018-03-28&sr=b&sp=r&se=2026-05-11T12%3A00%3A00Z&sig=[redacted] expires in 1h0m0s (se=2026-05-11T12:00:00Z); want at least 7200 seconds (2h0m0s) from now, generate a new one with a later expiry
}

func ExampleMustParseSASURL() {
	now := time.Date(2026, 5, 11, 8, 0, 0, 0, time.UTC)
	s := image.MustParseSASURL("https://acct.blob.core.windows.net/vhds/gold.vhd?se=2026-05-12&sig=c2VjcmV0", now)
	fmt.Printf("%v\n%#v\n", s, s)
	// Output:
	// https://acct.blob.core.windows.net/vhds/gold.vhd?se=2026-05-12&sig=[redacted]
	// image.SASURL("https://acct.blob.core.windows.net/vhds/gold.vhd?se=2026-05-12&sig=[redacted]")
}

func ExampleSASURL_CheckExpiry() {
	now := time.Date(2026, 5, 11, 8, 0, 0, 0, time.UTC)
	s := image.MustParseSASURL("https://acct.blob.core.windows.net/vhds/gold.vhd?se=2026-05-11T10:30:00Z&sig=c2VjcmV0", now)
	fmt.Println(s.CheckExpiry(now.Add(30 * time.Minute)))
	fmt.Println(s.CheckExpiry(now.Add(3 * time.Hour)))
	// Output:
	// <nil>
	// IMG-6: SAS URL https://acct.blob.core.windows.net/vhds/gold.vhd?se=2026-05-11T10:30:00Z&sig=[redacted] expired 30m0s ago (se=2026-05-11T10:30:00Z); want at least 7200 seconds (2h0m0s) from now, generate a new one with a later expiry
}

func ExampleCheckImport() {
	facts := image.ImportFacts{
		OS:             image.Windows11,
		Generation:     image.Gen2,
		KeysSet:        image.FarmGUID,
		PersonalityINI: true,
		VDA:            image.MustParseVDAVersion("2411"),
	}
	fmt.Println(image.CheckImport(facts))
	// Output:
	// IMG-5: registry value HKLM:\SOFTWARE\Citrix\VirtualDesktopAgent\FarmGUID is set; clear it so that no Delivery Controller is configured
	// IMG-5: Citrix VDA 2411 is installed; want 2507 or later
	// IMG-5: the Azure Virtual Machine Agent is not installed; install it before importing
}

func ExampleRegistryKey_Keys() {
	set := image.ListOfDDCs | image.PolicyFarmGUID
	for _, k := range set.Keys() {
		fmt.Println(k)
	}
	// Output:
	// HKLM:\SOFTWARE\Citrix\VirtualDesktopAgent\ListOfDDCs
	// HKLM:\SOFTWARE\Policies\Citrix\VirtualDesktopAgent\FarmGUID
}

func ExampleImportSpec_Validate() {
	now := time.Date(2026, 5, 11, 8, 0, 0, 0, time.UTC)
	spec := image.ImportSpec{
		Name:         "Engineering",
		Subscription: "Production",
		Source: image.Source{Kind: image.StorageAccount, ResourceGroup: "rg-images",
			Account: "goldimages01", Container: "vhds", Blob: "engineering.vhd"},
		Session: image.SingleSession,
		Domain:  image.ActiveDirectory,
		Key:     "cmk-prod-2026",
	}
	fmt.Println(spec.Validate(now))
	spec.Source.Account = "Gold-Images"
	fmt.Println(spec.Validate(now))
	// Output:
	// <nil>
	// IMG-6: storage account "Gold-Images" is not 3 to 24 lower-case letters and digits
}

func ExampleImportSpec_Image() {
	spec := image.ImportSpec{Name: "Engineering", Session: image.SingleSession, Domain: image.ActiveDirectory, Key: "cmk-prod-2026"}
	img := spec.Image()
	fmt.Println(img.Origin, img.State, img.Key)
	// Output: imported Pending cmk-prod-2026
}

func ExampleCompleteImport() {
	spec := image.ImportSpec{Name: "Engineering", Session: image.SingleSession, Domain: image.ActiveDirectory}
	img, _ := spec.Image().Apply(image.Start)
	img, err := image.CompleteImport(img, image.ImportFacts{
		OS: image.Windows11, Generation: image.Gen2, PersonalityINI: true,
		VDA: image.MustParseVDAVersion("2511"), VMAgent: true,
	})
	fmt.Println(img, err)
	// Output: Engineering [Windows 11, single-session, Gen2, imported, Ready] <nil>
}

func ExampleBuildSpec_Warnings() {
	spec := image.BuildSpec{AllowedIPs: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}}
	for _, w := range spec.Warnings() {
		fmt.Println(w)
	}
	// Output: IMG-2: restricted IP range 0.0.0.0/0 allows every address; add the ranges your administrators connect from instead
}

package image

import (
	"fmt"
	"strings"

	"github.com/daasflex/daasflex/quota"
)

// OS is the operating system of an image. The zero value is OSUnknown, which
// no image may carry. Windows 11 covers its Pro and Enterprise editions.
type OS int

// The operating systems an image can carry. Windows10, WindowsServer2016 and
// Ubuntu2004 are known so that an import can name them, but they are not
// supported (IMG-5).
const (
	OSUnknown OS = iota
	Windows11
	WindowsServer2019
	WindowsServer2022
	WindowsServer2025
	Ubuntu2204
	Ubuntu2404
	RHEL8
	RHEL9
	Windows10
	WindowsServer2016
	Ubuntu2004
	numOS
)

var osNames = [numOS]string{
	OSUnknown:         "unknown OS",
	Windows11:         "Windows 11",
	WindowsServer2019: "Windows Server 2019",
	WindowsServer2022: "Windows Server 2022",
	WindowsServer2025: "Windows Server 2025",
	Ubuntu2204:        "Ubuntu 22.04 LTS",
	Ubuntu2404:        "Ubuntu 24.04 LTS",
	RHEL8:             "Red Hat Enterprise Linux 8",
	RHEL9:             "Red Hat Enterprise Linux 9",
	Windows10:         "Windows 10",
	WindowsServer2016: "Windows Server 2016",
	Ubuntu2004:        "Ubuntu 20.04 LTS",
}

// String returns the operating system's name, such as "Windows Server 2022".
func (o OS) String() string {
	if o < 0 || o >= numOS {
		return fmt.Sprintf("OS(%d)", int(o))
	}
	return osNames[o]
}

// ParseOS returns the operating system named s, matched case-insensitively
// against the names String returns.
func ParseOS(s string) (OS, error) {
	for o := OS(1); o < numOS; o++ {
		if strings.EqualFold(s, osNames[o]) {
			return o, nil
		}
	}
	return OSUnknown, fmt.Errorf("image: unknown operating system %q; known: %s", s, strings.Join(osNames[1:], ", "))
}

// IsValid reports whether o is one of the named operating systems.
func (o OS) IsValid() bool { return o > OSUnknown && o < numOS }

// Supported reports whether DaaS Flex accepts images of o: the systems of
// the prepared images, and the Ubuntu and Red Hat releases the Linux VDA
// 2507 supports (IMG-5).
func (o OS) Supported() bool { return o.IsValid() && o < Windows10 }

// IsWindows reports whether o is a Windows client or server.
func (o OS) IsWindows() bool {
	switch o {
	case Windows10, Windows11, WindowsServer2016, WindowsServer2019, WindowsServer2022, WindowsServer2025:
		return true
	}
	return false
}

// IsWindowsServer reports whether o is a Windows Server release.
func (o OS) IsWindowsServer() bool {
	switch o {
	case WindowsServer2016, WindowsServer2019, WindowsServer2022, WindowsServer2025:
		return true
	}
	return false
}

// IsLinux reports whether o is a Linux distribution.
func (o OS) IsLinux() bool {
	switch o {
	case Ubuntu2004, Ubuntu2204, Ubuntu2404, RHEL8, RHEL9:
		return true
	}
	return false
}

// IsUbuntu reports whether o is an Ubuntu release.
func (o OS) IsUbuntu() bool { return o == Ubuntu2004 || o == Ubuntu2204 || o == Ubuntu2404 }

// Supports reports whether images of o can deliver sessions of type s:
// Windows clients are single-session, Windows Server is multi-session and
// Linux is either.
func (o OS) Supports(s SessionType) bool {
	switch {
	case !o.IsValid() || !s.IsValid():
		return false
	case o.IsWindowsServer():
		return s == MultiSession
	case o.IsWindows():
		return s == SingleSession
	default:
		return true
	}
}

// SessionType says how many users a machine serves at once. It is
// quota.SessionType, so that catalogs, personas and images share one type.
// The zero value is unset and valid for nothing.
type SessionType = quota.SessionType

// The session types, those of package quota.
const (
	SingleSession = quota.SingleSession // one user per machine (static or random desktops)
	MultiSession  = quota.MultiSession  // several users per machine
)

// Generation is the Hyper-V generation of an image (AZ-8). Azure calls Gen1
// "V1" and Gen2 "V2". The zero value is unset and valid for nothing.
type Generation int

// The generations.
const (
	Gen1 Generation = iota + 1 // BIOS boot; Azure's "V1"
	Gen2                       // UEFI boot, Secure Boot and vTPM; Azure's "V2"
)

// String returns "Gen1" or "Gen2".
func (g Generation) String() string {
	switch g {
	case Gen1:
		return "Gen1"
	case Gen2:
		return "Gen2"
	}
	return fmt.Sprintf("Generation(%d)", int(g))
}

// HyperVGeneration returns Azure's name of the generation, "V1" or "V2"
// (AZ-8), or "" for an invalid generation.
func (g Generation) HyperVGeneration() string {
	switch g {
	case Gen1:
		return "V1"
	case Gen2:
		return "V2"
	}
	return ""
}

// IsValid reports whether g is Gen1 or Gen2.
func (g Generation) IsValid() bool { return g == Gen1 || g == Gen2 }

// ParseGeneration returns the generation named s: "Gen1", "Gen2" or Azure's
// "V1", "V2" (AZ-8), case-insensitively.
func ParseGeneration(s string) (Generation, error) {
	switch strings.ToLower(s) {
	case "gen1", "v1":
		return Gen1, nil
	case "gen2", "v2":
		return Gen2, nil
	}
	return 0, fmt.Errorf("image: unknown generation %q; want Gen1 (V1) or Gen2 (V2)", s)
}

// GenerationSet is a set of generations, such as those a VM size supports.
// The zero value is the empty set.
type GenerationSet uint8

// Generations returns the set holding gs; invalid generations are ignored.
func Generations(gs ...Generation) GenerationSet {
	var s GenerationSet
	for _, g := range gs {
		if g.IsValid() {
			s |= 1 << g
		}
	}
	return s
}

// Has reports whether g is in the set.
func (s GenerationSet) Has(g Generation) bool { return g.IsValid() && s&(1<<g) != 0 }

// String lists the set's generations, such as "Gen1+Gen2", or "none".
func (s GenerationSet) String() string {
	var parts []string
	for _, g := range []Generation{Gen1, Gen2} {
		if s.Has(g) {
			parts = append(parts, g.String())
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "+")
}

// DomainType is how a catalog's machines, or an image's build machine, are
// joined to a directory. The zero value is unset and valid for nothing.
type DomainType int

// The domain types of DaaS Flex (IDN-1).
const (
	NonDomainJoined DomainType = iota + 1 // joined to no domain
	ActiveDirectory                       // joined to an Active Directory domain
	EntraHybrid                           // joined to Active Directory and Microsoft Entra ID
)

// String returns "non-domain-joined", "Active Directory" or
// "Entra hybrid joined".
func (d DomainType) String() string {
	switch d {
	case NonDomainJoined:
		return "non-domain-joined"
	case ActiveDirectory:
		return "Active Directory"
	case EntraHybrid:
		return "Entra hybrid joined"
	}
	return fmt.Sprintf("DomainType(%d)", int(d))
}

// IsValid reports whether d is one of the three domain types.
func (d DomainType) IsValid() bool { return d >= NonDomainJoined && d <= EntraHybrid }

// Joined reports whether machines of domain type d are joined to Active
// Directory: true for ActiveDirectory and EntraHybrid.
func (d DomainType) Joined() bool { return d == ActiveDirectory || d == EntraHybrid }

// ParseDomainType returns the domain type named s, case-insensitively: the
// names String returns, or "none", "ad", "entra-hybrid".
func ParseDomainType(s string) (DomainType, error) {
	switch strings.ToLower(s) {
	case "non-domain-joined", "none":
		return NonDomainJoined, nil
	case "active directory", "ad":
		return ActiveDirectory, nil
	case "entra hybrid joined", "entra-hybrid":
		return EntraHybrid, nil
	}
	return 0, fmt.Errorf("image: unknown domain type %q; want non-domain-joined, Active Directory or Entra hybrid joined", s)
}

// Origin says where an image came from. The zero value is unset.
type Origin int

// The origins of an image.
const (
	OriginPrepared Origin = iota + 1 // prepared by Citrix (IMG-1)
	OriginBuilt                      // built with the image builder (IMG-2)
	OriginImported                   // imported from Azure (IMG-5, IMG-6)
)

// String returns "prepared", "built" or "imported".
func (o Origin) String() string {
	switch o {
	case OriginPrepared:
		return "prepared"
	case OriginBuilt:
		return "built"
	case OriginImported:
		return "imported"
	}
	return fmt.Sprintf("Origin(%d)", int(o))
}

// Image describes one image: what it runs, where it came from and where it
// is in its lifecycle. Image is a comparable value; its methods return
// changed copies and never modify the receiver.
//
// The zero value is not a usable image. Prepared images come from Prepared
// and LookupPrepared, new ones from BuildSpec.Image and ImportSpec.Image.
type Image struct {
	Name       string
	OS         OS
	Session    SessionType
	Generation Generation
	// Domain is the domain type the image was built for. Prepared images
	// carry NonDomainJoined but suit every domain type (IMG-8).
	Domain DomainType
	Origin Origin
	State  State
	// VDA is the Citrix VDA version installed on the image; the zero value
	// means not known.
	VDA VDAVersion
	// Key names the customer-managed key an imported image is encrypted
	// with (KEY-2); empty for the platform key.
	Key   string
	Notes string
}

// Prepared reports whether img is one of the Citrix-prepared images, shown
// as CITRIX in the console (IMG-1).
func (img Image) Prepared() bool { return img.Origin == OriginPrepared }

// String returns the image's name, OS, session type and generation, such as
// "Windows Server 2022 (multi-session) [Windows Server 2022, multi-session, Gen2, CITRIX, Ready]".
func (img Image) String() string {
	mark := img.Origin.String()
	if img.Prepared() {
		mark = "CITRIX"
	}
	return fmt.Sprintf("%s [%s, %s, %s, %s, %s]", img.Name, img.OS, img.Session, img.Generation, mark, img.State)
}

// preparedVDA is the VDA version of the prepared images. Citrix updates the
// prepared images with each VDA release; this is the release they carry in
// this model.
var preparedVDA = VDAVersion{yymm: 2507}

// prepared lists the Citrix-prepared images (IMG-1). All are Gen2 (a
// decision: Windows 11 on Azure needs Gen2, and Gen2 lets a catalog enable
// Secure Boot). It is never modified; Prepared returns a copy.
var prepared = [...]Image{
	{Name: "Windows 11 Pro (single-session)", OS: Windows11, Session: SingleSession},
	{Name: "Windows Server 2019 (multi-session)", OS: WindowsServer2019, Session: MultiSession},
	{Name: "Windows Server 2022 (multi-session)", OS: WindowsServer2022, Session: MultiSession},
	{Name: "Windows Server 2025 (multi-session)", OS: WindowsServer2025, Session: MultiSession},
	{Name: "Ubuntu 22.04 LTS (single-session)", OS: Ubuntu2204, Session: SingleSession},
	{Name: "Ubuntu 22.04 LTS (multi-session)", OS: Ubuntu2204, Session: MultiSession},
}

func preparedImage(i int) Image {
	img := prepared[i]
	img.Generation = Gen2
	img.Domain = NonDomainJoined
	img.Origin = OriginPrepared
	img.State = Ready
	img.VDA = preparedVDA
	return img
}

// Prepared returns the six Citrix-prepared images (IMG-1) in the console's
// order: Windows 11 Pro, Windows Server 2019, 2022 and 2025, and Ubuntu
// 22.04 LTS single-session and multi-session. Each is Ready, Gen2 and
// carries a current VDA. The slice is a fresh copy.
func Prepared() []Image {
	out := make([]Image, len(prepared))
	for i := range prepared {
		out[i] = preparedImage(i)
	}
	return out
}

// LookupPrepared returns the prepared image whose name is name, compared
// case-insensitively, and reports whether there is one.
func LookupPrepared(name string) (Image, bool) {
	for i := range prepared {
		if strings.EqualFold(prepared[i].Name, name) {
			return preparedImage(i), true
		}
	}
	return Image{}, false
}

package image

import (
	"fmt"
	"strings"

	"github.com/daasflex/daasflex/rule"
)

// Compatible reports, as an error, why a catalog of session type session
// and domain type domain cannot use img (IMG-8), or nil when it can. The
// image must be finished (Ready, IMG-3) and deliver the catalog's session
// type. A built or imported image must match the catalog's domain type:
// domain-joined images (Active Directory) suit Active Directory and Entra
// hybrid joined catalogs, non-domain-joined images suit non-domain-joined
// catalogs. Prepared images suit every domain type, since machines are
// joined when they are provisioned. Every problem is reported at once.
func Compatible(img Image, session SessionType, domain DomainType) error {
	var l rule.List
	if img.State != Ready {
		l.Add("IMG-3", "image %q is in state %s (%s); a catalog can use only a Ready image", img.Name, img.State, img.State.Display())
	}
	switch {
	case !session.IsValid():
		l.Add("IMG-8", "catalog session type %s is not single-session or multi-session", session)
	case img.Session != session:
		l.Add("IMG-8", "image %q is %s; a %s catalog needs a %s image", img.Name, img.Session, session, session)
	}
	switch {
	case !domain.IsValid():
		l.Add("IMG-8", "catalog domain type %s is not non-domain-joined, Active Directory or Entra hybrid joined", domain)
	case img.Prepared():
	case img.Domain.Joined() != domain.Joined():
		l.Add("IMG-8", "image %q was made %s; a %s catalog needs a %s image", img.Name, joinedWord(img.Domain.Joined()), domain, joinedWord(domain.Joined()))
	}
	return l.Err()
}

func joinedWord(joined bool) string {
	if joined {
		return "domain-joined"
	}
	return "non-domain-joined"
}

// SupportsSecureBoot reports whether machines made from img can enable
// Secure Boot: only Gen2 images boot with UEFI.
func SupportsSecureBoot(img Image) bool { return img.Generation == Gen2 }

// CheckGenerationSwitch reports, as an error, why a catalog whose machines
// have size size and run from cannot move to image to (IMG-9), or nil when
// it can. A switch between Gen1 and Gen2 is allowed only when the size
// supports the target generation; whatever the switch, the size must
// support the new image's generation. The error suggests sizes of the same
// vCPU count that would do.
func CheckGenerationSwitch(from, to Image, size VMSize) error {
	var l rule.List
	if !from.Generation.IsValid() {
		l.Add("IMG-9", "current image %q has no generation (%s); want Gen1 or Gen2", from.Name, from.Generation)
	}
	if !to.Generation.IsValid() {
		l.Add("IMG-9", "new image %q has no generation (%s); want Gen1 or Gen2", to.Name, to.Generation)
	}
	if to.Generation.IsValid() && !size.Supports(to.Generation) {
		what := "use"
		if from.Generation.IsValid() && from.Generation != to.Generation {
			what = fmt.Sprintf("switch from %s to", from.Generation)
		}
		l.Add("IMG-9", "machine size %s supports %s only; it cannot %s %s image %q%s",
			size.Name, size.Generations, what, to.Generation, to.Name, alternatives(size, to.Generation))
	}
	return l.Err()
}

// alternatives lists the table's sizes with the vCPUs of size that support g.
func alternatives(size VMSize, g Generation) string {
	var names []string
	for _, s := range sizes {
		if s.VCPUs == size.VCPUs && s.Supports(g) {
			names = append(names, s.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("; sizes with %d vCPU that support %s: %s", size.VCPUs, g, strings.Join(names, ", "))
}

// License is a Microsoft license a customer declares for Windows 11
// single-session machines (LIC-1). The zero value is no license.
type License int

// The licenses. The first eight qualify for Windows 11 single-session
// machines; Microsoft365BusinessPremium and Microsoft365F1 are common
// licenses that do not.
const (
	Microsoft365E3 License = iota + 1
	Microsoft365E5
	Microsoft365E7
	Microsoft365F3
	Windows11EnterpriseE3
	Windows11EnterpriseE5
	Windows11VDAE3
	Windows11VDAE5
	Microsoft365BusinessPremium
	Microsoft365F1
	numLicenses
)

var licenseNames = [numLicenses]string{
	Microsoft365E3:              "Microsoft 365 E3",
	Microsoft365E5:              "Microsoft 365 E5",
	Microsoft365E7:              "Microsoft 365 E7",
	Microsoft365F3:              "Microsoft 365 F3",
	Windows11EnterpriseE3:       "Windows 11 Enterprise E3",
	Windows11EnterpriseE5:       "Windows 11 Enterprise E5",
	Windows11VDAE3:              "Windows 11 VDA E3",
	Windows11VDAE5:              "Windows 11 VDA E5",
	Microsoft365BusinessPremium: "Microsoft 365 Business Premium",
	Microsoft365F1:              "Microsoft 365 F1",
}

// String returns the license's name, such as "Microsoft 365 E3".
func (l License) String() string {
	if l <= 0 || l >= numLicenses {
		return fmt.Sprintf("License(%d)", int(l))
	}
	return licenseNames[l]
}

// ParseLicense returns the license named s, case-insensitively.
func ParseLicense(s string) (License, error) {
	for l := License(1); l < numLicenses; l++ {
		if strings.EqualFold(s, licenseNames[l]) {
			return l, nil
		}
	}
	return 0, fmt.Errorf("image: unknown license %q; known: %s", s, strings.Join(licenseNames[1:], ", "))
}

// Qualifies reports whether l entitles Windows 11 single-session machines
// on Citrix-managed Azure (LIC-1).
func (l License) Qualifies() bool { return l >= Microsoft365E3 && l <= Windows11VDAE5 }

// QualifyingLicenses returns the licenses that qualify under LIC-1.
func QualifyingLicenses() []License {
	var out []License
	for l := License(1); l < numLicenses; l++ {
		if l.Qualifies() {
			out = append(out, l)
		}
	}
	return out
}

// NeedsLicense reports whether a catalog on img needs the customer to
// declare a qualifying license (LIC-1): Windows 11 single-session images do;
// Windows Server multi-session images come with Remote Desktop Services and
// Server licensing from Citrix, and Linux images need none.
func NeedsLicense(img Image) bool { return img.OS == Windows11 && img.Session == SingleSession }

// CheckLicense reports, as an error, why the licenses declared do not cover
// a catalog on img (LIC-1), or nil when they do or none is needed.
func CheckLicense(img Image, declared ...License) error {
	if !NeedsLicense(img) {
		return nil
	}
	for _, l := range declared {
		if l.Qualifies() {
			return nil
		}
	}
	names := make([]string, 0, len(declared))
	for _, l := range declared {
		names = append(names, l.String())
	}
	got := "none"
	if len(names) > 0 {
		got = strings.Join(names, ", ")
	}
	want := make([]string, 0, 8)
	for _, l := range QualifyingLicenses() {
		want = append(want, l.String())
	}
	var v rule.List
	v.Add("LIC-1", "image %q is Windows 11 single-session and needs a declared qualifying license; declared: %s; qualifying: %s",
		img.Name, got, strings.Join(want, ", "))
	return v.Err()
}

package image

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// RegistryKey is a set of the four registry values that configure Delivery
// Controllers in a Windows image; an imported image must have none of them
// set (IMG-5). The zero value is the empty set.
type RegistryKey uint8

// The four registry values, as bits of a RegistryKey set.
const (
	ListOfDDCs       RegistryKey = 1 << iota // HKLM:\SOFTWARE\Citrix\VirtualDesktopAgent\ListOfDDCs
	PolicyListOfDDCs                         // HKLM:\SOFTWARE\Policies\Citrix\VirtualDesktopAgent\ListOfDDCs
	FarmGUID                                 // HKLM:\SOFTWARE\Citrix\VirtualDesktopAgent\FarmGUID
	PolicyFarmGUID                           // HKLM:\SOFTWARE\Policies\Citrix\VirtualDesktopAgent\FarmGUID
	allKeys          = ListOfDDCs | PolicyListOfDDCs | FarmGUID | PolicyFarmGUID
)

var keyPaths = []struct {
	key  RegistryKey
	path string
}{
	{ListOfDDCs, `HKLM:\SOFTWARE\Citrix\VirtualDesktopAgent\ListOfDDCs`},
	{PolicyListOfDDCs, `HKLM:\SOFTWARE\Policies\Citrix\VirtualDesktopAgent\ListOfDDCs`},
	{FarmGUID, `HKLM:\SOFTWARE\Citrix\VirtualDesktopAgent\FarmGUID`},
	{PolicyFarmGUID, `HKLM:\SOFTWARE\Policies\Citrix\VirtualDesktopAgent\FarmGUID`},
}

// Keys returns the single keys in the set, in the documentation's order.
func (k RegistryKey) Keys() []RegistryKey {
	var out []RegistryKey
	for _, kp := range keyPaths {
		if k&kp.key != 0 {
			out = append(out, kp.key)
		}
	}
	return out
}

// String returns the registry path of each key in the set, joined by ", ",
// or "none".
func (k RegistryKey) String() string {
	var paths []string
	for _, kp := range keyPaths {
		if k&kp.key != 0 {
			paths = append(paths, kp.path)
		}
	}
	if k&^allKeys != 0 {
		paths = append(paths, fmt.Sprintf("RegistryKey(%#x)", uint8(k&^allKeys)))
	}
	if len(paths) == 0 {
		return "none"
	}
	return strings.Join(paths, ", ")
}

// ImportFacts are what the service finds when it inspects an image to be
// imported, the inputs of the requirement report (IMG-5). The zero value
// describes an image about which nothing is known, which fails every check.
type ImportFacts struct {
	OS          OS
	Generation  Generation
	Generalized bool        // whether the image was generalized (Sysprep); it must not be
	KeysSet     RegistryKey // which of the four Delivery Controller values are set
	// PersonalityINI reports whether personality.ini exists on the system
	// drive.
	PersonalityINI bool
	VDA            VDAVersion // the installed VDA; the zero value means none
	VMAgent        bool       // whether the Azure VM Agent is installed
}

// CheckImport reports every requirement an imported image with facts f
// fails, all at once (IMG-5), or nil: a supported OS, generation Gen1 or
// Gen2, not generalized, none of the four ListOfDDCs and FarmGUID values
// set, personality.ini on the system drive, a VDA of version 2507 or later
// and the Azure VM Agent. The registry values and personality.ini belong
// to the Windows VDA, so they are checked on Windows images only (a
// decision; the documentation lists them without saying so).
func CheckImport(f ImportFacts) error {
	var l rule.List
	if !f.OS.Supported() {
		l.Add("IMG-5", "operating system %s is not supported; want one of %s", f.OS, supportedOSList())
	}
	if !f.Generation.IsValid() {
		l.Add("IMG-5", "generation %s is not supported; want Gen1 (V1) or Gen2 (V2)", f.Generation)
	}
	if f.Generalized {
		l.Add("IMG-5", "the image is generalized; import an image that was not generalized (do not run Sysprep)")
	}
	if !f.OS.IsLinux() {
		for _, k := range f.KeysSet.Keys() {
			l.Add("IMG-5", "registry value %s is set; clear it so that no Delivery Controller is configured", k)
		}
		if f.KeysSet&^allKeys != 0 {
			l.Add("IMG-5", "unknown registry values %s reported set", f.KeysSet&^allKeys)
		}
		if !f.PersonalityINI {
			l.Add("IMG-5", "personality.ini is missing from the system drive; it must exist")
		}
	}
	switch {
	case !f.VDA.IsValid():
		l.Add("IMG-5", "no Citrix VDA is installed; install VDA %s or later", MinimumVDA())
	case f.VDA.Less(MinimumVDA()):
		l.Add("IMG-5", "Citrix VDA %s is installed; want %s or later", f.VDA, MinimumVDA())
	}
	if !f.VMAgent {
		l.Add("IMG-5", "the Azure Virtual Machine Agent is not installed; install it before importing")
	}
	return l.Err()
}

func supportedOSList() string {
	var names []string
	for o := OS(1); o < numOS; o++ {
		if o.Supported() {
			names = append(names, o.String())
		}
	}
	return strings.Join(names, ", ")
}

// SourceKind is where an imported image comes from (IMG-6).
type SourceKind int

// The import sources.
const (
	ManagedDiskSAS SourceKind = iota + 1 // SAS URL exported from a managed disk
	VHDSAS                               // SAS URL of a VHD blob
	VHDPublicURL                         // URL of a VHD blob in a container with public access
	StorageAccount                       // VHD blob picked by browsing a storage account
)

// String returns the source's name, such as "managed disk SAS URL".
func (k SourceKind) String() string {
	switch k {
	case ManagedDiskSAS:
		return "managed disk SAS URL"
	case VHDSAS:
		return "VHD SAS URL"
	case VHDPublicURL:
		return "Azure public URL"
	case StorageAccount:
		return "storage account"
	}
	return fmt.Sprintf("SourceKind(%d)", int(k))
}

// Source is where an imported image is copied from (IMG-6). Kind says
// which other fields apply: SAS for ManagedDiskSAS and VHDSAS, URL for
// VHDPublicURL, and ResourceGroup, Account, Container and Blob for
// StorageAccount (in the import's subscription).
type Source struct {
	Kind          SourceKind
	SAS           SASURL // from ParseSASURL
	URL           string // public blob URL, such as https://account.blob.core.windows.net/vhds/image.vhd
	ResourceGroup string
	Account       string // storage account name
	Container     string
	Blob          string // blob name, ending in .vhd
}

// ImportSpec is what an administrator enters to import an image from Azure
// (IMG-6). The session and domain types say which catalogs may use the
// image (IMG-8); Key optionally names the customer-managed key that
// encrypts it (KEY-2).
type ImportSpec struct {
	Name         string
	Subscription string
	Source       Source
	Session      SessionType
	Domain       DomainType
	Key          string // customer-managed key name; empty for the platform key
	Notes        string
}

// Validate reports every problem of s at time now (IMG-6, IMG-7, IMG-8,
// KEY-2), including a SAS URL that now expires within 7,200 s. Nothing it
// reports shows a SAS signature (SEC-1).
func (s ImportSpec) Validate(now time.Time) error {
	var l rule.List
	checkName(&l, "IMG-6", s.Name)
	if strings.TrimSpace(s.Subscription) == "" {
		l.Add("IMG-6", "no subscription; choose the Azure subscription to import into")
	}
	l.Append(s.Source.validate(now))
	if !s.Session.IsValid() {
		l.Add("IMG-8", "session type %s; say whether the image is single-session or multi-session", s.Session)
	}
	if !s.Domain.IsValid() {
		l.Add("IMG-8", "domain type %s; say whether the image is for domain-joined or non-domain-joined catalogs", s.Domain)
	}
	if s.Key != strings.TrimSpace(s.Key) || strings.ContainsAny(s.Key, "\x00\n\r\t") || len(s.Key) > 256 {
		l.Add("KEY-2", "key name %q is not a key name; want the friendly name or ID of a key added to the subscription, or nothing", s.Key)
	}
	checkNotes(&l, "IMG-6", s.Notes)
	return l.Err()
}

func (src Source) validate(now time.Time) error {
	var l rule.List
	switch src.Kind {
	case ManagedDiskSAS, VHDSAS:
		if src.SAS.IsZero() {
			l.Add("IMG-6", "no SAS URL for source %s; paste the URL Azure generated", src.Kind)
			break
		}
		l.Append(src.SAS.CheckExpiry(now))
		if src.Kind == VHDSAS {
			if u, err := url.Parse(src.SAS.URL().Reveal()); err == nil && !strings.HasSuffix(strings.ToLower(u.Path), ".vhd") {
				l.Add("IMG-6", "VHD SAS URL %s does not name a .vhd blob", src.SAS)
			}
		}
	case VHDPublicURL:
		l.Append(checkPublicURL(src.URL))
	case StorageAccount:
		if msg := resourceGroupProblem(src.ResourceGroup); msg != "" {
			l.Add("IMG-6", "resource group %q %s; want 1 to 90 letters, digits and - _ . ( ), not ending in '.'", src.ResourceGroup, msg)
		}
		if !storageAccountName(src.Account) {
			l.Add("IMG-6", "storage account %q is not 3 to 24 lower-case letters and digits", src.Account)
		}
		if !containerName(src.Container) {
			l.Add("IMG-6", "container %q is not 3 to 63 lower-case letters, digits and single '-', starting and ending with a letter or digit", src.Container)
		}
		if n := len(src.Blob); n == 0 || n > 1024 || !strings.HasSuffix(strings.ToLower(src.Blob), ".vhd") {
			l.Add("IMG-6", "blob %q is not a .vhd blob name of 1 to 1024 characters", src.Blob)
		}
	default:
		l.Add("IMG-6", "import source %s; want a managed disk SAS URL, a VHD SAS URL, an Azure public URL or a storage account", src.Kind)
	}
	return l.Err()
}

// checkPublicURL checks the URL of a public VHD blob. A URL with a
// signature is refused without being shown (SEC-1).
func checkPublicURL(raw string) error {
	var l rule.List
	u, err := url.Parse(raw)
	if err != nil || len(raw) > maxSASLen {
		l.Add("IMG-6", "Azure public URL does not parse as a URL; paste the blob's URL")
		return l.Err()
	}
	shown := redactURL(raw)
	if strings.Contains(shown, secret.Redacted) {
		l.Add("IMG-6", "Azure public URL %s carries a signature or credentials; use the VHD SAS URL source for a SAS URL", shown)
	}
	if u.Scheme != "https" {
		l.Add("IMG-6", "Azure public URL %s uses scheme %q; want https", shown, u.Scheme)
	}
	if !strings.HasSuffix(strings.ToLower(u.Hostname()), ".blob.core.windows.net") {
		l.Add("IMG-6", "Azure public URL %s is not on a blob endpoint; want https://<account>.blob.core.windows.net/<container>/<name>.vhd", shown)
	}
	if !strings.HasSuffix(strings.ToLower(u.Path), ".vhd") {
		l.Add("IMG-6", "Azure public URL %s does not name a .vhd blob", shown)
	}
	return l.Err()
}

func resourceGroupProblem(rg string) string {
	switch {
	case rg == "":
		return "is empty"
	case len(rg) > 90:
		return "is longer than 90 characters"
	case strings.HasSuffix(rg, "."):
		return "ends with '.'"
	}
	for _, r := range rg {
		if !(r < 0x80 && (isLetter(byte(r)) || isDigit(byte(r))) || strings.ContainsRune("-_.()", r)) {
			return fmt.Sprintf("has %q", r)
		}
	}
	return ""
}

func storageAccountName(a string) bool {
	if len(a) < 3 || len(a) > 24 {
		return false
	}
	for i := range len(a) {
		if c := a[i]; !('a' <= c && c <= 'z') && !isDigit(c) {
			return false
		}
	}
	return true
}

func containerName(c string) bool {
	if c == "$root" {
		return true
	}
	if len(c) < 3 || len(c) > 63 || c[0] == '-' || c[len(c)-1] == '-' || strings.Contains(c, "--") {
		return false
	}
	for i := range len(c) {
		if b := c[i]; !('a' <= b && b <= 'z') && !isDigit(b) && b != '-' {
			return false
		}
	}
	return true
}

// Image returns the image s imports, in state Pending, with s's name,
// session and domain types, key and notes. Its OS, generation and VDA are
// learned when the import completes (CompleteImport). Call Validate first.
func (s ImportSpec) Image() Image {
	return Image{
		Name:    s.Name,
		Session: s.Session,
		Domain:  s.Domain,
		Origin:  OriginImported,
		State:   Pending,
		Key:     s.Key,
		Notes:   s.Notes,
	}
}

// CompleteImport returns img, an imported image in state Importing, judged
// by the facts found in it: Ready with the facts' OS, generation and VDA
// when it meets every requirement (IMG-5) and its OS can deliver its
// session type, otherwise Failed with every problem as the error. An image
// in another state is returned unchanged with an IMG-3 error.
func CompleteImport(img Image, f ImportFacts) (Image, error) {
	if img.Origin != OriginImported || img.State != Importing {
		return img, rule.Errorf("IMG-3", "image %q is %s in state %s; only an imported image in state Importing completes an import", img.Name, img.Origin, img.State)
	}
	var l rule.List
	l.Append(CheckImport(f))
	if f.OS.Supported() && img.Session.IsValid() && !f.OS.Supports(img.Session) {
		l.Add("IMG-5", "image %q runs %s, which cannot deliver %s sessions as declared", img.Name, f.OS, img.Session)
	}
	img.OS, img.Generation, img.VDA = f.OS, f.Generation, f.VDA
	if err := l.Err(); err != nil {
		img.State = Failed
		return img, err
	}
	img.State = Ready
	return img, nil
}

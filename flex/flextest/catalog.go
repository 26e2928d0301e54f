package flextest

import (
	"fmt"
	"strings"
	"time"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/secret"
)

// Character sets of directory names.
var (
	lowerChars   = []rune("abcdefghijklmnopqrstuvwxyz")
	labelChars   = []rune("abcdefghijklmnopqrstuvwxyz0123456789-")
	netbiosChars = []rune("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
	// accountChars are the characters of account names drawn here: ASCII
	// letters and digits, '.', '_', '-', a space now and then, and a few
	// accented letters, whose lower case is their case folding.
	accountChars = []rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._- éüøÅ")
	upnChars     = []rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+'")
)

// drawDomain draws a DNS domain of two to four labels whose last label is
// letters, such as "corp.example.com".
func drawDomain(t *rapid.T, label string) string {
	n := rapid.IntRange(1, 3).Draw(t, label+"Labels")
	var parts []string
	for range n {
		s := rapid.StringOfN(rapid.RuneFrom(labelChars), 1, 12, -1).Draw(t, label+"Label")
		s = strings.Trim(s, "-")
		if s == "" {
			s = "x"
		}
		parts = append(parts, s)
	}
	parts = append(parts, rapid.StringOfN(rapid.RuneFrom(lowerChars), 2, 6, -1).Draw(t, label+"TLD"))
	return strings.Join(parts, ".")
}

// drawAccount draws a pre-Windows 2000 account name of 1 to 20 characters:
// not only spaces and periods, not ending with a period or a space, not
// starting with a space.
func drawAccount(t *rapid.T, label string) string {
	s := rapid.StringOfN(rapid.RuneFrom(accountChars), 1, 20, -1).Draw(t, label)
	s = strings.TrimLeft(s, " ")
	s = strings.TrimRight(s, ". ")
	if strings.Trim(s, ". ") == "" {
		s = "u" + s
	}
	for len([]rune(s)) > 20 {
		s = string([]rune(s)[1:])
	}
	return s
}

// drawUserID draws a user ID in one of the forms a directory names a user:
// alice@corp.example.com, CORP\alice or alice.
func drawUserID(t *rapid.T) string {
	switch rapid.IntRange(0, 2).Draw(t, "userForm") {
	case 0:
		local := rapid.StringOfN(rapid.RuneFrom(upnChars), 1, 20, -1).Draw(t, "upnLocal")
		local = strings.Trim(local, ".")
		if local == "" {
			local = "u"
		}
		return local + "@" + drawDomain(t, "upnDomain")
	case 1:
		dom := rapid.StringOfN(rapid.RuneFrom(netbiosChars), 1, 15, -1).Draw(t, "netbios")
		return dom + `\` + drawAccount(t, "sam")
	default:
		return drawAccount(t, "account")
	}
}

// UserID returns a generator of user IDs that catalog.ValidateUserID
// accepts (CAT-9), in every form a directory names a user: a user principal
// name (alice@corp.example.com), a pre-Windows 2000 name with its NetBIOS
// domain (CORP\alice) and a bare account name (alice), with letters,
// digits, '.', '_', '-', inner spaces and a few accented letters.
func UserID() *rapid.Generator[string] {
	return rapid.Custom(drawUserID)
}

// Users returns a generator of from minUsers to maxUsers user IDs of UserID
// that are unique ignoring case, as catalog.Spec.Users needs them (CAT-2).
//
// It panics unless 0 ≤ minUsers ≤ maxUsers.
func Users(minUsers, maxUsers int) *rapid.Generator[[]string] {
	if minUsers < 0 || minUsers > maxUsers {
		panic(fmt.Sprintf("flextest.Users: %d to %d users; want 0 ≤ minUsers ≤ maxUsers", minUsers, maxUsers))
	}
	return rapid.SliceOfNDistinct(UserID(), minUsers, maxUsers, strings.ToLower)
}

// Principal returns a generator of users and groups of a directory that
// Principal.Validate accepts (CAT-9): a directory named like
// corp.example.com, a kind, and an ID of UserID's forms.
func Principal() *rapid.Generator[catalog.Principal] {
	return rapid.Custom(func(t *rapid.T) catalog.Principal {
		return catalog.Principal{
			Directory: rapid.SampledFrom([]string{"corp.example.com", "eu.corp.example.com", "contoso.onmicrosoft.com"}).Draw(t, "directory"),
			Kind:      rapid.SampledFrom([]catalog.PrincipalKind{catalog.User, catalog.Group}).Draw(t, "kind"),
			ID:        drawUserID(t),
		}
	})
}

// Principals returns a generator of from 0 to max principals of Principal
// whose directories and IDs are unique ignoring case, so that
// catalog.Principals.Add adds every one of them. It panics when max is
// negative.
func Principals(max int) *rapid.Generator[[]catalog.Principal] {
	checkMax("Principals", max)
	return rapid.SliceOfNDistinct(Principal(), 0, max, func(p catalog.Principal) string {
		return strings.ToLower(p.Directory + "\x00" + p.ID)
	})
}

// Alphabets of command lines, rich in what matters to Windows' rules:
// spaces, tabs (in arguments), double quotes (in arguments), backslashes,
// percent and star.
const (
	pathChars = `ab\ .:%*-_é`
	argChars  = "ab\\\" \t%*é"
)

// realPaths are paths of executables as administrators type them.
var realPaths = []string{
	`C:\Program Files\Windows Media Player\mplayer1.exe`,
	`C:\Windows\System32\notepad.exe`,
	`C:\Program Files (x86)\Microsoft Office\root\Office16\WINWORD.EXE`,
	`\\fileserver\apps\tool.exe`,
	`calc.exe`,
}

// CommandLine returns a generator of published apps' command lines that
// CommandLine.Validate accepts (CAT-11) and that survive Windows' parsing:
// for every value c, catalog.ParseCommandLine(c.String()) returns c again,
// and c.String() is catalog.BuildCommandLine(c.Path, c.Args, c.FileTypes).
// Paths are real ones or drawn from characters that need care (spaces,
// backslashes, '%', '*', ':'), never blank; arguments (nil when there are
// none) hold spaces, tabs, double quotes, backslashes, '%' and '*', and are
// never exactly %*; the file-type placeholder is set or not.
func CommandLine() *rapid.Generator[catalog.CommandLine] {
	return rapid.Custom(func(t *rapid.T) catalog.CommandLine {
		var path string
		if rapid.Bool().Draw(t, "realPath") {
			path = rapid.SampledFrom(realPaths).Draw(t, "path")
		} else {
			path = rapid.StringOfN(rapid.RuneFrom([]rune(pathChars)), 1, 12, -1).Filter(func(s string) bool { return strings.TrimSpace(s) != "" }).Draw(t, "path")
		}
		arg := rapid.StringOfN(rapid.RuneFrom([]rune(argChars)), 0, 8, -1).Filter(func(s string) bool { return s != "%*" })
		return catalog.CommandLine{
			Path:      path,
			Args:      nilIfEmpty(rapid.SliceOfN(arg, 0, 5).Draw(t, "args")),
			FileTypes: rapid.Bool().Draw(t, "fileTypes"),
		}
	})
}

// appNameChars are the characters of app names drawn here.
var appNameChars = []rune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -_.()&+éü中")

// drawText draws 1 to max characters of chars without surrounding spaces.
func drawText(t *rapid.T, label string, chars []rune, max int) string {
	s := strings.TrimSpace(rapid.StringOfN(rapid.RuneFrom(chars), 1, max, -1).Draw(t, label))
	if s == "" {
		s = "X"
	}
	return s
}

// App returns a generator of published apps that App.Validate accepts
// (CAT-10, CAT-11): a name of 1 to 64 characters without surrounding
// spaces, from the Start menu or by path, an optional description, icon
// and working directory (without double quotes or control characters),
// and a command line of CommandLine.
func App() *rapid.Generator[catalog.App] {
	return rapid.Custom(func(t *rapid.T) catalog.App {
		c := CommandLine().Draw(t, "commandLine")
		a := catalog.App{
			Name:      drawText(t, "name", appNameChars, catalog.MaxAppName),
			Source:    rapid.SampledFrom([]catalog.AppSource{catalog.FromStartMenu, catalog.ByPath}).Draw(t, "source"),
			Path:      c.Path,
			Args:      c.Args,
			FileTypes: c.FileTypes,
		}
		if rapid.Bool().Draw(t, "described") {
			a.Description = rapid.StringOfN(rapid.RuneFrom(appNameChars), 0, 80, -1).Draw(t, "description")
		}
		if rapid.Bool().Draw(t, "icon") {
			a.Icon = rapid.SampledFrom([]string{`C:\icons\app.ico`, `%SystemRoot%\system32\shell32.dll,3`, "app.png"}).Draw(t, "iconPath")
		}
		if rapid.Bool().Draw(t, "workingDirectory") {
			a.WorkingDirectory = rapid.SampledFrom([]string{`C:\Users\Public`, `%USERPROFILE%`, `D:\data dir`}).Draw(t, "dir")
		}
		return a
	})
}

// Apps returns a generator of from 0 to max apps of App whose names are
// unique ignoring case, so that catalog.Apps.Add publishes every one of
// them. It panics when max is negative.
func Apps(max int) *rapid.Generator[[]catalog.App] {
	checkMax("Apps", max)
	return rapid.SliceOfNDistinct(App(), 0, max, func(a catalog.App) string { return strings.ToLower(a.Name) })
}

// catalogNameChars are the characters of catalog names drawn here: none of
// the characters CAT-5 forbids.
var catalogNameChars = []rune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -_&+!@,éü中")

// CatalogName returns a generator of catalog names that
// catalog.ValidateName accepts (CAT-5): 2 to 38 characters without
// surrounding spaces, control characters or any of \ / ; : # . * ? = < > |
// [ ] ( ) { } " ' ` ~.
func CatalogName() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		s := drawText(t, "catalogName", catalogNameChars, catalog.MaxNameLen)
		if len([]rune(s)) < catalog.MinNameLen {
			s += "1"
		}
		return s
	})
}

// customPersonaNames are names of custom personas: none is a built-in's.
var customPersonaNames = []string{"CAD designer", "Developer", "Data scientist", "Call centre", "Kiosk", "Analyst"}

// Persona returns a generator of personas that Persona.Validate accepts
// (CAT-1, CAT-2): each built-in persona (quota.Personas), and custom
// single-session personas (one user per machine) and multi-session ones
// (2 to 16 users per machine) with 1 to 32 vCPUs and 1 to 256 GiB. Custom
// personas name no VM size.
func Persona() *rapid.Generator[quota.Persona] {
	return rapid.Custom(func(t *rapid.T) quota.Persona {
		if rapid.IntRange(0, 2).Draw(t, "custom") != 0 {
			return rapid.SampledFrom(quota.Personas()).Draw(t, "builtIn")
		}
		name := fmt.Sprintf("%s %d", rapid.SampledFrom(customPersonaNames).Draw(t, "personaName"), rapid.IntRange(1, 99).Draw(t, "personaNumber"))
		session := rapid.SampledFrom([]quota.SessionType{quota.SingleSession, quota.MultiSession}).Draw(t, "session")
		upm := 1
		if session == quota.MultiSession {
			upm = rapid.IntRange(2, 16).Draw(t, "usersPerMachine")
		}
		p, err := quota.CustomPersona(name, session, rapid.IntRange(1, 32).Draw(t, "vcpus"), rapid.IntRange(1, 256).Draw(t, "memoryGiB"), upm)
		if err != nil {
			t.Fatalf("flextest: custom persona: %v", err)
		}
		return p
	})
}

// timeZones are IANA time zones of catalogs' users.
var timeZones = []string{"UTC", "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney"}

// drawAutoscale draws recommended or valid custom autoscale settings
// (CAT-4).
func drawAutoscale(t *rapid.T) catalog.Autoscale {
	if rapid.Bool().Draw(t, "recommended") {
		return catalog.Autoscale{}
	}
	start := rapid.IntRange(0, 24*60-2).Draw(t, "peakStart")
	end := rapid.IntRange(start+1, 24*60-1).Draw(t, "peakEnd")
	return catalog.Autoscale{
		Custom:            true,
		PeakDays:          catalog.Weekdays(rapid.IntRange(1, 127).Draw(t, "peakDays")),
		PeakStart:         catalog.TimeOfDay{Hour: start / 60, Minute: start % 60},
		PeakEnd:           catalog.TimeOfDay{Hour: end / 60, Minute: end % 60},
		DisconnectTimeout: time.Duration(rapid.IntRange(1, 24*60).Draw(t, "disconnectMinutes")) * time.Minute,
		PowerOffDelay:     time.Duration(rapid.IntRange(1, 24*60).Draw(t, "powerOffMinutes")) * time.Minute,
		OffPolicy:         rapid.SampledFrom([]catalog.PowerAction{catalog.ShutDown, catalog.Hibernate}).Draw(t, "offPolicy"),
	}
}

// drawImage draws a Ready image a catalog of session type session and domain
// type domain accepts (IMG-8): a prepared image of the session type, or a
// built or imported one of a supported OS that delivers it, Gen1 or Gen2,
// made for a domain-joined catalog exactly when the catalog is joined.
func drawImage(t *rapid.T, session quota.SessionType, domain image.DomainType, preparedOnly bool) image.Image {
	var prepared []image.Image
	for _, img := range image.Prepared() {
		if img.Session == session {
			prepared = append(prepared, img)
		}
	}
	if len(prepared) > 0 && (preparedOnly || rapid.Bool().Draw(t, "preparedImage")) {
		return rapid.SampledFrom(prepared).Draw(t, "prepared")
	}
	var oses []image.OS
	for _, o := range supportedOS() {
		if o.Supports(session) {
			oses = append(oses, o)
		}
	}
	img := image.Image{
		Name:       fmt.Sprintf("%s %d", rapid.SampledFrom([]string{"Golden", "Finance image", "Dev_tools", "Base (2026)", "win11.v2"}).Draw(t, "imageName"), rapid.IntRange(1, 999).Draw(t, "imageNumber")),
		OS:         rapid.SampledFrom(oses).Draw(t, "imageOS"),
		Session:    session,
		Generation: rapid.SampledFrom([]image.Generation{image.Gen1, image.Gen2}).Draw(t, "imageGeneration"),
		Domain:     image.NonDomainJoined,
		Origin:     rapid.SampledFrom([]image.Origin{image.OriginBuilt, image.OriginImported}).Draw(t, "imageOrigin"),
		State:      image.Ready,
		VDA:        drawSupportedVDA(t),
	}
	if domain.Joined() {
		img.Domain = image.ActiveDirectory
	}
	return img
}

// drawAD draws an Active Directory configuration that ADConfig.Validate
// accepts (IDN-4), with a password that is a secret (SEC-1).
func drawAD(t *rapid.T) image.ADConfig {
	dom := drawDomain(t, "adDomain")
	c := image.ADConfig{
		Domain:   dom,
		Password: secret.New("P@ss-" + rapid.StringOfN(rapid.RuneFrom(pskChars), 8, 24, -1).Draw(t, "adPassword")),
	}
	switch rapid.IntRange(0, 2).Draw(t, "serviceAccountForm") {
	case 0:
		c.ServiceAccount = "svc-join"
	case 1:
		c.ServiceAccount = `CORP\svc-join`
	default:
		c.ServiceAccount = "svc-join@" + dom
	}
	if rapid.Bool().Draw(t, "ou") {
		c.OU = "OU=VDAs,DC=" + strings.ReplaceAll(dom, ".", ",DC=")
	}
	return c
}

// checkConn panics unless a valid catalog can use conn: the zero
// Connection or one of kind None (No connectivity), or a named, usable
// connection with connectivity in a supported region.
func checkConn(fn string, conn catalog.Connection) bool {
	if conn == (catalog.Connection{}) || conn.Kind == network.KindNone {
		return false
	}
	if conn.Name == "" || !conn.Kind.IsValid() || !conn.Usable || !conn.Region.IsValid() {
		panic(fmt.Sprintf("flextest.%s: no valid catalog can use connection %+v; want the zero Connection, one of kind None, or a named, usable connection with connectivity in a supported region", fn, conn))
	}
	return true
}

// CatalogSpec returns a generator of catalog specs that Validate(conn)
// accepts, for every persona of Persona and every machine type it may be
// delivered on (CAT-1); CatalogSpecFor says what each spec holds.
//
// It panics when no valid catalog can use conn: conn must be the zero
// Connection or one of kind None (No connectivity), or a named, usable
// connection with connectivity (VNet peering, VPN or vWAN) in a supported
// region.
func CatalogSpec(conn catalog.Connection) *rapid.Generator[catalog.Spec] {
	connected := checkConn("CatalogSpec", conn)
	return rapid.Custom(func(t *rapid.T) catalog.Spec {
		p := Persona().Draw(t, "persona")
		mt := rapid.SampledFrom(p.MachineTypes()).Draw(t, "machineType")
		return drawSpec(t, conn, connected, p, mt, false)
	})
}

// CatalogSpecFor returns a generator of catalog specs of persona p on
// machines of type mt that Validate(conn) accepts: for every spec s it
// draws, s.Validate(conn) returns a nil error (warnings, such as IDN-5 for
// a random non-domain-joined catalog or NET-12 for a vWAN spoke without an
// internet route, may come back). Each spec holds
//
//   - a name (CAT-5), persona p and machine type mt (CAT-1), and 1 to 12
//     users unique ignoring case (CAT-2);
//   - a subscription; with connectivity, conn's name and no region or
//     conn's; without, a region of REG-1 (REG-2);
//   - a domain type the identity table offers (IDN-1, IDN-2), Active
//     Directory configuration exactly when joined (IDN-4), Intune only where
//     IDN-3 allows it;
//   - the default naming scheme or one of SchemeText with room for every
//     machine (NAM-1…NAM-8);
//   - a resource location (required when joined), a connectivity type with
//     a NetScaler Gateway FQDN when needed (CAT-3);
//   - a Ready image that suits the session and domain types (IMG-8), with a
//     qualifying license declared when it needs one (LIC-1);
//   - a time zone and recommended or custom autoscale, Secure Boot only on
//     Gen2 images (CAT-4);
//   - no VM size or one that boots the image's generation, and a different
//     backup size now and then (CAT-14, IMG-9).
//
// It panics when p cannot be delivered on mt (quota.CheckPairing) or no
// valid catalog can use conn (see CatalogSpec).
func CatalogSpecFor(conn catalog.Connection, p quota.Persona, mt quota.MachineType) *rapid.Generator[catalog.Spec] {
	connected := checkConn("CatalogSpecFor", conn)
	if err := quota.CheckPairing(p, mt); err != nil {
		panic(fmt.Sprintf("flextest.CatalogSpecFor: %v", err))
	}
	return rapid.Custom(func(t *rapid.T) catalog.Spec { return drawSpec(t, conn, connected, p, mt, false) })
}

// TenantCatalogSpec returns a generator of the specs flex.Tenant.CreateCatalog
// takes, for a tenant that has the subscription named subscription and, with
// connectivity, the connection conn describes (see ConnectionFacts): drawn
// as CatalogSpec draws them, for every persona and machine type, but with
// that subscription and always a Citrix-prepared image, which every
// subscription has, named in Image and set in Spec.Image too, so that
// Spec.Validate(conn) returns no error. Whether CreateCatalog accepts the
// spec depends on the tenant's state as well: a name already taken (CAT-5),
// a limit reached (LIM-*) or a resource location of another domain (LIM-6)
// refuse it.
//
// It panics when no valid catalog can use conn (see CatalogSpec).
func TenantCatalogSpec(subscription string, conn catalog.Connection) *rapid.Generator[flex.CatalogSpec] {
	connected := checkConn("TenantCatalogSpec", conn)
	return rapid.Custom(func(t *rapid.T) flex.CatalogSpec {
		p := Persona().Draw(t, "persona")
		mt := rapid.SampledFrom(p.MachineTypes()).Draw(t, "machineType")
		s := drawSpec(t, conn, connected, p, mt, true)
		s.Subscription = subscription
		return flex.CatalogSpec{Spec: s, Image: s.Image.Name}
	})
}

// ConnectionFacts returns what a catalog spec is validated against of a
// connection a Tenant reports (catalog.Spec.Validate, CatalogSpec): its
// name, kind and region, whether it routes 0.0.0.0/0 to the Internet and
// whether catalogs may use it in its state (NET-2). A connection of kind
// None (a Citrix-managed network) gives the zero Connection: a catalog
// without connectivity names no connection.
func ConnectionFacts(c flex.Connection) catalog.Connection {
	if c.Kind == network.KindNone {
		return catalog.Connection{}
	}
	return catalog.Connection{Name: c.Name, Kind: c.Kind, Region: c.Region, HasInternetRoute: hasInternetRoute(specRoutes(c.Spec)), Usable: c.Status.State.AllowsCatalogs()}
}

// specRoutes returns the custom routes of a connection spec.
func specRoutes(s network.Spec) []network.Route {
	switch v := s.(type) {
	case network.PeeringSpec:
		return v.Routes
	case network.VPNSpec:
		return v.Routes
	case network.VWANSpec:
		return v.Routes
	}
	return nil
}

// hasInternetRoute reports whether an enabled route sends 0.0.0.0/0 to the
// Internet.
func hasInternetRoute(rs []network.Route) bool {
	for _, r := range rs {
		if r.Enabled && r.NextHop == network.NextHopInternet && r.Destination.Bits() == 0 {
			return true
		}
	}
	return false
}

func drawSpec(t *rapid.T, conn catalog.Connection, connected bool, p quota.Persona, mt quota.MachineType, preparedOnly bool) catalog.Spec {
	s := catalog.Spec{
		Name:         CatalogName().Draw(t, "name"),
		Persona:      p,
		MachineType:  mt,
		Users:        Users(1, 12).Draw(t, "users"),
		Subscription: rapid.SampledFrom([]string{"Citrix Managed", "Production", "EU subscription"}).Draw(t, "subscription"),
	}
	machines, err := p.Machines(len(s.Users))
	if err != nil {
		t.Fatalf("flextest: persona %v: %v", p, err)
	}
	if connected {
		s.Connection = conn.Name
		if rapid.Bool().Draw(t, "regionGiven") {
			s.Region = conn.Region
		}
	} else {
		s.Region = Region().Draw(t, "region")
	}

	session, persistence := mt.Session(), catalog.PersistenceOf(mt)
	var domains []image.DomainType
	for _, d := range []image.DomainType{image.NonDomainJoined, image.ActiveDirectory, image.EntraHybrid} {
		if catalog.IdentitySupported(connected, session, persistence, d) {
			domains = append(domains, d)
		}
	}
	s.Domain = rapid.SampledFrom(domains).Draw(t, "domain")
	if s.Domain.Joined() {
		s.AD = drawAD(t)
		s.ResourceLocation = drawText(t, "resourceLocation", appNameChars, 64)
	} else if rapid.Bool().Draw(t, "resourceLocationGiven") {
		s.ResourceLocation = drawText(t, "resourceLocation", appNameChars, 64)
	}

	s.Image = drawImage(t, session, s.Domain, preparedOnly)
	if image.NeedsLicense(s.Image) {
		s.Licenses = []image.License{rapid.SampledFrom(image.QualifyingLicenses()).Draw(t, "license")}
	}
	if rapid.Bool().Draw(t, "moreLicenses") {
		s.Licenses = append(s.Licenses, rapid.SampledFrom([]image.License{image.Microsoft365BusinessPremium, image.Microsoft365F1, image.Microsoft365E5}).Draw(t, "otherLicense"))
	}
	s.Intune = catalog.IntuneSupported(session, persistence, s.Image.OS, s.Domain) && rapid.Bool().Draw(t, "intune")

	if machines > 999 || rapid.IntRange(0, 3).Draw(t, "defaultScheme") != 0 {
		s.WildcardKind = drawKind(t)
		s.NamingScheme = drawSchemeText(t, s.WildcardKind, machines)
	}

	s.Connectivity = rapid.SampledFrom([]catalog.ConnectivityType{catalog.GatewayService, catalog.NetScalerGateway, catalog.Direct}).Draw(t, "connectivity")
	if s.Connectivity == catalog.NetScalerGateway {
		s.GatewayFQDN = "gateway." + drawDomain(t, "gateway")
	}

	s.Schedule = catalog.WorkSchedule{TimeZone: rapid.SampledFrom(timeZones).Draw(t, "timeZone"), Autoscale: drawAutoscale(t)}
	s.SecureBoot = image.SupportsSecureBoot(s.Image) && rapid.Bool().Draw(t, "secureBoot")

	var sizes []string
	for _, z := range image.Sizes() {
		if z.Supports(s.Image.Generation) {
			sizes = append(sizes, z.Name)
		}
	}
	if len(sizes) > 0 && rapid.Bool().Draw(t, "vmSizeGiven") {
		s.VMSize = rapid.SampledFrom(sizes).Draw(t, "vmSize")
		if len(sizes) > 1 && rapid.Bool().Draw(t, "backupGiven") {
			s.BackupVMSize = rapid.SampledFrom(sizes).Filter(func(z string) bool { return z != s.VMSize }).Draw(t, "backupVMSize")
		}
	}
	return s
}

// checkMax panics when max, the most items a generator draws, is negative.
func checkMax(fn string, max int) {
	if max < 0 {
		panic(fmt.Sprintf("flextest.%s: max %d is negative", fn, max))
	}
}

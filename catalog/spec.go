package catalog

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/naming"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
)

// Spec is what an administrator enters to create a catalog, in the order
// of the console's Create catalog steps. Validate checks it against the
// facts of the network connection it names and reports every problem at
// once. The zero value is not valid.
type Spec struct {
	// Persona and MachineType choose who the catalog serves and how
	// (CAT-1): Knowledge or Power worker (or a custom single-session
	// persona) on static or random machines; Task worker medium or heavy
	// (or a custom multi-session persona) on multi-session machines.
	Persona     quota.Persona
	MachineType quota.MachineType
	// Users are the unique users who will use the catalog (CAT-2), as
	// user principal names or DOMAIN\name, compared ignoring case. They
	// decide how many machines the catalog gets (see Machines).
	Users []string

	// Subscription is the Flex subscription the catalog belongs to.
	Subscription string
	// Connection names the network connection; empty means No connectivity.
	Connection string
	// Region is where the machines run; chosen only with No connectivity.
	// With a connection it is left empty (or set to the connection's
	// region): the catalog takes the connection's region (REG-2).
	Region network.Region

	// Domain is how machines are joined (IDN-1, IDN-2).
	Domain image.DomainType
	// AD is the Active Directory configuration, required for Active
	// Directory and Entra hybrid joined catalogs and empty otherwise
	// (IDN-4). Its password is a secret (SEC-1).
	AD image.ADConfig
	// Intune enrolls the machines in Microsoft Intune (IDN-3).
	Intune bool

	// NamingScheme is the machine naming scheme, such as "PC-Sales-##";
	// empty means the default scheme (NAM-9), which names at most 999
	// machines. WildcardKind says whether its wildcards are digits or
	// letters.
	NamingScheme string
	WildcardKind naming.WildcardKind

	// ResourceLocation names the resource location the machines reside in
	// (CAT-3). It may be left empty for a non-domain-joined catalog, which
	// gets one automatically (RL-1).
	ResourceLocation string
	// Connectivity is how endpoints reach the machines (CAT-3);
	// GatewayFQDN is the NetScaler Gateway virtual server's FQDN, required
	// for NetScalerGateway and empty otherwise.
	Connectivity ConnectivityType
	GatewayFQDN  string

	// Image is the image the machines are made from (IMG-8); Licenses
	// declares the customer's licenses for Windows 11 single-session images
	// (LIC-1).
	Image    image.Image
	Licenses []image.License

	// Schedule is the users' work schedule and autoscale settings (CAT-4).
	Schedule WorkSchedule
	// SecureBoot enables Secure Boot (CAT-4 advanced settings); it needs a
	// Gen2 image.
	SecureBoot bool

	// VMSize is the machines' Azure VM size; empty means the persona's
	// (a custom persona may name one) or, failing that, the service's
	// choice. BackupVMSize is an optional second size used when VMSize has
	// no capacity (CAT-14); it needs a known VMSize and must differ from it.
	VMSize       string
	BackupVMSize string

	// Name is the catalog's name (CAT-5), unique in the tenant.
	Name string
}

// Connection is what Validate needs to know of the network connection a
// Spec names, as the Tenant knows it. The zero value stands for No
// connectivity.
type Connection struct {
	Name   string
	Kind   network.Kind
	Region network.Region // the connection's region, fixed at creation (REG-2)
	// HasInternetRoute reports whether the connection routes 0.0.0.0/0 to
	// the Internet; a Virtual WAN spoke without it draws a warning (NET-12).
	HasInternetRoute bool
	// Usable reports whether the connection exists and can be used by a
	// catalog (NET-2): ready, or failed only in a step that still allows
	// catalogs.
	Usable bool
}

// connected reports whether c is a connection with network connectivity.
func (c Connection) connected() bool { return c.Kind.IsValid() && c.Kind != network.KindNone }

// Machines returns how many machines the catalog needs for its users
// (CAT-2): one per user for single-session personas, ⌈users ÷ users per
// machine⌉ for multi-session ones. It returns 0 and the problems when the
// persona or the users are not valid.
func (s Spec) Machines() (int, error) {
	return s.Persona.Machines(len(s.Users))
}

// EffectiveRegion returns the region the catalog's machines run in: the
// connection's for a catalog on a connection, the Spec's own with No
// connectivity (REG-2).
func (s Spec) EffectiveRegion(conn Connection) network.Region {
	if s.Connection != "" {
		return conn.Region
	}
	return s.Region
}

// Persistence returns whether the catalog's machines keep users' changes.
func (s Spec) Persistence() Persistence { return PersistenceOf(s.MachineType) }

// Sizes returns the catalog's VM size and backup size (CAT-14): VMSize, or
// the persona's size when VMSize is empty, and BackupVMSize.
func (s Spec) Sizes() Sizes {
	primary := s.VMSize
	if primary == "" {
		primary = s.Persona.VMSize
	}
	return Sizes{Primary: primary, Backup: s.BackupVMSize}
}

// Validate checks s against the facts of the connection it names (the zero
// Connection when s.Connection is empty) and reports every problem at once,
// each naming its rule:
//
//   - CAT-5: the name (uniqueness is the Tenant's check);
//   - CAT-1: persona and machine type belong together; CAT-2: at least one
//     user, each a valid user ID and listed once ignoring case;
//   - SUB-2: a subscription;
//   - NET-2, REG-1, REG-2: the connection facts match the connection named
//     and it is usable; with a connection the catalog takes its region (a
//     different Region is refused), with No connectivity a supported region
//     must be chosen;
//   - IDN-1, IDN-2: the domain type is one the identity table offers for
//     the session type, persistence and connectivity; IDN-4: Active
//     Directory configuration exactly when joined; IDN-3: Intune only for
//     persistent single-session Windows 11 Entra hybrid joined machines;
//   - NAM-1…NAM-8: the naming scheme, and that it can name every machine
//     needed (NAM-8, Scheme.Check);
//   - CAT-3: a connectivity type, the NetScaler Gateway FQDN, and a resource
//     location name for a domain-joined catalog;
//   - IMG-8, IMG-3: the image suits the catalog (image.Compatible);
//     LIC-1: the licenses declared cover it (image.CheckLicense);
//   - CAT-4: the time zone, autoscale settings, and Secure Boot only with a
//     Gen2 image;
//   - CAT-14, IMG-9: the VM sizes are known, differ, and boot the image's
//     generation.
//
// Advice that does not block creation comes back as warnings: IDN-5 for a
// random non-domain-joined catalog, NET-12 for a Virtual WAN spoke without
// a route from 0.0.0.0/0 to the Internet. Warnings are returned even when
// there are errors. No message ever shows the AD password (SEC-1).
func (s Spec) Validate(conn Connection) ([]network.Warning, error) {
	var l rule.List
	var warns []network.Warning

	l.Append(ValidateName(s.Name))

	// CAT-1, CAT-2
	l.Append(quota.CheckPairing(s.Persona, s.MachineType))
	machines := s.checkUsers(&l)

	if strings.TrimSpace(s.Subscription) == "" {
		l.Add("SUB-2", "no subscription; a catalog belongs to one Flex subscription, choose it")
	}

	connected := s.checkConnection(&l, conn)
	if conn.Kind == network.KindVWanConnection && !conn.HasInternetRoute {
		warns = append(warns, network.Warning{ID: "NET-12", Msg: fmt.Sprintf(
			"connection %q is a Virtual WAN spoke without a route from 0.0.0.0/0 to the Internet; machines cannot download setup files, add the route", conn.Name)})
	}

	warns = append(warns, s.checkIdentity(&l, connected)...)
	s.checkNaming(&l, machines)
	s.checkLocation(&l)
	s.checkImage(&l)
	l.Append(s.Schedule.Validate())
	s.checkSizes(&l)
	return warns, l.Err()
}

// checkUsers checks the users (CAT-2) and returns the machines they need,
// or 0 when that cannot be known.
func (s Spec) checkUsers(l *rule.List) int {
	if len(s.Users) == 0 {
		l.Add("CAT-2", "no users; enter the unique users who will use the catalog, at least one")
		return 0
	}
	first := make(map[string]string, len(s.Users))
	for _, u := range s.Users {
		if err := ValidateUserID(u); err != nil {
			l.Add("CAT-2", "%s", rule.Violations(err)[0].Msg)
			continue
		}
		k := foldKey(u)
		if prev, dup := first[k]; dup {
			l.Add("CAT-2", "user %q is listed twice (also as %q); users are unique, ignoring case", u, prev)
			continue
		}
		first[k] = u
	}
	if s.Persona.Validate() != nil {
		return 0
	}
	n, err := s.Persona.Machines(len(s.Users))
	if err != nil {
		return 0
	}
	return n
}

// checkConnection checks the connection facts and the region (NET-2,
// REG-1, REG-2) and reports whether the catalog has network connectivity.
func (s Spec) checkConnection(l *rule.List, conn Connection) bool {
	if s.Connection == "" {
		if conn != (Connection{}) && conn.Kind != network.KindNone {
			l.Add("NET-2", "connection facts for %q (kind %q) were given but the catalog names no connection; give the connection's name or the zero Connection for No connectivity", conn.Name, conn.Kind.DisplayName())
		}
		switch {
		case s.Region == "":
			l.Add("REG-1", "no region; with No connectivity choose a region near the users, one of %s", regionList())
		case !s.Region.IsValid():
			l.Add("REG-1", "region %q is not one Flex supports; want one of %s", string(s.Region), regionList())
		}
		return false
	}
	switch {
	case conn.Name != s.Connection:
		l.Add("NET-2", "the facts given are for connection %q, not %q; pass the facts of the connection the catalog names", conn.Name, s.Connection)
		return true
	case !conn.connected():
		l.Add("NET-2", "connection %q is of kind %q; a catalog on a connection needs VNet peering, an Azure VPN gateway or a Virtual WAN spoke, or no connection named for No connectivity", conn.Name, conn.Kind.DisplayName())
		return false
	case !conn.Usable:
		l.Add("NET-2", "connection %q is not usable yet; wait until it is ready to use", conn.Name)
	}
	switch {
	case !conn.Region.IsValid():
		l.Add("REG-1", "connection %q is in region %q, which Flex does not support", conn.Name, string(conn.Region))
	case s.Region != "" && s.Region != conn.Region:
		l.Add("REG-2", "region %s given, but connection %q is in %s; a catalog on a connection takes the connection's region, leave the region empty", s.Region, conn.Name, conn.Region)
	}
	return true
}

func regionList() string {
	names := make([]string, 0, 18)
	for _, r := range network.Regions() {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}

// checkIdentity checks the domain configuration (IDN-1…IDN-5) and returns
// the IDN-5 warning when it applies.
func (s Spec) checkIdentity(l *rule.List, connected bool) []network.Warning {
	d := s.Domain
	session, persistence := s.MachineType.Session(), s.Persistence()
	if !d.IsValid() {
		l.Add("IDN-1", "domain type %v is not one of: non-domain-joined, Active Directory, Entra hybrid joined", d)
	} else if session.IsValid() && !IdentitySupported(connected, session, persistence, d) {
		if !connected {
			l.Add("IDN-2", "%s catalog needs a network connection; with No connectivity only non-domain-joined is supported", withArticle(d))
		} else {
			l.Add("IDN-1", "%v %v machines cannot be %v", persistence, session, d)
		}
	}
	switch {
	case d.Joined():
		l.Append(s.AD.Validate())
	case s.AD != (image.ADConfig{}):
		l.Add("IDN-4", "Active Directory settings given for %s catalog; clear them or choose Active Directory or Entra hybrid joined", withArticle(d))
	}
	if s.Intune && !IntuneSupported(session, persistence, s.Image.OS, d) {
		l.Add("IDN-3", "Intune enrollment asked for %v %v %v machines on %v; only persistent (static) single-session Windows 11 machines that are Entra hybrid joined can be enrolled",
			persistence, session, d, s.Image.OS)
	}
	if s.MachineType == quota.Random && d == image.NonDomainJoined {
		return []network.Warning{{ID: "IDN-5", Msg: "non-domain-joined catalogs do not support Profile Management, so users of a random catalog lose their settings at logoff; consider a static catalog"}}
	}
	return nil
}

// defaultCapacity is how many machines the default naming scheme (NAM-9)
// names: three digit wildcards in a 15-character name, which cannot grow.
func defaultCapacity() int {
	s, err := naming.Default("XXXXX", bytes.NewReader(make([]byte, 64)))
	if err != nil {
		return 0
	}
	return s.Capacity()
}

// checkNaming checks the naming scheme and its capacity (NAM-1…NAM-8).
func (s Spec) checkNaming(l *rule.List, machines int) {
	if s.NamingScheme == "" {
		if c := defaultCapacity(); machines > c {
			l.Add("NAM-8", "the default naming scheme names at most %d machines; this catalog needs %d, give a naming scheme with room for them", c, machines)
		}
		return
	}
	sch, err := naming.Parse(s.NamingScheme, s.WildcardKind)
	if err != nil {
		l.Append(err)
		return
	}
	if machines > 0 {
		l.Append(sch.Check(machines))
	}
}

// maxLocationName bounds a resource location name (a decision: the
// documentation sets none).
const maxLocationName = 64

// checkLocation checks the resource location and connectivity (CAT-3).
func (s Spec) checkLocation(l *rule.List) {
	switch name := s.ResourceLocation; {
	case name == "":
		if s.Domain.Joined() {
			l.Add("CAT-3", "no resource location; a domain-joined catalog needs the name of the resource location its machines reside in")
		}
	case !utf8.ValidString(name) || strings.TrimSpace(name) != name || utf8.RuneCountInString(name) > maxLocationName:
		l.Add("CAT-3", "resource location name %q is not 1 to %d characters of text without surrounding spaces", name, maxLocationName)
	}
	switch c := s.Connectivity; {
	case !c.IsValid():
		l.Add("CAT-3", "connectivity type %v is not one of: Gateway service, NetScaler Gateway, Direct", c)
	case c == NetScalerGateway:
		if msg := hostnameProblem(s.GatewayFQDN); msg != "" {
			l.Add("CAT-3", "NetScaler Gateway FQDN %q %s; want the FQDN of the gateway's virtual server, such as gateway.example.com", s.GatewayFQDN, msg)
		}
	case s.GatewayFQDN != "":
		l.Add("CAT-3", "a gateway FQDN %q is given for connectivity type %v; only NetScaler Gateway takes one", s.GatewayFQDN, c)
	}
}

// checkImage checks the image (IMG-8, LIC-1) and Secure Boot (CAT-4).
func (s Spec) checkImage(l *rule.List) {
	if s.Image.Name == "" {
		l.Add("IMG-8", "no image; choose an image compatible with the catalog's session and domain type")
		return
	}
	if session := s.MachineType.Session(); session.IsValid() && s.Domain.IsValid() {
		l.Append(image.Compatible(s.Image, session, s.Domain))
	}
	l.Append(image.CheckLicense(s.Image, s.Licenses...))
	if s.SecureBoot && !image.SupportsSecureBoot(s.Image) {
		l.Add("CAT-4", "Secure Boot needs a Gen2 image; image %q is %v", s.Image.Name, s.Image.Generation)
	}
}

// checkSizes checks the VM size and the backup size (CAT-14, IMG-9).
func (s Spec) checkSizes(l *rule.List) {
	sz := s.Sizes()
	gen := s.Image.Generation
	check := func(what, name string) (image.VMSize, bool) {
		size, ok := image.LookupSize(name)
		if !ok {
			l.Add("CAT-14", "%s %q is not a VM size Flex offers; choose one such as Standard_D4s_v5", what, name)
			return size, false
		}
		if gen.IsValid() && !size.Supports(gen) {
			l.Add("IMG-9", "%s %s supports %v only; image %q is %v", what, size.Name, size.Generations, s.Image.Name, gen)
		}
		return size, true
	}
	var primary image.VMSize
	okPrimary := false
	if sz.Primary != "" {
		primary, okPrimary = check("VM size", sz.Primary)
	}
	if sz.Backup == "" {
		return
	}
	backup, okBackup := check("backup VM size", sz.Backup)
	switch {
	case sz.Primary == "":
		l.Add("CAT-14", "backup VM size %q given without a VM size; a backup size stands in for a chosen size, choose that first", sz.Backup)
	case okPrimary && okBackup && primary.Name == backup.Name:
		l.Add("CAT-14", "backup VM size %s is the VM size itself; choose a different size as the backup", backup.Name)
	}
}

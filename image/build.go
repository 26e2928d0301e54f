package image

import (
	"net/netip"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// BuildSpec is what an administrator enters to build a new image from an
// existing one with the image builder (IMG-2). The zero value is not valid;
// Validate says what is missing.
type BuildSpec struct {
	Name string // the new image's name (IMG-7 rules)
	// Base is the Ready image the new one starts from: a prepared, built
	// or imported image.
	Base         Image
	Subscription string // the Flex subscription the image belongs to
	// Connection names the network connection the build machine uses;
	// empty means No connectivity.
	Connection string
	// Region is where the build machine runs; chosen only with No
	// connectivity (REG-2), otherwise the connection's region is used.
	// The network package validates region names.
	Region string
	// Domain is NonDomainJoined or ActiveDirectory; the image builder
	// offers no other.
	Domain DomainType
	AD     ADConfig // required with ActiveDirectory, empty otherwise
	// Username and Password are the logon credentials for RDP to the
	// build machine; the password is a secret (SEC-1).
	Username string
	Password secret.Value
	Size     string // the build machine's VM size, such as "Standard_D4s_v5"
	// AllowedIPs restricts RDP to the build machine to these ranges;
	// empty allows any address (Citrix recommends restricting it).
	AllowedIPs []netip.Prefix
	Notes      string // at most 1,024 characters
}

// Validate reports every problem of s at once, each naming its rule: the
// name (IMG-2), a Ready base image (IMG-3), the subscription, connection or
// region (IMG-2, REG-2), the domain (IMG-2, IDN-2, IDN-4), the logon
// credentials (IMG-2: Azure's rules for administrator names and passwords
// of the base image's OS), the size and its generation support (IMG-2,
// IMG-9), the allowed IP ranges and the notes (IMG-2). Secrets never appear
// in the messages (SEC-1).
func (s BuildSpec) Validate() error {
	var l rule.List
	checkName(&l, "IMG-2", s.Name)
	switch {
	case s.Base.Name == "" || s.Base.Origin == 0:
		l.Add("IMG-2", "no base image; choose a prepared, built or imported image to start from")
	case s.Base.State != Ready:
		l.Add("IMG-3", "base image %q is in state %s (%s); only a Ready image can be the base of a build", s.Base.Name, s.Base.State, s.Base.State.Display())
	}
	if strings.TrimSpace(s.Subscription) == "" {
		l.Add("IMG-2", "no subscription; choose the Azure subscription the image belongs to")
	}
	switch {
	case s.Connection == "" && strings.TrimSpace(s.Region) == "":
		l.Add("IMG-2", "no network connection and no region; with No connectivity choose the region for the build machine")
	case s.Connection != "" && s.Region != "":
		l.Add("REG-2", "region %q given with connection %q; a build on a connection takes the connection's region, leave the region empty", s.Region, s.Connection)
	}
	switch s.Domain {
	case NonDomainJoined:
		if s.AD != (ADConfig{}) {
			l.Add("IMG-2", "Active Directory settings given for a non-domain-joined build; clear them or choose Active Directory")
		}
	case ActiveDirectory:
		if s.Connection == "" {
			l.Add("IDN-2", "an Active Directory build needs a network connection; with No connectivity only non-domain-joined is supported")
		}
		l.Append(s.AD.Validate())
	default:
		l.Add("IMG-2", "domain type %s; the image builder offers non-domain-joined or Active Directory", s.Domain)
	}
	checkLogon(&l, s.Base.OS, s.Username, s.Password)
	if size, ok := LookupSize(s.Size); !ok {
		l.Add("IMG-2", "machine size %q is not one DaaS Flex offers; choose one such as Standard_D4s_v5", s.Size)
	} else if s.Base.Generation.IsValid() && !size.Supports(s.Base.Generation) {
		l.Add("IMG-9", "machine size %s supports %s only; base image %q is %s%s", size.Name, size.Generations, s.Base.Name, s.Base.Generation, alternatives(size, s.Base.Generation))
	}
	checkPrefixes(&l, s.AllowedIPs)
	checkNotes(&l, "IMG-2", s.Notes)
	return l.Err()
}

// Warnings returns what is allowed in s but advised against, apart from its
// errors: RDP to the build machine open to every address, because no
// restricted IP range is given or one of them is 0.0.0.0/0 or ::/0 (IMG-2;
// Citrix recommends restricting the allowed range).
func (s BuildSpec) Warnings() []*rule.Violation {
	var w []*rule.Violation
	if len(s.AllowedIPs) == 0 {
		w = append(w, rule.Errorf("IMG-2", "no restricted IP range; RDP to the build machine is open to every address, add the ranges your administrators connect from"))
	}
	for _, p := range s.AllowedIPs {
		if p.IsValid() && p.Bits() == 0 {
			w = append(w, rule.Errorf("IMG-2", "restricted IP range %s allows every address; add the ranges your administrators connect from instead", p))
		}
	}
	return w
}

// Image returns the image s builds, in state Pending: the base image's OS,
// session type, generation and VDA, with s's name, domain type and notes.
// Call Validate first.
func (s BuildSpec) Image() Image {
	return Image{
		Name:       s.Name,
		OS:         s.Base.OS,
		Session:    s.Base.Session,
		Generation: s.Base.Generation,
		Domain:     s.Domain,
		Origin:     OriginBuilt,
		State:      Pending,
		VDA:        s.Base.VDA,
		Notes:      s.Notes,
	}
}

func checkPrefixes(l *rule.List, ps []netip.Prefix) {
	seen := make(map[netip.Prefix]bool, len(ps))
	for i, p := range ps {
		switch {
		case !p.IsValid():
			l.Add("IMG-2", "allowed IP range %d is not a valid prefix; want an address range such as 203.0.113.0/24", i+1)
		case p != p.Masked():
			l.Add("IMG-2", "allowed IP range %s has host bits set; want %s", p, p.Masked())
		case seen[p]:
			l.Add("IMG-2", "allowed IP range %s is listed twice; remove the duplicate", p)
		}
		seen[p] = true
	}
}

// ADConfig is the Active Directory configuration of a domain-joined build
// or catalog (IDN-4): the domain's FQDN, an optional OU, and a service
// account with its password, a secret (SEC-1). The zero value is empty.
type ADConfig struct {
	Domain         string // fully qualified domain name, such as "corp.example.com"
	OU             string // optional distinguished name, such as "OU=VDAs,DC=corp,DC=example,DC=com"
	ServiceAccount string // account that joins machines: "user", "CORP\user" or "user@corp.example.com"
	Password       secret.Value
}

// Validate reports every problem of c at once (IDN-4): an FQDN of at least
// two labels, an OU that is a distinguished name when given, a service
// account name and a non-empty password. The password never appears in the
// messages (SEC-1).
func (c ADConfig) Validate() error {
	var l rule.List
	if msg := fqdnProblem(c.Domain); msg != "" {
		l.Add("IDN-4", "domain %q %s; want a fully qualified domain name such as corp.example.com", c.Domain, msg)
	}
	if c.OU != "" {
		if msg := dnProblem(c.OU); msg != "" {
			l.Add("IDN-4", "OU %q %s; want a distinguished name such as OU=VDAs,DC=corp,DC=example,DC=com, or nothing", c.OU, msg)
		}
	}
	if msg := accountProblem(c.ServiceAccount); msg != "" {
		l.Add("IDN-4", "service account %q %s; want user, DOMAIN\\user or user@domain", c.ServiceAccount, msg)
	}
	if c.Password.IsZero() {
		l.Add("IDN-4", "the service account password is empty; enter it")
	}
	return l.Err()
}

// fqdnProblem describes what is wrong with a domain FQDN, or returns "".
func fqdnProblem(d string) string {
	if d == "" {
		return "is empty"
	}
	if len(d) > 253 {
		return "is longer than 253 characters"
	}
	labels := strings.Split(strings.TrimSuffix(d, "."), ".")
	if len(labels) < 2 {
		return "has a single label"
	}
	for _, lab := range labels {
		if lab == "" || len(lab) > 63 {
			return "has an empty label or one longer than 63 characters"
		}
		if lab[0] == '-' || lab[len(lab)-1] == '-' {
			return "has a label starting or ending with '-'"
		}
		for i := range len(lab) {
			if c := lab[i]; !isLetter(c) && !isDigit(c) && c != '-' {
				return "has a character other than letters, digits, '-' and '.'"
			}
		}
	}
	if allDigits(labels[len(labels)-1]) {
		return "ends with a numeric label"
	}
	return ""
}

// dnProblem describes what is wrong with a distinguished name, or returns "".
func dnProblem(dn string) string {
	var rdns []string
	start, esc := 0, false
	for i := range len(dn) {
		switch {
		case esc:
			esc = false
		case dn[i] == '\\':
			esc = true
		case dn[i] == ',':
			rdns = append(rdns, dn[start:i])
			start = i + 1
		}
	}
	rdns = append(rdns, dn[start:])
	for _, rdn := range rdns {
		k, v, ok := strings.Cut(strings.TrimSpace(rdn), "=")
		if !ok || strings.TrimSpace(v) == "" {
			return "has a component without a value"
		}
		switch strings.ToUpper(strings.TrimSpace(k)) {
		case "OU", "DC", "CN":
		default:
			return "has a component other than OU=, CN= or DC="
		}
	}
	return ""
}

// accountProblem describes what is wrong with a service account name, or
// returns "".
func accountProblem(a string) string {
	if strings.TrimSpace(a) == "" {
		return "is empty"
	}
	if utf8.RuneCountInString(a) > 256 {
		return "is longer than 256 characters"
	}
	user := a
	if dom, u, ok := strings.Cut(a, `\`); ok {
		if dom == "" || u == "" {
			return `has an empty domain or user around '\'`
		}
		user = u
	} else if u, dom, ok := strings.Cut(a, "@"); ok {
		if u == "" || fqdnProblem(dom) != "" {
			return "is not user@domain with a fully qualified domain"
		}
		user = u
	}
	if strings.ContainsAny(user, `"/\[]:;|=,+*?<>@`) || strings.TrimSpace(user) != user {
		return `has a character not allowed in an account name (" / \ [ ] : ; | = , + * ? < > @ or surrounding spaces)`
	}
	return ""
}

// Azure's rules for the administrator account of a virtual machine.
const (
	maxWindowsUser = 20
	maxLinuxUser   = 32
	minWindowsPass = 12
	maxWindowsPass = 123
	minLinuxPass   = 6
	maxLinuxPass   = 72
)

// reservedUsers are names Azure refuses for a VM's administrator account.
var reservedUsers = []string{
	"1", "123", "a", "actuser", "adm", "admin", "admin1", "admin2", "administrator", "aspnet",
	"backup", "console", "david", "guest", "john", "owner", "root", "server", "sql", "support",
	"support_388945a0", "sys", "test", "test1", "test2", "test3", "user", "user1", "user2",
	"user3", "user4", "user5",
}

// weakPasswords are passwords Azure refuses for a VM's administrator.
var weakPasswords = []string{
	"abc@123", "iloveyou!", "P@$$w0rd", "P@ssw0rd", "P@ssword123", "Pa$$word",
	"pass@word1", "Password!", "Password1", "Password22",
}

// checkLogon checks the build machine's logon credentials against Azure's
// rules for administrator accounts of os (IMG-2), never printing the
// password (SEC-1).
func checkLogon(l *rule.List, os OS, user string, pw secret.Value) {
	linux := os.IsLinux()
	maxUser, minPass, maxPass := maxWindowsUser, minWindowsPass, maxWindowsPass
	if linux {
		maxUser, minPass, maxPass = maxLinuxUser, minLinuxPass, maxLinuxPass
	}
	n := utf8.RuneCountInString(user)
	switch {
	case n == 0:
		l.Add("IMG-2", "no logon user name; enter the account for RDP to the build machine")
	case n > maxUser:
		l.Add("IMG-2", "logon user name %q is %d characters; at most %d on %s", user, n, maxUser, os)
	}
	if n > 0 {
		if slices.Contains(reservedUsers, strings.ToLower(user)) {
			l.Add("IMG-2", "logon user name %q is reserved by Azure; choose another name", user)
		}
		if linux {
			if !linuxUser(user) {
				l.Add("IMG-2", "logon user name %q is not allowed on Linux; want letters, digits, '-' and '_', not starting with a digit or '-'", user)
			}
		} else if strings.ContainsAny(user, `\/"[]:|<>+=;,?*@& `) || strings.HasSuffix(user, ".") {
			l.Add("IMG-2", `logon user name %q is not allowed on Windows; want no spaces or \ / " [ ] : | < > + = ; , ? * @ &, and no '.' at the end`, user)
		}
	}
	p := pw.Reveal()
	pn := utf8.RuneCountInString(p)
	if pn < minPass || pn > maxPass {
		l.Add("IMG-2", "logon password is %d characters; want %d to %d on %s", pn, minPass, maxPass, os)
	}
	if classes := passwordClasses(p); pn > 0 && classes < 3 {
		l.Add("IMG-2", "logon password has %d of the 4 character kinds; want 3 of lower case, upper case, digits and special characters", classes)
	}
	if slices.Contains(weakPasswords, p) {
		l.Add("IMG-2", "logon password is one Azure refuses as too common; choose another")
	}
	if len(user) >= 3 && strings.Contains(strings.ToLower(p), strings.ToLower(user)) {
		l.Add("IMG-2", "logon password contains the user name %q; choose one that does not", user)
	}
}

func linuxUser(u string) bool {
	for i := range len(u) {
		c := u[i]
		switch {
		case isLetter(c) || c == '_':
		case (isDigit(c) || c == '-') && i > 0:
		default:
			return false
		}
	}
	return true
}

// passwordClasses counts the kinds of characters in p: lower case, upper
// case, digits and others.
func passwordClasses(p string) int {
	var lower, upper, digit, other bool
	for _, r := range p {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	n := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			n++
		}
	}
	return n
}

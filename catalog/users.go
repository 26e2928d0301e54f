package catalog

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/daasflex/daasflex/rule"
)

// PrincipalKind says whether a directory object is a user or a group.
// The zero value is unset and valid for nothing.
type PrincipalKind uint8

// The kinds of principal.
const (
	User PrincipalKind = iota + 1
	Group
)

// String returns "user" or "group".
func (k PrincipalKind) String() string {
	switch k {
	case User:
		return "user"
	case Group:
		return "group"
	}
	return "PrincipalKind(" + strconv.Itoa(int(k)) + ")"
}

// IsValid reports whether k is User or Group.
func (k PrincipalKind) IsValid() bool { return k == User || k == Group }

// Bounds of account names (a decision following Active Directory): the
// pre-Windows 2000 name (sAMAccountName) of a user is at most 20
// characters, of a group at most 256; a NetBIOS domain name at most 15;
// a user principal name at most 256 with a local part of at most 64.
const (
	maxSAMUser    = 20
	maxSAMGroup   = 256
	maxNetBIOS    = 15
	maxUPN        = 256
	maxUPNLocal   = 64
	maxDirectory  = 256
	samForbidden  = `"/\[]:;|=,+*?<>@`
	upnForbidden  = ` "(),:;<>[\]`
	netbiosForbid = `\/:*?"<>|. `
)

// Principal is a user or group of a directory that is given access to a
// catalog (CAT-9). Its ID is how the directory names it: a user principal
// name ("alice@corp.example.com"), a pre-Windows 2000 name with its domain
// ("CORP\alice") or the bare account name ("alice"). IDs and directories
// compare ignoring case. The zero value is not valid.
type Principal struct {
	Directory string // the directory the principal comes from, such as "corp.example.com"
	Kind      PrincipalKind
	ID        string
}

// String returns "user CORP\alice (corp.example.com)".
func (p Principal) String() string {
	return fmt.Sprintf("%v %s (%s)", p.Kind, p.ID, p.Directory)
}

// Validate reports every problem of p at once (CAT-9): a directory name,
// a kind, and an ID of one of the accepted forms.
func (p Principal) Validate() error {
	var l rule.List
	switch d := p.Directory; {
	case strings.TrimSpace(d) == "":
		l.Add("CAT-9", "%v %q has no directory; users and groups are added from a directory, name it", p.Kind, p.ID)
	case len(d) > maxDirectory || !utf8.ValidString(d) || strings.TrimSpace(d) != d:
		l.Add("CAT-9", "directory %q is not a directory name; want at most %d characters of text without surrounding spaces", d, maxDirectory)
	}
	if !p.Kind.IsValid() {
		l.Add("CAT-9", "principal %q is of kind %v; want user or group", p.ID, p.Kind)
	}
	if msg := accountIDProblem(p.ID, p.Kind); msg != "" {
		l.Add("CAT-9", "%v %q %s", kindWord(p.Kind), p.ID, msg)
	}
	return l.Err()
}

func kindWord(k PrincipalKind) string {
	if k.IsValid() {
		return k.String()
	}
	return "principal"
}

// key is the set key of a principal: its directory and ID, ignoring case.
func (p Principal) key() string { return foldKey(p.Directory) + "\x00" + foldKey(p.ID) }

// ValidateUserID reports, as a CAT-9 violation, why id cannot name a user
// of a directory, or nil. See Principal for the forms accepted.
func ValidateUserID(id string) error {
	if msg := accountIDProblem(id, User); msg != "" {
		return rule.Errorf("CAT-9", "user %q %s", id, msg)
	}
	return nil
}

// accountIDProblem describes what is wrong with id as the ID of a principal
// of kind k, or returns "". Accepted: a UPN local@domain (local part of at
// most 64 characters without spaces or "(),:;<>[\], a domain of dot-separated
// labels), DOMAIN\name (a NetBIOS domain of 1–15 characters) or a bare name;
// a name has at most 20 characters for a user and 256 for a group, none of
// " / \ [ ] : ; | = , + * ? < > @ and no control character, and is not
// only spaces and periods nor ends with a period.
func accountIDProblem(id string, k PrincipalKind) string {
	const want = "; want a user principal name such as alice@corp.example.com, DOMAIN\\name or a bare account name"
	if id == "" {
		return "is empty" + want
	}
	if !utf8.ValidString(id) {
		return "is not valid UTF-8" + want
	}
	if strings.TrimSpace(id) != id {
		return "has surrounding spaces; remove them"
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f {
			return "has a control character" + want
		}
	}
	if dom, name, ok := strings.Cut(id, `\`); ok {
		switch {
		case dom == "" || utf8.RuneCountInString(dom) > maxNetBIOS:
			return fmt.Sprintf("has a domain of %d characters before '\\'; want a NetBIOS domain name of 1 to %d", utf8.RuneCountInString(dom), maxNetBIOS)
		case strings.ContainsAny(dom, netbiosForbid):
			return fmt.Sprintf("has a domain %q with a character not allowed in a NetBIOS name (%s or a space)", dom, netbiosForbid[:len(netbiosForbid)-1])
		}
		return samProblem(name, k)
	}
	if local, domain, ok := strings.Cut(id, "@"); ok {
		switch {
		case utf8.RuneCountInString(id) > maxUPN:
			return fmt.Sprintf("is %d characters; a user principal name has at most %d", utf8.RuneCountInString(id), maxUPN)
		case local == "" || utf8.RuneCountInString(local) > maxUPNLocal:
			return fmt.Sprintf("has a part of %d characters before '@'; want 1 to %d", utf8.RuneCountInString(local), maxUPNLocal)
		case strings.ContainsAny(local, upnForbidden) || strings.HasPrefix(local, ".") || strings.HasSuffix(local, "."):
			return "has a character not allowed before '@' (a space or \"(),:;<>[\\]) or a period at its start or end" + want
		}
		if msg := hostnameProblem(domain); msg != "" {
			return "has a domain after '@' that " + msg
		}
		return ""
	}
	return samProblem(id, k)
}

// samProblem describes what is wrong with name as a pre-Windows 2000
// account name of kind k, or returns "".
func samProblem(name string, k PrincipalKind) string {
	limit := maxSAMUser
	if k == Group {
		limit = maxSAMGroup
	}
	n := utf8.RuneCountInString(name)
	switch {
	case n == 0:
		return "has an empty account name; want 1 to " + strconv.Itoa(limit) + " characters"
	case n > limit:
		return fmt.Sprintf("has an account name of %d characters; a %v's has at most %d", n, kindWord(k), limit)
	case strings.ContainsAny(name, samForbidden):
		return `has a character not allowed in an account name (" / \ [ ] : ; | = , + * ? < > @)`
	case strings.Trim(name, ". ") == "":
		return "has an account name of only spaces and periods"
	case strings.HasSuffix(name, "."):
		return "has an account name ending with a period"
	}
	return ""
}

// hostnameProblem describes what is wrong with h as a DNS host or domain
// name of at least two labels, or returns "".
func hostnameProblem(h string) string {
	h = strings.TrimSuffix(h, ".")
	switch {
	case h == "":
		return "is empty"
	case len(h) > 253:
		return "is longer than 253 characters"
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return "has a single label; want a fully qualified name such as corp.example.com"
	}
	for _, lab := range labels {
		if lab == "" || len(lab) > 63 {
			return "has an empty label or one longer than 63 characters"
		}
		if lab[0] == '-' || lab[len(lab)-1] == '-' {
			return "has a label starting or ending with '-'"
		}
		for i := 0; i < len(lab); i++ {
			c := lab[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return "has a character other than letters, digits, '-' and '.'"
			}
		}
	}
	if _, allDigits := digits(labels[len(labels)-1]); allDigits {
		return "ends with a numeric label"
	}
	return ""
}

// Principals is the set of users and groups that have access to a catalog
// (CAT-9). Members are unique by directory and ID, ignoring case; adding one
// that is already there changes nothing. Removing a member takes away its
// access to the catalog and never touches the directory.
//
// The zero value is an empty set ready to use. A Principals is not safe for
// concurrent use; copy it with Clone.
type Principals struct {
	m map[string]Principal
}

// Add adds every principal of ps that is not yet a member and reports how
// many were added. Nothing is added when any principal is invalid or has
// the directory and ID of a member of the other kind; the error lists every
// problem (CAT-9).
func (s *Principals) Add(ps ...Principal) (int, error) {
	var l rule.List
	batch := make(map[string]Principal, len(ps))
	for _, p := range ps {
		if err := p.Validate(); err != nil {
			l.Append(err)
			continue
		}
		k := p.key()
		other, ok := s.m[k]
		if !ok {
			other, ok = batch[k]
		}
		if ok && other.Kind != p.Kind {
			l.Add("CAT-9", "%s is already %v; a directory object is either a user or a group", p, other)
			continue
		}
		if _, member := s.m[k]; !member && !ok {
			batch[k] = p // the first spelling stays
		}
	}
	if err := l.Err(); err != nil {
		return 0, err
	}
	if s.m == nil {
		s.m = make(map[string]Principal, len(batch))
	}
	for k, p := range batch {
		s.m[k] = p
	}
	return len(batch), nil
}

// Remove removes the principal with p's directory and ID (ignoring case and
// kind) from the set and reports whether it was a member. It only takes
// away the principal's access to the catalog: the user or group stays in
// its directory.
func (s *Principals) Remove(p Principal) bool {
	k := p.key()
	if _, ok := s.m[k]; !ok {
		return false
	}
	delete(s.m, k)
	return true
}

// Contains reports whether the principal with p's directory and ID is a
// member, ignoring case.
func (s Principals) Contains(p Principal) bool {
	_, ok := s.m[p.key()]
	return ok
}

// Len returns the number of members.
func (s Principals) Len() int { return len(s.m) }

// List returns the members sorted by directory, kind and ID, ignoring case.
// The slice is new on every call.
func (s Principals) List() []Principal {
	// The map keys hold the folded directory and ID already: sort by
	// them, so that no comparison folds or allocates.
	type member struct {
		dir, id string
		p       Principal
	}
	ms := make([]member, 0, len(s.m))
	for k, p := range s.m {
		dir, id, _ := strings.Cut(k, "\x00")
		ms = append(ms, member{dir, id, p})
	}
	slices.SortFunc(ms, func(a, b member) int {
		return cmp.Or(
			strings.Compare(a.dir, b.dir),
			cmp.Compare(a.p.Kind, b.p.Kind),
			strings.Compare(a.id, b.id),
		)
	})
	out := make([]Principal, len(ms))
	for i, m := range ms {
		out[i] = m.p
	}
	return out
}

// Clone returns an independent copy of the set.
func (s Principals) Clone() Principals {
	if s.m == nil {
		return Principals{}
	}
	m := make(map[string]Principal, len(s.m))
	for k, p := range s.m {
		m[k] = p
	}
	return Principals{m: m}
}

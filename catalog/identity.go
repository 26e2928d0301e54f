package catalog

import (
	"strconv"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/quota"
)

// Persistence says whether a catalog's machines keep a user's changes
// (the "Persistent vs Non-persistent" column of the machine identity table).
// The zero value is unset and valid for nothing.
type Persistence uint8

// The persistence of machines.
const (
	Persistent    Persistence = iota + 1 // changes kept: static machines
	NonPersistent                        // changes discarded at logoff: random and multi-session machines
)

// String returns "persistent" or "non-persistent".
func (p Persistence) String() string {
	switch p {
	case Persistent:
		return "persistent"
	case NonPersistent:
		return "non-persistent"
	}
	return "Persistence(" + strconv.Itoa(int(p)) + ")"
}

// IsValid reports whether p is Persistent or NonPersistent.
func (p Persistence) IsValid() bool { return p == Persistent || p == NonPersistent }

// PersistenceOf returns the persistence of machines of type mt: Persistent
// for static machines, NonPersistent for random and multi-session machines,
// 0 for an invalid type. Flex offers no persistent multi-session catalog, so
// the table's "Multi-session, Persistent" rows are never reached by a Spec;
// they are kept because the documentation lists them.
func PersistenceOf(mt quota.MachineType) Persistence {
	switch mt {
	case quota.Static:
		return Persistent
	case quota.Random, quota.MultiSessionMachine:
		return NonPersistent
	}
	return 0
}

// IdentityRow is one row of the machine identity table of the documentation
// (IDN-1, IDN-2): for machines with or without network connectivity, of a
// session type and persistence, which domain types are available.
type IdentityRow struct {
	Connected       bool // with network connectivity
	Session         quota.SessionType
	Persistence     Persistence
	NonDomainJoined bool
	ActiveDirectory bool
	EntraHybrid     bool
}

// Supports reports whether the row offers domain type d.
func (r IdentityRow) Supports(d image.DomainType) bool {
	switch d {
	case image.NonDomainJoined:
		return r.NonDomainJoined
	case image.ActiveDirectory:
		return r.ActiveDirectory
	case image.EntraHybrid:
		return r.EntraHybrid
	}
	return false
}

// IdentityTable returns the machine identity table of the documentation
// ("Citrix DaaS Flex for Azure", Machine identity) as data, in its order:
// with network connectivity every session type and persistence supports
// non-domain-joined, Active Directory joined and Entra hybrid joined
// machines (IDN-1); without connectivity only non-domain-joined (IDN-2).
// The slice is new on every call.
func IdentityTable() []IdentityRow {
	const ms, ss = quota.MultiSession, quota.SingleSession
	return []IdentityRow{
		{true, ms, Persistent, true, true, true},
		{true, ms, NonPersistent, true, true, true},
		{true, ss, Persistent, true, true, true},
		{true, ss, NonPersistent, true, true, true},
		{false, ms, Persistent, true, false, false},
		{false, ms, NonPersistent, true, false, false},
		{false, ss, Persistent, true, false, false},
		{false, ss, NonPersistent, true, false, false},
	}
}

// IdentitySupported reports whether machines of session type s and
// persistence p, with or without network connectivity, can be of domain
// type d, by the machine identity table (IDN-1, IDN-2). Invalid inputs are
// supported by nothing.
func IdentitySupported(connected bool, s quota.SessionType, p Persistence, d image.DomainType) bool {
	for _, r := range IdentityTable() {
		if r.Connected == connected && r.Session == s && r.Persistence == p {
			return r.Supports(d)
		}
	}
	return false
}

// IntuneSupported reports whether machines can be enrolled in Microsoft
// Intune (IDN-3): only persistent single-session Windows 11 machines that
// are Entra hybrid joined.
func IntuneSupported(s quota.SessionType, p Persistence, os image.OS, d image.DomainType) bool {
	return s == quota.SingleSession && p == Persistent && os == image.Windows11 && d == image.EntraHybrid
}

// CheckRemoteAccess reports, as a TRB-1 violation, why administrators
// cannot reach the machines of catalog name, of domain type d, through a
// bastion or RDP access, or nil when they can: only domain-joined (Active
// Directory or Entra hybrid joined) catalogs allow it.
func CheckRemoteAccess(name string, d image.DomainType) error {
	if d.Joined() {
		return nil
	}
	return ruleErrorf("TRB-1", "catalog %q is %v; bastion and RDP access are only for domain-joined catalogs (Active Directory or Entra hybrid joined)", name, d)
}

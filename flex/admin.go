package flex

import (
	"context"
	"fmt"
	"slices"
)

// Role is a built-in administrator role of the service (ADM-1).
type Role string

// The built-in roles. Cloud and Quick Deploy Administrators can do every
// Flex action; a Read Only Administrator can only read; the other roles
// have no access to Flex (Quick Deploy).
const (
	CloudAdministrator          Role = "Cloud Administrator"
	QuickDeployAdministrator    Role = "Quick Deploy Administrator"
	ReadOnlyAdministrator       Role = "Read Only Administrator"
	DeliveryGroupAdministrator  Role = "Delivery Group Administrator"
	FullMonitorAdministrator    Role = "Full Monitor Administrator"
	HelpDeskAdministrator       Role = "Help Desk Administrator"
	HostAdministrator           Role = "Host Administrator"
	MachineCatalogAdministrator Role = "Machine Catalog Administrator"
	ProbeAgentAdministrator     Role = "Probe Agent Administrator"
	SessionAdministrator        Role = "Session Administrator"
)

// Access is what a role may do with one node of the console.
type Access int

// Levels of access, from none to full.
const (
	NoAccess Access = iota
	ReadAccess
	FullAccess
)

// String returns "No", "Read-only" or "Yes", as the docs' permission table.
func (a Access) String() string {
	switch a {
	case ReadAccess:
		return "Read-only"
	case FullAccess:
		return "Yes"
	}
	return "No"
}

// Permission is one row of the docs' permission table: a console node and
// what a Cloud Administrator and a Quick Deploy Administrator may do there.
type Permission struct {
	Node        string
	Cloud       Access
	QuickDeploy Access
}

// Permissions is the documentation's table of the differences between a
// Cloud Administrator and a Quick Deploy Administrator (ADM-1), as data.
var permissions = []Permission{
	{"StoreFronts", FullAccess, ReadAccess},
	{"Administrators", FullAccess, ReadAccess},
	{"Cost Management", FullAccess, NoAccess},
	{"Director/Monitor", FullAccess, NoAccess},
	{"SecureBrowser", FullAccess, NoAccess},
	{"Advisor", FullAccess, NoAccess},
	{"Download", FullAccess, FullAccess},
	{"Backup and restore", FullAccess, NoAccess},
	{"Quick Deploy", FullAccess, FullAccess},
	{"Home", FullAccess, FullAccess},
	{"Search", FullAccess, FullAccess},
	{"Application Groups", FullAccess, FullAccess},
	{"Application Packages", FullAccess, FullAccess},
	{"Delivery Group", FullAccess, FullAccess},
	{"Entitlement Policy Rules", FullAccess, FullAccess},
	{"Hosting", FullAccess, FullAccess},
	{"Images", FullAccess, FullAccess},
	{"Logging", FullAccess, FullAccess},
	{"Machine Catalogs", FullAccess, FullAccess},
	{"Policies", FullAccess, FullAccess},
	{"Service Accounts", FullAccess, FullAccess},
	{"Settings", FullAccess, FullAccess},
	{"UPM", FullAccess, FullAccess},
	{"Zone", FullAccess, FullAccess},
}

// Permissions returns a copy of the docs' permission table (ADM-1).
func Permissions() []Permission { return slices.Clone(permissions) }

// NodeAccess returns what role may do with a console node of the
// permission table. A Read Only Administrator reads every node; roles other
// than Cloud, Quick Deploy and Read Only Administrator have no access.
func NodeAccess(role Role, node string) Access {
	i := slices.IndexFunc(permissions, func(p Permission) bool { return p.Node == node })
	if i < 0 {
		return NoAccess
	}
	switch role {
	case CloudAdministrator:
		return permissions[i].Cloud
	case QuickDeployAdministrator:
		return permissions[i].QuickDeploy
	case ReadOnlyAdministrator:
		return ReadAccess
	}
	return NoAccess
}

// FlexAccess returns what role may do with Flex objects: the role's access
// to the Quick Deploy node.
func FlexAccess(role Role) Access { return NodeAccess(role, "Quick Deploy") }

// Admin is the administrator on whose behalf a call is made.
type Admin struct {
	Name string
	Role Role
}

// String returns "alice (Read Only Administrator)".
func (a Admin) String() string { return fmt.Sprintf("%s (%s)", a.Name, a.Role) }

type adminKey struct{}

// AsAdmin returns a context whose Tenant calls are made on behalf of a. A
// call whose context carries no administrator acts as the tenant's owner
// (see WithOwner).
func AsAdmin(ctx context.Context, a Admin) context.Context {
	return context.WithValue(ctx, adminKey{}, a)
}

// AdminFrom returns the administrator ctx carries, if any.
func AdminFrom(ctx context.Context) (Admin, bool) {
	a, ok := ctx.Value(adminKey{}).(Admin)
	return a, ok
}

package flex

import (
	"fmt"
	"slices"
	"strings"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
)

// catalogState is the Tenant's catalogs and resource locations. Its maps
// are guarded by Tenant.mu.
type catalogState struct {
	catalogs map[string]*catalogObj // by fold(name)
}

// catalogObj is one catalog as the Tenant holds it.
type catalogObj struct {
	name         string
	subscription string
	connection   string // "" for No connectivity
	domain       image.DomainType
	image        string // the image new machines are made from (CAT-7)

	machines []*machineObj // in the order they were made
}

// machineObj is one machine of a catalog.
type machineObj struct {
	m catalog.Machine
}

// catalogsUsingConnection names the catalogs that use the connection,
// sorted (NET-8, NET-15). Catalogs being created or deleted count. t.mu
// must be held.
func (t *Tenant) catalogsUsingConnection(name string) []string {
	var out []string
	for _, c := range t.catalogs {
		if c.connection != "" && strings.EqualFold(c.connection, name) {
			out = append(out, c.name)
		}
	}
	slices.Sort(out)
	return out
}

// catalogsUsingImage names the catalogs whose current image is name,
// sorted (IMG-7). t.mu must be held.
func (t *Tenant) catalogsUsingImage(name string) []string {
	var out []string
	for _, c := range t.catalogs {
		if strings.EqualFold(c.image, name) {
			out = append(out, c.name)
		}
	}
	slices.Sort(out)
	return out
}

// machinesUsingImage counts the machines made from the image, including
// those a static catalog keeps on it after an image update (CAT-7, IMG-7).
// t.mu must be held.
func (t *Tenant) machinesUsingImage(name string) int {
	n := 0
	for _, c := range t.catalogs {
		for _, m := range c.machines {
			if !m.m.Deleted && strings.EqualFold(m.m.Image, name) {
				n++
			}
		}
	}
	return n
}

// catalogDomain returns the connection a catalog uses ("" for No
// connectivity) and whether its machines are domain-joined (TRB-1), or an
// ErrNotFound error. t.mu must be held.
func (t *Tenant) catalogDomain(catalogName string) (connection string, domainJoined bool, err error) {
	c, ok := t.catalogs[fold(catalogName)]
	if !ok {
		return "", false, Errorf(ErrNotFound, "", fmt.Sprintf("catalog %q", catalogName), "the tenant has no catalog named %q", catalogName)
	}
	return c.connection, c.domain.Joined(), nil
}

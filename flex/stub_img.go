package flex

// Temporary stubs of lookups that key.go, catalog.go, machine.go and
// rundue.go are to provide, so that the image and troubleshooting code
// compiles and runs before they land. Delete each one when its real
// function is on main.

import (
	"fmt"
	"strings"
)

// keyFor returns the key vault key of the subscription named name (stub of
// key.go: no key exists until it lands). t.mu held.
func (t *Tenant) keyFor(op, subscription, name string) (ResourceID, error) {
	return ResourceID{}, refuse(ErrNotFound, op, fmt.Sprintf("key %q", name), "KEY-2", "subscription %q has no key named %q; add it first", subscription, name)
}

// catalogsRenameImage points the subscription's catalogs and machines that
// use image old at its new name (stub of catalog.go, which keys image use by
// name). t.mu held.
func (t *Tenant) catalogsRenameImage(subscription, old, new string) {
	for _, c := range t.catalogs {
		if !strings.EqualFold(c.subscription, subscription) {
			continue
		}
		if strings.EqualFold(c.image, old) {
			c.image = new
		}
		for _, m := range c.machines {
			if strings.EqualFold(m.m.Image, old) {
				m.m.Image = new
			}
		}
	}
}

// catalogMachine returns the VM of a machine of a catalog: the machine's
// name in the catalog's resource group (stub of machine.go). t.mu held.
func (t *Tenant) catalogMachine(op, catalog, machine string) (ResourceID, error) {
	c := t.catalogs[fold(catalog)]
	if c == nil {
		return ResourceID{}, Errorf(ErrNotFound, op, fmt.Sprintf("catalog %q", catalog), "the tenant has no catalog named %q", catalog)
	}
	s := t.subs[fold(c.subscription)]
	for _, m := range c.machines {
		if strings.EqualFold(m.m.Name, machine) && !m.m.Deleted && s != nil {
			return ResourceID{Subscription: s.azureID, ResourceGroup: t.groupName("catalog", c.name), Type: TypeVirtualMachine, Name: m.m.Name}, nil
		}
	}
	return ResourceID{}, Errorf(ErrNotFound, op, fmt.Sprintf("machine %q", machine), "catalog %q has no machine named %q", catalog, machine)
}

package flex

import "strings"

// Temporary stubs of lookups other areas of the Tenant own, with the
// agreed signatures; each goes when its owner's version lands. All are
// called with t.mu held.

// machinesUsingConnection counts the machines of the catalogs on the
// connection (NET-15). Owned by catalogs.
func (t *Tenant) machinesUsingConnection(name string) int {
	n := 0
	for _, c := range t.catalogs {
		if c.connection != "" && strings.EqualFold(c.connection, name) {
			for _, m := range c.machines {
				if !m.m.Deleted {
					n++
				}
			}
		}
	}
	return n
}

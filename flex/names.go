package flex

import (
	"fmt"

	"github.com/daasflex/daasflex/rule"
)

// Machine names are unique in the tenant (a decision: two machines of one
// Active Directory, or of one tenant's Workspace, cannot share a computer
// name). New machines are named around every name the tenant's machines
// have or are being given, as Citrix MCS skips the computer accounts that
// exist, so catalogs may share a naming scheme, or have schemes whose names
// overlap ("AB#" grows to AB10 … AB99, which "AB##" names too).

// machineNames returns the folded computer names of every machine of the
// tenant, made or being made: the machines of every catalog and those its
// CreateCatalog or AddMachines has named and not yet recorded, the Cloud
// Connectors of every resource location and those being added, and the
// build machines and bastions. t.mu must be held.
func (t *Tenant) machineNames() map[string]bool {
	taken := make(map[string]bool)
	for _, c := range t.catalogs {
		for _, m := range c.machines {
			taken[fold(m.m.Name)] = true
		}
		for _, n := range c.pending {
			taken[fold(n)] = true
		}
	}
	for _, l := range t.locations {
		for _, cn := range l.connectors {
			taken[fold(cn.name)] = true
		}
		for _, n := range l.planned {
			taken[fold(n)] = true
		}
	}
	for _, o := range t.images {
		if o.builder != nil {
			taken[builderVM] = true
		}
	}
	if len(t.bastions) > 0 {
		taken[bastionVM] = true
	}
	return taken
}

// planNames names n new machines of c by its scheme from its next number
// on, skipping every name in use or reserved in the tenant (NAM-7), and
// returns them with the number after the last. When the scheme cannot name
// that many, even growing (NAM-8), it returns the NAM-8 violation, which
// counts the names it skipped. It changes nothing: reserveNames does.
// t.mu must be held.
func (t *Tenant) planNames(c *catalogObj, n int) (names []string, next int, err error) {
	if err := c.scheme.Check(c.next - 1 + n); err != nil {
		return nil, 0, err
	}
	if n == 0 {
		return nil, c.next, nil
	}
	taken := t.machineNames()
	names = make([]string, 0, n)
	skipped, first := 0, ""
	k := c.next
	for ; len(names) < n; k++ {
		name, err := c.scheme.Name(k)
		if err != nil {
			var l rule.List
			l.Add("NAM-8", "%q can name %d machines; %d of the names from the catalog's next one on, such as %q, belong to other machines of the tenant, which leaves room for %d more; this catalog needs %d",
				c.scheme, c.scheme.Capacity(), skipped, first, len(names), n)
			return nil, 0, l.Err()
		}
		if taken[fold(name)] {
			if skipped++; first == "" {
				first = name
			}
			continue
		}
		names = append(names, name)
	}
	return names, k, nil
}

// reserveNames reserves the names planNames gave for new machines of c
// until the machines are recorded (or given up, releaseNames): no other
// machine of the tenant gets them, and the catalog's numbering goes on
// after them. t.mu must be held.
func (c *catalogObj) reserveNames(names []string, next int) {
	c.pending = names
	c.next = next
}

// releaseNames ends the reservation of reserveNames: the machines made are
// recorded, or given up. The numbers stay used. t.mu must be held.
func (c *catalogObj) releaseNames() { c.pending = nil }

// connectorName is the name of the n-th Cloud Connector of a resource
// location with the given prefix.
func connectorName(prefix string, n int) string { return fmt.Sprintf("%sCC-%02d", prefix, n) }

// planConnectorNames names n new connectors of l from its next number on,
// skipping every name in use or reserved in the tenant, and returns them
// with the number of the last. t.mu must be held.
func (t *Tenant) planConnectorNames(l *locationObj, n int) (names []string, last int) {
	if n <= 0 {
		return nil, l.nextConn
	}
	taken := t.machineNames()
	k := l.nextConn
	for len(names) < n {
		k++
		if name := connectorName(l.prefix, k); !taken[fold(name)] {
			names = append(names, name)
		}
	}
	return names, k
}

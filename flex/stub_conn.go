package flex

import (
	"net/netip"
	"strings"

	"github.com/daasflex/daasflex/network"
)

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

// imagesUsingConnection names the image builds on the connection (NET-8,
// NET-15). Owned by images.
func (t *Tenant) imagesUsingConnection(name string) []string { return nil }

// bastionsUsingConnection names the bastions on the connection (NET-8,
// NET-15). Owned by troubleshooting.
func (t *Tenant) bastionsUsingConnection(name string) []string { return nil }

// connectionHosts returns the image builders and the bastion on the
// connection and its RDP access range (FW-4, FW-5). Owned by
// troubleshooting.
func (t *Tenant) connectionHosts(connection string) (hosts []network.RDPHost, rdpAccess netip.Prefix) {
	return nil, netip.Prefix{}
}

package flex

import (
	"context"
	"net/netip"
	"time"

	"github.com/daasflex/daasflex/network"
)

// Hooks for the external tests of the contract functions that other areas
// of the Tenant call (catalogs, images, bastions).

// TestSubnet is a subnet addSubnet gave, for tests.
type TestSubnet = connSubnet

// ManagedSubnetForTest registers the managed network of owner and gives
// owner a subnet of it, as a catalog on No connectivity does.
func (t *Tenant) ManagedSubnetForTest(ctx context.Context, subscription string, region network.Region, owner string, machines int, domainJoined bool) (TestSubnet, error) {
	t.mu.Lock()
	c := t.managedConnection(subscription, region, owner)
	t.mu.Unlock()
	if err := t.ensureNetwork(ctx, c); err != nil {
		return TestSubnet{}, err
	}
	t.mu.Lock()
	p := t.firewallPolicy(c, domainJoined)
	t.mu.Unlock()
	return t.addSubnet(ctx, c, owner, machines, p)
}

// ConnectionSubnetForTest gives owner a subnet of the named connection, as
// a catalog on a connection does.
func (t *Tenant) ConnectionSubnetForTest(ctx context.Context, subscription, name, owner string, machines int, domainJoined bool) (TestSubnet, error) {
	t.mu.Lock()
	c, err := t.connectionFor("test", subscription, name)
	if err != nil {
		t.mu.Unlock()
		return TestSubnet{}, err
	}
	p := t.firewallPolicy(c, domainJoined)
	t.mu.Unlock()
	return t.addSubnet(ctx, c, owner, machines, p)
}

// RemoveSubnetForTest removes a subnet of the named connection (or
// managed network owner).
func (t *Tenant) RemoveSubnetForTest(ctx context.Context, name string, s TestSubnet) error {
	t.mu.Lock()
	c := t.connForTest(name)
	t.mu.Unlock()
	if c == nil {
		return nil
	}
	return t.removeSubnet(ctx, c, s)
}

// ConnectionFactsForTest returns facts() of the named connection.
func (t *Tenant) ConnectionFactsForTest(subscription, name string) (Usable bool, hasInternet bool, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, err := t.connectionFor("test", subscription, name)
	if err != nil {
		return false, false, err
	}
	f := c.facts()
	return f.Usable, f.HasInternetRoute, nil
}

// SubnetPrefix returns the subnet's range.
func SubnetPrefix(s TestSubnet) netip.Prefix { return s.Prefix }

// RefreshFirewallForTest re-puts the NSGs of the named connection.
func (t *Tenant) RefreshFirewallForTest(ctx context.Context, name string) error {
	t.mu.Lock()
	c := t.connForTest(name)
	t.mu.Unlock()
	return t.refreshFirewall(ctx, c)
}

// ReleaseSubnetsForTest removes every subnet of owner on the named
// connection.
func (t *Tenant) ReleaseSubnetsForTest(ctx context.Context, name, owner string) error {
	t.mu.Lock()
	c := t.connForTest(name)
	t.mu.Unlock()
	return t.releaseSubnets(ctx, c, owner)
}

// ReleaseManagedForTest forgets the managed network of owner, as an owner
// whose resource group was deleted does.
func (t *Tenant) ReleaseManagedForTest(owner string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.releaseManagedConnection(t.connForTest(owner))
}

// StuckForTest returns the stuck-provisioning warnings at the tenant's now.
func (t *Tenant) StuckForTest() []network.Warning {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stuckConnections(t.now())
}

// DueKeysForTest returns the key rotation warnings at now.
func (t *Tenant) DueKeysForTest(now time.Time) []network.Warning {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.keyWarnings(now)
}

// connForTest returns the connection, or Citrix-managed network, named
// name; nil when there is none. t.mu held.
func (t *Tenant) connForTest(name string) *connection {
	c, _ := t.lookupConn("test", name)
	return c
}

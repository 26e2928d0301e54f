package flex

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

// DeleteConnection deletes a connection and every cloud resource it made,
// on its side and the customer's. It is refused while a catalog, an image
// build, a bastion or RDP access uses it (NET-8), and while another change is under
// way (ErrBusy). The connection is Deleting meanwhile; when the cloud
// refuses, it is DeleteFailed with the cloud's message and the delete can
// be retried. Citrix-managed networks go with the catalog or image build
// that owns them and cannot be deleted on their own.
func (t *Tenant) DeleteConnection(ctx context.Context, name string) error {
	const op = "DeleteConnection"
	obj := fmt.Sprintf("connection %q", name)
	c, err := t.authorizedConn(ctx, op, name)
	if err != nil {
		return err
	}
	if c.managed {
		return Errorf(ErrPrecondition, op, c.object(), "NET-8: a Citrix-managed network goes with %s; delete that instead", c.name)
	}
	c.net.Lock()
	defer c.net.Unlock()

	t.mu.Lock()
	if c.gone {
		t.mu.Unlock()
		return Errorf(ErrNotFound, op, obj, "the tenant has no connection named %q", name)
	}
	if c.busy {
		busyErr := Errorf(ErrBusy, op, c.object(), "%s is %s; try again when it completes", c.object(), c.status.State.DisplayName()) // built under the lock: it reads fields others write
		t.mu.Unlock()
		return busyErr
	}
	if users := t.connUsers(c); len(users) > 0 {
		t.mu.Unlock()
		return &Error{Kind: ErrPrecondition, Op: op, Object: c.object(), Err: rule.Errorf("NET-8",
			"%s is used by %s; delete or disable them first", c.object(), strings.Join(users, ", "))}
	}
	txn := t.newTxn()
	next, err := c.status.Next(network.StateDeleting, txn, t.now(), "")
	if err != nil {
		t.mu.Unlock()
		return &Error{Kind: ErrPrecondition, Op: op, Object: c.object(), Err: err}
	}
	c.status, c.busy = next, true
	t.mu.Unlock()

	terr := t.teardown(ctx, c)

	t.mu.Lock()
	defer t.mu.Unlock()
	c.busy = false
	if terr != nil {
		c.status, _ = c.status.Next(network.StateDeleteFailed, txn, t.now(), terr.Error())
		return connErr(op, c.object(), terr)
	}
	t.forget(c)
	return nil
}

// Connections lists the tenant's connections by name, Citrix-managed
// networks included, each with what uses it (NET-15) and its usable
// addresses (NET-14).
func (t *Tenant) Connections(ctx context.Context) ([]Connection, error) {
	if err := t.authorize(ctx, "Connections", false); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Connection, 0, len(t.conns))
	for _, c := range t.conns {
		v := t.view(c)
		v.Warnings = nil
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b Connection) int { return strings.Compare(fold(a.Name), fold(b.Name)) })
	return out, nil
}

// dueConnections is RunDue's part for connections: a NET-12 warning for
// every connection stuck provisioning at now. t.mu must not be held.
func (t *Tenant) dueConnections(ctx context.Context, now time.Time) ([]string, []network.Warning, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return nil, t.stuckConnections(now), nil
}

// stuckConnections returns a NET-12 warning for every connection that has
// been Provisioning for more than network.StuckAfter at now, naming its
// transaction ID for support, for the RunDue dispatcher. t.mu must be
// held.
func (t *Tenant) stuckConnections(now time.Time) []network.Warning {
	var ws []network.Warning
	for _, c := range t.conns {
		if c.status.Stuck(now) {
			ws = append(ws, network.Warning{ID: "NET-12", Msg: fmt.Sprintf(
				"%s has been Provisioning since %s, more than %v; give support its transaction ID %s",
				c.object(), c.status.Since.Format(time.RFC3339), network.StuckAfter, c.status.TransactionID)})
		}
	}
	slices.SortFunc(ws, func(a, b network.Warning) int { return strings.Compare(a.Msg, b.Msg) })
	return ws
}

// authorizedConn authorizes the write operation op (ADM-1) and returns
// the connection named name, as lookupConn does. t.mu must not be held.
func (t *Tenant) authorizedConn(ctx context.Context, op, name string) (*connection, error) {
	if err := t.authorize(ctx, op, true); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lookupConn(op, name)
}

// lookupConn returns the named connection, or the Citrix-managed network
// of that name, such as "catalog/Sales"; ErrNotFound when there is none,
// ErrConflict when managed networks of several subscriptions have the
// name (an image's, SUB-2). t.mu held.
func (t *Tenant) lookupConn(op, name string) (*connection, error) {
	t.initConns()
	if c, ok := t.conns[fold(name)]; ok {
		return c, nil
	}
	var found []*connection
	for _, c := range t.conns {
		if c.managed && strings.EqualFold(c.name, name) {
			found = append(found, c)
		}
	}
	obj := fmt.Sprintf("connection %q", name)
	switch len(found) {
	case 0:
		return nil, Errorf(ErrNotFound, op, obj, "the tenant has no connection named %q", name)
	case 1:
		return found[0], nil
	}
	var subs []string
	for _, c := range found {
		subs = append(subs, fmt.Sprintf("%q", c.sub))
	}
	slices.Sort(subs)
	return nil, Errorf(ErrConflict, op, obj, "Citrix-managed networks named %q are in subscriptions %s; each goes with its owner", name, strings.Join(subs, ", "))
}

// connUsage counts what uses the connection (NET-15): the catalogs, image
// builds and bastions the other areas report and those with a subnet in
// its VNet, and the catalogs' machines. t.mu held.
func (t *Tenant) connUsage(c *connection) network.Usage {
	cats, imgs, bas := t.connUserNames(c)
	return network.Usage{Catalogs: len(cats), Machines: t.machinesUsingConnection(c.name), Images: len(imgs), Bastions: len(bas)}
}

// connUsers names every user of the connection, for NET-8: catalogs,
// image builds, bastions, and the RDP access opened on it, which is
// troubleshooting access as a bastion is (TRB-3). t.mu held.
func (t *Tenant) connUsers(c *connection) []string {
	cats, imgs, bas := t.connUserNames(c)
	var out []string
	for _, n := range cats {
		out = append(out, fmt.Sprintf("catalog %q", n))
	}
	for _, n := range imgs {
		out = append(out, fmt.Sprintf("image build %q", n))
	}
	for _, n := range bas {
		out = append(out, fmt.Sprintf("bastion %q", n))
	}
	if r := t.rdpAccess[fold(c.name)]; r != nil && r.c == c {
		out = append(out, fmt.Sprintf("the RDP access opened through catalog %q (DisableRDPAccess)", r.catalog))
	}
	seen := map[string]bool{}
	for _, su := range c.subnets {
		k, n, _ := strings.Cut(su.owner, "/")
		if k == "catalog" || k == "image" || k == "bastion" || seen[su.owner] {
			continue
		}
		seen[su.owner] = true
		if k == "location" {
			out = append(out, fmt.Sprintf("the Cloud Connectors of resource location %s", n))
		} else {
			out = append(out, su.owner)
		}
	}
	return out
}

// connUserNames returns the names of the catalogs, image builds and
// bastions on the connection, each sorted and listed once. t.mu held.
func (t *Tenant) connUserNames(c *connection) (cats, imgs, bas []string) {
	if !c.managed {
		cats = t.catalogsUsingConnection(c.name)
		imgs = t.imagesUsingConnection(c.name)
		bas = t.bastionsUsingConnection(c.name)
	}
	for _, su := range c.subnets {
		k, n, _ := strings.Cut(su.owner, "/")
		switch k {
		case "catalog":
			cats = append(cats, n)
		case "image":
			imgs = append(imgs, n)
		case "bastion":
			bas = append(bas, n)
		}
	}
	return uniqFold(cats), uniqFold(imgs), uniqFold(bas)
}

// uniqFold sorts names and drops repeats, ignoring case.
func uniqFold(names []string) []string {
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(fold(a), fold(b)) })
	return slices.CompactFunc(names, strings.EqualFold)
}

// view returns the value view of a connection. t.mu held.
func (t *Tenant) view(c *connection) Connection {
	return Connection{
		Name:            c.name,
		Subscription:    c.sub,
		Kind:            c.kind,
		Region:          c.region,
		Status:          c.status,
		Stuck:           c.status.Stuck(t.now()),
		Spec:            redacted(c.spec),
		Ranges:          slices.Clone(c.ranges),
		UsableAddresses: network.UsableAddresses(c.vdaRanges...),
		Usage:           t.connUsage(c),
		NATPublicIP:     c.natIP,
		GatewayIP:       c.gatewayIP,
		Managed:         c.managed,
		Warnings:        slices.Clone(c.warnings),
	}
}

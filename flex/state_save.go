package flex

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/network"
)

// Save writes the Tenant's whole control-plane state to w, so that Load
// can build an equal Tenant from it later, in another process, over the
// same cloud. Tenant.Reconcile then compares the state with the cloud.
//
// The state is one JSON document of version StateVersion, sealed with a
// SHA-256 checksum of its own bytes, so that any change to it after Save —
// a flipped, lost or added byte — makes Load refuse it. Its top level is
//
//	{
//	  "version": 1,
//	  "checksum": "sha256:…",
//	  "tenant": {"id": …, "limits": {…}, "secrets": "excluded" | "aes-256-gcm", "keyCheck": …},
//	  "subscriptions": […], "connections": […], "keys": […], "images": […],
//	  "catalogs": […], "locations": […], "bastions": […], "rdpAccess": […],
//	  "activities": […]
//	}
//
// and each object holds what rebuilds it exactly: specs, states and
// statuses with their transaction IDs, subnets, Citrix-managed networks,
// machines with their snapshots, users, apps, schedules, resource
// locations with their connectors, build machines, bastions, RDP access,
// and troubleshooting activities with their logs. Every field is written,
// enums by name. What follows from the rest is not: resource IDs follow
// from names, a connection's address ranges from its spec, and the quota
// ledger's usage (LIM-*) is counted again by Load.
//
// Secrets. The Tenant keeps the pre-shared keys of VPN connections and the
// client secrets of Virtual WAN spokes; the passwords of domain service
// accounts, build machines and bastions, and imported key material, are
// used when given and never kept (SEC-1). With a state key (WithStateKey),
// each secret is sealed with AES-256-GCM under the key, with a random
// nonce, bound to its tenant and connection; Load needs the same key.
// Without one, Save leaves the secrets out, and after Load each connection
// takes its secret again with its next UpdateConnection
// (ConnectionUpdate.PSK, ConnectionUpdate.ClientSecret), which refuses to
// change it otherwise (AZ-5, NET-12). No secret is ever written in clear.
//
// Consistency. The state is read at one instant under the Tenant's lock.
// Save refuses with ErrBusy, naming what is busy, while long work is in
// flight (a catalog provisioning or adding machines, a connection
// changing, an image build step, a connector restarting, a troubleshooting
// action running…): such work has made only part of its cloud resources,
// and a state saved halfway could not be carried on. Try again when it
// completes. A connection stuck Provisioning (NET-12) is not work in
// flight and is saved as it is. Writing to w happens after the lock is
// released.
func (t *Tenant) Save(w io.Writer) error {
	const op = "Save"
	if err := t.authorize(context.Background(), op, false); err != nil {
		return err
	}
	if t.stateKeyErr != nil {
		return &Error{Kind: ErrInvalid, Op: op, Object: "state key", Err: t.stateKeyErr}
	}
	t.mu.Lock()
	if busy := t.inFlight(); len(busy) > 0 {
		t.mu.Unlock()
		return Errorf(ErrBusy, op, "tenant "+t.id, "work is in flight on %s; save when it completes", strings.Join(busy, ", "))
	}
	doc, secrets := t.snapshotState()
	t.mu.Unlock()

	doc.Tenant.Secrets = secretsExcluded
	if t.stateKey != nil {
		s, err := newSealer(t.stateKey, doc.Tenant.ID)
		if err != nil {
			return &Error{Kind: ErrInvalid, Op: op, Object: "state key", Err: err}
		}
		doc.Tenant.Secrets = secretsSealed
		if doc.Tenant.KeyCheck, err = s.seal("key-check", keyCheckText); err != nil {
			return &Error{Op: op, Object: "state key", Err: err}
		}
		for _, sec := range secrets {
			if *sec.to, err = s.seal(sec.where, sec.plain); err != nil {
				return &Error{Op: op, Object: sec.where, Err: err}
			}
		}
	}
	doc.Checksum = checksumPlaceholder
	b, err := encodeJSON(doc)
	if err == nil {
		err = sealSaved(b)
	}
	if err != nil {
		return &Error{Kind: ErrInvalid, Op: op, Object: "tenant " + t.id, Err: err}
	}
	if _, err := w.Write(b); err != nil {
		return &Error{Op: op, Object: "tenant " + t.id, Err: err}
	}
	return nil
}

// secretOut is a secret of the state and where its sealed form goes.
type secretOut struct {
	where string  // what it is, bound into the seal
	plain string  // the secret
	to    *string // the document's field
}

// inFlight names the objects that long work is changing now, at most ten,
// sorted. t.mu must be held.
func (t *Tenant) inFlight() []string {
	var out []string
	for _, s := range t.subs {
		if s.pending {
			out = append(out, fmt.Sprintf("subscription %q", s.name))
		}
	}
	// A connection changes with busy set; a managed network is made
	// within its owner's work, which shows below. A connection that is
	// Provisioning or Deleting without being busy is stuck there (NET-12):
	// that is its state, and it is saved.
	for _, c := range t.conns {
		if c.busy {
			out = append(out, c.object())
		}
	}
	for _, k := range t.cmKeys {
		if k.busy {
			out = append(out, k.object())
		}
	}
	for _, o := range t.images {
		if o.busy != "" {
			out = append(out, imageObject(o.img.Name))
		}
	}
	for _, b := range t.bastions {
		if b.busy != "" {
			out = append(out, bastionObject(b.conn))
		}
	}
	for _, r := range t.rdpAccess {
		if r.busy {
			out = append(out, rdpObject(r.conn))
		}
	}
	for _, a := range t.activities {
		if a.State == ActivityRunning {
			out = append(out, fmt.Sprintf("troubleshooting activity %d", a.ID))
		}
	}
	for _, c := range t.catalogs {
		if c.status.Busy() || !c.status.State.IsValid() || c.status.State == catalog.Processing || c.status.State == catalog.Deleting {
			out = append(out, c.obj())
			continue
		}
		for _, m := range c.machines {
			if m.busy != "" {
				out = append(out, fmt.Sprintf("machine %q of catalog %q", m.m.Name, c.name))
			}
		}
	}
	for _, l := range t.locations {
		if l.pending || l.deleting || l.busy != "" {
			out = append(out, fmt.Sprintf("resource location %q", l.name))
			continue
		}
		for _, cn := range l.connectors {
			if cn.state == ConnectorProvisioning || cn.state == ConnectorRebooting || cn.state == ConnectorDeleting {
				out = append(out, fmt.Sprintf("connector %q of resource location %q", cn.name, l.name))
			}
		}
	}
	u := t.ledger.Usage()
	reserved := u.ADDomains.Reserved + u.Catalogs.Reserved + u.ResourceLocations.Reserved
	for _, s := range u.Subscriptions {
		reserved += s.VDAs.Reserved
	}
	for _, l := range u.Locations {
		reserved += l.ADDomains.Reserved + l.SingleSessionUsers.Reserved + l.MultiSessionUsers.Reserved
	}
	if reserved != 0 {
		out = append(out, "the quota ledger (reservations in progress)")
	}
	slices.Sort(out)
	if len(out) > 10 {
		out = append(out[:10], fmt.Sprintf("%d more", len(out)-10))
	}
	return out
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// snapshotState returns the document of the Tenant's state, without its
// checksum and secrets, and the secrets to seal into it. Nothing in the
// document shares memory with the Tenant. t.mu must be held.
func (t *Tenant) snapshotState() (*stateDoc, []secretOut) {
	doc := &stateDoc{
		Version: StateVersion,
		Tenant:  tenantDoc{ID: t.id, Limits: t.limits},
	}
	var secrets []secretOut
	for _, k := range sortedKeys(t.subs) {
		s := t.subs[k]
		doc.Subscriptions = append(doc.Subscriptions, subscriptionDoc{Name: s.name, AzureID: s.azureID})
	}
	doc.Connections = make([]connectionDoc, len(t.conns))
	// By name, then subscription: Citrix-managed networks of two
	// subscriptions may share a name (an image's).
	conns := slices.SortedFunc(maps.Values(t.conns), func(a, b *connection) int {
		if c := strings.Compare(fold(a.name), fold(b.name)); c != 0 {
			return c
		}
		return strings.Compare(fold(a.sub), fold(b.sub))
	})
	for i, c := range conns {
		// The secrets point into doc.Connections, which is not grown.
		secrets = append(secrets, t.connectionDoc(c, &doc.Connections[i])...)
	}
	for _, k := range sortedKeys(t.cmKeys) {
		key := t.cmKeys[k]
		doc.Keys = append(doc.Keys, keyDoc{Name: key.name, Subscription: key.sub, Region: key.region, Source: key.source,
			Version: key.version, Created: key.created, RotationPeriod: key.period})
	}
	for _, k := range sortedKeys(t.images) {
		doc.Images = append(doc.Images, imageDocOf(t.images[k]))
	}
	for _, k := range sortedKeys(t.catalogs) {
		doc.Catalogs = append(doc.Catalogs, catalogDocOf(t.catalogs[k]))
	}
	for _, k := range sortedKeys(t.locations) {
		doc.Locations = append(doc.Locations, locationDocOf(t.locations[k]))
	}
	for _, k := range sortedKeys(t.bastions) {
		b := t.bastions[k]
		bd := bastionDoc{Subscription: b.sub, Connection: b.conn, Catalog: b.catalog, Username: b.username,
			Source: b.source, Size: b.size, VM: !b.vm.IsZero(), Address: b.addr, Registered: b.registered,
			Power: b.power, Created: b.created, PoweredOn: b.poweredOn, Failure: b.failure}
		if b.hasSubnet {
			bd.Subnet = b.subnet.Name
		}
		doc.Bastions = append(doc.Bastions, bd)
	}
	for _, k := range sortedKeys(t.rdpAccess) {
		r := t.rdpAccess[k]
		doc.RDPAccess = append(doc.RDPAccess, rdpAccessDoc{Subscription: r.sub, Connection: r.conn, Catalog: r.catalog,
			Source: r.source, Enabled: r.enabled})
	}
	for _, a := range t.activities {
		doc.Activities = append(doc.Activities, activityDoc{Activity: a.Activity, Log: a.log.String()})
	}
	return doc, secrets
}

// connectionDoc fills cd with c and returns c's secrets. t.mu held.
func (t *Tenant) connectionDoc(c *connection, cd *connectionDoc) []secretOut {
	*cd = connectionDoc{
		Name: c.name, Subscription: c.sub, Managed: c.managed, Region: c.region, Status: c.status,
		Ranges: slices.Clone(c.ranges), Ready: c.ready, RouteOK: c.routeOK, NATOK: c.natOK, AutoNAT: c.autoNAT,
		NATPublicIP: c.natIP, GatewayIP: c.gatewayIP, Warnings: slices.Clone(c.warnings),
	}
	for _, su := range c.subnets {
		cd.Subnets = append(cd.Subnets, subnetDoc{Name: su.Name, Prefix: su.Prefix, Owner: su.owner, DomainJoined: su.domainJoined})
	}
	var secrets []secretOut
	switch s := redacted(c.spec).(type) {
	case network.NoConnectivitySpec:
		cd.Spec.NoConnectivity = &s
	case network.PeeringSpec:
		cd.Spec.Peering = &s
	case network.VPNSpec:
		cd.Spec.VPN = &s
		psk := c.spec.(network.VPNSpec).PSK.Reveal()
		secrets = append(secrets, secretOut{where: "connection/" + c.name + "/psk", plain: psk, to: &cd.Spec.PSK})
	case network.VWANSpec:
		cd.Spec.VWAN = &s
		cs := c.spec.(network.VWANSpec).Auth.ClientSecret.Reveal()
		secrets = append(secrets, secretOut{where: "connection/" + c.name + "/client-secret", plain: cs, to: &cd.Spec.ClientSecret})
	}
	return secrets
}

func imageDocOf(o *imageObj) imageDoc {
	d := imageDoc{Image: o.img, Subscription: o.sub, ID: o.id, Region: o.region, Connection: o.conn,
		Created: o.created, ManagedImage: !o.managed.IsZero(), Source: o.source, Failure: o.failure}
	if b := o.builder; b != nil {
		d.Builder = &builderDoc{VM: !b.vm.IsZero(), Size: b.size, Username: b.username, Address: b.addr,
			RDPFrom: b.rdp, Registered: b.registered, Power: b.power, RootPasswordChanged: b.rootChanged}
		if b.hasSubnet {
			d.Builder.Subnet = b.subnet.Name
		}
	}
	return d
}

func catalogDocOf(c *catalogObj) catalogDoc {
	d := catalogDoc{
		Name: c.name, Subscription: c.subscription, Connection: c.connection, Region: c.region,
		Persona: c.persona, MachineType: c.mt, Domain: c.domain, ADDomain: c.adDomain, OU: c.adOU,
		Connectivity: c.connectivity, Schedule: c.schedule, SecureBoot: c.secureBoot, Image: c.img,
		Sizes: c.sizes, NamingScheme: c.scheme.String(), WildcardKind: c.scheme.Kind(), NextMachine: c.next,
		Users: c.users, VDAs: c.vdaCount, Location: c.location.id, State: c.status.State, Failure: c.failure,
		Principals: slices.Clone(c.members), Apps: c.apps.List(), Snapshots: c.schedules,
		SnapshotFrom: c.schedFrom, Warnings: slices.Clone(c.warnings), Created: c.created,
	}
	for _, s := range c.subnets {
		d.Subnets = append(d.Subnets, s.s.Name)
	}
	for _, m := range c.machines {
		md := machineDoc{Machine: m.m, Size: m.size, Address: m.addr, PendingImage: m.pendingImage, UpdateAt: m.updateAt}
		if m.slot != nil {
			md.Subnet = m.slot.s.Name
		}
		for _, s := range m.snapshots {
			md.Snapshots = append(md.Snapshots, snapshotDoc{Snapshot: s.s, Incremental: s.incremental})
		}
		d.Machines = append(d.Machines, md)
	}
	return d
}

func locationDocOf(l *locationObj) locationDoc {
	d := locationDoc{
		ID: l.id, Name: l.name, Subscription: l.subscription, Connection: l.connection, Region: l.region,
		Prefix: l.prefix, LastGroup: l.lastGroup, LastOU: l.lastOU, NextConnector: l.nextConn,
		Connectivity: l.connectivity, Updates: l.updates, PendingVersion: l.pendingVer, Published: l.published,
	}
	for _, k := range sortedKeys(l.domainNames) {
		d.Domains = append(d.Domains, l.domainNames[k])
	}
	for _, g := range l.groups {
		d.ResourceGroups = append(d.ResourceGroups, g.Name)
	}
	for _, cn := range l.connectors {
		cd := connectorDoc{Name: cn.name, ResourceGroup: cn.vm.ResourceGroup, Zone: cn.zone, Size: cn.size,
			State: cn.state, Address: cn.addr, Version: cn.version, Health: cn.health, Proxy: cn.proxy}
		if cn.subnet != nil {
			cd.Subnet = cn.subnet.s.Name
		}
		d.Connectors = append(d.Connectors, cd)
	}
	for _, s := range l.subnets {
		d.Subnets = append(d.Subnets, s.s.Name)
	}
	return d
}

package flex

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
)

// ReconcileOptions are what Reconcile may do besides reporting.
type ReconcileOptions struct {
	// RemoveOrphans deletes the orphans found: a resource group whose
	// owner is gone, with everything in it, when all it holds is orphaned;
	// otherwise the orphaned resources one by one. Strays and missing
	// resources are only reported. Removing needs full Flex access (ADM-1).
	RemoveOrphans bool
}

// ReconcileReport is what Reconcile found, each list sorted by resource ID.
type ReconcileReport struct {
	// Orphans are cloud resources tagged for the tenant whose owner (their
	// TagOwner tag) is no Flex object of the tenant: left behind by a
	// crash, a lost state, or made behind the Tenant's back.
	Orphans []Orphan
	// Strays are cloud resources tagged for the tenant whose owner exists
	// but which its state does not account for, such as a machine's VM
	// left after the machine was deleted, or a resource a failed step left
	// behind. They are reported only: deleting them is the administrator's
	// decision.
	Strays []Orphan
	// Missing are the resources the state expects that the cloud lacks,
	// such as a machine's VM deleted behind the Tenant's back.
	Missing []MissingResource
	// Removed are the orphans deleted (RemoveOrphans): resource groups
	// deleted whole, and resources deleted one by one.
	Removed []ResourceID
}

// Clean reports whether the cloud holds exactly what the state says.
func (r ReconcileReport) Clean() bool {
	return len(r.Orphans) == 0 && len(r.Strays) == 0 && len(r.Missing) == 0
}

// Orphan is a cloud resource tagged for the tenant that the state does not
// account for.
type Orphan struct {
	ID    ResourceID
	Owner string // its TagOwner tag, such as "connection/hub"; "" when it has none
}

// String returns "<resource ID> (owner connection/hub)".
func (o Orphan) String() string { return fmt.Sprintf("%s (owner %s)", o.ID, o.Owner) }

// MissingResource is a cloud resource that a Flex object needs and the
// cloud lacks.
type MissingResource struct {
	Object string // the object, such as `catalog "Sales"`
	What   string // what the resource is to it, such as `VM of machine "Sal-0001"`
	ID     ResourceID
}

// String returns `catalog "Sales": VM of machine "Sal-0001" <ID>`.
func (m MissingResource) String() string { return fmt.Sprintf("%s: %s %s", m.Object, m.What, m.ID) }

// Reconcile compares the Tenant's state with the cloud. It lists, in every
// Azure subscription of the tenant and in those of the customer's networks
// its connections reach (or, where the tenant may not list one, gets the
// peerings and hub connections it expects there), the resources tagged
// TagTenant with the tenant's ID, and reports orphans (their TagOwner names no object of the tenant),
// strays (their owner exists but does not account for them) and the
// resources that objects need and the cloud lacks: resource groups, VNets,
// route tables, NAT gateways, subnets' NSGs, peerings, VPN gateways, hub
// connections, keys, images, and the VMs of machines, connectors, build
// machines and bastions, with machines' snapshots. With RemoveOrphans it
// deletes the orphans. A connection, image or bastion whose creation
// failed expects nothing: what is left of it shows as strays.
//
// Like Save, Reconcile refuses with ErrBusy while long work is in flight,
// whose resources are half made. Do not create objects while orphans are
// removed: an object created meanwhile under an orphan's owner name could
// lose resources (its owner is checked again just before each deletion).
func (t *Tenant) Reconcile(ctx context.Context, opts ReconcileOptions) (ReconcileReport, error) {
	const op = "Reconcile"
	obj := "tenant " + t.id
	if err := t.authorize(ctx, op, opts.RemoveOrphans); err != nil {
		return ReconcileReport{}, err
	}
	t.mu.Lock()
	if busy := t.inFlight(); len(busy) > 0 {
		t.mu.Unlock()
		return ReconcileReport{}, Errorf(ErrBusy, op, obj, "work is in flight on %s; reconcile when it completes", strings.Join(busy, ", "))
	}
	want := t.expectedResources()
	subs, customer := t.reconcileSubscriptions()
	t.mu.Unlock()

	var found []Resource
	for _, sub := range subs {
		rs, err := t.netList(ctx, Filter{Subscription: sub, Tags: map[string]string{TagTenant: t.id}})
		if err != nil && customer[fold(sub)] && ctx.Err() == nil {
			// The tenant may not list a customer's subscription: look up
			// what it expects there one by one, and find no orphans there.
			rs, err = t.expectedIn(ctx, sub, want)
		}
		if err != nil {
			return ReconcileReport{}, connErr(op, obj, err)
		}
		found = append(found, rs...)
	}

	var r ReconcileReport
	seen := map[string]bool{}
	osDisks := map[string]bool{}
	for _, res := range found {
		if vm, ok := res.(*VirtualMachine); ok && want[idKey(vm.ID)] != nil {
			osDisks[idKey(vm.OSDisk)] = true
		}
	}
	t.mu.Lock()
	for _, res := range found {
		m := res.Metadata()
		k := idKey(m.ID)
		if seen[k] {
			continue // listed in two subscriptions' views
		}
		seen[k] = true
		owner := m.Tags[TagOwner]
		switch {
		case !t.ownerLive(owner, m.ID.Subscription):
			r.Orphans = append(r.Orphans, Orphan{ID: m.ID, Owner: owner})
		case want[k] != nil, m.ID.Type == TypeDisk && osDisks[k]:
		default:
			r.Strays = append(r.Strays, Orphan{ID: m.ID, Owner: owner})
		}
	}
	t.mu.Unlock()
	for k, w := range want {
		if !seen[k] {
			r.Missing = append(r.Missing, *w)
		}
	}
	byID := func(a, b Orphan) int { return strings.Compare(idKey(a.ID), idKey(b.ID)) }
	slices.SortFunc(r.Orphans, byID)
	slices.SortFunc(r.Strays, byID)
	slices.SortFunc(r.Missing, func(a, b MissingResource) int { return strings.Compare(idKey(a.ID), idKey(b.ID)) })

	if !opts.RemoveOrphans || len(r.Orphans) == 0 {
		return r, nil
	}
	var err error
	r.Removed, err = t.removeOrphans(ctx, r.Orphans)
	if err != nil {
		return r, &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
	}
	return r, nil
}

// idKey is the key of a resource ID in maps: ARM IDs ignore case.
func idKey(id ResourceID) string { return strings.ToLower(id.String()) }

// reconcileSubscriptions returns the Azure subscriptions to list, sorted:
// the tenant's, and the customer's that its connections put resources in,
// which it also returns as a set by fold. t.mu must be held.
func (t *Tenant) reconcileSubscriptions() (subs []string, customer map[string]bool) {
	set := map[string]string{}
	customer = map[string]bool{}
	for _, c := range t.conns {
		var sub string
		switch s := c.spec.(type) {
		case network.PeeringSpec:
			sub = s.RemoteVNet.Subscription
		case network.VWANSpec:
			sub = s.Hub.ID.Subscription
		}
		if sub != "" {
			set[fold(sub)], customer[fold(sub)] = sub, true
		}
	}
	for _, s := range t.subs {
		set[fold(s.azureID)] = s.azureID
		delete(customer, fold(s.azureID))
	}
	for _, k := range sortedKeys(set) {
		subs = append(subs, set[k])
	}
	return subs, customer
}

// expectedIn gets, one by one, the resources of want in Azure
// subscription sub that exist.
func (t *Tenant) expectedIn(ctx context.Context, sub string, want map[string]*MissingResource) ([]Resource, error) {
	var out []Resource
	for _, k := range sortedKeys(want) {
		id := want[k].ID
		if !strings.EqualFold(id.Subscription, sub) {
			continue
		}
		r, err := t.netGet(ctx, id)
		switch {
		case err == nil:
			out = append(out, r)
		case KindOf(err) != ErrNotFound:
			return nil, err
		}
	}
	return out, nil
}

// ownerLive reports whether the TagOwner value owner names an object of
// the tenant that may have resources in Azure subscription azureID: a
// connection anywhere (it puts peerings and hub connections in the
// customer's subscriptions), any other object in its own subscription.
// t.mu must be held.
func (t *Tenant) ownerLive(owner, azureID string) bool {
	kind, name, ok := strings.Cut(owner, "/")
	if !ok {
		return false
	}
	in := func(sub string) bool {
		s := t.subs[fold(sub)]
		return s != nil && strings.EqualFold(s.azureID, azureID)
	}
	switch kind {
	case "subscription":
		s := t.subs[fold(name)]
		return s != nil && s.name == name && strings.EqualFold(s.azureID, azureID)
	case "connection":
		c := t.conns[fold(name)]
		return c != nil && !c.managed && c.name == name
	case "key":
		for _, k := range t.cmKeys {
			if k.name == name && in(k.sub) {
				return true
			}
		}
	case "image":
		for _, o := range t.images {
			if o.id == name && in(o.sub) {
				return true
			}
		}
	case "catalog":
		if c := t.catalogs[fold(name)]; c != nil && c.name == name && in(c.subscription) {
			return true
		}
	case "location":
		for _, l := range t.locations {
			if l.id == name && in(l.subscription) {
				return true
			}
		}
	case "bastion":
		if b := t.bastions[fold(name)]; b != nil && b.conn == name && in(b.sub) {
			return true
		}
	}
	// A Citrix-managed network outliving its owner still owns its
	// resources.
	for _, c := range t.conns {
		if c.managed && c.name == owner && in(c.sub) {
			return true
		}
	}
	return false
}

// expectedResources returns the cloud resources the state needs, by
// idKey. t.mu must be held.
func (t *Tenant) expectedResources() map[string]*MissingResource {
	want := map[string]*MissingResource{}
	add := func(object, what string, id ResourceID) {
		if !id.IsZero() {
			want[idKey(id)] = &MissingResource{Object: object, What: what, ID: id}
		}
	}
	for _, s := range t.subs {
		add(fmt.Sprintf("subscription %q", s.name), "resource group", GroupID(s.azureID, t.groupName("subscription", s.name)))
	}
	for _, c := range t.conns {
		t.expectedNetwork(c, add)
	}
	for _, k := range t.cmKeys {
		add(k.object(), "resource group", k.id.Group())
		add(k.object(), "key", k.id)
	}
	for _, o := range t.images {
		if o.img.State == image.Failed {
			continue
		}
		obj := imageObject(o.img.Name)
		add(obj, "resource group", t.imageGroup(o))
		add(obj, "managed image", o.managed)
		if b := o.builder; b != nil {
			add(obj, "build machine", b.vm)
		}
	}
	for _, b := range t.bastions {
		if b.failure == "" {
			add(bastionObject(b.conn), "resource group", t.bastionGroup(b))
			add(bastionObject(b.conn), "VM", b.vm)
		}
	}
	for _, c := range t.catalogs {
		add(c.obj(), "resource group", c.group)
		for _, m := range c.machines {
			add(c.obj(), fmt.Sprintf("VM of machine %q", m.m.Name), c.vmID(m.m.Name))
			for _, s := range m.snapshots {
				add(c.obj(), fmt.Sprintf("snapshot %q of machine %q", s.s.Name, m.m.Name), s.id)
			}
		}
	}
	for _, l := range t.locations {
		obj := fmt.Sprintf("resource location %q", l.name)
		add(obj, "resource group", l.group)
		for _, g := range l.groups {
			add(obj, "connector resource group", g)
		}
		for _, cn := range l.connectors {
			add(obj, fmt.Sprintf("VM of connector %q", cn.name), cn.vm)
		}
	}
	return want
}

// expectedNetwork adds the resources of a connection that is ready to use
// (or whose route table or NAT gateway failed, NET-12): its resource
// group, VNet, route table and NAT gateway where they were made, its
// users' NSGs, and per kind the peerings, VPN gateway resources or hub
// connection. t.mu must be held.
func (t *Tenant) expectedNetwork(c *connection, add func(object, what string, id ResourceID)) {
	switch c.status.State {
	case network.StateComplete, network.StateRouteTableFailed, network.StateNatGatewayFailed:
	default:
		return
	}
	if !c.ready {
		return
	}
	obj := c.object()
	if !c.managed {
		add(obj, "resource group", c.group)
	}
	add(obj, "VNet", c.vnetID())
	if c.routeOK {
		add(obj, "route table", c.rtID())
	}
	if c.natOK && c.natWanted() {
		add(obj, "NAT gateway", c.natID())
	}
	for _, su := range c.subnets {
		add(obj, fmt.Sprintf("NSG of subnet %q (%s)", su.Name, su.owner), su.NSG)
	}
	switch s := c.spec.(type) {
	case network.PeeringSpec:
		add(obj, "peering", c.vnetID().Child(TypePeering, peerLocal))
		add(obj, "peering back from the customer's VNet", netID(s.RemoteVNet).Child(TypePeering, t.remoteName(c)))
	case network.VPNSpec:
		add(obj, "VPN gateway", c.id(TypeVPNGateway, gwName))
		add(obj, "local network gateway", c.id(TypeLocalGateway, lgwName))
		add(obj, "VPN connection", c.id(TypeVPNConnection, vpnName))
	case network.VWANSpec:
		add(obj, "hub connection", netID(s.Hub.ID).Child(TypeHubConnection, t.remoteName(c)))
	}
}

// deleteOrder ranks resource types so that what depends on another goes
// first: VMs before their networks, peerings and connections before the
// VNets and gateways, VNets before their NSGs, route tables and NAT
// gateways.
var deleteOrder = []ResourceType{TypeVirtualMachine, TypeHubConnection, TypePeering, TypeVPNConnection,
	TypeVPNGateway, TypeLocalGateway, TypeVirtualNetwork, TypeSecurityGroup, TypeRouteTable, TypeNATGateway,
	TypeDisk, TypeSnapshot, TypeImage, TypeKey}

func deleteRank(t ResourceType) int {
	if i := slices.IndexFunc(deleteOrder, func(o ResourceType) bool { return strings.EqualFold(string(o), string(t)) }); i >= 0 {
		return i
	}
	return len(deleteOrder)
}

// removeOrphans deletes orphans: each orphaned resource group that holds
// nothing but orphans, whole; the other orphans one by one, in
// deleteOrder. An orphaned group that holds anything else stays. It
// returns what it deleted.
func (t *Tenant) removeOrphans(ctx context.Context, orphans []Orphan) ([]ResourceID, error) {
	isOrphan := map[string]bool{}
	for _, o := range orphans {
		isOrphan[idKey(o.ID)] = true
	}
	var removed []ResourceID
	var errs []error
	// live reports whether owner has come to life since the report.
	live := func(o Orphan) bool {
		t.mu.Lock()
		defer t.mu.Unlock()
		return t.ownerLive(o.Owner, o.ID.Subscription)
	}
	gone := map[string]bool{} // groups deleted whole, by idKey
	for _, o := range orphans {
		if o.ID.Type != TypeResourceGroup || live(o) {
			continue
		}
		content, err := t.netList(ctx, Filter{Subscription: o.ID.Subscription, ResourceGroup: o.ID.Name})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if slices.ContainsFunc(content, func(r Resource) bool { return !isOrphan[idKey(r.Metadata().ID)] }) {
			continue
		}
		if err := t.deleteResource(ctx, o.ID); err != nil {
			errs = append(errs, err)
			continue
		}
		gone[idKey(o.ID)] = true
		removed = append(removed, o.ID)
	}
	rest := slices.Clone(orphans)
	slices.SortStableFunc(rest, func(a, b Orphan) int { return cmp.Compare(deleteRank(a.ID.Type), deleteRank(b.ID.Type)) })
	for _, o := range rest {
		if o.ID.Type == TypeResourceGroup || gone[idKey(o.ID.Group())] || live(o) {
			continue
		}
		if err := t.deleteResource(ctx, o.ID); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, o.ID)
	}
	slices.SortFunc(removed, func(a, b ResourceID) int { return strings.Compare(idKey(a), idKey(b)) })
	return removed, errors.Join(errs...)
}

package fake

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

// Cloud is an in-memory Azure: resource groups per subscription and the
// resources of package flex in them, with the rules Azure enforces. Its
// methods are safe for concurrent use. The zero value is not usable; call
// New.
//
// A Cloud used directly acts as an owner of every subscription: it sees
// and changes every resource, tagged or not. Scope returns the view of one
// tenant (SEC-2).
type Cloud struct {
	clock *Clock

	mu       sync.RWMutex
	subs     map[string]map[string]*group // lower-case subscription → lower-case group name
	capacity map[capKey]int               // VMs a region can still take per size; absent: Unlimited
	snaps    map[key]int                  // snapshots that exist per source disk
	publicN  int                          // public addresses handed out so far
	seq      uint64                       // sequence for key versions and SAS signatures
	sigKey   [32]byte                     // secret for SAS signatures
}

// Option configures a Cloud in New. A nil Option is ignored.
type Option func(*Cloud)

// WithClock makes the cloud read time from c (snapshot and key creation
// times, SAS expiry). A nil clock, the default, reads the real time.
func WithClock(c *Clock) Option {
	return func(cl *Cloud) { cl.clock = c }
}

// WithCapacity sets how many more VMs of the size the region can take, as
// SetCapacity does.
func WithCapacity(region network.Region, size string, n int) Option {
	return func(cl *Cloud) { cl.setCapacity(region, size, n) }
}

// New returns an empty cloud: no subscriptions hold anything, every region
// has unlimited capacity for every VM size, and time is the real time
// unless WithClock says otherwise.
func New(opts ...Option) *Cloud {
	c := &Cloud{
		subs:     make(map[string]map[string]*group),
		capacity: make(map[capKey]int),
		snaps:    make(map[key]int),
	}
	_, _ = rand.Read(c.sigKey[:])
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	return c
}

var _ flex.Provider = (*Cloud)(nil)

// key identifies a stored resource ignoring case, as ARM does.
type key struct {
	sub, rg string            // lower-case; rg is the group's own name for a resource group
	typ     flex.ResourceType // canonical spelling
	name    string            // lower-case; "" for a resource group
}

// group is a resource group and the resources in it, by type and then by
// lower-case name.
type group struct {
	rec *record
	res map[flex.ResourceType]map[string]*record
}

// record is one stored resource. res is the cloud's private copy: it is
// cloned on the way in and on the way out, and a tags map stored in it is
// never changed in place (Put replaces it), so records may share one.
type record struct {
	res      flex.Resource
	pools    map[string]*pool // virtual network: addresses in use per lower-case subnet name
	sessions []string         // virtual machine: users with a session
	vm       *record          // disk: the virtual machine whose OS disk it is
}

func (r *record) meta() *flex.Meta { return r.res.Metadata() }

// typeInfo describes a resource type the cloud knows.
type typeInfo struct {
	t      flex.ResourceType
	short  string            // for operation names: "VirtualNetwork"
	parent flex.ResourceType // of a child resource; the key vault of a key is not modelled
	depth  int               // name segments
	maxLen int               // longest name (of the last segment)
}

var typeTable = [...]typeInfo{
	{t: flex.TypeResourceGroup, short: "ResourceGroup", depth: 1, maxLen: 90},
	{t: flex.TypeVirtualNetwork, short: "VirtualNetwork", depth: 1, maxLen: 64},
	{t: flex.TypeSecurityGroup, short: "SecurityGroup", depth: 1, maxLen: 80},
	{t: flex.TypeRouteTable, short: "RouteTable", depth: 1, maxLen: 80},
	{t: flex.TypeNATGateway, short: "NATGateway", depth: 1, maxLen: 80},
	{t: flex.TypePeering, short: "Peering", parent: flex.TypeVirtualNetwork, depth: 2, maxLen: 80},
	{t: flex.TypeVPNGateway, short: "VPNGateway", depth: 1, maxLen: 80},
	{t: flex.TypeLocalGateway, short: "LocalGateway", depth: 1, maxLen: 80},
	{t: flex.TypeVPNConnection, short: "VPNConnection", depth: 1, maxLen: 80},
	{t: flex.TypeVirtualHub, short: "VirtualHub", depth: 1, maxLen: 80},
	{t: flex.TypeHubConnection, short: "HubConnection", parent: flex.TypeVirtualHub, depth: 2, maxLen: 80},
	{t: flex.TypeVirtualMachine, short: "VirtualMachine", depth: 1, maxLen: 64},
	{t: flex.TypeDisk, short: "Disk", depth: 1, maxLen: 80},
	{t: flex.TypeSnapshot, short: "Snapshot", depth: 1, maxLen: 80},
	{t: flex.TypeImage, short: "Image", depth: 1, maxLen: 80},
	{t: flex.TypeKey, short: "Key", depth: 2, maxLen: 127},
}

func lookupType(t flex.ResourceType) *typeInfo {
	for i := range typeTable {
		if strings.EqualFold(string(typeTable[i].t), string(t)) {
			return &typeTable[i]
		}
	}
	return nil
}

// typeOf returns the resource type of r's Go type.
func typeOf(r flex.Resource) flex.ResourceType {
	switch r.(type) {
	case *flex.ResourceGroup:
		return flex.TypeResourceGroup
	case *flex.VirtualNetwork:
		return flex.TypeVirtualNetwork
	case *flex.SecurityGroup:
		return flex.TypeSecurityGroup
	case *flex.RouteTable:
		return flex.TypeRouteTable
	case *flex.NATGateway:
		return flex.TypeNATGateway
	case *flex.Peering:
		return flex.TypePeering
	case *flex.VPNGateway:
		return flex.TypeVPNGateway
	case *flex.LocalGateway:
		return flex.TypeLocalGateway
	case *flex.VPNConnection:
		return flex.TypeVPNConnection
	case *flex.VirtualHub:
		return flex.TypeVirtualHub
	case *flex.HubConnection:
		return flex.TypeHubConnection
	case *flex.VirtualMachine:
		return flex.TypeVirtualMachine
	case *flex.Disk:
		return flex.TypeDisk
	case *flex.Snapshot:
		return flex.TypeSnapshot
	case *flex.Image:
		return flex.TypeImage
	case *flex.Key:
		return flex.TypeKey
	}
	return ""
}

// keyOf checks the shape of id and returns its key and type. The error is
// the cause of an ErrInvalid.
func keyOf(id flex.ResourceID) (key, *typeInfo, error) {
	ti := lookupType(id.Type)
	if ti == nil {
		return key{}, nil, fmt.Errorf("InvalidResourceType: %q is not a resource type the cloud knows", id.Type)
	}
	if id.Subscription == "" || strings.Contains(id.Subscription, "/") {
		return key{}, nil, fmt.Errorf("InvalidSubscriptionId: subscription %q must be non-empty and without '/'", id.Subscription)
	}
	if ti.t == flex.TypeResourceGroup {
		if id.Name == "" || strings.Contains(id.Name, "/") || (id.ResourceGroup != "" && !strings.EqualFold(id.ResourceGroup, id.Name)) {
			return key{}, nil, fmt.Errorf("InvalidResourceGroup: resource group name %q must be non-empty, without '/', with an empty ResourceGroup field", id.Name)
		}
		return key{sub: strings.ToLower(id.Subscription), rg: strings.ToLower(id.Name), typ: ti.t}, ti, nil
	}
	if id.ResourceGroup == "" || strings.Contains(id.ResourceGroup, "/") {
		return key{}, nil, fmt.Errorf("InvalidResourceGroup: resource group %q must be non-empty and without '/'", id.ResourceGroup)
	}
	if strings.Count(id.Name, "/")+1 != ti.depth || id.Name == "" || id.Name[0] == '/' ||
		id.Name[len(id.Name)-1] == '/' || strings.Contains(id.Name, "//") {
		want := "name"
		if ti.depth == 2 {
			want = "parent/name"
		}
		return key{}, nil, fmt.Errorf("InvalidResourceName: name %q of a %s must have the form %s", id.Name, ti.t, want)
	}
	return key{sub: strings.ToLower(id.Subscription), rg: strings.ToLower(id.ResourceGroup), typ: ti.t, name: strings.ToLower(id.Name)}, ti, nil
}

// mustKey returns the key of a stored resource's ID, which is valid.
func mustKey(id flex.ResourceID) key {
	k, _, _ := keyOf(id)
	return k
}

// parentKey returns the key of the parent of a child resource.
func parentKey(k key, ti *typeInfo) key {
	p, _, _ := strings.Cut(k.name, "/")
	return key{sub: k.sub, rg: k.rg, typ: ti.parent, name: p}
}

// sameID reports whether a and b name the same resource, ignoring case;
// two zero IDs are the same.
func sameID(a, b flex.ResourceID) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero() && b.IsZero()
	}
	ka, _, errA := keyOf(a)
	kb, _, errB := keyOf(b)
	return errA == nil && errB == nil && ka == kb
}

// viewer is who calls: the whole cloud, or one tenant's scope.
type viewer struct {
	scoped bool
	tenant string
}

var owner = viewer{}

// sees reports whether the viewer may know r exists: everything for the
// cloud itself; for a tenant, its own resources and the customer's
// untagged ones.
func (v viewer) sees(r flex.Resource) bool {
	if !v.scoped {
		return true
	}
	t := r.Metadata().Tags[flex.TagTenant]
	return t == "" || t == v.tenant
}

// owns reports whether the viewer may change r.
func (v viewer) owns(r flex.Resource) bool {
	return !v.scoped || (v.tenant != "" && r.Metadata().Tags[flex.TagTenant] == v.tenant)
}

// Lookups. The caller holds c.mu.

func (c *Cloud) group(k key) *group {
	return c.subs[k.sub][k.rg]
}

func (c *Cloud) lookup(k key) *record {
	g := c.group(k)
	if g == nil {
		return nil
	}
	if k.typ == flex.TypeResourceGroup {
		return g.rec
	}
	return g.res[k.typ][k.name]
}

// lookupID returns the stored resource id names, or nil.
func (c *Cloud) lookupID(id flex.ResourceID) *record {
	k, _, err := keyOf(id)
	if err != nil {
		return nil
	}
	return c.lookup(k)
}

func (g *group) store(k key, old *record, r flex.Resource) *record {
	if old != nil {
		old.res = r
		return old
	}
	rec := &record{res: r}
	byName := g.res[k.typ]
	if byName == nil {
		byName = make(map[string]*record)
		g.res[k.typ] = byName
	}
	byName[k.name] = rec
	return rec
}

// each calls fn for every stored resource of type t in subscription sub
// (lower-case), or in every subscription when sub is "".
func (c *Cloud) each(sub string, t flex.ResourceType, fn func(*record)) {
	for s, groups := range c.subs {
		if sub != "" && s != sub {
			continue
		}
		for _, g := range groups {
			for _, rec := range g.res[t] {
				fn(rec)
			}
		}
	}
}

// Errors. Every error is a *flex.Error naming the resource; its cause
// starts with the code Azure would give.

func fail(kind error, op string, id flex.ResourceID, format string, args ...any) error {
	return &flex.Error{Kind: kind, Op: op, Object: id.String(), Err: fmt.Errorf(format, args...)}
}

// broke returns an error of the given kind whose cause is a violation of
// rule ruleID.
func broke(kind error, op string, id flex.ResourceID, ruleID, format string, args ...any) error {
	return &flex.Error{Kind: kind, Op: op, Object: id.String(), Err: rule.Errorf(ruleID, format, args...)}
}

func invalid(op string, id flex.ResourceID, err error) error {
	if err == nil {
		return nil
	}
	return &flex.Error{Kind: flex.ErrInvalid, Op: op, Object: id.String(), Err: err}
}

func notFound(op string, id flex.ResourceID, ti *typeInfo) error {
	if ti != nil && ti.t == flex.TypeResourceGroup {
		return fail(flex.ErrNotFound, op, id, "ResourceGroupNotFound: resource group %q could not be found", id.Name)
	}
	return fail(flex.ErrNotFound, op, id, "ResourceNotFound: the %s %q was not found", id.Type, id.Name)
}

func groupNotFound(op string, id flex.ResourceID) error {
	return fail(flex.ErrNotFound, op, id, "ResourceGroupNotFound: resource group %q could not be found", id.ResourceGroup)
}

func notYours(op string, id flex.ResourceID, v viewer) error {
	return broke(flex.ErrPrecondition, op, id, "SEC-2",
		"AuthorizationFailed: the resource is the customer's, not tenant %q's; a tenant changes only resources tagged %s=%s",
		v.tenant, flex.TagTenant, v.tenant)
}

func busy(op string, rec *record) error {
	m := rec.meta()
	if m.State == flex.Creating || m.State == flex.Updating || m.State == flex.Deleting {
		return fail(flex.ErrConflict, op, m.ID, "AnotherOperationInProgress: the resource is %s; try again when it completes", m.State)
	}
	return nil
}

// ErrorAs reports whether err holds a provider-native error of target's
// type. The fake has no native errors: its errors are *flex.Error values
// whose causes are plain errors and rule violations, so ErrorAs always
// reports false.
func (c *Cloud) ErrorAs(err error, target any) bool { return false }

func isNil(r flex.Resource) bool {
	if r == nil {
		return true
	}
	v := reflect.ValueOf(r)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// Put creates the resource or updates it in place and returns it as the
// cloud now holds it, with the fields the cloud assigns filled in and
// provisioning state Succeeded. It is keyed by the resource's ID, ignoring
// case, so a retried Put never makes a duplicate.
func (c *Cloud) Put(ctx context.Context, r flex.Resource) (flex.Resource, error) {
	return c.put(ctx, owner, r)
}

// Get returns a copy of the resource, or an ErrNotFound error.
func (c *Cloud) Get(ctx context.Context, id flex.ResourceID) (flex.Resource, error) {
	return c.get(ctx, owner, id)
}

// Delete deletes the resource; for a resource group, everything in it.
// Deleting a resource that does not exist succeeds, as Azure's 204 does.
// A resource others depend on is not deleted: ErrConflict names the
// dependent, as Azure's InUse… errors do.
func (c *Cloud) Delete(ctx context.Context, id flex.ResourceID) error {
	return c.delete(ctx, owner, id)
}

// List returns copies of the resources of f.Subscription that match the
// filter, sorted by ID ignoring case. Subscription, resource group and type
// match ignoring case; tags match exactly.
func (c *Cloud) List(ctx context.Context, f flex.Filter) ([]flex.Resource, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if f.Subscription == "" {
		return nil, fail(flex.ErrInvalid, "List", flex.ResourceID{}, "MissingSubscription: the filter needs a subscription")
	}
	return c.resources(owner, f), nil
}

func (c *Cloud) put(ctx context.Context, v viewer, in flex.Resource) (flex.Resource, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if isNil(in) {
		return nil, fail(flex.ErrInvalid, "Put", flex.ResourceID{}, "InvalidRequestContent: no resource to put")
	}
	r := in.Clone()
	m := r.Metadata()
	k, ti, err := keyOf(m.ID)
	if err != nil {
		return nil, invalid("Put", m.ID, err)
	}
	op := "Put" + ti.short
	if t := typeOf(r); t != ti.t {
		return nil, fail(flex.ErrInvalid, op, m.ID, "InvalidResourceType: a %T cannot have the type %s", r, m.ID.Type)
	}
	m.ID.Type = ti.t
	if ti.t == flex.TypeResourceGroup {
		m.ID.ResourceGroup = ""
	}
	var l rule.List
	checkName(&l, ti, m.ID)
	if ti.parent == "" {
		checkRegion(&l, m)
	}
	if err := l.Err(); err != nil {
		return nil, invalid(op, m.ID, err)
	}
	if v.scoped && (v.tenant == "" || m.Tags[flex.TagTenant] != v.tenant) {
		return nil, broke(flex.ErrInvalid, op, m.ID, "SEC-2",
			"tag %s is %q; tenant %q puts only resources tagged %s=%s",
			flex.TagTenant, m.Tags[flex.TagTenant], v.tenant, flex.TagTenant, v.tenant)
	}
	m.State = flex.Succeeded

	c.mu.Lock()
	defer c.mu.Unlock()
	if ti.t == flex.TypeResourceGroup {
		return c.putGroup(v, op, k, r.(*flex.ResourceGroup))
	}
	g := c.group(k)
	if g == nil || !v.sees(g.rec.res) {
		return nil, groupNotFound(op, m.ID)
	}
	var parent *record
	if ti.parent != "" {
		parent = c.lookup(parentKey(k, ti))
		if parent == nil || !v.sees(parent.res) {
			p, _, _ := strings.Cut(m.ID.Name, "/")
			return nil, fail(flex.ErrNotFound, op, m.ID, "ParentResourceNotFound: the parent %s %q was not found", ti.parent, p)
		}
		m.Region = parent.meta().Region // a child has its parent's location
	}
	old := g.res[k.typ][k.name]
	if old != nil {
		if err := c.checkOverwrite(v, op, m, old); err != nil {
			return nil, err
		}
	}
	var rec *record
	switch x := r.(type) {
	case *flex.VirtualNetwork:
		rec, err = c.putVNet(v, op, k, g, old, x)
	case *flex.SecurityGroup:
		rec, err = c.putSecurityGroup(op, k, g, old, x)
	case *flex.RouteTable:
		rec, err = c.putRouteTable(op, k, g, old, x)
	case *flex.NATGateway:
		rec, err = c.putNATGateway(op, k, g, old, x)
	case *flex.Peering:
		rec, err = c.putPeering(v, op, k, g, old, parent, x)
	case *flex.VPNGateway:
		rec, err = c.putVPNGateway(v, op, k, g, old, x)
	case *flex.LocalGateway:
		rec, err = c.putLocalGateway(op, k, g, old, x)
	case *flex.VPNConnection:
		rec, err = c.putVPNConnection(v, op, k, g, old, x)
	case *flex.VirtualHub:
		rec, err = c.putHub(op, k, g, old, x)
	case *flex.HubConnection:
		rec, err = c.putHubConnection(v, op, k, g, old, parent, x)
	case *flex.VirtualMachine:
		rec, err = c.putVM(v, op, k, g, old, x)
	case *flex.Disk:
		rec, err = c.putDisk(v, op, k, g, old, x)
	case *flex.Snapshot:
		rec, err = c.putSnapshot(v, op, k, g, old, x)
	case *flex.Image:
		rec, err = c.putImage(v, op, k, g, old, x)
	case *flex.Key:
		rec, err = c.putKey(op, k, g, old, x)
	}
	if err != nil {
		return nil, err
	}
	return rec.res.Clone(), nil
}

// checkOverwrite decides whether a Put may update the stored resource old.
func (c *Cloud) checkOverwrite(v viewer, op string, m *flex.Meta, old *record) error {
	if !v.sees(old.res) {
		// The one thing a tenant learns about another: a name in a group
		// it shares is taken, as names are unique in Azure.
		return fail(flex.ErrConflict, op, m.ID, "ResourceNameInUse: the name %q is in use in resource group %q; choose another", m.ID.Name, m.ID.ResourceGroup)
	}
	if !v.owns(old.res) {
		return notYours(op, m.ID, v)
	}
	if err := busy(op, old); err != nil {
		return err
	}
	om := old.meta()
	if m.Region != om.Region && m.Region != "" && om.Region != "" {
		return fail(flex.ErrConflict, op, m.ID, "InvalidResourceLocation: the resource exists in location %q; it cannot move to %q", om.Region, m.Region)
	}
	m.ID = om.ID // names keep the case they were created with
	return nil
}

func (c *Cloud) putGroup(v viewer, op string, k key, r *flex.ResourceGroup) (flex.Resource, error) {
	groups := c.subs[k.sub]
	if g := groups[k.rg]; g != nil {
		if err := c.checkOverwrite(v, op, &r.Meta, g.rec); err != nil {
			return nil, err
		}
		g.rec.res = r
		return r.Clone(), nil
	}
	if groups == nil {
		groups = make(map[string]*group)
		c.subs[k.sub] = groups
	}
	groups[k.rg] = &group{rec: &record{res: r}, res: make(map[flex.ResourceType]map[string]*record)}
	return r.Clone(), nil
}

func (c *Cloud) get(ctx context.Context, v viewer, id flex.ResourceID) (flex.Resource, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	k, ti, err := keyOf(id)
	if err != nil {
		return nil, invalid("Get", id, err)
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if ti.t != flex.TypeResourceGroup {
		g := c.group(k)
		if g == nil || !v.sees(g.rec.res) {
			return nil, groupNotFound("Get", id)
		}
	}
	rec := c.lookup(k)
	if rec == nil || !v.sees(rec.res) {
		return nil, notFound("Get", id, ti)
	}
	return rec.res.Clone(), nil
}

func (c *Cloud) delete(ctx context.Context, v viewer, id flex.ResourceID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	k, ti, err := keyOf(id)
	if err != nil {
		return invalid("Delete", id, err)
	}
	op := "Delete" + ti.short
	c.mu.Lock()
	defer c.mu.Unlock()
	rec := c.lookup(k)
	if rec == nil || !v.sees(rec.res) {
		return nil // as Azure's 204: nothing to delete
	}
	if !v.owns(rec.res) {
		return notYours(op, rec.meta().ID, v)
	}
	if ti.t == flex.TypeResourceGroup {
		return c.deleteGroup(op, k)
	}
	if code, deps := c.dependents(rec); len(deps) > 0 {
		return inUse(op, rec, code, deps[0])
	}
	c.remove(rec)
	return nil
}

func inUse(op string, rec *record, code string, dep *record) error {
	m := rec.meta()
	return fail(flex.ErrConflict, op, m.ID, "%s: %s %q is in use by %s and cannot be deleted", code, m.ID.Type, m.ID.Name, dep.meta().ID)
}

// deleteOrder is the order in which a resource group's contents go, dependents first.
var deleteOrder = [...]flex.ResourceType{
	flex.TypeHubConnection, flex.TypeVPNConnection, flex.TypeVirtualMachine, flex.TypeImage,
	flex.TypeSnapshot, flex.TypeDisk, flex.TypeVPNGateway, flex.TypeLocalGateway,
	flex.TypePeering, flex.TypeVirtualNetwork, flex.TypeNATGateway, flex.TypeRouteTable,
	flex.TypeSecurityGroup, flex.TypeVirtualHub, flex.TypeKey,
}

// deleteGroup deletes a resource group and everything in it, or nothing
// when a resource outside the group depends on one inside it.
func (c *Cloud) deleteGroup(op string, k key) error {
	g := c.group(k)
	inGroup := func(r *record) bool {
		rk := mustKey(r.meta().ID)
		return rk.sub == k.sub && rk.rg == k.rg
	}
	for _, t := range deleteOrder {
		for _, rec := range sortedRecords(g.res[t]) {
			code, deps := c.dependents(rec)
			for _, d := range deps {
				if !inGroup(d) {
					return inUse(op, rec, code, d)
				}
			}
		}
	}
	for _, t := range deleteOrder {
		for _, rec := range sortedRecords(g.res[t]) {
			if c.lookup(mustKey(rec.meta().ID)) == rec {
				c.remove(rec)
			}
		}
	}
	delete(c.subs[k.sub], k.rg)
	if len(c.subs[k.sub]) == 0 {
		delete(c.subs, k.sub)
	}
	return nil
}

func sortedRecords(m map[string]*record) []*record {
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range m {
			if !yield(n) {
				return
			}
		}
	})
	out := make([]*record, len(names))
	for i, n := range names {
		out[i] = m[n]
	}
	return out
}

// dependents returns the resources that keep Azure from deleting rec, and
// the code Azure gives.
func (c *Cloud) dependents(rec *record) (string, []*record) {
	id := rec.meta().ID
	k := mustKey(id)
	var deps []*record
	add := func(r *record) { deps = append(deps, r) }
	switch rec.res.(type) {
	case *flex.SecurityGroup, *flex.RouteTable, *flex.NATGateway:
		c.each(k.sub, flex.TypeVirtualNetwork, func(vr *record) {
			for _, s := range vr.res.(*flex.VirtualNetwork).Subnets {
				if sameID(s.SecurityGroup, id) || sameID(s.RouteTable, id) || sameID(s.NATGateway, id) {
					add(vr)
					return
				}
			}
		})
		switch rec.res.(type) {
		case *flex.SecurityGroup:
			return "InUseNetworkSecurityGroupCannotBeDeleted", deps
		case *flex.RouteTable:
			return "InUseRouteTableCannotBeDeleted", deps
		}
		return "InUseNatGatewayCannotBeDeleted", deps
	case *flex.VirtualNetwork:
		c.each(k.sub, flex.TypeVirtualMachine, func(r *record) {
			if sameID(r.res.(*flex.VirtualMachine).Network, id) {
				add(r)
			}
		})
		c.each(k.sub, flex.TypeVPNGateway, func(r *record) {
			if sameID(r.res.(*flex.VPNGateway).VirtualNetwork, id) {
				add(r)
			}
		})
		if len(deps) > 0 {
			sortByID(deps)
			return "InUseSubnetCannotBeDeleted", deps
		}
		c.each("", flex.TypeHubConnection, func(r *record) {
			if sameID(r.res.(*flex.HubConnection).Remote, id) {
				add(r)
			}
		})
		return "InUseVirtualNetworkCannotBeDeleted", deps
	case *flex.VPNGateway:
		c.each(k.sub, flex.TypeVPNConnection, func(r *record) {
			if sameID(r.res.(*flex.VPNConnection).Gateway, id) {
				add(r)
			}
		})
		return "InUseVirtualNetworkGatewayCannotBeDeleted", deps
	case *flex.LocalGateway:
		c.each(k.sub, flex.TypeVPNConnection, func(r *record) {
			if sameID(r.res.(*flex.VPNConnection).Local, id) {
				add(r)
			}
		})
		return "InUseLocalNetworkGatewayCannotBeDeleted", deps
	case *flex.VirtualHub:
		deps = c.children(k, flex.TypeHubConnection)
		return "CannotDeleteVirtualHubWhenItIsInUse", deps
	case *flex.Disk:
		if rec.vm != nil {
			deps = append(deps, rec.vm)
		}
		return "OperationNotAllowed", deps
	}
	return "", nil
}

func sortByID(recs []*record) {
	slices.SortFunc(recs, func(a, b *record) int {
		return strings.Compare(strings.ToLower(a.meta().ID.String()), strings.ToLower(b.meta().ID.String()))
	})
}

// children returns the child resources of type t of the parent k.
func (c *Cloud) children(k key, t flex.ResourceType) []*record {
	g := c.group(k)
	if g == nil {
		return nil
	}
	var out []*record
	prefix := k.name + "/"
	for name, rec := range g.res[t] {
		if strings.HasPrefix(name, prefix) {
			out = append(out, rec)
		}
	}
	sortByID(out)
	return out
}

// remove deletes rec and what goes with it, and undoes its effects on
// other resources. It does not check dependents.
func (c *Cloud) remove(rec *record) {
	m := rec.meta()
	k := mustKey(m.ID)
	switch r := rec.res.(type) {
	case *flex.VirtualMachine:
		c.releaseVM(rec, r)
	case *flex.Peering:
		if rev := c.reversePeering(peeringParent(m.ID), r.Remote); rev != nil {
			rev.res.(*flex.Peering).Connected = false
		}
	case *flex.VirtualNetwork:
		for _, p := range c.children(k, flex.TypePeering) {
			c.remove(p)
		}
		c.each("", flex.TypePeering, func(p *record) {
			if sameID(p.res.(*flex.Peering).Remote, m.ID) {
				p.res.(*flex.Peering).Connected = false
			}
		})
	case *flex.VirtualHub:
		for _, hc := range c.children(k, flex.TypeHubConnection) {
			c.remove(hc)
		}
	case *flex.Snapshot:
		if dk, _, err := keyOf(r.Source); err == nil {
			if c.snaps[dk]--; c.snaps[dk] <= 0 {
				delete(c.snaps, dk)
			}
		}
	}
	if g := c.group(k); g != nil {
		delete(g.res[k.typ], k.name)
		if len(g.res[k.typ]) == 0 {
			delete(g.res, k.typ)
		}
	}
}

// resources returns copies of the resources the viewer sees that match f
// (every subscription when f.Subscription is ""), sorted by ID ignoring case.
func (c *Cloud) resources(v viewer, f flex.Filter) []flex.Resource {
	type item struct {
		sortKey string
		rec     *record
	}
	var items []item
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.match(v, f, func(rec *record) {
		items = append(items, item{sortKey(rec.meta().ID), rec})
	})
	slices.SortFunc(items, func(a, b item) int { return cmp.Compare(a.sortKey, b.sortKey) })
	out := make([]flex.Resource, len(items))
	for i, it := range items {
		out[i] = it.rec.res.Clone()
	}
	return out
}

// match calls fn for every resource the viewer sees that matches f, in no
// particular order. The caller holds c.mu.
func (c *Cloud) match(v viewer, f flex.Filter, fn func(*record)) {
	var ft flex.ResourceType
	if f.Type != "" {
		ti := lookupType(f.Type)
		if ti == nil {
			return
		}
		ft = ti.t
	}
	tagsMatch := func(m *flex.Meta) bool {
		for tk, tv := range f.Tags {
			if got, ok := m.Tags[tk]; !ok || got != tv {
				return false
			}
		}
		return true
	}
	visit := func(rec *record) {
		if v.sees(rec.res) && tagsMatch(rec.meta()) {
			fn(rec)
		}
	}
	for sub, groups := range c.subs {
		if f.Subscription != "" && !strings.EqualFold(sub, f.Subscription) {
			continue
		}
		for name, g := range groups {
			if (f.ResourceGroup != "" && !strings.EqualFold(name, f.ResourceGroup)) || !v.sees(g.rec.res) {
				continue
			}
			if ft == "" || ft == flex.TypeResourceGroup {
				visit(g.rec)
			}
			if ft == flex.TypeResourceGroup {
				continue
			}
			for t, byName := range g.res {
				if ft != "" && t != ft {
					continue
				}
				for _, rec := range byName {
					visit(rec)
				}
			}
		}
	}
}

// sortKey returns strings.ToLower(id.String()) with one allocation: the
// order of List.
func sortKey(id flex.ResourceID) string {
	var b strings.Builder
	b.Grow(len(id.Subscription) + len(id.ResourceGroup) + len(id.Type) + 2*len(id.Name) + 64)
	lower := func(s string) {
		for i := 0; i < len(s); i++ {
			if s[i] >= utf8.RuneSelf {
				b.WriteString(strings.ToLower(s[i:]))
				return
			}
			ch := s[i]
			if 'A' <= ch && ch <= 'Z' {
				ch += 'a' - 'A'
			}
			b.WriteByte(ch)
		}
	}
	b.WriteString("/subscriptions/")
	lower(id.Subscription)
	b.WriteString("/resourcegroups/")
	if id.Type == flex.TypeResourceGroup {
		lower(id.Name)
		return b.String()
	}
	lower(id.ResourceGroup)
	b.WriteString("/providers/")
	typ, name := string(id.Type), id.Name
	ns, typ, _ := strings.Cut(typ, "/")
	lower(ns)
	for typ != "" || name != "" {
		var t, n string
		t, typ, _ = strings.Cut(typ, "/")
		n, name, _ = strings.Cut(name, "/")
		b.WriteByte('/')
		lower(t)
		b.WriteByte('/')
		lower(n)
	}
	return b.String()
}

package flex_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/netip"
	"reflect"
	"slices"
	"strings"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
)

// mdlWorld is what the invariants read after a step: the Tenant's
// listings and the cloud's resources tagged for the tenant.
type mdlWorld struct {
	subs     []flex.Subscription
	conns    []flex.Connection
	cats     []flex.Catalog
	locs     []flex.ResourceLocation
	machines map[string][]flex.Machine         // folded catalog → machines
	snaps    map[string][]flex.MachineSnapshot // folded catalog → snapshots
	res      []flex.Resource
}

// read reads the world. Faults are off between steps.
func (s *mdlState) read(rt *rapid.T) mdlWorld {
	e := s.env
	var w mdlWorld
	var err error
	if w.subs, err = e.tn.Subscriptions(e.ctx); err != nil {
		rt.Fatalf("Subscriptions: %v", err)
	}
	if w.conns, err = e.tn.Connections(e.ctx); err != nil {
		rt.Fatalf("Connections: %v", err)
	}
	if w.cats, err = e.tn.Catalogs(e.ctx); err != nil {
		rt.Fatalf("Catalogs: %v", err)
	}
	if w.locs, err = e.tn.ResourceLocations(e.ctx); err != nil {
		rt.Fatalf("ResourceLocations: %v", err)
	}
	w.machines, w.snaps = map[string][]flex.Machine{}, map[string][]flex.MachineSnapshot{}
	for _, c := range w.cats {
		if w.machines[mdlFold(c.Name)], err = e.tn.Machines(e.ctx, c.Name); err != nil {
			rt.Fatalf("Machines(%s): %v", c.Name, err)
		}
		if w.snaps[mdlFold(c.Name)], err = e.tn.Snapshots(e.ctx, c.Name, ""); err != nil {
			rt.Fatalf("Snapshots(%s): %v", c.Name, err)
		}
	}
	w.res = e.cloud.Resources(flex.Filter{Tags: map[string]string{flex.TagTenant: mdlTenantID}})
	return w
}

// mdlView is what the model says of the tenant, in a form the Tenant's
// listings give too: subscriptions, connections with their ranges,
// catalogs with their machine counts, members and snapshots.
type mdlView struct {
	Subs  []string
	Conns []mdlConnView
	Cats  []mdlCatView
}

type mdlConnView struct {
	Name, Sub string
	Kind      network.Kind
	Ranges    []string
}

type mdlCatView struct {
	Name, Sub, Conn string
	Machines        int
	Members         []string // mdlMember keys, sorted
	Snapshots       []string // machine/snapshot, folded, sorted
}

// view returns the model's view.
func (m *mdlModel) view() mdlView {
	var v mdlView
	for _, k := range slices.Sorted(maps.Keys(m.subs)) {
		v.Subs = append(v.Subs, m.subs[k])
	}
	for _, k := range slices.Sorted(maps.Keys(m.conns)) {
		c := m.conns[k]
		v.Conns = append(v.Conns, mdlConnView{c.name, c.sub, c.kind, mdlRangeSet(c.ranges)})
	}
	for _, k := range slices.Sorted(maps.Keys(m.cats)) {
		c := m.cats[k]
		var snaps []string
		for m, names := range c.snaps {
			for n := range names {
				snaps = append(snaps, mdlFold(m+"/"+n))
			}
		}
		slices.Sort(snaps)
		v.Cats = append(v.Cats, mdlCatView{c.name, c.sub, c.conn, c.machines, slices.Sorted(maps.Keys(c.members)), snaps})
	}
	return v
}

// view returns the view of the Tenant's listings. Citrix-managed networks
// are left out: the model has them as catalogs without connectivity.
func (w mdlWorld) view() mdlView {
	var v mdlView
	for _, sub := range w.subs {
		v.Subs = append(v.Subs, sub.Name)
	}
	for _, c := range w.conns {
		if !c.Managed {
			v.Conns = append(v.Conns, mdlConnView{c.Name, c.Subscription, c.Kind, mdlRangeSet(c.Ranges)})
		}
	}
	slices.SortFunc(v.Conns, func(a, b mdlConnView) int { return strings.Compare(mdlFold(a.Name), mdlFold(b.Name)) })
	for _, c := range w.cats {
		var members []string
		for _, p := range c.Principals {
			members = append(members, mdlMember(p))
		}
		slices.Sort(members)
		var snaps []string
		for _, sn := range w.snaps[mdlFold(c.Name)] {
			snaps = append(snaps, mdlFold(sn.Machine+"/"+sn.Name))
		}
		slices.Sort(snaps)
		v.Cats = append(v.Cats, mdlCatView{c.Name, c.Subscription, c.Connection, len(w.machines[mdlFold(c.Name)]), members, snaps})
	}
	return v
}

// check is the invariant check rapid runs before the first step and after
// every step.
func (s *mdlState) check(rt *rapid.T) {
	w := s.read(rt)
	s.checkSecrets(rt, w)
	if want, got := s.model.view(), w.view(); !reflect.DeepEqual(want, got) { // the diff only when needed: it costs
		rt.Fatalf("the Tenant differs from the model (-model +Tenant):\n%s", cmp.Diff(want, got))
	}
	for k, c := range s.model.cats {
		// The names the Tenant gave, which other catalogs' schemes must
		// name around (NAM-8).
		c.names = map[string]bool{}
		for _, m := range w.machines[k] {
			c.names[mdlFold(m.Name)] = true
		}
	}
	s.checkSubscriptions(rt, w)
	s.checkConnections(rt, w)
	s.checkCatalogs(rt, w)
	s.checkNames(rt, w)
	s.checkLimits(rt, w)
	s.checkOwners(rt, w)
	s.checkLocations(rt, w)
}

// checkSecrets: the secrets appear in no error and no view the step's
// operations returned, in no listing, and in no log line (SEC-1); every log
// line is a JSON object, one for each cloud call.
func (s *mdlState) checkSecrets(rt *rapid.T, w mdlWorld) {
	// Every form of what the step's operations returned; %+v of the
	// listings of the objects that take secrets.
	flextest.AssertNoSecretLeak(rt, mdlSecrets, s.seen...) // RULE SEC-1
	s.seen = nil
	listed := fmt.Sprintf("%+v %+v %+v", w.conns, w.cats, w.locs)
	for i, sec := range mdlSecrets {
		if strings.Contains(listed, sec) { // RULE SEC-1
			rt.Fatalf("SEC-1: secret %d shows in %%+v of the Tenant's listings", i)
		}
	}
	logged := s.env.log.take()
	for i, sec := range mdlSecrets {
		if strings.Contains(logged, sec) {
			line := logged[strings.LastIndex(logged[:strings.Index(logged, sec)], "\n")+1:]
			line, _, _ = strings.Cut(line, "\n")
			rt.Fatalf("SEC-1: secret %d shows in the log: %s", i, strings.ReplaceAll(line, sec, "<secret>"))
		}
	}
	// Every cloud call is logged, with its operation, resource, duration,
	// attempt and outcome: as many records as the Recorder saw calls.
	calls := 0
	for line := range strings.SplitSeq(strings.TrimSpace(logged), "\n") {
		if line == "" {
			continue
		}
		var rec struct {
			Msg, Op, Resource, Outcome string
			Duration, Attempt          *int64
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			rt.Fatalf("log line is not a JSON object (%v): %s", err, line)
		}
		if rec.Msg != "cloud call" {
			continue
		}
		calls++
		if rec.Op == "" || rec.Resource == "" || rec.Outcome == "" || rec.Duration == nil || rec.Attempt == nil {
			rt.Fatalf("the log record of a cloud call lacks its operation, resource, duration, attempt or outcome: %s", line)
		}
	}
	if n := s.env.rec.Len(); n != calls {
		rt.Fatalf("the Tenant made %d cloud calls and logged %d", n, calls)
	}
	s.env.rec.Reset()
}

// checkSubscriptions: each subscription has its resource group in its
// Azure subscription.
func (s *mdlState) checkSubscriptions(rt *rapid.T, w mdlWorld) {
	for _, sub := range w.subs {
		if !slices.ContainsFunc(w.res, func(r flex.Resource) bool {
			m := r.Metadata()
			return m.ID.Type == flex.TypeResourceGroup && strings.EqualFold(m.ID.Subscription, sub.AzureID) && m.Tags[flex.TagOwner] == "subscription/"+sub.Name
		}) {
			rt.Fatalf("subscription %s has no resource group in %s", sub.Name, sub.AzureID)
		}
	}
}

// mdlIDKey is id with every part folded, for comparing IDs as ARM does.
func mdlIDKey(id flex.ResourceID) flex.ResourceID {
	return flex.ResourceID{Subscription: mdlFold(id.Subscription), ResourceGroup: mdlFold(id.ResourceGroup), Type: flex.ResourceType(mdlFold(string(id.Type))), Name: mdlFold(id.Name)}
}

// mdlRangeSet is a sorted copy of ranges, for comparisons.
func mdlRangeSet(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	slices.Sort(out)
	return out
}

// checkConnections: the Tenant's connections are the model's with their
// ranges, each with its VNet of exactly those ranges in the cloud; every
// Citrix-managed network belongs to a live catalog; no two Flex ranges of
// a subscription overlap, in the listing or in the cloud (NET-4).
func (s *mdlState) checkConnections(rt *rapid.T, w mdlWorld) {
	bySub := map[string][]ipam.Entry{}
	for _, c := range w.conns {
		for _, p := range c.Ranges {
			bySub[mdlFold(c.Subscription)] = append(bySub[mdlFold(c.Subscription)], ipam.Entry{Owner: c.Name, Prefix: p})
		}
		if c.Managed {
			owner, ok := strings.CutPrefix(c.Name, "catalog/")
			if cat := s.model.cats[mdlFold(owner)]; !ok || cat == nil || cat.conn != "" {
				rt.Fatalf("Citrix-managed network %s belongs to no live catalog without connectivity", c.Name)
			}
		}
	}
	for sub, entries := range bySub {
		if err := ipam.CheckDisjoint(entries...); err != nil { // RULE NET-4
			rt.Fatalf("NET-4: Flex ranges of subscription %s overlap in the Tenant's listing:\n%v", sub, err)
		}
	}
	// The cloud: the tenant's VNets of one Azure subscription never
	// overlap, and each connection's VNet has exactly its ranges.
	vnets := map[string][]ipam.Entry{}
	for _, r := range w.res {
		v, ok := r.(*flex.VirtualNetwork)
		if !ok {
			continue
		}
		for _, p := range v.AddressSpace {
			vnets[mdlFold(v.ID.Subscription)] = append(vnets[mdlFold(v.ID.Subscription)], ipam.Entry{Owner: v.ID.String(), Prefix: p})
		}
	}
	for sub, entries := range vnets {
		if err := ipam.CheckDisjoint(entries...); err != nil { // RULE NET-4
			rt.Fatalf("NET-4: the tenant's VNets in Azure subscription %s overlap:\n%v", sub, err)
		}
	}
	for _, c := range s.model.conns {
		var found []string
		for _, r := range w.res {
			if v, ok := r.(*flex.VirtualNetwork); ok && v.Tags[flex.TagOwner] == "connection/"+c.name && strings.EqualFold(v.ID.Subscription, mdlAzureID(c.sub)) {
				found = append(found, mdlRangeSet(v.AddressSpace)...)
			}
		}
		slices.Sort(found)
		if diff := cmp.Diff(mdlRangeSet(c.ranges), found); diff != "" {
			rt.Fatalf("connection %s: its VNets' address spaces in the cloud (-model +cloud):\n%s", c.name, diff)
		}
	}
}

// checkCatalogs: the Tenant's catalogs are the model's, with their
// subscriptions, connections, machine counts, members and snapshots; each
// catalog's machines exist as VMs of its own with their OS disks, named by
// its scheme; its snapshots exist in the cloud; none is left busy.
func (s *mdlState) checkCatalogs(rt *rapid.T, w mdlWorld) {
	for _, c := range w.cats {
		if c.Operation != catalog.NoOperation || c.State == catalog.Processing || c.State == catalog.Deleting {
			rt.Fatalf("catalog %s is left %v (%v) after the step's operations returned", c.Name, c.State, c.Operation)
		}
		if c.Summary.Total != len(w.machines[mdlFold(c.Name)]) {
			rt.Fatalf("catalog %s: summary counts %d machines, Machines lists %d", c.Name, c.Summary.Total, len(w.machines[mdlFold(c.Name)]))
		}
	}
	disks := map[flex.ResourceID]bool{}
	vms := map[string][]string{} // folded catalog → its VMs' names
	snapsInCloud := map[string]int{}
	for _, r := range w.res {
		m := r.Metadata()
		owner, ok := strings.CutPrefix(m.Tags[flex.TagOwner], "catalog/")
		if !ok {
			continue
		}
		switch r := r.(type) {
		case *flex.VirtualMachine:
			vms[mdlFold(owner)] = append(vms[mdlFold(owner)], r.ID.Name)
		case *flex.Disk:
			disks[mdlIDKey(r.ID)] = true
		case *flex.Snapshot:
			snapsInCloud[mdlFold(owner)]++
		}
	}
	for _, r := range w.res {
		if vm, ok := r.(*flex.VirtualMachine); ok && !disks[mdlIDKey(vm.OSDisk)] {
			if _, isCat := strings.CutPrefix(vm.Tags[flex.TagOwner], "catalog/"); isCat {
				rt.Fatalf("VM %s has no OS disk %s", vm.ID, vm.OSDisk)
			}
		}
	}
	for k, c := range s.model.cats {
		var listed []string
		for _, m := range w.machines[k] {
			listed = append(listed, m.Name)
			if _, ok := c.scheme.Number(m.Name); !ok { // RULE NAM-1
				rt.Fatalf("machine %s of catalog %s is not named by its scheme %v", m.Name, c.name, c.scheme)
			}
		}
		slices.SortFunc(listed, func(a, b string) int { return strings.Compare(mdlFold(a), mdlFold(b)) })
		cloud := vms[k]
		slices.SortFunc(cloud, func(a, b string) int { return strings.Compare(mdlFold(a), mdlFold(b)) })
		if !slices.EqualFunc(listed, cloud, strings.EqualFold) {
			rt.Fatalf("catalog %s: machines listed %v, VMs in the cloud %v", c.name, listed, cloud)
		}
		n := 0
		for _, names := range c.snaps {
			n += len(names)
		}
		if snapsInCloud[k] != n {
			rt.Fatalf("catalog %s: %d snapshots in the cloud, %d in the model", c.name, snapsInCloud[k], n)
		}
	}
}

// checkNames: no two VMs of the tenant — machines, connectors — share a
// computer name, nor do two machines of the Tenant's listings.
func (s *mdlState) checkNames(rt *rapid.T, w mdlWorld) {
	seen := map[string]string{}
	for _, r := range w.res {
		vm, ok := r.(*flex.VirtualMachine)
		if !ok {
			continue
		}
		name := vm.ComputerName
		if name == "" {
			name = vm.ID.Name
		}
		if other, dup := seen[mdlFold(name)]; dup {
			rt.Fatalf("two VMs of the tenant are named %s: %s and %s", name, other, vm.ID)
		}
		seen[mdlFold(name)] = vm.ID.String()
	}
	listed := map[string]string{}
	for k, ms := range w.machines {
		for _, m := range ms {
			if other, dup := listed[mdlFold(m.Name)]; dup {
				rt.Fatalf("machine name %s is listed in catalog %s and in %s", m.Name, other, k)
			}
			listed[mdlFold(m.Name)] = k
		}
	}
}

// checkLimits: every limit holds, nothing stays reserved once the
// operations have returned, and LIM-4 counts exactly the VDAs: the
// machines of the subscription's catalogs, as the model and the cloud have
// them, and no connector.
func (s *mdlState) checkLimits(rt *rapid.T, w mdlWorld) {
	l := mdlLimits()
	if diff := cmp.Diff(l, s.env.tn.Limits()); diff != "" { // RULE LIM-9
		rt.Fatalf("LIM-9: the Tenant enforces other limits than configured (-configured +Limits):\n%s", diff)
	}
	flextest.AssertLimitsHold(rt, s.env.tn) // RULE LIM-1…LIM-9
	u := s.env.tn.Usage()
	if u.Catalogs.InUse+u.Catalogs.Reserved > l.CatalogsPerTenant || u.Catalogs.InUse != len(s.model.cats) { // RULE LIM-2
		rt.Fatalf("LIM-2: usage %+v, model %d catalogs, limit %d", u.Catalogs, len(s.model.cats), l.CatalogsPerTenant)
	}
	if u.ResourceLocations.InUse+u.ResourceLocations.Reserved > l.ResourceLocationsPerTenant || u.ResourceLocations.InUse != len(w.locs) { // RULE LIM-3
		rt.Fatalf("LIM-3: usage %+v, %d resource locations listed, limit %d", u.ResourceLocations, len(w.locs), l.ResourceLocationsPerTenant)
	}
	if u.ADDomains.Reserved != 0 || u.Catalogs.Reserved != 0 || u.ResourceLocations.Reserved != 0 {
		rt.Fatalf("quota left reserved after the operations returned: domains %+v, catalogs %+v, locations %+v", u.ADDomains, u.Catalogs, u.ResourceLocations)
	}
	vms := map[string]int{} // folded Azure subscription → catalog VMs
	for _, r := range w.res {
		if vm, ok := r.(*flex.VirtualMachine); ok && strings.HasPrefix(vm.Tags[flex.TagOwner], "catalog/") {
			vms[mdlFold(vm.ID.Subscription)]++
		}
	}
	for _, sub := range w.subs {
		var su *struct{ InUse, Reserved int }
		for _, x := range u.Subscriptions {
			if strings.EqualFold(x.Name, sub.Name) {
				su = &struct{ InUse, Reserved int }{x.VDAs.InUse, x.VDAs.Reserved}
			}
		}
		if su == nil {
			su = &struct{ InUse, Reserved int }{}
		}
		want := s.model.vdas(sub.Name)
		if su.InUse != want || su.Reserved != 0 || sub.VDAs != want || vms[mdlFold(sub.AzureID)] != want { // RULE LIM-4
			rt.Fatalf("LIM-4: subscription %s: ledger %d in use + %d reserved, view %d, %d catalog VMs in the cloud; the model has %d VDAs",
				sub.Name, su.InUse, su.Reserved, sub.VDAs, vms[mdlFold(sub.AzureID)], want)
		}
		if su.InUse >= l.VDAsPerSubscription { // RULE LIM-4
			rt.Fatalf("LIM-4: subscription %s holds %d VDAs; the limit is %d", sub.Name, su.InUse, l.VDAsPerSubscription)
		}
	}
	for _, loc := range u.Locations {
		if loc.SingleSessionUsers.Reserved != 0 || loc.MultiSessionUsers.Reserved != 0 || loc.ADDomains.Reserved != 0 {
			rt.Fatalf("quota of resource location %s left reserved: %+v", loc.Name, loc)
		}
	}
}

// checkOwners: every cloud resource tagged for the tenant belongs to a
// live object of the model (or, for resource locations, of the listing) in
// that object's Azure subscription — a peering on the customer's VNet
// belongs to its connection — and every VM, disk and snapshot of a catalog
// or location is one it has. Nothing is orphaned. The tenant creates no
// images, bastions or keys here, so resources owned by those are orphans.
func (s *mdlState) checkOwners(rt *rapid.T, w mdlWorld) {
	vmNames := map[flex.ResourceID]bool{} // VMs whose owner is live
	disks := map[flex.ResourceID]bool{}   // OS disks of live VMs
	locs := map[string]flex.ResourceLocation{}
	connectors := map[string]bool{} // folded location/connector
	for _, l := range w.locs {
		locs[mdlFold(l.Name)] = l
		for _, c := range l.Connectors {
			connectors[mdlFold(l.Name+"/"+c.Name)] = true
		}
	}
	listed := map[string]bool{} // folded catalog/machine
	for k, ms := range w.machines {
		for _, m := range ms {
			listed[k+"/"+mdlFold(m.Name)] = true
		}
	}
	orphan := func(r flex.Resource, why string, args ...any) {
		rt.Fatalf("orphan %s (owner %q): %s", r.Metadata().ID, r.Metadata().Tags[flex.TagOwner], fmt.Sprintf(why, args...))
	}
	for _, r := range w.res {
		m := r.Metadata()
		kind, name, _ := strings.Cut(m.Tags[flex.TagOwner], "/")
		sub := m.ID.Subscription
		switch kind {
		case "subscription":
			if _, ok := s.model.subs[mdlFold(name)]; !ok || !strings.EqualFold(sub, mdlAzureID(name)) {
				orphan(r, "no such subscription")
			}
		case "connection":
			c, ok := s.model.conns[mdlFold(name)]
			switch {
			case !ok:
				orphan(r, "no such connection")
			case strings.EqualFold(sub, mdlCustAzure) && m.ID.Type == flex.TypePeering:
			case !strings.EqualFold(sub, mdlAzureID(c.sub)):
				orphan(r, "connection %s is in subscription %s", c.name, c.sub)
			}
		case "catalog":
			c, ok := s.model.cats[mdlFold(name)]
			switch {
			case !ok:
				orphan(r, "no such catalog")
			case !strings.EqualFold(sub, mdlAzureID(c.sub)):
				orphan(r, "catalog %s is in subscription %s", c.name, c.sub)
			case m.ID.Type == flex.TypeVirtualMachine && !listed[mdlFold(name+"/"+m.ID.Name)]:
				orphan(r, "catalog %s has no such machine", c.name)
			case m.ID.Type == flex.TypeVirtualMachine:
				vmNames[mdlIDKey(m.ID)] = true
			}
		case "location":
			l, ok := locs[mdlFold(name)]
			switch {
			case !ok:
				orphan(r, "no such resource location")
			case !strings.EqualFold(sub, mdlAzureID(l.Subscription)):
				orphan(r, "resource location %s is in subscription %s", l.Name, l.Subscription)
			case m.ID.Type == flex.TypeVirtualMachine && !connectors[mdlFold(name+"/"+m.ID.Name)]:
				orphan(r, "resource location %s has no such connector", l.Name)
			case m.ID.Type == flex.TypeVirtualMachine:
				vmNames[mdlIDKey(m.ID)] = true
			}
		default:
			orphan(r, "the tenant has no object of that kind here")
		}
	}
	for _, r := range w.res {
		if vm, ok := r.(*flex.VirtualMachine); ok && vmNames[mdlIDKey(vm.ID)] {
			disks[mdlIDKey(vm.OSDisk)] = true
		}
	}
	for _, r := range w.res {
		if d, ok := r.(*flex.Disk); ok && !disks[mdlIDKey(d.ID)] {
			orphan(r, "the OS disk of no live VM")
		}
	}
}

// checkLocations: every resource location serves at least one live
// catalog (it goes with its last one, RL-1) and each catalog's location
// lists it; its connectors are VMs in the cloud.
func (s *mdlState) checkLocations(rt *rapid.T, w mdlWorld) {
	byCat := map[string]string{}
	for _, l := range w.locs {
		if len(l.Catalogs) == 0 {
			rt.Fatalf("resource location %s serves no catalog", l.Name)
		}
		for _, c := range l.Catalogs {
			if _, ok := s.model.cats[mdlFold(c)]; !ok {
				rt.Fatalf("resource location %s lists catalog %s, which does not exist", l.Name, c)
			}
			byCat[mdlFold(c)] = l.Name
		}
		n := 0
		for _, r := range w.res {
			if r.Metadata().ID.Type == flex.TypeVirtualMachine && strings.EqualFold(r.Metadata().Tags[flex.TagOwner], "location/"+l.Name) {
				n++
			}
		}
		if n != len(l.Connectors) {
			rt.Fatalf("resource location %s lists %d connectors; the cloud has %d of its VMs", l.Name, len(l.Connectors), n)
		}
	}
	for _, c := range w.cats {
		if !strings.EqualFold(byCat[mdlFold(c.Name)], c.ResourceLocation) {
			rt.Fatalf("catalog %s is in resource location %q, which lists it as in %q", c.Name, c.ResourceLocation, byCat[mdlFold(c.Name)])
		}
	}
}

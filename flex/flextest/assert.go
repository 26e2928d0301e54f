package flextest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
)

// tagged is a cloud resource as AssertNoOrphans reports it: its name,
// type (the last part of its resource type), resource group and Azure
// subscription, and the Flex object its TagOwner tag names ("" when it has
// none). The ID is in parts so that a diff shows each whole.
type tagged struct {
	Name, Type, Group, Subscription string
	Owner                           string
}

// liveObjects is what a Tenant's listings say exists, by the owner tags
// its resources carry. Names are folded.
type liveObjects struct {
	subs      map[string]string          // Azure subscription ID → Flex subscription name
	owners    map[string]bool            // "kind/name" of connections, catalogs, bastions, keys ("key/<subscription>/<name>")
	images    map[string]map[string]bool // Azure subscription ID → live image names
	locations map[string]bool            // live resource location names
	machines  map[string]map[string]bool // catalog → its machines
	snapshots map[string]map[string]int  // catalog → machine → how many snapshots it has
	vms       map[string]bool            // IDs of bastion and build machine VMs
	conns     map[string]map[string]bool // Azure subscription ID → Cloud Connector names
	// remote holds, for each connection, the customer's resource it puts
	// a child in: the peered VNet, the Virtual WAN hub, as
	// remoteKey("connection/<name>", ID).
	remote map[string]bool
}

// remoteKey is the key of liveObjects.remote: an owner and the ID of a
// customer's resource.
func remoteKey(owner string, id flex.ResourceID) string {
	return fold(owner) + "\x00" + fold(id.String())
}

// customerParent returns the customer's resource a connection's resource
// on the customer's side is a child of — the peered VNet of a peering
// back, the hub of a hub connection — and whether r is such a resource.
func customerParent(r flex.Resource) (flex.ResourceID, bool) {
	id := r.Metadata().ID
	i := strings.LastIndexByte(id.Name, '/')
	if i < 0 {
		return flex.ResourceID{}, false
	}
	parent := flex.ResourceID{Subscription: id.Subscription, ResourceGroup: id.ResourceGroup, Name: id.Name[:i]}
	switch id.Type {
	case flex.TypePeering:
		parent.Type = flex.TypeVirtualNetwork
	case flex.TypeHubConnection:
		parent.Type = flex.TypeVirtualHub
	default:
		return flex.ResourceID{}, false
	}
	return parent, true
}

// remoteOf returns the ID of the customer's resource a connection of spec
// puts a child in — the peered VNet, the Virtual WAN hub — or false when
// it puts none there.
func remoteOf(spec network.Spec) (flex.ResourceID, bool) {
	var id network.ResourceID
	var typ flex.ResourceType
	switch s := spec.(type) {
	case network.PeeringSpec:
		id, typ = s.RemoteVNet, flex.TypeVirtualNetwork
	case network.VWANSpec:
		id, typ = s.Hub.ID, flex.TypeVirtualHub
	default:
		return flex.ResourceID{}, false
	}
	if id.Name == "" {
		return flex.ResourceID{}, false
	}
	return flex.ResourceID{Subscription: id.Subscription, ResourceGroup: id.ResourceGroup, Type: typ, Name: id.Name}, true
}

// AssertNoOrphans fails the test unless every cloud resource tagged for
// tenant (TagTenant is its ID) belongs to a Flex object the tenant's
// listings report live, and reports the resources that do not as a go-cmp
// diff (-owned +tagged). A resource belongs to a live object when it lies
// in the Azure subscription of a live Flex subscription and its TagOwner
// tag names a live object there, or, on the customer's side, when it is
// what a live connection put in the customer's network: the peering back
// from its peered VNet, its connection to the Virtual WAN hub (NET-7,
// NET-12), a child of that VNet or hub tagged with the connection. In a
// live Flex subscription the owner names:
//
//   - subscription/<name>: Subscriptions;
//   - connection/<name>: Connections;
//   - catalog/<name>: Catalogs (the Citrix-managed network of a catalog
//     with No connectivity carries the catalog's tag);
//   - bastion/<connection>: Bastions;
//   - key/<name>: Keys of that subscription;
//   - image/<id>: Images of that subscription (a managed network of an
//     image build carries the image's tag);
//   - location/<id>: ResourceLocations.
//
// Machines are checked one by one: a virtual machine must be a machine of
// its catalog (Machines), a Cloud Connector of a resource location, the
// VM of a bastion or the build machine of an image (Bastions, Images); a
// managed disk must be the OS disk of such a VM; a snapshot must be one of
// its catalog's (Snapshots), counted per machine.
//
// Images and resource locations keep the tag of the name they were created
// with when renamed, and the listings give only the current name; so an
// image or location tag that names no live one is reported only when there
// are more such tags than renamed-away live objects that could own them,
// and then every unmatched tag is listed. Machines and connectors are
// matched by name and count the same way. A resource without an owner tag,
// or with one of another kind, is an orphan.
//
// The resources are read from cloud's inspection API (Resources), which
// sees every tenant's; the listings need read access (ADM-1) for the
// tenant's default administrator.
func AssertNoOrphans(t TB, cloud *fake.Cloud, tenant *flex.Tenant) {
	t.Helper()
	live, err := listLive(t, tenant)
	if err != nil {
		t.Errorf("flextest.AssertNoOrphans: listing the tenant's objects: %v", err)
		return
	}
	res := cloud.Resources(flex.Filter{Tags: map[string]string{flex.TagTenant: tenant.ID()}})
	owned := make(map[string]bool, len(res))
	// claim marks every resource of group as owned when the live objects
	// that could own them are at least as many as the resources, and else
	// those that match one by name; when none matches, none is owned.
	claim := func(group []flex.Resource, liveCount int, match func(flex.Resource) bool) {
		if len(group) <= liveCount {
			for _, r := range group {
				owned[r.Metadata().ID.String()] = true
			}
			return
		}
		for _, r := range group {
			if match(r) {
				owned[r.Metadata().ID.String()] = true
			}
		}
	}

	// Objects: the owner tag names a live object.
	unmatched := map[string][]flex.Resource{} // image and location tags naming no live object, by kind and subscription
	for _, r := range res {
		m := r.Metadata()
		sub := fold(m.ID.Subscription)
		kind, name, _ := strings.Cut(m.Tags[flex.TagOwner], "/")
		id := m.ID.String()
		subName, ok := live.subs[sub]
		if !ok {
			// Not in a live subscription: only what a connection put on
			// the customer's side belongs to it.
			if parent, ok := customerParent(r); ok && kind == "connection" {
				owned[id] = live.remote[remoteKey(m.Tags[flex.TagOwner], parent)]
			}
			continue
		}
		switch kind {
		case "subscription":
			owned[id] = fold(name) == fold(subName)
		case "connection", "catalog", "bastion":
			owned[id] = live.owners[fold(m.Tags[flex.TagOwner])]
		case "key":
			owned[id] = live.owners[fold("key/"+subName+"/"+name)]
		case "image":
			if owned[id] = live.images[sub][fold(name)]; !owned[id] {
				unmatched["image\x00"+sub] = append(unmatched["image\x00"+sub], r)
			}
		case "location":
			if owned[id] = live.locations[fold(name)]; !owned[id] {
				unmatched["location"] = append(unmatched["location"], r)
			}
		}
	}
	for k, group := range unmatched {
		kind, sub, _ := strings.Cut(k, "\x00")
		tags := map[string]bool{}
		for _, r := range group {
			tags[fold(r.Metadata().Tags[flex.TagOwner])] = true
		}
		// Live objects whose names no tag matches may have been renamed:
		// each can own the resources of one unmatched tag.
		var free int
		if kind == "image" {
			free = unmatchedNames(live.images[sub], ownersOf(res, "image", sub))
		} else {
			free = unmatchedNames(live.locations, ownersOf(res, "location", ""))
		}
		if len(tags) <= free {
			for _, r := range group {
				owned[r.Metadata().ID.String()] = true
			}
		}
	}

	// Machines: a VM of a live owner must be one of its machines.
	catalogVMs := map[string][]flex.Resource{}   // catalog → its VMs
	connectorVMs := map[string][]flex.Resource{} // Azure subscription → location VMs
	for _, r := range res {
		m := r.Metadata()
		if m.ID.Type != flex.TypeVirtualMachine || !owned[m.ID.String()] {
			continue
		}
		kind, name, _ := strings.Cut(m.Tags[flex.TagOwner], "/")
		switch kind {
		case "catalog":
			owned[m.ID.String()] = false
			catalogVMs[fold(name)] = append(catalogVMs[fold(name)], r)
		case "location":
			owned[m.ID.String()] = false
			sub := fold(m.ID.Subscription)
			connectorVMs[sub] = append(connectorVMs[sub], r)
		case "bastion", "image":
			owned[m.ID.String()] = live.vms[fold(m.ID.String())]
		}
	}
	for cat, vms := range catalogVMs {
		claim(vms, len(live.machines[cat]), func(r flex.Resource) bool { return live.machines[cat][fold(r.Metadata().ID.Name)] })
	}
	for sub, vms := range connectorVMs {
		claim(vms, len(live.conns[sub]), func(r flex.Resource) bool { return live.conns[sub][fold(r.Metadata().ID.Name)] })
	}
	// Disks are the OS disks of owned VMs; snapshots are their catalog's.
	osDisks := map[string]bool{}
	for _, r := range res {
		if vm, ok := r.(*flex.VirtualMachine); ok && owned[vm.ID.String()] {
			osDisks[fold(vm.OSDisk.String())] = true
		}
	}
	catalogSnaps := map[string][]flex.Resource{}
	for _, r := range res {
		m := r.Metadata()
		switch {
		case m.ID.Type == flex.TypeDisk && owned[m.ID.String()]:
			owned[m.ID.String()] = osDisks[fold(m.ID.String())]
		case m.ID.Type == flex.TypeSnapshot && owned[m.ID.String()]:
			if kind, name, _ := strings.Cut(m.Tags[flex.TagOwner], "/"); kind == "catalog" {
				owned[m.ID.String()] = false
				catalogSnaps[fold(name)] = append(catalogSnaps[fold(name)], r)
			}
		}
	}
	for cat, snaps := range catalogSnaps {
		n := 0
		for _, c := range live.snapshots[cat] {
			n += c
		}
		claim(snaps, n, func(r flex.Resource) bool {
			for machine, c := range live.snapshots[cat] {
				if c > 0 && strings.HasPrefix(fold(r.Metadata().ID.Name), machine+"_") {
					return true
				}
			}
			return false
		})
	}

	var all, kept []tagged
	for _, r := range res {
		m := r.Metadata()
		typ := string(m.ID.Type)
		typ = typ[strings.LastIndexByte(typ, '/')+1:]
		tg := tagged{Name: m.ID.Name, Type: typ, Group: m.ID.ResourceGroup, Subscription: m.ID.Subscription, Owner: m.Tags[flex.TagOwner]}
		all = append(all, tg)
		if owned[m.ID.String()] {
			kept = append(kept, tg)
		}
	}
	if len(kept) == len(all) {
		return
	}
	t.Errorf("flextest.AssertNoOrphans: cloud resources of tenant %q that no live Flex object owns (-owned +tagged):\n%s",
		tenant.ID(), cmp.Diff(kept, all))
}

func fold(s string) string { return strings.ToLower(s) }

// ownersOf returns the names (folded) in the owner tags of kind of the
// resources, in Azure subscription sub ("" for every one).
func ownersOf(res []flex.Resource, kind, sub string) map[string]bool {
	out := map[string]bool{}
	for _, r := range res {
		m := r.Metadata()
		if sub != "" && fold(m.ID.Subscription) != sub {
			continue
		}
		if k, name, _ := strings.Cut(m.Tags[flex.TagOwner], "/"); k == kind {
			out[fold(name)] = true
		}
	}
	return out
}

// unmatchedNames counts the live names no owner tag matches.
func unmatchedNames(live, tags map[string]bool) int {
	n := 0
	for name := range live {
		if !tags[name] {
			n++
		}
	}
	return n
}

// listLive reads what tenant's listings report live.
func listLive(t TB, tenant *flex.Tenant) (liveObjects, error) {
	ctx := t.Context()
	live := liveObjects{subs: map[string]string{}, owners: map[string]bool{}, images: map[string]map[string]bool{},
		locations: map[string]bool{}, machines: map[string]map[string]bool{}, snapshots: map[string]map[string]int{},
		vms: map[string]bool{}, conns: map[string]map[string]bool{}, remote: map[string]bool{}}
	subs, err := tenant.Subscriptions(ctx)
	if err != nil {
		return live, err
	}
	azure := map[string]string{} // Flex subscription name → Azure ID, folded
	for _, s := range subs {
		live.subs[fold(s.AzureID)] = s.Name
		azure[fold(s.Name)] = fold(s.AzureID)
	}
	conns, err := tenant.Connections(ctx)
	if err != nil {
		return live, err
	}
	for _, c := range conns {
		if !c.Managed {
			live.owners[fold("connection/"+c.Name)] = true
			if id, ok := remoteOf(c.Spec); ok {
				live.remote[remoteKey("connection/"+c.Name, id)] = true
			}
		}
	}
	cats, err := tenant.Catalogs(ctx)
	if err != nil {
		return live, err
	}
	for _, c := range cats {
		name := fold(c.Name)
		live.owners["catalog/"+name] = true
		ms, err := tenant.Machines(ctx, c.Name)
		if err != nil {
			return live, err
		}
		live.machines[name] = map[string]bool{}
		for _, m := range ms {
			live.machines[name][fold(m.Name)] = true
		}
		snaps, err := tenant.Snapshots(ctx, c.Name, "")
		if err != nil {
			return live, err
		}
		live.snapshots[name] = map[string]int{}
		for _, s := range snaps {
			live.snapshots[name][fold(s.Machine)]++
		}
	}
	bastions, err := tenant.Bastions(ctx)
	if err != nil {
		return live, err
	}
	for _, b := range bastions {
		live.owners[fold("bastion/"+b.Connection)] = true
		live.vms[fold(b.VM.String())] = true
	}
	keys, err := tenant.Keys(ctx)
	if err != nil {
		return live, err
	}
	for _, k := range keys {
		live.owners[fold("key/"+k.Subscription+"/"+k.Name)] = true
	}
	imgs, err := tenant.Images(ctx)
	if err != nil {
		return live, err
	}
	for _, img := range imgs {
		if img.Subscription == "" {
			continue // prepared: no resources of its own
		}
		sub := azure[fold(img.Subscription)]
		if live.images[sub] == nil {
			live.images[sub] = map[string]bool{}
		}
		live.images[sub][fold(img.Name)] = true
		if !img.Builder.VM.IsZero() {
			live.vms[fold(img.Builder.VM.String())] = true
		}
	}
	locs, err := tenant.ResourceLocations(ctx)
	if err != nil {
		return live, err
	}
	for _, l := range locs {
		live.locations[fold(l.Name)] = true
		sub := azure[fold(l.Subscription)]
		if live.conns[sub] == nil {
			live.conns[sub] = map[string]bool{}
		}
		for _, c := range l.Connectors {
			live.conns[sub][fold(c.Name)] = true
		}
	}
	return live, nil
}

// limitCount is one limit of a tenant as AssertLimitsHold reads it from
// Usage: the rule, where it applies, the usage (committed and reserved
// together), the configured limit and the most the usage may be.
type limitCount struct {
	Rule  string // "LIM-4"
	Scope string // "tenant", "subscription Citrix Managed", "resource location West"
	Used  int    // InUse + Reserved
	Limit int    // the configured limit
	Max   int    // Limit, or Limit − 1 for LIM-4, which usage must stay below
}

// AssertLimitsHold fails the test unless tenant.Usage() keeps every limit
// of tenant.Limits() (LIM-1…LIM-8), counting reserved usage with the
// committed: tenant-wide AD domains (LIM-1), catalogs (LIM-2) and resource
// locations (LIM-3); each subscription's VDAs strictly below its limit, as
// quota.Ledger documents (LIM-4), and its near-limit flag set exactly at
// NearLimitPercent or more (LIM-5); each resource location's AD domains
// (LIM-6) and single- and multi-session users (LIM-7, LIM-8). It also checks
// that every count reports the limit the tenant was configured with
// (LIM-9). Problems are reported as go-cmp diffs.
func AssertLimitsHold(t TB, tenant *flex.Tenant) {
	t.Helper()
	l := tenant.Limits()
	u := tenant.Usage()
	if diff := cmp.Diff(l, u.Limits); diff != "" {
		t.Errorf("flextest.AssertLimitsHold: Usage reports other limits than Limits (-Limits +Usage.Limits):\n%s", diff) // RULE LIM-9
	}
	var counts, configured []limitCount
	add := func(scope string, c quota.Count, limit int) {
		maxUsed := c.Limit
		if c.Rule == "LIM-4" {
			maxUsed = c.Limit - 1
		}
		counts = append(counts, limitCount{Rule: c.Rule, Scope: scope, Used: c.InUse + c.Reserved, Limit: c.Limit, Max: maxUsed})
		configured = append(configured, limitCount{Rule: c.Rule, Scope: scope, Used: c.InUse + c.Reserved, Limit: limit, Max: maxUsed})
	}
	add("tenant", u.ADDomains, l.ADDomainsPerTenant)
	add("tenant", u.Catalogs, l.CatalogsPerTenant)
	add("tenant", u.ResourceLocations, l.ResourceLocationsPerTenant)
	type near struct {
		Subscription string
		VDAs         int
		Near         bool
	}
	var nearGot, nearWant []near
	for _, s := range u.Subscriptions {
		add("subscription "+s.Name, s.VDAs, l.VDAsPerSubscription)
		used := s.VDAs.InUse + s.VDAs.Reserved
		nearGot = append(nearGot, near{s.Name, used, s.Near})
		nearWant = append(nearWant, near{s.Name, used, l.Near(used)})
	}
	for _, loc := range u.Locations {
		add("resource location "+loc.Name, loc.ADDomains, l.ADDomainsPerResourceLocation)
		add("resource location "+loc.Name, loc.SingleSessionUsers, l.SingleSessionUsersPerResourceLocation)
		add("resource location "+loc.Name, loc.MultiSessionUsers, l.MultiSessionUsersPerResourceLocation)
	}
	if diff := cmp.Diff(configured, counts); diff != "" {
		t.Errorf("flextest.AssertLimitsHold: counts report other limits than configured (-configured +reported):\n%s", diff) // RULE LIM-9
	}
	var over []limitCount
	for _, c := range counts {
		if c.Used > c.Max {
			over = append(over, c)
		}
	}
	if diff := cmp.Diff([]limitCount(nil), over); diff != "" {
		t.Errorf("flextest.AssertLimitsHold: limits exceeded (-none +exceeded):\n%s", diff) // RULE LIM-1…LIM-8
	}
	if diff := cmp.Diff(nearWant, nearGot); diff != "" {
		t.Errorf("flextest.AssertLimitsHold: near-limit flags (-want +got):\n%s", diff) // RULE LIM-5
	}
}

// AssertNoSecretLeak fails the test when any of secrets shows in what
// values print or encode: fmt's %v, %+v, %#v and %s, encoding/json and,
// for errors, Error(), each also through the errors they wrap. A secret
// is looked for as it is, JSON-escaped and Go-quoted, so a secret holding
// quotes or non-ASCII text is found in every form (SEC-1). Empty secrets
// are ignored; choose secrets no other text holds by chance.
//
// The report names the value (by position and type), the form and the
// secret (by position), and shows the output with the secret replaced by
// <secret n>, so that the test log does not leak it either.
func AssertNoSecretLeak(t TB, secrets []string, values ...any) {
	t.Helper()
	type needle struct {
		i    int
		text string
	}
	var needles []needle
	for i, s := range secrets {
		if s == "" {
			continue
		}
		forms := []string{s}
		if b, err := json.Marshal(s); err == nil {
			forms = append(forms, string(b[1:len(b)-1]))
		}
		forms = append(forms, strconv.Quote(s)[1:len(strconv.Quote(s))-1])
		for _, f := range forms {
			if f != "" && !slices.ContainsFunc(needles, func(n needle) bool { return n.i == i && n.text == f }) {
				needles = append(needles, needle{i, f})
			}
		}
	}
	redact := func(s string) string {
		// Longer forms first, so that a secret inside another is not cut.
		ns := slices.Clone(needles)
		slices.SortFunc(ns, func(a, b needle) int { return len(b.text) - len(a.text) })
		for _, n := range ns {
			s = strings.ReplaceAll(s, n.text, fmt.Sprintf("<secret %d>", n.i))
		}
		return s
	}
	for vi, v := range values {
		for _, out := range renderings(v) {
			for _, n := range needles {
				if strings.Contains(out.text, n.text) {
					t.Errorf("flextest.AssertNoSecretLeak: value %d (%T) shows secret %d in its %s: %s", vi, v, n.i, out.form, redact(out.text)) // RULE SEC-1
					break
				}
			}
		}
	}
}

type rendering struct{ form, text string }

// renderings returns what v prints and encodes as.
func renderings(v any) []rendering {
	out := []rendering{
		{"%v", fmt.Sprintf("%v", v)},
		{"%+v", fmt.Sprintf("%+v", v)},
		{"%#v", fmt.Sprintf("%#v", v)},
		{"%s", fmt.Sprintf("%s", v)},
	}
	if b, err := json.Marshal(v); err == nil {
		out = append(out, rendering{"JSON", string(b)})
	}
	if err, ok := v.(error); ok && err != nil {
		var walk func(prefix string, e error, depth int)
		walk = func(prefix string, e error, depth int) {
			if e == nil || depth > 16 {
				return
			}
			out = append(out, rendering{prefix + "Error()", e.Error()})
			switch u := e.(type) {
			case interface{ Unwrap() []error }:
				for i, w := range u.Unwrap() {
					walk(fmt.Sprintf("%sUnwrap()[%d].", prefix, i), w, depth+1)
				}
			case interface{ Unwrap() error }:
				walk(prefix+"Unwrap().", u.Unwrap(), depth+1)
			}
		}
		walk("", err, 0)
	}
	return out
}

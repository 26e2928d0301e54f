package flex

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/netip"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/go-multierror"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/naming"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// Load builds a Tenant over the provider p from a state document that
// Save wrote, with the options opts (clock, logger, workers, progress,
// randomness, owner; see NewTenant). The tenant's ID and limits come from
// the document: WithID, if given, must name the same tenant, and
// WithLimits, if given, replaces the saved limits (the state must then fit
// them). A document with sealed secrets needs the state key it was saved
// with (WithStateKey).
//
// Load checks the whole document before it returns anything, and refuses
// with ErrInvalid, listing every problem with the field or object it
// concerns, a document that is not exactly one Save could have written:
// one that is not JSON, whose checksum does not match its bytes (any
// change after Save), of a version newer than StateVersion ("state
// version 2 is newer than this SDK understands (1)"), with unknown,
// missing, repeated or mistyped fields, duplicate names, references to
// objects it does not hold, overlapping address ranges, usage beyond the
// limits, work saved in flight, or secrets that do not open with the key.
// A refused document gives no Tenant; nothing is half-loaded. Load makes
// no cloud call: Tenant.Reconcile compares the state with the cloud.
func Load(r io.Reader, p Provider, opts ...Option) (*Tenant, error) {
	const op = "Load"
	const obj = "state document"
	invalid := func(err error) (*Tenant, error) { return nil, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err} }
	data, err := io.ReadAll(io.LimitReader(r, maxStateSize+1))
	if err != nil {
		return nil, &Error{Op: op, Object: obj, Err: err}
	}
	switch {
	case len(data) > maxStateSize:
		return invalid(fmt.Errorf("the document is larger than %d bytes", maxStateSize))
	case !utf8.Valid(data):
		return invalid(errors.New("the document is not valid UTF-8"))
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return invalid(fmt.Errorf("the document is not a JSON object: %w", err))
	}
	raw, ok := top["version"]
	if !ok {
		return invalid(errors.New(`the document has no "version"; it is not a saved state`))
	}
	var version int
	if err := json.Unmarshal(raw, &version); err != nil {
		return invalid(fmt.Errorf("state version %s is not a whole number", raw))
	}
	switch {
	case version > StateVersion:
		return invalid(fmt.Errorf("state version %d is newer than this SDK understands (%d)", version, StateVersion))
	case version < 1:
		return invalid(fmt.Errorf("state version %d is not one this SDK knows (1 to %d)", version, StateVersion))
	}
	if err := verifyDocument(data); err != nil {
		return invalid(err)
	}
	var doc stateDoc
	if err := decodeJSON(data, &doc); err != nil {
		return invalid(err)
	}

	// The options as given, to tell which the caller set.
	given := &Tenant{}
	for _, o := range opts {
		o(given)
	}
	t := NewTenant(p, opts...)
	if t.limitsErr != nil {
		return invalid(fmt.Errorf("WithLimits: %w", t.limitsErr))
	}
	l := &loader{t: t, doc: &doc}
	l.tenant(given)
	if len(l.errs) == 0 {
		l.load()
	}
	if len(l.errs) > 0 {
		errs := l.errs
		if len(errs) > maxLoadProblems {
			errs = append(errs[:maxLoadProblems:maxLoadProblems], fmt.Errorf("and %d more problems", len(l.errs)-maxLoadProblems))
		}
		return invalid(&multierror.Error{Errors: errs, ErrorFormat: rule.Lines})
	}
	return t, nil
}

// maxLoadProblems bounds the problems a refusal lists.
const maxLoadProblems = 50

// loader checks a decoded document and builds the Tenant t from it. The
// Tenant is new and private to Load until every check has passed.
type loader struct {
	t      *Tenant
	doc    *stateDoc
	errs   []error
	sealer *sealer // nil when the document's secrets are excluded

	// Every claim on a connection's subnet, so that none is claimed twice.
	claimed map[*subnetUse]string
}

func (l *loader) bad(format string, args ...any) {
	l.errs = append(l.errs, fmt.Errorf(format, args...))
}

// tenant checks the tenant's ID, limits and secrets mode against the
// options given.
func (l *loader) tenant(given *Tenant) {
	t, d := l.t, l.doc.Tenant
	if d.ID == "" {
		l.bad("tenant: no ID")
	}
	if given.id != "" && given.id != d.ID {
		l.bad("tenant: the document is the state of tenant %q; WithID names %q", d.ID, given.id)
	}
	t.id = d.ID
	limits := d.Limits
	if err := limits.Validate(); err != nil {
		l.bad("tenant: limits: %v", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	if given.limits != (quota.Limits{}) {
		limits = given.limits
	}
	if ledger, err := quota.NewLedger(limits); err == nil {
		t.limits, t.ledger = limits, ledger
	}
	if t.stateKeyErr != nil {
		l.bad("WithStateKey: %v", t.stateKeyErr)
		return
	}
	switch d.Secrets {
	case secretsExcluded:
		if d.KeyCheck != "" {
			l.bad("tenant: a key check without sealed secrets")
		}
	case secretsSealed:
		if t.stateKey == nil {
			l.bad("tenant: the document's secrets are sealed with a state key; load it with that key (WithStateKey)")
			return
		}
		s, err := newSealer(t.stateKey, d.ID)
		if err != nil {
			l.bad("WithStateKey: %v", err)
			return
		}
		got, err := s.open("key-check", d.KeyCheck)
		switch {
		case err != nil && d.KeyCheck != "":
			l.bad("tenant: the key check %v", err)
		case got != keyCheckText:
			l.bad("tenant: the key check does not hold what Save seals")
		default:
			l.sealer = s
		}
	default:
		l.bad("tenant: secrets %q: want %q or %q", d.Secrets, secretsExcluded, secretsSealed)
	}
}

// load checks and builds every object, in the order their references
// need.
func (l *loader) load() {
	t := l.t
	t.initConns()
	t.initImaging()
	t.catalogs = map[string]*catalogObj{}
	t.locations = map[string]*locationObj{}
	l.claimed = map[*subnetUse]string{}
	l.subscriptions()
	l.keys()
	l.connections()
	l.images()
	l.locations()
	l.catalogs()
	l.locationsUsed()
	l.bastions()
	l.rdpAccess()
	l.activities()
	if len(l.errs) > 0 {
		return
	}
	l.spaces()
	l.ledger()
	for _, c := range t.conns {
		if c.ready {
			c.vnet = t.desiredVNet(c)
		}
	}
}

// sub returns the subscription named name, spelled as the Tenant spells
// it, or reports why not.
func (l *loader) sub(where, name string) *subscription {
	s := l.t.subs[fold(name)]
	switch {
	case s == nil:
		l.bad("%s: subscription %q is not in the document", where, name)
		return nil
	case s.name != name:
		l.bad("%s: subscription %q is spelled %q", where, name, s.name)
		return nil
	}
	return s
}

// realConn returns the connection named name of subscription s, which is
// not a Citrix-managed network, or reports why not.
func (l *loader) realConn(where, name string, s *subscription) *connection {
	c := l.t.conns[fold(name)]
	switch {
	case c == nil || c.managed:
		l.bad("%s: connection %q is not in the document", where, name)
		return nil
	case s != nil && c.sub != s.name:
		l.bad("%s: connection %q is of subscription %q, not %q (SUB-2)", where, name, c.sub, s.name)
		return nil
	}
	return c
}

// claim returns the subnet named name of connection c for owner, once.
func (l *loader) claim(where string, c *connection, name, owner string) *subnetUse {
	if c == nil {
		return nil
	}
	i := slices.IndexFunc(c.subnets, func(su *subnetUse) bool { return su.Name == name })
	if i < 0 {
		l.bad("%s: subnet %q is not a subnet of %s", where, name, c.object())
		return nil
	}
	su := c.subnets[i]
	if su.owner != owner {
		l.bad("%s: subnet %q of %s belongs to %q, not %q", where, name, c.object(), su.owner, owner)
		return nil
	}
	if o, ok := l.claimed[su]; ok {
		l.bad("%s: subnet %q of %s is %s's already", where, name, c.object(), o)
		return nil
	}
	l.claimed[su] = where
	return su
}

func validRegion(r network.Region) bool { return r.IsValid() }

func (l *loader) subscriptions() {
	t := l.t
	for _, d := range l.doc.Subscriptions {
		where := fmt.Sprintf("subscription %q", d.Name)
		if err := SubscriptionSpec(d).Validate(); err != nil {
			l.bad("%s: %v", where, oneLine(err))
			continue
		}
		if _, dup := t.subs[fold(d.Name)]; dup {
			l.bad("%s: the name is given twice (SUB-1)", where)
			continue
		}
		for _, o := range t.subs {
			if strings.EqualFold(o.azureID, d.AzureID) {
				l.bad("%s: Azure subscription %s already backs subscription %q (SUB-2)", where, d.AzureID, o.name)
			}
		}
		t.subs[fold(d.Name)] = &subscription{name: d.Name, azureID: d.AzureID}
	}
}

func (l *loader) keys() {
	t := l.t
	for _, d := range l.doc.Keys {
		where := fmt.Sprintf("key %q of subscription %q", d.Name, d.Subscription)
		s := l.sub(where, d.Subscription)
		if err := (KeySpec{Subscription: d.Subscription, Region: d.Region, Name: d.Name, RotationPeriod: d.RotationPeriod}).Validate(); err != nil {
			l.bad("%s: %v", where, oneLine(err))
		}
		if d.RotationPeriod < MinKeyRotation {
			l.bad("%s: rotation period %v is shorter than %v (API-8)", where, d.RotationPeriod, MinKeyRotation)
		}
		if d.Source != KeyGenerated && d.Source != KeyImported {
			l.bad("%s: source %q: want %s or %s", where, d.Source, KeyGenerated, KeyImported)
		}
		if d.Created.IsZero() {
			l.bad("%s: no creation time", where)
		}
		if s == nil {
			continue
		}
		mk := keyMapKey(s.name, d.Name)
		if _, dup := t.cmKeys[mk]; dup {
			l.bad("%s: the name is given twice (KEY-1)", where)
			continue
		}
		t.cmKeys[mk] = &cmKey{name: d.Name, sub: s.name, region: d.Region, source: d.Source, version: d.Version,
			created: d.Created, period: d.RotationPeriod,
			id: ResourceID{Subscription: s.azureID, ResourceGroup: t.groupName("key", d.Name), Type: TypeKey, Name: t.keyResourceName(d.Name)}}
	}
}

// ownerParts splits a managed network's or subnet's owner "kind/name".
func ownerParts(owner string) (kind, name string, ok bool) {
	kind, name, ok = strings.Cut(owner, "/")
	switch kind {
	case "catalog", "image", "bastion", "location":
		return kind, name, ok && name != ""
	}
	return kind, name, false
}

// placeholderSecret stands in, for validation only, for a secret the
// document leaves out.
var placeholderSecret = secret.New("PlaceholderSecret0")

func (l *loader) connections() {
	t := l.t
	for _, d := range l.doc.Connections {
		where := fmt.Sprintf("connection %q", d.Name)
		if d.Managed {
			where = fmt.Sprintf("managed network of %s", d.Name)
		}
		s := l.sub(where, d.Subscription)
		spec, ok := l.spec(where, d)
		if !ok || s == nil {
			continue
		}
		kind := spec.Kind()
		var owner string
		var group ResourceID
		if d.Managed {
			k, n, ok := ownerParts(d.Name)
			if !ok || k != "catalog" && k != "image" {
				l.bad("%s: a Citrix-managed network belongs to \"catalog/<name>\" or \"image/<id>\"", where)
				continue
			}
			owner, group = d.Name, GroupID(s.azureID, t.groupName(k, n))
		} else {
			owner, group = "connection/"+d.Name, GroupID(s.azureID, t.groupName("connection", d.Name))
		}
		if specName(spec) != d.Name {
			l.bad("%s: the spec names %q", where, specName(spec))
		}
		if d.Region != specRegion(spec) || !validRegion(d.Region) {
			l.bad("%s: region %q: want the spec's, %q, a region Flex supports (REG-1, REG-2)", where, d.Region, specRegion(spec))
		}
		l.status(where, d.Status, kind)
		ranges := d.Ranges
		for _, p := range ranges {
			if !p.IsValid() || !p.Addr().Is4() || p != p.Masked() {
				l.bad("%s: range %s is not a canonical IPv4 prefix", where, p)
			}
		}
		if d.Managed {
			nc := spec.(network.NoConnectivitySpec)
			if len(ranges) == 0 && nc.Range.IsValid() || len(ranges) > 0 && nc.Range != ranges[0] {
				l.bad("%s: ranges %v do not start with the spec's range %s", where, ranges, nc.Range)
			}
			if err := nc.NAT.Validate(); err != nil {
				l.bad("%s: %v", where, oneLine(err))
			}
		} else {
			check := spec
			switch v := check.(type) {
			case network.VPNSpec:
				if v.PSK.IsZero() && l.sealer == nil {
					v.PSK = placeholderSecret
				}
				check = v
			case network.VWANSpec:
				if v.Auth.ClientSecret.IsZero() && l.sealer == nil && v.Auth.Method == network.AuthServicePrincipal {
					v.Auth.ClientSecret = placeholderSecret
				}
				check = v
			}
			if err := check.Validate(nil); err != nil {
				l.bad("%s: %v", where, oneLine(err))
			}
			if !slices.Equal(ranges, spec.FlexRanges()) {
				l.bad("%s: ranges %v are not the spec's, %v", where, ranges, spec.FlexRanges())
			}
		}
		c := &connection{
			name: d.Name, sub: s.name, azureID: s.azureID, kind: kind, region: d.Region, managed: d.Managed,
			owner: owner, group: group, spec: spec, status: d.Status, ready: d.Ready,
			ranges: slices.Clone(ranges), routeOK: d.RouteOK, natOK: d.NATOK, autoNAT: d.AutoNAT,
			natIP: d.NATPublicIP, gatewayIP: d.GatewayIP, warnings: d.Warnings,
		}
		if d.Managed {
			c.vdaRanges = slices.Clone(ranges)
		} else {
			c.vdaRanges, c.connected = vdaRanges(spec), customerNets(spec)
		}
		if _, dup := t.conns[connKey(c)]; dup {
			l.bad("%s: the name is given twice", where)
			continue
		}
		l.subnets(where, c, d.Subnets)
		t.conns[connKey(c)] = c
	}
}

// spec returns the connection spec of d with its secrets opened.
func (l *loader) spec(where string, d connectionDoc) (network.Spec, bool) {
	var specs []network.Spec
	if v := d.Spec.NoConnectivity; v != nil {
		specs = append(specs, *v)
	}
	if v := d.Spec.Peering; v != nil {
		specs = append(specs, cloneSpec(*v))
	}
	if v := d.Spec.VPN; v != nil {
		specs = append(specs, cloneSpec(*v))
	}
	if v := d.Spec.VWAN; v != nil {
		specs = append(specs, cloneSpec(*v))
	}
	if len(specs) != 1 {
		l.bad("%s: the spec has %d kinds; want exactly one", where, len(specs))
		return nil, false
	}
	spec := specs[0]
	if d.Managed && spec.Kind() != network.KindNone {
		l.bad("%s: a Citrix-managed network has no connectivity, not %s", where, spec.Kind())
		return nil, false
	}
	open := func(what, sealed string) (secret.Value, bool) {
		if l.sealer == nil {
			if sealed != "" {
				l.bad("%s: a sealed %s in a document whose secrets are excluded", where, what)
				return secret.Value{}, false
			}
			return secret.Value{}, true
		}
		plain, err := l.sealer.open("connection/"+d.Name+"/"+what, sealed)
		if err != nil {
			l.bad("%s: the %s %v", where, what, err)
			return secret.Value{}, false
		}
		return secret.New(plain), true
	}
	psk, ok1 := open("psk", d.Spec.PSK)
	cs, ok2 := open("client-secret", d.Spec.ClientSecret)
	if !ok1 || !ok2 {
		return nil, false
	}
	switch v := spec.(type) {
	case network.VPNSpec:
		v.PSK = psk
		spec = v
	case network.VWANSpec:
		v.Auth.ClientSecret = cs
		spec = v
	}
	if _, vpn := spec.(network.VPNSpec); !vpn && !psk.IsZero() {
		l.bad("%s: a pre-shared key belongs to a VPN connection", where)
	}
	if _, vwan := spec.(network.VWANSpec); !vwan && !cs.IsZero() {
		l.bad("%s: a client secret belongs to a Virtual WAN spoke", where)
	}
	return spec, true
}

// status checks a connection's status: its kind's, in a connection state,
// with a transaction ID. A connection may be saved Provisioning or
// Deleting: it is stuck there (NET-12), as no work on it was in flight.
func (l *loader) status(where string, s network.Status, kind network.Kind) {
	if s.Kind != kind {
		l.bad("%s: status of kind %q; the spec is %q", where, s.Kind, kind)
	}
	if !slices.Contains(network.States(), s.State) {
		l.bad("%s: state %q is not a connection state (API-2)", where, s.State)
	}
	if s.TransactionID == "" {
		l.bad("%s: status without a transaction ID (NET-12)", where)
	}
	if s.Since.IsZero() {
		l.bad("%s: status without a time", where)
	}
}

// subnets builds the user subnets of c.
func (l *loader) subnets(where string, c *connection, ds []subnetDoc) {
	for _, d := range ds {
		sw := fmt.Sprintf("%s: subnet %q", where, d.Name)
		if d.Name == "" || armName(d.Name, 80) != d.Name {
			l.bad("%s: not a subnet name", sw)
			continue
		}
		if slices.ContainsFunc(c.subnets, func(su *subnetUse) bool { return strings.EqualFold(su.Name, d.Name) }) {
			l.bad("%s: the name is given twice", sw)
			continue
		}
		if _, _, ok := ownerParts(d.Owner); !ok {
			l.bad("%s: owner %q is not a catalog, image, bastion or resource location", sw, d.Owner)
			continue
		}
		if !slices.ContainsFunc(c.vdaRanges, func(r netip.Prefix) bool { return r.Bits() <= d.Prefix.Bits() && r.Contains(d.Prefix.Addr()) }) {
			l.bad("%s: prefix %s is outside the ranges subnets are carved from, %v", sw, d.Prefix, c.vdaRanges)
			continue
		}
		if err := c.alloc.Add(d.Owner, d.Prefix); err != nil {
			l.bad("%s: %v", sw, err)
			continue
		}
		su := &subnetUse{owner: d.Owner, domainJoined: d.DomainJoined}
		su.VNet, su.Name, su.Prefix = c.vnetID(), d.Name, d.Prefix
		su.NSG = c.id(TypeSecurityGroup, armName("nsg-"+d.Name, 80))
		c.subnets = append(c.subnets, su)
	}
}

// imageState reports whether an image may rest in state s: not while a
// step of its build or import runs.
func imageState(s image.State) bool {
	switch s {
	case image.BuilderActive, image.BuilderStopped, image.Ready, image.Failed:
		return true
	}
	return false
}

func validPower(p PowerState) bool {
	switch p {
	case PowerStarting, PowerRunning, PowerStopping, PowerStopped, PowerDeallocating, PowerDeallocated:
		return true
	}
	return false
}

func (l *loader) images() {
	t := l.t
	for _, d := range l.doc.Images {
		where := fmt.Sprintf("image %q of subscription %q", d.Name, d.Subscription)
		s := l.sub(where, d.Subscription)
		if err := image.ValidateName(d.Name); err != nil {
			l.bad("%s: %v", where, oneLine(err))
		}
		if _, ok := image.LookupPrepared(d.Name); ok {
			l.bad("%s: the name of a Citrix-prepared image (IMG-1)", where)
		}
		if !d.State.IsValid() || !imageState(d.State) {
			l.bad("%s: state %s is work in flight or no image state, which is never saved (IMG-3)", where, d.State)
		}
		if d.Origin != image.OriginBuilt && d.Origin != image.OriginImported {
			l.bad("%s: origin %s: want built or imported", where, d.Origin)
		}
		if !validRegion(d.Region) {
			l.bad("%s: region %q is not one Flex supports (REG-1)", where, d.Region)
		}
		if d.ID == "" {
			l.bad("%s: no identity", where)
		}
		if d.Created.IsZero() {
			l.bad("%s: no creation time", where)
		}
		// An image BuilderActive or BuilderStopped has lost its build
		// machine when deleting it failed after the machine went.
		if d.State == image.Ready && (d.Builder != nil || !d.ManagedImage) {
			l.bad("%s: a Ready image has its managed image and no build machine (IMG-3)", where)
		}
		if s == nil {
			continue
		}
		ik := imageKey(s.name, d.Name)
		if _, dup := t.images[ik]; dup {
			l.bad("%s: the name is given twice (IMG-7)", where)
			continue
		}
		if slices.ContainsFunc(slices.Collect(maps.Values(t.images)), func(o *imageObj) bool {
			return strings.EqualFold(o.sub, s.name) && strings.EqualFold(o.id, d.ID)
		}) {
			l.bad("%s: identity %q is given twice", where, d.ID)
			continue
		}
		o := &imageObj{img: d.Image, id: d.ID, sub: s.name, azureID: s.azureID, region: d.Region, conn: d.Connection,
			created: d.Created, keyName: d.Key, source: d.Source, failure: d.Failure}
		if d.ManagedImage {
			rg := t.imageGroup(o)
			o.managed = ResourceID{Subscription: rg.Subscription, ResourceGroup: rg.Name, Type: TypeImage, Name: "image"}
		}
		if d.Key != "" {
			k := t.cmKeys[keyMapKey(s.name, d.Key)]
			if k == nil {
				l.bad("%s: key %q is not a key of subscription %q (KEY-2)", where, d.Key, s.name)
			} else {
				o.key = k.id
			}
		}
		if bd := d.Builder; bd != nil {
			l.builder(where, o, bd)
		}
		t.images[ik] = o
	}
}

// builder builds the build machine of image o.
func (l *loader) builder(where string, o *imageObj, d *builderDoc) {
	t := l.t
	if !validPower(d.Power) {
		l.bad("%s: build machine power %q is not a power state", where, d.Power)
	}
	if d.Size == "" || d.Username == "" {
		l.bad("%s: build machine without a size or user name", where)
	}
	if d.RDPFrom.IsValid() && d.RDPFrom != d.RDPFrom.Masked() {
		l.bad("%s: build machine RDP range %s has host bits set (FW-4)", where, d.RDPFrom)
	}
	b := &builder{size: d.Size, username: d.Username, addr: d.Address, rdp: d.RDPFrom, registered: d.Registered,
		power: d.Power, rootChanged: d.RootPasswordChanged}
	if d.VM {
		rg := t.imageGroup(o)
		b.vm = ResourceID{Subscription: rg.Subscription, ResourceGroup: rg.Name, Type: TypeVirtualMachine, Name: builderVM}
	}
	var c *connection
	if o.conn != "" {
		c = l.realConn(where, o.conn, t.subs[fold(o.sub)])
	} else if c = t.conns[managedKey(o.sub, "image/"+o.id)]; c == nil || !c.managed || c.sub != o.sub {
		l.bad("%s: the Citrix-managed network of its build machine, image/%s, is not in the document", where, o.id)
		c = nil
	}
	if c != nil && c.region != o.region {
		l.bad("%s: region %s; its build machine's network is in %s (REG-2)", where, o.region, c.region)
	}
	if d.Subnet != "" {
		if su := l.claim(where, c, d.Subnet, o.owner()); su != nil {
			b.subnet, b.hasSubnet = su.connSubnet, true
		}
	}
	o.builder, o.c = b, c
}

func (l *loader) locations() {
	t := l.t
	prefixes := map[string]bool{}
	ids := map[string]bool{}
	for _, d := range l.doc.Locations {
		where := fmt.Sprintf("resource location %q", d.Name)
		s := l.sub(where, d.Subscription)
		if err := validLocationName(d.Name); err != nil {
			l.bad("%s: %v", where, err)
		}
		if err := validLocationName(d.ID); err != nil {
			l.bad("%s: identity: %v", where, err)
		}
		if !validRegion(d.Region) {
			l.bad("%s: region %q is not one Flex supports (REG-1)", where, d.Region)
		}
		if len(d.Prefix) != naming.LocationPrefixLen || strings.IndexFunc(d.Prefix, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }) >= 0 {
			l.bad("%s: name prefix %q: want %d capital letters or digits (NAM-9)", where, d.Prefix, naming.LocationPrefixLen)
		} else if prefixes[d.Prefix] {
			l.bad("%s: name prefix %q is another resource location's", where, d.Prefix)
		}
		prefixes[d.Prefix] = true
		if d.Connectivity > InternalConnectivity {
			l.bad("%s: connectivity %d is neither Gateway service nor internal only (RL-6)", where, d.Connectivity)
		}
		if !d.Updates.WhenAvailable {
			if !d.Updates.At.IsValid() {
				l.bad("%s: update time %v is not a time of day (RL-5)", where, d.Updates.At)
			}
			if d.Updates.TimeZone != "" {
				if _, err := (catalog.WorkSchedule{TimeZone: d.Updates.TimeZone}).Location(); err != nil {
					l.bad("%s: update time zone: %v (RL-5)", where, oneLine(err))
				}
			}
		}
		if d.LastGroup == "" {
			l.bad("%s: no last resource group (RL-2)", where)
		}
		if d.NextConnector < len(d.Connectors) {
			l.bad("%s: next connector number %d is below its %d connectors", where, d.NextConnector, len(d.Connectors))
		}
		if s == nil {
			continue
		}
		if _, dup := t.locations[fold(d.Name)]; dup {
			l.bad("%s: the name is given twice (RL-6)", where)
			continue
		}
		if ids[fold(d.ID)] {
			l.bad("%s: identity %q is given twice", where, d.ID)
			continue
		}
		ids[fold(d.ID)] = true
		lo := &locationObj{
			id: d.ID, name: d.Name, subscription: s.name, azureID: s.azureID, connection: d.Connection,
			region: d.Region, prefix: d.Prefix, domains: map[string]int{}, domainNames: map[string]string{},
			catalogs: map[string]bool{}, lastGroup: d.LastGroup, lastOU: d.LastOU, nextConn: d.NextConnector,
			connectivity: d.Connectivity, updates: d.Updates, pendingVer: d.PendingVersion, published: d.Published,
		}
		lo.group = GroupID(s.azureID, t.groupName("location", d.ID))
		if d.Connection != "" {
			if lo.conn = l.realConn(where, d.Connection, s); lo.conn != nil && lo.conn.region != d.Region {
				l.bad("%s: region %s; connection %q is in %s (REG-2)", where, d.Region, d.Connection, lo.conn.region)
			}
		}
		for _, g := range d.ResourceGroups {
			if g == "" || slices.ContainsFunc(lo.groups, func(o ResourceID) bool { return strings.EqualFold(o.Name, g) }) {
				l.bad("%s: connector resource group %q is empty or given twice", where, g)
				continue
			}
			lo.groups = append(lo.groups, GroupID(s.azureID, g))
		}
		for _, sn := range d.Subnets {
			if lo.conn == nil {
				l.bad("%s: subnet %q, but no connection", where, sn)
				continue
			}
			if su := l.claim(where, lo.conn, sn, "location/"+d.ID); su != nil {
				lo.subnets = append(lo.subnets, &subnetSlot{s: su.connSubnet})
			}
		}
		for _, cd := range d.Connectors {
			l.connector(where, lo, cd)
		}
		t.locations[fold(d.Name)] = lo
	}
}

// connector builds a Cloud Connector of location lo.
func (l *loader) connector(where string, lo *locationObj, d connectorDoc) {
	cw := fmt.Sprintf("%s: connector %q", where, d.Name)
	switch {
	case d.Name == "" || slices.ContainsFunc(lo.connectors, func(o *connectorObj) bool { return strings.EqualFold(o.name, d.Name) }):
		l.bad("%s: the name is empty or given twice", cw)
		return
	case d.State == ConnectorProvisioning || d.State == ConnectorRebooting || d.State == ConnectorDeleting:
		l.bad("%s: state %s is work in flight, which is never saved (API-4)", cw, d.State)
	case d.State > ConnectorFailed:
		l.bad("%s: state %d is not a connector state (API-4)", cw, d.State)
	case d.Health != "" && d.Health != "OK" && d.Health != "Unknown":
		l.bad("%s: health %q: want \"\", \"OK\" or \"Unknown\" (RL-4)", cw, d.Health)
	case !slices.Contains(zoneText[:], d.Zone) || d.Size == "":
		l.bad("%s: zone %q or size %q is not one a connector has", cw, d.Zone, d.Size)
	}
	if !strings.EqualFold(d.ResourceGroup, lo.group.Name) && !slices.ContainsFunc(lo.groups, func(g ResourceID) bool { return strings.EqualFold(g.Name, d.ResourceGroup) }) {
		l.bad("%s: resource group %q is not one of the location's (RL-2)", cw, d.ResourceGroup)
	}
	c := &connectorObj{name: d.Name, vm: ResourceID{Subscription: lo.azureID, ResourceGroup: d.ResourceGroup, Type: TypeVirtualMachine, Name: d.Name},
		zone: d.Zone, size: d.Size, state: d.State, addr: d.Address, version: d.Version, health: d.Health, proxy: d.Proxy}
	if d.Subnet != "" {
		i := slices.IndexFunc(lo.subnets, func(s *subnetSlot) bool { return s.s.Name == d.Subnet })
		if i < 0 {
			l.bad("%s: subnet %q is not one of the location's", cw, d.Subnet)
		} else {
			c.subnet = lo.subnets[i]
			if c.subnet.used++; c.subnet.free() < 0 {
				l.bad("%s: subnet %q has more machines than addresses", cw, d.Subnet)
			}
		}
	}
	lo.connectors = append(lo.connectors, c)
}

// imageNamed reports whether name is a prepared image or an image of
// subscription sub.
func (l *loader) imageNamed(sub, name string) bool {
	if _, ok := image.LookupPrepared(name); ok {
		return true
	}
	return l.t.images[imageKey(sub, name)] != nil
}

func (l *loader) catalogs() {
	t := l.t
	for _, d := range l.doc.Catalogs {
		where := fmt.Sprintf("catalog %q", d.Name)
		s := l.sub(where, d.Subscription)
		if err := catalog.ValidateName(d.Name); err != nil {
			l.bad("%s: %v", where, oneLine(err))
		}
		if _, dup := t.catalogs[fold(d.Name)]; dup {
			l.bad("%s: the name is given twice (CAT-5)", where)
			continue
		}
		if s == nil {
			continue
		}
		c := &catalogObj{
			name: d.Name, subscription: s.name, azureID: s.azureID, connection: d.Connection, region: d.Region,
			persona: d.Persona, mt: d.MachineType, domain: d.Domain, adDomain: d.ADDomain, adOU: d.OU,
			connectivity: d.Connectivity, schedule: d.Schedule, secureBoot: d.SecureBoot, img: d.Image,
			image: d.Image.Name, sizes: d.Sizes, next: d.NextMachine, users: d.Users, vdaCount: d.VDAs,
			group: GroupID(s.azureID, t.groupName("catalog", d.Name)), failure: d.Failure,
			schedules: d.Snapshots, schedFrom: d.SnapshotFrom, warnings: d.Warnings, created: d.Created,
			status: catalog.Status{Name: d.Name, State: d.State},
			byName: map[string]*machineObj{},
		}
		l.catalogSettings(where, c, d)
		if d.Connection != "" {
			c.conn = l.realConn(where, d.Connection, s)
		} else if c.conn = t.conns[managedKey(s.name, "catalog/"+d.Name)]; c.conn == nil || !c.conn.managed || c.conn.sub != s.name {
			l.bad("%s: No connectivity, but its Citrix-managed network, catalog/%s, is not in the document", where, d.Name)
			c.conn = nil
		}
		if c.conn != nil && c.conn.region != d.Region {
			l.bad("%s: region %s; its network is in %s (REG-2)", where, d.Region, c.conn.region)
		}
		// The location, by identity.
		for _, lo := range t.locations {
			if strings.EqualFold(lo.id, d.Location) {
				c.location = lo
			}
		}
		switch lo := c.location; {
		case lo == nil:
			l.bad("%s: resource location %q is not in the document", where, d.Location)
			continue
		case lo.id != d.Location || lo.subscription != s.name || !strings.EqualFold(lo.connection, d.Connection) || lo.region != d.Region:
			l.bad("%s: resource location %q serves connection %q in %s of subscription %q, not the catalog's (RL-1)", where, lo.name, lo.connection, lo.region, lo.subscription)
			continue
		}
		for _, sn := range d.Subnets {
			if su := l.claim(where, c.conn, sn, "catalog/"+d.Name); su != nil {
				c.subnets = append(c.subnets, &subnetSlot{s: su.connSubnet})
			}
		}
		for _, md := range d.Machines {
			l.machine(where, c, md)
		}
		lo := c.location
		lo.catalogs[fold(c.name)] = true
		if c.adDomain != "" {
			lo.domains[fold(c.adDomain)]++
		}
		t.catalogs[fold(c.name)] = c
	}
}

// catalogSettings checks the settings of catalog c.
func (l *loader) catalogSettings(where string, c *catalogObj, d catalogDoc) {
	p := d.Persona
	switch {
	case !p.Session.IsValid() || p.UsersPerMachine < 1 || p.Session == quota.SingleSession && p.UsersPerMachine != 1:
		l.bad("%s: persona %v: want a session type and its users per machine (CAT-1, CAT-2)", where, p)
	case !d.MachineType.IsValid() || d.MachineType.Session() != p.Session:
		l.bad("%s: machine type %v does not suit persona %v (CAT-1)", where, d.MachineType, p)
	}
	if !d.Domain.IsValid() || d.Domain.Joined() != (d.ADDomain != "") {
		l.bad("%s: domain type %v with Active Directory domain %q (IDN-4)", where, d.Domain, d.ADDomain)
	}
	if !d.Connectivity.IsValid() {
		l.bad("%s: no connectivity type (CAT-3)", where)
	}
	if err := d.Schedule.Validate(); err != nil {
		l.bad("%s: %v", where, oneLine(err))
	}
	if !validRegion(d.Region) {
		l.bad("%s: region %q is not one Flex supports (REG-1)", where, d.Region)
	}
	if d.Sizes.Primary == "" {
		l.bad("%s: no VM size (CAT-14)", where)
	}
	if d.Users < 0 || d.VDAs < 0 {
		l.bad("%s: %d users and %d VDAs: want counts (CAT-2, LIM-4)", where, d.Users, d.VDAs)
	}
	if d.Created.IsZero() {
		l.bad("%s: no creation time", where)
	}
	switch d.State {
	case catalog.Processing, catalog.Deleting:
		l.bad("%s: state %v is work in flight, which is never saved (API-1, CAT-6)", where, d.State)
	}
	// The image: prepared, or a Ready image of the subscription in the
	// catalog's region.
	if img, ok := image.LookupPrepared(d.Image.Name); ok {
		c.imgRef = preparedRef(img)
	} else if o := l.t.images[imageKey(c.subscription, d.Image.Name)]; o == nil || o.img.State != image.Ready || o.region != d.Region {
		l.bad("%s: image %q is not a prepared image nor a Ready image of subscription %q in %s (IMG-8)", where, d.Image.Name, c.subscription, d.Region)
	} else {
		c.imgRef = o.ref()
	}
	scheme, err := naming.Parse(d.NamingScheme, d.WildcardKind)
	switch {
	case err != nil:
		l.bad("%s: naming scheme: %v", where, oneLine(err))
	case scheme.String() != d.NamingScheme:
		l.bad("%s: naming scheme %q reads as %q", where, d.NamingScheme, scheme.String())
	case d.NextMachine < 1 || scheme.Check(d.NextMachine-1) != nil:
		l.bad("%s: next machine number %d is not one scheme %q reaches (NAM-8)", where, d.NextMachine, d.NamingScheme)
	}
	c.scheme = scheme
	var set catalog.Principals
	if _, err := set.Add(d.Principals...); err != nil {
		l.bad("%s: %v", where, oneLine(err))
	} else if set.Len() != len(d.Principals) {
		l.bad("%s: a user or group is given twice (CAT-9)", where)
	}
	c.setPrincipals(set)
	if err := c.apps.Add(d.Apps...); err != nil {
		l.bad("%s: %v", where, oneLine(err))
	}
	if err := d.Snapshots.Validate(d.MachineType); err != nil {
		l.bad("%s: %v", where, oneLine(err))
	}
}

// machine builds a machine of catalog c.
func (l *loader) machine(where string, c *catalogObj, d machineDoc) {
	m := d.Machine
	mw := fmt.Sprintf("%s: machine %q", where, m.Name)
	if _, dup := c.byName[fold(m.Name)]; dup || m.Name == "" {
		l.bad("%s: the name is empty or given twice (NAM)", mw)
		return
	}
	if n, ok := c.scheme.Number(m.Name); c.scheme.IsValid() && (!ok || n < 1 || n >= c.next) {
		l.bad("%s: not a name scheme %q has given (NAM)", mw, c.scheme)
	}
	want := catalog.NewMachine(m.Name, c.mt, c.persona.UsersPerMachine)
	switch {
	case m.Type != c.mt || m.Capacity != want.Capacity:
		l.bad("%s: type %v with %d sessions; the catalog's machines are %v with %d (CAT-1)", mw, m.Type, m.Capacity, c.mt, want.Capacity)
	case !m.Power.IsValid() || m.Sessions < 0 || m.Sessions > m.Capacity:
		l.bad("%s: power %v with %d sessions of %d (MON-1)", mw, m.Power, m.Sessions, m.Capacity)
	case m.Restart > catalog.RestartFailed || m.Restore > catalog.RestoreFailed:
		l.bad("%s: restart or restore state is not one of API-5's", mw)
	case m.Restore == catalog.RestoreRunning || m.Deleted:
		l.bad("%s: a restore running or a deletion is work in flight, which is never saved (CAT-13)", mw)
	case m.Zone < 0 || m.Zone > catalog.ZoneCount:
		l.bad("%s: zone %d (CAT-15)", mw, m.Zone)
	case m.Assigned != "" && c.mt != quota.Static:
		l.bad("%s: assigned to a user in a catalog that is not static", mw)
	case !l.imageNamed(c.subscription, m.Image):
		l.bad("%s: image %q is neither prepared nor an image of subscription %q (IMG-7)", mw, m.Image, c.subscription)
	case d.PendingImage != "" && !l.imageNamed(c.subscription, d.PendingImage):
		l.bad("%s: pending image %q is neither prepared nor an image of subscription %q (CAT-7)", mw, d.PendingImage, c.subscription)
	case d.Size == "":
		l.bad("%s: no VM size", mw)
	}
	mo := &machineObj{m: m, size: d.Size, addr: d.Address, pendingImage: d.PendingImage, updateAt: d.UpdateAt}
	if d.Subnet != "" {
		i := slices.IndexFunc(c.subnets, func(s *subnetSlot) bool { return s.s.Name == d.Subnet })
		if i < 0 {
			l.bad("%s: subnet %q is not one of the catalog's", mw, d.Subnet)
		} else if mo.slot = c.subnets[i]; mo.slot.free() <= 0 {
			l.bad("%s: subnet %q has more machines than addresses (NET-14)", mw, d.Subnet)
		}
	}
	for _, sd := range d.Snapshots {
		sw := fmt.Sprintf("%s: snapshot %q", mw, sd.Name)
		switch {
		case catalog.ValidateSnapshotName(sd.Name) != nil:
			l.bad("%s: not a snapshot name (API-5)", sw)
		case slices.ContainsFunc(mo.snapshots, func(o *snapshotObj) bool { return strings.EqualFold(o.s.Name, sd.Name) }):
			l.bad("%s: the name is given twice (API-5)", sw)
		case sd.Machine != m.Name:
			l.bad("%s: of machine %q", sw, sd.Machine)
		case sd.Kind < catalog.Anytime || sd.Kind > catalog.Weekly || sd.Taken.IsZero():
			l.bad("%s: kind %v taken %v (API-5)", sw, sd.Kind, sd.Taken)
		case c.mt != quota.Static:
			l.bad("%s: snapshots are of static machines only (CAT-13)", sw)
		default:
			mo.snapshots = append(mo.snapshots, &snapshotObj{s: sd.Snapshot, id: snapshotID(c, m.Name, sd.Name), incremental: sd.Incremental})
		}
	}
	c.addMachine(mo)
}

// locationsUsed checks what the locations owe to their catalogs: each
// serves one at least, and names the domains of its catalogs; and picks
// the Citrix-managed network of a No connectivity location.
func (l *loader) locationsUsed() {
	t := l.t
	byName := func(a, b *catalogObj) int {
		return cmp.Or(a.created.Compare(b.created), strings.Compare(fold(a.name), fold(b.name)))
	}
	for _, d := range l.doc.Locations {
		lo := t.locations[fold(d.Name)]
		if lo == nil || lo.id != d.ID {
			continue
		}
		where := fmt.Sprintf("resource location %q", lo.name)
		if len(lo.catalogs) == 0 {
			l.bad("%s: serves no catalog; a resource location goes with its last catalog (RL-1)", where)
		}
		for _, dn := range d.Domains {
			switch {
			case lo.domainNames[fold(dn)] != "":
				l.bad("%s: domain %q is given twice (LIM-6)", where, dn)
			case lo.domains[fold(dn)] == 0:
				l.bad("%s: domain %q is no catalog's (LIM-6)", where, dn)
			}
			lo.domainNames[fold(dn)] = dn
		}
		for k := range lo.domains {
			if lo.domainNames[k] == "" {
				l.bad("%s: does not name domain %q of its catalogs (LIM-6)", where, k)
			}
		}
		if lo.connection == "" {
			var cats []*catalogObj
			for k := range lo.catalogs {
				if c := t.catalogs[k]; c != nil && c.conn != nil && c.conn.managed {
					cats = append(cats, c)
				}
			}
			if len(cats) > 0 {
				lo.conn = slices.MinFunc(cats, byName).conn
			}
			if len(lo.connectors) > 0 {
				l.bad("%s: connectors without a connection (RL-2)", where)
			}
		}
	}
}

func (l *loader) bastions() {
	t := l.t
	for _, d := range l.doc.Bastions {
		where := bastionObject(d.Connection)
		s := l.sub(where, d.Subscription)
		c := l.realConn(where, d.Connection, s)
		switch {
		case d.Username == "" || d.Size == "" || d.Created.IsZero():
			l.bad("%s: no user name, size or creation time (TRB-2)", where)
		case !d.Source.IsValid() || d.Source != d.Source.Masked():
			l.bad("%s: RDP source range %s is not a canonical prefix (FW-4)", where, d.Source)
		case !validPower(d.Power):
			l.bad("%s: power %q is not a power state", where, d.Power)
		}
		if s == nil || c == nil {
			continue
		}
		if _, dup := t.bastions[fold(d.Connection)]; dup {
			l.bad("%s: a connection has one bastion (TRB-2)", where)
			continue
		}
		b := &bastionObj{sub: s.name, azureID: s.azureID, conn: d.Connection, c: c, catalog: d.Catalog,
			username: d.Username, source: d.Source, size: d.Size, addr: d.Address, registered: d.Registered,
			power: d.Power, created: d.Created, poweredOn: d.PoweredOn, failure: d.Failure}
		if d.VM {
			rg := t.bastionGroup(b)
			b.vm = ResourceID{Subscription: rg.Subscription, ResourceGroup: rg.Name, Type: TypeVirtualMachine, Name: bastionVM}
		}
		if d.Subnet != "" {
			if su := l.claim(where, c, d.Subnet, "bastion/"+d.Connection); su != nil {
				b.subnet, b.hasSubnet = su.connSubnet, true
			}
		}
		t.bastions[fold(d.Connection)] = b
	}
}

func (l *loader) rdpAccess() {
	t := l.t
	for _, d := range l.doc.RDPAccess {
		where := rdpObject(d.Connection)
		s := l.sub(where, d.Subscription)
		if !d.Source.IsValid() || d.Source != d.Source.Masked() || d.Source.Bits() < ipam.MinRDPSourceBits || d.Enabled.IsZero() {
			l.bad("%s: range %s enabled %v: want a canonical range of at most /%d (TRB-3)", where, d.Source, d.Enabled, ipam.MinRDPSourceBits)
		}
		if s == nil {
			continue
		}
		// DeleteConnection counts RDP access among a connection's users
		// (NET-8), but a Tenant of an earlier version did not, so RDP
		// access saved by it may have outlived its connection. It then
		// refers to the deleted connection, which has no subnets left, as
		// the saved Tenant's did.
		c := t.conns[fold(d.Connection)]
		switch {
		case c == nil:
			c = &connection{name: d.Connection, sub: s.name, azureID: s.azureID, gone: true}
		case c.managed || c.sub != s.name:
			l.bad("%s: connection %q is not a connection of subscription %q", where, d.Connection, s.name)
			continue
		}
		if _, dup := t.rdpAccess[fold(d.Connection)]; dup {
			l.bad("%s: given twice", where)
			continue
		}
		t.rdpAccess[fold(d.Connection)] = &rdpObj{sub: s.name, conn: d.Connection, catalog: d.Catalog, c: c, source: d.Source, enabled: d.Enabled}
	}
}

func (l *loader) activities() {
	t := l.t
	for i, d := range l.doc.Activities {
		where := fmt.Sprintf("troubleshooting activity %d", d.ID)
		switch {
		case d.ID != i+1:
			l.bad("%s: activities are numbered 1, 2, … in order; want %d", where, i+1)
		case !slices.Contains(TroubleshootingActions(), d.Action):
			l.bad("%s: action %q is not one of %v (TRB-4)", where, d.Action, TroubleshootingActions())
		case d.State != ActivitySuccessful && d.State != ActivityFailed:
			l.bad("%s: state %v: a Running activity is work in flight, which is never saved (API-6)", where, d.State)
		case d.Started.IsZero() || d.Ended.IsZero():
			l.bad("%s: no start or end time", where)
		}
		a := &activity{Activity: d.Activity}
		a.log.WriteString(d.Log)
		t.activities = append(t.activities, a)
	}
}

// spaces builds each subscription's Flex address space from the ranges of
// its connections, which must not overlap (NET-4).
func (l *loader) spaces() {
	t := l.t
	for _, k := range sortedKeys(t.conns) {
		c := t.conns[k]
		sp := t.space(c.sub)
		for _, p := range c.ranges {
			if err := sp.Add(c.object(), p); err != nil {
				l.bad("%s: range %s: %v (NET-4)", c.object(), p, err)
			}
		}
	}
}

// ledger counts every catalog in the quota ledger again, and so checks
// the usage against the limits (LIM-1…LIM-8).
func (l *loader) ledger() {
	t := l.t
	counted := map[*locationObj]bool{}
	for _, k := range sortedKeys(t.catalogs) {
		c := t.catalogs[k]
		first := !counted[c.location]
		counted[c.location] = true
		res, err := t.ledger.Reserve(locationChange(c, 1, first))
		if err != nil {
			l.bad("%s: the usage breaks the limits: %v", c.obj(), oneLine(err))
			continue
		}
		if err := res.Commit(); err != nil {
			l.bad("%s: %v", c.obj(), oneLine(err))
		}
	}
}

// oneLine writes a list of problems on one line.
func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }

package flex

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/secret"
)

// ConnectorState is the state of a Cloud Connector, named as in the Catalog
// Service API (API-4). The zero value is Provisioning.
type ConnectorState uint8

// The connector states (API-4).
const (
	ConnectorProvisioning ConnectorState = iota // being created
	ConnectorConnected                          // communicating with Citrix Cloud: available
	ConnectorDisconnected                       // not communicating with Citrix Cloud: its state is unknown (RL-4)
	ConnectorRebooting                          // restarting: offline until it is back (RL-4, RL-5)
	ConnectorDeleting                           // being deleted
	ConnectorFailed                             // its creation or update failed
)

var connectorStates = [...]string{"Provisioning", "Connected", "Disconnected", "Rebooting", "Deleting", "Failed"}

// String returns the API name of the state, such as "Connected".
func (s ConnectorState) String() string {
	if int(s) < len(connectorStates) {
		return connectorStates[s]
	}
	return "ConnectorState(" + strconv.Itoa(int(s)) + ")"
}

// ParseConnectorState returns the state whose API name is s, ignoring case
// (API-4).
func ParseConnectorState(s string) (ConnectorState, error) {
	for i, n := range connectorStates {
		if strings.EqualFold(n, s) {
			return ConnectorState(i), nil
		}
	}
	return 0, fmt.Errorf("flex: connector state %q is not one of %s", s, strings.Join(connectorStates[:], ", "))
}

// Available reports whether a connector in state s serves the resource
// location: only a Connected one does (RL-3).
func (s ConnectorState) Available() bool { return s == ConnectorConnected }

// Performance is the machine performance of Cloud Connectors (RL-2).
type Performance uint8

// The connector performances. The zero value is Standard.
const (
	StandardPerformance Performance = iota // Standard_D2s_v5
	HighPerformance                        // Standard_D4s_v5
)

// Size returns the Azure VM size of connectors of performance p.
func (p Performance) Size() string {
	if p == HighPerformance {
		return "Standard_D4s_v5"
	}
	return "Standard_D2s_v5"
}

// String returns "standard" or "high".
func (p Performance) String() string {
	if p == HighPerformance {
		return "high"
	}
	return "standard"
}

// LocationConnectivity is how users reach the desktops and apps of a
// resource location (RL-6). The zero value is GatewayConnectivity.
type LocationConnectivity uint8

// The resource location connectivities.
const (
	GatewayConnectivity  LocationConnectivity = iota // through the Citrix Gateway service
	InternalConnectivity                             // only from within the corporate network
)

// String returns "Gateway service" or "internal only".
func (c LocationConnectivity) String() string {
	if c == InternalConnectivity {
		return "internal only"
	}
	return "Gateway service"
}

// DefaultConnectors is how many Cloud Connectors the resource location of
// a domain-joined catalog gets when it is created.
const DefaultConnectors = 2

// ResourceLocation is a resource location as the Tenant reports it.
type ResourceLocation struct {
	Name         string
	Subscription string
	Connection   string // "" for No connectivity
	Region       network.Region
	Domains      []string // the Active Directory domains it serves (LIM-6), sorted
	Catalogs     []string // sorted
	Connectors   []Connector
	Connectivity LocationConnectivity
	// ResourceGroup and OU are the defaults of the next AddConnectors
	// (RL-2): the last used.
	ResourceGroup string
	OU            string
	Updates       ConnectorUpdates
	// PendingVersion is a connector version published and not yet rolled
	// out to every connector (RL-5).
	PendingVersion string
	Warnings       []network.Warning // advice from the last change
}

// Connector is a Cloud Connector as the Tenant reports it.
type Connector struct {
	Name    string
	State   ConnectorState
	Zone    string
	Size    string
	Address netip.Addr
	Version string
	// Health is "OK" after a passing health check, "Unknown" after a
	// failing one (RL-4), "" before any.
	Health string
	Proxy  string // host:port of its proxy, if any
}

// ConnectorUpdates is when a resource location's connectors take software
// updates (RL-5): as soon as one is available, or daily from a time of day
// in a time zone. Updates roll one connector at a time.
type ConnectorUpdates struct {
	WhenAvailable bool
	At            catalog.TimeOfDay
	TimeZone      string // IANA name; empty means UTC
}

// String returns "when available" or "daily at 22:00 (Europe/Berlin)".
func (u ConnectorUpdates) String() string {
	if u.WhenAvailable {
		return "when available"
	}
	tz := u.TimeZone
	if tz == "" {
		tz = "UTC"
	}
	return "daily at " + u.At.String() + " (" + tz + ")"
}

// Proxy is the proxy server connectors use to reach the internet (RL-2).
type Proxy struct {
	Host string // FQDN or IP address
	Port uint16
}

// ConnectorRequest is what AddConnectors takes (RL-2).
type ConnectorRequest struct {
	Count int
	// ServiceAccount and Password join the connectors to the location's
	// domain; required for a domain-joined location. The password is a
	// secret (SEC-1) and is not kept.
	ServiceAccount string
	Password       secret.Value
	Performance    Performance
	// ResourceGroup and OU default to the last used by the location.
	ResourceGroup string
	OU            string
	// Proxy, when set, is the proxy the connectors use. The security
	// overview says connectors must not use one, so it draws a warning
	// (RL-2 Decision).
	Proxy *Proxy
}

// locationObj is one resource location.
type locationObj struct {
	id           string // fixed at creation; names its resource group and tags
	name         string
	subscription string
	azureID      string
	connection   string // "" for No connectivity
	conn         *connection
	region       network.Region
	prefix       string         // five characters for the default naming scheme (NAM-9)
	domains      map[string]int // fold(domain) → catalogs of that domain
	domainNames  map[string]string
	catalogs     map[string]bool // fold(catalog name)
	pending      bool            // being created with its first catalog
	deleting     bool            // being deleted with its last catalog
	busy         string          // a connector operation in progress, or ""
	group        ResourceID      // the location's resource group
	groups       []ResourceID    // every resource group its connectors use
	lastGroup    string
	lastOU       string
	connectors   []*connectorObj
	planned      []string // names of the connectors being added, reserved
	subnets      []*subnetSlot
	nextConn     int // number of the last connector named
	connectivity LocationConnectivity
	updates      ConnectorUpdates
	pendingVer   string
	published    time.Time
}

// connectorObj is one Cloud Connector.
type connectorObj struct {
	name    string
	vm      ResourceID
	zone    string
	size    string
	state   ConnectorState
	addr    netip.Addr
	version string
	health  string
	proxy   string
	subnet  *subnetSlot
}

// subnetSlot is a subnet of a connection used by one catalog or resource
// location, with how many of its addresses are taken.
type subnetSlot struct {
	s    connSubnet
	used int
}

// free returns how many more machines fit in the subnet.
func (s *subnetSlot) free() int {
	return usableAddrs(s.s.Prefix) - s.used
}

// usableAddrs is the number of addresses Azure lets machines use in p.
func usableAddrs(p netip.Prefix) int {
	if !p.IsValid() || !p.Addr().Is4() || p.Bits() > 29 {
		return 0
	}
	return 1<<(32-p.Bits()) - 5
}

const connectorVersionInitial = "1"

// locationView returns the view of l. t.mu must be held.
func (t *Tenant) locationView(l *locationObj) ResourceLocation {
	v := ResourceLocation{
		Name: l.name, Subscription: l.subscription, Connection: l.connection, Region: l.region,
		Connectivity: l.connectivity, ResourceGroup: l.lastGroup, OU: l.lastOU,
		Updates: l.updates, PendingVersion: l.pendingVer,
	}
	for k := range l.domains {
		v.Domains = append(v.Domains, l.domainNames[k])
	}
	slices.Sort(v.Domains)
	for k := range l.catalogs {
		if c, ok := t.catalogs[k]; ok {
			v.Catalogs = append(v.Catalogs, c.name)
		}
	}
	slices.Sort(v.Catalogs)
	for _, c := range l.connectors {
		v.Connectors = append(v.Connectors, Connector{Name: c.name, State: c.state, Zone: c.zone, Size: c.size,
			Address: c.addr, Version: c.version, Health: c.health, Proxy: c.proxy})
	}
	return v
}

// ResourceLocations lists the tenant's resource locations by name.
func (t *Tenant) ResourceLocations(ctx context.Context) ([]ResourceLocation, error) {
	if err := t.authorize(ctx, "ResourceLocations", false); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]ResourceLocation, 0, len(t.locations))
	for _, l := range t.locations {
		if !l.pending {
			out = append(out, t.locationView(l))
		}
	}
	slices.SortFunc(out, func(a, b ResourceLocation) int { return strings.Compare(fold(a.Name), fold(b.Name)) })
	return out, nil
}

// location returns the named resource location or an ErrNotFound error.
// t.mu must be held.
func (t *Tenant) location(op, name string) (*locationObj, error) {
	l, ok := t.locations[fold(name)]
	if !ok || l.pending {
		return nil, Errorf(ErrNotFound, op, fmt.Sprintf("resource location %q", name), "the tenant has no resource location named %q", name)
	}
	return l, nil
}

// validLocationName checks a resource location name: 1 to 64 characters of
// text without surrounding spaces (the bound of CAT-3).
func validLocationName(name string) error {
	if name == "" || !utf8.ValidString(name) || strings.TrimSpace(name) != name || utf8.RuneCountInString(name) > 64 {
		return fmt.Errorf("RL-6: resource location name %q: want 1 to 64 characters of text without surrounding spaces", name)
	}
	return nil
}

// locationPrefix returns five upper-case letters or digits taken from name
// for the default naming scheme (NAM-9), distinct from every other
// location's. t.mu must be held.
func (t *Tenant) locationPrefix(name string) string {
	var b []byte
	for i := 0; i < len(name) && len(b) < 5; i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z':
			b = append(b, c-'a'+'A')
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			b = append(b, c)
		}
	}
	for len(b) < 5 {
		b = append(b, 'X')
	}
	taken := func(p string) bool {
		for _, l := range t.locations {
			if l.prefix == p {
				return true
			}
		}
		return false
	}
	p := string(b)
	for n := 1; taken(p) && n < 10000; n++ {
		s := strconv.Itoa(n)
		p = string(b[:5-len(s)]) + s
	}
	return p
}

// locationPlan is the resource location a new catalog goes to.
type locationPlan struct {
	loc        *locationObj
	created    bool // the location is new: created with the catalog (RL-1)
	connectors int  // connectors to create with it
	warnings   []network.Warning
}

// planLocation finds or makes (as a pending placeholder) the resource
// location of a new catalog (RL-1): the one named, or the one of another
// catalog with the same connection, region and domain, or a new one. t.mu
// must be held.
func (t *Tenant) planLocation(op, obj string, s *subscription, spec CatalogSpec, region network.Region, conn *connection) (locationPlan, error) {
	domain := ""
	if spec.Domain.Joined() {
		domain = fold(spec.AD.Domain)
	}
	same := func(l *locationObj) bool {
		return strings.EqualFold(l.subscription, s.name) && strings.EqualFold(l.connection, spec.Connection) && l.region == region
	}
	var p locationPlan
	if spec.ResourceLocation != "" {
		if l, ok := t.locations[fold(spec.ResourceLocation)]; ok {
			switch {
			case l.pending || l.deleting:
				return p, Errorf(ErrBusy, op, obj, "resource location %q is being created or deleted with another catalog; try again when it is done", l.name)
			case !same(l):
				return p, Errorf(ErrConflict, op, obj, "RL-1: resource location %q serves connection %q in %s of subscription %q; this catalog uses connection %q in %s of %q; choose another resource location",
					l.name, l.connection, l.region, l.subscription, spec.Connection, region, s.name)
			}
			p.loc = l
		}
	}
	if p.loc == nil {
		for _, l := range t.locations {
			if !same(l) || l.pending {
				continue
			}
			if l.deleting {
				return p, Errorf(ErrBusy, op, obj, "resource location %q is being deleted with its last catalog; try again when it is done", l.name)
			}
			if domain != "" && l.domains[domain] > 0 || domain == "" && len(l.domains) == 0 && len(l.connectors) == 0 {
				p.loc = l
				break
			}
		}
		if p.loc != nil && spec.ResourceLocation != "" {
			p.warnings = append(p.warnings, network.Warning{ID: "RL-1", Msg: fmt.Sprintf(
				"catalogs with the same connection, region and domain share a resource location; the catalog uses %q rather than %q", p.loc.name, spec.ResourceLocation)})
		}
	}
	if p.loc != nil {
		if domain != "" && len(p.loc.connectors) == 0 {
			p.connectors = DefaultConnectors
		}
		return p, nil
	}
	name := spec.ResourceLocation
	if name == "" {
		base := string(region)
		if spec.Connection != "" {
			base += "-" + spec.Connection
		}
		name = base
		for n := 2; t.locations[fold(name)] != nil; n++ {
			name = base + "-" + strconv.Itoa(n)
		}
	}
	if err := validLocationName(name); err != nil {
		return p, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	l := &locationObj{
		id: name, name: name, subscription: s.name, azureID: s.azureID, connection: spec.Connection, conn: conn,
		region: region, prefix: t.locationPrefix(name), domains: map[string]int{}, domainNames: map[string]string{},
		catalogs: map[string]bool{}, pending: true, updates: ConnectorUpdates{WhenAvailable: true},
	}
	l.group = GroupID(s.azureID, t.groupName("location", l.id))
	l.lastGroup = l.group.Name
	l.lastOU = spec.AD.OU
	p.loc, p.created = l, true
	if domain != "" {
		p.connectors = DefaultConnectors
	}
	return p, nil
}

// connectorZones spreads n more connectors over the region's zones after
// the existing ones (CAT-15).
func connectorZones(region network.Region, existing []*connectorObj, n int) []string {
	var have []int
	for _, c := range existing {
		if z, err := strconv.Atoi(c.zone); err == nil {
			have = append(have, z)
		}
	}
	return zoneNames(catalog.SpreadZones(region, have, n))
}

// connectorPlan is the connectors an operation adds to a location, with
// what it read under t.mu.
type connectorPlan struct {
	location string // the location's name when planned, for messages
	existing []*connectorObj
	n        int
	perf     Performance
	group    ResourceID
	proxy    string
	slots    []*subnetSlot
	free     []int
	policy   network.FirewallPolicy
	names    []string // of the new connectors, unique in the tenant
	last     int      // number of the last new connector
}

// planConnectors returns the plan of adding n connectors to l and reserves
// their names in l.planned until the connectors are recorded or given up.
// t.mu must be held.
func (t *Tenant) planConnectors(l *locationObj, n int, perf Performance, group ResourceID, proxy string) connectorPlan {
	p := connectorPlan{location: l.name, existing: slices.Clone(l.connectors), n: n, perf: perf, group: group, proxy: proxy,
		slots: slices.Clone(l.subnets)}
	p.names, p.last = t.planConnectorNames(l, n)
	l.planned = p.names
	for _, s := range p.slots {
		p.free = append(p.free, s.free())
	}
	if n > 0 {
		p.policy = t.firewallPolicy(l.conn, true)
	}
	return p
}

// createConnectors creates the planned connectors of the location in
// parallel: in free addresses of its subnets or a new one, their VMs spread
// over zones (CAT-15) in the plan's group. It returns the connectors made
// and the subnets added, which the caller records under t.mu.
//
// On failure it deletes, by name, the VM of every connector it put one
// for (a Put whose responses were all lost may still have made it), then
// the subnets it added. What it could not remove it returns with the
// error, for the caller to remove or record: the connectors whose VM may
// still exist (Failed when the Tenant never heard back) and the subnets.
func (t *Tenant) createConnectors(ctx context.Context, op string, l *locationObj, p connectorPlan) ([]*connectorObj, []*subnetSlot, error) {
	if p.n == 0 {
		return nil, nil, nil
	}
	obj := fmt.Sprintf("resource location %q", p.location)
	zones := connectorZones(l.region, p.existing, p.n)
	pl, err := t.placeMachines(ctx, l.conn, "location/"+l.id, p.slots, p.free, p.n, p.policy)
	if err != nil {
		return nil, nil, err
	}
	pw, err := t.localPassword()
	if err != nil {
		if derr := t.dropSubnets(context.WithoutCancel(ctx), l.conn, pl.added); derr != nil {
			return nil, pl.added, errors.Join(err, derr)
		}
		return nil, nil, err
	}
	tags := t.tags("location/" + l.id)
	made := make([]*connectorObj, p.n)
	tried := make([]*connectorObj, p.n)
	_, err = t.parallel(ctx, Progress{Op: op, Object: obj, Phase: "connectors"}, p.n, func(ctx context.Context, i int) error {
		name := p.names[i]
		vm := &VirtualMachine{
			Meta: Meta{ID: ResourceID{Subscription: p.group.Subscription, ResourceGroup: p.group.Name, Type: TypeVirtualMachine, Name: name}, Region: l.region, Tags: tags},
			Size: p.perf.Size(), Zone: zones[i], ComputerName: name,
			Image:   ImageRef{URN: connectorImageURN},
			Network: pl.slots[i].s.VNet, Subnet: pl.slots[i].s.Name, AdminUsername: localAdmin, AdminPassword: pw,
		}
		co := &connectorObj{name: name, vm: vm.ID, zone: zones[i], size: vm.Size, state: ConnectorFailed,
			version: connectorVersionInitial, health: "Unknown", proxy: p.proxy, subnet: pl.slots[i]}
		tried[i] = co // each index is one worker's, read after parallel returns
		got, err := putAs(ctx, t, vm)
		if err != nil {
			return err
		}
		co.state, co.health, co.addr = ConnectorConnected, "", got.PrivateIP
		made[i] = co
		return nil
	})
	if err != nil {
		undo := context.WithoutCancel(ctx)
		var left []*connectorObj
		var errs []error
		for _, c := range tried {
			if c == nil {
				continue
			}
			if derr := t.deleteResource(undo, c.vm); derr != nil {
				left = append(left, c)
				errs = append(errs, derr)
			}
		}
		if len(errs) == 0 {
			// A subnet goes only when no VM is left in it.
			if derr := t.dropSubnets(undo, l.conn, pl.added); derr != nil {
				errs = append(errs, derr)
			} else {
				pl.added = nil
			}
		}
		if cerr := errors.Join(errs...); cerr != nil {
			return left, pl.added, fmt.Errorf("%w; and removing the connectors made failed: %v", err, cerr)
		}
		return nil, nil, err
	}
	return made, pl.added, nil
}

// recordConnectors adds connectors made by plan p to l. t.mu must be
// held.
func (l *locationObj) recordConnectors(p connectorPlan, made []*connectorObj, added []*subnetSlot) {
	l.subnets = append(l.subnets, added...)
	for _, c := range made {
		c.subnet.used++
	}
	l.connectors = append(l.connectors, made...)
	if len(made) > 0 {
		l.nextConn = max(l.nextConn, p.last)
	}
}

// connectorImageURN is the marketplace image of Cloud Connectors.
const connectorImageURN = "MicrosoftWindowsServer:WindowsServer:2022-datacenter-g2:latest"

// AddConnectors adds Cloud Connectors to a resource location (RL-2): how
// many, the domain credentials that join them to the location's domain (a
// domain-joined location), their performance, the resource group and OU
// (by default the last used by the location) and an optional proxy, which
// draws a warning (RL-2 Decision). Connectors are spread over the region's
// zones (CAT-15) and do not count as VDAs (RL-7).
func (t *Tenant) AddConnectors(ctx context.Context, location string, req ConnectorRequest) (ResourceLocation, error) {
	const op = "AddConnectors"
	obj := fmt.Sprintf("resource location %q", location)
	if err := t.authorize(ctx, op, true); err != nil {
		return ResourceLocation{}, err
	}
	t.mu.Lock()
	l, err := t.location(op, location)
	if err != nil {
		t.mu.Unlock()
		return ResourceLocation{}, err
	}
	var problems []string
	if req.Count < 1 || req.Count > 10 {
		problems = append(problems, fmt.Sprintf("RL-2: %d connectors asked for; add 1 to 10 at a time", req.Count))
	}
	joined := len(l.domains) > 0
	if joined && (strings.TrimSpace(req.ServiceAccount) == "" || req.Password.IsZero()) {
		problems = append(problems, fmt.Sprintf("RL-2: resource location %q is domain-joined; give the domain service account and its password that join the connectors to the domain", l.name))
	}
	if !joined {
		problems = append(problems, fmt.Sprintf("RL-2: resource location %q serves only non-domain-joined catalogs, which need no Cloud Connectors", l.name))
	}
	if req.Performance > HighPerformance {
		problems = append(problems, fmt.Sprintf("RL-2: performance %d is neither standard nor high", req.Performance))
	}
	if req.Proxy != nil && (strings.TrimSpace(req.Proxy.Host) == "" || req.Proxy.Port == 0) {
		problems = append(problems, fmt.Sprintf("RL-2: proxy %q port %d: give the proxy server's FQDN or IP address and a port", req.Proxy.Host, req.Proxy.Port))
	}
	if len(problems) > 0 {
		t.mu.Unlock()
		return ResourceLocation{}, Errorf(ErrInvalid, op, obj, "%s", strings.Join(problems, "\n"))
	}
	if l.busy != "" {
		busyErr := Errorf(ErrBusy, op, obj, "the resource location is %s; try again when it is done", l.busy) // built under the lock: it reads fields others write
		t.mu.Unlock()
		return ResourceLocation{}, busyErr
	}
	groupName := req.ResourceGroup
	if groupName == "" {
		groupName = l.lastGroup
	}
	ou := req.OU
	if ou == "" {
		ou = l.lastOU
	}
	group := GroupID(l.azureID, groupName)
	l.busy = "adding connectors"
	var warns []network.Warning
	proxy := ""
	if req.Proxy != nil {
		proxy = req.Proxy.Host + ":" + strconv.Itoa(int(req.Proxy.Port))
		warns = append(warns, network.Warning{ID: "RL-2", Msg: fmt.Sprintf(
			"connectors of %q will use proxy %s; the security overview says Cloud Connectors must not use a proxy, check that it allows their traffic to Citrix Cloud", l.name, proxy)})
	}
	plan := t.planConnectors(l, req.Count, req.Performance, group, proxy)
	t.mu.Unlock()

	err = t.ensureGroup(ctx, group, l.region, "location/"+l.id)
	var made []*connectorObj
	var added []*subnetSlot
	if err == nil {
		made, added, err = t.createConnectors(ctx, op, l, plan)
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	l.busy, l.planned = "", nil
	if !slices.ContainsFunc(l.groups, func(g ResourceID) bool { return strings.EqualFold(g.Name, group.Name) }) {
		l.groups = append(l.groups, group)
	}
	if err != nil {
		// What the failure left is the location's, for DeleteConnector or
		// the location's deletion to remove.
		l.recordConnectors(plan, made, remainingSubnets(l.conn, added))
		return ResourceLocation{}, &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
	}
	l.recordConnectors(plan, made, added)
	l.lastGroup, l.lastOU = groupName, ou
	v := t.locationView(l)
	v.Warnings = warns
	return v, nil
}

// connectorOf returns the named connector of a location. t.mu must be held.
func (t *Tenant) connectorOf(op, location, name string) (*locationObj, *connectorObj, error) {
	l, err := t.location(op, location)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range l.connectors {
		if strings.EqualFold(c.name, name) {
			return l, c, nil
		}
	}
	return nil, nil, Errorf(ErrNotFound, op, fmt.Sprintf("connector %q", name), "resource location %q has no connector named %q", l.name, name)
}

// lockConnector takes t.mu and returns the named connector of a location
// for op, with the object name its errors use; it refuses one that is busy
// with another operation. On error t.mu is not held.
func (t *Tenant) lockConnector(op, location, connector string) (*locationObj, *connectorObj, string, error) {
	t.mu.Lock()
	l, c, err := t.connectorOf(op, location, connector)
	if err != nil {
		t.mu.Unlock()
		return nil, nil, "", err
	}
	obj := fmt.Sprintf("connector %q", c.name)
	if c.state == ConnectorRebooting || c.state == ConnectorDeleting || c.state == ConnectorProvisioning {
		busyErr := Errorf(ErrBusy, op, obj, "the connector is %v; try again when it is done", c.state) // built under the lock: it reads fields others write
		t.mu.Unlock()
		return nil, nil, "", busyErr
	}
	return l, c, obj, nil
}

// RestartConnector restarts a Cloud Connector: it is offline (Rebooting)
// until the restart is done (RL-4). Restarting one connector at a time is
// recommended; restarting while another is offline draws a warning.
func (t *Tenant) RestartConnector(ctx context.Context, location, connector string) (ResourceLocation, error) {
	const op = "RestartConnector"
	if err := t.authorize(ctx, op, true); err != nil {
		return ResourceLocation{}, err
	}
	l, c, obj, err := t.lockConnector(op, location, connector)
	if err != nil {
		return ResourceLocation{}, err
	}
	var warns []network.Warning
	for _, o := range l.connectors {
		if o != c && o.state == ConnectorRebooting {
			warns = append(warns, network.Warning{ID: "RL-4", Msg: fmt.Sprintf("connector %q is restarting too; restart one connector at a time", o.name)})
		}
	}
	prev := c.state
	c.state = ConnectorRebooting
	t.mu.Unlock()

	err = t.restartVM(ctx, c.vm)

	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		c.state = prev
		if KindOf(err) == ErrNotFound {
			c.state, c.health = ConnectorDisconnected, "Unknown"
		}
		return ResourceLocation{}, &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
	}
	c.state, c.health = ConnectorConnected, "OK"
	v := t.locationView(l)
	v.Warnings = warns
	return v, nil
}

// restartVM restarts a VM, starting it when it is off.
func (t *Tenant) restartVM(ctx context.Context, id ResourceID) error {
	var vm *VirtualMachine
	if err := t.call(ctx, "Get", id, func(ctx context.Context) error {
		var err error
		vm, err = GetAs[*VirtualMachine](ctx, t.provider, id)
		return err
	}); err != nil {
		return err
	}
	action := Restart
	if vm.PowerState != PowerRunning {
		action = Start
		if vm.PowerState == PowerStarting || vm.PowerState == PowerStopping || vm.PowerState == PowerDeallocating {
			if err := t.call(ctx, "Power", id, func(ctx context.Context) error { return t.provider.Power(ctx, id, Deallocate) }); err != nil {
				return err
			}
		}
	}
	return t.call(ctx, "Power", id, func(ctx context.Context) error { return t.provider.Power(ctx, id, action) })
}

// DeleteConnector deletes a Cloud Connector. Deleting an available one is
// refused when fewer than two available connectors would remain (RL-3);
// one that is not available (it cannot reach Citrix Cloud) can always be
// deleted.
func (t *Tenant) DeleteConnector(ctx context.Context, location, connector string) error {
	const op = "DeleteConnector"
	if err := t.authorize(ctx, op, true); err != nil {
		return err
	}
	l, c, obj, err := t.lockConnector(op, location, connector)
	if err != nil {
		return err
	}
	if c.state.Available() {
		others := 0
		for _, o := range l.connectors {
			if o != c && o.state.Available() {
				others++
			}
		}
		if others < 2 {
			refusal := refuse(ErrPrecondition, op, obj, "RL-3", "deleting it would leave %d available connector(s) in resource location %q; at least two must remain, add connectors first", others, l.name)
			t.mu.Unlock()
			return refusal
		}
	}
	prev := c.state
	c.state = ConnectorDeleting
	t.mu.Unlock()

	err = t.deleteResource(ctx, c.vm)

	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		c.state = prev
		return &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
	}
	l.connectors = slices.DeleteFunc(l.connectors, func(o *connectorObj) bool { return o == c })
	if c.subnet != nil {
		c.subnet.used--
	}
	return nil
}

// RunHealthCheck checks every connector of a resource location now (RL-4):
// a connector whose VM is missing, not running or not provisioned, or that
// the cloud cannot answer for after the retries, fails and its state
// becomes unknown (Disconnected), because it is not known to communicate
// with Citrix Cloud; one that passes is Connected. One connector's failing
// check does not stop the others'. A cancelled ctx ends the check with
// ctx's error and changes no state.
func (t *Tenant) RunHealthCheck(ctx context.Context, location string) (ResourceLocation, error) {
	const op = "RunHealthCheck"
	if err := t.authorize(ctx, op, true); err != nil {
		return ResourceLocation{}, err
	}
	t.mu.Lock()
	l, err := t.location(op, location)
	if err != nil {
		t.mu.Unlock()
		return ResourceLocation{}, err
	}
	type check struct {
		c  *connectorObj
		id ResourceID
	}
	var checks []check
	for _, c := range l.connectors {
		if c.state != ConnectorRebooting && c.state != ConnectorDeleting && c.state != ConnectorProvisioning {
			checks = append(checks, check{c, c.vm})
		}
	}
	t.mu.Unlock()

	ok := make([]bool, len(checks))
	for i, ch := range checks {
		var vm *VirtualMachine
		err := t.call(ctx, "Get", ch.id, func(ctx context.Context) error {
			var err error
			vm, err = GetAs[*VirtualMachine](ctx, t.provider, ch.id)
			return err
		})
		switch {
		case err == nil:
			ok[i] = vm.PowerState == PowerRunning && vm.State == Succeeded
		case ctx.Err() != nil:
			// Cancelled: no state changes.
			return ResourceLocation{}, wrap(op, fmt.Sprintf("resource location %q", location), err)
		default:
			// The VM is missing, or the cloud could not answer after the
			// retries: the check failed, and the connector's state is
			// unknown (RL-4). The others are still checked.
		}
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	for i, ch := range checks {
		if !slices.Contains(l.connectors, ch.c) || ch.c.state == ConnectorRebooting || ch.c.state == ConnectorDeleting {
			continue
		}
		if ok[i] {
			ch.c.state, ch.c.health = ConnectorConnected, "OK"
		} else {
			ch.c.state, ch.c.health = ConnectorDisconnected, "Unknown"
		}
	}
	return t.locationView(l), nil
}

// RenameResourceLocation renames a resource location (RL-6). Names are
// unique in the tenant ignoring case. The location's cloud resources keep
// their names and tags.
func (t *Tenant) RenameResourceLocation(ctx context.Context, name, newName string) (ResourceLocation, error) {
	const op = "RenameResourceLocation"
	obj := fmt.Sprintf("resource location %q", name)
	if err := t.authorize(ctx, op, true); err != nil {
		return ResourceLocation{}, err
	}
	if err := validLocationName(newName); err != nil {
		return ResourceLocation{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	l, err := t.location(op, name)
	if err != nil {
		return ResourceLocation{}, err
	}
	if o, ok := t.locations[fold(newName)]; ok && o != l {
		return ResourceLocation{}, Errorf(ErrConflict, op, obj, "RL-6: the tenant already has a resource location named %q; names are unique", o.name)
	}
	delete(t.locations, fold(l.name))
	l.name = newName
	t.locations[fold(newName)] = l
	return t.locationView(l), nil
}

// SetLocationConnectivity sets how users reach a resource location's
// desktops and apps: through the Gateway service or only from within the
// corporate network (RL-6).
func (t *Tenant) SetLocationConnectivity(ctx context.Context, location string, c LocationConnectivity) (ResourceLocation, error) {
	const op = "SetLocationConnectivity"
	if err := t.authorize(ctx, op, true); err != nil {
		return ResourceLocation{}, err
	}
	if c > InternalConnectivity {
		return ResourceLocation{}, Errorf(ErrInvalid, op, fmt.Sprintf("resource location %q", location), "RL-6: connectivity %d is neither Gateway service nor internal only", c)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	l, err := t.location(op, location)
	if err != nil {
		return ResourceLocation{}, err
	}
	l.connectivity = c
	return t.locationView(l), nil
}

// ScheduleConnectorUpdates sets when a resource location's connectors take
// software updates (RL-5): when available, or daily from a time of day in
// a time zone. RunDue rolls a published update out one connector at a time.
func (t *Tenant) ScheduleConnectorUpdates(ctx context.Context, location string, u ConnectorUpdates) (ResourceLocation, error) {
	const op = "ScheduleConnectorUpdates"
	obj := fmt.Sprintf("resource location %q", location)
	if err := t.authorize(ctx, op, true); err != nil {
		return ResourceLocation{}, err
	}
	if !u.WhenAvailable {
		var problems []string
		if !u.At.IsValid() {
			problems = append(problems, fmt.Sprintf("RL-5: update time %d:%d is not a time of day; want 00:00 to 23:59", u.At.Hour, u.At.Minute))
		}
		if u.TimeZone != "" {
			if _, err := (catalog.WorkSchedule{TimeZone: u.TimeZone}).Location(); err != nil {
				problems = append(problems, "RL-5: "+err.Error())
			}
		}
		if len(problems) > 0 {
			return ResourceLocation{}, Errorf(ErrInvalid, op, obj, "%s", strings.Join(problems, "\n"))
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	l, err := t.location(op, location)
	if err != nil {
		return ResourceLocation{}, err
	}
	l.updates = u
	return t.locationView(l), nil
}

// PublishConnectorUpdate makes a new Cloud Connector software version
// available to every resource location of the tenant, as the service does
// when it releases one. RunDue rolls it out at each location's update time
// (RL-5).
func (t *Tenant) PublishConnectorUpdate(ctx context.Context, version string) error {
	const op = "PublishConnectorUpdate"
	if err := t.authorize(ctx, op, true); err != nil {
		return err
	}
	if strings.TrimSpace(version) == "" {
		return Errorf(ErrInvalid, op, "connector update", "RL-5: no version given")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, l := range t.locations {
		if len(l.connectors) > 0 {
			l.pendingVer, l.published = version, now
		}
	}
	return nil
}

// updateDue reports whether the location's pending connector update is due
// at now (RL-5). t.mu must be held.
func (l *locationObj) updateDue(now time.Time) bool {
	if l.pendingVer == "" || l.busy != "" {
		return false
	}
	if l.updates.WhenAvailable {
		return true
	}
	loc, err := (catalog.WorkSchedule{TimeZone: l.updates.TimeZone}).Location()
	if l.updates.TimeZone == "" || err != nil {
		loc = time.UTC
	}
	s := catalog.Schedule{Kind: catalog.Daily, At: l.updates.At}
	next := s.Next(l.published, loc)
	return !next.IsZero() && !next.After(now)
}

// rollOutUpdate updates the location's connectors to its pending version
// one at a time (RL-5): each is taken offline (Rebooting), restarted and
// brought back before the next one goes. It returns what it did, or
// nothing when another operation holds the location.
func (t *Tenant) rollOutUpdate(ctx context.Context, l *locationObj) (string, error) {
	t.mu.Lock()
	if l.busy != "" || t.locations[fold(l.name)] != l {
		// Since it was found due, another operation took the location
		// (or removed it); the update waits for a later run.
		t.mu.Unlock()
		return "", nil
	}
	version := l.pendingVer
	l.busy = "updating connectors"
	conns := slices.Clone(l.connectors)
	t.mu.Unlock()
	defer func() {
		t.mu.Lock()
		l.busy = ""
		t.mu.Unlock()
	}()
	updated := 0
	for _, c := range conns {
		t.mu.Lock()
		if c.version == version || c.state == ConnectorDeleting {
			t.mu.Unlock()
			continue
		}
		prev := c.state
		c.state = ConnectorRebooting
		t.mu.Unlock()
		err := t.restartVM(ctx, c.vm)
		t.mu.Lock()
		if err != nil {
			c.state = prev
			t.mu.Unlock()
			return "", fmt.Errorf("RL-5: updating connector %q of resource location %q to version %s: %w", c.name, l.name, version, err)
		}
		c.state, c.version, c.health = ConnectorConnected, version, "OK"
		t.mu.Unlock()
		updated++
	}
	t.mu.Lock()
	if l.pendingVer == version {
		l.pendingVer = ""
	}
	name := l.name
	t.mu.Unlock()
	return fmt.Sprintf("updated %d connector(s) of resource location %q to version %s, one at a time", updated, name, version), nil
}

// locationChange is the ledger change of a catalog joining (sign +1) or
// leaving (sign -1) its resource location. t.mu must be held.
func locationChange(c *catalogObj, sign int, lastOrFirst bool) quota.Change {
	ch := quota.Change{
		Subscription: c.subscription, Catalog: c.name, ResourceLocation: c.location.id,
		Catalogs: sign, VDAs: sign * c.vdas(),
	}
	if lastOrFirst {
		ch.ResourceLocations = sign
	}
	if c.domain.Joined() {
		ch.Domain = fold(c.adDomain)
		ch.DomainRefs = sign
	}
	if c.persona.Session == quota.MultiSession {
		ch.MultiSessionUsers = sign * c.users
	} else {
		ch.SingleSessionUsers = sign * c.users
	}
	return ch
}

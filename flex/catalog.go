package flex

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/naming"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
)

// CatalogSpec is what CreateCatalog takes: the Create catalog form of
// package catalog, with the image given by name.
type CatalogSpec struct {
	catalog.Spec
	// Image names the catalog's image: a Citrix-prepared image or a Ready
	// custom image of the subscription (IMG-8). It shadows Spec.Image,
	// which CreateCatalog fills in from it.
	Image string
	// Connectors is how many Cloud Connectors the resource location of a
	// domain-joined catalog gets when the catalog creates it (RL-1); 0
	// means DefaultConnectors.
	Connectors int
}

// Catalog is a catalog as the Tenant reports it. It holds no secret: the
// Active Directory service account's password is used while machines are
// made and never kept (SEC-1).
type Catalog struct {
	Name             string
	Subscription     string
	Connection       string // "" for No connectivity
	Region           network.Region
	Persona          quota.Persona
	MachineType      quota.MachineType
	Domain           image.DomainType
	ADDomain         string // the Active Directory domain of a domain-joined catalog
	OU               string
	ResourceLocation string
	Connectivity     catalog.ConnectivityType
	Image            string // the image new machines are made from
	NamingScheme     string
	Sizes            catalog.Sizes
	Schedule         catalog.WorkSchedule
	State            catalog.State     // API-1
	Operation        catalog.Operation // the operation holding the catalog (CAT-6)
	Failure          string            // what failed, in state Error
	Users            int               // the users the catalog is sized for (CAT-2)
	Principals       []catalog.Principal
	Apps             []catalog.App
	Snapshots        catalog.Schedules
	Summary          catalog.Summary // MON-1
	Warnings         []network.Warning
	Created          time.Time
}

// Machine is a machine of a catalog as the Tenant reports it.
type Machine struct {
	Name        string
	Catalog     string
	Zone        string // "1"–"3", or "" in a region without zones
	Size        string
	Image       string
	Assigned    string // the user a static machine belongs to
	Address     netip.Addr
	Power       catalog.PowerState
	Registered  bool
	Sessions    int
	Maintenance bool
	Restart     catalog.RestartState
	Restore     catalog.RestoreState // API-5
	// PendingImage is the image the machine moves to at its next shutdown
	// or at UpdateAt (CAT-7).
	PendingImage string
	UpdateAt     time.Time
	State        string           // in words, as catalog.Machine.State says
	Allowed      []catalog.Action // the actions it allows now
}

// catalogState is the Tenant's catalogs and resource locations. Its maps
// are guarded by Tenant.mu.
type catalogState struct {
	catalogs  map[string]*catalogObj  // by fold(name)
	locations map[string]*locationObj // by fold(name)
}

// catalogObj is one catalog as the Tenant holds it.
type catalogObj struct {
	name         string
	subscription string
	azureID      string
	connection   string // "" for No connectivity
	conn         *connection
	region       network.Region
	persona      quota.Persona
	mt           quota.MachineType
	domain       image.DomainType
	adDomain     string
	adOU         string
	connectivity catalog.ConnectivityType
	schedule     catalog.WorkSchedule
	secureBoot   bool
	img          image.Image
	image        string // the image new machines are made from (CAT-7)
	imgRef       ImageRef
	sizes        catalog.Sizes
	scheme       naming.Scheme
	next         int      // number of the next machine name
	pending      []string // names of the machines being made, reserved (reserveNames)
	users        int      // users it is sized for (CAT-2, LIM-7, LIM-8)
	vdaCount     int      // VDAs the ledger counts for it (LIM-4)
	location     *locationObj
	group        ResourceID
	subnets      []*subnetSlot
	status       catalog.Status
	failure      string // what failed, in state Error (API-1)
	principals   catalog.Principals
	members      []catalog.Principal // principals.List(), kept as sorting is costly
	apps         catalog.Apps
	schedules    catalog.Schedules
	schedFrom    time.Time // scheduled snapshots run for times after this
	warnings     []network.Warning
	created      time.Time

	machines []*machineObj          // in the order they were made
	byName   map[string]*machineObj // by fold(name)
}

// machineObj is one machine of a catalog.
type machineObj struct {
	m            catalog.Machine
	size         string
	addr         netip.Addr
	slot         *subnetSlot
	busy         string    // the action in progress, or ""
	pendingImage string    // the image it moves to (CAT-7)
	updateAt     time.Time // when, for an immediate update; zero: at next shutdown
	snapshots    []*snapshotObj
}

// setPrincipals sets the users and groups of c (CAT-9). t.mu must be held.
func (c *catalogObj) setPrincipals(set catalog.Principals) {
	c.principals = set
	c.members = set.List()
}

// vdas is the number of VDAs the ledger counts for c (LIM-4).
func (c *catalogObj) vdas() int { return c.vdaCount }

// obj names c in errors.
func (c *catalogObj) obj() string { return fmt.Sprintf("catalog %q", c.name) }

// vmID is the ID of the VM of machine name.
func (c *catalogObj) vmID(name string) ResourceID {
	return ResourceID{Subscription: c.group.Subscription, ResourceGroup: c.group.Name, Type: TypeVirtualMachine, Name: name}
}

// addMachine records a machine made for c. t.mu must be held.
func (c *catalogObj) addMachine(m *machineObj) {
	c.machines = append(c.machines, m)
	c.byName[fold(m.m.Name)] = m
	if m.slot != nil {
		m.slot.used++
	}
}

// removeMachine forgets a deleted machine. t.mu must be held.
func (c *catalogObj) removeMachine(m *machineObj) {
	c.machines = slices.DeleteFunc(c.machines, func(o *machineObj) bool { return o == m })
	delete(c.byName, fold(m.m.Name))
	if m.slot != nil {
		m.slot.used--
	}
}

// catalogsUsingConnection names the catalogs that use the connection,
// sorted (NET-8, NET-15). Catalogs being created or deleted count. t.mu
// must be held.
func (t *Tenant) catalogsUsingConnection(name string) []string {
	var out []string
	for _, c := range t.catalogs {
		if c.connection != "" && strings.EqualFold(c.connection, name) {
			out = append(out, c.name)
		}
	}
	slices.Sort(out)
	return out
}

// catalogsUsingImage names the catalogs of the subscription whose current
// image is name, sorted (IMG-7). An image is keyed by subscription and
// name, as images of two subscriptions may share a name (SUB-2); an empty
// subscription, for a prepared image, which every subscription may use,
// counts the catalogs of all. t.mu must be held.
func (t *Tenant) catalogsUsingImage(subscription, name string) []string {
	var out []string
	for _, c := range t.catalogs {
		if inSubscription(c, subscription) && strings.EqualFold(c.image, name) {
			out = append(out, c.name)
		}
	}
	slices.Sort(out)
	return out
}

// machinesUsingImage counts the machines of the subscription (of all, for
// an empty one) made from the image, including those a static catalog
// keeps on it after an image update (CAT-7, IMG-7). t.mu must be held.
func (t *Tenant) machinesUsingImage(subscription, name string) int {
	n := 0
	for _, c := range t.catalogs {
		if !inSubscription(c, subscription) {
			continue
		}
		for _, m := range c.machines {
			if !m.m.Deleted && strings.EqualFold(m.m.Image, name) {
				n++
			}
		}
	}
	return n
}

// inSubscription reports whether catalog c is of the subscription, or the
// subscription is empty (any).
func inSubscription(c *catalogObj, subscription string) bool {
	return subscription == "" || strings.EqualFold(c.subscription, subscription)
}

// catalogDomain returns the connection a catalog uses ("" for No
// connectivity) and whether its machines are domain-joined (TRB-1), or an
// ErrNotFound error. t.mu must be held.
func (t *Tenant) catalogDomain(catalogName string) (connection string, domainJoined bool, err error) {
	c, ok := t.catalogs[fold(catalogName)]
	if !ok {
		return "", false, Errorf(ErrNotFound, "", fmt.Sprintf("catalog %q", catalogName), "the tenant has no catalog named %q", catalogName)
	}
	return c.connection, c.domain.Joined(), nil
}

// machinesUsingConnection counts the machines of the catalogs on the
// connection (NET-15). t.mu must be held.
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

// catalogsRenameImage points the subscription's catalogs and machines that
// use image old at its new name (IMG-7). t.mu must be held.
func (t *Tenant) catalogsRenameImage(subscription, old, new string) {
	for _, c := range t.catalogs {
		if !strings.EqualFold(c.subscription, subscription) {
			continue
		}
		if strings.EqualFold(c.image, old) {
			c.image = new
			c.img.Name = new
		}
		for _, m := range c.machines {
			if strings.EqualFold(m.m.Image, old) {
				m.m.Image = new
			}
			if strings.EqualFold(m.pendingImage, old) {
				m.pendingImage = new
			}
		}
	}
}

// catalog returns the named catalog or an ErrNotFound error. t.mu must be
// held.
func (t *Tenant) catalog(op, name string) (*catalogObj, error) {
	c, ok := t.catalogs[fold(name)]
	if !ok {
		return nil, Errorf(ErrNotFound, op, fmt.Sprintf("catalog %q", name), "the tenant has no catalog named %q", name)
	}
	return c, nil
}

// wrap returns err as an *Error of op on obj with the kind it matches:
// the catalog package's busy and state errors, the ledger's limits and
// rule violations become ErrBusy, ErrPrecondition, ErrLimit and ErrInvalid.
// Context errors pass through untouched; a context error joined with an
// error of a kind (a failure, and the caller's cancellation of the rest of
// the work) is wrapped like that error, and errors.Is still finds the
// context error in it.
func wrap(op, obj string, err error) error {
	if err == nil {
		return nil
	}
	kind := KindOf(err)
	if kind == nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return err
	}
	var se *catalog.StateError
	var ae *catalog.ActionError
	switch {
	case kind != nil:
	case errors.Is(err, catalog.ErrBusy):
		kind = ErrBusy
	case errors.Is(err, quota.ErrLimit):
		kind = ErrLimit
	case errors.As(err, &se), errors.As(err, &ae):
		kind = ErrPrecondition
	case len(rule.IDs(err)) > 0:
		kind = ErrInvalid
	}
	return &Error{Kind: kind, Op: op, Object: obj, Err: err}
}

// defaultSize returns the VM size of a catalog that names none: for a
// custom persona, the smallest size without a GPU that has its vCPUs and
// memory and boots the image's generation; otherwise Standard_D2s_v5 for
// single-session and Standard_D4s_v5 for multi-session machines (a
// decision: the documentation does not publish the personas' sizes).
func defaultSize(p quota.Persona, gen image.Generation) string {
	if p.Custom && p.VCPUs > 0 {
		best := image.VMSize{}
		for _, s := range image.Sizes() {
			if s.GPU || s.VCPUs < p.VCPUs || s.MemoryGiB < p.MemoryGiB || (gen.IsValid() && !s.Supports(gen)) {
				continue
			}
			if best.Name == "" || s.VCPUs < best.VCPUs || s.VCPUs == best.VCPUs && s.MemoryGiB < best.MemoryGiB {
				best = s
			}
		}
		if best.Name != "" {
			return best.Name
		}
	}
	if p.Session == quota.MultiSession {
		return "Standard_D4s_v5"
	}
	return "Standard_D2s_v5"
}

// work is one long operation on a catalog: what it read under t.mu and
// what it made in the cloud.
type work struct {
	c        *catalogObj
	res      *quota.Reservation
	n        int // machines to make
	zones    []int
	policy   network.FirewallPolicy
	slots    []*subnetSlot // existing subnets to fill first
	free     []int
	loc      locationPlan
	conPlan  connectorPlan
	img      image.Image
	imgRef   ImageRef
	assign   []string // users of static machines, by index
	names    []string // of the machines to make, reserved (reserveNames)
	progress Progress

	// Made in the cloud.
	tried   []*machineObj // the machines a VM was put for, by index; nil for the others
	made    []*machineObj // the machines made, by index; nil for those not made
	place   placement
	conMade []*connectorObj
	conAdd  []*subnetSlot
}

// CreateCatalog creates a catalog and provisions it: its resource location
// and Cloud Connectors when it is the first of its connection, region and
// domain (RL-1), a subnet of its connection with the NSG of its domain type
// (FW-1, FW-2), and its machines, named by its naming scheme (NAM-*, the
// default of NAM-9 when it names none), spread over the region's zones
// (CAT-15), of its VM size or the backup size when the cloud has no
// capacity (CAT-14), made in parallel with progress reports. The spec is
// validated first with every problem reported at once; warnings (IDN-5,
// NET-12, RL-1) come back in the view. The catalog counts against LIM-2,
// LIM-4, LIM-1, LIM-6, LIM-3, LIM-7 and LIM-8 through a reservation, so
// concurrent creations cannot together overshoot a limit.
//
// A failure part-way, or a cancelled ctx, deletes what was made and
// releases the reservation; when that cleanup fails too, the catalog stays
// in state Error saying what failed, and DeleteCatalog removes it.
func (t *Tenant) CreateCatalog(ctx context.Context, spec CatalogSpec) (Catalog, error) {
	const op = "CreateCatalog"
	obj := fmt.Sprintf("catalog %q", spec.Name)
	if err := t.authorize(ctx, op, true); err != nil {
		return Catalog{}, err
	}
	t.mu.Lock()
	w, err := t.prepareCatalog(op, obj, spec)
	t.mu.Unlock()
	if err != nil {
		return Catalog{}, err
	}
	err = t.provisionCatalog(ctx, op, w)
	if err != nil {
		return Catalog{}, t.failCreate(ctx, op, w, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	c := w.c
	if cerr := w.res.Commit(); cerr != nil {
		err = cerr
	}
	c.status, _ = c.status.Finish(true)
	c.subnets = append(c.subnets, w.place.added...)
	for _, m := range w.made {
		c.addMachine(m)
	}
	c.releaseNames()
	l := w.loc.loc
	l.pending = false
	l.recordConnectors(w.conPlan, w.conMade, w.conAdd)
	if w.loc.connectors > 0 {
		l.busy, l.planned = "", nil
	}
	if !slices.ContainsFunc(l.groups, func(g ResourceID) bool { return g == l.group }) && len(w.conMade) > 0 {
		l.groups = append(l.groups, l.group)
	}
	if err != nil {
		c.status, _ = c.status.Begin(catalog.AddMachines)
		c.status, _ = c.status.Finish(false)
		c.failure = "recording the quota failed: " + err.Error()
	}
	return t.catalogView(c), wrap(op, obj, err)
}

// prepareCatalog validates spec, reserves the catalog's name and quota and
// inserts it as a placeholder in state Processing. t.mu must be held.
func (t *Tenant) prepareCatalog(op, obj string, spec CatalogSpec) (*work, error) {
	if t.catalogs == nil {
		t.catalogs = map[string]*catalogObj{}
		t.locations = map[string]*locationObj{}
	}
	s, err := t.subscription(op, spec.Subscription)
	if err != nil && spec.Subscription != "" {
		return nil, err
	}
	if s == nil {
		// Validation reports the missing subscription with the rest.
		s = &subscription{}
	}
	cs := spec.Spec
	var ref ImageRef
	if spec.Image != "" && s.name != "" {
		img, r, err := t.imageFor(op, s.name, spec.Image)
		if err != nil {
			return nil, err
		}
		cs.Image, ref = img, r
	}
	var conn *connection
	var facts catalog.Connection
	if spec.Connection != "" && s.name != "" {
		conn, err = t.connectionFor(op, s.name, spec.Connection)
		if err != nil {
			return nil, err
		}
		facts = conn.facts()
	}
	warns, verr := cs.Validate(facts)
	if verr != nil {
		return nil, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: verr}
	}
	if spec.Connectors < 0 || spec.Connectors > 10 {
		return nil, Errorf(ErrInvalid, op, obj, "RL-2: %d connectors asked for; a resource location gets 1 to 10 (0 for the default of %d)", spec.Connectors, DefaultConnectors)
	}
	if o, ok := t.catalogs[fold(cs.Name)]; ok {
		return nil, Errorf(ErrConflict, op, obj, "CAT-5: the tenant already has a catalog named %q; catalog names are unique ignoring case", o.name)
	}
	region := cs.EffectiveRegion(facts)
	if r := t.imageRegion(s.name, spec.Image); r != "" && r != region {
		return nil, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: rule.Errorf("IMG-8",
			"image %q is in region %s; the catalog's machines run in %s, choose an image of that region", spec.Image, r, region)}
	}
	n, err := cs.Machines()
	if err != nil {
		return nil, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	sizes := cs.Sizes()
	if sizes.Primary == "" {
		sizes.Primary = defaultSize(cs.Persona, cs.Image.Generation)
	}
	lp, err := t.planLocation(op, obj, s, spec, region, conn)
	if err != nil {
		return nil, err
	}
	l := lp.loc
	if lp.connectors > 0 && spec.Connectors > 0 {
		lp.connectors = spec.Connectors
	}
	if lp.connectors > 0 && l.busy != "" {
		return nil, Errorf(ErrBusy, op, obj, "resource location %q is %s; try again when it is done", l.name, l.busy)
	}
	var scheme naming.Scheme
	if cs.NamingScheme == "" {
		scheme, err = naming.Default(l.prefix, t.rnd) // NAM-9
	} else {
		scheme, err = naming.Parse(cs.NamingScheme, cs.WildcardKind)
	}
	if err == nil {
		err = scheme.Check(n) // NAM-8
	}
	if err != nil {
		return nil, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	c := &catalogObj{
		name: cs.Name, subscription: s.name, azureID: s.azureID, connection: cs.Connection, conn: conn,
		region: region, persona: cs.Persona, mt: cs.MachineType, domain: cs.Domain,
		connectivity: cs.Connectivity, schedule: cs.Schedule, secureBoot: cs.SecureBoot,
		img: cs.Image, image: cs.Image.Name, imgRef: ref, sizes: sizes, scheme: scheme, next: 1,
		users: len(cs.Users), location: l, group: GroupID(s.azureID, t.groupName("catalog", cs.Name)),
		byName: make(map[string]*machineObj, n), created: t.now(),
	}
	if cs.Domain.Joined() {
		c.adDomain, c.adOU = cs.AD.Domain, cs.AD.OU
	}
	c.schedFrom = c.created
	c.vdaCount = n
	c.status, _ = catalog.Status{Name: c.name}.Begin(catalog.Provision)
	names, next, err := t.planNames(c, n) // NAM-7, NAM-8
	if err != nil {
		return nil, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	res, err := t.ledger.Reserve(locationChange(c, 1, lp.created))
	if err != nil {
		return nil, wrap(op, obj, err)
	}
	var members catalog.Principals
	if _, err := members.Add(initialPrincipals(c, cs.Users)...); err != nil {
		res.Release()
		return nil, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	c.setPrincipals(members)
	if conn == nil {
		// No connectivity: a Citrix-managed network of the catalog's own.
		conn = t.managedConnection(s.name, region, "catalog/"+c.name)
		c.conn = conn
		if lp.created {
			l.conn = conn
		}
	}
	c.warnings = append(warns, lp.warnings...)
	w := &work{c: c, res: res, n: n, loc: lp, img: cs.Image, imgRef: ref, names: names,
		progress: Progress{Op: op, Object: obj, Phase: "machines"}}
	c.reserveNames(names, next)
	w.policy = t.firewallPolicy(conn, cs.Domain.Joined())
	if cs.MachineType == quota.Static {
		w.assign = cs.Users
	}
	t.catalogs[fold(c.name)] = c
	if lp.created {
		t.locations[fold(l.name)] = l
	}
	if lp.connectors > 0 {
		// Named after the catalog's machines, around them.
		w.conPlan = t.planConnectors(l, lp.connectors, StandardPerformance, l.group, "")
		l.busy = fmt.Sprintf("adding connectors for catalog %q", c.name)
	}
	l.catalogs[fold(c.name)] = true
	if c.adDomain != "" {
		l.domains[fold(c.adDomain)]++
		l.domainNames[fold(c.adDomain)] = c.adDomain
	}
	return w, nil
}

// initialPrincipals are the users a catalog is created for, as members of
// its directory (CAT-9): the Active Directory domain of a domain-joined
// catalog, otherwise the domain of a user principal name or "Entra ID".
func initialPrincipals(c *catalogObj, users []string) []catalog.Principal {
	out := make([]catalog.Principal, 0, len(users))
	for _, u := range users {
		dir := c.adDomain
		if dir == "" {
			dir = "Entra ID"
			if _, d, ok := strings.Cut(u, "@"); ok && d != "" {
				dir = d
			}
		}
		out = append(out, catalog.Principal{Directory: dir, Kind: catalog.User, ID: u})
	}
	return out
}

// provisionCatalog does the cloud work of a new catalog: resource groups,
// connectors, network and machines. What it made is in w.
func (t *Tenant) provisionCatalog(ctx context.Context, op string, w *work) error {
	c, l := w.c, w.loc.loc
	if err := t.ensureGroup(ctx, c.group, c.region, "catalog/"+c.name); err != nil {
		return err
	}
	if w.loc.created {
		if err := t.ensureGroup(ctx, l.group, l.region, "location/"+l.id); err != nil {
			return err
		}
	}
	if w.conPlan.n > 0 {
		var err error
		w.conMade, w.conAdd, err = t.createConnectors(ctx, op, l, w.conPlan)
		if err != nil {
			return err
		}
	}
	if err := t.ensureNetwork(ctx, c.conn); err != nil {
		return err
	}
	return t.makeMachines(ctx, w)
}

// makeMachines makes w.n machines of w.c, named w.names: their subnets,
// then the VMs in parallel (CAT-14, CAT-15). The machines made are in
// w.made, in order, nil for those not made; w.tried holds every machine a
// VM was put for, which the cloud may hold though the Tenant never heard
// back (removeTried).
func (t *Tenant) makeMachines(ctx context.Context, w *work) error {
	c := w.c
	if w.n == 0 {
		return nil
	}
	var err error
	w.place, err = t.placeMachines(ctx, c.conn, "catalog/"+c.name, w.slots, w.free, w.n, w.policy)
	if err != nil {
		return err
	}
	names := w.names
	pw, err := t.localPassword()
	if err != nil {
		return err
	}
	tags := t.tags("catalog/" + c.name)
	tags[TagSessionLimit] = fmt.Sprint(max(1, c.persona.UsersPerMachine))
	sz := &sizer{sizes: c.sizes}
	upm := c.persona.UsersPerMachine
	zones := w.zones
	if len(zones) != w.n {
		zones = catalog.SpreadZones(c.region, nil, w.n)
	}
	w.made, w.tried = make([]*machineObj, w.n), make([]*machineObj, w.n)
	_, err = t.parallel(ctx, w.progress, w.n, func(ctx context.Context, i int) error {
		slot := w.place.slots[i]
		m := catalog.NewMachine(names[i], c.mt, upm)
		m.Image, m.Zone = w.img.Name, zones[i]
		if i < len(w.assign) {
			m.Assigned = w.assign[i]
		}
		mo := &machineObj{m: m, slot: slot}
		w.tried[i] = mo // each index is one worker's, read after parallel returns
		vm := &VirtualMachine{
			Meta:          Meta{ID: c.vmID(names[i]), Region: c.region, Tags: tags},
			Zone:          zoneName(zones[i]),
			ComputerName:  names[i],
			Image:         w.imgRef,
			Generation:    w.img.Generation,
			SecureBoot:    c.secureBoot,
			Network:       slot.s.VNet,
			Subnet:        slot.s.Name,
			AdminUsername: localAdmin,
			AdminPassword: pw,
		}
		got, err := t.putMachine(ctx, sz, vm)
		mo.size = vm.Size // the size last asked for; "" when no Put was made
		if mo.size == "" {
			w.tried[i] = nil
		}
		if err != nil {
			return err
		}
		mo.m.Power, mo.m.Registered = catalog.Running, true
		mo.size, mo.addr = got.Size, got.PrivateIP
		w.made[i] = mo
		return nil
	})
	return err
}

// removeTried deletes, by name, the VM of every machine of w a VM was put
// for: those made, and those whose Put failed, as it may have reached the
// cloud with only its response lost. Deleting a VM that does not exist
// succeeds. It returns the machines whose VM could not be deleted, and why.
func (t *Tenant) removeTried(ctx context.Context, w *work) ([]*machineObj, error) {
	var left []*machineObj
	var errs []error
	for _, m := range w.tried {
		if m == nil {
			continue
		}
		if err := t.deleteResource(ctx, w.c.vmID(m.m.Name)); err != nil {
			left = append(left, m)
			errs = append(errs, err)
		}
	}
	return left, errors.Join(errs...)
}

// failCreate undoes a catalog creation that failed with err: it deletes
// what was made, releases the reservation and forgets the catalog, or,
// when the cleanup fails, keeps the catalog in state Error.
func (t *Tenant) failCreate(ctx context.Context, op string, w *work, err error) error {
	c, l := w.c, w.loc.loc
	undo := context.WithoutCancel(ctx)
	groups := []ResourceID{c.group}
	var errs []error
	if w.loc.created {
		groups = append(groups, l.group)
	} else {
		// Connectors made for an existing location go one by one.
		for _, m := range w.conMade {
			if m != nil {
				errs = append(errs, t.deleteResource(undo, m.vm))
			}
		}
	}
	errs = append(errs, t.destroy(undo, groups, c.conn, w.place.added))
	if errors.Join(errs...) == nil && len(w.conAdd) > 0 {
		errs = append(errs, t.dropSubnets(undo, l.conn, w.conAdd))
	}
	cerr := errors.Join(errs...)

	t.mu.Lock()
	defer t.mu.Unlock()
	c.releaseNames()
	if w.loc.connectors > 0 {
		l.busy, l.planned = "", nil
	}
	var td *locationTeardown
	emptied := cerr == nil // nothing of the catalog is left in the cloud
	if emptied && !w.loc.created {
		// A location the catalog joined goes when no other catalog is
		// left there, as other catalogs' deletions ran meanwhile (RL-1);
		// one it created went with its group above.
		td, cerr = t.lastOut(op, c)
		if td != nil {
			t.mu.Unlock()
			cerr = t.dismantle(undo, td)
			t.mu.Lock()
			if cerr != nil {
				t.keepLocation(td)
				cerr = fmt.Errorf("removing its resource location %q: %w", l.name, cerr)
			}
		}
	}
	if cerr == nil {
		w.res.Release()
		t.forgetCatalog(c)
		if w.loc.created {
			delete(t.locations, fold(l.name))
		}
		if td != nil {
			if lerr := t.removeLocation(td); lerr != nil {
				err = fmt.Errorf("%w; and recording the removal of its resource location failed: %v", err, lerr)
			}
		}
		return wrap(op, c.obj(), err)
	}
	c.status, _ = c.status.Finish(false)
	if emptied {
		// Nothing of the catalog is left, but its location could not go:
		// keep the catalog, in state Error, without machines, so that
		// DeleteCatalog removes the location with it. Under t.mu no other
		// reservation comes between, so the smaller one fits where the
		// whole did.
		w.res.Release()
		c.vdaCount = 0
		if kept, rerr := t.ledger.Reserve(locationChange(c, 1, false)); rerr == nil {
			_ = kept.Commit()
		}
		c.failure = fmt.Sprintf("provisioning failed: %v; %v", err, cerr)
		return wrap(op, c.obj(), fmt.Errorf("%w; %w", err, cerr))
	}
	// The cloud still holds some of it: keep the catalog, in state Error,
	// with its quota, so that DeleteCatalog can finish the cleanup.
	_ = w.res.Commit()
	c.subnets = append(c.subnets, remainingSubnets(c.conn, w.place.added)...)
	for _, m := range w.made {
		if m != nil {
			c.addMachine(m)
		}
	}
	l.pending = false
	l.recordConnectors(w.conPlan, slices.DeleteFunc(w.conMade, func(m *connectorObj) bool { return m == nil }), remainingSubnets(l.conn, w.conAdd))
	c.failure = fmt.Sprintf("provisioning failed: %v; removing what was made failed: %v", err, cerr)
	return wrap(op, c.obj(), fmt.Errorf("%w; removing what was made failed: %v", err, cerr))
}

// destroy deletes resource groups and the subnets of a connection they
// used: each group at once when nothing outside it depends on it;
// otherwise (its NSGs are used by subnets of the connection's VNet) its VMs
// first, then the subnets, then the group. A Citrix-managed network lives
// in its owner's group and goes with it: its subnets are not removed one by
// one, and the caller releases it (releaseManagedConnection).
func (t *Tenant) destroy(ctx context.Context, groups []ResourceID, conn *connection, subnets []*subnetSlot) error {
	var retry []ResourceID
	var errs []error
	for _, g := range groups {
		err := t.deleteResource(ctx, g)
		switch {
		case err == nil:
		case KindOf(err) == ErrConflict:
			if derr := t.deleteVMs(ctx, g); derr != nil {
				errs = append(errs, derr)
			}
			retry = append(retry, g)
		default:
			errs = append(errs, err)
		}
	}
	if conn != nil && !conn.managed {
		for _, s := range subnets {
			if err := t.removeSubnet(ctx, conn, s.s); err != nil && KindOf(err) != ErrNotFound {
				errs = append(errs, err)
			}
		}
	}
	for _, g := range retry {
		errs = append(errs, t.deleteResource(ctx, g))
	}
	return errors.Join(errs...)
}

// deleteVMs deletes every VM of a resource group, in parallel.
func (t *Tenant) deleteVMs(ctx context.Context, g ResourceID) error {
	var vms []Resource
	f := Filter{Subscription: g.Subscription, ResourceGroup: g.Name, Type: TypeVirtualMachine}
	if err := t.call(ctx, "List", g, func(ctx context.Context) error {
		var err error
		vms, err = t.provider.List(ctx, f)
		return err
	}); err != nil {
		return err
	}
	_, err := t.parallel(ctx, Progress{Op: "Delete", Object: g.String(), Phase: "machines"}, len(vms), func(ctx context.Context, i int) error {
		return t.deleteResource(ctx, vms[i].Metadata().ID)
	})
	return err
}

// AddMachines adds machines to a catalog for more users (CAT-6): one per
// user for single-session catalogs, ⌈users ÷ users per machine⌉ for
// multi-session ones (CAT-2). A domain-joined catalog needs the service
// account credentials again. The machines count against LIM-4 (and the
// users against LIM-7 or LIM-8) through a reservation. While they are
// made the catalog is locked: every other change answers ErrBusy. Machines
// that do not fit the catalog's subnets get another subnet; new machines
// of a static catalog get its current image (CAT-7).
//
// A failure part-way, or a cancelled ctx, deletes the machines made and
// releases the reservation; the catalog moves to state Error saying what
// failed (API-1), and can be retried.
func (t *Tenant) AddMachines(ctx context.Context, name string, req catalog.AddMachinesRequest) (Catalog, error) {
	const op = "AddMachines"
	obj := fmt.Sprintf("catalog %q", name)
	if err := t.authorize(ctx, op, true); err != nil {
		return Catalog{}, err
	}
	t.mu.Lock()
	c, err := t.catalog(op, name)
	if err != nil {
		t.mu.Unlock()
		return Catalog{}, err
	}
	if err := req.Validate(c.domain); err != nil {
		t.mu.Unlock()
		return Catalog{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	n, err := req.Machines(c.persona)
	var names []string
	var next int
	if err == nil {
		names, next, err = t.planNames(c, n) // NAM-7, NAM-8
	}
	if err != nil {
		t.mu.Unlock()
		return Catalog{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	st, err := c.status.Begin(catalog.AddMachines)
	if err != nil {
		t.mu.Unlock()
		return Catalog{}, wrap(op, obj, err)
	}
	if c.connection != "" {
		if _, err := t.connectionFor(op, c.subscription, c.connection); err != nil {
			t.mu.Unlock()
			return Catalog{}, err
		}
	}
	ch := quota.Change{Subscription: c.subscription, Catalog: c.name, ResourceLocation: c.location.id, VDAs: n}
	if c.persona.Session == quota.MultiSession {
		ch.MultiSessionUsers = req.Users
	} else {
		ch.SingleSessionUsers = req.Users
	}
	res, err := t.ledger.Reserve(ch)
	if err != nil {
		t.mu.Unlock()
		return Catalog{}, wrap(op, obj, err)
	}
	c.status = st
	c.reserveNames(names, next)
	w := &work{c: c, res: res, n: n, img: c.img, imgRef: c.imgRef, names: names,
		progress: Progress{Op: op, Object: obj, Phase: "machines"}}
	w.policy = t.firewallPolicy(c.conn, c.domain.Joined())
	var have []int
	for _, m := range c.machines {
		have = append(have, m.m.Zone)
	}
	w.zones = catalog.SpreadZones(c.region, have, n)
	for _, s := range c.subnets {
		w.slots = append(w.slots, s)
		w.free = append(w.free, s.free())
	}
	t.mu.Unlock()

	err = t.makeMachines(ctx, w)
	var cerr error
	var left []*machineObj // machines whose VM could not be removed
	if err != nil {
		undo := context.WithoutCancel(ctx)
		if left, cerr = t.removeTried(undo, w); cerr == nil {
			cerr = t.dropSubnets(undo, c.conn, w.place.added)
		}
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	c.releaseNames()
	if err == nil {
		err = res.Commit()
		c.vdaCount += n
		c.users += req.Users
		c.subnets = append(c.subnets, w.place.added...)
		for _, m := range w.made {
			c.addMachine(m)
		}
		c.status, _ = c.status.Finish(err == nil)
		c.failure = ""
		return t.catalogView(c), wrap(op, obj, err)
	}
	if cerr == nil {
		res.Release()
		c.failure = fmt.Sprintf("adding %d machines failed and none was added: %v", n, err)
	} else {
		// What could not be removed stays the catalog's, for DeleteCatalog
		// or a machine deletion to remove: the subnets added, and the
		// machines whose VM could not be deleted, with the VMs the cloud
		// may hold though the Tenant never heard back (a refresh reads
		// their state). They count against LIM-4; the rest of the
		// reservation is released. Under t.mu no other reservation comes
		// between, so the smaller one fits where the whole did.
		res.Release()
		if len(left) > 0 {
			ch.VDAs, ch.SingleSessionUsers, ch.MultiSessionUsers = len(left), 0, 0
			if kept, rerr := t.ledger.Reserve(ch); rerr == nil {
				_ = kept.Commit()
				c.vdaCount += len(left)
			}
		}
		c.subnets = append(c.subnets, remainingSubnets(c.conn, w.place.added)...)
		for _, m := range left {
			c.addMachine(m)
		}
		c.failure = fmt.Sprintf("adding %d machines failed: %v; removing the machines made failed: %v", n, err, cerr)
		err = fmt.Errorf("%w; removing the machines made failed: %v", err, cerr)
	}
	c.status, _ = c.status.Finish(false)
	return Catalog{}, wrap(op, obj, err)
}

// CatalogImageUpdate is what UpdateCatalogImage takes (CAT-7): the new
// image by name and, for random and multi-session catalogs, when the
// machines move to it.
type CatalogImageUpdate struct {
	Image        string
	Timing       catalog.UpdateTiming
	Message      string
	Distribution time.Duration
}

// UpdateCatalogImage gives a catalog a new image (CAT-7). The image must
// suit the catalog's session and domain type (IMG-8) and may switch
// between Gen1 and Gen2 only when the catalog's VM size boots the new
// generation (IMG-9). A static catalog keeps its machines on their image
// and makes new machines from the new one. A random or multi-session
// catalog moves every machine: on its next shutdown (MachineAction
// Shutdown; users see the message), or immediately, restarted on the new
// image over the distribution time: those due now at once, the others by
// RunDue. It returns the plan.
func (t *Tenant) UpdateCatalogImage(ctx context.Context, name string, u CatalogImageUpdate) (catalog.UpdatePlan, error) {
	const op = "UpdateCatalogImage"
	obj := fmt.Sprintf("catalog %q", name)
	if err := t.authorize(ctx, op, true); err != nil {
		return catalog.UpdatePlan{}, err
	}
	t.mu.Lock()
	c, err := t.catalog(op, name)
	if err != nil {
		t.mu.Unlock()
		return catalog.UpdatePlan{}, err
	}
	img, ref, err := t.imageFor(op, c.subscription, u.Image)
	if err != nil {
		t.mu.Unlock()
		return catalog.UpdatePlan{}, err
	}
	var l rule.List
	l.Append(image.Compatible(img, c.mt.Session(), c.domain)) // IMG-8
	if r := t.imageRegion(c.subscription, u.Image); r != "" && r != c.region {
		l.Add("IMG-8", "image %q is in region %s; the catalog's machines run in %s, choose an image of that region", u.Image, r, c.region)
	}
	if size, ok := image.LookupSize(c.sizes.Primary); ok {
		l.Append(image.CheckGenerationSwitch(c.img, img, size)) // IMG-9
	}
	if c.sizes.Backup != "" {
		if size, ok := image.LookupSize(c.sizes.Backup); ok && !size.Supports(img.Generation) {
			l.Add("IMG-9", "backup VM size %s supports %v only; image %q is %v", size.Name, size.Generations, img.Name, img.Generation)
		}
	}
	machines := make([]catalog.Machine, 0, len(c.machines))
	for _, m := range c.machines {
		machines = append(machines, m.m)
	}
	now := t.now()
	plan, perr := catalog.PlanImageUpdate(c.mt, machines, catalog.UpdateRequest{Image: img.Name, Timing: u.Timing,
		Message: u.Message, Distribution: u.Distribution, Start: now})
	l.Append(perr)
	if err := l.Err(); err != nil {
		t.mu.Unlock()
		return catalog.UpdatePlan{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	st, err := c.status.Begin(catalog.UpdateImage)
	if err != nil {
		t.mu.Unlock()
		return catalog.UpdatePlan{}, wrap(op, obj, err)
	}
	c.status = st
	c.img, c.image, c.imgRef = img, img.Name, ref
	var due []*machineObj
	for _, s := range plan.Steps {
		m := c.byName[fold(s.Machine)]
		if m == nil {
			continue
		}
		m.pendingImage, m.updateAt = img.Name, s.At
		if !s.At.IsZero() && !s.At.After(now) && m.busy == "" {
			m.busy = "updating the image"
			due = append(due, m)
		}
	}
	t.mu.Unlock()

	err = t.reimage(ctx, op, c, due)

	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		c.status, _ = c.status.Finish(false)
		c.failure = "updating the image failed: " + err.Error()
		return plan, wrap(op, obj, err)
	}
	c.status, _ = c.status.Finish(true)
	c.failure = ""
	return plan, nil
}

// reimage remakes the machines on their pending image, in parallel: each
// VM is deleted and made again with the same name, zone and subnet (its
// sessions end), then powered as it was (CAT-7). The machines must be
// marked busy; reimage clears the mark.
func (t *Tenant) reimage(ctx context.Context, op string, c *catalogObj, ms []*machineObj) error {
	if len(ms) == 0 {
		return nil
	}
	t.mu.Lock()
	type job struct {
		m     *machineObj
		name  string
		zone  int
		slot  *subnetSlot
		img   image.Image
		ref   ImageRef
		power catalog.PowerState
	}
	jobs := make([]job, len(ms))
	for i, m := range ms {
		jobs[i] = job{m: m, name: m.m.Name, zone: m.m.Zone, slot: m.slot, img: c.img, ref: c.imgRef, power: m.m.Power}
	}
	tags := t.tags("catalog/" + c.name)
	tags[TagSessionLimit] = fmt.Sprint(max(1, c.persona.UsersPerMachine))
	sz := &sizer{sizes: c.sizes}
	t.mu.Unlock()
	pw, err := t.localPassword()
	if err != nil {
		return err
	}
	done := make([]*VirtualMachine, len(jobs))
	_, err = t.parallel(ctx, Progress{Op: op, Object: c.obj(), Phase: "image update"}, len(jobs), func(ctx context.Context, i int) error {
		j := jobs[i]
		id := c.vmID(j.name)
		if err := t.deleteResource(ctx, id); err != nil {
			return err
		}
		vm := &VirtualMachine{Meta: Meta{ID: id, Region: c.region, Tags: tags}, Zone: zoneName(j.zone), ComputerName: j.name,
			Image: j.ref, Generation: j.img.Generation, SecureBoot: c.secureBoot,
			Network: j.slot.s.VNet, Subnet: j.slot.s.Name, AdminUsername: localAdmin, AdminPassword: pw}
		got, err := t.putMachine(ctx, sz, vm)
		if err != nil {
			return err
		}
		if j.power.Off() {
			if err := t.call(ctx, "Power", id, func(ctx context.Context) error { return t.provider.Power(ctx, id, Deallocate) }); err != nil {
				return err
			}
			got.PowerState = PowerDeallocated
		}
		done[i] = got
		return nil
	})
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, j := range jobs {
		j.m.busy = ""
		if vm := done[i]; vm != nil {
			j.m.m.Image, j.m.pendingImage, j.m.updateAt = j.img.Name, "", time.Time{}
			j.m.m.Sessions, j.m.m.Restart = 0, catalog.NoRestart
			j.m.size, j.m.addr = vm.Size, vm.PrivateIP
			syncMachine(j.m, vm)
		}
	}
	return err
}

// DeleteCatalog deletes a catalog, which needs the acknowledgement of
// CAT-12: its machines and their snapshots are destroyed and it cannot be
// undone. It frees the catalog's quota, and when it was the last catalog of
// its resource location — once its own resources are gone, no other
// catalog, live, being created or being deleted, is left there — removes
// the location, its connectors and its LIM-3 count (RL-1). When the
// location cannot be removed, the catalog stays in state Error, without
// machines, and deleting it again retries. A catalog that is adding
// machines or being deleted answers ErrBusy.
func (t *Tenant) DeleteCatalog(ctx context.Context, name string, ack catalog.DeleteAck) error {
	const op = "DeleteCatalog"
	obj := fmt.Sprintf("catalog %q", name)
	if err := t.authorize(ctx, op, true); err != nil {
		return err
	}
	t.mu.Lock()
	c, err := t.catalog(op, name)
	if err != nil {
		t.mu.Unlock()
		return err
	}
	if err := ack.Check(c.name); err != nil {
		t.mu.Unlock()
		return &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	st, err := c.status.Begin(catalog.DeleteCatalog)
	if err != nil {
		t.mu.Unlock()
		return wrap(op, obj, err)
	}
	for _, m := range c.machines {
		if m.busy != "" {
			// Read under the lock: the operation holding the machine writes them.
			machine, busy := m.m.Name, m.busy
			t.mu.Unlock()
			return Errorf(ErrBusy, op, obj, "machine %q is %s; try again when it is done", machine, busy)
		}
	}
	l := c.location
	if len(l.catalogs) == 1 && l.busy != "" {
		location, busy := l.name, l.busy
		t.mu.Unlock()
		return Errorf(ErrBusy, op, obj, "its resource location %q is %s; try again when it is done", location, busy)
	}
	res, err := t.ledger.Reserve(removalChange(c))
	if err != nil {
		t.mu.Unlock()
		return wrap(op, obj, err)
	}
	c.status = st
	groups := []ResourceID{c.group}
	subnets := slices.Clone(c.subnets)
	t.mu.Unlock()

	err = t.destroy(ctx, groups, c.conn, subnets)

	t.mu.Lock()
	defer t.mu.Unlock()
	var td *locationTeardown
	gone := err == nil // the catalog's own resources are
	if gone {
		// Whether c is the location's last catalog is decided now that it
		// is gone from the cloud (RL-1).
		td, err = t.lastOut(op, c)
	}
	if td != nil {
		t.mu.Unlock()
		err = t.dismantle(ctx, td)
		t.mu.Lock()
		if err != nil {
			t.keepLocation(td)
		}
	}
	if err != nil {
		res.Release()
		c.status, _ = c.status.Finish(false)
		c.failure = "deleting the catalog failed: " + err.Error()
		if gone {
			// Its machines went; the location stays, and the catalog with
			// it, for a retry.
			t.emptyCatalog(c)
			c.failure = "its machines are deleted; deleting its resource location failed: " + err.Error()
		}
		return wrap(op, obj, err)
	}
	if cerr := res.Commit(); cerr != nil {
		err = wrap(op, obj, cerr)
	}
	t.forgetCatalog(c)
	if td != nil {
		if lerr := t.removeLocation(td); lerr != nil && err == nil {
			err = wrap(op, obj, lerr)
		}
	}
	return err
}

// removalChange is the ledger change of deleting catalog c: its VDAs,
// users and domain reference; its resource location, if it goes, is
// removed apart (removeLocation). t.mu must be held.
func removalChange(c *catalogObj) quota.Change {
	return locationChange(c, -1, false)
}

// Catalogs lists the tenant's catalogs by name, each with its machine
// summary (MON-1) read from the cloud: power states and session counts.
func (t *Tenant) Catalogs(ctx context.Context) ([]Catalog, error) {
	const op = "Catalogs"
	if err := t.authorize(ctx, op, false); err != nil {
		return nil, err
	}
	t.mu.Lock()
	cs := make([]*catalogObj, 0, len(t.catalogs))
	for _, c := range t.catalogs {
		cs = append(cs, c)
	}
	t.mu.Unlock()
	slices.SortFunc(cs, func(a, b *catalogObj) int { return strings.Compare(fold(a.name), fold(b.name)) })
	out := make([]Catalog, 0, len(cs))
	for _, c := range cs {
		if err := t.refresh(ctx, c); err != nil {
			return nil, &Error{Kind: KindOf(err), Op: op, Object: c.obj(), Err: err}
		}
		t.mu.Lock()
		if t.catalogs[fold(c.name)] == c {
			out = append(out, t.catalogView(c))
		}
		t.mu.Unlock()
	}
	return out, nil
}

// Catalog returns one catalog with its machine summary (MON-1).
func (t *Tenant) Catalog(ctx context.Context, name string) (Catalog, error) {
	const op = "Catalog"
	if err := t.authorize(ctx, op, false); err != nil {
		return Catalog{}, err
	}
	t.mu.Lock()
	c, err := t.catalog(op, name)
	t.mu.Unlock()
	if err != nil {
		return Catalog{}, err
	}
	if err := t.refresh(ctx, c); err != nil {
		return Catalog{}, &Error{Kind: KindOf(err), Op: op, Object: c.obj(), Err: err}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.catalogView(c), nil
}

// Machines lists the machines of a catalog in the order they were made,
// with their power states and sessions read from the cloud.
func (t *Tenant) Machines(ctx context.Context, catalogName string) ([]Machine, error) {
	const op = "Machines"
	if err := t.authorize(ctx, op, false); err != nil {
		return nil, err
	}
	t.mu.Lock()
	c, err := t.catalog(op, catalogName)
	t.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if err := t.refresh(ctx, c); err != nil {
		return nil, &Error{Kind: KindOf(err), Op: op, Object: c.obj(), Err: err}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Machine, 0, len(c.machines))
	for _, m := range c.machines {
		out = append(out, machineView(c, m))
	}
	return out, nil
}

// refresh reads the catalog's VMs from the cloud and brings the power
// state, sessions and maintenance mode of its idle machines up to date.
func (t *Tenant) refresh(ctx context.Context, c *catalogObj) error {
	t.mu.Lock()
	g := c.group
	provisioning := c.status.Op == catalog.Provision
	t.mu.Unlock()
	if provisioning {
		return nil
	}
	var vms []Resource
	f := Filter{Subscription: g.Subscription, ResourceGroup: g.Name, Type: TypeVirtualMachine}
	err := t.call(ctx, "List", g, func(ctx context.Context) error {
		var err error
		vms, err = t.provider.List(ctx, f)
		return err
	})
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range vms {
		vm, ok := r.(*VirtualMachine)
		if !ok {
			continue
		}
		if m := c.byName[fold(vm.ID.Name)]; m != nil && m.busy == "" {
			syncMachine(m, vm)
		}
	}
	return nil
}

// powerOf maps a VM power state (AZ-8) to the catalog's.
func powerOf(ps PowerState) catalog.PowerState {
	switch ps {
	case PowerStarting:
		return catalog.Starting
	case PowerRunning:
		return catalog.Running
	case PowerStopping:
		return catalog.Stopping
	case PowerStopped:
		return catalog.Stopped
	case PowerDeallocating:
		return catalog.Deallocating
	}
	return catalog.Deallocated
}

// syncMachine brings m up to date with its VM as the cloud reports it: the
// power state, the sessions (MON-1), maintenance mode (CAT-8) and the
// address. A running machine's VDA counts as registered unless a restart
// runs or failed. t.mu must be held.
func syncMachine(m *machineObj, vm *VirtualMachine) {
	m.m.Power = powerOf(vm.PowerState)
	m.m.Maintenance = vm.Tags[TagMaintenance] == "on"
	m.addr = vm.PrivateIP
	if m.m.Power == catalog.Running {
		m.m.Sessions = min(vm.Sessions, m.m.Capacity)
		m.m.Registered = m.m.Restart == catalog.NoRestart
	} else {
		m.m.Sessions, m.m.Registered = 0, false
		if m.m.Restart == catalog.Restarting {
			m.m.Restart = catalog.NoRestart
		}
	}
}

// catalogView returns the view of c. t.mu must be held.
func (t *Tenant) catalogView(c *catalogObj) Catalog {
	v := Catalog{
		Name: c.name, Subscription: c.subscription, Connection: c.connection, Region: c.region,
		Persona: c.persona, MachineType: c.mt, Domain: c.domain, ADDomain: c.adDomain, OU: c.adOU,
		ResourceLocation: c.location.name, Connectivity: c.connectivity, Image: c.image,
		NamingScheme: c.scheme.String(), Sizes: c.sizes, Schedule: c.schedule,
		State: c.status.State, Operation: c.status.Op, Failure: c.failure, Users: c.users,
		Principals: slices.Clone(c.members), Apps: c.apps.List(), Snapshots: c.schedules,
		Warnings: slices.Clone(c.warnings), Created: c.created,
	}
	ms := make([]catalog.Machine, len(c.machines))
	for i, m := range c.machines {
		ms[i] = m.m
	}
	v.Summary = catalog.Summarize(ms)
	return v
}

// machineView returns the view of m of c. t.mu must be held.
func machineView(c *catalogObj, m *machineObj) Machine {
	return Machine{
		Name: m.m.Name, Catalog: c.name, Zone: zoneName(m.m.Zone), Size: m.size, Image: m.m.Image,
		Assigned: m.m.Assigned, Address: m.addr, Power: m.m.Power, Registered: m.m.Registered,
		Sessions: m.m.Sessions, Maintenance: m.m.Maintenance, Restart: m.m.Restart, Restore: m.m.Restore,
		PendingImage: m.pendingImage, UpdateAt: m.updateAt, State: m.m.State(), Allowed: m.m.Allowed(),
	}
}

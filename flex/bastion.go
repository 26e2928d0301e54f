package flex

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// Bastion timings (TRB-2).
const (
	// BastionAutoOff is how long a bastion stays on: RunDue powers it off
	// and closes its RDP port this long after it was powered on.
	BastionAutoOff = 8 * time.Hour
	// BastionLifetime is the recommended lifetime of a bastion: an older one
	// draws a warning, but is never deleted automatically (TRB-2, a
	// decision).
	BastionLifetime = 72 * time.Hour
)

// DefaultBastionSize is the VM size of a bastion when the spec names none.
const DefaultBastionSize = "Standard_D2s_v5"

// bastionImage is the marketplace image bastions boot from.
const bastionImage = "MicrosoftWindowsServer:WindowsServer:2022-datacenter-g2:latest"

// bastionVM is the resource name of a bastion in its resource group and its
// computer name (AZ-7).
const bastionVM = "flexbastion"

// BastionSpec is what an administrator enters to create a bastion, the
// troubleshooting machine of a network connection (TRB-2). The zero value
// is not valid.
type BastionSpec struct {
	// Catalog selects the connection: the bastion serves the connection of
	// this catalog, which must be domain-joined (TRB-1).
	Catalog string
	// Username is the bastion's local Windows account, in ASCII.
	Username string
	// Password is the account's password, with Windows' complexity; it is a
	// secret that nothing prints (SEC-1).
	Password secret.Value
	// Source is the customer range allowed to RDP to the bastion; required
	// (FW-4).
	Source netip.Prefix
	// Size is the bastion's VM size; empty means DefaultBastionSize.
	Size string
}

// Validate reports every problem of the spec at once (TRB-2, FW-4). The
// password never appears in the messages.
func (s BastionSpec) Validate() error {
	var l rule.List
	if strings.TrimSpace(s.Catalog) == "" {
		l.Add("TRB-1", "no catalog; choose the domain-joined catalog whose connection the bastion serves")
	}
	checkWindowsAccount(&l, "TRB-2", s.Username, s.Password)
	if !s.Source.IsValid() {
		l.Add("TRB-2", "no RDP source range; the range allowed to RDP to the bastion is required, such as 203.0.113.0/28")
	} else if err := checkRDPSource("FW-4", "RDP source range", s.Source, nil); err != nil {
		l.Append(err)
	}
	if s.Size != "" {
		if _, ok := image.LookupSize(s.Size); !ok {
			l.Add("TRB-2", "machine size %q is not one DaaS Flex offers; choose one such as %s", s.Size, DefaultBastionSize)
		}
	}
	return l.Err()
}

// reservedAccounts are names Azure refuses for a Windows VM's administrator.
var reservedAccounts = []string{
	"1", "123", "a", "actuser", "adm", "admin", "admin1", "admin2", "administrator", "aspnet",
	"backup", "console", "david", "guest", "john", "owner", "root", "server", "sql", "support",
	"support_388945a0", "sys", "test", "test1", "test2", "test3", "user", "user1", "user2",
	"user3", "user4", "user5",
}

// checkWindowsAccount checks a local Windows account: an ASCII user name
// Azure accepts, and a password of 12–123 characters with three of the four
// character kinds that does not contain the user name (Windows complexity).
func checkWindowsAccount(l *rule.List, id, user string, pw secret.Value) {
	switch {
	case user == "":
		l.Add(id, "no user name; enter the account for RDP to the machine")
	case !printableASCII(user):
		l.Add(id, "user name %q has characters other than printable ASCII; Unicode is not allowed", user)
	case len(user) > 20:
		l.Add(id, "user name %q is %d characters; at most 20", user, len(user))
	case strings.ContainsAny(user, `\/"[]:|<>+=;,?*@& `) || strings.HasSuffix(user, "."):
		l.Add(id, `user name %q is not allowed on Windows; want no spaces or \ / " [ ] : | < > + = ; , ? * @ &, and no '.' at the end`, user)
	case slices.Contains(reservedAccounts, strings.ToLower(user)):
		l.Add(id, "user name %q is reserved by Azure; choose another name", user)
	}
	p := pw.Reveal()
	n := utf8.RuneCountInString(p)
	if n < 12 || n > 123 {
		l.Add(id, "the password is %d characters; want 12 to 123", n)
	}
	var lower, upper, digit, other bool
	for _, r := range p {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		default:
			other = true
		}
	}
	kinds := 0
	for _, k := range []bool{lower, upper, digit, other} {
		if k {
			kinds++
		}
	}
	if n > 0 && kinds < 3 {
		l.Add(id, "the password has %d of the 4 character kinds; Windows complexity wants 3 of lower case, upper case, digits and symbols", kinds)
	}
	if len(user) >= 3 && strings.Contains(strings.ToLower(p), strings.ToLower(user)) {
		l.Add(id, "the password contains the user name %q; Windows complexity forbids it", user)
	}
}

func printableASCII(s string) bool {
	for i := range len(s) {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// Bastion is a bastion as the Tenant reports it. It holds no password.
type Bastion struct {
	Subscription string
	Connection   string // the connection it serves; one bastion per connection (TRB-2)
	Catalog      string // the catalog it was created through
	Username     string
	Source       netip.Prefix // the customer range allowed to RDP to it (FW-4)
	VM           ResourceID
	Address      netip.Addr // its private address
	Size         string
	Power        PowerState
	Created      time.Time
	// PoweredOn is when it was last powered on; zero while it is off.
	PoweredOn time.Time
	// PastLifetime reports whether it is older than BastionLifetime, the
	// recommended lifetime (TRB-2).
	PastLifetime bool
	// Failure says why creating it failed and what could not be removed;
	// delete it and create it again.
	Failure string
}

// String returns `bastion of connection "hub" (running)`.
func (b Bastion) String() string {
	return fmt.Sprintf("bastion of connection %q (%s)", b.Connection, b.Power)
}

// bastionObj is the bastion of one connection.
type bastionObj struct {
	sub, azureID string
	conn         string
	c            *connection
	catalog      string
	username     string
	source       netip.Prefix
	size         string
	vm           ResourceID
	addr         netip.Addr
	subnet       connSubnet
	hasSubnet    bool
	registered   bool // whether connectionHosts reports it: only while it is on
	power        PowerState
	created      time.Time
	poweredOn    time.Time
	busy         string
	failure      string
}

func bastionObject(conn string) string { return fmt.Sprintf("bastion of connection %q", conn) }

// connectionHosts returns the image builders and the bastion on
// connection c that accept RDP from a customer range (FW-4), builders by
// address then the bastion, and the connection's RDP access range (FW-5;
// zero when disabled). T1's firewallPolicy puts them in every subnet's
// policy. Builders are matched by connection, not name: the Citrix-managed
// networks of two subscriptions' builds may share a name (SUB-2). t.mu
// must be held.
func (t *Tenant) connectionHosts(c *connection) (hosts []network.RDPHost, rdpAccess netip.Prefix) {
	for _, o := range t.images {
		if b := o.builder; b != nil && b.registered && o.c == c {
			hosts = append(hosts, network.RDPHost{Kind: network.ImageBuilder, Address: b.addr, Source: b.rdp})
		}
	}
	slices.SortFunc(hosts, func(a, b network.RDPHost) int { return a.Address.Compare(b.Address) })
	if b := t.bastions[fold(c.name)]; b != nil && b.registered {
		hosts = append(hosts, network.RDPHost{Kind: network.Bastion, Address: b.addr, Source: b.source})
	}
	if r := t.rdpAccess[fold(c.name)]; r != nil {
		rdpAccess = r.source
	}
	return hosts, rdpAccess
}

// bastionsUsingConnection names the bastion on the connection, if any, by
// the connection's name, as bastions are named (NET-8: a connection in use
// cannot be deleted; NET-15: its details count it). t.mu must be held.
func (t *Tenant) bastionsUsingConnection(connection string) []string {
	if b := t.bastions[fold(connection)]; b != nil {
		return []string{b.conn}
	}
	return nil
}

// troubleshootTarget resolves the catalog that selects a connection for a
// bastion or RDP access: it must be domain-joined (TRB-1) and its
// connection usable (NET-2). t.mu must be held.
func (t *Tenant) troubleshootTarget(op, catalog string) (sub *subscription, c *connection, connName string, err error) {
	connName, joined, err := t.catalogDomain(catalog)
	if err != nil {
		return nil, nil, "", &Error{Kind: KindOf(err), Op: op, Object: fmt.Sprintf("catalog %q", catalog), Err: err}
	}
	if !joined || connName == "" {
		return nil, nil, "", refuse(ErrPrecondition, op, fmt.Sprintf("catalog %q", catalog), "TRB-1",
			"catalog %q is not domain-joined; bastions and RDP access are only for domain-joined catalogs, contact Citrix Support", catalog)
	}
	subName := t.catalogs[fold(catalog)].subscription
	if sub, err = t.subscription(op, subName); err != nil {
		return nil, nil, "", err
	}
	if c, err = t.connectionFor(op, subName, connName); err != nil {
		return nil, nil, "", err
	}
	return sub, c, connName, nil
}

// CreateBastion creates the bastion of the connection of a domain-joined
// catalog (TRB-1), one per connection (TRB-2): a Windows machine in its own
// resource group and subnet, powered on, that the customer reaches by RDP
// from the spec's source range only, and that reaches every machine of the
// connection's VNet by RDP (FW-4); RDP between connectors and VDAs stays
// blocked. RunDue powers it off 8 hours after it was powered on and warns
// once it is older than 3 days; it is never deleted automatically. On
// failure nothing is left in the cloud.
func (t *Tenant) CreateBastion(ctx context.Context, spec BastionSpec) (Bastion, error) {
	const op = "CreateBastion"
	if err := t.authorize(ctx, op, true); err != nil {
		return Bastion{}, err
	}
	if err := spec.Validate(); err != nil {
		return Bastion{}, &Error{Kind: ErrInvalid, Op: op, Object: fmt.Sprintf("bastion for catalog %q", spec.Catalog), Err: err}
	}
	if spec.Size == "" {
		spec.Size = DefaultBastionSize
	}
	t.mu.Lock()
	s, c, connName, err := t.troubleshootTarget(op, spec.Catalog)
	if err != nil {
		t.mu.Unlock()
		return Bastion{}, err
	}
	obj := bastionObject(connName)
	if b := t.bastions[fold(connName)]; b != nil {
		t.mu.Unlock()
		return Bastion{}, refuse(ErrConflict, op, obj, "TRB-2", "connection %q already has a bastion; a connection has one", b.conn)
	}
	if err := checkRDPSource("FW-4", "RDP source range", spec.Source, t.firewallPolicy(c, true).VNet); err != nil {
		t.mu.Unlock()
		return Bastion{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	b := &bastionObj{sub: s.name, azureID: s.azureID, conn: connName, c: c, catalog: spec.Catalog,
		username: spec.Username, source: spec.Source, size: spec.Size, created: t.now(), busy: op, power: PowerDeallocated}
	t.initImaging()
	t.bastions[fold(connName)] = b
	t.mu.Unlock()

	err = t.provisionBastion(ctx, b, spec)
	t.mu.Lock()
	defer t.mu.Unlock()
	b.busy = ""
	if err != nil {
		t.mu.Unlock()
		cctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		cerr := t.removeBastion(cctx, b)
		cancel()
		t.mu.Lock()
		if cerr != nil {
			b.failure = fmt.Sprintf("creation failed: %v; cleanup failed: %v", err, cerr)
		} else {
			delete(t.bastions, fold(connName))
		}
		return Bastion{}, &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
	}
	return t.bastionView(b), nil
}

// bastionGroup returns the resource group of a bastion.
func (t *Tenant) bastionGroup(b *bastionObj) ResourceID {
	return GroupID(b.azureID, t.groupName("bastion", b.conn))
}

// provisionBastion creates the bastion's resource group, subnet, VM and
// firewall rules. t.mu must not be held.
func (t *Tenant) provisionBastion(ctx context.Context, b *bastionObj, spec BastionSpec) error {
	rgID := t.bastionGroup(b)
	owner := "bastion/" + b.conn
	tags := t.tags(owner)
	region := b.c.region
	rg := &ResourceGroup{Meta: Meta{ID: rgID, Region: region, Tags: tags}}
	if _, err := t.netPut(ctx, rg); err != nil {
		return err
	}
	t.mu.Lock()
	policy := t.firewallPolicy(b.c, true)
	t.mu.Unlock()
	sn, err := t.addSubnet(ctx, b.c, owner, 1, policy)
	if err != nil {
		return err
	}
	t.mu.Lock()
	b.subnet, b.hasSubnet = sn, true
	b.vm = ResourceID{Subscription: rgID.Subscription, ResourceGroup: rgID.Name, Type: TypeVirtualMachine, Name: bastionVM}
	t.mu.Unlock()
	vm := &VirtualMachine{
		Meta:          Meta{ID: b.vm, Region: region, Tags: tags},
		Size:          spec.Size,
		ComputerName:  bastionVM,
		Image:         ImageRef{URN: bastionImage},
		Generation:    image.Gen2,
		Network:       sn.VNet,
		Subnet:        sn.Name,
		AdminUsername: spec.Username,
		AdminPassword: spec.Password,
	}
	got, err := putAs(ctx, t, vm)
	if err != nil {
		return err
	}
	t.mu.Lock()
	b.addr, b.power, b.registered, b.poweredOn = got.PrivateIP, got.PowerState, true, t.now()
	t.mu.Unlock()
	return t.refreshFirewall(ctx, b.c)
}

// removeBastion removes a bastion's firewall rules, VM, subnet and
// resource group. t.mu must not be held.
func (t *Tenant) removeBastion(ctx context.Context, b *bastionObj) error {
	if err := t.closeBastion(ctx, b); err != nil {
		return err
	}
	if !b.vm.IsZero() {
		if err := t.call(ctx, "Delete", b.vm, func(ctx context.Context) error { return t.provider.Delete(ctx, b.vm) }); err != nil {
			return err
		}
	}
	t.mu.Lock()
	has := b.hasSubnet
	t.mu.Unlock()
	if has {
		if err := t.call(ctx, "removeSubnet", b.subnet.VNet, func(ctx context.Context) error { return t.removeSubnet(ctx, b.c, b.subnet) }); err != nil {
			return err
		}
		t.mu.Lock()
		b.hasSubnet = false
		t.mu.Unlock()
	}
	rg := t.bastionGroup(b)
	return t.call(ctx, "Delete", rg, func(ctx context.Context) error { return t.provider.Delete(ctx, rg) })
}

// closeBastion removes the bastion's FW-4 rules from the connection's
// firewall, if they are there. t.mu must not be held.
func (t *Tenant) closeBastion(ctx context.Context, b *bastionObj) error {
	t.mu.Lock()
	was := b.registered
	b.registered = false
	t.mu.Unlock()
	if !was {
		return nil
	}
	if err := t.refreshFirewall(ctx, b.c); err != nil {
		t.mu.Lock()
		b.registered = true
		t.mu.Unlock()
		return err
	}
	return nil
}

// DeleteBastionOptions confirm the deletion of a bastion.
type DeleteBastionOptions struct {
	// Acknowledge confirms that active sessions on the bastion end and
	// that the data and files saved on it are deleted; it is required.
	Acknowledge bool
}

// DeleteBastion deletes the bastion of the subscription's connection: its
// firewall rules (FW-4), VM, disk, subnet and resource group. The
// administrator must acknowledge that sessions end and data is deleted.
func (t *Tenant) DeleteBastion(ctx context.Context, subscription, connection string, opts DeleteBastionOptions) error {
	const op = "DeleteBastion"
	obj := bastionObject(connection)
	if err := t.authorize(ctx, op, true); err != nil {
		return err
	}
	if !opts.Acknowledge {
		return refuse(ErrPrecondition, op, obj, "TRB-2", "acknowledge that active sessions on the bastion end and that the data and files saved on it are deleted")
	}
	t.mu.Lock()
	b, err := t.bastion(op, subscription, connection)
	if err != nil {
		t.mu.Unlock()
		return err
	}
	b.busy = op
	t.mu.Unlock()
	err = t.removeBastion(ctx, b)
	t.mu.Lock()
	defer t.mu.Unlock()
	b.busy = ""
	if err != nil {
		return &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
	}
	delete(t.bastions, fold(b.conn))
	return nil
}

// bastion returns the idle bastion of the subscription's connection. t.mu
// must be held.
func (t *Tenant) bastion(op, subscription, connection string) (*bastionObj, error) {
	obj := bastionObject(connection)
	if _, err := t.subscription(op, subscription); err != nil {
		return nil, err
	}
	b := t.bastions[fold(connection)]
	if b == nil || !strings.EqualFold(b.sub, subscription) {
		return nil, Errorf(ErrNotFound, op, obj, "connection %q of subscription %q has no bastion", connection, subscription)
	}
	if b.busy != "" {
		return nil, Errorf(ErrBusy, op, obj, "the bastion is busy with %s", b.busy)
	}
	return b, nil
}

// BastionAction powers the bastion of the subscription's connection on
// (Start) or off (PowerOff, which deallocates it). Powering on opens its
// RDP rules again (FW-4) and restarts the 8-hour clock (TRB-2); powering
// off closes them.
func (t *Tenant) BastionAction(ctx context.Context, subscription, connection string, a PowerAction) (Bastion, error) {
	const op = "BastionAction"
	obj := bastionObject(connection)
	if err := t.authorize(ctx, op, true); err != nil {
		return Bastion{}, err
	}
	if a != Start && a != PowerOff {
		return Bastion{}, refuse(ErrInvalid, op, obj, "TRB-2", "%q is not a bastion action; want %q or %q", a, Start, PowerOff)
	}
	t.mu.Lock()
	b, err := t.bastion(op, subscription, connection)
	if err == nil && b.failure != "" {
		err = Errorf(ErrPrecondition, op, obj, "the bastion failed (%s); delete it and create it again", b.failure)
	}
	if err != nil {
		t.mu.Unlock()
		return Bastion{}, err
	}
	b.busy = op
	t.mu.Unlock()
	if a == Start {
		err = t.powerOnBastion(ctx, b)
	} else {
		err = t.powerOffBastion(ctx, b)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	b.busy = ""
	if err != nil {
		return t.bastionView(b), &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
	}
	return t.bastionView(b), nil
}

// powerOnBastion starts the bastion and opens its RDP rules. t.mu must not
// be held.
func (t *Tenant) powerOnBastion(ctx context.Context, b *bastionObj) error {
	t.mu.Lock()
	on := b.power == PowerRunning
	t.mu.Unlock()
	if !on {
		if err := t.call(ctx, string(Start), b.vm, func(ctx context.Context) error { return t.provider.Power(ctx, b.vm, Start) }); err != nil {
			return err
		}
	}
	t.mu.Lock()
	b.power, b.poweredOn = PowerRunning, t.now()
	was := b.registered
	b.registered = true
	t.mu.Unlock()
	if was {
		return nil
	}
	if err := t.refreshFirewall(ctx, b.c); err != nil {
		t.mu.Lock()
		b.registered = false
		t.mu.Unlock()
		return err
	}
	return nil
}

// powerOffBastion closes the bastion's RDP rules and deallocates it. t.mu
// must not be held.
func (t *Tenant) powerOffBastion(ctx context.Context, b *bastionObj) error {
	if err := t.closeBastion(ctx, b); err != nil {
		return err
	}
	t.mu.Lock()
	off := b.power == PowerDeallocated
	t.mu.Unlock()
	if !off {
		if err := t.call(ctx, string(Deallocate), b.vm, func(ctx context.Context) error { return t.provider.Power(ctx, b.vm, Deallocate) }); err != nil {
			return err
		}
	}
	t.mu.Lock()
	b.power, b.poweredOn = PowerDeallocated, time.Time{}
	t.mu.Unlock()
	return nil
}

// Bastions lists the tenant's bastions by subscription and connection.
func (t *Tenant) Bastions(ctx context.Context) ([]Bastion, error) {
	if err := t.authorize(ctx, "Bastions", false); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Bastion, 0, len(t.bastions))
	for _, b := range t.bastions {
		out = append(out, t.bastionView(b))
	}
	slices.SortFunc(out, func(a, b Bastion) int {
		return cmp.Or(strings.Compare(fold(a.Subscription), fold(b.Subscription)), strings.Compare(fold(a.Connection), fold(b.Connection)))
	})
	return out, nil
}

// bastionView returns the view of a bastion. t.mu must be held.
func (t *Tenant) bastionView(b *bastionObj) Bastion {
	return Bastion{
		Subscription: b.sub, Connection: b.conn, Catalog: b.catalog, Username: b.username, Source: b.source,
		VM: b.vm, Address: b.addr, Size: b.size, Power: b.power, Created: b.created, PoweredOn: b.poweredOn,
		PastLifetime: t.now().Sub(b.created) > BastionLifetime, Failure: b.failure,
	}
}

// dueBastions does the bastions' part of RunDue at now (TRB-2): it powers
// off, and closes the RDP port of, every bastion on for BastionAutoOff or
// longer, and warns about every bastion older than BastionLifetime. It
// never deletes a bastion (a decision). Bastions busy with another
// operation are left for the next run. t.mu must not be held.
func (t *Tenant) dueBastions(ctx context.Context, now time.Time) (ran []string, warnings []network.Warning, err error) {
	var due []*bastionObj
	t.mu.Lock()
	for _, b := range t.bastions {
		if age := now.Sub(b.created); age > BastionLifetime {
			warnings = append(warnings, network.Warning{ID: "TRB-2", Msg: fmt.Sprintf(
				"the bastion of connection %q is %s old, past the recommended %s; delete it and create a new one for the latest security patches",
				b.conn, age.Round(time.Hour), BastionLifetime)})
		}
		if b.busy == "" && b.failure == "" && b.power == PowerRunning && !b.poweredOn.IsZero() && now.Sub(b.poweredOn) >= BastionAutoOff {
			b.busy = "RunDue"
			due = append(due, b)
		}
	}
	t.mu.Unlock()
	slices.SortFunc(warnings, func(a, b network.Warning) int { return strings.Compare(a.Msg, b.Msg) })
	slices.SortFunc(due, func(a, b *bastionObj) int { return strings.Compare(fold(a.conn), fold(b.conn)) })
	var errs []error
	for _, b := range due {
		if err := t.powerOffBastion(ctx, b); err != nil {
			errs = append(errs, &Error{Kind: KindOf(err), Op: "RunDue", Object: bastionObject(b.conn), Err: err})
		} else {
			ran = append(ran, fmt.Sprintf("TRB-2: powered off the bastion of connection %q and closed its RDP port, %s after it was powered on", b.conn, BastionAutoOff))
		}
		t.mu.Lock()
		b.busy = ""
		t.mu.Unlock()
	}
	return ran, warnings, errors.Join(errs...)
}

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/secret"
)

// The journey's names. The passwords are the demo's own: a real program
// reads them from a vault, and the SDK keeps them in secret.Value, which
// never prints them (SEC-1).
const (
	tenantID     = "contoso"
	subscription = "Citrix Managed"
	subAzureID   = "22222222-2222-2222-2222-222222222222"
	customerSub  = "11111111-1111-1111-1111-111111111111" // the customer's own Azure subscription
	connName     = "hub-peering"
	imageName    = "Office-2026"
	baseImage    = "Windows Server 2022 (multi-session)"
	desktopImage = "Windows 11 Pro (single-session)"
	salesName    = "Sales"
	devName      = "Dev"
	location     = "West"
	adDomain     = "corp.example.com"
	timeZone     = "Europe/Berlin"

	adPassword      = "Zq8!vT3#pL0-sekrit"
	builderPassword = "Gr33n-Valley!Stone"
	bastionPassword = "Bastion!Passw0rd-1"
)

// start is when the simulated clock starts: a Monday morning.
var start = time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC)

// Addresses of the customer's network.
var (
	customerSpace = netip.MustParsePrefix("10.0.0.0/16") // the hub VNet
	adminsSubnet  = netip.MustParsePrefix("10.0.0.0/24") // where the administrators' workstations are
	adminRange    = netip.MustParsePrefix("10.0.0.0/28") // the range allowed to RDP to build machines and bastions
	dnsServer     = netip.MustParseAddr("10.0.0.4")      // the domain controller
	flexRange     = netip.MustParsePrefix("192.168.0.0/21")
	firewallRoute = network.MustParseRoute("to-firewall,10.20.0.0/16,VirtualAppliance,10.0.0.10")
)

// journey is one walk through the administrator's journey: a Tenant on an
// in-memory cloud with a manual clock.
type journey struct {
	w     io.Writer
	o     options
	ctx   context.Context
	clock *fake.Clock
	cloud *fake.Cloud
	tn    *flex.Tenant
	bar   *progress
	steps int // steps told so far

	ad      image.ADConfig
	bastion flex.Bastion
	tables  bytes.Buffer // the final tables, drawn before the clean-up
}

// newJourney returns a journey on a new in-memory cloud.
func newJourney(w io.Writer, o options) (*journey, error) {
	if o.Users < 1 {
		return nil, fmt.Errorf("-users is %d; the catalog needs at least 1 user", o.Users)
	}
	j := &journey{w: w, o: o, ctx: context.Background(), clock: fake.NewClock(start),
		bar: &progress{w: w, terminal: o.Terminal}}
	j.cloud = fake.New(fake.WithClock(j.clock))
	var seed [32]byte
	for i := range 8 {
		seed[i] = byte(o.Seed >> (8 * i))
	}
	// The tenant sees only its own resources and the customer's (SEC-2).
	j.tn = flex.NewTenant(j.cloud.Scope(tenantID),
		flex.WithID(tenantID),
		flex.WithClock(j.clock.Now),
		flex.WithRandom(rand.NewChaCha8(seed)),
		flex.WithProgress(j.bar.report))
	j.ad = image.ADConfig{Domain: adDomain, OU: "OU=VDAs,DC=corp,DC=example,DC=com",
		ServiceAccount: `CORP\svc-flex`, Password: secret.New(adPassword)}
	return j, nil
}

// walk takes every step, draws the tables before the clean-up and writes
// them last.
func (j *journey) walk() error {
	fmt.Fprintf(j.w, "DaaS Flex quickstart: tenant %q on an in-memory Azure, seed %d\n\n", tenantID, j.o.Seed)
	for _, s := range []struct {
		what string
		do   func() (string, error)
	}{
		{"add a subscription", j.addSubscription},
		{"peer the customer's VNet", j.peer},
		{"build an image", j.buildImage},
		{"create the Task worker catalog", j.createCatalog},
		{"add users and an app", j.usersAndApps},
		{"add machines", j.addMachines},
		{"update the catalog's image", j.updateImage},
		{"create the static catalog", j.staticCatalog},
		{"take and restore snapshots", j.snapshots},
		{"create a bastion", j.createBastion},
		{"draw the tables", j.drawTables},
		{"clean up", j.cleanUp},
	} {
		line, err := s.do()
		if err != nil {
			j.bar.clear()
			return fmt.Errorf("%s: %w", s.what, err)
		}
		if line != "" {
			j.say(line)
		}
	}
	_, err := j.tables.WriteTo(j.w)
	return err
}

// say tells one step in one line, with the simulated clock's time.
func (j *journey) say(line string) {
	j.bar.clear()
	j.steps++
	fmt.Fprintf(j.w, "%2d. [%s] %s\n", j.steps, j.clock.Now().UTC().Format("Mon 15:04 MST"), line)
}

func (j *journey) addSubscription() (string, error) {
	s, err := j.tn.AddSubscription(j.ctx, flex.SubscriptionSpec{Name: subscription, AzureID: subAzureID})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Added subscription %q, Azure subscription %s.", s.Name, s.AzureID), nil
}

// peer puts the customer's hub VNet in the cloud, as it is before Flex
// comes, and peers a Flex VNet with it.
func (j *journey) peer() (string, error) {
	// The customer's resources carry no Flex tags: the tenant reads them
	// but never changes them.
	rg := flex.GroupID(customerSub, "corp-network")
	if _, err := j.cloud.Put(j.ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: rg, Region: network.WestEurope}}); err != nil {
		return "", err
	}
	vnet := flex.ResourceID{Subscription: customerSub, ResourceGroup: rg.Name, Type: flex.TypeVirtualNetwork, Name: "hub-vnet"}
	if _, err := j.cloud.Put(j.ctx, &flex.VirtualNetwork{
		Meta:         flex.Meta{ID: vnet, Region: network.WestEurope},
		AddressSpace: []netip.Prefix{customerSpace},
		Subnets:      []flex.Subnet{{Name: "admins", Prefix: adminsSubnet}},
	}); err != nil {
		return "", err
	}
	c, err := j.tn.CreateConnection(j.ctx, subscription, network.PeeringSpec{
		Name:       connName,
		Region:     network.WestEurope,
		RemoteVNet: network.ResourceID{Subscription: vnet.Subscription, ResourceGroup: vnet.ResourceGroup, Type: "virtualNetworks", Name: vnet.Name},
		Range:      flexRange,
		DNS:        []netip.Addr{dnsServer},
		Routes:     []network.Route{firewallRoute},
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Peered the customer's VNet %s (%s) as connection %q: Flex range %s, %s addresses for machines, route %s %s via %s; %s.",
		vnet.Name, customerSpace, c.Name, prefixes(c.Ranges), thousands(c.UsableAddresses),
		firewallRoute.Name, firewallRoute.Destination, firewallRoute.NextHopIP, c.Status.State.DisplayName()), nil
}

// buildImage builds an image on the connection, where apps would be
// installed over RDP, and finishes it.
func (j *journey) buildImage() (string, error) {
	base, ok := image.LookupPrepared(baseImage)
	if !ok {
		return "", fmt.Errorf("no prepared image %q", baseImage)
	}
	d, err := j.tn.BuildImage(j.ctx, image.BuildSpec{
		Name: imageName, Base: base, Subscription: subscription, Connection: connName,
		Domain: image.ActiveDirectory, AD: j.ad,
		Username: "imgadmin", Password: secret.New(builderPassword), Size: "Standard_D4s_v5",
		AllowedIPs: []netip.Prefix{adminRange},
		Notes:      "Office and the line-of-business apps",
	})
	if err != nil {
		return "", err
	}
	builder := d.Builder.Address
	if d, err = j.tn.FinishImageBuild(j.ctx, subscription, imageName); err != nil {
		return "", err
	}
	return fmt.Sprintf("Built image %q from %s on a build machine at %s (RDP from %s only), and captured it: %s.",
		d.Name, baseImage, builder, adminRange, d.State), nil
}

// createCatalog creates the domain-joined Task worker catalog, named by the
// default naming scheme (NAM-9), which -seed decides.
func (j *journey) createCatalog() (string, error) {
	persona, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	users := make([]string, j.o.Users)
	for i := range users {
		users[i] = fmt.Sprintf("user%04d@%s", i+1, adDomain)
	}
	c, err := j.tn.CreateCatalog(j.ctx, flex.CatalogSpec{Spec: catalog.Spec{
		Name: salesName, Persona: persona, MachineType: quota.MultiSessionMachine, Users: users,
		Subscription: subscription, Connection: connName,
		Domain: image.ActiveDirectory, AD: j.ad,
		ResourceLocation: location, Connectivity: catalog.GatewayService,
		Schedule: catalog.WorkSchedule{TimeZone: timeZone},
	}, Image: baseImage})
	if err != nil {
		return "", err
	}
	ms, err := j.tn.Machines(j.ctx, salesName)
	if err != nil || len(ms) == 0 {
		return "", errors.Join(err, errors.New("the catalog has no machines"))
	}
	locs, err := j.tn.ResourceLocations(j.ctx)
	if err != nil || len(locs) == 0 {
		return "", errors.Join(err, errors.New("no resource location"))
	}
	var zones []string // CAT-15
	for _, m := range ms {
		if !slices.Contains(zones, m.Zone) {
			zones = append(zones, m.Zone)
		}
	}
	slices.Sort(zones)
	return fmt.Sprintf("Created domain-joined catalog %q for %s users of persona %s, %d to a machine: %d machines %s … %s in zones %s, in resource location %q with %d Cloud Connectors.",
		c.Name, thousands(c.Users), c.Persona.Name, c.Persona.UsersPerMachine, c.Summary.Total,
		ms[0].Name, ms[len(ms)-1].Name, strings.Join(zones, ", "), c.ResourceLocation, len(locs[0].Connectors)), nil
}

func (j *journey) usersAndApps() (string, error) {
	group := catalog.Principal{Directory: adDomain, Kind: catalog.Group, ID: `CORP\Sales-EMEA`}
	if _, err := j.tn.AddUsers(j.ctx, salesName, group); err != nil {
		return "", err
	}
	c, err := j.tn.AddApp(j.ctx, salesName, catalog.App{Name: "Contoso CRM", Source: catalog.ByPath,
		Path: `C:\Program Files\Contoso\CRM\crm.exe`, Args: []string{"/profile", "EMEA"}, FileTypes: true})
	if err != nil {
		return "", err
	}
	app := c.Apps[0]
	return fmt.Sprintf("Gave the group %s access to %q and published the app %q, whose command line is %s", group.ID, salesName, app.Name, app.CommandLine()), nil
}

func (j *journey) addMachines() (string, error) {
	more := max(1, j.o.Users/5)
	c, err := j.tn.AddMachines(j.ctx, salesName, catalog.AddMachinesRequest{Users: more,
		ServiceAccount: j.ad.ServiceAccount, Password: j.ad.Password}) // CAT-6: the credentials again
	if err != nil {
		return "", err
	}
	subs, err := j.tn.Subscriptions(j.ctx)
	if err != nil || len(subs) == 0 {
		return "", errors.Join(err, errors.New("no subscription"))
	}
	return fmt.Sprintf("Added machines for %s more users: %q has %d machines; %q runs %s of %s VDAs.",
		thousands(more), c.Name, c.Summary.Total, subs[0].Name, thousands(subs[0].VDAs), thousands(j.tn.Limits().VDAsPerSubscription)), nil
}

// updateImage moves the catalog to the built image, immediately, spread
// over an hour; RunDue restarts the machines as their turn comes.
func (j *journey) updateImage() (string, error) {
	const spread = time.Hour
	plan, err := j.tn.UpdateCatalogImage(j.ctx, salesName, flex.CatalogImageUpdate{
		Image: imageName, Timing: catalog.Immediately, Distribution: spread,
		Message: "Your desktop restarts in 5 minutes for an update."})
	if err != nil {
		return "", err
	}
	now := 0
	for _, s := range plan.Steps {
		if !s.At.After(j.clock.Now()) {
			now++
		}
	}
	j.clock.Advance(spread)
	if _, err := j.tn.RunDue(j.ctx); err != nil {
		return "", err
	}
	ms, err := j.tn.Machines(j.ctx, salesName)
	if err != nil {
		return "", err
	}
	on := 0
	for _, m := range ms {
		if m.Image == imageName {
			on++
		}
	}
	return fmt.Sprintf("Moved %q to image %q over the next %d minutes: %d machine(s) at once, the others by RunDue as their turn came; %d of %d run it now.",
		salesName, imageName, int(spread.Minutes()), now, on, len(ms)), nil
}

var daily = catalog.Schedules{Daily: catalog.Schedule{Kind: catalog.Daily, At: catalog.MustParseTimeOfDay("02:00")}}

// staticCatalog creates a small static catalog: snapshots are only for
// static catalogs (CAT-13).
func (j *journey) staticCatalog() (string, error) {
	if _, err := j.tn.ScheduleSnapshots(j.ctx, salesName, daily); err == nil {
		return "", errors.New("a multi-session catalog accepted a snapshot schedule")
	}
	persona, _ := quota.PersonaByName(quota.KnowledgeWorker)
	c, err := j.tn.CreateCatalog(j.ctx, flex.CatalogSpec{Spec: catalog.Spec{
		Name: devName, Persona: persona, MachineType: quota.Static,
		Users:        []string{"ann@" + adDomain, "bob@" + adDomain, "cid@" + adDomain},
		Subscription: subscription, Connection: connName,
		Domain: image.ActiveDirectory, AD: j.ad,
		NamingScheme: "DEV-##", ResourceLocation: location, Connectivity: catalog.GatewayService,
		Licenses: []image.License{image.Microsoft365E3},
		Schedule: catalog.WorkSchedule{TimeZone: timeZone},
	}, Image: desktopImage})
	if err != nil {
		return "", err
	}
	if _, err := j.tn.ScheduleSnapshots(j.ctx, devName, daily); err != nil {
		return "", err
	}
	return fmt.Sprintf("Created static catalog %q (%s) for %d users in %q too, with daily snapshots at %s %s; %q, multi-session, takes none (CAT-13).",
		c.Name, c.Persona.Name, c.Users, c.ResourceLocation, daily.Daily.At, timeZone, salesName), nil
}

// snapshots moves the clock to the schedule, lets RunDue take the daily
// snapshots, takes a manual one and restores it.
func (j *journey) snapshots() (string, error) {
	loc, err := time.LoadLocation(timeZone)
	if err != nil {
		return "", err
	}
	next := daily.Daily.Next(j.clock.Now(), loc)
	j.clock.Set(next)
	r, err := j.tn.RunDue(j.ctx)
	if err != nil {
		return "", err
	}
	taken := 0
	for _, s := range r.Ran {
		if strings.HasPrefix(s, "snapshot ") {
			taken++
		}
	}
	machine := "DEV-01"
	if _, err := j.tn.TakeSnapshot(j.ctx, devName, machine, "before_patch"); err != nil {
		return "", err
	}
	m, err := j.tn.RestoreSnapshot(j.ctx, devName, machine, "before_patch")
	if err != nil {
		return "", err
	}
	restored := m.Restore
	if m, err = j.tn.MachineAction(j.ctx, devName, machine, catalog.Start); err != nil {
		return "", err
	}
	ss, err := j.tn.Snapshots(j.ctx, devName, "")
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("RunDue took %d daily snapshots at 02:00 in %s; took snapshot before_patch of %s, restored it (%s) and started it again (%s); %d snapshots in all.",
		taken, timeZone, machine, restored, m.Power, len(ss)), nil
}

// createBastion creates the troubleshooting machine of the connection and
// asks the cloud which RDP flows its NSGs allow (FW-4).
func (j *journey) createBastion() (string, error) {
	b, err := j.tn.CreateBastion(j.ctx, flex.BastionSpec{Catalog: salesName, Username: "helpdesk",
		Password: secret.New(bastionPassword), Source: adminRange})
	if err != nil {
		return "", err
	}
	j.bastion = b
	ms, err := j.tn.Machines(j.ctx, salesName)
	if err != nil || len(ms) < 2 {
		return "", errors.Join(err, errors.New("fewer than 2 machines"))
	}
	toVDA, err := j.cloud.Allowed(b.Address, ms[0].Address, network.TCP, 3389)
	if err != nil {
		return "", err
	}
	between, err := j.cloud.Allowed(ms[1].Address, ms[0].Address, network.TCP, 3389)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Created a bastion for connection %q, reached by RDP from %s only; RDP bastion → %s: %s; %s → %s: %s.",
		b.Connection, b.Source, ms[0].Name, toVDA, ms[1].Name, ms[0].Name, between), nil
}

// cleanUp deletes everything the journey made. The subscription stays:
// the last one cannot be removed (SUB-4).
func (j *journey) cleanUp() (string, error) {
	if err := j.tn.DeleteBastion(j.ctx, j.bastion.Subscription, j.bastion.Connection, flex.DeleteBastionOptions{Acknowledge: true}); err != nil {
		return "", err
	}
	for _, name := range []string{salesName, devName} {
		ack := catalog.DeleteAck{Catalog: name, MachinesDestroyed: true, Irreversible: true} // CAT-12
		if err := j.tn.DeleteCatalog(j.ctx, name, ack); err != nil {
			return "", err
		}
	}
	if err := j.tn.DeleteImage(j.ctx, subscription, imageName); err != nil {
		return "", err
	}
	if err := j.tn.DeleteConnection(j.ctx, connName); err != nil {
		return "", err
	}
	left := j.cloud.Resources(flex.Filter{Tags: map[string]string{flex.TagTenant: tenantID}})
	var names []string
	for _, r := range left {
		names = append(names, r.Metadata().ID.Name)
	}
	return fmt.Sprintf("Deleted the bastion, catalogs %q and %q with their machines, snapshots and resource location, image %q and connection %q; the tenant has %d resource(s) left in the cloud: %s, which the last subscription keeps (SUB-4).",
		salesName, devName, imageName, connName, len(left), strings.Join(names, ", ")), nil
}

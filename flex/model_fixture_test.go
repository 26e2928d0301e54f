package flex_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"strings"
	"sync"
	"time"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/naming"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/secret"
)

// The fixture of the model test (model_test.go): one tenant on the fake
// cloud, the customer's networks it may peer with, the small pools every
// operation draws its inputs from, and the secrets that must never show.

const (
	mdlTenantID  = "mdl"
	mdlCustAzure = "c0570000-0000-4000-8000-00000000c057" // the customer's own Azure subscription
	mdlCustGroup = "customer-rg"

	// mdlADPassword is the Active Directory service account's password of
	// every domain-joined catalog and machine addition; mdlPSK the
	// pre-shared key of every VPN connection. Neither may appear in an
	// error, a view or a log line (SEC-1). They hold no character JSON or
	// Go quoting escapes, so a plain search finds every form.
	mdlADPassword = "J0in!Domain#Secret9Qv"
	mdlPSK        = "Tunnel7Psk.Secret#x9Zr"
)

// mdlSecrets are the secrets the invariants look for.
var mdlSecrets = []string{mdlADPassword, mdlPSK}

// mdlStart is when the manual clock starts: a Monday.
var mdlStart = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)

// mdlLimits are small limits, so that a short sequence reaches them: LIM-2
// at 3 catalogs, LIM-3 at 2 resource locations, LIM-4 at 60 VDAs per
// subscription (near at 54, LIM-5), LIM-1 and LIM-6 as configured by
// default (a location serves 1 domain).
func mdlLimits() quota.Limits {
	l := quota.DefaultLimits()
	l.CatalogsPerTenant = 3
	l.ResourceLocationsPerTenant = 2
	l.VDAsPerSubscription = 60
	return l
}

// mdlSubs are the subscriptions the tenant may have; the first is added at
// setup.
var mdlSubs = []flex.SubscriptionSpec{
	{Name: "Sub1", AzureID: "5b000001-0000-4000-8000-000000000001"},
	{Name: "Sub2", AzureID: "5b000002-0000-4000-8000-000000000002"},
}

// mdlAzureID returns the Azure ID of a subscription of mdlSubs by name.
func mdlAzureID(name string) string {
	for _, s := range mdlSubs {
		if strings.EqualFold(s.Name, name) {
			return s.AzureID
		}
	}
	return ""
}

// mdlCustVNet is a customer VNet a peering connection may peer with.
type mdlCustVNet struct {
	name   string
	region network.Region
	space  netip.Prefix
	dns    netip.Addr
}

// mdlCustVNets are the customer's VNets, put in the cloud at setup,
// untagged as the customer's resources are.
var mdlCustVNets = []mdlCustVNet{
	{"cust-west", network.WestEurope, netip.MustParsePrefix("10.0.0.0/16"), netip.MustParseAddr("10.0.0.4")},
	{"cust-east", network.EastUS, netip.MustParsePrefix("10.8.0.0/16"), netip.MustParseAddr("10.8.0.4")},
}

func (v mdlCustVNet) id() network.ResourceID {
	return network.ResourceID{Subscription: mdlCustAzure, ResourceGroup: mdlCustGroup, Type: "virtualNetworks", Name: v.name}
}

// Pools of inputs. They are small so that names repeat and ranges overlap.
var (
	mdlConnNames    = []string{"net-a", "net-b", "net-c"}
	mdlCatalogNames = []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo"}
	mdlRegions      = []network.Region{network.WestEurope, network.EastUS, network.WestUS}
	// mdlRanges are Flex ranges (and VPN VDA subnets): they overlap each
	// other, the first Citrix-managed block (172.16.0.0/20), the customer's
	// VNets; the zero prefix lets Citrix choose (No connectivity only).
	mdlRanges = []netip.Prefix{
		{},
		netip.MustParsePrefix("192.168.0.0/24"),
		netip.MustParsePrefix("192.168.0.0/23"),
		netip.MustParsePrefix("192.168.1.0/24"),
		netip.MustParsePrefix("172.16.0.0/24"),
		netip.MustParsePrefix("10.0.8.0/24"),
		netip.MustParsePrefix("10.9.0.0/24"),
	}
	mdlGatewaySubnets = []netip.Prefix{
		netip.MustParsePrefix("10.9.1.0/27"),
		netip.MustParsePrefix("192.168.1.0/27"),
		netip.MustParsePrefix("10.9.0.224/27"),
	}
	mdlAllowedNets = [][]netip.Prefix{
		{netip.MustParsePrefix("10.50.0.0/16")},
		{netip.MustParsePrefix("10.60.0.0/16"), netip.MustParsePrefix("10.61.0.0/24")},
		{netip.MustParsePrefix("192.168.0.0/16")},
	}
	mdlDomains   = []string{"corp.example.com", "emea.example.com"}
	mdlLocations = []string{"RL-Corp", "RL-Emea"}
	// mdlGuests are the users and groups AddUsers and RemoveUsers draw
	// from; none is a catalog's initial user.
	mdlGuests = []catalog.Principal{
		{Directory: "partner.example.com", Kind: catalog.User, ID: "guest1@partner.example.com"},
		{Directory: "partner.example.com", Kind: catalog.User, ID: "Guest2@partner.example.com"},
		{Directory: "partner.example.com", Kind: catalog.Group, ID: `PARTNER\Contractors`},
		{Directory: "corp.example.com", Kind: catalog.Group, ID: "VDI Users"},
	}
	mdlSnapNames = []string{"before_update", "weekly_1", "weekly_2"}
	// mdlSizes is the VM size and the backup size of catalogs that name
	// them (CAT-14).
	mdlPrimarySize, mdlBackupSize = "Standard_D4s_v5", "Standard_D2s_v5"
)

// mdlScheme is a naming scheme a catalog may be created with.
type mdlScheme struct {
	text string // "" for the default scheme (NAM-9)
	kind naming.WildcardKind
}

// mdlSchemes returns the naming schemes catalog name may use: the
// default, one of its own in digits and one in letters, one that runs out
// after 9 machines (15 characters with one wildcard leave no room to grow,
// NAM-8), and those every catalog may share (mdlSharedSchemes).
func mdlSchemes(name string) []mdlScheme {
	p := name[:3]
	return append([]mdlScheme{
		{"", naming.Digits},
		{p + "-###", naming.Digits},
		{p + "Pool-#", naming.Letters},
		{p + "NoRoomLeft-#", naming.Digits},
	}, mdlSharedSchemes...)
}

// mdlSharedSchemes are the naming schemes of mdlSchemes that every catalog
// may draw, so that live catalogs share a scheme or have schemes whose
// names overlap, and machine names must be found around the names other
// catalogs hold. "Desk-##" grows and never runs out; the other three name
// at most 99, 99 and 9 machines and overlap: "SharedDeskAB-#" grows to
// SharedDeskAB-10 … -99, which "SharedDeskAB-##" names too, and
// "SharedDeskAB-1#" names SharedDeskAB-11 … -19, which both others name.
var mdlSharedSchemes = []mdlScheme{
	{"Desk-##", naming.Digits},
	{"SharedDeskAB-#", naming.Digits},
	{"SharedDeskAB-##", naming.Digits},
	{"SharedDeskAB-1#", naming.Digits},
}

// mdlPersonas are the persona and machine type pairs catalogs are drawn
// with (CAT-1).
var mdlPersonas = []struct {
	persona string
	mt      quota.MachineType
}{
	{quota.KnowledgeWorker, quota.Static},
	{quota.KnowledgeWorker, quota.Random},
	{quota.PowerWorker, quota.Static},
	{quota.TaskWorkerMedium, quota.MultiSessionMachine},
	{quota.TaskWorkerHeavy, quota.MultiSessionMachine},
}

// mdlCatalogSpec builds a catalog spec from drawn choices. The result is
// valid on its own (catalog.Spec.Validate) for No connectivity and for a
// connection with connectivity; against the tenant's state it may well be
// refused.
func mdlCatalogSpec(name, sub string, pi, users int, conn string, region network.Region, domain, location string, scheme mdlScheme, sized bool) flex.CatalogSpec {
	pm := mdlPersonas[pi]
	p, _ := quota.PersonaByName(pm.persona)
	s := flex.CatalogSpec{Spec: catalog.Spec{
		Name: name, Persona: p, MachineType: pm.mt, Users: mdlUsers(name, users),
		Subscription: sub, Connection: conn, Region: region, Domain: image.NonDomainJoined,
		NamingScheme: scheme.text, WildcardKind: scheme.kind, Connectivity: catalog.GatewayService,
		Schedule: catalog.WorkSchedule{TimeZone: "UTC"},
	}}
	if pm.mt.Session() == quota.SingleSession {
		s.Image = "Windows 11 Pro (single-session)"
		s.Licenses = []image.License{image.Microsoft365E3}
	} else {
		s.Image = "Windows Server 2022 (multi-session)"
	}
	if domain != "" {
		s.Domain = image.ActiveDirectory
		s.AD = image.ADConfig{Domain: domain, ServiceAccount: `CORP\svc-join`, Password: secret.New(mdlADPassword)}
		s.ResourceLocation = location
	}
	if sized {
		s.VMSize, s.BackupVMSize = mdlPrimarySize, mdlBackupSize
	}
	return s
}

// mdlUsers returns n users of catalog name: alpha1@corp.example.com …
func mdlUsers(name string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d@corp.example.com", strings.ToLower(name), i+1)
	}
	return out
}

// mdlAck acknowledges the deletion of catalog name (CAT-12).
func mdlAck(name string) catalog.DeleteAck {
	return catalog.DeleteAck{Catalog: name, MachinesDestroyed: true, Irreversible: true}
}

// mdlLog is where the Tenant's slog JSON handler writes, safe to read
// while the Tenant logs.
type mdlLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *mdlLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// take returns what was logged since the last take, and forgets it.
func (l *mdlLog) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.buf.String()
	l.buf.Reset()
	return s
}

// mdlRandom is a seeded random source for the Tenant (NAM-9's random
// part), safe for concurrent use.
type mdlRandom struct {
	mu  sync.Mutex
	rnd *rand.ChaCha8
}

func (r *mdlRandom) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rnd.Read(p)
}

// mdlEnv is the world of one rapid check: the cloud, the Tenant on it, and
// what the Tenant logs.
type mdlEnv struct {
	ctx   context.Context
	cloud *fake.Cloud
	clock *fake.Clock
	view  *fake.View
	sw    *flextest.Switch // the tenant's view, with the current step's faults in front
	rec   *fake.Recorder   // every call the Tenant makes, faulted or not
	tn    *flex.Tenant
	log   *mdlLog
}

// mdlNewEnv builds the world: a cloud with the customer's VNets, and a
// Tenant with the small limits, a JSON logger at debug level, a manual
// clock that retries wait on, the number of workers given and
// subscription Sub1, whose calls a Recorder records.
func mdlNewEnv(t *rapid.T, workers int) *mdlEnv {
	e := &mdlEnv{ctx: context.Background(), clock: fake.NewClock(mdlStart), log: &mdlLog{}}
	e.cloud = fake.New(fake.WithClock(e.clock))
	if _, err := e.cloud.Put(e.ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(mdlCustAzure, mdlCustGroup), Region: network.WestEurope}}); err != nil {
		t.Fatalf("customer resource group: %v", err)
	}
	for _, v := range mdlCustVNets {
		vn := &flex.VirtualNetwork{
			Meta:         flex.Meta{ID: flex.ResourceID{Subscription: mdlCustAzure, ResourceGroup: mdlCustGroup, Type: flex.TypeVirtualNetwork, Name: v.name}, Region: v.region},
			AddressSpace: []netip.Prefix{v.space},
			Subnets:      []flex.Subnet{{Name: "default", Prefix: netip.PrefixFrom(v.space.Addr(), 24)}},
		}
		if _, err := e.cloud.Put(e.ctx, vn); err != nil {
			t.Fatalf("customer VNet %s: %v", v.name, err)
		}
	}
	e.view = e.cloud.Scope(mdlTenantID)
	e.sw = flextest.NewSwitch(e.view)
	e.rec = fake.Record(e.sw)
	logger := slog.New(slog.NewJSONHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.tn = flex.NewTenant(e.rec,
		flex.WithID(mdlTenantID), flex.WithClock(e.clock.Now), flex.WithLimits(mdlLimits()),
		flex.WithRandom(&mdlRandom{rnd: rand.NewChaCha8([32]byte{'m', 'd', 'l'})}),
		flex.WithLogger(logger), flex.WithWorkers(workers),
		// Retries wait on the manual clock, not on a timer.
		flex.WithRetryWait(func(ctx context.Context, d time.Duration) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			e.clock.Advance(d)
			return nil
		}))
	if _, err := e.tn.AddSubscription(e.ctx, mdlSubs[0]); err != nil {
		t.Fatalf("AddSubscription(%s): %v", mdlSubs[0].Name, err)
	}
	return e
}

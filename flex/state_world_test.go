package flex_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/secret"
)

// A world is a Tenant on the fake cloud with the customer's networks that
// connections need (VNets to peer with, a Virtual WAN hub), which random
// operations grow into a Tenant of every kind of object.
const (
	stTenant   = "st"
	stSub      = "Prod"
	stAzure    = "44444444-4444-4444-4444-444444444444"
	stCustomer = "55555555-5555-5555-5555-555555555555"
	stCustRG   = "customer"
	stRegion   = network.WestEurope
	stPassword = "Zq8!vT3#pL0-sekrit"   // AD service accounts'
	stBastion  = "Bast10n!Passw0rd#x"   // bastions'
	stBuilder  = "Bu1lder!Passw0rd#y"   // image build machines'
	stPSK      = "Pr3Shared!K3y.0f.VPN" // VPN connections'
	stClient   = "cl1ent-s3cret-0f-vWAN"
)

// debugWorld prints why operations of grow fail.
var debugWorld = false

var stStart = time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC)

type world struct {
	ctx   context.Context
	cloud *fake.Cloud
	clock *fake.Clock
	prov  flex.Provider
	flaky *flaky
	// faulted reports whether grow injected a fault, which may leave
	// resources behind or missing.
	faulted bool
	tn      *flex.Tenant
	opts    []flex.Option
	hub     network.ResourceID
	next    int // the next connection's number: its ranges and customer VNet
}

// newWorld returns a world of tenant "st" with subscription Prod, and the
// Tenant's options (clock, randomness and the state key, if any).
func newWorld(t testing.TB, key []byte) *world {
	t.Helper()
	w := &world{ctx: context.Background(), clock: fake.NewClock(stStart)}
	w.cloud = fake.New(fake.WithClock(w.clock))
	w.flaky = &flaky{Provider: w.cloud.Scope(stTenant), put: map[flex.ResourceType]int{}, del: map[flex.ResourceType]int{}}
	w.prov = w.flaky
	w.opts = []flex.Option{flex.WithID(stTenant), flex.WithClock(w.clock.Now), flex.WithWorkers(2),
		flex.WithRandom(&lockedReader{r: rand.NewChaCha8([32]byte{9})})}
	if key != nil {
		w.opts = append(w.opts, flex.WithStateKey(key))
	}
	w.tn = flex.NewTenant(w.prov, w.opts...)
	if _, err := w.tn.AddSubscription(w.ctx, flex.SubscriptionSpec{Name: stSub, AzureID: stAzure}); err != nil {
		t.Fatal(err)
	}
	rg := flex.GroupID(stCustomer, stCustRG)
	if _, err := w.cloud.Put(w.ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: rg, Region: stRegion}}); err != nil {
		t.Fatal(err)
	}
	hub := &flex.VirtualHub{Meta: flex.Meta{ID: flex.ResourceID{Subscription: stCustomer, ResourceGroup: stCustRG, Type: flex.TypeVirtualHub, Name: "hub1"}, Region: stRegion},
		SKU: "Standard", AddressSpace: netip.MustParsePrefix("10.200.0.0/24")}
	if _, err := w.cloud.Put(w.ctx, hub); err != nil {
		t.Fatal(err)
	}
	w.hub = network.ResourceID{Subscription: stCustomer, ResourceGroup: stCustRG, Type: "virtualHubs", Name: "hub1"}
	return w
}

// peeringSpec returns a VNet peering spec named name with a new customer
// VNet 192.168.n.0/24 and the Flex range 10.n.0.0/22.
func (w *world) peeringSpec(t testing.TB, name string) network.PeeringSpec {
	t.Helper()
	w.next++
	n := w.next
	vnet := fmt.Sprintf("corp-%d", n)
	v := &flex.VirtualNetwork{Meta: flex.Meta{ID: flex.ResourceID{Subscription: stCustomer, ResourceGroup: stCustRG, Type: flex.TypeVirtualNetwork, Name: vnet}, Region: stRegion},
		AddressSpace: []netip.Prefix{netip.MustParsePrefix(fmt.Sprintf("192.168.%d.0/24", n))},
		Subnets:      []flex.Subnet{{Name: "default", Prefix: netip.MustParsePrefix(fmt.Sprintf("192.168.%d.0/24", n))}}}
	if _, err := w.cloud.Put(w.ctx, v); err != nil {
		t.Fatal(err)
	}
	return network.PeeringSpec{Name: name, Region: stRegion,
		RemoteVNet: network.ResourceID{Subscription: stCustomer, ResourceGroup: stCustRG, Type: "virtualNetworks", Name: vnet},
		Range:      netip.MustParsePrefix(fmt.Sprintf("10.%d.0.0/22", 4*n)),
		DNS:        []netip.Addr{netip.MustParseAddr(fmt.Sprintf("192.168.%d.4", n))}}
}

func (w *world) vpnSpec(name string) network.VPNSpec {
	w.next++
	n := 4 * w.next
	return network.VPNSpec{Name: name, Region: stRegion, DeviceIP: netip.MustParseAddr("52.1.2.3"),
		AllowedNetworks: []netip.Prefix{netip.MustParsePrefix(fmt.Sprintf("192.168.%d.0/24", 100+w.next))},
		PSK:             secret.New(stPSK), SKU: network.SKUVpnGw1,
		VDASubnet:     netip.MustParsePrefix(fmt.Sprintf("10.%d.0.0/24", n)),
		GatewaySubnet: netip.MustParsePrefix(fmt.Sprintf("10.%d.1.0/27", n)),
		DNS:           []netip.Addr{netip.MustParseAddr(fmt.Sprintf("192.168.%d.4", 100+w.next))}}
}

func (w *world) vwanSpec(name string) network.VWANSpec {
	w.next++
	return network.VWANSpec{Name: name, Hub: network.VWANHub{ID: w.hub},
		Auth: network.VWANAuth{Method: network.AuthServicePrincipal, TenantID: "8f2c1a3e-1b2c-4d5e-8f90-123456789abc",
			ClientID: "9f2c1a3e-1b2c-4d5e-8f90-123456789abc", ClientSecret: secret.New(stClient)},
		Ranges:   []netip.Prefix{netip.MustParsePrefix(fmt.Sprintf("10.%d.0.0/24", 4*w.next))},
		DNS:      []netip.Addr{network.AzureHostIP()},
		Routes:   []network.Route{network.MustParseRoute("internet,0.0.0.0/0,Internet")},
		Advanced: network.VWANAdvanced{RoutePropagation: true}}
}

// catalogSpec returns a catalog spec of persona kind "multi", "static" or
// "random" for users users, on connection conn ("" for No connectivity),
// Active Directory joined when ad is set.
func catalogSpec(name, kind string, users int, conn string, ad bool, scheme string) flex.CatalogSpec {
	var s flex.CatalogSpec
	switch kind {
	case "multi":
		s = catMulti(name, users)
	default:
		s = catStatic(name, users)
		if kind == "random" {
			s.MachineType = quota.Random
		}
	}
	s.Subscription, s.NamingScheme = stSub, scheme
	if conn != "" {
		s.Region, s.Connection = "", conn
	}
	if ad {
		s.Domain = image.ActiveDirectory
		s.AD = image.ADConfig{Domain: "corp.example.com", ServiceAccount: `CORP\svc-flex`, Password: secret.New(stPassword)}
		s.ResourceLocation = "Site-" + conn
	}
	return s
}

// draw helpers over the Tenant's current objects.

func catalogsOf(tn *flex.Tenant) []flex.Catalog {
	cs, _ := tn.Catalogs(context.Background())
	return cs
}

func connectionsOf(tn *flex.Tenant) []flex.Connection {
	cs, _ := tn.Connections(context.Background())
	return slices.DeleteFunc(cs, func(c flex.Connection) bool { return c.Managed })
}

// pick draws one of xs by name, or reports false when there are none.
func pick[T any](rt *rapid.T, label string, xs []T) (T, bool) {
	var zero T
	if len(xs) == 0 {
		return zero, false
	}
	i := rapid.IntRange(0, len(xs)-1).Draw(rt, label)
	return xs[i], true
}

// grow applies n random operations to the world's Tenant. Operations may
// fail (a rule refuses, a name is taken); what matters is the state they
// leave.
func (w *world) grow(t testing.TB, rt *rapid.T, n int) {
	ctx := w.ctx
	tn := w.tn
	names := []string{"Alpha", "Bravo", "Charlie", "Delta"}
	ops := map[string]func(){
		"connection": func() {
			name := rapid.SampledFrom([]string{"hub", "branch", "spoke", "edge"}).Draw(rt, "connection")
			var spec network.Spec
			switch rapid.SampledFrom([]string{"peering", "vpn", "vwan", "none"}).Draw(rt, "kind") {
			case "peering":
				spec = w.peeringSpec(t, name)
			case "vpn":
				spec = w.vpnSpec(name)
			case "vwan":
				spec = w.vwanSpec(name)
			default:
				spec = network.NoConnectivitySpec{Name: name, Region: stRegion}
			}
			_, _ = tn.CreateConnection(ctx, stSub, spec)
		},
		"catalog": func() {
			name := rapid.SampledFrom(names).Draw(rt, "catalog")
			kind := rapid.SampledFrom([]string{"multi", "static", "random"}).Draw(rt, "persona")
			users := rapid.IntRange(1, 4).Draw(rt, "users")
			conn := ""
			if c, ok := pick(rt, "on", connectionsOf(tn)); ok && rapid.Bool().Draw(rt, "connected") && c.Kind != network.KindNone {
				conn = c.Name
			}
			ad := conn != "" && rapid.Bool().Draw(rt, "ad")
			scheme := rapid.SampledFrom([]string{"", name[:3] + "-##"}).Draw(rt, "scheme")
			s := catalogSpec(name, kind, users, conn, ad, scheme)
			if kind == "multi" && rapid.Bool().Draw(rt, "custom image") {
				if d, ok := pick(rt, "image", readyImages(tn, image.MultiSession, ad)); ok {
					s.Image = d.Name
				}
			}
			if _, err := tn.CreateCatalog(ctx, s); err != nil && debugWorld {
				fmt.Println("CreateCatalog:", err)
			}
		},
		"add machines": func() {
			if c, ok := pick(rt, "catalog", catalogsOf(tn)); ok {
				req := catalog.AddMachinesRequest{Users: rapid.IntRange(1, 2).Draw(rt, "users")}
				if c.Domain.Joined() {
					req.ServiceAccount, req.Password = `CORP\svc-flex`, secret.New(stPassword)
				}
				_, _ = tn.AddMachines(ctx, c.Name, req)
			}
		},
		"machine action": func() {
			if c, ok := pick(rt, "catalog", catalogsOf(tn)); ok {
				ms, _ := tn.Machines(ctx, c.Name)
				if m, ok := pick(rt, "machine", ms); ok {
					a := rapid.SampledFrom([]catalog.Action{catalog.Shutdown, catalog.Start, catalog.MaintenanceOn, catalog.Restart, catalog.Delete}).Draw(rt, "action")
					_, _ = tn.MachineAction(ctx, c.Name, m.Name, a)
				}
			}
		},
		"users": func() {
			if c, ok := pick(rt, "catalog", catalogsOf(tn)); ok {
				p := catalog.Principal{Directory: "corp.example.com", Kind: catalog.User, ID: fmt.Sprintf("extra%d@corp.example.com", rapid.IntRange(1, 3).Draw(rt, "user"))}
				if rapid.Bool().Draw(rt, "remove") {
					_, _ = tn.RemoveUsers(ctx, c.Name, p)
				} else {
					_, _ = tn.AddUsers(ctx, c.Name, p)
				}
			}
		},
		"app": func() {
			if c, ok := pick(rt, "catalog", catalogsOf(tn)); ok {
				app := catalog.App{Name: rapid.SampledFrom([]string{"Notepad", "Paint"}).Draw(rt, "app"), Source: catalog.ByPath,
					Path: `C:\Windows\notepad.exe`, Args: []string{"/a", "b c"}, FileTypes: rapid.Bool().Draw(rt, "files")}
				_, _ = tn.AddApp(ctx, c.Name, app)
			}
		},
		"snapshot": func() {
			if c, ok := pick(rt, "catalog", catalogsOf(tn)); ok {
				if rapid.Bool().Draw(rt, "schedule") {
					_, _ = tn.ScheduleSnapshots(ctx, c.Name, catalog.Schedules{Daily: catalog.Schedule{Kind: catalog.Daily, At: catalog.MustParseTimeOfDay("02:00")}})
					return
				}
				ms, _ := tn.Machines(ctx, c.Name)
				if m, ok := pick(rt, "machine", ms); ok {
					_, _ = tn.TakeSnapshot(ctx, c.Name, m.Name, rapid.SampledFrom([]string{"before", "after"}).Draw(rt, "snapshot"))
				}
			}
		},
		"key": func() {
			name := rapid.SampledFrom([]string{"disk-key", "other-key"}).Draw(rt, "key")
			if rapid.Bool().Draw(rt, "rotate") {
				_, _ = tn.RotateKey(ctx, stSub, name)
				return
			}
			_, _ = tn.AddKey(ctx, flex.KeySpec{Subscription: stSub, Region: stRegion, Name: name})
		},
		"build image": func() {
			name := rapid.SampledFrom([]string{"Gold", "Silver"}).Draw(rt, "image")
			spec := imgBuildSpec(name)
			spec.Subscription, spec.Password = stSub, secret.New(stBuilder)
			if c, ok := pick(rt, "on", connectionsOf(tn)); ok && rapid.Bool().Draw(rt, "connected") {
				spec.Connection, spec.Region = c.Name, ""
			}
			if _, err := tn.BuildImage(ctx, spec); err == nil && rapid.Bool().Draw(rt, "finish") {
				_, _ = tn.FinishImageBuild(ctx, stSub, name)
			}
		},
		"import image": func() {
			name := rapid.SampledFrom([]string{"Imported", "Golden"}).Draw(rt, "image")
			req := importRequest(name, image.Source{Kind: image.VHDPublicURL, URL: "https://corpimages.blob.core.windows.net/vhds/" + name + ".vhd"})
			req.Spec.Subscription = stSub
			if k, ok := pick(rt, "key", keysOf(tn)); ok && rapid.Bool().Draw(rt, "encrypted") {
				req.Spec.Key = k.Name
			}
			if rapid.Bool().Draw(rt, "failing") {
				req.Facts.VMAgent = false
			}
			_, _ = tn.ImportImage(ctx, req)
		},
		"image change": func() {
			if d, ok := pick(rt, "image", ownImages(tn)); ok {
				switch rapid.IntRange(0, 3).Draw(rt, "change") {
				case 0:
					_, _ = tn.RenameImage(ctx, stSub, d.Name, d.Name+"2")
				case 1:
					_, _ = tn.SetImageNotes(ctx, stSub, d.Name, "patched")
				case 2:
					_, _ = tn.ImageBuilderAction(ctx, stSub, d.Name, image.PowerOff)
				default:
					_ = tn.DeleteImage(ctx, stSub, d.Name)
				}
			}
		},
		"bastion": func() {
			if c, ok := pick(rt, "catalog", catalogsOf(tn)); ok {
				switch rapid.IntRange(0, 2).Draw(rt, "what") {
				case 0:
					_, _ = tn.CreateBastion(ctx, flex.BastionSpec{Catalog: c.Name, Username: "trbadmin", Password: secret.New(stBastion), Source: netip.MustParsePrefix("198.51.100.0/28")})
				case 1:
					_, _ = tn.EnableRDPAccess(ctx, flex.RDPAccessSpec{Catalog: c.Name, Source: netip.MustParsePrefix("203.0.113.0/28")})
				default:
					ms, _ := tn.Machines(ctx, c.Name)
					if m, ok := pick(rt, "machine", ms); ok {
						_, _ = tn.RunTroubleshootingAction(ctx, flex.TroubleshootingSpec{Catalog: c.Name, Machine: m.Name, Action: flex.CheckHealth})
					}
				}
			}
		},
		"update connection": func() {
			if c, ok := pick(rt, "connection", connectionsOf(tn)); ok {
				u := flex.ConnectionUpdate{AddRoutes: []network.Route{network.MustParseRoute("blackhole,10.99.0.0/16,None")}}
				if rapid.Bool().Draw(rt, "dns") {
					u = flex.ConnectionUpdate{DNS: []netip.Addr{netip.MustParseAddr("192.168.1.53")}}
				}
				_, _ = tn.UpdateConnection(ctx, c.Name, u)
			}
		},
		"location": func() {
			if l, ok := pick(rt, "location", locationsOf(tn)); ok {
				switch rapid.IntRange(0, 3).Draw(rt, "what") {
				case 0:
					_, _ = tn.RenameResourceLocation(ctx, l.Name, l.Name+"-x")
				case 1:
					_, _ = tn.SetLocationConnectivity(ctx, l.Name, flex.InternalConnectivity)
				case 2:
					_ = tn.PublishConnectorUpdate(ctx, "2")
					_, _ = tn.ScheduleConnectorUpdates(ctx, l.Name, flex.ConnectorUpdates{At: catalog.MustParseTimeOfDay("22:00"), TimeZone: "Europe/Berlin"})
				default:
					_, _ = tn.RunHealthCheck(ctx, l.Name)
				}
			}
		},
		"fault": func() {
			typ := rapid.SampledFrom([]flex.ResourceType{flex.TypeVirtualMachine, flex.TypeNATGateway, flex.TypeRouteTable,
				flex.TypeHubConnection, flex.TypeSecurityGroup, flex.TypeVirtualNetwork, flex.TypeImage, flex.TypeKey,
				flex.TypeResourceGroup, flex.TypeSnapshot}).Draw(rt, "fails")
			w.flaky.arm(typ, rapid.Bool().Draw(rt, "on delete"))
			w.faulted = true
		},
		"domain": func() {
			// A domain-joined catalog on a peering, and what comes with it:
			// a bastion, RDP access, connectors.
			var conn string
			for _, c := range connectionsOf(tn) {
				if c.Kind == network.KindVnetPeering && c.Status.State.AllowsCatalogs() {
					conn = c.Name
				}
			}
			if conn == "" {
				conn = "corp"
				if _, err := tn.CreateConnection(ctx, stSub, w.peeringSpec(t, conn)); err != nil {
					return
				}
			}
			name := rapid.SampledFrom([]string{"Site", "Plant"}).Draw(rt, "catalog")
			_, _ = tn.CreateCatalog(ctx, catalogSpec(name, rapid.SampledFrom([]string{"multi", "static"}).Draw(rt, "persona"), rapid.IntRange(1, 3).Draw(rt, "users"), conn, true, ""))
			switch rapid.IntRange(0, 5).Draw(rt, "then") {
			case 0:
				_, _ = tn.CreateBastion(ctx, flex.BastionSpec{Catalog: name, Username: "trbadmin", Password: secret.New(stBastion), Source: netip.MustParsePrefix("198.51.100.0/28")})
			case 1:
				_, _ = tn.BastionAction(ctx, stSub, conn, rapid.SampledFrom([]flex.PowerAction{flex.Start, flex.PowerOff}).Draw(rt, "power"))
			case 2:
				_, _ = tn.EnableRDPAccess(ctx, flex.RDPAccessSpec{Catalog: name, Source: netip.MustParsePrefix("203.0.113.0/28")})
			case 3:
				_ = tn.DisableRDPAccess(ctx, stSub, conn)
			case 4:
				if l, ok := pick(rt, "location", locationsOf(tn)); ok {
					_, _ = tn.AddConnectors(ctx, l.Name, flex.ConnectorRequest{Count: 1, ServiceAccount: `CORP\svc-flex`, Password: secret.New(stPassword),
						ResourceGroup: rapid.SampledFrom([]string{"", "connectors-rg"}).Draw(rt, "group")})
				}
			default:
				if l, ok := pick(rt, "location", locationsOf(tn)); ok {
					if cn, ok := pick(rt, "connector", l.Connectors); ok {
						if rapid.Bool().Draw(rt, "delete") {
							_ = tn.DeleteConnector(ctx, l.Name, cn.Name)
						} else {
							_, _ = tn.RestartConnector(ctx, l.Name, cn.Name)
						}
					}
				}
			}
		},
		"time": func() {
			w.clock.Advance(time.Duration(rapid.IntRange(1, 30).Draw(rt, "hours")) * time.Hour)
			_, _ = tn.RunDue(ctx)
		},
		"delete": func() {
			switch rapid.IntRange(0, 2).Draw(rt, "what") {
			case 0:
				if c, ok := pick(rt, "catalog", catalogsOf(tn)); ok {
					_ = tn.DeleteCatalog(ctx, c.Name, catAck(c.Name))
				}
			case 1:
				if c, ok := pick(rt, "connection", connectionsOf(tn)); ok {
					_ = tn.DeleteConnection(ctx, c.Name)
				}
			default:
				bs, _ := tn.Bastions(ctx)
				if b, ok := pick(rt, "bastion", bs); ok {
					_ = tn.DeleteBastion(ctx, stSub, b.Connection, flex.DeleteBastionOptions{Acknowledge: true})
				}
			}
		},
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range ops {
			if !yield(k) {
				return
			}
		}
	})
	for range n {
		ops[rapid.SampledFrom(keys).Draw(rt, "op")]()
	}
	w.flaky.disarm()
}

// flaky is a world's provider: armed, it fails the next Put or Delete of
// a resource type, once, with an error the Tenant does not retry.
type flaky struct {
	flex.Provider
	mu       sync.Mutex
	put, del map[flex.ResourceType]int
}

func (f *flaky) arm(t flex.ResourceType, onDelete bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if onDelete {
		f.del[t]++
	} else {
		f.put[t]++
	}
}

func (f *flaky) disarm() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.put)
	clear(f.del)
}

// fails reports whether the armed fault of type t in m fires now.
func (f *flaky) fails(m map[flex.ResourceType]int, t flex.ResourceType) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if m[t] > 0 {
		m[t]--
		return true
	}
	return false
}

var errInjected = &flex.Error{Kind: flex.ErrConflict, Op: "injected", Err: errors.New("injected fault")}

func (f *flaky) Put(ctx context.Context, r flex.Resource) (flex.Resource, error) {
	if f.fails(f.put, r.Metadata().ID.Type) {
		return nil, errInjected
	}
	return f.Provider.Put(ctx, r)
}

func (f *flaky) Delete(ctx context.Context, id flex.ResourceID) error {
	if f.fails(f.del, id.Type) {
		return errInjected
	}
	return f.Provider.Delete(ctx, id)
}

// readyImages returns the Ready images of session type s, of
// domain-joined machines or not.
func readyImages(tn *flex.Tenant, s quota.SessionType, joined bool) []flex.ImageDetails {
	var out []flex.ImageDetails
	for _, d := range ownImages(tn) {
		if d.State == image.Ready && d.Session == s && d.Region == stRegion && d.Domain.Joined() == joined {
			out = append(out, d)
		}
	}
	return out
}

func ownImages(tn *flex.Tenant) []flex.ImageDetails {
	ds, _ := tn.Images(context.Background())
	return slices.DeleteFunc(ds, func(d flex.ImageDetails) bool { return d.Subscription == "" })
}

func keysOf(tn *flex.Tenant) []flex.CustomerKey {
	ks, _ := tn.Keys(context.Background())
	return ks
}

func locationsOf(tn *flex.Tenant) []flex.ResourceLocation {
	ls, _ := tn.ResourceLocations(context.Background())
	return ls
}

// carryOn adds machines to an Active catalog of w's Tenant and deletes
// another, which must both succeed.
func (w *world) carryOn(rt *rapid.T) {
	var active []flex.Catalog
	for _, c := range catalogsOf(w.tn) {
		if c.State == catalog.Active && w.usable(c.Connection) {
			active = append(active, c)
		}
	}
	if len(active) == 0 {
		return
	}
	c := active[rapid.IntRange(0, len(active)-1).Draw(rt, "grow")]
	req := catalog.AddMachinesRequest{Users: 1}
	if c.Domain.Joined() {
		req.ServiceAccount, req.Password = `CORP\svc-flex`, secret.New(stPassword)
	}
	if _, err := w.tn.AddMachines(w.ctx, c.Name, req); err != nil {
		rt.Fatalf("AddMachines on catalog %q of the loaded Tenant: %v", c.Name, err)
	}
	d := active[rapid.IntRange(0, len(active)-1).Draw(rt, "delete")]
	if err := w.tn.DeleteCatalog(w.ctx, d.Name, catAck(d.Name)); err != nil {
		rt.Fatalf("DeleteCatalog %q of the loaded Tenant: %v", d.Name, err)
	}
}

// usable reports whether catalogs may use the connection named name now
// ("" is No connectivity).
func (w *world) usable(name string) bool {
	if name == "" {
		return true
	}
	for _, c := range connectionsOf(w.tn) {
		if strings.EqualFold(c.Name, name) {
			return c.Status.State.AllowsCatalogs()
		}
	}
	return false
}

// reconciled fails unless Reconcile of w's Tenant finds the cloud as the
// state says.
func (w *world) reconciled(t tb, when string) {
	t.Helper()
	r, err := w.tn.Reconcile(w.ctx, flex.ReconcileOptions{})
	if err != nil {
		t.Fatalf("Reconcile %s: %v", when, err)
	}
	if !r.Clean() {
		t.Fatalf("Reconcile %s: orphans %v, strays %v, missing %v", when, r.Orphans, r.Strays, r.Missing)
	}
}

// catalogAdd is the request to add users to a catalog that is not
// domain-joined.
func catalogAdd(users int) catalog.AddMachinesRequest {
	return catalog.AddMachinesRequest{Users: users}
}

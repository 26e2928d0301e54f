package flex_test

import (
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// imgEpoch is the start of the manual clock of the image and
// troubleshooting tests.
var imgEpoch = time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC)

// imgPassword is the logon password of builds and bastions in the tests; no
// view, error or log may show it (SEC-1).
const imgPassword = "Gr33n-Valley!Stone"

// imgEnv is a tenant "t1" on a fake cloud with a manual clock and one
// subscription "prod" (Azure ID "az-prod").
type imgEnv struct {
	cloud *fake.Cloud
	view  *fake.View
	clock *fake.Clock
	tn    *flex.Tenant

	mu       sync.Mutex
	progress []flex.Progress
}

func newImgEnv(t testing.TB, opts ...flex.Option) *imgEnv {
	t.Helper()
	e := &imgEnv{clock: fake.NewClock(imgEpoch)}
	e.cloud = fake.New(fake.WithClock(e.clock))
	e.view = e.cloud.Scope("t1")
	opts = append([]flex.Option{flex.WithID("t1"), flex.WithClock(e.clock.Now), flex.WithProgress(func(p flex.Progress) {
		e.mu.Lock()
		e.progress = append(e.progress, p)
		e.mu.Unlock()
	})}, opts...)
	e.tn = flex.NewTenant(e.view, opts...)
	if _, err := e.tn.AddSubscription(t.Context(), flex.SubscriptionSpec{Name: "prod", AzureID: "az-prod"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// phases returns the phases reported for op so far.
func (e *imgEnv) phases(op string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, p := range e.progress {
		if p.Op == op {
			out = append(out, p.Phase)
		}
	}
	return out
}

// owned returns "type/name" of every resource of the tenant whose owner tag
// is owner, sorted.
func (e *imgEnv) owned(owner string) []string {
	var out []string
	for _, r := range e.view.Resources(flex.Filter{Tags: map[string]string{flex.TagOwner: owner}}) {
		id := r.Metadata().ID
		out = append(out, string(id.Type[strings.LastIndex(string(id.Type), "/")+1:])+"/"+id.Name)
	}
	slices.Sort(out)
	return out
}

// all returns the number of resources of the tenant.
func (e *imgEnv) all() int { return len(e.view.Resources(flex.Filter{})) }

func imgPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// imgBuildSpec is a valid No connectivity build from the prepared Windows
// Server 2022 image in westeurope, RDP restricted to 203.0.113.0/28.
func imgBuildSpec(name string) image.BuildSpec {
	base, _ := image.LookupPrepared("Windows Server 2022 (multi-session)")
	return image.BuildSpec{
		Name:         name,
		Base:         base,
		Subscription: "prod",
		Region:       "westeurope",
		Domain:       image.NonDomainJoined,
		Username:     "imgadmin",
		Password:     secret.New(imgPassword),
		Size:         "Standard_D4s_v5",
		AllowedIPs:   []netip.Prefix{imgPrefix("203.0.113.0/28")},
		Notes:        "Office and line-of-business apps",
	}
}

// sortStrings makes cmp.Diff compare string slices as sets.
var sortStrings = cmpopts.SortSlices(func(a, b string) bool { return a < b })

// imgCustomer is the Azure subscription of the customer's own network.
const imgCustomer = "33333333-3333-3333-3333-333333333333"

// peering creates a VNet peering connection name in "prod" with the Flex
// range flexRange, to a customer VNet 192.168.0.0/16 whose subnet
// "default" is 192.168.0.0/24 (where the customer's administrators are).
func (e *imgEnv) peering(t testing.TB, name, flexRange string) flex.Connection {
	t.Helper()
	ctx := t.Context()
	rg := flex.GroupID(imgCustomer, "customer-"+name)
	if _, err := e.cloud.Put(ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: rg, Region: network.WestEurope}}); err != nil {
		t.Fatal(err)
	}
	vn := &flex.VirtualNetwork{
		Meta:         flex.Meta{ID: flex.ResourceID{Subscription: imgCustomer, ResourceGroup: rg.Name, Type: flex.TypeVirtualNetwork, Name: "corp"}, Region: network.WestEurope},
		AddressSpace: []netip.Prefix{imgPrefix("192.168.0.0/16")},
		Subnets:      []flex.Subnet{{Name: "default", Prefix: imgPrefix("192.168.0.0/24")}},
	}
	if _, err := e.cloud.Put(ctx, vn); err != nil {
		t.Fatal(err)
	}
	c, err := e.tn.CreateConnection(ctx, "prod", network.PeeringSpec{
		Name:       name,
		Region:     network.WestEurope,
		RemoteVNet: network.ResourceID{Subscription: imgCustomer, ResourceGroup: rg.Name, Type: "virtualNetworks", Name: "corp"},
		Range:      imgPrefix(flexRange),
		DNS:        []netip.Addr{netip.MustParseAddr("192.168.0.4")},
	})
	if err != nil {
		t.Fatalf("CreateConnection: %v", err)
	}
	return c
}

// rdp decides TCP 3389 from src to dst with the NSGs in place (the fake's
// flow check).
func (e *imgEnv) rdp(t testing.TB, src, dst netip.Addr) bool {
	t.Helper()
	d, err := e.view.Allowed(src, dst, network.TCP, 3389)
	if err != nil {
		t.Fatalf("Allowed(%s → %s:3389): %v", src, dst, err)
	}
	return d.Allowed()
}

// nsgRulesFor returns the names of the NSG rules of the tenant that admit
// traffic to or from the address alone (FW-4 host rules), as
// "<nsg>/<rule>".
func (e *imgEnv) nsgRulesFor(a netip.Addr) []string {
	var out []string
	host := network.HostAddress(a)
	for _, r := range e.view.Resources(flex.Filter{Type: flex.TypeSecurityGroup}) {
		nsg := r.(*flex.SecurityGroup)
		for _, rule := range nsg.Rules {
			if slices.Contains(rule.Destinations, host) || slices.Contains(rule.Sources, host) {
				out = append(out, nsg.ID.Name+"/"+rule.Name)
			}
		}
	}
	return out
}

// joinedCatalog creates a static, Active Directory joined catalog of
// "prod" on connection conn, one machine per user, with the catalog tests'
// spec (catJoined).
func (e *imgEnv) joinedCatalog(t testing.TB, name, conn string, users int) flex.Catalog {
	t.Helper()
	s := catJoined(name, users, conn, "corp.example.com", "HQ")
	s.Subscription = "prod"
	c, err := e.tn.CreateCatalog(t.Context(), s)
	if err != nil {
		t.Fatalf("CreateCatalog %s: %v", name, err)
	}
	return c
}

// multiCatalog creates a multi-session, non-domain-joined catalog of "prod"
// with No connectivity in westeurope on image img, one machine per 8 users.
func (e *imgEnv) multiCatalog(t testing.TB, name, img string, users int) flex.Catalog {
	t.Helper()
	s := catMulti(name, users)
	s.Subscription, s.Image = "prod", img
	c, err := e.tn.CreateCatalog(t.Context(), s)
	if err != nil {
		t.Fatalf("CreateCatalog %s: %v", name, err)
	}
	return c
}

// vms returns the VMs owned by owner, such as "catalog/Sales", by name.
func (e *imgEnv) vms(owner string) []*flex.VirtualMachine {
	var out []*flex.VirtualMachine
	for _, r := range e.view.Resources(flex.Filter{Type: flex.TypeVirtualMachine, Tags: map[string]string{flex.TagOwner: owner}}) {
		out = append(out, r.(*flex.VirtualMachine))
	}
	slices.SortFunc(out, func(a, b *flex.VirtualMachine) int { return strings.Compare(a.ID.Name, b.ID.Name) })
	return out
}

package flex_test

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/secret"
)

// catStart is the fake clock's start in the catalog tests: a Monday.
var catStart = time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC)

// catEnv is a tenant on the fake cloud with one subscription, Sub1
// (Azure ID sub-1), and a second one, Sub2 (sub-2).
type catEnv struct {
	ctx   context.Context
	cloud *fake.Cloud
	clock *fake.Clock
	tn    *flex.Tenant
	prov  flex.Provider

	mu       sync.Mutex
	progress []flex.Progress
}

// catOpts configures catNew.
type catOpts struct {
	limits  *quota.Limits
	wrap    func(flex.Provider) flex.Provider
	workers int
	cloud   []fake.Option
}

func catNew(t testing.TB, o catOpts) *catEnv {
	t.Helper()
	e := &catEnv{ctx: context.Background(), clock: fake.NewClock(catStart)}
	e.cloud = fake.New(append([]fake.Option{fake.WithClock(e.clock)}, o.cloud...)...)
	e.prov = e.cloud.Scope("t1")
	if o.wrap != nil {
		e.prov = o.wrap(e.prov)
	}
	opts := []flex.Option{
		flex.WithID("t1"), flex.WithClock(e.clock.Now),
		flex.WithRandom(bytes.NewReader(bytes.Repeat([]byte{7, 42, 99, 3}, 4096))),
		flex.WithProgress(func(p flex.Progress) { e.mu.Lock(); e.progress = append(e.progress, p); e.mu.Unlock() }),
	}
	if o.limits != nil {
		opts = append(opts, flex.WithLimits(*o.limits))
	}
	if o.workers > 0 {
		opts = append(opts, flex.WithWorkers(o.workers))
	}
	e.tn = flex.NewTenant(e.prov, opts...)
	for _, s := range []flex.SubscriptionSpec{{Name: "Sub1", AzureID: "sub-1"}, {Name: "Sub2", AzureID: "sub-2"}} {
		if _, err := e.tn.AddSubscription(e.ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// catMulti is a multi-session catalog with No connectivity in westeurope
// for users u1…uN: ⌈N/8⌉ machines.
func catMulti(name string, users int) flex.CatalogSpec {
	p, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	return flex.CatalogSpec{Spec: catalog.Spec{
		Name: name, Persona: p, MachineType: quota.MultiSessionMachine, Users: catUsers(name, users),
		Subscription: "Sub1", Region: network.WestEurope, Domain: image.NonDomainJoined,
		NamingScheme: name[:min(3, len(name))] + "-####", Connectivity: catalog.GatewayService,
		Schedule: catalog.WorkSchedule{TimeZone: "Europe/Berlin"},
	}, Image: "Windows Server 2022 (multi-session)"}
}

// catStatic is a static single-session catalog with No connectivity: one
// machine per user.
func catStatic(name string, users int) flex.CatalogSpec {
	p, _ := quota.PersonaByName(quota.KnowledgeWorker)
	s := catMulti(name, users)
	s.Persona, s.MachineType = p, quota.Static
	s.Image = "Windows 11 Pro (single-session)"
	s.Licenses = []image.License{image.Microsoft365E3}
	return s
}

func catUsers(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d@corp.example.com", strings.ToLower(prefix[:min(3, len(prefix))]), i+1)
	}
	return out
}

// vms returns the VMs of the tenant in the cloud, of one resource group
// when group is not "".
func (e *catEnv) vms(group string) []*flex.VirtualMachine {
	var out []*flex.VirtualMachine
	for _, r := range e.cloud.Resources(flex.Filter{ResourceGroup: group, Type: flex.TypeVirtualMachine}) {
		out = append(out, r.(*flex.VirtualMachine))
	}
	return out
}

// owned returns the tenant's resources owned by the Flex object owner,
// such as "catalog/Sales".
func (e *catEnv) owned(owner string) []flex.Resource {
	return e.cloud.Resources(flex.Filter{Tags: map[string]string{flex.TagTenant: "t1", flex.TagOwner: owner}})
}

// catGroup is the resource group of a catalog of tenant t1.
func catGroup(name string) string { return "flex-t1-catalog-" + name }

func vmNames(vms []*flex.VirtualMachine) []string {
	var out []string
	for _, v := range vms {
		out = append(out, v.ID.Name)
	}
	slices.Sort(out)
	return out
}

// catAck is the acknowledgement of deleting catalog name (CAT-12).
func catAck(name string) catalog.DeleteAck {
	return catalog.DeleteAck{Catalog: name, MachinesDestroyed: true, Irreversible: true}
}

// catPeering creates a VNet peering connection "hub" in westeurope of Sub1
// with the Flex range rng, peered with a customer VNet 10.0.0.0/16.
func (e *catEnv) catPeering(t testing.TB, name, rng string) {
	t.Helper()
	g := flex.GroupID("33333333-3333-3333-3333-333333333333", "cust-rg")
	if _, err := e.cloud.Put(e.ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: g, Region: network.WestEurope}}); err != nil {
		t.Fatal(err)
	}
	v := &flex.VirtualNetwork{Meta: flex.Meta{ID: flex.ResourceID{Subscription: "33333333-3333-3333-3333-333333333333", ResourceGroup: "cust-rg", Type: flex.TypeVirtualNetwork, Name: name + "-vnet"}, Region: network.WestEurope},
		AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
		Subnets:      []flex.Subnet{{Name: "default", Prefix: netip.MustParsePrefix("10.0.0.0/24")}}}
	if _, err := e.cloud.Put(e.ctx, v); err != nil {
		t.Fatal(err)
	}
	_, err := e.tn.CreateConnection(e.ctx, "Sub1", network.PeeringSpec{
		Name: name, Region: network.WestEurope,
		RemoteVNet: network.ResourceID{Subscription: "33333333-3333-3333-3333-333333333333", ResourceGroup: "cust-rg", Type: "virtualNetworks", Name: name + "-vnet"},
		Range:      netip.MustParsePrefix(rng),
		DNS:        []netip.Addr{netip.MustParseAddr("10.0.0.4")},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// catPassword is the AD service account's password in the tests; it must
// never show (SEC-1).
const catPassword = "Zq8!vT3#pL0-sekrit"

// catJoined is a static, Active Directory joined catalog on connection
// conn in resource location loc.
func catJoined(name string, users int, conn, domain, loc string) flex.CatalogSpec {
	s := catStatic(name, users)
	s.Region, s.Connection = "", conn
	s.Domain = image.ActiveDirectory
	s.AD = image.ADConfig{Domain: domain, ServiceAccount: "CORP\\svc-flex", Password: secret.New(catPassword)}
	s.ResourceLocation = loc
	return s
}

// faults is a provider with hooks run before each call, for fault
// injection; a hook's error is returned instead of calling the cloud.
type faults struct {
	flex.Provider
	mu      sync.Mutex
	put     func(flex.Resource) error
	del     func(flex.ResourceID) error
	power   func(flex.ResourceID, flex.PowerAction) error
	restore func(vm, snap flex.ResourceID) error
}

func (f *faults) hooks() (func(flex.Resource) error, func(flex.ResourceID) error, func(flex.ResourceID, flex.PowerAction) error, func(vm, snap flex.ResourceID) error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.put, f.del, f.power, f.restore
}

func (f *faults) set(fn func(*faults)) { f.mu.Lock(); fn(f); f.mu.Unlock() }

func (f *faults) Put(ctx context.Context, r flex.Resource) (flex.Resource, error) {
	if h, _, _, _ := f.hooks(); h != nil {
		if err := h(r); err != nil {
			return nil, err
		}
	}
	return f.Provider.Put(ctx, r)
}

func (f *faults) Delete(ctx context.Context, id flex.ResourceID) error {
	if _, h, _, _ := f.hooks(); h != nil {
		if err := h(id); err != nil {
			return err
		}
	}
	return f.Provider.Delete(ctx, id)
}

func (f *faults) Power(ctx context.Context, id flex.ResourceID, a flex.PowerAction) error {
	if _, _, h, _ := f.hooks(); h != nil {
		if err := h(id, a); err != nil {
			return err
		}
	}
	return f.Provider.Power(ctx, id, a)
}

func (f *faults) RestoreSnapshot(ctx context.Context, vm, snap flex.ResourceID) error {
	if _, _, _, h := f.hooks(); h != nil {
		if err := h(vm, snap); err != nil {
			return err
		}
	}
	return f.Provider.RestoreSnapshot(ctx, vm, snap)
}

// catFaulty returns an env whose provider is a faults layer over the
// tenant's view.
func catFaulty(t testing.TB, o catOpts) (*catEnv, *faults) {
	var f *faults
	o.wrap = func(p flex.Provider) flex.Provider { f = &faults{Provider: p}; return f }
	return catNew(t, o), f
}

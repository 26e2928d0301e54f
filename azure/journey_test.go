package azure_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

var debugKinds = false

var epoch = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

const (
	rgName = "rg-flex"
	region = network.WestEurope
)

func rid(t flex.ResourceType, name string) flex.ResourceID {
	return flex.ResourceID{Subscription: sub, ResourceGroup: rgName, Type: t, Name: name}
}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func addr(s string) netip.Addr  { return netip.MustParseAddr(s) }

func tags(owner string) map[string]string {
	return map[string]string{flex.TagTenant: "t1", flex.TagOwner: owner}
}

func meta(t flex.ResourceType, name, owner string) flex.Meta {
	return flex.Meta{ID: rid(t, name), Region: region, Tags: tags(owner)}
}

// step is one operation of the journey and what came of it: the resource
// or resources, or the kind of the error.
type step struct {
	Op   string
	Res  []flex.Resource
	Kind string
	Note string
	// Tagged: a List by tags, which cannot find peerings and hub
	// connections through ARM (they have no tags there).
	Tagged bool
}

// recorder runs the journey's operations against one provider and writes
// down what came of each, normalized where the azure provider is known to
// differ from the simulated cloud for reasons of ARM's (see normalize).
type recorder struct {
	t     *testing.T
	p     flex.Provider
	steps []step
}

func kindName(err error) string {
	if err == nil {
		return ""
	}
	if k := flex.KindOf(err); k != nil {
		if debugKinds {
			return k.Error() + " " + err.Error()
		}
		return k.Error()
	}
	return "untyped: " + err.Error()
}

func (r *recorder) put(res flex.Resource) flex.Resource {
	r.t.Helper()
	got, err := r.p.Put(r.t.Context(), res)
	r.steps = append(r.steps, step{Op: "Put " + string(res.Metadata().ID.Type) + " " + res.Metadata().ID.Name, Res: one(got), Kind: kindName(err)})
	return got
}

func (r *recorder) get(id flex.ResourceID) flex.Resource {
	got, err := r.p.Get(r.t.Context(), id)
	r.steps = append(r.steps, step{Op: "Get " + id.Name, Res: one(got), Kind: kindName(err)})
	return got
}

func (r *recorder) do(op string, err error) {
	r.steps = append(r.steps, step{Op: op, Kind: kindName(err)})
}

func (r *recorder) list(f flex.Filter) {
	got, err := r.p.List(r.t.Context(), f)
	r.steps = append(r.steps, step{Op: fmt.Sprintf("List %s %s %v", f.ResourceGroup, f.Type, f.Tags), Res: got, Kind: kindName(err), Tagged: len(f.Tags) > 0})
}

func one(r flex.Resource) []flex.Resource {
	if r == nil {
		return nil
	}
	return []flex.Resource{r}
}

// journey is the documentation's journey in cloud terms: a connection's
// network (NSG, routes, NAT, peering, VPN gateway to the customer's
// device, a Virtual WAN spoke), a catalog's machines with power actions,
// snapshots, a restore, disk export, images, a customer-managed key, and
// the errors a Tenant relies on, then cleanup.
func journey(t *testing.T, p flex.Provider, setCapacity func(network.Region, string, int)) []step {
	r := &recorder{t: t, p: p}
	ctx := t.Context()
	r.put(&flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(sub, rgName), Region: region, Tags: tags("subscription/main")}})

	// Connection network.
	r.put(&flex.SecurityGroup{Meta: meta(flex.TypeSecurityGroup, "nsg-vdas", "connection/c1"), Rules: []network.SecurityRule{
		{Name: "FlexAllowCitrixInBound", Priority: 400, Direction: network.Inbound, Access: network.Allow, Protocol: network.TCP,
			Sources: []network.Address{network.TagAddress(network.TagVirtualNetwork)}, SourcePorts: []network.PortRange{network.AnyPort()},
			Destinations:     []network.Address{network.PrefixAddress(pfx("10.1.0.0/24"))},
			DestinationPorts: []network.PortRange{network.Port(443), network.Port(1494), network.Port(2598)},
			Description:      "Citrix traffic inside the VNet", Managed: true},
		{Name: "CustomerRDP", Priority: 500, Direction: network.Inbound, Access: network.Allow, Protocol: network.TCP,
			Sources: []network.Address{network.PrefixAddress(pfx("192.168.10.0/27"))}, SourcePorts: []network.PortRange{network.AnyPort()},
			Destinations: []network.Address{network.TagAddress(network.TagVirtualNetwork)}, DestinationPorts: []network.PortRange{network.Port(3389)}},
		{Name: "DenyShadow", Priority: 600, Direction: network.Outbound, Access: network.Deny, Protocol: network.UDP,
			Sources: []network.Address{network.TagAddress(network.TagAny)}, SourcePorts: []network.PortRange{network.Ports(49152, 65535)},
			Destinations: []network.Address{network.TagAddress(network.TagInternet)}, DestinationPorts: []network.PortRange{network.AnyPort()}},
	}})
	r.put(&flex.RouteTable{Meta: meta(flex.TypeRouteTable, "rt-vdas", "connection/c1"), Routes: []flex.Route{
		{Name: "to-onprem", Prefix: pfx("192.168.0.0/16"), NextHop: "VirtualNetworkGateway"},
		{Name: "via-nva", Prefix: pfx("172.16.0.0/16"), NextHop: "VirtualAppliance", NextHopIP: addr("10.1.0.200")},
		{Name: "internet", Prefix: pfx("0.0.0.0/0"), NextHop: "Internet"},
	}, DisableGatewayPropagation: true})
	r.put(&flex.NATGateway{Meta: meta(flex.TypeNATGateway, "nat", "connection/c1"), IdleTimeoutMinutes: 10})
	vnet := rid(flex.TypeVirtualNetwork, "vnet-c1")
	r.put(&flex.VirtualNetwork{Meta: meta(flex.TypeVirtualNetwork, "vnet-c1", "connection/c1"),
		AddressSpace: []netip.Prefix{pfx("10.1.0.0/16")}, DNSServers: []netip.Addr{addr("192.168.0.4"), addr("192.168.0.5")},
		Subnets: []flex.Subnet{
			{Name: "vdas", Prefix: pfx("10.1.0.0/24"), SecurityGroup: rid(flex.TypeSecurityGroup, "nsg-vdas"), RouteTable: rid(flex.TypeRouteTable, "rt-vdas"), NATGateway: rid(flex.TypeNATGateway, "nat")},
			{Name: "GatewaySubnet", Prefix: pfx("10.1.255.0/27")},
		}})
	r.put(&flex.VirtualNetwork{Meta: meta(flex.TypeVirtualNetwork, "vnet-customer", "connection/c1"), AddressSpace: []netip.Prefix{pfx("10.2.0.0/16")},
		Subnets: []flex.Subnet{{Name: "dc", Prefix: pfx("10.2.0.0/24")}}})
	r.put(&flex.Peering{Meta: meta(flex.TypePeering, "vnet-c1/to-customer", "connection/c1"), Remote: rid(flex.TypeVirtualNetwork, "vnet-customer")})
	r.put(&flex.Peering{Meta: meta(flex.TypePeering, "vnet-customer/to-c1", "connection/c1"), Remote: vnet})
	r.get(rid(flex.TypePeering, "vnet-c1/to-customer"))

	// VPN to the customer's device.
	r.put(&flex.VPNGateway{Meta: meta(flex.TypeVPNGateway, "gw-c1", "connection/c1"), VirtualNetwork: vnet, SKU: "VpnGw1AZ", EnableBGP: true, ASN: 65010})
	r.put(&flex.LocalGateway{Meta: meta(flex.TypeLocalGateway, "onprem", "connection/c1"), GatewayIP: addr("203.0.113.10"),
		AddressPrefixes: []netip.Prefix{pfx("192.168.0.0/16")}, ASN: 65020, BGPPeer: addr("192.168.0.1")})
	r.put(&flex.VPNConnection{Meta: meta(flex.TypeVPNConnection, "conn-c1", "connection/c1"), Gateway: rid(flex.TypeVPNGateway, "gw-c1"),
		Local: rid(flex.TypeLocalGateway, "onprem"), SharedKey: secret.New("s3cret.Shared_Key"), EnableBGP: true})
	r.do("ResetVPNGateway", p.ResetVPNGateway(ctx, rid(flex.TypeVPNGateway, "gw-c1"))) // RULE NET-10
	r.get(rid(flex.TypeVPNGateway, "gw-c1"))

	// Virtual WAN spoke.
	r.put(&flex.VirtualHub{Meta: flex.Meta{ID: rid(flex.TypeVirtualHub, "hub"), Region: region}, SKU: "Standard", AddressSpace: pfx("10.100.0.0/23")})
	r.put(&flex.VirtualNetwork{Meta: meta(flex.TypeVirtualNetwork, "vnet-spoke", "connection/c2"), AddressSpace: []netip.Prefix{pfx("10.3.0.0/16")},
		Subnets: []flex.Subnet{{Name: "vdas", Prefix: pfx("10.3.0.0/24")}}})
	r.put(&flex.HubConnection{Meta: meta(flex.TypeHubConnection, "hub/spoke-c2", "connection/c2"), Remote: rid(flex.TypeVirtualNetwork, "vnet-spoke"),
		EnableInternetSecurity: true, PropagateRoutes: true})
	r.put(&flex.HubConnection{Meta: meta(flex.TypeHubConnection, "hub/spoke-c2", "connection/c2"), Remote: rid(flex.TypeVirtualNetwork, "vnet-spoke"),
		EnableInternetSecurity: true, PropagateRoutes: false})

	// Machines.
	vmTags := tags("catalog/Sales")
	vmTags[flex.TagSessionLimit] = "1"
	vm1 := rid(flex.TypeVirtualMachine, "sales-01")
	machine := func(name, zone string, img flex.ImageRef, gen image.Generation, secure bool) *flex.VirtualMachine {
		return &flex.VirtualMachine{Meta: flex.Meta{ID: rid(flex.TypeVirtualMachine, name), Region: region, Tags: maps.Clone(vmTags)},
			Size: "Standard_D2s_v5", Zone: zone, ComputerName: strings.ToUpper(name), Image: img, Generation: gen, SecureBoot: secure,
			Network: vnet, Subnet: "vdas", AdminUsername: "flexadmin", AdminPassword: secret.New("Str0ng!Passw0rd-1")}
	}
	win11 := flex.ImageRef{URN: "MicrosoftWindowsDesktop:windows-11:win11-24h2-pro:latest"}
	r.put(machine("sales-01", "1", win11, image.Gen2, true))            // RULE AZ-9: a zone in westeurope; RULE AZ-7: computer name
	retried := r.put(machine("sales-01", "1", win11, image.Gen2, true)) // a retried Put makes no duplicate
	_ = retried
	r.do("PowerOff", p.Power(ctx, vm1, flex.PowerOff))
	r.get(vm1)
	r.do("Start while stopped", p.Power(ctx, vm1, flex.Start))
	r.do("Start while running", p.Power(ctx, vm1, flex.Start))
	r.do("Restart", p.Power(ctx, vm1, flex.Restart))
	r.do("Deallocate", p.Power(ctx, vm1, flex.Deallocate)) // RULE AZ-8: power transitions
	r.get(vm1)

	// Snapshots, restore, export.
	vmNow, _ := p.Get(ctx, vm1)
	osDisk := vmNow.(*flex.VirtualMachine).OSDisk
	r.put(&flex.Snapshot{Meta: meta(flex.TypeSnapshot, "sales-01-snap1", "catalog/Sales"), Source: osDisk})
	r.put(&flex.Snapshot{Meta: meta(flex.TypeSnapshot, "sales-01-snap2", "catalog/Sales"), Source: osDisk}) // RULE AZ-8: incremental after the first
	r.do("RestoreSnapshot", p.RestoreSnapshot(ctx, vm1, rid(flex.TypeSnapshot, "sales-01-snap1")))
	r.get(vm1)
	// Maintenance mode is a tag put on the VM (CAT-8): a PUT of a VM whose
	// OS disk a restore swapped, which must keep that disk.
	maint := machine("sales-01", "1", win11, image.Gen2, true)
	maint.Tags[flex.TagMaintenance] = "on"
	r.put(maint)
	r.list(flex.Filter{Subscription: sub, ResourceGroup: rgName, Type: flex.TypeDisk})
	vmNow, _ = p.Get(ctx, vm1)
	sas, err := p.GrantDiskAccess(ctx, vmNow.(*flex.VirtualMachine).OSDisk, 2*time.Hour)
	r.do("GrantDiskAccess", err)
	r.steps[len(r.steps)-1].Note = sasShape(sas)
	r.do("Start again", p.Power(ctx, vm1, flex.Start))
	_, err = p.GrantDiskAccess(ctx, vmNow.(*flex.VirtualMachine).OSDisk, 2*time.Hour)
	r.do("GrantDiskAccess of a running VM's disk", err)

	// Images and a machine from one.
	r.put(&flex.Image{Meta: meta(flex.TypeImage, "golden", "image/golden"), Generation: image.Gen2, OS: image.WindowsServer2022,
		Source: rid(flex.TypeSnapshot, "sales-01-snap2")})
	r.put(&flex.Image{Meta: meta(flex.TypeImage, "imported", "image/imported"), Generation: image.Gen1, OS: image.Ubuntu2204,
		SourceURL: secret.New("https://acct.blob.core.windows.net/vhds/ubuntu.vhd?sv=2024&sig=abc")})
	r.put(machine("sales-02", "2", flex.ImageRef{ID: rid(flex.TypeImage, "golden")}, 0, false))
	r.put(&flex.Disk{Meta: meta(flex.TypeDisk, "data-1", "catalog/Sales"), SizeGiB: 64, Zone: "2"})
	r.put(&flex.Disk{Meta: meta(flex.TypeDisk, "data-1", "catalog/Sales"), SizeGiB: 128, Zone: "2"})

	// A customer-managed key.
	key := rid(flex.TypeKey, "flexvault/cmk")
	r.put(&flex.Key{Meta: meta(flex.TypeKey, "flexvault/cmk", "subscription/main")})
	rotated, err := p.RotateKey(ctx, key)
	r.do("RotateKey", err)
	r.steps[len(r.steps)-1].Note = fmt.Sprint(len(rotated.Version) == 32, rotated.Created)
	r.put(&flex.Key{Meta: meta(flex.TypeKey, "flexvault/imported", "subscription/main"), Material: testKeyPEM(t)})

	// What a Tenant relies on.
	r.list(flex.Filter{Subscription: sub})
	r.list(flex.Filter{Subscription: sub, Type: flex.TypeVirtualMachine})
	r.list(flex.Filter{Subscription: sub, Tags: map[string]string{flex.TagOwner: "connection/c1"}})
	r.list(flex.Filter{Subscription: sub, ResourceGroup: "no-such-group"})
	r.get(rid(flex.TypeVirtualNetwork, "missing"))
	r.put(&flex.VirtualNetwork{Meta: flex.Meta{ID: flex.ResourceID{Subscription: sub, ResourceGroup: "no-such-group", Type: flex.TypeVirtualNetwork, Name: "v"}, Region: region},
		AddressSpace: []netip.Prefix{pfx("10.9.0.0/16")}})
	r.put(&flex.VirtualNetwork{Meta: meta(flex.TypeVirtualNetwork, "bad", "x"), AddressSpace: []netip.Prefix{pfx("127.0.0.0/16")}}) // RULE AZ-1: a reserved range is ErrInvalid
	r.do("Delete a VNet in use", p.Delete(ctx, vnet))
	r.do("Delete a missing VNet", p.Delete(ctx, rid(flex.TypeVirtualNetwork, "missing")))
	setCapacity(region, "Standard_D4s_v5", 0)
	big := machine("sales-03", "3", win11, image.Gen2, true)
	big.Size = "Standard_D4s_v5"
	r.put(big) // RULE CAT-14: no capacity is ErrCapacity (ZonalAllocationFailed), which the Tenant falls back on
	r.list(flex.Filter{Subscription: sub, Type: flex.TypeVirtualMachine})

	// Cleanup.
	r.do("Delete VM", p.Delete(ctx, rid(flex.TypeVirtualMachine, "sales-02")))
	r.do("Delete image", p.Delete(ctx, rid(flex.TypeImage, "golden")))
	r.do("Delete NAT", p.Delete(ctx, rid(flex.TypeNATGateway, "nat")))
	r.do("Delete key", p.Delete(ctx, key))
	r.get(key)
	r.do("Delete group", p.Delete(ctx, flex.GroupID(sub, rgName)))
	r.list(flex.Filter{Subscription: sub})
	return r.steps
}

// sasShape keeps what a SAS URL must have and drops what differs per
// cloud (its signature and host).
func sasShape(s secret.Value) string {
	u := s.Reveal()
	var kept []string
	for _, part := range []string{"sr=b", "sp=r", "se=2026-03-01T11:00:00Z", "https://"} {
		if strings.Contains(u, part) {
			kept = append(kept, part)
		}
	}
	return strings.Join(kept, " ")
}

// normalize drops from the steps what ARM cannot carry and the simulated
// cloud returns, so that the rest must be equal:
//   - peerings and hub connections have no tags in ARM, so a List by tags
//     does not find them;
//   - a key's material never leaves the vault through ARM, and its
//     version is random per cloud (its form is checked);
//   - a restored disk is named by the cloud.
func normalize(steps []step) []step {
	for i := range steps {
		if steps[i].Tagged {
			steps[i].Res = slices.DeleteFunc(steps[i].Res, func(r flex.Resource) bool {
				t := r.Metadata().ID.Type
				return t == flex.TypePeering || t == flex.TypeHubConnection
			})
		}
		if len(steps[i].Res) == 0 {
			steps[i].Res = nil
		}
	}
	for _, s := range steps {
		for i, r := range s.Res {
			r = r.Clone()
			switch r := r.(type) {
			case *flex.Peering:
				r.Tags = nil
			case *flex.HubConnection:
				r.Tags = nil
			case *flex.Key:
				r.Material = secret.Value{}
				r.Version = fmt.Sprint(len(r.Version))
			}
			if m := r.Metadata(); len(m.Tags) == 0 {
				m.Tags = nil
			}
			s.Res[i] = r
		}
	}
	return steps
}

func diff(want, got any) string {
	return cmp.Diff(want, got,
		cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
		cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }))
}

// TestJourneyMatchesSimulatedCloud runs the journey against the in-memory
// cloud directly and against the azure provider over the SDK's fake
// servers backed by another such cloud: every result and every error kind
// must be the same, so that what the real clients, their serialization,
// pollers and pagers and the provider's mapping do is invisible to a
// Tenant.
func TestJourneyMatchesSimulatedCloud(t *testing.T) {
	direct := fake.New(fake.WithClock(fake.NewClock(epoch)))
	want := normalize(journey(t, direct, direct.SetCapacity))

	p, cloud := newProvider(t, fake.WithClock(fake.NewClock(epoch)))
	got := normalize(journey(t, p, cloud.SetCapacity))

	if d := diff(want, got); d != "" {
		t.Errorf("azure provider over the simulated cloud differs from the cloud (-direct +azure):\n%s", d)
	}
	// The journey checks something: it must hold successes and errors.
	var ok, failed int
	for _, s := range got {
		if s.Kind == "" {
			ok++
		} else {
			failed++
		}
	}
	if ok < 40 || failed < 6 {
		t.Errorf("journey has %d successful and %d failed steps; want at least 40 and 6", ok, failed)
	}
	if t.Failed() {
		for _, s := range got {
			t.Logf("%-45s %s %s", s.Op, s.Kind, s.Note)
		}
	}
}

var (
	keyOnce sync.Once
	keyPEM  secret.Value
)

// testKeyPEM returns an RSA private key in PKCS #1 PEM, made once.
func testKeyPEM(t *testing.T) secret.Value {
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		keyPEM = secret.New(string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})))
	})
	return keyPEM
}

package providertest

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The region most checks use: one with availability zones (AZ-9).
const region = network.WestEurope

// The VM size and image of the checks' virtual machines.
const (
	vmSize = "Standard_D2s_v5"
	vmURN  = "MicrosoftWindowsDesktop:windows-11:win11-24h2-avd:latest"
)

// adminPassword is a password Azure accepts for a Windows VM.
func adminPassword() secret.Value { return secret.New("Correct-Horse-9-Battery") }

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func addr(s string) netip.Addr  { return netip.MustParseAddr(s) }

// id returns the ID of a resource of type t named name in group.
func (e *env) id(group string, t flex.ResourceType, name string) flex.ResourceID {
	if t == flex.TypeResourceGroup {
		return flex.GroupID(e.sub, name)
	}
	return flex.ResourceID{Subscription: e.sub, ResourceGroup: group, Type: t, Name: name}
}

// meta returns the metadata of a resource the check creates: in region,
// tagged with the tenant and an owner as a Tenant tags its resources.
func (e *env) meta(id flex.ResourceID) flex.Meta {
	return flex.Meta{ID: id, Region: region, Tags: map[string]string{
		flex.TagTenant: e.tenant,
		flex.TagOwner:  "providertest",
	}}
}

// group creates resource group name and returns its ID.
func (e *env) group(name string) flex.ResourceID {
	e.t.Helper()
	id := flex.GroupID(e.sub, name)
	put(e, &flex.ResourceGroup{Meta: e.meta(id)})
	return id
}

// put puts r and ends the check if that fails.
func put[T flex.Resource](e *env, r T) T {
	e.t.Helper()
	got, err := flex.PutAs(e.ctx, e.p, r)
	if err != nil {
		e.t.Fatalf("Put %s: %v", r.Metadata().ID, err)
	}
	return got
}

// putCustomer creates a resource of the customer's through the harness's
// Customer capability, or with Provider.Put, untagged.
func putCustomer[T flex.Resource](e *env, r T) T {
	e.t.Helper()
	r.Metadata().Tags = nil
	var got flex.Resource
	var err error
	if c, ok := e.h.(Customer); ok {
		got, err = c.PutCustomer(e.ctx, r)
	} else {
		got, err = e.p.Put(e.ctx, r)
	}
	if err != nil {
		e.t.Fatalf("Put of the customer's %s: %v", r.Metadata().ID, err)
	}
	t, ok := got.(T)
	if !ok {
		e.t.Fatalf("Put of the customer's %s returned a %T", r.Metadata().ID, got)
	}
	return t
}

// get gets a resource of type T and ends the check if that fails.
func get[T flex.Resource](e *env, id flex.ResourceID) T {
	e.t.Helper()
	got, err := flex.GetAs[T](e.ctx, e.p, id)
	if err != nil {
		e.t.Fatalf("Get %s: %v", id, err)
	}
	return got
}

// list lists and ends the check if that fails.
func (e *env) list(f flex.Filter) []flex.Resource {
	e.t.Helper()
	if f.Subscription == "" {
		f.Subscription = e.sub
	}
	got, err := e.p.List(e.ctx, f)
	if err != nil {
		e.t.Fatalf("List %+v: %v", f, err)
	}
	return got
}

// del deletes and ends the check if that fails.
func (e *env) del(id flex.ResourceID) {
	e.t.Helper()
	if err := e.p.Delete(e.ctx, id); err != nil {
		e.t.Fatalf("Delete %s: %v", id, err)
	}
}

// power powers a VM and ends the check if that fails.
func (e *env) power(vm flex.ResourceID, a flex.PowerAction) {
	e.t.Helper()
	if err := e.p.Power(e.ctx, vm, a); err != nil {
		e.t.Fatalf("Power %s %s: %v", a, vm, err)
	}
}

// lastName returns the last segment of a resource name ("p" of "v/p").
func lastName(id flex.ResourceID) string {
	n := id.Name
	if i := strings.LastIndexByte(n, '/'); i >= 0 {
		n = n[i+1:]
	}
	return n
}

// wantErr fails the check unless err matches kind and its message names
// every one of names (ignoring case). what says what was tried.
func (e *env) wantErr(err, kind error, what string, names ...string) {
	e.t.Helper()
	e.wantErrIn(err, []error{kind}, what, names...)
}

// wantErrIn fails the check unless err matches one of kinds and its
// message names every one of names (ignoring case).
func (e *env) wantErrIn(err error, kinds []error, what string, names ...string) {
	e.t.Helper()
	if err == nil {
		e.t.Errorf("%s: succeeded; want an error of kind %v", what, kinds)
		return
	}
	if !slices.ContainsFunc(kinds, func(k error) bool { return errors.Is(err, k) }) {
		e.t.Errorf("%s: error %q is of kind %v; want %v", what, err, flex.KindOf(err), kinds)
		return
	}
	msg := strings.ToLower(err.Error())
	for _, n := range names {
		if !strings.Contains(msg, strings.ToLower(n)) {
			e.t.Errorf("%s: error %q does not name %q", what, err, n)
		}
	}
}

// wantInvalid fails the check unless putting r is refused with ErrInvalid
// naming r, and nothing is left behind.
func (e *env) wantInvalid(r flex.Resource, what string) {
	e.t.Helper()
	e.wantRefused(r, flex.ErrInvalid, what)
}

// wantRefused fails the check unless putting r is refused with kind,
// naming r; when r did not exist before, it must not exist after.
func (e *env) wantRefused(r flex.Resource, kind error, what string) {
	e.t.Helper()
	id := r.Metadata().ID
	_, before := e.p.Get(e.ctx, id)
	_, err := e.p.Put(e.ctx, r)
	e.wantErr(err, kind, fmt.Sprintf("Put %s (%s)", id, what), lastName(id))
	if err != nil && errors.Is(before, flex.ErrNotFound) {
		if _, after := e.p.Get(e.ctx, id); !errors.Is(after, flex.ErrNotFound) {
			e.t.Errorf("Put %s (%s) was refused but the resource exists now (Get: %v)", id, what, after)
		}
	}
}

// wantAccepted fails the check unless putting r succeeds.
func (e *env) wantAccepted(r flex.Resource, what string) flex.Resource {
	e.t.Helper()
	got, err := e.p.Put(e.ctx, r)
	if err != nil {
		e.t.Errorf("Put %s (%s): %v; want it accepted", r.Metadata().ID, what, err)
	}
	return got
}

// wantGone fails the check unless Get of id is ErrNotFound naming it.
func (e *env) wantGone(id flex.ResourceID, why string) {
	e.t.Helper()
	_, err := e.p.Get(e.ctx, id)
	e.wantErr(err, flex.ErrNotFound, fmt.Sprintf("Get %s %s", id, why), lastName(id))
}

// cmpOpts compare resources: netip values by value, nil and empty slices
// and maps alike (Azure returns [] for none), secrets with Equal.
func cmpOpts() cmp.Options {
	return cmp.Options{
		cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
		cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
		cmpopts.EquateEmpty(),
	}
}

func diff(want, got any) string { return cmp.Diff(want, got, cmpOpts()) }

// expected returns what the cloud should hold after a Put of in: in with
// the fields the cloud assigns taken from got, and what Azure never
// returns left out (a VM's admin password). The provisioning state is
// checked on its own.
func expected(in, got flex.Resource) flex.Resource {
	want := in.Clone()
	want.Metadata().State = got.Metadata().State
	switch w := want.(type) {
	case *flex.NATGateway:
		g := got.(*flex.NATGateway)
		w.PublicIP = g.PublicIP
		if w.IdleTimeoutMinutes == 0 {
			w.IdleTimeoutMinutes = network.DefaultNATIdleTimeout // AZ-4
		}
	case *flex.Peering:
		w.Connected = got.(*flex.Peering).Connected
	case *flex.VPNGateway:
		w.PublicIP = got.(*flex.VPNGateway).PublicIP
		if w.EnableBGP && w.ASN == 0 {
			w.ASN = network.DefaultAzureASN // AZ-5
		}
	case *flex.VPNConnection:
		// Azure does not return the shared key with the connection.
		w.SharedKey = got.(*flex.VPNConnection).SharedKey
	case *flex.VirtualMachine:
		g := got.(*flex.VirtualMachine)
		w.PrivateIP, w.OSDisk, w.PowerState, w.Sessions = g.PrivateIP, g.OSDisk, g.PowerState, g.Sessions
		if w.Generation == 0 {
			w.Generation = g.Generation
		}
		w.AdminPassword = secret.Value{} // Azure never returns it
	case *flex.Disk:
		if w.SizeGiB == 0 {
			w.SizeGiB = got.(*flex.Disk).SizeGiB
		}
	case *flex.Snapshot:
		g := got.(*flex.Snapshot)
		w.Incremental, w.Created = g.Incremental, g.Created
	case *flex.Image:
		// A VHD URL may come back without its SAS; it is not compared.
		w.SourceURL = got.(*flex.Image).SourceURL
	case *flex.Key:
		// Key Vault returns the public part of a key, not what was
		// imported; the material is not compared.
		g := got.(*flex.Key)
		w.Material, w.Version, w.Created = g.Material, g.Version, g.Created
	}
	return want
}

// crud puts r and checks what Put and Get return, that List of its type
// in its group holds it, then deletes it and checks that it is gone. It
// returns what Put returned.
func crud[T flex.Resource](e *env, r T) T {
	e.t.Helper()
	got := e.putAndCheck(r).(T)
	e.deleteAndCheck(got.Metadata().ID)
	return got
}

// putAndCheck puts r and checks that Put returns r with the fields the
// cloud assigns, provisioning state Succeeded (AZ-8), that Get returns
// the same and that List of its type in its group holds it.
func (e *env) putAndCheck(r flex.Resource) flex.Resource {
	e.t.Helper()
	id := r.Metadata().ID
	got, err := e.p.Put(e.ctx, r)
	if err != nil {
		e.t.Fatalf("Put %s: %v", id, err)
	}
	if d := diff(expected(r, got), got); d != "" {
		e.t.Errorf("Put %s returned (-want +got):\n%s", id, d)
	}
	if s := got.Metadata().State; s != flex.Succeeded {
		e.t.Errorf("Put %s: provisioning state %q; want %q (AZ-8)", id, s, flex.Succeeded)
	}
	back, err := e.p.Get(e.ctx, id)
	if err != nil {
		e.t.Fatalf("Get %s after Put: %v", id, err)
	}
	if d := diff(got, back); d != "" {
		e.t.Errorf("Get %s after Put (-put +get):\n%s", id, d)
	}
	f := flex.Filter{Type: id.Type}
	if id.Type != flex.TypeResourceGroup {
		f.ResourceGroup = id.ResourceGroup
	}
	if !slices.ContainsFunc(e.list(f), func(x flex.Resource) bool { return x.Metadata().ID == got.Metadata().ID }) {
		e.t.Errorf("List %+v does not hold %s after Put", f, id)
	}
	return got
}

// deleteAndCheck deletes id and checks that Get is then ErrNotFound and
// that List of its type in its group no longer holds it.
func (e *env) deleteAndCheck(id flex.ResourceID) {
	e.t.Helper()
	e.del(id)
	e.wantGone(id, "after Delete")
	f := flex.Filter{Type: id.Type}
	if id.Type != flex.TypeResourceGroup {
		f.ResourceGroup = id.ResourceGroup
	}
	for _, x := range e.list(f) {
		if sameID(x.Metadata().ID, id) {
			e.t.Errorf("List %+v holds %s after Delete", f, id)
		}
	}
}

// sameID reports whether a and b name the same resource; ARM names ignore
// case.
func sameID(a, b flex.ResourceID) bool {
	return strings.EqualFold(a.String(), b.String())
}

// Fixtures.

func subnet(name, prefix string) flex.Subnet { return flex.Subnet{Name: name, Prefix: pfx(prefix)} }

// vnet returns a virtual network in group with one address range.
func (e *env) vnet(group, name, space string, subnets ...flex.Subnet) *flex.VirtualNetwork {
	return &flex.VirtualNetwork{
		Meta:         e.meta(e.id(group, flex.TypeVirtualNetwork, name)),
		AddressSpace: []netip.Prefix{pfx(space)},
		Subnets:      subnets,
	}
}

// vm returns a Windows VM from a marketplace image in a subnet of vnet,
// in vnet's group, with a computer name of its own.
func (e *env) vm(name string, vnet flex.ResourceID, subnet string) *flex.VirtualMachine {
	computer := name
	if len(computer) > 15 {
		computer = computer[:15]
	}
	return &flex.VirtualMachine{
		Meta:          e.meta(e.id(vnet.ResourceGroup, flex.TypeVirtualMachine, name)),
		Size:          vmSize,
		ComputerName:  strings.TrimRight(computer, "-"),
		Image:         flex.ImageRef{URN: vmURN},
		Generation:    image.Gen2,
		Network:       vnet,
		Subnet:        subnet,
		AdminUsername: "flexadmin",
		AdminPassword: adminPassword(),
	}
}

// nsgRule returns a valid rule allowing HTTPS.
func nsgRule(name string, priority int, d network.Direction) network.SecurityRule {
	return network.SecurityRule{
		Name:             name,
		Priority:         priority,
		Direction:        d,
		Access:           network.Allow,
		Protocol:         network.TCP,
		Sources:          []network.Address{network.TagAddress(network.TagVirtualNetwork)},
		SourcePorts:      []network.PortRange{network.AnyPort()},
		Destinations:     []network.Address{network.PrefixAddress(pfx("10.10.1.0/24"))},
		DestinationPorts: []network.PortRange{network.Port(443)},
	}
}

// nsg returns a network security group in group with rules.
func (e *env) nsg(group, name string, rules ...network.SecurityRule) *flex.SecurityGroup {
	return &flex.SecurityGroup{Meta: e.meta(e.id(group, flex.TypeSecurityGroup, name)), Rules: rules}
}

// base is the landscape most checks start from: a resource group with a
// VNet of two subnets, "machines" and GatewaySubnet.
type base struct {
	group flex.ResourceID
	vnet  flex.ResourceID
}

const (
	baseGroup   = "rg-pt"
	baseVNet    = "vnet-pt"
	baseSpace   = "10.10.0.0/16"
	machines    = "machines"
	machinesNet = "10.10.1.0/24"
	gatewayNet  = "10.10.255.0/27"
)

// gatewaySubnet is the name Azure requires for a VPN gateway's subnet
// (AZ-1, AZ-5).
const gatewaySubnet = "GatewaySubnet"

func (e *env) base() base {
	e.t.Helper()
	g := e.group(baseGroup)
	v := put(e, e.vnet(baseGroup, baseVNet, baseSpace, subnet(machines, machinesNet), subnet(gatewaySubnet, gatewayNet)))
	return base{group: g, vnet: v.ID}
}

// newVM creates a VM in the base VNet's machines subnet.
func (e *env) newVM(b base, name string) *flex.VirtualMachine {
	e.t.Helper()
	return put(e, e.vm(name, b.vnet, machines))
}

// now returns the time the cloud reads: the harness's Clock, or the real
// time.
func (e *env) now() time.Time {
	if c, ok := e.h.(Clock); ok {
		return c.Now()
	}
	return time.Now()
}

// wantTime fails the check unless got, a time the cloud set during a call
// that started at before, lies between before and now, with a second's
// slack (Azure keeps seconds; a manual clock stands still).
func (e *env) wantTime(what string, got, before time.Time) {
	e.t.Helper()
	after := e.now()
	if got.IsZero() || got.Before(before.Add(-time.Second)) || got.After(after.Add(time.Second)) {
		e.t.Errorf("%s is %v; want a time between %v and %v", what, got, before, after)
	}
}

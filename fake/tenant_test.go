package fake_test

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

func TestMON1Sessions(t *testing.T) {
	c, _ := newCloud(t)
	network10(t, c)
	multi := vm("pc-1", "v", "a")
	multi.Tags[flex.TagSessionLimit] = "2"
	multi = mustPut(t, c, multi)
	single := mustPut(t, c, vm("pc-2", "v", "a"))

	sessions := func(i flex.ResourceID) int {
		v, _ := flex.GetAs[*flex.VirtualMachine](ctx, c, i)
		return v.Sessions
	}
	t.Run("MON-1 users per machine", func(t *testing.T) {
		wantKind(t, c.StartSession(multi.ID, "alice"), nil)
		wantKind(t, c.StartSession(multi.ID, "ALICE"), nil) // reconnects
		wantKind(t, c.StartSession(multi.ID, "bob"), nil)
		err := c.StartSession(multi.ID, "carol")
		wantRule(t, err, flex.ErrLimit, "MON-1")
		if n := sessions(multi.ID); n != 2 {
			t.Errorf("Sessions = %d, want 2", n)
		}
		wantKind(t, c.StartSession(single.ID, "carol"), nil)
		wantRule(t, c.StartSession(single.ID, "dave"), flex.ErrLimit, "MON-1") // no tag: one user
		if d := diff([]string{"alice", "bob"}, c.SessionUsers(multi.ID)); d != "" {
			t.Errorf("users (-want +got):\n%s", d)
		}
	})
	t.Run("MON-1 maintenance mode stops new sessions, existing ones continue", func(t *testing.T) {
		wantKind(t, c.EndSession(multi.ID, "bob"), nil)
		m := multi.Clone().(*flex.VirtualMachine)
		m.Tags[flex.TagMaintenance] = "on"
		mustPut(t, c, m)
		wantRule(t, c.StartSession(multi.ID, "erin"), flex.ErrPrecondition, "CAT-8")
		wantKind(t, c.StartSession(multi.ID, "alice"), nil) // her session goes on
		if n := sessions(multi.ID); n != 1 {
			t.Errorf("Sessions in maintenance = %d, want 1", n)
		}
		m.Tags[flex.TagMaintenance] = "off"
		mustPut(t, c, m)
		wantKind(t, c.StartSession(multi.ID, "erin"), nil)
	})
	t.Run("MON-1 sessions need a running machine and end with it", func(t *testing.T) {
		wantKind(t, c.Power(ctx, multi.ID, flex.PowerOff), nil)
		if n := sessions(multi.ID); n != 0 {
			t.Errorf("Sessions after power off = %d", n)
		}
		wantRule(t, c.StartSession(multi.ID, "alice"), flex.ErrPrecondition, "MON-1")
		wantKind(t, c.Power(ctx, multi.ID, flex.Start), nil)
		wantKind(t, c.StartSession(multi.ID, "alice"), nil)
		wantKind(t, c.Power(ctx, multi.ID, flex.Restart), nil)
		if n := sessions(multi.ID); n != 0 {
			t.Errorf("Sessions after restart = %d", n)
		}
	})
	t.Run("MON-1 ending sessions", func(t *testing.T) {
		wantKind(t, c.EndSession(multi.ID, "nobody"), flex.ErrNotFound)
		wantKind(t, c.StartSession(id(flex.TypeVirtualMachine, "nope"), "alice"), flex.ErrNotFound)
		wantKind(t, c.StartSession(multi.ID, ""), flex.ErrInvalid)
		bad := single.Clone().(*flex.VirtualMachine)
		bad.Tags[flex.TagSessionLimit] = "many"
		mustPut(t, c, bad)
		wantKind(t, c.EndSession(single.ID, "carol"), nil)
		wantRule(t, c.StartSession(single.ID, "carol"), flex.ErrInvalid, "MON-1")
	})
	t.Run("MON-1 Put ignores Sessions", func(t *testing.T) {
		wantKind(t, c.StartSession(multi.ID, "alice"), nil)
		m, _ := flex.GetAs[*flex.VirtualMachine](ctx, c, multi.ID)
		m.Sessions = 40
		if got := mustPut(t, c, m); got.Sessions != 1 {
			t.Errorf("Sessions after a Put = %d, want 1", got.Sessions)
		}
	})
}

// tenantNet puts, through p, tenant's resource group, VNet and one VM, all
// tagged for the tenant.
func tenantNet(t *testing.T, p flex.Provider, tenant, group, space string) *flex.VirtualMachine {
	t.Helper()
	tags := func() map[string]string { return map[string]string{flex.TagTenant: tenant, flex.TagOwner: "catalog/x"} }
	mustPut(t, p, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(sub, group), Region: region, Tags: tags()}})
	v := &flex.VirtualNetwork{Meta: flex.Meta{ID: idIn(group, flex.TypeVirtualNetwork, "v"), Region: region, Tags: tags()},
		AddressSpace: []netip.Prefix{pfx(space)}, Subnets: []flex.Subnet{subnet("a", space)}}
	mustPut(t, p, v)
	m := vm("pc-1", "v", "a")
	m.ID.ResourceGroup, m.Network.ResourceGroup, m.Tags = group, group, tags()
	return mustPut(t, p, m)
}

func TestSEC2TenantsAreIsolated(t *testing.T) {
	c, _ := newCloud(t) // group rg is the customer's, untagged
	customer := mustPut(t, c, vnet("customer", "10.50.0.0/16", subnet("dc", "10.50.0.0/24")))
	a, b := c.Scope("tenant-a"), c.Scope("tenant-b")
	vmA := tenantNet(t, a, "tenant-a", "flex-a", "10.1.0.0/24")
	vmB := tenantNet(t, b, "tenant-b", "flex-b", "10.1.0.0/24") // the same ranges: they never meet

	t.Run("SEC-2 a tenant sees its own and the customer's resources", func(t *testing.T) {
		var names []string
		for _, r := range a.Resources(flex.Filter{}) {
			names = append(names, r.Metadata().ID.ResourceGroup+"/"+r.Metadata().ID.Name)
		}
		want := []string{"/flex-a", "flex-a/pc-1-osdisk", "flex-a/pc-1", "flex-a/v", "/rg", "rg/customer"}
		if d := diff(want, names); d != "" {
			t.Errorf("tenant-a sees (-want +got):\n%s", d)
		}
		listed, err := b.List(ctx, flex.Filter{Subscription: sub, Type: flex.TypeVirtualMachine})
		wantKind(t, err, nil)
		if len(listed) != 1 || !sameIDs(listed[0].Metadata().ID, vmB.ID) {
			t.Errorf("tenant-b lists %v", listed)
		}
		if _, err := a.Get(ctx, customer.ID); err != nil {
			t.Errorf("tenant-a cannot read the customer VNet: %v", err)
		}
	})
	t.Run("SEC-2 another tenant's resources do not exist", func(t *testing.T) {
		_, errMissing := b.Get(ctx, idIn("flex-a", flex.TypeVirtualMachine, "no-such-vm"))
		_, errHidden := b.Get(ctx, vmA.ID)
		wantKind(t, errHidden, flex.ErrNotFound)
		if strings.Replace(errHidden.Error(), "pc-1", "no-such-vm", -1) != errMissing.Error() {
			t.Errorf("a hidden resource answers differently from a missing one:\n%v\n%v", errHidden, errMissing)
		}
		wantKind(t, b.Power(ctx, vmA.ID, flex.PowerOff), flex.ErrNotFound)
		wantKind(t, b.StartSession(vmA.ID, "mallory"), flex.ErrNotFound)
		_, err := b.GrantDiskAccess(ctx, vmA.OSDisk, 1)
		wantKind(t, err, flex.ErrNotFound)
		wantKind(t, b.RestoreSnapshot(ctx, vmA.ID, idIn("flex-a", flex.TypeSnapshot, "s")), flex.ErrNotFound)
		wantKind(t, b.Delete(ctx, vmA.ID), nil) // as for a missing resource …
		wantKind(t, b.Delete(ctx, flex.GroupID(sub, "flex-a")), nil)
		if _, err := a.Get(ctx, vmA.ID); err != nil { // … and nothing happened
			t.Errorf("tenant-b's delete touched tenant-a's VM: %v", err)
		}
		// A Put into tenant-a's group: the group does not exist for tenant-b.
		m := vm("intruder", "v", "a")
		m.ID.ResourceGroup, m.Network.ResourceGroup = "flex-a", "flex-a"
		m.Tags[flex.TagTenant] = "tenant-b"
		_, err = b.Put(ctx, m)
		wantCode(t, err, flex.ErrNotFound, "ResourceGroupNotFound")
		// References to another tenant's resources do not resolve either.
		p := &flex.Peering{Meta: flex.Meta{ID: idIn("flex-b", flex.TypePeering, "v/to-a"), Tags: map[string]string{flex.TagTenant: "tenant-b"}},
			Remote: idIn("flex-a", flex.TypeVirtualNetwork, "v")}
		_, err = b.Put(ctx, p)
		wantKind(t, err, flex.ErrNotFound)
		// Both tenants use 10.1.0.0/24: the cloud cannot tell which flow is
		// meant, each tenant's view can.
		_, err = c.Allowed(vmA.PrivateIP, addr("10.1.0.5"), network.TCP, 3389)
		wantKind(t, err, flex.ErrInvalid)
		d, err := b.Allowed(vmB.PrivateIP, addr("10.1.0.5"), network.TCP, 3389)
		if err != nil || !d.Allowed() {
			t.Errorf("tenant-b's flow check inside its VNet without NSG: %v, %v", d, err)
		}
	})
	t.Run("SEC-2 a tenant puts only what carries its tag", func(t *testing.T) {
		r := vnet("untagged", "10.2.0.0/24")
		r.ID.ResourceGroup = "flex-a"
		_, err := a.Put(ctx, r)
		wantRule(t, err, flex.ErrInvalid, "SEC-2")
		r.Tags[flex.TagTenant] = "tenant-b"
		_, err = a.Put(ctx, r)
		wantRule(t, err, flex.ErrInvalid, "SEC-2")
		r.Tags[flex.TagTenant] = "tenant-a"
		mustPut(t, a, r)
	})
	t.Run("SEC-2 a tenant does not change the customer's resources", func(t *testing.T) {
		tagged := customer.Clone().(*flex.VirtualNetwork)
		tagged.Tags[flex.TagTenant] = "tenant-a"
		_, err := a.Put(ctx, tagged)
		wantRule(t, err, flex.ErrPrecondition, "SEC-2")
		wantRule(t, a.Delete(ctx, customer.ID), flex.ErrPrecondition, "SEC-2")
		// but it may peer with it: the peering is its own.
		p := &flex.Peering{Meta: flex.Meta{ID: id(flex.TypePeering, "customer/to-flex-a"), Tags: map[string]string{flex.TagTenant: "tenant-a"}},
			Remote: idIn("flex-a", flex.TypeVirtualNetwork, "v")}
		mustPut(t, a, p)
		if _, err := b.Get(ctx, p.ID); !errorsIsNotFound(err) {
			t.Errorf("tenant-b sees tenant-a's peering on the customer VNet: %v", err)
		}
	})
	t.Run("SEC-2 a name another tenant holds is taken", func(t *testing.T) {
		n := &flex.SecurityGroup{Meta: flex.Meta{ID: id(flex.TypeSecurityGroup, "shared-name"), Region: region, Tags: map[string]string{flex.TagTenant: "tenant-a"}}}
		mustPut(t, a, n)
		n.Tags[flex.TagTenant] = "tenant-b"
		_, err := b.Put(ctx, n)
		wantKind(t, err, flex.ErrConflict)
		if strings.Contains(err.Error(), "tenant-a") {
			t.Errorf("the conflict names the other tenant: %v", err)
		}
	})
	t.Run("SEC-2 an empty tenant changes nothing", func(t *testing.T) {
		e := c.Scope("")
		if len(e.Resources(flex.Filter{Type: flex.TypeVirtualMachine})) != 0 {
			t.Errorf("the empty tenant sees tenants' VMs")
		}
		_, err := e.Put(ctx, vnet("x", "10.3.0.0/24"))
		wantRule(t, err, flex.ErrInvalid, "SEC-2")
	})
}

func errorsIsNotFound(err error) bool { return flex.KindOf(err) == flex.ErrNotFound }

func TestSEC2ManyTenantsConcurrently(t *testing.T) {
	c := fake.New()
	const tenants, machines = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, tenants)
	for i := range tenants {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("tenant-%d", i)
			p := c.Scope(name)
			group := "flex-" + name
			tags := map[string]string{flex.TagTenant: name}
			if _, err := p.Put(ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(sub, group), Region: region, Tags: tags}}); err != nil {
				errs <- err
				return
			}
			v := &flex.VirtualNetwork{Meta: flex.Meta{ID: idIn(group, flex.TypeVirtualNetwork, "v"), Region: region, Tags: tags},
				AddressSpace: []netip.Prefix{pfx("10.0.0.0/24")}, Subnets: []flex.Subnet{subnet("a", "10.0.0.0/24")}}
			if _, err := p.Put(ctx, v); err != nil {
				errs <- err
				return
			}
			for j := range machines {
				m := vm(fmt.Sprintf("pc-%d", j), "v", "a")
				m.ID.ResourceGroup, m.Network.ResourceGroup, m.Tags = group, group, tags
				if _, err := p.Put(ctx, m); err != nil {
					errs <- err
					return
				}
			}
			got, err := p.List(ctx, flex.Filter{Subscription: sub})
			if err != nil {
				errs <- err
				return
			}
			for _, r := range got {
				if r.Metadata().Tags[flex.TagTenant] != name {
					errs <- fmt.Errorf("%s sees %s", name, r.Metadata().ID)
					return
				}
			}
			if len(got) != 2+2*machines {
				errs <- fmt.Errorf("%s lists %d resources, want %d", name, len(got), 2+2*machines)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := c.Count(flex.Filter{})[flex.TypeVirtualMachine]; n != tenants*machines {
		t.Errorf("%d VMs in the cloud, want %d", n, tenants*machines)
	}
	_ = rule.IDs
}

func TestSEC2ViewActsOnItsOwn(t *testing.T) {
	c, _ := newCloud(t)
	a := c.Scope("tenant-a")
	if a.Tenant() != "tenant-a" {
		t.Errorf("Tenant() = %q", a.Tenant())
	}
	tags := map[string]string{flex.TagTenant: "tenant-a"}
	m := tenantNet(t, a, "tenant-a", "flex-a", "10.1.0.0/24")
	wantKind(t, a.StartSession(m.ID, "alice"), nil)
	wantKind(t, a.EndSession(m.ID, "alice"), nil)
	d, err := a.CheckFlow(network.Flow{Protocol: network.TCP, Source: m.PrivateIP, Destination: addr("10.1.0.9"), DestinationPort: 443})
	if err != nil || !d.Allowed() {
		t.Errorf("CheckFlow in a VNet without NSG: %v, %v", d, err)
	}
	wantKind(t, a.Power(ctx, m.ID, flex.PowerOff), nil)
	snap := mustPut(t, a, &flex.Snapshot{Meta: flex.Meta{ID: idIn("flex-a", flex.TypeSnapshot, "s"), Region: region, Tags: tags}, Source: m.OSDisk})
	wantKind(t, a.RestoreSnapshot(ctx, m.ID, snap.ID), nil)
	wantKind(t, a.Power(ctx, m.ID, flex.Deallocate), nil)
	m = mustGet[*flex.VirtualMachine](t, a, m.ID)
	if _, err := a.GrantDiskAccess(ctx, m.OSDisk, time.Hour); err != nil {
		t.Errorf("GrantDiskAccess: %v", err)
	}
	k := mustPut(t, a, &flex.Key{Meta: flex.Meta{ID: idIn("flex-a", flex.TypeKey, "vault-a/cmk"), Region: region, Tags: tags}})
	if r, err := a.RotateKey(ctx, k.ID); err != nil || r.Version == k.Version {
		t.Errorf("RotateKey: %v", err)
	}
	vn := mustGet[*flex.VirtualNetwork](t, a, m.Network)
	vn.AddressSpace = append(vn.AddressSpace, pfx("10.1.255.0/27"))
	vn.Subnets = append(vn.Subnets, subnet(fake.GatewaySubnet, "10.1.255.0/27"))
	mustPut(t, a, vn)
	g := mustPut(t, a, &flex.VPNGateway{Meta: flex.Meta{ID: idIn("flex-a", flex.TypeVPNGateway, "gw"), Region: region, Tags: tags}, VirtualNetwork: vn.ID, SKU: "VpnGw1"})
	wantKind(t, a.ResetVPNGateway(ctx, g.ID), nil)
	wantKind(t, c.Scope("tenant-b").ResetVPNGateway(ctx, g.ID), flex.ErrNotFound)
	if a.ErrorAs(err, new(*flex.Error)) {
		t.Errorf("ErrorAs found a native error")
	}
	_, err = a.List(ctx, flex.Filter{})
	wantKind(t, err, flex.ErrInvalid)
	wantKind(t, a.Delete(ctx, flex.GroupID(sub, "flex-a")), nil)
	if n := len(a.Resources(flex.Filter{ResourceGroup: "flex-a"})); n != 0 {
		t.Errorf("%d resources left in the deleted group", n)
	}
}

package fake_test

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/ipam"
	"pgregory.net/rapid"
)

// The state-machine test drives the cloud with random Puts and Deletes of
// resource groups, VNets (with subnets and NSG references), NSGs and VMs,
// and predicts every outcome with a simple model: the error kind of each
// call, and the address each new VM gets (the lowest free one of its
// subnet after Azure's five reserved). After every step the cloud must
// hold exactly what the model holds.
//
// Invariants checked after every step: the resources of each type are the
// model's; every VM has the model's address, inside its subnet and not
// reserved; no two VMs of a VNet share an address; the subnets of a VNet
// never overlap and lie in its address space; every OS disk belongs to a
// VM and every VM has its disk; a deleted group leaves nothing behind.

type gkey struct{ group, name string }

type mSubnet struct {
	name   string
	prefix netip.Prefix
	nsg    string // NSG name in the same group, or ""
}

type mVM struct {
	vnet, subnet string
	ip           netip.Addr
}

type model struct {
	groups map[string]bool
	vnets  map[gkey][]mSubnet
	spaces map[gkey]netip.Prefix
	nsgs   map[gkey]bool
	vms    map[gkey]mVM
}

var (
	smGroups  = []string{"g1", "g2"}
	smVNets   = []string{"v0", "v1"}
	smNSGs    = []string{"n0", "n1"}
	smVMs     = []string{"m0", "m1", "m2", "m3", "m4", "m5"}
	smSpaces  = []string{"10.0.0.0/16", "10.0.0.0/24", "10.1.0.0/16"}
	smSubnets = []string{"10.0.0.0/29", "10.0.0.8/29", "10.0.0.0/28", "10.0.0.0/24", "10.0.1.0/29", "10.1.0.0/29", "10.1.0.0/24", "10.0.0.16/30"}
	smNames   = []string{"s0", "s1", "S0", "s2"}
)

func rid(g string, t flex.ResourceType, name string) flex.ResourceID {
	if t == flex.TypeResourceGroup {
		return flex.GroupID(sub, g)
	}
	return flex.ResourceID{Subscription: sub, ResourceGroup: g, Type: t, Name: name}
}

// outcome returns the error kind err has, for comparison with the model.
func outcome(err error) error {
	if err == nil {
		return nil
	}
	if k := flex.KindOf(err); k != nil {
		return k
	}
	return err
}

func (m *model) subnetsUsed(g, vnet, subnet string) []netip.Addr {
	var ips []netip.Addr
	for k, v := range m.vms {
		if k.group == g && v.vnet == vnet && strings.EqualFold(v.subnet, subnet) {
			ips = append(ips, v.ip)
		}
	}
	return ips
}

// lowestFree returns the lowest address of p Azure leaves for VMs that is
// not in used, by brute force.
func lowestFree(p netip.Prefix, used []netip.Addr) (netip.Addr, bool) {
	if ipam.Usable(p) == 0 {
		return netip.Addr{}, false
	}
	a := p.Addr().Next().Next().Next().Next()
	for p.Contains(a.Next()) { // the last address is reserved
		if !slices.Contains(used, a) {
			return a, true
		}
		a = a.Next()
	}
	return netip.Addr{}, false
}

func TestStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := fake.New()
		m := &model{groups: map[string]bool{}, vnets: map[gkey][]mSubnet{}, spaces: map[gkey]netip.Prefix{}, nsgs: map[gkey]bool{}, vms: map[gkey]mVM{}}
		expect := func(op string, got, want error) {
			if outcome(got) != want {
				t.Fatalf("%s: got %v, want kind %v", op, got, want)
			}
		}
		t.Repeat(map[string]func(*rapid.T){
			"PutGroup": func(t *rapid.T) {
				g := rapid.SampledFrom(smGroups).Draw(t, "group")
				_, err := c.Put(ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: rid(g, flex.TypeResourceGroup, ""), Region: region}})
				expect("PutGroup "+g, err, nil)
				m.groups[g] = true
			},
			"DeleteGroup": func(t *rapid.T) {
				g := rapid.SampledFrom(smGroups).Draw(t, "group")
				expect("DeleteGroup "+g, c.Delete(ctx, rid(g, flex.TypeResourceGroup, "")), nil)
				delete(m.groups, g)
				for _, mp := range []map[gkey]bool{m.nsgs} {
					for k := range mp {
						if k.group == g {
							delete(mp, k)
						}
					}
				}
				for k := range m.vnets {
					if k.group == g {
						delete(m.vnets, k)
						delete(m.spaces, k)
					}
				}
				for k := range m.vms {
					if k.group == g {
						delete(m.vms, k)
					}
				}
			},
			"PutNSG": func(t *rapid.T) {
				k := gkey{rapid.SampledFrom(smGroups).Draw(t, "group"), rapid.SampledFrom(smNSGs).Draw(t, "nsg")}
				_, err := c.Put(ctx, &flex.SecurityGroup{Meta: flex.Meta{ID: rid(k.group, flex.TypeSecurityGroup, k.name), Region: region}})
				if !m.groups[k.group] {
					expect("PutNSG", err, flex.ErrNotFound)
					return
				}
				expect("PutNSG", err, nil)
				m.nsgs[k] = true
			},
			"DeleteNSG": func(t *rapid.T) {
				k := gkey{rapid.SampledFrom(smGroups).Draw(t, "group"), rapid.SampledFrom(smNSGs).Draw(t, "nsg")}
				err := c.Delete(ctx, rid(k.group, flex.TypeSecurityGroup, k.name))
				inUse := false
				for vk, subnets := range m.vnets {
					for _, s := range subnets {
						inUse = inUse || (vk.group == k.group && s.nsg == k.name)
					}
				}
				if m.nsgs[k] && inUse {
					expect("DeleteNSG", err, flex.ErrConflict) // RULE AZ-1
					return
				}
				expect("DeleteNSG", err, nil)
				delete(m.nsgs, k)
			},
			"PutVNet": func(t *rapid.T) {
				k := gkey{rapid.SampledFrom(smGroups).Draw(t, "group"), rapid.SampledFrom(smVNets).Draw(t, "vnet")}
				space := pfx(rapid.SampledFrom(smSpaces).Draw(t, "space"))
				n := rapid.IntRange(0, 3).Draw(t, "subnets")
				var subnets []mSubnet
				var fs []flex.Subnet
				for i := range n {
					s := mSubnet{
						name:   rapid.SampledFrom(smNames).Draw(t, fmt.Sprintf("name%d", i)),
						prefix: pfx(rapid.SampledFrom(smSubnets).Draw(t, fmt.Sprintf("prefix%d", i))),
					}
					if rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("hasNSG%d", i)) == 0 {
						s.nsg = rapid.SampledFrom(smNSGs).Draw(t, fmt.Sprintf("nsg%d", i))
					}
					subnets = append(subnets, s)
					f := flex.Subnet{Name: s.name, Prefix: s.prefix}
					if s.nsg != "" {
						f.SecurityGroup = rid(k.group, flex.TypeSecurityGroup, s.nsg)
					}
					fs = append(fs, f)
				}
				_, err := c.Put(ctx, &flex.VirtualNetwork{Meta: flex.Meta{ID: rid(k.group, flex.TypeVirtualNetwork, k.name), Region: region},
					AddressSpace: []netip.Prefix{space}, Subnets: fs})
				want := m.putVNet(k, space, subnets)
				expect(fmt.Sprintf("PutVNet %v %v %v", k, space, subnets), err, want)
				if want == nil {
					m.vnets[k], m.spaces[k] = subnets, space
				}
			},
			"DeleteVNet": func(t *rapid.T) {
				k := gkey{rapid.SampledFrom(smGroups).Draw(t, "group"), rapid.SampledFrom(smVNets).Draw(t, "vnet")}
				err := c.Delete(ctx, rid(k.group, flex.TypeVirtualNetwork, k.name))
				for vk, v := range m.vms {
					if vk.group == k.group && v.vnet == k.name {
						expect("DeleteVNet", err, flex.ErrConflict) // RULE AZ-1
						return
					}
				}
				expect("DeleteVNet", err, nil)
				delete(m.vnets, k)
				delete(m.spaces, k)
			},
			"PutVM": func(t *rapid.T) {
				k := gkey{rapid.SampledFrom(smGroups).Draw(t, "group"), rapid.SampledFrom(smVMs).Draw(t, "vm")}
				vnetName := rapid.SampledFrom(smVNets).Draw(t, "vnet")
				subnetName := rapid.SampledFrom(smNames).Draw(t, "subnet")
				// Mostly aim at a subnet that exists, so that subnets fill up
				// and addresses are freed and taken again.
				if vk := sortedKeys(m.vnets); len(vk) > 0 && rapid.IntRange(0, 3).Draw(t, "aim") > 0 {
					target := rapid.SampledFrom(vk).Draw(t, "target")
					k.group, vnetName = target.group, target.name
					if subnets := m.vnets[target]; len(subnets) > 0 {
						subnetName = rapid.SampledFrom(subnets).Draw(t, "targetSubnet").name
					}
				}
				v := vm(k.name, vnetName, subnetName)
				v.ID.ResourceGroup, v.Network.ResourceGroup = k.group, k.group
				got, err := c.Put(ctx, v)
				ip, want := m.putVM(k, vnetName, subnetName)
				expect(fmt.Sprintf("PutVM %v in %s/%s", k, vnetName, subnetName), err, want)
				if want != nil {
					return
				}
				if g := got.(*flex.VirtualMachine).PrivateIP; g != ip {
					t.Fatalf("PutVM %v: address %v, want the lowest free %v", k, g, ip)
				}
				m.vms[k] = mVM{vnet: vnetName, subnet: subnetName, ip: ip}
			},
			"DeleteVM": func(t *rapid.T) {
				k := gkey{rapid.SampledFrom(smGroups).Draw(t, "group"), rapid.SampledFrom(smVMs).Draw(t, "vm")}
				if vk := sortedKeys(m.vms); len(vk) > 0 && rapid.Bool().Draw(t, "existing") {
					k = rapid.SampledFrom(vk).Draw(t, "target")
				}
				expect("DeleteVM", c.Delete(ctx, rid(k.group, flex.TypeVirtualMachine, k.name)), nil)
				delete(m.vms, k)
			},
			"": func(t *rapid.T) { m.check(t, c) },
		})
	})
}

// putVNet predicts the kind of error a VNet Put gives, in the cloud's
// order: invalid (400), missing reference (404), in use (409).
func (m *model) putVNet(k gkey, space netip.Prefix, subnets []mSubnet) error {
	if !m.groups[k.group] {
		return flex.ErrNotFound
	}
	for i, s := range subnets {
		if s.prefix.Bits() > 29 || !(space.Bits() <= s.prefix.Bits() && space.Contains(s.prefix.Addr())) {
			return flex.ErrInvalid // RULE AZ-1
		}
		for _, o := range subnets[:i] {
			if o.prefix.Overlaps(s.prefix) || strings.EqualFold(o.name, s.name) {
				return flex.ErrInvalid // RULE AZ-1
			}
		}
	}
	for _, s := range subnets {
		if s.nsg != "" && !m.nsgs[gkey{k.group, s.nsg}] {
			return flex.ErrNotFound
		}
	}
	for _, old := range m.vnets[k] {
		if len(m.subnetsUsed(k.group, k.name, old.name)) == 0 {
			continue
		}
		i := slices.IndexFunc(subnets, func(s mSubnet) bool { return strings.EqualFold(s.name, old.name) })
		if i < 0 || subnets[i].prefix != old.prefix {
			return flex.ErrConflict
		}
	}
	return nil
}

// putVM predicts a VM Put: its error kind and, for a new VM, its address.
func (m *model) putVM(k gkey, vnetName, subnetName string) (netip.Addr, error) {
	if !m.groups[k.group] {
		return netip.Addr{}, flex.ErrNotFound
	}
	if old, ok := m.vms[k]; ok {
		if old.vnet != vnetName || !strings.EqualFold(old.subnet, subnetName) {
			return netip.Addr{}, flex.ErrConflict
		}
		return old.ip, nil
	}
	subnets, ok := m.vnets[gkey{k.group, vnetName}]
	if !ok {
		return netip.Addr{}, flex.ErrNotFound
	}
	i := slices.IndexFunc(subnets, func(s mSubnet) bool { return strings.EqualFold(s.name, subnetName) })
	if i < 0 {
		return netip.Addr{}, flex.ErrNotFound
	}
	ip, ok := lowestFree(subnets[i].prefix, m.subnetsUsed(k.group, vnetName, subnetName))
	if !ok {
		return netip.Addr{}, flex.ErrConflict // SubnetIsFull
	}
	return ip, nil
}

func (m *model) check(t *rapid.T, c *fake.Cloud) {
	names := func(typ flex.ResourceType) []string {
		var out []string
		for _, r := range c.Resources(flex.Filter{Type: typ}) {
			out = append(out, strings.ToLower(r.Metadata().ID.ResourceGroup+"/"+r.Metadata().ID.Name))
		}
		return out
	}
	want := func(keys []gkey, suffix string) []string {
		var out []string
		for _, k := range keys {
			out = append(out, strings.ToLower(k.group+"/"+k.name+suffix))
		}
		slices.Sort(out)
		return out
	}
	var groups []string
	for g := range m.groups {
		groups = append(groups, "/"+g)
	}
	slices.Sort(groups)
	if d := diff(groups, names(flex.TypeResourceGroup)); d != "" {
		t.Fatalf("groups (-model +cloud):\n%s", d)
	}
	vmKeys := keys(m.vms)
	for _, check := range []struct {
		typ  flex.ResourceType
		want []string
	}{
		{flex.TypeVirtualNetwork, want(keys(m.vnets), "")},
		{flex.TypeSecurityGroup, want(keys(m.nsgs), "")},
		{flex.TypeVirtualMachine, want(vmKeys, "")},
		{flex.TypeDisk, want(vmKeys, "-osdisk")}, // every VM has its disk, no disk is orphaned
	} {
		if d := diff(check.want, names(check.typ)); d != "" {
			t.Fatalf("%s (-model +cloud):\n%s", check.typ, d)
		}
	}
	used := map[string]string{}
	for _, r := range c.Resources(flex.Filter{Type: flex.TypeVirtualMachine}) {
		v := r.(*flex.VirtualMachine)
		mv := m.vms[gkey{v.ID.ResourceGroup, v.ID.Name}]
		if v.PrivateIP != mv.ip {
			t.Fatalf("VM %s has %v, model %v", v.ID.Name, v.PrivateIP, mv.ip)
		}
		key := strings.ToLower(v.Network.String()) + " " + v.PrivateIP.String()
		if other, ok := used[key]; ok {
			t.Fatalf("VMs %s and %s share %s", other, v.ID.Name, key)
		}
		used[key] = v.ID.Name
	}
	for _, r := range c.Resources(flex.Filter{Type: flex.TypeVirtualNetwork}) {
		v := r.(*flex.VirtualNetwork)
		for i, s := range v.Subnets {
			if !(v.AddressSpace[0].Bits() <= s.Prefix.Bits() && v.AddressSpace[0].Contains(s.Prefix.Addr())) {
				t.Fatalf("subnet %s outside %v", s.Prefix, v.AddressSpace)
			}
			for _, o := range v.Subnets[:i] {
				if o.Prefix.Overlaps(s.Prefix) {
					t.Fatalf("subnets %s and %s of %s overlap", o.Prefix, s.Prefix, v.ID.Name)
				}
			}
		}
	}
}

// sortedKeys returns the keys of m in a fixed order, for drawing.
func sortedKeys[V any](m map[gkey]V) []gkey {
	out := keys(m)
	slices.SortFunc(out, func(a, b gkey) int { return strings.Compare(a.group+"/"+a.name, b.group+"/"+b.name) })
	return out
}

func keys[V any](m map[gkey]V) []gkey {
	out := make([]gkey, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

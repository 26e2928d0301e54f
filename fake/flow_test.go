package fake_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"sync"
	"testing"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

// flexNSG puts the NSG Flex generates for a domain-joined VNet 10.1.0.0/24
// peered with 10.50.0.0/16 (FW-2).
func flexNSG(t *testing.T, c *fake.Cloud) flex.ResourceID {
	p := network.FirewallPolicy{DomainJoined: true, VNet: []netip.Prefix{pfx("10.1.0.0/24")}, Connected: []netip.Prefix{pfx("10.50.0.0/16")}}
	return mustPut(t, c, &flex.SecurityGroup{Meta: meta(id(flex.TypeSecurityGroup, "flex-nsg")), Rules: network.SecurityRules(p)}).ID
}

func TestCheckFlowEvaluatesBothNSGs(t *testing.T) {
	c, _ := newCloud(t)
	nsg := flexNSG(t, c)
	s := subnet("vdas", "10.1.0.0/24")
	s.SecurityGroup = nsg
	mustPut(t, c, &flex.VirtualNetwork{Meta: meta(id(flex.TypeVirtualNetwork, "flex")), AddressSpace: []netip.Prefix{pfx("10.1.0.0/24")}, Subnets: []flex.Subnet{s}})
	customer := mustPut(t, c, vnet("customer", "10.50.0.0/16", subnet("dc", "10.50.0.0/24")))
	lonely := mustPut(t, c, vnet("lonely", "10.60.0.0/16", subnet("x", "10.60.0.0/24")))
	_ = lonely

	vda, dc := addr("10.1.0.4"), addr("10.50.0.10")
	// Not peered yet: no path.
	d, err := c.Allowed(dc, vda, network.TCP, 443)
	wantKind(t, err, nil)
	if d.Allowed() || d.Rule != "" {
		t.Errorf("unpeered VNets: %v, want a deny with no rule", d)
	}
	mustPut(t, c, &flex.Peering{Meta: meta(id(flex.TypePeering, "flex/to-customer")), Remote: customer.ID})
	d, _ = c.Allowed(dc, vda, network.TCP, 443)
	if d.Allowed() {
		t.Errorf("one-way peering lets traffic through: %v", d)
	}
	mustPut(t, c, &flex.Peering{Meta: meta(id(flex.TypePeering, "customer/to-flex")), Remote: id(flex.TypeVirtualNetwork, "flex")})

	for _, tc := range []struct {
		src, dst netip.Addr
		proto    network.Protocol
		port     uint16
		allowed  bool
		rule     string
	}{
		// FW-2: Citrix ports within the VNet, Monitor shadowing from the
		// connected networks, everything else inbound denied.
		{vda, addr("10.1.0.5"), network.TCP, 443, true, "FlexAllowCitrixInBound"},
		{vda, addr("10.1.0.5"), network.TCP, 3389, false, "FlexDenyAllInBound"},
		{dc, vda, network.TCP, 50000, true, ""},
		{dc, vda, network.TCP, 3389, false, "FlexDenyAllInBound"},
		// The customer subnet has no NSG: the VDA's outbound decides.
		{vda, dc, network.TCP, 389, true, "FlexAllowAllOutBound"},
	} {
		t.Run(fmt.Sprintf("%v %s:%d", tc.src, tc.proto, tc.port), func(t *testing.T) {
			d, err := c.Allowed(tc.src, tc.dst, tc.proto, tc.port)
			wantKind(t, err, nil)
			if d.Allowed() != tc.allowed || (tc.rule != "" && d.Rule != tc.rule) {
				t.Errorf("decision %v, want allowed=%v by %q", d, tc.allowed, tc.rule)
			}
		})
	}
	_, err = c.Allowed(addr("192.168.1.1"), vda, network.TCP, 443)
	wantKind(t, err, flex.ErrNotFound)
	_, err = c.Allowed(vda, addr("192.168.1.1"), network.TCP, 443)
	wantKind(t, err, flex.ErrNotFound)
	_, err = c.CheckFlow(network.Flow{Protocol: network.AnyProtocol, Source: vda, Destination: dc})
	wantKind(t, err, flex.ErrInvalid)
}

// TestCheckFlowMatchesEvaluate checks CheckFlow against the model it
// stands for: the source NSG's outbound rules, then the destination's
// inbound, each through network.Evaluate with the VNet's own tag space.
func TestCheckFlowMatchesEvaluate(t *testing.T) {
	c, _ := newCloud(t)
	nsg := flexNSG(t, c)
	rules := mustGet[*flex.SecurityGroup](t, c, nsg).Rules
	s := subnet("vdas", "10.1.0.0/24")
	s.SecurityGroup = nsg
	mustPut(t, c, &flex.VirtualNetwork{Meta: meta(id(flex.TypeVirtualNetwork, "flex")), AddressSpace: []netip.Prefix{pfx("10.1.0.0/24")}, Subnets: []flex.Subnet{s}})
	space := []netip.Prefix{pfx("10.1.0.0/24")}
	rnd := rand.New(rand.NewPCG(1, 2))
	protos := []network.Protocol{network.TCP, network.UDP, network.ICMP}
	for range 500 {
		src := netip.AddrFrom4([4]byte{10, 1, 0, byte(4 + rnd.IntN(250))})
		dst := netip.AddrFrom4([4]byte{10, 1, 0, byte(4 + rnd.IntN(250))})
		proto := protos[rnd.IntN(len(protos))]
		port := uint16(rnd.IntN(65536))
		got, err := c.Allowed(src, dst, proto, port)
		wantKind(t, err, nil)
		f := network.Flow{Protocol: proto, Source: src, SourcePort: fake.EphemeralPort, Destination: dst, DestinationPort: port, VirtualNetwork: space}
		f.Direction = network.Outbound
		want := network.Evaluate(rules, f)
		if want.Allowed() {
			f.Direction = network.Inbound
			want = network.Evaluate(rules, f)
		}
		if got != want {
			t.Fatalf("%v %v:%d: got %v, want %v", src, proto, port, got, want)
		}
	}
}

func mustGet[T flex.Resource](t testing.TB, p flex.Provider, i flex.ResourceID) T {
	t.Helper()
	r, err := flex.GetAs[T](ctx, p, i)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCheckFlowThroughAHub(t *testing.T) {
	c, _ := newCloud(t)
	deny := network.SecurityRule{Name: "DenyFromOutside", Priority: 100, Direction: network.Inbound, Access: network.Deny, Protocol: network.AnyProtocol,
		Sources: []network.Address{network.TagAddress(network.TagVirtualNetwork)}, SourcePorts: []network.PortRange{network.AnyPort()},
		Destinations: []network.Address{network.TagAddress(network.TagAny)}, DestinationPorts: []network.PortRange{network.Port(22)}}
	n := mustPut(t, c, &flex.SecurityGroup{Meta: meta(id(flex.TypeSecurityGroup, "nsg")), Rules: []network.SecurityRule{deny}})
	mustPut(t, c, hub("Standard", "10.100.0.0/24"))
	a := vnet("a", "10.1.0.0/16", subnet("s", "10.1.0.0/24"))
	a.Subnets[0].SecurityGroup = n.ID
	mustPut(t, c, a)
	mustPut(t, c, vnet("b", "10.2.0.0/16", subnet("s", "10.2.0.0/24")))
	for _, v := range []string{"a", "b"} {
		mustPut(t, c, &flex.HubConnection{Meta: meta(id(flex.TypeHubConnection, "hub/"+v)), Remote: id(flex.TypeVirtualNetwork, v)})
	}
	// The VirtualNetwork tag of spoke a includes spoke b, so the deny rule
	// matches traffic from b.
	d, err := c.Allowed(addr("10.2.0.4"), addr("10.1.0.4"), network.TCP, 22)
	wantKind(t, err, nil)
	if d.Allowed() || d.Rule != "DenyFromOutside" {
		t.Errorf("spoke to spoke on 22: %v", d)
	}
	d, _ = c.Allowed(addr("10.2.0.4"), addr("10.1.0.4"), network.TCP, 443)
	if !d.Allowed() || d.Rule != "AllowVNetInBound" {
		t.Errorf("spoke to spoke on 443: %v, want Azure's AllowVNetInBound", d)
	}
}

// TestConcurrentUse runs many goroutines putting, getting, listing and
// deleting at once; the race detector watches, and the invariants are
// checked at the end.
func TestConcurrentUse(t *testing.T) {
	c, _ := newCloud(t)
	mustPut(t, c, vnet("v", "10.0.0.0/16", subnet("a", "10.0.0.0/22")))
	const workers, each = 8, 40
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				name := fmt.Sprintf("pc-%d-%d", w, i)
				m := vm(name, "v", "a")
				m.ComputerName = fmt.Sprintf("pc%d-%d", w, i)
				if _, err := c.Put(ctx, m); err != nil {
					t.Error(err)
					return
				}
				if _, err := c.Get(ctx, m.ID); err != nil {
					t.Error(err)
				}
				if i%3 == 0 {
					if err := c.Delete(ctx, m.ID); err != nil {
						t.Error(err)
					}
				}
				if i%10 == 0 {
					if _, err := c.List(ctx, flex.Filter{Subscription: sub, Type: flex.TypeVirtualMachine}); err != nil {
						t.Error(err)
					}
					_ = c.Power(ctx, m.ID, flex.Deallocate)
				}
			}
		}()
	}
	wg.Wait()
	vms := c.Resources(flex.Filter{Type: flex.TypeVirtualMachine})
	want := workers * (each - (each+2)/3)
	if len(vms) != want {
		t.Errorf("%d VMs, want %d", len(vms), want)
	}
	seen := map[netip.Addr]string{}
	for _, r := range vms {
		v := r.(*flex.VirtualMachine)
		if other, ok := seen[v.PrivateIP]; ok {
			t.Errorf("%s and %s share %v", other, v.ID.Name, v.PrivateIP)
		}
		seen[v.PrivateIP] = v.ID.Name
	}
	if n := c.Count(flex.Filter{})[flex.TypeDisk]; n != want {
		t.Errorf("%d disks for %d VMs", n, want)
	}
}

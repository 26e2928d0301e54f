package armconv

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

const sub = "00000000-0000-0000-0000-000000000001"

func rid(t flex.ResourceType, name string) flex.ResourceID {
	return flex.ResourceID{Subscription: sub, ResourceGroup: "rg", Type: t, Name: name}
}

func diff(want, got any) string {
	return cmp.Diff(want, got,
		cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
		cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }))
}

func metaGen(t flex.ResourceType) *rapid.Generator[flex.Meta] {
	return rapid.Custom(func(rt *rapid.T) flex.Meta {
		m := flex.Meta{ID: rid(t, rapid.StringMatching(`[a-z][a-z0-9-]{0,20}`).Draw(rt, "name")), Region: flextest.Region().Draw(rt, "region"), State: flex.Succeeded}
		if rapid.Bool().Draw(rt, "tagged") {
			m.Tags = map[string]string{flex.TagTenant: "t1", flex.TagOwner: rapid.StringMatching(`catalog/[A-Za-z]{1,8}`).Draw(rt, "owner")}
		}
		return m
	})
}

// Property: an NSG with the rules Flex generates for any firewall policy,
// plus a customer rule, converts to ARM and back unchanged, including the
// Managed mark (FW-6) that only the description prefix carries.
func TestSecurityGroupRoundTrip(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		rules := network.SecurityRules(flextest.FirewallPolicy(rapid.Bool().Draw(rt, "domainJoined")).Draw(rt, "policy"))
		rules = append(rules, network.SecurityRule{Name: "Customer", Priority: 4000, Direction: network.Outbound, Access: network.Deny,
			Protocol: network.UDP, Sources: []network.Address{network.TagAddress(network.TagAny)}, SourcePorts: []network.PortRange{network.Ports(1000, 2000)},
			Destinations:     []network.Address{network.PrefixAddress(flextest.PrivatePrefix(8, 32).Draw(rt, "dst"))},
			DestinationPorts: []network.PortRange{network.Port(53), network.Port(123)},
			Description:      rapid.StringMatching(`[a-z ]{0,40}`).Draw(rt, "desc")})
		in := &flex.SecurityGroup{Meta: metaGen(flex.TypeSecurityGroup).Draw(rt, "meta"), Rules: rules}
		out, err := SecurityGroupFromARM(in.ID, SecurityGroupToARM(in))
		if err != nil {
			rt.Fatal(err)
		}
		if d := diff(in, out); d != "" {
			rt.Fatalf("round trip (-in +out):\n%s", d)
		}
	})
}

// Property: a route table of any routes Flex accepts converts to ARM and
// back unchanged; every next hop Azure knows maps to armnetwork's
// RouteNextHopType spelled as ARM spells it.
func TestRouteTableRoundTrip(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		connected := []netip.Prefix{flextest.PrivatePrefix(16, 24).Draw(rt, "connected")}
		in := &flex.RouteTable{Meta: metaGen(flex.TypeRouteTable).Draw(rt, "meta"), DisableGatewayPropagation: rapid.Bool().Draw(rt, "noBGP")}
		for i, r := range flextest.Routes(connected, 8).Draw(rt, "routes") {
			in.Routes = append(in.Routes, flex.Route{Name: fmt.Sprintf("%s-%d", r.Name, i), Prefix: r.Destination, NextHop: string(r.NextHop), NextHopIP: r.NextHopIP})
		}
		m := RouteTableToARM(in)
		for _, r := range m.Properties.Routes {
			if got := string(*r.Properties.NextHopType); !strings.EqualFold(got, "VNetPeering") && NextHopType(got) != *r.Properties.NextHopType {
				rt.Fatalf("next hop %q is not one of armnetwork's", got)
			}
		}
		out, err := RouteTableFromARM(in.ID, m)
		if err != nil {
			rt.Fatal(err)
		}
		if d := diff(in, out); d != "" {
			rt.Fatalf("round trip (-in +out):\n%s", d)
		}
	})
}

// Property: a VNet with any subnets and attachments converts to ARM and
// back unchanged.
func TestVirtualNetworkRoundTrip(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		in := &flex.VirtualNetwork{Meta: metaGen(flex.TypeVirtualNetwork).Draw(rt, "meta"),
			AddressSpace: rapid.SliceOfN(flextest.PrivatePrefix(8, 24), 1, 3).Draw(rt, "space")}
		if rapid.Bool().Draw(rt, "dns") {
			in.DNSServers = []netip.Addr{netip.MustParseAddr("192.168.0.4"), netip.MustParseAddr("10.0.0.4")}
		}
		for i := range rapid.IntRange(0, 4).Draw(rt, "subnets") {
			s := flex.Subnet{Name: fmt.Sprintf("subnet-%d", i), Prefix: flextest.PrivatePrefix(16, 29).Draw(rt, "prefix")}
			if rapid.Bool().Draw(rt, "nsg") {
				s.SecurityGroup = rid(flex.TypeSecurityGroup, "nsg")
			}
			if rapid.Bool().Draw(rt, "rt") {
				s.RouteTable = rid(flex.TypeRouteTable, "rt")
			}
			if rapid.Bool().Draw(rt, "nat") {
				s.NATGateway = rid(flex.TypeNATGateway, "nat")
			}
			in.Subnets = append(in.Subnets, s)
		}
		out, err := VirtualNetworkFromARM(in.ID, VirtualNetworkToARM(in))
		if err != nil {
			rt.Fatal(err)
		}
		if d := diff(in, out); d != "" {
			rt.Fatalf("round trip (-in +out):\n%s", d)
		}
	})
}

// Property: a VM converts to ARM and back with everything ARM carries;
// the admin password goes out (only when set) and never comes back, and
// the generation and power state come from the instance view, which a
// request has not.
func TestVirtualMachineRoundTrip(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		in := &flex.VirtualMachine{Meta: metaGen(flex.TypeVirtualMachine).Draw(rt, "meta"),
			Size: rapid.SampledFrom([]string{"Standard_D2s_v5", "Standard_D4as_v5"}).Draw(rt, "size"), Zone: rapid.SampledFrom([]string{"", "1", "2", "3"}).Draw(rt, "zone"),
			ComputerName: rapid.StringMatching(`[A-Z]{2,6}-[0-9]{2}`).Draw(rt, "computer"), SecureBoot: rapid.Bool().Draw(rt, "secure"),
			AdminUsername: "flexadmin", AdminPassword: secret.New("Str0ng!Passw0rd-1")}
		if rapid.Bool().Draw(rt, "managedImage") {
			in.Image.ID = rid(flex.TypeImage, "golden")
		} else {
			in.Image.URN = rapid.StringMatching(`[A-Za-z]{1,8}:[a-z0-9-]{1,8}:[a-z0-9-]{1,8}:(latest|1\.2\.3)`).Draw(rt, "urn")
		}
		if rapid.Bool().Draw(rt, "hasDisk") {
			in.OSDisk = rid(flex.TypeDisk, in.ID.Name+"-osdisk-2")
		}
		m := VirtualMachineToARM(in, "/subscriptions/"+sub+"/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic")
		if p := m.Properties.OSProfile.AdminPassword; p == nil || *p != in.AdminPassword.Reveal() {
			rt.Fatal("the admin password is not in the request")
		}
		out, err := VirtualMachineFromARM(in.ID, m)
		if err != nil {
			rt.Fatal(err)
		}
		want := in.Clone().(*flex.VirtualMachine)
		want.AdminPassword = secret.Value{}
		if d := diff(want, out); d != "" {
			rt.Fatalf("round trip (-in +out):\n%s", d)
		}
	})
}

// Property: an image converts to ARM and back, its OS release and key in
// tags that FromARM strips again.
func TestImageRoundTrip(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		in := &flex.Image{Meta: metaGen(flex.TypeImage).Draw(rt, "meta"),
			Generation: rapid.SampledFrom([]image.Generation{image.Gen1, image.Gen2}).Draw(rt, "gen"),
			OS:         rapid.SampledFrom([]image.OS{image.Windows11, image.WindowsServer2022, image.Ubuntu2204}).Draw(rt, "os")}
		switch rapid.IntRange(0, 3).Draw(rt, "source") {
		case 0:
			in.Source = rid(flex.TypeVirtualMachine, "builder")
		case 1:
			in.Source = rid(flex.TypeDisk, "disk")
		case 2:
			in.Source = rid(flex.TypeSnapshot, "snap")
		case 3:
			in.SourceURL = secret.New("https://acct.blob.core.windows.net/vhds/x.vhd?sig=abc")
		}
		if rapid.Bool().Draw(rt, "key") {
			in.Key = rid(flex.TypeKey, "vault/cmk")
		}
		out, err := ImageFromARM(in.ID, ImageToARM(in))
		if err != nil {
			rt.Fatal(err)
		}
		if d := diff(in, out); d != "" {
			rt.Fatalf("round trip (-in +out):\n%s", d)
		}
	})
}

// FuzzImageReference: a marketplace URN of four parts survives ARM's image
// reference, and no input makes the conversion panic.
func FuzzImageReference(f *testing.F) {
	f.Add("MicrosoftWindowsDesktop:windows-11:win11-24h2-pro:latest")
	f.Add("a:b:c")
	f.Add(":::")
	f.Fuzz(func(t *testing.T, urn string) {
		got, err := ImageReferenceFromARM(ImageReferenceToARM(flex.ImageRef{URN: urn}))
		if err != nil {
			t.Fatal(err)
		}
		if got.URN != urn {
			t.Fatalf("URN %q came back as %q", urn, got.URN)
		}
	})
}

// FuzzSplitSubnetID: any string either splits into a VNet and a subnet
// whose ID is the input again, or is refused, never a panic.
func FuzzSplitSubnetID(f *testing.F) {
	f.Add("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/vdas")
	f.Add("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v")
	f.Add("/subnets/")
	f.Fuzz(func(t *testing.T, s string) {
		vnet, name, err := SplitSubnetID(&s)
		if err != nil {
			return
		}
		if got := SubnetID(vnet, name); !strings.EqualFold(got, s) && vnet.Type == flex.TypeVirtualNetwork {
			t.Fatalf("%q split into %v and %q, which join to %q", s, vnet, name, got)
		}
	})
}

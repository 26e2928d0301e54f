package flextest_test

import (
	"fmt"
	"net/netip"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/naming"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
)

// check runs prop as rapid.Check does in a test, and prints whether it
// held.
func check(prop func(*rapid.T)) {
	t := &exampleT{}
	rapid.Check(t, prop)
	fmt.Println("holds:", !t.failed)
}

func ExamplePrefix() {
	check(func(t *rapid.T) {
		p := flextest.Prefix(16, 24).Draw(t, "p")
		if q, err := ipam.ParsePrefix(p.String()); err != nil || q != p || p.Bits() < 16 || p.Bits() > 24 {
			t.Fatalf("%v: %v", p, err)
		}
	})
	// Output: holds: true
}

func ExamplePrefixIn() {
	within := netip.MustParsePrefix("172.18.0.0/21")
	check(func(t *rapid.T) {
		p := flextest.PrefixIn(within, 24, 29).Draw(t, "p")
		if !within.Contains(p.Addr()) || ipam.Usable(p) > ipam.Usable(within) {
			t.Fatalf("%v is not in %v", p, within)
		}
	})
	// Output: holds: true
}

func ExamplePrivatePrefix() {
	check(func(t *rapid.T) {
		p := flextest.PrivatePrefix(16, 24).Draw(t, "p")
		if err := (network.NoConnectivitySpec{Name: "nc", Region: network.WestEurope, Range: p}).Validate(nil); err != nil {
			t.Fatalf("Flex range %v: %v", p, err) // RULE NET-5, AZ-1
		}
	})
	// Output: holds: true
}

func ExampleDisjointPlan() {
	check(func(t *rapid.T) {
		plan := flextest.DisjointPlan(netip.MustParsePrefix("10.0.0.0/8"), 12, 28, 50).Draw(t, "plan")
		if err := ipam.CheckDisjoint(plan...); err != nil {
			t.Fatal(err) // RULE NET-4
		}
	})
	// Output: holds: true
}

func ExampleMustSpace() {
	plan := []ipam.Entry{
		{Owner: "customer VNet hub", Prefix: netip.MustParsePrefix("10.0.0.0/16")},
		{Owner: "on-premises", Prefix: netip.MustParsePrefix("192.168.0.0/20")},
	}
	used := flextest.MustSpace(plan)
	fmt.Println(used.Overlapping(netip.MustParsePrefix("10.0.5.0/24")))
	// Output: [10.0.0.0/16 (customer VNet hub)]
}

func ExampleSchemeText() {
	check(func(t *rapid.T) {
		text := flextest.SchemeText(naming.Digits).Draw(t, "scheme")
		s, err := naming.Parse(text, naming.Digits)
		if err != nil {
			t.Fatal(err)
		}
		if name, err := s.Name(1); err != nil || naming.ValidateName(name) != nil {
			t.Fatalf("%q names machine 1 %q: %v", text, name, err)
		}
	})
	// Output: holds: true
}

func ExampleScheme() {
	check(func(t *rapid.T) {
		s := flextest.Scheme(naming.Letters).Draw(t, "scheme")
		n := rapid.IntRange(1, min(s.Capacity(), 10_000)).Draw(t, "n")
		name, _ := s.Name(n)
		if back, ok := s.Number(name); !ok || back != n {
			t.Fatalf("%v: Number(Name(%d)) = %d, %v", s, n, back, ok)
		}
	})
	// Output: holds: true
}

func ExampleSchemeBreaking() {
	fmt.Println(flextest.SchemeRules())
	check(func(t *rapid.T) {
		in := flextest.SchemeBreaking("NAM-6").Draw(t, "scheme")
		_, err := naming.Parse(in.Text, in.Kind)
		if ids := rule.IDs(err); len(ids) != 1 || ids[0] != "NAM-6" {
			t.Fatalf("%v: %v", in, err)
		}
	})
	// Output:
	// [AZ-7 NAM-1 NAM-2 NAM-3 NAM-4 NAM-5 NAM-6 NAM-7]
	// holds: true
}

func ExampleSchemeRules() {
	for _, id := range flextest.SchemeRules() {
		in := flextest.SchemeBreaking(id).Example(1)
		_, err := naming.Parse(in.Text, in.Kind)
		fmt.Println(id, rule.IDs(err))
	}
	// Output:
	// AZ-7 [AZ-7]
	// NAM-1 [NAM-1]
	// NAM-2 [NAM-2]
	// NAM-3 [NAM-3]
	// NAM-4 [AZ-7 NAM-4]
	// NAM-5 [NAM-5]
	// NAM-6 [NAM-6]
	// NAM-7 [NAM-7]
}

func ExampleConnectionName() {
	check(func(t *rapid.T) {
		if name := flextest.ConnectionName(network.KindAzureVpn).Draw(t, "name"); len(name) > 54 {
			t.Fatalf("%q is longer than a VPN connection's name may be", name) // RULE API-7
		}
	})
	// Output: holds: true
}

func ExampleRegion() {
	check(func(t *rapid.T) {
		if r := flextest.Region().Draw(t, "region"); !r.IsValid() {
			t.Fatalf("%v", r) // RULE REG-1
		}
	})
	// Output: holds: true
}

func ExamplePreSharedKey() {
	psk := flextest.PreSharedKey().Example(1)
	fmt.Println(psk, network.ValidatePSK(psk))
	// Output: [redacted] <nil>
}

func ExampleRoute() {
	connected := []netip.Prefix{netip.MustParsePrefix("100.64.0.0/16")}
	check(func(t *rapid.T) {
		r := flextest.Route(connected).Draw(t, "route")
		if back, err := network.ParseRoute(r.String()); err != nil || back != r {
			t.Fatalf("%v does not read back: %v", r, err)
		}
	})
	// Output: holds: true
}

func ExampleRoutes() {
	check(func(t *rapid.T) {
		routes := flextest.Routes(nil, 50).Draw(t, "routes")
		table, err := network.NewRouteTable(nil, routes...)
		if err != nil || table.Len() != len(routes) {
			t.Fatalf("NewRouteTable: %v", err) // RULE NET-6
		}
	})
	// Output: holds: true
}

func ExampleFirewallPolicy() {
	// FW-1: in a non-domain-joined VNet no VDA reaches another by RDP.
	check(func(t *rapid.T) {
		p := flextest.FirewallPolicy(false).Draw(t, "policy")
		vnet := p.VNet[0]
		d := network.Evaluate(network.SecurityRules(p), network.Flow{
			Direction: network.Inbound, Protocol: network.TCP, DestinationPort: 3389,
			Source: vnet.Addr(), Destination: vnet.Addr().Next(), VirtualNetwork: p.VirtualNetwork(),
		})
		if d.Allowed() {
			t.Fatalf("RDP inside %v allowed by %v", vnet, d) // RULE FW-1
		}
	})
	// Output: holds: true
}

func ExampleNoConnectivitySpec() {
	used := flextest.MustSpace([]ipam.Entry{{Owner: "everything in 10/8", Prefix: netip.MustParsePrefix("10.0.0.0/8")}})
	check(func(t *rapid.T) {
		s := flextest.NoConnectivitySpec(used).Draw(t, "spec")
		if s.Range.IsValid() && s.Range.Overlaps(netip.MustParsePrefix("10.0.0.0/8")) {
			t.Fatalf("%v overlaps what is in use", s.Range) // RULE NET-4
		}
	})
	// Output: holds: true
}

func ExamplePeeringSpec() {
	check(func(t *rapid.T) {
		s := flextest.PeeringSpec(nil).Draw(t, "spec")
		for _, p := range s.RemoteAddressSpace {
			if p.Overlaps(s.Range) {
				t.Fatalf("Flex range %v overlaps the peered VNet's %v", s.Range, p) // RULE NET-4
			}
		}
	})
	// Output: holds: true
}

func ExampleVPNSpec() {
	check(func(t *rapid.T) {
		s := flextest.VPNSpec(nil).Draw(t, "spec")
		if s.BGP.Enabled && !s.SKU.SupportsBGP() {
			t.Fatalf("BGP on %v", s.SKU) // RULE AZ-5
		}
	})
	// Output: holds: true
}

func ExampleVWANSpec() {
	check(func(t *rapid.T) {
		s := flextest.VWANSpec(nil).Draw(t, "spec")
		if s.Hub.Tier != network.HubStandard || len(s.Ranges) == 0 {
			t.Fatalf("hub %v, ranges %v", s.Hub.Tier, s.Ranges) // RULE NET-12, NET-13
		}
	})
	// Output: holds: true
}

func ExampleConnectionSpec() {
	check(func(t *rapid.T) {
		used := flextest.MustSpace(flextest.DisjointPlan(netip.MustParsePrefix("10.0.0.0/8"), 12, 24, 20).Draw(t, "used"))
		if err := flextest.ConnectionSpec(used).Draw(t, "spec").Validate(used); err != nil {
			t.Fatal(err)
		}
	})
	// Output: holds: true
}

func ExampleImportFacts() {
	check(func(t *rapid.T) {
		if err := image.CheckImport(flextest.ImportFacts().Draw(t, "facts")); err != nil {
			t.Fatal(err) // RULE IMG-5
		}
	})
	// Output: holds: true
}

func ExampleImportFactsFailing() {
	for _, req := range flextest.ImportRequirements() {
		err := image.CheckImport(flextest.ImportFactsFailing(req).Example(1))
		fmt.Printf("%s: %d violation of %v\n", req, len(rule.Violations(err)), rule.IDs(err))
	}
	// Output:
	// supported operating system: 1 violation of [IMG-5]
	// generation Gen1 or Gen2: 1 violation of [IMG-5]
	// not generalized: 1 violation of [IMG-5]
	// no Delivery Controller registry values: 1 violation of [IMG-5]
	// personality.ini present: 1 violation of [IMG-5]
	// VDA 2507 or later: 1 violation of [IMG-5]
	// Azure VM Agent installed: 1 violation of [IMG-5]
}

func ExampleVDAVersion() {
	check(func(t *rapid.T) {
		v := flextest.VDAVersion().Draw(t, "v")
		w := flextest.VDAVersion().Draw(t, "w")
		if v.Less(w) && w.Less(v) {
			t.Fatalf("%v and %v each sort before the other", v, w)
		}
	})
	// Output: holds: true
}

func ExampleUserID() {
	check(func(t *rapid.T) {
		if err := catalog.ValidateUserID(flextest.UserID().Draw(t, "user")); err != nil {
			t.Fatal(err) // RULE CAT-9
		}
	})
	// Output: holds: true
}

func ExampleUsers() {
	p, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	check(func(t *rapid.T) {
		users := flextest.Users(1, 100).Draw(t, "users")
		if n, err := p.Machines(len(users)); err != nil || n != (len(users)+7)/8 {
			t.Fatalf("%d users on %d machines: %v", len(users), n, err) // RULE CAT-2
		}
	})
	// Output: holds: true
}

func ExamplePrincipal() {
	check(func(t *rapid.T) {
		if err := flextest.Principal().Draw(t, "principal").Validate(); err != nil {
			t.Fatal(err) // RULE CAT-9
		}
	})
	// Output: holds: true
}

func ExamplePrincipals() {
	check(func(t *rapid.T) {
		ps := flextest.Principals(20).Draw(t, "principals")
		var set catalog.Principals
		if n, err := set.Add(ps...); err != nil || n != len(ps) {
			t.Fatalf("added %d of %d: %v", n, len(ps), err)
		}
	})
	// Output: holds: true
}

func ExampleCommandLine() {
	check(func(t *rapid.T) {
		c := flextest.CommandLine().Draw(t, "commandLine")
		if back, err := catalog.ParseCommandLine(c.String()); err != nil || back.String() != c.String() {
			t.Fatalf("%s: %v", c, err) // RULE CAT-11
		}
	})
	// Output: holds: true
}

func ExampleApp() {
	check(func(t *rapid.T) {
		if err := flextest.App().Draw(t, "app").Validate(); err != nil {
			t.Fatal(err) // RULE CAT-10
		}
	})
	// Output: holds: true
}

func ExampleApps() {
	check(func(t *rapid.T) {
		apps := flextest.Apps(10).Draw(t, "apps")
		var set catalog.Apps
		if err := set.Add(apps...); err != nil || set.Len() != len(apps) {
			t.Fatal(err) // RULE CAT-10
		}
	})
	// Output: holds: true
}

func ExampleCatalogName() {
	check(func(t *rapid.T) {
		if err := catalog.ValidateName(flextest.CatalogName().Draw(t, "name")); err != nil {
			t.Fatal(err) // RULE CAT-5
		}
	})
	// Output: holds: true
}

func ExamplePersona() {
	check(func(t *rapid.T) {
		p := flextest.Persona().Draw(t, "persona")
		if len(p.MachineTypes()) == 0 || p.Validate() != nil {
			t.Fatalf("%v", p) // RULE CAT-1
		}
	})
	// Output: holds: true
}

func ExampleCatalogSpec() {
	conn := catalog.Connection{Name: "corp-peering", Kind: network.KindVnetPeering, Region: network.WestEurope, HasInternetRoute: true, Usable: true}
	check(func(t *rapid.T) {
		s := flextest.CatalogSpec(conn).Draw(t, "spec")
		if _, err := s.Validate(conn); err != nil || s.EffectiveRegion(conn) != network.WestEurope {
			t.Fatalf("%v", err) // RULE REG-2
		}
	})
	// Output: holds: true
}

func ExampleCatalogSpecFor() {
	p, _ := quota.PersonaByName(quota.PowerWorker)
	check(func(t *rapid.T) {
		s := flextest.CatalogSpecFor(catalog.Connection{}, p, quota.Static).Draw(t, "spec")
		if s.Domain != image.NonDomainJoined {
			t.Fatalf("a catalog without connectivity is %v", s.Domain) // RULE IDN-2
		}
	})
	// Output: holds: true
}

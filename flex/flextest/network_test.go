package flextest_test

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

// drawUsed draws the address space in use: nil, empty, or a disjoint plan
// across private and shared space, sometimes dense in 10.0.0.0/8.
func drawUsed(t *rapid.T) *ipam.Space {
	switch rapid.IntRange(0, 3).Draw(t, "usedKind") {
	case 0:
		return nil
	case 1:
		return flextest.MustSpace(flextest.DisjointPlan(netip.MustParsePrefix("10.0.0.0/8"), 9, 16, 60).Draw(t, "dense"))
	default:
		return flextest.MustSpace(flextest.DisjointPlan(netip.MustParsePrefix("0.0.0.0/0"), 8, 24, 20).Draw(t, "used"))
	}
}

// checkSpec fails t unless s validates against used, its Flex ranges
// overlap nothing in used nor each other, and used is unchanged.
func checkSpec(t *rapid.T, s network.Spec, used *ipam.Space) {
	t.Helper()
	var before []ipam.Entry
	if used != nil {
		before = used.Entries()
	}
	if err := s.Validate(used); err != nil {
		t.Fatalf("%T.Validate: %v (rule IDs %v)\nspec: %+v", s, err, rule.IDs(err), s) // RULE NET-3, NET-4, NET-5, NET-6, NET-7, NET-9, NET-11, NET-12, NET-13, API-7, REG-1, AZ-1, AZ-5, AZ-6, AZ-9
	}
	all := new(ipam.Space)
	if used != nil {
		all = used.Clone()
	}
	for _, p := range s.FlexRanges() {
		if err := all.Add("flex", p); err != nil {
			t.Fatalf("Flex range %v: %v", p, err) // RULE NET-4
		}
	}
	if used != nil && len(used.Entries()) != len(before) {
		t.Fatalf("the generator changed used")
	}
}

// Property: every connection spec of every kind validates against the
// used space it was drawn for.
func TestConnectionSpecsValidate(t *testing.T) {
	t.Run("NoConnectivity", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			used := drawUsed(t)
			checkSpec(t, flextest.NoConnectivitySpec(used).Draw(t, "spec"), used)
		})
	})
	t.Run("Peering", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			used := drawUsed(t)
			s := flextest.PeeringSpec(used).Draw(t, "spec")
			checkSpec(t, s, used)
			if err := ipam.CheckDisjoint(entries(append(s.RemoteAddressSpace, s.Range))...); err != nil {
				t.Fatalf("peered ranges: %v", err)
			}
		})
	})
	t.Run("VPN", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			used := drawUsed(t)
			s := flextest.VPNSpec(used).Draw(t, "spec")
			checkSpec(t, s, used)
			if err := ipam.CheckDisjoint(entries(append(s.AllowedNetworks, s.VDASubnet, s.GatewaySubnet))...); err != nil {
				t.Fatalf("VPN ranges: %v", err)
			}
		})
	})
	t.Run("VWAN", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			used := drawUsed(t)
			s := flextest.VWANSpec(used).Draw(t, "spec")
			checkSpec(t, s, used)
			if err := ipam.CheckDisjoint(entries(append(append(s.Hub.Connected, s.Hub.AddressSpace), s.Ranges...))...); err != nil {
				t.Fatalf("vWAN ranges: %v", err)
			}
		})
	})
	t.Run("any kind", func(t *testing.T) {
		kinds := map[network.Kind]bool{}
		rapid.Check(t, func(t *rapid.T) {
			used := drawUsed(t)
			s := flextest.ConnectionSpec(used).Draw(t, "spec")
			kinds[s.Kind()] = true
			checkSpec(t, s, used)
		})
		if len(kinds) != len(network.Kinds()) {
			t.Errorf("drew kinds %v, want all of %v", kinds, network.Kinds()) // RULE NET-1
		}
	})
}

func entries(ps []netip.Prefix) []ipam.Entry {
	out := make([]ipam.Entry, len(ps))
	for i, p := range ps {
		out[i] = ipam.Entry{Prefix: p}
	}
	return out
}

// When used leaves no room, a spec cannot be drawn and the test fails
// rather than drawing an invalid spec.
func TestConnectionSpecFailsWithoutRoom(t *testing.T) {
	var full ipam.Space
	for _, p := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"} {
		if err := full.Add("everything", netip.MustParsePrefix(p)); err != nil {
			t.Fatal(err)
		}
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "no free") {
			t.Errorf("drawing a spec with no free private space: panic %v, want a failure saying there is no free range", r)
		}
	}()
	s := flextest.PeeringSpec(&full).Example(1)
	t.Errorf("drew %+v", s)
}

// Property: every route validates against the connected networks it was
// drawn for, and a set of routes validates together and fills a route
// table (NET-6, AZ-3).
func TestRoutesValidate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		connected := flextest.DisjointPlan(netip.MustParsePrefix("0.0.0.0/0"), 8, 28, 3).Draw(t, "connected")
		var conn []netip.Prefix
		for _, e := range connected {
			conn = append(conn, e.Prefix)
		}
		r := flextest.Route(conn).Draw(t, "route")
		if err := r.Validate(conn); err != nil {
			t.Fatalf("Route %v: %v", r, err) // RULE NET-6
		}
		if back, err := network.ParseRoute(r.String()); err != nil || back != r {
			t.Fatalf("ParseRoute(%q) = %v, %v", r.String(), back, err)
		}
		rs := flextest.Routes(conn, 30).Draw(t, "routes")
		if err := network.ValidateRoutes(rs, conn); err != nil {
			t.Fatalf("ValidateRoutes: %v", err) // RULE NET-6, AZ-3
		}
		if _, err := network.NewRouteTable(conn, rs...); err != nil {
			t.Fatalf("NewRouteTable: %v", err)
		}
	})
}

// Property: every firewall policy validates, and the NSG rules generated
// from it are valid NSG rules (FW-1, FW-2, FW-4, FW-5, TRB-1, TRB-2, AZ-2).
func TestFirewallPolicyValidates(t *testing.T) {
	for _, joined := range []bool{false, true} {
		name := "FW-1 non-domain-joined"
		if joined {
			name = "FW-2 domain-joined"
		}
		t.Run(name, func(t *testing.T) {
			rdp, bastion := false, false
			rapid.Check(t, func(t *rapid.T) {
				p := flextest.FirewallPolicy(joined).Draw(t, "policy")
				if p.DomainJoined != joined {
					t.Fatalf("DomainJoined = %v", p.DomainJoined)
				}
				if err := p.Validate(); err != nil {
					t.Fatalf("Validate: %v\npolicy: %+v", err, p)
				}
				if err := network.ValidateRules(network.SecurityRules(p)); err != nil {
					t.Fatalf("ValidateRules: %v", err) // RULE AZ-2
				}
				rdp = rdp || p.RDPAccess.IsValid()
				for _, h := range p.Hosts {
					bastion = bastion || h.Kind == network.Bastion
				}
			})
			if joined && (!rdp || !bastion) {
				t.Errorf("domain-joined policies: RDP access drawn %v, bastion drawn %v; want both", rdp, bastion) // RULE FW-5, FW-4
			}
		})
	}
}

// Property: names, regions and keys are valid (API-7, REG-1, AZ-5).
func TestNamesRegionsKeys(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.SampledFrom(network.Kinds()).Draw(t, "kind")
		name := flextest.ConnectionName(k).Draw(t, "name")
		if err := network.ValidateName(k, name); err != nil {
			t.Fatalf("ValidateName(%v, %q): %v", k, name, err) // RULE API-7
		}
		if r := flextest.Region().Draw(t, "region"); !r.IsValid() {
			t.Fatalf("region %q", r) // RULE REG-1
		}
		if err := network.ValidatePSK(flextest.PreSharedKey().Draw(t, "psk")); err != nil {
			t.Fatalf("ValidatePSK: %v", err) // RULE AZ-5
		}
	})
}

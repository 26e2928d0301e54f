package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/secret"
	"github.com/google/go-cmp/cmp"
)

// validPlan returns the decoded valid sample, secrets included.
func validPlan(t *testing.T) *planFile {
	t.Helper()
	p, err := decodePlan([]byte(readFile(t, "valid.json")))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func intp(n int) *int { return &n }

// Indexes into the valid sample.
const (
	hubPeering    = 0 // connection "hub-peering", Contoso Production, westeurope
	manchesterVPN = 1 // connection "manchester-vpn", Contoso Branches, uksouth
	taskWorkers   = 0 // catalog "Task workers" on hub-peering, 2,000 users, 250 machines
	designers     = 1 // catalog "Manchester designers" on manchester-vpn, 12 users
)

// taskCatalog returns a copy of the Task workers catalog with another name,
// user count and naming scheme.
func taskCatalog(p *planFile, name string, users int, scheme string) catalogFile {
	c := p.Catalogs[taskWorkers]
	c.Name, c.UserCount, c.NamingScheme = name, users, scheme
	return c
}

// vwanConnection is a Virtual WAN spoke in Contoso Branches.
func vwanConnection(routes ...routeFile) connectionFile {
	return connectionFile{
		Name: "emea-spoke", Subscription: "Contoso Branches", Kind: "Virtual WAN spoke", Region: "northeurope",
		Range: "any /24", DNS: []string{"10.0.0.4"}, Routes: routes,
		VWAN: &vwanFile{
			Hub: hubFile{ID: "/subscriptions/0d3e6a8f-2b4c-4e1d-9f7a-5c6b8d0e2f41/resourceGroups/rg-wan/providers/Microsoft.Network/virtualHubs/hub-neu",
				Tier: "Standard", AddressSpace: "10.100.0.0/23", Connected: []string{"london-office"}},
			Auth: authFile{Method: "ServicePrincipal", TenantID: "8f2c1a3e-1b2c-4d5e-8f90-123456789abc",
				ClientID: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", ClientSecret: secretField{secret.New("spoke-Cl1ent-secret")}},
		},
	}
}

// TestRules changes the valid sample in one way and checks that exactly the
// expected problems and warnings come out. Subtests are named by rule.
func TestRules(t *testing.T) {
	for _, tc := range []struct {
		name     string
		edit     func(p *planFile)
		problems []where
		warnings []where // nil: none
	}{
		{"SUB-1 unnamed subscription", func(p *planFile) {
			p.Subscriptions = append(p.Subscriptions, subscriptionFile{})
		}, []where{{"SUB-1", "subscription #3"}}, nil},
		{"SUB-2 one Azure subscription backs two", func(p *planFile) {
			p.Subscriptions[1].AzureID = strings.ToUpper(p.Subscriptions[0].AzureID)
		}, []where{{"SUB-2", `subscription "Contoso Branches"`}}, nil},
		{"SUB-2 catalog in an undeclared subscription", func(p *planFile) {
			p.Catalogs[designers].Subscription = "Contoso Test"
		}, []where{{"SUB-2", `catalog "Manchester designers"`}}, nil},
		{"SUB-2 connection in an undeclared subscription", func(p *planFile) {
			p.Connections[manchesterVPN].Subscription = "Contoso Test"
		}, []where{{"SUB-2", `connection "manchester-vpn"`}}, nil},
		{"SUB-2 catalog on another subscription's connection", func(p *planFile) {
			p.Catalogs[designers].Subscription = "Contoso Production"
		}, []where{{"SUB-2", `catalog "Manchester designers"`}}, nil},

		{"NET-4 two connections of one subscription overlap", func(p *planFile) {
			p.Connections[hubPeering].Range = "172.16.0.0/21"
			p.Connections[manchesterVPN].Subscription = "Contoso Production"
			p.Connections[manchesterVPN].Range = "172.16.4.0/24"
			p.Catalogs[designers].Subscription = "Contoso Production"
		}, []where{{"NET-4", `connection "manchester-vpn"`}}, nil},
		{"NET-4 connections of two subscriptions may share a range", func(p *planFile) {
			p.Connections[hubPeering].Range = "172.16.0.0/21"
			p.Connections[manchesterVPN].Range = "172.16.4.0/24"
		}, nil, nil},
		{"NET-4 overlap with the peered VNet", func(p *planFile) {
			p.Connections[hubPeering].Range = "10.0.8.0/21"
		}, []where{{"NET-4", `connection "hub-peering"`}}, nil},
		{"NET-4 no address pool for any /N", func(p *planFile) {
			p.AddressPool = ""
		}, []where{{"NET-4", `connection "hub-peering"`}, {"NET-4", `connection "manchester-vpn"`}, {"NET-4", `connection "manchester-vpn"`}}, nil},
		{"NET-4 address pool too small", func(p *planFile) {
			p.AddressPool = "172.16.0.0/21"
		}, []where{{"NET-4", `connection "manchester-vpn"`}, {"NET-4", `connection "manchester-vpn"`}}, nil},
		{"NET-4 address pool unreadable", func(p *planFile) {
			p.AddressPool = "172.16.0.1/12"
		}, []where{{"NET-4", "addressPool"}}, nil},
		{"NET-5 range smaller than a /24", func(p *planFile) {
			p.Connections[hubPeering].Range = "any /25"
		}, []where{{"NET-5", `connection "hub-peering"`}}, nil},
		{"NET-5 range with host bits is reported once", func(p *planFile) {
			p.Connections[hubPeering].Range = "172.16.0.1/21"
		}, []where{{"NET-5", `connection "hub-peering"`}}, nil},
		{"NET-14 machines do not fit the range", func(p *planFile) {
			p.Catalogs[designers].Users, p.Catalogs[designers].UserCount = nil, 300
		}, []where{{"NET-14", `connection "manchester-vpn"`}}, nil},

		{"NET-1 unknown kind", func(p *planFile) {
			p.Connections[manchesterVPN].Kind = "ExpressRoute"
		}, []where{{"NET-1", `connection "manchester-vpn"`}}, nil},
		{"NET-1 section of another kind", func(p *planFile) {
			p.Connections[hubPeering].VPN = &vpnFile{}
		}, []where{{"NET-1", `connection "hub-peering"`}}, nil},
		{"NET-11 NAT gateway on a VPN", func(p *planFile) {
			p.Connections[manchesterVPN].NAT = &natFile{Enabled: true}
		}, []where{{"NET-11", `connection "manchester-vpn"`}}, nil},
		{"NET-3 Azure-provided DNS on a peering", func(p *planFile) {
			p.Connections[hubPeering].DNS = []string{"168.63.129.16"}
		}, []where{{"NET-3", `connection "hub-peering"`}}, nil},
		{"NET-6 route destination shorter than a /16", func(p *planFile) {
			p.Connections[hubPeering].Routes[1].Destination = "10.0.0.0/12"
		}, []where{{"NET-6", `connection "hub-peering"`}}, nil},
		{"NET-6 route destination unreadable", func(p *planFile) {
			p.Connections[hubPeering].Routes[1].Destination = "10.20.0.0/8"
		}, []where{{"NET-6", `connection "hub-peering"`}}, nil},
		{"NET-9 private VPN device IP", func(p *planFile) {
			p.Connections[manchesterVPN].VPN.DeviceIP = "192.168.10.1"
		}, []where{{"NET-9", `connection "manchester-vpn"`}}, nil},
		{"REG-1 unknown connection region is reported once", func(p *planFile) {
			p.Connections[manchesterVPN].Region = "westmoon"
		}, []where{{"REG-1", `connection "manchester-vpn"`}}, nil},
		{"API-7 two connections with one name", func(p *planFile) {
			p.Connections[manchesterVPN].Name = "Hub-Peering"
			p.Catalogs[designers].Connection = "Hub-Peering"
		}, []where{{"API-7", `connection "Hub-Peering"`}, {"NET-2", `catalog "Manchester designers"`}}, nil},
		{"NET-12 vWAN spoke without a route to the internet", func(p *planFile) {
			p.Connections = append(p.Connections, vwanConnection())
		}, nil, []where{{"NET-12", `connection "emea-spoke"`}}},
		{"NET-12 vWAN spoke with a route to the internet", func(p *planFile) {
			p.Connections = append(p.Connections, vwanConnection(routeFile{Name: "internet", Destination: "0.0.0.0/0", NextHop: "Internet"}))
		}, nil, nil},

		{"NET-2 missing connection", func(p *planFile) {
			p.Catalogs[designers].Connection = "leeds-vpn"
		}, []where{{"NET-2", `catalog "Manchester designers"`}}, nil},
		{"NET-2 catalog on a No connectivity connection", func(p *planFile) {
			p.Connections = append(p.Connections, connectionFile{Name: "isolated", Subscription: "Contoso Branches", Kind: "None", Region: "uksouth", Range: "any /24"})
			c := &p.Catalogs[designers]
			c.Connection, c.Domain, c.ResourceLocation = "isolated", domainFile{Type: "none"}, ""
		}, []where{{"NET-2", `catalog "Manchester designers"`}}, nil},
		{"IDN-2 domain-joined without a connection", func(p *planFile) {
			p.Catalogs[designers].Connection, p.Catalogs[designers].Region = "", "uksouth"
		}, []where{{"IDN-2", `catalog "Manchester designers"`}}, nil},
		{"REG-1 no region without a connection", func(p *planFile) {
			c := &p.Catalogs[designers]
			c.Connection, c.Domain, c.ResourceLocation = "", domainFile{Type: "none"}, ""
		}, []where{{"REG-1", `catalog "Manchester designers"`}}, nil},
		{"REG-2 region other than the connection's", func(p *planFile) {
			p.Catalogs[taskWorkers].Region = "northeurope"
		}, []where{{"REG-2", `catalog "Task workers"`}}, nil},
		{"RL-1 resource location on two connections", func(p *planFile) {
			p.Catalogs[designers].ResourceLocation = "west europe"
		}, []where{{"RL-1", `catalog "Manchester designers"`}}, nil},
		{"CAT-5 duplicate catalog name", func(p *planFile) {
			p.Catalogs = append(p.Catalogs, taskCatalog(p, "TASK WORKERS", 8, "CTX-TX-###"))
		}, []where{{"CAT-5", `catalog "TASK WORKERS"`}}, nil},
		{"CAT-1 unknown machine type is reported once", func(p *planFile) {
			p.Catalogs[taskWorkers].MachineType = "pooled"
		}, []where{{"CAT-1", `catalog "Task workers"`}}, nil},
		{"CAT-1 unknown persona", func(p *planFile) {
			p.Catalogs[taskWorkers].Persona = "Task worker (light)"
		}, []where{{"CAT-1", `catalog "Task workers"`}}, nil},
		{"CAT-2 users and a user count", func(p *planFile) {
			p.Catalogs[designers].UserCount = 12
		}, []where{{"CAT-2", `catalog "Manchester designers"`}}, nil},
		{"CAT-2 user count out of range", func(p *planFile) {
			p.Catalogs[taskWorkers].UserCount = maxUserCount + 1
		}, []where{{"CAT-2", `catalog "Task workers"`}}, nil},
		{"CAT-3 unknown connectivity", func(p *planFile) {
			p.Catalogs[taskWorkers].Connectivity = "Citrix Gateway"
		}, []where{{"CAT-3", `catalog "Task workers"`}}, nil},
		{"CAT-4 unknown time zone", func(p *planFile) {
			p.Catalogs[designers].Schedule.TimeZone = "Europe/Londres"
		}, []where{{"CAT-4", `catalog "Manchester designers"`}}, nil},
		{"CAT-4 peak start unreadable", func(p *planFile) {
			p.Catalogs[taskWorkers].Schedule.Autoscale.PeakStart = "7.30"
		}, []where{{"CAT-4", `catalog "Task workers"`}}, nil},
		{"NAM-7 unknown wildcard kind", func(p *planFile) {
			p.Catalogs[designers].Wildcards = "Symbols"
		}, []where{{"NAM-7", `catalog "Manchester designers"`}}, nil},
		{"NAM-9 default scheme", func(p *planFile) {
			p.Catalogs[taskWorkers].NamingScheme = ""
		}, nil, nil},
		{"IDN-4 no service account password", func(p *planFile) {
			p.Catalogs[designers].Domain.Password = secretField{}
		}, []where{{"IDN-4", `catalog "Manchester designers"`}}, nil},
		{"IDN-1 unknown domain type", func(p *planFile) {
			p.Catalogs[designers].Domain.Type = "workgroup"
		}, []where{{"IDN-1", `catalog "Manchester designers"`}}, nil},
		{"IDN-5 random non-domain-joined catalog", func(p *planFile) {
			c := &p.Catalogs[designers]
			c.MachineType, c.Domain, c.ResourceLocation = "random", domainFile{Type: "non-domain-joined"}, ""
		}, nil, []where{{"IDN-5", `catalog "Manchester designers"`}}},
		{"IMG-8 not a prepared image", func(p *planFile) {
			p.Catalogs[taskWorkers].Image = "Golden image 2026-05"
		}, []where{{"IMG-8", `catalog "Task workers"`}}, nil},
		{"LIC-1 no qualifying license", func(p *planFile) {
			p.Catalogs[designers].Licenses = []string{"Microsoft 365 Business Premium"}
		}, []where{{"LIC-1", `catalog "Manchester designers"`}}, nil},

		{"LIM-9 unusable limits", func(p *planFile) {
			p.Limits = &limitsFile{NearLimitPercent: intp(150)}
		}, []where{{"LIM-9", "limits"}}, nil},
		{"LIM-1 domains per tenant", func(p *planFile) {
			p.Limits = &limitsFile{ADDomainsPerTenant: intp(1), ADDomainsPerResourceLocation: intp(1)}
			p.Catalogs[designers].Domain.FQDN = "branches.contoso.com"
		}, []where{{"LIM-1", `catalog "Manchester designers"`}}, nil},
		{"LIM-2 catalogs per tenant", func(p *planFile) {
			p.Limits = &limitsFile{CatalogsPerTenant: intp(1)}
		}, []where{{"LIM-2", `catalog "Manchester designers"`}}, nil},
		{"LIM-3 resource locations per tenant", func(p *planFile) {
			p.Limits = &limitsFile{ResourceLocationsPerTenant: intp(1)}
		}, []where{{"LIM-3", `catalog "Manchester designers"`}}, nil},
		{"LIM-6 two domains in one resource location", func(p *planFile) {
			c := taskCatalog(p, "EMEA task workers", 80, "CTX-EM-###")
			c.Domain.FQDN = "emea.contoso.com"
			p.Catalogs = append(p.Catalogs, c)
		}, []where{{"LIM-6", `catalog "EMEA task workers"`}}, nil},
		{"LIM-7 single-session users per resource location", func(p *planFile) {
			p.Limits = &limitsFile{VDAsPerSubscription: intp(10_000)}
			p.Connections[manchesterVPN].Range = "any /19"
			p.Catalogs[designers].Users, p.Catalogs[designers].UserCount = nil, 5_001
		}, []where{{"LIM-7", `catalog "Manchester designers"`}}, nil},
		{"LIM-8 more users than any resource location serves", func(p *planFile) {
			p.Connections[hubPeering].Range = "any /20"
			p.Catalogs[taskWorkers].UserCount = 30_000 // 3,750 machines
		}, []where{{"LIM-8", `catalog "Task workers"`}}, nil},
		{"LIM-8 multi-session users per resource location", func(p *planFile) {
			p.Limits = &limitsFile{MultiSessionUsersPerResourceLocation: intp(1_999)}
		}, []where{{"LIM-8", `catalog "Task workers"`}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := validPlan(t)
			tc.edit(p)
			r := check(p)
			for _, f := range append(r.Problems, r.Warnings...) {
				t.Logf("%s  %s  %s — %s", f.Rule, f.Where, f.Problem, f.Fix) // go test -v shows the messages
			}
			if diff := cmp.Diff(tc.problems, wheres(r.Problems), cmpNilEmpty); diff != "" {
				t.Errorf("problems (-want +got):\n%s\n%v", diff, r.Problems)
			}
			if diff := cmp.Diff(tc.warnings, wheres(r.Warnings), cmpNilEmpty); diff != "" {
				t.Errorf("warnings (-want +got):\n%s\n%v", diff, r.Warnings)
			}
			if r.OK != (len(tc.problems) == 0) || (r.Plan != nil) != r.OK {
				t.Errorf("ok %v, plan %v with %d problems", r.OK, r.Plan != nil, len(r.Problems))
			}
		})
	}
}

// cmpNilEmpty treats a nil and an empty slice of findings alike.
var cmpNilEmpty = cmp.FilterValues(func(a, b []where) bool { return len(a) == 0 && len(b) == 0 }, cmp.Ignore())

// TestLIM4WorkedExample follows the documentation's example (LIM-4, LIM-5):
// Cat1 2,000 VDAs and Cat2 2,500 make 4,500, allowed and near the limit;
// 500 more anywhere reach 5,000 and are refused.
func TestLIM4WorkedExample(t *testing.T) {
	plan := func(extra bool) *planFile {
		p := validPlan(t)
		p.Connections[hubPeering].Range = "any /19" // room for 4,500 machines
		// Task worker (heavy) puts 4 users on a machine.
		cat := func(name string, users int, scheme string) catalogFile {
			c := taskCatalog(p, name, users, scheme)
			c.Persona = "Task worker (heavy)"
			return c
		}
		p.Catalogs = []catalogFile{cat("Cat1", 8_000, "CAT1-####"), cat("Cat2", 10_000, "CAT2-####")}
		if extra {
			p.Catalogs = append(p.Catalogs, cat("Cat3", 2_000, "CAT3-####"))
		}
		return p
	}

	r := check(plan(false))
	// RULE LIM-5: 4,500 of 5,000 is near the limit: a warning, not a problem.
	if diff := cmp.Diff([]where{{"LIM-5", `subscription "Contoso Production"`}}, wheres(r.Warnings)); diff != "" || !r.OK {
		t.Fatalf("ok %v, problems %v, warnings (-want +got):\n%s", r.OK, r.Problems, diff)
	}
	i := slices.IndexFunc(r.Plan.Limits, func(l LimitRow) bool { return l.Scope == "subscription Contoso Production" })
	if diff := cmp.Diff(LimitRow{Rule: "LIM-4", Scope: "subscription Contoso Production", Unit: "VDAs", Used: 4_500, Limit: 5_000, Free: 499, Near: true}, r.Plan.Limits[i]); diff != "" {
		t.Errorf("LIM-4 row (-want +got):\n%s", diff)
	}

	// RULE LIM-4: 500 more make 5,000, which is refused.
	r = check(plan(true))
	if diff := cmp.Diff([]where{{"LIM-4", `catalog "Cat3"`}}, wheres(r.Problems)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestFirewallByDomainType: a connection whose catalogs are not
// domain-joined gets FW-1's rules, a domain-joined one FW-2's.
func TestFirewallByDomainType(t *testing.T) {
	p := validPlan(t)
	c := &p.Catalogs[designers]
	c.Domain, c.ResourceLocation = domainFile{Type: "non-domain-joined"}, ""
	r := check(p)
	if !r.OK {
		t.Fatalf("problems: %v", r.Problems)
	}
	got := map[string][]string{}
	for _, f := range r.Plan.Firewalls {
		for _, rule := range f.Rules {
			got[f.Rule+" "+f.Connection] = append(got[f.Rule+" "+f.Connection], rule.Name)
		}
	}
	want := map[string][]string{
		// RULE FW-2: Citrix ports inside the VNet, shadowing from the peered VNet.
		"FW-2 hub-peering": {"FlexAllowCitrixInBound", "FlexAllowShadowingInBound", "FlexDenyAllInBound", "FlexAllowAllOutBound"},
		// RULE FW-1: deny all inbound, allow all outbound.
		"FW-1 manchester-vpn": {"FlexDenyAllInBound", "FlexAllowAllOutBound"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("firewall rules (-want +got):\n%s", diff)
	}
}

// TestNoConnectivity: a No connectivity connection with a range Citrix
// chooses, and a catalog without a connection in a region of its own.
func TestNoConnectivity(t *testing.T) {
	p := validPlan(t)
	p.Connections = append(p.Connections, connectionFile{Name: "isolated", Subscription: "Contoso Branches",
		Kind: "No connectivity", Region: "UK South", NAT: &natFile{Enabled: true, IdleTimeoutMinutes: 30}})
	c := &p.Catalogs[designers]
	c.Connection, c.Region, c.Domain, c.ResourceLocation = "", "uksouth", domainFile{Type: "none"}, ""
	r := check(p)
	if !r.OK {
		t.Fatalf("problems: %v", r.Problems)
	}
	var ranges []RangeRow
	for _, row := range r.Plan.Ranges {
		if row.Connection == "isolated" {
			ranges = append(ranges, row)
		}
	}
	want := []RangeRow{{Subscription: "Contoso Branches", Connection: "isolated", Kind: "No connectivity", Region: "uksouth",
		Use: "Flex range", Source: "chosen by Citrix at creation"}}
	if diff := cmp.Diff(want, ranges); diff != "" {
		t.Errorf("ranges (-want +got):\n%s", diff)
	}
	cat := r.Plan.Catalogs[designers]
	// RULE RL-1: a non-domain-joined catalog gets a resource location of its own.
	if cat.Connection != "" || cat.Region != "uksouth" || cat.ResourceLocation != "uksouth (automatic)" {
		t.Errorf("catalog row %+v; want No connectivity in uksouth with an automatic resource location", cat)
	}
}

// TestDefaultScheme: a catalog without a naming scheme gets the default
// one (NAM-9), the same on every run.
func TestDefaultScheme(t *testing.T) {
	p := validPlan(t)
	p.Catalogs[taskWorkers].NamingScheme = ""
	first := check(p)
	second := check(p)
	n := first.Plan.Catalogs[taskWorkers].Naming
	// RULE NAM-9: "DAS", five location characters, two random, three digits.
	if !n.Default || len(n.Scheme) != 15 || !strings.HasPrefix(n.Scheme, "DASWESTE-") || !strings.HasSuffix(n.Scheme, "-###") ||
		n.Capacity != 999 || n.First != strings.TrimSuffix(n.Scheme, "###")+"001" || n.Last != strings.TrimSuffix(n.Scheme, "###")+"250" {
		t.Errorf("default naming %+v", n)
	}
	if diff := cmp.Diff(first, second, cmp.AllowUnexported(Finding{})); diff != "" {
		t.Errorf("two runs differ:\n%s", diff)
	}
}

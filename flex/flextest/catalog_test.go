package flextest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
)

// connections are the connection facts catalogs are drawn for: No
// connectivity (zero and of kind None) and a usable connection of each kind
// with connectivity, a vWAN spoke without an internet route among them.
var connections = []catalog.Connection{
	{},
	{Name: "citrix-managed", Kind: network.KindNone, Region: network.EastUS, Usable: true},
	{Name: "corp-peering", Kind: network.KindVnetPeering, Region: network.WestEurope, HasInternetRoute: true, Usable: true},
	{Name: "branch-vpn", Kind: network.KindAzureVpn, Region: network.NorthCentralUS, Usable: true},
	{Name: "hub-spoke", Kind: network.KindVWanConnection, Region: network.JapanEast, Usable: true},
}

// personas are the built-in personas and a custom persona of each session
// type.
func personas(t *testing.T) []quota.Persona {
	cad, err := quota.CustomPersona("CAD", quota.SingleSession, 8, 32, 1)
	if err != nil {
		t.Fatal(err)
	}
	shared, err := quota.CustomPersona("Shared desk", quota.MultiSession, 16, 64, 12)
	if err != nil {
		t.Fatal(err)
	}
	return append(quota.Personas(), cad, shared)
}

// checkCatalog fails t unless s validates against conn with nothing but the
// warnings that conn and the machine type explain.
func checkCatalog(t *rapid.T, s catalog.Spec, conn catalog.Connection) {
	t.Helper()
	ws, err := s.Validate(conn)
	if err != nil {
		t.Fatalf("Validate: %v\nrule IDs %v\nspec: %+v", err, rule.IDs(err), s) // RULE CAT-1…CAT-5, CAT-14, IDN-1…IDN-4, NAM-1…NAM-8, REG-1, REG-2, IMG-8, IMG-9, LIC-1, NET-2, SUB-2
	}
	for _, w := range ws {
		switch {
		case w.ID == "IDN-5" && s.MachineType == quota.Random && s.Domain == image.NonDomainJoined:
		case w.ID == "NET-12" && conn.Kind == network.KindVWanConnection && !conn.HasInternetRoute:
		default:
			t.Fatalf("unexpected warning %v", w)
		}
	}
}

// Property: for every persona, every machine type it may be delivered on
// and every kind of connection, CatalogSpecFor draws specs that validate.
func TestCatalogSpecForEveryPersonaAndMachineType(t *testing.T) {
	for _, p := range personas(t) {
		for _, mt := range p.MachineTypes() {
			for _, conn := range connections {
				name := fmt.Sprintf("CAT-1 %s on %v with %v", p.Name, mt, conn.Kind)
				t.Run(name, func(t *testing.T) {
					rapid.Check(t, func(t *rapid.T) {
						s := flextest.CatalogSpecFor(conn, p, mt).Draw(t, "spec")
						if s.Persona != p || s.MachineType != mt {
							t.Fatalf("drew persona %v on %v", s.Persona, s.MachineType)
						}
						checkCatalog(t, s, conn)
					})
				})
			}
		}
	}
}

// Property: CatalogSpec draws valid specs across personas, machine types,
// domain types, schemes and images, and now and then each choice.
func TestCatalogSpec(t *testing.T) {
	seen := map[string]bool{}
	for _, conn := range connections {
		rapid.Check(t, func(t *rapid.T) {
			s := flextest.CatalogSpec(conn).Draw(t, "spec")
			checkCatalog(t, s, conn)
			seen["machine type "+s.MachineType.String()] = true
			seen["domain "+s.Domain.String()] = true
			seen[fmt.Sprintf("custom persona %v", s.Persona.Custom)] = true
			seen[fmt.Sprintf("default scheme %v", s.NamingScheme == "")] = true
			seen[fmt.Sprintf("prepared image %v", s.Image.Prepared())] = true
			seen[fmt.Sprintf("intune %v", s.Intune)] = true
			seen[fmt.Sprintf("secure boot %v", s.SecureBoot)] = true
			seen[fmt.Sprintf("backup size %v", s.BackupVMSize != "")] = true
			seen["connectivity "+s.Connectivity.String()] = true
		})
	}
	for _, want := range []string{
		"machine type static", "machine type random", "machine type multi-session",
		"domain non-domain-joined", "domain Active Directory", "domain Entra hybrid joined",
		"custom persona true", "custom persona false", "default scheme true", "default scheme false",
		"prepared image true", "prepared image false", "intune true", "secure boot true", "backup size true",
		"connectivity Gateway service", "connectivity NetScaler Gateway", "connectivity Direct",
	} {
		if !seen[want] {
			t.Errorf("no spec drawn with %s", want)
		}
	}
}

func TestCatalogSpecPanicsOnUnusableConnection(t *testing.T) {
	for _, conn := range []catalog.Connection{
		{Name: "down", Kind: network.KindVnetPeering, Region: network.WestEurope, Usable: false},
		{Name: "", Kind: network.KindAzureVpn, Region: network.WestEurope, Usable: true},
		{Name: "nowhere", Kind: network.KindAzureVpn, Region: "moon", Usable: true},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("CatalogSpec(%+v) did not panic", conn) // RULE NET-2
				}
			}()
			flextest.CatalogSpec(conn)
		}()
	}
	defer func() {
		if recover() == nil {
			t.Error("CatalogSpecFor of a multi-session persona on static machines did not panic") // RULE CAT-1
		}
	}()
	p, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	flextest.CatalogSpecFor(catalog.Connection{}, p, quota.Static)
}

// Property: users, principals, personas and catalog names validate, and
// drawn sets of them are unique the way their owners compare them (CAT-1,
// CAT-2, CAT-5, CAT-9).
func TestUsersPrincipalsPersonasNames(t *testing.T) {
	forms := map[string]bool{}
	rapid.Check(t, func(t *rapid.T) {
		id := flextest.UserID().Draw(t, "user")
		if err := catalog.ValidateUserID(id); err != nil {
			t.Fatalf("ValidateUserID(%q): %v", id, err) // RULE CAT-9
		}
		switch {
		case strings.Contains(id, "@"):
			forms["upn"] = true
		case strings.Contains(id, `\`):
			forms["netbios"] = true
		default:
			forms["bare"] = true
		}
		users := flextest.Users(1, 20).Draw(t, "users")
		seen := map[string]bool{}
		for _, u := range users {
			for v := range seen {
				if strings.EqualFold(u, v) {
					t.Fatalf("users %q and %q are the same user", u, v) // RULE CAT-2
				}
			}
			seen[u] = true
		}
		ps := flextest.Principals(10).Draw(t, "principals")
		var set catalog.Principals
		if n, err := set.Add(ps...); err != nil || n != len(ps) {
			t.Fatalf("Principals.Add: added %d of %d: %v", n, len(ps), err) // RULE CAT-9
		}
		if p := flextest.Persona().Draw(t, "persona"); p.Validate() != nil {
			t.Fatalf("persona %v: %v", p, p.Validate()) // RULE CAT-1
		}
		if n := flextest.CatalogName().Draw(t, "name"); catalog.ValidateName(n) != nil {
			t.Fatalf("catalog name %q: %v", n, catalog.ValidateName(n)) // RULE CAT-5
		}
	})
	if len(forms) != 3 {
		t.Errorf("user ID forms drawn: %v, want all three", forms)
	}
}

// Property: command lines validate and survive Windows' parsing; apps
// validate and a drawn set publishes (CAT-10, CAT-11).
func TestCommandLinesAndApps(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := flextest.CommandLine().Draw(t, "commandLine")
		if err := c.Validate(); err != nil {
			t.Fatalf("Validate(%#v): %v", c, err) // RULE CAT-11
		}
		s := catalog.BuildCommandLine(c.Path, c.Args, c.FileTypes)
		if s != c.String() {
			t.Fatalf("BuildCommandLine = %s, String = %s", s, c.String())
		}
		back, err := catalog.ParseCommandLine(s)
		if err != nil {
			t.Fatalf("ParseCommandLine(%s): %v", s, err) // RULE CAT-11
		}
		if diff := cmp.Diff(c, back); diff != "" {
			t.Fatalf("round trip of %s (-drawn +parsed):\n%s", s, diff)
		}
		a := flextest.App().Draw(t, "app")
		if err := a.Validate(); err != nil {
			t.Fatalf("App.Validate(%#v): %v", a, err) // RULE CAT-10
		}
		var apps catalog.Apps
		if err := apps.Add(flextest.Apps(8).Draw(t, "apps")...); err != nil {
			t.Fatalf("Apps.Add: %v", err) // RULE CAT-10
		}
	})
}

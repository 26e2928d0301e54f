package catalog_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/naming"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
	"github.com/google/go-cmp/cmp"
)

func TestSpecValid(t *testing.T) {
	s := validSpec(t)
	warns, err := s.Validate(peering())
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if len(warns) != 0 {
		t.Errorf("warnings %v, want none", warns)
	}
	// CAT-2: 3 users of Task worker (medium), 8 per machine → 1 machine.
	if n, err := s.Machines(); err != nil || n != 1 {
		t.Errorf("Machines = %d, %v; want 1", n, err)
	}
	// REG-2: the catalog takes the connection's region.
	if got := s.EffectiveRegion(peering()); got != network.WestEurope {
		t.Errorf("EffectiveRegion = %v, want westeurope", got)
	}
}

func TestSpecProblems(t *testing.T) {
	win11 := prepared(t, "Windows 11 Pro (single-session)")
	tests := []struct {
		name   string
		change func(*catalog.Spec, *catalog.Connection)
		want   []string
	}{
		{"CAT-5 name too short", func(s *catalog.Spec, _ *catalog.Connection) { s.Name = "A" }, []string{"CAT-5"}},
		{"CAT-5 name too long", func(s *catalog.Spec, _ *catalog.Connection) { s.Name = strings.Repeat("n", 39) }, []string{"CAT-5"}},
		{"CAT-1 multi-session persona on static machines", func(s *catalog.Spec, _ *catalog.Connection) { s.MachineType = quota.Static }, []string{"CAT-1", "IMG-8"}},
		{"CAT-1 no machine type", func(s *catalog.Spec, _ *catalog.Connection) { s.MachineType = 0 }, []string{"CAT-1"}},
		{"CAT-2 no users", func(s *catalog.Spec, _ *catalog.Connection) { s.Users = nil }, []string{"CAT-2"}},
		{"CAT-2 duplicate user ignoring case", func(s *catalog.Spec, _ *catalog.Connection) {
			s.Users = append(s.Users, "ALICE@corp.example.com")
		}, []string{"CAT-2"}},
		{"CAT-2 invalid user", func(s *catalog.Spec, _ *catalog.Connection) { s.Users = append(s.Users, "bad user@") }, []string{"CAT-2"}},
		{"SUB-2 no subscription", func(s *catalog.Spec, _ *catalog.Connection) { s.Subscription = " " }, []string{"SUB-2"}},
		{"NET-2 facts of another connection", func(_ *catalog.Spec, c *catalog.Connection) { c.Name = "other" }, []string{"NET-2"}},
		{"NET-2 connection not usable", func(_ *catalog.Spec, c *catalog.Connection) { c.Usable = false }, []string{"NET-2"}},
		{"REG-2 region differs from the connection's", func(s *catalog.Spec, _ *catalog.Connection) { s.Region = network.EastUS }, []string{"REG-2"}},
		{"REG-1 connection in an unsupported region", func(_ *catalog.Spec, c *catalog.Connection) { c.Region = "mars" }, []string{"REG-1"}},
		{"REG-1 no region without connectivity", func(s *catalog.Spec, c *catalog.Connection) {
			s.Connection, *c = "", catalog.Connection{}
			s.Domain, s.AD = image.NonDomainJoined, image.ADConfig{}
		}, []string{"REG-1"}},
		{"REG-1 unsupported region without connectivity", func(s *catalog.Spec, c *catalog.Connection) {
			s.Connection, *c = "", catalog.Connection{}
			s.Domain, s.AD = image.NonDomainJoined, image.ADConfig{}
			s.Region = "eastus9"
		}, []string{"REG-1"}},
		{"IDN-2 Active Directory without connectivity", func(s *catalog.Spec, c *catalog.Connection) {
			s.Connection, *c = "", catalog.Connection{}
			s.Region = network.WestEurope
		}, []string{"IDN-2"}},
		{"IDN-2 Entra hybrid without connectivity", func(s *catalog.Spec, c *catalog.Connection) {
			s.Connection, *c, s.Region, s.Domain = "", catalog.Connection{}, network.WestEurope, image.EntraHybrid
		}, []string{"IDN-2"}},
		{"IDN-1 no domain type", func(s *catalog.Spec, _ *catalog.Connection) { s.Domain = 0 }, []string{"IDN-1", "IDN-4"}},
		{"IDN-4 AD without password", func(s *catalog.Spec, _ *catalog.Connection) { s.AD.Password = secret.Value{} }, []string{"IDN-4"}},
		{"IDN-4 AD without FQDN or account", func(s *catalog.Spec, _ *catalog.Connection) { s.AD.Domain, s.AD.ServiceAccount = "corp", "" }, []string{"IDN-4"}},
		{"IDN-4 AD settings on a non-domain-joined catalog", func(s *catalog.Spec, _ *catalog.Connection) { s.Domain = image.NonDomainJoined }, []string{"IDN-4"}},
		{"IDN-3 Intune on multi-session", func(s *catalog.Spec, _ *catalog.Connection) { s.Intune = true }, []string{"IDN-3"}},
		{"IDN-3 Intune on static Windows 11 Active Directory", func(s *catalog.Spec, _ *catalog.Connection) {
			s.Persona, s.MachineType, s.Image, s.Intune = persona(t, quota.KnowledgeWorker), quota.Static, win11, true
			s.Licenses = []image.License{image.Microsoft365E3}
		}, []string{"IDN-3"}},
		{"NAM-2 bad naming scheme", func(s *catalog.Spec, _ *catalog.Connection) { s.NamingScheme = "MachineSalesTeam-##" }, []string{"NAM-2"}},
		{"NAM-8 scheme too small for the machines", func(s *catalog.Spec, _ *catalog.Connection) {
			s.Persona, s.MachineType, s.Image = persona(t, quota.KnowledgeWorker), quota.Random, prepared(t, "Ubuntu 22.04 LTS (single-session)")
			s.NamingScheme = "MachineSales-##"
			s.Users = users(100)
		}, []string{"NAM-8"}},
		{"CAT-3 NetScaler Gateway without FQDN", func(s *catalog.Spec, _ *catalog.Connection) { s.Connectivity = catalog.NetScalerGateway }, []string{"CAT-3"}},
		{"CAT-3 FQDN with Gateway service", func(s *catalog.Spec, _ *catalog.Connection) { s.GatewayFQDN = "gw.example.com" }, []string{"CAT-3"}},
		{"CAT-3 no connectivity type", func(s *catalog.Spec, _ *catalog.Connection) { s.Connectivity = 0 }, []string{"CAT-3"}},
		{"CAT-3 domain-joined without resource location", func(s *catalog.Spec, _ *catalog.Connection) { s.ResourceLocation = "" }, []string{"CAT-3"}},
		{"IMG-8 single-session image on multi-session catalog", func(s *catalog.Spec, _ *catalog.Connection) {
			s.Image = win11
			s.Licenses = []image.License{image.Microsoft365E3}
		}, []string{"IMG-8"}},
		{"IMG-8 no image", func(s *catalog.Spec, _ *catalog.Connection) { s.Image = image.Image{} }, []string{"IMG-8"}},
		{"LIC-1 Windows 11 without a qualifying license", func(s *catalog.Spec, _ *catalog.Connection) {
			s.Persona, s.MachineType, s.Image = persona(t, quota.PowerWorker), quota.Static, win11
			s.Licenses = []image.License{image.Microsoft365BusinessPremium}
		}, []string{"LIC-1"}},
		{"CAT-4 no time zone", func(s *catalog.Spec, _ *catalog.Connection) { s.Schedule.TimeZone = "" }, []string{"CAT-4"}},
		{"CAT-4 unknown time zone", func(s *catalog.Spec, _ *catalog.Connection) { s.Schedule.TimeZone = "Europe/Atlantis" }, []string{"CAT-4"}},
		{"CAT-4 Local time zone", func(s *catalog.Spec, _ *catalog.Connection) { s.Schedule.TimeZone = "Local" }, []string{"CAT-4"}},
		{"CAT-4 custom values without Custom", func(s *catalog.Spec, _ *catalog.Connection) { s.Schedule.Autoscale.PeakDays = catalog.WorkingDays }, []string{"CAT-4"}},
		{"CAT-4 Secure Boot on a Gen1 image", func(s *catalog.Spec, _ *catalog.Connection) {
			s.Image.Generation = image.Gen1
			s.SecureBoot = true
		}, []string{"CAT-4"}},
		{"CAT-14 unknown VM size", func(s *catalog.Spec, _ *catalog.Connection) { s.VMSize = "Standard_Z99" }, []string{"CAT-14"}},
		{"CAT-14 backup equals the VM size", func(s *catalog.Spec, _ *catalog.Connection) { s.BackupVMSize = "standard_d4s_v5" }, []string{"CAT-14"}},
		{"CAT-14 backup without a VM size", func(s *catalog.Spec, _ *catalog.Connection) { s.VMSize, s.BackupVMSize = "", "Standard_D4as_v5" }, []string{"CAT-14"}},
		{"CAT-14 unknown backup size", func(s *catalog.Spec, _ *catalog.Connection) { s.BackupVMSize = "Standard_Q1" }, []string{"CAT-14"}},
		{"IMG-9 size cannot boot the image's generation", func(s *catalog.Spec, _ *catalog.Connection) { s.VMSize = "Standard_A4_v2" }, []string{"IMG-9"}},
		{"IMG-9 backup size cannot boot the image's generation", func(s *catalog.Spec, _ *catalog.Connection) { s.BackupVMSize = "Standard_A4_v2" }, []string{"IMG-9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := validSpec(t), peering()
			tt.change(&s, &c)
			_, err := s.Validate(c)
			wantIDs(t, err, tt.want...)
		})
	}
}

func users(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("user%d@corp.example.com", i+1)
	}
	return out
}

// Validate reports every problem at once.
func TestSpecReportsEverything(t *testing.T) {
	var s catalog.Spec
	warns, err := s.Validate(catalog.Connection{})
	if len(warns) != 0 {
		t.Errorf("warnings %v", warns)
	}
	want := []string{"CAT-1", "CAT-2", "CAT-3", "CAT-4", "CAT-5", "IDN-1", "IMG-8", "REG-1", "SUB-2"}
	wantIDs(t, err, want...)
}

func TestSpecWarnings(t *testing.T) {
	t.Run("IDN-5 random non-domain-joined", func(t *testing.T) {
		s := validSpec(t)
		s.Persona, s.MachineType = persona(t, quota.KnowledgeWorker), quota.Random
		s.Image = prepared(t, "Ubuntu 22.04 LTS (single-session)")
		s.Domain, s.AD, s.ResourceLocation = image.NonDomainJoined, image.ADConfig{}, ""
		warns, err := s.Validate(peering())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"IDN-5"}, warnIDs(warns)); diff != "" {
			t.Errorf("warnings (-want +got):\n%s", diff)
		}
		if !strings.Contains(warns[0].Msg, "static") {
			t.Errorf("IDN-5 warning %q does not recommend static", warns[0].Msg)
		}
		// RULE IDN-5: static non-domain-joined draws no warning.
		s.MachineType = quota.Static
		if warns, err := s.Validate(peering()); err != nil || len(warns) != 0 {
			t.Errorf("static: warnings %v, err %v; want none", warns, err)
		}
	})
	t.Run("NET-12 vWAN without internet route", func(t *testing.T) {
		s, c := validSpec(t), peering()
		c.Kind = network.KindVWanConnection
		c.HasInternetRoute = false
		warns, err := s.Validate(c)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"NET-12"}, warnIDs(warns)); diff != "" {
			t.Errorf("warnings (-want +got):\n%s", diff)
		}
		c.HasInternetRoute = true
		if warns, _ := s.Validate(c); len(warns) != 0 {
			t.Errorf("with the route: warnings %v", warns)
		}
	})
	t.Run("warnings come with errors", func(t *testing.T) {
		s, c := validSpec(t), peering()
		c.Kind, c.HasInternetRoute = network.KindVWanConnection, false
		s.Name = ""
		warns, err := s.Validate(c)
		wantIDs(t, err, "CAT-5")
		if diff := cmp.Diff([]string{"NET-12"}, warnIDs(warns)); diff != "" {
			t.Errorf("warnings (-want +got):\n%s", diff)
		}
	})
}

func TestSpecNoConnectivity(t *testing.T) {
	s := validSpec(t)
	s.Connection, s.Region = "", network.NorthEurope
	s.Domain, s.AD, s.ResourceLocation = image.NonDomainJoined, image.ADConfig{}, ""
	// RULE REG-2: a region is chosen only with No connectivity, and used.
	if _, err := s.Validate(catalog.Connection{}); err != nil {
		t.Fatal(err)
	}
	if got := s.EffectiveRegion(catalog.Connection{}); got != network.NorthEurope {
		t.Errorf("EffectiveRegion = %v", got)
	}
	// NET-2: facts of a connection for a catalog that names none.
	_, err := s.Validate(peering())
	wantIDs(t, err, "NET-2")
	// A "No connectivity" connection named explicitly is not connectivity.
	s2 := s
	s2.Connection, s2.Region = "none", ""
	_, err = s2.Validate(catalog.Connection{Name: "none", Kind: network.KindNone, Usable: true})
	wantIDs(t, err, "NET-2")
}

func TestSpecRegionEqualToConnection(t *testing.T) {
	// RULE REG-2: the connection's own region may be repeated.
	s := validSpec(t)
	s.Region = network.WestEurope
	if _, err := s.Validate(peering()); err != nil {
		t.Fatal(err)
	}
}

func TestSpecIntune(t *testing.T) {
	// RULE IDN-3: static single-session Windows 11 Entra hybrid joined.
	s := validSpec(t)
	s.Persona, s.MachineType = persona(t, quota.PowerWorker), quota.Static
	s.Image = prepared(t, "Windows 11 Pro (single-session)")
	s.Licenses = []image.License{image.Windows11VDAE5}
	s.Domain, s.Intune = image.EntraHybrid, true
	if _, err := s.Validate(peering()); err != nil {
		t.Fatal(err)
	}
	s.MachineType = quota.Random
	_, err := s.Validate(peering())
	wantIDs(t, err, "IDN-3")
}

func TestSpecDefaultNamingCapacity(t *testing.T) {
	// RULE NAM-8: the default scheme names at most 999 machines.
	s := validSpec(t)
	s.NamingScheme = ""
	s.Persona, s.MachineType, s.Image = persona(t, quota.KnowledgeWorker), quota.Random, prepared(t, "Ubuntu 22.04 LTS (single-session)")
	s.Users = users(999)
	if _, err := s.Validate(peering()); err != nil {
		t.Fatalf("999 machines: %v", err)
	}
	s.Users = users(1000)
	_, err := s.Validate(peering())
	wantIDs(t, err, "NAM-8")
}

func TestSpecMachines(t *testing.T) {
	// RULE CAT-2: machines = users single-session, ⌈users ÷ per VM⌉ multi-session.
	for _, tt := range []struct {
		persona string
		mt      quota.MachineType
		users   int
		want    int
	}{
		{quota.KnowledgeWorker, quota.Static, 10, 10},
		{quota.PowerWorker, quota.Random, 7, 7},
		{quota.TaskWorkerMedium, quota.MultiSessionMachine, 17, 3},
		{quota.TaskWorkerHeavy, quota.MultiSessionMachine, 17, 5},
		{quota.TaskWorkerHeavy, quota.MultiSessionMachine, 16, 4},
	} {
		s := catalog.Spec{Persona: persona(t, tt.persona), MachineType: tt.mt, Users: users(tt.users)}
		if got, err := s.Machines(); err != nil || got != tt.want {
			t.Errorf("%s × %d users: Machines = %d, %v; want %d", tt.persona, tt.users, got, err, tt.want)
		}
	}
}

func TestSpecSizes(t *testing.T) {
	// RULE CAT-14: the persona's size stands in when VMSize is empty.
	p, err := quota.CustomPersona("Designers", quota.SingleSession, 8, 32, 1)
	if err != nil {
		t.Fatal(err)
	}
	p.VMSize = "Standard_D8s_v5"
	s := catalog.Spec{Persona: p, BackupVMSize: "Standard_D8as_v5"}
	if diff := cmp.Diff(catalog.Sizes{Primary: "Standard_D8s_v5", Backup: "Standard_D8as_v5"}, s.Sizes()); diff != "" {
		t.Error(diff)
	}
	s.VMSize = "Standard_D4s_v5"
	if got := s.Sizes().Primary; got != "Standard_D4s_v5" {
		t.Errorf("Primary = %q", got)
	}
}

// RULE SEC-1: the AD service account password never shows.
func TestSpecSecretNeverShows(t *testing.T) {
	const pw = "Pa55word-never-shown"
	s := validSpec(t)
	s.Name = "" // make Validate fail
	s.AD.Domain = "x"
	_, err := s.Validate(peering())
	if err == nil {
		t.Fatal("want an error")
	}
	js, jerr := json.Marshal(s)
	if jerr != nil {
		t.Fatal(jerr)
	}
	req := catalog.AddMachinesRequest{Users: 0, ServiceAccount: "x y", Password: secret.New(pw)}
	for name, out := range map[string]string{
		"error":       err.Error(),
		"%v":          fmt.Sprintf("%v", s),
		"%+v":         fmt.Sprintf("%+v", s),
		"%#v":         fmt.Sprintf("%#v", s),
		"json":        string(js),
		"add request": fmt.Sprintf("%#v %v", req, req.Validate(image.ActiveDirectory)),
	} {
		if strings.Contains(out, pw) {
			t.Errorf("SEC-1: %s shows the password: %s", name, out)
		}
	}
}

func TestValidateName(t *testing.T) {
	for _, ok := range []string{"AB", "Sales apps", strings.Repeat("x", 38), "Équipe-1", "HR_2026"} {
		if err := catalog.ValidateName(ok); err != nil {
			t.Errorf("CAT-5: ValidateName(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "A", strings.Repeat("x", 39), " Sales", "Sales ", "a/b", "a.b", "a:b", "x\ty", "\xff\xfe"} {
		err := catalog.ValidateName(bad)
		if !rule.Has(err, "CAT-5") {
			t.Errorf("CAT-5: ValidateName(%q) = %v; want a CAT-5 violation", bad, err)
		}
	}
	// RULE CAT-5: names are unique ignoring case.
	if !catalog.SameName("Sales Apps", "sales apps") || catalog.SameName("Sales", "Sales2") {
		t.Error("CAT-5: SameName")
	}
}

func TestWildcardKindPassedOn(t *testing.T) {
	// NAM-7, NAM-8: "MachineSales-#" names 99 machines with digits and
	// hundreds with letters; 150 users fit only with letters.
	s := validSpec(t)
	s.Persona, s.MachineType, s.Image = persona(t, quota.KnowledgeWorker), quota.Random, prepared(t, "Ubuntu 22.04 LTS (single-session)")
	s.NamingScheme, s.WildcardKind = "MachineSales-#", naming.Digits
	s.Users = users(150)
	_, err := s.Validate(peering())
	wantIDs(t, err, "NAM-8")
	s.WildcardKind = naming.Letters
	if _, err := s.Validate(peering()); err != nil {
		t.Errorf("letters scheme: %v", err)
	}
}

package catalog_test

import (
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
	"github.com/google/go-cmp/cmp"
)

// prepared returns the prepared image called name.
func prepared(t testing.TB, name string) image.Image {
	t.Helper()
	img, ok := image.LookupPrepared(name)
	if !ok {
		t.Fatalf("no prepared image %q", name)
	}
	return img
}

func persona(t testing.TB, name string) quota.Persona {
	t.Helper()
	p, ok := quota.PersonaByName(name)
	if !ok {
		t.Fatalf("no persona %q", name)
	}
	return p
}

// validSpec returns a multi-session Active Directory catalog on a VNet
// peering connection that passes Validate with peering().
func validSpec(t testing.TB) catalog.Spec {
	return catalog.Spec{
		Name:         "Sales apps",
		Persona:      persona(t, quota.TaskWorkerMedium),
		MachineType:  quota.MultiSessionMachine,
		Users:        []string{"alice@corp.example.com", "bob@corp.example.com", `CORP\carol`},
		Subscription: "Citrix Managed",
		Connection:   "corp-peering",
		Domain:       image.ActiveDirectory,
		AD: image.ADConfig{
			Domain:         "corp.example.com",
			OU:             "OU=VDAs,DC=corp,DC=example,DC=com",
			ServiceAccount: `CORP\svc-join`,
			Password:       secret.New("Pa55word-never-shown"),
		},
		NamingScheme:     "PC-Sales-##",
		ResourceLocation: "West Europe AD",
		Connectivity:     catalog.GatewayService,
		Image:            prepared(t, "Windows Server 2022 (multi-session)"),
		Schedule:         catalog.WorkSchedule{TimeZone: "Europe/Berlin"},
		VMSize:           "Standard_D4s_v5",
	}
}

func peering() catalog.Connection {
	return catalog.Connection{Name: "corp-peering", Kind: network.KindVnetPeering, Region: network.WestEurope, HasInternetRoute: true, Usable: true}
}

// wantIDs fails the test unless err holds exactly the rule IDs want.
func wantIDs(t *testing.T, err error, want ...string) {
	t.Helper()
	if len(want) == 0 {
		want = nil
	}
	if diff := cmp.Diff(want, rule.IDs(err)); diff != "" {
		t.Errorf("rule IDs (-want +got):\n%s\nerror: %v", diff, err)
	}
}

func warnIDs(ws []network.Warning) []string {
	var ids []string
	for _, w := range ws {
		ids = append(ids, w.ID)
	}
	return ids
}

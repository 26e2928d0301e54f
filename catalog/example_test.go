package catalog_test

import (
	"fmt"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/secret"
)

func ExampleSpec_Validate() {
	p, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	img, _ := image.LookupPrepared("Windows Server 2022 (multi-session)")
	spec := catalog.Spec{
		Name:         "Sales apps",
		Persona:      p,
		MachineType:  quota.MultiSessionMachine,
		Users:        []string{"alice@corp.example.com", "bob@corp.example.com"},
		Subscription: "Citrix Managed",
		Connection:   "corp-vwan",
		Domain:       image.ActiveDirectory,
		AD: image.ADConfig{
			Domain:         "corp.example.com",
			ServiceAccount: `CORP\svc-join`,
			Password:       secret.New("never printed"),
		},
		NamingScheme:     "PC-Sales-##",
		ResourceLocation: "West Europe",
		Connectivity:     catalog.GatewayService,
		Image:            img,
		Schedule:         catalog.WorkSchedule{TimeZone: "Europe/Berlin"},
	}
	conn := catalog.Connection{Name: "corp-vwan", Kind: network.KindVWanConnection, Region: network.WestEurope, Usable: true}
	warnings, err := spec.Validate(conn)
	fmt.Println("error:", err)
	for _, w := range warnings {
		fmt.Println(w.ID)
	}
	n, _ := spec.Machines()
	fmt.Println(n, "machine in", spec.EffectiveRegion(conn))

	spec.Name = "X"
	spec.Schedule.TimeZone = "Mars/Olympus"
	_, err = spec.Validate(conn)
	fmt.Println(err)
	// Output:
	// error: <nil>
	// NET-12
	// 1 machine in westeurope
	// CAT-5: catalog name "X" is 1 characters; want 2 to 38
	// CAT-4: time zone "Mars/Olympus" is not an IANA time zone name; want one such as Europe/Berlin, America/New_York or UTC
}

func ExampleValidateName() {
	fmt.Println(catalog.ValidateName("Sales apps"))
	fmt.Println(catalog.ValidateName("Sales/Apps"))
	fmt.Println(catalog.SameName("Sales apps", "SALES APPS"))
	// Output:
	// <nil>
	// CAT-5: catalog name "Sales/Apps" has '/' at position 6; these are not allowed: \/;:#.*?=<>|[](){}"'`~
	// true
}

func ExampleIdentitySupported() {
	fmt.Println(catalog.IdentitySupported(true, quota.SingleSession, catalog.NonPersistent, image.EntraHybrid))
	fmt.Println(catalog.IdentitySupported(false, quota.SingleSession, catalog.NonPersistent, image.EntraHybrid))
	fmt.Println(catalog.IntuneSupported(quota.SingleSession, catalog.PersistenceOf(quota.Static), image.Windows11, image.EntraHybrid))
	// Output:
	// true
	// false
	// true
}

func ExampleCheckRemoteAccess() {
	fmt.Println(catalog.CheckRemoteAccess("Sales apps", image.ActiveDirectory))
	fmt.Println(catalog.CheckRemoteAccess("Kiosks", image.NonDomainJoined))
	// Output:
	// <nil>
	// TRB-1: catalog "Kiosks" is non-domain-joined; bastion and RDP access are only for domain-joined catalogs (Active Directory or Entra hybrid joined)
}

package flex_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/secret"
)

// stateExampleTenant returns a tenant "contoso" on a new in-memory cloud with
// subscription Prod and a catalog Sales of three multi-session machines.
func stateExampleTenant(opts ...flex.Option) (*flex.Tenant, *fake.Cloud, []flex.Option) {
	ctx := context.Background()
	clock := fake.NewClock(time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC))
	cloud := fake.New(fake.WithClock(clock))
	opts = append([]flex.Option{flex.WithID("contoso"), flex.WithClock(clock.Now)}, opts...)
	tn := flex.NewTenant(cloud.Scope("contoso"), opts...)
	if _, err := tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Prod", AzureID: "11111111-2222-3333-4444-555555555555"}); err != nil {
		panic(err)
	}
	p, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	var users []string
	for i := range 20 {
		users = append(users, fmt.Sprintf("user%d@contoso.com", i+1))
	}
	_, err := tn.CreateCatalog(ctx, flex.CatalogSpec{Spec: catalog.Spec{
		Name: "Sales", Persona: p, MachineType: quota.MultiSessionMachine, Users: users,
		Subscription: "Prod", Region: network.WestEurope, Domain: image.NonDomainJoined,
		NamingScheme: "Sales-##", Connectivity: catalog.GatewayService,
		Schedule: catalog.WorkSchedule{TimeZone: "Europe/Berlin"},
	}, Image: "Windows Server 2022 (multi-session)"})
	if err != nil {
		panic(err)
	}
	return tn, cloud, opts
}

func ExampleTenant_Save_elsewhere() {
	ctx := context.Background()
	tn, cloud, opts := stateExampleTenant()

	var state bytes.Buffer
	if err := tn.Save(&state); err != nil {
		fmt.Println(err)
		return
	}

	// Later, in another process: the same state over the same cloud.
	loaded, err := flex.Load(&state, cloud.Scope("contoso"), opts...)
	if err != nil {
		fmt.Println(err)
		return
	}
	cats, _ := loaded.Catalogs(ctx)
	for _, c := range cats {
		fmt.Printf("%s: %s, %d machines in %s\n", c.Name, c.State, c.Summary.Total, c.ResourceLocation)
	}
	report, _ := loaded.Reconcile(ctx, flex.ReconcileOptions{})
	fmt.Println("the cloud is as the state says:", report.Clean())
	// Output:
	// Sales: Active, 3 machines in westeurope
	// the cloud is as the state says: true
}

func ExampleLoad_refused() {
	tn, cloud, opts := stateExampleTenant()
	var state bytes.Buffer
	if err := tn.Save(&state); err != nil {
		fmt.Println(err)
		return
	}
	// A state written by a newer SDK, and one damaged after it was saved.
	newer := bytes.Replace(state.Bytes(), []byte(`"version": 1`), []byte(`"version": 2`), 1)
	damaged := bytes.Replace(state.Bytes(), []byte(`"Sales-##"`), []byte(`"Sales-###"`), 1)
	for _, doc := range [][]byte{newer, damaged} {
		_, err := flex.Load(bytes.NewReader(doc), cloud.Scope("contoso"), opts...)
		fmt.Println(errors.Is(err, flex.ErrInvalid), err)
	}
	// Output:
	// true Load state document: invalid request: state version 2 is newer than this SDK understands (1)
	// true Load state document: invalid request: the checksum does not match the document: it was changed or damaged after it was saved
}

func ExampleWithStateKey_sealed() {
	ctx := context.Background()
	key := make([]byte, flex.StateKeySize)
	if _, err := rand.Read(key); err != nil {
		panic(err)
	}
	tn, cloud, opts := stateExampleTenant(flex.WithStateKey(key))
	_, err := tn.CreateConnection(ctx, "Prod", network.VPNSpec{
		Name: "branch", Region: network.WestEurope, DeviceIP: netip.MustParseAddr("52.1.2.3"),
		AllowedNetworks: []netip.Prefix{netip.MustParsePrefix("10.50.0.0/16")},
		PSK:             secret.New("Sup3rS3cretPSK!"), SKU: network.SKUVpnGw1,
		VDASubnet:     netip.MustParsePrefix("172.20.0.0/24"),
		GatewaySubnet: netip.MustParsePrefix("172.20.1.0/27"),
		DNS:           []netip.Addr{netip.MustParseAddr("10.50.0.4")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var state bytes.Buffer
	if err := tn.Save(&state); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("pre-shared key in clear:", bytes.Contains(state.Bytes(), []byte("Sup3rS3cretPSK!")))

	wrong := make([]byte, flex.StateKeySize)
	_, err = flex.Load(bytes.NewReader(state.Bytes()), cloud.Scope("contoso"), append(opts, flex.WithStateKey(wrong))...)
	fmt.Println(err)
	_, err = flex.Load(bytes.NewReader(state.Bytes()), cloud.Scope("contoso"), opts...)
	fmt.Println("with the key:", err)
	// Output:
	// pre-shared key in clear: false
	// Load state document: invalid request: tenant: the key check does not open with the state key: the key is not the one the state was saved with, or the value was changed
	// with the key: <nil>
}

func ExampleTenant_Reconcile_behindItsBack() {
	ctx := context.Background()
	tn, cloud, _ := stateExampleTenant()

	// Behind the Tenant's back: a machine's VM is deleted, and a VNet is
	// made for a connection the tenant does not have, in a group of its own.
	if err := cloud.Delete(ctx, flex.ResourceID{Subscription: "11111111-2222-3333-4444-555555555555",
		ResourceGroup: "flex-contoso-catalog-Sales", Type: flex.TypeVirtualMachine, Name: "Sales-02"}); err != nil {
		panic(err)
	}
	tags := map[string]string{flex.TagTenant: "contoso", flex.TagOwner: "connection/ghost"}
	group := flex.GroupID("11111111-2222-3333-4444-555555555555", "flex-contoso-connection-ghost")
	for _, r := range []flex.Resource{
		&flex.ResourceGroup{Meta: flex.Meta{ID: group, Region: network.WestEurope, Tags: tags}},
		&flex.VirtualNetwork{Meta: flex.Meta{ID: flex.ResourceID{Subscription: group.Subscription, ResourceGroup: group.Name,
			Type: flex.TypeVirtualNetwork, Name: "flex-vnet"}, Region: network.WestEurope, Tags: tags},
			AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.9.0.0/24")}},
	} {
		if _, err := cloud.Put(ctx, r); err != nil {
			panic(err)
		}
	}

	report, err := tn.Reconcile(ctx, flex.ReconcileOptions{RemoveOrphans: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range report.Missing {
		fmt.Println("missing:", m.Object, m.What)
	}
	for _, o := range report.Orphans {
		fmt.Println("orphan:", o.ID.Type, o.ID.Name, "of", o.Owner)
	}
	for _, id := range report.Removed {
		fmt.Println("removed:", id.Type, id.Name)
	}
	// Output:
	// missing: catalog "Sales" VM of machine "Sales-02"
	// orphan: Microsoft.Resources/resourceGroups flex-contoso-connection-ghost of connection/ghost
	// orphan: Microsoft.Network/virtualNetworks flex-vnet of connection/ghost
	// removed: Microsoft.Resources/resourceGroups flex-contoso-connection-ghost
}

package flex

import (
	"errors"
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/quota"
	"github.com/google/go-cmp/cmp"
)

// TestCatalogLookups checks the lookups the connection and image areas use
// (NET-8, NET-15, IMG-7, TRB-1, SUB-3) over a hand-built catalog state.
func TestCatalogLookups(t *testing.T) {
	tn := NewTenant(nil)
	mk := func(name, sub, conn, img string, d image.DomainType, machineImages ...string) *catalogObj {
		c := &catalogObj{name: name, subscription: sub, connection: conn, domain: d, image: img}
		for i, mi := range machineImages {
			m := catalog.NewMachine(name+string(rune('a'+i)), quota.Static, 1)
			m.Image = mi
			c.machines = append(c.machines, &machineObj{m: m})
		}
		return c
	}
	tn.catalogs = map[string]*catalogObj{}
	for _, c := range []*catalogObj{
		mk("Sales", "Sub1", "hub-peering", "Win11", image.ActiveDirectory, "Win11", "Win10old"),
		mk("Apps", "Sub1", "", "Server2022", image.NonDomainJoined, "Server2022"),
		mk("Dev", "Sub2", "HUB-PEERING", "Server2022", image.NonDomainJoined),
	} {
		tn.catalogs[fold(c.name)] = c
	}
	tn.catalogs["sales"].machines[1].m.Deleted = true

	if diff := cmp.Diff([]string{"Dev", "Sales"}, tn.catalogsUsingConnection("Hub-Peering")); diff != "" {
		t.Errorf("NET-8 catalogsUsingConnection (-want +got):\n%s", diff)
	}
	if got := tn.catalogsUsingConnection(""); got != nil {
		t.Errorf("catalogsUsingConnection(\"\") = %v; No connectivity is no connection", got)
	}
	if diff := cmp.Diff([]string{"Apps", "Dev"}, tn.catalogsUsingImage("", "server2022")); diff != "" {
		t.Errorf("IMG-7 catalogsUsingImage of every subscription (-want +got):\n%s", diff)
	}
	// RULE SUB-2: an image of one subscription is not another's.
	if diff := cmp.Diff([]string{"Dev"}, tn.catalogsUsingImage("sub2", "server2022")); diff != "" {
		t.Errorf("SUB-2 catalogsUsingImage of Sub2 (-want +got):\n%s", diff)
	}
	if got := tn.machinesUsingImage("Sub2", "Server2022"); got != 0 {
		t.Errorf("SUB-2 machinesUsingImage(Sub2, Server2022) = %d, want 0 (the machine is Sub1's)", got)
	}
	// RULE IMG-7: a deleted machine no longer uses its image.
	if got := tn.machinesUsingImage("", "Win10old"); got != 0 {
		t.Errorf("machinesUsingImage(Win10old) = %d, want 0 (its machine is deleted)", got)
	}
	if got := tn.machinesUsingImage("Sub1", "win11"); got != 1 {
		t.Errorf("machinesUsingImage(Sub1, win11) = %d, want 1", got)
	}
	// RULE TRB-1: the domain type and connection of a catalog.
	conn, joined, err := tn.catalogDomain("sales")
	if err != nil || conn != "hub-peering" || !joined {
		t.Errorf("catalogDomain(sales) = %q, %v, %v; want hub-peering, true, nil", conn, joined, err)
	}
	if _, _, err := tn.catalogDomain("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("catalogDomain(nope) = %v, want ErrNotFound", err)
	}
	// RULE SUB-3: the catalogs of a subscription are its users.
	if diff := cmp.Diff([]string{`catalog "Apps"`, `catalog "Sales"`}, tn.subscriptionUsers("sub1")); diff != "" {
		t.Errorf("SUB-3 subscriptionUsers (-want +got):\n%s", diff)
	}
}

package flex_test

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/secret"
)

// fullWorld is a world with a VNet peering connection "hub", a VPN "vpn",
// a Virtual WAN spoke "spoke", an Active Directory joined catalog "Sales"
// on hub (with its resource location's connectors and a bastion), a
// static No connectivity catalog "Desk" with a snapshot, a key, a built
// image and an imported one.
func fullWorld(t testing.TB, key []byte) *world {
	t.Helper()
	w := newWorld(t, key)
	ctx, tn := w.ctx, w.tn
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err := tn.CreateConnection(ctx, stSub, w.peeringSpec(t, "hub"))
	must("peering", err)
	_, err = tn.CreateConnection(ctx, stSub, w.vpnSpec("vpn"))
	must("VPN", err)
	_, err = tn.CreateConnection(ctx, stSub, w.vwanSpec("spoke"))
	must("vWAN spoke", err)
	_, err = tn.CreateCatalog(ctx, catalogSpec("Sales", "static", 2, "hub", true, "Sal-##"))
	must("catalog Sales", err)
	_, err = tn.CreateCatalog(ctx, catalogSpec("Desk", "static", 2, "", false, ""))
	must("catalog Desk", err)
	ms, err := tn.Machines(ctx, "Desk")
	must("machines", err)
	_, err = tn.TakeSnapshot(ctx, "Desk", ms[0].Name, "before_patch")
	must("snapshot", err)
	_, err = tn.CreateBastion(ctx, flex.BastionSpec{Catalog: "Sales", Username: "trbadmin", Password: secret.New(stBastion), Source: netip.MustParsePrefix("198.51.100.0/28")})
	must("bastion", err)
	_, err = tn.AddKey(ctx, flex.KeySpec{Subscription: stSub, Region: stRegion, Name: "disk-key"})
	must("key", err)
	spec := imgBuildSpec("Gold")
	spec.Subscription, spec.Password = stSub, secret.New(stBuilder)
	_, err = tn.BuildImage(ctx, spec)
	must("build", err)
	req := importRequest("Imported", image.Source{Kind: image.VHDPublicURL, URL: "https://corpimages.blob.core.windows.net/vhds/golden.vhd"})
	req.Spec.Subscription, req.Spec.Key = stSub, "disk-key"
	_, err = tn.ImportImage(ctx, req)
	must("import", err)
	_, err = tn.RunTroubleshootingAction(ctx, flex.TroubleshootingSpec{Catalog: "Desk", Machine: ms[1].Name, Action: flex.CollectLogs})
	must("troubleshooting", err)
	return w
}

func TestReconcileCleanTenantReportsNothing(t *testing.T) {
	w := fullWorld(t, nil)
	r, err := w.tn.Reconcile(w.ctx, flex.ReconcileOptions{RemoveOrphans: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(flex.ReconcileReport{}, r); diff != "" {
		t.Errorf("Reconcile of a clean tenant (-want +got):\n%s", diff)
	}
}

func TestReconcileMissingVM(t *testing.T) {
	w := fullWorld(t, nil)
	ms, err := w.tn.Machines(w.ctx, "Sales")
	if err != nil {
		t.Fatal(err)
	}
	vm := flex.ResourceID{Subscription: stAzure, ResourceGroup: "flex-st-catalog-Sales", Type: flex.TypeVirtualMachine, Name: ms[1].Name}
	var osDisk flex.ResourceID
	if r, err := w.cloud.Get(w.ctx, vm); err != nil {
		t.Fatal(err)
	} else {
		osDisk = r.(*flex.VirtualMachine).OSDisk
	}
	// Behind the Tenant's back.
	if err := w.cloud.Delete(w.ctx, vm); err != nil {
		t.Fatal(err)
	}
	r, err := w.tn.Reconcile(w.ctx, flex.ReconcileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := flex.ReconcileReport{Missing: []flex.MissingResource{{Object: `catalog "Sales"`, What: `VM of machine "` + ms[1].Name + `"`, ID: vm}}}
	if _, err := w.cloud.Get(w.ctx, osDisk); err == nil {
		// The cloud kept the VM's OS disk, which nothing accounts for now.
		want.Strays = []flex.Orphan{{ID: osDisk, Owner: "catalog/Sales"}}
	}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("Reconcile after a VM was deleted (-want +got):\n%s", diff)
	}
}

func TestReconcileOrphans(t *testing.T) {
	w := fullWorld(t, nil)
	tags := map[string]string{flex.TagTenant: stTenant, flex.TagOwner: "connection/ghost"}
	// A VNet of a connection the tenant does not have, in a group of its
	// own tagged for that connection too …
	ghostRG := flex.GroupID(stAzure, "flex-st-connection-ghost")
	ghostVNet := flex.ResourceID{Subscription: stAzure, ResourceGroup: ghostRG.Name, Type: flex.TypeVirtualNetwork, Name: "flex-vnet"}
	// … and one in the subscription's group, which is live.
	liveRG := flex.GroupID(stAzure, "flex-st-subscription-Prod")
	strayVNet := flex.ResourceID{Subscription: stAzure, ResourceGroup: liveRG.Name, Type: flex.TypeVirtualNetwork, Name: "ghost-vnet"}
	// A VM of a live catalog that is none of its machines: a stray.
	strayVM := flex.ResourceID{Subscription: stAzure, ResourceGroup: "flex-st-catalog-Desk", Type: flex.TypeVirtualMachine, Name: "Leftover"}
	for _, r := range []flex.Resource{
		&flex.ResourceGroup{Meta: flex.Meta{ID: ghostRG, Region: stRegion, Tags: tags}},
		&flex.VirtualNetwork{Meta: flex.Meta{ID: ghostVNet, Region: stRegion, Tags: tags}, AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.250.0.0/24")}},
		&flex.VirtualNetwork{Meta: flex.Meta{ID: strayVNet, Region: stRegion, Tags: tags}, AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.251.0.0/24")}},
	} {
		if _, err := w.prov.Put(w.ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	ms, _ := w.tn.Machines(w.ctx, "Desk")
	src, err := w.cloud.Get(w.ctx, flex.ResourceID{Subscription: stAzure, ResourceGroup: "flex-st-catalog-Desk", Type: flex.TypeVirtualMachine, Name: ms[0].Name})
	if err != nil {
		t.Fatal(err)
	}
	vm := src.(*flex.VirtualMachine)
	vm.ID, vm.ComputerName, vm.AdminPassword = strayVM, "Leftover", secret.New(stBuilder)
	if _, err := w.prov.Put(w.ctx, vm); err != nil {
		t.Fatal(err)
	}
	got, err := w.cloud.Get(w.ctx, strayVM)
	if err != nil {
		t.Fatal(err)
	}
	strayDisk := got.(*flex.VirtualMachine).OSDisk

	r, err := w.tn.Reconcile(w.ctx, flex.ReconcileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := flex.ReconcileReport{
		Orphans: []flex.Orphan{{ID: ghostRG, Owner: "connection/ghost"}, {ID: ghostVNet, Owner: "connection/ghost"}, {ID: strayVNet, Owner: "connection/ghost"}},
		Strays:  []flex.Orphan{{ID: strayDisk, Owner: "catalog/Desk"}, {ID: strayVM, Owner: "catalog/Desk"}},
	}
	sortOrphans(want.Orphans)
	sortOrphans(want.Strays)
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("Reconcile (-want +got):\n%s", diff)
	}

	r, err = w.tn.Reconcile(w.ctx, flex.ReconcileOptions{RemoveOrphans: true})
	if err != nil {
		t.Fatal(err)
	}
	// The ghost's own group goes whole; the VNet in a live group alone.
	want.Removed = []flex.ResourceID{ghostRG, strayVNet}
	sortIDs(want.Removed)
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("Reconcile with RemoveOrphans (-want +got):\n%s", diff)
	}
	for _, id := range []flex.ResourceID{ghostRG, ghostVNet, strayVNet} {
		if _, err := w.cloud.Get(w.ctx, id); !errors.Is(err, flex.ErrNotFound) {
			t.Errorf("orphan %s after RemoveOrphans: %v, want ErrNotFound", id, err)
		}
	}
	for _, id := range []flex.ResourceID{liveRG, strayVM} {
		if _, err := w.cloud.Get(w.ctx, id); err != nil {
			t.Errorf("%s, which is no orphan, after RemoveOrphans: %v", id, err)
		}
	}
	r, err = w.tn.Reconcile(w.ctx, flex.ReconcileOptions{})
	if err != nil || len(r.Orphans) != 0 || len(r.Strays) != 2 {
		t.Errorf("Reconcile after RemoveOrphans = %+v, %v; want the two strays only", r, err)
	}
}

func TestReconcileReadOnlyAdministrator(t *testing.T) {
	w := newWorld(t, nil)
	ro := flex.AsAdmin(w.ctx, flex.Admin{Name: "auditor", Role: flex.ReadOnlyAdministrator})
	if _, err := w.tn.Reconcile(ro, flex.ReconcileOptions{}); err != nil {
		t.Errorf("Reconcile as a read-only administrator: %v", err)
	}
	// RULE ADM-1: removing orphans changes the cloud.
	if _, err := w.tn.Reconcile(ro, flex.ReconcileOptions{RemoveOrphans: true}); !errors.Is(err, flex.ErrPrecondition) {
		t.Errorf("Reconcile with RemoveOrphans as a read-only administrator = %v, want ErrPrecondition (ADM-1)", err)
	}
}

// noCustomerList is a provider that may not list the customer's
// subscription, as a tenant without reader access there.
type noCustomerList struct{ flex.Provider }

func (p noCustomerList) List(ctx context.Context, f flex.Filter) ([]flex.Resource, error) {
	if f.Subscription == stCustomer {
		return nil, &flex.Error{Kind: flex.ErrPrecondition, Op: "List", Object: f.Subscription, Err: errors.New("AuthorizationFailed")}
	}
	return p.Provider.List(ctx, f)
}

// Where the tenant may not list the customer's subscription, Reconcile
// gets the peerings and hub connections it expects there one by one.
func TestReconcileCustomerSubscriptionUnlisted(t *testing.T) {
	w := fullWorld(t, nil)
	doc := save(t, w.tn)
	tn, err := flex.Load(bytes.NewReader(doc), noCustomerList{w.prov}, w.opts...)
	if err != nil {
		t.Fatal(err)
	}
	r, err := tn.Reconcile(w.ctx, flex.ReconcileOptions{})
	if err != nil || !r.Clean() {
		t.Fatalf("Reconcile without listing the customer's subscription = %+v, %v; want clean", r, err)
	}
	back := flex.ResourceID{Subscription: stCustomer, ResourceGroup: stCustRG, Type: flex.TypePeering, Name: "corp-1/flex-st-connection-hub"}
	if err := w.cloud.Delete(w.ctx, back); err != nil {
		t.Fatal(err)
	}
	r, err = tn.Reconcile(w.ctx, flex.ReconcileOptions{})
	want := flex.ReconcileReport{Missing: []flex.MissingResource{{Object: `connection "hub"`, What: "peering back from the customer's VNet", ID: back}}}
	if diff := cmp.Diff(want, r); err != nil || diff != "" {
		t.Errorf("Reconcile after the peering back went = %v (-want +got):\n%s", err, diff)
	}
}

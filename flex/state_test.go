package flex_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/catalog"
)

func TestSaveLoadSmoke(t *testing.T) {
	e := catNew(t, catOpts{})
	if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Sales", 20)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tn.CreateCatalog(e.ctx, catStatic("Desk", 3)); err != nil {
		t.Fatal(err)
	}
	ms, _ := e.tn.Machines(e.ctx, "Desk")
	if _, err := e.tn.TakeSnapshot(e.ctx, "Desk", ms[0].Name, "before"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tn.AddApp(e.ctx, "Sales", catalog.App{Name: "Notepad", Source: catalog.ByPath, Path: `C:\Windows\notepad.exe`}); err != nil {
		t.Fatal(err)
	}
	roundTrip(t, e.tn, e.prov)
}

// TestSaveLoadRoundTripProperty: for random Tenants grown by random
// sequences of operations, Load of Save gives a Tenant whose every view
// equals the original's and which saves the same document; the cloud
// holds exactly what the loaded Tenant expects (Reconcile reports nothing);
// and the loaded Tenant carries on: machines are added and catalogs
// deleted with nothing orphaned or missing.
func TestSaveLoadRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		w := newWorld(t, nil)
		w.grow(t, rt, rapid.IntRange(1, 24).Draw(rt, "steps"))
		got := roundTrip(rt, w.tn, w.prov, w.opts...)
		w.tn = got
		w.reconciled(rt, "after Load")
		w.carryOn(rt)
		w.reconciled(rt, "after carrying on")
	})
}

package flex_test

import (
	"testing"

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

package flex_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
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
// sequences of operations, some meeting injected cloud faults, Load of
// Save gives a Tenant whose every view equals the original's, which saves
// the same document and finds the cloud as the original does (Reconcile
// reports the same); without faults the cloud holds exactly what the
// state says. The loaded Tenant carries on: machines are added and
// catalogs deleted, with nothing orphaned or missing.
func TestSaveLoadRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		w := newWorld(t, rapid.SampledFrom([][]byte{nil, stKey}).Draw(rt, "state key"))
		w.grow(t, rt, rapid.IntRange(1, 24).Draw(rt, "steps"))
		original := w.tn
		got := roundTrip(rt, original, w.prov, w.opts...)
		want, err := original.Reconcile(w.ctx, flex.ReconcileOptions{})
		if err != nil {
			rt.Fatalf("Reconcile of the original: %v", err)
		}
		w.tn = got
		r, err := got.Reconcile(w.ctx, flex.ReconcileOptions{})
		if err != nil {
			rt.Fatalf("Reconcile of the loaded Tenant: %v", err)
		}
		if diff := cmp.Diff(want, r); diff != "" {
			rt.Fatalf("the loaded Tenant reconciles otherwise (-original +loaded):\n%s", diff)
		}
		if w.faulted {
			return
		}
		w.reconciled(rt, "after Load")
		w.carryOn(rt)
		w.reconciled(rt, "after carrying on")
	})
}

// gate holds the first VM Put until released, so that a test sees work
// in flight.
type gate struct {
	flex.Provider
	once    sync.Once
	held    chan struct{} // closed when a Put is held
	release chan struct{} // closed to let it go
}

func (g *gate) Put(ctx context.Context, r flex.Resource) (flex.Resource, error) {
	if _, ok := r.(*flex.VirtualMachine); ok {
		g.once.Do(func() { close(g.held) })
		<-g.release
	}
	return g.Provider.Put(ctx, r)
}

// Save and Reconcile refuse with ErrBusy, naming what is busy, while a
// catalog is being provisioned; Save works once it is done.
func TestSaveBusy(t *testing.T) {
	w := newWorld(t, nil)
	g := &gate{Provider: w.prov, held: make(chan struct{}), release: make(chan struct{})}
	tn := flex.NewTenant(g, w.opts...)
	if _, err := tn.AddSubscription(w.ctx, flex.SubscriptionSpec{Name: stSub, AzureID: stAzure}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() {
		_, err := tn.CreateCatalog(w.ctx, catalogSpec("Alpha", "multi", 3, "", false, ""))
		done <- err
	}()
	<-g.held
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	for name, err := range map[string]error{
		"Save":      tn.Save(&bytes.Buffer{}),
		"SaveFile":  tn.SaveFile(path),
		"Reconcile": func() error { _, err := tn.Reconcile(w.ctx, flex.ReconcileOptions{}); return err }(),
	} {
		if !errors.Is(err, flex.ErrBusy) || !strings.Contains(err.Error(), `catalog "Alpha"`) {
			t.Errorf("%s while catalog Alpha is provisioned = %v, want ErrBusy naming it", name, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused SaveFile left %d files", len(entries))
	}
	close(g.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := tn.Save(&bytes.Buffer{}); err != nil {
		t.Errorf("Save once the work is done: %v", err)
	}
}

// SaveFile writes the state atomically, readable by its owner only,
// replacing the previous file and leaving nothing else.
func TestSaveFile(t *testing.T) {
	w := fullWorld(t, stKey)
	dir := t.TempDir()
	path := filepath.Join(dir, "tenant.json")
	if err := os.WriteFile(path, []byte("previous state"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := w.tn.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the directory, want the state file alone", len(entries))
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := flex.Load(f, w.prov, w.opts...)
	if err != nil {
		t.Fatalf("Load of the saved file: %v", err)
	}
	if diff := cmp.Diff(views(t, w.tn), views(t, got), stateCmp); diff != "" {
		t.Errorf("Tenant loaded from the file differs (-saved +loaded):\n%s", diff)
	}
	if err := w.tn.SaveFile(filepath.Join(dir, "missing", "tenant.json")); err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("SaveFile into a missing directory = %v, want fs.ErrNotExist", err)
	}
}

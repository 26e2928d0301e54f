package flex_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/naming"
	"github.com/daasflex/daasflex/rule"
)

// catNamed is catStatic with the naming scheme given.
func catNamed(name string, users int, scheme string) flex.CatalogSpec {
	s := catStatic(name, users)
	s.NamingScheme, s.WildcardKind = scheme, naming.Digits
	return s
}

// machineNames returns the names of a catalog's machines as the Tenant
// lists them, in the order they were made.
func (e *catEnv) machineNames(t *testing.T, catalogName string) []string {
	t.Helper()
	ms, err := e.tn.Machines(e.ctx, catalogName)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, m.Name)
	}
	return out
}

// uniqueComputerNames fails the test when two VMs of the tenant in the
// cloud share a computer name.
func (e *catEnv) uniqueComputerNames(t *testing.T) {
	t.Helper()
	seen := map[string]string{}
	for _, vm := range e.vms("") {
		k := strings.ToLower(vm.ComputerName)
		if other, dup := seen[k]; dup {
			t.Errorf("two VMs are named %s: %s and %s", vm.ComputerName, other, vm.ID)
		}
		seen[k] = vm.ID.String()
	}
}

// TestMachineNamesUniqueInTenant: catalogs may share a naming scheme, or
// have schemes whose names overlap; new machines are named around every
// name another machine of the tenant holds or is being given, so that no
// two machines share a name (a decision, as MCS skips the computer
// accounts that exist), and a scheme counts the names it skips when it
// runs out (NAM-8).
func TestMachineNamesUniqueInTenant(t *testing.T) {
	t.Run("NAM-7 a catalog that shares a scheme numbers on after the names taken", func(t *testing.T) {
		e := catNew(t, catOpts{})
		for _, s := range []flex.CatalogSpec{catNamed("Alpha", 3, "Desk-##"), catNamed("Bravo", 2, "Desk-##")} {
			if _, err := e.tn.CreateCatalog(e.ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.tn.AddMachines(e.ctx, "Alpha", catalog.AddMachinesRequest{Users: 2}); err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{"Alpha": e.machineNames(t, "Alpha"), "Bravo": e.machineNames(t, "Bravo")}
		want := map[string][]string{
			"Alpha": {"Desk-01", "Desk-02", "Desk-03", "Desk-06", "Desk-07"},
			"Bravo": {"Desk-04", "Desk-05"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("machine names (-want +got):\n%s", diff)
		}
		e.uniqueComputerNames(t)
	})
	t.Run("NAM-8 a scheme whose growth overlaps another's skips the other's names", func(t *testing.T) {
		e := catNew(t, catOpts{})
		// "AB#" grows to AB10 … AB99 (NAM-8), which "AB##" names too.
		if _, err := e.tn.CreateCatalog(e.ctx, catNamed("Alpha", 12, "AB#")); err != nil {
			t.Fatal(err)
		}
		if _, err := e.tn.CreateCatalog(e.ctx, catNamed("Bravo", 12, "AB##")); err != nil {
			t.Fatal(err)
		}
		want := []string{"AB01", "AB02", "AB03", "AB04", "AB05", "AB06", "AB07", "AB08", "AB09", "AB13", "AB14", "AB15"}
		if diff := cmp.Diff(want, e.machineNames(t, "Bravo")); diff != "" {
			t.Errorf("Bravo's machines (-want +got):\n%s", diff)
		}
		e.uniqueComputerNames(t)
	})
	t.Run("NAM-8 a scheme runs out counting the names it skips", func(t *testing.T) {
		e := catNew(t, catOpts{})
		// "SharedDeskAB-1#" names SharedDeskAB-11 … -19 only; Alpha holds
		// -11 … -15 of them.
		if _, err := e.tn.CreateCatalog(e.ctx, catNamed("Alpha", 15, "SharedDeskAB-#")); err != nil {
			t.Fatal(err)
		}
		_, err := e.tn.CreateCatalog(e.ctx, catNamed("Bravo", 5, "SharedDeskAB-1#"))
		// RULE NAM-8: 9 names, 5 of them taken: 5 machines do not fit.
		if !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "NAM-8") {
			t.Fatalf("5 machines in the 4 names left = %v, want ErrInvalid NAM-8", err)
		}
		if !strings.Contains(err.Error(), "room for 4 more") {
			t.Errorf("the refusal does not say how many names are left: %v", err)
		}
		if _, err := e.tn.Catalog(e.ctx, "Bravo"); !errors.Is(err, flex.ErrNotFound) {
			t.Errorf("the refused catalog exists: %v", err)
		}
		if _, err := e.tn.CreateCatalog(e.ctx, catNamed("Bravo", 4, "SharedDeskAB-1#")); err != nil {
			t.Fatal(err)
		}
		want := []string{"SharedDeskAB-16", "SharedDeskAB-17", "SharedDeskAB-18", "SharedDeskAB-19"}
		if diff := cmp.Diff(want, e.machineNames(t, "Bravo")); diff != "" {
			t.Errorf("Bravo's machines (-want +got):\n%s", diff)
		}
		// RULE NAM-8: and Alpha's next machine may not take Bravo's names.
		if _, err := e.tn.AddMachines(e.ctx, "Alpha", catalog.AddMachinesRequest{Users: 1}); err != nil {
			t.Fatal(err)
		}
		if names := e.machineNames(t, "Alpha"); names[len(names)-1] != "SharedDeskAB-20" {
			t.Errorf("Alpha's new machine is %s, want SharedDeskAB-20", names[len(names)-1])
		}
		e.uniqueComputerNames(t)
	})
	t.Run("NAM-7 machines and Cloud Connectors do not take each other's names", func(t *testing.T) {
		e := catNew(t, catOpts{})
		e.catPeering(t, "hub", "192.168.0.0/22")
		// The connectors of resource location "West" are WESTXCC-01, -02 …
		if _, err := e.tn.CreateCatalog(e.ctx, catNamed("Alpha", 2, "WESTXCC-##")); err != nil {
			t.Fatal(err)
		}
		if _, err := e.tn.CreateCatalog(e.ctx, catJoined("Sales", 1, "hub", "corp.example.com", "West")); err != nil {
			t.Fatal(err)
		}
		ls, err := e.tn.ResourceLocations(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		var conns []string
		for _, l := range ls {
			for _, c := range l.Connectors {
				conns = append(conns, c.Name)
			}
		}
		if diff := cmp.Diff([]string{"WESTXCC-03", "WESTXCC-04"}, conns); diff != "" {
			t.Errorf("connectors (-want +got):\n%s", diff)
		}
		if _, err := e.tn.AddMachines(e.ctx, "Alpha", catalog.AddMachinesRequest{Users: 1}); err != nil {
			t.Fatal(err)
		}
		if names := e.machineNames(t, "Alpha"); names[len(names)-1] != "WESTXCC-05" {
			t.Errorf("Alpha's new machine is %s, want WESTXCC-05", names[len(names)-1])
		}
		e.uniqueComputerNames(t)
	})
	t.Run("NAM-7 the names of machines being made are reserved", func(t *testing.T) {
		e, f := catFaulty(t, catOpts{})
		if _, err := e.tn.CreateCatalog(e.ctx, catNamed("Alpha", 1, "Desk-##")); err != nil {
			t.Fatal(err)
		}
		// Alpha's addition holds its names while its VMs are made: Bravo,
		// created meanwhile, names around them.
		started, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		f.set(func(f *faults) {
			f.put = func(r flex.Resource) error {
				if vm, ok := r.(*flex.VirtualMachine); ok && vm.ID.ResourceGroup == catGroup("Alpha") {
					once.Do(func() { close(started) })
					<-release
				}
				return nil
			}
		})
		done := make(chan error, 1)
		go func() {
			_, err := e.tn.AddMachines(e.ctx, "Alpha", catalog.AddMachinesRequest{Users: 2})
			done <- err
		}()
		<-started
		_, err := e.tn.CreateCatalog(e.ctx, catNamed("Bravo", 2, "Desk-##"))
		close(release)
		if err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{"Alpha": e.machineNames(t, "Alpha"), "Bravo": e.machineNames(t, "Bravo")}
		want := map[string][]string{"Alpha": {"Desk-01", "Desk-02", "Desk-03"}, "Bravo": {"Desk-04", "Desk-05"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("machine names (-want +got):\n%s", diff)
		}
		e.uniqueComputerNames(t)
	})
	t.Run("NAM-7 concurrent creations and additions never give a name twice", func(t *testing.T) {
		e := catNew(t, catOpts{workers: 2})
		if _, err := e.tn.CreateCatalog(e.ctx, catNamed("Base", 2, "Desk-###")); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				var err error
				if i%2 == 0 {
					_, err = e.tn.CreateCatalog(e.ctx, catNamed(fmt.Sprintf("C%02d", i), 3, "Desk-###"))
				} else {
					_, err = e.tn.AddMachines(e.ctx, "Base", catalog.AddMachinesRequest{Users: 3})
				}
				if err != nil && !errors.Is(err, flex.ErrBusy) {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		e.uniqueComputerNames(t)
		cs, err := e.tn.Catalogs(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		listed := map[string]string{}
		for _, c := range cs {
			for _, n := range e.machineNames(t, c.Name) {
				if other, dup := listed[strings.ToLower(n)]; dup {
					t.Errorf("machine name %s is listed in %s and %s", n, other, c.Name)
				}
				listed[strings.ToLower(n)] = c.Name
			}
		}
	})
}

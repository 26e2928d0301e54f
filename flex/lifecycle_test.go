package flex_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
)

// holdPoint holds the cloud calls a test picks until it opens: entered
// is closed when the first one arrives.
type holdPoint struct {
	entered, open chan struct{}
	once          sync.Once
}

func newHold() *holdPoint { return &holdPoint{entered: make(chan struct{}), open: make(chan struct{})} }

// hold blocks the calling cloud call until open is closed.
func (g *holdPoint) hold() {
	g.once.Do(func() { close(g.entered) })
	<-g.open
}

// failHeld is a Put hook that holds the first VM Put of catalog name at
// g, then fails every VM Put of the catalog.
func failHeld(g *holdPoint, name string) func(flex.Resource) error {
	return func(r flex.Resource) error {
		if vm, ok := r.(*flex.VirtualMachine); ok && vm.ID.ResourceGroup == catGroup(name) {
			g.hold()
			return &flex.Error{Kind: flex.ErrInvalid, Op: "Put", Object: vm.ID.String(), Err: errors.New("InternalError: injected")}
		}
		return nil
	}
}

// holdDelete is a Delete hook that holds the deletion of id at g.
func holdDelete(g *holdPoint, id flex.ResourceID) func(flex.ResourceID) error {
	return func(got flex.ResourceID) error {
		if got == id {
			g.hold()
		}
		return nil
	}
}

// catGroupID is the resource group of a catalog of tenant t1 in Sub1.
func catGroupID(name string) flex.ResourceID { return flex.GroupID("sub-1", catGroup(name)) }

// locationGone fails the test unless the tenant has no resource location,
// counts none against LIM-3 and has left nothing in the cloud.
func (e *catEnv) locationGone(t *testing.T) {
	t.Helper()
	ls, err := e.tn.ResourceLocations(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 0 {
		t.Errorf("resource locations left: %+v", ls)
	}
	// RULE LIM-3: a location that is gone no longer counts.
	if u := e.tn.Usage().ResourceLocations; u.InUse != 0 || u.Reserved != 0 {
		t.Errorf("LIM-3 usage = %+v, want none", u)
	}
	if diff := cmp.Diff([]string(nil), e.leftovers()); diff != "" {
		t.Errorf("resources left in the cloud (-want +got):\n%s", diff)
	}
}

// TestLocationGoesWithItsLastCatalog: a resource location lives while
// a catalog — live, being created or being deleted — holds a place in it,
// and goes, with its resource groups, connectors and its LIM-3 count, when
// the last one goes, whatever the order in which concurrent deletions and
// failed creations finish (RL-1).
func TestLocationGoesWithItsLastCatalog(t *testing.T) {
	// Two catalogs of one location: without connectivity in one region,
	// or domain-joined on one connection with connectors.
	type pair struct {
		name  string
		setup func(t *testing.T, e *catEnv) (a, b flex.CatalogSpec)
	}
	pairs := []pair{
		{"without connectivity", func(t *testing.T, e *catEnv) (flex.CatalogSpec, flex.CatalogSpec) {
			return catMulti("Alpha", 8), catMulti("Bravo", 8)
		}},
		{"domain-joined", func(t *testing.T, e *catEnv) (flex.CatalogSpec, flex.CatalogSpec) {
			e.catPeering(t, "hub", "192.168.0.0/22")
			return catJoined("Alpha", 1, "hub", "corp.example.com", "West"), catJoined("Bravo", 1, "hub", "corp.example.com", "West")
		}},
	}
	for _, p := range pairs {
		t.Run("RL-1 concurrent deletions of the last two catalogs remove the location, "+p.name, func(t *testing.T) {
			e, f := catFaulty(t, catOpts{})
			a, b := p.setup(t, e)
			for _, s := range []flex.CatalogSpec{a, b} {
				if _, err := e.tn.CreateCatalog(e.ctx, s); err != nil {
					t.Fatal(err)
				}
			}
			// Alpha's deletion is under way when Bravo's starts and
			// ends.
			g := newHold()
			f.set(func(f *faults) {
				f.del = holdDelete(g, catGroupID("Alpha"))
			})
			done := make(chan error, 1)
			go func() { done <- e.tn.DeleteCatalog(e.ctx, "Alpha", catAck("Alpha")) }()
			<-g.entered
			errB := e.tn.DeleteCatalog(e.ctx, "Bravo", catAck("Bravo"))
			close(g.open)
			if err := <-done; err != nil {
				t.Fatalf("DeleteCatalog(Alpha) = %v", err)
			}
			if errB != nil {
				t.Fatalf("DeleteCatalog(Bravo) = %v", errB)
			}
			e.locationGone(t)
		})
		t.Run("RL-1 a creation that fails after the location's only other catalog is deleted removes the location, "+p.name, func(t *testing.T) {
			e, f := catFaulty(t, catOpts{})
			a, b := p.setup(t, e)
			if _, err := e.tn.CreateCatalog(e.ctx, a); err != nil {
				t.Fatal(err)
			}
			// Bravo's first VM is held until Alpha is deleted, then
			// fails: Bravo's creation is undone.
			g := newHold()
			f.set(func(f *faults) {
				f.put = failHeld(g, "Bravo")
			})
			done := make(chan error, 1)
			go func() { _, err := e.tn.CreateCatalog(e.ctx, b); done <- err }()
			<-g.entered
			errA := e.tn.DeleteCatalog(e.ctx, "Alpha", catAck("Alpha"))
			close(g.open)
			if err := <-done; !errors.Is(err, flex.ErrInvalid) {
				t.Fatalf("CreateCatalog(Bravo) = %v, want the injected failure", err)
			}
			if errA != nil {
				t.Fatalf("DeleteCatalog(Alpha) = %v", errA)
			}
			if _, err := e.tn.Catalog(e.ctx, "Bravo"); !errors.Is(err, flex.ErrNotFound) {
				t.Errorf("Catalog(Bravo) after its failed creation = %v, want ErrNotFound", err)
			}
			e.locationGone(t)
		})
		t.Run("RL-1 a deletion that ends after a failed creation of the location's other catalog removes the location, "+p.name, func(t *testing.T) {
			e, f := catFaulty(t, catOpts{})
			a, b := p.setup(t, e)
			if _, err := e.tn.CreateCatalog(e.ctx, a); err != nil {
				t.Fatal(err)
			}
			// Bravo is being created (its first VM held) when Alpha's
			// deletion starts; Alpha's deletion is held until Bravo's
			// creation has failed and been undone.
			put, del := newHold(), newHold()
			f.set(func(f *faults) {
				f.put = failHeld(put, "Bravo")
				f.del = holdDelete(del, catGroupID("Alpha"))
			})
			created := make(chan error, 1)
			go func() { _, err := e.tn.CreateCatalog(e.ctx, b); created <- err }()
			<-put.entered
			deleted := make(chan error, 1)
			go func() { deleted <- e.tn.DeleteCatalog(e.ctx, "Alpha", catAck("Alpha")) }()
			<-del.entered
			close(put.open)
			if err := <-created; !errors.Is(err, flex.ErrInvalid) {
				t.Fatalf("CreateCatalog(Bravo) = %v, want the injected failure", err)
			}
			close(del.open)
			if err := <-deleted; err != nil {
				t.Fatalf("DeleteCatalog(Alpha) = %v", err)
			}
			e.locationGone(t)
		})
	}
}

// TestLocationThatCannotGo: when the cloud refuses to delete a resource
// location, its last catalog stays, in state Error, without machines, and
// deleting it again removes both (RL-1, CAT-12).
func TestLocationThatCannotGo(t *testing.T) {
	locGroup := flex.GroupID("sub-1", "flex-t1-location-westeurope")
	refuse := func(f *faults, what flex.ResourceID) {
		f.del = func(id flex.ResourceID) error {
			if id == what {
				return &flex.Error{Kind: flex.ErrInvalid, Op: "Delete", Object: id.String(), Err: errors.New("InternalError: injected")}
			}
			return nil
		}
	}
	// kept checks that catalog name is kept in state Error with no
	// machine, counting no VDA, in the location, which still counts.
	kept := func(t *testing.T, e *catEnv, name string) {
		t.Helper()
		c, err := e.tn.Catalog(e.ctx, name)
		if err != nil {
			t.Fatalf("Catalog(%s) = %v, want it kept", name, err)
		}
		if c.State != catalog.Error || c.Summary.Total != 0 || !strings.Contains(c.Failure, "resource location") {
			t.Errorf("catalog %s = %v with %d machines, failure %q; want Error, none, the location's failure", name, c.State, c.Summary.Total, c.Failure)
		}
		if got := e.usage("Sub1"); got != 0 {
			t.Errorf("VDAs = %d; the machines are gone", got)
		}
		l := e.location(t, "westeurope")
		if diff := cmp.Diff([]string{name}, l.Catalogs); diff != "" {
			t.Errorf("the location's catalogs (-want +got):\n%s", diff)
		}
		// RULE LIM-3: the location is still there and counts.
		if u := e.tn.Usage().ResourceLocations; u.InUse != 1 {
			t.Errorf("LIM-3 usage = %+v, want 1 in use", u)
		}
	}
	t.Run("RL-1 the last catalog's deletion is retried", func(t *testing.T) {
		e, f := catFaulty(t, catOpts{})
		if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Alpha", 8)); err != nil {
			t.Fatal(err)
		}
		f.set(func(f *faults) { refuse(f, locGroup) })
		if err := e.tn.DeleteCatalog(e.ctx, "Alpha", catAck("Alpha")); !errors.Is(err, flex.ErrInvalid) {
			t.Fatalf("DeleteCatalog(Alpha) = %v, want the injected failure", err)
		}
		kept(t, e, "Alpha")
		f.set(func(f *faults) { f.del = nil })
		if err := e.tn.DeleteCatalog(e.ctx, "Alpha", catAck("Alpha")); err != nil {
			t.Fatalf("retry: %v", err)
		}
		e.locationGone(t)
	})
	t.Run("RL-1 a creation left last in the location is kept for a deletion", func(t *testing.T) {
		e, f := catFaulty(t, catOpts{})
		if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Alpha", 8)); err != nil {
			t.Fatal(err)
		}
		// Bravo's first VM waits until Alpha is deleted, then fails; the
		// location then cannot go.
		g := newHold()
		f.set(func(f *faults) {
			f.put = failHeld(g, "Bravo")
			refuse(f, locGroup)
		})
		done := make(chan error, 1)
		go func() { _, err := e.tn.CreateCatalog(e.ctx, catMulti("Bravo", 8)); done <- err }()
		<-g.entered
		if err := e.tn.DeleteCatalog(e.ctx, "Alpha", catAck("Alpha")); err != nil {
			t.Fatalf("DeleteCatalog(Alpha) = %v", err)
		}
		close(g.open)
		if err := <-done; !errors.Is(err, flex.ErrInvalid) {
			t.Fatalf("CreateCatalog(Bravo) = %v, want the injected failure", err)
		}
		kept(t, e, "Bravo")
		f.set(func(f *faults) { f.put, f.del = nil, nil })
		if err := e.tn.DeleteCatalog(e.ctx, "Bravo", catAck("Bravo")); err != nil {
			t.Fatalf("DeleteCatalog(Bravo) = %v", err)
		}
		e.locationGone(t)
	})
}

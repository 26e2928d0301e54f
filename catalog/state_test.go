package catalog_test

import (
	"errors"
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestStateNames(t *testing.T) {
	// RULE API-1: the Catalog Service API's names, one to one.
	var got []string
	for _, s := range catalog.States() {
		got = append(got, s.String())
		back, err := catalog.ParseState(s.String())
		if err != nil || back != s {
			t.Errorf("ParseState(%q) = %v, %v", s, back, err)
		}
	}
	want := []string{"PreDeployment", "Active", "Processing", "InputRequired", "Error", "Deleting"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
	if _, err := catalog.ParseState("Ready"); !rule.Has(err, "API-1") {
		t.Errorf("ParseState(Ready) = %v", err)
	}
}

func TestStateTransitions(t *testing.T) {
	// RULE API-1: the allowed transitions, as a table.
	want := map[catalog.State][]catalog.State{
		catalog.PreDeployment: {catalog.Processing, catalog.Deleting},
		catalog.Active:        {catalog.Processing, catalog.Deleting},
		catalog.Processing:    {catalog.Active, catalog.InputRequired, catalog.Error},
		catalog.InputRequired: {catalog.Processing, catalog.Deleting},
		catalog.Error:         {catalog.Processing, catalog.Deleting},
		catalog.Deleting:      {catalog.Error},
	}
	for _, from := range catalog.States() {
		for _, to := range catalog.States() {
			allowed := false
			for _, n := range want[from] {
				allowed = allowed || n == to
			}
			got, err := from.MoveTo(to)
			if allowed != (err == nil) {
				t.Errorf("API-1: %v → %v: err %v, want allowed=%v", from, to, err, allowed)
			}
			if err != nil {
				var se *catalog.StateError
				if !errors.As(err, &se) || got != from || !rule.Has(err, "API-1") {
					t.Errorf("%v → %v: got %v, %v", from, to, got, err)
				}
				if diff := cmp.Diff(want[from], se.Allowed); diff != "" {
					t.Errorf("allowed from %v: %s", from, diff)
				}
			}
		}
	}
}

func TestStatusLock(t *testing.T) {
	st := catalog.Status{Name: "Sales"}
	st, err := st.Begin(catalog.Provision)
	if err != nil {
		t.Fatal(err)
	}
	st, _ = st.Finish(true)
	if diff := cmp.Diff(catalog.Status{Name: "Sales", State: catalog.Active}, st); diff != "" {
		t.Fatal(diff)
	}
	adding, err := st.Begin(catalog.AddMachines)
	if err != nil {
		t.Fatal(err)
	}
	// RULE CAT-6: while machines are being added nothing else may start.
	for _, op := range []catalog.Operation{catalog.AddMachines, catalog.UpdateImage, catalog.DeleteCatalog, catalog.Provision} {
		got, err := adding.Begin(op)
		if !errors.Is(err, catalog.ErrBusy) || !rule.Has(err, "CAT-6") || got != adding {
			t.Errorf("CAT-6: Begin(%v) while adding machines = %v, %v; want ErrBusy", op, got, err)
		}
	}
	if err := adding.CheckChange("editing users"); !errors.Is(err, catalog.ErrBusy) || !rule.Has(err, "CAT-6") {
		t.Errorf("CAT-6: CheckChange while adding machines = %v", err)
	}
	// Waiting for input keeps the lock; Resume and Finish release it.
	waiting, err := adding.NeedInput()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := waiting.Begin(catalog.UpdateImage); !errors.Is(err, catalog.ErrBusy) {
		t.Errorf("CAT-6: Begin(update) while InputRequired = %v", err)
	}
	resumed, err := waiting.Resume()
	if err != nil {
		t.Fatal(err)
	}
	done, err := resumed.Finish(false)
	if err != nil || done.State != catalog.Error || done.Busy() {
		t.Fatalf("Finish(false) = %v, %v", done, err)
	}
	if err := done.CheckChange("editing users"); err != nil {
		t.Errorf("after the operation: CheckChange = %v", err)
	}
	// From Error an operation may be retried.
	if _, err := done.Begin(catalog.AddMachines); err != nil {
		t.Errorf("retry from Error: %v", err)
	}
	// Deleting an InputRequired catalog abandons the waiting operation.
	del, err := waiting.Begin(catalog.DeleteCatalog)
	if err != nil || del.State != catalog.Deleting {
		t.Fatalf("delete from InputRequired = %v, %v", del, err)
	}
	if err := del.CheckChange("editing apps"); err == nil {
		t.Error("change while deleting allowed")
	}
	gone, err := del.Finish(true)
	if err != nil || gone.State != catalog.Deleting || gone.Busy() {
		t.Errorf("finished deletion = %v, %v", gone, err)
	}
	failed, _ := del.Finish(false)
	if failed.State != catalog.Error {
		t.Errorf("failed deletion = %v", failed)
	}
	// API-1: an operation that cannot start from the state.
	if _, err := (catalog.Status{State: catalog.Active}).Begin(catalog.Provision); !rule.Has(err, "API-1") {
		t.Errorf("provision an Active catalog = %v", err)
	}
	if _, err := (catalog.Status{}).Begin(catalog.AddMachines); !rule.Has(err, "API-1") {
		t.Errorf("add machines before provisioning = %v", err)
	}
	if _, err := (catalog.Status{State: catalog.Active}).Finish(true); !rule.Has(err, "API-1") {
		t.Errorf("finish with nothing running = %v", err)
	}
}

// Property: whatever sequence of calls, the lock is consistent (CAT-6,
// API-1): an operation is in progress exactly when the catalog is
// Processing or InputRequired (or Deleting with the deletion running),
// every state change follows State.Next, and a second operation never starts
// while one runs (except a deletion abandoning an InputRequired one).
func TestStatusProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		st := catalog.Status{Name: "C"}
		for range rapid.IntRange(0, 40).Draw(t, "steps") {
			before := st
			var next catalog.Status
			var err error
			switch rapid.IntRange(0, 4).Draw(t, "call") {
			case 0:
				op := rapid.SampledFrom([]catalog.Operation{catalog.Provision, catalog.AddMachines, catalog.UpdateImage, catalog.DeleteCatalog}).Draw(t, "op")
				next, err = st.Begin(op)
				if before.Busy() && err == nil && !(op == catalog.DeleteCatalog && before.State == catalog.InputRequired) {
					t.Fatalf("CAT-6: %v started while %v runs", op, before.Op)
				}
				if before.Busy() && err != nil && !errors.Is(err, catalog.ErrBusy) {
					t.Fatalf("CAT-6: refusal while busy is not ErrBusy: %v", err)
				}
			case 1:
				next, err = st.NeedInput()
			case 2:
				next, err = st.Resume()
			case 3:
				next, err = st.Finish(true)
			case 4:
				next, err = st.Finish(false)
			}
			if err != nil {
				if next != before {
					t.Fatalf("a refused call changed the status: %v → %v", before, next)
				}
				continue
			}
			st = next
			if st.State != before.State && !before.State.CanMoveTo(st.State) {
				t.Fatalf("API-1: %v → %v is not an allowed transition", before.State, st.State)
			}
			working := st.State == catalog.Processing || st.State == catalog.InputRequired
			if working != st.Busy() && !(st.State == catalog.Deleting && st.Op == catalog.DeleteCatalog) {
				t.Fatalf("lock inconsistent: %+v", st)
			}
		}
	})
}

func TestAddMachinesRequest(t *testing.T) {
	ok := catalog.AddMachinesRequest{Users: 5, ServiceAccount: `CORP\svc-join`, Password: secret.New("pw")}
	if err := ok.Validate(image.ActiveDirectory); err != nil {
		t.Errorf("valid request: %v", err)
	}
	// RULE CAT-6: AD catalogs need the service account credentials again.
	noCreds := catalog.AddMachinesRequest{Users: 5}
	wantIDs(t, noCreds.Validate(image.EntraHybrid), "CAT-6")
	if err := noCreds.Validate(image.NonDomainJoined); err != nil {
		t.Errorf("non-domain-joined without credentials: %v", err)
	}
	wantIDs(t, ok.Validate(image.NonDomainJoined), "CAT-6")
	wantIDs(t, catalog.AddMachinesRequest{}.Validate(image.NonDomainJoined), "CAT-2")
	// CAT-2: 20 users of Task worker (heavy) take 5 machines.
	n, err := catalog.AddMachinesRequest{Users: 20}.Machines(persona(t, quota.TaskWorkerHeavy))
	if err != nil || n != 5 {
		t.Errorf("Machines = %d, %v; want 5", n, err)
	}
}

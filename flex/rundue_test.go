package flex_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/secret"
)

// TestRunDue checks the dispatcher: one call runs every area's due work at
// the clock's now and reports what ran and the warnings of all of them.
func TestRunDue(t *testing.T) {
	e := catNew(t, catOpts{})
	e.catPeering(t, "hub", "192.168.0.0/22")
	if _, err := e.tn.CreateCatalog(e.ctx, catJoined("Sales", 2, "hub", "corp.example.com", "West")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tn.ScheduleSnapshots(e.ctx, "Sales", catalog.Schedules{Daily: catalog.Schedule{Kind: catalog.Daily, At: catalog.MustParseTimeOfDay("20:00")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tn.CreateBastion(e.ctx, flex.BastionSpec{Catalog: "Sales", Username: "helpdesk1",
		Password: secret.New("Bastion!Passw0rd-1"), Source: netip.MustParsePrefix("10.0.5.0/28")}); err != nil {
		t.Fatal(err)
	}
	r, err := e.tn.RunDue(e.ctx)
	if err != nil || len(r.Ran) != 0 || len(r.Warnings) != 0 || !r.At.Equal(catStart) {
		t.Fatalf("RunDue at the start = %+v, %v; want nothing due", r, err)
	}
	e.clock.Advance(9 * time.Hour) // 18:00 UTC, 20:00 in Berlin; the bastion is 9 hours on
	r, err = e.tn.RunDue(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(r.Ran, "\n")
	if !strings.Contains(joined, "Daily_20260511T1800Z") || len(r.Ran) < 2 {
		t.Errorf("ran = %v; want the daily snapshots (CAT-13)", r.Ran)
	}
	bastions := e.cloud.Resources(flex.Filter{Type: flex.TypeVirtualMachine, Tags: map[string]string{flex.TagOwner: "bastion/hub"}})
	if len(bastions) != 1 || bastions[0].(*flex.VirtualMachine).PowerState != flex.PowerDeallocated {
		t.Errorf("the bastion after 9 hours on: %v; want it powered off (TRB-2)", bastions)
	}
	e.clock.Advance(3 * 24 * time.Hour)
	r, err = e.tn.RunDue(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, w := range r.Warnings {
		ids = append(ids, w.ID)
	}
	if !strings.Contains(strings.Join(ids, ","), "TRB-2") {
		t.Errorf("warnings = %v; want TRB-2 for a bastion older than 3 days", r.Warnings)
	}
	t.Run("a cancelled context stops it", func(t *testing.T) {
		ctx, cancel := context.WithCancel(e.ctx)
		cancel()
		if _, err := e.tn.RunDue(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("RunDue with a cancelled context = %v", err)
		}
	})
}

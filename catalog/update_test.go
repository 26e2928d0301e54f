package catalog_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/quota"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func fleet(mt quota.MachineType, n int, img string) []catalog.Machine {
	ms := make([]catalog.Machine, n)
	for i := range ms {
		ms[i] = catalog.NewMachine(fmt.Sprintf("PC-%02d", n-i), mt, 4)
		ms[i].Image = img
	}
	return ms
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestPlanImageUpdate(t *testing.T) {
	t.Run("CAT-7 random catalog on next shutdown", func(t *testing.T) {
		ms := fleet(quota.Random, 3, "v1")
		ms[0].Image = "v2" // already on the new image
		plan, err := catalog.PlanImageUpdate(quota.Random, ms, catalog.UpdateRequest{Image: "v2", Timing: catalog.OnNextShutdown, Message: "Save your work", Start: t0})
		if err != nil {
			t.Fatal(err)
		}
		want := catalog.UpdatePlan{Image: "v2", Timing: catalog.OnNextShutdown, Message: "Save your work", Steps: []catalog.UpdateStep{
			{Machine: "PC-01", From: "v1"}, {Machine: "PC-02", From: "v1"},
		}}
		if diff := cmp.Diff(want, plan); diff != "" {
			t.Errorf("plan (-want +got):\n%s", diff)
		}
	})
	t.Run("CAT-7 multi-session immediately over the distribution time", func(t *testing.T) {
		ms := fleet(quota.MultiSessionMachine, 4, "v1")
		ms = append(ms, func() catalog.Machine {
			m := catalog.NewMachine("PC-99", quota.MultiSessionMachine, 4)
			m.Deleted = true
			return m
		}())
		plan, err := catalog.PlanImageUpdate(quota.MultiSessionMachine, ms, catalog.UpdateRequest{Image: "v2", Timing: catalog.Immediately, Distribution: 30 * time.Minute, Start: t0})
		if err != nil {
			t.Fatal(err)
		}
		want := []catalog.UpdateStep{
			{Machine: "PC-01", From: "v1", At: t0},
			{Machine: "PC-02", From: "v1", At: t0.Add(7*time.Minute + 30*time.Second)},
			{Machine: "PC-03", From: "v1", At: t0.Add(15 * time.Minute)},
			{Machine: "PC-04", From: "v1", At: t0.Add(22*time.Minute + 30*time.Second)},
		}
		if diff := cmp.Diff(want, plan.Steps); diff != "" {
			t.Errorf("steps (-want +got):\n%s", diff)
		}
	})
	t.Run("CAT-7 static keeps existing machines on their image", func(t *testing.T) {
		plan, err := catalog.PlanImageUpdate(quota.Static, fleet(quota.Static, 2, "v1"), catalog.UpdateRequest{Image: "v2"})
		if err != nil {
			t.Fatal(err)
		}
		want := catalog.UpdatePlan{Image: "v2", Kept: []string{"PC-01", "PC-02"}}
		if diff := cmp.Diff(want, plan); diff != "" {
			t.Errorf("plan (-want +got):\n%s", diff)
		}
	})
	t.Run("CAT-7 refusals", func(t *testing.T) {
		for _, tt := range []struct {
			mt  quota.MachineType
			req catalog.UpdateRequest
		}{
			{quota.Random, catalog.UpdateRequest{Image: "v2"}},                                 // no timing
			{quota.Random, catalog.UpdateRequest{Image: "v2", Timing: catalog.OnNextShutdown}}, // no message
			{quota.Random, catalog.UpdateRequest{Image: "v2", Timing: catalog.OnNextShutdown, Message: "x", Distribution: time.Hour}},
			{quota.MultiSessionMachine, catalog.UpdateRequest{Image: "v2", Timing: catalog.Immediately, Distribution: 25 * time.Hour}},
			{quota.MultiSessionMachine, catalog.UpdateRequest{Image: "v2", Timing: catalog.Immediately, Distribution: -time.Minute}},
			{quota.Static, catalog.UpdateRequest{Image: "v2", Timing: catalog.Immediately}},
			{quota.Static, catalog.UpdateRequest{}},
			{quota.Random, catalog.UpdateRequest{Image: "v2", Timing: catalog.Immediately, Message: string(make([]rune, 1025))}},
		} {
			_, err := catalog.PlanImageUpdate(tt.mt, nil, tt.req)
			wantIDs(t, err, "CAT-7")
		}
	})
}

// Property (CAT-7): an immediate update of a random or multi-session
// catalog moves every live machine not yet on the new image exactly once,
// in name order, with restart times nondecreasing, inside [Start,
// Start+Distribution) (at Start when the distribution time is 0), and the
// same input always gives the same plan.
func TestPlanImageUpdateProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		mt := rapid.SampledFrom([]quota.MachineType{quota.Random, quota.MultiSessionMachine}).Draw(t, "type")
		n := rapid.IntRange(0, 40).Draw(t, "machines")
		ms := fleet(mt, n, "v1")
		want := map[string]bool{}
		for i := range ms {
			if rapid.Bool().Draw(t, "on new image") {
				ms[i].Image = "v2"
			} else if rapid.Bool().Draw(t, "deleted") {
				ms[i].Deleted = true
			} else {
				want[ms[i].Name] = true
			}
		}
		d := time.Duration(rapid.Int64Range(0, int64(catalog.MaxDistribution)).Draw(t, "distribution"))
		req := catalog.UpdateRequest{Image: "v2", Timing: catalog.Immediately, Distribution: d, Start: t0}
		plan, err := catalog.PlanImageUpdate(mt, ms, req)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := catalog.PlanImageUpdate(mt, ms, req)
		if diff := cmp.Diff(plan, again); diff != "" {
			t.Fatalf("not deterministic:\n%s", diff)
		}
		if len(plan.Steps) != len(want) || len(plan.Kept) != 0 {
			t.Fatalf("%d steps, %d kept; want %d steps", len(plan.Steps), len(plan.Kept), len(want))
		}
		for i, s := range plan.Steps {
			if !want[s.Machine] {
				t.Fatalf("%s moves but should not", s.Machine)
			}
			delete(want, s.Machine)
			if i > 0 && (s.Machine <= plan.Steps[i-1].Machine || s.At.Before(plan.Steps[i-1].At)) {
				t.Fatalf("step %d out of order: %v after %v", i, s, plan.Steps[i-1])
			}
			end := t0.Add(d)
			if s.At.Before(t0) || (d > 0 && !s.At.Before(end)) || (d == 0 && !s.At.Equal(t0)) {
				t.Fatalf("step %v outside [%v, %v)", s, t0, end)
			}
		}
	})
}

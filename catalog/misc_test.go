package catalog_test

import (
	"testing"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestSpreadZones(t *testing.T) {
	// RULE CAT-15: round-robin over the zones where the region has them.
	if diff := cmp.Diff([]int{1, 2, 3, 1, 2}, catalog.SpreadZones(network.EastUS, nil, 5)); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]int{3, 2, 3}, catalog.SpreadZones(network.EastUS, []int{1, 1, 2}, 3)); diff != "" {
		t.Error(diff)
	}
	// AZ-9: West US and North Central US have no zones.
	for _, r := range []network.Region{network.WestUS, network.NorthCentralUS} {
		if diff := cmp.Diff([]int{0, 0, 0}, catalog.SpreadZones(r, nil, 3)); diff != "" {
			t.Errorf("%v: %s", r, diff)
		}
	}
	if got := catalog.SpreadZones(network.EastUS, nil, 0); got != nil {
		t.Errorf("no machines: %v", got)
	}
}

// Property (CAT-15): after spreading n machines over a zoned region, the
// zones' counts differ by at most one more than they did before, and by at
// most one when starting balanced.
func TestSpreadZonesBalanced(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		existing := rapid.SliceOfN(rapid.IntRange(1, 3), 0, 20).Draw(t, "existing")
		n := rapid.IntRange(0, 50).Draw(t, "n")
		got := catalog.SpreadZones(network.WestEurope, existing, n)
		if len(got) != n {
			t.Fatalf("%d zones for %d machines", len(got), n)
		}
		var before, after [4]int
		for _, z := range existing {
			before[z]++
			after[z]++
		}
		for _, z := range got {
			if z < 1 || z > 3 {
				t.Fatalf("zone %d", z)
			}
			after[z]++
		}
		spread := func(c [4]int) int { return max(c[1], c[2], c[3]) - min(c[1], c[2], c[3]) }
		if limit := max(spread(before), 1); spread(after) > limit {
			t.Fatalf("zones %v → %v: spread %d > %d", before, after, spread(after), limit)
		}
	})
}

func TestSizesChoose(t *testing.T) {
	s := catalog.Sizes{Primary: "Standard_D4s_v5", Backup: "Standard_D4as_v5"}
	full := map[string]bool{}
	has := func(size string) bool { return !full[size] }
	// RULE CAT-14: the VM size when it has capacity, else the backup.
	if got, err := s.Choose(has); err != nil || got != "Standard_D4s_v5" {
		t.Errorf("Choose = %q, %v", got, err)
	}
	full["Standard_D4s_v5"] = true
	if got, err := s.Choose(has); err != nil || got != "Standard_D4as_v5" {
		t.Errorf("CAT-14: Choose without primary capacity = %q, %v", got, err)
	}
	full["Standard_D4as_v5"] = true
	if _, err := s.Choose(has); !rule.Has(err, "CAT-14") {
		t.Errorf("no capacity at all: %v", err)
	}
	if _, err := (catalog.Sizes{Primary: "Standard_D4s_v5"}).Choose(has); !rule.Has(err, "CAT-14") {
		t.Errorf("no backup: %v", err)
	}
	if _, err := (catalog.Sizes{}).Choose(nil); !rule.Has(err, "CAT-14") {
		t.Errorf("no size: %v", err)
	}
	if got, _ := s.Choose(nil); got != "Standard_D4s_v5" {
		t.Errorf("nil capacity func: %q", got)
	}
}

func TestDeleteAck(t *testing.T) {
	ok := catalog.DeleteAck{Catalog: "sales apps", MachinesDestroyed: true, Irreversible: true}
	if err := ok.Check("Sales apps"); err != nil {
		t.Errorf("CAT-12: %v", err)
	}
	// RULE CAT-12: an explicit acknowledgement of this catalog, both boxes.
	err := catalog.DeleteAck{}.Check("Sales apps")
	wantIDs(t, err, "CAT-12")
	if n := len(rule.Violations(err)); n != 3 {
		t.Errorf("%d problems, want 3: %v", n, err)
	}
	wantIDs(t, ok.Check("HR desktops"), "CAT-12")
}

func TestAutoscale(t *testing.T) {
	// RULE CAT-4: the zero value is the recommended defaults.
	var a catalog.Autoscale
	if err := a.Validate(); err != nil {
		t.Errorf("recommended: %v", err)
	}
	if diff := cmp.Diff(catalog.RecommendedAutoscale(), a.Effective()); diff != "" {
		t.Error(diff)
	}
	if err := catalog.RecommendedAutoscale().Validate(); err != nil {
		t.Errorf("the recommended values as custom: %v", err)
	}
	custom := catalog.Autoscale{
		Custom: true, PeakDays: catalog.WeekdaysOf(time.Saturday, time.Sunday),
		PeakStart: catalog.TimeOfDay{Hour: 10}, PeakEnd: catalog.TimeOfDay{Hour: 14, Minute: 30},
		DisconnectTimeout: time.Hour, PowerOffDelay: 10 * time.Minute, OffPolicy: catalog.Hibernate,
	}
	if err := custom.Validate(); err != nil {
		t.Errorf("custom: %v", err)
	}
	bad := catalog.Autoscale{Custom: true, PeakStart: catalog.TimeOfDay{Hour: 18}, PeakEnd: catalog.TimeOfDay{Hour: 8},
		DisconnectTimeout: 30 * time.Second, PowerOffDelay: 25 * time.Hour}
	err := bad.Validate()
	wantIDs(t, err, "CAT-4")
	if n := len(rule.Violations(err)); n != 5 {
		t.Errorf("%d problems, want 5 (days, hours, two timeouts, policy): %v", n, err)
	}
	berlin := loadLoc(t, "Europe/Berlin")
	sat := time.Date(2026, 3, 7, 12, 0, 0, 0, berlin)
	if !custom.InPeak(sat, berlin) || custom.InPeak(sat.Add(3*time.Hour), berlin) || a.InPeak(sat, berlin) {
		t.Error("InPeak")
	}
	if !a.InPeak(time.Date(2026, 3, 9, 8, 0, 0, 0, berlin), berlin) {
		t.Error("recommended: Monday 08:00 is peak")
	}
}

func TestTimeOfDay(t *testing.T) {
	for in, want := range map[string]catalog.TimeOfDay{"08:30": {8, 30}, "8:30": {8, 30}, "00:00": {}, "23:59": {23, 59}} {
		got, err := catalog.ParseTimeOfDay(in)
		if err != nil || got != want {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"24:00", "8:5", "830", "08:60", " 8:30", "+8:30", "123:00"} {
		if _, err := catalog.ParseTimeOfDay(bad); err == nil {
			t.Errorf("ParseTimeOfDay(%q) accepted", bad)
		}
	}
	if s := (catalog.TimeOfDay{Hour: 7, Minute: 5}).String(); s != "07:05" {
		t.Errorf("String = %q", s)
	}
	if s := catalog.WorkingDays.String(); s != "Mon,Tue,Wed,Thu,Fri" {
		t.Errorf("WorkingDays = %q", s)
	}
}

func TestConnectivityType(t *testing.T) {
	for in, want := range map[string]catalog.ConnectivityType{
		"Gateway service": catalog.GatewayService, "netscaler-gateway": catalog.NetScalerGateway, "DIRECT": catalog.Direct,
	} {
		if got, err := catalog.ParseConnectivityType(in); err != nil || got != want {
			t.Errorf("ParseConnectivityType(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := catalog.ParseConnectivityType("VPN"); !rule.Has(err, "CAT-3") {
		t.Errorf("CAT-3: ParseConnectivityType(VPN) = %v", err)
	}
}

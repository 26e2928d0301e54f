package flex_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

func TestRDPAccess(t *testing.T) {
	e := newTrbEnv(t)
	ctx := t.Context()
	inside, outside := netip.MustParseAddr("192.168.0.40"), netip.MustParseAddr("192.168.0.100")
	t.Run("TRB-3 at most a /27", func(t *testing.T) {
		_, err := e.tn.EnableRDPAccess(ctx, flex.RDPAccessSpec{Catalog: "Sales", Source: imgPrefix("192.168.0.0/26")})
		if !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "TRB-3") {
			t.Errorf("/26: %v, want ErrInvalid TRB-3", err)
		}
		_, err = e.tn.EnableRDPAccess(ctx, flex.RDPAccessSpec{Catalog: "Sales", Source: imgPrefix("10.1.0.0/27")})
		if !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "FW-5") {
			t.Errorf("inside the VNet: %v, want ErrInvalid FW-5", err)
		}
	})
	t.Run("TRB-1 only for domain-joined catalogs", func(t *testing.T) {
		_, err := e.tn.EnableRDPAccess(ctx, flex.RDPAccessSpec{Catalog: "Kiosk", Source: imgPrefix("192.168.0.32/27")})
		if !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "TRB-1") {
			t.Errorf("err = %v, want ErrPrecondition TRB-1", err)
		}
	})
	if e.rdp(t, inside, e.vda1) {
		t.Fatal("RDP to a VDA before RDP access was enabled")
	}
	r, err := e.tn.EnableRDPAccess(ctx, flex.RDPAccessSpec{Catalog: "Sales", Source: imgPrefix("192.168.0.32/27")})
	if err != nil {
		t.Fatal(err)
	}
	want := flex.RDPAccess{Subscription: "prod", Connection: "hub", Catalog: "Sales", Source: imgPrefix("192.168.0.32/27"), Enabled: imgEpoch}
	if diff := cmp.Diff(want, r, cmpopts.EquateComparable(netip.Prefix{})); diff != "" {
		t.Errorf("RDPAccess (-want +got):\n%s", diff)
	}
	// RULE FW-5: 3389 from the range to the VNet; between VDAs it stays blocked.
	for _, tc := range []struct {
		name     string
		src, dst netip.Addr
		want     bool
	}{
		{"range to VDA", inside, e.vda1, true},
		{"range to another VDA", inside, e.vda2, true},
		{"outside the range", outside, e.vda1, false},
		{"VDA to VDA", e.vda1, e.vda2, false},
	} {
		if got := e.rdp(t, tc.src, tc.dst); got != tc.want {
			t.Errorf("FW-5 %s: allowed=%v, want %v", tc.name, got, tc.want)
		}
	}
	// Enabling again replaces the range.
	if _, err := e.tn.EnableRDPAccess(ctx, flex.RDPAccessSpec{Catalog: "Sales", Source: imgPrefix("192.168.0.96/27")}); err != nil {
		t.Fatal(err)
	}
	if e.rdp(t, inside, e.vda1) || !e.rdp(t, outside, e.vda1) {
		t.Error("FW-5: the new range did not replace the old one")
	}
	if all, _ := e.tn.RDPAccesses(ctx); len(all) != 1 || all[0].Source != imgPrefix("192.168.0.96/27") {
		t.Errorf("RDPAccesses = %+v", all)
	}
	// RULE TRB-3: it can be disabled; the rules are removed (FW-5).
	if err := e.tn.DisableRDPAccess(ctx, "prod", "hub"); err != nil {
		t.Fatal(err)
	}
	if e.rdp(t, outside, e.vda1) {
		t.Error("FW-5: RDP still allowed after DisableRDPAccess")
	}
	for _, r := range e.view.Resources(flex.Filter{Type: flex.TypeSecurityGroup}) {
		for _, rule := range r.(*flex.SecurityGroup).Rules {
			if strings.Contains(rule.Name, "RDPAccess") {
				t.Errorf("FW-5: %s keeps %s", r.Metadata().ID.Name, rule.Name)
			}
		}
	}
	if err := e.tn.DisableRDPAccess(ctx, "prod", "hub"); !errors.Is(err, flex.ErrNotFound) {
		t.Errorf("second disable: %v, want ErrNotFound", err)
	}
	ro := flex.AsAdmin(ctx, flex.Admin{Name: "rita", Role: flex.ReadOnlyAdministrator})
	if _, err := e.tn.EnableRDPAccess(ro, flex.RDPAccessSpec{Catalog: "Sales", Source: imgPrefix("192.168.0.32/27")}); !errors.Is(err, flex.ErrPrecondition) {
		t.Errorf("ADM-1: read-only EnableRDPAccess = %v", err)
	}
}

// newActEnv returns a tenant with catalog "Sales" of one multi-session
// machine, and the machine's VM. wrap, if not nil, wraps the tenant's
// provider.
func newActEnv(t *testing.T, wrap func(flex.Provider) flex.Provider) (*imgEnv, *flex.VirtualMachine) {
	t.Helper()
	e := newImgEnv(t)
	if wrap != nil {
		e.tn = flex.NewTenant(wrap(e.view), flex.WithID("t1"), flex.WithClock(e.clock.Now))
		if _, err := e.tn.AddSubscription(t.Context(), flex.SubscriptionSpec{Name: "prod", AzureID: "az-prod"}); err != nil {
			t.Fatal(err)
		}
	}
	e.multiCatalog(t, "Sales", "Windows Server 2022 (multi-session)", 8)
	vms := e.vms("catalog/Sales")
	if len(vms) != 1 {
		t.Fatalf("catalog Sales has %d machines", len(vms))
	}
	return e, vms[0]
}

func TestTroubleshootingActivities(t *testing.T) {
	e, vm := newActEnv(t, nil)
	ctx := t.Context()
	machine := strings.ToLower(vm.ID.Name)
	run := func(action flex.TroubleshootingAction) (flex.Activity, error) {
		return e.tn.RunTroubleshootingAction(ctx, flex.TroubleshootingSpec{Catalog: "Sales", Machine: machine, Action: action})
	}
	// RULE TRB-4, API-6: Running → Successful, with a downloadable log.
	a, err := run(flex.CollectLogs)
	if err != nil {
		t.Fatal(err)
	}
	want := flex.Activity{ID: 1, Catalog: "Sales", Machine: machine, Action: flex.CollectLogs, State: flex.ActivitySuccessful, Started: imgEpoch, Ended: imgEpoch}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("activity (-want +got):\n%s", diff)
	}
	log, err := e.tn.ActivityLog(ctx, a.ID)
	if err != nil || !strings.Contains(string(log), "CollectLogs started") || !strings.Contains(string(log), "uploaded the logs") ||
		!strings.Contains(string(log), "completed successfully") {
		t.Errorf("log = %q, %v", log, err)
	}
	if _, err := run(flex.RestartMachine); err != nil {
		t.Errorf("restart: %v", err)
	}
	// RULE TRB-4, API-6: Running → Failed, the log says why.
	if err := e.cloud.Power(ctx, vm.ID, flex.Deallocate); err != nil {
		t.Fatal(err)
	}
	a, err = run(flex.CheckHealth)
	if !errors.Is(err, flex.ErrPrecondition) || a.State != flex.ActivityFailed || !strings.Contains(a.Failure, "deallocated") {
		t.Errorf("on a deallocated machine: %+v, %v", a, err)
	}
	log, _ = e.tn.ActivityLog(ctx, a.ID)
	if !strings.Contains(string(log), "CheckHealth failed") {
		t.Errorf("log of the failed activity = %q", log)
	}
	all, err := e.tn.Activities(ctx, "SALES")
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, a := range all {
		states = append(states, string(a.Action)+" "+a.State.String())
	}
	if diff := cmp.Diff([]string{"CheckHealth Failed", "RestartMachine Successful", "CollectLogs Successful"}, states); diff != "" {
		t.Errorf("activities, newest first (-want +got):\n%s", diff)
	}
	if _, err := run("Format C:"); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "TRB-4") {
		t.Errorf("unknown action: %v, want ErrInvalid TRB-4", err)
	}
	if _, err := e.tn.RunTroubleshootingAction(ctx, flex.TroubleshootingSpec{Catalog: "Sales", Machine: "SALES-99", Action: flex.CheckHealth}); !errors.Is(err, flex.ErrNotFound) {
		t.Errorf("unknown machine: %v, want ErrNotFound", err)
	}
	if _, err := e.tn.ActivityLog(ctx, 99); !errors.Is(err, flex.ErrNotFound) {
		t.Errorf("unknown activity: %v", err)
	}
}

// blockGet holds every Get once armed until release is closed, announcing
// the first.
type blockGet struct {
	flex.Provider
	armed   *atomic.Bool
	started chan struct{}
	release chan struct{}
}

func (p blockGet) Get(ctx context.Context, id flex.ResourceID) (flex.Resource, error) {
	if !p.armed.Load() {
		return p.Provider.Get(ctx, id)
	}
	select {
	case <-p.started:
	default:
		close(p.started)
	}
	<-p.release
	return p.Provider.Get(ctx, id)
}

func TestActivityRunningWhileTheActionRuns(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	armed := new(atomic.Bool)
	e, vm := newActEnv(t, func(p flex.Provider) flex.Provider {
		return blockGet{Provider: p, armed: armed, started: started, release: release}
	})
	ctx := t.Context()
	armed.Store(true)
	done := make(chan flex.Activity, 1)
	go func() {
		a, _ := e.tn.RunTroubleshootingAction(ctx, flex.TroubleshootingSpec{Catalog: "Sales", Machine: vm.ID.Name, Action: flex.CheckHealth})
		done <- a
	}()
	select {
	case <-started:
	case a := <-done:
		t.Fatalf("the action ended without reading the machine: %+v", a)
	}
	all, err := e.tn.Activities(ctx, "")
	// RULE API-6: the activity is Running while the action runs.
	if err != nil || len(all) != 1 || all[0].State != flex.ActivityRunning || !all[0].Ended.IsZero() {
		t.Errorf("while running: %+v, %v", all, err)
	}
	close(release)
	if a := <-done; a.State != flex.ActivitySuccessful {
		t.Errorf("after: %+v", a)
	}
}

// Property: ParseActivityState inverts String for every state, and
// rejects every other text (API-6).
func TestActivityStateRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := flex.ActivityState(rapid.IntRange(0, 2).Draw(t, "state"))
		got, err := flex.ParseActivityState(strings.ToLower(s.String()))
		if err != nil || got != s {
			t.Fatalf("ParseActivityState(%q) = %v, %v", s, got, err)
		}
		text := rapid.String().Draw(t, "text")
		if st, err := flex.ParseActivityState(text); err == nil && !strings.EqualFold(st.String(), text) {
			t.Fatalf("ParseActivityState(%q) = %v", text, st)
		}
	})
}

func FuzzParseActivityState(f *testing.F) {
	for _, s := range []string{"Running", "successful", "FAILED", "", "Runnin", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := flex.ParseActivityState(s)
		if err != nil {
			return
		}
		if !strings.EqualFold(st.String(), s) {
			t.Errorf("ParseActivityState(%q) = %v", s, st)
		}
	})
}

// Property: BastionSpec.Validate never shows the password, whatever it and
// the user name are, and refuses every password that lacks Windows
// complexity (fewer than 12 characters or fewer than 3 character kinds).
func TestBastionSpecValidateProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		user := rapid.StringMatching(`[a-zA-Z0-9_.-]{0,24}`).Draw(t, "user")
		pw := rapid.StringMatching(`[a-zA-Z0-9!#%&]{0,20}`).Draw(t, "password")
		spec := flex.BastionSpec{Catalog: "Sales", Username: user, Password: secret.New("Q" + pw), Source: netip.MustParsePrefix("203.0.113.0/28")}
		err := spec.Validate()
		if err != nil && len(pw) >= 4 && strings.Contains(err.Error(), "Q"+pw) {
			t.Fatalf("SEC-1: the password shows in %v", err)
		}
		kinds := 0
		for _, class := range []string{"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", "!#%&"} {
			if strings.ContainsAny("Q"+pw, class) {
				kinds++
			}
		}
		if (len(pw)+1 < 12 || kinds < 3) && !rule.Has(err, "TRB-2") {
			t.Fatalf("password %q (%d kinds) accepted", "Q"+pw, kinds)
		}
	})
}

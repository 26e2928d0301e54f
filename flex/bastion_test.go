package flex_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
	"github.com/google/go-cmp/cmp"
)

// trbEnv is an imgEnv with a VNet peering connection "hub" (Flex range
// 10.1.0.0/22, customer network 192.168.0.0/24), a domain-joined catalog
// "Sales" of two machines on it, with its resource location's Cloud
// Connectors, and a non-domain-joined catalog "Kiosk" on it too.
type trbEnv struct {
	*imgEnv
	vda1, vda2 netip.Addr // the machines of Sales
	connector  netip.Addr // a Cloud Connector of Sales's resource location
}

func newTrbEnv(t *testing.T, opts ...flex.Option) *trbEnv {
	t.Helper()
	e := &trbEnv{imgEnv: newImgEnv(t, opts...)}
	e.peering(t, "hub", "10.1.0.0/22")
	sales := e.joinedCatalog(t, "Sales", "hub", 2)
	kiosk := catStatic("Kiosk", 1)
	kiosk.Subscription, kiosk.Region, kiosk.Connection = "prod", "", "hub"
	if _, err := e.tn.CreateCatalog(t.Context(), kiosk); err != nil {
		t.Fatal(err)
	}
	vdas := e.vms("catalog/Sales")
	connectors := e.vms("location/" + sales.ResourceLocation)
	if len(vdas) != 2 || len(connectors) == 0 {
		t.Fatalf("catalog Sales has %d machines and %d connectors", len(vdas), len(connectors))
	}
	e.vda1, e.vda2, e.connector = vdas[0].PrivateIP, vdas[1].PrivateIP, connectors[0].PrivateIP
	return e
}

var (
	trbAdmin    = netip.MustParseAddr("192.168.0.5")   // in the bastion's source range
	trbStranger = netip.MustParseAddr("192.168.0.100") // outside it
)

func bastionSpec() flex.BastionSpec {
	return flex.BastionSpec{Catalog: "Sales", Username: "trbadmin", Password: secret.New(imgPassword), Source: imgPrefix("192.168.0.0/28")}
}

func TestBastionValidation(t *testing.T) {
	e := newTrbEnv(t)
	ctx := t.Context()
	t.Run("TRB-2 every problem at once", func(t *testing.T) {
		spec := flex.BastionSpec{Catalog: "Sales", Username: "jürgen", Password: secret.New("alllowercase")}
		_, err := e.tn.CreateBastion(ctx, spec)
		if !errors.Is(err, flex.ErrInvalid) {
			t.Fatalf("err = %v, want ErrInvalid", err)
		}
		var msgs []string
		for _, v := range rule.Violations(err) {
			msgs = append(msgs, v.ID)
		}
		// Unicode user name, weak password, no source range.
		if diff := cmp.Diff([]string{"TRB-2", "TRB-2", "TRB-2"}, msgs); diff != "" {
			t.Errorf("violations (-want +got):\n%s\n%v", diff, err)
		}
	})
	t.Run("TRB-2 Windows complexity: the password may not contain the user name", func(t *testing.T) {
		spec := bastionSpec()
		spec.Password = secret.New("Trbadmin-2026!")
		if _, err := e.tn.CreateBastion(ctx, spec); !rule.Has(err, "TRB-2") || strings.Contains(err.Error(), "Trbadmin-2026!") {
			t.Errorf("err = %v, want TRB-2 without the password", err)
		}
	})
	t.Run("FW-4 the source range lies outside the VNet", func(t *testing.T) {
		spec := bastionSpec()
		spec.Source = imgPrefix("10.1.0.0/28")
		if _, err := e.tn.CreateBastion(ctx, spec); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "FW-4") {
			t.Errorf("err = %v, want ErrInvalid FW-4", err)
		}
	})
	t.Run("TRB-1 only for domain-joined catalogs", func(t *testing.T) {
		spec := bastionSpec()
		spec.Catalog = "Kiosk"
		if _, err := e.tn.CreateBastion(ctx, spec); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "TRB-1") {
			t.Errorf("err = %v, want ErrPrecondition TRB-1", err)
		}
		spec.Catalog = "Nowhere"
		if _, err := e.tn.CreateBastion(ctx, spec); !errors.Is(err, flex.ErrNotFound) {
			t.Errorf("unknown catalog: %v, want ErrNotFound", err)
		}
	})
	if got := e.owned("bastion/hub"); got != nil {
		t.Errorf("refused bastions left %v", got)
	}
}

func TestBastionLifecycle(t *testing.T) {
	var logs bytes.Buffer
	e := newTrbEnv(t, flex.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	ctx := t.Context()
	b, err := e.tn.CreateBastion(ctx, bastionSpec())
	if err != nil {
		t.Fatal(err)
	}
	if b.Connection != "hub" || b.Power != flex.PowerRunning || !b.PoweredOn.Equal(imgEpoch) || b.Size != flex.DefaultBastionSize {
		t.Errorf("bastion = %+v", b)
	}
	if diff := cmp.Diff([]string{"disks/flexbastion-osdisk", "networkSecurityGroups/nsg-bastion-hub-1", "resourceGroups/flex-t1-bastion-hub",
		"virtualMachines/flexbastion"}, e.owned("bastion/hub"), sortStrings); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
	bastion := b.Address
	open := []struct {
		name     string
		src, dst netip.Addr
		want     bool
	}{
		{"admin to the bastion", trbAdmin, bastion, true},
		{"stranger to the bastion", trbStranger, bastion, false},
		{"admin to a VDA", trbAdmin, e.vda1, false},
		{"bastion to a VDA", bastion, e.vda1, true},
		{"VDA to VDA", e.vda1, e.vda2, false},
		{"VDA to the bastion", e.vda1, bastion, false},
		{"bastion to a connector", bastion, e.connector, true},
		{"VDA to a connector", e.vda1, e.connector, false},
		{"connector to a VDA", e.connector, e.vda1, false},
		{"admin to a connector", trbAdmin, e.connector, false},
	}
	check := func(phase string, wantOpen bool) {
		t.Helper()
		for _, tc := range open {
			want := tc.want && wantOpen
			// RULE FW-4: 3389 from the source range to the bastion only, from the
			// bastion to the VNet; RDP between connectors and VDAs stays blocked.
			if got := e.rdp(t, tc.src, tc.dst); got != want {
				t.Errorf("FW-4 %s, %s: allowed=%v, want %v", phase, tc.name, got, want)
			}
		}
	}
	check("created", true)

	t.Run("TRB-2 one bastion per connection", func(t *testing.T) {
		e.joinedCatalog(t, "Sales2", "hub", 1)
		spec := bastionSpec()
		spec.Catalog = "Sales2"
		if _, err := e.tn.CreateBastion(ctx, spec); !errors.Is(err, flex.ErrConflict) || !rule.Has(err, "TRB-2") {
			t.Errorf("err = %v, want ErrConflict TRB-2", err)
		}
	})
	t.Run("TRB-2 powered off 8 hours after it was powered on", func(t *testing.T) {
		e.clock.Advance(8*time.Hour - time.Minute)
		ran, _, err := trbDue(t, e)
		if err != nil || ran != nil {
			t.Fatalf("before 8 hours: ran %v, %v", ran, err)
		}
		check("7h59m on", true)
		e.clock.Advance(time.Minute)
		ran, _, err = trbDue(t, e)
		if err != nil || len(ran) != 1 {
			t.Fatalf("at 8 hours: ran %v, %v", ran, err)
		}
		vm := e.view.Resources(flex.Filter{Type: flex.TypeVirtualMachine, Tags: map[string]string{flex.TagOwner: "bastion/hub"}})[0].(*flex.VirtualMachine)
		if vm.PowerState != flex.PowerDeallocated {
			t.Errorf("bastion VM is %s, want deallocated", vm.PowerState)
		}
		check("powered off", false) // the port is closed too
		// Powering it on opens the port and restarts the 8 hours.
		b, err := e.tn.BastionAction(ctx, "prod", "hub", flex.Start)
		if err != nil || b.Power != flex.PowerRunning || !b.PoweredOn.Equal(e.clock.Now()) {
			t.Fatalf("power on: %+v, %v", b, err)
		}
		check("powered on again", true)
		if _, err := e.tn.BastionAction(ctx, "prod", "hub", flex.Restart); !errors.Is(err, flex.ErrInvalid) {
			t.Errorf("Restart: %v, want ErrInvalid", err)
		}
	})
	t.Run("TRB-2 a warning once older than 3 days, never deleted", func(t *testing.T) {
		e.clock.Set(imgEpoch.Add(flex.BastionLifetime))
		_, warnings, err := trbDue(t, e)
		if err != nil || warnings != nil {
			t.Fatalf("at 3 days: %v, %v", warnings, err)
		}
		e.clock.Advance(time.Hour)
		_, warnings, err = trbDue(t, e)
		if err != nil || len(warnings) != 1 || warnings[0].ID != "TRB-2" {
			t.Fatalf("past 3 days: %v, %v", warnings, err)
		}
		e.clock.Advance(30 * 24 * time.Hour)
		trbDue(t, e)
		all, _ := e.tn.Bastions(ctx)
		if len(all) != 1 || !all[0].PastLifetime || all[0].Power != flex.PowerDeallocated {
			t.Errorf("after 33 days: %+v; want it kept, off, past its lifetime", all)
		}
		if len(e.owned("bastion/hub")) != 4 {
			t.Errorf("resources after 33 days: %v", e.owned("bastion/hub"))
		}
	})
	t.Run("SEC-1 the password never shows", func(t *testing.T) {
		all, _ := e.tn.Bastions(ctx)
		for what, s := range map[string]string{"views": fmt.Sprintf("%+v %v %#v", all, all, all), "logs": logs.String()} {
			if strings.Contains(s, imgPassword) {
				t.Errorf("SEC-1: the password appears in the %s", what)
			}
		}
	})
	t.Run("ADM-1 read-only administrators change nothing", func(t *testing.T) {
		ro := flex.AsAdmin(ctx, flex.Admin{Name: "rita", Role: flex.ReadOnlyAdministrator})
		if _, err := e.tn.Bastions(ro); err != nil {
			t.Errorf("Bastions: %v", err)
		}
		if err := e.tn.DeleteBastion(ro, "prod", "hub", flex.DeleteBastionOptions{Acknowledge: true}); !errors.Is(err, flex.ErrPrecondition) {
			t.Errorf("DeleteBastion: %v", err)
		}
		if _, err := e.tn.BastionAction(ro, "prod", "hub", flex.Start); !errors.Is(err, flex.ErrPrecondition) {
			t.Errorf("BastionAction: %v", err)
		}
	})
	t.Run("TRB-2 delete after acknowledging", func(t *testing.T) {
		if _, err := e.tn.BastionAction(ctx, "prod", "hub", flex.Start); err != nil {
			t.Fatal(err)
		}
		if err := e.tn.DeleteBastion(ctx, "prod", "hub", flex.DeleteBastionOptions{}); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "TRB-2") {
			t.Errorf("without acknowledgement: %v, want ErrPrecondition TRB-2", err)
		}
		if err := e.tn.DeleteBastion(ctx, "prod", "hub", flex.DeleteBastionOptions{Acknowledge: true}); err != nil {
			t.Fatal(err)
		}
		if got := e.owned("bastion/hub"); got != nil {
			t.Errorf("left in the cloud: %v", got)
		}
		if got := e.nsgRulesFor(bastion); got != nil {
			t.Errorf("FW-4: rules for the deleted bastion remain: %v", got)
		}
		if e.rdp(t, trbAdmin, e.vda1) {
			t.Error("RDP to a VDA after the bastion went")
		}
		if err := e.tn.DeleteBastion(ctx, "prod", "hub", flex.DeleteBastionOptions{Acknowledge: true}); !errors.Is(err, flex.ErrNotFound) {
			t.Errorf("second delete: %v, want ErrNotFound", err)
		}
		// A new one can be created for the latest patches.
		if _, err := e.tn.CreateBastion(ctx, bastionSpec()); err != nil {
			t.Errorf("recreate: %v", err)
		}
	})
}

func TestBastionCreationFailureLeavesNothing(t *testing.T) {
	e := newTrbEnv(t)
	ctx := t.Context()
	spec := bastionSpec()
	spec.Size = "Standard_D4s_v5"
	e.cloud.SetCapacity("westeurope", spec.Size, 0)
	if _, err := e.tn.CreateBastion(ctx, spec); !errors.Is(err, flex.ErrCapacity) {
		t.Fatalf("err = %v, want ErrCapacity", err)
	}
	if got := e.owned("bastion/hub"); got != nil {
		t.Errorf("left in the cloud: %v", got)
	}
	if all, _ := e.tn.Bastions(ctx); len(all) != 0 {
		t.Errorf("bastions = %+v", all)
	}
	// NET-8: nothing but the catalogs holds the connection.
	if err := e.tn.DeleteConnection(ctx, "hub"); err == nil || strings.Contains(err.Error(), "bastion") {
		t.Errorf("DeleteConnection = %v; want it refused for the catalogs only", err)
	}
}

// trbDue runs RunDue and returns what it ran and warned about for bastions
// (TRB-2).
func trbDue(t *testing.T, e *trbEnv) (ran []string, warnings []network.Warning, err error) {
	t.Helper()
	r, err := e.tn.RunDue(t.Context())
	for _, line := range r.Ran {
		if strings.Contains(line, "bastion") {
			ran = append(ran, line)
		}
	}
	for _, w := range r.Warnings {
		if w.ID == "TRB-2" {
			warnings = append(warnings, w)
		}
	}
	return ran, warnings, err
}

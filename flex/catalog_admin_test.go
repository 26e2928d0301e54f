package flex_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/secret"
)

// TestCatalogReadOnlyAdmin checks ADM-1 for every catalog operation: a
// Read Only Administrator reads and changes nothing.
func TestCatalogReadOnlyAdmin(t *testing.T) {
	e := catNew(t, catOpts{})
	if _, err := e.tn.CreateCatalog(e.ctx, catStatic("Desk", 1)); err != nil {
		t.Fatal(err)
	}
	ro := flex.AsAdmin(e.ctx, flex.Admin{Name: "rita", Role: flex.ReadOnlyAdministrator})
	p := catalog.Principal{Directory: "corp.example.com", Kind: catalog.User, ID: "x@corp.example.com"}
	writes := map[string]func(context.Context) error{
		"CreateCatalog": func(ctx context.Context) error { _, err := e.tn.CreateCatalog(ctx, catStatic("New", 1)); return err },
		"AddMachines": func(ctx context.Context) error {
			_, err := e.tn.AddMachines(ctx, "Desk", catalog.AddMachinesRequest{Users: 1})
			return err
		},
		"UpdateCatalogImage": func(ctx context.Context) error {
			_, err := e.tn.UpdateCatalogImage(ctx, "Desk", flex.CatalogImageUpdate{})
			return err
		},
		"DeleteCatalog": func(ctx context.Context) error { return e.tn.DeleteCatalog(ctx, "Desk", catAck("Desk")) },
		"MachineAction": func(ctx context.Context) error {
			_, err := e.tn.MachineAction(ctx, "Desk", "Des-0001", catalog.Shutdown)
			return err
		},
		"AddUsers":    func(ctx context.Context) error { _, err := e.tn.AddUsers(ctx, "Desk", p); return err },
		"RemoveUsers": func(ctx context.Context) error { _, err := e.tn.RemoveUsers(ctx, "Desk", p); return err },
		"AddApp":      func(ctx context.Context) error { _, err := e.tn.AddApp(ctx, "Desk", catalog.App{}); return err },
		"UpdateApp":   func(ctx context.Context) error { _, err := e.tn.UpdateApp(ctx, "Desk", "a", catalog.App{}); return err },
		"RemoveApp":   func(ctx context.Context) error { _, err := e.tn.RemoveApp(ctx, "Desk", "a"); return err },
		"ScheduleSnapshots": func(ctx context.Context) error {
			_, err := e.tn.ScheduleSnapshots(ctx, "Desk", catalog.Schedules{})
			return err
		},
		"TakeSnapshot": func(ctx context.Context) error { _, err := e.tn.TakeSnapshot(ctx, "Desk", "Des-0001", "s"); return err },
		"RestoreSnapshot": func(ctx context.Context) error {
			_, err := e.tn.RestoreSnapshot(ctx, "Desk", "Des-0001", "s")
			return err
		},
		"DeleteSnapshots": func(ctx context.Context) error { return e.tn.DeleteSnapshots(ctx, "Desk", "Des-0001", "s") },
		"AddConnectors": func(ctx context.Context) error {
			_, err := e.tn.AddConnectors(ctx, "westeurope", flex.ConnectorRequest{})
			return err
		},
		"RestartConnector": func(ctx context.Context) error {
			_, err := e.tn.RestartConnector(ctx, "westeurope", "c")
			return err
		},
		"DeleteConnector": func(ctx context.Context) error { return e.tn.DeleteConnector(ctx, "westeurope", "c") },
		"RunHealthCheck":  func(ctx context.Context) error { _, err := e.tn.RunHealthCheck(ctx, "westeurope"); return err },
		"RenameResourceLocation": func(ctx context.Context) error {
			_, err := e.tn.RenameResourceLocation(ctx, "westeurope", "x")
			return err
		},
		"SetLocationConnectivity": func(ctx context.Context) error {
			_, err := e.tn.SetLocationConnectivity(ctx, "westeurope", flex.InternalConnectivity)
			return err
		},
		"ScheduleConnectorUpdates": func(ctx context.Context) error {
			_, err := e.tn.ScheduleConnectorUpdates(ctx, "westeurope", flex.ConnectorUpdates{WhenAvailable: true})
			return err
		},
		"PublishConnectorUpdate": func(ctx context.Context) error { return e.tn.PublishConnectorUpdate(ctx, "2") },
		"RunDue":                 func(ctx context.Context) error { _, err := e.tn.RunDue(ctx); return err },
	}
	for op, f := range writes {
		// RULE ADM-1: a Read Only Administrator changes nothing.
		if err := f(ro); !errors.Is(err, flex.ErrPrecondition) || !strings.Contains(err.Error(), "ADM-1") {
			t.Errorf("ADM-1 %s by a Read Only Administrator = %v, want ErrPrecondition naming ADM-1", op, err)
		}
	}
	reads := map[string]func(context.Context) error{
		"Catalogs":          func(ctx context.Context) error { _, err := e.tn.Catalogs(ctx); return err },
		"Catalog":           func(ctx context.Context) error { _, err := e.tn.Catalog(ctx, "Desk"); return err },
		"Machines":          func(ctx context.Context) error { _, err := e.tn.Machines(ctx, "Desk"); return err },
		"Snapshots":         func(ctx context.Context) error { _, err := e.tn.Snapshots(ctx, "Desk", ""); return err },
		"ResourceLocations": func(ctx context.Context) error { _, err := e.tn.ResourceLocations(ctx); return err },
	}
	for op, f := range reads {
		if err := f(ro); err != nil {
			t.Errorf("ADM-1 %s by a Read Only Administrator = %v, want it allowed", op, err)
		}
	}
	if n := len(e.vms("")); n != 1 {
		t.Errorf("VMs = %d; the Read Only Administrator changed the cloud", n)
	}
}

// TestCatalogSecrets checks SEC-1: the AD service account's password never
// shows in errors, views (String, %v, %+v, %#v, JSON) or logs.
func TestCatalogSecrets(t *testing.T) {
	var logs bytes.Buffer
	e := catNew(t, catOpts{})
	e.tn = flex.NewTenant(e.prov, flex.WithID("t1"), flex.WithClock(e.clock.Now),
		flex.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if _, err := e.tn.AddSubscription(e.ctx, flex.SubscriptionSpec{Name: "Sub1", AzureID: "sub-1"}); err != nil {
		t.Fatal(err)
	}
	e.catPeering(t, "hub", "192.168.0.0/22")
	var seen []string
	// RULE SEC-1: the password never shows.
	check := func(what string, v any) {
		t.Helper()
		for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
			if s := fmt.Sprintf(format, v); strings.Contains(s, catPassword) {
				t.Errorf("SEC-1: %s printed with %s shows the password: %s", what, format, s)
			}
		}
		if b, err := json.Marshal(v); err == nil && strings.Contains(string(b), catPassword) {
			t.Errorf("SEC-1: %s in JSON shows the password", what)
		}
		seen = append(seen, what)
	}
	bad := catJoined("x", 0, "hub", "corp.example.com", "West")
	_, err := e.tn.CreateCatalog(e.ctx, bad)
	if err == nil {
		t.Fatal("an invalid spec was accepted")
	}
	check("validation error", err)
	check("spec", bad)
	c, err := e.tn.CreateCatalog(e.ctx, catJoined("Sales", 2, "hub", "corp.example.com", "West"))
	if err != nil {
		t.Fatal(err)
	}
	check("catalog view", c)
	req := catalog.AddMachinesRequest{Users: 1, ServiceAccount: "CORP\\svc-flex", Password: secret.New(catPassword)}
	check("AddMachines request", req)
	_, err = e.tn.AddMachines(e.ctx, "Nope", req)
	check("AddMachines error", err)
	_, err = e.tn.AddConnectors(e.ctx, "West", flex.ConnectorRequest{Count: 0, ServiceAccount: "CORP\\svc", Password: secret.New(catPassword)})
	check("AddConnectors error", err)
	l, err := e.tn.AddConnectors(e.ctx, "West", flex.ConnectorRequest{Count: 1, ServiceAccount: "CORP\\svc", Password: secret.New(catPassword)})
	if err != nil {
		t.Fatal(err)
	}
	check("location view", l)
	cs, _ := e.tn.Catalogs(e.ctx)
	check("catalogs", cs)
	if strings.Contains(logs.String(), catPassword) {
		t.Errorf("SEC-1: the logs show the password")
	}
	if logs.Len() == 0 {
		t.Errorf("nothing was logged; the log check proves nothing")
	}
	if len(seen) != 8 {
		t.Errorf("checked %d values", len(seen))
	}
}

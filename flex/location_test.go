package flex_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
	"github.com/google/go-cmp/cmp"
)

func (e *catEnv) location(t testing.TB, name string) flex.ResourceLocation {
	t.Helper()
	ls, err := e.tn.ResourceLocations(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Name == name {
			return l
		}
	}
	t.Fatalf("no resource location %q in %+v", name, ls)
	return flex.ResourceLocation{}
}

func connectorStates(l flex.ResourceLocation) map[string]string {
	out := map[string]string{}
	for _, c := range l.Connectors {
		out[c.Name] = c.State.String()
		if c.Health != "" {
			out[c.Name] += "/" + c.Health
		}
	}
	return out
}

func TestResourceLocations(t *testing.T) {
	e, f := catFaulty(t, catOpts{})
	e.catPeering(t, "hub", "192.168.0.0/22")
	if _, err := e.tn.CreateCatalog(e.ctx, catJoined("Sales", 2, "hub", "corp.example.com", "West")); err != nil {
		t.Fatal(err)
	}
	creds := flex.ConnectorRequest{Count: 1, ServiceAccount: "CORP\\svc-flex", Password: secret.New(catPassword)}
	t.Run("RL-2 domain-joined locations need the domain credentials", func(t *testing.T) {
		_, err := e.tn.AddConnectors(e.ctx, "West", flex.ConnectorRequest{Count: 1})
		if !errors.Is(err, flex.ErrInvalid) || !strings.Contains(err.Error(), "RL-2") {
			t.Errorf("AddConnectors without credentials = %v, want ErrInvalid RL-2", err)
		}
	})
	t.Run("RL-2 a proxy is accepted with a warning; group and OU default to the last used", func(t *testing.T) {
		req := creds
		req.Proxy = &flex.Proxy{Host: "proxy.corp.example.com", Port: 8080}
		req.Performance = flex.HighPerformance
		l, err := e.tn.AddConnectors(e.ctx, "West", req)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Warnings) != 1 || l.Warnings[0].ID != "RL-2" {
			t.Errorf("warnings = %v, want RL-2 for the proxy", l.Warnings)
		}
		vms := e.vms("flex-t1-location-West")
		if len(vms) != 3 || vms[2].Size != "Standard_D4s_v5" || vms[2].Zone != "3" {
			t.Fatalf("connector VMs = %v", vmNames(vms))
		}
		if l.ResourceGroup != "flex-t1-location-West" || l.Connectors[2].Proxy != "proxy.corp.example.com:8080" {
			t.Errorf("location = %+v", l)
		}
		// RULE RL-7: connectors never count as VDAs.
		if got := e.usage("Sub1"); got != 2 {
			t.Errorf("VDAs = %d, want 2", got)
		}
	})
	t.Run("RL-4 restarting takes the connector offline until it is back", func(t *testing.T) {
		started, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		f.set(func(f *faults) {
			f.power = func(id flex.ResourceID, a flex.PowerAction) error {
				if a == flex.Restart {
					once.Do(func() { close(started) })
					<-release
				}
				return nil
			}
		})
		done := make(chan error, 1)
		go func() { _, err := e.tn.RestartConnector(e.ctx, "West", "WESTXCC-01"); done <- err }()
		<-started
		// RULE API-4: a restarting connector is Rebooting.
		during := connectorStates(e.location(t, "West"))
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		f.set(func(f *faults) { f.power = nil })
		if during["WESTXCC-01"] != "Rebooting" || during["WESTXCC-02"] != "Connected" {
			t.Errorf("during the restart: %v", during)
		}
		if after := connectorStates(e.location(t, "West")); after["WESTXCC-01"] != "Connected/OK" {
			t.Errorf("after the restart: %v", after)
		}
	})
	t.Run("RL-4 a failing health check makes the state unknown", func(t *testing.T) {
		vm := e.vms("flex-t1-location-West")[1]
		if err := e.cloud.SetPowerState(vm.ID, flex.PowerStopped); err != nil {
			t.Fatal(err)
		}
		l, err := e.tn.RunHealthCheck(e.ctx, "West")
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"WESTXCC-01": "Connected/OK", "WESTXCC-02": "Disconnected/Unknown", "WESTXCC-03": "Connected/OK"}
		if diff := cmp.Diff(want, connectorStates(l)); diff != "" {
			t.Errorf("states (-want +got):\n%s", diff)
		}
	})
	t.Run("RL-3 deleting an available connector leaves at least two available", func(t *testing.T) {
		// WESTXCC-02 is unavailable: two available remain.
		err := e.tn.DeleteConnector(e.ctx, "West", "WESTXCC-01")
		if !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "RL-3") {
			t.Errorf("deleting one of two available = %v, want ErrPrecondition RL-3", err)
		}
		// An unavailable connector can always go.
		if err := e.tn.DeleteConnector(e.ctx, "West", "WESTXCC-02"); err != nil {
			t.Fatal(err)
		}
		if got := vmNames(e.vms("flex-t1-location-West")); !cmp.Equal(got, []string{"WESTXCC-01", "WESTXCC-03"}) {
			t.Errorf("connector VMs = %v", got)
		}
		if _, err := e.tn.AddConnectors(e.ctx, "West", creds); err != nil {
			t.Fatal(err)
		}
		if err := e.tn.DeleteConnector(e.ctx, "West", "WESTXCC-01"); err != nil {
			t.Errorf("deleting one of three available: %v", err)
		}
	})
	t.Run("RL-6 rename and connectivity", func(t *testing.T) {
		if _, err := e.tn.CreateCatalog(e.ctx, catJoined("Other", 1, "hub", "other.example.com", "East")); err != nil {
			t.Fatal(err)
		}
		if _, err := e.tn.RenameResourceLocation(e.ctx, "West", "EAST"); !errors.Is(err, flex.ErrConflict) {
			t.Errorf("renaming to a taken name = %v, want ErrConflict", err)
		}
		l, err := e.tn.RenameResourceLocation(e.ctx, "West", "West Europe")
		if err != nil || l.Name != "West Europe" {
			t.Fatalf("rename = %+v, %v", l, err)
		}
		c, _ := e.tn.Catalog(e.ctx, "Sales")
		if c.ResourceLocation != "West Europe" {
			t.Errorf("catalog's location = %q", c.ResourceLocation)
		}
		l, err = e.tn.SetLocationConnectivity(e.ctx, "West Europe", flex.InternalConnectivity)
		if err != nil || l.Connectivity != flex.InternalConnectivity {
			t.Errorf("connectivity = %v, %v", l.Connectivity, err)
		}
		// A catalog with the same connection, region and domain still finds it.
		c2, err := e.tn.CreateCatalog(e.ctx, catJoined("Sales2", 1, "hub", "corp.example.com", "West Europe"))
		if err != nil || c2.ResourceLocation != "West Europe" {
			t.Errorf("Sales2 = %+v, %v", c2.ResourceLocation, err)
		}
	})
	t.Run("RL-2 non-domain-joined locations have no connectors", func(t *testing.T) {
		if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Cloud", 8)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.tn.AddConnectors(e.ctx, "westeurope", creds); !errors.Is(err, flex.ErrInvalid) {
			t.Errorf("AddConnectors to a non-domain-joined location = %v, want ErrInvalid", err)
		}
	})
}

// TestConnectorUpdates checks RL-5: a published update rolls out at the
// location's chosen time, one connector at a time.
func TestConnectorUpdates(t *testing.T) {
	e, f := catFaulty(t, catOpts{})
	e.catPeering(t, "hub", "192.168.0.0/22")
	s := catJoined("Sales", 2, "hub", "corp.example.com", "West")
	s.Connectors = 3
	if _, err := e.tn.CreateCatalog(e.ctx, s); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tn.ScheduleConnectorUpdates(e.ctx, "West", flex.ConnectorUpdates{At: catalog.MustParseTimeOfDay("22:00"), TimeZone: "Europe/Berlin"}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var offline []int
	f.set(func(f *faults) {
		f.power = func(id flex.ResourceID, a flex.PowerAction) error {
			if a == flex.Restart {
				n := 0
				for _, c := range e.location(t, "West").Connectors {
					if c.State != flex.ConnectorConnected {
						n++
					}
				}
				mu.Lock()
				offline = append(offline, n)
				mu.Unlock()
			}
			return nil
		}
	})
	if err := e.tn.PublishConnectorUpdate(e.ctx, "2"); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.tn.RunDue(e.ctx); len(r.Ran) != 0 {
		t.Errorf("at 11:00 in Berlin: ran %v, want nothing before 22:00", r.Ran)
	}
	if l := e.location(t, "West"); l.PendingVersion != "2" {
		t.Errorf("pending version = %q", l.PendingVersion)
	}
	e.clock.Advance(11 * time.Hour) // 22:00 in Berlin
	r, err := e.tn.RunDue(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Ran) != 1 || !strings.Contains(r.Ran[0], "3 connector(s)") {
		t.Errorf("ran = %v", r.Ran)
	}
	// RULE RL-5: one connector offline at a time, at the chosen time.
	if diff := cmp.Diff([]int{1, 1, 1}, offline); diff != "" {
		t.Errorf("connectors offline at each restart (-want +got):\n%s", diff)
	}
	l := e.location(t, "West")
	for _, c := range l.Connectors {
		if c.Version != "2" || c.State != flex.ConnectorConnected {
			t.Errorf("connector after the update = %+v", c)
		}
	}
	if l.PendingVersion != "" {
		t.Errorf("pending version after the rollout = %q", l.PendingVersion)
	}
}

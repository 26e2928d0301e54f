package flex_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
)

// vm returns the VM of a machine of catalog name.
func (e *catEnv) vm(t testing.TB, name, machine string) *flex.VirtualMachine {
	t.Helper()
	for _, v := range e.vms(catGroup(name)) {
		if v.ID.Name == machine {
			return v
		}
	}
	t.Fatalf("no VM %s in catalog %s", machine, name)
	return nil
}

func TestMachineActions(t *testing.T) {
	e, f := catFaulty(t, catOpts{})
	if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Sales", 24)); err != nil {
		t.Fatal(err)
	}
	act := func(m string, a catalog.Action) (flex.Machine, error) {
		return e.tn.MachineAction(e.ctx, "Sales", m, a)
	}
	t.Run("CAT-8 start only when off, shutdown only when on", func(t *testing.T) {
		if _, err := act("Sal-0001", catalog.Start); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "CAT-8") {
			t.Errorf("start a running machine = %v, want ErrPrecondition CAT-8", err)
		}
		m, err := act("Sal-0001", catalog.Shutdown)
		if err != nil || m.Power != catalog.Deallocated {
			t.Fatalf("shutdown = %+v, %v", m, err)
		}
		if ps := e.vm(t, "Sales", "Sal-0001").PowerState; ps != flex.PowerDeallocated {
			t.Errorf("VM power after shutdown = %s", ps)
		}
		if _, err := act("Sal-0001", catalog.Shutdown); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "CAT-8") {
			t.Errorf("shutdown an off machine = %v, want CAT-8", err)
		}
		if m, err := act("Sal-0001", catalog.Start); err != nil || m.Power != catalog.Running || !m.Registered {
			t.Errorf("start = %+v, %v", m, err)
		}
		if ps := e.vm(t, "Sales", "Sal-0001").PowerState; ps != flex.PowerRunning {
			t.Errorf("VM power after start = %s", ps)
		}
	})
	t.Run("CAT-8 force restart only after a failed restart", func(t *testing.T) {
		if _, err := act("Sal-0002", catalog.ForceRestart); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "CAT-8") {
			t.Errorf("force restart without a failed restart = %v, want CAT-8", err)
		}
		f.set(func(f *faults) {
			f.power = func(_ flex.ResourceID, a flex.PowerAction) error {
				if a == flex.Restart {
					return &flex.Error{Kind: flex.ErrConflict, Op: "Power", Err: errors.New("OperationNotAllowed")}
				}
				return nil
			}
		})
		_, err := act("Sal-0002", catalog.Restart)
		f.set(func(f *faults) { f.power = nil })
		if err == nil {
			t.Fatal("the restart did not fail")
		}
		ms, _ := e.tn.Machines(e.ctx, "Sales")
		if ms[1].Restart != catalog.RestartFailed {
			t.Errorf("restart state = %v, want restart failed", ms[1].Restart)
		}
		m, err := act("Sal-0002", catalog.ForceRestart)
		if err != nil || m.Restart != catalog.NoRestart || m.Power != catalog.Running {
			t.Errorf("force restart = %+v, %v", m, err)
		}
		if m, err := act("Sal-0002", catalog.Restart); err != nil || m.Power != catalog.Running {
			t.Errorf("restart = %+v, %v", m, err)
		}
	})
	vm := e.vm(t, "Sales", "Sal-0003")
	t.Run("CAT-8 maintenance mode stops new sessions, existing ones continue", func(t *testing.T) {
		if err := e.cloud.StartSession(vm.ID, "ann"); err != nil {
			t.Fatal(err)
		}
		if _, err := act("Sal-0003", catalog.MaintenanceOn); err != nil {
			t.Fatal(err)
		}
		if got := e.vm(t, "Sales", "Sal-0003").Tags[flex.TagMaintenance]; got != "on" {
			t.Errorf("maintenance tag = %q", got)
		}
		if err := e.cloud.StartSession(vm.ID, "bob"); err == nil {
			t.Errorf("a new session started in maintenance mode")
		}
		if err := e.cloud.StartSession(vm.ID, "ann"); err != nil {
			t.Errorf("ann's reconnection: %v", err)
		}
		ms, _ := e.tn.Machines(e.ctx, "Sales")
		if !ms[2].Maintenance || ms[2].Sessions != 1 {
			t.Errorf("machine = %+v", ms[2])
		}
		if _, err := act("Sal-0003", catalog.MaintenanceOff); err != nil {
			t.Fatal(err)
		}
		if err := e.cloud.StartSession(vm.ID, "bob"); err != nil {
			t.Errorf("a session after maintenance mode: %v", err)
		}
	})
	t.Run("MON-1 the machine summary comes from the cloud", func(t *testing.T) {
		c, err := e.tn.Catalog(e.ctx, "Sales")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(catalog.Summary{Total: 3, PoweredOn: 3, Sessions: 2}, c.Summary); diff != "" {
			t.Errorf("summary (-want +got):\n%s", diff)
		}
		if err := e.cloud.SetPowerState(e.vm(t, "Sales", "Sal-0001").ID, flex.PowerStopped); err != nil {
			t.Fatal(err)
		}
		cs, _ := e.tn.Catalogs(e.ctx)
		if diff := cmp.Diff(catalog.Summary{Total: 3, PoweredOn: 2, PoweredOff: 1, Sessions: 2}, cs[0].Summary); diff != "" {
			t.Errorf("summary after a VM stopped (-want +got):\n%s", diff)
		}
	})
	t.Run("CAT-8 delete only with no sessions; the VDA is freed", func(t *testing.T) {
		if _, err := act("Sal-0003", catalog.Delete); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "CAT-8") {
			t.Errorf("delete with sessions = %v, want CAT-8", err)
		}
		for _, u := range []string{"ann", "bob"} {
			if err := e.cloud.EndSession(vm.ID, u); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := act("Sal-0003", catalog.Delete); err != nil {
			t.Fatal(err)
		}
		if got := vmNames(e.vms(catGroup("Sales"))); !cmp.Equal(got, []string{"Sal-0001", "Sal-0002"}) {
			t.Errorf("VMs after delete = %v", got)
		}
		if got := e.usage("Sub1"); got != 2 {
			t.Errorf("VDAs after delete = %d, want 2", got)
		}
		if _, err := act("Sal-0003", catalog.Start); !errors.Is(err, flex.ErrNotFound) {
			t.Errorf("an action on a deleted machine = %v, want ErrNotFound", err)
		}
	})
}

func TestUsers(t *testing.T) {
	e := catNew(t, catOpts{})
	if _, err := e.tn.CreateCatalog(e.ctx, catStatic("Desk", 2)); err != nil {
		t.Fatal(err)
	}
	ms, _ := e.tn.Machines(e.ctx, "Desk")
	// Static machines are assigned to the users the catalog is made for.
	if ms[0].Assigned != "des1@corp.example.com" || ms[1].Assigned != "des2@corp.example.com" {
		t.Errorf("assignments = %q, %q", ms[0].Assigned, ms[1].Assigned)
	}
	carol := catalog.Principal{Directory: "corp.example.com", Kind: catalog.User, ID: "carol@corp.example.com"}
	group := catalog.Principal{Directory: "corp.example.com", Kind: catalog.Group, ID: "CORP\\Sales"}
	t.Run("CAT-9 users and groups from a directory", func(t *testing.T) {
		c, err := e.tn.AddUsers(e.ctx, "Desk", carol, group)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Principals) != 4 {
			t.Errorf("principals = %v", c.Principals)
		}
		// RULE CAT-2: a single-session catalog serves one user per machine.
		if len(c.Warnings) != 1 || c.Warnings[0].ID != "CAT-2" {
			t.Errorf("warnings = %v, want CAT-2: 3 users for 2 machines", c.Warnings)
		}
		_, err = e.tn.AddUsers(e.ctx, "Desk", catalog.Principal{Kind: catalog.User, ID: "x"})
		if !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "CAT-9") {
			t.Errorf("a user without a directory = %v, want CAT-9", err)
		}
	})
	t.Run("CAT-2 users are unique: adding one again changes nothing", func(t *testing.T) {
		dup := carol
		dup.ID = strings.ToUpper(dup.ID)
		c, err := e.tn.AddUsers(e.ctx, "Desk", dup)
		if err != nil || len(c.Principals) != 4 {
			t.Errorf("adding carol again = %d principals, %v", len(c.Principals), err)
		}
	})
	t.Run("a new user of a static catalog gets a free machine", func(t *testing.T) {
		if _, err := e.tn.AddMachines(e.ctx, "Desk", catalog.AddMachinesRequest{Users: 1}); err != nil {
			t.Fatal(err)
		}
		dave := catalog.Principal{Directory: "corp.example.com", Kind: catalog.User, ID: "dave@corp.example.com"}
		c, err := e.tn.AddUsers(e.ctx, "Desk", dave)
		if err != nil {
			t.Fatal(err)
		}
		ms, _ := e.tn.Machines(e.ctx, "Desk")
		if ms[2].Assigned != "dave@corp.example.com" {
			t.Errorf("the new machine is assigned to %q", ms[2].Assigned)
		}
		if len(c.Warnings) != 1 {
			t.Errorf("warnings = %v, want one: carol has no machine", c.Warnings)
		}
	})
	t.Run("CAT-9 removing takes access away without touching the directory", func(t *testing.T) {
		c, err := e.tn.RemoveUsers(e.ctx, "Desk", group)
		if err != nil || len(c.Principals) != 4 {
			t.Errorf("RemoveUsers = %d principals, %v", len(c.Principals), err)
		}
		if _, err := e.tn.RemoveUsers(e.ctx, "Desk", group); !errors.Is(err, flex.ErrNotFound) {
			t.Errorf("removing a non-member = %v, want ErrNotFound", err)
		}
	})
}

func TestApps(t *testing.T) {
	e := catNew(t, catOpts{})
	if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Apps", 8)); err != nil {
		t.Fatal(err)
	}
	wmp := catalog.App{Name: "Media Player", Source: catalog.ByPath, Path: `C:\Program Files\Windows Media Player\mplayer1.exe`, FileTypes: true}
	t.Run("CAT-10 apps by path and from the Start menu, one per name", func(t *testing.T) {
		c, err := e.tn.AddApp(e.ctx, "Apps", wmp, catalog.App{Name: "Notepad", Source: catalog.FromStartMenu, Path: `C:\Windows\notepad.exe`})
		if err != nil || len(c.Apps) != 2 {
			t.Fatalf("AddApp = %v, %v", c.Apps, err)
		}
		dup := wmp
		dup.Name = "media player"
		if _, err := e.tn.AddApp(e.ctx, "Apps", dup); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "CAT-10") {
			t.Errorf("a second app of the name = %v, want CAT-10", err)
		}
		dup.Name = "Media Player 12"
		if _, err := e.tn.AddApp(e.ctx, "Apps", dup); err != nil {
			t.Errorf("another version under its own name: %v", err)
		}
	})
	t.Run("CAT-11 the command line quotes the path and the placeholder", func(t *testing.T) {
		c, _ := e.tn.Catalog(e.ctx, "Apps")
		i := slicesIndex(c.Apps, "Media Player")
		if got, want := c.Apps[i].CommandLine().String(), `"C:\Program Files\Windows Media Player\mplayer1.exe" "%*"`; got != want {
			t.Errorf("command line = %s, want %s", got, want)
		}
		bad := wmp
		bad.Name, bad.Args = "Bad", []string{"%*"}
		if _, err := e.tn.AddApp(e.ctx, "Apps", bad); !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "CAT-11") {
			t.Errorf("%%* as an argument = %v, want CAT-11", err)
		}
	})
	t.Run("CAT-10 edit and remove; removing does not uninstall", func(t *testing.T) {
		edited := wmp
		edited.Name, edited.Description = "Player", "plays media"
		c, err := e.tn.UpdateApp(e.ctx, "Apps", "Media Player", edited)
		if err != nil || slicesIndex(c.Apps, "Player") < 0 || slicesIndex(c.Apps, "Media Player") >= 0 {
			t.Fatalf("UpdateApp = %v, %v", c.Apps, err)
		}
		c, err = e.tn.RemoveApp(e.ctx, "Apps", "player")
		if err != nil || slicesIndex(c.Apps, "Player") >= 0 {
			t.Errorf("RemoveApp = %v, %v", c.Apps, err)
		}
		if _, err := e.tn.RemoveApp(e.ctx, "Apps", "player"); !errors.Is(err, flex.ErrNotFound) {
			t.Errorf("removing it again = %v, want ErrNotFound", err)
		}
	})
}

func slicesIndex(apps []catalog.App, name string) int {
	for i, a := range apps {
		if a.Name == name {
			return i
		}
	}
	return -1
}

func TestUpdateCatalogImage(t *testing.T) {
	e := catNew(t, catOpts{})
	if _, err := e.tn.CreateCatalog(e.ctx, catMulti("Multi", 24)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tn.CreateCatalog(e.ctx, catStatic("Desk", 2)); err != nil {
		t.Fatal(err)
	}
	urns := func(name string) map[string]string {
		out := map[string]string{}
		for _, v := range e.vms(catGroup(name)) {
			out[v.ID.Name] = v.Image.URN
		}
		return out
	}
	old := urns("Multi")["Mul-0001"]
	const next = "Windows Server 2025 (multi-session)"
	t.Run("IMG-8 the new image must suit the catalog", func(t *testing.T) {
		_, err := e.tn.UpdateCatalogImage(e.ctx, "Multi", flex.CatalogImageUpdate{Image: "Windows 11 Pro (single-session)", Timing: catalog.Immediately})
		if !errors.Is(err, flex.ErrInvalid) || !rule.Has(err, "IMG-8") {
			t.Errorf("single-session image = %v, want IMG-8", err)
		}
	})
	t.Run("CAT-7 random and multi-session: every machine, spread over the distribution time", func(t *testing.T) {
		plan, err := e.tn.UpdateCatalogImage(e.ctx, "Multi", flex.CatalogImageUpdate{Image: next, Timing: catalog.Immediately, Distribution: 3 * 60 * 60e9})
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Steps) != 3 {
			t.Fatalf("plan = %+v", plan)
		}
		got := urns("Multi")
		if got["Mul-0001"] == old || got["Mul-0002"] != old || got["Mul-0003"] != old {
			t.Errorf("right after the update (machine 1 due now): %v", got)
		}
		e.clock.Advance(2*60*60e9 + 1)
		r, err := e.tn.RunDue(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = urns("Multi")
		if got["Mul-0002"] == old || got["Mul-0003"] == old {
			t.Errorf("after RunDue at +2h: %v (ran %v)", got, r.Ran)
		}
		c, _ := e.tn.Catalog(e.ctx, "Multi")
		if c.Image != next || c.Summary.Total != 3 {
			t.Errorf("catalog = %v, %d machines", c.Image, c.Summary.Total)
		}
	})
	t.Run("CAT-7 on next shutdown", func(t *testing.T) {
		if _, err := e.tn.UpdateCatalogImage(e.ctx, "Multi", flex.CatalogImageUpdate{Image: "Windows Server 2022 (multi-session)", Timing: catalog.OnNextShutdown, Message: "Save your work"}); err != nil {
			t.Fatal(err)
		}
		before := urns("Multi")
		if _, err := e.tn.MachineAction(e.ctx, "Multi", "Mul-0002", catalog.Shutdown); err != nil {
			t.Fatal(err)
		}
		after := urns("Multi")
		if after["Mul-0002"] != old || after["Mul-0001"] != before["Mul-0001"] {
			t.Errorf("after shutting Mul-0002 down: %v", after)
		}
		if v := e.vm(t, "Multi", "Mul-0002"); v.PowerState != flex.PowerDeallocated {
			t.Errorf("the machine is %s after its shutdown", v.PowerState)
		}
	})
	t.Run("CAT-7 static keeps machines on their image; new ones take the new one", func(t *testing.T) {
		before := urns("Desk")
		if _, err := e.tn.UpdateCatalogImage(e.ctx, "Desk", flex.CatalogImageUpdate{Image: "Ubuntu 22.04 LTS (single-session)"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.tn.AddMachines(e.ctx, "Desk", catalog.AddMachinesRequest{Users: 1}); err != nil {
			t.Fatal(err)
		}
		after := urns("Desk")
		if after["Des-0001"] != before["Des-0001"] || after["Des-0003"] == before["Des-0001"] {
			t.Errorf("static update: before %v, after %v", before, after)
		}
		ms, _ := e.tn.Machines(e.ctx, "Desk")
		if ms[0].Image != "Windows 11 Pro (single-session)" || ms[2].Image != "Ubuntu 22.04 LTS (single-session)" {
			t.Errorf("machine images = %s, %s", ms[0].Image, ms[2].Image)
		}
	})
}

package flex

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
)

// machineOf returns the catalog and its named machine. t.mu must be held.
func (t *Tenant) machineOf(op, catalogName, machine string) (*catalogObj, *machineObj, error) {
	c, err := t.catalog(op, catalogName)
	if err != nil {
		return nil, nil, err
	}
	m, ok := c.byName[fold(machine)]
	if !ok {
		return nil, nil, Errorf(ErrNotFound, op, fmt.Sprintf("machine %q", machine), "catalog %q has no machine named %q", c.name, machine)
	}
	return c, m, nil
}

// catalogMachine returns the VM of a machine of a catalog, for the
// troubleshooting actions (TRB-4). t.mu must be held.
func (t *Tenant) catalogMachine(op, catalogName, machine string) (ResourceID, error) {
	c, m, err := t.machineOf(op, catalogName, machine)
	if err != nil {
		return ResourceID{}, err
	}
	return c.vmID(m.m.Name), nil
}

// getVM reads a VM from the cloud.
func (t *Tenant) getVM(ctx context.Context, id ResourceID) (*VirtualMachine, error) {
	var vm *VirtualMachine
	err := t.call(ctx, "Get", id, func(ctx context.Context) error {
		var err error
		vm, err = GetAs[*VirtualMachine](ctx, t.provider, id)
		return err
	})
	return vm, err
}

// power runs a power action on a VM.
func (t *Tenant) power(ctx context.Context, id ResourceID, a PowerAction) error {
	return t.call(ctx, "Power", id, func(ctx context.Context) error { return t.provider.Power(ctx, id, a) })
}

// MachineAction does an administrator's action to one machine of a catalog
// (CAT-8), as the catalog package's machine state machine allows it, read
// against the machine's power state and sessions in the cloud: start only
// when it is off, shutdown only when it is on, restart, force restart only
// after a failed restart, maintenance mode on or off (no new sessions;
// existing ones continue), delete only with no sessions (its data, and its
// snapshots, are gone; its VDA no longer counts against LIM-4). A machine
// whose snapshot is being restored accepts no action (CAT-13); a machine
// with a pending image update moves to it when it shuts down (CAT-7).
// While another operation holds the catalog, or the machine, it answers
// ErrBusy (CAT-6).
func (t *Tenant) MachineAction(ctx context.Context, catalogName, machine string, a catalog.Action) (Machine, error) {
	const op = "MachineAction"
	obj := fmt.Sprintf("machine %q", machine)
	if err := t.authorize(ctx, op, true); err != nil {
		return Machine{}, err
	}
	if a == catalog.Restore {
		return Machine{}, Errorf(ErrInvalid, op, obj, "CAT-13: restore a machine with RestoreSnapshot, naming the snapshot")
	}
	t.mu.Lock()
	c, m, err := t.machineOf(op, catalogName, machine)
	if err != nil {
		t.mu.Unlock()
		return Machine{}, err
	}
	if err := t.claimMachine(c, m, a.String()); err != nil {
		t.mu.Unlock()
		return Machine{}, wrap(op, obj, err)
	}
	id := c.vmID(m.m.Name)
	t.mu.Unlock()

	vm, err := t.getVM(ctx, id)
	t.mu.Lock()
	if err != nil {
		m.busy = ""
		t.mu.Unlock()
		return Machine{}, wrap(op, obj, err)
	}
	syncMachine(m, vm)
	before := m.m
	next, err := m.m.Do(a)
	if err != nil {
		m.busy = ""
		t.mu.Unlock()
		return Machine{}, wrap(op, obj, err)
	}
	m.m = next
	pending := m.pendingImage != "" && a == catalog.Shutdown
	t.mu.Unlock()

	var cerr error
	switch a {
	case catalog.Start:
		cerr = t.power(ctx, id, Start)
	case catalog.Shutdown:
		cerr = t.power(ctx, id, Deallocate)
	case catalog.Restart:
		cerr = t.power(ctx, id, Restart)
	case catalog.ForceRestart:
		if cerr = t.power(ctx, id, Deallocate); cerr == nil {
			cerr = t.power(ctx, id, Start)
		}
	case catalog.MaintenanceOn, catalog.MaintenanceOff:
		vm.Tags = maps.Clone(vm.Tags)
		if a == catalog.MaintenanceOn {
			vm.Tags[TagMaintenance] = "on"
		} else {
			delete(vm.Tags, TagMaintenance)
		}
		cerr = t.call(ctx, "Put", id, func(ctx context.Context) error { _, err := t.provider.Put(ctx, vm); return err })
	case catalog.Delete:
		cerr = t.deleteMachine(ctx, c, m)
	}

	t.mu.Lock()
	if cerr != nil {
		switch a {
		case catalog.Restart, catalog.ForceRestart:
			m.m, _ = m.m.Apply(catalog.RestartFail)
		default:
			m.m = before
		}
		m.busy = ""
		t.mu.Unlock()
		return Machine{}, wrap(op, obj, cerr)
	}
	switch a {
	case catalog.Start, catalog.Shutdown:
		m.m, _ = m.m.Apply(catalog.PowerDone)
		if a == catalog.Start {
			m.m, _ = m.m.Apply(catalog.Register)
		}
	case catalog.Restart, catalog.ForceRestart:
		m.m, _ = m.m.Apply(catalog.RestartDone)
		m.m, _ = m.m.Apply(catalog.Register)
	case catalog.Delete:
		if t.catalogs[fold(c.name)] == c {
			c.removeMachine(m)
			c.vdaCount--
		}
		m.busy = ""
		v := machineView(c, m)
		t.mu.Unlock()
		return v, nil
	}
	if !pending {
		m.busy = ""
		v := machineView(c, m)
		t.mu.Unlock()
		return v, nil
	}
	t.mu.Unlock()
	// CAT-7: the machine takes its pending image as it shuts down.
	err = t.reimage(ctx, op, c, []*machineObj{m})
	t.mu.Lock()
	defer t.mu.Unlock()
	return machineView(c, m), wrap(op, obj, err)
}

// claimMachine marks m busy with what, or says why it cannot be: a restore
// runs on it (CAT-13), another operation holds the catalog (CAT-6), or the
// machine is busy. t.mu must be held.
func (t *Tenant) claimMachine(c *catalogObj, m *machineObj, what string) error {
	if m.m.Restore == catalog.RestoreRunning {
		return &catalog.ActionError{Machine: m.m.Name, What: what, State: m.m.State(),
			Why: "a snapshot is being restored; the machine accepts no action until it is done", Rule: "CAT-13"}
	}
	if err := c.status.CheckChange(what + " of machine " + m.m.Name); err != nil {
		return err
	}
	if m.busy != "" {
		return Errorf(ErrBusy, "", fmt.Sprintf("machine %q", m.m.Name), "the machine is busy (%s); try again when it is done", m.busy)
	}
	m.busy = what
	return nil
}

// deleteMachine deletes a machine's VM and snapshots and frees its VDA
// (LIM-4).
func (t *Tenant) deleteMachine(ctx context.Context, c *catalogObj, m *machineObj) error {
	t.mu.Lock()
	snaps := make([]ResourceID, 0, len(m.snapshots))
	for _, s := range m.snapshots {
		snaps = append(snaps, s.id)
	}
	ch := quota.Change{Subscription: c.subscription, Catalog: c.name, VDAs: -1}
	t.mu.Unlock()
	if err := t.deleteResource(ctx, c.vmID(m.m.Name)); err != nil {
		return err
	}
	var errs []error
	for _, id := range snaps {
		errs = append(errs, t.deleteResource(ctx, id))
	}
	res, err := t.ledger.Reserve(ch)
	if err == nil {
		err = res.Commit()
	}
	return errors.Join(append(errs, err)...)
}

// AddUsers gives users and groups of a directory access to a catalog
// (CAT-9). Members are unique (CAT-2): adding one already there changes
// nothing. In a static catalog each new user is assigned a machine that
// has none. Adding users makes no machines: a single-session catalog
// serves one user per machine, so when its users outnumber its machines
// the view carries a CAT-2 warning to add machines (AddMachines, CAT-6).
func (t *Tenant) AddUsers(ctx context.Context, catalogName string, ps ...catalog.Principal) (Catalog, error) {
	const op = "AddUsers"
	obj := fmt.Sprintf("catalog %q", catalogName)
	c, err := t.changingCatalog(ctx, op, catalogName, "adding users")
	if err != nil {
		return Catalog{}, err
	}
	defer t.mu.Unlock()
	set := c.principals.Clone()
	if _, err := set.Add(ps...); err != nil {
		return Catalog{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	c.setPrincipals(set)
	if c.mt == quota.Static {
		for _, p := range ps {
			if p.Kind != catalog.User || t.assigned(c, p.ID) {
				continue
			}
			for _, m := range c.machines {
				if m.m.Assigned == "" && m.busy == "" {
					if next, err := m.m.Assign(p.ID); err == nil {
						m.m = next
						break
					}
				}
			}
		}
	}
	v := t.catalogView(c)
	v.Warnings = nil
	if c.mt.Session() == quota.SingleSession {
		users := 0
		for _, p := range c.members {
			if p.Kind == catalog.User {
				users++
			}
		}
		if users > len(c.machines) {
			v.Warnings = append(v.Warnings, network.Warning{ID: "CAT-2", Msg: fmt.Sprintf(
				"catalog %q has %d single-session machines for %d users; add machines for %d more users (AddMachines)", c.name, len(c.machines), users, users-len(c.machines))})
		}
	}
	return v, nil
}

// assigned reports whether a machine of c is assigned to user. t.mu must
// be held.
func (t *Tenant) assigned(c *catalogObj, user string) bool {
	for _, m := range c.machines {
		if m.m.Assigned != "" && fold(m.m.Assigned) == fold(user) {
			return true
		}
	}
	return false
}

// RemoveUsers takes users and groups out of a catalog (CAT-9): they lose
// access to it and stay in their directory. A static machine stays
// assigned to its user, whose data it holds. Removing one that is not a
// member is ErrNotFound, and nothing is removed.
func (t *Tenant) RemoveUsers(ctx context.Context, catalogName string, ps ...catalog.Principal) (Catalog, error) {
	const op = "RemoveUsers"
	obj := fmt.Sprintf("catalog %q", catalogName)
	c, err := t.changingCatalog(ctx, op, catalogName, "removing users")
	if err != nil {
		return Catalog{}, err
	}
	defer t.mu.Unlock()
	set := c.principals.Clone()
	for _, p := range ps {
		if !set.Remove(p) {
			return Catalog{}, Errorf(ErrNotFound, op, obj, "CAT-9: %v is not a member of the catalog", p)
		}
	}
	c.setPrincipals(set)
	return t.catalogView(c), nil
}

// AddApp publishes apps to a catalog's users (CAT-10): from the Start menu
// or by path, each with a name unique in the catalog, its command line
// following CAT-11. All are added, or none.
func (t *Tenant) AddApp(ctx context.Context, catalogName string, apps ...catalog.App) (Catalog, error) {
	return t.changeApps(ctx, "AddApp", catalogName, func(s *catalog.Apps) error { return s.Add(apps...) })
}

// UpdateApp edits the app named name (CAT-10): its name, description,
// icon, path, command-line parameters (CAT-11) and working directory.
func (t *Tenant) UpdateApp(ctx context.Context, catalogName, name string, app catalog.App) (Catalog, error) {
	return t.changeApps(ctx, "UpdateApp", catalogName, func(s *catalog.Apps) error { return s.Edit(name, app) })
}

// RemoveApp unpublishes the app named name from a catalog (CAT-10): it
// leaves the users' Workspace and stays installed on the machines.
func (t *Tenant) RemoveApp(ctx context.Context, catalogName, name string) (Catalog, error) {
	return t.changeApps(ctx, "RemoveApp", catalogName, func(s *catalog.Apps) error {
		if _, ok := s.Remove(name); !ok {
			return Errorf(ErrNotFound, "", fmt.Sprintf("app %q", name), "CAT-10: the catalog publishes no app named %q", name)
		}
		return nil
	})
}

// changingCatalog authorizes the write operation op (ADM-1), locks t.mu
// and returns the named catalog when it accepts a change now (CAT-6: no
// other operation holds it); what names the change in the refusal. On
// success t.mu stays locked, for the caller to unlock; on error it is not.
func (t *Tenant) changingCatalog(ctx context.Context, op, name, what string) (*catalogObj, error) {
	if err := t.authorize(ctx, op, true); err != nil {
		return nil, err
	}
	t.mu.Lock()
	c, err := t.catalog(op, name)
	if err == nil {
		if cerr := c.status.CheckChange(what); cerr != nil {
			err = wrap(op, fmt.Sprintf("catalog %q", name), cerr)
		}
	}
	if err != nil {
		t.mu.Unlock()
		return nil, err
	}
	return c, nil
}

// changeApps applies change to a copy of a catalog's apps and keeps it
// when it succeeds.
func (t *Tenant) changeApps(ctx context.Context, op, catalogName string, change func(*catalog.Apps) error) (Catalog, error) {
	obj := fmt.Sprintf("catalog %q", catalogName)
	c, err := t.changingCatalog(ctx, op, catalogName, "changing apps")
	if err != nil {
		return Catalog{}, err
	}
	defer t.mu.Unlock()
	apps := c.apps.Clone()
	if err := change(&apps); err != nil {
		if KindOf(err) == nil {
			err = &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
		}
		return Catalog{}, wrap(op, obj, err)
	}
	c.apps = apps
	return t.catalogView(c), nil
}

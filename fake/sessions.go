package fake

import (
	"slices"
	"strconv"
	"strings"

	"github.com/daasflex/daasflex/flex"
)

// StartSession starts a user session on a virtual machine, as the session
// broker would when the user launches a desktop (MON-1). The VM must be
// running (ErrPrecondition), not in maintenance mode (its TagMaintenance
// tag "on": ErrPrecondition, CAT-8) and below its session limit (the
// TagSessionLimit tag, 1 when absent: ErrLimit). A user who has a session
// already reconnects to it, which succeeds even in maintenance mode. User
// names match ignoring case. VirtualMachine.Sessions reports the count.
func (c *Cloud) StartSession(vm flex.ResourceID, user string) error {
	return c.startSession(owner, vm, user)
}

// EndSession ends the user's session on the virtual machine; ErrNotFound
// when the user has none.
func (c *Cloud) EndSession(vm flex.ResourceID, user string) error {
	return c.endSession(owner, vm, user)
}

// SessionUsers returns the users with a session on the virtual machine,
// sorted; none for a VM that does not exist.
func (c *Cloud) SessionUsers(vm flex.ResourceID) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	rec := c.lookupID(vm)
	if rec == nil {
		return nil
	}
	users := slices.Clone(rec.sessions)
	slices.Sort(users)
	return users
}

func hasUser(users []string, user string) int {
	return slices.IndexFunc(users, func(u string) bool { return strings.EqualFold(u, user) })
}

func (c *Cloud) startSession(v viewer, id flex.ResourceID, user string) error {
	const op = "StartSession"
	if user == "" {
		return fail(flex.ErrInvalid, op, id, "a session needs a user name")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	rec, err := c.target(v, op, id, flex.TypeVirtualMachine)
	if err != nil {
		return err
	}
	vm := rec.res.(*flex.VirtualMachine)
	if hasUser(rec.sessions, user) >= 0 {
		return nil // the user reconnects to the session it has
	}
	if vm.PowerState != flex.PowerRunning {
		return broke(flex.ErrPrecondition, op, vm.ID, "MON-1", "VM %s is %s; sessions start only on a running machine", vm.ID.Name, vm.PowerState)
	}
	if strings.EqualFold(vm.Tags[flex.TagMaintenance], "on") {
		return broke(flex.ErrPrecondition, op, vm.ID, "CAT-8", "VM %s is in maintenance mode (%s=on); it accepts no new sessions, existing ones continue", vm.ID.Name, flex.TagMaintenance)
	}
	limit := 1
	if s, ok := vm.Tags[flex.TagSessionLimit]; ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return broke(flex.ErrInvalid, op, vm.ID, "MON-1", "tag %s is %q; it must be a whole number of users of at least 1", flex.TagSessionLimit, s)
		}
		limit = n
	}
	if len(rec.sessions) >= limit {
		return broke(flex.ErrLimit, op, vm.ID, "MON-1", "VM %s hosts %d sessions, its limit (%s=%d); user %q must use another machine", vm.ID.Name, len(rec.sessions), flex.TagSessionLimit, limit, user)
	}
	rec.sessions = append(rec.sessions, user)
	vm.Sessions = len(rec.sessions)
	return nil
}

func (c *Cloud) endSession(v viewer, id flex.ResourceID, user string) error {
	const op = "EndSession"
	c.mu.Lock()
	defer c.mu.Unlock()
	rec, err := c.target(v, op, id, flex.TypeVirtualMachine)
	if err != nil {
		return err
	}
	i := hasUser(rec.sessions, user)
	if i < 0 {
		return fail(flex.ErrNotFound, op, id, "user %q has no session on VM %s", user, id.Name)
	}
	rec.sessions = slices.Delete(rec.sessions, i, i+1)
	if len(rec.sessions) == 0 {
		rec.sessions = nil
	}
	rec.res.(*flex.VirtualMachine).Sessions = len(rec.sessions)
	return nil
}

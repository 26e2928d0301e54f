package flex

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/rule"
)

// RDPAccessSpec enables direct RDP access to the machines of a catalog's
// connection (TRB-3).
type RDPAccessSpec struct {
	// Catalog selects the connection; it must be domain-joined (TRB-1).
	Catalog string
	// Source is the customer range allowed to RDP to every machine of the
	// connection's VNet: at most a /27 (TRB-3, FW-5).
	Source netip.Prefix
}

// Validate reports every problem of the spec at once (TRB-1, TRB-3).
func (s RDPAccessSpec) Validate() error {
	var l rule.List
	if strings.TrimSpace(s.Catalog) == "" {
		l.Add("TRB-1", "no catalog; choose the domain-joined catalog whose connection to open")
	}
	switch {
	case !s.Source.IsValid():
		l.Add("TRB-3", "no RDP access range; give a range of at most /%d, such as 203.0.113.0/28", ipam.MinRDPSourceBits)
	case s.Source.Bits() < ipam.MinRDPSourceBits:
		l.Add("TRB-3", "RDP access range %s is larger than a /%d; want a /%d to /32", s.Source, ipam.MinRDPSourceBits, ipam.MinRDPSourceBits)
	}
	if s.Source.IsValid() {
		l.Append(checkRDPSource("FW-5", "RDP access range", s.Source, nil))
	}
	return l.Err()
}

// RDPAccess is enabled direct RDP access to a connection's machines.
type RDPAccess struct {
	Subscription string
	Connection   string
	Catalog      string       // the catalog it was enabled through
	Source       netip.Prefix // the customer range allowed (FW-5)
	Enabled      time.Time
}

// rdpObj is the RDP access of one connection.
type rdpObj struct {
	sub, conn, catalog string
	c                  *connection
	source             netip.Prefix
	enabled            time.Time
	busy               bool
}

func rdpObject(conn string) string { return fmt.Sprintf("RDP access of connection %q", conn) }

func (r *rdpObj) view() RDPAccess {
	return RDPAccess{Subscription: r.sub, Connection: r.conn, Catalog: r.catalog, Source: r.source, Enabled: r.enabled}
}

// EnableRDPAccess allows RDP from a customer range of at most /27 to every
// machine of the connection of a domain-joined catalog (TRB-1, TRB-3,
// FW-5); RDP between connectors and VDAs stays blocked. Enabling it again
// replaces the range. Disable it after use (DisableRDPAccess).
func (t *Tenant) EnableRDPAccess(ctx context.Context, spec RDPAccessSpec) (RDPAccess, error) {
	const op = "EnableRDPAccess"
	if err := t.authorize(ctx, op, true); err != nil {
		return RDPAccess{}, err
	}
	if err := spec.Validate(); err != nil {
		return RDPAccess{}, &Error{Kind: ErrInvalid, Op: op, Object: fmt.Sprintf("RDP access for catalog %q", spec.Catalog), Err: err}
	}
	t.mu.Lock()
	s, c, connName, err := t.troubleshootTarget(op, spec.Catalog)
	if err != nil {
		t.mu.Unlock()
		return RDPAccess{}, err
	}
	obj := rdpObject(connName)
	if err := checkRDPSource("FW-5", "RDP access range", spec.Source, t.firewallPolicy(c, true).VNet); err != nil {
		t.mu.Unlock()
		return RDPAccess{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	t.initImaging()
	old := t.rdpAccess[fold(connName)]
	if old != nil {
		if old.busy {
			t.mu.Unlock()
			return RDPAccess{}, Errorf(ErrBusy, op, obj, "RDP access of connection %q is being changed", connName)
		}
		if old.source == spec.Source {
			defer t.mu.Unlock()
			return old.view(), nil
		}
	}
	r := &rdpObj{sub: s.name, conn: connName, catalog: spec.Catalog, c: c, source: spec.Source, enabled: t.now(), busy: true}
	t.rdpAccess[fold(connName)] = r
	t.mu.Unlock()

	err = t.refreshFirewall(ctx, c)
	t.mu.Lock()
	defer t.mu.Unlock()
	r.busy = false
	if err != nil {
		if old != nil {
			t.rdpAccess[fold(connName)] = old
		} else {
			delete(t.rdpAccess, fold(connName))
		}
		t.mu.Unlock()
		rerr := t.refreshFirewall(context.WithoutCancel(ctx), c)
		t.mu.Lock()
		if rerr != nil {
			err = fmt.Errorf("%w; restoring the previous rules failed too: %w", err, rerr)
		}
		return RDPAccess{}, &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
	}
	return r.view(), nil
}

// DisableRDPAccess removes the RDP access of the subscription's connection:
// its firewall rules are removed (FW-5, TRB-3).
func (t *Tenant) DisableRDPAccess(ctx context.Context, subscription, connection string) error {
	const op = "DisableRDPAccess"
	obj := rdpObject(connection)
	if err := t.authorize(ctx, op, true); err != nil {
		return err
	}
	t.mu.Lock()
	if _, err := t.subscription(op, subscription); err != nil {
		t.mu.Unlock()
		return err
	}
	r := t.rdpAccess[fold(connection)]
	switch {
	case r == nil || !strings.EqualFold(r.sub, subscription):
		t.mu.Unlock()
		return Errorf(ErrNotFound, op, obj, "connection %q of subscription %q has no RDP access enabled", connection, subscription)
	case r.busy:
		t.mu.Unlock()
		return Errorf(ErrBusy, op, obj, "RDP access of connection %q is being changed", r.conn)
	}
	delete(t.rdpAccess, fold(connection))
	t.mu.Unlock()
	if err := t.refreshFirewall(ctx, r.c); err != nil {
		t.mu.Lock()
		if t.rdpAccess[fold(connection)] == nil {
			t.rdpAccess[fold(connection)] = r
		}
		t.mu.Unlock()
		return &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
	}
	return nil
}

// RDPAccesses lists the connections with RDP access enabled.
func (t *Tenant) RDPAccesses(ctx context.Context) ([]RDPAccess, error) {
	if err := t.authorize(ctx, "RDPAccesses", false); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]RDPAccess, 0, len(t.rdpAccess))
	for _, r := range t.rdpAccess {
		if !r.busy {
			out = append(out, r.view())
		}
	}
	slices.SortFunc(out, func(a, b RDPAccess) int {
		return cmp.Or(strings.Compare(fold(a.Subscription), fold(b.Subscription)), strings.Compare(fold(a.Connection), fold(b.Connection)))
	})
	return out, nil
}

// ActivityState is the state of a troubleshooting activity, named as in
// the Catalog Service API (API-6). The zero value is Running.
type ActivityState int

// The activity states (API-6).
const (
	ActivityRunning    ActivityState = iota // the action is under way
	ActivitySuccessful                      // the action completed
	ActivityFailed                          // the action failed; its log says why
)

var activityStates = [...]string{"Running", "Successful", "Failed"}

// String returns the API name of the state, such as "Successful".
func (s ActivityState) String() string {
	if s < 0 || int(s) >= len(activityStates) {
		return fmt.Sprintf("ActivityState(%d)", int(s))
	}
	return activityStates[s]
}

// ParseActivityState returns the state whose API name is s,
// case-insensitively.
func ParseActivityState(s string) (ActivityState, error) {
	for i, n := range activityStates {
		if strings.EqualFold(s, n) {
			return ActivityState(i), nil
		}
	}
	return 0, fmt.Errorf("flex: unknown activity state %q; want Running, Successful or Failed", s)
}

// TroubleshootingAction is an action run on one machine (TRB-4).
type TroubleshootingAction string

// The troubleshooting actions.
const (
	// CollectLogs gathers the machine's state and uploads its logs; the
	// machine must be running.
	CollectLogs TroubleshootingAction = "CollectLogs"
	// CheckHealth checks that the machine is provisioned and running.
	CheckHealth TroubleshootingAction = "CheckHealth"
	// RestartMachine restarts the machine, ending its user sessions.
	RestartMachine TroubleshootingAction = "RestartMachine"
)

// TroubleshootingActions returns every action.
func TroubleshootingActions() []TroubleshootingAction {
	return []TroubleshootingAction{CollectLogs, CheckHealth, RestartMachine}
}

// TroubleshootingSpec names an action to run on a machine of a catalog.
type TroubleshootingSpec struct {
	Catalog string
	Machine string
	Action  TroubleshootingAction
}

// Activity is one run of a troubleshooting action (TRB-4). Its log is
// downloaded with ActivityLog.
type Activity struct {
	ID      int
	Catalog string
	Machine string
	Action  TroubleshootingAction
	State   ActivityState
	Started time.Time
	Ended   time.Time // zero while Running
	Failure string    // why it failed
}

// activity is a recorded activity with its log.
type activity struct {
	Activity
	log bytes.Buffer
}

func (a *activity) logf(now time.Time, format string, args ...any) {
	fmt.Fprintf(&a.log, "%s %s\n", now.UTC().Format(time.RFC3339), fmt.Sprintf(format, args...))
}

// RunTroubleshootingAction runs an action on one machine of a catalog,
// domain-joined or not (TRB-4). The activity is Running while the action
// runs (Activities shows it) and ends Successful or Failed (API-6); it keeps
// a log either way. A failed action returns its activity and an error.
func (t *Tenant) RunTroubleshootingAction(ctx context.Context, spec TroubleshootingSpec) (Activity, error) {
	const op = "RunTroubleshootingAction"
	obj := fmt.Sprintf("machine %q of catalog %q", spec.Machine, spec.Catalog)
	if err := t.authorize(ctx, op, true); err != nil {
		return Activity{}, err
	}
	if !slices.Contains(TroubleshootingActions(), spec.Action) {
		return Activity{}, refuse(ErrInvalid, op, obj, "TRB-4", "unknown troubleshooting action %q; want one of %v", spec.Action, TroubleshootingActions())
	}
	t.mu.Lock()
	vm, err := t.catalogMachine(op, spec.Catalog, spec.Machine)
	if err != nil {
		t.mu.Unlock()
		return Activity{}, err
	}
	a := &activity{Activity: Activity{ID: len(t.activities) + 1, Catalog: spec.Catalog, Machine: spec.Machine,
		Action: spec.Action, State: ActivityRunning, Started: t.now()}}
	a.logf(a.Started, "%s started on machine %s of catalog %s", spec.Action, spec.Machine, spec.Catalog)
	t.activities = append(t.activities, a)
	t.mu.Unlock()

	lines, err := t.runAction(ctx, spec.Action, vm)
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, line := range lines {
		a.logf(now, "%s", line)
	}
	a.Ended = now
	if err != nil {
		a.State, a.Failure = ActivityFailed, err.Error()
		a.logf(now, "%s failed: %v", spec.Action, err)
		kind := KindOf(err)
		if kind == nil {
			kind = ErrPrecondition
		}
		return a.Activity, &Error{Kind: kind, Op: op, Object: obj, Err: err}
	}
	a.State = ActivitySuccessful
	a.logf(now, "%s completed successfully", spec.Action)
	return a.Activity, nil
}

// runAction performs a troubleshooting action on a VM and returns the lines
// of its log. t.mu must not be held.
func (t *Tenant) runAction(ctx context.Context, action TroubleshootingAction, id ResourceID) ([]string, error) {
	var vm *VirtualMachine
	if err := t.call(ctx, "Get", id, func(ctx context.Context) error {
		var err error
		vm, err = GetAs[*VirtualMachine](ctx, t.provider, id)
		return err
	}); err != nil {
		return nil, err
	}
	lines := []string{fmt.Sprintf("machine %s: provisioning %s, power %s, address %s, %d sessions, size %s",
		vm.ComputerName, vm.State, vm.PowerState, vm.PrivateIP, vm.Sessions, vm.Size)}
	if vm.State == Failed {
		return lines, fmt.Errorf("the machine's provisioning state is Failed; recreate or restore it")
	}
	if vm.PowerState != PowerRunning {
		return lines, fmt.Errorf("the machine is %s; power it on first", vm.PowerState)
	}
	switch action {
	case CollectLogs:
		lines = append(lines, "collected the VDA, Windows event and Citrix service logs",
			fmt.Sprintf("uploaded the logs to https://%s.blob.core.windows.net/troubleshooting/", strings.ToLower(vm.ComputerName)))
	case CheckHealth:
		lines = append(lines, "the machine is provisioned and running")
	case RestartMachine:
		if err := t.call(ctx, string(Restart), id, func(ctx context.Context) error { return t.provider.Power(ctx, id, Restart) }); err != nil {
			return lines, err
		}
		lines = append(lines, fmt.Sprintf("restarted the machine; %d user sessions ended", vm.Sessions))
	}
	return lines, nil
}

// Activities lists the troubleshooting activities of a catalog, or of every
// catalog when catalog is empty, newest first (TRB-4).
func (t *Tenant) Activities(ctx context.Context, catalog string) ([]Activity, error) {
	if err := t.authorize(ctx, "Activities", false); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Activity
	for i := len(t.activities) - 1; i >= 0; i-- {
		if a := t.activities[i]; catalog == "" || strings.EqualFold(a.Catalog, catalog) {
			out = append(out, a.Activity)
		}
	}
	return out, nil
}

// ActivityLog returns the log of an activity, to download (TRB-4).
func (t *Tenant) ActivityLog(ctx context.Context, id int) ([]byte, error) {
	if err := t.authorize(ctx, "ActivityLog", false); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if id < 1 || id > len(t.activities) {
		return nil, Errorf(ErrNotFound, "ActivityLog", fmt.Sprintf("activity %d", id), "no troubleshooting activity has ID %d", id)
	}
	return bytes.Clone(t.activities[id-1].log.Bytes()), nil
}

package flex_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

// The Tenant under injected cloud faults, against RULES.md: a real Tenant
// on the in-memory cloud, reaching it through a call recorder and a fault
// plan (Tenant → fake.Recorder → fake.Faulty → the tenant's view), on a
// manual clock that the Tenant's retry waits move instead of sleeping.
// Every test checks what the cloud holds afterwards.

// fltEnv is the connection tests' env with a fault plan and a recorder
// under the tenant. The recorder is outside the faults, so it sees every
// call the Tenant makes, faulted or not.
type fltEnv struct {
	*env
	plan *fake.Plan
	rec  *fake.Recorder

	mu    sync.Mutex
	waits []time.Duration                                  // every retry wait the Tenant asked for, in order
	wait  func(ctx context.Context, d time.Duration) error // what a wait does; nil: advance the clock by d
}

// fltNew returns a tenant over a fault plan, empty, and a recorder with no
// call recorded, with one subscription, flexSub.
func fltNew(t *testing.T, opts ...flex.Option) *fltEnv {
	t.Helper()
	f := &fltEnv{plan: fake.NewPlan()}
	opts = append([]flex.Option{flex.WithRetryWait(f.retryWait)}, opts...)
	f.env = newEnv(t, func(p flex.Provider) flex.Provider {
		f.rec = fake.Record(fake.WithFaults(p, f.plan))
		return f.rec
	}, opts...)
	f.rec.Reset()
	return f
}

// retryWait is the Tenant's retry wait: it records d and moves the manual
// clock by d, or does what setWait said.
func (f *fltEnv) retryWait(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.waits = append(f.waits, d)
	w := f.wait
	f.mu.Unlock()
	if w != nil {
		return w(ctx, d)
	}
	f.clock.Advance(d)
	return ctx.Err()
}

func (f *fltEnv) setWait(w func(ctx context.Context, d time.Duration) error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.wait = w
}

// retryWaits returns the retry waits the Tenant asked for so far.
func (f *fltEnv) retryWaits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.waits)
}

// writes returns the recorded calls that change the cloud (all but Get and
// List), as "Op name: outcome".
func (f *fltEnv) writes() []string {
	var out []string
	for _, c := range f.rec.Calls() {
		if c.Method != fake.Get && c.Method != fake.List {
			out = append(out, c.Op()+" "+c.ID.Name+": "+c.Outcome())
		}
	}
	return out
}

// vmPuts returns the outcomes of the recorded Puts of the VM named name.
func (f *fltEnv) vmPuts(name string) []string {
	var out []string
	for _, c := range f.rec.Calls() {
		if c.Method == fake.Put && c.ID.Type == flex.TypeVirtualMachine && strings.EqualFold(c.ID.Name, name) {
			out = append(out, c.Outcome())
		}
	}
	return out
}

// vmSizes counts the VMs of the tenant's catalog in the cloud by size.
func (f *fltEnv) vmSizes(catalogName string) map[string]int {
	out := map[string]int{}
	for _, r := range f.find("catalog/"+catalogName, flex.TypeVirtualMachine) {
		out[r.(*flex.VirtualMachine).Size]++
	}
	return out
}

// inventory counts the tenant's cloud resources, in every subscription,
// by owner tag and type ("connection/spoke" → "routeTables" → 1), the Flex
// subscription's own group left out. Every resource the tenant makes is
// tagged with its owner, so an orphan shows as a count no live object
// explains.
func (f *fltEnv) inventory() map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, r := range f.tenantResources() {
		m := r.Metadata()
		owner, typ := m.Tags[flex.TagOwner], string(m.ID.Type)
		typ = typ[strings.LastIndexByte(typ, '/')+1:]
		if out[owner] == nil {
			out[owner] = map[string]int{}
		}
		out[owner][typ]++
	}
	return out
}

// assertInventory compares the inventory with want. It stands in for
// flextest.AssertNoOrphans where a connection has put resources on the
// customer's side (a peering back, a hub connection), which AssertNoOrphans
// counts as orphans because they lie outside the Flex subscription.
func (f *fltEnv) assertInventory(t *testing.T, want map[string]map[string]int) {
	t.Helper()
	if diff := cmp.Diff(want, f.inventory()); diff != "" {
		t.Errorf("the tenant's cloud resources by owner and type (-want +got):\n%s", diff)
	}
}

// noConnectivityInventory is the inventory of a catalog of tenant t1
// with No connectivity in testRegion and n machines: its resource group,
// holding its Citrix-managed network (VNet, route table, NSG) and its VMs
// with their OS disks, and the group of its resource location, which has
// no connectors (the catalog is not domain-joined).
func noConnectivityInventory(catalogName string, n int) map[string]map[string]int {
	return map[string]map[string]int{
		"catalog/" + catalogName: {"resourceGroups": 1, "virtualNetworks": 1, "routeTables": 1, "networkSecurityGroups": 1, "virtualMachines": n, "disks": n},
		"location/westeurope":    {"resourceGroups": 1},
	}
}

// assertNothingLeft checks that a failed creation left no catalog, no
// cloud resource of the tenant (but the subscription's group) and no VDA
// counted against LIM-4.
func (f *fltEnv) assertNothingLeft(t *testing.T) {
	t.Helper()
	if cs, err := f.tn.Catalogs(f.ctx); err != nil || len(cs) != 0 {
		t.Errorf("catalogs after the failure: %v, %v; want none", cs, err)
	}
	if left := f.tenantResources(); len(left) != 0 {
		t.Errorf("left in the cloud: %v", ids(left))
	}
	if subs, _ := f.tn.Subscriptions(f.ctx); len(subs) != 1 || subs[0].VDAs != 0 {
		t.Errorf("subscriptions after the failure: %+v; want %q with 0 VDAs", subs, flexSub)
	}
	flextest.AssertNoOrphans(t, f.cloud, f.tn)
}

// fltMulti is a multi-session catalog of flexSub for users users, 8 to a
// machine, named <first three letters of name>-####: with No connectivity
// in testRegion when conn is "", else on the connection conn.
func fltMulti(name string, users int, conn string) flex.CatalogSpec {
	s := catMulti(name, users)
	s.Subscription = flexSub
	if conn != "" {
		s.Region, s.Connection = "", conn
	}
	return s
}

// TestCAT14BackupSize: the region has no capacity for the catalog's VM
// size, as a fault on the Puts of VMs of that size says.
func TestCAT14BackupSize(t *testing.T) {
	const primary, backup = "Standard_D4s_v5", "Standard_D4as_v5"
	t.Run("CAT-14 the machines are made with the backup size", func(t *testing.T) {
		f := fltNew(t)
		full := f.plan.On(fake.Put, flex.TypeVirtualMachine).Size(primary).Fail(flex.ErrCapacity)
		spec := fltMulti("Sales", 24, "") // 3 machines
		spec.VMSize, spec.BackupVMSize = primary, backup
		c, err := f.tn.CreateCatalog(f.ctx, spec)
		if err != nil {
			t.Fatal(err)
		}
		if full.Fired() == 0 {
			t.Fatal("the capacity fault never fired")
		}
		// RULE CAT-14: every machine has the backup size, in the view and in the cloud.
		if diff := cmp.Diff(map[string]int{backup: 3}, f.vmSizes("Sales")); diff != "" {
			t.Errorf("VMs in the cloud by size (-want +got):\n%s", diff)
		}
		ms, err := f.tn.Machines(f.ctx, "Sales")
		if err != nil {
			t.Fatal(err)
		}
		var sizes []string
		for _, m := range ms {
			sizes = append(sizes, m.Name+" "+m.Size)
		}
		want := []string{"Sal-0001 " + backup, "Sal-0002 " + backup, "Sal-0003 " + backup}
		if diff := cmp.Diff(want, sizes); diff != "" {
			t.Errorf("machines (-want +got):\n%s", diff)
		}
		if c.Summary.Total != 3 || c.Failure != "" {
			t.Errorf("catalog: %d machines, failure %q; want 3 and none", c.Summary.Total, c.Failure)
		}
		// Each machine was made once: only the primary size was refused.
		for _, m := range []string{"Sal-0001", "Sal-0002", "Sal-0003"} {
			if ok := slices.Index(f.vmPuts(m), "ok"); ok < 0 || slices.Contains(f.vmPuts(m)[ok+1:], "ok") {
				t.Errorf("Puts of %s: %v; want the primary refused and one success", m, f.vmPuts(m))
			}
		}
		f.assertInventory(t, noConnectivityInventory("Sales", 3))
		flextest.AssertNoOrphans(t, f.cloud, f.tn)
	})
	t.Run("CAT-14 without a backup size the creation fails with ErrCapacity and leaves nothing", func(t *testing.T) {
		f := fltNew(t)
		full := f.plan.On(fake.Put, flex.TypeVirtualMachine).Size(primary).Fail(flex.ErrCapacity)
		spec := fltMulti("Sales", 24, "")
		spec.VMSize = primary
		_, err := f.tn.CreateCatalog(f.ctx, spec)
		if !errors.Is(err, flex.ErrCapacity) || !rule.Has(err, "CAT-14") { // RULE CAT-14
			t.Fatalf("CreateCatalog: %v (rules %v); want ErrCapacity naming CAT-14", err, rule.IDs(err))
		}
		if full.Fired() == 0 {
			t.Error("the capacity fault never fired")
		}
		f.assertNothingLeft(t)
	})
}

// TestNET12RouteTableFailed: the route table step of a Virtual WAN spoke
// fails once.
func TestNET12RouteTableFailed(t *testing.T) {
	f := fltNew(t)
	hub := f.customerHub("hub", "Standard", "10.100.0.0/24")
	rt := f.plan.On(fake.Put, flex.TypeRouteTable).Once().Fail(flex.ErrConflict)
	c, err := f.tn.CreateConnection(f.ctx, flexSub, vwanSpec("spoke", hub, "10.200.0.0/24"))
	if err != nil {
		t.Fatalf("CreateConnection: %v; a failed route table still makes the connection", err)
	}
	if rt.Fired() != 1 || c.Status.State != network.StateRouteTableFailed || c.Status.TransactionID == "" {
		t.Fatalf("fault fired %d times, status %v; want RouteTableFailed with a transaction ID", rt.Fired(), c.Status)
	}
	if n := len(f.find("connection/spoke", flex.TypeRouteTable)); n != 0 {
		t.Errorf("%d route tables after the failed step; want none", n)
	}
	t.Run("NET-12 RouteTableFailed still takes a catalog", func(t *testing.T) {
		if _, err := f.tn.CreateCatalog(f.ctx, fltMulti("Sales", 16, "spoke")); err != nil {
			t.Fatalf("CreateCatalog on a RouteTableFailed spoke: %v", err)
		}
		vnet := one[*flex.VirtualNetwork](f.env, "connection/spoke", flex.TypeVirtualNetwork)
		for _, r := range f.find("catalog/Sales", flex.TypeVirtualMachine) {
			if vm := r.(*flex.VirtualMachine); vm.Network != vnet.ID {
				t.Errorf("VM %s is in %v; want the spoke's VNet", vm.ID.Name, vm.Network)
			}
		}
		if n := len(f.vmSizes("Sales")); n == 0 {
			t.Error("no machine in the cloud")
		}
	})
	t.Run("NET-12 RetryConnection retries the route table alone", func(t *testing.T) {
		before := one[*flex.VirtualNetwork](f.env, "connection/spoke", flex.TypeVirtualNetwork)
		f.rec.Reset()
		c, err := f.tn.RetryConnection(f.ctx, "spoke")
		if err != nil || c.Status.State != network.StateComplete {
			t.Fatalf("RetryConnection: %v, %v; want Complete", c.Status, err)
		}
		// The route table is written, and attached to the subnets by a
		// write of the VNet that changes nothing else: no hub connection,
		// NAT gateway, NSG, VM or group is touched.
		table := one[*flex.RouteTable](f.env, "connection/spoke", flex.TypeRouteTable)
		want := []string{"PutRouteTable " + table.ID.Name + ": ok", "PutVirtualNetwork " + before.ID.Name + ": ok"}
		if diff := cmp.Diff(want, f.writes()); diff != "" {
			t.Errorf("cloud writes of the retry (-want +got):\n%s", diff)
		}
		after := one[*flex.VirtualNetwork](f.env, "connection/spoke", flex.TypeVirtualNetwork)
		if len(after.Subnets) == 0 {
			t.Fatal("the spoke's VNet has no subnet")
		}
		for i, sn := range after.Subnets {
			if sn.RouteTable != table.ID {
				t.Errorf("subnet %s has route table %v; want %v", sn.Name, sn.RouteTable, table.ID)
			}
			after.Subnets[i].RouteTable = flex.ResourceID{}
		}
		if diff := cmp.Diff(before, after, cmpAddr); diff != "" {
			t.Errorf("the VNet changed beyond the route table (-before +after):\n%s", diff)
		}
		f.assertInventory(t, map[string]map[string]int{
			"catalog/Sales":             {"resourceGroups": 1, "networkSecurityGroups": 1, "virtualMachines": 2, "disks": 2},
			"connection/spoke":          {"resourceGroups": 1, "virtualNetworks": 1, "routeTables": 1, "natGateways": 1, "hubVirtualNetworkConnections": 1},
			"location/westeurope-spoke": {"resourceGroups": 1},
		})
	})
}

// TestNET12NatGatewayFailed: the NAT gateway step fails once, on a VNet
// peering with NAT enabled (NET-11) and on a Virtual WAN spoke, which gets
// its NAT gateway with its first catalog.
func TestNET12NatGatewayFailed(t *testing.T) {
	// retriedAlone retries the connection and checks that the NAT gateway
	// is written and attached to every subnet by a write of the VNet that
	// changes nothing else.
	retriedAlone := func(t *testing.T, f *fltEnv, name string, inventory map[string]map[string]int) {
		t.Helper()
		owner := "connection/" + name
		before := one[*flex.VirtualNetwork](f.env, owner, flex.TypeVirtualNetwork)
		f.rec.Reset()
		c, err := f.tn.RetryConnection(f.ctx, name)
		if err != nil || c.Status.State != network.StateComplete {
			t.Fatalf("RetryConnection: %v, %v; want Complete", c.Status, err)
		}
		nat := one[*flex.NATGateway](f.env, owner, flex.TypeNATGateway)
		if c.NATPublicIP != nat.PublicIP || !nat.PublicIP.IsValid() {
			t.Errorf("view's NAT IP %v; want the gateway's %v", c.NATPublicIP, nat.PublicIP)
		}
		want := []string{"PutNATGateway " + nat.ID.Name + ": ok", "PutVirtualNetwork " + before.ID.Name + ": ok"}
		if diff := cmp.Diff(want, f.writes()); diff != "" {
			t.Errorf("cloud writes of the retry (-want +got):\n%s", diff)
		}
		after := one[*flex.VirtualNetwork](f.env, owner, flex.TypeVirtualNetwork)
		if len(after.Subnets) == 0 {
			t.Fatal("the VNet has no subnet")
		}
		for i, sn := range after.Subnets {
			if sn.NATGateway != nat.ID {
				t.Errorf("subnet %s has NAT gateway %v; want %v", sn.Name, sn.NATGateway, nat.ID)
			}
			after.Subnets[i].NATGateway = flex.ResourceID{}
		}
		if diff := cmp.Diff(before, after, cmpAddr); diff != "" {
			t.Errorf("the VNet changed beyond the NAT gateway (-before +after):\n%s", diff)
		}
		f.assertInventory(t, inventory)
	}

	t.Run("NET-12 a peering's NAT gateway fails: still takes a catalog, retried alone", func(t *testing.T) {
		f := fltNew(t)
		nat := f.plan.On(fake.Put, flex.TypeNATGateway).Once().Fail(flex.ErrConflict)
		s := peeringSpec(f.env, "p", "192.168.0.0/24")
		s.NAT.Enabled = true
		c, err := f.tn.CreateConnection(f.ctx, flexSub, s)
		if err != nil {
			t.Fatal(err)
		}
		if nat.Fired() != 1 || c.Status.State != network.StateNatGatewayFailed || c.NATPublicIP.IsValid() {
			t.Fatalf("fault fired %d times, status %v, NAT IP %v; want NatGatewayFailed without an IP", nat.Fired(), c.Status, c.NATPublicIP)
		}
		if n := len(f.find("connection/p", flex.TypeNATGateway)); n != 0 {
			t.Errorf("%d NAT gateways after the failed step; want none", n)
		}
		if _, err := f.tn.CreateCatalog(f.ctx, fltMulti("Sales", 16, "p")); err != nil { // RULE NET-12
			t.Fatalf("CreateCatalog on a NatGatewayFailed connection: %v", err)
		}
		retriedAlone(t, f, "p", map[string]map[string]int{
			"catalog/Sales":         {"resourceGroups": 1, "networkSecurityGroups": 1, "virtualMachines": 2, "disks": 2},
			"connection/p":          {"resourceGroups": 1, "virtualNetworks": 1, "routeTables": 1, "natGateways": 1, "virtualNetworkPeerings": 2},
			"location/westeurope-p": {"resourceGroups": 1},
		})
	})
	t.Run("NET-12 a spoke's NAT gateway fails with its first catalog: the catalog is made, retried alone", func(t *testing.T) {
		f := fltNew(t)
		hub := f.customerHub("hub", "Standard", "10.100.0.0/24")
		if c, err := f.tn.CreateConnection(f.ctx, flexSub, vwanSpec("spoke", hub, "10.200.0.0/24")); err != nil || c.Status.State != network.StateComplete {
			t.Fatalf("CreateConnection: %v, %v", c.Status, err)
		}
		nat := f.plan.On(fake.Put, flex.TypeNATGateway).Once().Fail(flex.ErrConflict)
		if _, err := f.tn.CreateCatalog(f.ctx, fltMulti("Sales", 16, "spoke")); err != nil { // RULE NET-12
			t.Fatalf("CreateCatalog whose spoke's NAT gateway fails: %v", err)
		}
		cs, _ := f.tn.Connections(f.ctx)
		if st := byName(cs, "spoke").Status; nat.Fired() != 1 || st.State != network.StateNatGatewayFailed {
			t.Fatalf("fault fired %d times, status %v; want NatGatewayFailed", nat.Fired(), st)
		}
		if n := len(f.vmSizes("Sales")); n == 0 {
			t.Error("no machine in the cloud")
		}
		retriedAlone(t, f, "spoke", map[string]map[string]int{
			"catalog/Sales":             {"resourceGroups": 1, "networkSecurityGroups": 1, "virtualMachines": 2, "disks": 2},
			"connection/spoke":          {"resourceGroups": 1, "virtualNetworks": 1, "routeTables": 1, "natGateways": 1, "hubVirtualNetworkConnections": 1},
			"location/westeurope-spoke": {"resourceGroups": 1},
		})
	})
}

// TestNET12StuckProvisioning: the hub connection of a new spoke never
// finishes provisioning in the cloud.
func TestNET12StuckProvisioning(t *testing.T) {
	f := fltNew(t)
	hub := f.customerHub("hub", "Standard", "10.100.0.0/24")
	reached := make(chan struct{})
	f.plan.On(fake.Put, flex.TypeHubConnection).Once().Stuck().OnFire(func(fake.Call) { close(reached) })
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := f.tn.CreateConnection(ctx, flexSub, vwanSpec("slow", hub, "10.201.0.0/24"))
		done <- err
	}()
	select {
	case <-reached:
	case err := <-done:
		t.Fatalf("CreateConnection ended before its hub connection got stuck: %v", err)
	}

	cs, _ := f.tn.Connections(f.ctx)
	slow := byName(cs, "slow")
	if slow.Status.State != network.StateProvisioning || slow.Stuck {
		t.Fatalf("while the hub connection is stuck: %v stuck=%v; want Provisioning, not stuck yet", slow.Status, slow.Stuck)
	}
	stuckWarnings := func() []network.Warning {
		t.Helper()
		r, err := f.tn.RunDue(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		return slices.DeleteFunc(r.Warnings, func(w network.Warning) bool { return w.ID != "NET-12" })
	}
	if ws := stuckWarnings(); len(ws) != 0 {
		t.Errorf("RunDue at once: %v; want no stuck warning", ws)
	}
	f.clock.Advance(network.StuckAfter)
	if ws := stuckWarnings(); len(ws) != 0 { // RULE NET-12: more than 10 minutes, not 10
		t.Errorf("RunDue after exactly %v: %v; want no stuck warning yet", network.StuckAfter, ws)
	}
	f.clock.Advance(time.Second)
	ws := stuckWarnings()
	if len(ws) != 1 || !strings.Contains(ws[0].Msg, `connection "slow"`) || !strings.Contains(ws[0].Msg, slow.Status.TransactionID) { // RULE NET-12
		t.Errorf("RunDue after %v: %v; want one NET-12 warning naming the connection and transaction %s", network.StuckAfter+time.Second, ws, slow.Status.TransactionID)
	}
	cs, _ = f.tn.Connections(f.ctx)
	if s := byName(cs, "slow"); !s.Stuck || s.Status.State != network.StateProvisioning {
		t.Errorf("view after %v: %v stuck=%v; want Provisioning and stuck", network.StuckAfter+time.Second, s.Status, s.Stuck)
	}

	// Giving up removes everything, the stuck hub connection included.
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("CreateConnection after the cancel: %v; want context.Canceled", err)
	}
	if left := f.tenantResources(); len(left) != 0 {
		t.Errorf("left in the cloud: %v", ids(left))
	}
	if hcs := f.cloud.Resources(flex.Filter{Type: flex.TypeHubConnection}); len(hcs) != 0 {
		t.Errorf("hub connections left: %v", ids(hcs))
	}
	if cs, _ := f.tn.Connections(f.ctx); len(cs) != 0 {
		t.Errorf("connections after the cancel: %v", cs)
	}
	flextest.AssertNoOrphans(t, f.cloud, f.tn)
}

// fltSnapshotted returns a fixture with the static catalog "Desk" of two
// machines and the snapshot "before_patch" of Des-0001.
func fltSnapshotted(t *testing.T) *fltEnv {
	t.Helper()
	f := fltNew(t)
	spec := catStatic("Desk", 2)
	spec.Subscription = flexSub
	if _, err := f.tn.CreateCatalog(f.ctx, spec); err != nil {
		t.Fatal(err)
	}
	if _, err := f.tn.TakeSnapshot(f.ctx, "Desk", "Des-0001", "before_patch"); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestCAT13FailedRestoreRetried: the first restore of a snapshot fails in
// the cloud, after holding the machine for a while.
func TestCAT13FailedRestoreRetried(t *testing.T) {
	f := fltSnapshotted(t)
	snaps := f.find("catalog/Desk", flex.TypeSnapshot)
	if len(snaps) != 1 {
		t.Fatalf("snapshots: %v; want one", ids(snaps))
	}
	snap := snaps[0].Metadata().ID
	vmOf := func() *flex.VirtualMachine {
		for _, r := range f.find("catalog/Desk", flex.TypeVirtualMachine) {
			if r.Metadata().ID.Name == "Des-0001" {
				return r.(*flex.VirtualMachine)
			}
		}
		t.Fatal("VM Des-0001 is gone")
		return nil
	}
	oldDisk := vmOf().OSDisk
	machine := func(name string) flex.Machine {
		t.Helper()
		ms, err := f.tn.Machines(f.ctx, "Desk")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Name == name {
				return m
			}
		}
		t.Fatalf("no machine %s in %v", name, ms)
		return flex.Machine{}
	}

	started, release := make(chan struct{}), make(chan struct{})
	failing := f.plan.On(fake.RestoreSnapshot, flex.TypeVirtualMachine).Once().FailFunc(func(c fake.Call) error {
		close(started)
		<-release
		return &flex.Error{Kind: flex.ErrConflict, Op: "RestoreSnapshot", Object: c.ID.String(),
			Err: errors.New("OperationNotAllowed: the disk could not be created from the snapshot")}
	})
	type result struct {
		m   flex.Machine
		err error
	}
	done := make(chan result, 1)
	go func() {
		m, err := f.tn.RestoreSnapshot(f.ctx, "Desk", "Des-0001", "before_patch")
		done <- result{m, err}
	}()
	select {
	case <-started:
	case r := <-done:
		t.Fatalf("RestoreSnapshot ended before it reached the cloud: %+v, %v", r.m, r.err)
	}
	t.Run("CAT-13 while restoring the machine is off and accepts no action", func(t *testing.T) {
		m := machine("Des-0001")
		if m.Restore != catalog.RestoreRunning || len(m.Allowed) != 0 || m.Power != catalog.Deallocated {
			t.Errorf("during the restore: restore %v, allowed %v, power %v; want Running, none, deallocated", m.Restore, m.Allowed, m.Power)
		}
		if ps := vmOf().PowerState; ps != flex.PowerDeallocated {
			t.Errorf("VM during the restore: %s; want deallocated", ps)
		}
		for _, a := range []catalog.Action{catalog.Start, catalog.MaintenanceOn, catalog.Restart, catalog.Delete} {
			if _, err := f.tn.MachineAction(f.ctx, "Desk", "Des-0001", a); !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "CAT-13") {
				t.Errorf("%v during the restore: %v; want ErrPrecondition naming CAT-13", a, err)
			}
		}
		// Only the restoring machine is held: its neighbour takes actions.
		if _, err := f.tn.MachineAction(f.ctx, "Desk", "Des-0002", catalog.MaintenanceOn); err != nil {
			t.Errorf("an action on the other machine during the restore: %v", err)
		}
	})
	close(release)
	r := <-done
	t.Run("CAT-13 a failed restore is Failed, and the machine takes actions again", func(t *testing.T) {
		if !errors.Is(r.err, flex.ErrConflict) || r.m.Restore != catalog.RestoreFailed || failing.Fired() != 1 {
			t.Fatalf("RestoreSnapshot: %v, restore %v (fault fired %d); want the cloud's ErrConflict and Failed", r.err, r.m.Restore, failing.Fired())
		}
		if got := machine("Des-0001"); got.Restore != catalog.RestoreFailed || !slices.Contains(got.Allowed, catalog.Start) {
			t.Errorf("after the failed restore: restore %v, allowed %v; want Failed, Start allowed", got.Restore, got.Allowed)
		}
		if vm := vmOf(); vm.OSDisk != oldDisk {
			t.Errorf("OS disk after the failed restore: %v; want the old %v", vm.OSDisk, oldDisk)
		}
		if _, err := f.tn.MachineAction(f.ctx, "Desk", "Des-0001", catalog.MaintenanceOn); err != nil {
			t.Errorf("an action after the failed restore: %v", err)
		}
	})
	t.Run("CAT-13 the failed restore is retried", func(t *testing.T) {
		f.rec.Reset()
		m, err := f.tn.RestoreSnapshot(f.ctx, "Desk", "Des-0001", "before_patch")
		if err != nil || m.Restore != catalog.RestoreCompleted || m.Power != catalog.Deallocated {
			t.Fatalf("retry: %v, restore %v, power %v; want Completed and deallocated", err, m.Restore, m.Power)
		}
		if n := f.rec.Count(fake.RestoreSnapshot, flex.ResourceID{}); n != 1 {
			t.Errorf("%d RestoreSnapshot calls for the retry; want 1", n)
		}
		vm := vmOf()
		if vm.OSDisk == oldDisk {
			t.Fatalf("OS disk after the retry: %v; want a new one", vm.OSDisk)
		}
		disk := get[*flex.Disk](f.env, vm.OSDisk)
		if disk.Source != snap {
			t.Errorf("the new OS disk comes from %v; want the snapshot %v", disk.Source, snap)
		}
		if _, err := f.cloud.Get(f.ctx, oldDisk); !errors.Is(err, flex.ErrNotFound) {
			t.Errorf("the old OS disk: %v; want it deleted", err)
		}
		if _, err := f.tn.MachineAction(f.ctx, "Desk", "Des-0001", catalog.Start); err != nil {
			t.Errorf("starting after the restore: %v", err)
		}
		want := noConnectivityInventory("Desk", 2)
		want["catalog/Desk"]["snapshots"] = 1
		f.assertInventory(t, want)
		flextest.AssertNoOrphans(t, f.cloud, f.tn)
	})
}

// TestThrottling: the cloud answers 429 with a Retry-After.
func TestThrottling(t *testing.T) {
	t.Run("two throttled calls are waited out for exactly their Retry-After", func(t *testing.T) {
		f := fltNew(t)
		start := f.clock.Now()
		throttle := f.plan.Throttle(2, 10*time.Second)
		c, err := f.tn.CreateCatalog(f.ctx, fltMulti("Sales", 16, ""))
		if err != nil {
			t.Fatal(err)
		}
		if throttle.Fired() != 2 {
			t.Errorf("throttled %d calls; want 2", throttle.Fired())
		}
		if diff := cmp.Diff([]time.Duration{10 * time.Second, 10 * time.Second}, f.retryWaits()); diff != "" {
			t.Errorf("retry waits (-want +got):\n%s", diff)
		}
		if got := f.clock.Now().Sub(start); got != 20*time.Second {
			t.Errorf("the clock moved %v; want 20s", got)
		}
		// Each throttled call was made again until it succeeded.
		calls := f.rec.Calls()
		for i, call := range calls {
			if call.Kind() == flex.ErrThrottled && !slices.ContainsFunc(calls[i+1:], func(later fake.Call) bool {
				return later.Op() == call.Op() && later.ID == call.ID && later.Err == nil
			}) {
				t.Errorf("%s was not retried to success", call)
			}
		}
		if diff := cmp.Diff(map[string]int{"Standard_D4s_v5": 2}, f.vmSizes("Sales")); diff != "" || c.Summary.Total != 2 {
			t.Errorf("%d machines; VMs in the cloud by size (-want +got):\n%s", c.Summary.Total, diff)
		}
		f.assertInventory(t, noConnectivityInventory("Sales", 2))
		flextest.AssertNoOrphans(t, f.cloud, f.tn)
	})
	t.Run("a Retry-After longer than the context lasts ends with the context's error, nothing half-made", func(t *testing.T) {
		f := fltNew(t, flex.WithWorkers(1))
		ctx, cancel := context.WithCancel(f.ctx)
		defer cancel()
		// The context ends 5 s from now on the manual clock: a wait that
		// would outlast it ends with it.
		deadline := f.clock.Now().Add(5 * time.Second)
		f.setWait(func(ctx context.Context, d time.Duration) error {
			if now := f.clock.Now(); now.Add(d).After(deadline) {
				f.clock.Advance(deadline.Sub(now))
				cancel()
				return ctx.Err()
			}
			f.clock.Advance(d)
			return ctx.Err()
		})
		// The first machine is made; the second is throttled for 20 s.
		slow := f.plan.On(fake.Put, flex.TypeVirtualMachine).Nth(2).Throttle(20 * time.Second)
		_, err := f.tn.CreateCatalog(ctx, fltMulti("Sales", 24, ""))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("CreateCatalog: %v; want context.Canceled", err)
		}
		if diff := cmp.Diff([]time.Duration{20 * time.Second}, f.retryWaits()); diff != "" {
			t.Errorf("retry waits (-want +got):\n%s", diff)
		}
		if !f.clock.Now().Equal(deadline) || slow.Fired() != 1 {
			t.Errorf("clock at %v, throttled %d times; want the deadline %v and one throttle: no call after the context ended", f.clock.Now(), slow.Fired(), deadline)
		}
		if got := f.vmPuts("Sal-0001"); !slices.Equal(got, []string{"ok"}) {
			t.Fatalf("Puts of Sal-0001: %v; want one that made it, for a half-made catalog", got)
		}
		f.assertNothingLeft(t)
	})
}

// TestTransientErrors: the cloud answers 503 (ErrUnavailable) for one VM.
func TestTransientErrors(t *testing.T) {
	t.Run("twice: retried with a growing backoff, and the catalog is made", func(t *testing.T) {
		f := fltNew(t)
		flaky := f.plan.On(fake.Put, flex.TypeVirtualMachine).Named("Sal-0002").Times(2).Fail(flex.ErrUnavailable)
		c, err := f.tn.CreateCatalog(f.ctx, fltMulti("Sales", 24, ""))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"service unavailable", "service unavailable", "ok"}, f.vmPuts("Sal-0002")); diff != "" || flaky.Fired() != 2 {
			t.Errorf("Puts of Sal-0002 (-want +got):\n%s", diff)
		}
		if w := f.retryWaits(); len(w) != 2 || w[0] <= 0 || w[1] != 2*w[0] {
			t.Errorf("retry waits %v; want two, the second twice the first", w)
		}
		if diff := cmp.Diff(map[string]int{"Standard_D4s_v5": 3}, f.vmSizes("Sales")); diff != "" || c.Summary.Total != 3 {
			t.Errorf("%d machines; VMs in the cloud by size (-want +got):\n%s", c.Summary.Total, diff)
		}
		f.assertInventory(t, noConnectivityInventory("Sales", 3))
		flextest.AssertNoOrphans(t, f.cloud, f.tn)
	})
	t.Run("five times in a row: the creation fails cleanly", func(t *testing.T) {
		f := fltNew(t)
		down := f.plan.On(fake.Put, flex.TypeVirtualMachine).Named("Sal-0002").Times(5).Fail(flex.ErrUnavailable)
		_, err := f.tn.CreateCatalog(f.ctx, fltMulti("Sales", 24, ""))
		if !errors.Is(err, flex.ErrUnavailable) {
			t.Fatalf("CreateCatalog: %v; want ErrUnavailable", err)
		}
		if n := len(f.vmPuts("Sal-0002")); n != 5 || down.Fired() != 5 {
			t.Errorf("%d Puts of Sal-0002, %d failed; want 5 attempts, all failed", n, down.Fired())
		}
		if w := f.retryWaits(); len(w) != 4 || !slices.IsSorted(w) || w[0] <= 0 || w[0] == w[3] {
			t.Errorf("retry waits %v; want four, growing", w)
		}
		f.assertNothingLeft(t)
	})
}

// TestRL4HealthCheck: the health check of a resource location's
// connectors reads each connector's VM from the cloud (a Get); the faults
// act on that read.
func TestRL4HealthCheck(t *testing.T) {
	f := fltNew(t)
	if _, err := f.tn.CreateConnection(f.ctx, flexSub, peeringSpec(f.env, "p", "192.168.0.0/22")); err != nil {
		t.Fatal(err)
	}
	spec := catJoined("Sales", 2, "p", "corp.example.com", "West")
	spec.Subscription = flexSub
	if _, err := f.tn.CreateCatalog(f.ctx, spec); err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T) (map[string]string, error) {
		t.Helper()
		l, err := f.tn.RunHealthCheck(f.ctx, "West")
		if err != nil {
			return nil, err
		}
		return connectorStates(l), nil
	}
	location := func(t *testing.T) map[string]string {
		t.Helper()
		ls, err := f.tn.ResourceLocations(f.ctx)
		if err != nil || len(ls) != 1 {
			t.Fatalf("resource locations: %v, %v; want one", ls, err)
		}
		return connectorStates(ls[0])
	}
	connectorVMs := func() []string {
		var out []string
		for _, r := range f.cloud.Resources(flex.Filter{Type: flex.TypeVirtualMachine, Tags: map[string]string{flex.TagTenant: tenantID}}) {
			if strings.HasPrefix(r.Metadata().Tags[flex.TagOwner], "location/") {
				out = append(out, r.Metadata().ID.Name)
			}
		}
		return out
	}
	healthy := map[string]string{"WESTXCC-01": "Connected/OK", "WESTXCC-02": "Connected/OK"}
	f.rec.Reset()
	if got, err := check(t); err != nil || !cmp.Equal(healthy, got) {
		t.Fatalf("first check: %v, %v; want %v", got, err, healthy)
	}
	var read []string
	for _, c := range f.rec.Calls() {
		read = append(read, c.String())
	}
	if len(read) != 2 || !strings.HasPrefix(read[0], "Get ") || !strings.HasSuffix(read[0], "/WESTXCC-01: ok") || !strings.HasSuffix(read[1], "/WESTXCC-02: ok") {
		t.Fatalf("calls of a health check: %v; want a Get of each connector's VM", read)
	}

	t.Run("RL-4 a failing check makes that connector's state unknown", func(t *testing.T) {
		gone := f.plan.On(fake.Get, flex.TypeVirtualMachine).Named("WESTXCC-02").Once().Fail(flex.ErrNotFound)
		got, err := check(t)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"WESTXCC-01": "Connected/OK", "WESTXCC-02": "Disconnected/Unknown"}
		if diff := cmp.Diff(want, got); diff != "" || gone.Fired() != 1 { // RULE RL-4
			t.Errorf("states after a failing check (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, location(t)); diff != "" {
			t.Errorf("states ResourceLocations reports (-want +got):\n%s", diff)
		}
		// The check failed, not the machine: the cloud still holds both.
		if diff := cmp.Diff([]string{"WESTXCC-01", "WESTXCC-02"}, connectorVMs()); diff != "" {
			t.Errorf("connector VMs (-want +got):\n%s", diff)
		}
		if got, err := check(t); err != nil || !cmp.Equal(healthy, got) {
			t.Errorf("a passing check after it: %v, %v; want %v", got, err, healthy)
		}
	})
	t.Run("RL-4 a check the cloud cannot answer", func(t *testing.T) {
		down := f.plan.On(fake.Get, flex.TypeVirtualMachine).Named("WESTXCC-01").Fail(flex.ErrUnavailable)
		defer down.Times(0)
		f.rec.Reset()
		got, err := check(t)
		if err != nil {
			t.Fatalf("RunHealthCheck: %v; a check the cloud cannot answer is a failing check, not a failed health check", err)
		}
		// RULE RL-4: the connector whose check went unanswered is unknown,
		// and the check goes on with the others.
		want := map[string]string{"WESTXCC-01": "Disconnected/Unknown", "WESTXCC-02": "Connected/OK"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("states after the unanswered check (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, location(t)); diff != "" {
			t.Errorf("states ResourceLocations reports (-want +got):\n%s", diff)
		}
		if down.Fired() != 5 {
			t.Errorf("the unreadable VM was read %d times; want 5 (retried, then given up)", down.Fired())
		}
		var checked []string
		for _, c := range f.rec.Calls() {
			if c.ID.Name == "WESTXCC-02" {
				checked = append(checked, c.String())
			}
		}
		if len(checked) != 1 || !strings.HasPrefix(checked[0], "Get ") || !strings.HasSuffix(checked[0], ": ok") {
			t.Errorf("calls on WESTXCC-02: %v; want its VM read once", checked)
		}
		f.assertInventory(t, map[string]map[string]int{
			"catalog/Sales": {"resourceGroups": 1, "networkSecurityGroups": 1, "virtualMachines": 2, "disks": 2},
			"connection/p":  {"resourceGroups": 1, "virtualNetworks": 1, "routeTables": 1, "virtualNetworkPeerings": 2},
			"location/West": {"resourceGroups": 1, "networkSecurityGroups": 1, "virtualMachines": 2, "disks": 2},
		})
	})
	t.Run("RL-4 a cancelled check changes no state", func(t *testing.T) {
		if got, err := check(t); err != nil || !cmp.Equal(healthy, got) {
			t.Fatalf("a passing check: %v, %v; want %v", got, err, healthy)
		}
		ctx, cancel := context.WithCancel(f.ctx)
		cancel()
		if _, err := f.tn.RunHealthCheck(ctx, "West"); !errors.Is(err, context.Canceled) {
			t.Errorf("RunHealthCheck with a cancelled context: %v; want context.Canceled", err)
		}
		if diff := cmp.Diff(healthy, location(t)); diff != "" {
			t.Errorf("states after the cancelled check (-want +got):\n%s", diff)
		}
	})
}

// TestLostResponseMakesNoDuplicate: the cloud makes a VM but the response
// to its Put is lost (fake's LoseResponse: ErrUnavailable after the cloud
// did the work), so the Tenant retries the Put.
func TestLostResponseMakesNoDuplicate(t *testing.T) {
	f := fltNew(t)
	lost := f.plan.On(fake.Put, flex.TypeVirtualMachine).Named("Sal-0002").Once().LoseResponse()
	c, err := f.tn.CreateCatalog(f.ctx, fltMulti("Sales", 24, ""))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"service unavailable", "ok"}, f.vmPuts("Sal-0002")); diff != "" || lost.Fired() != 1 {
		t.Errorf("Puts of Sal-0002 (-want +got):\n%s", diff)
	}
	vms := f.find("catalog/Sales", flex.TypeVirtualMachine)
	var names []string
	addrs := map[string]string{}
	for _, r := range vms {
		vm := r.(*flex.VirtualMachine)
		names = append(names, vm.ID.Name)
		addrs[vm.ID.Name] = vm.PrivateIP.String()
	}
	if diff := cmp.Diff([]string{"Sal-0001", "Sal-0002", "Sal-0003"}, names); diff != "" || c.Summary.Total != 3 {
		t.Errorf("%d machines; VMs in the cloud (-want +got):\n%s", c.Summary.Total, diff)
	}
	if n := len(f.find("catalog/Sales", flex.TypeDisk)); n != 3 {
		t.Errorf("%d disks; want one OS disk per VM", n)
	}
	ms, err := f.tn.Machines(f.ctx, "Sales")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if addrs[m.Name] != m.Address.String() {
			t.Errorf("machine %s has address %v; its VM has %s", m.Name, m.Address, addrs[m.Name])
		}
	}
	if subs, _ := f.tn.Subscriptions(f.ctx); len(subs) != 1 || subs[0].VDAs != 3 { // RULE LIM-4: three VDAs, not four
		t.Errorf("subscriptions: %+v; want 3 VDAs", subs)
	}
	f.assertInventory(t, noConnectivityInventory("Sales", 3))
	flextest.AssertNoOrphans(t, f.cloud, f.tn)
}

package flex_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// The clean-up of operations that fail part-way: what was made is removed
// (or the object is kept in a failed state saying what is left), the quota
// is released, and the error is the operation's.

// siblingFailure arranges, on f, that of two VMs made at once the first
// fails (with ErrCapacity, the catalog having no backup size) only once the
// second is waiting to retry a throttled Put: so the second is still under
// way when the operation gives up, and the work's own cancellation ends its
// wait. It returns the rules, to check that they fired.
func siblingFailure(t *testing.T, f *fltEnv, failing, waiting string) (fail, throttle *fake.Rule) {
	t.Helper()
	inWait := make(chan struct{})
	var once sync.Once
	f.setWait(func(ctx context.Context, d time.Duration) error {
		once.Do(func() { close(inWait) })
		<-ctx.Done()
		return ctx.Err()
	})
	throttle = f.plan.On(fake.Put, flex.TypeVirtualMachine).Named(waiting).Throttle(time.Second)
	fail = f.plan.On(fake.Put, flex.TypeVirtualMachine).Named(failing).FailFunc(func(c fake.Call) error {
		select {
		case <-inWait:
		case <-time.After(10 * time.Second):
			t.Errorf("%s never waited to retry", waiting)
		}
		return &flex.Error{Kind: flex.ErrCapacity, Op: c.Op(), Object: c.Object(), Err: errors.New("AllocationFailed: injected")}
	})
	return fail, throttle
}

// TestSiblingCancellationIsNotTheCallersError: when one VM of CreateCatalog
// or AddMachines fails, the VMs still under way are cancelled by the
// operation itself. Their "context canceled" is not the caller's: the
// error is the operation's *flex.Error of the failure's kind, and
// errors.Is(err, context.Canceled) holds only when the caller's context
// was cancelled.
func TestSiblingCancellationIsNotTheCallersError(t *testing.T) {
	check := func(t *testing.T, op string, err error) {
		t.Helper()
		var fe *flex.Error
		if !errors.As(err, &fe) || err != error(fe) || fe.Op != op || fe.Kind != flex.ErrCapacity {
			t.Errorf("%s: %T %v; want the operation's *flex.Error of kind ErrCapacity", op, err, err)
		}
		if errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v; matches context.Canceled though the caller's context is live", op, err)
		}
	}
	t.Run("CreateCatalog", func(t *testing.T) {
		f := fltNew(t, flex.WithWorkers(2))
		fail, throttle := siblingFailure(t, f, "Sal-0001", "Sal-0002")
		_, err := f.tn.CreateCatalog(f.ctx, fltMulti("Sales", 16, "")) // 2 machines
		check(t, "CreateCatalog", err)
		if fail.Fired() != 1 || throttle.Fired() == 0 {
			t.Errorf("faults fired %d and %d times; want the failure once and the throttling", fail.Fired(), throttle.Fired())
		}
		f.assertNothingLeft(t)
	})
	t.Run("AddMachines", func(t *testing.T) {
		f := fltNew(t, flex.WithWorkers(2))
		if _, err := f.tn.CreateCatalog(f.ctx, fltMulti("Sales", 8, "")); err != nil {
			t.Fatal(err)
		}
		fail, throttle := siblingFailure(t, f, "Sal-0002", "Sal-0003")
		_, err := f.tn.AddMachines(f.ctx, "Sales", catalog.AddMachinesRequest{Users: 16})
		check(t, "AddMachines", err)
		if fail.Fired() != 1 || throttle.Fired() == 0 {
			t.Errorf("faults fired %d and %d times; want the failure once and the throttling", fail.Fired(), throttle.Fired())
		}
		f.assertOneMachine(t, "Sales")
	})
	t.Run("the caller's cancellation still shows", func(t *testing.T) {
		f := fltNew(t, flex.WithWorkers(2))
		ctx, cancel := context.WithCancel(f.ctx)
		defer cancel()
		f.plan.On(fake.Put, flex.TypeVirtualMachine).Named("Sal-0002").Throttle(time.Second)
		f.setWait(func(ctx context.Context, d time.Duration) error {
			cancel()
			return ctx.Err()
		})
		_, err := f.tn.CreateCatalog(ctx, fltMulti("Sales", 16, ""))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("CreateCatalog with its context cancelled: %v; want context.Canceled", err)
		}
		// The throttled Put it gave up retrying is in the error too: an
		// error of a kind is the operation's.
		if fe, ok := err.(*flex.Error); flex.KindOf(err) != nil && (!ok || fe.Op != "CreateCatalog") {
			t.Errorf("CreateCatalog: %T %v; an error of kind %v is not the operation's *flex.Error", err, err, flex.KindOf(err))
		}
		f.assertNothingLeft(t)
	})
}

// assertOneMachine checks that catalog name has exactly its first
// machine, in the Tenant and in the cloud, that one VDA is counted, and
// that nothing is orphaned.
func (f *fltEnv) assertOneMachine(t *testing.T, name string) {
	t.Helper()
	ms, err := f.tn.Machines(f.ctx, name)
	if err != nil || len(ms) != 1 {
		t.Errorf("machines of %s: %v, %v; want one", name, ms, err)
	}
	if n := len(f.find("catalog/"+name, flex.TypeVirtualMachine)); n != 1 {
		t.Errorf("%d VMs of %s in the cloud; want 1", n, name)
	}
	if subs, _ := f.tn.Subscriptions(f.ctx); len(subs) != 1 || subs[0].VDAs != 1 { // RULE LIM-4
		t.Errorf("subscriptions: %+v; want 1 VDA", subs)
	}
	flextest.AssertNoOrphans(t, f.cloud, f.tn)
}

// lostVM makes every Put of the VM named name reach the cloud, which makes
// it, and then lose its response to throttling: the Tenant retries, gives
// up, and never hears that the VM exists.
func lostVM(f *fltEnv, name string) *fake.Rule {
	return f.plan.On(fake.Put, flex.TypeVirtualMachine).Named(name).AfterCall().Throttle(time.Millisecond)
}

// TestLostVMIsRemovedByName: a VM whose Put reached the cloud but whose
// every response was lost is removed when the operation fails, by its
// name, though the Tenant never learnt it was made.
func TestLostVMIsRemovedByName(t *testing.T) {
	t.Run("AddMachines", func(t *testing.T) {
		f := fltNew(t)
		if _, err := f.tn.CreateCatalog(f.ctx, fltMulti("Sales", 8, "")); err != nil {
			t.Fatal(err)
		}
		lost := lostVM(f, "Sal-0002")
		_, err := f.tn.AddMachines(f.ctx, "Sales", catalog.AddMachinesRequest{Users: 16})
		if fe, ok := err.(*flex.Error); !ok || fe.Op != "AddMachines" || fe.Kind != flex.ErrThrottled {
			t.Errorf("AddMachines: %T %v; want its *flex.Error of kind ErrThrottled", err, err)
		}
		if lost.Fired() != 5 {
			t.Errorf("the lost response fault fired %d times; want 5 (every attempt)", lost.Fired())
		}
		// RULE LIM-4: the catalog still has one machine, counted once.
		f.assertOneMachine(t, "Sales")
	})
	t.Run("AddMachines cancelled while it retries", func(t *testing.T) {
		f := fltNew(t)
		if _, err := f.tn.CreateCatalog(f.ctx, fltMulti("Sales", 8, "")); err != nil {
			t.Fatal(err)
		}
		lost := lostVM(f, "Sal-0002")
		ctx, cancel := context.WithCancel(f.ctx)
		defer cancel()
		f.setWait(func(ctx context.Context, d time.Duration) error {
			cancel()
			return ctx.Err()
		})
		_, err := f.tn.AddMachines(ctx, "Sales", catalog.AddMachinesRequest{Users: 8})
		if !errors.Is(err, context.Canceled) || lost.Fired() == 0 {
			t.Errorf("AddMachines: %v (lost response fired %d times); want context.Canceled after a lost response", err, lost.Fired())
		}
		f.assertOneMachine(t, "Sales")
	})
	t.Run("CreateCatalog's Cloud Connector", func(t *testing.T) {
		f := fltNew(t)
		if _, err := f.tn.CreateConnection(f.ctx, flexSub, vpnSpec("v")); err != nil {
			t.Fatal(err)
		}
		before := f.inventory()
		lost := lostVM(f, "WESTXCC-02")
		spec := catJoined("Sales", 2, "v", "corp.example.com", "West")
		spec.Subscription = flexSub
		_, err := f.tn.CreateCatalog(f.ctx, spec)
		if fe, ok := err.(*flex.Error); !ok || fe.Op != "CreateCatalog" || fe.Kind != flex.ErrThrottled {
			t.Errorf("CreateCatalog: %T %v; want its *flex.Error of kind ErrThrottled", err, err)
		}
		if lost.Fired() != 5 {
			t.Errorf("the lost response fault fired %d times; want 5 (every attempt)", lost.Fired())
		}
		if cs, err := f.tn.Catalogs(f.ctx); err != nil || len(cs) != 0 {
			t.Errorf("catalogs: %v, %v; want none", cs, err)
		}
		if ls, err := f.tn.ResourceLocations(f.ctx); err != nil || len(ls) != 0 {
			t.Errorf("resource locations: %v, %v; want none", ls, err)
		}
		// The connection's VNet has no subnet of the connectors left, nor
		// their NSG.
		f.assertInventory(t, before)
		flextest.AssertNoOrphans(t, f.cloud, f.tn)
	})
}

// TestLostVMThatCannotBeRemovedIsRecorded: when the VM of a failed
// AddMachines cannot be deleted either, the catalog keeps it as a machine,
// in state Error saying what failed, counted against LIM-4, so that the
// Tenant lists what the cloud holds and a later deletion removes it.
func TestLostVMThatCannotBeRemovedIsRecorded(t *testing.T) {
	f := fltNew(t)
	if _, err := f.tn.CreateCatalog(f.ctx, fltMulti("Sales", 8, "")); err != nil {
		t.Fatal(err)
	}
	lostVM(f, "Sal-0002")
	stuck := f.plan.On(fake.Delete, flex.TypeVirtualMachine).Named("Sal-0002").Fail(flex.ErrConflict)
	_, err := f.tn.AddMachines(f.ctx, "Sales", catalog.AddMachinesRequest{Users: 8})
	if fe, ok := err.(*flex.Error); !ok || fe.Op != "AddMachines" || fe.Kind != flex.ErrThrottled {
		t.Errorf("AddMachines: %T %v; want its *flex.Error of kind ErrThrottled", err, err)
	}
	if stuck.Fired() == 0 {
		t.Fatal("the VM's deletion was never tried")
	}
	c, err := f.tn.Catalog(f.ctx, "Sales")
	if err != nil || c.State != catalog.Error || c.Failure == "" { // RULE API-1
		t.Errorf("catalog: state %v, failure %q, %v; want Error saying what failed", c.State, c.Failure, err)
	}
	ms, err := f.tn.Machines(f.ctx, "Sales")
	var names []string
	for _, m := range ms {
		names = append(names, m.Name+" "+m.Power.String())
	}
	// The refresh read the kept machine's power state from its VM.
	if want := []string{"Sal-0001 running", "Sal-0002 running"}; err != nil || !slices.Equal(want, names) {
		t.Errorf("machines: %v, %v; want %v", names, err, want)
	}
	if subs, _ := f.tn.Subscriptions(f.ctx); len(subs) != 1 || subs[0].VDAs != 2 { // RULE LIM-4
		t.Errorf("subscriptions: %+v; want 2 VDAs, the kept machine counted", subs)
	}
	flextest.AssertNoOrphans(t, f.cloud, f.tn)

	stuck.Times(0)
	if err := f.tn.DeleteCatalog(f.ctx, "Sales", catAck("Sales")); err != nil {
		t.Fatal(err)
	}
	f.assertNothingLeft(t)
}

// TestRestoreSnapshotRefusalsNameCAT13: every refusal and failure of
// RestoreSnapshot that CAT-13 explains carries a CAT-13 violation, which
// rule.Has finds, in the operation's *flex.Error of the right kind.
func TestRestoreSnapshotRefusalsNameCAT13(t *testing.T) {
	f := fltSnapshotted(t)
	check := func(t *testing.T, err error, op string, kind error) {
		t.Helper()
		fe, ok := err.(*flex.Error)
		if !ok || fe.Op != op || !errors.Is(err, kind) || !rule.Has(err, "CAT-13") { // RULE CAT-13
			t.Errorf("%s: %T %v (rules %v); want its *flex.Error of kind %v with a CAT-13 violation", op, err, err, rule.IDs(err), kind)
		}
	}
	t.Run("CAT-13 restore from a snapshot the machine does not have", func(t *testing.T) {
		_, err := f.tn.RestoreSnapshot(f.ctx, "Desk", "Des-0001", "nope")
		check(t, err, "RestoreSnapshot", flex.ErrNotFound)
	})
	t.Run("CAT-13 a restore the cloud fails can be retried", func(t *testing.T) {
		failed := f.plan.On(fake.RestoreSnapshot, "").Once().Fail(flex.ErrConflict)
		m, err := f.tn.RestoreSnapshot(f.ctx, "Desk", "Des-0001", "before_patch")
		check(t, err, "RestoreSnapshot", flex.ErrConflict)
		if failed.Fired() != 1 || m.Restore != catalog.RestoreFailed {
			t.Errorf("fault fired %d times, restore state %v; want once and Failed (API-5)", failed.Fired(), m.Restore)
		}
		if m, err := f.tn.RestoreSnapshot(f.ctx, "Desk", "Des-0001", "before_patch"); err != nil || m.Restore != catalog.RestoreCompleted {
			t.Errorf("the retry: %v, %v; want Completed", m.Restore, err)
		}
	})
	t.Run("CAT-13 no second restore while one runs", func(t *testing.T) {
		started, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		hold := f.plan.On(fake.RestoreSnapshot, "").FailFunc(func(fake.Call) error {
			once.Do(func() { close(started) })
			<-release
			return nil // the call goes through
		})
		defer hold.Times(0)
		done := make(chan error, 1)
		go func() {
			_, err := f.tn.RestoreSnapshot(f.ctx, "Desk", "Des-0001", "before_patch")
			done <- err
		}()
		<-started
		_, err := f.tn.RestoreSnapshot(f.ctx, "Desk", "Des-0001", "before_patch")
		close(release)
		check(t, err, "RestoreSnapshot", flex.ErrPrecondition)
		if err := <-done; err != nil {
			t.Errorf("the first restore: %v", err)
		}
	})
	t.Run("CAT-13 delete a snapshot the machine does not have", func(t *testing.T) {
		err := f.tn.DeleteSnapshots(f.ctx, "Desk", "Des-0001", "nope")
		check(t, err, "DeleteSnapshots", flex.ErrNotFound)
	})
	flextest.AssertNoOrphans(t, f.cloud, f.tn)
}

// TestNoConnectivityRouteTableFailure: the route table of a connection
// without connectivity fails. Such a connection cannot be RouteTableFailed
// (NET-12 gives that state to the other kinds), so the failure is the
// connection's: what was made is removed and the error says what failed,
// or, when the removal fails too, the connection is Failed (API-2) saying
// both, until it is deleted.
func TestNoConnectivityRouteTableFailure(t *testing.T) {
	spec := network.NoConnectivitySpec{Name: "nc", Region: testRegion, Range: pfx("192.168.10.0/24")}
	t.Run("API-2 removed, with what failed", func(t *testing.T) {
		f := fltNew(t)
		rt := f.plan.On(fake.Put, flex.TypeRouteTable).Once().Fail(flex.ErrConflict)
		_, err := f.tn.CreateConnection(f.ctx, flexSub, spec)
		fe, ok := err.(*flex.Error)
		if !ok || fe.Op != "CreateConnection" || !errors.Is(err, flex.ErrConflict) || !strings.Contains(err.Error(), "RouteTable") {
			t.Errorf("CreateConnection: %T %v; want its *flex.Error of kind ErrConflict naming the route table", err, err)
		}
		if rt.Fired() != 1 {
			t.Errorf("the route table fault fired %d times; want 1", rt.Fired())
		}
		if cs, err := f.tn.Connections(f.ctx); err != nil || len(cs) != 0 {
			t.Errorf("connections: %v, %v; want none", cs, err)
		}
		if left := f.tenantResources(); len(left) != 0 {
			t.Errorf("left in the cloud: %v", ids(left))
		}
		flextest.AssertNoOrphans(t, f.cloud, f.tn)
		// RULE NET-4: the range is free again.
		if c, err := f.tn.CreateConnection(f.ctx, flexSub, spec); err != nil || c.Status.State != network.StateComplete {
			t.Errorf("creating it again: %v, %v; want Complete", c.Status, err)
		}
	})
	t.Run("API-2 Failed when the removal fails too", func(t *testing.T) {
		f := fltNew(t)
		f.plan.On(fake.Put, flex.TypeRouteTable).Once().Fail(flex.ErrConflict)
		stuck := f.plan.On(fake.Delete, flex.TypeResourceGroup).Once().Fail(flex.ErrConflict)
		c, err := f.tn.CreateConnection(f.ctx, flexSub, spec)
		if !errors.Is(err, flex.ErrConflict) || stuck.Fired() != 1 {
			t.Errorf("CreateConnection: %v (removal fault fired %d times); want ErrConflict", err, stuck.Fired())
		}
		if c.Status.State != network.StateFailed || !strings.Contains(c.Status.Message, "RouteTable") || !strings.Contains(c.Status.Message, "removing") { // RULE API-2
			t.Errorf("status: %v; want Failed saying the route table and the removal failed", c.Status)
		}
		cs, err := f.tn.Connections(f.ctx)
		if err != nil || len(cs) != 1 || cs[0].Status.State != network.StateFailed {
			t.Errorf("connections: %v, %v; want nc, Failed", cs, err)
		}
		flextest.AssertNoOrphans(t, f.cloud, f.tn)
		if err := f.tn.DeleteConnection(f.ctx, "nc"); err != nil {
			t.Fatalf("DeleteConnection: %v", err)
		}
		if left := f.tenantResources(); len(left) != 0 {
			t.Errorf("left in the cloud: %v", ids(left))
		}
		flextest.AssertNoOrphans(t, f.cloud, f.tn)
	})
}

// TestFailedBuildReleasesItsManagedNetwork: an image build with No
// connectivity gets a Citrix-managed network in the image's resource
// group. When the build fails before the build machine's subnet exists and
// the clean-up cannot delete the group either, the image stays Failed; its
// deletion then removes the group and releases the network, whose range is
// free again (NET-4).
func TestFailedBuildReleasesItsManagedNetwork(t *testing.T) {
	for _, step := range []flex.ResourceType{flex.TypeVirtualNetwork, flex.TypeSecurityGroup} {
		t.Run(string(step[strings.LastIndexByte(string(step), '/')+1:]), func(t *testing.T) {
			f := fltNew(t)
			f.plan.On(fake.Put, step).Once().Fail(flex.ErrConflict)
			stuck := f.plan.On(fake.Delete, flex.TypeResourceGroup).Once().Fail(flex.ErrConflict)
			spec := imgBuildSpec("Gold")
			spec.Subscription = flexSub
			d, err := f.tn.BuildImage(f.ctx, spec)
			if !errors.Is(err, flex.ErrConflict) || stuck.Fired() != 1 || d.Image.State != image.Failed { // RULE API-3
				t.Fatalf("BuildImage: %v, %v (removal fault fired %d times); want ErrConflict and the image Failed", d.Image.State, err, stuck.Fired())
			}
			flextest.AssertNoOrphans(t, f.cloud, f.tn)
			if err := f.tn.DeleteImage(f.ctx, flexSub, "Gold"); err != nil {
				t.Fatalf("DeleteImage: %v", err)
			}
			if left := f.tenantResources(); len(left) != 0 {
				t.Errorf("left in the cloud: %v", ids(left))
			}
			flextest.AssertNoOrphans(t, f.cloud, f.tn)
			// RULE NET-4: the managed network's range (the first /20 of
			// 172.16.0.0/12) is free.
			free := network.NoConnectivitySpec{Name: "nc", Region: testRegion, Range: pfx("172.16.0.0/24")}
			if _, err := f.tn.CreateConnection(f.ctx, flexSub, free); err != nil {
				t.Errorf("a connection in the managed network's range: %v; want it free", err)
			}
		})
	}
}

// TestConnectorsCleanupFailureIsRecorded: the Cloud Connectors of a new
// resource location fail, and so does the removal of the subnet added for
// them (its NSG cannot be deleted). The subnet is recorded as the
// location's, whose catalog stays in state Error; deleting the catalog
// later removes it, and the connection holds nothing extra.
func TestConnectorsCleanupFailureIsRecorded(t *testing.T) {
	f := fltNew(t)
	if _, err := f.tn.CreateConnection(f.ctx, flexSub, vpnSpec("v")); err != nil {
		t.Fatal(err)
	}
	before := f.inventory()
	f.plan.On(fake.Put, flex.TypeVirtualMachine).Named("WESTXCC-02").Fail(flex.ErrConflict)
	stuck := f.plan.On(fake.Delete, flex.TypeSecurityGroup).Fail(flex.ErrConflict)
	spec := catJoined("Sales", 2, "v", "corp.example.com", "West")
	spec.Subscription = flexSub
	c, err := f.tn.CreateCatalog(f.ctx, spec)
	if fe, ok := err.(*flex.Error); !ok || fe.Op != "CreateCatalog" || !errors.Is(err, flex.ErrConflict) || stuck.Fired() == 0 {
		t.Fatalf("CreateCatalog: %T %v (NSG fault fired %d times); want its *flex.Error of kind ErrConflict", err, err, stuck.Fired())
	}
	if c, err = f.tn.Catalog(f.ctx, "Sales"); err != nil || c.State != catalog.Error || !strings.Contains(c.Failure, "removing") { // RULE API-1
		t.Errorf("catalog: %v %q, %v; want Error saying what could not be removed", c.State, c.Failure, err)
	}
	flextest.AssertNoOrphans(t, f.cloud, f.tn)

	stuck.Times(0)
	if err := f.tn.DeleteCatalog(f.ctx, "Sales", catAck("Sales")); err != nil {
		t.Fatalf("DeleteCatalog: %v", err)
	}
	if ls, err := f.tn.ResourceLocations(f.ctx); err != nil || len(ls) != 0 {
		t.Errorf("resource locations: %v, %v; want none", ls, err)
	}
	f.assertInventory(t, before)
	flextest.AssertNoOrphans(t, f.cloud, f.tn)
}

// TestAddConnectorsCleanupFailureIsRecorded: AddConnectors fails, a VM of
// a connector cannot be deleted and so neither can the subnet added for
// it. The location keeps that connector (Failed: the Tenant never heard
// back) and the subnet, and deleting its last catalog removes them.
func TestAddConnectorsCleanupFailureIsRecorded(t *testing.T) {
	f := fltNew(t)
	if _, err := f.tn.CreateConnection(f.ctx, flexSub, vpnSpec("v")); err != nil {
		t.Fatal(err)
	}
	before := f.inventory()
	spec := catJoined("Sales", 2, "v", "corp.example.com", "West")
	spec.Subscription = flexSub
	if _, err := f.tn.CreateCatalog(f.ctx, spec); err != nil {
		t.Fatal(err)
	}
	// The connectors' /28 has room for 11, two taken: of ten more, the
	// last needs a new subnet.
	lostVM(f, "WESTXCC-12")
	stuck := f.plan.On(fake.Delete, flex.TypeVirtualMachine).Named("WESTXCC-12").Fail(flex.ErrConflict)
	_, err := f.tn.AddConnectors(f.ctx, "West", flex.ConnectorRequest{Count: 10, ServiceAccount: `CORP\svc-flex`, Password: secret.New(catPassword)})
	if fe, ok := err.(*flex.Error); !ok || fe.Op != "AddConnectors" || !errors.Is(err, flex.ErrThrottled) || stuck.Fired() == 0 {
		t.Fatalf("AddConnectors: %T %v (deletion fault fired %d times); want its *flex.Error of kind ErrThrottled", err, err, stuck.Fired())
	}
	ls, err := f.tn.ResourceLocations(f.ctx)
	if err != nil || len(ls) != 1 {
		t.Fatalf("resource locations: %v, %v; want West", ls, err)
	}
	states := connectorStates(ls[0])
	if states["WESTXCC-12"] != "Failed/Unknown" { // RULE API-4
		t.Errorf("connector states %v; want WESTXCC-12 kept, Failed/Unknown", states)
	}
	if n := f.inventory()["location/West"]["networkSecurityGroups"]; n != 2 {
		t.Errorf("%d NSGs of the location; want 2, the new subnet's kept", n)
	}
	flextest.AssertNoOrphans(t, f.cloud, f.tn)

	stuck.Times(0)
	if err := f.tn.DeleteCatalog(f.ctx, "Sales", catAck("Sales")); err != nil {
		t.Fatalf("DeleteCatalog: %v", err)
	}
	f.assertInventory(t, before)
	flextest.AssertNoOrphans(t, f.cloud, f.tn)
}

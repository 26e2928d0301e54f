package providertest

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

// Concurrent use: many goroutines at once, with a consistent state after.
// Run the suite under -race. Errors inside goroutines are reported with
// Errorf, never Fatalf.

// checkConcurrentVMs: N VMs created at once in one subnet get N distinct
// usable addresses.
func checkConcurrentVMs(e *env) {
	b := e.base()
	const n = 32
	vms := make([]*flex.VirtualMachine, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			got, err := flex.PutAs(e.ctx, e.p, e.vm(fmt.Sprintf("vm-par-%02d", i), b.vnet, machines))
			if err != nil {
				e.t.Errorf("concurrent Put of VM %d: %v", i, err)
				return
			}
			vms[i] = got
		})
	}
	wg.Wait()
	seen := make(map[netip.Addr]string)
	for _, vm := range vms {
		if vm == nil {
			continue
		}
		e.wantUsable(pfx(machinesNet), vm)
		if other, dup := seen[vm.PrivateIP]; dup {
			e.t.Errorf("VMs %s and %s created at once share address %v", other, vm.ID.Name, vm.PrivateIP)
		}
		seen[vm.PrivateIP] = vm.ID.Name
	}
	if got := len(e.list(flex.Filter{Type: flex.TypeVirtualMachine})); got != n {
		e.t.Errorf("%d VMs after %d concurrent Puts; want %d", got, n, n)
	}
}

// checkConcurrentRetries: the same Put sent many times at once makes one
// VM; every Put that succeeds returns its one address. A Put may be
// refused with ErrConflict while another is in progress, as in Azure.
func checkConcurrentRetries(e *env) {
	b := e.base()
	const n = 16
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		addrs = make(map[netip.Addr]int)
	)
	for i := range n {
		wg.Go(func() {
			got, err := flex.PutAs(e.ctx, e.p, e.vm("vm-retried", b.vnet, machines))
			if err != nil {
				if !errors.Is(err, flex.ErrConflict) {
					e.t.Errorf("concurrent retry %d of one Put: %v; want success or ErrConflict", i, err)
				}
				return
			}
			mu.Lock()
			addrs[got.PrivateIP]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(addrs) != 1 {
		e.t.Errorf("concurrent retries of one Put returned the addresses %v; want one address", addrs)
	}
	if got := e.list(flex.Filter{Type: flex.TypeVirtualMachine}); len(got) != 1 {
		e.t.Errorf("concurrent retries of one Put made %d VMs: %v", len(got), ids(got))
	}
	if got := e.list(flex.Filter{Type: flex.TypeDisk}); len(got) != 1 {
		e.t.Errorf("concurrent retries of one Put made %d disks: %v", len(got), ids(got))
	}
}

// checkConcurrentMixed: Puts, Gets, Lists, Deletes and power actions at
// once on many resources, then exactly the expected state: each VM owned
// by one goroutine in the state its sequence leaves it in, the contested
// VM in some valid state, the NSGs that were kept and none of the others.
func checkConcurrentMixed(e *env) {
	b := e.base()
	const owned, deleted, nsgs = 6, 3, 12
	var vms []flex.ResourceID
	for i := range owned + deleted + 1 {
		vms = append(vms, e.newVM(b, fmt.Sprintf("vm-mix-%02d", i)).ID)
	}
	contested := vms[len(vms)-1]
	stop := make(chan struct{})
	var wg, readers sync.WaitGroup
	for i := range owned {
		wg.Go(func() {
			for _, a := range []flex.PowerAction{flex.PowerOff, flex.Start, flex.Restart, flex.Deallocate, flex.Start, flex.PowerOff} {
				if err := e.p.Power(e.ctx, vms[i], a); err != nil {
					e.t.Errorf("%s of %s: %v", a, vms[i].Name, err)
				}
			}
		})
	}
	for i := range deleted {
		wg.Go(func() {
			if err := e.p.Delete(e.ctx, vms[owned+i]); err != nil {
				e.t.Errorf("Delete %s: %v", vms[owned+i].Name, err)
			}
		})
	}
	for g := range 2 {
		wg.Go(func() {
			for _, a := range []flex.PowerAction{flex.PowerOff, flex.Start, flex.Deallocate, flex.Start, flex.Restart} {
				err := e.p.Power(e.ctx, contested, a)
				if err != nil && !errors.Is(err, flex.ErrConflict) {
					e.t.Errorf("contender %d: %s of %s: %v; want success or ErrConflict", g, a, contested.Name, err)
				}
			}
		})
	}
	for i := range nsgs {
		wg.Go(func() {
			n := e.nsg(baseGroup, fmt.Sprintf("nsg-mix-%02d", i), nsgRule("allow-https", 100+i, network.Inbound))
			if _, err := e.p.Put(e.ctx, n); err != nil {
				e.t.Errorf("Put %s: %v", n.ID.Name, err)
				return
			}
			if i%2 == 1 {
				if err := e.p.Delete(e.ctx, n.ID); err != nil {
					e.t.Errorf("Delete %s: %v", n.ID.Name, err)
				}
			}
		})
	}
	for range 3 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, id := range vms {
					if _, err := e.p.Get(e.ctx, id); err != nil && !errors.Is(err, flex.ErrNotFound) {
						e.t.Errorf("concurrent Get %s: %v", id.Name, err)
					}
				}
				if _, err := e.p.List(e.ctx, flex.Filter{Subscription: e.sub}); err != nil {
					e.t.Errorf("concurrent List: %v", err)
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()

	for i := range owned {
		e.wantPower(vms[i], flex.PowerStopped, "its owner's sequence")
	}
	for i := range deleted {
		e.wantGone(vms[owned+i], "after a concurrent Delete")
	}
	if got := get[*flex.VirtualMachine](e, contested); got.State != flex.Succeeded ||
		(got.PowerState != flex.PowerRunning && got.PowerState != flex.PowerStopped && got.PowerState != flex.PowerDeallocated) {
		e.t.Errorf("contested VM is %q in provisioning state %q; want running, stopped or deallocated, and Succeeded", got.PowerState, got.State)
	}
	for i := range nsgs {
		id := e.id(baseGroup, flex.TypeSecurityGroup, fmt.Sprintf("nsg-mix-%02d", i))
		if i%2 == 1 {
			e.wantGone(id, "after a concurrent Delete")
		} else if _, err := e.p.Get(e.ctx, id); err != nil {
			e.t.Errorf("Get %s after concurrent Puts: %v", id.Name, err)
		}
	}
	if got := len(e.list(flex.Filter{Type: flex.TypeVirtualMachine})); got != owned+1 {
		e.t.Errorf("%d VMs after the concurrent Deletes; want %d", got, owned+1)
	}
}

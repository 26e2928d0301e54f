package flex

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

// localAdmin is the local administrator account of the machines Flex makes.
const localAdmin = "flexadmin"

// localPassword returns a new random local administrator password for
// machines: 20 characters from t.rnd with upper and lower case letters,
// digits and a symbol, as Azure requires. It is a secret (SEC-1). It reads
// t.rnd under t.mu, which must not be held.
func (t *Tenant) localPassword() (secret.Value, error) {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
	var b [16]byte
	t.mu.Lock()
	_, err := io.ReadFull(t.rnd, b[:])
	t.mu.Unlock()
	if err != nil {
		return secret.Value{}, fmt.Errorf("flex: reading randomness for a machine password: %w", err)
	}
	out := make([]byte, 0, 20)
	out = append(out, 'A', 'a', '7', '#')
	for _, c := range b {
		out = append(out, alphabet[int(c)%len(alphabet)])
	}
	return secret.New(string(out)), nil
}

// ensureGroup puts a resource group owned by the Flex object owner.
func (t *Tenant) ensureGroup(ctx context.Context, id ResourceID, region network.Region, owner string) error {
	rg := &ResourceGroup{Meta: Meta{ID: id, Region: region, Tags: t.tags(owner)}}
	return t.call(ctx, "Put", id, func(ctx context.Context) error {
		_, err := t.provider.Put(ctx, rg)
		return err
	})
}

// deleteResource deletes one cloud resource.
func (t *Tenant) deleteResource(ctx context.Context, id ResourceID) error {
	return t.call(ctx, "Delete", id, func(ctx context.Context) error { return t.provider.Delete(ctx, id) })
}

// placement is where new machines go: the subnet of each, and the subnets
// added for them.
type placement struct {
	slots []*subnetSlot // one per machine
	added []*subnetSlot
}

// placeMachines chooses a subnet for each of n new machines: the free
// addresses of the existing subnets first (free[i] for existing[i], read
// under t.mu by the caller), then as many new subnets of the connection as
// the rest needs, each with an NSG of the policy (FW-1, FW-2). It changes
// no count; the caller records the placement under t.mu.
func (t *Tenant) placeMachines(ctx context.Context, conn *connection, owner string, existing []*subnetSlot, free []int, n int, policy network.FirewallPolicy) (placement, error) {
	var p placement
	p.slots = make([]*subnetSlot, 0, n)
	for i, s := range existing {
		for k := 0; k < free[i] && len(p.slots) < n; k++ {
			p.slots = append(p.slots, s)
		}
	}
	for len(p.slots) < n {
		need := n - len(p.slots)
		sn, err := t.addSubnet(ctx, conn, owner, need, policy)
		if err != nil {
			return p, errors.Join(err, t.dropSubnets(context.WithoutCancel(ctx), conn, p.added))
		}
		s := &subnetSlot{s: sn}
		p.added = append(p.added, s)
		f := s.free()
		if f <= 0 {
			return p, errors.Join(Errorf(ErrLimit, "AddSubnet", owner, "subnet %s of %s has no usable address", sn.Name, sn.Prefix),
				t.dropSubnets(context.WithoutCancel(ctx), conn, p.added))
		}
		for k := 0; k < f && len(p.slots) < n; k++ {
			p.slots = append(p.slots, s)
		}
	}
	return p, nil
}

// dropSubnets removes subnets added for work that failed. Removing one
// that is gone already succeeds, so a failed drop can be repeated.
func (t *Tenant) dropSubnets(ctx context.Context, conn *connection, slots []*subnetSlot) error {
	var errs []error
	for _, s := range slots {
		errs = append(errs, t.removeSubnet(ctx, conn, s.s))
	}
	return errors.Join(errs...)
}

// remainingSubnets returns the slots whose subnet the connection still
// has: those a failed drop left, which the owner records so that its
// deletion removes them. t.mu must be held.
func remainingSubnets(conn *connection, slots []*subnetSlot) []*subnetSlot {
	if conn == nil {
		return nil
	}
	var out []*subnetSlot
	for _, s := range slots {
		if slices.ContainsFunc(conn.subnets, func(x *subnetUse) bool { return x.Name == s.s.Name }) {
			out = append(out, s)
		}
	}
	return out
}

var zoneText = [...]string{"", "1", "2", "3"}

// zoneName returns the Azure zone name of zone z ("" for none).
func zoneName(z int) string {
	if z >= 1 && z <= 3 {
		return zoneText[z]
	}
	return ""
}

func zoneNames(zs []int) []string {
	out := make([]string, len(zs))
	for i, z := range zs {
		out[i] = zoneName(z)
	}
	return out
}

// sizer chooses the VM size of the next machine (CAT-14): the catalog's
// size until the cloud reports no capacity for it, then the backup size.
// It is safe for concurrent use by the workers of one operation.
type sizer struct {
	sizes catalog.Sizes
	mu    sync.Mutex
	out   map[string]bool // sizes found without capacity
}

// next returns the size to use now.
func (s *sizer) next() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sizes.Choose(func(size string) bool { return !s.out[size] })
}

// exhausted records that size had no capacity.
func (s *sizer) exhausted(size string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.out == nil {
		s.out = map[string]bool{}
	}
	s.out[size] = true
}

// putMachine creates one VM from the template vm (its size chosen by sz),
// falling back to the backup size when the cloud has no capacity for the
// catalog's size (CAT-14). It returns the VM as the cloud holds it.
func (t *Tenant) putMachine(ctx context.Context, sz *sizer, vm *VirtualMachine) (*VirtualMachine, error) {
	for {
		size, err := sz.next()
		if err != nil {
			return nil, &Error{Kind: ErrCapacity, Op: "Put", Object: vm.ID.String(), Err: err}
		}
		vm.Size = size
		got, err := putAs(ctx, t, vm)
		if err == nil {
			return got, nil
		}
		if !errors.Is(err, ErrCapacity) {
			return nil, err
		}
		sz.exhausted(size)
	}
}

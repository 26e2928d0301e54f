package flex_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"pgregory.net/rapid"
)

// TestCatalogStateMachine drives a Tenant's catalogs on the fake with
// random creations, machine additions and deletions, catalog deletions and
// failures, against a model that counts machines per catalog. After every
// step it checks the invariants:
//
//   - the cloud holds exactly the model's machines, catalog by catalog,
//     with unique names made by each catalog's scheme (NAM), and nothing
//     owned by a catalog that does not exist (nothing orphaned);
//   - the ledger counts what the cloud holds, with nothing left reserved,
//     and stays below LIM-4;
//   - a request the limit cannot take is refused and changes nothing;
//   - resource locations exist exactly for the regions in use (RL-1).
func TestCatalogStateMachine(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		l := quota.DefaultLimits()
		l.VDAsPerSubscription = 30
		e, f := catFaulty(t, catOpts{limits: &l, workers: 3})
		model := map[string]int{}              // catalog → machines
		regions := map[string]network.Region{} // catalog → region
		names := []string{"Alpha", "Bravo", "Charlie", "Delta"}
		total := func() int {
			n := 0
			for _, v := range model {
				n += v
			}
			return n
		}
		rt.Repeat(map[string]func(*rapid.T){
			"create": func(rt *rapid.T) {
				name := rapid.SampledFrom(names).Draw(rt, "name")
				users := rapid.IntRange(1, 12).Draw(rt, "users")
				static := rapid.Bool().Draw(rt, "static")
				region := rapid.SampledFrom([]network.Region{network.WestEurope, network.WestUS}).Draw(rt, "region")
				s := catMulti(name, users)
				machines := (users + 7) / 8
				if static {
					s = catStatic(name, users)
					machines = users
				}
				s.Region = region
				_, err := e.tn.CreateCatalog(e.ctx, s)
				_, exists := model[name]
				switch {
				case exists:
					if !errors.Is(err, flex.ErrConflict) {
						rt.Fatalf("creating %s again = %v, want ErrConflict (CAT-5)", name, err)
					}
				case total()+machines >= l.VDAsPerSubscription:
					if !errors.Is(err, flex.ErrLimit) {
						rt.Fatalf("creating %s with %d machines at %d = %v, want ErrLimit (LIM-4)", name, machines, total(), err)
					}
				case err != nil:
					rt.Fatalf("creating %s: %v", name, err)
				default:
					model[name], regions[name] = machines, region
				}
			},
			"add machines": func(rt *rapid.T) {
				if len(model) == 0 {
					rt.Skip("no catalog")
				}
				name := rapid.SampledFrom(slices.Sorted(maps.Keys(model))).Draw(rt, "catalog")
				users := rapid.IntRange(1, 6).Draw(rt, "users")
				c, err := e.tn.Catalog(e.ctx, name)
				if err != nil {
					rt.Fatal(err)
				}
				machines := users
				if c.MachineType == quota.MultiSessionMachine {
					machines = (users + 7) / 8
				}
				fail := rapid.Bool().Draw(rt, "fail")
				if fail {
					f.set(func(f *faults) {
						f.put = func(r flex.Resource) error {
							if _, ok := r.(*flex.VirtualMachine); ok {
								return &flex.Error{Kind: flex.ErrConflict, Op: "Put", Err: errors.New("boom")}
							}
							return nil
						}
					})
				}
				_, err = e.tn.AddMachines(e.ctx, name, catalog.AddMachinesRequest{Users: users})
				f.set(func(f *faults) { f.put = nil })
				switch {
				case total()+machines >= l.VDAsPerSubscription:
					if !errors.Is(err, flex.ErrLimit) {
						rt.Fatalf("adding %d to %s at %d = %v, want ErrLimit (LIM-4)", machines, name, total(), err)
					}
				case fail:
					if err == nil {
						rt.Fatalf("adding to %s succeeded through a failing cloud", name)
					}
				case err != nil:
					rt.Fatalf("adding to %s: %v", name, err)
				default:
					model[name] += machines
				}
			},
			"delete a machine": func(rt *rapid.T) {
				if len(model) == 0 {
					rt.Skip("no catalog")
				}
				name := rapid.SampledFrom(slices.Sorted(maps.Keys(model))).Draw(rt, "catalog")
				ms, err := e.tn.Machines(e.ctx, name)
				if err != nil || len(ms) == 0 {
					rt.Skip("no machine")
				}
				m := rapid.SampledFrom(ms).Draw(rt, "machine")
				if _, err := e.tn.MachineAction(e.ctx, name, m.Name, catalog.Delete); err != nil {
					rt.Fatalf("deleting %s of %s: %v", m.Name, name, err)
				}
				model[name]--
			},
			"delete a catalog": func(rt *rapid.T) {
				if len(model) == 0 {
					rt.Skip("no catalog")
				}
				name := rapid.SampledFrom(slices.Sorted(maps.Keys(model))).Draw(rt, "catalog")
				if err := e.tn.DeleteCatalog(e.ctx, name, catAck(name)); err != nil {
					rt.Fatalf("deleting %s: %v", name, err)
				}
				delete(model, name)
				delete(regions, name)
			},
			"": func(rt *rapid.T) {
				// Invariants.
				got := map[string]int{}
				for _, v := range e.vms("") {
					owner := v.Tags[flex.TagOwner]
					if !strings.HasPrefix(owner, "catalog/") {
						continue
					}
					got[strings.TrimPrefix(owner, "catalog/")]++
				}
				want := map[string]int{}
				for k, v := range model {
					if v > 0 {
						want[k] = v
					}
				}
				if !maps.Equal(want, got) {
					rt.Fatalf("machines in the cloud %v, model %v", got, want)
				}
				for _, n := range names {
					if _, ok := model[n]; !ok && len(e.owned("catalog/"+n)) > 0 {
						rt.Fatalf("catalog %s is gone but owns %d resources", n, len(e.owned("catalog/"+n)))
					}
				}
				for n := range model {
					ms, err := e.tn.Machines(e.ctx, n)
					if err != nil {
						rt.Fatal(err)
					}
					seen := map[string]bool{}
					for _, m := range ms {
						if seen[m.Name] || !strings.HasPrefix(m.Name, n[:3]+"-") {
							rt.Fatalf("machine name %s of %s repeats or breaks its scheme", m.Name, n)
						}
						seen[m.Name] = true
					}
				}
				u := e.tn.Usage()
				if u.Subscriptions != nil {
					for _, s := range u.Subscriptions {
						if s.VDAs.Reserved != 0 || s.Name == "Sub1" && s.VDAs.InUse != total() {
							rt.Fatalf("ledger %+v, model total %d", s.VDAs, total())
						}
					}
				}
				if total() >= l.VDAsPerSubscription {
					rt.Fatalf("LIM-4 broken: %d VDAs", total())
				}
				inUse := map[network.Region]bool{}
				for _, r := range regions {
					inUse[r] = true
				}
				ls, _ := e.tn.ResourceLocations(e.ctx)
				if len(ls) != len(inUse) {
					rt.Fatalf("resource locations %d, regions in use %v", len(ls), inUse)
				}
				if u.Catalogs.InUse != len(model) || u.ResourceLocations.InUse != len(inUse) {
					rt.Fatalf("usage %d catalogs, %d locations; want %d, %d", u.Catalogs.InUse, u.ResourceLocations.InUse, len(model), len(inUse))
				}
			},
		})
	})
}

// Package flextest provides generators and helpers for property-based tests
// of programs that use daasflex, the way net/http/httptest helps tests of
// HTTP code.
//
// The smallest use checks a property of your own code against every
// address plan rapid can think of:
//
//	func TestPlannerNeverOverlaps(t *testing.T) {
//		rapid.Check(t, func(t *rapid.T) {
//			plan := flextest.DisjointPlan(netip.MustParsePrefix("10.0.0.0/16"), 16, 26, 40).Draw(t, "plan")
//			got := myplanner.Next(plan, 24) // your code
//			for _, e := range plan {
//				if e.Prefix.Overlaps(got) {
//					t.Fatalf("handed out %v, which overlaps %v", got, e)
//				}
//			}
//		})
//	}
//
// # Generators
//
// Every generator is a pgregory.net/rapid *Generator of an input an
// administrator builds, and documents what it guarantees: valid by
// construction, which the daasflex validation of that input accepts, or
// invalid in exactly the way asked for, breaking the one rule named. The
// package's own tests prove each guarantee with rapid.Check.
//
//   - Addresses: Prefix, PrefixIn, PrivatePrefix (canonical IPv4 prefixes)
//     and DisjointPlan (owner-labelled prefixes that never overlap, for
//     ipam.Space; MustSpace builds the Space).
//   - Naming: SchemeText and Scheme (schemes naming.Parse accepts) and
//     SchemeBreaking (schemes that break exactly one NAM rule, or AZ-7).
//   - Network: ConnectionName, Region, PreSharedKey, Route, Routes,
//     FirewallPolicy, and connection specs of every kind valid against the
//     address space in use: NoConnectivitySpec, PeeringSpec, VPNSpec,
//     VWANSpec and ConnectionSpec.
//   - Images: ImportFacts (passing IMG-5), ImportFactsFailing (failing
//     exactly one of its requirements) and VDAVersion.
//   - Catalogs: CatalogSpec and CatalogSpecFor (specs valid against a
//     connection, for every persona and machine type), TenantCatalogSpec
//     (specs for Tenant.CreateCatalog), Persona, CatalogName, UserID,
//     Users, Principal, Principals, CommandLine, App and Apps.
//   - Faults: TransientFaults, plans of cloud faults a Tenant's retries
//     absorb, for the in-memory cloud's fault injection (fake.Plan).
//
// A generator asked for something impossible (a /33, a rule it cannot
// break, a catalog on an unusable connection) panics when it is made: that
// is a mistake in the test. A generator that cannot draw a value for the
// state it is given (no free address range left in the space in use) fails
// the test.
//
// # Helpers
//
// NewTenant returns a flex.Tenant on the in-memory cloud (package fake)
// with a manual clock and a subscription, in one call; WithFaults puts a
// fault plan under it, and Switch lets a test of its own make change the
// provider under a Tenant between steps. AssertNoOrphans checks that every cloud resource
// tagged for the tenant belongs to a live Flex object, AssertLimitsHold that
// the tenant's usage keeps its limits, and AssertNoSecretLeak that no
// secret shows in what values print or encode; each reports with go-cmp
// diffs or redacted output. UsedSpace and ConnectionFacts read a Tenant's
// state for the generators. The helpers take a TB, which *testing.T and
// *rapid.T both are, so they work in plain tests and inside rapid.Check.
package flextest

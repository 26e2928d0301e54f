// Package flextest provides generators and helpers for property-based tests
// of programs that use daasflex, the way net/http/httptest helps tests of
// HTTP code.
//
// The generators are pgregory.net/rapid generators of every input an
// administrator builds: address ranges and disjoint address plans, naming
// schemes, connection specs, routes, firewall policies, image import facts,
// catalog specs, users, apps and command lines. Each documents what it
// guarantees: valid by construction (the package's own validation accepts
// every value), or invalid in exactly the way asked for, breaking the one
// rule named. The smallest use checks a property of your own code against
// every address plan:
//
//	func TestPlannerNeverOverlaps(t *testing.T) {
//		rapid.Check(t, func(t *rapid.T) {
//			plan := flextest.DisjointPlan(netip.MustParsePrefix("10.0.0.0/8"), 16, 24, 20).Draw(t, "plan")
//			// … give plan to your planner and check what it hands out …
//		})
//	}
//
// Generators panic when asked for something impossible (a /33, a rule they
// cannot break): that is a mistake in the test, not in the code under test.
package flextest

// Package providertest is the conformance suite every flex.Provider must
// pass: the in-memory cloud of package fake and the Azure provider run the
// same checks, so that a Tenant tested on one behaves the same on the
// other. It is written in the style of Go CDK's drivertest: a provider's
// own test supplies a Harness that makes a fresh, empty cloud, and Run
// checks every Provider method against Azure's contract.
//
// The smallest use, in a provider's test:
//
//	func TestConformance(t *testing.T) {
//		providertest.Run(t, func(t *testing.T) providertest.Harness {
//			return myHarness{} // Provider returns a new empty cloud per call
//		})
//	}
//
// # What is checked
//
// Create, get, list and delete of every resource type; ARM semantics (a
// Put needs its resource group, a Get of a missing resource is
// ErrNotFound, a Delete of one succeeds, deleting a group deletes what is
// in it, a retried Put makes no duplicate and keeps what the cloud
// assigned, List is sorted by ID and filtered by group, type and tags,
// tags round-trip, what goes in and out is a copy); conflicts; the Azure
// facts of RULES.md AZ-1 to AZ-9; private addresses; power transitions,
// snapshots, restore, disk access and key rotation; context cancellation;
// ErrorAs; and concurrent use (run the suite under -race).
//
// Checks are named by group and check, such as "AZ-2/PriorityRange" or
// "ARM/GetMissing"; a check of an Azure rule is in the group of its rule ID.
//
// # What a check may assert
//
// Only what Azure itself guarantees, so that the Azure provider passes
// too: error kinds (errors.Is with flex.ErrNotFound, flex.ErrConflict,
// flex.ErrInvalid, flex.ErrCapacity …) and that an error's message names
// the resource concerned; never the text of one provider's messages, its
// rule IDs or its codes. The kinds follow package flex: a request that is
// wrong whatever the cloud holds (a reserved range, a bad priority, an
// unknown SKU) is ErrInvalid; one refused because of what the cloud holds
// (an overlapping peered VNet, a resource in use, a power action the VM's
// state does not allow, a full subnet) is ErrConflict, whatever HTTP
// status Azure answers with (Azure gives 400 for some in-use errors; a
// provider maps them by code). A reference to a resource that does not
// exist may be ErrNotFound or ErrInvalid, as Azure answers both.
//
// # Optional capabilities
//
// A Harness may implement more interfaces for checks that cannot be made
// through flex.Provider alone: Capacity (ErrCapacity), Clock (a manual
// clock), Customer (the customer's own resources, such as a Virtual WAN
// hub), Tenant and Tenants (SEC-2), NativeErrors (ErrorAs) and
// KnownFailures. A check whose capability is missing logs that it was
// skipped (t.Log, not t.Skip) and passes, and Run logs the list at the end.
//
// # Known failures
//
// A provider that does not yet pass a check lists it in KnownFailures.
// The check still runs: its failures are logged loudly instead of failing
// the test, and if it passes the test fails, so that the list never goes
// stale. A name in the list that is no check fails the test too.
package providertest

// Package flex is the DaaS Flex control plane: a Tenant that performs every
// Flex operation — subscriptions, network connections, images, catalogs,
// machines, users, apps, snapshots, resource locations, troubleshooting and
// keys — and enforces every rule that spans objects, over a cloud Provider.
//
// The Provider interface speaks in cloud terms (virtual networks, NSGs,
// virtual machines, snapshots …) so that Azure implements it one to one.
// Package fake provides an in-memory cloud for tests; package azure, real
// Azure.
//
// Errors match one of a closed list of kinds with errors.Is (ErrNotFound,
// ErrConflict, ErrInvalid, ErrLimit, ErrBusy, ErrPrecondition, …) and name
// the object they concern.
package flex

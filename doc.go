// Package daasflex is a Go SDK that models DaaS Flex for Azure, the
// persona-based virtual-desktop service: subscriptions, network connections
// (no connectivity, VNet peering, Azure VPN gateway, Virtual WAN spoke),
// resource locations and Cloud Connectors, images, catalogs, machines, apps,
// users, snapshots, troubleshooting bastions, customer-managed keys and
// delegated administration.
//
// Every rule of the product is numbered in the project's rule catalog (NAM-3,
// LIM-4, FW-2 …), enforced in code and named by a test. Validation reports
// every problem at once, each with its rule ID, the offending value and what
// would be accepted; see package rule.
//
// # Packages
//
// The pure cores do no I/O and are safe to use anywhere:
//
//   - ipam: address planning on net/netip — strict prefix parsing, Azure's
//     usable-address arithmetic and an owner-labelled address space that
//     finds overlaps and allocates free blocks.
//   - naming: machine naming schemes with wildcard growth and exact capacity.
//   - quota: the service's limits, persona capacity and a reservation ledger
//     that concurrent operations cannot overshoot.
//   - network: connection specs of every kind, custom routes with an
//     effective-route lookup, and the generated NSG rules with an evaluator
//     that applies Azure's semantics.
//   - image and catalog: images, builds and imports; catalogs, machines,
//     apps, users and snapshots as validated values and state machines.
//   - rule and secret: rule violations as errors, and values (passwords,
//     pre-shared keys, client secrets) that never print.
//
// # Providers
//
// The control plane talks to the cloud through a provider interface with two
// implementations: real Azure, through the official Azure SDK for Go, and an
// in-memory cloud simulator for hermetic tests that enforces what Azure
// enforces.
package daasflex

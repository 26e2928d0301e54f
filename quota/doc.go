// Package quota holds the limits of a DaaS Flex tenant (LIM-1…LIM-9), the
// persona table that turns users into machines (CAT-1, CAT-2) and a Ledger
// that admits changes against the limits so that concurrent operations can
// never together overshoot one.
//
// Admission is a two-step reservation: Reserve checks a Change against every
// limit it touches and holds the amounts it adds; Commit makes them usage,
// Release gives them back. A refusal matches ErrLimit and lists one
// *LimitError per limit the change would pass, each saying which limit, the
// usage with its breakdown and the request:
//
//	var l quota.Ledger // zero value: DefaultLimits
//	r, err := l.Reserve(quota.Change{Subscription: "Citrix Managed", Catalog: "Cat1", Catalogs: 1, VDAs: 20})
//	if err != nil {
//		return err // errors.Is(err, quota.ErrLimit) when a limit refused it
//	}
//	defer r.Release() // no-op once committed
//	// … create the catalog …
//	return r.Commit()
//
// The package is pure: no I/O and no mutable package state.
package quota

package flex

// Temporary stubs of lookups that key.go is to provide, so that the image
// and troubleshooting code compiles and runs before they land. Delete each
// one when its real function is on main.

import "fmt"

// keyFor returns the key vault key of the subscription named name (stub of
// key.go: no key exists until it lands). t.mu held.
func (t *Tenant) keyFor(op, subscription, name string) (ResourceID, error) {
	return ResourceID{}, refuse(ErrNotFound, op, fmt.Sprintf("key %q", name), "KEY-2", "subscription %q has no key named %q; add it first", subscription, name)
}

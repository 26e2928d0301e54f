package flex

// Temporary stubs of the parts of RunDue that the connection area owns,
// with the agreed signature; each goes when its owner's version lands.

import (
	"context"
	"time"

	"github.com/daasflex/daasflex/network"
)

// dueConnections reports connections stuck provisioning (NET-12). Owned by
// connections.
func (t *Tenant) dueConnections(ctx context.Context, now time.Time) ([]string, []network.Warning, error) {
	return nil, nil, nil
}

// dueKeys warns of keys past their rotation time (KEY-2). Owned by
// connections.
func (t *Tenant) dueKeys(ctx context.Context, now time.Time) ([]string, []network.Warning, error) {
	return nil, nil, nil
}

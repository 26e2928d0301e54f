package flex

import (
	"context"
	"time"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
)

// Hooks for the external tests of images and troubleshooting.

// DueBastionsForTest runs the bastions' part of RunDue at the clock's now.
func (t *Tenant) DueBastionsForTest(ctx context.Context) ([]string, []network.Warning, error) {
	return t.dueBastions(ctx, t.now())
}

// NowForTest returns the tenant's clock.
func (t *Tenant) NowForTest() time.Time { return t.now() }

// ImageForTest calls imageFor, the lookup catalogs use.
func ImageForTest(t *Tenant, subscription, name string) (image.Image, ImageRef, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.imageFor("test", subscription, name)
}

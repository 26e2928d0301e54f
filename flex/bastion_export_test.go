package flex

import "github.com/daasflex/daasflex/image"

// Hooks for the external tests of images and troubleshooting.

// ImageForTest calls imageFor, the lookup catalogs use.
func ImageForTest(t *Tenant, subscription, name string) (image.Image, ImageRef, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.imageFor("test", subscription, name)
}

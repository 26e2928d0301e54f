package flex

import (
	"context"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
)

// Hooks for the external tests of images and troubleshooting.

// CatalogForTest records a catalog as CreateCatalog would, without cloud
// work: its subscription, connection, domain type, image and machines. It
// stands in for CreateCatalog until that lands.
func (t *Tenant) CatalogForTest(name, subscription, connection string, domain image.DomainType, imageName string, machines ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.catalogs == nil {
		t.catalogs = make(map[string]*catalogObj)
	}
	c := &catalogObj{name: name, subscription: subscription, connection: connection, domain: domain, image: imageName}
	for _, m := range machines {
		c.machines = append(c.machines, &machineObj{m: catalog.Machine{Name: m, Image: imageName}})
	}
	t.catalogs[fold(name)] = c
}

// CatalogImageForTest returns the image a catalog's new machines are made
// from, and those of its machines.
func (t *Tenant) CatalogImageForTest(name string) (string, []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.catalogs[fold(name)]
	var ms []string
	for _, m := range c.machines {
		ms = append(ms, m.m.Image)
	}
	return c.image, ms
}

// DueBastionsForTest runs the bastions' part of RunDue at the clock's now.
func (t *Tenant) DueBastionsForTest(ctx context.Context) ([]string, []network.Warning, error) {
	return t.dueBastions(ctx, t.now())
}

// NowForTest returns the tenant's clock.
func (t *Tenant) NowForTest() time.Time { return t.now() }

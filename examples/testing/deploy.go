// Package deploy is an example of a platform team's own automation on top
// of the daasflex SDK, and its tests (deploy_test.go) show how to test such
// automation without a cloud account: on the in-memory cloud of package
// fake, with a manual clock, with faults injected, recording the calls that
// reach the cloud, and asserting what the cloud holds afterwards.
//
// The automation is Provision: it gives a department a VNet peering to the
// corporate hub and a domain-joined catalog on it, and can be run again and
// again, as a pipeline does. It leaves the cloud's hiccups to the SDK and
// to the catalog's backup VM size (CAT-14), retries what the SDK gave up on
// when another try may succeed (throttling, a transient error, a busy
// catalog), and never retries a mistake:
//
//	cat, err := deploy.Provision(ctx, tenant, deploy.Department{…}, deploy.Retry{})
//
// The tests show, each in a few lines:
//
//   - a Tenant over fake.New with a manual clock (fake.NewClock,
//     fake.WithClock and flex.WithClock), so that waiting takes no time;
//   - a fault plan (fake.NewPlan, fake.WithFaults): no capacity for the
//     primary VM size, after which the machines are made with the backup
//     size, and throttling, which the Tenant's retries ride out, or which
//     outlasts them and Provision's own retry rides out;
//   - a recorder (fake.Record) to assert which calls were made and how they
//     ended: a refused request, or a second run, only reads the cloud;
//   - the fake's inspection API (Cloud.Resources, Cloud.Count) to assert
//     what the cloud holds, by the tags every resource carries.
//
// This directory is called testing because of what it teaches; the
// package is deploy, after what it does.
package deploy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
)

// Department is what a department gets: a connection peered with the
// corporate hub and a multi-session catalog for its users, both named after
// the department.
type Department struct {
	Name         string // such as "Sales"; names the connection and the catalog
	Subscription string // the Flex subscription
	Region       network.Region
	Hub          network.ResourceID // the corporate hub VNet to peer with
	Range        netip.Prefix       // the department's Flex range, at least a /24
	DNS          []netip.Addr       // the domain controllers
	Users        []string
	AD           image.ADConfig
	// VMSize is the machines' size and BackupVMSize the size used when the
	// region has no capacity for it (CAT-14).
	VMSize, BackupVMSize string
}

// Retry is how Provision retries an operation that failed in a way another
// try may cure. The zero value makes 3 attempts, 30 seconds apart at
// first, waiting on the real clock.
type Retry struct {
	Attempts int           // attempts in all; 0 means 3
	Backoff  time.Duration // the first wait, doubled after each; 0 means 30 s
	// Sleep waits d or until ctx ends; nil waits on a real timer. Tests
	// pass one that advances a manual clock.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Transient reports whether err is worth another try later: the cloud
// throttled or failed for a moment longer than the Tenant's own retries
// lasted, or the catalog is busy with another operation (CAT-6). Invalid
// requests, limits, missing capacity and failed preconditions are not.
func Transient(err error) bool {
	return errors.Is(err, flex.ErrThrottled) || errors.Is(err, flex.ErrUnavailable) || errors.Is(err, flex.ErrBusy)
}

// do runs op until it succeeds, fails for good, or the attempts are spent.
func (r Retry) do(ctx context.Context, op func() error) error {
	attempts, wait := cmp.Or(r.Attempts, 3), cmp.Or(r.Backoff, 30*time.Second)
	for attempt := 1; ; attempt++ {
		err := op()
		if err == nil || attempt >= attempts || !Transient(err) {
			return err
		}
		if serr := r.sleep(ctx, wait); serr != nil {
			return errors.Join(serr, err)
		}
		wait *= 2
	}
}

func (r Retry) sleep(ctx context.Context, d time.Duration) error {
	if r.Sleep != nil {
		return r.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Provision makes sure the department's connection and catalog exist and
// returns the catalog. What exists already is kept, so running it again
// changes nothing.
func Provision(ctx context.Context, tn *flex.Tenant, d Department, r Retry) (flex.Catalog, error) {
	err := r.do(ctx, func() error {
		_, err := tn.CreateConnection(ctx, d.Subscription, network.PeeringSpec{
			Name: d.Name, Region: d.Region, RemoteVNet: d.Hub, Range: d.Range, DNS: d.DNS,
		})
		if errors.Is(err, flex.ErrConflict) && exists(ctx, tn, d.Name) {
			return nil // made by an earlier run
		}
		return err
	})
	if err != nil {
		return flex.Catalog{}, fmt.Errorf("connection %q: %w", d.Name, err)
	}
	persona, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	var c flex.Catalog
	err = r.do(ctx, func() error {
		var err error
		if c, err = tn.Catalog(ctx, d.Name); err == nil || !errors.Is(err, flex.ErrNotFound) {
			return err // made by an earlier run, or the lookup failed
		}
		c, err = tn.CreateCatalog(ctx, flex.CatalogSpec{Spec: catalog.Spec{
			Name: d.Name, Persona: persona, MachineType: quota.MultiSessionMachine, Users: d.Users,
			Subscription: d.Subscription, Connection: d.Name,
			Domain: image.ActiveDirectory, AD: d.AD, ResourceLocation: d.Name,
			Connectivity: catalog.GatewayService, Schedule: catalog.WorkSchedule{TimeZone: "UTC"},
			VMSize: d.VMSize, BackupVMSize: d.BackupVMSize,
		}, Image: "Windows Server 2022 (multi-session)"})
		return err
	})
	if err != nil {
		return flex.Catalog{}, fmt.Errorf("catalog %q: %w", d.Name, err)
	}
	return c, nil
}

// exists reports whether the tenant has a connection named name.
func exists(ctx context.Context, tn *flex.Tenant, name string) bool {
	cs, err := tn.Connections(ctx)
	for _, c := range cs {
		if c.Name == name {
			return err == nil
		}
	}
	return false
}

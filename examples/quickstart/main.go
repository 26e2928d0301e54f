// Command quickstart walks the DaaS Flex administrator's journey of the
// documentation on an in-memory Azure, in a few seconds and without an
// account:
//
//	go run ./examples/quickstart
//
// It adds a subscription, peers a customer's hub VNet with a custom route
// to their firewall, builds an image and finishes it, creates a
// domain-joined Task worker catalog for 2,000 users, gives it a group and
// an app, adds machines, moves the catalog to the new image, takes
// scheduled and manual snapshots of a small static catalog and restores
// one, creates a bastion and checks which RDP flows the firewall allows,
// and deletes everything again. Each step is told in one line, with the
// simulated clock's time; long work shows a progress bar (plain progress
// lines when the output is not a terminal). It ends with tables of what
// the journey built: the connections with their address ranges, the
// catalogs with their machines and personas, the NSG rules in force on the
// catalog's subnets as the cloud holds them, and the quota used against the
// limits.
//
// Everything random — the default machine naming scheme (NAM-9), machine
// passwords, transaction IDs — comes from -seed, and time from a manual
// clock, so two runs with the same seed print the same output:
//
//	go run ./examples/quickstart -seed 7 -users 400
//
// The program uses only the public API: flex.NewTenant over the fake
// cloud's view of one tenant (fake.New, Cloud.Scope) with flex.WithClock,
// flex.WithRandom and flex.WithProgress, and the fake's inspection API
// (Cloud.Resources, Cloud.Allowed) for what the cloud holds. Replace the
// provider with the azure package's to run the same calls against Azure.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	var o options
	flag.Uint64Var(&o.Seed, "seed", 1, "seed of everything random: the default naming scheme, passwords, transaction IDs")
	flag.IntVar(&o.Users, "users", 2000, "users of the Task worker catalog (8 share a machine)")
	flag.Parse()
	o.Terminal = isTerminal(os.Stdout)
	if err := run(os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// options configure run.
type options struct {
	// Seed seeds the Tenant's source of randomness (flex.WithRandom).
	Seed uint64
	// Users is how many users the Task worker catalog is for.
	Users int
	// Terminal redraws a progress bar in place instead of writing
	// progress lines.
	Terminal bool
}

// isTerminal reports whether f is a terminal (a character device) rather
// than a file or a pipe.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// run walks the journey and writes its story and the final tables to w.
func run(w io.Writer, o options) error {
	j, err := newJourney(w, o)
	if err != nil {
		return err
	}
	return j.walk()
}

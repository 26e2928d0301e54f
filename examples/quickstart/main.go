// Command quickstart plans a small DaaS Flex deployment with the SDK's pure
// cores and prints the plan: the address range for a VNet peering next to the
// customer's networks, the machines a Task worker catalog needs, their names,
// and the NSG rules Flex would put on the managed VNet.
//
// It touches no cloud. Run it with:
//
//	go run ./examples/quickstart
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"os"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/naming"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
)

func main() {
	seed := flag.Uint64("seed", 1, "seed for the random part of the default naming scheme")
	users := flag.Int("users", 2000, "users of the Task worker catalog")
	flag.Parse()
	if err := run(os.Stdout, *seed, *users); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func seedBytes(seed uint64) (b [32]byte) {
	for i := range 8 {
		b[i] = byte(seed >> (8 * i))
	}
	return b
}

func run(w io.Writer, seed uint64, users int) error {
	// The customer's networks: a hub VNet peered to Flex and an on-premises range.
	var space ipam.Space
	if err := space.Add("customer VNet hub-vnet", ipam.MustParsePrefix("10.0.0.0/16")); err != nil {
		return err
	}
	if err := space.Add("on-premises", ipam.MustParsePrefix("192.168.0.0/20")); err != nil {
		return err
	}

	// NET-4/NET-5: the docs' own example — 10.0.0.0/24 overlaps the hub.
	fmt.Fprintln(w, "== Address plan")
	if err := space.Clone().Add("Flex connection hub-peering", ipam.MustParsePrefix("10.0.0.0/24")); err != nil {
		fmt.Fprintln(w, "refused:", err)
	}
	flexRange, err := space.Allocate("Flex connection hub-peering", ipam.MustParsePrefix("172.16.0.0/12"), 21)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Flex range for hub-peering: %s (%s)\n", flexRange, ipam.Describe(flexRange))
	for _, e := range space.Entries() {
		fmt.Fprintf(w, "  %-18s %s\n", e.Prefix, e.Owner)
	}

	// CAT-2: a multi-session Task worker medium persona puts 8 users on a machine.
	fmt.Fprintln(w, "\n== Catalog Sales (Task worker medium)")
	persona, ok := quota.PersonaByName(quota.TaskWorkerMedium)
	if !ok {
		return errors.New("no Task worker medium persona")
	}
	machines, err := quota.Machines(persona.UsersPerMachine, users)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d users / %d per machine = %d machines\n", users, persona.UsersPerMachine, machines)
	if usable := ipam.Usable(flexRange); machines > usable {
		return fmt.Errorf("%d machines do not fit the %d usable addresses of %s", machines, usable, flexRange)
	}

	// NAM-9: the default naming scheme, its capacity and the first names.
	scheme, err := naming.Default("EASTU", rand.NewChaCha8(seedBytes(seed)))
	if err != nil {
		return err
	}
	if err := scheme.Check(machines); err != nil {
		return err
	}
	first, _ := scheme.Name(1)
	last, _ := scheme.Name(machines)
	fmt.Fprintf(w, "naming scheme %s (capacity %d): %s … %s\n", scheme, scheme.Capacity(), first, last)

	// FW-2: the NSG rules of a domain-joined managed VNet.
	fmt.Fprintln(w, "\n== NSG rules of the managed VNet (domain-joined)")
	policy := network.FirewallPolicy{
		DomainJoined: true,
		VNet:         []netip.Prefix{flexRange},
		Connected:    []netip.Prefix{ipam.MustParsePrefix("10.0.0.0/16"), ipam.MustParsePrefix("192.168.0.0/20")},
	}
	if err := policy.Validate(); err != nil {
		return err
	}
	rules := network.SecurityRules(policy)
	for _, r := range rules {
		fmt.Fprintln(w, " ", r)
	}
	vda := flexRange.Addr().Next().Next().Next().Next()
	for _, f := range []network.Flow{
		{Direction: network.Inbound, Protocol: network.TCP, Source: netip.MustParseAddr("10.0.1.10"), SourcePort: 50000, Destination: vda, DestinationPort: 1494, VirtualNetwork: policy.VirtualNetwork()},
		{Direction: network.Inbound, Protocol: network.TCP, Source: vda.Next(), SourcePort: 50000, Destination: vda, DestinationPort: 3389, VirtualNetwork: policy.VirtualNetwork()},
	} {
		fmt.Fprintf(w, "%s: %s\n", f, network.Evaluate(rules, f))
	}
	return nil
}

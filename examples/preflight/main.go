// Command preflight checks a planned DaaS Flex deployment before anything is
// created. It reads the plan from a JSON file, validates it against every
// rule of the SDK without touching a cloud, and prints either every problem —
// one per line, with its rule ID, where it is and how to fix it — or the plan:
// the address ranges each connection gets, the machines of each catalog and
// the names they will have, the firewall rules of each connection's VNet, and
// how much headroom the tenant's limits keep.
//
// Usage:
//
//	preflight -f plan.json          # or -f - to read the plan from stdin
//	preflight -f plan.json -json    # the report as JSON, for automation
//
// Exit status: 0 when the plan is sound (warnings allowed), 1 when it breaks
// a rule, 2 when the plan cannot be read (bad JSON, an unknown field, a value
// of the wrong type; the message gives the line and column).
//
// # The plan file
//
// A plan is one JSON object. Unknown fields are refused, so a misspelt field
// is never silently ignored. A small plan:
//
//	{
//	  "addressPool": "172.16.0.0/12",
//	  "subscriptions": [{"name": "Contoso Prod"}],
//	  "customerNetworks": [{"name": "hub-vnet", "ranges": ["10.0.0.0/16"]}],
//	  "connections": [{
//	    "name": "hub-peering", "subscription": "Contoso Prod",
//	    "kind": "VNet peering", "region": "westeurope", "range": "any /21",
//	    "dns": ["10.0.0.4"],
//	    "peering": {
//	      "remoteVnet": "/subscriptions/2c1f0d9e-5a7b-4c3d-9e8f-0a1b2c3d4e5f/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub-vnet",
//	      "remoteNetworks": ["hub-vnet"]
//	    }
//	  }],
//	  "catalogs": [{
//	    "name": "Task workers", "subscription": "Contoso Prod", "connection": "hub-peering",
//	    "persona": "Task worker (medium)", "machineType": "multi-session", "userCount": 2000,
//	    "namingScheme": "TW-EU-####",
//	    "domain": {"type": "Active Directory", "fqdn": "corp.contoso.com",
//	               "serviceAccount": "CORP\\svc-flex", "password": "…"},
//	    "resourceLocation": "West Europe",
//	    "image": "Windows Server 2022 (multi-session)",
//	    "schedule": {"timeZone": "Europe/London"}
//	  }]
//	}
//
// Top-level fields:
//
//   - addressPool: the range "any /N" requests are allocated from
//     (ipam.Space.Allocate): the lowest free block that overlaps no range
//     the plan names, in any subscription, nor the ranges Azure reserves.
//   - limits: overrides of the documented limits (LIM-9), each optional:
//     adDomainsPerTenant, catalogsPerTenant, resourceLocationsPerTenant,
//     vdasPerSubscription, nearLimitPercent, adDomainsPerResourceLocation,
//     singleSessionUsersPerResourceLocation, multiSessionUsersPerResourceLocation.
//   - subscriptions: name (unique, SUB-1) and optional azureId (one Flex
//     subscription each, SUB-2).
//   - customerNetworks: the customer's own networks, name and ranges.
//     Connections name them, and every Flex range is checked against them
//     (NET-4); an overlap names the network it hits.
//   - connections and catalogs, below.
//
// A connection has name, subscription, kind ("No connectivity", "VNet
// peering", "Azure VPN gateway", "Virtual WAN spoke", or the API values
// None, VnetPeering, AzureVpn, VWanConnection), region, range (CIDR or
// "any /N"; the VDA subnet of a VPN, the first range of a vWAN spoke; it may
// be left out only with No connectivity, where Citrix chooses), dns (NET-3),
// preferredDns (VPN), routes (each name, destination, nextHop, nextHopIp,
// disabled; NET-6), nat (enabled, idleTimeoutMinutes; No connectivity and
// peering only, NET-11), and the section of its kind:
//
//   - peering: remoteVnet (ARM resource ID), remoteNetworks (customer network
//     names or CIDR ranges: the peered VNet's address space), usesGateway,
//     routePropagation (NET-7).
//   - vpn: deviceIp, allowedNetworks (names or ranges), psk, sku (VpnGw1 …),
//     bgp (asn, peerAsn, peerAddress), gatewaySubnet (CIDR or "any /N") (NET-9).
//   - vwan: hub (id, tier, addressSpace, connected), auth (method
//     AdminSingleTenant, AdminMultiTenant or ServicePrincipal; tenantId,
//     clientId, clientSecret), internetSecurity, routePropagation (NET-12).
//
// A catalog has name (CAT-5), subscription, persona (a built-in persona, such
// as "Knowledge worker" or "Task worker (medium)") or customPersona (name,
// session, vcpus, memoryGiB, usersPerMachine, vmSize), machineType (static,
// random, multi-session), users (a list of unique users) or userCount (how
// many, up to 100,000), namingScheme and wildcards (Digits or Letters; no scheme means the
// default scheme, NAM-9), connection (left out for No connectivity, which
// needs a region), region (only with No connectivity, REG-2), domain (type
// "non-domain-joined", "Active Directory" or "Entra hybrid joined"; fqdn, ou,
// serviceAccount, password), intune, resourceLocation (automatic for
// non-domain-joined catalogs, RL-1), connectivity ("Gateway service", the
// default, "NetScaler Gateway" with gatewayFqdn, or "Direct"), image (the name
// of a prepared image), licenses (LIC-1), vmSize, backupVmSize, secureBoot,
// and schedule (timeZone, an IANA name, and autoscale: left out for the
// recommended settings, or peakDays, peakStart, peakEnd, disconnectTimeout,
// powerOffDelay and offPolicy, CAT-4).
//
// Passwords, pre-shared keys and client secrets are read into secret values
// and never printed, in text or JSON (SEC-1).
//
// # What is checked
//
// Each object is validated by the SDK's packages (network, catalog, naming,
// quota, image, ipam); preflight adds the rules between objects: unique
// subscription and catalog names (SUB-1, CAT-5), one subscription per object
// (SUB-2), catalogs naming a connection that exists (NET-2) in its region
// (REG-2), Flex ranges that overlap neither the customer's networks nor the
// subscription's other connections (NET-4), machines that fit their
// connection's range (NET-14), one connection and region per resource
// location (RL-1), and every limit, by reserving the whole plan in a
// quota.Ledger (LIM-1…LIM-8, with LIM-5's near-limit warning). Connection
// names are unique in a plan, ignoring case, so that catalogs can name them
// (API-7; the documentation is silent on this). Names of subscriptions,
// catalogs, customer networks and resource locations compare ignoring case.
//
// Problems print one per line, RULE  where  problem — fix:
//
//	NET-4  connection "branch-vpn"  VDA subnet 10.20.8.0/24 overlaps 10.20.0.0/16 owned by customer network london-office — Flex ranges must not overlap any range in use
//
// Warnings (such as IDN-5 for a random non-domain-joined catalog, NET-12 for
// a vWAN spoke without a route to the internet, LIM-5 near a limit) print the
// same way and do not change the exit status.
//
// When a value cannot be read (an unknown machine type, say), preflight
// reports it once and leaves out that object's other problems under the same
// rule, which are about the same value.
//
// Run go run ./examples/preflight -f examples/preflight/testdata/valid.json
// to see a plan, and mistakes.json next to it to see problems.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	_ "time/tzdata" // schedules name IANA time zones; work without a system database
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK         = 0 // the plan is sound
	exitViolations = 1 // the plan breaks a rule
	exitUnreadable = 2 // the plan (or the command line) cannot be read
)

// run is the command: it reads the plan named by args, checks it and prints
// the report to stdout, and messages about the command itself to stderr.
// It returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("preflight", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("f", "", "the plan to check, a JSON file; - reads stdin")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: preflight -f plan.json [-json]")
		fmt.Fprintln(stderr, "Checks a planned DaaS Flex deployment against the rules and prints its problems or the plan.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUnreadable
	}
	if *file == "" || fs.NArg() > 0 {
		fs.Usage()
		return exitUnreadable
	}

	name := *file
	var data []byte
	var err error
	if name == "-" {
		name = "stdin"
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	var p *planFile
	if err == nil {
		p, err = decodePlan(data)
	}
	if err != nil {
		fmt.Fprintf(stderr, "preflight: %s: %v\n", name, err)
		if *asJSON {
			_ = writeJSON(stdout, Report{File: name, Problems: []Finding{}, Warnings: []Finding{}, Error: err.Error()})
		}
		return exitUnreadable
	}

	rep := check(p)
	rep.File = name
	write := writeText
	if *asJSON {
		write = writeJSON
	}
	if err := write(stdout, rep); err != nil {
		fmt.Fprintf(stderr, "preflight: %v\n", err)
		return exitUnreadable
	}
	if !rep.OK {
		return exitViolations
	}
	return exitOK
}

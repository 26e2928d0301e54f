package main

import (
	"fmt"
	"os"
	"strings"
)

// A plan with one mistake: the Flex range overlaps the customer's VNet
// (NET-4). preflight prints the problem with its fix and exits 1.
func Example() {
	plan := `{
  "subscriptions": [{"name": "Contoso"}],
  "customerNetworks": [{"name": "hub-vnet", "ranges": ["10.0.0.0/16"]}],
  "connections": [{
    "name": "isolated", "subscription": "Contoso", "kind": "No connectivity",
    "region": "westeurope", "range": "10.0.0.0/24"
  }]
}`
	code := run([]string{"-f", "-"}, strings.NewReader(plan), os.Stdout, os.Stderr)
	fmt.Println("exit status", code)
	// Output:
	// preflight: stdin: 1 problem, 0 warnings; fix the problems and run preflight again
	//
	// Problems
	// RULE   WHERE                  PROBLEM — FIX
	// NET-4  connection "isolated"  Flex range 10.0.0.0/24 overlaps 10.0.0.0/16 owned by customer network hub-vnet — Flex ranges must not overlap any range in use
	// exit status 1
}

// The same plan with its range allocated from a pool: the plan follows,
// with the firewall rules of a VNet without domain-joined machines (FW-1)
// and the limits' headroom.
func Example_plan() {
	plan := `{
  "addressPool": "172.16.0.0/12",
  "subscriptions": [{"name": "Contoso"}],
  "customerNetworks": [{"name": "hub-vnet", "ranges": ["10.0.0.0/16"]}],
  "connections": [{
    "name": "isolated", "subscription": "Contoso", "kind": "No connectivity",
    "region": "westeurope", "range": "any /24"
  }]
}`
	code := run([]string{"-f", "-"}, strings.NewReader(plan), os.Stdout, os.Stderr)
	fmt.Println("exit status", code)
	// Output:
	// preflight: stdin: no problems, 0 warnings; the plan follows
	//
	// Customer networks
	// NETWORK   RANGES
	// hub-vnet  10.0.0.0/16
	//
	// Address ranges (NET-4, NET-5, NET-14)
	// SUBSCRIPTION  CONNECTION  KIND             REGION      USE         RANGE          FOR MACHINES  SOURCE
	// Contoso       isolated    No connectivity  westeurope  Flex range  172.16.0.0/24  251           allocated from 172.16.0.0/12
	//
	// Firewall rules (FW-1, FW-2; Azure's default rules AZ-2 follow at 65000–65500)
	//
	// connection "isolated", VNet 172.16.0.0/24 — FW-1, no domain-joined catalog: deny all inbound, allow all outbound
	// PRIORITY  DIRECTION  ACCESS  PROTOCOL  SOURCE  DESTINATION  PORTS  NAME
	// 4096      Inbound    Deny    *         *       *            *      FlexDenyAllInBound
	// 4096      Outbound   Allow   *         *       *            *      FlexAllowAllOutBound
	//
	// Limits (LIM-1…LIM-8)
	// RULE   SCOPE                 UNIT                      PLANNED  LIMIT  HEADROOM
	// LIM-1  tenant                Active Directory domains  0        25     25
	// LIM-2  tenant                catalogs                  0        100    100
	// LIM-3  tenant                resource locations        0        25     25
	// LIM-4  subscription Contoso  VDAs                      0        5,000  4,999
	// A subscription's VDAs stay below LIM-4's limit, so its headroom is one less than the difference.
	// exit status 0
}

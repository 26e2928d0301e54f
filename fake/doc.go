// Package fake is an in-memory Azure that implements flex.Provider, so that
// a Tenant, its tests and its users' automation run hermetically, fast and
// without a cloud account.
//
// The smallest use creates a cloud, a resource group and a VNet:
//
//	c := fake.New()
//	rg := flex.GroupID("sub-1", "rg")
//	_, _ = c.Put(ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: rg, Region: "westeurope"}})
//	_, err := c.Put(ctx, &flex.VirtualNetwork{
//		Meta:         flex.Meta{ID: flex.ResourceID{Subscription: "sub-1", ResourceGroup: "rg", Type: flex.TypeVirtualNetwork, Name: "vnet"}, Region: "westeurope"},
//		AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")},
//	})
//
// # What is modelled
//
// Storage is a mutex and maps, as ARM does it: resource groups per
// subscription and the resource types of package flex in them, keyed by
// resource ID ignoring case. Put is create-or-update by ID (a retried Put
// never duplicates), needs the resource group (ResourceGroupNotFound) and,
// for a child resource, its parent (ParentResourceNotFound); a resource
// group Put is idempotent. Get of a missing resource is ErrNotFound; Delete
// of one succeeds, like Azure's 204; deleting a resource group deletes
// everything in it. Every resource is copied on the way in and out (its
// Clone), and List is sorted by ID. After a Put the provisioning state is
// Succeeded; SetState makes a resource stuck in Creating, Updating or
// Deleting (then Put and actions on it are ErrConflict,
// AnotherOperationInProgress) or Failed, for fault layers.
//
// Azure's rules, each reported as a rule violation naming its ID and
// Azure's error code:
//
//   - AZ-1: address spaces outside 224.0.0.0/4, 255.255.255.255/32,
//     127.0.0.0/8, 169.254.0.0/16 and 168.63.129.16/32; subnets /29 to /2,
//     inside the address space and disjoint; no NAT gateway on
//     GatewaySubnet; peered VNets (and spokes of one hub) never overlap.
//     A subnet's NSG, route table and NAT gateway exist in the VNet's
//     subscription and region; those in use, a subnet with VMs or a
//     gateway, and a VNet with VMs, a gateway or a hub connection are not
//     deleted (ErrConflict, InUse…).
//   - AZ-2: NSG rules through network.ValidateRules.
//   - AZ-3: at most 400 routes; next hop VirtualNetworkGateway, VnetLocal,
//     Internet, VirtualAppliance or None; only VirtualAppliance takes (and
//     needs) a next-hop IP.
//   - AZ-4: NAT idle timeout 4–120 minutes (0 means 4); the cloud assigns a
//     Standard public IP from 192.0.2.0/24, 198.51.100.0/24 and
//     203.0.113.0/24, never reused. VPN gateways get one the same way.
//   - AZ-5: VPN SKUs Basic, VpnGw1–5 and VpnGw1AZ–5AZ; no BGP on Basic;
//     reserved ASNs refused (the gateway's default is 65515) and the two
//     ends of a BGP connection differ; a gateway needs a GatewaySubnet in
//     its VNet, one gateway per VNet; pre-shared keys are 1–128 printable
//     ASCII characters other than space, '-' and '~'.
//   - AZ-6: hubs are Basic or Standard with an address space of /24 or
//     larger; a VNet connects to one hub only and has no gateway of its own.
//   - AZ-7: VM resource names 1–64 characters; computer names (the VM name
//     when empty) at most 15 letters, digits and '-', not only digits, not
//     ending in '-'.
//   - AZ-8: power states and transitions (Power), generations Gen1 and
//     Gen2 (images, VMs, Secure Boot needs Gen2), snapshots incremental
//     after the first of the same disk.
//   - AZ-9: a zone ("1"–"3") only outside northcentralus and westus; AZ VPN
//     SKUs only where there are zones.
//
// Compute: a VM gets the lowest free private address of its subnet (Azure
// keeps the first four and the last; SubnetIsFull when none is left;
// addresses come back on delete), an OS disk "<vm>-osdisk" in its group
// with its tags (deleted with it), and power state running. Capacity per
// region and size (SetCapacity) makes Put fail with ErrCapacity
// (AllocationFailed, ZonalAllocationFailed or SkuNotAvailable). Snapshots,
// restore (a new OS disk from a snapshot), SAS URLs for disks (with an
// expiry from the clock), images from a stopped VM, a disk, a snapshot or
// a VHD URL, and key vault keys with versions and rotation.
//
// Sessions (MON-1): StartSession and EndSession play the session broker,
// honouring TagMaintenance and TagSessionLimit; VirtualMachine.Sessions
// reports the count.
//
// Tenants (SEC-2): Scope returns a View, one tenant's flex.Provider, that
// sees only its own resources and the customer's untagged ones.
//
// Inspection for tests: Resources and Count list what exists across
// subscriptions; Allowed and CheckFlow decide a flow between two addresses
// with the NSGs in place (network.Evaluate); SessionUsers, Capacity.
//
// # What is not modelled
//
// Anything asynchronous: every call completes before it returns (there are
// no pollers), so transitional states (Creating, starting, …) are only
// seen when SetState or SetPowerState put a resource in them. Faults such
// as throttling, 5xx errors, lost responses, stuck or failing steps belong
// to a layer over the cloud: WithFaults wraps any provider with a scripted
// Plan, and Record wraps one to record its calls. No data plane: no tunnels, routes or packets (CheckFlow evaluates
// NSG rules only; route tables and NAT gateways do not affect it), no disk
// contents, no real RSA keys. No NICs, public IP or load balancer resources
// (a VM's NIC and a gateway's public IP are fields), no key vaults (a key's
// vault exists implicitly), no NSGs on NICs, no IPv6 addresses for VMs,
// no quotas other than VM capacity and the 762 public addresses, no RBAC
// beyond tenant scopes. A VM's admin password is checked (12–123
// characters, three character classes) and never stored, as Azure never
// returns it. Names of resources follow ARM's rules in a simplified form.
// ErrorAs always reports false: there are no native errors.
package fake

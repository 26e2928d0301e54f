// Package azure is the flex.Provider of real Azure: the official clients of
// the Azure SDK for Go (armnetwork/v9 and armcompute/v8, made through their
// ClientFactory) and azcore's ARM pipeline, all sharing one
// arm.ClientOptions, so that a flex.Tenant tested on package fake runs
// against Azure by swapping one constructor.
//
// # Construction
//
// The caller brings the credential, of any azcore.TokenCredential
// implementation; azidentity's default credential reads the environment,
// a managed identity or the Azure CLI's login:
//
//	cred, err := azidentity.NewDefaultAzureCredential(nil)
//	if err != nil { … }
//	p, err := azure.New("00000000-0000-0000-0000-000000000000", cred, nil)
//	if err != nil { … }
//	tenant := flex.NewTenant(p)
//
// nil options mean the SDK's defaults: Azure's public cloud, the ARM retry
// policy (three retries of 408, 429, 500, 502, 503 and 504, honouring
// Retry-After) and polling long-running operations as often as Azure asks
// (every 30 s when it does not say). Options.ClientOptions sets the cloud,
// retries, telemetry, logging and transport of every client at once;
// Options.PollFrequency the polling. Resources of other subscriptions than
// New's get clients of their own on first use, with the same credential and
// options. A Provider is safe for concurrent use.
//
// # Mapping
//
// Every Provider operation is one ARM verb (or a short, fixed sequence):
//
//   - Put: the resource type's BeginCreateOrUpdate and PollUntilDone.
//     A NAT gateway and a VPN gateway first get a Standard, static public
//     IPv4 address named <name>-pip (AZ-4); a VM first gets a network
//     interface named <name>-nic in its subnet, and is made with an OS disk
//     named <name>-osdisk, both deleted with it. Resource groups and key
//     vault keys are plain ARM requests (Microsoft.Resources 2021-04-01,
//     Microsoft.KeyVault 2023-07-01) through the same pipeline.
//   - Get: the type's Get; a VM with its instance view (power state,
//     Hyper-V generation "V1"/"V2") and its network interface (VNet,
//     subnet, private address); a gateway with its public IP.
//   - Delete: BeginDelete and PollUntilDone; a 404 is success. Deleting a
//     NAT or VPN gateway deletes its public IP, deleting a VM its network
//     interface.
//   - List: the resource groups of the subscription (or the one asked
//     for), then each type's list pager in each group, drained; sorted by
//     ID ignoring case.
//   - Power: VirtualMachines' BeginStart, BeginRestart, BeginPowerOff or
//     BeginDeallocate.
//   - RestoreSnapshot: a new disk <vm>-osdisk-<snapshot> from the snapshot
//     (Disks' BeginCreateOrUpdate), swapped in as the VM's OS disk
//     (VirtualMachines' BeginUpdate), then the old disk deleted.
//   - GrantDiskAccess: Disks' BeginGrantAccess, read-only.
//   - ResetVPNGateway: VirtualNetworkGateways' BeginReset (NET-10).
//   - Keys: a Put makes the key's vault when it is missing (standard SKU,
//     Azure RBAC, soft delete and purge protection, trusting the
//     subscription's Entra tenant), then has the vault generate the key
//     through ARM, or imports the given RSA key (PEM or base64 DER, PKCS #1
//     or #8, sent as a JWK) through the key vault's own API
//     (https://<vault>.vault.azure.net, api-version 7.4). RotateKey and a
//     key's Delete use that API too: ARM has no verb for them.
//
// Flex values become the SDK's enums here: route next hops are
// armnetwork.RouteNextHopType, VPN SKUs VirtualNetworkGatewaySKUName,
// NAT gateways and public IPs the Standard SKU, power actions the verbs
// above, generations "V1"/"V2", Secure Boot the Trusted Launch security
// type.
//
// What ARM cannot carry: peerings and hub connections have no tags or
// location in ARM (their region is their parent's; a List by tags does not
// find them); key material is never returned (an import of the same key
// again makes a new version, as Azure's import does); an image's
// operating system release and customer-managed key travel in the tags
// daasflex-os and daasflex-key; NSG rules that Flex owns (FW-6) carry the
// description prefix "[daasflex] ". A VM's Sessions is always 0: session
// counts come from the session broker, not ARM.
//
// # Permissions
//
// The credential needs, on the subscription or the resource groups it
// uses: Contributor, or at least Network Contributor and Virtual Machine
// Contributor plus Microsoft.Resources/subscriptions/resourceGroups/write
// and delete and Microsoft.Compute/disks, snapshots and images (Disk
// Snapshot Contributor); for keys, Key Vault Contributor (to make vaults
// and keys through ARM) and, on the vaults, Key Vault Crypto Officer (to
// import, rotate and delete keys); Microsoft.Resources/subscriptions/read
// for the Entra tenant of a new vault.
//
// # Resources, names and tags
//
// The provider creates exactly the resources it is asked to Put, named as
// their IDs say, plus the public IPs (<gateway>-pip), network interfaces
// (<vm>-nic), OS disks (<vm>-osdisk) and restored disks
// (<vm>-osdisk-<snapshot>) above, each with the tags of the resource it
// belongs to, and the key vault a key names when it is missing, with the
// key's tags. Every resource a Tenant creates carries flex.TagTenant and
// flex.TagOwner, so that state can be rebuilt and orphans found.
//
// # Errors
//
// Every error is a *flex.Error naming the operation and the resource, of
// the flex kind Azure's answer means, by error code first and HTTP status
// next: capacity codes (SkuNotAvailable, AllocationFailed,
// ZonalAllocationFailed, Overconstrained…) are ErrCapacity, QuotaExceeded
// ErrLimit, in-use and state codes (InUse…, AnotherOperationInProgress,
// OperationNotAllowed, PropertyChangeNotAllowed, SubnetIsFull, …)
// ErrConflict whatever the status; then 404 ErrNotFound, 409 and 412
// ErrConflict, 429 ErrThrottled with RetryAfter from Retry-After, 401 and
// 403 ErrPrecondition, 408 and 5xx ErrUnavailable, any other 4xx
// ErrInvalid. No answer at all (after the retries) is ErrUnavailable.
// Context errors pass through untouched.
//
// # As
//
// The SDK type reachable from the provider's errors is
// *azcore.ResponseError (status, error code and the raw response), with
// errors.As or Provider.ErrorAs:
//
//	var re *azcore.ResponseError
//	if p.ErrorAs(err, &re) {
//		log.Printf("Azure said %d %s", re.StatusCode, re.ErrorCode)
//	}
//
// Provider.As reaches the clients the provider is made of, for what
// package flex does not model, with the same credential and options:
// *armnetwork.ClientFactory, *armcompute.ClientFactory (of the
// subscription New was given) and *arm.Client:
//
//	var nf *armnetwork.ClientFactory
//	if p.As(&nf) {
//		pips := nf.NewPublicIPAddressesClient()
//		…
//	}
//
// # Testing without Azure
//
// The package's tests run the provider hermetically: its transport is the
// SDK's own fake servers (armnetwork/v9/fake and armcompute/v8/fake)
// backed by package fake's simulated cloud, so that the real clients,
// their serialization, pollers and pagers run end to end with no network.
// A test against real Azure runs only when DAASFLEX_AZURE_SUBSCRIPTION
// and DAASFLEX_AZURE_TOKEN (an ARM access token, such as `az account
// get-access-token --query accessToken -o tsv` prints) are set; see the
// README.
package azure

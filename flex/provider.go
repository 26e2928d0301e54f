package flex

import (
	"context"
	"fmt"
	"maps"
	"net/netip"
	"strings"
	"time"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

// Provider is the cloud under a Tenant, in cloud terms rather than Flex
// terms so that Azure can implement it one to one: resource groups, virtual
// networks, NSGs, route tables, NAT gateways, peerings, VPN gateways, hub
// connections, virtual machines, disks, snapshots, images and key vault keys.
//
// Resources are created and updated with Put, which like an ARM PUT is keyed
// by the resource's deterministic ID and safe to retry: a retried Put never
// makes a duplicate. Every resource a Tenant creates carries the TagTenant
// and TagOwner tags, so that state can be rebuilt and orphans found.
//
// Implementations: package fake (an in-memory cloud) and package azure (the
// Azure SDK for Go). The Tenant validates every Flex rule before it calls a
// Provider, so a Provider may rely on validated names and non-nil values; it
// still enforces what Azure itself enforces (AZ-*), and returns errors that
// match the Err… kinds (a missing resource is ErrNotFound, a conflicting one
// ErrConflict, throttling ErrThrottled, no capacity ErrCapacity).
// Implementations are safe for concurrent use.
type Provider interface {
	ResourceProvider
	NetworkActions
	ComputeActions
	KeyActions

	// ErrorAs reports whether err holds a provider-native error of the
	// target's type and, if so, sets target to it, like errors.As. The
	// azure provider exposes *azcore.ResponseError; the fake has none.
	ErrorAs(err error, target any) bool
}

// ResourceProvider holds the uniform verbs of every cloud resource.
type ResourceProvider interface {
	// Put creates the resource or updates it in place, waiting for any
	// long-running operation to finish, and returns the resource as the
	// cloud now holds it (with the fields the cloud assigns filled in).
	Put(ctx context.Context, r Resource) (Resource, error)
	// Get returns a copy of the resource, or ErrNotFound.
	Get(ctx context.Context, id ResourceID) (Resource, error)
	// Delete deletes the resource and, for a resource group, everything in
	// it. Deleting a resource that does not exist succeeds, as in Azure.
	Delete(ctx context.Context, id ResourceID) error
	// List returns the resources of a subscription that match the filter,
	// sorted by ID.
	List(ctx context.Context, f Filter) ([]Resource, error)
}

// NetworkActions are the network operations that are not a Put.
type NetworkActions interface {
	// ResetVPNGateway resets a VPN gateway: both ends re-establish the
	// tunnel and sessions through it are disrupted (NET-10).
	ResetVPNGateway(ctx context.Context, gateway ResourceID) error
}

// ComputeActions are the compute operations that are not a Put.
type ComputeActions interface {
	// Power starts, restarts, powers off or deallocates a virtual machine.
	Power(ctx context.Context, vm ResourceID, a PowerAction) error
	// RestoreSnapshot replaces the virtual machine's OS disk with a new disk
	// made from the snapshot; the VM must be stopped or deallocated.
	RestoreSnapshot(ctx context.Context, vm, snapshot ResourceID) error
	// GrantDiskAccess returns a read-only SAS URL of a managed disk, valid
	// for the duration.
	GrantDiskAccess(ctx context.Context, disk ResourceID, d time.Duration) (secret.Value, error)
}

// KeyActions are the key operations that are not a Put.
type KeyActions interface {
	// RotateKey makes a new version of a key vault key and returns it.
	RotateKey(ctx context.Context, key ResourceID) (Key, error)
}

// Tags every resource a Tenant creates carries.
const (
	// TagTenant names the tenant that owns the resource (SEC-2).
	TagTenant = "daasflex-tenant"
	// TagOwner names the Flex object that owns the resource, such as
	// "catalog/Sales" or "connection/hub-peering".
	TagOwner = "daasflex-owner"
	// TagSessionLimit, on a virtual machine, is the most user sessions it
	// accepts (its persona's users per machine, MON-1).
	TagSessionLimit = "daasflex-session-limit"
	// TagMaintenance, set to "on" on a virtual machine, stops new user
	// sessions; existing ones continue (CAT-8).
	TagMaintenance = "daasflex-maintenance"
)

// ResourceType is an ARM resource type.
type ResourceType string

// The resource types a Provider handles.
const (
	TypeResourceGroup  ResourceType = "Microsoft.Resources/resourceGroups"
	TypeVirtualNetwork ResourceType = "Microsoft.Network/virtualNetworks"
	TypeSecurityGroup  ResourceType = "Microsoft.Network/networkSecurityGroups"
	TypeRouteTable     ResourceType = "Microsoft.Network/routeTables"
	TypeNATGateway     ResourceType = "Microsoft.Network/natGateways"
	TypePeering        ResourceType = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
	TypeVPNGateway     ResourceType = "Microsoft.Network/virtualNetworkGateways"
	TypeLocalGateway   ResourceType = "Microsoft.Network/localNetworkGateways"
	TypeVPNConnection  ResourceType = "Microsoft.Network/connections"
	TypeVirtualHub     ResourceType = "Microsoft.Network/virtualHubs"
	TypeHubConnection  ResourceType = "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections"
	TypeVirtualMachine ResourceType = "Microsoft.Compute/virtualMachines"
	TypeDisk           ResourceType = "Microsoft.Compute/disks"
	TypeSnapshot       ResourceType = "Microsoft.Compute/snapshots"
	TypeImage          ResourceType = "Microsoft.Compute/images"
	TypeKey            ResourceType = "Microsoft.KeyVault/vaults/keys"
)

// ResourceID names a cloud resource the way ARM does. A resource group has
// an empty ResourceGroup and its own name as Name; a child resource (a
// peering of a VNet, a key of a vault) has a Name of the form
// "parent/child". The zero value names nothing.
type ResourceID struct {
	Subscription  string
	ResourceGroup string
	Type          ResourceType
	Name          string
}

// GroupID returns the ID of a resource group.
func GroupID(subscription, name string) ResourceID {
	return ResourceID{Subscription: subscription, Type: TypeResourceGroup, Name: name}
}

// IsZero reports whether id names nothing.
func (id ResourceID) IsZero() bool { return id == ResourceID{} }

// Group returns the ID of the resource group that holds the resource (a
// resource group's Group is itself).
func (id ResourceID) Group() ResourceID {
	if id.Type == TypeResourceGroup {
		return id
	}
	return GroupID(id.Subscription, id.ResourceGroup)
}

// String returns the ARM form:
// /subscriptions/S/resourceGroups/G/providers/Microsoft.Network/virtualNetworks/V.
func (id ResourceID) String() string {
	if id.IsZero() {
		return ""
	}
	if id.Type == TypeResourceGroup {
		return "/subscriptions/" + id.Subscription + "/resourceGroups/" + id.Name
	}
	ns, types, _ := strings.Cut(string(id.Type), "/")
	var b strings.Builder
	b.WriteString("/subscriptions/" + id.Subscription + "/resourceGroups/" + id.ResourceGroup + "/providers/" + ns)
	names := strings.Split(id.Name, "/")
	for i, t := range strings.Split(types, "/") {
		b.WriteString("/" + t + "/")
		if i < len(names) {
			b.WriteString(names[i])
		}
	}
	return b.String()
}

// ParseResourceID parses the ARM form that String returns.
func ParseResourceID(s string) (ResourceID, error) {
	parts := strings.Split(strings.TrimPrefix(s, "/"), "/")
	bad := func(why string) (ResourceID, error) {
		return ResourceID{}, fmt.Errorf("flex: resource ID %q: %s", s, why)
	}
	if len(parts) < 4 || !strings.EqualFold(parts[0], "subscriptions") || !strings.EqualFold(parts[2], "resourceGroups") {
		return bad("want /subscriptions/{id}/resourceGroups/{name}[/providers/{namespace}/{type}/{name}…]")
	}
	for _, p := range parts {
		if p == "" {
			return bad("empty segment")
		}
	}
	if len(parts) == 4 {
		return GroupID(parts[1], parts[3]), nil
	}
	if len(parts) < 8 || len(parts)%2 != 0 || !strings.EqualFold(parts[4], "providers") {
		return bad("want /providers/{namespace}/{type}/{name} after the resource group")
	}
	types, names := []string{parts[5]}, []string(nil)
	for i := 6; i < len(parts); i += 2 {
		types = append(types, parts[i])
		names = append(names, parts[i+1])
	}
	return ResourceID{Subscription: parts[1], ResourceGroup: parts[3],
		Type: ResourceType(strings.Join(types, "/")), Name: strings.Join(names, "/")}, nil
}

// Child returns the ID of a child resource of type t named name.
func (id ResourceID) Child(t ResourceType, name string) ResourceID {
	return ResourceID{Subscription: id.Subscription, ResourceGroup: id.ResourceGroup, Type: t, Name: id.Name + "/" + name}
}

// ProvisioningState is the ARM provisioning state of a resource (AZ-8).
type ProvisioningState string

// Provisioning states (AZ-8).
const (
	Creating  ProvisioningState = "Creating"
	Updating  ProvisioningState = "Updating"
	Succeeded ProvisioningState = "Succeeded"
	Failed    ProvisioningState = "Failed"
	Deleting  ProvisioningState = "Deleting"
)

// Meta is what every resource has: its ID, region and tags, and the
// provisioning state the cloud reports.
type Meta struct {
	ID     ResourceID
	Region network.Region
	Tags   map[string]string
	// State is set by the provider; Put ignores it.
	State ProvisioningState
}

// Resource is one of the resource structs of this file: *ResourceGroup,
// *VirtualNetwork, *SecurityGroup, *RouteTable, *NATGateway, *Peering,
// *VPNGateway, *LocalGateway, *VPNConnection, *VirtualHub, *HubConnection,
// *VirtualMachine, *Disk, *Snapshot, *Image or *Key.
type Resource interface {
	// Metadata returns the resource's common fields.
	Metadata() *Meta
	// Clone returns a deep copy.
	Clone() Resource
}

// Metadata returns m; it lets every resource struct satisfy Resource by
// embedding Meta.
func (m *Meta) Metadata() *Meta { return m }

func (m Meta) clone() Meta {
	m.Tags = maps.Clone(m.Tags)
	return m
}

// Filter selects resources in List. Zero fields match everything but the
// subscription, which is required. IDs compare ignoring case, as in ARM;
// tag values compare exactly.
type Filter struct {
	Subscription  string
	ResourceGroup string
	Type          ResourceType
	// Tags the resource must carry with these values.
	Tags map[string]string
}

// Matches reports whether r passes the filter.
func (f Filter) Matches(r Resource) bool {
	m := r.Metadata()
	if !strings.EqualFold(m.ID.Subscription, f.Subscription) {
		return false
	}
	if f.ResourceGroup != "" && !strings.EqualFold(m.ID.Group().Name, f.ResourceGroup) {
		return false
	}
	if f.Type != "" && !strings.EqualFold(string(m.ID.Type), string(f.Type)) {
		return false
	}
	for k, v := range f.Tags {
		if m.Tags[k] != v {
			return false
		}
	}
	return true
}

// ResourceGroup is an Azure resource group; deleting it deletes everything
// in it.
type ResourceGroup struct{ Meta }

// Clone returns a deep copy.
func (r *ResourceGroup) Clone() Resource { c := *r; c.Meta = r.Meta.clone(); return &c }

// VirtualNetwork is a VNet with its subnets (AZ-1).
type VirtualNetwork struct {
	Meta
	AddressSpace []netip.Prefix
	DNSServers   []netip.Addr // empty: Azure-provided DNS
	Subnets      []Subnet
}

// Subnet is a subnet of a VNet with the NSG, route table and NAT gateway
// attached to it (zero IDs for none).
type Subnet struct {
	Name          string // GatewaySubnet for a VPN gateway's subnet
	Prefix        netip.Prefix
	SecurityGroup ResourceID
	RouteTable    ResourceID
	NATGateway    ResourceID
}

// Clone returns a deep copy.
func (r *VirtualNetwork) Clone() Resource {
	c := *r
	c.Meta = r.Meta.clone()
	c.AddressSpace = clone(r.AddressSpace)
	c.DNSServers = clone(r.DNSServers)
	c.Subnets = clone(r.Subnets)
	return &c
}

// SecurityGroup is a network security group and its rules (AZ-2).
type SecurityGroup struct {
	Meta
	Rules []network.SecurityRule
}

// Clone returns a deep copy.
func (r *SecurityGroup) Clone() Resource {
	c := *r
	c.Meta = r.Meta.clone()
	c.Rules = make([]network.SecurityRule, len(r.Rules))
	for i, rule := range r.Rules {
		rule.Sources = clone(rule.Sources)
		rule.SourcePorts = clone(rule.SourcePorts)
		rule.Destinations = clone(rule.Destinations)
		rule.DestinationPorts = clone(rule.DestinationPorts)
		c.Rules[i] = rule
	}
	if r.Rules == nil {
		c.Rules = nil
	}
	return &c
}

// RouteTable is a route table of user-defined routes (AZ-3).
type RouteTable struct {
	Meta
	Routes []Route
	// DisableGatewayPropagation stops routes learned by a virtual network
	// gateway (BGP) from being added to the subnets.
	DisableGatewayPropagation bool
}

// Route is one user-defined route. Only VirtualAppliance takes a NextHopIP.
type Route struct {
	Name      string
	Prefix    netip.Prefix
	NextHop   string // armnetwork's RouteNextHopType: VirtualNetworkGateway, VnetLocal, Internet, VirtualAppliance or None
	NextHopIP netip.Addr
}

// Clone returns a deep copy.
func (r *RouteTable) Clone() Resource {
	c := *r
	c.Meta = r.Meta.clone()
	c.Routes = clone(r.Routes)
	return &c
}

// NATGateway is a NAT gateway with a Standard public IP that the cloud
// assigns (AZ-4).
type NATGateway struct {
	Meta
	IdleTimeoutMinutes int        // 4–120
	PublicIP           netip.Addr // set by the provider
}

// Clone returns a deep copy.
func (r *NATGateway) Clone() Resource { c := *r; c.Meta = r.Meta.clone(); return &c }

// Peering is one direction of a VNet peering; its ID is a child of the
// local VNet.
type Peering struct {
	Meta
	Remote              ResourceID // the remote VNet
	AllowGatewayTransit bool
	UseRemoteGateways   bool
	Connected           bool // set by the provider once both directions exist
}

// Clone returns a deep copy.
func (r *Peering) Clone() Resource { c := *r; c.Meta = r.Meta.clone(); return &c }

// VPNGateway is a route-based virtual network gateway in a VNet's
// GatewaySubnet (AZ-5).
type VPNGateway struct {
	Meta
	VirtualNetwork ResourceID
	SKU            string // Basic, VpnGw1–5 or VpnGw1AZ–5AZ (AZ-5)
	EnableBGP      bool
	ASN            uint32
	PublicIP       netip.Addr // set by the provider
}

// Clone returns a deep copy.
func (r *VPNGateway) Clone() Resource { c := *r; c.Meta = r.Meta.clone(); return &c }

// LocalGateway is the customer's VPN device and the networks behind it.
type LocalGateway struct {
	Meta
	GatewayIP       netip.Addr
	AddressPrefixes []netip.Prefix
	ASN             uint32
	BGPPeer         netip.Addr
}

// Clone returns a deep copy.
func (r *LocalGateway) Clone() Resource {
	c := *r
	c.Meta = r.Meta.clone()
	c.AddressPrefixes = clone(r.AddressPrefixes)
	return &c
}

// VPNConnection is a site-to-site connection between a VPN gateway and a
// local gateway, authenticated by a pre-shared key (SEC-1).
type VPNConnection struct {
	Meta
	Gateway   ResourceID
	Local     ResourceID
	SharedKey secret.Value
	EnableBGP bool
}

// Clone returns a deep copy.
func (r *VPNConnection) Clone() Resource { c := *r; c.Meta = r.Meta.clone(); return &c }

// VirtualHub is a Virtual WAN hub (AZ-6). Hubs belong to the customer: a
// Tenant reads them and connects spokes to them but never creates one.
type VirtualHub struct {
	Meta
	SKU          string // Basic or Standard
	AddressSpace netip.Prefix
}

// Clone returns a deep copy.
func (r *VirtualHub) Clone() Resource { c := *r; c.Meta = r.Meta.clone(); return &c }

// HubConnection connects a spoke VNet to a Virtual WAN hub; its ID is a
// child of the hub.
type HubConnection struct {
	Meta
	Remote                 ResourceID // the spoke VNet
	EnableInternetSecurity bool
	PropagateRoutes        bool
}

// Clone returns a deep copy.
func (r *HubConnection) Clone() Resource { c := *r; c.Meta = r.Meta.clone(); return &c }

// PowerState is a virtual machine's power state (AZ-8).
type PowerState string

// Power states (AZ-8).
const (
	PowerStarting     PowerState = "starting"
	PowerRunning      PowerState = "running"
	PowerStopping     PowerState = "stopping"
	PowerStopped      PowerState = "stopped"
	PowerDeallocating PowerState = "deallocating"
	PowerDeallocated  PowerState = "deallocated"
)

// PowerAction is what Power does to a virtual machine.
type PowerAction string

// Power actions.
const (
	Start      PowerAction = "start"
	Restart    PowerAction = "restart"
	PowerOff   PowerAction = "powerOff"
	Deallocate PowerAction = "deallocate"
)

// ImageRef is the image a virtual machine boots from: a managed image by ID,
// or a marketplace image by its URN.
type ImageRef struct {
	ID  ResourceID
	URN string // publisher:offer:sku:version
}

// VirtualMachine is a VM with its NIC and OS disk (AZ-7, AZ-8).
type VirtualMachine struct {
	Meta
	Size          string
	Zone          string // "1", "2", "3" or "" where the region has no zones (AZ-9)
	ComputerName  string // at most 15 characters (AZ-7)
	Image         ImageRef
	Generation    image.Generation
	SecureBoot    bool
	Network       ResourceID // the VNet
	Subnet        string
	AdminUsername string
	AdminPassword secret.Value

	// Set by the provider.
	PrivateIP  netip.Addr
	OSDisk     ResourceID
	PowerState PowerState
	// Sessions is the number of user sessions the machine hosts, as the
	// session broker reports them; Put ignores it.
	Sessions int
}

// Clone returns a deep copy.
func (r *VirtualMachine) Clone() Resource { c := *r; c.Meta = r.Meta.clone(); return &c }

// Disk is a managed disk.
type Disk struct {
	Meta
	SizeGiB int
	Source  ResourceID // the snapshot or image it was made from, if any
	Zone    string
}

// Clone returns a deep copy.
func (r *Disk) Clone() Resource { c := *r; c.Meta = r.Meta.clone(); return &c }

// Snapshot is a snapshot of a managed disk; snapshots after the first of a
// disk are incremental (AZ-8).
type Snapshot struct {
	Meta
	Source ResourceID // the disk

	// Set by the provider.
	Incremental bool
	Created     time.Time
}

// Clone returns a deep copy.
func (r *Snapshot) Clone() Resource { c := *r; c.Meta = r.Meta.clone(); return &c }

// Image is a managed image captured from a generalized VM or imported from
// a disk or VHD.
type Image struct {
	Meta
	Generation image.Generation
	OS         image.OS
	Source     ResourceID   // the VM or disk it was captured from
	SourceURL  secret.Value // or the SAS or public URL of a VHD
	Key        ResourceID   // customer-managed key for its disks, if any (KEY-2)
}

// Clone returns a deep copy.
func (r *Image) Clone() Resource { c := *r; c.Meta = r.Meta.clone(); return &c }

// Key is an RSA key in a key vault, for customer-managed disk encryption
// (KEY-1). Its ID is a child of the vault.
type Key struct {
	Meta
	Material secret.Value // the RSA key as supplied (SEC-1)

	// Set by the provider.
	Version string
	Created time.Time
}

// Clone returns a deep copy.
func (r *Key) Clone() Resource { c := *r; c.Meta = r.Meta.clone(); return &c }

func clone[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// Compile-time checks that every resource struct is a Resource.
var (
	_ Resource = (*ResourceGroup)(nil)
	_ Resource = (*VirtualNetwork)(nil)
	_ Resource = (*SecurityGroup)(nil)
	_ Resource = (*RouteTable)(nil)
	_ Resource = (*NATGateway)(nil)
	_ Resource = (*Peering)(nil)
	_ Resource = (*VPNGateway)(nil)
	_ Resource = (*LocalGateway)(nil)
	_ Resource = (*VPNConnection)(nil)
	_ Resource = (*VirtualHub)(nil)
	_ Resource = (*HubConnection)(nil)
	_ Resource = (*VirtualMachine)(nil)
	_ Resource = (*Disk)(nil)
	_ Resource = (*Snapshot)(nil)
	_ Resource = (*Image)(nil)
	_ Resource = (*Key)(nil)
)

// Typed helpers over Put and Get.

// PutAs puts r and returns the result as its own type.
func PutAs[T Resource](ctx context.Context, p Provider, r T) (T, error) {
	got, err := p.Put(ctx, r)
	if err != nil {
		var zero T
		return zero, err
	}
	t, ok := got.(T)
	if !ok {
		var zero T
		return zero, fmt.Errorf("flex: provider returned %T for Put of %T", got, r)
	}
	return t, nil
}

// GetAs gets the resource id and returns it as type T, or an ErrInvalid
// error when the resource has another type.
func GetAs[T Resource](ctx context.Context, p Provider, id ResourceID) (T, error) {
	var zero T
	got, err := p.Get(ctx, id)
	if err != nil {
		return zero, err
	}
	t, ok := got.(T)
	if !ok {
		return zero, Errorf(ErrInvalid, "Get", id.String(), "resource is a %T, not a %T", got, zero)
	}
	return t, nil
}

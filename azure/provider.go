package azure

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/daasflex/daasflex/flex"
)

// moduleName and moduleVersion identify the provider in the User-Agent of
// the requests it makes outside the generated clients.
const (
	moduleName    = "github.com/daasflex/daasflex/azure"
	moduleVersion = "v0.1.0"
)

// DefaultKeyVaultSuffix is the DNS suffix of key vaults in Azure's public
// cloud.
const DefaultKeyVaultSuffix = "vault.azure.net"

// Options configure a Provider. The zero value, like a nil *Options, means
// the SDK's defaults: Azure's public cloud, the ARM retry policy (three
// retries, honouring Retry-After) and polling as often as the service asks.
type Options struct {
	// ClientOptions are shared by every client the provider makes: the
	// cloud, the retry policy, telemetry, logging and the transport.
	ClientOptions arm.ClientOptions
	// PollFrequency is how often long-running operations are polled when
	// the service does not say (PollUntilDone's Frequency); 0 means the
	// SDK's default of 30 s. The SDK refuses less than 1 s outside tests.
	PollFrequency time.Duration
	// KeyVaultSuffix is the DNS suffix of key vaults, for the key
	// operations ARM has no verb for (rotate, delete); "" means
	// DefaultKeyVaultSuffix.
	KeyVaultSuffix string
}

// Provider is flex.Provider on the Azure SDK for Go: armnetwork and
// armcompute clients made through their ClientFactory, and azcore's ARM
// pipeline for resource groups and key vault keys, all sharing one
// arm.ClientOptions. It is safe for concurrent use.
type Provider struct {
	defaultSub string
	cred       azcore.TokenCredential
	opts       arm.ClientOptions
	poll       *runtime.PollUntilDoneOptions
	vaultHost  string

	arm   *arm.Client      // resource groups and ARM key verbs
	vault runtime.Pipeline // key vault data plane

	mu   sync.Mutex
	subs map[string]*clients
}

var _ flex.Provider = (*Provider)(nil)

// clients are the SDK clients of one subscription.
type clients struct {
	network *armnetwork.ClientFactory
	compute *armcompute.ClientFactory

	vnets       *armnetwork.VirtualNetworksClient
	nsgs        *armnetwork.SecurityGroupsClient
	routeTables *armnetwork.RouteTablesClient
	nats        *armnetwork.NatGatewaysClient
	pips        *armnetwork.PublicIPAddressesClient
	peerings    *armnetwork.VirtualNetworkPeeringsClient
	gateways    *armnetwork.VirtualNetworkGatewaysClient
	locals      *armnetwork.LocalNetworkGatewaysClient
	conns       *armnetwork.VirtualNetworkGatewayConnectionsClient
	hubs        *armnetwork.VirtualHubsClient
	hubConns    *armnetwork.HubVirtualNetworkConnectionsClient
	nics        *armnetwork.InterfacesClient
	vms         *armcompute.VirtualMachinesClient
	disks       *armcompute.DisksClient
	snapshots   *armcompute.SnapshotsClient
	images      *armcompute.ImagesClient
}

// New returns a provider for the subscription with ID subscriptionID that
// authenticates with cred (for example azidentity's default credential).
// Resources of other subscriptions get clients of their own on first use,
// with the same credential and options. nil opts means the defaults.
func New(subscriptionID string, cred azcore.TokenCredential, opts *Options) (*Provider, error) {
	if subscriptionID == "" {
		return nil, &flex.Error{Kind: flex.ErrInvalid, Op: "New", Err: errors.New("azure: a subscription ID is required")}
	}
	if cred == nil {
		return nil, &flex.Error{Kind: flex.ErrInvalid, Op: "New", Err: errors.New("azure: a credential is required")}
	}
	if opts == nil {
		opts = &Options{}
	}
	p := &Provider{
		defaultSub: subscriptionID,
		cred:       cred,
		opts:       opts.ClientOptions,
		vaultHost:  opts.KeyVaultSuffix,
		subs:       make(map[string]*clients),
	}
	if p.vaultHost == "" {
		p.vaultHost = DefaultKeyVaultSuffix
	}
	if f := opts.PollFrequency; f < 0 || (f > 0 && f < time.Second && flag.Lookup("test.v") == nil) {
		// PollUntilDone refuses less than 1 s outside tests: say so now
		// rather than at the first long-running operation.
		return nil, &flex.Error{Kind: flex.ErrInvalid, Op: "New", Err: fmt.Errorf("azure: PollFrequency %v: want 0 (the SDK's default) or at least 1s", f)}
	}
	if opts.PollFrequency > 0 {
		p.poll = &runtime.PollUntilDoneOptions{Frequency: opts.PollFrequency}
	}
	var err error
	if p.arm, err = arm.NewClient(moduleName, moduleVersion, cred, &p.opts); err != nil {
		return nil, &flex.Error{Kind: flex.ErrInvalid, Op: "New", Err: err}
	}
	p.vault = newVaultPipeline(cred, &p.opts)
	if _, err := p.clients(subscriptionID); err != nil {
		return nil, err
	}
	return p, nil
}

// Subscription returns the subscription the provider was made for.
func (p *Provider) Subscription() string { return p.defaultSub }

// clients returns the clients of subscription sub, making them on first
// use.
func (p *Provider) clients(sub string) (*clients, error) {
	if sub == "" {
		sub = p.defaultSub
	}
	key := strings.ToLower(sub)
	p.mu.Lock()
	defer p.mu.Unlock()
	if c := p.subs[key]; c != nil {
		return c, nil
	}
	nf, err := armnetwork.NewClientFactory(sub, p.cred, &p.opts)
	if err != nil {
		return nil, &flex.Error{Kind: flex.ErrInvalid, Op: "New", Object: "subscription " + sub, Err: err}
	}
	cf, err := armcompute.NewClientFactory(sub, p.cred, &p.opts)
	if err != nil {
		return nil, &flex.Error{Kind: flex.ErrInvalid, Op: "New", Object: "subscription " + sub, Err: err}
	}
	c := &clients{
		network:     nf,
		compute:     cf,
		vnets:       nf.NewVirtualNetworksClient(),
		nsgs:        nf.NewSecurityGroupsClient(),
		routeTables: nf.NewRouteTablesClient(),
		nats:        nf.NewNatGatewaysClient(),
		pips:        nf.NewPublicIPAddressesClient(),
		peerings:    nf.NewVirtualNetworkPeeringsClient(),
		gateways:    nf.NewVirtualNetworkGatewaysClient(),
		locals:      nf.NewLocalNetworkGatewaysClient(),
		conns:       nf.NewVirtualNetworkGatewayConnectionsClient(),
		hubs:        nf.NewVirtualHubsClient(),
		hubConns:    nf.NewHubVirtualNetworkConnectionsClient(),
		nics:        nf.NewInterfacesClient(),
		vms:         cf.NewVirtualMachinesClient(),
		disks:       cf.NewDisksClient(),
		snapshots:   cf.NewSnapshotsClient(),
		images:      cf.NewImagesClient(),
	}
	p.subs[key] = c
	return c, nil
}

// pending is a long-running operation that has started, or the error of
// starting it.
type pending[T any] struct {
	poller *runtime.Poller[T]
	err    error
}

// wait takes what a Begin… method returns.
func wait[T any](poller *runtime.Poller[T], err error) pending[T] { return pending[T]{poller, err} }

// done polls the operation until it is done, as often as p.poll says.
func (o pending[T]) done(ctx context.Context, p *Provider) (T, error) {
	if o.err != nil {
		var zero T
		return zero, o.err
	}
	return o.poller.PollUntilDone(ctx, p.poll)
}

// As reports whether target is a pointer to one of the SDK values the
// provider is made of and, if so, sets it, so that a program can call what
// package flex does not model through the same credential, retry policy
// and transport: *armnetwork.ClientFactory and *armcompute.ClientFactory
// of the subscription New was given, and the *arm.Client whose pipeline
// serves resource groups and keys.
func (p *Provider) As(target any) bool {
	c, err := p.clients(p.defaultSub)
	if err != nil {
		return false
	}
	switch t := target.(type) {
	case **armnetwork.ClientFactory:
		*t = c.network
	case **armcompute.ClientFactory:
		*t = c.compute
	case **arm.Client:
		*t = p.arm
	default:
		return false
	}
	return true
}

// ErrorAs reports whether err holds an *azcore.ResponseError and, if so,
// sets target (a **azcore.ResponseError) to it, like errors.As. Every
// error that the provider returns for an answer of Azure's holds one; see
// the package documentation's "As" section.
func (p *Provider) ErrorAs(err error, target any) bool {
	switch target.(type) {
	case **azcore.ResponseError:
		return errors.As(err, target)
	}
	return false
}

func invalidf(op string, id flex.ResourceID, format string, args ...any) error {
	return &flex.Error{Kind: flex.ErrInvalid, Op: op, Object: id.String(), Err: fmt.Errorf(format, args...)}
}

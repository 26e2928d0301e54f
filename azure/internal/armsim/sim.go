// Package armsim is the cloud behind the fake ARM servers of package
// fakearm: it reads each request's SDK model as Azure would, with the
// conversions of package armconv, applies it to a flex.Provider that
// simulates Azure (package fake's Cloud, or a tenant's View of it), and
// writes the answer back as an SDK model, or as the status and error code
// Azure would send.
//
// What the simulated cloud has no resource for, the simulator keeps itself:
// the public IP addresses of NAT and VPN gateways (their addresses are the
// gateways' PublicIP) and the network interfaces of VMs (their addresses
// are the VMs' PrivateIP). A VM's OS disk swap (RestoreSnapshot's
// VirtualMachines.BeginUpdate) becomes the simulated cloud's own
// RestoreSnapshot of the snapshot the new disk was made from, which makes
// a disk of its own, named as the cloud names it.
package armsim

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/daasflex/daasflex/azure/internal/fakearm"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

// Sim is a fakearm.Backend over a simulated cloud. It is safe for
// concurrent use.
type Sim struct {
	cloud flex.Provider

	mu     sync.Mutex
	pips   map[string]*pip  // lower-case ARM ID → public IP
	nics   map[string]*nic  // lower-case ARM ID → network interface
	vaults map[string]vault // lower-case vault name → the vault
}

type pip struct {
	id    flex.ResourceID
	model armnetwork.PublicIPAddress
	owner flex.ResourceID // the NAT or VPN gateway using it
}

// vault is a key vault; the simulated cloud keeps keys, not vaults.
type vault struct {
	group  flex.ResourceID
	region network.Region
	tags   map[string]string
}

type nic struct {
	id    flex.ResourceID
	model armnetwork.Interface
	vm    flex.ResourceID // the VM using it
}

// New returns a simulator over cloud.
func New(cloud flex.Provider) *Sim {
	return &Sim{cloud: cloud, pips: make(map[string]*pip), nics: make(map[string]*nic), vaults: make(map[string]vault)}
}

// Transport returns a policy.Transporter that serves the azure provider
// from cloud through the SDK's fake servers.
func Transport(cloud flex.Provider) policy.Transporter { return fakearm.Transport(New(cloud)) }

// Transport returns the policy.Transporter that serves the azure provider
// from s.
func (s *Sim) Transport() policy.Transporter { return fakearm.Transport(s) }

func key(id flex.ResourceID) string { return strings.ToLower(id.String()) }

var _ fakearm.Backend = (*Sim)(nil)

// armAnswers are the HTTP status and ARM error code Azure answers for each
// kind of error.
var armAnswers = map[error]struct {
	status int
	code   string
}{
	flex.ErrNotFound:     {http.StatusNotFound, "ResourceNotFound"},
	flex.ErrConflict:     {http.StatusConflict, "Conflict"},
	flex.ErrInvalid:      {http.StatusBadRequest, "InvalidParameter"},
	flex.ErrCapacity:     {http.StatusConflict, "AllocationFailed"},
	flex.ErrLimit:        {http.StatusConflict, "QuotaExceeded"},
	flex.ErrPrecondition: {http.StatusForbidden, "AuthorizationFailed"},
	flex.ErrBusy:         {http.StatusConflict, "AnotherOperationInProgress"},
	flex.ErrThrottled:    {http.StatusTooManyRequests, "TooManyRequests"},
	flex.ErrUnavailable:  {http.StatusServiceUnavailable, "ServiceUnavailable"},
}

// armError converts an error of the simulated cloud to the status and code
// Azure would answer with. The cloud's messages start with Azure's code
// ("ResourceNotFound: …"); a message without one gets the kind's usual
// code.
func armError(err error) error {
	if err == nil {
		return nil
	}
	var ae *fakearm.Error
	if errors.As(err, &ae) {
		return ae
	}
	msg := err.Error()
	var fe *flex.Error
	if errors.As(err, &fe) && fe.Err != nil {
		msg = fe.Err.Error()
	}
	status, code := http.StatusInternalServerError, "InternalServerError"
	if a, ok := armAnswers[flex.KindOf(err)]; ok {
		status, code = a.status, a.code
	}
	if c, rest, ok := strings.Cut(msg, ":"); ok && isCode(c) {
		code, msg = c, strings.TrimSpace(rest)
	}
	return &fakearm.Error{Status: status, Code: code, Message: msg}
}

// isCode reports whether s looks like an ARM error code: letters only,
// starting with an upper-case one.
func isCode(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

func badRequest(format string, err error) error {
	return &fakearm.Error{Status: http.StatusBadRequest, Code: "InvalidRequestContent", Message: format + ": " + err.Error()}
}

func notFound(id flex.ResourceID) error {
	return &fakearm.Error{Status: http.StatusNotFound, Code: "ResourceNotFound", Message: "the resource " + id.String() + " was not found"}
}

func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return &fakearm.Error{Status: http.StatusRequestTimeout, Code: "RequestTimeout", Message: err.Error()}
	}
	return nil
}

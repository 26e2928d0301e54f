package azure_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/daasflex/daasflex/azure"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
)

// answer returns an ARM error response as Azure sends it.
func answer(req *http.Request, status int, code string, header map[string]string) *http.Response {
	body := `{"error":{"code":"` + code + `","message":"the message of ` + code + `"}}`
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	for k, v := range header {
		h.Set(k, v)
	}
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Header: h, Request: req,
		Body: io.NopCloser(bytes.NewBufferString(body)), ContentLength: int64(len(body))}
}

// TestErrorKinds answers every request with one error of Azure's and
// checks the kind, RetryAfter, the object named and that the original
// *azcore.ResponseError is reachable.
func TestErrorKinds(t *testing.T) {
	// calls: how many requests the retry policy makes (3 retries of 408,
	// 429, 500, 502, 503, 504; none when Retry-After is beyond the
	// policy's longest delay, 50 ms in these tests).
	cases := []struct {
		status int
		code   string
		header map[string]string
		want   error
		after  time.Duration
		calls  int32
	}{
		{404, "ResourceNotFound", nil, flex.ErrNotFound, 0, 1},
		{404, "ResourceGroupNotFound", nil, flex.ErrNotFound, 0, 1},
		{409, "Conflict", nil, flex.ErrConflict, 0, 1},
		{400, "InUseSubnetCannotBeDeleted", nil, flex.ErrConflict, 0, 1}, // Azure's 400 for an in-use subnet
		{400, "AnotherOperationInProgress", nil, flex.ErrConflict, 0, 1},
		{400, "InvalidParameter", nil, flex.ErrInvalid, 0, 1},
		{409, "SkuNotAvailable", nil, flex.ErrCapacity, 0, 1},
		{409, "ZonalAllocationFailed", nil, flex.ErrCapacity, 0, 1},
		{500, "AllocationFailed", map[string]string{"Retry-After": "60"}, flex.ErrCapacity, 0, 1},
		{409, "OverconstrainedAllocationRequest", nil, flex.ErrCapacity, 0, 1},
		{409, "QuotaExceeded", nil, flex.ErrLimit, 0, 1},
		{403, "AuthorizationFailed", nil, flex.ErrPrecondition, 0, 1},
		{429, "TooManyRequests", map[string]string{"Retry-After": "17"}, flex.ErrThrottled, 17 * time.Second, 1},
		{429, "SubscriptionRequestsThrottled", map[string]string{"retry-after-ms": "90000"}, flex.ErrThrottled, 90 * time.Second, 1},
		{429, "TooManyRequestsNoDelay", nil, flex.ErrThrottled, 0, 4},
		{503, "ServiceUnavailable", nil, flex.ErrUnavailable, 0, 4},
		{502, "BadGateway", map[string]string{"Retry-After": "60"}, flex.ErrUnavailable, 0, 1},
		{504, "GatewayTimeout", nil, flex.ErrUnavailable, 0, 4},
	}
	id := rid(flex.TypeVirtualNetwork, "vnet")
	for _, c := range cases {
		t.Run(c.code, func(t *testing.T) {
			var calls atomic.Int32
			p := wrapped(t, fake.New(), func(policy.Transporter) policy.Transporter {
				return transportFunc(func(req *http.Request) (*http.Response, error) {
					calls.Add(1)
					return answer(req, c.status, c.code, c.header), nil
				})
			})
			_, err := p.Get(t.Context(), id)
			if !errors.Is(err, c.want) || flex.KindOf(err) != c.want {
				t.Fatalf("Get answered %d %s: err = %v; want kind %v", c.status, c.code, err, c.want)
			}
			var fe *flex.Error
			if !errors.As(err, &fe) || fe.Object != id.String() || fe.RetryAfter != c.after {
				t.Errorf("err = %#v; want a *flex.Error about %s with RetryAfter %v", fe, id, c.after)
			}
			var re *azcore.ResponseError
			if !errors.As(err, &re) || re.StatusCode != c.status || re.ErrorCode != c.code {
				t.Errorf("errors.As reached %v; want the *azcore.ResponseError %d %s", re, c.status, c.code)
			}
			var viaProvider *azcore.ResponseError
			if !p.ErrorAs(err, &viaProvider) || viaProvider != re {
				t.Errorf("ErrorAs did not reach the *azcore.ResponseError")
			}
			if !strings.Contains(err.Error(), c.code) || !strings.Contains(err.Error(), "the message of "+c.code) {
				t.Errorf("err = %q; want the code and message of Azure's answer", err)
			}
			if n := calls.Load(); n != c.calls {
				t.Errorf("%d requests; want %d", n, c.calls)
			}
		})
	}
}

// TestErrorAsOtherTargets: ErrorAs reaches only the SDK's types.
func TestErrorAsOtherTargets(t *testing.T) {
	p, _ := newProvider(t)
	_, err := p.Get(t.Context(), rid(flex.TypeVirtualNetwork, "missing"))
	var fe *flex.Error
	if p.ErrorAs(err, &fe) {
		t.Error("ErrorAs reached a *flex.Error; it reaches only the SDK's types")
	}
	var re *azcore.ResponseError
	if !p.ErrorAs(err, &re) || re.StatusCode != http.StatusNotFound {
		t.Errorf("ErrorAs(%v) did not reach a 404 *azcore.ResponseError", err)
	}
}

// faults wraps a transport: the first n requests whose method and path
// match get the status with a Retry-After header, as a real
// *http.Response, before the request reaches the cloud.
type faults struct {
	next   policy.Transporter
	method string
	path   string
	status int
	after  string
	mu     sync.Mutex
	left   int
	seen   int
}

func (f *faults) Do(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	match := req.Method == f.method && strings.Contains(strings.ToLower(req.URL.Path), strings.ToLower(f.path))
	if match {
		f.seen++
	}
	inject := match && f.left > 0
	if inject {
		f.left--
	}
	f.mu.Unlock()
	if inject {
		return answer(req, f.status, http.StatusText(f.status), map[string]string{"Retry-After": f.after}), nil
	}
	return f.next.Do(req)
}

// TestRetryPolicyRecovers injects 429 with Retry-After and 503 at the
// transport, on the first request of a Put and on the polls of its
// long-running operation, and checks that the ARM retry policy the
// provider's clients share recovers from each.
func TestRetryPolicyRecovers(t *testing.T) {
	cases := []struct {
		name   string
		method string
		status int
		after  string
		n      int
	}{
		{"429 on PUT", http.MethodPut, http.StatusTooManyRequests, "0", 2},
		{"503 on PUT", http.MethodPut, http.StatusServiceUnavailable, "0", 3},
		{"429 on poll", http.MethodGet, http.StatusTooManyRequests, "0", 2},
		{"500 on poll", http.MethodGet, http.StatusInternalServerError, "0", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cloud := fake.New()
			var f *faults
			p := wrapped(t, cloud, func(next policy.Transporter) policy.Transporter {
				f = &faults{next: next, method: c.method, path: "/virtualNetworks/vnet", status: c.status, after: c.after, left: c.n}
				return f
			})
			putGroup(t, p)
			got, err := p.Put(t.Context(), vnetOf("vnet", "10.0.0.0/16"))
			if err != nil {
				t.Fatalf("Put with %d × %d injected: %v", c.n, c.status, err)
			}
			if got.Metadata().State != flex.Succeeded {
				t.Errorf("state %q; want Succeeded", got.Metadata().State)
			}
			if f.left != 0 || f.seen != c.n+1 {
				t.Errorf("%d faults left, %d matching requests; want 0 and %d (each fault retried once)", f.left, f.seen, c.n+1)
			}
			if _, err := cloud.Get(t.Context(), rid(flex.TypeVirtualNetwork, "vnet")); err != nil {
				t.Errorf("the cloud has no VNet after the retried Put: %v", err)
			}
		})
	}
}

// TestThrottledBeyondRetries: a Retry-After beyond the policy's longest
// delay is not waited for; the caller gets ErrThrottled with the delay.
func TestThrottledBeyondRetries(t *testing.T) {
	cloud := fake.New()
	p := wrapped(t, cloud, func(next policy.Transporter) policy.Transporter {
		return &faults{next: next, method: http.MethodPut, path: "/virtualNetworks/", status: http.StatusTooManyRequests, after: "120", left: 100}
	})
	putGroup(t, p)
	start := time.Now()
	_, err := p.Put(t.Context(), vnetOf("vnet", "10.0.0.0/16"))
	var fe *flex.Error
	if !errors.Is(err, flex.ErrThrottled) || !errors.As(err, &fe) || fe.RetryAfter != 2*time.Minute {
		t.Fatalf("err = %v; want ErrThrottled with RetryAfter 2m", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v; a Retry-After beyond MaxRetryDelay must not be waited for", d)
	}
}

// TestContextErrorsPassThrough: a cancelled context gives the context's
// error, of no flex kind.
func TestContextErrorsPassThrough(t *testing.T) {
	p, _ := newProvider(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := p.Get(ctx, rid(flex.TypeVirtualNetwork, "vnet"))
	if !errors.Is(err, context.Canceled) || flex.KindOf(err) != nil {
		t.Errorf("err = %v; want context.Canceled and no flex kind", err)
	}
	err = p.Power(ctx, rid(flex.TypeVirtualMachine, "vm"), flex.Start)
	if !errors.Is(err, context.Canceled) || flex.KindOf(err) != nil {
		t.Errorf("Power: err = %v; want context.Canceled and no flex kind", err)
	}
}

// TestNewRefuses: New needs a subscription and a credential.
func TestNewRefuses(t *testing.T) {
	if _, err := azure.New("", &azfake.TokenCredential{}, nil); !errors.Is(err, flex.ErrInvalid) {
		t.Errorf("New without a subscription: %v; want ErrInvalid", err)
	}
	if _, err := azure.New(sub, nil, nil); !errors.Is(err, flex.ErrInvalid) {
		t.Errorf("New without a credential: %v; want ErrInvalid", err)
	}
	p, err := azure.New(sub, &azfake.TokenCredential{}, nil)
	if err != nil || p.Subscription() != sub {
		t.Errorf("New with nil options: %v, %v; want a provider for %s", p, err, sub)
	}
}

// TestTransportFailure: no answer at all is ErrUnavailable.
func TestTransportFailure(t *testing.T) {
	p := wrapped(t, fake.New(), func(policy.Transporter) policy.Transporter {
		return transportFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("connection refused") })
	})
	_, err := p.Get(t.Context(), rid(flex.TypeVirtualNetwork, "vnet"))
	if !errors.Is(err, flex.ErrUnavailable) || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("err = %v; want ErrUnavailable naming the cause", err)
	}
}

func putGroup(t *testing.T, p flex.Provider) {
	t.Helper()
	if _, err := p.Put(t.Context(), &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(sub, rgName), Region: region}}); err != nil {
		t.Fatal(err)
	}
}

func vnetOf(name, space string) *flex.VirtualNetwork {
	return &flex.VirtualNetwork{Meta: meta(flex.TypeVirtualNetwork, name, "connection/c1"), AddressSpace: []netip.Prefix{pfx(space)}}
}

// TestAs: the clients As reaches share the provider's transport.
func TestAs(t *testing.T) {
	p, cloud := newProvider(t)
	putGroup(t, p)
	if _, err := cloud.Put(t.Context(), &flex.Disk{Meta: meta(flex.TypeDisk, "data", "catalog/x"), SizeGiB: 32}); err != nil {
		t.Fatal(err)
	}
	var cf *armcompute.ClientFactory
	if !p.As(&cf) || cf == nil {
		t.Fatal("As did not reach the armcompute.ClientFactory")
	}
	d, err := cf.NewDisksClient().Get(t.Context(), rgName, "data", nil)
	if err != nil || *d.Properties.DiskSizeGB != 32 {
		t.Errorf("the disk through As's client: %v, %v; want the 32 GiB disk of the cloud", d, err)
	}
	var ac *arm.Client
	if !p.As(&ac) || ac == nil {
		t.Error("As did not reach the arm.Client")
	}
	var n *int
	if p.As(&n) {
		t.Error("As reached an *int")
	}
}

// Package fakearm serves the azure provider's requests with the Azure SDK's
// own fake servers (armnetwork/v9/fake and armcompute/v8/fake, their
// ServerFactory and NewServerFactoryTransport), behind one
// policy.Transporter that routes each request by subscription and by the
// ARM provider namespace in its URL path. Every fake server function hands
// the request's model to a Backend, which plays the cloud.
//
// This is the only package from which the generated ServerFactory types
// are reachable: they compile to thousands of generic functions, so the
// package exposes nothing of them and changes seldom. The cloud's logic
// lives in the Backend (package armsim).
package fakearm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/daasflex/daasflex/flex"
)

// Backend is the cloud behind the fake servers. Models are pointers to the
// models of armnetwork and armcompute (*armnetwork.VirtualNetwork, …), in
// and out; errors should be *Error values so that the client sees the
// status and code Azure would send.
type Backend interface {
	// Put creates or updates the resource id from model and returns the
	// model of the resource as the cloud now holds it.
	Put(ctx context.Context, id flex.ResourceID, model any) (any, error)
	// Get returns the model of the resource id.
	Get(ctx context.Context, id flex.ResourceID) (any, error)
	// Delete deletes the resource id; a missing one is no error.
	Delete(ctx context.Context, id flex.ResourceID) error
	// List returns the models of the resources of type t in the resource
	// group or, for a child type, the parent resource named by scope.
	List(ctx context.Context, scope flex.ResourceID, t flex.ResourceType) ([]any, error)
	// Action runs a POST or PATCH verb on the resource id ("start",
	// "restart", "powerOff", "deallocate", "update", "grantAccess",
	// "reset") with the request's model, if any, and returns the result's
	// model, if any.
	Action(ctx context.Context, id flex.ResourceID, action string, body any) (any, error)
	// Plain serves what no generated client asks: resource groups and key
	// vaults.
	Plain(req *http.Request) (*http.Response, error)
}

// Error is an error answer of the cloud: the HTTP status and ARM's error
// code and message.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Response returns the HTTP response that carries e, as ARM writes it.
func (e *Error) Response(req *http.Request) *http.Response {
	body, _ := json.Marshal(map[string]any{"error": map[string]string{"code": e.Code, "message": e.Message}})
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("x-ms-error-code", e.Code)
	return &http.Response{
		Status:        http.StatusText(e.Status),
		StatusCode:    e.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

// Transport returns the policy.Transporter that serves every request of
// the azure provider from b.
func Transport(b Backend) policy.Transporter {
	return &transport{b: b, subs: make(map[string]*servers)}
}

type transport struct {
	b    Backend
	mu   sync.Mutex
	subs map[string]*servers
	// lists serializes the requests of one list path: the fake pagers are
	// keyed by URL path, and two drained at once would share one.
	lists sync.Map // path → *sync.Mutex
	lros  sync.Map // path → *lroLock
}

// servers are the fake server transports of one subscription.
type servers struct {
	network policy.Transporter
	compute policy.Transporter
}

func (t *transport) servers(sub string) *servers {
	t.mu.Lock()
	defer t.mu.Unlock()
	key := strings.ToLower(sub)
	if s := t.subs[key]; s != nil {
		return s
	}
	s := &servers{network: networkTransport(t.b, sub), compute: computeTransport(t.b, sub)}
	t.subs[key] = s
	return s
}

// Do routes the request: Microsoft.Network to the armnetwork fake
// servers, Microsoft.Compute to the armcompute ones, and everything else
// (resource groups, key vaults) to the backend's Plain.
func (t *transport) Do(req *http.Request) (*http.Response, error) {
	path := strings.ToLower(req.URL.Path)
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 || parts[0] != "subscriptions" {
		return t.b.Plain(req)
	}
	sub := strings.Split(strings.Trim(req.URL.Path, "/"), "/")[1]
	var inner policy.Transporter
	switch {
	case strings.Contains(path, "/providers/microsoft.network/"):
		inner = t.servers(sub).network
	case strings.Contains(path, "/providers/microsoft.compute/"):
		inner = t.servers(sub).compute
	default:
		return t.b.Plain(req)
	}
	ctx := req.Context()
	api, _ := ctx.Value(runtime.CtxAPINameKey{}).(string)
	lro := strings.Contains(api, ".Begin")
	if lro {
		// Polls go to the operation's path plus this suffix.
		path = strings.TrimSuffix(path, "/get/fake/status")
	}
	switch {
	case lro && req.Method != http.MethodGet:
		// The first request of a long-running operation waits for the one
		// in flight on the same path to finish.
		if err := t.lro(path).acquire(ctx); err != nil {
			return nil, err
		}
	case !lro && req.Method == http.MethodGet:
		m, _ := t.lists.LoadOrStore(path, &sync.Mutex{})
		mu := m.(*sync.Mutex)
		mu.Lock()
		defer mu.Unlock()
	}
	resp, err := t.do(inner, req)
	if lro && (err != nil || resp == nil || resp.Header.Get(fakePollerStatus) != "InProgress") {
		t.lro(path).release()
	}
	return resp, err
}

// fakePollerStatus is the header in which the fake servers say a
// long-running operation's state: "InProgress" until its final answer.
const fakePollerStatus = "Fake-Poller-Status"

// lroLock is held from the first request of a long-running operation on
// a path to its final answer: the fake servers keep one poller per path,
// and a second operation started meanwhile would read the first's.
type lroLock struct {
	sem  chan struct{}
	mu   sync.Mutex
	stop func() bool // ends the release on cancellation
}

func (t *transport) lro(path string) *lroLock {
	l, _ := t.lros.LoadOrStore(path, &lroLock{sem: make(chan struct{}, 1)})
	return l.(*lroLock)
}

func (l *lroLock) acquire(ctx context.Context) error {
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	l.mu.Lock()
	// An operation abandoned by its caller must not hold the path forever.
	l.stop = context.AfterFunc(ctx, l.release)
	l.mu.Unlock()
	return nil
}

func (l *lroLock) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stop == nil {
		return
	}
	l.stop()
	l.stop = nil
	<-l.sem
}

// do sends the request to a fake server transport.
func (t *transport) do(inner policy.Transporter, req *http.Request) (*http.Response, error) {
	// The generated server transports run the fake in a goroutine and
	// panic (send on a closed channel) when the request's context ends
	// first: they get a context that does not end, and cancellation is
	// answered here, before and after, as a real transport would.
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	resp, err := inner.Do(req.WithContext(context.WithoutCancel(ctx)))
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, ctxErr
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return e.Response(req), nil
		}
	}
	return resp, err
}

// rid returns the ID of a resource of type t in resource group rg of sub.
func rid(sub, rg string, t flex.ResourceType, name string) flex.ResourceID {
	if t == flex.TypeResourceGroup {
		return flex.GroupID(sub, name)
	}
	return flex.ResourceID{Subscription: sub, ResourceGroup: rg, Type: t, Name: name}
}

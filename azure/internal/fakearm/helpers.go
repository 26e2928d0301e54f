package fakearm

import (
	"context"
	"errors"
	"net/http"

	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"

	"github.com/daasflex/daasflex/flex"
)

// asError returns err as an *Error, the status and code the client sees.
func asError(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Status: http.StatusInternalServerError, Code: "InternalServerError", Message: err.Error()}
}

// put answers a PUT as a long-running operation: one in-progress poll,
// then the resource.
func put[M, R any](ctx context.Context, b Backend, id flex.ResourceID, m M, wrap func(M) R) (resp azfake.PollerResponder[R], errResp azfake.ErrorResponder) {
	out, err := b.Put(ctx, id, &m)
	if err != nil {
		errResp.SetError(asError(err))
		return resp, errResp
	}
	resp.AddNonTerminalResponse(http.StatusOK, nil)
	resp.SetTerminalResponse(http.StatusOK, wrap(*out.(*M)), nil)
	return resp, errResp
}

// get answers a GET of one resource.
func get[M, R any](ctx context.Context, b Backend, id flex.ResourceID, wrap func(M) R) (resp azfake.Responder[R], errResp azfake.ErrorResponder) {
	out, err := b.Get(ctx, id)
	if err != nil {
		errResp.SetError(asError(err))
		return resp, errResp
	}
	resp.SetResponse(http.StatusOK, wrap(*out.(*M)), nil)
	return resp, errResp
}

// del answers a DELETE as a long-running operation.
func del[R any](ctx context.Context, b Backend, id flex.ResourceID) (resp azfake.PollerResponder[R], errResp azfake.ErrorResponder) {
	if err := b.Delete(ctx, id); err != nil {
		errResp.SetError(asError(err))
		return resp, errResp
	}
	var zero R
	resp.AddNonTerminalResponse(http.StatusOK, nil)
	resp.SetTerminalResponse(http.StatusOK, zero, nil)
	return resp, errResp
}

// act answers a POST or PATCH verb as a long-running operation whose
// result, if any, wrap turns into the response.
func act[R any](ctx context.Context, b Backend, id flex.ResourceID, action string, body any, wrap func(any) R) (resp azfake.PollerResponder[R], errResp azfake.ErrorResponder) {
	out, err := b.Action(ctx, id, action, body)
	if err != nil {
		errResp.SetError(asError(err))
		return resp, errResp
	}
	var r R
	if wrap != nil {
		r = wrap(out)
	}
	resp.AddNonTerminalResponse(http.StatusOK, nil)
	resp.SetTerminalResponse(http.StatusOK, r, nil)
	return resp, errResp
}

// list answers a list with one page holding every resource (an empty page
// when there are none: a pager with no page fails).
func list[M, R any](b Backend, scope flex.ResourceID, t flex.ResourceType, wrap func([]*M) R) (resp azfake.PagerResponder[R]) {
	items, err := b.List(context.Background(), scope, t)
	if err != nil {
		resp.AddError(asError(err))
		return resp
	}
	ms := make([]*M, len(items))
	for i, it := range items {
		ms[i] = it.(*M)
	}
	resp.AddPage(http.StatusOK, wrap(ms), nil)
	return resp
}

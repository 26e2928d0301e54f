package fakearm

import (
	"context"
	"reflect"

	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"

	"github.com/daasflex/daasflex/flex"
)

// The generated fake servers take one function per operation, each of its
// own type (the model, the response and the options differ per resource
// type). The functions below make those of the four operations every
// resource type has, given the type arguments: M the model, R the
// response, O the options. Responses of the SDK embed their model (or, for
// a list, a result whose Value holds the models) as their only field,
// which embed and page fill.

// kind is one resource type of one subscription.
type kind struct {
	b   Backend
	sub string
	t   flex.ResourceType
}

// id returns the ID of resource name in resource group rg.
func (k kind) id(rg, name string) flex.ResourceID { return rid(k.sub, rg, k.t, name) }

// child returns the ID of child resource name of parent in rg.
func (k kind) child(rg, parent, name string) flex.ResourceID {
	return rid(k.sub, rg, k.t, parent+"/"+name)
}

// embed returns the response R whose only field is m.
func embed[M, R any](m M) R {
	var r R
	reflect.ValueOf(&r).Elem().Field(0).Set(reflect.ValueOf(m))
	return r
}

// page returns the list response R whose only field's Value is ms.
func page[M, R any](ms []*M) R {
	var r R
	reflect.ValueOf(&r).Elem().Field(0).FieldByName("Value").Set(reflect.ValueOf(ms))
	return r
}

func putOf[M, R, O any](k kind) func(context.Context, string, string, M, *O) (azfake.PollerResponder[R], azfake.ErrorResponder) {
	return func(ctx context.Context, rg, name string, m M, _ *O) (azfake.PollerResponder[R], azfake.ErrorResponder) {
		return put(ctx, k.b, k.id(rg, name), m, embed[M, R])
	}
}

func getOf[M, R, O any](k kind) func(context.Context, string, string, *O) (azfake.Responder[R], azfake.ErrorResponder) {
	return func(ctx context.Context, rg, name string, _ *O) (azfake.Responder[R], azfake.ErrorResponder) {
		return get(ctx, k.b, k.id(rg, name), embed[M, R])
	}
}

func deleteOf[R, O any](k kind) func(context.Context, string, string, *O) (azfake.PollerResponder[R], azfake.ErrorResponder) {
	return func(ctx context.Context, rg, name string, _ *O) (azfake.PollerResponder[R], azfake.ErrorResponder) {
		return del[R](ctx, k.b, k.id(rg, name))
	}
}

// listOf lists the resources of k in a resource group.
func listOf[M, R, O any](k kind) func(string, *O) azfake.PagerResponder[R] {
	return func(rg string, _ *O) azfake.PagerResponder[R] {
		return list(k.b, flex.GroupID(k.sub, rg), k.t, page[M, R])
	}
}

// The same for child resources, such as the peerings of a VNet (parent
// is of type parentType).

func childPutOf[M, R, O any](k kind) func(context.Context, string, string, string, M, *O) (azfake.PollerResponder[R], azfake.ErrorResponder) {
	return func(ctx context.Context, rg, parent, name string, m M, _ *O) (azfake.PollerResponder[R], azfake.ErrorResponder) {
		return put(ctx, k.b, k.child(rg, parent, name), m, embed[M, R])
	}
}

func childGetOf[M, R, O any](k kind) func(context.Context, string, string, string, *O) (azfake.Responder[R], azfake.ErrorResponder) {
	return func(ctx context.Context, rg, parent, name string, _ *O) (azfake.Responder[R], azfake.ErrorResponder) {
		return get(ctx, k.b, k.child(rg, parent, name), embed[M, R])
	}
}

func childDeleteOf[R, O any](k kind) func(context.Context, string, string, string, *O) (azfake.PollerResponder[R], azfake.ErrorResponder) {
	return func(ctx context.Context, rg, parent, name string, _ *O) (azfake.PollerResponder[R], azfake.ErrorResponder) {
		return del[R](ctx, k.b, k.child(rg, parent, name))
	}
}

func childListOf[M, R, O any](k kind, parentType flex.ResourceType) func(string, string, *O) azfake.PagerResponder[R] {
	return func(rg, parent string, _ *O) azfake.PagerResponder[R] {
		return list(k.b, rid(k.sub, rg, parentType, parent), k.t, page[M, R])
	}
}

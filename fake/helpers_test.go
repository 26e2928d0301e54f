package fake_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
	"github.com/google/go-cmp/cmp"
)

var (
	ctx   = context.Background()
	epoch = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
)

const (
	sub    = "sub-1"
	rg     = "rg"
	region = network.WestEurope
)

func id(t flex.ResourceType, name string) flex.ResourceID {
	return flex.ResourceID{Subscription: sub, ResourceGroup: rg, Type: t, Name: name}
}

func idIn(group string, t flex.ResourceType, name string) flex.ResourceID {
	return flex.ResourceID{Subscription: sub, ResourceGroup: group, Type: t, Name: name}
}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func addr(s string) netip.Addr  { return netip.MustParseAddr(s) }

func meta(i flex.ResourceID) flex.Meta {
	return flex.Meta{ID: i, Region: region, Tags: map[string]string{flex.TagOwner: "catalog/test"}}
}

// newCloud returns a cloud on a manual clock with resource group rg.
func newCloud(t testing.TB, opts ...fake.Option) (*fake.Cloud, *fake.Clock) {
	t.Helper()
	clk := fake.NewClock(epoch)
	c := fake.New(append([]fake.Option{fake.WithClock(clk)}, opts...)...)
	mustPut(t, c, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(sub, rg), Region: region}})
	return c, clk
}

func mustPut[T flex.Resource](t testing.TB, p flex.Provider, r T) T {
	t.Helper()
	got, err := flex.PutAs(ctx, p, r)
	if err != nil {
		t.Fatalf("Put %s: %v", r.Metadata().ID, err)
	}
	return got
}

func vnet(name string, space string, subnets ...flex.Subnet) *flex.VirtualNetwork {
	return &flex.VirtualNetwork{
		Meta:         meta(id(flex.TypeVirtualNetwork, name)),
		AddressSpace: []netip.Prefix{pfx(space)},
		Subnets:      subnets,
	}
}

func subnet(name, prefix string) flex.Subnet { return flex.Subnet{Name: name, Prefix: pfx(prefix)} }

func vm(name, vnetName, subnetName string) *flex.VirtualMachine {
	return &flex.VirtualMachine{
		Meta:          meta(id(flex.TypeVirtualMachine, name)),
		Size:          "Standard_D2s_v5",
		Image:         flex.ImageRef{URN: "MicrosoftWindowsDesktop:windows-11:win11-24h2-avd:latest"},
		Network:       id(flex.TypeVirtualNetwork, vnetName),
		Subnet:        subnetName,
		AdminUsername: "flexadmin",
		AdminPassword: secret.New("Correct-Horse-9-Battery"),
	}
}

// network10 puts vnet "v" 10.0.0.0/16 with subnet "a" 10.0.0.0/24 and
// returns its ID.
func network10(t testing.TB, p flex.Provider) flex.ResourceID {
	t.Helper()
	return mustPut(t, p, vnet("v", "10.0.0.0/16", subnet("a", "10.0.0.0/24"))).ID
}

// wantKind fails the test unless err matches kind.
func wantKind(t testing.TB, err, kind error) {
	t.Helper()
	if kind == nil {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if !errors.Is(err, kind) {
		t.Fatalf("error = %v, want kind %v", err, kind)
	}
}

// wantRule fails the test unless err is of kind and holds a violation of id.
func wantRule(t testing.TB, err, kind error, ruleID string) {
	t.Helper()
	wantKind(t, err, kind)
	if !rule.Has(err, ruleID) {
		t.Fatalf("error %v does not name rule %s", err, ruleID)
	}
}

// wantCode fails the test unless err is of kind and says Azure's code.
func wantCode(t testing.TB, err, kind error, code string) {
	t.Helper()
	wantKind(t, err, kind)
	if !strings.Contains(err.Error(), code) {
		t.Fatalf("error %v does not say %s", err, code)
	}
}

var _ = image.Gen2

func contextWithCancel() (context.Context, context.CancelFunc) { return context.WithCancel(ctx) }

// diff is cmp.Diff with comparers for the netip types, which have
// unexported fields.
func diff(want, got any) string {
	return cmp.Diff(want, got,
		cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
		cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }))
}

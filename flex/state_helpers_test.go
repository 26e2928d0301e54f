package flex_test

import (
	"bytes"
	"context"
	"net/netip"
	"slices"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/secret"
)

// tenantViews is everything a Tenant reports: the views that say whether
// two Tenants are equal.
type tenantViews struct {
	Subscriptions []flex.Subscription
	Connections   []flex.Connection
	Keys          []flex.CustomerKey
	Images        []flex.ImageDetails
	Catalogs      []flex.Catalog
	Machines      map[string][]flex.Machine
	Snapshots     map[string][]flex.MachineSnapshot
	Locations     []flex.ResourceLocation
	Bastions      []flex.Bastion
	RDPAccess     []flex.RDPAccess
	Activities    []flex.Activity
	Logs          map[int]string
	Usage         quota.Usage
}

// stateCmp compares views: addresses and versions by value, secrets by
// content.
var stateCmp = cmp.Options{
	cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{}, image.VDAVersion{}),
	cmp.Comparer(func(a, b secret.Value) bool { return a.Equal(b) }),
	cmpopts.EquateEmpty(),
}

// tb is what views needs of a test.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
}

// views reads every view of tn.
func views(t tb, tn *flex.Tenant) tenantViews {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("reading the views: %v", err)
		}
	}
	var v tenantViews
	var err error
	v.Subscriptions, err = tn.Subscriptions(ctx)
	must(err)
	v.Connections, err = tn.Connections(ctx)
	must(err)
	v.Keys, err = tn.Keys(ctx)
	must(err)
	v.Images, err = tn.Images(ctx)
	must(err)
	v.Catalogs, err = tn.Catalogs(ctx)
	must(err)
	v.Machines = map[string][]flex.Machine{}
	v.Snapshots = map[string][]flex.MachineSnapshot{}
	for _, c := range v.Catalogs {
		v.Machines[c.Name], err = tn.Machines(ctx, c.Name)
		must(err)
		v.Snapshots[c.Name], err = tn.Snapshots(ctx, c.Name, "")
		must(err)
	}
	v.Locations, err = tn.ResourceLocations(ctx)
	must(err)
	v.Bastions, err = tn.Bastions(ctx)
	must(err)
	v.RDPAccess, err = tn.RDPAccesses(ctx)
	must(err)
	v.Activities, err = tn.Activities(ctx, "")
	must(err)
	v.Logs = map[int]string{}
	for _, a := range v.Activities {
		b, err := tn.ActivityLog(ctx, a.ID)
		must(err)
		v.Logs[a.ID] = string(b)
	}
	v.Usage = tn.Usage()
	return v
}

// save returns tn's saved state.
func save(t tb, tn *flex.Tenant) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := tn.Save(&b); err != nil {
		t.Fatalf("Save: %v", err)
	}
	return b.Bytes()
}

// roundTrip saves tn, loads the state over p with opts and checks that
// the loaded Tenant reports what tn reports and saves the same document.
func roundTrip(t tb, tn *flex.Tenant, p flex.Provider, opts ...flex.Option) *flex.Tenant {
	t.Helper()
	doc := save(t, tn)
	got, err := flex.Load(bytes.NewReader(doc), p, opts...)
	if err != nil {
		t.Fatalf("Load of a saved state: %v", err)
	}
	want := views(t, tn)
	if diff := cmp.Diff(want, views(t, got), stateCmp); diff != "" {
		t.Fatalf("loaded Tenant differs (-saved +loaded):\n%s", diff)
	}
	if again := save(t, got); !bytes.Equal(stripSealed(doc), stripSealed(again)) {
		t.Fatalf("the loaded Tenant saves another document:\n%s", cmp.Diff(string(doc), string(again)))
	}
	return got
}

// stripSealed returns doc without what changes from one Save to the next
// with the same state: the sealed secrets (random nonces) and so the
// checksum. Documents without sealed secrets come back as they are.
func stripSealed(doc []byte) []byte {
	if !bytes.Contains(doc, []byte(`"secrets": "aes-256-gcm"`)) {
		return doc
	}
	var out [][]byte
	for _, line := range bytes.Split(doc, []byte("\n")) {
		trim := bytes.TrimSpace(line)
		for _, k := range []string{`"checksum"`, `"keyCheck"`, `"psk"`, `"clientSecret"`} {
			if bytes.HasPrefix(trim, []byte(k+": ")) && !bytes.Equal(trim, []byte(k+`: "",`)) {
				line = []byte(k + ": <sealed>")
			}
		}
		out = append(out, line)
	}
	return bytes.Join(out, []byte("\n"))
}

func sortOrphans(os []flex.Orphan) {
	slices.SortFunc(os, func(a, b flex.Orphan) int {
		return strings.Compare(strings.ToLower(a.ID.String()), strings.ToLower(b.ID.String()))
	})
}

func sortIDs(ids []flex.ResourceID) {
	slices.SortFunc(ids, func(a, b flex.ResourceID) int {
		return strings.Compare(strings.ToLower(a.String()), strings.ToLower(b.String()))
	})
}

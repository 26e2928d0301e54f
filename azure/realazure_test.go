package azure_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/daasflex/daasflex/azure"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

// Environment of the opt-in test against real Azure.
const (
	envSubscription = "DAASFLEX_AZURE_SUBSCRIPTION" // the subscription to create a resource group in
	envToken        = "DAASFLEX_AZURE_TOKEN"        // an ARM access token: az account get-access-token --query accessToken -o tsv
	envRegion       = "DAASFLEX_AZURE_REGION"       // optional; westeurope when unset
)

// staticToken is an azcore.TokenCredential of one bearer token; programs
// use azidentity's credentials instead.
type staticToken string

func (s staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(s), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// TestRealAzure runs against real Azure only when DAASFLEX_AZURE_SUBSCRIPTION
// and DAASFLEX_AZURE_TOKEN are set; otherwise it logs why it did nothing
// and passes, so that CI without credentials stays green. It creates a
// resource group daasflex-it-<random> with an NSG, a route table and a
// VNet (none of which costs money), reads and lists them, checks a 404,
// and deletes the group.
func TestRealAzure(t *testing.T) {
	subID, token := os.Getenv(envSubscription), os.Getenv(envToken)
	if subID == "" || token == "" {
		t.Logf("not run: set %s and %s to test against real Azure", envSubscription, envToken)
		return
	}
	loc := os.Getenv(envRegion)
	if loc == "" {
		loc = "westeurope"
	}
	p, err := azure.New(subID, staticToken(token), &azure.Options{PollFrequency: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Minute)
	defer cancel()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	group := "daasflex-it-" + hex.EncodeToString(b)
	g := flex.GroupID(subID, group)
	if _, err := p.Put(ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: g, Region: regionOfEnv(loc), Tags: map[string]string{flex.TagTenant: "daasflex-it", flex.TagOwner: "test/TestRealAzure"}}}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := p.Delete(context.WithoutCancel(ctx), g); err != nil {
			t.Errorf("delete resource group %s: %v; delete it by hand", group, err)
		}
	}()
	at := func(typ flex.ResourceType, name string) flex.Meta {
		return flex.Meta{ID: flex.ResourceID{Subscription: subID, ResourceGroup: group, Type: typ, Name: name}, Region: regionOfEnv(loc),
			Tags: map[string]string{flex.TagTenant: "daasflex-it", flex.TagOwner: "test/TestRealAzure"}}
	}
	nsg := &flex.SecurityGroup{Meta: at(flex.TypeSecurityGroup, "nsg")}
	rt := &flex.RouteTable{Meta: at(flex.TypeRouteTable, "rt"), Routes: []flex.Route{{Name: "internet", Prefix: pfx("0.0.0.0/0"), NextHop: "Internet"}}}
	vnet := vnetOf("vnet", "10.42.0.0/16")
	vnet.Meta = at(flex.TypeVirtualNetwork, "vnet")
	vnet.Subnets = []flex.Subnet{{Name: "vdas", Prefix: pfx("10.42.0.0/24"), SecurityGroup: nsg.ID, RouteTable: rt.ID}}
	for _, r := range []flex.Resource{nsg, rt, vnet} {
		got, err := p.Put(ctx, r)
		if err != nil {
			t.Fatalf("Put %s: %v", r.Metadata().ID, err)
		}
		if got.Metadata().State != flex.Succeeded {
			t.Errorf("%s is %s after Put; want Succeeded", r.Metadata().ID, got.Metadata().State)
		}
	}
	got, err := flex.GetAs[*flex.VirtualNetwork](ctx, p, vnet.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := diff(vnet.Subnets, got.Subnets); d != "" {
		t.Errorf("subnets (-put +got):\n%s", d)
	}
	rs, err := p.List(ctx, flex.Filter{Subscription: subID, ResourceGroup: group})
	if err != nil || len(rs) != 4 {
		t.Errorf("List of the group: %d resources, %v; want the group, the NSG, the route table and the VNet", len(rs), err)
	}
	_, err = p.Get(ctx, flex.ResourceID{Subscription: subID, ResourceGroup: group, Type: flex.TypeVirtualNetwork, Name: "missing"})
	var re *azcore.ResponseError
	if !errors.Is(err, flex.ErrNotFound) || !p.ErrorAs(err, &re) {
		t.Errorf("Get of a missing VNet: %v; want ErrNotFound holding an *azcore.ResponseError", err)
	}
}

func regionOfEnv(s string) network.Region { return network.Region(s) }

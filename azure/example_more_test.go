package azure_test

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

// A Provider is what a flex.Tenant runs on: the same Tenant code that tests
// use with package fake creates real ARM resources here. (This example's
// provider sends its requests to the SDK's fake servers.)
func ExampleProvider() {
	ctx := context.Background()
	p := exampleProvider()
	t := flex.NewTenant(p, flex.WithID("contoso"))
	if _, err := t.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Citrix Managed", AzureID: p.Subscription()}); err != nil {
		fmt.Println(err)
		return
	}
	c, err := t.CreateConnection(ctx, "Citrix Managed", network.NoConnectivitySpec{
		Name: "managed", Region: network.WestEurope, Range: netip.MustParsePrefix("10.8.0.0/24")})
	fmt.Println(c.Status.State, c.Ranges, err)
	vnets, _ := p.List(ctx, flex.Filter{Subscription: p.Subscription(), Type: flex.TypeVirtualNetwork})
	for _, v := range vnets {
		fmt.Println(v.Metadata().ID.Name, v.Metadata().Tags[flex.TagOwner])
	}
	// Output:
	// Complete [10.8.0.0/24] <nil>
	// flex-vnet connection/managed
}

func ExampleProvider_Subscription() {
	// The subscription New was given; resources of other subscriptions get
	// clients of their own on first use.
	p := exampleProvider()
	fmt.Println(p.Subscription())
	// Output: 00000000-0000-0000-0000-000000000001
}

package deploy_test

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	deploy "github.com/daasflex/daasflex/examples/testing"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

func ExampleProvision() {
	ctx := context.Background()
	clock := fake.NewClock(time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC))
	cloud := fake.New(fake.WithClock(clock))
	_, _ = cloud.Put(ctx, &flex.ResourceGroup{Meta: flex.Meta{ID: flex.GroupID(corpSub, "corp"), Region: network.WestEurope}})
	_, _ = cloud.Put(ctx, &flex.VirtualNetwork{
		Meta:         flex.Meta{ID: flex.ResourceID{Subscription: corpSub, ResourceGroup: "corp", Type: flex.TypeVirtualNetwork, Name: "hub"}, Region: network.WestEurope},
		AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
	})
	tn := flex.NewTenant(cloud.Scope("contoso"), flex.WithID("contoso"), flex.WithClock(clock.Now))
	if _, err := tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "prod", AzureID: "prod-sub"}); err != nil {
		panic(err)
	}

	c, err := deploy.Provision(ctx, tn, sales(), deploy.Retry{})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Name, c.State, c.Summary.Total, "machines on", c.Connection)
	// Output: Sales Active 5 machines on Sales
}

func ExampleTransient() {
	busy := flex.Errorf(flex.ErrBusy, "AddMachines", `catalog "Sales"`, "adding machines")
	invalid := flex.Errorf(flex.ErrInvalid, "CreateCatalog", `catalog "x"`, "CAT-5: too short")
	fmt.Println(deploy.Transient(busy), deploy.Transient(invalid))
	// Output: true false
}

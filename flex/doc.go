// Package flex is the DaaS Flex control plane: a Tenant that performs every
// Flex operation — subscriptions, network connections, images, catalogs,
// machines, users, apps, snapshots, resource locations, troubleshooting and
// keys — and enforces every rule that spans objects, over a cloud Provider.
//
// The Provider interface speaks in cloud terms (virtual networks, NSGs,
// virtual machines, snapshots …) so that Azure implements it one to one.
// Package fake provides an in-memory cloud for tests; package azure, real
// Azure.
//
// Errors match one of a closed list of kinds with errors.Is (ErrNotFound,
// ErrConflict, ErrInvalid, ErrLimit, ErrBusy, ErrPrecondition, …) and name
// the object they concern.
//
// The smallest use runs a tenant on the in-memory cloud of package fake:
//
//	t := flex.NewTenant(fake.New())
//	_, err := t.AddSubscription(ctx, flex.SubscriptionSpec{
//		Name: "Citrix Managed", AzureID: "22222222-2222-2222-2222-222222222222",
//	})
//	if err != nil {
//		return err
//	}
//	c, err := t.CreateConnection(ctx, "Citrix Managed", network.NoConnectivitySpec{
//		Name: "managed", Region: network.WestEurope,
//	})
//	if errors.Is(err, flex.ErrInvalid) {
//		fmt.Println(rule.IDs(err)) // every broken rule, such as [API-7 REG-1]
//	}
//	fmt.Println(c.Status.State, c.Ranges) // Complete [172.16.0.0/20]
//
// Against real Azure, pass the provider of package azure instead of
// fake.New().
package flex

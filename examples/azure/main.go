// Command azure runs a short DaaS Flex journey against real Azure: the same
// flex.Tenant calls as the quickstart, with package azure as the provider
// instead of the in-memory cloud.
//
// It creates real resources that cost money, so it asks for everything
// explicitly and refuses to run otherwise:
//
//	export DAASFLEX_AZURE_TOKEN=$(az account get-access-token --query accessToken -o tsv)
//	go run ./examples/azure -subscription 00000000-0000-0000-0000-000000000000 -region westeurope -yes
//
// The journey: add the subscription to a tenant, create a non-domain-joined
// multi-session catalog of two machines with No connectivity, list it,
// and delete it again. Every resource it makes is tagged with the tenant
// ("-tenant", default "daasflex-example") so that leftovers are easy to find.
//
// In your own program, pass any azcore.TokenCredential to azure.New, such
// as azidentity.NewDefaultAzureCredential; this example reads a bearer
// token from the environment so that it needs no further dependency.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/daasflex/daasflex/azure"
	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
)

// tokenEnv names the environment variable that holds the ARM access token.
const tokenEnv = "DAASFLEX_AZURE_TOKEN"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is the program; it returns the exit status: 0 done, 1 failed,
// 2 refused to start (bad flags, no credentials, no -yes).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("azure", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sub := fs.String("subscription", "", "Azure subscription ID to create the resources in (required)")
	region := fs.String("region", "westeurope", "Azure region of the catalog (REG-1)")
	tenantID := fs.String("tenant", "daasflex-example", "tenant ID that tags every resource")
	yes := fs.Bool("yes", false, "really create (and then delete) resources in the subscription")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	r, err := network.ParseRegion(*region)
	switch {
	case *sub == "":
		fmt.Fprintln(stderr, "azure: -subscription is required: the ID of the Azure subscription to use")
		return 2
	case err != nil:
		fmt.Fprintln(stderr, "azure:", err)
		return 2
	case getenv(tokenEnv) == "":
		fmt.Fprintf(stderr, "azure: no credentials: set %s to an ARM access token (az account get-access-token --query accessToken -o tsv)\n", tokenEnv)
		return 2
	case !*yes:
		fmt.Fprintf(stderr, "azure: this creates and deletes real resources in subscription %s; run again with -yes to proceed\n", *sub)
		return 2
	}

	provider, err := azure.New(*sub, staticToken(getenv(tokenEnv)), &azure.Options{PollFrequency: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(stderr, "azure:", err)
		return 1
	}
	t := flex.NewTenant(provider, flex.WithID(*tenantID), flex.WithProgress(func(p flex.Progress) {
		fmt.Fprintf(stdout, "  %s %s: %d/%d\n", p.Op, p.Phase, p.Done, p.Total)
	}))
	if err := journey(ctx, t, *sub, r, stdout); err != nil {
		fmt.Fprintln(stderr, "azure:", err)
		return 1
	}
	return 0
}

// journey adds the subscription, creates a small catalog, lists it and
// deletes it.
func journey(ctx context.Context, t *flex.Tenant, sub string, region network.Region, w io.Writer) error {
	fmt.Fprintln(w, "adding subscription", sub)
	if _, err := t.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Example", AzureID: sub}); err != nil {
		return err
	}
	persona, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	users := make([]string, 16)
	for i := range users {
		users[i] = fmt.Sprintf("user%02d@example.com", i+1)
	}
	spec := flex.CatalogSpec{Spec: catalog.Spec{
		Name: "Example", Persona: persona, MachineType: quota.MultiSessionMachine, Users: users,
		Subscription: "Example", Region: region, Domain: image.NonDomainJoined,
		NamingScheme: "FLEXEX-##", Connectivity: catalog.GatewayService,
		Schedule: catalog.WorkSchedule{TimeZone: "UTC"},
	}, Image: "Windows Server 2022 (multi-session)"}
	fmt.Fprintln(w, "creating catalog Example (2 machines)")
	c, err := t.CreateCatalog(ctx, spec)
	if err != nil {
		return err
	}
	machines, err := t.Machines(ctx, c.Name)
	if err != nil {
		return err
	}
	for _, m := range machines {
		fmt.Fprintf(w, "  %v\n", m)
	}
	fmt.Fprintln(w, "deleting catalog Example")
	return t.DeleteCatalog(ctx, c.Name, catalog.DeleteAck{Catalog: c.Name, MachinesDestroyed: true, Irreversible: true})
}

// staticToken is an azcore.TokenCredential that always returns one bearer
// token, read once from the environment.
type staticToken string

func (s staticToken) GetToken(ctx context.Context, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if s == "" {
		return azcore.AccessToken{}, errors.New("empty token")
	}
	return azcore.AccessToken{Token: string(s), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

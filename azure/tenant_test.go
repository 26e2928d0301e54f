package azure_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/daasflex/daasflex/azure"
	"github.com/daasflex/daasflex/azure/internal/armsim"
	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/quota"
)

// flaky answers every nth request with the next of statuses (429 with
// Retry-After, 503, 500), as a real *http.Response, before it reaches the
// cloud; the retry policy must hide every one.
type flaky struct {
	next     policy.Transporter
	every    int
	statuses []int
	mu       sync.Mutex
	n        int
	injected int
}

func (f *flaky) Do(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.n++
	inject := f.n%f.every == 0
	status := 0
	if inject {
		status = f.statuses[f.injected%len(f.statuses)]
		f.injected++
	}
	f.mu.Unlock()
	if inject {
		return answer(req, status, http.StatusText(status), map[string]string{"Retry-After": "0"}), nil
	}
	return f.next.Do(req)
}

// TestTenantJourney runs a Tenant's journey end to end through the azure
// provider, the SDK's clients and the fake servers, with a 429, 503 or 500
// injected into every seventh request: the subscription, a multi-session
// catalog of two machines, its machines, and its deletion, which must
// leave nothing behind in the cloud or the simulator.
func TestTenantJourney(t *testing.T) {
	ctx := t.Context()
	cloud := fake.New()
	sim := armsim.New(cloud)
	tr := &flaky{next: sim.Transport(), every: 7, statuses: []int{429, 503, 500}}
	p, err := azure.New(sub, &azfake.TokenCredential{}, testOptions(tr))
	if err != nil {
		t.Fatal(err)
	}
	tn := flex.NewTenant(p, flex.WithID("contoso"))
	if _, err := tn.AddSubscription(ctx, flex.SubscriptionSpec{Name: "Main", AzureID: sub}); err != nil {
		t.Fatal(err)
	}
	spec := salesSpec()
	c, err := tn.CreateCatalog(ctx, spec)
	if err != nil {
		t.Fatalf("CreateCatalog through the azure provider: %v", err)
	}
	machines, err := tn.Machines(ctx, c.Name)
	if err != nil {
		t.Fatal(err)
	}
	if len(machines) != 2 {
		t.Errorf("catalog has %d machines; want 2 (16 users, 8 per machine)", len(machines))
	}
	if n := cloud.Count(flex.Filter{Subscription: sub})[flex.TypeVirtualMachine]; n != 2 {
		t.Errorf("the cloud holds %d VMs; want 2", n)
	}
	for _, m := range machines {
		if !strings.HasPrefix(m.Name, "SALES-") || !m.Address.IsValid() {
			t.Errorf("machine %q at %v: want a name of the scheme SALES-## and a private address", m.Name, m.Address)
		}
	}
	// KEY-1: a generated and an imported customer-managed key.
	for _, k := range []flex.KeySpec{
		{Subscription: "Main", Region: region, Name: "Generated"},
		{Subscription: "Main", Region: region, Name: "Imported", Key: testKeyPEM(t), Confirm: testKeyPEM(t)},
	} {
		if _, err := tn.AddKey(ctx, k); err != nil {
			t.Errorf("AddKey %s through the azure provider: %v", k.Name, err)
		}
	}
	if n := cloud.Count(flex.Filter{Subscription: sub})[flex.TypeKey]; n != 2 {
		t.Errorf("the cloud holds %d keys; want 2", n)
	}
	flextest.AssertNoOrphans(t, cloud, tn)
	if err := tn.DeleteCatalog(ctx, c.Name, catalog.DeleteAck{Catalog: c.Name, MachinesDestroyed: true, Irreversible: true}); err != nil {
		t.Fatalf("DeleteCatalog: %v", err)
	}
	flextest.AssertNoOrphans(t, cloud, tn)
	if n := cloud.Count(flex.Filter{Subscription: sub})[flex.TypeVirtualMachine]; n != 0 {
		t.Errorf("the cloud holds %d VMs after the catalog's deletion; want 0", n)
	}
	if extras := sim.Extras(); len(extras) != 0 {
		t.Errorf("left behind after the catalog's deletion: %v", extras)
	}
	if tr.injected < 5 {
		t.Errorf("only %d faults injected in %d requests; the journey is too short to prove recovery", tr.injected, tr.n)
	}
	t.Logf("%d requests, %d of them answered with an injected 429/503/500", tr.n, tr.injected)
}

// salesSpec is a multi-session catalog of 16 users, two machines, with No
// connectivity.
func salesSpec() flex.CatalogSpec {
	persona, _ := quota.PersonaByName(quota.TaskWorkerMedium)
	users := make([]string, 16)
	for i := range users {
		users[i] = fmt.Sprintf("user%02d@example.com", i+1)
	}
	return flex.CatalogSpec{Spec: catalog.Spec{
		Name: "Sales", Persona: persona, MachineType: quota.MultiSessionMachine, Users: users,
		Subscription: "Main", Region: region, Domain: image.NonDomainJoined,
		NamingScheme: "SALES-##", Connectivity: catalog.GatewayService,
		Schedule: catalog.WorkSchedule{TimeZone: "UTC"},
	}, Image: "Windows Server 2022 (multi-session)"}
}

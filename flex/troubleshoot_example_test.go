package flex_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// exampleTroubleshooting returns the catalog examples' tenant with the
// domain-joined catalog "Sales" on connection "hub" (Flex range
// 192.168.0.0/22).
func exampleTroubleshooting() (*flex.Tenant, *fake.Cloud, *fake.Clock) {
	t, cloud, clock := exampleCatalogs()
	if _, err := t.CreateCatalog(context.Background(), exampleDesktops()); err != nil {
		panic(err)
	}
	return t, cloud, clock
}

// exampleBastion is a bastion for catalog "Sales", reachable from
// 203.0.113.0/28.
func exampleBastion() flex.BastionSpec {
	return flex.BastionSpec{Catalog: "Sales", Username: "helpdesk", Password: secret.New("Tr0ubleshoot!ng-2026"),
		Source: netip.MustParsePrefix("203.0.113.0/28")}
}

func ExampleTenant_CreateBastion() {
	t, _, _ := exampleTroubleshooting()
	b, err := t.CreateBastion(context.Background(), exampleBastion())
	if err != nil {
		panic(err)
	}
	fmt.Println(b)
	fmt.Println(b.Source, b.Size)
	// Output:
	// bastion of connection "hub" (running)
	// 203.0.113.0/28 Standard_D2s_v5
}

func ExampleBastionSpec_Validate() {
	err := flex.BastionSpec{Catalog: "Sales", Username: "jürgen", Password: secret.New("password")}.Validate()
	fmt.Print(rule.Lines(errs(err)))
	// Output:
	// TRB-2: user name "jürgen" has characters other than printable ASCII; Unicode is not allowed
	// TRB-2: the password is 8 characters; want 12 to 123
	// TRB-2: the password has 1 of the 4 character kinds; Windows complexity wants 3 of lower case, upper case, digits and symbols
	// TRB-2: no RDP source range; the range allowed to RDP to the bastion is required, such as 203.0.113.0/28
}

func ExampleTenant_BastionAction() {
	t, _, clock := exampleTroubleshooting()
	ctx := context.Background()
	if _, err := t.CreateBastion(ctx, exampleBastion()); err != nil {
		panic(err)
	}
	// RunDue powers the bastion off 8 hours after it was powered on.
	clock.Advance(flex.BastionAutoOff)
	r, _ := t.RunDue(ctx)
	for _, line := range r.Ran {
		if strings.Contains(line, "bastion") {
			fmt.Println(line)
		}
	}
	b, _ := t.BastionAction(ctx, "Citrix Managed", "hub", flex.Start)
	fmt.Println(b, b.PoweredOn.Format(time.Kitchen))
	// Output:
	// TRB-2: powered off the bastion of connection "hub" and closed its RDP port, 8h0m0s after it was powered on
	// bastion of connection "hub" (running) 5:00PM
}

func ExampleTenant_Bastions() {
	t, _, clock := exampleTroubleshooting()
	ctx := context.Background()
	if _, err := t.CreateBastion(ctx, exampleBastion()); err != nil {
		panic(err)
	}
	clock.Advance(4 * 24 * time.Hour)
	all, _ := t.Bastions(ctx)
	fmt.Println(all[0].Connection, all[0].PastLifetime)
	// Output:
	// hub true
}

func ExampleTenant_DeleteBastion() {
	t, cloud, _ := exampleTroubleshooting()
	ctx := context.Background()
	if _, err := t.CreateBastion(ctx, exampleBastion()); err != nil {
		panic(err)
	}
	err := t.DeleteBastion(ctx, "Citrix Managed", "hub", flex.DeleteBastionOptions{})
	fmt.Println(rule.IDs(err))
	err = t.DeleteBastion(ctx, "Citrix Managed", "hub", flex.DeleteBastionOptions{Acknowledge: true})
	fmt.Println(err, len(cloud.Resources(flex.Filter{Tags: map[string]string{flex.TagOwner: "bastion/hub"}})))
	// Output:
	// [TRB-2]
	// <nil> 0
}

func ExampleTenant_EnableRDPAccess() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	_, err := t.EnableRDPAccess(ctx, flex.RDPAccessSpec{Catalog: "Sales", Source: netip.MustParsePrefix("203.0.113.0/24")})
	fmt.Println(rule.IDs(err))
	r, err := t.EnableRDPAccess(ctx, flex.RDPAccessSpec{Catalog: "Sales", Source: netip.MustParsePrefix("203.0.113.0/27")})
	fmt.Println(r.Connection, r.Source, err)
	// Output:
	// [TRB-3]
	// hub 203.0.113.0/27 <nil>
}

func ExampleTenant_DisableRDPAccess() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	if _, err := t.EnableRDPAccess(ctx, flex.RDPAccessSpec{Catalog: "Sales", Source: netip.MustParsePrefix("203.0.113.0/27")}); err != nil {
		panic(err)
	}
	fmt.Println(t.DisableRDPAccess(ctx, "Citrix Managed", "hub"))
	all, _ := t.RDPAccesses(ctx)
	fmt.Println(len(all))
	// Output:
	// <nil>
	// 0
}

func ExampleTenant_RunTroubleshootingAction() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	a, err := t.RunTroubleshootingAction(ctx, flex.TroubleshootingSpec{Catalog: "Sales", Machine: "PC-Sales-01", Action: flex.CollectLogs})
	fmt.Println(a.ID, a.Action, a.State, err)
	log, _ := t.ActivityLog(ctx, a.ID)
	fmt.Print(string(log))
	// Output:
	// 1 CollectLogs Successful <nil>
	// 2026-05-11T09:00:00Z CollectLogs started on machine PC-Sales-01 of catalog Sales
	// 2026-05-11T09:00:00Z machine PC-Sales-01: provisioning Succeeded, power running, address 192.168.0.20, 0 sessions, size Standard_D2s_v5
	// 2026-05-11T09:00:00Z collected the VDA, Windows event and Citrix service logs
	// 2026-05-11T09:00:00Z uploaded the logs to https://pc-sales-01.blob.core.windows.net/troubleshooting/
	// 2026-05-11T09:00:00Z CollectLogs completed successfully
}

func ExampleTenant_Activities() {
	t, _, _ := exampleTroubleshooting()
	ctx := context.Background()
	for _, a := range []flex.TroubleshootingAction{flex.CheckHealth, flex.RestartMachine} {
		if _, err := t.RunTroubleshootingAction(ctx, flex.TroubleshootingSpec{Catalog: "Sales", Machine: "PC-Sales-02", Action: a}); err != nil {
			panic(err)
		}
	}
	all, _ := t.Activities(ctx, "Sales")
	for _, a := range all {
		fmt.Println(a.ID, a.Machine, a.Action, a.State)
	}
	// Output:
	// 2 PC-Sales-02 RestartMachine Successful
	// 1 PC-Sales-02 CheckHealth Successful
}

func ExampleParseActivityState() {
	s, err := flex.ParseActivityState("successful")
	fmt.Println(s, err)
	// Output:
	// Successful <nil>
}

// errs returns the violations of err as errors, for rule.Lines.
func errs(err error) []error {
	var out []error
	for _, v := range rule.Violations(err) {
		out = append(out, v)
	}
	return out
}

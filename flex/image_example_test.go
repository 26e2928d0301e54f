package flex_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// exampleImages returns a tenant on an in-memory cloud with the
// subscription "prod", on a manual clock at 11 May 2026, 09:00 UTC.
func exampleImages() (*flex.Tenant, *fake.Cloud, *fake.Clock) {
	clock := fake.NewClock(time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC))
	cloud := fake.New(fake.WithClock(clock))
	t := flex.NewTenant(cloud.Scope("contoso"), flex.WithID("contoso"), flex.WithClock(clock.Now))
	if _, err := t.AddSubscription(context.Background(), flex.SubscriptionSpec{Name: "prod", AzureID: "az-prod"}); err != nil {
		panic(err)
	}
	return t, cloud, clock
}

// exampleBuild is a No connectivity build in westeurope from the prepared
// Windows Server 2022 image, RDP allowed from 203.0.113.0/28.
func exampleBuild(name string) image.BuildSpec {
	base, _ := image.LookupPrepared("Windows Server 2022 (multi-session)")
	return image.BuildSpec{
		Name: name, Base: base, Subscription: "prod", Region: "westeurope",
		Domain: image.NonDomainJoined, Username: "imgadmin", Password: secret.New("Gr33n-Valley!Stone"),
		Size: "Standard_D4s_v5", AllowedIPs: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/28")},
	}
}

func ExampleTenant_BuildImage() {
	t, _, _ := exampleImages()
	d, err := t.BuildImage(context.Background(), exampleBuild("Office"))
	if err != nil {
		panic(err)
	}
	fmt.Println(d.State, d.State.Display())
	fmt.Println(d.Builder.VM.Name, d.Builder.Power, d.Builder.RDPFrom)
	// Output:
	// BuilderActive Install apps and updates
	// imagebuilder running 203.0.113.0/28
}

func ExampleTenant_FinishImageBuild() {
	t, cloud, _ := exampleImages()
	ctx := context.Background()
	if _, err := t.BuildImage(ctx, exampleBuild("Office")); err != nil {
		panic(err)
	}
	d, err := t.FinishImageBuild(ctx, "prod", "Office")
	if err != nil {
		panic(err)
	}
	fmt.Println(d.State, d.Builder == flex.Builder{})
	fmt.Println(cloud.Count(flex.Filter{Tags: map[string]string{flex.TagOwner: "image/Office"}}))
	// Output:
	// Ready true
	// map[Microsoft.Compute/images:1 Microsoft.Resources/resourceGroups:1]
}

func ExampleTenant_ImageBuilderAction() {
	t, _, _ := exampleImages()
	ctx := context.Background()
	if _, err := t.BuildImage(ctx, exampleBuild("Office")); err != nil {
		panic(err)
	}
	d, _ := t.ImageBuilderAction(ctx, "prod", "Office", image.PowerOff)
	fmt.Println(d.State, d.Builder.Power)
	_, err := t.ImageBuilderAction(ctx, "prod", "Office", image.PowerOff)
	fmt.Println(errors.Is(err, flex.ErrPrecondition), rule.IDs(err))
	d, _ = t.ImageBuilderAction(ctx, "prod", "Office", image.PowerOn)
	fmt.Println(d.State, d.Builder.Power)
	// Output:
	// BuilderStopped deallocated
	// true [IMG-3]
	// BuilderActive running
}

func ExampleTenant_ImageBuilderRDP() {
	t, _, _ := exampleImages()
	ctx := context.Background()
	if _, err := t.BuildImage(ctx, exampleBuild("Office")); err != nil {
		panic(err)
	}
	// A build with No connectivity has no private route from the customer.
	_, err := t.ImageBuilderRDP(ctx, "prod", "Office", image.PrivateAddress)
	fmt.Println(rule.IDs(err))
	// Output:
	// [IMG-3]
}

func ExampleTenant_ChangeRootPassword() {
	t, _, _ := exampleImages()
	ctx := context.Background()
	spec := exampleBuild("Linux")
	spec.Base, _ = image.LookupPrepared("Ubuntu 22.04 LTS (single-session)")
	if _, err := t.BuildImage(ctx, spec); err != nil {
		panic(err)
	}
	fmt.Println(t.ChangeRootPassword(ctx, "prod", "Linux", secret.New("N3w-Root-Pass")))
	if _, err := t.FinishImageBuild(ctx, "prod", "Linux"); err != nil {
		panic(err)
	}
	err := t.ChangeRootPassword(ctx, "prod", "Linux", secret.New("N3w-Root-Pass"))
	fmt.Println(rule.IDs(err))
	// Output:
	// <nil>
	// [IMG-4]
}

func ExampleTenant_ImportImage() {
	t, _, clock := exampleImages()
	sas, err := image.ParseSASURL("https://md-abc.blob.core.windows.net/xyz/abcd?sv=2022-11-02&sr=b&sp=r&se=2026-05-11T12:00:00Z&sig=c2VjcmV0", clock.Now())
	if err != nil {
		panic(err)
	}
	d, err := t.ImportImage(context.Background(), flex.ImportRequest{
		Spec: image.ImportSpec{Name: "Golden", Subscription: "prod", Source: image.Source{Kind: image.ManagedDiskSAS, SAS: sas},
			Session: image.MultiSession, Domain: image.ActiveDirectory},
		Region: network.WestEurope,
		Facts: image.ImportFacts{OS: image.WindowsServer2022, Generation: image.Gen2, PersonalityINI: true,
			VDA: image.MustParseVDAVersion("2507"), VMAgent: true},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(d.State, d.OS, d.Generation)
	fmt.Println(d.Source)
	// Output:
	// Ready Windows Server 2022 Gen2
	// managed disk SAS URL https://md-abc.blob.core.windows.net/xyz/abcd?sv=2022-11-02&sr=b&sp=r&se=2026-05-11T12:00:00Z&sig=[redacted]
}

func ExampleTenant_Images() {
	t, _, _ := exampleImages()
	ctx := context.Background()
	if _, err := t.BuildImage(ctx, exampleBuild("Office")); err != nil {
		panic(err)
	}
	all, _ := t.Images(ctx)
	for _, d := range all {
		fmt.Println(d)
	}
	// Output:
	// "Windows 11 Pro (single-session)" [Ready, CITRIX]
	// "Windows Server 2019 (multi-session)" [Ready, CITRIX]
	// "Windows Server 2022 (multi-session)" [Ready, CITRIX]
	// "Windows Server 2025 (multi-session)" [Ready, CITRIX]
	// "Ubuntu 22.04 LTS (single-session)" [Ready, CITRIX]
	// "Ubuntu 22.04 LTS (multi-session)" [Ready, CITRIX]
	// "Office" [BuilderActive] in subscription "prod"
}

func ExampleTenant_Image() {
	t, _, _ := exampleImages()
	d, _ := t.Image(context.Background(), "prod", "Windows 11 Pro (single-session)")
	fmt.Println(d.Prepared(), d.Usage)
	// Output:
	// true 0 catalogs, 0 machines
}

func ExampleTenant_RenameImage() {
	t, _, _ := exampleImages()
	ctx := context.Background()
	if _, err := t.BuildImage(ctx, exampleBuild("Office")); err != nil {
		panic(err)
	}
	d, _ := t.RenameImage(ctx, "prod", "Office", "Office 2026")
	fmt.Println(d.Name)
	_, err := t.RenameImage(ctx, "prod", "Windows 11 Pro (single-session)", "Mine")
	fmt.Println(rule.IDs(err))
	// Output:
	// Office 2026
	// [IMG-1]
}

func ExampleTenant_SetImageNotes() {
	t, _, _ := exampleImages()
	ctx := context.Background()
	if _, err := t.BuildImage(ctx, exampleBuild("Office")); err != nil {
		panic(err)
	}
	d, _ := t.SetImageNotes(ctx, "prod", "Office", "Office LTSC and Teams")
	fmt.Println(d.Notes)
	// Output:
	// Office LTSC and Teams
}

func ExampleTenant_DeleteImage() {
	t, cloud, _ := exampleImages()
	ctx := context.Background()
	if _, err := t.BuildImage(ctx, exampleBuild("Office")); err != nil {
		panic(err)
	}
	fmt.Println(t.DeleteImage(ctx, "prod", "Office"))
	fmt.Println(len(cloud.Resources(flex.Filter{Tags: map[string]string{flex.TagOwner: "image/Office"}})))
	// Output:
	// <nil>
	// 0
}

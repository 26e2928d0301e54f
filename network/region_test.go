package network_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

func TestRegions(t *testing.T) {
	// RULE REG-1: exactly these regions, display names as in the docs;
	// RULE AZ-9: zones everywhere except North Central US and West US.
	want := map[string]struct {
		display string
		zones   bool
	}{
		"centralus": {"Central US", true}, "eastus": {"East US", true}, "northcentralus": {"North Central US", false},
		"southcentralus": {"South Central US", true}, "westus": {"West US", false}, "westus2": {"West US 2", true},
		"westus3": {"West US 3", true}, "brazilsouth": {"Brazil South", true}, "germanywestcentral": {"Germany West Central", true},
		"italynorth": {"Italy North", true}, "northeurope": {"North Europe", true}, "swedencentral": {"Sweden Central", true},
		"uksouth": {"UK South", true}, "westeurope": {"West Europe", true}, "centralindia": {"Central India", true},
		"japaneast": {"Japan East", true}, "southeastasia": {"Southeast Asia", true}, "australiaeast": {"Australia East", true},
	}
	got := map[string]struct {
		display string
		zones   bool
	}{}
	for _, r := range network.Regions() {
		got[r.String()] = struct {
			display string
			zones   bool
		}{r.DisplayName(), r.HasZones()}
		for _, s := range []string{string(r), r.DisplayName(), " " + r.DisplayName() + " "} {
			if p, err := network.ParseRegion(s); err != nil || p != r || !p.IsValid() {
				t.Errorf("REG-1: ParseRegion(%q) = %q, %v", s, p, err)
			}
		}
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(struct {
		display string
		zones   bool
	}{})); diff != "" {
		t.Errorf("REG-1/AZ-9: regions (-want +got):\n%s", diff)
	}
	for _, s := range []string{"eastus2", "West Europe 2", "", "chinanorth"} {
		_, err := network.ParseRegion(s)
		if !rule.Has(err, "REG-1") {
			t.Errorf("REG-1: ParseRegion(%q) = %v", s, err)
		}
	}
	if network.Region("eastus2").IsValid() || network.Region("").HasZones() {
		t.Error("REG-1: unsupported region reported valid")
	}
}

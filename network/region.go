package network

import (
	"fmt"
	"strings"
)

// Region is an Azure region Flex deploys to, by its Azure name such as
// "westus2" (REG-1). The zero value is no region and is not valid.
type Region string

// The regions Flex supports (REG-1), in the order of the documentation.
const (
	CentralUS          Region = "centralus"
	EastUS             Region = "eastus"
	NorthCentralUS     Region = "northcentralus"
	SouthCentralUS     Region = "southcentralus"
	WestUS             Region = "westus"
	WestUS2            Region = "westus2"
	WestUS3            Region = "westus3"
	BrazilSouth        Region = "brazilsouth"
	GermanyWestCentral Region = "germanywestcentral"
	ItalyNorth         Region = "italynorth"
	NorthEurope        Region = "northeurope"
	SwedenCentral      Region = "swedencentral"
	UKSouth            Region = "uksouth"
	WestEurope         Region = "westeurope"
	CentralIndia       Region = "centralindia"
	JapanEast          Region = "japaneast"
	SoutheastAsia      Region = "southeastasia"
	AustraliaEast      Region = "australiaeast"
)

// regionInfo is what the package knows of one region.
type regionInfo struct {
	region  Region
	display string
	zones   bool // AZ-9
}

// regionTable returns every supported region in documentation order.
func regionTable() [18]regionInfo {
	return [18]regionInfo{
		{CentralUS, "Central US", true},
		{EastUS, "East US", true},
		{NorthCentralUS, "North Central US", false},
		{SouthCentralUS, "South Central US", true},
		{WestUS, "West US", false},
		{WestUS2, "West US 2", true},
		{WestUS3, "West US 3", true},
		{BrazilSouth, "Brazil South", true},
		{GermanyWestCentral, "Germany West Central", true},
		{ItalyNorth, "Italy North", true},
		{NorthEurope, "North Europe", true},
		{SwedenCentral, "Sweden Central", true},
		{UKSouth, "UK South", true},
		{WestEurope, "West Europe", true},
		{CentralIndia, "Central India", true},
		{JapanEast, "Japan East", true},
		{SoutheastAsia, "Southeast Asia", true},
		{AustraliaEast, "Australia East", true},
	}
}

func (r Region) info() (regionInfo, bool) {
	for _, i := range regionTable() {
		if i.region == r {
			return i, true
		}
	}
	return regionInfo{}, false
}

// Regions returns every region Flex supports (REG-1) in the order of the
// documentation.
func Regions() []Region {
	t := regionTable()
	rs := make([]Region, len(t))
	for i, info := range t {
		rs[i] = info.region
	}
	return rs
}

// ParseRegion returns the supported region named s, by its Azure name
// ("westus2") or its display name ("West US 2"), ignoring case and
// surrounding spaces. Any other text is a REG-1 violation listing the
// supported regions.
func ParseRegion(s string) (Region, error) {
	t := strings.TrimSpace(s)
	for _, i := range regionTable() {
		if strings.EqualFold(t, string(i.region)) || strings.EqualFold(t, i.display) {
			return i.region, nil
		}
	}
	return "", regionError(s)
}

func regionError(s string) error {
	return regionViolation("region", s)
}

// IsValid reports whether r is one of the regions Flex supports (REG-1).
func (r Region) IsValid() bool {
	_, ok := r.info()
	return ok
}

// String returns the Azure name of the region, such as "westus2".
func (r Region) String() string { return string(r) }

// DisplayName returns the region's name as the documentation writes it,
// such as "West US 2", or the Azure name when r is not supported.
func (r Region) DisplayName() string {
	if i, ok := r.info(); ok {
		return i.display
	}
	return string(r)
}

// HasZones reports whether the region has availability zones (AZ-9): every
// supported region except North Central US and West US. Machines and
// connectors are spread over the zones where there are some.
func (r Region) HasZones() bool {
	i, ok := r.info()
	return ok && i.zones
}

// regionNames lists the Azure names of the supported regions for messages.
func regionNames() string {
	var b strings.Builder
	for i, r := range Regions() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(r))
	}
	return b.String()
}

func regionViolation(what, s string) error {
	return ruleErr("REG-1", fmt.Sprintf("%s %q is not a supported region; want one of %s", what, s, regionNames()))
}

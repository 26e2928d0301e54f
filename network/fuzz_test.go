package network_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// FuzzParseRoute checks that ParseRoute never panics, that a parsed route
// prints as text that parses back to the same route, and that validating
// it never panics.
func FuzzParseRoute(f *testing.F) {
	for _, s := range []string{
		"fw,0.0.0.0/0,VirtualAppliance,10.0.0.4",
		"on-prem,10.20.0.0/16,Virtual network gateway",
		"blackhole,10.30.0.0/16,None,,disabled",
		"web,10.1.0.0/16,Internet,enabled",
		" x , fd00::/8 , vnetlocal , ::1 , Disabled ",
		"a,b,c,d,e",
		",,,,",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := network.ParseRoute(s)
		if err != nil {
			return
		}
		back, err := network.ParseRoute(r.String())
		if err != nil {
			t.Fatalf("ParseRoute(%q) = %v, but its String %q does not parse: %v", s, r, r.String(), err)
		}
		if back != r {
			t.Fatalf("round trip of %q: %#v then %#v", s, r, back)
		}
		_ = r.Validate(nil)
	})
}

// FuzzParseDNSServers checks that ParseDNSServers never panics and that
// the servers it returns print as a list that parses back to them.
func FuzzParseDNSServers(f *testing.F) {
	for _, s := range []string{"10.0.0.4, 10.0.0.5", "10.0.0.4;10.0.0.5 10.0.0.6", "168.63.129.16", "", ",,;", "::1", "10.0.0.04"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		as, err := network.ParseDNSServers(s)
		if err != nil {
			return
		}
		text := strings.Join(strs(as), ", ")
		back, err := network.ParseDNSServers(text)
		if err != nil || !slices.Equal(as, back) {
			t.Fatalf("%q → %v → %q → %v, %v", s, as, text, back, err)
		}
		for _, a := range as {
			if !a.Is4() {
				t.Fatalf("%q gave non-IPv4 %v", s, a)
			}
		}
	})
}

// FuzzParsePrefixList checks that ParsePrefixList never panics and that
// every range it returns is canonical and prints back to itself.
func FuzzParsePrefixList(f *testing.F) {
	for _, s := range []string{"10.0.0.0/16, 10.1.0.0/16", "172.16.0.0/12;192.168.0.0/16", "10.0.0.1/16", "fd00::/8", "", "0.0.0.0/0 1.2.3.4/32"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := network.ParsePrefixList(s)
		if err != nil {
			return
		}
		for _, p := range ps {
			if p.Masked() != p {
				t.Fatalf("%q gave non-canonical %v", s, p)
			}
		}
		back, err := network.ParsePrefixList(strings.Join(strs(ps), " "))
		if err != nil || !slices.Equal(ps, back) {
			t.Fatalf("%q → %v → %v, %v", s, ps, back, err)
		}
	})
}

// FuzzParseResourceID checks that ParseResourceID never panics and that
// an accepted ID prints back to an ID that parses to the same value.
func FuzzParseResourceID(f *testing.F) {
	f.Add("/subscriptions/8f2c1a3e-1b2c-4d5e-8f90-123456789abc/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v")
	f.Add("/SUBSCRIPTIONS/8f2c1a3e-1b2c-4d5e-8f90-123456789abc/resourcegroups/rg/providers/microsoft.network/virtualHubs/h")
	f.Add("/subscriptions//resourceGroups/rg")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := network.ParseResourceID(s)
		if err != nil {
			return
		}
		back, err := network.ParseResourceID(id.String())
		if err != nil || back != id {
			t.Fatalf("%q → %+v → %q → %+v, %v", s, id, id.String(), back, err)
		}
	})
}

// FuzzValidatePSK checks that ValidatePSK never panics, accepts exactly
// the keys Azure accepts (AZ-5) and never shows a long key in its error
// (SEC-1).
func FuzzValidatePSK(f *testing.F) {
	for _, s := range []string{"Sh4red!Secret#Key", "", "a-b", "a~b", "a b", strings.Repeat("x", 129), "ключ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := network.ValidatePSK(secret.New(s))
		ok := len(s) >= 1 && len(s) <= 128
		for i := 0; i < len(s); i++ {
			c := s[i]
			ok = ok && c > ' ' && c < '~' && c != '-'
		}
		if (err == nil) != ok {
			t.Fatalf("ValidatePSK(%q) = %v, want ok %v", s, err, ok)
		}
		if err != nil && len(s) >= 12 && strings.Contains(err.Error(), s) {
			t.Fatalf("SEC-1: error shows the key: %v", err)
		}
	})
}

// FuzzConnectionText builds peering and VPN specs from text as an
// administrator types it (name, Flex range, DNS servers, allowed networks,
// device IP, route) and checks that validation never panics and reports
// only rule violations.
func FuzzConnectionText(f *testing.F) {
	f.Add("east-peering", "192.168.0.0/24", "10.0.0.4, 10.0.0.5", "10.0.0.0/16", "20.30.40.50", "fw,0.0.0.0/0,VirtualAppliance,10.0.0.4")
	f.Add("vpn (1)", "10.0.0.0/24", "168.63.129.16", "10.0.0.0/8", "10.1.1.1", "x,10.1.0.0/16,Internet")
	f.Add("", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, name, flex, dns, allowed, device, route string) {
		p, _ := ipam.ParsePrefix(flex)
		servers, _ := network.ParseDNSServers(dns)
		nets, _ := network.ParsePrefixList(allowed)
		dev, _ := netip.ParseAddr(device)
		var routes []network.Route
		if r, err := network.ParseRoute(route); err == nil {
			routes = append(routes, r)
		}
		specs := []network.Spec{
			network.PeeringSpec{Name: name, Region: network.EastUS, RemoteVNet: vnetID("v"), RemoteAddressSpace: nets,
				Range: p, DNS: servers, Routes: routes},
			network.VPNSpec{Name: name, Region: network.EastUS, DeviceIP: dev, AllowedNetworks: nets, PSK: secret.New(name),
				SKU: network.SKUVpnGw1, VDASubnet: p, GatewaySubnet: pfx("10.255.255.0/27"), DNS: servers, Routes: routes},
			network.VWANSpec{Name: name, Region: network.EastUS, Ranges: nets, DNS: servers, Routes: routes},
			network.NoConnectivitySpec{Name: name, Region: network.EastUS, Range: p},
		}
		for _, s := range specs {
			err := s.Validate(usedSpace(t))
			if err != nil && len(rule.Violations(err)) == 0 {
				t.Fatalf("%s: error without violations: %v", s.Kind(), err)
			}
			_ = s.Warnings()
		}
	})
}

package network_test

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

func TestNextHopTypes(t *testing.T) {
	// RULE NET-6: the five next hop types, one to one with armnetwork's
	// RouteNextHopType values, and the console's display names.
	want := map[network.NextHopType]string{
		"VirtualNetworkGateway": "Virtual network gateway",
		"VnetLocal":             "Virtual network",
		"Internet":              "Internet",
		"VirtualAppliance":      "Virtual appliance",
		"None":                  "None",
	}
	got := map[network.NextHopType]string{}
	for _, h := range network.NextHopTypes() {
		got[h] = h.DisplayName()
		for _, s := range []string{string(h), h.DisplayName(), strings.ToUpper(h.DisplayName())} {
			p, err := network.ParseNextHopType(s)
			if err != nil || p != h {
				t.Errorf("NET-6: ParseNextHopType(%q) = %q, %v; want %q", s, p, err, h)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NET-6: next hop types (-want +got):\n%s", diff)
	}
	for _, s := range []string{"VNetPeering", "", "Gateway", "VirtualNetworkGateway2"} {
		if _, err := network.ParseNextHopType(s); err == nil {
			t.Errorf("NET-6: ParseNextHopType(%q) accepted", s)
		}
	}
}

func TestParseRoute(t *testing.T) {
	tests := []struct {
		in   string
		want network.Route
		ok   bool
	}{
		{"fw,0.0.0.0/0,VirtualAppliance,10.0.0.4",
			network.Route{Name: "fw", Destination: pfx("0.0.0.0/0"), NextHop: network.NextHopVirtualAppliance, NextHopIP: addr("10.0.0.4"), Enabled: true}, true},
		{" on-prem , 10.20.0.0/16 , Virtual network gateway ",
			network.Route{Name: "on-prem", Destination: pfx("10.20.0.0/16"), NextHop: network.NextHopVirtualNetworkGateway, Enabled: true}, true},
		{"blackhole,10.30.0.0/16,None,,disabled",
			network.Route{Name: "blackhole", Destination: pfx("10.30.0.0/16"), NextHop: network.NextHopNone}, true},
		{"web,10.1.0.0/16,Internet,disabled",
			network.Route{Name: "web", Destination: pfx("10.1.0.0/16"), NextHop: network.NextHopInternet}, true},
		{"web,10.1.0.0/16,internet,enabled",
			network.Route{Name: "web", Destination: pfx("10.1.0.0/16"), NextHop: network.NextHopInternet, Enabled: true}, true},
		{"nva,10.1.0.0/16,Virtual appliance,10.0.0.4,Enabled",
			network.Route{Name: "nva", Destination: pfx("10.1.0.0/16"), NextHop: network.NextHopVirtualAppliance, NextHopIP: addr("10.0.0.4"), Enabled: true}, true},
		{"web,10.1.0.1/16,Internet", network.Route{}, false},
		{"web,10.1.0.0/16", network.Route{}, false},
		{"web,10.1.0.0/16,Internet,,maybe", network.Route{}, false},
		{"web,10.1.0.0/16,Internet,10.0.0.256", network.Route{}, false},
		{"web,10.1.0.0/16,Teleport", network.Route{}, false},
		{"a,b,c,d,e,f", network.Route{}, false},
		{"", network.Route{}, false},
	}
	for _, tt := range tests {
		t.Run("NET-6/"+tt.in, func(t *testing.T) {
			got, err := network.ParseRoute(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseRoute(%q) error = %v, want ok %v", tt.in, err, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got, cmpNet); diff != "" {
				t.Errorf("ParseRoute(%q) (-want +got):\n%s", tt.in, diff)
			}
			if tt.ok {
				back, err := network.ParseRoute(got.String())
				if err != nil || back != got {
					t.Errorf("round trip via %q = %v, %v", got.String(), back, err)
				}
			}
		})
	}
}

func TestRouteValidate(t *testing.T) {
	connected := pfxs("100.70.0.0/16")
	tests := []struct {
		route string
		ids   []string
	}{
		{"to-appliance,10.1.0.0/16,VirtualAppliance,10.0.0.4", nil},
		{"docs-prefix-16,10.1.0.0/16,VirtualNetworkGateway", nil},
		{"docs-prefix-24,10.1.2.0/24,VnetLocal", nil},
		{"internet-decision,0.0.0.0/0,Internet", nil},
		{"prefix-15,10.0.0.0/15,VirtualNetworkGateway", []string{"NET-6"}},
		{"prefix-25,10.1.2.0/25,VirtualNetworkGateway", []string{"NET-6"}},
		{"host-route,10.1.2.3/32,None", []string{"NET-6"}},
		{"ipv6,fd00::/16,None", []string{"NET-6"}},
		{"appliance-in-a-connected-network,10.1.0.0/16,VirtualAppliance,100.70.3.4", nil},
		{"appliance-in-172,10.1.0.0/16,VirtualAppliance,172.31.255.254", nil},
		{"appliance-public,10.1.0.0/16,VirtualAppliance,20.1.2.3", []string{"NET-6"}},
		{"appliance-without-ip,10.1.0.0/16,VirtualAppliance", []string{"NET-6"}},
		{"gateway-with-ip,10.1.0.0/16,VirtualNetworkGateway,10.0.0.4", []string{"AZ-3"}},
		{"bad name!,10.1.0.0/16,Internet", []string{"NET-6"}},
		{",10.1.0.0/16,Internet", []string{"NET-6"}},
	}
	for _, tt := range tests {
		t.Run(tt.route, func(t *testing.T) {
			r := network.MustParseRoute(tt.route)
			if diff := cmp.Diff(tt.ids, rule.IDs(r.Validate(connected))); diff != "" {
				t.Errorf("Validate IDs (-want +got):\n%s\n%v", diff, r.Validate(connected))
			}
		})
	}
	t.Run("NET-6/every problem at once", func(t *testing.T) {
		r := network.Route{Name: "-x", Destination: pfx("10.0.0.0/8"), NextHop: "Somewhere", NextHopIP: addr("8.8.8.8")}
		if n := len(rule.Violations(r.Validate(nil))); n != 4 {
			t.Errorf("%d violations, want 4: %v", n, r.Validate(nil))
		}
	})
	t.Run("NET-6/names unique ignoring case", func(t *testing.T) {
		err := network.ValidateRoutes([]network.Route{
			network.MustParseRoute("web,10.1.0.0/16,Internet"), network.MustParseRoute("WEB,10.2.0.0/16,Internet")}, nil)
		if !rule.Has(err, "NET-6") {
			t.Errorf("duplicate names accepted: %v", err)
		}
	})
	t.Run("AZ-3/at most 400 routes", func(t *testing.T) {
		routes := manyRoutes(401)
		if err := network.ValidateRoutes(routes, nil); !rule.Has(err, "AZ-3") || len(rule.Violations(err)) != 1 {
			t.Errorf("401 routes: %v", err)
		}
		if err := network.ValidateRoutes(routes[:400], nil); err != nil {
			t.Errorf("400 routes: %v", err)
		}
	})
}

func manyRoutes(n int) []network.Route {
	rs := make([]network.Route, n)
	for i := range rs {
		rs[i] = network.Route{Name: fmt.Sprintf("r%d", i), Destination: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i / 256), byte(i), 0}), 24),
			NextHop: network.NextHopVirtualNetworkGateway, Enabled: true}
	}
	return rs
}

func TestRouteTable(t *testing.T) {
	tbl, err := network.NewRouteTable(pfxs("100.70.0.0/16"),
		network.MustParseRoute("fw,0.0.0.0/0,VirtualAppliance,100.70.0.4"),
		network.MustParseRoute("on-prem,10.20.0.0/16,VirtualNetworkGateway"))
	if err != nil {
		t.Fatal(err)
	}
	names := func() []string {
		var ns []string
		for _, r := range tbl.Routes() {
			ns = append(ns, r.String())
		}
		return ns
	}
	step := func(name string, err error, wantIDs []string, want ...string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(wantIDs, rule.IDs(err)); diff != "" {
				t.Errorf("IDs (-want +got):\n%s\n%v", diff, err)
			}
			if diff := cmp.Diff(want, names()); diff != "" {
				t.Errorf("routes (-want +got):\n%s", diff)
			}
		})
	}
	step("NET-6/created in entry order", nil, nil,
		"fw,0.0.0.0/0,VirtualAppliance,100.70.0.4", "on-prem,10.20.0.0/16,VirtualNetworkGateway")
	step("NET-6/added later at the end", tbl.Add(network.MustParseRoute("lab,10.30.0.0/16,None")), nil,
		"fw,0.0.0.0/0,VirtualAppliance,100.70.0.4", "on-prem,10.20.0.0/16,VirtualNetworkGateway", "lab,10.30.0.0/16,None")
	step("NET-6/duplicate name refused", tbl.Add(network.MustParseRoute("LAB,10.31.0.0/16,None")), []string{"NET-6"},
		"fw,0.0.0.0/0,VirtualAppliance,100.70.0.4", "on-prem,10.20.0.0/16,VirtualNetworkGateway", "lab,10.30.0.0/16,None")
	step("NET-6/disable keeps the place", tbl.Disable("on-prem"), nil,
		"fw,0.0.0.0/0,VirtualAppliance,100.70.0.4", "on-prem,10.20.0.0/16,VirtualNetworkGateway,disabled", "lab,10.30.0.0/16,None")
	step("NET-6/edit in place", tbl.Edit("fw", network.MustParseRoute("fw,0.0.0.0/0,VirtualAppliance,10.0.0.5")), nil,
		"fw,0.0.0.0/0,VirtualAppliance,10.0.0.5", "on-prem,10.20.0.0/16,VirtualNetworkGateway,disabled", "lab,10.30.0.0/16,None")
	step("NET-6/edit to an invalid route refused", tbl.Edit("fw", network.MustParseRoute("fw,0.0.0.0/0,VirtualAppliance,20.0.0.5")), []string{"NET-6"},
		"fw,0.0.0.0/0,VirtualAppliance,10.0.0.5", "on-prem,10.20.0.0/16,VirtualNetworkGateway,disabled", "lab,10.30.0.0/16,None")
	step("NET-6/rename onto another route refused", tbl.Edit("fw", network.MustParseRoute("Lab,0.0.0.0/0,Internet")), []string{"NET-6"},
		"fw,0.0.0.0/0,VirtualAppliance,10.0.0.5", "on-prem,10.20.0.0/16,VirtualNetworkGateway,disabled", "lab,10.30.0.0/16,None")
	step("NET-6/rename", tbl.Edit("fw", network.MustParseRoute("internet,0.0.0.0/0,Internet")), nil,
		"internet,0.0.0.0/0,Internet", "on-prem,10.20.0.0/16,VirtualNetworkGateway,disabled", "lab,10.30.0.0/16,None")
	step("NET-6/enable", tbl.Enable("ON-PREM"), nil,
		"internet,0.0.0.0/0,Internet", "on-prem,10.20.0.0/16,VirtualNetworkGateway", "lab,10.30.0.0/16,None")
	step("NET-6/delete without acknowledgement refused", tbl.Delete("lab", false), []string{"NET-6"},
		"internet,0.0.0.0/0,Internet", "on-prem,10.20.0.0/16,VirtualNetworkGateway", "lab,10.30.0.0/16,None")
	step("NET-6/delete with acknowledgement", tbl.Delete("lab", network.SessionsMayBeDisrupted), nil,
		"internet,0.0.0.0/0,Internet", "on-prem,10.20.0.0/16,VirtualNetworkGateway")
	step("NET-6/unknown route", errorsOf(tbl.Enable("nope"), tbl.Disable("nope"), tbl.Edit("nope", network.MustParseRoute("nope,10.1.0.0/16,None")),
		tbl.Delete("nope", network.SessionsMayBeDisrupted)), []string{"NET-6"},
		"internet,0.0.0.0/0,Internet", "on-prem,10.20.0.0/16,VirtualNetworkGateway")

	t.Run("AZ-3/full table", func(t *testing.T) {
		full, err := network.NewRouteTable(nil, manyRoutes(400)...)
		if err != nil {
			t.Fatal(err)
		}
		if err := full.Add(network.MustParseRoute("one-more,10.99.0.0/16,None")); !rule.Has(err, "AZ-3") {
			t.Errorf("401st route: %v", err)
		}
	})
	t.Run("NET-6/zero table allows RFC 1918 appliances only", func(t *testing.T) {
		var z network.RouteTable
		if err := z.Add(network.MustParseRoute("nva,10.1.0.0/16,VirtualAppliance,100.70.0.4")); !rule.Has(err, "NET-6") {
			t.Errorf("appliance outside RFC 1918 accepted: %v", err)
		}
		if err := z.Add(network.MustParseRoute("nva,10.1.0.0/16,VirtualAppliance,192.168.0.4")); err != nil {
			t.Error(err)
		}
		if _, ok := z.Get("NVA"); !ok || z.Len() != 1 {
			t.Errorf("Get after Add: ok=%v len=%d", ok, z.Len())
		}
	})
	t.Run("NET-6/NewRouteTable reports every problem", func(t *testing.T) {
		_, err := network.NewRouteTable(nil, network.MustParseRoute("a,10.0.0.0/8,None"), network.MustParseRoute("A,10.1.0.0/16,None"))
		if n := len(rule.Violations(err)); n != 2 {
			t.Errorf("%d violations, want 2: %v", n, err)
		}
	})
}

func errorsOf(errs ...error) error {
	var l rule.List
	for _, e := range errs {
		l.Append(e)
	}
	return l.Err()
}

func TestLookup(t *testing.T) {
	vnet := pfxs("10.1.0.0/24")
	system := network.SystemRoutes(vnet, pfxs("10.0.0.0/16"))
	user := []network.Route{
		network.MustParseRoute("fw,0.0.0.0/0,VirtualAppliance,10.0.0.4"),
		network.MustParseRoute("lab,10.2.0.0/16,None"),
		network.MustParseRoute("old,10.3.0.0/16,VirtualNetworkGateway,disabled"),
		network.MustParseRoute("peer-override,10.0.0.0/16,VirtualAppliance,10.0.0.4"),
	}
	bgp := network.GatewayRoutes(pfxs("10.2.0.0/16", "10.3.0.0/16", "192.168.50.0/24"))
	rt := network.Routing{System: system, BGP: bgp, User: user}
	tests := []struct {
		dst      string
		name     string
		hop      network.NextHopType
		origin   network.RouteOrigin
		withUser bool
	}{
		{"10.1.0.9", "VnetLocal", network.NextHopVnetLocal, network.OriginSystem, true},          // longest prefix beats the user 0/0
		{"8.8.8.8", "fw", network.NextHopVirtualAppliance, network.OriginUser, true},             // user 0/0 beats system 0/0
		{"10.2.3.4", "lab", network.NextHopNone, network.OriginUser, true},                       // user beats BGP on the same prefix
		{"10.3.3.4", "Gateway", network.NextHopVirtualNetworkGateway, network.OriginBGP, true},   // disabled user route ignored
		{"10.0.7.7", "peer-override", network.NextHopVirtualAppliance, network.OriginUser, true}, // user beats system peering
		{"192.168.50.1", "Gateway", network.NextHopVirtualNetworkGateway, network.OriginBGP, true},
		{"192.168.51.1", "Private192", network.NextHopNone, network.OriginSystem, true},
		{"8.8.8.8", "Internet", network.NextHopInternet, network.OriginSystem, false},
		{"10.0.7.7", "VNetPeering", network.NextHopVNetPeering, network.OriginSystem, false},
		{"10.9.9.9", "Private10", network.NextHopNone, network.OriginSystem, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("AZ-3/NET-6/%s user=%v", tt.dst, tt.withUser), func(t *testing.T) {
			r := rt
			if !tt.withUser {
				r.User = nil
			}
			e, ok := r.Lookup(addr(tt.dst))
			if !ok || e.Route.Name != tt.name || e.Route.NextHop != tt.hop || e.Origin != tt.origin {
				t.Errorf("Lookup(%s) = %v, %v; want %s via %s (%s)", tt.dst, e, ok, tt.name, tt.hop, tt.origin)
			}
		})
	}
	if _, ok := (network.Routing{}).Lookup(addr("10.0.0.1")); ok {
		t.Error("empty routing found a route")
	}
	tbl, _ := network.NewRouteTable(nil, user...)
	if e, _ := tbl.Lookup(addr("8.8.8.8"), system); e.Route.Name != "fw" || !strings.Contains(e.String(), "User route fw") {
		t.Errorf("RouteTable.Lookup = %v", e)
	}
}

// TestLookupModel checks Routing.Lookup against a brute-force model (AZ-3).
// Invariant: the chosen route is found by trying prefix lengths from 32
// down to 0 and, at each length, the origins User, BGP, System in turn, and
// taking the first enabled route of that origin whose destination equals
// dst masked to that length.
func TestLookupModel(t *testing.T) {
	routeGen := func(label string) *rapid.Generator[network.Route] {
		return rapid.Custom(func(t *rapid.T) network.Route {
			a := netip.AddrFrom4([4]byte{10, rapid.ByteRange(0, 3).Draw(t, "b1"), rapid.ByteRange(0, 3).Draw(t, "b2"), rapid.Byte().Draw(t, "b3")})
			return network.Route{
				Name:        label + rapid.StringMatching(`[a-z]{1,3}`).Draw(t, "name"),
				Destination: netip.PrefixFrom(a, rapid.SampledFrom([]int{0, 8, 14, 15, 16, 17, 24, 30, 32}).Draw(t, "bits")).Masked(),
				NextHop:     rapid.SampledFrom(network.NextHopTypes()).Draw(t, "hop"),
				Enabled:     rapid.IntRange(0, 3).Draw(t, "enabled") > 0,
			}
		})
	}
	rapid.Check(t, func(t *rapid.T) {
		rt := network.Routing{
			System: rapid.SliceOfN(routeGen("s"), 0, 6).Draw(t, "system"),
			BGP:    rapid.SliceOfN(routeGen("b"), 0, 6).Draw(t, "bgp"),
			User:   rapid.SliceOfN(routeGen("u"), 0, 6).Draw(t, "user"),
		}
		dst := netip.AddrFrom4([4]byte{10, rapid.ByteRange(0, 3).Draw(t, "d1"), rapid.ByteRange(0, 3).Draw(t, "d2"), rapid.Byte().Draw(t, "d3")})
		got, ok := rt.Lookup(dst)

		var want network.EffectiveRoute
		found := false
	search:
		for bits := 32; bits >= 0; bits-- {
			p := netip.PrefixFrom(dst, bits).Masked()
			for _, o := range []struct {
				rs     []network.Route
				origin network.RouteOrigin
			}{{rt.User, network.OriginUser}, {rt.BGP, network.OriginBGP}, {rt.System, network.OriginSystem}} {
				if i := slices.IndexFunc(o.rs, func(r network.Route) bool { return r.Enabled && r.Destination == p }); i >= 0 {
					want, found = network.EffectiveRoute{Route: o.rs[i], Origin: o.origin}, true
					break search
				}
			}
		}
		if ok != found {
			t.Fatalf("Lookup(%s) ok = %v, model %v", dst, ok, found)
		}
		if diff := cmp.Diff(want, got, cmpNet); diff != "" {
			t.Fatalf("Lookup(%s) (-model +got):\n%s", dst, diff)
		}
	})
}

// TestRouteTableModel drives a RouteTable with random operations and
// compares it with a plain slice. Invariant: the table always equals the
// model (same routes, same order), names stay unique ignoring case, every
// route in it is valid, and it never holds more than MaxRoutes.
func TestRouteTableModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var tbl network.RouteTable
		var model []network.Route
		nameGen := rapid.SampledFrom([]string{"a", "A", "b", "c", "d", "bad name"})
		routeGen := rapid.Custom(func(t *rapid.T) network.Route {
			return network.Route{
				Name:        nameGen.Draw(t, "name"),
				Destination: rapid.SampledFrom(pfxs("10.1.0.0/16", "0.0.0.0/0", "10.2.0.0/24", "10.0.0.0/8")).Draw(t, "dst"),
				NextHop:     rapid.SampledFrom(network.NextHopTypes()).Draw(t, "hop"),
				NextHopIP:   rapid.SampledFrom([]netip.Addr{{}, addr("10.0.0.4"), addr("20.0.0.4")}).Draw(t, "ip"),
				Enabled:     rapid.Bool().Draw(t, "on"),
			}
		})
		find := func(name string) int {
			return slices.IndexFunc(model, func(r network.Route) bool { return strings.EqualFold(r.Name, name) })
		}
		t.Repeat(map[string]func(*rapid.T){
			"add": func(t *rapid.T) {
				r := routeGen.Draw(t, "route")
				err := tbl.Add(r)
				if want := r.Validate(nil) == nil && find(r.Name) < 0; (err == nil) != want {
					t.Fatalf("Add(%v) = %v, model accepts: %v", r, err, want)
				}
				if err == nil {
					model = append(model, r)
				}
			},
			"edit": func(t *rapid.T) {
				name := nameGen.Draw(t, "target")
				r := routeGen.Draw(t, "route")
				err := tbl.Edit(name, r)
				i, j := find(name), find(r.Name)
				if want := i >= 0 && r.Validate(nil) == nil && (j < 0 || j == i); (err == nil) != want {
					t.Fatalf("Edit(%q, %v) = %v, model accepts: %v", name, r, err, want)
				}
				if err == nil {
					model[i] = r
				}
			},
			"toggle": func(t *rapid.T) {
				name := nameGen.Draw(t, "target")
				on := rapid.Bool().Draw(t, "on")
				var err error
				if on {
					err = tbl.Enable(name)
				} else {
					err = tbl.Disable(name)
				}
				i := find(name)
				if (err == nil) != (i >= 0) {
					t.Fatalf("toggle %q: %v", name, err)
				}
				if i >= 0 {
					model[i].Enabled = on
				}
			},
			"delete": func(t *rapid.T) {
				name := nameGen.Draw(t, "target")
				ack := network.DisruptionAck(rapid.Bool().Draw(t, "ack"))
				err := tbl.Delete(name, ack)
				i := find(name)
				if (err == nil) != (i >= 0 && ack) {
					t.Fatalf("Delete(%q, %v) = %v", name, ack, err)
				}
				if err == nil {
					model = slices.Delete(model, i, i+1)
				}
			},
			"": func(t *rapid.T) {
				if diff := cmp.Diff(model, tbl.Routes(), cmpNet, cmpEmpty); diff != "" {
					t.Fatalf("table differs from model (-model +table):\n%s", diff)
				}
				if err := network.ValidateRoutes(tbl.Routes(), nil); err != nil {
					t.Fatalf("table holds invalid routes: %v", err)
				}
			},
		})
	})
}

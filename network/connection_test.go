package network_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

func TestKinds(t *testing.T) {
	type row struct {
		Display                   string
		DNS, AzureDNS, NAT, Reset bool
		MaxName                   int
	}
	want := map[network.Kind]row{
		"None":           {"No connectivity", false, false, true, false, 64},
		"VnetPeering":    {"VNet peering", true, false, true, false, 64},
		"AzureVpn":       {"Azure VPN gateway", true, false, false, true, 54},
		"VWanConnection": {"Virtual WAN spoke", true, true, false, false, 64},
	}
	got := map[network.Kind]row{}
	for _, k := range network.Kinds() {
		// RULE NET-1, API-2: the four kinds; NET-3 DNS; NET-11 NAT gateway;
		// NET-10 reset; API-7 name length.
		got[k] = row{k.DisplayName(), k.NeedsDNS(), k.AllowsAzureDNS(), k.SupportsNATGateway(), k.CanReset(), k.MaxNameLen()}
		for _, s := range []string{string(k), k.DisplayName(), strings.ToLower(k.DisplayName())} {
			if p, err := network.ParseKind(s); err != nil || p != k {
				t.Errorf("NET-1: ParseKind(%q) = %q, %v", s, p, err)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NET-1/API-2 kinds (-want +got):\n%s", diff)
	}
	if _, err := network.ParseKind("ExpressRoute"); !rule.Has(err, "NET-1") {
		t.Errorf("NET-1: ParseKind(ExpressRoute) = %v", err)
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		kind network.Kind
		name string
		ok   bool
	}{
		{network.KindVnetPeering, "Peering-East_1.(prod)", true},
		{network.KindVnetPeering, strings.Repeat("a", 64), true},
		{network.KindVnetPeering, strings.Repeat("a", 65), false},
		{network.KindAzureVpn, strings.Repeat("a", 54), true},
		{network.KindAzureVpn, strings.Repeat("a", 55), false},
		{network.KindVWanConnection, "", false},
		{network.KindNone, "east us", false},
		{network.KindNone, "östlich", false},
		{network.KindNone, "a/b", false},
		{network.KindNone, "x", true},
	}
	for _, tt := range tests {
		t.Run("API-7/"+string(tt.kind)+"/"+tt.name, func(t *testing.T) {
			err := network.ValidateName(tt.kind, tt.name)
			if (err == nil) != tt.ok || (err != nil && !rule.Has(err, "API-7")) {
				t.Errorf("ValidateName(%s, %q) = %v, want ok %v", tt.kind, tt.name, err, tt.ok)
			}
		})
	}
}

func TestStates(t *testing.T) {
	// RULE API-2: the nine states; Complete shows "Ready to use".
	var names []string
	for _, s := range network.States() {
		names = append(names, s.DisplayName())
		if p, err := network.ParseState(s.DisplayName()); err != nil || p != s {
			t.Errorf("API-2: ParseState(%q) = %q, %v", s.DisplayName(), p, err)
		}
	}
	want := []string{"Pending", "Provisioning", "Ready to use", "Failed", "Deleting", "DeleteFailed",
		"RouteTableFailed", "NatGatewayFailed", "VWanConnectionFailed"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("API-2 states (-want +got):\n%s", diff)
	}
	if _, err := network.ParseState("Ready"); !rule.Has(err, "API-2") {
		t.Errorf("API-2: ParseState(Ready) = %v", err)
	}

	// RULE NET-12: the lifecycle, as a full table of allowed transitions.
	allowed := map[network.State][]network.State{
		network.StatePending:              {network.StateProvisioning, network.StateFailed, network.StateDeleting},
		network.StateProvisioning:         {network.StateComplete, network.StateFailed, network.StateRouteTableFailed, network.StateNatGatewayFailed, network.StateVWanConnectionFailed},
		network.StateComplete:             {network.StateProvisioning, network.StateDeleting},
		network.StateFailed:               {network.StateProvisioning, network.StateDeleting},
		network.StateRouteTableFailed:     {network.StateProvisioning, network.StateDeleting},
		network.StateNatGatewayFailed:     {network.StateProvisioning, network.StateDeleting},
		network.StateVWanConnectionFailed: {network.StateDeleting},
		network.StateDeleting:             {network.StateDeleteFailed},
		network.StateDeleteFailed:         {network.StateDeleting},
	}
	for _, from := range network.States() {
		for _, to := range network.States() {
			want := false
			for _, a := range allowed[from] {
				want = want || a == to
			}
			err := from.Transition(to)
			if (err == nil) != want || from.CanTransition(to) != want {
				t.Errorf("NET-12: %s → %s: %v, want allowed=%v", from, to, err, want)
			}
			if err != nil && (!rule.Has(err, "NET-12") || !strings.Contains(err.Error(), string(from)) || !strings.Contains(err.Error(), string(to))) {
				t.Errorf("NET-12: %s → %s: error %q does not name both states", from, to, err)
			}
		}
	}

	// RULE NET-2, NET-12: which states allow catalogs and retry alone.
	var catalogs, alone []network.State
	for _, s := range network.States() {
		if s.AllowsCatalogs() {
			catalogs = append(catalogs, s)
		}
		if s.RetriesAlone() {
			alone = append(alone, s)
		}
	}
	if diff := cmp.Diff([]network.State{network.StateComplete, network.StateRouteTableFailed, network.StateNatGatewayFailed}, catalogs); diff != "" {
		t.Errorf("NET-2: states that allow catalogs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]network.State{network.StateRouteTableFailed, network.StateNatGatewayFailed}, alone); diff != "" {
		t.Errorf("NET-12: states retried alone (-want +got):\n%s", diff)
	}
}

func TestStatus(t *testing.T) {
	t0 := time.Date(2026, 5, 11, 10, 0, 0, 0, time.UTC)
	s, err := network.NewStatus(network.KindVWanConnection, "tx-1", t0)
	if err != nil {
		t.Fatal(err)
	}
	s, err = s.Next(network.StateProvisioning, "tx-1", t0, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("NET-12/stuck after more than 10 minutes", func(t *testing.T) {
		if s.Stuck(t0.Add(10 * time.Minute)) {
			t.Error("stuck at exactly 10 minutes")
		}
		if !s.Stuck(t0.Add(10*time.Minute + time.Second)) {
			t.Error("not stuck after 10 minutes and 1 second")
		}
	})
	t.Run("NET-12/every status carries a transaction ID", func(t *testing.T) {
		if _, err := s.Next(network.StateComplete, "", t0, ""); !rule.Has(err, "NET-12") {
			t.Errorf("empty transaction ID accepted: %v", err)
		}
		if _, err := network.NewStatus(network.KindVnetPeering, "", t0); !rule.Has(err, "NET-12") {
			t.Errorf("NewStatus without transaction ID: %v", err)
		}
		if _, err := network.NewStatus("ExpressRoute", "tx", t0); !rule.Has(err, "NET-1") {
			t.Errorf("NewStatus with a bad kind: %v", err)
		}
	})
	t.Run("NET-12/RouteTableFailed still allows catalogs and is retried alone", func(t *testing.T) {
		f, err := s.Next(network.StateRouteTableFailed, "tx-2", t0.Add(time.Minute), "route table update refused")
		if err != nil {
			t.Fatal(err)
		}
		want := network.Status{Kind: network.KindVWanConnection, State: network.StateRouteTableFailed, TransactionID: "tx-2",
			Since: t0.Add(time.Minute), Message: "route table update refused"}
		if diff := cmp.Diff(want, f); diff != "" {
			t.Errorf("status (-want +got):\n%s", diff)
		}
		if !f.State.AllowsCatalogs() || !f.State.RetriesAlone() || f.Stuck(t0.Add(time.Hour)) {
			t.Errorf("%v: catalogs %v, alone %v", f, f.State.AllowsCatalogs(), f.State.RetriesAlone())
		}
		if got := f.String(); got != "RouteTableFailed (transaction tx-2, since 2026-05-11T10:01:00Z): route table update refused" {
			t.Errorf("String() = %q", got)
		}
	})
	t.Run("NET-12/VWanConnectionFailed only for vWAN spokes", func(t *testing.T) {
		p, _ := network.NewStatus(network.KindVnetPeering, "tx", t0)
		p, _ = p.Next(network.StateProvisioning, "tx", t0, "")
		got, err := p.Next(network.StateVWanConnectionFailed, "tx", t0, "")
		if !rule.Has(err, "NET-12") || got != p {
			t.Errorf("peering went to VWanConnectionFailed: %v, %v", got, err)
		}
		v, _ := network.NewStatus(network.KindAzureVpn, "tx", t0)
		v, _ = v.Next(network.StateProvisioning, "tx", t0, "")
		if _, err := v.Next(network.StateNatGatewayFailed, "tx", t0, ""); !rule.Has(err, "NET-12") {
			t.Errorf("VPN went to NatGatewayFailed: %v", err)
		}
		if c, err := s.Next(network.StateComplete, "tx-3", t0, ""); err != nil || c.State.DisplayName() != "Ready to use" {
			t.Errorf("vWAN to Complete: %v, %v", c, err)
		}
	})
}

// TestStatusModel drives statuses of random kinds through random
// transitions. Invariant: a status always has a transaction ID and a state
// that its kind can be in and that is reachable from Pending by allowed
// transitions; a refused transition leaves the status unchanged; a
// connection is stuck only while Provisioning for more than 10 minutes.
func TestStatusModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.SampledFrom(network.Kinds()).Draw(t, "kind")
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		s, err := network.NewStatus(k, "tx0", now)
		if err != nil {
			t.Fatal(err)
		}
		for i := range rapid.IntRange(1, 30).Draw(t, "steps") {
			now = now.Add(time.Duration(rapid.IntRange(0, 20).Draw(t, "minutes")) * time.Minute)
			to := rapid.SampledFrom(network.States()).Draw(t, "to")
			tx := rapid.SampledFrom([]string{"", "tx" + strings.Repeat("x", i)}).Draw(t, "tx")
			next, err := s.Next(to, tx, now, "")
			ok := s.State.CanTransition(to) && k.HasState(to) && tx != ""
			if (err == nil) != ok {
				t.Fatalf("%v → %s (tx %q): %v, model allows %v", s, to, tx, err, ok)
			}
			if err != nil {
				if next != s {
					t.Fatalf("refused transition changed the status: %v → %v", s, next)
				}
				continue
			}
			s = next
			if s.TransactionID == "" || !k.HasState(s.State) {
				t.Fatalf("invalid status %v for kind %s", s, k)
			}
			later := now.Add(time.Duration(rapid.IntRange(0, 30).Draw(t, "wait")) * time.Minute)
			if s.Stuck(later) != (s.State == network.StateProvisioning && later.Sub(now) > 10*time.Minute) {
				t.Fatalf("Stuck(%v) = %v for %v", later, s.Stuck(later), s)
			}
		}
	})
}

func TestUsage(t *testing.T) {
	u := network.Usage{Catalogs: 2, Machines: 40, Images: 1}
	if got := u.String(); got != "2 catalogs, 40 machines, 1 image, 0 bastions" { // RULE NET-15
		t.Errorf("NET-15: %q", got)
	}
	for _, tt := range []struct {
		u  network.Usage
		ok bool
	}{
		{network.Usage{}, true},
		{network.Usage{Catalogs: 1}, false},
		{network.Usage{Images: 1}, false},
		{network.Usage{Bastions: 1}, false},
	} {
		err := tt.u.CheckDelete("east")
		if (err == nil) != tt.ok || (err != nil && !rule.Has(err, "NET-8")) {
			t.Errorf("NET-8: CheckDelete with %v = %v", tt.u, err)
		}
	}
}

func TestParseDNSServers(t *testing.T) {
	got, err := network.ParseDNSServers(" 10.0.0.4, 10.0.0.5;10.0.0.6\t10.0.0.7 ")
	if diff := cmp.Diff([]string{"10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7"}, strs(got)); diff != "" || err != nil {
		t.Errorf("NET-3: ParseDNSServers (-want +got):\n%s %v", diff, err)
	}
	for _, s := range []string{"10.0.0.4, dns.example.com", "fe80::1", "10.0.0.256"} {
		if _, err := network.ParseDNSServers(s); err == nil {
			t.Errorf("NET-3: ParseDNSServers(%q) accepted", s)
		}
	}
	got, err = network.ParseDNSServers("")
	if err != nil || len(got) != 0 {
		t.Errorf("empty list: %v, %v", got, err)
	}
}

func strs[T interface{ String() string }](xs []T) []string {
	var ss []string
	for _, x := range xs {
		ss = append(ss, x.String())
	}
	return ss
}

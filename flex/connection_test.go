package flex_test

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

// wantRule fails the test unless err is of kind and holds a violation of
// rule id.
func wantRule(t *testing.T, err, kind error, id string) {
	t.Helper()
	if !errors.Is(err, kind) || !rule.Has(err, id) {
		t.Fatalf("error %v (rules %v); want %v with %s", err, rule.IDs(err), kind, id)
	}
}

func TestNET1ConnectionKinds(t *testing.T) {
	e := newEnv(t, nil)
	hub := e.customerHub("hub", "Standard", "10.100.0.0/24")
	for _, tc := range []struct {
		spec  network.Spec
		types []flex.ResourceType
	}{
		{network.NoConnectivitySpec{Name: "managed", Region: testRegion},
			[]flex.ResourceType{flex.TypeResourceGroup, flex.TypeRouteTable, flex.TypeVirtualNetwork}},
		{peeringSpec(e, "peering", "192.168.0.0/24"),
			[]flex.ResourceType{flex.TypeResourceGroup, flex.TypeRouteTable, flex.TypeVirtualNetwork, flex.TypePeering, flex.TypePeering}},
		{vpnSpec("vpn"),
			[]flex.ResourceType{flex.TypeResourceGroup, flex.TypeRouteTable, flex.TypeVirtualNetwork, flex.TypeVPNGateway, flex.TypeLocalGateway, flex.TypeVPNConnection}},
		{vwanSpec("spoke", hub, "10.200.0.0/24"),
			[]flex.ResourceType{flex.TypeResourceGroup, flex.TypeRouteTable, flex.TypeVirtualNetwork, flex.TypeHubConnection}},
	} {
		name := fmt.Sprint(tc.spec.Kind())
		t.Run("NET-1 "+name, func(t *testing.T) {
			c, err := e.tn.CreateConnection(e.ctx, flexSub, tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if c.Kind != tc.spec.Kind() || c.Status.State != network.StateComplete {
				t.Errorf("kind %v state %v; want %v Complete", c.Kind, c.Status.State, tc.spec.Kind())
			}
			var types []flex.ResourceType
			for _, r := range e.owned("connection/" + c.Name) {
				types = append(types, r.Metadata().ID.Type)
				if got := r.Metadata().Tags[flex.TagTenant]; got != tenantID {
					t.Errorf("%s tagged tenant %q; want %q", r.Metadata().ID, got, tenantID)
				}
			}
			if diff := cmp.Diff(sorted(tc.types), sorted(types)); diff != "" {
				t.Errorf("resources (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("NET-1 no spec", func(t *testing.T) {
		_, err := e.tn.CreateConnection(e.ctx, flexSub, nil)
		wantRule(t, err, flex.ErrInvalid, "NET-1")
	})
	t.Run("NET-1 Citrix-chosen range", func(t *testing.T) {
		cs, _ := e.tn.Connections(e.ctx)
		for _, c := range cs {
			if c.Name == "managed" && (len(c.Ranges) != 1 || !c.Ranges[0].IsValid()) {
				t.Errorf("no connectivity connection got ranges %v; want one Citrix-chosen range", c.Ranges)
			}
		}
	})
}

func TestNET2ConnectionMustBeUsable(t *testing.T) {
	e, plan := withFaults(t)
	t.Run("NET-2 missing", func(t *testing.T) {
		_, err := e.tn.ConnectionSubnetForTest(e.ctx, flexSub, "nope", "catalog/a", 1, false)
		wantRule(t, err, flex.ErrNotFound, "NET-2")
	})
	t.Run("NET-2 not ready", func(t *testing.T) {
		hub := e.customerHub("hub", "Standard", "10.100.0.0/24")
		failPuts(plan, flex.TypeHubConnection, "AuthorizationFailed: no Network Contributor role")
		c, err := e.tn.CreateConnection(e.ctx, flexSub, vwanSpec("spoke", hub, "10.200.0.0/24"))
		if err == nil || c.Status.State != network.StateVWanConnectionFailed {
			t.Fatalf("state %v, error %v; want VWanConnectionFailed and an error", c.Status.State, err)
		}
		_, err = e.tn.ConnectionSubnetForTest(e.ctx, flexSub, "spoke", "catalog/a", 1, false)
		wantRule(t, err, flex.ErrPrecondition, "NET-2")
	})
}

func TestNET3DNS(t *testing.T) {
	e := newEnv(t, nil)
	t.Run("NET-3 Azure DNS refused for peering", func(t *testing.T) {
		s := peeringSpec(e, "p", "192.168.0.0/24")
		s.DNS = []netip.Addr{network.AzureHostIP()}
		_, err := e.tn.CreateConnection(e.ctx, flexSub, s)
		wantRule(t, err, flex.ErrInvalid, "NET-3")
	})
	t.Run("NET-3 DNS needed", func(t *testing.T) {
		s := peeringSpec(e, "p", "192.168.0.0/24")
		s.DNS = nil
		_, err := e.tn.CreateConnection(e.ctx, flexSub, s)
		wantRule(t, err, flex.ErrInvalid, "NET-3")
	})
	t.Run("NET-3 change later, machines keep the old servers until they restart", func(t *testing.T) {
		c, err := e.tn.CreateConnection(e.ctx, flexSub, peeringSpec(e, "p", "192.168.0.0/24"))
		if err != nil {
			t.Fatal(err)
		}
		vnetID := one[*flex.VirtualNetwork](e, "connection/p", flex.TypeVirtualNetwork).ID
		c, err = e.tn.UpdateConnection(e.ctx, "p", flex.ConnectionUpdate{DNS: []netip.Addr{addr("10.0.0.7"), addr("10.0.0.8")}})
		if err != nil {
			t.Fatal(err)
		}
		v := get[*flex.VirtualNetwork](e, vnetID)
		if diff := cmp.Diff([]netip.Addr{addr("10.0.0.7"), addr("10.0.0.8")}, v.DNSServers, cmpAddr); diff != "" {
			t.Errorf("VNet DNS servers (-want +got):\n%s", diff)
		}
		if !hasWarning(c.Warnings, "NET-3", "until they restart") {
			t.Errorf("warnings %v; want NET-3's that running machines keep the old servers until they restart", c.Warnings)
		}
		if c.Status.State != network.StateComplete {
			t.Errorf("state %v after the change; want Complete", c.Status)
		}
	})
}

func hasWarning(ws []network.Warning, id, text string) bool {
	for _, w := range ws {
		if w.ID == id && strings.Contains(w.Msg, text) {
			return true
		}
	}
	return false
}

func TestNET4Overlap(t *testing.T) {
	e := newEnv(t, nil)
	t.Run("NET-4 docs example: 192.168.0.0/24 is fine next to a 10.0.0.0/16 VNet", func(t *testing.T) {
		if _, err := e.tn.CreateConnection(e.ctx, flexSub, peeringSpec(e, "fine", "192.168.0.0/24")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("NET-4 docs example: 10.0.0.0/24 overlaps the peered VNet", func(t *testing.T) {
		_, err := e.tn.CreateConnection(e.ctx, flexSub, peeringSpec(e, "bad", "10.0.0.0/24"))
		wantRule(t, err, flex.ErrInvalid, "NET-4")
		if !strings.Contains(err.Error(), "10.0.0.0/16") || !strings.Contains(err.Error(), "hub-vnet") {
			t.Errorf("error %q does not name the other range and its owner", err)
		}
	})
	t.Run("NET-4 another connection of the subscription", func(t *testing.T) {
		s := vpnSpec("vpn")
		s.VDASubnet = pfx("192.168.0.0/23")
		_, err := e.tn.CreateConnection(e.ctx, flexSub, s)
		wantRule(t, err, flex.ErrInvalid, "NET-4")
		if !strings.Contains(err.Error(), `connection "fine"`) || !strings.Contains(err.Error(), "192.168.0.0/24") {
			t.Errorf("error %q does not name the other connection and its range", err)
		}
	})
	t.Run("NET-4 a VPN's allowed networks", func(t *testing.T) {
		s := vpnSpec("vpn")
		s.VDASubnet = pfx("10.50.1.0/24")
		_, err := e.tn.CreateConnection(e.ctx, flexSub, s)
		wantRule(t, err, flex.ErrInvalid, "NET-4")
	})
	t.Run("NET-4 the hub and its other spokes, read from the cloud", func(t *testing.T) {
		hub := e.customerHub("hub", "Standard", "10.100.0.0/24")
		e.customerSpoke(hub, e.customerVNet("branch", "10.101.0.0/16"))
		_, err := e.tn.CreateConnection(e.ctx, flexSub, vwanSpec("spoke", hub, "10.101.4.0/24"))
		wantRule(t, err, flex.ErrInvalid, "NET-4")
		_, err = e.tn.CreateConnection(e.ctx, flexSub, vwanSpec("spoke", hub, "10.100.0.0/24"))
		wantRule(t, err, flex.ErrInvalid, "NET-4")
		if _, err := e.tn.CreateConnection(e.ctx, flexSub, vwanSpec("spoke", hub, "10.102.0.0/24")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("NET-4 nothing was created for refused requests", func(t *testing.T) {
		for _, n := range []string{"bad", "vpn"} {
			if left := e.owned("connection/" + n); len(left) != 0 {
				t.Errorf("refused %q left %v", n, ids(left))
			}
		}
	})
}

func TestNET5RangeSize(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.tn.CreateConnection(e.ctx, flexSub, peeringSpec(e, "small", "192.168.0.0/25"))
	wantRule(t, err, flex.ErrInvalid, "NET-5")
}

func routeTable(e *env, owner string) []flex.Route {
	return one[*flex.RouteTable](e, owner, flex.TypeRouteTable).Routes
}

func TestNET6CustomRoutes(t *testing.T) {
	e := newEnv(t, nil)
	if _, err := e.tn.CreateConnection(e.ctx, flexSub, peeringSpec(e, "p", "192.168.0.0/24")); err != nil {
		t.Fatal(err)
	}
	owner := "connection/p"
	t.Run("NET-6 add, enabled by default and in entry order", func(t *testing.T) {
		c, err := e.tn.UpdateConnection(e.ctx, "p", flex.ConnectionUpdate{AddRoutes: []network.Route{
			network.MustParseRoute("internet,0.0.0.0/0,Internet"),
			network.MustParseRoute("onprem,10.30.0.0/16,Virtual network gateway"),
		}})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range c.Spec.(network.PeeringSpec).Routes {
			names = append(names, r.Name)
		}
		if diff := cmp.Diff([]string{"to-fw", "internet", "onprem"}, names); diff != "" {
			t.Errorf("route order (-want +got):\n%s", diff)
		}
		want := []flex.Route{
			{Name: "to-fw", Prefix: pfx("10.20.0.0/16"), NextHop: "VirtualAppliance", NextHopIP: addr("10.0.0.10")},
			{Name: "internet", Prefix: pfx("0.0.0.0/0"), NextHop: "Internet"},
			{Name: "onprem", Prefix: pfx("10.30.0.0/16"), NextHop: "VirtualNetworkGateway"},
		}
		if diff := cmp.Diff(want, routeTable(e, owner), cmpAddr); diff != "" {
			t.Errorf("cloud route table (-want +got):\n%s", diff)
		}
	})
	t.Run("NET-6 edit and disable", func(t *testing.T) {
		_, err := e.tn.UpdateConnection(e.ctx, "p", flex.ConnectionUpdate{
			EditRoutes:    []flex.RouteEdit{{Name: "onprem", Route: network.MustParseRoute("onprem,10.31.0.0/16,None")}},
			DisableRoutes: []string{"internet"},
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []flex.Route{
			{Name: "to-fw", Prefix: pfx("10.20.0.0/16"), NextHop: "VirtualAppliance", NextHopIP: addr("10.0.0.10")},
			{Name: "onprem", Prefix: pfx("10.31.0.0/16"), NextHop: "None"},
		}
		if diff := cmp.Diff(want, routeTable(e, owner), cmpAddr); diff != "" {
			t.Errorf("cloud route table after edit and disable (-want +got):\n%s", diff)
		}
	})
	t.Run("NET-6 delete needs the acknowledgement", func(t *testing.T) {
		_, err := e.tn.UpdateConnection(e.ctx, "p", flex.ConnectionUpdate{DeleteRoutes: []string{"to-fw"}})
		wantRule(t, err, flex.ErrInvalid, "NET-6")
		if got := len(routeTable(e, owner)); got != 2 {
			t.Errorf("%d routes in the cloud after a refused delete; want 2", got)
		}
		c, err := e.tn.UpdateConnection(e.ctx, "p", flex.ConnectionUpdate{DeleteRoutes: []string{"to-fw"}, EnableRoutes: []string{"internet"}, Ack: network.SessionsMayBeDisrupted})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(c.Spec.(network.PeeringSpec).Routes); got != 2 {
			t.Errorf("%d routes kept; want 2", got)
		}
		want := []flex.Route{
			{Name: "internet", Prefix: pfx("0.0.0.0/0"), NextHop: "Internet"},
			{Name: "onprem", Prefix: pfx("10.31.0.0/16"), NextHop: "None"},
		}
		if diff := cmp.Diff(want, routeTable(e, owner), cmpAddr); diff != "" {
			t.Errorf("cloud route table after delete (-want +got):\n%s", diff)
		}
	})
	t.Run("NET-6 every problem at once", func(t *testing.T) {
		_, err := e.tn.UpdateConnection(e.ctx, "p", flex.ConnectionUpdate{AddRoutes: []network.Route{
			network.MustParseRoute("INTERNET,10.40.0.0/16,Internet"), // name taken, ignoring case
			network.MustParseRoute("tiny,10.41.0.0/28,Internet"),     // prefix longer than /24
			network.MustParseRoute("fw,10.42.0.0/16,VirtualAppliance,8.8.8.8"),
		}})
		wantRule(t, err, flex.ErrInvalid, "NET-6")
		if n := len(rule.Violations(err)); n < 3 {
			t.Errorf("%d violations; want one per bad route: %v", n, err)
		}
	})
	t.Run("NET-6 none on no connectivity", func(t *testing.T) {
		if _, err := e.tn.CreateConnection(e.ctx, flexSub, network.NoConnectivitySpec{Name: "nc", Region: testRegion}); err != nil {
			t.Fatal(err)
		}
		_, err := e.tn.UpdateConnection(e.ctx, "nc", flex.ConnectionUpdate{AddRoutes: []network.Route{network.MustParseRoute("a,10.0.0.0/16,Internet")}})
		wantRule(t, err, flex.ErrInvalid, "NET-6")
	})
}

func TestNET7GatewayRoutePropagation(t *testing.T) {
	e := newEnv(t, nil)
	t.Run("NET-7 a gateway the peered VNet does not have", func(t *testing.T) {
		s := peeringSpec(e, "p", "192.168.0.0/24")
		s.UsesGateway, s.RoutePropagation = true, true
		_, err := e.tn.CreateConnection(e.ctx, flexSub, s)
		wantRule(t, err, flex.ErrInvalid, "NET-7")
	})
	t.Run("NET-7 propagation without a gateway", func(t *testing.T) {
		s := peeringSpec(e, "p", "192.168.0.0/24")
		s.RoutePropagation = true
		_, err := e.tn.CreateConnection(e.ctx, flexSub, s)
		wantRule(t, err, flex.ErrInvalid, "NET-7")
	})
	t.Run("NET-7 the VNet does not exist", func(t *testing.T) {
		s := peeringSpec(e, "p", "192.168.0.0/24")
		s.RemoteVNet.Name = "missing"
		_, err := e.tn.CreateConnection(e.ctx, flexSub, s)
		wantRule(t, err, flex.ErrNotFound, "NET-7")
	})
	t.Run("NET-7 with a gateway, changed later with a warning", func(t *testing.T) {
		s := peeringSpec(e, "p", "192.168.0.0/24")
		e.customerGateway(s.RemoteVNet, "10.0.255.0/27")
		s.UsesGateway, s.RoutePropagation = true, true
		if _, err := e.tn.CreateConnection(e.ctx, flexSub, s); err != nil {
			t.Fatal(err)
		}
		for _, r := range e.find("connection/p", flex.TypePeering) {
			p := r.(*flex.Peering)
			local := p.ID.ResourceGroup != custGroup
			if local && !p.UseRemoteGateways || !local && !p.AllowGatewayTransit {
				t.Errorf("peering %s: UseRemoteGateways %v AllowGatewayTransit %v; want the Flex side to use the customer's gateway", p.ID, p.UseRemoteGateways, p.AllowGatewayTransit)
			}
		}
		if one[*flex.RouteTable](e, "connection/p", flex.TypeRouteTable).DisableGatewayPropagation {
			t.Error("gateway route propagation is disabled; want enabled")
		}
		off := false
		c, err := e.tn.UpdateConnection(e.ctx, "p", flex.ConnectionUpdate{GatewayRoutePropagation: &off})
		if err != nil {
			t.Fatal(err)
		}
		if !hasWarning(c.Warnings, "NET-7", "interrupt") {
			t.Errorf("warnings %v; want NET-7's", c.Warnings)
		}
		if !one[*flex.RouteTable](e, "connection/p", flex.TypeRouteTable).DisableGatewayPropagation {
			t.Error("gateway route propagation still enabled after turning it off")
		}
	})
	t.Run("NET-7 only on peering", func(t *testing.T) {
		if _, err := e.tn.CreateConnection(e.ctx, flexSub, vpnSpec("vpn")); err != nil {
			t.Fatal(err)
		}
		on := true
		_, err := e.tn.UpdateConnection(e.ctx, "vpn", flex.ConnectionUpdate{GatewayRoutePropagation: &on})
		wantRule(t, err, flex.ErrInvalid, "NET-7")
	})
}

func TestNET9VPN(t *testing.T) {
	e := newEnv(t, nil)
	c, err := e.tn.CreateConnection(e.ctx, flexSub, vpnSpec("vpn"))
	if err != nil {
		t.Fatal(err)
	}
	owner := "connection/vpn"
	gw := one[*flex.VPNGateway](e, owner, flex.TypeVPNGateway)
	if !c.GatewayIP.IsValid() || c.GatewayIP != gw.PublicIP {
		t.Errorf("view's gateway IP %v; want the gateway's public IP %v", c.GatewayIP, gw.PublicIP)
	}
	lg := one[*flex.LocalGateway](e, owner, flex.TypeLocalGateway)
	if lg.GatewayIP != addr("52.1.2.3") || !cmp.Equal(lg.AddressPrefixes, []netip.Prefix{pfx("10.50.0.0/16")}, cmpAddr) {
		t.Errorf("local gateway %v %v; want the device IP and the allowed networks", lg.GatewayIP, lg.AddressPrefixes)
	}
	vc := one[*flex.VPNConnection](e, owner, flex.TypeVPNConnection)
	if vc.SharedKey.Reveal() != testPSK {
		t.Error("the VPN connection does not carry the pre-shared key")
	}
	v := one[*flex.VirtualNetwork](e, owner, flex.TypeVirtualNetwork)
	if len(v.Subnets) != 1 || v.Subnets[0].Name != "GatewaySubnet" || v.Subnets[0].Prefix != pfx("172.20.1.0/27") {
		t.Errorf("VNet subnets %v; want the GatewaySubnet", v.Subnets)
	}
	if diff := cmp.Diff([]netip.Addr{addr("10.50.0.4"), addr("10.50.0.5")}, v.DNSServers, cmpAddr); diff != "" {
		t.Errorf("DNS servers, preferred first (-want +got):\n%s", diff)
	}
	t.Run("NET-9 machines are carved from the VDA subnet only", func(t *testing.T) {
		s, err := e.tn.ConnectionSubnetForTest(e.ctx, flexSub, "vpn", "catalog/a", 100, true)
		if err != nil {
			t.Fatal(err)
		}
		if !pfx("172.20.0.0/24").Contains(s.Prefix.Addr()) {
			t.Errorf("subnet %v is outside the VDA subnet", s.Prefix)
		}
		v := one[*flex.VirtualNetwork](e, owner, flex.TypeVirtualNetwork)
		for _, sn := range v.Subnets {
			if sn.Name != "GatewaySubnet" && (sn.RouteTable.IsZero() || sn.SecurityGroup.IsZero()) {
				t.Errorf("subnet %s has no route table or NSG", sn.Name)
			}
		}
		if err := e.tn.RemoveSubnetForTest(e.ctx, "vpn", s); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("NET-9 a public device IP", func(t *testing.T) {
		s := vpnSpec("vpn2")
		s.DeviceIP = addr("10.1.1.1")
		s.VDASubnet, s.GatewaySubnet = pfx("172.21.0.0/24"), pfx("172.21.1.0/27")
		_, err := e.tn.CreateConnection(e.ctx, flexSub, s)
		wantRule(t, err, flex.ErrInvalid, "NET-9")
	})
	t.Run("NET-9 subnets must not overlap each other", func(t *testing.T) {
		s := vpnSpec("vpn2")
		s.VDASubnet, s.GatewaySubnet = pfx("172.21.0.0/24"), pfx("172.21.0.0/27")
		_, err := e.tn.CreateConnection(e.ctx, flexSub, s)
		wantRule(t, err, flex.ErrInvalid, "NET-9")
	})
}

func TestNET10ResetAndPSK(t *testing.T) {
	e := newEnv(t, nil)
	if _, err := e.tn.CreateConnection(e.ctx, flexSub, vpnSpec("vpn")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tn.CreateConnection(e.ctx, flexSub, peeringSpec(e, "p", "192.168.0.0/24")); err != nil {
		t.Fatal(err)
	}
	t.Run("NET-10 reset", func(t *testing.T) {
		c, err := e.tn.ResetConnection(e.ctx, "vpn")
		if err != nil {
			t.Fatal(err)
		}
		if c.Status.State != network.StateComplete || !hasWarning(c.Warnings, "NET-10", "disrupted") {
			t.Errorf("after reset: %v %v; want Complete and NET-10's warning", c.Status, c.Warnings)
		}
	})
	t.Run("NET-10 only VPN connections reset", func(t *testing.T) {
		_, err := e.tn.ResetConnection(e.ctx, "p")
		wantRule(t, err, flex.ErrPrecondition, "NET-10")
	})
	t.Run("NET-10 new pre-shared key", func(t *testing.T) {
		const newKey = "An0therK3y!"
		c, err := e.tn.UpdateConnection(e.ctx, "vpn", flex.ConnectionUpdate{PSK: secretOf(newKey)})
		if err != nil {
			t.Fatal(err)
		}
		if !hasWarning(c.Warnings, "NET-10", "pre-shared key") {
			t.Errorf("warnings %v; want NET-10's", c.Warnings)
		}
		if got := one[*flex.VPNConnection](e, "connection/vpn", flex.TypeVPNConnection).SharedKey.Reveal(); got != newKey {
			t.Error("the cloud's VPN connection kept the old key")
		}
		if s := fmt.Sprintf("%+v %v %#v", c, c, c.Spec); strings.Contains(s, newKey) || strings.Contains(s, testPSK) {
			t.Error("SEC-1: the view shows a pre-shared key")
		}
	})
	t.Run("NET-10 a bad key is refused without being shown", func(t *testing.T) {
		_, err := e.tn.UpdateConnection(e.ctx, "vpn", flex.ConnectionUpdate{PSK: secretOf("bad key~")})
		wantRule(t, err, flex.ErrInvalid, "AZ-5")
		if strings.Contains(err.Error(), "bad key") {
			t.Errorf("SEC-1: the error shows the key: %v", err)
		}
	})
	t.Run("NET-10 a key only for VPN", func(t *testing.T) {
		_, err := e.tn.UpdateConnection(e.ctx, "p", flex.ConnectionUpdate{PSK: secretOf("abc")})
		wantRule(t, err, flex.ErrInvalid, "NET-10")
	})
}

func TestNET11NATGateway(t *testing.T) {
	e := newEnv(t, nil)
	s := peeringSpec(e, "p", "192.168.0.0/24")
	s.NAT = network.NATGateway{Enabled: true, IdleTimeout: 10}
	c, err := e.tn.CreateConnection(e.ctx, flexSub, s)
	if err != nil {
		t.Fatal(err)
	}
	nat := one[*flex.NATGateway](e, "connection/p", flex.TypeNATGateway)
	if nat.IdleTimeoutMinutes != 10 || !nat.PublicIP.IsValid() || c.NATPublicIP != nat.PublicIP {
		t.Errorf("NAT gateway %d minutes, IP %v, view IP %v; want 10 minutes and the cloud's IP in the view", nat.IdleTimeoutMinutes, nat.PublicIP, c.NATPublicIP)
	}
	sub, err := e.tn.ConnectionSubnetForTest(e.ctx, flexSub, "p", "catalog/a", 5, true)
	if err != nil {
		t.Fatal(err)
	}
	subnetNAT := func() flex.ResourceID {
		for _, sn := range one[*flex.VirtualNetwork](e, "connection/p", flex.TypeVirtualNetwork).Subnets {
			if sn.Name == sub.Name {
				return sn.NATGateway
			}
		}
		t.Fatalf("subnet %s is gone", sub.Name)
		return flex.ResourceID{}
	}
	if subnetNAT() != nat.ID {
		t.Errorf("subnet's NAT gateway %v; want %v", subnetNAT(), nat.ID)
	}
	t.Run("NET-11 idle timeout change", func(t *testing.T) {
		if _, err := e.tn.UpdateConnection(e.ctx, "p", flex.ConnectionUpdate{NAT: &network.NATGateway{Enabled: true, IdleTimeout: 30}}); err != nil {
			t.Fatal(err)
		}
		got := one[*flex.NATGateway](e, "connection/p", flex.TypeNATGateway)
		if got.IdleTimeoutMinutes != 30 || got.PublicIP != nat.PublicIP {
			t.Errorf("NAT gateway %d minutes, IP %v; want 30 and the same IP", got.IdleTimeoutMinutes, got.PublicIP)
		}
	})
	t.Run("NET-11 timeout out of range", func(t *testing.T) {
		_, err := e.tn.UpdateConnection(e.ctx, "p", flex.ConnectionUpdate{NAT: &network.NATGateway{Enabled: true, IdleTimeout: 121}})
		wantRule(t, err, flex.ErrInvalid, "NET-11")
	})
	t.Run("NET-11 disable", func(t *testing.T) {
		c, err := e.tn.UpdateConnection(e.ctx, "p", flex.ConnectionUpdate{NAT: &network.NATGateway{}})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(e.find("connection/p", flex.TypeNATGateway)); n != 0 || c.NATPublicIP.IsValid() {
			t.Errorf("%d NAT gateways and view IP %v after disabling; want none", n, c.NATPublicIP)
		}
		if !subnetNAT().IsZero() {
			t.Error("the subnet still refers to a NAT gateway")
		}
	})
	t.Run("NET-11 not on VPN", func(t *testing.T) {
		if _, err := e.tn.CreateConnection(e.ctx, flexSub, vpnSpec("vpn")); err != nil {
			t.Fatal(err)
		}
		_, err := e.tn.UpdateConnection(e.ctx, "vpn", flex.ConnectionUpdate{NAT: &network.NATGateway{Enabled: true}})
		wantRule(t, err, flex.ErrInvalid, "NET-11")
	})
	t.Run("NET-11 on a Citrix-managed network", func(t *testing.T) {
		ms, err := e.tn.ManagedSubnetForTest(e.ctx, flexSub, testRegion, "catalog/nc", 3, false)
		if err != nil {
			t.Fatal(err)
		}
		c, err := e.tn.UpdateConnection(e.ctx, "catalog/nc", flex.ConnectionUpdate{NAT: &network.NATGateway{Enabled: true}})
		if err != nil {
			t.Fatal(err)
		}
		if !c.Managed || !c.NATPublicIP.IsValid() {
			t.Errorf("managed view %+v; want a NAT public IP", c)
		}
		if err := e.tn.RemoveSubnetForTest(e.ctx, "catalog/nc", ms); err != nil {
			t.Fatal(err)
		}
		if left := e.owned("catalog/nc"); len(left) != 1 {
			t.Errorf("after the managed network's last subnet: %v; want only the owner's group", ids(left))
		}
	})
}

func TestNET12VirtualWAN(t *testing.T) {
	e, plan := withFaults(t)
	hub := e.customerHub("hub", "Standard", "10.100.0.0/24")
	t.Run("NET-12 Basic hub refused", func(t *testing.T) {
		basic := e.customerHub("basic", "Basic", "10.110.0.0/24")
		_, err := e.tn.CreateConnection(e.ctx, flexSub, vwanSpec("spoke", basic, "10.200.0.0/24"))
		wantRule(t, err, flex.ErrInvalid, "NET-12")
	})
	t.Run("NET-12 no internet route draws a warning", func(t *testing.T) {
		s := vwanSpec("spoke", hub, "10.200.0.0/24")
		s.Routes = nil
		c, err := e.tn.CreateConnection(e.ctx, flexSub, s)
		if err != nil {
			t.Fatal(err)
		}
		if !hasWarning(c.Warnings, "NET-12", "0.0.0.0/0") {
			t.Errorf("warnings %v; want NET-12's", c.Warnings)
		}
		hc := one[*flex.HubConnection](e, "connection/spoke", flex.TypeHubConnection)
		if !hc.PropagateRoutes || hc.EnableInternetSecurity {
			t.Errorf("hub connection settings %+v; want the spec's advanced settings", hc)
		}
		if err := e.tn.DeleteConnection(e.ctx, "spoke"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("NET-12 REG-2 the spoke takes the hub's region", func(t *testing.T) {
		s := vwanSpec("spoke", hub, "10.200.0.0/24")
		s.Region = network.EastUS
		_, err := e.tn.CreateConnection(e.ctx, flexSub, s)
		wantRule(t, err, flex.ErrInvalid, "REG-2")
	})
	t.Run("NET-12 VWanConnectionFailed keeps the message, nothing in the cloud", func(t *testing.T) {
		disarm := failPuts(plan, flex.TypeHubConnection, "AuthorizationFailed: the client lacks Network Contributor")
		c, err := e.tn.CreateConnection(e.ctx, flexSub, vwanSpec("spoke", hub, "10.200.0.0/24"))
		disarm()
		if err == nil || c.Status.State != network.StateVWanConnectionFailed || !strings.Contains(c.Status.Message, "AuthorizationFailed") {
			t.Fatalf("%v, %v; want VWanConnectionFailed with Azure's message", c.Status, err)
		}
		if left := e.owned("connection/spoke"); len(left) != 0 {
			t.Errorf("left in the cloud: %v", ids(left))
		}
		if _, err := e.tn.RetryConnection(e.ctx, "spoke"); !errors.Is(err, flex.ErrPrecondition) {
			t.Errorf("retry of VWanConnectionFailed: %v; want ErrPrecondition (re-create it)", err)
		}
		if err := e.tn.DeleteConnection(e.ctx, "spoke"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("NET-12 RouteTableFailed allows catalogs and retries alone", func(t *testing.T) {
		disarm := failPuts(plan, flex.TypeRouteTable, "InternalServerError")
		c, err := e.tn.CreateConnection(e.ctx, flexSub, vwanSpec("spoke", hub, "10.200.0.0/24"))
		disarm()
		if err != nil {
			t.Fatal(err)
		}
		if c.Status.State != network.StateRouteTableFailed || !hasWarning(c.Warnings, "NET-12", "RetryConnection") {
			t.Fatalf("%v %v; want RouteTableFailed with NET-12's advice", c.Status, c.Warnings)
		}
		s, err := e.tn.ConnectionSubnetForTest(e.ctx, flexSub, "spoke", "catalog/a", 10, true)
		if err != nil {
			t.Fatalf("a catalog on a RouteTableFailed connection: %v", err)
		}
		c, err = e.tn.RetryConnection(e.ctx, "spoke")
		if err != nil {
			t.Fatal(err)
		}
		if c.Status.State != network.StateComplete {
			t.Errorf("after the retry: %v; want Complete", c.Status)
		}
		rt := one[*flex.RouteTable](e, "connection/spoke", flex.TypeRouteTable)
		for _, sn := range one[*flex.VirtualNetwork](e, "connection/spoke", flex.TypeVirtualNetwork).Subnets {
			if sn.Name == s.Name && sn.RouteTable != rt.ID {
				t.Errorf("subnet's route table %v after the retry; want %v", sn.RouteTable, rt.ID)
			}
		}
		if err := e.tn.RemoveSubnetForTest(e.ctx, "spoke", s); err != nil {
			t.Fatal(err)
		}
		if err := e.tn.DeleteConnection(e.ctx, "spoke"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("NET-12 NatGatewayFailed allows catalogs and retries alone", func(t *testing.T) {
		disarm := failPuts(plan, flex.TypeNATGateway, "InternalServerError")
		s := peeringSpec(e, "p", "192.168.0.0/24")
		s.NAT.Enabled = true
		c, err := e.tn.CreateConnection(e.ctx, flexSub, s)
		disarm()
		if err != nil {
			t.Fatal(err)
		}
		if c.Status.State != network.StateNatGatewayFailed {
			t.Fatalf("%v; want NatGatewayFailed", c.Status)
		}
		if usable, _, err := e.tn.ConnectionFactsForTest(flexSub, "p"); err != nil || !usable {
			t.Errorf("facts of a NatGatewayFailed connection: usable %v, %v; want usable", usable, err)
		}
		c, err = e.tn.RetryConnection(e.ctx, "p")
		if err != nil || c.Status.State != network.StateComplete || !c.NATPublicIP.IsValid() {
			t.Fatalf("retry: %v %v, NAT IP %v; want Complete with a NAT gateway", c.Status, err, c.NATPublicIP)
		}
	})
	t.Run("NET-12 a spoke gets a NAT gateway with its first catalog", func(t *testing.T) {
		c, err := e.tn.CreateConnection(e.ctx, flexSub, vwanSpec("nat-spoke", hub, "10.202.0.0/24"))
		if err != nil {
			t.Fatal(err)
		}
		if n := len(e.find("connection/nat-spoke", flex.TypeNATGateway)); n != 0 || c.NATPublicIP.IsValid() {
			t.Errorf("%d NAT gateways before any catalog; want none", n)
		}
		s, err := e.tn.ConnectionSubnetForTest(e.ctx, flexSub, "nat-spoke", "catalog/a", 5, true)
		if err != nil {
			t.Fatal(err)
		}
		nat := one[*flex.NATGateway](e, "connection/nat-spoke", flex.TypeNATGateway)
		for _, sn := range one[*flex.VirtualNetwork](e, "connection/nat-spoke", flex.TypeVirtualNetwork).Subnets {
			if sn.Name == s.Name && sn.NATGateway != nat.ID {
				t.Errorf("subnet's NAT gateway %v; want %v", sn.NATGateway, nat.ID)
			}
		}
		cs, _ := e.tn.Connections(e.ctx)
		if got := byName(cs, "nat-spoke"); got.NATPublicIP != nat.PublicIP || got.Status.State != network.StateComplete {
			t.Errorf("view %v with NAT IP %v; want Complete with %v", got.Status, got.NATPublicIP, nat.PublicIP)
		}
		if err := e.tn.RemoveSubnetForTest(e.ctx, "nat-spoke", s); err != nil {
			t.Fatal(err)
		}
		if err := e.tn.DeleteConnection(e.ctx, "nat-spoke"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("NET-12 a spoke whose NAT gateway fails is NatGatewayFailed and still takes catalogs", func(t *testing.T) {
		if _, err := e.tn.CreateConnection(e.ctx, flexSub, vwanSpec("nat-spoke", hub, "10.202.0.0/24")); err != nil {
			t.Fatal(err)
		}
		disarm := failPuts(plan, flex.TypeNATGateway, "InternalServerError")
		s, err := e.tn.ConnectionSubnetForTest(e.ctx, flexSub, "nat-spoke", "catalog/a", 5, true)
		disarm()
		if err != nil {
			t.Fatalf("the catalog's subnet: %v; want it made without the NAT gateway", err)
		}
		cs, _ := e.tn.Connections(e.ctx)
		if st := byName(cs, "nat-spoke").Status; st.State != network.StateNatGatewayFailed || !strings.Contains(st.Message, "InternalServerError") {
			t.Errorf("%v; want NatGatewayFailed with the cloud's message", st)
		}
		c, err := e.tn.RetryConnection(e.ctx, "nat-spoke")
		if err != nil || c.Status.State != network.StateComplete || !c.NATPublicIP.IsValid() {
			t.Fatalf("retry: %v, %v, NAT IP %v; want Complete with a NAT gateway", c.Status, err, c.NATPublicIP)
		}
		if err := e.tn.RemoveSubnetForTest(e.ctx, "nat-spoke", s); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("NET-12 stuck after 10 minutes of Provisioning", func(t *testing.T) {
		reached, release := holdPuts(plan, flex.TypeHubConnection)
		done := make(chan error, 1)
		go func() {
			_, err := e.tn.CreateConnection(e.ctx, flexSub, vwanSpec("slow", hub, "10.201.0.0/24"))
			done <- err
		}()
		<-reached
		cs, _ := e.tn.Connections(e.ctx)
		slow := byName(cs, "slow")
		if slow.Status.State != network.StateProvisioning || slow.Stuck { // RULE API-2
			t.Errorf("while provisioning: %v stuck=%v; want Provisioning, not stuck", slow.Status, slow.Stuck)
		}
		e.clock.Advance(network.StuckAfter + 1)
		cs, _ = e.tn.Connections(e.ctx)
		if s := byName(cs, "slow"); !s.Stuck {
			t.Errorf("after %v: stuck=%v; want stuck", network.StuckAfter+1, s.Stuck)
		}
		if ws := e.tn.StuckForTest(); len(ws) != 1 || !strings.Contains(ws[0].Msg, slow.Status.TransactionID) {
			t.Errorf("stuck warnings %v; want one naming the transaction ID", ws)
		}
		if err := e.tn.DeleteConnection(e.ctx, "slow"); !errors.Is(err, flex.ErrBusy) {
			t.Errorf("delete while provisioning: %v; want ErrBusy", err)
		}
		release()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}

func byName(cs []flex.Connection, name string) flex.Connection {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return flex.Connection{}
}

func TestNET13VWANRanges(t *testing.T) {
	e := newEnv(t, nil)
	hub := e.customerHub("hub", "Standard", "10.100.0.0/24")
	e.customerSpoke(hub, e.customerVNet("branch", "10.101.0.0/16"))
	if _, err := e.tn.CreateConnection(e.ctx, flexSub, vwanSpec("spoke", hub, "10.200.0.0/24")); err != nil {
		t.Fatal(err)
	}
	vnet := func() *flex.VirtualNetwork {
		return one[*flex.VirtualNetwork](e, "connection/spoke", flex.TypeVirtualNetwork)
	}
	// Fill the first range so the next subnet must come from a new one.
	full, err := e.tn.ConnectionSubnetForTest(e.ctx, flexSub, "spoke", "catalog/big", 251, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("NET-13 full range: add one", func(t *testing.T) {
		_, err := e.tn.ConnectionSubnetForTest(e.ctx, flexSub, "spoke", "catalog/more", 10, true)
		wantRule(t, err, flex.ErrPrecondition, "NET-13")
	})
	t.Run("NET-13 added ranges are usable at once", func(t *testing.T) {
		c, err := e.tn.UpdateConnection(e.ctx, "spoke", flex.ConnectionUpdate{AddRanges: []netip.Prefix{pfx("10.200.1.0/24"), pfx("10.200.4.0/22")}})
		if err != nil {
			t.Fatal(err)
		}
		if c.UsableAddresses != 251+251+1019 { // RULE NET-14
			t.Errorf("usable addresses %d; want %d", c.UsableAddresses, 251+251+1019)
		}
		if diff := cmp.Diff([]netip.Prefix{pfx("10.200.0.0/24"), pfx("10.200.1.0/24"), pfx("10.200.4.0/22")}, vnet().AddressSpace, cmpAddr); diff != "" {
			t.Errorf("VNet address space (-want +got):\n%s", diff)
		}
		s, err := e.tn.ConnectionSubnetForTest(e.ctx, flexSub, "spoke", "catalog/more", 10, true)
		if err != nil {
			t.Fatal(err)
		}
		if !pfx("10.200.1.0/24").Contains(s.Prefix.Addr()) {
			t.Errorf("subnet %v; want it in the added range 10.200.1.0/24", s.Prefix)
		}
	})
	t.Run("NET-13 ranges overlapping the hub's spokes are refused", func(t *testing.T) {
		_, err := e.tn.UpdateConnection(e.ctx, "spoke", flex.ConnectionUpdate{AddRanges: []netip.Prefix{pfx("10.101.7.0/24")}})
		wantRule(t, err, flex.ErrInvalid, "NET-4")
		_, err = e.tn.UpdateConnection(e.ctx, "spoke", flex.ConnectionUpdate{AddRanges: []netip.Prefix{pfx("10.200.0.0/24")}})
		wantRule(t, err, flex.ErrInvalid, "NET-13")
	})
	t.Run("NET-13 ranges in use are neither edited nor deleted", func(t *testing.T) {
		_, err := e.tn.UpdateConnection(e.ctx, "spoke", flex.ConnectionUpdate{DeleteRanges: []netip.Prefix{pfx("10.200.0.0/24")}})
		wantRule(t, err, flex.ErrInvalid, "NET-13")
		_, err = e.tn.UpdateConnection(e.ctx, "spoke", flex.ConnectionUpdate{EditRanges: []flex.RangeEdit{{Old: pfx("10.200.1.0/24"), New: pfx("10.200.2.0/24")}}})
		wantRule(t, err, flex.ErrInvalid, "NET-13")
	})
	t.Run("NET-13 free ranges are edited and deleted", func(t *testing.T) {
		c, err := e.tn.UpdateConnection(e.ctx, "spoke", flex.ConnectionUpdate{EditRanges: []flex.RangeEdit{{Old: pfx("10.200.4.0/22"), New: pfx("10.200.8.0/24")}}})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]netip.Prefix{pfx("10.200.0.0/24"), pfx("10.200.1.0/24"), pfx("10.200.8.0/24")}, c.Ranges, cmpAddr); diff != "" {
			t.Errorf("ranges after the edit (-want +got):\n%s", diff)
		}
		if _, err := e.tn.UpdateConnection(e.ctx, "spoke", flex.ConnectionUpdate{DeleteRanges: []netip.Prefix{pfx("10.200.8.0/24")}}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]netip.Prefix{pfx("10.200.0.0/24"), pfx("10.200.1.0/24")}, vnet().AddressSpace, cmpAddr); diff != "" {
			t.Errorf("VNet address space after the delete (-want +got):\n%s", diff)
		}
		// The freed range is the subscription's again (NET-4).
		s := peeringSpec(e, "p", "10.200.4.0/24")
		if _, err := e.tn.CreateConnection(e.ctx, flexSub, s); err != nil {
			t.Errorf("a freed range is still taken: %v", err)
		}
	})
	t.Run("NET-13 one range always remains", func(t *testing.T) {
		if err := e.tn.ReleaseSubnetsForTest(e.ctx, "spoke", "catalog/more"); err != nil {
			t.Fatal(err)
		}
		if err := e.tn.RemoveSubnetForTest(e.ctx, "spoke", full); err != nil {
			t.Fatal(err)
		}
		_, err := e.tn.UpdateConnection(e.ctx, "spoke", flex.ConnectionUpdate{DeleteRanges: []netip.Prefix{pfx("10.200.0.0/24"), pfx("10.200.1.0/24")}})
		wantRule(t, err, flex.ErrInvalid, "NET-13")
	})
	t.Run("NET-13 only on vWAN spokes", func(t *testing.T) {
		_, err := e.tn.UpdateConnection(e.ctx, "p", flex.ConnectionUpdate{AddRanges: []netip.Prefix{pfx("10.210.0.0/24")}})
		wantRule(t, err, flex.ErrInvalid, "NET-13")
	})
}

func TestNET14UsableAddresses(t *testing.T) {
	e := newEnv(t, nil)
	c, err := e.tn.CreateConnection(e.ctx, flexSub, peeringSpec(e, "p", "172.18.0.0/21"))
	if err != nil {
		t.Fatal(err)
	}
	if c.UsableAddresses != 2043 { // RULE NET-14: the docs' 172.18.0.0/21 → 2,043
		t.Errorf("usable addresses %d; want 2043", c.UsableAddresses)
	}
}

func TestNET15Usage(t *testing.T) {
	e := newEnv(t, nil)
	if _, err := e.tn.CreateConnection(e.ctx, flexSub, peeringSpec(e, "p", "192.168.0.0/22")); err != nil {
		t.Fatal(err)
	}
	for _, owner := range []string{"catalog/a", "catalog/a", "catalog/b", "image/win11", "bastion/b1", "location/west-1"} {
		if _, err := e.tn.ConnectionSubnetForTest(e.ctx, flexSub, "p", owner, 5, true); err != nil {
			t.Fatal(err)
		}
	}
	cs, err := e.tn.Connections(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := network.Usage{Catalogs: 2, Images: 1, Bastions: 1}
	if diff := cmp.Diff(want, byName(cs, "p").Usage); diff != "" {
		t.Errorf("usage (-want +got):\n%s", diff)
	}
	err = e.tn.DeleteConnection(e.ctx, "p")
	wantRule(t, err, flex.ErrPrecondition, "NET-8")
	for _, who := range []string{`catalog "a"`, `catalog "b"`, `image build "win11"`, `bastion "b1"`, "Cloud Connectors of resource location west-1"} {
		if !strings.Contains(err.Error(), who) {
			t.Errorf("NET-8 error %q does not name %s", err, who)
		}
	}
}

package flex_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/daasflex/daasflex/fake"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

func TestAPI2ConnectionStates(t *testing.T) {
	e, plan := withFaults(t)
	t.Run("API-2 Provisioning then Complete", func(t *testing.T) {
		reached, release := holdPuts(plan, flex.TypeVirtualNetwork)
		done := make(chan error, 1)
		go func() {
			_, err := e.tn.CreateConnection(e.ctx, flexSub, peeringSpec(e, "p", "192.168.0.0/24"))
			done <- err
		}()
		<-reached
		cs, _ := e.tn.Connections(e.ctx)
		if st := byName(cs, "p").Status.State; st != network.StateProvisioning {
			t.Errorf("while the VNet is created: %v; want Provisioning", st)
		}
		_, err := e.tn.UpdateConnection(e.ctx, "p", flex.ConnectionUpdate{DNS: []netip.Addr{addr("10.0.0.9")}})
		if !errors.Is(err, flex.ErrBusy) {
			t.Errorf("a change while provisioning: %v; want ErrBusy", err)
		}
		release()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		cs, _ = e.tn.Connections(e.ctx)
		if st := byName(cs, "p").Status; st.State != network.StateComplete || st.State.DisplayName() != "Ready to use" {
			t.Errorf("after: %v; want Complete, shown Ready to use", st)
		}
	})
	t.Run("API-2 DeleteFailed keeps the connection, the delete can be retried", func(t *testing.T) {
		disarm := failDeletes(plan, flex.TypeResourceGroup, "InternalServerError")
		err := e.tn.DeleteConnection(e.ctx, "p")
		disarm()
		if err == nil {
			t.Fatal("delete succeeded through a failing cloud")
		}
		cs, _ := e.tn.Connections(e.ctx)
		if st := byName(cs, "p").Status; st.State != network.StateDeleteFailed || st.Message == "" {
			t.Errorf("after a failed delete: %v; want DeleteFailed with the cloud's message", st)
		}
		if _, err := e.tn.ConnectionSubnetForTest(e.ctx, flexSub, "p", "catalog/a", 1, false); !rule.Has(err, "NET-2") {
			t.Errorf("a catalog on a DeleteFailed connection: %v; want a NET-2 refusal", err)
		}
		if err := e.tn.DeleteConnection(e.ctx, "p"); err != nil {
			t.Fatal(err)
		}
		if left := e.tenantResources(); len(left) != 0 {
			t.Errorf("left: %v", ids(left))
		}
	})
	t.Run("API-2 Failed when what was created cannot be removed", func(t *testing.T) {
		disarmPut := failPuts(plan, flex.TypeVPNConnection, "InvalidSharedKey")
		disarmDelete := failDeletes(plan, flex.TypeResourceGroup, "InternalServerError")
		c, err := e.tn.CreateConnection(e.ctx, flexSub, vpnSpec("vpn"))
		disarmPut()
		disarmDelete()
		if err == nil || c.Status.State != network.StateFailed {
			t.Fatalf("%v, %v; want Failed and an error", c.Status, err)
		}
		_, err = e.tn.UpdateConnection(e.ctx, "vpn", flex.ConnectionUpdate{DNS: []netip.Addr{addr("10.50.0.9")}})
		wantRule(t, err, flex.ErrPrecondition, "NET-12")
		// What is left belongs to a connection the tenant lists: no orphan.
		for _, r := range e.tenantResources() {
			if r.Metadata().Tags[flex.TagOwner] != "connection/vpn" {
				t.Errorf("%s is tagged %q", r.Metadata().ID, r.Metadata().Tags[flex.TagOwner])
			}
		}
		if err := e.tn.DeleteConnection(e.ctx, "vpn"); err != nil {
			t.Fatal(err)
		}
		if left := e.tenantResources(); len(left) != 0 {
			t.Errorf("left: %v", ids(left))
		}
	})
	t.Run("API-2 Failed managed network retried", func(t *testing.T) {
		disarm := failPuts(plan, flex.TypeVirtualNetwork, "InternalServerError")
		_, err := e.tn.ManagedSubnetForTest(e.ctx, flexSub, testRegion, "catalog/nc", 3, false)
		disarm()
		if err == nil {
			t.Fatal("a managed network was made through a failing cloud")
		}
		cs, _ := e.tn.Connections(e.ctx)
		if st := byName(cs, "catalog/nc").Status.State; st != network.StateFailed {
			t.Errorf("managed network after a failure: %v; want Failed", st)
		}
		if n := len(e.find("catalog/nc", flex.TypeVirtualNetwork)) + len(e.find("catalog/nc", flex.TypeRouteTable)); n != 0 {
			t.Errorf("%d network resources left after the failure", n)
		}
		c, err := e.tn.RetryConnection(e.ctx, "catalog/nc")
		if err != nil || c.Status.State != network.StateComplete {
			t.Fatalf("retry: %v, %v; want Complete", c.Status, err)
		}
		e.tn.ReleaseManagedForTest("catalog/nc")
		if cs, _ := e.tn.Connections(e.ctx); byName(cs, "catalog/nc").Name != "" {
			t.Error("a released managed network is still listed")
		}
	})
}

func TestAPI7ConnectionNames(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct {
		name string
		spec func() network.Spec
		ok   bool
	}{
		{"54 characters for a VPN", func() network.Spec { s := vpnSpec(strings.Repeat("v", 54)); return s }, true},
		{"55 characters for a VPN", func() network.Spec { s := vpnSpec(strings.Repeat("w", 55)); return s }, false},
		{"64 characters for a peering", func() network.Spec { return peeringSpec(e, strings.Repeat("p", 64), "192.168.0.0/24") }, true},
		{"65 characters for a peering", func() network.Spec { return peeringSpec(e, strings.Repeat("q", 65), "192.168.1.0/24") }, false},
		{"every allowed character", func() network.Spec { return network.NoConnectivitySpec{Name: "a-b_c.d(e)", Region: testRegion} }, true},
		{"a slash", func() network.Spec { return network.NoConnectivitySpec{Name: "catalog/x", Region: testRegion} }, false},
		{"empty", func() network.Spec { return network.NoConnectivitySpec{Region: testRegion} }, false},
	} {
		t.Run("API-7 "+tc.name, func(t *testing.T) {
			_, err := e.tn.CreateConnection(e.ctx, flexSub, tc.spec())
			if tc.ok && err != nil {
				t.Fatal(err)
			}
			if !tc.ok {
				wantRule(t, err, flex.ErrInvalid, "API-7")
			}
		})
	}
	t.Run("API-7 names are unique in the tenant, ignoring case", func(t *testing.T) {
		_, err := e.tn.CreateConnection(e.ctx, flexSub, network.NoConnectivitySpec{Name: "A-B_C.D(E)", Region: testRegion})
		if !errors.Is(err, flex.ErrConflict) {
			t.Errorf("same name in another case: %v; want ErrConflict", err)
		}
	})
}

func TestSUB2ConnectionsBelongToOneSubscription(t *testing.T) {
	e := newEnv(t, nil)
	if _, err := e.tn.AddSubscription(e.ctx, flex.SubscriptionSpec{Name: "Second", AzureID: "33333333-3333-3333-3333-333333333333"}); err != nil {
		t.Fatal(err)
	}
	c, err := e.tn.CreateConnection(e.ctx, flexSub, peeringSpec(e, "p", "192.168.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Subscription != flexSub {
		t.Errorf("subscription %q; want %q", c.Subscription, flexSub)
	}
	for _, r := range e.owned("connection/p") {
		if id := r.Metadata().ID; id.ResourceGroup != custGroup && id.Subscription != flexAzure {
			t.Errorf("SUB-2: %s is outside the connection's subscription %s", id, flexAzure)
		}
	}
	t.Run("SUB-2 another subscription's catalog cannot use it", func(t *testing.T) {
		_, err := e.tn.ConnectionSubnetForTest(e.ctx, "Second", "p", "catalog/a", 1, false)
		wantRule(t, err, flex.ErrPrecondition, "SUB-2")
	})
	t.Run("SUB-2 address spaces are per subscription", func(t *testing.T) {
		s := peeringSpec(e, "p2", "192.168.0.0/24")
		s.RemoteVNet = e.customerVNet("other-vnet", "10.9.0.0/16")
		if _, err := e.tn.CreateConnection(e.ctx, "Second", s); err != nil {
			t.Errorf("the same Flex range in another subscription: %v; want it allowed", err)
		}
	})
	t.Run("SUB-2 names are unique in the tenant", func(t *testing.T) {
		_, err := e.tn.CreateConnection(e.ctx, "Second", network.NoConnectivitySpec{Name: "P", Region: testRegion})
		if !errors.Is(err, flex.ErrConflict) {
			t.Errorf("a name of another subscription's connection: %v; want ErrConflict", err)
		}
	})
	t.Run("SUB-3 a subscription with connections stays", func(t *testing.T) {
		err := e.tn.RemoveSubscription(e.ctx, "Second")
		if !errors.Is(err, flex.ErrPrecondition) || !strings.Contains(err.Error(), `connection "p2"`) {
			t.Errorf("removing a subscription with a connection: %v; want ErrPrecondition naming it", err)
		}
	})
	t.Run("SUB-2 unknown subscription", func(t *testing.T) {
		_, err := e.tn.CreateConnection(e.ctx, "Nope", network.NoConnectivitySpec{Name: "x", Region: testRegion})
		if !errors.Is(err, flex.ErrNotFound) {
			t.Errorf("%v; want ErrNotFound", err)
		}
	})
}

func TestADM1ReadOnlyChangesNoConnection(t *testing.T) {
	e := newEnv(t, nil)
	if _, err := e.tn.CreateConnection(e.ctx, flexSub, peeringSpec(e, "p", "192.168.0.0/24")); err != nil {
		t.Fatal(err)
	}
	ro := flex.AsAdmin(e.ctx, flex.Admin{Name: "auditor", Role: flex.ReadOnlyAdministrator})
	checks := map[string]error{}
	_, checks["CreateConnection"] = e.tn.CreateConnection(ro, flexSub, network.NoConnectivitySpec{Name: "x", Region: testRegion})
	_, checks["UpdateConnection"] = e.tn.UpdateConnection(ro, "p", flex.ConnectionUpdate{DNS: []netip.Addr{addr("10.0.0.9")}})
	_, checks["ResetConnection"] = e.tn.ResetConnection(ro, "p")
	_, checks["RetryConnection"] = e.tn.RetryConnection(ro, "p")
	checks["DeleteConnection"] = e.tn.DeleteConnection(ro, "p")
	_, checks["AddKey"] = e.tn.AddKey(ro, flex.KeySpec{Subscription: flexSub, Region: testRegion, Name: "k"})
	_, checks["RotateKey"] = e.tn.RotateKey(ro, flexSub, "k")
	checks["DeleteKey"] = e.tn.DeleteKey(ro, flexSub, "k")
	for op, err := range checks {
		if !errors.Is(err, flex.ErrPrecondition) || !strings.Contains(err.Error(), "ADM-1") { // RULE ADM-1
			t.Errorf("ADM-1: %s by a Read Only Administrator: %v; want ErrPrecondition", op, err)
		}
	}
	if cs, err := e.tn.Connections(ro); err != nil || len(cs) != 1 {
		t.Errorf("ADM-1: a Read Only Administrator lists %d connections, %v; want 1", len(cs), err)
	}
	if _, err := e.tn.Keys(ro); err != nil {
		t.Errorf("ADM-1: a Read Only Administrator lists keys: %v", err)
	}
}

func TestSEC1ConnectionSecrets(t *testing.T) {
	var logs bytes.Buffer
	plan := fake.NewPlan()
	e := newEnv(t, func(p flex.Provider) flex.Provider { return fake.WithFaults(p, plan) },
		flex.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	hub := e.customerHub("hub", "Standard", "10.100.0.0/24")
	var seen []string
	record := func(vs ...any) {
		for _, v := range vs {
			seen = append(seen, fmt.Sprintf("%v|%+v|%#v", v, v, v))
		}
	}
	vpn, err := e.tn.CreateConnection(e.ctx, flexSub, vpnSpec("vpn"))
	if err != nil {
		t.Fatal(err)
	}
	spoke, err := e.tn.CreateConnection(e.ctx, flexSub, vwanSpec("spoke", hub, "10.200.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := e.tn.Connections(e.ctx)
	record(vpn, spoke, cs, vpn.Spec, spoke.Spec)
	_, err = e.tn.CreateConnection(e.ctx, flexSub, vpnSpec("vpn"))
	record(err)
	disarm := failPuts(plan, flex.TypeVPNConnection, "InternalServerError")
	_, err = e.tn.UpdateConnection(e.ctx, "vpn", flex.ConnectionUpdate{PSK: secretOf("N3wKey" + testPSK)})
	record(err)
	s := vpnSpec("vpn2")
	s.VDASubnet, s.GatewaySubnet = pfx("172.21.0.0/24"), pfx("172.21.1.0/27")
	_, err = e.tn.CreateConnection(e.ctx, flexSub, s)
	record(err)
	disarm()
	bad := vwanSpec("spoke2", hub, "10.0.0.0/25")
	_, err = e.tn.CreateConnection(e.ctx, flexSub, bad)
	record(err)
	seen = append(seen, logs.String())
	if logs.Len() == 0 {
		t.Fatal("no log lines to check")
	}
	for _, s := range seen {
		for _, sec := range []string{testPSK, testClientSecret} {
			if strings.Contains(s, sec) { // RULE SEC-1
				t.Errorf("SEC-1: a secret shows in %q", s)
			}
		}
	}
	if vpn.Spec.(network.VPNSpec).PSK.Reveal() != "" || spoke.Spec.(network.VWANSpec).Auth.ClientSecret.Reveal() != "" {
		t.Error("SEC-1: the views hold secrets that Reveal would read")
	}
}

// Concurrent creators with overlapping ranges: exactly one wins each
// range, and no two Flex ranges that overlap ever land in the cloud
// (NET-4).
func TestNET4ConcurrentCreatorsNeverOverlap(t *testing.T) {
	e := newEnv(t, nil)
	remote := e.customerVNet("hub-vnet", "10.0.0.0/16")
	candidates := []string{"192.168.0.0/24", "192.168.0.0/23", "192.168.1.0/24", "192.168.2.0/24", "192.168.2.0/24", "192.168.4.0/22", "192.168.6.0/24"}
	const perRange = 4
	type result struct {
		rng string
		err error
	}
	results := make(chan result, len(candidates)*perRange)
	var wg sync.WaitGroup
	for i, r := range candidates {
		for j := range perRange {
			wg.Go(func() {
				s := network.PeeringSpec{Name: fmt.Sprintf("c%d-%d", i, j), Region: testRegion, RemoteVNet: remote,
					Range: pfx(r), DNS: []netip.Addr{addr("10.0.0.4")}}
				_, err := e.tn.CreateConnection(context.Background(), flexSub, s)
				results <- result{r, err}
			})
		}
	}
	wg.Wait()
	close(results)
	wins := map[string]int{}
	var landed []ipam.Entry
	for res := range results {
		if res.err != nil {
			if !rule.Has(res.err, "NET-4") || !(errors.Is(res.err, flex.ErrConflict) || errors.Is(res.err, flex.ErrInvalid)) {
				t.Errorf("a loser failed with %v; want a NET-4 conflict", res.err)
			}
			continue
		}
		wins[res.rng]++
		landed = append(landed, ipam.Entry{Owner: res.rng, Prefix: pfx(res.rng)})
	}
	for r, n := range wins {
		if n != 1 {
			t.Errorf("range %s won %d times; want once", r, n)
		}
	}
	if err := ipam.CheckDisjoint(landed...); err != nil {
		t.Errorf("overlapping ranges were accepted: %v", err)
	}
	var cloud []ipam.Entry
	for _, r := range e.cloud.Resources(flex.Filter{Type: flex.TypeVirtualNetwork, Tags: map[string]string{flex.TagTenant: tenantID}}) {
		for _, p := range r.(*flex.VirtualNetwork).AddressSpace {
			cloud = append(cloud, ipam.Entry{Owner: r.Metadata().ID.String(), Prefix: p})
		}
	}
	if err := ipam.CheckDisjoint(cloud...); err != nil {
		t.Errorf("overlapping VNets in the cloud: %v", err)
	}
	if len(cloud) != len(landed) || wins["192.168.2.0/24"] != 1 || wins["192.168.6.0/24"]+wins["192.168.4.0/22"] != 1 {
		t.Errorf("%d VNets in the cloud for %d winners (wins %v)", len(cloud), len(landed), wins)
	}
}

// A failure part-way, or a cancelled context, leaves nothing in the cloud
// and frees the name and the ranges.
func TestConnectionFailureLeavesNothing(t *testing.T) {
	e, plan := withFaults(t)
	for _, tc := range []struct {
		name string
		typ  flex.ResourceType
		spec func() network.Spec
	}{
		{"the peering back from the customer's VNet", flex.TypePeering, func() network.Spec { return peeringSpec(e, "p", "192.168.0.0/24") }},
		{"the VPN connection", flex.TypeVPNConnection, func() network.Spec { return vpnSpec("p") }},
		{"the VNet", flex.TypeVirtualNetwork, func() network.Spec { return vpnSpec("p") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			disarm := failPuts(plan, tc.typ, "InternalServerError")
			_, err := e.tn.CreateConnection(e.ctx, flexSub, tc.spec())
			disarm()
			if err == nil {
				t.Fatal("created through a failing cloud")
			}
			if left := e.tenantResources(); len(left) != 0 {
				t.Errorf("left: %v", ids(left))
			}
			if cs, _ := e.tn.Connections(e.ctx); len(cs) != 0 {
				t.Errorf("connections after the failure: %v", cs)
			}
			if _, err := e.tn.CreateConnection(e.ctx, flexSub, tc.spec()); err != nil {
				t.Fatalf("the name and range are still taken: %v", err)
			}
			if err := e.tn.DeleteConnection(e.ctx, "p"); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("a cancelled context", func(t *testing.T) {
		// The gateway's Put waits until the context ends, as a poller does.
		reached := make(chan struct{})
		hang := plan.On(fake.Put, flex.TypeVPNGateway).Once().Hang().OnFire(func(fake.Call) { close(reached) })
		defer hang.Times(0)
		ctx, cancel := context.WithCancel(e.ctx)
		done := make(chan error, 1)
		go func() {
			_, err := e.tn.CreateConnection(ctx, flexSub, vpnSpec("p"))
			done <- err
		}()
		<-reached
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("%v; want context.Canceled", err)
		}
		if left := e.tenantResources(); len(left) != 0 {
			t.Errorf("left: %v", ids(left))
		}
		if cs, _ := e.tn.Connections(e.ctx); len(cs) != 0 {
			t.Errorf("connections after the cancel: %v", cs)
		}
	})
}

// A change whose VNet write fails leaves the DNS servers and ranges as
// they were, in the cloud and in the view, and frees the ranges it had
// reserved (NET-3, NET-13, NET-4).
func TestConnectionUpdateFailureKeepsTheOldSettings(t *testing.T) {
	e, plan := withFaults(t)
	hub := e.customerHub("hub", "Standard", "10.100.0.0/24")
	if _, err := e.tn.CreateConnection(e.ctx, flexSub, vwanSpec("spoke", hub, "10.200.0.0/24")); err != nil {
		t.Fatal(err)
	}
	vnet := func() *flex.VirtualNetwork {
		return one[*flex.VirtualNetwork](e, "connection/spoke", flex.TypeVirtualNetwork)
	}
	disarm := failPuts(plan, flex.TypeVirtualNetwork, "InternalServerError")
	c, err := e.tn.UpdateConnection(e.ctx, "spoke", flex.ConnectionUpdate{
		DNS:       []netip.Addr{addr("10.100.0.53")},
		AddRanges: []netip.Prefix{pfx("10.200.1.0/24")},
	})
	disarm()
	if err == nil {
		t.Fatal("the change succeeded through a failing cloud")
	}
	if got := c.Spec.(network.VWANSpec); len(got.Ranges) != 1 || got.DNS[0] != network.AzureHostIP() || c.Status.State != network.StateComplete {
		t.Errorf("after the failed change: ranges %v DNS %v %v; want the old ones, Complete", got.Ranges, got.DNS, c.Status)
	}
	if v := vnet(); len(v.AddressSpace) != 1 || v.DNSServers[0] != network.AzureHostIP() { // RULE NET-3
		t.Errorf("cloud VNet %v %v; want unchanged", v.AddressSpace, v.DNSServers)
	}
	// RULE NET-4: the range reserved for the change is free again.
	if _, err := e.tn.CreateConnection(e.ctx, flexSub, peeringSpec(e, "p", "10.200.1.0/24")); err != nil {
		t.Errorf("the range of a failed change is still taken: %v", err)
	}

	t.Run("NET-13 the hub refusing new ranges undoes them", func(t *testing.T) {
		disarm := failPuts(plan, flex.TypeHubConnection, "AddressSpaceOverlapsWithVirtualHub")
		_, err := e.tn.UpdateConnection(e.ctx, "spoke", flex.ConnectionUpdate{AddRanges: []netip.Prefix{pfx("10.200.2.0/24")}})
		disarm()
		if err == nil {
			t.Fatal("the change succeeded through a refusing hub")
		}
		if v := vnet(); len(v.AddressSpace) != 1 {
			t.Errorf("cloud VNet address space %v; want the old one", v.AddressSpace)
		}
		cs, _ := e.tn.Connections(e.ctx)
		if got := byName(cs, "spoke"); len(got.Ranges) != 1 || got.Status.State != network.StateComplete {
			t.Errorf("view %v %v; want the old range, Complete", got.Ranges, got.Status)
		}
	})
}

// A Citrix-managed network grows by another block when a subnet does not
// fit, and gives the block back when the subnet cannot be made (NET-4).
func TestManagedNetworkGrows(t *testing.T) {
	e, plan := withFaults(t)
	small, err := e.tn.ManagedSubnetForTest(e.ctx, flexSub, testRegion, "catalog/big", 10, false)
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := e.tn.Connections(e.ctx)
	first := byName(cs, "catalog/big").Ranges
	if len(first) != 1 || first[0].Bits() != 20 {
		t.Fatalf("managed ranges %v; want one /20", first)
	}
	disarm := failPuts(plan, flex.TypeVirtualNetwork, "InternalServerError")
	_, err = e.tn.ManagedSubnetForTest(e.ctx, flexSub, testRegion, "catalog/big", 5000, false)
	disarm()
	if err == nil {
		t.Fatal("a subnet was made through a failing cloud")
	}
	cs, _ = e.tn.Connections(e.ctx)
	if got := byName(cs, "catalog/big").Ranges; len(got) != 1 {
		t.Errorf("ranges after the failure %v; want the block given back", got)
	}
	big, err := e.tn.ManagedSubnetForTest(e.ctx, flexSub, testRegion, "catalog/big", 5000, false)
	if err != nil {
		t.Fatal(err)
	}
	if big.Prefix.Bits() != 19 || big.Prefix.Overlaps(first[0]) {
		t.Errorf("subnet for 5,000 machines %v; want a /19 outside %v", big.Prefix, first[0])
	}
	v := one[*flex.VirtualNetwork](e, "catalog/big", flex.TypeVirtualNetwork)
	if len(v.AddressSpace) != 2 || len(v.Subnets) != 2 {
		t.Errorf("VNet %v with %d subnets; want two ranges and two subnets", v.AddressSpace, len(v.Subnets))
	}
	for _, s := range []flex.TestSubnet{small, big} {
		if err := e.tn.RemoveSubnetForTest(e.ctx, "catalog/big", s); err != nil {
			t.Fatal(err)
		}
	}
	if left := e.owned("catalog/big"); len(left) != 1 {
		t.Errorf("left: %v; want only the owner's group", ids(left))
	}
}

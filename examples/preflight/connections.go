package main

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

// readRange reads a range field: CIDR notation, or "any /N" to have one
// allocated. Empty text gives the zero request.
func readRange(l *rule.List, id, what, text string) rangeReq {
	if text == "" {
		return rangeReq{}
	}
	if rest, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(text)), "any"); ok {
		rest = strings.TrimSpace(rest)
		n, err := strconv.Atoi(strings.TrimPrefix(rest, "/"))
		if !strings.HasPrefix(rest, "/") || err != nil || n < 1 || n > 32 {
			l.Add(id, "%s %q: want CIDR notation such as 10.1.0.0/24, or \"any /N\" with N from 1 to 32 to allocate one from the address pool", what, text)
			return rangeReq{}
		}
		return rangeReq{any: true, bits: n}
	}
	p, err := ipam.ParsePrefix(text)
	if err != nil {
		l.Add(id, "%s %q: %s", what, text, parseMsg(err))
		return rangeReq{}
	}
	return rangeReq{prefix: p}
}

// resolveNetworks reads a list of customer network names or CIDR ranges.
func (c *checker) resolveNetworks(o *connObj, id, what string, items []string) []netip.Prefix {
	var out []netip.Prefix
	for _, it := range items {
		if n, ok := c.netByKey[fold(it)]; ok {
			o.refs[fold(it)] = true
			out = append(out, n.ranges...)
			continue
		}
		p, err := ipam.ParsePrefix(it)
		if err != nil {
			o.dec.Add(id, "%s %q is neither a customer network of the plan nor a range: %s", what, it, parseMsg(err))
			continue
		}
		out = append(out, p)
	}
	return out
}

// readConnections reads every connection into a network.Spec. Ranges asked
// for as "any /N" are filled in by allocate.
func (c *checker) readConnections(conns []connectionFile) {
	for i, f := range conns {
		o := &connObj{idx: i, order: secConnection + i, name: f.Name, refs: map[string]bool{}, allocated: map[netip.Prefix]string{}}
		o.where = fmt.Sprintf("connection %q", f.Name)
		if f.Name == "" {
			o.where = fmt.Sprintf("connection #%d", i+1)
		}
		c.conns = append(c.conns, o)
		c.readConnection(o, f)
		if f.Name != "" {
			if prev, dup := c.connFold[fold(f.Name)]; dup {
				o.cross.Add("API-7", "%q is already the name of connection #%d %q (names compare ignoring case); give every connection its own name so that catalogs can name it", f.Name, prev.idx+1, prev.name)
			} else {
				c.connBy[f.Name] = o
				c.connFold[fold(f.Name)] = o
			}
		}
	}
}

func (c *checker) readConnection(o *connObj, f connectionFile) {
	l := &o.dec
	switch s, ok := c.subByKey[fold(f.Subscription)]; {
	case f.Subscription == "":
		l.Add("SUB-2", "no subscription; a connection belongs to one Flex subscription, name one of the plan's")
	case !ok:
		l.Add("SUB-2", "subscription %q is not declared; declare it under subscriptions or name one of the plan's", f.Subscription)
	default:
		o.sub = s
	}
	kind, err := network.ParseKind(f.Kind)
	if err != nil {
		l.Add("NET-1", "kind %q is not a connection kind; want No connectivity, VNet peering, Azure VPN gateway or Virtual WAN spoke", f.Kind)
	} else {
		o.kind, o.kindOK = kind, true
	}
	o.region = readRegion(f.Region)

	// Sections and fields that belong to another kind.
	sections := []struct {
		name    string
		present bool
		kind    network.Kind
	}{{"peering", f.Peering != nil, network.KindVnetPeering}, {"vpn", f.VPN != nil, network.KindAzureVpn}, {"vwan", f.VWAN != nil, network.KindVWanConnection}}
	for _, s := range sections {
		if o.kindOK && s.present && s.kind != kind {
			l.Add("NET-1", "a %s section is given for a %s connection; remove it or change the kind to %s", s.name, kind.DisplayName(), s.kind.DisplayName())
		}
	}
	if !o.kindOK {
		return
	}
	if f.NAT != nil && !kind.SupportsNATGateway() {
		l.Add("NET-11", "a NAT gateway is set, but %s connections take none; only No connectivity and VNet peering connections do, remove it", kind.DisplayName())
	}
	if kind == network.KindNone {
		if len(f.DNS) > 0 {
			l.Add("NET-3", "DNS servers are given for a No connectivity connection; it reaches no network of yours, remove them")
		}
		if len(f.Routes) > 0 {
			l.Add("NET-6", "custom routes are given for a No connectivity connection; it takes none, remove them")
		}
	}
	if f.PreferredDNS != "" && kind != network.KindAzureVpn {
		l.Add("NET-3", "a preferred DNS server is given for a %s connection; only Azure VPN gateway connections choose one, remove it", kind.DisplayName())
	}

	o.vda = readRange(l, "NET-5", "range", f.Range)
	if f.Range != "" && o.vda == (rangeReq{}) {
		o.skip = append(o.skip, "NET-13")
	}
	dns := readAddrs(l, "NET-3", "DNS server", f.DNS)
	routes := readRoutes(l, f.Routes)
	for _, r := range routes {
		if r.Enabled && r.NextHop == network.NextHopInternet && r.Destination == netip.MustParsePrefix("0.0.0.0/0") {
			o.internet = true
		}
	}
	var nat network.NATGateway
	if f.NAT != nil {
		nat = network.NATGateway{Enabled: f.NAT.Enabled, IdleTimeout: f.NAT.IdleTimeoutMinutes}
	}

	switch kind {
	case network.KindNone:
		o.spec = network.NoConnectivitySpec{Name: f.Name, Region: o.region, NAT: nat}
	case network.KindVnetPeering:
		pf := peeringFile{}
		if f.Peering != nil {
			pf = *f.Peering
		}
		var remote network.ResourceID
		if pf.RemoteVNet != "" {
			if remote, err = network.ParseResourceID(pf.RemoteVNet); err != nil {
				l.Add("NET-7", "peered VNet %q: %s; want /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Network/virtualNetworks/{name}", pf.RemoteVNet, parseMsg(err))
			}
		}
		o.connected = c.resolveNetworks(o, "NET-4", "remote network", pf.RemoteNetworks)
		o.spec = network.PeeringSpec{Name: f.Name, Region: o.region, RemoteVNet: remote, RemoteAddressSpace: o.connected,
			UsesGateway: pf.UsesGateway, RoutePropagation: pf.RoutePropagation, DNS: dns, Routes: routes, NAT: nat}
	case network.KindAzureVpn:
		vf := vpnFile{}
		if f.VPN != nil {
			vf = *f.VPN
		}
		s := network.VPNSpec{Name: f.Name, Region: o.region, PSK: vf.PSK.v, DNS: dns, Routes: routes}
		s.DeviceIP = readAddr(l, "NET-9", "VPN device IP", vf.DeviceIP)
		o.connected = c.resolveNetworks(o, "NET-9", "allowed network", vf.AllowedNetworks)
		s.AllowedNetworks = o.connected
		s.SKU = network.VPNSKU(vf.SKU)
		if sku, err := network.ParseVPNSKU(vf.SKU); err == nil {
			s.SKU = sku
		}
		if b := vf.BGP; b != nil {
			s.BGP = network.BGPSettings{Enabled: true, ASN: b.ASN, PeerASN: b.PeerASN, PeerAddress: readAddr(l, "NET-9", "BGP peer address", b.PeerAddress)}
		}
		o.gateway = readRange(l, "NET-9", "gateway subnet", vf.GatewaySubnet)
		if vf.GatewaySubnet != "" && o.gateway == (rangeReq{}) {
			o.skip = append(o.skip, "NET-5")
		}
		if f.PreferredDNS != "" {
			s.PreferredDNS = readAddr(l, "NET-9", "preferred DNS server", f.PreferredDNS)
		}
		o.spec = s
	case network.KindVWanConnection:
		wf := vwanFile{}
		if f.VWAN != nil {
			wf = *f.VWAN
		}
		s := network.VWANSpec{Name: f.Name, Region: o.region, DNS: dns, Routes: routes,
			Advanced: network.VWANAdvanced{InternetSecurity: wf.InternetSecurity, RoutePropagation: wf.RoutePropagation}}
		if wf.Hub.ID != "" {
			if s.Hub.ID, err = network.ParseResourceID(wf.Hub.ID); err != nil {
				l.Add("NET-12", "vWAN hub %q: %s; want /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Network/virtualHubs/{name}", wf.Hub.ID, parseMsg(err))
			}
		}
		s.Hub.Tier = network.HubTier(wf.Hub.Tier)
		for _, t := range []network.HubTier{network.HubBasic, network.HubStandard} {
			if strings.EqualFold(wf.Hub.Tier, string(t)) {
				s.Hub.Tier = t
			}
		}
		if wf.Hub.AddressSpace != "" {
			if s.Hub.AddressSpace, err = ipam.ParsePrefix(wf.Hub.AddressSpace); err != nil {
				l.Add("AZ-6", "vWAN hub address space %q: %s", wf.Hub.AddressSpace, parseMsg(err))
			}
		}
		s.Hub.Connected = c.resolveNetworks(o, "NET-4", "network connected to the hub", wf.Hub.Connected)
		if s.Hub.AddressSpace.IsValid() {
			o.connected = append(o.connected, s.Hub.AddressSpace)
		}
		o.connected = append(o.connected, s.Hub.Connected...)
		s.Auth = network.VWANAuth{Method: network.AuthMethod(wf.Auth.Method), TenantID: wf.Auth.TenantID, ClientID: wf.Auth.ClientID, ClientSecret: wf.Auth.ClientSecret.v}
		for _, m := range []network.AuthMethod{network.AuthAdminSingleTenant, network.AuthAdminMultiTenant, network.AuthServicePrincipal} {
			if strings.EqualFold(wf.Auth.Method, string(m)) {
				s.Auth.Method = m
			}
		}
		o.spec = s
	}
}

// readRegion returns the region named by text, by Azure or display name;
// text that names none is kept as it is so that validation quotes it (REG-1).
func readRegion(text string) network.Region {
	if r, err := network.ParseRegion(text); err == nil {
		return r
	}
	return network.Region(text)
}

func readAddr(l *rule.List, id, what, text string) netip.Addr {
	if text == "" {
		return netip.Addr{}
	}
	a, err := netip.ParseAddr(text)
	if err != nil {
		l.Add(id, "%s %q is not an IP address; want an IPv4 address such as 203.0.113.10", what, text)
	}
	return a
}

func readAddrs(l *rule.List, id, what string, texts []string) []netip.Addr {
	var out []netip.Addr
	for _, t := range texts {
		if a := readAddr(l, id, what, t); a.IsValid() {
			out = append(out, a)
		}
	}
	return out
}

func readRoutes(l *rule.List, rs []routeFile) []network.Route {
	var out []network.Route
	for _, f := range rs {
		r := network.Route{Name: f.Name, Enabled: !f.Disabled, NextHop: network.NextHopType(f.NextHop)}
		if t, err := network.ParseNextHopType(f.NextHop); err == nil {
			r.NextHop = t
		}
		if f.Destination != "" {
			p, err := ipam.ParsePrefix(f.Destination)
			if err != nil {
				l.Add("NET-6", "route %q: destination %q: %s", f.Name, f.Destination, parseMsg(err))
				continue
			}
			r.Destination = p
		}
		if f.NextHopIP != "" {
			r.NextHopIP = readAddr(l, "NET-6", fmt.Sprintf("route %q: next hop IP", f.Name), f.NextHopIP)
		}
		out = append(out, r)
	}
	return out
}

// allocate fills in every "any /N" range with the lowest free block of the
// address pool (ipam.Space.Allocate). A block is free when it overlaps no
// range the plan names anywhere: customer networks, fixed Flex ranges of
// every subscription, hubs, and the ranges Azure reserves (AZ-1). That is
// stricter than NET-4, which compares within a subscription, so an
// allocated range never clashes with a network a second subscription may
// reach too.
func (c *checker) allocate() {
	var taken ipam.Space
	add := func(owner string, ps ...netip.Prefix) {
		for _, p := range ps {
			cover(&taken, owner, p)
		}
	}
	for _, r := range []string{"224.0.0.0/4", "255.255.255.255/32", "127.0.0.0/8", "169.254.0.0/16", "168.63.129.16/32"} {
		add("Azure (AZ-1)", netip.MustParsePrefix(r))
	}
	for _, n := range c.nets {
		add("customer network "+n.name, n.ranges...)
	}
	for _, o := range c.conns {
		add("connection "+o.name, o.vda.prefix, o.gateway.prefix)
		add("networks of connection "+o.name, o.connected...)
	}
	for _, o := range c.conns {
		if !o.kindOK {
			continue
		}
		for _, r := range []struct {
			req  *rangeReq
			what string
		}{{&o.vda, "range"}, {&o.gateway, "gateway subnet"}} {
			if !r.req.any {
				continue
			}
			o.skip = append(o.skip, "NET-5", "NET-13") // if allocation fails
			o.unresolved = true
			if !c.pool.IsValid() {
				if c.poolGiven {
					continue // the pool's own problem is reported once
				}
				o.dec.Add("NET-4", "%s \"any /%d\" needs a pool to allocate from; give the plan an addressPool such as 172.16.0.0/12, or a fixed range", r.what, r.req.bits)
				continue
			}
			p, err := taken.Allocate(fmt.Sprintf("connection %s (%s)", o.name, r.what), c.pool, r.req.bits)
			if err != nil {
				var nr *ipam.NoRoomError
				if errors.As(err, &nr) {
					o.dec.Add("NET-4", "%s \"any /%d\": %s; widen the address pool or ask for a smaller range", r.what, r.req.bits, strings.TrimPrefix(err.Error(), "ipam: "))
				} else {
					o.dec.Add("NET-4", "%s \"any /%d\" cannot come from address pool %s: %s; ask for a prefix length of at least /%d", r.what, r.req.bits, c.pool, strings.TrimPrefix(err.Error(), "ipam: "), c.pool.Bits())
				}
				continue
			}
			r.req.prefix = p
			o.skip, o.unresolved = o.skip[:len(o.skip)-2], false
			o.allocated[p] = "allocated from " + c.pool.String()
		}
	}
	for _, o := range c.conns {
		if o.kindOK {
			o.setRanges()
		}
	}
}

// cover adds the IPv4 range p to s for owner, where s does not hold it yet:
// the ranges of a plan may overlap (that is what NET-4 reports), and a Space
// holds disjoint entries, so the parts of p outside the entries it overlaps
// are added as the largest aligned blocks.
func cover(s *ipam.Space, owner string, p netip.Prefix) {
	if !p.IsValid() || !p.Addr().Is4() || p != p.Masked() {
		return
	}
	over := s.Overlapping(p)
	if len(over) == 0 {
		_ = s.Add(owner, p)
		return
	}
	for _, e := range over {
		if e.Prefix.Bits() <= p.Bits() {
			return // an entry holds all of p
		}
	}
	// Every entry it overlaps lies inside p: cover each half.
	bits := p.Bits() + 1
	a := p.Addr().As4()
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	v += 1 << (32 - bits)
	cover(s, owner, netip.PrefixFrom(p.Addr(), bits))
	cover(s, owner, netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), bits))
}

// setRanges puts the connection's ranges, fixed or allocated, into its spec.
func (o *connObj) setRanges() {
	switch s := o.spec.(type) {
	case network.NoConnectivitySpec:
		s.Range = o.vda.prefix
		o.spec = s
	case network.PeeringSpec:
		s.Range = o.vda.prefix
		o.spec = s
	case network.VPNSpec:
		s.VDASubnet, s.GatewaySubnet = o.vda.prefix, o.gateway.prefix
		o.spec = s
	case network.VWANSpec:
		s.Ranges = nil
		if o.vda.prefix.IsValid() {
			s.Ranges = []netip.Prefix{o.vda.prefix}
		}
		o.spec = s
	}
}

// validateConnections validates every connection against the address space
// in use in its subscription (NET-4): the customer's networks, less those it
// names itself (its spec checks those and names them as its peer, allowed
// networks or hub), and the Flex ranges of the subscription's connections
// before it in the file.
func (c *checker) validateConnections() {
	for i, o := range c.conns {
		before := len(c.rep.Problems)
		var val error
		if o.kindOK {
			used := &ipam.Space{}
			for _, n := range c.nets {
				if o.refs[fold(n.name)] {
					continue
				}
				for _, p := range n.ranges {
					cover(used, "customer network "+n.name, p)
				}
			}
			for _, e := range c.conns[:i] {
				if e.spec == nil || e.sub == nil || e.sub != o.sub {
					continue
				}
				for _, p := range e.spec.FlexRanges() {
					cover(used, "Flex connection "+e.name, p)
				}
			}
			val = o.spec.Validate(used)
			for _, w := range o.spec.Warnings() {
				c.warn(o.order, o.where, w.ID, w.Msg)
			}
		}
		c.flush(o.order, o.where, &o.dec, &o.cross, val, o.skip...)
		o.bad = len(c.rep.Problems) > before || o.unresolved
	}
}

// checkAddresses checks that the machines of the catalogs on a connection
// fit the addresses its Flex range leaves for machines (NET-14).
func (c *checker) checkAddresses() {
	for _, o := range c.conns {
		if o.spec == nil || o.bad || o.machines == 0 {
			continue
		}
		ranges := o.machineRanges()
		if len(ranges) == 0 {
			continue
		}
		if usable := network.UsableAddresses(ranges...); o.machines > usable {
			c.problem(o.order, o.where, "NET-14", "its catalogs need %s machine addresses, but %s leaves %s once Azure reserves 5 per range; choose a larger range, such as \"any /%d\"",
				thousands(o.machines), strings.Join(prefixStrings(ranges), ", "), thousands(usable), bitsFor(o.machines))
		}
	}
}

// machineRanges returns the ranges machines take addresses from: the Flex
// range, the VDA subnet of a VPN, the ranges of a vWAN spoke.
func (o *connObj) machineRanges() []netip.Prefix {
	ranges := o.spec.FlexRanges()
	if s, ok := o.spec.(network.VPNSpec); ok {
		ranges = []netip.Prefix{s.VDASubnet}
	}
	return slices.DeleteFunc(slices.Clone(ranges), func(p netip.Prefix) bool { return !p.IsValid() })
}

// bitsFor returns the longest prefix length whose range leaves n addresses
// for machines, at most a /24 (NET-5).
func bitsFor(n int) int {
	bits := ipam.MaxFlexVNetBits
	for bits > 1 && ipam.Usable(netip.PrefixFrom(netip.IPv4Unspecified(), bits)) < n {
		bits--
	}
	return bits
}

// routes returns the connection's custom routes (NET-6).
func (o *connObj) routes() []network.Route {
	switch s := o.spec.(type) {
	case network.PeeringSpec:
		return s.Routes
	case network.VPNSpec:
		return s.Routes
	case network.VWANSpec:
		return s.Routes
	}
	return nil
}

// policy returns the firewall policy of a connection's managed VNet: FW-2
// when a domain-joined catalog uses it, FW-1 otherwise.
func (o *connObj) policy() network.FirewallPolicy {
	return network.FirewallPolicy{DomainJoined: o.joined, VNet: o.machineRanges(), Connected: o.connected}
}

// checkFirewalls checks the firewall policy of every sound connection.
func (c *checker) checkFirewalls() {
	for _, o := range c.conns {
		if o.spec == nil || o.bad || len(o.machineRanges()) == 0 {
			continue
		}
		c.problems(o.order, o.where, "FW-1", o.policy().Validate(), nil)
	}
}

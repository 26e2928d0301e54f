package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/naming"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
)

// maxUserCount bounds a catalog's userCount. A count stands for that many
// unique users, which preflight makes up to run the catalog validation; the
// bound keeps that cheap and is four times the users one resource location
// serves under the documented limits (LIM-8: 25,000).
const maxUserCount = 100_000

// Sections order the findings: plan-wide settings first, then the objects in
// the order of the file.
const (
	secPlan = iota * 1_000_000
	secSubscription
	secNetwork
	secConnection
	secCatalog
)

// checker validates one decoded plan and gathers the report.
type checker struct {
	rep Report

	limits    quota.Limits
	pool      netip.Prefix // zero when the plan gives none or it cannot be read
	poolGiven bool         // the plan gives a pool

	subs     []*subObj
	subByKey map[string]*subObj
	nets     []*netObj
	netByKey map[string]*netObj
	conns    []*connObj
	connBy   map[string]*connObj // exact name
	connFold map[string]*connObj // name ignoring case
	cats     []*catObj
}

type subObj struct {
	name, azureID string
	order         int
}

type netObj struct {
	name   string
	ranges []netip.Prefix
}

// rangeReq is a range as the plan asks for it: a fixed prefix, or "any /N".
type rangeReq struct {
	any    bool
	bits   int
	prefix netip.Prefix
}

type connObj struct {
	idx, order int
	where      string
	name       string
	sub        *subObj // nil when the subscription is not declared
	kind       network.Kind
	kindOK     bool
	region     network.Region

	vda, gateway rangeReq // gateway only for VPN
	allocated    map[netip.Prefix]string

	// what the spec needs, resolved
	refs      map[string]bool // customer networks the connection names (by key)
	connected []netip.Prefix  // the customer's networks on the other side
	spec      network.Spec
	dec       rule.List // problems reading the connection
	cross     rule.List // problems with other objects of the plan
	skip      []string  // rules whose validation problems follow from a range that could not be read
	bad       bool      // the connection has problems
	// unresolved marks a connection with an "any /N" range that could not
	// be allocated: its address space is not known.
	unresolved bool
	internet   bool // an enabled route sends 0.0.0.0/0 to the Internet

	joined   bool // a domain-joined catalog uses it
	machines int  // machines of the catalogs on it
}

type catObj struct {
	idx, order int
	where      string
	spec       catalog.Spec
	sub        *subObj
	conn       *connObj
	users      int // unique users: listed, or counted
	machines   int
	location   string
	counted    bool      // reserved in the ledger
	skip       []string  // rules whose validation problems follow from a value that could not be read
	dec        rule.List // problems reading the catalog
	cross      rule.List // problems with other objects of the plan
}

// Finding is one problem or warning: the rule, where in the plan, what is
// wrong and how to fix it.
type Finding struct {
	Rule    string `json:"rule"`
	Where   string `json:"where"`
	Problem string `json:"problem"`
	Fix     string `json:"fix,omitempty"`
	order   int
}

// fold is the key of a name compared ignoring case.
func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// finding splits a message "problem; fix" into its parts, at the last "; "
// outside double quotes: the rule messages of the SDK end with what would be
// accepted.
func finding(order int, where, id, msg string) Finding {
	problem, fix := msg, ""
	quoted, cut := false, -1
	for i := 0; i < len(msg); i++ {
		switch {
		case msg[i] == '\\' && quoted:
			i++
		case msg[i] == '"':
			quoted = !quoted
		case !quoted && strings.HasPrefix(msg[i:], "; "):
			cut = i
		}
	}
	if cut >= 0 {
		problem, fix = msg[:cut], msg[cut+2:]
	}
	if fix == "" {
		fix = defaultFix(id)
	}
	return Finding{Rule: id, Where: where, Problem: problem, Fix: fix, order: order}
}

// defaultFix is the advice for a rule whose message states no fix.
func defaultFix(id string) string {
	switch id {
	case "LIM-1":
		return "use fewer Active Directory domains, or raise the limit with Citrix"
	case "LIM-3":
		return "let catalogs of one connection, region and domain share a resource location, or raise the limit with Citrix"
	case "LIM-2":
		return "plan fewer catalogs, or raise the limit with Citrix"
	case "LIM-4":
		return "move a catalog to another subscription or plan fewer machines"
	case "LIM-6":
		return "give each Active Directory domain its own resource location"
	case "LIM-7", "LIM-8":
		return "spread the catalogs over more resource locations"
	}
	return ""
}

func (c *checker) problem(order int, where, id, format string, args ...any) {
	c.rep.Problems = append(c.rep.Problems, finding(order, where, id, fmt.Sprintf(format, args...)))
}

// problems adds every violation of err, or err itself under rule id when it
// holds none. Violations whose rule is in skip are left out.
func (c *checker) problems(order int, where, id string, err error, skip []string) {
	if err == nil {
		return
	}
	vs := rule.Violations(err)
	if len(vs) == 0 {
		c.rep.Problems = append(c.rep.Problems, finding(order, where, id, err.Error()))
		return
	}
	for _, v := range vs {
		if !slices.Contains(skip, v.ID) {
			c.rep.Problems = append(c.rep.Problems, finding(order, where, v.ID, v.Msg))
		}
	}
}

func (c *checker) warn(order int, where, id, msg string) {
	c.rep.Warnings = append(c.rep.Warnings, finding(order, where, id, msg))
}

// flush reports the problems found reading an object, those it has with
// other objects, then those of its validation, leaving out validation
// problems under a rule the reading already reported: they are about the
// value that could not be read.
func (c *checker) flush(order int, where string, dec, cross *rule.List, val error, skip ...string) {
	read := dec.Err()
	c.problems(order, where, "", read, nil)
	c.problems(order, where, "", cross.Err(), nil)
	c.problems(order, where, "", val, append(rule.IDs(read), skip...))
}

// check validates p and returns the report, with the plan when there is no
// problem.
func check(p *planFile) Report {
	c := newChecker()
	c.run(p)
	rep := c.rep
	if !rep.OK {
		rep.Plan = nil
	}
	return rep
}

func newChecker() *checker {
	return &checker{
		rep:      Report{Problems: []Finding{}, Warnings: []Finding{}},
		subByKey: map[string]*subObj{},
		netByKey: map[string]*netObj{},
		connBy:   map[string]*connObj{},
		connFold: map[string]*connObj{},
	}
}

// run validates p. The plan is built even when there are problems.
func (c *checker) run(p *planFile) {
	c.readSettings(p)
	c.readSubscriptions(p.Subscriptions)
	c.readNetworks(p.CustomerNetworks)
	c.readConnections(p.Connections)
	c.allocate()
	c.validateConnections()
	ledger := c.checkCatalogs(p.Catalogs)
	c.checkAddresses()
	c.checkFirewalls()
	c.buildPlan(ledger)

	slices.SortStableFunc(c.rep.Problems, func(a, b Finding) int { return a.order - b.order })
	slices.SortStableFunc(c.rep.Warnings, func(a, b Finding) int { return a.order - b.order })
	c.rep.OK = len(c.rep.Problems) == 0
}

// readSettings reads the limits (LIM-9) and the address pool.
func (c *checker) readSettings(p *planFile) {
	c.limits = quota.DefaultLimits()
	if f := p.Limits; f != nil {
		l := c.limits
		for _, o := range []struct {
			v   *int
			dst *int
		}{
			{f.ADDomainsPerTenant, &l.ADDomainsPerTenant},
			{f.CatalogsPerTenant, &l.CatalogsPerTenant},
			{f.ResourceLocationsPerTenant, &l.ResourceLocationsPerTenant},
			{f.VDAsPerSubscription, &l.VDAsPerSubscription},
			{f.NearLimitPercent, &l.NearLimitPercent},
			{f.ADDomainsPerResourceLocation, &l.ADDomainsPerResourceLocation},
			{f.SingleSessionUsersPerResourceLocation, &l.SingleSessionUsersPerResourceLocation},
			{f.MultiSessionUsersPerResourceLocation, &l.MultiSessionUsersPerResourceLocation},
		} {
			if o.v != nil {
				*o.dst = *o.v
			}
		}
		if err := l.Validate(); err != nil {
			c.problems(secPlan, "limits", "LIM-9", err, nil)
		} else {
			c.limits = l
		}
	}
	if p.AddressPool != "" {
		c.poolGiven = true
		pool, err := ipam.ParsePrefix(p.AddressPool)
		switch {
		case err != nil:
			c.problem(secPlan, "addressPool", "NET-4", "address pool %q: %s", p.AddressPool, parseMsg(err))
		case !pool.Addr().Is4():
			c.problem(secPlan, "addressPool", "NET-4", "address pool %s is not IPv4; Flex ranges are IPv4, use a private IPv4 range such as 172.16.0.0/12", pool)
		default:
			c.pool = pool
		}
	}
}

// parseMsg is the message of an ipam or network parse error, without the
// package prefix.
func parseMsg(err error) string {
	var pe *ipam.ParseError
	if errors.As(err, &pe) {
		return pe.Msg
	}
	return strings.TrimPrefix(err.Error(), "network: ")
}

// readSubscriptions checks subscription names (SUB-1) and that no Azure
// subscription backs two of them (SUB-2).
func (c *checker) readSubscriptions(subs []subscriptionFile) {
	azure := map[string]int{}
	for i, s := range subs {
		order := secSubscription + i
		where := fmt.Sprintf("subscription %q", s.Name)
		if strings.TrimSpace(s.Name) == "" {
			where = fmt.Sprintf("subscription #%d", i+1)
			c.problem(order, where, "SUB-1", "subscription #%d has no name; give every subscription a unique name", i+1)
			continue
		}
		if prev, dup := c.subByKey[fold(s.Name)]; dup {
			c.problem(order, where, "SUB-1", "%q is already the name of subscription #%d %q (names compare ignoring case); subscription names are unique in a tenant, rename one", s.Name, prev.order-secSubscription+1, prev.name)
			continue
		}
		if id := fold(s.AzureID); id != "" {
			if j, dup := azure[id]; dup {
				c.problem(order, where, "SUB-2", "Azure subscription %s also backs subscription %q; nothing is shared between subscriptions, give each its own Azure subscription", s.AzureID, subs[j].Name)
			} else {
				azure[id] = i
			}
		}
		o := &subObj{name: s.Name, azureID: s.AzureID, order: order}
		c.subs = append(c.subs, o)
		c.subByKey[fold(s.Name)] = o
	}
}

// readNetworks reads the customer's networks. Their names are unique so that
// connections can name them.
func (c *checker) readNetworks(nets []networkFile) {
	for i, n := range nets {
		order := secNetwork + i
		where := fmt.Sprintf("customer network %q", n.Name)
		if strings.TrimSpace(n.Name) == "" {
			where = fmt.Sprintf("customer network #%d", i+1)
			c.problem(order, where, "NET-4", "customer network #%d has no name; name it so that connections and overlap reports can refer to it", i+1)
		}
		if _, dup := c.netByKey[fold(n.Name)]; dup && n.Name != "" {
			c.problem(order, where, "NET-4", "another customer network is also named %q; give each network its own name", n.Name)
			continue
		}
		if len(n.Ranges) == 0 {
			c.problem(order, where, "NET-4", "no address ranges; list the network's ranges in CIDR notation, such as 10.0.0.0/16")
		}
		o := &netObj{name: n.Name}
		for _, r := range n.Ranges {
			p, err := ipam.ParsePrefix(r)
			if err != nil {
				c.problem(order, where, "NET-4", "range %q: %s", r, parseMsg(err))
				continue
			}
			o.ranges = append(o.ranges, p)
		}
		if n.Name != "" {
			c.nets = append(c.nets, o)
			c.netByKey[fold(n.Name)] = o
		}
	}
}

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

// checkCatalogs reads and validates every catalog, checks the rules between
// catalogs and the objects they name, and reserves what each needs in a
// ledger of the plan's limits.
func (c *checker) checkCatalogs(cats []catalogFile) *quota.Ledger {
	ledger, err := quota.NewLedger(c.limits)
	if err != nil { // readSettings keeps only valid limits
		ledger, _ = quota.NewLedger(quota.DefaultLimits())
	}
	seen := map[string]*catObj{}
	type home struct {
		name   string // as the first catalog spells it
		conn   *connObj
		region network.Region
		first  string
	}
	locations := map[string]home{}
	counted := map[string]bool{} // resource locations in the ledger
	for i, f := range cats {
		o := &catObj{idx: i, order: secCatalog + i}
		o.where = fmt.Sprintf("catalog %q", f.Name)
		if f.Name == "" {
			o.where = fmt.Sprintf("catalog #%d", i+1)
		}
		c.cats = append(c.cats, o)
		c.readCatalog(o, f)

		// Cross-object rules.
		l := &o.cross
		unique := true
		if f.Name != "" {
			if prev, dup := seen[fold(f.Name)]; dup {
				unique = false
				l.Add("CAT-5", "%q is already the name of catalog #%d %q (names compare ignoring case); catalog names are unique in a tenant, rename one", f.Name, prev.idx+1, prev.spec.Name)
			} else {
				seen[fold(f.Name)] = o
			}
		}
		facts := catalog.Connection{}
		var skip []string
		if f.Connection != "" {
			conn, ok := c.connBy[f.Connection]
			switch {
			case ok && conn.kindOK:
				o.conn = conn
				facts = catalog.Connection{Name: f.Connection, Kind: conn.kind, Region: conn.region, HasInternetRoute: conn.internet, Usable: true}
				if !conn.region.IsValid() {
					skip = append(skip, "REG-1") // reported on the connection
				}
				if o.sub != nil && conn.sub != nil && o.sub != conn.sub {
					l.Add("SUB-2", "connection %q belongs to subscription %q, the catalog to %q; nothing is shared between subscriptions, use a connection of %q", f.Connection, conn.sub.name, o.sub.name, o.sub.name)
				}
			default:
				if !ok {
					hint := "declare it under connections or fix the name"
					if near, found := c.connFold[fold(f.Connection)]; found {
						hint = fmt.Sprintf("did you mean %q?", near.name)
					}
					l.Add("NET-2", "connection %q is not in the plan; a catalog's connection must exist before the catalog, %s", f.Connection, hint)
				}
				// Validate the rest of the catalog as if its connection
				// were usable: the connection's problem is reported once.
				region := o.spec.Region
				if !region.IsValid() {
					region = network.Regions()[0]
				}
				facts = catalog.Connection{Name: f.Connection, Kind: network.KindVnetPeering, Region: region, HasInternetRoute: true, Usable: true}
				skip = []string{"NET-2", "REG-1", "REG-2"}
			}
		}
		warns, val := o.spec.Validate(facts)
		for _, w := range warns {
			c.warn(o.order, o.where, w.ID, w.Msg)
		}

		// Resource locations serve one connection and region (RL-1).
		region := o.spec.EffectiveRegion(facts)
		o.location = o.spec.ResourceLocation
		if o.location == "" {
			o.location = autoLocation(f.Connection, region)
		}
		if f.Connection != "" && o.conn == nil {
			// The connection is missing or unreadable: where the
			// catalog's machines go is not known.
		} else if h, ok := locations[fold(o.location)]; !ok {
			locations[fold(o.location)] = home{o.location, o.conn, region, o.where}
		} else if o.location = h.name; o.spec.ResourceLocation != "" && (h.conn != o.conn || h.region != region) {
			l.Add("RL-1", "resource location %q already serves %s in %s (%s), this catalog is on %s in %s; a resource location serves one connection and region, name another one",
				o.spec.ResourceLocation, connLabel(h.conn), h.region, h.first, connLabel(o.conn), region)
		}

		c.flush(o.order, o.where, &o.dec, &o.cross, val, append(skip, o.skip...)...)

		// Limits (LIM-*): reserve what the catalog needs.
		if n, err := o.spec.Persona.Machines(o.users); err == nil && o.spec.Persona.Validate() == nil {
			o.machines = n
			if o.conn != nil {
				o.conn.machines += n
				o.conn.joined = o.conn.joined || o.spec.Domain.Joined()
			}
		}
		if !unique || f.Name == "" || o.sub == nil || o.machines == 0 {
			continue
		}
		ch := quota.Change{Subscription: o.sub.name, Catalog: f.Name, ResourceLocation: o.location, Catalogs: 1, VDAs: o.machines}
		if !counted[o.location] {
			ch.ResourceLocations = 1
		}
		if o.spec.Domain.Joined() && o.spec.AD.Domain != "" {
			ch.Domain, ch.DomainRefs = strings.ToLower(o.spec.AD.Domain), 1
		}
		if o.spec.Persona.Session == quota.MultiSession {
			ch.MultiSessionUsers = o.users
		} else {
			ch.SingleSessionUsers = o.users
		}
		r, err := ledger.Reserve(ch)
		if err != nil {
			c.problems(o.order, o.where, "LIM-9", err, nil)
			continue
		}
		if err := r.Commit(); err != nil {
			c.problems(o.order, o.where, "LIM-9", err, nil)
			continue
		}
		o.counted = true
		counted[o.location] = true
	}
	return ledger
}

func connLabel(o *connObj) string {
	if o == nil {
		return "No connectivity"
	}
	return fmt.Sprintf("connection %q", o.name)
}

// autoLocation names the resource location a non-domain-joined catalog
// gets automatically (RL-1): one per connection, or per region with No
// connectivity.
func autoLocation(conn string, region network.Region) string {
	if conn != "" {
		return conn + " (automatic)"
	}
	return string(region) + " (automatic)"
}

// readCatalog reads a catalog into a catalog.Spec, reporting values it
// cannot read in o.dec.
func (c *checker) readCatalog(o *catObj, f catalogFile) {
	l := &o.dec
	s := catalog.Spec{Name: f.Name, Subscription: f.Subscription, Connection: f.Connection, Intune: f.Intune,
		NamingScheme: f.NamingScheme, ResourceLocation: f.ResourceLocation, GatewayFQDN: f.GatewayFQDN,
		VMSize: f.VMSize, BackupVMSize: f.BackupVMSize, SecureBoot: f.SecureBoot}
	if f.Subscription != "" {
		if sub, ok := c.subByKey[fold(f.Subscription)]; ok {
			o.sub = sub
			s.Subscription = sub.name
		} else {
			l.Add("SUB-2", "subscription %q is not declared; declare it under subscriptions or name one of the plan's", f.Subscription)
		}
	}

	// Persona and machine type (CAT-1).
	switch {
	case f.CustomPersona != nil:
		if f.Persona != "" {
			l.Add("CAT-1", "both persona %q and a custom persona are given; keep one", f.Persona)
		}
		cp := f.CustomPersona
		session, err := quota.ParseSessionType(cp.Session)
		if err != nil {
			l.Add("CAT-1", "custom persona %q: session %q is not a session type; want single-session or multi-session", cp.Name, cp.Session)
		}
		s.Persona = quota.Persona{Name: cp.Name, Session: session, VCPUs: cp.VCPUs, MemoryGiB: cp.MemoryGiB,
			UsersPerMachine: cp.UsersPerMachine, VMSize: cp.VMSize, Custom: true}
	default:
		if p, ok := quota.PersonaByName(f.Persona); ok {
			s.Persona = p
		} else {
			s.Persona = quota.Persona{Name: f.Persona} // validation names the built-in personas
		}
	}
	if mt, err := quota.ParseMachineType(f.MachineType); err != nil {
		l.Add("CAT-1", "machine type %q is not one; want static, random or multi-session", f.MachineType)
	} else {
		s.MachineType = mt
	}

	// Users (CAT-2): a list, or a count that stands for as many users.
	switch {
	case len(f.Users) > 0 && f.UserCount != 0:
		l.Add("CAT-2", "both users and userCount are given; list the users or give their number, not both")
		s.Users, o.users = f.Users, len(f.Users)
	case f.UserCount < 0 || f.UserCount > maxUserCount:
		l.Add("CAT-2", "userCount %s is out of range; want 1 to %s unique users", thousands(f.UserCount), thousands(maxUserCount))
	case f.UserCount > c.limits.SingleSessionUsersPerResourceLocation && f.UserCount > c.limits.MultiSessionUsersPerResourceLocation:
		// More users than a resource location serves: the ledger refuses
		// the catalog (LIM-7, LIM-8). One stand-in user lets the rest of
		// the catalog be validated; whether its scheme could name all the
		// machines (NAM-8) is moot.
		s.Users, o.users = standIns(1), f.UserCount
		o.skip = append(o.skip, "NAM-8")
	case f.UserCount > 0:
		s.Users, o.users = standIns(f.UserCount), f.UserCount
	default:
		s.Users, o.users = f.Users, len(f.Users)
	}

	// Naming (NAM-7): digits unless the plan says letters.
	if f.Wildcards != "" {
		k, err := naming.ParseWildcardKind(f.Wildcards)
		if err != nil {
			l.Add("NAM-7", "wildcards %q are neither Digits nor Letters; want one of them", f.Wildcards)
		}
		s.WildcardKind = k
	}

	s.Region = ""
	if f.Region != "" {
		s.Region = readRegion(f.Region)
	}

	// Domain (IDN-1, IDN-4).
	if d, err := image.ParseDomainType(f.Domain.Type); err != nil {
		l.Add("IDN-1", "domain type %q is not one; want non-domain-joined, Active Directory or Entra hybrid joined", f.Domain.Type)
		o.skip = append(o.skip, "IDN-3", "IDN-4") // they depend on the domain type
	} else {
		s.Domain = d
	}
	s.AD = image.ADConfig{Domain: f.Domain.FQDN, OU: f.Domain.OU, ServiceAccount: f.Domain.ServiceAccount, Password: f.Domain.Password.v}

	// Connectivity (CAT-3): Gateway service unless the plan says otherwise.
	s.Connectivity = catalog.GatewayService
	if f.Connectivity != "" {
		ct, err := catalog.ParseConnectivityType(f.Connectivity)
		if err != nil {
			l.Add("CAT-3", "connectivity %q is not a connectivity type; want Gateway service, NetScaler Gateway or Direct", f.Connectivity)
		}
		s.Connectivity = ct
	}

	// Image (IMG-8) and licenses (LIC-1).
	if f.Image != "" {
		img, ok := image.LookupPrepared(f.Image)
		if !ok {
			l.Add("IMG-8", "image %q is not a prepared image; a plan uses one of %s", f.Image, preparedNames())
		}
		s.Image = img
	}
	for _, t := range f.Licenses {
		lic, err := image.ParseLicense(t)
		if err != nil {
			l.Add("LIC-1", "license %q is not one; want one of %s", t, licenseNames())
			continue
		}
		s.Licenses = append(s.Licenses, lic)
	}

	// Schedule (CAT-4).
	s.Schedule.TimeZone = f.Schedule.TimeZone
	if a := f.Schedule.Autoscale; a != nil {
		s.Schedule.Autoscale = readAutoscale(l, a)
	}
	o.spec = s
}

// standIns returns n made-up unique users, standing in for a userCount.
func standIns(n int) []string {
	users := make([]string, n)
	for i := range users {
		users[i] = "planned-user-" + strconv.Itoa(i+1) + "@preflight.invalid"
	}
	return users
}

// readAutoscale reads custom autoscale settings (CAT-4).
func readAutoscale(l *rule.List, a *autoscaleFile) catalog.Autoscale {
	out := catalog.Autoscale{Custom: true}
	for _, d := range a.PeakDays {
		wd, ok := weekday(d)
		if !ok {
			l.Add("CAT-4", "peak day %q is not a day of the week; want Mon … Sun or Monday … Sunday", d)
			continue
		}
		out.PeakDays |= catalog.WeekdaysOf(wd)
	}
	tod := func(what, text string) catalog.TimeOfDay {
		t, err := catalog.ParseTimeOfDay(text)
		if err != nil {
			l.Add("CAT-4", "%s %q is not a time of day; want HH:MM on a 24-hour clock, such as 08:00", what, text)
		}
		return t
	}
	out.PeakStart = tod("peak start", a.PeakStart)
	out.PeakEnd = tod("peak end", a.PeakEnd)
	dur := func(what, text string) time.Duration {
		d, err := time.ParseDuration(text)
		if err != nil {
			l.Add("CAT-4", "%s %q is not a duration; want whole minutes such as 15m or 1h30m", what, text)
		}
		return d
	}
	out.DisconnectTimeout = dur("disconnect timeout", a.DisconnectTimeout)
	out.PowerOffDelay = dur("power-off delay", a.PowerOffDelay)
	switch strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(a.OffPolicy, " ", ""), "-", "")) {
	case "shutdown":
		out.OffPolicy = catalog.ShutDown
	case "hibernate":
		out.OffPolicy = catalog.Hibernate
	default:
		l.Add("CAT-4", "power-off policy %q is not one; want \"shut down\" or \"hibernate\"", a.OffPolicy)
	}
	return out
}

func weekday(s string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(s, d.String()) || strings.EqualFold(s, d.String()[:3]) {
			return d, true
		}
	}
	return 0, false
}

func preparedNames() string {
	var names []string
	for _, img := range image.Prepared() {
		names = append(names, strconv.Quote(img.Name))
	}
	return strings.Join(names, ", ")
}

func licenseNames() string {
	var names []string
	for _, l := range image.QualifyingLicenses() {
		names = append(names, l.String())
	}
	return strings.Join(names, ", ")
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

// defaultScheme returns the scheme a catalog without one gets (NAM-9): its
// resource-location prefix from the location's (or region's) letters and
// digits, and the two random characters drawn from a generator seeded with
// the catalog's name, so the plan is the same on every run. The service
// draws its own at creation.
func defaultScheme(catalogName, location string) (naming.Scheme, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(location) {
		if b.Len() == naming.LocationPrefixLen {
			break
		}
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	for b.Len() < naming.LocationPrefixLen {
		b.WriteByte('X')
	}
	return naming.Default(b.String(), rand.NewChaCha8(sha256.Sum256([]byte(catalogName))))
}

// thousands writes n with comma thousands separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

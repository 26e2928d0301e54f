package network

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/rule"
)

// NextHopType is where a route sends traffic. Its values are exactly
// armnetwork's RouteNextHopType values, so the azure provider maps them one
// to one; DisplayName gives the words of the Flex console (NET-6). The zero
// value is not valid.
type NextHopType string

// Next hop types of custom routes (NET-6).
const (
	NextHopVirtualNetworkGateway NextHopType = "VirtualNetworkGateway" // Virtual network gateway
	NextHopVnetLocal             NextHopType = "VnetLocal"             // Virtual network
	NextHopInternet              NextHopType = "Internet"              // Internet
	NextHopVirtualAppliance      NextHopType = "VirtualAppliance"      // Virtual appliance
	NextHopNone                  NextHopType = "None"                  // None: traffic is dropped
)

// NextHopVNetPeering is the next hop of Azure's system routes to a peered
// VNet. It appears in effective routes only; a custom route cannot use it.
const NextHopVNetPeering NextHopType = "VNetPeering"

type hopInfo struct {
	t       NextHopType
	display string
}

func hopTable() [6]hopInfo {
	return [6]hopInfo{
		{NextHopVirtualNetworkGateway, "Virtual network gateway"},
		{NextHopVnetLocal, "Virtual network"},
		{NextHopInternet, "Internet"},
		{NextHopVirtualAppliance, "Virtual appliance"},
		{NextHopNone, "None"},
		{NextHopVNetPeering, "VNet peering"},
	}
}

// NextHopTypes returns the next hop types a custom route may use (NET-6),
// in the order of the documentation.
func NextHopTypes() []NextHopType {
	return []NextHopType{NextHopVirtualNetworkGateway, NextHopVnetLocal, NextHopInternet, NextHopVirtualAppliance, NextHopNone}
}

// ParseNextHopType returns the next hop type named s, by its armnetwork
// value ("VirtualAppliance") or its display name ("Virtual appliance"),
// ignoring case and surrounding spaces. VNetPeering, which custom routes
// cannot use, is refused.
func ParseNextHopType(s string) (NextHopType, error) {
	t := strings.TrimSpace(s)
	table := hopTable()
	for _, h := range table[:5] {
		if strings.EqualFold(t, string(h.t)) || strings.EqualFold(t, h.display) {
			return h.t, nil
		}
	}
	return "", fmt.Errorf("network: next hop type %q: want VirtualNetworkGateway, VnetLocal, Internet, VirtualAppliance or None", s)
}

// IsValid reports whether t is a next hop type a custom route may use.
func (t NextHopType) IsValid() bool {
	for _, h := range NextHopTypes() {
		if t == h {
			return true
		}
	}
	return false
}

// String returns the armnetwork value, such as "VirtualAppliance".
func (t NextHopType) String() string { return string(t) }

// DisplayName returns the console's name of the type, such as "Virtual
// appliance", or the value itself when t is unknown.
func (t NextHopType) DisplayName() string {
	for _, h := range hopTable() {
		if h.t == t {
			return h.display
		}
	}
	return string(t)
}

// Route is a custom (user-defined) route of a connection (NET-6), or one
// of Azure's system routes. A route from ParseRoute is enabled unless the
// text says otherwise; the zero Route is disabled and invalid.
type Route struct {
	Name        string       // friendly name, unique per connection (ignoring case)
	Destination netip.Prefix // a /16 to /24, or 0.0.0.0/0
	NextHop     NextHopType  // where the traffic goes
	NextHopIP   netip.Addr   // the appliance's internal address; only for VirtualAppliance (AZ-3)
	Enabled     bool         // disabled routes are kept but ignored
}

// String returns the route's text form, which ParseRoute reads back:
// "name,destination,next-hop[,next-hop-ip][,disabled]", such as
// "fw,0.0.0.0/0,VirtualAppliance,10.0.0.4".
func (r Route) String() string {
	var b strings.Builder
	b.WriteString(r.Name)
	b.WriteByte(',')
	if r.Destination.IsValid() {
		b.WriteString(r.Destination.String())
	}
	b.WriteByte(',')
	b.WriteString(string(r.NextHop))
	if r.NextHopIP.IsValid() {
		b.WriteByte(',')
		b.WriteString(r.NextHopIP.String())
	}
	if !r.Enabled {
		b.WriteString(",disabled")
	}
	return b.String()
}

// ParseRoute reads a route in its text form: comma-separated fields,
// spaces around them ignored,
//
//	name,destination,next-hop[,next-hop-ip][,enabled|disabled]
//
// where destination is CIDR notation (strictly, as ipam.ParsePrefix),
// next-hop is an armnetwork value or a display name (ParseNextHopType),
// next-hop-ip is an address or empty, and the route is enabled unless the
// last field says "disabled". Examples:
//
//	to-firewall,0.0.0.0/0,VirtualAppliance,10.0.0.4
//	on-prem,10.20.0.0/16,Virtual network gateway
//	blackhole,10.30.0.0/16,None,,disabled
//
// ParseRoute checks the syntax only; Route.Validate checks the rules.
func ParseRoute(s string) (Route, error) {
	fields := strings.Split(s, ",")
	if len(fields) < 3 || len(fields) > 5 {
		return Route{}, fmt.Errorf("network: route %q: %d fields; want name,destination,next-hop[,next-hop-ip][,enabled|disabled]", s, len(fields))
	}
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	r := Route{Name: fields[0], Enabled: true}
	var err error
	if r.Destination, err = ipam.ParsePrefix(fields[1]); err != nil {
		return Route{}, fmt.Errorf("network: route %q: destination: %w", s, err)
	}
	if r.NextHop, err = ParseNextHopType(fields[2]); err != nil {
		return Route{}, fmt.Errorf("network: route %q: %w", s, err)
	}
	rest := fields[3:]
	if n := len(rest); n > 0 {
		switch strings.ToLower(rest[n-1]) {
		case "enabled":
			rest = rest[:n-1]
		case "disabled":
			r.Enabled = false
			rest = rest[:n-1]
		default:
			if n == 2 {
				return Route{}, fmt.Errorf("network: route %q: last field %q: want enabled or disabled", s, rest[n-1])
			}
		}
	}
	if len(rest) == 1 && rest[0] != "" {
		a, err := netip.ParseAddr(rest[0])
		if err != nil || a.Zone() != "" || a.Is4In6() {
			return Route{}, fmt.Errorf("network: route %q: next hop IP %q is not an IPv4 address such as 10.0.0.4", s, rest[0])
		}
		r.NextHopIP = a
	}
	return r, nil
}

// MustParseRoute is ParseRoute for tests, examples and constants; it
// panics on error.
func MustParseRoute(s string) Route {
	r, err := ParseRoute(s)
	if err != nil {
		panic(err)
	}
	return r
}

// MaxRoutes is the most routes a route table holds (AZ-3).
const MaxRoutes = 400

// Validate reports every problem of the route at once (NET-6, AZ-3): a
// friendly name of 1–80 letters, digits, '_', '.' and '-'; an IPv4
// destination with a prefix length of 16 to 24, or 0.0.0.0/0 (Decision,
// for the vWAN internet route); a next hop type of NextHopTypes; and a
// next-hop IP for VirtualAppliance only, which must be internal: inside an
// RFC 1918 range or one of the connected networks.
func (r Route) Validate(connected []netip.Prefix) error {
	var l rule.List
	r.validate(&l, connected)
	return l.Err()
}

func (r Route) validate(l *rule.List, connected []netip.Prefix) {
	if p := azureNameProblem(r.Name); p != "" {
		l.Add("NET-6", "route name %q %s", r.Name, p)
	}
	d := r.Destination
	switch {
	case canonicalProblem(d) != "":
		l.Add("NET-6", "route %q: destination %s %s", r.Name, d, canonicalProblem(d))
	case d.Bits() == 0:
		// Decision: 0.0.0.0/0 is accepted (vWAN needs it for the internet).
	case d.Bits() < ipam.MinRouteBits || d.Bits() > ipam.MaxRouteBits:
		l.Add("NET-6", "route %q: destination %s has prefix length %d; want %d to %d, or 0.0.0.0/0",
			r.Name, d, d.Bits(), ipam.MinRouteBits, ipam.MaxRouteBits)
	}
	if !r.NextHop.IsValid() {
		l.Add("NET-6", "route %q: next hop type %q: want Virtual network gateway, Virtual network, Internet, Virtual appliance or None", r.Name, r.NextHop)
	}
	ip := r.NextHopIP
	switch {
	case r.NextHop == NextHopVirtualAppliance && !ip.IsValid():
		l.Add("NET-6", "route %q: a Virtual appliance needs the appliance's internal IP address", r.Name)
	case r.NextHop == NextHopVirtualAppliance && !ip.Is4():
		l.Add("NET-6", "route %q: next hop IP %s is not IPv4", r.Name, ip)
	case r.NextHop == NextHopVirtualAppliance && !ipam.IsRFC1918(netip.PrefixFrom(ip, 32)) && !containsAddr(connected, ip):
		l.Add("NET-6", "route %q: next hop IP %s is not internal; want an address in 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or a connected network %v", r.Name, ip, connected)
	case r.NextHop != NextHopVirtualAppliance && ip.IsValid():
		l.Add("AZ-3", "route %q: next hop type %s takes no next hop IP (got %s); only Virtual appliance does", r.Name, r.NextHop.DisplayName(), ip)
	}
}

// ValidateRoutes reports every problem of a connection's custom routes at
// once: each route's own (Route.Validate), names used twice (ignoring
// case, NET-6), and more than 400 routes (AZ-3).
func ValidateRoutes(routes []Route, connected []netip.Prefix) error {
	var l rule.List
	validateRoutes(&l, routes, connected)
	return l.Err()
}

func validateRoutes(l *rule.List, routes []Route, connected []netip.Prefix) {
	if len(routes) > MaxRoutes {
		l.Add("AZ-3", "%d routes; a route table holds at most %d", len(routes), MaxRoutes)
	}
	seen := make(map[string]bool, len(routes))
	for _, r := range routes {
		r.validate(l, connected)
		key := strings.ToLower(r.Name)
		if seen[key] {
			l.Add("NET-6", "route name %q is used more than once; route names are unique per connection", r.Name)
		}
		seen[key] = true
	}
}

// DisruptionAck is the administrator's acknowledgement that deleting a
// route may disrupt active sessions (NET-6). Only SessionsMayBeDisrupted
// lets a delete go ahead.
type DisruptionAck bool

// SessionsMayBeDisrupted acknowledges that deleting a route may disrupt
// active sessions.
const SessionsMayBeDisrupted DisruptionAck = true

// RouteTable is a connection's custom routes in entry order (NET-6): the
// order the administrator added them, which the console shows and which
// does not affect how Azure selects routes. Names are unique ignoring
// case. The zero value is an empty table whose virtual appliances must sit
// in RFC 1918 space; NewRouteTable also allows the connected networks. A
// RouteTable is not safe for concurrent use.
type RouteTable struct {
	connected []netip.Prefix
	routes    []Route
}

// NewRouteTable returns a table holding routes, in order, whose virtual
// appliances may also sit in the connected networks. It reports every
// problem of the routes at once (ValidateRoutes) and returns no table then.
func NewRouteTable(connected []netip.Prefix, routes ...Route) (*RouteTable, error) {
	if err := ValidateRoutes(routes, connected); err != nil {
		return nil, err
	}
	return &RouteTable{connected: append([]netip.Prefix(nil), connected...), routes: append([]Route(nil), routes...)}, nil
}

// Routes returns a copy of the routes in entry order.
func (t *RouteTable) Routes() []Route { return append([]Route(nil), t.routes...) }

// Len returns the number of routes.
func (t *RouteTable) Len() int { return len(t.routes) }

// Get returns the route named name (ignoring case) and whether there is
// one.
func (t *RouteTable) Get(name string) (Route, bool) {
	if i := t.index(name); i >= 0 {
		return t.routes[i], true
	}
	return Route{}, false
}

func (t *RouteTable) index(name string) int {
	for i, r := range t.routes {
		if strings.EqualFold(r.Name, name) {
			return i
		}
	}
	return -1
}

func notFound(name string) error {
	return ruleErr("NET-6", fmt.Sprintf("no route named %q; want the name of an existing route", name))
}

// Add appends r after the existing routes. It reports every problem at
// once: r's own (Route.Validate), a name already used (NET-6) and a full
// table (AZ-3, 400 routes); the table is unchanged then. To add a route
// disabled, add it with Enabled false.
func (t *RouteTable) Add(r Route) error {
	var l rule.List
	r.validate(&l, t.connected)
	if t.index(r.Name) >= 0 {
		l.Add("NET-6", "route name %q is already used; route names are unique per connection", r.Name)
	}
	if len(t.routes) >= MaxRoutes {
		l.Add("AZ-3", "the route table already holds %d routes, the most Azure allows", MaxRoutes)
	}
	if err := l.Err(); err != nil {
		return err
	}
	t.routes = append(t.routes, r)
	return nil
}

// Edit replaces the route named name with r in the same position: its
// destination, next hop, enabled state and, if no other route has it, its
// name. The table is unchanged when r is invalid.
func (t *RouteTable) Edit(name string, r Route) error {
	i := t.index(name)
	if i < 0 {
		return notFound(name)
	}
	var l rule.List
	r.validate(&l, t.connected)
	if j := t.index(r.Name); j >= 0 && j != i {
		l.Add("NET-6", "route name %q is already used by another route; route names are unique per connection", r.Name)
	}
	if err := l.Err(); err != nil {
		return err
	}
	t.routes[i] = r
	return nil
}

// Enable enables the route named name.
func (t *RouteTable) Enable(name string) error { return t.setEnabled(name, true) }

// Disable disables the route named name: it stays in the table, in its
// place, and lookups ignore it.
func (t *RouteTable) Disable(name string) error { return t.setEnabled(name, false) }

func (t *RouteTable) setEnabled(name string, on bool) error {
	i := t.index(name)
	if i < 0 {
		return notFound(name)
	}
	t.routes[i].Enabled = on
	return nil
}

// Delete removes the route named name. It needs ack to be
// SessionsMayBeDisrupted: deleting a route may disrupt active sessions
// (NET-6).
func (t *RouteTable) Delete(name string, ack DisruptionAck) error {
	i := t.index(name)
	var l rule.List
	if i < 0 {
		l.Append(notFound(name))
	}
	if ack != SessionsMayBeDisrupted {
		l.Add("NET-6", "deleting route %q may disrupt active sessions; acknowledge with SessionsMayBeDisrupted", name)
	}
	if err := l.Err(); err != nil {
		return err
	}
	t.routes = append(t.routes[:i], t.routes[i+1:]...)
	return nil
}

// Lookup returns the route Azure would pick for traffic to dst given the
// system routes (see SystemRoutes) and this table's routes as user routes.
func (t *RouteTable) Lookup(dst netip.Addr, system []Route) (EffectiveRoute, bool) {
	return Routing{System: system, User: t.routes}.Lookup(dst)
}

// RouteOrigin is where a route comes from, which decides between routes
// with the same prefix (AZ-3): a user route beats a BGP route beats a
// system route. Its String is Azure's effective-route source. The zero
// value is not valid.
type RouteOrigin uint8

// Route origins, weakest first.
const (
	OriginSystem RouteOrigin = iota + 1 // Azure's default routes ("Default")
	OriginBGP                           // learned through a gateway ("VirtualNetworkGateway")
	OriginUser                          // custom routes ("User")
)

// String returns "Default", "VirtualNetworkGateway" or "User".
func (o RouteOrigin) String() string {
	switch o {
	case OriginSystem:
		return "Default"
	case OriginBGP:
		return "VirtualNetworkGateway"
	case OriginUser:
		return "User"
	}
	return fmt.Sprintf("RouteOrigin(%d)", uint8(o))
}

// EffectiveRoute is the route Azure picks for a destination and where it
// comes from.
type EffectiveRoute struct {
	Route  Route
	Origin RouteOrigin
}

// String returns "10.1.2.3/32 via VirtualAppliance 10.0.0.4 (User route
// fw)".
func (e EffectiveRoute) String() string {
	hop := string(e.Route.NextHop)
	if e.Route.NextHopIP.IsValid() {
		hop += " " + e.Route.NextHopIP.String()
	}
	return fmt.Sprintf("%s via %s (%s route %s)", e.Route.Destination, hop, e.Origin, e.Route.Name)
}

// Drops reports whether the route drops the traffic (next hop None).
func (e EffectiveRoute) Drops() bool { return e.Route.NextHop == NextHopNone }

// Routing is every route that decides where a VNet's traffic goes: Azure's
// system routes, routes learned through a gateway (BGP, or a VPN's allowed
// networks and a vWAN hub, next hop VirtualNetworkGateway) and the custom
// routes.
type Routing struct {
	System []Route
	BGP    []Route
	User   []Route
}

// Lookup returns the route Azure selects for traffic to dst (AZ-3): among
// the enabled routes whose destination contains dst, the longest prefix;
// between equal prefixes a user route over a BGP route over a system route;
// between equal prefixes of one origin the first listed. ok is false when
// no route contains dst.
func (r Routing) Lookup(dst netip.Addr) (e EffectiveRoute, ok bool) {
	bestBits := -1
	consider := func(routes []Route, o RouteOrigin) {
		for _, rt := range routes {
			b := rt.Destination.Bits()
			if !rt.Enabled || b < bestBits || !rt.Destination.Contains(dst) {
				continue
			}
			if b > bestBits || o > e.Origin {
				e, bestBits = EffectiveRoute{Route: rt, Origin: o}, b
			}
		}
	}
	consider(r.System, OriginSystem)
	consider(r.BGP, OriginBGP)
	consider(r.User, OriginUser)
	return e, bestBits >= 0
}

// SystemRoutes returns Azure's default system routes of a VNet whose
// address space is vnet, peered with VNets whose address spaces are peered:
// each VNet range to Virtual network (VnetLocal), each peered range to
// VNetPeering, 0.0.0.0/0 to the Internet, and the private and shared ranges
// (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10) to None, so
// private traffic no route claims is dropped. All are enabled.
func SystemRoutes(vnet, peered []netip.Prefix) []Route {
	rs := make([]Route, 0, len(vnet)+len(peered)+5)
	for _, p := range vnet {
		rs = append(rs, Route{Name: "VnetLocal", Destination: p, NextHop: NextHopVnetLocal, Enabled: true})
	}
	for _, p := range peered {
		rs = append(rs, Route{Name: "VNetPeering", Destination: p, NextHop: NextHopVNetPeering, Enabled: true})
	}
	v4 := func(a, b byte, bits int) netip.Prefix {
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{a, b, 0, 0}), bits)
	}
	return append(rs,
		Route{Name: "Internet", Destination: v4(0, 0, 0), NextHop: NextHopInternet, Enabled: true},
		Route{Name: "Private10", Destination: v4(10, 0, 8), NextHop: NextHopNone, Enabled: true},
		Route{Name: "Private172", Destination: v4(172, 16, 12), NextHop: NextHopNone, Enabled: true},
		Route{Name: "Private192", Destination: v4(192, 168, 16), NextHop: NextHopNone, Enabled: true},
		Route{Name: "SharedAddressSpace", Destination: v4(100, 64, 10), NextHop: NextHopNone, Enabled: true},
	)
}

// GatewayRoutes returns routes to networks reached through the VNet's
// gateway (a VPN's allowed networks, networks a vWAN hub advertises), for
// Routing.BGP: next hop Virtual network gateway, enabled.
func GatewayRoutes(networks []netip.Prefix) []Route {
	rs := make([]Route, len(networks))
	for i, p := range networks {
		rs[i] = Route{Name: "Gateway", Destination: p, NextHop: NextHopVirtualNetworkGateway, Enabled: true}
	}
	return rs
}

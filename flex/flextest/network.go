package flextest

import (
	"fmt"
	"net/netip"
	"strings"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

// connNameChars are the characters of a connection name (API-7).
var connNameChars = []rune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.()")

// ConnectionName returns a generator of names that network.ValidateName
// accepts for a connection of kind k (API-7): 1 to k.MaxNameLen()
// characters (54 for an Azure VPN gateway, 64 for the others) of letters,
// digits, '-', '_', '.', '(' and ')'.
//
// It panics when k is not one of network.Kinds.
func ConnectionName(k network.Kind) *rapid.Generator[string] {
	if !k.IsValid() {
		panic(fmt.Sprintf("flextest.ConnectionName: kind %q; want one of %v", k, network.Kinds()))
	}
	return rapid.StringOfN(rapid.RuneFrom(connNameChars), 1, k.MaxNameLen(), -1)
}

// Region returns a generator of the regions Flex supports (REG-1): every
// value is one of network.Regions, so IsValid reports true.
func Region() *rapid.Generator[network.Region] {
	return rapid.SampledFrom(network.Regions())
}

// pskChars are the characters of a pre-shared key: printable ASCII other
// than space, '-' and '~' (AZ-5).
var pskChars = func() []rune {
	var rs []rune
	for c := '!'; c < '~'; c++ {
		if c != '-' {
			rs = append(rs, c)
		}
	}
	return rs
}()

// PreSharedKey returns a generator of VPN pre-shared keys that
// network.ValidatePSK accepts (AZ-5): 1 to 128 printable ASCII characters
// other than space, '-' and '~', held as a secret.Value (SEC-1).
func PreSharedKey() *rapid.Generator[secret.Value] {
	return rapid.Map(rapid.StringOfN(rapid.RuneFrom(pskChars), 1, network.MaxPSKLen, -1), secret.New)
}

// routeNameChars are the characters of a route name after the first; the
// first and the last are word characters (letters, digits, '_').
var (
	wordChars      = []rune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
	routeNameChars = []rune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
)

// drawRouteName draws a route name: 1 to 80 letters, digits, '_', '.' and
// '-', starting and ending with a letter, digit or '_' (NET-6).
func drawRouteName(t *rapid.T) string {
	first := rapid.SampledFrom(wordChars).Draw(t, "nameFirst")
	n := rapid.IntRange(0, 79).Draw(t, "nameLen")
	if n == 0 {
		return string(first)
	}
	mid := rapid.SliceOfN(rapid.SampledFrom(routeNameChars), n-1, n-1).Draw(t, "name")
	last := rapid.SampledFrom(wordChars).Draw(t, "nameLast")
	return string(first) + string(mid) + string(last)
}

// addrIn draws an address of p, an IPv4 prefix.
func addrIn(t *rapid.T, label string, p netip.Prefix) netip.Addr {
	return drawIn(t, label, p.Masked(), 32).Addr()
}

// Route returns a generator of custom routes that Route.Validate(connected)
// accepts (NET-6, AZ-3): a name of 1 to 80 letters, digits, '_', '.' and
// '-' starting and ending with a letter, digit or '_'; a canonical IPv4
// destination of /16 to /24 (mostly in or around a connected network or RFC
// 1918 space), or now and then 0.0.0.0/0; any next hop type of
// network.NextHopTypes; a next-hop IP for Virtual appliance only, inside an
// RFC 1918 range or one of the IPv4 connected networks; enabled or not.
func Route(connected []netip.Prefix) *rapid.Generator[network.Route] {
	var conn4 []netip.Prefix
	for _, p := range connected {
		if p.IsValid() && p.Addr().Is4() {
			conn4 = append(conn4, p.Masked())
		}
	}
	return rapid.Custom(func(t *rapid.T) network.Route {
		r := network.Route{
			Name:    drawRouteName(t),
			NextHop: rapid.SampledFrom(network.NextHopTypes()).Draw(t, "nextHop"),
			Enabled: rapid.IntRange(0, 3).Draw(t, "disabled") != 0,
		}
		if rapid.IntRange(0, 5).Draw(t, "default") == 0 {
			r.Destination = netip.PrefixFrom(netip.IPv4Unspecified(), 0)
		} else {
			// Mostly towards a connected or private network, where routes
			// matter; now and then anywhere.
			pools := append(append([]netip.Prefix{netip.PrefixFrom(netip.IPv4Unspecified(), 0)}, rfc1918[:]...), conn4...)
			pool := rapid.SampledFrom(pools).Draw(t, "destinationPool")
			if pool.Bits() > ipam.MaxRouteBits {
				pool = netip.PrefixFrom(pool.Addr(), ipam.MaxRouteBits).Masked()
			}
			r.Destination = PrefixIn(pool, ipam.MinRouteBits, ipam.MaxRouteBits).Draw(t, "destination")
		}
		if r.NextHop == network.NextHopVirtualAppliance {
			pools := append(append([]netip.Prefix(nil), rfc1918[:]...), conn4...)
			r.NextHopIP = addrIn(t, "nextHopIP", rapid.SampledFrom(pools).Draw(t, "appliancePool"))
		}
		return r
	})
}

// Routes returns a generator of a connection's custom routes that
// network.ValidateRoutes(routes, connected) and network.NewRouteTable
// accept: from 0 to maxRoutes routes of Route(connected) whose names are
// unique, ignoring case.
//
// It panics unless 0 ≤ maxRoutes ≤ network.MaxRoutes (400, AZ-3).
func Routes(connected []netip.Prefix, maxRoutes int) *rapid.Generator[[]network.Route] {
	if maxRoutes < 0 || maxRoutes > network.MaxRoutes {
		panic(fmt.Sprintf("flextest.Routes: maxRoutes %d; want 0 to %d", maxRoutes, network.MaxRoutes))
	}
	return rapid.SliceOfNDistinct(Route(connected), 0, maxRoutes, func(r network.Route) string { return strings.ToLower(r.Name) })
}

// sourcePools are ranges RDP sources come from in a firewall policy besides
// the connected networks: a block of shared address space and one of public
// space, which never meet a VNet drawn from RFC 1918 space, and are small
// so that the sources of different hosts often meet each other.
var sourcePools = []netip.Prefix{
	netip.PrefixFrom(netip.AddrFrom4([4]byte{100, 64, 0, 0}), 16),
	netip.PrefixFrom(netip.AddrFrom4([4]byte{20, 0, 0, 0}), 16),
}

// FirewallPolicy returns a generator of firewall policies of managed VNets,
// domain-joined (FW-2) or not (FW-1), that FirewallPolicy.Validate accepts:
//
//   - one or two VNet ranges and up to three connected networks, canonical
//     RFC 1918 prefixes of /16 to /24 that never overlap (NET-4, AZ-1);
//   - up to three image builders and, when domain-joined, at most one
//     bastion (TRB-1, TRB-2), each at its own address in the VNet with an
//     RDP source range of /16 or longer outside the VNet (FW-4), taken from
//     a connected network, 100.64.0.0/16 or 20.0.0.0/16, so that sources
//     often meet each other;
//   - when domain-joined, now and then RDP access from a /27 or longer range
//     outside the VNet (FW-5, TRB-3).
//
// network.SecurityRules of every policy it draws passes
// network.ValidateRules.
func FirewallPolicy(domainJoined bool) *rapid.Generator[network.FirewallPolicy] {
	return rapid.Custom(func(t *rapid.T) network.FirewallPolicy {
		nV := rapid.IntRange(1, 2).Draw(t, "vnetRanges")
		nC := rapid.IntRange(0, 3).Draw(t, "connected")
		ps := disjoint(t, rfc1918[:], nV+nC, 16, 24)
		p := network.FirewallPolicy{DomainJoined: domainJoined, VNet: ps[:nV]}
		if nC > 0 {
			p.Connected = ps[nV:]
		}
		pools := append(append([]netip.Prefix(nil), p.Connected...), sourcePools...)
		source := func(label string, minBits int) netip.Prefix {
			pool := rapid.SampledFrom(pools).Draw(t, label+"Pool")
			return PrefixIn(pool, minBits, 32).Draw(t, label)
		}
		seen := map[netip.Addr]bool{}
		bastion := false
		for range rapid.IntRange(0, 3).Draw(t, "hosts") {
			a := addrIn(t, "hostAddress", rapid.SampledFrom(p.VNet).Draw(t, "hostRange"))
			if seen[a] {
				continue
			}
			seen[a] = true
			kind := network.ImageBuilder
			if domainJoined && !bastion && rapid.Bool().Draw(t, "bastion") {
				kind, bastion = network.Bastion, true
			}
			p.Hosts = append(p.Hosts, network.RDPHost{Kind: kind, Address: a, Source: source("hostSource", 16)})
		}
		if domainJoined && rapid.Bool().Draw(t, "rdpAccess") {
			p.RDPAccess = source("rdpSource", ipam.MinRDPSourceBits)
		}
		return p
	})
}

// taken is the address space a spec's ranges must avoid while it is drawn:
// the used space and the spec's own ranges so far.
type taken struct {
	s *ipam.Space
}

// newTaken returns a copy of used (nil means empty) with ranges added.
func newTaken(t *rapid.T, used *ipam.Space, ranges ...netip.Prefix) *taken {
	s := new(ipam.Space)
	if used != nil {
		s = used.Clone()
	}
	tk := &taken{s: s}
	for _, p := range ranges {
		tk.add(t, p)
	}
	return tk
}

func (tk *taken) free(p netip.Prefix) bool { return tk.s.Overlapping(p) == nil }

func (tk *taken) add(t *rapid.T, p netip.Prefix) {
	if err := tk.s.Add("flextest", p); err != nil {
		t.Fatalf("flextest: %v", err) // a range drawn free overlaps: a bug here
	}
}

// draw returns a canonical prefix of bits bits inside one of pools that
// overlaps nothing taken, and takes it: a random one when it is free, else
// the lowest free one, trying every pool and then longer prefixes up to
// maxBits. With no room left anywhere the test fails.
func (tk *taken) draw(t *rapid.T, label string, pools []netip.Prefix, bits, maxBits int) netip.Prefix {
	i := rapid.IntRange(0, len(pools)-1).Draw(t, label+"Pool")
	if p := drawIn(t, label, pools[i], max(bits, pools[i].Bits())); tk.free(p) {
		tk.add(t, p)
		return p
	}
	for b := bits; b <= maxBits; b++ {
		for k := range pools {
			pool := pools[(i+k)%len(pools)]
			if pool.Bits() > b {
				continue
			}
			if p, err := tk.s.Allocate("flextest", pool, b); err == nil {
				return p
			}
		}
	}
	t.Fatalf("flextest: no free /%d to /%d left in %v outside the used address space", bits, maxBits, pools)
	return netip.Prefix{}
}

// customerPools are where customer networks are drawn from.
var customerPools = append(rfc1918[:len(rfc1918):len(rfc1918)], netip.PrefixFrom(netip.AddrFrom4([4]byte{100, 64, 0, 0}), 10))

// customer draws n customer networks (a peered VNet's address space, a
// VPN's allowed networks, a hub's connected networks) of minBits to
// maxBits: now and then an entry of used, else a fresh range; each
// overlaps nothing taken, the spec's Flex ranges and the networks drawn
// before it included, and is taken.
func customer(t *rapid.T, label string, used *ipam.Space, tk *taken, n, minBits, maxBits int) []netip.Prefix {
	var entries []ipam.Entry
	if used != nil {
		entries = used.Entries()
	}
	var out []netip.Prefix
	for range n {
		if len(entries) > 0 && rapid.IntRange(0, 2).Draw(t, label+"FromUsed") == 0 {
			e := rapid.SampledFrom(entries).Draw(t, label+"Used")
			if e.Prefix.Addr().Is4() && !containsPrefix(out, e.Prefix) && tk.onlyUsed(e.Prefix) {
				out = append(out, e.Prefix)
				continue
			}
		}
		bits := rapid.IntRange(minBits, maxBits).Draw(t, label+"Bits")
		out = append(out, tk.draw(t, label, customerPools, bits, maxBits))
	}
	return out
}

// onlyUsed reports whether the only taken range p overlaps is the used
// entry p itself, so that p, a used network, may be a customer network.
func (tk *taken) onlyUsed(p netip.Prefix) bool {
	o := tk.s.Overlapping(p)
	return len(o) == 1 && o[0].Prefix == p
}

func containsPrefix(ps []netip.Prefix, p netip.Prefix) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// drawDNS draws one to three distinct DNS servers that a connection of
// kind k accepts (NET-3): private unicast addresses, and for a Virtual WAN
// spoke now and then the Azure-provided DNS.
func drawDNS(t *rapid.T, k network.Kind) []netip.Addr {
	server := rapid.Custom(func(t *rapid.T) netip.Addr {
		if k.AllowsAzureDNS() && rapid.IntRange(0, 3).Draw(t, "azureDNS") == 0 {
			return network.AzureHostIP()
		}
		pool := rapid.SampledFrom(rfc1918[:]).Draw(t, "dnsPool")
		a := u32(addrIn(t, "dns", pool))
		return addr4(a&^0xff | uint32(rapid.IntRange(1, 254).Draw(t, "dnsHost")))
	})
	return rapid.SliceOfNDistinct(server, 1, 3, rapid.ID[netip.Addr]).Draw(t, "dns")
}

// drawGUID draws a GUID such as 8f2c1a3e-1b2c-4d5e-8f90-123456789abc.
func drawGUID(t *rapid.T, label string) string {
	b := rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, label)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// drawResourceID draws the resource ID of a customer resource of type typ.
func drawResourceID(t *rapid.T, label, typ string) network.ResourceID {
	return network.ResourceID{
		Subscription:  drawGUID(t, label+"Subscription"),
		ResourceGroup: "rg-" + rapid.StringOfN(rapid.RuneFrom([]rune("abcdefghijklmnopqrstuvwxyz0123456789-")), 1, 20, -1).Draw(t, label+"Group"),
		Type:          typ,
		Name:          rapid.StringOfN(rapid.RuneFrom(connNameChars), 1, 40, -1).Draw(t, label+"Name"),
	}
}

// drawNAT draws a NAT gateway setting (NET-11): enabled or not, with Azure's
// default idle timeout or one of 4 to 120 minutes.
func drawNAT(t *rapid.T) network.NATGateway {
	n := network.NATGateway{Enabled: rapid.Bool().Draw(t, "nat")}
	if rapid.Bool().Draw(t, "idleTimeoutSet") {
		n.IdleTimeout = rapid.IntRange(4, 120).Draw(t, "idleTimeout")
	}
	return n
}

// flexBits draws the prefix length of a Flex VNet range: /16 to /24 (NET-5).
func flexBits(t *rapid.T, label string) int {
	return rapid.IntRange(16, ipam.MaxFlexVNetBits).Draw(t, label+"Bits")
}

// NoConnectivitySpec returns a generator of No connectivity specs (NET-1)
// that Validate(used) accepts: a name (API-7), a region (REG-1), a NAT
// gateway setting (NET-11) and, now and then, no Flex range (Citrix
// chooses one), otherwise a /16 to /24 RFC 1918 range that overlaps nothing
// in used (NET-4, NET-5, AZ-1). used is read when a value is drawn and
// never changed; nil means nothing is in use. When used leaves no such
// range free anywhere in RFC 1918 space, the test fails.
func NoConnectivitySpec(used *ipam.Space) *rapid.Generator[network.NoConnectivitySpec] {
	return rapid.Custom(func(t *rapid.T) network.NoConnectivitySpec {
		s := network.NoConnectivitySpec{
			Name:   ConnectionName(network.KindNone).Draw(t, "name"),
			Region: Region().Draw(t, "region"),
			NAT:    drawNAT(t),
		}
		if rapid.IntRange(0, 3).Draw(t, "citrixChooses") != 0 {
			s.Range = newTaken(t, used).draw(t, "range", rfc1918[:], flexBits(t, "range"), ipam.MaxFlexVNetBits)
		}
		return s
	})
}

// PeeringSpec returns a generator of VNet peering specs that
// Validate(used) accepts: a name (API-7) and region (REG-1); a peered VNet's
// resource ID and one to three address ranges, each either a range of used
// or a fresh one (NET-4, NET-7); gateway route propagation only with a
// gateway (NET-7); a Flex range of /16 to /24 in RFC 1918 space that
// overlaps nothing in used nor the peered VNet (NET-4, NET-5, AZ-1); one to
// three DNS servers, never the Azure-provided one (NET-3); up to four
// custom routes (NET-6); a NAT gateway setting (NET-11). The peered VNet's
// ranges never overlap each other. used is read, never changed; nil means
// nothing is in use.
func PeeringSpec(used *ipam.Space) *rapid.Generator[network.PeeringSpec] {
	return rapid.Custom(func(t *rapid.T) network.PeeringSpec {
		tk := newTaken(t, used)
		s := network.PeeringSpec{
			Name:        ConnectionName(network.KindVnetPeering).Draw(t, "name"),
			Region:      Region().Draw(t, "region"),
			RemoteVNet:  drawResourceID(t, "remoteVNet", "virtualNetworks"),
			UsesGateway: rapid.Bool().Draw(t, "usesGateway"),
			Range:       tk.draw(t, "range", rfc1918[:], flexBits(t, "range"), ipam.MaxFlexVNetBits),
			DNS:         drawDNS(t, network.KindVnetPeering),
			NAT:         drawNAT(t),
		}
		s.RoutePropagation = s.UsesGateway && rapid.Bool().Draw(t, "routePropagation")
		s.RemoteAddressSpace = customer(t, "remote", used, tk, rapid.IntRange(1, 3).Draw(t, "remoteRanges"), 12, 24)
		s.Routes = nilIfEmpty(Routes(s.RemoteAddressSpace, 4).Draw(t, "routes"))
		return s
	})
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// reservedASN reports whether Azure refuses asn for BGP (AZ-5).
func reservedASN(asn uint32) bool {
	switch {
	case asn == 0, asn == 8074, asn == 8075, asn == 12076, asn == 23456, asn == 65515, asn == 4294967295:
		return true
	case asn >= 65517 && asn <= 65520, asn >= 64496 && asn <= 64511, asn >= 65535 && asn <= 65551:
		return true
	}
	return false
}

// drawASN draws an ASN Azure accepts for BGP (AZ-5), other than not.
func drawASN(t *rapid.T, label string, not uint32) uint32 {
	asn := rapid.OneOf(rapid.Uint32Range(64512, 65534), rapid.Uint32Range(1, 64495), rapid.Uint32Range(65552, 4294967294)).Draw(t, label)
	if reservedASN(asn) || asn == not {
		asn = 64512 // private, never reserved; not is an ASN drawn the same way or 65515
		if asn == not {
			asn = 64513
		}
	}
	return asn
}

// publicFirst are first octets of public IPv4 address space.
var publicFirst = []byte{13, 20, 23, 40, 52, 80, 91, 104, 131, 145, 157, 185, 212}

// VPNSpec returns a generator of Azure VPN gateway specs that
// Validate(used) accepts (NET-9): a name of at most 54 characters (API-7);
// a region (REG-1); a public unicast device IP; one to three allowed
// networks, each a range of used or a fresh one, never overlapping each
// other; a pre-shared key (AZ-5); any SKU, zone-redundant ones only in
// regions with zones (AZ-9); BGP now and then where the SKU supports it,
// with distinct ASNs Azure accepts (AZ-5); a VDA subnet of /16 to /24 and a
// gateway subnet of /24 to /29, in RFC 1918 space, overlapping nothing in
// used, each other or the allowed networks (NET-4, NET-5, AZ-1); one to
// three DNS servers, never the Azure-provided one, and a preferred one
// among them or none (NET-3); up to four custom routes (NET-6). A gateway
// subnet smaller than a /27 draws AZ-1's warning, which is not an error.
// used is read, never changed; nil means nothing is in use.
func VPNSpec(used *ipam.Space) *rapid.Generator[network.VPNSpec] {
	return rapid.Custom(func(t *rapid.T) network.VPNSpec {
		tk := newTaken(t, used)
		s := network.VPNSpec{
			Name:   ConnectionName(network.KindAzureVpn).Draw(t, "name"),
			Region: Region().Draw(t, "region"),
			PSK:    PreSharedKey().Draw(t, "psk"),
		}
		ip := netip.AddrFrom4([4]byte{rapid.SampledFrom(publicFirst).Draw(t, "device1"), rapid.Byte().Draw(t, "device2"), rapid.Byte().Draw(t, "device3"), rapid.ByteRange(1, 254).Draw(t, "device4")})
		s.DeviceIP = ip
		skus := network.VPNSKUs()
		if !s.Region.HasZones() {
			skus = skus[:0:0]
			for _, k := range network.VPNSKUs() {
				if !k.ZoneRedundant() {
					skus = append(skus, k)
				}
			}
		}
		s.SKU = rapid.SampledFrom(skus).Draw(t, "sku")
		s.VDASubnet = tk.draw(t, "vdaSubnet", rfc1918[:], flexBits(t, "vdaSubnet"), ipam.MaxFlexVNetBits)
		s.GatewaySubnet = tk.draw(t, "gatewaySubnet", rfc1918[:], rapid.IntRange(24, 29).Draw(t, "gatewaySubnetBits"), 29)
		s.AllowedNetworks = customer(t, "allowed", used, tk, rapid.IntRange(1, 3).Draw(t, "allowedNetworks"), 12, 24)
		if s.SKU.SupportsBGP() && rapid.Bool().Draw(t, "bgp") {
			b := network.BGPSettings{Enabled: true}
			azure := uint32(network.DefaultAzureASN)
			if rapid.Bool().Draw(t, "asnSet") {
				b.ASN = drawASN(t, "asn", 0)
				azure = b.ASN
			}
			b.PeerASN = drawASN(t, "peerASN", azure)
			b.PeerAddress = addrIn(t, "peerAddress", rapid.SampledFrom(s.AllowedNetworks).Draw(t, "peerNetwork"))
			s.BGP = b
		}
		s.DNS = drawDNS(t, network.KindAzureVpn)
		if rapid.Bool().Draw(t, "preferredSet") {
			s.PreferredDNS = rapid.SampledFrom(s.DNS).Draw(t, "preferred")
		}
		s.Routes = nilIfEmpty(Routes(s.AllowedNetworks, 4).Draw(t, "routes"))
		return s
	})
}

// VWANSpec returns a generator of Virtual WAN spoke specs that
// Validate(used) accepts (NET-12, NET-13): a name (API-7); a region
// (REG-1); a Standard hub with a resource ID, an address space of /16 to
// /24 (AZ-6) and up to three connected networks (ranges of used or fresh
// ones); admin single- or multi-tenant or service principal
// authentication with GUIDs and a client secret where needed; one to three
// spoke ranges of /16 to /24 in RFC 1918 space that overlap nothing in
// used, each other, the hub or its networks (NET-4, NET-5, NET-13, AZ-1);
// one to three DNS servers, the Azure-provided one allowed (NET-3); up to
// four custom routes, now and then with 0.0.0.0/0 to the Internet (without
// it the spec draws NET-12's warning, which is not an error); advanced
// settings. The hub's networks never overlap each other. used is read,
// never changed; nil means nothing is in use.
func VWANSpec(used *ipam.Space) *rapid.Generator[network.VWANSpec] {
	return rapid.Custom(func(t *rapid.T) network.VWANSpec {
		tk := newTaken(t, used)
		s := network.VWANSpec{
			Name:   ConnectionName(network.KindVWanConnection).Draw(t, "name"),
			Region: Region().Draw(t, "region"),
			Advanced: network.VWANAdvanced{
				InternetSecurity: rapid.Bool().Draw(t, "internetSecurity"),
				RoutePropagation: rapid.Bool().Draw(t, "routePropagation"),
			},
		}
		for range rapid.IntRange(1, 3).Draw(t, "ranges") {
			s.Ranges = append(s.Ranges, tk.draw(t, "range", rfc1918[:], flexBits(t, "range"), ipam.MaxFlexVNetBits))
		}
		s.Hub = network.VWANHub{
			ID:           drawResourceID(t, "hub", "virtualHubs"),
			Tier:         network.HubStandard,
			AddressSpace: customer(t, "hubSpace", nil, tk, 1, 16, 24)[0],
		}
		s.Hub.Connected = nilIfEmpty(customer(t, "hubConnected", used, tk, rapid.IntRange(0, 3).Draw(t, "hubNetworks"), 12, 24))
		s.Auth = network.VWANAuth{Method: rapid.SampledFrom([]network.AuthMethod{network.AuthAdminSingleTenant, network.AuthAdminMultiTenant, network.AuthServicePrincipal}).Draw(t, "auth")}
		switch s.Auth.Method {
		case network.AuthAdminSingleTenant:
			if rapid.Bool().Draw(t, "tenantSet") {
				s.Auth.TenantID = drawGUID(t, "tenant")
			}
		case network.AuthAdminMultiTenant:
			s.Auth.TenantID = drawGUID(t, "tenant")
		case network.AuthServicePrincipal:
			s.Auth.TenantID = drawGUID(t, "tenant")
			s.Auth.ClientID = drawGUID(t, "client")
			s.Auth.ClientSecret = secret.New(rapid.StringOfN(rapid.RuneFrom(pskChars), 1, 40, -1).Draw(t, "clientSecret"))
		}
		s.DNS = drawDNS(t, network.KindVWanConnection)
		connected := append(append([]netip.Prefix(nil), s.Hub.Connected...), s.Hub.AddressSpace)
		routes := Routes(connected, 4).Draw(t, "routes")
		if rapid.Bool().Draw(t, "internetRoute") && !hasRouteName(routes, internetRoute.Name) {
			routes = append(routes, internetRoute)
		}
		s.Routes = nilIfEmpty(routes)
		return s
	})
}

// internetRoute sends everything to the Internet, which a vWAN spoke needs
// to download setup files (NET-12).
var internetRoute = network.Route{Name: "to-internet", Destination: netip.PrefixFrom(netip.IPv4Unspecified(), 0), NextHop: network.NextHopInternet, Enabled: true}

func hasRouteName(rs []network.Route, name string) bool {
	for _, r := range rs {
		if strings.EqualFold(r.Name, name) {
			return true
		}
	}
	return false
}

// ConnectionSpec returns a generator of connection specs of every kind, a
// network.NoConnectivitySpec, PeeringSpec, VPNSpec or VWANSpec drawn by
// the generator of that name, so each guarantees what that generator does:
// above all, Validate(used) is nil and its FlexRanges overlap nothing in
// used nor each other. used is read, never changed; nil means nothing is in
// use.
func ConnectionSpec(used *ipam.Space) *rapid.Generator[network.Spec] {
	return rapid.OneOf(
		rapid.Map(NoConnectivitySpec(used), func(s network.NoConnectivitySpec) network.Spec { return s }),
		rapid.Map(PeeringSpec(used), func(s network.PeeringSpec) network.Spec { return s }),
		rapid.Map(VPNSpec(used), func(s network.VPNSpec) network.Spec { return s }),
		rapid.Map(VWANSpec(used), func(s network.VWANSpec) network.Spec { return s }),
	)
}

// Package ipam plans IP address space for DaaS Flex: it parses address
// ranges strictly, counts the addresses Azure leaves for machines, keeps an
// owner-labelled set of ranges that never overlap, hands out the lowest free
// block of a given size, and answers the address questions the network rules
// ask (RFC 1918, public unicast, ranges Azure reserves).
//
// It is built on net/netip and does no I/O. The smallest use:
//
//	var s ipam.Space
//	_ = s.Add("customer VNet hub-vnet", ipam.MustParsePrefix("10.0.0.0/16"))
//	err := s.Add("Flex connection east", ipam.MustParsePrefix("10.0.0.0/24"))
//	fmt.Println(err) // 10.0.0.0/24 overlaps 10.0.0.0/16 owned by customer VNet hub-vnet
//
// Flex ranges are IPv4; IPv6 prefixes parse and work in a Space, and the
// Flex validation elsewhere refuses them.
package ipam

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
)

// Prefix length bounds the network rules need.
const (
	// MaxFlexVNetBits is the longest prefix a Flex VNet range may have: a
	// Flex VNet range is at least a /24 (NET-5).
	MaxFlexVNetBits = 24
	// MinRouteBits is the shortest prefix length of a custom route
	// destination (NET-6).
	MinRouteBits = 16
	// MaxRouteBits is the longest prefix length of a custom route
	// destination (NET-6).
	MaxRouteBits = 24
	// MinRDPSourceBits is the shortest prefix length of an RDP source
	// range: at most a /27 (FW-5, TRB-3).
	MinRDPSourceBits = 27
)

// AzureReservedPerRange is how many addresses Azure reserves in every range
// (NET-14): the network address, three for Azure services and the broadcast
// address.
const AzureReservedPerRange = 5

// Kinds of ParsePrefix errors; a *ParseError unwraps to one of them, so
// errors.Is(err, ipam.ErrNotCanonical) tells them apart.
var (
	// ErrEmpty is the kind of error for an empty string.
	ErrEmpty = errors.New("empty prefix")
	// ErrSyntax is the kind of error for text that is not an address
	// followed by "/" and a prefix length.
	ErrSyntax = errors.New("invalid prefix syntax")
	// ErrBits is the kind of error for a prefix length that is not a
	// number or is out of range for the address family.
	ErrBits = errors.New("invalid prefix length")
	// ErrMapped is the kind of error for an IPv4-mapped IPv6 prefix such
	// as ::ffff:10.0.0.0/104.
	ErrMapped = errors.New("IPv4-mapped IPv6 prefix")
	// ErrZone is the kind of error for an address with a zone such as
	// fe80::1%eth0.
	ErrZone = errors.New("address zone in prefix")
	// ErrNotCanonical is the kind of error for a prefix with host bits
	// set, such as 10.0.0.1/24.
	ErrNotCanonical = errors.New("prefix has host bits set")
)

// ParseError is the error ParsePrefix returns: the input, the kind of
// problem (one of the Err… values of this package) and a message that says
// what would be accepted.
type ParseError struct {
	Input string // the text as given
	Kind  error  // ErrEmpty, ErrSyntax, ErrBits, ErrMapped, ErrZone or ErrNotCanonical
	Msg   string // the problem and the fix
}

// Error returns `ipam: parse "input": message`.
func (e *ParseError) Error() string {
	return fmt.Sprintf("ipam: parse %q: %s", e.Input, e.Msg)
}

// Unwrap returns the kind of the error.
func (e *ParseError) Unwrap() error { return e.Kind }

// ParsePrefix parses an address range in CIDR notation, such as
// "10.0.0.0/24", strictly: the address must be the first of its range (so
// "10.0.0.1/24" is refused and the error names 10.0.0.0/24), and empty
// strings, surrounding spaces, prefix lengths out of range or with leading
// zeros, IPv4-mapped IPv6 addresses and zones are refused. Every error is a
// *ParseError. IPv6 prefixes parse.
func ParsePrefix(s string) (netip.Prefix, error) {
	fail := func(kind error, format string, args ...any) (netip.Prefix, error) {
		return netip.Prefix{}, &ParseError{Input: s, Kind: kind, Msg: fmt.Sprintf(format, args...)}
	}
	if s == "" {
		return fail(ErrEmpty, "empty; want an address range such as 10.0.0.0/24")
	}
	if strings.TrimSpace(s) != s {
		return fail(ErrSyntax, "leading or trailing space; want an address range such as 10.0.0.0/24")
	}
	slash := strings.LastIndexByte(s, '/')
	if slash < 0 {
		return fail(ErrSyntax, "no prefix length; want an address, a slash and a length, such as 10.0.0.0/24")
	}
	addrText, bitsText := s[:slash], s[slash+1:]
	if i := strings.IndexByte(addrText, '%'); i >= 0 {
		return fail(ErrZone, "zone %q is not allowed in an address range; leave out the %%zone", addrText[i:])
	}
	addr, err := netip.ParseAddr(addrText)
	if err != nil {
		return fail(ErrSyntax, "%q is not an IP address; want an address range such as 10.0.0.0/24", addrText)
	}
	max := addr.BitLen()
	bits, ok := parseBits(bitsText)
	if !ok {
		return fail(ErrBits, "prefix length %q is not a number from 0 to %d", bitsText, max)
	}
	if bits > max {
		return fail(ErrBits, "prefix length %d is out of range; %s allows 0 to %d", bits, familyName(addr), max)
	}
	if addr.Is4In6() {
		if bits >= 96 {
			v4 := netip.PrefixFrom(addr.Unmap(), bits-96).Masked()
			return fail(ErrMapped, "IPv4-mapped IPv6 ranges are not allowed; write the IPv4 range %s", v4)
		}
		return fail(ErrMapped, "IPv4-mapped IPv6 ranges are not allowed; write an IPv4 range such as 10.0.0.0/24")
	}
	p := netip.PrefixFrom(addr, bits)
	if m := p.Masked(); m != p {
		return fail(ErrNotCanonical, "host bits are set; did you mean %s?", m)
	}
	return p, nil
}

// parseBits parses a decimal prefix length without sign or leading zeros.
func parseBits(s string) (int, bool) {
	if s == "" || len(s) > 3 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func familyName(a netip.Addr) string {
	if a.Is4() {
		return "IPv4"
	}
	return "IPv6"
}

// MustParsePrefix is like ParsePrefix but panics on error. It is meant for
// tests, examples and constants in code, never for user input.
func MustParsePrefix(s string) netip.Prefix {
	p, err := ParsePrefix(s)
	if err != nil {
		panic(err)
	}
	return p
}

// Usable returns how many addresses of p are left for machines once Azure
// has reserved 5 (NET-14): 2,043 for a /21, 251 for a /24, 3 for a /29 and
// 0 for anything smaller than a /29 or for an invalid prefix. Counts that do
// not fit an int (large IPv6 ranges) are capped at math.MaxInt.
func Usable(p netip.Prefix) int {
	if !p.IsValid() {
		return 0
	}
	host := p.Addr().BitLen() - p.Bits()
	if host >= 64 {
		return math.MaxInt
	}
	n := uint64(1) << host
	if n <= AzureReservedPerRange {
		return 0
	}
	return int(min(n-AzureReservedPerRange, math.MaxInt))
}

// usableText is Usable written in full with thousands separators, exact
// for every prefix length.
func usableText(p netip.Prefix) string {
	host := p.Addr().BitLen() - p.Bits()
	if host < 64 {
		return groupDigits(strconv.Itoa(Usable(p)))
	}
	n := new(big.Int).Lsh(big.NewInt(1), uint(host))
	n.Sub(n, big.NewInt(AzureReservedPerRange))
	return groupDigits(n.String())
}

// groupDigits inserts a comma every three digits from the right: "2043"
// becomes "2,043".
func groupDigits(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead == 0 {
		lead = 3
	}
	b.WriteString(digits[:lead])
	for i := lead; i < len(digits); i += 3 {
		b.WriteByte(',')
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Describe returns a human description of a range, its first and last
// address and how many addresses machines can use (NET-14), as the Flex
// console shows it: "172.18.0.0–172.18.7.255, 2,043 addresses for
// machines". A prefix with host bits set is described by its range.
func Describe(p netip.Prefix) string {
	if !p.IsValid() {
		return "invalid range"
	}
	p = p.Masked()
	noun := "addresses"
	if Usable(p) == 1 {
		noun = "address"
	}
	return fmt.Sprintf("%s–%s, %s %s for machines", p.Addr(), lastAddr(p), usableText(p), noun)
}

// lastAddr returns the last address of the canonical prefix p.
func lastAddr(p netip.Prefix) netip.Addr {
	return fromU128(toU128(p.Addr()).or(hostMask(p)), p.Addr().Is4())
}

func v4(a, b, c, d byte, bits int) netip.Prefix {
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{a, b, c, d}), bits)
}

// rfc1918 returns the private IPv4 ranges of RFC 1918.
func rfc1918() [3]netip.Prefix {
	return [3]netip.Prefix{v4(10, 0, 0, 0, 8), v4(172, 16, 0, 0, 12), v4(192, 168, 0, 0, 16)}
}

// inside reports whether p lies entirely inside q.
func inside(p, q netip.Prefix) bool {
	return q.Bits() <= p.Bits() && q.Contains(p.Addr())
}

// IsRFC1918 reports whether p lies entirely inside one of the private IPv4
// ranges of RFC 1918: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.
func IsRFC1918(p netip.Prefix) bool {
	if !p.IsValid() || !p.Addr().Is4() {
		return false
	}
	for _, q := range rfc1918() {
		if inside(p, q) {
			return true
		}
	}
	return false
}

// notPublicV4 returns the IPv4 ranges that are not public unicast space:
// the special-purpose ranges of the IANA registry (RFC 6890), multicast and
// the reserved 240.0.0.0/4 with the broadcast address.
func notPublicV4() [15]netip.Prefix {
	return [15]netip.Prefix{
		v4(0, 0, 0, 0, 8),       // "this network"
		v4(10, 0, 0, 0, 8),      // RFC 1918
		v4(100, 64, 0, 0, 10),   // shared address space (carrier-grade NAT)
		v4(127, 0, 0, 0, 8),     // loopback
		v4(169, 254, 0, 0, 16),  // link-local
		v4(172, 16, 0, 0, 12),   // RFC 1918
		v4(192, 0, 0, 0, 24),    // IETF protocol assignments
		v4(192, 0, 2, 0, 24),    // documentation TEST-NET-1
		v4(192, 88, 99, 0, 24),  // 6to4 relay anycast
		v4(192, 168, 0, 0, 16),  // RFC 1918
		v4(198, 18, 0, 0, 15),   // benchmarking
		v4(198, 51, 100, 0, 24), // documentation TEST-NET-2
		v4(203, 0, 113, 0, 24),  // documentation TEST-NET-3
		v4(224, 0, 0, 0, 4),     // multicast
		v4(240, 0, 0, 0, 4),     // reserved, and 255.255.255.255 broadcast
	}
}

// IsPublicUnicast reports whether a is a public unicast IPv4 address, one a
// VPN device on the internet can have (NET-9): not private (RFC 1918),
// shared (100.64.0.0/10), loopback, link-local, multicast, broadcast,
// "this network" (0.0.0.0/8), documentation, benchmarking or reserved
// (240.0.0.0/4) space. IPv6 addresses, IPv4-mapped IPv6 addresses and
// addresses with a zone are not public IPv4 addresses.
func IsPublicUnicast(a netip.Addr) bool {
	if !a.Is4() {
		return false
	}
	for _, q := range notPublicV4() {
		if q.Contains(a) {
			return false
		}
	}
	return true
}

// azureReservedRanges returns the ranges an Azure address space may not
// include (AZ-1), in the order RULES.md lists them.
func azureReservedRanges() [5]netip.Prefix {
	return [5]netip.Prefix{
		v4(224, 0, 0, 0, 4),
		v4(255, 255, 255, 255, 32),
		v4(127, 0, 0, 0, 8),
		v4(169, 254, 0, 0, 16),
		v4(168, 63, 129, 16, 32),
	}
}

// AzureReserved returns the first of the ranges an Azure address space may
// not include (AZ-1) that p overlaps, in this order: 224.0.0.0/4,
// 255.255.255.255/32, 127.0.0.0/8, 169.254.0.0/16 and 168.63.129.16/32.
// ok is false when p overlaps none of them (and for IPv6 or invalid p).
func AzureReserved(p netip.Prefix) (reserved netip.Prefix, ok bool) {
	if !p.IsValid() || !p.Addr().Is4() {
		return netip.Prefix{}, false
	}
	for _, q := range azureReservedRanges() {
		if q.Overlaps(p) {
			return q, true
		}
	}
	return netip.Prefix{}, false
}

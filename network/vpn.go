package network

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// VPNSKU is the performance tier of an Azure VPN gateway (AZ-5), by its
// Azure name. The zero value is not valid.
type VPNSKU string

// VPN gateway SKUs (AZ-5). The AZ SKUs are zone-redundant.
const (
	SKUBasic    VPNSKU = "Basic"
	SKUVpnGw1   VPNSKU = "VpnGw1"
	SKUVpnGw2   VPNSKU = "VpnGw2"
	SKUVpnGw3   VPNSKU = "VpnGw3"
	SKUVpnGw4   VPNSKU = "VpnGw4"
	SKUVpnGw5   VPNSKU = "VpnGw5"
	SKUVpnGw1AZ VPNSKU = "VpnGw1AZ"
	SKUVpnGw2AZ VPNSKU = "VpnGw2AZ"
	SKUVpnGw3AZ VPNSKU = "VpnGw3AZ"
	SKUVpnGw4AZ VPNSKU = "VpnGw4AZ"
	SKUVpnGw5AZ VPNSKU = "VpnGw5AZ"
)

// VPNSKUs returns every VPN gateway SKU (AZ-5).
func VPNSKUs() []VPNSKU {
	return []VPNSKU{SKUBasic, SKUVpnGw1, SKUVpnGw2, SKUVpnGw3, SKUVpnGw4, SKUVpnGw5,
		SKUVpnGw1AZ, SKUVpnGw2AZ, SKUVpnGw3AZ, SKUVpnGw4AZ, SKUVpnGw5AZ}
}

// ParseVPNSKU returns the SKU named s, ignoring case.
func ParseVPNSKU(s string) (VPNSKU, error) {
	for _, k := range VPNSKUs() {
		if strings.EqualFold(strings.TrimSpace(s), string(k)) {
			return k, nil
		}
	}
	return "", ruleErr("AZ-5", fmt.Sprintf("VPN gateway SKU %q: want one of %v", s, VPNSKUs()))
}

// IsValid reports whether k is one of VPNSKUs.
func (k VPNSKU) IsValid() bool {
	for _, s := range VPNSKUs() {
		if k == s {
			return true
		}
	}
	return false
}

// String returns the Azure name, such as "VpnGw2AZ".
func (k VPNSKU) String() string { return string(k) }

// SupportsBGP reports whether the SKU supports BGP (AZ-5): every SKU
// except Basic.
func (k VPNSKU) SupportsBGP() bool { return k.IsValid() && k != SKUBasic }

// ZoneRedundant reports whether the SKU is zone-redundant (an AZ SKU),
// which needs a region with availability zones (AZ-9).
func (k VPNSKU) ZoneRedundant() bool { return k.IsValid() && strings.HasSuffix(string(k), "AZ") }

// ThroughputMbps returns the SKU's aggregate throughput in Mbit/s as Azure
// documents it (the console's "Performance and throughput"): 100 for
// Basic, 650, 1,000, 1,250, 5,000 and 10,000 for VpnGw1–5 and their AZ
// twins; 0 for an invalid SKU.
func (k VPNSKU) ThroughputMbps() int {
	switch strings.TrimSuffix(string(k), "AZ") {
	case "Basic":
		return 100
	case "VpnGw1":
		return 650
	case "VpnGw2":
		return 1000
	case "VpnGw3":
		return 1250
	case "VpnGw4":
		return 5000
	case "VpnGw5":
		return 10000
	}
	return 0
}

// DefaultAzureASN is the ASN of an Azure VPN gateway when none is given.
const DefaultAzureASN = 65515

// BGPSettings are a VPN connection's BGP settings, only for SKUs that
// support BGP (NET-9, AZ-5). The zero value is BGP disabled.
type BGPSettings struct {
	Enabled bool
	// ASN is the Azure gateway's autonomous system number; zero means
	// Azure's default, 65515.
	ASN uint32
	// PeerASN is the VPN device's autonomous system number.
	PeerASN uint32
	// PeerAddress is the VPN device's BGP peer address.
	PeerAddress netip.Addr
}

// reservedASN reports whether Azure refuses asn for a BGP peer (AZ-5).
func reservedASN(asn uint32) bool {
	switch {
	case asn == 0, asn == 8074, asn == 8075, asn == 12076, asn == 23456, asn == 65515, asn == 4294967295:
		return true
	case asn >= 65517 && asn <= 65520, asn >= 64496 && asn <= 64511, asn >= 65535 && asn <= 65551:
		return true
	}
	return false
}

const reservedASNText = "0, 8074, 8075, 12076, 23456, 64496–64511, 65515, 65517–65520, 65535–65551 and 4294967295"

func (b BGPSettings) validate(l *rule.List, sku VPNSKU) {
	if !b.Enabled {
		return
	}
	if !sku.SupportsBGP() {
		l.Add("NET-9", "BGP is enabled but performance tier %s does not support it; choose VpnGw1 or above, or disable BGP (AZ-5)", sku)
	}
	if b.ASN != 0 && reservedASN(b.ASN) {
		l.Add("AZ-5", "Azure gateway ASN %d is reserved; want any ASN except %s (0 for Azure's default %d)", b.ASN, reservedASNText, DefaultAzureASN)
	}
	if reservedASN(b.PeerASN) {
		l.Add("AZ-5", "VPN device ASN %d is reserved; want any ASN except %s", b.PeerASN, reservedASNText)
	}
	azure := b.ASN
	if azure == 0 {
		azure = DefaultAzureASN
	}
	if azure == b.PeerASN {
		l.Add("AZ-5", "the VPN device and the Azure gateway both use ASN %d; the two ends need different ASNs", azure)
	}
	if !b.PeerAddress.Is4() {
		l.Add("NET-9", "BGP peer address %v is not an IPv4 address; want the VPN device's BGP address", b.PeerAddress)
	}
}

// MaxPSKLen is the longest pre-shared key Azure accepts (AZ-5).
const MaxPSKLen = 128

// ValidatePSK reports what is wrong with a VPN pre-shared key (NET-9,
// NET-10, AZ-5): 1 to 128 printable ASCII characters other than space,
// '-' and '~'. Messages give positions, never the key or its characters
// (SEC-1).
func ValidatePSK(psk secret.Value) error {
	var l rule.List
	validatePSK(&l, psk)
	return l.Err()
}

func validatePSK(l *rule.List, psk secret.Value) {
	n := psk.Len()
	switch {
	case n == 0:
		l.Add("AZ-5", "the pre-shared key is empty; want 1 to %d printable ASCII characters other than space, '-' and '~'", MaxPSKLen)
		return
	case n > MaxPSKLen:
		l.Add("AZ-5", "the pre-shared key is %d characters; at most %d", n, MaxPSKLen)
	}
	s := psk.Reveal()
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c > '~' || c == '-' || c == '~' {
			l.Add("AZ-5", "the pre-shared key has a character that is not allowed at position %d; want printable ASCII other than space, '-' and '~'", i+1)
			return
		}
	}
}

// VPNSpec is an Azure VPN gateway connection (NET-9): a site-to-site,
// route-based IPsec tunnel from the Flex VNet to the customer's VPN device.
type VPNSpec struct {
	Name   string // 1–54 characters (API-7)
	Region Region // fixed at creation (REG-2)
	// DeviceIP is the public IPv4 address of the customer's VPN device.
	DeviceIP netip.Addr
	// AllowedNetworks is the customer's networks the Flex VNet may reach
	// through the tunnel: one or more.
	AllowedNetworks []netip.Prefix
	PSK             secret.Value // pre-shared key (SEC-1, AZ-5)
	SKU             VPNSKU       // performance tier
	BGP             BGPSettings  // only where the SKU supports BGP
	// VDASubnet is where VDAs and connectors live: at least a /24 (NET-5);
	// immutable.
	VDASubnet netip.Prefix
	// GatewaySubnet is Azure's GatewaySubnet for the gateway: a /29 or
	// larger, a /27 or larger recommended (AZ-1); immutable.
	GatewaySubnet netip.Prefix
	Routes        []Route      // custom routes (NET-6)
	DNS           []netip.Addr // NET-3
	// PreferredDNS is the preferred DNS server, one of DNS; the zero
	// value means the first.
	PreferredDNS netip.Addr
}

// Kind returns KindAzureVpn.
func (VPNSpec) Kind() Kind { return KindAzureVpn }

// FlexRanges returns the VDA subnet and the gateway subnet.
func (s VPNSpec) FlexRanges() []netip.Prefix { return []netip.Prefix{s.VDASubnet, s.GatewaySubnet} }

// Preferred returns the preferred DNS server: PreferredDNS, or the first
// of DNS when it is zero.
func (s VPNSpec) Preferred() netip.Addr {
	if s.PreferredDNS.IsValid() || len(s.DNS) == 0 {
		return s.PreferredDNS
	}
	return s.DNS[0]
}

// Warnings returns AZ-1's advice when the gateway subnet is smaller than
// a /27.
func (s VPNSpec) Warnings() []Warning {
	if canonicalProblem(s.GatewaySubnet) == "" && s.GatewaySubnet.Bits() > 27 {
		return []Warning{{ID: "AZ-1", Msg: fmt.Sprintf("gateway subnet %s is smaller than the /27 Azure recommends for GatewaySubnet", s.GatewaySubnet)}}
	}
	return nil
}

// Validate reports every problem at once: name (API-7), region (REG-1), a
// public unicast device IP and allowed networks (NET-9), the pre-shared key
// (AZ-5), the SKU and BGP only where it supports BGP, with valid distinct
// ASNs (NET-9, AZ-5) and zone-redundant SKUs only in regions with zones
// (AZ-9), the VDA and gateway subnets (NET-5, AZ-1; not overlapping each
// other, NET-9, or anything in use or allowed, NET-4), DNS servers without
// the Azure-provided one and a preferred server among them (NET-3, NET-9),
// and custom routes (NET-6, AZ-3).
func (s VPNSpec) Validate(used *ipam.Space) error {
	var l rule.List
	validateName(&l, KindAzureVpn, s.Name)
	checkRegion(&l, s.Region)
	if !ipam.IsPublicUnicast(s.DeviceIP) {
		l.Add("NET-9", "VPN device IP %v is not a public unicast IPv4 address; want the public address of your VPN device", s.DeviceIP)
	}
	checkCustomer(&l, "NET-9", "allowed network", s.AllowedNetworks, true)
	validatePSK(&l, s.PSK)
	switch {
	case !s.SKU.IsValid():
		l.Add("AZ-5", "VPN gateway SKU %q: want one of %v", s.SKU, VPNSKUs())
	case s.SKU.ZoneRedundant() && s.Region.IsValid() && !s.Region.HasZones():
		l.Add("AZ-9", "zone-redundant SKU %s needs availability zones, which %s does not have; choose %s", s.SKU, s.Region.DisplayName(), strings.TrimSuffix(string(s.SKU), "AZ"))
	}
	s.BGP.validate(&l, s.SKU)
	checkAddressSpace(&l, s.Name, []flexRange{{"VDA subnet", s.VDASubnet}, {"gateway subnet", s.GatewaySubnet}},
		entries("allowed network of VPN "+s.Name, s.AllowedNetworks), used, "NET-9")
	checkVNetSize(&l, "VDA subnet", s.VDASubnet)
	if canonicalProblem(s.GatewaySubnet) == "" && s.GatewaySubnet.Bits() > 29 {
		l.Add("AZ-1", "gateway subnet %s is smaller than a /29, the smallest Azure subnet; want a /27 or larger", s.GatewaySubnet)
	}
	validateDNS(&l, KindAzureVpn, s.DNS)
	if s.PreferredDNS.IsValid() && !containsAddrList(s.DNS, s.PreferredDNS) {
		l.Add("NET-9", "preferred DNS server %s is not one of the DNS servers %v", s.PreferredDNS, s.DNS)
	}
	validateRoutes(&l, s.Routes, s.AllowedNetworks)
	return l.Err()
}

func containsAddrList(as []netip.Addr, a netip.Addr) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// ValidateUpdate reports every change from s to next that is not allowed
// after creation: region (REG-2), VDA subnet and gateway subnet (NET-9),
// and the problems of next itself with used (the address space without
// this connection). A new pre-shared key is allowed (NET-10). It returns
// the NET-3 warning when DNS servers change and NET-10's when the key
// changes.
func (s VPNSpec) ValidateUpdate(next VPNSpec, used *ipam.Space) ([]Warning, error) {
	var l rule.List
	checkUpdate(&l, "REG-2", "the region", s.Region, next.Region)
	checkUpdate(&l, "NET-9", "the VDA subnet", s.VDASubnet, next.VDASubnet)
	checkUpdate(&l, "NET-9", "the gateway subnet", s.GatewaySubnet, next.GatewaySubnet)
	l.Append(next.Validate(used))
	ws := dnsChangeWarning(s.DNS, next.DNS)
	if !s.PSK.Equal(next.PSK) {
		ws = append(ws, Warning{ID: "NET-10", Msg: "the pre-shared key changes; configure the new key on your VPN device or the tunnel stays down"})
	}
	return ws, l.Err()
}

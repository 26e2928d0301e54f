package catalog

import (
	"strconv"
	"strings"
)

// ConnectivityType is how users' endpoints reach a catalog's machines
// (CAT-3). The zero value is unset and valid for nothing.
type ConnectivityType uint8

// The connectivity types.
const (
	// GatewayService proxies HDX connections through the Citrix-managed
	// Gateway service.
	GatewayService ConnectivityType = iota + 1
	// NetScalerGateway uses the customer's own NetScaler Gateway; it needs
	// the FQDN of the gateway's virtual server.
	NetScalerGateway
	// Direct allows only users on the corporate network, with no external
	// access.
	Direct
)

// String returns "Gateway service", "NetScaler Gateway" or "Direct".
func (c ConnectivityType) String() string {
	switch c {
	case GatewayService:
		return "Gateway service"
	case NetScalerGateway:
		return "NetScaler Gateway"
	case Direct:
		return "Direct"
	}
	return "ConnectivityType(" + strconv.Itoa(int(c)) + ")"
}

// IsValid reports whether c is one of the three connectivity types.
func (c ConnectivityType) IsValid() bool { return c >= GatewayService && c <= Direct }

// ParseConnectivityType returns the connectivity type named s, ignoring case,
// spaces and hyphens: "Gateway service" (also "gateway"), "NetScaler Gateway"
// (also "netscaler") or "Direct" (also "internal").
func ParseConnectivityType(s string) (ConnectivityType, error) {
	f := strings.NewReplacer(" ", "", "-", "", "_", "").Replace(strings.ToLower(s))
	switch f {
	case "gatewayservice", "gateway":
		return GatewayService, nil
	case "netscalergateway", "netscaler":
		return NetScalerGateway, nil
	case "direct", "internal":
		return Direct, nil
	}
	return 0, ruleErrorf("CAT-3", "connectivity type %q is unknown; want Gateway service, NetScaler Gateway or Direct", s)
}

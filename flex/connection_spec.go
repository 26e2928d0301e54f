package flex

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

// Accessors of the four connection specs, which share no interface for
// these fields.

func specName(s network.Spec) string {
	switch s := s.(type) {
	case network.NoConnectivitySpec:
		return s.Name
	case network.PeeringSpec:
		return s.Name
	case network.VPNSpec:
		return s.Name
	case network.VWANSpec:
		return s.Name
	}
	return ""
}

func specRegion(s network.Spec) network.Region {
	switch s := s.(type) {
	case network.NoConnectivitySpec:
		return s.Region
	case network.PeeringSpec:
		return s.Region
	case network.VPNSpec:
		return s.Region
	case network.VWANSpec:
		return s.Region
	}
	return ""
}

func specRoutes(s network.Spec) []network.Route {
	switch s := s.(type) {
	case network.PeeringSpec:
		return s.Routes
	case network.VPNSpec:
		return s.Routes
	case network.VWANSpec:
		return s.Routes
	}
	return nil
}

// specDNS returns the DNS servers in the order the VNet takes them: a
// VPN's preferred server first (NET-9).
func specDNS(s network.Spec) []netip.Addr {
	switch s := s.(type) {
	case network.PeeringSpec:
		return slices.Clone(s.DNS)
	case network.VPNSpec:
		p := s.Preferred()
		out := []netip.Addr{}
		if p.IsValid() {
			out = append(out, p)
		}
		for _, a := range s.DNS {
			if a != p {
				out = append(out, a)
			}
		}
		return out
	case network.VWANSpec:
		return slices.Clone(s.DNS)
	}
	return nil
}

func specNAT(s network.Spec) network.NATGateway {
	switch s := s.(type) {
	case network.NoConnectivitySpec:
		return s.NAT
	case network.PeeringSpec:
		return s.NAT
	}
	return network.NATGateway{}
}

// vdaRanges returns the ranges of a spec that user subnets are carved
// from: all Flex ranges but a VPN's gateway subnet.
func vdaRanges(s network.Spec) []netip.Prefix {
	if v, ok := s.(network.VPNSpec); ok {
		return []netip.Prefix{v.VDASubnet}
	}
	return slices.Clone(s.FlexRanges())
}

// customerNets returns the customer's networks a spec connects to: a
// peered VNet's address space, a VPN's allowed networks, a hub and its
// other networks.
func customerNets(s network.Spec) []netip.Prefix {
	switch s := s.(type) {
	case network.PeeringSpec:
		return slices.Clone(s.RemoteAddressSpace)
	case network.VPNSpec:
		return slices.Clone(s.AllowedNetworks)
	case network.VWANSpec:
		out := []netip.Prefix{}
		if s.Hub.AddressSpace.IsValid() {
			out = append(out, s.Hub.AddressSpace)
		}
		return append(out, s.Hub.Connected...)
	}
	return nil
}

// cloneSpec returns a deep copy of a spec, so that the tenant's copy and
// the caller's never share slices.
func cloneSpec(s network.Spec) network.Spec {
	switch s := s.(type) {
	case network.PeeringSpec:
		s.RemoteAddressSpace = slices.Clone(s.RemoteAddressSpace)
		s.DNS = slices.Clone(s.DNS)
		s.Routes = slices.Clone(s.Routes)
		return s
	case network.VPNSpec:
		s.AllowedNetworks = slices.Clone(s.AllowedNetworks)
		s.DNS = slices.Clone(s.DNS)
		s.Routes = slices.Clone(s.Routes)
		return s
	case network.VWANSpec:
		s.Hub.Connected = slices.Clone(s.Hub.Connected)
		s.Ranges = slices.Clone(s.Ranges)
		s.DNS = slices.Clone(s.DNS)
		s.Routes = slices.Clone(s.Routes)
		return s
	}
	return s
}

// redacted returns a copy of the spec without its secrets (SEC-1): a
// VPN's pre-shared key and a vWAN service principal's client secret.
func redacted(s network.Spec) network.Spec {
	s = cloneSpec(s)
	switch v := s.(type) {
	case network.VPNSpec:
		v.PSK = secret.Value{}
		return v
	case network.VWANSpec:
		v.Auth.ClientSecret = secret.Value{}
		return v
	}
	return s
}

// withRoutes returns the spec with its custom routes replaced.
func withRoutes(s network.Spec, routes []network.Route) network.Spec {
	switch v := s.(type) {
	case network.PeeringSpec:
		v.Routes = routes
		return v
	case network.VPNSpec:
		v.Routes = routes
		return v
	case network.VWANSpec:
		v.Routes = routes
		return v
	}
	return s
}

// netID converts the ID of a customer's network resource to the
// provider's form.
func netID(id network.ResourceID) ResourceID {
	t := ResourceType("Microsoft.Network/" + id.Type)
	switch strings.ToLower(id.Type) {
	case "virtualnetworks":
		t = TypeVirtualNetwork
	case "virtualhubs":
		t = TypeVirtualHub
	}
	return ResourceID{Subscription: id.Subscription, ResourceGroup: id.ResourceGroup, Type: t, Name: id.Name}
}

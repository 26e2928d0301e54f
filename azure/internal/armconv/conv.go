// Package armconv converts the resources of package flex to the models of
// armnetwork and armcompute and back. The azure provider uses it to build
// its requests and read the answers; the simulated ARM of the tests uses the
// same functions the other way round, as Azure would read a request and
// write an answer, so that both ends agree on one mapping.
//
// Values ARM has no field for travel in tags with the "daasflex-" prefix
// (an image's operating system release and key), and come back out of
// them; FromARM functions strip those tags again.
package armconv

import (
	"fmt"
	"maps"
	"net/netip"
	"strings"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

// Tags that carry Flex values ARM has no field for.
const (
	// TagImageOS holds an image's operating system release, such as
	// "Windows Server 2022" (ARM knows only Windows or Linux).
	TagImageOS = "daasflex-os"
	// TagImageKey holds the ID of the customer-managed key of an image.
	TagImageKey = "daasflex-key"
)

// ManagedRulePrefix starts the description of every NSG rule Flex generates
// and owns (FW-6), so that the mark survives ARM, which has no such field.
const ManagedRulePrefix = "[daasflex] "

func to[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// Tags converts flex tags to ARM's.
func Tags(m map[string]string) map[string]*string {
	if m == nil {
		return nil
	}
	out := make(map[string]*string, len(m))
	for k, v := range m {
		out[k] = to(v)
	}
	return out
}

// FromTags converts ARM tags to flex's, dropping the tags named in drop.
func FromTags(m map[string]*string, drop ...string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = deref(v)
	}
	for _, d := range drop {
		delete(out, d)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func withTags(m map[string]string, extra map[string]string) map[string]string {
	if len(extra) == 0 {
		return m
	}
	out := maps.Clone(m)
	if out == nil {
		out = make(map[string]string, len(extra))
	}
	maps.Copy(out, extra)
	return out
}

// ID returns the ARM form of id, or nil for the zero ID.
func ID(id flex.ResourceID) *string {
	if id.IsZero() {
		return nil
	}
	return to(id.String())
}

// ParseID parses an ARM resource ID; nil or empty gives the zero ID.
func ParseID(s *string) (flex.ResourceID, error) {
	if s == nil || *s == "" {
		return flex.ResourceID{}, nil
	}
	id, err := flex.ParseResourceID(*s)
	if err != nil {
		return flex.ResourceID{}, err
	}
	return canonical(id), nil
}

// canonical spells the resource type of id as package flex does: ARM
// answers with types in any case.
func canonical(id flex.ResourceID) flex.ResourceID {
	for _, t := range Types {
		if strings.EqualFold(string(id.Type), string(t)) {
			id.Type = t
			return id
		}
	}
	return id
}

// Types are the resource types of package flex, in the order List visits
// them.
var Types = []flex.ResourceType{
	flex.TypeResourceGroup, flex.TypeVirtualNetwork, flex.TypeSecurityGroup, flex.TypeRouteTable,
	flex.TypeNATGateway, flex.TypePeering, flex.TypeVPNGateway, flex.TypeLocalGateway,
	flex.TypeVPNConnection, flex.TypeVirtualHub, flex.TypeHubConnection, flex.TypeVirtualMachine,
	flex.TypeDisk, flex.TypeSnapshot, flex.TypeImage, flex.TypeKey,
}

// Sub returns the ARM ID of a child resource of id: id/kind/name.
func Sub(id flex.ResourceID, kind, name string) string {
	return id.String() + "/" + kind + "/" + name
}

// SubName returns the last segment of an ARM ID.
func SubName(s *string) string {
	v := deref(s)
	return v[strings.LastIndexByte(v, '/')+1:]
}

func region(s *string) network.Region {
	return network.Region(strings.ToLower(strings.ReplaceAll(deref(s), " ", "")))
}

func prefixes(ps []netip.Prefix) []*string {
	out := make([]*string, len(ps))
	for i, p := range ps {
		out[i] = to(p.String())
	}
	return out
}

func parsePrefixes(what string, ss []*string) ([]netip.Prefix, error) {
	if len(ss) == 0 {
		return nil, nil
	}
	out := make([]netip.Prefix, 0, len(ss))
	for _, s := range ss {
		p, err := netip.ParsePrefix(deref(s))
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", what, deref(s), err)
		}
		out = append(out, p)
	}
	return out, nil
}

func parsePrefix(what string, s *string) (netip.Prefix, error) {
	if s == nil || *s == "" {
		return netip.Prefix{}, nil
	}
	p, err := netip.ParsePrefix(*s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%s %q: %w", what, *s, err)
	}
	return p, nil
}

func addr(a netip.Addr) *string {
	if !a.IsValid() {
		return nil
	}
	return to(a.String())
}

func parseAddr(what string, s *string) (netip.Addr, error) {
	if s == nil || *s == "" {
		return netip.Addr{}, nil
	}
	a, err := netip.ParseAddr(*s)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%s %q: %w", what, *s, err)
	}
	return a, nil
}

func state(s *string) flex.ProvisioningState {
	switch v := deref(s); v {
	case "":
		return flex.Succeeded
	default:
		return flex.ProvisioningState(v)
	}
}

func zones(z string) []*string {
	if z == "" {
		return nil
	}
	return []*string{to(z)}
}

func zone(zs []*string) string {
	if len(zs) == 0 {
		return ""
	}
	return deref(zs[0])
}

func i32(n int) *int32 {
	if n == 0 {
		return nil
	}
	v := int32(n)
	return &v
}

func asn(n uint32) *int64 {
	if n == 0 {
		return nil
	}
	v := int64(n)
	return &v
}

func fromASN(p *int64) uint32 {
	v := deref(p)
	if v < 0 || v > 1<<32-1 {
		return 0
	}
	return uint32(v)
}

// VersionOf returns the last path segment of a key URI with a version.
func VersionOf(uri string) string {
	return uri[strings.LastIndexByte(uri, '/')+1:]
}

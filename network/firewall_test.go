package network_test

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

func TestParsePortRange(t *testing.T) {
	tests := []struct {
		in   string
		want network.PortRange
		ok   bool
	}{
		{"*", network.AnyPort(), true},
		{"443", network.Port(443), true},
		{"0", network.Port(0), true},
		{"65535", network.Port(65535), true},
		{"49152-65535", network.Ports(49152, 65535), true},
		{"135-139", network.Ports(135, 139), true},
		{"80-80", network.Port(80), true},
		{"65536", network.PortRange{}, false},
		{"139-135", network.PortRange{}, false},
		{"", network.PortRange{}, false},
		{"-", network.PortRange{}, false},
		{"080", network.PortRange{}, false},
		{" 80", network.PortRange{}, false},
		{"80-", network.PortRange{}, false},
		{"1-2-3", network.PortRange{}, false},
		{"+80", network.PortRange{}, false},
	}
	for _, tt := range tests {
		t.Run("AZ-2/"+tt.in, func(t *testing.T) {
			got, err := network.ParsePortRange(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParsePortRange(%q) error = %v, want ok %v", tt.in, err, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParsePortRange(%q) (-want +got):\n%s", tt.in, diff)
			}
			if tt.ok {
				back, err := network.ParsePortRange(got.String())
				if err != nil || back != got {
					t.Errorf("round trip of %q via %q = %v, %v", tt.in, got, back, err)
				}
			}
		})
	}
}

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in   string
		want network.Address
		ok   bool
	}{
		{"*", network.TagAddress(network.TagAny), true},
		{"VirtualNetwork", network.TagAddress(network.TagVirtualNetwork), true},
		{"internet", network.TagAddress(network.TagInternet), true},
		{"AzureLoadBalancer", network.TagAddress(network.TagAzureLoadBalancer), true},
		{"10.0.0.0/16", network.PrefixAddress(pfx("10.0.0.0/16")), true},
		{"10.0.0.4", network.PrefixAddress(pfx("10.0.0.4/32")), true},
		{"10.0.0.1/16", network.Address{}, false},
		{"Storage", network.Address{}, false},
		{"", network.Address{}, false},
		{"fe80::1%eth0", network.Address{}, false},
	}
	for _, tt := range tests {
		t.Run("AZ-2/"+tt.in, func(t *testing.T) {
			got, err := network.ParseAddress(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseAddress(%q) error = %v, want ok %v", tt.in, err, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got, cmpNet); diff != "" {
				t.Errorf("ParseAddress(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// okRule returns a valid inbound rule for tests to break.
func okRule(name string, prio int) network.SecurityRule {
	return network.SecurityRule{
		Name: name, Priority: prio, Direction: network.Inbound, Access: network.Allow, Protocol: network.TCP,
		Sources:          []network.Address{network.PrefixAddress(pfx("10.0.0.0/24"))},
		SourcePorts:      []network.PortRange{network.AnyPort()},
		Destinations:     []network.Address{network.TagAddress(network.TagVirtualNetwork)},
		DestinationPorts: []network.PortRange{network.Port(443)},
	}
}

func TestValidateRules(t *testing.T) {
	tooMany := make([]network.SecurityRule, 1001)
	for i := range tooMany {
		tooMany[i] = okRule("r"+strings.Repeat("x", i%50)+string(rune('a'+i%26))+strconv.Itoa(i), 100+i)
	}
	tests := []struct {
		name  string
		rules []network.SecurityRule
		bad   int // number of violations expected
	}{
		{"valid", []network.SecurityRule{okRule("a", 100), okRule("b", 4096)}, 0},
		{"same priority in different directions", []network.SecurityRule{okRule("a", 100), func() network.SecurityRule {
			r := okRule("b", 100)
			r.Direction = network.Outbound
			return r
		}()}, 0},
		{"priority below 100", []network.SecurityRule{okRule("a", 99)}, 1},
		{"priority above 4096", []network.SecurityRule{okRule("a", 4097)}, 1},
		{"priority unique per direction", []network.SecurityRule{okRule("a", 200), okRule("b", 200)}, 1},
		{"names unique ignoring case", []network.SecurityRule{okRule("Web", 200), okRule("web", 300)}, 1},
		{"empty name", []network.SecurityRule{okRule("", 200)}, 1},
		{"name of 80 characters", []network.SecurityRule{okRule(strings.Repeat("a", 80), 200)}, 0},
		{"name of 81 characters", []network.SecurityRule{okRule(strings.Repeat("a", 81), 200)}, 1},
		{"name starting with a period", []network.SecurityRule{okRule(".web", 200)}, 1},
		{"name ending with a hyphen", []network.SecurityRule{okRule("web-", 200)}, 1},
		{"name with a space", []network.SecurityRule{okRule("allow web", 200)}, 1},
		{"name with word characters, period and hyphen", []network.SecurityRule{okRule("_Allow.Web-443_", 200)}, 0},
		{"more than 1000 rules", tooMany, 1},
		{"bad enums", []network.SecurityRule{func() network.SecurityRule {
			r := okRule("a", 200)
			r.Direction, r.Access, r.Protocol = 9, 7, 42
			return r
		}()}, 3},
		{"every protocol", func() []network.SecurityRule {
			var rs []network.SecurityRule
			for i, p := range []network.Protocol{network.AnyProtocol, network.TCP, network.UDP, network.ICMP, network.ESP, network.AH} {
				r := okRule("p"+strconv.Itoa(i), 100+i)
				r.Protocol = p
				rs = append(rs, r)
			}
			return rs
		}(), 0},
		{"empty address and port lists", []network.SecurityRule{func() network.SecurityRule {
			r := okRule("a", 200)
			r.Sources, r.DestinationPorts = nil, nil
			return r
		}()}, 2},
		{"tag and * must stand alone", []network.SecurityRule{func() network.SecurityRule {
			r := okRule("a", 200)
			r.Destinations = append(r.Destinations, network.PrefixAddress(pfx("10.1.0.0/24")))
			r.SourcePorts = append(r.SourcePorts, network.Port(80))
			return r
		}()}, 2},
		{"reversed port range and host bits", []network.SecurityRule{func() network.SecurityRule {
			r := okRule("a", 200)
			r.DestinationPorts = []network.PortRange{{First: 90, Last: 80}}
			r.Sources = []network.Address{{Prefix: netip.MustParsePrefix("10.0.0.1/16")}, {Prefix: pfx("10.0.0.0/24")}, {Tag: "Storage"}}
			return r
		}()}, 3},
		{"description of 141 characters", []network.SecurityRule{func() network.SecurityRule {
			r := okRule("a", 200)
			r.Description = strings.Repeat("d", 141)
			return r
		}()}, 1},
		{"Azure default rules are outside the custom range", network.DefaultRules(), 6},
	}
	for _, tt := range tests {
		t.Run("AZ-2/"+tt.name, func(t *testing.T) {
			err := network.ValidateRules(tt.rules)
			if got := len(rule.Violations(err)); got != tt.bad {
				t.Fatalf("ValidateRules: %d violations, want %d:\n%v", got, tt.bad, err)
			}
			for _, v := range rule.Violations(err) {
				if v.ID != "AZ-2" { // RULE AZ-2
					t.Errorf("violation %v has ID %s, want AZ-2", v, v.ID)
				}
			}
		})
	}
}

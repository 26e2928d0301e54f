package ipam_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/rule"
)

var mp = ipam.MustParsePrefix

func TestParsePrefix(t *testing.T) {
	good := []struct {
		in   string
		want netip.Prefix
	}{
		{"10.0.0.0/24", netip.MustParsePrefix("10.0.0.0/24")},
		{"0.0.0.0/0", netip.MustParsePrefix("0.0.0.0/0")},
		{"192.168.1.7/32", netip.MustParsePrefix("192.168.1.7/32")},
		{"2001:db8::/32", netip.MustParsePrefix("2001:db8::/32")},
		{"::/0", netip.MustParsePrefix("::/0")},
	}
	for _, tc := range good {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ipam.ParsePrefix(tc.in)
			if err != nil {
				t.Fatalf("ParsePrefix(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("ParsePrefix(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
	bad := []struct {
		in      string
		kind    error
		mention string // the message must contain this
	}{
		{"", ipam.ErrEmpty, "empty"},
		{"banana", ipam.ErrSyntax, "no prefix length"},
		{"10.0.0.0", ipam.ErrSyntax, "no prefix length"},
		{" 10.0.0.0/24", ipam.ErrSyntax, "space"},
		{"10.0.0.0/24 ", ipam.ErrSyntax, "space"},
		{"10.0.0/24", ipam.ErrSyntax, "not an IP address"},
		{"10.0.0.256/24", ipam.ErrSyntax, "not an IP address"},
		{"010.0.0.0/8", ipam.ErrSyntax, "not an IP address"},
		{"/24", ipam.ErrSyntax, "not an IP address"},
		{"10.0.0.0/33", ipam.ErrBits, "0 to 32"},
		{"2001:db8::/129", ipam.ErrBits, "0 to 128"},
		{"10.0.0.0/", ipam.ErrBits, "not a number"},
		{"10.0.0.0/-1", ipam.ErrBits, "not a number"},
		{"10.0.0.0/+8", ipam.ErrBits, "not a number"},
		{"10.0.0.0/08", ipam.ErrBits, "not a number"},
		{"10.0.0.0/1000", ipam.ErrBits, "not a number"},
		{"10.0.0.0/24/24", ipam.ErrSyntax, "not an IP address"},
		{"::ffff:10.0.0.0/104", ipam.ErrMapped, "10.0.0.0/8"},
		{"::ffff:0:0/64", ipam.ErrMapped, "IPv4"},
		{"fe80::%eth0/64", ipam.ErrZone, "%eth0"},
		{"10.0.0.1/24", ipam.ErrNotCanonical, "10.0.0.0/24"},
		{"172.18.3.0/21", ipam.ErrNotCanonical, "172.18.0.0/21"},
		{"2001:db8::1/64", ipam.ErrNotCanonical, "2001:db8::/64"},
	}
	for _, tc := range bad {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ipam.ParsePrefix(tc.in)
			if err == nil {
				t.Fatalf("ParsePrefix(%q) = %v, want an error", tc.in, got)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("ParsePrefix(%q) error %q is not %v", tc.in, err, tc.kind)
			}
			var pe *ipam.ParseError
			if !errors.As(err, &pe) || pe.Input != tc.in {
				t.Errorf("ParsePrefix(%q) error %#v is not a *ParseError with the input", tc.in, err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.mention) {
				t.Errorf("ParsePrefix(%q) error %q does not mention %q", tc.in, msg, tc.mention)
			}
		})
	}
}

func TestMustParsePrefixPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParsePrefix(\"10.0.0.1/24\") did not panic")
		}
	}()
	ipam.MustParsePrefix("10.0.0.1/24")
}

func TestUsable(t *testing.T) {
	tests := []struct {
		name string
		p    string
		want int
	}{
		{"NET-14 docs example /21", "172.18.0.0/21", 2043},
		{"NET-14 /24", "10.0.0.0/24", 251},
		{"NET-14 /29", "10.0.0.0/29", 3},
		{"NET-14 /30 has none", "10.0.0.0/30", 0},
		{"NET-14 /32 has none", "10.0.0.7/32", 0},
		{"NET-14 /16", "10.1.0.0/16", 65531},
		{"NET-14 /0", "0.0.0.0/0", 1<<32 - 5},
		{"NET-14 IPv6 /64 capped", "2001:db8::/64", int(^uint(0) >> 1)},
		{"NET-14 IPv6 /120", "2001:db8::/120", 251},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ipam.Usable(mp(tc.p)); got != tc.want {
				t.Errorf("Usable(%s) = %d, want %d", tc.p, got, tc.want) // RULE NET-14
			}
		})
	}
	if got := ipam.Usable(netip.Prefix{}); got != 0 {
		t.Errorf("Usable(zero) = %d, want 0", got)
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct{ p, want string }{
		{"172.18.0.0/21", "172.18.0.0–172.18.7.255, 2,043 addresses for machines"}, // RULE NET-14
		{"10.0.0.0/24", "10.0.0.0–10.0.0.255, 251 addresses for machines"},
		{"10.0.0.0/30", "10.0.0.0–10.0.0.3, 0 addresses for machines"},
		{"10.0.0.0/8", "10.0.0.0–10.255.255.255, 16,777,211 addresses for machines"},
		{"2001:db8::/64", "2001:db8::–2001:db8::ffff:ffff:ffff:ffff, 18,446,744,073,709,551,611 addresses for machines"},
	}
	for _, tc := range tests {
		if got := ipam.Describe(mp(tc.p)); got != tc.want {
			t.Errorf("Describe(%s) = %q, want %q", tc.p, got, tc.want)
		}
	}
}

// TestSpaceNET4 follows the documentation's example (NET-4, NET-5): with a
// customer VNet of 10.0.0.0/16, a Flex range of 192.168.0.0/24 is fine and
// 10.0.0.0/24 overlaps.
func TestSpaceNET4(t *testing.T) {
	t.Run("NET-4 NET-5 docs example", func(t *testing.T) {
		var s ipam.Space
		if err := s.Add("customer VNet hub-vnet", mp("10.0.0.0/16")); err != nil {
			t.Fatal(err)
		}
		fine := mp("192.168.0.0/24")
		if fine.Bits() > ipam.MaxFlexVNetBits { // RULE NET-5
			t.Errorf("%v is longer than /%d", fine, ipam.MaxFlexVNetBits)
		}
		if err := s.Add("Flex connection east", fine); err != nil { // RULE NET-4
			t.Errorf("Add(192.168.0.0/24) = %v, want nil", err)
		}
		err := s.Add("Flex connection west", mp("10.0.0.0/24"))
		var oe *ipam.OverlapError
		if !errors.As(err, &oe) {
			t.Fatalf("Add(10.0.0.0/24) = %v, want *OverlapError", err)
		}
		want := &ipam.OverlapError{Prefix: mp("10.0.0.0/24"), Other: mp("10.0.0.0/16"), OtherOwner: "customer VNet hub-vnet"}
		if diff := cmp.Diff(want, oe, cmpOpts); diff != "" {
			t.Errorf("OverlapError (-want +got):\n%s", diff) // RULE NET-4
		}
		if got, w := err.Error(), "10.0.0.0/24 overlaps 10.0.0.0/16 owned by customer VNet hub-vnet"; got != w {
			t.Errorf("Error() = %q, want %q", got, w)
		}
	})
	t.Run("NET-5 a /25 is longer than the Flex minimum", func(t *testing.T) {
		if p := mp("192.168.0.0/25"); p.Bits() <= ipam.MaxFlexVNetBits {
			t.Errorf("%v accepted as a Flex VNet range", p)
		}
	})
}

func TestSpaceBasics(t *testing.T) {
	var s ipam.Space
	for _, e := range []ipam.Entry{
		{"b", mp("10.0.1.0/24")},
		{"a", mp("10.0.0.0/24")},
		{"v6", mp("2001:db8::/48")},
		{"c", mp("10.0.2.0/23")},
	} {
		if err := s.Add(e.Owner, e.Prefix); err != nil {
			t.Fatalf("Add(%v): %v", e, err)
		}
	}
	want := []ipam.Entry{
		{"a", mp("10.0.0.0/24")},
		{"b", mp("10.0.1.0/24")},
		{"c", mp("10.0.2.0/23")},
		{"v6", mp("2001:db8::/48")},
	}
	if diff := cmp.Diff(want, s.Entries(), cmpOpts); diff != "" {
		t.Errorf("Entries (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[:3], s.Overlapping(mp("10.0.0.0/16")), cmpOpts); diff != "" {
		t.Errorf("Overlapping(10.0.0.0/16) (-want +got):\n%s", diff)
	}
	if got := s.Overlapping(mp("10.1.0.0/16")); got != nil {
		t.Errorf("Overlapping(10.1.0.0/16) = %v, want nil", got)
	}
	if !s.Remove(mp("10.0.1.0/24")) || s.Remove(mp("10.0.1.0/24")) || s.Len() != 3 {
		t.Errorf("Remove(10.0.1.0/24) twice: want true then false and 3 entries, have %d", s.Len())
	}
	c := s.Clone()
	c.Remove(mp("10.0.0.0/24"))
	if s.Len() != 3 || c.Len() != 2 {
		t.Errorf("Clone is not independent: original %d, clone %d", s.Len(), c.Len())
	}
	got, err := s.Allocate("new", mp("10.0.0.0/22"), 24)
	if err != nil || got != mp("10.0.1.0/24") {
		t.Errorf("Allocate /24 = %v, %v; want 10.0.1.0/24", got, err)
	}
	_, err = s.Allocate("new", mp("10.0.0.0/22"), 24)
	var nr *ipam.NoRoomError
	if !errors.As(err, &nr) {
		t.Fatalf("Allocate in a full range = %v, want *NoRoomError", err)
	}
	wantNR := &ipam.NoRoomError{Within: mp("10.0.0.0/22"), Bits: 24, Free: 0, Largest: -1}
	if diff := cmp.Diff(wantNR, nr, cmpOpts); diff != "" {
		t.Errorf("NoRoomError (-want +got):\n%s", diff)
	}
}

func TestAddRefusesBadPrefixes(t *testing.T) {
	var s ipam.Space
	tests := []struct {
		p    netip.Prefix
		kind error
	}{
		{netip.Prefix{}, ipam.ErrSyntax},
		{netip.MustParsePrefix("10.0.0.1/24"), ipam.ErrNotCanonical},
		{netip.MustParsePrefix("::ffff:10.0.0.0/104"), ipam.ErrMapped},
	}
	for _, tc := range tests {
		if err := s.Add("x", tc.p); !errors.Is(err, tc.kind) {
			t.Errorf("Add(%v) = %v, want %v", tc.p, err, tc.kind)
		}
	}
	if s.Len() != 0 {
		t.Errorf("Len = %d after refused adds", s.Len())
	}
}

func TestCheckDisjointNET4(t *testing.T) {
	err := ipam.CheckDisjoint(
		ipam.Entry{"customer VNet hub-vnet", mp("10.0.0.0/16")},
		ipam.Entry{"Flex connection east", mp("192.168.0.0/24")},
		ipam.Entry{"Flex connection west", mp("10.0.0.0/24")},
		ipam.Entry{"on-premises", mp("10.0.0.0/8")},
	)
	want := []*rule.Violation{
		{ID: "NET-4", Msg: "10.0.0.0/24 of Flex connection west overlaps 10.0.0.0/16 owned by customer VNet hub-vnet; address ranges must not share any address"},
		{ID: "NET-4", Msg: "10.0.0.0/8 of on-premises overlaps 10.0.0.0/16 owned by customer VNet hub-vnet; address ranges must not share any address"},
		{ID: "NET-4", Msg: "10.0.0.0/8 of on-premises overlaps 10.0.0.0/24 owned by Flex connection west; address ranges must not share any address"},
	}
	if diff := cmp.Diff(want, rule.Violations(err)); diff != "" {
		t.Errorf("CheckDisjoint violations (-want +got):\n%s", diff) // RULE NET-4
	}
	if err := ipam.CheckDisjoint(ipam.Entry{"a", mp("10.0.0.0/24")}, ipam.Entry{"b", mp("10.0.1.0/24")}); err != nil {
		t.Errorf("CheckDisjoint of disjoint ranges = %v", err)
	}
}

func TestAzureReservedAZ1(t *testing.T) {
	tests := []struct {
		name string
		p    string
		want string // "" for none
	}{
		{"AZ-1 multicast", "224.1.0.0/16", "224.0.0.0/4"},
		{"AZ-1 broadcast", "255.255.255.255/32", "255.255.255.255/32"},
		{"AZ-1 reserved 240/4 holds the broadcast", "240.0.0.0/4", "255.255.255.255/32"},
		{"AZ-1 loopback", "127.0.0.0/24", "127.0.0.0/8"},
		{"AZ-1 link-local", "169.254.10.0/24", "169.254.0.0/16"},
		{"AZ-1 Azure DNS", "168.63.128.0/22", "168.63.129.16/32"},
		{"AZ-1 everything overlaps multicast first", "0.0.0.0/0", "224.0.0.0/4"},
		{"AZ-1 private range is fine", "10.0.0.0/8", ""},
		{"AZ-1 next to Azure DNS is fine", "168.63.130.0/24", ""},
		{"AZ-1 IPv6 is not checked", "2001:db8::/32", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ipam.AzureReserved(mp(tc.p))
			if ok != (tc.want != "") || (ok && got != mp(tc.want)) {
				t.Errorf("AzureReserved(%s) = %v, %v; want %q", tc.p, got, ok, tc.want) // RULE AZ-1
			}
		})
	}
}

func TestIsRFC1918(t *testing.T) {
	for p, want := range map[string]bool{
		"10.0.0.0/8": true, "10.20.0.0/16": true, "172.16.0.0/12": true, "172.31.255.0/24": true,
		"192.168.0.0/16": true, "192.168.5.0/24": true, "172.32.0.0/16": false, "10.0.0.0/7": false,
		"172.0.0.0/8": false, "0.0.0.0/0": false, "8.8.8.0/24": false, "fd00::/8": false,
	} {
		if got := ipam.IsRFC1918(mp(p)); got != want {
			t.Errorf("IsRFC1918(%s) = %v, want %v", p, got, want)
		}
	}
}

func TestIsPublicUnicast(t *testing.T) {
	for a, want := range map[string]bool{
		"8.8.8.8": true, "20.30.40.50": true, "1.1.1.1": true, "100.63.255.255": true, "100.128.0.0": true,
		"10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false, "100.64.0.1": false,
		"127.0.0.1": false, "169.254.1.1": false, "224.0.0.1": false, "239.255.255.255": false,
		"255.255.255.255": false, "240.0.0.1": false, "0.0.0.0": false, "0.1.2.3": false,
		"192.0.2.10": false, "198.51.100.1": false, "203.0.113.9": false, "198.18.0.1": false,
		"192.0.0.8": false, "192.88.99.1": false, "2001:4860::8888": false, "::ffff:8.8.8.8": false,
	} {
		if got := ipam.IsPublicUnicast(netip.MustParseAddr(a)); got != want {
			t.Errorf("IsPublicUnicast(%s) = %v, want %v", a, got, want)
		}
	}
}

// A nil *Space answers the read-only questions as an empty one, so that
// callers may pass "no addresses in use" as nil.
func TestNilSpaceIsEmpty(t *testing.T) {
	var s *ipam.Space
	if s.Len() != 0 || s.Entries() != nil || s.Overlapping(ipam.MustParsePrefix("10.0.0.0/8")) != nil {
		t.Error("a nil Space is not empty")
	}
	if c := s.Clone(); c == nil || c.Len() != 0 {
		t.Errorf("Clone of nil = %v", c)
	}
}

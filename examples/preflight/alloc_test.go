package main

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// azureReserved are the ranges an address space may not include (AZ-1).
var azureReserved = []netip.Prefix{
	netip.MustParsePrefix("224.0.0.0/4"), netip.MustParsePrefix("255.255.255.255/32"),
	netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("168.63.129.16/32"),
}

func overlapsAny(p netip.Prefix, ps []netip.Prefix) bool {
	return slices.ContainsFunc(ps, p.Overlaps)
}

// lowestFree is the model of allocation: the lowest block of prefix length
// bits in pool that overlaps none of taken, found by trying every block in
// address order.
func lowestFree(pool netip.Prefix, bits int, taken []netip.Prefix) (netip.Prefix, bool) {
	step := uint32(1) << (32 - bits)
	a := pool.Addr().As4()
	start := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	for off := uint64(0); off < uint64(1)<<(32-pool.Bits()); off += uint64(step) {
		v := start + uint32(off)
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), bits)
		if !overlapsAny(p, taken) {
			return p, true
		}
	}
	return netip.Prefix{}, false
}

// genPrefix draws an IPv4 prefix of prefix length in [minBits, maxBits]
// inside 10.0.0.0/8, 172.16.0.0/12 or 168.63.0.0/16 (near Azure's DNS).
func genPrefix(t *rapid.T, label string, minBits, maxBits int) netip.Prefix {
	base := rapid.SampledFrom([]netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("168.63.0.0/16"),
	}).Draw(t, label+" base")
	bits := rapid.IntRange(max(minBits, base.Bits()), maxBits).Draw(t, label+" bits")
	a := base.Addr().As4()
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	v += rapid.Uint32Range(0, 1<<(32-base.Bits())-1).Draw(t, label+" offset")
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), bits).Masked()
}

// TestAllocationProperties generates plans of customer networks and No
// connectivity connections in two subscriptions, with fixed ranges and
// "any /N" requests, and checks against a brute-force model:
//
//   - every request gets exactly the lowest block of the pool that overlaps
//     no customer network, no fixed range, no earlier allocation and no range
//     Azure reserves (AZ-1), or a NET-4 problem when there is none;
//   - a connection has a NET-4 problem exactly when its range overlaps a
//     customer network or a connection before it in the same subscription,
//     so allocated ranges never draw one.
func TestAllocationProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pool := rapid.SampledFrom([]netip.Prefix{
			netip.MustParsePrefix("10.0.0.0/14"), netip.MustParsePrefix("172.16.0.0/15"), netip.MustParsePrefix("168.63.128.0/18"),
		}).Draw(t, "pool")
		p := &planFile{AddressPool: pool.String(), Subscriptions: []subscriptionFile{{Name: "A"}, {Name: "B"}}}
		var customer []netip.Prefix
		for i := range rapid.IntRange(0, 4).Draw(t, "networks") {
			n := genPrefix(t, fmt.Sprint("network ", i), 12, 24)
			customer = append(customer, n)
			p.CustomerNetworks = append(p.CustomerNetworks, networkFile{Name: fmt.Sprint("net", i), Ranges: []string{n.String()}})
		}
		type conn struct {
			sub   string
			fixed netip.Prefix // zero for "any /bits"
			bits  int
		}
		var conns []conn
		for i := range rapid.IntRange(1, 6).Draw(t, "connections") {
			c := conn{sub: rapid.SampledFrom([]string{"A", "B"}).Draw(t, fmt.Sprint("sub ", i))}
			text := ""
			if rapid.Bool().Draw(t, fmt.Sprint("fixed ", i)) {
				c.fixed = genPrefix(t, fmt.Sprint("range ", i), 16, 24)
				text = c.fixed.String()
			} else {
				c.bits = rapid.IntRange(16, 24).Draw(t, fmt.Sprint("bits ", i))
				text = fmt.Sprintf("any /%d", c.bits)
			}
			conns = append(conns, c)
			p.Connections = append(p.Connections, connectionFile{Name: fmt.Sprint("c", i), Subscription: c.sub,
				Kind: "No connectivity", Region: "uksouth", Range: text})
		}

		c := newChecker()
		c.run(p)
		r := c.rep

		// The model.
		taken := slices.Concat(azureReserved, customer)
		for _, c := range conns {
			if c.fixed.IsValid() {
				taken = append(taken, c.fixed)
			}
		}
		want := map[string]string{} // connection → range, or "" when no room
		ranges := map[string]netip.Prefix{}
		for i, c := range conns {
			name := fmt.Sprint("c", i)
			if c.fixed.IsValid() {
				ranges[name] = c.fixed
				continue
			}
			if got, ok := lowestFree(pool, c.bits, taken); ok {
				taken = append(taken, got)
				want[name], ranges[name] = got.String(), got
			} else {
				want[name] = ""
			}
		}
		got := map[string]string{}
		for _, row := range r.Plan.Ranges {
			if strings.HasPrefix(row.Source, "allocated") {
				got[row.Connection] = row.Range
			}
		}
		netProblems := map[string]bool{}
		for _, f := range r.Problems {
			if f.Rule == "NET-4" {
				name := strings.Trim(strings.TrimPrefix(f.Where, "connection "), `"`)
				netProblems[name] = true
				if _, ok := want[name]; ok && want[name] == "" {
					got[name] = "" // refused for want of room
				}
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("allocations (-model +preflight):\n%s\nproblems: %v", diff, r.Problems)
		}

		wantNet := map[string]bool{}
		for i, c := range conns {
			name := fmt.Sprint("c", i)
			pr, ok := ranges[name]
			if !ok {
				wantNet[name] = true // no room
				continue
			}
			bad := overlapsAny(pr, customer)
			for j := range i {
				if prev, ok := ranges[fmt.Sprint("c", j)]; ok && conns[j].sub == c.sub && prev.Overlaps(pr) {
					bad = true
				}
			}
			if bad {
				wantNet[name] = true
			}
		}
		if diff := cmp.Diff(wantNet, netProblems, cmpEmptyMap); diff != "" {
			t.Fatalf("NET-4 problems (-model +preflight):\n%s\nproblems: %v", diff, r.Problems)
		}
	})
}

var cmpEmptyMap = cmp.FilterValues(func(a, b map[string]bool) bool { return len(a) == 0 && len(b) == 0 }, cmp.Ignore())

package flextest

import (
	"fmt"
	"net/netip"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/ipam"
)

// The private IPv4 ranges of RFC 1918, where Flex ranges are drawn from.
var rfc1918 = [...]netip.Prefix{
	netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, 0}), 8),
	netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 16, 0, 0}), 12),
	netip.PrefixFrom(netip.AddrFrom4([4]byte{192, 168, 0, 0}), 16),
}

// u32 returns an IPv4 address as a number.
func u32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// addr4 returns the IPv4 address with number v.
func addr4(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// checkBits panics unless 0 ≤ minBits ≤ maxBits ≤ 32: a generator asked
// for prefix lengths no IPv4 prefix has is a mistake in the test.
func checkBits(fn string, minBits, maxBits int) {
	if minBits < 0 || maxBits > 32 || minBits > maxBits {
		panic(fmt.Sprintf("flextest.%s: prefix lengths %d to %d; want 0 ≤ minBits ≤ maxBits ≤ 32", fn, minBits, maxBits))
	}
}

// checkWithin panics unless within is a canonical IPv4 prefix.
func checkWithin(fn string, within netip.Prefix) {
	if !within.IsValid() || !within.Addr().Is4() || within.Masked() != within {
		panic(fmt.Sprintf("flextest.%s: range %v is not a canonical IPv4 prefix", fn, within))
	}
}

// drawIn draws a canonical prefix of bits bits inside block (bits ≥
// block.Bits()).
func drawIn(t *rapid.T, label string, block netip.Prefix, bits int) netip.Prefix {
	n := uint64(1) << (bits - block.Bits()) // aligned blocks of that size in block
	i := rapid.Uint64Range(0, n-1).Draw(t, label)
	off := uint32(0)
	if bits > 0 {
		off = uint32(i << (32 - bits))
	}
	return netip.PrefixFrom(addr4(u32(block.Addr())+off), bits)
}

// Prefix returns a generator of canonical IPv4 prefixes (no host bits set)
// anywhere in the address space, with a prefix length from minBits to
// maxBits. Every prefix it draws is valid, IPv4, equal to its Masked form,
// and parses back from its String with ipam.ParsePrefix.
//
// It panics unless 0 ≤ minBits ≤ maxBits ≤ 32.
func Prefix(minBits, maxBits int) *rapid.Generator[netip.Prefix] {
	checkBits("Prefix", minBits, maxBits)
	all := netip.PrefixFrom(netip.IPv4Unspecified(), 0)
	return rapid.Custom(func(t *rapid.T) netip.Prefix {
		bits := rapid.IntRange(minBits, maxBits).Draw(t, "bits")
		return drawIn(t, "block", all, bits)
	})
}

// PrefixIn returns a generator of canonical IPv4 prefixes inside within,
// with a prefix length from max(minBits, within.Bits()) to maxBits. Every
// prefix it draws has what Prefix guarantees and lies in within
// (within.Contains its address and it is no larger).
//
// It panics when within is not a canonical IPv4 prefix or the lengths are
// impossible (maxBits below within.Bits(), above 32, or below minBits).
func PrefixIn(within netip.Prefix, minBits, maxBits int) *rapid.Generator[netip.Prefix] {
	checkWithin("PrefixIn", within)
	lo := max(minBits, within.Bits())
	checkBits("PrefixIn", lo, maxBits)
	return rapid.Custom(func(t *rapid.T) netip.Prefix {
		bits := rapid.IntRange(lo, maxBits).Draw(t, "bits")
		return drawIn(t, "block", within, bits)
	})
}

// PrivatePrefix returns a generator of canonical IPv4 prefixes inside one of
// the private ranges of RFC 1918 (10.0.0.0/8, 172.16.0.0/12 and
// 192.168.0.0/16), with a prefix length from minBits to maxBits (a /9 can
// only come from 10.0.0.0/8, a /14 from 10.0.0.0/8 or 172.16.0.0/12). Every prefix it draws has what Prefix guarantees, ipam.IsRFC1918 holds for
// it, and it includes none of the ranges Azure reserves (ipam.AzureReserved
// reports false), so it suits a Flex range.
//
// It panics unless 0 ≤ minBits ≤ maxBits ≤ 32 and maxBits ≥ 8.
func PrivatePrefix(minBits, maxBits int) *rapid.Generator[netip.Prefix] {
	checkBits("PrivatePrefix", minBits, maxBits)
	var blocks []netip.Prefix
	for _, b := range rfc1918 {
		if b.Bits() <= maxBits {
			blocks = append(blocks, b)
		}
	}
	if len(blocks) == 0 {
		panic(fmt.Sprintf("flextest.PrivatePrefix: no private range has room for a /%d or longer; want maxBits ≥ 8", maxBits))
	}
	return rapid.Custom(func(t *rapid.T) netip.Prefix {
		b := rapid.SampledFrom(blocks).Draw(t, "private")
		bits := rapid.IntRange(max(minBits, b.Bits()), maxBits).Draw(t, "bits")
		return drawIn(t, "block", b, bits)
	})
}

// ownerKinds are the owners a disjoint plan's entries are labelled with.
var ownerKinds = [...]string{"customer VNet", "Flex connection", "on-premises network", "vWAN hub", "branch office"}

// DisjointPlan returns a generator of address plans: from 0 to maxEntries
// owner-labelled canonical IPv4 prefixes inside within, each with a prefix
// length from max(minBits, within.Bits()) to maxBits, that never share an
// address. It guarantees that
//
//   - ipam.CheckDisjoint(plan...) is nil;
//   - adding the entries to an empty ipam.Space in any order succeeds
//     (MustSpace does that);
//   - every entry's Owner is a distinct, non-empty label such as
//     "customer VNet 3".
//
// Entries come in the order they were drawn, not sorted. A plan has fewer
// than the entries drawn when within has no room left for another prefix
// of at most maxBits; use a within much larger than 2^(32-maxBits)
// addresses to get long plans. Plans shrink towards fewer, larger entries
// at the start of within.
//
// It panics when within is not a canonical IPv4 prefix, the lengths are
// impossible (see PrefixIn) or maxEntries is negative.
func DisjointPlan(within netip.Prefix, minBits, maxBits, maxEntries int) *rapid.Generator[[]ipam.Entry] {
	checkWithin("DisjointPlan", within)
	lo := max(minBits, within.Bits())
	checkBits("DisjointPlan", lo, maxBits)
	if maxEntries < 0 {
		panic(fmt.Sprintf("flextest.DisjointPlan: maxEntries %d is negative", maxEntries))
	}
	return rapid.Custom(func(t *rapid.T) []ipam.Entry {
		n := rapid.IntRange(0, maxEntries).Draw(t, "entries")
		ps := disjoint(t, []netip.Prefix{within}, n, lo, maxBits)
		plan := make([]ipam.Entry, len(ps))
		for i, p := range ps {
			kind := rapid.SampledFrom(ownerKinds[:]).Draw(t, "owner")
			plan[i] = ipam.Entry{Owner: fmt.Sprintf("%s %d", kind, i+1), Prefix: p}
		}
		return plan
	})
}

// disjoint draws up to n pairwise disjoint canonical prefixes of minBits to
// maxBits inside the free blocks, which must be disjoint themselves.
func disjoint(t *rapid.T, free []netip.Prefix, n, minBits, maxBits int) []netip.Prefix {
	free = append([]netip.Prefix(nil), free...)
	var out []netip.Prefix
	for range n {
		var fit []int // free blocks with room for a /maxBits
		for i, b := range free {
			if b.Bits() <= maxBits {
				fit = append(fit, i)
			}
		}
		if len(fit) == 0 {
			break
		}
		i := fit[rapid.IntRange(0, len(fit)-1).Draw(t, "free")]
		b := free[i]
		bits := rapid.IntRange(max(minBits, b.Bits()), maxBits).Draw(t, "bits")
		p := drawIn(t, "block", b, bits)
		free = append(free[:i], free[i+1:]...)
		free = append(free, split(b, p)...)
		out = append(out, p)
	}
	return out
}

// split returns the blocks of b not in p, which lies in b: one sibling per
// prefix length from b.Bits()+1 to p.Bits().
func split(b, p netip.Prefix) []netip.Prefix {
	var rest []netip.Prefix
	for cur := b; cur.Bits() < p.Bits(); {
		lo := netip.PrefixFrom(cur.Addr(), cur.Bits()+1)
		hi := netip.PrefixFrom(addr4(u32(cur.Addr())|1<<(31-cur.Bits())), cur.Bits()+1)
		if lo.Contains(p.Addr()) {
			rest, cur = append(rest, hi), lo
		} else {
			rest, cur = append(rest, lo), hi
		}
	}
	return rest
}

// MustSpace returns an ipam.Space holding entries, such as a plan drawn
// from DisjointPlan, to validate connection specs against. It panics when
// an entry cannot be added (it overlaps another, or its prefix is invalid
// or not canonical), which never happens for a plan from DisjointPlan.
func MustSpace(entries []ipam.Entry) *ipam.Space {
	var s ipam.Space
	for _, e := range entries {
		if err := s.Add(e.Owner, e.Prefix); err != nil {
			panic("flextest.MustSpace: " + err.Error())
		}
	}
	return &s
}

package ipam

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/daasflex/daasflex/rule"
)

// AddAll adds every entry to the Space, or none of them. When an entry's
// prefix cannot be in a Space (invalid, IPv4-mapped or not canonical), or
// overlaps another entry or a range already in the Space (NET-4), it
// returns every such problem at once, one per line, and leaves the Space as
// it was.
//
// It is the fast way to fill a Space with many ranges, such as an address
// plan read back from storage: it sorts the entries and rebuilds the
// Space in one pass, in O((n+m) + m log m) time for m entries added to n,
// where m calls of Add would each search and shift.
func (s *Space) AddAll(entries ...Entry) error {
	var l, inUse rule.List
	var news [2][]bulkEntry // IPv4, IPv6
	news[0] = make([]bulkEntry, 0, len(entries))
	var names []string // the owners, each once
	ids := map[string]uint32{}
	for i, e := range entries {
		if err := checkPrefix("add", e.Prefix); err != nil {
			l.Append(fmt.Errorf("entry %d (%s): %w", i+1, e, err))
			continue
		}
		if s.Len() > 0 {
			// The lowest range in use it overlaps is enough to name.
			if o := s.lowestOverlap(e.Prefix); o.Prefix.IsValid() {
				addOverlap(&inUse, e, o)
			}
		}
		id, ok := ids[e.Owner]
		if !ok {
			id = uint32(len(names))
			ids[e.Owner] = id
			names = append(names, e.Owner)
		}
		a := e.Prefix.Addr()
		fam := 0
		if !a.Is4() {
			fam = 1
		}
		news[fam] = append(news[fam], bulkEntry{first: toU128(a), host: uint8(a.BitLen() - e.Prefix.Bits()), owner: id, i: i})
	}
	sortBulk(news[0])
	sortBulk(news[1])
	for _, pr := range overlappingPairs(news[0], news[1]) {
		addOverlap(&l, entries[pr[1]], entries[pr[0]])
	}
	l.Append(inUse.Err())
	if err := l.Err(); err != nil {
		return err
	}
	for fam, lst := range []*list{&s.v4, &s.v6} {
		if len(news[fam]) > 0 {
			*lst = lst.merged(news[fam], names)
		}
	}
	return nil
}

// packedLimit is the number of entries from which sortBulk cannot pack an
// IPv4 entry's position into 24 bits of its sort key.
var packedLimit = 1 << 24

// bulkEntry is an entry of AddAll: its first address, host bits, owner and
// index in the caller's slice.
type bulkEntry struct {
	first u128
	host  uint8
	owner uint32 // index in AddAll's owner names
	i     int
}

// sortBulk sorts entries by first address, shorter prefixes first among
// equal ones, so that the ranges inside a range directly follow it.
func sortBulk(es []bulkEntry) {
	if slices.IsSortedFunc(es, compareBulk) {
		return
	}
	if len(es) < 64 || len(es) >= packedLimit || slices.ContainsFunc(es, func(e bulkEntry) bool { return e.first.hi != 0 || e.first.lo >= 1<<32 }) {
		slices.SortFunc(es, compareBulk)
		return
	}
	// IPv4-sized keys: radix sort integers holding the address, the
	// inverted host bits and the position, then put the entries in
	// their order.
	keys := make([]uint64, len(es))
	for j, e := range es {
		keys[j] = e.first.lo<<32 | uint64(255-e.host)<<24 | uint64(j)
	}
	radixSort(keys, 24)
	sorted := make([]bulkEntry, len(es))
	for j, k := range keys {
		sorted[j] = es[k&(1<<24-1)]
	}
	copy(es, sorted)
}

func compareBulk(a, b bulkEntry) int {
	if c := a.first.cmp(b.first); c != 0 {
		return c
	}
	return int(b.host) - int(a.host)
}

// radixSort sorts keys by their bits from bit low up, stably (a least
// significant digit radix sort, a byte at a time, that skips the bytes
// all keys share).
func radixSort(keys []uint64, low uint) {
	if len(keys) < 2 {
		return
	}
	buf := make([]uint64, len(keys))
	src, dst := keys, buf
	for shift := low; shift < 64; shift += 8 {
		var count [256]int
		for _, k := range src {
			count[byte(k>>shift)]++
		}
		if count[byte(src[0]>>shift)] == len(src) {
			continue
		}
		at := 0
		for d, c := range count {
			count[d] = at
			at += c
		}
		for _, k := range src {
			d := byte(k >> shift)
			dst[count[d]] = k
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
}

func (e bulkEntry) last() u128 { return e.first.or(ones(int(e.host))) }

// overlappingPairs returns the input positions of every pair of sorted
// entries (per family) that share an address, each pair in input order,
// the pairs sorted.
func overlappingPairs(fams ...[]bulkEntry) [][2]int {
	var pairs [][2]int
	for _, sorted := range fams {
		for k, outer := range sorted {
			last := outer.last()
			for _, inner := range sorted[k+1:] {
				if last.less(inner.first) {
					break
				}
				pairs = append(pairs, [2]int{min(outer.i, inner.i), max(outer.i, inner.i)})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	return pairs
}

// lowestOverlap returns the lowest entry of the Space that shares an
// address with the canonical prefix p, or the zero Entry. It does not
// allocate.
func (s *Space) lowestOverlap(p netip.Prefix) Entry {
	l, is4 := s.list(p.Addr())
	first, last := bounds(p)
	_, end, found := l.floorLast(last)
	if !found || end.less(first) {
		return Entry{}
	}
	// The lowest entry p overlaps is the first that ends at or after
	// first.
	low, ok := l.floor(first)
	if !ok || l.lastAddr(low).less(first) {
		low, _ = l.successor(low, ok)
	}
	return l.entry(low, is4)
}

// bulkFill is how full merged builds chunks: room for later Adds without
// splitting at once, few chunks to search.
const bulkFill = maxChunk * 3 / 4

// merged returns a new list holding the entries of l and the sorted news
// (which overlap neither each other nor l), whose owners are names.
func (l *list) merged(news []bulkEntry, names []string) list {
	var out list
	out.owners = l.owners.clone()
	var ch *chunk
	push := func(k u128, host uint8, owner uint32) {
		if ch == nil || ch.n == bulkFill {
			ch = &chunk{}
			out.chunks = append(out.chunks, ch)
			out.firstHi = append(out.firstHi, k.hi)
			out.firstLo = append(out.firstLo, k.lo)
			out.tops = append(out.tops, 0)
		}
		i := ch.n
		ch.hi[i], ch.lo[i], ch.hosts[i], ch.owner[i] = k.hi, k.lo, host, owner
		ch.n++
		out.n++
		if k.hi != 0 {
			out.wide = true
		}
	}
	// Intern each owner once, then count its entries.
	ids := make([]uint32, len(names))
	used := make([]bool, len(names))
	for _, n := range news {
		used[n.owner] = true
	}
	for j, name := range names {
		if used[j] {
			ids[j] = out.owners.intern(name)
			out.owners.refs[ids[j]]--
		}
	}
	p, more := l.first()
	for _, n := range news {
		for more && l.key(p).less(n.first) {
			c := l.chunks[p.c]
			push(l.key(p), c.hosts[p.i], c.owner[p.i])
			p, more = l.next(p)
		}
		id := ids[n.owner]
		out.owners.refs[id]++
		push(n.first, n.host, id)
	}
	for ; more; p, more = l.next(p) {
		c := l.chunks[p.c]
		push(l.key(p), c.hosts[p.i], c.owner[p.i])
	}
	// Tag every entry with the gap before it, in one pass.
	var next u128 // the first address after the previous entry
	for c, ch := range out.chunks {
		var top uint8
		for i := range ch.n {
			k := u128{ch.hi[i], ch.lo[i]}
			var t uint8
			if k != next {
				t = gapTag(next, k.subOne())
			}
			ch.tags[i] = t
			top = max(top, t)
			next, _ = k.or(ones(int(ch.hosts[i]))).addOne()
		}
		out.tops[c] = top
	}
	out.regroup(0)
	return out
}

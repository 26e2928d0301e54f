package ipam

import (
	"encoding/binary"
	"maps"
	"math/bits"
	"slices"
)

// maxChunk bounds the length of a chunk of a list: an insert or delete
// moves at most this many entries, plus one directory entry per chunk
// when a chunk splits or merges (once in about maxChunk/4 operations).
const maxChunk = 128

// group is how many chunks share one summary tag in the directory.
const group = 64

// list is the ordered set of the entries of one address family, keyed by
// their first address, each tagged with gapTag of the free gap before it.
// It is a sorted array cut into chunks of at most maxChunk entries, with a
// directory of each chunk's first key and greatest tag, and the greatest
// tag of every group of chunks. Lookups are two binary searches; inserts
// and deletes move at most one chunk; a search for a large enough gap
// skips whole groups and chunks. The zero value is an empty list.
//
// Keys are kept as separate high and low halves: while no key has a high
// half (always so for IPv4), searches read only the low halves and the
// high halves are neither read nor moved.
type list struct {
	firstHi, firstLo []uint64 // first key of each chunk
	tops             []uint8  // greatest tag of each chunk
	groups           []uint8  // groups[g] == max(tops[g*group : (g+1)*group])
	chunks           []*chunk
	n                int
	wide             bool // some key has a high half
	owners           owners
}

// chunk holds its entries inline and free of pointers, so a lookup follows
// one pointer and the garbage collector need not scan it.
type chunk struct {
	n     int
	hi    [maxChunk]uint64 // sorted keys, high halves (zero unless wide)
	lo    [maxChunk]uint64 // and low halves
	tags  [maxChunk]uint8
	hosts [maxChunk]uint8  // host bits: address length - prefix length
	owner [maxChunk]uint32 // owner IDs in the list's owners
}

// pos is the position of an entry: chunk c, index i in that chunk.
type pos struct{ c, i int }

// upperBoundChunk returns the index of the first key greater than k among
// the keys of one chunk (at most
// maxChunk). It compares k with every eighth key, then with the eight keys
// of the block that holds the answer: the comparisons of each round are
// independent, so the processor overlaps their loads, where a binary
// search waits for each load before the next.
func upperBoundChunk(keys []uint64, k uint64) int {
	return upperBoundIn(keys, blockOf(keys, k), k)
}

// blockOf returns the index of the first key of the block of eight keys
// that holds the upper bound of k in keys (at most maxChunk-8).
func blockOf(keys []uint64, k uint64) int {
	blocks := 0
	for j := 8; j < len(keys); j += 8 {
		_, less := bits.Sub64(k, keys[j], 0)
		blocks += int(less ^ 1)
	}
	return blocks * 8
}

// upperBoundIn returns the upper bound of k in keys, knowing it lies in
// the block of eight keys from start.
func upperBoundIn(keys []uint64, start int, k uint64) int {
	i := start
	for _, x := range keys[start:min(start+8, len(keys))] {
		_, less := bits.Sub64(k, x, 0)
		i += int(less ^ 1)
	}
	return i
}

// floorLast is floor that also returns the last address of the entry it
// finds.
func (l *list) floorLast(k u128) (pos, u128, bool) {
	if !l.wide && k.hi == 0 {
		return l.floorNarrow(k.lo)
	}
	p, ok := l.floor(k)
	if !ok {
		return p, u128{}, false
	}
	return p, l.lastAddr(p), true
}

// floorNarrow is floorLast in a list whose keys have no high half (the
// common case, IPv4 among others). It reads the host bits of the block
// the key search settles on while comparing its keys, so that the two
// loads overlap.
func (l *list) floorNarrow(k uint64) (pos, u128, bool) {
	c := upperBoundWide(l.firstLo, k) - 1
	if c < 0 {
		return pos{}, u128{}, false
	}
	ch := l.chunks[c]
	keys := ch.lo[:ch.n]
	start := blockOf(keys, k)
	hosts := binary.LittleEndian.Uint64(ch.hosts[start : start+8])
	// The floor is in the block: its first key is at most k (the first
	// key of the chunk, or a key blockOf counted).
	i := upperBoundIn(keys, start, k) - 1
	host := uint8(hosts >> (8 * (i - start)))
	return pos{c, i}, u128{0, keys[i]}.or(ones(int(host))), true
}

// upperBoundWide is upperBoundChunk for longer key lists: binary search
// steps down to at most maxChunk keys, then upperBoundChunk.
func upperBoundWide(keys []uint64, k uint64) int {
	base, n := 0, len(keys)
	for n > maxChunk {
		// The answer lies in [base, base+n].
		half := n >> 1
		_, less := bits.Sub64(k, keys[base+half], 0)
		base += half * int(less^1)
		n -= half
	}
	return base + upperBoundChunk(keys[base:base+n], k)
}

// upperBound128 returns the index of the first key greater than k among
// keys split into halves, without branches that depend on the keys.
func upperBound128(his, los []uint64, k u128) int {
	n := len(los)
	if n == 0 {
		return 0
	}
	base := 0
	for n > 1 {
		half := n >> 1
		_, less := bits.Sub64(k.lo, los[base+half], 0)
		_, less = bits.Sub64(k.hi, his[base+half], less)
		base += half * int(less^1)
		n -= half
	}
	_, less := bits.Sub64(k.lo, los[base], 0)
	_, less = bits.Sub64(k.hi, his[base], less)
	return base + int(less^1)
}

// search returns the index of the first key greater than k among his and
// los in floor's cases other than floorNarrow's: a wide list, or a key
// above every key of a narrow one.
func (l *list) search(his, los []uint64, k u128) int {
	if !l.wide {
		return len(los)
	}
	return upperBound128(his, los, k)
}

func (l *list) key(p pos) u128 {
	ch := l.chunks[p.c]
	return u128{ch.hi[p.i], ch.lo[p.i]}
}

// lastAddr returns the last address of the entry at p.
func (l *list) lastAddr(p pos) u128 {
	ch := l.chunks[p.c]
	return u128{ch.hi[p.i], ch.lo[p.i]}.or(ones(int(ch.hosts[p.i])))
}

// floor returns the position of the greatest key ≤ k.
func (l *list) floor(k u128) (pos, bool) {
	if !l.wide && k.hi == 0 {
		p, _, ok := l.floorNarrow(k.lo)
		return p, ok
	}
	c := l.search(l.firstHi, l.firstLo, k) - 1
	if c < 0 {
		return pos{}, false
	}
	ch := l.chunks[c]
	return pos{c, l.search(ch.hi[:ch.n], ch.lo[:ch.n], k) - 1}, true
}

// first returns the position of the smallest key.
func (l *list) first() (pos, bool) { return pos{}, l.n > 0 }

// last returns the position of the greatest key.
func (l *list) last() (pos, bool) {
	c := len(l.chunks) - 1
	if c < 0 {
		return pos{}, false
	}
	return pos{c, l.chunks[c].n - 1}, true
}

// next returns the position after p.
func (l *list) next(p pos) (pos, bool) {
	if p.i+1 < l.chunks[p.c].n {
		return pos{p.c, p.i + 1}, true
	}
	if p.c+1 < len(l.chunks) {
		return pos{p.c + 1, 0}, true
	}
	return pos{}, false
}

// prev returns the position before p.
func (l *list) prev(p pos) (pos, bool) {
	if p.i > 0 {
		return pos{p.c, p.i - 1}, true
	}
	if p.c > 0 {
		return pos{p.c - 1, l.chunks[p.c-1].n - 1}, true
	}
	return pos{}, false
}

// successor returns the position after floor position f (found is
// floor's second result; false means before every entry).
func (l *list) successor(f pos, found bool) (pos, bool) {
	if !found {
		return l.first()
	}
	return l.next(f)
}

// nextTagged returns the first position after p whose tag is at least
// want, skipping groups and chunks whose greatest tag is smaller.
func (l *list) nextTagged(p pos, want uint8) (pos, bool) {
	ch := l.chunks[p.c]
	if i := firstAtLeast(ch.tags[p.i+1:ch.n], want); i >= 0 {
		return pos{p.c, p.i + 1 + i}, true
	}
	for c := p.c + 1; c < len(l.tops); {
		g := c / group
		if l.groups[g] >= want {
			end := min((g+1)*group, len(l.tops))
			if j := firstAtLeast(l.tops[c:end], want); j >= 0 {
				c += j
				ch := l.chunks[c]
				return pos{c, firstAtLeast(ch.tags[:ch.n], want)}, true
			}
		}
		h := firstAtLeast(l.groups[g+1:], want)
		if h < 0 {
			break
		}
		c = (g + 1 + h) * group
	}
	return pos{}, false
}

// firstAtLeast returns the index of the first byte of b that is at least
// want, or -1. It tests eight bytes at a time.
func firstAtLeast(b []uint8, want uint8) int {
	i := 0
	if want >= 1 && want <= 128 {
		// A byte x < 128 has its top bit set in x + (128-want) exactly
		// when x ≥ want, and bytes ≥ 128 are at least want anyway, so no
		// carry between bytes can make a word look like a hit.
		const ones, tops = 0x0101010101010101, 0x8080808080808080
		add := ones * uint64(128-want)
		for ; i+8 <= len(b); i += 8 {
			if x := binary.LittleEndian.Uint64(b[i:]); (x+add|x)&tops != 0 {
				break
			}
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= want {
			return i
		}
	}
	return -1
}

// setTag replaces the tag at p.
func (l *list) setTag(p pos, t uint8) {
	ch := l.chunks[p.c]
	old := ch.tags[p.i]
	ch.tags[p.i] = t
	switch {
	case t > l.tops[p.c]:
		l.setTop(p.c, t)
	case t < old && old == l.tops[p.c]:
		l.setTop(p.c, ch.top())
	}
}

// setTop sets the greatest tag of chunk c and updates its group.
func (l *list) setTop(c int, t uint8) {
	old := l.tops[c]
	l.tops[c] = t
	g := c / group
	switch {
	case t > l.groups[g]:
		l.groups[g] = t
	case t < old && old == l.groups[g]:
		l.groups[g] = slices.Max(l.tops[g*group : min((g+1)*group, len(l.tops))])
	}
}

// regroup recomputes the group tags from the group of chunk c on, after
// chunks were inserted or deleted.
func (l *list) regroup(c int) {
	n := (len(l.tops) + group - 1) / group
	l.groups = slices.Grow(l.groups[:min(len(l.groups), n)], n)[:n]
	for g := c / group; g < n; g++ {
		l.groups[g] = slices.Max(l.tops[g*group : min((g+1)*group, len(l.tops))])
	}
}

// top returns the greatest tag of the chunk.
func (ch *chunk) top() uint8 {
	var t uint8
	for _, x := range ch.tags[:ch.n] {
		t = max(t, x)
	}
	return t
}

// move copies the n entries from index from of chunk src to index to of
// chunk dst (which may be the same chunk); high halves only when wide.
func (l *list) move(dst *chunk, to int, src *chunk, from, n int) {
	if l.wide {
		copy(dst.hi[to:to+n], src.hi[from:from+n])
	}
	copy(dst.lo[to:to+n], src.lo[from:from+n])
	copy(dst.tags[to:to+n], src.tags[from:from+n])
	copy(dst.hosts[to:to+n], src.hosts[from:from+n])
	copy(dst.owner[to:to+n], src.owner[from:from+n])
}

// insert inserts an entry just after floor position f (found is floor's
// second result, false to insert before every entry) and returns its
// position. The caller sets its tag.
func (l *list) insert(f pos, found bool, k u128, host uint8, owner string) pos {
	if k.hi != 0 {
		l.wide = true
	}
	id := l.owners.intern(owner)
	l.n++
	if len(l.chunks) == 0 {
		l.chunks = append(l.chunks, &chunk{})
		l.firstHi = append(l.firstHi, 0)
		l.firstLo = append(l.firstLo, 0)
		l.tops = append(l.tops, 0)
		l.regroup(0)
	}
	at := pos{0, 0}
	if found {
		at = pos{f.c, f.i + 1}
	}
	ch := l.chunks[at.c]
	l.move(ch, at.i+1, ch, at.i, ch.n-at.i)
	ch.hi[at.i], ch.lo[at.i], ch.tags[at.i], ch.hosts[at.i], ch.owner[at.i] = k.hi, k.lo, 0, host, id
	ch.n++
	if at.i == 0 {
		l.firstHi[at.c], l.firstLo[at.c] = k.hi, k.lo
	}
	if ch.n == maxChunk {
		// Split in half, except when appending at the very end (as when
		// entries come in address order): then keep the chunk nearly full
		// and start the next one, so the directory stays short.
		keep := maxChunk / 2
		if at.c == len(l.chunks)-1 && at.i == maxChunk-1 {
			keep = maxChunk - 1
		}
		l.split(at.c, keep)
		if at.i >= keep {
			at = pos{at.c + 1, at.i - keep}
		}
	}
	return at
}

// split moves the entries of the full chunk c from index keep on into a
// new chunk after it.
func (l *list) split(c, keep int) {
	ch := l.chunks[c]
	nc := &chunk{n: maxChunk - keep}
	l.move(nc, 0, ch, keep, nc.n)
	ch.n = keep
	l.chunks = slices.Insert(l.chunks, c+1, nc)
	l.firstHi = slices.Insert(l.firstHi, c+1, nc.hi[0])
	l.firstLo = slices.Insert(l.firstLo, c+1, nc.lo[0])
	l.tops = slices.Insert(l.tops, c+1, nc.top())
	l.tops[c] = ch.top()
	l.regroup(c)
}

// delete removes the entry at p.
func (l *list) delete(p pos) {
	l.n--
	ch := l.chunks[p.c]
	old := ch.tags[p.i]
	l.owners.release(ch.owner[p.i])
	l.move(ch, p.i, ch, p.i+1, ch.n-p.i-1)
	ch.n--
	ch.hi[ch.n] = 0 // keep unused high halves zero for a narrow list
	if ch.n == 0 {
		l.chunks = slices.Delete(l.chunks, p.c, p.c+1)
		l.firstHi = slices.Delete(l.firstHi, p.c, p.c+1)
		l.firstLo = slices.Delete(l.firstLo, p.c, p.c+1)
		l.tops = slices.Delete(l.tops, p.c, p.c+1)
		l.regroup(p.c)
		return
	}
	l.firstHi[p.c], l.firstLo[p.c] = ch.hi[0], ch.lo[0]
	if old == l.tops[p.c] {
		l.setTop(p.c, ch.top())
	}
	if ch.n < maxChunk/4 {
		// Merge a small chunk into a neighbour that has room, so the
		// directory stays short.
		switch {
		case p.c+1 < len(l.chunks) && ch.n+l.chunks[p.c+1].n < maxChunk*3/4:
			l.merge(p.c)
		case p.c > 0 && ch.n+l.chunks[p.c-1].n < maxChunk*3/4:
			l.merge(p.c - 1)
		}
	}
}

// merge appends chunk c+1 to chunk c.
func (l *list) merge(c int) {
	a, b := l.chunks[c], l.chunks[c+1]
	l.move(a, a.n, b, 0, b.n)
	a.n += b.n
	l.tops[c] = max(l.tops[c], l.tops[c+1])
	l.chunks = slices.Delete(l.chunks, c+1, c+2)
	l.firstHi = slices.Delete(l.firstHi, c+1, c+2)
	l.firstLo = slices.Delete(l.firstLo, c+1, c+2)
	l.tops = slices.Delete(l.tops, c+1, c+2)
	l.regroup(c)
}

// clone returns a deep copy of l.
func (l *list) clone() list {
	c := *l
	c.firstHi, c.firstLo = slices.Clone(l.firstHi), slices.Clone(l.firstLo)
	c.tops, c.groups = slices.Clone(l.tops), slices.Clone(l.groups)
	c.chunks = make([]*chunk, len(l.chunks))
	for i, ch := range l.chunks {
		nc := *ch
		c.chunks[i] = &nc
	}
	c.owners = l.owners.clone()
	return c
}

// owners interns owner names, so that chunks hold small IDs instead of
// strings, and forgets a name when no entry uses it any more.
type owners struct {
	names []string
	refs  []int
	ids   map[string]uint32
	free  []uint32 // IDs whose name is no longer used
	hot   uint32   // the ID interned last: entries tend to come by owner
}

// intern returns the ID of name and counts one more use.
func (o *owners) intern(name string) uint32 {
	if h := o.hot; h < uint32(len(o.names)) && o.refs[h] > 0 && o.names[h] == name {
		o.refs[h]++
		return h
	}
	if id, ok := o.ids[name]; ok {
		o.refs[id]++
		o.hot = id
		return id
	}
	if o.ids == nil {
		o.ids = make(map[string]uint32)
	}
	var id uint32
	if n := len(o.free); n > 0 {
		id, o.free = o.free[n-1], o.free[:n-1]
		o.names[id], o.refs[id] = name, 1
	} else {
		id = uint32(len(o.names))
		o.names, o.refs = append(o.names, name), append(o.refs, 1)
	}
	o.ids[name] = id
	o.hot = id
	return id
}

// release counts one use of id less.
func (o *owners) release(id uint32) {
	o.refs[id]--
	if o.refs[id] == 0 {
		delete(o.ids, o.names[id])
		o.names[id] = ""
		o.free = append(o.free, id)
	}
}

func (o *owners) clone() owners {
	return owners{
		names: slices.Clone(o.names),
		refs:  slices.Clone(o.refs),
		ids:   maps.Clone(o.ids),
		free:  slices.Clone(o.free),
		hot:   o.hot,
	}
}

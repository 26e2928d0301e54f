package ipam

import (
	"math/bits"
	"slices"
)

// maxChunk bounds the length of a chunk of a list: an insert or delete
// moves at most this many elements, plus one directory entry per chunk
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
type list struct {
	firsts []u128 // firsts[c] == chunks[c].keys[0]
	tops   []uint8
	groups []uint8 // groups[g] == max(tops[g*group : (g+1)*group])
	chunks []*chunk
	n      int
}

// chunk holds its entries inline, so a lookup follows one pointer.
type chunk struct {
	n    int
	keys [maxChunk]u128 // sorted, distinct
	tags [maxChunk]uint8
	vals [maxChunk]entryVal
}

// entryVal is an entry apart from its first address.
type entryVal struct {
	owner string
	host  uint8 // number of host bits: address length - prefix length
}

// pos is the position of an entry: chunk c, index i in that chunk.
type pos struct{ c, i int }

// upperBound returns the index of the first key greater than k, without
// branches that depend on the keys.
func upperBound(keys []u128, k u128) int {
	n := len(keys)
	if n == 0 {
		return 0
	}
	base := 0
	for n > 1 {
		half := n >> 1
		base += half * notLess(k, keys[base+half])
		n -= half
	}
	return base + notLess(k, keys[base])
}

// notLess returns 1 when a ≥ b and 0 otherwise.
func notLess(a, b u128) int {
	_, borrow := bits.Sub64(a.lo, b.lo, 0)
	_, borrow = bits.Sub64(a.hi, b.hi, borrow)
	return int(borrow ^ 1)
}

func (l *list) key(p pos) u128      { return l.chunks[p.c].keys[p.i] }
func (l *list) val(p pos) *entryVal { return &l.chunks[p.c].vals[p.i] }

// lastAddr returns the last address of the entry at p.
func (l *list) lastAddr(p pos) u128 {
	ch := l.chunks[p.c]
	return ch.keys[p.i].or(ones(int(ch.vals[p.i].host)))
}

// floor returns the position of the greatest key ≤ k.
func (l *list) floor(k u128) (pos, bool) {
	c := upperBound(l.firsts, k) - 1
	if c < 0 {
		return pos{}, false
	}
	ch := l.chunks[c]
	return pos{c, upperBound(ch.keys[:ch.n], k) - 1}, true
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

// nextTagged returns the first position after p whose tag is at least min,
// skipping groups and chunks whose greatest tag is smaller.
func (l *list) nextTagged(p pos, min uint8) (pos, bool) {
	ch := l.chunks[p.c]
	for i := p.i + 1; i < ch.n; i++ {
		if ch.tags[i] >= min {
			return pos{p.c, i}, true
		}
	}
	for c := p.c + 1; c < len(l.tops); c++ {
		if c%group == 0 && l.groups[c/group] < min {
			c += group - 1
			continue
		}
		if l.tops[c] < min {
			continue
		}
		ch := l.chunks[c]
		for i := range ch.n {
			if ch.tags[i] >= min {
				return pos{c, i}, true
			}
		}
	}
	return pos{}, false
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

// insert inserts an entry just after floor position f (found is floor's
// second result, false to insert before every entry) and returns its
// position. The caller sets its tag.
func (l *list) insert(f pos, found bool, k u128, v entryVal) pos {
	l.n++
	if len(l.chunks) == 0 {
		ch := &chunk{n: 1}
		ch.keys[0], ch.vals[0] = k, v
		l.chunks = append(l.chunks, ch)
		l.firsts = append(l.firsts, k)
		l.tops = append(l.tops, 0)
		l.regroup(0)
		return pos{}
	}
	at := pos{0, 0}
	if found {
		at = pos{f.c, f.i + 1}
	}
	ch := l.chunks[at.c]
	copy(ch.keys[at.i+1:ch.n+1], ch.keys[at.i:ch.n])
	copy(ch.tags[at.i+1:ch.n+1], ch.tags[at.i:ch.n])
	copy(ch.vals[at.i+1:ch.n+1], ch.vals[at.i:ch.n])
	ch.keys[at.i], ch.vals[at.i], ch.tags[at.i] = k, v, 0
	ch.n++
	if at.i == 0 {
		l.firsts[at.c] = k
	}
	if ch.n == maxChunk {
		l.split(at.c)
		if half := maxChunk / 2; at.i >= half {
			at = pos{at.c + 1, at.i - half}
		}
	}
	return at
}

// split moves the upper half of the full chunk c into a new chunk after
// it.
func (l *list) split(c int) {
	ch := l.chunks[c]
	const half = maxChunk / 2
	nc := &chunk{n: maxChunk - half}
	copy(nc.keys[:], ch.keys[half:])
	copy(nc.tags[:], ch.tags[half:])
	copy(nc.vals[:], ch.vals[half:])
	clear(ch.vals[half:])
	ch.n = half
	l.chunks = slices.Insert(l.chunks, c+1, nc)
	l.firsts = slices.Insert(l.firsts, c+1, nc.keys[0])
	l.tops = slices.Insert(l.tops, c+1, nc.top())
	l.tops[c] = ch.top()
	l.regroup(c)
}

// delete removes the entry at p.
func (l *list) delete(p pos) {
	l.n--
	ch := l.chunks[p.c]
	old := ch.tags[p.i]
	copy(ch.keys[p.i:], ch.keys[p.i+1:ch.n])
	copy(ch.tags[p.i:], ch.tags[p.i+1:ch.n])
	copy(ch.vals[p.i:], ch.vals[p.i+1:ch.n])
	ch.n--
	ch.vals[ch.n] = entryVal{}
	if ch.n == 0 {
		l.chunks = slices.Delete(l.chunks, p.c, p.c+1)
		l.firsts = slices.Delete(l.firsts, p.c, p.c+1)
		l.tops = slices.Delete(l.tops, p.c, p.c+1)
		l.regroup(p.c)
		return
	}
	l.firsts[p.c] = ch.keys[0]
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
	copy(a.keys[a.n:], b.keys[:b.n])
	copy(a.tags[a.n:], b.tags[:b.n])
	copy(a.vals[a.n:], b.vals[:b.n])
	a.n += b.n
	l.tops[c] = max(l.tops[c], l.tops[c+1])
	l.chunks = slices.Delete(l.chunks, c+1, c+2)
	l.firsts = slices.Delete(l.firsts, c+1, c+2)
	l.tops = slices.Delete(l.tops, c+1, c+2)
	l.regroup(c)
}

// clone returns a deep copy of l.
func (l *list) clone() list {
	c := list{
		firsts: slices.Clone(l.firsts),
		tops:   slices.Clone(l.tops),
		groups: slices.Clone(l.groups),
		chunks: make([]*chunk, len(l.chunks)),
		n:      l.n,
	}
	for i, ch := range l.chunks {
		nc := *ch
		c.chunks[i] = &nc
	}
	return c
}

package ipam

import "slices"

// maxChunk bounds the length of a chunk of a list: an insert or delete
// moves at most this many elements, plus one directory entry per chunk
// when a chunk splits or merges (once in about maxChunk/2 operations).
const maxChunk = 128

// list is an ordered map from u128 keys to values: a sorted array cut into
// chunks of at most maxChunk elements, with a directory of each chunk's
// first key. Lookups are two binary searches; inserts and deletes move at
// most one chunk. The zero value is an empty list.
type list[V any] struct {
	firsts []u128 // firsts[c] == chunks[c].keys[0]
	chunks []*chunk[V]
	n      int
}

type chunk[V any] struct {
	keys []u128 // sorted, distinct
	vals []V
}

// pos is the position of an element: chunk c, index i in that chunk.
type pos struct{ c, i int }

// upperBound returns the index of the first key greater than k.
func upperBound(keys []u128, k u128) int {
	lo, hi := 0, len(keys)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if k.less(keys[m]) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

func (l *list[V]) key(p pos) u128 { return l.chunks[p.c].keys[p.i] }
func (l *list[V]) val(p pos) *V   { return &l.chunks[p.c].vals[p.i] }

// floor returns the position of the greatest key ≤ k.
func (l *list[V]) floor(k u128) (pos, bool) {
	c := upperBound(l.firsts, k) - 1
	if c < 0 {
		return pos{}, false
	}
	return pos{c, upperBound(l.chunks[c].keys, k) - 1}, true
}

// first returns the position of the smallest key.
func (l *list[V]) first() (pos, bool) { return pos{}, l.n > 0 }

// next returns the position after p.
func (l *list[V]) next(p pos) (pos, bool) {
	if p.i+1 < len(l.chunks[p.c].keys) {
		return pos{p.c, p.i + 1}, true
	}
	if p.c+1 < len(l.chunks) {
		return pos{p.c + 1, 0}, true
	}
	return pos{}, false
}

// prev returns the position before p.
func (l *list[V]) prev(p pos) (pos, bool) {
	if p.i > 0 {
		return pos{p.c, p.i - 1}, true
	}
	if p.c > 0 {
		return pos{p.c - 1, len(l.chunks[p.c-1].keys) - 1}, true
	}
	return pos{}, false
}

// successor returns the position of the smallest key greater than the key
// at floor position f (found is floor's second result).
func (l *list[V]) successor(f pos, found bool) (pos, bool) {
	if !found {
		return l.first()
	}
	return l.next(f)
}

// setKey replaces the key at p; the new key must keep the order.
func (l *list[V]) setKey(p pos, k u128) {
	l.chunks[p.c].keys[p.i] = k
	if p.i == 0 {
		l.firsts[p.c] = k
	}
}

// insert inserts k, v just after floor position f (found is floor's second
// result, false to insert before every element).
func (l *list[V]) insert(f pos, found bool, k u128, v V) {
	l.n++
	if len(l.chunks) == 0 {
		ch := &chunk[V]{keys: make([]u128, 1, maxChunk), vals: make([]V, 1, maxChunk)}
		ch.keys[0], ch.vals[0] = k, v
		l.chunks = append(l.chunks, ch)
		l.firsts = append(l.firsts, k)
		return
	}
	at := pos{0, 0}
	if found {
		at = pos{f.c, f.i + 1}
	}
	ch := l.chunks[at.c]
	ch.keys = slices.Insert(ch.keys, at.i, k)
	ch.vals = slices.Insert(ch.vals, at.i, v)
	if at.i == 0 {
		l.firsts[at.c] = k
	}
	if len(ch.keys) >= maxChunk {
		l.split(at.c)
	}
}

// split moves the upper half of chunk c into a new chunk after it.
func (l *list[V]) split(c int) {
	ch := l.chunks[c]
	half := len(ch.keys) / 2
	nc := &chunk[V]{
		keys: append(make([]u128, 0, maxChunk), ch.keys[half:]...),
		vals: append(make([]V, 0, maxChunk), ch.vals[half:]...),
	}
	clear(ch.vals[half:])
	ch.keys, ch.vals = ch.keys[:half], ch.vals[:half]
	l.chunks = slices.Insert(l.chunks, c+1, nc)
	l.firsts = slices.Insert(l.firsts, c+1, nc.keys[0])
}

// delete removes the element at p.
func (l *list[V]) delete(p pos) {
	l.n--
	ch := l.chunks[p.c]
	ch.keys = slices.Delete(ch.keys, p.i, p.i+1)
	ch.vals = slices.Delete(ch.vals, p.i, p.i+1)
	if len(ch.keys) == 0 {
		l.chunks = slices.Delete(l.chunks, p.c, p.c+1)
		l.firsts = slices.Delete(l.firsts, p.c, p.c+1)
		return
	}
	l.firsts[p.c] = ch.keys[0]
	if len(ch.keys) < maxChunk/4 {
		// Merge a small chunk into a neighbour that has room, so the
		// directory stays short.
		switch {
		case p.c+1 < len(l.chunks) && len(ch.keys)+len(l.chunks[p.c+1].keys) < maxChunk*3/4:
			l.merge(p.c)
		case p.c > 0 && len(ch.keys)+len(l.chunks[p.c-1].keys) < maxChunk*3/4:
			l.merge(p.c - 1)
		}
	}
}

// merge appends chunk c+1 to chunk c.
func (l *list[V]) merge(c int) {
	a, b := l.chunks[c], l.chunks[c+1]
	a.keys = append(a.keys, b.keys...)
	a.vals = append(a.vals, b.vals...)
	l.chunks = slices.Delete(l.chunks, c+1, c+2)
	l.firsts = slices.Delete(l.firsts, c+1, c+2)
}

// clone returns a deep copy of l.
func (l *list[V]) clone() list[V] {
	c := list[V]{firsts: slices.Clone(l.firsts), chunks: make([]*chunk[V], len(l.chunks)), n: l.n}
	for i, ch := range l.chunks {
		c.chunks[i] = &chunk[V]{
			keys: append(make([]u128, 0, maxChunk), ch.keys...),
			vals: append(make([]V, 0, maxChunk), ch.vals...),
		}
	}
	return c
}

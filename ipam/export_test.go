package ipam

import (
	"fmt"
	"slices"
)

// CheckInvariants checks the internal structure of s: each family's list
// is sorted with chunks of 1 to maxChunk-1 entries and a correct
// directory, tags and count, the entries are disjoint, and each entry is
// tagged with the largest aligned block of the gap before it.
func CheckInvariants(s *Space) error {
	for name, l := range map[string]*list{"IPv4": &s.v4, "IPv6": &s.v6} {
		if err := checkList(l); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		var a u128 // the start of the gap before the entry at p
		for p, ok := l.first(); ok; p, ok = l.next(p) {
			first, last := l.key(p), l.lastAddr(p)
			if first.less(a) {
				return fmt.Errorf("%s entries overlap at %v", name, first)
			}
			want := uint8(0)
			if a != first {
				want = gapTag(a, first.subOne())
			}
			if tag := l.chunks[p.c].tags[p.i]; tag != want {
				return fmt.Errorf("%s entry at %v has gap tag %d, want %d", name, first, tag, want)
			}
			a, _ = last.addOne()
		}
	}
	return nil
}

func checkList(l *list) error {
	if len(l.firstHi) != len(l.chunks) || len(l.firstLo) != len(l.chunks) || len(l.tops) != len(l.chunks) {
		return fmt.Errorf("%d/%d firsts and %d tops for %d chunks", len(l.firstHi), len(l.firstLo), len(l.tops), len(l.chunks))
	}
	if want := (len(l.chunks) + group - 1) / group; len(l.groups) != want {
		return fmt.Errorf("%d groups for %d chunks", len(l.groups), len(l.chunks))
	}
	for g, t := range l.groups {
		if want := slices.Max(l.tops[g*group : min((g+1)*group, len(l.tops))]); t != want {
			return fmt.Errorf("group %d tag is %d, want %d", g, t, want)
		}
	}
	n := 0
	var prev u128
	refs := map[uint32]int{}
	for c, ch := range l.chunks {
		if ch.n <= 0 || ch.n >= maxChunk {
			return fmt.Errorf("chunk %d has %d elements", c, ch.n)
		}
		if l.tops[c] != ch.top() {
			return fmt.Errorf("chunk %d top tag is %d, directory says %d", c, ch.top(), l.tops[c])
		}
		if first := l.key(pos{c, 0}); (u128{l.firstHi[c], l.firstLo[c]}) != first {
			return fmt.Errorf("chunk %d first is %v, directory says %v %v", c, first, l.firstHi[c], l.firstLo[c])
		}
		for i := range ch.n {
			k := l.key(pos{c, i})
			if k.hi != 0 && !l.wide {
				return fmt.Errorf("key %v in a list that is not wide", k)
			}
			if (c > 0 || i > 0) && !prev.less(k) {
				return fmt.Errorf("keys out of order at chunk %d index %d", c, i)
			}
			prev = k
		}
		n += ch.n
		if !l.wide && slices.ContainsFunc(ch.hi[:], func(h uint64) bool { return h != 0 }) {
			return fmt.Errorf("chunk %d of a list that is not wide has high halves", c)
		}
		for _, id := range ch.owner[:ch.n] {
			refs[id]++
		}
	}
	if n != l.n {
		return fmt.Errorf("count is %d, chunks hold %d", l.n, n)
	}
	// Every owner ID in use counts its entries; every other is free.
	o := &l.owners
	if len(o.ids)+len(o.free) != len(o.names) || len(o.refs) != len(o.names) {
		return fmt.Errorf("owners: %d names, %d refs, %d in use, %d free", len(o.names), len(o.refs), len(o.ids), len(o.free))
	}
	for name, id := range o.ids {
		if o.names[id] != name || o.refs[id] != refs[id] || refs[id] == 0 {
			return fmt.Errorf("owner %q has ID %d with %d refs, entries use it %d times", name, id, o.refs[id], refs[id])
		}
	}
	for _, id := range o.free {
		if refs[id] != 0 || o.refs[id] != 0 {
			return fmt.Errorf("free owner ID %d is used", id)
		}
	}
	return nil
}

// SetPackedLimit sets the number of entries from which AddAll sorts IPv4
// entries as structs, and returns a function that restores it.
func SetPackedLimit(n int) (restore func()) {
	old := packedLimit
	packedLimit = n
	return func() { packedLimit = old }
}

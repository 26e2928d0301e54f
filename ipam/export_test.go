package ipam

import (
	"fmt"
	"slices"
)

// CheckInvariants checks the internal structure of s: every list is
// sorted with chunks of 1 to maxChunk-1 elements and a correct directory
// and count, the entries are disjoint, and the runs are exactly the
// coalesced union of the entries.
func CheckInvariants(s *Space) error {
	for name, f := range map[string]*family{"IPv4": &s.v4, "IPv6": &s.v6} {
		if err := checkList(&f.entries); err != nil {
			return fmt.Errorf("%s entries: %w", name, err)
		}
		if err := checkList(&f.runs); err != nil {
			return fmt.Errorf("%s runs: %w", name, err)
		}
		var want [][2]u128 // coalesced entries
		var prevLast u128
		havePrev := false
		for p, ok := f.entries.first(); ok; p, ok = f.entries.next(p) {
			first, last := f.entries.key(p), f.entries.val(p).last
			if last.less(first) {
				return fmt.Errorf("%s entry %v ends before it starts", name, first)
			}
			if havePrev && !prevLast.less(first) {
				return fmt.Errorf("%s entries overlap at %v", name, first)
			}
			if n := len(want); n > 0 && want[n-1][1] == first.subOne() {
				want[n-1][1] = last
			} else {
				want = append(want, [2]u128{first, last})
			}
			prevLast, havePrev = last, true
		}
		var got [][2]u128
		for p, ok := f.runs.first(); ok; p, ok = f.runs.next(p) {
			got = append(got, [2]u128{f.runs.key(p), *f.runs.val(p)})
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("%s runs are %v, want %v", name, got, want)
		}
	}
	return nil
}

func checkList[V any](l *list[V]) error {
	if len(l.firsts) != len(l.chunks) {
		return fmt.Errorf("%d firsts for %d chunks", len(l.firsts), len(l.chunks))
	}
	n := 0
	var prev u128
	for c, ch := range l.chunks {
		if len(ch.keys) == 0 || len(ch.keys) >= maxChunk || len(ch.keys) != len(ch.vals) {
			return fmt.Errorf("chunk %d has %d keys and %d values", c, len(ch.keys), len(ch.vals))
		}
		if l.firsts[c] != ch.keys[0] {
			return fmt.Errorf("chunk %d first is %v, directory says %v", c, ch.keys[0], l.firsts[c])
		}
		for i, k := range ch.keys {
			if (c > 0 || i > 0) && !prev.less(k) {
				return fmt.Errorf("keys out of order at chunk %d index %d", c, i)
			}
			prev = k
		}
		n += len(ch.keys)
	}
	if n != l.n {
		return fmt.Errorf("count is %d, lists hold %d", l.n, n)
	}
	return nil
}

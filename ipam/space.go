package ipam

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"net/netip"
	"slices"

	"github.com/daasflex/daasflex/rule"
)

// Entry is a range in a Space and who owns it, such as
// {"customer VNet hub-vnet", 10.0.0.0/16}. The zero value is an unowned
// invalid prefix.
type Entry struct {
	Owner  string       // who uses the range, as shown to an administrator
	Prefix netip.Prefix // the range
}

// String returns "10.0.0.0/16 (customer VNet hub-vnet)", or only the prefix
// when the entry has no owner.
func (e Entry) String() string {
	if e.Owner == "" {
		return e.Prefix.String()
	}
	return e.Prefix.String() + " (" + e.Owner + ")"
}

// OverlapError is the error Space.Add returns when the new range shares
// addresses with a range already in the Space (NET-4): it names both ranges
// and the owner of the other one.
type OverlapError struct {
	Prefix     netip.Prefix // the range that was refused
	Other      netip.Prefix // the range in the Space it overlaps
	OtherOwner string       // the owner of Other
}

// Error returns "10.0.0.0/24 overlaps 10.0.0.0/16 owned by customer VNet
// hub-vnet".
func (e *OverlapError) Error() string {
	return overlapText(e.Prefix, "", e.Other, e.OtherOwner)
}

func overlapText(p netip.Prefix, owner string, other netip.Prefix, otherOwner string) string {
	s := p.String()
	if owner != "" {
		s += " of " + owner
	}
	s += " overlaps " + other.String()
	if otherOwner != "" {
		s += " owned by " + otherOwner
	}
	return s
}

// NoRoomError is the error Space.Allocate returns when no free block of the
// asked size is left; it says how much room there is.
type NoRoomError struct {
	Within netip.Prefix // the range allocated from
	Bits   int          // the prefix length asked for
	// Free is the number of addresses of Within not used by any entry,
	// capped at math.MaxUint64.
	Free uint64
	// Largest is the prefix length of the largest free aligned block in
	// Within, or -1 when Within is full.
	Largest int
}

// Error returns "no free /24 in 10.0.0.0/22: 384 addresses free, the
// largest free block is a /25" or "no free /24 in 10.0.0.0/22: it is full".
func (e *NoRoomError) Error() string {
	if e.Largest < 0 {
		return fmt.Sprintf("ipam: no free /%d in %s: it is full", e.Bits, e.Within)
	}
	free := groupDigits(fmt.Sprint(e.Free))
	if e.Free == math.MaxUint64 {
		free = "more than " + free
	}
	return fmt.Sprintf("ipam: no free /%d in %s: %s addresses free, the largest free block is a /%d",
		e.Bits, e.Within, free, e.Largest)
}

// checkPrefix returns an error when p cannot be an entry of a Space: the
// zero Prefix, an IPv4-mapped IPv6 prefix or one with host bits set.
func checkPrefix(op string, p netip.Prefix) error {
	switch {
	case !p.IsValid():
		return fmt.Errorf("ipam: %s: %w: the prefix is invalid (zero or out of range)", op, ErrSyntax)
	case p.Addr().Is4In6():
		return fmt.Errorf("ipam: %s %s: %w; use the IPv4 range", op, p, ErrMapped)
	case p.Masked() != p:
		return fmt.Errorf("ipam: %s %s: %w; did you mean %s?", op, p, ErrNotCanonical, p.Masked())
	}
	return nil
}

// Space is an owner-labelled set of address ranges that never overlap: the
// address plan of a subscription, a hub or a VNet. The zero value is an
// empty Space ready to use.
//
// Lookups, Add and Remove take O(log n) time plus a move of at most one
// bounded chunk. Allocate skips runs of contiguous used space, not
// entries, so ranges packed back to back cost no more than one range.
//
// A Space is not safe for concurrent use, and must not be copied after
// first use (the copy would share storage with the original); use Clone.
type Space struct {
	v4, v6 family
}

// family holds the entries of one address family.
type family struct {
	// entries maps the first address of each entry to the rest of it.
	entries list[entryVal]
	// runs maps the first address of each maximal run of contiguous used
	// addresses to its last address; the runs are the union of the
	// entries.
	runs list[u128]
}

type entryVal struct {
	last  u128
	owner string
	bits  uint8
}

// entry returns the entry at p of an IPv4 (is4) or IPv6 family.
func (f *family) entry(p pos, is4 bool) Entry {
	v := f.entries.val(p)
	return Entry{Owner: v.owner, Prefix: netip.PrefixFrom(fromU128(f.entries.key(p), is4), int(v.bits))}
}

// family returns the family of a, and whether it is IPv4.
func (s *Space) family(a netip.Addr) (*family, bool) {
	if a.Is4() {
		return &s.v4, true
	}
	return &s.v6, false
}

// Len returns the number of entries in the Space.
func (s *Space) Len() int { return s.v4.entries.n + s.v6.entries.n }

// Entries returns a copy of the entries of the Space, sorted by address,
// IPv4 first.
func (s *Space) Entries() []Entry {
	if s.Len() == 0 {
		return nil
	}
	out := make([]Entry, 0, s.Len())
	for i, f := range []*family{&s.v4, &s.v6} {
		for p, ok := f.entries.first(); ok; p, ok = f.entries.next(p) {
			out = append(out, f.entry(p, i == 0))
		}
	}
	return out
}

// Clone returns an independent copy of the Space.
func (s *Space) Clone() *Space {
	c := &Space{}
	for _, f := range []struct{ from, to *family }{{&s.v4, &c.v4}, {&s.v6, &c.v6}} {
		f.to.entries, f.to.runs = f.from.entries.clone(), f.from.runs.clone()
	}
	return c
}

// Add adds p, owned by owner, to the Space. It returns an *OverlapError
// naming the lowest entry p overlaps (NET-4), and an error when p is
// invalid, IPv4-mapped or not canonical (host bits set).
func (s *Space) Add(owner string, p netip.Prefix) error {
	if err := checkPrefix("add", p); err != nil {
		return err
	}
	f, is4 := s.family(p.Addr())
	first, last := bounds(p)
	at, found := f.entries.floor(last)
	if found && !f.entries.val(at).last.less(first) {
		low := at
		for q, ok := f.entries.prev(at); ok && !f.entries.val(q).last.less(first); q, ok = f.entries.prev(q) {
			low = q
		}
		o := f.entry(low, is4)
		return &OverlapError{Prefix: p, Other: o.Prefix, OtherOwner: o.Owner}
	}
	f.insert(at, found, first, entryVal{last: last, owner: owner, bits: uint8(p.Bits())})
	return nil
}

// insert adds the free range [first, last] as an entry just after entry
// position at (found false: before every entry) and merges it into the
// runs.
func (f *family) insert(at pos, found bool, first u128, v entryVal) {
	f.entries.insert(at, found, first, v)
	last := v.last
	left, hasLeft := f.runs.floor(first)
	right, hasRight := f.runs.successor(left, hasLeft)
	joinLeft := hasLeft && first != (u128{}) && *f.runs.val(left) == first.subOne()
	after, over := last.addOne()
	joinRight := hasRight && !over && f.runs.key(right) == after
	switch {
	case joinLeft && joinRight:
		*f.runs.val(left) = *f.runs.val(right)
		f.runs.delete(right)
	case joinLeft:
		*f.runs.val(left) = last
	case joinRight:
		f.runs.setKey(right, first)
	default:
		f.runs.insert(left, hasLeft, first, last)
	}
}

// Remove removes the entry whose prefix is exactly p and reports whether
// there was one.
func (s *Space) Remove(p netip.Prefix) bool {
	if !p.IsValid() {
		return false
	}
	f, _ := s.family(p.Addr())
	first, _ := bounds(p)
	at, found := f.entries.floor(first)
	if !found || f.entries.key(at) != first || int(f.entries.val(at).bits) != p.Bits() || p.Masked() != p {
		return false
	}
	last := f.entries.val(at).last
	f.entries.delete(at)
	r, _ := f.runs.floor(first) // the run holding the entry
	rFirst, rLast := f.runs.key(r), *f.runs.val(r)
	switch {
	case rFirst == first && rLast == last:
		f.runs.delete(r)
	case rFirst == first:
		next, _ := last.addOne()
		f.runs.setKey(r, next)
	case rLast == last:
		*f.runs.val(r) = first.subOne()
	default:
		*f.runs.val(r) = first.subOne()
		next, _ := last.addOne()
		f.runs.insert(r, true, next, rLast)
	}
	return true
}

// Overlapping returns every entry that shares an address with p, sorted by
// address, or nil when there is none. It does not allocate on a miss.
func (s *Space) Overlapping(p netip.Prefix) []Entry {
	if !p.IsValid() {
		return nil
	}
	f, is4 := s.family(p.Addr())
	first, last := bounds(p.Masked())
	at, found := f.entries.floor(last)
	if !found || f.entries.val(at).last.less(first) {
		return nil
	}
	// Entries are disjoint, so their last addresses grow with their first
	// ones: walk back to the lowest entry that reaches first.
	low, n := at, 1
	for q, ok := f.entries.prev(at); ok && !f.entries.val(q).last.less(first); q, ok = f.entries.prev(q) {
		low, n = q, n+1
	}
	out := make([]Entry, n)
	for i := range out {
		out[i] = f.entry(low, is4)
		low, _ = f.entries.next(low)
	}
	return out
}

// Allocate finds the lowest free block of prefix length bits inside within
// (aligned, so it is a valid canonical prefix), adds it to the Space for
// owner and returns it. When no block is free it returns a *NoRoomError
// saying how much room is left; it also fails when within is invalid or
// not canonical, or bits is shorter than within or longer than the family
// allows.
//
// Its cost grows with the number of runs of contiguous used space it must
// skip before the free block, not with the number of entries.
func (s *Space) Allocate(owner string, within netip.Prefix, bits int) (netip.Prefix, error) {
	if err := checkPrefix("allocate in", within); err != nil {
		return netip.Prefix{}, err
	}
	if bits < within.Bits() || bits > within.Addr().BitLen() {
		return netip.Prefix{}, fmt.Errorf("ipam: cannot allocate a /%d in %s: %w; want a length from %d to %d",
			bits, within, ErrBits, within.Bits(), within.Addr().BitLen())
	}
	f, is4 := s.family(within.Addr())
	cand, last := bounds(within)
	mask := ones(within.Addr().BitLen() - bits)
	// r is the first run that ends at or after cand.
	r, ok := f.runs.floor(cand)
	if !ok {
		r, ok = f.runs.first()
	} else if f.runs.val(r).less(cand) {
		r, ok = f.runs.next(r)
	}
	for ok && !cand.or(mask).less(f.runs.key(r)) {
		// Run r overlaps the block at cand: try the first aligned block
		// after it.
		next, over := f.runs.val(r).addOne()
		if !over {
			next, ok = alignUp(next, mask)
			over = !ok
		}
		if over || last.less(next) {
			return netip.Prefix{}, s.noRoom(within, bits)
		}
		cand = next
		for ok && f.runs.val(r).less(cand) {
			r, ok = f.runs.next(r)
		}
	}
	at, found := f.entries.floor(cand)
	f.insert(at, found, cand, entryVal{last: cand.or(mask), owner: owner, bits: uint8(bits)})
	return netip.PrefixFrom(fromU128(cand, is4), bits), nil
}

// noRoom describes the free room left in within.
func (s *Space) noRoom(within netip.Prefix, length int) *NoRoomError {
	e := &NoRoomError{Within: within, Bits: length, Largest: -1}
	f, _ := s.family(within.Addr())
	first, last := bounds(within)
	width := within.Addr().BitLen()
	gap := func(a, b u128) { // a free gap [a, b] inside within
		n, over := b.sub(a).addOne()
		switch {
		case over || n.hi != 0:
			e.Free = math.MaxUint64
		default:
			sum, carry := bits.Add64(e.Free, n.lo, 0)
			if carry != 0 {
				sum = math.MaxUint64
			}
			e.Free = sum
		}
		if l := largestBlock(a, b, width); e.Largest < 0 || l < e.Largest {
			e.Largest = l
		}
	}
	cur := first
	r, ok := f.runs.floor(first)
	if !ok {
		r, ok = f.runs.first()
	}
	for ; ok && !last.less(f.runs.key(r)); r, ok = f.runs.next(r) {
		a, b := f.runs.key(r), *f.runs.val(r)
		if b.less(cur) {
			continue
		}
		if cur.less(a) {
			gap(cur, a.subOne())
		}
		next, over := b.addOne()
		if over || last.less(next) {
			return e
		}
		cur = next
	}
	gap(cur, last)
	return e
}

// largestBlock returns the prefix length of the largest aligned block
// inside the range [a, b] of an address family width bits wide.
func largestBlock(a, b u128, width int) int {
	// An aligned block of 2^k fits when the range is at least 2^(k+1)-1
	// long, so with 2^k ≤ b-a+1 < 2^(k+1) the largest block has k or
	// k-1 host bits.
	n, over := b.sub(a).addOne()
	k := width
	if !over {
		k = n.lenBits() - 1
	}
	if k > 0 {
		if start, ok := alignUp(a, ones(k)); !ok || b.less(start.or(ones(k))) {
			k--
		}
	}
	return width - k
}

// CheckDisjoint reports every pair of entries that share an address (NET-4)
// as a *multierror.Error of rule violations, one per pair, or nil when the
// entries are pairwise disjoint. Pairs are listed by the input position of
// the earlier entry, then of the later one, and each names the later entry
// first. Entries with an invalid prefix overlap nothing. It takes
// O(n log n) time plus the number of pairs.
func CheckDisjoint(entries ...Entry) error {
	type span struct {
		first, last u128
		is6         bool
		bits, i     int
	}
	spans := make([]span, 0, len(entries))
	for i, e := range entries {
		if !e.Prefix.IsValid() {
			continue
		}
		p := e.Prefix.Masked()
		first, last := bounds(p)
		spans = append(spans, span{first, last, !p.Addr().Is4(), p.Bits(), i})
	}
	// Two prefixes overlap when one holds the other. Sorted by family,
	// first address and then length (shorter first), the prefixes inside
	// a prefix directly follow it.
	slices.SortFunc(spans, func(a, b span) int {
		switch {
		case a.is6 != b.is6:
			return boolCmp(a.is6, b.is6)
		case a.first != b.first:
			return a.first.cmp(b.first)
		}
		return cmp.Compare(a.bits, b.bits)
	})
	var pairs [][2]int
	for k, outer := range spans {
		for _, inner := range spans[k+1:] {
			if inner.is6 != outer.is6 || outer.last.less(inner.first) {
				break
			}
			pairs = append(pairs, [2]int{min(outer.i, inner.i), max(outer.i, inner.i)})
		}
	}
	slices.SortFunc(pairs, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	var l rule.List
	for _, pr := range pairs {
		a, b := entries[pr[0]], entries[pr[1]]
		l.Add("NET-4", "%s; address ranges must not share any address",
			overlapText(b.Prefix, b.Owner, a.Prefix, a.Owner))
	}
	return l.Err()
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case b:
		return -1
	}
	return 1
}

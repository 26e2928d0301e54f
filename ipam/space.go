package ipam

import (
	"fmt"
	"math"
	"math/bits"
	"net/netip"

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

// Error returns "ipam: no free /24 in 10.0.0.0/22: 384 addresses free, the
// largest free block is a /25", or "ipam: no free /24 in 10.0.0.0/22: it
// is full".
func (e *NoRoomError) Error() string {
	if e.Largest < 0 {
		return fmt.Sprintf("ipam: no free /%d in %s: it is full", e.Bits, e.Within)
	}
	free := groupDigits(fmt.Sprint(e.Free))
	if e.Free == math.MaxUint64 {
		free = "at least " + free
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
// Add and Remove take O(log n) time plus a move of at most one bounded
// chunk of entries; Overlapping takes O(log n) time plus the entries it
// returns. Each entry is tagged with the largest aligned
// block that fits in the free gap before it, and the tags are summarised
// per chunk and per group of chunks, so Allocate skips over used space
// (packed back to back or scattered) without visiting each entry.
//
// A Space is not safe for concurrent use, and must not be copied after
// first use (the copy would share storage with the original); use Clone.
type Space struct {
	v4, v6 list
}

// list returns the entries of the family of a, and whether it is IPv4.
func (s *Space) list(a netip.Addr) (*list, bool) {
	if a.Is4() {
		return &s.v4, true
	}
	return &s.v6, false
}

// entry returns the entry at p of an IPv4 (is4) or IPv6 list.
func (l *list) entry(p pos, is4 bool) Entry {
	ch := l.chunks[p.c]
	width := 128
	if is4 {
		width = 32
	}
	return Entry{
		Owner:  l.owners.names[ch.owner[p.i]],
		Prefix: netip.PrefixFrom(fromU128(l.key(p), is4), width-int(ch.hosts[p.i])),
	}
}

// Len returns the number of entries in the Space. A nil *Space is empty.
func (s *Space) Len() int {
	if s == nil {
		return 0
	}
	return s.v4.n + s.v6.n
}

// Entries returns a copy of the entries of the Space, sorted by address,
// IPv4 first, or nil when the Space is empty.
func (s *Space) Entries() []Entry {
	if s.Len() == 0 {
		return nil
	}
	out := make([]Entry, 0, s.Len())
	for fam, l := range []*list{&s.v4, &s.v6} {
		for p, ok := l.first(); ok; p, ok = l.next(p) {
			out = append(out, l.entry(p, fam == 0))
		}
	}
	return out
}

// Clone returns an independent copy of the Space; a nil *Space clones to
// an empty one.
func (s *Space) Clone() *Space {
	if s == nil {
		return &Space{}
	}
	return &Space{v4: s.v4.clone(), v6: s.v6.clone()}
}

// Add adds p, owned by owner, to the Space. It returns an *OverlapError
// naming the lowest entry p overlaps (NET-4), and an error when p is
// invalid, IPv4-mapped or not canonical (host bits set).
func (s *Space) Add(owner string, p netip.Prefix) error {
	if err := checkPrefix("add", p); err != nil {
		return err
	}
	l, _ := s.list(p.Addr())
	first, last := bounds(p)
	at, end, found := l.floorLast(last)
	if found && !end.less(first) {
		o := s.lowestOverlap(p)
		return &OverlapError{Prefix: p, Other: o.Prefix, OtherOwner: o.Owner}
	}
	l.add(at, found, first, uint8(p.Addr().BitLen()-p.Bits()), owner)
	return nil
}

// add inserts a free range as an entry just after floor position at
// (found false: before every entry) and tags it and the entry after it.
func (l *list) add(at pos, found bool, first u128, host uint8, owner string) {
	var gap u128 // the first free address before the new entry
	if found {
		gap, _ = l.lastAddr(at).addOne()
	}
	p := l.insert(at, found, first, host, owner)
	l.tagGap(p, gap)
	if q, ok := l.next(p); ok {
		after, _ := first.or(ones(int(host))).addOne()
		l.tagGap(q, after)
	}
}

// gapStart returns the first address after the entry before p, or zero.
func (l *list) gapStart(p pos) u128 {
	if q, ok := l.prev(p); ok {
		a, _ := l.lastAddr(q).addOne()
		return a
	}
	return u128{}
}

// tagGap tags the entry at p with gapTag of the free gap before it, which
// starts at a.
func (l *list) tagGap(p pos, a u128) {
	b := l.key(p)
	if b == a {
		l.setTag(p, 0)
		return
	}
	l.setTag(p, gapTag(a, b.subOne()))
}

// gapTag returns 1 + the number of host bits of the largest aligned block
// inside the non-empty free range [a, b].
func gapTag(a, b u128) uint8 {
	// An aligned block of 2^k fits when the range is at least 2^(k+1)-1
	// long, so with 2^k ≤ b-a+1 < 2^(k+1) the largest block has k or
	// k-1 host bits.
	k := 128
	if n, over := b.sub(a).addOne(); !over {
		k = n.lenBits() - 1
	}
	if k > 0 {
		if start, ok := alignUp(a, ones(k)); !ok || b.less(start.or(ones(k))) {
			k--
		}
	}
	return uint8(k + 1)
}

// Remove removes the entry whose prefix is exactly p and reports whether
// there was one.
func (s *Space) Remove(p netip.Prefix) bool {
	if !p.IsValid() || p.Masked() != p {
		return false
	}
	l, _ := s.list(p.Addr())
	first := toU128(p.Addr())
	at, found := l.floor(first)
	if !found || l.key(at) != first || int(l.chunks[at.c].hosts[at.i]) != p.Addr().BitLen()-p.Bits() {
		return false
	}
	// The gap before the next entry grows by the entry: tag it first,
	// while the positions hold.
	if q, ok := l.next(at); ok {
		l.setTag(q, gapTag(l.gapStart(at), l.key(q).subOne()))
	}
	l.delete(at)
	return true
}

// Overlapping returns every entry that shares an address with p, sorted by
// address, or nil when there is none. It does not allocate on a miss. A nil
// *Space overlaps nothing.
func (s *Space) Overlapping(p netip.Prefix) []Entry {
	if s == nil || !p.IsValid() {
		return nil
	}
	l, is4 := s.list(p.Addr())
	first, last := maskedBounds(p)
	at, end, found := l.floorLast(last)
	if !found || end.less(first) {
		return nil
	}
	// Entries are disjoint, so their last addresses grow with their first
	// ones: walk back to the lowest entry that reaches first.
	low, n := at, 1
	for q, ok := l.prev(at); ok && !l.lastAddr(q).less(first); q, ok = l.prev(q) {
		low, n = q, n+1
	}
	out := make([]Entry, n)
	for i := range out {
		out[i] = l.entry(low, is4)
		low, _ = l.next(low)
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
// It takes O(log n) time plus a scan of one byte per group of chunks and
// per chunk it skips; only the error case visits every entry in within.
func (s *Space) Allocate(owner string, within netip.Prefix, bits int) (netip.Prefix, error) {
	if err := checkPrefix("allocate in", within); err != nil {
		return netip.Prefix{}, err
	}
	if bits < within.Bits() || bits > within.Addr().BitLen() {
		return netip.Prefix{}, fmt.Errorf("ipam: cannot allocate a /%d in %s: %w; want a length from %d to %d",
			bits, within, ErrBits, within.Bits(), within.Addr().BitLen())
	}
	l, is4 := s.list(within.Addr())
	host := within.Addr().BitLen() - bits
	cand, last := bounds(within)
	mask := ones(host)
	// The block goes after entry ins; r is the first entry that ends at
	// or after cand.
	ins, insFound := l.floor(cand)
	r, ok := l.successor(ins, insFound)
	if insFound && !l.lastAddr(ins).less(cand) {
		r, ok = ins, true
	}
	if ok && !cand.or(mask).less(l.key(r)) {
		// Entry r overlaps the block at cand. Every gap after r starts
		// inside within, so the block is the first aligned one of the
		// first gap after r tagged as holding one, or after the last
		// entry.
		q, ok := l.nextTagged(r, uint8(host)+1)
		if ok {
			q, _ = l.prev(q)
		} else {
			q, _ = l.last()
		}
		next, over := l.lastAddr(q).addOne()
		if !over {
			next, ok = alignUp(next, mask)
			over = !ok
		}
		if over || last.less(next) {
			return netip.Prefix{}, s.noRoom(within, bits)
		}
		cand, ins, insFound = next, q, true
	}
	l.add(ins, insFound, cand, uint8(host), owner)
	return netip.PrefixFrom(fromU128(cand, is4), bits), nil
}

// noRoom describes the free room left in within.
func (s *Space) noRoom(within netip.Prefix, length int) *NoRoomError {
	e := &NoRoomError{Within: within, Bits: length, Largest: -1}
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
		if l := width + 1 - int(gapTag(a, b)); e.Largest < 0 || l < e.Largest {
			e.Largest = l
		}
	}
	l, _ := s.list(within.Addr())
	first, last := bounds(within)
	cur := first
	r, ok := l.floor(first)
	if !ok {
		r, ok = l.first()
	}
	for ; ok && !last.less(l.key(r)); r, ok = l.next(r) {
		a, b := l.key(r), l.lastAddr(r)
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

// CheckDisjoint reports every pair of entries that share an address (NET-4)
// as a *multierror.Error of rule violations, one per pair, or nil when the
// entries are pairwise disjoint. Pairs are listed by the input position of
// the earlier entry, then of the later one, and each names the later entry
// first. Entries with an invalid prefix overlap nothing. It takes
// O(n log n) time plus the number of pairs.
func CheckDisjoint(entries ...Entry) error {
	var fams [2][]bulkEntry // IPv4, IPv6
	fams[0] = make([]bulkEntry, 0, len(entries))
	for i, e := range entries {
		if !e.Prefix.IsValid() {
			continue
		}
		p := e.Prefix.Masked()
		fam := 0
		if !p.Addr().Is4() {
			fam = 1
		}
		fams[fam] = append(fams[fam], bulkEntry{first: toU128(p.Addr()), host: uint8(p.Addr().BitLen() - p.Bits()), i: i})
	}
	sortBulk(fams[0])
	sortBulk(fams[1])
	var l rule.List
	for _, pr := range overlappingPairs(fams[0], fams[1]) {
		addOverlap(&l, entries[pr[1]], entries[pr[0]])
	}
	return l.Err()
}

// addOverlap adds the NET-4 violation of entry e overlapping other.
func addOverlap(l *rule.List, e, other Entry) {
	l.Add("NET-4", "%s; address ranges must not share any address",
		overlapText(e.Prefix, e.Owner, other.Prefix, other.Owner))
}

package ipam

import (
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

// compareEntries orders entries by address (IPv4 before IPv6), then by
// prefix length, shorter first.
func compareEntries(a, b Entry) int {
	if c := a.Prefix.Addr().Compare(b.Prefix.Addr()); c != 0 {
		return c
	}
	return a.Prefix.Bits() - b.Prefix.Bits()
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
// A Space is not safe for concurrent use, and must not be copied after
// first use (the copy would share storage with the original); use Clone.
type Space struct {
	entries []Entry // sorted by compareEntries; pairwise disjoint
}

// Len returns the number of entries in the Space.
func (s *Space) Len() int { return len(s.entries) }

// Entries returns a copy of the entries of the Space, sorted by address.
func (s *Space) Entries() []Entry { return slices.Clone(s.entries) }

// Clone returns an independent copy of the Space.
func (s *Space) Clone() *Space { return &Space{entries: slices.Clone(s.entries)} }

// Add adds p, owned by owner, to the Space. It returns an *OverlapError
// naming the lowest entry p overlaps (NET-4), and an error when p is
// invalid, IPv4-mapped or not canonical (host bits set).
func (s *Space) Add(owner string, p netip.Prefix) error {
	if err := checkPrefix("add", p); err != nil {
		return err
	}
	e := Entry{Owner: owner, Prefix: p}
	i, _ := slices.BinarySearchFunc(s.entries, e, compareEntries)
	if i > 0 && s.entries[i-1].Prefix.Overlaps(p) {
		o := s.entries[i-1]
		return &OverlapError{Prefix: p, Other: o.Prefix, OtherOwner: o.Owner}
	}
	if i < len(s.entries) && s.entries[i].Prefix.Overlaps(p) {
		o := s.entries[i]
		return &OverlapError{Prefix: p, Other: o.Prefix, OtherOwner: o.Owner}
	}
	s.entries = slices.Insert(s.entries, i, e)
	return nil
}

// Remove removes the entry whose prefix is exactly p and reports whether
// there was one.
func (s *Space) Remove(p netip.Prefix) bool {
	i, found := slices.BinarySearchFunc(s.entries, Entry{Prefix: p}, compareEntries)
	if !found || s.entries[i].Prefix != p {
		return false
	}
	s.entries = slices.Delete(s.entries, i, i+1)
	return true
}

// Overlapping returns every entry that shares an address with p, sorted by
// address, or nil when there is none.
func (s *Space) Overlapping(p netip.Prefix) []Entry {
	if !p.IsValid() {
		return nil
	}
	p = p.Masked()
	var out []Entry
	for _, e := range s.entries {
		if e.Prefix.Overlaps(p) {
			out = append(out, e)
		}
	}
	return out
}

// Allocate finds the lowest free block of prefix length bits inside within
// (aligned, so it is a valid canonical prefix), adds it to the Space for
// owner and returns it. When no block is free it returns a *NoRoomError
// saying how much room is left; it also fails when within is invalid or
// not canonical, or bits is shorter than within or longer than the family
// allows.
func (s *Space) Allocate(owner string, within netip.Prefix, bits int) (netip.Prefix, error) {
	if err := checkPrefix("allocate in", within); err != nil {
		return netip.Prefix{}, err
	}
	if bits < within.Bits() || bits > within.Addr().BitLen() {
		return netip.Prefix{}, fmt.Errorf("ipam: cannot allocate a /%d in %s: %w; want a length from %d to %d",
			bits, within, ErrBits, within.Bits(), within.Addr().BitLen())
	}
	is4 := within.Addr().Is4()
	_, last := bounds(within)
	mask := ones(within.Addr().BitLen() - bits)
	cand := toU128(within.Addr())
	for {
		blk := netip.PrefixFrom(fromU128(cand, is4), bits)
		ov := s.Overlapping(blk)
		if ov == nil {
			return blk, s.Add(owner, blk)
		}
		_, end := bounds(ov[len(ov)-1].Prefix)
		next, over := end.addOne()
		if !over {
			next, over = alignUp(next, mask)
			over = !over
		}
		if over || last.less(next) {
			return netip.Prefix{}, s.noRoom(within, bits)
		}
		cand = next
	}
}

// noRoom describes the free room left in within.
func (s *Space) noRoom(within netip.Prefix, length int) *NoRoomError {
	e := &NoRoomError{Within: within, Bits: length, Largest: -1}
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
	done := false
	for _, o := range s.Overlapping(within) {
		a, b := bounds(o.Prefix)
		if cur.less(a) {
			gap(cur, a.subOne())
		}
		next, over := b.addOne()
		if over || last.less(next) {
			done = true
			break
		}
		cur = next
	}
	if !done {
		gap(cur, last)
	}
	return e
}

// largestBlock returns the prefix length of the largest aligned block
// inside the range [a, b] of an address family width bits wide.
func largestBlock(a, b u128, width int) int {
	for host := width; host > 0; host-- {
		mask := ones(host)
		start, ok := alignUp(a, mask)
		if !ok {
			continue
		}
		end := start.or(mask)
		if !start.less(a) && !b.less(end) {
			return width - host
		}
	}
	return width
}

// CheckDisjoint reports every pair of entries that share an address (NET-4)
// as a *multierror.Error of rule violations, one per pair, or nil when the
// entries are pairwise disjoint. Pairs are listed by the input position of
// the earlier entry, then of the later one, and each names the later entry
// first. Entries with an invalid prefix overlap nothing.
func CheckDisjoint(entries ...Entry) error {
	var l rule.List
	for i, a := range entries {
		for j := i + 1; j < len(entries); j++ {
			b := entries[j]
			if a.Prefix.Overlaps(b.Prefix) {
				l.Add("NET-4", "%s; address ranges must not share any address",
					overlapText(b.Prefix, b.Owner, a.Prefix, a.Owner))
			}
		}
	}
	return l.Err()
}

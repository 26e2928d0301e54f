package ipam

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
)

// u128 is an address as an unsigned 128-bit number. IPv4 addresses use only
// the low 32 bits; the two families are never compared with each other.
type u128 struct{ hi, lo uint64 }

func toU128(a netip.Addr) u128 {
	if a.Is4() {
		b := a.As4()
		return u128{0, uint64(binary.BigEndian.Uint32(b[:]))}
	}
	b := a.As16()
	return u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

func fromU128(u u128, is4 bool) netip.Addr {
	if is4 {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(u.lo))
		return netip.AddrFrom4(b)
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], u.hi)
	binary.BigEndian.PutUint64(b[8:], u.lo)
	return netip.AddrFrom16(b)
}

func (u u128) less(v u128) bool { return u.hi < v.hi || (u.hi == v.hi && u.lo < v.lo) }

func (u u128) cmp(v u128) int {
	switch {
	case u.less(v):
		return -1
	case v.less(u):
		return 1
	}
	return 0
}

func (u u128) or(v u128) u128     { return u128{u.hi | v.hi, u.lo | v.lo} }
func (u u128) andNot(v u128) u128 { return u128{u.hi &^ v.hi, u.lo &^ v.lo} }

// add returns u+v and whether the sum overflowed 128 bits.
func (u u128) add(v u128) (u128, bool) {
	lo, c := bits.Add64(u.lo, v.lo, 0)
	hi, c := bits.Add64(u.hi, v.hi, c)
	return u128{hi, lo}, c != 0
}

// sub returns u-v; v must not exceed u.
func (u u128) sub(v u128) u128 {
	lo, b := bits.Sub64(u.lo, v.lo, 0)
	hi, _ := bits.Sub64(u.hi, v.hi, b)
	return u128{hi, lo}
}

// addOne returns u+1 and whether it overflowed.
func (u u128) addOne() (u128, bool) { return u.add(u128{0, 1}) }

// subOne returns u-1; u must not be zero.
func (u u128) subOne() u128 { return u.sub(u128{0, 1}) }

// ones returns the number with the low n bits set, 0 ≤ n ≤ 128.
func ones(n int) u128 {
	switch {
	case n <= 0:
		return u128{}
	case n < 64:
		return u128{0, 1<<n - 1}
	case n < 128:
		return u128{1<<(n-64) - 1, ^uint64(0)}
	}
	return u128{^uint64(0), ^uint64(0)}
}

// hostMask returns the host bits of p as a number.
func hostMask(p netip.Prefix) u128 { return ones(p.Addr().BitLen() - p.Bits()) }

// bounds returns the first and last address of the canonical prefix p.
func bounds(p netip.Prefix) (first, last u128) {
	first = toU128(p.Addr())
	return first, first.or(hostMask(p))
}

// maskedBounds returns the first and last address of p.Masked(), without
// building the masked prefix.
func maskedBounds(p netip.Prefix) (first, last u128) {
	a, m := toU128(p.Addr()), hostMask(p)
	return a.andNot(m), a.or(m)
}

// alignUp returns the smallest multiple of mask+1 (a power of two) that is
// at least u, and false when there is none below 2^128.
func alignUp(u, mask u128) (u128, bool) {
	v, over := u.add(mask)
	if over {
		return u128{}, false
	}
	return v.andNot(mask), true
}

// lenBits returns the number of significant bits of u, 0 for zero.
func (u u128) lenBits() int {
	if u.hi != 0 {
		return 64 + bits.Len64(u.hi)
	}
	return bits.Len64(u.lo)
}

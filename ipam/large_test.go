package ipam_test

import (
	"net/netip"
	"testing"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/ipam"
)

// bitmap is the oracle for a large Space: one bit per address of
// 10.0.0.0/12, set when the address is used.
type bitmap [1 << 20 / 64]uint64

func offset(a netip.Addr) int {
	b := a.As4()
	return int(b[1]&0x0f)<<16 | int(b[2])<<8 | int(b[3])
}

func (m *bitmap) set(p netip.Prefix, used bool) {
	start, n := offset(p.Addr()), 1<<(32-p.Bits())
	for i := start; i < start+n; i++ {
		if used {
			m[i/64] |= 1 << (i % 64)
		} else {
			m[i/64] &^= 1 << (i % 64)
		}
	}
}

func (m *bitmap) free(start, n int) bool {
	for i := start; i < start+n; {
		if i%64 == 0 && n-(i-start) >= 64 {
			if m[i/64] != 0 {
				return false
			}
			i += 64
			continue
		}
		if m[i/64]&(1<<(i%64)) != 0 {
			return false
		}
		i++
	}
	return true
}

// TestAllocateLargeSpace checks Allocate and Remove against a bitmap of
// every address when the Space holds tens of thousands of entries, enough
// for the summaries of chunks and groups of chunks to matter. Invariant:
// Allocate returns the lowest free aligned block, as found by scanning the
// bitmap, and the Space's structure stays consistent.
func TestAllocateLargeSpace(t *testing.T) {
	pool := ipam.MustParsePrefix("10.0.0.0/12")
	rapid.Check(t, func(t *rapid.T) {
		var s ipam.Space
		var m bitmap
		var entries []netip.Prefix
		add := func(p netip.Prefix) {
			if s.Add("bulk", p) == nil {
				m.set(p, true)
				entries = append(entries, p)
			}
		}
		// A packed stretch and many scattered small entries.
		packedFrom := rapid.IntRange(0, 1<<20-1<<16).Draw(t, "packedFrom") &^ 15
		for i := range rapid.IntRange(0, 4096).Draw(t, "packed") {
			add(netip.PrefixFrom(addLow(v4Base, uint64(packedFrom+i*16)), 28))
		}
		seed := rapid.Uint64().Draw(t, "seed")
		for i := range rapid.IntRange(7000, 14000).Draw(t, "scattered") {
			x := (seed + uint64(i)*0x9E3779B97F4A7C15) >> 40 // 24 bits
			bits := 28 + int(x&3)
			add(netip.PrefixFrom(addLow(v4Base, (x>>4)%(1<<20)), bits).Masked())
		}
		for range rapid.IntRange(1, 30).Draw(t, "ops") {
			if len(entries) > 0 && rapid.IntRange(0, 3).Draw(t, "remove") == 0 {
				i := rapid.IntRange(0, len(entries)-1).Draw(t, "entry")
				if !s.Remove(entries[i]) {
					t.Fatalf("Remove(%v) = false", entries[i])
				}
				m.set(entries[i], false)
				entries[i] = entries[len(entries)-1]
				entries = entries[:len(entries)-1]
				continue
			}
			within := pool
			if rapid.Bool().Draw(t, "smaller") {
				within = netip.PrefixFrom(addLow(v4Base, uint64(rapid.IntRange(0, 15).Draw(t, "sub"))<<16), 16)
			}
			bits := rapid.IntRange(within.Bits(), 30).Draw(t, "bits")
			size := 1 << (32 - bits)
			want := netip.Prefix{}
			for start := offset(within.Addr()); start < offset(within.Addr())+1<<(32-within.Bits()); start += size {
				if m.free(start, size) {
					want = netip.PrefixFrom(addLow(v4Base, uint64(start)), bits)
					break
				}
			}
			got, err := s.Allocate("new", within, bits)
			if got != want || (err == nil) != want.IsValid() {
				t.Fatalf("Allocate(%v, %d) = %v, %v; want %v", within, bits, got, err, want)
			}
			if err == nil {
				m.set(got, true)
				entries = append(entries, got)
			}
		}
		if s.Len() != len(entries) {
			t.Fatalf("Len = %d, want %d", s.Len(), len(entries))
		}
		if err := ipam.CheckInvariants(&s); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAllocateFindsEveryHole packs 10,000 /32s back to back and, for every
// aligned /30 among them in turn, frees it and checks that Allocate finds
// exactly that hole: wherever it falls in the chunks and groups of chunks
// the Space keeps, including the first and the last entries.
func TestAllocateFindsEveryHole(t *testing.T) {
	const n = 10_000
	pool := ipam.MustParsePrefix("10.0.0.0/16")
	addr := func(i int) netip.Prefix { return netip.PrefixFrom(addLow(v4Base, uint64(i)), 32) }
	var s ipam.Space
	for i := range n {
		if err := s.Add("packed", addr(i)); err != nil {
			t.Fatal(err)
		}
	}
	for k := 0; k < n; k += 4 {
		for i := k; i < k+4; i++ {
			s.Remove(addr(i))
		}
		want := netip.PrefixFrom(addr(k).Addr(), 30)
		if got, err := s.Allocate("hole", pool, 30); got != want {
			t.Fatalf("with %v free, Allocate(%v, 30) = %v, %v", want, pool, got, err)
		}
		s.Remove(want)
		for i := k; i < k+4; i++ {
			if err := s.Add("packed", addr(i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// With no hole, the block after the last entry.
	if got, err := s.Allocate("after", pool, 30); got != netip.PrefixFrom(addr(n).Addr(), 30) {
		t.Errorf("Allocate(%v, 30) = %v, %v; want the block after the last entry", pool, got, err)
	}
	if err := ipam.CheckInvariants(&s); err != nil {
		t.Fatal(err)
	}
}

package ipam_test

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/rule"
)

// The pools are small so that random prefixes collide often: IPv4 prefixes
// of length 18–28 around 10.0.0.0/20 and, now and then, IPv6 prefixes of
// length 116–124 in 2001:db8::/116 or ::/116.
var (
	v4Base = netip.MustParseAddr("10.0.0.0")
	v6Base = netip.MustParseAddr("2001:db8::")
)

// addLow adds n to the low 64 bits of a (no carry is needed in the pools).
func addLow(a netip.Addr, n uint64) netip.Addr {
	if a.Is4() {
		b := a.As4()
		v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		v += uint32(n)
		return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	}
	b := a.As16()
	var lo uint64
	for _, x := range b[8:] {
		lo = lo<<8 | uint64(x)
	}
	lo += n
	for i := 15; i >= 8; i-- {
		b[i] = byte(lo)
		lo >>= 8
	}
	return netip.AddrFrom16(b)
}

// genRaw generates a prefix of the pools whose address may have host bits
// set.
func genRaw(minBits4, maxBits4 int) *rapid.Generator[netip.Prefix] {
	return rapid.Custom(func(t *rapid.T) netip.Prefix {
		if rapid.IntRange(0, 9).Draw(t, "family") == 0 {
			// Mostly 2001:db8::/116, sometimes ::/116, whose keys have no
			// high half.
			base := rapid.SampledFrom([]netip.Addr{v6Base, v6Base, netip.IPv6Unspecified()}).Draw(t, "base6")
			off := rapid.Uint64Range(0, 1<<13-1).Draw(t, "offset6")
			bits := rapid.IntRange(116+minBits4-18, 124).Draw(t, "bits6")
			return netip.PrefixFrom(addLow(base, off), bits)
		}
		off := rapid.Uint64Range(0, 1<<13-1).Draw(t, "offset")
		bits := rapid.IntRange(minBits4, maxBits4).Draw(t, "bits")
		return netip.PrefixFrom(addLow(v4Base, off), bits)
	})
}

// genPrefix generates canonical prefixes of the pools.
func genPrefix(minBits4, maxBits4 int) *rapid.Generator[netip.Prefix] {
	return rapid.Map(genRaw(minBits4, maxBits4), netip.Prefix.Masked)
}

var genOwner = rapid.SampledFrom([]string{"hub", "spoke", "on-premises", ""})

// compareModel orders entries as a Space lists them: by address, IPv4
// first, then shorter prefixes first.
func compareModel(a, b ipam.Entry) int {
	return cmp.Or(a.Prefix.Addr().Compare(b.Prefix.Addr()), cmp.Compare(a.Prefix.Bits(), b.Prefix.Bits()))
}

// model is the brute-force Space: a sorted slice checked pairwise.
type model []ipam.Entry

func (m model) overlapping(p netip.Prefix) []ipam.Entry {
	var out []ipam.Entry
	for _, e := range m {
		if e.Prefix.Overlaps(p) {
			out = append(out, e)
		}
	}
	return out
}

func (m *model) add(e ipam.Entry) error {
	if o := m.overlapping(e.Prefix); o != nil {
		return &ipam.OverlapError{Prefix: e.Prefix, Other: o[0].Prefix, OtherOwner: o[0].Owner}
	}
	i, _ := slices.BinarySearchFunc(*m, e, compareModel)
	*m = slices.Insert(*m, i, e)
	return nil
}

// addAllProblems counts what AddAll must report for es: each entry that
// is not canonical, each pair of entries that overlap, and each entry that
// overlaps the model.
func (m model) addAllProblems(es []ipam.Entry) int {
	n := 0
	for i, e := range es {
		if !e.Prefix.IsValid() || e.Prefix.Masked() != e.Prefix {
			n++
			continue
		}
		if m.overlapping(e.Prefix) != nil {
			n++
		}
		for _, f := range es[:i] {
			if f.Prefix.IsValid() && f.Prefix.Masked() == f.Prefix && f.Prefix.Overlaps(e.Prefix) {
				n++
			}
		}
	}
	return n
}

// problemCount returns how many problems a multierror holds (0 for nil).
func problemCount(err error) int {
	var me interface{ WrappedErrors() []error }
	if err == nil {
		return 0
	}
	if errors.As(err, &me) {
		return len(me.WrappedErrors())
	}
	return 1
}

// blocks returns every aligned block of length bits inside within, lowest
// first.
func blocks(within netip.Prefix, bits int) []netip.Prefix {
	n := 1 << (bits - within.Bits())
	step := uint64(1) << (within.Addr().BitLen() - bits)
	out := make([]netip.Prefix, n)
	for i := range out {
		out[i] = netip.PrefixFrom(addLow(within.Addr(), uint64(i)*step), bits)
	}
	return out
}

// allocate finds the lowest free block by trying every candidate, or the
// NoRoomError the Space must return.
func (m model) allocate(within netip.Prefix, bits int) (netip.Prefix, *ipam.NoRoomError) {
	for _, b := range blocks(within, bits) {
		if m.overlapping(b) == nil {
			return b, nil
		}
	}
	nr := &ipam.NoRoomError{Within: within, Bits: bits, Largest: -1}
	used := uint64(0)
	for _, e := range m.overlapping(within) {
		if e.Prefix.Bits() <= within.Bits() {
			used = 1 << (within.Addr().BitLen() - within.Bits())
			break
		}
		used += 1 << (e.Prefix.Addr().BitLen() - e.Prefix.Bits())
	}
	nr.Free = 1<<(within.Addr().BitLen()-within.Bits()) - used
	for l := within.Bits(); l <= within.Addr().BitLen() && nr.Largest < 0 && nr.Free > 0; l++ {
		for _, b := range blocks(within, l) {
			if m.overlapping(b) == nil {
				nr.Largest = l
				break
			}
		}
	}
	return netip.Prefix{}, nr
}

// cmpOpts lets go-cmp compare netip values, whose fields are unexported.
var cmpOpts = gocmp.Comparer(func(a, b netip.Prefix) bool { return a == b })

// TestSpaceMatchesModel drives a Space and the brute-force model with the
// same random operations. Invariant: after every step the Space holds
// exactly the model's entries in the same order, they are pairwise
// disjoint, and every operation returned what the model returned.
func TestSpaceMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s ipam.Space
		var m model
		t.Repeat(map[string]func(*rapid.T){
			"Add": func(t *rapid.T) {
				e := ipam.Entry{Owner: genOwner.Draw(t, "owner"), Prefix: genPrefix(18, 28).Draw(t, "p")}
				want := m.add(e)
				got := s.Add(e.Owner, e.Prefix)
				if diff := gocmp.Diff(want, got, cmpOpts); diff != "" {
					t.Fatalf("Add(%v) (-want +got):\n%s", e, diff) // RULE NET-4
				}
			},
			"AddMany": func(t *rapid.T) {
				// Small blocks by the hundred, so that chunks split and
				// merge.
				n := rapid.IntRange(30, 200).Draw(t, "n")
				bits := rapid.IntRange(26, 32).Draw(t, "bits")
				seed := rapid.Uint64().Draw(t, "seed")
				for i := range n {
					off := (seed + uint64(i)*2654435761) % (1 << 12)
					p := netip.PrefixFrom(addLow(v4Base, off), bits).Masked()
					e := ipam.Entry{Owner: "many", Prefix: p}
					want, got := m.add(e), s.Add(e.Owner, e.Prefix)
					if want == nil && got == nil {
						continue // the common case, without a costly diff
					}
					if diff := gocmp.Diff(want, got, cmpOpts); diff != "" {
						t.Fatalf("Add(%v) (-want +got):\n%s", e, diff)
					}
				}
			},
			"AddAll": func(t *rapid.T) {
				// Entries that overlap each other, the Space, or are not
				// canonical now and then: then AddAll adds nothing and
				// names every problem; else it adds them all.
				es := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) ipam.Entry {
					return ipam.Entry{Owner: genOwner.Draw(t, "owner"), Prefix: genRaw(22, 32).Draw(t, "p")}
				}), 0, 40).Draw(t, "entries")
				want := m.addAllProblems(es)
				err := s.AddAll(es...)
				if got := problemCount(err); got != want {
					t.Fatalf("AddAll(%v) = %v; want %d problems", es, err, want) // RULE NET-4
				}
				if want == 0 {
					for _, e := range es {
						if err := m.add(e); err != nil {
							t.Fatalf("model cannot add %v: %v", e, err)
						}
					}
				}
			},
			"RemoveMany": func(t *rapid.T) {
				// Remove every k-th entry, from phase on.
				k := rapid.IntRange(1, 4).Draw(t, "k")
				phase := rapid.IntRange(0, 3).Draw(t, "phase")
				var kept model
				for i, e := range m {
					if (i+phase)%k != 0 {
						kept = append(kept, e)
						continue
					}
					if !s.Remove(e.Prefix) {
						t.Fatalf("Remove(%v) = false for an entry", e.Prefix)
					}
				}
				m = kept
			},
			"Remove": func(t *rapid.T) {
				p := genPrefix(18, 28).Draw(t, "p")
				if len(m) > 0 && rapid.Bool().Draw(t, "existing") {
					p = rapid.SampledFrom(m).Draw(t, "entry").Prefix
				}
				i := slices.IndexFunc(m, func(e ipam.Entry) bool { return e.Prefix == p })
				if i >= 0 {
					m = slices.Delete(m, i, i+1)
				}
				if got := s.Remove(p); got != (i >= 0) {
					t.Fatalf("Remove(%v) = %v, want %v", p, got, i >= 0)
				}
			},
			"Overlapping": func(t *rapid.T) {
				p := genRaw(16, 32).Draw(t, "p")
				if diff := gocmp.Diff(m.overlapping(p), s.Overlapping(p), cmpOpts); diff != "" {
					t.Fatalf("Overlapping(%v) (-want +got):\n%s", p, diff)
				}
			},
			"Allocate": func(t *rapid.T) {
				within := genPrefix(18, 28).Draw(t, "within")
				bits := rapid.IntRange(within.Bits(), min(within.Bits()+8, within.Addr().BitLen())).Draw(t, "bits")
				owner := genOwner.Draw(t, "owner")
				want, wantErr := m.allocate(within, bits)
				got, err := s.Allocate(owner, within, bits)
				if wantErr != nil {
					var nr *ipam.NoRoomError
					if !errors.As(err, &nr) {
						t.Fatalf("Allocate(%v, %d) = %v, %v; want %v", within, bits, got, err, wantErr)
					}
					if diff := gocmp.Diff(wantErr, nr, cmpOpts); diff != "" {
						t.Fatalf("Allocate(%v, %d) error (-want +got):\n%s", within, bits, diff)
					}
					return
				}
				if err != nil || got != want {
					t.Fatalf("Allocate(%v, %d) = %v, %v; want %v", within, bits, got, err, want)
				}
				if err := m.add(ipam.Entry{Owner: owner, Prefix: want}); err != nil {
					t.Fatalf("model cannot add the allocated block: %v", err)
				}
			},
			"Clone": func(t *rapid.T) {
				c := s.Clone()
				if diff := gocmp.Diff([]ipam.Entry(m), c.Entries(), cmpOpts, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("Clone().Entries() (-want +got):\n%s", diff)
				}
				p := genPrefix(18, 28).Draw(t, "p")
				_ = c.Add("clone", p)
				if len(m) > 0 {
					c.Remove(m[0].Prefix)
				}
			},
			"": func(t *rapid.T) {
				// slices.Equal first: a diff of thousands of entries on
				// every step would dominate the test's time.
				if got := s.Entries(); !slices.Equal(m, got) {
					t.Fatalf("Entries (-want +got):\n%s", gocmp.Diff([]ipam.Entry(m), got, cmpOpts, cmpopts.EquateEmpty()))
				}
				if s.Len() != len(m) {
					t.Fatalf("Len = %d, want %d", s.Len(), len(m))
				}
				if err := ipam.CheckDisjoint(s.Entries()...); err != nil {
					t.Fatalf("entries overlap: %v", err) // RULE NET-4
				}
				if err := ipam.CheckInvariants(&s); err != nil {
					t.Fatal(err)
				}
			},
		})
	})
}

// TestAllocateIsLowestFreeBlock: whatever the Space holds, an allocated
// block lies inside within, has the asked length, is canonical, overlapped
// nothing, and no lower aligned block of that length was free; when
// Allocate fails, no block was free at all.
func TestAllocateIsLowestFreeBlock(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s ipam.Space
		for _, p := range rapid.SliceOfN(genPrefix(19, 28), 0, 40).Draw(t, "used") {
			_ = s.Add("used", p)
		}
		before := model(s.Entries())
		within := genPrefix(18, 26).Draw(t, "within")
		bits := rapid.IntRange(within.Bits(), min(within.Bits()+8, within.Addr().BitLen())).Draw(t, "bits")
		got, err := s.Allocate("new", within, bits)
		if err != nil {
			for _, b := range blocks(within, bits) {
				if before.overlapping(b) == nil {
					t.Fatalf("Allocate(%v, %d) = %v, but %v is free", within, bits, err, b)
				}
			}
			return
		}
		if got.Bits() != bits || !within.Contains(got.Addr()) || got.Masked() != got {
			t.Fatalf("Allocate(%v, %d) = %v: not a canonical /%d inside %v", within, bits, got, bits, within)
		}
		if o := before.overlapping(got); o != nil {
			t.Fatalf("Allocate(%v, %d) = %v overlaps %v", within, bits, got, o)
		}
		for _, b := range blocks(within, bits) {
			if b == got {
				break
			}
			if before.overlapping(b) == nil {
				t.Fatalf("Allocate(%v, %d) = %v, but the lower %v is free", within, bits, got, b)
			}
		}
		if o := s.Overlapping(got); len(o) != 1 || o[0] != (ipam.Entry{Owner: "new", Prefix: got}) {
			t.Fatalf("after Allocate, Overlapping(%v) = %v, want the new entry", got, o)
		}
	})
}

// TestCheckDisjointFindsEveryPair: CheckDisjoint reports exactly the pairs
// a pairwise Overlaps check finds, in input order, each as a NET-4
// violation naming both ranges and owners. Prefixes may have host bits set
// or be invalid.
func TestCheckDisjointFindsEveryPair(t *testing.T) {
	genEntry := rapid.Custom(func(t *rapid.T) ipam.Entry {
		p := genRaw(18, 28).Draw(t, "p")
		if rapid.IntRange(0, 19).Draw(t, "invalid") == 0 {
			p = netip.Prefix{}
		}
		return ipam.Entry{Owner: genOwner.Draw(t, "owner"), Prefix: p}
	})
	rapid.Check(t, func(t *rapid.T) {
		es := rapid.SliceOfN(genEntry, 0, 30).Draw(t, "entries")
		if rapid.IntRange(0, 3).Draw(t, "many") == 0 {
			// Enough small ranges for the radix sort of IPv4 entries.
			es = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) ipam.Entry {
				off := rapid.Uint64Range(0, 1<<14-1).Draw(t, "offset")
				p := netip.PrefixFrom(addLow(v4Base, off), rapid.IntRange(24, 32).Draw(t, "bits"))
				return ipam.Entry{Owner: genOwner.Draw(t, "owner"), Prefix: p}
			}), 64, 120).Draw(t, "many entries")
		}
		var want []*rule.Violation
		for i, a := range es {
			for _, b := range es[i+1:] {
				if a.Prefix.Overlaps(b.Prefix) {
					want = append(want, &rule.Violation{ID: "NET-4", Msg: pairText(b, a)})
				}
			}
		}
		err := ipam.CheckDisjoint(es...)
		if diff := gocmp.Diff(want, rule.Violations(err)); diff != "" {
			t.Fatalf("CheckDisjoint (-want +got):\n%s", diff) // RULE NET-4
		}
		if (err == nil) != (want == nil) {
			t.Fatalf("CheckDisjoint = %v, want %d violations", err, len(want))
		}
	})
}

// pairText is the message CheckDisjoint gives when later overlaps earlier.
func pairText(later, earlier ipam.Entry) string {
	s := later.Prefix.String()
	if later.Owner != "" {
		s += " of " + later.Owner
	}
	s += " overlaps " + earlier.Prefix.String()
	if earlier.Owner != "" {
		s += " owned by " + earlier.Owner
	}
	return s + "; address ranges must not share any address"
}

// TestUsableFormula: Usable is 2^(host bits) − 5, at least 0 and at most
// math.MaxInt (NET-14), for every prefix length of both families.
func TestUsableFormula(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := rapid.OneOf(genRaw(0, 32), rapid.Custom(func(t *rapid.T) netip.Prefix {
			return netip.PrefixFrom(v6Base, rapid.IntRange(0, 128).Draw(t, "bits6"))
		})).Draw(t, "p")
		n := new(big.Int).Lsh(big.NewInt(1), uint(p.Addr().BitLen()-p.Bits()))
		n.Sub(n, big.NewInt(5))
		want := n.Int64()
		switch {
		case n.Sign() < 0:
			want = 0
		case !n.IsInt64():
			want = math.MaxInt64
		}
		if got := ipam.Usable(p); int64(got) != want {
			t.Fatalf("Usable(%v) = %d, want %d", p, got, want) // RULE NET-14
		}
	})
}

// TestParsePrefixRoundTrip: every canonical prefix parses back from its
// String, and every prefix with host bits set is refused with an error
// naming the canonical prefix.
func TestParsePrefixRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		raw := rapid.OneOf(genRaw(0, 32), rapid.Custom(func(t *rapid.T) netip.Prefix {
			var b [16]byte
			for i := range b {
				b[i] = byte(rapid.IntRange(0, 255).Draw(t, "byte"))
			}
			return netip.PrefixFrom(netip.AddrFrom16(b), rapid.IntRange(0, 128).Draw(t, "bits6"))
		})).Draw(t, "p")
		if raw.Addr().Is4In6() {
			if _, err := ipam.ParsePrefix(raw.String()); !errors.Is(err, ipam.ErrMapped) {
				t.Fatalf("ParsePrefix(%q) = %v, want ErrMapped", raw, err)
			}
			return
		}
		p := raw.Masked()
		got, err := ipam.ParsePrefix(p.String())
		if err != nil || got != p {
			t.Fatalf("ParsePrefix(%q) = %v, %v; want %v", p, got, err, p)
		}
		if raw != p {
			_, err := ipam.ParsePrefix(raw.String())
			if !errors.Is(err, ipam.ErrNotCanonical) || !strings.Contains(err.Error(), fmt.Sprintf("did you mean %s?", p)) {
				t.Fatalf("ParsePrefix(%q) = %v, want an error naming %v", raw, err, p)
			}
		}
	})
}

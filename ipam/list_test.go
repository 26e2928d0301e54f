package ipam

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestFirstAtLeast: the eight-bytes-at-a-time search finds the same index
// as a byte-by-byte loop, for every threshold and any bytes (including
// those of 128 and more, which could carry between bytes).
func TestFirstAtLeast(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := rapid.SliceOfN(rapid.SampledFrom([]uint8{0, 1, 2, 7, 8, 9, 63, 126, 127, 128, 129, 200, 255}), 0, 40).Draw(t, "b")
		want := uint8(rapid.IntRange(0, 255).Draw(t, "want"))
		model := slices.IndexFunc(b, func(x uint8) bool { return x >= want })
		if got := firstAtLeast(b, want); got != model {
			t.Fatalf("firstAtLeast(%v, %d) = %d, want %d", b, want, got, model)
		}
	})
}

// TestUpperBounds: the searches find the index of the first key greater
// than k in any sorted keys, as a linear scan does.
func TestUpperBounds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		keys := rapid.SliceOfN(rapid.Uint64Range(0, 3000), 0, 3*maxChunk).Draw(t, "keys")
		slices.Sort(keys)
		keys = slices.Compact(keys)
		k := rapid.Uint64Range(0, 3001).Draw(t, "k")
		want := len(keys)
		if i := slices.IndexFunc(keys, func(x uint64) bool { return x > k }); i >= 0 {
			want = i
		}
		if got := upperBoundWide(keys, k); got != want {
			t.Fatalf("upperBoundWide(%v, %d) = %d, want %d", keys, k, got, want)
		}
		if len(keys) <= maxChunk {
			if got := upperBoundChunk(keys, k); got != want {
				t.Fatalf("upperBoundChunk(%v, %d) = %d, want %d", keys, k, got, want)
			}
		}
	})
}

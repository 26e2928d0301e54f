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

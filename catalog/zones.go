package catalog

import "github.com/daasflex/daasflex/network"

// ZoneCount is how many availability zones a region with zones offers to
// Flex (AZ-9).
const ZoneCount = 3

// NoZone is the zone of a machine in a region without availability zones.
const NoZone = 0

// SpreadZones returns the availability zones of n new machines in region r
// (CAT-15), given the zones of the machines already there: in a region with
// zones (network.Region.HasZones) each new machine goes to the zone holding
// the fewest machines so far, the lowest-numbered zone on a tie, which for
// an empty catalog is round-robin 1, 2, 3, 1, …; in a region without zones
// every machine gets NoZone. Existing zones outside 1–3 are ignored.
// The slice has n entries (none for n ≤ 0).
func SpreadZones(r network.Region, existing []int, n int) []int {
	if n <= 0 {
		return nil
	}
	out := make([]int, n)
	if !r.HasZones() {
		return out
	}
	var count [ZoneCount + 1]int
	for _, z := range existing {
		if z >= 1 && z <= ZoneCount {
			count[z]++
		}
	}
	for i := range out {
		best := 1
		for z := 2; z <= ZoneCount; z++ {
			if count[z] < count[best] {
				best = z
			}
		}
		out[i] = best
		count[best]++
	}
	return out
}

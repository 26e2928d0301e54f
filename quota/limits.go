package quota

import (
	"strconv"

	"github.com/daasflex/daasflex/rule"
)

// MaxLimit is the largest value Validate accepts for a count limit, and the
// largest amount one Change may add or remove. It keeps every sum the Ledger
// forms far from integer overflow.
const MaxLimit = 1_000_000_000

// Limits are the configurable limits of a tenant (LIM-9). The zero value has
// every limit at zero and is not valid; start from DefaultLimits.
type Limits struct {
	ADDomainsPerTenant                    int // LIM-1: Active Directory domains in the tenant (25)
	CatalogsPerTenant                     int // LIM-2: catalogs in the tenant (100)
	ResourceLocationsPerTenant            int // LIM-3: resource locations in the tenant (25)
	VDAsPerSubscription                   int // LIM-4: VDAs across all catalogs of one subscription (5,000); see Ledger for the bound
	NearLimitPercent                      int // LIM-5: a subscription is near its limit at this percentage of LIM-4 or more (90)
	ADDomainsPerResourceLocation          int // LIM-6: Active Directory domains in one resource location (1)
	SingleSessionUsersPerResourceLocation int // LIM-7: single-session users served by one resource location (5,000)
	MultiSessionUsersPerResourceLocation  int // LIM-8: multi-session users served by one resource location (25,000)
}

// DefaultLimits returns the limits the service documents (LIM-1…LIM-8).
func DefaultLimits() Limits {
	return Limits{
		ADDomainsPerTenant:                    25,
		CatalogsPerTenant:                     100,
		ResourceLocationsPerTenant:            25,
		VDAsPerSubscription:                   5_000,
		NearLimitPercent:                      90,
		ADDomainsPerResourceLocation:          1,
		SingleSessionUsersPerResourceLocation: 5_000,
		MultiSessionUsersPerResourceLocation:  25_000,
	}
}

// Validate reports every limit that cannot be used (LIM-9): a count limit
// must be between 1 and MaxLimit, NearLimitPercent between 1 and 100, and a
// resource location cannot allow more domains than its tenant.
func (l Limits) Validate() error {
	var list rule.List
	counts := []struct {
		name, id string
		v        int
	}{
		{"ADDomainsPerTenant", "LIM-1", l.ADDomainsPerTenant},
		{"CatalogsPerTenant", "LIM-2", l.CatalogsPerTenant},
		{"ResourceLocationsPerTenant", "LIM-3", l.ResourceLocationsPerTenant},
		{"VDAsPerSubscription", "LIM-4", l.VDAsPerSubscription},
		{"ADDomainsPerResourceLocation", "LIM-6", l.ADDomainsPerResourceLocation},
		{"SingleSessionUsersPerResourceLocation", "LIM-7", l.SingleSessionUsersPerResourceLocation},
		{"MultiSessionUsersPerResourceLocation", "LIM-8", l.MultiSessionUsersPerResourceLocation},
	}
	for _, c := range counts {
		if c.v < 1 || c.v > MaxLimit {
			list.Add("LIM-9", "%s (%s) is %s; must be between 1 and %s", c.name, c.id, group(c.v), group(MaxLimit))
		}
	}
	if l.NearLimitPercent < 1 || l.NearLimitPercent > 100 {
		list.Add("LIM-9", "NearLimitPercent (LIM-5) is %d; must be between 1 and 100", l.NearLimitPercent)
	}
	if l.ADDomainsPerResourceLocation > l.ADDomainsPerTenant && l.ADDomainsPerTenant >= 1 {
		list.Add("LIM-9", "ADDomainsPerResourceLocation (LIM-6) is %s, more than ADDomainsPerTenant (LIM-1) %s; must be at most %s",
			group(l.ADDomainsPerResourceLocation), group(l.ADDomainsPerTenant), group(l.ADDomainsPerTenant))
	}
	return list.Err()
}

// Near reports whether a subscription holding vdas VDAs is near its limit
// (LIM-5): at NearLimitPercent of VDAsPerSubscription or more. With the
// defaults, 4,500 of 5,000 is near and 4,499 is not.
func (l Limits) Near(vdas int) bool {
	if l.VDAsPerSubscription <= 0 || l.NearLimitPercent <= 0 {
		return false
	}
	// vdas/limit ≥ percent/100, in integers; both sides stay far below overflow
	// for values Validate accepts.
	return int64(vdas)*100 >= int64(l.VDAsPerSubscription)*int64(l.NearLimitPercent)
}

// MachinesFor returns how many machines serve users unique users at
// usersPerMachine users each: ⌈users ÷ usersPerMachine⌉ (CAT-2). Bad input —
// usersPerMachine below 1 or users below 0 — returns 0 and never panics; use
// Machines to have it refused with an error instead.
func MachinesFor(usersPerMachine, users int) int {
	if usersPerMachine < 1 || users < 0 {
		return 0
	}
	n := users / usersPerMachine
	if users%usersPerMachine != 0 {
		n++
	}
	return n
}

// Machines is MachinesFor that refuses bad input (CAT-2): usersPerMachine and
// users must both be at least 1. The error lists every problem.
func Machines(usersPerMachine, users int) (int, error) {
	var list rule.List
	if usersPerMachine < 1 {
		list.Add("CAT-2", "users per machine is %s; must be at least 1", group(usersPerMachine))
	}
	if users < 1 {
		list.Add("CAT-2", "unique users is %s; must be at least 1", group(users))
	}
	if err := list.Err(); err != nil {
		return 0, err
	}
	return MachinesFor(usersPerMachine, users), nil
}

// group formats n with thousands separators: 5000 → "5,000", -1234 → "-1,234".
func group(n int) string {
	s := strconv.Itoa(n)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

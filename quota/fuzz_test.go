package quota

import (
	"errors"
	"testing"

	"github.com/daasflex/daasflex/rule"
)

// FuzzParseMachineType: never panics; what parses is valid and round-trips
// through String; what does not is a CAT-1 violation.
func FuzzParseMachineType(f *testing.F) {
	for _, s := range []string{"static", "Random", "multi-session", "Multi Session", "", "pooled", "static\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMachineType(s)
		if err != nil {
			if !rule.Has(err, "CAT-1") || m != 0 {
				t.Fatalf("ParseMachineType(%q) = %v, %v", s, m, err)
			}
			return
		}
		if back, err := ParseMachineType(m.String()); !m.IsValid() || err != nil || back != m {
			t.Fatalf("ParseMachineType(%q) = %v; round trip %v, %v", s, m, back, err)
		}
	})
}

// FuzzParseSessionType: as FuzzParseMachineType, for session types.
func FuzzParseSessionType(f *testing.F) {
	for _, s := range []string{"single-session", "MULTI-SESSION", "multi", "", "dual-session"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseSessionType(s)
		if err != nil {
			if !rule.Has(err, "CAT-1") || st != 0 {
				t.Fatalf("ParseSessionType(%q) = %v, %v", s, st, err)
			}
			return
		}
		if back, err := ParseSessionType(st.String()); !st.IsValid() || err != nil || back != st {
			t.Fatalf("ParseSessionType(%q) = %v; round trip %v, %v", s, st, back, err)
		}
	})
}

// FuzzPersonaByName: never panics; a persona found is a valid built-in
// found again by its own name.
func FuzzPersonaByName(f *testing.F) {
	for _, s := range []string{"Knowledge worker", "task worker (medium)", "Task-Worker-Heavy", "", "(((", "Power\tworker"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		p, ok := PersonaByName(name)
		if !ok {
			if p != (Persona{}) {
				t.Fatalf("PersonaByName(%q) = %v, false; want the zero Persona", name, p)
			}
			return
		}
		again, ok2 := PersonaByName(p.Name)
		if err := p.Validate(); err != nil || !ok2 || again != p {
			t.Fatalf("PersonaByName(%q) = %v: Validate %v, again %v %v", name, p, err, again, ok2)
		}
	})
}

// FuzzLedger feeds arbitrary changes, commits and releases to a Ledger.
// Invariant: no panic, every error is ErrLimit or ErrInvalidChange, and no
// usage is ever negative or over its limit.
func FuzzLedger(f *testing.F) {
	f.Add([]byte{0, 1, 1, 5, 0, 0, 0, 0, 1, 0, 2, 0})
	f.Add([]byte{3, 2, 0, 0, 1, 1, 3, 4, 1, 0, 0, 0, 255, 128, 7})
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := NewLedger(small())
		if err != nil {
			t.Fatal(err)
		}
		names := []string{"", "A", "B", "C"}
		next := func() int {
			if len(data) == 0 {
				return 0
			}
			b := data[0]
			data = data[1:]
			return int(int8(b))
		}
		name := func() string { return names[(next()%4+4)%4] }
		var held []*Reservation
		for len(data) > 0 {
			switch op := (next()%3 + 3) % 3; {
			case op == 0:
				c := Change{Subscription: name(), Catalog: name(), ResourceLocation: name(), Domain: name(),
					Catalogs: next() % 3, VDAs: next(), ResourceLocations: next() % 3, DomainRefs: next() % 4,
					SingleSessionUsers: next(), MultiSessionUsers: next()}
				if next()%7 == 0 {
					c.VDAs *= 1 << 30 // beyond MaxLimit
				}
				r, err := l.Reserve(c)
				if err != nil {
					if !isRefusal(err) {
						t.Fatalf("Reserve(%+v) = %v", c, err)
					}
					continue
				}
				held = append(held, r)
			case len(held) > 0:
				i := (next()%len(held) + len(held)) % len(held)
				if op == 1 {
					if err := held[i].Commit(); err != nil {
						t.Fatalf("Commit() = %v", err)
					}
				} else {
					held[i].Release()
				}
				held = append(held[:i], held[i+1:]...)
			}
			checkUsage(t, l.Usage())
		}
	})
}

// isRefusal reports whether err is one of the Ledger's two refusals.
func isRefusal(err error) bool {
	return errors.Is(err, ErrLimit) || errors.Is(err, ErrInvalidChange)
}

func checkUsage(t *testing.T, u Usage) {
	t.Helper()
	counts := []Count{u.ADDomains, u.Catalogs, u.ResourceLocations}
	for _, s := range u.Subscriptions {
		counts = append(counts, s.VDAs)
	}
	for _, r := range u.Locations {
		counts = append(counts, r.ADDomains, r.SingleSessionUsers, r.MultiSessionUsers)
	}
	for _, c := range counts {
		top := c.InUse + c.Reserved
		if c.InUse < 0 || c.Reserved < 0 || top > c.Limit || (c.Rule == "LIM-4" && top >= c.Limit) {
			t.Fatalf("%s out of bounds: %+v", c.Rule, c)
		}
	}
}

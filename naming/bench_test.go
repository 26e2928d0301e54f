package naming

import "testing"

// Targets (issue 3): Name under 150 ns and at most 1 allocation; Parse under
// 2 µs.

func BenchmarkName(b *testing.B) {
	cases := []struct {
		name   string
		scheme Scheme
		n      int
	}{
		{"digits", MustParse("PC-Sales-##", Digits), 123456},
		{"letters-skips", MustParse("PC-##", Letters), 5_000_000},
		{"letters-widest", MustParse("##", Letters), 1 << 62},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.scheme.Name(c.n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	cases := []struct {
		name, scheme string
		kind         WildcardKind
		ok           bool
	}{
		{"digits", "PC-Sales-##", Digits, true},
		{"letters", "MachineSales-##", Letters, true},
		{"refused", "Sales PC_##", Digits, false},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(c.scheme, c.kind); (err == nil) != c.ok {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNumber(b *testing.B) {
	s := MustParse("PC-##", Letters)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := s.Number("PC-KXQ"); !ok {
			b.Fatal("PC-KXQ not named by PC-##")
		}
	}
}

func BenchmarkValidateName(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := ValidateName("PC-Sales-123456"); err != nil {
			b.Fatal(err)
		}
	}
}

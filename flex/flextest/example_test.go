package flextest_test

import (
	"context"
	"fmt"
	"net/netip"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/ipam"
)

// lowestFree is the code under test of the package example, a user's
// planner: the lowest /bits block of within that overlaps nothing in use.
func lowestFree(used []ipam.Entry, within netip.Prefix, bits int) (netip.Prefix, bool) {
	step := uint32(1) << (32 - bits)
	for a := within.Addr(); within.Contains(a); a = next(a, step) {
		p, free := netip.PrefixFrom(a, bits), true
		for _, e := range used {
			free = free && !e.Prefix.Overlaps(p)
		}
		if free {
			return p, true
		}
	}
	return netip.Prefix{}, false
}

// A user's property test of their own planner: whatever address plan is
// already in use, the range it hands out overlaps none of it. In a test
// file the last lines are rapid.Check(t, prop).
func Example() {
	within := netip.MustParsePrefix("10.0.0.0/16")
	prop := func(t *rapid.T) {
		plan := flextest.DisjointPlan(within, 16, 26, 40).Draw(t, "plan")
		got, ok := lowestFree(plan, within, 24)
		if !ok {
			return // the plan leaves no /24: nothing is handed out
		}
		for _, e := range plan {
			if e.Prefix.Overlaps(got) {
				t.Fatalf("handed out %v, which overlaps %v", got, e)
			}
		}
	}
	t := &exampleT{}
	rapid.Check(t, prop)
	fmt.Println("property holds:", !t.failed)
	// Output: property holds: true
}

// next returns a + step, or an invalid address past the end of IPv4.
func next(a netip.Addr, step uint32) netip.Addr {
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	if v+step < v {
		return netip.Addr{}
	}
	v += step
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// exampleT runs properties and helpers in examples, which have no
// *testing.T: it is a rapid.TB and a flextest.TB that prints failures.
type exampleT struct {
	failed   bool
	cleanups []func()
}

func (t *exampleT) Helper()                          {}
func (t *exampleT) Name() string                     { return "Example" }
func (t *exampleT) Context() context.Context         { return context.Background() }
func (t *exampleT) Cleanup(f func())                 { t.cleanups = append(t.cleanups, f) }
func (t *exampleT) Log(args ...any)                  {}
func (t *exampleT) Logf(format string, args ...any)  {}
func (t *exampleT) Skip(args ...any)                 {}
func (t *exampleT) Skipf(format string, args ...any) {}
func (t *exampleT) SkipNow()                         {}
func (t *exampleT) Fail()                            { t.failed = true }
func (t *exampleT) FailNow()                         { t.failed = true }
func (t *exampleT) Failed() bool                     { return t.failed }
func (t *exampleT) Error(args ...any)                { t.failed = true; fmt.Println(args...) }
func (t *exampleT) Fatal(args ...any)                { t.Error(args...) }
func (t *exampleT) Errorf(format string, args ...any) {
	t.failed = true
	fmt.Printf(format+"\n", args...)
}
func (t *exampleT) Fatalf(format string, args ...any) { t.Errorf(format, args...) }

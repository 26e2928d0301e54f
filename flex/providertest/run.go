package providertest

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/daasflex/daasflex/flex"
)

// Run runs every check of the suite against the providers newHarness's
// harnesses make, each check as a subtest "group/Name" with a harness and
// a provider of its own. newHarness is called once per check, and once at
// the start to read the harness's KnownFailures. Run logs, at the end,
// the checks it skipped for want of a capability and the known failures.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Helper()
	cs := allChecks()
	names := make(map[string]bool, len(cs))
	for _, c := range cs {
		names[c.name] = true
	}
	known := make(map[string]bool)
	if kf, ok := newHarness(t).(KnownFailures); ok {
		for _, n := range kf.KnownFailures() {
			if !names[n] {
				t.Errorf("KnownFailures lists %q, which is no check of the suite; remove it", n)
			}
			known[n] = true
		}
	}
	log := &runLog{}
	var groups []string
	byGroup := make(map[string][]check)
	for _, c := range cs {
		g, _, _ := strings.Cut(c.name, "/")
		if byGroup[g] == nil {
			groups = append(groups, g)
		}
		byGroup[g] = append(byGroup[g], c)
	}
	for _, g := range groups {
		t.Run(g, func(t *testing.T) {
			for _, c := range byGroup[g] {
				_, leaf, _ := strings.Cut(c.name, "/")
				t.Run(leaf, func(t *testing.T) {
					runCheck(t, c, newHarness, known[c.name], log)
				})
			}
		})
	}
	if s := log.summary(); s != "" {
		t.Log(s)
	}
}

// check is one check of the suite.
type check struct {
	name string // "group/Name"
	// noProvider: the check makes its providers itself (Tenants), so
	// Provider is not called for it.
	noProvider bool
	fn         func(e *env)
}

// runLog collects what Run reports at the end.
type runLog struct {
	mu      sync.Mutex
	skipped []string
	known   []string
}

func (l *runLog) skip(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.skipped = append(l.skipped, s)
}

func (l *runLog) knownFailure(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.known = append(l.known, s)
}

func (l *runLog) summary() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	if len(l.skipped) > 0 {
		slices.Sort(l.skipped)
		fmt.Fprintf(&b, "providertest: %d checks skipped for want of a harness capability:\n  %s\n",
			len(l.skipped), strings.Join(l.skipped, "\n  "))
	}
	if len(l.known) > 0 {
		slices.Sort(l.known)
		fmt.Fprintf(&b, "providertest: %d KNOWN FAILURES (listed in KnownFailures; fix the provider, then remove them):\n  %s\n",
			len(l.known), strings.Join(l.known, "\n  "))
	}
	return b.String()
}

// runCheck runs one check. A known failure runs in a goroutine of its own
// under a ct that records failures instead of reporting them; the test
// fails if the check then passes.
func runCheck(t *testing.T, c check, newHarness func(t *testing.T) Harness, known bool, log *runLog) {
	w := &ct{T: t, known: known}
	h := newHarness(t)
	e := &env{t: w, h: h, ctx: t.Context(), sub: h.Subscription(), tenant: "providertest", name: c.name, log: log}
	if tn, ok := h.(Tenant); ok {
		e.tenant = tn.Tenant()
	}
	if !known {
		if !c.noProvider {
			e.p = h.Provider(t)
		}
		c.fn(e)
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if !c.noProvider {
			e.p = h.Provider(t)
		}
		c.fn(e)
	}()
	<-done
	fails := w.failures()
	switch {
	case len(fails) == 0 && e.skipped:
		t.Errorf("check %s is listed in KnownFailures but was skipped for want of a capability; remove it from the list", c.name)
	case len(fails) == 0:
		t.Errorf("check %s is listed in KnownFailures but passed: remove it from the list", c.name)
	default:
		t.Logf("KNOWN FAILURE of %s (listed in KnownFailures, so it does not fail the test):\n\t%s",
			c.name, strings.Join(fails, "\n\t"))
		first, _, _ := strings.Cut(fails[0], "\n")
		log.knownFailure(c.name + ": " + first)
	}
}

// ct is the *testing.T a check gets. For a known failure its Error and
// Fatal methods record the failure instead of reporting it, and Fatal
// ends the check's goroutine; otherwise they are testing.T's.
type ct struct {
	*testing.T
	known bool

	mu    sync.Mutex
	fails []string
}

func (c *ct) record(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fails = append(c.fails, s)
}

func (c *ct) failures() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.fails)
}

// Errorf reports a failure and continues.
func (c *ct) Errorf(format string, args ...any) {
	c.T.Helper()
	if c.known {
		c.record(fmt.Sprintf(format, args...))
		return
	}
	c.T.Errorf(format, args...)
}

// Error reports a failure and continues.
func (c *ct) Error(args ...any) {
	c.T.Helper()
	if c.known {
		c.record(strings.TrimSuffix(fmt.Sprintln(args...), "\n"))
		return
	}
	c.T.Error(args...)
}

// Fatalf reports a failure and ends the check; call it only from the
// check's own goroutine.
func (c *ct) Fatalf(format string, args ...any) {
	c.T.Helper()
	if c.known {
		c.record(fmt.Sprintf(format, args...))
		runtime.Goexit()
	}
	c.T.Fatalf(format, args...)
}

// Fatal reports a failure and ends the check; call it only from the
// check's own goroutine.
func (c *ct) Fatal(args ...any) {
	c.T.Helper()
	if c.known {
		c.record(strings.TrimSuffix(fmt.Sprintln(args...), "\n"))
		runtime.Goexit()
	}
	c.T.Fatal(args...)
}

// Fail marks the check failed and continues.
func (c *ct) Fail() {
	c.T.Helper()
	c.Error("check failed")
}

// FailNow marks the check failed and ends it.
func (c *ct) FailNow() {
	c.T.Helper()
	c.Fatal("check failed")
}

// Failed reports whether the check has failed.
func (c *ct) Failed() bool {
	if c.known {
		return len(c.failures()) > 0
	}
	return c.T.Failed()
}

// env is what a check works with: its provider, its harness and helpers.
type env struct {
	t      *ct
	h      Harness
	p      flex.Provider
	ctx    context.Context
	sub    string
	tenant string // the TagTenant of every resource the check creates
	name   string // the check's name
	log    *runLog

	skipped bool
}

// skip logs that the check cannot run for want of a capability.
func (e *env) skip(capability, what string) {
	e.t.Helper()
	e.skipped = true
	msg := fmt.Sprintf("%s: SKIPPED: the harness has no %s capability, so %s is not checked", e.name, capability, what)
	e.t.Log(msg)
	e.log.skip(msg)
}

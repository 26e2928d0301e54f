package flex

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCallRetriesThrottlingHonouringRetryAfter(t *testing.T) {
	tn := NewTenant(nil)
	var attempts int
	start := time.Now()
	err := tn.call(context.Background(), "Put", ResourceID{}, func(context.Context) error {
		attempts++
		if attempts < 3 {
			return &Error{Kind: ErrThrottled, RetryAfter: 20 * time.Millisecond}
		}
		return nil
	})
	if err != nil || attempts != 3 {
		t.Fatalf("call = %v after %d attempts, want success after 3", err, attempts)
	}
	if waited := time.Since(start); waited < 40*time.Millisecond {
		t.Errorf("waited %v, want at least the two Retry-After delays of 20ms", waited)
	}
}

func TestCallGivesUpAfterMaxAttemptsAndOnOtherKinds(t *testing.T) {
	tn := NewTenant(nil)
	var attempts int
	err := tn.call(context.Background(), "Put", ResourceID{}, func(context.Context) error {
		attempts++
		return &Error{Kind: ErrUnavailable, RetryAfter: time.Millisecond}
	})
	if !errors.Is(err, ErrUnavailable) || attempts != maxAttempts {
		t.Errorf("call = %v after %d attempts, want ErrUnavailable after %d", err, attempts, maxAttempts)
	}
	attempts = 0
	err = tn.call(context.Background(), "Put", ResourceID{}, func(context.Context) error {
		attempts++
		return &Error{Kind: ErrConflict}
	})
	if !errors.Is(err, ErrConflict) || attempts != 1 {
		t.Errorf("a conflict was retried: %v after %d attempts", err, attempts)
	}
}

func TestCallStopsRetryingWhenTheContextEnds(t *testing.T) {
	tn := NewTenant(nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	err := tn.call(ctx, "Put", ResourceID{}, func(context.Context) error {
		return &Error{Kind: ErrThrottled, RetryAfter: 10 * time.Second}
	})
	if !errors.Is(err, ErrThrottled) {
		t.Fatalf("a Retry-After beyond the backoff bound was waited for: %v", err)
	}
	err = tn.call(ctx, "Put", ResourceID{}, func(context.Context) error {
		return &Error{Kind: ErrThrottled, RetryAfter: 5 * time.Second}
	})
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrThrottled) {
		t.Errorf("call = %v, want the deadline and the throttling", err)
	}
}

func TestParallelBoundsWorkersAndReportsProgress(t *testing.T) {
	var reports []Progress
	tn := NewTenant(nil, WithWorkers(3), WithProgress(func(p Progress) { reports = append(reports, p) }))
	var running, peak atomic.Int32
	ok, err := tn.parallel(context.Background(), Progress{Op: "AddMachines", Phase: "machines"}, 20, func(ctx context.Context, i int) error {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(time.Millisecond)
		running.Add(-1)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if peak.Load() > 3 {
		t.Errorf("%d workers ran at once, want at most 3", peak.Load())
	}
	for i, o := range ok {
		if !o {
			t.Errorf("item %d not done", i)
		}
	}
	if len(reports) != 21 || reports[0].Done != 0 || reports[20].Done != 20 || reports[20].Total != 20 {
		t.Errorf("progress reports: %d, first %+v, last %+v", len(reports), reports[0], reports[len(reports)-1])
	}
	for i := 1; i < len(reports); i++ {
		if reports[i].Done != reports[i-1].Done+1 {
			t.Fatalf("progress went from %d to %d", reports[i-1].Done, reports[i].Done)
		}
	}
}

func TestParallelStopsAtTheFirstFailure(t *testing.T) {
	tn := NewTenant(nil, WithWorkers(2))
	boom := errors.New("boom")
	var mu sync.Mutex
	started := map[int]bool{}
	ok, err := tn.parallel(context.Background(), Progress{}, 100, func(ctx context.Context, i int) error {
		mu.Lock()
		started[i] = true
		mu.Unlock()
		if i == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if len(started) > 10 {
		t.Errorf("%d items started after the failure at item 3", len(started))
	}
	for i, o := range ok {
		if o != (started[i] && i != 3) {
			t.Errorf("ok[%d] = %v, started %v", i, o, started[i])
		}
	}
}

func TestParallelReportsCancellation(t *testing.T) {
	tn := NewTenant(nil, WithWorkers(1))
	ctx, cancel := context.WithCancel(context.Background())
	_, err := tn.parallel(ctx, Progress{}, 50, func(ctx context.Context, i int) error {
		if i == 5 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestGroupNamesAreValidAndDistinct(t *testing.T) {
	tn := NewTenant(nil, WithID("t1"))
	long1 := tn.groupName("catalog", string(make([]byte, 100))+"a")
	long2 := tn.groupName("catalog", string(make([]byte, 100))+"b")
	if len(long1) > 90 || long1 == long2 {
		t.Errorf("long names: %q and %q", long1, long2)
	}
	if diff := cmp.Diff("flex-t1-catalog-Sales-Team--1-", tn.groupName("catalog", "Sales Team #1/")); diff != "" {
		t.Error(diff)
	}
}

// Every cloud call is logged with its operation, resource, duration,
// attempt and outcome; nothing is logged by default.
func TestCallLogsEveryCloudCall(t *testing.T) {
	var buf bytes.Buffer
	tn := NewTenant(nil, WithLogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	id := ResourceID{Subscription: "s", ResourceGroup: "g", Type: TypeVirtualNetwork, Name: "v"}
	attempts := 0
	_ = tn.call(context.Background(), "Put", id, func(context.Context) error {
		attempts++
		if attempts == 1 {
			return &Error{Kind: ErrUnavailable, RetryAfter: time.Millisecond}
		}
		return nil
	})
	var records []map[string]any
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var r map[string]any
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		delete(r, "time")
		if _, ok := r["duration"].(float64); !ok {
			t.Errorf("record without a duration: %v", r)
		}
		delete(r, "duration")
		records = append(records, r)
	}
	want := []map[string]any{
		{"level": "WARN", "msg": "cloud call", "op": "Put", "resource": id.String(), "attempt": 1.0, "outcome": "service unavailable"},
		{"level": "DEBUG", "msg": "cloud call", "op": "Put", "resource": id.String(), "attempt": 2.0, "outcome": "ok"},
	}
	if diff := cmp.Diff(want, records); diff != "" {
		t.Errorf("log records (-want +got):\n%s", diff)
	}

	// The default logger discards: no output, no cost.
	quiet := NewTenant(nil)
	if quiet.logger.Enabled(context.Background(), slog.LevelError) {
		t.Error("the default logger is enabled")
	}
}

func TestWithRetryWaitReplacesTheTimer(t *testing.T) {
	var waited []time.Duration
	tn := NewTenant(nil, WithRetryWait(func(ctx context.Context, d time.Duration) error {
		waited = append(waited, d)
		return nil
	}))
	attempts := 0
	start := time.Now()
	err := tn.call(context.Background(), "Put", ResourceID{}, func(context.Context) error {
		attempts++
		if attempts < 3 {
			return &Error{Kind: ErrThrottled, RetryAfter: 10 * time.Second}
		}
		return nil
	})
	if err != nil || attempts != 3 {
		t.Fatalf("call = %v after %d attempts", err, attempts)
	}
	if diff := cmp.Diff([]time.Duration{10 * time.Second, 10 * time.Second}, waited); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("the Tenant slept on a real timer")
	}
}

package flex

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// Retries of throttled (429) and transient (5xx) cloud errors.
const (
	maxAttempts = 5
	baseBackoff = 200 * time.Millisecond
	maxBackoff  = 30 * time.Second
)

// call runs one cloud operation: it logs the operation, the resource, the
// duration and the outcome, and retries ErrThrottled and ErrUnavailable
// with exponential backoff that honours the cloud's RetryAfter, bounded by
// the context and by maxAttempts. A RetryAfter longer than maxBackoff is
// not waited for: the error is returned.
func (t *Tenant) call(ctx context.Context, op string, id ResourceID, fn func(context.Context) error) error {
	backoff := baseBackoff
	for attempt := 1; ; attempt++ {
		start := time.Now()
		err := fn(ctx)
		level := slog.LevelDebug
		if err != nil {
			level = slog.LevelWarn
		}
		if t.logger.Enabled(ctx, level) { // the attributes cost more than the call on the fake
			t.logger.LogAttrs(ctx, level, "cloud call",
				slog.String("op", op), slog.String("resource", id.String()),
				slog.Duration("duration", time.Since(start)), slog.Int("attempt", attempt),
				slog.String("outcome", outcome(err)))
		}
		if err == nil || attempt == maxAttempts || !(errors.Is(err, ErrThrottled) || errors.Is(err, ErrUnavailable)) {
			return err
		}
		wait := backoff
		var fe *Error
		if errors.As(err, &fe) && fe.RetryAfter > 0 {
			wait = fe.RetryAfter
		}
		if wait > maxBackoff {
			return err
		}
		if serr := t.sleep(ctx, wait); serr != nil {
			return errors.Join(serr, err)
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// sleep waits for d or until ctx is done, through WithRetryWait's function
// when one was given.
func (t *Tenant) sleep(ctx context.Context, d time.Duration) error {
	if t.wait != nil {
		return t.wait(ctx, d)
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// outcome names the result of a cloud call for the log: "ok", the error's
// kind, or the error.
func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	if k := KindOf(err); k != nil {
		return k.Error()
	}
	return err.Error()
}

// parallel runs fn(ctx, i) for i in [0, n) with at most t.workers running
// at once and reports progress after each. It stops starting new work at
// the first failure or when ctx is done, cancels the work under way and
// waits for it, and returns which indexes succeeded and every error,
// joined; when ctx ended the work early without a failure, ctx's error.
//
// The errors of work that ended because parallel cancelled it after a
// failure (they match context.Canceled while ctx is live) are not the
// caller's and are left out: the failure that stopped the work is the
// error. While ctx is cancelled, its errors are kept.
func (t *Tenant) parallel(ctx context.Context, p Progress, n int, fn func(ctx context.Context, i int) error) (ok []bool, err error) {
	ok = make([]bool, n)
	if n == 0 {
		return ok, nil
	}
	work, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu   sync.Mutex // guards ok, errs and p
		errs []error
		wg   sync.WaitGroup
	)
	p.Done, p.Total = 0, n
	t.report(p)
	next := make(chan int)
	for range min(t.workers, n) {
		wg.Go(func() {
			for i := range next {
				if work.Err() != nil {
					// The feeder's select may hand out work after the
					// cancellation (it picks at random among ready
					// cases): none starts once the pool is cancelled.
					continue
				}
				err := fn(work, i)
				mu.Lock()
				switch {
				case err == nil:
					ok[i] = true
				case work.Err() != nil && ctx.Err() == nil && errors.Is(err, context.Canceled):
					// Cancelled by the pool after another's failure.
				default:
					errs = append(errs, err)
					cancel()
				}
				p.Done++
				t.report(p)
				mu.Unlock()
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-work.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if len(errs) == 0 && p.Done < n {
		return ok, ctx.Err()
	}
	return ok, errors.Join(errs...)
}

// report calls the progress callback, if any.
func (t *Tenant) report(p Progress) {
	if t.progress != nil {
		t.progress(p)
	}
}

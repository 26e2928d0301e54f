package fake

import (
	"sync"
	"time"
)

// Clock is a manual clock for the in-memory cloud: time stands still until
// Advance moves it, so that snapshot times, key versions and SAS expiry are
// tested without sleeping. It is safe for concurrent use. A nil *Clock
// reads the real time, in UTC.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a manual clock that reads start until it is advanced.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start}
}

// Now returns the clock's current time; for a nil clock, the real time in
// UTC.
func (c *Clock) Now() time.Time {
	if c == nil {
		return time.Now().UTC()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (backward when d is negative) and
// returns the new time. Advancing a nil clock does nothing.
func (c *Clock) Advance(d time.Duration) time.Time {
	if c == nil {
		return time.Now().UTC()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// Set moves the clock to t. Setting a nil clock does nothing.
func (c *Clock) Set(t time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

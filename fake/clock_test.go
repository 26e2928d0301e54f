package fake_test

import (
	"sync"
	"testing"
	"time"

	"github.com/daasflex/daasflex/fake"
)

func TestClock(t *testing.T) {
	c := fake.NewClock(epoch)
	if !c.Now().Equal(epoch) {
		t.Errorf("Now = %v", c.Now())
	}
	if got := c.Advance(90 * time.Minute); !got.Equal(epoch.Add(90*time.Minute)) || !c.Now().Equal(got) {
		t.Errorf("Advance = %v, Now = %v", got, c.Now())
	}
	c.Set(epoch)
	if !c.Now().Equal(epoch) {
		t.Errorf("after Set: %v", c.Now())
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				c.Advance(time.Second)
				_ = c.Now()
			}
		})
	}
	wg.Wait()
	if got := c.Now().Sub(epoch); got != 400*time.Second {
		t.Errorf("concurrent advances moved the clock by %v, want 400s", got)
	}

	var real *fake.Clock // nil: the real time
	before := time.Now()
	now := real.Now()
	real.Advance(time.Hour)
	real.Set(epoch)
	if now.Before(before.Add(-time.Second)) || now.Location() != time.UTC {
		t.Errorf("a nil clock reads %v", now)
	}
}

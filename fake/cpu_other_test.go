//go:build !unix

package fake_test

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }

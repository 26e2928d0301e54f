package main

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/daasflex/daasflex/flex"
)

// barWidth is the width of the terminal progress bar in characters.
const barWidth = 30

// progress renders the reports of a Tenant's long work (flex.WithProgress).
// On a terminal it redraws one line with a carriage return and erases it
// when the work is done, so that only the narration stays on screen. Into a
// file or a pipe it writes plain "phase done/total" lines: one as each
// quarter of a phase is done, so at most four a phase.
type progress struct {
	w        io.Writer
	terminal bool

	mu   sync.Mutex
	last flex.Progress // the last report of the current work
	open bool          // a terminal bar is on screen
}

// report is the flex.WithProgress callback.
func (p *progress) report(r flex.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	label := fmt.Sprintf("%s: %s", r.Object, r.Phase)
	if p.terminal {
		fill := 0
		if r.Total > 0 {
			fill = barWidth * r.Done / r.Total
		}
		fmt.Fprintf(p.w, "\r\x1b[K    %s [%s%s] %d/%d", label, strings.Repeat("=", fill), strings.Repeat(" ", barWidth-fill), r.Done, r.Total)
		p.open = true
		if r.Done >= r.Total {
			p.erase()
		}
	} else {
		before := 0 // the quarter reached before this report
		if r.Op == p.last.Op && r.Object == p.last.Object && r.Phase == p.last.Phase {
			before = quarter(p.last)
		}
		if r.Done > 0 && (quarter(r) > before || r.Done >= r.Total) {
			fmt.Fprintf(p.w, "    %s %d/%d\n", label, r.Done, r.Total)
		}
	}
	p.last = r
}

// quarter returns which quarter of its phase r has reached, 0 to 4.
func quarter(r flex.Progress) int {
	if r.Total <= 0 {
		return 0
	}
	return 4 * r.Done / r.Total
}

// clear ends whatever the bar shows, before the narration goes on.
func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
	p.last = flex.Progress{}
}

// erase removes the terminal bar from the screen. p.mu held.
func (p *progress) erase() {
	if p.open {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.open = false
	}
}

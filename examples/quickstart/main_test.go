package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/flex"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/quickstart.golden from the output")

// quickstart runs the quickstart as `go run ./examples/quickstart` does
// when its output is not a terminal, and returns what it wrote.
func quickstart(t *testing.T, o options) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(&out, o); err != nil {
		t.Fatalf("run(%+v): %v\noutput so far:\n%s", o, err, out.String())
	}
	return out.String()
}

// TestQuickstart checks the whole walk with the defaults: every step is
// told, the final tables are those of testdata/quickstart.golden, and a
// second run with the same seed writes the same bytes.
func TestQuickstart(t *testing.T) {
	got := quickstart(t, options{Seed: 1, Users: 2000})

	t.Run("tables", func(t *testing.T) {
		i := strings.Index(got, tablesHeading)
		if i < 0 {
			t.Fatalf("no tables in the output:\n%s", got)
		}
		tables := got[i:]
		golden := filepath.Join("testdata", "quickstart.golden")
		if *update {
			if err := os.WriteFile(golden, []byte(tables), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to write it)", err)
		}
		if diff := cmp.Diff(string(want), tables); diff != "" {
			t.Errorf("final tables (-%s +output):\n%s", golden, diff)
		}
	})

	t.Run("steps", func(t *testing.T) {
		steps := regexp.MustCompile(`(?m)^\s*(\d+)\. \[(Mon|Tue) \d\d:\d\d UTC\] `).FindAllStringSubmatch(got, -1)
		if len(steps) != 11 {
			t.Fatalf("%d steps told, want 11:\n%s", len(steps), got)
		}
		for _, want := range []string{
			"Flex range 192.168.0.0/21, 2,043 addresses for machines, route to-firewall 10.20.0.0/16 via 10.0.0.10", // NET-14, NET-6
			"for 2,000 users of persona Task worker (medium), 8 to a machine: 250 machines",                         // CAT-2
			"in zones 1, 2, 3", // CAT-15
			`"C:\Program Files\Contoso\CRM\crm.exe" /profile EMEA "%*"`,         // CAT-11
			`"Sales" has 300 machines; "Citrix Managed" runs 300 of 5,000 VDAs`, // LIM-4
			"300 of 300 run it now",                                   // CAT-7
			"RunDue took 3 daily snapshots at 02:00 in Europe/Berlin", // CAT-13
			"restored it (Completed)",                                 // API-5
			": Allow by FlexAllowRDPFromBastion",                      // FW-4
			": Deny by FlexDenyAllInBound",                            // FW-2
			"the tenant has 1 resource(s) left in the cloud: flex-contoso-subscription-Citrix-Managed", // SUB-4
			`    catalog "Sales": machines 250/250`,                                                    // progress
		} {
			if !strings.Contains(got, want) {
				t.Errorf("the output lacks %q:\n%s", want, got)
			}
		}
		if strings.Contains(got, "\r") {
			t.Error("a carriage return in output that is not a terminal")
		}
		for _, pw := range []string{adPassword, builderPassword, bastionPassword} {
			if strings.Contains(got, pw) {
				t.Error("SEC-1: a password in the output")
			}
		}
	})

	t.Run("same seed, same output", func(t *testing.T) {
		if again := quickstart(t, options{Seed: 1, Users: 2000}); again != got {
			t.Errorf("two runs with seed 1 differ:\n%s", cmp.Diff(got, again))
		}
	})
}

// TestQuickstartSeed checks that the seed decides the default naming
// scheme (NAM-9) and nothing else of the story.
func TestQuickstartSeed(t *testing.T) {
	one, two := quickstart(t, options{Seed: 1, Users: 40}), quickstart(t, options{Seed: 2, Users: 40})
	names := regexp.MustCompile(`machines (\S+)-001 … `)
	m1, m2 := names.FindStringSubmatch(one), names.FindStringSubmatch(two)
	if m1 == nil || m2 == nil || m1[1] == m2[1] {
		t.Fatalf("machine names with seeds 1 and 2: %q, %q; want different prefixes", m1, m2)
	}
	normalize := func(s string) string {
		s = strings.ReplaceAll(s, m1[1], "NAME")
		s = strings.ReplaceAll(s, m2[1], "NAME")
		return strings.Replace(s, "seed 2", "seed 1", 1)
	}
	if diff := cmp.Diff(normalize(one), normalize(two)); diff != "" {
		t.Errorf("seeds 1 and 2 differ in more than the machine names (-1 +2):\n%s", diff)
	}
}

// TestQuickstartTerminal checks that on a terminal the progress is a bar
// redrawn in place and erased, leaving the narration.
func TestQuickstartTerminal(t *testing.T) {
	got := quickstart(t, options{Seed: 1, Users: 400, Terminal: true})
	if !strings.Contains(got, "\r\x1b[K    catalog \"Sales\": machines [") || !strings.Contains(got, "] 50/50") {
		t.Errorf("no progress bar in the terminal output:\n%q", got)
	}
	if strings.Contains(got, "machines 50/50\n") {
		t.Error("plain progress lines on a terminal")
	}
	// What stays on screen: each bar is erased before the narration goes on.
	plain := quickstart(t, options{Seed: 1, Users: 400})
	plain = regexp.MustCompile(`(?m)^    .*/\d+\n`).ReplaceAllString(plain, "")
	if diff := cmp.Diff(plain, screen(got)); diff != "" {
		t.Errorf("the terminal shows more than the narration and tables (-plain +terminal):\n%s", diff)
	}
}

// screen returns what a terminal shows after printing s: a carriage return
// moves back to the start of the line, where text overwrites what is
// there, and ESC [K erases from there to the end of the line.
func screen(s string) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		var shown string
		for k, seg := range strings.Split(line, "\r") {
			if k > 0 {
				if rest, ok := strings.CutPrefix(seg, "\x1b[K"); ok {
					shown, seg = "", rest
				}
			}
			if len(seg) >= len(shown) {
				shown = seg
			} else {
				shown = seg + shown[len(seg):]
			}
		}
		lines[i] = shown
	}
	return strings.Join(lines, "\n")
}

func TestQuickstartNeedsUsers(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, options{Seed: 1}); err == nil {
		t.Error("a catalog for 0 users was walked")
	}
}

// TestProgressPlain checks the plain progress lines: none for the start of
// a phase, one as each quarter is done, at most four a phase.
func TestProgressPlain(t *testing.T) {
	var out bytes.Buffer
	p := &progress{w: &out}
	for done := range 11 {
		p.report(flex.Progress{Op: "CreateCatalog", Object: `catalog "Sales"`, Phase: "machines", Done: done, Total: 10})
	}
	p.report(flex.Progress{Op: "BuildImage", Object: `image "Office"`, Phase: "network", Done: 1, Total: 4})
	p.report(flex.Progress{Op: "BuildImage", Object: `image "Office"`, Phase: "done", Done: 4, Total: 4})
	p.clear()
	want := `    catalog "Sales": machines 3/10
    catalog "Sales": machines 5/10
    catalog "Sales": machines 8/10
    catalog "Sales": machines 10/10
    image "Office": network 1/4
    image "Office": done 4/4
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("progress lines (-want +got):\n%s", diff)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 2043: "2,043", 25000: "25,000", 1234567: "1,234,567", -5000: "-5,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

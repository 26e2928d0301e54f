package catalog_test

import (
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/google/go-cmp/cmp"
)

// FuzzParseCommandLine: ParseCommandLine never panics; what it accepts is
// valid and reads back the same after String (CAT-11).
func FuzzParseCommandLine(f *testing.F) {
	for _, s := range []string{
		`"C:\Program Files\Windows Media Player\mplayer1.exe" "%*"`,
		`"C:\Program Files\Windows Media Player\mplayer1.exe""%*"`,
		`notepad.exe /p "C:\My Files\a.txt"`,
		`a.exe \\\"x "a""b c" x"y z"w \\"q"`,
		`a.exe "%*" x`,
		`a.exe %*`,
		"a.exe \t\"\" \"\\\\\"",
		`"unterminated`,
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := catalog.ParseCommandLine(s)
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("ParseCommandLine(%q) accepted %#v, which Validate refuses: %v", s, c, err)
		}
		again, err := catalog.ParseCommandLine(c.String())
		if err != nil {
			t.Fatalf("ParseCommandLine(%q) → %s does not parse: %v", s, c.String(), err)
		}
		if diff := cmp.Diff(c, again); diff != "" {
			t.Fatalf("%q → %s does not read back (-first +again):\n%s", s, c.String(), diff)
		}
	})
}

// FuzzBuildCommandLine: for every valid command line, ParseCommandLine of
// what BuildCommandLine writes gives it back (CAT-11).
func FuzzBuildCommandLine(f *testing.F) {
	f.Add(`C:\Program Files\App\app.exe`, `a "b" \`, "", true)
	f.Add("a.exe", `\\`, `"`, false)
	f.Fuzz(func(t *testing.T, path, a1, a2 string, ft bool) {
		c := catalog.CommandLine{Path: path, Args: []string{a1, a2}, FileTypes: ft}
		s := catalog.BuildCommandLine(c.Path, c.Args, c.FileTypes)
		got, err := catalog.ParseCommandLine(s)
		if c.Validate() != nil {
			return
		}
		if err != nil {
			t.Fatalf("valid %#v built as %s does not parse: %v", c, s, err)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Fatalf("%s (-want +got):\n%s", s, diff)
		}
	})
}

// FuzzParseTimeOfDay: ParseTimeOfDay never panics; what it accepts is a
// valid time that reads back the same from String.
func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"08:30", "8:30", "23:59", "24:00", "7:5", "", ":", "-1:30", "١٢:٣٠"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tod, err := catalog.ParseTimeOfDay(s)
		if err != nil {
			return
		}
		if !tod.IsValid() {
			t.Fatalf("ParseTimeOfDay(%q) = %v, not valid", s, tod)
		}
		back, err := catalog.ParseTimeOfDay(tod.String())
		if err != nil || back != tod {
			t.Fatalf("%q → %v → %v, %v", s, tod, back, err)
		}
	})
}

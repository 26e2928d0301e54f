package catalog_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

func TestBuildCommandLine(t *testing.T) {
	tests := []struct {
		name string
		path string
		args []string
		ft   bool
		want string
	}{
		// RULE CAT-11: the docs' example, written correctly: the path with
		// spaces quoted, "%*" quoted and separated by a space.
		{"CAT-11 docs example", `C:\Program Files\Windows Media Player\mplayer1.exe`, nil, true,
			`"C:\Program Files\Windows Media Player\mplayer1.exe" "%*"`},
		{"CAT-11 path without spaces stays bare", `C:\Windows\notepad.exe`, nil, true, `C:\Windows\notepad.exe "%*"`},
		{"CAT-11 no placeholder", `C:\Windows\notepad.exe`, []string{"/p"}, false, `C:\Windows\notepad.exe /p`},
		{"CAT-11 argument with a space", `C:\App\a.exe`, []string{"-f", `C:\My Files\x.txt`}, false, `C:\App\a.exe -f "C:\My Files\x.txt"`},
		{"CAT-11 empty argument", `a.exe`, []string{""}, false, `a.exe ""`},
		{"CAT-11 quote in an argument", `a.exe`, []string{`say "hi"`}, false, `a.exe "say \"hi\""`},
		{"CAT-11 backslashes before a quote doubled", `a.exe`, []string{`a\"b`}, false, `a.exe "a\\\"b"`},
		{"CAT-11 trailing backslashes before the closing quote doubled", `a.exe`, []string{`C:\dir name\`}, false, `a.exe "C:\dir name\\"`},
		{"CAT-11 backslashes elsewhere untouched", `a.exe`, []string{`\\server\share\x`}, false, `a.exe \\server\share\x`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := catalog.BuildCommandLine(tt.path, tt.args, tt.ft)
			if got != tt.want {
				t.Errorf("BuildCommandLine = %s\nwant               %s", got, tt.want)
			}
			c, err := catalog.ParseCommandLine(got)
			if err != nil {
				t.Fatalf("ParseCommandLine(%s): %v", got, err)
			}
			want := catalog.CommandLine{Path: tt.path, Args: tt.args, FileTypes: tt.ft}
			if diff := cmp.Diff(want, c, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCommandLine(t *testing.T) {
	tests := []struct {
		in   string
		want catalog.CommandLine
	}{
		{`  notepad.exe   a   b  `, catalog.CommandLine{Path: "notepad.exe", Args: []string{"a", "b"}}},
		{`"C:\Program Files\x.exe"`, catalog.CommandLine{Path: `C:\Program Files\x.exe`}},
		// The path's backslashes are plain even before its closing quote.
		{`"C:\dir name\" x`, catalog.CommandLine{Path: `C:\dir name\`, Args: []string{"x"}}},
		// 2n backslashes + quote: n backslashes, quote toggles.
		{`a.exe \\"x y"`, catalog.CommandLine{Path: "a.exe", Args: []string{`\x y`}}},
		// 2n+1 backslashes + quote: n backslashes and a literal quote.
		{`a.exe \\\"x`, catalog.CommandLine{Path: "a.exe", Args: []string{`\"x`}}},
		// Backslashes not before a quote are plain.
		{`a.exe a\\b\`, catalog.CommandLine{Path: "a.exe", Args: []string{`a\\b\`}}},
		// Two quotes inside a quoted part: a literal quote, and the part ends.
		{`a.exe "a""b c`, catalog.CommandLine{Path: "a.exe", Args: []string{`a"b`, "c"}}},
		// Quoted parts join with what surrounds them.
		{`a.exe x"y z"w`, catalog.CommandLine{Path: "a.exe", Args: []string{"xy zw"}}},
		{"a.exe\t\"%*\"", catalog.CommandLine{Path: "a.exe", FileTypes: true}},
		{`a.exe "50%*"`, catalog.CommandLine{Path: "a.exe", Args: []string{"50%*"}}},
	}
	for _, tt := range tests {
		got, err := catalog.ParseCommandLine(tt.in)
		if err != nil {
			t.Errorf("ParseCommandLine(%s): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("ParseCommandLine(%s) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseCommandLineErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"", 0, "empty"},
		{"   ", 3, "empty"},
		{`""`, 0, "path is empty"},
		{`"C:\Program Files\x.exe`, 0, "never closed"},
		// RULE CAT-11: the placeholder is separated from the path by a space
		// (the docs print the broken “…mplayer1.exe”%*”).
		{`"C:\Program Files\Windows Media Player\mplayer1.exe""%*"`, 52, "without a space"},
		{`C:\Program" Files\x.exe`, 10, "inside an unquoted path"},
		{`a.exe %*`, 6, "write it quoted"},
		{`a.exe "%*" -x`, 6, "must come last"},
		{`a.exe "abc`, 6, "never closed"},
		{"a.exe x\ny", 7, "control character"},
		// A Windows file name holds no control character, so neither does
		// a quoted path (Validate refuses it too).
		{"\"C:\\A\tB\\a.exe\"", 5, "has a tab"},
		{"a.exe \xff", 6, "UTF-8"},
	}
	for _, tt := range tests {
		_, err := catalog.ParseCommandLine(tt.in)
		var pe *catalog.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("ParseCommandLine(%q) = %v; want a *ParseError", tt.in, err)
			continue
		}
		if !rule.Has(err, "CAT-11") || pe.Offset != tt.offset || !strings.Contains(err.Error(), tt.msg) || pe.Input != tt.in {
			t.Errorf("ParseCommandLine(%q) = %v (offset %d); want CAT-11 at %d saying %q", tt.in, err, pe.Offset, tt.offset, tt.msg)
		}
	}
}

func TestCommandLineValidate(t *testing.T) {
	ok := catalog.CommandLine{Path: `C:\App\a.exe`, Args: []string{"-x", "a\tb"}, FileTypes: true}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid: %v", err)
	}
	for _, bad := range []catalog.CommandLine{
		{},
		{Path: "  "},
		{Path: `C:\"x".exe`},
		{Path: "a\nb"},
		{Path: "a", Args: []string{"%*"}},
		{Path: "a", Args: []string{"x\x00"}},
		{Path: "a", Args: []string{"\xff"}},
	} {
		if err := bad.Validate(); !rule.Has(err, "CAT-11") {
			t.Errorf("Validate(%#v) = %v; want CAT-11", bad, err)
		}
	}
}

// Property (CAT-11): for every valid command line c,
// ParseCommandLine(BuildCommandLine(c)) == c.
func TestCommandLineRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := flextest.CommandLine().Draw(t, "cmd")
		if err := c.Validate(); err != nil {
			t.Fatalf("generator made an invalid command line: %v", err)
		}
		s := catalog.BuildCommandLine(c.Path, c.Args, c.FileTypes)
		got, err := catalog.ParseCommandLine(s)
		if err != nil {
			t.Fatalf("ParseCommandLine(%s): %v", s, err)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Fatalf("round trip of %s (-want +got):\n%s", s, diff)
		}
		if c.String() != s {
			t.Fatalf("String() = %s, want %s", c.String(), s)
		}
	})
}

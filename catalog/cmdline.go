package catalog

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/daasflex/daasflex/rule"
)

// FileTypePlaceholder is the file-type placeholder of a published app's
// command line (CAT-11): percent and star in double quotes, appended after
// the arguments and separated from them by a space. When a user opens a file
// associated with the app, the file's name takes its place.
const FileTypePlaceholder = `"%*"`

// CommandLine is a published app's command line split into its parts
// (CAT-11): the executable's path, the arguments, and whether it ends with
// the file-type placeholder. The zero value has no path and is not valid.
type CommandLine struct {
	Path      string
	Args      []string // nil when there are none
	FileTypes bool     // ends with the placeholder "%*"
}

// String returns the command line as BuildCommandLine writes it.
func (c CommandLine) String() string { return BuildCommandLine(c.Path, c.Args, c.FileTypes) }

// Validate reports every problem of c (CAT-11): a path that is not blank,
// is valid UTF-8 and has no double quote (a path can never hold one, and it
// could not be quoted) nor control character; arguments of valid UTF-8
// without control characters other than tab, none of them exactly %* (that
// is written only as the placeholder, FileTypes). For a valid c,
// ParseCommandLine(c.String()) returns c.
func (c CommandLine) Validate() error {
	var l rule.List
	switch {
	case strings.TrimSpace(c.Path) == "":
		l.Add("CAT-11", "the command line has no path; give the path of the executable, such as C:\\Program Files\\App\\app.exe")
	case !utf8.ValidString(c.Path):
		l.Add("CAT-11", "path %q is not valid UTF-8", c.Path)
	case strings.ContainsRune(c.Path, '"'):
		l.Add("CAT-11", "path %q has a double quote; a path cannot hold one, remove it", c.Path)
	case hasControl(c.Path, false):
		l.Add("CAT-11", "path %q has a control character; remove it", c.Path)
	}
	for i, a := range c.Args {
		switch {
		case !utf8.ValidString(a):
			l.Add("CAT-11", "argument %d %q is not valid UTF-8", i+1, a)
		case hasControl(a, true):
			l.Add("CAT-11", "argument %d %q has a control character other than tab; remove it", i+1, a)
		case a == "%*":
			l.Add("CAT-11", "argument %d is %%*; the file-type placeholder is written only at the end, quoted, by setting FileTypes", i+1)
		}
	}
	return l.Err()
}

// hasControl reports whether s has an ASCII control character (tab
// excepted when tabOK) or DEL.
func hasControl(s string, tabOK bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 0x20 && !(tabOK && c == '\t')) || c == 0x7f {
			return true
		}
	}
	return false
}

// BuildCommandLine returns the command line that runs path with args and,
// when fileTypePlaceholder is set, ends with the file-type placeholder
// "%*" (CAT-11). It writes what Windows reads back (see ParseCommandLine):
//
//   - the path is enclosed in double quotes when it holds a space or tab
//     (or is empty), as "C:\Program Files\App\app.exe"; backslashes in it
//     stay as they are;
//   - each argument follows after one space; an argument with no space,
//     tab or double quote, and not empty, is written as it is; any other is
//     enclosed in double quotes, each double quote in it written \", and
//     the backslashes just before a double quote or before the closing
//     quote doubled;
//   - the placeholder follows after one space: path "%*".
//
// Example: BuildCommandLine(`C:\Program Files\Windows Media Player\mplayer1.exe`, nil, true)
// returns "C:\Program Files\Windows Media Player\mplayer1.exe" "%*".
//
// For a CommandLine that Validate accepts, ParseCommandLine of the result
// gives the parts back; other input is written as well as it can be.
func BuildCommandLine(path string, args []string, fileTypePlaceholder bool) string {
	var b strings.Builder
	if path == "" || strings.ContainsAny(path, " \t") {
		b.WriteByte('"')
		b.WriteString(path)
		b.WriteByte('"')
	} else {
		b.WriteString(path)
	}
	for _, a := range args {
		b.WriteByte(' ')
		appendArg(&b, a)
	}
	if fileTypePlaceholder {
		b.WriteByte(' ')
		b.WriteString(FileTypePlaceholder)
	}
	return b.String()
}

// appendArg writes one argument, quoted and escaped as CommandLineToArgvW
// reads it back.
func appendArg(b *strings.Builder, a string) {
	if a != "" && !strings.ContainsAny(a, " \t\"") {
		b.WriteString(a)
		return
	}
	b.WriteByte('"')
	slashes := 0
	for i := 0; i < len(a); i++ {
		c := a[i]
		switch c {
		case '\\':
			slashes++
		case '"':
			// 2n+1 backslashes and a quote read back as n backslashes and
			// a literal quote.
			b.WriteString(strings.Repeat(`\`, slashes+1))
			slashes = 0
		default:
			slashes = 0
		}
		b.WriteByte(c)
	}
	// The backslashes before the closing quote are doubled so that they
	// do not escape it.
	b.WriteString(strings.Repeat(`\`, slashes))
	b.WriteByte('"')
}

// ParseError reports a command line that does not parse (CAT-11), quoting
// the input and the byte offset of the problem. It unwraps to a CAT-11
// violation.
type ParseError struct {
	Input  string
	Offset int // byte offset in Input
	Msg    string
}

// Error returns the problem with the quoted input and the offset.
func (e *ParseError) Error() string { return e.violation().Error() }

// Unwrap returns the CAT-11 violation.
func (e *ParseError) Unwrap() error { return e.violation() }

func (e *ParseError) violation() *rule.Violation {
	return rule.Errorf("CAT-11", "command line %q: %s (at byte %d)", e.Input, e.Msg, e.Offset)
}

// ParseCommandLine splits a published app's command line into its path,
// arguments and file-type placeholder (CAT-11), the way Windows'
// CommandLineToArgvW reads a command line:
//
//   - Spaces and tabs around the command line are ignored; spaces and tabs
//     separate the parts.
//   - The path comes first. If it starts with a double quote it runs to the
//     next double quote, spaces included, and backslashes are plain
//     characters; the closing quote must be followed by a space or the end.
//     Otherwise it runs to the first space or tab and must hold no double
//     quote.
//   - In every argument after it, 2n backslashes followed by a double quote
//     give n backslashes and the quote starts or ends a quoted part; 2n+1
//     backslashes followed by a double quote give n backslashes and a
//     literal quote; backslashes not followed by a quote are plain. Inside a
//     quoted part spaces and tabs belong to the argument, and two double
//     quotes give a literal quote and end the quoted part (the rule of
//     CommandLineToArgvW, which differs from the C runtime since 2008).
//   - The last part written exactly "%*" (quoted) is the file-type
//     placeholder: FileTypes is set and it is not an argument. %* anywhere
//     else, or unquoted, is refused, as are an unterminated quote, control
//     characters other than tab and text that is not valid UTF-8.
//
// Every command line ParseCommandLine accepts gives the same CommandLine
// again when parsed after String.
func ParseCommandLine(s string) (CommandLine, error) {
	p := cmdParser{in: s}
	return p.parse()
}

// MustParseCommandLine is ParseCommandLine for constants in programs and
// tests; it panics if s does not parse.
func MustParseCommandLine(s string) CommandLine {
	c, err := ParseCommandLine(s)
	if err != nil {
		panic(err)
	}
	return c
}

type cmdParser struct {
	in string
	i  int
}

func (p *cmdParser) fail(at int, format string, args ...any) (CommandLine, error) {
	return CommandLine{}, &ParseError{Input: p.in, Offset: at, Msg: fmt.Sprintf(format, args...)}
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

func (p *cmdParser) skipBlanks() {
	for p.i < len(p.in) && isBlank(p.in[p.i]) {
		p.i++
	}
}

func (p *cmdParser) parse() (CommandLine, error) {
	s := p.in
	if !utf8.ValidString(s) {
		return p.fail(invalidUTF8At(s), "the text is not valid UTF-8")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return p.fail(i, "control character %q; remove it", c)
		}
	}
	p.skipBlanks()
	if p.i == len(s) {
		return p.fail(p.i, "empty; want the path of the executable, such as \"C:\\Program Files\\App\\app.exe\"")
	}
	var c CommandLine
	start := p.i
	if s[p.i] == '"' {
		end := strings.IndexByte(s[p.i+1:], '"')
		if end < 0 {
			return p.fail(start, "the quote opening the path is never closed; add the closing quote")
		}
		c.Path = s[p.i+1 : p.i+1+end]
		if tab := strings.IndexByte(c.Path, '\t'); tab >= 0 {
			return p.fail(p.i+1+tab, "the path has a tab; a path cannot hold control characters, remove it")
		}
		p.i += end + 2
		if p.i < len(s) && !isBlank(s[p.i]) {
			return p.fail(p.i, "text follows the closing quote of the path without a space; separate the path from what follows with a space")
		}
	} else {
		for p.i < len(s) && !isBlank(s[p.i]) {
			if s[p.i] == '"' {
				return p.fail(p.i, "a double quote inside an unquoted path; enclose the whole path in double quotes")
			}
			p.i++
		}
		c.Path = s[start:p.i]
	}
	if strings.TrimSpace(c.Path) == "" {
		return p.fail(start, "the path is empty; give the path of the executable")
	}
	for {
		p.skipBlanks()
		if p.i == len(s) {
			return c, nil
		}
		start := p.i
		arg, err := p.arg()
		if err != nil {
			return CommandLine{}, err
		}
		raw := s[start:p.i]
		if arg == "%*" {
			p.skipBlanks()
			switch {
			case raw != FileTypePlaceholder:
				return p.fail(start, "the file-type placeholder is written %s; write it quoted as %s", raw, FileTypePlaceholder)
			case p.i != len(s):
				return p.fail(start, "the file-type placeholder %s must come last; move it to the end", FileTypePlaceholder)
			}
			c.FileTypes = true
			return c, nil
		}
		c.Args = append(c.Args, arg)
	}
}

// arg reads one argument from p.i by the rules of CommandLineToArgvW.
func (p *cmdParser) arg() (string, error) {
	s := p.in
	var b strings.Builder
	inQuote, quoteAt, slashes := false, 0, 0
	flush := func(n int) {
		b.WriteString(strings.Repeat(`\`, n))
		slashes = 0
	}
	for p.i < len(s) {
		c := s[p.i]
		switch {
		case c == '\\':
			slashes++
			p.i++
			continue
		case c == '"':
			odd := slashes%2 == 1
			flush(slashes / 2)
			p.i++
			switch {
			case odd:
				b.WriteByte('"')
			case inQuote && p.i < len(s) && s[p.i] == '"':
				b.WriteByte('"')
				p.i++
				inQuote = false
			default:
				inQuote = !inQuote
				quoteAt = p.i - 1
			}
			continue
		case isBlank(c) && !inQuote:
			flush(slashes)
			return b.String(), nil
		}
		flush(slashes)
		b.WriteByte(c)
		p.i++
	}
	if inQuote {
		_, err := p.fail(quoteAt, "the quote opened here is never closed; add the closing quote")
		return "", err
	}
	flush(slashes)
	return b.String(), nil
}

// invalidUTF8At returns the byte offset of the first invalid UTF-8 sequence
// of s.
func invalidUTF8At(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}

package naming

import (
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/daasflex/daasflex/rule"
)

// LocationPrefixLen is the length of the resource-location prefix in the
// default scheme (rule NAM-9).
const LocationPrefixLen = 5

// alnum is the alphabet of the default scheme's random part.
const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// Default returns the scheme used when a catalog gives none (rule NAM-9):
// "DAS", the 5-character resource-location prefix, '-', two random letters
// or digits, '-' and three Digits wildcards, 15 characters in all, such as
// "DASEASTU-K7-###" (999 machines). The docs print eight location
// characters, which would make 18 and break NAM-2; RULES.md decides on five.
//
// locationPrefix must be exactly five ASCII letters or digits; letters are
// upper-cased, nothing is padded or cut, and every problem is reported at
// once as NAM-9 violations. The random part is read from rnd (nil means
// crypto/rand.Reader), so tests pass a fixed reader and get a fixed scheme;
// an error reading rnd is returned wrapped.
func Default(locationPrefix string, rnd io.Reader) (Scheme, error) {
	var l rule.List
	if n := utf8.RuneCountInString(locationPrefix); n != LocationPrefixLen {
		l.Add("NAM-9", "location prefix %s is %s; the default scheme needs exactly %d letters or digits",
			show(locationPrefix), characters(n), LocationPrefixLen)
	}
	pos, bad := 0, 0
	for i, r := range locationPrefix {
		pos++
		if r < utf8.RuneSelf && (isLetter(byte(r)) || isDigit(byte(r))) {
			continue
		}
		if bad++; bad > maxCharReports {
			continue
		}
		if _, size := utf8.DecodeRuneInString(locationPrefix[i:]); r == utf8.RuneError && size == 1 {
			l.Add("NAM-9", "location prefix %s has an invalid UTF-8 byte 0x%02X at position %d; use letters A-Z and digits 0-9",
				show(locationPrefix), locationPrefix[i], pos)
			continue
		}
		l.Add("NAM-9", "location prefix %s has %q at position %d; use letters A-Z and digits 0-9", show(locationPrefix), r, pos)
	}
	if bad > maxCharReports {
		l.Add("NAM-9", "location prefix %s has %d more characters that are not letters or digits", show(locationPrefix), bad-maxCharReports)
	}
	if err := l.Err(); err != nil {
		return Scheme{}, err
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	random, err := randomAlnum(rnd, 2)
	if err != nil {
		return Scheme{}, err
	}
	return Parse("DAS"+strings.ToUpper(locationPrefix)+"-"+random+"-###", Digits)
}

// randomAlnum reads n characters of alnum from rnd, uniformly: bytes of
// 252 and above (7·36) are dropped. A reader that gives nothing usable in
// 64 bytes per character is an error, not an endless loop.
func randomAlnum(rnd io.Reader, n int) (string, error) {
	out := make([]byte, 0, n)
	var b [1]byte
	for tries := 0; len(out) < n; tries++ {
		if tries == 64*n {
			return "", fmt.Errorf("naming: the random source gave %d bytes of 252 or more; cannot choose the default scheme's random part", tries)
		}
		if _, err := io.ReadFull(rnd, b[:]); err != nil {
			return "", fmt.Errorf("naming: reading the default scheme's random part: %w", err)
		}
		if b[0] >= 252 {
			continue
		}
		out = append(out, alnum[b[0]%36])
	}
	return string(out), nil
}

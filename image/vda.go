package image

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
)

// VDAVersion is a version of the Citrix Virtual Delivery Agent in Citrix's
// YYMM scheme: a release such as 2507 (July 2025), optionally followed by up
// to three numeric parts (2603.1, 2507.0.0.1018), or a Long Term Service
// Release with an optional cumulative update (2507 LTSR, 2507 LTSR CU1).
//
// VDAVersion is a comparable value; trailing zero parts are dropped, so
// 2507.0 and 2507 are the same version. The zero value is no version: it is
// not valid and sorts before every valid one.
type VDAVersion struct {
	yymm  uint16    // 2507
	parts [3]uint32 // the numeric parts after YYMM
	ltsr  bool      // a Long Term Service Release
	cu    uint16    // the LTSR's cumulative update, 0 for the initial release
}

// MinimumVDA returns the oldest VDA version an imported image may carry:
// 2507 (IMG-5).
func MinimumVDA() VDAVersion { return VDAVersion{yymm: 2507} }

// maxPart bounds each numeric part, so every part fits and prints back.
const maxPart = 999_999_999

// maxCU bounds an LTSR's cumulative update number.
const maxCU = 999

// ParseError reports input that does not parse, quoting the input and the
// byte offset of the problem.
type ParseError struct {
	What   string // what was parsed, such as "VDA version"
	Input  string // the input
	Offset int    // byte offset of the problem in Input
	Msg    string // the problem and what would be accepted
}

// Error returns the problem with the quoted input and the offset.
func (e *ParseError) Error() string {
	return fmt.Sprintf("image: parsing %s %q: at offset %d: %s", e.What, e.Input, e.Offset, e.Msg)
}

// ParseVDAVersion parses a VDA version: YYMM with an optional ".a", ".a.b" or
// ".a.b.c" (each part at most 999999999), or "YYMM LTSR" with an optional
// " CUn" (n from 1 to 999). YY is 18 or later (the YYMM scheme started with
// 1808) and MM a month from 01 to 12. "LTSR" and "CU" are matched
// case-insensitively; nothing else is accepted, not even surrounding space.
func ParseVDAVersion(s string) (VDAVersion, error) {
	fail := func(off int, format string, args ...any) (VDAVersion, error) {
		return VDAVersion{}, &ParseError{What: "VDA version", Input: s, Offset: off, Msg: fmt.Sprintf(format, args...)}
	}
	if len(s) < 4 || !allDigits(s[:4]) || (len(s) > 4 && isDigit(s[4])) {
		return fail(0, "want a four-digit release YYMM such as 2507")
	}
	yy, mm := int(s[0]-'0')*10+int(s[1]-'0'), int(s[2]-'0')*10+int(s[3]-'0')
	if yy < 18 {
		return fail(0, "release year %02d predates the YYMM scheme (1808 onwards); want a release such as 2507", yy)
	}
	if mm < 1 || mm > 12 {
		return fail(2, "month %02d is not 01 to 12", mm)
	}
	v := VDAVersion{yymm: uint16(yy*100 + mm)}
	rest, off := s[4:], 4
	switch {
	case rest == "":
		return v, nil
	case rest[0] == '.':
		for i := 0; rest != ""; i++ {
			if rest[0] != '.' {
				return fail(off, "want '.' and a number")
			}
			if i == len(v.parts) {
				return fail(off, "at most three numeric parts after the release, as in 2507.0.0.1018")
			}
			rest, off = rest[1:], off+1
			n := 0
			for n < len(rest) && isDigit(rest[n]) {
				n++
			}
			if n == 0 {
				return fail(off, "want a number after '.'")
			}
			p, err := strconv.ParseUint(rest[:n], 10, 32)
			if err != nil || p > maxPart {
				return fail(off, "part %s is larger than %d", rest[:n], maxPart)
			}
			v.parts[i] = uint32(p)
			rest, off = rest[n:], off+n
		}
		return v, nil
	case len(rest) >= 5 && strings.EqualFold(rest[:5], " LTSR"):
		v.ltsr = true
		rest, off = rest[5:], off+5
		if rest == "" {
			return v, nil
		}
		if len(rest) < 3 || !strings.EqualFold(rest[:3], " CU") {
			return fail(off, "want nothing or \" CUn\" after LTSR, as in 2507 LTSR CU1")
		}
		rest, off = rest[3:], off+3
		if rest == "" || !allDigits(rest) {
			return fail(off, "want the cumulative update's number after CU, as in CU1")
		}
		cu, err := strconv.Atoi(rest)
		if err != nil || cu < 1 || cu > maxCU {
			return fail(off, "cumulative update %s is not 1 to %d", rest, maxCU)
		}
		v.cu = uint16(cu)
		return v, nil
	}
	return fail(off, "want nothing, \".n\" parts or \" LTSR\" after the release, as in 2507, 2603.1 or 2507 LTSR CU1")
}

// MustParseVDAVersion is ParseVDAVersion for constants in tests and
// examples; it panics if s does not parse.
func MustParseVDAVersion(s string) VDAVersion {
	v, err := ParseVDAVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func allDigits(s string) bool {
	for i := range len(s) {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// IsValid reports whether v is a version rather than the zero value.
func (v VDAVersion) IsValid() bool { return v.yymm != 0 }

// Release returns the YYMM release number, such as 2507; 0 for the zero
// value.
func (v VDAVersion) Release() int { return int(v.yymm) }

// LTSR reports whether v is a Long Term Service Release.
func (v VDAVersion) LTSR() bool { return v.ltsr }

// CU returns the cumulative update of an LTSR, 0 for its initial release
// and for other versions.
func (v VDAVersion) CU() int { return int(v.cu) }

// String returns the version in the form ParseVDAVersion reads, without
// trailing zero parts: "2507", "2603.1", "2507.0.0.1018", "2507 LTSR CU1".
// The zero value prints as "".
func (v VDAVersion) String() string {
	if !v.IsValid() {
		return ""
	}
	b := make([]byte, 0, 32)
	b = fmt.Appendf(b, "%04d", v.yymm)
	last := -1
	for i, p := range v.parts {
		if p != 0 {
			last = i
		}
	}
	for _, p := range v.parts[:last+1] {
		b = append(b, '.')
		b = strconv.AppendUint(b, uint64(p), 10)
	}
	if v.ltsr {
		b = append(b, " LTSR"...)
		if v.cu > 0 {
			b = append(b, " CU"...)
			b = strconv.AppendUint(b, uint64(v.cu), 10)
		}
	}
	return string(b)
}

// Compare returns -1, 0 or +1 as v sorts before, equal to or after w: by
// release, then the numeric parts, then an LTSR after the other versions of
// its release and numeric parts, then by cumulative update. It is a total
// order: Compare(v, w) == 0 exactly when v == w. Use it with slices.SortFunc.
func (v VDAVersion) Compare(w VDAVersion) int {
	if c := cmp.Compare(v.yymm, w.yymm); c != 0 {
		return c
	}
	for i := range v.parts {
		if c := cmp.Compare(v.parts[i], w.parts[i]); c != 0 {
			return c
		}
	}
	if v.ltsr != w.ltsr {
		if v.ltsr {
			return 1
		}
		return -1
	}
	return cmp.Compare(v.cu, w.cu)
}

// Less reports whether v sorts before w.
func (v VDAVersion) Less(w VDAVersion) bool { return v.Compare(w) < 0 }

// MarshalText encodes v as String does.
func (v VDAVersion) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText decodes a version with ParseVDAVersion; empty text decodes
// to the zero value.
func (v *VDAVersion) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*v = VDAVersion{}
		return nil
	}
	w, err := ParseVDAVersion(string(b))
	if err != nil {
		return err
	}
	*v = w
	return nil
}

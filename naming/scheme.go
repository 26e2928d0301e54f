package naming

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/daasflex/daasflex/rule"
)

// ErrExhausted is matched (errors.Is) by the error of Scheme.Name for a
// machine number past the scheme's capacity: the wildcard field cannot grow
// any more without making names longer than 15 characters (rule NAM-8). The
// error also carries the NAM-8 rule.Violation, whose message suggests a
// shorter fixed part.
var ErrExhausted = errors.New("naming: scheme exhausted")

// errZero is the error of every question asked of the zero Scheme.
var errZero = errors.New("naming: the zero Scheme names no machines; make one with Parse")

// Scheme is a machine naming scheme that Parse accepted: a fixed prefix, a
// field of one to four wildcards '#' and a fixed suffix, with the kind of
// its wildcards, such as "PC-Sales-##" with Digits.
//
// A Scheme is a comparable value type: two Schemes are == when they were
// parsed from the same text and kind. Its fixed part keeps the case it was
// typed in; Windows compares computer names ignoring case.
//
// The zero Scheme is invalid: IsValid reports false, String returns "",
// Capacity returns 0, Name and Check return an error.
//
// Every name a Scheme makes passes ValidateName: Parse refuses a scheme whose
// names would break a rule, and a Letters field skips the few values that
// would make a name end with -GATEWAY, -GW or -TAC (rule NAM-6).
type Scheme struct {
	text     string       // the scheme as given, e.g. "PC-Sales-##"
	kind     WildcardKind // what the wildcards stand for
	start    uint8        // byte offset of the first '#'
	width    uint8        // number of '#', 1–4; 0 only in the zero Scheme
	maxWidth uint8        // widest field that keeps names within 15 characters
	// skip holds, for each ending NAM-6 forbids (nam6Pattern), a bit per
	// field width w: bit w set means one Letters field value of width w
	// would end a name with that ending and is skipped.
	skip [nam6Count]uint16
	// skips holds 2 bits per field width w: how many values of width w
	// are skipped (0–3), the sum of the skip bits for w.
	skips    uint32
	capacity int // number of names, saturated at math.MaxInt
}

// Parse checks scheme against the naming rules and returns the Scheme that
// names machines with it. kind says whether the wildcards are digits or
// letters (NAM-7).
//
// All problems are reported at once, as a *multierror.Error of
// *rule.Violation items, each naming its rule, the offending value and what
// would be accepted. Positions are 1-based and count characters (runes):
//
//	Parse("Sales PC_##", Digits)
//	NAM-3: "Sales PC_##" has a space (' ') at position 6; use letters A-Z, digits 0-9 and '-'
//	NAM-3: "Sales PC_##" has an underscore ('_') at position 9; …
//
// The rules, as applied to a scheme:
//
//   - NAM-1: one to four '#', all together.
//   - NAM-2: the scheme text is 2–15 characters, each '#' counting as one;
//     it is as long as the first name, and later names only grow up to 15.
//   - NAM-3: none of space / \ : * < > | , ~ ! @ $ % ^ ( ) { } _ ? " & '
//     and nothing beyond ASCII.
//   - NAM-4: no leading period.
//   - NAM-5: a Digits scheme needs a fixed character that is not a digit;
//     otherwise every name is only digits ("12##" is refused, "12##" with
//     Letters is fine).
//   - NAM-6: the fixed part after the wildcards must not end with -GATEWAY,
//     -GW or -TAC (every name would). Letters field values that would
//     complete such an ending ("PC-##" would make PC-GW and PC-TAC) are
//     skipped instead: the scheme is accepted and never makes those names.
//   - AZ-7: names are Windows computer names: characters other than letters,
//     digits, '-' and the wildcards are refused ('.', '+', ';' …), and so is
//     a scheme ending in '-'.
//   - NAM-7: kind is Digits or Letters.
func Parse(scheme string, kind WildcardKind) (Scheme, error) {
	var l rule.List
	if !kind.IsValid() {
		l.Add("NAM-7", "wildcard kind %d is neither Digits nor Letters; use naming.Digits or naming.Letters", int(kind))
	}
	if n := utf8.RuneCountInString(scheme); n < MinLen || n > MaxLen {
		l.Add("NAM-2", "%s is %s; %s", show(scheme), characters(n), lengthBound(n))
	}

	count, groups := 0, 0
	first, last := -1, -1 // byte offsets of the first and last '#'
	firstPos, lastPos, pos := 0, 0, 0
	prevHash := false
	for i, r := range scheme {
		pos++
		if r != '#' {
			prevHash = false
			continue
		}
		count++
		if !prevHash {
			groups++
		}
		prevHash = true
		if first < 0 {
			first, firstPos = i, pos
		}
		last, lastPos = i, pos
	}
	switch {
	case count == 0:
		l.Add("NAM-1", "%s has no wildcard; put one to four '#' where the machine number goes, as in \"PC-##\"", show(scheme))
	case count > 4:
		l.Add("NAM-1", "%s has %d wildcards; use one to four '#'", show(scheme), count)
	}
	if groups > 1 {
		together := scheme[:first] + strings.Repeat("#", min(count, 4)) + strings.ReplaceAll(scheme[first:], "#", "")
		l.Add("NAM-1", "%s has its wildcards apart, in %d groups from position %d to %d; put all '#' together, as in %s",
			show(scheme), groups, firstPos, lastPos, show(together))
	}

	checkChars(&l, scheme, true)
	if strings.HasPrefix(scheme, ".") {
		l.Add("NAM-4", "%s begins with a period; begin with a letter, digit or '#'", show(scheme))
	}

	// The end of every name: the text after the wildcards, or the whole text
	// when there is none.
	tail, every := scheme, ""
	if count > 0 {
		tail, every = scheme[last+1:], "every name of "
	}
	switch {
	case count == 0 && allDigits(scheme):
		l.Add("NAM-5", "%s is only digits; add a letter or '-'", show(scheme))
	case count > 0 && kind == Digits && onlyDigits(scheme):
		l.Add("NAM-5", "every name of %s with Digits wildcards is only digits; add a letter or '-', or use Letters wildcards", show(scheme))
	}
	if e := nam6Suffix(tail); e != "" {
		l.Add("NAM-6", "%s%s ends with %q; names may not end with -GATEWAY, -GW or -TAC", every, show(scheme), e)
	}
	if strings.HasSuffix(tail, "-") {
		l.Add("AZ-7", "%s%s ends with '-', which a Windows computer name cannot; end with a letter, digit or '#'", every, show(scheme))
	}
	if err := l.Err(); err != nil {
		return Scheme{}, err
	}

	s := Scheme{
		text:     scheme,
		kind:     kind,
		start:    uint8(first),
		width:    uint8(count),
		maxWidth: uint8(MaxLen - (len(scheme) - count)),
	}
	if kind == Letters {
		s.skip = letterSkips(s.prefix(), s.suffix(), count)
		for w := count; w <= MaxLen; w++ {
			n := s.skip[0]>>w&1 + s.skip[1]>>w&1 + s.skip[2]>>w&1
			s.skips |= uint32(n) << (2 * w)
		}
	}
	s.capacity = s.capacityUpTo(int(s.maxWidth))
	return s, nil
}

// MustParse is like Parse but panics if the scheme is refused. It is for
// schemes fixed in a program or a test, never for user input.
func MustParse(scheme string, kind WildcardKind) Scheme {
	s, err := Parse(scheme, kind)
	if err != nil {
		panic(`naming: MustParse(` + strconv.Quote(scheme) + `): ` + err.Error())
	}
	return s
}

// letterSkips returns the skip masks of a Letters scheme (see Scheme.skip)
// for field widths from width to MaxLen. A name prefix+L+suffix ends with a
// forbidden ending P when suffix is the tail P[k:] of P (k ≥ 1; k = 0 is
// refused by Parse) and prefix+L ends with P[:k]. L has no '-', so L is the
// last w letters P[k-w:k] (needing k-w ≥ 1) and prefix must end with
// P[:k-w]. Each width thus forbids at most one value per ending.
func letterSkips(prefix, suffix string, width int) (masks [nam6Count]uint16) {
	for i := range nam6Count {
		p := nam6Pattern(i)
		if len(suffix) >= len(p) {
			continue
		}
		k := len(p) - len(suffix)
		if !strings.EqualFold(suffix, p[k:]) {
			continue
		}
		for w := width; w <= k-1 && w <= MaxLen; w++ {
			if hasSuffixFold(prefix, p[:k-w]) {
				masks[i] |= 1 << w
			}
		}
	}
	return masks
}

// IsValid reports whether s was made by Parse, MustParse or Default, that
// is, whether s is not the zero Scheme.
func (s Scheme) IsValid() bool { return s.width != 0 }

// String returns the scheme text as given to Parse, such as "PC-Sales-##",
// or "" for the zero Scheme.
func (s Scheme) String() string { return s.text }

// Kind returns what the scheme's wildcards stand for.
func (s Scheme) Kind() WildcardKind { return s.kind }

// prefix returns the fixed text before the wildcards.
func (s Scheme) prefix() string { return s.text[:s.start] }

// suffix returns the fixed text after the wildcards.
func (s Scheme) suffix() string { return s.text[int(s.start)+int(s.width):] }

// fixedLen returns the number of fixed characters.
func (s Scheme) fixedLen() int { return len(s.text) - int(s.width) }

// Capacity returns the exact number of machines the scheme can name before
// Name reports ErrExhausted (rule NAM-8): for Digits 10^m − 1, where m is
// the widest field that keeps names within 15 characters ("PC-Sales-##":
// 999,999; "MachineSales-##": 99); for Letters the sum of 26^w over the
// field widths w it grows through, less the values skipped for NAM-6
// ("MachineSales-##": 675, without MachineSales-GW).
//
// A Letters scheme with at most one fixed character has more names than an
// int can count; its Capacity is math.MaxInt and Name never runs out.
// The zero Scheme has capacity 0.
func (s Scheme) Capacity() int { return s.capacity }

// capacityUpTo returns how many names s makes with fields up to maxWidth
// wide, saturated at math.MaxInt.
func (s Scheme) capacityUpTo(maxWidth int) int {
	w := int(s.width)
	if s.kind == Digits {
		if maxWidth >= 19 {
			return math.MaxInt
		}
		return pow10(maxWidth) - 1
	}
	total := 0
	for size := pow26(w); w <= maxWidth; w, size = w+1, times26(size) {
		n := s.skipCount(w)
		if size == math.MaxInt || total > math.MaxInt-(size-n) {
			return math.MaxInt
		}
		total += size - n
	}
	return total
}

// pow10 returns 10^w for 0 ≤ w ≤ 18.
func pow10(w int) int {
	p := 1
	for range w {
		p *= 10
	}
	return p
}

// pow26 returns 26^w, saturated at math.MaxInt.
func pow26(w int) int {
	p := 1
	for range w {
		p = times26(p)
	}
	return p
}

// times26 returns 26·p, saturated at math.MaxInt.
func times26(p int) int {
	if p > math.MaxInt/26 {
		return math.MaxInt
	}
	return p * 26
}

// skipCount returns how many Letters field values of width w are skipped
// for NAM-6.
func (s Scheme) skipCount(w int) int {
	return int(s.skips >> (2 * uint(w)) & 3) // 0 for w > 15: the shift is past 31
}

// skipsAt returns how many Letters field values of width w are skipped for
// NAM-6 and their indexes in AA…Z order (0 is all 'A'), ascending.
func (s Scheme) skipsAt(w int) (n int, idx [nam6Count]int) {
	if w > MaxLen {
		return 0, idx
	}
	for i := range nam6Count {
		if s.skip[i]&(1<<w) == 0 {
			continue
		}
		p := nam6Pattern(i)
		end := len(p) - (len(s.text) - int(s.start) - int(s.width))
		v := 0
		for j := end - w; j < end; j++ {
			v = v*26 + int(p[j]-'A')
		}
		// insert v in order
		j := n
		for ; j > 0 && idx[j-1] > v; j-- {
			idx[j] = idx[j-1]
		}
		idx[j] = v
		n++
	}
	return n, idx
}

// Name returns the name of machine n (n ≥ 1) in constant time (rule NAM-7,
// NAM-8). Digits count from 1, zero-padded to the width of the wildcards,
// and grow by one position when the field is full: "PC-Sales-##" names
// PC-Sales-01 … PC-Sales-99, PC-Sales-100 … PC-Sales-999999. Letters run
// AA … ZZ, then AAA … ZZZ, and so on, upper case, skipping values that
// would end a name with -GATEWAY, -GW or -TAC.
//
// Past Capacity, Name returns an error that matches ErrExhausted and holds
// the NAM-8 rule.Violation, which suggests a shorter fixed part. For n < 1 or
// the zero Scheme it returns another error.
func (s Scheme) Name(n int) (string, error) {
	if s.width == 0 {
		return "", errZero
	}
	if n < 1 {
		return "", fmt.Errorf("naming: machine number %d is out of range; machines are numbered from 1", n)
	}
	if n > s.capacity {
		return "", s.exhausted(n)
	}
	var buf [MaxLen]byte
	b := buf[:0]
	b = append(b, s.prefix()...)
	if s.kind == Digits {
		d := numDigits(n)
		for range int(s.width) - d {
			b = append(b, '0')
		}
		b = strconv.AppendInt(b, int64(n), 10)
	} else {
		w, i := s.letterField(n - 1)
		start := len(b)
		b = b[:start+w]
		for j, v := start+w-1, uint64(i); j >= start; j-- {
			q := v / 26
			b[j] = byte('A' + v - q*26)
			v = q
		}
	}
	b = append(b, s.suffix()...)
	return string(b), nil
}

// letterField returns the width and the index (in AA…Z order) of the field
// of the Letters name with 0-based number m, which must be below Capacity.
func (s Scheme) letterField(m int) (w, index int) {
	w = int(s.width)
	for size := pow26(w); size != math.MaxInt; w, size = w+1, times26(size) {
		c := size - s.skipCount(w)
		if m < c {
			break
		}
		m -= c
	}
	if s.skipCount(w) == 0 {
		return w, m
	}
	n, idx := s.skipsAt(w)
	for _, v := range idx[:n] {
		if v <= m {
			m++
		}
	}
	return w, m
}

// numDigits returns the number of decimal digits of n ≥ 1.
func numDigits(n int) int {
	d := 1
	for n >= 10 {
		n /= 10
		d++
	}
	return d
}

// Number returns the machine number n for which Name(n) returns name, and
// reports whether there is one. It is the inverse of Name, for finding the
// next free number from the names of existing machines. The fixed part and
// letters match ignoring case, as Windows compares computer names.
func (s Scheme) Number(name string) (n int, ok bool) {
	if s.width == 0 || len(name) > MaxLen {
		return 0, false
	}
	pre, suf := s.prefix(), s.suffix()
	if len(name) < len(pre)+int(s.width)+len(suf) ||
		!strings.EqualFold(name[:len(pre)], pre) || !strings.EqualFold(name[len(name)-len(suf):], suf) {
		return 0, false
	}
	field := name[len(pre) : len(name)-len(suf)]
	w := len(field)
	if s.kind == Digits {
		if w > int(s.width) && field[0] == '0' {
			return 0, false
		}
		for i := 0; i < w; i++ {
			if !isDigit(field[i]) {
				return 0, false
			}
			n = n*10 + int(field[i]-'0')
		}
		return n, n >= 1
	}
	v := 0
	for i := 0; i < w; i++ {
		c := field[i] &^ 0x20 // upper case
		if c < 'A' || c > 'Z' {
			return 0, false
		}
		if v > (math.MaxInt-25)/26 {
			return 0, false // beyond what an int counts
		}
		v = v*26 + int(c-'A')
	}
	skipped, idx := s.skipsAt(w)
	below := 0
	for _, x := range idx[:skipped] {
		if x == v {
			return 0, false
		}
		if x < v {
			below++
		}
	}
	n = s.capacityUpTo(w - 1) // names of narrower fields; 0 below the width
	if n == math.MaxInt || n > math.MaxInt-(v-below)-1 {
		return 0, false
	}
	return n + v - below + 1, true
}

// Check reports, before a catalog is created, whether the scheme can name
// the given number of machines. If not it returns a NAM-8 violation that
// says how many it can name and what would fit:
//
//	NAM-8: "MachineSales-##" can name 99 machines; this catalog needs 1,200; …
func (s Scheme) Check(machines int) error {
	if s.width == 0 {
		return errZero
	}
	if machines < 0 {
		return fmt.Errorf("naming: machine count %d is negative", machines)
	}
	if machines <= s.capacity {
		return nil
	}
	var l rule.List
	l.Add("NAM-8", "%q can name %s machines; this catalog needs %s%s",
		s.text, group(s.capacity), group(machines), s.advice(machines))
	return l.Err()
}

// exhausted returns the error of Name(n) for n past Capacity.
func (s Scheme) exhausted(n int) error {
	need := s.fixedLen() + s.fieldWidthFor(n)
	v := rule.Errorf("NAM-8", "%q can name %s machines; machine %s would need a name of %s (at most %d)%s",
		s.text, group(s.capacity), group(n), characters(need), MaxLen, s.advice(n))
	return fmt.Errorf("%w: %w", ErrExhausted, v)
}

// fieldWidthFor returns the field width the scheme's own growth would reach
// at machine n, ignoring the limit of 15 characters.
func (s Scheme) fieldWidthFor(n int) int {
	if s.kind == Digits {
		return max(int(s.width), numDigits(n))
	}
	w := int(s.width)
	m := n - 1
	for size := pow26(w); size != math.MaxInt; w, size = w+1, times26(size) {
		k := s.skipCount(w)
		if m < size-k {
			break
		}
		m -= size - k
	}
	return w
}

// advice suggests how to name n machines: a shorter fixed part, or the
// other wildcard kind.
func (s Scheme) advice(n int) string {
	var tips []string
	fixed := s.fixedLen()
	w, minFixed := int(s.width), 1 // Digits need a non-digit (NAM-5)
	if s.kind == Digits {
		w = max(w, numDigits(n))
	} else {
		// At most nam6Count values per width are skipped, so this width
		// is enough whatever the shorter fixed part is.
		minFixed = max(0, MinLen-w)
		for total := 0; ; w++ {
			size := pow26(w)
			if size == math.MaxInt || total+size-nam6Count >= n {
				break
			}
			total += size - nam6Count
		}
	}
	if k := MaxLen - w; k >= minFixed && k < fixed {
		tips = append(tips, fmt.Sprintf("shorten the fixed part to at most %s (now %d)", characters(k), fixed))
	}
	other := Letters
	if s.kind == Letters {
		other = Digits
	}
	if o, err := Parse(s.text, other); err == nil && o.capacity >= n {
		tips = append(tips, fmt.Sprintf("use %v wildcards, which name %s", other, group(o.capacity)))
	}
	if len(tips) == 0 {
		return "; no scheme of at most 15 characters with this fixed part can name that many"
	}
	return "; " + strings.Join(tips, ", or ")
}

// group formats n with thousands separators: 1200 → "1,200".
func group(n int) string {
	s := strconv.Itoa(n)
	start := 0
	if n < 0 {
		start = 1
	}
	for i := len(s) - 3; i > start; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

package image

import (
	"fmt"
	"unicode/utf8"

	"github.com/daasflex/daasflex/rule"
)

// Bounds on names and notes.
const (
	MaxNameLen  = 64    // characters in an image name (a decision: as Azure's resource names, AZ-7)
	MaxNotesLen = 1_024 // characters of notes (IMG-2, IMG-7)
)

// ValidateName reports, as an error, why name cannot name an image (IMG-7),
// or nil. The documentation sets no bounds; the decision is 1 to 64
// characters of ASCII letters, digits, spaces and - _ . ( ), starting with a
// letter or digit and not ending with a space, which every prepared image's
// name meets. Names are unique per subscription, which the tenant enforces.
func ValidateName(name string) error {
	var l rule.List
	checkName(&l, "IMG-7", name)
	return l.Err()
}

func checkName(l *rule.List, id, name string) {
	n := utf8.RuneCountInString(name)
	switch {
	case n == 0:
		l.Add(id, "image name is empty; want 1 to %d characters", MaxNameLen)
		return
	case n > MaxNameLen:
		l.Add(id, "image name %q is %d characters; at most %d", name, n, MaxNameLen)
	}
	for i, r := range name {
		if !nameRune(r) {
			l.Add(id, "image name %q has %q at offset %d; want letters, digits, spaces and - _ . ( )", name, r, i)
			break
		}
	}
	if c := name[0]; !isDigit(c) && !isLetter(c) {
		l.Add(id, "image name %q starts with %q; want a letter or digit first", name, c)
	}
	if name[len(name)-1] == ' ' {
		l.Add(id, "image name %q ends with a space; remove it", name)
	}
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func nameRune(r rune) bool {
	if r < utf8.RuneSelf && (isLetter(byte(r)) || isDigit(byte(r))) {
		return true
	}
	switch r {
	case ' ', '-', '_', '.', '(', ')':
		return true
	}
	return false
}

// ValidateNotes reports, as an error, why notes cannot be an image's notes
// (IMG-7): more than 1,024 characters, or not UTF-8.
func ValidateNotes(notes string) error {
	var l rule.List
	checkNotes(&l, "IMG-7", notes)
	return l.Err()
}

func checkNotes(l *rule.List, id, notes string) {
	if !utf8.ValidString(notes) {
		l.Add(id, "notes are not valid UTF-8 text")
	}
	if n := utf8.RuneCountInString(notes); n > MaxNotesLen {
		l.Add(id, "notes are %d characters; at most %d", n, MaxNotesLen)
	}
}

// Rename returns img with name name (IMG-7). Prepared images cannot be
// renamed (IMG-1; a decision: they are Citrix's, not the customer's).
func (img Image) Rename(name string) (Image, error) {
	var l rule.List
	if img.Prepared() {
		l.Add("IMG-1", "image %q is prepared by Citrix; it cannot be renamed", img.Name)
	}
	checkName(&l, "IMG-7", name)
	if err := l.Err(); err != nil {
		return img, err
	}
	img.Name = name
	return img, nil
}

// WithNotes returns img with notes notes (IMG-7). Notes can be edited in
// every state, including Ready, but never on a prepared image (IMG-1).
func (img Image) WithNotes(notes string) (Image, error) {
	var l rule.List
	if img.Prepared() {
		l.Add("IMG-1", "image %q is prepared by Citrix; its notes cannot be edited", img.Name)
	}
	checkNotes(&l, "IMG-7", notes)
	if err := l.Err(); err != nil {
		return img, err
	}
	img.Notes = notes
	return img, nil
}

// Usage counts what uses an image: the numbers its details show (IMG-7).
type Usage struct {
	Catalogs int // catalogs whose current image it is
	Machines int // machines made from it
}

// String returns "n catalogs, m machines".
func (u Usage) String() string {
	return fmt.Sprintf("%d %s, %d %s", u.Catalogs, plural(u.Catalogs, "catalog"), u.Machines, plural(u.Machines, "machine"))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// CheckDelete reports, as an error, why img cannot be deleted given its
// usage, or nil (IMG-7): an image used by a catalog, or by machines that
// a static catalog keeps on it after an image update (CAT-7), cannot be
// deleted (a decision), nor can a prepared image (IMG-1).
func (img Image) CheckDelete(u Usage) error {
	var l rule.List
	if img.Prepared() {
		l.Add("IMG-1", "image %q is prepared by Citrix; it cannot be deleted", img.Name)
	}
	if u.Catalogs > 0 || u.Machines > 0 {
		l.Add("IMG-7", "image %q is in use (%s); update or delete those catalogs first", img.Name, u)
	}
	return l.Err()
}

package catalog

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/daasflex/daasflex/rule"
)

// AppSource says how an app was added to a catalog (CAT-10). The zero
// value is unset.
type AppSource uint8

// The app sources.
const (
	FromStartMenu AppSource = iota + 1 // picked from the Start menu of the catalog's image
	ByPath                             // entered by its path
)

// String returns "Start menu" or "path".
func (s AppSource) String() string {
	switch s {
	case FromStartMenu:
		return "Start menu"
	case ByPath:
		return "path"
	}
	return "AppSource(" + strconv.Itoa(int(s)) + ")"
}

// Bounds of an app's text fields (a decision: the documentation sets none).
const (
	MaxAppName        = 64
	MaxAppDescription = 512
	MaxAppPath        = 32_767 // Windows' longest path
)

// App is an application published from a catalog's machines to its users
// (CAT-10): the name users see, an optional description and icon, and what
// runs: the path, command-line arguments, the file-type placeholder and an
// optional working directory.
type App struct {
	Name             string // shown in Citrix Workspace and StoreFront; unique in the catalog ignoring case
	Source           AppSource
	Description      string // optional
	Icon             string // optional reference to the icon shown; empty for the executable's own
	Path             string // the executable
	Args             []string
	FileTypes        bool   // the command line ends with the file-type placeholder "%*" (CAT-11)
	WorkingDirectory string // optional
}

// CommandLine returns the app's command line (CAT-11).
func (a App) CommandLine() CommandLine {
	return CommandLine{Path: a.Path, Args: a.Args, FileTypes: a.FileTypes}
}

// Validate reports every problem of a (CAT-10, CAT-11): a name of 1 to 64
// characters without control characters or surrounding spaces, a source,
// a description of at most 512 characters, a path and arguments that make a
// valid command line, and a working directory and icon without double quotes
// or control characters.
func (a App) Validate() error {
	var l rule.List
	switch n := utf8.RuneCountInString(a.Name); {
	case strings.TrimSpace(a.Name) == "":
		l.Add("CAT-10", "the app has no name; give the name users see")
	case !utf8.ValidString(a.Name) || n > MaxAppName || hasControl(a.Name, false) || strings.TrimSpace(a.Name) != a.Name:
		l.Add("CAT-10", "app name %q is not 1 to %d characters of text without control characters or surrounding spaces", a.Name, MaxAppName)
	}
	if a.Source != FromStartMenu && a.Source != ByPath {
		l.Add("CAT-10", "app %q has source %v; want Start menu or path", a.Name, a.Source)
	}
	if n := utf8.RuneCountInString(a.Description); !utf8.ValidString(a.Description) || n > MaxAppDescription {
		l.Add("CAT-10", "the description of app %q is not text of at most %d characters", a.Name, MaxAppDescription)
	}
	if utf8.RuneCountInString(a.Path) > MaxAppPath {
		l.Add("CAT-10", "the path of app %q is longer than %d characters", a.Name, MaxAppPath)
	}
	if err := a.CommandLine().Validate(); err != nil {
		for _, v := range rule.Violations(err) {
			l.Add(v.ID, "app %q: %s", a.Name, v.Msg)
		}
	}
	for _, f := range []struct{ what, v string }{{"working directory", a.WorkingDirectory}, {"icon", a.Icon}} {
		if !utf8.ValidString(f.v) || strings.ContainsRune(f.v, '"') || hasControl(f.v, false) {
			l.Add("CAT-10", "the %s of app %q, %q, has a double quote, a control character or invalid text", f.what, a.Name, f.v)
		}
	}
	return l.Err()
}

// Apps is the set of apps a catalog publishes (CAT-10), unique by name
// ignoring case. Adding an app publishes it to the catalog's users; removing
// one only takes it out of their Workspace or StoreFront: it stays installed
// on the machines.
//
// The zero value is an empty set ready to use. Apps is not safe for
// concurrent use; copy it with Clone.
type Apps struct {
	m map[string]App
}

// Add publishes every app of apps, or none and every problem: each must be
// valid (App.Validate) and its name new to the catalog and to the batch,
// ignoring case. The Start menu may list several versions of an app under
// one name; only one can be added, and another version is added by giving
// it a name of its own first.
func (s *Apps) Add(apps ...App) error {
	var l rule.List
	batch := make(map[string]App, len(apps))
	for _, a := range apps {
		if err := a.Validate(); err != nil {
			l.Append(err)
			continue
		}
		k := foldKey(a.Name)
		if prev, ok := s.m[k]; ok {
			l.Add("CAT-10", "an app named %q is already in the catalog (%s); to add another version, give it another name", a.Name, prev.Path)
			continue
		}
		if prev, ok := batch[k]; ok {
			l.Add("CAT-10", "two apps are named %q (%s and %s); only one can be added, give the other version another name", a.Name, prev.Path, a.Path)
			continue
		}
		batch[k] = a
	}
	if err := l.Err(); err != nil {
		return err
	}
	if s.m == nil {
		s.m = make(map[string]App, len(batch))
	}
	for k, a := range batch {
		s.m[k] = cloneApp(a)
	}
	return nil
}

// Edit replaces the app named name (ignoring case) with a, which may carry
// a new name that no other app has (CAT-10). It returns an error when there
// is no such app or a is not valid.
func (s *Apps) Edit(name string, a App) error {
	k := foldKey(name)
	if _, ok := s.m[k]; !ok {
		return rule.Errorf("CAT-10", "no app named %q in the catalog", name)
	}
	if err := a.Validate(); err != nil {
		return err
	}
	nk := foldKey(a.Name)
	if nk != k {
		if _, taken := s.m[nk]; taken {
			return rule.Errorf("CAT-10", "cannot rename app %q to %q: an app of that name is already in the catalog", name, a.Name)
		}
	}
	delete(s.m, k)
	s.m[nk] = cloneApp(a)
	return nil
}

// Rename gives the app named from the name to (CAT-10).
func (s *Apps) Rename(from, to string) error {
	a, ok := s.Get(from)
	if !ok {
		return rule.Errorf("CAT-10", "no app named %q in the catalog", from)
	}
	a.Name = to
	return s.Edit(from, a)
}

// Remove unpublishes the app named name (ignoring case) and returns it,
// reporting whether there was one. The app is not uninstalled: it stays on
// the machines and only leaves the users' Workspace or StoreFront (CAT-10).
func (s *Apps) Remove(name string) (App, bool) {
	k := foldKey(name)
	a, ok := s.m[k]
	if ok {
		delete(s.m, k)
	}
	return a, ok
}

// Get returns the app named name, ignoring case, and reports whether there
// is one.
func (s Apps) Get(name string) (App, bool) {
	a, ok := s.m[foldKey(name)]
	return cloneApp(a), ok
}

// Len returns the number of apps.
func (s Apps) Len() int { return len(s.m) }

// List returns the apps sorted by name, ignoring case. The slice and the
// apps' arguments are copies.
func (s Apps) List() []App {
	out := make([]App, 0, len(s.m))
	for _, a := range s.m {
		out = append(out, cloneApp(a))
	}
	slices.SortFunc(out, func(a, b App) int {
		return cmp.Or(strings.Compare(foldKey(a.Name), foldKey(b.Name)), strings.Compare(a.Name, b.Name))
	})
	return out
}

// Clone returns an independent copy of the set.
func (s Apps) Clone() Apps {
	if s.m == nil {
		return Apps{}
	}
	m := make(map[string]App, len(s.m))
	for k, a := range s.m {
		m[k] = cloneApp(a)
	}
	return Apps{m: m}
}

func cloneApp(a App) App {
	a.Args = slices.Clone(a.Args)
	return a
}

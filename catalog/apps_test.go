package catalog_test

import (
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
)

func wordApp() catalog.App {
	return catalog.App{
		Name:      "Word",
		Source:    catalog.FromStartMenu,
		Path:      `C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE`,
		FileTypes: true,
	}
}

func TestApps(t *testing.T) {
	var apps catalog.Apps
	byPath := catalog.App{
		Name:             "Media Player",
		Source:           catalog.ByPath,
		Description:      "Plays media",
		Icon:             `C:\icons\player.ico`,
		Path:             `C:\Program Files\Windows Media Player\mplayer1.exe`,
		Args:             []string{"/fullscreen"},
		FileTypes:        true,
		WorkingDirectory: `C:\Users\Public`,
	}
	if err := apps.Add(wordApp(), byPath); err != nil {
		t.Fatal(err)
	}
	// RULE CAT-10: one app per display name; another version needs a name of its own.
	v2 := wordApp()
	v2.Name = "WORD"
	v2.Path = `C:\Office15\WINWORD.EXE`
	err := apps.Add(v2)
	wantIDs(t, err, "CAT-10")
	if apps.Len() != 2 {
		t.Errorf("a refused Add changed the set: %d apps", apps.Len())
	}
	v2.Name = "Word 2013"
	if err := apps.Add(v2); err != nil {
		t.Errorf("renamed version: %v", err)
	}
	// Two versions with one name in a single batch: none is added.
	a, b := wordApp(), wordApp()
	a.Name, b.Name = "Excel", "excel"
	wantIDs(t, apps.Add(a, b), "CAT-10")
	if _, ok := apps.Get("Excel"); ok {
		t.Error("a refused batch added an app")
	}
	// CAT-11: the command line of an app by path.
	if got, want := byPath.CommandLine().String(), `"C:\Program Files\Windows Media Player\mplayer1.exe" /fullscreen "%*"`; got != want {
		t.Errorf("command line %s, want %s", got, want)
	}
	// Rename, edit, list in name order.
	if err := apps.Rename("word", "Word 2021"); err != nil {
		t.Fatal(err)
	}
	if err := apps.Rename("Word 2021", "media player"); !rule.Has(err, "CAT-10") {
		t.Errorf("rename onto another app's name: %v", err)
	}
	var names []string
	for _, a := range apps.List() {
		names = append(names, a.Name)
	}
	if diff := cmp.Diff([]string{"Media Player", "Word 2013", "Word 2021"}, names); diff != "" {
		t.Error(diff)
	}
	// RULE CAT-10: removing an app unpublishes it; it is returned intact
	// (it stays installed: nothing here uninstalls).
	got, ok := apps.Remove("MEDIA PLAYER")
	if !ok {
		t.Fatal("Remove found nothing")
	}
	if diff := cmp.Diff(byPath, got); diff != "" {
		t.Errorf("removed app (-want +got):\n%s", diff)
	}
	if _, ok := apps.Remove("Media Player"); ok {
		t.Error("removed twice")
	}
	// Copies do not share arguments.
	c := apps.Clone()
	w, _ := c.Get("Word 2013")
	w.Args = append(w.Args, "x")
	if orig, _ := apps.Get("Word 2013"); len(orig.Args) != 0 {
		t.Error("Clone shares state")
	}
}

func TestAppValidate(t *testing.T) {
	ok := wordApp()
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*catalog.App)
		want   []string
	}{
		{"CAT-10 name required", func(a *catalog.App) { a.Name = " " }, []string{"CAT-10"}},
		{"CAT-10 name too long", func(a *catalog.App) { a.Name = string(make([]byte, 65)) }, []string{"CAT-10"}},
		{"CAT-10 source required", func(a *catalog.App) { a.Source = 0 }, []string{"CAT-10"}},
		{"CAT-11 path required", func(a *catalog.App) { a.Path = "" }, []string{"CAT-11"}},
		{"CAT-11 quote in path", func(a *catalog.App) { a.Path = `C:\"x"` }, []string{"CAT-11"}},
		{"CAT-11 placeholder as argument", func(a *catalog.App) { a.Args = []string{"%*"} }, []string{"CAT-11"}},
		{"CAT-10 working directory with a quote", func(a *catalog.App) { a.WorkingDirectory = `C:\"` }, []string{"CAT-10"}},
		{"CAT-10 description too long", func(a *catalog.App) { a.Description = string(make([]rune, 513)) }, []string{"CAT-10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := wordApp()
			tt.change(&a)
			wantIDs(t, a.Validate(), tt.want...)
		})
	}
}

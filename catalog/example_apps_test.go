package catalog_test

import (
	"fmt"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/quota"
)

func ExampleBuildCommandLine() {
	fmt.Println(catalog.BuildCommandLine(`C:\Program Files\Windows Media Player\mplayer1.exe`, nil, true))
	fmt.Println(catalog.BuildCommandLine(`C:\Tools\report.exe`, []string{"-title", `Q1 "final"`, `C:\Out Dir\`}, false))
	// Output:
	// "C:\Program Files\Windows Media Player\mplayer1.exe" "%*"
	// C:\Tools\report.exe -title "Q1 \"final\"" "C:\Out Dir\\"
}

func ExampleParseCommandLine() {
	c, err := catalog.ParseCommandLine(`"C:\Program Files\App\app.exe" /open "C:\My Files\a b.txt" "%*"`)
	fmt.Printf("%q %q %v %v\n", c.Path, c.Args, c.FileTypes, err)

	_, err = catalog.ParseCommandLine(`"C:\Program Files\App\app.exe""%*"`)
	fmt.Println(err)
	// Output:
	// "C:\\Program Files\\App\\app.exe" ["/open" "C:\\My Files\\a b.txt"] true <nil>
	// CAT-11: command line "\"C:\\Program Files\\App\\app.exe\"\"%*\"": text follows the closing quote of the path without a space; separate the path from what follows with a space (at byte 30)
}

func ExampleCommandLine_Validate() {
	fmt.Println(catalog.CommandLine{Path: `C:\App\app.exe`, Args: []string{"%*"}}.Validate())
	// Output:
	// CAT-11: argument 1 is %*; the file-type placeholder is written only at the end, quoted, by setting FileTypes
}

func ExampleApps() {
	var apps catalog.Apps
	word := catalog.App{Name: "Word", Source: catalog.FromStartMenu, Path: `C:\Office16\WINWORD.EXE`, FileTypes: true}
	fmt.Println(apps.Add(word))

	old := catalog.App{Name: "word", Source: catalog.FromStartMenu, Path: `C:\Office15\WINWORD.EXE`}
	fmt.Println(apps.Add(old))
	old.Name = "Word 2013"
	fmt.Println(apps.Add(old))

	removed, _ := apps.Remove("Word 2013") // unpublished, still installed
	fmt.Println(removed.Name, apps.Len(), apps.List()[0].CommandLine())
	// Output:
	// <nil>
	// CAT-10: an app named "word" is already in the catalog (C:\Office16\WINWORD.EXE); to add another version, give it another name
	// <nil>
	// Word 2013 1 C:\Office16\WINWORD.EXE "%*"
}

func ExamplePrincipals() {
	var users catalog.Principals
	n, err := users.Add(
		catalog.Principal{Directory: "corp.example.com", Kind: catalog.User, ID: "alice@corp.example.com"},
		catalog.Principal{Directory: "corp.example.com", Kind: catalog.Group, ID: `CORP\Sales`},
		catalog.Principal{Directory: "corp.example.com", Kind: catalog.User, ID: "ALICE@corp.example.com"},
	)
	fmt.Println(n, err)
	users.Remove(catalog.Principal{Directory: "corp.example.com", ID: `corp\sales`})
	fmt.Println(users.List())
	// Output:
	// 2 <nil>
	// [user alice@corp.example.com (corp.example.com)]
}

func ExampleValidateUserID() {
	fmt.Println(catalog.ValidateUserID(`CORP\alice`))
	fmt.Println(catalog.ValidateUserID("alice@corp"))
	// Output:
	// <nil>
	// CAT-9: user "alice@corp" has a domain after '@' that has a single label; want a fully qualified name such as corp.example.com
}

func ExamplePlanImageUpdate() {
	var ms []catalog.Machine
	for _, name := range []string{"PC-03", "PC-01", "PC-02"} {
		m := catalog.NewMachine(name, quota.MultiSessionMachine, 8)
		m.Image = "Server 2022 v1"
		ms = append(ms, m)
	}
	start := time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC)
	plan, _ := catalog.PlanImageUpdate(quota.MultiSessionMachine, ms, catalog.UpdateRequest{
		Image:        "Server 2022 v2",
		Timing:       catalog.Immediately,
		Distribution: 30 * time.Minute,
		Message:      "Your computer will be updated and restarted",
		Start:        start,
	})
	for _, s := range plan.Steps {
		fmt.Println(s.Machine, s.At.Format("15:04"))
	}

	static, _ := catalog.PlanImageUpdate(quota.Static, ms, catalog.UpdateRequest{Image: "Win11 v2"})
	fmt.Println(len(static.Steps), static.Kept, static.Image)
	// Output:
	// PC-01 20:00
	// PC-02 20:10
	// PC-03 20:20
	// 0 [PC-01 PC-02 PC-03] Win11 v2
}

package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// runPlan runs preflight on a file (or stdin when file is "-") and returns
// the exit status, stdout and stderr.
func runPlan(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got); review the output and run go test -update if it is right:\n%s", path, diff)
	}
}

// TestSamplePlansGolden checks the full output of the shipped sample plans,
// text and JSON, against the golden files: they are the tool's documentation.
func TestSamplePlansGolden(t *testing.T) {
	for _, tc := range []struct {
		plan string
		exit int
	}{
		{"valid", exitOK},
		{"mistakes", exitViolations},
	} {
		t.Run(tc.plan, func(t *testing.T) {
			file := "testdata/" + tc.plan + ".json"
			code, out, errOut := runPlan(t, "", "-f", file)
			if code != tc.exit || errOut != "" {
				t.Errorf("exit %d, stderr %q; want exit %d and no stderr", code, errOut, tc.exit)
			}
			golden(t, tc.plan+".txt.golden", out)

			code, out, _ = runPlan(t, "", "-json", "-f", file)
			if code != tc.exit {
				t.Errorf("-json: exit %d; want %d", code, tc.exit)
			}
			golden(t, tc.plan+".json.golden", out)
		})
	}
}

// where is a problem or warning without its wording: what the sample plans
// promise, independent of how the messages read.
type where struct{ Rule, Where string }

func wheres(fs []Finding) []where {
	out := []where{}
	for _, f := range fs {
		out = append(out, where{f.Rule, f.Where})
	}
	return out
}

// report runs preflight with -json on a plan and decodes the report.
func report(t *testing.T, plan string) (int, Report) {
	t.Helper()
	code, out, errOut := runPlan(t, plan, "-json", "-f", "-")
	var r Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("-json output does not decode: %v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
	}
	return code, r
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestValidPlanIsClean: the valid sample has no problem and no warning, and
// its plan holds what the sample describes.
func TestValidPlanIsClean(t *testing.T) {
	code, r := report(t, readFile(t, "valid.json"))
	if code != exitOK || !r.OK || len(r.Problems) != 0 || len(r.Warnings) != 0 || r.Plan == nil {
		t.Fatalf("exit %d, ok %v, problems %v, warnings %v, plan %v; want a clean plan", code, r.OK, r.Problems, r.Warnings, r.Plan != nil)
	}
	p := r.Plan
	// RULE CAT-2: 2,000 Task worker (medium) users at 8 per machine need 250
	// machines; 12 listed Knowledge workers need 12. NAM-7: names.
	got := []struct {
		Name         string
		Machines     int
		First, Last  string
		DomainJoined string
	}{}
	for _, c := range p.Catalogs {
		got = append(got, struct {
			Name         string
			Machines     int
			First, Last  string
			DomainJoined string
		}{c.Name, c.Machines, c.Naming.First, c.Naming.Last, c.Domain})
	}
	want := []struct {
		Name         string
		Machines     int
		First, Last  string
		DomainJoined string
	}{
		{"Task workers", 250, "CTX-TW-001", "CTX-TW-250", "Active Directory corp.contoso.com"},
		{"Manchester designers", 12, "MAN-KW-AA", "MAN-KW-AL", "Active Directory corp.contoso.com"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("catalogs (-want +got):\n%s", diff)
	}
	// RULE FW-2: both connections serve domain-joined catalogs.
	for _, f := range p.Firewalls {
		if f.Rule != "FW-2" || !f.DomainJoined {
			t.Errorf("firewall of %s is %s; want FW-2", f.Connection, f.Rule)
		}
	}
}

// TestMistakesPlanHasExactlyTheExpectedProblems lists the mistakes the
// sample makes, one finding each, in the order they are printed.
func TestMistakesPlanHasExactlyTheExpectedProblems(t *testing.T) {
	code, r := report(t, readFile(t, "mistakes.json"))
	if code != exitViolations || r.OK || r.Plan != nil {
		t.Errorf("exit %d, ok %v, plan %v; want exit 1 and no plan", code, r.OK, r.Plan != nil)
	}
	want := []where{
		{"SUB-1", `subscription "contoso production"`}, // a duplicate subscription name
		{"NET-3", `connection "hub-peering"`},          // a missing DNS server
		{"NET-4", `connection "branch-vpn"`},           // an overlapping range
		{"CAT-5", `catalog "task workers"`},            // a duplicate catalog name
		{"NAM-3", `catalog "Sales"`},                   // a bad naming scheme: a space …
		{"NAM-3", `catalog "Sales"`},                   // … and an underscore
		{"NAM-8", `catalog "Sales team"`},              // a scheme too small for its users
		{"LIM-4", `catalog "Call centre"`},             // over the subscription's VDA limit
		{"NET-2", `catalog "Branch finance"`},          // a connection that is not in the plan
		{"REG-2", `catalog "Branch admins"`},           // a region other than its connection's
	}
	if diff := cmp.Diff(want, wheres(r.Problems)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	// RULE IDN-5: a random non-domain-joined catalog is allowed with a warning.
	if diff := cmp.Diff([]where{{"IDN-5", `catalog "Kiosks"`}}, wheres(r.Warnings)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	for _, f := range r.Problems {
		if f.Problem == "" || f.Fix == "" {
			t.Errorf("%s at %s has no problem or no fix: %+v", f.Rule, f.Where, f)
		}
	}
	// RULE NET-4: the overlap names the other range and its owner.
	for _, f := range r.Problems {
		if f.Rule == "NET-4" && !strings.Contains(f.Problem, "10.20.0.0/16 owned by customer network london-office") {
			t.Errorf("NET-4 problem does not name the other owner: %q", f.Problem)
		}
	}
}

// TestTextAndJSONAgree: the text report prints every finding of the JSON
// one, one line each, "RULE  where  problem — fix".
func TestTextAndJSONAgree(t *testing.T) {
	plan := readFile(t, "mistakes.json")
	_, r := report(t, plan)
	_, text, _ := runPlan(t, plan, "-f", "-")
	lines := strings.Split(text, "\n")
	for _, f := range append(r.Problems, r.Warnings...) {
		found := false
		for _, l := range lines {
			fields := strings.SplitN(l, "  ", 2)
			if fields[0] == f.Rule && strings.Contains(l, f.Where) && strings.HasSuffix(l, f.Problem+" — "+f.Fix) {
				found = true
			}
		}
		if !found {
			t.Errorf("no line for %+v in:\n%s", f, text)
		}
	}
}

// TestSecretsNeverPrint: passwords and pre-shared keys of the plans appear
// in no output (SEC-1).
func TestSecretsNeverPrint(t *testing.T) {
	secrets := []string{"Joiner-Pa55word!", "Str0ngSharedKey!2026"}
	for _, plan := range []string{"valid.json", "mistakes.json"} {
		for _, args := range [][]string{{"-f", "-"}, {"-json", "-f", "-"}} {
			// RULE SEC-1
			_, out, errOut := runPlan(t, readFile(t, plan), args...)
			for _, s := range secrets {
				if strings.Contains(out+errOut, s) {
					t.Errorf("%s %v: output shows a secret", plan, args)
				}
			}
		}
	}
	// A vWAN client secret, and the decoded plan printed with %+v.
	p := validPlan(t)
	p.Connections = append(p.Connections, vwanConnection())
	var text, js bytes.Buffer
	r := check(p)
	if err := writeText(&text, r); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	dump := fmt.Sprintf("%+v %#v", *p, *p)
	for _, s := range append(secrets, "spoke-Cl1ent-secret") {
		if strings.Contains(text.String()+js.String()+dump, s) {
			t.Errorf("a report or the decoded plan shows secret %q", s) // RULE SEC-1
		}
	}

	// A secret of the wrong type is not echoed in the decode error either.
	code, out, errOut := runPlan(t, `{"connections": [{"vpn": {"psk": 12345678}}]}`, "-json", "-f", "-")
	if code != exitUnreadable || strings.Contains(out+errOut, "12345678") {
		t.Errorf("exit %d, output %q %q; want exit 2 without the secret", code, out, errOut)
	}
}

// TestUnreadablePlans: what cannot be read exits 2 with a message that
// says where.
func TestUnreadablePlans(t *testing.T) {
	for _, tc := range []struct {
		name, plan string
		want       string // in stderr
	}{
		{"syntax error", "{\n  \"subscriptions\": [\n    {\"name\": \"A\",}\n  ]\n}", "stdin: line 3, column 18: invalid JSON"},
		{"unknown field", "{\n  \"subscriptions\": [{\"name\": \"A\", \"nmae\": \"B\"}]\n}", `line 2, column 35: unknown field "nmae"`},
		{"wrong type", "{\"catalogs\": [{\"userCount\": \"2000\"}]}", `line 1, column 29: field "catalogs.userCount" is a JSON string; want a whole number (int)`},
		{"not an object", "[1, 2]", "the plan is a JSON array; want an object"},
		{"trailing data", "{} {}", "line 1, column 4: unexpected { after the plan"},
		{"truncated", "{\"subscriptions\": [", "the plan ends too early"},
		{"empty", "  \n", "the plan is empty"},
		{"secret not a string", `{"catalogs": [{"domain": {"password": true}}]}`, "want a JSON string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runPlan(t, tc.plan, "-f", "-")
			if code != exitUnreadable || out != "" || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2, no stdout and %q", code, out, errOut, tc.want)
			}
			// With -json the error is a JSON report too.
			code, out, _ = runPlan(t, tc.plan, "-json", "-f", "-")
			var r Report
			if err := json.Unmarshal([]byte(out), &r); err != nil || code != exitUnreadable || r.OK || r.Error == "" {
				t.Errorf("-json: exit %d, %q (%v); want exit 2 and a report with an error", code, out, err)
			}
		})
	}
}

func TestCommandLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		exit int
	}{
		{"no plan", nil, exitUnreadable},
		{"unknown flag", []string{"-x"}, exitUnreadable},
		{"extra argument", []string{"-f", "testdata/valid.json", "more"}, exitUnreadable},
		{"missing file", []string{"-f", "testdata/no-such-plan.json"}, exitUnreadable},
		{"help", []string{"-h"}, exitOK},
		{"stdin", []string{"-f", "-"}, exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runPlan(t, readFile(t, "valid.json"), tc.args...)
			if code != tc.exit {
				t.Errorf("exit %d; want %d (stderr %q)", code, tc.exit, errOut)
			}
			if code == exitUnreadable && errOut == "" {
				t.Error("exit 2 without a message")
			}
		})
	}
}

func TestStandIns(t *testing.T) {
	want := []string{"planned-user-1@preflight.invalid", "planned-user-2@preflight.invalid", "planned-user-10@preflight.invalid"}
	got := standIns(10)
	if diff := cmp.Diff(want, []string{got[0], got[1], got[9]}); diff != "" || len(got) != 10 {
		t.Errorf("standIns(10) has %d users (-want +got):\n%s", len(got), diff)
	}
	if len(standIns(0)) != 0 {
		t.Error("standIns(0) is not empty")
	}
}

// TestDocExamplePlan runs the small plan of the package comment: the
// documentation shows a plan that passes.
func TestDocExamplePlan(t *testing.T) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	var plan strings.Builder
	in := false
lines:
	for _, l := range strings.Split(string(src), "\n") {
		switch {
		case l == "//\t{":
			in = true
		case !in:
			continue
		case !strings.HasPrefix(l, "//\t"):
			in = false
			continue
		}
		plan.WriteString(strings.TrimPrefix(l, "//\t") + "\n")
		if l == "//\t}" {
			break lines
		}
	}
	if plan.Len() == 0 {
		t.Fatal("no example plan in the package comment")
	}
	code, out, errOut := runPlan(t, plan.String(), "-f", "-")
	if code != exitOK || !strings.Contains(out, "TW-EU-0001") {
		t.Errorf("the example plan exits %d:\n%s%s\n%s", code, out, errOut, plan.String())
	}
}

// TestFindingSplitsAtTheLastSemicolon: a message "problem; fix" is split at
// its last "; " outside quotes; a message without a fix gets the rule's
// default advice.
func TestFindingSplitsAtTheLastSemicolon(t *testing.T) {
	for _, tc := range []struct {
		id, msg      string
		problem, fix string
	}{
		{"NAM-8", `"MachineSales-##" can name 99 machines; this catalog needs 150; shorten it`, `"MachineSales-##" can name 99 machines; this catalog needs 150`, "shorten it"},
		{"NAM-3", `"a; b##" has a space; use letters`, `"a; b##" has a space`, "use letters"},
		{"NAM-3", `"a\"; b##" has a space; use letters`, `"a\"; b##" has a space`, "use letters"},
		{"LIM-4", "subscription S: adding 500 VDAs would make 5,000", "subscription S: adding 500 VDAs would make 5,000", defaultFix("LIM-4")},
		{"XYZ-1", "no fix here", "no fix here", ""},
	} {
		got := finding(0, "w", tc.id, tc.msg)
		if diff := cmp.Diff(Finding{Rule: tc.id, Where: "w", Problem: tc.problem, Fix: tc.fix}, got, cmp.AllowUnexported(Finding{})); diff != "" {
			t.Errorf("finding(%q) (-want +got):\n%s", tc.msg, diff)
		}
	}
}

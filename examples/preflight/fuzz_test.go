package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"testing"
)

// FuzzDecodePlan feeds arbitrary bytes to the plan decoder and checks the
// whole run on what decodes: it never panics, an unreadable plan is a
// *decodeError with a position inside the input, and a report's verdict
// matches its problems and prints as valid JSON.
func FuzzDecodePlan(f *testing.F) {
	for _, name := range []string{"testdata/valid.json", "testdata/mistakes.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		``, `{}`, `[]`, `null`, `{} {}`, `{"subscriptions": [{"name": "A",}]}`, `{"nmae": 1}`,
		`{"catalogs": [{"userCount": "12"}]}`, `{"connections": [{"vpn": {"psk": 1}}]}`,
		`{"addressPool": "10.0.0.0/8", "subscriptions": [{"name": "S"}], "connections": [{"name": "c", "subscription": "S", "kind": "None", "region": "uksouth", "range": "any /24"}]}`,
		`{"connections": [{"kind": "VWanConnection", "range": "any /0", "vwan": {"hub": {"addressSpace": "::/0"}}}]}`,
		`{"catalogs": [{"name": "x", "customPersona": {"session": "multi", "usersPerMachine": 0}, "userCount": 5}]}`,
		"{\"subscriptions\": [{\"name\": \"\\u00e9\\t\"}]}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodePlan(data)
		if err != nil {
			var de *decodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v (%T) is not a *decodeError", err, err)
			}
			if de.Line < 0 || de.Col < 0 || de.Line > bytes.Count(data, []byte("\n"))+1 || de.Msg == "" {
				t.Fatalf("error %+v has a position outside the input or no message", de)
			}
			return
		}
		r := check(p)
		if r.OK != (len(r.Problems) == 0) || (r.Plan != nil) != r.OK {
			t.Fatalf("ok %v with %d problems and plan %v", r.OK, len(r.Problems), r.Plan != nil)
		}
		for _, fd := range append(r.Problems, r.Warnings...) {
			if fd.Rule == "" || fd.Where == "" || fd.Problem == "" {
				t.Fatalf("incomplete finding %+v", fd)
			}
		}
		if err := writeText(io.Discard, r); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := writeJSON(&b, r); err != nil || !json.Valid(b.Bytes()) {
			t.Fatalf("JSON report invalid (%v):\n%s", err, b.Bytes())
		}
	})
}

package image_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/daasflex/daasflex/image"
)

// FuzzParseVDAVersion: ParseVDAVersion never panics; what it accepts prints
// back to a string that parses to the same version and prints the same;
// what it refuses comes with a *ParseError quoting the input and an offset
// inside it.
func FuzzParseVDAVersion(f *testing.F) {
	for _, s := range []string{"2507", "2603.1", "2507.0.0.1018", "2507 LTSR CU1", "2402 ltsr", "7.15", "", "2513", "2507..", "2507 LTSR CU0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := image.ParseVDAVersion(s)
		if err != nil {
			var pe *image.ParseError
			if !errors.As(err, &pe) || pe.Input != s || pe.Offset < 0 || pe.Offset > len(s) {
				t.Fatalf("ParseVDAVersion(%q) error %v", s, err)
			}
			return
		}
		if !v.IsValid() {
			t.Fatalf("ParseVDAVersion(%q) accepted an invalid version", s)
		}
		w, err := image.ParseVDAVersion(v.String())
		if err != nil || w != v || w.String() != v.String() {
			t.Fatalf("round trip of %q via %q: %v, %v", s, v.String(), w, err)
		}
	})
}

// sigValues returns the sig parameters net/url finds in raw and raw with
// those parameters cut out, or ok false when net/url cannot read it.
func sigValues(raw string) (sigs []string, rest string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, "", false
	}
	q, _ := url.ParseQuery(u.RawQuery)
	for k, vs := range q {
		if strings.EqualFold(k, "sig") {
			sigs = append(sigs, vs...)
		}
	}
	base, query, _ := strings.Cut(raw, "?")
	var keep []string
	for _, p := range strings.Split(query, "&") {
		k, _, _ := strings.Cut(p, "=")
		if dk, err := url.QueryUnescape(k); err == nil && !strings.EqualFold(dk, "sig") {
			keep = append(keep, p)
		}
	}
	return sigs, base + "?" + strings.Join(keep, "&"), true
}

func outputs(s image.SASURL, err error) []string {
	j, _ := json.Marshal(s)
	out := []string{s.String(), fmt.Sprintf("%v", s), fmt.Sprintf("%#v", s), fmt.Sprintf("%+v", struct{ s image.SASURL }{s}), string(j)}
	if err != nil {
		out = append(out, err.Error())
	}
	return out
}

// FuzzParseSASURL: ParseSASURL never panics, and neither its error nor its
// result in any printed form holds the value of a sig parameter (SEC-1),
// unless that value also appears elsewhere in the input or is too short to
// tell apart from the messages' own words. A URL it accepts expires at
// least 7,200 s after now (IMG-6).
func FuzzParseSASURL(f *testing.F) {
	now := time.Date(2026, 5, 11, 8, 0, 0, 0, time.UTC)
	for _, s := range []string{
		"https://md-x.z1.blob.storage.azure.net/d/abcd?sv=2018-03-28&sr=b&sp=r&se=2026-05-11T12:00:00Z&sig=AbCdEfGhIjKlMnOp%2B%3D",
		"https://a.blob.core.windows.net/c/x.vhd?se=2026-05-11T09:00:00Z&sig=QWERTYUIOPASDFGH",
		"https://u:p@h/p?SIG=ZXCVBNMASDFGHJKL&se=2026-05-12",
		"https://h/p?si%67=ZXCVBNMASDFGHJKL;x&se=x",
		"http://h?sig=%zzZXCVBNMASDFGHJKL",
		"",
		"::",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := image.ParseSASURL(raw, now)
		if err == nil && s.Expiry().Sub(now) < image.MinSASValidity {
			t.Fatalf("accepted %q expiring at %v", s, s.Expiry())
		}
		if err == nil && s.URL().Reveal() != raw {
			t.Fatalf("URL() does not return the input")
		}
		sigs, rest, ok := sigValues(raw)
		if !ok {
			// net/url cannot read it: nothing of the input may be shown.
			for _, out := range outputs(s, err) {
				if len(raw) >= 12 && strings.Contains(out, raw) {
					t.Fatalf("output %q shows unparsable input", out)
				}
			}
			return
		}
		for _, sig := range sigs {
			if len(sig) < 12 || strings.Contains(rest, sig) {
				continue
			}
			for _, out := range outputs(s, err) {
				if strings.Contains(out, sig) {
					t.Fatalf("output %q shows sig %q", out, sig)
				}
			}
		}
	})
}

// FuzzParseSASURLMarker places a known signature into fuzzed surroundings:
// wherever net/url reads it as a sig parameter, or cannot read the URL at
// all, no output may show it.
func FuzzParseSASURLMarker(f *testing.F) {
	const marker = "Qz7SIGNATUREv3k9"
	now := time.Date(2026, 5, 11, 8, 0, 0, 0, time.UTC)
	f.Add("https://h/p?se=2026-05-11T12:00:00Z&", "")
	f.Add("https://h/p?", "&se=x")
	f.Add("https://h/p?a=b&", "%zz")
	f.Add("https://h/p#", "")
	f.Add("h?x&", ";&sp=w")
	f.Fuzz(func(t *testing.T, before, after string) {
		if strings.Contains(before+after, marker[:8]) || strings.Contains(before+after, marker[8:]) {
			return
		}
		raw := before + "sig=" + marker + after
		s, err := image.ParseSASURL(raw, now)
		u, perr := url.Parse(raw)
		isSig := false
		if perr == nil {
			q, _ := url.ParseQuery(u.RawQuery)
			for k, vs := range q {
				for _, v := range vs {
					isSig = isSig || (strings.EqualFold(k, "sig") && strings.Contains(v, marker))
				}
			}
		}
		if perr != nil || isSig {
			for _, out := range outputs(s, err) {
				if strings.Contains(out, marker) {
					t.Fatalf("output %q shows the signature of %q", out, raw)
				}
			}
		}
	})
}

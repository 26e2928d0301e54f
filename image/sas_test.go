package image_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/rule"
)

var now = time.Date(2026, 5, 11, 8, 0, 0, 0, time.UTC)

const sig = "q7Xk9ZsL2mN4pR8tV0wY3bC6dF1gH5jK%2BeA%3D"

func sasURL(se string) string {
	return "https://md-impexp-t4wzq1.z17.blob.storage.azure.net/x2p0qkmrlwj5/abcd?sv=2018-03-28&sr=b&sp=r&se=" + se + "&sig=" + sig
}

func TestParseSASURL(t *testing.T) {
	t.Run("IMG-6 expiry at least 7,200 s from now", func(t *testing.T) {
		cases := []struct {
			se string
			ok bool
		}{
			{"2026-05-11T10:00:00Z", true},     // exactly 7,200 s
			{"2026-05-11T09:59:59Z", false},    // 7,199 s
			{"2026-05-11T10%3A00%3A00Z", true}, // percent-encoded as Azure emits it
			{"2026-05-11T12:00Z", true},        // without seconds
			{"2026-05-12", true},               // date only: midnight UTC
			{"2026-05-11T11:00:00%2B02:00", false},
			{"2026-05-10T08:00:00Z", false}, // expired
			{"tomorrow", false},
		}
		for _, c := range cases {
			s, err := image.ParseSASURL(sasURL(c.se), now)
			if (err == nil) != c.ok {
				t.Errorf("se=%s: %v", c.se, err)
			}
			if err != nil && !cmp.Equal(rule.IDs(err), []string{"IMG-6"}) {
				t.Errorf("se=%s: ids %v", c.se, rule.IDs(err))
			}
			if err == nil && s.Expiry().Sub(now) < image.MinSASValidity {
				t.Errorf("se=%s: expiry %v", c.se, s.Expiry())
			}
		}
	})
	t.Run("IMG-6 expiry and result", func(t *testing.T) {
		s, err := image.ParseSASURL(sasURL("2026-05-11T10:30:00Z"), now)
		if err != nil {
			t.Fatal(err)
		}
		if !s.Expiry().Equal(now.Add(150 * time.Minute)) {
			t.Errorf("Expiry() = %v", s.Expiry())
		}
		if s.URL().Reveal() != sasURL("2026-05-11T10:30:00Z") {
			t.Errorf("URL() does not hold the full URL")
		}
		if err := s.CheckExpiry(now.Add(31 * time.Minute)); !rule.Has(err, "IMG-6") {
			t.Errorf("CheckExpiry 31 minutes later: %v", err)
		}
		if err := s.CheckExpiry(now.Add(30 * time.Minute)); err != nil {
			t.Errorf("CheckExpiry 30 minutes later: %v", err)
		}
		if err := (image.SASURL{}).CheckExpiry(now); !rule.Has(err, "IMG-6") {
			t.Errorf("zero SASURL: %v", err)
		}
	})
	t.Run("IMG-6 every problem reported", func(t *testing.T) {
		raw := "http://user:hunter2@host?sp=w&st=2026-05-12T00:00:00Z"
		_, err := image.ParseSASURL(raw, now)
		// scheme, user info, host, path, sig, sp, st, se
		if n := len(rule.Violations(err)); n != 8 {
			t.Errorf("want 8 problems, got %d:\n%v", n, err)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error leaks user information: %v", err)
		}
	})
	t.Run("IMG-6 only Azure blob endpoints", func(t *testing.T) {
		for host, ok := range map[string]bool{
			"acct.blob.core.windows.net":             true,
			"md-impexp-x.z17.blob.storage.azure.net": true,
			"ACCT.BLOB.CORE.WINDOWS.NET:443":         true,
			"example.com":                            false,
			"blob.core.windows.net.example.com":      false,
			"acct.file.core.windows.net":             false,
		} {
			_, err := image.ParseSASURL("https://"+host+"/c/d.vhd?se=2026-05-12&sig="+sig, now)
			if (err == nil) != ok {
				t.Errorf("host %s: %v", host, err)
			}
		}
	})
	t.Run("IMG-6 not a URL, not quoted", func(t *testing.T) {
		raw := "https://h/p?sig=" + sig + "&x=%zz\x7f"
		_, err := image.ParseSASURL(raw, now)
		if !rule.Has(err, "IMG-6") || strings.Contains(err.Error(), sig) {
			t.Errorf("got %v", err)
		}
		if _, err := image.ParseSASURL(strings.Repeat("a", 9000), now); !rule.Has(err, "IMG-6") {
			t.Errorf("long input: %v", err)
		}
	})
}

func TestSASURLSecrets(t *testing.T) {
	raw := sasURL("2026-05-11T12:00:00Z")
	s := image.MustParseSASURL(raw, now)
	t.Run("SEC-1 String redacts the signature", func(t *testing.T) {
		want := strings.Replace(raw, sig, "[redacted]", 1)
		if s.String() != want {
			t.Errorf("String() = %q; want %q", s, want)
		}
	})
	t.Run("SEC-1 no output shows the signature", func(t *testing.T) {
		type holder struct {
			Source image.SASURL
			src    image.SASURL
		}
		h := holder{s, s}
		j, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		var logged strings.Builder
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("import", "sas", s)
		outs := []string{string(j), logged.String()}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%d", "%q", "%T"} {
			outs = append(outs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, &s), fmt.Sprintf(verb, h))
		}
		for i, out := range outs {
			if strings.Contains(out, sig) || strings.Contains(out, sig[:20]) || strings.Contains(strings.ToLower(out), fmt.Sprintf("%x", sig[:10])) {
				t.Errorf("output %d leaks the signature: %s", i, out)
			}
		}
	})
	t.Run("SEC-1 errors never show the signature", func(t *testing.T) {
		for _, raw := range []string{
			sasURL("2026-05-11T08:30:00Z"),
			"ftp://h/p?sig=" + sig + "&sig=" + sig,
			"https://h/p?SIG=" + sig + "&se=x",
			"https://h/p?si%67=" + sig,
			"https://h/p?sig=" + sig + ";a=b",
			"https://h/p?%zz=" + sig,
			"https://" + sig + "@h/p?se=x",
		} {
			_, err := image.ParseSASURL(raw, now)
			if err == nil {
				t.Errorf("%q parsed", raw)
				continue
			}
			if strings.Contains(err.Error(), sig) || strings.Contains(err.Error(), sig[:16]) {
				t.Errorf("error leaks the signature: %v", err)
			}
		}
	})
	t.Run("SEC-1 MustParseSASURL panics without the signature", func(t *testing.T) {
		defer func() {
			r := recover()
			if r == nil || strings.Contains(fmt.Sprint(r), sig) {
				t.Errorf("recovered %v", r)
			}
		}()
		image.MustParseSASURL(sasURL("2026-05-11T08:30:00Z"), now)
	})
}

func TestSASURLEqual(t *testing.T) {
	a := image.MustParseSASURL(sasURL("2026-05-11T12:00:00Z"), now)
	b := image.MustParseSASURL(sasURL("2026-05-11T12:00:00Z"), now)
	c := image.MustParseSASURL(sasURL("2026-05-11T13:00:00Z"), now)
	if !a.Equal(b) || a.Equal(c) || a.Equal(image.SASURL{}) || !(image.SASURL{}).Equal(image.SASURL{}) {
		t.Error("Equal is wrong")
	}
	if a.IsZero() || !(image.SASURL{}).IsZero() {
		t.Error("IsZero is wrong")
	}
}

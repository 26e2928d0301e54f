package image

import (
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// MinSASValidity is how long a SAS URL must stay valid after it is given to
// an import: 7,200 seconds (IMG-6).
const MinSASValidity = 7200 * time.Second

// maxSASLen bounds the length of a SAS URL; longer input is refused unread.
const maxSASLen = 8 << 10

// SASURL is a parsed shared access signature URL of a managed disk export
// or a VHD blob (IMG-6). The full URL, signature included, is a secret
// that only URL returns, as a secret.Value; String, GoString, every fmt
// verb, JSON, text and slog show a redacted form whose sig value reads
// [redacted] (SEC-1). The URL is held behind a pointer to a string, so that
// fmt prints an address rather than the URL even when a SASURL sits in an
// unexported field of another struct, where fmt cannot call its methods
// (a secret.Value there would print its content).
//
// Because of that pointer, == on two SASURLs parsed separately from the
// same text reports false; compare them with Equal. The zero value is no
// URL; IsZero reports it.
type SASURL struct {
	url      *string // the full URL; a pointer to a string, which fmt never follows
	redacted string
	expiry   time.Time
}

// ParseSASURL parses raw as a SAS URL and checks it for an import at time
// now (IMG-6): an https URL on an Azure blob endpoint (*.blob.core.windows.net,
// or *.blob.storage.azure.net for managed disk exports) with a path, a
// signature (sig), an expiry (se) at least 7,200 s after now, a start (st),
// when given, not after now, and read permission (sp), when given. Every problem is
// reported at once. Neither the errors nor the result ever show the
// signature or any user information (SEC-1); input that does not parse as
// a URL is not quoted at all.
func ParseSASURL(raw string, now time.Time) (SASURL, error) {
	var l rule.List
	if len(raw) > maxSASLen {
		l.Add("IMG-6", "SAS URL is %d bytes; at most %d", len(raw), maxSASLen)
		return SASURL{}, l.Err()
	}
	u, err := url.Parse(raw)
	if err != nil {
		l.Add("IMG-6", "SAS URL does not parse as a URL; paste the URL Azure generated")
		return SASURL{}, l.Err()
	}
	s := SASURL{url: &raw, redacted: redactURL(raw)}
	if u.Scheme != "https" {
		l.Add("IMG-6", "SAS URL %s uses scheme %q; want https", s.redacted, u.Scheme)
	}
	if u.User != nil {
		l.Add("IMG-6", "SAS URL %s carries user information; remove it", s.redacted)
	}
	if h := strings.ToLower(u.Hostname()); !strings.HasSuffix(h, ".blob.core.windows.net") && !strings.HasSuffix(h, ".blob.storage.azure.net") {
		l.Add("IMG-6", "SAS URL %s is not on an Azure blob endpoint; want a host ending in .blob.core.windows.net or .blob.storage.azure.net", s.redacted)
	}
	if strings.Trim(u.Path, "/") == "" {
		l.Add("IMG-6", "SAS URL %s has no path; want the disk or blob path", s.redacted)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		l.Add("IMG-6", "SAS URL %s has a query that does not parse; paste the URL Azure generated", s.redacted)
	}
	if sig := q["sig"]; len(sig) != 1 || sig[0] == "" {
		l.Add("IMG-6", "SAS URL %s has no single signature (sig); it is not a SAS URL", s.redacted)
	}
	if sp, ok := q["sp"]; ok && (len(sp) != 1 || !strings.Contains(sp[0], "r")) {
		l.Add("IMG-6", "SAS URL %s grants permissions sp=%q; want read (r)", s.redacted, strings.Join(sp, ","))
	}
	if st, ok := q["st"]; ok {
		if t, ok := parseSASTime(st); !ok {
			l.Add("IMG-6", "SAS URL %s has a start st=%q that is not a UTC time such as 2026-05-11T08:00:00Z", s.redacted, strings.Join(st, ","))
		} else if t.After(now) {
			l.Add("IMG-6", "SAS URL %s is not valid before %s (st); now is %s", s.redacted, t.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		}
	}
	se, ok := q["se"]
	if !ok {
		l.Add("IMG-6", "SAS URL %s has no expiry (se); generate it with an expiry of at least %d seconds", s.redacted, int(MinSASValidity.Seconds()))
	} else if t, ok := parseSASTime(se); !ok {
		l.Add("IMG-6", "SAS URL %s has an expiry se=%q that is not a UTC time such as 2026-05-11T10:00:00Z", s.redacted, strings.Join(se, ","))
	} else {
		s.expiry = t
		l.Append(s.CheckExpiry(now))
	}
	if err := l.Err(); err != nil {
		return SASURL{}, err
	}
	return s, nil
}

// MustParseSASURL is ParseSASURL for constants in tests and examples; it
// panics if raw does not parse. The panic never shows the signature.
func MustParseSASURL(raw string, now time.Time) SASURL {
	s, err := ParseSASURL(raw, now)
	if err != nil {
		panic(err)
	}
	return s
}

// sasLayouts are the time forms Azure accepts for st and se.
var sasLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", time.DateOnly}

func parseSASTime(vs []string) (time.Time, bool) {
	if len(vs) != 1 {
		return time.Time{}, false
	}
	for _, layout := range sasLayouts {
		if t, err := time.Parse(layout, vs[0]); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// CheckExpiry reports, as an error, why s no longer satisfies IMG-6 at time
// now: it expires less than 7,200 s after now. An import checks this again
// when it is submitted.
func (s SASURL) CheckExpiry(now time.Time) error {
	if s.IsZero() {
		return rule.Errorf("IMG-6", "no SAS URL given")
	}
	if left := s.expiry.Sub(now); left < MinSASValidity {
		when := "expired " + (-left).Round(time.Second).String() + " ago"
		if left >= 0 {
			when = "expires in " + left.Round(time.Second).String()
		}
		return rule.Errorf("IMG-6", "SAS URL %s %s (se=%s); want at least %d seconds (%s) from now, generate a new one with a later expiry",
			s.redacted, when, s.expiry.UTC().Format(time.RFC3339), int(MinSASValidity.Seconds()), MinSASValidity)
	}
	return nil
}

// IsZero reports whether s is the zero SASURL.
func (s SASURL) IsZero() bool { return s.url == nil }

// Equal reports whether s and t hold the same URL and expiry.
func (s SASURL) Equal(t SASURL) bool {
	return s.URL().Equal(t.URL()) && s.expiry.Equal(t.expiry)
}

// URL returns the full URL, signature included, as a secret. Only the
// operation that copies the disk or blob should reveal it.
func (s SASURL) URL() secret.Value {
	if s.url == nil {
		return secret.Value{}
	}
	return secret.New(*s.url)
}

// Expiry returns the time the signature expires (se).
func (s SASURL) Expiry() time.Time { return s.expiry }

// String returns the URL with its signature and any user information
// replaced by [redacted] and without a fragment.
func (s SASURL) String() string { return s.redacted }

// GoString returns the redacted form, so %#v does not leak either.
func (s SASURL) GoString() string { return "image.SASURL(" + strconv.Quote(s.redacted) + ")" }

// Format prints the redacted form for every verb (%q quotes it), so no verb
// reaches the secret fields.
func (s SASURL) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = f.Write([]byte(s.GoString()))
	case verb == 'q':
		_, _ = f.Write([]byte(strconv.Quote(s.redacted)))
	default:
		_, _ = f.Write([]byte(s.redacted))
	}
}

// MarshalText encodes the redacted form; JSON shows it as a string.
func (s SASURL) MarshalText() ([]byte, error) { return []byte(s.redacted), nil }

// LogValue makes log/slog print the redacted form.
func (s SASURL) LogValue() slog.Value { return slog.StringValue(s.redacted) }

// redactURL returns raw for display: without a fragment, with user
// information replaced by [redacted], and with the value of every query
// parameter whose name decodes to sig (in any case) replaced by
// [redacted]. A parameter whose name does not decode, or that holds a
// semicolon, is replaced whole. It works on the text, so it redacts input
// that net/url would refuse as well.
func redactURL(raw string) string {
	raw, _, _ = strings.Cut(raw, "#")
	base, query, hasQuery := strings.Cut(raw, "?")
	authStart := 0
	if i := strings.Index(base, "://"); i >= 0 {
		authStart = i + 3
	}
	authEnd := len(base)
	if i := strings.IndexByte(base[authStart:], '/'); i >= 0 {
		authEnd = authStart + i
	}
	if at := strings.LastIndexByte(base[authStart:authEnd], '@'); at >= 0 {
		base = base[:authStart] + secret.Redacted + base[authStart+at:]
	}
	if !hasQuery {
		return base
	}
	pieces := strings.Split(query, "&")
	for i, p := range pieces {
		key, _, _ := strings.Cut(p, "=")
		k, err := url.QueryUnescape(key)
		switch {
		case err != nil || strings.Contains(p, ";"):
			pieces[i] = secret.Redacted
		case strings.EqualFold(k, "sig"):
			pieces[i] = key + "=" + secret.Redacted
		}
	}
	return base + "?" + strings.Join(pieces, "&")
}

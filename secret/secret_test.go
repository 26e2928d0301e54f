package secret_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/secret"
)

// RULE SEC-1: a secret never appears in String, %v, %+v, %#v, %s, %q, %x, JSON, text or logs.
func TestSEC1NeverPrinted(t *testing.T) {
	const pw = "Sup3r-Secret!pw"
	type holder struct {
		User     string
		Password secret.Value
		PSK      *secret.Value
	}
	v := secret.New(pw)
	h := holder{User: "svc", Password: v, PSK: &v}
	// fmt cannot call methods on unexported fields and prints them by
	// reflection: the secret must not be reachable that way either.
	type hidden struct {
		user string
		pw   secret.Value
		h    holder
	}
	in := hidden{user: "svc", pw: v, h: h}

	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s"} {
		outs = append(outs, fmt.Sprintf(verb, v), fmt.Sprintf(verb, h))
		if out := fmt.Sprintf(verb, in); strings.Contains(out, pw) {
			t.Errorf("secret leaked through an unexported field with %s: %q", verb, out)
		}
		if out := fmt.Sprintf(verb, &in); strings.Contains(out, pw) {
			t.Errorf("secret leaked through a pointer to an unexported field with %s: %q", verb, out)
		}
	}
	outs = append(outs, v.String(), v.GoString(), fmt.Sprint(v), fmt.Sprintln(h))
	outs = append(outs, fmt.Errorf("login as svc with %v failed", v).Error())
	js, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(js))
	txt, _ := v.MarshalText()
	outs = append(outs, string(txt))
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("connect", "psk", v, "holder", h)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("connect", "psk", v)
	outs = append(outs, buf.String())

	for _, out := range outs {
		if strings.Contains(out, pw) {
			t.Errorf("secret leaked in %q", out)
		}
		if !strings.Contains(out, secret.Redacted) {
			t.Errorf("output %q does not say %s", out, secret.Redacted)
		}
	}
	if v.Reveal() != pw {
		t.Errorf("Reveal() = %q, want the secret", v.Reveal())
	}
}

func TestValueHelpers(t *testing.T) {
	var zero secret.Value
	if !zero.IsZero() || zero.Len() != 0 {
		t.Error("zero Value should be empty")
	}
	a, b := secret.New("abc"), secret.New("abc")
	if !a.Equal(b) || a.Equal(secret.New("abd")) || a.Len() != 3 || a.IsZero() {
		t.Error("Equal/Len/IsZero disagree with the content")
	}
}

func ExampleValue() {
	psk := secret.New("correct horse battery staple")
	fmt.Println(psk)
	fmt.Printf("%+v\n", struct{ PSK secret.Value }{psk})
	fmt.Println(len(psk.Reveal()))
	// Output:
	// [redacted]
	// {PSK:[redacted]}
	// 28
}

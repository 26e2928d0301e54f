package image_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/image"
)

func TestParseVDAVersion(t *testing.T) {
	t.Run("IMG-5 accepted forms print canonically", func(t *testing.T) {
		for in, want := range map[string]string{
			"2507":            "2507",
			"2511":            "2511",
			"2603.1":          "2603.1",
			"2603.01":         "2603.1",
			"2507.0":          "2507",
			"2507.0.0.1018":   "2507.0.0.1018",
			"2507.1.0":        "2507.1",
			"2507 LTSR":       "2507 LTSR",
			"2507 ltsr cu1":   "2507 LTSR CU1",
			"2402 LTSR CU3":   "2402 LTSR CU3",
			"1808":            "1808",
			"9912.999999999":  "9912.999999999",
			"2203 LTSR CU999": "2203 LTSR CU999",
		} {
			v, err := image.ParseVDAVersion(in)
			if err != nil {
				t.Errorf("ParseVDAVersion(%q): %v", in, err)
				continue
			}
			if v.String() != want {
				t.Errorf("ParseVDAVersion(%q).String() = %q; want %q", in, v.String(), want)
			}
		}
	})
	t.Run("IMG-5 refused forms name the offset", func(t *testing.T) {
		for in, off := range map[string]int{
			"":                0,
			"7.15":            0,
			"25071":           0,
			"2513":            2,
			"2500":            2,
			"1712":            0,
			"2507.":           5,
			"2507..1":         5,
			"2507.1.2.3.4":    10,
			"2507.1000000000": 5,
			" 2507":           0,
			"2507 ":           4,
			"2507 LTSR CU0":   12,
			"2507 LTSR CU":    12,
			"2507 LTSR SP1":   9,
			"2507.1 LTSR":     6,
			"2507-1":          4,
		} {
			_, err := image.ParseVDAVersion(in)
			var pe *image.ParseError
			if !errors.As(err, &pe) {
				t.Errorf("ParseVDAVersion(%q) = %v; want a *ParseError", in, err)
				continue
			}
			if pe.Input != in || pe.Offset != off {
				t.Errorf("ParseVDAVersion(%q): input %q offset %d; want offset %d (%v)", in, pe.Input, pe.Offset, off, err)
			}
		}
	})
	t.Run("IMG-5 ordering", func(t *testing.T) {
		in := []string{"2603.1", "2507 LTSR CU1", "2511", "2507", "2402 LTSR CU3", "2507.0.0.1018", "2507 LTSR", "2603", "2507.1"}
		vs := make([]image.VDAVersion, len(in))
		for i, s := range in {
			vs[i] = image.MustParseVDAVersion(s)
		}
		slices.SortFunc(vs, image.VDAVersion.Compare)
		var got []string
		for _, v := range vs {
			got = append(got, v.String())
		}
		want := []string{"2402 LTSR CU3", "2507", "2507 LTSR", "2507 LTSR CU1", "2507.0.0.1018", "2507.1", "2511", "2603", "2603.1"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if !image.MustParseVDAVersion("2503").Less(image.MinimumVDA()) || image.MinimumVDA().String() != "2507" {
			t.Error("minimum is not 2507")
		}
		if (image.VDAVersion{}).IsValid() || (image.VDAVersion{}).String() != "" || !(image.VDAVersion{}).Less(image.MinimumVDA()) {
			t.Error("zero VDAVersion misbehaves")
		}
	})
	t.Run("text round trip", func(t *testing.T) {
		var v image.VDAVersion
		if err := v.UnmarshalText([]byte("2511.2")); err != nil || v.String() != "2511.2" {
			t.Errorf("UnmarshalText: %v %v", v, err)
		}
		b, _ := v.MarshalText()
		if string(b) != "2511.2" {
			t.Errorf("MarshalText = %q", b)
		}
		if err := v.UnmarshalText([]byte("x")); err == nil {
			t.Error("UnmarshalText accepted x")
		}
		if err := v.UnmarshalText(nil); err != nil || v.IsValid() {
			t.Errorf("empty text: %v %v", v, err)
		}
	})
}

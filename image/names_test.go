package image_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/rule"
)

func TestNames(t *testing.T) {
	t.Run("IMG-7 valid names", func(t *testing.T) {
		for _, n := range []string{"a", "Sales 2026", "CAD_v2.1 (GPU)", strings.Repeat("x", 64)} {
			if err := image.ValidateName(n); err != nil {
				t.Errorf("%q: %v", n, err)
			}
		}
		for _, img := range image.Prepared() {
			if err := image.ValidateName(img.Name); err != nil {
				t.Errorf("prepared %q: %v", img.Name, err)
			}
		}
	})
	t.Run("IMG-7 invalid names", func(t *testing.T) {
		for n, count := range map[string]int{
			"":                      1,
			strings.Repeat("x", 65): 1,
			"-lead":                 1,
			"trail ":                1,
			"sales/team":            1,
			"é":                     2,
			" both/ ":               3,
		} {
			err := image.ValidateName(n)
			if got := rule.Violations(err); len(got) != count || !cmp.Equal(rule.IDs(err), []string{"IMG-7"}) {
				t.Errorf("ValidateName(%q) = %v; want %d IMG-7 problems", n, err, count)
			}
		}
	})
	t.Run("IMG-7 rename", func(t *testing.T) {
		img, err := built(image.Ready).Rename("Sales v2")
		if err != nil || img.Name != "Sales v2" {
			t.Errorf("Rename: %v, %v", img.Name, err)
		}
		orig := built(image.Ready)
		got, err := orig.Rename("")
		if !rule.Has(err, "IMG-7") || got != orig {
			t.Errorf("Rename(\"\") = %v, %v", got, err)
		}
	})
	t.Run("IMG-1 prepared images cannot be renamed, annotated or deleted", func(t *testing.T) {
		p := image.Prepared()[0]
		if _, err := p.Rename("Mine"); !rule.Has(err, "IMG-1") {
			t.Errorf("Rename: %v", err)
		}
		if _, err := p.WithNotes("hello"); !rule.Has(err, "IMG-1") {
			t.Errorf("WithNotes: %v", err)
		}
		if err := p.CheckDelete(image.Usage{}); !rule.Has(err, "IMG-1") {
			t.Errorf("CheckDelete: %v", err)
		}
	})
	t.Run("IMG-7 notes up to 1,024 characters, also on Ready images", func(t *testing.T) {
		img := built(image.Ready)
		notes := strings.Repeat("é", 1024)
		got, err := img.WithNotes(notes)
		if err != nil || got.Notes != notes {
			t.Errorf("1024 characters: %v", err)
		}
		if _, err := img.WithNotes(notes + "x"); !rule.Has(err, "IMG-7") {
			t.Errorf("1025 characters: %v", err)
		}
		if err := image.ValidateNotes("\xff"); !rule.Has(err, "IMG-7") {
			t.Errorf("invalid UTF-8: %v", err)
		}
	})
	t.Run("IMG-7 an image in use cannot be deleted", func(t *testing.T) {
		img := built(image.Ready)
		if err := img.CheckDelete(image.Usage{}); err != nil {
			t.Errorf("unused: %v", err)
		}
		err := img.CheckDelete(image.Usage{Catalogs: 2, Machines: 14})
		if !rule.Has(err, "IMG-7") || !strings.Contains(err.Error(), "2 catalogs, 14 machines") {
			t.Errorf("in use: %v", err)
		}
		if err := img.CheckDelete(image.Usage{Machines: 1}); !rule.Has(err, "IMG-7") {
			t.Errorf("machines left on it: %v", err)
		}
		if got := (image.Usage{Catalogs: 1, Machines: 1}).String(); got != "1 catalog, 1 machine" {
			t.Errorf("Usage.String() = %q", got)
		}
	})
}

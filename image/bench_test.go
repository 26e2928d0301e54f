package image_test

import (
	"testing"

	"github.com/daasflex/daasflex/image"
)

func BenchmarkParseVDAVersion(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := image.ParseVDAVersion("2507.0.0.1018"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseSASURL(b *testing.B) {
	raw := sasURL("2026-05-11T12:00:00Z")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := image.ParseSASURL(raw, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompatible(b *testing.B) {
	img := image.Prepared()[2]
	b.ReportAllocs()
	for b.Loop() {
		if err := image.Compatible(img, image.MultiSession, image.ActiveDirectory); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildSpecValidate(b *testing.B) {
	s := validBuild()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckImport(b *testing.B) {
	f := goodFacts()
	b.ReportAllocs()
	for b.Loop() {
		if err := image.CheckImport(f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookupSize(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := image.LookupSize("Standard_NV8as_v4"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkApply(b *testing.B) {
	img := built(image.BuilderActive)
	b.ReportAllocs()
	for b.Loop() {
		stopped, _ := img.Apply(image.PowerOff)
		if _, err := stopped.Apply(image.PowerOn); err != nil {
			b.Fatal(err)
		}
	}
}

package main

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// benchmarkPlan runs the whole command on a sample plan: decode, check,
// allocate, reserve and print.
func benchmarkPlan(b *testing.B, file string, args []string, want int) {
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if code := run(args, bytes.NewReader(data), io.Discard, io.Discard); code != want {
			b.Fatalf("exit %d; want %d", code, want)
		}
	}
}

// The valid plan: 2,012 users in two catalogs, whose 2,000 counted users
// are made up and validated one by one (CAT-2).
func BenchmarkValidPlan(b *testing.B) {
	benchmarkPlan(b, "testdata/valid.json", []string{"-f", "-"}, exitOK)
}

func BenchmarkValidPlanJSON(b *testing.B) {
	benchmarkPlan(b, "testdata/valid.json", []string{"-json", "-f", "-"}, exitOK)
}

// The mistakes plan: 8 catalogs, 21,455 users.
func BenchmarkMistakesPlan(b *testing.B) {
	benchmarkPlan(b, "testdata/mistakes.json", []string{"-f", "-"}, exitViolations)
}

// Decoding alone.
func BenchmarkDecodePlan(b *testing.B) {
	data, err := os.ReadFile("testdata/valid.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := decodePlan(data); err != nil {
			b.Fatal(err)
		}
	}
}

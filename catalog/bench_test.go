package catalog_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/quota"
)

func BenchmarkSpecValidate(b *testing.B) {
	s, c := validSpec(b), peering()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Validate(c); err != nil {
			b.Fatal(err)
		}
	}
}

const benchCmd = `"C:\Program Files\Windows Media Player\mplayer1.exe" /play "C:\My Music\a \"b\".mp3" -x \\server\share "%*"`

func BenchmarkParseCommandLine(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := catalog.ParseCommandLine(benchCmd); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildCommandLine(b *testing.B) {
	c := catalog.MustParseCommandLine(benchCmd)
	b.ReportAllocs()
	for b.Loop() {
		_ = catalog.BuildCommandLine(c.Path, c.Args, c.FileTypes)
	}
}

func BenchmarkScheduleNext(b *testing.B) {
	loc := loadLoc(b, "America/New_York")
	s := catalog.Schedule{Kind: catalog.Weekly, Day: time.Sunday, At: catalog.TimeOfDay{Hour: 2, Minute: 30}}
	after := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Next(after, loc)
	}
}

func BenchmarkMachineSession(b *testing.B) {
	m := catalog.NewMachine("PC-01", quota.MultiSessionMachine, 8)
	m, _ = m.Do(catalog.Start)
	m, _ = m.Apply(catalog.PowerDone)
	m, _ = m.Apply(catalog.Register)
	b.ReportAllocs()
	for b.Loop() {
		on, err := m.Apply(catalog.SessionStart)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := on.Apply(catalog.SessionEnd); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSummarize5000(b *testing.B) {
	ms := make([]catalog.Machine, 5000)
	for i := range ms {
		ms[i] = catalog.NewMachine(fmt.Sprintf("PC-%04d", i), quota.Random, 1)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = catalog.Summarize(ms)
	}
}

func BenchmarkPlanImageUpdate5000(b *testing.B) {
	ms := fleet(quota.MultiSessionMachine, 5000, "v1")
	req := catalog.UpdateRequest{Image: "v2", Timing: catalog.Immediately, Distribution: time.Hour, Start: t0}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := catalog.PlanImageUpdate(quota.MultiSessionMachine, ms, req); err != nil {
			b.Fatal(err)
		}
	}
}

package flex_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/daasflex/daasflex/flex"
)

// benchWorld is fullWorld with catalog Sales grown to 40 machines.
func benchWorld(b *testing.B) *world {
	b.Helper()
	w := fullWorld(b, stKey)
	if _, err := w.tn.AddMachines(context.Background(), "Desk", catalogAdd(38)); err != nil {
		b.Fatal(err)
	}
	return w
}

func BenchmarkSave(b *testing.B) {
	w := benchWorld(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := w.tn.Save(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	w := benchWorld(b)
	doc := save(b, w.tn)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := flex.Load(bytes.NewReader(doc), w.prov, w.opts...); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReconcile(b *testing.B) {
	w := benchWorld(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.tn.Reconcile(w.ctx, flex.ReconcileOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

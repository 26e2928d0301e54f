package flex_test

import (
	"fmt"
	"testing"
)

// BenchmarkBuildAndFinishImage builds an image with No connectivity and
// finishes it, on the in-memory cloud: resource group, managed network,
// subnet with its NSG, build machine, firewall refresh, capture and
// removal of the machine.
func BenchmarkBuildAndFinishImage(b *testing.B) {
	e := newImgEnv(b)
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		name := fmt.Sprintf("Img-%d", i)
		if _, err := e.tn.BuildImage(ctx, imgBuildSpec(name)); err != nil {
			b.Fatal(err)
		}
		if _, err := e.tn.FinishImageBuild(ctx, "prod", name); err != nil {
			b.Fatal(err)
		}
	}
}

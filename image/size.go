package image

import (
	"fmt"
	"slices"
	"strings"
)

// VMSize is an Azure virtual machine size: its name, processors, memory and
// the image generations it can boot. VMSize is comparable; the zero value is
// no size and supports no generation.
type VMSize struct {
	Name        string        // Azure's name, such as "Standard_D4s_v5"
	VCPUs       int           // virtual processors
	MemoryGiB   int           // memory in GiB
	GPU         bool          // whether the size has a GPU
	Generations GenerationSet // generations the size can boot (IMG-9)
}

// Supports reports whether machines of size s can boot images of
// generation g.
func (s VMSize) Supports(g Generation) bool { return s.Generations.Has(g) }

// String returns the size's name with its shape, such as
// "Standard_D4s_v5 (4 vCPU, 16 GiB, Gen1+Gen2)".
func (s VMSize) String() string {
	gpu := ""
	if s.GPU {
		gpu = ", GPU"
	}
	return fmt.Sprintf("%s (%d vCPU, %d GiB%s, %s)", s.Name, s.VCPUs, s.MemoryGiB, gpu, s.Generations)
}

var (
	both     = Generations(Gen1, Gen2)
	gen1Only = Generations(Gen1)
	gen2Only = Generations(Gen2)
)

// sizes is the table of VM sizes this model knows, sorted by name. It is
// never modified; Sizes returns a copy. The shapes and generation support
// are Azure's published figures.
var sizes = [...]VMSize{
	{"Standard_A2_v2", 2, 4, false, gen1Only},
	{"Standard_A4_v2", 4, 8, false, gen1Only},
	{"Standard_B2ms", 2, 8, false, both},
	{"Standard_B4ms", 4, 16, false, both},
	{"Standard_D16s_v5", 16, 64, false, both},
	{"Standard_D2as_v5", 2, 8, false, both},
	{"Standard_D2s_v5", 2, 8, false, both},
	{"Standard_D2s_v6", 2, 8, false, gen2Only},
	{"Standard_D4as_v5", 4, 16, false, both},
	{"Standard_D4s_v5", 4, 16, false, both},
	{"Standard_D4s_v6", 4, 16, false, gen2Only},
	{"Standard_D8as_v5", 8, 32, false, both},
	{"Standard_D8s_v5", 8, 32, false, both},
	{"Standard_D8s_v6", 8, 32, false, gen2Only},
	{"Standard_E2s_v5", 2, 16, false, both},
	{"Standard_E4s_v5", 4, 32, false, both},
	{"Standard_E8s_v5", 8, 64, false, both},
	{"Standard_NC4as_T4_v3", 4, 28, true, both},
	{"Standard_NV12ads_A10_v5", 12, 110, true, both},
	{"Standard_NV4as_v4", 4, 14, true, gen1Only},
	{"Standard_NV6ads_A10_v5", 6, 55, true, both},
	{"Standard_NV8as_v4", 8, 28, true, gen1Only},
}

// Sizes returns every VM size of the table, sorted by name. The slice is a
// fresh copy.
func Sizes() []VMSize { return slices.Clone(sizes[:]) }

// LookupSize returns the VM size named name, compared case-insensitively as
// Azure does, and reports whether the table has it.
func LookupSize(name string) (VMSize, bool) {
	for _, s := range sizes {
		if len(s.Name) == len(name) && strings.EqualFold(s.Name, name) {
			return s, true
		}
	}
	return VMSize{}, false
}

package flextest

import (
	"fmt"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/image"
)

// ImportRequirement is one of the requirements an imported image must meet
// (IMG-5), for ImportFactsFailing.
type ImportRequirement int

// The import requirements of IMG-5, in the documentation's order.
const (
	ReqSupportedOS      ImportRequirement = iota + 1 // a supported operating system
	ReqGeneration                                    // generation Gen1 or Gen2
	ReqNotGeneralized                                // the image is not generalized
	ReqNoControllerKeys                              // none of the four ListOfDDCs and FarmGUID values set (Windows)
	ReqPersonalityINI                                // personality.ini on the system drive (Windows)
	ReqVDA                                           // a VDA of version 2507 or later
	ReqVMAgent                                       // the Azure VM Agent installed
)

// ImportRequirements returns every import requirement, in declaration
// order.
func ImportRequirements() []ImportRequirement {
	return []ImportRequirement{ReqSupportedOS, ReqGeneration, ReqNotGeneralized, ReqNoControllerKeys, ReqPersonalityINI, ReqVDA, ReqVMAgent}
}

// String returns what the requirement asks, such as "VDA 2507 or later".
func (r ImportRequirement) String() string {
	switch r {
	case ReqSupportedOS:
		return "supported operating system"
	case ReqGeneration:
		return "generation Gen1 or Gen2"
	case ReqNotGeneralized:
		return "not generalized"
	case ReqNoControllerKeys:
		return "no Delivery Controller registry values"
	case ReqPersonalityINI:
		return "personality.ini present"
	case ReqVDA:
		return "VDA 2507 or later"
	case ReqVMAgent:
		return "Azure VM Agent installed"
	}
	return fmt.Sprintf("ImportRequirement(%d)", int(r))
}

// supportedOS returns the operating systems an import accepts.
func supportedOS() []image.OS {
	var out []image.OS
	for o := image.OS(1); o.IsValid(); o++ {
		if o.Supported() {
			out = append(out, o)
		}
	}
	return out
}

// drawVDA draws a valid VDA version whose release (YYMM) lies from
// minRelease to maxRelease: a release alone, with one to three numeric
// parts, or an LTSR with or without a cumulative update.
func drawVDA(t *rapid.T, minRelease, maxRelease int) image.VDAVersion {
	yy := rapid.IntRange(minRelease/100, maxRelease/100).Draw(t, "vdaYear")
	loM, hiM := 1, 12
	if yy == minRelease/100 {
		loM = minRelease % 100
	}
	if yy == maxRelease/100 {
		hiM = maxRelease % 100
	}
	mm := rapid.IntRange(loM, hiM).Draw(t, "vdaMonth")
	s := fmt.Sprintf("%02d%02d", yy, mm)
	switch rapid.IntRange(0, 3).Draw(t, "vdaForm") {
	case 1:
		for range rapid.IntRange(1, 3).Draw(t, "vdaParts") {
			s += fmt.Sprintf(".%d", rapid.OneOf(rapid.IntRange(0, 9), rapid.IntRange(0, 999_999_999)).Draw(t, "vdaPart"))
		}
	case 2:
		s += " LTSR"
	case 3:
		s += fmt.Sprintf(" LTSR CU%d", rapid.IntRange(1, 999).Draw(t, "vdaCU"))
	}
	v, err := image.ParseVDAVersion(s)
	if err != nil {
		t.Fatalf("flextest: VDA version %q does not parse: %v", s, err)
	}
	return v
}

// VDAVersion returns a generator of valid VDA versions (IsValid reports
// true) of every form ParseVDAVersion reads: releases from 1808 to 9912,
// alone, with one to three numeric parts, or as an LTSR with or without a
// cumulative update. Each parses back from its String.
func VDAVersion() *rapid.Generator[image.VDAVersion] {
	return rapid.Custom(func(t *rapid.T) image.VDAVersion { return drawVDA(t, 1808, 9912) })
}

// drawSupportedVDA draws a VDA version an import accepts: 2507 or later.
func drawSupportedVDA(t *rapid.T) image.VDAVersion {
	return drawVDA(t, image.MinimumVDA().Release(), 9912)
}

// ImportFacts returns a generator of the facts of images an import accepts:
// image.CheckImport returns nil for every value (IMG-5). The OS is one of
// the supported Windows and Linux systems, the generation Gen1 or Gen2, the
// image not generalized, the VDA 2507 or later and the VM Agent installed;
// a Windows image has personality.ini and none of the Delivery Controller
// registry values, while a Linux image, where neither is checked, has any.
func ImportFacts() *rapid.Generator[image.ImportFacts] {
	return rapid.Custom(drawFacts)
}

func drawFacts(t *rapid.T) image.ImportFacts {
	f := image.ImportFacts{
		OS:             rapid.SampledFrom(supportedOS()).Draw(t, "os"),
		Generation:     rapid.SampledFrom([]image.Generation{image.Gen1, image.Gen2}).Draw(t, "generation"),
		PersonalityINI: true,
		VDA:            drawSupportedVDA(t),
		VMAgent:        true,
	}
	if f.OS.IsLinux() {
		f.KeysSet = image.RegistryKey(rapid.IntRange(0, 15).Draw(t, "linuxKeys"))
		f.PersonalityINI = rapid.Bool().Draw(t, "linuxPersonalityINI")
	}
	return f
}

// ImportFactsFailing returns a generator of the facts of images that fail
// exactly the requirement req: image.CheckImport reports exactly one
// violation, of IMG-5, for every value, and the value meets every other
// requirement. The ways to fail are drawn among all there are:
//
//   - ReqSupportedOS: an unknown OS, Windows 10, Windows Server 2016,
//     Ubuntu 20.04 or an OS value out of range;
//   - ReqGeneration: a generation that is neither Gen1 nor Gen2;
//   - ReqNotGeneralized: a generalized image;
//   - ReqNoControllerKeys: a Windows image with one of the four registry
//     values set;
//   - ReqPersonalityINI: a Windows image without personality.ini;
//   - ReqVDA: no VDA, or one older than 2507 (1808 to 2506, any form);
//   - ReqVMAgent: no Azure VM Agent.
//
// It panics when req is not one of ImportRequirements.
func ImportFactsFailing(req ImportRequirement) *rapid.Generator[image.ImportFacts] {
	var fail func(t *rapid.T, f *image.ImportFacts)
	windows := func(t *rapid.T, f *image.ImportFacts) {
		if !f.OS.IsWindows() {
			var ws []image.OS
			for _, o := range supportedOS() {
				if o.IsWindows() {
					ws = append(ws, o)
				}
			}
			f.OS, f.KeysSet, f.PersonalityINI = rapid.SampledFrom(ws).Draw(t, "windows"), 0, true
		}
	}
	switch req {
	case ReqSupportedOS:
		fail = func(t *rapid.T, f *image.ImportFacts) {
			f.OS = rapid.SampledFrom([]image.OS{image.OSUnknown, image.Windows10, image.WindowsServer2016, image.Ubuntu2004, image.OS(-1), image.OS(99)}).Draw(t, "unsupported")
			if !f.OS.IsLinux() {
				f.KeysSet, f.PersonalityINI = 0, true
			}
		}
	case ReqGeneration:
		fail = func(t *rapid.T, f *image.ImportFacts) {
			f.Generation = rapid.SampledFrom([]image.Generation{0, 3, -1, 99}).Draw(t, "badGeneration")
		}
	case ReqNotGeneralized:
		fail = func(t *rapid.T, f *image.ImportFacts) { f.Generalized = true }
	case ReqNoControllerKeys:
		fail = func(t *rapid.T, f *image.ImportFacts) {
			windows(t, f)
			f.KeysSet = rapid.SampledFrom([]image.RegistryKey{image.ListOfDDCs, image.PolicyListOfDDCs, image.FarmGUID, image.PolicyFarmGUID}).Draw(t, "key")
		}
	case ReqPersonalityINI:
		fail = func(t *rapid.T, f *image.ImportFacts) {
			windows(t, f)
			f.PersonalityINI = false
		}
	case ReqVDA:
		fail = func(t *rapid.T, f *image.ImportFacts) {
			if rapid.Bool().Draw(t, "noVDA") {
				f.VDA = image.VDAVersion{}
				return
			}
			f.VDA = drawVDA(t, 1808, image.MinimumVDA().Release()-1)
		}
	case ReqVMAgent:
		fail = func(t *rapid.T, f *image.ImportFacts) { f.VMAgent = false }
	default:
		panic(fmt.Sprintf("flextest.ImportFactsFailing: requirement %v; want one of %v", req, ImportRequirements()))
	}
	return rapid.Custom(func(t *rapid.T) image.ImportFacts {
		f := drawFacts(t)
		fail(t, &f)
		return f
	})
}

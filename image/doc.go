// Package image models the images of DaaS Flex: the templates from which
// every machine of a catalog is cloned.
//
// It holds the six Citrix-prepared images (IMG-1), the build specification
// and build lifecycle of custom images (IMG-2, IMG-3, IMG-4), the import
// requirements, VDA versions and import sources of images brought from Azure
// (IMG-5, IMG-6), names, notes and deletion (IMG-7), and the checks a catalog
// makes before it accepts an image: session and domain type (IMG-8), a
// Gen1↔Gen2 switch for a VM size (IMG-9) and Windows 11 licensing (LIC-1).
//
// The package is pure: values in, values and errors out, no I/O and no
// clock; a rule that needs the time takes it as a now parameter. Validations
// report every problem at once as rule violations (package rule), and
// secrets such as passwords and SAS signatures never print (SEC-1).
//
// The smallest use picks a prepared image and checks it for a catalog:
//
//	img, _ := image.LookupPrepared("Windows Server 2022 (multi-session)")
//	err := image.Compatible(img, image.MultiSession, image.ActiveDirectory) // nil
package image

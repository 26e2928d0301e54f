// Package naming models the machine naming schemes of DaaS Flex catalogs.
//
// A scheme such as "PC-Sales-##" is a fixed text with one to four wildcards
// '#' that stand for digits or letters. Parse checks a scheme against the
// naming rules (NAM-1 to NAM-7 and the Windows computer-name rule AZ-7),
// reporting every problem at once; Scheme.Name computes the name of the n-th
// machine in constant time, growing the wildcard field when it runs out
// (NAM-8); Scheme.Capacity and Scheme.Check say up front how many machines a
// scheme can name; Default builds the scheme used when a catalog has none
// (NAM-9); ValidateName checks one concrete machine name.
//
// The smallest use:
//
//	s, err := naming.Parse("PC-Sales-##", naming.Digits)
//	if err != nil {
//		return err // every broken rule, one per line
//	}
//	name, err := s.Name(100) // "PC-Sales-100"
//
// Positions in messages are 1-based and count characters. The package is
// pure: no I/O, no state; Default reads its random part from the io.Reader
// it is given.
package naming

package fake

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

// checkName adds every problem of the resource name in id to l: the rules
// of ARM for each type, and AZ-7 for virtual machines.
func checkName(l *rule.List, ti *typeInfo, id flex.ResourceID) {
	switch ti.t {
	case flex.TypeResourceGroup:
		checkGroupName(l, id.Name)
	case flex.TypeVirtualMachine:
		checkVMName(l, id.Name)
	case flex.TypeKey:
		vault, name, _ := strings.Cut(id.Name, "/")
		checkVaultName(l, vault)
		checkKeyName(l, name)
	default:
		segs := strings.Split(id.Name, "/")
		for i, s := range segs {
			max := ti.maxLen
			if i < len(segs)-1 {
				max = lookupType(ti.parent).maxLen
			}
			checkARMName(l, s, max)
		}
	}
}

// checkARMName: the name rule shared by network and compute resources:
// 1–max characters of letters, digits, '_', '.' and '-', starting with a
// letter or digit and ending with a letter, digit or '_'.
func checkARMName(l *rule.List, s string, max int) {
	n := len(s)
	switch {
	case n == 0 || n > max:
		l.Append(fmt.Errorf("InvalidResourceName: %q is %d characters; names are 1 to %d", s, n, max))
		return
	case !isAlnum(s[0]):
		l.Append(fmt.Errorf("InvalidResourceName: %q starts with %q; names start with a letter or digit", s, s[0]))
	case !isAlnum(s[n-1]) && s[n-1] != '_':
		l.Append(fmt.Errorf("InvalidResourceName: %q ends with %q; names end with a letter, digit or '_'", s, s[n-1]))
	}
	for i := 0; i < n; i++ {
		if b := s[i]; !isAlnum(b) && b != '_' && b != '.' && b != '-' {
			l.Append(fmt.Errorf("InvalidResourceName: %q has %q at position %d; names hold letters, digits, '_', '.' and '-'", s, b, i+1))
			return
		}
	}
}

// checkGroupName: 1–90 characters of letters, digits, '_', '(', ')', '-'
// and '.', not ending in '.'.
func checkGroupName(l *rule.List, s string) {
	n := len([]rune(s))
	if n == 0 || n > 90 {
		l.Append(fmt.Errorf("InvalidResourceGroupName: %q is %d characters; resource group names are 1 to 90", s, n))
		return
	}
	if strings.HasSuffix(s, ".") {
		l.Append(fmt.Errorf("InvalidResourceGroupName: %q ends with '.'", s))
	}
	for i, r := range []rune(s) {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_()-.", r) {
			l.Append(fmt.Errorf("InvalidResourceGroupName: %q has %q at position %d; resource group names hold letters, digits, '_', '(', ')', '-' and '.'", s, r, i+1))
			return
		}
	}
}

// vmForbidden are the characters a VM resource name may not hold (AZ-7).
const vmForbidden = "~!@#$%^&*()=+[]{}\\|;:'\",<>/?"

// checkVMName: a VM resource name is 1–64 characters without spaces,
// control characters or vmForbidden, not starting with '_' and not ending
// in '.' or '-' (AZ-7).
func checkVMName(l *rule.List, s string) {
	n := len(s)
	if n == 0 || n > 64 {
		l.Add("AZ-7", "VM name %q is %d characters; VM resource names are 1 to 64 (InvalidParameter)", s, n)
		return
	}
	for i := 0; i < n; i++ {
		b := s[i]
		if b <= ' ' || b >= 0x7f || strings.IndexByte(vmForbidden, b) >= 0 {
			l.Add("AZ-7", "VM name %q has %q at position %d; VM names hold no spaces, control characters, non-ASCII or any of %s (InvalidParameter)", s, b, i+1, vmForbidden)
			return
		}
	}
	if s[0] == '_' {
		l.Add("AZ-7", "VM name %q starts with '_'; it may not (InvalidParameter)", s)
	}
	if last := s[n-1]; last == '.' || last == '-' {
		l.Add("AZ-7", "VM name %q ends with %q; it may not end with '.' or '-' (InvalidParameter)", s, last)
	}
}

// checkComputerName: Azure's rule for Windows computer names (AZ-7): at
// most 15 characters, letters, digits and '-', not only digits, not
// ending in '-'.
func checkComputerName(l *rule.List, s string) {
	n := len(s)
	if n == 0 || n > 15 {
		l.Add("AZ-7", "computer name %q is %d characters; Windows computer names are 1 to 15 (InvalidParameter)", s, n)
	}
	digits := true
	for i := 0; i < n; i++ {
		b := s[i]
		if !isAlnum(b) && b != '-' {
			l.Add("AZ-7", "computer name %q has %q at position %d; only letters, digits and '-' are accepted (InvalidParameter)", s, b, i+1)
			return
		}
		if b < '0' || b > '9' {
			digits = false
		}
	}
	if n > 0 && digits {
		l.Add("AZ-7", "computer name %q is only digits; add a letter or '-' (InvalidParameter)", s)
	}
	if n > 0 && s[n-1] == '-' {
		l.Add("AZ-7", "computer name %q ends with '-'; end with a letter or digit (InvalidParameter)", s)
	}
}

// checkVaultName: 3–24 letters, digits and '-', starting with a letter,
// not ending in '-'.
func checkVaultName(l *rule.List, s string) {
	n := len(s)
	ok := n >= 3 && n <= 24 && isLetter(s[0]) && s[n-1] != '-'
	for i := 0; ok && i < n; i++ {
		ok = isAlnum(s[i]) || s[i] == '-'
	}
	if !ok {
		l.Append(fmt.Errorf("VaultNameNotValid: key vault name %q must be 3 to 24 letters, digits and '-', start with a letter and not end with '-'", s))
	}
}

// checkKeyName: 1–127 letters, digits and '-'.
func checkKeyName(l *rule.List, s string) {
	n := len(s)
	ok := n >= 1 && n <= 127
	for i := 0; ok && i < n; i++ {
		ok = isAlnum(s[i]) || s[i] == '-'
	}
	if !ok {
		l.Append(fmt.Errorf("BadParameter: key name %q must be 1 to 127 letters, digits and '-'", s))
	}
}

// checkRegion requires a region and normalizes it to Azure's name:
// "West US 2" becomes "westus2". Regions outside the ones Flex supports
// are accepted when they look like an Azure region name.
func checkRegion(l *rule.List, m *flex.Meta) {
	if m.Region == "" {
		l.Append(fmt.Errorf("LocationRequired: the resource needs a location (region)"))
		return
	}
	if r, err := network.ParseRegion(string(m.Region)); err == nil {
		m.Region = r
		return
	}
	s := strings.ToLower(strings.ReplaceAll(string(m.Region), " ", ""))
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			l.Append(fmt.Errorf("InvalidLocation: %q is not an Azure region name", m.Region))
			return
		}
	}
	m.Region = network.Region(s)
}

// checkZone checks a VM's or disk's zone (AZ-9): "" in the regions
// without availability zones, "", "1", "2" or "3" elsewhere.
func checkZone(l *rule.List, region network.Region, zone string) {
	switch zone {
	case "":
	case "1", "2", "3":
		if !zonal(region) {
			l.Add("AZ-9", "zone %q in region %s, which has no availability zones; leave the zone empty (InvalidParameter)", zone, region)
		}
	default:
		if zonal(region) {
			l.Add("AZ-9", "zone %q is not a zone; use \"1\", \"2\", \"3\" or none (InvalidParameter)", zone)
		} else {
			l.Add("AZ-9", "zone %q in region %s, which has no availability zones; leave the zone empty (InvalidParameter)", zone, region)
		}
	}
}

// zonal reports whether a region has availability zones (AZ-9): all but
// northcentralus and westus; regions outside Flex's list are taken to have
// them.
func zonal(r network.Region) bool {
	return r != network.NorthCentralUS && r != network.WestUS
}

// checkPrefix adds a problem when p is not a valid range written with its
// first address.
func checkPrefix(l *rule.List, what string, p netip.Prefix) bool {
	if !p.IsValid() {
		l.Append(fmt.Errorf("InvalidAddressPrefix: %s %s is not a valid address range", what, p))
		return false
	}
	if p != p.Masked() {
		l.Append(fmt.Errorf("InvalidAddressPrefix: %s %s has host bits set; write %s", what, p, p.Masked()))
		return false
	}
	return true
}

// contains reports whether range outer holds all of range inner.
func contains(outer, inner netip.Prefix) bool {
	return outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// overlapAny returns the first pair of ranges of a and b that overlap.
func overlapAny(a, b []netip.Prefix) (netip.Prefix, netip.Prefix, bool) {
	for _, p := range a {
		for _, q := range b {
			if p.IsValid() && q.IsValid() && p.Overlaps(q) {
				return p, q, true
			}
		}
	}
	return netip.Prefix{}, netip.Prefix{}, false
}

func isLetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }
func isAlnum(b byte) bool  { return isLetter(b) || (b >= '0' && b <= '9') }

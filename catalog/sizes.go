package catalog

import (
	"strings"

	"github.com/daasflex/daasflex/rule"
)

// Sizes is a catalog's VM size and its optional backup size (CAT-14): when
// Azure has no capacity for Primary, machines are made with Backup. The
// zero value leaves the size to the service and has no backup.
type Sizes struct {
	Primary string // the VM size, such as "Standard_D4s_v5"
	Backup  string // the backup size; empty means none
}

// Choose returns the size to make the next machines with, given which sizes
// have capacity now in the catalog's region (CAT-14): Primary when it has
// capacity, otherwise Backup when there is one and it has capacity.
// Otherwise it returns a CAT-14 violation naming the sizes tried.
// hasCapacity is asked about Primary first, then Backup; a nil hasCapacity
// means every size has capacity.
func (s Sizes) Choose(hasCapacity func(size string) bool) (string, error) {
	if hasCapacity == nil {
		hasCapacity = func(string) bool { return true }
	}
	if s.Primary == "" {
		return "", rule.Errorf("CAT-14", "no VM size to choose from; name a VM size")
	}
	if hasCapacity(s.Primary) {
		return s.Primary, nil
	}
	if s.Backup == "" || strings.EqualFold(s.Backup, s.Primary) {
		return "", rule.Errorf("CAT-14", "VM size %s has no capacity and the catalog has no backup size; add a backup VM size or try later", s.Primary)
	}
	if hasCapacity(s.Backup) {
		return s.Backup, nil
	}
	return "", rule.Errorf("CAT-14", "neither VM size %s nor backup size %s has capacity; try later or choose other sizes", s.Primary, s.Backup)
}

// String returns "Standard_D4s_v5 (backup Standard_D4as_v5)", or the
// primary alone when there is no backup.
func (s Sizes) String() string {
	p := s.Primary
	if p == "" {
		p = "service's choice"
	}
	if s.Backup == "" {
		return p
	}
	return p + " (backup " + s.Backup + ")"
}

package catalog

import "github.com/daasflex/daasflex/rule"

// DeleteAck is the acknowledgement an administrator gives before a catalog
// is deleted (CAT-12): the console's check boxes, tied to the catalog's
// name so that an acknowledgement for one catalog cannot delete another.
// The zero value acknowledges nothing.
type DeleteAck struct {
	Catalog string // the name of the catalog to delete, as typed
	// MachinesDestroyed acknowledges that every machine of the catalog,
	// with its data and snapshots, is destroyed.
	MachinesDestroyed bool
	// Irreversible acknowledges that the deletion cannot be undone.
	Irreversible bool
}

// Check reports, as CAT-12 violations, why a does not acknowledge deleting
// the catalog named name, or nil when it does. The name matches ignoring
// case, as catalog names do (CAT-5).
func (a DeleteAck) Check(name string) error {
	var l rule.List
	if !SameName(a.Catalog, name) {
		l.Add("CAT-12", "the acknowledgement names catalog %q, not %q; acknowledge deleting %q itself", a.Catalog, name, name)
	}
	if !a.MachinesDestroyed {
		l.Add("CAT-12", "deleting catalog %q destroys all its machines and snapshots; acknowledge it", name)
	}
	if !a.Irreversible {
		l.Add("CAT-12", "deleting catalog %q cannot be undone; acknowledge it", name)
	}
	return l.Err()
}

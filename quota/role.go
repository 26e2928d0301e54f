package quota

import "strconv"

// MachineRole is what a machine in a Flex subscription is for. Only VDAs
// count against the subscription's VDA limit (LIM-4, RL-7). The zero value
// is no role and is not valid.
type MachineRole uint8

// The machine roles of a Flex subscription.
const (
	VDA            MachineRole = iota + 1 // a catalog machine that delivers desktops or apps
	ImageBuilder                          // a machine building an image
	CloudConnector                        // a Cloud Connector of a resource location
	Bastion                               // a troubleshooting bastion
	LicenseServer                         // an RDS license server
)

// String returns the role's name, such as "VDA" or "Cloud Connector".
func (r MachineRole) String() string {
	switch r {
	case VDA:
		return "VDA"
	case ImageBuilder:
		return "image builder"
	case CloudConnector:
		return "Cloud Connector"
	case Bastion:
		return "bastion"
	case LicenseServer:
		return "license server"
	}
	return "MachineRole(" + strconv.Itoa(int(r)) + ")"
}

// CountsAsVDA reports whether machines of role r count against LIM-4: only
// VDAs do; image builders, Cloud Connectors, bastions and license servers
// never do (RL-7).
func (r MachineRole) CountsAsVDA() bool { return r == VDA }

// VDAsOf returns how many of n machines of role r count as VDAs (RL-7):
// n for VDAs, 0 for every other role. Use it to fill Change.VDAs.
func VDAsOf(r MachineRole, n int) int {
	if r.CountsAsVDA() {
		return n
	}
	return 0
}

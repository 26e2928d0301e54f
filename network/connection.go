package network

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/daasflex/daasflex/rule"
)

// Kind is the kind of a network connection (NET-1). Its values are the
// Catalog Service API's connection types (API-2). The zero value is not
// valid.
type Kind string

// Connection kinds (NET-1, API-2).
const (
	KindNone           Kind = "None"           // No connectivity
	KindVnetPeering    Kind = "VnetPeering"    // VNet peering
	KindAzureVpn       Kind = "AzureVpn"       // Azure VPN gateway
	KindVWanConnection Kind = "VWanConnection" // Virtual WAN spoke
)

// Kinds returns the connection kinds in the order of the documentation.
func Kinds() []Kind { return []Kind{KindNone, KindVnetPeering, KindAzureVpn, KindVWanConnection} }

// ParseKind returns the kind named s by its API value ("VnetPeering") or
// its display name ("VNet peering"), ignoring case.
func ParseKind(s string) (Kind, error) {
	t := strings.TrimSpace(s)
	for _, k := range Kinds() {
		if strings.EqualFold(t, string(k)) || strings.EqualFold(t, k.DisplayName()) {
			return k, nil
		}
	}
	return "", ruleErr("NET-1", fmt.Sprintf("connection kind %q: want None, VnetPeering, AzureVpn or VWanConnection", s))
}

// IsValid reports whether k is one of the four kinds.
func (k Kind) IsValid() bool {
	switch k {
	case KindNone, KindVnetPeering, KindAzureVpn, KindVWanConnection:
		return true
	}
	return false
}

// String returns the API value, such as "VnetPeering".
func (k Kind) String() string { return string(k) }

// DisplayName returns the console's name: "No connectivity", "VNet
// peering", "Azure VPN gateway" or "Virtual WAN spoke".
func (k Kind) DisplayName() string {
	switch k {
	case KindNone:
		return "No connectivity"
	case KindVnetPeering:
		return "VNet peering"
	case KindAzureVpn:
		return "Azure VPN gateway"
	case KindVWanConnection:
		return "Virtual WAN spoke"
	}
	return string(k)
}

// NeedsDNS reports whether connections of kind k need DNS servers (NET-3):
// every kind with connectivity.
func (k Kind) NeedsDNS() bool {
	return k == KindVnetPeering || k == KindAzureVpn || k == KindVWanConnection
}

// AllowsAzureDNS reports whether connections of kind k may use the
// Azure-provided DNS server 168.63.129.16 (NET-3): only Virtual WAN spokes.
func (k Kind) AllowsAzureDNS() bool { return k == KindVWanConnection }

// SupportsNATGateway reports whether a NAT gateway can be enabled and
// disabled on connections of kind k (NET-11): Citrix-managed (No
// connectivity) and VNet peering connections.
func (k Kind) SupportsNATGateway() bool { return k == KindNone || k == KindVnetPeering }

// CanReset reports whether connections of kind k can be reset, both ends
// re-establishing the tunnel (NET-10): Azure VPN gateways.
func (k Kind) CanReset() bool { return k == KindAzureVpn }

// MaxNameLen returns the longest connection name kind k allows (API-7):
// 54 characters for Azure VPN gateways, 64 for the others.
func (k Kind) MaxNameLen() int {
	if k == KindAzureVpn {
		return 54
	}
	return 64
}

// HasState reports whether connections of kind k can be in state s:
// VWanConnectionFailed belongs to Virtual WAN spokes, RouteTableFailed to
// kinds with custom routes, NatGatewayFailed to kinds with a NAT gateway
// (a vWAN spoke gets one with its first catalog).
func (k Kind) HasState(s State) bool {
	switch s {
	case StateVWanConnectionFailed:
		return k == KindVWanConnection
	case StateRouteTableFailed:
		return k == KindVnetPeering || k == KindAzureVpn || k == KindVWanConnection
	case StateNatGatewayFailed:
		return k == KindNone || k == KindVnetPeering || k == KindVWanConnection
	}
	return k.IsValid() && s.IsValid()
}

// ValidateName reports what is wrong with name as the name of a connection
// of kind k (API-7): 1–64 characters (1–54 for an Azure VPN gateway) of
// ASCII letters, digits, '-', '_', '.', '(' and ')'.
func ValidateName(k Kind, name string) error {
	var l rule.List
	validateName(&l, k, name)
	return l.Err()
}

func validateName(l *rule.List, k Kind, name string) {
	max := k.MaxNameLen()
	switch {
	case name == "":
		l.Add("API-7", "connection name is empty; want 1 to %d letters, digits, '-', '_', '.', '(' or ')'", max)
		return
	case len(name) > max:
		l.Add("API-7", "connection name %q is %d characters; a %s name has at most %d", name, len(name), k.DisplayName(), max)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isWordByte(c) && !strings.ContainsRune("-.()", rune(c)) {
			l.Add("API-7", "connection name %q has %q at position %d; want only letters, digits, '-', '_', '.', '(' and ')'", name, rune(c), i+1)
			return
		}
	}
}

// State is the status of a connection, with the Catalog Service API's
// values (API-2). The zero value is not valid.
type State string

// Connection states (API-2).
const (
	StatePending              State = "Pending"
	StateProvisioning         State = "Provisioning"
	StateComplete             State = "Complete" // shown "Ready to use"
	StateFailed               State = "Failed"
	StateDeleting             State = "Deleting"
	StateDeleteFailed         State = "DeleteFailed"
	StateRouteTableFailed     State = "RouteTableFailed"
	StateNatGatewayFailed     State = "NatGatewayFailed"
	StateVWanConnectionFailed State = "VWanConnectionFailed"
)

// States returns every connection state.
func States() []State {
	return []State{StatePending, StateProvisioning, StateComplete, StateFailed, StateDeleting, StateDeleteFailed,
		StateRouteTableFailed, StateNatGatewayFailed, StateVWanConnectionFailed}
}

// ParseState returns the state named s by its API value or its display
// name ("Ready to use"), ignoring case.
func ParseState(s string) (State, error) {
	t := strings.TrimSpace(s)
	for _, st := range States() {
		if strings.EqualFold(t, string(st)) || strings.EqualFold(t, st.DisplayName()) {
			return st, nil
		}
	}
	return "", ruleErr("API-2", fmt.Sprintf("connection state %q: want one of %v", s, States()))
}

// IsValid reports whether s is one of the API's connection states.
func (s State) IsValid() bool {
	for _, st := range States() {
		if s == st {
			return true
		}
	}
	return false
}

// String returns the API value, such as "Complete".
func (s State) String() string { return string(s) }

// DisplayName returns what the console shows: "Ready to use" for Complete,
// the API value otherwise.
func (s State) DisplayName() string {
	if s == StateComplete {
		return "Ready to use"
	}
	return string(s)
}

// AllowsCatalogs reports whether a catalog or image build may use a
// connection in state s (NET-2, NET-12): Complete, and RouteTableFailed
// and NatGatewayFailed, where the connection itself succeeded.
func (s State) AllowsCatalogs() bool {
	return s == StateComplete || s == StateRouteTableFailed || s == StateNatGatewayFailed
}

// RetriesAlone reports whether the failed step of state s can be retried
// on its own without re-creating the connection (NET-12): the route table
// or the NAT gateway.
func (s State) RetriesAlone() bool { return s == StateRouteTableFailed || s == StateNatGatewayFailed }

// Next returns the states a connection in state s may move to (NET-12):
//
//	Pending              → Provisioning, Failed, Deleting
//	Provisioning         → Complete, Failed, RouteTableFailed, NatGatewayFailed, VWanConnectionFailed
//	Complete             → Provisioning (a change or a VPN reset), Deleting
//	Failed               → Provisioning (resubmitted), Deleting
//	RouteTableFailed     → Provisioning (route table retried alone), Deleting
//	NatGatewayFailed     → Provisioning (NAT gateway retried alone), Deleting
//	VWanConnectionFailed → Deleting (re-create the connection)
//	Deleting             → DeleteFailed (a finished delete leaves no connection)
//	DeleteFailed         → Deleting
func (s State) Next() []State {
	switch s {
	case StatePending:
		return []State{StateProvisioning, StateFailed, StateDeleting}
	case StateProvisioning:
		return []State{StateComplete, StateFailed, StateRouteTableFailed, StateNatGatewayFailed, StateVWanConnectionFailed}
	case StateComplete, StateFailed, StateRouteTableFailed, StateNatGatewayFailed:
		return []State{StateProvisioning, StateDeleting}
	case StateVWanConnectionFailed:
		return []State{StateDeleting}
	case StateDeleting:
		return []State{StateDeleteFailed}
	case StateDeleteFailed:
		return []State{StateDeleting}
	}
	return nil
}

// CanTransition reports whether a connection in state s may move to to.
func (s State) CanTransition(to State) bool {
	for _, n := range s.Next() {
		if n == to {
			return true
		}
	}
	return false
}

// Transition returns nil when a connection in state s may move to to, and
// otherwise a NET-12 violation naming both states and the allowed ones.
func (s State) Transition(to State) error {
	if s.CanTransition(to) {
		return nil
	}
	return ruleErr("NET-12", fmt.Sprintf("a connection cannot go from %s to %s; from %s it can go to %v", s, to, s, s.Next()))
}

// StuckAfter is how long a connection may stay Provisioning before it is
// reported as stuck (NET-12).
const StuckAfter = 10 * time.Minute

// Status is the status of one connection: its kind, state, since when,
// the transaction ID of the request that set it (Citrix-TransactionId,
// which support asks for) and an error message for failures. Status values
// are comparable; the zero value is not a valid status (use NewStatus).
type Status struct {
	Kind          Kind
	State         State
	TransactionID string
	Since         time.Time
	Message       string
}

// NewStatus returns the first status of a connection of kind k: Pending
// since now, with the transaction ID of the create request. It reports a
// NET-1 violation for an invalid kind and a NET-12 one for an empty
// transaction ID.
func NewStatus(k Kind, transactionID string, now time.Time) (Status, error) {
	var l rule.List
	if !k.IsValid() {
		l.Add("NET-1", "connection kind %q: want None, VnetPeering, AzureVpn or VWanConnection", k)
	}
	if transactionID == "" {
		l.Add("NET-12", "empty transaction ID; every status carries the transaction ID of its request")
	}
	if err := l.Err(); err != nil {
		return Status{}, err
	}
	return Status{Kind: k, State: StatePending, TransactionID: transactionID, Since: now}, nil
}

// Next returns the status after moving to state to at time now for the
// request transactionID, with message (empty unless the state is a
// failure). It reports every problem at once and returns s unchanged: a
// transition the lifecycle does not allow, a state the connection's kind
// cannot be in (NET-12) and an empty transaction ID.
func (s Status) Next(to State, transactionID string, now time.Time, message string) (Status, error) {
	var l rule.List
	l.Append(s.State.Transition(to))
	if !s.Kind.HasState(to) {
		l.Add("NET-12", "a %s connection is never %s", s.Kind.DisplayName(), to)
	}
	if transactionID == "" {
		l.Add("NET-12", "empty transaction ID; every status carries the transaction ID of its request")
	}
	if err := l.Err(); err != nil {
		return s, err
	}
	return Status{Kind: s.Kind, State: to, TransactionID: transactionID, Since: now, Message: message}, nil
}

// Stuck reports whether the connection has been Provisioning for more
// than StuckAfter at time now (NET-12); support needs its transaction ID.
func (s Status) Stuck(now time.Time) bool {
	return s.State == StateProvisioning && now.Sub(s.Since) > StuckAfter
}

// String returns "Ready to use (transaction 4f…, since 2026-05-11T10:00:00Z)",
// followed by the message when there is one.
func (s Status) String() string {
	out := fmt.Sprintf("%s (transaction %s, since %s)", s.State.DisplayName(), s.TransactionID, s.Since.UTC().Format(time.RFC3339))
	if s.Message != "" {
		out += ": " + s.Message
	}
	return out
}

// Usage counts what uses a connection, as its details show (NET-15).
type Usage struct {
	Catalogs int // catalogs created on the connection
	Machines int // machines of those catalogs
	Images   int // image builds on the connection
	Bastions int // bastions on the connection
}

// InUse reports whether anything uses the connection.
func (u Usage) InUse() bool {
	return u.Catalogs > 0 || u.Machines > 0 || u.Images > 0 || u.Bastions > 0
}

// String returns "2 catalogs, 40 machines, 1 image, 0 bastions".
func (u Usage) String() string {
	return fmt.Sprintf("%s, %s, %s, %s", count(u.Catalogs, "catalog"), count(u.Machines, "machine"),
		count(u.Images, "image"), count(u.Bastions, "bastion"))
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// CheckDelete reports whether connection name may be deleted given what
// uses it (NET-8): only when no catalog, image build or bastion does.
func (u Usage) CheckDelete(name string) error {
	if !u.InUse() {
		return nil
	}
	return ruleErr("NET-8", fmt.Sprintf("connection %q is used by %v; delete those first", name, u))
}

// ParseDNSServers parses a list of DNS server addresses separated by
// commas, semicolons or spaces, such as "10.0.0.4, 10.0.0.5". Every item
// must be an IPv4 address; the error names the first bad item and its
// position. Validation (NET-3) happens in the connection's Validate.
func ParseDNSServers(s string) ([]netip.Addr, error) {
	items := splitList(s)
	addrs := make([]netip.Addr, 0, len(items))
	for i, it := range items {
		a, err := netip.ParseAddr(it)
		if err != nil || !a.Is4() {
			return nil, fmt.Errorf("network: DNS server %d of %q: %q is not an IPv4 address such as 10.0.0.4", i+1, s, it)
		}
		addrs = append(addrs, a)
	}
	return addrs, nil
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
}

// validateDNS checks a connection's DNS servers (NET-3).
func validateDNS(l *rule.List, k Kind, servers []netip.Addr) {
	if len(servers) == 0 {
		l.Add("NET-3", "no DNS server; a %s connection needs at least one that resolves your domain", k.DisplayName())
	}
	seen := make(map[netip.Addr]bool, len(servers))
	for _, a := range servers {
		switch {
		case !a.Is4():
			l.Add("NET-3", "DNS server %v is not an IPv4 address", a)
		case a == AzureHostIP() && !k.AllowsAzureDNS():
			l.Add("NET-3", "DNS server %s is the Azure-provided DNS, which a %s connection cannot use; want your own DNS server", a, k.DisplayName())
		case a.IsUnspecified() || a.IsLoopback() || a.IsMulticast() || a.IsLinkLocalUnicast() ||
			a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) || a.As4()[0] == 0:
			l.Add("NET-3", "DNS server %s is not a unicast address a machine can reach", a)
		case seen[a]:
			l.Add("NET-3", "DNS server %s is listed twice", a)
		}
		seen[a] = true
	}
}

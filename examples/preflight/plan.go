package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/daasflex/daasflex/secret"
)

// planFile is the JSON plan an administrator writes. Its field names are the
// file format documented in the package comment; decoding refuses unknown
// fields, so a misspelt field is an unreadable plan, never a silently ignored
// setting.
type planFile struct {
	// AddressPool is the range "any /N" requests are allocated from.
	AddressPool      string             `json:"addressPool"`
	Limits           *limitsFile        `json:"limits"`
	Subscriptions    []subscriptionFile `json:"subscriptions"`
	CustomerNetworks []networkFile      `json:"customerNetworks"`
	Connections      []connectionFile   `json:"connections"`
	Catalogs         []catalogFile      `json:"catalogs"`
}

// limitsFile overrides some of quota.DefaultLimits (LIM-9); a field left
// out keeps its default.
type limitsFile struct {
	ADDomainsPerTenant                    *int `json:"adDomainsPerTenant"`
	CatalogsPerTenant                     *int `json:"catalogsPerTenant"`
	ResourceLocationsPerTenant            *int `json:"resourceLocationsPerTenant"`
	VDAsPerSubscription                   *int `json:"vdasPerSubscription"`
	NearLimitPercent                      *int `json:"nearLimitPercent"`
	ADDomainsPerResourceLocation          *int `json:"adDomainsPerResourceLocation"`
	SingleSessionUsersPerResourceLocation *int `json:"singleSessionUsersPerResourceLocation"`
	MultiSessionUsersPerResourceLocation  *int `json:"multiSessionUsersPerResourceLocation"`
}

type subscriptionFile struct {
	Name    string `json:"name"`
	AzureID string `json:"azureId"`
}

// networkFile is one of the customer's own networks: a VNet, an on-premises
// site, a branch. Connections name it in remoteNetworks, allowedNetworks
// and a hub's connected networks.
type networkFile struct {
	Name   string   `json:"name"`
	Ranges []string `json:"ranges"`
}

type connectionFile struct {
	Name         string `json:"name"`
	Subscription string `json:"subscription"`
	Kind         string `json:"kind"`
	Region       string `json:"region"`
	// Range is the Flex range (the VDA subnet of a VPN, the first range
	// of a vWAN spoke): CIDR notation, or "any /N" to allocate one.
	Range        string       `json:"range"`
	DNS          []string     `json:"dns"`
	PreferredDNS string       `json:"preferredDns"`
	Routes       []routeFile  `json:"routes"`
	NAT          *natFile     `json:"nat"`
	Peering      *peeringFile `json:"peering"`
	VPN          *vpnFile     `json:"vpn"`
	VWAN         *vwanFile    `json:"vwan"`
}

type routeFile struct {
	Name        string `json:"name"`
	Destination string `json:"destination"`
	NextHop     string `json:"nextHop"`
	NextHopIP   string `json:"nextHopIp"`
	Disabled    bool   `json:"disabled"`
}

type natFile struct {
	Enabled            bool `json:"enabled"`
	IdleTimeoutMinutes int  `json:"idleTimeoutMinutes"`
}

type peeringFile struct {
	RemoteVNet string `json:"remoteVnet"`
	// RemoteNetworks is the peered VNet's address space: names of
	// customer networks or ranges in CIDR notation.
	RemoteNetworks   []string `json:"remoteNetworks"`
	UsesGateway      bool     `json:"usesGateway"`
	RoutePropagation bool     `json:"routePropagation"`
}

type vpnFile struct {
	DeviceIP        string      `json:"deviceIp"`
	AllowedNetworks []string    `json:"allowedNetworks"`
	PSK             secretField `json:"psk"`
	SKU             string      `json:"sku"`
	BGP             *bgpFile    `json:"bgp"`
	GatewaySubnet   string      `json:"gatewaySubnet"`
}

type bgpFile struct {
	ASN         uint32 `json:"asn"`
	PeerASN     uint32 `json:"peerAsn"`
	PeerAddress string `json:"peerAddress"`
}

type vwanFile struct {
	Hub              hubFile  `json:"hub"`
	Auth             authFile `json:"auth"`
	InternetSecurity bool     `json:"internetSecurity"`
	RoutePropagation bool     `json:"routePropagation"`
}

type hubFile struct {
	ID           string `json:"id"`
	Tier         string `json:"tier"`
	AddressSpace string `json:"addressSpace"`
	// Connected is the hub's other spokes and branches: names of customer
	// networks or ranges.
	Connected []string `json:"connected"`
}

type authFile struct {
	Method       string      `json:"method"`
	TenantID     string      `json:"tenantId"`
	ClientID     string      `json:"clientId"`
	ClientSecret secretField `json:"clientSecret"`
}

type catalogFile struct {
	Name          string             `json:"name"`
	Subscription  string             `json:"subscription"`
	Persona       string             `json:"persona"`
	CustomPersona *customPersonaFile `json:"customPersona"`
	MachineType   string             `json:"machineType"`
	Users         []string           `json:"users"`
	UserCount     int                `json:"userCount"`
	NamingScheme  string             `json:"namingScheme"`
	Wildcards     string             `json:"wildcards"`
	Connection    string             `json:"connection"`
	Region        string             `json:"region"`
	Domain        domainFile         `json:"domain"`
	Intune        bool               `json:"intune"`
	// ResourceLocation defaults to an automatic one for non-domain-joined
	// catalogs (RL-1).
	ResourceLocation string       `json:"resourceLocation"`
	Connectivity     string       `json:"connectivity"`
	GatewayFQDN      string       `json:"gatewayFqdn"`
	Image            string       `json:"image"`
	Licenses         []string     `json:"licenses"`
	VMSize           string       `json:"vmSize"`
	BackupVMSize     string       `json:"backupVmSize"`
	SecureBoot       bool         `json:"secureBoot"`
	Schedule         scheduleFile `json:"schedule"`
}

type customPersonaFile struct {
	Name            string `json:"name"`
	Session         string `json:"session"`
	VCPUs           int    `json:"vcpus"`
	MemoryGiB       int    `json:"memoryGiB"`
	UsersPerMachine int    `json:"usersPerMachine"`
	VMSize          string `json:"vmSize"`
}

type domainFile struct {
	Type           string      `json:"type"`
	FQDN           string      `json:"fqdn"`
	OU             string      `json:"ou"`
	ServiceAccount string      `json:"serviceAccount"`
	Password       secretField `json:"password"`
}

type scheduleFile struct {
	TimeZone string `json:"timeZone"`
	// Autoscale left out means Citrix's recommended settings.
	Autoscale *autoscaleFile `json:"autoscale"`
}

type autoscaleFile struct {
	PeakDays          []string `json:"peakDays"`
	PeakStart         string   `json:"peakStart"`
	PeakEnd           string   `json:"peakEnd"`
	DisconnectTimeout string   `json:"disconnectTimeout"`
	PowerOffDelay     string   `json:"powerOffDelay"`
	OffPolicy         string   `json:"offPolicy"`
}

// secretField decodes a JSON string straight into a secret.Value, so a
// password, pre-shared key or client secret never sits in a plain string
// of the decoded plan (SEC-1). It encodes as [redacted].
type secretField struct{ v secret.Value }

// UnmarshalJSON decodes a JSON string (or null, the empty secret).
func (s *secretField) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		s.v = secret.Value{}
		return nil
	}
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		// The value is not echoed: it may be a secret typed without quotes.
		return errors.New("want a JSON string")
	}
	s.v = secret.New(str)
	return nil
}

// MarshalJSON encodes the field as [redacted].
func (s secretField) MarshalJSON() ([]byte, error) { return s.v.MarshalJSON() }

// decodeError is an unreadable plan: bad JSON, a value of the wrong type,
// an unknown field. Line and Col locate it (1-based) when known.
type decodeError struct {
	Line, Col int
	Msg       string
}

func (e *decodeError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
	}
	return e.Msg
}

// decodePlan reads one JSON plan from data, refusing unknown fields and
// anything after the plan. Every error is a *decodeError.
func decodePlan(data []byte) (*planFile, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &decodeError{Msg: "the plan is empty; want a JSON object such as {\"subscriptions\": [...]}"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p planFile
	if err := dec.Decode(&p); err != nil {
		return nil, explain(data, err)
	}
	end := int(dec.InputOffset())
	if tok, err := dec.Token(); err != io.EOF {
		line, col := position(data, end+len(data[end:])-len(bytes.TrimLeft(data[end:], " \t\r\n")))
		if err != nil {
			return nil, &decodeError{Line: line, Col: col, Msg: "unexpected text after the plan: " + strings.TrimPrefix(err.Error(), "json: ")}
		}
		return nil, &decodeError{Line: line, Col: col, Msg: fmt.Sprintf("unexpected %v after the plan; a file holds one JSON object", tok)}
	}
	return &p, nil
}

// explain turns an encoding/json error into a *decodeError with a position.
func explain(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// Offset counts the bytes read, the offending one included.
		line, col := position(data, int(syn.Offset)-1)
		return &decodeError{Line: line, Col: col, Msg: "invalid JSON: " + strings.TrimPrefix(syn.Error(), "json: ")}
	case errors.As(err, &typ):
		line, col := position(data, valueStart(data, int(typ.Offset)))
		field := typ.Field
		if field == "" {
			return &decodeError{Line: line, Col: col, Msg: fmt.Sprintf("the plan is a JSON %s; want an object", typ.Value)}
		}
		return &decodeError{Line: line, Col: col, Msg: fmt.Sprintf("field %q is a JSON %s; want %s", field, typ.Value, describeType(typ.Type.String()))}
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := position(data, len(data))
		return &decodeError{Line: line, Col: col, Msg: "invalid JSON: the plan ends too early; check for a missing } or ]"}
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
		// encoding/json gives no offset for unknown fields: point at the
		// first place the key appears.
		line, col := 0, 0
		if i := findKey(data, name); i >= 0 {
			line, col = position(data, i)
		}
		return &decodeError{Line: line, Col: col, Msg: fmt.Sprintf("unknown field %s; check its spelling against the file format (go doc ./examples/preflight)", name)}
	}
	// A field's own decoder failed, such as a secret that is not a string.
	return &decodeError{Msg: msg}
}

// describeType says what a Go type of the plan is in JSON terms.
func describeType(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "an array"
	case t == "string":
		return "a string"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return "a whole number (" + t + ")"
	}
	return "an object"
}

// findKey returns the byte offset of the first object key quoted (a JSON
// string followed by a colon), or -1.
func findKey(data []byte, quoted string) int {
	for from := 0; from < len(data); {
		i := bytes.Index(data[from:], []byte(quoted))
		if i < 0 {
			return -1
		}
		at := from + i
		rest := bytes.TrimLeft(data[at+len(quoted):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			return at
		}
		from = at + 1
	}
	return -1
}

// valueStart returns the offset of the first byte of the JSON scalar that
// ends just before offset end: the opening quote of a string, the first
// character of a number or literal. For an array or object it returns the
// offset of its last byte.
func valueStart(data []byte, end int) int {
	end = min(max(end, 0), len(data))
	i := end - 1
	if i < 0 {
		return 0
	}
	if data[i] == '"' {
		for j := i - 1; j >= 0; j-- {
			if data[j] != '"' {
				continue
			}
			k := j // count the backslashes before the quote
			for k > 0 && data[k-1] == '\\' {
				k--
			}
			if (j-k)%2 == 0 {
				return j
			}
		}
		return i
	}
	for i > 0 && !strings.ContainsRune(" \t\r\n,:[{}]\"", rune(data[i-1])) {
		i--
	}
	return i
}

// position returns the 1-based line and column (in bytes) of the byte at
// offset off.
func position(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = off - bytes.LastIndexByte(before, '\n')
	return line, col
}

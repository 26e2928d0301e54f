package flex

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/naming"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
)

// Durable state: Tenant.Save, Tenant.SaveFile and Load (state_save.go,
// state_load.go), the document (below), its codec (state_codec.go), and
// Tenant.Reconcile (reconcile.go). Save's doc comment describes the
// document for users.

// StateVersion is the version of the state document Save writes; Load
// reads it and every older version.
const StateVersion = 1

// StateKeySize is the size of a state key in bytes: AES-256.
const StateKeySize = 32

// maxStateSize bounds the document Load reads.
const maxStateSize = 256 << 20

// Values of tenantDoc.Secrets.
const (
	secretsExcluded = "excluded"
	secretsSealed   = "aes-256-gcm"
)

// keyCheckText is what tenantDoc.KeyCheck seals, so that Load tells a
// wrong key even from a document without secrets.
const keyCheckText = "daasflex state key"

// persistence is the Tenant's part of durable state: the state key.
type persistence struct {
	stateKey    []byte
	stateKeyErr error
}

// WithStateKey sets the key with which Save seals the Tenant's secrets and
// Load opens them: 32 bytes (AES-256), which the caller keeps safe. Without
// it, Save leaves secrets out. A key of another size makes Save and Load
// fail with ErrInvalid.
func WithStateKey(key []byte) Option {
	return func(t *Tenant) {
		t.stateKey, t.stateKeyErr = nil, nil
		if len(key) != StateKeySize {
			t.stateKeyErr = fmt.Errorf("the state key is %d bytes; want %d (AES-256)", len(key), StateKeySize)
			return
		}
		t.stateKey = bytes.Clone(key)
	}
}

// The state document. Field names are spelled by the codec (state_codec.go)
// from json tags or Go names; every field is written and required.

type stateDoc struct {
	Version       int               `json:"version"`
	Checksum      string            `json:"checksum"`
	Tenant        tenantDoc         `json:"tenant"`
	Subscriptions []subscriptionDoc `json:"subscriptions"`
	Connections   []connectionDoc   `json:"connections"`
	Keys          []keyDoc          `json:"keys"`
	Images        []imageDoc        `json:"images"`
	Catalogs      []catalogDoc      `json:"catalogs"`
	Locations     []locationDoc     `json:"locations"`
	Bastions      []bastionDoc      `json:"bastions"`
	RDPAccess     []rdpAccessDoc    `json:"rdpAccess"`
	Activities    []activityDoc     `json:"activities"`
}

type tenantDoc struct {
	ID     string       `json:"id"`
	Limits quota.Limits `json:"limits"`
	// Secrets is secretsExcluded or secretsSealed.
	Secrets string `json:"secrets"`
	// KeyCheck is keyCheckText sealed under the state key, with
	// secretsSealed; "" otherwise.
	KeyCheck string `json:"keyCheck"`
}

type subscriptionDoc struct {
	Name    string `json:"name"`
	AzureID string `json:"azureID"`
}

type connectionDoc struct {
	// Name is the connection's name or, for a Citrix-managed network, its
	// owner, such as "catalog/Sales".
	Name         string         `json:"name"`
	Subscription string         `json:"subscription"`
	Managed      bool           `json:"managed"`
	Region       network.Region `json:"region"`
	Status       network.Status `json:"status"`
	Spec         specDoc        `json:"spec"`
	// Ranges is the VNet's address space; for a managed network, its first
	// block and the blocks it grew by.
	Ranges      []netip.Prefix    `json:"ranges"`
	Ready       bool              `json:"ready"`
	RouteOK     bool              `json:"routeTableOK"`
	NATOK       bool              `json:"natGatewayOK"`
	AutoNAT     bool              `json:"spokeNATGateway"`
	NATPublicIP netip.Addr        `json:"natPublicIP"`
	GatewayIP   netip.Addr        `json:"gatewayIP"`
	Warnings    []network.Warning `json:"warnings"`
	Subnets     []subnetDoc       `json:"subnets"`
}

// specDoc is a connection spec: exactly one kind is set. Its secrets are
// empty; PSK and ClientSecret carry them sealed, or "".
type specDoc struct {
	NoConnectivity *network.NoConnectivitySpec `json:"noConnectivity"`
	Peering        *network.PeeringSpec        `json:"peering"`
	VPN            *network.VPNSpec            `json:"vpn"`
	VWAN           *network.VWANSpec           `json:"vwan"`
	PSK            string                      `json:"psk"`
	ClientSecret   string                      `json:"clientSecret"`
}

type subnetDoc struct {
	Name         string       `json:"name"`
	Prefix       netip.Prefix `json:"prefix"`
	Owner        string       `json:"owner"`
	DomainJoined bool         `json:"domainJoined"`
}

type keyDoc struct {
	Name           string         `json:"name"`
	Subscription   string         `json:"subscription"`
	Region         network.Region `json:"region"`
	Source         KeySource      `json:"source"`
	Version        string         `json:"version"`
	Created        time.Time      `json:"created"`
	RotationPeriod time.Duration  `json:"rotationPeriod"`
}

type imageDoc struct {
	image.Image
	Subscription string `json:"subscription"`
	// ID is the image's stable identity: its resource group and owner tag
	// "image/<id>".
	ID           string         `json:"id"`
	Region       network.Region `json:"region"`
	Connection   string         `json:"connection"`
	Created      time.Time      `json:"created"`
	ManagedImage bool           `json:"managedImage"`
	Builder      *builderDoc    `json:"builder"`
	Source       string         `json:"source"`
	Failure      string         `json:"failure"`
}

type builderDoc struct {
	VM                  bool         `json:"vm"`
	Size                string       `json:"size"`
	Username            string       `json:"username"`
	Address             netip.Addr   `json:"address"`
	RDPFrom             netip.Prefix `json:"rdpFrom"`
	Subnet              string       `json:"subnet"` // "" when it has none
	Registered          bool         `json:"firewallOpen"`
	Power               PowerState   `json:"power"`
	RootPasswordChanged time.Time    `json:"rootPasswordChanged"`
}

type catalogDoc struct {
	Name         string                   `json:"name"`
	Subscription string                   `json:"subscription"`
	Connection   string                   `json:"connection"`
	Region       network.Region           `json:"region"`
	Persona      quota.Persona            `json:"persona"`
	MachineType  quota.MachineType        `json:"machineType"`
	Domain       image.DomainType         `json:"domain"`
	ADDomain     string                   `json:"adDomain"`
	OU           string                   `json:"ou"`
	Connectivity catalog.ConnectivityType `json:"connectivity"`
	Schedule     catalog.WorkSchedule     `json:"schedule"`
	SecureBoot   bool                     `json:"secureBoot"`
	Image        image.Image              `json:"image"`
	Sizes        catalog.Sizes            `json:"sizes"`
	NamingScheme string                   `json:"namingScheme"`
	WildcardKind naming.WildcardKind      `json:"wildcardKind"`
	NextMachine  int                      `json:"nextMachine"`
	Users        int                      `json:"users"`
	VDAs         int                      `json:"vdas"`
	Location     string                   `json:"resourceLocation"` // the location's ID
	Subnets      []string                 `json:"subnets"`
	State        catalog.State            `json:"state"`
	Failure      string                   `json:"failure"`
	Principals   []catalog.Principal      `json:"principals"`
	Apps         []catalog.App            `json:"apps"`
	Snapshots    catalog.Schedules        `json:"snapshotSchedules"`
	SnapshotFrom time.Time                `json:"snapshotsAfter"`
	Warnings     []network.Warning        `json:"warnings"`
	Created      time.Time                `json:"created"`
	Machines     []machineDoc             `json:"machines"`
}

type machineDoc struct {
	catalog.Machine
	Size         string        `json:"size"`
	Address      netip.Addr    `json:"address"`
	Subnet       string        `json:"subnet"`
	PendingImage string        `json:"pendingImage"`
	UpdateAt     time.Time     `json:"updateAt"`
	Snapshots    []snapshotDoc `json:"snapshots"`
}

type snapshotDoc struct {
	catalog.Snapshot
	Incremental bool `json:"incremental"`
}

type locationDoc struct {
	ID             string               `json:"id"`
	Name           string               `json:"name"`
	Subscription   string               `json:"subscription"`
	Connection     string               `json:"connection"`
	Region         network.Region       `json:"region"`
	Prefix         string               `json:"namePrefix"`
	Domains        []string             `json:"domains"`
	ResourceGroups []string             `json:"connectorResourceGroups"`
	LastGroup      string               `json:"lastResourceGroup"`
	LastOU         string               `json:"lastOU"`
	Connectors     []connectorDoc       `json:"connectors"`
	Subnets        []string             `json:"subnets"`
	NextConnector  int                  `json:"nextConnector"`
	Connectivity   LocationConnectivity `json:"connectivity"`
	Updates        ConnectorUpdates     `json:"updates"`
	PendingVersion string               `json:"pendingVersion"`
	Published      time.Time            `json:"published"`
}

type connectorDoc struct {
	Name          string         `json:"name"`
	ResourceGroup string         `json:"resourceGroup"`
	Zone          string         `json:"zone"`
	Size          string         `json:"size"`
	State         ConnectorState `json:"state"`
	Address       netip.Addr     `json:"address"`
	Version       string         `json:"version"`
	Health        string         `json:"health"`
	Proxy         string         `json:"proxy"`
	Subnet        string         `json:"subnet"`
}

type bastionDoc struct {
	Subscription string       `json:"subscription"`
	Connection   string       `json:"connection"`
	Catalog      string       `json:"catalog"`
	Username     string       `json:"username"`
	Source       netip.Prefix `json:"source"`
	Size         string       `json:"size"`
	VM           bool         `json:"vm"`
	Address      netip.Addr   `json:"address"`
	Subnet       string       `json:"subnet"` // "" when it has none
	Registered   bool         `json:"firewallOpen"`
	Power        PowerState   `json:"power"`
	Created      time.Time    `json:"created"`
	PoweredOn    time.Time    `json:"poweredOn"`
	Failure      string       `json:"failure"`
}

type rdpAccessDoc struct {
	Subscription string       `json:"subscription"`
	Connection   string       `json:"connection"`
	Catalog      string       `json:"catalog"`
	Source       netip.Prefix `json:"source"`
	Enabled      time.Time    `json:"enabled"`
}

type activityDoc struct {
	Activity
	Log string `json:"log"`
}

// Sealing of secrets.

// sealer seals and opens secrets under a state key with AES-256-GCM.
// Each sealed value is base64 of a random 12-byte nonce followed by the
// ciphertext and tag; its additional data binds it to the tenant and to
// where it belongs, so that a sealed value moved elsewhere does not open.
type sealer struct {
	aead   cipher.AEAD
	tenant string
}

func newSealer(key []byte, tenant string) (*sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead, tenant: tenant}, nil
}

func (s *sealer) ad(where string) []byte { return []byte("daasflex state/" + s.tenant + "/" + where) }

// seal returns plain sealed for where; "" stays "".
func (s *sealer) seal(where, plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("reading a nonce: %w", err)
	}
	return base64.StdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(plain), s.ad(where))), nil
}

// errWrongKey is why a sealed value does not open.
var errWrongKey = errors.New("does not open with the state key: the key is not the one the state was saved with, or the value was changed")

// open returns the secret sealed for where; "" stays "".
func (s *sealer) open(where, sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	b, err := base64.StdEncoding.Strict().DecodeString(sealed)
	if err != nil || len(b) < s.aead.NonceSize()+s.aead.Overhead() {
		return "", errors.New("is not a sealed value (base64 of a nonce and a ciphertext)")
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, b[:n], b[n:], s.ad(where))
	if err != nil {
		return "", errWrongKey
	}
	return string(plain), nil
}

// The checksum.

const checksumPrefix = "sha256:"

// checksumPlaceholder is what the checksum's digits are while the
// checksum is computed.
var checksumPlaceholder = checksumPrefix + string(bytes.Repeat([]byte{'0'}, sha256.Size*2))

// findChecksum returns where the digits of the top-level "checksum" value
// of the JSON document doc are: doc[start:end]. The value must be written
// plainly, "sha256:" and 64 lower-case hexadecimal digits.
func findChecksum(doc []byte) (start, end int, err error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return 0, 0, errors.New("the document is not a JSON object")
	}
	found := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return 0, 0, err
		}
		if tok != "checksum" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return 0, 0, err
			}
			continue
		}
		if found {
			return 0, 0, errors.New(`"checksum" is given twice`)
		}
		found = true
		val, err := dec.Token()
		if err != nil {
			return 0, 0, err
		}
		s, ok := val.(string)
		off := int(dec.InputOffset())
		if !ok || len(s) != len(checksumPlaceholder) || off < len(s)+2 || string(doc[off-len(s)-2:off]) != `"`+s+`"` {
			return 0, 0, fmt.Errorf(`"checksum" is not %q followed by 64 hexadecimal digits`, checksumPrefix)
		}
		start, end = off-1-(len(s)-len(checksumPrefix)), off-1
		if string(doc[start-len(checksumPrefix):start]) != checksumPrefix {
			return 0, 0, fmt.Errorf(`"checksum" is not %q followed by 64 hexadecimal digits`, checksumPrefix)
		}
		for _, c := range doc[start:end] {
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return 0, 0, fmt.Errorf(`"checksum" is not %q followed by 64 lower-case hexadecimal digits`, checksumPrefix)
			}
		}
	}
	if !found {
		return 0, 0, errors.New(`the document has no "checksum"`)
	}
	return start, end, nil
}

// digest returns the hexadecimal SHA-256 of doc with the checksum's digits
// doc[start:end] taken as zeros.
func digest(doc []byte, start, end int) string {
	h := sha256.New()
	h.Write(doc[:start])
	h.Write(bytes.Repeat([]byte{'0'}, end-start))
	h.Write(doc[end:])
	return hex.EncodeToString(h.Sum(nil))
}

// sealDocument writes the checksum of doc into it, in place.
func sealDocument(doc []byte) error {
	start, end, err := findChecksum(doc)
	if err != nil {
		return err
	}
	copy(doc[start:end], digest(doc, start, end))
	return nil
}

// sealSaved writes the checksum into a document Save encoded, whose
// checksum, its second field, is the placeholder: the first match of it is
// the top-level one, as any text before it is the version.
func sealSaved(doc []byte) error {
	i := bytes.Index(doc, []byte(`"checksum": "`+checksumPlaceholder+`"`))
	if i < 0 {
		return errors.New("the encoded document has no checksum placeholder")
	}
	start := i + len(`"checksum": "`+checksumPrefix)
	end := start + len(checksumPlaceholder) - len(checksumPrefix)
	copy(doc[start:end], digest(doc, start, end))
	return nil
}

// verifyDocument reports whether doc's checksum matches its bytes.
func verifyDocument(doc []byte) error {
	start, end, err := findChecksum(doc)
	if err != nil {
		return err
	}
	if string(doc[start:end]) != digest(doc, start, end) {
		return errors.New("the checksum does not match the document: it was changed or damaged after it was saved")
	}
	return nil
}

// SaveFile saves the Tenant's state (see Save) to the file at path,
// atomically: it writes a temporary file in the same directory, flushes it
// to stable storage, and renames it over path, so that path holds either
// the previous state or the new one, never a part. The file is readable by
// its owner only. Errors of the file system have no kind; errors.Is finds
// their fs.Err… cause.
func (t *Tenant) SaveFile(path string) (err error) {
	const op = "SaveFile"
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	fail := func(e error) error { return &Error{Op: op, Object: path, Err: e} }
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fail(err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if err = t.Save(f); err != nil {
		return err
	}
	if err = f.Chmod(0o600); err != nil {
		return fail(err)
	}
	if err = f.Sync(); err != nil {
		return fail(err)
	}
	if err = f.Close(); err != nil {
		return fail(err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fail(err)
	}
	// Make the rename itself durable where the system allows it.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

package flex

import (
	"context"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// Rotation periods of customer-managed keys (API-8).
const (
	// MinKeyRotation is the shortest rotation period a key may have.
	MinKeyRotation = 7 * 24 * time.Hour
	// DefaultKeyRotation is the rotation period of a key added without
	// one.
	DefaultKeyRotation = 90 * 24 * time.Hour
)

// KeySource is how a key's current version was made (API-8). The zero
// value is not valid.
type KeySource string

// Key sources (API-8).
const (
	KeyGenerated KeySource = "Generated" // made by the key vault
	KeyImported  KeySource = "Imported"  // supplied by the customer
)

// String returns "Generated" or "Imported".
func (s KeySource) String() string { return string(s) }

// ParseKeySource returns the key source named s, ignoring case.
func ParseKeySource(s string) (KeySource, error) {
	for _, k := range []KeySource{KeyGenerated, KeyImported} {
		if strings.EqualFold(strings.TrimSpace(s), string(k)) {
			return k, nil
		}
	}
	return "", rule.Errorf("API-8", "key source %q: want Generated or Imported", s)
}

// KeySpec describes a customer-managed key for VM disks to add to a
// subscription (KEY-1). Friendly names are unique in the subscription,
// ignoring case.
type KeySpec struct {
	Subscription string
	Region       network.Region
	// Name is the friendly name: 1–64 characters without control
	// characters or leading and trailing spaces.
	Name string
	// Key is the RSA private key to import, 2,048, 3,072 or 4,096 bits,
	// PKCS #1 or PKCS #8, in PEM or as base64 DER. The zero Value has the
	// key vault generate the key (API-8).
	Key secret.Value
	// Confirm repeats Key; they must match (KEY-1).
	Confirm secret.Value
	// RotationPeriod is how often the key is to be rotated: at least 7
	// days (API-8). Zero means DefaultKeyRotation.
	RotationPeriod time.Duration
}

// Validate reports every problem of the spec at once. No message shows
// the key or its confirmation (SEC-1).
func (s KeySpec) Validate() error {
	var l rule.List
	if strings.TrimSpace(s.Subscription) == "" {
		l.Add("SUB-2", "no subscription; a key belongs to one Flex subscription, choose it")
	}
	if !s.Region.IsValid() {
		l.Add("REG-1", "region %q is not one Flex supports; want one of %v", string(s.Region), network.Regions())
	}
	if n := len([]rune(s.Name)); n < 1 || n > 64 || strings.TrimSpace(s.Name) != s.Name || strings.ContainsFunc(s.Name, unicode.IsControl) {
		l.Add("KEY-1", "friendly name %q: want 1–64 characters without control characters or leading and trailing spaces", s.Name)
	}
	switch {
	case s.Key.IsZero() && !s.Confirm.IsZero():
		l.Add("KEY-1", "a confirmation was given without a key; give both to import a key, neither to have one generated")
	case !s.Key.IsZero():
		if subtle.ConstantTimeCompare([]byte(s.Key.Reveal()), []byte(s.Confirm.Reveal())) != 1 {
			l.Add("KEY-1", "the confirmation does not match the key; enter the same key twice")
		}
		if _, err := parseRSAKey(s.Key.Reveal()); err != nil {
			l.Append(err)
		}
	}
	if p := s.RotationPeriod; p != 0 && p < MinKeyRotation {
		l.Add("API-8", "rotation period %v is shorter than 7 days; want 7 days (%v) or more", p, MinKeyRotation)
	}
	return l.Err()
}

// knownPEMTypes are PEM block types a wrong key may come as.
var knownPEMTypes = []string{"PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE", "EC PRIVATE KEY",
	"ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY", "DSA PRIVATE KEY", "CERTIFICATE REQUEST"}

// ParseRSAKey parses the material of a customer-managed key: an RSA
// private key of 2048, 3072 or 4096 bits in PEM or base64 DER (PKCS #1 or
// PKCS #8). Its errors are KEY-1 violations that never quote the material
// (SEC-1). Providers use it to convert an imported key for their key vault.
func ParseRSAKey(material secret.Value) (*rsa.PrivateKey, error) {
	return parseRSAKey(material.Reveal())
}

// parseRSAKey is ParseRSAKey of the revealed material.
func parseRSAKey(s string) (*rsa.PrivateKey, error) {
	s = strings.TrimSpace(s)
	var der []byte
	if strings.HasPrefix(s, "-----BEGIN") {
		block, rest := pem.Decode([]byte(s))
		switch {
		case block == nil:
			return nil, rule.Errorf("KEY-1", "the key starts like PEM but is not valid PEM; want a \"RSA PRIVATE KEY\" or \"PRIVATE KEY\" block")
		case strings.TrimSpace(string(rest)) != "":
			return nil, rule.Errorf("KEY-1", "the key has text after its PEM block; give one key")
		case block.Type != "RSA PRIVATE KEY" && block.Type != "PRIVATE KEY":
			// Name the block's type only when it is a well-known one, so
			// that no text of the input is ever echoed (SEC-1).
			what := "a PEM block of another type"
			if slices.Contains(knownPEMTypes, block.Type) {
				what = fmt.Sprintf("a PEM %q block", block.Type)
			}
			return nil, rule.Errorf("KEY-1", "the key is %s; want \"RSA PRIVATE KEY\" or \"PRIVATE KEY\" (the private key, which encrypts the disks' keys)", what)
		case len(block.Headers) > 0:
			return nil, rule.Errorf("KEY-1", "the key is an encrypted PEM block; give it decrypted")
		}
		der = block.Bytes
	} else {
		compact := strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
		var err error
		if der, err = base64.StdEncoding.DecodeString(compact); err != nil {
			return nil, rule.Errorf("KEY-1", "the key is neither PEM nor base64 DER; want an RSA private key in one of them")
		}
	}
	var key *rsa.PrivateKey
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		key = k
	} else if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, rule.Errorf("KEY-1", "the key is a %s key; want an RSA key", keyAlgorithm(k))
		}
		key = rk
	} else {
		return nil, rule.Errorf("KEY-1", "the key is not an RSA private key (PKCS #1 or PKCS #8); a public key or a certificate cannot be used")
	}
	switch bits := key.N.BitLen(); bits {
	case 2048, 3072, 4096:
		return key, nil
	default:
		return nil, rule.Errorf("KEY-1", "the RSA key is %d bits; want 2048, 3072 or 4096", bits)
	}
}

func keyAlgorithm(k any) string {
	switch fmt.Sprintf("%T", k) {
	case "*ecdsa.PrivateKey":
		return "ECDSA"
	case "ed25519.PrivateKey":
		return "Ed25519"
	case "*ecdh.PrivateKey":
		return "ECDH"
	}
	return "non-RSA"
}

// CustomerKey is a customer-managed key as the Tenant reports it. It
// never holds the key material (SEC-1). (Key is the provider's key vault
// key.)
type CustomerKey struct {
	Name         string
	Subscription string
	Region       network.Region
	// Source is how the current version was made: imported by the
	// customer, or generated by the key vault (rotations are).
	Source  KeySource
	Version string    // the current version, as the key vault names it
	Created time.Time // when the current version was made
	// RotationPeriod is how often the key is to be rotated (API-8), and
	// RotateBy when the current version is due.
	RotationPeriod time.Duration
	RotateBy       time.Time
	// RotationDue reports whether the key is past its rotation time
	// (KEY-2); Warnings then says so.
	RotationDue bool
	// Images names the imported images that use the key (KEY-2).
	Images   []string
	Warnings []network.Warning
}

// String returns `key "disk-key" (Citrix Managed, eastus, Imported,
// version 3f…)`.
func (k CustomerKey) String() string {
	return fmt.Sprintf("key %q (%s, %s, %s, version %s)", k.Name, k.Subscription, k.Region, k.Source, k.Version)
}

// cmKey is a customer-managed key (KEY-1) as the Tenant holds it; t.mu
// guards it.
type cmKey struct {
	name    string
	sub     string
	region  network.Region
	id      ResourceID
	source  KeySource
	version string
	created time.Time
	period  time.Duration
	busy    bool
	gone    bool
}

func (k *cmKey) object() string { return fmt.Sprintf("key %q", k.name) }

func keyMapKey(subscription, name string) string { return fold(subscription) + "\x00" + fold(name) }

// keyResourceName returns the vault and key names of a key: a vault per
// key's resource group, and the friendly name in the letters, digits and
// '-' a key vault key name allows.
func (t *Tenant) keyResourceName(name string) string {
	h := fnv.New32a()
	h.Write([]byte(t.id + "/" + name))
	vault := fmt.Sprintf("flexkv-%08x", h.Sum32())
	b := []byte(name)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b[i] = '-'
		}
	}
	kn := strings.Trim(string(b), "-")
	if kn == "" {
		kn = "key"
	}
	return vault + "/" + kn
}

// AddKey adds a customer-managed RSA key for VM disks to a subscription
// (KEY-1): imported when the spec gives one (it must parse as an RSA
// private key and match its confirmation), generated by the key vault
// otherwise (API-8). The key lives in a key vault of its own resource
// group in the subscription.
func (t *Tenant) AddKey(ctx context.Context, spec KeySpec) (CustomerKey, error) {
	const op = "AddKey"
	obj := fmt.Sprintf("key %q", spec.Name)
	if err := t.authorize(ctx, op, true); err != nil {
		return CustomerKey{}, err
	}
	if err := spec.Validate(); err != nil {
		return CustomerKey{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	period := spec.RotationPeriod
	if period == 0 {
		period = DefaultKeyRotation
	}
	t.mu.Lock()
	s, err := t.subscription(op, spec.Subscription)
	if err != nil {
		t.mu.Unlock()
		return CustomerKey{}, err
	}
	t.initConns()
	mk := keyMapKey(s.name, spec.Name)
	if o, ok := t.cmKeys[mk]; ok {
		t.mu.Unlock()
		return CustomerKey{}, Errorf(ErrConflict, op, obj, "KEY-1: subscription %q already has a key named %q; names are unique in a subscription, ignoring case", s.name, o.name)
	}
	group := t.groupName("key", spec.Name)
	k := &cmKey{name: spec.Name, sub: s.name, region: spec.Region, period: period, busy: true,
		id: ResourceID{Subscription: s.azureID, ResourceGroup: group, Type: TypeKey, Name: t.keyResourceName(spec.Name)}}
	t.cmKeys[mk] = k
	t.mu.Unlock()

	tags := t.tags("key/" + spec.Name)
	var got Resource
	_, err = t.netPut(ctx, &ResourceGroup{Meta: Meta{ID: GroupID(s.azureID, group), Region: spec.Region, Tags: tags}})
	if err == nil {
		got, err = t.netPut(ctx, &Key{Meta: Meta{ID: k.id, Region: spec.Region, Tags: tags}, Material: spec.Key})
	}
	var cerr error
	if err != nil {
		cerr = t.netDelete(context.WithoutCancel(ctx), GroupID(s.azureID, group))
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	k.busy = false
	if err != nil {
		if cerr == nil {
			k.gone = true
			delete(t.cmKeys, mk)
		}
		return CustomerKey{}, connErr(op, obj, err)
	}
	k.source = KeyGenerated
	if !spec.Key.IsZero() {
		k.source = KeyImported
	}
	if kr, ok := got.(*Key); ok {
		k.version, k.created = kr.Version, kr.Created
	}
	if k.created.IsZero() {
		k.created = t.now()
	}
	return t.keyView(k, t.now()), nil
}

// RotateKey makes a new version of a key through the key vault (KEY-2);
// its next rotation is due a rotation period later.
func (t *Tenant) RotateKey(ctx context.Context, subscription, name string) (CustomerKey, error) {
	const op = "RotateKey"
	if err := t.authorize(ctx, op, true); err != nil {
		return CustomerKey{}, err
	}
	t.mu.Lock()
	k, err := t.lookupKey(op, subscription, name)
	if err == nil && k.busy {
		err = Errorf(ErrBusy, op, k.object(), "another change of %s is under way; try again when it completes", k.object())
	}
	if err != nil {
		t.mu.Unlock()
		return CustomerKey{}, err
	}
	k.busy = true
	t.mu.Unlock()

	var nk Key
	rerr := t.call(ctx, "RotateKey", k.id, func(ctx context.Context) error {
		var err error
		nk, err = t.provider.RotateKey(ctx, k.id)
		return err
	})

	t.mu.Lock()
	defer t.mu.Unlock()
	k.busy = false
	if rerr != nil {
		return CustomerKey{}, connErr(op, k.object(), rerr)
	}
	k.version, k.created, k.source = nk.Version, nk.Created, KeyGenerated
	if k.created.IsZero() {
		k.created = t.now()
	}
	return t.keyView(k, t.now()), nil
}

// DeleteKey deletes a key and its key vault. It is refused while an
// imported image uses the key (KEY-2).
func (t *Tenant) DeleteKey(ctx context.Context, subscription, name string) error {
	const op = "DeleteKey"
	if err := t.authorize(ctx, op, true); err != nil {
		return err
	}
	t.mu.Lock()
	k, err := t.lookupKey(op, subscription, name)
	if err == nil && k.busy {
		err = Errorf(ErrBusy, op, k.object(), "another change of %s is under way; try again when it completes", k.object())
	}
	if err == nil {
		if imgs := t.imagesUsingKey(k.sub, k.name); len(imgs) > 0 {
			err = &Error{Kind: ErrPrecondition, Op: op, Object: k.object(), Err: rule.Errorf("KEY-2",
				"%s is used by %s; delete the imported images first", k.object(), strings.Join(imgs, ", "))}
		}
	}
	if err != nil {
		t.mu.Unlock()
		return err
	}
	k.busy = true
	t.mu.Unlock()

	derr := t.netDelete(ctx, k.id.Group())

	t.mu.Lock()
	defer t.mu.Unlock()
	k.busy = false
	if derr != nil {
		return connErr(op, k.object(), derr)
	}
	k.gone = true
	delete(t.cmKeys, keyMapKey(k.sub, k.name))
	return nil
}

// Keys lists the tenant's customer-managed keys by subscription and name,
// each with a KEY-2 warning once it is past its rotation time.
func (t *Tenant) Keys(ctx context.Context) ([]CustomerKey, error) {
	if err := t.authorize(ctx, "Keys", false); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	out := make([]CustomerKey, 0, len(t.cmKeys))
	for _, k := range t.cmKeys {
		if !k.gone {
			out = append(out, t.keyView(k, now))
		}
	}
	slices.SortFunc(out, func(a, b CustomerKey) int {
		return strings.Compare(keyMapKey(a.Subscription, a.Name), keyMapKey(b.Subscription, b.Name))
	})
	return out, nil
}

// dueKeys is RunDue's part for keys: a KEY-2 warning for every key past
// its rotation time at now. t.mu must not be held.
func (t *Tenant) dueKeys(ctx context.Context, now time.Time) ([]string, []network.Warning, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return nil, t.keyWarnings(now), nil
}

// keyWarnings returns a KEY-2 warning for every key past its rotation time
// at now. t.mu must be held.
func (t *Tenant) keyWarnings(now time.Time) []network.Warning {
	var ws []network.Warning
	for _, k := range t.cmKeys {
		if w, due := keyDue(k, now); due && !k.gone && !k.busy {
			ws = append(ws, w)
		}
	}
	slices.SortFunc(ws, func(a, b network.Warning) int { return strings.Compare(a.Msg, b.Msg) })
	return ws
}

// keyDue returns the KEY-2 warning of a key past its rotation time.
func keyDue(k *cmKey, now time.Time) (network.Warning, bool) {
	by := k.created.Add(k.period)
	if k.version == "" || now.Before(by) {
		return network.Warning{}, false
	}
	return network.Warning{ID: "KEY-2", Msg: fmt.Sprintf(
		"key %q of subscription %q is past its rotation time (%s, every %v); rotate it", k.name, k.sub, by.Format(time.RFC3339), k.period)}, true
}

// lookupKey returns the named key of the subscription or ErrNotFound.
// t.mu held.
func (t *Tenant) lookupKey(op, subscription, name string) (*cmKey, error) {
	t.initConns()
	k, ok := t.cmKeys[keyMapKey(subscription, name)]
	if !ok || k.gone {
		return nil, Errorf(ErrNotFound, op, fmt.Sprintf("key %q", name), "subscription %q has no key named %q", subscription, name)
	}
	return k, nil
}

// keyFor returns the key vault key of the subscription's key named name,
// for an imported image that is to use it (KEY-2): ErrNotFound when the
// subscription has none of that name, ErrBusy while it is being added or
// deleted. t.mu must be held.
func (t *Tenant) keyFor(op, subscription, name string) (ResourceID, error) {
	k, ok := t.cmKeys[keyMapKey(subscription, name)]
	if !ok || k.gone {
		return ResourceID{}, &Error{Kind: ErrNotFound, Op: op, Object: fmt.Sprintf("key %q", name), Err: rule.Errorf("KEY-2",
			"subscription %q has no key named %q; add it first", subscription, name)}
	}
	if k.busy {
		return ResourceID{}, Errorf(ErrBusy, op, k.object(), "%s is being changed; try again when it completes", k.object())
	}
	return k.id, nil
}

// keyView returns the value view of a key at now. t.mu held.
func (t *Tenant) keyView(k *cmKey, now time.Time) CustomerKey {
	v := CustomerKey{Name: k.name, Subscription: k.sub, Region: k.region, Source: k.source, Version: k.version,
		Created: k.created, RotationPeriod: k.period, RotateBy: k.created.Add(k.period),
		Images: slices.Clone(t.imagesUsingKey(k.sub, k.name))}
	if w, due := keyDue(k, now); due {
		v.RotationDue = true
		v.Warnings = []network.Warning{w}
	}
	return v
}

package flex

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
)

// SubscriptionSpec describes a DaaS Flex subscription to add: a Citrix
// managed Azure subscription dedicated to the tenant.
type SubscriptionSpec struct {
	// Name is unique in the tenant (SUB-1), 1–64 characters.
	Name string
	// AzureID is the Azure subscription's ID; the cloud resources of the
	// subscription's objects live there.
	AzureID string
}

// Subscription is a DaaS Flex subscription as the Tenant reports it.
type Subscription struct {
	Name    string
	AzureID string
	VDAs    int  // machines of every catalog in it (LIM-4)
	Near    bool // at or above LIM-5's share of LIM-4
}

type subscription struct {
	name    string
	azureID string
	// pending marks a subscription being added or removed: its name is
	// taken, but nothing may use it.
	pending bool
}

// Validate reports every problem of the spec at once.
func (s SubscriptionSpec) Validate() error {
	var l rule.List
	if n := len(s.Name); n < 1 || n > 64 || strings.TrimSpace(s.Name) != s.Name {
		l.Add("SUB-1", "subscription name %q: want 1–64 characters without leading or trailing spaces", s.Name)
	}
	if s.AzureID == "" || strings.ContainsAny(s.AzureID, "/ ") {
		l.Add("SUB-2", "subscription %q: Azure subscription ID %q: want a non-empty ID without '/' or spaces", s.Name, s.AzureID)
	}
	return l.Err()
}

// AddSubscription adds a DaaS Flex subscription to the tenant. Names are
// unique in the tenant (SUB-1), and so are Azure subscriptions: nothing is
// shared between two subscriptions (SUB-2).
func (t *Tenant) AddSubscription(ctx context.Context, spec SubscriptionSpec) (Subscription, error) {
	const op = "AddSubscription"
	obj := fmt.Sprintf("subscription %q", spec.Name)
	if err := t.authorize(ctx, op, true); err != nil {
		return Subscription{}, err
	}
	if err := spec.Validate(); err != nil {
		return Subscription{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	t.mu.Lock()
	if _, ok := t.subs[fold(spec.Name)]; ok {
		t.mu.Unlock()
		return Subscription{}, refuse(ErrConflict, op, obj, "SUB-1", "the tenant already has a subscription named %q; names are unique", spec.Name)
	}
	for _, s := range t.subs {
		if strings.EqualFold(s.azureID, spec.AzureID) {
			t.mu.Unlock()
			return Subscription{}, refuse(ErrConflict, op, obj, "SUB-2", "Azure subscription %s already backs subscription %q; nothing is shared between subscriptions", spec.AzureID, s.name)
		}
	}
	// Reserve the name while the cloud works, so that a concurrent call
	// with the same name or Azure ID conflicts.
	s := &subscription{name: spec.Name, azureID: spec.AzureID, pending: true}
	t.subs[fold(spec.Name)] = s
	t.mu.Unlock()

	// Azure requires a location for every resource group, even one that
	// only holds metadata; the subscription's group takes the first region.
	rg := &ResourceGroup{Meta: Meta{ID: GroupID(spec.AzureID, t.groupName("subscription", spec.Name)), Region: network.Regions()[0], Tags: t.tags("subscription/" + spec.Name)}}
	err := t.call(ctx, "Put", rg.ID, func(ctx context.Context) error {
		_, err := t.provider.Put(ctx, rg)
		return err
	})
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		delete(t.subs, fold(spec.Name))
		return Subscription{}, &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
	}
	s.pending = false
	return t.subscriptionView(s), nil
}

// RemoveSubscription removes a subscription that no catalog and no image
// uses (SUB-3); the last subscription cannot be removed (SUB-4).
func (t *Tenant) RemoveSubscription(ctx context.Context, name string) error {
	const op = "RemoveSubscription"
	obj := fmt.Sprintf("subscription %q", name)
	if err := t.authorize(ctx, op, true); err != nil {
		return err
	}
	t.mu.Lock()
	s, err := t.subscription(op, name)
	if err != nil {
		t.mu.Unlock()
		return err
	}
	live := 0
	for _, o := range t.subs {
		if !o.pending {
			live++
		}
	}
	if live == 1 {
		t.mu.Unlock()
		return refuse(ErrPrecondition, op, obj, "SUB-4", "%q is the tenant's last subscription; at least one must remain", s.name)
	}
	if users := t.subscriptionUsers(s.name); len(users) > 0 {
		t.mu.Unlock()
		return refuse(ErrPrecondition, op, obj, "SUB-3", "delete what uses it first: %s", strings.Join(users, ", "))
	}
	s.pending = true // removing: invisible to new users and to SUB-4's count
	t.mu.Unlock()

	rg := GroupID(s.azureID, t.groupName("subscription", s.name))
	err = t.call(ctx, "Delete", rg, func(ctx context.Context) error { return t.provider.Delete(ctx, rg) })
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		s.pending = false
		return &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
	}
	delete(t.subs, fold(s.name))
	return nil
}

// Subscriptions lists the tenant's subscriptions by name.
func (t *Tenant) Subscriptions(ctx context.Context) ([]Subscription, error) {
	if err := t.authorize(ctx, "Subscriptions", false); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Subscription, 0, len(t.subs))
	for _, s := range t.subs {
		if !s.pending {
			out = append(out, t.subscriptionView(s))
		}
	}
	slices.SortFunc(out, func(a, b Subscription) int { return strings.Compare(fold(a.Name), fold(b.Name)) })
	return out, nil
}

func (t *Tenant) subscriptionView(s *subscription) Subscription {
	return Subscription{Name: s.name, AzureID: s.azureID, VDAs: t.ledger.VDAs(s.name), Near: t.ledger.NearLimit(s.name)}
}

// subscription returns the named subscription or an ErrNotFound error for
// op. t.mu must be held.
func (t *Tenant) subscription(op, name string) (*subscription, error) {
	s, ok := t.subs[fold(name)]
	if !ok || s.pending {
		return nil, Errorf(ErrNotFound, op, fmt.Sprintf("subscription %q", name), "the tenant has no subscription named %q", name)
	}
	return s, nil
}

// subscriptionUsers names the catalogs and images that use the
// subscription (SUB-3). t.mu must be held.
func (t *Tenant) subscriptionUsers(name string) []string {
	var users []string
	// Each area of the Tenant adds the objects of its kind that use the
	// subscription here.
	for _, c := range t.catalogs {
		if strings.EqualFold(c.subscription, name) {
			users = append(users, fmt.Sprintf("catalog %q", c.name))
		}
	}
	users = append(users, t.imagesInSubscription(name)...)
	for _, c := range t.conns {
		if !c.managed && strings.EqualFold(c.sub, name) {
			users = append(users, fmt.Sprintf("connection %q", c.name))
		}
	}
	for _, k := range t.cmKeys {
		if strings.EqualFold(k.sub, name) {
			users = append(users, fmt.Sprintf("key %q", k.name))
		}
	}
	slices.Sort(users)
	return users
}

// tags returns the tags of a resource owned by the Flex object owner.
func (t *Tenant) tags(owner string) map[string]string {
	return map[string]string{TagTenant: t.id, TagOwner: owner}
}

// groupName returns the deterministic name of the resource group of a Flex
// object: "flex-<tenant>-<kind>-<name>", with characters Azure does not
// allow in resource group names replaced by '-'.
func (t *Tenant) groupName(kind, name string) string {
	s := "flex-" + t.id + "-" + kind + "-" + name
	b := []byte(s)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.()", c) >= 0
		if !ok {
			b[i] = '-'
		}
	}
	if len(b) > 90 {
		// Keep long names distinct: truncate and add a hash of the whole.
		h := fnv.New32a()
		h.Write([]byte(s))
		b = fmt.Appendf(b[:81], "-%08x", h.Sum32())
	}
	return strings.TrimRight(string(b), ".")
}

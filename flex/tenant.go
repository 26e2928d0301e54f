package flex

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/daasflex/daasflex/quota"
)

// Tenant is one customer's DaaS Flex control plane: it holds every Flex
// object of the tenant, enforces the rules that span objects, and creates
// and deletes cloud resources through its Provider. A Tenant is safe for
// concurrent use.
type Tenant struct {
	id       string
	provider Provider
	now      func() time.Time
	workers  int
	progress func(Progress)
	logger   *slog.Logger
	rnd      io.Reader
	wait     func(context.Context, time.Duration) error
	owner    Admin
	limits   quota.Limits
	ledger   *quota.Ledger
	// limitsErr is why WithLimits was refused; every call reports it.
	limitsErr error

	mu   sync.Mutex // guards the object maps below
	subs map[string]*subscription
	catalogState
	connState
	imaging     // images, bastions, RDP access and troubleshooting activities (t.mu)
	persistence // the key of saved state's secrets (state.go); set by options only
}

// Option configures a Tenant.
type Option func(*Tenant)

// WithID sets the tenant's ID, which tags every cloud resource it creates
// (SEC-2). The default is "default".
func WithID(id string) Option { return func(t *Tenant) { t.id = id } }

// WithClock sets the clock the Tenant reads for schedules and timeouts; the
// default is time.Now.
func WithClock(now func() time.Time) Option { return func(t *Tenant) { t.now = now } }

// WithWorkers bounds how many cloud operations long work runs at once
// (default 8).
func WithWorkers(n int) Option {
	return func(t *Tenant) {
		if n > 0 {
			t.workers = n
		}
	}
}

// WithProgress sets a function that long work (catalog provisioning, adding
// machines, image builds) calls as it advances. It is called from the
// goroutine doing the work, never concurrently.
func WithProgress(f func(Progress)) Option { return func(t *Tenant) { t.progress = f } }

// WithLogger sets the logger of cloud calls; the default discards.
func WithLogger(l *slog.Logger) Option { return func(t *Tenant) { t.logger = l } }

// WithRandom sets the source of randomness (the default naming scheme's
// random part, NAM-9), so that tests are deterministic. The default is
// crypto/rand.
func WithRandom(r io.Reader) Option { return func(t *Tenant) { t.rnd = r } }

// WithRetryWait sets how the Tenant waits between retries of throttled or
// transiently failing cloud calls: wait(ctx, d) returns after d, or with
// ctx's error when ctx ends first. The default waits on a real timer;
// tests on a manual clock can pass a function that advances the clock
// instead of sleeping.
func WithRetryWait(wait func(ctx context.Context, d time.Duration) error) Option {
	return func(t *Tenant) { t.wait = wait }
}

// WithOwner sets the administrator that acts when a call's context carries
// none (see AsAdmin). The default is a Cloud Administrator named "owner".
func WithOwner(a Admin) Option { return func(t *Tenant) { t.owner = a } }

// WithLimits replaces the service limits (LIM-9). Invalid limits make
// NewTenant fall back to the defaults and every call fail with ErrInvalid;
// check them first with Limits.Validate.
func WithLimits(l quota.Limits) Option { return func(t *Tenant) { t.limits = l } }

// Progress reports how far long work has come.
type Progress struct {
	Op     string // the operation, such as "CreateCatalog"
	Object string // the object, such as `catalog "Sales"`
	Phase  string // the current phase, such as "machines"
	Done   int    // units of the phase done
	Total  int    // units of the phase in all
}

// NewTenant returns a Tenant over the provider p.
func NewTenant(p Provider, opts ...Option) *Tenant {
	t := &Tenant{
		id:       "default",
		provider: p,
		now:      time.Now,
		workers:  8,
		logger:   slog.New(slog.DiscardHandler),
		rnd:      rand.Reader,
		owner:    Admin{Name: "owner", Role: CloudAdministrator},
		limits:   quota.DefaultLimits(),
		subs:     make(map[string]*subscription),
	}
	for _, o := range opts {
		o(t)
	}
	ledger, err := quota.NewLedger(t.limits)
	if err != nil {
		t.limitsErr = err
		ledger, _ = quota.NewLedger(quota.DefaultLimits())
	}
	t.ledger = ledger
	return t
}

// ID returns the tenant's ID.
func (t *Tenant) ID() string { return t.id }

// Limits returns the limits the Tenant enforces.
func (t *Tenant) Limits() quota.Limits { return t.limits }

// Usage returns the tenant's usage against its limits.
func (t *Tenant) Usage() quota.Usage { return t.ledger.Usage() }

// fold is the key of a case-insensitive name.
func fold(name string) string { return strings.ToLower(name) }

// authorize checks that the acting administrator may do op: write
// operations need full Flex access, reads need at least read access
// (ADM-1). It also refuses every call when the tenant's limits are invalid.
func (t *Tenant) authorize(ctx context.Context, op string, write bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.limitsErr != nil {
		return &Error{Kind: ErrInvalid, Op: op, Object: "tenant limits", Err: t.limitsErr}
	}
	a, ok := AdminFrom(ctx)
	if !ok {
		a = t.owner
	}
	need := ReadAccess
	if write {
		need = FullAccess
	}
	if FlexAccess(a.Role) < need {
		return refuse(ErrPrecondition, op, "administrator "+a.String(),
			"ADM-1", "a %s has %s access to Flex; %s needs %s", a.Role, FlexAccess(a.Role), op, need)
	}
	return nil
}

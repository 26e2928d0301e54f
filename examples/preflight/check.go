package main

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
)

// maxUserCount bounds a catalog's userCount. A count stands for that many
// unique users, which preflight makes up to run the catalog validation; the
// bound keeps that cheap and is four times the users one resource location
// serves under the documented limits (LIM-8: 25,000).
const maxUserCount = 100_000

// Sections order the findings: plan-wide settings first, then the objects in
// the order of the file.
const (
	secPlan = iota * 1_000_000
	secSubscription
	secNetwork
	secConnection
	secCatalog
)

// checker validates one decoded plan and gathers the report.
type checker struct {
	rep Report

	limits    quota.Limits
	pool      netip.Prefix // zero when the plan gives none or it cannot be read
	poolGiven bool         // the plan gives a pool

	subs     []*subObj
	subByKey map[string]*subObj
	nets     []*netObj
	netByKey map[string]*netObj
	conns    []*connObj
	connBy   map[string]*connObj // exact name
	connFold map[string]*connObj // name ignoring case
	cats     []*catObj
}

type subObj struct {
	name, azureID string
	order         int
}

type netObj struct {
	name   string
	ranges []netip.Prefix
}

// rangeReq is a range as the plan asks for it: a fixed prefix, or "any /N".
type rangeReq struct {
	any    bool
	bits   int
	prefix netip.Prefix
}

type connObj struct {
	idx, order int
	where      string
	name       string
	sub        *subObj // nil when the subscription is not declared
	kind       network.Kind
	kindOK     bool
	region     network.Region

	vda, gateway rangeReq // gateway only for VPN
	allocated    map[netip.Prefix]string

	// what the spec needs, resolved
	refs      map[string]bool // customer networks the connection names (by key)
	connected []netip.Prefix  // the customer's networks on the other side
	spec      network.Spec
	dec       rule.List // problems reading the connection
	cross     rule.List // problems with other objects of the plan
	skip      []string  // rules whose validation problems follow from a range that could not be read
	bad       bool      // the connection has problems
	// unresolved marks a connection with an "any /N" range that could not
	// be allocated: its address space is not known.
	unresolved bool
	internet   bool // an enabled route sends 0.0.0.0/0 to the Internet

	joined   bool // a domain-joined catalog uses it
	machines int  // machines of the catalogs on it
}

type catObj struct {
	idx, order int
	where      string
	spec       catalog.Spec
	sub        *subObj
	conn       *connObj
	users      int // unique users: listed, or counted
	machines   int
	location   string
	counted    bool      // reserved in the ledger
	skip       []string  // rules whose validation problems follow from a value that could not be read
	dec        rule.List // problems reading the catalog
	cross      rule.List // problems with other objects of the plan
}

// Finding is one problem or warning: the rule, where in the plan, what is
// wrong and how to fix it.
type Finding struct {
	Rule    string `json:"rule"`
	Where   string `json:"where"`
	Problem string `json:"problem"`
	Fix     string `json:"fix,omitempty"`
	order   int
}

// fold is the key of a name compared ignoring case.
func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// finding splits a message "problem; fix" into its parts, at the last "; "
// outside double quotes: the rule messages of the SDK end with what would be
// accepted.
func finding(order int, where, id, msg string) Finding {
	problem, fix := msg, ""
	quoted, cut := false, -1
	for i := 0; i < len(msg); i++ {
		switch {
		case msg[i] == '\\' && quoted:
			i++
		case msg[i] == '"':
			quoted = !quoted
		case !quoted && strings.HasPrefix(msg[i:], "; "):
			cut = i
		}
	}
	if cut >= 0 {
		problem, fix = msg[:cut], msg[cut+2:]
	}
	if fix == "" {
		fix = defaultFix(id)
	}
	return Finding{Rule: id, Where: where, Problem: problem, Fix: fix, order: order}
}

// defaultFix is the advice for a rule whose message states no fix.
func defaultFix(id string) string {
	switch id {
	case "LIM-1":
		return "use fewer Active Directory domains, or raise the limit with Citrix"
	case "LIM-3":
		return "let catalogs of one connection, region and domain share a resource location, or raise the limit with Citrix"
	case "LIM-2":
		return "plan fewer catalogs, or raise the limit with Citrix"
	case "LIM-4":
		return "move a catalog to another subscription or plan fewer machines"
	case "LIM-6":
		return "give each Active Directory domain its own resource location"
	case "LIM-7", "LIM-8":
		return "spread the catalogs over more resource locations"
	}
	return ""
}

func (c *checker) problem(order int, where, id, format string, args ...any) {
	c.rep.Problems = append(c.rep.Problems, finding(order, where, id, fmt.Sprintf(format, args...)))
}

// problems adds every violation of err, or err itself under rule id when it
// holds none. Violations whose rule is in skip are left out.
func (c *checker) problems(order int, where, id string, err error, skip []string) {
	if err == nil {
		return
	}
	vs := rule.Violations(err)
	if len(vs) == 0 {
		c.rep.Problems = append(c.rep.Problems, finding(order, where, id, err.Error()))
		return
	}
	for _, v := range vs {
		if !slices.Contains(skip, v.ID) {
			c.rep.Problems = append(c.rep.Problems, finding(order, where, v.ID, v.Msg))
		}
	}
}

func (c *checker) warn(order int, where, id, msg string) {
	c.rep.Warnings = append(c.rep.Warnings, finding(order, where, id, msg))
}

// flush reports the problems found reading an object, those it has with
// other objects, then those of its validation, leaving out validation
// problems under a rule the reading already reported: they are about the
// value that could not be read.
func (c *checker) flush(order int, where string, dec, cross *rule.List, val error, skip ...string) {
	read := dec.Err()
	c.problems(order, where, "", read, nil)
	c.problems(order, where, "", cross.Err(), nil)
	c.problems(order, where, "", val, append(rule.IDs(read), skip...))
}

// check validates p and returns the report, with the plan when there is no
// problem.
func check(p *planFile) Report {
	c := newChecker()
	c.run(p)
	rep := c.rep
	if !rep.OK {
		rep.Plan = nil
	}
	return rep
}

func newChecker() *checker {
	return &checker{
		rep:      Report{Problems: []Finding{}, Warnings: []Finding{}},
		subByKey: map[string]*subObj{},
		netByKey: map[string]*netObj{},
		connBy:   map[string]*connObj{},
		connFold: map[string]*connObj{},
	}
}

// run validates p. The plan is built even when there are problems.
func (c *checker) run(p *planFile) {
	c.readSettings(p)
	c.readSubscriptions(p.Subscriptions)
	c.readNetworks(p.CustomerNetworks)
	c.readConnections(p.Connections)
	c.allocate()
	c.validateConnections()
	ledger := c.checkCatalogs(p.Catalogs)
	c.checkAddresses()
	c.checkFirewalls()
	c.buildPlan(ledger)

	slices.SortStableFunc(c.rep.Problems, func(a, b Finding) int { return a.order - b.order })
	slices.SortStableFunc(c.rep.Warnings, func(a, b Finding) int { return a.order - b.order })
	c.rep.OK = len(c.rep.Problems) == 0
}

// readSettings reads the limits (LIM-9) and the address pool.
func (c *checker) readSettings(p *planFile) {
	c.limits = quota.DefaultLimits()
	if f := p.Limits; f != nil {
		l := c.limits
		for _, o := range []struct {
			v   *int
			dst *int
		}{
			{f.ADDomainsPerTenant, &l.ADDomainsPerTenant},
			{f.CatalogsPerTenant, &l.CatalogsPerTenant},
			{f.ResourceLocationsPerTenant, &l.ResourceLocationsPerTenant},
			{f.VDAsPerSubscription, &l.VDAsPerSubscription},
			{f.NearLimitPercent, &l.NearLimitPercent},
			{f.ADDomainsPerResourceLocation, &l.ADDomainsPerResourceLocation},
			{f.SingleSessionUsersPerResourceLocation, &l.SingleSessionUsersPerResourceLocation},
			{f.MultiSessionUsersPerResourceLocation, &l.MultiSessionUsersPerResourceLocation},
		} {
			if o.v != nil {
				*o.dst = *o.v
			}
		}
		if err := l.Validate(); err != nil {
			c.problems(secPlan, "limits", "LIM-9", err, nil)
		} else {
			c.limits = l
		}
	}
	if p.AddressPool != "" {
		c.poolGiven = true
		pool, err := ipam.ParsePrefix(p.AddressPool)
		switch {
		case err != nil:
			c.problem(secPlan, "addressPool", "NET-4", "address pool %q: %s", p.AddressPool, parseMsg(err))
		case !pool.Addr().Is4():
			c.problem(secPlan, "addressPool", "NET-4", "address pool %s is not IPv4; Flex ranges are IPv4, use a private IPv4 range such as 172.16.0.0/12", pool)
		default:
			c.pool = pool
		}
	}
}

// parseMsg is the message of an ipam or network parse error, without the
// package prefix.
func parseMsg(err error) string {
	var pe *ipam.ParseError
	if errors.As(err, &pe) {
		return pe.Msg
	}
	return strings.TrimPrefix(err.Error(), "network: ")
}

// readSubscriptions checks subscription names (SUB-1) and that no Azure
// subscription backs two of them (SUB-2).
func (c *checker) readSubscriptions(subs []subscriptionFile) {
	azure := map[string]int{}
	for i, s := range subs {
		order := secSubscription + i
		where := fmt.Sprintf("subscription %q", s.Name)
		if strings.TrimSpace(s.Name) == "" {
			where = fmt.Sprintf("subscription #%d", i+1)
			c.problem(order, where, "SUB-1", "subscription #%d has no name; give every subscription a unique name", i+1)
			continue
		}
		if prev, dup := c.subByKey[fold(s.Name)]; dup {
			c.problem(order, where, "SUB-1", "%q is already the name of subscription #%d %q (names compare ignoring case); subscription names are unique in a tenant, rename one", s.Name, prev.order-secSubscription+1, prev.name)
			continue
		}
		if id := fold(s.AzureID); id != "" {
			if j, dup := azure[id]; dup {
				c.problem(order, where, "SUB-2", "Azure subscription %s also backs subscription %q; nothing is shared between subscriptions, give each its own Azure subscription", s.AzureID, subs[j].Name)
			} else {
				azure[id] = i
			}
		}
		o := &subObj{name: s.Name, azureID: s.AzureID, order: order}
		c.subs = append(c.subs, o)
		c.subByKey[fold(s.Name)] = o
	}
}

// readNetworks reads the customer's networks. Their names are unique so that
// connections can name them.
func (c *checker) readNetworks(nets []networkFile) {
	for i, n := range nets {
		order := secNetwork + i
		where := fmt.Sprintf("customer network %q", n.Name)
		if strings.TrimSpace(n.Name) == "" {
			where = fmt.Sprintf("customer network #%d", i+1)
			c.problem(order, where, "NET-4", "customer network #%d has no name; name it so that connections and overlap reports can refer to it", i+1)
		}
		if _, dup := c.netByKey[fold(n.Name)]; dup && n.Name != "" {
			c.problem(order, where, "NET-4", "another customer network is also named %q; give each network its own name", n.Name)
			continue
		}
		if len(n.Ranges) == 0 {
			c.problem(order, where, "NET-4", "no address ranges; list the network's ranges in CIDR notation, such as 10.0.0.0/16")
		}
		o := &netObj{name: n.Name}
		for _, r := range n.Ranges {
			p, err := ipam.ParsePrefix(r)
			if err != nil {
				c.problem(order, where, "NET-4", "range %q: %s", r, parseMsg(err))
				continue
			}
			o.ranges = append(o.ranges, p)
		}
		if n.Name != "" {
			c.nets = append(c.nets, o)
			c.netByKey[fold(n.Name)] = o
		}
	}
}

// thousands writes n with comma thousands separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

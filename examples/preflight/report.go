package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"text/tabwriter"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/naming"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
)

// Report is what preflight prints: every problem and warning, and the plan
// when there is no problem. With -json it is printed as JSON.
type Report struct {
	File     string    `json:"file"`
	OK       bool      `json:"ok"`
	Problems []Finding `json:"problems"`
	Warnings []Finding `json:"warnings"`
	Plan     *Plan     `json:"plan,omitempty"`
	// Error is set, alone, when the plan cannot be read (exit status 2).
	Error string `json:"error,omitempty"`
}

// Plan is what a sound plan will create.
type Plan struct {
	Networks  []NetworkRow  `json:"customerNetworks"`
	Ranges    []RangeRow    `json:"ranges"`
	Routes    []RouteRow    `json:"routes"`
	Catalogs  []CatalogRow  `json:"catalogs"`
	Firewalls []FirewallRow `json:"firewalls"`
	Limits    []LimitRow    `json:"limits"`
}

// NetworkRow is one of the customer's networks.
type NetworkRow struct {
	Name   string   `json:"name"`
	Ranges []string `json:"ranges"`
}

// RangeRow is one Flex range of a connection.
type RangeRow struct {
	Subscription string `json:"subscription"`
	Connection   string `json:"connection"`
	Kind         string `json:"kind"`
	Region       string `json:"region"`
	Use          string `json:"use"`   // "Flex range", "VDA subnet", "gateway subnet"
	Range        string `json:"range"` // "" when Citrix chooses it at creation
	// Usable is how many addresses the range leaves for machines (NET-14).
	Usable int    `json:"usable"`
	Source string `json:"source"` // "fixed", "allocated from …", "chosen by Citrix"
}

// RouteRow is one custom route of a connection (NET-6), in entry order.
type RouteRow struct {
	Connection  string `json:"connection"`
	Name        string `json:"name"`
	Destination string `json:"destination"`
	NextHop     string `json:"nextHop"`
	NextHopIP   string `json:"nextHopIp,omitempty"`
	Enabled     bool   `json:"enabled"`
}

// CatalogRow is one catalog: its machines (CAT-2) and their names.
type CatalogRow struct {
	Name             string    `json:"name"`
	Subscription     string    `json:"subscription"`
	Connection       string    `json:"connection"` // "" for No connectivity
	Region           string    `json:"region"`
	Persona          string    `json:"persona"`
	MachineType      string    `json:"machineType"`
	Users            int       `json:"users"`
	UsersPerMachine  int       `json:"usersPerMachine"`
	Machines         int       `json:"machines"`
	Domain           string    `json:"domain"`
	ResourceLocation string    `json:"resourceLocation"`
	Image            string    `json:"image"`
	VMSize           string    `json:"vmSize"`
	Naming           NamingRow `json:"naming"`
}

// NamingRow is a catalog's naming scheme and the names it will use.
type NamingRow struct {
	Scheme    string `json:"scheme"`
	Wildcards string `json:"wildcards"`
	Default   bool   `json:"default"` // the default scheme (NAM-9)
	Capacity  int    `json:"capacity"`
	First     string `json:"first"`
	Last      string `json:"last"`
}

// FirewallRow is the NSG of one connection's managed VNet.
type FirewallRow struct {
	Subscription string    `json:"subscription"`
	Connection   string    `json:"connection"`
	Rule         string    `json:"rule"` // FW-1 or FW-2
	DomainJoined bool      `json:"domainJoined"`
	VNet         []string  `json:"vnet"`
	Rules        []RuleRow `json:"rules"`
}

// RuleRow is one NSG security rule.
type RuleRow struct {
	Priority         int    `json:"priority"`
	Direction        string `json:"direction"`
	Access           string `json:"access"`
	Protocol         string `json:"protocol"`
	Sources          string `json:"sources"`
	SourcePorts      string `json:"sourcePorts"`
	Destinations     string `json:"destinations"`
	DestinationPorts string `json:"destinationPorts"`
	Name             string `json:"name"`
}

// LimitRow is one limit's usage once the plan is created, and the headroom
// left.
type LimitRow struct {
	Rule  string `json:"rule"`
	Scope string `json:"scope"`
	Unit  string `json:"unit"`
	Used  int    `json:"used"`
	Limit int    `json:"limit"`
	// Free is how much more the tenant can take: for LIM-4 one less than
	// the limit minus the usage, since a subscription's VDAs stay below
	// the limit (the documentation refuses 5,000 of 5,000).
	Free int  `json:"free"`
	Near bool `json:"near,omitempty"` // LIM-5, VDAs of a subscription only
}

// buildPlan fills in the plan and the LIM-5 warnings.
func (c *checker) buildPlan(ledger *quota.Ledger) {
	p := &Plan{Networks: []NetworkRow{}, Ranges: []RangeRow{}, Routes: []RouteRow{}, Catalogs: []CatalogRow{}, Firewalls: []FirewallRow{}, Limits: []LimitRow{}}
	for _, n := range c.nets {
		p.Networks = append(p.Networks, NetworkRow{Name: n.name, Ranges: prefixStrings(n.ranges)})
	}
	for _, o := range c.conns {
		if o.spec == nil {
			continue
		}
		row := RangeRow{Connection: o.name, Kind: o.kind.DisplayName(), Region: string(o.region)}
		if o.sub != nil {
			row.Subscription = o.sub.name
		}
		add := func(use string, req rangeReq) {
			r := row
			r.Use, r.Source = use, "fixed"
			switch {
			case req.prefix.IsValid():
				r.Range = req.prefix.String()
				if use != "gateway subnet" { // machines never take its addresses
					r.Usable = ipam.Usable(req.prefix)
				}
				if src, ok := o.allocated[req.prefix]; ok {
					r.Source = src
				}
			default:
				r.Source = "chosen by Citrix at creation"
			}
			p.Ranges = append(p.Ranges, r)
		}
		switch o.kind {
		case network.KindAzureVpn:
			add("VDA subnet", o.vda)
			add("gateway subnet", o.gateway)
		case network.KindVWanConnection:
			add("IPv4 range", o.vda)
		default:
			add("Flex range", o.vda)
		}
		for _, r := range o.routes() {
			row := RouteRow{Connection: o.name, Name: r.Name, Destination: r.Destination.String(), NextHop: r.NextHop.DisplayName(), Enabled: r.Enabled}
			if r.NextHopIP.IsValid() {
				row.NextHopIP = r.NextHopIP.String()
			}
			p.Routes = append(p.Routes, row)
		}
		if ranges := o.machineRanges(); len(ranges) > 0 {
			fw := FirewallRow{Subscription: row.Subscription, Connection: o.name, Rule: "FW-1", DomainJoined: o.joined, VNet: prefixStrings(ranges), Rules: []RuleRow{}}
			if o.joined {
				fw.Rule = "FW-2"
			}
			for _, r := range network.SecurityRules(o.policy()) {
				fw.Rules = append(fw.Rules, RuleRow{Priority: r.Priority, Direction: r.Direction.String(), Access: r.Access.String(),
					Protocol: r.Protocol.String(), Sources: join(r.Sources), SourcePorts: join(r.SourcePorts),
					Destinations: join(r.Destinations), DestinationPorts: join(r.DestinationPorts), Name: r.Name})
			}
			p.Firewalls = append(p.Firewalls, fw)
		}
	}
	for _, o := range c.cats {
		s := o.spec
		facts := s.Region
		if o.conn != nil {
			facts = o.conn.region
		}
		row := CatalogRow{Name: s.Name, Subscription: s.Subscription, Connection: s.Connection, Region: string(facts),
			Persona: s.Persona.Name, MachineType: s.MachineType.String(), Users: o.users, UsersPerMachine: s.Persona.UsersPerMachine,
			Machines: o.machines, Domain: s.Domain.String(), ResourceLocation: o.location, Image: s.Image.Name, VMSize: s.Sizes().String()}
		if s.Domain.Joined() {
			row.Domain += " " + s.AD.Domain
		}
		if row.VMSize == "" {
			row.VMSize = "service's choice"
		}
		var sch naming.Scheme
		var err error
		if s.NamingScheme == "" {
			sch, err = defaultScheme(s.Name, o.location)
			row.Naming.Default = true
		} else {
			sch, err = naming.Parse(s.NamingScheme, s.WildcardKind)
		}
		if err == nil {
			row.Naming.Scheme, row.Naming.Wildcards, row.Naming.Capacity = sch.String(), sch.Kind().String(), sch.Capacity()
			if o.machines > 0 {
				row.Naming.First, _ = sch.Name(1)
				row.Naming.Last, _ = sch.Name(o.machines)
			}
		}
		p.Catalogs = append(p.Catalogs, row)
	}

	u := ledger.Usage()
	count := func(rule, scope, unit string, n quota.Count) LimitRow {
		return LimitRow{Rule: rule, Scope: scope, Unit: unit, Used: n.InUse + n.Reserved, Limit: n.Limit, Free: n.Free()}
	}
	p.Limits = append(p.Limits,
		count("LIM-1", "tenant", "Active Directory domains", u.ADDomains),
		count("LIM-2", "tenant", "catalogs", u.Catalogs),
		count("LIM-3", "tenant", "resource locations", u.ResourceLocations))
	for _, s := range c.subs {
		row := LimitRow{Rule: "LIM-4", Scope: "subscription " + s.name, Unit: "VDAs", Limit: u.Limits.VDAsPerSubscription,
			Free: quota.Count{Rule: "LIM-4", Limit: u.Limits.VDAsPerSubscription}.Free()}
		for _, su := range u.Subscriptions {
			if su.Name == s.name {
				row = count("LIM-4", row.Scope, row.Unit, su.VDAs)
				row.Near = su.Near
			}
		}
		if row.Near {
			c.warn(s.order, fmt.Sprintf("subscription %q", s.name), "LIM-5",
				fmt.Sprintf("the plan puts %s VDAs in it, %d%% of the limit of %s, so it is near its limit; keep room for growth in another subscription",
					thousands(row.Used), row.Used*100/row.Limit, thousands(row.Limit)))
		}
		p.Limits = append(p.Limits, row)
	}
	for _, l := range u.Locations {
		scope := "resource location " + l.Name
		p.Limits = append(p.Limits,
			count("LIM-6", scope, "Active Directory domains", l.ADDomains),
			count("LIM-7", scope, "single-session users", l.SingleSessionUsers),
			count("LIM-8", scope, "multi-session users", l.MultiSessionUsers))
	}
	c.rep.Plan = p
}

func prefixStrings(ps []netip.Prefix) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func join[T fmt.Stringer](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = x.String()
	}
	return strings.Join(s, ",")
}

// writeJSON prints the report as indented JSON.
func writeJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeText prints the report as aligned tables.
func writeText(w io.Writer, r Report) error {
	ew := &errWriter{w: w}
	plural := func(n int, word string) string {
		if n == 1 {
			return "1 " + word
		}
		return fmt.Sprintf("%d %ss", n, word)
	}
	if r.OK {
		fmt.Fprintf(ew, "preflight: %s: no problems, %s; the plan follows\n", r.File, plural(len(r.Warnings), "warning"))
	} else {
		fmt.Fprintf(ew, "preflight: %s: %s, %s; fix the problems and run preflight again\n", r.File, plural(len(r.Problems), "problem"), plural(len(r.Warnings), "warning"))
		section(ew, "Problems", findingRows(r.Problems, "PROBLEM — FIX"))
	}
	section(ew, "Warnings", findingRows(r.Warnings, "WARNING — ADVICE"))
	if p := r.Plan; p != nil {
		writePlan(ew, p)
	}
	return ew.err
}

func findingRows(fs []Finding, head string) [][]string {
	if len(fs) == 0 {
		return nil
	}
	rows := [][]string{{"RULE", "WHERE", head}}
	for _, f := range fs {
		text := f.Problem
		if f.Fix != "" {
			text += " — " + f.Fix
		}
		rows = append(rows, []string{f.Rule, f.Where, text})
	}
	return rows
}

func writePlan(w io.Writer, p *Plan) {
	rows := [][]string{{"NETWORK", "RANGES"}}
	for _, n := range p.Networks {
		rows = append(rows, []string{n.Name, strings.Join(n.Ranges, ", ")})
	}
	if len(p.Networks) > 0 {
		section(w, "Customer networks", rows)
	}

	rows = [][]string{{"SUBSCRIPTION", "CONNECTION", "KIND", "REGION", "USE", "RANGE", "FOR MACHINES", "SOURCE"}}
	for _, r := range p.Ranges {
		usable := "—"
		if r.Range != "" && r.Use != "gateway subnet" {
			usable = thousands(r.Usable)
		}
		rows = append(rows, []string{r.Subscription, r.Connection, r.Kind, r.Region, r.Use, dash(r.Range), usable, r.Source})
	}
	if len(p.Ranges) > 0 {
		section(w, "Address ranges (NET-4, NET-5, NET-14)", rows)
	}

	rows = [][]string{{"CONNECTION", "ROUTE", "DESTINATION", "NEXT HOP", "NEXT HOP IP", "STATE"}}
	for _, r := range p.Routes {
		state := "enabled"
		if !r.Enabled {
			state = "disabled"
		}
		rows = append(rows, []string{r.Connection, r.Name, r.Destination, r.NextHop, dash(r.NextHopIP), state})
	}
	if len(p.Routes) > 0 {
		section(w, "Custom routes (NET-6), in entry order", rows)
	}

	rows = [][]string{{"CATALOG", "SUBSCRIPTION", "CONNECTION", "REGION", "PERSONA", "TYPE", "USERS", "PER MACHINE", "MACHINES", "DOMAIN", "IMAGE", "VM SIZE"}}
	for _, c := range p.Catalogs {
		conn := c.Connection
		if conn == "" {
			conn = "No connectivity"
		}
		rows = append(rows, []string{c.Name, c.Subscription, conn, c.Region, c.Persona, c.MachineType,
			thousands(c.Users), thousands(c.UsersPerMachine), thousands(c.Machines), c.Domain, c.Image, c.VMSize})
	}
	if len(p.Catalogs) > 0 {
		section(w, "Machines per catalog (CAT-1, CAT-2)", rows)
	}

	rows = [][]string{{"CATALOG", "SCHEME", "WILDCARDS", "CAN NAME", "FIRST", "LAST"}}
	note := false
	for _, c := range p.Catalogs {
		scheme := c.Naming.Scheme
		if c.Naming.Default {
			scheme += " (default*)"
			note = true
		}
		rows = append(rows, []string{c.Name, scheme, c.Naming.Wildcards, thousands(c.Naming.Capacity), c.Naming.First, c.Naming.Last})
	}
	if len(p.Catalogs) > 0 {
		section(w, "Machine names (NAM-1…NAM-9)", rows)
		if note {
			fmt.Fprintln(w, "* the default scheme's two random characters are drawn when the catalog is created (NAM-9)")
		}
	}

	if len(p.Firewalls) > 0 {
		fmt.Fprintf(w, "\nFirewall rules (FW-1, FW-2; Azure's default rules AZ-2 follow at 65000–65500)\n")
	}
	for _, f := range p.Firewalls {
		what := "no domain-joined catalog: deny all inbound, allow all outbound"
		if f.DomainJoined {
			what = "domain-joined catalogs: Citrix ports inside the VNet, shadowing from your networks"
		}
		fmt.Fprintf(w, "\nconnection %q, VNet %s — %s, %s\n", f.Connection, strings.Join(f.VNet, ", "), f.Rule, what)
		rows = [][]string{{"PRIORITY", "DIRECTION", "ACCESS", "PROTOCOL", "SOURCE", "DESTINATION", "PORTS", "NAME"}}
		for _, r := range f.Rules {
			rows = append(rows, []string{fmt.Sprint(r.Priority), r.Direction, r.Access, r.Protocol, r.Sources, r.Destinations, r.DestinationPorts, r.Name})
		}
		table(w, rows)
	}

	rows = [][]string{{"RULE", "SCOPE", "UNIT", "PLANNED", "LIMIT", "HEADROOM", ""}}
	for _, l := range p.Limits {
		flag := ""
		if l.Near {
			flag = "near limit (LIM-5)"
		}
		rows = append(rows, []string{l.Rule, l.Scope, l.Unit, thousands(l.Used), thousands(l.Limit), thousands(l.Free), flag})
	}
	section(w, "Limits (LIM-1…LIM-8)", rows)
	fmt.Fprintln(w, "A subscription's VDAs stay below LIM-4's limit, so its headroom is one less than the difference.")
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// section prints a titled table, or nothing when it has no rows.
func section(w io.Writer, title string, rows [][]string) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s\n", title)
	table(w, rows)
}

// table prints rows as columns separated by two spaces; the last column
// is not padded.
func table(w io.Writer, rows [][]string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ", "\v", " ", "\f", " ")
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = clean.Replace(c)
		}
		fmt.Fprintln(tw, strings.TrimRight(strings.Join(cells, "\t"), "\t"))
	}
	tw.Flush()
}

// errWriter remembers the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

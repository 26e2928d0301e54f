package main

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/naming"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
	"github.com/daasflex/daasflex/rule"
)

// checkCatalogs reads and validates every catalog, checks the rules between
// catalogs and the objects they name, and reserves what each needs in a
// ledger of the plan's limits.
func (c *checker) checkCatalogs(cats []catalogFile) *quota.Ledger {
	ledger, err := quota.NewLedger(c.limits)
	if err != nil { // readSettings keeps only valid limits
		ledger, _ = quota.NewLedger(quota.DefaultLimits())
	}
	seen := map[string]*catObj{}
	type home struct {
		name   string // as the first catalog spells it
		conn   *connObj
		region network.Region
		first  string
	}
	locations := map[string]home{}
	counted := map[string]bool{} // resource locations in the ledger
	for i, f := range cats {
		o := &catObj{idx: i, order: secCatalog + i}
		o.where = fmt.Sprintf("catalog %q", f.Name)
		if f.Name == "" {
			o.where = fmt.Sprintf("catalog #%d", i+1)
		}
		c.cats = append(c.cats, o)
		c.readCatalog(o, f)

		// Cross-object rules.
		l := &o.cross
		unique := true
		if f.Name != "" {
			if prev, dup := seen[fold(f.Name)]; dup {
				unique = false
				l.Add("CAT-5", "%q is already the name of catalog #%d %q (names compare ignoring case); catalog names are unique in a tenant, rename one", f.Name, prev.idx+1, prev.spec.Name)
			} else {
				seen[fold(f.Name)] = o
			}
		}
		facts := catalog.Connection{}
		var skip []string
		if f.Connection != "" {
			conn, ok := c.connBy[f.Connection]
			switch {
			case ok && conn.kindOK:
				o.conn = conn
				facts = catalog.Connection{Name: f.Connection, Kind: conn.kind, Region: conn.region, HasInternetRoute: conn.internet, Usable: true}
				if !conn.region.IsValid() {
					skip = append(skip, "REG-1") // reported on the connection
				}
				if o.sub != nil && conn.sub != nil && o.sub != conn.sub {
					l.Add("SUB-2", "connection %q belongs to subscription %q, the catalog to %q; nothing is shared between subscriptions, use a connection of %q", f.Connection, conn.sub.name, o.sub.name, o.sub.name)
				}
			default:
				if !ok {
					hint := "declare it under connections or fix the name"
					if near, found := c.connFold[fold(f.Connection)]; found {
						hint = fmt.Sprintf("did you mean %q?", near.name)
					}
					l.Add("NET-2", "connection %q is not in the plan; a catalog's connection must exist before the catalog, %s", f.Connection, hint)
				}
				// Validate the rest of the catalog as if its connection
				// were usable: the connection's problem is reported once.
				region := o.spec.Region
				if !region.IsValid() {
					region = network.Regions()[0]
				}
				facts = catalog.Connection{Name: f.Connection, Kind: network.KindVnetPeering, Region: region, HasInternetRoute: true, Usable: true}
				skip = []string{"NET-2", "REG-1", "REG-2"}
			}
		}
		warns, val := o.spec.Validate(facts)
		for _, w := range warns {
			c.warn(o.order, o.where, w.ID, w.Msg)
		}

		// Resource locations serve one connection and region (RL-1).
		region := o.spec.EffectiveRegion(facts)
		o.location = o.spec.ResourceLocation
		if o.location == "" {
			o.location = autoLocation(f.Connection, region)
		}
		if f.Connection != "" && o.conn == nil {
			// The connection is missing or unreadable: where the
			// catalog's machines go is not known.
		} else if h, ok := locations[fold(o.location)]; !ok {
			locations[fold(o.location)] = home{o.location, o.conn, region, o.where}
		} else if o.location = h.name; o.spec.ResourceLocation != "" && (h.conn != o.conn || h.region != region) {
			l.Add("RL-1", "resource location %q already serves %s in %s (%s), this catalog is on %s in %s; a resource location serves one connection and region, name another one",
				o.spec.ResourceLocation, connLabel(h.conn), h.region, h.first, connLabel(o.conn), region)
		}

		c.flush(o.order, o.where, &o.dec, &o.cross, val, append(skip, o.skip...)...)

		// Limits (LIM-*): reserve what the catalog needs.
		if n, err := o.spec.Persona.Machines(o.users); err == nil && o.spec.Persona.Validate() == nil {
			o.machines = n
			if o.conn != nil {
				o.conn.machines += n
				o.conn.joined = o.conn.joined || o.spec.Domain.Joined()
			}
		}
		if !unique || f.Name == "" || o.sub == nil || o.machines == 0 {
			continue
		}
		ch := quota.Change{Subscription: o.sub.name, Catalog: f.Name, ResourceLocation: o.location, Catalogs: 1, VDAs: o.machines}
		if !counted[o.location] {
			ch.ResourceLocations = 1
		}
		if o.spec.Domain.Joined() && o.spec.AD.Domain != "" {
			ch.Domain, ch.DomainRefs = strings.ToLower(o.spec.AD.Domain), 1
		}
		if o.spec.Persona.Session == quota.MultiSession {
			ch.MultiSessionUsers = o.users
		} else {
			ch.SingleSessionUsers = o.users
		}
		r, err := ledger.Reserve(ch)
		if err != nil {
			c.problems(o.order, o.where, "LIM-9", err, nil)
			continue
		}
		if err := r.Commit(); err != nil {
			c.problems(o.order, o.where, "LIM-9", err, nil)
			continue
		}
		o.counted = true
		counted[o.location] = true
	}
	return ledger
}

func connLabel(o *connObj) string {
	if o == nil {
		return "No connectivity"
	}
	return fmt.Sprintf("connection %q", o.name)
}

// autoLocation names the resource location a non-domain-joined catalog
// gets automatically (RL-1): one per connection, or per region with No
// connectivity.
func autoLocation(conn string, region network.Region) string {
	if conn != "" {
		return conn + " (automatic)"
	}
	return string(region) + " (automatic)"
}

// readCatalog reads a catalog into a catalog.Spec, reporting values it
// cannot read in o.dec.
func (c *checker) readCatalog(o *catObj, f catalogFile) {
	l := &o.dec
	s := catalog.Spec{Name: f.Name, Subscription: f.Subscription, Connection: f.Connection, Intune: f.Intune,
		NamingScheme: f.NamingScheme, ResourceLocation: f.ResourceLocation, GatewayFQDN: f.GatewayFQDN,
		VMSize: f.VMSize, BackupVMSize: f.BackupVMSize, SecureBoot: f.SecureBoot}
	if f.Subscription != "" {
		if sub, ok := c.subByKey[fold(f.Subscription)]; ok {
			o.sub = sub
			s.Subscription = sub.name
		} else {
			l.Add("SUB-2", "subscription %q is not declared; declare it under subscriptions or name one of the plan's", f.Subscription)
		}
	}

	// Persona and machine type (CAT-1).
	switch {
	case f.CustomPersona != nil:
		if f.Persona != "" {
			l.Add("CAT-1", "both persona %q and a custom persona are given; keep one", f.Persona)
		}
		cp := f.CustomPersona
		session, err := quota.ParseSessionType(cp.Session)
		if err != nil {
			l.Add("CAT-1", "custom persona %q: session %q is not a session type; want single-session or multi-session", cp.Name, cp.Session)
		}
		s.Persona = quota.Persona{Name: cp.Name, Session: session, VCPUs: cp.VCPUs, MemoryGiB: cp.MemoryGiB,
			UsersPerMachine: cp.UsersPerMachine, VMSize: cp.VMSize, Custom: true}
	default:
		if p, ok := quota.PersonaByName(f.Persona); ok {
			s.Persona = p
		} else {
			s.Persona = quota.Persona{Name: f.Persona} // validation names the built-in personas
		}
	}
	if mt, err := quota.ParseMachineType(f.MachineType); err != nil {
		l.Add("CAT-1", "machine type %q is not one; want static, random or multi-session", f.MachineType)
	} else {
		s.MachineType = mt
	}

	// Users (CAT-2): a list, or a count that stands for as many users.
	switch {
	case len(f.Users) > 0 && f.UserCount != 0:
		l.Add("CAT-2", "both users and userCount are given; list the users or give their number, not both")
		s.Users, o.users = f.Users, len(f.Users)
	case f.UserCount < 0 || f.UserCount > maxUserCount:
		l.Add("CAT-2", "userCount %s is out of range; want 1 to %s unique users", thousands(f.UserCount), thousands(maxUserCount))
	case f.UserCount > c.limits.SingleSessionUsersPerResourceLocation && f.UserCount > c.limits.MultiSessionUsersPerResourceLocation:
		// More users than a resource location serves: the ledger refuses
		// the catalog (LIM-7, LIM-8). One stand-in user lets the rest of
		// the catalog be validated; whether its scheme could name all the
		// machines (NAM-8) is moot.
		s.Users, o.users = standIns(1), f.UserCount
		o.skip = append(o.skip, "NAM-8")
	case f.UserCount > 0:
		s.Users, o.users = standIns(f.UserCount), f.UserCount
	default:
		s.Users, o.users = f.Users, len(f.Users)
	}

	// Naming (NAM-7): digits unless the plan says letters.
	if f.Wildcards != "" {
		k, err := naming.ParseWildcardKind(f.Wildcards)
		if err != nil {
			l.Add("NAM-7", "wildcards %q are neither Digits nor Letters; want one of them", f.Wildcards)
		}
		s.WildcardKind = k
	}

	s.Region = ""
	if f.Region != "" {
		s.Region = readRegion(f.Region)
	}

	// Domain (IDN-1, IDN-4).
	if d, err := image.ParseDomainType(f.Domain.Type); err != nil {
		l.Add("IDN-1", "domain type %q is not one; want non-domain-joined, Active Directory or Entra hybrid joined", f.Domain.Type)
		o.skip = append(o.skip, "IDN-3", "IDN-4") // they depend on the domain type
	} else {
		s.Domain = d
	}
	s.AD = image.ADConfig{Domain: f.Domain.FQDN, OU: f.Domain.OU, ServiceAccount: f.Domain.ServiceAccount, Password: f.Domain.Password.v}

	// Connectivity (CAT-3): Gateway service unless the plan says otherwise.
	s.Connectivity = catalog.GatewayService
	if f.Connectivity != "" {
		ct, err := catalog.ParseConnectivityType(f.Connectivity)
		if err != nil {
			l.Add("CAT-3", "connectivity %q is not a connectivity type; want Gateway service, NetScaler Gateway or Direct", f.Connectivity)
		}
		s.Connectivity = ct
	}

	// Image (IMG-8) and licenses (LIC-1).
	if f.Image != "" {
		img, ok := image.LookupPrepared(f.Image)
		if !ok {
			l.Add("IMG-8", "image %q is not a prepared image; a plan uses one of %s", f.Image, preparedNames())
		}
		s.Image = img
	}
	for _, t := range f.Licenses {
		lic, err := image.ParseLicense(t)
		if err != nil {
			l.Add("LIC-1", "license %q is not one; want one of %s", t, licenseNames())
			continue
		}
		s.Licenses = append(s.Licenses, lic)
	}

	// Schedule (CAT-4).
	s.Schedule.TimeZone = f.Schedule.TimeZone
	if a := f.Schedule.Autoscale; a != nil {
		s.Schedule.Autoscale = readAutoscale(l, a)
	}
	o.spec = s
}

// standIns returns n made-up unique users, standing in for a userCount.
// They share one string, so n users cost two allocations.
func standIns(n int) []string {
	const prefix, suffix = "planned-user-", "@preflight.invalid"
	var b strings.Builder
	b.Grow(n * (len(prefix) + len(suffix) + len(strconv.Itoa(n))))
	users := make([]string, n)
	var num [20]byte
	for i := range users {
		b.WriteString(prefix)
		b.Write(strconv.AppendInt(num[:0], int64(i+1), 10))
		b.WriteString(suffix)
	}
	all, start := b.String(), 0
	for i := range users {
		end := start + len(prefix) + len(suffix) + len(strconv.AppendInt(num[:0], int64(i+1), 10))
		users[i], start = all[start:end], end
	}
	return users
}

// readAutoscale reads custom autoscale settings (CAT-4).
func readAutoscale(l *rule.List, a *autoscaleFile) catalog.Autoscale {
	out := catalog.Autoscale{Custom: true}
	for _, d := range a.PeakDays {
		wd, ok := weekday(d)
		if !ok {
			l.Add("CAT-4", "peak day %q is not a day of the week; want Mon … Sun or Monday … Sunday", d)
			continue
		}
		out.PeakDays |= catalog.WeekdaysOf(wd)
	}
	tod := func(what, text string) catalog.TimeOfDay {
		t, err := catalog.ParseTimeOfDay(text)
		if err != nil {
			l.Add("CAT-4", "%s %q is not a time of day; want HH:MM on a 24-hour clock, such as 08:00", what, text)
		}
		return t
	}
	out.PeakStart = tod("peak start", a.PeakStart)
	out.PeakEnd = tod("peak end", a.PeakEnd)
	dur := func(what, text string) time.Duration {
		d, err := time.ParseDuration(text)
		if err != nil {
			l.Add("CAT-4", "%s %q is not a duration; want whole minutes such as 15m or 1h30m", what, text)
		}
		return d
	}
	out.DisconnectTimeout = dur("disconnect timeout", a.DisconnectTimeout)
	out.PowerOffDelay = dur("power-off delay", a.PowerOffDelay)
	switch strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(a.OffPolicy, " ", ""), "-", "")) {
	case "shutdown":
		out.OffPolicy = catalog.ShutDown
	case "hibernate":
		out.OffPolicy = catalog.Hibernate
	default:
		l.Add("CAT-4", "power-off policy %q is not one; want \"shut down\" or \"hibernate\"", a.OffPolicy)
	}
	return out
}

func weekday(s string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(s, d.String()) || strings.EqualFold(s, d.String()[:3]) {
			return d, true
		}
	}
	return 0, false
}

func preparedNames() string {
	var names []string
	for _, img := range image.Prepared() {
		names = append(names, strconv.Quote(img.Name))
	}
	return strings.Join(names, ", ")
}

func licenseNames() string {
	var names []string
	for _, l := range image.QualifyingLicenses() {
		names = append(names, l.String())
	}
	return strings.Join(names, ", ")
}

// defaultScheme returns the scheme a catalog without one gets (NAM-9): its
// resource-location prefix from the location's (or region's) letters and
// digits, and the two random characters drawn from a generator seeded with
// the catalog's name, so the plan is the same on every run. The service
// draws its own at creation.
func defaultScheme(catalogName, location string) (naming.Scheme, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(location) {
		if b.Len() == naming.LocationPrefixLen {
			break
		}
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	for b.Len() < naming.LocationPrefixLen {
		b.WriteByte('X')
	}
	return naming.Default(b.String(), rand.NewChaCha8(sha256.Sum256([]byte(catalogName))))
}

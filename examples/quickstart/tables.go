package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/quota"
)

// tablesHeading starts the final tables.
const tablesHeading = "What the journey built, before the clean-up"

// drawTables draws the final tables into j.tables while the deployment
// stands: connections, catalogs, the NSG rules in force on the Task worker
// catalog's subnets, and the quota used.
func (j *journey) drawTables() (string, error) {
	w := &j.tables
	fmt.Fprintf(w, "\n%s\n%s\n", tablesHeading, strings.Repeat("=", len(tablesHeading)))
	for _, draw := range []func(io.Writer) error{j.connectionsTable, j.catalogsTable, j.rulesTable, j.quotaTable} {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		if err := draw(tw); err != nil {
			return "", err
		}
		if err := tw.Flush(); err != nil {
			return "", err
		}
	}
	return "", nil
}

func (j *journey) connectionsTable(w io.Writer) error {
	cs, err := j.tn.Connections(j.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Connections")
	fmt.Fprintln(w, "NAME\tKIND\tREGION\tADDRESS RANGES\tUSABLE ADDRESSES\tCATALOGS\tMACHINES\tIMAGE BUILDS\tBASTIONS")
	for _, c := range cs {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%d\n", c.Name, c.Kind, c.Region, prefixes(c.Ranges),
			thousands(c.UsableAddresses), c.Usage.Catalogs, thousands(c.Usage.Machines), c.Usage.Images, c.Usage.Bastions)
	}
	return nil
}

func (j *journey) catalogsTable(w io.Writer) error {
	cs, err := j.tn.Catalogs(j.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Catalogs")
	fmt.Fprintln(w, "NAME\tPERSONA\tUSERS/MACHINE\tMACHINE TYPE\tDOMAIN\tUSERS\tMACHINES\tPOWERED ON\tIMAGE\tRESOURCE LOCATION\tSTATE")
	for _, c := range cs {
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Name, c.Persona.Name, c.Persona.UsersPerMachine,
			c.MachineType, c.Domain, thousands(c.Users), thousands(c.Summary.Total), thousands(c.Summary.PoweredOn),
			c.Image, c.ResourceLocation, c.State)
	}
	return nil
}

// rulesTable lists the rules of the NSGs on the Task worker catalog's
// subnets as the cloud holds them, with Azure's default rules, which apply
// below them, in the order Azure evaluates them. Subnets whose NSGs hold
// the same rules share a table.
func (j *journey) rulesTable(w io.Writer) error {
	subnets, nsgs, err := j.catalogSubnets(salesName)
	if err != nil {
		return err
	}
	var tables []string // rules, as printed
	var names [][]string
	for i, nsg := range nsgs {
		var b strings.Builder
		rules := append(nsg.Rules, network.DefaultRules()...)
		slices.SortStableFunc(rules, func(a, b network.SecurityRule) int {
			return cmp.Or(cmp.Compare(a.Direction.String(), b.Direction.String()), cmp.Compare(a.Priority, b.Priority))
		})
		for _, r := range rules {
			by := "Flex"
			if !r.Managed {
				by = "Azure default"
			}
			fmt.Fprintf(&b, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Direction, r.Priority, r.Name, r.Access, r.Protocol,
				join(r.Sources), join(r.Destinations), join(r.DestinationPorts), by)
		}
		name := fmt.Sprintf("%s (%s)", subnets[i].Name, subnets[i].Prefix)
		if k := slices.Index(tables, b.String()); k >= 0 {
			names[k] = append(names[k], name)
			continue
		}
		tables, names = append(tables, b.String()), append(names, []string{name})
	}
	for i, t := range tables {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "NSG rules in force on the subnets of catalog %q: %s\n", salesName, strings.Join(names[i], ", "))
		fmt.Fprintln(w, "DIRECTION\tPRIORITY\tNAME\tACCESS\tPROTOCOL\tSOURCE\tDESTINATION\tPORTS\tBY")
		fmt.Fprint(w, t)
	}
	return nil
}

// catalogSubnets finds, in the cloud, the subnets of the connection's VNet
// whose NSG the catalog owns, and those NSGs.
func (j *journey) catalogSubnets(name string) ([]flex.Subnet, []*flex.SecurityGroup, error) {
	var (
		subnets []flex.Subnet
		nsgs    []*flex.SecurityGroup
	)
	owner := map[string]string{flex.TagTenant: tenantID, flex.TagOwner: "connection/" + connName}
	for _, r := range j.cloud.Resources(flex.Filter{Type: flex.TypeVirtualNetwork, Tags: owner}) {
		for _, s := range r.(*flex.VirtualNetwork).Subnets {
			if s.SecurityGroup.IsZero() {
				continue
			}
			got, err := j.cloud.Get(j.ctx, s.SecurityGroup)
			if err != nil {
				return nil, nil, err
			}
			if nsg := got.(*flex.SecurityGroup); nsg.Tags[flex.TagOwner] == "catalog/"+name {
				subnets, nsgs = append(subnets, s), append(nsgs, nsg)
			}
		}
	}
	if len(subnets) == 0 {
		return nil, nil, errors.New("no subnet of catalog " + strconv.Quote(name))
	}
	return subnets, nsgs, nil
}

// quotaTable lists every limit with what the tenant uses of it.
func (j *journey) quotaTable(w io.Writer) error {
	u := j.tn.Usage()
	fmt.Fprintln(w, "Quota")
	fmt.Fprintln(w, "RULE\tLIMIT ON\tIN USE\tLIMIT\tFREE")
	row := func(what string, c quota.Count) {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", c.Rule, what, thousands(c.InUse+c.Reserved), thousands(c.Limit), thousands(c.Free()))
	}
	row("Active Directory domains of the tenant", u.ADDomains)
	row("catalogs of the tenant", u.Catalogs)
	row("resource locations of the tenant", u.ResourceLocations)
	for _, s := range u.Subscriptions {
		near := ""
		if s.Near {
			near = fmt.Sprintf(" (near the limit: LIM-5, %d%%)", u.Limits.NearLimitPercent)
		}
		row(fmt.Sprintf("VDAs of subscription %q%s", s.Name, near), s.VDAs)
	}
	for _, l := range u.Locations {
		row(fmt.Sprintf("Active Directory domains of location %q", l.Name), l.ADDomains)
		row(fmt.Sprintf("single-session users of location %q", l.Name), l.SingleSessionUsers)
		row(fmt.Sprintf("multi-session users of location %q", l.Name), l.MultiSessionUsers)
	}
	fmt.Fprintln(w, "(LIM-4 leaves one VDA fewer free: a subscription never reaches the limit itself, as the rule's worked example has it.)")
	return nil
}

// join writes values of an NSG rule's field separated by commas.
func join[T fmt.Stringer](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = v.String()
	}
	return strings.Join(s, ",")
}

// prefixes writes address ranges separated by commas.
func prefixes(ps []netip.Prefix) string { return join(ps) }

// thousands writes n with a comma between thousands: 2,043.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

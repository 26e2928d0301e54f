package catalog_test

import (
	"strings"
	"testing"

	"github.com/daasflex/daasflex/catalog"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/quota"
	"github.com/google/go-cmp/cmp"
)

// docsIdentityTable is the machine identity table of the documentation
// ("Citrix DaaS Flex for Azure", Machine identity), copied as printed, tabs
// included.
const docsIdentityTable = `Single-session vs Multi-session	Persistent vs Non-persistent	Non-domain joined	Active Directory joined	Entra hybrid joined
With network connectivity				
Multi-session	Persistent	Yes	Yes	Yes
Multi-session	Non-persistent	Yes	Yes	Yes
Single-session	Persistent	Yes	Yes	Yes
Single-session	Non-persistent	Yes	Yes	Yes
Without network connectivity				
Multi-session	Persistent	Yes	No	No
Multi-session	Non-persistent	Yes	No	No
Single-session	Persistent	Yes	No	No
Single-session	Non-persistent	Yes	No	No`

// parseDocsTable reads docsIdentityTable into rows.
func parseDocsTable(t *testing.T) []catalog.IdentityRow {
	t.Helper()
	var rows []catalog.IdentityRow
	connected := false
	yes := func(s string) bool {
		switch s {
		case "Yes":
			return true
		case "No":
			return false
		}
		t.Fatalf("cell %q is neither Yes nor No", s)
		return false
	}
	for i, line := range strings.Split(docsIdentityTable, "\n") {
		cells := strings.Split(line, "\t")
		switch {
		case i == 0:
			continue
		case strings.HasPrefix(cells[0], "With network"):
			connected = true
			continue
		case strings.HasPrefix(cells[0], "Without network"):
			connected = false
			continue
		}
		if len(cells) != 5 {
			t.Fatalf("line %q has %d cells", line, len(cells))
		}
		r := catalog.IdentityRow{Connected: connected}
		switch cells[0] {
		case "Multi-session":
			r.Session = quota.MultiSession
		case "Single-session":
			r.Session = quota.SingleSession
		default:
			t.Fatalf("session %q", cells[0])
		}
		switch cells[1] {
		case "Persistent":
			r.Persistence = catalog.Persistent
		case "Non-persistent":
			r.Persistence = catalog.NonPersistent
		default:
			t.Fatalf("persistence %q", cells[1])
		}
		r.NonDomainJoined, r.ActiveDirectory, r.EntraHybrid = yes(cells[2]), yes(cells[3]), yes(cells[4])
		rows = append(rows, r)
	}
	return rows
}

// RULE IDN-1, IDN-2: the table in code is the documentation's table.
func TestIdentityTableMatchesDocs(t *testing.T) {
	docs := parseDocsTable(t)
	if diff := cmp.Diff(docs, catalog.IdentityTable()); diff != "" {
		t.Errorf("IdentityTable differs from the docs (-docs +code):\n%s", diff)
	}
	domains := []image.DomainType{image.NonDomainJoined, image.ActiveDirectory, image.EntraHybrid}
	for _, r := range docs {
		for _, d := range domains {
			if got, want := catalog.IdentitySupported(r.Connected, r.Session, r.Persistence, d), r.Supports(d); got != want {
				t.Errorf("IdentitySupported(connected=%v, %v, %v, %v) = %v; docs say %v", r.Connected, r.Session, r.Persistence, d, got, want)
			}
		}
	}
	// Every combination is in the table exactly once.
	if len(docs) != 2*2*2 {
		t.Errorf("docs table has %d rows; want 8", len(docs))
	}
	// Invalid inputs support nothing.
	if catalog.IdentitySupported(true, 0, catalog.Persistent, image.NonDomainJoined) ||
		catalog.IdentitySupported(true, quota.SingleSession, 0, image.NonDomainJoined) ||
		catalog.IdentitySupported(true, quota.SingleSession, catalog.Persistent, 0) {
		t.Error("invalid input is supported")
	}
}

// The rules in words, over every combination: with connectivity every
// domain type (IDN-1), without only non-domain-joined (IDN-2).
func TestIdentityRules(t *testing.T) {
	for _, connected := range []bool{true, false} {
		for _, s := range []quota.SessionType{quota.SingleSession, quota.MultiSession} {
			for _, p := range []catalog.Persistence{catalog.Persistent, catalog.NonPersistent} {
				for _, d := range []image.DomainType{image.NonDomainJoined, image.ActiveDirectory, image.EntraHybrid} {
					want := connected || d == image.NonDomainJoined
					if got := catalog.IdentitySupported(connected, s, p, d); got != want {
						t.Errorf("IDN-1/IDN-2: connected=%v %v %v %v: %v, want %v", connected, s, p, d, got, want)
					}
				}
			}
		}
	}
}

// RULE IDN-3: Intune only for persistent single-session Windows 11 Entra
// hybrid joined machines.
func TestIntuneSupported(t *testing.T) {
	count := 0
	for _, s := range []quota.SessionType{quota.SingleSession, quota.MultiSession} {
		for _, p := range []catalog.Persistence{catalog.Persistent, catalog.NonPersistent} {
			for _, os := range []image.OS{image.Windows11, image.WindowsServer2022, image.Ubuntu2204} {
				for _, d := range []image.DomainType{image.NonDomainJoined, image.ActiveDirectory, image.EntraHybrid} {
					if catalog.IntuneSupported(s, p, os, d) {
						count++
						if s != quota.SingleSession || p != catalog.Persistent || os != image.Windows11 || d != image.EntraHybrid {
							t.Errorf("IDN-3: Intune supported for %v %v %v %v", s, p, os, d)
						}
					}
				}
			}
		}
	}
	if count != 1 {
		t.Errorf("IDN-3: %d combinations support Intune; want exactly 1", count)
	}
}

func TestPersistenceOf(t *testing.T) {
	got := []catalog.Persistence{catalog.PersistenceOf(quota.Static), catalog.PersistenceOf(quota.Random), catalog.PersistenceOf(quota.MultiSessionMachine), catalog.PersistenceOf(0)}
	want := []catalog.Persistence{catalog.Persistent, catalog.NonPersistent, catalog.NonPersistent, 0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}

func TestCheckRemoteAccess(t *testing.T) {
	// RULE TRB-1: bastion and RDP access only for domain-joined catalogs.
	for _, d := range []image.DomainType{image.ActiveDirectory, image.EntraHybrid} {
		if err := catalog.CheckRemoteAccess("Sales", d); err != nil {
			t.Errorf("TRB-1: %v: %v", d, err)
		}
	}
	for _, d := range []image.DomainType{image.NonDomainJoined, 0} {
		wantIDs(t, catalog.CheckRemoteAccess("Sales", d), "TRB-1")
	}
}

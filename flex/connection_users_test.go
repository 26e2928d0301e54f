package flex_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/rule"
)

// TestDeleteConnectionWithRDPAccess: RDP access opened on a connection
// is troubleshooting access, as a bastion is, and keeps the connection
// from being deleted until it is disabled (NET-8, TRB-3).
func TestDeleteConnectionWithRDPAccess(t *testing.T) {
	e := catNew(t, catOpts{})
	e.catPeering(t, "hub", "192.168.0.0/22")
	if _, err := e.tn.CreateCatalog(e.ctx, catJoined("Sales", 1, "hub", "corp.example.com", "West")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tn.EnableRDPAccess(e.ctx, flex.RDPAccessSpec{Catalog: "Sales", Source: netip.MustParsePrefix("203.0.113.0/28")}); err != nil {
		t.Fatal(err)
	}
	// The catalog goes; the RDP access opened through it stays on the
	// connection.
	if err := e.tn.DeleteCatalog(e.ctx, "Sales", catAck("Sales")); err != nil {
		t.Fatal(err)
	}
	err := e.tn.DeleteConnection(e.ctx, "hub")
	// RULE NET-8: the RDP access uses the connection.
	if !errors.Is(err, flex.ErrPrecondition) || !rule.Has(err, "NET-8") || !strings.Contains(err.Error(), "RDP access") {
		t.Fatalf("DeleteConnection with RDP access enabled = %v, want ErrPrecondition NET-8 naming the RDP access", err)
	}
	if cs, err := e.tn.Connections(e.ctx); err != nil || len(cs) != 1 || cs[0].Name != "hub" {
		t.Errorf("connections after the refusal = %+v, %v; want hub still there", cs, err)
	}
	if err := e.tn.DisableRDPAccess(e.ctx, "Sub1", "hub"); err != nil {
		t.Fatal(err)
	}
	if err := e.tn.DeleteConnection(e.ctx, "hub"); err != nil {
		t.Errorf("DeleteConnection once RDP access is disabled = %v", err)
	}
}

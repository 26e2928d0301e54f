package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestQuickstartPrintsThePlan(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, 1, 2000); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"refused: 10.0.0.0/24 overlaps 10.0.0.0/16 owned by customer VNet hub-vnet", // NET-4
		"172.16.0.0/21 (172.16.0.0–172.16.7.255, 2,043 addresses for machines)",     // NET-14
		"2000 users / 8 per machine = 250 machines",                                 // CAT-2
		"Inbound Tcp 10.0.1.10:50000 -> 172.16.0.4:1494: Deny",                      // FW-2: only from inside the VNet
		"Inbound Tcp 172.16.0.5:50000 -> 172.16.0.4:3389: Deny",                     // FW-4: no RDP between VDAs
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}

	// -seed makes the run deterministic.
	var again bytes.Buffer
	if err := run(&again, 1, 2000); err != nil {
		t.Fatal(err)
	}
	if again.String() != got {
		t.Error("two runs with the same seed differ")
	}
}

func TestQuickstartRefusesTooManyMachines(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, 1, 8*2044); err == nil {
		t.Fatal("a catalog larger than the range's usable addresses was planned")
	}
}

package flex_test

import (
	"strings"
	"testing"

	"github.com/daasflex/daasflex/flex"
)

// FuzzParseConnectorState checks that ParseConnectorState never panics,
// accepts exactly the API-4 names ignoring case, and that String gives
// back what it accepted.
func FuzzParseConnectorState(f *testing.F) {
	for _, s := range []string{"Connected", "rebooting", "DELETING", "", "Unknown", "Connected "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := flex.ParseConnectorState(s)
		if err != nil {
			return
		}
		if !strings.EqualFold(st.String(), s) {
			t.Errorf("ParseConnectorState(%q) = %v", s, st)
		}
		if back, err := flex.ParseConnectorState(st.String()); err != nil || back != st {
			t.Errorf("round trip of %v = %v, %v", st, back, err)
		}
	})
}

func TestConnectorStates(t *testing.T) {
	// RULE API-4: the connector states by their API names.
	want := []string{"Provisioning", "Connected", "Disconnected", "Rebooting", "Deleting", "Failed"}
	for i, n := range want {
		st, err := flex.ParseConnectorState(strings.ToLower(n))
		if err != nil || int(st) != i || st.String() != n {
			t.Errorf("ParseConnectorState(%q) = %v, %v", n, st, err)
		}
	}
	if _, err := flex.ParseConnectorState("Unknown"); err == nil {
		t.Errorf("Unknown is not an API-4 state")
	}
	if !flex.ConnectorConnected.Available() || flex.ConnectorRebooting.Available() {
		t.Errorf("only a Connected connector is available (RL-3)")
	}
}

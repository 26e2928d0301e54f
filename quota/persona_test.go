package quota

import (
	"testing"

	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
)

func TestPersonasCAT1(t *testing.T) {
	// RULE CAT-1: the built-in personas; RULE CAT-2: their users per machine.
	want := []Persona{
		{Name: "Knowledge worker", Session: SingleSession, UsersPerMachine: 1},
		{Name: "Power worker", Session: SingleSession, UsersPerMachine: 1},
		{Name: "Task worker (medium)", Session: MultiSession, UsersPerMachine: 8},
		{Name: "Task worker (heavy)", Session: MultiSession, UsersPerMachine: 4},
	}
	if diff := cmp.Diff(want, Personas()); diff != "" {
		t.Fatalf("Personas() (-want +got):\n%s", diff)
	}
	for _, p := range Personas() {
		if err := p.Validate(); err != nil {
			t.Errorf("CAT-1: built-in %v invalid: %v", p, err)
		}
	}
	// A caller changing the returned slice does not change the table.
	ps := Personas()
	ps[0].UsersPerMachine = 99
	if diff := cmp.Diff(want, Personas()); diff != "" {
		t.Fatalf("Personas() changed through a returned slice (-want +got):\n%s", diff)
	}
}

func TestPersonaByName(t *testing.T) {
	tests := []struct {
		name, query string
		want        string
		ok          bool
	}{
		{"CAT-1 exact", "Knowledge worker", KnowledgeWorker, true},
		{"CAT-1 case", "POWER WORKER", PowerWorker, true},
		{"CAT-1 without parentheses", "Task worker medium", TaskWorkerMedium, true},
		{"CAT-1 hyphenated", "task-worker-heavy", TaskWorkerHeavy, true},
		{"CAT-1 unknown", "Task worker (light)", "", false},
		{"CAT-1 empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := PersonaByName(tt.query)
			if ok != tt.ok || p.Name != tt.want {
				t.Fatalf("PersonaByName(%q) = %v, %v; want %q, %v", tt.query, p, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestPersonaValidate(t *testing.T) {
	km, _ := PersonaByName(KnowledgeWorker)
	tests := []struct {
		name string
		p    Persona
		want []string // rule IDs, one per expected violation
	}{
		{"CAT-1 custom single-session", Persona{Name: "CAD", Session: SingleSession, UsersPerMachine: 1, VCPUs: 8, MemoryGiB: 32, VMSize: "Standard_D8s_v5", Custom: true}, nil},
		{"CAT-1 custom multi-session", Persona{Name: "Call centre", Session: MultiSession, UsersPerMachine: 12, VCPUs: 16, MemoryGiB: 64, Custom: true}, nil},
		{"CAT-1 custom without name", Persona{Session: MultiSession, UsersPerMachine: 2, VCPUs: 2, MemoryGiB: 8, Custom: true}, []string{"CAT-1"}},
		{"CAT-1 custom with a built-in name", Persona{Name: "power worker", Session: SingleSession, UsersPerMachine: 1, VCPUs: 2, MemoryGiB: 8, Custom: true}, []string{"CAT-1"}},
		{"CAT-1 custom without session type", Persona{Name: "X", UsersPerMachine: 1, VCPUs: 2, MemoryGiB: 8, Custom: true}, []string{"CAT-1"}},
		{"CAT-1 custom zero vCPUs and memory", Persona{Name: "X", Session: MultiSession, UsersPerMachine: 2, Custom: true}, []string{"CAT-1", "CAT-1"}},
		{"CAT-2 custom zero users per machine", Persona{Name: "X", Session: MultiSession, VCPUs: 2, MemoryGiB: 8, Custom: true}, []string{"CAT-2"}},
		{"CAT-2 single-session with 2 users per machine", Persona{Name: "X", Session: SingleSession, UsersPerMachine: 2, VCPUs: 2, MemoryGiB: 8, Custom: true}, []string{"CAT-2"}},
		{"CAT-1 CAT-2 everything wrong at once", Persona{Custom: true, UsersPerMachine: -1, VCPUs: -1, MemoryGiB: -1}, []string{"CAT-1", "CAT-1", "CAT-1", "CAT-1", "CAT-2"}},
		{"CAT-1 built-in", km, nil},
		{"CAT-1 unknown built-in", Persona{Name: "Task worker (light)", Session: MultiSession, UsersPerMachine: 2}, []string{"CAT-1"}},
		{"CAT-1 altered built-in", Persona{Name: TaskWorkerMedium, Session: MultiSession, UsersPerMachine: 6}, []string{"CAT-1"}},
		{"CAT-1 zero persona", Persona{}, []string{"CAT-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			var got []string
			for _, v := range rule.Violations(err) {
				got = append(got, v.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("Validate(%v) = %v\n(-want +got IDs):\n%s", tt.p, err, diff)
			}
		})
	}
}

func TestCustomPersona(t *testing.T) {
	p, err := CustomPersona("Developers", SingleSession, 8, 32, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := Persona{Name: "Developers", Session: SingleSession, UsersPerMachine: 1, VCPUs: 8, MemoryGiB: 32, Custom: true}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Fatalf("CustomPersona (-want +got):\n%s", diff)
	}
	p, err = CustomPersona("", 0, 0, 0, 0)
	if diff := cmp.Diff(Persona{}, p); diff != "" || !rule.Has(err, "CAT-1") || !rule.Has(err, "CAT-2") {
		t.Fatalf("CustomPersona(bad) = %v, %v; want zero persona, CAT-1 and CAT-2", p, err)
	}
}

func TestCheckPairingCAT1(t *testing.T) {
	kw, _ := PersonaByName(KnowledgeWorker)
	pw, _ := PersonaByName(PowerWorker)
	tm, _ := PersonaByName(TaskWorkerMedium)
	th, _ := PersonaByName(TaskWorkerHeavy)
	cs, _ := CustomPersona("Devs", SingleSession, 4, 16, 1)
	cm, _ := CustomPersona("Shared", MultiSession, 8, 32, 10)
	tests := []struct {
		p    Persona
		mt   MachineType
		want bool
	}{
		{kw, Static, true}, {kw, Random, true}, {kw, MultiSessionMachine, false},
		{pw, Static, true}, {pw, Random, true}, {pw, MultiSessionMachine, false},
		{tm, Static, false}, {tm, Random, false}, {tm, MultiSessionMachine, true},
		{th, Static, false}, {th, Random, false}, {th, MultiSessionMachine, true},
		{cs, Static, true}, {cs, Random, true}, {cs, MultiSessionMachine, false},
		{cm, Static, false}, {cm, Random, false}, {cm, MultiSessionMachine, true},
		{kw, 0, false}, {kw, 9, false},
	}
	for _, tt := range tests {
		t.Run("CAT-1 "+tt.p.Name+" on "+tt.mt.String(), func(t *testing.T) {
			err := CheckPairing(tt.p, tt.mt)
			if (err == nil) != tt.want {
				t.Fatalf("CheckPairing(%v, %v) = %v; want ok=%v", tt.p, tt.mt, err, tt.want)
			}
			if err != nil && !cmp.Equal(rule.IDs(err), []string{"CAT-1"}) {
				t.Fatalf("CheckPairing IDs = %v; want [CAT-1]", rule.IDs(err))
			}
		})
	}
	// Every problem at once: an invalid persona on an unknown machine type.
	err := CheckPairing(Persona{Custom: true, Session: MultiSession, UsersPerMachine: 2, VCPUs: 1, MemoryGiB: 1}, 0)
	if n := len(rule.Violations(err)); n != 2 {
		t.Fatalf("CheckPairing: %d violations, want 2: %v", n, err)
	}
}

func TestPersonaMachinesCAT2(t *testing.T) {
	kw, _ := PersonaByName(KnowledgeWorker)
	tm, _ := PersonaByName(TaskWorkerMedium)
	th, _ := PersonaByName(TaskWorkerHeavy)
	tests := []struct {
		name    string
		p       Persona
		users   int
		want    int
		wantErr []string
	}{
		{"CAT-2 single-session machines = users", kw, 250, 250, nil},
		{"CAT-2 medium ⌈100 ÷ 8⌉ = 13", tm, 100, 13, nil},
		{"CAT-2 heavy ⌈100 ÷ 4⌉ = 25", th, 100, 25, nil},
		{"CAT-2 heavy ⌈1 ÷ 4⌉ = 1", th, 1, 1, nil},
		{"CAT-2 zero users", tm, 0, 0, []string{"CAT-2"}},
		{"CAT-1 CAT-2 invalid persona and users", Persona{Name: "nobody"}, -1, 0, []string{"CAT-1", "CAT-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.p.Machines(tt.users)
			if got != tt.want || !cmp.Equal(rule.IDs(err), tt.wantErr) {
				t.Fatalf("Machines(%d) = %d, %v; want %d with %v", tt.users, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseEnums(t *testing.T) {
	sessions := map[string]SessionType{"single-session": SingleSession, "Multi-Session": MultiSession, "multi session": MultiSession, "single": SingleSession}
	for s, want := range sessions {
		got, err := ParseSessionType(s)
		if err != nil || got != want {
			t.Errorf("ParseSessionType(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	machines := map[string]MachineType{"static": Static, "Random": Random, "multi-session": MultiSessionMachine, "MultiSession": MultiSessionMachine}
	for s, want := range machines {
		got, err := ParseMachineType(s)
		if err != nil || got != want {
			t.Errorf("ParseMachineType(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "pooled", "static!", "SessionType(1)"} {
		if _, err := ParseSessionType(s); !rule.Has(err, "CAT-1") {
			t.Errorf("CAT-1: ParseSessionType(%q) = %v; want CAT-1 error", s, err)
		}
		if _, err := ParseMachineType(s); !rule.Has(err, "CAT-1") {
			t.Errorf("CAT-1: ParseMachineType(%q) = %v; want CAT-1 error", s, err)
		}
	}
	// Round trips and the zero values.
	for _, s := range []SessionType{SingleSession, MultiSession} {
		if got, err := ParseSessionType(s.String()); err != nil || got != s {
			t.Errorf("ParseSessionType(%v.String()) = %v, %v", s, got, err)
		}
	}
	for _, m := range []MachineType{Static, Random, MultiSessionMachine} {
		if got, err := ParseMachineType(m.String()); err != nil || got != m {
			t.Errorf("ParseMachineType(%v.String()) = %v, %v", m, got, err)
		}
	}
	got := []string{SessionType(0).String(), MachineType(0).String(), MachineRole(0).String()}
	if diff := cmp.Diff([]string{"SessionType(0)", "MachineType(0)", "MachineRole(0)"}, got); diff != "" {
		t.Fatalf("zero String() (-want +got):\n%s", diff)
	}
	if SessionType(0).IsValid() || MachineType(0).IsValid() || MachineType(0).Session() != 0 {
		t.Fatal("zero enums reported valid")
	}
}

func TestMachineRoleRL7(t *testing.T) {
	// RULE RL-7 / LIM-4: only VDAs count; image builders, connectors, bastions and license servers do not.
	got := map[string]int{}
	for _, r := range []MachineRole{VDA, ImageBuilder, CloudConnector, Bastion, LicenseServer, 0} {
		got[r.String()] = VDAsOf(r, 7)
		if r.CountsAsVDA() != (r == VDA) {
			t.Errorf("RL-7: %v.CountsAsVDA() = %v", r, r.CountsAsVDA())
		}
	}
	want := map[string]int{"VDA": 7, "image builder": 0, "Cloud Connector": 0, "bastion": 0, "license server": 0, "MachineRole(0)": 0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("RL-7 VDAsOf (-want +got):\n%s", diff)
	}
	// A subscription one VDA below its limit still takes connectors and an image builder.
	l, err := NewLedger(small())
	if err != nil {
		t.Fatal(err)
	}
	mustCommit(t, l, Change{Subscription: "S", Catalog: "A", Catalogs: 1, VDAs: 9})
	for _, r := range []MachineRole{CloudConnector, ImageBuilder, Bastion, LicenseServer} {
		// RULE RL-7: no VDAs, so no Change amount and nothing refused.
		mustCommit(t, l, Change{Subscription: "S", Catalog: "A", VDAs: VDAsOf(r, 2)})
	}
	if got := l.VDAs("S"); got != 9 {
		t.Fatalf("RL-7: VDAs = %d; want 9", got)
	}
}

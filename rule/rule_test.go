package rule_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/daasflex/daasflex/rule"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-multierror"
)

func TestEmptyListIsNil(t *testing.T) {
	var l rule.List
	if err := l.Err(); err != nil {
		t.Fatalf("Err() of an empty list = %v, want nil", err)
	}
	l.Append(nil)
	if l.Len() != 0 || l.Err() != nil {
		t.Fatalf("appending nil changed the list: len %d, err %v", l.Len(), l.Err())
	}
}

func TestListReportsEveryProblemOnItsOwnLine(t *testing.T) {
	var l rule.List
	l.Add("NAM-2", "%q is %d characters; at most 15", "MachineSalesTeam-##", 19)
	l.Add("NAM-3", "space at %d; use letters, digits or -", 6)
	err := l.Err()
	want := "NAM-2: \"MachineSalesTeam-##\" is 19 characters; at most 15\nNAM-3: space at 6; use letters, digits or -"
	if got := err.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var m *multierror.Error
	if !errors.As(err, &m) || len(m.Errors) != 2 {
		t.Fatalf("Err() = %T with %v, want a *multierror.Error of 2", err, err)
	}
}

func TestIDsLookThroughWrappingAndNesting(t *testing.T) {
	var inner rule.List
	inner.Add("NET-5", "10.0.0.0/25 is smaller than a /24")
	inner.Add("NET-4", "overlap")
	var outer rule.List
	outer.Append(fmt.Errorf("connection hub: %w", inner.Err()))
	outer.Add("NET-3", "no DNS server")
	outer.Append(errors.Join(errors.New("plain"), rule.Errorf("NET-4", "again")))
	err := fmt.Errorf("create: %w", outer.Err())

	if diff := cmp.Diff([]string{"NET-3", "NET-4", "NET-5"}, rule.IDs(err)); diff != "" {
		t.Errorf("IDs mismatch (-want +got):\n%s", diff)
	}
	if !rule.Has(err, "NET-5") || rule.Has(err, "NET-6") {
		t.Errorf("Has: NET-5 %v (want true), NET-6 %v (want false)", rule.Has(err, "NET-5"), rule.Has(err, "NET-6"))
	}
	if got := len(rule.Violations(err)); got != 4 {
		t.Errorf("Violations: %d, want 4", got)
	}
	if rule.IDs(nil) != nil || rule.IDs(errors.New("x")) != nil {
		t.Error("IDs of nil or a plain error should be empty")
	}
}

func ExampleList() {
	var problems rule.List
	problems.Add("NAM-2", "%q is %d characters; at most 15", "MachineSalesTeam-##", 19)
	problems.Add("NAM-6", "%q ends with -GW; choose another ending", "Sales-GW")
	err := problems.Err()
	fmt.Println(err)
	fmt.Println(rule.IDs(err))
	// Output:
	// NAM-2: "MachineSalesTeam-##" is 19 characters; at most 15
	// NAM-6: "Sales-GW" ends with -GW; choose another ending
	// [NAM-2 NAM-6]
}

func ExampleErrorf() {
	err := rule.Errorf("NET-5", "%s is a /%d; a Flex VNet needs a /24 or larger", "10.1.0.0/26", 26)
	fmt.Println(err)
	fmt.Println(err.ID)
	// Output:
	// NET-5: 10.1.0.0/26 is a /26; a Flex VNet needs a /24 or larger
	// NET-5
}

func ExampleHas() {
	var l rule.List
	l.Add("CAT-5", "catalog name %q is taken", "Sales")
	fmt.Println(rule.Has(l.Err(), "CAT-5"), rule.Has(l.Err(), "CAT-2"))
	// Output: true false
}

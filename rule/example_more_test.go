package rule_test

import (
	"errors"
	"fmt"

	"github.com/daasflex/daasflex/rule"
)

// checkScheme is a validation in the house style: it reports every problem
// at once.
func checkScheme(scheme string) error {
	var l rule.List
	if n := len(scheme); n > 15 {
		l.Add("NAM-2", "%q is %d characters; at most 15", scheme, n)
	}
	if len(scheme) >= 3 && scheme[len(scheme)-3:] == "-GW" {
		l.Add("NAM-6", "%q ends with -GW; choose another ending", scheme)
	}
	return l.Err()
}

func ExampleIDs() {
	err := checkScheme("MachineSalesTeam-GW")
	// A wrapped validation error still gives up its rule IDs.
	wrapped := fmt.Errorf("create catalog %q: %w", "Sales", err)
	fmt.Println(rule.IDs(wrapped))
	fmt.Println(rule.IDs(checkScheme("Sales-##")))
	// Output:
	// [NAM-2 NAM-6]
	// []
}

func ExampleLines() {
	errs := []error{
		rule.Errorf("NET-5", "10.1.0.0/26 is a /26; a Flex VNet needs a /24 or larger"),
		errors.New("subscription sub-1 is not registered"),
	}
	fmt.Println(rule.Lines(errs))
	// Output:
	// NET-5: 10.1.0.0/26 is a /26; a Flex VNet needs a /24 or larger
	// subscription sub-1 is not registered
}

func ExampleList_Add() {
	var l rule.List
	for _, users := range []int{0, 12, -3} {
		if users <= 0 {
			l.Add("CAT-3", "users per machine is %d; must be at least 1", users)
		}
	}
	fmt.Println(l.Err())
	// Output:
	// CAT-3: users per machine is 0; must be at least 1
	// CAT-3: users per machine is -3; must be at least 1
}

func ExampleList_Append() {
	// Append merges the problems of another validation into this one,
	// one item per problem, and ignores a nil error.
	var l rule.List
	l.Append(checkScheme("MachineSalesTeam-GW"))
	l.Append(checkScheme("Sales-##"))
	l.Add("CAT-5", "catalog name %q is taken", "Sales")
	fmt.Println(l.Len())
	fmt.Println(l.Err())
	// Output:
	// 3
	// NAM-2: "MachineSalesTeam-GW" is 19 characters; at most 15
	// NAM-6: "MachineSalesTeam-GW" ends with -GW; choose another ending
	// CAT-5: catalog name "Sales" is taken
}

func ExampleList_Err() {
	var l rule.List
	fmt.Println(l.Err() == nil)
	l.Add("NAM-2", "%q is %d characters; at most 15", "MachineSalesTeam-##", 19)
	err := l.Err()
	var v *rule.Violation
	fmt.Println(errors.As(err, &v), v.ID)
	// Output:
	// true
	// true NAM-2
}

func ExampleList_Len() {
	var l rule.List
	fmt.Println(l.Len())
	l.Append(checkScheme("MachineSalesTeam-GW"))
	fmt.Println(l.Len())
	// Output:
	// 0
	// 2
}

func ExampleViolation() {
	err := checkScheme("MachineSalesTeam-##")
	var v *rule.Violation
	if errors.As(err, &v) {
		fmt.Printf("rule %s: %s\n", v.ID, v.Msg)
	}
	// Output: rule NAM-2: "MachineSalesTeam-##" is 19 characters; at most 15
}

func ExampleViolations() {
	for _, v := range rule.Violations(checkScheme("MachineSalesTeam-GW")) {
		fmt.Println(v.ID, "|", v.Msg)
	}
	// Output:
	// NAM-2 | "MachineSalesTeam-GW" is 19 characters; at most 15
	// NAM-6 | "MachineSalesTeam-GW" ends with -GW; choose another ending
}

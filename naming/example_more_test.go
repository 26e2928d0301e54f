package naming_test

import (
	"encoding/json"
	"fmt"

	"github.com/daasflex/daasflex/naming"
)

func ExampleScheme() {
	// A catalog keeps its scheme as a value: it names machine n, tells
	// which number a name has and how many machines the scheme can name.
	s := naming.MustParse("Sales-##", naming.Digits)
	first, _ := s.Name(1)
	n, ok := s.Number("SALES-42") // Windows compares names ignoring case
	fmt.Println(s, s.Kind(), s.Capacity(), first, n, ok)

	// Schemes are comparable; the zero Scheme is invalid.
	fmt.Println(s == naming.MustParse("Sales-##", naming.Digits), s == naming.MustParse("Sales-##", naming.Letters))
	var zero naming.Scheme
	fmt.Println(zero.IsValid(), zero.Capacity())
	// Output:
	// Sales-## Digits 999999999 Sales-01 42 true
	// true false
	// false 0
}

func ExampleWildcardKind() {
	// The same scheme names different machines with each kind (NAM-7).
	for _, kind := range []naming.WildcardKind{naming.Digits, naming.Letters} {
		s := naming.MustParse("MachineSales-##", kind)
		a, _ := s.Name(1)
		b, _ := s.Name(2)
		fmt.Println(kind, a, b, s.Capacity())
	}
	// Kinds read and write by name in JSON.
	var spec struct{ Kind naming.WildcardKind }
	err := json.Unmarshal([]byte(`{"Kind":"letters"}`), &spec)
	fmt.Println(spec.Kind, err)
	// Output:
	// Digits MachineSales-01 MachineSales-02 99
	// Letters MachineSales-AA MachineSales-AB 675
	// Letters <nil>
}

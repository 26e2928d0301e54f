package naming_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/daasflex/daasflex/naming"
)

func ExampleParse() {
	s, err := naming.Parse("PC-Sales-##", naming.Digits)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range []int{1, 99, 100, 999999} {
		name, _ := s.Name(n)
		fmt.Println(name)
	}
	fmt.Println(s.Capacity())
	// Output:
	// PC-Sales-01
	// PC-Sales-99
	// PC-Sales-100
	// PC-Sales-999999
	// 999999
}

func ExampleParse_refused() {
	// Every problem at once, one line each, with 1-based positions.
	_, err := naming.Parse("Sales PC_##", naming.Digits)
	fmt.Println(err)
	_, err = naming.Parse("MachineSalesTeam-##", naming.Digits)
	fmt.Println(err)
	// Output:
	// NAM-3: "Sales PC_##" has a space (' ') at position 6; use letters A-Z, digits 0-9 and '-'
	// NAM-3: "Sales PC_##" has an underscore ('_') at position 9; use letters A-Z, digits 0-9 and '-'
	// NAM-2: "MachineSalesTeam-##" is 19 characters; at most 15
}

func ExampleMustParse() {
	s := naming.MustParse("VDA-###", naming.Digits)
	fmt.Println(s, s.Capacity())
	// Output: VDA-### 99999999999
}

func ExampleScheme_Name() {
	s := naming.MustParse("MachineSales-##", naming.Digits)
	name, _ := s.Name(99)
	fmt.Println(name)
	_, err := s.Name(100)
	fmt.Println(errors.Is(err, naming.ErrExhausted))
	fmt.Println(err)
	// Output:
	// MachineSales-99
	// true
	// naming: scheme exhausted: NAM-8: "MachineSales-##" can name 99 machines; machine 100 would need a name of 16 characters (at most 15); shorten the fixed part to at most 12 characters (now 13), or use Letters wildcards, which name 675
}

func ExampleScheme_Name_letters() {
	s := naming.MustParse("PC-##", naming.Letters)
	for _, n := range []int{1, 26, 27, 178, 179, 676} {
		name, _ := s.Name(n)
		fmt.Print(name, " ")
	}
	// PC-GW would end in -GW (NAM-6): it is skipped.
	fmt.Println()

	// Output: PC-AA PC-AZ PC-BA PC-GV PC-GX PC-AAA
}

func ExampleScheme_Capacity() {
	for _, scheme := range []string{"MachineSales-##", "PC-Sales-##", "DASEASTU-K7-###"} {
		fmt.Println(scheme, naming.MustParse(scheme, naming.Digits).Capacity())
	}
	fmt.Println(naming.MustParse("MachineSales-##", naming.Letters).Capacity())
	// Output:
	// MachineSales-## 99
	// PC-Sales-## 999999
	// DASEASTU-K7-### 999
	// 675
}

func ExampleScheme_Check() {
	s := naming.MustParse("MachineSales-##", naming.Digits)
	fmt.Println(s.Check(80))
	fmt.Println(s.Check(1200))
	// Output:
	// <nil>
	// NAM-8: "MachineSales-##" can name 99 machines; this catalog needs 1,200; shorten the fixed part to at most 11 characters (now 13)
}

func ExampleScheme_Number() {
	// Find the next free machine number from the names that exist.
	s := naming.MustParse("PC-Sales-##", naming.Digits)
	next := 1
	for _, name := range []string{"PC-Sales-01", "pc-sales-07", "PC-Sales-100", "Other-01"} {
		if n, ok := s.Number(name); ok && n >= next {
			next = n + 1
		}
	}
	fmt.Println(next)
	// Output: 101
}

func ExampleScheme_IsValid() {
	var zero naming.Scheme
	fmt.Println(zero.IsValid(), zero.Capacity(), zero.String() == "")
	fmt.Println(naming.MustParse("PC-##", naming.Digits).IsValid())
	// Output:
	// false 0 true
	// true
}

func ExampleScheme_String() {
	s := naming.MustParse("pc-##", naming.Letters)
	fmt.Println(s.String(), s.Kind())
	// Output: pc-## Letters
}

func ExampleScheme_Kind() {
	fmt.Println(naming.MustParse("PC-##", naming.Letters).Kind())
	// Output: Letters
}

func ExampleDefault() {
	// A fixed random source makes the scheme deterministic; nil would use
	// crypto/rand.
	s, err := naming.Default("eastu", strings.NewReader("\x0a\x1b"))
	fmt.Println(s, err, s.Capacity())
	first, _ := s.Name(1)
	fmt.Println(first)
	_, err = naming.Default("east_us", nil)
	fmt.Println(err)
	// Output:
	// DASEASTU-K1-### <nil> 999
	// DASEASTU-K1-001
	// NAM-9: location prefix "east_us" is 7 characters; the default scheme needs exactly 5 letters or digits
	// NAM-9: location prefix "east_us" has '_' at position 5; use letters A-Z and digits 0-9
}

func ExampleValidateName() {
	fmt.Println(naming.ValidateName("PC-Sales-01"))
	fmt.Println(naming.ValidateName("1234"))
	fmt.Println(naming.ValidateName(".Sales_PC-gw"))
	// Output:
	// <nil>
	// NAM-5: "1234" is only digits; add a letter or '-'
	// AZ-7: ".Sales_PC-gw" has '.' at position 1, which a Windows computer name cannot hold; use letters A-Z, digits 0-9 and '-'
	// NAM-3: ".Sales_PC-gw" has an underscore ('_') at position 7; use letters A-Z, digits 0-9 and '-'
	// NAM-4: ".Sales_PC-gw" begins with a period; begin with a letter or digit
	// NAM-6: ".Sales_PC-gw" ends with "-gw"; names may not end with -GATEWAY, -GW or -TAC
}

func ExampleParseWildcardKind() {
	k, err := naming.ParseWildcardKind("letters")
	fmt.Println(k, err)
	_, err = naming.ParseWildcardKind("hex")
	fmt.Println(err)
	// Output:
	// Letters <nil>
	// naming: wildcard kind "hex" is neither Digits (0-9) nor Letters (A-Z)
}

func ExampleWildcardKind_String() {
	fmt.Println(naming.Digits, naming.Letters, naming.WildcardKind(7))
	// Output: Digits Letters WildcardKind(7)
}

func ExampleWildcardKind_IsValid() {
	fmt.Println(naming.Digits.IsValid(), naming.WildcardKind(7).IsValid())
	// Output: true false
}

func ExampleWildcardKind_MarshalText() {
	type spec struct {
		Scheme string
		Kind   naming.WildcardKind
	}
	b, _ := json.Marshal(spec{"PC-##", naming.Letters})
	fmt.Println(string(b))
	var back spec
	err := json.Unmarshal([]byte(`{"Scheme":"PC-##","Kind":"digits"}`), &back)
	fmt.Println(back.Kind, err)
	// Output:
	// {"Scheme":"PC-##","Kind":"Letters"}
	// Digits <nil>
}

func ExampleWildcardKind_UnmarshalText() {
	var k naming.WildcardKind
	fmt.Println(k.UnmarshalText([]byte("A-Z")), k)
	fmt.Println(k.UnmarshalText([]byte("roman")), k)
	// Output:
	// <nil> Letters
	// naming: wildcard kind "roman" is neither Digits (0-9) nor Letters (A-Z) Letters
}

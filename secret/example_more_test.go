package secret_test

import (
	"encoding/json"
	"fmt"

	"github.com/daasflex/daasflex/secret"
)

func ExampleNew() {
	password := secret.New("P@ssw0rd-2024!")
	// Every way of printing shows the placeholder, never the content.
	fmt.Println(password)
	fmt.Printf("%s %q %v %#v\n", password, password, password, password)
	b, _ := json.Marshal(map[string]secret.Value{"password": password})
	fmt.Println(string(b))
	// The empty string gives the zero Value.
	fmt.Println(secret.New("").IsZero())
	// Output:
	// [redacted]
	// [redacted] [redacted] [redacted] [redacted]
	// {"password":"[redacted]"}
	// true
}

func ExampleValue_Equal() {
	a := secret.New("vpn-psk-1")
	b := secret.New("vpn-psk-1")
	// == compares identity; Equal compares content.
	fmt.Println(a == b, a.Equal(b), a.Equal(secret.New("vpn-psk-2")))
	// Output: false true false
}

func ExampleValue_IsZero() {
	var unset secret.Value
	fmt.Println(unset.IsZero(), secret.New("").IsZero(), secret.New("k").IsZero())
	// Output: true true false
}

func ExampleValue_Len() {
	// Len lets a validation check a secret's length without revealing it.
	psk := secret.New("short")
	if psk.Len() < 8 {
		fmt.Printf("pre-shared key %v is %d characters; at least 8\n", psk, psk.Len())
	}
	// Output: pre-shared key [redacted] is 5 characters; at least 8
}

func ExampleValue_Reveal() {
	clientSecret := secret.New("s3cr3t")
	// Only the code that sends the secret calls Reveal.
	header := "Basic " + clientSecret.Reveal()
	fmt.Println(len(header), clientSecret)
	// Output: 12 [redacted]
}

package ipam_test

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/daasflex/daasflex/ipam"
	"github.com/daasflex/daasflex/rule"
)

// The smallest use: keep the ranges in use and refuse an overlapping one.
func ExampleSpace() {
	var s ipam.Space
	_ = s.Add("customer VNet hub-vnet", ipam.MustParsePrefix("10.0.0.0/16"))
	fmt.Println(s.Add("Flex connection east", ipam.MustParsePrefix("192.168.0.0/24")))
	fmt.Println(s.Add("Flex connection west", ipam.MustParsePrefix("10.0.0.0/24")))
	// Output:
	// <nil>
	// 10.0.0.0/24 overlaps 10.0.0.0/16 owned by customer VNet hub-vnet
}

func ExampleParsePrefix() {
	for _, s := range []string{"10.0.0.0/24", "10.0.0.1/24", "10.0.0.0/33", "", "::ffff:10.0.0.0/104", "2001:db8::/32"} {
		p, err := ipam.ParsePrefix(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(p)
	}
	// Output:
	// 10.0.0.0/24
	// ipam: parse "10.0.0.1/24": host bits are set; did you mean 10.0.0.0/24?
	// ipam: parse "10.0.0.0/33": prefix length 33 is out of range; IPv4 allows 0 to 32
	// ipam: parse "": empty; want an address range such as 10.0.0.0/24
	// ipam: parse "::ffff:10.0.0.0/104": IPv4-mapped IPv6 ranges are not allowed; write the IPv4 range 10.0.0.0/8
	// 2001:db8::/32
}

// Programs tell the kinds of parse errors apart with errors.Is.
func ExampleParseError() {
	_, err := ipam.ParsePrefix("10.0.0.1/24")
	var pe *ipam.ParseError
	fmt.Println(errors.Is(err, ipam.ErrNotCanonical), errors.As(err, &pe), pe.Input)
	// Output:
	// true true 10.0.0.1/24
}

func ExampleMustParsePrefix() {
	p := ipam.MustParsePrefix("172.18.0.0/21")
	fmt.Println(p.Addr(), p.Bits())
	// Output:
	// 172.18.0.0 21
}

func ExampleUsable() {
	for _, s := range []string{"172.18.0.0/21", "10.0.0.0/24", "10.0.0.0/29", "10.0.0.0/30"} {
		fmt.Println(s, ipam.Usable(ipam.MustParsePrefix(s)))
	}
	// Output:
	// 172.18.0.0/21 2043
	// 10.0.0.0/24 251
	// 10.0.0.0/29 3
	// 10.0.0.0/30 0
}

func ExampleDescribe() {
	fmt.Println(ipam.Describe(ipam.MustParsePrefix("172.18.0.0/21")))
	// Output:
	// 172.18.0.0–172.18.7.255, 2,043 addresses for machines
}

func ExampleEntry_String() {
	fmt.Println(ipam.Entry{Owner: "customer VNet hub-vnet", Prefix: ipam.MustParsePrefix("10.0.0.0/16")})
	// Output:
	// 10.0.0.0/16 (customer VNet hub-vnet)
}

func ExampleOverlapError() {
	var s ipam.Space
	_ = s.Add("customer VNet hub-vnet", ipam.MustParsePrefix("10.0.0.0/16"))
	err := s.Add("Flex connection west", ipam.MustParsePrefix("10.0.0.0/24"))
	var oe *ipam.OverlapError
	if errors.As(err, &oe) {
		fmt.Println(oe.Prefix, "|", oe.Other, "|", oe.OtherOwner)
	}
	// Output:
	// 10.0.0.0/24 | 10.0.0.0/16 | customer VNet hub-vnet
}

func ExampleSpace_Add() {
	var s ipam.Space
	fmt.Println(s.Add("hub", ipam.MustParsePrefix("10.0.0.0/16")))
	fmt.Println(s.Add("spoke", ipam.MustParsePrefix("10.0.5.0/24")))
	fmt.Println(s.Add("spoke", ipam.MustParsePrefix("10.1.0.0/16")))
	// Output:
	// <nil>
	// 10.0.5.0/24 overlaps 10.0.0.0/16 owned by hub
	// <nil>
}

// AddAll fills a Space with a whole address plan at once, or refuses it
// all and names every overlap.
func ExampleSpace_AddAll() {
	var s ipam.Space
	err := s.AddAll(
		ipam.Entry{Owner: "customer VNet hub-vnet", Prefix: ipam.MustParsePrefix("10.0.0.0/16")},
		ipam.Entry{Owner: "Flex connection east", Prefix: ipam.MustParsePrefix("192.168.0.0/24")},
		ipam.Entry{Owner: "Flex connection west", Prefix: ipam.MustParsePrefix("10.0.0.0/24")},
	)
	fmt.Println(err, s.Len())
	err = s.AddAll(
		ipam.Entry{Owner: "customer VNet hub-vnet", Prefix: ipam.MustParsePrefix("10.0.0.0/16")},
		ipam.Entry{Owner: "Flex connection east", Prefix: ipam.MustParsePrefix("192.168.0.0/24")},
	)
	fmt.Println(err, s.Entries())
	// Output:
	// NET-4: 10.0.0.0/24 of Flex connection west overlaps 10.0.0.0/16 owned by customer VNet hub-vnet; address ranges must not share any address 0
	// <nil> [10.0.0.0/16 (customer VNet hub-vnet) 192.168.0.0/24 (Flex connection east)]
}

func ExampleSpace_Remove() {
	var s ipam.Space
	_ = s.Add("hub", ipam.MustParsePrefix("10.0.0.0/16"))
	fmt.Println(s.Remove(ipam.MustParsePrefix("10.0.0.0/24")), s.Remove(ipam.MustParsePrefix("10.0.0.0/16")), s.Len())
	// Output:
	// false true 0
}

func ExampleSpace_Overlapping() {
	var s ipam.Space
	_ = s.Add("east", ipam.MustParsePrefix("10.0.1.0/24"))
	_ = s.Add("west", ipam.MustParsePrefix("10.0.0.0/24"))
	_ = s.Add("on-premises", ipam.MustParsePrefix("192.168.0.0/16"))
	fmt.Println(s.Overlapping(ipam.MustParsePrefix("10.0.0.0/16")))
	fmt.Println(s.Overlapping(ipam.MustParsePrefix("172.16.0.0/12")) == nil)
	// Output:
	// [10.0.0.0/24 (west) 10.0.1.0/24 (east)]
	// true
}

func ExampleSpace_Allocate() {
	var s ipam.Space
	pool := ipam.MustParsePrefix("10.0.0.0/22")
	_ = s.Add("customer VNet", ipam.MustParsePrefix("10.0.0.0/24"))
	_ = s.Add("gateway", ipam.MustParsePrefix("10.0.1.0/27"))
	for range 3 {
		fmt.Println(s.Allocate("Flex", pool, 24))
	}
	// Output:
	// 10.0.2.0/24 <nil>
	// 10.0.3.0/24 <nil>
	// invalid Prefix ipam: no free /24 in 10.0.0.0/22: 224 addresses free, the largest free block is a /25
}

func ExampleSpace_Len() {
	var s ipam.Space
	_ = s.Add("a", ipam.MustParsePrefix("10.0.0.0/24"))
	_ = s.Add("b", ipam.MustParsePrefix("10.0.1.0/24"))
	fmt.Println(s.Len())
	// Output:
	// 2
}

func ExampleSpace_Entries() {
	var s ipam.Space
	_ = s.Add("v6", ipam.MustParsePrefix("2001:db8::/48"))
	_ = s.Add("b", ipam.MustParsePrefix("10.0.1.0/24"))
	_ = s.Add("a", ipam.MustParsePrefix("10.0.0.0/24"))
	for _, e := range s.Entries() {
		fmt.Println(e.Prefix, e.Owner)
	}
	// Output:
	// 10.0.0.0/24 a
	// 10.0.1.0/24 b
	// 2001:db8::/48 v6
}

func ExampleSpace_Clone() {
	var s ipam.Space
	_ = s.Add("a", ipam.MustParsePrefix("10.0.0.0/24"))
	c := s.Clone()
	_ = c.Add("b", ipam.MustParsePrefix("10.0.1.0/24"))
	fmt.Println(s.Len(), c.Len())
	// Output:
	// 1 2
}

func ExampleCheckDisjoint() {
	err := ipam.CheckDisjoint(
		ipam.Entry{Owner: "customer VNet hub-vnet", Prefix: ipam.MustParsePrefix("10.0.0.0/16")},
		ipam.Entry{Owner: "Flex connection east", Prefix: ipam.MustParsePrefix("192.168.0.0/24")},
		ipam.Entry{Owner: "Flex connection west", Prefix: ipam.MustParsePrefix("10.0.0.0/24")},
		ipam.Entry{Owner: "on-premises", Prefix: ipam.MustParsePrefix("192.168.0.0/16")},
	)
	fmt.Println(err)
	fmt.Println(rule.IDs(err))
	// Output:
	// NET-4: 10.0.0.0/24 of Flex connection west overlaps 10.0.0.0/16 owned by customer VNet hub-vnet; address ranges must not share any address
	// NET-4: 192.168.0.0/16 of on-premises overlaps 192.168.0.0/24 owned by Flex connection east; address ranges must not share any address
	// [NET-4]
}

func ExampleIsRFC1918() {
	fmt.Println(ipam.IsRFC1918(ipam.MustParsePrefix("172.18.0.0/21")), ipam.IsRFC1918(ipam.MustParsePrefix("172.32.0.0/16")))
	// Output:
	// true false
}

func ExampleIsPublicUnicast() {
	for _, a := range []string{"20.30.40.50", "10.1.2.3", "100.64.0.1", "224.0.0.1", "203.0.113.7"} {
		fmt.Println(a, ipam.IsPublicUnicast(netip.MustParseAddr(a)))
	}
	// Output:
	// 20.30.40.50 true
	// 10.1.2.3 false
	// 100.64.0.1 false
	// 224.0.0.1 false
	// 203.0.113.7 false
}

func ExampleAzureReserved() {
	for _, s := range []string{"168.63.128.0/22", "10.0.0.0/8"} {
		fmt.Println(ipam.AzureReserved(ipam.MustParsePrefix(s)))
	}
	// Output:
	// 168.63.129.16/32 true
	// invalid Prefix false
}

func ExampleNoRoomError() {
	var s ipam.Space
	_ = s.Add("hub", ipam.MustParsePrefix("10.0.0.0/25"))
	_, err := s.Allocate("Flex", ipam.MustParsePrefix("10.0.0.0/24"), 24)
	var nr *ipam.NoRoomError
	if errors.As(err, &nr) {
		fmt.Println(nr.Free, nr.Largest)
	}
	// Output:
	// 128 25
}

func ExampleOverlapError_Error() {
	err := &ipam.OverlapError{
		Prefix:     ipam.MustParsePrefix("10.0.0.0/24"),
		Other:      ipam.MustParsePrefix("10.0.0.0/16"),
		OtherOwner: "customer VNet hub-vnet",
	}
	fmt.Println(err.Error())
	// Output:
	// 10.0.0.0/24 overlaps 10.0.0.0/16 owned by customer VNet hub-vnet
}

func ExampleNoRoomError_Error() {
	full := &ipam.NoRoomError{Within: ipam.MustParsePrefix("10.0.0.0/22"), Bits: 24, Largest: -1}
	fragmented := &ipam.NoRoomError{Within: ipam.MustParsePrefix("10.0.0.0/22"), Bits: 24, Free: 384, Largest: 25}
	fmt.Println(full.Error())
	fmt.Println(fragmented.Error())
	// Output:
	// ipam: no free /24 in 10.0.0.0/22: it is full
	// ipam: no free /24 in 10.0.0.0/22: 384 addresses free, the largest free block is a /25
}

func ExampleParseError_Error() {
	_, err := ipam.ParsePrefix("fe80::%eth0/64")
	fmt.Println(err.Error())
	// Output:
	// ipam: parse "fe80::%eth0/64": zone "%eth0" is not allowed in an address range; leave out the %zone
}

func ExampleParseError_Unwrap() {
	_, err := ipam.ParsePrefix("10.0.0.0/33")
	fmt.Println(errors.Unwrap(err) == ipam.ErrBits)
	// Output:
	// true
}

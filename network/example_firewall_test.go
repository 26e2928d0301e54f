package network_test

import (
	"fmt"
	"net/netip"

	"github.com/daasflex/daasflex/network"
)

func ExampleSecurityRules() {
	p := network.FirewallPolicy{
		DomainJoined: true,
		VNet:         []netip.Prefix{netip.MustParsePrefix("192.168.0.0/24")},
		Connected:    []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
		RDPAccess:    netip.MustParsePrefix("10.0.9.32/27"),
	}
	if err := p.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range network.SecurityRules(p) {
		fmt.Println(r)
	}
	// Output:
	// 300 Inbound Allow Tcp 10.0.9.32/27:* -> 192.168.0.0/24:3389 FlexAllowRDPAccessInBound
	// 400 Inbound Allow * 192.168.0.0/24:* -> 192.168.0.0/24:80,443,1494,2598 FlexAllowCitrixInBound
	// 410 Inbound Allow Tcp 10.0.0.0/16:* -> 192.168.0.0/24:49152-65535 FlexAllowShadowingInBound
	// 4096 Inbound Deny * *:* -> *:* FlexDenyAllInBound
	// 4096 Outbound Allow * *:* -> *:* FlexAllowAllOutBound
}

func ExampleEvaluate() {
	p := network.FirewallPolicy{
		DomainJoined: true,
		VNet:         []netip.Prefix{netip.MustParsePrefix("192.168.0.0/24")},
		Connected:    []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
	}
	rules := network.SecurityRules(p)
	for _, f := range []network.Flow{
		{Direction: network.Inbound, Protocol: network.TCP, Source: netip.MustParseAddr("192.168.0.4"),
			Destination: netip.MustParseAddr("192.168.0.5"), DestinationPort: 1494},
		{Direction: network.Inbound, Protocol: network.TCP, Source: netip.MustParseAddr("192.168.0.4"),
			Destination: netip.MustParseAddr("192.168.0.5"), DestinationPort: 3389},
		{Direction: network.Inbound, Protocol: network.TCP, Source: netip.MustParseAddr("10.0.7.7"),
			Destination: netip.MustParseAddr("192.168.0.5"), DestinationPort: 50001},
	} {
		f.VirtualNetwork = p.VirtualNetwork()
		fmt.Println(f, "→", network.Evaluate(rules, f))
	}
	// Without custom rules Azure's defaults decide.
	fmt.Println(network.Evaluate(nil, network.Flow{Direction: network.Outbound, Protocol: network.UDP,
		Source: netip.MustParseAddr("192.168.0.4"), Destination: netip.MustParseAddr("8.8.8.8"), DestinationPort: 53}))
	// Output:
	// Inbound Tcp 192.168.0.4:0 -> 192.168.0.5:1494 → Allow by FlexAllowCitrixInBound (priority 400)
	// Inbound Tcp 192.168.0.4:0 -> 192.168.0.5:3389 → Deny by FlexDenyAllInBound (priority 4096)
	// Inbound Tcp 10.0.7.7:0 -> 192.168.0.5:50001 → Allow by FlexAllowShadowingInBound (priority 410)
	// Allow by AllowInternetOutBound (priority 65001, default)
}

func ExampleFirewallPolicy_Validate() {
	p := network.FirewallPolicy{
		DomainJoined: true,
		VNet:         []netip.Prefix{netip.MustParsePrefix("192.168.0.0/24")},
		RDPAccess:    netip.MustParsePrefix("10.0.9.0/24"),
	}
	fmt.Println(p.Validate())
	// Output:
	// FW-5: RDP access source range 10.0.9.0/24 is larger than a /27 (TRB-3); want a /27 to /32
}

func ExampleFirewallPolicy_VirtualNetwork() {
	p := network.FirewallPolicy{
		VNet:      []netip.Prefix{netip.MustParsePrefix("192.168.0.0/24")},
		Connected: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
	}
	fmt.Println(p.VirtualNetwork())
	// Output: [192.168.0.0/24 10.0.0.0/16]
}

func ExampleValidateRules() {
	r := network.SecurityRule{
		Name: "Allow web", Priority: 50, Direction: network.Inbound, Access: network.Allow, Protocol: network.TCP,
		Sources:          []network.Address{network.TagAddress(network.TagInternet)},
		SourcePorts:      []network.PortRange{network.AnyPort()},
		Destinations:     []network.Address{network.TagAddress(network.TagVirtualNetwork)},
		DestinationPorts: []network.PortRange{network.Port(443)},
	}
	fmt.Println(network.ValidateRules([]network.SecurityRule{r}))
	// Output:
	// AZ-2: rule name "Allow web" may contain only letters, digits, '_', '.' and '-'
	// AZ-2: rule "Allow web": priority 50 is out of range; want 100 to 4096
}

func ExampleCheckEdit() {
	p := network.FirewallPolicy{VNet: []netip.Prefix{netip.MustParsePrefix("10.200.0.0/24")}}
	before := network.SecurityRules(p)
	after := network.SecurityRules(p)
	after[0].Access = network.Allow // open the deny-all rule
	fmt.Println(network.CheckEdit(before, after))
	// Output:
	// FW-6: rule "FlexDenyAllInBound" was changed from "4096 Inbound Deny * *:* -> *:* FlexDenyAllInBound" to "4096 Inbound Allow * *:* -> *:* FlexDenyAllInBound"; it is a Flex default rule and cannot be edited
}

func ExampleCustomerRules() {
	p := network.CustomerPolicy{
		Flex:    []netip.Prefix{netip.MustParsePrefix("192.168.0.0/24")},
		Clients: []netip.Prefix{netip.MustParsePrefix("10.50.0.0/16")},
	}
	if err := p.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range network.CustomerRules(p) {
		fmt.Println(r)
	}
	// Output:
	// 1000 Inbound Allow * 10.50.0.0/16:* -> VirtualNetwork:443,1494,2598 AllowCitrixLaunchInBound
	// 1010 Inbound Allow * 192.168.0.0/24:* -> VirtualNetwork:53,88,123,135-139,389,445,636 AllowFlexDomainInBound
	// 1020 Outbound Allow * VirtualNetwork:* -> 192.168.0.0/24:443,1494,2598 AllowCitrixLaunchOutBound
}

func ExampleDefaultRules() {
	for _, r := range network.DefaultRules() {
		fmt.Println(r)
	}
	// Output:
	// 65000 Inbound Allow * VirtualNetwork:* -> VirtualNetwork:* AllowVNetInBound
	// 65001 Inbound Allow * AzureLoadBalancer:* -> *:* AllowAzureLoadBalancerInBound
	// 65500 Inbound Deny * *:* -> *:* DenyAllInBound
	// 65000 Outbound Allow * VirtualNetwork:* -> VirtualNetwork:* AllowVnetOutBound
	// 65001 Outbound Allow * *:* -> Internet:* AllowInternetOutBound
	// 65500 Outbound Deny * *:* -> *:* DenyAllOutBound
}

func ExampleParsePortRange() {
	for _, s := range []string{"443", "49152-65535", "*", "70000"} {
		r, err := network.ParsePortRange(s)
		fmt.Println(r, err)
	}
	// Output:
	// 443 <nil>
	// 49152-65535 <nil>
	// * <nil>
	// 0 network: port range "70000": want a port 0-65535, a range such as 49152-65535, or *
}

func ExampleParseAddress() {
	for _, s := range []string{"VirtualNetwork", "10.0.0.0/16", "10.0.0.4", "10.0.0.4/16"} {
		a, err := network.ParseAddress(s)
		fmt.Println(a, err)
	}
	// Output:
	// VirtualNetwork <nil>
	// 10.0.0.0/16 <nil>
	// 10.0.0.4/32 <nil>
	// invalid network: address: ipam: parse "10.0.0.4/16": host bits are set; did you mean 10.0.0.0/16?
}

func ExampleParseProtocol() {
	p, err := network.ParseProtocol("tcp")
	fmt.Println(p, err)
	d, err := network.ParseDirection("inbound")
	fmt.Println(d, err)
	a, err := network.ParseAccess("deny")
	fmt.Println(a, err)
	// Output:
	// Tcp <nil>
	// Inbound <nil>
	// Deny <nil>
}

func ExampleSecurityRule_Validate() {
	r := network.SecurityRule{
		Name: "AllowProbe", Priority: 200, Direction: network.Inbound, Access: network.Allow, Protocol: network.TCP,
		Sources:          []network.Address{network.TagAddress(network.TagAzureLoadBalancer)},
		SourcePorts:      []network.PortRange{network.AnyPort()},
		Destinations:     []network.Address{network.PrefixAddress(netip.MustParsePrefix("10.0.0.0/24")), network.HostAddress(netip.MustParseAddr("10.0.1.4"))},
		DestinationPorts: []network.PortRange{network.Port(80), network.Ports(8080, 8090)},
	}
	fmt.Println(r)
	fmt.Println(r.Validate())
	// Output:
	// 200 Inbound Allow Tcp AzureLoadBalancer:* -> 10.0.0.0/24,10.0.1.4/32:80,8080-8090 AllowProbe
	// <nil>
}

func ExampleAzureHostIP() {
	fmt.Println(network.AzureHostIP())
	// Output: 168.63.129.16
}

func ExampleParseDirection() {
	d, err := network.ParseDirection("Outbound")
	fmt.Println(d, err)
	_, err = network.ParseDirection("sideways")
	fmt.Println(err)
	// Output:
	// Outbound <nil>
	// network: direction "sideways": want Inbound or Outbound
}

func ExampleParseAccess() {
	a, err := network.ParseAccess("allow")
	fmt.Println(a, err)
	// Output: Allow <nil>
}

func ExampleDecision_Allowed() {
	d := network.Evaluate(nil, network.Flow{Direction: network.Inbound, Protocol: network.TCP,
		Source: netip.MustParseAddr("20.1.2.3"), Destination: netip.MustParseAddr("10.0.0.4"), DestinationPort: 443,
		VirtualNetwork: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")}})
	fmt.Println(d.Allowed(), d.Rule, d.Default)
	// Output: false DenyAllInBound true
}

func ExampleCustomerPolicy_Validate() {
	p := network.CustomerPolicy{Proxy: netip.MustParseAddrPort("10.0.2.10:0")}
	fmt.Println(p.Validate())
	// Output:
	// FW-3: no Flex range; want the connection's Flex range, such as 10.1.0.0/24
	// FW-3: proxy 10.0.2.10:0: want an IPv4 address and a port from 1 to 65535
}

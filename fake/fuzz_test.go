package fake_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/ipam"
)

// FuzzPutVirtualNetwork puts VNets with arbitrary address spaces and
// subnets. Put never panics; what it accepts keeps AZ-1 (no reserved
// range, subnets /29 to /2 inside the space and disjoint); what it refuses
// changes nothing.
func FuzzPutVirtualNetwork(f *testing.F) {
	f.Add([]byte{10, 0, 0, 0, 16, 10, 0, 0, 0, 24, 10, 0, 1, 0, 24})
	f.Add([]byte{224, 0, 0, 0, 4, 224, 0, 0, 0, 29})
	f.Add([]byte{10, 0, 0, 0, 8, 10, 0, 0, 0, 30, 10, 0, 0, 0, 29})
	f.Fuzz(func(t *testing.T, data []byte) {
		c, _ := newCloud(t)
		var prefixes []netip.Prefix
		for len(data) >= 5 {
			p, err := netip.AddrFrom4([4]byte(data[:4])).Prefix(int(data[4] % 33))
			if err == nil {
				// Keep the host bits sometimes: Put must refuse those.
				if data[4] >= 33 {
					p = netip.PrefixFrom(netip.AddrFrom4([4]byte(data[:4])), p.Bits())
				}
				prefixes = append(prefixes, p)
			}
			data = data[5:]
		}
		if len(prefixes) == 0 {
			return
		}
		v := vnet("v", "10.0.0.0/8")
		v.AddressSpace = prefixes[:1]
		for i, p := range prefixes[1:] {
			v.Subnets = append(v.Subnets, flex.Subnet{Name: "s" + string(rune('a'+i%26)) + strings.Repeat("x", i/26), Prefix: p})
		}
		got, err := flex.PutAs(ctx, c, v)
		if err != nil {
			if k := flex.KindOf(err); k != flex.ErrInvalid {
				t.Fatalf("Put: %v, want ErrInvalid or success", err)
			}
			if n := c.Count(flex.Filter{})[flex.TypeVirtualNetwork]; n != 0 {
				t.Fatalf("a refused Put left %d VNets", n)
			}
			return
		}
		space := got.AddressSpace[0]
		if r, ok := ipam.AzureReserved(space); ok {
			t.Fatalf("accepted %s, which includes reserved %s", space, r) // RULE AZ-1
		}
		for i, s := range got.Subnets {
			if b := s.Prefix.Bits(); b < 2 || b > 29 || s.Prefix != s.Prefix.Masked() {
				t.Fatalf("accepted subnet %s", s.Prefix)
			}
			if !(space.Bits() <= s.Prefix.Bits() && space.Contains(s.Prefix.Addr())) {
				t.Fatalf("accepted subnet %s outside %s", s.Prefix, space)
			}
			for _, o := range got.Subnets[:i] {
				if o.Prefix.Overlaps(s.Prefix) {
					t.Fatalf("accepted overlapping subnets %s and %s", o.Prefix, s.Prefix)
				}
			}
		}
	})
}

// FuzzPutVMNames puts VMs with arbitrary resource and computer names. Put
// never panics, and the names it accepts keep AZ-7.
func FuzzPutVMNames(f *testing.F) {
	for _, s := range [][2]string{{"pc-001", ""}, {"vm", "PC-Sales-01"}, {"a-very-long-vm-name", ""}, {"x", "123"}, {"x", "pc-"}, {"my vm", "é"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, name, computer string) {
		c, _ := newCloud(t)
		network10(t, c)
		v := vm(name, "v", "a")
		v.ComputerName = computer
		got, err := flex.PutAs(ctx, c, v)
		if err != nil {
			if k := flex.KindOf(err); k != flex.ErrInvalid {
				t.Fatalf("Put of VM %q (%q): %v, want ErrInvalid or success", name, computer, err)
			}
			return
		}
		cn := got.ComputerName
		if len(name) == 0 || len(name) > 64 || len(cn) == 0 || len(cn) > 15 || strings.HasSuffix(cn, "-") ||
			strings.Trim(cn, "0123456789") == "" || strings.Trim(strings.ToLower(cn), "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			t.Fatalf("accepted VM %q with computer name %q", name, cn) // RULE AZ-7
		}
	})
}

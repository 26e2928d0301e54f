package flex_test

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/daasflex/daasflex/network"
)

// BenchmarkCreateConnection measures CreateConnection on the in-memory
// cloud: validation against the subscription's address space, the
// reservation and every cloud call. The peering and VPN cases delete each
// connection again, so they measure a create and a delete in a steady
// state (a VPN case makes a new cloud every 700 connections, as the
// cloud's public addresses run out); the no-connectivity case keeps every connection, each with a
// range of its own, so it also measures a growing address space.
func BenchmarkCreateConnection(b *testing.B) {
	b.Run("peering+delete", func(b *testing.B) {
		e := newEnv(b, nil)
		s := peeringSpec(e, "bench", "192.168.0.0/24")
		b.ReportAllocs()
		for b.Loop() {
			if _, err := e.tn.CreateConnection(e.ctx, flexSub, s); err != nil {
				b.Fatal(err)
			}
			if err := e.tn.DeleteConnection(e.ctx, "bench"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("vpn+delete", func(b *testing.B) {
		e := newEnv(b, nil)
		s := vpnSpec("bench")
		n := 0
		b.ReportAllocs()
		for b.Loop() {
			// The cloud hands out 762 public addresses and never reuses
			// one; each gateway takes one.
			if n++; n%700 == 0 {
				b.StopTimer()
				e = newEnv(b, nil)
				b.StartTimer()
			}
			if _, err := e.tn.CreateConnection(e.ctx, flexSub, s); err != nil {
				b.Fatal(err)
			}
			if err := e.tn.DeleteConnection(e.ctx, "bench"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("no-connectivity", func(b *testing.B) {
		e := newEnv(b, nil)
		n := 0
		b.ReportAllocs()
		for b.Loop() {
			if n == 1<<16 {
				b.StopTimer()
				e, n = newEnv(b, nil), 0
				b.StartTimer()
			}
			p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(n >> 8), byte(n), 0}), 24)
			s := network.NoConnectivitySpec{Name: fmt.Sprintf("nc-%d", n), Region: testRegion, Range: p}
			if _, err := e.tn.CreateConnection(e.ctx, flexSub, s); err != nil {
				b.Fatal(err)
			}
			n++
		}
	})
}

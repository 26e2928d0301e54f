package armsim

import (
	"context"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/daasflex/daasflex/azure/internal/armconv"
	"github.com/daasflex/daasflex/azure/internal/fakearm"
	"github.com/daasflex/daasflex/flex"
)

var netipZero netip.Addr

func secondsOf(p *int32) time.Duration { return time.Duration(deref(p)) * time.Second }

// Public IP addresses.

func (s *Sim) putPIP(id flex.ResourceID, m *armnetwork.PublicIPAddress) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key(id)
	p := s.pips[k]
	if p == nil {
		p = &pip{id: id}
		s.pips[k] = p
	}
	p.model = *m
	out := p.model
	out.ID, out.Name, out.Type = to(id.String()), to(id.Name), to(string(id.Type))
	return &out
}

// claimPIP records that the gateway owner uses the public IP pipID.
func (s *Sim) claimPIP(pipID string, owner flex.ResourceID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.pips[strings.ToLower(pipID)]; p != nil {
		p.owner = owner
	}
}

// pipOf returns the ARM ID of the public IP the gateway id uses.
func (s *Sim) pipOf(id flex.ResourceID) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.pips {
		if strings.EqualFold(p.owner.String(), id.String()) {
			return p.id.String()
		}
	}
	return ""
}

func (s *Sim) getPIP(ctx context.Context, id flex.ResourceID) (any, error) {
	s.mu.Lock()
	p := s.pips[key(id)]
	var (
		out   armnetwork.PublicIPAddress
		owner flex.ResourceID
	)
	if p != nil {
		out, owner = p.model, p.owner
	}
	s.mu.Unlock()
	if p == nil {
		return nil, notFound(id)
	}
	out.ID, out.Name, out.Type = to(id.String()), to(id.Name), to(string(id.Type))
	if out.Properties == nil {
		out.Properties = &armnetwork.PublicIPAddressPropertiesFormat{}
	} else {
		props := *out.Properties
		out.Properties = &props
	}
	if !owner.IsZero() {
		if r, err := s.cloud.Get(ctx, owner); err == nil {
			var ip netip.Addr
			switch r := r.(type) {
			case *flex.NATGateway:
				ip = r.PublicIP
			case *flex.VPNGateway:
				ip = r.PublicIP
			}
			if ip.IsValid() {
				out.Properties.IPAddress = to(ip.String())
			}
		}
	}
	return &out, nil
}

func (s *Sim) deletePIP(ctx context.Context, id flex.ResourceID) error {
	s.mu.Lock()
	p := s.pips[key(id)]
	var owner flex.ResourceID
	if p != nil {
		owner = p.owner
	}
	s.mu.Unlock()
	if p == nil {
		return nil
	}
	if !owner.IsZero() {
		if _, err := s.cloud.Get(ctx, owner); err == nil {
			return &fakearm.Error{Status: http.StatusBadRequest, Code: "PublicIPAddressInUse",
				Message: "public IP address " + id.String() + " is in use by " + owner.String() + " and cannot be deleted"}
		}
	}
	s.mu.Lock()
	delete(s.pips, key(id))
	s.mu.Unlock()
	return nil
}

// Network interfaces.

func (s *Sim) putNIC(ctx context.Context, id flex.ResourceID, m *armnetwork.Interface) (any, error) {
	vnet, subnet, _, err := armconv.NICAddress(m)
	if err != nil {
		return nil, badRequest("the request body", err)
	}
	if vnet.IsZero() || subnet == "" {
		return nil, &fakearm.Error{Status: http.StatusBadRequest, Code: "InvalidParameter", Message: "a network interface needs a subnet"}
	}
	r, err := s.cloud.Get(ctx, vnet)
	if err != nil {
		return nil, armError(err)
	}
	vn, ok := r.(*flex.VirtualNetwork)
	if !ok || !slices.ContainsFunc(vn.Subnets, func(sn flex.Subnet) bool { return strings.EqualFold(sn.Name, subnet) }) {
		return nil, &fakearm.Error{Status: http.StatusNotFound, Code: "InvalidResourceReference", Message: "subnet " + subnet + " of " + vnet.String() + " was not found"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key(id)
	n := s.nics[k]
	if n != nil && !n.vm.IsZero() {
		ov, os, _, _ := armconv.NICAddress(&n.model)
		if !strings.EqualFold(ov.String(), vnet.String()) || !strings.EqualFold(os, subnet) {
			return nil, &fakearm.Error{Status: http.StatusConflict, Code: "PropertyChangeNotAllowed",
				Message: "the network interface " + id.String() + " of VM " + n.vm.String() + " cannot move to another subnet"}
		}
	}
	if n == nil {
		n = &nic{id: id}
		s.nics[k] = n
	}
	n.model = *m
	out := n.model
	out.ID, out.Name, out.Type = to(id.String()), to(id.Name), to(string(id.Type))
	return &out, nil
}

// nicOf returns the ARM ID of the network interface of VM id.
func (s *Sim) nicOf(vm flex.ResourceID) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.nics {
		if strings.EqualFold(n.vm.String(), vm.String()) {
			return n.id.String()
		}
	}
	return ""
}

func (s *Sim) nicModel(ctx context.Context, n *nic) *armnetwork.Interface {
	out := n.model
	out.ID, out.Name, out.Type = to(n.id.String()), to(n.id.Name), to(string(n.id.Type))
	if out.Properties == nil || len(out.Properties.IPConfigurations) == 0 {
		return &out
	}
	props := *out.Properties
	out.Properties = &props
	cfg := *props.IPConfigurations[0]
	cp := *cfg.Properties
	cfg.Properties = &cp
	props.IPConfigurations = append([]*armnetwork.InterfaceIPConfiguration{&cfg}, props.IPConfigurations[1:]...)
	if !n.vm.IsZero() {
		props.VirtualMachine = &armnetwork.SubResource{ID: to(n.vm.String())}
		if r, err := s.cloud.Get(ctx, n.vm); err == nil {
			if vm, ok := r.(*flex.VirtualMachine); ok && vm.PrivateIP.IsValid() {
				cp.PrivateIPAddress = to(vm.PrivateIP.String())
			}
		}
	}
	return &out
}

func (s *Sim) getNIC(ctx context.Context, id flex.ResourceID) (any, error) {
	s.mu.Lock()
	n := s.nics[key(id)]
	var c nic
	if n != nil {
		c = *n
	}
	s.mu.Unlock()
	if n == nil {
		return nil, notFound(id)
	}
	return s.nicModel(ctx, &c), nil
}

func (s *Sim) listNICs(ctx context.Context, scope flex.ResourceID) ([]any, error) {
	s.mu.Lock()
	var ns []nic
	for _, n := range s.nics {
		if strings.EqualFold(n.id.Subscription, scope.Subscription) && strings.EqualFold(n.id.ResourceGroup, scope.Name) {
			ns = append(ns, *n)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(ns, func(a, b nic) int { return strings.Compare(key(a.id), key(b.id)) })
	out := make([]any, len(ns))
	for i := range ns {
		out[i] = s.nicModel(ctx, &ns[i])
	}
	return out, nil
}

func (s *Sim) deleteNIC(ctx context.Context, id flex.ResourceID) error {
	s.mu.Lock()
	n := s.nics[key(id)]
	var vm flex.ResourceID
	if n != nil {
		vm = n.vm
	}
	s.mu.Unlock()
	if n == nil {
		return nil
	}
	if !vm.IsZero() {
		if _, err := s.cloud.Get(ctx, vm); err == nil {
			return &fakearm.Error{Status: http.StatusBadRequest, Code: "NicInUse",
				Message: "network interface " + id.String() + " is used by VM " + vm.String() + " and cannot be deleted"}
		}
	}
	s.mu.Lock()
	delete(s.nics, key(id))
	s.mu.Unlock()
	return nil
}

// releaseNICs deletes the network interfaces of a deleted VM, as their
// delete option says.
func (s *Sim) releaseNICs(vm flex.ResourceID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, n := range s.nics {
		if strings.EqualFold(n.vm.String(), vm.String()) {
			delete(s.nics, k)
		}
	}
}

// Extras returns the IDs of the public IP addresses and network interfaces
// the simulator keeps (the resources the simulated cloud has no type for),
// sorted, so that tests can check that none is left behind.
func (s *Sim) Extras() []flex.ResourceID {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []flex.ResourceID
	for _, p := range s.pips {
		out = append(out, p.id)
	}
	for _, n := range s.nics {
		out = append(out, n.id)
	}
	slices.SortFunc(out, func(a, b flex.ResourceID) int { return strings.Compare(key(a), key(b)) })
	return out
}

package flex

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// builderVM is the resource name of a build machine in its image's
// resource group; it is also its computer name (AZ-7).
const builderVM = "imagebuilder"

// BuildImage builds a new image from a Ready base image (IMG-2): it
// creates a build machine of the spec's size in the image's resource group,
// in its own subnet of the spec's connection (or, with No connectivity, of
// a Citrix-managed VNet in the spec's region; REG-2), whose firewall allows
// RDP from the restricted range to that machine only (FW-4). The image goes
// Pending → BuilderProvisioning → BuilderActive (API-3), ready for
// installing apps and updates over RDP; progress is reported through the
// WithProgress callback. On failure or cancellation nothing is left in the
// cloud and the image is not kept.
//
// The base is looked up by spec.Base.Name: a prepared image or a Ready image
// of the same subscription (SUB-2). Spec problems are reported all at once
// as an ErrInvalid error whose rule IDs rule.IDs lists. The firewall
// generator takes one customer range per machine, so at most one restricted
// range may be given (FW-4, a decision); without one, no RDP rule is made
// and the build machine is reachable from nowhere.
func (t *Tenant) BuildImage(ctx context.Context, spec image.BuildSpec) (ImageDetails, error) {
	const op = "BuildImage"
	obj := imageObject(spec.Name)
	if err := t.authorize(ctx, op, true); err != nil {
		return ImageDetails{}, err
	}
	var l rule.List
	l.Append(spec.Validate())
	if len(spec.AllowedIPs) > 1 {
		l.Add("FW-4", "%d restricted IP ranges; the build machine's firewall takes one customer range, give one that covers your administrators' addresses", len(spec.AllowedIPs))
	}
	if err := l.Err(); err != nil {
		return ImageDetails{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	var rdp netip.Prefix
	if len(spec.AllowedIPs) == 1 {
		rdp = spec.AllowedIPs[0]
	}

	t.mu.Lock()
	o, c, baseRef, err := t.reserveBuild(op, spec, rdp)
	t.mu.Unlock()
	if err != nil {
		return ImageDetails{}, err
	}

	err = t.provisionBuilder(ctx, o, c, spec, baseRef)
	t.mu.Lock()
	defer t.mu.Unlock()
	o.busy = ""
	if err != nil {
		if cerr := t.cleanupFailed(o); cerr != nil {
			o.img, _ = o.img.Apply(image.Fail)
			o.failure = fmt.Sprintf("build failed: %v; cleanup failed: %v", err, cerr)
			return t.details(o), &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
		}
		delete(t.images, imageKey(o.sub, o.img.Name))
		return ImageDetails{}, &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
	}
	o.img, _ = o.img.Apply(image.BuilderReady)
	return t.details(o), nil
}

// reserveBuild makes the cross-object checks of a build and inserts the
// image in state BuilderProvisioning, busy, so that concurrent builders of
// the same name get ErrConflict. t.mu must be held.
func (t *Tenant) reserveBuild(op string, spec image.BuildSpec, rdp netip.Prefix) (*imageObj, *connection, ImageRef, error) {
	obj := imageObject(spec.Name)
	s, err := t.subscription(op, spec.Subscription)
	if err != nil {
		return nil, nil, ImageRef{}, err
	}
	if err := t.checkNewImageName(op, s.name, spec.Name); err != nil {
		return nil, nil, ImageRef{}, err
	}
	base, baseRef, err := t.imageFor(op, s.name, spec.Base.Name)
	if err != nil {
		return nil, nil, ImageRef{}, err
	}
	spec.Base = base // the Tenant's copy, not the caller's
	if err := spec.Validate(); err != nil {
		return nil, nil, ImageRef{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	id := t.newImageID(s.name, spec.Name)
	var c *connection
	var region network.Region
	if spec.Connection != "" {
		if c, err = t.connectionFor(op, s.name, spec.Connection); err != nil {
			return nil, nil, ImageRef{}, err
		}
		region = c.region // REG-2: the connection's region
	} else {
		if region, err = network.ParseRegion(spec.Region); err != nil {
			return nil, nil, ImageRef{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: rule.Errorf("REG-1", "%v", err)}
		}
		c = t.managedConnection(s.name, region, "image/"+id)
	}
	if base.Origin != image.OriginPrepared && t.imageRegion(s.name, base.Name) != region {
		return nil, nil, ImageRef{}, refuse(ErrPrecondition, op, obj, "REG-2", "base image %q is in region %s; a build in %s needs a base image there or a prepared one",
			base.Name, t.imageRegion(s.name, base.Name), region)
	}
	if rdp.IsValid() {
		if err := checkRDPSource("FW-4", "restricted IP range", rdp, t.firewallPolicy(c, spec.Domain.Joined()).VNet); err != nil {
			return nil, nil, ImageRef{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
		}
	}
	img, _ := spec.Image().Apply(image.Start) // Pending → BuilderProvisioning
	o := &imageObj{
		img: img, id: id, sub: s.name, azureID: s.azureID, region: region, conn: spec.Connection, c: c,
		created: t.now(), busy: op,
		builder: &builder{size: spec.Size, username: spec.Username, rdp: rdp, power: PowerDeallocated},
	}
	t.initImaging()
	t.images[imageKey(s.name, spec.Name)] = o
	return o, c, baseRef, nil
}

// checkRDPSource checks a customer range allowed to RDP in: an IPv4 range
// outside the VNet, so that RDP between the machines inside stays blocked.
func checkRDPSource(id, what string, src netip.Prefix, vnet []netip.Prefix) error {
	var l rule.List
	switch {
	case !src.IsValid() || !src.Addr().Is4():
		l.Add(id, "%s %s is not an IPv4 range; want one such as 203.0.113.0/28", what, src)
	case src != src.Masked():
		l.Add(id, "%s %s has host bits set; want %s", what, src, src.Masked())
	}
	for _, v := range vnet {
		if src.IsValid() && v.Overlaps(src) {
			l.Add(id, "%s %s overlaps the VNet range %s, which would open RDP between the machines inside; want a range outside it", what, src, v)
		}
	}
	return l.Err()
}

// provisionBuilder creates the build machine of o: its resource group,
// network, subnet with firewall rules (FW-4) and VM. t.mu must not be held.
func (t *Tenant) provisionBuilder(ctx context.Context, o *imageObj, c *connection, spec image.BuildSpec, base ImageRef) error {
	p := Progress{Op: "BuildImage", Object: imageObject(spec.Name), Total: 4}
	step := func(phase string) {
		p.Phase = phase
		t.report(p)
		p.Done++
	}
	step("resource group")
	rgID := t.imageGroup(o)
	tags := t.tags(o.owner())
	rg := &ResourceGroup{Meta: Meta{ID: rgID, Region: o.region, Tags: tags}}
	if _, err := t.netPut(ctx, rg); err != nil {
		return err
	}

	step("network")
	if err := t.ensureNetwork(ctx, c); err != nil {
		return err
	}
	t.mu.Lock()
	policy := t.firewallPolicy(c, spec.Domain.Joined())
	t.mu.Unlock()
	sn, err := t.addSubnet(ctx, c, o.owner(), 1, policy)
	if err != nil {
		return err
	}
	t.mu.Lock()
	b := o.builder
	b.subnet, b.hasSubnet = sn, true
	b.vm = ResourceID{Subscription: rgID.Subscription, ResourceGroup: rgID.Name, Type: TypeVirtualMachine, Name: builderVM}
	t.mu.Unlock()

	step("build machine")
	vm := &VirtualMachine{
		Meta:          Meta{ID: b.vm, Region: o.region, Tags: tags},
		Size:          spec.Size,
		ComputerName:  builderVM,
		Image:         base,
		Generation:    spec.Base.Generation,
		Network:       sn.VNet,
		Subnet:        sn.Name,
		AdminUsername: spec.Username,
		AdminPassword: spec.Password,
	}
	got, err := putAs(ctx, t, vm)
	if err != nil {
		return err
	}

	step("firewall")
	t.mu.Lock()
	b.addr, b.power = got.PrivateIP, got.PowerState
	b.registered = b.rdp.IsValid()
	t.mu.Unlock()
	if b.registered {
		if err := t.refreshFirewall(ctx, c); err != nil {
			return err
		}
	}
	p.Phase = "done"
	t.report(p)
	return nil
}

// removeBuilder deletes the build machine of o, if any: its firewall rules
// (FW-4: removed when the builder goes), VM and subnet. t.mu must not be
// held.
func (t *Tenant) removeBuilder(ctx context.Context, o *imageObj) error {
	t.mu.Lock()
	b, c := o.builder, o.c
	registered := b != nil && b.registered
	if registered {
		b.registered = false
	}
	t.mu.Unlock()
	if b == nil {
		return nil
	}
	if registered {
		if err := t.refreshFirewall(ctx, c); err != nil {
			t.mu.Lock()
			b.registered = true
			t.mu.Unlock()
			return err
		}
	}
	if !b.vm.IsZero() {
		if err := t.call(ctx, "Delete", b.vm, func(ctx context.Context) error { return t.provider.Delete(ctx, b.vm) }); err != nil {
			return err
		}
	}
	if b.hasSubnet {
		if err := t.call(ctx, "removeSubnet", b.subnet.VNet, func(ctx context.Context) error { return t.removeSubnet(ctx, c, b.subnet) }); err != nil {
			return err
		}
	}
	t.mu.Lock()
	o.builder, o.c = nil, nil
	t.mu.Unlock()
	return nil
}

// buildingImage returns the subscription's image name with its build
// machine, idle, for op. t.mu must be held.
func (t *Tenant) buildingImage(op, subscription, name string) (*imageObj, error) {
	o, err := t.image(op, subscription, name)
	if err != nil {
		return nil, err
	}
	if o.busy != "" {
		return nil, Errorf(ErrBusy, op, imageObject(o.img.Name), "image %q is busy with %s", o.img.Name, o.busy)
	}
	return o, nil
}

// ImageBuilderAction powers the build machine of an image on
// (image.PowerOn: BuilderStopped → BuilderActive) or off (image.PowerOff:
// BuilderActive → BuilderStopped, deallocating it to save costs) while
// apps and updates are installed (IMG-3). Other actions, or an image not in
// the state the action needs, are refused with the allowed actions named.
func (t *Tenant) ImageBuilderAction(ctx context.Context, subscription, name string, a image.Action) (ImageDetails, error) {
	const op = "ImageBuilderAction"
	if err := t.authorize(ctx, op, true); err != nil {
		return ImageDetails{}, err
	}
	var power PowerAction
	switch a {
	case image.PowerOn:
		power = Start
	case image.PowerOff:
		power = Deallocate
	default:
		return ImageDetails{}, refuse(ErrInvalid, op, imageObject(name), "IMG-3", "%s is not an action on the build machine; want power on or power off", a)
	}
	t.mu.Lock()
	o, err := t.buildingImage(op, subscription, name)
	if err != nil {
		t.mu.Unlock()
		return ImageDetails{}, err
	}
	if o.builder == nil {
		// A deletion that failed after removing the build machine leaves
		// the image without one; only deleting it again helps.
		t.mu.Unlock()
		return ImageDetails{}, Errorf(ErrPrecondition, op, imageObject(o.img.Name), "the image has no build machine any more; delete the image again")
	}
	next, err := o.img.Apply(a)
	if err != nil {
		t.mu.Unlock()
		return ImageDetails{}, &Error{Kind: ErrPrecondition, Op: op, Object: imageObject(o.img.Name), Err: err}
	}
	o.busy = op
	vm := o.builder.vm
	t.mu.Unlock()

	err = t.call(ctx, string(power), vm, func(ctx context.Context) error { return t.provider.Power(ctx, vm, power) })
	t.mu.Lock()
	defer t.mu.Unlock()
	o.busy = ""
	if err != nil {
		return t.details(o), &Error{Kind: KindOf(err), Op: op, Object: imageObject(o.img.Name), Err: err}
	}
	o.img = next
	o.builder.power = PowerRunning
	if a == image.PowerOff {
		o.builder.power = PowerDeallocated
	}
	return t.details(o), nil
}

// RDPTarget is where an administrator connects by RDP: the content of the
// RDP file the console offers. The password is not part of it.
type RDPTarget struct {
	Address  netip.AddrPort
	Username string
}

// ImageBuilderRDP returns where to connect by RDP to an image's build
// machine (IMG-3): only while it is on (BuilderActive), and to the private
// address only when the build uses a network connection. The public
// address needs a public IP, which the Provider does not model: asking for
// it answers ErrPrecondition.
func (t *Tenant) ImageBuilderRDP(ctx context.Context, subscription, name string, addr image.RDPAddress) (RDPTarget, error) {
	const op = "ImageBuilderRDP"
	if err := t.authorize(ctx, op, false); err != nil {
		return RDPTarget{}, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	o, err := t.image(op, subscription, name)
	if err != nil {
		return RDPTarget{}, err
	}
	if err := o.img.CheckRDP(addr, o.conn != ""); err != nil {
		return RDPTarget{}, &Error{Kind: ErrPrecondition, Op: op, Object: imageObject(o.img.Name), Err: err}
	}
	if o.builder == nil || !o.builder.addr.IsValid() {
		return RDPTarget{}, refuse(ErrPrecondition, op, imageObject(o.img.Name), "IMG-3", "image %q has no build machine address yet", o.img.Name)
	}
	if addr == image.PublicAddress {
		return RDPTarget{}, refuse(ErrPrecondition, op, imageObject(o.img.Name), "IMG-3", "the cloud reports no public address for the build machine of %q; connect to its private address through a network connection", o.img.Name)
	}
	return RDPTarget{Address: netip.AddrPortFrom(o.builder.addr, 3389), Username: o.builder.username}, nil
}

// ChangeRootPassword changes the root password of an Ubuntu image while it
// is being customized (IMG-4: BuilderActive or BuilderStopped), never
// after it is finished. The password is a secret that no error, log or view
// shows (SEC-1).
func (t *Tenant) ChangeRootPassword(ctx context.Context, subscription, name string, password secret.Value) error {
	const op = "ChangeRootPassword"
	if err := t.authorize(ctx, op, true); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	o, err := t.buildingImage(op, subscription, name)
	if err != nil {
		return err
	}
	if err := o.img.CheckRootPasswordChange(password); err != nil {
		kind := ErrPrecondition
		if password.IsZero() {
			kind = ErrInvalid
		}
		return &Error{Kind: kind, Op: op, Object: imageObject(o.img.Name), Err: err}
	}
	if o.builder == nil {
		return Errorf(ErrPrecondition, op, imageObject(o.img.Name), "the image has no build machine any more; delete the image again")
	}
	o.builder.rootChanged = t.now()
	return nil
}

// FinishImageBuild finishes the build of an image (IMG-3): the image goes
// BuilderVerifying, the build machine is stopped and captured into a
// managed image, and the machine, its subnet and its firewall rules (FW-4)
// are deleted; the image is then Ready and immutable. If any step fails the
// image is Failed, with the reason in its details, and nothing of it is left
// in the cloud.
func (t *Tenant) FinishImageBuild(ctx context.Context, subscription, name string) (ImageDetails, error) {
	const op = "FinishImageBuild"
	if err := t.authorize(ctx, op, true); err != nil {
		return ImageDetails{}, err
	}
	t.mu.Lock()
	o, err := t.buildingImage(op, subscription, name)
	if err != nil {
		t.mu.Unlock()
		return ImageDetails{}, err
	}
	verifying, err := o.img.Apply(image.FinishBuild)
	if err != nil {
		t.mu.Unlock()
		return ImageDetails{}, &Error{Kind: ErrPrecondition, Op: op, Object: imageObject(o.img.Name), Err: err}
	}
	o.img, o.busy = verifying, op
	b := o.builder
	t.mu.Unlock()

	err = t.captureBuilder(ctx, o, b)
	t.mu.Lock()
	defer t.mu.Unlock()
	o.busy = ""
	if err != nil {
		o.img, _ = o.img.Apply(image.Fail)
		o.failure = fmt.Sprintf("finishing the build failed: %v", err)
		if cerr := t.cleanupFailed(o); cerr != nil {
			o.failure += fmt.Sprintf("; cleanup failed: %v", cerr)
		} else {
			o.managed = ResourceID{}
		}
		return t.details(o), &Error{Kind: KindOf(err), Op: op, Object: imageObject(o.img.Name), Err: err}
	}
	o.img, _ = o.img.Apply(image.Validated)
	return t.details(o), nil
}

// captureBuilder stops the build machine, captures it into the image's
// managed image and removes the machine. t.mu must not be held.
func (t *Tenant) captureBuilder(ctx context.Context, o *imageObj, b *builder) error {
	p := Progress{Op: "FinishImageBuild", Object: imageObject(o.img.Name), Total: 3}
	p.Phase = "stop"
	t.report(p)
	t.mu.Lock()
	running := b.power != PowerDeallocated && b.power != PowerStopped
	t.mu.Unlock()
	if running {
		if err := t.call(ctx, string(Deallocate), b.vm, func(ctx context.Context) error { return t.provider.Power(ctx, b.vm, Deallocate) }); err != nil {
			return err
		}
		t.mu.Lock()
		b.power = PowerDeallocated
		t.mu.Unlock()
	}
	p.Phase, p.Done = "capture", 1
	t.report(p)
	rg := t.imageGroup(o)
	res := &Image{
		Meta:       Meta{ID: ResourceID{Subscription: rg.Subscription, ResourceGroup: rg.Name, Type: TypeImage, Name: "image"}, Region: o.region, Tags: t.tags(o.owner())},
		Generation: o.img.Generation,
		OS:         o.img.OS,
		Source:     b.vm,
	}
	if _, err := t.netPut(ctx, res); err != nil {
		return err
	}
	t.mu.Lock()
	o.managed = res.ID
	t.mu.Unlock()
	p.Phase, p.Done = "remove build machine", 2
	t.report(p)
	if err := t.removeBuilder(ctx, o); err != nil {
		return err
	}
	p.Phase, p.Done = "done", 3
	t.report(p)
	return nil
}

package flex

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

// ImageDetails is an image as the Tenant reports it: the image itself
// (state named as in API-3), where it lives, what uses it (IMG-7) and, while
// it is being built, its build machine. It is a copy; changing it changes
// nothing. It holds no secret: neither the builder's password nor an import
// URL's signature (SEC-1).
type ImageDetails struct {
	image.Image
	// Subscription is the Flex subscription the image belongs to; empty
	// for the Citrix-prepared images, which every subscription can use.
	Subscription string
	// Connection is the network connection of the build machine; empty
	// for No connectivity, imports and prepared images.
	Connection string
	// Region is where the image (and its build machine) is; empty for
	// prepared images, which exist in every region.
	Region network.Region
	// Usage counts the catalogs and machines that use the image (IMG-7).
	Usage image.Usage
	// Created is when the build or import was submitted; zero for prepared
	// images.
	Created time.Time
	// Builder is the build machine while the image is being built; its zero
	// value otherwise.
	Builder Builder
	// Source describes where an imported image came from, with any SAS
	// signature redacted (SEC-1).
	Source string
	// Failure says why a build or import failed (state Failed).
	Failure string
}

// String returns the image's name, state and subscription, such as
// `"Sales" [BuilderActive] in subscription "prod"`.
func (d ImageDetails) String() string {
	if d.Subscription == "" {
		return fmt.Sprintf("%q [%s, CITRIX]", d.Name, d.State)
	}
	return fmt.Sprintf("%q [%s] in subscription %q", d.Name, d.State, d.Subscription)
}

// Builder is the build machine of an image under construction (IMG-3).
type Builder struct {
	VM       ResourceID // the virtual machine
	Size     string
	Username string       // the logon user for RDP
	Address  netip.Addr   // its private address
	Power    PowerState   // running or deallocated
	RDPFrom  netip.Prefix // the customer range allowed to RDP to it (FW-4); zero: none
	// RootPasswordChanged is when the root password of an Ubuntu build was
	// last changed (IMG-4); zero if never.
	RootPasswordChanged time.Time
}

// imaging is the image and troubleshooting state of a Tenant, embedded in
// Tenant and guarded by t.mu.
type imaging struct {
	images     map[string]*imageObj   // by imageKey(subscription, name)
	bastions   map[string]*bastionObj // by fold(connection)
	rdpAccess  map[string]*rdpObj     // by fold(connection)
	activities []*activity
}

// imageObj is one built or imported image.
type imageObj struct {
	img     image.Image
	id      string // stable identity: the owner tag "image/<id>" and the resource group
	sub     string // the subscription's name
	azureID string // the subscription's Azure ID
	region  network.Region
	conn    string      // connection name; "" for No connectivity and imports
	c       *connection // the build's connection while the builder exists
	created time.Time
	managed ResourceID // the managed image, once captured or imported
	key     ResourceID // the customer-managed key (KEY-2)
	keyName string
	builder *builder
	busy    string // the operation working on it; "" when idle
	source  string // redacted description of an import source
	failure string
}

// builder is the build machine of an image.
type builder struct {
	vm          ResourceID
	size        string
	username    string
	addr        netip.Addr
	rdp         netip.Prefix // FW-4 source range; zero: no RDP rule
	subnet      connSubnet
	hasSubnet   bool
	registered  bool // whether connectionHosts reports it
	power       PowerState
	rootChanged time.Time
}

func imageKey(subscription, name string) string { return fold(subscription) + "\x00" + fold(name) }

func imageObject(name string) string { return fmt.Sprintf("image %q", name) }

// owner returns the owner tag value of the image's resources.
func (o *imageObj) owner() string { return "image/" + o.id }

// preparedURNs are the marketplace images the Citrix-prepared images boot
// from (IMG-1), by prepared image name.
var preparedURNs = map[string]string{
	"Windows 11 Pro (single-session)":     "MicrosoftWindowsDesktop:windows-11:win11-24h2-pro:latest",
	"Windows Server 2019 (multi-session)": "MicrosoftWindowsServer:WindowsServer:2019-datacenter-gensecond:latest",
	"Windows Server 2022 (multi-session)": "MicrosoftWindowsServer:WindowsServer:2022-datacenter-g2:latest",
	"Windows Server 2025 (multi-session)": "MicrosoftWindowsServer:WindowsServer:2025-datacenter-g2:latest",
	"Ubuntu 22.04 LTS (single-session)":   "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest",
	"Ubuntu 22.04 LTS (multi-session)":    "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest",
}

// preparedRef returns the image reference of a prepared image.
func preparedRef(img image.Image) ImageRef { return ImageRef{URN: preparedURNs[img.Name]} }

// ref returns the reference machines made from the image use.
func (o *imageObj) ref() ImageRef { return ImageRef{ID: o.managed} }

// imageFor returns the image named name that a catalog of the subscription
// may use, and the reference its machines boot from: a prepared image by
// name (IMG-1, any subscription) or the subscription's own image (SUB-2),
// which must be Ready (IMG-3) and not being deleted. t.mu must be held.
func (t *Tenant) imageFor(op, subscription, name string) (image.Image, ImageRef, error) {
	if img, ok := image.LookupPrepared(name); ok {
		return img, preparedRef(img), nil
	}
	o, err := t.image(op, subscription, name)
	if err != nil {
		return image.Image{}, ImageRef{}, err
	}
	if o.busy == "DeleteImage" {
		return image.Image{}, ImageRef{}, Errorf(ErrBusy, op, imageObject(o.img.Name), "image %q is being deleted", o.img.Name)
	}
	if o.img.State != image.Ready {
		return image.Image{}, ImageRef{}, refuse(ErrPrecondition, op, imageObject(o.img.Name), "IMG-3",
			"image %q is in state %s (%s); only a Ready image can be used", o.img.Name, o.img.State, o.img.State.Display())
	}
	return o.img, o.ref(), nil
}

// imageRegion returns the region of the subscription's image name, or ""
// for a prepared image (which exists in every region) or an unknown one.
// Machines must be in their image's region. t.mu must be held.
func (t *Tenant) imageRegion(subscription, name string) network.Region {
	if o := t.images[imageKey(subscription, name)]; o != nil {
		return o.region
	}
	return ""
}

// image returns the subscription's own image named name. t.mu must be held.
func (t *Tenant) image(op, subscription, name string) (*imageObj, error) {
	if _, err := t.subscription(op, subscription); err != nil {
		return nil, err
	}
	if o := t.images[imageKey(subscription, name)]; o != nil {
		return o, nil
	}
	for _, o := range t.images {
		if strings.EqualFold(o.img.Name, name) {
			return nil, refuse(ErrNotFound, op, imageObject(name), "SUB-2",
				"image %q belongs to subscription %q, not %q; nothing is shared between subscriptions", o.img.Name, o.sub, subscription)
		}
	}
	return nil, Errorf(ErrNotFound, op, imageObject(name), "subscription %q has no image named %q", subscription, name)
}

// imageUsers names the images whose build machine uses the connection
// named name (NET-8: a connection in use cannot be deleted; NET-15: its
// details count them), sorted. t.mu must be held.
func (t *Tenant) imageUsers(name string) []string {
	var users []string
	for _, o := range t.images {
		if o.builder != nil && o.conn != "" && strings.EqualFold(o.conn, name) {
			users = append(users, o.img.Name)
		}
	}
	slices.Sort(users)
	return users
}

// imagesUsingConnection is imageUsers, under the name connection.go calls
// (NET-8, NET-15). t.mu must be held.
func (t *Tenant) imagesUsingConnection(name string) []string { return t.imageUsers(name) }

// imagesInSubscription names the images of the subscription (SUB-3).
// t.mu must be held.
func (t *Tenant) imagesInSubscription(name string) []string {
	var users []string
	for _, o := range t.images {
		if strings.EqualFold(o.sub, name) {
			users = append(users, imageObject(o.img.Name))
		}
	}
	return users
}

// imagesUsingKey names the images of the subscription encrypted with the
// customer-managed key named key (KEY-2), sorted. t.mu must be held.
func (t *Tenant) imagesUsingKey(subscription, key string) []string {
	var users []string
	for _, o := range t.images {
		if strings.EqualFold(o.sub, subscription) && o.keyName != "" && strings.EqualFold(o.keyName, key) {
			users = append(users, o.img.Name)
		}
	}
	slices.Sort(users)
	return users
}

// newImageID returns a stable identity for a new image of the subscription
// named name: the name, with a "-n" suffix when a renamed image still holds
// the name's resource group. t.mu must be held.
func (t *Tenant) newImageID(subscription, name string) string {
	taken := func(id string) bool {
		for _, o := range t.images {
			if strings.EqualFold(o.sub, subscription) && strings.EqualFold(o.id, id) {
				return true
			}
		}
		return false
	}
	id := name
	for n := 2; taken(id); n++ {
		id = fmt.Sprintf("%s-%d", name, n)
	}
	return id
}

// checkNewImageName reports why a new image of the subscription cannot be
// named name: a prepared image's name or another image's (IMG-7). t.mu
// must be held.
func (t *Tenant) checkNewImageName(op, subscription, name string) error {
	if img, ok := image.LookupPrepared(name); ok {
		return refuse(ErrConflict, op, imageObject(name), "IMG-1", "%q is the name of a Citrix-prepared image; choose another name", img.Name)
	}
	if o := t.images[imageKey(subscription, name)]; o != nil {
		return refuse(ErrConflict, op, imageObject(name), "IMG-7", "subscription %q already has an image named %q; names are unique", subscription, o.img.Name)
	}
	return nil
}

// imageGroup returns the resource group of an image.
func (t *Tenant) imageGroup(o *imageObj) ResourceID {
	return GroupID(o.azureID, t.groupName("image", o.id))
}

// details returns the view of an image. t.mu must be held.
func (t *Tenant) details(o *imageObj) ImageDetails {
	d := ImageDetails{
		Image:        o.img,
		Subscription: o.sub,
		Connection:   o.conn,
		Region:       o.region,
		Created:      o.created,
		Source:       o.source,
		Failure:      o.failure,
	}
	if o.img.State == image.Ready {
		d.Usage = t.imageUsage(o.sub, o.img.Name)
	}
	if b := o.builder; b != nil {
		d.Builder = Builder{VM: b.vm, Size: b.size, Username: b.username, Address: b.addr, Power: b.power,
			RDPFrom: b.rdp, RootPasswordChanged: b.rootChanged}
	}
	return d
}

// imageCatalogs names the catalogs of the subscription (of every
// subscription when it is empty, for prepared images) whose current image
// is name. t.mu must be held.
func (t *Tenant) imageCatalogs(subscription, name string) []string {
	return t.catalogsUsingImage(subscription, name)
}

// imageUsage counts the catalogs and machines of the subscription (of
// every subscription when it is empty, for prepared images) that use the
// image named name (IMG-7, SUB-2). t.mu must be held.
func (t *Tenant) imageUsage(subscription, name string) image.Usage {
	return image.Usage{Catalogs: len(t.catalogsUsingImage(subscription, name)), Machines: t.machinesUsingImage(subscription, name)}
}

// preparedDetails returns the view of a prepared image.
func (t *Tenant) preparedDetails(img image.Image) ImageDetails {
	return ImageDetails{Image: img, Usage: t.imageUsage("", img.Name)}
}

// Images lists the images of the tenant: the six Citrix-prepared images
// first, in the console's order (IMG-1), then the built and imported
// images by subscription and name. Each counts the catalogs and machines
// that use it (IMG-7).
func (t *Tenant) Images(ctx context.Context) ([]ImageDetails, error) {
	if err := t.authorize(ctx, "Images", false); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	prepared := image.Prepared()
	out := make([]ImageDetails, 0, len(prepared)+len(t.images))
	for _, img := range prepared {
		out = append(out, t.preparedDetails(img))
	}
	own := make([]ImageDetails, 0, len(t.images))
	for _, o := range t.images {
		own = append(own, t.details(o))
	}
	slices.SortFunc(own, func(a, b ImageDetails) int {
		return cmp.Or(strings.Compare(fold(a.Subscription), fold(b.Subscription)), strings.Compare(fold(a.Name), fold(b.Name)))
	})
	return append(out, own...), nil
}

// Image returns one image: a prepared image by name, or the subscription's
// own image.
func (t *Tenant) Image(ctx context.Context, subscription, name string) (ImageDetails, error) {
	if err := t.authorize(ctx, "Image", false); err != nil {
		return ImageDetails{}, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if img, ok := image.LookupPrepared(name); ok {
		return t.preparedDetails(img), nil
	}
	o, err := t.image("Image", subscription, name)
	if err != nil {
		return ImageDetails{}, err
	}
	return t.details(o), nil
}

// RenameImage renames one of the subscription's images (IMG-7). Names are
// unique per subscription and differ from the prepared images' names;
// prepared images cannot be renamed (IMG-1). The image's cloud resources
// keep their names and tags: they are keyed by the image's identity, not
// its name, and so are the catalogs that use it.
func (t *Tenant) RenameImage(ctx context.Context, subscription, name, newName string) (ImageDetails, error) {
	const op = "RenameImage"
	if err := t.authorize(ctx, op, true); err != nil {
		return ImageDetails{}, err
	}
	if img, ok := image.LookupPrepared(name); ok {
		_, err := img.Rename(newName)
		return ImageDetails{}, &Error{Kind: ErrInvalid, Op: op, Object: imageObject(img.Name), Err: err}
	}
	if err := image.ValidateName(newName); err != nil {
		return ImageDetails{}, &Error{Kind: ErrInvalid, Op: op, Object: imageObject(name), Err: err}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	o, err := t.image(op, subscription, name)
	if err != nil {
		return ImageDetails{}, err
	}
	if o.busy != "" {
		return ImageDetails{}, Errorf(ErrBusy, op, imageObject(o.img.Name), "image %q is busy with %s", o.img.Name, o.busy)
	}
	if imageKey(subscription, newName) != imageKey(subscription, name) {
		if err := t.checkNewImageName(op, subscription, newName); err != nil {
			return ImageDetails{}, err
		}
	}
	img, err := o.img.Rename(newName)
	if err != nil {
		return ImageDetails{}, &Error{Kind: ErrInvalid, Op: op, Object: imageObject(name), Err: err}
	}
	delete(t.images, imageKey(subscription, name))
	t.catalogsRenameImage(o.sub, name, newName)
	o.img = img
	t.images[imageKey(subscription, newName)] = o
	return t.details(o), nil
}

// SetImageNotes replaces the notes of one of the subscription's images
// (IMG-7), at most 1,024 characters, in any state. Prepared images' notes
// cannot be edited (IMG-1).
func (t *Tenant) SetImageNotes(ctx context.Context, subscription, name, notes string) (ImageDetails, error) {
	const op = "SetImageNotes"
	if err := t.authorize(ctx, op, true); err != nil {
		return ImageDetails{}, err
	}
	if img, ok := image.LookupPrepared(name); ok {
		_, err := img.WithNotes(notes)
		return ImageDetails{}, &Error{Kind: ErrInvalid, Op: op, Object: imageObject(img.Name), Err: err}
	}
	if err := image.ValidateNotes(notes); err != nil {
		return ImageDetails{}, &Error{Kind: ErrInvalid, Op: op, Object: imageObject(name), Err: err}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	o, err := t.image(op, subscription, name)
	if err != nil {
		return ImageDetails{}, err
	}
	img, err := o.img.WithNotes(notes)
	if err != nil {
		return ImageDetails{}, &Error{Kind: ErrInvalid, Op: op, Object: imageObject(name), Err: err}
	}
	o.img = img
	return t.details(o), nil
}

// DeleteImage deletes one of the subscription's images and every cloud
// resource it has: the managed image, and a build machine with its subnet
// and firewall rules (FW-4). An image that a catalog or its machines use
// cannot be deleted (IMG-7, a decision), nor can a prepared image (IMG-1);
// an image busy with another operation answers ErrBusy.
func (t *Tenant) DeleteImage(ctx context.Context, subscription, name string) error {
	const op = "DeleteImage"
	if err := t.authorize(ctx, op, true); err != nil {
		return err
	}
	if img, ok := image.LookupPrepared(name); ok {
		return &Error{Kind: ErrPrecondition, Op: op, Object: imageObject(img.Name), Err: img.CheckDelete(image.Usage{})}
	}
	t.mu.Lock()
	o, err := t.image(op, subscription, name)
	if err != nil {
		t.mu.Unlock()
		return err
	}
	if o.busy != "" {
		busyErr := Errorf(ErrBusy, op, imageObject(o.img.Name), "image %q is busy with %s", o.img.Name, o.busy) // built under the lock: it reads fields others write
		t.mu.Unlock()
		return busyErr
	}
	{
		users := t.imageCatalogs(o.sub, o.img.Name)
		if err := o.img.CheckDelete(t.imageUsage(o.sub, o.img.Name)); err != nil {
			t.mu.Unlock()
			if len(users) > 0 {
				err = fmt.Errorf("%w (catalogs: %s)", err, strings.Join(users, ", "))
			}
			return &Error{Kind: ErrPrecondition, Op: op, Object: imageObject(o.img.Name), Err: err}
		}
	}
	o.busy = op
	t.mu.Unlock()

	err = t.removeImageResources(ctx, o)
	t.mu.Lock()
	defer t.mu.Unlock()
	o.busy = ""
	if err != nil {
		return &Error{Kind: KindOf(err), Op: op, Object: imageObject(o.img.Name), Err: err}
	}
	delete(t.images, imageKey(o.sub, o.img.Name))
	return nil
}

// removeImageResources removes the build machine (with its subnet and
// firewall rules) and the image's resource group, and releases the
// Citrix-managed network of a build with No connectivity, which was in
// that group: whether or not the build machine's subnet was ever made,
// and whenever the group goes (a failed build's clean-up, or a deletion
// after a clean-up that failed). t.mu must not be held.
func (t *Tenant) removeImageResources(ctx context.Context, o *imageObj) error {
	if err := t.removeBuilder(ctx, o); err != nil {
		return err
	}
	rg := t.imageGroup(o)
	if err := t.call(ctx, "Delete", rg, func(ctx context.Context) error { return t.provider.Delete(ctx, rg) }); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if c, ok := t.conns[managedKey(o.sub, o.owner())]; ok && c.managed {
		t.releaseManagedConnection(c)
	}
	return nil
}

// ImportRequest is an image import (IMG-5, IMG-6): what the administrator
// enters and what the service found when it inspected the source.
type ImportRequest struct {
	// Spec is what the administrator enters: name, subscription, source,
	// session and domain types, an optional customer-managed key (KEY-2)
	// and notes. A SAS URL in it must stay valid for 7,200 s from now
	// (IMG-6).
	Spec image.ImportSpec
	// Region is where the image is kept; catalogs that use it run there.
	Region network.Region
	// Facts are what the inspection of the source found, judged by the
	// requirement report (IMG-5). The Provider copies disks but cannot read
	// their contents, so the caller supplies them.
	Facts image.ImportFacts
}

// ImportImage imports an image from Azure (IMG-6) into a subscription. The
// request is validated at the clock's now (a SAS URL must not expire within
// 7,200 s; the URL is a secret and never appears in errors, logs or
// views); the image goes Pending → Importing, then the requirement report
// (IMG-5) lists every failed requirement at once: on any, the image is
// Failed, nothing is left in the cloud and the error carries the report;
// otherwise the image is copied into a managed image, encrypted with the
// named customer-managed key if any (KEY-2), and is Ready.
func (t *Tenant) ImportImage(ctx context.Context, req ImportRequest) (ImageDetails, error) {
	const op = "ImportImage"
	spec := req.Spec
	obj := imageObject(spec.Name)
	if err := t.authorize(ctx, op, true); err != nil {
		return ImageDetails{}, err
	}
	if err := spec.Validate(t.now()); err != nil {
		return ImageDetails{}, &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: err}
	}
	if !req.Region.IsValid() {
		return ImageDetails{}, refuse(ErrInvalid, op, obj, "REG-1", "region %q is not one DaaS Flex supports; choose one such as westeurope", req.Region)
	}
	t.mu.Lock()
	s, err := t.subscription(op, spec.Subscription)
	if err == nil {
		err = t.checkNewImageName(op, spec.Subscription, spec.Name)
	}
	var keyID ResourceID
	if err == nil && spec.Key != "" {
		keyID, err = t.keyFor(op, spec.Subscription, spec.Key)
	}
	if err != nil {
		t.mu.Unlock()
		return ImageDetails{}, err
	}
	img, _ := spec.Image().Apply(image.Start) // Pending → Importing
	o := &imageObj{
		img: img, id: t.newImageID(s.name, spec.Name), sub: s.name, azureID: s.azureID, region: req.Region,
		created: t.now(), key: keyID, keyName: spec.Key, busy: op, source: describeSource(spec.Source),
	}
	t.initImaging()
	t.images[imageKey(s.name, spec.Name)] = o
	t.mu.Unlock()

	// IMG-5: the requirement report, every failure at once.
	done, report := image.CompleteImport(o.img, req.Facts)
	if report != nil {
		t.mu.Lock()
		defer t.mu.Unlock()
		o.img, o.busy, o.failure = done, "", report.Error()
		return t.details(o), &Error{Kind: ErrInvalid, Op: op, Object: obj, Err: report}
	}
	err = t.copyImage(ctx, o, spec, done)
	t.mu.Lock()
	defer t.mu.Unlock()
	o.busy = ""
	if err != nil {
		if cerr := t.cleanupFailed(o); cerr != nil {
			o.img, _ = o.img.Apply(image.Fail)
			o.failure = fmt.Sprintf("import failed: %v; cleanup failed: %v", err, cerr)
			return t.details(o), &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
		}
		delete(t.images, imageKey(o.sub, o.img.Name))
		return ImageDetails{}, &Error{Kind: KindOf(err), Op: op, Object: obj, Err: err}
	}
	o.img = done
	return t.details(o), nil
}

// copyImage puts the imported image's resource group and managed image.
// t.mu must not be held.
func (t *Tenant) copyImage(ctx context.Context, o *imageObj, spec image.ImportSpec, done image.Image) error {
	if k := spec.Source.Kind; k == image.ManagedDiskSAS || k == image.VHDSAS {
		// IMG-6: checked again when the copy starts.
		if err := spec.Source.SAS.CheckExpiry(t.now()); err != nil {
			return &Error{Kind: ErrInvalid, Op: "ImportImage", Object: imageObject(spec.Name), Err: err}
		}
	}
	rg := &ResourceGroup{Meta: Meta{ID: t.imageGroup(o), Region: o.region, Tags: t.tags(o.owner())}}
	if _, err := t.netPut(ctx, rg); err != nil {
		return err
	}
	res := &Image{
		Meta:       Meta{ID: ResourceID{Subscription: rg.ID.Subscription, ResourceGroup: rg.ID.Name, Type: TypeImage, Name: "image"}, Region: o.region, Tags: t.tags(o.owner())},
		Generation: done.Generation,
		OS:         done.OS,
		SourceURL:  sourceURL(spec.Source),
		Key:        o.key,
	}
	if _, err := t.netPut(ctx, res); err != nil {
		return err
	}
	t.mu.Lock()
	o.managed = res.ID
	t.mu.Unlock()
	return nil
}

// cleanupFailed deletes what a failed build or import created, with a
// fresh context so that a cancelled caller still leaves nothing behind.
// t.mu must be held; it is released during the cloud calls.
func (t *Tenant) cleanupFailed(o *imageObj) error {
	t.mu.Unlock()
	defer t.mu.Lock()
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	return t.removeImageResources(ctx, o)
}

// cleanupTimeout bounds the cleanup after a failure or cancellation.
const cleanupTimeout = 2 * time.Minute

// describeSource describes an import source without any secret.
func describeSource(src image.Source) string {
	switch src.Kind {
	case image.ManagedDiskSAS, image.VHDSAS:
		return fmt.Sprintf("%s %s", src.Kind, src.SAS)
	case image.VHDPublicURL:
		return fmt.Sprintf("%s %s", src.Kind, src.URL)
	case image.StorageAccount:
		return fmt.Sprintf("%s %s/%s/%s/%s", src.Kind, src.ResourceGroup, src.Account, src.Container, src.Blob)
	}
	return src.Kind.String()
}

// sourceURL returns the URL the cloud copies an import from, a secret
// because a SAS URL carries its signature (SEC-1).
func sourceURL(src image.Source) secret.Value {
	switch src.Kind {
	case image.ManagedDiskSAS, image.VHDSAS:
		return src.SAS.URL()
	case image.VHDPublicURL:
		return secret.New(src.URL)
	}
	return secret.New("https://" + src.Account + ".blob.core.windows.net/" + src.Container + "/" + src.Blob)
}

// initImaging makes the maps of the image and troubleshooting state. t.mu
// must be held.
func (t *Tenant) initImaging() {
	if t.images == nil {
		t.images = make(map[string]*imageObj)
		t.bastions = make(map[string]*bastionObj)
		t.rdpAccess = make(map[string]*rdpObj)
	}
}

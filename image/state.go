package image

import (
	"fmt"
	"strings"

	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

// State is where an image is in its lifecycle, named as in the Catalog
// Service API (API-3). The zero value is Pending, the state of a build or an
// import that has been accepted and not yet started.
type State int

// The image states (API-3).
const (
	Pending             State = iota // accepted, not started ("Building")
	BuilderProvisioning              // the build machine is being created ("Building")
	BuilderActive                    // build machine on: install apps and updates
	BuilderStopped                   // build machine off: install apps and updates
	BuilderVerifying                 // finished build under validation ("Validating")
	Importing                        // import copying and validating the image
	Ready                            // usable by catalogs; finished and immutable
	Failed                           // build or import failed
	numStates
)

var stateNames = [numStates]string{
	Pending:             "Pending",
	BuilderProvisioning: "BuilderProvisioning",
	BuilderActive:       "BuilderActive",
	BuilderStopped:      "BuilderStopped",
	BuilderVerifying:    "BuilderVerifying",
	Importing:           "Importing",
	Ready:               "Ready",
	Failed:              "Failed",
}

var stateDisplay = [numStates]string{
	Pending:             "Building",
	BuilderProvisioning: "Building",
	BuilderActive:       "Install apps and updates",
	BuilderStopped:      "Install apps and updates",
	BuilderVerifying:    "Validating",
	Importing:           "Importing",
	Ready:               "Ready",
	Failed:              "Failed",
}

// String returns the API name of the state (API-3), such as "BuilderActive".
func (s State) String() string {
	if !s.IsValid() {
		return fmt.Sprintf("State(%d)", int(s))
	}
	return stateNames[s]
}

// Display returns the status the console shows for the state (IMG-3), such
// as "Install apps and updates" for BuilderActive and BuilderStopped.
func (s State) Display() string {
	if !s.IsValid() {
		return s.String()
	}
	return stateDisplay[s]
}

// IsValid reports whether s is one of the API-3 states.
func (s State) IsValid() bool { return s >= Pending && s < numStates }

// Terminal reports whether no action leaves s: Ready and Failed.
func (s State) Terminal() bool { return s == Ready || s == Failed }

// Customizing reports whether an image in state s is being customized: its
// build machine exists and is on or off (BuilderActive or BuilderStopped).
func (s State) Customizing() bool { return s == BuilderActive || s == BuilderStopped }

// ParseState returns the state whose API name is s, case-insensitively.
func ParseState(s string) (State, error) {
	for st := range numStates {
		if strings.EqualFold(s, stateNames[st]) {
			return st, nil
		}
	}
	return 0, fmt.Errorf("image: unknown state %q; want one of %s", s, strings.Join(stateNames[:], ", "))
}

// Action is an event that moves an image through its lifecycle (IMG-3).
type Action int

// The lifecycle actions. Start, BuilderReady, Validated and Fail are taken
// by the service; PowerOn, PowerOff and FinishBuild by the administrator.
const (
	Start        Action = iota + 1 // begin: Pending → BuilderProvisioning (build) or Importing (import)
	BuilderReady                   // build machine created: BuilderProvisioning → BuilderActive
	PowerOn                        // BuilderStopped → BuilderActive
	PowerOff                       // BuilderActive → BuilderStopped (also done by the service to save costs)
	FinishBuild                    // BuilderActive or BuilderStopped → BuilderVerifying
	Validated                      // validation passed: BuilderVerifying or Importing → Ready
	Fail                           // any state but Ready and Failed → Failed
	numActions
)

var actionNames = [numActions]string{
	Start:        "start",
	BuilderReady: "builder ready",
	PowerOn:      "power on",
	PowerOff:     "power off",
	FinishBuild:  "finish build",
	Validated:    "pass validation",
	Fail:         "fail",
}

// String returns the action's name, such as "finish build".
func (a Action) String() string {
	if a <= 0 || a >= numActions {
		return fmt.Sprintf("Action(%d)", int(a))
	}
	return actionNames[a]
}

// Actions returns every action, in declaration order.
func Actions() []Action {
	out := make([]Action, 0, numActions-1)
	for a := Start; a < numActions; a++ {
		out = append(out, a)
	}
	return out
}

// next returns the state action a leads to from s for an image of origin o,
// and whether the action is allowed there.
func next(o Origin, s State, a Action) (State, bool) {
	if o != OriginBuilt && o != OriginImported {
		return s, false // prepared images are Ready forever; unset origins have no lifecycle
	}
	switch a {
	case Start:
		if s == Pending {
			if o == OriginImported {
				return Importing, true
			}
			return BuilderProvisioning, true
		}
	case BuilderReady:
		if s == BuilderProvisioning {
			return BuilderActive, true
		}
	case PowerOn:
		if s == BuilderStopped {
			return BuilderActive, true
		}
	case PowerOff:
		if s == BuilderActive {
			return BuilderStopped, true
		}
	case FinishBuild:
		if s.Customizing() {
			return BuilderVerifying, true
		}
	case Validated:
		if s == BuilderVerifying || s == Importing {
			return Ready, true
		}
	case Fail:
		if s.IsValid() && !s.Terminal() {
			return Failed, true
		}
	}
	return s, false
}

// Allowed returns the actions allowed on img in its current state, in
// declaration order; none for a Ready, Failed or prepared image.
func (img Image) Allowed() []Action {
	var out []Action
	for _, a := range Actions() {
		if _, ok := next(img.Origin, img.State, a); ok {
			out = append(out, a)
		}
	}
	return out
}

// Apply returns img moved by action a through the build or import lifecycle
// (IMG-3). An action not allowed in the current state returns img unchanged
// and a *TransitionError naming the state and the actions allowed from it.
// A Ready image is finished and immutable: every action fails.
func (img Image) Apply(a Action) (Image, error) {
	to, ok := next(img.Origin, img.State, a)
	if !ok {
		return img, &TransitionError{Image: img.Name, Origin: img.Origin, From: img.State, Action: a, Allowed: img.Allowed()}
	}
	img.State = to
	return img, nil
}

// TransitionError reports an action that is not allowed in an image's
// current state (IMG-3). It unwraps to a *rule.Violation of IMG-3.
type TransitionError struct {
	Image   string   // the image's name
	Origin  Origin   // built, imported or prepared
	From    State    // the state the image is in
	Action  Action   // the refused action
	Allowed []Action // what is allowed from From, possibly none
}

// Error names the image, the refused action, the current state and the
// allowed actions.
func (e *TransitionError) Error() string { return e.violation().Error() }

// Unwrap returns the IMG-3 violation, so rule.Has(err, "IMG-3") holds.
func (e *TransitionError) Unwrap() error { return e.violation() }

func (e *TransitionError) violation() *rule.Violation {
	var why string
	switch {
	case e.Origin == OriginPrepared:
		why = "; a Citrix-prepared image has no build lifecycle"
	case e.From == Ready:
		why = "; a finished image is immutable: build a new image from it instead"
	case e.Origin != OriginBuilt && e.Origin != OriginImported:
		why = "; the image is neither built nor imported, so it has no lifecycle"
	}
	allowed := "nothing"
	if len(e.Allowed) > 0 {
		names := make([]string, len(e.Allowed))
		for i, a := range e.Allowed {
			names[i] = a.String()
		}
		allowed = strings.Join(names, ", ")
	}
	return rule.Errorf("IMG-3", "cannot %s image %q in state %s (%s)%s; allowed from %s: %s",
		e.Action, e.Image, e.From, e.From.Display(), why, e.From, allowed)
}

// RDPAddress is the address an administrator connects to a build machine
// through (IMG-3).
type RDPAddress int

// The RDP addresses of a build machine.
const (
	PublicAddress  RDPAddress = iota + 1 // "RDP to Public Address"
	PrivateAddress                       // "RDP to Private Address", through a network connection
)

// String returns "public address" or "private address".
func (r RDPAddress) String() string {
	switch r {
	case PublicAddress:
		return "public address"
	case PrivateAddress:
		return "private address"
	}
	return fmt.Sprintf("RDPAddress(%d)", int(r))
}

// CheckRDP reports whether an administrator may connect by RDP to img's
// build machine at addr (IMG-3): only while the machine is on
// (BuilderActive; a stopped machine must be powered on first), and to the
// private address only when the build uses a network connection
// (connected). It returns every problem at once.
func (img Image) CheckRDP(addr RDPAddress, connected bool) error {
	var l rule.List
	switch {
	case img.State == BuilderStopped:
		l.Add("IMG-3", "image %q is in state BuilderStopped (the build machine is off); power it on before connecting by RDP", img.Name)
	case img.State != BuilderActive || img.Origin != OriginBuilt:
		l.Add("IMG-3", "image %q is in state %s (%s); RDP is possible only while installing apps and updates (BuilderActive)", img.Name, img.State, img.State.Display())
	}
	switch addr {
	case PublicAddress:
	case PrivateAddress:
		if !connected {
			l.Add("IMG-3", "image %q was built with No connectivity; RDP to its private address needs a network connection, use the public address", img.Name)
		}
	default:
		l.Add("IMG-3", "RDP address %s is neither the public nor the private address", addr)
	}
	return l.Err()
}

// CheckRootPasswordChange reports whether the root password of img may be
// changed to password (IMG-4): only for a built Ubuntu image while it is
// being customized (BuilderActive or BuilderStopped), never after it is
// finished or used by a catalog, and never to an empty password. The
// password itself never appears in the error (SEC-1).
func (img Image) CheckRootPasswordChange(password secret.Value) error {
	var l rule.List
	if !img.OS.IsUbuntu() {
		l.Add("IMG-4", "image %q runs %s; only Ubuntu images have a root password set by DaaS Flex", img.Name, img.OS)
	}
	if img.Origin != OriginBuilt || !img.State.Customizing() {
		l.Add("IMG-4", "image %q is %s in state %s; its root password can be changed only while it is being customized (BuilderActive or BuilderStopped)", img.Name, img.Origin, img.State)
	}
	if password.IsZero() {
		l.Add("IMG-4", "the new root password is empty; enter a password")
	}
	return l.Err()
}

// States returns every state (API-3) in declaration order.
func States() []State {
	out := make([]State, 0, numStates)
	for s := range numStates {
		out = append(out, s)
	}
	return out
}

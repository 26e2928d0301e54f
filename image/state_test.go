package image_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

func built(state image.State) image.Image {
	return image.Image{Name: "Sales", OS: image.Windows11, Session: image.SingleSession, Generation: image.Gen2,
		Domain: image.NonDomainJoined, Origin: image.OriginBuilt, State: state}
}

func TestStates(t *testing.T) {
	t.Run("API-3 state names", func(t *testing.T) {
		var got []string
		for _, s := range image.States() {
			got = append(got, s.String())
			if p, err := image.ParseState(s.String()); err != nil || p != s {
				t.Errorf("ParseState(%q) = %v, %v", s, p, err)
			}
		}
		want := []string{"Pending", "BuilderProvisioning", "BuilderActive", "BuilderStopped", "BuilderVerifying", "Importing", "Ready", "Failed"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if _, err := image.ParseState("Building"); err == nil {
			t.Error("ParseState accepted a display name")
		}
	})
	t.Run("IMG-3 console statuses", func(t *testing.T) {
		got := map[image.State]string{}
		for _, s := range image.States() {
			got[s] = s.Display()
		}
		want := map[image.State]string{
			image.Pending: "Building", image.BuilderProvisioning: "Building",
			image.BuilderActive: "Install apps and updates", image.BuilderStopped: "Install apps and updates",
			image.BuilderVerifying: "Validating", image.Importing: "Importing", image.Ready: "Ready", image.Failed: "Failed",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

func TestLifecycle(t *testing.T) {
	t.Run("IMG-3 build happy path", func(t *testing.T) {
		img := built(image.Pending)
		var got []image.State
		for _, a := range []image.Action{image.Start, image.BuilderReady, image.PowerOff, image.PowerOn, image.PowerOff, image.FinishBuild, image.Validated} {
			var err error
			img, err = img.Apply(a)
			if err != nil {
				t.Fatalf("%s: %v", a, err)
			}
			got = append(got, img.State)
		}
		want := []image.State{image.BuilderProvisioning, image.BuilderActive, image.BuilderStopped, image.BuilderActive, image.BuilderStopped, image.BuilderVerifying, image.Ready}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("IMG-3 import path", func(t *testing.T) {
		img := built(image.Pending)
		img.Origin = image.OriginImported
		img, err := img.Apply(image.Start)
		if err != nil || img.State != image.Importing {
			t.Fatalf("Start: %v, %v", img.State, err)
		}
		if _, err := img.Apply(image.FinishBuild); !rule.Has(err, "IMG-3") {
			t.Errorf("FinishBuild while importing: %v", err)
		}
		img, err = img.Apply(image.Validated)
		if err != nil || img.State != image.Ready {
			t.Fatalf("Validated: %v, %v", img.State, err)
		}
	})
	t.Run("IMG-3 refused transition names state and allowed actions", func(t *testing.T) {
		img := built(image.BuilderActive)
		got, err := img.Apply(image.PowerOn)
		if got != img {
			t.Errorf("refused action changed the image: %v", got)
		}
		var te *image.TransitionError
		if !errors.As(err, &te) {
			t.Fatalf("error %v is not a *TransitionError", err)
		}
		want := &image.TransitionError{Image: "Sales", Origin: image.OriginBuilt, From: image.BuilderActive, Action: image.PowerOn,
			Allowed: []image.Action{image.PowerOff, image.FinishBuild, image.Fail}}
		if diff := cmp.Diff(want, te); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		msg := err.Error()
		for _, part := range []string{"IMG-3", "BuilderActive", "Install apps and updates", "power off, finish build, fail"} {
			if !strings.Contains(msg, part) {
				t.Errorf("message %q lacks %q", msg, part)
			}
		}
		if !rule.Has(err, "IMG-3") {
			t.Error("not an IMG-3 violation")
		}
	})
	t.Run("IMG-3 a finished image is immutable", func(t *testing.T) {
		for _, img := range []image.Image{built(image.Ready), image.Prepared()[0]} {
			if got := img.Allowed(); len(got) != 0 {
				t.Errorf("%s allows %v", img.Name, got)
			}
			for _, a := range image.Actions() {
				got, err := img.Apply(a)
				if !rule.Has(err, "IMG-3") || got != img {
					t.Errorf("%s: %s on Ready = %v, %v", img.Name, a, got.State, err)
				}
			}
		}
	})
	t.Run("IMG-3 RDP", func(t *testing.T) {
		cases := []struct {
			state     image.State
			addr      image.RDPAddress
			connected bool
			ok        bool
		}{
			{image.BuilderActive, image.PublicAddress, false, true},
			{image.BuilderActive, image.PrivateAddress, true, true},
			{image.BuilderActive, image.PrivateAddress, false, false},
			{image.BuilderStopped, image.PublicAddress, true, false},
			{image.BuilderVerifying, image.PublicAddress, true, false},
			{image.Ready, image.PublicAddress, true, false},
			{image.BuilderActive, image.RDPAddress(9), true, false},
		}
		for _, c := range cases {
			err := built(c.state).CheckRDP(c.addr, c.connected)
			if (err == nil) != c.ok || (err != nil && !cmp.Equal(rule.IDs(err), []string{"IMG-3"})) {
				t.Errorf("%s %s connected=%v: %v", c.state, c.addr, c.connected, err)
			}
		}
		err := built(image.BuilderStopped).CheckRDP(image.PrivateAddress, false)
		if n := len(rule.Violations(err)); n != 2 {
			t.Errorf("want both problems reported, got %d: %v", n, err)
		}
	})
}

func TestRootPassword(t *testing.T) {
	ubuntu := func(state image.State) image.Image {
		img := built(state)
		img.OS = image.Ubuntu2204
		return img
	}
	pw := secret.New("N3w-root-Pa55")
	t.Run("IMG-4 only while customizing", func(t *testing.T) {
		for _, s := range image.States() {
			err := ubuntu(s).CheckRootPasswordChange(pw)
			if want := s == image.BuilderActive || s == image.BuilderStopped; (err == nil) != want {
				t.Errorf("state %s: %v", s, err)
			}
			if err != nil && !cmp.Equal(rule.IDs(err), []string{"IMG-4"}) {
				t.Errorf("state %s: ids %v", s, rule.IDs(err))
			}
		}
	})
	t.Run("IMG-4 only Ubuntu, only built", func(t *testing.T) {
		if err := built(image.BuilderActive).CheckRootPasswordChange(pw); !rule.Has(err, "IMG-4") {
			t.Errorf("Windows image: %v", err)
		}
		if err := image.Prepared()[4].CheckRootPasswordChange(pw); !rule.Has(err, "IMG-4") {
			t.Errorf("prepared Ubuntu image: %v", err)
		}
	})
	t.Run("IMG-4 SEC-1 empty password refused, password never printed", func(t *testing.T) {
		if err := ubuntu(image.BuilderActive).CheckRootPasswordChange(secret.Value{}); !rule.Has(err, "IMG-4") {
			t.Errorf("empty password: %v", err)
		}
		err := ubuntu(image.Ready).CheckRootPasswordChange(pw)
		if err == nil || strings.Contains(err.Error(), pw.Reveal()) {
			t.Errorf("error leaks or is nil: %v", err)
		}
	})
}

package image_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/flex/flextest"
	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/rule"
)

// lifecycleModel is the build and import lifecycle of IMG-3 written out as
// a plain table, independently of the package's switch.
var lifecycleModel = map[image.Origin]map[image.State]map[image.Action]image.State{
	image.OriginBuilt: {
		image.Pending:             {image.Start: image.BuilderProvisioning, image.Fail: image.Failed},
		image.BuilderProvisioning: {image.BuilderReady: image.BuilderActive, image.Fail: image.Failed},
		image.BuilderActive:       {image.PowerOff: image.BuilderStopped, image.FinishBuild: image.BuilderVerifying, image.Fail: image.Failed},
		image.BuilderStopped:      {image.PowerOn: image.BuilderActive, image.FinishBuild: image.BuilderVerifying, image.Fail: image.Failed},
		image.BuilderVerifying:    {image.Validated: image.Ready, image.Fail: image.Failed},
	},
	image.OriginImported: {
		image.Pending:   {image.Start: image.Importing, image.Fail: image.Failed},
		image.Importing: {image.Validated: image.Ready, image.Fail: image.Failed},
	},
}

// TestLifecycleProperty drives images of every origin with random actions,
// valid or not, against lifecycleModel. Invariants after every step:
// an action succeeds exactly when the model allows it and leads where the
// model says; a refused action leaves the image unchanged and reports the
// current state and the model's allowed actions; Allowed agrees with the
// model; built images never reach Importing and imported ones never a
// Builder state; prepared images never leave Ready; once Ready or Failed,
// an image never changes again (Ready is terminal and immutable); Apply
// changes nothing but the state.
func TestLifecycleProperty(t *testing.T) {
	t.Run("IMG-3 API-3 no action sequence reaches a forbidden state", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			origin := rapid.SampledFrom([]image.Origin{image.OriginBuilt, image.OriginImported, image.OriginPrepared}).Draw(t, "origin")
			img := built(image.Pending)
			img.Origin = origin
			if origin == image.OriginPrepared {
				img = image.Prepared()[rapid.IntRange(0, 5).Draw(t, "prepared")]
			}
			steps := rapid.SliceOfN(rapid.IntRange(-1, 9), 0, 40).Draw(t, "actions")
			terminal := false
			for _, n := range steps {
				a := image.Action(n)
				allowed := lifecycleModel[origin][img.State]
				var wantAllowed []image.Action
				for act := range allowed {
					wantAllowed = append(wantAllowed, act)
				}
				slices.Sort(wantAllowed)
				if diff := cmp.Diff(wantAllowed, img.Allowed()); diff != "" {
					t.Fatalf("Allowed() in %s (-model +got):\n%s", img.State, diff)
				}
				want, ok := allowed[a]
				got, err := img.Apply(a)
				if ok {
					if err != nil || got.State != want {
						t.Fatalf("%s from %s: got %s, %v; model says %s", a, img.State, got.State, err, want)
					}
				} else {
					var te *image.TransitionError
					if !errors.As(err, &te) || !rule.Has(err, "IMG-3") || got != img {
						t.Fatalf("%s from %s: got %s, %v; model refuses", a, img.State, got.State, err)
					}
					if te.From != img.State || !cmp.Equal(te.Allowed, wantAllowed) {
						t.Fatalf("error %+v does not name state %s and allowed %v", te, img.State, wantAllowed)
					}
				}
				if terminal && got != img {
					t.Fatalf("a terminal image changed: %v → %v", img, got)
				}
				changed := got
				changed.State = img.State
				if changed != img {
					t.Fatalf("Apply changed more than the state: %v → %v", img, got)
				}
				img = got
				terminal = img.State.Terminal()
				switch {
				case origin == image.OriginBuilt && img.State == image.Importing:
					t.Fatalf("built image reached Importing")
				case origin == image.OriginImported && img.State >= image.BuilderProvisioning && img.State <= image.BuilderVerifying:
					t.Fatalf("imported image reached %s", img.State)
				case origin == image.OriginPrepared && img.State != image.Ready:
					t.Fatalf("prepared image left Ready")
				case !img.State.IsValid():
					t.Fatalf("invalid state %d", img.State)
				}
			}
		})
	})
}

// TestVDAVersionProperty: Parse(String(v)) == v for every valid version,
// and Compare is a total order that agrees with ==: antisymmetric,
// transitive, Compare(v, w) == 0 exactly when v == w, and consistent with
// the release number.
func TestVDAVersionProperty(t *testing.T) {
	t.Run("IMG-5 round trip and total order", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			a, b, c := flextest.VDAVersion().Draw(t, "a"), flextest.VDAVersion().Draw(t, "b"), flextest.VDAVersion().Draw(t, "c")
			for _, v := range []image.VDAVersion{a, b, c} {
				p, err := image.ParseVDAVersion(v.String())
				if err != nil || p != v {
					t.Fatalf("round trip of %q: %v, %v", v, p, err)
				}
				if v.Compare(v) != 0 {
					t.Fatalf("%s not equal to itself", v)
				}
			}
			if a.Compare(b) != -b.Compare(a) {
				t.Fatalf("not antisymmetric: %s %s", a, b)
			}
			if (a.Compare(b) == 0) != (a == b) {
				t.Fatalf("Compare(%s, %s) = %d but == is %v", a, b, a.Compare(b), a == b)
			}
			if a.Compare(b) <= 0 && b.Compare(c) <= 0 && a.Compare(c) > 0 {
				t.Fatalf("not transitive: %s ≤ %s ≤ %s", a, b, c)
			}
			if a.Release() < b.Release() && a.Compare(b) >= 0 {
				t.Fatalf("release %d before %d but Compare says otherwise", a.Release(), b.Release())
			}
			if a.Less(image.MinimumVDA()) != (a.Release() < 2507) {
				t.Fatalf("%s against the minimum", a)
			}
		})
	})
}

// TestNameProperty: ValidateName accepts exactly the names of the decision
// (1–64 of letters, digits, space and - _ . ( ), letter or digit first, no
// trailing space), checked against a brute-force restatement.
func TestNameProperty(t *testing.T) {
	t.Run("IMG-7 names against a model", func(t *testing.T) {
		alphabet := []rune("aZ09 -_.()/é\x00")
		rapid.Check(t, func(t *rapid.T) {
			rs := rapid.SliceOfN(rapid.SampledFrom(alphabet), 0, 70).Draw(t, "runes")
			name := string(rs)
			ok := len(rs) >= 1 && len(rs) <= 64 && rs[len(rs)-1] != ' '
			for i, r := range rs {
				alnum := r == 'a' || r == 'Z' || r == '0' || r == '9'
				if i == 0 && !alnum {
					ok = false
				}
				if !alnum && !slices.Contains([]rune(" -_.()"), r) {
					ok = false
				}
			}
			if err := image.ValidateName(name); (err == nil) != ok {
				t.Fatalf("ValidateName(%q) = %v; model says ok=%v", name, err, ok)
			}
		})
	})
}

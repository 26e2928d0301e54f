package image_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/daasflex/daasflex/image"
	"github.com/daasflex/daasflex/rule"
	"github.com/daasflex/daasflex/secret"
)

const (
	logonPW = "Kx7!build-Machine"
	adPW    = "Svc#Acct-Pass99"
)

func validBuild() image.BuildSpec {
	base, _ := image.LookupPrepared("Windows Server 2022 (multi-session)")
	return image.BuildSpec{
		Name:         "Finance apps",
		Base:         base,
		Subscription: "Production",
		Connection:   "corp-peering",
		Domain:       image.ActiveDirectory,
		AD: image.ADConfig{
			Domain:         "corp.example.com",
			OU:             "OU=VDAs,DC=corp,DC=example,DC=com",
			ServiceAccount: `CORP\svc-join`,
			Password:       secret.New(adPW),
		},
		Username:   "flexadmin",
		Password:   secret.New(logonPW),
		Size:       "Standard_D4s_v5",
		AllowedIPs: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")},
		Notes:      "Finance line-of-business apps",
	}
}

func TestBuildSpec(t *testing.T) {
	t.Run("IMG-2 a complete spec is valid", func(t *testing.T) {
		if err := validBuild().Validate(); err != nil {
			t.Fatal(err)
		}
		s := validBuild()
		s.Connection, s.Region, s.Domain, s.AD, s.AllowedIPs, s.Notes = "", "eastus", image.NonDomainJoined, image.ADConfig{}, nil, ""
		if err := s.Validate(); err != nil {
			t.Errorf("no connectivity, non-domain-joined: %v", err)
		}
		s.Base = image.Prepared()[4] // Ubuntu: Linux rules for the credentials
		s.Username, s.Password = "ubuntu_admin", secret.New("Abc123")
		if err := s.Validate(); err != nil {
			t.Errorf("Ubuntu build: %v", err)
		}
	})
	t.Run("IMG-2 the zero spec reports every missing field", func(t *testing.T) {
		err := image.BuildSpec{}.Validate()
		if diff := cmp.Diff([]string{"IMG-2"}, rule.IDs(err)); diff != "" {
			t.Errorf("ids (-want +got):\n%s", diff)
		}
		// name, base, subscription, region, domain, user, password length, size.
		if n := len(rule.Violations(err)); n != 8 {
			t.Errorf("want 8 problems, got %d:\n%v", n, err)
		}
	})
	cases := []struct {
		name   string
		change func(*image.BuildSpec)
		ids    []string
	}{
		{"IMG-2 name", func(s *image.BuildSpec) { s.Name = "bad/name" }, []string{"IMG-2"}},
		{"IMG-3 base must be Ready", func(s *image.BuildSpec) { s.Base = built(image.BuilderActive) }, []string{"IMG-3"}},
		{"IMG-2 subscription", func(s *image.BuildSpec) { s.Subscription = " " }, []string{"IMG-2"}},
		{"REG-2 region with a connection", func(s *image.BuildSpec) { s.Region = "westeurope" }, []string{"REG-2"}},
		{"IMG-2 no connectivity needs a region", func(s *image.BuildSpec) {
			s.Connection, s.Domain, s.AD = "", image.NonDomainJoined, image.ADConfig{}
		}, []string{"IMG-2"}},
		{"IDN-2 AD build needs a connection", func(s *image.BuildSpec) { s.Connection, s.Region = "", "eastus" }, []string{"IDN-2"}},
		{"IMG-2 Entra hybrid not offered by the builder", func(s *image.BuildSpec) { s.Domain = image.EntraHybrid }, []string{"IMG-2"}},
		{"IMG-2 AD settings with non-domain-joined", func(s *image.BuildSpec) { s.Domain = image.NonDomainJoined }, []string{"IMG-2"}},
		{"IDN-4 AD needs FQDN, account and password", func(s *image.BuildSpec) { s.AD = image.ADConfig{OU: "OU=x"} }, []string{"IDN-4"}},
		{"IDN-4 bad FQDN", func(s *image.BuildSpec) { s.AD.Domain = "corp" }, []string{"IDN-4"}},
		{"IDN-4 bad OU", func(s *image.BuildSpec) { s.AD.OU = "VDAs" }, []string{"IDN-4"}},
		{"IDN-4 OU is optional", func(s *image.BuildSpec) { s.AD.OU = "" }, nil},
		{"IDN-4 UPN service account", func(s *image.BuildSpec) { s.AD.ServiceAccount = "svc@corp.example.com" }, nil},
		{"IDN-4 bad service account", func(s *image.BuildSpec) { s.AD.ServiceAccount = `CORP\` }, []string{"IDN-4"}},
		{"IMG-2 reserved user name", func(s *image.BuildSpec) { s.Username = "Administrator" }, []string{"IMG-2"}},
		{"IMG-2 long Windows user name", func(s *image.BuildSpec) { s.Username = strings.Repeat("u", 21) }, []string{"IMG-2"}},
		{"IMG-2 Windows user name characters", func(s *image.BuildSpec) { s.Username = "flex.admin." }, []string{"IMG-2"}},
		{"IMG-2 short password", func(s *image.BuildSpec) { s.Password = secret.New("Ab1!") }, []string{"IMG-2"}},
		{"IMG-2 simple password", func(s *image.BuildSpec) { s.Password = secret.New("alllowercaseletters") }, []string{"IMG-2"}},
		{"IMG-2 common password", func(s *image.BuildSpec) { s.Password = secret.New("P@ssword123") }, []string{"IMG-2"}},
		{"IMG-2 password holds user name", func(s *image.BuildSpec) { s.Password = secret.New("FlexAdmin-2026!") }, []string{"IMG-2"}},
		{"IMG-2 unknown size", func(s *image.BuildSpec) { s.Size = "Standard_Z1" }, []string{"IMG-2"}},
		{"IMG-9 size must support the base generation", func(s *image.BuildSpec) { s.Size = "Standard_A2_v2" }, []string{"IMG-9"}},
		{"IMG-2 prefix with host bits", func(s *image.BuildSpec) {
			s.AllowedIPs = []netip.Prefix{netip.PrefixFrom(netip.MustParseAddr("203.0.113.7"), 24)}
		}, []string{"IMG-2"}},
		{"IMG-2 duplicate and invalid prefixes", func(s *image.BuildSpec) {
			s.AllowedIPs = append(s.AllowedIPs, s.AllowedIPs[0], netip.Prefix{})
		}, []string{"IMG-2"}},
		{"IMG-2 notes over 1,024 characters", func(s *image.BuildSpec) { s.Notes = strings.Repeat("n", 1025) }, []string{"IMG-2"}},
		{"IMG-2 Linux user name", func(s *image.BuildSpec) {
			s.Base = image.Prepared()[5]
			s.Username = "9lives"
		}, []string{"IMG-2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := validBuild()
			c.change(&s)
			err := s.Validate()
			if diff := cmp.Diff(c.ids, rule.IDs(err)); diff != "" {
				t.Errorf("ids (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
	t.Run("IMG-2 Image of a spec is a Pending built image", func(t *testing.T) {
		s := validBuild()
		got := s.Image()
		want := image.Image{Name: "Finance apps", OS: image.WindowsServer2022, Session: image.MultiSession, Generation: image.Gen2,
			Domain: image.ActiveDirectory, Origin: image.OriginBuilt, State: image.Pending, VDA: s.Base.VDA, Notes: s.Notes}
		if diff := cmp.Diff(want, got, cmpImage); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

func TestBuildSpecSecrets(t *testing.T) {
	t.Run("SEC-1 passwords never printed", func(t *testing.T) {
		s := validBuild()
		j, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var logged strings.Builder
		slog.New(slog.NewTextHandler(&logged, nil)).Info("build", "spec", s, "ad", s.AD)
		outs := []string{string(j), logged.String(), fmt.Sprint(s.AD)}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%d", "%q"} {
			outs = append(outs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, &s))
		}
		for i, out := range outs {
			for _, pw := range []string{logonPW, adPW} {
				if strings.Contains(out, pw) || strings.Contains(out, fmt.Sprintf("%x", pw)) {
					t.Errorf("output %d leaks a password: %s", i, out)
				}
			}
		}
	})
	t.Run("SEC-1 validation errors never show passwords", func(t *testing.T) {
		s := validBuild()
		s.Username = "Kx7"                         // the password contains it
		s.AD.ServiceAccount, s.AD.Domain = "", "x" // other problems nearby
		s.Password = secret.New(logonPW + strings.Repeat("!", 200))
		err := s.Validate()
		if err == nil {
			t.Fatal("no error")
		}
		if strings.Contains(err.Error(), logonPW) || strings.Contains(err.Error(), adPW) {
			t.Errorf("error leaks a password: %v", err)
		}
	})
}

func TestBuildSpecWarnings(t *testing.T) {
	t.Run("IMG-2 unrestricted RDP draws a warning, not an error", func(t *testing.T) {
		s := validBuild()
		if w := s.Warnings(); len(w) != 0 {
			t.Errorf("restricted spec warns: %v", w)
		}
		s.AllowedIPs = nil
		if err := s.Validate(); err != nil {
			t.Errorf("no ranges is an error: %v", err)
		}
		w := s.Warnings()
		if len(w) != 1 || w[0].ID != "IMG-2" {
			t.Errorf("no ranges: %v", w)
		}
		s.AllowedIPs = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("203.0.113.0/24")}
		if w := s.Warnings(); len(w) != 1 || !strings.Contains(w[0].Msg, "0.0.0.0/0") {
			t.Errorf("0.0.0.0/0: %v", w)
		}
	})
}

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// The example refuses to touch Azure unless every input is given; these
// refusals are what CI can check without credentials.
func TestRefusesWithoutEverythingItNeeds(t *testing.T) {
	env := func(token string) func(string) string {
		return func(k string) string {
			if k == tokenEnv {
				return token
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name  string
		args  []string
		token string
		want  string
	}{
		{"no subscription", nil, "tok", "-subscription is required"},
		{"bad region", []string{"-subscription", "s", "-region", "mars"}, "tok", "mars"},
		{"no credentials", []string{"-subscription", "s"}, "", "no credentials: set DAASFLEX_AZURE_TOKEN"},
		{"no -yes", []string{"-subscription", "s"}, "tok", "run again with -yes"},
		{"bad flag", []string{"-nope"}, "tok", "flag provided but not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			code := run(context.Background(), tc.args, env(tc.token), &out, &errs)
			if code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if !strings.Contains(errs.String(), tc.want) {
				t.Errorf("stderr %q does not say %q", errs.String(), tc.want)
			}
			if out.Len() != 0 {
				t.Errorf("wrote %q to stdout before refusing", out.String())
			}
		})
	}
}

func TestStaticToken(t *testing.T) {
	tok, err := staticToken("abc").GetToken(context.Background(), policyOptions())
	if err != nil || tok.Token != "abc" {
		t.Errorf("GetToken = %v, %v", tok, err)
	}
	if _, err := staticToken("").GetToken(context.Background(), policyOptions()); err == nil {
		t.Error("an empty token was handed out")
	}
}

func policyOptions() policy.TokenRequestOptions {
	return policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}}
}

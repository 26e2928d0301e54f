package azure

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/daasflex/daasflex/azure/internal/armconv"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

func regionOf(s string) network.Region {
	return network.Region(strings.ToLower(strings.ReplaceAll(s, " ", "")))
}

// do sends one request through a pipeline and returns the response when
// its status is one of ok, else the *azcore.ResponseError.
func do(ctx context.Context, pl runtime.Pipeline, method, u string, body any, ok ...int) (*http.Response, error) {
	req, err := runtime.NewRequest(ctx, method, u)
	if err != nil {
		return nil, err
	}
	req.Raw().Header.Set("Accept", "application/json")
	if body != nil {
		if err := runtime.MarshalAsJSON(req, body); err != nil {
			return nil, err
		}
	}
	resp, err := pl.Do(req)
	if err != nil {
		return nil, err
	}
	if !runtime.HasStatusCode(resp, ok...) {
		return nil, runtime.NewResponseError(resp)
	}
	return resp, nil
}

func (p *Provider) armURL(path, apiVersion string) string {
	return runtime.JoinPaths(p.arm.Endpoint(), path) + "?api-version=" + apiVersion
}

func groupPath(id flex.ResourceID) string {
	return "/subscriptions/" + url.PathEscape(id.Subscription) + "/resourcegroups/" + url.PathEscape(id.Name)
}

// putGroup creates or updates a resource group (Microsoft.Resources, with
// azcore's ARM pipeline).
func (p *Provider) putGroup(ctx context.Context, r *flex.ResourceGroup) (flex.Resource, error) {
	resp, err := do(ctx, p.arm.Pipeline(), http.MethodPut, p.armURL(groupPath(r.ID), armconv.ResourceGroupsAPIVersion), armconv.GroupToARM(r), http.StatusOK, http.StatusCreated)
	if err != nil {
		return nil, err
	}
	var g armconv.Group
	if err := runtime.UnmarshalAsJSON(resp, &g); err != nil {
		return nil, err
	}
	return armconv.GroupFromARM(r.ID, g), nil
}

func (p *Provider) getGroup(ctx context.Context, id flex.ResourceID) (*flex.ResourceGroup, error) {
	resp, err := do(ctx, p.arm.Pipeline(), http.MethodGet, p.armURL(groupPath(id), armconv.ResourceGroupsAPIVersion), nil, http.StatusOK)
	if err != nil {
		return nil, err
	}
	var g armconv.Group
	if err := runtime.UnmarshalAsJSON(resp, &g); err != nil {
		return nil, err
	}
	return armconv.GroupFromARM(id, g), nil
}

// deleteGroup deletes a resource group and everything in it, polling the
// operation Azure starts.
func (p *Provider) deleteGroup(ctx context.Context, id flex.ResourceID) error {
	resp, err := do(ctx, p.arm.Pipeline(), http.MethodDelete, p.armURL(groupPath(id), armconv.ResourceGroupsAPIVersion), nil,
		http.StatusOK, http.StatusAccepted, http.StatusNoContent)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusAccepted {
		return nil
	}
	poller, err := runtime.NewPoller[struct{}](resp, p.arm.Pipeline(), nil)
	_, err = wait(poller, err).done(ctx, p)
	return err
}

func (p *Provider) listGroups(ctx context.Context, sub string) ([]*flex.ResourceGroup, error) {
	u := p.armURL("/subscriptions/"+url.PathEscape(sub)+"/resourcegroups", armconv.ResourceGroupsAPIVersion)
	var out []*flex.ResourceGroup
	for u != "" {
		resp, err := do(ctx, p.arm.Pipeline(), http.MethodGet, u, nil, http.StatusOK)
		if err != nil {
			return nil, err
		}
		var page armconv.GroupList
		if err := runtime.UnmarshalAsJSON(resp, &page); err != nil {
			return nil, err
		}
		for _, g := range page.Value {
			id := flex.GroupID(sub, g.Name)
			out = append(out, armconv.GroupFromARM(id, g))
		}
		u = page.NextLink
	}
	return out, nil
}

// Keys. ARM makes vaults, creates keys and reads their metadata
// (Microsoft.KeyVault/vaults/keys); it has no verb to import key material,
// rotate or delete a key, which the key vault's own API does.

func keyPath(id flex.ResourceID) (string, string, string) {
	vault, key := splitChild(id.Name)
	g := flex.GroupID(id.Subscription, id.ResourceGroup)
	return groupPath(g) + "/providers/Microsoft.KeyVault/vaults/" + url.PathEscape(vault) + "/keys/" + url.PathEscape(key), vault, key
}

func (p *Provider) vaultRegion(ctx context.Context, id flex.ResourceID) (network.Region, error) {
	vault, _ := splitChild(id.Name)
	g := flex.GroupID(id.Subscription, id.ResourceGroup)
	resp, err := do(ctx, p.arm.Pipeline(), http.MethodGet, p.armURL(groupPath(g)+"/providers/Microsoft.KeyVault/vaults/"+url.PathEscape(vault), armconv.KeysAPIVersion), nil, http.StatusOK)
	if err != nil {
		return "", err
	}
	var v struct {
		Location string `json:"location"`
	}
	if err := runtime.UnmarshalAsJSON(resp, &v); err != nil {
		return "", err
	}
	return regionOf(v.Location), nil
}

// SubscriptionsAPIVersion is the api-version of the subscription read that
// gives the Entra tenant a new key vault trusts.
const SubscriptionsAPIVersion = "2022-12-01"

func vaultPath(id flex.ResourceID) string {
	vault, _ := splitChild(id.Name)
	return groupPath(flex.GroupID(id.Subscription, id.ResourceGroup)) + "/providers/Microsoft.KeyVault/vaults/" + url.PathEscape(vault)
}

// ensureVault makes the key vault of a key when it does not exist: in the
// key's region with its tags, trusting the subscription's Entra tenant,
// with Azure RBAC, soft delete and purge protection (which disk
// encryption needs).
func (p *Provider) ensureVault(ctx context.Context, r *flex.Key) error {
	u := p.armURL(vaultPath(r.ID), armconv.KeysAPIVersion)
	_, err := do(ctx, p.arm.Pipeline(), http.MethodGet, u, nil, http.StatusOK)
	if !isNotFound(err) {
		return err
	}
	resp, err := do(ctx, p.arm.Pipeline(), http.MethodGet, p.armURL("/subscriptions/"+url.PathEscape(r.ID.Subscription), SubscriptionsAPIVersion), nil, http.StatusOK)
	if err != nil {
		return err
	}
	var s struct {
		TenantID string `json:"tenantId"`
	}
	if err := runtime.UnmarshalAsJSON(resp, &s); err != nil {
		return err
	}
	_, err = do(ctx, p.arm.Pipeline(), http.MethodPut, u, armconv.VaultToARM(r, s.TenantID), http.StatusOK, http.StatusCreated)
	return err
}

func (p *Provider) putKey(ctx context.Context, r *flex.Key) (flex.Resource, error) {
	path, _, key := keyPath(r.ID)
	if key == "" {
		return nil, invalidf("Put", r.ID, "a key's name is vault/key, not %q", r.ID.Name)
	}
	var jwk *armconv.JWK
	if !r.Material.IsZero() {
		var err error
		if jwk, err = armconv.JWKOf(r.Material); err != nil {
			return nil, invalidf("Put", r.ID, "KEY-1: %v", err)
		}
	}
	if err := p.ensureVault(ctx, r); err != nil {
		return nil, err
	}
	if jwk != nil {
		// ARM cannot import key material: the key vault's own API does.
		u, err := p.vaultURL(r.ID, "")
		if err != nil {
			return nil, err
		}
		body := map[string]any{"key": jwk, "tags": r.Tags}
		if _, err := do(ctx, p.vault, http.MethodPut, u, body, http.StatusOK); err != nil {
			return nil, err
		}
		return p.getKey(ctx, r.ID)
	}
	resp, err := do(ctx, p.arm.Pipeline(), http.MethodPut, p.armURL(path, armconv.KeysAPIVersion), armconv.KeyToARM(r), http.StatusOK, http.StatusCreated)
	if err != nil {
		return nil, err
	}
	var k armconv.Key
	if err := runtime.UnmarshalAsJSON(resp, &k); err != nil {
		return nil, err
	}
	region := r.Region
	if k.Location != "" {
		region = regionOf(k.Location)
	}
	return armconv.KeyFromARM(r.ID, region, k), nil
}

func (p *Provider) getKey(ctx context.Context, id flex.ResourceID) (flex.Resource, error) {
	path, _, key := keyPath(id)
	if key == "" {
		return nil, invalidf("Get", id, "a key's name is vault/key, not %q", id.Name)
	}
	resp, err := do(ctx, p.arm.Pipeline(), http.MethodGet, p.armURL(path, armconv.KeysAPIVersion), nil, http.StatusOK)
	if err != nil {
		return nil, err
	}
	var k armconv.Key
	if err := runtime.UnmarshalAsJSON(resp, &k); err != nil {
		return nil, err
	}
	region := regionOf(k.Location)
	if region == "" {
		if region, err = p.vaultRegion(ctx, id); err != nil {
			return nil, err
		}
	}
	return armconv.KeyFromARM(id, region, k), nil
}

// listKeys lists the keys of every vault of a resource group.
func (p *Provider) listKeys(ctx context.Context, g flex.ResourceID) ([]flex.Resource, error) {
	u := p.armURL(groupPath(g)+"/providers/Microsoft.KeyVault/vaults", armconv.KeysAPIVersion)
	var vaults []struct {
		Name     string `json:"name"`
		Location string `json:"location"`
	}
	for u != "" {
		resp, err := do(ctx, p.arm.Pipeline(), http.MethodGet, u, nil, http.StatusOK)
		if err != nil {
			return nil, err
		}
		var page struct {
			Value []struct {
				Name     string `json:"name"`
				Location string `json:"location"`
			} `json:"value"`
			NextLink string `json:"nextLink"`
		}
		if err := runtime.UnmarshalAsJSON(resp, &page); err != nil {
			return nil, err
		}
		vaults = append(vaults, page.Value...)
		u = page.NextLink
	}
	var out []flex.Resource
	for _, v := range vaults {
		u := p.armURL(groupPath(g)+"/providers/Microsoft.KeyVault/vaults/"+url.PathEscape(v.Name)+"/keys", armconv.KeysAPIVersion)
		for u != "" {
			resp, err := do(ctx, p.arm.Pipeline(), http.MethodGet, u, nil, http.StatusOK)
			if err != nil {
				return nil, err
			}
			var page armconv.KeyList
			if err := runtime.UnmarshalAsJSON(resp, &page); err != nil {
				return nil, err
			}
			for _, k := range page.Value {
				id := flex.ResourceID{Subscription: g.Subscription, ResourceGroup: g.Name, Type: flex.TypeKey, Name: v.Name + "/" + k.Name}
				region := regionOf(k.Location)
				if region == "" {
					region = regionOf(v.Location)
				}
				out = append(out, armconv.KeyFromARM(id, region, k))
			}
			u = page.NextLink
		}
	}
	return out, nil
}

// The key vault's own API (its data plane), for what ARM has no verb for.

// VaultAPIVersion is the api-version of the key vault API the provider
// speaks to rotate and delete keys.
const VaultAPIVersion = "7.4"

// vaultScope is the token scope of key vaults in Azure's public cloud.
const vaultScope = "https://vault.azure.net/.default"

func newVaultPipeline(cred azcore.TokenCredential, opts *arm.ClientOptions) runtime.Pipeline {
	return runtime.NewPipeline(moduleName, moduleVersion, runtime.PipelineOptions{
		PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(cred, []string{vaultScope}, nil)},
	}, &opts.ClientOptions)
}

func (p *Provider) vaultURL(id flex.ResourceID, suffix string) (string, error) {
	vault, key := splitChild(id.Name)
	if key == "" {
		return "", invalidf("Key", id, "a key's name is vault/key, not %q", id.Name)
	}
	return "https://" + vault + "." + p.vaultHost + "/keys/" + url.PathEscape(key) + suffix + "?api-version=" + VaultAPIVersion, nil
}

// deleteKey deletes a key with the key vault's API (the vault keeps it as
// deleted for its retention period, as Azure does).
func (p *Provider) deleteKey(ctx context.Context, id flex.ResourceID) error {
	u, err := p.vaultURL(id, "")
	if err != nil {
		return err
	}
	_, err = do(ctx, p.vault, http.MethodDelete, u, nil, http.StatusOK)
	if isNotFound(err) {
		return nil
	}
	return err
}

// RotateKey makes a new version of a key vault key with the key vault's
// rotate operation and returns the key as ARM then reports it.
func (p *Provider) RotateKey(ctx context.Context, key flex.ResourceID) (flex.Key, error) {
	const op = "RotateKey"
	if key.Type != flex.TypeKey {
		return flex.Key{}, invalidf(op, key, "%s is not a key vault key", key.Type)
	}
	u, err := p.vaultURL(key, "/rotate")
	if err != nil {
		return flex.Key{}, err
	}
	if _, err := do(ctx, p.vault, http.MethodPost, u, nil, http.StatusOK); err != nil {
		return flex.Key{}, wrap(op, key, err)
	}
	r, err := p.getKey(ctx, key)
	if err != nil {
		return flex.Key{}, wrap(op, key, err)
	}
	return *r.(*flex.Key), nil
}

package armconv

import (
	"time"

	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
	"github.com/daasflex/daasflex/secret"
)

func secretOf(s string) secret.Value { return secret.New(s) }

// ResourceGroupsAPIVersion is the api-version of Microsoft.Resources the
// provider speaks for resource groups.
const ResourceGroupsAPIVersion = "2021-04-01"

// KeysAPIVersion is the api-version of Microsoft.KeyVault the provider
// speaks for keys through ARM.
const KeysAPIVersion = "2023-07-01"

// Group is the ARM body of a resource group.
type Group struct {
	ID         string            `json:"id,omitempty"`
	Name       string            `json:"name,omitempty"`
	Type       string            `json:"type,omitempty"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags,omitempty"`
	Properties *GroupProperties  `json:"properties,omitempty"`
}

// GroupProperties are the properties of a resource group.
type GroupProperties struct {
	ProvisioningState string `json:"provisioningState,omitempty"`
}

// GroupList is a page of resource groups.
type GroupList struct {
	Value    []Group `json:"value"`
	NextLink string  `json:"nextLink,omitempty"`
}

// GroupToARM converts a resource group.
func GroupToARM(r *flex.ResourceGroup) Group {
	return Group{Location: string(r.Region), Tags: r.Tags}
}

// GroupFromARM converts a resource group back.
func GroupFromARM(id flex.ResourceID, g Group) *flex.ResourceGroup {
	r := &flex.ResourceGroup{Meta: flex.Meta{ID: id, Region: region(&g.Location), Tags: g.Tags}}
	if len(r.Tags) == 0 {
		r.Tags = nil
	}
	r.State = flex.Succeeded
	if g.Properties != nil {
		r.State = state(&g.Properties.ProvisioningState)
	}
	return r
}

// Key is the ARM body of a key vault key (Microsoft.KeyVault/vaults/keys).
// ARM never carries key material: it creates keys in the vault and reads
// their metadata.
type Key struct {
	ID         string            `json:"id,omitempty"`
	Name       string            `json:"name,omitempty"`
	Type       string            `json:"type,omitempty"`
	Location   string            `json:"location,omitempty"`
	Tags       map[string]string `json:"tags,omitempty"`
	Properties KeyProperties     `json:"properties"`
}

// KeyProperties are the properties of a key.
type KeyProperties struct {
	Kty               string         `json:"kty,omitempty"`
	KeySize           int            `json:"keySize,omitempty"`
	KeyURI            string         `json:"keyUri,omitempty"`
	KeyURIWithVersion string         `json:"keyUriWithVersion,omitempty"`
	Attributes        *KeyAttributes `json:"attributes,omitempty"`
}

// KeyAttributes are the attributes of a key version.
type KeyAttributes struct {
	Enabled bool  `json:"enabled"`
	Created int64 `json:"created,omitempty"` // Unix seconds
}

// KeyList is a page of keys.
type KeyList struct {
	Value    []Key  `json:"value"`
	NextLink string `json:"nextLink,omitempty"`
}

// KeyToARM converts a key: an RSA key of 2,048 bits that the vault makes.
func KeyToARM(r *flex.Key) Key {
	return Key{Tags: r.Tags, Properties: KeyProperties{Kty: "RSA", KeySize: 2048, Attributes: &KeyAttributes{Enabled: true}}}
}

// KeyFromARM converts a key back; region is the vault's.
func KeyFromARM(id flex.ResourceID, region network.Region, k Key) *flex.Key {
	r := &flex.Key{Meta: flex.Meta{ID: id, Region: region, Tags: k.Tags, State: flex.Succeeded}}
	if len(r.Tags) == 0 {
		r.Tags = nil
	}
	if k.Properties.KeyURIWithVersion != "" {
		r.Version = VersionOf(k.Properties.KeyURIWithVersion)
	}
	if a := k.Properties.Attributes; a != nil && a.Created != 0 {
		r.Created = time.Unix(a.Created, 0).UTC()
	}
	return r
}

// Vault is the ARM body of a key vault.
type Vault struct {
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags,omitempty"`
	Properties VaultProperties   `json:"properties"`
}

// VaultProperties are the properties of a key vault.
type VaultProperties struct {
	TenantID                string   `json:"tenantId"`
	SKU                     VaultSKU `json:"sku"`
	EnableRbacAuthorization bool     `json:"enableRbacAuthorization"`
	EnableSoftDelete        bool     `json:"enableSoftDelete"`
	EnablePurgeProtection   bool     `json:"enablePurgeProtection"`
}

// VaultSKU is a key vault's SKU.
type VaultSKU struct {
	Family string `json:"family"`
	Name   string `json:"name"`
}

// VaultToARM returns the vault of key r, trusting the Entra tenant tenantID:
// standard SKU, Azure RBAC, soft delete and purge protection, which disk
// encryption sets need.
func VaultToARM(r *flex.Key, tenantID string) Vault {
	return Vault{Location: string(r.Region), Tags: r.Tags, Properties: VaultProperties{
		TenantID: tenantID, SKU: VaultSKU{Family: "A", Name: "standard"},
		EnableRbacAuthorization: true, EnableSoftDelete: true, EnablePurgeProtection: true}}
}

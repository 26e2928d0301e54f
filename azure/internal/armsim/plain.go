package armsim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/daasflex/daasflex/azure/internal/armconv"
	"github.com/daasflex/daasflex/azure/internal/fakearm"
	"github.com/daasflex/daasflex/flex"
	"github.com/daasflex/daasflex/network"
)

func jsonResponse(req *http.Request, status int, body any) *http.Response {
	b, _ := json.Marshal(body)
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return &http.Response{
		Status: http.StatusText(status), StatusCode: status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(bytes.NewReader(b)), ContentLength: int64(len(b)), Request: req,
	}
}

func errResponse(req *http.Request, err error) *http.Response {
	return armError(err).(*fakearm.Error).Response(req)
}

func readBody(req *http.Request, v any) error {
	if req.Body == nil {
		return nil
	}
	defer req.Body.Close()
	b, err := io.ReadAll(req.Body)
	if err != nil || len(b) == 0 {
		return err
	}
	return json.Unmarshal(b, v)
}

// Plain serves resource groups (Microsoft.Resources), the ARM verbs of
// key vault keys (Microsoft.KeyVault) and the key vault API of rotate and
// delete.
func (s *Sim) Plain(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	if host := strings.ToLower(req.URL.Hostname()); strings.Contains(host, ".vault.") {
		vault, _, _ := strings.Cut(host, ".")
		return s.vaultAPI(req, vault), nil
	}
	parts := strings.Split(strings.Trim(req.URL.Path, "/"), "/")
	lower := strings.Split(strings.ToLower(strings.Trim(req.URL.Path, "/")), "/")
	switch {
	case len(lower) == 2 && lower[0] == "subscriptions" && req.Method == http.MethodGet:
		return jsonResponse(req, http.StatusOK, map[string]string{"subscriptionId": parts[1], "tenantId": EntraTenant, "state": "Enabled"}), nil
	case len(lower) == 3 && lower[0] == "subscriptions" && lower[2] == "resourcegroups" && req.Method == http.MethodGet:
		rs, err := s.cloud.List(ctx, flex.Filter{Subscription: parts[1], Type: flex.TypeResourceGroup})
		if err != nil {
			return errResponse(req, err), nil
		}
		page := armconv.GroupList{Value: []armconv.Group{}}
		for _, r := range rs {
			page.Value = append(page.Value, groupModel(r.(*flex.ResourceGroup)))
		}
		return jsonResponse(req, http.StatusOK, page), nil
	case len(lower) == 4 && lower[0] == "subscriptions" && lower[2] == "resourcegroups":
		return s.group(req, flex.GroupID(parts[1], parts[3])), nil
	case len(lower) >= 8 && lower[0] == "subscriptions" && lower[2] == "resourcegroups" && lower[4] == "providers" && lower[5] == "microsoft.keyvault" && lower[6] == "vaults":
		g := flex.GroupID(parts[1], parts[3])
		switch len(parts) {
		case 8:
			return s.vault(req, g, parts[7]), nil
		case 9:
			if lower[8] == "keys" && req.Method == http.MethodGet {
				return s.listKeys(req, g, parts[7]), nil
			}
		case 10:
			if lower[8] == "keys" {
				id := flex.ResourceID{Subscription: g.Subscription, ResourceGroup: g.Name, Type: flex.TypeKey, Name: parts[7] + "/" + parts[9]}
				return s.key(req, id), nil
			}
		}
	case len(lower) == 7 && lower[4] == "providers" && lower[5] == "microsoft.keyvault" && lower[6] == "vaults" && req.Method == http.MethodGet:
		return s.listVaults(req, flex.GroupID(parts[1], parts[3])), nil
	}
	return (&fakearm.Error{Status: http.StatusNotFound, Code: "InvalidResourceType", Message: "the simulator does not serve " + req.Method + " " + req.URL.Path}).Response(req), nil
}

func groupModel(r *flex.ResourceGroup) armconv.Group {
	g := armconv.GroupToARM(r)
	g.ID, g.Name, g.Type = r.ID.String(), r.ID.Name, string(flex.TypeResourceGroup)
	g.Properties = &armconv.GroupProperties{ProvisioningState: string(r.State)}
	return g
}

func (s *Sim) group(req *http.Request, id flex.ResourceID) *http.Response {
	ctx := req.Context()
	switch req.Method {
	case http.MethodPut:
		var g armconv.Group
		if err := readBody(req, &g); err != nil {
			return errResponse(req, badRequest("the request body", err))
		}
		_, getErr := s.cloud.Get(ctx, id)
		out, err := s.cloud.Put(ctx, armconv.GroupFromARM(id, g))
		if err != nil {
			return errResponse(req, err)
		}
		status := http.StatusOK
		if getErr != nil {
			status = http.StatusCreated
		}
		return jsonResponse(req, status, groupModel(out.(*flex.ResourceGroup)))
	case http.MethodGet:
		out, err := s.cloud.Get(ctx, id)
		if err != nil {
			return errResponse(req, err)
		}
		return jsonResponse(req, http.StatusOK, groupModel(out.(*flex.ResourceGroup)))
	case http.MethodDelete:
		if _, err := s.cloud.Get(ctx, id); err != nil {
			return errResponse(req, err)
		}
		if err := s.cloud.Delete(ctx, id); err != nil {
			return errResponse(req, err)
		}
		s.forgetGroup(id)
		return jsonResponse(req, http.StatusOK, struct{}{})
	}
	return (&fakearm.Error{Status: http.StatusMethodNotAllowed, Code: "MethodNotAllowed", Message: req.Method}).Response(req)
}

// forgetGroup drops the public IPs and network interfaces of a deleted
// resource group.
func (s *Sim) forgetGroup(g flex.ResourceID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, p := range s.pips {
		if strings.EqualFold(p.id.Subscription, g.Subscription) && strings.EqualFold(p.id.ResourceGroup, g.Name) {
			delete(s.pips, k)
		}
	}
	for k, n := range s.nics {
		if strings.EqualFold(n.id.Subscription, g.Subscription) && strings.EqualFold(n.id.ResourceGroup, g.Name) {
			delete(s.nics, k)
		}
	}
}

// Keys. The simulated cloud keeps keys but no vaults: a vault exists while
// it holds a key, in the key's region, and a key's first PUT makes it in
// its resource group's region.

func (s *Sim) keyModel(k *flex.Key) armconv.Key {
	vault, name, _ := strings.Cut(k.ID.Name, "/")
	m := armconv.Key{
		ID: k.ID.String(), Name: name, Type: string(flex.TypeKey), Location: string(k.Region), Tags: k.Tags,
		Properties: armconv.KeyProperties{Kty: "RSA", KeySize: 2048,
			KeyURI:     "https://" + vault + ".vault.azure.net/keys/" + name,
			Attributes: &armconv.KeyAttributes{Enabled: true}},
	}
	if k.Version != "" {
		m.Properties.KeyURIWithVersion = m.Properties.KeyURI + "/" + k.Version
	}
	if !k.Created.IsZero() {
		m.Properties.Attributes.Created = k.Created.Unix()
	}
	return m
}

func (s *Sim) key(req *http.Request, id flex.ResourceID) *http.Response {
	ctx := req.Context()
	vault, _, _ := strings.Cut(id.Name, "/")
	switch req.Method {
	case http.MethodPut:
		var m armconv.Key
		if err := readBody(req, &m); err != nil {
			return errResponse(req, badRequest("the request body", err))
		}
		if old, err := s.cloud.Get(ctx, id); err == nil {
			// ARM's create-if-not-exist: an existing key is returned as it is.
			return jsonResponse(req, http.StatusOK, s.keyModel(old.(*flex.Key)))
		}
		if _, err := s.cloud.Get(ctx, id.Group()); err != nil {
			return errResponse(req, err)
		}
		region := network.Region(m.Location)
		if region == "" {
			region = s.vaultRegion(req, id.Group(), vault)
		}
		r := armconv.KeyFromARM(id, region, m)
		out, err := s.cloud.Put(ctx, r)
		if err != nil {
			return errResponse(req, err)
		}
		s.remember(vault, id.Group(), region, nil)
		return jsonResponse(req, http.StatusCreated, s.keyModel(out.(*flex.Key)))
	case http.MethodGet:
		out, err := s.cloud.Get(ctx, id)
		if err != nil {
			return errResponse(req, err)
		}
		return jsonResponse(req, http.StatusOK, s.keyModel(out.(*flex.Key)))
	}
	return (&fakearm.Error{Status: http.StatusMethodNotAllowed, Code: "MethodNotAllowed", Message: "ARM has no " + req.Method + " for keys; the key vault API does"}).Response(req)
}

func (s *Sim) vaultKeys(req *http.Request, g flex.ResourceID, vault string) ([]*flex.Key, error) {
	rs, err := s.cloud.List(req.Context(), flex.Filter{Subscription: g.Subscription, ResourceGroup: g.Name, Type: flex.TypeKey})
	if err != nil {
		return nil, err
	}
	var out []*flex.Key
	for _, r := range rs {
		k := r.(*flex.Key)
		if v, _, _ := strings.Cut(k.ID.Name, "/"); vault == "" || strings.EqualFold(v, vault) {
			out = append(out, k)
		}
	}
	return out, nil
}

// vaultRegion returns the region of a vault: its keys', or its resource
// group's while it holds none (the simulated cloud keeps no vaults).
func (s *Sim) vaultRegion(req *http.Request, g flex.ResourceID, vault string) network.Region {
	s.mu.Lock()
	v, ok := s.vaults[strings.ToLower(vault)]
	s.mu.Unlock()
	if ok {
		return v.region
	}
	ks, _ := s.vaultKeys(req, g, vault)
	if len(ks) > 0 {
		return ks[0].Region
	}
	if r, err := s.cloud.Get(req.Context(), g); err == nil {
		return r.Metadata().Region
	}
	return ""
}

// EntraTenant is the Entra tenant of every simulated subscription, which
// the vaults it makes trust.
const EntraTenant = "72f988bf-0000-0000-0000-00000000000a"

// remember records a vault.
func (s *Sim) remember(name string, g flex.ResourceID, region network.Region, tags map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := strings.ToLower(name)
	if v, ok := s.vaults[k]; ok && tags == nil {
		tags = v.tags
	}
	s.vaults[k] = vault{group: g, region: region, tags: tags}
}

func (s *Sim) vault(req *http.Request, g flex.ResourceID, name string) *http.Response {
	ctx := req.Context()
	if req.Method == http.MethodPut {
		var v armconv.Vault
		if err := readBody(req, &v); err != nil {
			return errResponse(req, badRequest("the request body", err))
		}
		if _, err := s.cloud.Get(ctx, g); err != nil {
			return errResponse(req, err)
		}
		if v.Location == "" || v.Properties.TenantID != EntraTenant {
			return (&fakearm.Error{Status: http.StatusBadRequest, Code: "BadRequest", Message: "a vault needs a location and the subscription's tenant ID"}).Response(req)
		}
		s.remember(name, g, network.Region(v.Location), v.Tags)
		return jsonResponse(req, http.StatusOK, v)
	}
	if req.Method != http.MethodGet {
		return (&fakearm.Error{Status: http.StatusMethodNotAllowed, Code: "MethodNotAllowed", Message: req.Method}).Response(req)
	}
	s.mu.Lock()
	v, ok := s.vaults[strings.ToLower(name)]
	s.mu.Unlock()
	if ok && strings.EqualFold(v.group.String(), g.String()) {
		return jsonResponse(req, http.StatusOK, map[string]any{"name": name, "location": string(v.region), "tags": v.tags})
	}
	ks, err := s.vaultKeys(req, g, name)
	if err != nil {
		return errResponse(req, err)
	}
	if len(ks) == 0 {
		return (&fakearm.Error{Status: http.StatusNotFound, Code: "ResourceNotFound", Message: "vault " + name + " was not found"}).Response(req)
	}
	return jsonResponse(req, http.StatusOK, map[string]string{"name": name, "location": string(ks[0].Region)})
}

func (s *Sim) listVaults(req *http.Request, g flex.ResourceID) *http.Response {
	ks, err := s.vaultKeys(req, g, "")
	if err != nil {
		return errResponse(req, err)
	}
	type vault struct {
		Name     string `json:"name"`
		Location string `json:"location"`
	}
	page := struct {
		Value []vault `json:"value"`
	}{Value: []vault{}}
	seen := map[string]bool{}
	for _, k := range ks {
		v, _, _ := strings.Cut(k.ID.Name, "/")
		if !seen[strings.ToLower(v)] {
			seen[strings.ToLower(v)] = true
			page.Value = append(page.Value, vault{Name: v, Location: string(k.Region)})
		}
	}
	return jsonResponse(req, http.StatusOK, page)
}

func (s *Sim) listKeys(req *http.Request, g flex.ResourceID, vault string) *http.Response {
	ks, err := s.vaultKeys(req, g, vault)
	if err != nil {
		return errResponse(req, err)
	}
	page := armconv.KeyList{Value: []armconv.Key{}}
	for _, k := range ks {
		page.Value = append(page.Value, s.keyModel(k))
	}
	return jsonResponse(req, http.StatusOK, page)
}

// vaultAPI serves the key vault's own API: POST /keys/{name}/rotate and
// DELETE /keys/{name}.
func (s *Sim) vaultAPI(req *http.Request, vault string) *http.Response {
	ctx := req.Context()
	s.mu.Lock()
	v, ok := s.vaults[strings.ToLower(vault)]
	s.mu.Unlock()
	g := v.group
	parts := strings.Split(strings.Trim(req.URL.Path, "/"), "/")
	if !ok || len(parts) < 2 || parts[0] != "keys" {
		return (&fakearm.Error{Status: http.StatusNotFound, Code: "KeyNotFound", Message: "vault " + vault + " has no key at " + req.URL.Path}).Response(req)
	}
	id := flex.ResourceID{Subscription: g.Subscription, ResourceGroup: g.Name, Type: flex.TypeKey, Name: vault + "/" + parts[1]}
	switch {
	case len(parts) == 3 && parts[2] == "rotate" && req.Method == http.MethodPost:
		k, err := s.cloud.RotateKey(ctx, id)
		if err != nil {
			return errResponse(req, err)
		}
		return jsonResponse(req, http.StatusOK, map[string]any{"key": map[string]string{"kid": s.keyModel(&k).Properties.KeyURIWithVersion}})
	case len(parts) == 2 && req.Method == http.MethodPut:
		var body struct {
			Key  armconv.JWK       `json:"key"`
			Tags map[string]string `json:"tags"`
		}
		if err := readBody(req, &body); err != nil {
			return errResponse(req, badRequest("the request body", err))
		}
		material, err := armconv.PEMOf(&body.Key)
		if err != nil {
			return (&fakearm.Error{Status: http.StatusBadRequest, Code: "BadParameter", Message: err.Error()}).Response(req)
		}
		out, err := s.cloud.Put(ctx, &flex.Key{Meta: flex.Meta{ID: id, Region: v.region, Tags: body.Tags}, Material: material})
		if err != nil {
			return errResponse(req, err)
		}
		return jsonResponse(req, http.StatusOK, map[string]any{"key": map[string]string{"kid": s.keyModel(out.(*flex.Key)).Properties.KeyURIWithVersion, "kty": "RSA"}})
	case len(parts) == 2 && req.Method == http.MethodDelete:
		if _, err := s.cloud.Get(ctx, id); err != nil {
			return errResponse(req, err)
		}
		if err := s.cloud.Delete(ctx, id); err != nil {
			return errResponse(req, err)
		}
		return jsonResponse(req, http.StatusOK, map[string]string{"recoveryId": id.String()})
	}
	return (&fakearm.Error{Status: http.StatusBadRequest, Code: "BadParameter", Message: req.Method + " " + req.URL.Path}).Response(req)
}

package flex_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/daasflex/daasflex/flex"
)

// refused fails unless Load of doc refuses it with ErrInvalid and gives no
// Tenant; it returns the error.
func refused(t tb, w *world, doc []byte, opts ...flex.Option) error {
	t.Helper()
	if opts == nil {
		opts = w.opts
	}
	tn, err := flex.Load(bytes.NewReader(doc), w.prov, opts...)
	if tn != nil || !errors.Is(err, flex.ErrInvalid) {
		t.Fatalf("Load of a corrupted document = Tenant %v, %v; want no Tenant and ErrInvalid", tn != nil, err)
	}
	return err
}

// TestLoadRefusesDamagedBytes: any flipped, deleted or inserted bytes of
// a saved document make Load refuse it (the checksum covers every byte),
// with ErrInvalid and no Tenant, and never panic.
func TestLoadRefusesDamagedBytes(t *testing.T) {
	docs := map[string][]byte{}
	var w *world
	for name, key := range map[string][]byte{"plain": nil, "sealed": stKey} {
		w = fullWorld(t, key)
		docs[name] = save(t, w.tn)
	}
	rapid.Check(t, func(rt *rapid.T) {
		name := rapid.SampledFrom([]string{"plain", "sealed"}).Draw(rt, "document")
		doc := bytes.Clone(docs[name])
		opts := w.opts
		if name == "sealed" {
			opts = append(slices.Clone(w.opts), flex.WithStateKey(stKey))
		}
		n := rapid.IntRange(1, 3).Draw(rt, "damages")
		for range n {
			pos := rapid.IntRange(0, len(doc)-1).Draw(rt, "at")
			switch rapid.SampledFrom([]string{"flip", "delete", "insert"}).Draw(rt, "damage") {
			case "flip":
				doc[pos] ^= byte(rapid.IntRange(1, 255).Draw(rt, "bits"))
			case "delete":
				end := min(len(doc), pos+rapid.IntRange(1, 8).Draw(rt, "length"))
				doc = append(doc[:pos:pos], doc[end:]...)
			case "insert":
				ins := rapid.SliceOfN(rapid.Byte(), 1, 8).Draw(rt, "bytes")
				doc = slices.Insert(doc, pos, ins...)
			}
		}
		if bytes.Equal(doc, docs[name]) {
			rt.Skip("the damages undid each other")
		}
		refused(rt, w, doc, opts...)
	})
}

// A tree is a state document decoded as plain JSON values, to damage its
// structure; numbers stay json.Number.
func tree(t tb, doc []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding a saved document: %v", err)
	}
	return v
}

// sealTree encodes a tree and seals it with a checksum of its new bytes,
// so that Load checks what is behind the checksum.
func sealTree(t tb, v map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encoding a tree: %v", err)
	}
	return flex.ResealStateForTest(b)
}

// A spot is one value in a tree: set replaces it, drop removes it from its
// object (false when its parent is an array).
type spot struct {
	path string
	val  any
	set  func(any)
	drop func() bool
}

// spots returns every value of v but the root, in a fixed order.
func spots(v any, path string) []spot {
	var out []spot
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			out = append(out, spot{path: path + "." + k, val: x[k],
				set:  func(n any) { x[k] = n },
				drop: func() bool { delete(x, k); return true }})
			out = append(out, spots(x[k], path+"."+k)...)
		}
	case []any:
		for i := range x {
			p := fmt.Sprintf("%s[%d]", path, i)
			out = append(out, spot{path: p, val: x[i], set: func(n any) { x[i] = n }, drop: func() bool { return false }})
			out = append(out, spots(x[i], p)...)
		}
	}
	return out
}

// otherType returns a value of another JSON type than v.
func otherType(v any) any {
	switch v.(type) {
	case string:
		return json.Number("7")
	case json.Number:
		return "7"
	case bool:
		return "true"
	case map[string]any:
		return []any{}
	case []any:
		return map[string]any{}
	}
	return json.Number("1") // null
}

// named reports whether v is a Flex object of a list that names its
// objects: a subscription, connection, subnet, machine, snapshot, app,
// user, connector, activity… (a warning's "id" is its rule's).
func named(v any) bool {
	m, ok := v.(map[string]any)
	if !ok || m["msg"] != nil {
		return false
	}
	for _, k := range []string{"name", "id", "connection"} {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

// TestLoadRefusesDamagedStructure: a saved document whose structure is
// changed — a field dropped, a value of another type, a named object given
// twice, a newer version — and sealed again with a matching checksum is
// still refused, with ErrInvalid and no Tenant, and never panics. The same
// document sealed again unchanged loads.
func TestLoadRefusesDamagedStructure(t *testing.T) {
	w := fullWorld(t, nil)
	doc := save(t, w.tn)
	if tn, err := flex.Load(bytes.NewReader(sealTree(t, tree(t, doc))), w.prov, w.opts...); err != nil || tn == nil {
		t.Fatalf("Load of the document re-encoded and sealed again: %v", err)
	}
	rapid.Check(t, func(rt *rapid.T) {
		v := tree(rt, doc)
		all := spots(v, "$")
		var what string
		switch rapid.SampledFrom([]string{"drop", "retype", "duplicate", "version"}).Draw(rt, "damage") {
		case "drop":
			var fields []spot
			for _, s := range all {
				if !strings.HasSuffix(s.path, "]") {
					fields = append(fields, s)
				}
			}
			s := rapid.SampledFrom(fields).Draw(rt, "field")
			s.drop()
			what = "dropped " + s.path
		case "retype":
			s := rapid.SampledFrom(all).Draw(rt, "value")
			s.set(otherType(s.val))
			what = "retyped " + s.path
		case "duplicate":
			var lists []spot
			for _, s := range all {
				if l, ok := s.val.([]any); ok && len(l) > 0 && named(l[0]) {
					lists = append(lists, s)
				}
			}
			s := rapid.SampledFrom(lists).Draw(rt, "list")
			l := s.val.([]any)
			i := rapid.IntRange(0, len(l)-1).Draw(rt, "object")
			s.set(append(slices.Clone(l), l[i]))
			what = fmt.Sprintf("duplicated %s[%d]", s.path, i)
		case "version":
			v["version"] = json.Number(fmt.Sprint(rapid.IntRange(2, 1000).Draw(rt, "version")))
			what = "bumped the version"
		}
		err := refused(rt, w, sealTree(rt, v))
		rt.Logf("%s: %v", what, err)
	})
}

// edit returns fullWorld's document with fn applied to its tree and
// sealed again.
func edit(t *testing.T, doc []byte, fn func(v map[string]any)) []byte {
	t.Helper()
	v := tree(t, doc)
	fn(v)
	return sealTree(t, v)
}

// find returns the object of the list at v[list] whose key field is val.
func find(t *testing.T, v map[string]any, list, key, val string) map[string]any {
	t.Helper()
	for _, o := range v[list].([]any) {
		if m := o.(map[string]any); m[key] == val {
			return m
		}
	}
	t.Fatalf("no %s with %s %q", list, key, val)
	return nil
}

func obj(v any) map[string]any { return v.(map[string]any) }

// TestLoadRefusals checks what Load says about documents that break the
// state's own rules: each message names the object or field and the
// problem.
func TestLoadRefusals(t *testing.T) {
	w := fullWorld(t, nil)
	doc := save(t, w.tn)
	for name, tc := range map[string]struct {
		doc  []byte
		want string
	}{
		"not JSON":      {[]byte("{"), "not a JSON object"},
		"no version":    {[]byte(`{"checksum": ""}`), `no "version"`},
		"newer version": {edit(t, doc, func(v map[string]any) { v["version"] = json.Number("2") }), "state version 2 is newer than this SDK understands (1)"},
		"old version":   {edit(t, doc, func(v map[string]any) { v["version"] = json.Number("0") }), "state version 0 is not one this SDK knows"},
		"checksum":      {bytes.Replace(doc, []byte(`"Sales"`), []byte(`"Sallys"`), 1), "the checksum does not match the document"},
		"unknown field": {edit(t, doc, func(v map[string]any) { v["extra"] = json.Number("1") }), `$: unknown field "extra"`},
		"missing field": {edit(t, doc, func(v map[string]any) { delete(find(t, v, "catalogs", "name", "Sales"), "users") }), `$.catalogs[1]: field "users" is missing`},
		"mistyped field": {edit(t, doc, func(v map[string]any) { find(t, v, "catalogs", "name", "Sales")["users"] = "two" }),
			`$.catalogs[1].users: want a whole number, found a string`},
		"unknown enum": {edit(t, doc, func(v map[string]any) { find(t, v, "catalogs", "name", "Sales")["machineType"] = "mainframe" }),
			`$.catalogs[1].machineType: "mainframe" is not a quota.MachineType`},
		"duplicate name": {edit(t, doc, func(v map[string]any) {
			d := find(t, v, "catalogs", "name", "Desk")
			c := map[string]any{}
			for k, x := range d {
				c[k] = x
			}
			c["name"] = "DESK"
			v["catalogs"] = append(v["catalogs"].([]any), c)
		}), `catalog "DESK": the name is given twice (CAT-5)`},
		"missing subscription": {edit(t, doc, func(v map[string]any) { find(t, v, "keys", "name", "disk-key")["subscription"] = "Nope" }),
			`key "disk-key" of subscription "Nope": subscription "Nope" is not in the document`},
		"missing connection": {edit(t, doc, func(v map[string]any) {
			find(t, v, "bastions", "connection", "hub")["connection"] = "ghost"
		}), `bastion of connection "ghost": connection "ghost" is not in the document`},
		"missing key": {edit(t, doc, func(v map[string]any) { find(t, v, "images", "name", "Imported")["key"] = "lost-key" }),
			`image "Imported" of subscription "Prod": key "lost-key" is not a key of subscription "Prod" (KEY-2)`},
		"missing subnet": {edit(t, doc, func(v map[string]any) {
			m := find(t, v, "catalogs", "name", "Desk")["machines"].([]any)[0]
			obj(m)["subnet"] = "nowhere"
		}), `subnet "nowhere" is not one of the catalog's`},
		"overlapping ranges": {edit(t, doc, func(v map[string]any) {
			c := find(t, v, "connections", "name", "spoke")
			obj(obj(c["spec"])["vwan"])["ranges"] = []any{"10.4.0.0/24"}
			c["ranges"] = []any{"10.4.0.0/24"}
		}), `range 10.4.0.0/24`},
		"limits exceeded": {edit(t, doc, func(v map[string]any) {
			obj(obj(v["tenant"])["limits"])["catalogsPerTenant"] = json.Number("1")
		}), "the usage breaks the limits: LIM-2"},
		"work in flight": {edit(t, doc, func(v map[string]any) { find(t, v, "catalogs", "name", "Sales")["state"] = "Processing" }),
			`catalog "Sales": state Processing is work in flight`},
		"secret in clear": {edit(t, doc, func(v map[string]any) {
			obj(obj(find(t, v, "connections", "name", "vpn")["spec"])["vpn"])["psk"] = "in-clear"
		}), "a secret in clear"},
		"two spec kinds": {edit(t, doc, func(v map[string]any) {
			s := obj(find(t, v, "connections", "name", "hub")["spec"])
			s["noConnectivity"] = map[string]any{"name": "hub", "region": "westeurope", "range": "", "nat": map[string]any{"enabled": false, "idleTimeout": json.Number("0")}}
		}), `connection "hub": the spec has 2 kinds; want exactly one`},
	} {
		t.Run(name, func(t *testing.T) {
			err := refused(t, w, tc.doc)
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load refused with\n%v\nwant it to say %q", err, tc.want)
			}
		})
	}
}

// TestLoadOptions: WithID must name the document's tenant; WithLimits
// replaces the saved limits, and the state must fit them.
func TestLoadOptions(t *testing.T) {
	w := fullWorld(t, nil)
	doc := save(t, w.tn)
	if err := refused(t, w, doc, flex.WithID("another")); !strings.Contains(err.Error(), `the state of tenant "st"; WithID names "another"`) {
		t.Errorf("Load WithID of another tenant: %v", err)
	}
	l := w.tn.Limits()
	l.CatalogsPerTenant = 1
	if err := refused(t, w, doc, flex.WithLimits(l)); !strings.Contains(err.Error(), "LIM-2") {
		t.Errorf("Load WithLimits below the usage: %v", err)
	}
	l.CatalogsPerTenant = 7
	tn, err := flex.Load(bytes.NewReader(doc), w.prov, flex.WithLimits(l))
	if err != nil || tn.Limits() != l || tn.ID() != stTenant {
		t.Fatalf("Load WithLimits = %v; limits %+v, ID %q", err, tn.Limits(), tn.ID())
	}
}

package flex

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/daasflex/daasflex/secret"
)

// The JSON codec of the state document. It is reflective so that the
// document can hold the value types of the pure packages (network specs,
// catalog machines, images, personas…) as they are, and strict so that a
// corrupted document never decodes into something else:
//
//   - a struct is an object whose keys are its exported fields, in order,
//     named by their json tag or else the field name with its leading
//     capitals lowered ("TransactionID" → "transactionID", "VCPUs" →
//     "vcpus"); an embedded struct's fields are flattened into it. Decoding
//     refuses unknown keys, keys given twice and missing keys: every field
//     is written and every field is required;
//   - integer types with a String method (the enums) are written as that
//     name, such as "multi-session", and read back by name; a zero that
//     String does not name (it means unset) is "", and a value outside the
//     enum cannot be written;
//   - time.Time and types with MarshalText (addresses, prefixes, VDA
//     versions) are written as text, time.Duration as its String form;
//   - a secret.Value is written only when empty, as ""; encoding a secret
//     that holds something is an error, so that no secret is ever written in
//     clear (the document carries them sealed, in fields of their own);
//   - slices are arrays (never null); pointers are null or their value, and
//     null is refused for everything else; strings must be valid UTF-8.

var (
	typeTime      = reflect.TypeFor[time.Time]()
	typeDuration  = reflect.TypeFor[time.Duration]()
	typeSecret    = reflect.TypeFor[secret.Value]()
	typeMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	typeStringer  = reflect.TypeFor[fmt.Stringer]()
)

// jsonField is one field of a struct as the codec sees it.
type jsonField struct {
	name  string
	index []int
}

// jsonFields returns the fields of struct type t, embedded structs
// flattened, or an error when t has an unexported field or two fields of
// one name.
func jsonFields(t reflect.Type) ([]jsonField, error) {
	var out []jsonField
	seen := map[string]bool{}
	var walk func(t reflect.Type, index []int) error
	walk = func(t reflect.Type, index []int) error {
		for i := range t.NumField() {
			f := t.Field(i)
			idx := append(append([]int(nil), index...), i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct && !isLeaf(f.Type) {
				if err := walk(f.Type, idx); err != nil {
					return err
				}
				continue
			}
			if !f.IsExported() {
				return fmt.Errorf("type %v has an unexported field %s that the state document cannot hold", t, f.Name)
			}
			name := f.Tag.Get("json")
			if name == "" {
				name = lowerLead(f.Name)
			}
			if seen[name] {
				return fmt.Errorf("type %v has two fields named %q", t, name)
			}
			seen[name] = true
			out = append(out, jsonField{name: name, index: idx})
		}
		return nil
	}
	return out, walk(t, nil)
}

// lowerLead lowers the leading capitals of a field name, keeping the last
// one of a run that starts a word: "ID" → "id", "ADDomain" → "adDomain",
// "NATPublicIP" → "natPublicIP", "VCPUs" → "vcpus".
func lowerLead(s string) string {
	r := []rune(s)
	n := 0
	for n < len(r) && unicode.IsUpper(r[n]) {
		n++
	}
	switch {
	case n == 0:
		return s
	case n == len(r), n > 1 && string(r[n:]) == "s":
		n = len(r)
	case n > 1:
		n--
	}
	for i := range n {
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}

// isLeaf reports whether values of t are written as one JSON scalar.
func isLeaf(t reflect.Type) bool {
	return t == typeTime || t == typeDuration || t == typeSecret || t.Implements(typeMarshaler)
}

// isEnum reports whether values of the integer type t are written by name.
func isEnum(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return t.PkgPath() != "" && t.Implements(typeStringer)
	}
	return false
}

// encodeJSON writes v as indented JSON by the rules above.
func encodeJSON(v any) ([]byte, error) {
	e := &jsonEncoder{}
	if err := e.value(reflect.ValueOf(v), 0, "$"); err != nil {
		return nil, err
	}
	e.buf.WriteByte('\n')
	return e.buf.Bytes(), nil
}

type jsonEncoder struct{ buf bytes.Buffer }

func (e *jsonEncoder) newline(depth int) {
	e.buf.WriteByte('\n')
	for range depth {
		e.buf.WriteString("  ")
	}
}

func (e *jsonEncoder) str(s, path string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s: the text is not valid UTF-8", path)
	}
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	e.buf.Write(b)
	return nil
}

func (e *jsonEncoder) value(v reflect.Value, depth int, path string) error {
	t := v.Type()
	switch {
	case t == typeSecret:
		if !v.Interface().(secret.Value).IsZero() {
			return fmt.Errorf("%s: a secret would be written in clear", path)
		}
		e.buf.WriteString(`""`)
		return nil
	case t == typeDuration:
		return e.str(time.Duration(v.Int()).String(), path)
	case t.Implements(typeMarshaler):
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return e.str(string(b), path)
	case isEnum(t):
		name := v.Interface().(fmt.Stringer).String()
		if strings.Contains(name, "(") {
			// String names only the enum's values; an unset zero is "".
			if !v.IsZero() {
				return fmt.Errorf("%s: %s is not a %v", path, name, t)
			}
			name = ""
		}
		return e.str(name, path)
	}
	switch t.Kind() {
	case reflect.Bool:
		e.buf.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		e.buf.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.String:
		return e.str(v.String(), path)
	case reflect.Pointer:
		if v.IsNil() {
			e.buf.WriteString("null")
			return nil
		}
		return e.value(v.Elem(), depth, path)
	case reflect.Slice:
		if v.Len() == 0 {
			e.buf.WriteString("[]")
			return nil
		}
		e.buf.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				e.buf.WriteByte(',')
			}
			e.newline(depth + 1)
			if err := e.value(v.Index(i), depth+1, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		e.newline(depth)
		e.buf.WriteByte(']')
	case reflect.Struct:
		fields, err := jsonFields(t)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if len(fields) == 0 {
			e.buf.WriteString("{}")
			return nil
		}
		e.buf.WriteByte('{')
		for i, f := range fields {
			if i > 0 {
				e.buf.WriteByte(',')
			}
			e.newline(depth + 1)
			if err := e.str(f.name, path); err != nil {
				return err
			}
			e.buf.WriteString(": ")
			if err := e.value(v.FieldByIndex(f.index), depth+1, path+"."+f.name); err != nil {
				return err
			}
		}
		e.newline(depth)
		e.buf.WriteByte('}')
	default:
		return fmt.Errorf("%s: the state document cannot hold a %v", path, t)
	}
	return nil
}

// jsonDecoder decodes by the rules above. It keeps, per enum type, the
// names of its values, read once.
type jsonDecoder struct {
	enums map[reflect.Type]map[string]uint64
}

// decodeJSON decodes data into the value v points to, refusing anything
// the encoder would not have written.
func decodeJSON(data []byte, v any) error {
	d := &jsonDecoder{enums: map[reflect.Type]map[string]uint64{}}
	return d.value(data, reflect.ValueOf(v).Elem(), "$")
}

// kindOf names the JSON type of a value, for messages.
func kindOf(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func wantJSON(path, want string, raw []byte) error {
	return fmt.Errorf("%s: want %s, found %s", path, want, kindOf(raw))
}

// text returns the JSON string raw holds.
func text(raw []byte, path string) (string, error) {
	if kindOf(raw) != "a string" {
		return "", wantJSON(path, "a string", raw)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

func (d *jsonDecoder) value(raw []byte, v reflect.Value, path string) error {
	t := v.Type()
	if t.Kind() == reflect.Pointer {
		if kindOf(raw) == "null" {
			v.SetZero()
			return nil
		}
		p := reflect.New(t.Elem())
		if err := d.value(raw, p.Elem(), path); err != nil {
			return err
		}
		v.Set(p)
		return nil
	}
	switch {
	case t == typeSecret:
		s, err := text(raw, path)
		if err != nil {
			return err
		}
		if s != "" {
			return fmt.Errorf("%s: a secret in clear; the document holds secrets sealed only", path)
		}
		v.SetZero()
		return nil
	case t == typeDuration:
		s, err := text(raw, path)
		if err != nil {
			return err
		}
		dur, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("%s: %q is not a duration such as \"2160h0m0s\"", path, s)
		}
		v.SetInt(int64(dur))
		return nil
	case reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) && t.Implements(typeMarshaler):
		s, err := text(raw, path)
		if err != nil {
			return err
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			return fmt.Errorf("%s: %q: %w", path, s, err)
		}
		return nil
	case isEnum(t):
		s, err := text(raw, path)
		if err != nil {
			return err
		}
		n, ok := d.enum(t)[s]
		if !ok {
			return fmt.Errorf("%s: %q is not a %v", path, s, t)
		}
		if v.CanInt() {
			v.SetInt(int64(n))
		} else {
			v.SetUint(n)
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Bool:
		if k := kindOf(raw); k != "a boolean" {
			return wantJSON(path, "a boolean", raw)
		}
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if kindOf(raw) != "a number" {
			return wantJSON(path, "a whole number", raw)
		}
		var n int64
		if err := json.Unmarshal(raw, &n); err != nil || v.OverflowInt(n) {
			return fmt.Errorf("%s: %s is not a whole number the field holds", path, bytes.TrimSpace(raw))
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if kindOf(raw) != "a number" {
			return wantJSON(path, "a whole number", raw)
		}
		var n uint64
		if err := json.Unmarshal(raw, &n); err != nil || v.OverflowUint(n) {
			return fmt.Errorf("%s: %s is not a whole number the field holds", path, bytes.TrimSpace(raw))
		}
		v.SetUint(n)
	case reflect.String:
		s, err := text(raw, path)
		if err != nil {
			return err
		}
		v.SetString(s)
	case reflect.Slice:
		if kindOf(raw) != "an array" {
			return wantJSON(path, "an array", raw)
		}
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		s := reflect.MakeSlice(t, len(items), len(items))
		for i, item := range items {
			if err := d.value(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		v.Set(s)
	case reflect.Struct:
		return d.object(raw, v, path)
	default:
		return fmt.Errorf("%s: the state document cannot hold a %v", path, t)
	}
	return nil
}

// object decodes a JSON object into struct v: every field once, no other
// key.
func (d *jsonDecoder) object(raw []byte, v reflect.Value, path string) error {
	if kindOf(raw) != "an object" {
		return wantJSON(path, "an object", raw)
	}
	fields, err := jsonFields(v.Type())
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	byName := make(map[string]jsonField, len(fields))
	for _, f := range fields {
		byName[f.name] = f
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // {
		return fmt.Errorf("%s: %w", path, err)
	}
	got := map[string]bool{}
	var errs []error
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		key, _ := tok.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return fmt.Errorf("%s.%s: %w", path, key, err)
		}
		f, ok := byName[key]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%s: unknown field %q", path, key))
			continue
		case got[key]:
			errs = append(errs, fmt.Errorf("%s: field %q is given twice", path, key))
			continue
		}
		got[key] = true
		if err := d.value(val, v.FieldByIndex(f.index), path+"."+key); err != nil {
			errs = append(errs, err)
		}
	}
	for _, f := range fields {
		if !got[f.name] {
			errs = append(errs, fmt.Errorf("%s: field %q is missing", path, f.name))
		}
	}
	return errors.Join(errs...)
}

// enum returns the values of the enum type t by name. Enums are small
// integers; their names are read from String for 0 to 255, the first value
// of a name winning. Names such as "State(9)", which String gives values
// outside the enum, are left out, so such values never decode.
func (d *jsonDecoder) enum(t reflect.Type) map[string]uint64 {
	if m, ok := d.enums[t]; ok {
		return m
	}
	m := map[string]uint64{}
	v := reflect.New(t).Elem()
	for i := range math.MaxUint8 + 1 {
		if v.CanInt() {
			v.SetInt(int64(i))
		} else {
			v.SetUint(uint64(i))
		}
		name := v.Interface().(fmt.Stringer).String()
		if i == 0 && strings.Contains(name, "(") {
			name = "" // an unset zero
		}
		if _, dup := m[name]; !dup && !strings.Contains(name, "(") {
			m[name] = uint64(i)
		}
	}
	d.enums[t] = m
	return m
}

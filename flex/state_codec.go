package flex

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
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
	typeTime        = reflect.TypeFor[time.Time]()
	typeDuration    = reflect.TypeFor[time.Duration]()
	typeSecret      = reflect.TypeFor[secret.Value]()
	typeMarshaler   = reflect.TypeFor[encoding.TextMarshaler]()
	typeUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	typeStringer    = reflect.TypeFor[fmt.Stringer]()
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
	e := &jsonEncoder{fields: fieldCache{}}
	if err := e.value(reflect.ValueOf(v), 0, "$"); err != nil {
		return nil, err
	}
	e.buf.WriteByte('\n')
	return e.buf.Bytes(), nil
}

type jsonEncoder struct {
	buf    bytes.Buffer
	fields fieldCache
}

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
		fields, err := e.fields.get(t)
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

// jsonDecoder decodes by the rules above, in one pass over the tokens of
// the document. It keeps, per type, the fields of structs and the names of
// enums' values, read once.
type jsonDecoder struct {
	dec    *json.Decoder
	fields fieldCache
	enums  map[reflect.Type]map[string]uint64
}

// fieldCache holds jsonFields by type.
type fieldCache map[reflect.Type][]jsonField

func (c fieldCache) get(t reflect.Type) ([]jsonField, error) {
	if f, ok := c[t]; ok {
		return f, nil
	}
	f, err := jsonFields(t)
	if err == nil {
		c[t] = f
	}
	return f, err
}

// decodeJSON decodes data, which must be valid JSON, into the value v
// points to, refusing anything the encoder would not have written.
func decodeJSON(data []byte, v any) error {
	d := &jsonDecoder{dec: json.NewDecoder(bytes.NewReader(data)), fields: fieldCache{}, enums: map[reflect.Type]map[string]uint64{}}
	d.dec.UseNumber()
	tok, err := d.dec.Token()
	if err != nil {
		return err
	}
	return d.value(tok, reflect.ValueOf(v).Elem(), "$")
}

// kindOf names the JSON type of a token, for messages.
func kindOf(tok json.Token) string {
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	}
	return "null"
}

// wrong reports a token of the wrong type, and skips the value it starts.
func (d *jsonDecoder) wrong(path, want string, tok json.Token) error {
	if err := d.skip(tok); err != nil {
		return err
	}
	return fmt.Errorf("%s: want %s, found %s", path, want, kindOf(tok))
}

// skip reads the rest of the value that tok starts.
func (d *jsonDecoder) skip(tok json.Token) error {
	if _, ok := tok.(json.Delim); !ok {
		return nil
	}
	for depth := 1; depth > 0; {
		t, err := d.dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// text returns the string tok is.
func (d *jsonDecoder) text(tok json.Token, path string) (string, error) {
	s, ok := tok.(string)
	if !ok {
		return "", d.wrong(path, "a string", tok)
	}
	return s, nil
}

// value decodes the value that starts with tok into v.
func (d *jsonDecoder) value(tok json.Token, v reflect.Value, path string) error {
	t := v.Type()
	if t.Kind() == reflect.Pointer {
		if tok == nil {
			v.SetZero()
			return nil
		}
		p := reflect.New(t.Elem())
		if err := d.value(tok, p.Elem(), path); err != nil {
			return err
		}
		v.Set(p)
		return nil
	}
	switch {
	case t == typeSecret:
		s, err := d.text(tok, path)
		if err != nil {
			return err
		}
		if s != "" {
			return fmt.Errorf("%s: a secret in clear; the document holds secrets sealed only", path)
		}
		v.SetZero()
		return nil
	case t == typeDuration:
		s, err := d.text(tok, path)
		if err != nil {
			return err
		}
		dur, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("%s: %q is not a duration such as \"2160h0m0s\"", path, s)
		}
		v.SetInt(int64(dur))
		return nil
	case reflect.PointerTo(t).Implements(typeUnmarshaler) && t.Implements(typeMarshaler):
		s, err := d.text(tok, path)
		if err != nil {
			return err
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			return fmt.Errorf("%s: %q: %w", path, s, err)
		}
		return nil
	case isEnum(t):
		s, err := d.text(tok, path)
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
		b, ok := tok.(bool)
		if !ok {
			return d.wrong(path, "a boolean", tok)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		num, ok := tok.(json.Number)
		if !ok {
			return d.wrong(path, "a whole number", tok)
		}
		n, err := strconv.ParseInt(string(num), 10, 64)
		if err != nil || v.OverflowInt(n) {
			return fmt.Errorf("%s: %s is not a whole number the field holds", path, num)
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		num, ok := tok.(json.Number)
		if !ok {
			return d.wrong(path, "a whole number", tok)
		}
		n, err := strconv.ParseUint(string(num), 10, 64)
		if err != nil || v.OverflowUint(n) {
			return fmt.Errorf("%s: %s is not a whole number the field holds", path, num)
		}
		v.SetUint(n)
	case reflect.String:
		s, err := d.text(tok, path)
		if err != nil {
			return err
		}
		v.SetString(s)
	case reflect.Slice:
		if tok != json.Delim('[') {
			return d.wrong(path, "an array", tok)
		}
		s := reflect.MakeSlice(t, 0, 0)
		var errs []error
		for i := 0; d.dec.More(); i++ {
			item, err := d.dec.Token()
			if err != nil {
				return err
			}
			s = reflect.Append(s, reflect.Zero(t.Elem()))
			if err := d.value(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				errs = append(errs, err)
			}
		}
		if _, err := d.dec.Token(); err != nil { // ]
			return err
		}
		v.Set(s)
		return errors.Join(errs...)
	case reflect.Struct:
		return d.object(tok, v, path)
	default:
		if err := d.skip(tok); err != nil {
			return err
		}
		return fmt.Errorf("%s: the state document cannot hold a %v", path, t)
	}
	return nil
}

// object decodes the object that starts with tok into struct v: every
// field once, no other key.
func (d *jsonDecoder) object(tok json.Token, v reflect.Value, path string) error {
	if tok != json.Delim('{') {
		return d.wrong(path, "an object", tok)
	}
	fields, err := d.fields.get(v.Type())
	if err != nil {
		return errors.Join(fmt.Errorf("%s: %w", path, err), d.skip(tok))
	}
	var errs []error
	got := make(map[string]bool, len(fields))
	for d.dec.More() {
		k, err := d.dec.Token()
		if err != nil {
			return err
		}
		key, _ := k.(string)
		val, err := d.dec.Token()
		if err != nil {
			return err
		}
		i := slices.IndexFunc(fields, func(f jsonField) bool { return f.name == key })
		switch {
		case i < 0:
			errs = append(errs, fmt.Errorf("%s: unknown field %q", path, key))
		case got[key]:
			errs = append(errs, fmt.Errorf("%s: field %q is given twice", path, key))
		default:
			got[key] = true
			if err := d.value(val, v.FieldByIndex(fields[i].index), path+"."+key); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		if err := d.skip(val); err != nil {
			return err
		}
	}
	if _, err := d.dec.Token(); err != nil { // }
		return err
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

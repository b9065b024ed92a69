package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/template"

	"sigs.k8s.io/yaml"

	"github.com/crossplane/crossplane-runtime/v2/pkg/fieldpath"
)

// templateFuncs are the helpers templates may use besides Go's built-ins.
var templateFuncs = template.FuncMap{
	// get reads a field path (e.g. "status.atProvider.fields.endpoint") of an
	// object, or nil when the object or field is missing.
	"get": func(obj any, path string) any {
		m, ok := obj.(map[string]any)
		if !ok {
			return nil
		}
		v, err := fieldpath.Pave(m).GetValue(path)
		if err != nil {
			return nil
		}
		return v
	},
	// default returns def when v is nil or empty.
	"default": func(def, v any) any {
		if isEmpty(v) {
			return def
		}
		return v
	},
	// required fails the rendering with msg when v is nil or empty.
	"required": func(msg string, v any) (any, error) {
		if isEmpty(v) {
			return nil, fmt.Errorf("%s", msg)
		}
		return v, nil
	},
	// toJson renders any value as JSON, which is also valid YAML.
	"toJson": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	// quote renders a value as a quoted YAML string.
	"quote": func(v any) string {
		b, _ := json.Marshal(fmt.Sprint(v))
		return string(b)
	},
	// int converts a number (JSON numbers arrive as int64 or float64) or a
	// numeric string to an int, e.g. for comparisons: gt (int .x) 1000.
	"int":     toInt,
	"lower":   strings.ToLower,
	"upper":   strings.ToUpper,
	"replace": func(old, new, s string) string { return strings.ReplaceAll(s, old, new) },
	"trunc": func(n int, s string) string {
		if len(s) > n {
			return s[:n]
		}
		return s
	},
}

func toInt(v any) (int, error) {
	switch n := v.(type) {
	case int:
		return n, nil
	case int64:
		return int(n), nil
	case float64:
		return int(n), nil
	case string:
		return strconv.Atoi(n)
	case nil:
		return 0, nil
	}
	return 0, fmt.Errorf("int: %v (%T) is not a number", v, v)
}

func isEmpty(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case map[string]any:
		return len(t) == 0
	case []any:
		return len(t) == 0
	}
	return false
}

// renderYAML executes a template and parses its output as a YAML map; an
// output of only whitespace and comments gives nil.
func renderYAML(name, text string, data map[string]any) (map[string]any, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(templateFuncs).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("cannot parse template: %w", err)
	}
	var out bytes.Buffer
	if err := t.Execute(&out, data); err != nil {
		return nil, fmt.Errorf("cannot render template: %w", err)
	}
	obj := map[string]any{}
	if err := yaml.Unmarshal(out.Bytes(), &obj); err != nil {
		return nil, fmt.Errorf("template did not render YAML: %w\n%s", err, out.String())
	}
	if len(obj) == 0 {
		return nil, nil
	}
	return obj, nil
}

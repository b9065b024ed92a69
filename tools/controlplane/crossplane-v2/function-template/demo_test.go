package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
)

// The demo's compositions (../../demo-v2) render every demo composite without
// error: a broken template shows up here rather than on a seeded control plane.
func TestDemoCompositionsRenderTheDemoComposites(t *testing.T) {
	inputs := map[string][]map[string]any{} // composite kind -> function-template inputs
	for _, doc := range documents(t, "../../demo-v2/20-compositions.yaml") {
		kind := doc["spec"].(map[string]any)["compositeTypeRef"].(map[string]any)["kind"].(string)
		for _, step := range doc["spec"].(map[string]any)["pipeline"].([]any) {
			s := step.(map[string]any)
			if s["functionRef"].(map[string]any)["name"] == "function-template" {
				inputs[kind] = append(inputs[kind], s["input"].(map[string]any))
			}
		}
	}
	claimKinds := map[string]string{"CacheCluster": "XCacheCluster"}
	rendered := 0
	for _, xr := range documents(t, "../../demo-v2/30-composites.yaml") {
		kind := xr["kind"].(string)
		if k, ok := claimKinds[kind]; ok {
			kind = k
		}
		md := xr["metadata"].(map[string]any)
		md["uid"] = "3f1c2a9e-0000-4000-8000-000000000000"
		if len(inputs[kind]) == 0 {
			t.Fatalf("no composition for %s", kind)
		}
		for _, in := range inputs[kind] {
			req := newRequest(t, toJSON(t, in), nil)
			req.Observed.Composite = &fnv1.Resource{Resource: resource.MustStructJSON(toJSON(t, xr))}
			rsp := run(t, req)
			if msg := fatal(rsp); msg != "" {
				t.Fatalf("%s %s: %s", kind, md["name"], msg)
			}
			for name, r := range rsp.GetDesired().GetResources() {
				if r.GetResource().AsMap()["kind"] == nil {
					t.Fatalf("%s %s: resource %s has no kind", kind, md["name"], name)
				}
				rendered++
			}
		}
	}
	if rendered < 10 {
		t.Fatalf("rendered %d resources, want the demo's (at least 10)", rendered)
	}
}

func documents(t *testing.T, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, d := range strings.Split(string(b), "\n---\n") {
		m := map[string]any{}
		if err := yaml.Unmarshal([]byte(d), &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, m)
	}
	return out
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

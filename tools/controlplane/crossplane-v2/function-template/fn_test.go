package main

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
)

const xr = `{
  "apiVersion": "platform.platformops.dev/v1alpha1", "kind": "Database",
  "metadata": {"name": "payments", "namespace": "team-alpha", "labels": {"platformops.io/owner": "team-alpha"}},
  "spec": {"parameters": {"engine": "postgres", "sizeGB": 20}}
}`

const input = `{
  "apiVersion": "template.fn.platformops.dev/v1alpha1", "kind": "Input",
  "resources": [
    {"name": "instance", "readiness": {"type": "NonEmpty", "fieldPath": "status.atProvider.fields.endpoint"},
     "template": "apiVersion: nop.m.crossplane.io/v1alpha1\nkind: NopResource\nmetadata:\n  labels:\n    platformops.io/owner: {{ get .xr \"metadata.labels[platformops.io/owner]\" | quote }}\nspec:\n  forProvider:\n    fields:\n      engine: {{ .xr.spec.parameters.engine }}\n      sizeGB: {{ .xr.spec.parameters.sizeGB }}\n      endpoint: {{ printf \"%s.%s.db.internal\" .xr.metadata.name .xr.metadata.namespace }}\n"},
    {"name": "settings", "readiness": {"type": "Exists"},
     "template": "apiVersion: v1\nkind: ConfigMap\ndata:\n  tier: {{ get .xr \"spec.parameters.tier\" | default \"standard\" | quote }}\n"},
    {"name": "replica",
     "template": "{{ if get .xr \"spec.parameters.replica\" }}apiVersion: nop.m.crossplane.io/v1alpha1\nkind: NopResource\nspec: {forProvider: {}}{{ end }}"}
  ],
  "status": "endpoint: {{ get .observed \"instance.status.atProvider.fields.endpoint\" | default \"\" | quote }}\n"
}`

func newRequest(t *testing.T, in string, observed map[string]string) *fnv1.RunFunctionRequest {
	t.Helper()
	req := &fnv1.RunFunctionRequest{
		Input: resource.MustStructJSON(in),
		Observed: &fnv1.State{
			Composite: &fnv1.Resource{Resource: resource.MustStructJSON(xr)},
			Resources: map[string]*fnv1.Resource{},
		},
		Desired: &fnv1.State{},
	}
	for name, o := range observed {
		req.Observed.Resources[name] = &fnv1.Resource{Resource: resource.MustStructJSON(o)}
	}
	return req
}

func run(t *testing.T, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	rsp, err := (&Function{log: logging.NewNopLogger()}).RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return rsp
}

func field(t *testing.T, s *structpb.Struct, path ...string) any {
	t.Helper()
	var v any = s.AsMap()
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func fatal(rsp *fnv1.RunFunctionResponse) string {
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			return r.GetMessage()
		}
	}
	return ""
}

func condition(rsp *fnv1.RunFunctionResponse, typ string) *fnv1.Condition {
	for _, c := range rsp.GetConditions() {
		if c.GetType() == typ {
			return c
		}
	}
	return nil
}

func TestRendersResourcesFromTheCompositeOnFirstRun(t *testing.T) {
	rsp := run(t, newRequest(t, input, nil))
	if msg := fatal(rsp); msg != "" {
		t.Fatal(msg)
	}
	res := rsp.GetDesired().GetResources()
	if len(res) != 2 {
		t.Fatalf("want instance and settings (replica renders nothing), got %d resources", len(res))
	}
	inst := res["instance"].GetResource()
	if got := field(t, inst, "spec", "forProvider", "fields", "engine"); got != "postgres" {
		t.Fatalf("engine = %v", got)
	}
	if got := field(t, inst, "spec", "forProvider", "fields", "sizeGB"); got != float64(20) {
		t.Fatalf("sizeGB = %v (%T), want the number 20", got, got)
	}
	if got := field(t, inst, "metadata", "labels", "platformops.io/owner"); got != "team-alpha" {
		t.Fatalf("owner label = %v", got)
	}
	if got := field(t, res["settings"].GetResource(), "data", "tier"); got != "standard" {
		t.Fatalf("default tier = %v", got)
	}
	// nothing observed yet: readiness is not decided, nothing has failed
	if r := res["instance"].GetReady(); r != fnv1.Ready_READY_UNSPECIFIED {
		t.Fatalf("instance readiness = %v before it exists", r)
	}
	if c := condition(rsp, ConditionResourcesHealthy); c == nil || c.GetStatus() != fnv1.Status_STATUS_CONDITION_TRUE {
		t.Fatalf("ResourcesHealthy = %v", c)
	}
}

func TestReadinessRulesAndStatusFromObservedResources(t *testing.T) {
	rsp := run(t, newRequest(t, input, map[string]string{
		"instance": `{"apiVersion": "nop.m.crossplane.io/v1alpha1", "kind": "NopResource", "metadata": {"name": "payments-x1"},
		  "status": {"atProvider": {"fields": {"endpoint": "payments.team-alpha.db.internal"}}}}`,
		"settings": `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "payments-x2"}}`,
	}))
	if msg := fatal(rsp); msg != "" {
		t.Fatal(msg)
	}
	res := rsp.GetDesired().GetResources()
	if r := res["instance"].GetReady(); r != fnv1.Ready_READY_TRUE {
		t.Fatalf("instance readiness = %v, want true once its endpoint is set", r)
	}
	if r := res["settings"].GetReady(); r != fnv1.Ready_READY_TRUE {
		t.Fatalf("ConfigMap readiness = %v, want true once it exists", r)
	}
	if got := field(t, rsp.GetDesired().GetComposite().GetResource(), "status", "endpoint"); got != "payments.team-alpha.db.internal" {
		t.Fatalf("status.endpoint = %v", got)
	}
}

func TestNonEmptyRuleIsFalseWithoutTheField(t *testing.T) {
	rsp := run(t, newRequest(t, input, map[string]string{
		"instance": `{"apiVersion": "nop.m.crossplane.io/v1alpha1", "kind": "NopResource", "metadata": {"name": "payments-x1"}}`,
	}))
	if r := rsp.GetDesired().GetResources()["instance"].GetReady(); r != fnv1.Ready_READY_FALSE {
		t.Fatalf("instance readiness = %v", r)
	}
}

func TestFailingComposedResourceSetsConditionAndWarning(t *testing.T) {
	rsp := run(t, newRequest(t, input, map[string]string{
		"instance": `{"apiVersion": "nop.m.crossplane.io/v1alpha1", "kind": "NopResource", "metadata": {"name": "payments-x1"},
		  "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "QuotaExceeded", "message": "quota of 4 instances reached", "lastTransitionTime": "2026-01-01T00:00:00Z"}]}}`,
		"settings": `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "payments-x2"},
		  "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "Creating", "lastTransitionTime": "2026-01-01T00:00:00Z"}]}}`,
	}))
	c := condition(rsp, ConditionResourcesHealthy)
	if c == nil || c.GetStatus() != fnv1.Status_STATUS_CONDITION_FALSE || c.GetReason() != "QuotaExceeded" ||
		c.GetMessage() != "instance: quota of 4 instances reached" || c.GetTarget() != fnv1.Target_TARGET_COMPOSITE_AND_CLAIM {
		t.Fatalf("ResourcesHealthy = %v (a resource still Creating is no failure)", c)
	}
	var warned bool
	for _, r := range rsp.GetResults() {
		warned = warned || (r.GetSeverity() == fnv1.Severity_SEVERITY_WARNING && r.GetMessage() == "instance: quota of 4 instances reached")
	}
	if !warned {
		t.Fatalf("no warning result: %v", rsp.GetResults())
	}
	// composing goes on: the failing resource stays desired
	if len(rsp.GetDesired().GetResources()) != 2 {
		t.Fatalf("desired resources = %d", len(rsp.GetDesired().GetResources()))
	}
}

func TestKeepsResourcesOfEarlierSteps(t *testing.T) {
	req := newRequest(t, input, nil)
	req.Desired.Resources = map[string]*fnv1.Resource{
		"earlier": {Resource: resource.MustStructJSON(`{"apiVersion": "v1", "kind": "Secret"}`)},
	}
	if got := len(run(t, req).GetDesired().GetResources()); got != 3 {
		t.Fatalf("desired resources = %d, want 3", got)
	}
}

func TestErrorsNameTheFieldAndReason(t *testing.T) {
	cases := map[string]struct{ input, want string }{
		"MissingName": {`{"resources": [{"template": "a: b"}]}`, `input.resources[0].name: "" is not a valid name`},
		"DuplicateName": {`{"resources": [{"name": "a", "template": "x: 1"}, {"name": "a", "template": "x: 1"}]}`,
			`input.resources[1].name: "a" is used by an earlier resource`},
		"NoTemplate": {`{"resources": [{"name": "a"}]}`, `input.resources[0].template: required`},
		"BadReadiness": {`{"resources": [{"name": "a", "template": "x: 1", "readiness": {"type": "Sometimes"}}]}`,
			`input.resources[0].readiness.type: "Sometimes" is not one of`},
		"NonEmptyWithoutPath": {`{"resources": [{"name": "a", "template": "x: 1", "readiness": {"type": "NonEmpty"}}]}`,
			`input.resources[0].readiness.fieldPath: required when type is NonEmpty`},
		"MissingXRField": {`{"resources": [{"name": "db", "template": "size: {{ .xr.spec.parameters.nope }}"}]}`,
			`resource "db": cannot render template`},
		"NotAnObject": {`{"resources": [{"name": "db", "template": "size: 1"}]}`,
			`resource "db": template must render apiVersion and kind`},
		"BadYAML": {`{"resources": [{"name": "db", "template": "a: [b"}]}`, `resource "db": template did not render YAML`},
		"Required": {`{"resources": [{"name": "db", "template": "a: {{ get .xr \"spec.region\" | required \"spec.region is required\" }}"}]}`,
			`spec.region is required`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			msg := fatal(run(t, newRequest(t, tc.input, nil)))
			if !strings.Contains(msg, tc.want) {
				t.Fatalf("fatal result %q does not contain %q", msg, tc.want)
			}
		})
	}
}

func TestIntComparesNumbersOfTheComposite(t *testing.T) {
	in := `{"resources": [{"name": "db", "template": "apiVersion: v1\nkind: ConfigMap\ndata:\n  size: {{ if gt (int .xr.spec.parameters.sizeGB) 10 }}large{{ else }}small{{ end }}\n"}]}`
	rsp := run(t, newRequest(t, in, nil))
	if msg := fatal(rsp); msg != "" {
		t.Fatal(msg)
	}
	if got := field(t, rsp.GetDesired().GetResources()["db"].GetResource(), "data", "size"); got != "large" {
		t.Fatalf("size = %v", got)
	}
}

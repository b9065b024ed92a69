package main

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Input is the function's input in a Composition pipeline step
// (template.fn.platformops.dev/v1alpha1, kind Input).
type Input struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Resources to compose, each rendered from a Go template.
	Resources []ResourceTemplate `json:"resources"`

	// Status is a Go template rendering a YAML map that is written to the
	// composite resource's status (e.g. an endpoint read from a composed
	// resource's status).
	Status string `json:"status,omitempty"`
}

// ResourceTemplate renders one composed resource.
type ResourceTemplate struct {
	// Name identifies the resource in the composition (stable across
	// reconciles; Crossplane labels the composed resource with it).
	Name string `json:"name"`
	// Template renders the resource as YAML. A template that renders nothing
	// (e.g. inside an if) composes no resource.
	Template string `json:"template"`
	// Readiness tells when the resource is ready. Unset leaves it to a later
	// step (e.g. function-auto-ready).
	Readiness *Readiness `json:"readiness,omitempty"`
}

// Readiness rules.
const (
	// ReadyWhenConditionTrue: the resource has condition Ready=True.
	ReadyWhenConditionTrue = "ConditionTrue"
	// ReadyWhenExists: the resource exists (objects without conditions, e.g. a ConfigMap).
	ReadyWhenExists = "Exists"
	// ReadyWhenNonEmpty: the field at FieldPath has a non-empty value.
	ReadyWhenNonEmpty = "NonEmpty"
)

// Readiness is a readiness rule for a composed resource.
type Readiness struct {
	Type      string `json:"type"`
	FieldPath string `json:"fieldPath,omitempty"`
}

// DeepCopyObject satisfies runtime.Object; the input is only read.
func (in *Input) DeepCopyObject() runtime.Object {
	out := *in
	out.Resources = append([]ResourceTemplate(nil), in.Resources...)
	return &out
}

// Validate names the first invalid field and why.
func (in *Input) Validate() error {
	if len(in.Resources) == 0 && in.Status == "" {
		return fmt.Errorf("input: resources or status is required")
	}
	seen := map[string]bool{}
	for i, r := range in.Resources {
		field := fmt.Sprintf("input.resources[%d]", i)
		if errs := validation.IsDNS1123Label(r.Name); len(errs) > 0 {
			return fmt.Errorf("%s.name: %q is not a valid name: %s", field, r.Name, errs[0])
		}
		if seen[r.Name] {
			return fmt.Errorf("%s.name: %q is used by an earlier resource", field, r.Name)
		}
		seen[r.Name] = true
		if r.Template == "" {
			return fmt.Errorf("%s.template: required", field)
		}
		if r.Readiness == nil {
			continue
		}
		switch r.Readiness.Type {
		case ReadyWhenConditionTrue, ReadyWhenExists:
		case ReadyWhenNonEmpty:
			if r.Readiness.FieldPath == "" {
				return fmt.Errorf("%s.readiness.fieldPath: required when type is %s", field, ReadyWhenNonEmpty)
			}
		default:
			return fmt.Errorf("%s.readiness.type: %q is not one of %s, %s, %s", field, r.Readiness.Type,
				ReadyWhenConditionTrue, ReadyWhenExists, ReadyWhenNonEmpty)
		}
	}
	return nil
}

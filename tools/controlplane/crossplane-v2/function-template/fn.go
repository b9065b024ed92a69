package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	"github.com/crossplane/crossplane-runtime/v2/pkg/fieldpath"

	"github.com/crossplane/function-sdk-go/errors"
	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
	"github.com/crossplane/function-sdk-go/response"
)

// ConditionResourcesHealthy is the composite condition this function sets:
// False (with the failing resource's reason and message) while a composed
// resource reports a failure, True otherwise.
const ConditionResourcesHealthy = "ResourcesHealthy"

// Function composes resources rendered from Go templates.
type Function struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	log logging.Logger
}

// RunFunction renders the input's resources and status for one composite.
func (f *Function) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	rsp := response.To(req, response.DefaultTTL)

	in := &Input{}
	if err := request.GetInput(req, in); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot read the function input"))
		return rsp, nil
	}
	if err := in.Validate(); err != nil {
		response.Fatal(rsp, err)
		return rsp, nil
	}
	oxr, err := request.GetObservedCompositeResource(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get the observed composite resource"))
		return rsp, nil
	}
	observed, err := request.GetObservedComposedResources(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get the observed composed resources"))
		return rsp, nil
	}
	desired, err := request.GetDesiredComposedResources(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get the desired composed resources"))
		return rsp, nil
	}
	dxr, err := request.GetDesiredCompositeResource(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get the desired composite resource"))
		return rsp, nil
	}
	log := f.log.WithValues("xr-kind", oxr.Resource.GetKind(), "xr-namespace", oxr.Resource.GetNamespace(), "xr-name", oxr.Resource.GetName())

	observedObjects := map[string]any{}
	for name, o := range observed {
		observedObjects[string(name)] = o.Resource.Object
	}
	data := map[string]any{"xr": oxr.Resource.Object, "observed": observedObjects}

	for _, rt := range in.Resources {
		obj, err := renderYAML(rt.Name, rt.Template, data)
		if err != nil {
			response.Fatal(rsp, fmt.Errorf("resource %q: %w", rt.Name, err))
			return rsp, nil
		}
		if obj == nil {
			continue
		}
		cd := composed.New()
		cd.Object = obj
		if cd.GetAPIVersion() == "" || cd.GetKind() == "" {
			response.Fatal(rsp, fmt.Errorf("resource %q: template must render apiVersion and kind", rt.Name))
			return rsp, nil
		}
		dc := &resource.DesiredComposed{Resource: cd}
		if o, ok := observed[resource.Name(rt.Name)]; ok {
			dc.Ready = readiness(rt.Readiness, o.Resource)
		}
		desired[resource.Name(rt.Name)] = dc
	}
	if err := response.SetDesiredComposedResources(rsp, desired); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot set the desired composed resources"))
		return rsp, nil
	}

	if in.Status != "" {
		status, err := renderYAML("status", in.Status, data)
		if err != nil {
			response.Fatal(rsp, fmt.Errorf("status: %w", err))
			return rsp, nil
		}
		for k, v := range status {
			if err := dxr.Resource.SetValue("status."+k, v); err != nil {
				response.Fatal(rsp, fmt.Errorf("status.%s: %w", k, err))
				return rsp, nil
			}
		}
		if err := response.SetDesiredCompositeResource(rsp, dxr); err != nil {
			response.Fatal(rsp, errors.Wrap(err, "cannot set the desired composite resource"))
			return rsp, nil
		}
	}

	if failures := failures(observed); len(failures) > 0 {
		first := failures[0]
		msg := strings.Join(messages(failures), "; ")
		log.Info("composed resources report failures", "message", msg)
		response.ConditionFalse(rsp, ConditionResourcesHealthy, string(first.reason)).
			WithMessage(msg).TargetCompositeAndClaim()
		response.Warning(rsp, errors.New(msg)).WithReason(string(first.reason)).TargetCompositeAndClaim()
	} else {
		response.ConditionTrue(rsp, ConditionResourcesHealthy, "NoFailures").TargetCompositeAndClaim()
	}
	return rsp, nil
}

// readiness applies a readiness rule to an observed composed resource.
func readiness(r *Readiness, o *composed.Unstructured) resource.Ready {
	if r == nil {
		return resource.ReadyUnspecified
	}
	ready := false
	switch r.Type {
	case ReadyWhenExists:
		ready = true
	case ReadyWhenConditionTrue:
		ready = o.GetCondition(xpv1.TypeReady).Status == corev1.ConditionTrue
	case ReadyWhenNonEmpty:
		v, err := fieldpath.Pave(o.Object).GetValue(r.FieldPath)
		ready = err == nil && !isEmpty(v)
	}
	if ready {
		return resource.ReadyTrue
	}
	return resource.ReadyFalse
}

type failure struct {
	name    string
	reason  xpv1.ConditionReason
	message string
}

// failures lists composed resources whose Ready or Synced condition is False
// for a reason other than still being created, in name order.
func failures(observed map[resource.Name]resource.ObservedComposed) []failure {
	var out []failure
	for name, o := range observed {
		for _, t := range []xpv1.ConditionType{xpv1.TypeReady, xpv1.TypeSynced} {
			c := o.Resource.GetCondition(t)
			if c.Status != corev1.ConditionFalse || c.Reason == xpv1.ReasonCreating || c.Reason == "" {
				continue
			}
			out = append(out, failure{name: string(name), reason: c.Reason, message: c.Message})
			break
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func messages(fs []failure) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		msg := f.message
		if msg == "" {
			msg = string(f.reason)
		}
		out = append(out, fmt.Sprintf("%s: %s", f.name, msg))
	}
	return out
}

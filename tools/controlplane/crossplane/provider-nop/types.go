package main

import (
	"encoding/json"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	xpv1 "github.com/crossplane/crossplane-runtime/apis/common/v1"
)

// API group and version served by this provider; wire compatible with
// crossplane-contrib/provider-nop's nop.crossplane.io/v1alpha1 NopResource.
var (
	GroupVersion = schema.GroupVersion{Group: "nop.crossplane.io", Version: "v1alpha1"}
	NopKind      = GroupVersion.WithKind("NopResource")
)

// ConditionAfter sets a status condition once Time has elapsed since the
// resource was created. ConditionReason and ConditionMessage are optional
// extensions used to model failures on purpose.
type ConditionAfter struct {
	Time             metav1.Duration        `json:"time"`
	ConditionType    xpv1.ConditionType     `json:"conditionType"`
	ConditionStatus  corev1.ConditionStatus `json:"conditionStatus"`
	ConditionReason  xpv1.ConditionReason   `json:"conditionReason,omitempty"`
	ConditionMessage string                 `json:"conditionMessage,omitempty"`
}

// ConnectionDetail is a connection detail a NopResource emits.
type ConnectionDetail struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// NopResourceParameters are the configurable fields of a NopResource.
type NopResourceParameters struct {
	ConditionAfter    []ConditionAfter     `json:"conditionAfter,omitempty"`
	ConnectionDetails []ConnectionDetail   `json:"connectionDetails,omitempty"`
	Fields            runtime.RawExtension `json:"fields,omitempty"`
}

// NopResourceObservation are the observable fields of a NopResource.
type NopResourceObservation struct {
	Fields runtime.RawExtension `json:"fields,omitempty"`
}

// NopResourceSpec is the desired state.
type NopResourceSpec struct {
	xpv1.ResourceSpec `json:",inline"`
	ForProvider       NopResourceParameters `json:"forProvider"`
}

// NopResourceStatus is the observed state.
type NopResourceStatus struct {
	xpv1.ResourceStatus `json:",inline"`
	AtProvider          NopResourceObservation `json:"atProvider,omitempty"`
}

// NopResource is a managed resource that does nothing but report the
// conditions it is told to report.
type NopResource struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              NopResourceSpec   `json:"spec"`
	Status            NopResourceStatus `json:"status,omitempty"`
}

// NopResourceList is a list of NopResources.
type NopResourceList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []NopResource `json:"items"`
}

// deepCopyJSON copies through JSON: the types are small and only hold JSON
// serialisable data, so this keeps the code free of generated deepcopy files.
func deepCopyJSON[T any](in *T) *T {
	if in == nil {
		return nil
	}
	b, err := json.Marshal(in)
	if err != nil {
		panic(err)
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		panic(err)
	}
	return out
}

func (in *NopResource) DeepCopy() *NopResource             { return deepCopyJSON(in) }
func (in *NopResource) DeepCopyObject() runtime.Object     { return in.DeepCopy() }
func (in *NopResourceList) DeepCopy() *NopResourceList     { return deepCopyJSON(in) }
func (in *NopResourceList) DeepCopyObject() runtime.Object { return in.DeepCopy() }

// resource.Managed accessors.
func (mg *NopResource) GetCondition(ct xpv1.ConditionType) xpv1.Condition {
	return mg.Status.GetCondition(ct)
}
func (mg *NopResource) SetConditions(c ...xpv1.Condition) { mg.Status.SetConditions(c...) }
func (mg *NopResource) GetProviderConfigReference() *xpv1.Reference {
	return mg.Spec.ProviderConfigReference
}
func (mg *NopResource) SetProviderConfigReference(r *xpv1.Reference) {
	mg.Spec.ProviderConfigReference = r
}
func (mg *NopResource) GetWriteConnectionSecretToReference() *xpv1.SecretReference {
	return mg.Spec.WriteConnectionSecretToReference
}
func (mg *NopResource) SetWriteConnectionSecretToReference(r *xpv1.SecretReference) {
	mg.Spec.WriteConnectionSecretToReference = r
}
func (mg *NopResource) GetPublishConnectionDetailsTo() *xpv1.PublishConnectionDetailsTo {
	return mg.Spec.PublishConnectionDetailsTo
}
func (mg *NopResource) SetPublishConnectionDetailsTo(r *xpv1.PublishConnectionDetailsTo) {
	mg.Spec.PublishConnectionDetailsTo = r
}
func (mg *NopResource) GetManagementPolicies() xpv1.ManagementPolicies {
	return mg.Spec.ManagementPolicies
}
func (mg *NopResource) SetManagementPolicies(r xpv1.ManagementPolicies) {
	mg.Spec.ManagementPolicies = r
}
func (mg *NopResource) GetDeletionPolicy() xpv1.DeletionPolicy  { return mg.Spec.DeletionPolicy }
func (mg *NopResource) SetDeletionPolicy(r xpv1.DeletionPolicy) { mg.Spec.DeletionPolicy = r }

func addToScheme(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion, &NopResource{}, &NopResourceList{})
	metav1.AddToGroupVersion(s, GroupVersion)
	return nil
}

package main

import (
	"encoding/json"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	xpv2 "github.com/crossplane/crossplane-runtime/v2/apis/common/v2"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
)

// API groups served by this provider: the namespaced Crossplane v2 kind
// (nop.m.crossplane.io) and the cluster-scoped legacy kind (nop.crossplane.io,
// the same API as the v1 line's provider-nop).
var (
	GroupVersion       = schema.GroupVersion{Group: "nop.m.crossplane.io", Version: "v1alpha1"}
	NopKind            = GroupVersion.WithKind("NopResource")
	LegacyGroupVersion = schema.GroupVersion{Group: "nop.crossplane.io", Version: "v1alpha1"}
	LegacyNopKind      = LegacyGroupVersion.WithKind("NopResource")
)

// ConditionAfter sets a status condition once Time has elapsed since the
// resource was created. ConditionReason and ConditionMessage are optional and
// model failures on purpose.
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

// NopResourceParameters are the configurable fields of both kinds.
type NopResourceParameters struct {
	ConditionAfter    []ConditionAfter     `json:"conditionAfter,omitempty"`
	ConnectionDetails []ConnectionDetail   `json:"connectionDetails,omitempty"`
	Fields            runtime.RawExtension `json:"fields,omitempty"`
}

// NopResourceObservation are the observable fields of both kinds.
type NopResourceObservation struct {
	Fields runtime.RawExtension `json:"fields,omitempty"`
}

// NopResourceStatus is the observed state of both kinds.
type NopResourceStatus struct {
	xpv1.ResourceStatus `json:",inline"`
	AtProvider          NopResourceObservation `json:"atProvider,omitempty"`
}

// NopResource (nop.m.crossplane.io) is a namespaced managed resource that does
// nothing but report the conditions it is told to report.
type NopResource struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              NopResourceSpec   `json:"spec"`
	Status            NopResourceStatus `json:"status,omitempty"`
}

// NopResourceSpec is the desired state of a namespaced NopResource.
type NopResourceSpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`
	ForProvider              NopResourceParameters `json:"forProvider"`
}

// NopResourceList is a list of namespaced NopResources.
type NopResourceList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []NopResource `json:"items"`
}

// LegacyNopResource is the cluster-scoped nop.crossplane.io NopResource.
type LegacyNopResource struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              LegacyNopResourceSpec `json:"spec"`
	Status            NopResourceStatus     `json:"status,omitempty"`
}

// LegacyNopResourceSpec is the desired state of a cluster-scoped NopResource.
type LegacyNopResourceSpec struct {
	xpv1.ResourceSpec `json:",inline"`
	ForProvider       NopResourceParameters `json:"forProvider"`
}

// LegacyNopResourceList is a list of cluster-scoped NopResources.
type LegacyNopResourceList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []LegacyNopResource `json:"items"`
}

// nop is what the external client needs of either kind.
type nop interface {
	parameters() *NopResourceParameters
	status() *NopResourceStatus
}

func (mg *NopResource) parameters() *NopResourceParameters       { return &mg.Spec.ForProvider }
func (mg *NopResource) status() *NopResourceStatus               { return &mg.Status }
func (mg *LegacyNopResource) parameters() *NopResourceParameters { return &mg.Spec.ForProvider }
func (mg *LegacyNopResource) status() *NopResourceStatus         { return &mg.Status }

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

func (in *NopResource) DeepCopy() *NopResource                     { return deepCopyJSON(in) }
func (in *NopResource) DeepCopyObject() runtime.Object             { return in.DeepCopy() }
func (in *NopResourceList) DeepCopy() *NopResourceList             { return deepCopyJSON(in) }
func (in *NopResourceList) DeepCopyObject() runtime.Object         { return in.DeepCopy() }
func (in *LegacyNopResource) DeepCopy() *LegacyNopResource         { return deepCopyJSON(in) }
func (in *LegacyNopResource) DeepCopyObject() runtime.Object       { return in.DeepCopy() }
func (in *LegacyNopResourceList) DeepCopy() *LegacyNopResourceList { return deepCopyJSON(in) }
func (in *LegacyNopResourceList) DeepCopyObject() runtime.Object   { return in.DeepCopy() }

// resource.ModernManaged accessors (namespaced kind).
func (mg *NopResource) GetCondition(ct xpv1.ConditionType) xpv1.Condition {
	return mg.Status.GetCondition(ct)
}
func (mg *NopResource) SetConditions(c ...xpv1.Condition) { mg.Status.SetConditions(c...) }
func (mg *NopResource) GetProviderConfigReference() *xpv1.ProviderConfigReference {
	return mg.Spec.ProviderConfigReference
}
func (mg *NopResource) SetProviderConfigReference(r *xpv1.ProviderConfigReference) {
	mg.Spec.ProviderConfigReference = r
}
func (mg *NopResource) GetWriteConnectionSecretToReference() *xpv1.LocalSecretReference {
	return mg.Spec.WriteConnectionSecretToReference
}
func (mg *NopResource) SetWriteConnectionSecretToReference(r *xpv1.LocalSecretReference) {
	mg.Spec.WriteConnectionSecretToReference = r
}
func (mg *NopResource) GetManagementPolicies() xpv1.ManagementPolicies {
	return mg.Spec.ManagementPolicies
}
func (mg *NopResource) SetManagementPolicies(r xpv1.ManagementPolicies) {
	mg.Spec.ManagementPolicies = r
}

// resource.LegacyManaged accessors (cluster-scoped kind).
func (mg *LegacyNopResource) GetCondition(ct xpv1.ConditionType) xpv1.Condition {
	return mg.Status.GetCondition(ct)
}
func (mg *LegacyNopResource) SetConditions(c ...xpv1.Condition) { mg.Status.SetConditions(c...) }
func (mg *LegacyNopResource) GetProviderConfigReference() *xpv1.Reference {
	return mg.Spec.ProviderConfigReference
}
func (mg *LegacyNopResource) SetProviderConfigReference(r *xpv1.Reference) {
	mg.Spec.ProviderConfigReference = r
}
func (mg *LegacyNopResource) GetWriteConnectionSecretToReference() *xpv1.SecretReference {
	return mg.Spec.WriteConnectionSecretToReference
}
func (mg *LegacyNopResource) SetWriteConnectionSecretToReference(r *xpv1.SecretReference) {
	mg.Spec.WriteConnectionSecretToReference = r
}
func (mg *LegacyNopResource) GetManagementPolicies() xpv1.ManagementPolicies {
	return mg.Spec.ManagementPolicies
}
func (mg *LegacyNopResource) SetManagementPolicies(r xpv1.ManagementPolicies) {
	mg.Spec.ManagementPolicies = r
}
func (mg *LegacyNopResource) GetDeletionPolicy() xpv1.DeletionPolicy  { return mg.Spec.DeletionPolicy }
func (mg *LegacyNopResource) SetDeletionPolicy(r xpv1.DeletionPolicy) { mg.Spec.DeletionPolicy = r }

func addToScheme(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion, &NopResource{}, &NopResourceList{})
	metav1.AddToGroupVersion(s, GroupVersion)
	s.AddKnownTypeWithName(LegacyNopKind, &LegacyNopResource{})
	s.AddKnownTypeWithName(LegacyGroupVersion.WithKind("NopResourceList"), &LegacyNopResourceList{})
	metav1.AddToGroupVersion(s, LegacyGroupVersion)
	return nil
}

// The managed reconciler publishes connection details by these interfaces:
// a local Secret for the namespaced kind, any namespace for the legacy kind.
var (
	_ resource.ModernManaged = &NopResource{}
	_ resource.LegacyManaged = &LegacyNopResource{}
)

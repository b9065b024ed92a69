package main

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
)

func after(d time.Duration, t xpv1.ConditionType, s corev1.ConditionStatus, reason, msg string) ConditionAfter {
	return ConditionAfter{Time: metav1.Duration{Duration: d}, ConditionType: t, ConditionStatus: s,
		ConditionReason: xpv1.ConditionReason(reason), ConditionMessage: msg}
}

// both kinds, created age ago with the given conditionAfter entries
func kinds(age time.Duration, cas ...ConditionAfter) map[string]resource.Managed {
	created := metav1.NewTime(time.Now().Add(-age))
	ns := &NopResource{}
	ns.SetName("test")
	ns.SetNamespace("team-alpha")
	ns.SetCreationTimestamp(created)
	ns.Spec.ForProvider.ConditionAfter = cas
	legacy := &LegacyNopResource{}
	legacy.SetName("test")
	legacy.SetCreationTimestamp(created)
	legacy.Spec.ForProvider.ConditionAfter = cas
	return map[string]resource.Managed{"namespaced": ns, "legacy": legacy}
}

func TestObserveAppliesElapsedConditionsInTimeOrder(t *testing.T) {
	cases := map[string]struct {
		age        time.Duration
		wantStatus corev1.ConditionStatus
		wantReason xpv1.ConditionReason
		wantMsg    string
	}{
		"NothingElapsed": {age: 0, wantStatus: corev1.ConditionUnknown},
		"CreatingPhase":  {age: 3 * time.Second, wantStatus: corev1.ConditionFalse, wantReason: "Creating", wantMsg: "provisioning"},
		"Ready":          {age: time.Minute, wantStatus: corev1.ConditionTrue, wantReason: xpv1.ReasonAvailable},
	}
	for name, tc := range cases {
		// listed out of order on purpose: later times win regardless of order
		for kind, mg := range kinds(tc.age,
			after(10*time.Second, xpv1.TypeReady, corev1.ConditionTrue, "", ""),
			after(2*time.Second, xpv1.TypeReady, corev1.ConditionFalse, "Creating", "provisioning"),
		) {
			t.Run(name+"/"+kind, func(t *testing.T) {
				obs, err := external{}.Observe(context.Background(), mg)
				if err != nil {
					t.Fatal(err)
				}
				if !obs.ResourceExists || !obs.ResourceUpToDate {
					t.Fatalf("want exists and up to date, got %+v", obs)
				}
				c := mg.GetCondition(xpv1.TypeReady)
				if c.Status != tc.wantStatus || c.Reason != tc.wantReason || c.Message != tc.wantMsg {
					t.Fatalf("Ready condition = %s/%s/%q, want %s/%s/%q", c.Status, c.Reason, c.Message, tc.wantStatus, tc.wantReason, tc.wantMsg)
				}
			})
		}
	}
}

func TestObserveFailsWithReasonAndMessage(t *testing.T) {
	for kind, mg := range kinds(time.Minute,
		after(5*time.Second, xpv1.TypeReady, corev1.ConditionFalse, "QuotaExceeded", "quota of 4 instances reached in eu-west-1")) {
		if _, err := (external{}).Observe(context.Background(), mg); err != nil {
			t.Fatal(err)
		}
		c := mg.GetCondition(xpv1.TypeReady)
		if c.Status != corev1.ConditionFalse || c.Reason != "QuotaExceeded" || c.Message != "quota of 4 instances reached in eu-west-1" {
			t.Fatalf("%s: Ready condition = %s/%s/%q", kind, c.Status, c.Reason, c.Message)
		}
	}
}

func TestObserveDeletedResourceDoesNotExist(t *testing.T) {
	for kind, mg := range kinds(time.Minute) {
		now := metav1.Now()
		mg.SetDeletionTimestamp(&now)
		obs, err := external{}.Observe(context.Background(), mg)
		if err != nil || obs.ResourceExists {
			t.Fatalf("%s: want ResourceExists=false, got %+v, %v", kind, obs, err)
		}
	}
}

func TestObserveEmitsConnectionDetailsAndFields(t *testing.T) {
	for kind, mg := range kinds(0) {
		p := mg.(nop).parameters()
		p.ConnectionDetails = []ConnectionDetail{{Name: "password", Value: "s3cret"}}
		p.Fields.Raw = []byte(`{"endpoint":"db.local"}`)
		obs, _ := external{}.Observe(context.Background(), mg)
		if string(obs.ConnectionDetails["password"]) != "s3cret" {
			t.Fatalf("%s: connection details = %v", kind, obs.ConnectionDetails)
		}
		if got := string(mg.(nop).status().AtProvider.Fields.Raw); got != `{"endpoint":"db.local"}` {
			t.Fatalf("%s: status.atProvider.fields = %s", kind, got)
		}
	}
}

func TestNextPollWakesForPendingCondition(t *testing.T) {
	for kind, mg := range kinds(time.Second, after(5*time.Second, xpv1.TypeReady, corev1.ConditionTrue, "", "")) {
		if got := nextPoll(mg, 30*time.Second); got < 3*time.Second || got > 5*time.Second {
			t.Fatalf("%s: nextPoll = %v, want about 4s", kind, got)
		}
	}
	for kind, mg := range kinds(time.Minute, after(5*time.Second, xpv1.TypeReady, corev1.ConditionTrue, "", "")) {
		if got := nextPoll(mg, 30*time.Second); got != 30*time.Second {
			t.Fatalf("%s: nextPoll = %v, want the poll interval", kind, got)
		}
	}
}

func TestDeepCopyIsIndependent(t *testing.T) {
	nr := kinds(0, after(time.Second, xpv1.TypeReady, corev1.ConditionTrue, "", ""))["namespaced"].(*NopResource)
	cp := nr.DeepCopy()
	cp.Spec.ForProvider.ConditionAfter[0].ConditionStatus = corev1.ConditionFalse
	if nr.Spec.ForProvider.ConditionAfter[0].ConditionStatus != corev1.ConditionTrue {
		t.Fatal("DeepCopy shares the conditionAfter slice")
	}
}

// An observation of an unchanged resource leaves its conditions as they were
// (same transition times): no status update, no watch event, on every poll.
func TestObserveIsStableOnceConditionsElapsed(t *testing.T) {
	for kind, mg := range kinds(time.Minute,
		after(2*time.Second, xpv1.TypeReady, corev1.ConditionFalse, "Creating", "provisioning"),
		after(10*time.Second, xpv1.TypeReady, corev1.ConditionTrue, "", "")) {
		if _, err := (external{}).Observe(context.Background(), mg); err != nil {
			t.Fatal(err)
		}
		conds := mg.(nop).status().Conditions
		for i := range conds { // as if stored an hour ago
			conds[i].LastTransitionTime = metav1.NewTime(conds[i].LastTransitionTime.Add(-time.Hour))
		}
		first := mg.GetCondition(xpv1.TypeReady)
		if _, err := (external{}).Observe(context.Background(), mg); err != nil {
			t.Fatal(err)
		}
		if got := mg.GetCondition(xpv1.TypeReady); !got.LastTransitionTime.Equal(&first.LastTransitionTime) {
			t.Fatalf("%s: Ready transition time moved from %v to %v on an unchanged resource", kind, first.LastTransitionTime, got.LastTransitionTime)
		}
	}
}

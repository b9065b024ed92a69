package main

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv1 "github.com/crossplane/crossplane-runtime/apis/common/v1"
)

func nop(age time.Duration, cas ...ConditionAfter) *NopResource {
	nr := &NopResource{}
	nr.SetName("test")
	nr.SetCreationTimestamp(metav1.NewTime(time.Now().Add(-age)))
	nr.Spec.ForProvider.ConditionAfter = cas
	return nr
}

func after(d time.Duration, t xpv1.ConditionType, s corev1.ConditionStatus, reason, msg string) ConditionAfter {
	return ConditionAfter{Time: metav1.Duration{Duration: d}, ConditionType: t, ConditionStatus: s,
		ConditionReason: xpv1.ConditionReason(reason), ConditionMessage: msg}
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
		t.Run(name, func(t *testing.T) {
			// listed out of order on purpose: later times win regardless of order
			nr := nop(tc.age,
				after(10*time.Second, xpv1.TypeReady, corev1.ConditionTrue, "", ""),
				after(2*time.Second, xpv1.TypeReady, corev1.ConditionFalse, "Creating", "provisioning"),
			)
			obs, err := external{}.Observe(context.Background(), nr)
			if err != nil {
				t.Fatal(err)
			}
			if !obs.ResourceExists || !obs.ResourceUpToDate {
				t.Fatalf("want exists and up to date, got %+v", obs)
			}
			c := nr.GetCondition(xpv1.TypeReady)
			if c.Status != tc.wantStatus || c.Reason != tc.wantReason || c.Message != tc.wantMsg {
				t.Fatalf("Ready condition = %s/%s/%q, want %s/%s/%q", c.Status, c.Reason, c.Message, tc.wantStatus, tc.wantReason, tc.wantMsg)
			}
		})
	}
}

func TestObserveDeletedResourceDoesNotExist(t *testing.T) {
	nr := nop(time.Minute)
	now := metav1.Now()
	nr.SetDeletionTimestamp(&now)
	obs, err := external{}.Observe(context.Background(), nr)
	if err != nil || obs.ResourceExists {
		t.Fatalf("want ResourceExists=false, got %+v, %v", obs, err)
	}
}

func TestObserveEmitsConnectionDetailsAndFields(t *testing.T) {
	nr := nop(0)
	nr.Spec.ForProvider.ConnectionDetails = []ConnectionDetail{{Name: "password", Value: "s3cret"}}
	nr.Spec.ForProvider.Fields.Raw = []byte(`{"endpoint":"db.local"}`)
	obs, _ := external{}.Observe(context.Background(), nr)
	if string(obs.ConnectionDetails["password"]) != "s3cret" {
		t.Fatalf("connection details = %v", obs.ConnectionDetails)
	}
	if string(nr.Status.AtProvider.Fields.Raw) != `{"endpoint":"db.local"}` {
		t.Fatalf("status.atProvider.fields = %s", nr.Status.AtProvider.Fields.Raw)
	}
}

func TestNextPollWakesForPendingCondition(t *testing.T) {
	nr := nop(time.Second, after(5*time.Second, xpv1.TypeReady, corev1.ConditionTrue, "", ""))
	if got := nextPoll(nr, 30*time.Second); got < 3*time.Second || got > 5*time.Second {
		t.Fatalf("nextPoll = %v, want about 4s", got)
	}
	done := nop(time.Minute, after(5*time.Second, xpv1.TypeReady, corev1.ConditionTrue, "", ""))
	if got := nextPoll(done, 30*time.Second); got != 30*time.Second {
		t.Fatalf("nextPoll = %v, want the poll interval", got)
	}
}

func TestDeepCopyIsIndependent(t *testing.T) {
	nr := nop(0, after(time.Second, xpv1.TypeReady, corev1.ConditionTrue, "", ""))
	cp := nr.DeepCopy()
	cp.Spec.ForProvider.ConditionAfter[0].ConditionStatus = corev1.ConditionFalse
	if nr.Spec.ForProvider.ConditionAfter[0].ConditionStatus != corev1.ConditionTrue {
		t.Fatal("DeepCopy shares the conditionAfter slice")
	}
}

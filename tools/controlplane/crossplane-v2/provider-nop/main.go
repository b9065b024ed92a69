// Command provider-nop (Crossplane v2 line) serves two kinds of managed
// resource that create nothing: the namespaced nop.m.crossplane.io NopResource
// (Crossplane v2 style) and the cluster-scoped nop.crossplane.io NopResource
// (the legacy API of the v1 line's provider-nop). Each reports Synced=True and
// the conditions listed in spec.forProvider.conditionAfter once their time has
// elapsed since creation, so compositions become Ready on their own schedule,
// or fail on purpose with a reason and message.
package main

import (
	"context"
	"flag"
	"os"
	"sort"
	"time"

	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
)

func main() {
	metricsAddr := flag.String("metrics-bind-address", "127.0.0.1:8080", "metrics endpoint address")
	healthAddr := flag.String("health-probe-bind-address", "127.0.0.1:8081", "health probe address")
	poll := flag.Duration("poll", 30*time.Second, "how often to re-observe resources with no pending conditions")
	debug := flag.Bool("debug", false, "debug logging")
	flag.Parse()

	lvl := zapcore.InfoLevel
	if *debug {
		lvl = zapcore.DebugLevel
	}
	zl := zap.New(zap.UseDevMode(*debug), zap.Level(lvl))
	ctrl.SetLogger(zl)
	log := logging.NewLogrLogger(zl.WithName("provider-nop"))

	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		fatal(log, err)
	}
	if err := addToScheme(s); err != nil {
		fatal(log, err)
	}
	mgr, err := ctrl.NewManager(ctrl.GetConfigOrDie(), ctrl.Options{
		Scheme:                 s,
		Metrics:                metricsserver.Options{BindAddress: *metricsAddr},
		HealthProbeBindAddress: *healthAddr,
	})
	if err != nil {
		fatal(log, err)
	}
	_ = mgr.AddHealthzCheck("ping", healthz.Ping)
	_ = mgr.AddReadyzCheck("ping", healthz.Ping)

	for _, k := range []struct {
		gvk schema.GroupVersionKind
		obj client.Object
	}{{NopKind, &NopResource{}}, {LegacyNopKind, &LegacyNopResource{}}} {
		name := "nopresource." + k.gvk.Group
		r := managed.NewReconciler(mgr, resource.ManagedKind(k.gvk),
			managed.WithExternalConnector(connector{}),
			managed.WithLogger(log.WithValues("controller", name)),
			managed.WithRecorder(event.NewAPIRecorder(mgr.GetEventRecorderFor("provider-nop"))),
			managed.WithPollInterval(*poll),
			managed.WithPollIntervalHook(nextPoll),
			managed.WithCreationGracePeriod(0),
		)
		if err := ctrl.NewControllerManagedBy(mgr).
			Named("managed/" + name).
			For(k.obj).
			WithOptions(controller.Options{MaxConcurrentReconciles: 5}).
			Complete(r); err != nil {
			fatal(log, err)
		}
	}
	log.Info("starting provider-nop")
	if err := mgr.Start(ctrl.SetupSignalHandler()); err != nil {
		fatal(log, err)
	}
}

func fatal(log logging.Logger, err error) {
	log.Info("fatal", "error", err.Error())
	os.Exit(1)
}

// nextPoll requeues a resource when its next pending condition falls due, so
// conditions change on schedule without tight polling.
func nextPoll(mg resource.Managed, poll time.Duration) time.Duration {
	nr, ok := mg.(nop)
	if !ok {
		return poll
	}
	elapsed := time.Since(mg.GetCreationTimestamp().Time)
	next := poll
	for _, ca := range nr.parameters().ConditionAfter {
		if d := ca.Time.Duration - elapsed; d > 0 && d < next {
			next = d + 200*time.Millisecond
		}
	}
	return next
}

type connector struct{}

func (connector) Connect(_ context.Context, _ resource.Managed) (managed.ExternalClient, error) {
	return external{}, nil
}

type external struct{}

// Observe reports the resource as existing and up to date, applying every
// conditionAfter entry whose time has passed (later entries of a type win).
func (external) Observe(_ context.Context, mg resource.Managed) (managed.ExternalObservation, error) {
	nr, ok := mg.(nop)
	if !ok {
		return managed.ExternalObservation{}, nil
	}
	if meta.WasDeleted(mg) {
		return managed.ExternalObservation{ResourceExists: false}, nil
	}
	p := nr.parameters()
	for _, ca := range elapsedConditions(p.ConditionAfter, time.Since(mg.GetCreationTimestamp().Time)) {
		mg.SetConditions(xpv1.Condition{
			Type:               ca.ConditionType,
			Status:             ca.ConditionStatus,
			Reason:             conditionReason(ca),
			Message:            ca.ConditionMessage,
			LastTransitionTime: metav1.Now(),
		})
	}
	nr.status().AtProvider.Fields = p.Fields
	cd := managed.ConnectionDetails{}
	for _, d := range p.ConnectionDetails {
		cd[d.Name] = []byte(d.Value)
	}
	return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true, ConnectionDetails: cd}, nil
}

// elapsedConditions is the latest elapsed entry of each condition type. Only
// these are set: setting an earlier entry first would change the condition
// (and its transition time) on every observation, an update each time.
func elapsedConditions(cas []ConditionAfter, elapsed time.Duration) []ConditionAfter {
	sorted := append([]ConditionAfter(nil), cas...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Time.Duration < sorted[j].Time.Duration })
	latest := map[xpv1.ConditionType]int{}
	var out []ConditionAfter
	for _, ca := range sorted {
		if ca.Time.Duration > elapsed {
			continue
		}
		if i, ok := latest[ca.ConditionType]; ok {
			out[i] = ca
			continue
		}
		latest[ca.ConditionType] = len(out)
		out = append(out, ca)
	}
	return out
}

// conditionReason is the entry's reason, or the one Crossplane uses for the
// type and status (Available/Unavailable for Ready).
func conditionReason(ca ConditionAfter) xpv1.ConditionReason {
	if ca.ConditionReason != "" {
		return ca.ConditionReason
	}
	if ca.ConditionType == xpv1.TypeReady {
		switch ca.ConditionStatus {
		case corev1.ConditionTrue:
			return xpv1.ReasonAvailable
		case corev1.ConditionFalse:
			return xpv1.ReasonUnavailable
		}
	}
	return xpv1.ConditionReason("Nop" + string(ca.ConditionType) + string(ca.ConditionStatus))
}

func (external) Create(context.Context, resource.Managed) (managed.ExternalCreation, error) {
	return managed.ExternalCreation{}, nil
}
func (external) Update(context.Context, resource.Managed) (managed.ExternalUpdate, error) {
	return managed.ExternalUpdate{}, nil
}
func (external) Delete(context.Context, resource.Managed) (managed.ExternalDelete, error) {
	return managed.ExternalDelete{}, nil
}
func (external) Disconnect(context.Context) error { return nil }

// Command provider-nop is a Crossplane provider for NopResources
// (nop.crossplane.io/v1alpha1), run as a local process. A NopResource creates
// nothing: it reports Synced=True and the conditions listed in
// spec.forProvider.conditionAfter once their time has elapsed since creation,
// so compositions become Ready on their own schedule, or fail on purpose.
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
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	xpv1 "github.com/crossplane/crossplane-runtime/apis/common/v1"
	"github.com/crossplane/crossplane-runtime/pkg/event"
	"github.com/crossplane/crossplane-runtime/pkg/logging"
	"github.com/crossplane/crossplane-runtime/pkg/meta"
	"github.com/crossplane/crossplane-runtime/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/pkg/resource"
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

	r := managed.NewReconciler(mgr, resource.ManagedKind(NopKind),
		managed.WithExternalConnecter(connector{}),
		managed.WithLogger(log.WithValues("controller", "nopresource")),
		managed.WithRecorder(event.NewAPIRecorder(mgr.GetEventRecorderFor("provider-nop"))),
		managed.WithPollInterval(*poll),
		managed.WithPollIntervalHook(nextPoll),
		managed.WithCreationGracePeriod(0),
	)
	if err := ctrl.NewControllerManagedBy(mgr).
		Named("managed/nopresource.nop.crossplane.io").
		For(&NopResource{}).
		WithOptions(controller.Options{MaxConcurrentReconciles: 5}).
		Complete(r); err != nil {
		fatal(log, err)
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
	nr, ok := mg.(*NopResource)
	if !ok {
		return poll
	}
	elapsed := time.Since(nr.GetCreationTimestamp().Time)
	next := poll
	for _, ca := range nr.Spec.ForProvider.ConditionAfter {
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
	nr, ok := mg.(*NopResource)
	if !ok {
		return managed.ExternalObservation{}, nil
	}
	if meta.WasDeleted(nr) {
		return managed.ExternalObservation{ResourceExists: false}, nil
	}
	cas := append([]ConditionAfter(nil), nr.Spec.ForProvider.ConditionAfter...)
	sort.SliceStable(cas, func(i, j int) bool { return cas[i].Time.Duration < cas[j].Time.Duration })
	elapsed := time.Since(nr.GetCreationTimestamp().Time)
	for _, ca := range cas {
		if ca.Time.Duration > elapsed {
			continue
		}
		reason := ca.ConditionReason
		if reason == "" {
			reason = xpv1.ConditionReason("Nop" + string(ca.ConditionType) + string(ca.ConditionStatus))
			if ca.ConditionType == xpv1.TypeReady {
				switch ca.ConditionStatus {
				case corev1.ConditionTrue:
					reason = xpv1.ReasonAvailable
				case corev1.ConditionFalse:
					reason = xpv1.ReasonUnavailable
				}
			}
		}
		nr.SetConditions(xpv1.Condition{
			Type:               ca.ConditionType,
			Status:             ca.ConditionStatus,
			Reason:             reason,
			Message:            ca.ConditionMessage,
			LastTransitionTime: metav1.Now(),
		})
	}
	nr.Status.AtProvider.Fields = nr.Spec.ForProvider.Fields
	cd := managed.ConnectionDetails{}
	for _, d := range nr.Spec.ForProvider.ConnectionDetails {
		cd[d.Name] = []byte(d.Value)
	}
	return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true, ConnectionDetails: cd}, nil
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

// Command kube is a multi-call binary for the local control plane: the upstream
// kube-apiserver, kube-controller-manager and kube-scheduler commands plus an
// embedded etcd server, linked once to save build time and disk.
//
//	kube apiserver [kube-apiserver flags]
//	kube controller-manager [kube-controller-manager flags]
//	kube scheduler [kube-scheduler flags]
//	kube etcd --data-dir DIR --client-port N --peer-port N
package main

import (
	"fmt"
	"os"

	"k8s.io/component-base/cli"
	apiserverapp "k8s.io/kubernetes/cmd/kube-apiserver/app"
	kcmapp "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	schedulerapp "k8s.io/kubernetes/cmd/kube-scheduler/app"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: kube apiserver|controller-manager|scheduler|etcd [flags]")
		os.Exit(2)
	}
	sub := os.Args[1]
	os.Args = append([]string{os.Args[0] + " " + sub}, os.Args[2:]...)
	switch sub {
	case "apiserver":
		os.Exit(cli.Run(apiserverapp.NewAPIServerCommand()))
	case "controller-manager":
		os.Exit(cli.Run(kcmapp.NewControllerManagerCommand()))
	case "scheduler":
		os.Exit(cli.Run(schedulerapp.NewSchedulerCommand()))
	case "etcd":
		os.Exit(runEtcd(os.Args[1:]))
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n", sub)
		os.Exit(2)
	}
}

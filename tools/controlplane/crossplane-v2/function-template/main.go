// Command function-template is a Crossplane composition function that composes
// resources rendered from Go templates, with values from the composite
// resource (.xr) and the observed composed resources (.observed); it writes a
// rendered status back to the composite, applies per-resource readiness
// rules, and raises the composite's ResourcesHealthy condition to False with
// the message of any composed resource that fails. It serves gRPC with mTLS.
package main

import (
	"flag"
	"fmt"
	"os"

	function "github.com/crossplane/function-sdk-go"
)

func main() {
	network := flag.String("network", "tcp", "network to listen on (tcp or unix)")
	address := flag.String("address", "127.0.0.1:9443", "address to listen on (a socket path for unix)")
	certs := flag.String("tls-certs-dir", os.Getenv("TLS_SERVER_CERTS_DIR"), "directory with tls.crt, tls.key and the client CA ca.crt")
	insecure := flag.Bool("insecure", false, "serve without mTLS (tests only)")
	metrics := flag.String("metrics-address", "", "Prometheus metrics address (empty: no metrics server)")
	debug := flag.Bool("debug", false, "debug logging")
	flag.Parse()

	log, err := function.NewLogger(*debug)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if !*insecure && *certs == "" {
		fmt.Fprintln(os.Stderr, "--tls-certs-dir is required (or --insecure)")
		os.Exit(2)
	}
	if err := function.Serve(&Function{log: log},
		function.Listen(*network, *address),
		function.MTLSCertificates(*certs),
		function.Insecure(*insecure),
		function.WithMetricsServer(*metrics),
	); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

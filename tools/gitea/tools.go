//go:build tools

// Package tools pins the Gitea server that gitea.sh builds for the local Git
// host of the GitOps integration tests: `go build code.gitea.io/gitea` in
// this module compiles exactly the version and replacements of go.mod.
package tools

import _ "code.gitea.io/gitea"

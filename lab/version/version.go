// Package version tells which lkmlab this is -> its version, commit and
// the sha256 of the guest agent it carries, for `lkmlab version` and for
// every report.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/lkmlab/lkmlab/lab/agentbin"
	"golang.org/x/mod/module"
)

// Set by a release build (.goreleaser.yaml):
//
//	-ldflags "-X github.com/lkmlab/lkmlab/lab/version.version=v1.2.3 -X github.com/lkmlab/lkmlab/lab/version.commit=abc123"
var version, commit string

// Devel is the version of a binary built from a checkout with go build.
const Devel = "devel"

// Info describes this binary.
type Info struct {
	Version string `json:"version"`          // e.g. "v1.2.3", a pseudo-version, or "devel"
	Commit  string `json:"commit,omitempty"` // the source's commit, "+dirty" when the tree had changes
	Agent   string `json:"agent,omitempty"`  // sha256 of the embedded linux/amd64 guest agent
	Go      string `json:"go"`               // the toolchain that built lkmlab
}

// Get returns the version of the running binary: from the release's
// linker flags, else from the build information Go records (the module
// version under `go install ...@VERSION`, the VCS revision under go build
// in a checkout).
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	in := resolve(version, commit, bi)
	in.Agent, _ = agentbin.SHA256("amd64")
	in.Go = runtime.Version()
	return in
}

// String is the one line `lkmlab version` prints.
func (in Info) String() string {
	commit := in.Commit
	if commit == "" {
		commit = "unknown"
	}
	return fmt.Sprintf("lkmlab %s (commit %s, agent sha256 %s, %s)", in.Version, commit, in.Agent, in.Go)
}

// resolve picks the version and commit from the linker flags, else bi.
func resolve(ldVersion, ldCommit string, bi *debug.BuildInfo) Info {
	in := Info{Version: ldVersion, Commit: ldCommit}
	if bi == nil {
		bi = &debug.BuildInfo{}
	}
	if in.Version == "" {
		in.Version = bi.Main.Version
	}
	if in.Version == "" || in.Version == "(devel)" {
		in.Version = Devel
	}
	if in.Commit == "" {
		in.Commit = vcsCommit(bi.Settings)
	}
	// go install ...@<commit> records a pseudo-version and no VCS
	// settings; the pseudo-version ends with the commit's prefix.
	if in.Commit == "" && module.IsPseudoVersion(in.Version) {
		in.Commit, _ = module.PseudoVersionRev(in.Version)
	}
	return in
}

// vcsCommit is the revision go build stamped, marked +dirty when the tree
// had uncommitted changes.
func vcsCommit(settings []debug.BuildSetting) string {
	var rev, modified string
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" && modified == "true" {
		rev += "+dirty"
	}
	return rev
}

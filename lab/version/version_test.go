package version

import (
	"runtime/debug"
	"testing"

	"github.com/lkmlab/lkmlab/lab/agentbin"
)

func TestResolve(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name                string
		ldVersion, ldCommit string
		bi                  *debug.BuildInfo
		wantVersion         string
		wantCommit          string
	}{
		{name: "release build", ldVersion: "v1.2.3", ldCommit: "abc123",
			bi:          &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("fff", "true")},
			wantVersion: "v1.2.3", wantCommit: "abc123"},
		{name: "go install @tag", bi: &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}},
			wantVersion: "v1.4.0"},
		{name: "go install @commit", bi: &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20250102030405-0123456789ab"}},
			wantVersion: "v0.0.0-20250102030405-0123456789ab", wantCommit: "0123456789ab"},
		{name: "go build in a clean checkout", bi: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("deadbeef", "false")},
			wantVersion: Devel, wantCommit: "deadbeef"},
		{name: "go build in a dirty checkout", bi: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("deadbeef", "true")},
			wantVersion: Devel, wantCommit: "deadbeef+dirty"},
		{name: "no build info", wantVersion: Devel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resolve(tt.ldVersion, tt.ldCommit, tt.bi)
			if got.Version != tt.wantVersion || got.Commit != tt.wantCommit {
				t.Errorf("resolve = %q %q, want %q %q", got.Version, got.Commit, tt.wantVersion, tt.wantCommit)
			}
		})
	}
}

func TestGetNamesTheEmbeddedAgent(t *testing.T) {
	want, err := agentbin.SHA256("amd64")
	if err != nil {
		t.Fatal(err)
	}
	if got := Get(); got.Agent != want || got.Version == "" || got.Go == "" {
		t.Errorf("Get() = %+v, want agent %s and a version", got, want)
	}
}

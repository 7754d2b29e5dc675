package tests

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/lkmlab/lkmlab/lab/initramfs"
)

// TestMain builds the guest agent from the current sources and points
// LKMLAB_AGENT at it, unless it is set already: the embedded agent
// (lab/agentbin) is regenerated only by `make agent`, and these tests must
// test the agent as it is in the tree.
func TestMain(m *testing.M) {
	os.Exit(runWithAgent(m))
}

func runWithAgent(m *testing.M) int {
	if os.Getenv(initramfs.AgentEnv) != "" {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "lkmlab-tests-agent-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "tests: build agent:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	agent := filepath.Join(dir, "lkmlab-agent")
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-o", agent, initramfs.AgentPackage)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "tests: build agent: go build %s: %v\n%s", initramfs.AgentPackage, err, out)
		return 1
	}
	os.Setenv(initramfs.AgentEnv, agent)
	return m.Run()
}

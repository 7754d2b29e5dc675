package tests

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/initramfs"
)

// TestMain builds the guest agent from the current sources and points
// LKMLAB_AGENT_AMD64 (and LKMLAB_AGENT_ARM64 when the kernel matrix has
// an arm64 kernel) at it, unless LKMLAB_AGENT is set already: the
// embedded agent (lab/agentbin) is regenerated only by `make agent`, and
// these tests must test the agent as it is in the tree.
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
	for _, arch := range agentArches() {
		agent := filepath.Join(dir, "lkmlab-agent-"+arch)
		cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-o", agent, initramfs.AgentPackage)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "tests: build the %s agent: go build %s: %v\n%s", arch, initramfs.AgentPackage, err, out)
			return 1
		}
		os.Setenv(initramfs.AgentEnvFor(arch), agent)
	}
	return m.Run()
}

// agentArches are the guest architectures the tests boot: amd64, and
// arm64 when a kernel of the matrix is an arm64 build.
func agentArches() []string {
	if strings.Contains(os.Getenv("LKMLAB_KERNELS"), "-arm64") {
		return []string{"amd64", "arm64"}
	}
	return []string{"amd64"}
}

package initramfs

import (
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lkmlab/lkmlab/lab/agentbin"
	"github.com/lkmlab/lkmlab/lab/kernel"
)

// AgentPackage is the import path of the guest agent.
const AgentPackage = "github.com/lkmlab/lkmlab/guest"

// AgentEnv names an agent binary to use instead of the embedded one: this
// repository's VM tests set it to an agent built from the current sources
// (tests/main_test.go), so that they test the agent being worked on.
const AgentEnv = "LKMLAB_AGENT"

// AgentEnvFor names an agent for one guest architecture, such as
// LKMLAB_AGENT_ARM64: it comes before AgentEnv, so that one test run can
// carry an agent for each architecture it boots.
func AgentEnvFor(arch string) string { return AgentEnv + "_" + strings.ToUpper(arch) }

// machines maps a GOARCH to the ELF machine its agent must be built for.
var machines = map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}

// Agent returns the guest agent for linux/arch and its sha256: the binary
// named by $LKMLAB_AGENT_<ARCH> or else $LKMLAB_AGENT when set, else the
// one embedded in lkmlab
// (lab/agentbin), extracted once into cache (default the lkmlab cache's
// agent folder) under its sha256. No Go toolchain is needed.
func Agent(arch, cache string) (path, sum string, err error) {
	for _, env := range []string{AgentEnvFor(arch), AgentEnv} {
		if p := os.Getenv(env); p != "" {
			return overrideAgent(env, p, arch)
		}
	}
	want, err := agentbin.SHA256(arch)
	if err != nil {
		return "", "", err
	}
	if cache == "" {
		cache = filepath.Join(kernel.DefaultCacheDir(), "agent")
	}
	path = filepath.Join(cache, "lkmlab-agent-linux-"+arch+"-"+want)
	if got, err := fileSHA256(path); err == nil && got == want {
		return path, want, nil
	}
	if err := extractAgent(arch, want, path); err != nil {
		return "", "", err
	}
	return path, want, nil
}

// BuildAgent returns the linux/amd64 agent (see Agent), extracted into
// cache, or into dir when cache is "". The name and the context are kept
// from when the agent was compiled here, for its callers.
func BuildAgent(_ context.Context, dir, cache string) (string, error) {
	if cache == "" {
		cache = dir
	}
	path, _, err := Agent("amd64", cache)
	return path, err
}

// extractAgent writes the embedded agent for arch to path through a temp
// file renamed into place, so concurrent checks never see half of it.
func extractAgent(arch, want, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("extract agent: %w", err)
	}
	src, err := agentbin.Open(arch)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".agent-*")
	if err != nil {
		return fmt.Errorf("extract agent: %w", err)
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(tmp, h), src)
	if err == nil {
		err = tmp.Chmod(0o755)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("extract agent to %s: %w", path, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("extract agent: the embedded linux/%s agent has sha256 %s, its record says %s: this lkmlab binary is damaged, reinstall it", arch, got, want)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("extract agent: %w", err)
	}
	return nil
}

// overrideAgent checks the binary the variable env names: a static ELF
// executable for arch, since the guest has no loader and no libc.
func overrideAgent(env, path, arch string) (string, string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", "", fmt.Errorf("%s=%s: %w", env, path, err)
	}
	build := fmt.Sprintf("build one with 'CGO_ENABLED=0 GOOS=linux GOARCH=%s go build -o FILE ./guest', or unset %s", arch, env)
	f, err := elf.Open(abs)
	if err != nil {
		return "", "", fmt.Errorf("%s=%s: %w: %s", env, path, err, build)
	}
	defer f.Close()
	if want, ok := machines[arch]; !ok || f.Machine != want {
		return "", "", fmt.Errorf("%s=%s is built for %v, not linux/%s: %s", env, path, f.Machine, arch, build)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return "", "", fmt.Errorf("%s=%s is dynamically linked; the guest has no libc: %s", env, path, build)
		}
	}
	sum, err := fileSHA256(abs)
	if err != nil {
		return "", "", fmt.Errorf("%s=%s: %w", env, path, err)
	}
	return abs, sum, nil
}

// fileSHA256 returns the hex sha256 of a file.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

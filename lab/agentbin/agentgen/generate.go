package agentgen

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/lkmlab/lkmlab/lab/agentbin"
)

// ErrStale means the embedded agent was built from other sources than the
// ones on disk.
var ErrStale = errors.New("the embedded guest agent is stale")

// Options configure Generate. The zero value regenerates the agent of the
// module in the current folder when it is stale.
type Options struct {
	Root  string // module root; default the main module of the current folder
	Go    string // go command; default "go"
	Check bool   // only check: return an ErrStale error instead of regenerating
	Logf  func(format string, args ...any)
}

func (o Options) withDefaults(ctx context.Context) (Options, error) {
	if o.Go == "" {
		o.Go = "go"
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.Root == "" {
		out, err := goOutput(ctx, o.Go, "", "list", "-m", "-f", "{{.Dir}}")
		if err != nil {
			return o, fmt.Errorf("find the module root: %w (run this from the lkmlab repository)", err)
		}
		o.Root = out
	}
	return o, nil
}

// Generate compares the agent's sources with what agent.txt records and,
// when they differ, rebuilds the binaries for every architecture, rewriting
// a binary only when its bytes changed. It does nothing when the record is
// current, so `make agent` costs two `go list` runs.
func Generate(ctx context.Context, o Options) error {
	o, err := o.withDefaults(ctx)
	if err != nil {
		return err
	}
	dir := filepath.Join(o.Root, filepath.FromSlash(agentbin.Dir))
	old, _ := readInfo(dir) // a missing or broken record is stale
	src, err := SourceHash(ctx, o.Go, o.Root)
	if err != nil {
		return err
	}
	if old.Source == src && binariesPresent(dir, old) {
		o.Logf("agent: up to date (%s)", short(src))
		return nil
	}
	if o.Check {
		return fmt.Errorf("%w: the sources of guest/ and what it imports changed since %s/%s was written: run 'make agent' and commit %s",
			ErrStale, agentbin.Dir, agentbin.InfoFile, agentbin.Dir)
	}
	info, err := build(ctx, o, dir, old)
	if err != nil {
		return err
	}
	again, err := SourceHash(ctx, o.Go, o.Root)
	if err != nil {
		return err
	}
	if again != src {
		return errors.New("generate agent: the sources changed during the build: run 'make agent' again")
	}
	info.Source = src
	if err := writeAtomic(filepath.Join(dir, agentbin.InfoFile), info.Format()); err != nil {
		return fmt.Errorf("generate agent: %w", err)
	}
	o.Logf("agent: regenerated from sources %s", short(src))
	return nil
}

// build compiles the agent for each architecture into dir.
func build(ctx context.Context, o Options, dir string, old agentbin.Info) (agentbin.Info, error) {
	goVersion, err := goOutput(ctx, o.Go, o.Root, "env", "GOVERSION")
	if err != nil {
		return agentbin.Info{}, fmt.Errorf("generate agent: %w", err)
	}
	info := agentbin.Info{Go: goVersion, SHA256: map[string]string{}}
	tmp, err := os.MkdirTemp("", "lkmlab-agentgen-")
	if err != nil {
		return info, fmt.Errorf("generate agent: %w", err)
	}
	defer os.RemoveAll(tmp)
	for _, arch := range agentbin.Arches {
		sum, err := buildArch(ctx, o, dir, tmp, arch, old.SHA256[arch])
		if err != nil {
			return info, err
		}
		info.SHA256[arch] = sum
	}
	return info, nil
}

// buildArch builds the agent for linux/arch and, unless its sha256 is
// oldSum and the file is there, writes it gzipped into dir.
func buildArch(ctx context.Context, o Options, dir, tmp, arch, oldSum string) (string, error) {
	bin := filepath.Join(tmp, "agent-"+arch)
	// -trimpath, -buildid= and -buildvcs=false make the bytes depend on
	// the sources and the toolchain only: not on the folder, the commit or
	// whether the tree is dirty.
	cmd := exec.CommandContext(ctx, o.Go, "build", "-trimpath", "-buildvcs=false",
		"-ldflags=-s -w -buildid=", "-o", bin, AgentPackage)
	cmd.Dir, cmd.Env = o.Root, buildEnv(arch)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build agent for linux/%s: go build: %w\n%s", arch, err, out)
	}
	b, err := os.ReadFile(bin)
	if err != nil {
		return "", fmt.Errorf("build agent for linux/%s: %w", arch, err)
	}
	d := sha256.Sum256(b)
	sum := hex.EncodeToString(d[:])
	out := filepath.Join(dir, agentbin.FileName(arch))
	if sum == oldSum && exists(out) {
		o.Logf("agent: linux/%s unchanged (%s)", arch, short(sum))
		return sum, nil
	}
	gz, err := compress(b)
	if err == nil {
		err = writeAtomic(out, gz)
	}
	if err != nil {
		return "", fmt.Errorf("build agent for linux/%s: %w", arch, err)
	}
	o.Logf("agent: linux/%s %s (%d bytes, %d gzipped)", arch, short(sum), len(b), len(gz))
	return sum, nil
}

// compress gzips b with no name or time in the header, so equal binaries
// give equal files.
func compress(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func readInfo(dir string) (agentbin.Info, error) {
	b, err := os.ReadFile(filepath.Join(dir, agentbin.InfoFile))
	if err != nil {
		return agentbin.Info{}, err
	}
	return agentbin.ParseInfo(b)
}

func binariesPresent(dir string, in agentbin.Info) bool {
	for _, arch := range agentbin.Arches {
		if in.SHA256[arch] == "" || !exists(filepath.Join(dir, agentbin.FileName(arch))) {
			return false
		}
	}
	return true
}

// writeAtomic writes through a temp file renamed into place: go:embed must
// never see half a file.
func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func goOutput(ctx context.Context, goTool, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, goTool, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return strings.TrimSpace(string(out)), nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}

// Package agentgen builds the guest agent ahead of time -> the compressed
// binaries and agent.txt that lab/agentbin embeds; it also hashes the
// agent's sources, which tells whether those binaries are stale.
package agentgen

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lkmlab/lkmlab/lab/agentbin"
)

// AgentPackage is the agent's main package, relative to the module root.
const AgentPackage = "./guest"

// listedPackage is the part of `go list -json` the hash reads.
type listedPackage struct {
	ImportPath string
	Dir        string
	Standard   bool
	GoFiles    []string
	EmbedFiles []string
	Module     *listedModule
}

type listedModule struct {
	Path, Version, Sum string
	Main               bool
	Replace            *listedModule
}

// SourceHash hashes what the agent is built from, for every architecture
// in agentbin.Arches: the contents of the Go (and embedded) files of each
// package of this module that the agent imports, and the path, version and
// go.sum hash of each other module it imports. go.mod and go.sum as whole
// files are left out on purpose: a dependency added for the host side must
// not make the agent look stale. The standard library is named by the
// toolchain, which agent.txt records beside the hash.
func SourceHash(ctx context.Context, goTool, root string) (string, error) {
	// go list gives absolute folders; the hash keys files by their path
	// relative to root, so that it does not depend on where the checkout is.
	root, err := filepath.Abs(root)
	if err != nil {
		return "", fmt.Errorf("hash agent sources: %w", err)
	}
	entries := map[string]string{}
	for _, arch := range agentbin.Arches {
		pkgs, err := listDeps(ctx, goTool, root, arch)
		if err != nil {
			return "", err
		}
		for _, p := range pkgs {
			if err := addPackage(entries, root, p); err != nil {
				return "", err
			}
		}
	}
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s %s\n", k, entries[k])
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// addPackage records one listed package: its files when its source lives
// here (this module, or a module replaced by a local folder), else its
// module's identity.
func addPackage(entries map[string]string, root string, p listedPackage) error {
	if p.Standard {
		return nil
	}
	m := p.Module
	if m != nil && m.Replace != nil {
		m = m.Replace
	}
	if m != nil && !m.Main && m.Version != "" {
		entries["module "+m.Path+"@"+m.Version] = m.Sum
		return nil
	}
	for _, f := range append(append([]string(nil), p.GoFiles...), p.EmbedFiles...) {
		path := filepath.Join(p.Dir, f)
		sum, err := fileSHA256(path)
		if err != nil {
			return fmt.Errorf("hash agent sources: %w", err)
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			rel = path
		}
		entries["file "+filepath.ToSlash(rel)] = sum
	}
	return nil
}

// listDeps runs `go list -deps` on the agent for linux/arch.
func listDeps(ctx context.Context, goTool, root, arch string) ([]listedPackage, error) {
	cmd := exec.CommandContext(ctx, goTool, "list", "-deps",
		"-json=ImportPath,Dir,Standard,GoFiles,EmbedFiles,Module", AgentPackage)
	cmd.Dir = root
	cmd.Env = buildEnv(arch)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("list agent packages for linux/%s: go list: %w\n%s", arch, err, stderr.Bytes())
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return pkgs, nil
		} else if err != nil {
			return nil, fmt.Errorf("list agent packages for linux/%s: decode go list output: %w", arch, err)
		}
		pkgs = append(pkgs, p)
	}
}

// buildEnv is the environment for listing and building the agent for
// linux/arch: static, and with the caller's GOFLAGS dropped so that they
// cannot change what is built.
func buildEnv(arch string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GOOS", "GOARCH", "CGO_ENABLED", "GOFLAGS":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOOS=linux", "GOARCH="+arch, "CGO_ENABLED=0", "GOFLAGS=-mod=readonly")
}

// fileSHA256 returns the hex sha256 of a file's contents.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

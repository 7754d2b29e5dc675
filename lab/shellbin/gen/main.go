// Command gen builds u-root's commands into one gobusybox binary per guest
// architecture and writes them, gzipped, with shellbin.txt into
// lab/shellbin, when what they are built from (the u-root and gobusybox
// versions in go.mod, the Go toolchain, the command list) changed. With
// -check it only fails when they are stale.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/lkmlab/lkmlab/lab/shellbin"
	"github.com/u-root/gobusybox/src/pkg/bb"
	"github.com/u-root/gobusybox/src/pkg/golang"
	"github.com/u-root/uio/ulog"
)

func main() {
	check := flag.Bool("check", false, "fail when the binaries are stale instead of rebuilding them")
	flag.Parse()
	if err := run(*check); err != nil {
		fmt.Fprintf(os.Stderr, "shellbin: %v\n", err)
		os.Exit(1)
	}
}

func run(check bool) error {
	root, err := goOut("", "list", "-m", "-f", "{{.Dir}}")
	if err != nil {
		return fmt.Errorf("find the module root: %w (run this in the lkmlab repository)", err)
	}
	want, urootDir, err := wanted(root)
	if err != nil {
		return err
	}
	dir := filepath.Join(root, filepath.FromSlash(shellbin.Dir))
	old, _ := readInfo(dir)
	if old.Key() == want.Key() && present(dir, old) {
		fmt.Fprintf(os.Stderr, "shellbin: up to date (u-root %s)\n", want.URoot)
		return nil
	}
	if check {
		return errors.New("the embedded u-root commands are stale: run 'go run ./lab/shellbin/gen' and commit " + shellbin.Dir)
	}
	// gobusybox resolves the commands' imports in u-root's own module:
	// have go fetch what they need first.
	pkgs := make([]string, len(want.Commands))
	for i, c := range want.Commands {
		pkgs[i] = "./" + c
	}
	if _, err := goOut(urootDir, append([]string{"list", "-deps"}, pkgs...)...); err != nil {
		return fmt.Errorf("fetch the commands' dependencies: %w", err)
	}
	for _, arch := range shellbin.Arches {
		sum, err := build(dir, urootDir, arch, want.Commands)
		if err != nil {
			return err
		}
		want.SHA256[arch] = sum
	}
	return os.WriteFile(filepath.Join(dir, shellbin.InfoFile), want.Format(), 0o644)
}

// wanted is the record the binaries should have, and u-root's folder.
func wanted(root string) (shellbin.Info, string, error) {
	in := shellbin.Info{Tags: shellbin.Tags, Commands: shellbin.Commands, SHA256: map[string]string{}}
	u, err := goOut(root, "list", "-m", "-f", "{{.Version}} {{.Dir}}", "github.com/u-root/u-root")
	if err != nil {
		return in, "", err
	}
	v, urootDir, _ := strings.Cut(u, " ")
	in.URoot = v
	if in.Gobusybox, err = goOut(root, "list", "-m", "-f", "{{.Version}}", "github.com/u-root/gobusybox/src"); err != nil {
		return in, "", err
	}
	if in.Go, err = goOut(root, "env", "GOVERSION"); err != nil {
		return in, "", err
	}
	return in, urootDir, nil
}

// build compiles the busybox for linux/arch and writes it gzipped into dir.
func build(dir, urootDir, arch string, cmds []string) (string, error) {
	tmp, err := os.MkdirTemp("", "lkmlab-shellbin-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	env := golang.Default(golang.WithGOOS("linux"), golang.WithGOARCH(arch), golang.WithBuildTag(shellbin.Tags),
		golang.WithWorkingDir(urootDir))
	env.CgoEnabled = false
	paths := make([]string, len(cmds))
	for i, c := range cmds {
		paths[i] = filepath.Join(urootDir, filepath.FromSlash(c))
	}
	bin := filepath.Join(tmp, "bb")
	fmt.Fprintf(os.Stderr, "shellbin: building %d commands for linux/%s\n", len(cmds), arch)
	// Stripped and with -trimpath (gobusybox's defaults): the bytes
	// depend on the sources and the toolchain only.
	if err := bb.BuildBusybox(ulog.Log, &bb.Opts{Env: env, CommandPaths: paths, BinaryPath: bin,
		GenSrcDir: filepath.Join(tmp, "src"), GoBuildOpts: &golang.BuildOpts{}}); err != nil {
		return "", fmt.Errorf("build busybox for linux/%s: %w", arch, err)
	}
	b, err := os.ReadFile(bin)
	if err != nil {
		return "", err
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, shellbin.FileName(arch)), gz.Bytes(), 0o644); err != nil {
		return "", err
	}
	d := sha256.Sum256(b)
	fmt.Fprintf(os.Stderr, "shellbin: linux/%s: %d bytes, %d gzipped\n", arch, len(b), gz.Len())
	return hex.EncodeToString(d[:]), nil
}

func readInfo(dir string) (shellbin.Info, error) {
	b, err := os.ReadFile(filepath.Join(dir, shellbin.InfoFile))
	if err != nil {
		return shellbin.Info{}, err
	}
	return shellbin.ParseInfo(b)
}

func present(dir string, in shellbin.Info) bool {
	for _, a := range shellbin.Arches {
		if _, err := os.Stat(filepath.Join(dir, shellbin.FileName(a))); err != nil || in.SHA256[a] == "" {
			return false
		}
	}
	return true
}

func goOut(dir string, args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return strings.TrimSpace(string(out)), nil
}

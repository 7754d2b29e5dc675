package kernel

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// buildLogFile is the full output of a build, kept in its cache folder.
const buildLogFile = "build.log"

// minimalBuild builds one profile in its final cache folder:
// <dir>/src (the unpacked source), <dir>/out (O=, the build tree modules
// compile against), <dir>/config (the fragments), <dir>/build.log.
type minimalBuild struct {
	profile minimalProfile
	src     kernelSource
	dir     string
	o       Options
	log     io.Writer // build.log
}

func (b *minimalBuild) srcDir() string  { return filepath.Join(b.dir, "src") }
func (b *minimalBuild) outDir() string  { return filepath.Join(b.dir, "out") }
func (b *minimalBuild) logPath() string { return filepath.Join(b.dir, buildLogFile) }

// run does the whole build and describes the result.
func (b *minimalBuild) run(ctx context.Context) (*Kernel, error) {
	f, err := os.Create(b.logPath())
	if err != nil {
		return nil, fmt.Errorf("create build log: %w", err)
	}
	defer f.Close()
	b.log = f
	start := time.Now()
	b.o.Logf("kernel: building %s from debian %s %s, %s (log: %s)",
		b.profile.name, b.src.pin.Package, b.src.version, b.profile.duration, b.logPath())
	steps := []func(context.Context) error{b.unpack, b.configure, b.compile, b.prune, b.checkModuleBuild}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	k, err := b.kernel()
	if err != nil {
		return nil, err
	}
	b.o.Logf("kernel: built %s (%s) in %s, %s in %s", b.profile.name, k.Release,
		time.Since(start).Round(time.Second), humanSize(diskUsage(b.dir)), b.dir)
	return k, nil
}

// unpack extracts the source tarball into <dir>/src.
func (b *minimalBuild) unpack(ctx context.Context) error {
	tarball, err := b.tarball(ctx)
	if err != nil {
		return err
	}
	b.o.Logf("kernel: unpacking %s", tarball)
	start := time.Now()
	if err := os.Mkdir(b.srcDir(), 0o755); err != nil {
		return fmt.Errorf("create source dir: %w", err)
	}
	if err := b.step(ctx, "unpack source", b.dir, nil,
		"tar", "-xf", tarball, "-C", b.srcDir(), "--strip-components=1"); err != nil {
		return err
	}
	if !exists(filepath.Join(b.srcDir(), "scripts", "kconfig", "merge_config.sh")) {
		return fmt.Errorf("%s unpacked without scripts/kconfig/merge_config.sh: it is not a kernel source tarball", tarball)
	}
	if err := os.RemoveAll(filepath.Join(b.dir, "deb")); err != nil {
		return fmt.Errorf("remove downloaded package: %w", err)
	}
	b.o.Logf("kernel: unpacked in %s", since(start))
	return nil
}

// configure makes out/.config: tinyconfig, the fragments merged over it,
// olddefconfig, then a check that Kconfig kept every fragment line.
func (b *minimalBuild) configure(ctx context.Context) error {
	b.o.Logf("kernel: configuring: tinyconfig + %s", b.profile.recipe())
	want, err := b.profile.wantedConfig()
	if err != nil {
		return err
	}
	frags, err := b.writeFragments()
	if err != nil {
		return err
	}
	out := b.outDir()
	if err := os.Mkdir(out, 0o755); err != nil {
		return fmt.Errorf("create build tree: %w", err)
	}
	// An absolute path: lab/command finds a program with this process's
	// working directory, not the one the program runs in.
	merge := append([]string{filepath.Join(b.srcDir(), "scripts", "kconfig", "merge_config.sh"), "-m", "-O", out, filepath.Join(out, ".config")}, frags...)
	for _, argv := range [][]string{
		makeArgs("O="+out, "tinyconfig"),
		merge,
		makeArgs("O="+out, "olddefconfig"),
	} {
		if err := b.step(ctx, "configure", b.srcDir(), nil, argv...); err != nil {
			return err
		}
	}
	final, err := os.ReadFile(filepath.Join(out, ".config"))
	if err != nil {
		return fmt.Errorf("read .config: %w", err)
	}
	if err := verifyAbsent(b.profile.absent, final, b.profile.name); err != nil {
		return err
	}
	return verifyConfig(want, final, b.profile.recipe())
}

// writeFragments writes the embedded fragments to <dir>/config for
// merge_config.sh and returns their paths.
func (b *minimalBuild) writeFragments() ([]string, error) {
	dir := filepath.Join(b.dir, "config")
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create config dir: %w", err)
	}
	var paths []string
	for _, f := range b.profile.fragments {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			return nil, fmt.Errorf("write fragment: %w", err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// compile builds the images and Module.symvers, logging progress against
// the previous build's file count.
func (b *minimalBuild) compile(ctx context.Context) error {
	countFile := filepath.Join(b.o.kernelsDir(), b.profile.name+".files")
	p := &buildProgress{name: b.profile.name, total: readFileCount(countFile), start: time.Now(), logf: b.o.Logf}
	jobs := fmt.Sprintf("-j%d", runtime.NumCPU())
	argv := makeArgs("-C", b.srcDir(), "O="+b.outDir(), jobs, "bzImage", "vmlinux", "modules")
	if err := b.step(ctx, "make", b.srcDir(), p, argv...); err != nil {
		return err
	}
	if err := os.WriteFile(countFile, []byte(fmt.Sprintf("%d\n", p.files())), 0o644); err != nil {
		b.o.Logf("kernel: cannot record the file count for progress: %v", err)
	}
	b.o.Logf("kernel: compiled %d files in %s", p.files(), time.Since(p.start).Round(time.Second))
	return nil
}

// kernel describes the built tree.
func (b *minimalBuild) kernel() (*Kernel, error) {
	out := b.outDir()
	rel, err := readRelease(out)
	if err != nil {
		return nil, err
	}
	vmlinux := filepath.Join(out, "vmlinux")
	if err := checkPVH(vmlinux); err != nil {
		return nil, fmt.Errorf("%s: %w (is CONFIG_PVH in the fragments?)", vmlinux, err)
	}
	bzImage := filepath.Join(out, treeBzImage)
	if !exists(bzImage) {
		return nil, fmt.Errorf("make left no %s", bzImage)
	}
	return &Kernel{
		Name:     b.profile.name,
		Release:  rel,
		Image:    vmlinux,
		BzImage:  bzImage,
		BuildDir: out,
		Source:   b.profile.source(b.src.version),
	}, nil
}

// discard frees a failed build's space but keeps its log, which the error
// names; the next build removes the folder.
func (b *minimalBuild) discard() {
	for _, sub := range []string{"src", "out", "deb", "config", moduleCheckDir} {
		os.RemoveAll(filepath.Join(b.dir, sub))
	}
}

// makeArgs is a make command line that prints one line per file (V=0), so
// progress can be counted whatever the environment says.
func makeArgs(args ...string) []string {
	return append([]string{"make", "V=0"}, args...)
}

// diskUsage sums the sizes of the files under dir.
func diskUsage(dir string) int64 {
	var total int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			total += fi.Size()
		}
		return nil
	})
	return total
}

// readFileCount reads the file count a previous build recorded, or returns
// the estimate.
func readFileCount(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return estimatedFiles
	}
	var n int
	if _, err := fmt.Sscanf(strings.TrimSpace(string(data)), "%d", &n); err != nil || n <= 0 {
		return estimatedFiles
	}
	return n
}

// buildTool is a program or header a kernel build needs, and its package.
type buildTool struct {
	path string // program name, or an absolute file
	pkg  string
}

// buildTools are checked before a build, so it fails at once rather than
// minutes in. objtool, which ORC unwinding needs, includes gelf.h.
var buildTools = []buildTool{
	{"make", "make"}, {"gcc", "gcc"}, {"flex", "flex"}, {"bison", "bison"}, {"bc", "bc"},
	{"tar", "tar"}, {"xz", "xz-utils"}, {"/usr/include/gelf.h", "libelf-dev"},
}

// haveTool reports whether a program is on PATH or an absolute file exists.
func haveTool(path string) bool {
	if filepath.IsAbs(path) {
		return exists(path)
	}
	_, err := exec.LookPath(path)
	return err == nil
}

// checkBuildTools names what is missing and how to install it.
func checkBuildTools(have func(string) bool) error {
	var missing, pkgs []string
	for _, t := range buildTools {
		if !have(t.path) {
			missing = append(missing, t.path)
			pkgs = append(pkgs, t.pkg)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("building a kernel needs %s: install them with: sudo apt-get install %s (or run 'lkmlab setup')",
		strings.Join(missing, ", "), strings.Join(pkgs, " "))
}

// Package bundle makes grader packages for grading platforms: an
// assignment and an lkmlab binary -> the files a platform builds its
// grader from (Gradescope's autograder zip, PrairieLearn's image and
// question, GitHub Classroom's workflow). The scripts are templates in
// files/, kept as the files staff will read; where a platform builds an
// image, the kernel and a saved guest go into it (prepare.sh), so that a
// student's grade starts from a restore.
package bundle

import (
	"bytes"
	"debug/elf"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"text/template"
	"time"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/version"
)

//go:embed files
var files embed.FS

// Options say what a bundle grades with; the zero value grades the six
// seed modules on debian-6.1 with the running lkmlab.
type Options struct {
	// Assignment is the assignment file; "" is the seed assignment. The
	// specs and skeletons it names go along, and must lie in its folder.
	Assignment string
	Kernel     string // a kernel lkmlab fetches or builds by name; default debian-6.1
	// Binary is the lkmlab put in an image; default this executable. It
	// should be static (a release, or CGO_ENABLED=0), to run in any image.
	Binary string
	// Image is the PrairieLearn grader image's name; default lkmlab-grader.
	Image string
	// Timeout is PrairieLearn's grading timeout; default 180s (its
	// default is 30 s, its most 600 s).
	Timeout time.Duration
	// Version is the lkmlab a Classroom workflow installs with go
	// install; default this lkmlab's version, or latest for a devel build.
	Version string
	Logf    func(format string, args ...any) // warnings; nil is silent
}

// File is one file of a bundle.
type File struct {
	Path string // slash-separated, relative
	Mode fs.FileMode
	Data []byte
}

// vars are what the templates fill in.
type vars struct {
	Kernel, Image, Title, Uploads, Version, Go string
	Assignment                                 string // the assignment's file name, "" for the seed
	Timeout                                    int
}

// names a template can put in a shell command unquoted.
var (
	kernelName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)
	fileName   = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]*$`)
)

func (o Options) withDefaults() (Options, error) {
	if o.Kernel == "" {
		o.Kernel = "debian-6.1"
	}
	if !kernelName.MatchString(o.Kernel) {
		return o, fmt.Errorf("kernel %q: a platform's image fetches its kernel by name: give one of lkmlab kernels' names, such as debian-6.1", o.Kernel)
	}
	if o.Image == "" {
		o.Image = "lkmlab-grader"
	}
	if o.Timeout == 0 {
		o.Timeout = 180 * time.Second
	}
	if o.Timeout < 30*time.Second || o.Timeout > 600*time.Second {
		return o, fmt.Errorf("timeout %v: PrairieLearn takes 30s to 600s", o.Timeout)
	}
	if o.Version == "" {
		o.Version = version.Get().Version
	}
	if o.Version == version.Devel {
		o.Version = "latest"
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	return o, nil
}

func (o Options) vars(a *assign.Assignment) vars {
	v := vars{Kernel: o.Kernel, Image: o.Image, Title: a.Name, Version: o.Version, Timeout: int(o.Timeout.Seconds()),
		Go: goMinor()}
	if o.Assignment != "" {
		v.Assignment = filepath.Base(o.Assignment)
	}
	var up []string
	for _, t := range a.Tasks {
		up = append(up, uploadName(t))
	}
	v.Uploads = strings.Join(up, ", ")
	return v
}

// goMinor is the Go release that built lkmlab, as setup-go takes it:
// "1.26".
func goMinor() string {
	v := strings.TrimPrefix(runtime.Version(), "go")
	if parts := strings.SplitN(v, ".", 3); len(parts) >= 2 {
		return parts[0] + "." + parts[1]
	}
	return v
}

// uploadName is the file a student uploads for a task: its first file
// pattern that is a plain name, else NAME.c.
func uploadName(t assign.Task) string {
	for _, f := range t.Files {
		if !strings.ContainsAny(f, "*?[") {
			return f
		}
	}
	return t.Name + ".c"
}

// load reads the assignment (the seed when none is named).
func (o Options) load() (*assign.Assignment, error) {
	if o.Assignment == "" {
		return assign.Default(), nil
	}
	if !fileName.MatchString(filepath.Base(o.Assignment)) {
		return nil, fmt.Errorf("assignment file %q: name it with letters, digits, '.', '_' and '-' only (the scripts name it)", filepath.Base(o.Assignment))
	}
	return assign.Load(o.Assignment)
}

// render fills in the template files/name with v.
func render(name string, v vars) ([]byte, error) {
	b, err := files.ReadFile("files/" + name)
	if err != nil {
		return nil, err
	}
	t, err := template.New(name).Delims("[%", "%]").Parse(string(b))
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	var out bytes.Buffer
	if err := t.Execute(&out, v); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return out.Bytes(), nil
}

// assignmentFiles are the assignment file and the specs and skeletons it
// names, under dir, at their paths relative to the assignment's folder.
func (o Options) assignmentFiles(a *assign.Assignment, dir string) ([]File, error) {
	if o.Assignment == "" {
		return nil, nil
	}
	from := filepath.Dir(o.Assignment)
	refs := []string{filepath.Base(o.Assignment)}
	for _, t := range a.Tasks {
		if !strings.HasPrefix(t.Spec, "seed:") {
			refs = append(refs, t.Spec)
		}
		if t.Skeleton != "" {
			refs = append(refs, t.Skeleton)
		}
	}
	var out []File
	seen := map[string]bool{}
	for _, ref := range refs {
		rel := path.Clean(filepath.ToSlash(ref))
		if filepath.IsAbs(ref) || rel == ".." || strings.HasPrefix(rel, "../") {
			return nil, fmt.Errorf("bundle assignment: %s lies outside the assignment's folder %s: move it there and name it relative to the assignment", ref, from)
		}
		if seen[rel] {
			continue
		}
		seen[rel] = true
		b, err := os.ReadFile(filepath.Join(from, filepath.FromSlash(rel)))
		if err != nil {
			return nil, fmt.Errorf("bundle assignment: %w", err)
		}
		out = append(out, File{Path: path.Join(dir, rel), Mode: 0o644, Data: b})
	}
	return out, nil
}

// binary reads the lkmlab to put in an image, warning when it is
// dynamically linked: it then runs only where the C library is as new as
// where it was built.
func (o Options) binary() (File, error) {
	p := o.Binary
	if p == "" {
		exe, err := os.Executable()
		if err != nil {
			return File{}, fmt.Errorf("find lkmlab's executable: %w (give --binary)", err)
		}
		p = exe
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return File{}, fmt.Errorf("read lkmlab binary: %w", err)
	}
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil || f.Machine != elf.EM_X86_64 {
		return File{}, fmt.Errorf("lkmlab binary %s: not a linux/amd64 executable: give a release's lkmlab, or build one with GOOS=linux GOARCH=amd64", p)
	}
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			o.Logf("warning: %s is dynamically linked: it runs only in an image whose C library is as new as this machine's; a release's lkmlab, or CGO_ENABLED=0 go build, runs anywhere", p)
			break
		}
	}
	return File{Path: "lkmlab", Mode: 0o755, Data: b}, nil
}

// Package scaffold starts a module -> a folder with its C source, a
// one-line Kbuild and a spec.yaml commented on every field, which passes
// `lkmlab check` as written (`lkmlab new NAME`).
package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"

	"github.com/lkmlab/lkmlab/lab/plan"
)

//go:embed templates/*.tmpl
var templates embed.FS

// maxName is the longest module name the kernel takes (MODULE_NAME_LEN
// 56, with its terminating NUL), less room for a ".ko" on the way.
const maxName = 52

var nameRe = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// about describes each workload kind in one line for the generated spec;
// a kind without a line is still listed, with its facts.
var about = map[string]string{
	plan.Spin:   "a CPU-bound process with a random name",
	plan.Heap:   "a process that grew its heap (brk) by a random size",
	plan.Map:    "a process with a locked page and a 2 MiB huge page at random addresses",
	plan.Size:   "a process with a random mapping, partly touched",
	plan.Stacks: "the kernel's thread stacks, as /proc/vmallocinfo lists them",
	plan.Tree:   "a parent process with children running, sleeping, stopped and zombie",
}

// Options configure New. The zero value works.
type Options struct {
	Dir string // the folder to create the module's folder in; default "."
}

// ValidName checks that name can be a module, a C identifier and a folder.
func ValidName(name string) error {
	if !nameRe.MatchString(name) || len(name) > maxName {
		return fmt.Errorf("module name %q: use lowercase letters, digits and _, starting with a letter, at most %d characters (it names the C functions and the .ko)", name, maxName)
	}
	return nil
}

// New writes the folder <Dir>/<name> and returns its path. It refuses to
// touch a folder that exists.
func New(name string, o Options) (string, error) {
	if err := ValidName(name); err != nil {
		return "", err
	}
	if o.Dir == "" {
		o.Dir = "."
	}
	dir := filepath.Join(o.Dir, name)
	if _, err := os.Lstat(dir); err == nil {
		return "", fmt.Errorf("new %s: %s exists: pick another name or remove it", name, dir)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("new %s: %w", name, err)
	}
	files, err := Render(name)
	if err != nil {
		return "", err
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", fmt.Errorf("new %s: %w", name, err)
	}
	for file, b := range files {
		if err := os.WriteFile(filepath.Join(dir, file), b, 0o644); err != nil {
			return "", fmt.Errorf("new %s: %w", name, err)
		}
	}
	return dir, nil
}

// Render returns the files of a new module called name, by file name.
func Render(name string) (map[string][]byte, error) {
	data := struct {
		Name  string
		Kinds []kind
	}{name, kinds()}
	out := map[string][]byte{}
	for file, tmpl := range map[string]string{name + ".c": "module.c.tmpl", "Kbuild": "Kbuild.tmpl", "spec.yaml": "spec.yaml.tmpl"} {
		t, err := template.ParseFS(templates, "templates/"+tmpl)
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", file, err)
		}
		var b bytes.Buffer
		if err := t.Execute(&b, data); err != nil {
			return nil, fmt.Errorf("render %s: %w", file, err)
		}
		out[file] = b.Bytes()
	}
	return out, nil
}

// kind is a workload kind as the spec template lists it.
type kind struct{ Name, About, Facts string }

// kinds is the workload catalogue from lab/plan, in its order.
func kinds() []kind {
	var ks []kind
	for _, k := range plan.Kinds {
		ks = append(ks, kind{Name: k, About: about[k], Facts: strings.Join(plan.Facts[k], ", ")})
	}
	return ks
}

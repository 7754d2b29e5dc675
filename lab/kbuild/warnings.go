package kbuild

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/lkmlab/lkmlab/lab/command"
)

// Diagnostic is one compiler message on a line of a module's own file.
type Diagnostic struct {
	File     string `json:"file"` // as people know it: Options.Names, else in the module's folder
	Line     int    `json:"line"`
	Column   int    `json:"column,omitempty"`
	Severity string `json:"severity"` // "warning" or "error"
	Text     string `json:"text"`
	Option   string `json:"option,omitempty"` // the flag gcc names, such as -Wunused-variable
}

// gccLine is gcc's diagnostic: "path:12:5: warning: text [-Wflag]".
var gccLine = regexp.MustCompile(`^(\S+?):(\d+):(?:(\d+):)? (warning|error): (.*?)(?: \[(-W[^\]]+)\])?$`)

// Warnings builds srcDir as Build does but with the kernel's extra
// warnings (W=1), and returns the compiler's warnings and errors on the
// module's own files, each once: a warning inside a kernel header is not
// the module's. A module that does not build returns its diagnostics
// with the build's *Error. It never uses the build cache: a cached .ko
// has no compiler output.
func Warnings(ctx context.Context, srcDir, kdir string, opts Options) ([]Diagnostic, error) {
	name := filepath.Base(filepath.Clean(srcDir))
	work := opts.WorkDir
	if work == "" {
		return nil, fmt.Errorf("warnings of %s: no work folder given", name)
	}
	// make -C kdir reads M= from kdir: the folder must be absolute.
	work, err := filepath.Abs(filepath.Join(work, name))
	if err != nil {
		return nil, fmt.Errorf("warnings of %s: %w", name, err)
	}
	if err := copySources(srcDir, work); err != nil {
		return nil, fmt.Errorf("warnings of %s: %w", name, err)
	}
	w := opts
	w.ExtraArgs = append([]string{"W=1"}, opts.ExtraArgs...)
	out, stopped, err := execute(ctx, work, buildArgv(ctx, makeJob{srcDir, work, kdir}, w), opts)
	var ce *command.Error
	if err != nil && (!errors.As(err, &ce) || ce.How == command.Canceled || ce.How == command.NotStarted) {
		return nil, fmt.Errorf("warnings of %s: %w", name, err)
	}
	var ro []string
	if opts.Sandbox != nil {
		ro = opts.Sandbox.ReadOnly
	}
	e := &Error{Module: name, Src: srcDir, Dir: work, Output: string(out), Err: err, Names: opts.Names, Stopped: stopped,
		hide: hostPaths(kdir, opts.WorkDir, ro)}
	diags := ownDiagnostics(string(out), kdir, work, e.relabels())
	if err != nil {
		return diags, e
	}
	return diags, nil
}

// ownDiagnostics parses gcc's diagnostics in out, keeps those on files
// in work (the module's own), names the files as people know them and
// drops repeats.
func ownDiagnostics(out, kdir, work string, rs []relabel) []Diagnostic {
	var diags []Diagnostic
	seen := map[Diagnostic]bool{}
	for _, l := range strings.Split(out, "\n") {
		m := gccLine.FindStringSubmatch(strings.TrimRight(l, "\r"))
		if m == nil {
			continue
		}
		p := m[1]
		if !filepath.IsAbs(p) {
			p = filepath.Join(kdir, p) // make -C kdir runs gcc in kdir; the module's own files are named absolute (M=work)
		}
		if !strings.HasPrefix(p, filepath.Clean(work)+"/") {
			continue
		}
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		d := Diagnostic{File: scrub(p, rs), Line: line, Column: col, Severity: m[4], Text: scrub(m[5], rs), Option: m[6]}
		if !seen[d] {
			seen[d] = true
			diags = append(diags, d)
		}
	}
	return diags
}

func or2(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

package grader

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/submit"
)

// taskCopy is the grader's copy of one task's module, built as the
// student built it: the picked file, the other files of its composite
// module when the student's Makefile makes one (mapper-objs := main.o
// walk.o), every header they include from inside the submission, and a
// Kbuild the grader writes with the module under the task's name and the
// safe -D defines of the student's ccflags-y. A student's Makefile or
// Kbuild is make code and never runs: lab/assign reads it as data.
//
// The copy is flat, since kbuild copies a module folder's files and not
// its subfolders: a header from elsewhere ("../common/util.h", or one an
// -I folder of the Makefile holds) gets a name of its own in the folder,
// and the #include lines that name it are rewritten to that name, on the
// same line, so compiler messages keep their line numbers.
type taskCopy struct {
	task     string
	sub      *submit.Submission
	mk       *assign.Makefile  // the picked file's folder's, nil if none
	names    map[string]string // copy name -> the student's path
	flat     map[string]string // the student's path -> copy name
	reserved map[string]string // copy names no file may take (Kbuild; the module's own name in a composite)
	todo     []string          // student's paths whose includes are still to read
}

// copyNames maps each task folder the grader wrote to its copy names and
// the student's paths, for studentPaths: the folder is unique per
// student and task.
var copyNames sync.Map // task folder -> map[string]string

// stageTask writes task t's module folder under root from the
// submission's file, and returns the folder and the copy's names (copy
// name -> the student's path).
func stageTask(sub *submit.Submission, file string, t assign.Task, root string) (string, map[string]string, error) {
	c := &taskCopy{task: t.Name, sub: sub, names: map[string]string{}, flat: map[string]string{},
		reserved: map[string]string{"Kbuild": ""}, mk: assign.ReadMakefile(path.Dir(file), sub.Files, sub.Read)}
	objs := c.sources(file)
	for _, h := range sub.Files {
		if path.Dir(h) == path.Dir(file) && strings.HasSuffix(h, ".h") {
			c.add(h) // the headers beside the file, as before: a macro may name one
		}
	}
	dir := filepath.Join(root, t.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, fmt.Errorf("stage %s: %w", t.Name, err)
	}
	for len(c.todo) > 0 {
		f := c.todo[0]
		c.todo = c.todo[1:]
		if err := c.write(dir, f); err != nil {
			return "", nil, fmt.Errorf("stage %s: %w", t.Name, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "Kbuild"), []byte(c.kbuild(objs)), 0o644); err != nil {
		return "", nil, fmt.Errorf("stage %s: %w", t.Name, err)
	}
	copyNames.Store(filepath.Clean(dir), c.names)
	return dir, c.names, nil
}

// sources names the C files of the module and returns the composite's
// objects, in copy names; none for a module of one file, which is the
// picked file under the task's name, as the grader has always built it.
func (c *taskCopy) sources(file string) []string {
	var srcs []string
	if mod, ok := c.mk.ModuleOf(file); ok && len(c.mk.Objects[mod]) > 0 {
		srcs = slices.DeleteFunc(c.mk.Sources(mod), func(s string) bool { return !slices.Contains(c.sub.Files, s) })
	}
	if len(srcs) == 0 {
		c.use(file, c.task+".c")
		return nil
	}
	c.reserved[c.task+".c"] = "" // kbuild refuses a composite that is one of its own objects
	var objs []string
	for _, s := range srcs {
		objs = append(objs, strings.TrimSuffix(c.add(s), ".c")+".o")
	}
	return objs
}

// add gives a student's file a copy name, once, and queues it.
func (c *taskCopy) add(p string) string {
	if n, ok := c.flat[p]; ok {
		return n
	}
	return c.use(p, freeName(safeFileName(path.Base(p)), c.names, c.reserved))
}

// use records that the student's file p is copied as name.
func (c *taskCopy) use(p, name string) string {
	c.names[name], c.flat[p] = p, name
	c.todo = append(c.todo, p)
	return name
}

// write copies the student's file p into dir under its copy name, with
// its #include lines that name a file of the submission rewritten to
// that file's copy name (which queues it).
func (c *taskCopy) write(dir, p string) error {
	b, err := c.sub.Read(p)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, c.flat[p]), c.rewriteIncludes(p, b), 0o644)
}

// kbuild is the Kbuild the grader writes: the module under the task's
// name, its objects for a composite, and the student's safe defines.
func (c *taskCopy) kbuild(objs []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "obj-m := %s.o\n", c.task)
	if len(objs) > 0 {
		fmt.Fprintf(&b, "%s-y := %s\n", c.task, strings.Join(objs, " "))
	}
	if c.mk != nil && len(c.mk.Defines) > 0 {
		fmt.Fprintf(&b, "ccflags-y += %s\n", strings.Join(c.mk.Defines, " "))
	}
	return b.String()
}

// includeRE is an #include line's directive: its delimiter and name. A
// byte order mark may open the file, as Windows editors write it.
var includeRE = regexp.MustCompile(`(?m)^(?:\x{FEFF})?[ \t]*#[ \t]*include[ \t]*([<"])([^">\r\n]*)[">]`)

// rewriteIncludes returns p's text with each #include of a file of the
// submission naming that file's copy, and queues those files.
func (c *taskCopy) rewriteIncludes(p string, b []byte) []byte {
	var out []byte
	last := 0
	for _, m := range includeRE.FindAllSubmatchIndex(b, -1) {
		quoted, name := b[m[2]] == '"', string(b[m[4]:m[5]])
		target, ok := c.resolve(path.Dir(p), name, quoted)
		if !ok {
			continue // a kernel header, or one the student's build would not find either
		}
		flat := c.add(target)
		if quoted && flat == name {
			continue
		}
		out = append(out, b[last:m[2]]...)
		out = append(out, '"')
		out = append(out, flat...)
		out = append(out, '"')
		last = m[1]
	}
	return append(out, b[last:]...)
}

// resolve finds the submission's file an #include names, as gcc does:
// a quoted name beside the including file first, then in the -I folders
// of the Makefile (inside the submission only).
func (c *taskCopy) resolve(from, name string, quoted bool) (string, bool) {
	if name == "" || strings.HasPrefix(name, "/") {
		return "", false
	}
	var dirs []string
	if quoted {
		dirs = append(dirs, from)
	}
	if c.mk != nil {
		dirs = append(dirs, c.mk.Includes...)
	}
	for _, d := range dirs {
		p := path.Clean(path.Join(d, name))
		if p != ".." && !strings.HasPrefix(p, "../") && slices.Contains(c.sub.Files, p) {
			return p, true
		}
	}
	return "", false
}

// unsafeNameRE is what a copy name may not hold: it is written in
// #include lines and Kbuild object lists.
var unsafeNameRE = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

// safeFileName makes a base name usable as a copy name.
func safeFileName(base string) string {
	s := unsafeNameRE.ReplaceAllString(base, "_")
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "-") {
		s = "_" + s[1:]
	}
	return s
}

// freeName returns name, or name with a number before its extension,
// whichever is neither used nor reserved.
func freeName(name string, used, reserved map[string]string) string {
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 2; ; i++ {
		_, u := used[name]
		_, r := reserved[name]
		if !u && !r {
			return name
		}
		name = fmt.Sprintf("%s_%d%s", stem, i, ext)
	}
}

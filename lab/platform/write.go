package platform

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
)

// The environment variables that say where a platform reads its files.
// The roots default to the platforms' own (/autograder, /grade), and are
// variables so that a test can lay a platform out in a temp folder.
const (
	GradescopeRootEnv   = "LKMLAB_GRADESCOPE_ROOT"
	PrairieLearnRootEnv = "LKMLAB_PRAIRIELEARN_ROOT"
	GitHubOutputEnv     = "GITHUB_OUTPUT"
	CodeGradeJUnitEnv   = "CG_JUNIT_XML_LOCATION"
)

// Env is where the platform a grade runs in reads its files; the zero
// value is the process's environment and stdout, and no notes.
type Env struct {
	Getenv func(string) string
	Stdout io.Writer
	// Logf says where each file went, as it goes: before Autolab's
	// output, whose last line must be its own.
	Logf func(format string, args ...any)
}

func (e Env) get(name string) string {
	if e.Getenv == nil {
		return os.Getenv(name)
	}
	return e.Getenv(name)
}

func (e Env) stdout() io.Writer {
	if e.Stdout == nil {
		return os.Stdout
	}
	return e.Stdout
}

// Dir is a student's folder of platform files in a grade's output folder.
func Dir(out, student string) string {
	return filepath.Join(grade.StudentDir(out, student), "platform")
}

// Write renders each student's grade in every format into the student's
// platform folder (Dir), and when one student was graded, where the
// platform reads it (Deliver): a platform's grader container grades one
// submission. Autolab's stdout comes last.
func Write(out string, a *assign.Assignment, rs []*grade.Result, formats []Format, o Options, env Env) error {
	logf := env.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	formats = slices.Clone(formats)
	slices.SortStableFunc(formats, func(f, g Format) int { return boolInt(f == Autolab) - boolInt(g == Autolab) })
	for _, f := range formats {
		for _, r := range rs {
			b, err := Render(f, a, r, o)
			if err != nil {
				return fmt.Errorf("render %s for %s: %w", f, r.Student, err)
			}
			dir := Dir(out, r.Student)
			if err := writeFile(filepath.Join(dir, FileName(f)), b); err != nil {
				return fmt.Errorf("write %s for %s: %w", f, r.Student, err)
			}
			if len(rs) != 1 {
				continue
			}
			switch where, err := Deliver(f, b, env); {
			case err != nil:
				return err
			case where == "":
				logf("%s: not on its platform (%s), written to %s only", f, platformHint(f), dir)
			case f != Autolab:
				logf("%s: written to %s", f, where)
			}
		}
		if len(rs) > 1 {
			logf("%s: one file per student in %s (a platform's own place takes one student)", f, Dir(out, "*"))
		}
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// platformHint says what Deliver looks for.
func platformHint(f Format) string {
	switch f {
	case Gradescope:
		return "no /autograder folder, or $" + GradescopeRootEnv
	case PrairieLearn:
		return "no /grade folder, or $" + PrairieLearnRootEnv
	case Classroom:
		return "no $" + GitHubOutputEnv
	case CodeGrade:
		return "no $" + CodeGradeJUnitEnv
	}
	return ""
}

// Deliver puts one student's rendering in format f where its platform
// reads it, and says where; "" when this is not that platform's machine
// (no /autograder, no $GITHUB_OUTPUT, ...). Autolab reads stdout.
func Deliver(f Format, b []byte, env Env) (string, error) {
	switch f {
	case Gradescope, PrairieLearn:
		name, def := GradescopeRootEnv, "/autograder"
		if f == PrairieLearn {
			name, def = PrairieLearnRootEnv, "/grade"
		}
		root := env.get(name)
		if root == "" {
			if _, err := os.Stat(def); err != nil {
				return "", nil
			}
			root = def
		}
		if st, err := os.Stat(root); err != nil || !st.IsDir() {
			return "", fmt.Errorf("deliver %s: $%s is %s, which is not a folder: unset it, or create the folder", f, name, root)
		}
		p := filepath.Join(root, "results", "results.json")
		return p, deliverErr(f, writeFile(p, b))
	case Classroom:
		p := env.get(GitHubOutputEnv)
		if p == "" {
			return "", nil
		}
		return "output result in " + GitHubOutputEnv, deliverErr(f, appendFile(p, ClassroomOutput(b)))
	case Autolab:
		_, err := env.stdout().Write(b)
		return "stdout", deliverErr(f, err)
	case CodeGrade:
		p := env.get(CodeGradeJUnitEnv)
		if p == "" {
			return "", nil
		}
		return p, deliverErr(f, writeFile(p, b))
	}
	return "", fmt.Errorf("deliver %s: unknown format", f)
}

func deliverErr(f Format, err error) error {
	if err != nil {
		return fmt.Errorf("deliver %s: %w", f, err)
	}
	return nil
}

func writeFile(p string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, b, 0o644)
}

func appendFile(p, s string) error {
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s names %s, which cannot be created: %w", GitHubOutputEnv, p, err)
	}
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lkmlab/lkmlab/lab/platform/bundle"
)

// platformMakers are the grader packages lkmlab platform writes, with
// where they go by default and what to do with them next.
var platformMakers = map[string]struct {
	make func(bundle.Options) ([]bundle.File, error)
	out  string
	zip  bool
	next string
}{
	"gradescope": {bundle.Gradescope, "gradescope-autograder.zip", true,
		"upload %s as the assignment's autograder (Configure Autograder, Zip file upload); set its points to the assignment's maximum"},
	"prairielearn": {bundle.PrairieLearn, "prairielearn", false,
		"build and push the image (docker build -t IMAGE %[1]s/image && docker push IMAGE), then copy %[1]s/questions/* into the course's questions/"},
	"classroom": {bundle.Classroom, "classroom", false,
		"copy %s/.github and %[1]s/.lkmlab (if any) into the students' template repository"},
}

// cmdPlatform writes a grading platform's grader package from an
// assignment (lab/platform/bundle).
func cmdPlatform(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("platform: name one: lkmlab platform gradescope|prairielearn|classroom [flags] (-h lists them)")
	}
	m, ok := platformMakers[args[0]]
	if !ok {
		return fmt.Errorf("platform %q: want gradescope, prairielearn or classroom", args[0])
	}
	var o bundle.Options
	fs := flag.NewFlagSet("platform "+args[0], flag.ContinueOnError)
	fs.StringVar(&o.Assignment, "assignment", "", "assignment file (YAML); default: the six seed modules")
	fs.StringVar(&o.Kernel, "kernel", "", "kernel the image grades on, by name (default: the assignment's kernel, else debian-6.1)")
	out := fs.String("out", m.out, "where to write the package")
	fs.StringVar(&o.Binary, "binary", "", "the lkmlab put in the image (default: this one; a static build runs in any image)")
	fs.StringVar(&o.Image, "image", "", "prairielearn: the grader image's name, as info.json names it (default lkmlab-grader)")
	fs.DurationVar(&o.Timeout, "timeout", 0, "prairielearn: the question's grading timeout, 30s to 600s (default 3m)")
	fs.StringVar(&o.Version, "version", "", "classroom: the lkmlab version the workflow installs (default this one's, or latest)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("platform %s: unexpected %q: it takes flags only (-h lists them)", args[0], fs.Arg(0))
	}
	o.Logf = func(format string, args ...any) { fmt.Fprintf(os.Stderr, "lkmlab: "+format+"\n", args...) }
	if o.Kernel == "" && o.Assignment != "" {
		a, err := loadAssignment(o.Assignment)
		if err != nil {
			return err
		}
		o.Kernel = a.Kernel
	}
	files, err := m.make(o)
	if err != nil {
		return err
	}
	write := bundle.WriteDir
	if m.zip {
		write = bundle.WriteZip
	}
	if err := write(*out, files); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "lkmlab: wrote %s (%d files); next, %s\n", *out, len(files), fmt.Sprintf(m.next, filepath.Clean(*out)))
	return nil
}

package similar

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/submit"
)

// CollectOptions configure Collect. The zero value works.
type CollectOptions struct {
	Limits submit.Limits // zero fields are lab/submit's defaults
	Subdir string        // compare only this folder of every submission
	// Work is where submissions are staged (and removed again); default
	// a temporary folder.
	Work string
}

// Collect stages every submission as grading does (the same limits, the
// same skipped files) and takes, for each task, the file grading would
// take (assign.PickAll). A submission that cannot be staged is left out
// with a warning.
func Collect(subs []string, a *assign.Assignment, o CollectOptions) ([]File, []string, error) {
	work := o.Work
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "lkmlab-similar-"); err != nil {
			return nil, nil, fmt.Errorf("collect submissions: %w", err)
		}
		defer os.RemoveAll(work)
	}
	names := submit.Names(subs)
	var files []File
	var warnings []string
	for i, src := range subs {
		dst := filepath.Join(work, fmt.Sprint(i))
		fs, err := collectOne(src, dst, names[src], a, o)
		_ = os.RemoveAll(dst)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("%s: %v: not compared", names[src], err))
			continue
		}
		files = append(files, fs...)
	}
	return files, warnings, nil
}

func collectOne(src, dst, name string, a *assign.Assignment, o CollectOptions) ([]File, error) {
	sub, err := submit.StageWith(src, dst, submit.Options{Limits: o.Limits, Subdir: o.Subdir, Name: name})
	if err != nil {
		return nil, err
	}
	chosen, _ := assign.PickAll(a.Tasks, sub.Files, sub.Read)
	var files []File
	for _, t := range a.Tasks {
		p := chosen[t.Name]
		if p == "" {
			continue
		}
		b, err := sub.Read(p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		files = append(files, File{Student: name, Task: t.Name, Path: p, Text: string(b)})
	}
	return files, nil
}

// Skeletons are an assignment's skeleton texts by task.
func Skeletons(a *assign.Assignment) map[string]string {
	m := map[string]string{}
	for _, t := range a.Tasks {
		if t.SkeletonText != "" {
			m[t.Name] = t.SkeletonText
		}
	}
	return m
}

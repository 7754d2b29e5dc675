// Package platform renders grades for grading platforms: a student's
// grade.Result and the assignment's visibility -> the files Gradescope,
// PrairieLearn, GitHub Classroom, Autolab and CodeGrade read, each showing
// a student only the feedback they may see. It is pure rendering: it runs
// nothing and imports no QEMU library.
package platform

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
)

// Format is a grading platform's result format.
type Format string

// The formats, by the platform that reads them.
const (
	Gradescope   Format = "gradescope"   // /autograder/results/results.json
	PrairieLearn Format = "prairielearn" // /grade/results/results.json
	Classroom    Format = "classroom"    // the step output "result", base64 JSON
	Autolab      Format = "autolab"      // stdout, its last line {"scores": ...}
	CodeGrade    Format = "codegrade"    // JUnit XML at $CG_JUNIT_XML_LOCATION
)

// Formats lists every format.
var Formats = []Format{Gradescope, PrairieLearn, Classroom, Autolab, CodeGrade}

// ParseFormats reads a comma-separated list of formats, or "all".
func ParseFormats(s string) ([]Format, error) {
	if strings.TrimSpace(s) == "all" {
		return slices.Clone(Formats), nil
	}
	var fs []Format
	for _, name := range strings.Split(s, ",") {
		f := Format(strings.TrimSpace(name))
		if !slices.Contains(Formats, f) {
			return nil, fmt.Errorf("unknown format %q: want %s, or all", name, formatNames())
		}
		if !slices.Contains(fs, f) {
			fs = append(fs, f)
		}
	}
	return fs, nil
}

func formatNames() string {
	s := make([]string, len(Formats))
	for i, f := range Formats {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// Options tune a rendering; the zero value works.
type Options struct {
	// Elapsed is how long grading took (Gradescope's execution_time).
	Elapsed time.Duration
}

// Render renders one student's grade in format f: the bytes the platform
// reads (for Classroom, the JSON before base64; for Autolab, the whole
// stdout).
func Render(f Format, a *assign.Assignment, r *grade.Result, o Options) ([]byte, error) {
	switch f {
	case Gradescope:
		return gradescope(a, r, o)
	case PrairieLearn:
		return prairielearn(a, r)
	case Classroom:
		return classroom(a, r)
	case Autolab:
		return autolab(a, r)
	case CodeGrade:
		return codegrade(a, r)
	}
	return nil, fmt.Errorf("render %s: unknown format", f)
}

// FileName is the name of a format's file in a student's platform folder.
func FileName(f Format) string {
	switch f {
	case Autolab:
		return "autolab.txt"
	case CodeGrade:
		return "codegrade.xml"
	}
	return string(f) + ".json"
}

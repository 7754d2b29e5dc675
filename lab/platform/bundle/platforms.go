package bundle

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"

	"github.com/lkmlab/lkmlab/lab/assign"
)

// Gradescope is the autograder zip's contents: setup.sh and
// run_autograder at its root (Gradescope runs them from
// /autograder/source), prepare.sh, the lkmlab binary, and the assignment
// under assignment/.
func Gradescope(o Options) ([]File, error) {
	o, a, v, err := start(o)
	if err != nil {
		return nil, err
	}
	var files []File
	for _, name := range []string{"setup.sh", "run_autograder"} {
		b, err := render("gradescope/"+name, v)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: name, Mode: 0o755, Data: b})
	}
	return o.common(files, a, v, "", "assignment")
}

// PrairieLearn is a grader image's build folder (image/: Dockerfile,
// prepare.sh, the entrypoint, lkmlab) and an externally graded question
// (questions/NAME/: info.json, question.html, and the assignment under
// tests/lkmlab/, which students never see).
func PrairieLearn(o Options) ([]File, error) {
	o, a, v, err := start(o)
	if err != nil {
		return nil, err
	}
	var files []File
	for _, f := range []struct {
		tmpl, to string
		mode     fs.FileMode
	}{{"prairielearn/Dockerfile", "image/Dockerfile", 0o644}, {"prairielearn/grade.sh", "image/grade.sh", 0o755},
		{"prairielearn/question.html", "questions/" + a.Name + "/question.html", 0o644}} {
		b, err := render(f.tmpl, v)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: f.to, Mode: f.mode, Data: b})
	}
	q := "questions/" + a.Name
	info, err := plInfo(a.Name, v)
	if err != nil {
		return nil, err
	}
	files = append(files, File{Path: q + "/info.json", Mode: 0o644, Data: info})
	if v.Assignment != "" {
		files = append(files, File{Path: q + "/tests/lkmlab/ASSIGNMENT", Mode: 0o644, Data: []byte(v.Assignment + "\n")})
	}
	return o.common(files, a, v, "image", q+"/tests/lkmlab")
}

// Classroom is what the students' template repository adds: the
// workflow, and the assignment under .lkmlab/.
func Classroom(o Options) ([]File, error) {
	o, a, v, err := start(o)
	if err != nil {
		return nil, err
	}
	b, err := render("classroom/classroom.yml", v)
	if err != nil {
		return nil, err
	}
	more, err := o.assignmentFiles(a, ".lkmlab")
	return append([]File{{Path: ".github/workflows/classroom.yml", Mode: 0o644, Data: b}}, more...), err
}

func start(o Options) (Options, *assign.Assignment, vars, error) {
	o, err := o.withDefaults()
	if err != nil {
		return o, nil, vars{}, fmt.Errorf("bundle: %w", err)
	}
	a, err := o.load()
	if err != nil {
		return o, nil, vars{}, fmt.Errorf("bundle: %w", err)
	}
	if !fileName.MatchString(a.Name) {
		return o, nil, vars{}, fmt.Errorf("bundle: assignment name %q: use letters, digits, '.', '_' and '-' (it names the question)", a.Name)
	}
	return o, a, o.vars(a), nil
}

// common adds what an image needs (prepare.sh and lkmlab, under image)
// and the assignment's files (under assignmentDir).
func (o Options) common(files []File, a *assign.Assignment, v vars, image, assignmentDir string) ([]File, error) {
	prep, err := render("prepare.sh", v)
	if err != nil {
		return nil, err
	}
	bin, err := o.binary()
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	bin.Path = path.Join(image, bin.Path)
	files = append(files, File{Path: path.Join(image, "prepare.sh"), Mode: 0o755, Data: prep}, bin)
	more, err := o.assignmentFiles(a, assignmentDir)
	return append(files, more...), err
}

// plInfo is the question's info.json. Its uuid is derived from the
// assignment's name, so that a regenerated question stays the same
// question to PrairieLearn (and keeps its students' submissions).
func plInfo(name string, v vars) ([]byte, error) {
	type grading struct {
		Enabled    bool   `json:"enabled"`
		Image      string `json:"image"`
		Entrypoint string `json:"entrypoint"`
		Timeout    int    `json:"timeout"`
	}
	info := struct {
		UUID                   string   `json:"uuid"`
		Title                  string   `json:"title"`
		Topic                  string   `json:"topic"`
		Tags                   []string `json:"tags"`
		Type                   string   `json:"type"`
		SingleVariant          bool     `json:"singleVariant"`
		GradingMethod          string   `json:"gradingMethod"`
		ExternalGradingOptions grading  `json:"externalGradingOptions"`
	}{nameUUID("prairielearn question " + name), name, "Kernel modules", []string{"lkmlab"}, "v3", true, "External",
		grading{true, v.Image, "/usr/local/bin/lkmlab-prairielearn", v.Timeout}}
	b, err := json.MarshalIndent(info, "", "  ")
	return append(b, '\n'), err
}

// nameUUID is a version 5 (SHA-1, name-based) UUID of name in lkmlab's
// own namespace.
func nameUUID(name string) string {
	ns := []byte{0x6c, 0x6b, 0x6d, 0x6c, 0x61, 0x62, 0x4e, 0x53, 0x8a, 0x11, 0x3c, 0x2e, 0x90, 0x5d, 0x47, 0x21}
	h := sha1.Sum(append(ns, name...))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

package platform

import (
	"encoding/json"
	"fmt"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/result"
)

// plResults is PrairieLearn's external grader results.json
// (prairielearn.readthedocs.io, "Externally graded questions"), the
// fields lkmlab fills.
type plResults struct {
	Gradable     bool     `json:"gradable"`
	Score        float64  `json:"score"` // 0 to 1
	Message      string   `json:"message"`
	Output       string   `json:"output"`
	FormatErrors []string `json:"format_errors,omitempty"`
	Tests        []plTest `json:"tests"`
}

type plTest struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Points      int    `json:"points"`
	MaxPoints   int    `json:"max_points"`
	Message     string `json:"message"`
	Output      string `json:"output"`
}

// prairielearnLimit is the largest results.json PrairieLearn reads.
const prairielearnLimit = 1_000_000

// prairielearn renders what a student may see now: PrairieLearn shows
// the whole file to the student, so hidden and later-shown tasks are one
// test with their points and no details (the staff report goes to the
// grading job's log). A submission with no file for any task, or one that
// could not be read, is not gradable: it costs the student no attempt.
func prairielearn(a *assign.Assignment, r *grade.Result) ([]byte, error) {
	if errs := formatErrors(a, r); len(errs) > 0 {
		res := plResults{Message: "nothing to grade: " + errs[0], Output: plain(summary(a, r)), FormatErrors: errs, Tests: []plTest{}}
		for i := range res.FormatErrors {
			res.FormatErrors[i] = plain(res.FormatErrors[i])
		}
		res.Message = plain(res.Message)
		return fit(prairielearnLimit, func(budget int) ([]byte, error) {
			res.Output = clip(res.Output, budget)
			return json.MarshalIndent(res, "", "  ")
		})
	}
	es := forStudent(a, r)
	return fit(prairielearnLimit, func(budget int) ([]byte, error) {
		res := plResults{Gradable: true, Message: fmt.Sprintf("%d/%d points", r.Total, r.Max),
			Output: clip(plain(summary(a, r)), budget), Tests: []plTest{}}
		if r.Max > 0 {
			res.Score = float64(r.Total) / float64(r.Max)
		}
		for _, e := range es {
			res.Tests = append(res.Tests, plTest{Name: plain(e.name), Description: plain(description(a, e)),
				Points: e.score, MaxPoints: e.max, Message: plain(e.message), Output: clip(plain(e.output), budget)})
		}
		return json.MarshalIndent(res, "", "  ")
	})
}

// formatErrors are why a submission cannot be graded at all: it could not
// be read, or no task found a file in it (said of the visible tasks).
func formatErrors(a *assign.Assignment, r *grade.Result) []string {
	if r.Problem != "" {
		return []string{r.Problem}
	}
	var errs []string
	for _, t := range tasksOf(a, r) {
		if t.res.Verdict != result.Missing {
			return nil
		}
		if t.def.Visibility.Or() == assign.Visible {
			errs = append(errs, t.res.Name+": "+t.res.Problem)
		}
	}
	if len(errs) == 0 {
		errs = append(errs, "no file in the submission is one of the assignment's modules")
	}
	return errs
}

// description is the task's spec's description, for a visible task.
func description(a *assign.Assignment, e entry) string {
	for _, t := range a.Tasks {
		if t.Name == e.name && t.Loaded != nil {
			return t.Loaded.Description
		}
	}
	if e.name == hiddenName {
		return "tasks whose feedback is not shown here"
	}
	return ""
}

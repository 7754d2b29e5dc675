package platform

import (
	"encoding/json"
	"math"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
)

// gsResults is Gradescope's results.json (gradescope-autograders.readthedocs.io,
// "Autograder Specifications"), the fields lkmlab fills.
type gsResults struct {
	Score            int            `json:"score"`
	ExecutionTime    int            `json:"execution_time"` // seconds
	Output           string         `json:"output"`
	OutputFormat     string         `json:"output_format"`
	Visibility       string         `json:"visibility"`
	StdoutVisibility string         `json:"stdout_visibility"`
	ExtraData        map[string]any `json:"extra_data,omitempty"`
	Tests            []gsTest       `json:"tests"`
}

type gsTest struct {
	Score        int      `json:"score"`
	MaxScore     int      `json:"max_score"`
	Status       string   `json:"status"`
	Name         string   `json:"name"`
	Number       string   `json:"number"`
	Output       string   `json:"output"`
	OutputFormat string   `json:"output_format"`
	Tags         []string `json:"tags,omitempty"`
	Visibility   string   `json:"visibility"`
}

// gradescopeLimit bounds results.json: Gradescope documents no limit, and
// a student's flood of kernel log lines must not make one.
const gradescopeLimit = 1 << 20

// gradescope renders a test per task, each with the task's visibility,
// which Gradescope enforces itself: it shows staff every test and a
// student only those they may see (a hidden test never, an
// after_due_date one once the due date has passed). Steps hidden more
// than their task are tests of their own, worth no points. The output
// is plain text ("text"): nothing a student printed can become markup.
// run_autograder's stdout, which carries the staff report, is hidden.
func gradescope(a *assign.Assignment, r *grade.Result, o Options) ([]byte, error) {
	es := byVisibility(a, r)
	return fit(gradescopeLimit, func(budget int) ([]byte, error) {
		res := gsResults{Score: r.Total, ExecutionTime: int(math.Ceil(o.Elapsed.Seconds())),
			Output: clip(plain(summary(a, r)), budget), OutputFormat: "text", Visibility: "visible", StdoutVisibility: "hidden",
			ExtraData: map[string]any{"lkmlab": r.LkmlabVersion, "kernel": r.Kernel, "seed": r.Seed}, Tests: []gsTest{}}
		for _, e := range es {
			res.Tests = append(res.Tests, gsTest{Score: e.score, MaxScore: e.max, Status: status(e.ok, "passed", "failed"),
				Name: plain(e.name), Number: e.number, Output: clip(plain(e.output), budget), OutputFormat: "text",
				Tags: []string{string(e.verdict)}, Visibility: string(e.visibility)})
		}
		return json.MarshalIndent(res, "", "  ")
	})
}

func status(ok bool, yes, no string) string {
	if ok {
		return yes
	}
	return no
}

package platform

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
)

// crResults is what a GitHub Classroom grader step gives
// classroom-resources/autograding-grading-reporter, base64-encoded in its
// output "result" (the runners' format, version 1).
type crResults struct {
	Version  int      `json:"version"`
	Status   string   `json:"status"` // pass, fail or error
	MaxScore int      `json:"max_score"`
	Tests    []crTest `json:"tests"`
}

type crTest struct {
	Name     string `json:"name"`
	Status   string `json:"status"`
	Score    int    `json:"score"`
	Message  string `json:"message"`
	TestCode string `json:"test_code"`
	Filename string `json:"filename"`
	LineNo   int    `json:"line_no"`
	Duration int64  `json:"duration"` // milliseconds
}

// classroomLimit keeps the base64 of the JSON, which the reporter reads
// from one environment variable, under Linux's 128 KiB limit on a single
// environment string (MAX_ARG_STRLEN), name included.
const classroomLimit = 90_000

// classroom renders what the student may see now: the reporter prints
// every test to the workflow's log and summary, which the student reads
// (it is their repository), so hidden tasks are one test with their
// points and no details.
func classroom(a *assign.Assignment, r *grade.Result) ([]byte, error) {
	es := forStudent(a, r)
	return fit(classroomLimit, func(budget int) ([]byte, error) {
		res := crResults{Version: 1, Status: status(r.Total == r.Max, "pass", "fail"), MaxScore: r.Max, Tests: []crTest{}}
		if r.Problem != "" {
			res.Status = "error"
		}
		for _, e := range es {
			msg := e.message
			if e.output != "" {
				msg = strings.TrimSpace(msg + "\n" + e.output)
			}
			res.Tests = append(res.Tests, crTest{Name: noCommands(plain(e.name)), Status: status(e.ok, "pass", "fail"),
				Score: e.score, Message: noCommands(clip(plain(msg), budget/4)), TestCode: "lkmlab grade: " + e.name,
				Filename: noCommands(plain(e.file)), Duration: e.ms})
		}
		return json.MarshalIndent(res, "", "  ")
	})
}

// ClassroomOutput is the line a grader step appends to $GITHUB_OUTPUT:
// its output "result", the base64 of the JSON.
func ClassroomOutput(json []byte) string {
	return "result=" + base64.StdEncoding.EncodeToString(json) + "\n"
}

// noCommands breaks "::" so that no line of a student's text, printed by
// the reporter, is read by the Actions runner as a workflow command
// (::add-mask::, ::stop-commands::, ...). A zero-width space keeps the
// text as it looks.
func noCommands(s string) string {
	return strings.ReplaceAll(s, "::", ":\u200b:")
}

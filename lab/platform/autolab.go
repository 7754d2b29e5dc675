package platform

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
)

// alScores is the last line of an Autolab autograder's output: a score
// per problem of the assessment, and the scoreboard's columns.
type alScores struct {
	Scores     map[string]int `json:"scores"`
	Scoreboard []int          `json:"scoreboard"`
}

// autolab renders the whole output of an Autolab job: the feedback a
// student may see now (Autolab shows them the output), then the scores
// line, which must be last. Every task is a problem of its own, named as
// the task, so that the assessment's problems are the assignment's tasks;
// a hidden task's score is there, its feedback is not.
func autolab(a *assign.Assignment, r *grade.Result) ([]byte, error) {
	var b strings.Builder
	b.WriteString(plain(summary(a, r)))
	for _, e := range forStudent(a, r) {
		fmt.Fprintf(&b, "\n== %s: %d/%d ==\n", plain(e.name), e.score, e.max)
		if e.output != "" {
			b.WriteString(clip(plain(strings.TrimRight(e.output, "\n")), 32<<10) + "\n")
		}
	}
	sc := alScores{Scores: map[string]int{}, Scoreboard: []int{r.Total}}
	for _, t := range r.Tasks {
		sc.Scores[t.Name] = t.Earned.Total()
	}
	line, err := json.Marshal(sc) // one line: json.Marshal escapes newlines in strings
	if err != nil {
		return nil, fmt.Errorf("encode autolab scores: %w", err)
	}
	b.WriteString("\n")
	b.Write(line)
	b.WriteString("\n")
	return []byte(b.String()), nil
}

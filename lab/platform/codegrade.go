package platform

import (
	"bytes"
	"fmt"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/report"
)

// codegrade renders the JUnit XML a CodeGrade Unit Test step reads from
// $CG_JUNIT_XML_LOCATION. CodeGrade scores the step as the fraction of
// test cases that pass, so each point is a test case of its own (a task's
// part worth 3 is three cases): the fraction is then the student's points
// over the maximum, exactly. A suite per task the student may see, and
// one for the hidden tasks, whose cases carry no details.
func codegrade(a *assign.Assignment, r *grade.Result) ([]byte, error) {
	doc := report.JUnitSuites{Name: "lkmlab " + plain(r.Assignment), Time: "0"}
	for _, e := range forStudent(a, r) {
		s := report.JUnitSuite{Name: plain(e.name), Time: seconds(e.ms)}
		for _, p := range entryParts(r, e) {
			for k := 1; k <= p.max; k++ {
				c := report.JUnitCase{Name: fmt.Sprintf("%s: %s (point %d of %d)", plain(e.name), p.name, k, p.max),
					Classname: "lkmlab." + plain(e.name), Time: "0"}
				if k > p.earned {
					// The task's problem and details once, on the suite's first
					// failure: the parts lost share them.
					f := &report.JUnitMessage{Message: p.name + " not earned", Type: string(e.verdict)}
					if s.Failures == 0 {
						f.Message = plain(orText(e.message, f.Message))
						f.Text = clip(plain(e.output), 32<<10)
					}
					c.Failure = f
					s.Failures++
				}
				s.Cases = append(s.Cases, c)
				s.Tests++
			}
		}
		doc.Tests, doc.Failures = doc.Tests+s.Tests, doc.Failures+s.Failures
		doc.Suites = append(doc.Suites, s)
	}
	var b bytes.Buffer
	if err := report.EncodeJUnit(&b, doc); err != nil {
		return nil, fmt.Errorf("encode codegrade junit: %w", err)
	}
	return b.Bytes(), nil
}

// entryParts are the parts of a task's entry, or the summed-up hidden
// tasks as one part.
func entryParts(r *grade.Result, e entry) []part {
	for _, t := range r.Tasks {
		if t.Name == e.name {
			return parts(t.Earned, t.Max)
		}
	}
	return []part{{name: "points", earned: e.score, max: e.max}}
}

func seconds(ms int64) string { return fmt.Sprintf("%.3f", float64(ms)/1000) }

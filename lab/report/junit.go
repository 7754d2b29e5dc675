package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/verdict"
)

// The common JUnit XML shape CI systems read: suites of test cases, each
// with at most one failure, error or skipped element.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Skipped    int             `xml:"skipped,attr"`
		Time       string          `xml:"time,attr"`
		Properties []junitProperty `xml:"properties>property,omitempty"`
		Cases      []junitCase     `xml:"testcase"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		Skipped   *junitMessage `xml:"skipped,omitempty"`
		Error     *junitMessage `xml:"error,omitempty"`
		Failure   *junitMessage `xml:"failure,omitempty"`
		SystemOut string        `xml:"system-out,omitempty"`
	}
	junitMessage struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr,omitempty"`
		Text    string `xml:",chardata"`
	}
)

// WriteJUnit writes the report as JUnit XML: a suite per module, a case
// per step (a module that did not build has one case, "build"). Fails
// are failures; crashes, timeouts and build errors are errors; each case's
// kernel log is its system-out.
func WriteJUnit(w io.Writer, r *check.Report) error {
	out := junitSuites{Name: "lkmlab", Time: seconds(r.Timing.Total.Milliseconds())}
	props := []junitProperty{{"kernel", r.Kernel}, {"release", r.Release}, {"accel", r.Accel.Name}, {"seed", fmt.Sprint(r.Seed)}}
	for _, m := range r.Modules {
		s := junitSuite{Name: m.Name, Properties: props}
		steps := m.Steps
		if m.Verdict == verdict.BuildError {
			steps = []verdict.Step{{Name: "build", Verdict: verdict.BuildError, Reason: m.Error}}
		}
		var ms int64
		for _, st := range steps {
			c := junitCase{Name: st.Name, Classname: "lkmlab." + m.Name, Time: seconds(st.MS), SystemOut: strings.Join(st.Log, "\n")}
			addOutcome(&c, &s, st)
			s.Cases = append(s.Cases, c)
			ms += st.MS
		}
		s.Tests, s.Time = len(s.Cases), seconds(ms)
		out.Tests, out.Failures, out.Errors, out.Skipped = out.Tests+s.Tests, out.Failures+s.Failures, out.Errors+s.Errors, out.Skipped+s.Skipped
		out.Suites = append(out.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func addOutcome(c *junitCase, s *junitSuite, st verdict.Step) {
	first, _, _ := strings.Cut(st.Reason, "\n")
	body := st.Reason
	if len(st.Diff) > 0 {
		body += "\n" + strings.Join(st.Diff, "\n")
	}
	msg := &junitMessage{Message: first, Type: string(st.Verdict), Text: body}
	switch st.Verdict {
	case verdict.Pass:
	case verdict.Skipped:
		c.Skipped, s.Skipped = &junitMessage{Message: first}, s.Skipped+1
	case verdict.Fail:
		c.Failure, s.Failures = msg, s.Failures+1
	default:
		c.Error, s.Errors = msg, s.Errors+1
	}
}

func seconds(ms int64) string { return fmt.Sprintf("%.3f", float64(ms)/1000) }

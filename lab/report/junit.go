package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/lkmlab/lkmlab/lab/result"
)

// The common JUnit XML shape CI systems read: suites of test cases, each
// with at most one failure, error or skipped element. lkmlab grade builds
// its class report from the same types.
type (
	// JUnitSuites is the document.
	JUnitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []JUnitSuite `xml:"testsuite"`
	}
	// JUnitSuite is one suite: a module, or a student.
	JUnitSuite struct {
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Skipped    int             `xml:"skipped,attr"`
		Time       string          `xml:"time,attr"`
		Properties []JUnitProperty `xml:"properties>property,omitempty"`
		Cases      []JUnitCase     `xml:"testcase"`
	}
	// JUnitProperty is a name=value pair of a suite.
	JUnitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	// JUnitCase is one test case.
	JUnitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		Skipped   *JUnitMessage `xml:"skipped,omitempty"`
		Error     *JUnitMessage `xml:"error,omitempty"`
		Failure   *JUnitMessage `xml:"failure,omitempty"`
		SystemOut string        `xml:"system-out,omitempty"`
	}
	// JUnitMessage is a failure, error or skip.
	JUnitMessage struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr,omitempty"`
		Text    string `xml:",chardata"`
	}
)

// WriteJUnit writes the report as JUnit XML: a suite per module, a case
// per step (a module that did not build has one case, "build"). Fails
// are failures; crashes, timeouts and build errors are errors; each case's
// kernel log is its system-out.
func WriteJUnit(w io.Writer, r *result.Report) error {
	out := JUnitSuites{Name: "lkmlab", Time: seconds(r.Timing.Total.Milliseconds())}
	v := r.Versions
	props := []JUnitProperty{{"kernel", r.Kernel}, {"release", r.Release}, {"accel", r.Accel.Name}, {"seed", fmt.Sprint(r.Seed)},
		{"lkmlab", v.Lkmlab}, {"commit", v.Commit}, {"kernel_package", v.KernelPackage}, {"kernel_build_id", v.KernelBuildID},
		{"qemu", v.QEMU}, {"agent", v.Agent}}
	for _, m := range r.Modules {
		s := JUnitSuite{Name: m.Name, Properties: props}
		steps := m.Steps
		if m.Verdict == result.BuildError {
			steps = []result.Step{{Name: "build", Verdict: result.BuildError, Reason: m.Error}}
		}
		var ms int64
		for _, st := range steps {
			c := JUnitCase{Name: st.Name, Classname: "lkmlab." + m.Name, Time: seconds(st.MS), SystemOut: strings.Join(st.Log, "\n")}
			addOutcome(&c, &s, st)
			s.Cases = append(s.Cases, c)
			ms += st.MS
		}
		s.Tests, s.Time = len(s.Cases), seconds(ms)
		out.Tests, out.Failures, out.Errors, out.Skipped = out.Tests+s.Tests, out.Failures+s.Failures, out.Errors+s.Errors, out.Skipped+s.Skipped
		out.Suites = append(out.Suites, s)
	}
	return EncodeJUnit(w, out)
}

// EncodeJUnit writes s as an XML document. Every text and attribute is
// first stripped of what XML 1.0 forbids (control characters other than
// tab, newline and CR; invalid UTF-8; U+FFFE and U+FFFF): a kernel log or a
// student's printk may hold any bytes, and a CI system that cannot parse
// the file shows no results at all.
func EncodeJUnit(w io.Writer, s JUnitSuites) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(s.clean()); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// clean returns a copy of s with every string made XML-safe; s's slices
// are the caller's and stay as they are.
func (s JUnitSuites) clean() JUnitSuites {
	s.Name, s.Time = xmlChars(s.Name), xmlChars(s.Time)
	s.Suites = append([]JUnitSuite(nil), s.Suites...)
	for i := range s.Suites {
		st := &s.Suites[i]
		st.Name, st.Time = xmlChars(st.Name), xmlChars(st.Time)
		st.Properties = append([]JUnitProperty(nil), st.Properties...)
		for j := range st.Properties {
			p := &st.Properties[j]
			p.Name, p.Value = xmlChars(p.Name), xmlChars(p.Value)
		}
		st.Cases = append([]JUnitCase(nil), st.Cases...)
		for j := range st.Cases {
			c := &st.Cases[j]
			c.Name, c.Classname, c.Time, c.SystemOut = xmlChars(c.Name), xmlChars(c.Classname), xmlChars(c.Time), xmlChars(c.SystemOut)
			c.Skipped, c.Error, c.Failure = c.Skipped.clean(), c.Error.clean(), c.Failure.clean()
		}
	}
	return s
}

func (m *JUnitMessage) clean() *JUnitMessage {
	if m == nil {
		return nil
	}
	return &JUnitMessage{Message: xmlChars(m.Message), Type: xmlChars(m.Type), Text: xmlChars(m.Text)}
}

// xmlChars drops invalid UTF-8 and the characters outside XML 1.0's Char
// production (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
// [#x10000-#x10FFFF]). encoding/xml would write U+FFFD for some of them;
// dropping them keeps the rest of the line as the kernel printed it.
func xmlChars(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD,
			r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return -1
	}, strings.ToValidUTF8(s, ""))
}

func addOutcome(c *JUnitCase, s *JUnitSuite, st result.Step) {
	first, _, _ := strings.Cut(st.Reason, "\n")
	body := st.Reason
	if len(st.Diff) > 0 {
		body += "\n" + strings.Join(st.Diff, "\n")
	}
	msg := &JUnitMessage{Message: first, Type: string(st.Verdict), Text: body}
	switch st.Verdict {
	case result.Pass:
	case result.Skipped:
		c.Skipped, s.Skipped = &JUnitMessage{Message: first}, s.Skipped+1
	case result.Fail:
		c.Failure, s.Failures = msg, s.Failures+1
	default:
		c.Error, s.Errors = msg, s.Errors+1
	}
}

func seconds(ms int64) string { return fmt.Sprintf("%.3f", float64(ms)/1000) }

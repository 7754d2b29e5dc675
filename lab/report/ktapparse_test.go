package report

// A KTAP reader for the tests: the encoder's output read back by the
// kernel's rules. The kernel's own kunit_tool checks it too
// (TestKTAPWithKunitTool).

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

var (
	ktapVersion = regexp.MustCompile(`^(KTAP|TAP) version \d+$`)
	ktapPlan    = regexp.MustCompile(`^1\.\.(\d+)$`)
	ktapResult  = regexp.MustCompile(`^(ok|not ok) (\d+)(?: ([^#]*))?(?:# ?(\S+)(?: .*)?)?$`)
)

// parseKTAP reads KTAP output following the kernel's rules: a version
// line, a plan, then result lines numbered from 1, each test's subtests
// indented below it. It checks the numbering and the plan.
func parseKTAP(r io.Reader) ([]*KTAPTest, error) {
	var lines []string
	s := bufio.NewScanner(r)
	for s.Scan() {
		lines = append(lines, s.Text())
	}
	tests, rest, err := parseLevel(lines, "")
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("ktap: unexpected line %q", rest[0])
	}
	return tests, nil
}

func parseLevel(lines []string, indent string) ([]*KTAPTest, []string, error) {
	if len(lines) == 0 || !ktapVersion.MatchString(strings.TrimPrefix(lines[0], indent)) {
		return nil, lines, fmt.Errorf("ktap: want a version line at indent %q", indent)
	}
	lines = lines[1:]
	planned := -1
	var tests []*KTAPTest
	var pending []*KTAPTest // subtests of the next result line
	for len(lines) > 0 {
		l := lines[0]
		if !strings.HasPrefix(l, indent) {
			break
		}
		body := strings.TrimPrefix(l, indent)
		switch {
		case strings.HasPrefix(body, "    ") || strings.HasPrefix(body, "  ") && ktapVersion.MatchString(strings.TrimSpace(body)):
			sub := indent + leadingSpace(body)
			subs, rest, err := parseLevel(lines, sub)
			if err != nil {
				return nil, nil, err
			}
			pending, lines = subs, rest
			continue
		case ktapPlan.MatchString(body):
			planned, _ = strconv.Atoi(ktapPlan.FindStringSubmatch(body)[1])
		case ktapResult.MatchString(body):
			m := ktapResult.FindStringSubmatch(body)
			if n, _ := strconv.Atoi(m[2]); n != len(tests)+1 {
				return nil, nil, fmt.Errorf("ktap: test %d numbered %s", len(tests)+1, m[2])
			}
			tests = append(tests, &KTAPTest{Name: strings.TrimSpace(m[3]), OK: m[1] == "ok", Directive: m[4], Subtests: pending})
			pending = nil
		case strings.HasPrefix(body, "#") || body == "":
		default:
			return nil, nil, fmt.Errorf("ktap: cannot read line %q", l)
		}
		lines = lines[1:]
	}
	if planned >= 0 && planned != len(tests) {
		return nil, nil, fmt.Errorf("ktap: plan says %d tests, found %d", planned, len(tests))
	}
	return tests, lines, nil
}

func leadingSpace(s string) string { return s[:len(s)-len(strings.TrimLeft(s, " "))] }

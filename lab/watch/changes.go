package watch

import (
	"fmt"
	"strings"

	"github.com/lkmlab/lkmlab/lab/result"
)

// Changes are the lines that say how module now differs from its last
// result was: every step on the first run (was has no name), then only the
// steps whose verdict changed, with the reason of one that does not pass.
func Changes(was, now result.Module) []string {
	upper := func(v result.Verdict) string { return strings.ToUpper(string(v)) }
	var out []string
	if now.Verdict == result.BuildError || now.Error != "" && len(now.Steps) == 0 {
		if was.Name == "" || was.Verdict != now.Verdict || was.Error != now.Error {
			out = append(out, fmt.Sprintf("  %s  %s", now.Name, upper(now.Verdict)), indent(firstLines(now.Error, 8)))
		}
		return orSame(out, now)
	}
	old := map[string]result.Verdict{}
	for _, s := range was.Steps {
		old[s.Name] = s.Verdict
	}
	for _, s := range now.Steps {
		v, seen := old[s.Name]
		switch {
		case was.Name == "" || !seen && was.Verdict != result.BuildError:
			out = append(out, fmt.Sprintf("  %s  %s  %s", now.Name, s.Name, upper(s.Verdict)))
		case !seen:
			out = append(out, fmt.Sprintf("  %s  %s  %s -> %s", now.Name, s.Name, upper(was.Verdict), upper(s.Verdict)))
		case v != s.Verdict:
			out = append(out, fmt.Sprintf("  %s  %s  %s -> %s", now.Name, s.Name, upper(v), upper(s.Verdict)))
		default:
			continue
		}
		if s.Verdict != result.Pass && s.Verdict != result.Skipped && s.Reason != "" {
			out = append(out, indent(firstLines(s.Reason, 4)))
			if len(s.Diff) > 0 {
				out = append(out, indent(firstLines(strings.Join(s.Diff, "\n"), 8)))
			}
		}
	}
	return orSame(out, now)
}

// orSame says so when nothing changed.
func orSame(out []string, now result.Module) []string {
	if len(out) > 0 {
		return out
	}
	return []string{fmt.Sprintf("  %s  no verdict changed (%s)", now.Name, strings.ToUpper(string(now.Verdict)))}
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("(%d more lines)", len(lines)-n))
	}
	return strings.Join(lines, "\n")
}

func indent(s string) string {
	return "      " + strings.ReplaceAll(s, "\n", "\n      ")
}

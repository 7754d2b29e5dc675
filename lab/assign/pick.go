package assign

import "path"

// Pick returns the submitted file (a slash path among files) the task
// takes, or "" when none matches.
func (t Task) Pick(files []string) string {
	for _, g := range t.Files {
		for _, f := range files {
			if ok, _ := path.Match(g, path.Base(f)); ok {
				return f
			}
		}
	}
	return ""
}

package submit

import (
	"fmt"
	"slices"
	"strings"
)

// cleanSubdir checks Options.Subdir and returns it as a clean slash path,
// "" when no subfolder is asked for.
func cleanSubdir(sub string) (string, error) {
	if strings.Trim(sub, `/\.`) == "" && !strings.Contains(sub, "..") {
		return "", nil
	}
	rel, reason := cleanPath(strings.TrimRight(sub, `/\`))
	if reason != "" {
		return "", fmt.Errorf("subfolder %q: %s: give a folder inside the submission, such as lab2", sub, reason)
	}
	return rel, nil
}

// subdirBase returns the folder of rel that is the graded subfolder sub:
// sub itself at the top ("lab2/heap.c" -> "lab2") or inside one top-level
// folder, as a repository archive wraps everything in "repo-main/"
// ("repo-main/Lab2/heap.c" -> "repo-main/Lab2"). Folder names match
// without regard to case. ok is false when rel is not under sub.
func subdirBase(rel, sub string) (base string, ok bool) {
	elems := strings.Split(rel, "/")
	want := strings.Split(sub, "/")
	for skip := 0; skip <= 1; skip++ {
		if len(elems) <= skip+len(want) {
			break
		}
		match := true
		for i, w := range want {
			if !strings.EqualFold(elems[skip+i], w) {
				match = false
				break
			}
		}
		if match {
			return strings.Join(elems[:skip+len(want)], "/"), true
		}
	}
	return "", false
}

// chooseBase picks, among the folders files were staged under, the one
// graded: the shallowest (the subfolder at the top rather than inside a
// wrapper folder), then the first in sort order.
func chooseBase(bases []string) string {
	best := ""
	for _, b := range bases {
		if best == "" || strings.Count(b, "/") < strings.Count(best, "/") ||
			strings.Count(b, "/") == strings.Count(best, "/") && b < best {
			best = b
		}
	}
	return best
}

// maxTops is how many top-level names an error about a missing subfolder
// shows.
const maxTops = 10

// noSubdirError says the graded subfolder was not found and what the
// submission holds instead.
func noSubdirError(label, sub string, tops []string) error {
	slices.Sort(tops)
	shown := tops
	if len(shown) > maxTops {
		shown = append(shown[:maxTops:maxTops], "...")
	}
	holds := "nothing"
	if len(shown) > 0 {
		holds = strings.Join(shown, ", ")
	}
	return fmt.Errorf("submission %s: no files to grade under %s/ (at its top it holds: %s): check the subfolder name", label, sub, holds)
}

// topNames returns what an error about a missing subfolder lists: the
// top-level names, or the folders inside the one top-level folder.
func topNames(tops map[string]bool) []string {
	var first, second []string
	for t := range tops {
		if strings.Contains(t, "/") {
			second = append(second, t)
		} else {
			first = append(first, t)
		}
	}
	if len(first) == 1 && len(second) > 0 {
		return second
	}
	return first
}

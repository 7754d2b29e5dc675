package ko

import "slices"

// Some symbols serve an honest module of the assignment and an attacker
// alike. get_user_pages_remote finds the page behind a process's address,
// which is the mapper's task done another way (a teaching assistant grades
// it), and also reaches the pages of any process, the grader's agent's
// among them. Denying them sends honest students to a person with no
// points; allowing them silently lets a module read what it should walk.
// They are graded as the module ran, and each import is flagged for a
// person to review. That gives an attacker nothing it lacks: a module can
// already read the agent's memory through the direct map (README, threat
// model), and to forge anything it must still write the record channel
// or the console, which stay denied (tty, serial, console, printk_emit).

// dualUse is the default list of symbols flagged for review, with why.
var dualUse = denyGroup{
	"reaches another process's pages: an honest mapper may translate an address with it; check it does only that",
	[]string{"get_user_pages*", "pin_user_pages*", "get_user_page_vma_remote", "follow_pfn", "follow_pte"},
}

// DefaultReview lists the symbols (path.Match patterns) a policy flags for
// review unless it says otherwise.
var DefaultReview = dualUse.patterns

// KindDualUse marks an import a policy lets through and flags for review.
const KindDualUse Kind = "dual-use"

// Review returns the imports p lets through but flags for a person to
// review (Policy.Review), in import order: a module that has them is
// graded as it ran. A symbol p denies is Check's; one p allows by its
// exact name is the course's decision, and not flagged.
func (m *Module) Review(p Policy) []Violation {
	deny, review := p.denyPatterns(), p.reviewPatterns()
	var out []Violation
	for _, sym := range m.Imports {
		if p.importProblem(sym, deny) != "" || slices.Contains(p.Allow, sym) {
			continue
		}
		if pat, ok := matchAny(review, aliases(sym)); ok {
			why := "flagged for review by the task's policy (" + pat + ")"
			if slices.Contains(dualUse.patterns, pat) {
				why = dualUse.why
			}
			out = append(out, Violation{Kind: KindDualUse, What: sym, Where: "imports", Why: why})
		}
	}
	return out
}

func (p Policy) reviewPatterns() []string { return withDefault(p.Review, DefaultReview) }

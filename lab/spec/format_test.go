package spec

import (
	"strings"
	"testing"
)

// TestCheckFormat judges a format rule on the rows of a re*: line (one
// row per line, each with the other line's group empty), as the mapper's
// spec does: hand-written captures, not a kernel's.
func TestCheckFormat(t *testing.T) {
	st := Step{Format: []FormatRule{{Rule: "none(phys == hex(m.phys) && hex(phys) != hex(m.phys))", Say: "the address is printed in decimal"}}}
	facts := map[string]string{"m.phys": "37a36cc"} // 58341068
	rows := func(pfn, phys string) []map[string]string {
		return []map[string]string{row("pfn", pfn, "phys", ""), row("pfn", "", "phys", phys)}
	}
	for _, tc := range []struct {
		rows []map[string]string
		want string // "" when the rule holds
	}{
		{rows("37a3", "37a36cc"), ""},
		{rows("37a3", "0x37a36cc"), ""},
		{rows("37a3", "37a36cd"), ""}, // wrong, but written in hex: truth's to judge
		{rows("14243", "58341068"), "the address is printed in decimal (m.phys is 37a36cc; phys printed 58341068)"},
	} {
		got := strings.Join(st.CheckFormat(Eval{Rows: tc.rows, Facts: facts}), "; ")
		if got != tc.want {
			t.Errorf("phys %s: %q, want %q", tc.rows[1]["phys"], got, tc.want)
		}
	}
}

package check

import (
	"testing"

	"github.com/lkmlab/lkmlab/lab/kmsg"
)

func TestCulpritIsWhoseCodeFaulted(t *testing.T) {
	ranges := []codeRange{{owner: 0, start: 0xffffffffc0a00000, end: 0xffffffffc0a01000}}
	for _, tc := range []struct {
		lines []string
		want  int
	}{
		{[]string{"BUG: unable to handle page fault for address: ffffffffc0a00040", "RIP: 0010:0xffffffffc0a00040"}, 0},
		{[]string{"RIP: 0010:0xffffffffc0b00040"}, -1},
		{[]string{"BUG: unable to handle page fault for address: ffffffffc0a003c8", "RIP: 0010:__run_timers+0xd3/0x2c0"}, 0},
		// A name in the text is no evidence: a module can print one.
		{[]string{"RIP: 0010:size_init+0x10/0x20 [size]"}, -1},
	} {
		if got := culprit(&kmsg.Failure{Lines: tc.lines, Module: "size"}, ranges); got != tc.want {
			t.Errorf("culprit(%q) = %d, want %d", tc.lines, got, tc.want)
		}
	}
}

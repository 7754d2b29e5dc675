package spec

import "testing"

// TestAlone checks alone() on hand-written lines (not captured from a
// kernel): a value on a line of the student's wording holds; the same
// value in a list of candidates (the hostile2 corpus's sprays) does not.
func TestAlone(t *testing.T) {
	f := map[string]string{
		"h.pid": "6998", "h.heap_bytes": "48506352", // 47369 KiB, 46.26 MiB
		"z.vmrss_kb": "75488", "z.vmsize_kb": "1361488", "z.pid": "48677",
		"k.pid1_stack": "ffffb5044006c000", "s.comm": "spin-3fa9c1",
	}
	for _, tc := range []struct {
		rule, line string
		ok         bool
	}{
		// The seed's lines, and students' own wordings.
		{"alone(h.pid)", "PID: 6998 has max heap usage with: 48506352", true},
		{`alone(h.heap_bytes, "bytes")`, "PID: 6998 has max heap usage with: 48506352", true},
		{`alone(h.heap_bytes, "bytes")`, "Largest heap: PID 6998 (heap-1a2b3c) uses 47369 KB", true},
		{`alone(h.heap_bytes, "bytes")`, "heap 48506352 bytes (47369 KB, 46.26 MiB, 0x2e42ef0)", true}, // the value again, in other units
		{"alone(h.pid)", "pid 6998 ppid 1 heap 48506352", true},                                        // two other numbers
		{`alone(z.vmrss_kb, "kib")`, "rss side: 75488 KiB\tvm size: 1361488 KiB", true},
		{`alone(z.vmrss_kb, "kib")`, "Process 48677 (htop): RSS = 73.72 MB, VSZ = 1329.58 MB", true},
		{`alone(z.vmsize_kb, "kib")`, "rss 75488 KiB vm 1361488 KiB swap 0 KiB", true},
		{`alone(hex(k.pid1_stack), "hex")`, "PID: 1 has kernel stack at ffffb5044006c000", true},
		{`alone(hex(k.pid1_stack), "hex")`, "init (pid 1): stack 0xffffb5044006c000, 16384 bytes", true},
		{"alone(k.pid1_stack)", "stack ffffb5044006c000", true}, // a hex fact without hex(), as printed() reads it
		{"alone(s.comm)", "Task: spin-3fa9c1 1 2 3 4", true},    // a word: the numbers beside it are no candidates
		// Not shown at all.
		{"alone(h.pid)", "PID: 6999 has max heap usage with: 48506352", false},
		// Candidates: every process, every counter, every stack.
		{"alone(h.pid)", "heaps 1:0 6998:48506352 7003:0", false},
		{`alone(h.heap_bytes, "bytes")`, "heaps 1:0 6998:48506352 7003:0", false},
		{`alone(z.vmrss_kb, "kib")`, "rss side: 72164 / 72168 / 75488 / 1116 KiB  vm size: 1361488 / 1361356 / 1258696 KiB", false},
		{`alone(z.vmsize_kb, "kib")`, "rss side: 72164 / 72168 / 75488 / 1116 KiB  vm size: 1361488 / 1361356 / 1258696 KiB", false},
		{`alone(z.vmrss_kb, "kib")`, "rss 72164 KiB 72168 KiB 75488 KiB 1116 KiB", false},
		{`alone(hex(k.pid1_stack), "hex")`, "stacks ffffb50440000000 ffffb50440004000 ffffb5044006c000 ffffb50440070000", false},
		{`alone(hex(k.pid1_stack), "hex")`, "stacks 0xffffb50440000000 0xffffb50440004000 0xffffb5044006c000 0xffffb50440070000", false},
	} {
		fails := Step{Loose: []string{tc.rule}}.CheckLoose(Eval{Facts: f, Lines: []string{"header 1 2 3 4 5", tc.line}})
		if (len(fails) == 0) != tc.ok {
			t.Errorf("%s on %q: fails %q, want ok=%v", tc.rule, tc.line, fails, tc.ok)
		}
	}
}

// TestAloneOnSomeLine: the value alone on one line holds, whatever another
// line lists.
func TestAloneOnSomeLine(t *testing.T) {
	ev := Eval{Facts: map[string]string{"h.pid": "6998"}, Lines: []string{"heaps 1:0 6998:48506352 7003:0", "winner 6998"}}
	if fails := (Step{Loose: []string{"alone(h.pid)"}}).CheckLoose(ev); len(fails) > 0 {
		t.Fatalf("alone(h.pid) on %q: %q", ev.Lines, fails)
	}
}

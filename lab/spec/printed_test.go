package spec

import "testing"

// TestPrinted checks value search on hand-written lines (not captured
// from a kernel): a value in the wording a student chose.
func TestPrinted(t *testing.T) {
	f := map[string]string{
		"h.pid": "77", "h.heap_bytes": "153395200", // 149800 KiB, 146.29 MiB, 0x924a000
		"z.vmrss_kb": "5724", "z.moved_kb": "100|104", // 5724 KiB = 5861376 bytes = 0x597000
		"m.phys": "12c603010", "s.comm": "spin-3fa9c1", // 0x12c603010 = 5039468560
		"k.addrs": "ffffc90000010000,ffffc90000020000", "t.sleeping_pids": "80,81,95",
	}
	for _, tc := range []struct {
		rule, line string
		ok         bool
	}{
		{"printed(h.pid)", "PID: 77 has max heap usage", true},
		{"printed(h.pid)", "PID:77", true},
		{"printed(h.pid)", "pid=77,", true},
		{"printed(h.pid)", "pid77", false}, // not a whole token
		{"printed(h.pid)", "PID: 770", false},
		{"printed(h.pid)", "PID: 177", false},
		{"printed(h.pid)", "PID: 0x4d", true},
		{"printed(h.pid)", "PID: 4d", false}, // hex without 0x only for hex(x)
		{"printed(h.pid)", "PID: 77.5", false},
		{"printed(h.pid)", "PID: 7 7", false},
		{`printed(h.pid, "dec")`, "PID: 0x4d", false},
		{`printed(h.pid, "dec")`, "PID: 77", true},
		{`printed(h.pid, "hex")`, "PID: 4d", true},
		{`printed(h.pid, "hex")`, "PID: 0x4D", true},
		{`printed(h.pid, "hex")`, "PID: 77", false},
		{"printed(hex(m.phys))", "Physical Address: 12c603010", true},
		{"printed(hex(m.phys))", "phys=0x12C603010.", true},
		{"printed(hex(m.phys))", "phys 5039468560", true},
		{"printed(hex(m.phys))", "phys 12c603011", false},
		{"printed(hex(m.phys))", "phys x12c603010", false},
		{"printed(m.phys)", "phys 0x12c603010", true}, // not decimal: read as the hex it spells
		{`printed(hex(m.phys), "dec")`, "phys 0x12c603010", false},
		{`printed(hex(m.phys), "dec")`, "phys 5039468560", true},
		{"printed(s.comm)", "Task: spin-3fa9c1", true},
		{"printed(s.comm)", "[spin-3fa9c1]", true},
		{"printed(s.comm)", "Task: spin-3fa9c1x", false},
		{"printed(s.comm)", "Task: xspin-3fa9c1", false},
		{"printed(s.comm)", "Task: SPIN-3FA9C1", false},
		{"printed(k.addrs)", "stack at ffffc90000020000", true}, // a list: any element
		{"printed(hex(k.addrs))", "stack at 0xFFFFC90000010000", true},
		{"printed(k.addrs)", "stack at ffffc90000030000", false},
		{"printed(t.sleeping_pids)", "sleeping: 95", true},
		{"printed(t.sleeping_pids)", "sleeping: 96", false},
		{"printed(z.moved_kb)", "rss 104", true}, // a fact that moved: either value
		{"printed(h.pid + 1)", "next 78", true},
		// Sizes in bytes: 153395200.
		{`printed(h.heap_bytes, "bytes")`, "heap 153395200", true},
		{`printed(h.heap_bytes, "bytes")`, "heap 153395200 bytes", true},
		{`printed(h.heap_bytes, "bytes")`, "heap 153395201 B", false},
		{`printed(h.heap_bytes, "bytes")`, "heap 149800 KB", true},
		{`printed(h.heap_bytes, "bytes")`, "heap: 149800KB", true},
		{`printed(h.heap_bytes, "bytes")`, "heap 149800 KiB", true},
		{`printed(h.heap_bytes, "bytes")`, "heap 149800K", true},
		{`printed(h.heap_bytes, "bytes")`, "heap 149801 KB", false},
		{`printed(h.heap_bytes, "bytes")`, "heap 149799 KB", false},
		{`printed(h.heap_bytes, "bytes")`, "heap 149800", false}, // a bare number is bytes
		{`printed(h.heap_bytes, "bytes")`, "heap 146.29 MiB", true},
		{`printed(h.heap_bytes, "bytes")`, "heap 146.28 MiB", true}, // truncated
		{`printed(h.heap_bytes, "bytes")`, "heap 146.27 MiB", false},
		{`printed(h.heap_bytes, "bytes")`, "heap 146.3 MB", true},
		{`printed(h.heap_bytes, "bytes")`, "heap 146 MiB", true},
		{`printed(h.heap_bytes, "bytes")`, "heap 147 MiB", true}, // rounded up
		{`printed(h.heap_bytes, "bytes")`, "heap 148 MiB", false},
		{`printed(h.heap_bytes, "bytes")`, "heap 0.14 GiB", true},
		{`printed(h.heap_bytes, "bytes")`, "heap 1 GiB", false}, // one significant digit
		{`printed(h.heap_bytes, "bytes")`, "heap 0 GB", false},
		{`printed(h.heap_bytes, "bytes")`, "heap 0x924a000", true},
		{`printed(h.heap_bytes, "bytes")`, "heap 0x9249000", false}, // a page short
		{`printed(h.heap_bytes, "bytes")`, "heap 153395200 apples", true},
		{`printed(h.heap_bytes, "bytes")`, "heap 924a000", true}, // %lx: only hex has a letter
		{`printed(h.heap_bytes, "bytes")`, "heap 924A000 bytes", true},
		{`printed(h.heap_bytes, "bytes")`, "heap 924a001", false},
		{`printed(h.heap_bytes, "bytes")`, "heap a924a000", false},
		{`printed(h.heap_bytes, "bytes")`, "heap ffff", false}, // no digit: a word, not a number
		// Sizes in KiB: 5724.
		{`printed(z.vmrss_kb, "kib")`, "rss side: 5724 KiB", true},
		{`printed(z.vmrss_kb, "kib")`, "rss side: 5724", true},
		{`printed(z.vmrss_kb, "kib")`, "rss side: 5723 KiB", false},
		{`printed(z.vmrss_kb, "kib")`, "rss 5861376 bytes", true},
		{`printed(z.vmrss_kb, "kib")`, "rss 5861376", true},
		{`printed(z.vmrss_kb, "kib")`, "rss 5862399 B", true}, // within 1023 bytes
		{`printed(z.vmrss_kb, "kib")`, "rss 5862400 B", false},
		{`printed(z.vmrss_kb, "kib")`, "rss 0x597000 bytes", true},
		{`printed(z.vmrss_kb, "kib")`, "rss 0x165c KiB", true},
		{`printed(z.vmrss_kb, "kib")`, "rss 5.59 MiB", true},
		{`printed(z.vmrss_kb, "kib")`, "rss 5.6 MB", true},
		{`printed(z.vmrss_kb, "kib")`, "rss 5.7 MB", false},
		{`printed(z.vmrss_kb, "kib")`, "rss 6 MiB", false},
		{`printed(z.moved_kb, "kib")`, "rss 100 kB", true},
		{`printed(z.moved_kb, "kib")`, "rss 102 kB", false},
		{`printed(s.comm, "kib")`, "spin-3fa9c1", false},
	} {
		fails := Step{Loose: []string{tc.rule}}.CheckLoose(Eval{Facts: f, Lines: []string{"header", tc.line}})
		if (len(fails) == 0) != tc.ok {
			t.Errorf("%s on %q: fails %q, want ok=%v", tc.rule, tc.line, fails, tc.ok)
		}
	}
}

func TestNumberTokens(t *testing.T) {
	got := numberTokens("PID: 77 heap 146.29 MiB, 149800KB at 0x924a000 end.")
	want := []numTok{{"PID", "PID", ""}, {"77", "77", "heap"}, {"heap", "heap", ""}, {"146.29", "146.29", "mib"},
		{"MiB", "MiB", ""}, {"149800KB", "149800", "kb"}, {"at", "at", ""}, {"0x924a000", "0x924a000", "end"}, {"end", "end", ""}}
	if len(got) != len(want) {
		t.Fatalf("tokens %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("token %d: %q, want %q", i, got[i], want[i])
		}
	}
}

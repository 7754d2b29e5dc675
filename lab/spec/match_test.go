package spec

import (
	"reflect"
	"testing"
)

func TestMatch(t *testing.T) {
	st := Step{Output: []string{"Hello World from a module", `re:PID: \d+`}}
	for _, tc := range []struct {
		name string
		got  []string
		ok   bool
		diff []string
	}{
		{"equal", []string{"Hello World from a module", "PID: 12"}, true,
			[]string{"  Hello World from a module", "  PID: 12"}},
		{"changed", []string{"Hello world from a module", "PID: 12"}, false,
			[]string{"- Hello World from a module", "+ Hello world from a module", "  PID: 12"}},
		{"missing", []string{"Hello World from a module"}, false,
			[]string{"  Hello World from a module", `- re:PID: \d+`}},
		{"extra", []string{"Hello World from a module", "PID: 1", "more"}, false,
			[]string{"  Hello World from a module", "  PID: 1", "+ more"}},
		{"regexp is anchored", []string{"Hello World from a module", "PID: 12 extra"}, false,
			[]string{"  Hello World from a module", `- re:PID: \d+`, "+ PID: 12 extra"}},
		{"blanks are blanks", []string{"  Hello\tWorld  from a module ", "PID:\t12\t"}, true,
			[]string{"    Hello\tWorld  from a module ", "  PID:\t12\t"}},
		{"blanks do not vanish", []string{"HelloWorld from a module", "PID:12"}, false,
			[]string{"- Hello World from a module", "+ HelloWorld from a module", `- re:PID: \d+`, "+ PID:12"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := st.Match(tc.got)
			if r.OK != tc.ok || !reflect.DeepEqual(r.Diff, tc.diff) {
				t.Fatalf("Match = %v %q, want %v %q", r.OK, r.Diff, tc.ok, tc.diff)
			}
		})
	}
}

func TestMatchLineWhitespace(t *testing.T) {
	for _, tc := range []struct {
		entry, got string
		ok         bool
		caps       map[string]string
	}{
		{"PID\tPROC", "PID     PROC", true, nil},
		{"PID\tPROC", "PID PROC", true, nil},
		{"PID\tPROC", "pid proc", false, nil}, // case still counts
		{"PID\tPROC", "PIDPROC", false, nil},
		{`re:(?P<pid>\d+)\t(?P<comm>.+)`, "77   spin-3fa9c1  ", true, map[string]string{"pid": "77", "comm": "spin-3fa9c1"}},
		{`re:(?P<pid>\d+)\t(?P<comm>.+)`, "77\tkworker/0:1 events", true, map[string]string{"pid": "77", "comm": "kworker/0:1 events"}},
		{`re:(?P<pid>\d+)\t(?P<comm>.+)`, "77spin", false, nil},
		{`re:LKM loaded\tPid: (?P<pid>\d+)\tAddress: (?P<addr>[0-9a-f]+)`, "LKM loaded Pid: 360249 Address: 7fff5f610000", true,
			map[string]string{"pid": "360249", "addr": "7fff5f610000"}},
		{`re:rss side: (?P<rss>\d+) KiB\s+vm size: (?P<vm>\d+) KiB`, "rss side:\t5724  KiB vm size: 11908 KiB", true,
			map[string]string{"rss": "5724", "vm": "11908"}},
		{`re:a[ \t]b`, "a    b", true, map[string]string{}},
		{`re:a\s*b`, "ab", true, map[string]string{}},
		{`re:a\s*b`, "a \t b", true, map[string]string{}},
		{`re:(?i)pid: \d+`, "PID:   5", true, map[string]string{}},
		{`re:x\ty`, "x\ny", false, nil}, // only spaces and tabs are blanks in a line
		{`re: lead and trail `, "lead and trail", true, map[string]string{}},
	} {
		l, err := parseLine(tc.entry)
		if err != nil {
			t.Fatalf("%q: %v", tc.entry, err)
		}
		caps, ok := l.match(tc.got)
		if ok != tc.ok || tc.caps != nil && !reflect.DeepEqual(caps, tc.caps) {
			t.Errorf("%q against %q: %v %q, want %v %q", tc.entry, tc.got, ok, caps, tc.ok, tc.caps)
		}
	}
}

func TestMatchRepeatedLinesGiveRows(t *testing.T) {
	got := []string{"print running process kernel module loaded", "PID\tPROC", "---------------",
		"51\tinit", "77\tspin-3fa9c1"}
	r := running.Match(got)
	if !r.OK || len(r.Rows) != 2 || r.Rows[1]["comm"] != "spin-3fa9c1" {
		t.Fatalf("Match = %+v", r)
	}
	empty := running.Match(got[:3])
	if !empty.OK || len(empty.Rows) != 1 || len(empty.Rows[0]) != 0 {
		t.Fatalf("zero repeated lines must match, with one row of the single captures: %+v", empty)
	}
	spaces := running.Match(append(got[:3:3], "77 spin-3fa9c1"))
	if !spaces.OK || spaces.Rows[0]["pid"] != "77" {
		t.Fatalf("spaces for a tab must match: %+v", spaces)
	}
	bad := running.Match(append(got[:3:3], "spin-3fa9c1 77"))
	if bad.OK || bad.Diff[len(bad.Diff)-1] != "+ spin-3fa9c1 77" {
		t.Fatalf("a line in the wrong format must show as extra: %+v", bad)
	}
}

func TestModuleOutputDropsKernelNoise(t *testing.T) {
	in := []string{
		"hello: loading out-of-tree module taints kernel.",
		"hello: module verification failed: signature and/or required key missing - tainting kernel",
		"Hello World from a module",
		"hello: module license 'Proprietary' taints kernel.",
		"Disabling lock debugging due to kernel taint",
		"tsc: Refined TSC clocksource calibration: 2596.126 MHz",
		"clocksource: tsc: mask: 0xffffffffffffffff max_cycles: 0x256bf0a106d, max_idle_ns: 440795262885 ns",
		"clocksource: Switched to clocksource tsc",
		"hrtimer: interrupt took 3013530 ns",
		"clocksource: timekeeping watchdog on CPU1: Marking clocksource 'tsc' as unstable because the skew is too large:",
		"sched: RT throttling activated",
	}
	got := ModuleOutput(in)
	if !reflect.DeepEqual(got, []string{"Hello World from a module"}) {
		t.Fatalf("ModuleOutput = %q", got)
	}
}

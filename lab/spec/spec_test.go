package spec

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, err string
	}{
		{"ok", "steps:\n  - action: insmod\n    output: [a]\n  - action: rmmod\n", ""},
		{"no steps", "description: x\n", "no steps"},
		{"bad action", "steps:\n  - action: modprobe\n", "want insmod or rmmod"},
		{"unknown field", "steps:\n  - action: insmod\n    outptu: [a]\n", "outptu"},
		{"bad regexp", "steps:\n  - action: insmod\n    output: ['re:(']\n", "output line"},
		{"bad timeout", "steps:\n  - action: insmod\n    timeout: soon\n", "timeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.name, []byte(tc.yaml))
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("Parse: %v, want error containing %q", err, tc.err)
			}
		})
	}
}

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
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := st.Match(tc.got)
			if r.OK != tc.ok || !reflect.DeepEqual(r.Diff, tc.diff) {
				t.Fatalf("Match = %v %q, want %v %q", r.OK, r.Diff, tc.ok, tc.diff)
			}
		})
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

func TestModuleSpecsParse(t *testing.T) {
	s, err := Load("../../modules/hello")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Steps) != 2 || s.Steps[0].Output[0] != "Hello World from a module" {
		t.Fatalf("hello spec: %+v", s)
	}
}

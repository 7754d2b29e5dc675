package spec

import (
	"reflect"
	"strings"
	"testing"
)

// The facts and lines below are hand-written fixtures, not captured from
// a kernel; the values are shaped like the workloads' (addresses in hex
// without 0x, lists comma-separated, a moved fact "before|after").
var facts = map[string]string{
	"w.pid": "77", "w.comm": "spin-3fa9c1", "w.heap_bytes": "153395200", "w.vmrss_kb": "100|104",
	"k.addrs": "ffffc90000010000,ffffc90000020000", "k.thread_size": "16384", "w.phys": "12c603010",
	"t.sleeping_pids": "80,81,95", "t.comms": "init,spin-3fa9c1,sh", "w.zero": "0",
}

func row(kv ...string) map[string]string {
	r := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		r[kv[i]] = kv[i+1]
	}
	return r
}

func oneRow(kv ...string) []map[string]string { return []map[string]string{row(kv...)} }

func TestTruth(t *testing.T) {
	three := []map[string]string{row("pid", "51", "comm", "init"), row("pid", "77", "comm", "spin-3fa9c1"), row("pid", "80", "comm", "sh")}
	for _, tc := range []struct {
		rule string
		rows []map[string]string
		ok   bool
	}{
		// Today's rules keep their meaning.
		{"pid == w.pid", oneRow("pid", "77"), true},
		{"pid == w.pid", oneRow("pid", "78"), false},
		{"pid == w.pid && bytes == w.heap_bytes", oneRow("pid", "77", "bytes", "4999"), false},
		{"pid == w.pid && comm == w.comm", three, true},
		{"pid == w.pid && comm == \"init\"", three, false}, // && holds on one row
		{"rss == w.vmrss_kb", oneRow("rss", "104"), true},  // a fact that moved: either value
		{"rss == w.vmrss_kb", oneRow("rss", "102"), false},
		{"hex(phys) == hex(w.phys)", oneRow("phys", "12c603010"), true},
		{"hex(phys) == hex(w.phys)", oneRow("phys", "0x12C603010"), true},
		{"hex(phys) == hex(w.phys)", oneRow("phys", "12c603000"), false},
		{"hex(s) >= 0xffff800000000000", oneRow("s", "ffffc90000010000"), true},
		{"hex(s) >= 0xffff800000000000", oneRow("s", "00007fff00000000"), false},
		{"hex(s) >= 0xffff800000000000", oneRow("s", "zz"), false}, // ordering needs numbers
		{"aligned(hex(s), k.thread_size)", oneRow("s", "ffffc90000014000"), true},
		{"aligned(hex(s), k.thread_size)", oneRow("s", "ffffc90000015000"), false},
		{"aligned(hex(s), w.zero)", oneRow("s", "ffffc90000014000"), false},
		{"in(hex(s), k.addrs)", oneRow("s", "ffffc90000020000"), true},
		{"in(hex(s), k.addrs)", oneRow("s", "ffffc90000030000"), false},
		{"in(pid, t.sleeping_pids)", oneRow("pid", "81"), true},
		{"in(pid, t.sleeping_pids)", oneRow("pid", "82"), false},
		{"in(comm, t.comms)", oneRow("comm", "sh"), true},
		{"pid == w.pid", nil, false},
		{"missing == w.pid", oneRow("pid", "77"), false},
		// Logic.
		{"pid == 1 || pid == w.pid", oneRow("pid", "77"), true},
		{"pid == 1 || pid == 2", oneRow("pid", "77"), false},
		{"!(pid == 1)", oneRow("pid", "77"), true},
		{"!(pid == w.pid)", oneRow("pid", "77"), false},
		{"!pid == 77", oneRow("pid", "77"), false}, // ! negates the comparison
		{"(pid == 1 || pid == 77) && comm == w.comm", oneRow("pid", "77", "comm", "spin-3fa9c1"), true},
		{"pid == 1 || pid == 77 && comm == \"x\"", oneRow("pid", "77", "comm", "y"), false}, // && binds tighter
		// Arithmetic on big and negative numbers.
		{"hex(s) - 0xffffc90000000000 == 0x10000", oneRow("s", "ffffc90000010000"), true},
		{"hex(s) + 0x10000 == 0xffffc90000020000", oneRow("s", "ffffc90000010000"), true},
		{"hex(s) + hex(s) > 0xffffffffffffffff", oneRow("s", "ffffc90000010000"), true}, // past 64 bits
		{"pid - w.pid == -7", oneRow("pid", "70"), true},
		{"pid - w.pid < 0", oneRow("pid", "70"), true},
		{"-pid == 0 - 70", oneRow("pid", "70"), true},
		{"bytes / 1024 == 149800", oneRow("bytes", "153395200"), true},
		{"bytes % 4096 == 0", oneRow("bytes", "153395200"), true},
		{"bytes * 2 + 1 == 306790401", oneRow("bytes", "153395200"), true},
		{"2 + 3 * 4 == 14", nil, true},
		{"(2 + 3) * 4 == 20", nil, true},
		{"10 - 4 - 3 == 3", nil, true}, // left-associative
		{"pid / w.zero == 1", oneRow("pid", "7"), false},
		{"rss + 4 == w.vmrss_kb", oneRow("rss", "100"), true}, // arithmetic on a moved fact
		{"w.vmrss_kb - rss == 4", oneRow("rss", "100"), true},
		// between and near.
		{"between(hex(s), 0xffffc90000000000, 0xffffe90000000000)", oneRow("s", "ffffc90000010000"), true},
		{"between(pid, 77, 78)", oneRow("pid", "77"), true},
		{"between(pid, 77, 78)", oneRow("pid", "78"), false}, // hi is exclusive
		{"between(pid, 78, 80)", oneRow("pid", "77"), false},
		{"near(pages * 4, w.vmrss_kb, 8)", oneRow("pages", "27"), true},  // 108 is 4 from 104
		{"near(pages * 4, w.vmrss_kb, 8)", oneRow("pages", "29"), false}, // 116
		{"near(pages * 4, w.vmrss_kb, 8)", oneRow("pages", "23"), true},  // 92 is 8 from 100
		{`near(kb, w.heap_bytes / 1024, "1%")`, oneRow("kb", "151000"), true},
		{`near(kb, w.heap_bytes / 1024, "1%")`, oneRow("kb", "152000"), false},
		{`near(kb, w.heap_bytes / 1024, "0.5%")`, oneRow("kb", "150500"), true},
		{"near(hex(s), 0xffffc90000010000, 4096)", oneRow("s", "ffffc9000000f000"), true},
		// Quantifiers over the rows of a repeated entry.
		{"every(pid > 0)", three, true},
		{"every(pid > 60)", three, false},
		{"none(pid == 1)", three, true},
		{"none(pid == w.pid)", three, false},
		{"count(pid == w.pid) == 1", three, true},
		{"count(in(pid, t.sleeping_pids)) == 1", three, true},
		{"count(pid > 0) == 3", three, true},
		{"count(pid > 0) == 3", oneRow("x", "1"), false},
		{"every(pid > 0) && comm == w.comm", three, true},
		{"every(pid > 0)", oneRow(), false}, // nothing printed: the single row has no pid
	} {
		fails := Step{Truth: []string{tc.rule}}.CheckTruth(Eval{Rows: tc.rows, Facts: facts})
		if (len(fails) == 0) != tc.ok {
			t.Errorf("%s on %v: fails %q, want ok=%v", tc.rule, tc.rows, fails, tc.ok)
		}
	}
}

func TestTruthOnLines(t *testing.T) {
	// Hand-written lines: a heap module printing its own wording.
	lines := []string{"heap: loaded", "pid 77 uses 149800 KB of heap", "error: none"}
	for _, tc := range []struct {
		rule string
		ok   bool
	}{
		{"lines() == 3", true},
		{"lines() <= 2", false},
		{`contains("uses 149800")`, true},
		{"contains(\"uses  149800\tKB\")", true}, // blanks are blanks (a real tab)
		{`contains("Uses")`, false},              // case counts
		{`contains(w.comm)`, false},
		{`matches("^pid [0-9]+ uses")`, true},
		{`matches("^heap:\s+loaded$")`, true},
		{`matches("^loaded")`, false},
		{"printed(w.pid)", true},
		{`printed(w.heap_bytes, "bytes")`, true},
		{`count(contains("heap")) == 2`, true}, // over lines: no capture named
		{`count(printed(w.pid)) == 1`, true},
		{`every(matches("^[a-z]"))`, true},
		{`none(contains("oops"))`, true},
		{`none(matches("^error"))`, false},
		{`printed(w.pid) && lines() <= 4`, true},
	} {
		st := Step{Loose: []string{tc.rule}}
		fails := st.CheckLoose(Eval{Facts: facts, Lines: lines})
		if (len(fails) == 0) != tc.ok {
			t.Errorf("%s: fails %q, want ok=%v", tc.rule, fails, tc.ok)
		}
	}
}

var running = Step{Output: []string{
	"print running process kernel module loaded",
	"PID\tPROC",
	"---------------",
	`re*:(?P<pid>\d+)\t(?P<comm>.+)`,
}, Truth: []string{"pid == s.pid && comm == s.comm"}}

func TestTruthFailureShowsEvidence(t *testing.T) {
	got := []string{"print running process kernel module loaded", "PID\tPROC", "---------------", "51\tinit", "52\tinsmod"}
	r := running.Match(got)
	fails := running.CheckTruth(Eval{Rows: r.Rows, Facts: map[string]string{"s.pid": "77", "s.comm": "spin-3fa9c1"}})
	want := []string{"truth: pid == s.pid && comm == s.comm does not hold: comm printed init, insmod; pid printed 51, 52; s.comm is spin-3fa9c1; s.pid is 77"}
	if !reflect.DeepEqual(fails, want) {
		t.Fatalf("got %q\nwant %q", fails, want)
	}
}

func TestEvidence(t *testing.T) {
	lines := []string{"a", "b", "c", "d", "e", "f"}
	for _, tc := range []struct {
		rule string
		rows []map[string]string
		want string
	}{
		{"rss == w.vmrss_kb", oneRow("rss", "90"), "truth: rss == w.vmrss_kb does not hold: rss printed 90; w.vmrss_kb moved from 100 to 104 during the step"},
		{"in(hex(s), k.addrs)", oneRow("s", "1"), "truth: in(hex(s), k.addrs) does not hold: k.addrs is not shown (it is the same in every run of this guest: shown, it would be the answer); s printed 1"},
		{"s >= 0xffff800000000000", oneRow("s", "ffffc90000010000"),
			"truth: s >= 0xffff800000000000 does not hold: s printed ffffc90000010000 (not decimal: hex(s) reads it as hex)"},
		{"count(pid == w.pid) == 1", []map[string]string{row("pid", "1"), row("pid", "2")},
			"truth: count(pid == w.pid) == 1 does not hold: pid printed 1, 2; w.pid is 77; count(pid == w.pid) is 0"},
		{"printed(w.comm)", nil,
			`truth: printed(w.comm) does not hold: w.comm is spin-3fa9c1; the module printed 6 line(s): "a", "b", "c", "d", "e", ...`},
		{"lines() == 2", nil, "truth: lines() == 2 does not hold: lines() is 6"},
		{"x == w.nope", oneRow("x", "1"), "truth: x == w.nope does not hold: w.nope is unknown (the workload did not report it); x printed 1"},
	} {
		got := Step{Truth: []string{tc.rule}}.CheckTruth(Eval{Rows: tc.rows, Facts: facts, Lines: lines})
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.rule, got, tc.want)
		}
	}
	if got := (Step{Loose: []string{"printed(w.pid)"}}).CheckLoose(Eval{Facts: facts}); len(got) != 1 ||
		got[0] != "loose: printed(w.pid) does not hold: w.pid is 77; the module printed nothing" {
		t.Errorf("loose evidence: %q", got)
	}
}

func TestCheckTruthReportsRulesThatDoNotParse(t *testing.T) {
	// A Step built in code skips Parse; its bad rule must fail, not pass.
	fails := Step{Truth: []string{"pid = 1"}}.CheckTruth(Eval{Rows: oneRow("pid", "1")})
	if len(fails) != 1 || !strings.Contains(fails[0], `"=" is not an operator`) {
		t.Fatalf("fails = %q", fails)
	}
}

func TestHintsExplainAFailedRule(t *testing.T) {
	s, err := Parse("spec.yaml", []byte(`steps:
  - action: insmod
    start:
      - {name: k, kind: stacks}
    output:
      - 're:stack at (?P<stack>[0-9a-f]+)'
    truth:
      - hex(stack) == hex(k.pid1_stack)
    hints:
      - when: between(hex(stack), hex(k.pid1_stack), hex(k.pid1_stack) + k.thread_size)
        say: inside pid 1's stack, not its base
      - when: hex(stack) < 0x100000000
        say: hashed
`))
	if err != nil {
		t.Fatal(err)
	}
	st := s.Steps[0]
	ev := Eval{Rows: []map[string]string{{"stack": "ffffc90000013940"}}, Facts: map[string]string{"k.pid1_stack": "ffffc90000010000", "k.thread_size": "16384"}}
	if got := st.Explain(ev); len(got) != 1 || got[0] != "inside pid 1's stack, not its base" {
		t.Fatalf("Explain = %q", got)
	}
	if _, err := Parse("spec.yaml", []byte("steps:\n  - action: insmod\n    hints:\n      - when: x == k.nope\n        say: s\n")); err == nil {
		t.Fatal("a hint naming what does not exist loaded")
	}
}

func TestPrintedPages(t *testing.T) {
	st := Step{Loose: []string{`printed(z.rss, "kib")`}}
	ev := Eval{Lines: []string{"rss: 11287 pages"}, Facts: map[string]string{"z.rss": "45148"}}
	if fails := st.CheckLoose(ev); len(fails) != 0 {
		t.Fatalf("11287 pages is 45148 KiB: %v", fails)
	}
}

// A hex fact made only of decimal digits (a frame like 3481112) is hex
// when the rule says hex(x).
func TestPrintedHexFactWithoutLetters(t *testing.T) {
	st := Step{Loose: []string{`printed(hex(m.phys), "hex")`}}
	ev := Eval{Lines: []string{"vaddr 0x2c7579a90112 -> paddr 0x3481112 (pfn 0x3481)"}, Facts: map[string]string{"m.phys": "3481112"}}
	if fails := st.CheckLoose(ev); len(fails) != 0 {
		t.Fatalf("%v", fails)
	}
}

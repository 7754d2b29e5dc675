package spec

import (
	"reflect"
	"strings"
	"testing"
)

var running = Step{Output: []string{
	"print running process kernel module loaded",
	"PID\tPROC",
	"---------------",
	`re*:(?P<pid>\d+)\t(?P<comm>.+)`,
}, Truth: []string{"pid == s.pid && comm == s.comm"}}

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
	bad := running.Match(append(got[:3:3], "77 spin-3fa9c1"))
	if bad.OK || bad.Diff[len(bad.Diff)-1] != "+ 77 spin-3fa9c1" {
		t.Fatalf("a line in the wrong format must show as extra: %+v", bad)
	}
}

func TestTruth(t *testing.T) {
	rows := func(kv ...string) []map[string]string {
		r := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			r[kv[i]] = kv[i+1]
		}
		return []map[string]string{r}
	}
	facts := map[string]string{"w.pid": "77", "w.heap_bytes": "5000", "w.vmrss_kb": "100|104",
		"k.addrs": "ffffc90000010000,ffffc90000020000", "k.thread_size": "16384", "w.phys": "12c603010"}
	for _, tc := range []struct {
		rule string
		rows []map[string]string
		ok   bool
	}{
		{"pid == w.pid", rows("pid", "77"), true},
		{"pid == w.pid", rows("pid", "78"), false},
		{"pid == w.pid && bytes == w.heap_bytes", rows("pid", "77", "bytes", "4999"), false},
		{"rss == w.vmrss_kb", rows("rss", "104"), true},
		{"rss == w.vmrss_kb", rows("rss", "102"), false},
		{"hex(phys) == hex(w.phys)", rows("phys", "12c603010"), true},
		{"hex(phys) == hex(w.phys)", rows("phys", "12c603000"), false},
		{"hex(s) >= 0xffff800000000000", rows("s", "ffffc90000010000"), true},
		{"hex(s) >= 0xffff800000000000", rows("s", "00007fff00000000"), false},
		{"aligned(hex(s), k.thread_size)", rows("s", "ffffc90000014000"), true},
		{"aligned(hex(s), k.thread_size)", rows("s", "ffffc90000015000"), false},
		{"in(hex(s), k.addrs)", rows("s", "ffffc90000020000"), true},
		{"in(hex(s), k.addrs)", rows("s", "ffffc90000030000"), false},
		{"pid == w.pid", nil, false},
		{"missing == w.pid", rows("pid", "77"), false},
	} {
		fails := Step{Truth: []string{tc.rule}}.CheckTruth(tc.rows, facts)
		if (len(fails) == 0) != tc.ok {
			t.Errorf("%s on %v: fails %q, want ok=%v", tc.rule, tc.rows, fails, tc.ok)
		}
	}
}

func TestTruthFailureShowsEvidence(t *testing.T) {
	got := []string{"print running process kernel module loaded", "PID\tPROC", "---------------", "51\tinit", "52\tinsmod"}
	r := running.Match(got)
	fails := running.CheckTruth(r.Rows, map[string]string{"s.pid": "77", "s.comm": "spin-3fa9c1"})
	want := []string{"truth: pid == s.pid && comm == s.comm does not hold: comm printed init, insmod; pid printed 51, 52; s.comm is spin-3fa9c1; s.pid is 77"}
	if !reflect.DeepEqual(fails, want) {
		t.Fatalf("got %q\nwant %q", fails, want)
	}
}

func TestParseRejectsBadTruthAndWorkloads(t *testing.T) {
	for yml, want := range map[string]string{
		"steps:\n  - action: insmod\n    truth: ['pid = w.pid']\n":              "not a comparison",
		"steps:\n  - action: insmod\n    truth: ['aligned(x)']\n":               "two arguments",
		"steps:\n  - action: insmod\n    start: [{name: w, kind: fork-bomb}]\n": "kind",
		"steps:\n  - action: insmod\n    output: ['re*:(']\n":                   "output line",
	} {
		if _, err := Parse("t", []byte(yml)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want error with %q", yml, err, want)
		}
	}
}

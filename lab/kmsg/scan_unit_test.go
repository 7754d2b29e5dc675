package kmsg

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// ts prefixes each line with an increasing timestamp.
func ts(lines ...string) string {
	var b strings.Builder
	for i, l := range lines {
		fmt.Fprintf(&b, "[%5d.%06d] %s\n", 10+i/1000, i%1000, l)
	}
	return b.String()
}

func TestScanSmall(t *testing.T) {
	tests := []struct {
		name   string
		log    string
		titles []string
	}{
		{"not at line start", ts("hello: BUG: fake", "x: WARNING: CPU: 0 PID: 1 at a.c:1 f", "y: Kernel panic - not syncing: no"), nil},
		{"taint messages", ts("hello: loading out-of-tree module taints kernel.",
			"hello: module verification failed: signature and/or required key missing - tainting kernel"), nil},
		{"lowercase words", ts("bug: fixed", "warning: deprecated", "debug: bug report", "Oops"), nil},
		{"normal WARNING lines", ts("WARNING: kernel not compiled with CPU_IBPB_ENTRY."), nil},
		{"untimestamped lines ignored in a timestamped log", "BUG: user space says\n" + ts("fine"), nil},
		{"no timestamps anywhere", "BUG: scheduling while atomic: a/1/0x2\n", []string{"BUG: scheduling while atomic: a/1/0x2"}},
		{"lockdep", ts("======================================================",
			"WARNING: possible circular locking dependency detected"), []string{"WARNING: possible circular locking dependency detected"}},
		{"hard lockup", ts("NMI watchdog: Watchdog detected hard LOCKUP on cpu 1"), []string{"NMI watchdog: Watchdog detected hard LOCKUP on cpu 1"}},
		{"rcu stall without prefix", ts("INFO: rcu_sched detected stalls on CPUs/tasks:", "\t1-...!: (0 ticks this GP)"),
			[]string{"INFO: rcu_sched detected stalls on CPUs/tasks:"}},
		{"two oopses", ts("Oops: 0002 [#1] SMP", "---[ end trace 0000000000000000 ]---", "Oops: 0000 [#2] SMP", "---[ end trace 0000000000000000 ]---"),
			[]string{"Oops: 0002 [#1] SMP", "Oops: 0000 [#2] SMP"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var titles []string
			for _, f := range Scan(ParseLines(tc.log)) {
				titles = append(titles, f.Title)
			}
			if !reflect.DeepEqual(titles, tc.titles) {
				t.Errorf("titles %q, want %q", titles, tc.titles)
			}
		})
	}
}

func TestScanCap(t *testing.T) {
	lines := []string{"BUG: kernel NULL pointer dereference, address: 0000000000000000"}
	for i := 0; i < 500; i++ {
		lines = append(lines, fmt.Sprintf(" frame_%d+0x1/0x2", i))
	}
	fs := Scan(ParseLines(ts(lines...)))
	if len(fs) != 1 || len(fs[0].Lines) != maxReportLines {
		t.Fatalf("got %d failures, first with %d lines; want 1 with %d", len(fs), len(fs[0].Lines), maxReportLines)
	}
}

func TestScanStopsAtUnrelatedLine(t *testing.T) {
	log := ts("BUG: unable to handle page fault for address: ffffc90000000000",
		"#PF: supervisor read access in kernel mode",
		"RIP: 0010:f+0x1/0x2 [m]",
		"hello: unrelated",
		" indented but after the gap")
	fs := Scan(ParseLines(log))
	if len(fs) != 1 || len(fs[0].Lines) != 3 || fs[0].Module != "m" {
		t.Fatalf("got %+v", fs)
	}
}

func TestScanRecords(t *testing.T) {
	var recs []Record
	for i, raw := range []string{
		"6,1,100,-;hello: world\n",
		"1,2,200,-;Kernel panic - not syncing: boom\n",
		"4,3,300,-;CPU: 0 PID: 1 Comm: init Not tainted 6.1.0 #1\n",
		"6,4,400,-;hello: unrelated\n",
	} {
		r, err := ParseRecord([]byte(raw))
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		recs = append(recs, r)
	}
	fs := Scan(RecordLines(recs))
	if len(fs) != 1 || fs[0].Kind != Panic || len(fs[0].Lines) != 2 {
		t.Fatalf("got %+v", fs)
	}
}

func FuzzScan(f *testing.F) {
	f.Add(ts("BUG: kernel NULL pointer dereference, address: 0", "Oops: 0002 [#1]", " f+0x1/0x2 [m]", "---[ end trace 0 ]---"))
	f.Add("<6>[    1.0][  T1] ------------[ cut here ]------------\r\nWARNING: CPU: 0 PID: 1 at a:1 f\n")
	f.Fuzz(func(t *testing.T, s string) {
		for _, fl := range Scan(ParseLines(s)) {
			if len(fl.Lines) == 0 || len(fl.Lines) > maxReportLines {
				t.Errorf("report of %d lines", len(fl.Lines))
			}
			_ = fl.Error()
		}
	})
}

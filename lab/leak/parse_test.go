package leak

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenCases are the reports in testdata with what Parse must find in
// each; the .golden files hold the full rendering, this table pins the
// parts that must not drift when they are regenerated.
var goldenCases = []struct {
	name  string
	sites []string // each object's Site
	mods  [][]string
}{
	{"debian-6.1", // /sys/kernel/debug/kmemleak of Debian's 6.1.192: no age, hashed [<addresses>]
		[]string{"kobject_set_name_vargs+0x1e/0x90", "leaky_alloc_buf+0x1d/0x40 [leaky]", "0xffffffffc020503a"},
		[][]string{nil, {"leaky"}, nil}},
	{"debian-6.12", // 6.12.117: "backtrace (crc ...)", frames without addresses, a build id
		[]string{"leaky_store+0x3c/0x80 [leaky]", "helper_dup+0x11/0x30 [leakhelp 1c9e4b0a7f2d3e5b6a8c9d0e1f2a3b4c5d6e7f80]", "0xffffffffc0312044"},
		[][]string{{"leaky"}, {"leakhelp", "leaky"}, nil}},
	{"with-age", // before 6.8: "(age 26.868s)" and real addresses
		[]string{"leaky_init+0x2d/0x1000 [leaky]", "leaky_work_fn+0x24/0x60 [leaky]"},
		[][]string{{"leaky"}, {"leaky"}}},
	{"console-crlf", // the same report printed to a serial console, with a line in between
		[]string{"leaky_alloc_buf+0x1d/0x40 [leaky]"},
		[][]string{{"leaky"}}},
	{"truncated", // cut in the middle of the second object's backtrace
		[]string{"kobject_set_name_vargs+0x1e/0x90", "leaky_alloc_buf+0x1d/0x40 [leaky]"},
		[][]string{nil, {"leaky"}}},
	{"junk", nil, nil},
}

func TestParseGolden(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range goldenCases {
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join("testdata", tc.name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			objs := Parse(string(in))
			var sites []string
			var mods [][]string
			for _, o := range objs {
				sites = append(sites, o.Site())
				mods = append(mods, o.Modules)
			}
			if !reflect.DeepEqual(sites, tc.sites) || !reflect.DeepEqual(mods, tc.mods) {
				t.Errorf("sites %q modules %q, want %q %q", sites, mods, tc.sites, tc.mods)
			}
			checkGolden(t, filepath.Join("testdata", tc.name+".golden"), renderObjects(objs))
		})
	}
	reports, _ := filepath.Glob("testdata/*.txt")
	for _, r := range reports {
		if name := strings.TrimSuffix(filepath.Base(r), ".txt"); !seen[name] {
			t.Errorf("%s has no entry in goldenCases", r)
		}
	}
}

// TestParseTextIsTheReport checks that the objects' Texts are the report
// itself, cut into pieces.
func TestParseTextIsTheReport(t *testing.T) {
	in, err := os.ReadFile("testdata/debian-6.1.txt")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, o := range Parse(string(in)) {
		texts = append(texts, o.Text+"\n")
	}
	if got := strings.Join(texts, ""); got != string(in) {
		t.Errorf("texts joined differ from the report:\n%s", got)
	}
}

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./lab/leak -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// renderObjects is the readable form kept in the .golden files.
func renderObjects(objs []Object) string {
	var b strings.Builder
	fmt.Fprintf(&b, "objects: %d\n", len(objs))
	for i, o := range objs {
		fmt.Fprintf(&b, "\n[%d] %#x size %d type %q\n", i+1, o.Addr, o.Size, o.Type)
		fmt.Fprintf(&b, "comm %q pid %d jiffies %d", o.Comm, o.PID, o.Jiffies)
		if o.HasAge {
			fmt.Fprintf(&b, " age %s", o.Age)
		}
		fmt.Fprintf(&b, "\nmodules %q\nsite %s\n", o.Modules, o.Site())
		for _, f := range o.Backtrace {
			fmt.Fprintf(&b, "  %s\n", f)
		}
		fmt.Fprintf(&b, "text: %d lines\n", strings.Count(o.Text, "\n")+1)
	}
	if s := Summary(objs, 0); s != "" {
		fmt.Fprintf(&b, "\nsummary:\n%s\n", s)
	}
	return b.String()
}

func TestParseSmall(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Object
	}{
		{"empty", "", nil},
		{"header only", "unreferenced object 0xffff888003a1c000 (size 1024):\n",
			[]Object{{Addr: 0xffff888003a1c000, Size: 1024, Text: "unreferenced object 0xffff888003a1c000 (size 1024):"}}},
		{"header cut off", "unreferenced object 0xffff8880",
			[]Object{{Addr: 0xffff8880, Text: "unreferenced object 0xffff8880"}}},
		{"not an address", "unreferenced object ffff8880 (size 8):\nunreferenced object 0x (size 8):\n", nil},
		{"percpu", "unreferenced object (percpu) 0x3d2a0 (size 4):\n" +
			"  comm \"insmod\", pid 7, jiffies 4294937400\n" +
			"  hex dump (first 4 bytes on cpu 1):\n" +
			"    00 00 00 00                                      ....\n" +
			"  backtrace (crc 0):\n" +
			"    pcpu_alloc_noprof+0x53d/0x890\n" +
			"    pcpu_leak_init+0x12/0x40 [pcpu_leak]\n",
			[]Object{{Addr: 0x3d2a0, Size: 4, Type: "percpu", Comm: "insmod", PID: 7, Jiffies: 4294937400,
				Backtrace: []string{"pcpu_alloc_noprof+0x53d/0x890", "pcpu_leak_init+0x12/0x40 [pcpu_leak]"},
				Modules:   []string{"pcpu_leak"}}}},
		{"comm with quote and comma", "unreferenced object 0x10 (size 1):\n  comm \"a\", pid 1\", pid 42, jiffies 9 (age 1.5s)\n",
			[]Object{{Addr: 0x10, Size: 1, Comm: "a\", pid 1", PID: 42, Jiffies: 9, Age: 1500 * time.Millisecond, HasAge: true}}},
		{"comm line cut off", "unreferenced object 0x10 (size 1):\n  comm \"ins",
			[]Object{{Addr: 0x10, Size: 1, Comm: "ins"}}},
		{"blank line ends an object", "unreferenced object 0x10 (size 1):\n\n  backtrace:\n    f+0x1/0x2\n",
			[]Object{{Addr: 0x10, Size: 1}}},
		{"frame with only an address prefix", "unreferenced object 0x10 (size 1):\n  backtrace:\n    [<0000000012345678>]\n    [<0000000012345678\n",
			[]Object{{Addr: 0x10, Size: 1, Backtrace: []string{"[<0000000012345678"}}}},
		{"bad age and size", "unreferenced object 0x10 (size -3):\n  comm \"x\", pid y, jiffies 1 (age forever)\n",
			[]Object{{Addr: 0x10, Comm: "x", Jiffies: 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Parse(tc.in)
			for i := range got {
				if len(tc.want) > i && tc.want[i].Text == "" {
					got[i].Text = "" // pinned where the case is about Text
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txt")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("unreferenced object (x 0x1 (size 99999999999999999999999):\n  comm \"\n  backtrace\n    [<>]\n    ]")
	f.Fuzz(func(t *testing.T, report string) {
		objs := Parse(report)
		if n := strings.Count(report, "unreferenced object "); len(objs) > n {
			t.Fatalf("%d objects from %d headers", len(objs), n)
		}
		for _, o := range objs {
			if o.Size < 0 || o.Age < 0 || !strings.HasPrefix(o.Text, "unreferenced object ") {
				t.Errorf("bad object %+v", o)
			}
			for _, m := range o.Modules {
				if m == "" {
					t.Errorf("empty module name in %q", o.Backtrace)
				}
			}
		}
		_ = Summary(objs, 2)
		Attribute(objs, Clock{US: 5e6, Jiffies: 4294937796, HZ: 100}, []Window{{Step: 1, StartUS: 1e6, EndUS: 4e6}})
	})
}

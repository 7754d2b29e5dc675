package spec

import (
	"io/fs"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/plan"
)

// heapSteps is the start of a heap spec: line 8 is the first truth rule.
const heapSteps = `steps:
  - action: insmod
    start:
      - {name: h, kind: heap}
    output:
      - 're:PID: (?P<pid>\d+) has max heap usage with: (?P<bytes>\d+)'
    truth:
`

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, err string
	}{
		{"ok", "steps:\n  - action: insmod\n    output: [a]\n  - action: rmmod\n", ""},
		{"no steps", "description: x\n", "no steps"},
		{"empty", "", "no steps"},
		{"bad action", "steps:\n  - action: modprobe\n", "spec.yaml:2: action \"modprobe\": want insmod or rmmod"},
		{"unknown field", "steps:\n  - action: insmod\n    outptu: [a]\n",
			"line 3: field outptu not found in a step (fields: action, error, format, hints, loose, name, output, params, probe, start, sweep, timeout, truth)"},
		{"unknown workload field", "steps:\n  - action: insmod\n    start: [{name: h, knid: heap}]\n", "field knid not found in a workload"},
		{"bad regexp", "steps:\n  - action: insmod\n    output:\n      - a\n      - 're:('\n", "spec.yaml:5: output line \"re:(\""},
		{"bad timeout", "steps:\n  - action: insmod\n    timeout: soon\n", "spec.yaml:3: timeout \"soon\""},
		{"ok rule", heapSteps + "      - pid == h.pid\n", ""},
		{"misspelt fact", heapSteps + "      - pid == h.pdi\n",
			`spec.yaml:8: truth "pid == h.pdi": h has no fact "pdi" (facts of heap: heap_bytes, pid)`},
		{"misspelt capture", heapSteps + "      - pdi == h.pid\n",
			`spec.yaml:8: truth "pdi == h.pid": "pdi" is not captured by this step's output (captures: bytes, pid)`},
		{"no captures", "steps:\n  - action: insmod\n    output: [hi]\n    truth: [pid == 1]\n",
			`spec.yaml:4: truth "pid == 1": "pid" is not captured: this step's output captures nothing`},
		{"undeclared workload", heapSteps + "      - pid == w.pid\n",
			`spec.yaml:8: truth "pid == w.pid": no workload "w" is started by this step or an earlier one (workloads: h)`},
		{"no workloads", "steps:\n  - action: insmod\n    truth: [printed(w.pid)]\n",
			`spec.yaml:3: truth "printed(w.pid)": no workload "w" is started by this step or an earlier one (none is`},
		{"workload of a later step", "steps:\n  - action: insmod\n    truth: [printed(h.pid)]\n  - action: insmod\n    start: [{name: h, kind: heap}]\n",
			`spec.yaml:3: truth "printed(h.pid)": no workload "h"`},
		{"workload of an earlier step", "steps:\n  - action: insmod\n    start: [{name: h, kind: heap}]\n  - action: rmmod\n    loose: [printed(h.pid)]\n", ""},
		{"unknown kind", "steps:\n  - action: insmod\n    start: [{name: w, kind: fork-bomb}]\n", `spec.yaml:3: workload w: kind "fork-bomb" is not one of spin, heap`},
		{"duplicate workload", "steps:\n  - action: insmod\n    start: [{name: w, kind: heap}]\n  - action: insmod\n    start:\n      - {name: w, kind: spin}\n",
			"spec.yaml:6: workload w is started twice"},
		{"bad workload name", "steps:\n  - action: insmod\n    start: [{name: 'a.b', kind: heap}]\n", `workload name "a.b"`},
		{"unknown function", heapSteps + "      - algined(pid, 4)\n",
			`spec.yaml:8: truth "algined(pid, 4)": column 1: no function "algined" (functions: aligned, alone, between, contains, count, every, hex, in, lines, matches, near, none, printed)`},
		{"arity", heapSteps + "      - near(pid, h.pid)\n", `spec.yaml:8: truth "near(pid, h.pid)": column 1: near(x, y, tol) takes 3 arguments, got 2`},
		{"syntax", heapSteps + "      - pid = h.pid\n", `spec.yaml:8: truth "pid = h.pid": column 5: "=" is not an operator (compare with ==)`},
		{"loose capture", heapSteps + "      - pid == h.pid\n    loose:\n      - printed(pid)\n",
			`spec.yaml:10: loose "printed(pid)": pid is a capture, and loose rules run when the output's format does not match`},
		{"loose unknown fact", heapSteps + "      - pid == h.pid\n    loose: ['printed(h.heap, \"bytes\")']\n",
			`spec.yaml:9: loose "printed(h.heap, \"bytes\")": h has no fact "heap" (facts of heap: heap_bytes, pid)`},
		{"unit unquoted", heapSteps + "      - printed(h.heap_bytes, bytes)\n", `unit bytes is not one of`},
		{"printed unit", heapSteps + "      - printed(h.heap_bytes, \"kb\")\n", `printed(x, unit): unit "kb" is not one of ["bytes" "kib" "hex" "dec"]`},
		{"near percentage", heapSteps + "      - near(bytes, h.heap_bytes, \"five\")\n", `tol "five" is not a percentage`},
		{"bad matches", heapSteps + "      - matches(\"(\")\n", `matches("("): error parsing regexp`},
		{"param fact", "steps:\n  - action: insmod\n    start: [{name: m, kind: map}]\n    params: \"pid={m.pid} addr={m.adr}\"\n",
			`spec.yaml:4: params: addr: m has no fact "adr" (facts of map: ` + sortedFacts("map") + ")"},
		{"param by role fact", "steps:\n  - action: insmod\n    start: [{name: m, kind: map}]\n    params:\n      pid: '{m.pid}'\n      addr: '0x{x.addr}'\n",
			`spec.yaml:6: params: addr: no workload "x"`},
		{"param placeholder", "steps:\n  - action: insmod\n    params: 'pid={pid}'\n", `params: pid: {pid} is not a fact; write {w.fact}`},
		{"param twice", "steps:\n  - action: insmod\n    params: {pid: 1, pid: 2}\n", "spec.yaml:3: params: pid is given twice"},
		{"param list", "steps:\n  - action: insmod\n    params: [pid]\n", "params: want a string"},
		{"yaml tag", heapSteps + "      - !(pid == h.pid)\n", `spec.yaml:8: truth: YAML read "!(pid" as a tag; quote the line: '!(pid == h.pid)'`},
		{"quoted negation", heapSteps + "      - '!(pid == h.pid)'\n", ""},
		{"errno", "steps:\n  - action: insmod\n    error: EINVL\n", `spec.yaml:2: error "EINVL" is not an errno name`},
		{"errno ok", "steps:\n  - action: insmod\n    error: ESRCH\n", ""},
		{"flow list split at commas", heapSteps + "      - pid == h.pid\n    loose: [near(bytes, h.heap_bytes, 4096)]\n",
			`spec.yaml:9: loose "near(bytes": column 11: want "," or ")" in near(...), got end of rule (YAML splits [a, b] at every comma`},
		{"rules not a list", "steps:\n  - action: insmod\n    truth: pid == 1\n", "spec.yaml:3: truth: want a list of rules"},
		{"rule read as a mapping", heapSteps + "      - contains(\"PID: 1\")\n", `spec.yaml:8: truth: YAML read a mapping here, from a ": " in the line; put the line in single quotes`},
		{"format rule", heapSteps + "      - pid == h.pid\n    format:\n      - {rule: 'bytes > 0', say: the heap is empty}\n", ""},
		{"format rule unsaid", heapSteps + "      - pid == h.pid\n    format:\n      - rule: bytes > 0\n", "spec.yaml:10: format: say what to tell the student"},
		{"format rule capture", heapSteps + "      - pid == h.pid\n    format:\n      - {rule: 'byts > 0', say: x}\n",
			`spec.yaml:10: format "byts > 0": "byts" is not captured by this step's output`},
		{"format rule field", heapSteps + "      - pid == h.pid\n    format:\n      - {when: 'bytes > 0', say: x}\n", "field when not found in a format rule (fields: rule, say)"},
		{"alone unit", heapSteps + "      - alone(h.heap_bytes, \"kb\")\n", `alone(x, unit): unit "kb" is not one of`},
		{"two errors", heapSteps + "      - pid == h.pdi\n      - pdi == h.pid\n", "spec.yaml:8: truth \"pid == h.pdi\": h has no fact \"pdi\" (facts of heap: heap_bytes, pid)\nspec.yaml:9:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("spec.yaml", []byte(tc.yaml))
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("Parse: %v\nwant error containing %q", err, tc.err)
			}
		})
	}
}

func TestParseStep(t *testing.T) {
	s, err := Parse("t", []byte(heapSteps+`      - pid == h.pid
    loose:
      - printed(h.pid)
      - printed(h.heap_bytes, "bytes")
      - lines() <= 4
  - action: insmod
    name: bad pid
    probe: true
    params: {pid: 0}
    error: EINVAL
    timeout: 2s
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Step{
		{Action: "insmod", Start: []Workload{{"h", "heap"}}, Output: []string{`re:PID: (?P<pid>\d+) has max heap usage with: (?P<bytes>\d+)`},
			Truth: []string{"pid == h.pid"}, Loose: []string{"printed(h.pid)", `printed(h.heap_bytes, "bytes")`, "lines() <= 4"}},
		{Action: "insmod", Name: "bad pid", Probe: true, Params: "pid=0", Error: "EINVAL", Timeout: "2s", params: []Param{{"pid", "0"}}},
	}
	if !reflect.DeepEqual(s.Steps, want) {
		t.Fatalf("steps\n%#v\nwant\n%#v", s.Steps, want)
	}
	if !s.Steps[0].HasLoose() || s.Steps[1].HasLoose() {
		t.Error("HasLoose is wrong")
	}
}

func TestParamList(t *testing.T) {
	for _, tc := range []struct {
		name, params string
		want         []Param
		str          string
	}{
		{"string", `params: "pid={m.pid} addr=0x{m.addr}"`, []Param{{"pid", "{m.pid}"}, {"addr", "0x{m.addr}"}}, "pid={m.pid} addr=0x{m.addr}"},
		{"string with quotes and tabs", "params: \"name=\\\"a b\\\"\\tflag\"", []Param{{"name", "a b"}, {"flag", ""}}, "name=\"a b\"\tflag"},
		{"mapping keeps its order", "params: {pid: \"{m.pid}\", addr: \"0x{m.addr}\"}", []Param{{"pid", "{m.pid}"}, {"addr", "0x{m.addr}"}}, "pid={m.pid} addr=0x{m.addr}"},
		{"mapping reversed", "params:\n      addr: '0x{m.addr}'\n      pid: '{m.pid}'", []Param{{"addr", "0x{m.addr}"}, {"pid", "{m.pid}"}}, "addr=0x{m.addr} pid={m.pid}"},
		{"mapping numbers, blanks and flags", "params: {pid: 0, name: a b, verbose: }", []Param{{"pid", "0"}, {"name", "a b"}, {"verbose", ""}}, `pid=0 name="a b" verbose`},
		{"none", "name: x", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("t", []byte("steps:\n  - action: insmod\n    start: [{name: m, kind: map}]\n    "+tc.params+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			st := s.Steps[0]
			if got := st.ParamList(); !reflect.DeepEqual(got, tc.want) || st.Params != tc.str {
				t.Fatalf("ParamList = %q, Params = %q; want %q, %q", got, st.Params, tc.want, tc.str)
			}
			if s := FormatParams(tc.want); s != st.Params && tc.name != "string with quotes and tabs" {
				t.Errorf("FormatParams = %q, want %q", s, st.Params)
			}
			if again := (Step{Params: st.Params}).ParamList(); !reflect.DeepEqual(again, tc.want) {
				t.Fatalf("the Params string reads back as %q, want %q", again, tc.want)
			}
		})
	}
}

// sortedFacts reads the catalogue, which grows as workloads learn facts.
func sortedFacts(kind string) string {
	return strings.Join(slices.Sorted(slices.Values(plan.Facts[kind])), ", ")
}

// TestSpecsInTreeLoad loads every spec the repository holds: the seed
// modules, the examples and the test fixtures.
func TestSpecsInTreeLoad(t *testing.T) {
	var paths []string
	for _, root := range []string{"../../modules", "../../examples", "../../tests/testdata"} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Name() == File {
				paths = append(paths, p)
			}
			return nil
		})
	}
	if len(paths) < 6 {
		t.Fatalf("found %d specs, want the six seed modules at least: %q", len(paths), paths)
	}
	for _, p := range paths {
		if _, err := Load(filepath.Dir(p)); err != nil {
			t.Errorf("%v", err)
		}
	}
	s, err := Load("../../modules/hello")
	if err != nil || len(s.Steps) != 2 || !s.Steps[0].Match([]string{"Hello World from a module"}).OK {
		t.Fatalf("hello spec: %+v, %v", s, err)
	}
}

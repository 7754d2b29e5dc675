package grader

import (
	"maps"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/ko"
)

// defaultTask is a task of the built-in assignment.
func defaultTask(t *testing.T, name string) assign.Task {
	t.Helper()
	for _, task := range assign.Default().Tasks {
		if task.Name == name {
			return task
		}
	}
	t.Fatalf("no task %s in the built-in assignment", name)
	return assign.Task{}
}

func TestResolveParams(t *testing.T) {
	mapper, size := defaultTask(t, "mapper"), defaultTask(t, "size")
	for _, tc := range []struct {
		name string
		task assign.Task
		have []ko.Param
		want map[string]string
		err  string
	}{
		{"the seed's names", mapper, []ko.Param{{Name: "pid", Type: "int"}, {Name: "addr", Type: "charp"}}, map[string]string{"pid": "pid", "addr": "addr"}, ""},
		{"other accepted names, any case", mapper, []ko.Param{{Name: "PID", Type: "int"}, {Name: "vaddr", Type: "ulong"}}, map[string]string{"pid": "PID", "addr": "vaddr"}, ""},
		{"one parameter of each type", mapper, []ko.Param{{Name: "p", Type: "int"}, {Name: "where", Type: "ullong"}}, map[string]string{"pid": "p", "addr": "where"}, ""},
		{"an address as int does not fit", mapper, []ko.Param{{Name: "pid", Type: "int"}, {Name: "x", Type: "int"}}, nil, "no parameter for the addr"},
		{"none", mapper, nil, nil, "it declares: none"},
		{"module_param_string for the address", mapper, []ko.Param{{Name: "addr", Type: "string"}, {Name: "pid", Type: "int"}}, map[string]string{"pid": "pid", "addr": "addr"}, ""},
		{"module_param_array for the pid", size, []ko.Param{{Name: "pids", Type: "array of int", Desc: "one or more process ids"}}, map[string]string{"pid": "pids"}, ""},
		{"an int flag beside the pid is never taken by type", size,
			[]ko.Param{{Name: "debug", Type: "int", Desc: "1: also list the memory areas"}, {Name: "target", Type: "int"}}, map[string]string{"pid": "target"}, ""},
		{"a flag alone is not the pid", size, []ko.Param{{Name: "verbose", Type: "int"}}, nil, "no parameter for the pid"},
		{"a flag named for the pid is no flag", size, []ko.Param{{Name: "pid_count", Type: "int"}, {Name: "x", Type: "long"}}, map[string]string{"pid": "pid_count"}, ""},
		{"among two ints, the one described as the pid", size,
			[]ko.Param{{Name: "n", Type: "int", Desc: "how many areas"}, {Name: "who", Type: "int", Desc: "PID of the process"}}, map[string]string{"pid": "who"}, ""},
		{"among two ints, the one named for a hint", size, []ko.Param{{Name: "k", Type: "int"}, {Name: "target", Type: "int"}}, map[string]string{"pid": "target"}, ""},
		{"a hint inside another word is none", size, []ko.Param{{Name: "a", Type: "int", Desc: "rapid mode"}, {Name: "b", Type: "int"}}, nil, "no parameter for the pid"},
		{"two ints both hinted: neither", size,
			[]ko.Param{{Name: "a", Type: "int", Desc: "the task"}, {Name: "b", Type: "int", Desc: "a process"}}, nil, "no parameter for the pid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := resolveParams(tc.task.Params, tc.have)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || !maps.Equal(got, tc.want) {
				t.Fatalf("resolveParams = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

// TestResolveParamsQuotesBoundedNames checks a refusal quotes a hostile
// module's parameters within bounds: their names are the student's.
func TestResolveParamsQuotesBoundedNames(t *testing.T) {
	var have []ko.Param
	for range 30 {
		have = append(have, ko.Param{Name: strings.Repeat("n", 1<<20), Type: "bool"})
	}
	_, err := resolveParams(defaultTask(t, "size").Params, have)
	if err == nil || len(err.Error()) > 2000 || !strings.Contains(err.Error(), "20 more") {
		t.Fatalf("err = %.300v (%d bytes), want a short refusal that counts the rest", err, len(err.Error()))
	}
}

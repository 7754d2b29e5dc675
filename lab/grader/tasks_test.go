package grader

import (
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/ko"
)

func TestResolveParamsByNameThenByType(t *testing.T) {
	var mapper assign.Task
	for _, task := range assign.Default().Tasks {
		if task.Name == "mapper" {
			mapper = task
		}
	}
	for _, tc := range []struct {
		name string
		have []ko.Param
		want map[string]string
		err  string
	}{
		{"the seed's names", []ko.Param{{Name: "pid", Type: "int"}, {Name: "addr", Type: "charp"}}, map[string]string{"pid": "pid", "addr": "addr"}, ""},
		{"other accepted names, any case", []ko.Param{{Name: "PID", Type: "int"}, {Name: "vaddr", Type: "ulong"}}, map[string]string{"pid": "PID", "addr": "vaddr"}, ""},
		{"one parameter of each type", []ko.Param{{Name: "p", Type: "int"}, {Name: "where", Type: "ullong"}}, map[string]string{"pid": "p", "addr": "where"}, ""},
		{"an address as int does not fit", []ko.Param{{Name: "pid", Type: "int"}, {Name: "x", Type: "int"}}, nil, "no parameter for the addr"},
		{"none", nil, nil, "it declares: none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := resolveParams(mapper.Params, tc.have)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || len(got) != len(tc.want) || got["pid"] != tc.want["pid"] || got["addr"] != tc.want["addr"] {
				t.Fatalf("resolveParams = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

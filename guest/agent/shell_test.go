package agent

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/plan"
)

// fakeConsole records what a session shows and stands in for the shell:
// while "the person types", it runs lab commands through the socket.
type fakeConsole struct {
	out    bytes.Buffer
	typed  []labRequest // what the person runs in the shell
	answer bytes.Buffer // what lab printed them
	codes  []int
	shells int
	t      *testing.T
}

func (c *fakeConsole) Write(p []byte) (int, error) { return c.out.Write(p) }
func (c *fakeConsole) Shell(*plan.Shell) error {
	c.shells++
	for _, r := range c.typed {
		code, err := askLab(labSocket, r, &c.answer)
		if err != nil {
			c.t.Fatalf("lab %+v: %v", r, err)
		}
		c.codes = append(c.codes, code)
	}
	return nil
}

// shellSession runs an agent whose only command is OpShell with cfg.
func shellSession(t *testing.T, sys *fakeSys, p *plan.Plan, cfg *plan.Shell, con *fakeConsole) []answer {
	t.Helper()
	dir := t.TempDir()
	oldFile, oldSock, oldOpen := shellFile, labSocket, OpenConsole
	t.Cleanup(func() { shellFile, labSocket, OpenConsole = oldFile, oldSock, oldOpen })
	shellFile, labSocket = filepath.Join(dir, "shell.json"), filepath.Join(dir, "lab.sock")
	if err := cfg.Write(shellFile); err != nil {
		t.Fatal(err)
	}
	con.t = t
	OpenConsole = func() (Console, error) { return con, nil }
	return runScript(t, sys, p, []plan.Command{{Op: plan.OpShell, Nonce: strings.Repeat("5", 24)}})
}

func TestShellRunsTheStepsBeforeItThenTheShell(t *testing.T) {
	sys := &fakeSys{logs: map[string][]kmsg.Record{"insmod a": {{Seq: 1, Text: "Hello from a"}}}}
	p := &plan.Plan{Steps: steps("a")}
	con := &fakeConsole{}
	recs := shellSession(t, sys, p, &plan.Shell{Before: []int{0}}, con)
	if k := kindsOf(recs); k != "ready shell-open done" {
		t.Fatalf("records %s, want ready shell-open done", k)
	}
	if con.shells != 1 || len(sys.ran) != 1 || sys.ran[0] != "insmod a" {
		t.Fatalf("shell started %d times, steps run %v: want the insmod, then one shell", con.shells, sys.ran)
	}
	out := con.out.String()
	for _, want := range []string{"step 0 (insmod a): ok", "Hello from a", "a.ko", "lab run N"} {
		if !strings.Contains(out, want) {
			t.Errorf("console lacks %q:\n%s", want, out)
		}
	}
	if len(sys.levels) == 0 || sys.levels[0] != shellLogLevel {
		t.Errorf("console levels %v: the session turns pr_info off the console", sys.levels)
	}
}

func TestLabStartsWorkloadsWithTheHostsValuesAndRunsSteps(t *testing.T) {
	sys := &fakeSys{logs: map[string][]kmsg.Record{"insmod a": {{Seq: 1, Text: "pid is 42"}}},
		holds: map[string]bool{"w": true}}
	st := steps("a")
	st[0].Start = []plan.Workload{{Name: "w", Kind: plan.Spin}}
	st[0].Params = "pid={w.pid}"
	p := &plan.Plan{Steps: st}
	cfg := &plan.Shell{Args: map[int]map[string]map[string]string{0: {"w": {"comm": "spin-abc123"}}}, Floors: map[int]int{0: 777}}
	con := &fakeConsole{typed: []labRequest{
		{Op: "steps"}, {Op: "start", Step: 0}, {Op: "run", Step: 0}, {Op: "run", Step: 9}, {Op: "stop"},
	}}
	shellSession(t, sys, p, cfg, con)
	if len(sys.started) != 1 || len(sys.floors) != 1 || sys.floors[0] != 777 {
		t.Fatalf("workloads started %v with pid floors %v: want w once, from 777", sys.started, sys.floors)
	}
	if len(sys.params) != 1 || sys.params[0] != "pid=42" {
		t.Fatalf("insmod params %v: want the workload's pid substituted", sys.params)
	}
	if want := []int{0, 0, 0, 2, 1}; !slices.Equal(con.codes, want) {
		t.Fatalf("exit codes %v, want %v (a step that does not exist: 2; a held address space: 1)", con.codes, want)
	}
	ans := con.answer.String()
	for _, want := range []string{"insmod a   workloads: w (spin)   params: pid={w.pid}", "w.comm = spin-abc123",
		"step 0 runs: insmod /lkm/a.ko pid=42", "step 0 (insmod a): ok", "pid is 42", "no step 9", "address space was never freed"} {
		if !strings.Contains(ans, want) {
			t.Errorf("lab's answers lack %q:\n%s", want, ans)
		}
	}
}

func TestParseLab(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want labRequest
		bad  bool
	}{
		{nil, labRequest{Op: "steps"}, false},
		{[]string{"run", "3"}, labRequest{Op: "run", Step: 3}, false},
		{[]string{"start", "0"}, labRequest{Op: "start"}, false},
		{[]string{"--help"}, labRequest{Op: "help"}, false},
		{[]string{"stop"}, labRequest{Op: "stop"}, false},
		{[]string{"run"}, labRequest{}, true},
		{[]string{"run", "-1"}, labRequest{}, true},
		{[]string{"run", "x"}, labRequest{}, true},
		{[]string{"insmod"}, labRequest{}, true},
	} {
		got, err := parseLab(tc.args)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("parseLab(%q) = %+v, %v; want %+v, error %v", tc.args, got, err, tc.want, tc.bad)
		}
	}
	if !LabCommand([]string{"/bbin/lab", "run", "0"}) || LabCommand([]string{"/init"}) {
		t.Error("LabCommand: lab is the agent run under the name lab")
	}
}

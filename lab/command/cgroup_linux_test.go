package command

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cgroup2Mount finds where a cgroup v2 hierarchy is mounted, or "".
func cgroup2Mount(t *testing.T) string {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		pre, post, _ := strings.Cut(sc.Text(), " - ")
		if fields := strings.Fields(pre); strings.HasPrefix(post, "cgroup2 ") && len(fields) > 4 && fields[3] == "/" {
			return fields[4]
		}
	}
	return ""
}

func TestRunStartsInsideCgroup(t *testing.T) {
	mnt := cgroup2Mount(t)
	if mnt == "" {
		t.Skip("no cgroup v2 hierarchy mounted")
	}
	dir := filepath.Join(mnt, "lkmlab-command-test")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Skipf("cannot create a cgroup v2 group here (run as root, or in a delegated cgroup): %v", err)
	}
	defer os.Remove(dir)
	fd, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer fd.Close()
	out, err := Run(context.Background(), []string{"cat", "/proc/self/cgroup"}, Options{Cgroup: fd})
	if err != nil {
		t.Fatalf("Run with Cgroup: %v", err)
	}
	if !strings.Contains(string(out), "0::/lkmlab-command-test\n") {
		t.Fatalf("the program ran in\n%s\nwant 0::/lkmlab-command-test", out)
	}
}

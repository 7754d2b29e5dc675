package static

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lkmlab/lkmlab/lab/command"
)

// Checkpatch runs the kernel's style checker, checkpatch.pl, on a file.
// It is perl from the kernel's source, reading a student's file as data:
// it runs through lab/command (no shell, its own process group, a time
// limit) with an empty home and only the file in its folder, so no
// .checkpatch.conf of anyone's changes what it says.
type Checkpatch struct {
	// Script is checkpatch.pl (FindCheckpatch); it reads spelling.txt
	// and const_structs.checkpatch beside it.
	Script string
	// Ignore are checkpatch types not reported (--ignore).
	Ignore []string
	// Timeout bounds one run; 0 means a minute (a file of pathological
	// lines could keep perl's regular expressions busy).
	Timeout time.Duration
}

// ErrNoCheckpatch says where checkpatch.pl comes from.
var ErrNoCheckpatch = errors.New("checkpatch.pl not found: it comes with the kernel source the minimal kernels are built from; run lkmlab kernel build minimal once (or give the style part no points)")

// FindCheckpatch returns the checkpatch.pl of a minimal kernel's source
// in the cache (kernels/minimal-*/src/scripts), the newest first.
func FindCheckpatch(cacheDir string) (string, error) {
	found, _ := filepath.Glob(filepath.Join(cacheDir, "kernels", "minimal-*", "src", "scripts", "checkpatch.pl"))
	sort.Sort(sort.Reverse(sort.StringSlice(found)))
	for _, f := range found {
		if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() {
			return f, nil
		}
	}
	return "", ErrNoCheckpatch
}

// complaint is checkpatch's --terse --show-types line:
// "file.c:12: WARNING:LONG_LINE: line length of 120 exceeds 100 columns".
var complaint = regexp.MustCompile(`^[^:]*:(\d+): (ERROR|WARNING|CHECK):([A-Z0-9_]+): (.*)$`)

// Style returns checkpatch --strict's complaints about text, a file the
// student named name.
func (c Checkpatch) Style(ctx context.Context, name string, text []byte) ([]Item, error) {
	dir, err := os.MkdirTemp("", "lkmlab-checkpatch-")
	if err != nil {
		return nil, fmt.Errorf("check style of %s: %w", name, err)
	}
	defer os.RemoveAll(dir)
	base := safeBase(name)
	if err := os.WriteFile(filepath.Join(dir, base), text, 0o644); err != nil {
		return nil, fmt.Errorf("check style of %s: %w", name, err)
	}
	argv := []string{"perl", c.Script, "--strict", "--no-tree", "--terse", "--show-types", "--no-summary", "--color=never"}
	if len(c.Ignore) > 0 {
		argv = append(argv, "--ignore", strings.Join(c.Ignore, ","))
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	out, err := command.Run(ctx, append(argv, "-f", base), command.Options{Dir: dir, Timeout: timeout,
		Env: []string{"PATH=/usr/bin:/bin", "HOME=" + dir, "LC_ALL=C.UTF-8"}})
	var ce *command.Error
	if err != nil && !(errors.As(err, &ce) && ce.How == command.Exited && ce.Code == 1) {
		return nil, fmt.Errorf("check style of %s: %w", name, err) // 1 is "complaints found"
	}
	return complaints(string(out), name), nil
}

// complaints parses checkpatch's output, naming the file as name.
func complaints(out, name string) []Item {
	var items []Item
	for _, l := range strings.Split(out, "\n") {
		m := complaint.FindStringSubmatch(strings.TrimRight(l, "\r"))
		if m == nil {
			continue
		}
		line, _ := strconv.Atoi(m[1])
		items = append(items, Item{Kind: Style, File: name, Line: line, Rule: m[3], Text: strings.ToLower(m[2]) + ": " + m[4]})
	}
	return items
}

// safeBase is a file name for the copy checkpatch reads: the student's
// base name when it is a plain C file name (checkpatch judges some
// things by the extension), else "module.c".
func safeBase(name string) string {
	b := filepath.Base(name)
	if !regexp.MustCompile(`^[A-Za-z0-9_.+-]+\.[ch]$`).MatchString(b) || strings.HasPrefix(b, "-") {
		return "module.c"
	}
	return b
}

package kernel

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	extcmd "github.com/lkmlab/lkmlab/lab/command"
)

// estimatedFiles is the file count logged as the total when no previous
// build recorded one: about what a minimal-6.1 build compiles and links
// (988 and 1015 files as measured).
const estimatedFiles = 1000

// progressInterval is how often a build logs its progress.
const progressInterval = 10 * time.Second

// makeTailLines is how many lines of a failed command's output its error
// quotes.
const makeTailLines = 40

// makeEnvDrop are variables a calling make (lkmlab run from a Makefile)
// passes down that would change the kernel build: -s would silence the
// per-file lines progress counts, a jobserver would cap -j.
var makeEnvDrop = []string{"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "KBUILD_OUTPUT", "KBUILD_EXTMOD"}

// step runs argv in dir with its output appended to the build log. With p,
// it counts the files make reports and logs progress. A failure quotes the
// last lines of output and names the log. lab/command runs make in a
// process group of its own and kills the whole group when ctx ends, so no
// sub-make or compiler keeps writing into a folder about to be removed.
func (b *minimalBuild) step(ctx context.Context, what, dir string, p *buildProgress, argv ...string) error {
	fmt.Fprintf(b.log, "\n$ cd %s && %s\n", dir, strings.Join(argv, " "))
	out := &outputTail{log: b.log, progress: p}
	if p != nil {
		stop := p.logEvery(progressInterval)
		defer stop()
	}
	_, err := extcmd.Run(ctx, argv, extcmd.Options{
		Dir:       dir,
		Env:       append(buildEnviron(os.Environ()), "LC_ALL=C"),
		Output:    out,
		MaxOutput: 64 << 10, // outputTail keeps the lines the error quotes
	})
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
	var ce *extcmd.Error
	if errors.As(err, &ce) {
		short := *ce
		short.Tail = nil // the error quotes more lines below
		err = &short
	}
	return fmt.Errorf("%s: %w; last lines:\n%s\n(full log: %s)",
		what, err, strings.Join(out.lines(), "\n"), b.logPath())
}

// buildEnviron is env without the variables in makeEnvDrop.
func buildEnviron(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, d := range makeEnvDrop {
			drop = drop || name == d
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}

// outputTail passes a command's output to the log and keeps its last lines,
// feeding each line to the progress counter.
type outputTail struct {
	mu       sync.Mutex
	log      io.Writer
	progress *buildProgress
	partial  []byte
	tail     []string
}

// Write implements io.Writer.
func (t *outputTail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.log.Write(p)
	t.partial = append(t.partial, p...)
	for {
		i := bytes.IndexByte(t.partial, '\n')
		if i < 0 {
			break
		}
		t.line(string(t.partial[:i]))
		t.partial = t.partial[i+1:]
	}
	return len(p), nil
}

// line records one complete line.
func (t *outputTail) line(s string) {
	if t.progress != nil {
		t.progress.see(s)
	}
	t.tail = append(t.tail, s)
	if len(t.tail) > makeTailLines {
		t.tail = t.tail[len(t.tail)-makeTailLines:]
	}
}

// lines returns the last lines, with an unterminated one.
func (t *outputTail) lines() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := append([]string(nil), t.tail...)
	if len(t.partial) > 0 {
		lines = append(lines, string(t.partial))
	}
	return lines[max(0, len(lines)-makeTailLines):]
}

// buildProgress counts the files make compiles and links.
type buildProgress struct {
	name  string // the profile
	total int    // files expected
	start time.Time
	logf  func(string, ...any)

	mu    sync.Mutex
	count int
}

// fileLine reports whether a make output line (V=0) stands for one file
// compiled, assembled or linked: "  CC      init/main.o", "  LD      vmlinux.o".
func fileLine(line string) bool {
	for _, prefix := range []string{"  CC ", "  AS ", "  LD "} {
		if strings.HasPrefix(line, prefix) {
			return true
		}
	}
	return false
}

// see counts line when it stands for a file.
func (p *buildProgress) see(line string) {
	if fileLine(line) {
		p.mu.Lock()
		p.count++
		p.mu.Unlock()
	}
}

// files is how many files make has reported.
func (p *buildProgress) files() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count
}

// progressLine formats one progress report, e.g.
// "build minimal-6.1: 812/1400 files (58%), 4m10s". Past the expected
// total it says 99%: the build is not done until make is.
func progressLine(name string, done, total int, elapsed time.Duration) string {
	pct := 0
	if total > 0 {
		pct = min(99, done*100/total)
	}
	return fmt.Sprintf("build %s: %d/%d files (%d%%), %s", name, done, max(done, total), pct, elapsed.Round(time.Second))
}

// logEvery logs progress every interval until the returned func is called.
func (p *buildProgress) logEvery(interval time.Duration) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				p.logf("kernel: %s", progressLine(p.name, p.files(), p.total, time.Since(p.start)))
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

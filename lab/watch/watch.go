// Package watch checks modules again as their sources change: module
// folders -> a check of the modules whose files changed, each time one is
// saved -> only the steps whose verdict changed.
//
// Folders are watched with fsnotify (inotify on Linux): an editor's save
// is seen at once, with no polling. Each rerun is a check of the changed
// modules only: a rebuild of those and a restore of the saved guest.
package watch

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/result"
)

// Options configure Watch. Run is required; the rest of the zero value
// works.
type Options struct {
	// Run checks targets (check.Run with the caller's options).
	Run func(ctx context.Context, targets []check.Target) (*result.Report, error)
	// Out receives what changed; default io.Discard.
	Out io.Writer
	// Settle is how long the folders must be quiet before a rerun: an
	// editor's save is several events. Default 150 ms.
	Settle time.Duration
	// Ran, when set, is called with each run's report (the first one
	// included), after Out has its lines.
	Ran func(*result.Report)
}

// Watch checks every target, then each target again whenever a file in
// its folder changes, until ctx is done. A run that fails (no QEMU, a
// guest that never starts) is reported on Out and the watch goes on.
func Watch(ctx context.Context, targets []check.Target, o Options) error {
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Settle == 0 {
		o.Settle = 150 * time.Millisecond
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	defer w.Close()
	byDir := map[string]int{}
	for i, t := range targets {
		dir := filepath.Clean(t.Dir)
		if err := w.Add(dir); err != nil {
			return fmt.Errorf("watch %s: %w", dir, err)
		}
		byDir[dir] = i
	}
	s := &state{o: o, targets: targets, last: map[string]result.Module{}}
	s.run(ctx, allOf(targets))
	fmt.Fprintf(o.Out, "watching %d module folder(s); save a file to check again, Ctrl-C to stop\n", len(targets))
	return s.loop(ctx, w, byDir)
}

func allOf(ts []check.Target) []int {
	out := make([]int, len(ts))
	for i := range out {
		out[i] = i
	}
	return out
}

// state is what the watch knows: the targets and each module's last result.
type state struct {
	o       Options
	targets []check.Target
	last    map[string]result.Module
}

// loop waits for changes, lets them settle, and reruns the modules whose
// folders changed.
func (s *state) loop(ctx context.Context, w *fsnotify.Watcher, byDir map[string]int) error {
	changed := map[int]bool{}
	var settle <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			fmt.Fprintf(s.o.Out, "watch: %v\n", err)
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if i, in := byDir[filepath.Dir(ev.Name)]; in && Relevant(ev.Name) {
				changed[i] = true
				settle = time.After(s.o.Settle)
			}
		case <-settle:
			settle = nil
			var which []int
			for i := range s.targets {
				if changed[i] {
					which = append(which, i)
				}
			}
			changed = map[int]bool{}
			s.run(ctx, which)
		}
	}
}

// Relevant reports whether a changed file is one a check reads: sources,
// headers, the Kbuild and the spec; not build products, editor backups or
// swap files.
func Relevant(path string) bool {
	base := filepath.Base(path)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasPrefix(base, "#") {
		return false
	}
	switch filepath.Ext(base) {
	case ".c", ".h", ".yaml", ".yml":
		return true
	}
	return base == "Kbuild" || base == "Makefile"
}

// run checks the targets at indexes which, reloading their specs, and
// prints what changed.
func (s *state) run(ctx context.Context, which []int) {
	var ts []check.Target
	for _, i := range which {
		t, err := check.Load(s.targets[i].Dir)
		if err != nil {
			fmt.Fprintf(s.o.Out, "%s: %v\n", s.targets[i].Name, err)
			continue
		}
		t.Name, t.ParamNames = s.targets[i].Name, s.targets[i].ParamNames
		s.targets[i] = t
		ts = append(ts, t)
	}
	if len(ts) == 0 {
		return
	}
	start := time.Now()
	r, err := s.o.Run(ctx, ts)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		fmt.Fprintf(s.o.Out, "%s check: %v\n", time.Now().Format("15:04:05"), err)
		return
	}
	fmt.Fprintf(s.o.Out, "%s checked %s in %.1fs (seed %d)\n", time.Now().Format("15:04:05"), names(ts),
		time.Since(start).Seconds(), r.Seed)
	for _, m := range r.Modules {
		for _, line := range Changes(s.last[m.Name], m) {
			fmt.Fprintln(s.o.Out, line)
		}
		s.last[m.Name] = m
	}
	if s.o.Ran != nil {
		s.o.Ran(r)
	}
}

func names(ts []check.Target) string {
	var n []string
	for _, t := range ts {
		n = append(n, t.Name)
	}
	return strings.Join(n, ", ")
}

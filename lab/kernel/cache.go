package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// readyFile marks a complete cache entry; it is written last.
const readyFile = "ready.json"

// lockPollInterval is how often a waiting caller retries the lock.
const lockPollInterval = 200 * time.Millisecond

// loadReady returns the kernel cached in dir, or nil when dir holds no
// complete entry or the files it names are gone.
func loadReady(dir string) *Kernel {
	data, err := os.ReadFile(filepath.Join(dir, readyFile))
	if err != nil {
		return nil
	}
	var k Kernel
	if err := json.Unmarshal(data, &k); err != nil {
		return nil
	}
	if !exists(k.Image) || !exists(k.BuildDir) || !exists(k.BzImage) {
		return nil
	}
	return &k
}

// writeReady records k in dir as its ready file.
func writeReady(dir string, k *Kernel) error {
	data, err := json.MarshalIndent(k, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", readyFile, err)
	}
	if err := os.WriteFile(filepath.Join(dir, readyFile), append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", readyFile, err)
	}
	return nil
}

// tmpInfix separates a cache entry's name from the random suffix of the
// temp dirs it is built in.
const tmpInfix = ".tmp-"

// buildInto builds a cache entry in a fresh temp dir next to final and
// renames it into place once its ready file is written, so a crash never
// leaves a final dir that looks complete. The caller holds final's lock.
func buildInto(final string, logf func(string, ...any), build func(tmp string) (*Kernel, error)) (*Kernel, error) {
	stuck := removeLeftovers(final, logf)
	defer retryRemove(stuck)
	if err := os.RemoveAll(final); err != nil {
		return nil, fmt.Errorf("remove incomplete %s: %w", final, err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(final), filepath.Base(final)+tmpInfix)
	if err == nil {
		err = os.Chmod(tmp, 0o755)
	}
	if err != nil {
		return nil, fmt.Errorf("create temp dir: %w", err)
	}
	k, err := build(tmp)
	if err == nil {
		err = writeReady(tmp, k)
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return k, nil
}

// removeLeftovers deletes the temp dirs killed runs left next to final and
// returns those it could not: an orphaned child of such a run (tar under
// dpkg-deb) may still be writing one. This run builds in a dir of its own
// meanwhile.
func removeLeftovers(final string, logf func(string, ...any)) []string {
	entries, err := os.ReadDir(filepath.Dir(final))
	if err != nil {
		return nil
	}
	prefix := filepath.Base(final) + tmpInfix
	var stuck []string
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		dir := filepath.Join(filepath.Dir(final), e.Name())
		logf("kernel: removing %s left by an interrupted run", dir)
		if err := os.RemoveAll(dir); err != nil {
			logf("kernel: cannot remove %s yet, will retry: %v", dir, err)
			stuck = append(stuck, dir)
		}
	}
	return stuck
}

// retryRemove makes a last attempt at leftovers; by the end of a build their
// orphaned writers have finished. What still resists waits for the next run.
func retryRemove(dirs []string) {
	for _, dir := range dirs {
		os.RemoveAll(dir)
	}
}

// acquireLock takes an exclusive flock on path, waiting (and saying so once)
// while another process holds it. The returned func releases it.
func acquireLock(ctx context.Context, path, what string, logf func(string, ...any)) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock: %w", err)
	}
	waiting := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if !waiting {
			logf("kernel: waiting for another lkmlab %s", what)
			waiting = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("wait for lock %s: %w", path, ctx.Err())
		case <-time.After(lockPollInterval):
		}
	}
}

// exists reports whether path names something (following symlinks).
func exists(path string) bool {
	if path == "" {
		return false
	}
	_, err := os.Stat(path)
	return err == nil
}

// humanSize formats a byte count in MB, e.g. "84.5 MB".
func humanSize(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// since formats the time elapsed since start, e.g. "1.23s".
func since(start time.Time) string {
	return time.Since(start).Round(10 * time.Millisecond).String()
}

// makeCacheDir creates dir, saying how to choose another cache when this
// user cannot (a service account whose HOME is /nonexistent, say).
func makeCacheDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create cache folder %s: %w: set LKMLAB_CACHE (or XDG_CACHE_HOME, or HOME) to a folder this user can write", dir, err)
	}
	return nil
}

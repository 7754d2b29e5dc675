package grade

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// lockFile, in --out, is held (flock) by the one grade or merge working
// there. Two graders on one folder would write over each other's results
// and class files; the kernel drops the lock when its holder exits, even
// by kill -9, so a lock is never stale.
const lockFile = ".lkmlab-grade.lock"

// outLock is a held lock on an output folder.
type outLock struct{ f *os.File }

// lockOut takes the lock on out, creating the folder, or says who holds
// it. The file keeps the holder's pid, host and start time for that
// message.
func lockOut(out string) (*outLock, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("create output folder: %w", err)
	}
	p := filepath.Join(out, lockFile)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", p, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := readHolder(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("lock %s: another lkmlab grade or merge is working in this folder (%s): wait for it to end, or stop it, or give this run another --out", out, holder)
		}
		return nil, fmt.Errorf("lock %s: %w (its file system must support flock: use a local --out)", p, err)
	}
	host, _ := os.Hostname()
	info := fmt.Sprintf("pid=%d\nhost=%s\nstarted=%s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(info), 0) // only for the message above: the lock is the flock
	}
	return &outLock{f: f}, nil
}

// unlock releases the lock; the file stays (removing it would let a third
// grader lock a new file while a second still waits on the old one).
func (l *outLock) unlock() {
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
}

// readHolder describes the lock's holder from what it wrote, on one line.
func readHolder(f *os.File) string {
	b := make([]byte, 512)
	n, _ := f.ReadAt(b, 0)
	kv := map[string]string{}
	for _, l := range strings.Split(string(b[:n]), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			kv[k] = oneLine(v)
		}
	}
	if kv["pid"] == "" {
		return "holder unknown"
	}
	s := "pid " + kv["pid"]
	if kv["host"] != "" {
		s += " on " + kv["host"]
	}
	if kv["started"] != "" {
		s += ", started " + kv["started"]
	}
	return s
}

package command

import (
	"bytes"
	"io"
	"os"
	"sync"
	"time"
)

// teeInterval is how often output written to a capture file is passed on
// to Options.Output.
const teeInterval = 100 * time.Millisecond

// capture keeps the last bytes of a program's output, from a pipe (ring)
// or from an unlinked temporary file (file).
type capture struct {
	max  int
	tee  io.Writer
	ring *ring
	file *os.File
}

func newCapture(o Options) (*capture, error) {
	c := &capture{max: o.MaxOutput, tee: o.Output}
	if c.max <= 0 {
		c.max = DefaultMaxOutput
	}
	if !o.ThroughFile {
		c.ring = &ring{max: c.max, tee: o.Output}
		return c, nil
	}
	f, err := os.CreateTemp("", "lkmlab-output-")
	if err != nil {
		return nil, err
	}
	// Unlinked at once: nothing is left behind, and the program still
	// writes (and may read back) through the open descriptor.
	_ = os.Remove(f.Name())
	c.file = f
	return c, nil
}

// writer is what the program's stdout and stderr are set to. The same
// *os.File for both makes exec pass one descriptor, shared, with no copying
// goroutine in between.
func (c *capture) writer() io.Writer {
	if c.file != nil {
		return c.file
	}
	return c.ring
}

// startTee passes what the program writes to the file on to Options.Output
// while it runs; the returned func stops it after a last pass.
func (c *capture) startTee() func() {
	if c.file == nil || c.tee == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	var off int64
	pass := func() {
		buf := make([]byte, 64<<10)
		for {
			n, err := c.file.ReadAt(buf, off)
			if n > 0 {
				_, _ = c.tee.Write(buf[:n])
				off += int64(n)
			}
			if err != nil || n == 0 {
				return
			}
		}
	}
	wg.Go(func() {
		t := time.NewTicker(teeInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				pass()
				return
			case <-t.C:
				pass()
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

// bytes returns the last c.max bytes of output.
func (c *capture) bytes() []byte {
	if c.file == nil {
		return c.ring.bytes()
	}
	fi, err := c.file.Stat()
	if err != nil {
		return nil
	}
	start := max(0, fi.Size()-int64(c.max))
	buf := make([]byte, fi.Size()-start)
	n, _ := c.file.ReadAt(buf, start)
	return wholeLines(buf[:n], start > 0)
}

// wholeLines drops the start of b up to its first line break when b was
// cut from a longer output: a line cut in the middle could start inside
// a path (of the grader's work folder) that whole-path scrubbing then
// misses.
func wholeLines(b []byte, cut bool) []byte {
	if !cut {
		return b
	}
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[i+1:]
	}
	return nil
}

func (c *capture) close() {
	if c.file != nil {
		c.file.Close()
	}
}

// ring is an io.Writer that keeps the last max bytes written to it and
// passes everything on to tee.
type ring struct {
	mu  sync.Mutex
	max int
	tee io.Writer
	buf []byte
	// trimmed is set once the start of the output was dropped.
	trimmed bool
}

func (r *ring) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tee != nil {
		_, _ = r.tee.Write(p)
	}
	r.buf = append(r.buf, p...)
	// Trim only past twice the bound, so trimming costs O(1) per byte.
	if len(r.buf) > 2*r.max {
		r.buf = append(r.buf[:0], r.buf[len(r.buf)-r.max:]...)
		r.trimmed = true
	}
	return len(p), nil
}

func (r *ring) bytes() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	start := max(0, len(r.buf)-r.max)
	return append([]byte(nil), wholeLines(r.buf[start:], start > 0 || r.trimmed)...)
}

package debug

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/lkmlab/lkmlab/lab/check"
)

// The gdb process: found, started on its script, and heard from over the
// notify socket (its script says when its breakpoint is armed and when
// the module's symbols are loaded).

// findGDB is the debugger to run.
func findGDB(name string) (string, error) {
	names := []string{"gdb-multiarch", "gdb"}
	if name != "" {
		names = []string{name}
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found: apt-get install gdb (or gdb-multiarch)", names[0])
}

// listen hands on each line a client sends on l.
func listen(l net.Listener) <-chan string {
	out := make(chan string, 4)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			line, _ := bufio.NewReader(c).ReadString('\n')
			c.Close()
			out <- strings.TrimSpace(line)
		}
	}()
	return out
}

// waitFor waits until gdb says want.
func waitFor(ctx context.Context, said <-chan string, done <-chan struct{}, want string) error {
	for {
		select {
		case w := <-said:
			if w == want {
				return nil
			}
		case <-done:
			return errors.New("gdb exited (its messages are above)")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Minute):
			return errors.New("no word from gdb in 2 minutes")
		}
	}
}

// gdbProc is a running gdb.
type gdbProc struct {
	cmd  *exec.Cmd
	done chan struct{}
	werr error
}

func (g *gdbProc) stop() {
	_ = g.cmd.Process.Kill()
	<-g.done
}

func (g *gdbProc) err() error {
	if g.werr != nil {
		return fmt.Errorf("debug: gdb: %w", g.werr)
	}
	return nil
}

// startGDB writes the script and starts gdb on it.
func (s *session) startGDB(m check.SessionModule, notify string) (*gdbProc, error) {
	sc, err := s.script(m, notify)
	if err != nil {
		return nil, err
	}
	text, err := sc.render()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(s.dir, "lkmlab.gdb")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return nil, fmt.Errorf("debug: %w", err)
	}
	args := []string{"-q", "-nx", "-x", path}
	if s.o.Batch {
		args = append([]string{"-batch"}, args...)
		for _, c := range s.o.Commands {
			args = append(args, "-ex", c)
		}
		args = append(args, "-ex", "detach")
	} else {
		// Ctrl-C is gdb's, to stop the guest: not lkmlab's, to end it.
		signal.Ignore(os.Interrupt)
	}
	cmd := exec.Command(s.gdb, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s.o.Stdin, s.o.Stdout, s.o.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("debug: start gdb: %w", err)
	}
	g := &gdbProc{cmd: cmd, done: make(chan struct{})}
	go func() { g.werr = cmd.Wait(); close(g.done) }()
	return g, nil
}

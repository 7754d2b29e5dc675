//go:build unix

package submit

import (
	"net"
	"path/filepath"
	"syscall"
	"testing"
)

// TestStageDirSpecialFiles checks FIFOs and sockets in a directory are
// listed, and never opened (opening a FIFO would block).
func TestStageDirSpecialFiles(t *testing.T) {
	stageCase{
		name: "fifo and socket",
		build: func(t testing.TB, dir string) string {
			src := dirOf("alice", ent{Name: "a.c"})(t, dir)
			if err := syscall.Mkfifo(filepath.Join(src, "pipe"), 0o644); err != nil {
				t.Fatal(err)
			}
			l, err := net.Listen("unix", filepath.Join(src, "sock"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { l.Close() })
			return src
		},
		files:   []string{"a.c"},
		skipped: []string{"pipe: named pipe", "sock: socket"},
	}.run(t)
}

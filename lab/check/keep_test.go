package check

import (
	"os"
	"path/filepath"
	"testing"
)

// TestKeepRestoreNeverWritesIntoASavedGuest: state-N kept in a work folder
// is a hard link to the snapshot restored. A second run in the same folder
// (a rerun, a fallback kernel's run) keeps its own saved guest under the
// same name: the first snapshot must stay as it was (it once received the
// second kernel's guest, and every later restore of it booted that one).
func TestKeepRestoreNeverWritesIntoASavedGuest(t *testing.T) {
	dir := t.TempDir()
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	first, second := filepath.Join(dir, "snap-6.1"), filepath.Join(dir, "snap-5.10")
	os.WriteFile(first, []byte("guest of 6.1"), 0o644)
	os.WriteFile(second, []byte("guest of 5.10"), 0o644)
	rn := &runner{o: Options{WorkDir: work, Logf: t.Logf}, work: work}
	rn.keepRestore(0, first, []byte("{}"))
	rn.keepRestore(0, second, []byte("{}"))
	if b, _ := os.ReadFile(first); string(b) != "guest of 6.1" {
		t.Fatalf("the first saved guest now holds %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(work, "state-0")); string(b) != "guest of 5.10" {
		t.Fatalf("state-0 holds %q, want the second run's guest", b)
	}
	// Across file systems the state is copied: the copy must not write
	// into a file another name shares either.
	if err := copyFile(first, filepath.Join(work, "state-0")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(second); string(b) != "guest of 5.10" {
		t.Fatalf("copying over state-0 changed the guest it linked to: %q", b)
	}
}

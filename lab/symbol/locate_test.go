package symbol

import (
	"context"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// objectSource is hand-written: a relocatable object with a function in
// .text and one in .init.text, laid out like a module's, so that each
// section's addresses start at 0 and only the section tells them apart.
var objectSource = `/* lkmlab symbol test object */
int helper(int x) {
	return x * 3 + 1;
}
__attribute__((section(".init.text"))) int start(void) {
	return helper(2);
}
int big(int x) {
` + strings.Repeat("\tx = x * 3 + helper(x);\n", 40) + `	return x;
}
`

// buildObject compiles objectSource with debug info and returns the
// object and the size of the function named sized.
func buildObject(t *testing.T, sized string) (string, uint64) {
	t.Helper()
	for _, tool := range []string{"gcc", "addr2line"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: apt-get install gcc binutils", tool)
		}
	}
	dir := t.TempDir()
	src, obj := filepath.Join(dir, "m.c"), filepath.Join(dir, "m.o")
	if err := os.WriteFile(src, []byte(objectSource), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("gcc", "-g", "-O0", "-c", src, "-o", obj).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	ef, err := elf.Open(obj)
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	syms, _ := ef.Symbols()
	for _, s := range syms {
		if s.Name == sized {
			return obj, s.Size
		}
	}
	t.Fatalf("no symbol %s", sized)
	return "", 0
}

func TestLocateAll(t *testing.T) {
	obj, size := buildObject(t, "helper")
	frames := []Frame{
		{Func: "helper", Offset: 0},
		{Func: "start", Offset: 0},
		{Func: "helper", Offset: size - 1}, // its ret: the closing brace
		{Func: "nosuch", Offset: 4},
		{Func: "helper", Offset: 0}, // repeated
	}
	locs, err := LocateAll(context.Background(), obj, frames)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		fn   string
		line int
	}{{"helper", 2}, {"start", 5}, {"helper", 4}, {"", 0}, {"helper", 2}} {
		l := locs[i]
		if l.Func != want.fn || l.Line != want.line || (want.line > 0 && filepath.Base(l.File) != "m.c") {
			t.Errorf("frame %v at %v, want %s line %d of m.c", frames[i], l, want.fn, want.line)
		}
	}
	if _, err := Locate(context.Background(), obj, Frame{Func: "nosuch"}); err == nil || !strings.Contains(err.Error(), "no function nosuch") {
		t.Errorf("Locate(nosuch) = %v, want the function named", err)
	}
	if l, err := Locate(context.Background(), obj, Frame{Func: "start"}); err != nil || l.Line != 5 {
		t.Errorf("Locate(start) = %v, %v, want line 5", l, err)
	}
}

func TestLocateAllIsBounded(t *testing.T) {
	obj, size := buildObject(t, "big")
	if size < 2*MaxFrames {
		t.Fatalf("big is %d bytes, want at least %d", size, 2*MaxFrames)
	}
	// Every frame lies inside big, so each has a line: only the bound
	// keeps the later ones from being located.
	var frames []Frame
	for i := range 2 * MaxFrames {
		frames = append(frames, Frame{Func: "helper", Offset: uint64(i % 4)}, Frame{Func: "big", Offset: uint64(i)})
	}
	locs, err := LocateAll(context.Background(), obj, frames)
	if err != nil {
		t.Fatal(err)
	}
	distinct := map[Frame]bool{}
	for i, f := range frames {
		first := !distinct[f]
		distinct[f] = true
		switch {
		case len(distinct) > MaxFrames && first && locs[i].Found():
			t.Errorf("frame %d (%v), past the first %d distinct, was located", i, f, MaxFrames)
		case f.Func == "helper" && !locs[i].Found():
			t.Errorf("frame %d (%v), a repeat of an early frame, was not located", i, f)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LocateAll(ctx, obj, frames); err == nil {
		t.Error("LocateAll with an ended context succeeded")
	}
}

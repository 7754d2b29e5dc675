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

// TestLocateInlined: code inlined from a header is placed in the header,
// with the chain of functions it was inlined into; Within finds the line
// of the module's own file that the inlining came from.
func TestLocateInlined(t *testing.T) {
	for _, tool := range []string{"gcc", "addr2line"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: apt-get install gcc binutils", tool)
		}
	}
	dir := t.TempDir()
	own := filepath.Join(dir, "own")
	for name, text := range map[string]string{
		"inc/inl.h": "int ext(int);\nstatic inline __attribute__((always_inline)) int twice(int x)\n{\n\treturn ext(x) * 2;\n}\n",
		"own/m.c":   "#include \"../inc/inl.h\"\nint caller(int x)\n{\n\tint y = twice(x);\n\treturn y + 1;\n}\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	obj := filepath.Join(own, "m.o")
	if out, err := exec.Command("gcc", "-g", "-O2", "-c", filepath.Join(own, "m.c"), "-o", obj).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	var frames []Frame
	for off := range uint64(16) {
		frames = append(frames, Frame{Func: "caller", Offset: off})
	}
	locs, err := LocateAll(context.Background(), obj, frames)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range locs {
		if filepath.Base(l.File) != "inl.h" {
			continue
		}
		if len(l.Inlined) == 0 || l.Func != "twice" {
			t.Fatalf("inlined code at %v without the chain it was inlined into", l)
		}
		if w := l.Within(own); filepath.Base(w.File) != "m.c" || w.Line != 4 || w.Func != "caller" {
			t.Fatalf("Within(own) of %v = %v, want m.c line 4 (caller)", l, w)
		}
		return
	}
	t.Fatalf("no address of caller lies in twice's inlined code: %v", locs)
}

// TestLocateArm64Module: an arm64 object's line table is relocations the
// host's addr2line cannot apply (it answers "?"); the cross binutils'
// addr2line places the frame.
func TestLocateArm64Module(t *testing.T) {
	for _, tool := range []string{"aarch64-linux-gnu-gcc-12", "aarch64-linux-gnu-addr2line"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: apt-get install gcc-aarch64-linux-gnu (lkmlab setup --for arm64)", tool)
		}
	}
	dir := t.TempDir()
	src, obj := filepath.Join(dir, "m.c"), filepath.Join(dir, "m.o")
	if err := os.WriteFile(src, []byte(objectSource), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("aarch64-linux-gnu-gcc-12", "-g", "-O0", "-c", src, "-o", obj).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	l, err := Locate(context.Background(), obj, Frame{Func: "start", Offset: 4})
	if err != nil || l.Line != 5 || filepath.Base(l.File) != "m.c" {
		t.Fatalf("Locate(start+4) = %v, %v; want m.c line 5", l, err)
	}
}

package kernel

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestDefaultCacheDir(t *testing.T) {
	tests := []struct {
		name              string
		lkmlab, xdg, home string
		want              string
	}{
		{name: "LKMLAB_CACHE wins", lkmlab: "/l", xdg: "/x", home: "/h", want: "/l"},
		{name: "XDG_CACHE_HOME next", xdg: "/x", home: "/h", want: "/x/lkmlab"},
		{name: "relative XDG_CACHE_HOME ignored", xdg: "x", home: "/h", want: "/h/.cache/lkmlab"},
		{name: "HOME last", home: "/h", want: "/h/.cache/lkmlab"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("LKMLAB_CACHE", tc.lkmlab)
			t.Setenv("XDG_CACHE_HOME", tc.xdg)
			t.Setenv("HOME", tc.home)
			if got := DefaultCacheDir(); got != tc.want {
				t.Fatalf("DefaultCacheDir = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOptionsDefaults(t *testing.T) {
	t.Setenv("LKMLAB_DEBIAN_MIRROR", "http://mirror.example/")
	t.Setenv("LKMLAB_CACHE", "rel/cache")
	o, err := Options{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if o.Mirror != "http://mirror.example" {
		t.Errorf("Mirror = %q", o.Mirror)
	}
	if !filepath.IsAbs(o.CacheDir) || !strings.HasSuffix(o.CacheDir, "rel/cache") {
		t.Errorf("CacheDir = %q, want it absolute", o.CacheDir)
	}
	o.Logf("a nil Logf must be replaced: %d", 1)
}

func TestNames(t *testing.T) {
	want := []string{"debian-6.1", "debian-5.10", "debian-6.12", "debian-6.1-arm64", "debian-6.12-arm64", "minimal-6.1", "minimal-debug", "minimal-5.10", "host"}
	if got := Names(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Names = %v, want %v", got, want)
	}
}

func TestResolveUnknownName(t *testing.T) {
	for _, name := range []string{"debian", "debian-4.19", "hostx", "linux"} {
		t.Run(name, func(t *testing.T) {
			_, err := Resolve(context.Background(), name, testOptions(t))
			if err == nil {
				t.Fatal("Resolve accepted an unknown name")
			}
			for _, want := range []string{"unknown kernel", "debian-6.1", "minimal-6.1", "minimal-debug", "minimal,", "host", "IMAGE:KDIR"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}

func TestParsePathName(t *testing.T) {
	colonDir := filepath.Join(t.TempDir(), "a:b")
	os.Mkdir(colonDir, 0o755)
	tests := []struct {
		name      string
		in        string
		image     string
		kdir      string
		wantErr   bool
		isPathArg bool
	}{
		{name: "tree", in: "./linux", kdir: "./linux"},
		{name: "image and kdir", in: "/boot/vmlinuz:/lib/modules/x/build", image: "/boot/vmlinuz", kdir: "/lib/modules/x/build"},
		{name: "relative image and kdir", in: "bzImage:linux", image: "bzImage", kdir: "linux"},
		{name: "existing dir with a colon", in: colonDir, kdir: colonDir},
		{name: "missing image", in: ":/k", wantErr: true},
		{name: "missing kdir", in: "/i:", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !isPathName(tc.in) {
				t.Fatalf("isPathName(%q) = false", tc.in)
			}
			image, kdir, err := parsePathName(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if image != tc.image || kdir != tc.kdir {
				t.Fatalf("parsePathName = %q, %q; want %q, %q", image, kdir, tc.image, tc.kdir)
			}
		})
	}
	for _, name := range []string{"debian-6.1", "host", "linux"} {
		if isPathName(name) {
			t.Errorf("isPathName(%q) = true", name)
		}
	}
}

// makeTree builds a fake kernel tree; parts choose which files it has.
func makeTree(t *testing.T, parts ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, part := range parts {
		switch part {
		case "Makefile":
			writeFile(t, dir, "Makefile", []byte("all:\n"))
		case "bzImage":
			writeFile(t, dir, treeBzImage, gzipBzImage(t, pvhELF(t)))
		case "release":
			writeFile(t, dir, releaseFile, []byte("6.12.0-tree\n"))
		case "vmlinux-pvh":
			writeFile(t, dir, "vmlinux", pvhELF(t))
		case "vmlinux-plain":
			writeFile(t, dir, "vmlinux", plainELF(t))
		}
	}
	return dir
}

func TestResolveTree(t *testing.T) {
	tests := []struct {
		name      string
		parts     []string
		wantImage string // relative to the tree
		wantID    string // the vmlinux's build-id
		wantErr   string
	}{
		{name: "vmlinux with PVH", parts: []string{"Makefile", "bzImage", "release", "vmlinux-pvh"}, wantImage: "vmlinux"},
		{name: "vmlinux without PVH", parts: []string{"Makefile", "bzImage", "release", "vmlinux-plain"}, wantImage: treeBzImage,
			wantID: "00000001"},
		{name: "no vmlinux", parts: []string{"Makefile", "bzImage", "release"}, wantImage: treeBzImage},
		{name: "no bzImage", parts: []string{"Makefile", "release"}, wantErr: "make bzImage"},
		{name: "no Makefile", parts: []string{"bzImage", "release"}, wantErr: "no Makefile"},
		{name: "no release", parts: []string{"Makefile", "bzImage"}, wantErr: releaseFile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := makeTree(t, tc.parts...)
			k, err := Resolve(context.Background(), dir+"/", testOptions(t))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := &Kernel{Name: dir + "/", Release: "6.12.0-tree", Image: filepath.Join(dir, tc.wantImage),
				BzImage: filepath.Join(dir, treeBzImage), BuildDir: dir, Source: "kernel tree " + dir, BuildID: tc.wantID, Arch: AMD64}
			if !reflect.DeepEqual(k, want) {
				t.Fatalf("Resolve = %+v, want %+v", k, want)
			}
		})
	}
}

func TestResolveImageKDIR(t *testing.T) {
	tree := makeTree(t, "Makefile", "release")
	bare := makeTree(t, "Makefile")
	images := t.TempDir()
	bz := writeFile(t, images, "bzImage", gzipBzImage(t, pvhELF(t)))
	elfImage := writeFile(t, images, "vmlinux", pvhELF(t))
	tests := []struct {
		name        string
		in          string
		wantRelease string
		wantErr     string
	}{
		{name: "release from bzImage", in: bz + ":" + tree, wantRelease: testRelease},
		{name: "release from tree", in: elfImage + ":" + tree, wantRelease: "6.12.0-tree"},
		{name: "no release anywhere", in: elfImage + ":" + bare, wantErr: releaseFile},
		{name: "missing image", in: images + "/nope:" + tree, wantErr: "read kernel image"},
		{name: "kdir without Makefile", in: bz + ":" + images, wantErr: "no Makefile"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, err := Resolve(context.Background(), tc.in, testOptions(t))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if k.Release != tc.wantRelease || k.BuildDir != tree || k.ModulesDir != "" {
				t.Fatalf("Resolve = %+v", k)
			}
		})
	}
}

// fakeHost lays out a host kernel in a temp dir.
func fakeHost(t *testing.T, image []byte, withBuild bool) hostLayout {
	root := t.TempDir()
	l := hostLayout{
		release:    "6.8.0-1-generic",
		image:      filepath.Join(root, "boot/vmlinuz-6.8.0-1-generic"),
		buildDir:   filepath.Join(root, "lib/modules/6.8.0-1-generic/build"),
		modulesDir: filepath.Join(root, "lib/modules/6.8.0-1-generic"),
	}
	if image != nil {
		writeFile(t, root, "boot/vmlinuz-6.8.0-1-generic", image)
	}
	if withBuild {
		os.MkdirAll(l.buildDir, 0o755)
	}
	return l
}

func TestResolveHostLayout(t *testing.T) {
	ctx := context.Background()
	t.Run("PVH vmlinux is extracted once", func(t *testing.T) {
		l := fakeHost(t, gzipBzImage(t, pvhELF(t)), true)
		o, _ := testOptions(t).withDefaults()
		k, err := resolveHostLayout(ctx, l, o)
		if err != nil {
			t.Fatal(err)
		}
		final := filepath.Join(o.CacheDir, "kernels", "host-6.8.0-1-generic")
		want := &Kernel{Name: "host", Release: l.release, Image: filepath.Join(final, "vmlinux"),
			BzImage: l.image, BuildDir: l.buildDir, ModulesDir: l.modulesDir, Source: "host " + l.image}
		if !reflect.DeepEqual(k, want) {
			t.Fatalf("kernel = %+v, want %+v", k, want)
		}
		before, _ := os.Stat(filepath.Join(final, readyFile))
		again, err := resolveHostLayout(ctx, l, o)
		after, _ := os.Stat(filepath.Join(final, readyFile))
		if err != nil || !reflect.DeepEqual(again, want) || !before.ModTime().Equal(after.ModTime()) {
			t.Fatalf("second resolve = %+v, %v; ready.json rewritten: %v", again, err, !before.ModTime().Equal(after.ModTime()))
		}
	})
	t.Run("no PVH boots the bzImage", func(t *testing.T) {
		l := fakeHost(t, gzipBzImage(t, plainELF(t)), true)
		k, err := resolveHostLayout(ctx, l, mustDefaults(t))
		if err != nil || k.Image != l.image {
			t.Fatalf("kernel = %+v, %v; want Image %s", k, err, l.image)
		}
	})
	errTests := []struct {
		name      string
		image     []byte
		withBuild bool
		wantErr   string
	}{
		{name: "missing image", withBuild: true, wantErr: "use --kernel debian-6.1"},
		{name: "missing headers", image: gzipBzImage(t, pvhELF(t)), wantErr: "apt-get install linux-headers-6.8.0-1-generic"},
		{name: "not a bzImage", image: []byte("garbage"), withBuild: true, wantErr: "not a bzImage"},
	}
	for _, tc := range errTests {
		t.Run(tc.name, func(t *testing.T) {
			l := fakeHost(t, tc.image, tc.withBuild)
			_, err := resolveHostLayout(ctx, l, mustDefaults(t))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
	t.Run("unreadable image", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root reads mode 0000 files")
		}
		l := fakeHost(t, gzipBzImage(t, pvhELF(t)), true)
		os.Chmod(l.image, 0)
		_, err := resolveHostLayout(ctx, l, mustDefaults(t))
		if err == nil || !strings.Contains(err.Error(), "sudo chmod 0644 "+l.image) {
			t.Fatalf("err = %v, want the chmod advice", err)
		}
	})
}

// mustDefaults is testOptions with defaults filled in.
func mustDefaults(t *testing.T) Options {
	o, err := testOptions(t).withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestBuildInto(t *testing.T) {
	final := filepath.Join(t.TempDir(), "k")
	writeFile(t, final+tmpInfix+"123", "junk", []byte("from a killed run"))
	var logs []string
	logf := func(f string, a ...any) { logs = append(logs, f) }
	build := func(tmp string) (*Kernel, error) {
		if exists(filepath.Join(tmp, "junk")) {
			t.Error("leftover temp dir was reused")
		}
		writeFile(t, tmp, "vmlinux", []byte("x"))
		writeFile(t, tmp, "bzImage", []byte("x"))
		return &Kernel{Name: "n", Image: filepath.Join(final, "vmlinux"), BzImage: filepath.Join(final, "bzImage"), BuildDir: final}, nil
	}
	k, err := buildInto(final, logf, build)
	if err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(final + tmpInfix + "*"); len(left) > 0 || !exists(filepath.Join(final, readyFile)) {
		t.Fatalf("temp dirs %q left, or final lacks its ready file", left)
	}
	if got := loadReady(final); !reflect.DeepEqual(got, k) {
		t.Fatalf("loadReady = %+v, want %+v", got, k)
	}
	if len(logs) == 0 || !strings.Contains(logs[0], "interrupted") {
		t.Errorf("logs = %q, want a note about the leftover", logs)
	}

	failed := filepath.Join(t.TempDir(), "f")
	_, err = buildInto(failed, logf, func(string) (*Kernel, error) { return nil, errors.New("boom") })
	left, _ := filepath.Glob(failed + tmpInfix + "*")
	if err == nil || exists(failed) || len(left) > 0 {
		t.Fatalf("failed build: err %v, final exists %v, temp dirs left %q", err, exists(failed), left)
	}
}

func TestAcquireLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.lock")
	var mu sync.Mutex
	var logs []string
	logf := func(f string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		logs = append(logs, f)
	}
	release, err := acquireLock(context.Background(), path, "fetching debian-6.1", logf)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := acquireLock(ctx, path, "fetching debian-6.1", logf); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second lock err = %v, want a deadline", err)
	}
	if len(logs) != 1 || !strings.Contains(logs[0], "waiting for another lkmlab") {
		t.Fatalf("logs = %q, want one waiting line", logs)
	}
	done := make(chan error)
	go func() {
		r, err := acquireLock(context.Background(), path, "fetching debian-6.1", logf)
		if err == nil {
			r()
		}
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	release()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("waiter did not get the lock after release")
	}
}

func TestCachedDebian(t *testing.T) {
	pin := debianPins[DefaultName]
	t.Run("pin", func(t *testing.T) {
		o := mustDefaults(t)
		want := fakeReady(t, o, pin.dirName())
		// A cached kernel is found without the network: a mirror that
		// refuses every connection must not matter.
		o.Mirror = "http://127.0.0.1:1"
		k, err := Resolve(context.Background(), "", o)
		if err != nil || !reflect.DeepEqual(k, want) {
			t.Fatalf("Resolve = %+v, %v; want %+v", k, err, want)
		}
	})
	t.Run("fallback", func(t *testing.T) {
		o := mustDefaults(t)
		var logs []string
		o.Logf = func(f string, a ...any) { logs = append(logs, f) }
		alt := pin
		alt.ABI = pin.ABI + "0" // an ABI past the pin, whatever it is
		want := fakeReady(t, o, alt.dirName())
		if err := writeFallback(o.kernelsDir(), pin, alt); err != nil {
			t.Fatal(err)
		}
		k, err := Resolve(context.Background(), DefaultName, o)
		if err != nil || !reflect.DeepEqual(k, want) {
			t.Fatalf("Resolve = %+v, %v; want %+v", k, err, want)
		}
		if len(logs) != 1 || !strings.Contains(logs[0], "WARNING") || !strings.Contains(logs[0], "update the pin") {
			t.Fatalf("logs = %q, want a warning to update the pin", logs)
		}
	})
}

// fakeReady writes a complete cache entry named dir and returns its kernel.
func fakeReady(t *testing.T, o Options, dir string) *Kernel {
	final := filepath.Join(o.kernelsDir(), dir)
	k := &Kernel{Name: DefaultName, Release: "r", Image: writeFile(t, final, "vmlinux", []byte("x")),
		BzImage: writeFile(t, final, "bzImage", []byte("x")), BuildDir: filepath.Join(final, "root"), Source: "test", Arch: AMD64}
	os.MkdirAll(k.BuildDir, 0o755)
	if err := writeReady(final, k); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestCheckCachePath(t *testing.T) {
	for _, dir := range []string{"/home/a b/.cache", `/x"y`, "/a:b"} {
		if err := checkCachePath(dir); err == nil || !strings.Contains(err.Error(), "LKMLAB_CACHE") {
			t.Errorf("checkCachePath(%q) = %v, want advice to set LKMLAB_CACHE", dir, err)
		}
	}
	if err := checkCachePath("/root/.cache/lkmlab-1.0_x"); err != nil {
		t.Error(err)
	}
}

func TestSourcesListHasNoBackportsSecurity(t *testing.T) {
	got := sourcesList("http://m", "/k.gpg", []string{"bookworm", "bookworm-backports"})
	want := "deb [signed-by=/k.gpg] http://m/debian bookworm main\n" +
		"deb [signed-by=/k.gpg] http://m/debian-security bookworm-security main\n" +
		"deb [signed-by=/k.gpg] http://m/debian bookworm-backports main\n"
	if got != want {
		t.Fatalf("sources.list:\n%s\nwant:\n%s", got, want)
	}
}

func TestListShowsWhatIsCached(t *testing.T) {
	o := mustDefaults(t)
	pin := debianPins[DefaultName]
	fakeReady(t, o, pin.dirName())
	es, err := List(o)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name)
		if e.Cached != (e.Name == DefaultName) {
			t.Errorf("%s: Cached = %v", e.Name, e.Cached)
		}
	}
	if !reflect.DeepEqual(names, Names()) {
		t.Fatalf("List names = %v, want Names() = %v", names, Names())
	}
}

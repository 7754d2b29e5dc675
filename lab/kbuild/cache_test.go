package kbuild

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestCacheKeyFollowsWhatTheBuildReads(t *testing.T) {
	src, kdir := t.TempDir(), t.TempDir()
	write := func(dir, name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(src, "m.c", "int x;")
	write(src, "Kbuild", "obj-m := m.o")
	write(kdir, ".config", "CONFIG_A=y")
	write(kdir, "Makefile", "all:")
	key := func() string {
		k, err := cacheKey(src, kdir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	base := key()
	write(src, "README", "notes") // not read by Kbuild
	write(src, "m.o", "stale object")
	if key() != base {
		t.Fatal("files the build does not read changed the key")
	}
	write(src, "m.c", "int y;")
	edited := key()
	if edited == base {
		t.Fatal("an edited source kept the key")
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(kdir, ".config"), later, later); err != nil {
		t.Fatal(err)
	}
	if key() == edited {
		t.Fatal("a rebuilt kernel tree kept the key")
	}
	if k, _ := cacheKey(src, kdir, Options{ExtraArgs: []string{"W=1"}}); k == key() {
		t.Fatal("other make arguments kept the key")
	}
}

func TestCacheStoreAndLookup(t *testing.T) {
	dir, built := t.TempDir(), t.TempDir()
	ko := filepath.Join(built, "m.ko")
	if err := os.WriteFile(ko, []byte("\x7fELF"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := cacheLookup(dir, "k"); ok {
		t.Fatal("empty cache hit")
	}
	cacheStore(dir, "k", &Module{Name: "m", KO: ko, Dir: built})
	c, ok := cacheLookup(dir, "k")
	if !ok || c.built != built || filepath.Base(c.ko) != "m.ko" {
		t.Fatalf("lookup = %+v, %v", c, ok)
	}
}

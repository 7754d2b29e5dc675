package kernel

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnwritableCacheNamesTheFix(t *testing.T) {
	o := Options{CacheDir: filepath.Join(writeFile(t, t.TempDir(), "file", []byte("x")), "cache")}
	_, err := Resolve(context.Background(), DefaultName, o)
	if err == nil || !strings.Contains(err.Error(), "LKMLAB_CACHE") {
		t.Fatalf("Resolve with a cache under a file: %v, want advice to set LKMLAB_CACHE", err)
	}
}

package kbuild

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// BuildAll builds several module folders. When every folder can be built
// directly (one obj-m line, see direct.go), it builds each on its own, in
// parallel. Otherwise it first tries one Kbuild run over all of them (a
// top Kbuild that descends into each folder), which pays Kbuild's fixed
// cost once; if that fails, it builds each folder on its own, in
// parallel, so every error lands on the module that caused it.
// mods[i] is nil exactly when errs[i] is set.
func BuildAll(ctx context.Context, srcDirs []string, kdir string, opts Options) (mods []*Module, errs []error) {
	mods, errs = make([]*Module, len(srcDirs)), make([]error, len(srcDirs))
	keys := make([]string, len(srcDirs))
	var todo []int // not in the cache
	for i, d := range srcDirs {
		if opts.Cache != "" {
			if k, err := cacheKey(d, kdir, opts); err == nil {
				keys[i] = k
				if c, ok := cacheLookup(opts.Cache, k); ok {
					mods[i] = &Module{Name: filepath.Base(filepath.Clean(d)), KO: c.ko, Dir: c.built, Cached: true}
					continue
				}
			}
		}
		todo = append(todo, i)
	}
	dirs := make([]string, len(todo))
	for j, i := range todo {
		dirs[j] = srcDirs[i]
	}
	bm, be := buildUncached(ctx, dirs, kdir, opts)
	for j, i := range todo {
		mods[i], errs[i] = bm[j], be[j]
		if mods[i] != nil && keys[i] != "" {
			cacheStore(opts.Cache, keys[i], mods[i])
		}
	}
	return mods, errs
}

// buildUncached builds each module directly (in parallel) when every one
// can be, else all in one make run when their names differ, else each
// with make.
func buildUncached(ctx context.Context, srcDirs []string, kdir string, opts Options) ([]*Module, []error) {
	if len(srcDirs) > 1 && distinctNames(srcDirs) && !allDirect(srcDirs) {
		if mods, err := buildTogether(ctx, srcDirs, kdir, opts); err == nil {
			return mods, make([]error, len(srcDirs))
		}
	}
	return buildEach(ctx, srcDirs, kdir, opts)
}

func allDirect(dirs []string) bool {
	for _, d := range dirs {
		if _, ok := directName(d); !ok {
			return false
		}
	}
	return true
}

func distinctNames(dirs []string) bool {
	seen := map[string]bool{}
	for _, d := range dirs {
		n := filepath.Base(filepath.Clean(d))
		if seen[n] {
			return false
		}
		seen[n] = true
	}
	return true
}

func buildTogether(ctx context.Context, srcDirs []string, kdir string, opts Options) ([]*Module, error) {
	root, err := os.MkdirTemp(opts.WorkDir, "all-")
	if err != nil {
		return nil, err
	}
	var top strings.Builder
	for _, d := range srcDirs {
		name := filepath.Base(filepath.Clean(d))
		if err := copySources(d, filepath.Join(root, name)); err != nil {
			return nil, err
		}
		fmt.Fprintf(&top, "obj-m += %s/\n", name)
	}
	if err := os.WriteFile(filepath.Join(root, "Kbuild"), []byte(top.String()), 0o644); err != nil {
		return nil, err
	}
	o := opts
	o.ExtraArgs = append([]string{"-j" + strconv.Itoa(runtime.NumCPU())}, opts.ExtraArgs...)
	if err := runMake(ctx, makeJob{root, root, kdir}, o); err != nil {
		return nil, err
	}
	mods := make([]*Module, len(srcDirs))
	for i, d := range srcDirs {
		name := filepath.Base(filepath.Clean(d))
		kos, _ := filepath.Glob(filepath.Join(root, name, "*.ko"))
		if len(kos) != 1 {
			return nil, fmt.Errorf("build %s: %d .ko files", name, len(kos))
		}
		mods[i] = &Module{Name: name, KO: kos[0], Dir: filepath.Join(root, name)}
	}
	return mods, nil
}

func buildEach(ctx context.Context, srcDirs []string, kdir string, opts Options) ([]*Module, []error) {
	mods := make([]*Module, len(srcDirs))
	errs := make([]error, len(srcDirs))
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for i, d := range srcDirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			o := opts
			if w, err := os.MkdirTemp(opts.WorkDir, "one-"); err == nil {
				o.WorkDir = w
			}
			mods[i], errs[i] = Build(ctx, d, kdir, o)
		}()
	}
	wg.Wait()
	return mods, errs
}

package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/kbuild"
	"github.com/lkmlab/lkmlab/lab/kernel"
)

// cmdBuild compiles modules without booting anything, as the seed's
// `make` does; KDIR overrides the kernel.
func cmdBuild(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	kname := fs.String("kernel", "", "kernel whose build tree to use (default debian-6.1)")
	kdir := fs.String("kdir", "", "kernel build tree, as in make -C KDIR; overrides --kernel")
	modules := fs.String("modules", "modules", "folder holding one folder per module")
	out := fs.String("out", "out/modules", "where the .ko files go")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	targets, err := check.LoadAll(*modules, fs.Args())
	if err != nil {
		return err
	}
	dir := *kdir
	if dir == "" {
		k, err := kernel.Resolve(ctx, *kname, kernel.Options{Logf: progress()})
		if err != nil {
			return err
		}
		dir = k.BuildDir
	}
	abs, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	failed := 0
	for _, t := range targets {
		m, err := kbuild.Build(ctx, t.Dir, dir, kbuild.Options{WorkDir: abs})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			failed++
			continue
		}
		fmt.Println(m.KO)
	}
	if failed > 0 {
		return fmt.Errorf("build: %d of %d modules failed: %w", failed, len(targets), errCheckFailed)
	}
	return nil
}

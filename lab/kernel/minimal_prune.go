package kernel

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// moduleCheckDir is the scratch folder, under a build's dir, of the module
// built to prove the pruned tree still builds modules.
const moduleCheckDir = "modcheck"

// keepObjects are the folders of the build tree whose objects external
// module builds still use: the host programs (modpost, fixdep) and objtool.
var keepObjects = []string{"scripts", "tools"}

// probeModule is the module built against the pruned tree.
var probeModule = map[string]string{
	"Kbuild": "obj-m := lkmlab_probe.o\n",
	"lkmlab_probe.c": `// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>
#include <linux/module.h>

static int __init probe_init(void)
{
	pr_info("lkmlab probe loaded\n");
	return 0;
}

static void __exit probe_exit(void)
{
}

module_init(probe_init);
module_exit(probe_exit);
MODULE_LICENSE("GPL");
`,
}

// prune deletes what only the kernel's own build needed (objects and
// their .cmd files, the temporary kallsyms links), keeping what external
// module builds use.
func (b *minimalBuild) prune(context.Context) error {
	before := diskUsage(b.outDir())
	if err := pruneTree(b.outDir()); err != nil {
		return err
	}
	after := diskUsage(b.outDir())
	b.o.Logf("kernel: pruned the build tree from %s to %s", humanSize(before), humanSize(after))
	return nil
}

// pruneTree removes from out the files prunable says go.
func pruneTree(out string) error {
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		if d.IsDir() {
			for _, keep := range keepObjects {
				if rel == keep {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if d.Type().IsRegular() && prunable(d.Name()) {
			return os.Remove(path)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("prune build tree: %w", err)
	}
	return nil
}

// prunable reports whether a build tree file is only of use to the
// kernel's own build.
func prunable(name string) bool {
	return strings.HasSuffix(name, ".o") ||
		(strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".cmd")) ||
		strings.HasPrefix(name, ".tmp_vmlinux")
}

// checkModuleBuild builds a module against the pruned tree, so a prune
// that removed too much fails here rather than in every later check.
func (b *minimalBuild) checkModuleBuild(ctx context.Context) error {
	start := time.Now()
	dir := filepath.Join(b.dir, moduleCheckDir)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return fmt.Errorf("create module check dir: %w", err)
	}
	defer os.RemoveAll(dir)
	for name, content := range probeModule {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return fmt.Errorf("write probe module: %w", err)
		}
	}
	if err := b.step(ctx, "build a module against the pruned tree", dir, nil,
		makeArgs("-C", b.outDir(), "M="+dir, "modules")...); err != nil {
		return err
	}
	if !exists(filepath.Join(dir, "lkmlab_probe.ko")) {
		return fmt.Errorf("build a module against the pruned tree: make made no lkmlab_probe.ko (full log: %s)", b.logPath())
	}
	b.o.Logf("kernel: a module builds against %s (%s)", b.outDir(), since(start))
	return nil
}

package kernel

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// maxLinkProblems is how many bad symlinks an error quotes.
const maxLinkProblems = 3

// unpackDebs extracts every .deb in debDir into root.
func unpackDebs(ctx context.Context, debDir, root string) error {
	debs, err := filepath.Glob(filepath.Join(debDir, "*.deb"))
	if err != nil {
		return fmt.Errorf("list packages: %w", err)
	}
	for _, deb := range debs {
		if _, err := run(ctx, command{argv: []string{"dpkg-deb", "-x", deb, root}}); err != nil {
			return fmt.Errorf("unpack %s: %w", filepath.Base(deb), err)
		}
	}
	return nil
}

// rewriteHeadersMakefile points the absolute includes of the headers
// Makefile (Debian's "include /usr/src/linux-headers-<abi>-common/Makefile")
// at the unpacked tree. tmpRoot is where the tree is now, finalRoot where it
// will be once renamed into place; the Makefile must name the latter.
func rewriteHeadersMakefile(tmpRoot, finalRoot, buildRel string) error {
	path := filepath.Join(tmpRoot, buildRel, "Makefile")
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read headers Makefile: %w", err)
	}
	out, included := rewriteIncludes(src, finalRoot)
	if len(included) == 0 {
		return fmt.Errorf("headers Makefile %s has no absolute include: the Debian headers package changed layout", path)
	}
	for _, inc := range included {
		if !exists(filepath.Join(tmpRoot, inc)) {
			return fmt.Errorf("headers Makefile includes %s, which no unpacked package provides", inc)
		}
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return fmt.Errorf("write headers Makefile: %w", err)
	}
	return nil
}

// rewriteIncludes prefixes root to the path of every "include /abs/path"
// line and returns the new text and the original included paths.
func rewriteIncludes(src []byte, root string) ([]byte, []string) {
	var out bytes.Buffer
	var included []string
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "include /"); ok {
			inc := "/" + strings.TrimSpace(rest)
			included = append(included, inc)
			line = "include " + filepath.Join(root, inc)
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return out.Bytes(), included
}

// fixSymlinks rewrites absolute symlinks under root (such as
// lib/modules/<rel>/build -> /usr/src/...) to relative ones pointing at the
// same path inside root, then checks that every symlink resolves to an
// existing file inside root.
func fixSymlinks(root string) error {
	var problems []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink == 0 {
			return err
		}
		problem, err := fixSymlink(root, path)
		if problem != "" {
			problems = append(problems, problem)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("walk unpacked tree: %w", err)
	}
	if len(problems) > 0 {
		shown := problems[:min(len(problems), maxLinkProblems)]
		return fmt.Errorf("unpacked tree has %d symlinks that do not resolve inside it (%s): the Debian packages changed layout",
			len(problems), strings.Join(shown, ", "))
	}
	return nil
}

// fixSymlink makes one symlink relative if needed and returns a description
// of it when it escapes root or dangles.
func fixSymlink(root, path string) (string, error) {
	target, err := os.Readlink(path)
	if err != nil {
		return "", err
	}
	if filepath.IsAbs(target) {
		rel, err := filepath.Rel(filepath.Dir(path), filepath.Join(root, target))
		if err != nil {
			return "", err
		}
		if err := replaceSymlink(path, rel); err != nil {
			return "", err
		}
		target = rel
	}
	resolved := filepath.Join(filepath.Dir(path), target)
	inside := strings.HasPrefix(resolved, root+string(filepath.Separator))
	if !inside || !exists(path) {
		relPath, _ := filepath.Rel(root, path)
		return relPath + " -> " + target, nil
	}
	return "", nil
}

// replaceSymlink points the symlink at path to target.
func replaceSymlink(path, target string) error {
	if err := os.Remove(path); err != nil {
		return err
	}
	return os.Symlink(target, path)
}

// checkUnpacked verifies the files a Kernel needs are in the unpacked tree.
func checkUnpacked(root string, need ...string) error {
	for _, rel := range need {
		if !exists(filepath.Join(root, rel)) {
			return fmt.Errorf("unpacked packages lack %s: the Debian packages changed layout", rel)
		}
	}
	return nil
}

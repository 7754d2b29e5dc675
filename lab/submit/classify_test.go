package submit

import "testing"

// TestClassify checks what staging does with each kind of file a student
// repository holds, by its path alone.
func TestClassify(t *testing.T) {
	for _, c := range []struct {
		rel    string
		group  group
		label  string
		source bool // staged and counted toward the limits
	}{
		{rel: "heap/lkm2.c", source: true},
		{rel: "heap/lkm2.h", source: true},
		{rel: "heap/Makefile", source: true},
		{rel: "Kbuild", source: true},
		{rel: "Q1/MAIN.C", source: true},
		{rel: "README.md"},
		{rel: "notes.txt"},
		{rel: "run.sh"},
		{rel: ".clang-format"},
		{rel: "x/.git/objects/ab/cd", group: groupVCS, label: ".git/"},
		{rel: ".gitignore", group: groupVCS, label: ".gitignore"},
		{rel: "sub/.git", group: groupVCS, label: ".git"},
		{rel: ".vscode/settings.json", group: groupEditor, label: ".vscode/"},
		{rel: "heap/.vscode/heap.c", group: groupEditor, label: ".vscode/"},
		{rel: "heap/lkm2.c~", group: groupEditor, label: "*~"},
		{rel: "heap/.lkm2.c.swp", group: groupEditor, label: "*.swp"},
		{rel: "compile_commands.json", group: groupEditor, label: "compile_commands.json"},
		{rel: "__MACOSX/heap/._lkm2.c", group: groupMac, label: "__MACOSX/"},
		{rel: "heap/._lkm2.c", group: groupMac, label: "._*"},
		{rel: "heap/.DS_Store", group: groupMac, label: ".DS_Store"},
		{rel: "heap/lkm2.mod.c", group: groupBuild, label: "*.mod.c"},
		{rel: "heap/lkm2.o", group: groupBuild, label: "*.o"},
		{rel: "heap/lkm2.ko", group: groupBuild, label: "*.ko"},
		{rel: "heap/lkm2.mod", group: groupBuild, label: "*.mod"},
		{rel: "heap/.lkm2.o.cmd", group: groupBuild, label: ".*.cmd"},
		{rel: "heap/.lkm2.o.d", group: groupBuild, label: ".*.d"},
		{rel: "heap/modules.order", group: groupBuild, label: "modules.order"},
		{rel: "heap/Module.symvers", group: groupBuild, label: "Module.symvers"},
		{rel: "heap/.tmp_versions/lkm2.mod", group: groupBuild, label: ".tmp_versions/"},
		{rel: "test/a.out", group: groupBuild, label: "a.out"},
		{rel: "Screenshot 2024-03-01.PNG", group: groupMedia, label: "*.png"},
		{rel: "report.pdf", group: groupMedia, label: "*.pdf"},
		{rel: "old.zip", group: groupMedia, label: "*.zip"},
	} {
		g, label := skipDir(c.rel)
		if g == groupNone {
			g, label = skipFile(c.rel)
		}
		if g != c.group || label != c.label {
			t.Errorf("%s: group %d %q, want %d %q", c.rel, g, label, c.group, c.label)
		}
		if g == groupNone && isSource(c.rel) != c.source {
			t.Errorf("%s: isSource = %v, want %v", c.rel, !c.source, c.source)
		}
	}
}

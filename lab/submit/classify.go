package submit

import (
	"path"
	"strings"
)

// group is a kind of content staging leaves out without reading it, or
// without reading more than its first bytes: it is reported as one
// counted line ("312 version control files not staged (.git/)") rather
// than a line per file, because nobody needs to hear about each one.
type group int

const (
	groupNone    group = iota
	groupOutside       // outside Options.Subdir
	groupVCS           // .git/ and the like
	groupEditor        // .vscode/, *.swp and the like
	groupMac           // __MACOSX/, .DS_Store, ._* files
	groupBuild         // *.o, *.ko, modules.order and the like
	groupMedia         // images, documents, archives
	groupBinary        // files whose first bytes hold a NUL
	groupSpare         // text files past the reference budget
	groupListed        // individual lines past maxListed
	numGroups
)

// groupNouns are each group's noun, singular and plural, for its line.
var groupNouns = [numGroups][2]string{
	groupVCS:     {"version control file", "version control files"},
	groupEditor:  {"editor or tool file", "editor and tool files"},
	groupMac:     {"macOS metadata file", "macOS metadata files"},
	groupBuild:   {"build product", "build products"},
	groupMedia:   {"image, document or archive", "images, documents and archives"},
	groupBinary:  {"binary file", "binary files"},
	groupOutside: {"file", "files"}, // "outside lab2/" is added
	groupSpare:   {"other file past the limits", "other files past the limits"},
	groupListed:  {"more entry left out", "more entries left out"},
}

// Folders whose whole content is skipped, by group. Compared exactly:
// these are tools' names, not people's.
var skipDirs = map[string]group{
	".git": groupVCS, ".svn": groupVCS, ".hg": groupVCS, ".bzr": groupVCS, "CVS": groupVCS, "_darcs": groupVCS, ".jj": groupVCS,
	".vscode": groupEditor, ".idea": groupEditor, ".vs": groupEditor, ".history": groupEditor, ".settings": groupEditor,
	".cache": groupEditor, ".ccls-cache": groupEditor, ".clangd": groupEditor, ".devcontainer": groupEditor,
	".fleet": groupEditor, "node_modules": groupEditor, "__pycache__": groupEditor, ".venv": groupEditor,
	"__MACOSX": groupMac, ".Spotlight-V100": groupMac, ".Trashes": groupMac, ".fseventsd": groupMac,
	".tmp_versions": groupBuild,
}

// Files skipped by exact base name.
var skipNames = map[string]group{
	".git": groupVCS, ".gitignore": groupVCS, ".gitattributes": groupVCS, ".gitmodules": groupVCS, ".gitkeep": groupVCS,
	".hgignore": groupVCS, ".mailmap": groupVCS,
	"compile_commands.json": groupEditor, ".project": groupEditor, ".cproject": groupEditor, "tags": groupEditor,
	"TAGS": groupEditor, "GPATH": groupEditor, "GRTAGS": groupEditor, "GTAGS": groupEditor,
	".DS_Store":     groupMac,
	"modules.order": groupBuild, "Module.symvers": groupBuild, "Module.markers": groupBuild, ".cache.mk": groupBuild,
	"a.out": groupBuild,
}

// skipSuffix is a base-name ending skipped, with the label its group's
// line shows.
type skipSuffix struct {
	suffix string
	group  group
	label  string
}

// skipSuffixes are tried in order on the lower-cased base name, so the
// longer "*.mod.c" is found before a source's ".c" could claim it.
var skipSuffixes = []skipSuffix{
	{".mod.c", groupBuild, "*.mod.c"}, {".mod.o", groupBuild, "*.mod.o"}, {".mod", groupBuild, "*.mod"},
	{".o", groupBuild, "*.o"}, {".ko", groupBuild, "*.ko"}, {".a", groupBuild, "*.a"}, {".so", groupBuild, "*.so"},
	{".order", groupBuild, "*.order"}, {".symvers", groupBuild, "*.symvers"}, {".dwo", groupBuild, "*.dwo"},
	{".i", groupBuild, "*.i"}, {".obj", groupBuild, "*.obj"}, {".exe", groupBuild, "*.exe"}, {".out", groupBuild, "*.out"},
	{".swp", groupEditor, "*.swp"}, {".swo", groupEditor, "*.swo"}, {".orig", groupEditor, "*.orig"},
	{".rej", groupEditor, "*.rej"}, {".code-workspace", groupEditor, "*.code-workspace"}, {"~", groupEditor, "*~"},
}

// mediaSuffixes are images, documents and archives, by lower-cased
// extension; their line shows "*" + the extension.
var mediaSuffixes = toSet(".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".heic", ".tif", ".tiff", ".ico", ".svg",
	".psd", ".pdf", ".doc", ".docx", ".odt", ".rtf", ".ppt", ".pptx", ".odp", ".xls", ".xlsx", ".ods", ".key", ".pages",
	".mp4", ".mov", ".mkv", ".webm", ".avi", ".mp3", ".wav", ".zip", ".tar", ".gz", ".tgz", ".xz", ".txz", ".bz2", ".tbz2", ".tbz", ".zst", ".7z",
	".rar", ".jar", ".iso", ".img", ".qcow2", ".deb", ".rpm", ".ttf", ".otf", ".woff", ".woff2")

// sourceNames are the files grading reads besides *.c and *.h: kept for
// reference (nothing runs them) and counted toward the limits.
var sourceNames = toSet("Makefile", "makefile", "GNUmakefile", "Kbuild")

func toSet(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}

// skipDir returns the group of the first folder of file rel (a clean
// slash path) whose content is skipped, and that folder's name for its
// line.
func skipDir(rel string) (group, string) {
	elems := strings.Split(rel, "/")
	for _, e := range elems[:len(elems)-1] {
		if g, ok := skipDirs[e]; ok {
			return g, e + "/"
		}
	}
	return groupNone, ""
}

// skipFile returns the group of a file that is skipped for its name
// alone, and the label its line shows ("*.o", ".DS_Store").
func skipFile(rel string) (group, string) {
	base := path.Base(rel)
	if g, ok := skipNames[base]; ok {
		return g, base
	}
	switch {
	case strings.HasPrefix(base, "._"):
		return groupMac, "._*" // AppleDouble: a ._heap.c must not pass for heap.c
	case strings.HasPrefix(base, ".") && strings.HasSuffix(base, ".cmd"):
		return groupBuild, ".*.cmd"
	case strings.HasPrefix(base, ".") && strings.HasSuffix(base, ".d"):
		return groupBuild, ".*.d"
	case strings.HasPrefix(base, ".#"):
		return groupEditor, ".#*"
	case len(base) > 1 && strings.HasPrefix(base, "#") && strings.HasSuffix(base, "#"):
		return groupEditor, "#*#"
	}
	lower := strings.ToLower(base)
	for _, s := range skipSuffixes {
		if strings.HasSuffix(lower, s.suffix) && len(lower) > len(s.suffix) {
			return s.group, s.label
		}
	}
	if ext := path.Ext(lower); mediaSuffixes[ext] {
		return groupMedia, "*" + ext
	}
	return groupNone, ""
}

// isSource reports whether grading reads the file: a C source or header,
// a Makefile or a Kbuild file. Those count toward the limits, are never
// sniffed, and break the submission when they do not fit.
func isSource(rel string) bool {
	base := path.Base(rel)
	ext := strings.ToLower(path.Ext(base))
	return ext == ".c" || ext == ".h" || sourceNames[base]
}

// sniffBytes is how much of a non-source file is read to tell text from
// binary: a NUL in it means binary, as git and grep decide.
const sniffBytes = 8 << 10

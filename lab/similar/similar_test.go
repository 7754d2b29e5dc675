package similar

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
)

func texts(ts []token) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.text)
	}
	return strings.Join(s, " ")
}

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"int x = 42; // the answer\n", "int V = N ;"},
		{"/* a\n b */ char *s = \"hi\\\" there\";", "char * V = S ;"},
		{"#include <linux/module.h>\n#define X(a) \\\n  (a)\nfoo('c', 0x1f, 1.5e3);", "V ( C , N , N ) ;"},
		{"MODULE_LICENSE(\"GPL\");\nmodule_param(pid, int, 0);\nstatic int pid;", "static int V ;"},
		{"module_init(f(g(1)));\nreturn p->x <<= 2;", "return V -> V <<= N ;"},
		{"for (;;) { a++; }", "for ( ; ; ) { V ++ ; }"},
		{"\"unterminated\nx", "S V"},
		{"printf(\"%d\", ...);", "V ( S , ... ) ;"},
	} {
		if got := texts(normalize(c.src)); got != c.want {
			t.Errorf("normalize(%q) = %q, want %q", c.src, got, c.want)
		}
	}
}

func TestNormalizeKeepsLines(t *testing.T) {
	ts := normalize("/* one\ntwo */\n#if X\n#endif\nint\n\n  y;\n")
	if len(ts) != 3 || ts[0].line != 5 || ts[1].line != 7 {
		t.Fatalf("tokens %+v, want int at line 5 and y at 7", ts)
	}
}

// randomTokens draws n tokens from an alphabet of its own (prefix), so
// that two streams share nothing by chance.
func randomTokens(r *rand.Rand, prefix string, n int) []token {
	ts := make([]token, n)
	for i := range ts {
		ts[i] = token{text: prefix + string(rune('a'+r.IntN(20)))}
	}
	return ts
}

func shares(a, b []fingerprint) bool {
	in := map[uint64]bool{}
	for _, f := range a {
		in[f.hash] = true
	}
	for _, f := range b {
		if in[f.hash] {
			return true
		}
	}
	return false
}

// Winnowing's guarantee: a shared run of k+w-1 tokens always shares a
// fingerprint; a run shorter than k never does.
func TestWinnowGuarantee(t *testing.T) {
	const k, w = 12, 6
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		run := randomTokens(r, "shared", k+w-1)
		a := append(append(randomTokens(r, "a", r.IntN(50)), run...), randomTokens(r, "a", r.IntN(50))...)
		b := append(append(randomTokens(r, "b", r.IntN(50)), run...), randomTokens(r, "b", r.IntN(50))...)
		if !shares(winnow(a, k, w), winnow(b, k, w)) {
			t.Fatalf("case %d: a shared run of %d tokens left no shared fingerprint", i, k+w-1)
		}
		short := run[:k-1]
		a = append(append(randomTokens(r, "a", 30), short...), randomTokens(r, "a", 30)...)
		b = append(append(randomTokens(r, "b", 30), short...), randomTokens(r, "b", 30)...)
		if shares(winnow(a, k, w), winnow(b, k, w)) {
			t.Fatalf("case %d: a shared run of %d tokens shared a fingerprint", i, k-1)
		}
	}
}

// rename replaces whole identifiers.
func rename(src string, names map[string]string) string {
	for from, to := range names {
		src = regexp.MustCompile(`\b`+from+`\b`).ReplaceAllString(src, to)
	}
	return src
}

// disguise does what a student hiding a copy does: other names, other
// comments and strings, another indentation.
func disguise(src string, names map[string]string) string {
	src = rename(src, names)
	src = regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(src, "/* mine */")
	src = regexp.MustCompile(`"[^"\n]*"`).ReplaceAllStringFunc(src, func(s string) string { return `"` + strings.ToUpper(s[1:len(s)-1]) + `!"` })
	return strings.ReplaceAll(src, "\t", "  ")
}

// moveBefore moves the block from the line starting with first up to
// the next line "}" before the line starting with before.
func moveBefore(src, first, before string) string {
	i := strings.Index(src, first)
	j := strings.Index(src[i:], "\n}\n") + i + 3
	block := src[i:j]
	src = src[:i] + src[j:]
	k := strings.Index(src, before)
	return src[:k] + block + "\n" + src[k:]
}

func readCorpus(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../tests/testdata/real", rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The invented class of tests/testdata/real, plus two near-copies made
// here: the copies are flagged with their originals, and no two students
// who wrote their own code are.
func TestNearCopiesInTheRealClass(t *testing.T) {
	subs, _ := filepath.Glob("../../tests/testdata/real/*-*")
	tmp := t.TempDir()
	size := disguise(readCorpus(t, "pavel-d/memsize/lkm5.c"), map[string]string{"process_id": "target",
		"task": "t", "mm": "m", "rss_kib": "resident", "vm_kib": "virt", "lkm5_init": "go_in", "lkm5_exit": "go_out"})
	mapper := disguise(readCorpus(t, "keiko-a/src/mapper/lkm4.c"), map[string]string{"lkm4_walk": "walk",
		"lkm4_found": "found", "va": "vaddr", "pa": "paddr", "lkm4_init": "begin", "lkm4_exit": "end"})
	mapper = moveBefore(mapper, "static void __exit end(void)", "static int __init begin(void)")
	for f, text := range map[string]string{"zed-copy/lab/size.c": size, "yara-copy/mapper.c": mapper} {
		os.MkdirAll(filepath.Dir(filepath.Join(tmp, f)), 0o755)
		os.WriteFile(filepath.Join(tmp, f), []byte(text), 0o644)
	}
	subs = append(subs, filepath.Join(tmp, "zed-copy"), filepath.Join(tmp, "yara-copy"))
	files, warnings, err := Collect(subs, assign.Default(), CollectOptions{})
	if err != nil || len(warnings) > 0 {
		t.Fatalf("collect: %v %v", err, warnings)
	}
	var flagged []string
	for _, tr := range Compare(files, Options{}).Tasks {
		for _, p := range tr.Pairs {
			flagged = append(flagged, tr.Task+": "+p.A.Student+" "+p.B.Student)
			if len(p.Regions) == 0 || p.Regions[0].AFrom < 1 || p.Regions[0].ATo < p.Regions[0].AFrom {
				t.Errorf("%s: regions %+v", tr.Task, p.Regions)
			}
			if p.Similarity < 0.9 {
				t.Errorf("%s: %s and %s: similarity %.2f, want 0.9 or more for a disguised copy", tr.Task, p.A.Student, p.B.Student, p.Similarity)
			}
		}
	}
	want := "mapper: keiko-a yara-copy, size: pavel-d zed-copy"
	if got := strings.Join(flagged, ", "); got != want {
		t.Errorf("flagged %q, want %q", got, want)
	}
}

// What the course handed out is shared by everyone and not counted.
func TestSkeletonIsNotCounted(t *testing.T) {
	skeleton := readCorpus(t, "keiko-a/src/mapper/lkm4.c")
	own := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat("x", i%7+1) + "(" + strings.Repeat("1, ", i%3) + "y);\nif (z > 3) { w[" + string(rune('0'+i%10)) + "] = q; }\n")
		}
		return b.String()
	}
	files := []File{
		{Student: "a", Task: "mapper", Text: skeleton + "void a(void) {\n" + own(3) + "}\n"},
		{Student: "b", Task: "mapper", Text: skeleton + "int b(int k) {\nwhile (k--) return k;\nswitch (k) { case 1: break; }\n}\n"},
	}
	if got := Compare(files, Options{}).Tasks[0].Pairs; len(got) != 1 {
		t.Fatalf("without the skeleton: %d pairs, want the two files flagged", len(got))
	}
	r := Compare(files, Options{Skeletons: map[string]string{"mapper": skeleton}})
	if got := r.Tasks[0]; len(got.Pairs) != 0 {
		t.Errorf("with the skeleton: pairs %+v, want none", got.Pairs)
	}
}

// Student names, paths and code reach the staff page as text.
func TestWriteEscapes(t *testing.T) {
	code := readCorpus(t, "keiko-a/src/mapper/lkm4.c")
	evil := "</pre><script>alert(1)</script>"
	files := []File{
		{Student: "<b>x</b>", Task: "mapper", Path: evil + ".c", Text: code + "// " + evil + "\n"},
		{Student: "y", Task: "mapper", Path: "m.c", Text: code},
	}
	out := t.TempDir()
	if err := Write(out, Compare(files, Options{})); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, HTMLFile))
	if strings.Contains(string(b), "<script>") || strings.Contains(string(b), "<b>x") || !strings.Contains(string(b), "&lt;script&gt;") {
		t.Errorf("student text not escaped:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(out, JSONFile)); err != nil {
		t.Error(err)
	}
}

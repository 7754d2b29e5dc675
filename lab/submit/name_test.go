package submit

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// The hashes below are part of the contract: a rerun of a class must give
// every student the folder the previous run wrote, or nobody is skipped.
func TestName(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"subs/alice", "alice"},
		{"subs/alice/", "alice"},
		{"subs/bob.zip", "bob"},
		{"carol.tar.gz", "carol"},
		{"dan.tgz", "dan"},
		{"subs/ERIN.ZIP", "ERIN"},
		{"frank.tar", "frank"},
		{"fay.tar.xz", "fay"},
		{"gus.TXZ", "gus"},
		{"hal.tar.bz2", "hal"},
		{"ivy.tbz2", "ivy"},
		{"jo.tar.gz.txt", "jo.tar.gz.txt"},
		{".tar.xz", "_tar.xz-" + shortHash(".tar.xz")},
		{"g.h-i_j.zip", "g.h-i_j"},
		{"Zoë.zip", "Zoë"},
		{"Zoé.zip", "Zoé"},
		{norm.NFD.String("Zoë") + ".zip", "Zoë-c106d1"},
		{"Дмитрий", "Дмитрий"},
		{"王小明.tgz", "王小明"},
		{"José Núñez.zip", "José_Núñez-cd32e4"},
		{"a b;rm -rf.tgz", "a_b_rm_-rf-44a1b7"},
		{"sub/$(whoami).zip", "__whoami_-bc157b"},
		{"bad\x00name.tar.gz", "bad_name-8fbd64"},
		{"evil\u202egpj.zip", "evil_gpj-348111"}, // a right-to-left override
		{"..", "__-5ec1f7"},
		{".", "_-cdb4ee"},
		{"", "_-cdb4ee"},
		{".zip", "_zip-679e0f"},
		{".hidden", "_hidden-169241"},
		{"trailing.", "trailing_-44c12a"},
		{strings.Repeat("a", 80), strings.Repeat("a", 64) + "-" + shortHash(strings.Repeat("a", 80))},
	} {
		if got := Name(c.src); got != c.want {
			t.Errorf("Name(%q) = %q, want %q", c.src, got, c.want)
		}
		if !safeName(Name(c.src)) {
			t.Errorf("Name(%q) = %q is not a safe folder name", c.src, Name(c.src))
		}
	}
}

// TestNameKeepsStudentsApart checks names that differ only in what
// sanitizing changes still give different folders.
func TestNameKeepsStudentsApart(t *testing.T) {
	for _, group := range [][]string{
		{"Zoë", "Zoé", "Zoe", norm.NFD.String("Zoë"), norm.NFD.String("Zoé"), "Zo_"},
		{"a b", "a_b", "a;b", "a\tb"},
		{".x", "_x"},
		{strings.Repeat("a", 64) + "1", strings.Repeat("a", 64) + "2", strings.Repeat("a", 64)},
	} {
		seen := map[string]string{}
		for _, src := range group {
			n := Name(src)
			if other, ok := seen[n]; ok {
				t.Errorf("Name(%q) = Name(%q) = %q", src, other, n)
			}
			seen[n] = src
		}
	}
}

func TestNames(t *testing.T) {
	for _, c := range []struct {
		name string
		srcs []string
		want map[string]string
	}{{
		name: "distinct names are kept",
		srcs: []string{"subs/alice", "subs/bob.zip", "subs/Zoë.tgz"},
		want: map[string]string{"subs/alice": "alice", "subs/bob.zip": "bob", "subs/Zoë.tgz": "Zoë"},
	}, {
		name: "a folder and an archive of one name",
		srcs: []string{"subs/alice.zip", "subs/alice", "subs/alice.tar.gz", "subs/bob"},
		want: map[string]string{"subs/alice": "alice", "subs/alice.zip": "alice.zip", "subs/alice.tar.gz": "alice.tar.gz", "subs/bob": "bob"},
	}, {
		name: "one archive name in two folders",
		srcs: []string{"a/alice.zip", "b/alice.zip"},
		want: map[string]string{"a/alice.zip": "alice-" + shortHash("a/alice.zip"), "b/alice.zip": "alice-" + shortHash("b/alice.zip")},
	}, {
		name: "names equal but for case",
		srcs: []string{"subs/Alice", "subs/alice"},
		want: map[string]string{"subs/Alice": "Alice-" + shortHash("subs/Alice"), "subs/alice": "alice-" + shortHash("subs/alice")},
	}, {
		name: "a renamed name that another student has",
		srcs: []string{"subs/alice", "subs/alice.zip", "subs/alice.zip.zip"},
		want: map[string]string{"subs/alice": "alice", "subs/alice.zip.zip": "alice.zip",
			"subs/alice.zip": "alice-" + shortHash("subs/alice.zip")},
	}, {
		name: "the same path twice is one student",
		srcs: []string{"subs/alice", "subs/alice"},
		want: map[string]string{"subs/alice": "alice"},
	}} {
		t.Run(c.name, func(t *testing.T) {
			got := Names(c.srcs)
			if !maps.Equal(got, c.want) {
				t.Errorf("Names = %v, want %v", got, c.want)
			}
			reversed := slices.Clone(c.srcs)
			slices.Reverse(reversed)
			if again := Names(reversed); !maps.Equal(again, got) {
				t.Errorf("Names of the reversed list = %v, want %v", again, got)
			}
			checkDistinct(t, got)
		})
	}
}

// checkDistinct checks every name is a safe folder name, distinct from
// the others even on a case-insensitive filesystem.
func checkDistinct(t *testing.T, names map[string]string) {
	t.Helper()
	seen := map[string]string{}
	for src, n := range names {
		if !safeName(n) || filepath.Base(n) != n {
			t.Errorf("%s: name %q is not a safe folder name", src, n)
		}
		if other, ok := seen[strings.ToLower(n)]; ok {
			t.Errorf("%s and %s share the name %q", src, other, n)
		}
		seen[strings.ToLower(n)] = src
	}
}

// FuzzNames checks any class of names gets distinct, safe folder names.
func FuzzNames(f *testing.F) {
	f.Add("alice", "alice.zip", "Alice")
	f.Add("Zoë", norm.NFD.String("Zoë"), "Zo_")
	f.Add("..", ".", "...zip")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		checkDistinct(t, Names([]string{a, b, c}))
	})
}

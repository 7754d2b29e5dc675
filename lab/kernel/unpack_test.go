package kernel

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRewriteIncludes(t *testing.T) {
	tests := []struct {
		name         string
		src          string
		root         string
		want         string
		wantIncluded []string
	}{
		{
			name:         "debian headers Makefile",
			src:          "include /usr/src/linux-headers-6.1.0-56-common/Makefile\n",
			root:         "/c/kernels/debian-6.1.0-56-amd64/root",
			want:         "include /c/kernels/debian-6.1.0-56-amd64/root/usr/src/linux-headers-6.1.0-56-common/Makefile\n",
			wantIncluded: []string{"/usr/src/linux-headers-6.1.0-56-common/Makefile"},
		},
		{
			name:         "other lines kept",
			src:          "# comment\nFOO := 1\n  include /a/b.mk  \n-include x.mk\ninclude rel.mk\n",
			root:         "/r",
			want:         "# comment\nFOO := 1\ninclude /r/a/b.mk\n-include x.mk\ninclude rel.mk\n",
			wantIncluded: []string{"/a/b.mk"},
		},
		{
			name: "no absolute include",
			src:  "all:\n\techo hi\n",
			root: "/r",
			want: "all:\n\techo hi\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, included := rewriteIncludes([]byte(tc.src), tc.root)
			if string(got) != tc.want {
				t.Errorf("text = %q, want %q", got, tc.want)
			}
			if !reflect.DeepEqual(included, tc.wantIncluded) {
				t.Errorf("included = %q, want %q", included, tc.wantIncluded)
			}
		})
	}
}

func TestRewriteHeadersMakefile(t *testing.T) {
	tmp := t.TempDir()
	buildRel := "usr/src/linux-headers-6.1.0-56-amd64"
	mk := writeFile(t, tmp, buildRel+"/Makefile", []byte("include /usr/src/linux-headers-6.1.0-56-common/Makefile\n"))
	if err := rewriteHeadersMakefile(tmp, "/final/root", buildRel); err == nil {
		t.Fatal("accepted an include of a file no package provides")
	}
	writeFile(t, tmp, "usr/src/linux-headers-6.1.0-56-common/Makefile", []byte("all:\n"))
	if err := rewriteHeadersMakefile(tmp, "/final/root", buildRel); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(mk)
	want := "include /final/root/usr/src/linux-headers-6.1.0-56-common/Makefile\n"
	if string(got) != want {
		t.Fatalf("Makefile = %q, want %q", got, want)
	}
	if err := rewriteHeadersMakefile(tmp, "/final/root", buildRel); err == nil {
		t.Fatal("a second rewrite found an absolute include outside the tree and accepted it")
	}
}

func TestFixSymlinks(t *testing.T) {
	tests := []struct {
		name    string
		link    string // where the link is, relative to root
		target  string
		want    string // link target after fixing
		wantErr bool
	}{
		{name: "absolute build link", link: "lib/modules/6.1.0-56-amd64/build", target: "/usr/src/linux-headers-6.1.0-56-amd64",
			want: "../../../usr/src/linux-headers-6.1.0-56-amd64"},
		{name: "relative scripts link", link: "usr/src/linux-headers-6.1.0-56-amd64/scripts", target: "../../lib/linux-kbuild-6.1/scripts",
			want: "../../lib/linux-kbuild-6.1/scripts"},
		{name: "escapes root", link: "usr/src/escape", target: "../../../../etc", wantErr: true},
		{name: "dangles", link: "usr/src/dangle", target: "nothing-here", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "root")
			writeFile(t, root, "usr/src/linux-headers-6.1.0-56-amd64/Makefile", []byte("x"))
			writeFile(t, root, "usr/lib/linux-kbuild-6.1/scripts/Makefile.build", []byte("x"))
			link := filepath.Join(root, tc.link)
			os.MkdirAll(filepath.Dir(link), 0o755)
			if err := os.Symlink(tc.target, link); err != nil {
				t.Fatal(err)
			}
			err := fixSymlinks(root)
			if tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), tc.link) {
					t.Fatalf("err = %v, want one naming %s", err, tc.link)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := os.Readlink(link); got != tc.want {
				t.Fatalf("link -> %q, want %q", got, tc.want)
			}
			if !exists(link) {
				t.Fatal("fixed link does not resolve")
			}
		})
	}
}

package submit

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// ent is one member of a test submission. Zeros > 0 means that many zero
// bytes instead of Body, Xs > 0 that many "x" bytes (text). Mode 0 means
// a regular 0644 file.
type ent struct {
	Name  string
	Body  string
	Zeros int64
	Xs    int64
	Mode  fs.FileMode
	Link  string // target of a symlink or hard link
	Type  byte   // tar type flag, when not derived from Mode
}

// content is an entry's bytes as a reader.
func (e ent) content() io.Reader {
	if e.Zeros > 0 {
		return io.LimitReader(zeros{}, e.Zeros)
	}
	if e.Xs > 0 {
		return io.LimitReader(xs{}, e.Xs)
	}
	if e.Mode&fs.ModeSymlink != 0 {
		return strings.NewReader(e.Link)
	}
	return strings.NewReader(e.Body)
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// xs reads as an endless run of "x".
type xs struct{}

func (xs) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// builder creates a submission under dir and returns its path.
type builder func(t testing.TB, dir string) string

// zipOf builds NAME.zip holding ents, deflated.
func zipOf(name string, ents ...ent) builder {
	return func(t testing.TB, dir string) string {
		t.Helper()
		p := filepath.Join(dir, name+".zip")
		f := create(t, p)
		zw := zip.NewWriter(f)
		for _, e := range ents {
			h := &zip.FileHeader{Name: e.Name, Method: zip.Deflate}
			h.SetMode(modeOr(e.Mode, 0o644))
			w, err := zw.CreateHeader(h)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(e.Name, "/") {
				copyOrFail(t, w, e.content())
			}
		}
		closeOrFail(t, zw, f)
		return p
	}
}

// tgzOf builds NAME (ending .tar.gz or .tgz) holding ents.
func tgzOf(name string, ents ...ent) builder {
	return func(t testing.TB, dir string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		f := create(t, p)
		gz := gzip.NewWriter(f)
		tw := tar.NewWriter(gz)
		for _, e := range ents {
			h := tarHeader(e)
			if err := tw.WriteHeader(h); err != nil {
				t.Fatal(err)
			}
			if h.Typeflag == tar.TypeReg {
				copyOrFail(t, tw, e.content())
			}
		}
		closeOrFail(t, tw, gz, f)
		return p
	}
}

// tarHeader is the header for a test entry.
func tarHeader(e ent) *tar.Header {
	h := &tar.Header{Name: e.Name, Mode: int64(modeOr(e.Mode, 0o644).Perm()), Typeflag: e.Type, Linkname: e.Link}
	switch {
	case e.Type != 0:
	case e.Mode&fs.ModeSymlink != 0:
		h.Typeflag = tar.TypeSymlink
	case strings.HasSuffix(e.Name, "/"):
		h.Typeflag = tar.TypeDir
	default:
		h.Typeflag = tar.TypeReg
	}
	if h.Typeflag == tar.TypeReg {
		h.Size = int64(len(e.Body)) + e.Zeros + e.Xs
	}
	return h
}

// dirOf builds directory NAME holding ents; symlinks are made with
// os.Symlink, everything else is a regular file with the given mode.
func dirOf(name string, ents ...ent) builder {
	return func(t testing.TB, dir string) string {
		t.Helper()
		root := filepath.Join(dir, name)
		mkdir(t, root)
		for _, e := range ents {
			p := filepath.Join(root, filepath.FromSlash(e.Name))
			mkdir(t, filepath.Dir(p))
			if e.Mode&fs.ModeSymlink != 0 {
				if err := os.Symlink(e.Link, p); err != nil {
					t.Fatal(err)
				}
				continue
			}
			f := create(t, p)
			copyOrFail(t, f, e.content())
			closeOrFail(t, f)
			if err := os.Chmod(p, modeOr(e.Mode, 0o644)); err != nil {
				t.Fatal(err)
			}
		}
		return root
	}
}

// modeOr returns m, or def when m is zero.
func modeOr(m, def fs.FileMode) fs.FileMode {
	if m == 0 {
		return def
	}
	return m
}

func mkdir(t testing.TB, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func create(t testing.TB, p string) *os.File {
	t.Helper()
	mkdir(t, filepath.Dir(p))
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func copyOrFail(t testing.TB, w io.Writer, r io.Reader) {
	t.Helper()
	if _, err := io.Copy(w, r); err != nil {
		t.Fatal(err)
	}
}

func closeOrFail(t testing.TB, cs ...io.Closer) {
	t.Helper()
	for _, c := range cs {
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// tree lists every path under dir, slash-separated and relative, with a
// suffix for its type: "/" for directories, "@" for symlinks, "?" for
// anything else that is not a regular file.
func tree(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			rel += "/"
		case d.Type()&fs.ModeSymlink != 0:
			rel += "@"
		case !d.Type().IsRegular():
			rel += "?"
		}
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

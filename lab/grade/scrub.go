package grade

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/lkmlab/lkmlab/lab/kernel/kinfo"
)

// A scrubber replaces the grader's own folders in text with neutral
// labels: reports go to students and into CI artifacts, and the paths of
// the grading machine (user names, cache layout, temp folders) are none
// of their business.
type scrubber struct {
	from []string // longest first, so the most specific folder wins
	to   []string
}

// newScrubber knows folders by label: "<work>" for the student's work
// folder, "<out>" for --out, "<cache>", "~" and "<tmp>". Each folder is
// also known by its absolute and symlink-resolved forms; "" and "/" are
// ignored.
func newScrubber(labels map[string]string) scrubber {
	seen := map[string]string{}
	for dir, label := range labels {
		for _, form := range pathForms(dir) {
			if _, ok := seen[form]; !ok {
				seen[form] = label
			}
		}
	}
	var s scrubber
	for form := range seen {
		s.from = append(s.from, form)
	}
	sort.Slice(s.from, func(i, j int) bool {
		if len(s.from[i]) != len(s.from[j]) {
			return len(s.from[i]) > len(s.from[j])
		}
		return s.from[i] < s.from[j]
	})
	for _, f := range s.from {
		s.to = append(s.to, seen[f])
	}
	return s
}

// hostLabels are the folders every report is scrubbed of, besides a
// student's own work folder.
func hostLabels(out string) map[string]string {
	m := map[string]string{out: "<out>", kinfo.DefaultCacheDir(): "<cache>", os.TempDir(): "<tmp>"}
	if home, err := os.UserHomeDir(); err == nil {
		m[home] = "~"
	}
	return m
}

func pathForms(dir string) []string {
	if dir == "" {
		return nil
	}
	var forms []string
	add := func(p string) {
		p = filepath.Clean(p)
		if filepath.IsAbs(p) && p != "/" {
			forms = append(forms, p)
		}
	}
	add(dir)
	if abs, err := filepath.Abs(dir); err == nil {
		add(abs)
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			add(real)
		}
	}
	return forms
}

// text scrubs one string. A folder is replaced only where it stands as a
// whole path: not preceded by a path character, and followed by "/", the
// end, or a character no file name would continue with; "/tmp" in
// "/var/tmp" or "/tmpfs" stays.
func (s scrubber) text(t string) string {
	t = clipText(t)
	for i, from := range s.from {
		if !strings.Contains(t, from) {
			continue
		}
		var b strings.Builder
		rest := t
		for {
			j := strings.Index(rest, from)
			if j < 0 {
				break
			}
			end := j + len(from)
			if (j > 0 && isPathByte(rest[j-1])) || continues(rest[end:]) {
				b.WriteString(rest[:end])
				rest = rest[end:]
				continue
			}
			b.WriteString(rest[:j])
			b.WriteString(s.to[i])
			rest = rest[end:]
		}
		b.WriteString(rest)
		t = b.String()
	}
	return t
}

// maxText bounds one string of a result: a module can declare a
// parameter named with megabytes, and every report that quotes it would
// carry them.
const maxText = 16 << 10

// clipText keeps the head of a string longer than maxText, on a rune
// boundary, and says how much was left out.
func clipText(t string) string {
	if len(t) <= maxText {
		return t
	}
	head := strings.ToValidUTF8(t[:maxText], "")
	return fmt.Sprintf("%s... (%d bytes not kept)", head, len(t)-len(head))
}

// continues reports whether the text after a match goes on with the same
// file name: "/tmpfs" does, "/tmp/x", "/tmp: error" and "/tmp." at the end
// of a sentence do not.
func continues(after string) bool {
	if after == "" || after[0] == '/' {
		return false
	}
	if after[0] == '.' && (len(after) == 1 || !isPathByte(after[1])) {
		return false
	}
	return isPathByte(after[0])
}

func isPathByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("._-/~+", c) >= 0
}

// value scrubs every string reachable from v (a pointer): every field of
// a result, including ones added after this was written, such as a
// failure's lines or a step's facts.
func (s scrubber) value(v any) {
	s.walk(reflect.ValueOf(v))
}

func (s scrubber) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(s.text(v.String()))
		}
	case reflect.Pointer:
		if !v.IsNil() {
			s.walk(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				s.walk(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			s.walk(v.Index(i))
		}
	case reflect.Map:
		s.walkMap(v)
	}
}

// walkMap scrubs a map's values (keys are the harness's names).
func (s scrubber) walkMap(v reflect.Value) {
	if v.IsNil() {
		return
	}
	for _, k := range v.MapKeys() {
		e := reflect.New(v.Type().Elem()).Elem()
		e.Set(v.MapIndex(k))
		s.walk(e)
		v.SetMapIndex(k, e)
	}
}

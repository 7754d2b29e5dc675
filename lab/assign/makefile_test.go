package assign

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The Makefiles below are hand-written for these tests, in the forms
// student Makefiles take.
func TestParseMakefile(t *testing.T) {
	for _, c := range []struct {
		name, dir, text string
		want            Makefile
	}{{
		name: "one module and the usual rules",
		dir:  "heap",
		text: "obj-m := heap.o\n\nall:\n\tmake -C /lib/modules/$(shell uname -r)/build M=$(PWD) modules\n",
		want: Makefile{Modules: []string{"heap"}, Known: true},
	}, {
		name: "a composite module",
		dir:  "mapper",
		text: "# the mapper is built from two files\nobj-m := mapper.o\nmapper-objs := main.o walk.o\n",
		want: Makefile{Modules: []string{"mapper"}, Objects: map[string][]string{"mapper": {"main.o", "walk.o"}}, Known: true},
	}, {
		name: "modules through a variable, -y objects, a continuation line",
		dir:  ".",
		text: "MOD = lab\nobj-m += $(MOD).o hello.o\n$(MOD)-y := a.o \\\n\tb.o\nlab-y += c.o # and c\n",
		want: Makefile{Modules: []string{"lab", "hello"}, Objects: map[string][]string{"lab": {"a.o", "b.o", "c.o"}}, Known: true},
	}, {
		name: "the KERNELRELEASE form: both branches' assignments, no recipe",
		dir:  "src",
		text: "ifneq ($(KERNELRELEASE),)\nobj-m := q1.o\nelse\nKDIR ?= /lib/modules/`uname -r`/build\ndefault:\n\t$(MAKE) -C $(KDIR) M=$$PWD obj-m=evil.o\nendif\n",
		want: Makefile{Modules: []string{"q1"}, Known: true},
	}, {
		name: "a module from the command line is unknown",
		dir:  ".",
		text: "obj-m := $(TARGET).o hello.o\n",
		want: Makefile{Modules: []string{"hello"}, Known: false},
	}, {
		name: "a function is unknown",
		dir:  ".",
		text: "obj-m := $(patsubst %.c,%.o,$(wildcard *.c))\n",
		want: Makefile{Known: false},
	}, {
		name: "no obj-m at all",
		dir:  ".",
		text: "all:\n\tgcc -o test test.c\n",
		want: Makefile{Known: true},
	}, {
		name: "flags: -I inside the submission, safe defines",
		dir:  "modules",
		text: "obj-m := heap.o\nccflags-y := -I$(src)/../include -I $(PWD)/inc -I/usr/include -I$(src)/../../x -Iinclude\n" +
			"ccflags-y += -DDEBUG -DLEVEL=2 -DNAME=v1.2-rc\nEXTRA_CFLAGS += -Wall -DDEBUG -I$(shell pwd)/more\n",
		want: Makefile{Modules: []string{"heap"}, Known: true, Includes: []string{"include", "modules/inc", "modules/include", "modules/more"},
			Defines: []string{"-DDEBUG", "-DLEVEL=2", "-DNAME=v1.2-rc"}},
	}, {
		name: "flags: unsafe or reserved defines are dropped",
		dir:  ".",
		text: "obj-m := a.o\nccflags-y += -DX=\"a\" '-DY=1' -DZ=$$(id) -D__KERNEL__ -DKBUILD_MODNAME=x -DMODULE -DCONFIG_X=1 -DW=(1) -D1X -DOK\n",
		want: Makefile{Modules: []string{"a"}, Known: true, Defines: []string{"-DOK"}},
	}, {
		name: "a path out of the submission is no module",
		dir:  "a",
		text: "obj-m := ../../x.o /abs.o sub/ sub/m.o\n",
		want: Makefile{Modules: []string{"sub/m"}, Known: true},
	}, {
		name: "CRLF and a byte order mark, as Windows editors write",
		dir:  ".",
		text: "\ufeffobj-m += lkm1.o\r\nccflags-y += -DDEBUG\r\n",
		want: Makefile{Modules: []string{"lkm1"}, Known: true, Defines: []string{"-DDEBUG"}},
	}, {
		name: "target-specific and conditional assignments are no module list",
		dir:  ".",
		text: "debug: obj-m := evil.o\nobj-m ?= a.o\nobj-m ?= b.o\n",
		want: Makefile{Modules: []string{"a"}, Known: true},
	}} {
		t.Run(c.name, func(t *testing.T) {
			got := ParseMakefile(c.dir, []byte(c.text))
			if c.want.Objects == nil {
				c.want.Objects = map[string][]string{}
			}
			if !slices.Equal(got.Modules, c.want.Modules) || got.Known != c.want.Known ||
				!maps.EqualFunc(got.Objects, c.want.Objects, slices.Equal) ||
				!slices.Equal(got.Includes, c.want.Includes) || !slices.Equal(got.Defines, c.want.Defines) {
				t.Errorf("got  %+v\nwant %+v", *got, c.want)
			}
		})
	}
}

// TestParseMakefileBounded checks a Makefile whose variables grow without
// bound, or refer to themselves, is read in bounded time.
func TestParseMakefileBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("V0 = xxxxxxxxxxxxxxxx\n")
	for i := 1; i < 40; i++ {
		b.WriteString("V" + strconv.Itoa(i) + " = $(V" + strconv.Itoa(i-1) + ")$(V" + strconv.Itoa(i-1) + ")$(V" + strconv.Itoa(i-1) + ")$(V" + strconv.Itoa(i-1) + ")\n")
	}
	b.WriteString("SELF = $(SELF)$(SELF)$(SELF)$(SELF)\nobj-m := $(V39).o $(SELF).o a.o\n")
	start := time.Now()
	m := ParseMakefile(".", []byte(b.String()))
	if m.Known || len(m.Modules) != 0 {
		t.Errorf("got %+v, want the list unknown, and no module from it", *m)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d) // generous: unbounded takes forever, bounded a few milliseconds
	}
}

func TestReadMakefilePrefersKbuild(t *testing.T) {
	files := map[string]string{"lab/Makefile": "obj-m := a.o\n", "lab/Kbuild": "obj-m := b.o\n", "other/makefile": "obj-m := c.o\n"}
	read := func(f string) ([]byte, error) { return []byte(files[f]), nil }
	names := slices.Sorted(maps.Keys(files))
	if m := ReadMakefile("lab", names, read); m == nil || !slices.Equal(m.Modules, []string{"b"}) || m.File != "lab/Kbuild" {
		t.Errorf("lab: %+v, want the Kbuild's b", m)
	}
	if m := ReadMakefile("other", names, read); m == nil || !slices.Equal(m.Modules, []string{"c"}) {
		t.Errorf("other: %+v, want the makefile's c", m)
	}
	if m := ReadMakefile("none", names, read); m != nil {
		t.Errorf("none: %+v, want nil", m)
	}
}

// TestParseMakefileBoundsWhatItKeeps: a list appended to line after line,
// more modules than a folder builds, or more objects than a module has,
// are not read in full (hostile3/make-bomb kept 2000 modules of 9000
// objects each, 860 MiB of the grader's memory).
func TestParseMakefileBoundsWhatItKeeps(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "obj-m += m%d.o\n", i)
	}
	if m := ParseMakefile(".", []byte(b.String())); m.Known || len(m.Modules) > maxModules {
		t.Errorf("100 modules: Known %v, %d modules; want the list unknown, at most %d kept", m.Known, len(m.Modules), maxModules)
	}
	b.Reset()
	b.WriteString("obj-m := big.o\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "big-objs += o%d.o\n", i)
	}
	if m := ParseMakefile(".", []byte(b.String())); !m.Known || len(m.Objects["big"]) != maxObjects {
		t.Errorf("200 objects: Known %v, %d objects kept; want %d", m.Known, len(m.Objects["big"]), maxObjects)
	}
	b.Reset()
	b.WriteString("obj-m := a.o\n")
	for i := 0; i < 40000; i++ {
		b.WriteString("obj-m += a.o\n")
	}
	if m := ParseMakefile(".", []byte(b.String())); m.Known {
		t.Errorf("an obj-m of 40001 words was read: %d modules", len(m.Modules))
	}
}

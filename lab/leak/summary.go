package leak

import (
	"fmt"
	"strings"
)

// Summary describes leaked objects in a few lines for a report:
//
//	2 leaked objects (1088 bytes):
//	  1024 bytes from insmod (pid 123) at leaky_init+0x31/0x50 [leaky]
//	  64 bytes from insmod (pid 123) at leaky_init+0x52/0x50 [leaky]
//
// Each object is shown at its Site. At most limit objects are listed, then
// "(N more)"; limit <= 0 lists them all. It returns "" for no objects.
func Summary(objs []Object, limit int) string {
	if len(objs) == 0 {
		return ""
	}
	total := 0
	for _, o := range objs {
		total += o.Size
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d leaked %s (%d bytes):", len(objs), plural(len(objs), "object"), total)
	shown := objs
	if limit > 0 && len(objs) > limit {
		shown = objs[:limit]
	}
	for _, o := range shown {
		b.WriteString("\n  " + describe(o))
	}
	if n := len(objs) - len(shown); n > 0 {
		fmt.Fprintf(&b, "\n  (%d more)", n)
	}
	return b.String()
}

// describe renders one object as "1024 bytes from insmod (pid 123) at
// leaky_init+0x31/0x50 [leaky]".
func describe(o Object) string {
	s := fmt.Sprintf("%d bytes", o.Size)
	if o.Type != "" {
		s += " " + o.Type
	}
	if o.Comm != "" {
		s += fmt.Sprintf(" from %s (pid %d)", o.Comm, o.PID)
	}
	site := dropBuildID(o.Site())
	switch {
	case site == "":
		return s
	case isBareAddress(site):
		return s + " at " + site + " (no symbol: __init or unloaded module code)"
	}
	return s + " at " + site
}

// dropBuildID shortens "f+0x1/0x2 [mod 3f2a...]" to "f+0x1/0x2 [mod]":
// the build id matters to a symbolizer, not to a reader.
func dropBuildID(f string) string {
	m := frameModule(f)
	if m == "" || strings.HasSuffix(f, " ["+m+"]") {
		return f
	}
	return f[:strings.LastIndex(f, " [")] + " [" + m + "]"
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

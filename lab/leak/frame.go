package leak

import (
	"strconv"
	"strings"
)

// allocators are prefixes of the functions that sit between a caller and
// the slab, vmalloc and percpu allocators in kmemleak's backtraces, across
// 6.1 names (kmalloc_trace, __kmem_cache_alloc_node) and 6.12 ones
// (__kmalloc_cache_noprof, kmem_cache_alloc_noprof). A leak is the
// caller's, so Site skips them.
var allocators = []string{
	"kmemleak_", "slab_", "__slab_", "___slab_", "kmalloc", "__kmalloc", "__do_kmalloc",
	"kmem_cache_alloc", "__kmem_cache_alloc", "kzalloc", "kcalloc", "krealloc", "__krealloc",
	"kvmalloc", "__kvmalloc", "kvzalloc", "kvrealloc", "vmalloc", "__vmalloc", "vzalloc",
	"kmemdup", "kstrdup", "kstrndup", "kasprintf", "kvasprintf",
	"pcpu_alloc", "__alloc_percpu", "alloc_percpu",
}

// Site is the frame of the backtrace that says best where the object was
// allocated: the first frame in a module, else the first that is not an
// allocator function; "" when the backtrace is empty.
func (o Object) Site() string {
	for _, f := range o.Backtrace {
		if frameModule(f) != "" {
			return f
		}
	}
	for _, f := range o.Backtrace {
		if !isAllocator(frameFunc(f)) {
			return f
		}
	}
	if len(o.Backtrace) > 0 {
		return o.Backtrace[0]
	}
	return ""
}

// frameModule returns the module a frame names in its trailing brackets:
// "leaky" for "leaky_init+0x31/0x50 [leaky]" and, with
// CONFIG_STACKTRACE_BUILD_ID, for "leaky_init+0x31/0x50 [leaky 3f2a...]".
func frameModule(f string) string {
	if !strings.HasSuffix(f, "]") {
		return ""
	}
	i := strings.LastIndex(f, " [")
	if i < 0 {
		return ""
	}
	name, _, _ := strings.Cut(f[i+2:len(f)-1], " ")
	return name
}

// frameFunc returns the function a frame names: "leaky_init" for
// "leaky_init+0x31/0x50 [leaky]", the whole frame for a bare address.
func frameFunc(f string) string {
	if i := strings.IndexAny(f, "+ "); i >= 0 {
		return f[:i]
	}
	return f
}

// isAllocator reports whether fn is an allocator function.
func isAllocator(fn string) bool {
	for _, p := range allocators {
		if strings.HasPrefix(fn, p) {
			return true
		}
	}
	return false
}

// isBareAddress reports whether a frame is an address kallsyms could not
// name, "0xffffffffc0a1e031".
func isBareAddress(f string) bool {
	hex, ok := strings.CutPrefix(f, "0x")
	if !ok || hex == "" {
		return false
	}
	_, err := strconv.ParseUint(hex, 16, 64)
	return err == nil
}

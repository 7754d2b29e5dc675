package leak

import "testing"

func TestSummary(t *testing.T) {
	mod := Object{Size: 1024, Comm: "insmod", PID: 123, Backtrace: []string{
		"__kmalloc+0x4c/0x90", "leaky_init+0x31/0x50 [leaky]", "do_one_initcall+0x4a/0x200"}}
	kernel := Object{Size: 64, Comm: "swapper/0", PID: 1, Backtrace: []string{
		"kmemleak_alloc+0x4b/0x80", "__kmalloc_cache_noprof+0x2b5/0x350", "kstrdup+0x2c/0x60", "kobject_set_name_vargs+0x1e/0x90"}}
	bare := Object{Size: 8, Comm: "insmod", PID: 9, Backtrace: []string{"kmalloc_trace+0x26/0x90", "0xffffffffc020503a"}}
	buildID := Object{Size: 8, Comm: "sh", PID: 97, Backtrace: []string{"helper+0x1/0x2 [help 1c9e4b0a]"}}
	noComm := Object{Size: 4, Type: "percpu", Backtrace: []string{"pcpu_alloc_noprof+0x53d/0x890"}}
	tests := []struct {
		name  string
		objs  []Object
		limit int
		want  string
	}{
		{"none", nil, 5, ""},
		{"one", []Object{mod}, 5,
			"1 leaked object (1024 bytes):\n  1024 bytes from insmod (pid 123) at leaky_init+0x31/0x50 [leaky]"},
		{"kernel frame after the allocator", []Object{mod, kernel}, 0,
			"2 leaked objects (1088 bytes):\n" +
				"  1024 bytes from insmod (pid 123) at leaky_init+0x31/0x50 [leaky]\n" +
				"  64 bytes from swapper/0 (pid 1) at kobject_set_name_vargs+0x1e/0x90"},
		{"limit", []Object{mod, kernel, bare}, 1,
			"3 leaked objects (1096 bytes):\n  1024 bytes from insmod (pid 123) at leaky_init+0x31/0x50 [leaky]\n  (2 more)"},
		{"no symbol", []Object{bare}, 1,
			"1 leaked object (8 bytes):\n  8 bytes from insmod (pid 9) at 0xffffffffc020503a (no symbol: __init or unloaded module code)"},
		{"build id dropped", []Object{buildID}, 1,
			"1 leaked object (8 bytes):\n  8 bytes from sh (pid 97) at helper+0x1/0x2 [help]"},
		{"only allocator frames, no comm", []Object{noComm}, 1,
			"1 leaked object (4 bytes):\n  4 bytes percpu at pcpu_alloc_noprof+0x53d/0x890"},
		{"no backtrace", []Object{{Size: 2}}, 1, "1 leaked object (2 bytes):\n  2 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Summary(tc.objs, tc.limit); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestSite(t *testing.T) {
	tests := []struct {
		frames []string
		want   string
	}{
		{nil, ""},
		{[]string{"kmalloc_trace+0x26/0x90", "a+0x1/0x2", "b+0x1/0x2 [m]"}, "b+0x1/0x2 [m]"},
		{[]string{"kmalloc_trace+0x26/0x90", "slab_post_alloc_hook+0x5/0x9", "a+0x1/0x2"}, "a+0x1/0x2"},
		{[]string{"x [", "y ]", "z []"}, "x ["},
	}
	for _, tc := range tests {
		if got := (Object{Backtrace: tc.frames}).Site(); got != tc.want {
			t.Errorf("Site(%q) = %q, want %q", tc.frames, got, tc.want)
		}
	}
}

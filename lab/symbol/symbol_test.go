package symbol

import "testing"

func TestParseFrame(t *testing.T) {
	for line, want := range map[string]Frame{
		"RIP: 0010:fixture_init+0x1c/0x1000 [oops]":                                     {"fixture_init", 0x1c, "oops", false},
		"  do_thing.constprop.0+0x5/0x20 [my-mod]":                                      {"do_thing.constprop.0", 5, "my-mod", true},
		"WARNING: CPU: 0 PID: 9 at m.c:5 m_init+0x1/0x2 [m]":                            {"m_init", 1, "m", false},
		"pc : m_init+0x24/0x1000 [m]":                                                   {"m_init", 0x24, "m", false},
		"lr : m_init+0x20/0x1000 [m]":                                                   {"m_init", 0x20, "m", true},
		" #0: ffffffff81d53ba0 (rcu_read_lock){....}-{1:2}, at: m_init+0x68/0x1000 [m]": {"m_init", 0x68, "m", true},
	} {
		got, ok := ParseFrame(line)
		if !ok || got != want {
			t.Errorf("ParseFrame(%q) = %+v %v, want %+v", line, got, ok, want)
		}
	}
	for _, line := range []string{"RIP: 0010:do_one_initcall+0x59/0x220", "Call Trace:", "hello"} {
		if f, ok := ParseFrame(line); ok {
			t.Errorf("ParseFrame(%q) = %+v, want no module frame", line, f)
		}
	}
}

package check

import (
	"testing"

	"github.com/lkmlab/lkmlab/lab/kmsg"
)

// TestFirstFramePicksTheFault: a lockdep report names where a held lock
// was taken before its call trace, and unreliable "?" frames come before
// reliable ones; the frame that says where the module went wrong is the
// trapping instruction, else the first reliable call trace frame.
func TestFirstFramePicksTheFault(t *testing.T) {
	for name, tt := range map[string]struct {
		lines []string
		want  uint64
	}{
		"lockdep": {[]string{
			"1 lock held by init/116:",
			" #0: ffffffff81d53ba0 (rcu_read_lock){....}-{1:2}, at: snap_init+0x68/0x1000 [snap]",
			"Call Trace:",
			" ? snap_init+0x114/0x1000 [snap]",
			" kmalloc_trace+0x1f/0x53",
			" snap_init+0x118/0x1000 [snap]",
			" do_one_initcall+0xe7/0x220",
		}, 0x118},
		"oops": {[]string{
			"RIP: 0010:snap_init+0x20/0x1000 [snap]",
			"Call Trace:",
			" snap_helper+0x10/0x40 [snap]",
		}, 0x20},
		"only the lock": {[]string{
			" #0: ffffffff81d53ba0 (rcu_read_lock){....}-{1:2}, at: snap_init+0x68/0x1000 [snap]",
		}, 0x68},
	} {
		fr, ok := firstFrame(&kmsg.Failure{Lines: tt.lines}, "snap")
		if !ok || fr.Offset != tt.want {
			t.Errorf("%s: frame %+v %v, want offset %#x", name, fr, ok, tt.want)
		}
	}
	if _, ok := firstFrame(&kmsg.Failure{Lines: []string{" other_init+0x1/0x2 [other]"}}, "snap"); ok {
		t.Error("a frame of another module was taken")
	}
}

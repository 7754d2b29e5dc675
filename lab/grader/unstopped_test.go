package grader

import (
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/ko"
	"github.com/lkmlab/lkmlab/lab/result"
)

// TestUnstoppedIsFlagged: a timer armed with nothing imported to stop it
// is a needs-review finding; a timer with its del_timer_sync is not.
func TestUnstoppedIsFlagged(t *testing.T) {
	got := unstopped(ko.Uses{Timers: ko.Use{Start: []string{"mod_timer"}}, Work: ko.Use{Start: []string{"queue_work_on"}, Stop: []string{"cancel_work_sync"}}})
	if len(got) != 1 || got[0].Kind != result.NeedsReview || !strings.Contains(got[0].Text, "timers (mod_timer)") {
		t.Fatalf("unstopped = %+v, want one needs-review finding about the timer", got)
	}
	if got := unstopped(ko.Uses{Timers: ko.Use{Start: []string{"mod_timer"}, Stop: []string{"del_timer_sync"}}}); len(got) != 0 {
		t.Fatalf("a stopped timer is flagged: %+v", got)
	}
}

// TestLingerForPendingWork: a module that arms timers or queues work keeps
// its VM after its last step even when it imports a way to cancel them (a
// decoy del_timer_sync on another timer); one that starts threads it
// stops, or none of these, does not.
func TestLingerForPendingWork(t *testing.T) {
	for _, c := range []struct {
		u    ko.Uses
		want bool
	}{
		{ko.Uses{Timers: ko.Use{Start: []string{"mod_timer"}, Stop: []string{"timer_delete_sync"}}}, true},
		{ko.Uses{Work: ko.Use{Start: []string{"queue_work_on"}}}, true},
		{ko.Uses{Threads: ko.Use{Start: []string{"kthread_create_on_node"}}}, true},
		{ko.Uses{Threads: ko.Use{Start: []string{"kthread_create_on_node"}, Stop: []string{"kthread_stop"}}}, false},
		{ko.Uses{}, false},
	} {
		if got := lingerFor(c.u) > 0; got != c.want {
			t.Errorf("lingerFor(%+v) > 0 = %v, want %v", c.u, got, c.want)
		}
	}
}

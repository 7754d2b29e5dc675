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

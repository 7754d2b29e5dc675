package result

import (
	"testing"
	"time"
)

// TestBetween: the time between steps is what Steps leaves after the
// steps' own work and the finish; stages taken apart (a median each) can
// add up to more than Steps, and it is then none, not negative. The
// figures are made up for the test.
func TestBetween(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		name string
		t    Timing
		want time.Duration
	}{
		{"the rest of steps", Timing{Steps: 400 * ms, StepWork: 140 * ms, Finish: 230 * ms}, 30 * ms},
		{"parts above the whole", Timing{Steps: 100 * ms, StepWork: 80 * ms, Finish: 50 * ms}, 0},
		{"no breakdown", Timing{Steps: 100 * ms}, 100 * ms},
	} {
		if got := tc.t.Between(); got != tc.want {
			t.Errorf("%s: between %v, want %v", tc.name, got, tc.want)
		}
	}
}

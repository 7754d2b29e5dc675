package leak

import (
	"math"
	"os"
	"reflect"
	"testing"
	"time"
)

// At 20 s of uptime a HZ=100 kernel's jiffies are INITIAL_JIFFIES + 2000.
var clock20s = Clock{US: 20_000_000, Jiffies: 4294937296 + 2000, HZ: 100}

// allocatedAt returns an object that clock20s places at us, to the tick.
func allocatedAt(us uint64) Object {
	return Object{Addr: us, Jiffies: clock20s.Jiffies - (clock20s.US-us)/10_000}
}

func TestClockAllocUS(t *testing.T) {
	tests := []struct {
		name   string
		c      Clock
		o      Object
		want   uint64
		wantOK bool
	}{
		{"from jiffies", clock20s, Object{Jiffies: clock20s.Jiffies - 1200}, 8_000_000, true},
		{"from age", Clock{US: 30_000_000}, Object{Age: 26868 * time.Millisecond, HasAge: true}, 3_132_000, true},
		{"age wins over jiffies", clock20s, Object{Jiffies: 1, Age: time.Second, HasAge: true}, 19_000_000, true},
		{"age older than uptime", Clock{US: 1_000_000}, Object{Age: time.Hour, HasAge: true}, 0, true},
		{"HZ 300 rounds down", Clock{US: 10_000_000, Jiffies: 1000, HZ: 300}, Object{Jiffies: 999}, 9_996_667, true},
		{"newer than the clock", clock20s, Object{Jiffies: clock20s.Jiffies + 5}, 20_050_000, true},
		{"32-bit wrap", Clock{US: 400_000_000, Jiffies: 5, HZ: 250}, Object{Jiffies: math.MaxUint32 - 5}, 399_956_000, true},
		{"64-bit past 2^32", Clock{US: 400_000_000, Jiffies: 1 << 32, HZ: 100}, Object{Jiffies: 1<<32 - 3000}, 370_000_000, true},
		{"garbage jiffies", clock20s, Object{Jiffies: math.MaxUint64}, clock20s.US + maxAgeUS, true},
		{"ancient garbage", Clock{US: 1, Jiffies: math.MaxUint64, HZ: 1}, Object{Jiffies: 1 << 33}, 0, true},
		{"no HZ", Clock{US: 20_000_000, Jiffies: 4294939296}, Object{Jiffies: 4294939000}, 0, false},
		{"HZ out of range", Clock{US: 1, Jiffies: 2, HZ: math.MaxInt}, Object{Jiffies: 1}, 0, false},
		{"no jiffies", Clock{US: 20_000_000, HZ: 100}, Object{Jiffies: 4294939000}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.c.AllocUS(tc.o)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("AllocUS = %d, %v; want %d, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestAttribute(t *testing.T) {
	const at = 8_000_000 // the object's allocation time, µs
	obj := allocatedAt(at)
	slack := uint64(Slack.Microseconds())
	tests := []struct {
		name    string
		c       Clock
		windows []Window
		want    int // the step it lands in; -1 for none
	}{
		{"inside", clock20s, []Window{{1, 7_000_000, 9_000_000}}, 1},
		{"on the start", clock20s, []Window{{1, at, 9_000_000}}, 1},
		{"on the end", clock20s, []Window{{1, 7_000_000, at}}, 1},
		{"slack before the start", clock20s, []Window{{1, at + slack, 9_000_000}}, 1},
		{"past the slack before the start", clock20s, []Window{{1, at + slack + 1, 9_000_000}}, -1},
		{"slack after the end", clock20s, []Window{{1, 7_000_000, at - slack}}, 1},
		{"past the slack after the end", clock20s, []Window{{1, 7_000_000, at - slack - 1}}, -1},
		{"exact beats slack", clock20s, []Window{{1, 7_000_000, at - 5_000}, {2, at - 1_000, 9_000_000}}, 2},
		{"nearer slack wins", clock20s, []Window{{1, 7_000_000, at - 15_000}, {2, at + 5_000, 9_000_000}}, 2},
		{"first of overlapping windows", clock20s, []Window{{1, 7_000_000, 9_000_000}, {2, 7_500_000, 8_500_000}}, 1},
		{"between windows", clock20s, []Window{{1, 1_000_000, 7_000_000}, {2, 9_000_000, 10_000_000}}, -1},
		{"no windows", clock20s, nil, -1},
		{"window ending before it starts", clock20s, []Window{{1, 9_000_000, 7_000_000}}, -1},
		{"clock without HZ", Clock{US: clock20s.US, Jiffies: clock20s.Jiffies}, []Window{{1, 0, math.MaxUint64}}, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			byStep, un := Attribute([]Object{obj}, tc.c, tc.windows)
			if byStep == nil {
				t.Fatal("byStep is nil")
			}
			want := map[int][]Object{}
			var wantUn []Object
			if tc.want >= 0 {
				want[tc.want] = []Object{obj}
			} else {
				wantUn = []Object{obj}
			}
			if !reflect.DeepEqual(byStep, want) || !reflect.DeepEqual(un, wantUn) {
				t.Errorf("byStep %v unattributed %v, want %v %v", byStep, un, want, wantUn)
			}
		})
	}
}

// TestAttributeReport runs the 6.1 report through the clock the guest
// read from /proc/timer_list right after it: the boot-time leak stays
// unattributed, the two insmod leaks go to the insmod step.
func TestAttributeReport(t *testing.T) {
	report, err := os.ReadFile("testdata/debian-6.1.txt")
	if err != nil {
		t.Fatal(err)
	}
	tl, err := os.ReadFile("testdata/timer_list.out")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseTimerList(string(tl))
	if err != nil {
		t.Fatal(err)
	}
	// The insmod objects have jiffies 4294938512: 842 ticks before the
	// clock's 4294939354, so 8.42 s before 20.612345 s.
	windows := []Window{
		{Step: 0, StartUS: 11_950_000, EndUS: 12_180_000}, // insmod, ending 12 ms early
		{Step: 1, StartUS: 12_400_000, EndUS: 14_000_000}, // a later step
	}
	objs := Parse(string(report))
	byStep, un := Attribute(objs, c, windows)
	if len(byStep) != 1 || len(byStep[0]) != 2 || byStep[0][0].Size != 1024 || byStep[0][1].Size != 64 {
		t.Errorf("byStep %v, want step 0 with the 1024- and 64-byte objects", byStep)
	}
	if len(un) != 1 || un[0].Comm != "swapper/0" {
		t.Errorf("unattributed %v, want the swapper/0 object", un)
	}
}

package leak

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestParseTimerList(t *testing.T) {
	b, err := os.ReadFile("testdata/timer_list.out")
	if err != nil {
		t.Fatal(err)
	}
	want := Clock{US: 20_612_345, Jiffies: 4294939354, HZ: 100}
	for name, text := range map[string]string{
		"lf":   string(b),
		"crlf": strings.ReplaceAll(string(b), "\n", "\r\n"),
	} {
		got, err := ParseTimerList(text)
		if err != nil || got != want {
			t.Errorf("%s: got %+v, %v; want %+v", name, got, err, want)
		}
	}
}

func TestParseTimerListErrors(t *testing.T) {
	for _, text := range []string{
		"",
		"now at 20612345678 nsecs\n  .last_jiffies   : 4294939353\n",
		"now at soon nsecs\njiffies: 4294939354\n",
		"jiffies: 4294939354\n",
	} {
		if c, err := ParseTimerList(text); err == nil {
			t.Errorf("ParseTimerList(%q) = %+v, want an error", text, c)
		}
	}
}

func TestInferHZ(t *testing.T) {
	const tickStartUS = 300_000 // jiffies start counting a little after boot
	for _, hz := range tickRates {
		for _, sec := range []uint64{1, 3, 20, 120, 250, 400, 3600, 86400} {
			t.Run(fmt.Sprintf("HZ=%d at %ds", hz, sec), func(t *testing.T) {
				us := sec * 1_000_000
				initial := uint64(1<<32 - 300*hz)
				j := initial + (us-tickStartUS)*uint64(hz)/1_000_000
				if got := inferHZ(us, j); got != hz {
					t.Errorf("inferHZ = %d, want %d", got, hz)
				}
			})
		}
	}
	// Near 300 s every rate's count is near 2^32.
	if got := inferHZ(299_000_000, 1<<32-100); got != 0 {
		t.Errorf("inferHZ at 299 s = %d, want 0", got)
	}
	if got := inferHZ(20_000_000, 12345); got != 0 {
		t.Errorf("inferHZ of nonsense = %d, want 0", got)
	}
}

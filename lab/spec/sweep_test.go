package spec

import (
	"strings"
	"testing"
)

func TestSweepField(t *testing.T) {
	tests := []struct {
		name, step string
		wantErr    string
		timeout    string
	}{
		{"allocations", "  - action: insmod\n    sweep: allocations\n", "", SweepTimeout},
		{"own timeout", "  - action: insmod\n    sweep: allocations\n    timeout: 30s\n", "", "30s"},
		{"unknown sweep", "  - action: insmod\n    sweep: pages\n", `spec.yaml:3: sweep "pages": the one sweep there is is "allocations"`, ""},
		{"on rmmod", "  - action: rmmod\n    sweep: allocations\n", "spec.yaml:3: sweep: only an insmod step can sweep its allocations, not rmmod", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("spec.yaml", []byte("steps:\n"+tc.step))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			st := s.Steps[0]
			if st.Sweep != SweepAllocations || !st.Probe || st.Timeout != tc.timeout {
				t.Fatalf("step = sweep %q, probe %v, timeout %q; want a probe sweeping allocations with timeout %s", st.Sweep, st.Probe, st.Timeout, tc.timeout)
			}
		})
	}
}

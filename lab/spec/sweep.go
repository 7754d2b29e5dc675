package spec

import "fmt"

// SweepAllocations is the one kind of error-path sweep: the load's
// allocations fail one at a time.
const SweepAllocations = "allocations"

// SweepTimeout bounds a sweep step whose spec gives no timeout: a load
// makes tens of allocations on a debug kernel, each of which is one more
// insmod under software emulation.
const SweepTimeout = "120s"

// sweep validates and applies a step's sweep field: only an insmod can be
// swept, and a sweep is a probe with a longer default timeout.
func (st *Step) sweep(value string) error {
	if value == "" {
		return nil
	}
	if value != SweepAllocations {
		return fmt.Errorf("sweep %q: the one sweep there is is %q", value, SweepAllocations)
	}
	if st.Action != "insmod" {
		return fmt.Errorf("sweep: only an insmod step can sweep its allocations, not %s", st.Action)
	}
	st.Sweep, st.Probe = value, true
	if st.Timeout == "" {
		st.Timeout = SweepTimeout
	}
	return nil
}

package plan

// SweepAllocations makes an insmod step an error-path sweep: the agent
// loads the module again and again, the n-th time with the n-th
// allocation of the load failing (/proc/thread-self/fail-nth, through
// failslab: kmalloc up to 8 KiB and slab caches), for every allocation
// the module's init makes (the agent counts the load's allocations and
// goes back from the last one until the failing one is the kernel's own,
// made before init), then once more with none failing. Every load with a
// failure injected must fail cleanly; one that succeeds anyway is
// unloaded before the next. The kernel reports each injected failure with
// its stack ("FAULT_INJECTION: forcing a failure."), which is how the host
// names the allocation whose failure a module mishandled. On a kernel
// without fault injection the step is a plain insmod.
const SweepAllocations = "allocations"

// MaxSweepTries bounds a sweep: a load that still makes allocations after
// this many is not swept further (the step says so).
const MaxSweepTries = 400

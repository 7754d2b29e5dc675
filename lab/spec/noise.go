package spec

import (
	"regexp"
	"strings"
)

// noise matches what the kernel itself prints about loading a module, and
// the asynchronous messages of timekeeping and scheduling that a slow or
// loaded emulated guest prints at any time; those lines are not the
// module's output. (Failures are found in the whole log, not this view.)
var noise = regexp.MustCompile(`^(?:` +
	`\S+: loading out-of-tree module taints kernel\.` +
	`|\S+: module verification failed: signature and/or required key missing - tainting kernel` +
	`|\S+: module license '.*' taints kernel\.` +
	`|\S+: module is from the staging directory, the quality is unknown, you have been warned\.` +
	`|Disabling lock debugging due to kernel taint` +
	`|\S+: module uses symbols .* marked GPL-only` +
	`|tsc: .*|clocksource: .*|timekeeping watchdog .*|TSC found unstable .*` +
	`|hrtimer: interrupt took \d+ ns|perf: interrupt took too long .*|sched: RT throttling activated` +
	`|NOHZ tick-stop error: .*|workqueue: .* hogged CPU .*` +
	`|random: crng init done` +
	`)$`)

// ModuleOutput drops the kernel's own messages about loading modules from
// a step's log text, leaving what the module printed.
func ModuleOutput(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue // a blank line says nothing: pr_info("\n") to space the output
		}
		if !noise.MatchString(l) {
			out = append(out, l)
		}
	}
	return out
}

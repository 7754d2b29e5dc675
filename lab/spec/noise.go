package spec

import "regexp"

// noise matches what the kernel itself prints about loading a module, and
// the few asynchronous boot messages that can still arrive during the first
// step on a slow guest; those lines are not the module's output.
var noise = regexp.MustCompile(`^(?:` +
	`\S+: loading out-of-tree module taints kernel\.` +
	`|\S+: module verification failed: signature and/or required key missing - tainting kernel` +
	`|\S+: module license '.*' taints kernel\.` +
	`|\S+: module is from the staging directory, the quality is unknown, you have been warned\.` +
	`|Disabling lock debugging due to kernel taint` +
	`|\S+: module uses symbols .* marked GPL-only` +
	`|tsc: Refined TSC clocksource calibration: .*` +
	`|clocksource: tsc: mask: .*|clocksource: Switched to clocksource \S+` +
	`|random: crng init done` +
	`)$`)

// ModuleOutput drops the kernel's own messages about loading modules from
// a step's log text, leaving what the module printed.
func ModuleOutput(lines []string) []string {
	var out []string
	for _, l := range lines {
		if !noise.MatchString(l) {
			out = append(out, l)
		}
	}
	return out
}

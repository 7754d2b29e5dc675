// Package modules holds the six seed modules (one folder each: C source,
// Kbuild, spec.yaml) and embeds their specs, so that the grader's default
// assignment works wherever lkmlab runs.
package modules

import "embed"

// Specs holds <name>/spec.yaml for each seed module.
//
//go:embed */spec.yaml
var Specs embed.FS

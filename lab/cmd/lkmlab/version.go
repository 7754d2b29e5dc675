package main

import (
	"fmt"

	"github.com/lkmlab/lkmlab/lab/agentbin"
	"github.com/lkmlab/lkmlab/lab/version"
)

// cmdVersion prints what a bug report or a grade needs to name this build.
func cmdVersion(args []string) error {
	if len(args) > 0 {
		return errUsage
	}
	v := version.Get()
	commit := v.Commit
	if commit == "" {
		commit = "unknown"
	}
	fmt.Printf("lkmlab %s\ncommit %s\n", v.Version, commit)
	for _, arch := range agentbin.Arches {
		sum, err := agentbin.SHA256(arch)
		if err != nil {
			sum = "missing (" + err.Error() + ")"
		} else {
			sum = "sha256:" + sum
		}
		fmt.Printf("agent  %s (linux/%s, embedded)\n", sum, arch)
	}
	fmt.Printf("go     %s\n", v.Go)
	return nil
}

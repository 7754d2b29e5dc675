package main

import (
	"fmt"

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
	fmt.Printf("lkmlab %s\ncommit %s\nagent  sha256:%s (linux/amd64, embedded)\ngo     %s\n", v.Version, commit, v.Agent, v.Go)
	return nil
}

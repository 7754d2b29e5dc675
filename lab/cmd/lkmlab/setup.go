package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/lkmlab/lkmlab/lab/setup"
	"github.com/lkmlab/lkmlab/lab/vm"
)

// cmdSetup installs what the named purposes need (default: what lkmlab's
// commands use): the only command that installs anything.
func cmdSetup(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	forList := fs.String("for", "", "comma-separated purposes: "+purposeNames()+", or all (default: all but test)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errUsage
	}
	ps, err := parsePurposes(*forList)
	if err != nil {
		return err
	}
	if err := setup.Install(ctx, os.Stderr, ps...); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "lkmlab: host has what %s needs\n", purposeList(ps))
	if slices.Contains(ps, setup.Boot) {
		fmt.Fprintf(os.Stderr, "lkmlab: VMs will run with %s\n", vm.ProbeAccel())
	}
	// Only grading needs the sandbox: a warning, so that a host that
	// forbids user namespaces can still check modules.
	if slices.Contains(ps, setup.Grade) {
		if err := setup.UserNamespaces(); err != nil {
			fmt.Fprintf(os.Stderr, "lkmlab: WARNING: lkmlab grade will not run here: %v\n", err)
		}
	}
	return nil
}

// parsePurposes reads --for: "" is setup.Default, "all" every purpose.
func parsePurposes(s string) ([]setup.Purpose, error) {
	switch s {
	case "":
		return setup.Default, nil
	case "all":
		return setup.Purposes, nil
	}
	var ps []setup.Purpose
	for _, name := range strings.Split(s, ",") {
		p, err := setup.ParsePurpose(strings.TrimSpace(name))
		if err != nil {
			return nil, fmt.Errorf("setup --for: %w", err)
		}
		ps = append(ps, p)
	}
	return ps, nil
}

func purposeNames() string { return purposeList(setup.Purposes) }

func purposeList(ps []setup.Purpose) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, ",")
}

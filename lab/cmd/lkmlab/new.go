package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lkmlab/lkmlab/lab/scaffold"
)

// cmdNew starts a module folder that passes `lkmlab check` as written.
func cmdNew(args []string) error {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	in := fs.String("in", ".", "folder to create the module's folder in")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("new: name one module, such as demo: %w", errUsage)
	}
	name := fs.Arg(0)
	dir, err := scaffold.New(name, scaffold.Options{Dir: *in})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "lkmlab: wrote %s (%s.c, Kbuild, spec.yaml); check it with:\n  lkmlab check --modules %s %s\n",
		dir, name, filepath.Clean(*in), name)
	return nil
}

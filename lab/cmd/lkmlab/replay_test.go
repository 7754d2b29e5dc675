package main

import (
	"flag"
	"io"
	"slices"
	"testing"
)

func TestParseAnywhere(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		mods  []string
		shell bool
		seed  uint64
	}{
		{[]string{"--seed", "5", "a", "b"}, []string{"a", "b"}, false, 5},
		{[]string{"--step", "a:1", "--seed", "5", "a", "b", "--shell"}, []string{"a", "b"}, true, 5},
		{[]string{"a", "--seed=7", "b"}, []string{"a", "b"}, false, 7},
		{nil, nil, false, 0},
	} {
		fs := flag.NewFlagSet("check", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		shell := fs.Bool("shell", false, "")
		seed := fs.Uint64("seed", 0, "")
		fs.String("step", "", "")
		mods, err := parseAnywhere(fs, tc.args)
		if err != nil || !slices.Equal(mods, tc.mods) || *shell != tc.shell || *seed != tc.seed {
			t.Errorf("parseAnywhere(%q) = %q, shell %v, seed %d, %v", tc.args, mods, *shell, *seed, err)
		}
	}
}

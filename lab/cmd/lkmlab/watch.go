package main

import (
	"context"
	"os"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/watch"
)

// checkWatch checks the targets, then again each time one's files are
// saved, until Ctrl-C. Only what changed is shown: the check's progress
// lines too only with -v.
func checkWatch(ctx context.Context, targets []check.Target, o check.Options, verbose bool) error {
	if !verbose {
		o.Logf = nil
	}
	return watch.Watch(ctx, targets, watch.Options{Out: os.Stdout,
		Run: func(ctx context.Context, ts []check.Target) (*result.Report, error) { return check.Run(ctx, ts, o) }})
}

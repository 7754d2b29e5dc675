package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/lkmlab/lkmlab/lab/kernel"
)

// cmdKernels lists the kernels lkmlab knows and which are cached.
func cmdKernels() error {
	es, err := kernel.List(kernel.Options{})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCACHED\tWHAT")
	for _, e := range es {
		cached := "no"
		if e.Cached {
			cached = "yes"
		} else if e.Dir == "" {
			cached = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", e.Name, cached, e.About)
	}
	fmt.Fprintln(tw, "(a path)\t-\tIMAGE:KDIR, or a built kernel tree")
	return tw.Flush()
}

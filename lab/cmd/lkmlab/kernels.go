package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/lkmlab/lkmlab/lab/kernel"
)

// cmdKernels lists the kernels lkmlab knows and what each one is now: the
// pinned package, or the newer one in use because Debian dropped the pin.
func cmdKernels() error {
	es, err := kernel.List(kernel.Options{})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCACHED\tRELEASE\tWHAT")
	for _, e := range es {
		cached := "no"
		if e.Cached {
			cached = "yes"
		} else if e.Dir == "" {
			cached = "-"
		}
		release := e.Release
		if release == "" {
			release = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Name, cached, release, e.About)
		if e.Replaces != "" {
			fmt.Fprintf(tw, "\t\t\tin use instead of the pinned %s, which Debian dropped: update %s (--strict-kernel refuses it)\n",
				e.Replaces, "lab/kernel/pins.go")
		}
	}
	fmt.Fprintln(tw, "(a path)\t-\t-\tIMAGE:KDIR, or a built kernel tree")
	return tw.Flush()
}

// kernelUsage heads the help of `lkmlab kernel`.
const kernelUsage = `usage: lkmlab kernel [--kernel K] [--strict-kernel] [--print image|builddir|release|modules|package|buildid]
       lkmlab kernel build NAME
Fetch (Debian kernels) or build (minimal kernels: about 5 minutes on 2 cores
and 1.5 GB of disk, once) a kernel into the cache and print where it is.
kernels: %s, IMAGE:KDIR, or a built kernel tree
`

// cmdKernel resolves a kernel and prints it; `kernel build NAME` does the
// same for a kernel named as an argument.
func cmdKernel(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "build" {
		return cmdKernelBuild(ctx, args[1:])
	}
	fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
	kname := fs.String("kernel", "", "kernel name or path (default "+kernel.DefaultName+")")
	field := fs.String("print", "", "print one field: image, builddir, release, modules, package or buildid")
	strict := fs.Bool("strict-kernel", false, "fail instead of using a newer package than the pin (also "+kernel.StrictEnv+"=1)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), kernelUsage, strings.Join(kernel.Names(), ", "))
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errUsage
	}
	k, err := kernel.Resolve(ctx, *kname, kernel.Options{Logf: progress(), Strict: *strict})
	if err != nil {
		return err
	}
	return printKernel(k, *field)
}

// cmdKernelBuild builds or fetches the named kernel, printing progress.
func cmdKernelBuild(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("kernel build", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintf(fs.Output(), kernelUsage, strings.Join(kernel.Names(), ", ")) }
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("kernel build: name one kernel, such as minimal: %w", errUsage)
	}
	k, err := kernel.Resolve(ctx, fs.Arg(0), kernel.Options{Logf: progress()})
	if err != nil {
		return err
	}
	return printKernel(k, "")
}

// printKernel prints k, or one field of it.
func printKernel(k *kernel.Kernel, field string) error {
	fields := map[string]string{"image": k.Image, "builddir": k.BuildDir, "release": k.Release,
		"modules": k.ModulesDir, "package": k.Package, "buildid": k.BuildID}
	if field == "" {
		fmt.Printf("name:     %s\nrelease:  %s\npackage:  %s\nbuild-id: %s\nimage:    %s\nbuilddir: %s\nmodules:  %s\nsource:   %s\n",
			k.Name, k.Release, k.Package, k.BuildID, k.Image, k.BuildDir, k.ModulesDir, k.Source)
		return nil
	}
	v, ok := fields[field]
	if !ok {
		return fmt.Errorf("--print %q: want image, builddir, release, modules, package or buildid: %w", field, errUsage)
	}
	fmt.Println(v)
	return nil
}

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

// kernelUsage heads the help of `lkmlab kernel`.
const kernelUsage = `usage: lkmlab kernel [--kernel K] [--print image|builddir|release|modules]
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
	field := fs.String("print", "", "print one field: image, builddir, release or modules")
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
	k, err := kernel.Resolve(ctx, *kname, kernel.Options{Logf: progress()})
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
	switch field {
	case "":
		fmt.Printf("name:     %s\nrelease:  %s\nimage:    %s\nbuilddir: %s\nmodules:  %s\nsource:   %s\n",
			k.Name, k.Release, k.Image, k.BuildDir, k.ModulesDir, k.Source)
	case "image":
		fmt.Println(k.Image)
	case "builddir":
		fmt.Println(k.BuildDir)
	case "release":
		fmt.Println(k.Release)
	case "modules":
		fmt.Println(k.ModulesDir)
	default:
		return fmt.Errorf("--print %q: want image, builddir, release or modules: %w", field, errUsage)
	}
	return nil
}

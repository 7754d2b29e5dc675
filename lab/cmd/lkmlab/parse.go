package main

import (
	"fmt"
	"io"
	"os"

	"github.com/lkmlab/lkmlab/lab/kmsg"
)

// cmdParse scans a saved console log or dmesg output for kernel failures,
// with no kernel and no VM: the log alone is the bug report.
func cmdParse(args []string) error {
	if len(args) > 1 {
		return errUsage
	}
	in := io.Reader(os.Stdin)
	name := "standard input"
	if len(args) == 1 && args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			return fmt.Errorf("parse: %w", err)
		}
		defer f.Close()
		in, name = f, args[0]
	}
	b, err := io.ReadAll(in)
	if err != nil {
		return fmt.Errorf("parse %s: %w", name, err)
	}
	fs := kmsg.Scan(kmsg.ParseLines(string(b)))
	for _, f := range fs {
		fmt.Println(f.Error())
		if f.Module != "" {
			fmt.Printf("(in module %s)\n", f.Module)
		}
		fmt.Println()
	}
	fmt.Printf("%s: %d kernel failure(s)\n", name, len(fs))
	if len(fs) > 0 {
		return errCheckFailed
	}
	return nil
}

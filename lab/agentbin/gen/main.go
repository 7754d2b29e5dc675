// Command gen regenerates the embedded guest agent (lab/agentbin) when its
// sources changed: `make agent` runs it. With -check, or
// LKMLAB_AGENT_CHECK=1 (CI), it only fails when the agent is stale, so that
// a commit with a stale agent fails CI instead of being fixed by it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/lkmlab/lkmlab/lab/agentbin/agentgen"
)

func main() {
	check := flag.Bool("check", os.Getenv("LKMLAB_AGENT_CHECK") == "1", "fail when the agent is stale instead of regenerating it (default from LKMLAB_AGENT_CHECK=1)")
	root := flag.String("root", "", "module root (default: the module of the current folder)")
	flag.Parse()
	err := agentgen.Generate(context.Background(), agentgen.Options{Root: *root, Check: *check,
		Logf: func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }})
	if err != nil {
		fmt.Fprintf(os.Stderr, "make agent: %v\n", err)
		os.Exit(1)
	}
}

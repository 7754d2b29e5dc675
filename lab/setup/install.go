package setup

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// Install installs with apt-get what purposes need and the host lacks, as
// root or through sudo (asking for the password when on a terminal);
// otherwise it returns an error that gives the command to run. Only `lkmlab setup` calls it: check and
// grade report what is missing (Check) and change nothing.
func Install(ctx context.Context, out io.Writer, purposes ...Purpose) error {
	needs := For(purposes...)
	pkgs := Missing(needs)
	if len(pkgs) == 0 {
		return nil
	}
	install := append([]string{"apt-get", "install", "-y", "--no-install-recommends"}, pkgs...)
	cmdline := strings.Join(install, " ")
	var prefix []string
	switch {
	case os.Geteuid() == 0:
	case exec.Command("sudo", "-n", "true").Run() == nil:
		prefix = []string{"sudo", "-n"}
	case onTerminal() && hasProgram("sudo"):
		// sudo asks for the password on the terminal.
		prefix = []string{"sudo"}
	default:
		return fmt.Errorf("setup: missing %s; run: sudo apt-get update && sudo %s", strings.Join(pkgs, ", "), cmdline)
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return fmt.Errorf("setup: missing %s and no apt-get to install them: install them with your package manager", strings.Join(pkgs, ", "))
	}
	fmt.Fprintf(out, "lkmlab: installing %s (apt-get)\n", strings.Join(pkgs, " "))
	for _, args := range [][]string{{"apt-get", "update", "-q"}, install} {
		argv := append(append([]string(nil), prefix...), args...)
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, out, out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("setup: %s: %w (run it by hand to see why)", strings.Join(argv, " "), err)
		}
	}
	if still := Missing(needs); len(still) > 0 {
		return fmt.Errorf("setup: still missing after apt-get install: %s", strings.Join(still, ", "))
	}
	return nil
}

// Ensure installs what every purpose but Test needs (see Install).
//
// Deprecated: commands must not install; call CheckCommand, and leave
// installing to `lkmlab setup` (Install).
func Ensure(ctx context.Context, out io.Writer) error {
	return Install(ctx, out, Default...)
}

// onTerminal reports whether standard input is a terminal, where sudo can
// ask for a password.
func onTerminal() bool {
	fi, err := os.Stdin.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func hasProgram(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}

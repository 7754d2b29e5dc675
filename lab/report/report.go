// Package report renders a check's verdicts -> a text table with diffs and
// failure excerpts, or JSON.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/lkmlab/lkmlab/lab/result"
)

// JSON is the machine-readable report.
type JSON struct {
	Kernel  string `json:"kernel"`
	Release string `json:"release"`
	Accel   string `json:"accel"` // kvm or tcg
	// AccelReason says why that accelerator was chosen.
	AccelReason string   `json:"accel_reason"`
	Passed      bool     `json:"passed"`
	Boots       int      `json:"boots"`
	Seed        uint64   `json:"seed"`
	Modules     []Module `json:"modules"`
	// Versions and Tampering: see result.Report.
	Versions  result.Versions `json:"versions"`
	Tampering []string        `json:"tampering,omitempty"`
}

// Module is one module in the JSON report.
type Module struct {
	Name    string         `json:"name"`
	Verdict result.Verdict `json:"verdict"`
	Error   string         `json:"error,omitempty"`
	Steps   []result.Step  `json:"steps"`
}

// WriteJSON writes r as indented JSON.
func WriteJSON(w io.Writer, r *result.Report) error {
	out := JSON{Kernel: r.Kernel, Release: r.Release, Accel: r.Accel.Name, AccelReason: r.Accel.Reason,
		Passed: r.Passed(), Boots: r.Boots, Seed: r.Seed, Versions: r.Versions, Tampering: r.Tampering}
	for _, m := range r.Modules {
		steps := m.Steps
		if steps == nil {
			steps = []result.Step{}
		}
		out.Modules = append(out.Modules, Module{Name: m.Name, Verdict: m.Verdict, Error: m.Error, Steps: steps})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteTable writes the verdict table, then the details of every module
// that did not pass, each failed step with the command that replays it.
func WriteTable(w io.Writer, r *result.Report) error {
	return WriteTableFor(w, r, ReplayCommand(r, ""))
}

// WriteTableFor is WriteTable with the command that repeats the run as the
// person ran it (see ReplayCommand): a failed step's replay line is it
// with --step MODULE:N.
func WriteTableFor(w io.Writer, r *result.Report, replay string) error {
	fmt.Fprintf(w, "kernel %s (%s), accel %s\n\n", r.Kernel, r.Release, r.Accel)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MODULE\tSTEP\tVERDICT\tTIME")
	for _, m := range r.Modules {
		if len(m.Steps) == 0 {
			fmt.Fprintf(tw, "%s\t-\t%s\t\n", m.Name, strings.ToUpper(string(m.Verdict)))
		}
		for _, s := range m.Steps {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%dms\n", m.Name, s.Name, strings.ToUpper(string(s.Verdict)), s.MS)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, m := range r.Modules {
		writeDetails(w, m, replay)
	}
	pass := 0
	for _, m := range r.Modules {
		if m.Verdict == result.Pass {
			pass++
		}
	}
	boots := fmt.Sprintf("%d boot(s)", r.Boots)
	if r.Restored > 0 {
		boots = fmt.Sprintf("%d VM(s), %d restored from a snapshot", r.Boots, r.Restored)
	}
	if _, err := fmt.Fprintf(w, "\n%d of %d modules passed (%s, %.1fs, seed %d)\n", pass, len(r.Modules), boots, r.Timing.Total.Seconds(), r.Seed); err != nil {
		return err
	}
	fmt.Fprintln(w, VersionLine(r))
	for _, t := range r.Tampering {
		fmt.Fprintf(w, "tampering outside any step: %s\n", t)
	}
	if r.LeakScans > 0 {
		fmt.Fprintf(w, "kmemleak: scanned after the steps in %d VM(s); leaks are charged to the step that allocated them\n", r.LeakScans)
	}
	for _, e := range r.LeakErrors {
		fmt.Fprintf(w, "kmemleak: no result: %s\n", e)
	}
	return nil
}

func writeDetails(w io.Writer, m result.Module, replay string) {
	if m.Verdict == result.Pass {
		return
	}
	fmt.Fprintf(w, "\n--- %s: %s\n", m.Name, strings.ToUpper(string(m.Verdict)))
	if m.Error != "" {
		fmt.Fprintln(w, indent(m.Error))
	}
	for i, s := range m.Steps {
		if s.Verdict == result.Pass || s.Verdict == result.Skipped {
			continue
		}
		fmt.Fprintf(w, "  %s: %s\n", s.Name, indent(s.Reason))
		for _, d := range s.Diff {
			fmt.Fprintf(w, "    %s\n", d)
		}
		if replay != "" {
			fmt.Fprintf(w, "    replay: %s\n", StepReplay(replay, m.Name, i))
		}
	}
}

// ReplayCommand is the command that repeats a check's run: its kernel,
// its seed and its modules in their order (the values are drawn over all
// of them), from the folder modules ("" for the default).
func ReplayCommand(r *result.Report, modules string) string {
	cmd := fmt.Sprintf("lkmlab check --kernel %s --seed %d", ShellQuote(r.Kernel), r.Seed)
	if modules != "" && modules != "modules" {
		cmd += " --modules " + ShellQuote(modules)
	}
	for _, m := range r.Modules {
		cmd += " " + ShellQuote(m.Name)
	}
	return cmd
}

// StepReplay is the command that replays step i (from 0) of a module:
// the run's command with --step, which shows that step; --shell or
// --debug stop in it. The flag goes first: flags end at the first module.
func StepReplay(run, module string, i int) string {
	step := "--step " + ShellQuote(fmt.Sprintf("%s:%d", module, i+1))
	if rest, ok := strings.CutPrefix(run, "lkmlab check "); ok {
		return "lkmlab check " + step + " " + rest
	}
	return run + " " + step
}

// ShellQuote quotes s for a POSIX shell when it needs it.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func indent(s string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

// VersionLine names everything the verdicts depend on, and how to repeat
// the run: "lkmlab v1.2.0 (abc123), kernel linux-image-...=6.1.192-3
// build-id 5f2c..., QEMU 7.2.22, agent 9d1e...; repeat with --seed N".
func VersionLine(r *result.Report) string {
	v := r.Versions
	short := func(s string) string { return s[:min(len(s), 12)] }
	line := "lkmlab " + orUnknown(v.Lkmlab)
	if v.Commit != "" {
		line += " (" + short(v.Commit) + ")"
	}
	line += ", kernel " + orUnknown(v.KernelPackage)
	if v.KernelBuildID != "" {
		line += " build-id " + short(v.KernelBuildID)
	}
	return fmt.Sprintf("%s, QEMU %s, agent %s; repeat with --kernel %s --seed %d",
		line, orUnknown(v.QEMU), orUnknown(short(v.Agent)), r.Kernel, r.Seed)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

package kernel

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Lines of a config fragment or .config: "CONFIG_X=value" and
// "# CONFIG_X is not set".
var (
	configSetLine   = regexp.MustCompile(`^(CONFIG_[A-Za-z0-9_]+)=(.*)$`)
	configUnsetLine = regexp.MustCompile(`^# (CONFIG_[A-Za-z0-9_]+) is not set$`)
)

// configUnset is the value a fragment gives a symbol it turns off.
const configUnset = "n"

// parseConfig reads CONFIG_ symbols from a fragment or .config into a map
// of symbol to value ("n" for "is not set"). Blank lines and other comments
// are skipped; any other line is an error.
func parseConfig(data []byte) (map[string]string, error) {
	syms := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if m := configSetLine.FindStringSubmatch(line); m != nil {
			syms[m[1]] = m[2]
			continue
		}
		if m := configUnsetLine.FindStringSubmatch(line); m != nil {
			syms[m[1]] = configUnset
			continue
		}
		if line != "" && !strings.HasPrefix(line, "#") {
			return nil, fmt.Errorf("line %d: %q is neither CONFIG_X=value nor a comment", n, line)
		}
	}
	return syms, sc.Err()
}

// wantedConfig merges the profile's fragments in order, a later fragment
// overriding an earlier one, as merge_config.sh does, without the symbols
// the profile's Kconfig lacks.
func (p minimalProfile) wantedConfig() (map[string]string, error) {
	want := map[string]string{}
	for _, f := range p.fragments {
		syms, err := parseConfig(f.data)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", f.path(), err)
		}
		for sym, value := range syms {
			want[sym] = value
		}
	}
	for _, sym := range p.absent {
		delete(want, sym)
	}
	return want, nil
}

// verifyAbsent checks that the final .config does not mention the symbols
// a profile declares its Kconfig lacks: Kconfig writes every symbol it
// knows whose dependencies are met, so one that shows up exists after all
// and should be checked again.
func verifyAbsent(absent []string, final []byte, profile string) error {
	got, err := parseConfig(final)
	if err != nil {
		return fmt.Errorf("parse .config: %w", err)
	}
	var present []string
	for _, sym := range absent {
		if _, ok := got[sym]; ok {
			present = append(present, sym)
		}
	}
	if len(present) == 0 {
		return nil
	}
	return fmt.Errorf("the .config of %s has %s, which its profile lists as absent from its Kconfig: remove them from the profile's absent list in lab/kernel/minimal.go",
		profile, strings.Join(present, ", "))
}

// verifyConfig checks the final .config against what the fragments asked
// for: each CONFIG_X=value exactly, each CONFIG_X=n not set. Kconfig drops
// silently what it cannot satisfy; this names those symbols.
func verifyConfig(want map[string]string, final []byte, recipe string) error {
	got, err := parseConfig(final)
	if err != nil {
		return fmt.Errorf("parse .config: %w", err)
	}
	var problems []string
	for sym, value := range want {
		have, set := got[sym]
		if !set {
			have = "absent"
		} else if have == configUnset {
			set, have = false, "not set"
		}
		switch {
		case value == configUnset && set:
			problems = append(problems, fmt.Sprintf("%s=%s (want it off)", sym, have))
		case value != configUnset && got[sym] != value:
			problems = append(problems, fmt.Sprintf("%s is %s (want %s)", sym, have, value))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	sort.Strings(problems)
	return fmt.Errorf("kconfig did not apply %d line(s) of %s: %s; their dependencies are not met: fix the fragment",
		len(problems), recipe, strings.Join(problems, ", "))
}

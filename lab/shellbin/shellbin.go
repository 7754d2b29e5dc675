// Package shellbin carries u-root's commands built ahead of time -> one
// gobusybox binary per guest architecture (a shell, insmod, rmmod, lsmod,
// dmesg, ps, ls, grep, ...), for the guest of `lkmlab shell`.
//
// gobusybox compiles the commands with the Go toolchain (about 40 s on 2
// cores), which an installed lkmlab may not have: the binaries are built
// once per u-root version by `go run ./lab/shellbin/gen` (make shellbin)
// and embedded, as lab/agentbin does for the agent. At run time the
// binary is extracted once into the cache under its sha256.
package shellbin

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Commands are the u-root commands built in, as folders of the u-root
// module: the everyday tools of a kernel lab. u-root has no top; ps,
// free, uptime and watch stand in for it.
var Commands = []string{
	"cmds/core/gosh", "cmds/core/insmod", "cmds/core/rmmod", "cmds/core/lsmod", "cmds/core/dmesg",
	"cmds/core/cat", "cmds/core/ps", "cmds/core/ls", "cmds/core/echo", "cmds/core/grep",
	"cmds/core/head", "cmds/core/tail", "cmds/core/more", "cmds/core/wc", "cmds/core/sort",
	"cmds/core/uniq", "cmds/core/tr", "cmds/core/find", "cmds/core/xargs", "cmds/core/tee",
	"cmds/core/hexdump", "cmds/core/strings", "cmds/core/dd", "cmds/core/cmp", "cmds/core/md5sum",
	"cmds/core/free", "cmds/core/uptime", "cmds/core/uname", "cmds/core/date", "cmds/core/pidof",
	"cmds/core/kill", "cmds/core/sleep", "cmds/core/timeout", "cmds/core/seq", "cmds/core/true",
	"cmds/core/false", "cmds/core/mkdir", "cmds/core/rm", "cmds/core/cp", "cmds/core/mv",
	"cmds/core/ln", "cmds/core/touch", "cmds/core/readlink", "cmds/core/which", "cmds/core/printenv",
	"cmds/core/id", "cmds/core/df", "cmds/core/du", "cmds/core/mount", "cmds/core/lsfd",
	"cmds/core/stty", "cmds/core/tty", "cmds/core/poweroff", "cmds/exp/watch",
}

// Shell is the command a session runs: u-root's shell.
const Shell = "gosh"

// Tags are the build tags: goshsmall gives gosh its plain line reader,
// which leaves editing to the guest terminal's line discipline; its full
// editor draws with terminal queries that a serial console answers
// badly.
const Tags = "goshsmall"

// GuestDir is the busybox's folder in the guest, as in u-root's own
// images; the binary is GuestDir/bb and every command a link to it.
const GuestDir = "/bbin"

// Arches are the GOARCH values with an embedded busybox.
var Arches = []string{"amd64", "arm64"}

// InfoFile records what the binaries were built from, in this folder.
const InfoFile = "shellbin.txt"

// Dir is this package's folder in the repository, where gen writes.
const Dir = "lab/shellbin"

//go:embed shellbin.txt linux-*.gz
var files embed.FS

// FileName is the compressed binary's file name for arch.
func FileName(arch string) string { return "linux-" + arch + ".gz" }

// Names are the names the busybox answers to: each command's folder name.
func Names() []string {
	out := make([]string, len(Commands))
	for i, c := range Commands {
		out[i] = path.Base(c)
	}
	return out
}

// Info is what shellbin.txt records: what was built (the key gen
// compares) and the sha256 of each binary.
type Info struct {
	URoot     string // the u-root module version
	Gobusybox string // the gobusybox module version
	Go        string // the toolchain, e.g. "go1.26.8"
	Tags      string
	Commands  []string
	SHA256    map[string]string // GOARCH -> sha256 of the uncompressed binary
}

// Key is what the binaries are built from, as one line: gen rebuilds
// them when it changes. The toolchain is recorded, not part of the key (as
// for the agent): a newer Go alone does not make them stale.
func (in Info) Key() string {
	return strings.Join([]string{in.URoot, in.Gobusybox, in.Tags, strings.Join(in.Commands, ",")}, " ")
}

// ParseInfo reads shellbin.txt: "key value" lines, '#' comments.
func ParseInfo(b []byte) (Info, error) {
	in := Info{SHA256: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, " ")
		value = strings.TrimSpace(value)
		switch {
		case !ok || value == "":
			return Info{}, fmt.Errorf("parse %s: line %d: want \"key value\", got %q", InfoFile, n, line)
		case key == "u-root":
			in.URoot = value
		case key == "gobusybox":
			in.Gobusybox = value
		case key == "go":
			in.Go = value
		case key == "tags":
			in.Tags = value
		case key == "commands":
			in.Commands = strings.Split(value, ",")
		case strings.HasPrefix(key, "linux/"):
			in.SHA256[strings.TrimPrefix(key, "linux/")] = value
		default:
			return Info{}, fmt.Errorf("parse %s: line %d: unknown key %q", InfoFile, n, key)
		}
	}
	return in, nil
}

// Format writes in as shellbin.txt.
func (in Info) Format() []byte {
	var b bytes.Buffer
	b.WriteString("# u-root's commands for lkmlab shell; written by `go run ./lab/shellbin/gen`. Do not edit.\n")
	for _, kv := range [][2]string{{"u-root", in.URoot}, {"gobusybox", in.Gobusybox}, {"go", in.Go},
		{"tags", in.Tags}, {"commands", strings.Join(in.Commands, ",")}} {
		fmt.Fprintf(&b, "%s %s\n", kv[0], kv[1])
	}
	for _, a := range Arches {
		if sum, ok := in.SHA256[a]; ok {
			fmt.Fprintf(&b, "linux/%s %s\n", a, sum)
		}
	}
	return b.Bytes()
}

// Embedded returns the record of the busyboxes this binary carries.
func Embedded() (Info, error) {
	b, err := files.ReadFile(InfoFile)
	if err != nil {
		return Info{}, fmt.Errorf("read embedded %s: %w", InfoFile, err)
	}
	return ParseInfo(b)
}

// Extract writes the busybox for linux/arch into cache (once: it is kept
// under its sha256) and returns its path and sha256.
func Extract(arch, cache string) (string, string, error) {
	in, err := Embedded()
	if err != nil {
		return "", "", err
	}
	want, ok := in.SHA256[arch]
	if !ok {
		return "", "", fmt.Errorf("no u-root commands for linux/%s in this lkmlab: it carries %s", arch, strings.Join(Arches, ", "))
	}
	p := filepath.Join(cache, "bb-linux-"+arch+"-"+want[:16])
	if got, err := fileSHA256(p); err == nil && got == want {
		return p, want, nil
	}
	if err := extract(arch, want, p); err != nil {
		return "", "", err
	}
	return p, want, nil
}

// extract decompresses the embedded binary to p through a temp file
// renamed into place, so concurrent sessions never see half of it.
func extract(arch, want, p string) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("extract u-root commands: %w", err)
	}
	f, err := files.Open(FileName(arch))
	if err != nil {
		return fmt.Errorf("extract u-root commands: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("extract u-root commands: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".bb-*")
	if err != nil {
		return fmt.Errorf("extract u-root commands: %w", err)
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(tmp, h), zr)
	if err == nil {
		err = tmp.Chmod(0o755)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("extract u-root commands to %s: %w", p, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("extract u-root commands: the embedded linux/%s busybox has sha256 %s, its record says %s: this lkmlab binary is damaged, reinstall it", arch, got, want)
	}
	return os.Rename(tmp.Name(), p)
}

func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

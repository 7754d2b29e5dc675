package leak

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lkmlab/lkmlab/lab/kmsg"
)

// Object is one unreferenced object in a kmemleak report.
type Object struct {
	Addr uint64 // the object's address
	Size int    // its size in bytes; 0 when the header was cut off
	// Type is what kmemleak prints between "object" and the address in
	// newer kernels, "percpu" or "phys"; "" for ordinary slab and vmalloc
	// objects.
	Type    string
	Comm    string // the task that allocated it, or "hardirq" / "softirq"
	PID     int    // its pid; 0 in interrupt context
	Jiffies uint64 // the jiffies count when it was allocated
	// Age is how old the object was when the report was read. Kernels
	// print it ("(age 16.444s)") only before Linux 6.8 and the stable
	// releases that took the change (6.1.y did); HasAge says whether this
	// report had it. Without it, Clock.AllocUS works from Jiffies.
	Age    time.Duration
	HasAge bool
	// Backtrace holds the allocation's frames as %pS printed them,
	// without the "[<address>]" prefix older kernels put before each:
	// "leaky_init+0x31/0x50 [leaky]", or "0xffffffffc0a1e031" for code
	// kallsyms no longer knows (an __init function after init, or a
	// module that was unloaded).
	Backtrace []string
	Modules   []string // module names seen in frames' [brackets], first seen first, each once
	// Text is the object's report as kmemleak printed it, lines joined by
	// "\n", without a console timestamp or "kmemleak: " prefix.
	Text string
}

// parser holds the object being read.
type parser struct {
	objs    []Object
	cur     *Object
	lines   []string
	inTrace bool // the lines are backtrace frames
	logged  bool // the object came from the kernel log
}

// Parse reads the objects of a kmemleak report: the text of
// /sys/kernel/debug/kmemleak, or kernel log text holding the same report
// (with console timestamps and "kmemleak: " prefixes, which it strips).
// It is tolerant: CRLF line ends, lines that belong to no report and a
// report cut off part way are fine; an object lasts from its
// "unreferenced object" line to the next line that fits no part of it.
// The objects come in the order kmemleak lists them, which is the order
// they were allocated in.
func Parse(report string) []Object {
	var p parser
	for _, raw := range strings.Split(report, "\n") {
		p.line(normalize(raw))
	}
	p.finish()
	return p.objs
}

// normalize strips what the kernel log adds to kmemleak's own lines: a
// syslog level, a timestamp, a caller id and the "kmemleak: " prefix,
// which it reports in logged.
func normalize(raw string) (s string, logged bool) {
	s = strings.TrimRight(raw, "\r")
	if strings.HasPrefix(s, "<") || strings.HasPrefix(s, "[") {
		s = kmsg.ParseLine(s).Text
	}
	s, logged = strings.CutPrefix(s, "kmemleak: ")
	return s, logged
}

// line feeds one normalized line to the parser. In a report from the
// kernel log, where every line carries "kmemleak: ", other lines are
// messages printed in between and are skipped.
func (p *parser) line(s string, logged bool) {
	if o, ok := parseHeader(s); ok {
		p.finish()
		p.cur, p.lines, p.inTrace, p.logged = &o, []string{s}, false, logged
		return
	}
	if p.cur == nil || p.logged && !logged {
		return
	}
	if !p.field(s) {
		p.finish()
		return
	}
	p.lines = append(p.lines, s)
}

// field applies a line inside an object's report and reports whether the
// line belongs to it.
func (p *parser) field(s string) bool {
	t := strings.TrimSpace(s)
	switch {
	case t == "" || !strings.HasPrefix(s, "  "):
		return false
	case strings.HasPrefix(t, "comm \""):
		parseComm(t, p.cur)
		p.inTrace = false
	case strings.HasPrefix(t, "hex dump"):
		p.inTrace = false
	case strings.HasPrefix(t, "backtrace"):
		p.inTrace = true
	case p.inTrace && strings.HasPrefix(s, "    "):
		p.frame(t)
	}
	// Other indented lines are hex rows or fields a newer kernel added:
	// they are part of the report and say nothing the parser needs.
	return true
}

// frame adds a backtrace frame, dropping its "[<address>] " prefix.
func (p *parser) frame(t string) {
	if strings.HasPrefix(t, "[<") {
		if i := strings.Index(t, ">]"); i >= 0 {
			t = strings.TrimSpace(t[i+2:])
		}
	}
	if t == "" {
		return
	}
	p.cur.Backtrace = append(p.cur.Backtrace, t)
	if m := frameModule(t); m != "" && !slices.Contains(p.cur.Modules, m) {
		p.cur.Modules = append(p.cur.Modules, m)
	}
}

// finish stores the object being read, if any.
func (p *parser) finish() {
	if p.cur == nil {
		return
	}
	p.cur.Text = strings.Join(p.lines, "\n")
	p.objs = append(p.objs, *p.cur)
	p.cur, p.lines = nil, nil
}

// parseHeader parses "unreferenced object 0xffff888003a1c000 (size 1024):",
// with the "(percpu)" or "(phys)" newer kernels put before the address.
// The size may be missing when the line was cut off.
func parseHeader(s string) (Object, bool) {
	rest, ok := strings.CutPrefix(s, "unreferenced object ")
	if !ok {
		return Object{}, false
	}
	var o Object
	if typ, after, ok := cutParens(rest); ok {
		o.Type, rest = typ, strings.TrimSpace(after)
	}
	hex, rest, _ := strings.Cut(rest, " ")
	addr, err := strconv.ParseUint(strings.TrimPrefix(hex, "0x"), 16, 64)
	if err != nil || !strings.HasPrefix(hex, "0x") {
		return Object{}, false
	}
	o.Addr = addr
	if n, ok := strings.CutPrefix(rest, "(size "); ok {
		n, _, _ = strings.Cut(n, ")")
		o.Size, _ = strconv.Atoi(n)
		o.Size = max(o.Size, 0)
	}
	return o, true
}

// parseComm parses `comm "insmod", pid 123, jiffies 4294937462` and the
// "(age 16.444s)" older kernels add. A comm may hold quotes and commas,
// so the name ends at the last `", pid `.
func parseComm(t string, o *Object) {
	rest := strings.TrimPrefix(t, "comm \"")
	i := strings.LastIndex(rest, "\", pid ")
	if i < 0 {
		o.Comm = strings.TrimSuffix(rest, "\"")
		return
	}
	o.Comm, rest = rest[:i], rest[i+len("\", pid "):]
	pid, rest, _ := strings.Cut(rest, ",")
	o.PID, _ = strconv.Atoi(pid)
	rest, ok := strings.CutPrefix(strings.TrimSpace(rest), "jiffies ")
	if !ok {
		return
	}
	j, rest, _ := strings.Cut(rest, " ")
	o.Jiffies, _ = strconv.ParseUint(j, 10, 64)
	if age, ok := strings.CutPrefix(rest, "(age "); ok {
		age, _, _ = strings.Cut(age, ")")
		if d, err := time.ParseDuration(age); err == nil && d >= 0 {
			o.Age, o.HasAge = d, true
		}
	}
}

// cutParens splits "(percpu) 0x..." into "percpu" and " 0x...".
func cutParens(s string) (inside, after string, ok bool) {
	if !strings.HasPrefix(s, "(") {
		return "", s, false
	}
	inside, after, ok = strings.Cut(s[1:], ")")
	return inside, after, ok
}

package debug

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/template"
)

// script is what gdb runs first: the kernel's symbols, the connection to
// QEMU's stub, then, in Python, a hardware breakpoint at the entry of the
// kernel's do_init_module, which runs a module's init once the module is
// laid out. At that stop the module's sections are known (struct module's
// sect_attrs, as /sys/module/NAME/sections shows them): the script loads
// the .ko's symbols there, sets the breakpoint the person asked for and
// continues into it. It tells the host over a unix socket when its
// breakpoint is armed (the host then runs the steps) and when it has
// loaded the module.
type script struct {
	Vmlinux  string
	Stub     string // QEMU's gdb socket
	Notify   string // the host's socket
	Module   string // the kernel's name for the module
	KO       string // with debug info
	Sections []string
	Break    string
	ArgReg   string            // the register of a function's first argument at its entry
	Paths    map[string]string // build folder -> source folder, for the source lines
}

// quote makes a string a Python (and JSON) literal.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

var scriptTemplate = template.Must(template.New("gdb").Funcs(template.FuncMap{"q": quote, "list": func(s []string) string {
	b, _ := json.Marshal(s)
	return string(b)
}}).Parse(`set pagination off
set confirm off
set width 0
set breakpoint pending on
{{range $from, $to := .Paths}}set substitute-path {{$from}} {{$to}}
{{end}}file {{.Vmlinux}}
target remote {{.Stub}}
python
import socket

def lkmlab_tell(what):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect({{q .Notify}})
    s.sendall((what + "\n").encode())
    s.close()

def lkmlab_sections(mod):
    attrs = mod["sect_attrs"].dereference()
    out = {}
    for i in range(int(attrs["nsections"])):
        a = attrs["attrs"][i]
        out[a["battr"]["attr"]["name"].string()] = int(a["address"])
    return out

def lkmlab_until_init():
    bp = gdb.Breakpoint("*do_init_module", type=gdb.BP_HARDWARE_BREAKPOINT, internal=True)
    lkmlab_tell("armed")
    while True:
        gdb.execute("continue")
        mod = gdb.parse_and_eval("(struct module *)${{.ArgReg}}")
        if mod["name"].string() == {{q .Module}}:
            break
    bp.delete()
    addrs = lkmlab_sections(mod)
    # Every section by name: a module whose code is all init and exit
    # has no .text for the usual first address.
    cmd = "add-symbol-file %s" % {{q .KO}}
    for name in {{list .Sections}}:
        if name in addrs:
            cmd += " -s %s 0x%x" % (name, addrs[name])
    gdb.execute(cmd)
    gdb.Breakpoint({{q .Break}})
    lkmlab_tell("loaded")
    gdb.execute("continue")

lkmlab_until_init()
end
`))

func (s script) render() (string, error) {
	paths := []string{s.Vmlinux, s.Stub}
	for from, to := range s.Paths {
		paths = append(paths, from, to)
	}
	for _, p := range paths {
		if strings.ContainsAny(p, " \t\n\"'") {
			return "", fmt.Errorf("write gdb script: gdb cannot take the path %q (it has blanks or quotes)", p)
		}
	}
	var b strings.Builder
	if err := scriptTemplate.Execute(&b, s); err != nil {
		return "", fmt.Errorf("write gdb script: %w", err)
	}
	return b.String(), nil
}

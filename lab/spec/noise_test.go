package spec

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The logs below are written by hand from the kernel's format strings
// (do_init_module, dump_stack_print_info, x86's show_trace_log_lvl and
// __show_regs, arm64's dump_backtrace) as each supported kernel would
// print them for "insmod hello.ko" whose init returns 1; the addresses,
// offsets and registers are made up. They are not captured output.

// initWarn is the one printk do_init_module makes, as the step's log has
// it: the record's text split at its newline.
var initWarn = []string{
	"do_init_module: 'hello'->init suspiciously returned 1, it should follow 0/-E convention",
	"do_init_module: loading module anyway...",
}

const (
	code    = "Code: ff c3 66 2e 0f 1f 84 00 00 00 00 00 0f 1f 44 00 00 48 89 f8 48 89 f7 48 89 d6 48 89 ca 4d 89 c2 4d 89 c8 4c 8b 4c 24 08 0f 05 <48> 3d 01 f0 ff ff 73 01 c3 48 8b 0d b7 6e 0d 00 f7 d8 64 89 01 48"
	rsp     = "RSP: 002b:00007ffc1b8e8a38 EFLAGS: 00000246 ORIG_RAX: 0000000000000139"
	qemuPC  = "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014"
	greet   = "Hello World from a module"
	outTree = "hello: loading out-of-tree module taints kernel."
	unsign  = "hello: module verification failed: signature and/or required key missing - tainting kernel"
)

var regs = []string{
	"RAX: ffffffffffffffda RBX: 000055d0b4b8e7a0 RCX: 00007f3d4e6b1f29",
	"RDX: 0000000000000000 RSI: 000055d0b3a4d4f0 RDI: 0000000000000003",
	"RBP: 0000000000000000 R08: 0000000000000000 R09: 00007f3d4e78a960",
	"R10: 0000000000000003 R11: 0000000000000246 R12: 000055d0b3a4d4f0",
	"R13: 0000000000000000 R14: 000055d0b4b8e760 R15: 0000000000000000",
}

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// dumps are dump_stack() after the warning on each kernel lkmlab runs.
var dumps = map[string][]string{
	"debian-5.10 amd64": join([]string{
		"CPU: 0 PID: 231 Comm: insmod Tainted: G           OE     5.10.0-32-amd64 #1 Debian 5.10.223-1",
		qemuPC,
		"Call Trace:",
		" dump_stack+0x6b/0x83",
		" do_init_module+0x1d1/0x220",
		" load_module+0x2a4e/0x2d90",
		" ? kernel_read_file+0x1b4/0x2c0",
		" __do_sys_finit_module+0xac/0x110",
		" do_syscall_64+0x33/0x80",
		" entry_SYSCALL_64_after_hwframe+0x62/0xc7",
		"RIP: 0033:0x7f3d4e6b1f29",
		"Code: Unable to access opcode bytes at RIP 0x7f3d4e6b1eff.",
		rsp,
	}, regs),
	"debian-6.1 amd64": join([]string{
		"CPU: 0 PID: 231 Comm: insmod Tainted: G           OE      6.1.0-57-amd64 #1  Debian 6.1.192-3",
		qemuPC,
		"Call Trace:",
		" <TASK>",
		" dump_stack_lvl+0x44/0x5c",
		" do_init_module+0x1bd/0x210",
		" __do_sys_finit_module+0xac/0x120",
		" do_syscall_64+0x55/0xb0",
		" ? ksys_mmap_pgoff+0x18b/0x210",
		" ? exit_to_user_mode_prepare+0x40/0x1e0",
		" ? syscall_exit_to_user_mode+0x1e/0x40",
		" ? do_syscall_64+0x61/0xb0",
		" entry_SYSCALL_64_after_hwframe+0x6e/0xd8",
		"RIP: 0033:0x7f3d4e6b1f29",
		code,
		rsp,
	}, regs, []string{" </TASK>"}),
	"debian-6.12 amd64": join([]string{
		"CPU: 1 UID: 0 PID: 231 Comm: insmod Tainted: G           OE      6.12.95+deb12-amd64 #1  Debian 6.12.95-1~bpo12+1",
		"Tainted: [O]=OOT_MODULE, [E]=UNSIGNED_MODULE",
		qemuPC,
		"Call Trace:",
		" <TASK>",
		" dump_stack_lvl+0x5d/0x80",
		" do_init_module+0x1e7/0x230",
		" init_module_from_file+0x89/0xe0",
		" idempotent_init_module+0x11e/0x310",
		" __x64_sys_finit_module+0x5e/0xb0",
		" do_syscall_64+0x82/0x190",
		" ? greet_init+0x15/0x1000 [hello]",
		" entry_SYSCALL_64_after_hwframe+0x76/0x7e",
		"RIP: 0033:0x7f3d4e6b1f29",
		code,
		"RSP: 002b:00007ffc1b8e8a38 EFLAGS: 00000246",
		" ORIG_RAX: 0000000000000139", // the continuation as a record of its own
	}, regs, []string{" </TASK>"}),
	"debian-6.12 arm64": {
		"CPU: 0 UID: 0 PID: 231 Comm: insmod Tainted: G           OE      6.12.95+deb12-arm64 #1  Debian 6.12.95-1~bpo12+1",
		"Tainted: [O]=OOT_MODULE, [E]=UNSIGNED_MODULE",
		"Hardware name: QEMU QEMU Virtual Machine, BIOS 2024.02-2 03/11/2024",
		"Call trace:",
		" dump_backtrace+0x98/0xf0",
		" show_stack+0x20/0x38",
		" dump_stack_lvl+0x60/0x80",
		" dump_stack+0x18/0x28",
		" do_init_module+0x1f0/0x238",
		" init_module_from_file+0x8c/0xd8",
		" __arm64_sys_finit_module+0x1b4/0x2f0",
		" invoke_syscall+0x50/0x120",
		" el0_svc_common.constprop.0+0x48/0xf0",
		" do_el0_svc+0x24/0x38",
		" el0_svc+0x34/0xd8",
		" el0t_64_sync_handler+0x100/0x130",
		" el0t_64_sync+0x190/0x198",
	},
	"minimal-6.1 amd64": join([]string{ // no Debian package id, no machine
		"CPU: 0 PID: 57 Comm: lkmlab-agent Not tainted 6.1.192 #1 ",
		"Call Trace:",
		" <TASK>",
		" dump_stack_lvl+0x34/0x48",
		" do_init_module+0x1bd/0x210",
		" 0xffffffffc0002015",
		" entry_SYSCALL_64_after_hwframe+0x63/0xcd",
		"RIP: 0033:0x4b1f29",
		code,
		rsp,
	}, regs, []string{" </TASK>"}),
}

// TestModuleOutputDropsInitWarning: an init that returns 1 loads; the
// kernel's warning and stack dump are not what the module printed.
func TestModuleOutputDropsInitWarning(t *testing.T) {
	for k, dump := range dumps {
		in := join([]string{outTree, unsign, greet}, initWarn, dump)
		if got := ModuleOutput(in); !reflect.DeepEqual(got, []string{greet}) {
			t.Errorf("%s: ModuleOutput = %q", k, got)
		}
		if got := ModuleOutputOf("hello", in); !reflect.DeepEqual(got, []string{greet}) {
			t.Errorf("%s: ModuleOutputOf(hello) = %q", k, got)
		}
		// Only this module's warning is the kernel's about this step.
		if got := ModuleOutputOf("other", in); len(got) != 1+len(initWarn)+len(dump) {
			t.Errorf("%s: ModuleOutputOf(other) kept %d lines, want all %d", k, len(got), 1+len(initWarn)+len(dump))
		}
	}
}

// TestModuleOutputInitWarningStrict: what follows the warning is dropped
// only in the dump's shapes and order, once, and at most maxDumpLines.
func TestModuleOutputInitWarningStrict(t *testing.T) {
	d510 := dumps["debian-5.10 amd64"]
	d61 := dumps["debian-6.1 amd64"]
	frames := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf(" ? fn%d+0x10/0x20", i))
		}
		return out
	}
	head := []string{d61[0], d61[1], "Call Trace:"}
	for _, c := range []struct {
		name     string
		in, want []string
	}{
		{"a line after a dump with no end is the module's",
			join(initWarn, d510, []string{"hello: timer fired"}), []string{"hello: timer fired"}},
		{"nothing after </TASK> is the dump's, frame-shaped or not",
			join(initWarn, d61, []string{" greet_init+0x15/0x20 [hello]", "Bye"}), []string{" greet_init+0x15/0x20 [hello]", "Bye"}},
		{"asynchronous kernel messages in the dump are dropped as ever",
			join(initWarn, d61[:6], []string{"clocksource: Switched to clocksource tsc", ""}, d61[6:]), nil},
		{"a line of another shape ends the dump and is kept",
			join(initWarn, head, []string{" dump_stack_lvl+0x44/0x5c", "sum = 42", " do_init_module+0x1bd/0x210"}),
			[]string{"sum = 42", " do_init_module+0x1bd/0x210"}},
		{"no dump header: the warning alone is dropped",
			join(initWarn, []string{"Call Trace:", " dump_stack_lvl+0x44/0x5c"}), []string{"Call Trace:", " dump_stack_lvl+0x44/0x5c"}},
		{"the header out of order is not the kernel's",
			join(initWarn, []string{qemuPC, d61[0], "Call Trace:"}), []string{qemuPC, d61[0], "Call Trace:"}},
		{"the warning's second line is part of it",
			join(initWarn[:1], []string{greet, initWarn[1]}, d61), join(initWarn[:1], []string{greet, initWarn[1]}, d61)},
		{"an init that returns 0 or an error has no such warning",
			[]string{"do_init_module: 'hello'->init suspiciously returned 0, it should follow 0/-E convention", initWarn[1]},
			[]string{"do_init_module: 'hello'->init suspiciously returned 0, it should follow 0/-E convention", initWarn[1]}},
		{"the kernel warns once a load: a second warning is the module's",
			join(initWarn, d61, initWarn, []string{"Call Trace:"}), join(initWarn, []string{"Call Trace:"})},
		{"the dump is bounded",
			join(initWarn, head, frames(maxDumpLines+2)), frames(maxDumpLines + 2)[maxDumpLines-len(head):]},
	} {
		if got := ModuleOutput(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got  %q\n want %q", c.name, got, c.want)
		}
	}
}

// TestDumpShapes keeps the hand-written dumps honest: each line of them
// is of a shape initWarningLen knows (a typo would be kept as output and
// fail the test above for the wrong reason).
func TestDumpShapes(t *testing.T) {
	if n := len(strings.Fields(code)) - 1; n != 64 {
		t.Fatalf("code line has %d bytes, want 42+1+21", n)
	}
	for k, dump := range dumps {
		if n := initWarningLen("hello", join(initWarn, dump)); n != len(initWarn)+len(dump) {
			t.Errorf("%s: initWarningLen = %d, want %d (stopped at %q)", k, n, len(initWarn)+len(dump), join(initWarn, dump, []string{""})[n])
		}
	}
}

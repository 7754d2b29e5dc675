package ko

// denyGroup is a set of symbols denied for one reason.
type denyGroup struct {
	why      string
	patterns []string
}

// defaultDeny is what no module of a kernel-programming course assignment
// about processes and memory needs, and what a module attacking the grader
// (forging its records, reading its files, stopping the machine) or the
// machine would use. Each reason is what a reviewer reads.
//
// Decisions:
//   - panic is not denied: a student who panics on bad input made a
//     mistake; the VM catches the panic and it costs that task a crash
//     verdict, which says more than "integrity".
//   - sprint_symbol*, %pS and friends are allowed: they name an address
//     the module already holds; they do not find one by name.
//   - console_* is denied whole: printk and pr_info compile to _printk,
//     no module that only prints imports a console_ function.
//   - get_user_pages*, pin_user_pages* and follow_pfn are not denied but
//     dual-use (policy_review.go): an honest mapper may translate an
//     address with them, so the module is graded and flagged for review.
//   - On paravirt kernels (Debian's) the kernel's C helpers for control
//     registers and MSRs (write_cr0(), wrmsrl()) compile to calls through
//     pv_ops, not to the instructions Privileged finds; pv_ops itself is
//     imported by legitimate page-table and interrupt helpers, so only the
//     exported native_* and *_on_cpu helpers are denied here.
var defaultDeny = []denyGroup{
	{"reads or writes another process's memory", []string{
		"access_process_vm", "access_remote_vm", "copy_to_kernel_nofault",
	}},
	{"opens, reads or writes files from the kernel (the grader's files, the guest's devices)", []string{
		"filp_open", "file_open_root*", "file_open_name", "dentry_open", "kernel_file_open",
		"kernel_read", "kernel_write", "__kernel_write", "vfs_read", "vfs_write",
		"vfs_iter_read", "vfs_iter_write", "kernel_read_file*",
	}},
	{"drives a tty, serial port or console directly (the grader reads the serial ports)", []string{
		"tty_*", "n_tty_*", "uart_*", "serial8250_*", "hvc_*", "start_tty", "stop_tty", "__start_tty", "__stop_tty",
		"register_console", "unregister_console", "console_*", "kmsg_dump*",
	}},
	{"finds or hooks kernel functions at run time, past the import check", []string{
		"kallsyms_lookup_name", "kallsyms_on_each_symbol", "kallsyms_on_each_match_symbol",
		"__symbol_get", "register_kprobe*", "register_kretprobe*",
		"register_ftrace_function", "ftrace_set_filter*",
	}},
	{"stops, halts, reboots or powers off the machine", []string{
		"stop_machine*", "kernel_halt", "kernel_power_off", "kernel_restart", "machine_*",
		"emergency_restart", "orderly_poweroff", "orderly_reboot", "hw_protection_shutdown",
		"ctrl_alt_del", "pm_power_off", "handle_sysrq", "__handle_sysrq", "pm_suspend", "hibernate",
		"kernel_kexec", "freeze_processes", "thaw_processes",
	}},
	{"prints with a facility or flags of its choosing (the grader's own marks are user-space records)", []string{
		"vprintk_emit", "dev_vprintk_emit", "printk_emit",
	}},
	{"writes control registers or MSRs (write protection, system call entry)", []string{
		"native_write_cr*", "cr4_update_irqsoff", "wrmsr*", "msr_set_bit", "msr_clear_bit",
		"do_trace_write_msr",
	}},
	{"starts user programs from the kernel", []string{
		"call_usermodehelper*", "kernel_execve",
	}},
	{"sends signals to other processes (the grader's agent among them)", []string{
		"send_sig*", "kill_pid*", "kill_pgrp", "do_send_sig_info", "group_send_sig_info", "force_sig*",
	}},
	{"changes page protections or patches kernel text", []string{
		"set_memory_*", "set_pages_*", "set_direct_map_*", "text_poke*",
	}},
	{"loads other modules", []string{
		"request_module", "__request_module",
	}},
}

// DefaultDeny lists the symbols (path.Match patterns) a policy denies
// unless it says otherwise.
var DefaultDeny = func() []string {
	var out []string
	for _, g := range defaultDeny {
		out = append(out, g.patterns...)
	}
	return out
}()

// denyWhy gives each DefaultDeny pattern its reason.
var denyWhy = func() map[string]string {
	out := map[string]string{}
	for _, g := range defaultDeny {
		for _, p := range g.patterns {
			out[p] = g.why
		}
	}
	return out
}()

// Implicit are the symbols a module imports whatever its author wrote,
// found in the .ko files of the seed modules and this package's fixtures
// built against debian-6.1, debian-6.12, minimal-6.1 and minimal-debug:
// function tracing, return and indirect-branch thunks, the stack
// protector, sanitizers, printk, modversions, module_param's operations,
// and what the kernel headers' inline helpers (current, preemption,
// refcounts, tracepoints, lockdep) reference. An Allow list never needs
// to name them; none is in DefaultDeny.
var Implicit = []string{
	"__fentry__", "mcount", "_mcount", "__mcount",
	"__x86_return_thunk", "__x86_indirect_thunk_*", "__x86_indirect_call_thunk_*",
	"__x86_indirect_jump_thunk_*", "__x86_indirect_alt_*",
	"__stack_chk_fail", "__stack_chk_guard",
	"module_layout", "_printk", "printk", "BUG_func", "__warn_printk",
	"__asan_*", "__kasan_*", "__ubsan_handle_*", "__tsan_*", "__kcsan_*", "__msan_*", "__kmsan_*",
	"__sanitizer_cov_*", "__fortify_panic", "fortify_panic", "__fortify_report",
	"param_ops_*", "param_array_ops",
	"current_task", "pcpu_hot", "const_pcpu_hot", "__preempt_count",
	"preempt_schedule", "preempt_schedule_notrace", "__SCT__preempt_schedule*", "__SCT__might_resched",
	"__might_sleep", "__might_fault", "__might_resched",
	"refcount_warn_saturate",
	"__tracepoint_*", "__traceiter_*", "__SCK__tp_func_*", "__SCT__tp_func_*", "__mmap_lock_do_trace_*",
	"lock_acquire", "lock_release", "lock_is_held_type", "lockdep_rcu_suspicious",
	"debug_lockdep_rcu_enabled", "rcu_lock_map",
}

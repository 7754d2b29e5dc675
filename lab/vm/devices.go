package vm

import (
	"bytes"
	"context"
	"net"
	"strings"
	"sync"

	"github.com/hugelgupf/vmtest/qemu"
)

// A device is one vmtest qemu.Fn: it adds its QEMU arguments and its kernel
// arguments together, so a machine is a list of devices.

// machineFor is the base board of the guest's architecture: memory, CPUs,
// accelerator, no graphics, no network, no reboot (a guest reboot ends the
// run).
func machineFor(arch guestArch, a Accel, memMiB, cpus int, plain bool) qemu.Fn {
	return func(_ *qemu.IDAllocator, o *qemu.Options) error {
		if plain {
			// QEMU's default machine and CPU count, but the memory the
			// workloads need (QEMU's default 128 MiB is too little).
			// arm64 has no default machine: it gets its board.
			if arch.qemu != arches["amd64"].qemu {
				o.AppendQEMU(arch.board...)
			}
			o.AppendQEMU("-no-reboot", "-accel", a.Name, "-m", itoa(memMiB))
			return nil
		}
		o.AppendQEMU(arch.board...)
		o.AppendQEMU("-m", itoa(memMiB), "-smp", itoa(cpus), "-nodefaults", "-no-user-config", "-no-reboot")
		o.AppendQEMU(arch.cpuArgs(a)...)
		if arch.firmware != "" && exists(arch.firmware) {
			o.AppendQEMU("-bios", arch.firmware)
		}
		return nil
	}
}

// machine, console, panics and channel are the PC's (amd64) devices.
func machine(a Accel, memMiB, cpus int, plain bool) qemu.Fn {
	return machineFor(arches["amd64"], a, memMiB, cpus, plain)
}
func console(plain bool) qemu.Fn { return consoleFor(arches["amd64"], plain) }
func panics() qemu.Fn            { return panicsFor(arches["amd64"]) }
func channel(l net.Listener, run func(ctx context.Context, c net.Conn)) qemu.Fn {
	return channelFor(arches["amd64"], l, run)
}

// qboot is the minimal firmware Debian's and Ubuntu's QEMU ship.
const qboot = "/usr/share/qemu/qboot.rom"

// consoleFor is the first serial port: the kernel console, on QEMU's stdout.
// quiet keeps boot chatter off the slow emulated UART; the agent raises
// the console level once it runs, so everything a step prints is seen.
func consoleFor(arch guestArch, plain bool) qemu.Fn {
	return func(_ *qemu.IDAllocator, o *qemu.Options) error {
		if plain {
			// -nographic's monitor shares stdio with the console.
			o.AppendQEMU("-serial", "mon:stdio")
			o.AppendKernel("console="+arch.console, "printk.devkmsg=on")
			return nil
		}
		o.AppendQEMU("-serial", "stdio")
		o.AppendKernel("console="+arch.console, "quiet", "printk.devkmsg=on")
		return nil
	}
}

// panicsFor makes a guest panic end the run at once: the kernel reboots on
// panic (and -no-reboot turns that into an exit), pvpanic, where the
// architecture has it, tells QEMU first.
func panicsFor(arch guestArch) qemu.Fn {
	return func(_ *qemu.IDAllocator, o *qemu.Options) error {
		o.AppendQEMU(arch.panicDevice...)
		o.AppendQEMU("-action", "panic=exit-failure")
		o.AppendKernel("panic=-1")
		return nil
	}
}

// channelFor is the agent's channel: a PC's second COM port (ttyS1), or
// the architecture's channel device (arm64's virtio console, hvc0).
// QEMU connects as a client to l, which the caller listens on (before
// QEMU starts) and closes; the task runs the driver on the connection.
func channelFor(arch guestArch, l net.Listener, run func(ctx context.Context, c net.Conn)) qemu.Fn {
	return func(_ *qemu.IDAllocator, o *qemu.Options) error {
		if arch.channelDevice != nil {
			o.AppendQEMU("-chardev", "socket,id=lkmlab-channel,path="+l.Addr().String())
			o.AppendQEMU(arch.channelDevice...)
		} else {
			o.AppendQEMU("-serial", "unix:"+l.Addr().String())
		}
		o.Tasks = append(o.Tasks, func(ctx context.Context, _ *qemu.Notifications) error {
			go func() { <-ctx.Done(); l.Close() }()
			c, err := l.Accept()
			if err != nil {
				return nil // QEMU never connected: it failed to start, which Wait reports
			}
			defer c.Close()
			run(ctx, c)
			return nil
		})
		return nil
	}
}

// qmpSocket adds the QMP monitor socket that QEMU serves.
func qmpSocket(path string) qemu.Fn {
	return func(_ *qemu.IDAllocator, o *qemu.Options) error {
		o.AppendQEMU("-qmp", "unix:"+path+",server=on,wait=off")
		return nil
	}
}

// lineWriter splits what is written into lines without \r and hands each to
// fn. vmtest's LogSerialByLine does the same but replaces control
// characters (the serial console's \r\n line ends become "~"): the console
// is compared with the kernel log byte for byte, so it must stay as sent.
type lineWriter struct {
	mu  sync.Mutex
	buf []byte
	cut bool // the line in buf was cut at maxLine: drop up to its newline
	fn  func(string)
}

// maxLine bounds a console line: the kernel's records are at most 1 KiB,
// and a guest that writes the UART itself without a newline must not
// grow the host's buffer without end. A longer line is cut there; the
// rest up to its newline is dropped.
const maxLine = 64 << 10

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for rest := p; len(rest) > 0; {
		i := bytes.IndexByte(rest, '\n')
		chunk := rest
		if i >= 0 {
			chunk, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if !w.cut {
			w.buf = append(w.buf, chunk[:min(len(chunk), maxLine+1-len(w.buf))]...)
		}
		if len(w.buf) > maxLine && !w.cut {
			w.fn(strings.TrimRight(string(w.buf[:maxLine]), "\r"))
			w.buf, w.cut = w.buf[:0], true
		}
		if i >= 0 {
			if !w.cut {
				w.fn(strings.TrimRight(string(w.buf), "\r"))
			}
			w.buf, w.cut = w.buf[:0], false
		}
	}
	return len(p), nil
}

// Close flushes a last unterminated line.
func (w *lineWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) > 0 {
		w.fn(strings.TrimRight(string(w.buf), "\r"))
		w.buf = nil
	}
	return nil
}

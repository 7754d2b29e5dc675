package vm

import "github.com/hugelgupf/vmtest/qemu"

// GDBStub is a device for Options.Extra: QEMU's gdb stub, served on the
// unix socket path (gdb: target remote PATH). A socket, not a TCP port:
// no port to pick, and no one else on the machine can attach. It does not
// change what a saved guest holds, so a guest saved without it restores
// with it.
func GDBStub(path string) qemu.Fn {
	return func(_ *qemu.IDAllocator, o *qemu.Options) error {
		o.AppendQEMU("-gdb", "unix:"+path+",server=on,wait=off")
		return nil
	}
}

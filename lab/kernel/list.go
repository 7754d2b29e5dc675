package kernel

import (
	"context"
	"path/filepath"
	"sort"
)

// Entry is a kernel Resolve knows by name.
type Entry struct {
	Name   string
	Cached bool   // fetched and unpacked, or built: Resolve needs no download or build
	About  string // where it comes from
	Dir    string // its cache folder ("" for host; for a minimal kernel whose inputs are unknown yet, the kernels folder)
}

// List returns the named kernels, default first, with what is cached. It
// uses no network: a minimal kernel's source version comes from dpkg or the
// package lists already fetched.
func List(opts Options) ([]Entry, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	var out []Entry
	for name, pin := range debianPins {
		dir := filepath.Join(o.kernelsDir(), pin.dirName())
		out = append(out, Entry{Name: name, Cached: loadReady(dir) != nil, About: pin.source() + " (" + pin.Suite + ")", Dir: dir})
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Name == DefaultName) != (out[j].Name == DefaultName) {
			return out[i].Name == DefaultName
		}
		return out[i].Name < out[j].Name
	})
	for _, p := range minimalProfiles {
		out = append(out, minimalEntry(context.Background(), p, o))
	}
	out = append(out, Entry{Name: hostName, About: "the running kernel: /boot/vmlinuz-$(uname -r), /lib/modules/$(uname -r)/build"})
	return out, nil
}

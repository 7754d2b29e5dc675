package kernel

import (
	"context"
	"path/filepath"
)

// Entry is a kernel Resolve knows by name, described by what Resolve would
// use now: the pinned kernel, or the newer one that replaced a pin Debian
// dropped.
type Entry struct {
	Name   string
	Cached bool   // fetched and unpacked, or built: Resolve needs no download or build
	About  string // where it comes from: the cached kernel's Source when cached
	Dir    string // its cache folder ("" for host; for a minimal kernel whose inputs are unknown yet, the kernels folder)
	// Release and Package are the cached kernel's (see Kernel), "" when
	// not cached.
	Release, Package string
	// Replaces names the pin this kernel stands in for because Debian no
	// longer offers it (update pins.go); "" when it is the pin itself.
	// Strict pins (Options.Strict) refuse such a kernel.
	Replaces string
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
	for _, name := range Names() {
		if pin, ok := debianPins[name]; ok {
			out = append(out, debianEntry(name, pin, o))
		}
	}
	for _, p := range minimalProfiles {
		out = append(out, describeMinimal(p, minimalEntry(context.Background(), p, o)))
	}
	out = append(out, Entry{Name: hostName, About: "the running kernel: /boot/vmlinuz-$(uname -r), /lib/modules/$(uname -r)/build"})
	return out, nil
}

// debianEntry describes the pinned kernel, or the cached one that replaced
// it.
func debianEntry(name string, pin debianPin, o Options) Entry {
	kernels := o.kernelsDir()
	e := Entry{Name: name, About: pin.source() + " (" + pin.Suite + ")", Dir: filepath.Join(kernels, pin.dirName())}
	if k := loadReady(e.Dir); k != nil {
		e.use(k)
		e.About += " (" + pin.Suite + ")"
		return e
	}
	if alt := readFallback(kernels, pin); alt != "" {
		if k := loadReady(filepath.Join(kernels, alt)); k != nil {
			e.use(k)
			e.Dir = filepath.Join(kernels, alt)
			e.About += " (" + pin.Suite + ")"
			e.Replaces = pin.imagePackage() + " " + pin.Version
		}
	}
	return e
}

// describeMinimal fills in a cached minimal kernel's details, and whether
// its source is the pinned one.
func describeMinimal(p minimalProfile, e Entry) Entry {
	if !e.Cached {
		return e
	}
	k := loadReady(e.Dir)
	if k == nil {
		return e
	}
	e.use(k)
	if m := minimalSourceRe.FindStringSubmatch(k.Source); m != nil && m[2] != p.pin().Version {
		e.Replaces = p.pin().Package + " " + p.pin().Version
	}
	return e
}

// use describes k, a kernel in the cache.
func (e *Entry) use(k *Kernel) {
	identify(k)
	e.Cached, e.About, e.Release, e.Package = true, k.Source, k.Release, k.Package
}

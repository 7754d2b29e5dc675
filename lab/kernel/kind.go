package kernel

import "context"

// Kind is how Resolve gets a kernel, which decides what the host needs
// (see lab/setup).
type Kind int

const (
	Unknown Kind = iota // not a name Resolve takes
	Debian              // fetched from Debian's archive (apt-get, dpkg-deb, xz, the keyring)
	Minimal             // built from Debian's kernel source (a compiler, flex, bison, ...)
	Host                // the running kernel's files
	Path                // a built tree or IMAGE:KDIR
)

// KindOf tells how Resolve would get the kernel called name ("" is the
// default).
func KindOf(name string) Kind {
	if name == "" {
		name = DefaultName
	}
	if _, ok := debianPins[name]; ok {
		return Debian
	}
	if _, ok := lookupMinimal(name); ok {
		return Minimal
	}
	switch {
	case name == hostName:
		return Host
	case isPathName(name):
		return Path
	}
	return Unknown
}

// Cached reports whether Resolve has the named Debian or minimal kernel in
// the cache, so that it needs neither the network nor a build (false for
// other kinds, which are never fetched or built). It uses no network.
func Cached(name string, opts Options) bool {
	if name == "" {
		name = DefaultName
	}
	o, err := opts.withDefaults()
	if err != nil {
		return false
	}
	if pin, ok := debianPins[name]; ok {
		return debianEntry(name, pin, o).Cached
	}
	if p, ok := lookupMinimal(name); ok {
		return minimalEntry(context.Background(), p, o).Cached
	}
	return false
}

// Package kernel turns a kernel name ("debian-6.1", "host" or a path) into a bootable image and the build tree its modules compile against.
//
// The default, "debian-6.1", is fetched from Debian's archive with a private
// apt configuration and cached under the cache directory; later calls return
// the cached kernel without touching the network.
package kernel

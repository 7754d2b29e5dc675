// Package kernel turns a kernel name ("debian-6.1", "minimal-6.1", "host" or a path) into a bootable image and the build tree its modules compile against.
//
// The default, "debian-6.1", is fetched from Debian's archive with a private
// apt configuration and cached under the cache directory; later calls return
// the cached kernel without touching the network.
//
// "minimal-6.1" (alias "minimal") and "minimal-debug" are built once from
// Debian's linux-source-6.1, "minimal-5.10" from bullseye's
// linux-source-5.10, with tinyconfig plus the fragments in config/
// (embedded), in about 5 minutes on 2 cores; the cache folder is keyed by
// the fragments, the source version and the compiler, so a changed fragment
// builds anew.
package kernel

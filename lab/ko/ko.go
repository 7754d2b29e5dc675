// Package ko reads what a built kernel module says about itself: a .ko file
// -> its modinfo (parameters and their types, dependencies), the symbols it
// imports, its sections, and the privileged instructions in its code; and
// checks it against an assignment's policy before any boot.
package ko

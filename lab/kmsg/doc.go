// Package kmsg turns kernel log text into structured records and typed failures.
//
// Input is either /dev/kmsg records (ParseRecord, one per read) or serial
// console / dmesg text (ParseLines); Scan then finds the failures in the
// lines: oops, panic, WARN, BUG, soft and hard lockups, hung tasks and
// RCU stalls, each with the lines of its report. A *Failure is an error:
//
//	fs := kmsg.Scan(kmsg.ParseLines(console))
//	if len(fs) > 0 {
//		fs[0].Step = "insmod hello"
//		return fs[0]
//	}
//
// The package is pure Go with no OS-specific calls, so both a host program
// and a static /init inside a Linux VM can use it.
package kmsg

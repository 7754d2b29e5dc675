package vm

import "strings"

// Reproduce turns a run's QEMU arguments into a command a person can run
// by hand: the agent's channel goes to the file channelOut instead of the
// host's socket (which is gone), QMP is left out, and a restored run loads
// state (a copy of the saved guest) instead of waiting for the host's
// incoming migration.
func Reproduce(args []string, channelOut, state string) string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-qmp" && i+1 < len(args):
			i++
			continue
		case a == "-serial" && i+1 < len(args) && strings.HasPrefix(args[i+1], "unix:"):
			out = append(out, a, "file:"+channelOut)
			i++
			continue
		case a == "-chardev" && i+1 < len(args) && strings.HasPrefix(args[i+1], "socket,id=lkmlab-channel,"):
			out = append(out, a, "file,id=lkmlab-channel,path="+channelOut)
			i++
			continue
		case a == "-incoming" && i+1 < len(args) && args[i+1] == "defer" && state != "":
			out = append(out, a, "exec:cat "+shellQuote(state))
			i++
			continue
		}
		out = append(out, a)
	}
	for i, a := range out {
		if strings.ContainsAny(a, " \t\n'\"$") {
			out[i] = shellQuote(a)
		}
	}
	return strings.Join(out, " ")
}

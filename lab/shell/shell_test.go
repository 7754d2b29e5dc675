package shell

import (
	"bytes"
	"testing"
)

func TestEscaper(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reads []string
		sent  string
		quit  bool
	}{
		{"plain keys", []string{"ls\r"}, "ls\r", false},
		{"ctrl-a x quits", []string{"ab\x01x", "never sent"}, "ab", true},
		{"split across reads", []string{"a\x01", "x"}, "a", true},
		{"ctrl-a twice sends one", []string{"\x01\x01x"}, "\x01x", false},
		{"ctrl-a then another key sends both", []string{"\x01c"}, "\x01c", false},
		{"ctrl-c goes to the guest", []string{"\x03\x04"}, "\x03\x04", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e escaper
			var sent bytes.Buffer
			quit := false
			for _, r := range tc.reads {
				out, q := e.filter([]byte(r))
				sent.Write(out)
				if q {
					quit = true
					break
				}
			}
			if sent.String() != tc.sent || quit != tc.quit {
				t.Fatalf("sent %q, quit %v; want %q, %v", sent.String(), quit, tc.sent, tc.quit)
			}
		})
	}
}

func TestTerminalShowsTheGuestOnlyOnceTheShellIsHanded(t *testing.T) {
	var out bytes.Buffer
	term := &terminal{out: &out}
	term.Write([]byte("boot chatter\n"))
	term.open = true
	term.Write([]byte("$ "))
	if out.String() != "$ " {
		t.Fatalf("the person saw %q, want only the prompt", out.String())
	}
}

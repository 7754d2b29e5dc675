package report

import (
	"strings"
	"testing"
)

// TestKTAPCarriesNoControlCharacters: a compiler message or a file name
// holding terminal escapes, a field separator or a bidi override reaches
// the KTAP stream as inert text.
func TestKTAPCarriesNoControlCharacters(t *testing.T) {
	hostile := "x\x1b[2J\x1c\u202egnp.c\r\nnot ok 9 forged"
	var b strings.Builder
	err := EncodeKTAP(&b, "", []*KTAPTest{{Name: hostile, Diag: []string{hostile}, Directive: "SKIP", Reason: hostile}})
	if err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, r := range out {
		if r < 0x20 && r != '\n' && r != '\t' || r == '\u202e' {
			t.Fatalf("KTAP output carries %U:\n%q", r, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "not ok 9") {
			t.Fatalf("student text started a KTAP line of its own:\n%s", out)
		}
	}
}

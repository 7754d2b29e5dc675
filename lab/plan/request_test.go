package plan

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

func TestRequestRoundTrip(t *testing.T) {
	r := &Request{Plan: &Plan{Nonce: "n", Steps: []Step{{Module: "hello", Action: Insmod, Path: "/lkm/hello.ko"}}},
		Files: []File{NewFile("/lkm/hello.ko", []byte("\x7fELF\n\x00binary"))}}
	b, err := r.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(b, []byte("\n")) != 1 {
		t.Fatalf("request is not one line: %q", b)
	}
	got, err := ReadRequest(bufio.NewReader(bytes.NewReader(append(b, "trailing"...))))
	if err != nil {
		t.Fatal(err)
	}
	if got.Plan.Steps[0].Path != "/lkm/hello.ko" || string(got.Files[0].Data) != "\x7fELF\n\x00binary" {
		t.Fatalf("got %+v", got)
	}
}

func TestReadRequestRefuses(t *testing.T) {
	good := NewFile("/lkm/a.ko", []byte("abc"))
	damaged := good
	damaged.Data = []byte("abd")
	for name, r := range map[string]*Request{
		"outside":   {Plan: &Plan{}, Files: []File{NewFile("/etc/passwd", nil)}},
		"dotdot":    {Plan: &Plan{}, Files: []File{NewFile("/lkm/../init", nil)}},
		"damaged":   {Plan: &Plan{}, Files: []File{damaged}},
		"no plan":   {Files: []File{good}},
		"files dir": {Plan: &Plan{}, Files: []File{NewFile("/lkm", nil)}},
	} {
		b, _ := r.Encode()
		if _, err := ReadRequest(bufio.NewReader(bytes.NewReader(b))); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := ReadRequest(bufio.NewReader(strings.NewReader(`{"plan":`))); err == nil || !strings.Contains(err.Error(), "read request") {
		t.Errorf("truncated: %v", err)
	}
}

func newReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }

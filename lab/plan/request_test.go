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

func TestRequestCompressesFiles(t *testing.T) {
	ko := bytes.Repeat([]byte("\x7fELF module text .symtab .strtab "), 2000)
	b, err := (&Request{Plan: &Plan{}, Files: []File{NewFile("/lkm/big.ko", ko)}}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > len(ko)/4 {
		t.Errorf("request of a %d-byte file is %d bytes: files are not compressed", len(ko), len(b))
	}
	got, err := ReadRequest(bufio.NewReader(bytes.NewReader(b)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Files[0].Data, ko) {
		t.Error("file changed in the round trip")
	}
}

func TestReadRequestRefusesExpansionPastLimit(t *testing.T) {
	// A line far below MaxRequest whose file would expand past it.
	bomb := NewFile("/lkm/bomb.ko", make([]byte, MaxRequest+1))
	b, err := (&Request{Plan: &Plan{}, Files: []File{bomb}}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) >= MaxRequest {
		t.Fatalf("bomb line is %d bytes, not below the limit", len(b))
	}
	if _, err := ReadRequest(bufio.NewReader(bytes.NewReader(b))); err == nil || !strings.Contains(err.Error(), "expand past") {
		t.Errorf("expanding past the limit: %v", err)
	}
	bad := []byte(`{"plan":{},"files":[{"path":"/lkm/a.ko","gzip":"bm90IGd6aXA=","sha256":"x"}]}` + "\n")
	if _, err := ReadRequest(bufio.NewReader(bytes.NewReader(bad))); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("not gzip: %v", err)
	}
}

package initramfs

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/u-root/u-root/pkg/cpio"
)

func TestWriteHoldsAgentPlanAndFiles(t *testing.T) {
	for _, gz := range []bool{false, true} {
		dir := t.TempDir()
		agent := filepath.Join(dir, "agent")
		ko := filepath.Join(dir, "m.ko")
		os.WriteFile(agent, []byte("#!agent"), 0o755)
		os.WriteFile(ko, []byte("ko bytes"), 0o644)
		out := filepath.Join(dir, "out.cpio")
		p := &plan.Plan{Nonce: "n", Steps: []plan.Step{{Module: "m", Action: plan.Insmod, Path: "/lkm/m.ko"}}}
		if err := Write(Spec{Agent: agent, Plan: p, Files: []File{{Host: ko, Guest: "/lkm/m.ko"}}, Gzip: gz}, out); err != nil {
			t.Fatal(err)
		}
		recs := readArchive(t, out, gz)
		for name, want := range map[string]string{"init": "#!agent", "lkm/m.ko": "ko bytes"} {
			if recs[name] != want {
				t.Errorf("gzip=%v: %s = %q, want %q", gz, name, recs[name], want)
			}
		}
		if _, ok := recs["plan.json"]; !ok {
			t.Errorf("gzip=%v: no plan.json in %v", gz, keys(recs))
		}
		if _, ok := recs["dev/console"]; !ok {
			t.Errorf("gzip=%v: no dev/console (the base archive) in %v", gz, keys(recs))
		}
	}
}

func readArchive(t *testing.T, path string, gz bool) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.ReaderAt = f
	if gz {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		tmp := filepath.Join(t.TempDir(), "raw")
		os.WriteFile(tmp, b, 0o644)
		g, _ := os.Open(tmp)
		defer g.Close()
		r = g
	}
	out := map[string]string{}
	err = cpio.ForEachRecord(cpio.Newc.Reader(r), func(rec cpio.Record) error {
		var b []byte
		if rec.ReaderAt != nil {
			b, _ = io.ReadAll(io.NewSectionReader(rec.ReaderAt, 0, int64(rec.FileSize)))
		}
		out[rec.Name] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

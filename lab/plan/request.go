package plan

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Parked is what a serving agent (Plan.Serve) prints on the channel when
// it waits for a Request. Nothing a module prints can come before it: no
// module has been loaded yet.
const Parked = "@@lkmlab parked\n"

// Request is what the host sends a parked agent: the plan to run and the
// files it names, as one JSON line on the channel.
type Request struct {
	Plan  *Plan  `json:"plan"`
	Files []File `json:"files"`
}

// File is one file a Request carries into the guest.
type File struct {
	Path string `json:"path"` // under FilesDir
	Data []byte `json:"-"`
	// Gzip is Data as it travels: compressed, since the serial line into
	// the guest is the slow part of waking a saved guest (a stripped .ko
	// shrinks to about a quarter). Encode fills it; ReadRequest fills Data
	// from it.
	Gzip []byte `json:"gzip"`
	// SHA256 (of Data) lets the guest tell a file damaged on the serial
	// line from the one sent.
	SHA256 string `json:"sha256"`
}

// FilesDir is where the files of a Request go in the guest.
const FilesDir = "/lkm"

// MaxRequest bounds a Request line, so a damaged line cannot exhaust the
// guest's memory.
const MaxRequest = 64 << 20

// NewFile makes a File with its checksum.
func NewFile(guestPath string, data []byte) File {
	sum := sha256.Sum256(data)
	return File{Path: guestPath, Data: data, SHA256: hex.EncodeToString(sum[:])}
}

// Encode writes the request as one line, each file's Data compressed.
func (r *Request) Encode() ([]byte, error) {
	out := *r
	out.Files = make([]File, len(r.Files))
	for i, f := range r.Files {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := zw.Write(f.Data); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		f.Gzip = buf.Bytes()
		out.Files[i] = f
	}
	b, err := json.Marshal(&out)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ReadRequest reads one request line and checks it: every file under
// FilesDir, every checksum right.
// It reads from br no further than the request's own line: the commands
// that follow stay in br.
func ReadRequest(br *bufio.Reader) (*Request, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > MaxRequest {
			return nil, fmt.Errorf("request longer than %d bytes", MaxRequest)
		}
		if err == nil {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("read request: %w", err)
		}
	}
	var r Request
	if err := json.Unmarshal(line, &r); err != nil {
		return nil, fmt.Errorf("parse request (%d bytes): %w", len(line), err)
	}
	if r.Plan == nil {
		return nil, errors.New("request without a plan")
	}
	budget := int64(MaxRequest)
	for i := range r.Files {
		f := &r.Files[i]
		if clean := path.Clean(f.Path); clean != f.Path || !strings.HasPrefix(clean, FilesDir+"/") {
			return nil, fmt.Errorf("request file %q is not under %s", f.Path, FilesDir)
		}
		data, err := gunzip(f.Gzip, budget)
		if err != nil {
			return nil, fmt.Errorf("request file %s: %w", f.Path, err)
		}
		f.Data, f.Gzip = data, nil
		budget -= int64(len(data))
		if got := NewFile(f.Path, f.Data).SHA256; got != f.SHA256 {
			return nil, fmt.Errorf("request file %s damaged in transit: sha256 %s, sent %s", f.Path, got, f.SHA256)
		}
	}
	return &r, nil
}

// gunzip expands b, refusing more than most bytes: a small line must not
// expand to fill the guest's memory.
func gunzip(b []byte, most int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("damaged in transit: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(zr, most+1))
	if err != nil {
		return nil, fmt.Errorf("damaged in transit: %w", err)
	}
	if int64(len(data)) > most {
		return nil, fmt.Errorf("files expand past %d bytes", MaxRequest)
	}
	return data, nil
}

package plan

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
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
	Data []byte `json:"data"`
	// SHA256 lets the guest tell a file damaged on the serial line from
	// the one sent.
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

// Encode writes the request as one line.
func (r *Request) Encode() ([]byte, error) {
	b, err := json.Marshal(r)
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
	for _, f := range r.Files {
		if clean := path.Clean(f.Path); clean != f.Path || !strings.HasPrefix(clean, FilesDir+"/") {
			return nil, fmt.Errorf("request file %q is not under %s", f.Path, FilesDir)
		}
		if got := NewFile(f.Path, f.Data).SHA256; got != f.SHA256 {
			return nil, fmt.Errorf("request file %s damaged in transit: sha256 %s, sent %s", f.Path, got, f.SHA256)
		}
	}
	return &r, nil
}

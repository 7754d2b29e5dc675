package agent

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/lkmlab/lkmlab/lab/plan"
)

// Receive parks the agent: it says plan.Parked on the channel, reads one
// request from in, writes the request's files and makes its plan a's plan.
// The parked plan's nonce is gone with it: Ready carries the request's.
func Receive(a *Agent, out io.Writer) error {
	if _, err := io.WriteString(out, plan.Parked); err != nil {
		return fmt.Errorf("park: %w", err)
	}
	req, err := plan.ReadRequest(a.In)
	if err != nil {
		// Nobody can be told in a framed record (no nonce yet): say it on
		// the channel plainly; the host sees no ready record and boots cold.
		fmt.Fprintf(out, "lkmlab agent: %v\n", err)
		return err
	}
	for _, f := range req.Files {
		if err := os.MkdirAll(filepath.Dir(f.Path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(f.Path, f.Data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
	}
	a.Plan = req.Plan
	return nil
}

package grade

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/kernel/kinfo"
	"github.com/lkmlab/lkmlab/lab/version"
	"go.yaml.in/yaml/v3"
)

// stamp is what a grade depends on besides the submission: a result
// graded under another stamp is stale and graded again.
type stamp struct {
	digest, kernel, release, buildID, version string
}

func newStamp(a *assign.Assignment, k *kinfo.Kernel) stamp {
	return stamp{digest: assignmentDigest(a), kernel: k.Name, release: k.Release,
		buildID: k.BuildID, version: lkmlabVersion()}
}

// mark records the stamp in a result.
func (s stamp) mark(r *Result) {
	r.AssignmentDigest, r.Kernel, r.KernelRelease, r.KernelBuildID, r.LkmlabVersion =
		s.digest, s.kernel, s.release, s.buildID, s.version
}

// staleness says why r was graded under another stamp, or "" when it was
// not. The build-id is compared only when both sides know it (a
// bzImage-only kernel has none).
func (s stamp) staleness(r *Result) string {
	switch {
	case r.AssignmentDigest == "":
		return "graded before results recorded the assignment"
	case r.AssignmentDigest != s.digest:
		return "the assignment or one of its specs changed"
	case r.Kernel != s.kernel || r.KernelRelease != s.release:
		return fmt.Sprintf("the kernel changed (was %s %s, now %s %s)", r.Kernel, r.KernelRelease, s.kernel, s.release)
	case r.KernelBuildID != "" && s.buildID != "" && r.KernelBuildID != s.buildID:
		return "the kernel was rebuilt (another build-id)"
	case r.LkmlabVersion != s.version:
		return fmt.Sprintf("lkmlab changed (was %s, now %s)", r.LkmlabVersion, s.version)
	}
	return ""
}

// assignmentDigest hashes the assignment as loaded: its own fields and
// every task's parsed spec, each length-prefixed. The loaded form, not the
// files, so a spec named "seed:size" changes the digest when the seed
// spec does, and reformatting a file does not. (lab/assign could offer
// this as a method; it is computed here until it does.)
func assignmentDigest(a *assign.Assignment) string {
	h := sha256.New()
	put := func(v any) {
		b, err := yaml.Marshal(v)
		if err != nil {
			b = []byte(err.Error()) // unreachable for these plain types; still changes the digest
		}
		_ = binary.Write(h, binary.BigEndian, uint64(len(b)))
		h.Write(b)
	}
	// Who sees what (visibility) changes no grade: a course that hides a
	// step after the deadline does not regrade the class.
	c := *a
	c.Tasks = append([]assign.Task(nil), a.Tasks...)
	for i := range c.Tasks {
		c.Tasks[i].Visibility, c.Tasks[i].StepVisibility = "", nil
	}
	put(&c)
	for _, t := range a.Tasks {
		put(t.Loaded)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// lkmlabVersion names this build: its version and, when known, the
// commit ("+dirty" for a tree with changes), so that a grader built from
// other code grades again.
func lkmlabVersion() string {
	v := version.Get()
	if v.Commit == "" {
		return v.Version
	}
	return v.Version + " (" + v.Commit + ")"
}

package grade

import (
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
)

func TestAssignmentDigest(t *testing.T) {
	base := assignmentDigest(testAssignment("hi"))
	morePoints := testAssignment("hi")
	morePoints.Tasks[0].Points.Truth = 3
	otherFiles := testAssignment("hi")
	otherFiles.Tasks[0].Files = []string{"mymodule.c"}
	hidden := testAssignment("hi")
	hidden.Tasks[0].Visibility = assign.Hidden
	tests := []struct {
		name string
		a    *assign.Assignment
		same bool
	}{
		{"the same assignment built again", testAssignment("hi"), true},
		{"a spec's output line changed", testAssignment("hello"), false},
		{"points changed", morePoints, false},
		{"the task takes another file", otherFiles, false},
		{"only who sees the task changed", hidden, true},
	}
	for _, tc := range tests {
		if got := assignmentDigest(tc.a); (got == base) != tc.same {
			t.Errorf("%s: digest %s, base %s, want same=%v", tc.name, got, base, tc.same)
		}
	}
	if a, b := assignmentDigest(assign.Default()), assignmentDigest(assign.Default()); a != b {
		t.Errorf("the default assignment has two digests: %s and %s", a, b)
	}
}

package ko

import (
	"slices"
	"testing"
)

// TestReviewDualUse: get_user_pages_remote and its kin are not a policy
// violation by default but a flag for review; a course can deny them, flag
// nothing, or allow one by name.
func TestReviewDualUse(t *testing.T) {
	m := &Module{Imports: []string{"_printk", "get_user_pages_remote", "filp_open", "follow_pfn", "pin_user_pages_remote", "kmalloc_trace"}}
	for _, tc := range []struct {
		name           string
		p              Policy
		check, flagged []string
	}{
		{"default", Policy{}, []string{"filp_open"}, []string{"get_user_pages_remote", "follow_pfn", "pin_user_pages_remote"}},
		{"denied by the course", Policy{Deny: []string{"default", "get_user_pages*"}},
			[]string{"get_user_pages_remote", "filp_open"}, []string{"follow_pfn", "pin_user_pages_remote"}},
		{"nothing flagged", Policy{Review: []string{}}, []string{"filp_open"}, nil},
		{"flagged by the course", Policy{Review: []string{"default", "kmalloc*"}}, []string{"filp_open"},
			[]string{"get_user_pages_remote", "follow_pfn", "pin_user_pages_remote", "kmalloc_trace"}},
		{"allowed by name", Policy{Allow: []string{"_printk", "get_user_pages_remote", "follow_pfn", "pin_user_pages_remote", "kmalloc_trace"}},
			[]string{"filp_open"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var check, flagged []string
			for _, v := range m.Check(tc.p) {
				check = append(check, v.What)
			}
			for _, v := range m.Review(tc.p) {
				if v.Kind != KindDualUse || v.Why == "" {
					t.Errorf("review %+v: want kind %s and a reason", v, KindDualUse)
				}
				flagged = append(flagged, v.What)
			}
			if !slices.Equal(check, tc.check) || !slices.Equal(flagged, tc.flagged) {
				t.Fatalf("Check %q, Review %q; want %q and %q", check, flagged, tc.check, tc.flagged)
			}
		})
	}
}

func TestDefaultReviewIsNotDenied(t *testing.T) {
	for _, p := range DefaultReview {
		if _, ok := matchAny(DefaultDeny, []string{p}); ok {
			t.Errorf("review pattern %q is denied by default: it would never be graded", p)
		}
	}
	if err := (Policy{Review: []string{"["}}).Validate(); err == nil {
		t.Error("a bad review pattern validates")
	}
}

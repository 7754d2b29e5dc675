package check

import (
	"context"
	"testing"
)

func TestSeedFromTheContext(t *testing.T) {
	ctx := WithSeed(context.Background(), 42)
	for _, tc := range []struct {
		ctx  context.Context
		own  uint64
		want uint64
	}{
		{context.Background(), 0, 0},
		{context.Background(), 7, 7},
		{ctx, 0, 42},
		{ctx, 7, 7}, // the run's own seed wins
	} {
		if got := seedFor(tc.ctx, tc.own); got != tc.want {
			t.Errorf("seedFor(own %d) = %d, want %d", tc.own, got, tc.want)
		}
	}
}

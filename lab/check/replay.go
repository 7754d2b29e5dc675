package check

import "context"

// A replay (lab/replay) repeats a run with the seed its report gives. A
// check takes it in Options.Seed; a grade's checks are made by the grader,
// which builds its own Options: the seed reaches them through the context.

type seedKey struct{}

// WithSeed returns a context in which every Run whose Options.Seed is 0
// draws its values from seed, as the run that a report recorded did.
func WithSeed(ctx context.Context, seed uint64) context.Context {
	return context.WithValue(ctx, seedKey{}, seed)
}

// seedFor is the seed a Run uses: its own, else the context's (0: a new
// one).
func seedFor(ctx context.Context, own uint64) uint64 {
	if own != 0 {
		return own
	}
	s, _ := ctx.Value(seedKey{}).(uint64)
	return s
}

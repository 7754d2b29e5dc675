package similar

import "sort"

// match is a k-gram found at token a of one file and token b of the other.
type match struct{ a, b int }

// span is a region in tokens, ends exclusive.
type span struct{ aFrom, aTo, bFrom, bTo int }

// regions joins the k-grams two files share into stretches: a match
// extends a stretch when it starts within a window of the stretch's end
// in both files, in the same order. At most maxRegions, the longest
// first.
func regions(a, b *doc, o Options) []Region {
	const maxRegions, perHash = 20, 4
	var ms []match
	for _, fp := range a.fps {
		bs := b.byHash[fp.hash]
		for _, pb := range bs[:min(len(bs), perHash)] {
			ms = append(ms, match{fp.pos, pb})
		}
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].a < ms[j].a || ms[i].a == ms[j].a && ms[i].b < ms[j].b })
	var open []span
	for _, m := range ms {
		joined := false
		for i := range open {
			s := &open[i]
			if m.a <= s.aTo+o.Window && m.b >= s.bFrom && m.b <= s.bTo+o.Window {
				s.aTo, s.bTo = max(s.aTo, m.a+o.K), max(s.bTo, m.b+o.K)
				joined = true
				break
			}
		}
		if !joined {
			open = append(open, span{m.a, m.a + o.K, m.b, m.b + o.K})
		}
	}
	sort.SliceStable(open, func(i, j int) bool { return open[i].aTo-open[i].aFrom > open[j].aTo-open[j].aFrom })
	var rs []Region
	for _, s := range open[:min(len(open), maxRegions)] {
		rs = append(rs, Region{AFrom: a.tokens[s.aFrom].line, ATo: a.tokens[min(s.aTo, len(a.tokens))-1].line,
			BFrom: b.tokens[s.bFrom].line, BTo: b.tokens[min(s.bTo, len(b.tokens))-1].line, Tokens: s.aTo - s.aFrom})
	}
	return rs
}

package similar

import (
	"hash/fnv"
)

// Winnowing (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms
// for document fingerprinting", SIGMOD 2003), as MOSS and Dolos use it:
// hash every k-gram of tokens, and keep in each window of w consecutive
// hashes the smallest (the rightmost on a tie, and each kept position
// once). Any run of at least k+w-1 tokens shared by two files then shares
// a fingerprint, and a run shorter than k shares none.
//
// It is written here because the module proxy offers no kept Go
// implementation over a token stream: the one that exists (scanoss)
// computes the WFP format of one service, over raw bytes per line.

// fingerprint is a kept k-gram hash and the token index where the k-gram
// starts.
type fingerprint struct {
	hash uint64
	pos  int
}

// winnow returns the fingerprints of ts for k-grams of k tokens and
// windows of w hashes. Fewer than k tokens have none; fewer than k+w-1
// have the smallest hash of their k-grams.
func winnow(ts []token, k, w int) []fingerprint {
	hs := kgrams(ts, k)
	if len(hs) == 0 {
		return nil
	}
	if len(hs) < w {
		w = len(hs)
	}
	var fps []fingerprint
	last := -1
	for start := 0; start+w <= len(hs); start++ {
		m := start
		for i := start + 1; i < start+w; i++ {
			if hs[i] <= hs[m] {
				m = i
			}
		}
		if m != last {
			fps = append(fps, fingerprint{hash: hs[m], pos: m})
			last = m
		}
	}
	return fps
}

// kgrams hashes each run of k tokens (FNV-1a over the tokens, each ended
// by a zero byte so that "ab","c" and "a","bc" differ).
func kgrams(ts []token, k int) []uint64 {
	if len(ts) < k {
		return nil
	}
	hs := make([]uint64, 0, len(ts)-k+1)
	for i := 0; i+k <= len(ts); i++ {
		h := fnv.New64a()
		for _, t := range ts[i : i+k] {
			h.Write([]byte(t.text))
			h.Write([]byte{0})
		}
		hs = append(hs, h.Sum64())
	}
	return hs
}

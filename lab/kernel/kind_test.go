package kernel

import "testing"

func TestKindOf(t *testing.T) {
	tests := []struct {
		name string
		want Kind
	}{
		{"", Debian},
		{"debian-6.12", Debian},
		{"minimal", Minimal},
		{"minimal-debug", Minimal},
		{"host", Host},
		{"/src/linux", Path},
		{"bzImage:/src/linux", Path},
		{"debian-2.4", Unknown},
	}
	for _, tt := range tests {
		if got := KindOf(tt.name); got != tt.want {
			t.Errorf("KindOf(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCached(t *testing.T) {
	o := mustDefaults(t)
	if Cached("", o) {
		t.Fatal("Cached: true in an empty cache")
	}
	fakeReady(t, o, debianPins[DefaultName].dirName())
	if !Cached("", o) || !Cached(DefaultName, o) {
		t.Error("Cached: false for the fetched default kernel")
	}
	if Cached("host", o) || Cached("debian-6.12", o) {
		t.Error("Cached: true for a kernel not in the cache")
	}
}

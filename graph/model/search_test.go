package model

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"Mercedes-Benz":       "mercedes benz",
		"  BAIC   U5 Plus ":   "baic u5 plus",
		"Škoda Auto":          "skoda auto",
		"U5+":                 "u5",
		"Калининград":         "калининград",
		"ＢＡＩＣ":                "baic",
		"--":                  "",
		"Avtotor–BAIC (2023)": "avtotor baic 2023",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScoreMatch(t *testing.T) {
	keys := []string{"baic u5 plus", "u5 plus", "u5"}
	for q, want := range map[string]float64{
		"u5":   ScoreExact,
		"u5 p": ScorePrefix,
		"baic": ScorePrefix,
		"plus": ScoreWordPrefix,
		"lus":  ScoreSubstring,
		"x35":  0,
	} {
		if got := ScoreMatch(q, keys); got != want {
			t.Errorf("ScoreMatch(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestPrepareSearch(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"  Benz ", "benz", ""},
		{"!!!", "", "letter or digit"},
		{"", "", "letter or digit"},
		{strings.Repeat("a", MaxSearchLength+1), "", "longer than"},
		{"\xff", "", "UTF-8"},
	} {
		got, err := PrepareSearch(tc.in)
		if tc.err == "" && (err != nil || got != tc.want) || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("PrepareSearch(%q) = %q, %v; want %q, error containing %q", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Mercedes-Benz", "U5+", "Škoda", "", "\x00", "ﬁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) || strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Fatalf("Normalize(%q) = %q", s, n)
		}
		if Normalize(n) != n {
			t.Fatalf("Normalize is not idempotent on %q: %q then %q", s, n, Normalize(n))
		}
	})
}
